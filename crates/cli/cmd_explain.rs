//! `secprop explain [KIND]`: the property catalog, with what this version does for each
//! kind (a static check, generated tests for which runners), so planned parts are never
//! mistaken for working ones.

use anyhow::Result;
use secprop_spec::PropertyKind;

/// What this version does for a kind: `checked statically; tests: vitest, jest`, or which
/// parts are planned.
pub fn status(kind: &str) -> String {
    let Some(k) = PropertyKind::ALL.into_iter().find(|k| k.as_str() == kind) else {
        return String::new();
    };
    let runners: Vec<&str> = secprop_generate::runner::all()
        .iter()
        .filter(|p| p.kinds().contains(&k))
        .map(|p| p.runner().as_str())
        .collect();
    let check = if secprop_check::has_static_check(k) {
        "checked statically"
    } else {
        "static check planned"
    };
    let tests = if k == PropertyKind::ForbiddenCalls {
        "no generated test (static only)".to_string()
    } else if runners.is_empty() {
        "generated tests planned".to_string()
    } else {
        format!("tests: {}", runners.join(", "))
    };
    format!("{check}; {tests}")
}

pub fn run(kind: Option<&str>) -> Result<u8> {
    match kind {
        None => {
            print!("{}", secprop_catalog::render_list_with(status));
            Ok(0)
        }
        Some(k) => match secprop_catalog::get(k) {
            Some(entry) => {
                print!("{}", secprop_catalog::render_entry(&entry));
                println!("\nIn this version: {}.", status(k));
                Ok(0)
            }
            None => {
                let kinds: Vec<String> = secprop_catalog::entries()
                    .into_iter()
                    .map(|e| e.kind.to_string())
                    .collect();
                eprintln!(
                    "secprop explain: unknown property kind `{k}`\n  hint: kinds are {}",
                    kinds.join(", ")
                );
                Ok(2)
            }
        },
    }
}
