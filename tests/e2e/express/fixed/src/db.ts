// An in-memory store standing in for the app's database.

export interface User {
  id: string;
  orgId: string;
  /** The project the user last worked in; kept in the session. */
  defaultProjectId: string;
  /** `admin` may use the admin routes; `member` may not. */
  role: "admin" | "member";
  /** Never sent to anyone, never logged. */
  passwordHash: string;
  /** Shown to the user's colleagues; set by the profile routes of the `body-id` variants. */
  displayName?: string;
}

export interface Project {
  id: string;
  orgId: string;
  name: string;
  /** Confidential notes that only members may read. */
  secretNotes: string;
}

export interface Task {
  id: string;
  projectId: string;
  title: string;
  /** Confidential notes that only members of the task's project may read. */
  secretNotes: string;
}

export const db = {
  users: new Map<string, User>(),
  projects: new Map<string, Project>(),
  tasks: new Map<string, Task>(),
  /** Session token → user id. */
  sessions: new Map<string, string>(),
  /** Audit events, oldest first. */
  auditLog: [] as Record<string, string>[],
};

let counter = 0;

/** A fresh id such as `project_7`. */
export function newId(prefix: string): string {
  counter += 1;
  return `${prefix}_${counter}`;
}
