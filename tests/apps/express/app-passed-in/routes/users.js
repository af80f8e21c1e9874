// User routes: a constructor-function controller built with the db.
const UsersController = require('../controllers/users');
const { requireLogin } = require('../lib/auth');

module.exports = function (app, db) {
  const users = new UsersController(db);
  app.get('/users', requireLogin, users.list);
  app.get('/users/:userId', requireLogin, users.show);
  app.put('/users/:userId', requireLogin, users.update.bind(users));
};
