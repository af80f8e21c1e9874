//! The synthetic Express codebase `cargo xtask bench` measures: generated at run time,
//! deterministic from a seed, and recording every route it registers so the benchmark can
//! prove the scan understood the code it timed.
//!
//! Shape (what a mid-sized production API looks like): a TypeScript entry `src/app.ts`
//! mounting an API router (`/api/v1`) of feature modules (router with `route()` chains,
//! class controller, service, repository, model with types, schemas and mappers, and often
//! a nested `mergeParams` router) and a CommonJS legacy router (`/legacy`) of older modules
//! (router, object-literal controller, service, model), plus shared utilities. Files are
//! ~80–200 lines of ordinary code: classes, loops, try/catch, object literals, imports.

mod admin;

use anyhow::{Context, Result};
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

/// What the generator wrote.
pub struct Corpus {
    pub files: usize,
    pub ts_files: usize,
    pub lines: usize,
    pub bytes: usize,
    /// `METHOD /canonical/path` (spec-v1 §5) of every registered route, with whether
    /// `requireLogin` is in its chain (spec-v1 §6).
    pub routes: BTreeMap<String, bool>,
    /// The same for the second target, `admin` (`services/admin`).
    pub admin_routes: BTreeMap<String, bool>,
}

/// The spec `secprop routes` runs with: one target plus enough context and properties
/// that the command does its real per-route work (guards, selectors, public routes).
const SPEC: &str = "version: 1
targets:
  - name: api
    framework: express
    root: .
    include: [\"src/**\"]
    tests:
      runner: vitest
      out: tests/security
      harness: tests/security/harness.ts
  - name: admin
    framework: express
    root: services/admin
    tests:
      runner: vitest
      out: tests/admin
      harness: tests/admin/harness.ts
context:
  authentication: [requireLogin]
  authorization: [\"membership.canView\", \"membership.canEdit\"]
  side_effects: [\"audit.record\", \"mailer.*\"]
  data_access: [\"db.*\"]
properties:
  - id: login-required
    kind: authentication_required
    routes: [\"**\"]
  - id: no-work-before-authz
    kind: no_side_effects_before_authz
    routes: [\"* /api/v1/*/{id}/**\"]
public:
  - route: \"GET /health\"
    reason: liveness probe
  - route: \"POST /login\"
    reason: issues the session
";

/// A small, fast, well-distributed generator (SplitMix64); the corpus must be the same
/// for a seed on every machine, so no OS randomness and no external crate.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9e37_79b9_7f4a_7c15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
        z ^ (z >> 31)
    }
    fn below(&mut self, n: usize) -> usize {
        (self.next() % n as u64) as usize
    }
    fn range(&mut self, lo: usize, hi: usize) -> usize {
        lo + self.below(hi - lo + 1)
    }
    fn chance(&mut self, percent: u64) -> bool {
        self.next() % 100 < percent
    }
    /// `k` distinct items in their original order.
    fn sample<T: Copy>(&mut self, xs: &[T], k: usize) -> Vec<T> {
        let mut idx: Vec<usize> = (0..xs.len()).collect();
        for i in (1..idx.len()).rev() {
            idx.swap(i, self.below(i + 1));
        }
        let mut chosen: Vec<usize> = idx.into_iter().take(k).collect();
        chosen.sort_unstable();
        chosen.into_iter().map(|i| xs[i]).collect()
    }
}

/// Feature names (plural, singular); past the end of the list they repeat with a number.
const NOUNS: &[(&str, &str)] = &[
    ("projects", "project"),
    ("invoices", "invoice"),
    ("customers", "customer"),
    ("orders", "order"),
    ("reports", "report"),
    ("teams", "team"),
    ("documents", "document"),
    ("tickets", "ticket"),
    ("payments", "payment"),
    ("shipments", "shipment"),
    ("webhooks", "webhook"),
    ("subscriptions", "subscription"),
    ("workspaces", "workspace"),
    ("products", "product"),
    ("contracts", "contract"),
    ("campaigns", "campaign"),
    ("datasets", "dataset"),
    ("pipelines", "pipeline"),
    ("incidents", "incident"),
    ("vendors", "vendor"),
];

/// Nested resources mounted under a feature's item with `mergeParams`.
const SUBS: &[(&str, &str)] = &[
    ("comments", "comment"),
    ("attachments", "attachment"),
    ("members", "member"),
    ("notes", "note"),
    ("versions", "version"),
    ("approvals", "approval"),
];

/// Item actions: method, path suffix, handler and service method name.
const ACTIONS: &[(&str, &str, &str)] = &[
    ("post", "archive", "archive"),
    ("post", "restore", "restore"),
    ("get", "export", "exportCsv"),
    ("get", "history", "history"),
    ("post", "duplicate", "duplicate"),
    ("put", "owner", "transferOwner"),
    ("get", "stats", "stats"),
    ("post", "share", "share"),
];

/// Model fields: name, TypeScript type, a sample expression for object literals.
const FIELDS: &[(&str, &str, &str)] = &[
    ("title", "string", "input.title ?? ''"),
    ("description", "string", "input.description ?? ''"),
    ("priority", "number", "Number(input.priority ?? 0)"),
    ("dueDate", "string | null", "input.dueDate ?? null"),
    ("budget", "number", "Number(input.budget ?? 0)"),
    ("currency", "string", "input.currency ?? 'EUR'"),
    ("region", "string", "input.region ?? 'eu-west-1'"),
    ("archived", "boolean", "Boolean(input.archived)"),
    ("tags", "string[]", "[...(input.tags ?? [])]"),
    ("externalRef", "string | null", "input.externalRef ?? null"),
    (
        "score",
        "number",
        "Math.round(Number(input.score ?? 0) * 100) / 100",
    ),
    ("email", "string", "String(input.email ?? '').toLowerCase()"),
];

/// One feature module.
struct Area {
    /// `projects`, `projects2`: URL segment and file stem.
    name: String,
    /// `project`, `project2`.
    one: String,
    /// `Project`, `Project2`.
    class: String,
    /// `projectId`.
    param: String,
    fields: Vec<(&'static str, &'static str, &'static str)>,
}

impl Area {
    fn new(i: usize, rng: &mut Rng) -> Area {
        let (plural, singular) = NOUNS[i % NOUNS.len()];
        let round = i / NOUNS.len();
        let suffix = if round == 0 {
            String::new()
        } else {
            (round + 1).to_string()
        };
        let one = format!("{singular}{suffix}");
        let mut class = one.clone();
        class[..1].make_ascii_uppercase();
        let k = rng.range(4, 7);
        Area {
            name: format!("{plural}{suffix}"),
            param: format!("{one}Id"),
            one,
            class,
            fields: rng.sample(FIELDS, k),
        }
    }

    /// Replaces the template markers with this area's names.
    fn fill(&self, t: &str) -> String {
        t.replace("%name%", &self.name)
            .replace("%one%", &self.one)
            .replace("%Class%", &self.class)
            .replace("%param%", &self.param)
    }
}

struct Gen {
    rng: Rng,
    root: PathBuf,
    files: usize,
    ts_files: usize,
    lines: usize,
    bytes: usize,
    routes: BTreeMap<String, bool>,
}

impl Gen {
    fn write(&mut self, rel: &str, text: &str) -> Result<()> {
        let path = self.root.join(rel);
        if let Some(parent) = path.parent() {
            std::fs::create_dir_all(parent)
                .with_context(|| format!("creating {}", parent.display()))?;
        }
        std::fs::write(&path, text).with_context(|| format!("writing {}", path.display()))?;
        if rel.ends_with(".js") || rel.ends_with(".ts") {
            self.files += 1;
            self.ts_files += usize::from(rel.ends_with(".ts"));
            self.lines += text.lines().count();
            self.bytes += text.len();
        }
        Ok(())
    }

    /// Records a route as the frontend must list it: Express `:p` becomes `{p}`, mount
    /// prefixes are joined, a trailing `/` is removed (spec-v1 §5).
    fn route(&mut self, method: &str, prefix: &str, path: &str, guarded: bool) {
        let mut segs = Vec::new();
        for s in prefix
            .split('/')
            .chain(path.split('/'))
            .filter(|s| !s.is_empty())
        {
            segs.push(match s.strip_prefix(':') {
                Some(p) => format!("{{{p}}}"),
                None => s.to_string(),
            });
        }
        let key = format!("{} /{}", method.to_ascii_uppercase(), segs.join("/"));
        let fresh = self.routes.insert(key.clone(), guarded).is_none();
        debug_assert!(fresh, "the generator registered {key} twice");
    }
}

/// Writes a corpus of exactly `files` JavaScript/TypeScript files (at least 30) into
/// `root`, which must exist and be empty.
pub fn generate(root: &Path, files: usize, seed: u64) -> Result<Corpus> {
    let mut g = Gen {
        rng: Rng(seed),
        root: root.to_path_buf(),
        files: 0,
        ts_files: 0,
        lines: 0,
        bytes: 0,
        routes: BTreeMap::new(),
    };
    g.write("secprop.yaml", SPEC)?;
    g.write(
        "package.json",
        "{\n  \"name\": \"bench-api\",\n  \"private\": true,\n  \"dependencies\": { \"express\": \"^4.21.0\" }\n}\n",
    )?;
    g.write(".gitignore", "node_modules/\ndist/\n")?;
    // A tenth of the files form the second target, the admin service.
    admin::generate(&mut g, (files / 10).max(admin::MIN_FILES))?;
    let admin_routes = std::mem::take(&mut g.routes);
    shared(&mut g)?;
    let mut ts_areas = Vec::new();
    let mut js_areas = Vec::new();
    // Core files written at the end: app.ts, routes/index.ts, legacy/index.js.
    let reserved = 3;
    let mut i = 0;
    loop {
        let left = files.saturating_sub(g.files + reserved);
        // A TypeScript module takes up to 6 files, a legacy one 4; stop while the rest
        // can still be filled with utility files.
        if left < 6 {
            break;
        }
        let area = Area::new(i, &mut g.rng);
        i += 1;
        if g.rng.chance(70) {
            ts_area(&mut g, &area)?;
            ts_areas.push(area);
        } else {
            js_area(&mut g, &area)?;
            js_areas.push(area);
        }
    }
    let mut u = 0;
    while g.files + reserved < files {
        utility(&mut g, u)?;
        u += 1;
    }
    entry(&mut g, &ts_areas, &js_areas)?;
    Ok(Corpus {
        files: g.files,
        ts_files: g.ts_files,
        lines: g.lines,
        bytes: g.bytes,
        routes: g.routes,
        admin_routes,
    })
}

/// Middleware and libraries every module imports.
fn shared(g: &mut Gen) -> Result<()> {
    g.write(
        "src/middleware/auth.ts",
        "// Authentication and role middleware shared by every router.
import { NextFunction, Request, Response } from 'express';
import { verifySession } from '../lib/session';

export function requireLogin(req: Request, res: Response, next: NextFunction): void {
  const token = req.headers.authorization?.replace(/^Bearer /, '');
  if (!token) {
    res.status(401).json({ error: 'Unauthorized' });
    return;
  }
  const session = verifySession(token);
  if (!session) {
    res.status(401).json({ error: 'Unauthorized' });
    return;
  }
  req.user = { id: session.userId, role: session.role };
  next();
}

export const requireRole =
  (role: string) =>
  (req: Request, res: Response, next: NextFunction): void => {
    if (req.user?.role !== role && req.user?.role !== 'owner') {
      res.status(403).json({ error: 'Forbidden' });
      return;
    }
    next();
  };

export function asyncHandler<T extends (req: Request, res: Response, next: NextFunction) => Promise<unknown>>(fn: T) {
  return (req: Request, res: Response, next: NextFunction): void => {
    fn(req, res, next).catch(next);
  };
}
",
    )?;
    g.write(
        "src/middleware/validate.ts",
        "// Request-body validation against a field schema.
import { NextFunction, Request, Response } from 'express';

export interface Rule {
  type: 'string' | 'number' | 'boolean' | 'array';
  required?: boolean;
  max?: number;
}

export type Schema = Record<string, Rule>;

export function check(schema: Schema, body: Record<string, unknown>): string[] {
  const errors: string[] = [];
  for (const [key, rule] of Object.entries(schema)) {
    const value = body[key];
    if (value === undefined || value === null) {
      if (rule.required) errors.push(`${key} is required`);
      continue;
    }
    const actual = Array.isArray(value) ? 'array' : typeof value;
    if (actual !== rule.type) {
      errors.push(`${key} must be a ${rule.type}`);
    } else if (rule.max !== undefined && typeof value === 'string' && value.length > rule.max) {
      errors.push(`${key} is longer than ${rule.max}`);
    }
  }
  return errors;
}

export const validate = (schema: Schema) => (req: Request, res: Response, next: NextFunction) => {
  const errors = check(schema, req.body ?? {});
  if (errors.length > 0) {
    res.status(400).json({ errors });
    return;
  }
  next();
};
",
    )?;
    g.write(
        "src/lib/membership.ts",
        "// Tenant membership checks used by every controller.
import { db } from './db';

const ROLE_RANK: Record<string, number> = { viewer: 1, editor: 2, admin: 3, owner: 4 };

async function roleOf(userId: string, objectId: string): Promise<string | null> {
  const rows = await db.query<{ role: string }>(
    'select role from memberships where user_id = $1 and object_id = $2',
    [userId, objectId],
  );
  return rows.length > 0 ? rows[0].role : null;
}

export async function canView(userId: string, objectId: string): Promise<boolean> {
  return (await roleOf(userId, objectId)) !== null;
}

export async function canEdit(userId: string, objectId: string): Promise<boolean> {
  const role = await roleOf(userId, objectId);
  return role !== null && ROLE_RANK[role] >= ROLE_RANK.editor;
}
",
    )?;
    g.write(
        "src/lib/db.ts",
        "// Thin database client wrapper.
import { Pool } from 'pg';

const pool = new Pool({ connectionString: process.env.DATABASE_URL, max: 20 });

export const db = {
  async query<T = Record<string, unknown>>(sql: string, params: unknown[] = []): Promise<T[]> {
    const started = Date.now();
    try {
      const result = await pool.query(sql, params);
      return result.rows as T[];
    } finally {
      const elapsed = Date.now() - started;
      if (elapsed > 500) console.warn(`slow query (${elapsed} ms): ${sql.slice(0, 80)}`);
    }
  },
  async one<T = Record<string, unknown>>(sql: string, params: unknown[] = []): Promise<T | null> {
    const rows = await this.query<T>(sql, params);
    return rows[0] ?? null;
  },
};
",
    )?;
    g.write(
        "src/lib/logger.ts",
        "// Structured logger.
type Level = 'debug' | 'info' | 'warn' | 'error';

function emit(level: Level, message: string, fields: Record<string, unknown> = {}): void {
  const line = JSON.stringify({ level, message, time: new Date().toISOString(), ...fields });
  if (level === 'error') process.stderr.write(line + '\\n');
  else process.stdout.write(line + '\\n');
}

export const logger = {
  debug: (m: string, f?: Record<string, unknown>) => emit('debug', m, f),
  info: (m: string, f?: Record<string, unknown>) => emit('info', m, f),
  warn: (m: string, f?: Record<string, unknown>) => emit('warn', m, f),
  error: (m: string, f?: Record<string, unknown>) => emit('error', m, f),
};
",
    )?;
    g.write(
        "src/lib/audit.ts",
        "// Audit trail of security-relevant actions.
import { db } from './db';

export const audit = {
  async record(actorId: string, action: string, objectId: string): Promise<void> {
    await db.query('insert into audit_log (actor_id, action, object_id) values ($1, $2, $3)', [
      actorId,
      action,
      objectId,
    ]);
  },
};
",
    )?;
    g.write(
        "src/lib/session.ts",
        "// Session tokens.
import { createHmac } from 'crypto';

export interface Session {
  userId: string;
  role: string;
  expires: number;
}

export function verifySession(token: string): Session | null {
  const [payload, signature] = token.split('.');
  if (!payload || !signature) return null;
  const expected = createHmac('sha256', process.env.SESSION_SECRET ?? '').update(payload).digest('base64url');
  if (expected !== signature) return null;
  try {
    const session = JSON.parse(Buffer.from(payload, 'base64url').toString()) as Session;
    return session.expires > Date.now() ? session : null;
  } catch {
    return null;
  }
}
",
    )?;
    g.write(
        "src/lib/errors.ts",
        "// Domain errors mapped to HTTP statuses by the error middleware.
export class HttpError extends Error {
  constructor(public readonly status: number, message: string) {
    super(message);
  }
}

export class NotFoundError extends HttpError {
  constructor(message = 'Not found') {
    super(404, message);
  }
}

export class ConflictError extends HttpError {
  constructor(message = 'Conflict') {
    super(409, message);
  }
}
",
    )?;
    g.write(
        "src/legacy/middleware.js",
        "'use strict';
// Legacy session middleware (CommonJS).
const { verifySession } = require('../lib/session');

function requireLogin(req, res, next) {
  const token = (req.headers.authorization || '').replace(/^Bearer /, '');
  const session = token ? verifySession(token) : null;
  if (!session) return res.status(401).json({ error: 'Unauthorized' });
  req.user = { id: session.userId, role: session.role };
  next();
}

function requireRole(role) {
  return function (req, res, next) {
    if (!req.user || req.user.role !== role) return res.sendStatus(403);
    next();
  };
}

module.exports = { requireLogin, requireRole };
",
    )?;
    Ok(())
}

/// `src/app.ts`, the API router and the legacy router: written last because they list
/// every module.
fn entry(g: &mut Gen, ts_areas: &[Area], js_areas: &[Area]) -> Result<()> {
    let mut app = String::from(
        "// Application entry: global middleware, public routes, and the two routers.
import express from 'express';
import helmet from 'helmet';
import api from './routes';
import legacy from './legacy';
import { requireLogin } from './middleware/auth';
import { logger } from './lib/logger';
import { HttpError } from './lib/errors';

const app = express();
app.use(helmet());
app.use(express.json({ limit: '1mb' }));

app.get('/health', (req, res) => {
  res.json({ ok: true, uptime: process.uptime() });
});

app.post('/login', async (req, res) => {
  const { email, password } = req.body ?? {};
  if (!email || !password) return res.status(400).json({ error: 'email and password are required' });
  res.status(501).json({ error: 'delegated to the identity provider' });
});

app.use('/api/v1', requireLogin, api);
app.use('/legacy', legacy);

app.use((err: Error, req: express.Request, res: express.Response, next: express.NextFunction) => {
  const status = err instanceof HttpError ? err.status : 500;
  if (status >= 500) logger.error('unhandled error', { message: err.message, path: req.path });
  res.status(status).json({ error: status >= 500 ? 'Internal error' : err.message });
});

export default app;
",
    );
    g.route("get", "", "/health", false);
    g.route("post", "", "/login", false);
    if g.rng.chance(50) {
        app.push_str("\nif (require.main === module) {\n  app.listen(Number(process.env.PORT ?? 3000));\n}\n");
    }
    g.write("src/app.ts", &app)?;

    let mut index = String::from(
        "// The versioned API router: mounts every feature module under its name.\nimport { Router } from 'express';\n",
    );
    let mut mounts = String::new();
    for a in ts_areas {
        // Both export styles occur in real code; `named_export` decides per module.
        if named_export(a) {
            index.push_str(
                &a.fill("import { %name%Router } from '../modules/%name%/%name%.routes';\n"),
            );
            mounts.push_str(&a.fill("router.use('/%name%', %name%Router);\n"));
        } else {
            index.push_str(&a.fill("import %name% from '../modules/%name%/%name%.routes';\n"));
            mounts.push_str(&a.fill("router.use('/%name%', %name%);\n"));
        }
    }
    index.push_str("\nconst router = Router();\n\n");
    index.push_str(&mounts);
    index.push_str("\nexport default router;\n");
    g.write("src/routes/index.ts", &index)?;

    let mut legacy = String::from(
        "'use strict';
// Routes of the pre-TypeScript code base, kept under /legacy until they are ported.
const express = require('express');
const { requireLogin } = require('./middleware');

const router = express.Router();
router.use(requireLogin);

",
    );
    for a in js_areas {
        legacy.push_str(&a.fill("router.use('/%name%', require('./routes/%name%'));\n"));
    }
    legacy.push_str("\nmodule.exports = router;\n");
    g.write("src/legacy/index.js", &legacy)
}

/// Whether a module's router is a named export (`export const projectsRouter`) rather
/// than the default export: fixed by the name so the index agrees with the module.
fn named_export(a: &Area) -> bool {
    a.name.len().is_multiple_of(2)
}

/// A TypeScript feature module: 5 or 6 files.
fn ts_area(g: &mut Gen, a: &Area) -> Result<()> {
    let prefix = format!("/api/v1/{}", a.name);
    let dir = format!("src/modules/{}", a.name);
    let actions = {
        let k = g.rng.range(2, 5);
        g.rng.sample(ACTIONS, k)
    };
    let sub = if g.rng.chance(60) {
        Some(SUBS[g.rng.below(SUBS.len())])
    } else {
        None
    };
    let uses_param = g.rng.chance(50);
    let summary = g.rng.chance(60);

    // Router.
    let mut r = a.fill(
        "// Routes of the %name% module, mounted at /api/v1/%name%.
import { Router } from 'express';
import { %Class%Controller } from './%name%.controller';
import { %Class%Service } from './%name%.service';
import { %Class%Repository } from './%name%.repository';
import { requireRole, asyncHandler } from '../../middleware/auth';
import { validate } from '../../middleware/validate';
import { create%Class%Schema, update%Class%Schema } from './%name%.model';
",
    );
    if let Some((s, _)) = sub {
        r.push_str(&a.fill(&format!("import {s}Router from './%name%.{s}.routes';\n")));
    }
    if summary {
        r.push_str("import * as membership from '../../lib/membership';\nimport { db } from '../../lib/db';\n");
    }
    r.push('\n');
    r.push_str(&a.fill(if named_export(a) {
        "export const %name%Router = Router();\nconst router = %name%Router;\n"
    } else {
        "const router = Router();\n"
    }));
    r.push_str(&a.fill(
        "const controller = new %Class%Controller(new %Class%Service(new %Class%Repository()));\n\n",
    ));
    if uses_param {
        r.push_str(&a.fill("router.param('%param%', controller.load);\n\n"));
    }
    r.push_str("router.get('/', controller.list);\n");
    g.route("get", &prefix, "/", true);
    r.push_str(&a.fill("router.post('/', validate(create%Class%Schema), controller.create);\n"));
    g.route("post", &prefix, "/", true);
    if g.rng.chance(70) {
        r.push_str(&a.fill(
            "router
  .route('/:%param%')
  .get(controller.show)
  .patch(validate(update%Class%Schema), controller.update)
  .delete(requireRole('admin'), asyncHandler(controller.remove));
",
        ));
    } else {
        r.push_str(&a.fill(
            "router.get('/:%param%', controller.show);
router.patch('/:%param%', validate(update%Class%Schema), controller.update);
router.delete('/:%param%', requireRole('admin'), asyncHandler(controller.remove));
",
        ));
    }
    let item = format!("/:{}", a.param);
    for m in ["get", "patch", "delete"] {
        g.route(m, &prefix, &item, true);
    }
    for (method, suffix, handler) in &actions {
        let mw = if *method == "get" {
            ""
        } else {
            "requireRole('editor'), "
        };
        r.push_str(&a.fill(&format!(
            "router.{method}('/:%param%/{suffix}', {mw}controller.{handler});\n"
        )));
        g.route(method, &prefix, &format!("{item}/{suffix}"), true);
    }
    if summary {
        // Small read-only endpoints are often written inline in the router.
        r.push_str(&a.fill(
            "
// Counts for the dashboard tile; cheap enough not to need a controller method.
router.get('/:%param%/summary', async (req, res) => {
  const { %param% } = req.params;
  if (!(await membership.canView(req.user!.id, %param%))) {
    return res.status(404).json({ error: 'Not found' });
  }
  const [row] = await db.query<{ open: number; closed: number }>(
    `select count(*) filter (where status = 'active') as open,
            count(*) filter (where status <> 'active') as closed
       from %name% where id = $1`,
    [%param%],
  );
  res.set('Cache-Control', 'private, max-age=30');
  res.json({ id: %param%, open: Number(row?.open ?? 0), closed: Number(row?.closed ?? 0) });
});
",
        ));
        g.route("get", &prefix, &format!("{item}/summary"), true);
    }
    if let Some((s, one)) = sub {
        r.push_str(&a.fill(&format!("\nrouter.use('/:%param%/{s}', {s}Router);\n")));
        sub_router(g, a, s, one, &format!("{prefix}{item}/{s}"))?;
    }
    if !named_export(a) {
        r.push_str("\nexport default router;\n");
    }
    g.write(&format!("{dir}/{}.routes.ts", a.name), &r)?;

    controller_ts(g, a, &actions, &dir)?;
    service_ts(g, a, &actions, &dir)?;
    repository_ts(g, a, &dir)?;
    model_ts(g, a, &dir)
}

/// A nested router reading the parent's parameter (`mergeParams`), inline handlers.
fn sub_router(g: &mut Gen, a: &Area, s: &str, one: &str, prefix: &str) -> Result<()> {
    let text = a.fill(
        &"// %sub% of one %one%: mounted under /api/v1/%name%/:%param%/%sub% with mergeParams.
import { Router, Request, Response } from 'express';
import * as membership from '../../lib/membership';
import { requireRole } from '../../middleware/auth';
import { db } from '../../lib/db';
import { audit } from '../../lib/audit';

const router = Router({ mergeParams: true });

router.get('/', async (req: Request, res: Response) => {
  const { %param% } = req.params;
  if (!(await membership.canView(req.user!.id, %param%))) return res.status(403).send();
  const rows = await db.query('select * from %sub% where %one%_id = $1 order by created_at desc', [%param%]);
  res.json({ items: rows, count: rows.length });
});

router.post('/', async (req: Request, res: Response) => {
  const { %param% } = req.params;
  if (!(await membership.canEdit(req.user!.id, %param%))) {
    return res.status(403).json({ error: 'Forbidden' });
  }
  const body = typeof req.body?.body === 'string' ? req.body.body.trim() : '';
  if (body.length === 0) return res.status(400).json({ error: 'body is required' });
  const [row] = await db.query(
    'insert into %sub% (%one%_id, author_id, body) values ($1, $2, $3) returning *',
    [%param%, req.user!.id, body],
  );
  await audit.record(req.user!.id, '%sub%.create', %param%);
  res.status(201).json(row);
});

router.get('/:%subone%Id', async (req: Request, res: Response) => {
  const { %param%, %subone%Id } = req.params;
  const row = await db.one('select * from %sub% where id = $1 and %one%_id = $2', [%subone%Id, %param%]);
  if (!row) return res.sendStatus(404);
  if (!(await membership.canView(req.user!.id, %param%))) return res.sendStatus(404);
  res.json(row);
});

router.delete('/:%subone%Id', requireRole('admin'), async (req: Request, res: Response) => {
  const { %param%, %subone%Id } = req.params;
  try {
    await db.query('delete from %sub% where id = $1 and %one%_id = $2', [%subone%Id, %param%]);
    await audit.record(req.user!.id, '%sub%.delete', %subone%Id);
    res.sendStatus(204);
  } catch (err) {
    res.status(500).json({ error: (err as Error).message });
  }
});

export default router;
"
        .replace("%sub%", s)
        .replace("%subone%", one),
    );
    g.route("get", prefix, "/", true);
    g.route("post", prefix, "/", true);
    g.route("get", prefix, &format!("/:{one}Id"), true);
    g.route("delete", prefix, &format!("/:{one}Id"), true);
    g.write(
        &format!("src/modules/{}/{}.{s}.routes.ts", a.name, a.name),
        &text,
    )
}

fn controller_ts(g: &mut Gen, a: &Area, actions: &[(&str, &str, &str)], dir: &str) -> Result<()> {
    let mut c = a.fill(
        "// HTTP handlers of the %name% module: parse the request, check access, call the service.
import { NextFunction, Request, Response } from 'express';
import { %Class%Service } from './%name%.service';
import { to%Class%Dto, to%Class%Csv } from './%name%.model';
import * as membership from '../../lib/membership';
import { audit } from '../../lib/audit';
import { logger } from '../../lib/logger';

export class %Class%Controller {
  constructor(private readonly service: %Class%Service) {}

  /**
   * `router.param` callback: rejects malformed ids before any handler runs.
   */
  load = async (req: Request, res: Response, next: NextFunction, id: string): Promise<void> => {
    if (!/^[0-9a-f-]{36}$/.test(id)) {
      res.status(400).json({ error: 'malformed id' });
      return;
    }
    next();
  };

  /**
   * GET /api/v1/%name%: the caller's %name%, newest first.
   * Query: `page` (from 1) and `limit` (1 to 100, default 20).
   */
  list = async (req: Request, res: Response): Promise<void> => {
    const page = Math.max(1, Number(req.query.page ?? 1));
    const limit = Math.min(100, Math.max(1, Number(req.query.limit ?? 20)));
    const items = await this.service.list(req.user!.id, { page, limit });
    res.json({ items: items.map(to%Class%Dto), page, limit });
  };

  /**
   * POST /api/v1/%name%: creates a %one% owned by the caller.
   * The body was validated by the route's schema middleware.
   */
  create = async (req: Request, res: Response, next: NextFunction): Promise<void> => {
    try {
      const created = await this.service.create(req.user!.id, req.body);
      await audit.record(req.user!.id, '%name%.create', created.id);
      res.status(201).json(to%Class%Dto(created));
    } catch (err) {
      next(err);
    }
  };

  /**
   * GET /api/v1/%name%/:%param%: one %one%, for members only.
   */
  show = async (req: Request, res: Response): Promise<void> => {
    const { %param% } = req.params;
    if (!(await membership.canView(req.user!.id, %param%))) {
      res.status(403).json({ error: 'Forbidden' });
      return;
    }
    const %one% = await this.service.get(%param%);
    if (!%one%) {
      res.sendStatus(404);
      return;
    }
    res.json(to%Class%Dto(%one%));
  };

  /**
   * PATCH /api/v1/%name%/:%param%: changes the given fields; editors only.
   */
  update = async (req: Request, res: Response): Promise<void> => {
    const { %param% } = req.params;
    if (!(await membership.canEdit(req.user!.id, %param%))) {
      res.status(403).json({ error: 'Forbidden' });
      return;
    }
    const updated = await this.service.update(%param%, req.body);
    logger.info('%one% updated', { id: %param%, by: req.user!.id });
    res.json(to%Class%Dto(updated));
  };

  /**
   * DELETE /api/v1/%name%/:%param%: soft-deletes; a non-member gets 404, not 403.
   */
  remove = async (req: Request, res: Response): Promise<void> => {
    const { %param% } = req.params;
    if (!(await membership.canEdit(req.user!.id, %param%))) {
      res.status(404).end();
      return;
    }
    await this.service.remove(%param%);
    await audit.record(req.user!.id, '%name%.delete', %param%);
    res.sendStatus(204);
  };
",
    );
    for (_, _, handler) in actions {
        // Most handlers check first; some do the work first, as real code sometimes does.
        let early = g.rng.chance(85);
        let check = a.fill(
            "    if (!(await membership.canView(req.user!.id, req.params.%param%))) {
      res.status(403).json({ error: 'Forbidden' });
      return;
    }
",
        );
        let work = if *handler == "exportCsv" {
            a.fill("    const result = to%Class%Csv(await this.service.list(req.params.%param%, { page: 1, limit: 1000 }));\n")
        } else {
            a.fill(&format!("    const result = await this.service.{handler}(req.params.%param%, req.user!.id);\n"))
        };
        let mut body = String::new();
        if early {
            body.push_str(&check);
            body.push_str(&work);
        } else {
            body.push_str(&work);
            body.push_str(&check);
        }
        c.push_str(&format!(
            "\n  /**\n   * The `{handler}` action on one %one%.\n   */\n  {handler} = async (req: Request, res: Response): Promise<void> => {{\n{body}    res.json({{ ok: true, result }});\n  }};\n"
        ));
    }
    c.push_str("}\n");
    g.write(&format!("{dir}/{}.controller.ts", a.name), &c)
}

fn service_ts(g: &mut Gen, a: &Area, actions: &[(&str, &str, &str)], dir: &str) -> Result<()> {
    let mut s = a.fill(
        "// Business rules of the %name% module.
import { %Class%Repository } from './%name%.repository';
import { %Class%, Create%Class%Input, Update%Class%Input } from './%name%.model';
import { NotFoundError, ConflictError } from '../../lib/errors';
import { logger } from '../../lib/logger';

const CACHE_TTL_MS = 30_000;

export class %Class%Service {
  private readonly cache = new Map<string, { value: %Class%; at: number }>();

  constructor(private readonly repo: %Class%Repository) {}

  /**
   * One %one% by id, from a short-lived cache when possible.
   * @returns null when there is no such %one%
   */
  async get(id: string): Promise<%Class% | null> {
    const hit = this.cache.get(id);
    if (hit && Date.now() - hit.at < CACHE_TTL_MS) return hit.value;
    const row = await this.repo.findById(id);
    if (row) this.cache.set(id, { value: row, at: Date.now() });
    return row;
  }

  /**
   * A page of the %name% an owner can see, deleted ones left out.
   */
  async list(ownerId: string, opts: { page: number; limit: number }): Promise<%Class%[]> {
    const rows = await this.repo.findByOwner(ownerId, opts.limit, (opts.page - 1) * opts.limit);
    const out: %Class%[] = [];
    for (const row of rows) {
      if (row.status === 'deleted') continue;
      out.push({ ...row, labels: [...new Set(row.labels ?? [])] });
    }
    return out;
  }

  /**
   * Creates one %one%; names are unique per owner.
   * @throws ConflictError when the name is taken
   */
  async create(ownerId: string, input: Create%Class%Input): Promise<%Class%> {
    const existing = await this.repo.findByName(ownerId, input.name);
    if (existing) throw new ConflictError(`%one% ${input.name} already exists`);
    const record = {
      name: input.name.trim(),
      ownerId,
      status: 'active' as const,
",
    );
    for (f, _, expr) in &a.fields {
        s.push_str(&format!("      {f}: {expr},\n"));
    }
    s.push_str(&a.fill(
        "      createdAt: new Date().toISOString(),
    };
    try {
      const created = await this.repo.insert(record);
      logger.info('%one% created', { id: created.id, ownerId });
      return created;
    } catch (err) {
      logger.error('%one% insert failed', { ownerId, message: (err as Error).message });
      throw err;
    }
  }

  /**
   * Applies the fields that changed; a no-op update writes nothing.
   * @throws NotFoundError when there is no such %one%
   */
  async update(id: string, input: Update%Class%Input): Promise<%Class%> {
    const current = await this.get(id);
    if (!current) throw new NotFoundError(`%one% ${id} not found`);
    const changes: Partial<%Class%> = {};
    for (const [key, value] of Object.entries(input)) {
      if (value === undefined) continue;
      if ((current as Record<string, unknown>)[key] !== value) {
        (changes as Record<string, unknown>)[key] = value;
      }
    }
    if (Object.keys(changes).length === 0) return current;
    const updated = await this.repo.update(id, { ...changes, updatedAt: new Date().toISOString() });
    this.cache.delete(id);
    return updated;
  }

  /**
   * Soft-deletes a %one%: the row stays for the audit trail.
   */
  async remove(id: string): Promise<void> {
    const current = await this.get(id);
    if (!current) throw new NotFoundError(`%one% ${id} not found`);
    await this.repo.update(id, { status: 'deleted', updatedAt: new Date().toISOString() });
    this.cache.delete(id);
  }
",
    ));
    for (_, _, handler) in actions {
        if *handler == "exportCsv" {
            continue;
        }
        let extra = match g.rng.below(3) {
            0 => {
                "    let attempts = 0;
    while (attempts < 3) {
      try {
        return await this.repo.update(id, { ...patch, updatedAt: new Date().toISOString() });
      } catch (err) {
        attempts += 1;
        logger.warn('retrying', { id, attempts });
      }
    }
    throw new Error('update failed after 3 attempts');
"
            }
            1 => {
                "    const steps = ['validate', 'apply', 'notify'];
    for (const step of steps) {
      logger.debug(`step ${step}`, { id, actorId });
    }
    return this.repo.update(id, { ...patch, updatedAt: new Date().toISOString() });
"
            }
            _ => {
                "    switch (current.status) {
      case 'deleted':
        throw new NotFoundError();
      case 'locked':
        throw new ConflictError('locked');
      default:
        return this.repo.update(id, { ...patch, updatedAt: new Date().toISOString() });
    }
"
            }
        };
        s.push_str(&a.fill(&format!(
            "
  /**
   * The `{handler}` action: flips the status and records who did it.
   * @throws NotFoundError when there is no such %one%
   */
  async {handler}(id: string, actorId: string): Promise<%Class%> {{
    const current = await this.get(id);
    if (!current) throw new NotFoundError(`%one% ${{id}} not found`);
    const patch: Partial<%Class%> = {{ status: current.status === 'active' ? 'archived' : 'active' }};
{extra}  }}
"
        )));
    }
    s.push_str("}\n");
    g.write(&format!("{dir}/{}.service.ts", a.name), &s)
}

fn repository_ts(g: &mut Gen, a: &Area, dir: &str) -> Result<()> {
    let cols: Vec<String> = a.fields.iter().map(|(f, _, _)| snake(f)).collect();
    let text = a.fill(&format!(
        "// Storage of the %name% module; every query is scoped by id or owner.
import {{ db }} from '../../lib/db';
import {{ %Class% }} from './%name%.model';

const COLUMNS = ['id', 'name', 'owner_id', 'status', {cols}, 'created_at', 'updated_at'];

function fromRow(row: Record<string, unknown>): %Class% {{
  const out: Record<string, unknown> = {{}};
  for (const column of COLUMNS) {{
    const key = column.replace(/_([a-z])/g, (_m, c: string) => c.toUpperCase());
    out[key] = row[column];
  }}
  return out as unknown as %Class%;
}}

export class %Class%Repository {{
  private readonly table = '%name%';

  async findById(id: string): Promise<%Class% | null> {{
    const row = await db.one(`select ${{COLUMNS.join(', ')}} from ${{this.table}} where id = $1`, [id]);
    return row ? fromRow(row) : null;
  }}

  async findByName(ownerId: string, name: string): Promise<%Class% | null> {{
    const row = await db.one(`select * from ${{this.table}} where owner_id = $1 and name = $2`, [ownerId, name]);
    return row ? fromRow(row) : null;
  }}

  async findByOwner(ownerId: string, limit: number, offset: number): Promise<%Class%[]> {{
    const rows = await db.query(
      `select ${{COLUMNS.join(', ')}} from ${{this.table}} where owner_id = $1 order by created_at desc limit $2 offset $3`,
      [ownerId, limit, offset],
    );
    return rows.map(fromRow);
  }}

  async count(ownerId: string): Promise<number> {{
    const [row] = await db.query<{{ n: string }}>(`select count(*) as n from ${{this.table}} where owner_id = $1`, [ownerId]);
    return Number(row?.n ?? 0);
  }}

  async search(ownerId: string, term: string, limit = 20): Promise<%Class%[]> {{
    const pattern = `%${{term.replace(/[%_]/g, (m) => `\\\\${{m}}`)}}%`;
    const rows = await db.query(
      `select ${{COLUMNS.join(', ')}} from ${{this.table}} where owner_id = $1 and name ilike $2 order by name limit $3`,
      [ownerId, pattern, limit],
    );
    return rows.map(fromRow);
  }}

  async findMany(ids: string[]): Promise<Map<string, %Class%>> {{
    const out = new Map<string, %Class%>();
    for (let i = 0; i < ids.length; i += 100) {{
      const batch = ids.slice(i, i + 100);
      const rows = await db.query(`select ${{COLUMNS.join(', ')}} from ${{this.table}} where id = any($1)`, [batch]);
      for (const row of rows) {{
        const item = fromRow(row);
        out.set(item.id, item);
      }}
    }}
    return out;
  }}

  async insert(values: Record<string, unknown>): Promise<%Class%> {{
    const keys = Object.keys(values);
    const placeholders = keys.map((_k, i) => `$${{i + 1}}`).join(', ');
    const [row] = await db.query(
      `insert into ${{this.table}} (${{keys.join(', ')}}) values (${{placeholders}}) returning *`,
      keys.map((k) => values[k]),
    );
    return fromRow(row);
  }}

  async update(id: string, changes: Record<string, unknown>): Promise<%Class%> {{
    const keys = Object.keys(changes);
    const sets = keys.map((k, i) => `${{k}} = $${{i + 2}}`).join(', ');
    const [row] = await db.query(`update ${{this.table}} set ${{sets}} where id = $1 returning *`, [
      id,
      ...keys.map((k) => changes[k]),
    ]);
    return fromRow(row);
  }}
}}
",
        cols = cols.iter().map(|c| format!("'{c}'")).collect::<Vec<_>>().join(", ")
    ));
    g.write(&format!("{dir}/{}.repository.ts", a.name), &text)
}

/// Types, request schemas and API mappers of a module, in one file as many codebases do.
fn model_ts(g: &mut Gen, a: &Area, dir: &str) -> Result<()> {
    let mut t = a.fill(
        "// Types, request schemas and API shapes of the %name% module.
import { Schema } from '../../middleware/validate';

/** Lifecycle of a %one%: only `active` ones can be changed. */
export type %Class%Status = 'active' | 'archived' | 'locked' | 'deleted';

/** Events published on the bus when a %one% changes. */
export enum %Class%Event {
  Created = '%name%.created',
  Updated = '%name%.updated',
  Deleted = '%name%.deleted',
}

/** A %one% as stored. */
export interface %Class% {
  id: string;
  name: string;
  ownerId: string;
  status: %Class%Status;
",
    );
    for (f, ty, _) in &a.fields {
        t.push_str(&format!("  {f}: {ty};\n"));
    }
    t.push_str(&a.fill(
        "  labels?: string[];
  createdAt: string;
  updatedAt?: string;
}

/** The body of `POST /api/v1/%name%`. */
export interface Create%Class%Input {
  name: string;
",
    ));
    for (f, ty, _) in &a.fields {
        t.push_str(&format!("  {f}?: {ty};\n"));
    }
    t.push_str(&a.fill(
        "}

/** The body of `PATCH /api/v1/%name%/:%param%`: every field optional. */
export type Update%Class%Input = Partial<Omit<Create%Class%Input, 'name'>> & { name?: string };

/** What the API returns for a %one%. */
export interface %Class%Dto {
  id: string;
  name: string;
  status: %Class%Status;
  links: { self: string };
}

export const create%Class%Schema: Schema = {
  name: { type: 'string', required: true, max: 120 },
",
    ));
    let rule = |ty: &str| match ty {
        "number" => "{ type: 'number' }",
        "boolean" => "{ type: 'boolean' }",
        "string[]" => "{ type: 'array' }",
        _ => "{ type: 'string', max: 255 }",
    };
    for (f, ty, _) in &a.fields {
        t.push_str(&format!("  {f}: {},\n", rule(ty)));
    }
    t.push_str(&a.fill(
        "};\n\nexport const update%Class%Schema: Schema = {\n  name: { type: 'string', max: 120 },\n",
    ));
    for (f, ty, _) in &a.fields {
        t.push_str(&format!("  {f}: {},\n", rule(ty)));
    }
    let cols: Vec<String> = a.fields.iter().map(|(f, _, _)| format!("'{f}'")).collect();
    t.push_str(&a.fill(&format!(
        "}};

/** The public shape of a %one%: internal fields stay internal. */
export function to%Class%Dto(row: %Class%): %Class%Dto {{
  return {{
    id: row.id,
    name: row.name,
    status: row.status,
    links: {{ self: `/api/v1/%name%/${{row.id}}` }},
  }};
}}

function csvCell(value: unknown): string {{
  if (value === null || value === undefined) return '';
  const text = Array.isArray(value) ? value.join(';') : String(value);
  return /[\",\\n]/.test(text) ? `\"${{text.replace(/\"/g, '\"\"')}}\"` : text;
}}

/** A CSV export with one header line. */
export function to%Class%Csv(rows: %Class%[]): string {{
  const columns = ['id', 'name', 'status', {cols}] as const;
  const lines = [columns.join(',')];
  for (const row of rows) {{
    const record = row as unknown as Record<string, unknown>;
    lines.push(columns.map((c) => csvCell(record[c])).join(','));
  }}
  return lines.join('\\n');
}}
",
        cols = cols.join(", ")
    )));
    g.write(&format!("{dir}/{}.model.ts", a.name), &t)
}

/// A legacy CommonJS module: 4 files under `src/legacy`.
fn js_area(g: &mut Gen, a: &Area) -> Result<()> {
    let prefix = format!("/legacy/{}", a.name);
    let with_notes = g.rng.chance(50);
    let mut r = a.fill(
        "'use strict';
// Legacy %name% routes, mounted at /legacy/%name%.
const express = require('express');
const ctl = require('../controllers/%name%');
const { requireRole } = require('../middleware');

const router = express.Router();

// Ids are numeric in the legacy schema: reject anything else before the handlers run.
router.param('id', function (req, res, next, id) {
  if (!/^[0-9]+$/.test(id)) return res.status(400).json({ error: 'malformed id' });
  next();
});

router.get('/', ctl.list);
router.post('/', ctl.create);
router.get('/search', ctl.search);
router.get('/:id', ctl.show);
router.put('/:id', ctl.update);
router.delete('/:id', requireRole('admin'), ctl.remove);
",
    );
    for (m, p) in [
        ("get", "/"),
        ("post", "/"),
        ("get", "/search"),
        ("get", "/:id"),
        ("put", "/:id"),
        ("delete", "/:id"),
    ] {
        g.route(m, &prefix, p, true);
    }
    if with_notes {
        r.push_str("router.route('/:id/notes').get(ctl.notes).post(ctl.addNote);\n");
        g.route("get", &prefix, "/:id/notes", true);
        g.route("post", &prefix, "/:id/notes", true);
    }
    r.push_str("\nmodule.exports = router;\n");
    g.write(&format!("src/legacy/routes/{}.js", a.name), &r)?;

    // Controller: an object literal mixing method shorthand and arrow properties.
    let mut c = a.fill(
        "'use strict';
// Legacy %name% handlers.
const service = require('../services/%name%');
const membership = require('../../lib/membership');
const { logger } = require('../../lib/logger');

module.exports = {
  /**
   * GET /legacy/%name%: the caller's %name%.
   * @param {import('express').Request} req
   * @param {import('express').Response} res
   */
  async list(req, res) {
    const items = await service.list(req.user.id, Number(req.query.limit || 20));
    res.json(items);
  },

  /**
   * POST /legacy/%name%: 201 with the new %one%, 400 with the problems.
   */
  /**
   * GET /legacy/%name%/search?q=: name search, at most 20 results.
   */
  async search(req, res) {
    const q = String(req.query.q || '').trim();
    if (q.length < 2) return res.status(400).json({ error: 'q needs at least 2 characters' });
    res.json(await service.search(req.user.id, q));
  },

  create: async (req, res, next) => {
    try {
      const item = await service.create(req.user.id, req.body || {});
      res.status(201).json(item);
    } catch (err) {
      logger.error('create failed', { message: err.message });
      next(err);
    }
  },

  /**
   * GET /legacy/%name%/:id: members only.
   */
  async show(req, res) {
    if (!(await membership.canView(req.user.id, req.params.id))) {
      return res.status(403).json({ error: 'Forbidden' });
    }
    const item = await service.get(req.params.id);
    if (!item) return res.sendStatus(404);
    res.json(item);
  },

  /**
   * PUT /legacy/%name%/:id: editors only; unknown fields are ignored.
   */
  update: async function (req, res) {
    if (!(await membership.canEdit(req.user.id, req.params.id))) return res.sendStatus(403);
    const item = await service.update(req.params.id, req.body || {});
    res.json(item);
  },

  /**
   * DELETE /legacy/%name%/:id: soft delete; non-members get 404.
   */
  async remove(req, res) {
    if (!(await membership.canEdit(req.user.id, req.params.id))) return res.sendStatus(404);
    await service.remove(req.params.id);
    res.sendStatus(204);
  },
",
    );
    if with_notes {
        c.push_str(
            "
  async notes(req, res) {
    if (!(await membership.canView(req.user.id, req.params.id))) return res.sendStatus(403);
    res.json(await service.notes(req.params.id));
  },

  async addNote(req, res) {
    const text = String((req.body && req.body.text) || '').trim();
    if (!text) return res.status(400).json({ error: 'text is required' });
    if (!(await membership.canEdit(req.user.id, req.params.id))) return res.sendStatus(403);
    res.status(201).json(await service.addNote(req.params.id, req.user.id, text));
  },
",
        );
    }
    c.push_str("};\n");
    g.write(&format!("src/legacy/controllers/{}.js", a.name), &c)?;

    let fields: Vec<String> = a
        .fields
        .iter()
        .map(|(f, _, _)| format!("'{}'", snake(f)))
        .collect();
    let service = a.fill(&format!(
        "'use strict';
// Legacy %name% service: whitelisting, validation and presentation over the model.
const %Class% = require('../models/%name%');

const ALLOWED = ['name', {fields}];
const MAX_PAGE = 100;

/**
 * The fields a client may set; everything else in the body is ignored.
 * @param {{object}} body
 */
function pick(body) {{
  const out = {{}};
  for (const key of ALLOWED) {{
    if (Object.prototype.hasOwnProperty.call(body, key)) out[key] = body[key];
  }}
  return out;
}}

/**
 * Every problem with a body, so the client can fix them at once.
 * @param {{object}} body
 * @returns {{string[]}}
 */
function validate(body) {{
  const errors = [];
  if (typeof body.name !== 'string' || body.name.trim() === '') errors.push('name is required');
  else if (body.name.length > 120) errors.push('name is too long');
  Object.keys(body).forEach(function (key) {{
    if (ALLOWED.indexOf(key) === -1) errors.push('unknown field ' + key);
  }});
  return errors;
}}

/** The public shape of a row. */
function present(row) {{
  const out = {{ id: row.id, name: row.name, createdAt: row.created_at }};
  ALLOWED.forEach(function (key) {{
    if (key !== 'name' && row[key] !== undefined) out[key] = row[key];
  }});
  return out;
}}

async function list(ownerId, limit) {{
  const rows = await %Class%.findByOwner(ownerId, Math.min(limit, MAX_PAGE));
  const result = [];
  for (let i = 0; i < rows.length; i++) {{
    const row = rows[i];
    if (row.deleted_at) continue;
    result.push(present(row));
  }}
  return result;
}}

async function search(ownerId, term) {{
  const rows = await %Class%.search(ownerId, term, 20);
  return rows.filter(function (row) {{
    return !row.deleted_at;
  }}).map(present);
}}

async function get(id) {{
  const row = await %Class%.findById(id);
  return row && !row.deleted_at ? present(row) : null;
}}

async function create(ownerId, body) {{
  const errors = validate(body);
  if (errors.length) {{
    const err = new Error(errors.join('; '));
    err.status = 400;
    throw err;
  }}
  return present(await %Class%.insert(Object.assign({{ owner_id: ownerId }}, pick(body))));
}}

async function update(id, body) {{
  const fields = pick(body);
  if (Object.keys(fields).length === 0) return get(id);
  return present(await %Class%.update(id, fields));
}}

async function remove(id) {{
  await %Class%.update(id, {{ deleted_at: new Date() }});
}}

async function notes(id) {{
  const rows = await %Class%.notes(id);
  return rows.map(function (n) {{
    return {{ id: n.id, author: n.author_id, text: n.text, at: n.created_at }};
  }});
}}

async function addNote(id, authorId, text) {{
  if (text.length > 2000) {{
    const err = new Error('note is too long');
    err.status = 400;
    throw err;
  }}
  return %Class%.addNote(id, authorId, text);
}}

module.exports = {{ list, search, get, create, update, remove, notes, addNote, pick, validate, present }};
",
        fields = fields.join(", ")
    ));
    g.write(&format!("src/legacy/services/{}.js", a.name), &service)?;

    let model = a.fill(
        "'use strict';
// Legacy %name% model.
const { db } = require('../../lib/db');

class %Class% {
  static async findById(id) {
    return db.one('select * from %name% where id = $1', [id]);
  }

  static async findByOwner(ownerId, limit) {
    return db.query('select * from %name% where owner_id = $1 order by id desc limit $2', [ownerId, limit]);
  }

  static async insert(values) {
    const keys = Object.keys(values);
    const params = keys.map(function (_k, i) {
      return '$' + (i + 1);
    });
    const rows = await db.query(
      'insert into %name% (' + keys.join(', ') + ') values (' + params.join(', ') + ') returning *',
      keys.map(function (k) {
        return values[k];
      }),
    );
    return rows[0];
  }

  static async update(id, values) {
    const keys = Object.keys(values);
    const sets = keys.map(function (k, i) {
      return k + ' = $' + (i + 2);
    });
    const rows = await db.query('update %name% set ' + sets.join(', ') + ' where id = $1 returning *', [id].concat(keys.map((k) => values[k])));
    return rows[0];
  }

  static async count(ownerId) {
    const rows = await db.query('select count(*) as n from %name% where owner_id = $1 and deleted_at is null', [ownerId]);
    return Number(rows[0] ? rows[0].n : 0);
  }

  static async search(ownerId, term, limit) {
    const pattern = '%' + String(term).replace(/[%_]/g, '\\\\$&') + '%';
    return db.query(
      'select * from %name% where owner_id = $1 and name ilike $2 order by name limit $3',
      [ownerId, pattern, limit || 20],
    );
  }

  static async findMany(ids) {
    const out = [];
    for (let i = 0; i < ids.length; i += 50) {
      const batch = ids.slice(i, i + 50);
      const rows = await db.query('select * from %name% where id = any($1)', [batch]);
      for (const row of rows) out.push(row);
    }
    return out;
  }

  static async notes(id) {
    return db.query('select * from %one%_notes where %one%_id = $1 order by created_at', [id]);
  }

  static async addNote(id, authorId, text) {
    const rows = await db.query('insert into %one%_notes (%one%_id, author_id, text) values ($1, $2, $3) returning *', [id, authorId, text]);
    return rows[0];
  }
}

module.exports = %Class%;
",
    );
    g.write(&format!("src/legacy/models/{}.js", a.name), &model)
}

/// Utility modules that fill the corpus up to the requested size: ordinary code with no
/// routes, which the scan must still parse, index and lower.
fn utility(g: &mut Gen, u: usize) -> Result<()> {
    const PARTS: &[&str] = &[
        "export function chunk%N%<T>(items: T[], size: number): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += size) {
    out.push(items.slice(i, i + size));
  }
  return out;
}
",
        "export async function retry%N%<T>(fn: () => Promise<T>, attempts = 3, delayMs = 100): Promise<T> {
  let lastError: unknown;
  for (let attempt = 0; attempt < attempts; attempt++) {
    try {
      return await fn();
    } catch (err) {
      lastError = err;
      await new Promise((resolve) => setTimeout(resolve, delayMs * 2 ** attempt));
    }
  }
  throw lastError;
}
",
        "export function slugify%N%(text: string): string {
  return text
    .normalize('NFKD')
    .replace(/[\\u0300-\\u036f]/g, '')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '');
}
",
        "export class LruCache%N%<K, V> {
  private readonly map = new Map<K, V>();

  constructor(private readonly capacity: number) {}

  get(key: K): V | undefined {
    const value = this.map.get(key);
    if (value !== undefined) {
      this.map.delete(key);
      this.map.set(key, value);
    }
    return value;
  }

  set(key: K, value: V): void {
    this.map.delete(key);
    this.map.set(key, value);
    while (this.map.size > this.capacity) {
      const oldest = this.map.keys().next().value as K;
      this.map.delete(oldest);
    }
  }
}
",
        "export function deepMerge%N%(a: Record<string, unknown>, b: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = { ...a };
  for (const [key, value] of Object.entries(b)) {
    const prev = out[key];
    if (prev && value && typeof prev === 'object' && typeof value === 'object' && !Array.isArray(value)) {
      out[key] = deepMerge%N%(prev as Record<string, unknown>, value as Record<string, unknown>);
    } else {
      out[key] = value;
    }
  }
  return out;
}
",
        "export function formatMoney%N%(cents: number, currency = 'EUR', locale = 'en-GB'): string {
  const formatter = new Intl.NumberFormat(locale, { style: 'currency', currency });
  return formatter.format(cents / 100);
}

export function parseMoney%N%(text: string): number | null {
  const cleaned = text.replace(/[^0-9.,-]/g, '').replace(',', '.');
  const value = Number.parseFloat(cleaned);
  return Number.isFinite(value) ? Math.round(value * 100) : null;
}
",
        "export function parseQuery%N%(query: Record<string, unknown>): { sort: string; order: 'asc' | 'desc'; filters: Record<string, string> } {
  const filters: Record<string, string> = {};
  let sort = 'created_at';
  let order: 'asc' | 'desc' = 'desc';
  for (const [key, raw] of Object.entries(query)) {
    const value = Array.isArray(raw) ? String(raw[0]) : String(raw ?? '');
    if (key === 'sort') sort = value.replace(/[^a-z_]/g, '') || sort;
    else if (key === 'order') order = value === 'asc' ? 'asc' : 'desc';
    else if (key.startsWith('filter.')) filters[key.slice(7)] = value;
  }
  return { sort, order, filters };
}
",
        "export function debounce%N%<A extends unknown[]>(fn: (...args: A) => void, waitMs: number): (...args: A) => void {
  let timer: ReturnType<typeof setTimeout> | undefined;
  return (...args: A) => {
    if (timer) clearTimeout(timer);
    timer = setTimeout(() => {
      timer = undefined;
      fn(...args);
    }, waitMs);
  };
}
",
        "export const DATE_FORMATS%N% = {
  iso: (d: Date) => d.toISOString(),
  day: (d: Date) => d.toISOString().slice(0, 10),
  month: (d: Date) => `${d.getUTCFullYear()}-${String(d.getUTCMonth() + 1).padStart(2, '0')}`,
};

export function addDays%N%(date: Date, days: number): Date {
  const copy = new Date(date.getTime());
  copy.setUTCDate(copy.getUTCDate() + days);
  return copy;
}
",
    ];
    let topic = [
        "arrays", "async", "text", "cache", "objects", "money", "query", "timing", "dates",
    ][u % 9];
    let k = g.rng.range(5, 8);
    let mut text =
        format!("// Shared helpers ({topic}).\nimport {{ logger }} from '../lib/logger';\n");
    for (j, part) in g.rng.sample(PARTS, k).into_iter().enumerate() {
        text.push('\n');
        text.push_str(&part.replace("%N%", &format!("{u}x{j}")));
    }
    text.push_str(&format!(
        "\nlogger.debug('helpers loaded', {{ module: '{topic}{u}' }});\n"
    ));
    g.write(&format!("src/utils/{topic}{u}.ts"), &text)
}

/// `dueDate` → `due_date`.
fn snake(name: &str) -> String {
    let mut out = String::new();
    for c in name.chars() {
        if c.is_ascii_uppercase() {
            out.push('_');
            out.push(c.to_ascii_lowercase());
        } else {
            out.push(c);
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Every file under `dir`, relative path and content, sorted.
    fn snapshot(dir: &Path) -> Vec<(String, Vec<u8>)> {
        let mut out = Vec::new();
        let mut stack = vec![dir.to_path_buf()];
        while let Some(d) = stack.pop() {
            for e in std::fs::read_dir(&d).unwrap() {
                let p = e.unwrap().path();
                if p.is_dir() {
                    stack.push(p);
                } else {
                    let rel = p.strip_prefix(dir).unwrap().to_string_lossy().into_owned();
                    out.push((rel, std::fs::read(&p).unwrap()));
                }
            }
        }
        out.sort();
        out
    }

    #[test]
    fn exact_size_and_deterministic() {
        for (files, seed) in [(30, 1), (57, 9), (230, 3)] {
            let a = tempfile::tempdir().unwrap();
            let b = tempfile::tempdir().unwrap();
            let ca = generate(a.path(), files, seed).unwrap();
            let cb = generate(b.path(), files, seed).unwrap();
            assert_eq!(ca.files, files);
            let code = snapshot(a.path())
                .into_iter()
                .filter(|(p, _)| p.ends_with(".ts") || p.ends_with(".js"))
                .count();
            assert_eq!(code, files, "every counted file is on disk");
            assert_eq!(
                snapshot(a.path()),
                snapshot(b.path()),
                "same seed, same corpus"
            );
            assert_eq!(ca.routes, cb.routes);
            assert!(
                ca.routes.len() > files / 2,
                "{} routes for {files} files",
                ca.routes.len()
            );
        }
        let a = tempfile::tempdir().unwrap();
        let b = tempfile::tempdir().unwrap();
        generate(a.path(), 100, 1).unwrap();
        generate(b.path(), 100, 2).unwrap();
        assert_ne!(snapshot(a.path()), snapshot(b.path()), "the seed matters");
    }

    #[test]
    fn canonical_route_keys() {
        let dir = tempfile::tempdir().unwrap();
        let c = generate(dir.path(), 40, 1).unwrap();
        assert_eq!(c.routes.get("GET /health"), Some(&false));
        assert_eq!(c.routes.get("POST /login"), Some(&false));
        assert!(
            c.routes
                .keys()
                .all(|k| !k.contains(':') && !k.ends_with('/'))
        );
        assert!(
            c.routes
                .keys()
                .any(|k| k.contains("/api/v1/") && k.contains('{'))
        );
    }
}
