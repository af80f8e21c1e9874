// The secprop test harness (HARNESS_API 1) for the report example: the adapter between
// the tests secprop generates and this Express app. User-owned; secprop never rewrites it.
//
// How side effects are observed: vi.mock(path, { spy: true }) replaces every export of
// the module with a spy that still runs the real function. vitest hoists the call above
// the imports of this file, so the app, imported below, gets the spies. Spies made this
// way survive vitest's restoreMocks, mockReset and clearMocks options (this project turns
// all three on in vitest.config.ts), and calls() checks on every use that they are still
// spies, so a zero-calls assertion can never pass because nothing was listening.
import { beforeEach, vi } from "vitest";
import { createApp } from "../../src/app.js";
import { db, newId } from "../../src/db.js";
import * as audit from "../../src/audit.js";
import * as logger from "../../src/logger.js";
import * as reports from "../../src/reports.js";
import * as tasks from "../../src/tasks.js";

vi.mock("../../src/reports.js", { spy: true });
vi.mock("../../src/audit.js", { spy: true });
vi.mock("../../src/logger.js", { spy: true });
vi.mock("../../src/tasks.js", { spy: true });

export const HARNESS_API = 1;

export interface Tenant {
  id: string;
}

/** Every observed function, by the call name the spec's patterns match (spec-v1 §4). */
const observed: Record<string, unknown> = {
  "reports.buildProjectReport": reports.buildProjectReport,
  "reports.buildTaskReport": reports.buildTaskReport,
  "reports.buildOrgReport": reports.buildOrgReport,
  "audit.record": audit.record,
  "tasks.move": tasks.move,
  "logger.info": logger.info,
};

/** Sensitive field values for objects created from now on (`seed`). */
let canaries: Record<string, string> = {};

/** The project each tenant's next task goes into: the generated tests create a route's
 *  objects in path order, so `/projects/{projectId}/tasks/{taskId}` gets a task inside
 *  the project just created for the same tenant. */
let latestProject = new Map<string, string>();

beforeEach(() => {
  canaries = {};
  latestProject = new Map();
});

export function app(): unknown {
  return createApp();
}

/** A tenant is an organisation; its projects are the objects routes name. */
export function tenant(): Tenant {
  return { id: newId("org") };
}

function newProject(orgId: string): string {
  const id = newId("project");
  db.projects.set(id, {
    id,
    orgId,
    name: `Project ${id}`,
    secretNotes: canaries.secretNotes ?? "nothing to see",
  });
  return id;
}

/** A user of `opts.tenant`: an admin unless `opts.role` names another role or
 *  `opts.without` lists `admin` (a user holding none of those roles). */
export function actor(opts: { tenant: Tenant; role?: string; without?: string[] }): { headers: Record<string, string> } {
  const id = newId("user");
  const home = newProject(opts.tenant.id);
  const admin = (opts.role ?? "admin") === "admin" && !(opts.without ?? []).includes("admin");
  db.users.set(id, {
    id,
    orgId: opts.tenant.id,
    defaultProjectId: home,
    role: admin ? "admin" : "member",
    // Seeded like every sensitive field; the token below keeps working whatever it is.
    passwordHash: canaries.passwordHash ?? "argon2id$nothing-to-see",
  });
  const token = newId("token");
  db.sessions.set(token, id);
  return { headers: { authorization: `Bearer ${token}` } };
}

export function anonymous(): { headers: Record<string, string> } {
  return { headers: {} };
}

/** The user whose credentials these are (the session behind the bearer token). */
function userOf(actor: { headers: Record<string, string> }): string | undefined {
  return db.sessions.get((actor.headers.authorization ?? "").replace(/^Bearer /, ""));
}

/** A new object of `owner` for route parameter (or request field) `param`; `actor`, the
 *  credentials of one of its users, owns it when given (caller-owned objects). */
export function createObject(param: string, owner: Tenant, actor?: { headers: Record<string, string> }): string {
  if (param === "body.id") {
    // The profile routes name a user: the owning actor's own.
    const id = actor === undefined ? undefined : userOf(actor);
    if (id === undefined) {
      throw new Error("harness.createObject: body.id is a user, owned by the actor passed as third argument");
    }
    return id;
  }
  if (param === "body.toProjectId") {
    // A move's destination: another project of the same tenant.
    return newProject(owner.id);
  }
  if (param === "projectId") {
    const project = newProject(owner.id);
    latestProject.set(owner.id, project);
    return project;
  }
  if (param === "taskId") {
    const projectId = latestProject.get(owner.id) ?? createObject("projectId", owner);
    const id = newId("task");
    db.tasks.set(id, {
      id,
      projectId,
      title: `Task ${id}`,
      secretNotes: canaries.secretNotes ?? "nothing to see",
    });
    return id;
  }
  throw new Error(`harness.createObject: no object kind for route parameter ${param}`);
}

export function seed(field: string, value: string): void {
  canaries[field] = value;
}

/** Whether call pattern `pattern` matches `name` by trailing segments (spec-v1 §4). */
function patternMatches(pattern: string, name: string): boolean {
  const p = pattern.replace(/^\^/, "").split(".");
  const n = name.split(".");
  const many = p[p.length - 1] === "*" || p[p.length - 1] === "**";
  const fixed = many ? p.slice(0, -1) : p;
  for (let start = 0; start <= n.length - fixed.length; start++) {
    if (pattern.startsWith("^") && start > 0) {
      break;
    }
    const ok = fixed.every((seg, i) => seg === "*" || seg === n[start + i]);
    const rest = n.length - start - fixed.length;
    if (ok && (many || rest === 0)) {
      return true;
    }
  }
  return false;
}

export function calls(pattern: string): unknown[] | null {
  const names = Object.keys(observed).filter((n) => patternMatches(pattern, n));
  if (names.length === 0) {
    return null;
  }
  const out: unknown[] = [];
  for (const name of names) {
    const fn = observed[name];
    if (!vi.isMockFunction(fn)) {
      throw new Error(`harness: ${name} is not a spy: is vi.mock() still at the top of the harness?`);
    }
    out.push(...fn.mock.calls);
  }
  return out;
}

/** The sink channels of the spec, by the call patterns that feed them. */
const sinks: Record<string, string> = { logs: "logger.*" };

export function captured(channel: string): unknown[] | null {
  const pattern = sinks[channel];
  return pattern === undefined ? null : calls(pattern);
}

/** A valid body for the routes that take one; `request` says whose request it is, so the
 *  title names the tenant (HARNESS_API 1's three-argument form). */
export function validBody(
  method: string,
  path: string,
  request: { params: Record<string, string>; tenant: Tenant; actor: { headers: Record<string, string> } },
): unknown {
  if (method === "POST" && path === "/me/profile") {
    // The caller's own profile: a success-path body names the caller.
    return { id: userOf(request.actor), displayName: `A user of ${request.tenant.id}` };
  }
  if (method === "POST" && path === "/projects/{projectId}/tasks/{taskId}/move") {
    // A success-path move stays inside the request's own project.
    return { toProjectId: request.params.projectId };
  }
  if (method === "POST" && path === "/projects/{projectId}/tasks") {
    return { title: `A task of ${request.tenant.id} in ${request.params.projectId}` };
  }
  throw new Error(`harness.validBody: no body for ${method} ${path}`);
}
