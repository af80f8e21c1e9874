//! `secprop validate`: every class of spec error (spec-v1 §1–§3) exits 2 with
//! file:line:column, a code frame and a `help:` hint; valid specs load. Fixtures live in
//! `tests/specs/`; rendered diagnostics are insta snapshots.

use assert_cmd::Command;
use std::path::Path;
use std::process::Output;

fn secprop() -> Command {
    let mut cmd = Command::cargo_bin("secprop").expect("the secprop binary");
    cmd.env("NO_COLOR", "1");
    cmd
}

fn validate(spec: &str) -> Output {
    secprop()
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .args(["validate", "--spec", spec])
        .output()
        .expect("runs")
}

/// Runs `validate` on `tests/specs/errors/NAME.yaml` and checks exit 2, that the first
/// problem is reported at `line_col`, and the hint; snapshots the whole diagnostic.
#[track_caller]
fn error(name: &str, line_col: &str, hint: &str) -> String {
    let file = format!("tests/specs/errors/{name}.yaml");
    let out = validate(&file);
    let stderr = String::from_utf8_lossy(&out.stderr).into_owned();
    assert_eq!(out.status.code(), Some(2), "{name}: {stderr}");
    assert!(out.stdout.is_empty(), "{name}: stdout is not empty");
    assert!(
        stderr.contains(&format!("--> {file}:{line_col}\n")),
        "{name}: no `{file}:{line_col}` in\n{stderr}"
    );
    assert!(stderr.contains("= help: "), "{name}: no hint in\n{stderr}");
    assert!(
        stderr.contains(hint),
        "{name}: hint `{hint}` missing in\n{stderr}"
    );
    insta::assert_snapshot!(name, stderr);
    stderr
}

// YAML syntax: parsing stops at the first error.

#[test]
fn yaml_tab() {
    error("syntax-tab", "5:1", "indent with spaces");
}

#[test]
fn yaml_bad_indentation() {
    error("syntax-indentation", "6:4", "check the indentation");
}

#[test]
fn yaml_unclosed_quote() {
    error("syntax-unclosed-quote", "7:12", "add the closing quote");
}

#[test]
fn yaml_unquoted_flow_mapping() {
    error(
        "syntax-flow-mapping",
        "8:22",
        "must be quoted: write `\"/a/{id}\"`",
    );
}

#[test]
fn yaml_unquoted_star() {
    error(
        "syntax-star",
        "9:22",
        "a value starting with `*` is read as an alias: quote it",
    );
}

#[test]
fn yaml_value_read_as_unknown_alias() {
    error(
        "syntax-unknown-alias",
        "7:12",
        "a value starting with `*` is read as an alias: quote it",
    );
}

#[test]
fn yaml_unquoted_at() {
    error(
        "syntax-at",
        "10:12",
        "quote a value that starts with them, e.g. `owner: \"@appsec\"`",
    );
}

#[test]
fn yaml_duplicate_key() {
    let s = error("duplicate-key", "6:5", "each key may appear once");
    assert!(s.contains("first defined here"));
}

#[test]
fn yaml_merge_key() {
    error("merge-key", "10:5", "write the keys out");
}

// Schema: unknown keys, types, required fields, enumerations.

#[test]
fn unknown_key_propertys() {
    error("unknown-key-propertys", "6:1", "did you mean `properties`?");
}

#[test]
fn unknown_key_tenant_parm() {
    let s = error(
        "unknown-key-tenant-parm",
        "8:5",
        "did you mean `tenant_param`?",
    );
    assert!(s.contains("--> tests/specs/errors/unknown-key-tenant-parm.yaml:11:5"));
}

#[test]
fn wrong_types() {
    let s = error(
        "wrong-type",
        "10:13",
        "write a list, even of one item: `[\"**\"]`",
    );
    assert!(s.contains("an item of `deny_status` must be an integer"));
}

#[test]
fn missing_required_fields() {
    let s = error("missing-required", "3:1", "add `version: 1`");
    assert!(s.contains("target `api` is missing `framework`"));
}

#[test]
fn unknown_kind() {
    error(
        "unknown-kind",
        "8:11",
        "did you mean `authentication_required`?",
    );
}

#[test]
fn unknown_framework() {
    error(
        "unknown-framework",
        "5:16",
        "valid values: express, axum, actix-web, fastapi, flask",
    );
}

// Facts checked at load (issue: the gate never passes silently): a target that names
// nothing on disk, or a framework or runner this version cannot handle, is exit 2 from
// every command, not an empty scan later.

#[test]
fn missing_root() {
    error(
        "missing-root",
        "5:11",
        "`root` is relative to the spec's folder",
    );
}

#[test]
fn include_matching_nothing() {
    error(
        "include-matches-nothing",
        "6:25",
        "relative to the target's root `src`, which holds `README.md`, `app/`",
    );
}

#[test]
fn unsupported_runner() {
    error(
        "unsupported-runner",
        "7:15",
        "this version supports: vitest, jest",
    );
}

#[test]
fn unsupported_framework() {
    error(
        "unsupported-framework",
        "5:16",
        "this version supports: express, axum, fastapi, flask",
    );
}

#[test]
fn unknown_runner() {
    error(
        "unknown-runner",
        "7:15",
        "valid values: vitest, jest, pytest, cargo",
    );
}

#[test]
fn unknown_channel() {
    error(
        "unknown-channel",
        "13:32",
        "did you mean `prompts`? valid values: response, logs, prompts",
    );
}

// Semantic rules.

#[test]
fn duplicate_property_id() {
    let s = error(
        "duplicate-property-id",
        "11:9",
        "each property id must be unique",
    );
    assert!(s.contains("first used here"));
}

#[test]
fn duplicate_target_name() {
    error(
        "duplicate-target-name",
        "6:11",
        "each target name must be unique",
    );
}

#[test]
fn invalid_property_id() {
    error("invalid-id", "7:9", "e.g. `tenant-isolation`");
}

#[test]
fn reserved_property_id() {
    error(
        "reserved-id",
        "7:9",
        "`secprop/...` names built-in findings",
    );
}

#[test]
fn selector_without_leading_slash() {
    error(
        "selector-no-leading-slash",
        "9:14",
        "a selector is `[METHOD ]PATH`",
    );
}

#[test]
fn selector_with_unbalanced_braces() {
    error(
        "selector-unbalanced-braces",
        "9:14",
        "a selector is `[METHOD ]PATH`",
    );
}

#[test]
fn selector_with_unknown_method() {
    let s = error(
        "selector-unknown-method",
        "7:12",
        "a selector is `[METHOD ]PATH`",
    );
    assert!(s.contains("FETCH"));
}

#[test]
fn invalid_glob() {
    error(
        "invalid-glob",
        "7:31",
        "globs are relative to the target's `root`",
    );
}

#[test]
fn guard_shapes() {
    let s = error("guard-shapes", "12:39", "valid values: return, raise");
    assert!(s.contains("did you mean `call`?"));
    assert!(s.contains("write `true` or `false`"));
}

#[test]
fn value_guard_shapes() {
    let s = error("value-guard", "10:15", "such as `req.session.userId`");
    assert!(s.contains("`call` and `value` are exclusive"));
}

#[test]
fn invalid_call_pattern() {
    error("pattern-invalid", "8:31", "a pattern is a call path");
}

#[test]
fn tenant_param_not_bound_by_selectors() {
    error("tenant-param-unbound", "10:19", "did you mean `projectId`?");
}

#[test]
fn request_fields_and_owner() {
    let s = error("request-field", "13:19", "`query.NAME`, `body.NAME`");
    assert!(s.contains("`body.` names no field"), "{s}");
    assert!(s.contains("request-field.yaml:14:34"), "{s}");
    assert!(s.contains("unknown request field prefix `cookie.`"), "{s}");
    assert!(s.contains("write `projectId`"), "{s}");
    assert!(s.contains("unknown owner `user`"), "{s}");
}

#[test]
fn paths_outside_the_repository() {
    let s = error(
        "path-outside-repository",
        "7:11",
        "must stay inside the repository root",
    );
    assert!(s.contains("--> tests/specs/errors/path-outside-repository.yaml:11:16"));
}

#[test]
fn public_route_without_reason() {
    error(
        "public-without-reason",
        "9:5",
        "say why this route needs no caller identity",
    );
}

#[test]
fn waiver_without_owner_and_expiry() {
    let s = error(
        "waiver-missing-fields",
        "8:5",
        "every waiver needs a `reason`, an `owner` and an `expires` date",
    );
    assert!(
        s.contains("waiver of `login-required` is missing `owner`")
            && s.contains("is missing `expires`")
    );
}

#[test]
fn waiver_with_a_bad_date() {
    let s = error("waiver-bad-date", "12:14", "write a calendar date");
    assert!(s.contains("`next quarter` is not a YYYY-MM-DD date"));
}

#[test]
fn unsupported_version() {
    error("version-2", "2:10", "write `version: 1`");
}

#[test]
fn kind_specific_field_missing() {
    error("kind-missing-field", "7:5", "list the roles allowed");
}

#[test]
fn field_that_does_not_apply_to_the_kind() {
    error(
        "kind-field-not-applicable",
        "10:5",
        "`roles` belongs to `role_required`",
    );
}

#[test]
fn columns_count_code_points() {
    error("unicode-columns", "8:30", "quote it to make it text");
}

#[test]
fn all_problems_at_once_sorted_by_line() {
    let s = error("many-errors", "10:16", "did you mean `express`?");
    let lines: Vec<usize> = s
        .lines()
        .filter_map(|l| l.split("many-errors.yaml:").nth(1))
        .filter_map(|rest| rest.split(':').next()?.parse().ok())
        .collect();
    assert_eq!(lines, vec![10, 12, 13, 15, 17]);
    assert!(s.contains("5 problems in the spec"));
}

// Valid specs.

#[track_caller]
fn valid(file: &str) -> String {
    let out = validate(file);
    let stdout = String::from_utf8_lossy(&out.stdout).into_owned();
    assert_eq!(
        out.status.code(),
        Some(0),
        "{file}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert_eq!(stdout.lines().count(), 1, "{stdout}");
    stdout
}

#[test]
fn spec_v1_example_loads_unchanged() {
    let s = valid("tests/specs/valid/spec-v1-example.yaml");
    assert!(
        s.contains("1 target, 8 properties, 2 public routes, 1 waiver"),
        "{s}"
    );
}

#[test]
fn targets_only_spec_loads() {
    let s = valid("tests/specs/valid/targets-only.yaml");
    assert!(s.contains("1 target, 0 properties"), "{s}");
}

#[test]
fn inline_guards_load() {
    let s = valid("tests/specs/valid/inline-guards.yaml");
    assert!(s.contains("1 target, 1 property"), "{s}");
}

#[test]
fn request_fields_load() {
    let s = valid("tests/specs/valid/request-fields.yaml");
    assert!(s.contains("1 target, 3 properties"), "{s}");
}

#[test]
fn anchors_aliases_and_quoted_dates_load() {
    valid("tests/specs/valid/anchors.yaml");
}

// Discovery (spec-v1 §1).

fn write(p: &Path, text: &str) {
    std::fs::create_dir_all(p.parent().expect("parent")).expect("mkdir");
    std::fs::write(p, text).expect("write");
}

const MINIMAL: &str = "version: 1\ntargets:\n  - name: api\n    framework: express\n";

#[test]
fn discovery_walks_up_to_the_repository_root() {
    let t = tempfile::tempdir().expect("tempdir");
    std::fs::create_dir_all(t.path().join(".git")).expect("mkdir");
    write(&t.path().join("secprop.yml"), MINIMAL);
    let deep = t.path().join("src/routes");
    std::fs::create_dir_all(&deep).expect("mkdir");
    let out = secprop()
        .current_dir(&deep)
        .arg("validate")
        .output()
        .expect("runs");
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
}

#[test]
fn no_spec_found_is_exit_2_with_a_hint() {
    let t = tempfile::tempdir().expect("tempdir");
    std::fs::create_dir_all(t.path().join(".git")).expect("mkdir");
    let out = secprop()
        .current_dir(t.path())
        .arg("validate")
        .output()
        .expect("runs");
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(2), "{stderr}");
    assert!(
        stderr.contains("minimal spec") && stderr.contains("--spec"),
        "{stderr}"
    );
}

#[test]
fn both_spec_names_in_one_folder_is_exit_2() {
    let t = tempfile::tempdir().expect("tempdir");
    std::fs::create_dir_all(t.path().join(".git")).expect("mkdir");
    write(&t.path().join("secprop.yaml"), MINIMAL);
    write(&t.path().join("secprop.yml"), MINIMAL);
    let out = secprop()
        .current_dir(t.path())
        .arg("validate")
        .output()
        .expect("runs");
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(2), "{stderr}");
    assert!(
        stderr.contains("both `secprop.yaml` and `secprop.yml`"),
        "{stderr}"
    );
}

#[test]
fn missing_spec_file_is_exit_2() {
    let out = validate("tests/specs/does-not-exist.yaml");
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(2), "{stderr}");
    assert!(stderr.contains("cannot read the spec"), "{stderr}");
}

#[cfg(unix)]
#[test]
fn symlinked_output_folder_leaving_the_repository_is_an_error() {
    let outside = tempfile::tempdir().expect("tempdir");
    let repo = tempfile::tempdir().expect("tempdir");
    std::fs::create_dir_all(repo.path().join(".git")).expect("mkdir");
    std::os::unix::fs::symlink(outside.path(), repo.path().join("generated")).expect("symlink");
    let spec = format!(
        "{MINIMAL}    tests:\n      runner: vitest\n      out: generated/security\n      harness: tests/harness.ts\n"
    );
    write(&repo.path().join("secprop.yaml"), &spec);
    let out = secprop()
        .current_dir(repo.path())
        .arg("validate")
        .output()
        .expect("runs");
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(2), "{stderr}");
    assert!(stderr.contains("secprop.yaml:7:12"), "{stderr}");
    assert!(
        stderr.contains("`tests.out` `generated/security` lies outside the repository"),
        "{stderr}"
    );
    // The same layout without the symlink is fine: the path may not exist yet.
    std::fs::remove_file(repo.path().join("generated")).expect("unlink");
    let out = secprop()
        .current_dir(repo.path())
        .arg("validate")
        .output()
        .expect("runs");
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
}

#[test]
fn yaml_control_character() {
    error("syntax-control-char", "3:1", "a spec is UTF-8 text");
}

#[test]
fn route_generator_shapes() {
    let s = error("route-generator", "16:13", "a pattern is a call path");
    for part in [
        "invalid `path_arg` `one.endpoints`",
        "methods are upper-case: write `GET`",
        "route path `:id` does not start with `/`",
        "`handler` needs `handler_arg` on the generator",
        "unknown method `FETCH`",
        "a route generator creates no routes",
    ] {
        assert!(s.contains(part), "{part} missing in\n{s}");
    }
}
