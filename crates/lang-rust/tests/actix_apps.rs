//! Route tables of the fixture apps under `tests/apps/actix/` as insta snapshots (issue 11
//! evidence): method, full path, handler, file:line, chain, unresolved, warnings.

// The route-table renderer the other frontends' tests use: one format for all.
#[path = "../../lang-js/tests/common/mod.rs"]
mod common;

use std::path::PathBuf;

fn scan(style: &str) -> secprop_model::Project {
    let dir = PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("../../tests/apps/actix")
        .join(style);
    secprop_lang_rust::scan_actix(&secprop_lang_rust::ScanOptions {
        root: dir.clone(),
        repo_root: dir,
        ..Default::default()
    })
}

fn table(style: &str) -> String {
    common::route_table(&scan(style))
}

fn bodies(style: &str, names: &[&str]) -> String {
    let p = scan(style);
    names
        .iter()
        .map(|n| format!("{n}:\n{}", common::render(&common::func(&p, n).body)))
        .collect::<Vec<_>>()
        .join("\n")
}

#[test]
fn attributes() {
    insta::assert_snapshot!(table("attributes"));
}

#[test]
fn scopes_modules() {
    insta::assert_snapshot!(table("scopes-modules"));
}

#[test]
fn parse_error() {
    insta::assert_snapshot!(table("parse-error"));
}

#[test]
fn unresolved() {
    insta::assert_snapshot!(table("unresolved"));
}

/// Handler and middleware bodies: `web::Path` values, `HttpResponse` builders and
/// `error::ErrorX` as responses, `next.call(req)` and `self.service.call(req)` as the
/// chain going on.
#[test]
fn handler_bodies() {
    insta::assert_snapshot!(bodies(
        "scopes-modules",
        &[
            "handlers::docs::list",
            "handlers::docs::show",
            "handlers::docs::remove",
            "auth::require_admin",
            "auth::RequireLoginMiddleware::call",
        ]
    ));
}

#[test]
fn project_says_actix_web() {
    assert_eq!(scan("attributes").framework, "actix-web");
}
