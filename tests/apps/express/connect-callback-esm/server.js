// ES modules: registration functions imported and called inside the callback of a call
// on an imported value (a database connect), after a global login middleware.
import express from 'express';
import { MongoClient } from 'mongodb';
import registerUsers from './routes/users.js';
import registerJobs from './routes/jobs.js';
import { createClient } from 'redis';
import { requireLogin } from './lib/auth.js';

const app = express();
app.use(requireLogin);

MongoClient.connect(process.env.MONGO_URL, (err, client) => {
  if (err) throw err;
  registerUsers(app, client.db());
  app.listen(3000);
});

// The same through a promise's `then`.
createClient().connect().then((redis) => registerJobs(app, redis));
