//! Static checks of spec-v1 §6–§8 over the language-neutral model: one module per
//! property kind, plus the built-in findings. The checks never see a syntax tree.

use secprop_spec::Severity;
use serde::Serialize;

/// How sure a finding is (spec-v1 §10).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Confidence {
    Certain,
    Possible,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Status {
    Open,
    Waived,
    Ignored,
}

/// A secondary location: the guard that came too late, the missing guard's route.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Serialize)]
pub struct Related {
    pub file: String,
    pub line: u32,
    pub column: u32,
    pub message: String,
}

/// One finding, with every field of spec-v1 §10 `check --format json`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Finding {
    /// Fingerprint stable across line moves (spec-v1 §8).
    pub id: String,
    /// Property id, or the built-in id (`secprop/unchecked-guard`).
    pub property: String,
    /// Property kind, or the built-in id.
    pub kind: String,
    pub severity: Severity,
    pub confidence: Confidence,
    pub target: String,
    /// `METHOD /canonical/path`, or `None` for spec-level findings.
    pub route: Option<String>,
    /// Relative to the repository root, `/` separators.
    pub file: String,
    pub line: u32,
    pub column: u32,
    pub end_line: u32,
    pub end_column: u32,
    pub message: String,
    pub related: Vec<Related>,
    pub status: Status,
    /// The waiver's reason and owner when `status` is `waived`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub waiver: Option<WaiverRef>,
    /// How to fix it; shown as `help:` in human output.
    #[serde(skip)]
    pub help: Option<String>,
}

/// The waiver that silenced a finding.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct WaiverRef {
    pub reason: String,
    pub owner: String,
    pub expires: String,
}
