//! Finding and loading the files of a target: gitignore semantics, `include`/`exclude`
//! globs (spec-v1 §2), and the size, binary and minified-file guards.

use crate::ScanOptions;
use globset::{GlobSet, GlobSetBuilder};
use secprop_model::{ParseDamage, Span, Warning, WarningKind};
use std::path::{Path, PathBuf};

/// Files larger than this are skipped with a warning: they are generated or vendored
/// bundles, and a hand-written route file is never this large.
pub const MAX_FILE_BYTES: u64 = 2 * 1024 * 1024;
/// A line longer than this marks a minified file, which is skipped: spans on such lines
/// are meaningless and converting their columns would be quadratic.
pub const MAX_LINE_BYTES: usize = 20_000;

/// Brackets nested deeper than this mark a file that is skipped: the parsers and the
/// lowering recurse per level, and no hand-written route file comes near it, so an
/// explicit bound beats a stack overflow on a hostile file (issue 14: 100,000 levels).
pub const MAX_NESTING: usize = 256;

/// The deepest nesting of `(`, `[` and `{` in `bytes`, counted without regard to strings
/// or comments (a conservative over-estimate), stopping once past [`MAX_NESTING`].
fn nesting(bytes: &[u8]) -> usize {
    let (mut depth, mut max) = (0usize, 0usize);
    for b in bytes {
        match b {
            b'(' | b'[' | b'{' => {
                depth += 1;
                max = max.max(depth);
                if max > MAX_NESTING {
                    break;
                }
            }
            b')' | b']' | b'}' => depth = depth.saturating_sub(1),
            _ => {}
        }
    }
    max
}

/// A candidate file: absolute path and path relative to the scan root.
#[derive(Debug, Clone)]
pub struct Candidate {
    pub abs: PathBuf,
    /// Relative to the scan root, `/` separators (used for globs and module resolution).
    pub key: String,
}

/// The files of a target, sorted by key, and the warnings of finding them (bad globs,
/// folders that cannot be walked).
#[derive(Debug, Clone, Default)]
pub struct Discovered {
    pub files: Vec<Candidate>,
    pub warnings: Vec<Warning>,
}

/// Whether the file name in `path` ends with `.EXT` for one of `extensions`.
pub fn has_extension(path: &str, extensions: &[&str]) -> bool {
    let name = path.rsplit('/').next().unwrap_or(path);
    name.rsplit_once('.')
        .is_some_and(|(_, ext)| extensions.contains(&ext))
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

/// Walks `opts.root` with gitignore semantics (without requiring a git repository),
/// skipping `node_modules`, and keeps the files that `is_source` accepts and that match
/// the globs. Sorted by key. Set `SECPROP_TIMING=1` to print the time it takes.
pub fn discover(opts: &ScanOptions, is_source: &dyn Fn(&str) -> bool) -> Discovered {
    let t0 = std::time::Instant::now();
    let mut warnings = Vec::new();
    let root = &opts.root;
    let inc = build_globs(&opts.include, "include", &mut warnings);
    let exc = build_globs(&opts.exclude, "exclude", &mut warnings);
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
        if !is_source(&key) {
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
    if std::env::var_os("SECPROP_TIMING").is_some() {
        eprintln!("discover {:?}", t0.elapsed());
    }
    Discovered {
        files: out,
        warnings,
    }
}

/// A path with `/` separators.
pub fn slash_path(p: &Path) -> String {
    let mut s = String::new();
    for (i, c) in p.components().enumerate() {
        if i > 0 {
            s.push('/');
        }
        s.push_str(&c.as_os_str().to_string_lossy());
    }
    s
}

/// Why a file's content is not scanned, or its text (invalid UTF-8 replaced, so that the
/// rest of the file is still scanned).
pub fn check_content(bytes: Vec<u8>) -> Result<String, String> {
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

/// The [`WarningKind::SkippedFile`] warning for a file that is not scanned.
pub fn skipped(rel: String, message: String) -> Warning {
    Warning {
        kind: WarningKind::SkippedFile,
        file: rel,
        span: None,
        message,
    }
}

/// The [`WarningKind::ParseError`] warning for a file with a syntax error at `span`,
/// saying what it may have cost.
pub fn parse_error(rel: String, span: Span, damage: ParseDamage) -> Warning {
    Warning {
        kind: WarningKind::ParseError,
        file: rel,
        span: Some(span),
        message: format!(
            "syntax error at {}:{}; the parsable parts of the file are still used{}",
            span.line,
            span.column,
            damage.note()
        ),
    }
}

/// A file's path relative to the repository root, `/` separators; `key` when the file
/// is outside it.
pub fn rel_path(repo_root: &Path, c: &Candidate) -> String {
    match c.abs.strip_prefix(repo_root) {
        Ok(r) => slash_path(r),
        Err(_) => c.key.clone(),
    }
}

/// A loaded file.
#[derive(Debug, Clone)]
pub struct SourceText {
    /// Relative to the repository root, `/` separators.
    pub rel: String,
    pub text: String,
    /// A warning that does not stop the scan (the file is not valid UTF-8).
    pub warning: Option<Warning>,
}

/// Reads a candidate, or says why it is skipped (unreadable, larger than
/// [`MAX_FILE_BYTES`], binary, minified). `rel` is its path for the output.
pub fn read(c: &Candidate, rel: String) -> Result<SourceText, Warning> {
    let meta =
        std::fs::metadata(&c.abs).map_err(|e| skipped(rel.clone(), format!("cannot read: {e}")))?;
    if meta.len() > MAX_FILE_BYTES {
        return Err(skipped(
            rel,
            format!(
                "file is larger than {} MiB (generated or bundled code is not scanned)",
                MAX_FILE_BYTES / (1024 * 1024)
            ),
        ));
    }
    let bytes =
        std::fs::read(&c.abs).map_err(|e| skipped(rel.clone(), format!("cannot read: {e}")))?;
    // `syn` and the Python lowering recurse per level; the JavaScript frontend bounds its
    // own depth (lang-js `robustness.rs`), so only the others need this guard.
    if has_extension(&rel, &["py", "rs"]) && nesting(&bytes) > MAX_NESTING {
        return Err(skipped(
            rel,
            format!(
                "brackets nested deeper than {MAX_NESTING} levels (not scanned, so that a hostile file cannot overflow the stack)"
            ),
        ));
    }
    let valid = std::str::from_utf8(&bytes).is_ok();
    let text = check_content(bytes).map_err(|m| skipped(rel.clone(), m))?;
    // Every command scans through here, so every command says it the same way; the
    // checks decode the same way when they look for `secprop-ignore` comments.
    let warning = (!valid).then(|| Warning {
        kind: WarningKind::Encoding,
        file: rel.clone(),
        span: None,
        message:
            "not valid UTF-8: invalid bytes were read as U+FFFD and the rest of the file is scanned"
                .into(),
    });
    Ok(SourceText { rel, text, warning })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn extensions() {
        assert!(has_extension("a/b.ts", &["ts", "js"]));
        assert!(has_extension("b.d.ts", &["ts"]));
        assert!(!has_extension("a.b/Makefile", &["b"]));
        assert!(!has_extension("a/b.json", &["ts", "js"]));
    }

    #[test]
    fn content_guards() {
        assert!(check_content(b"a\0b".to_vec()).is_err());
        assert!(check_content(vec![b'x'; MAX_LINE_BYTES + 1]).is_err());
        assert_eq!(
            check_content(b"let a = 1;\n".to_vec()).unwrap(),
            "let a = 1;\n"
        );
        assert_eq!(check_content(b"a\xffb".to_vec()).unwrap(), "a\u{fffd}b");
        let deep = |n| format!("{}{}", "(\n".repeat(n), ")\n".repeat(n)).into_bytes();
        assert_eq!(nesting(&deep(MAX_NESTING)), MAX_NESTING);
        assert!(nesting(&deep(100_000)) > MAX_NESTING);
    }

    #[test]
    fn discovery_honours_gitignore_globs_and_the_frontend() {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path();
        for f in [
            "src/a.ts",
            "src/b.js",
            "src/c.md",
            "gen/d.ts",
            "node_modules/x/e.ts",
        ] {
            let p = root.join(f);
            std::fs::create_dir_all(p.parent().unwrap()).unwrap();
            std::fs::write(p, "x").unwrap();
        }
        std::fs::write(root.join(".gitignore"), "gen/\n").unwrap();
        let opts = ScanOptions {
            root: root.to_path_buf(),
            repo_root: root.to_path_buf(),
            include: vec![],
            exclude: vec!["**/b.js".into(), "[".into()],
            ..Default::default()
        };
        let found = discover(&opts, &|p| has_extension(p, &["ts", "js"]));
        let keys: Vec<&str> = found.files.iter().map(|c| c.key.as_str()).collect();
        assert_eq!(keys, vec!["src/a.ts"]);
        assert_eq!(found.warnings.len(), 1, "{:?}", found.warnings);
        assert!(
            found.warnings[0]
                .message
                .contains("invalid exclude glob `[`")
        );
        let text = read(&found.files[0], rel_path(root, &found.files[0])).unwrap();
        assert_eq!((text.rel.as_str(), text.text.as_str()), ("src/a.ts", "x"));
    }
}
