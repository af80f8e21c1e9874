//! Renders check results: one module per output format (spec-v1 §10). Renderers only
//! format; they never decide what is a finding.

mod frame;
pub mod human;
pub mod json;

use secprop_check::{Coverage, Finding, Status};
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
    /// Per property: routes selected, checked statically and tested (issue: a drop in
    /// what is checked is never silent).
    pub properties: Vec<Coverage>,
}

impl Summary {
    pub fn of(findings: &[Finding], coverage: &[Coverage]) -> Summary {
        let mut s = Summary {
            total: findings.len(),
            properties: coverage.to_vec(),
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

/// Text safe to print on one terminal line: control characters, line and paragraph
/// separators and bidirectional overrides (which can make code read differently than
/// it runs) become escapes, so a hostile route name cannot break or spoof the output.
pub fn printable(s: &str) -> std::borrow::Cow<'_, str> {
    let unsafe_char = |c: char| {
        c.is_control()
            || matches!(c, '\u{2028}' | '\u{2029}' | '\u{200e}' | '\u{200f}')
            || ('\u{202a}'..='\u{202e}').contains(&c)
            || ('\u{2066}'..='\u{2069}').contains(&c)
    };
    if !s.chars().any(unsafe_char) {
        return std::borrow::Cow::Borrowed(s);
    }
    let mut out = String::with_capacity(s.len() + 8);
    for c in s.chars() {
        if unsafe_char(c) {
            out.extend(c.escape_default());
        } else {
            out.push(c);
        }
    }
    std::borrow::Cow::Owned(out)
}

#[cfg(test)]
mod tests {
    use super::printable;

    #[test]
    fn printable_escapes_what_breaks_a_line() {
        assert_eq!(printable("/projects/{id}"), "/projects/{id}");
        assert_eq!(
            printable("/a\nb\u{2028}c\u{202e}d\te"),
            "/a\\nb\\u{2028}c\\u{202e}d\\te"
        );
        assert_eq!(printable("/é漢字"), "/é漢字");
    }
}
