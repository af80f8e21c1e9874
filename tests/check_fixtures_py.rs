//! Annotated FastAPI and Flask fixtures for the static checks, with the same harness
//! rules as the Express ones (`check_fixtures.rs`): every `expect:` fires on exactly its
//! line, nothing fires anywhere else. The checks are unchanged: only the frontend differs.

use crate::check_fixtures::assert_fixtures;
use std::path::Path;

fn run(framework: &str) {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures/check")
        .join(framework);
    let frontend = secprop_frontends::get(framework).expect("registered frontend");
    let (expect, ok) = assert_fixtures(&dir, |opts| {
        let project = secprop_frontends::scan(frontend, opts);
        assert!(project.warnings.is_empty(), "{:?}", project.warnings);
        project
    });
    // Both ways: the vulnerable variants fire and the look-alikes exist.
    assert!(
        expect.len() >= 3 && ok.len() >= 3,
        "{framework}: {expect:?} {ok:?}"
    );
}

#[test]
fn fastapi_check_fixtures() {
    run("fastapi");
}

#[test]
fn flask_check_fixtures() {
    run("flask");
}
