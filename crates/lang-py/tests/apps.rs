//! Route tables of the fixture apps under `tests/apps/fastapi/` and `tests/apps/flask/`
//! as insta snapshots (issue 12 evidence): method, full path, handler, file:line, chain
//! (kind, names, `#function`), unresolved, then the warnings.

#[path = "../../lang-js/tests/common/mod.rs"]
mod common;

use std::path::PathBuf;

fn table(framework: &str, style: &str) -> String {
    let dir = PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("../../tests/apps")
        .join(framework)
        .join(style);
    let p = secprop_lang_py::scan(&secprop_lang_py::ScanOptions {
        root: dir.clone(),
        repo_root: dir,
        ..Default::default()
    });
    common::route_table(&p)
}

#[test]
fn fastapi_single_file() {
    insta::assert_snapshot!(table("fastapi", "single-file"));
}

#[test]
fn fastapi_full_stack() {
    insta::assert_snapshot!(table("fastapi", "full-stack"));
}

#[test]
fn fastapi_broken() {
    insta::assert_snapshot!(table("fastapi", "broken"));
}

#[test]
fn flask_single_file() {
    insta::assert_snapshot!(table("flask", "single-file"));
}

#[test]
fn flask_blueprints() {
    insta::assert_snapshot!(table("flask", "blueprints"));
}

/// Two scans give the same tables.
#[test]
fn deterministic() {
    for (fw, style) in [("fastapi", "full-stack"), ("flask", "blueprints")] {
        assert_eq!(table(fw, style), table(fw, style));
    }
}
