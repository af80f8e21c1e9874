// The report example with login but no membership check at all.
import express from "express";
import type { Request, Response } from "express";
import { requireLogin } from "./auth.js";
import * as reports from "./reports.js";

export function createApp(): express.Express {
  const app = express();
  app.set("env", "production");

  app.get("/health", (_req, res) => {
    res.send({ ok: true });
  });

  app.get("/projects/:projectId/report", requireLogin, async (req: Request<{ projectId: string }>, res: Response) => {
    const report = await reports.buildProjectReport(req.params.projectId);
    return res.send(report);
  });

  return app;
}
