//! The safe writer: `generate` owns exactly the files in `out` whose first line is the
//! generated header (spec-v1 §9). It rewrites them, deletes those it no longer produces
//! (only those whose header names this spec, so two specs may share a folder), creates
//! the harness only when absent, and never touches any other file.
//!
//! Every check runs before the first write, so an error leaves the tree as it was, and
//! each file is written to a temporary file in its folder and renamed over the target,
//! so no reader ever sees half a file.

use crate::{GenerateError, LoadedSpec, Planned, display, runner};
use std::collections::{BTreeMap, BTreeSet};
use std::io::{Read, Write};
use std::path::{Path, PathBuf};

/// Whether [`crate::generate`] writes or only verifies.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Mode {
    /// Write changed files, delete orphans, create a missing harness.
    Write,
    /// Write nothing; report what `Write` would change (`generate --check`).
    Check,
}

/// Why a generated file is not up to date.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, serde::Serialize)]
#[serde(rename_all = "lowercase")]
pub enum StaleReason {
    /// It should exist and does not.
    Missing,
    /// It exists with other content (edited by hand, or the spec or code changed).
    Modified,
    /// It carries the header but is no longer produced.
    Orphaned,
    /// The harness file is absent (`generate` would write its scaffold).
    HarnessMissing,
}

/// A file [`Mode::Check`] found out of date; the source of `secprop/stale-tests`.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, serde::Serialize)]
pub struct Stale {
    /// Repository-relative, `/`-separated.
    pub path: String,
    pub reason: StaleReason,
}

/// What `generate` did or, in check mode, would do. Paths are repository-relative and
/// sorted.
#[derive(Debug, Clone, Default, PartialEq, Eq, serde::Serialize)]
pub struct Outcome {
    /// Files written because they were missing or different.
    pub written: Vec<String>,
    /// Generated files already up to date.
    pub unchanged: Vec<String>,
    /// Header-owned files deleted because they are no longer produced.
    pub deleted: Vec<String>,
    /// Harness scaffolds written because the harness was absent.
    pub scaffolded: Vec<String>,
    /// Check mode: files that are missing, modified or orphaned.
    pub stale: Vec<Stale>,
    /// Property id → the `(target, route key)` pairs that got at least one generated test
    /// (`GET /projects/{projectId}/report`), in both modes.
    pub tested: BTreeMap<String, BTreeSet<(String, String)>>,
    /// Property kind → how many tests the generated files hold.
    pub tests_per_kind: BTreeMap<String, usize>,
    /// Selected properties without a single generated test, and why, in spec order.
    pub untested: Vec<Untested>,
    /// Every route that gets generated tests, with whether the tests on disk are current
    /// (the source of `secprop/untested-route`), sorted by target and route.
    pub routes: Vec<RouteTests>,
}

/// The generated tests of one route and whether they are on disk as `generate` would
/// write them now.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct RouteTests {
    pub target: String,
    /// `METHOD /canonical/path`.
    pub route: String,
    /// The property ids with a generated test for this route, in plan order.
    pub properties: Vec<String>,
    /// The generated file holding them, repository-relative.
    pub file: String,
    pub state: TestsState,
}

/// Whether a route's generated tests are on disk.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, serde::Serialize)]
#[serde(rename_all = "lowercase")]
pub enum TestsState {
    /// Each of its tests is in its file, as generated now.
    Current,
    /// Its file does not exist.
    Missing,
    /// Its file exists but lacks this route's tests as generated now (the route was
    /// added or changed after the last `generate`, or the file was edited).
    Stale,
}

/// A property that selects routes but got no generated test (spec-v1 §9: the `generate`
/// summary names them, so nobody assumes coverage that is not there).
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct Untested {
    pub property: String,
    pub kind: String,
    pub reason: UntestedReason,
}

/// Why a selected property has no generated test.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "snake_case", tag = "reason")]
pub enum UntestedReason {
    /// Its kind has no generated test at all (spec-v1 §7: `forbidden_calls`).
    StaticOnly,
    /// Its kind has a generated test, but not for these runners yet.
    UnsupportedByRunner { runners: Vec<String> },
    /// Its kind is tested, but none of its routes could be (a missing parameter, an
    /// unresolved route: `secprop check` reports why).
    NoTestableRoute,
}

impl Outcome {
    /// Whether nothing is stale (`generate --check` exits 0).
    pub fn is_up_to_date(&self) -> bool {
        self.stale.is_empty()
    }

    /// Whether something is missing or stale (`generate --check` exits 1).
    pub fn is_stale(&self) -> bool {
        !self.stale.is_empty()
    }

    /// A human summary, one line per changed file and a closing count line.
    pub fn render(&self) -> String {
        let mut out = String::new();
        for p in &self.written {
            out.push_str(&format!("wrote {p}\n"));
        }
        for p in &self.deleted {
            out.push_str(&format!("deleted {p}\n"));
        }
        for p in &self.scaffolded {
            out.push_str(&format!(
                "created the harness scaffold {p}: implement its functions (HARNESS_API 1)\n"
            ));
        }
        for s in &self.stale {
            let why = match s.reason {
                StaleReason::Missing => "missing",
                StaleReason::Modified => "stale",
                StaleReason::Orphaned => "no longer generated",
                StaleReason::HarnessMissing => "harness missing",
            };
            out.push_str(&format!("{why}: {}\n", s.path));
        }
        if self.stale.is_empty() {
            out.push_str(&format!(
                "{} generated file(s) up to date, {} written, {} deleted\n",
                self.unchanged.len(),
                self.written.len(),
                self.deleted.len()
            ));
        } else {
            out.push_str(&format!(
                "{} file(s) out of date: run `secprop generate`\n",
                self.stale.len()
            ));
        }
        let total: usize = self.tests_per_kind.values().sum();
        let per_kind: Vec<String> = self
            .tests_per_kind
            .iter()
            .map(|(k, n)| format!("{n} {k}"))
            .collect();
        if per_kind.is_empty() {
            out.push_str("0 generated tests\n");
        } else {
            out.push_str(&format!(
                "{total} generated test(s): {}\n",
                per_kind.join(", ")
            ));
        }
        for u in &self.untested {
            let why = match &u.reason {
                UntestedReason::StaticOnly => "static only".to_string(),
                UntestedReason::UnsupportedByRunner { runners } => {
                    format!("not yet supported by runner {}", runners.join(", "))
                }
                UntestedReason::NoTestableRoute => {
                    "none of its routes can be tested (see `secprop check`)".to_string()
                }
            };
            out.push_str(&format!(
                "no generated test for {} ({}): {why}\n",
                u.property, u.kind
            ));
        }
        out
    }
}

const HEADER_START: &str = "Code generated by secprop from ";
const HEADER_END: &str = ". DO NOT EDIT.";

/// The text of the generated header's first line, without its comment marker, for a spec
/// path already escaped for a comment.
pub(crate) fn header_line(escaped_spec: &str) -> String {
    format!("{HEADER_START}{escaped_spec}{HEADER_END}")
}

/// Whether a first line is the generated header: `// Code generated by secprop from
/// <spec>. DO NOT EDIT.`, in the comment syntax of any registered runner.
pub fn is_generated_header(first_line: &str) -> bool {
    header_spec(first_line).is_some()
}

/// The spec named by a generated header line, as written (escaped). Every runner's
/// comment syntax is accepted, so files left by a target's previous runner are still
/// recognised as ours (and deleted as orphans).
fn header_spec(first_line: &str) -> Option<&str> {
    let line = first_line.trim_end_matches('\r');
    let rest = runner::all()
        .iter()
        .find_map(|p| line.strip_prefix(p.syntax().line_comment))?;
    rest.strip_prefix(HEADER_START)?.strip_suffix(HEADER_END)
}

/// `spec` as each registered runner's header writes it, without repeats.
fn header_specs(spec: &str) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    for p in runner::all() {
        let s = (p.syntax().comment_text)(spec);
        if !out.contains(&s) {
            out.push(s);
        }
    }
    out
}

/// Whether the file at `path` carries a generated header (of any spec).
fn is_owned(path: &Path) -> Result<bool, GenerateError> {
    Ok(owner(path)?.is_some())
}

/// The spec named by the generated header of the file at `path`: `None` for anything
/// else, symlinks included.
fn owner(path: &Path) -> Result<Option<String>, GenerateError> {
    let meta = match std::fs::symlink_metadata(path) {
        Ok(m) => m,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(None),
        Err(source) => {
            return Err(GenerateError::Io {
                path: path.to_path_buf(),
                source,
            });
        }
    };
    if !meta.is_file() {
        return Ok(None);
    }
    let mut buf = Vec::with_capacity(512);
    std::fs::File::open(path)
        .and_then(|f| f.take(512).read_to_end(&mut buf))
        .map_err(|source| GenerateError::Io {
            path: path.to_path_buf(),
            source,
        })?;
    let first = buf.split(|b| *b == b'\n').next().unwrap_or(&[]);
    Ok(std::str::from_utf8(first)
        .ok()
        .and_then(header_spec)
        .map(str::to_string))
}

/// Files under `dir` whose header names one of `specs` (the spec escaped as the headers
/// write it), recursively; symlinks are not followed and `node_modules` is skipped. Files
/// generated from another spec sharing the folder are left alone.
fn owned_files(dir: &Path, specs: &[String], out: &mut Vec<PathBuf>) -> Result<(), GenerateError> {
    let entries = match std::fs::read_dir(dir) {
        Ok(e) => e,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(()),
        Err(source) => {
            return Err(GenerateError::Io {
                path: dir.to_path_buf(),
                source,
            });
        }
    };
    let mut paths: Vec<PathBuf> = entries.filter_map(|e| e.ok()).map(|e| e.path()).collect();
    paths.sort();
    for p in paths {
        let Ok(meta) = std::fs::symlink_metadata(&p) else {
            continue;
        };
        if meta.is_dir() {
            if p.file_name().is_some_and(|n| n == "node_modules") {
                continue;
            }
            owned_files(&p, specs, out)?;
        } else if meta.is_file() && owner(&p)?.is_some_and(|o| specs.contains(&o)) {
            out.push(p);
        }
    }
    Ok(())
}

fn read(path: &Path) -> Result<Option<Vec<u8>>, GenerateError> {
    match std::fs::read(path) {
        Ok(b) => Ok(Some(b)),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(None),
        Err(source) => Err(GenerateError::Io {
            path: path.to_path_buf(),
            source,
        }),
    }
}

/// Writes `content` to `path` through a temporary file in the same folder and a rename.
fn write_atomic(path: &Path, content: &[u8]) -> Result<(), GenerateError> {
    let io = |source| GenerateError::Io {
        path: path.to_path_buf(),
        source,
    };
    let dir = path.parent().unwrap_or(Path::new("."));
    std::fs::create_dir_all(dir).map_err(io)?;
    let mut tmp = tempfile::Builder::new()
        .prefix(".secprop-")
        .suffix(".tmp")
        .tempfile_in(dir)
        .map_err(io)?;
    tmp.write_all(content).map_err(io)?;
    tmp.as_file().sync_all().map_err(io)?;
    tmp.persist(path).map_err(|e| io(e.error))?;
    Ok(())
}

/// The lock file that serialises concurrent `generate` runs on one repository: in the
/// git folder when there is one (never committed), else next to the spec.
pub fn lock_path(spec: &LoadedSpec) -> PathBuf {
    let git = spec.repo_root.join(".git");
    if git.is_dir() {
        return git.join("secprop-generate.lock");
    }
    if let Ok(text) = std::fs::read_to_string(&git)
        && let Some(dir) = text.trim().strip_prefix("gitdir: ")
    {
        let dir = spec.repo_root.join(dir);
        if dir.is_dir() {
            return dir.join("secprop-generate.lock");
        }
    }
    spec.dir.join(".secprop-generate.lock")
}

/// Takes the repository's generate lock; a second run waits for the first to finish
/// (saying so on stderr), then compares against what it wrote. Released on drop.
fn lock(spec: &LoadedSpec) -> Result<std::fs::File, GenerateError> {
    let path = lock_path(spec);
    let io = |source| GenerateError::Io {
        path: path.clone(),
        source,
    };
    let file = std::fs::OpenOptions::new()
        .create(true)
        .truncate(false)
        .write(true)
        .open(&path)
        .map_err(io)?;
    match file.try_lock() {
        Ok(()) => {}
        Err(std::fs::TryLockError::WouldBlock) => {
            eprintln!(
                "secprop generate: waiting for another run to release `{}`",
                path.display()
            );
            file.lock().map_err(io)?;
        }
        Err(std::fs::TryLockError::Error(e)) => return Err(io(e)),
    }
    Ok(file)
}

/// Compares, then (in write mode) applies: see the module docs.
pub(crate) fn apply(
    spec: &LoadedSpec,
    files: &[Planned],
    out_dirs: &[PathBuf],
    scaffolds: &[Planned],
    mode: Mode,
) -> Result<Outcome, GenerateError> {
    // Write mode holds the repository's lock from the first look at the disk to the last
    // write, so a concurrent run sees the tree before or after this one, never during.
    let _lock = match mode {
        Mode::Write => Some(lock(spec)?),
        Mode::Check => None,
    };
    // 1. Ownership: any file we would write must be absent or carry the header.
    let mut not_owned = Vec::new();
    for f in files {
        if std::fs::symlink_metadata(&f.abs).is_ok() && !is_owned(&f.abs)? {
            not_owned.push(display(spec, &f.abs));
        }
    }
    if !not_owned.is_empty() {
        return Err(GenerateError::NotOwned { paths: not_owned });
    }
    // 2. Orphans: files generated from this spec under an `out` folder that we no longer
    // produce.
    let header_specs = header_specs(&spec.display_path());
    let mut orphans = Vec::new();
    for dir in out_dirs {
        let mut owned = Vec::new();
        owned_files(dir, &header_specs, &mut owned)?;
        for p in owned {
            if !files.iter().any(|f| f.abs == p) && !orphans.contains(&p) {
                orphans.push(p);
            }
        }
    }
    orphans.sort();
    // 3. Compare.
    let mut outcome = Outcome::default();
    let mut to_write = Vec::new();
    for f in files {
        match read(&f.abs)? {
            Some(bytes) if bytes == f.content.as_bytes() => {
                outcome.unchanged.push(display(spec, &f.abs));
            }
            existing => {
                let reason = if existing.is_some() {
                    StaleReason::Modified
                } else {
                    StaleReason::Missing
                };
                outcome.stale.push(Stale {
                    path: display(spec, &f.abs),
                    reason,
                });
                to_write.push(f);
            }
        }
    }
    for o in &orphans {
        outcome.stale.push(Stale {
            path: display(spec, o),
            reason: StaleReason::Orphaned,
        });
    }
    for s in scaffolds {
        outcome.stale.push(Stale {
            path: display(spec, &s.abs),
            reason: StaleReason::HarnessMissing,
        });
    }
    if mode == Mode::Check {
        outcome.stale.sort();
        outcome.unchanged.sort();
        return Ok(outcome);
    }
    // 4. Write mode: apply.
    outcome.stale.clear();
    for f in to_write {
        write_atomic(&f.abs, f.content.as_bytes())?;
        outcome.written.push(display(spec, &f.abs));
    }
    for o in orphans {
        std::fs::remove_file(&o).map_err(|source| GenerateError::Io {
            path: o.clone(),
            source,
        })?;
        outcome.deleted.push(display(spec, &o));
    }
    for s in scaffolds {
        // Re-checked just before writing: the harness is never overwritten.
        if std::fs::symlink_metadata(&s.abs).is_err() {
            write_atomic(&s.abs, s.content.as_bytes())?;
            outcome.scaffolded.push(display(spec, &s.abs));
        }
    }
    outcome.written.sort();
    outcome.unchanged.sort();
    outcome.deleted.sort();
    Ok(outcome)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn header_detection() {
        assert!(is_generated_header(
            "// Code generated by secprop from secprop.yaml. DO NOT EDIT."
        ));
        assert!(is_generated_header(
            "// Code generated by secprop from a/secprop.yaml. DO NOT EDIT.\r"
        ));
        for p in runner::all() {
            let line = format!("{}{}", p.syntax().line_comment, header_line("s"));
            assert!(is_generated_header(&line), "{line}");
        }
        assert!(!is_generated_header(
            "// Code generated by other. DO NOT EDIT."
        ));
        assert!(!is_generated_header("import x from 'y';"));
        assert!(!is_generated_header(
            " // Code generated by secprop from secprop.yaml. DO NOT EDIT."
        ));
    }
}
