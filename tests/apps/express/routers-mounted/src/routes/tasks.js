// Tasks router, mounted under a project.
import { Router } from 'express';
import { canEdit as mayEdit } from '../membership.js';

const tasks = Router({ mergeParams: true });

tasks.get('/', (req, res) => res.json([]));
tasks.post('/:taskId/done', async (req, res, next) => {
  if (!(await mayEdit(req.user.id, req.params.projectId))) return next(new Error('forbidden'));
  res.sendStatus(204);
});

export default tasks;
