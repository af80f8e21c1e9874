//! `check --format json` (spec-v1 §10): `{"schema": "secprop/check/v1", "version",
//! "findings", "errors", "summary"}`.
//!
//! One finding per property, as the spec requires; each also carries `location_id`
//! ([`crate::location_id`]), shared by the findings of one primary location, so a
//! consumer can show them as one diagnostic the way human output does.

use crate::{Summary, location_id};
use secprop_check::{Coverage, Finding};
use serde::Serialize;

#[derive(Serialize)]
struct Document<'a> {
    schema: &'static str,
    version: &'a str,
    findings: Vec<Located<'a>>,
    errors: &'a [String],
    summary: Summary,
}

/// A finding with its shared location id after the spec's fields.
#[derive(Serialize)]
struct Located<'a> {
    #[serde(flatten)]
    finding: &'a Finding,
    location_id: String,
}

/// Pretty-printed, deterministic JSON with a trailing newline.
pub fn render(
    findings: &[Finding],
    coverage: &[Coverage],
    errors: &[String],
    version: &str,
) -> String {
    let doc = Document {
        schema: "secprop/check/v1",
        version,
        findings: findings
            .iter()
            .map(|finding| Located {
                finding,
                location_id: location_id(finding),
            })
            .collect(),
        errors,
        summary: Summary::of(findings, coverage),
    };
    let mut s = serde_json::to_string_pretty(&doc).expect("findings serialise");
    s.push('\n');
    s
}
