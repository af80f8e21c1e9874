//! The static checks on axum (issue 11): annotated Rust fixtures under
//! `tests/fixtures/check/axum/`, `expect:`/`ok:` matched exactly both ways, scanned by the
//! Rust frontend and checked by the unchanged `secprop-check`. The report example
//! (spec seed) comes first: the late guard fires, the fixed order and the guards in a
//! `route_layer` and in an extractor do not.

use crate::check_fixtures::assert_fixtures;
use std::path::Path;

#[test]
fn axum_check_fixtures() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/check/axum");
    let (expect, ok) = assert_fixtures(&dir, |opts| {
        let project = secprop_lang_rust::scan(opts);
        // Every fixture parses and every route resolves: the findings are the checks'.
        assert!(
            project.warnings.is_empty() && project.routes.iter().all(|r| r.unresolved.is_none()),
            "{:#?}",
            project.warnings
        );
        project
    });
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
