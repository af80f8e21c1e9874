// A class-based router: the router is a field, routes are registered in the constructor.
import { Router, Request, Response } from 'express';
import { requireRole } from '../middleware/auth';

export class AdminRoutes {
  public router: Router = Router();

  constructor() {
    this.router.use(requireRole('admin'));
    this.router.get('/stats', this.stats);
  }

  private stats = async (req: Request, res: Response): Promise<void> => {
    res.json({ users: 0 });
  };
}
