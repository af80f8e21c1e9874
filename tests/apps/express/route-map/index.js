// Routes registered through a project helper that walks an object map and calls
// `app[method](path, fn)` (the shape of Express's route-map example): never dropped, listed
// unresolved; Express 4 repeated parameters (`:file+`) are catch-alls.
const express = require('express');
const app = (module.exports = express());

app.map = function (a, route) {
  route = route || '';
  for (const key in a) {
    switch (typeof a[key]) {
      case 'object':
        app.map(a[key], route + key);
        break;
      case 'function':
        app[key](route, a[key]);
        break;
    }
  }
};

const users = {
  list(req, res) {
    res.send('user list');
  },
  get(req, res) {
    res.send('user ' + req.params.uid);
  },
};

app.map({
  '/users': {
    get: users.list,
    '/:uid': { get: users.get },
  },
});

app.get('/files/:file+', (req, res, next) => {
  res.download(req.params.file, { root: 'files' }, (err) => err && next(err));
});
app.get('/files/:name.:ext', (req, res) => res.sendFile(req.params.name));
