const { Router } = require('express');
module.exports = function makeAdmin(opts) {
  const r = Router({ mergeParams: true });
  r.get('/stats', (req, res) => res.json(opts));
  return r;
};
