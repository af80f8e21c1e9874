// Merges its parent's params: :memberId, and :projectId because members merges too.
const express = require('express');

const router = express.Router({ mergeParams: true });

router.get('/', (req, res) => {
  res.json({ project: req.params.projectId, member: req.params.memberId });
});

module.exports = router;
