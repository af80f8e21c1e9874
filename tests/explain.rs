//! `secprop explain [KIND]`: the embedded property catalog reaches the command line, and
//! an unknown kind is a usage error that lists the valid ones (spec-v1 §10).

use assert_cmd::Command;

fn secprop() -> Command {
    let mut cmd = Command::cargo_bin("secprop").expect("the secprop binary is built");
    // The catalog is embedded: the command must not need the repository.
    cmd.current_dir(std::env::temp_dir());
    cmd
}

#[test]
fn lists_every_kind_with_its_title() {
    let out = secprop()
        .arg("explain")
        .assert()
        .success()
        .get_output()
        .clone();
    let stdout = String::from_utf8(out.stdout).expect("utf-8");
    for kind in secprop_spec::PropertyKind::ALL {
        assert!(stdout.contains(kind.as_str()), "{stdout}");
    }
    // Each kind says what this version does for it; planned parts say so.
    let line = |kind: &str| {
        stdout
            .lines()
            .find(|l| l.starts_with(&format!("{kind} ")))
            .unwrap_or_else(|| panic!("no line for {kind}: {stdout}"))
            .to_string()
    };
    assert!(line("cross_tenant_denied").ends_with("checked statically; tests: vitest, jest"));
    assert!(line("sensitive_data_not_exposed").contains("checked statically"));
    assert!(
        line("forbidden_calls").ends_with("checked statically; no generated test (static only)")
    );
}

#[test]
fn explains_one_kind() {
    let out = secprop()
        .args(["explain", "cross_tenant_denied"])
        .assert()
        .success()
        .get_output()
        .clone();
    let stdout = String::from_utf8(out.stdout).expect("utf-8");
    let entry = secprop_catalog::get("cross_tenant_denied").expect("catalog entry");
    assert!(stdout.starts_with(&secprop_catalog::render_entry(&entry)));
    assert!(stdout.contains("tenant_param"));
    assert!(stdout.ends_with("\nIn this version: checked statically; tests: vitest, jest.\n"));
}

#[test]
fn unknown_kind_exits_2_and_lists_kinds() {
    let out = secprop()
        .args(["explain", "cross_tenant"])
        .assert()
        .code(2)
        .get_output()
        .clone();
    let stderr = String::from_utf8(out.stderr).expect("utf-8");
    assert!(stderr.contains("`cross_tenant`"), "{stderr}");
    assert!(stderr.contains("cross_tenant_denied"), "{stderr}");
}
