exports.list = (req, res) => res.json([]);
exports.show = (req, res) => res.json({ id: req.params.id });
exports.create = (req, res) => res.status(201).json(req.body);
exports.update = (req, res) => res.json(req.body);
// No `remove`: the DELETE route's handler cannot be resolved.
