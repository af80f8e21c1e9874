//! Annotated FastAPI and Flask fixtures for the static checks, with the same harness
//! rules as the Express ones (`check_fixtures.rs`): every `expect:` fires on exactly its
//! line, nothing fires anywhere else. The checks are unchanged: only the frontend differs.

use crate::check_fixtures::{annotations, open_findings};
use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

fn python_files(dir: &Path, out: &mut Vec<PathBuf>) {
    let mut entries: Vec<_> = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .collect();
    entries.sort();
    for p in entries {
        if p.is_dir() {
            python_files(&p, out);
        } else if p.extension().is_some_and(|e| e == "py" || e == "yaml") {
            out.push(p);
        }
    }
}

fn run(framework: &str) {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures/check")
        .join(framework);
    let spec = secprop_spec::load(&dir.join("secprop.yaml"))
        .unwrap_or_else(|e| panic!("fixture spec loads: {}", e.render(false)));
    let frontend = secprop_frontends::get(framework).expect("registered frontend");
    let project = secprop_frontends::scan(
        frontend,
        &secprop_frontends::ScanOptions {
            root: dir.clone(),
            repo_root: spec.repo_root.clone(),
            ..Default::default()
        },
    );
    assert!(project.warnings.is_empty(), "{:?}", project.warnings);
    let (actual, messages, errors) = open_findings(&spec, project);
    let mut expect = BTreeSet::new();
    let mut ok = BTreeSet::new();
    let mut paths = Vec::new();
    python_files(&dir, &mut paths);
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
    let missing: Vec<_> = expect.difference(&actual).collect();
    let unexpected: Vec<_> = actual.difference(&expect).collect();
    assert!(
        missing.is_empty() && unexpected.is_empty(),
        "{framework}: missing {missing:#?}\nunexpected {unexpected:#?}\nfindings {messages:#?}\nerrors {errors}"
    );
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
