//! `secprop schema`: the JSON Schema of `secprop.yaml`, generated from the Rust types.

use anyhow::Result;

pub fn run() -> Result<u8> {
    print!("{}", secprop_spec::json_schema_string());
    Ok(0)
}
