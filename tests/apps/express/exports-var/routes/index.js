var SessionHandler = require("./session");
var ErrorHandler = require("./error").errorHandler;

var exports = function(app, db) {
    "use strict";
    var sessionHandler = new SessionHandler(db);
    var isLoggedIn = sessionHandler.isLoggedInMiddleware;
    app.get("/", sessionHandler.displayWelcomePage);
    app.get("/dashboard", isLoggedIn, sessionHandler.displayWelcomePage);
    app.get("/learn", isLoggedIn, function(req, res, next) {
        return res.redirect(req.query.url);
    });
    app.use(ErrorHandler);
};

module.exports = exports;
