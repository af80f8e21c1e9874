// Session and login middleware.
exports.session = () => (req, res, next) => next();
exports.requireLogin = function requireLogin(req, res, next) {
  if (!req.user) return res.sendStatus(401);
  return next();
};
