// Login: resolves the bearer token to a user, or answers 401; the admin role guard.
import type { NextFunction, Request, Response } from "express";
import { db } from "./db.js";
import type { User } from "./db.js";

declare global {
  // Express's own augmentation point for the authenticated user.
  // eslint-disable-next-line @typescript-eslint/no-namespace
  namespace Express {
    interface Request {
      user?: { id: string; orgId: string; defaultProjectId: string; role: "admin" | "member" };
    }
  }
}

export function requireLogin(req: Request, res: Response, next: NextFunction): void {
  const header = req.get("authorization") ?? "";
  const token = header.startsWith("Bearer ") ? header.slice("Bearer ".length) : "";
  const userId = db.sessions.get(token);
  const user = userId === undefined ? undefined : db.users.get(userId);
  if (user === undefined) {
    res.status(401).send({ error: "Unauthorized" });
    return;
  }
  req.user = { id: user.id, orgId: user.orgId, defaultProjectId: user.defaultProjectId, role: user.role };
  next();
}

/** After `requireLogin`: lets admins through, answers 403 to everyone else. */
export function requireAdmin(req: Request, res: Response, next: NextFunction): void {
  if (req.user?.role !== "admin") {
    res.status(403).send({ error: "Admins only" });
    return;
  }
  next();
}

/** The stored record of the logged-in user `id`, password hash included. */
export async function currentUser(id: string): Promise<User> {
  const user = db.users.get(id);
  if (user === undefined) {
    throw new Error(`no user ${id}`);
  }
  return user;
}
