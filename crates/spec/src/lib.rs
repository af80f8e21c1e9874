//! The `secprop.yaml` spec: its data model, discovery and loading with precise errors,
//! validation, the JSON Schema, and the call patterns and route selectors it contains
//! (spec-v1 §1–§5).

mod diag;
mod discover;
pub mod field;
mod load;
pub mod pattern;
mod schema;
pub mod selector;
pub mod types;
mod validate;
mod yaml;

pub use diag::{SpecError, SpecErrors};
pub use discover::{SPEC_FILE_NAMES, discover, repo_root_for};
pub use field::{FieldSource, RequestField};
pub use load::{load, load_bytes, load_bytes_with, load_with};
pub use schema::{json_schema, json_schema_string};
pub use validate::{BUILTIN_FINDINGS, Supported};

pub use pattern::Pattern;
pub use selector::Selector;
pub use types::*;

use std::collections::BTreeMap;
use std::path::PathBuf;

/// A 1-based position in the spec file (columns in Unicode code points).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Default)]
pub struct Location {
    pub line: u32,
    pub column: u32,
}

/// A spec that loaded and validated, with where each of its values was written.
#[derive(Debug, Clone)]
pub struct LoadedSpec {
    pub spec: Spec,
    /// The spec file, as given or discovered (absolute).
    pub path: PathBuf,
    /// The spec's folder: paths inside the spec are relative to it.
    pub dir: PathBuf,
    /// The repository root (spec-v1 §1); the spec's folder when there is no repository.
    pub repo_root: PathBuf,
    /// The file's text, for code frames of spec-level findings.
    pub source: String,
    /// Where each value was written, by JSON pointer: `/context/side_effects/2`,
    /// `/properties/0/routes/1`, `/waivers/0` (`""` is the whole document).
    pub locations: BTreeMap<String, Location>,
    /// Where the key of each mapping entry was written, by the JSON pointer of its value
    /// (`/properties/0/tenant_param` locates `tenant_param:`).
    pub key_locations: BTreeMap<String, Location>,
}

impl LoadedSpec {
    /// The location of a JSON pointer, falling back to its nearest written ancestor.
    pub fn location(&self, pointer: &str) -> Location {
        let mut p = pointer;
        loop {
            if let Some(l) = self.locations.get(p) {
                return *l;
            }
            match p.rfind('/') {
                Some(i) => p = &p[..i],
                None => return Location { line: 1, column: 1 },
            }
        }
    }

    /// The spec path relative to the repository root, with `/` separators.
    pub fn display_path(&self) -> String {
        let rel = self
            .path
            .strip_prefix(&self.repo_root)
            .unwrap_or(&self.path);
        rel.to_string_lossy().replace('\\', "/")
    }
}

/// A user value quoted for a message: control characters escaped, long values shortened
/// (at a character boundary).
pub(crate) fn quote(s: &str) -> String {
    const MAX: usize = 60;
    let mut out = String::new();
    for (i, c) in s.chars().enumerate() {
        if i == MAX {
            out.push('…');
            break;
        }
        if c.is_control() {
            out.extend(c.escape_default());
        } else {
            out.push(c);
        }
    }
    out
}
