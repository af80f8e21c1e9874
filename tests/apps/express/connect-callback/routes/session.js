function SessionHandler(db) {
  this.isLoggedInMiddleware = (req, res, next) => {
    if (req.session.userId) return next();
    return res.redirect('/login');
  };
  this.displayLoginPage = (req, res) => res.render('login');
  this.handleLoginRequest = (req, res) => {
    req.session.userId = req.body.userName;
    return res.redirect('/contributions');
  };
}

module.exports = SessionHandler;
