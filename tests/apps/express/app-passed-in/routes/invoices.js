// Invoice routes: arrow-function module with a local router.
const express = require('express');
const InvoicesController = require('../controllers/invoices');
const auth = require('../lib/auth');

module.exports = (app, db) => {
  const router = express.Router();
  const invoices = new InvoicesController(db);
  router.use(auth.requireLogin);
  router.get('/', invoices.index);
  router.get('/:invoiceId', invoices.show);
  app.use('/invoices', router);
};
