// Project routes as route() chains on a class controller instance.
import { Router } from 'express';
import { ProjectsController } from '../controllers/ProjectsController';
import { ReportService } from '../services/ReportService';
import { requireRole } from '../middleware/auth';

const router = Router();
const controller = new ProjectsController(new ReportService());

router
  .route('/:projectId')
  .get(controller.show)
  .put(requireRole('editor'), controller.update)
  .delete(requireRole('owner'), (req, res) => controller.remove(req, res));

router.route('/:projectId/report').all(requireRole('viewer')).get(controller.report);

export default router;
