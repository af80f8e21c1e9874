// The node-express-boilerplate shape: routers mounted from a literal array of { path, route }
// with forEach, guard factories in route() chains, a 404 middleware that continues with an
// error (not a route) and an explicit OPTIONS route.
const express = require('express');
const helmet = require('helmet');
const cors = require('cors');
const passport = require('passport');
const routes = require('./routes/v1');
const config = require('./config');
const { authLimiter } = require('./middlewares/rateLimiter');

const app = express();
app.use(helmet());
app.use(express.json());
app.use(cors());
app.options('*', cors());
app.use(passport.initialize());
if (config.env === 'production') {
  app.use('/v1/auth', authLimiter);
}
app.use('/v1', routes);
app.use((req, res, next) => {
  next(new Error('Not found'));
});
app.use((err, req, res, next) => res.status(500).send(err.message));
module.exports = app;
