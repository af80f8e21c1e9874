// Routers nested under a parameter of their mount path, with and without mergeParams.
const express = require('express');
const members = require('./routes/members');
const files = require('./routes/files');

const app = express();
app.use('/projects/:projectId/members', members);
app.use('/projects/:projectId/files', files);

module.exports = app;
