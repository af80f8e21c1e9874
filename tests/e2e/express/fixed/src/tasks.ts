// Task lookups (scoped to a project, and for internal use by id alone) and creation.
import { db, newId } from "./db.js";
import type { Task } from "./db.js";

/** The task `taskId` if it belongs to project `projectId`. */
export async function findInProject(projectId: string, taskId: string): Promise<Task | undefined> {
  const task = db.tasks.get(taskId);
  return task !== undefined && task.projectId === projectId ? task : undefined;
}

/** The tasks of project `projectId` among `taskIds`. */
export async function listInProject(projectId: string, taskIds: string[]): Promise<Task[]> {
  return taskIds.flatMap((id) => {
    const task = db.tasks.get(id);
    return task !== undefined && task.projectId === projectId ? [task] : [];
  });
}

/** The task `taskId` of project `projectId`; throws when there is none. */
export async function findStrict(projectId: string, taskId: string): Promise<Task> {
  const task = await findInProject(projectId, taskId);
  if (task === undefined) {
    throw new Error("task not found");
  }
  return task;
}

/** The task `taskId`, whatever its project. */
export async function findById(taskId: string): Promise<Task | undefined> {
  return db.tasks.get(taskId);
}

/** A new task in project `projectId`. */
export async function create(projectId: string, title: string): Promise<Task> {
  const task = { id: newId("task"), projectId, title, secretNotes: "" };
  db.tasks.set(task.id, task);
  return task;
}

/** Moves task `taskId` into project `toProjectId`. */
export async function move(taskId: string, toProjectId: string): Promise<void> {
  const task = db.tasks.get(taskId);
  if (task !== undefined) {
    task.projectId = toProjectId;
  }
}
