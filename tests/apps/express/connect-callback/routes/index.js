const SessionHandler = require('./session');
const ContributionsHandler = require('./contributions');

module.exports = (app, db) => {
  const session = new SessionHandler(db);
  const contributions = new ContributionsHandler(db);
  const isLoggedIn = session.isLoggedInMiddleware;

  app.get('/login', session.displayLoginPage);
  app.post('/login', session.handleLoginRequest);
  app.get('/contributions', isLoggedIn, contributions.displayContributions);
  app.post('/contributions', isLoggedIn, contributions.handleContributionsUpdate);
  app.get('/files/:name', isLoggedIn, (req, res) => res.sendFile(req.params.name));
};
