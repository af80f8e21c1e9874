import registerCrud from './crud.js';

export default function registerUsers(app, db) {
  app.get('/users/me', (req, res) => res.json(req.user));
  registerCrud(app, '/users', db.collection('users'));
}
