//! Loading `secprop.yaml` in passes (spec-v1 §3): a located YAML tree (stopping at the
//! first syntax error), its JSON form with every position, validation against the JSON
//! Schema plus the semantic rules (every problem at once, sorted by line), and finally
//! deserialisation into [`Spec`].

use crate::diag::{SpecError, SpecErrors};
use crate::discover::repo_root_for;
use crate::types::Spec;
use crate::validate::{self, Paths, Supported};
use crate::yaml::{self, Pos, Positions, Problem, Span};
use crate::{LoadedSpec, Location};
use serde_json::Value;
use std::collections::BTreeMap;
use std::path::{Component, Path, PathBuf};

/// Reads and loads the spec at `path`: every problem, located, or the validated spec.
/// Every framework and runner the schema names is accepted; see [`load_with`].
pub fn load(path: &Path) -> Result<LoadedSpec, SpecErrors> {
    load_with(path, &Supported::default())
}

/// [`load`], where a target naming a framework or runner outside `supported` is an error
/// at its line, listing what is supported.
pub fn load_with(path: &Path, supported: &Supported<'_>) -> Result<LoadedSpec, SpecErrors> {
    match std::fs::read(path) {
        Ok(bytes) => load_bytes_with(path, &bytes, supported),
        Err(e) => Err(SpecErrors::new(
            String::new(),
            vec![SpecError::unlocated(
                display_path(path),
                "unreadable-spec",
                format!("cannot read the spec: {}", io_reason(&e)),
                Some("check the path given with `--spec`".into()),
            )],
        )),
    }
}

fn io_reason(e: &std::io::Error) -> String {
    match e.kind() {
        std::io::ErrorKind::NotFound => "no such file".into(),
        std::io::ErrorKind::PermissionDenied => "permission denied".into(),
        _ => e.to_string(),
    }
}

/// Loads a spec whose content is `bytes`, as if read from `path` (which places the
/// spec's folder and repository root for the path rules).
pub fn load_bytes(path: &Path, bytes: &[u8]) -> Result<LoadedSpec, SpecErrors> {
    load_bytes_with(path, bytes, &Supported::default())
}

/// [`load_bytes`] with the frameworks and runners the caller supports.
pub fn load_bytes_with(
    path: &Path,
    bytes: &[u8],
    supported: &Supported<'_>,
) -> Result<LoadedSpec, SpecErrors> {
    let file = display_path(path);
    let source = match std::str::from_utf8(bytes) {
        Ok(s) => s,
        Err(e) => {
            let valid = String::from_utf8_lossy(&bytes[..e.valid_up_to()]).into_owned();
            let at = end_pos(&valid);
            let source = String::from_utf8_lossy(bytes).into_owned();
            let problem = Problem::new(
                "not-utf8",
                Span { start: at, end: at },
                "the spec is not UTF-8 text",
            )
            .label("invalid byte here")
            .hint("save the file as UTF-8");
            return Err(errors(&file, source, vec![problem]));
        }
    };
    // A byte-order mark is not part of the YAML text.
    let source = source.strip_prefix('\u{feff}').unwrap_or(source);

    let abs = absolute(path);
    let dir = abs
        .parent()
        .map(Path::to_path_buf)
        .unwrap_or_else(|| abs.clone());
    let repo_root = repo_root_for(&dir);

    let doc = match yaml::parse(source) {
        Ok(doc) => doc,
        Err(p) => return Err(errors(&file, source.to_string(), vec![*p])),
    };
    let mut problems = doc.problems;
    let (value, positions) = match &doc.root {
        Some(root) => yaml::to_json(root, &mut problems),
        None => (Value::Null, Positions::default()),
    };
    problems.extend(crate::schema::validate(&value, &positions));
    problems.extend(validate::check(
        &value,
        &positions,
        &Paths {
            dir: &dir,
            repo_root: &repo_root,
            supported,
        },
    ));
    if !problems.is_empty() {
        return Err(errors(&file, source.to_string(), problems));
    }
    let spec: Spec = match serde_json::from_value(value) {
        Ok(s) => s,
        Err(e) => {
            // The schema and the rules accept only what the types accept; reaching this
            // is a bug, still reported as a spec error rather than a panic.
            let p = Problem::new(
                "internal",
                positions.value(""),
                format!("the spec passed validation but does not deserialize: {e}"),
            )
            .hint("this is a bug in secprop: please report it with the spec");
            return Err(errors(&file, source.to_string(), vec![p]));
        }
    };
    let location = |s: &Span| Location {
        line: s.start.line,
        column: s.start.column,
    };
    let locations: BTreeMap<String, Location> = positions
        .values
        .iter()
        .map(|(k, s)| (k.clone(), location(s)))
        .collect();
    let key_locations: BTreeMap<String, Location> = positions
        .keys
        .iter()
        .map(|(k, s)| (k.clone(), location(s)))
        .collect();
    Ok(LoadedSpec {
        spec,
        path: abs,
        dir,
        repo_root,
        source: source.to_string(),
        locations,
        key_locations,
    })
}

/// The path made absolute, with `.` and `..` removed lexically (no symlink resolution:
/// the spec's folder is where the user put it).
fn absolute(path: &Path) -> PathBuf {
    let abs = std::path::absolute(path).unwrap_or_else(|_| path.to_path_buf());
    let mut out = PathBuf::new();
    for c in abs.components() {
        match c {
            Component::CurDir => {}
            Component::ParentDir => {
                out.pop();
            }
            other => out.push(other),
        }
    }
    out
}

/// The path as shown in messages: relative to the current folder when under it.
fn display_path(path: &Path) -> PathBuf {
    if path.is_absolute()
        && let Ok(cwd) = std::env::current_dir()
        && let Ok(rel) = path.strip_prefix(&cwd)
    {
        return rel.to_path_buf();
    }
    path.to_path_buf()
}

/// The position just after `text` (1-based).
fn end_pos(text: &str) -> Pos {
    let line = text.matches('\n').count() + 1;
    let last = text.rsplit('\n').next().unwrap_or("");
    Pos {
        line: u32::try_from(line).unwrap_or(u32::MAX),
        column: u32::try_from(last.chars().count() + 1).unwrap_or(u32::MAX),
    }
}

fn errors(file: &Path, source: String, problems: Vec<Problem>) -> SpecErrors {
    let index = LineIndex::new(&source);
    let list = problems
        .into_iter()
        .map(|p| {
            let span = index.range(&p.span);
            let related = p
                .related
                .iter()
                .map(|(s, l)| (index.range(s), l.clone()))
                .collect();
            SpecError {
                file: file.to_path_buf(),
                line: p.span.start.line.max(1),
                column: p.span.start.column.max(1),
                message: p.message,
                hint: p.hint,
                code: p.code,
                label: p.label,
                span: Some(span),
                related,
            }
        })
        .collect();
    SpecErrors::new(source, list)
}

/// Byte offsets of line starts, to turn 1-based line/column (code points) into byte
/// ranges for code frames.
struct LineIndex<'a> {
    source: &'a str,
    starts: Vec<usize>,
}

impl<'a> LineIndex<'a> {
    fn new(source: &'a str) -> LineIndex<'a> {
        let mut starts = vec![0];
        starts.extend(source.match_indices('\n').map(|(i, _)| i + 1));
        LineIndex { source, starts }
    }

    /// The byte offset of a position, clamped to its line and to the text.
    fn offset(&self, p: Pos) -> usize {
        let line = (p.line as usize).clamp(1, self.starts.len());
        let start = self.starts[line - 1];
        let end = self.starts.get(line).copied().unwrap_or(self.source.len());
        let text = self.source.get(start..end).unwrap_or("");
        let col = (p.column as usize).max(1) - 1;
        let within = text
            .char_indices()
            .nth(col)
            .map(|(i, _)| i)
            .unwrap_or_else(|| text.trim_end_matches(['\n', '\r']).len());
        start + within
    }

    /// A byte range for a span; an empty one widens to the character it sits on.
    fn range(&self, s: &Span) -> std::ops::Range<usize> {
        let a = self.offset(s.start);
        let mut b = self.offset(s.end).max(a);
        if b == a
            && let Some(c) = self.source.get(a..).and_then(|t| t.chars().next())
            && c != '\n'
            && c != '\r'
        {
            b = a + c.len_utf8();
        }
        a..b
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn line_index_counts_code_points() {
        let src = "a: é\nbé: x\n";
        let idx = LineIndex::new(src);
        assert_eq!(
            idx.offset(Pos { line: 2, column: 5 }),
            src.find('x').expect("x")
        );
        assert_eq!(idx.offset(Pos { line: 9, column: 9 }), src.len());
        let r = idx.range(&Span {
            start: Pos { line: 1, column: 4 },
            end: Pos { line: 1, column: 4 },
        });
        assert_eq!(&src[r], "é");
    }
}
