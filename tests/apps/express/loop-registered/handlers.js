// Handlers for the loop-registered routes.
exports.listItems = (req, res) => res.json([]);
exports.createItem = (req, res) => res.status(201).json(req.body);
exports.deleteItem = (req, res) => res.sendStatus(204);
exports.status = (req, res) => res.send('ok');
