// The expensive, sensitive work: reading a project's data into a report.
import { db } from "./db.js";
import type { Task } from "./db.js";

export interface Report {
  projectId: string;
  name: string;
  secretNotes: string;
}

export async function buildProjectReport(projectId: string): Promise<Report> {
  const project = db.projects.get(projectId);
  return {
    projectId,
    name: project?.name ?? "",
    secretNotes: project?.secretNotes ?? "",
  };
}

export interface TaskReport {
  taskId: string;
  title: string;
  secretNotes: string;
}

export async function buildTaskReport(task: Task): Promise<TaskReport> {
  return { taskId: task.id, title: task.title, secretNotes: task.secretNotes };
}

export interface OrgReport {
  orgId: string;
  projects: number;
}

export async function buildOrgReport(orgId: string): Promise<OrgReport> {
  const projects = [...db.projects.values()].filter((p) => p.orgId === orgId).length;
  return { orgId, projects };
}
