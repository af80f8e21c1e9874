const jwt = require("jsonwebtoken");
verifyToken = (req, res, next) => {
  let token = req.headers["x-access-token"];
  if (!token) { return res.status(403).send({ message: "No token provided!" }); }
  jwt.verify(token, "secret", (err, decoded) => {
    if (err) { return res.status(401).send({ message: "Unauthorized!" }); }
    req.userId = decoded.id;
    next();
  });
};
isAdmin = (req, res, next) => { next(); };
const authJwt = { verifyToken: verifyToken, isAdmin: isAdmin };
module.exports = authJwt;
