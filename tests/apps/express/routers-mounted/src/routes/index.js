// The API router: mounts the feature routers.
import { Router } from 'express';
import projects from './projects.js';
import { usersRouter } from './users.js';

const router = Router();
router.use('/projects', projects);
router.use('/users', usersRouter);

export default router;
