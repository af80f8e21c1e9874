const reports = {
  daily: (req, res) => res.json({ period: 'day' }),
  weekly: (req, res) => res.json({ period: 'week' }),
};

const exports_ = {
  csv: { path: '/export/csv', handler: (req, res) => res.type('csv').send('') },
  pdf: { path: '/export/pdf', handler: (req, res) => res.type('pdf').send('') },
};

module.exports = (app) => {
  Object.keys(reports).forEach((k) => app.get('/reports/' + k, reports[k]));
  Object.values(exports_).forEach((e) => {
    app.get(e.path, e.handler);
  });
  for (const k of Object.keys(reports)) {
    app.post(`/reports/${k}/refresh`, reports[k]);
  }
};
