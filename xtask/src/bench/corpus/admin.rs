//! The corpus's second target, `admin` (`services/admin`): an ES-module JavaScript service
//! whose routes are registered the indirect ways real apps use (issue 10): registration
//! functions that receive the app (`export default function register(app, db)` and a
//! CommonJS `module.exports = (app, db) => {...}`) called from the entry file; a project helper called with literal arguments (`registerCrud(app, '/x', c)`);
//! loops over literal arrays (`for..of`, `forEach`) and over object keys; `app.route()`
//! chains; `app.use` mounts of a router.

use super::{Area, Gen};
use anyhow::Result;

/// Files the admin service needs at least: server, auth, database, crud helper, the
/// CommonJS registration module, and one area (routes and controller).
pub const MIN_FILES: usize = 7;

/// Writes the admin service in about `budget` files and records its routes in `g.routes`.
pub fn generate(g: &mut Gen, budget: usize) -> Result<()> {
    let start = g.files;
    g.write(
        "services/admin/lib/auth.js",
        "// Session check for every admin route.
export function requireLogin(req, res, next) {
  const token = req.get('authorization');
  if (!token || !token.startsWith('Bearer ')) {
    return res.status(401).json({ error: 'Unauthorized' });
  }
  req.user = { id: token.slice(7), role: 'admin' };
  next();
}

export function requireRole(role) {
  return function (req, res, next) {
    if (!req.user || req.user.role !== role) return res.status(403).json({ error: 'Forbidden' });
    next();
  };
}
",
    )?;
    g.write(
        "services/admin/lib/crud.js",
        "// Registers the list, show and delete endpoints of a resource on `app`.
export function registerCrud(app, base, controller) {
  app.get(base, controller.list);
  app.get(`${base}/:id`, controller.show);
  app.delete(base + '/:id', controller.remove);
}
",
    )?;
    g.write(
        "services/admin/lib/db.js",
        "// The database handle controllers share, set once connected.
export const db = { collection: (name) => globalThis.adminDb.collection(name) };

export function connectDb(url) {
  globalThis.adminDb = globalThis.mongo.connect(url);
  return db;
}
",
    )?;
    // The CommonJS registration module the ES-module server imports.
    g.write(
        "services/admin/routes/audit.js",
        "'use strict';
// Audit log endpoints (CommonJS): receives the app and the database handle.
module.exports = (app, db) => {
  app.get('/admin/audit', async (req, res) => {
    const rows = await db.collection('audit').find({}).limit(100).toArray();
    res.json(rows);
  });
  const kinds = { logins: 'login', exports: 'export', deletions: 'delete' };
  for (const k of Object.keys(kinds)) {
    app.get('/admin/audit/' + k, async (req, res) => {
      res.json(await db.collection('audit').find({ kind: kinds[k] }).toArray());
    });
  }
};
",
    )?;
    g.route("get", "", "/admin/audit", true);
    for k in ["logins", "exports", "deletions"] {
        g.route("get", "", &format!("/admin/audit/{k}"), true);
    }

    let mut areas = Vec::new();
    // Two files per area, one for the server written last.
    while g.files + 2 < start + budget || areas.is_empty() {
        let a = Area::new(100 + areas.len(), &mut g.rng);
        area(g, &a)?;
        areas.push(a);
    }
    server(g, &areas)
}

/// One admin area: a registration module and its controller.
fn area(g: &mut Gen, a: &Area) -> Result<()> {
    let base = a.fill("/admin/%name%");
    let mut r = a.fill(
        "// Admin endpoints of %name%: registered on the app by the server.
import { registerCrud } from '../lib/crud.js';
import { requireRole } from '../lib/auth.js';
import * as controller from '../controllers/%name%.js';

export default function register%Class%(app, db) {
  registerCrud(app, '/admin/%name%', controller);
",
    );
    g.route("get", &base, "", true);
    g.route("get", &base, "/:id", true);
    g.route("delete", &base, "/:id", true);
    let actions: Vec<&str> = {
        let all = ["archive", "restore", "lock", "unlock", "reindex"];
        let k = g.rng.range(1, 3);
        g.rng.sample(&all, k)
    };
    let list = actions
        .iter()
        .map(|a| format!("'{a}'"))
        .collect::<Vec<_>>()
        .join(", ");
    r.push_str(&a.fill(&format!(
        "  for (const action of [{list}]) {{
    app.post(`/admin/%name%/:id/${{action}}`, requireRole('admin'), (req, res) =>
      controller.act(req, res, db, action),
    );
  }}
"
    )));
    for action in &actions {
        g.route("post", &base, &format!("/:id/{action}"), true);
    }
    if g.rng.chance(60) {
        r.push_str(&a.fill(
            "  ['csv', 'json'].forEach((format) => {
    app.get('/admin/%name%/export.' + format, controller.exportAll);
  });
",
        ));
        g.route("get", &base, "/export.csv", true);
        g.route("get", &base, "/export.json", true);
    }
    if g.rng.chance(50) {
        r.push_str(&a.fill(
            "  app
    .route('/admin/%name%/:id/owner')
    .get(controller.owner)
    .put(requireRole('admin'), controller.setOwner);
",
        ));
        g.route("get", &base, "/:id/owner", true);
        g.route("put", &base, "/:id/owner", true);
    }
    r.push_str("}\n");
    g.write(&a.fill("services/admin/routes/%name%.js"), &r)?;

    let mut c = a.fill(
        "// Admin handlers of %name%.
import { db } from '../lib/db.js';

const COLLECTION = '%name%';

export async function list(req, res) {
  const page = Math.max(0, Number(req.query.page ?? 0));
  const rows = await db.collection(COLLECTION).find({}).skip(page * 50).limit(50).toArray();
  res.json({ page, rows });
}

export async function show(req, res) {
  const row = await db.collection(COLLECTION).findOne({ _id: req.params.id });
  if (!row) return res.status(404).json({ error: 'Not found' });
  res.json(row);
}

export async function remove(req, res) {
  await db.collection(COLLECTION).deleteOne({ _id: req.params.id });
  res.status(204).end();
}

export async function act(req, res, database, action) {
  const update = { $set: { state: action, by: req.user.id, at: new Date() } };
  const result = await database.collection(COLLECTION).updateOne({ _id: req.params.id }, update);
  if (result.matchedCount === 0) return res.status(404).json({ error: 'Not found' });
  res.json({ id: req.params.id, state: action });
}

export async function exportAll(req, res) {
  const rows = await db.collection(COLLECTION).find({}).toArray();
  if (req.path.endsWith('.csv')) {
    const header = Object.keys(rows[0] ?? {}).join(',');
    const lines = rows.map((r) => Object.values(r).map((v) => JSON.stringify(v ?? '')).join(','));
    res.type('text/csv').send([header, ...lines].join('\\n'));
    return;
  }
  res.json(rows);
}

export async function owner(req, res) {
  const row = await db.collection(COLLECTION).findOne({ _id: req.params.id }, { projection: { owner: 1 } });
  res.json({ owner: row?.owner ?? null });
}

export async function setOwner(req, res) {
  const { owner } = req.body ?? {};
  if (typeof owner !== 'string' || owner.length === 0) {
    return res.status(400).json({ error: 'owner must be a non-empty string' });
  }
  await db.collection(COLLECTION).updateOne({ _id: req.params.id }, { $set: { owner } });
  res.status(204).end();
}
",
    );
    for (field, _, expr) in &a.fields {
        c.push_str(&format!(
            "\nexport function normalize_{field}(input) {{\n  return {};\n}}\n",
            expr.replace("input.", "input?.")
        ));
    }
    g.write(&a.fill("services/admin/controllers/%name%.js"), &c)
}

/// `server.js`: global middleware, then the registration functions. (Inside a
/// `MongoClient.connect` callback of an ES-module import the routes lose the app's chain
/// today; the CommonJS form of that shape has a fixture app.)
fn server(g: &mut Gen, areas: &[Area]) -> Result<()> {
    let mut s = String::from(
        "// Admin service entry: registers every admin module once the database is up.
import express from 'express';
import { connectDb } from './lib/db.js';
import { requireLogin } from './lib/auth.js';
import registerAudit from './routes/audit.js';
",
    );
    for a in areas {
        s.push_str(&a.fill("import register%Class% from './routes/%name%.js';\n"));
    }
    s.push_str(
        "
const app = express();
app.use(express.json({ limit: '256kb' }));
app.use(requireLogin);

const db = connectDb(process.env.ADMIN_DB_URL);
registerAudit(app, db);
",
    );
    for a in areas {
        s.push_str(&a.fill("register%Class%(app, db);\n"));
    }
    s.push_str("app.listen(Number(process.env.ADMIN_PORT ?? 4000));\n");
    g.write("services/admin/server.js", &s)
}
