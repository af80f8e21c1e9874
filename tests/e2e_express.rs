//! End to end on Express (issue 4): for each variant of the report example under
//! `tests/e2e/express/`, generate the tests, typecheck the variant with `tsc --noEmit`,
//! run `vitest run` with the JSON reporter, and assert BY TEST NAME exactly which
//! generated tests fail, with a failure message of the expected assertion. A compile
//! error, a harness error or a missing route therefore fails this test instead of
//! passing as "fails on the vulnerable app". The same suite runs under jest for the fixed
//! app and several vulnerable variants: the spec's runner becomes `jest` and the `jest/`
//! overlay brings the jest config and a harness observing with `jest.spyOn`.
//!
//! The npm project is installed once: `npm ci --prefix tests/e2e/express` (CI does it
//! before the tests). Without `node_modules` these tests fail with that hint; they never
//! skip.

use secprop_generate::{Mode, StaleReason};
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::sync::Mutex;

/// The generated tests of the report route, by full name (`describe › test`).
const CROSS_TENANT: &str = "GET /projects/{projectId}/report › cross_tenant_denied(tenant-isolation) › actor of tenant A gets 403/404 with tenant B's projectId and triggers no side effect";
const NO_WORK: &str = "GET /projects/{projectId}/report › no_side_effects_before_authz(no-work-before-authz) › actor of another tenant triggers no side effect";
const LOGIN: &str = "GET /projects/{projectId}/report › authentication_required(login-required) › anonymous request gets 401 and triggers no side effect";
/// The generated tests of the task route, which has an object parameter besides the
/// tenant's and so also gets the request with A's project and B's task.
const TASK_CROSS_TENANT: &str = "GET /projects/{projectId}/tasks/{taskId} › cross_tenant_denied(tenant-isolation) › actor of tenant A gets 403/404 with tenant B's projectId, taskId and triggers no side effect";
const TASK_MIXED: &str = "GET /projects/{projectId}/tasks/{taskId} › cross_tenant_denied(tenant-isolation) › actor of tenant A with tenant A's projectId and tenant B's taskId neither sees nor touches tenant B's objects";
const TASK_NO_WORK: &str = "GET /projects/{projectId}/tasks/{taskId} › no_side_effects_before_authz(no-work-before-authz) › actor of another tenant triggers no side effect";
const TASK_LOGIN: &str = "GET /projects/{projectId}/tasks/{taskId} › authentication_required(login-required) › anonymous request gets 401 and triggers no side effect";
/// The admin route, behind the role guard.
const ADMIN_LOGIN: &str = "GET /admin/reports › authentication_required(login-required) › anonymous request gets 401 and triggers no side effect";
const ADMIN_ROLE: &str = "GET /admin/reports › role_required(admins-only) › actor of the same tenant without role admin gets 403 and triggers no side effect";
/// The export route, which records an audit event.
const EXPORT_CROSS_TENANT: &str = "GET /projects/{projectId}/export › cross_tenant_denied(tenant-isolation) › actor of tenant A gets 403/404 with tenant B's projectId and triggers no side effect";
const EXPORT_NO_WORK: &str = "GET /projects/{projectId}/export › no_side_effects_before_authz(no-work-before-authz) › actor of another tenant triggers no side effect";
const EXPORT_LOGIN: &str = "GET /projects/{projectId}/export › authentication_required(login-required) › anonymous request gets 401 and triggers no side effect";
const EXPORT_AUDIT: &str = "GET /projects/{projectId}/export › audit_event_emitted(exports-audited) › successful request by an authorized actor emits exactly one audit.record";
/// The task creation route, which takes a body from `harness.validBody`.
const CREATE_CROSS_TENANT: &str = "POST /projects/{projectId}/tasks › cross_tenant_denied(tenant-isolation) › actor of tenant A gets 403/404 with tenant B's projectId and triggers no side effect";
const CREATE_NO_WORK: &str = "POST /projects/{projectId}/tasks › no_side_effects_before_authz(no-work-before-authz) › actor of another tenant triggers no side effect";
const CREATE_LOGIN: &str = "POST /projects/{projectId}/tasks › authentication_required(login-required) › anonymous request gets 401 and triggers no side effect";
/// The profile route: login and the sensitive-data canaries.
const ME_LOGIN: &str = "GET /me › authentication_required(login-required) › anonymous request gets 401 and triggers no side effect";
const ME_SENSITIVE: &str = "GET /me › sensitive_data_not_exposed(no-sensitive-leaks) › canaries in secretNotes, passwordHash never reach the response, logs";
/// The property-based malformed-input tests of the project routes.
const REPORT_MALFORMED: &str = "GET /projects/{projectId}/report › malformed_input_rejected(bad-input-fails-safely) › malformed path, query and body input by an authorized actor gets no 5xx, stack trace or error text";
const TASK_MALFORMED: &str = "GET /projects/{projectId}/tasks/{taskId} › malformed_input_rejected(bad-input-fails-safely) › malformed path, query and body input by an authorized actor gets no 5xx, stack trace or error text";
const EXPORT_MALFORMED: &str = "GET /projects/{projectId}/export › malformed_input_rejected(bad-input-fails-safely) › malformed path, query and body input by an authorized actor gets no 5xx, stack trace or error text";
const CREATE_MALFORMED: &str = "POST /projects/{projectId}/tasks › malformed_input_rejected(bad-input-fails-safely) › malformed path, query and body input by an authorized actor gets no 5xx, stack trace or error text";
const ALL_TESTS: [&str; 22] = [
    CROSS_TENANT,
    NO_WORK,
    LOGIN,
    TASK_CROSS_TENANT,
    TASK_MIXED,
    TASK_NO_WORK,
    TASK_LOGIN,
    ADMIN_LOGIN,
    ADMIN_ROLE,
    EXPORT_CROSS_TENANT,
    EXPORT_NO_WORK,
    EXPORT_LOGIN,
    EXPORT_AUDIT,
    CREATE_CROSS_TENANT,
    CREATE_NO_WORK,
    CREATE_LOGIN,
    ME_LOGIN,
    ME_SENSITIVE,
    REPORT_MALFORMED,
    TASK_MALFORMED,
    EXPORT_MALFORMED,
    CREATE_MALFORMED,
];

/// The profile route of the `body-id` variants, whose user is named by the body and must
/// be the caller (spec-v1 §7 "Ids outside the path", "Caller-owned objects").
const PROFILE_LOGIN: &str = "POST /me/profile › authentication_required(login-required) › anonymous request gets 401 and triggers no side effect";
const PROFILE_OWNED: &str = "POST /me/profile › cross_tenant_denied(own-profile) › actor A of tenant T gets 403/404 with actor B's body.id and triggers no side effect";

/// The generated tests a variant has beyond [`ALL_TESTS`], for the routes it adds.
const EXTRA_TESTS: &[(&str, &[&str])] = &[
    ("body-id", &[PROFILE_LOGIN, PROFILE_OWNED]),
    ("body-id-fixed", &[PROFILE_LOGIN, PROFILE_OWNED]),
    ("move-dest", MOVE_TESTS),
    ("move-dest-fixed", MOVE_TESTS),
];

/// The generated tests of the move route of `move-dest/` and `move-dest-fixed/`.
const MOVE_TESTS: &[&str] = &[
    MOVE_LOGIN,
    MOVE_DEST_CROSS,
    MOVE_DEST_MIXED,
    MOVE_CROSS,
    MOVE_MIXED,
    MOVE_MALFORMED,
    MOVE_NO_WORK,
];
const MOVE_LOGIN: &str = "POST /projects/{projectId}/tasks/{taskId}/move › authentication_required(login-required) › anonymous request gets 401 and triggers no side effect";
const MOVE_DEST_CROSS: &str = "POST /projects/{projectId}/tasks/{taskId}/move › cross_tenant_denied(move-destination) › actor of tenant A gets 403/404 with tenant B's projectId, taskId, body.toProjectId and triggers no side effect";
/// A's project and task with B's project as the destination: the move touches B's project.
const MOVE_DEST_MIXED: &str = "POST /projects/{projectId}/tasks/{taskId}/move › cross_tenant_denied(move-destination) › actor of tenant A with tenant A's projectId and tenant B's taskId, body.toProjectId neither sees nor touches tenant B's objects";
const MOVE_CROSS: &str = "POST /projects/{projectId}/tasks/{taskId}/move › cross_tenant_denied(tenant-isolation) › actor of tenant A gets 403/404 with tenant B's projectId, taskId and triggers no side effect";
const MOVE_MIXED: &str = "POST /projects/{projectId}/tasks/{taskId}/move › cross_tenant_denied(tenant-isolation) › actor of tenant A with tenant A's projectId and tenant B's taskId neither sees nor touches tenant B's objects";
const MOVE_MALFORMED: &str = "POST /projects/{projectId}/tasks/{taskId}/move › malformed_input_rejected(bad-input-fails-safely) › malformed path, query and body input by an authorized actor gets no 5xx, stack trace or error text";
const MOVE_NO_WORK: &str = "POST /projects/{projectId}/tasks/{taskId}/move › no_side_effects_before_authz(no-work-before-authz) › actor of another tenant triggers no side effect";

/// The tests that observe no call and no channel the handler always feeds, so a blind
/// harness (one whose `calls` sees nothing) cannot be caught by them: `GET /me` does no
/// side effect, and malformed input is judged by the responses alone.
const BLIND_PROOF: [&str; 5] = [
    ME_LOGIN,
    REPORT_MALFORMED,
    TASK_MALFORMED,
    EXPORT_MALFORMED,
    CREATE_MALFORMED,
];

/// A failing test must fail on its own assertion: these are the runtime's messages. Every
/// failure also starts with `secprop: <route> breaks property <id>:` (checked apart).
fn expected_message(variant: &str, test: &str) -> &'static str {
    match test {
        // The record reaches the logs, not the body.
        ME_SENSITIVE if variant == "leaky-log" => {
            "the canary seeded into sensitive field passwordHash reached channel logs"
        }
        CROSS_TENANT => {
            "actor of tenant A triggered 1 call(s) of reports.*: the app ran it before refusing"
        }
        NO_WORK => {
            "actor of tenant A triggered 1 call(s) of reports.*: the app ran it before refusing"
        }
        // Actor B's id in the body: the profile is loaded and saved for actor A.
        PROFILE_OWNED => "actor A of tenant T got status 200, expected 403 or 404",
        // The task is found by id alone and sent: B's task id and canary are in the body.
        TASK_MIXED => "actor of tenant A got status 200 with tenant B's id \"task_",
        // The move's destination is B's project: tasks.move receives it.
        MOVE_DEST_MIXED => "tasks.move",
        ADMIN_ROLE => "actor of tenant T without role admin got status 200, expected 403",
        EXPORT_AUDIT => {
            "the actor of tenant T got status 200 and no call of audit.record was observed"
        }
        ME_SENSITIVE => {
            "carries the canary seeded into sensitive field passwordHash (tenant T) in its body"
        }
        // fast-check's report: the seed, the counterexample, and what its answer held.
        TASK_MALFORMED => "the app sends err.stack to the client",
        _ => "no failure expected",
    }
}

/// `secprop: GET /a › kind(id) › ...` → `secprop: GET /a breaks property id:`, the line
/// every failure message starts with.
fn failure_heading(test: &str) -> String {
    let mut parts = test.split(" › ");
    let route = parts.next().unwrap();
    let kind = parts.next().unwrap();
    let id = &kind[kind.find('(').unwrap() + 1..kind.len() - 1];
    format!("secprop: {route} breaks property {id}:")
}

/// Which generated tests fail on each variant; every other generated test must pass.
/// Every variant is the same app with one bug; `fixed` has none.
const DYNAMIC: &[(&str, &[&str])] = &[
    ("fixed", &[]),
    // The fixed app with a JavaScript harness: the tests and runtime are JavaScript.
    ("fixed-js", &[]),
    ("vulnerable", &[CROSS_TENANT, NO_WORK]),
    ("unawaited", &[CROSS_TENANT, NO_WORK]),
    ("wrong-param", &[CROSS_TENANT, NO_WORK]),
    ("login-only", &[CROSS_TENANT, NO_WORK]),
    ("branch-guard", &[CROSS_TENANT, NO_WORK]),
    ("id-only", &[TASK_MIXED]),
    ("missing-role", &[ADMIN_ROLE]),
    ("no-audit", &[EXPORT_AUDIT]),
    // Correct, written differently: A's request for B's task gets 200 and `[]`.
    ("scoped", &[]),
    // Correct, written differently: the membership check is a middleware.
    ("middleware-guard", &[]),
    ("leaky-user", &[ME_SENSITIVE]),
    ("leaky-log", &[ME_SENSITIVE]),
    ("leaky-errors", &[TASK_MALFORMED]),
    // The profile update loads and saves the user named by `req.body.id`.
    ("body-id", &[PROFILE_OWNED]),
    // Correct: the body's id must be the caller's.
    ("body-id-fixed", &[]),
    // The move checks the source project, not the destination named by the body.
    ("move-dest", &[MOVE_DEST_MIXED]),
    // Correct: the destination is checked too.
    ("move-dest-fixed", &[]),
];

/// An expected finding: property or built-in id, file relative to the variant, line of
/// the primary location.
type Expected = (&'static str, &'static str, u32);

/// Expected open `secprop check` findings per variant, exactly, sorted.
const STATIC: &[(&str, &[Expected])] = &[
    ("fixed", &[]),
    ("fixed-js", &[]),
    (
        "vulnerable",
        &[
            ("no-work-before-authz", "src/app.ts", 21),
            ("tenant-isolation", "src/app.ts", 21),
        ],
    ),
    (
        "unawaited",
        &[
            ("no-work-before-authz", "src/app.ts", 24),
            // A Promise is always truthy: the guard decides nothing.
            ("secprop/unchecked-guard", "src/app.ts", 21),
            ("tenant-isolation", "src/app.ts", 24),
        ],
    ),
    // An authorization guard runs first, so ordering holds; it checks the wrong value.
    ("wrong-param", &[("tenant-isolation", "src/app.ts", 24)]),
    (
        "login-only",
        &[
            ("no-work-before-authz", "src/app.ts", 20),
            ("tenant-isolation", "src/app.ts", 20),
        ],
    ),
    (
        "branch-guard",
        &[
            ("no-work-before-authz", "src/app.ts", 27),
            ("tenant-isolation", "src/app.ts", 27),
        ],
    ),
    // The task is loaded by id alone after a correct project check (rule 2 of §7).
    ("id-only", &[("tenant-isolation", "src/app.ts", 32)]),
    // The admin route lacks `requireAdmin`, which is then used nowhere.
    (
        "missing-role",
        &[
            ("admins-only", "src/app.ts", 40),
            ("secprop/unmatched-pattern", "secprop.yaml", 38),
        ],
    ),
    // The export records nothing, and `audit.record` is then called nowhere.
    (
        "no-audit",
        &[
            ("exports-audited", "src/app.ts", 43),
            ("secprop/unmatched-pattern", "secprop.yaml", 16),
            ("secprop/unmatched-pattern", "secprop.yaml", 43),
        ],
    ),
    ("scoped", &[]),
    // The raw user record, password hash included, is sent.
    ("leaky-user", &[("no-sensitive-leaks", "src/app.ts", 70)]),
    // The whole user record, password hash included, goes to the logger.
    ("leaky-log", &[("no-sensitive-leaks", "src/app.ts", 69)]),
    // The caught error's stack goes to the client.
    (
        "leaky-errors",
        &[("bad-input-fails-safely", "src/app.ts", 36)],
    ),
    ("middleware-guard", &[]),
    // The user named by the body is loaded without being compared with the caller.
    ("body-id", &[("own-profile", "src/app.ts", 78)]),
    ("body-id-fixed", &[]),
    // The task is moved into the project the body names, never checked. The static rule
    // misses it: `tasks.move(task.id, toProjectId)` also receives the verified task, which
    // spec-v1 §7 rule (2) takes as scoping; the generated test catches it.
    ("move-dest", &[]),
    ("move-dest-fixed", &[]),
];

/// vitest and tsc use both cores; variants run one at a time.
static SERIAL: Mutex<()> = Mutex::new(());

fn project_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/e2e/express")
}

fn node_bin(name: &str) -> PathBuf {
    let bin = project_dir().join("node_modules/.bin").join(name);
    assert!(
        bin.exists(),
        "{} is missing: install the end-to-end npm project first with `npm ci --prefix tests/e2e/express`",
        bin.display()
    );
    bin
}

fn copy_dir(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).unwrap();
    for entry in std::fs::read_dir(from).unwrap() {
        let entry = entry.unwrap();
        let dest = to.join(entry.file_name());
        if entry.file_type().unwrap().is_dir() {
            copy_dir(&entry.path(), &dest);
        } else {
            std::fs::copy(entry.path(), &dest).unwrap();
        }
    }
}

/// The test runner a variant's generated tests are written for and run with.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Runner {
    Vitest,
    Jest,
}

/// A copy of a variant inside the npm project (so `node_modules` resolves), removed on
/// drop; `.run-*` is gitignored. `fixed/` is the whole app; every other variant holds
/// only the files that differ from it and is laid over a copy of it.
fn copy_variant(variant: &str) -> tempfile::TempDir {
    copy_variant_for(variant, Runner::Vitest)
}

/// [`copy_variant`] for `runner`: for jest, the `jest/` overlay (its config and a harness
/// that observes with `jest.spyOn`) goes on top and the spec's runner becomes `jest`.
fn copy_variant_for(variant: &str, runner: Runner) -> tempfile::TempDir {
    let tmp = tempfile::Builder::new()
        .prefix(&format!(".run-{variant}-"))
        .tempdir_in(project_dir())
        .unwrap();
    copy_dir(&project_dir().join("fixed"), tmp.path());
    if variant != "fixed" {
        copy_dir(&project_dir().join(variant), tmp.path());
    }
    if runner == Runner::Jest {
        copy_dir(&project_dir().join("jest"), tmp.path());
        let spec = tmp.path().join("secprop.yaml");
        let text = std::fs::read_to_string(&spec).unwrap();
        assert!(text.contains("      runner: vitest\n"), "{variant}: {text}");
        std::fs::write(
            &spec,
            text.replace("      runner: vitest\n", "      runner: jest\n"),
        )
        .unwrap();
        if variant.ends_with("-js") {
            javascript_harness(tmp.path());
        }
    }
    tmp
}

/// Replaces the copy's TypeScript jest harness by the same harness in JavaScript (the
/// types stripped by TypeScript's own transpiler), so `generate` writes JavaScript tests
/// and jest runs them: one harness to maintain, both languages proven.
fn javascript_harness(dir: &Path) {
    let ts = dir.join("tests/security/harness.ts");
    let js = dir.join("tests/security/harness.js");
    let script = "import ts from \"typescript\"; import fs from \"node:fs\"; \
        const [from, to] = process.argv.slice(1); \
        const out = ts.transpileModule(fs.readFileSync(from, \"utf8\"), \
          { compilerOptions: { module: ts.ModuleKind.ESNext, target: ts.ScriptTarget.ES2022 } }); \
        fs.writeFileSync(to, out.outputText);";
    let out = run(Command::new("node")
        .args(["--input-type=module", "-e", script])
        .arg(&ts)
        .arg(&js));
    assert!(
        out.status.success(),
        "transpiling the jest harness to JavaScript:\n{}",
        String::from_utf8_lossy(&out.stderr)
    );
    std::fs::remove_file(ts).unwrap();
}

/// Loads the copy's spec and scans its targets with the Express frontend.
fn spec_and_projects(
    dir: &Path,
) -> (
    secprop_spec::LoadedSpec,
    Vec<(String, secprop_model::Project)>,
) {
    let spec = secprop_spec::load(&dir.join("secprop.yaml"))
        .unwrap_or_else(|e| panic!("the spec of {} does not load: {e:?}", dir.display()));
    let projects = spec
        .spec
        .targets
        .iter()
        .map(|t| {
            let opts = secprop_frontends::scan_options(&spec, t);
            (t.name.clone(), secprop_lang_js::scan(&opts))
        })
        .collect();
    (spec, projects)
}

fn generate(dir: &Path, mode: Mode) -> secprop_generate::Outcome {
    let (spec, projects) = spec_and_projects(dir);
    secprop_generate::generate(&spec, &projects, mode).unwrap_or_else(|e| panic!("generate: {e}"))
}

fn run(cmd: &mut Command) -> std::process::Output {
    cmd.current_dir(project_dir())
        .env("NO_COLOR", "1")
        .env("CI", "1")
        .output()
        .unwrap_or_else(|e| panic!("running {cmd:?}: {e}"))
}

/// `tsc --noEmit` over the variant, generated tests and harness included.
fn typecheck(dir: &Path) {
    let out = run(Command::new(node_bin("tsc"))
        .arg("--noEmit")
        .arg("-p")
        .arg(dir));
    assert!(
        out.status.success(),
        "tsc --noEmit failed in {}:\n{}{}",
        dir.display(),
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
}

/// Runs vitest; returns each test's full name with its status and failure messages.
fn vitest(dir: &Path) -> BTreeMap<String, (String, String)> {
    vitest_with(dir, &[])
}

/// [`vitest`] with extra environment variables.
fn vitest_with(dir: &Path, env: &[(&str, &str)]) -> BTreeMap<String, (String, String)> {
    let report = dir.join("vitest-report.json");
    let mut cmd = Command::new(node_bin("vitest"));
    cmd.arg("run")
        .arg("--root")
        .arg(dir)
        .arg("--reporter=json")
        .arg(format!("--outputFile={}", report.display()));
    for (k, v) in env {
        cmd.env(k, v);
    }
    let out = run(&mut cmd);
    let text = std::fs::read_to_string(&report).unwrap_or_else(|_| {
        panic!(
            "vitest wrote no report:\n{}{}",
            String::from_utf8_lossy(&out.stdout),
            String::from_utf8_lossy(&out.stderr)
        )
    });
    results_by_name(&text, Runner::Vitest)
}

/// Runs jest once, in band, on the variant copy with its `jest.config.js`; returns each
/// test's full name with its status and failure messages.
fn jest(dir: &Path) -> BTreeMap<String, (String, String)> {
    let report = dir.join("jest-report.json");
    let out = run(Command::new(node_bin("jest"))
        .arg("--config")
        .arg(dir.join("jest.config.js"))
        .args(["--runInBand", "--no-watchman", "--silent", "--json"])
        .arg(format!("--outputFile={}", report.display())));
    let text = std::fs::read_to_string(&report).unwrap_or_else(|_| {
        panic!(
            "jest wrote no report:\n{}{}",
            String::from_utf8_lossy(&out.stdout),
            String::from_utf8_lossy(&out.stderr)
        )
    });
    results_by_name(&text, Runner::Jest)
}

/// The test results of a JSON report in jest's format (which vitest's JSON reporter
/// writes too), by full name `describe › test`. A test file that did not run (a compile
/// or import error) fails here with its message.
fn results_by_name(report: &str, runner: Runner) -> BTreeMap<String, (String, String)> {
    let json: serde_json::Value = serde_json::from_str(report).unwrap();
    let mut tests = BTreeMap::new();
    for file in json["testResults"].as_array().unwrap() {
        let message = file["message"].as_str().unwrap_or("");
        let ran = file["assertionResults"]
            .as_array()
            .is_some_and(|a| !a.is_empty());
        // jest also puts the failures of a file that ran into its `message`.
        assert!(
            message.is_empty() || (runner == Runner::Jest && ran),
            "test file {} failed to run: {message}",
            file["name"]
        );
        for t in file["assertionResults"].as_array().unwrap() {
            let mut name: Vec<String> = t["ancestorTitles"]
                .as_array()
                .unwrap()
                .iter()
                .map(|s| s.as_str().unwrap().to_string())
                .collect();
            name.push(t["title"].as_str().unwrap().to_string());
            let failures: Vec<&str> = t["failureMessages"]
                .as_array()
                .unwrap()
                .iter()
                .filter_map(|m| m.as_str())
                .collect();
            let previous = tests.insert(
                name.join(" › "),
                (
                    t["status"].as_str().unwrap().to_string(),
                    failures.join("\n"),
                ),
            );
            assert!(
                previous.is_none(),
                "duplicate test name {}",
                name.join(" › ")
            );
        }
    }
    tests
}

fn check_variant(variant: &str) {
    check_variant_with(variant, Runner::Vitest);
}

/// [`check_variant`] with the tests generated for and run by `runner`.
fn check_variant_with(variant: &str, runner: Runner) {
    let _serial = SERIAL.lock().unwrap_or_else(|e| e.into_inner());
    let expected_failing = DYNAMIC
        .iter()
        .find(|(v, _)| *v == variant)
        .map(|(_, f)| *f)
        .unwrap();
    let tmp = copy_variant_for(variant, runner);
    let dir = tmp.path();

    // Generate, then again: byte-identical, nothing rewritten, `--check` clean.
    let first = generate(dir, Mode::Write);
    assert!(
        !first.written.is_empty(),
        "generate wrote nothing for {variant}: {first:?}"
    );
    let generated: Vec<(String, Vec<u8>)> = first
        .written
        .iter()
        .map(|p| {
            let bytes = std::fs::read(Path::new(env!("CARGO_MANIFEST_DIR")).join(p)).unwrap();
            (p.clone(), bytes)
        })
        .collect();
    let ext = if variant.ends_with("-js") {
        ".js"
    } else {
        ".ts"
    };
    assert!(
        first.written.iter().all(|p| p.ends_with(ext)),
        "{variant}: generated files are not {ext}: {:?}",
        first.written
    );
    let second = generate(dir, Mode::Write);
    assert!(
        second.written.is_empty() && second.deleted.is_empty(),
        "{second:?}"
    );
    for (p, bytes) in &generated {
        let now = std::fs::read(Path::new(env!("CARGO_MANIFEST_DIR")).join(p)).unwrap();
        assert!(&now == bytes, "{p} changed on the second run");
    }
    assert!(generate(dir, Mode::Check).is_up_to_date());

    typecheck(dir);
    let results = match runner {
        Runner::Vitest => vitest(dir),
        Runner::Jest => jest(dir),
    };
    let names: Vec<&str> = results.keys().map(String::as_str).collect();
    let mut all = ALL_TESTS.to_vec();
    if let Some((_, extra)) = EXTRA_TESTS.iter().find(|(v, _)| *v == variant) {
        all.extend(extra.iter());
    }
    all.sort();
    assert_eq!(
        names, all,
        "the generated tests of {variant} ({runner:?}) are not the expected ones"
    );
    for (name, (status, message)) in &results {
        let should_fail = expected_failing.contains(&name.as_str());
        if should_fail {
            assert_eq!(
                status, "failed",
                "{variant} ({runner:?}): `{name}` should fail but {status}"
            );
            assert!(
                message.contains(expected_message(variant, name)),
                "{variant} ({runner:?}): `{name}` failed for another reason than its assertion:\n{message}"
            );
            assert!(
                message.contains(&failure_heading(name)),
                "{variant}: `{name}` does not name its property and route:\n{message}"
            );
            if name == TASK_MALFORMED {
                assert!(
                    message.contains("re-run with SECPROP_SEED=")
                        && message.contains("Counterexample: ["),
                    "{variant}: `{name}` does not print its seed and counterexample:\n{message}"
                );
            }
        } else {
            assert_eq!(
                status, "passed",
                "{variant} ({runner:?}): `{name}` should pass:\n{message}"
            );
        }
    }

    static_findings(variant, dir);
}

/// `secprop check --format json` in the variant's copy (after `generate`, so the tests
/// are fresh) reports exactly the `STATIC` findings, and exits 1 when there are any.
fn static_findings(variant: &str, dir: &Path) {
    let expected: Vec<(String, String, u64)> = STATIC
        .iter()
        .find(|(v, _)| *v == variant)
        .map(|(_, f)| {
            f.iter()
                .map(|(p, f, l)| (p.to_string(), f.to_string(), u64::from(*l)))
                .collect()
        })
        .unwrap();
    let out = assert_cmd::Command::cargo_bin("secprop")
        .unwrap()
        .current_dir(dir)
        .env("NO_COLOR", "1")
        .args(["check", "--format", "json"])
        .output()
        .unwrap();
    let json: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap_or_else(|e| {
        panic!(
            "{variant}: check printed no JSON ({e}):\n{}{}",
            String::from_utf8_lossy(&out.stdout),
            String::from_utf8_lossy(&out.stderr)
        )
    });
    let prefix = format!(
        "{}/",
        dir.strip_prefix(env!("CARGO_MANIFEST_DIR"))
            .unwrap()
            .to_string_lossy()
    );
    let mut found: Vec<(String, String, u64)> = json["findings"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|f| f["status"] == "open")
        .map(|f| {
            let file = f["file"].as_str().unwrap();
            (
                f["property"].as_str().unwrap().to_string(),
                file.strip_prefix(&prefix).unwrap_or(file).to_string(),
                f["line"].as_u64().unwrap(),
            )
        })
        .collect();
    found.sort();
    assert_eq!(found, expected, "{variant}: `secprop check` findings");
    let code = if expected.is_empty() { 0 } else { 1 };
    assert_eq!(
        out.status.code(),
        Some(code),
        "{variant}: `secprop check` exit status"
    );
}

#[test]
fn e2e_express_fixed() {
    check_variant("fixed");
}

#[test]
fn e2e_express_fixed_javascript() {
    check_variant("fixed-js");
}

#[test]
fn e2e_express_vulnerable() {
    check_variant("vulnerable");
}

#[test]
fn e2e_express_unawaited() {
    check_variant("unawaited");
}

#[test]
fn e2e_express_wrong_param() {
    check_variant("wrong-param");
}

#[test]
fn e2e_express_login_only() {
    check_variant("login-only");
}

#[test]
fn e2e_express_branch_guard() {
    check_variant("branch-guard");
}

#[test]
fn e2e_express_id_only() {
    check_variant("id-only");
}

#[test]
fn e2e_express_missing_role() {
    check_variant("missing-role");
}

#[test]
fn e2e_express_no_audit() {
    check_variant("no-audit");
}

#[test]
fn e2e_express_scoped_lookup_passes() {
    check_variant("scoped");
}

#[test]
fn e2e_express_middleware_guard_passes() {
    check_variant("middleware-guard");
}

#[test]
fn e2e_express_leaky_user() {
    check_variant("leaky-user");
}

#[test]
fn e2e_express_leaky_log() {
    check_variant("leaky-log");
}

#[test]
fn e2e_express_leaky_errors() {
    check_variant("leaky-errors");
}

/// The same suite under jest (ts-jest, `jest.spyOn` in the harness): the fixed app passes
/// everything, and each vulnerable variant fails exactly the tests it fails under vitest.
#[test]
fn e2e_express_jest_fixed() {
    check_variant_with("fixed", Runner::Jest);
}

/// A JavaScript harness under jest: the tests are JavaScript too.
#[test]
fn e2e_express_jest_fixed_javascript() {
    check_variant_with("fixed-js", Runner::Jest);
}

#[test]
fn e2e_express_jest_vulnerable() {
    check_variant_with("vulnerable", Runner::Jest);
}

#[test]
fn e2e_express_jest_missing_role() {
    check_variant_with("missing-role", Runner::Jest);
}

#[test]
fn e2e_express_jest_leaky_user() {
    check_variant_with("leaky-user", Runner::Jest);
}

#[test]
fn e2e_express_jest_leaky_errors() {
    check_variant_with("leaky-errors", Runner::Jest);
}

/// Without a harness, `generate` writes the scaffold; it typechecks, and every generated
/// test fails naming the harness function to implement: nothing passes, nothing skips.
#[test]
fn e2e_express_scaffold_fails_every_test() {
    let _serial = SERIAL.lock().unwrap_or_else(|e| e.into_inner());
    let tmp = copy_variant("fixed");
    let dir = tmp.path();
    std::fs::remove_file(dir.join("tests/security/harness.ts")).unwrap();
    let out = generate(dir, Mode::Write);
    assert_eq!(out.scaffolded.len(), 1, "{out:?}");
    assert!(out.scaffolded[0].ends_with("tests/security/harness.ts"));
    typecheck(dir);
    let results = vitest(dir);
    assert_eq!(results.len(), ALL_TESTS.len());
    for (name, (status, message)) in &results {
        assert_eq!(status, "failed", "`{name}` must fail against the scaffold");
        assert!(
            message.contains("is not implemented yet"),
            "`{name}`: {message}"
        );
    }
    // A second run never rewrites the (now user-owned) harness.
    std::fs::write(dir.join("tests/security/harness.ts"), "// mine\n").unwrap();
    assert!(generate(dir, Mode::Write).scaffolded.is_empty());
    assert_eq!(
        std::fs::read_to_string(dir.join("tests/security/harness.ts")).unwrap(),
        "// mine\n"
    );
}

/// A harness that observes nothing (its spies were restored, or never installed) must not
/// let the vulnerable app pass: every test's positive control sees no work and fails.
#[test]
fn e2e_express_blind_harness_fails_every_test() {
    let _serial = SERIAL.lock().unwrap_or_else(|e| e.into_inner());
    let tmp = copy_variant("vulnerable");
    let dir = tmp.path();
    let harness = dir.join("tests/security/harness.ts");
    let text = std::fs::read_to_string(&harness).unwrap();
    let signature = "export function calls(pattern: string): unknown[] | null {\n";
    assert!(text.contains(signature));
    let blind = text.replace(
        signature,
        &format!("{signature}  if (pattern !== \"\") {{\n    return [];\n  }}\n"),
    );
    std::fs::write(&harness, blind).unwrap();
    generate(dir, Mode::Write);
    typecheck(dir);
    assert_every_observing_test_fails_blind(&vitest(dir));
}

/// Under jest, the common mistake: spies made once at import time. jest's `restoreMocks`
/// puts the real functions back before every test, so the spies the harness kept see
/// nothing from the first test on; on the vulnerable app every test that observes calls
/// must fail, saying the spies are not observing, instead of passing vacuously.
#[test]
fn e2e_express_jest_spies_made_once_fail_every_test() {
    let _serial = SERIAL.lock().unwrap_or_else(|e| e.into_inner());
    let tmp = copy_variant_for("vulnerable", Runner::Jest);
    let dir = tmp.path();
    let harness = dir.join("tests/security/harness.ts");
    let mut text = std::fs::read_to_string(&harness).unwrap();
    let per_test =
        "    jest.spyOn(module as Record<string, (...args: unknown[]) => unknown>, name);\n";
    let observed = "/** Sensitive field values for objects created from now on (`seed`). */\n";
    let lookup = "    const fn = module[exported];\n";
    for needle in [per_test, observed, lookup] {
        assert!(text.contains(needle), "the jest harness changed: {needle}");
    }
    text = text
        .replace(per_test, "")
        .replace(
            observed,
            &format!(
                "const once = Object.fromEntries(Object.entries(observed).map(([n, [m, e]]) => [n, jest.spyOn(m as Record<string, (...args: unknown[]) => unknown>, e)]));\n\n{observed}"
            ),
        )
        .replace(lookup, "    const fn = once[name] ?? module[exported];\n");
    std::fs::write(&harness, text).unwrap();
    generate(dir, Mode::Write);
    typecheck(dir);
    assert_every_observing_test_fails_blind(&jest(dir));
}

/// The results of a harness that observes nothing, on the vulnerable app: the tests that
/// observe no call pass (nothing to prove there), every other one fails on its positive
/// control (or, for audit and sensitive data, on the call or capture it expects).
fn assert_every_observing_test_fails_blind(results: &BTreeMap<String, (String, String)>) {
    assert_eq!(results.len(), ALL_TESTS.len());
    for (name, (status, message)) in results {
        if BLIND_PROOF.contains(&name.as_str()) {
            assert_eq!(status, "passed", "`{name}`: {message}");
            continue;
        }
        assert_eq!(status, "failed", "`{name}` passed with a blind harness");
        // The audit test has no separate control: its expected call is the proof; the
        // profile's log line is the sensitive-data test's.
        let blind = if name == EXPORT_AUDIT {
            message.contains("no call of audit.record was observed")
        } else if name == ME_SENSITIVE {
            message.contains("positive control: channel logs captured nothing")
        } else {
            message.contains("positive control:") && message.contains("but no observed call of")
        };
        assert!(blind, "`{name}`: {message}");
    }
}

/// A harness whose actors the app refuses makes every test fail, and the message blames
/// the harness's actor, not the spies (spec-v1 §9: say which side is at fault).
#[test]
fn e2e_express_refused_actor_is_the_harness_fault() {
    let _serial = SERIAL.lock().unwrap_or_else(|e| e.into_inner());
    let tmp = copy_variant("fixed");
    let dir = tmp.path();
    let harness = dir.join("tests/security/harness.ts");
    let text = std::fs::read_to_string(&harness).unwrap();
    let credentials = "return { headers: { authorization: `Bearer ${token}` } };";
    assert!(text.contains(credentials));
    let refused = text.replace(
        credentials,
        "return { headers: { authorization: `Bearer expired-${token}` } };",
    );
    std::fs::write(&harness, refused).unwrap();
    generate(dir, Mode::Write);
    typecheck(dir);
    let results = vitest(dir);
    assert_eq!(results.len(), ALL_TESTS.len());
    for (name, (status, message)) in &results {
        assert_eq!(status, "failed", "`{name}` passed with refused actors");
        let blames_actor = if name == EXPORT_AUDIT {
            message.contains("got status 401") && message.contains("not a success")
        } else {
            message.contains("positive control:") && message.contains("was refused with status 401")
        };
        assert!(
            blames_actor && message.contains("harness.actor(") && !message.contains("spies"),
            "`{name}`: {message}"
        );
    }
}

/// `SECPROP_SEED` and `SECPROP_CASES` replace the seed written in the file and the
/// number of cases, and the failure says which were used (spec-v1 §9).
#[test]
fn e2e_express_seed_and_cases_come_from_the_environment() {
    let _serial = SERIAL.lock().unwrap_or_else(|e| e.into_inner());
    let tmp = copy_variant("leaky-errors");
    let dir = tmp.path();
    generate(dir, Mode::Write);
    let file = std::fs::read_to_string(dir.join("tests/security/src/app.secprop.test.ts")).unwrap();
    assert!(file.contains("cases: 100 }"), "the default is 100 cases");
    let results = vitest_with(dir, &[("SECPROP_SEED", "42"), ("SECPROP_CASES", "30")]);
    let (status, message) = &results[TASK_MALFORMED];
    assert_eq!(status, "failed");
    assert!(
        message.contains("(seed 42, 30 case(s); re-run with SECPROP_SEED=42)")
            && message.contains("{ seed: 42,"),
        "{message}"
    );
}

/// The counterexample fast-check reported in a failure message: the line after
/// `Counterexample: `.
fn counterexample(message: &str) -> &str {
    let at = message
        .find("Counterexample: ")
        .unwrap_or_else(|| panic!("no counterexample in:\n{message}"));
    message[at..].lines().next().unwrap()
}

/// A property-based failure replays (spec-v1 §9): two runs of a vulnerable variant with
/// the same `SECPROP_SEED` report the same counterexample, for the cross-tenant test
/// (which of B's objects) and the malformed-input one.
#[test]
fn e2e_express_property_based_failures_replay_with_their_seed() {
    let _serial = SERIAL.lock().unwrap_or_else(|e| e.into_inner());
    for (variant, name) in [
        ("vulnerable", CROSS_TENANT),
        ("leaky-errors", TASK_MALFORMED),
    ] {
        let tmp = copy_variant(variant);
        let dir = tmp.path();
        generate(dir, Mode::Write);
        let seed = [("SECPROP_SEED", "7")];
        let first = vitest_with(dir, &seed);
        let second = vitest_with(dir, &seed);
        let (status, message) = &first[name];
        assert_eq!(status, "failed", "{variant}: `{name}`: {message}");
        assert!(
            message.contains("re-run with SECPROP_SEED=7)"),
            "{variant}: `{name}`: {message}"
        );
        assert_eq!(
            counterexample(message),
            counterexample(&second[name].1),
            "{variant}: `{name}` reported another counterexample on a second run with the same seed"
        );
    }
}

/// `secprop generate --check` exits 0 on fresh output and 1 after a generated file is
/// tampered with; nothing is written in check mode.
#[test]
fn e2e_express_generate_check_exit_codes() {
    let _serial = SERIAL.lock().unwrap_or_else(|e| e.into_inner());
    let tmp = copy_variant("fixed");
    let dir = tmp.path();
    let secprop = || {
        let mut c = assert_cmd::Command::cargo_bin("secprop").unwrap();
        c.current_dir(dir).env("NO_COLOR", "1");
        c
    };
    secprop().arg("generate").assert().code(0);
    secprop().args(["generate", "--check"]).assert().code(0);

    let out = generate(dir, Mode::Check);
    assert!(out.is_up_to_date());
    let test_file = dir.join("tests/security/src/app.secprop.test.ts");
    let mut text = std::fs::read_to_string(&test_file).unwrap();
    text = text.replace("403/404", "403");
    std::fs::write(&test_file, &text).unwrap();
    secprop().args(["generate", "--check"]).assert().code(1);
    assert_eq!(std::fs::read_to_string(&test_file).unwrap(), text);
    let out = generate(dir, Mode::Check);
    assert_eq!(out.stale.len(), 1);
    assert_eq!(out.stale[0].reason, StaleReason::Modified);
    secprop().arg("generate").assert().code(0);
    secprop().args(["generate", "--check"]).assert().code(0);
}

#[test]
fn e2e_express_body_id() {
    check_variant("body-id");
}

#[test]
fn e2e_express_body_id_fixed() {
    check_variant("body-id-fixed");
}

#[test]
fn e2e_express_move_dest() {
    check_variant("move-dest");
}

#[test]
fn e2e_express_move_dest_fixed() {
    check_variant("move-dest-fixed");
}
