//! `secprop/parse-error` (spec-v1 §8).
//!
//! ## What it does
//! Reports a scanned file with syntax errors, at its first error. Its parsable parts are
//! still analysed; this is never a fatal error. When the error lies inside or before a
//! route registration, a router mount or an app's creation, the finding is `high` (unless
//! the spec sets `builtin_severity` for it) and says what was lost: route registrations
//! in the text that produced no route, or registrations after the error that may be
//! incomplete.
//!
//! ## Why is this bad?
//! Routes or guards in the unparsable part are invisible to every check: a typo that
//! hides the vulnerable route would otherwise turn CI green.
//!
//! ## Example
//! A file with an unclosed brace: its routes after the brace may be missing.
//! Use instead: fix the syntax error, or exclude the file from the target.

use super::{PARSE_ERROR, file_of};
use crate::fingerprint::fingerprint;
use crate::{Confidence, Finding, Status};
use secprop_model::Project;
use secprop_spec::Severity;

/// `configured`: whether the spec set this finding's severity (then it is kept as is).
pub(crate) fn check(
    target: &str,
    project: &Project,
    severity: Severity,
    configured: bool,
) -> Vec<Finding> {
    project
        .files
        .iter()
        .filter_map(|f| {
            let span = f.parse_error?;
            let d = f.parse_damage;
            let costly = d.lost_routes > 0 || d.registrations_after > 0;
            let severity = if costly && !configured {
                severity.max(Severity::High)
            } else {
                severity
            };
            let file = file_of(project, span);
            let file = if file.is_empty() {
                f.path.clone()
            } else {
                file
            };
            Some(Finding {
                id: fingerprint(PARSE_ERROR, None, &file, ""),
                property: PARSE_ERROR.into(),
                kind: PARSE_ERROR.into(),
                severity,
                confidence: Confidence::Certain,
                target: target.to_string(),
                route: None,
                file,
                line: span.line,
                column: span.column,
                end_line: span.end_line,
                end_column: span.end_column,
                message: format!(
                    "`{}` does not parse here; only its parsable parts were checked{}",
                    f.path,
                    d.note()
                ),
                related: vec![],
                status: Status::Open,
                waiver: None,
                help: Some("fix the syntax error, or exclude the file from the target".into()),
            })
        })
        .collect()
}
