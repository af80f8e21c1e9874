exports.create = (req, res) => { res.send(req.body); };
exports.findAll = (req, res) => { res.send([]); };
exports.findOne = (req, res) => { res.send({ id: req.params.id }); };
exports.deleteAll = (req, res) => { res.send({}); };
