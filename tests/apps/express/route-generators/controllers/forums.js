exports.index = (req, res) => res.json([]);
exports.show = (req, res) => res.json({ id: req.params.forum });
exports.create = (req, res) => res.status(201).end();
exports.destroy = (req, res) => res.status(204).end();
