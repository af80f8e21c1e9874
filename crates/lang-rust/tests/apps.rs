//! Route tables of the fixture apps under `tests/apps/axum/` as insta snapshots (issue 11
//! evidence): method, full path, handler, file:line, chain, unresolved, warnings.

// The route-table renderer the Express frontend's tests use: one format for both.
#[path = "../../lang-js/tests/common/mod.rs"]
mod common;

use std::path::PathBuf;

fn scan(style: &str) -> secprop_model::Project {
    let dir = PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("../../tests/apps/axum")
        .join(style);
    secprop_lang_rust::scan(&secprop_lang_rust::ScanOptions {
        root: dir.clone(),
        repo_root: dir,
        include: vec![],
        exclude: vec![],
        ..Default::default()
    })
}

fn table(style: &str) -> String {
    common::route_table(&scan(style))
}

/// The lowered bodies of the named functions of an app, one block each.
fn bodies(style: &str, names: &[&str]) -> String {
    let p = scan(style);
    names
        .iter()
        .map(|n| format!("{n}:\n{}", common::render(&common::func(&p, n).body)))
        .collect::<Vec<_>>()
        .join("\n")
}

#[test]
fn single_file() {
    insta::assert_snapshot!(table("single-file"));
}

#[test]
fn modules_nested() {
    insta::assert_snapshot!(table("modules-nested"));
}

#[test]
fn extractors() {
    insta::assert_snapshot!(table("extractors"));
}

#[test]
fn parse_error() {
    insta::assert_snapshot!(table("parse-error"));
}

/// Handler bodies: path parameters from `Path` extractors, awaited calls, responses.
#[test]
fn handler_bodies() {
    let p = scan("modules-nested");
    insta::assert_snapshot!(
        [
            "handlers::docs::show",
            "handlers::docs::create",
            "auth::require_login"
        ]
        .iter()
        .map(|n| format!("{n}:\n{}", common::render(&common::func(&p, n).body)))
        .collect::<Vec<_>>()
        .join("\n")
    );
}

/// Bodies in every shape the lowering handles (`?`, `if let`, `let .. else`, `match`,
/// `ensure!`, `tracing` captures, `json!`, tuple responses).
#[test]
fn body_shapes() {
    insta::assert_snapshot!(bodies(
        "bodies",
        &["try_and_if_let", "let_else_and_match", "ensure_macro"]
    ));
}

/// Scanning twice gives the same project (deterministic output).
#[test]
fn deterministic() {
    let a = serde_json::to_string(&scan("modules-nested")).unwrap();
    let b = serde_json::to_string(&scan("modules-nested")).unwrap();
    assert_eq!(a, b);
}
