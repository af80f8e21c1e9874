// Routes registered over the keys of an object literal inside a registration function:
// with `forEach` on `Object.keys` (and `Object.values`) as with `for..of`.
const express = require('express');
const registerReports = require('./reports');

const app = express();
app.use(requireLogin);
registerReports(app);
app.listen(8080);

function requireLogin(req, res, next) {
  if (!req.user) return res.sendStatus(401);
  next();
}
