//! Waivers and inline `secprop-ignore` comments (spec-v1 §8): what silences a finding,
//! and the findings about the silencers themselves (expired, expiring, stale, unused).

use crate::fingerprint::fingerprint;
use crate::rules::{
    STALE_WAIVER, UNUSED_IGNORE, WAIVER_EXPIRED, WAIVER_EXPIRING, builtin_severity,
};
use crate::{Confidence, Finding, Status, WaiverRef};
use secprop_model::Project;
use secprop_spec::{Date, LoadedSpec, Selector, Waiver};
use std::collections::{BTreeMap, BTreeSet};

/// A waiver is "expiring" this many days before its date.
const EXPIRING_DAYS: i64 = 30;

/// Today's UTC date from `SOURCE_DATE_EPOCH` when set, else the system clock.
pub fn system_today() -> Date {
    if let Ok(v) = std::env::var("SOURCE_DATE_EPOCH")
        && let Ok(secs) = v.trim().parse::<i64>()
    {
        return Date::from_unix(secs);
    }
    let secs = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.as_secs() as i64)
        .unwrap_or(0);
    Date::from_unix(secs)
}

/// Days since 1970-01-01 (Howard Hinnant's days_from_civil).
fn days(d: Date) -> i64 {
    let y = i64::from(d.year) - i64::from(d.month <= 2);
    let era = y.div_euclid(400);
    let yoe = y - era * 400;
    let m = i64::from(d.month);
    let doy = (153 * (if m > 2 { m - 3 } else { m + 9 }) + 2) / 5 + i64::from(d.day) - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    era * 146_097 + doe - 719_468
}

fn waiver_matches(w: &Waiver, f: &Finding) -> bool {
    if w.property != f.property {
        return false;
    }
    let selectors: Vec<&String> = w.route.iter().chain(w.routes.iter().flatten()).collect();
    if selectors.is_empty() {
        return true;
    }
    let Some(route) = &f.route else { return false };
    let (method, path) = route.split_once(' ').unwrap_or(("*", route));
    selectors.iter().any(|s| {
        Selector::parse(s)
            .map(|sel| sel.matches(method, path))
            .unwrap_or(false)
    })
}

/// One `secprop-ignore` comment.
#[derive(Debug, Clone)]
struct Ignore {
    file: String,
    line: u32,
    column: u32,
    ids: Vec<String>,
    has_reason: bool,
}

/// Finds `secprop-ignore: ID[,ID...] -- reason` comments in a file's text.
fn parse_ignores(file: &str, text: &str) -> Vec<Ignore> {
    const MARK: &str = "secprop-ignore:";
    let mut out = Vec::new();
    for (i, line) in text.lines().enumerate() {
        let Some(at) = line.find(MARK) else { continue };
        let rest = &line[at + MARK.len()..];
        let (ids, reason) = match rest.split_once("--") {
            Some((ids, reason)) => (ids, reason.trim()),
            None => (rest, ""),
        };
        // A block comment's closer is not part of the reason.
        let reason = reason.trim_end_matches("*/").trim();
        out.push(Ignore {
            file: file.to_string(),
            line: i as u32 + 1,
            column: line[..at].chars().count() as u32 + 1,
            ids: ids
                .split(',')
                .map(|s| s.trim().to_string())
                .filter(|s| !s.is_empty())
                .collect(),
            has_reason: !reason.is_empty(),
        });
    }
    out
}

fn spec_finding(
    spec: &LoadedSpec,
    id: &str,
    pointer: &str,
    text: &str,
    message: String,
) -> Finding {
    let loc = spec.location(pointer);
    let file = spec.display_path();
    Finding {
        id: fingerprint(id, None, &file, text),
        property: id.to_string(),
        kind: id.to_string(),
        severity: builtin_severity(&spec.spec, id),
        confidence: Confidence::Certain,
        target: String::new(),
        route: None,
        file,
        line: loc.line,
        column: loc.column,
        end_line: loc.line,
        end_column: loc.column,
        message,
        related: vec![],
        status: Status::Open,
        waiver: None,
        help: None,
    }
}

/// Applies waivers and inline ignores to `findings`, and adds the findings about them.
pub fn apply(
    spec: &LoadedSpec,
    targets: &[(String, Project)],
    mut findings: Vec<Finding>,
    today: Date,
    errors: &mut Vec<String>,
) -> Vec<Finding> {
    let today_n = days(today);
    let mut extra = Vec::new();

    // Inline ignores: read each scanned file that may carry one.
    let mut ignores: BTreeMap<(String, u32), Vec<Ignore>> = BTreeMap::new();
    let mut all_ignores: Vec<Ignore> = Vec::new();
    let mut seen = BTreeSet::new();
    for (_, project) in targets {
        for f in &project.files {
            if !seen.insert(f.path.clone()) || f.abs_path.as_os_str().is_empty() {
                continue;
            }
            // Decoded lossily, as the frontend decodes it for parsing: a stray byte in a
            // Latin-1 comment must not cost the file its ignores (the scan already warned).
            let text = match std::fs::read(&f.abs_path) {
                Ok(bytes) => String::from_utf8_lossy(&bytes).into_owned(),
                Err(e) => {
                    errors.push(format!(
                        "{}: cannot read for secprop-ignore comments: {e}",
                        f.path
                    ));
                    continue;
                }
            };
            if !text.contains("secprop-ignore:") {
                continue;
            }
            for ig in parse_ignores(&f.path, &text) {
                ignores
                    .entry((ig.file.clone(), ig.line))
                    .or_default()
                    .push(ig.clone());
                all_ignores.push(ig);
            }
        }
    }
    let mut used: BTreeSet<(String, u32)> = BTreeSet::new();
    for f in &mut findings {
        // A comment ending on the primary line or the line above.
        for line in [f.line, f.line.saturating_sub(1)] {
            let Some(list) = ignores.get(&(f.file.clone(), line)) else {
                continue;
            };
            if let Some(ig) = list.iter().find(|ig| {
                ig.has_reason && ig.ids.iter().any(|id| *id == f.property || *id == f.kind)
            }) {
                f.status = Status::Ignored;
                used.insert((ig.file.clone(), ig.line));
                break;
            }
        }
    }
    for ig in &all_ignores {
        if used.contains(&(ig.file.clone(), ig.line)) {
            continue;
        }
        let message = if ig.has_reason {
            format!(
                "`secprop-ignore: {}` silences nothing here",
                ig.ids.join(",")
            )
        } else {
            "`secprop-ignore` needs a reason after `--`; it silences nothing without one"
                .to_string()
        };
        extra.push(Finding {
            id: fingerprint(UNUSED_IGNORE, None, &ig.file, &ig.ids.join(",")),
            property: UNUSED_IGNORE.into(),
            kind: UNUSED_IGNORE.into(),
            severity: builtin_severity(&spec.spec, UNUSED_IGNORE),
            confidence: Confidence::Certain,
            target: String::new(),
            route: None,
            file: ig.file.clone(),
            line: ig.line,
            column: ig.column,
            end_line: ig.line,
            end_column: ig.column,
            message,
            related: vec![],
            status: Status::Open,
            waiver: None,
            help: Some("remove the comment, or name the finding's id and give a reason".into()),
        });
    }

    // Waivers.
    for (wi, w) in spec.spec.waivers.iter().enumerate() {
        let pointer = format!("/waivers/{wi}");
        let expired = days(w.expires) < today_n;
        let mut matched = 0usize;
        for f in findings.iter_mut().filter(|f| f.status == Status::Open) {
            if !waiver_matches(w, f) {
                continue;
            }
            matched += 1;
            if !expired {
                f.status = Status::Waived;
                f.waiver = Some(WaiverRef {
                    reason: w.reason.clone(),
                    owner: w.owner.clone(),
                    expires: w.expires.to_string(),
                });
            }
        }
        let text = format!("{} {}", w.property, w.route.clone().unwrap_or_default());
        if expired && matched > 0 {
            extra.push(spec_finding(
                spec,
                WAIVER_EXPIRED,
                &pointer,
                &text,
                format!(
                    "the waiver of `{}` expired on {}; its {matched} finding(s) are open again",
                    w.property, w.expires
                ),
            ));
        } else if matched == 0 {
            extra.push(spec_finding(
                spec,
                STALE_WAIVER,
                &pointer,
                &text,
                format!(
                    "the waiver of `{}` matches no finding; remove it",
                    w.property
                ),
            ));
        } else if days(w.expires) - today_n <= EXPIRING_DAYS {
            extra.push(spec_finding(
                spec,
                WAIVER_EXPIRING,
                &pointer,
                &text,
                format!("the waiver of `{}` expires on {}", w.property, w.expires),
            ));
        }
    }
    findings.extend(extra);
    findings
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn day_numbers() {
        assert_eq!(days(Date::parse("1970-01-01").unwrap()), 0);
        assert_eq!(
            days(Date::parse("2026-11-24").unwrap()),
            1_795_478_400 / 86_400
        );
        for n in [0i64, 59, 60, 365, 11_016, 20_000, 24_000] {
            assert_eq!(days(Date::from_unix(n * 86_400)), n);
        }
    }

    #[test]
    fn ignore_comments() {
        let text = "a\n// secprop-ignore: p1, secprop/unchecked-guard -- reviewed\nb // secprop-ignore: p2\n";
        let v = parse_ignores("f.js", text);
        assert_eq!(v.len(), 2);
        assert_eq!(v[0].line, 2);
        assert_eq!(v[0].ids, vec!["p1", "secprop/unchecked-guard"]);
        assert!(v[0].has_reason);
        assert_eq!(v[1].line, 3);
        assert!(!v[1].has_reason);
    }
}
