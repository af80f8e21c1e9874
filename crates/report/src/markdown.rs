//! `check --format markdown`: a report to post as a pull-request comment. A summary
//! table of open findings by severity, each property's coverage, then one section per
//! primary location (several properties broken by one call are listed together) with
//! `file:line`, the messages, the route and the fix; waived and ignored findings in a
//! collapsed `<details>` block. The comment stays under GitHub's 65,536-character limit:
//! what does not fit is cut, with a note saying how much.
//!
//! Text from the analysed code (route names, messages quoting calls) is escaped so it
//! cannot close a block, start HTML, or spill over lines.

use crate::{Summary, places, printable, worst};
use secprop_check::{Coverage, Finding, Status};
use std::fmt::Write as _;

/// GitHub's limit on a comment body, in characters.
pub const GITHUB_COMMENT_LIMIT: usize = 65_536;

/// The report, at most [`GITHUB_COMMENT_LIMIT`] characters.
pub fn render(findings: &[Finding], coverage: &[Coverage]) -> String {
    render_with_limit(findings, coverage, GITHUB_COMMENT_LIMIT)
}

/// The report, at most `limit` characters (a few hundred at least, for the summary):
/// sections that would pass it are left out and counted in a closing note.
pub fn render_with_limit(findings: &[Finding], coverage: &[Coverage], limit: usize) -> String {
    let summary = Summary::of(findings, coverage);
    let open = places(findings.iter().filter(|f| f.status == Status::Open));
    let silenced = places(findings.iter().filter(|f| f.status != Status::Open));

    let mut head = String::from("## secprop check\n\n");
    head.push_str(&headline(&summary, open.len()));
    head.push_str("\n\n");
    if summary.open > 0 {
        head.push_str("| severity | open findings |\n|---|---:|\n");
        for (name, n) in [
            ("critical", summary.critical),
            ("high", summary.high),
            ("medium", summary.medium),
            ("low", summary.low),
            ("info", summary.info),
        ] {
            if n > 0 {
                let _ = writeln!(head, "| {name} | {n} |");
            }
        }
        head.push('\n');
    }
    head.push_str(&coverage_table(coverage));

    // Reserve room for the truncation note, so adding it never passes the limit.
    const NOTE_ROOM: usize = 300;
    let budget = limit.saturating_sub(NOTE_ROOM);
    let mut out = head;
    let mut left_out = 0usize;
    if !open.is_empty() {
        out.push_str("### Findings\n\n");
        for place in &open {
            let section = place_section(place);
            if left_out > 0 || chars(&out) + chars(&section) > budget {
                left_out += 1;
            } else {
                out.push_str(&section);
            }
        }
    }
    if !silenced.is_empty() {
        let n: usize = silenced.iter().map(Vec::len).sum();
        let mut block = format!(
            "<details>\n<summary>{} waived, {} ignored finding{}</summary>\n\n",
            summary.waived,
            summary.ignored,
            if n == 1 { "" } else { "s" }
        );
        let mut shown = 0usize;
        for place in &silenced {
            let mut item = String::new();
            for f in place {
                let why = match (&f.status, &f.waiver) {
                    (Status::Waived, Some(w)) => format!(
                        "waived until {} by {}: {}",
                        text(&w.expires),
                        text(&w.owner),
                        text(&w.reason)
                    ),
                    (Status::Waived, None) => "waived".to_string(),
                    _ => "ignored by a `secprop-ignore` comment".to_string(),
                };
                let _ = writeln!(
                    item,
                    "- {} **{}** {}: {} ({why})",
                    code(&format!("{}:{}", f.file, f.line)),
                    text(&f.property),
                    f.severity.as_str(),
                    text(&f.message)
                );
            }
            let closing = "\n</details>\n";
            if left_out > 0 || chars(&out) + chars(&block) + chars(&item) + chars(closing) > budget
            {
                left_out += 1;
            } else {
                block.push_str(&item);
                shown += 1;
            }
        }
        if shown > 0 || left_out == 0 {
            block.push_str("\n</details>\n\n");
            out.push_str(&block);
        }
    }
    if left_out > 0 {
        let _ = writeln!(
            out,
            "> **Truncated:** {left_out} more location{} not shown, to stay under GitHub's \
             {GITHUB_COMMENT_LIMIT}-character comment limit. Run `secprop check` for the \
             full report.",
            if left_out == 1 { " is" } else { "s are" }
        );
    }
    out
}

fn chars(s: &str) -> usize {
    s.chars().count()
}

fn headline(s: &Summary, places: usize) -> String {
    let silenced = if s.waived + s.ignored > 0 {
        format!(" ({} waived, {} ignored)", s.waived, s.ignored)
    } else {
        String::new()
    };
    match s.open {
        0 => format!("**No open findings.**{silenced}"),
        n => format!(
            "**{n} open finding{}** at {places} location{}{silenced}",
            if n == 1 { "" } else { "s" },
            if places == 1 { "" } else { "s" }
        ),
    }
}

/// Per property: routes selected, checked statically, and tested.
fn coverage_table(coverage: &[Coverage]) -> String {
    if coverage.is_empty() {
        return String::new();
    }
    let mut out = String::from(
        "### Coverage\n\n| property | kind | selected | checked | tested |\n|---|---|---:|---:|---:|\n",
    );
    for c in coverage {
        let checked = if c.static_check {
            c.checked.to_string()
        } else {
            "no static check".to_string()
        };
        let tested = c
            .tested
            .map_or("no tests configured".to_string(), |n| n.to_string());
        let warn = c.selected == 0
            || (c.static_check && c.checked < c.selected)
            || c.tested.is_some_and(|t| t < c.selected);
        let _ = writeln!(
            out,
            "| {}{} | {} | {} | {checked} | {tested} |",
            if warn { "⚠️ " } else { "" },
            code(&c.property),
            code(&c.kind),
            c.selected
        );
    }
    out.push('\n');
    out
}

fn place_section(place: &[&Finding]) -> String {
    let f = place[0];
    let mut out = String::new();
    let ids: Vec<String> = place.iter().map(|f| code(&f.property)).collect();
    let _ = writeln!(
        out,
        "#### {} {} — {}\n",
        worst(place).as_str(),
        ids.join(", "),
        code(&format!("{}:{}", f.file, f.line))
    );
    for f in place {
        let _ = writeln!(
            out,
            "- **{}** ({}, {}): {}",
            text(&f.property),
            code(&f.kind),
            f.severity.as_str(),
            text(&f.message)
        );
        if let Some(help) = &f.help {
            let _ = writeln!(out, "  - **help:** {}", text(help));
        }
    }
    let mut routes: Vec<String> = Vec::new();
    for f in place {
        if let Some(r) = &f.route {
            let r = format!("{} ({})", code(r), text(&f.target));
            if !routes.contains(&r) {
                routes.push(r);
            }
        }
    }
    if !routes.is_empty() {
        let _ = writeln!(out, "\nRoute: {}", routes.join(", "));
    }
    let mut related: Vec<String> = Vec::new();
    for r in place.iter().flat_map(|f| &f.related) {
        let line = format!(
            "- {}: {}",
            code(&format!("{}:{}", r.file, r.line)),
            text(&r.message)
        );
        if !related.contains(&line) {
            related.push(line);
        }
    }
    if !related.is_empty() {
        let _ = writeln!(out, "\nRelated:\n{}", related.join("\n"));
    }
    out.push('\n');
    out
}

/// Prose from findings: one line, no raw HTML, no table breaks. Backtick code spans in
/// messages are kept (they quote calls); `<`, `>` and `&` become entities and `|` is
/// escaped.
pub fn text(s: &str) -> String {
    let s = printable(s);
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '&' => out.push_str("&amp;"),
            '|' => out.push_str("\\|"),
            '@' => out.push_str("@\u{200b}"),
            c => out.push(c),
        }
    }
    out
}

/// A code span holding `s` literally on one line: the fence is longer than any run of
/// backticks inside, and `|` (which would split a table cell even in code) is escaped.
pub fn code(s: &str) -> String {
    let s = printable(s).replace('|', "\\|");
    let mut longest = 0;
    let mut run = 0;
    for c in s.chars() {
        if c == '`' {
            run += 1;
            longest = longest.max(run);
        } else {
            run = 0;
        }
    }
    let fence = "`".repeat(longest + 1);
    if longest > 0 {
        format!("{fence} {s} {fence}")
    } else {
        format!("{fence}{s}{fence}")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn code_spans_hold_backticks_and_pipes() {
        assert_eq!(code("GET /a"), "`GET /a`");
        assert_eq!(code("a`b"), "`` a`b ``");
        assert_eq!(code("a|b"), "`a\\|b`");
        assert_eq!(code("a\nb"), "`a\\nb`");
    }

    #[test]
    fn text_cannot_open_html() {
        assert_eq!(
            text("</details><img src=x> @org"),
            "&lt;/details&gt;&lt;img src=x&gt; @\u{200b}org"
        );
    }
}
