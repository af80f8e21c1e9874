// A generic CRUD registration: the base path is an argument.
export default function registerCrud(app, base, collection) {
  app.get(base, async (req, res) => res.json(await collection.find().toArray()));
  app.get(base + '/:id', async (req, res) => res.json(await collection.findOne({ _id: req.params.id })));
}
