// Routes registered in loops: over literal arrays (resolved) and over a computed list (unresolved).
const express = require('express');
const handlers = require('./handlers');
const { loadRoutes } = require('./config');

const app = express();

const routes = [
  { method: 'get', path: '/items', handler: handlers.listItems },
  { method: 'post', path: '/items', handler: handlers.createItem },
  { method: 'delete', path: '/items/:itemId', handler: handlers.deleteItem },
];

for (const { method, path, handler } of routes) {
  app[method](path, handler);
}

['/status', '/healthz'].forEach((p) => {
  app.get(p, handlers.status);
});

for (const r of loadRoutes()) {
  app[r.method](r.path, r.handler);
}

app.listen(8080);
