// The report example with a task move that checks the destination the body names too
// (the fixed shape of `move-dest/`).
import express from "express";
import type { Request, Response } from "express";
import * as audit from "./audit.js";
import { currentUser, requireAdmin, requireLogin } from "./auth.js";
import * as logger from "./logger.js";
import * as membership from "./membership.js";
import * as reports from "./reports.js";
import * as tasks from "./tasks.js";

export function createApp(): express.Express {
  const app = express();
  app.set("env", "production");

  app.get("/health", (_req, res) => {
    res.send({ ok: true });
  });

  app.get("/projects/:projectId/report", requireLogin, async (req: Request<{ projectId: string }>, res: Response) => {
    if (!(await membership.canView(req.user!.id, req.params.projectId))) {
      return res.status(403).send({ error: "Forbidden" });
    }
    const report = await reports.buildProjectReport(req.params.projectId);
    return res.send(report);
  });

  app.get("/projects/:projectId/tasks/:taskId", requireLogin, async (req: Request<{ projectId: string; taskId: string }>, res: Response) => {
    if (!(await membership.canView(req.user!.id, req.params.projectId))) {
      return res.status(403).send({ error: "Forbidden" });
    }
    const task = await tasks.findInProject(req.params.projectId, req.params.taskId);
    if (task === undefined) {
      return res.status(404).send({ error: "Not found" });
    }
    return res.send(await reports.buildTaskReport(task));
  });

  // Admins only: the organisation's report, behind the role guard.
  app.get("/admin/reports", requireLogin, requireAdmin, async (req: Request, res: Response) => {
    return res.send(await reports.buildOrgReport(req.user!.orgId));
  });

  // Every export is audited, after the membership check.
  app.get("/projects/:projectId/export", requireLogin, async (req: Request<{ projectId: string }>, res: Response) => {
    if (!(await membership.canView(req.user!.id, req.params.projectId))) {
      return res.status(403).send({ error: "Forbidden" });
    }
    await audit.record("export", { projectId: req.params.projectId, userId: req.user!.id });
    return res.send(await reports.buildProjectReport(req.params.projectId));
  });

  // A task moves to the project the body names.
  app.post("/projects/:projectId/tasks/:taskId/move", requireLogin, express.json(), async (req: Request<{ projectId: string; taskId: string }>, res: Response) => {
    if (!(await membership.canView(req.user!.id, req.params.projectId))) {
      return res.status(403).send({ error: "Forbidden" });
    }
    const toProjectId: unknown = req.body?.toProjectId;
    if (typeof toProjectId !== "string") {
      return res.status(400).send({ error: "toProjectId is required" });
    }
    if (!(await membership.canView(req.user!.id, toProjectId))) {
      return res.status(403).send({ error: "Forbidden" });
    }
    const task = await tasks.findInProject(req.params.projectId, req.params.taskId);
    if (task === undefined) {
      return res.status(404).send({ error: "Not found" });
    }
    await tasks.move(task.id, toProjectId);
    return res.status(204).end();
  });

  // A new task in the project, after the membership check.
  app.post("/projects/:projectId/tasks", requireLogin, express.json(), async (req: Request<{ projectId: string }>, res: Response) => {
    if (!(await membership.canView(req.user!.id, req.params.projectId))) {
      return res.status(403).send({ error: "Forbidden" });
    }
    const title: unknown = req.body?.title;
    if (typeof title !== "string" || title === "") {
      return res.status(400).send({ error: "title is required" });
    }
    const task = await tasks.create(req.params.projectId, title);
    return res.status(201).send(await reports.buildTaskReport(task));
  });

  // The caller's own profile, without its password hash.
  app.get("/me", requireLogin, async (req: Request, res: Response) => {
    const user = await currentUser(req.user!.id);
    logger.info("profile read", { userId: user.id });
    return res.send({ id: user.id, orgId: user.orgId, role: user.role });
  });

  return app;
}
