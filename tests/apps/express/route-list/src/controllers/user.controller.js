const catchAsync = (fn) => (req, res, next) => Promise.resolve(fn(req, res, next)).catch(next);
const createUser = catchAsync(async (req, res) => { res.status(201).send(req.body); });
const getUsers = catchAsync(async (req, res) => { res.send([]); });
const getUser = catchAsync(async (req, res) => { res.send({ id: req.params.userId }); });
module.exports = { createUser, getUsers, getUser };
