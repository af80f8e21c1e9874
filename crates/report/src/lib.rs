//! Renders check results: one module per output format (spec-v1 §10). Renderers only
//! format; they never decide what is a finding.

mod frame;
pub mod human;
pub mod json;

use secprop_check::{Finding, Status};
use secprop_spec::Severity;
use serde::Serialize;

/// Counts shown at the end of human output and in JSON `summary`.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct Summary {
    pub total: usize,
    pub open: usize,
    pub waived: usize,
    pub ignored: usize,
    /// Open findings per severity, most severe first.
    pub critical: usize,
    pub high: usize,
    pub medium: usize,
    pub low: usize,
    pub info: usize,
}

impl Summary {
    pub fn of(findings: &[Finding]) -> Summary {
        let mut s = Summary {
            total: findings.len(),
            ..Summary::default()
        };
        for f in findings {
            match f.status {
                Status::Waived => s.waived += 1,
                Status::Ignored => s.ignored += 1,
                Status::Open => {
                    s.open += 1;
                    match f.severity {
                        Severity::Critical => s.critical += 1,
                        Severity::High => s.high += 1,
                        Severity::Medium => s.medium += 1,
                        Severity::Low => s.low += 1,
                        Severity::Info => s.info += 1,
                    }
                }
            }
        }
        s
    }
}
