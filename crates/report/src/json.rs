//! `check --format json` (spec-v1 §10): `{"schema": "secprop/check/v1", "version",
//! "findings", "errors", "summary"}`.

use crate::Summary;
use secprop_check::{Coverage, Finding};
use serde::Serialize;

#[derive(Serialize)]
struct Document<'a> {
    schema: &'static str,
    version: &'a str,
    findings: &'a [Finding],
    errors: &'a [String],
    summary: Summary,
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
        findings,
        errors,
        summary: Summary::of(findings, coverage),
    };
    let mut s = serde_json::to_string_pretty(&doc).expect("findings serialise");
    s.push('\n');
    s
}
