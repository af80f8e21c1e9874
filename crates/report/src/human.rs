//! Human output: rustc/ruff-style diagnostics with a code frame at the primary location,
//! the late or missing guard as a related location, the route, a `help:` line, and a
//! summary line. Findings of several properties at one primary location are one
//! diagnostic listing each property (see the crate docs).

use crate::frame::{Sources, range};
use crate::{Summary, places, printable, worst};
use annotate_snippets::{AnnotationKind, Group, Level, Renderer, Snippet};
use secprop_check::{Coverage, Finding, Status};
use secprop_spec::Severity;
use std::fmt::Write as _;
use std::path::Path;

/// Renders every open finding (waived and ignored ones are counted, not shown), one
/// diagnostic per primary location, then the
/// coverage of each property and the summary. `repo_root` is where finding paths are
/// relative to.
pub fn render(
    findings: &[Finding],
    coverage: &[Coverage],
    repo_root: &Path,
    color: bool,
) -> String {
    let renderer = if color {
        Renderer::styled()
    } else {
        Renderer::plain()
    };
    let mut sources = Sources::new(repo_root);
    let mut out = String::new();
    for place in places(findings.iter().filter(|f| f.status == Status::Open)) {
        out.push_str(&render_place(&place, &mut sources, &renderer));
        out.push_str("\n\n");
    }
    out.push_str(&coverage_table(coverage));
    out.push_str(&summary_line(&Summary::of(findings, coverage)));
    out.push('\n');
    out
}

/// One line per property: `tenant-isolation (cross_tenant_denied): 2 routes selected, 2
/// checked, 2 tested`, with a warning mark where a property selects nothing, has no
/// static check, or leaves selected routes unchecked or untested.
pub fn coverage_table(coverage: &[Coverage]) -> String {
    if coverage.is_empty() {
        return String::new();
    }
    let mut out = String::from("coverage (routes per property):\n");
    let width = coverage
        .iter()
        .map(|c| c.property.chars().count() + c.kind.chars().count() + 3)
        .max()
        .unwrap_or(0);
    for c in coverage {
        let name = format!("{} ({})", printable(&c.property), c.kind);
        let tested = match c.tested {
            Some(n) => format!("{n} tested"),
            None => "no tests configured".to_string(),
        };
        let checked = if c.static_check {
            format!("{} checked", c.checked)
        } else {
            "no static check yet".to_string()
        };
        let mut notes = Vec::new();
        if c.selected == 0 {
            notes.push("selects no route".to_string());
        } else {
            if c.static_check && c.checked < c.selected {
                notes.push(format!("{} not checked", c.selected - c.checked));
            }
            if let Some(t) = c.tested
                && t < c.selected
            {
                notes.push(format!("{} without tests", c.selected - t));
            }
        }
        let mark = if notes.is_empty() { " " } else { "!" };
        let _ = write!(
            out,
            "{mark} {name:<width$}  {} selected, {checked}, {tested}",
            c.selected
        );
        if !notes.is_empty() {
            let _ = write!(out, "  ({})", notes.join("; "));
        }
        out.push('\n');
    }
    out.push('\n');
    out
}

fn level(sev: Severity) -> Level<'static> {
    match sev {
        Severity::Critical | Severity::High => Level::ERROR,
        Severity::Medium => Level::WARNING,
        Severity::Low | Severity::Info => Level::NOTE,
    }
}

fn render_place(place: &[&Finding], sources: &mut Sources, renderer: &Renderer) -> String {
    let f = place[0];
    let title = format!("{} ({})", printable(&f.message), f.severity.as_str());
    let ids = place
        .iter()
        .map(|f| f.property.as_str())
        .collect::<Vec<_>>()
        .join(", ");
    let lvl = level(worst(place));
    let mut primary = Group::with_title(lvl.clone().primary_title(title.as_str()).id(&ids));
    // Related locations are shown once even when several findings name them.
    let mut related: Vec<&secprop_check::Related> = Vec::new();
    for r in place.iter().flat_map(|f| &f.related) {
        if !related.contains(&r) {
            related.push(r);
        }
    }
    // Related locations in the primary file share its frame; others get their own.
    let primary_text = sources.get(&f.file).map(str::to_owned);
    let mut others: Vec<(String, String, std::ops::Range<usize>, String)> = Vec::new();
    match &primary_text {
        Some(text) => {
            let mut snippet = Snippet::source(text.as_str())
                .path(f.file.as_str())
                .annotation(
                    AnnotationKind::Primary
                        .span(range(text, f.line, f.column, f.end_line, f.end_column))
                        .label(primary_label(f)),
                );
            for r in &related {
                if r.file == f.file {
                    snippet = snippet.annotation(
                        AnnotationKind::Context
                            .span(range(text, r.line, r.column, r.end_line, r.end_column))
                            .label(r.message.as_str()),
                    );
                } else if let Some(t) = sources.get(&r.file) {
                    let span = range(t, r.line, r.column, r.end_line, r.end_column);
                    others.push((r.file.clone(), t.to_owned(), span, r.message.clone()));
                }
            }
            primary = primary.element(snippet);
        }
        None => {
            primary = primary
                .element(Level::NOTE.message(format!("at {}:{}:{}", f.file, f.line, f.column)));
        }
    }
    for (file, text, span, msg) in &others {
        primary = primary.element(
            Snippet::source(text.as_str())
                .path(file.as_str())
                .annotation(
                    AnnotationKind::Context
                        .span(span.clone())
                        .label(msg.as_str()),
                ),
        );
    }
    let mut notes: Vec<String> = Vec::new();
    for f in place {
        if let Some(route) = &f.route {
            let note = format!("route: {} [{}]", printable(route), printable(&f.target));
            if !notes.contains(&note) {
                notes.push(note);
            }
        }
    }
    for (i, f) in place.iter().enumerate() {
        if i > 0 {
            // The other properties broken here, each with its own message.
            notes.push(format!(
                "also {} ({}): {} ({})",
                f.property,
                f.kind,
                printable(&f.message),
                f.severity.as_str()
            ));
        } else if f.property != f.kind {
            notes.push(format!("property: {} ({})", f.property, f.kind));
        }
    }
    for n in &notes {
        primary = primary.element(Level::NOTE.message(n.as_str()));
    }
    let mut report: Vec<Group<'_>> = vec![primary];
    for help in place.iter().filter_map(|f| f.help.as_deref()) {
        report.push(Group::with_title(Level::HELP.secondary_title(help)));
    }
    renderer.render(&report)
}

fn primary_label(f: &Finding) -> &'static str {
    match f.kind.as_str() {
        "no_side_effects_before_authz" => "runs before authorization succeeds",
        "cross_tenant_denied" => "not checked against the tenant",
        "authentication_required" => "reachable without authentication",
        "secprop/unchecked-guard" => "this guard does not decide whether the handler continues",
        "secprop/uncovered-route" => "no property selects this route",
        "secprop/unresolved" => "cannot be resolved statically",
        "secprop/param-missing" => "route lacks the tenant parameter",
        "secprop/unmatched-pattern" => "matches nothing in the target",
        _ => "here",
    }
}

/// `3 findings: 2 high, 1 medium (1 waived, 0 ignored)` or `no findings`.
pub fn summary_line(s: &Summary) -> String {
    if s.open == 0 {
        let mut line = String::from("no open findings");
        if s.waived + s.ignored > 0 {
            let _ = write!(line, " ({} waived, {} ignored)", s.waived, s.ignored);
        }
        return line;
    }
    let parts: Vec<String> = [
        ("critical", s.critical),
        ("high", s.high),
        ("medium", s.medium),
        ("low", s.low),
        ("info", s.info),
    ]
    .iter()
    .filter(|(_, n)| *n > 0)
    .map(|(k, n)| format!("{n} {k}"))
    .collect();
    let noun = if s.open == 1 { "finding" } else { "findings" };
    let mut line = format!("{} open {noun}: {}", s.open, parts.join(", "));
    if s.waived + s.ignored > 0 {
        let _ = write!(line, " ({} waived, {} ignored)", s.waived, s.ignored);
    }
    line
}
