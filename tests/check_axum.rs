//! The static checks on axum (issue 11): annotated Rust fixtures under
//! `tests/fixtures/check/axum/`, `expect:`/`ok:` matched exactly both ways, scanned by the
//! Rust frontend and checked by the unchanged `secprop-check`. The report example
//! (spec seed) comes first: the late guard fires, the fixed order and the guards in a
//! `route_layer` and in an extractor do not.

use crate::check_fixtures::{Key, annotations, files, render};
use secprop_check::{Options, Status, check};
use secprop_spec::Date;
use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;

#[test]
fn axum_check_fixtures() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/check/axum");
    let spec = secprop_spec::load(&dir.join("secprop.yaml"))
        .unwrap_or_else(|e| panic!("fixture spec loads: {}", e.render(false)));
    let project = secprop_lang_rust::scan(&secprop_lang_rust::ScanOptions {
        root: dir.clone(),
        repo_root: spec.repo_root.clone(),
        include: vec![],
        exclude: vec![],
    });
    assert!(
        project.warnings.is_empty() && project.routes.iter().all(|r| r.unresolved.is_none()),
        "{:#?}\n{:#?}",
        project.warnings,
        project
            .routes
            .iter()
            .filter(|r| r.unresolved.is_some())
            .collect::<Vec<_>>()
    );
    let out = check(
        &spec,
        &[("api".to_string(), project)],
        &Options {
            today: Date::parse("2026-01-01"),
            ..Default::default()
        },
    );

    let mut expect = BTreeSet::new();
    let mut ok = BTreeSet::new();
    let mut paths = Vec::new();
    files(&dir, &mut paths);
    for p in &paths {
        let rel = p
            .strip_prefix(&spec.repo_root)
            .unwrap()
            .to_string_lossy()
            .replace('\\', "/");
        let (e, o) = annotations(&rel, &std::fs::read_to_string(p).unwrap());
        expect.extend(e);
        ok.extend(o);
    }
    let mut actual: BTreeSet<Key> = BTreeSet::new();
    let mut messages = BTreeMap::new();
    for f in out.findings.iter().filter(|f| f.status == Status::Open) {
        let key = (f.file.clone(), f.line, f.kind.clone());
        messages.insert(key.clone(), f.message.clone());
        actual.insert(key);
    }
    let missing: BTreeSet<Key> = expect.difference(&actual).cloned().collect();
    let unexpected: BTreeSet<Key> = actual.difference(&expect).cloned().collect();
    assert!(
        missing.is_empty() && unexpected.is_empty(),
        "fixture expectations do not match\nmissing (expected, did not fire):\n{}\nunexpected (fired, not expected):\n{}\nerrors: {:?}",
        render(&missing, &messages),
        render(&unexpected, &messages),
        out.errors,
    );
    // The report example and its look-alikes are all there.
    let order = |k: &str| {
        expect
            .iter()
            .chain(&ok)
            .filter(|x| x.0.ends_with("order.rs") && x.2 == k)
            .count()
    };
    assert!(order("no_side_effects_before_authz") >= 6);
}
