//! Route tables of the fixture apps under `tests/apps/express/` as insta snapshots
//! (issue 3 evidence): method, full path, handler, file:line, chain, unresolved.

mod common;

use std::path::PathBuf;

fn app_dir(style: &str) -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("../../tests/apps/express")
        .join(style)
}

fn table(style: &str) -> String {
    let dir = app_dir(style);
    let p = secprop_lang_js::scan(&secprop_lang_js::ScanOptions {
        root: dir.clone(),
        repo_root: dir,
        include: vec![],
        exclude: vec![],
    });
    common::route_table(&p)
}

#[test]
fn single_file() {
    insta::assert_snapshot!(table("single-file"));
}

#[test]
fn routers_mounted() {
    insta::assert_snapshot!(table("routers-mounted"));
}

#[test]
fn app_passed_in() {
    insta::assert_snapshot!(table("app-passed-in"));
}

#[test]
fn typescript_classes() {
    insta::assert_snapshot!(table("typescript-classes"));
}

#[test]
fn loop_registered() {
    insta::assert_snapshot!(table("loop-registered"));
}

/// Scanning twice gives the same project (deterministic output).
#[test]
fn deterministic() {
    for style in ["single-file", "routers-mounted", "typescript-classes"] {
        assert_eq!(table(style), table(style));
    }
}
