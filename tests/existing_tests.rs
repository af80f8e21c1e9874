//! The project's own tests of FastAPI, Flask and axum apps (issue 13, "existing tests"):
//! `secprop routes` counts them per route, happy-path and negative, and `check
//! --require-negative-tests` reports the route whose only test walks the happy path and
//! not the one with a 403 test. Small apps built in temporary folders, as in `gate.rs`.

use assert_cmd::Command;
use std::path::Path;

const FASTAPI_APP: &str = r#"from fastapi import Depends, FastAPI, HTTPException

app = FastAPI()


def require_login(x_user: str = Header()):
    if not x_user:
        raise HTTPException(status_code=401)
    return x_user


@app.get("/orgs/{org_id}/report")
def report(org_id: str, user=Depends(require_login)):
    return {"org": org_id}


@app.get("/orgs/{org_id}/members")
def members(org_id: str, user=Depends(require_login)):
    return [org_id]
"#;

/// One happy-path test of the report; a happy-path and a 403 test of the members list.
const FASTAPI_TESTS: &str = r#"from fastapi.testclient import TestClient

from app import app

client = TestClient(app)


def test_shows_the_report():
    r = client.get("/orgs/o1/report", headers={"x-user": "o1"})
    assert r.status_code == 200


def test_lists_members():
    r = client.get("/orgs/o1/members", headers={"x-user": "o1"})
    assert r.status_code == 200


def test_refuses_another_orgs_members():
    other = "o2"
    r = client.get(f"/orgs/{other}/members", headers={"x-user": "o1"})
    assert r.status_code == 403
"#;

const FLASK_APP: &str = r#"from flask import Flask

app = Flask(__name__)


@app.route("/orgs/<org_id>/report")
def report(org_id):
    return {"org": org_id}


@app.post("/orgs/<org_id>/members")
def add_member(org_id):
    return {"org": org_id}
"#;

const FLASK_TESTS: &str = r#"import pytest

from app import app


@pytest.fixture
def client():
    return app.test_client()


def test_shows_the_report(client):
    assert client.get("/orgs/o1/report").status_code == 200


def test_adds_a_member(client, mailer):
    rv = client.post("/orgs/o1/members")
    assert rv.status_code == 200


def test_no_mail_for_strangers(client, mailer):
    client.post("/orgs/o2/members")
    mailer.send.assert_not_called()
"#;

const AXUM_APP: &str = r#"use axum::{extract::Path, routing::get, Router};

async fn report(Path(org_id): Path<String>) -> String {
    org_id
}

async fn members(Path(org_id): Path<String>) -> String {
    org_id
}

pub fn app() -> Router {
    Router::new()
        .route("/orgs/{org_id}/report", get(report))
        .route("/orgs/{org_id}/members", get(members))
}
"#;

const AXUM_TESTS: &str = r#"use axum::{body::Body, http::{Request, StatusCode}};
use tower::ServiceExt;

#[tokio::test]
async fn shows_the_report() {
    let res = app::app()
        .oneshot(Request::builder().uri("/orgs/o1/report").body(Body::empty()).unwrap())
        .await
        .unwrap();
    assert_eq!(res.status(), StatusCode::OK);
}

#[tokio::test]
async fn lists_members() {
    let res = app::app()
        .oneshot(Request::get("/orgs/o1/members").body(Body::empty()).unwrap())
        .await
        .unwrap();
    assert_eq!(res.status(), StatusCode::OK);
}

#[tokio::test]
async fn refuses_another_orgs_members() {
    let res = app::app()
        .oneshot(
            Request::builder()
                .method("GET")
                .uri(format!("/orgs/{}/members", "o2"))
                .body(Body::empty())
                .unwrap(),
        )
        .await
        .unwrap();
    assert_eq!(res.status(), StatusCode::FORBIDDEN);
}
"#;

const SPEC: &str = r#"version: 1
targets:
  - name: api
    framework: {FRAMEWORK}
    include: ["{INCLUDE}"]
properties:
  - id: login-required
    kind: authentication_required
    routes: ["**"]
"#;

fn scratch(framework: &str, include: &str, files: &[(&str, &str)]) -> tempfile::TempDir {
    let dir = tempfile::tempdir().expect("temp dir");
    std::fs::create_dir(dir.path().join(".git")).expect(".git");
    let spec = SPEC
        .replace("{FRAMEWORK}", framework)
        .replace("{INCLUDE}", include);
    for (rel, text) in files.iter().chain([&("secprop.yaml", spec.as_str())]) {
        let path = dir.path().join(rel);
        std::fs::create_dir_all(path.parent().expect("parent")).expect("mkdir");
        std::fs::write(path, text).expect("write");
    }
    dir
}

fn secprop(dir: &Path, args: &[&str]) -> (Option<i32>, String) {
    let out = Command::cargo_bin("secprop")
        .expect("the secprop binary")
        .current_dir(dir)
        .env("NO_COLOR", "1")
        .env_remove("SOURCE_DATE_EPOCH")
        .args(args)
        .output()
        .expect("secprop runs");
    let shown = format!(
        "{}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    (out.status.code(), shown)
}

/// `routes` shows `happy` and `negative` for the route named `happy_only` and `both`,
/// and `--require-negative-tests` reports `happy_only` alone.
fn assert_reported(dir: &Path, happy_only: &str, both: &str) {
    let (_, table) = secprop(dir, &["routes"]);
    let row = |route: &str| {
        table
            .lines()
            .find(|l| l.contains(route.split_once(' ').unwrap().1))
            .unwrap_or_else(|| panic!("{route}:\n{table}"))
            .to_string()
    };
    assert!(row(happy_only).ends_with("1 happy, 0 negative"), "{table}");
    assert!(row(both).ends_with("1 happy, 1 negative"), "{table}");

    let (code, reported) = crate::gate::without_negative_tests(dir);
    assert_eq!(code, Some(1));
    assert_eq!(reported, [happy_only]);
}

#[test]
fn fastapi_testclient_tests_happy_path_or_negative() {
    let dir = scratch(
        "fastapi",
        "app.py",
        &[
            ("app.py", FASTAPI_APP),
            ("tests/test_orgs.py", FASTAPI_TESTS),
        ],
    );
    assert_reported(
        dir.path(),
        "GET /orgs/{org_id}/report",
        "GET /orgs/{org_id}/members",
    );
}

#[test]
fn flask_test_client_tests_happy_path_or_negative() {
    let dir = scratch(
        "flask",
        "app.py",
        &[("app.py", FLASK_APP), ("orgs_test.py", FLASK_TESTS)],
    );
    assert_reported(
        dir.path(),
        "GET /orgs/{org_id}/report",
        "POST /orgs/{org_id}/members",
    );
}

#[test]
fn axum_oneshot_tests_happy_path_or_negative() {
    let dir = scratch(
        "axum",
        "src/**",
        &[("src/app.rs", AXUM_APP), ("tests/orgs.rs", AXUM_TESTS)],
    );
    assert_reported(
        dir.path(),
        "GET /orgs/{org_id}/report",
        "GET /orgs/{org_id}/members",
    );
}

#[test]
fn axum_tests_in_a_cfg_test_module_count_too() {
    let tests = AXUM_TESTS.replace("app::app()", "app()");
    let source = format!("{AXUM_APP}\n#[cfg(test)]\nmod tests {{\n    use super::*;\n{tests}}}\n");
    let dir = scratch("axum", "src/**", &[("src/app.rs", &source)]);
    assert_reported(
        dir.path(),
        "GET /orgs/{org_id}/report",
        "GET /orgs/{org_id}/members",
    );
}
