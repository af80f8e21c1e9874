// Sees the parent's :projectId (mergeParams), and nests comments under :memberId.
const express = require('express');
const membership = require('../membership');
const comments = require('./comments');

const router = express.Router({ mergeParams: true });

router.get('/', async (req, res) => {
  if (!(await membership.canView(req.user.id, req.params.projectId))) return res.sendStatus(403);
  res.json([]);
});

router.use('/:memberId/comments', comments);

module.exports = router;
