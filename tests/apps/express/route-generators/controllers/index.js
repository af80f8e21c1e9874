const make = (kind) => ({
  list: (req, res) => res.json([kind]),
  show: (req, res) => res.json({ kind, id: req.params.id }),
  create: (req, res) => res.status(201).end(),
  update: (req, res) => res.end(),
  remove: (req, res) => res.status(204).end(),
});
exports.teams = {
  list: (req, res) => res.json([]),
  show: (req, res) => res.json({}),
  create: (req, res) => res.status(201).end(),
  update: (req, res) => res.end(),
  remove: (req, res) => res.status(204).end(),
};
// An object returned by a factory call is not followed: these routes are unresolved.
exports.tags = make('tag');
