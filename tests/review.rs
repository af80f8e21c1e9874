//! `secprop review --base REF` on repositories with real git history built in temporary
//! folders: what a change added, the exit status, missing history, and an untouched
//! checkout.

use assert_cmd::Command;
use std::path::Path;
use std::process::Output;

const APP: &str = r#"const express = require('express');
const { requireLogin } = require('./auth');
const logger = require('./logger');

const app = express();

app.get('/orgs/:orgId/report', requireLogin, async (req, res) => {
  return res.send({ orgId: req.params.orgId });
});

module.exports = app;
"#;

const AUTH: &str = r#"function requireLogin(req, res, next) {
  if (!req.headers['x-user']) {
    return res.status(401).send({ error: 'Unauthorized' });
  }
  req.user = { id: req.headers['x-user'] };
  return next();
}

module.exports = { requireLogin };
"#;

const SPEC: &str = r#"version: 1
targets:
  - name: api
    framework: express
    include: ["src/**"]
    tests: { runner: vitest, out: tests/security, harness: tests/security/harness.js }
context:
  authentication: [requireLogin]
  sensitive_fields: [ssn]
  sinks:
    logs: ["logger.*"]
properties:
  - id: login-required
    kind: authentication_required
    routes: ["* /orgs/**"]
"#;

const PACKAGE: &str = r#"{
  "name": "app",
  "dependencies": { "express": "^4.19.0" }
}
"#;

fn write(root: &Path, rel: &str, text: &str) {
    let path = root.join(rel);
    std::fs::create_dir_all(path.parent().unwrap()).unwrap();
    std::fs::write(path, text).unwrap();
}

fn git(root: &Path, args: &[&str]) -> String {
    let out = std::process::Command::new("git")
        .current_dir(root)
        .args([
            "-c",
            "user.name=secprop",
            "-c",
            "user.email=secprop@example.com",
        ])
        .args([
            "-c",
            "commit.gpgsign=false",
            "-c",
            "init.defaultBranch=main",
        ])
        .args(args)
        .output()
        .expect("git runs");
    assert!(
        out.status.success(),
        "git {args:?}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8_lossy(&out.stdout).trim().to_string()
}

fn secprop(root: &Path, args: &[&str]) -> Output {
    Command::cargo_bin("secprop")
        .unwrap()
        .current_dir(root)
        .env("NO_COLOR", "1")
        .env_remove("SOURCE_DATE_EPOCH")
        .args(args)
        .output()
        .unwrap()
}

fn text(o: &Output) -> String {
    format!(
        "{}{}",
        String::from_utf8_lossy(&o.stdout),
        String::from_utf8_lossy(&o.stderr)
    )
}

/// A repository whose `main` holds the app with its generated tests, checked out on a
/// new branch `change`.
fn repo() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path();
    write(root, "src/app.js", APP);
    write(root, "src/auth.js", AUTH);
    write(
        root,
        "src/logger.js",
        "module.exports = { info(...args) {} };\n",
    );
    write(root, "package.json", PACKAGE);
    write(root, "secprop.yaml", SPEC);
    git(root, &["init", "-q"]);
    let out = secprop(root, &["generate"]);
    assert_eq!(out.status.code(), Some(0), "{}", text(&out));
    git(root, &["add", "-A"]);
    git(root, &["commit", "-q", "-m", "base"]);
    git(root, &["checkout", "-q", "-b", "change"]);
    dir
}

fn review_json(root: &Path) -> (Option<i32>, serde_json::Value) {
    let out = secprop(root, &["review", "--base", "main", "--format", "json"]);
    let doc = serde_json::from_slice(&out.stdout).unwrap_or_else(|e| panic!("{e}: {}", text(&out)));
    (out.status.code(), doc)
}

#[test]
fn a_new_uncovered_route_dependency_and_sensitive_log_are_reported() {
    let dir = repo();
    let root = dir.path();
    write(
        root,
        "src/app.js",
        &APP.replace(
            "module.exports = app;",
            r#"app.post('/admin/reindex', async (req, res) => {
  logger.info('reindex requested by', req.user.ssn);
  return res.send({ ok: true });
});

module.exports = app;"#,
        ),
    );
    write(
        root,
        "package.json",
        &PACKAGE.replace(
            r#""express": "^4.19.0""#,
            r#""express": "^4.19.0", "left-pad": "1.3.0""#,
        ),
    );
    git(root, &["commit", "-q", "-am", "reindex"]);

    let (code, doc) = review_json(root);
    assert_eq!(code, Some(1), "{doc:#}");
    assert_eq!(doc["schema"], "secprop/review/v1");
    let added = doc["routes_added"].as_array().unwrap();
    assert_eq!(added.len(), 1, "{doc:#}");
    assert_eq!(added[0]["route"], "POST /admin/reindex");
    assert_eq!(added[0]["uncovered"], true);
    let deps: Vec<&str> = doc["dependencies_added"]
        .as_array()
        .unwrap()
        .iter()
        .map(|d| d["name"].as_str().unwrap())
        .collect();
    assert_eq!(deps, ["left-pad"], "{doc:#}");
    let flows = doc["sensitive_flows"].as_array().unwrap();
    assert_eq!(flows.len(), 1, "{doc:#}");
    assert_eq!(flows[0]["channel"], "logs");
    assert_eq!(flows[0]["call"], "logger.info");
    assert_eq!(flows[0]["sensitive"], serde_json::json!(["ssn"]));
    // The new route is uncovered: a new finding; nothing from the base is blamed.
    let findings: Vec<&str> = doc["findings_added"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| f["property"].as_str().unwrap())
        .collect();
    assert_eq!(findings, ["secprop/uncovered-route"], "{doc:#}");

    // The checkout is untouched: no file changed, no worktree or ref added.
    assert_eq!(git(root, &["status", "--porcelain"]), "");
    assert_eq!(git(root, &["worktree", "list"]).lines().count(), 1);

    let out = secprop(root, &["review", "--base", "main"]);
    assert_eq!(out.status.code(), Some(1), "{}", text(&out));
    let commit = git(root, &["merge-base", "main", "HEAD"]);
    let md = String::from_utf8_lossy(&out.stdout).replace(&commit[..12], "<base>");
    assert!(md.chars().count() <= 65_536);
    insta::assert_snapshot!(md);
}

#[test]
fn a_covered_tested_route_passes() {
    let dir = repo();
    let root = dir.path();
    write(
        root,
        "src/app.js",
        &APP.replace(
            "module.exports = app;",
            r#"app.get('/orgs/:orgId/members', requireLogin, async (req, res) => {
  return res.send([req.params.orgId]);
});

module.exports = app;"#,
        ),
    );
    let out = secprop(root, &["generate"]);
    assert_eq!(out.status.code(), Some(0), "{}", text(&out));
    git(root, &["add", "-A"]);
    git(root, &["commit", "-q", "-m", "members"]);

    let (code, doc) = review_json(root);
    assert_eq!(code, Some(0), "{doc:#}");
    let added = doc["routes_added"].as_array().unwrap();
    assert_eq!(added.len(), 1, "{doc:#}");
    assert_eq!(added[0]["route"], "GET /orgs/{orgId}/members");
    assert_eq!(
        added[0]["properties"],
        serde_json::json!(["login-required"])
    );
    assert_eq!(added[0]["tests"], "current");
    assert_eq!(doc["findings_added"], serde_json::json!([]));

    // Without regenerating, the same route's tests are stale: a new finding, exit 1.
    git(root, &["reset", "-q", "--hard", "main"]);
    write(
        root,
        "src/app.js",
        &APP.replace(
            "module.exports = app;",
            "app.get('/orgs/:orgId/members', requireLogin, async (req, res) => {\n  return res.send([]);\n});\n\nmodule.exports = app;",
        ),
    );
    let (code, doc) = review_json(root);
    assert_eq!(code, Some(1), "{doc:#}");
    assert_eq!(doc["routes_added"][0]["tests"], "stale", "{doc:#}");
}

#[test]
fn a_changed_handler_is_a_changed_route() {
    let dir = repo();
    let root = dir.path();
    write(
        root,
        "src/app.js",
        &APP.replace(
            "orgId: req.params.orgId",
            "orgId: req.params.orgId, at: Date.now()",
        ),
    );
    let (_, doc) = review_json(root);
    let changed = doc["routes_changed"].as_array().unwrap();
    assert_eq!(changed.len(), 1, "{doc:#}");
    assert_eq!(changed[0]["changed"], serde_json::json!(["handler"]));
    assert_eq!(doc["routes_added"], serde_json::json!([]));
}

#[test]
fn missing_history_is_exit_2_with_a_hint() {
    let dir = repo();
    let out = secprop(dir.path(), &["review", "--base", "origin/main"]);
    assert_eq!(out.status.code(), Some(2), "{}", text(&out));
    assert!(text(&out).contains("fetch-depth: 0"), "{}", text(&out));
    assert!(out.stdout.is_empty());
}
