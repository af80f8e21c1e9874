//! Renders check results: one module per output format (spec-v1 §10). Renderers only
//! format; they never decide what is a finding.
//!
//! One diagnostic per place: findings of several properties at the same primary location
//! (one late call breaking both an ordering and a tenant property) are one diagnostic in
//! the formats people read ([`human`], [`markdown`], [`github`]), listing each property;
//! the formats machines read keep one finding per property ([`json`], with a shared
//! [`location_id`]; [`sarif`], where each property is its own rule).

mod frame;
pub mod github;
pub mod human;
pub mod json;
pub mod markdown;
pub mod sarif;

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

/// The shared id of a primary location: 16 hex digits of an FNV-1a hash of the file,
/// line, column, end line and end column. Findings with the same `location_id` are shown
/// as one diagnostic; unlike the finding `id`, it changes when the code moves.
pub fn location_id(f: &Finding) -> String {
    let mut h: u64 = 0xcbf2_9ce4_8422_2325;
    let key = format!(
        "{}\u{0}{}:{}-{}:{}",
        f.file, f.line, f.column, f.end_line, f.end_column
    );
    for b in key.bytes() {
        h ^= u64::from(b);
        h = h.wrapping_mul(0x0000_0100_0000_01b3);
    }
    format!("{h:016x}")
}

/// Findings that share a primary location, in the order of their first finding; within
/// a place the most severe comes first (it titles the diagnostic), ties in input order.
pub fn places<'a>(findings: impl IntoIterator<Item = &'a Finding>) -> Vec<Vec<&'a Finding>> {
    let mut out: Vec<Vec<&Finding>> = Vec::new();
    let mut index: std::collections::BTreeMap<(&str, u32, u32, u32, u32), usize> =
        std::collections::BTreeMap::new();
    for f in findings {
        let key = (f.file.as_str(), f.line, f.column, f.end_line, f.end_column);
        match index.get(&key) {
            Some(&i) => out[i].push(f),
            None => {
                index.insert(key, out.len());
                out.push(vec![f]);
            }
        }
    }
    for place in &mut out {
        place.sort_by_key(|f| std::cmp::Reverse(f.severity));
    }
    out
}

/// The most severe of a place's findings (at least one).
pub(crate) fn worst(place: &[&Finding]) -> Severity {
    place
        .iter()
        .map(|f| f.severity)
        .max()
        .unwrap_or(Severity::Info)
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
