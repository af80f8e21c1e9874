function SessionHandler(db) {
    "use strict";
    this.isLoggedInMiddleware = function(req, res, next) {
        if (req.session.userId) { return next(); }
        return res.redirect("/login");
    };
    this.displayWelcomePage = function(req, res, next) {
        return res.render("dashboard", { userId: req.session.userId });
    };
}
module.exports = SessionHandler;
