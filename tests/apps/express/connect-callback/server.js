// The app is handed to the route module inside a database-connect callback, and a
// middleware mount uses path-to-regexp pattern syntax (a negative lookahead).
const express = require('express');
const { MongoClient } = require('mongodb');
const routes = require('./routes');

const app = express();

MongoClient.connect(process.env.MONGO_URL, (err, db) => {
  if (err) throw err;
  app.use(express.json());
  app.use('/files(?!/private)/:name', logDownload);
  routes(app, db);
  app.listen(3000);
});

function logDownload(req, res, next) {
  console.log('download', req.params.name);
  next();
}
