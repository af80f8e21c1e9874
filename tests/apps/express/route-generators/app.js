// Routes made by library calls (context.route_generators): a CRUD registrar taking the
// router, a prefix and a controller; express-resource's app.resource(name, controller);
// a resource helper whose paths are an `endpoints` option. Each generated route gets
// the chain of the app and routers like a literal one.
const express = require('express');
const crud = require('express-crud-router');
const rest = require('mini-rest');
require('express-resource');
const { requireLogin } = require('./auth');
const users = require('./controllers/users');
const controllers = require('./controllers');

const app = express();
const api = express.Router();
api.use(requireLogin);

crud.register(api, '/users', users);
for (const name of ['teams', 'tags']) {
  crud.register(api, `/${name}`, controllers[name]);
}
rest.resource(api, { model: 'Post', endpoints: ['/posts', '/posts/:postId'] });

app.use('/api', api);
app.resource('forums', require('./controllers/forums'));

module.exports = app;
