//! Loading whole spec files: the spec-v1 example, minimal specs, locations, and the
//! generated JSON Schema against the example.

use secprop_spec::{Location, load, load_bytes};
use std::path::{Path, PathBuf};

fn fixture(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../../tests/specs")
        .join(name)
}

#[test]
fn spec_v1_example_loads() {
    let loaded = match load(&fixture("valid/spec-v1-example.yaml")) {
        Ok(l) => l,
        Err(e) => panic!("{}", e.render(false)),
    };
    let s = &loaded.spec;
    assert_eq!(s.version, 1);
    assert_eq!(s.targets.len(), 1);
    assert_eq!(s.properties.len(), 8);
    assert_eq!(s.waivers[0].expires.to_string(), "2027-03-31");
    assert_eq!(s.waivers[0].owner, "@appsec");
    assert_eq!(s.context.authorization[2].pattern(), Some("assertMember"));
    assert_eq!(
        loaded.locations.get("/properties/0/tenant_param"),
        Some(&Location {
            line: 34,
            column: 19
        })
    );
    assert_eq!(
        loaded.key_locations.get("/properties/0/tenant_param"),
        Some(&Location {
            line: 34,
            column: 5
        })
    );
    assert_eq!(
        loaded.location("/waivers/0/expires"),
        Location {
            line: 77,
            column: 14
        }
    );
}

#[test]
fn targets_only_spec_loads_with_defaults() {
    let loaded = load(&fixture("valid/targets-only.yaml"))
        .map_err(|e| e.render(false))
        .expect("loads");
    let t = &loaded.spec.targets[0];
    assert_eq!(
        (t.name.as_str(), t.root.as_str(), t.tests.is_none()),
        ("api", ".", true)
    );
    assert!(loaded.spec.properties.is_empty() && loaded.spec.waivers.is_empty());
}

#[test]
fn anchors_and_aliases_expand() {
    let loaded = load(&fixture("valid/anchors.yaml"))
        .map_err(|e| e.render(false))
        .expect("loads");
    let s = &loaded.spec;
    assert_eq!(s.properties[0].routes, s.properties[1].routes);
    assert_eq!(
        s.properties[0].guards.as_deref(),
        Some(&s.context.authorization[..])
    );
    assert_eq!(s.waivers[0].expires.to_string(), "2028-02-29");
    assert_eq!(s.waivers[1].expires.to_string(), "2027-12-31");
}

#[test]
fn paths_are_absolute_and_the_repository_root_is_found() {
    let loaded = load(&fixture("valid/targets-only.yaml"))
        .map_err(|e| e.render(false))
        .expect("loads");
    assert!(loaded.path.is_absolute());
    assert!(loaded.repo_root.join(".git").exists() || loaded.repo_root == loaded.dir);
    assert!(loaded.path.starts_with(&loaded.dir));
    assert_eq!(loaded.display_path(), "tests/specs/valid/targets-only.yaml");
}

#[test]
fn empty_and_non_mapping_documents_are_errors() {
    let p = PathBuf::from("secprop.yaml");
    for (text, needle) in [
        ("", "the spec must be a mapping"),
        ("# only a comment\n", "the spec must be a mapping"),
        ("- a\n- b\n", "the spec must be a mapping"),
        (
            "version: 1\ntargets: []\n---\nversion: 1\n",
            "more than one YAML document",
        ),
    ] {
        let e = load_bytes(&p, text.as_bytes()).expect_err(text);
        let r = e.render(false);
        assert!(r.contains(needle), "{text:?}: {r}");
        assert!(e.iter().all(|e| e.line >= 1 && e.column >= 1));
    }
}

#[test]
fn non_utf8_is_located() {
    let e = load_bytes(Path::new("secprop.yaml"), b"version: 1\ntargets: [\xff]\n")
        .expect_err("not utf-8");
    let first = e.iter().next().expect("one error");
    assert_eq!((first.line, first.column, first.code), (2, 11, "not-utf8"));
}

#[test]
fn numbers_of_the_wrong_kind_are_type_errors() {
    let p = PathBuf::from("secprop.yaml");
    for (text, needle) in [
        (
            "version: 1.0\ntargets: []\n",
            "`version` must be an integer",
        ),
        (
            "version: 4294967296\ntargets: []\n",
            "unsupported spec version `4294967296`",
        ),
        (
            "version: 1\ntargets: []\nproperties: [{id: a, kind: authentication_required, routes: [\"**\"], deny_status: [401.5]}]\n",
            "an item of `deny_status` must be an integer",
        ),
        (
            "version: 1\ntargets: []\nproperties: [{id: a, kind: authentication_required, routes: [\"**\"], deny_status: [-1, 70000, 42]}]\n",
            "`-1` is too small",
        ),
    ] {
        let e = load_bytes(&p, text.as_bytes()).expect_err(text);
        let r = e.render(false);
        assert!(r.contains(needle), "{text:?}: {r}");
        assert!(e.iter().all(|e| e.code != "internal"), "{r}");
    }
}

#[test]
fn inline_guards_load_as_values() {
    use secprop_spec::{GuardEntry, GuardLiteral};
    let loaded = match load(&fixture("valid/inline-guards.yaml")) {
        Ok(l) => l,
        Err(e) => panic!("{}", e.render(false)),
    };
    let c = &loaded.spec.context;
    let GuardEntry::Value(v) = &c.authentication[0] else {
        panic!("{:?}", c.authentication[0]);
    };
    assert_eq!(v.value, "req.session.userId");
    assert_eq!(v.equals, None);
    assert_eq!(c.authentication[0].pattern(), None);
    let equals: Vec<_> = c
        .authorization
        .iter()
        .map(|g| g.value().and_then(|v| v.equals.clone()))
        .collect();
    assert_eq!(
        equals,
        [
            Some(GuardLiteral::String("admin".into())),
            Some(GuardLiteral::Number(3.0)),
            Some(GuardLiteral::Bool(true)),
        ]
    );
}
