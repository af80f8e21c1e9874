// Single-file Express app: every registration form in one module.
const express = require('express');
const helmet = require('helmet');
const passport = require('passport');
const db = require('./db');

const app = express();
const API = '/api';
const V1 = `${API}/v1`;

app.use(express.json());
app.use(helmet());

function requireLogin(req, res, next) {
  if (!req.user) {
    return res.status(401).json({ error: 'login required' });
  }
  next();
}

function requireAdmin(req, res, next) {
  if (req.user.role !== 'admin') return next(new Error('forbidden'));
  next();
}

const asyncHandler = (fn) => (req, res, next) => Promise.resolve(fn(req, res, next)).catch(next);

// Public routes, registered before the login middleware.
app.get('/health', (req, res) => res.send('ok'));
app.post('/login', passport.authenticate('local'), (req, res) => res.json({ ok: true }));

app.use(requireLogin);

async function listProjects(req, res) {
  const projects = await db.projects.list(req.user.id);
  res.json(projects);
}

app.get(`${V1}/projects`, listProjects);
app.get(V1 + '/projects/:projectId', asyncHandler(async (req, res) => {
  const { projectId } = req.params;
  res.json(await db.projects.find(projectId));
}));
app.delete('/api/v1/projects/:projectId', [requireAdmin], asyncHandler(deleteProject));
app.all('/api/v1/ping', (req, res) => res.sendStatus(204));
app.get('/files/*', (req, res) => res.sendFile(req.params[0]));
app.get('/docs{/:section}', (req, res) => res.send(req.params.section));
app.get(/^\/legacy\/.*$/, (req, res) => res.redirect('/'));

app.use('/admin', requireAdmin);
app.get('/admin/stats', (req, res) => res.json({}));

async function deleteProject(req, res) {
  await db.projects.remove(req.params.projectId);
  res.status(204).end();
}

app.listen(3000);
