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
    assert_eq!(stdout, secprop_catalog::render_list());
    for kind in secprop_spec::PropertyKind::ALL {
        assert!(stdout.contains(kind.as_str()), "{stdout}");
    }
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
    assert_eq!(stdout, secprop_catalog::render_entry(&entry));
    assert!(stdout.contains("tenant_param"));
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
