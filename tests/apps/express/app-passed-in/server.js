// CommonJS app whose route modules receive the app: `module.exports = (app, db) => {...}`.
const express = require('express');
const db = require('./lib/db');
const auth = require('./lib/auth');

const app = express();
app.use(express.urlencoded({ extended: false }));
app.use(auth.session());

require('./routes/users')(app, db);
const registerInvoices = require('./routes/invoices');
registerInvoices(app, db);

module.exports = app;
