// TypeScript app with class controllers, router.route() chains and a class-based router.
import express, { Application } from 'express';
import projectRoutes from './routes/projects';
import { AdminRoutes } from './routes/admin';
import { requireLogin } from '@/middleware/auth';

export function createApp(): Application {
  const app = express();
  app.use(express.json());
  app.use('/projects', requireLogin, projectRoutes);
  app.use('/admin', new AdminRoutes().router);
  return app;
}
