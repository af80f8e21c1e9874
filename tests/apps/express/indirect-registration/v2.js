const express = require('express');
module.exports = () => {
  const r = express.Router();
  r.get('/ping', (req, res) => res.end());
  return r;
};
