// Task lookups: scoped to a project, and (for internal use) by id alone.
import { db } from "./db.js";
import type { Task } from "./db.js";

/** The task `taskId` if it belongs to project `projectId`. */
export async function findInProject(projectId: string, taskId: string): Promise<Task | undefined> {
  const task = db.tasks.get(taskId);
  return task !== undefined && task.projectId === projectId ? task : undefined;
}

/** The task `taskId`, whatever its project. */
export async function findById(taskId: string): Promise<Task | undefined> {
  return db.tasks.get(taskId);
}
