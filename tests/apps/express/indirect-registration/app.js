// Routes registered indirectly: a project helper called with literal arguments, loops over
// object keys and literal arrays, routers returned by factory functions.
const express = require('express');
const { registerCrud } = require('./crud');
const makeAdmin = require('./admin');
const app = express();
const router = express.Router();
const users = { list: (req, res) => res.json([]), show: (req, res) => res.json({}) };
registerCrud(router, 'users', users);
registerCrud(router, 'teams', users);
const handlers = { '/a': (req, res) => res.end(), '/b': (req, res) => res.end() };
for (const p of Object.keys(handlers)) router.get(p, handlers[p]);
for (const p in handlers) router.post(p, handlers[p]);
['x', 'y'].forEach((n) => router.delete(`/${n}`, (req, res) => res.end()));
app.use('/api', router);
app.use('/admin', makeAdmin({ role: 'admin' }));
app.use('/v2', require('./v2')());
