//! The review as a pull-request comment (markdown, at most GitHub's 65,536 characters,
//! details collapsed) and as JSON (`secprop/review/v1`). Text from the analysed code is
//! escaped with the markdown report's own escaping.

use crate::{Review, RouteChange};
use secprop_report::markdown::{GITHUB_COMMENT_LIMIT, code, text};
use std::fmt::Write as _;

/// What the JSON and the heading say about the base.
pub struct BaseInfo<'a> {
    /// `REF` as given.
    pub reference: &'a str,
    /// The merge-base commit.
    pub commit: &'a str,
}

/// `secprop/review/v1`: the base, every list of [`Review`], and the exit status reason.
pub fn json(review: &Review, base: &BaseInfo, errors: &[String], version: &str) -> String {
    let doc = serde_json::json!({
        "schema": "secprop/review/v1",
        "version": version,
        "base": {"ref": base.reference, "commit": base.commit},
        "routes_added": review.routes_added,
        "routes_changed": review.routes_changed,
        "routes_removed": review.routes_removed,
        "dependencies_added": review.dependencies_added,
        "calls_added": review.calls_added,
        "sensitive_flows": review.sensitive_flows,
        "findings_added": review.findings_added,
        "summary": {
            "uncovered_routes": review.uncovered_routes().count(),
            "findings_added": review.findings_added.len(),
            "findings_fixed": review.findings_fixed,
            "fails": review.exit_code() == 1,
        },
        "errors": errors,
    });
    let mut s = serde_json::to_string_pretty(&doc).unwrap_or_default();
    s.push('\n');
    s
}

/// The markdown comment, at most [`GITHUB_COMMENT_LIMIT`] characters.
pub fn markdown(review: &Review, base: &BaseInfo) -> String {
    markdown_with_limit(review, base, GITHUB_COMMENT_LIMIT)
}

/// The markdown comment, at most `limit` characters: sections that do not fit are cut
/// at a line, with a note (the JSON keeps everything).
pub fn markdown_with_limit(review: &Review, base: &BaseInfo, limit: usize) -> String {
    let short: String = base.commit.chars().take(12).collect();
    let mut head = String::from("## secprop review\n\n");
    let _ = writeln!(
        head,
        "Changes since {} (merge base {}).\n",
        code(base.reference),
        code(&short)
    );
    let uncovered = review.uncovered_routes().count();
    if review.exit_code() == 1 {
        let mut why = Vec::new();
        if uncovered > 0 {
            why.push(format!("{uncovered} new route(s) selected by no property"));
        }
        if !review.findings_added.is_empty() {
            why.push(format!("{} new finding(s)", review.findings_added.len()));
        }
        let _ = writeln!(head, "**Fails:** {}.\n", why.join(", "));
    } else {
        head.push_str("**Passes:** no new uncovered route and no new finding.\n\n");
    }
    head.push_str("| | |\n|---|---:|\n");
    for (what, n) in [
        ("routes added", review.routes_added.len()),
        ("routes changed", review.routes_changed.len()),
        ("routes removed", review.routes_removed.len()),
        ("dependencies added", review.dependencies_added.len()),
        (
            "new external, prompt and log calls",
            review.calls_added.len(),
        ),
        ("new sensitive-field flows", review.sensitive_flows.len()),
        ("new findings", review.findings_added.len()),
        ("findings fixed", review.findings_fixed),
    ] {
        let _ = writeln!(head, "| {what} | {n} |");
    }
    head.push('\n');

    let mut sections = Vec::new();
    if !review.findings_added.is_empty() {
        let mut s = String::from("### New findings\n\n");
        for f in &review.findings_added {
            let route = f
                .route
                .as_deref()
                .map(|r| format!(" on {}", code(r)))
                .unwrap_or_default();
            let _ = writeln!(
                s,
                "- **{}** {} at {}{route}: {}",
                f.severity.as_str(),
                code(&f.property),
                code(&format!("{}:{}", f.file, f.line)),
                text(&f.message)
            );
        }
        s.push('\n');
        sections.push(s);
    }
    let routes: Vec<&RouteChange> = review
        .routes_added
        .iter()
        .chain(&review.routes_changed)
        .collect();
    if !routes.is_empty() {
        let mut s = String::from(
            "### New and changed routes\n\n| change | route | location | covered by | generated tests |\n|---|---|---|---|---|\n",
        );
        for r in routes {
            let change = if r.changed.is_empty() {
                "added".to_string()
            } else {
                format!("changed ({})", r.changed.join(", "))
            };
            let covered = if r.uncovered {
                "**nothing** (not public either)".to_string()
            } else if r.properties.is_empty() {
                "public".to_string()
            } else {
                r.properties
                    .iter()
                    .map(|p| code(p))
                    .collect::<Vec<_>>()
                    .join(", ")
            };
            let _ = writeln!(
                s,
                "| {change} | {} | {} | {covered} | {} |",
                code(&r.route),
                code(&format!("{}:{}", r.file, r.line)),
                r.tests
            );
        }
        s.push('\n');
        sections.push(s);
    }
    if !review.dependencies_added.is_empty() {
        let mut s = String::from("### Dependencies added\n\n");
        for d in &review.dependencies_added {
            let version = d
                .version
                .as_deref()
                .map(|v| format!(" {}", code(v)))
                .unwrap_or_default();
            let _ = writeln!(
                s,
                "- {} {}{version} in {}",
                d.ecosystem,
                code(&d.name),
                code(&d.file)
            );
        }
        s.push('\n');
        sections.push(s);
    }
    if !review.sensitive_flows.is_empty() {
        let mut s = String::from("### Sensitive fields reaching a sink\n\n");
        for c in &review.sensitive_flows {
            let fields: Vec<String> = c.sensitive.iter().map(|f| code(f)).collect();
            let _ = writeln!(
                s,
                "- {} to {} through {} at {}",
                fields.join(", "),
                text(&c.channel),
                code(&c.call),
                code(&format!("{}:{}", c.file, c.line))
            );
        }
        s.push('\n');
        sections.push(s);
    }
    if !review.calls_added.is_empty() {
        let mut s = String::from("### New external, prompt and log calls\n\n");
        for c in &review.calls_added {
            let _ = writeln!(
                s,
                "- {}: {} in {} at {}",
                text(&c.channel),
                code(&c.call),
                code(&c.function),
                code(&format!("{}:{}", c.file, c.line))
            );
        }
        s.push('\n');
        sections.push(s);
    }
    // The collapsed details: removed routes and each new route's guards.
    let mut details = String::new();
    for r in &review.routes_removed {
        let _ = writeln!(details, "- removed {} ({})", code(&r.route), code(&r.file));
    }
    for r in review.routes_added.iter().chain(&review.routes_changed) {
        let guards = if r.guards.is_empty() {
            "no chain guard".to_string()
        } else {
            r.guards
                .iter()
                .map(|g| code(g))
                .collect::<Vec<_>>()
                .join(" → ")
        };
        let _ = writeln!(
            details,
            "- {} [{}]: handler {}, {guards}",
            code(&r.route),
            text(&r.target),
            code(&r.handler)
        );
    }
    if !details.is_empty() {
        sections.push(format!(
            "<details><summary>Details</summary>\n\n{details}\n</details>\n"
        ));
    }

    // Keep under the limit: whole sections while they fit, then whole lines.
    const NOTE_ROOM: usize = 300;
    let budget = limit.saturating_sub(NOTE_ROOM);
    let mut out = head;
    let mut cut = 0usize;
    for s in sections {
        if cut == 0 && chars(&out) + chars(&s) <= budget {
            out.push_str(&s);
            continue;
        }
        for line in s.lines() {
            if cut == 0 && chars(&out) + chars(line) < budget {
                out.push_str(line);
                out.push('\n');
            } else if line.starts_with("- ") || line.starts_with("| ") {
                cut += 1;
            }
        }
        if s.contains("<details>") && !out.ends_with("</details>\n") && out.contains("<details>") {
            out.push_str("\n</details>\n");
        }
    }
    if cut > 0 {
        let _ = writeln!(
            out,
            "\n_{cut} more line(s) left out to fit a comment; `secprop review --format json` lists everything._"
        );
    }
    out
}

fn chars(s: &str) -> usize {
    s.chars().count()
}
