// No mergeParams: req.params.projectId is undefined in these handlers.
const { Router } = require('express');
const membership = require('../membership');

const router = Router();

router.get('/', async (req, res) => {
  if (!(await membership.canView(req.user.id, req.params.projectId))) return res.sendStatus(403);
  res.json([]);
});

// Declaring the parameter again makes it the router's own.
router.get('/:projectId/latest', async (req, res) => {
  res.json({ project: req.params.projectId });
});

module.exports = router;
