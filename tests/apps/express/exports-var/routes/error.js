var errorHandler = function(err, req, res, next) {
    "use strict";
    res.status(500);
    res.render("error-template", { error: err });
};
exports.errorHandler = errorHandler;
