// Authorization: a user may view the projects of their organisation.
import { db } from "./db.js";

export async function canView(userId: string, projectId: string): Promise<boolean> {
  const user = db.users.get(userId);
  const project = db.projects.get(projectId);
  return user !== undefined && project !== undefined && user.orgId === project.orgId;
}
