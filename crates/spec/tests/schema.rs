//! The committed JSON Schema is the generated one, and the spec-v1 example validates
//! against it (read by an independent YAML loader, so the check does not rely on ours).

use std::path::{Path, PathBuf};

fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../..")
}

#[test]
fn committed_schema_is_up_to_date() {
    let path = root().join("specs/secprop.schema.json");
    let committed = std::fs::read_to_string(&path)
        .unwrap_or_default()
        .replace("\r\n", "\n");
    assert!(
        committed == secprop_spec::json_schema_string(),
        "specs/secprop.schema.json is stale: run `cargo xtask codegen` and commit the result"
    );
}

fn yaml_as_json(name: &str) -> serde_json::Value {
    let text = std::fs::read_to_string(root().join("tests/specs").join(name)).expect("fixture");
    serde_saphyr::from_str(&text).expect("valid YAML")
}

#[test]
fn spec_v1_example_validates_against_the_schema() {
    let schema = secprop_spec::json_schema();
    let validator = jsonschema::draft202012::new(&schema).expect("schema compiles");
    for name in ["valid/spec-v1-example.yaml", "valid/targets-only.yaml"] {
        let instance = yaml_as_json(name);
        let errors: Vec<String> = validator
            .iter_errors(&instance)
            .map(|e| format!("{}: {e}", e.instance_path().as_str()))
            .collect();
        assert!(errors.is_empty(), "{name}: {errors:#?}");
    }
}

#[test]
fn the_schema_rejects_what_the_loader_rejects() {
    // A look-alike of the example with one unknown key: the schema must fail it too, so
    // the test above cannot pass vacuously.
    let schema = secprop_spec::json_schema();
    let validator = jsonschema::draft202012::new(&schema).expect("schema compiles");
    let mut instance = yaml_as_json("valid/spec-v1-example.yaml");
    instance["propertys"] = serde_json::json!([]);
    assert!(!validator.is_valid(&instance));
}
