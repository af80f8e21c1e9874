//! Finding and loading the files of a target: gitignore semantics, `include`/`exclude`
//! globs (spec-v1 §2), and the size, binary and minified-file guards.

use globset::{GlobSet, GlobSetBuilder};
use secprop_model::{Warning, WarningKind};
use std::path::{Path, PathBuf};

/// Files larger than this are skipped with a warning: they are generated or vendored
/// bundles, and a hand-written route file is never this large.
pub(crate) const MAX_FILE_BYTES: u64 = 2 * 1024 * 1024;
/// A line longer than this marks a minified file, which is skipped: spans on such lines
/// are meaningless and converting their columns would be quadratic.
pub(crate) const MAX_LINE_BYTES: usize = 20_000;

/// The grammar a file is parsed with.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Lang {
    JavaScript,
    TypeScript,
    Tsx,
}

/// The grammar for a path, or `None` when the file is not JavaScript or TypeScript
/// (declaration files `.d.ts` included: they hold no code).
pub(crate) fn lang_of(path: &str) -> Option<Lang> {
    let name = path.rsplit('/').next().unwrap_or(path);
    if name.ends_with(".d.ts") || name.ends_with(".d.mts") || name.ends_with(".d.cts") {
        return None;
    }
    let ext = name.rsplit_once('.')?.1;
    match ext {
        "js" | "mjs" | "cjs" | "jsx" => Some(Lang::JavaScript),
        "ts" | "mts" | "cts" => Some(Lang::TypeScript),
        "tsx" => Some(Lang::Tsx),
        _ => None,
    }
}

/// A candidate file: absolute path and path relative to the scan root.
#[derive(Debug, Clone)]
pub(crate) struct Candidate {
    pub abs: PathBuf,
    /// Relative to the scan root, `/` separators (used for globs and module resolution).
    pub key: String,
}

fn build_globs(globs: &[String], what: &str, warnings: &mut Vec<Warning>) -> Option<GlobSet> {
    if globs.is_empty() {
        return None;
    }
    let mut b = GlobSetBuilder::new();
    for g in globs {
        match globset::GlobBuilder::new(g).literal_separator(true).build() {
            Ok(glob) => {
                b.add(glob);
            }
            Err(e) => warnings.push(Warning {
                kind: WarningKind::Other,
                file: String::new(),
                span: None,
                message: format!("invalid {what} glob `{g}`: {e}"),
            }),
        }
    }
    match b.build() {
        Ok(s) => Some(s),
        Err(e) => {
            warnings.push(Warning {
                kind: WarningKind::Other,
                file: String::new(),
                span: None,
                message: format!("invalid {what} globs: {e}"),
            });
            Some(
                GlobSetBuilder::new()
                    .build()
                    .unwrap_or_else(|_| GlobSet::empty()),
            )
        }
    }
}

/// Walks `root` with gitignore semantics (without requiring a git repository), skipping
/// `node_modules`, and keeps JavaScript/TypeScript files matching the globs. Sorted by key.
pub(crate) fn discover(
    root: &Path,
    include: &[String],
    exclude: &[String],
    warnings: &mut Vec<Warning>,
) -> Vec<Candidate> {
    let inc = build_globs(include, "include", warnings);
    let exc = build_globs(exclude, "exclude", warnings);
    let mut out = Vec::new();
    let walker = ignore::WalkBuilder::new(root)
        .require_git(false)
        .filter_entry(|e| e.file_name() != "node_modules")
        .build();
    for entry in walker {
        let entry = match entry {
            Ok(e) => e,
            Err(e) => {
                warnings.push(Warning {
                    kind: WarningKind::SkippedFile,
                    file: String::new(),
                    span: None,
                    message: format!("cannot walk: {e}"),
                });
                continue;
            }
        };
        if !entry.file_type().is_some_and(|t| t.is_file()) {
            continue;
        }
        let abs = entry.path().to_path_buf();
        let Ok(relp) = abs.strip_prefix(root) else {
            continue;
        };
        let key = slash_path(relp);
        if lang_of(&key).is_none() {
            continue;
        }
        if let Some(inc) = &inc
            && !inc.is_match(&key)
        {
            continue;
        }
        if let Some(exc) = &exc
            && exc.is_match(&key)
        {
            continue;
        }
        out.push(Candidate { abs, key });
    }
    out.sort_by(|a, b| a.key.cmp(&b.key));
    out
}

/// A path with `/` separators.
pub(crate) fn slash_path(p: &Path) -> String {
    let mut s = String::new();
    for (i, c) in p.components().enumerate() {
        if i > 0 {
            s.push('/');
        }
        s.push_str(&c.as_os_str().to_string_lossy());
    }
    s
}

/// Why a file's content is not scanned, or its text.
pub(crate) fn check_content(bytes: Vec<u8>) -> Result<String, String> {
    if bytes.len() as u64 > MAX_FILE_BYTES {
        return Err(format!(
            "file is larger than {} MiB (generated or bundled code is not scanned)",
            MAX_FILE_BYTES / (1024 * 1024)
        ));
    }
    if bytes.contains(&0) {
        return Err("binary file (contains NUL bytes)".into());
    }
    if bytes
        .split(|b| *b == b'\n')
        .any(|l| l.len() > MAX_LINE_BYTES)
    {
        return Err(format!(
            "minified file (a line is longer than {MAX_LINE_BYTES} bytes)"
        ));
    }
    Ok(match String::from_utf8(bytes) {
        Ok(s) => s,
        Err(e) => String::from_utf8_lossy(e.as_bytes()).into_owned(),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn languages() {
        assert_eq!(lang_of("a/b.ts"), Some(Lang::TypeScript));
        assert_eq!(lang_of("a/b.d.ts"), None);
        assert_eq!(lang_of("a/b.tsx"), Some(Lang::Tsx));
        assert_eq!(lang_of("a/b.cjs"), Some(Lang::JavaScript));
        assert_eq!(lang_of("a/b.json"), None);
        assert_eq!(lang_of("Makefile"), None);
    }

    #[test]
    fn content_guards() {
        assert!(check_content(b"a\0b".to_vec()).is_err());
        assert!(check_content(vec![b'x'; MAX_LINE_BYTES + 1]).is_err());
        assert_eq!(
            check_content(b"let a = 1;\n".to_vec()).unwrap(),
            "let a = 1;\n"
        );
    }
}
