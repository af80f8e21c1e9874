//! Spec diagnostics: one problem with its file:line:column, code frame and hint, and the
//! rustc-style rendering of a list of them (spec-v1 §3).

use crate::Location;
use annotate_snippets::{AnnotationKind, Level, Renderer, Snippet};
use std::fmt;
use std::ops::Range;
use std::path::{Path, PathBuf};

/// One problem with a spec file, or with finding one.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{}", self.summary())]
pub struct SpecError {
    /// The spec file as the user named it (or as discovery found it).
    pub file: PathBuf,
    /// 1-based line; 0 when the problem concerns the file as a whole (not found, unreadable).
    pub line: u32,
    /// 1-based column in Unicode code points; 0 together with `line`.
    pub column: u32,
    /// What is wrong, quoting the bad input.
    pub message: String,
    /// How to fix it (`help:` line).
    pub hint: Option<String>,
    /// A short stable name of the error class (`unknown-key`, `yaml-syntax`, ...).
    pub code: &'static str,
    /// The label under the code frame's primary annotation.
    pub label: String,
    /// Byte range of the primary annotation in the source, when located.
    pub span: Option<Range<usize>>,
    /// Secondary annotations (`first defined here`), byte ranges in the source.
    pub related: Vec<(Range<usize>, String)>,
}

impl SpecError {
    /// A problem that concerns a file as a whole, without a location.
    pub fn unlocated(
        file: impl Into<PathBuf>,
        code: &'static str,
        message: impl Into<String>,
        hint: Option<String>,
    ) -> SpecError {
        SpecError {
            file: file.into(),
            line: 0,
            column: 0,
            message: message.into(),
            hint,
            code,
            label: String::new(),
            span: None,
            related: Vec::new(),
        }
    }

    /// The location, when the problem has one.
    pub fn location(&self) -> Option<Location> {
        (self.line > 0).then_some(Location {
            line: self.line,
            column: self.column,
        })
    }

    /// `file:line:column: message`, the one-line form.
    pub fn summary(&self) -> String {
        let file = display_file(&self.file);
        match self.location() {
            Some(l) => format!("{file}:{}:{}: {}", l.line, l.column, self.message),
            None => format!("{file}: {}", self.message),
        }
    }

    /// Renders this problem alone (no source available: no code frame), without a
    /// trailing newline; `color` adds ANSI styles.
    pub fn render(&self, color: bool) -> String {
        render_one(self, None, color)
    }
}

/// Every problem found in one spec file, with the file's text for code frames.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SpecErrors {
    /// The file's text (empty when it could not be read).
    pub source: String,
    errors: Vec<SpecError>,
}

impl SpecErrors {
    /// Wraps problems found in `source`, sorting them by line and column.
    pub fn new(source: String, mut errors: Vec<SpecError>) -> SpecErrors {
        errors.sort_by(|a, b| {
            (a.line, a.column, a.code, &a.message).cmp(&(b.line, b.column, b.code, &b.message))
        });
        errors.dedup();
        SpecErrors { source, errors }
    }

    /// The problems, sorted by line and column.
    pub fn iter(&self) -> std::slice::Iter<'_, SpecError> {
        self.errors.iter()
    }

    /// How many problems there are.
    pub fn len(&self) -> usize {
        self.errors.len()
    }

    /// Whether there is no problem (never the case for a returned error).
    pub fn is_empty(&self) -> bool {
        self.errors.is_empty()
    }

    /// Renders every problem rustc-style with code frames and `help:` lines, followed by
    /// a count; ends with a newline. `color` adds ANSI styles.
    pub fn render(&self, color: bool) -> String {
        let mut out = String::new();
        for e in &self.errors {
            out.push_str(&render_one(e, Some(&self.source), color));
            out.push_str("\n\n");
        }
        // A lone unlocated problem (unreadable file) is complete on its own.
        if self.errors.iter().all(|e| e.location().is_none()) {
            return out;
        }
        let n = self.errors.len();
        let file = self
            .errors
            .first()
            .map(|e| display_file(&e.file))
            .unwrap_or_default();
        out.push_str(&format!(
            "error: {file}: {n} problem{} in the spec\n",
            if n == 1 { "" } else { "s" }
        ));
        out
    }
}

impl fmt::Display for SpecErrors {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.render(false))
    }
}

impl std::error::Error for SpecErrors {}

impl<'a> IntoIterator for &'a SpecErrors {
    type Item = &'a SpecError;
    type IntoIter = std::slice::Iter<'a, SpecError>;
    fn into_iter(self) -> Self::IntoIter {
        self.errors.iter()
    }
}

impl IntoIterator for SpecErrors {
    type Item = SpecError;
    type IntoIter = std::vec::IntoIter<SpecError>;
    fn into_iter(self) -> Self::IntoIter {
        self.errors.into_iter()
    }
}

/// The path with `/` separators, as the user sees it.
fn display_file(p: &Path) -> String {
    p.to_string_lossy().replace('\\', "/")
}

fn render_one(e: &SpecError, source: Option<&str>, color: bool) -> String {
    let renderer = if color {
        Renderer::styled()
    } else {
        Renderer::plain()
    };
    let file = display_file(&e.file);
    let message = annotate_snippets::normalize_untrusted_str(&e.message);
    let title = Level::ERROR.primary_title(message.as_str()).id(e.code);
    let label = annotate_snippets::normalize_untrusted_str(&e.label);
    let related: Vec<(Range<usize>, String)> = e
        .related
        .iter()
        .map(|(r, l)| (r.clone(), annotate_snippets::normalize_untrusted_str(l)))
        .collect();
    let mut group = match (source, &e.span) {
        (Some(src), Some(span)) if span.end <= src.len() => {
            let mut snippet = Snippet::source(src)
                .path(file.as_str())
                .fold(true)
                .annotation(
                    AnnotationKind::Primary
                        .span(span.clone())
                        .label(label.as_str()),
                );
            for (r, l) in &related {
                if r.end <= src.len() {
                    snippet = snippet
                        .annotation(AnnotationKind::Context.span(r.clone()).label(l.as_str()));
                }
            }
            title.element(snippet)
        }
        _ => {
            let mut origin = annotate_snippets::Origin::path(file.as_str());
            if let Some(l) = e.location() {
                origin = origin.line(l.line as usize).char_column(l.column as usize);
            }
            title.element(origin)
        }
    };
    let hint = e
        .hint
        .as_deref()
        .map(annotate_snippets::normalize_untrusted_str);
    if let Some(h) = &hint {
        group = group.element(Level::HELP.message(h.as_str()));
    }
    renderer.render(&[group])
}
