//! Unit tests of the lowering, one construct per test, through `scan_source`.

mod common;

use common::{func, render};
use secprop_lang_js::{scan_source, scan_sources};

fn handler_body(src: &str) -> String {
    let p = scan_source("app.js", src);
    let r = p.routes.first().expect("a route");
    let id = r.handler.expect("a resolved handler");
    render(&p.function(id).body)
}

#[test]
fn seed_example_vulnerable() {
    let body = handler_body(
        r#"
const express = require('express');
const membership = require('./membership');
const app = express();
app.get('/projects/:projectId/report', requireLogin, async (req, res) => {
  const report = await reports.buildProjectReport(req.params.projectId);
  if (!(await membership.canView(req.user.id, req.params.projectId))) {
    return res.status(403).send({ error: 'Forbidden' });
  }
  return res.send(report);
});
"#,
    );
    assert_eq!(
        body,
        "let report = await reports.buildProjectReport(param:projectId)
if !await membership.canView(req:user.id, param:projectId)
  respond send 403 {error: \"Forbidden\"}
  return
respond send - report
return
"
    );
}

#[test]
fn params_destructured_and_subscript() {
    let body = handler_body(
        r#"
const app = require('express')();
app.get('/a/:x/:y', (req, res) => {
  const { x, y: why } = req.params;
  const z = req.params['x'];
  const { id } = req.user;
  res.json({ x, why, z, q: req.query.q, b: req.body.name });
});
"#,
    );
    assert_eq!(
        body,
        "let x = param:x
let why = param:y
let z = param:x
let id = req:user.id
respond json - {x: x, why: why, z: z, q: req:query.q, b: req:body.name}
"
    );
}

#[test]
fn responses_and_statuses() {
    let body = handler_body(
        r#"
const app = require('express')();
app.get('/r', (req, res) => {
  res.sendStatus(404);
  res.status(403).json({ e: 1 });
  res.end();
  res.status(401);
  res.send('no');
  res.cookie('sid', token).redirect(302, '/x');
});
"#,
    );
    assert_eq!(
        body,
        "respond sendStatus 404
respond json 403 {e: 1}
respond end -
respond send 401 \"no\"
respond cookie - [token]
respond redirect 302 \"/x\"
"
    );
}

#[test]
fn next_in_middleware_and_conditions() {
    let p = scan_source(
        "auth.js",
        r#"
async function guard(req, res, next) {
  if (!req.user || !(await canView(req.user.id, req.params.id)) && other()) {
    return next(new Error('no'));
  }
  ok ? next() : res.sendStatus(403);
  req.user && next();
  next();
}
"#,
    );
    assert_eq!(
        render(&func(&p, "auth.guard").body),
        "if (!req:user || (!await canView(req:user.id, param:id) && other()))
  next new Error(\"no\")
  return
if ok
  next
else
  respond sendStatus 403
if req:user
  next
next
"
    );
    assert!(func(&p, "auth.guard").is_async);
}

#[test]
fn try_loops_throw_switch() {
    let p = scan_source(
        "h.js",
        r#"
function h(req, res) {
  try {
    for (const item of load()) { save(item.id); }
    while (more()) { step(); }
    throw new HttpError(400);
  } catch (err) {
    log(err);
  } finally {
    done();
  }
  switch (req.query.kind) {
    case 'a': a(); break;
    default: b();
  }
}
"#,
    );
    assert_eq!(
        render(&func(&p, "h.h").body),
        "try
  let $iter1 = load()
  loop
    let item = $iter1.[]
    save(item.id)
  loop
    more()
    step()
  throw new HttpError(400)
catch err
  log(err)
finally
  done()
let $switch2 = req:query.kind
if ?($switch2, \"a\")
  a()
else
  b()
"
    );
}

#[test]
fn import_resolved_names_and_callees() {
    let p = scan_sources(&[
        (
            "src/routes.ts",
            r#"
import { canView as cv } from './membership';
import * as m from './membership';
import record from './audit';
const { buildProjectReport } = require('./reports');
export async function h(req: Request, res: Response) {
  await cv(1, 2);
  await m.canEdit(1, 2);
  record('x');
  await buildProjectReport(3);
  this.audit.record('y');
  db['query']('select');
  a?.b();
  fn.call(null, 1);
  const x = new Widget();
}
"#,
        ),
        (
            "src/membership.ts",
            "export async function canView(u: string, p: string): Promise<boolean> { return true; }\nexport async function canEdit(u, p) { return true; }\n",
        ),
        ("src/audit.js", "export default function record(e) {}\n"),
        (
            "src/reports.js",
            "exports.buildProjectReport = async (id) => ({ id });\n",
        ),
    ]);
    let f = func(&p, "routes.h");
    assert_eq!(
        render(&f.body),
        "await cv|membership.canView(1, 2)#
await m.canEdit|membership.canEdit(1, 2)#
record|audit(\"x\")#
await buildProjectReport|reports.buildProjectReport(3)#
audit.record(\"y\")
db.query(\"select\")
a.b()
fn(null, 1)
let x = new Widget()
"
    );
    let cv = func(&p, "membership.canView");
    assert!(cv.is_async);
    assert_eq!(cv.return_type.as_deref(), Some("Promise<boolean>"));
    assert_eq!(cv.params[0].ty.as_deref(), Some("string"));
}

#[test]
fn class_methods_this_calls_and_instances() {
    let p = scan_source(
        "ctl.ts",
        r#"
class ReportService { async build(id: string) { return id; } }
class Ctl {
  constructor(private readonly reports: ReportService) {}
  helper() { return 1; }
  async show(req, res) {
    this.helper();
    await this.reports.build(req.params.id);
    const svc = new ReportService();
    await svc.build('x');
  }
}
"#,
    );
    let f = func(&p, "Ctl.show");
    assert_eq!(
        render(&f.body),
        "helper|Ctl.helper()#
await reports.build|ReportService.build(param:id)#
let svc = new ReportService()
await svc.build|ReportService.build(\"x\")#
"
    );
}

#[test]
fn functions_stored_once_and_inline_callbacks() {
    let p = scan_source(
        "a.js",
        r#"
const app = require('express')();
function helper(x) { return audit.record(x); }
app.get('/x', (req, res) => {
  items.forEach((i) => helper(i));
  res.json(items.map(function (i) { return i.id; }));
});
"#,
    );
    let mut ranges: Vec<(u32, u32, u32)> = p
        .functions
        .iter()
        .map(|f| (f.span.file.0, f.span.start_byte, f.span.end_byte))
        .collect();
    let n = ranges.len();
    ranges.sort();
    ranges.dedup();
    assert_eq!(ranges.len(), n, "every function stored once");
    for (i, f) in p.functions.iter().enumerate() {
        assert_eq!(f.id.0 as usize, i);
    }
    let h = p.function(p.routes[0].handler.unwrap());
    let text = render(&h.body);
    assert!(text.starts_with("items.forEach(fn#"), "{text}");
    assert!(text.contains("respond json - items.map(fn#"), "{text}");
    // The callback's call to the local helper resolves.
    let cb = p
        .functions
        .iter()
        .find(|f| render(&f.body).contains("helper(i)#"))
        .expect("callback lowered");
    assert_eq!(cb.name, "<anonymous>");
}

#[test]
fn arrow_expression_bodies_and_ternaries() {
    let body = handler_body(
        r#"
const app = require('express')();
app.get('/t/:id', async (req, res) => (await allowed(req.params.id)) ? res.json(await load(req.params.id)) : res.sendStatus(404));
"#,
    );
    assert_eq!(
        body,
        "if await allowed(param:id)
  respond json - await load(param:id)
  return
else
  respond sendStatus 404
  return
"
    );
}

#[test]
fn columns_are_code_points() {
    let p = scan_source("u.js", "const s = 'é€😀'; function f() { g(); }\n");
    let f = func(&p, "u.f");
    // `function` starts after 17 code points (the emoji is one code point, 4 bytes).
    assert_eq!(f.span.column, 18);
    assert_eq!(f.span.line, 1);
    assert!(f.span.start_byte > 19);
}

#[test]
fn bound_functions_are_named_as_the_target() {
    let p = scan_source(
        "b.js",
        "function h(req, res) {\n  const rec = audit.record.bind(audit);\n  rec('x');\n  audit.record.call(audit, 'y');\n}\n",
    );
    assert_eq!(
        render(&func(&p, "b.h").body),
        "let rec = audit.record.bind(audit)\nrec|audit.record(\"x\")\naudit.record(audit, \"y\")\n"
    );
}

#[test]
fn request_aliases_and_destructured_request() {
    let p = scan_source(
        "a.js",
        "function h(req, res) {\n  const p = req.params;\n  const { body } = req;\n  check(p.projectId, body.name);\n}\nconst g = ({ params, user }, res) => check(params.id, user.id);\n",
    );
    assert_eq!(
        render(&func(&p, "a.h").body),
        "let p = req:params\nlet body = req:body\ncheck(param:projectId, req:body.name)\n"
    );
    assert_eq!(
        render(&func(&p, "a.g").body),
        "let params = req:params\nlet user = req:user\nreturn check(param:id, req:user.id)\n"
    );
}

#[test]
fn callbacks_see_request_aliases_of_their_function() {
    let p = scan_source(
        "c.js",
        "function h(req, res) {\n  const { projectId } = req.params;\n  const p = req.params;\n  items.forEach((i) => audit(p.projectId, projectId));\n}\n",
    );
    let cb = p
        .functions
        .iter()
        .find(|f| f.name == "<anonymous>")
        .unwrap();
    assert_eq!(
        render(&cb.body),
        "return audit(param:projectId, projectId)\n"
    );
}

#[test]
fn keywords_are_not_functions() {
    let p = scan_source(
        "k.js",
        "function a() {}\nconst b = function () {};\nclass C { m() {} }\n",
    );
    let names: Vec<&str> = p.functions.iter().map(|f| f.name.as_str()).collect();
    assert_eq!(names, ["k.a", "k.b", "C.m"]);
}

#[test]
fn comparisons_with_booleans_become_conditions() {
    use secprop_model::{Cond, StmtKind};
    let p = scan_source(
        "src/app.js",
        "async function f(ok, x) {\n  if (ok === false) { return 1; }\n  if (true !== ok) { return 2; }\n  if (ok == true) { return 3; }\n  if (x === 'pdf') { return 4; }\n  if (x !== 'csv') { return 5; }\n  if (1 === 2) { return 6; }\n}\n",
    );
    let f = func(&p, "app.f");
    let conds: Vec<String> = f
        .body
        .iter()
        .filter_map(|s| match &s.kind {
            StmtKind::If { cond, .. } => Some(match cond {
                Cond::Not(inner) => format!(
                    "not {}",
                    matches!(**inner, Cond::Expr(secprop_model::Expr::Local(_)))
                ),
                Cond::Expr(secprop_model::Expr::Local(_)) => "local".to_string(),
                Cond::Expr(_) => "opaque".to_string(),
                Cond::Compare {
                    value: secprop_model::Expr::Local(_),
                    literal: secprop_model::Literal::String(s),
                    negated,
                } => format!("local {} {s}", if *negated { "!=" } else { "==" }),
                other => format!("{other:?}"),
            }),
            _ => None,
        })
        .collect();
    assert_eq!(
        conds,
        [
            "not true",
            "not true",
            "local",
            "local == pdf",
            "local != csv",
            "opaque"
        ]
    );
}

#[test]
fn object_rest_omits_the_keys_taken_beside_it() {
    let body = handler_body(
        r#"
const app = require('express')();
app.get('/me', async (req, res) => {
  const { passwordHash, 'api-token': token, role = 'user', ...rest } = user;
  const [first, ...others] = list;
  res.json(rest);
});
"#,
    );
    assert_eq!(
        body,
        "let passwordHash = user.passwordHash
let token = user.api-token
let role = user.role
let rest = user without passwordHash,api-token,role
let first = list.0
let others = list.1
respond json - rest
"
    );
}

#[test]
fn record_types_of_interfaces_aliases_and_classes() {
    let p = scan_source(
        "types.ts",
        r#"
interface User { id: string; passwordHash: string; check(): boolean }
type Team = { id: string; apiToken?: string };
type Id = string;
class Account {
  id = '';
  #secret = '';
  toJSON() { return { id: this.id }; }
}
"#,
    );
    let got: Vec<String> = p
        .types
        .iter()
        .map(|t| format!("{} {:?} {}", t.name, t.fields, t.custom_serialization))
        .collect();
    assert_eq!(
        got,
        [
            r#"User ["id", "passwordHash"] false"#,
            r#"Team ["id", "apiToken"] false"#,
            r#"Account ["id", "secret"] true"#,
        ]
    );
}

#[test]
fn declared_record_types_of_locals() {
    let p = scan_source(
        "app.ts",
        r#"
const app = require('express')();
app.get('/me', async (req, res) => {
  const user: User = await db.users.find(req.user.id);
  const n: number = 1;
  res.json(user);
});
"#,
    );
    let id = p.routes[0].handler.expect("a resolved handler");
    assert_eq!(
        render(&p.function(id).body),
        "let user = await db.users.find(req:user.id): User
let n = 1
respond json - user
"
    );
}

/// Headers and cookies are response channels that do not answer the request; the calls
/// that send, a stream piped into the response included, do (issue 10).
#[test]
fn header_calls_do_not_send() {
    let p = scan_source(
        "app.js",
        r#"
const app = require('express')();
app.get('/f', (req, res) => {
  res.set('X-Frame-Options', 'DENY');
  res.setHeader('X-A', req.user.id);
  res.append('Vary', 'Origin');
  res.cookie('seen', '1');
  res.type('text/plain');
  fs.createReadStream(req.query.p).pipe(res);
});
"#,
    );
    let id = p.routes[0].handler.expect("handler");
    let sends: Vec<(String, bool)> = p
        .function(id)
        .body
        .iter()
        .filter_map(|s| match &s.kind {
            secprop_model::StmtKind::Respond(r) => Some((r.method.clone(), r.sends)),
            _ => None,
        })
        .collect();
    let expected = [
        ("set", false),
        ("setHeader", false),
        ("append", false),
        ("cookie", false),
        ("type", false),
        ("pipe", true),
    ];
    assert_eq!(
        sends,
        expected.map(|(m, s)| (m.to_string(), s)).to_vec(),
        "{}",
        render(&p.function(id).body)
    );
}

#[test]
fn header_reads_are_request_parts() {
    let body = handler_body(
        r#"
const app = require('express')();
app.get('/h', (req, res) => {
  const a = req.get('X-Tenant-Id');
  const b = req.header('x-tenant-id');
  const c = req.headers['X-Other'];
  const d = other.get('X-Tenant-Id');
  res.json({ a, b, c, d });
});
"#,
    );
    assert_eq!(
        body,
        "let a = req:headers.x-tenant-id
let b = req:headers.x-tenant-id
let c = req:headers.X-Other
let d = other.get(\"X-Tenant-Id\")
respond json - {a: a, b: b, c: c, d: d}
"
    );
}

#[test]
fn non_null_after_a_comparison_applies_to_its_right_operand() {
    // tree-sitter-typescript parses `a !== b!.id` as `(a !== b)!.id`.
    let p = scan_source(
        "app.ts",
        "import express from 'express';\nconst app = express();\napp.get('/d/:id', async (req, res) => {\n  const doc = await db.docs.findById(req.params.id);\n  if (doc.ownerId !== req.user!.id) return res.sendStatus(404);\n  if (!doc || doc.ownerId === req.user!.profile!.id) return res.sendStatus(403);\n  const n = doc.size + req.query!.extra;\n  res.json(doc);\n});\n",
    );
    let id = p.routes[0].handler.expect("a resolved handler");
    assert_eq!(
        render(&p.function(id).body),
        "let doc = await db.docs.findById(param:id)
if ?(doc.ownerId, req:user.id)
  respond sendStatus 404
  return
if (!doc || ?(doc.ownerId, req:user.profile.id))
  respond sendStatus 403
  return
let n = ?(doc.size, req:query.extra)
respond json - doc
"
    );
}
