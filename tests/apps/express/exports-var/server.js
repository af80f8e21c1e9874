// A route module assigned to a local named `exports`, called from a database-connect
// callback after a static file server; the error handler is not a route.
var express = require('express'),
    app = express(),
    MongoClient = require('mongodb').MongoClient,
    routes = require('./routes'),
    config = require('./config');

MongoClient.connect(config.db, function(err, db) {
    "use strict";
    if (err) throw err;
    app.set('view engine', 'html');
    app.use(express.static(__dirname + '/assets'));
    app.use(express.bodyParser());
    routes(app, db);
    app.listen(config.port);
});
