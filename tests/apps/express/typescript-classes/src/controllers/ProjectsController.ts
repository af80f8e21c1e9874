// Class controller with an injected service.
import { Request, Response } from 'express';
import { ReportService } from '../services/ReportService';
import * as membership from '../services/membership';

export class ProjectsController {
  constructor(private readonly reports: ReportService) {}

  show = async (req: Request, res: Response) => {
    res.json({ id: req.params.projectId });
  };

  update = async (req: Request, res: Response) => {
    res.sendStatus(204);
  };

  async remove(req: Request, res: Response): Promise<void> {
    res.sendStatus(204);
  }

  report = async (req: Request, res: Response) => {
    const report = await this.reports.build(req.params.projectId);
    if (!(await membership.canView(req.user!.id, req.params.projectId))) {
      res.status(403).json({ error: 'Forbidden' });
      return;
    }
    res.json(report);
  };
}
