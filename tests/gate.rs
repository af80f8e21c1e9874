//! The gate never passes silently: each everyday mistake that makes coverage drop (a
//! selector typo, a target naming nothing, a runner this version lacks) is a finding or a
//! spec error with a non-zero exit, shown on small apps built in temporary folders.

use assert_cmd::Command;
use std::path::Path;
use std::process::Output;

/// A small multi-tenant Express app whose routes are all correct.
const APP: &[(&str, &str)] = &[
    (
        "src/app.js",
        r#"const express = require('express');
const { requireLogin } = require('./auth');
const access = require('./access');
const reports = require('./reports');

const app = express();

app.get('/orgs/:orgId/report', requireLogin, async (req, res) => {
  if (!(await access.isMember(req.user.id, req.params.orgId))) {
    return res.status(403).send({ error: 'Forbidden' });
  }
  return res.send(await reports.build(req.params.orgId));
});

app.get('/orgs/:orgId/members', requireLogin, async (req, res) => {
  if (!(await access.isMember(req.user.id, req.params.orgId))) {
    return res.status(403).send({ error: 'Forbidden' });
  }
  return res.send(await reports.members(req.params.orgId));
});

module.exports = app;
"#,
    ),
    (
        "src/auth.js",
        r#"function requireLogin(req, res, next) {
  if (!req.headers['x-user']) {
    return res.status(401).send({ error: 'Unauthorized' });
  }
  req.user = { id: req.headers['x-user'] };
  return next();
}

module.exports = { requireLogin };
"#,
    ),
    (
        "src/access.js",
        "async function isMember(userId, orgId) {\n  return userId === orgId;\n}\n\nmodule.exports = { isMember };\n",
    ),
    (
        "src/reports.js",
        "async function build(orgId) {\n  return { orgId };\n}\n\nasync function members(orgId) {\n  return [orgId];\n}\n\nmodule.exports = { build, members };\n",
    ),
];

/// The app's spec, with `{ORG}` standing for the tenant property's selector and
/// `{EXCEPT}` for its `except` list.
const SPEC: &str = r#"version: 1
targets:
  - name: api
    framework: express
    include: ["src/**"]
context:
  authentication: [requireLogin]
  authorization: ["access.isMember"]
  side_effects: ["reports.*"]
properties:
  - id: tenant-isolation
    kind: cross_tenant_denied
    routes: ["{ORG}"]
    except: {EXCEPT}
    tenant_param: orgId
  - id: login-required
    kind: authentication_required
    routes: ["**"]
"#;

fn scratch(org: &str, except: &str) -> tempfile::TempDir {
    let dir = tempfile::tempdir().expect("temp dir");
    std::fs::create_dir(dir.path().join(".git")).expect(".git");
    for (path, text) in APP {
        write(dir.path(), path, text);
    }
    let spec = SPEC.replace("{ORG}", org).replace("{EXCEPT}", except);
    write(dir.path(), "secprop.yaml", &spec);
    dir
}

fn write(root: &Path, rel: &str, text: &str) {
    let path = root.join(rel);
    std::fs::create_dir_all(path.parent().expect("parent")).expect("mkdir");
    std::fs::write(path, text).expect("write");
}

fn secprop(dir: &Path, args: &[&str]) -> Output {
    Command::cargo_bin("secprop")
        .expect("the secprop binary")
        .current_dir(dir)
        .env("NO_COLOR", "1")
        .env_remove("SOURCE_DATE_EPOCH")
        .args(args)
        .output()
        .expect("secprop runs")
}

fn text(o: &Output) -> String {
    format!(
        "{}{}",
        String::from_utf8_lossy(&o.stdout),
        String::from_utf8_lossy(&o.stderr)
    )
}

#[test]
fn selector_typo_in_routes_fails_the_gate() {
    // Spelled right, the app is clean and the property selects both routes.
    let good = scratch("* /orgs/{orgId}/**", "[]");
    let out = secprop(good.path(), &["check"]);
    assert_eq!(out.status.code(), Some(0), "{}", text(&out));
    let routes = secprop(good.path(), &["routes"]);
    assert_eq!(
        text(&routes).matches("tenant-isolation").count(),
        2,
        "{}",
        text(&routes)
    );

    // `/org/` for `/orgs/`: the property selects nothing, which is high.
    let typo = scratch("* /org/{orgId}/**", "[]");
    for fail_on in ["low", "high"] {
        let out = secprop(typo.path(), &["check", "--fail-on", fail_on]);
        assert_eq!(
            out.status.code(),
            Some(1),
            "--fail-on {fail_on}: {}",
            text(&out)
        );
    }
    let out = secprop(typo.path(), &["check"]);
    let shown = text(&out);
    assert!(
        shown.contains("property `tenant-isolation` selects no route")
            && shown.contains("did you mean `/orgs/{orgId}/members` or `/orgs/{orgId}/report`?"),
        "{shown}"
    );
    insta::assert_snapshot!(shown);

    // JSON records the drop too: per property, routes selected, checked and tested.
    let doc = |dir: &Path| -> serde_json::Value {
        let out = secprop(dir, &["check", "--format", "json"]);
        serde_json::from_slice(&out.stdout).expect("json")
    };
    let counts = |d: &serde_json::Value| -> Vec<(String, u64, u64)> {
        d["summary"]["properties"]
            .as_array()
            .expect("summary.properties")
            .iter()
            .map(|p| {
                (
                    p["property"].as_str().unwrap().to_string(),
                    p["selected"].as_u64().unwrap(),
                    p["checked"].as_u64().unwrap(),
                )
            })
            .collect()
    };
    assert_eq!(
        counts(&doc(good.path())),
        [
            ("tenant-isolation".into(), 2, 2),
            ("login-required".into(), 2, 2)
        ]
    );
    assert_eq!(
        counts(&doc(typo.path())),
        [
            ("tenant-isolation".into(), 0, 0),
            ("login-required".into(), 2, 2)
        ]
    );
}

#[test]
fn selector_typo_in_except_is_a_finding() {
    let dir = scratch("* /orgs/{orgId}/**", r#"["GET /orgs/{orgId}/member"]"#);
    let out = secprop(dir.path(), &["check", "--format", "json"]);
    assert_eq!(out.status.code(), Some(1), "{}", text(&out));
    let doc: serde_json::Value = serde_json::from_slice(&out.stdout).expect("json");
    let findings = doc["findings"].as_array().expect("findings");
    let typo: Vec<_> = findings
        .iter()
        .filter(|f| f["kind"] == "secprop/unmatched-pattern")
        .collect();
    assert_eq!(typo.len(), 1, "{findings:#?}");
    assert_eq!(typo[0]["line"], 14);
    assert!(
        typo[0]["message"]
            .as_str()
            .unwrap()
            .contains("route selector `GET /orgs/{orgId}/member`"),
        "{typo:#?}"
    );
}

#[test]
fn a_root_that_names_nothing_is_exit_2_everywhere() {
    let dir = scratch("* /orgs/{orgId}/**", "[]");
    let spec = std::fs::read_to_string(dir.path().join("secprop.yaml")).unwrap();
    let spec = spec.replace("    include:", "    root: server\n    include:");
    write(dir.path(), "secprop.yaml", &spec);
    for cmd in ["validate", "routes", "check", "generate"] {
        let out = secprop(dir.path(), &[cmd]);
        assert_eq!(out.status.code(), Some(2), "{cmd}: {}", text(&out));
        assert!(
            text(&out).contains("secprop.yaml:5:11")
                && text(&out).contains("target root `server` does not exist"),
            "{cmd}: {}",
            text(&out)
        );
    }
}

#[test]
fn an_unsupported_runner_is_exit_2_at_validate() {
    let dir = scratch("* /orgs/{orgId}/**", "[]");
    let spec = std::fs::read_to_string(dir.path().join("secprop.yaml")).unwrap();
    let spec = spec.replace(
        "    include: [\"src/**\"]\n",
        "    include: [\"src/**\"]\n    tests: { runner: pytest, out: tests/security, harness: tests/harness.py }\n",
    );
    write(dir.path(), "secprop.yaml", &spec);
    for cmd in ["validate", "generate"] {
        let out = secprop(dir.path(), &[cmd]);
        assert_eq!(out.status.code(), Some(2), "{cmd}: {}", text(&out));
        assert!(
            text(&out).contains("runner `pytest` is not supported by this version of secprop")
                && text(&out).contains("this version supports: vitest, jest"),
            "{cmd}: {}",
            text(&out)
        );
    }
    assert!(!dir.path().join("tests").exists(), "generate wrote files");
}

#[test]
fn routes_strict_fails_on_an_unresolved_route() {
    let dir = scratch("* /orgs/{orgId}/**", "[]");
    let app = std::fs::read_to_string(dir.path().join("src/app.js")).unwrap();
    let app = app.replace(
        "module.exports = app;",
        "app.get(/^\\/legacy\\/.*/, (req, res) => res.send('old'));\n\nmodule.exports = app;",
    );
    write(dir.path(), "src/app.js", &app);
    let out = secprop(dir.path(), &["routes"]);
    assert_eq!(out.status.code(), Some(0), "{}", text(&out));
    assert!(text(&out).contains("unresolved"), "{}", text(&out));
    let out = secprop(dir.path(), &["routes", "--strict"]);
    assert_eq!(out.status.code(), Some(1), "{}", text(&out));
    assert!(
        text(&out).contains("secprop routes --strict: 1 route could not be resolved"),
        "{}",
        text(&out)
    );
    // Without the unresolved route, --strict passes.
    let clean = scratch("* /orgs/{orgId}/**", "[]");
    let out = secprop(clean.path(), &["routes", "--strict"]);
    assert_eq!(out.status.code(), Some(0), "{}", text(&out));
}

/// The app with a vulnerable route registered after `members`: the export is built
/// before the membership check.
fn vulnerable_app() -> tempfile::TempDir {
    let dir = scratch("* /orgs/{orgId}/**", "[]");
    let app = std::fs::read_to_string(dir.path().join("src/app.js")).unwrap();
    let app = app.replace(
        "module.exports = app;",
        "app.get('/orgs/:orgId/export', requireLogin, async (req, res) => {\n  const report = await reports.build(req.params.orgId);\n  if (!(await access.isMember(req.user.id, req.params.orgId))) {\n    return res.status(403).send({ error: 'Forbidden' });\n  }\n  return res.send(report);\n});\n\nmodule.exports = app;",
    );
    write(dir.path(), "src/app.js", &app);
    dir
}

fn open_findings(dir: &Path) -> Vec<(String, String, u64)> {
    let out = secprop(dir, &["check", "--format", "json"]);
    let doc: serde_json::Value = serde_json::from_slice(&out.stdout).expect("json");
    doc["findings"]
        .as_array()
        .expect("findings")
        .iter()
        .map(|f| {
            (
                f["kind"].as_str().unwrap().to_string(),
                f["severity"].as_str().unwrap().to_string(),
                f["line"].as_u64().unwrap(),
            )
        })
        .collect()
}

#[test]
fn a_syntax_error_that_hides_routes_still_fails_the_gate() {
    let dir = vulnerable_app();
    let before = open_findings(dir.path());
    assert_eq!(
        before,
        [("cross_tenant_denied".to_string(), "high".to_string(), 23)],
        "the intact app has one finding: the export"
    );
    let out = secprop(dir.path(), &["check", "--fail-on", "high"]);
    assert_eq!(out.status.code(), Some(1), "{}", text(&out));

    // Drop a `)` in the members route's condition and the `});` that closes it: the
    // parser swallows the rest of the file, the export route included.
    let app = std::fs::read_to_string(dir.path().join("src/app.js")).unwrap();
    let members = app.find("app.get('/orgs/:orgId/members'").unwrap();
    let (head, tail) = app.split_at(members);
    let tail = tail
        .replacen("req.params.orgId))) {", "req.params.orgId)) {", 1)
        .replacen("(req.params.orgId));\n});\n", "(req.params.orgId));\n\n", 1);
    write(dir.path(), "src/app.js", &format!("{head}{tail}"));
    let after = open_findings(dir.path());
    let parse: Vec<_> = after
        .iter()
        .filter(|f| f.0 == "secprop/parse-error")
        .collect();
    assert_eq!(parse.len(), 1, "{after:?}");
    // At the missing `)` (line 16), not at the file's first line, and high.
    assert_eq!(parse[0].1, "high", "{after:?}");
    assert_eq!(parse[0].2, 16, "{after:?}");
    let out = secprop(dir.path(), &["check", "--fail-on", "high"]);
    assert_eq!(out.status.code(), Some(1), "{}", text(&out));
    let shown = text(&out);
    assert!(
        shown.contains("could not be resolved") || shown.contains("may be incomplete"),
        "{shown}"
    );
    insta::assert_snapshot!("syntax_error_hides_routes", shown);
    // Lowered on purpose by the spec, it is what the spec says.
    let spec = std::fs::read_to_string(dir.path().join("secprop.yaml")).unwrap();
    write(
        dir.path(),
        "secprop.yaml",
        &format!("{spec}builtin_severity:\n  \"secprop/parse-error\": low\n"),
    );
    let lowered = open_findings(dir.path());
    assert!(
        lowered
            .iter()
            .any(|f| f.0 == "secprop/parse-error" && f.1 == "low"),
        "{lowered:?}"
    );
}

#[test]
fn a_non_utf8_file_warns_everywhere_and_keeps_its_ignores() {
    let dir = vulnerable_app();
    // A Latin-1 comment (an `é` as the single byte 0xE9) above the vulnerable line, and
    // an inline ignore for its finding.
    let app = std::fs::read_to_string(dir.path().join("src/app.js")).unwrap();
    let app = app.replace(
        "  const report = await reports.build(req.params.orgId);\n  if",
        "  // r\u{e9}sum\u{e9}: built first on purpose\n  // secprop-ignore: tenant-isolation -- the export is public data\n  const report = await reports.build(req.params.orgId);\n  if",
    );
    let bytes: Vec<u8> = app
        .chars()
        .flat_map(|c| {
            if c == '\u{e9}' {
                vec![0xE9]
            } else {
                c.to_string().into_bytes()
            }
        })
        .collect();
    assert!(std::str::from_utf8(&bytes).is_err());
    std::fs::write(dir.path().join("src/app.js"), bytes).unwrap();
    let warning = "warning: src/app.js: encoding: not valid UTF-8: invalid bytes were read as U+FFFD and the rest of the file is scanned";
    for cmd in ["routes", "check"] {
        let out = secprop(dir.path(), &[cmd]);
        let err = String::from_utf8_lossy(&out.stderr).into_owned();
        assert_eq!(err.matches(warning).count(), 1, "{cmd}: {err}");
    }
    let out = secprop(dir.path(), &["check", "--format", "json"]);
    let doc: serde_json::Value = serde_json::from_slice(&out.stdout).expect("json");
    assert!(
        doc["errors"].as_array().unwrap().iter().any(|e| e
            .as_str()
            .unwrap()
            .contains("src/app.js: encoding: not valid UTF-8")),
        "{doc:#}"
    );
    let findings = doc["findings"].as_array().unwrap();
    let export: Vec<_> = findings
        .iter()
        .filter(|f| f["property"] == "tenant-isolation")
        .collect();
    assert_eq!(export.len(), 1, "{findings:#?}");
    assert_eq!(export[0]["status"], "ignored", "{findings:#?}");
    assert_eq!(out.status.code(), Some(0), "{}", text(&out));
}

#[test]
fn coverage_counts_tested_routes_when_tests_are_configured() {
    let dir = scratch("* /orgs/{orgId}/**", "[]");
    let spec = std::fs::read_to_string(dir.path().join("secprop.yaml")).unwrap();
    let spec = spec.replace(
        "    include: [\"src/**\"]\n",
        "    include: [\"src/**\"]\n    tests: { runner: vitest, out: tests/security, harness: tests/security/harness.js }\n",
    );
    write(dir.path(), "secprop.yaml", &spec);
    let out = secprop(dir.path(), &["generate"]);
    assert_eq!(out.status.code(), Some(0), "{}", text(&out));
    let out = secprop(dir.path(), &["check", "--format", "json"]);
    let doc: serde_json::Value = serde_json::from_slice(&out.stdout).expect("json");
    let tested: Vec<(String, u64)> = doc["summary"]["properties"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| {
            (
                p["property"].as_str().unwrap().into(),
                p["tested"].as_u64().unwrap(),
            )
        })
        .collect();
    assert_eq!(
        tested,
        [("tenant-isolation".into(), 2), ("login-required".into(), 2)]
    );
    let out = secprop(dir.path(), &["check"]);
    assert!(
        text(&out).contains("2 selected, 2 checked, 2 tested"),
        "{}",
        text(&out)
    );
}

/// `secprop/untested-route` of every open finding: (route, message).
fn untested_routes(dir: &Path) -> Vec<(String, String)> {
    let out = secprop(dir, &["check", "--format", "json"]);
    let doc: serde_json::Value = serde_json::from_slice(&out.stdout).expect("json");
    doc["findings"]
        .as_array()
        .expect("findings")
        .iter()
        .filter(|f| f["property"] == "secprop/untested-route" && f["status"] == "open")
        .map(|f| {
            (
                f["route"].as_str().unwrap().to_string(),
                f["message"].as_str().unwrap().to_string(),
            )
        })
        .collect()
}

#[test]
fn a_route_added_without_regenerating_is_an_untested_route() {
    let dir = scratch("* /orgs/{orgId}/**", "[]");
    let spec = std::fs::read_to_string(dir.path().join("secprop.yaml")).unwrap();
    let spec = spec.replace(
        "    include: [\"src/**\"]\n",
        "    include: [\"src/**\"]\n    tests: { runner: vitest, out: tests/security, harness: tests/security/harness.js }\n",
    );
    write(dir.path(), "secprop.yaml", &spec);
    // Before any `generate`, every tested route lacks its file.
    let missing = untested_routes(dir.path());
    assert_eq!(missing.len(), 2, "{missing:?}");
    assert!(
        missing[0]
            .1
            .contains("`tests/security/src/app.secprop.test.js` does not exist"),
        "{missing:?}"
    );
    let out = secprop(dir.path(), &["generate"]);
    assert_eq!(out.status.code(), Some(0), "{}", text(&out));
    assert_eq!(untested_routes(dir.path()), vec![]);
    let out = secprop(dir.path(), &["check"]);
    assert_eq!(out.status.code(), Some(0), "{}", text(&out));

    // A third route lands without `generate`: that route, and only it, is untested.
    let app = std::fs::read_to_string(dir.path().join("src/app.js")).unwrap();
    let app = app.replace(
        "module.exports = app;",
        r#"app.delete('/orgs/:orgId/report', requireLogin, async (req, res) => {
  if (!(await access.isMember(req.user.id, req.params.orgId))) {
    return res.status(403).send({ error: 'Forbidden' });
  }
  return res.send(await reports.build(req.params.orgId));
});

module.exports = app;"#,
    );
    write(dir.path(), "src/app.js", &app);
    let found = untested_routes(dir.path());
    assert_eq!(found.len(), 1, "{found:?}");
    assert_eq!(found[0].0, "DELETE /orgs/{orgId}/report");
    assert!(
        found[0].1.contains("`tenant-isolation`, `login-required`")
            || found[0].1.contains("`login-required`, `tenant-isolation`"),
        "{found:?}"
    );
    let out = secprop(dir.path(), &["check"]);
    assert_eq!(out.status.code(), Some(1), "{}", text(&out));
    assert!(
        text(&out).contains("secprop/untested-route"),
        "{}",
        text(&out)
    );

    let out = secprop(dir.path(), &["generate"]);
    assert_eq!(out.status.code(), Some(0), "{}", text(&out));
    assert_eq!(untested_routes(dir.path()), vec![]);
}

/// The project's own supertest tests: one happy-path test of the report, a happy-path
/// and a 403 test of the members list.
const OWN_TESTS: &str = r#"import request from "supertest";
import app from "../src/app.js";

describe("orgs", () => {
  it("shows the report", async () => {
    const res = await request(app).get("/orgs/o1/report").set("x-user", "o1");
    expect(res.status).toBe(200);
  });

  it("lists members", async () => {
    await request(app).get("/orgs/o1/members").set("x-user", "o1").expect(200);
  });

  it("refuses another org's members", async () => {
    const res = await request(app).get(`/orgs/${"o2"}/members`).set("x-user", "o1");
    expect(res.status).toBe(403);
  });
});
"#;

#[test]
fn require_negative_tests_reports_routes_tested_only_on_the_happy_path() {
    let dir = scratch("* /orgs/{orgId}/**", "[]");
    write(dir.path(), "tests/orgs.test.js", OWN_TESTS);

    // `routes` shows both counts per route, in the table and in JSON.
    let out = secprop(dir.path(), &["routes"]);
    let table = text(&out);
    assert!(table.contains("TESTS"), "{table}");
    let report = table
        .lines()
        .find(|l| l.contains("/orgs/{orgId}/report"))
        .unwrap();
    assert!(report.ends_with("1 happy, 0 negative"), "{table}");
    let members = table
        .lines()
        .find(|l| l.contains("/orgs/{orgId}/members"))
        .unwrap();
    assert!(members.ends_with("1 happy, 1 negative"), "{table}");
    let out = secprop(dir.path(), &["routes", "--format", "json"]);
    let doc: serde_json::Value = serde_json::from_slice(&out.stdout).expect("json");
    assert_eq!(
        doc["routes"][0]["existing_tests"],
        serde_json::json!({"happy": 1, "negative": 0}),
        "{doc:#}"
    );

    // Without the flag, nothing changes; with it, only the report is reported.
    let out = secprop(dir.path(), &["check"]);
    assert_eq!(out.status.code(), Some(0), "{}", text(&out));
    let (code, reported) = without_negative_tests(dir.path());
    assert_eq!(code, Some(1));
    assert_eq!(reported, ["GET /orgs/{orgId}/report"]);
}

/// `check --require-negative-tests` at `dir`: its exit code and the routes it reports as
/// tested only on the happy path.
pub(crate) fn without_negative_tests(dir: &Path) -> (Option<i32>, Vec<String>) {
    let out = secprop(
        dir,
        &["check", "--require-negative-tests", "--format", "json"],
    );
    let doc: serde_json::Value =
        serde_json::from_slice(&out.stdout).unwrap_or_else(|e| panic!("{e}: {}", text(&out)));
    let reported = doc["findings"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|f| f["property"] == "secprop/no-negative-test")
        .map(|f| f["route"].as_str().unwrap().to_string())
        .collect();
    (out.status.code(), reported)
}
