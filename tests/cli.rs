//! The command line around the analysis (spec-v1 §10): `routes` and `check` on the report
//! example, their formats, `-o/--output`, `--fail-on`, and exit codes.

use assert_cmd::Command;
use std::process::Output;

const SPEC: &str = "tests/fixtures/cli/report-app/secprop.yaml";

fn secprop(args: &[&str]) -> Output {
    Command::cargo_bin("secprop")
        .expect("the secprop binary")
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .env("NO_COLOR", "1")
        .env_remove("SOURCE_DATE_EPOCH")
        .args(args)
        .output()
        .expect("secprop runs")
}

fn stdout(o: &Output) -> String {
    String::from_utf8_lossy(&o.stdout).into_owned()
}

fn stderr(o: &Output) -> String {
    String::from_utf8_lossy(&o.stderr).into_owned()
}

fn json(o: &Output) -> serde_json::Value {
    serde_json::from_slice(&o.stdout).unwrap_or_else(|e| panic!("{e}: {}", stdout(o)))
}

#[test]
fn routes_table() {
    let out = secprop(&["routes", "--spec", SPEC]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    insta::assert_snapshot!(stdout(&out));
}

#[test]
fn routes_json_has_every_field() {
    let out = secprop(&["routes", "--spec", SPEC, "--format", "json"]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let doc = json(&out);
    assert_eq!(doc["schema"], "secprop/routes/v1");
    for route in doc["routes"].as_array().expect("routes") {
        for field in [
            "target",
            "framework",
            "method",
            "path",
            "file",
            "line",
            "column",
            "handler",
            "properties",
            "public",
            "guards",
            "unresolved",
        ] {
            assert!(route.get(field).is_some(), "no `{field}` in {route}");
        }
    }
    insta::assert_json_snapshot!(doc["routes"]);
}

#[test]
fn check_reports_the_report_example() {
    let out = secprop(&["check", "--spec", SPEC]);
    assert_eq!(out.status.code(), Some(1), "{}", stderr(&out));
    insta::assert_snapshot!(stdout(&out));
}

#[test]
fn check_json_has_every_field() {
    let out = secprop(&["check", "--spec", SPEC, "--format", "json"]);
    assert_eq!(out.status.code(), Some(1), "{}", stderr(&out));
    let doc = json(&out);
    assert_eq!(doc["schema"], "secprop/check/v1");
    assert_eq!(doc["version"], env!("CARGO_PKG_VERSION"));
    assert!(doc["errors"].is_array());
    let findings = doc["findings"].as_array().expect("findings");
    assert!(!findings.is_empty());
    for f in findings {
        for field in [
            "id",
            "property",
            "kind",
            "severity",
            "confidence",
            "target",
            "route",
            "file",
            "line",
            "column",
            "end_line",
            "end_column",
            "message",
            "related",
            "status",
        ] {
            assert!(f.get(field).is_some(), "no `{field}` in {f}");
        }
    }
    let kinds: Vec<&str> = findings
        .iter()
        .map(|f| f["property"].as_str().unwrap())
        .collect();
    assert_eq!(
        kinds,
        [
            "no-work-before-authz",
            "tenant-isolation",
            "secprop/uncovered-route"
        ],
        "{doc:#}"
    );
    insta::assert_json_snapshot!(doc["findings"]);
}

#[test]
fn fail_on_sets_the_threshold() {
    // Every finding here is `high`.
    assert_eq!(
        secprop(&["check", "--spec", SPEC, "--fail-on", "high"])
            .status
            .code(),
        Some(1)
    );
    assert_eq!(
        secprop(&["check", "--spec", SPEC, "--fail-on", "critical"])
            .status
            .code(),
        Some(0)
    );
    assert_eq!(
        secprop(&["check", "--spec", SPEC, "--fail-on", "never"])
            .status
            .code(),
        Some(0)
    );
    let bad = secprop(&["check", "--spec", SPEC, "--fail-on", "severe"]);
    assert_eq!(bad.status.code(), Some(2));
    assert!(stderr(&bad).contains("possible values"), "{}", stderr(&bad));
}

#[test]
fn output_file_replaces_stdout() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("findings.json");
    let out = secprop(&[
        "check",
        "--spec",
        SPEC,
        "--format",
        "json",
        "-o",
        file.to_str().unwrap(),
    ]);
    assert_eq!(out.status.code(), Some(1));
    assert!(out.stdout.is_empty(), "{}", stdout(&out));
    let doc: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(&file).unwrap()).unwrap();
    assert_eq!(doc["schema"], "secprop/check/v1");
}

#[test]
fn output_format_file_adds_a_format() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("nested/findings.json");
    let arg = format!("json={}", file.display());
    let out = secprop(&["check", "--spec", SPEC, "--output", &arg]);
    assert_eq!(out.status.code(), Some(1));
    assert!(
        stdout(&out).contains("error[no-work-before-authz, tenant-isolation]"),
        "{}",
        stdout(&out)
    );
    let doc: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(&file).unwrap()).unwrap();
    assert_eq!(doc["findings"].as_array().unwrap().len(), 3);
}

/// The official SARIF 2.1.0 schema, vendored (no network in tests).
fn sarif_validator() -> jsonschema::Validator {
    let text = include_str!("../crates/report/tests/sarif-schema-2.1.0.json");
    let schema: serde_json::Value = serde_json::from_str(text).expect("the schema parses");
    jsonschema::draft7::new(&schema).expect("the schema compiles")
}

#[test]
fn check_sarif_of_the_report_example() {
    let out = secprop(&["check", "--spec", SPEC, "--format", "sarif"]);
    assert_eq!(out.status.code(), Some(1), "{}", stderr(&out));
    let doc = json(&out);
    let errors: Vec<String> = sarif_validator()
        .iter_errors(&doc)
        .map(|e| format!("{} at {}", e, e.instance_path()))
        .collect();
    assert!(errors.is_empty(), "{errors:#?}");
    let run = &doc["runs"][0];
    let rules: Vec<&str> = run["tool"]["driver"]["rules"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["id"].as_str().unwrap())
        .collect();
    assert_eq!(
        rules,
        [
            "tenant-isolation",
            "no-work-before-authz",
            "login-required",
            "secprop/uncovered-route"
        ]
    );
    // One result per property, even where two meet at one call.
    let results = run["results"].as_array().unwrap();
    assert_eq!(results.len(), 3);
    assert_eq!(
        results[0]["properties"]["locationId"],
        results[1]["properties"]["locationId"]
    );
    insta::assert_snapshot!(stdout(&out));
}

#[test]
fn check_markdown_of_the_report_example() {
    let out = secprop(&["check", "--spec", SPEC, "--format", "markdown"]);
    assert_eq!(out.status.code(), Some(1), "{}", stderr(&out));
    insta::assert_snapshot!(stdout(&out));
}

#[test]
fn check_github_annotations_of_the_report_example() {
    let out = secprop(&["check", "--spec", SPEC, "--format", "github"]);
    assert_eq!(out.status.code(), Some(1), "{}", stderr(&out));
    let text = stdout(&out);
    // The two properties broken by one call are one annotation.
    assert_eq!(text.lines().count(), 2, "{text}");
    assert!(
        text.lines().all(|l| l.starts_with("::error file=")),
        "{text}"
    );
    insta::assert_snapshot!(text);
}

#[test]
fn output_writes_every_format_in_one_run() {
    let dir = tempfile::tempdir().unwrap();
    let sarif = dir.path().join("out.sarif");
    let md = dir.path().join("comment.md");
    let gh = dir.path().join("annotations.txt");
    let args: Vec<String> = vec![
        format!("sarif={}", sarif.display()),
        format!("markdown={}", md.display()),
        format!("github={}", gh.display()),
    ];
    let out = secprop(&[
        "check", "--spec", SPEC, "--output", &args[0], "--output", &args[1], "--output", &args[2],
    ]);
    assert_eq!(out.status.code(), Some(1), "{}", stderr(&out));
    assert!(stdout(&out).contains("error[no-work-before-authz, tenant-isolation]"));
    let doc: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(&sarif).unwrap()).unwrap();
    assert_eq!(doc["version"], "2.1.0");
    assert!(
        std::fs::read_to_string(&md)
            .unwrap()
            .starts_with("## secprop check")
    );
    assert!(
        std::fs::read_to_string(&gh)
            .unwrap()
            .starts_with("::error ")
    );
}

#[test]
fn unknown_output_format_is_a_usage_error() {
    let out = secprop(&["check", "--spec", SPEC, "--output", "yaml=out.yaml"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(
        stderr(&out).contains("unknown format `yaml`"),
        "{}",
        stderr(&out)
    );
}

#[test]
fn bad_today_is_a_usage_error() {
    let out = secprop(&["check", "--spec", SPEC, "--today", "2027-02-30"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(
        stderr(&out).contains("not a YYYY-MM-DD date"),
        "{}",
        stderr(&out)
    );
}

#[test]
fn a_framework_without_frontend_is_exit_2_not_an_empty_list() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(
        dir.path().join("secprop.yaml"),
        "version: 1\ntargets:\n  - name: svc\n    framework: actix-web\n",
    )
    .unwrap();
    let out = Command::cargo_bin("secprop")
        .unwrap()
        .current_dir(dir.path())
        .args(["routes"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(
        stderr(&out).contains("framework `actix-web` is not supported by this version of secprop")
            && stderr(&out).contains("secprop.yaml:4:16")
            && stderr(&out).contains("this version supports: express, axum, fastapi, flask"),
        "{}",
        stderr(&out)
    );
}

#[test]
fn schema_prints_json_schema() {
    let out = secprop(&["schema"]);
    assert_eq!(out.status.code(), Some(0));
    let doc = json(&out);
    assert!(doc["properties"]["properties"].is_object(), "{doc}");
}

/// Copies the report example into a scratch repository with a `tests` section.
fn scratch_with_tests() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path();
    std::fs::create_dir(root.join(".git")).unwrap();
    let fixture =
        std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/cli/report-app");
    std::fs::create_dir_all(root.join("src")).unwrap();
    for entry in std::fs::read_dir(fixture.join("src")).unwrap() {
        let entry = entry.unwrap();
        std::fs::copy(entry.path(), root.join("src").join(entry.file_name())).unwrap();
    }
    let spec = std::fs::read_to_string(fixture.join("secprop.yaml")).unwrap().replace(
        "    include: [\"src/**\"]\n",
        "    include: [\"src/**\"]\n    tests:\n      runner: vitest\n      out: tests/security\n      harness: tests/security/harness.ts\n",
    );
    std::fs::write(root.join("secprop.yaml"), spec).unwrap();
    std::fs::create_dir_all(root.join("tests/security")).unwrap();
    std::fs::write(
        root.join("tests/security/harness.ts"),
        "export const HARNESS_API = 1;\n",
    )
    .unwrap();
    dir
}

fn stale_findings(root: &std::path::Path) -> Vec<(String, String)> {
    let out = Command::cargo_bin("secprop")
        .unwrap()
        .current_dir(root)
        .args(["check", "--format", "json"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1), "{}", stderr(&out));
    json(&out)["findings"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|f| f["property"] == "secprop/stale-tests")
        .map(|f| {
            (
                f["file"].as_str().unwrap().to_string(),
                f["message"].as_str().unwrap().to_string(),
            )
        })
        .collect()
}

#[test]
fn check_reports_missing_and_edited_generated_tests() {
    let dir = scratch_with_tests();
    let root = dir.path();
    let missing = stale_findings(root);
    assert!(
        missing.iter().any(
            |(f, m)| f == "tests/security/src/app.secprop.test.ts" && m.ends_with("is missing")
        ),
        "{missing:?}"
    );

    let generated = Command::cargo_bin("secprop")
        .unwrap()
        .current_dir(root)
        .arg("generate")
        .output()
        .unwrap();
    assert_eq!(generated.status.code(), Some(0), "{}", stderr(&generated));
    // The spec-v1 §9 summary: tests per kind, then what has no generated test.
    let summary = String::from_utf8_lossy(&generated.stdout).into_owned();
    assert!(summary.contains(" generated test(s): "), "{summary}");
    assert_eq!(stale_findings(root), vec![], "fresh output is not stale");

    let file = root.join("tests/security/src/app.secprop.test.ts");
    let edited = std::fs::read_to_string(&file)
        .unwrap()
        .replace("test(", "test.skip(");
    std::fs::write(&file, edited).unwrap();
    let stale = stale_findings(root);
    assert_eq!(
        stale,
        vec![(
            "tests/security/src/app.secprop.test.ts".to_string(),
            "generated test file `tests/security/src/app.secprop.test.ts` is out of date or edited by hand".to_string()
        )]
    );
}

#[test]
fn hostile_route_names_stay_on_one_line() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path();
    std::fs::create_dir_all(root.join("src")).unwrap();
    std::fs::write(
        root.join("secprop.yaml"),
        "version: 1\ntargets:\n  - name: api\n    framework: express\n",
    )
    .unwrap();
    std::fs::write(
        root.join("src/app.js"),
        "const app = require('express')();\n\
         app.get('/a\\nb\\u202Ec', (req, res) => res.send(1));\n\
         app.get('/ok', (req, res) => res.send(1));\n",
    )
    .unwrap();
    let out = Command::cargo_bin("secprop")
        .unwrap()
        .current_dir(root)
        .arg("routes")
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let text = stdout(&out);
    // Header, two routes, a blank line and the count: a newline in a path must not add
    // lines, and a right-to-left override must not reach the terminal.
    assert_eq!(text.lines().count(), 5, "{text}");
    assert!(!text.contains('\u{202e}'), "{text}");
    assert!(text.contains("\\n"), "{text}");
}

#[test]
fn output_to_a_symlink_writes_through_it() {
    let dir = tempfile::tempdir().unwrap();
    let real = dir.path().join("real.json");
    let link = dir.path().join("link.json");
    std::fs::write(&real, "old").unwrap();
    std::os::unix::fs::symlink(&real, &link).unwrap();
    let out = secprop(&[
        "check",
        "--spec",
        SPEC,
        "--format",
        "json",
        "-o",
        link.to_str().unwrap(),
    ]);
    assert_eq!(out.status.code(), Some(1), "{}", stderr(&out));
    assert!(
        std::fs::symlink_metadata(&link)
            .unwrap()
            .file_type()
            .is_symlink()
    );
    assert!(
        std::fs::read_to_string(&real)
            .unwrap()
            .contains("secprop/check/v1")
    );
}

#[test]
fn output_to_a_special_file_is_not_replaced() {
    // `-o /dev/null` must not turn the device into a regular file; a FIFO stands in for
    // it here so the test never touches the real device.
    use std::os::unix::fs::FileTypeExt;
    let dir = tempfile::tempdir().unwrap();
    let fifo = dir.path().join("out.fifo");
    let made = std::process::Command::new("mkfifo")
        .arg(&fifo)
        .status()
        .unwrap();
    assert!(made.success());
    let reader = {
        let fifo = fifo.clone();
        std::thread::spawn(move || std::fs::read_to_string(fifo).unwrap())
    };
    let out = secprop(&[
        "check",
        "--spec",
        SPEC,
        "--format",
        "json",
        "-o",
        fifo.to_str().unwrap(),
    ]);
    assert_eq!(out.status.code(), Some(1), "{}", stderr(&out));
    // Checked before joining: a replaced FIFO would leave the reader blocked forever.
    assert!(std::fs::metadata(&fifo).unwrap().file_type().is_fifo());
    assert!(reader.join().unwrap().contains("secprop/check/v1"));
}

#[test]
fn github_annotations_escape_hostile_route_names() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path();
    std::fs::create_dir_all(root.join("src")).unwrap();
    std::fs::write(
        root.join("secprop.yaml"),
        "version: 1\ntargets:\n  - name: api\n    framework: express\n\
         context:\n  authentication: [requireLogin]\n\
         properties:\n  - id: login\n    kind: authentication_required\n    routes: [\"/ok\"]\n",
    )
    .unwrap();
    std::fs::write(
        root.join("src/app.js"),
        "const app = require('express')();\n\
         app.get('/a,b%0Ac\\nd,e', (req, res) => res.send(1));\n\
         app.get('/ok', requireLogin, (req, res) => res.send(1));\n",
    )
    .unwrap();
    let out = Command::cargo_bin("secprop")
        .unwrap()
        .current_dir(root)
        .args(["check", "--format", "github"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1), "{}", stderr(&out));
    let text = stdout(&out);
    // One uncovered route, one command: the comma, newline and `%0A` in its path stay
    // inside the escaped message (`::` cannot be in an Express path; the renderer's
    // tests cover it).
    assert_eq!(text.lines().count(), 1, "{text}");
    let line = text.lines().next().unwrap();
    assert!(
        line.starts_with("::error file=src/app.js,line=2,"),
        "{line}"
    );
    let message = line.splitn(3, "::").nth(2).unwrap();
    assert!(message.contains("/a,b%250Ac"), "{message}");
    assert!(
        message.contains("%250A"),
        "a literal %0A is escaped: {message}"
    );
    assert!(!message.contains('\n'));
}

#[test]
fn sarif_fingerprints_survive_code_moving() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path();
    std::fs::create_dir(root.join(".git")).unwrap();
    let fixture =
        std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/cli/report-app");
    std::fs::create_dir_all(root.join("src")).unwrap();
    for entry in std::fs::read_dir(fixture.join("src")).unwrap() {
        let entry = entry.unwrap();
        std::fs::copy(entry.path(), root.join("src").join(entry.file_name())).unwrap();
    }
    std::fs::copy(fixture.join("secprop.yaml"), root.join("secprop.yaml")).unwrap();
    let sarif = || -> Vec<(String, u64)> {
        let out = Command::cargo_bin("secprop")
            .unwrap()
            .current_dir(root)
            .args(["check", "--format", "sarif"])
            .output()
            .unwrap();
        let doc: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
        doc["runs"][0]["results"]
            .as_array()
            .unwrap()
            .iter()
            .map(|r| {
                (
                    r["partialFingerprints"]["secprop/v1"]
                        .as_str()
                        .unwrap()
                        .to_string(),
                    r["locations"][0]["physicalLocation"]["region"]["startLine"]
                        .as_u64()
                        .unwrap(),
                )
            })
            .collect()
    };
    let before = sarif();
    let app = std::fs::read_to_string(root.join("src/app.js")).unwrap();
    std::fs::write(root.join("src/app.js"), format!("// moved\n\n{app}")).unwrap();
    let after = sarif();
    assert_eq!(before.len(), 3);
    for ((id_before, line_before), (id_after, line_after)) in before.iter().zip(&after) {
        assert_eq!(id_before, id_after);
        assert_eq!(line_before + 2, *line_after);
    }
}

/// A middleware whose mount path uses pattern syntax is listed as a step that may apply,
/// never as a guard, and the routes after it stay resolved (issue 10).
#[test]
fn routes_list_steps_that_may_apply() {
    let spec = "tests/apps/express/connect-callback/secprop.yaml";
    let out = secprop(&["routes", "--spec", spec, "--strict"]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let text = stdout(&out);
    assert!(
        text.contains("isLoggedIn, logDownload (may apply)"),
        "{text}"
    );
    assert!(text.contains("5 routes, 0 unresolved"), "{text}");
    let doc = json(&secprop(&["routes", "--spec", spec, "--format", "json"]));
    let files = doc["routes"]
        .as_array()
        .expect("routes")
        .iter()
        .find(|r| r["path"] == "/files/{name}")
        .expect("the files route");
    assert_eq!(files["may_apply"], serde_json::json!(["logDownload"]));
    assert_eq!(files["guards"].as_array().map(Vec::len), Some(1), "{files}");
}

/// Routes made by library calls (`context.route_generators`, specs/extensions.md) are
/// listed with their paths, handlers and chains like literal registrations (issue 10).
#[test]
fn routes_of_route_generators() {
    let spec = "tests/apps/express/route-generators/secprop.yaml";
    let out = secprop(&["routes", "--spec", spec]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    insta::assert_snapshot!(stdout(&out));
}
