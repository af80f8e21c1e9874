// Projects router with a nested tasks router that sees :projectId (mergeParams).
import express from 'express';
import tasks from './tasks.js';
import { loadProject } from '../middleware/load.js';
import * as membership from '../membership.js';

const projects = express.Router();
projects.param('projectId', loadProject);

projects.get('/', async (req, res) => {
  res.json([]);
});

projects.get('/:projectId', async (req, res) => {
  if (!(await membership.canView(req.user.id, req.params.projectId))) {
    return res.status(403).send({ error: 'Forbidden' });
  }
  res.json(req.project);
});

projects.use('/:projectId/tasks', tasks);

export default projects;
