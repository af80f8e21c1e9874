const authJwt = require("./authJwt");
module.exports = { authJwt };
