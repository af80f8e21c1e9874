// Invoices controller (prototype methods only).
function InvoicesController(db) {
  this.db = db;
}
InvoicesController.prototype.index = function (req, res) {
  res.json([]);
};
InvoicesController.prototype.show = function (req, res) {
  res.json({ id: req.params.invoiceId });
};
module.exports = InvoicesController;
