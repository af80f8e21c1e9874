// Constructor-function controller: methods on `this` and on the prototype.
function UsersController(db) {
  this.db = db;
  this.list = async function (req, res) {
    res.json(await db.users.all());
  };
  this.show = async (req, res) => {
    const user = await db.users.find(req.params.userId);
    if (!user) return res.sendStatus(404);
    res.json(user);
  };
}

UsersController.prototype.update = async function (req, res) {
  await this.db.users.update(req.params.userId, req.body);
  res.sendStatus(204);
};

module.exports = UsersController;
