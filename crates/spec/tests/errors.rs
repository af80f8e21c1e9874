//! Data-driven spec error tests: every `tests/specs/errors/*.yaml` fixture lists the
//! problems it must produce as `# expect: LINE:COLUMN CODE` comment lines, and the loader
//! must report exactly those (no more, no fewer), each with a hint.

use std::path::Path;

/// Fixtures are loaded as a binary supporting only these would load them, so that the
/// `unsupported` fixtures have something to fail against.
const SUPPORTED: secprop_spec::Supported<'static> = secprop_spec::Supported {
    frameworks: Some(&["express"]),
    runners: Some(&["vitest"]),
};

#[test]
fn every_error_fixture_reports_exactly_its_expectations() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../tests/specs/errors");
    let mut files: Vec<_> = std::fs::read_dir(&dir)
        .expect("fixture folder")
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.extension().is_some_and(|e| e == "yaml" || e == "yml"))
        .collect();
    files.sort();
    assert!(files.len() >= 30, "fixtures missing: {}", files.len());
    let mut failures = Vec::new();
    for file in &files {
        let text = std::fs::read_to_string(file).expect("fixture");
        let mut expected: Vec<String> = text
            .lines()
            .filter_map(|l| l.strip_prefix("# expect: "))
            .map(|s| s.trim().to_string())
            .collect();
        expected.sort();
        assert!(
            !expected.is_empty(),
            "{}: no `# expect:` line",
            file.display()
        );
        let errors = match secprop_spec::load_with(file, &SUPPORTED) {
            Ok(_) => {
                failures.push(format!("{}: loaded, expected {expected:?}", file.display()));
                continue;
            }
            Err(e) => e,
        };
        let mut actual: Vec<String> = errors
            .iter()
            .map(|e| format!("{}:{} {}", e.line, e.column, e.code))
            .collect();
        actual.sort();
        for e in errors.iter() {
            assert!(e.line >= 1 && e.column >= 1, "{}: {e:?}", file.display());
            assert!(e.hint.is_some(), "{}: no hint: {e:?}", file.display());
        }
        if actual != expected {
            failures.push(format!(
                "{}:\n  expected {expected:?}\n  actual   {actual:?}\n{}",
                file.display(),
                errors.render(false)
            ));
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}
