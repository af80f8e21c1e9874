//! `secprop init` on fixture apps copied into temporary repositories: the spec it writes
//! loads and `check` runs on it; it never overwrites without `--force` and never the
//! harness; frameworks without a frontend are named, not guessed at.

use assert_cmd::Command;
use std::path::Path;
use std::process::Output;

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

fn copy_dir(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).unwrap();
    for e in std::fs::read_dir(from).unwrap() {
        let e = e.unwrap();
        let dest = to.join(e.file_name());
        if e.file_type().unwrap().is_dir() {
            if e.file_name() != "node_modules" {
                copy_dir(&e.path(), &dest);
            }
        } else if e.file_name() != "secprop.yaml" {
            // The fixture's own spec is what init must write.
            std::fs::copy(e.path(), dest).unwrap();
        }
    }
}

/// A repository holding the fixture app at `app` with a `package.json` naming express
/// and vitest.
fn repo_with(app: &Path) -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    std::fs::create_dir(dir.path().join(".git")).unwrap();
    copy_dir(app, dir.path());
    std::fs::write(
        dir.path().join("package.json"),
        r#"{"name": "app", "dependencies": {"express": "^5"}, "devDependencies": {"vitest": "^4", "supertest": "^7"}}"#,
    )
    .unwrap();
    dir
}

/// Runs `init` at `root`, which must succeed, and returns the spec it wrote.
fn init_spec(root: &Path) -> String {
    let out = secprop(root, &["init"]);
    assert_eq!(out.status.code(), Some(0), "{}", text(&out));
    std::fs::read_to_string(root.join("secprop.yaml")).unwrap()
}

fn fixture(rel: &str) -> std::path::PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join(rel)
}

#[test]
fn init_on_every_express_fixture_app_writes_a_spec_that_checks() {
    let mut apps: Vec<_> = std::fs::read_dir(fixture("tests/apps/express"))
        .unwrap()
        .map(|e| e.unwrap().path())
        .collect();
    apps.push(fixture("tests/e2e/express/vulnerable"));
    apps.sort();
    for app in apps {
        let dir = repo_with(&app);
        let root = dir.path();
        let out = secprop(root, &["init"]);
        assert_eq!(
            out.status.code(),
            Some(0),
            "{}: {}",
            app.display(),
            text(&out)
        );
        assert!(text(&out).contains("next: "), "{}", text(&out));
        assert_init_wrote_a_spec_that_checks(root, &app);
    }
}

/// The three files are written, the spec loads, and `check` runs with every route
/// covered (the starter properties select `**`).
fn assert_init_wrote_a_spec_that_checks(root: &Path, app: &Path) {
    for f in [
        "secprop.yaml",
        ".github/pull_request_template.md",
        ".github/workflows/secprop.yml",
    ] {
        assert!(root.join(f).is_file(), "{}: {f} missing", app.display());
    }
    let out = secprop(root, &["validate"]);
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}: {}",
        app.display(),
        text(&out)
    );
    let out = secprop(root, &["check", "--format", "json"]);
    assert_ne!(
        out.status.code(),
        Some(2),
        "{}: {}",
        app.display(),
        text(&out)
    );
    let doc: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert!(
        !doc["findings"]
            .as_array()
            .unwrap()
            .iter()
            .any(|f| f["property"] == "secprop/uncovered-route"),
        "{}: {doc:#}",
        app.display()
    );
}

#[test]
fn init_on_the_report_example_suggests_its_context() {
    let dir = repo_with(&fixture("tests/e2e/express/vulnerable"));
    let root = dir.path();
    let spec = init_spec(root);
    for expected in [
        "framework: express",
        "runner: vitest",
        "- \"requireLogin\"   # review",
        "- \"membership.canView\"   # review",
        "- \"logger.*\"   # review",
        "tenant_param: \"projectId\"",
        "- route: \"GET /health\"",
    ] {
        assert!(spec.contains(expected), "{expected}:\n{spec}");
    }
    // The harness comes from `generate`'s scaffold; no test file is written.
    let harness = std::fs::read_to_string(root.join("tests/security/harness.ts")).unwrap();
    assert!(harness.contains("HARNESS_API = 1"), "{harness}");
    assert!(!root.join("tests/security/src").exists());
    let template = std::fs::read_to_string(root.join(".github/pull_request_template.md")).unwrap();
    assert!(template.contains("Who owns the risk?") && template.contains("secprop.yaml"));
    let workflow = std::fs::read_to_string(root.join(".github/workflows/secprop.yml")).unwrap();
    for step in [
        "upload-sarif",
        "generate --check",
        "secprop review",
        "fetch-depth: 0",
    ] {
        assert!(workflow.contains(step), "{step}:\n{workflow}");
    }
}

#[test]
fn init_never_overwrites_without_force_and_never_the_harness() {
    let dir = repo_with(&fixture("tests/e2e/express/vulnerable"));
    let root = dir.path();
    assert_eq!(secprop(root, &["init"]).status.code(), Some(0));
    std::fs::write(root.join("secprop.yaml"), "version: 1\n# mine\n").unwrap();
    std::fs::write(root.join("tests/security/harness.ts"), "// mine\n").unwrap();
    let out = secprop(root, &["init"]);
    assert_eq!(out.status.code(), Some(2), "{}", text(&out));
    assert!(text(&out).contains("already exists") && text(&out).contains("--force"));
    assert_eq!(
        std::fs::read_to_string(root.join("secprop.yaml")).unwrap(),
        "version: 1\n# mine\n"
    );

    // `--force` replaces the spec, and still leaves the user's harness alone.
    let out = secprop(root, &["init", "--force"]);
    assert_eq!(out.status.code(), Some(0), "{}", text(&out));
    assert!(
        std::fs::read_to_string(root.join("secprop.yaml"))
            .unwrap()
            .contains("targets:")
    );
    assert_eq!(
        std::fs::read_to_string(root.join("tests/security/harness.ts")).unwrap(),
        "// mine\n"
    );

    // An existing PR template is kept even when the spec is written.
    std::fs::remove_file(root.join("secprop.yaml")).unwrap();
    std::fs::write(root.join(".github/pull_request_template.md"), "ours\n").unwrap();
    let out = secprop(root, &["init"]);
    assert_eq!(out.status.code(), Some(0), "{}", text(&out));
    assert!(
        text(&out).contains("kept .github/pull_request_template.md"),
        "{}",
        text(&out)
    );
    assert_eq!(
        std::fs::read_to_string(root.join(".github/pull_request_template.md")).unwrap(),
        "ours\n"
    );
}

#[test]
fn frameworks_without_a_frontend_are_named() {
    // actix-web has no frontend in this version: init says so and writes nothing (update
    // this test when its frontend lands).
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path();
    std::fs::create_dir(root.join(".git")).unwrap();
    std::fs::write(
        root.join("Cargo.toml"),
        "[package]\nname = \"svc\"\n\n[dependencies]\nactix-web = \"4\"\n",
    )
    .unwrap();
    std::fs::write(root.join("requirements.txt"), "pytest\n").unwrap();
    let out = secprop(root, &["init"]);
    assert_eq!(out.status.code(), Some(2), "{}", text(&out));
    let shown = text(&out);
    assert!(
        shown.contains("actix-web (in Cargo.toml) has no frontend"),
        "{shown}"
    );
    assert!(
        shown.contains("test runner pytest (in requirements.txt) has no templates"),
        "{shown}"
    );
    assert!(!root.join("secprop.yaml").exists());
}

/// A repository holding the fixture app at `app` with `manifest` written as `name`.
fn repo_with_manifest(app: &Path, name: &str, manifest: &str) -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    std::fs::create_dir(dir.path().join(".git")).unwrap();
    copy_dir(app, dir.path());
    std::fs::write(dir.path().join(name), manifest).unwrap();
    dir
}

#[test]
fn init_on_every_axum_fastapi_and_flask_fixture_app_writes_a_spec_that_checks() {
    let manifests = [
        (
            "axum",
            "Cargo.toml",
            "[package]\nname = \"app\"\n\n[dependencies]\naxum = \"0.8\"\n",
        ),
        ("fastapi", "requirements.txt", "fastapi>=0.110\npytest\n"),
        (
            "flask",
            "pyproject.toml",
            "[project]\nname = \"app\"\ndependencies = [\"flask>=3\"]\n\n[project.optional-dependencies]\ntest = [\"pytest\"]\n",
        ),
    ];
    for (framework, name, manifest) in manifests {
        let mut apps: Vec<_> = std::fs::read_dir(fixture(&format!("tests/apps/{framework}")))
            .unwrap()
            .map(|e| e.unwrap().path())
            .collect();
        apps.sort();
        for app in apps {
            let dir = repo_with_manifest(&app, name, manifest);
            let root = dir.path();
            let out = secprop(root, &["init"]);
            let shown = text(&out);
            assert_eq!(out.status.code(), Some(0), "{}: {shown}", app.display());
            // The runner has no templates yet: init says so, and the spec has no `tests`
            // section but a comment saying why.
            let runner = if framework == "axum" {
                "cargo"
            } else {
                "pytest"
            };
            assert!(
                shown.contains(&format!(
                    "test runner {runner} (in {name}) has no templates"
                )),
                "{}: {shown}",
                app.display()
            );
            let spec = std::fs::read_to_string(root.join("secprop.yaml")).unwrap();
            assert!(spec.contains(&format!("framework: {framework}")), "{spec}");
            assert!(
                spec.contains(&format!(
                    "# tests: none yet: test runner {runner} has no templates"
                )) && !spec.contains("\n    tests:"),
                "{}:\n{spec}",
                app.display()
            );
            assert_init_wrote_a_spec_that_checks(root, &app);
            // And it refuses to overwrite.
            let out = secprop(root, &["init"]);
            assert_eq!(out.status.code(), Some(2), "{}", text(&out));
        }
    }
}

#[test]
fn init_suggests_fastapi_dependencies_and_excludes_python_tests() {
    let dir = repo_with_manifest(
        &fixture("tests/apps/fastapi/single-file"),
        "requirements.txt",
        "fastapi\n",
    );
    let root = dir.path();
    let spec = init_spec(root);
    for expected in [
        "- \"get_current_user\"   # review",
        "- \"require_admin\"   # review",
        "exclude: [\"**/test_*.py\", \"**/*_test.py\", \"**/conftest.py\"]",
        "# tests: none yet: no test runner for fastapi found in the manifests",
    ] {
        assert!(spec.contains(expected), "{expected}:\n{spec}");
    }
}

#[test]
fn each_target_gets_a_runner_of_its_own_language() {
    // Express with vitest and FastAPI with pytest in one repository: only the Express
    // target has a `tests` section; the FastAPI one is not given vitest.
    let dir = repo_with(&fixture("tests/e2e/express/vulnerable"));
    let root = dir.path();
    copy_dir(&fixture("tests/apps/fastapi/single-file"), &root.join("py"));
    std::fs::write(root.join("requirements.txt"), "fastapi\npytest\n").unwrap();
    let spec = init_spec(root);
    assert_eq!(spec.matches("runner: vitest").count(), 1, "{spec}");
    assert!(
        spec.contains("framework: fastapi")
            && spec.contains("# tests: none yet: test runner pytest has no templates"),
        "{spec}"
    );
    let out = secprop(root, &["validate"]);
    assert_eq!(out.status.code(), Some(0), "{}", text(&out));
}
