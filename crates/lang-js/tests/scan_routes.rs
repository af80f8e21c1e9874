//! `scan_routes` against `scan`: on every fixture app, e2e variant, CLI and check
//! fixture, the routes are identical and every function a route's chain reaches has the
//! very body `scan` gives it (so guard matching by body, spec-v1 §6, sees the same
//! thing), while functions no chain reaches keep an empty body.

use secprop_lang_js::{ScanOptions, scan, scan_routes};
use secprop_model::{Expr, FnId, Project, walk_exprs};
use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

fn repo() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../..")
}

fn opts(dir: &Path) -> ScanOptions {
    ScanOptions {
        root: dir.to_path_buf(),
        repo_root: dir.to_path_buf(),
        include: vec![],
        exclude: vec![],
        ..Default::default()
    }
}

/// Subfolders of `dir`, sorted, without `node_modules` and `.run-*` work folders.
fn subdirs(dir: &Path) -> Vec<PathBuf> {
    let mut out: Vec<PathBuf> = std::fs::read_dir(dir)
        .unwrap_or_else(|e| panic!("cannot list {}: {e}", dir.display()))
        .filter_map(|e| e.ok())
        .filter(|e| e.file_type().is_ok_and(|t| t.is_dir()))
        .filter(|e| {
            let name = e.file_name().to_string_lossy().into_owned();
            name != "node_modules" && !name.starts_with(".run-")
        })
        .map(|e| e.path())
        .collect();
    out.sort();
    out
}

/// Every function reachable from the routes' chain elements, as `lower_reachable`
/// defines it, computed on the full scan.
fn reachable(p: &Project) -> BTreeSet<FnId> {
    let mut seen = BTreeSet::new();
    let mut work: Vec<FnId> = p
        .routes
        .iter()
        .flat_map(|r| r.chain.iter().filter_map(|e| e.function))
        .collect();
    while let Some(id) = work.pop() {
        if !seen.insert(id) {
            continue;
        }
        walk_exprs(&p.function(id).body, &mut |e| match e {
            Expr::Call(c) => work.extend(c.callee),
            Expr::Function(f) => work.push(*f),
            _ => {}
        });
    }
    seen
}

/// Compares the two scans of one folder (a folder being rewritten may have no routes);
/// returns how many chain elements that are project functions were compared.
fn compare(dir: &Path) -> usize {
    let full = scan(&opts(dir));
    let quick = scan_routes(&opts(dir));
    let name = dir.display();
    assert_eq!(full.routes.len(), quick.routes.len(), "{name}: route count");
    assert_eq!(
        full.functions.len(),
        quick.functions.len(),
        "{name}: functions"
    );
    assert_eq!(
        format!("{:?}", full.warnings),
        format!("{:?}", quick.warnings),
        "{name}: warnings"
    );
    let mut compared = 0;
    for (a, b) in full.routes.iter().zip(&quick.routes) {
        let route = format!("{name}: {} {}", a.method, a.path());
        assert_eq!(a.method, b.method, "{route}: method");
        assert_eq!(a.path(), b.path(), "{route}: path");
        assert_eq!(
            format!("{:?}", a.segments),
            format!("{:?}", b.segments),
            "{route}: segments"
        );
        assert_eq!(a.span, b.span, "{route}: span");
        assert_eq!(a.handler, b.handler, "{route}: handler");
        assert_eq!(a.handler_name, b.handler_name, "{route}: handler_name");
        assert_eq!(a.unresolved, b.unresolved, "{route}: unresolved");
        assert_eq!(a.chain.len(), b.chain.len(), "{route}: chain length");
        for (x, y) in a.chain.iter().zip(&b.chain) {
            assert_eq!(x.kind, y.kind, "{route}: chain kind");
            assert_eq!(x.names, y.names, "{route}: chain names");
            assert_eq!(x.factory, y.factory, "{route}: chain factory");
            assert_eq!(x.function, y.function, "{route}: chain function");
            assert_eq!(x.span, y.span, "{route}: chain span");
            if let Some(id) = x.function {
                assert_eq!(
                    format!("{:?}", full.function(id)),
                    format!("{:?}", quick.function(id)),
                    "{route}: chain function {} lowered differently",
                    full.function(id).name
                );
                compared += 1;
            }
        }
    }
    // Everything a chain reaches (callees, callbacks) is lowered as in `scan`; every
    // other function keeps its signature and an empty body.
    let reach = reachable(&full);
    for (f, q) in full.functions.iter().zip(&quick.functions) {
        if reach.contains(&f.id) {
            assert_eq!(
                format!("{f:?}"),
                format!("{q:?}"),
                "{name}: reachable function {} lowered differently",
                f.name
            );
        } else {
            assert!(
                q.body.is_empty(),
                "{name}: {} is reached by no chain but has a body",
                q.name
            );
            let mut sig = f.clone();
            sig.body.clear();
            assert_eq!(
                format!("{sig:?}"),
                format!("{q:?}"),
                "{name}: signature of {}",
                f.name
            );
        }
    }
    compared
}

#[test]
fn scan_routes_matches_scan_on_every_fixture() {
    let root = repo();
    let mut dirs = subdirs(&root.join("tests/apps/express"));
    dirs.extend(subdirs(&root.join("tests/e2e/express")));
    dirs.push(root.join("tests/fixtures/cli/report-app"));
    // The check fixtures: many project middlewares, guards in their bodies.
    dirs.push(root.join("tests/fixtures/check/express"));
    assert!(dirs.len() >= 14, "fixture folders found: {dirs:?}");
    let mut compared = 0;
    for d in &dirs {
        compared += compare(d);
    }
    // The fixtures do have project middlewares in chains (several per app): the
    // comparison is not vacuous.
    assert!(
        compared >= 20,
        "only {compared} chain elements were project functions"
    );
}

/// Writes `files` under a fresh temporary folder.
fn write_app(files: &[(&str, &str)]) -> tempfile::TempDir {
    let dir = tempfile::tempdir().expect("temporary folder");
    for (rel, src) in files {
        let path = dir.path().join(rel);
        std::fs::create_dir_all(path.parent().expect("file in a folder")).expect("mkdir");
        std::fs::write(path, src).expect("write");
    }
    dir
}

fn by_name(p: &Project, name: &str) -> FnId {
    p.functions
        .iter()
        .find(|f| f.name == name)
        .unwrap_or_else(|| {
            let names: Vec<&str> = p.functions.iter().map(|f| f.name.as_str()).collect();
            panic!("no function {name} in {names:?}")
        })
        .id
}

#[test]
fn chain_bodies_are_lowered_through_helpers_in_other_files() {
    let dir = write_app(&[
        (
            "src/app.js",
            r#"const express = require('express');
const { requireProjectAccess } = require('./middleware/access');
const app = express();
app.get('/projects/:projectId/report', requireProjectAccess, function showReport(req, res) {
  const total = computeTotal(req.params.projectId);
  res.json({ total });
});
function computeTotal(id) { return store.sum(id); }
module.exports = app;
"#,
        ),
        (
            "src/middleware/access.js",
            r#"const { checkMember } = require('../lib/members');
async function requireProjectAccess(req, res, next) {
  const ok = await checkMember(req.user, req.params.projectId);
  if (!ok) return res.status(403).end();
  [1].forEach((x) => audit(x));
  next();
}
function unusedMiddleware(req, res, next) { log(req.path); next(); }
module.exports = { requireProjectAccess, unusedMiddleware };
"#,
        ),
        (
            "src/lib/members.js",
            r#"const membership = require('./membership');
async function checkMember(user, projectId) {
  return membership.canView(user, projectId);
}
function notCalled(user) { return membership.canView(user, 'x'); }
module.exports = { checkMember, notCalled };
"#,
        ),
        (
            "src/lib/membership.js",
            r#"function canView(user, projectId) {
  return db.members.exists(user.id, projectId);
}
module.exports = { canView };
"#,
        ),
    ]);
    let full = scan(&opts(dir.path()));
    let quick = scan_routes(&opts(dir.path()));
    assert_eq!(quick.routes.len(), 1, "{:?}", quick.routes);
    let chain = &quick.routes[0].chain;
    assert_eq!(chain.len(), 1);
    let mw = chain[0]
        .function
        .expect("the middleware is a project function");
    assert_eq!(quick.function(mw).name, full.function(mw).name);
    // Three levels: middleware (access.js) → helper (members.js) → guard (membership.js),
    // plus the inline callback in the middleware.
    let helper = by_name(&quick, "members.checkMember");
    let guard = by_name(&quick, "membership.canView");
    let callback = quick
        .functions
        .iter()
        .find(|f| f.span.file == quick.function(mw).span.file && f.id != mw && f.params.len() == 1)
        .expect("the forEach callback")
        .id;
    for id in [mw, helper, guard, callback] {
        let (f, q) = (full.function(id), quick.function(id));
        assert!(!q.body.is_empty(), "{} has its body", q.name);
        assert_eq!(format!("{f:?}"), format!("{q:?}"), "{} as in scan", q.name);
    }
    // The helper's call resolves to the guard, which is how it was reached.
    let mut callees = Vec::new();
    walk_exprs(&quick.function(helper).body, &mut |e| {
        if let Expr::Call(c) = e {
            callees.extend(c.callee);
        }
    });
    assert_eq!(callees, vec![guard]);
    // Everything else: signature only.
    let handler = quick.routes[0].handler.expect("named handler");
    for name in [
        "access.unusedMiddleware",
        "members.notCalled",
        "app.computeTotal",
    ] {
        let id = by_name(&quick, name);
        assert!(
            !full.function(id).body.is_empty(),
            "{name} has a body in scan"
        );
        assert!(quick.function(id).body.is_empty(), "{name} is not lowered");
    }
    assert!(!full.function(handler).body.is_empty());
    assert!(
        quick.function(handler).body.is_empty(),
        "the handler is not lowered"
    );
    assert_eq!(
        quick.function(handler).params.len(),
        2,
        "signatures stay complete"
    );
}

#[test]
fn chain_functions_see_the_request_aliases_of_enclosing_functions() {
    // `mw` reads `p.projectId` through an alias declared by the (unreached) function it
    // is written in: lowering it alone would lose that alias.
    let dir = write_app(&[(
        "src/app.js",
        r#"const express = require('express');
const app = express();
function routes(app, req) {
  const p = req.params;
  function mw(r, res, next) {
    if (!canView(p.projectId)) return res.status(403).end();
    next();
  }
  app.get('/projects/:projectId', mw, (r, res) => res.json({}));
}
routes(app, {});
module.exports = app;
"#,
    )]);
    let full = scan(&opts(dir.path()));
    let quick = scan_routes(&opts(dir.path()));
    assert_eq!(quick.routes.len(), 1, "{:?}", quick.routes);
    let mw = quick.routes[0].chain[0]
        .function
        .expect("mw is a project function");
    let body = format!("{:?}", quick.function(mw).body);
    assert!(body.contains("RouteParam(\"projectId\")"), "{body}");
    assert_eq!(body, format!("{:?}", full.function(mw).body));
    assert!(
        quick
            .function(by_name(&quick, "app.routes"))
            .body
            .is_empty()
    );
}
