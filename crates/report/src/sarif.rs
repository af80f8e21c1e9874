//! `check --format sarif`: SARIF 2.1.0 (spec-v1 §10), one run, for code-scanning tools
//! such as GitHub's.
//!
//! - **Rules.** One rule per property of the spec (in spec order, whether or not it
//!   produced a finding, so a consumer sees what was checked) and one per built-in id
//!   that produced a finding (sorted by id). A rule's descriptions come from the catalog
//!   entry of its kind (`secprop explain KIND`): `shortDescription` the title,
//!   `fullDescription` what must hold (or what the built-in reports), `help` why it
//!   matters and how it is checked (or fixed). `properties.kind` is the property kind.
//! - **Severity.** `level` is `error` for critical and high, `warning` for medium, `note`
//!   for low and info; `properties.security-severity` (what GitHub ranks alerts by) is
//!   9.0 critical, 7.0 high, 5.0 medium, 3.0 low (spec-v1 §10), and 1.0 for info, which
//!   spec-v1 gives no score: it stays in GitHub's lowest band, below every low finding.
//! - **Results.** One result per finding, even where several properties meet at one
//!   place (human output shows those once): each property is its own rule, and a
//!   consumer tracks, dismisses and reopens alerts per rule. `properties.locationId`
//!   ([`crate::location_id`]) ties such results together.
//! - **Fingerprints.** `partialFingerprints["secprop/v1"]` is the finding `id`, which
//!   hashes the property, route, file and call text, never line numbers, so an alert
//!   survives code moving.
//! - **Suppressions.** A waived finding has a suppression of kind `external` (the waiver
//!   lives in `secprop.yaml`) with the waiver's reason as justification; an ignored one
//!   (`secprop-ignore` comment) has kind `inSource`. Both stay in the log.
//! - **Locations.** `uri` is relative to the repository root with `/` separators,
//!   percent-encoded, under `uriBaseId` `%SRCROOT%`; `originalUriBaseIds` describes
//!   `%SRCROOT%` without an absolute path, so the log is the same on every machine.
//!   Columns count Unicode code points (`columnKind: unicodeCodePoints`); `endColumn`
//!   is the column after the region, as in SARIF.
//! - **Warnings** (skipped files, unresolved imports) are tool execution notifications.

use crate::location_id;
use secprop_check::{Finding, Related, Status};
use secprop_spec::Severity;
use serde_json::{Value, json};

/// The SARIF schema the output declares.
pub const SCHEMA: &str = "https://json.schemastore.org/sarif-2.1.0.json";

/// A property of the spec, as its SARIF rule needs it.
#[derive(Debug, Clone, Copy)]
pub struct PropertyRule<'a> {
    /// The property id (the rule id).
    pub id: &'a str,
    /// Its kind (`cross_tenant_denied`), which names the catalog entry.
    pub kind: &'a str,
    pub severity: Severity,
}

/// `level` of a result or rule.
pub fn level(s: Severity) -> &'static str {
    match s {
        Severity::Critical | Severity::High => "error",
        Severity::Medium => "warning",
        Severity::Low | Severity::Info => "note",
    }
}

/// `properties.security-severity`, a string as GitHub expects.
pub fn security_severity(s: Severity) -> &'static str {
    match s {
        Severity::Critical => "9.0",
        Severity::High => "7.0",
        Severity::Medium => "5.0",
        Severity::Low => "3.0",
        Severity::Info => "1.0",
    }
}

/// The SARIF log, pretty-printed with a trailing newline. `properties` are the spec's,
/// in spec order; `errors` become notifications.
pub fn render(
    findings: &[Finding],
    properties: &[PropertyRule<'_>],
    errors: &[String],
    version: &str,
) -> String {
    let mut rule_ids: Vec<String> = Vec::new();
    let mut rules: Vec<Value> = Vec::new();
    for p in properties {
        if !rule_ids.iter().any(|id| id == p.id) {
            rule_ids.push(p.id.to_string());
            rules.push(property_rule(p.id, p.kind, p.severity));
        }
    }
    let mut builtins: Vec<(&str, Severity)> = Vec::new();
    let mut unknown: Vec<&Finding> = Vec::new();
    for f in findings {
        if rule_ids.contains(&f.property) {
            continue;
        }
        if f.property.starts_with("secprop/") {
            if !builtins.iter().any(|(id, _)| *id == f.property) {
                builtins.push((f.property.as_str(), f.severity));
            }
        } else if !unknown.iter().any(|u| u.property == f.property) {
            // A finding of a property the caller did not list; never expected, but a
            // result must not point at a missing rule.
            unknown.push(f);
        }
    }
    for u in unknown {
        rule_ids.push(u.property.clone());
        rules.push(property_rule(&u.property, &u.kind, u.severity));
    }
    builtins.sort();
    for (id, severity) in builtins {
        rule_ids.push(id.to_string());
        rules.push(builtin_rule(id, severity));
    }

    let results: Vec<Value> = findings
        .iter()
        .map(|f| {
            let index = rule_ids.iter().position(|id| *id == f.property);
            result(f, index.unwrap_or(0))
        })
        .collect();

    let notifications: Vec<Value> = errors
        .iter()
        .map(|e| json!({"level": "warning", "message": {"text": e}}))
        .collect();
    let log = json!({
        "$schema": SCHEMA,
        "version": "2.1.0",
        "runs": [{
            "tool": {"driver": {
                "name": "secprop",
                "version": version,
                "semanticVersion": version,
                "rules": rules,
            }},
            "invocations": [{
                "executionSuccessful": true,
                "toolExecutionNotifications": notifications,
            }],
            "originalUriBaseIds": {
                "%SRCROOT%": {"description": {"text": "The repository root, the folder holding .git"}}
            },
            "columnKind": "unicodeCodePoints",
            "results": results,
        }],
    });
    let mut s = serde_json::to_string_pretty(&log).expect("SARIF serialises");
    s.push('\n');
    s
}

fn property_rule(id: &str, kind: &str, severity: Severity) -> Value {
    let (short, full, help) = match secprop_catalog::get(kind) {
        Some(e) => (
            e.title,
            e.holds,
            format!("{}\n\nHow secprop checks it: {}", e.why, e.static_check),
        ),
        None => (
            format!("Property {id}"),
            format!("Property `{id}` of kind `{kind}`."),
            format!("Run `secprop explain {kind}`."),
        ),
    };
    rule(id, kind, severity, short, full, help)
}

fn builtin_rule(id: &str, severity: Severity) -> Value {
    let (short, full, help) = match secprop_catalog::get_builtin(id) {
        Some(b) => (b.title, b.reports, format!("{}\n\nFix: {}", b.why, b.fix)),
        None => (
            id.to_string(),
            format!("Built-in finding `{id}`."),
            format!("Run `secprop explain {id}`."),
        ),
    };
    rule(id, id, severity, short, full, help)
}

fn rule(
    id: &str,
    kind: &str,
    severity: Severity,
    short: String,
    full: String,
    help: String,
) -> Value {
    json!({
        "id": id,
        "shortDescription": {"text": short},
        "fullDescription": {"text": full},
        "help": {"text": help},
        "defaultConfiguration": {"level": level(severity)},
        "properties": {
            "kind": kind,
            "severity": severity.as_str(),
            "security-severity": security_severity(severity),
            "tags": ["security"],
        },
    })
}

fn result(f: &Finding, rule_index: usize) -> Value {
    let mut r = json!({
        "ruleId": f.property,
        "ruleIndex": rule_index,
        "level": level(f.severity),
        "message": {"text": f.message},
        "locations": [{
            "physicalLocation": physical(&f.file, f.line, f.column, f.end_line, f.end_column),
        }],
        "partialFingerprints": {"secprop/v1": f.id},
        "properties": {
            "kind": f.kind,
            "severity": f.severity.as_str(),
            "confidence": f.confidence,
            "target": f.target,
            "route": f.route,
            "locationId": location_id(f),
        },
    });
    if !f.related.is_empty() {
        r["relatedLocations"] = f
            .related
            .iter()
            .enumerate()
            .map(|(i, rel)| related(i, rel))
            .collect();
    }
    match f.status {
        Status::Open => {}
        Status::Waived => {
            let mut s = json!({"kind": "external", "state": "accepted"});
            if let Some(w) = &f.waiver {
                s["justification"] = json!(w.reason);
                s["properties"] = json!({"owner": w.owner, "expires": w.expires});
            }
            r["suppressions"] = json!([s]);
        }
        Status::Ignored => {
            r["suppressions"] = json!([{
                "kind": "inSource",
                "state": "accepted",
                "justification": "secprop-ignore comment",
            }]);
        }
    }
    r
}

fn related(i: usize, rel: &Related) -> Value {
    json!({
        "id": i,
        "physicalLocation": physical(&rel.file, rel.line, rel.column, rel.end_line, rel.end_column),
        "message": {"text": rel.message},
    })
}

fn physical(file: &str, line: u32, column: u32, end_line: u32, end_column: u32) -> Value {
    let line = line.max(1);
    let column = column.max(1);
    let end_line = end_line.max(line);
    // SARIF's endColumn is one past the region; an empty region would be invalid for
    // some viewers, so it covers at least one character.
    let end_column = if end_line == line {
        end_column.max(column + 1)
    } else {
        end_column.max(1)
    };
    json!({
        "artifactLocation": {"uri": uri(file), "uriBaseId": "%SRCROOT%"},
        "region": {
            "startLine": line,
            "startColumn": column,
            "endLine": end_line,
            "endColumn": end_column,
        },
    })
}

/// A relative URI reference for a repository path: `/` separators, and every byte
/// outside the unreserved set and `/` percent-encoded (spaces, `#`, `?`, non-ASCII).
pub fn uri(path: &str) -> String {
    let mut out = String::with_capacity(path.len());
    for b in path.replace('\\', "/").bytes() {
        if b.is_ascii_alphanumeric() || matches!(b, b'-' | b'.' | b'_' | b'~' | b'/') {
            out.push(b as char);
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn uris_are_relative_and_encoded() {
        assert_eq!(uri("src/app.js"), "src/app.js");
        assert_eq!(uri("src\\my app#1.js"), "src/my%20app%231.js");
        assert_eq!(uri("src/é.js"), "src/%C3%A9.js");
    }

    #[test]
    fn severity_mapping() {
        assert_eq!(level(Severity::Critical), "error");
        assert_eq!(level(Severity::High), "error");
        assert_eq!(level(Severity::Medium), "warning");
        assert_eq!(level(Severity::Low), "note");
        assert_eq!(level(Severity::Info), "note");
        assert_eq!(security_severity(Severity::Critical), "9.0");
        assert_eq!(security_severity(Severity::Low), "3.0");
    }
}
