function ContributionsHandler(db) {
  const contributions = db.collection('contributions');
  this.displayContributions = (req, res) => {
    contributions.findOne({ userId: req.session.userId }, (err, doc) => res.render('contributions', doc));
  };
  this.handleContributionsUpdate = (req, res) => {
    contributions.updateOne({ userId: req.session.userId }, { $set: req.body }, () => res.redirect('/contributions'));
  };
}

module.exports = ContributionsHandler;
