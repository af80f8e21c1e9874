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
    table_with(style, &[])
}

/// The table of a fixture app scanned with the spec's `include` globs.
fn table_with(style: &str, include: &[&str]) -> String {
    let dir = app_dir(style);
    let p = secprop_lang_js::scan(&secprop_lang_js::ScanOptions {
        root: dir.clone(),
        repo_root: dir,
        include: include.iter().map(|s| s.to_string()).collect(),
        exclude: vec![],
        ..Default::default()
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

#[test]
fn connect_callback() {
    insta::assert_snapshot!(table("connect-callback"));
}

/// ES modules: a registration function imported and called inside the callback of a call
/// on an imported value keeps the app's chain, and the CRUD function it calls is listed
/// once, with its base path.
#[test]
fn connect_callback_esm() {
    insta::assert_snapshot!(table("connect-callback-esm"));
}

/// `Object.keys(obj).forEach(...)` and `Object.values(obj).forEach(...)` over an object
/// literal register a route per key, like `for (const k of Object.keys(obj))`.
#[test]
fn object_keys() {
    insta::assert_snapshot!(table("object-keys"));
}

#[test]
fn exports_var() {
    insta::assert_snapshot!(table("exports-var"));
}

#[test]
fn route_map() {
    insta::assert_snapshot!(table("route-map"));
}

#[test]
fn indirect_registration() {
    insta::assert_snapshot!(table("indirect-registration"));
}

#[test]
fn route_list() {
    insta::assert_snapshot!(table("route-list"));
}

#[test]
fn required_with_app() {
    insta::assert_snapshot!(table("required-with-app"));
}

#[test]
fn merge_params() {
    insta::assert_snapshot!(table("merge-params"));
}

/// Imports of `.json` and `.d.ts` files and of sources outside `include` are one summary
/// warning; an import naming nothing on disk keeps its own.
#[test]
fn unscanned_imports() {
    insta::assert_snapshot!(table_with("unscanned-imports", &["src/**"]));
}

/// A router without `mergeParams` cannot read its mount path's parameters: its handler's
/// `req.params.projectId` is `null` in the model, while a merging router (and a router
/// nested in one) reads them, and a parameter declared again is the router's own.
#[test]
fn merge_params_reads() {
    let dir = app_dir("merge-params");
    let p = secprop_lang_js::scan(&secprop_lang_js::ScanOptions {
        root: dir.clone(),
        repo_root: dir,
        include: vec![],
        exclude: vec![],
        ..Default::default()
    });
    let reads: Vec<String> = p
        .routes
        .iter()
        .map(|r| {
            let body = &p.function(r.handler.expect("handler")).body;
            let mut params = Vec::new();
            let mut nulls = 0;
            secprop_model::walk_exprs(body, &mut |e| match e {
                secprop_model::Expr::RouteParam(n) => params.push(n.clone()),
                secprop_model::Expr::Literal(secprop_model::Literal::Null) => nulls += 1,
                _ => {}
            });
            format!("{} reads {params:?}, {nulls} undefined", r.key())
        })
        .collect();
    assert_eq!(
        reads,
        [
            "GET /projects/{projectId}/members/{memberId}/comments reads [\"projectId\", \"memberId\"], 0 undefined",
            "GET /projects/{projectId}/files reads [], 1 undefined",
            "GET /projects/{projectId}/files/{projectId}/latest reads [\"projectId\"], 0 undefined",
            "GET /projects/{projectId}/members reads [\"projectId\"], 0 undefined",
        ]
    );
}

/// Scanning twice gives the same project (deterministic output).
#[test]
fn deterministic() {
    for style in ["single-file", "routers-mounted", "typescript-classes"] {
        assert_eq!(table(style), table(style));
    }
}

/// `scan_routes` lists the same routes as `scan`, with every signature; only the bodies
/// route chains reach are lowered (compared body by body in `tests/scan_routes.rs`).
#[test]
fn routes_only_scan_matches() {
    for style in [
        "single-file",
        "routers-mounted",
        "app-passed-in",
        "typescript-classes",
        "loop-registered",
        "connect-callback",
        "connect-callback-esm",
        "object-keys",
        "exports-var",
        "route-map",
        "indirect-registration",
        "route-list",
        "required-with-app",
        "merge-params",
    ] {
        let dir = app_dir(style);
        let opts = secprop_lang_js::ScanOptions {
            root: dir.clone(),
            repo_root: dir,
            include: vec![],
            exclude: vec![],
            ..Default::default()
        };
        let full = secprop_lang_js::scan(&opts);
        let quick = secprop_lang_js::scan_routes(&opts);
        assert_eq!(
            common::route_table(&full),
            common::route_table(&quick),
            "{style}"
        );
        assert_eq!(full.functions.len(), quick.functions.len());
        // Handlers are reached by no chain: their bodies are left out.
        let handlers: Vec<_> = quick.routes.iter().filter_map(|r| r.handler).collect();
        assert!(!handlers.is_empty(), "{style}");
        assert!(
            handlers
                .iter()
                .any(|h| quick.function(*h).body.is_empty() && !full.function(*h).body.is_empty()),
            "{style}"
        );
    }
}
