//! `check --format github`: GitHub Actions workflow commands that annotate the pull
//! request's diff, one per primary location (several properties broken by one call are
//! one annotation naming each):
//!
//! ```text
//! ::error file=src/app.js,line=12,col=24,endLine=12,endColumn=72,title=secprop%3A tenant-isolation::MESSAGE
//! ```
//!
//! The command is `error` for critical and high, `warning` for medium, `notice` for low
//! and info; waived and ignored findings are not annotated. Warnings of the run (skipped
//! files) are `::warning` commands without a file.
//!
//! Escaping follows the runner's rules: in the message `%`, `\r` and `\n` become `%25`,
//! `%0D` and `%0A` (a multi-line message stays one command); in property values `:`
//! and `,` become `%3A` and `%2C` as well, so a hostile route or file name cannot end a
//! property early or inject a second command.

use crate::{places, worst};
use secprop_check::{Finding, Status};
use secprop_spec::Severity;
use std::fmt::Write as _;

/// The workflow command for a severity.
pub fn command(s: Severity) -> &'static str {
    match s {
        Severity::Critical | Severity::High => "error",
        Severity::Medium => "warning",
        Severity::Low | Severity::Info => "notice",
    }
}

/// One command per line, each line ending in `\n`.
pub fn render(findings: &[Finding], errors: &[String]) -> String {
    let mut out = String::new();
    for e in errors {
        let _ = writeln!(out, "::warning title=secprop::{}", escape_data(e));
    }
    for place in places(findings.iter().filter(|f| f.status == Status::Open)) {
        let f = place[0];
        let ids: Vec<&str> = place.iter().map(|f| f.property.as_str()).collect();
        let title = format!("secprop: {}", ids.join(", "));
        let mut message = String::new();
        for (i, f) in place.iter().enumerate() {
            if i > 0 {
                message.push_str("\n\n");
            }
            let _ = write!(
                message,
                "[{}] {} ({})",
                f.property,
                f.message,
                f.severity.as_str()
            );
            if let Some(route) = &f.route
                && !message.contains(&format!("route: {route}"))
            {
                let _ = write!(message, "\nroute: {route} [{}]", f.target);
            }
            if let Some(help) = &f.help {
                let _ = write!(message, "\nhelp: {help}");
            }
        }
        let _ = writeln!(
            out,
            "::{} file={},line={},col={},endLine={},endColumn={},title={}::{}",
            command(worst(&place)),
            escape_property(&f.file),
            f.line,
            f.column,
            f.end_line,
            f.end_column,
            escape_property(&title),
            escape_data(&message)
        );
    }
    out
}

/// A command's message: `%`, `\r`, `\n`.
pub fn escape_data(s: &str) -> String {
    s.replace('%', "%25")
        .replace('\r', "%0D")
        .replace('\n', "%0A")
}

/// A property value: the message escapes plus `:` and `,`.
pub fn escape_property(s: &str) -> String {
    escape_data(s).replace(':', "%3A").replace(',', "%2C")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escapes() {
        assert_eq!(escape_data("100%\r\n::x"), "100%25%0D%0A::x");
        assert_eq!(escape_property("a,b:c%\n"), "a%2Cb%3Ac%25%0A");
    }
}
