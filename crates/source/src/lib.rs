//! What every frontend shares: the [`Frontend`] interface, the options of a scan, and
//! finding and loading a target's source files (spec-v1 §2 `root`, `include`, `exclude`).
//!
//! A frontend (one crate per language, e.g. `secprop-lang-js`) turns files into the
//! language-neutral [`Project`]; this crate finds the files and reads them with the same
//! rules for every language: gitignore semantics, `include`/`exclude` globs, and files that
//! are too large, binary or minified skipped with a [`WarningKind::SkippedFile`] warning.
//! It knows no language and no property kind. The binary wires frontends to framework
//! names in one registry (`secprop-frontends`).
//!
//! [`WarningKind::SkippedFile`]: secprop_model::WarningKind::SkippedFile

mod files;

pub use files::{
    Candidate, Discovered, MAX_FILE_BYTES, MAX_LINE_BYTES, SourceText, check_content, discover,
    has_extension, parse_error, read, rel_path, skipped, slash_path,
};

use secprop_model::Project;
use std::path::PathBuf;

/// What to scan: one spec target (spec-v1 §2 `root`, `include`, `exclude`).
#[derive(Debug, Clone, Default)]
pub struct ScanOptions {
    /// Absolute folder to scan; `.gitignore` files are honoured.
    pub root: PathBuf,
    /// Paths in the output are relative to this folder, with `/` separators.
    pub repo_root: PathBuf,
    /// Globs relative to `root`; empty means every file.
    pub include: Vec<String>,
    /// Globs relative to `root`.
    pub exclude: Vec<String>,
}

/// A frontend: the routes and function bodies of one framework's targets. Scans never
/// fail; what cannot be read, parsed or resolved becomes a warning or an `unresolved`
/// route (see [`secprop_model`]).
pub trait Frontend: Sync {
    /// The framework name as written in the spec (`express`).
    fn framework(&self) -> &'static str;

    /// The extensions of the files the frontend reads, without the dot (`ts`).
    fn extensions(&self) -> &'static [&'static str];

    /// Whether a file (path relative to the scan root, `/` separators) is one the frontend
    /// reads; by default, whether it has one of [`Frontend::extensions`].
    fn is_source(&self, path: &str) -> bool {
        has_extension(path, self.extensions())
    }

    /// Scans the discovered files of a target, lowering every function body: what the
    /// checks and the generator need.
    fn scan(&self, files: Discovered, opts: &ScanOptions) -> Project;

    /// Like [`Frontend::scan`], for listing routes: routes, chains, handlers and warnings
    /// are the same, but only the bodies a route's chain reaches need to be lowered. By
    /// default, a full scan.
    fn scan_routes(&self, files: Discovered, opts: &ScanOptions) -> Project {
        self.scan(files, opts)
    }
}

/// Discovers the target's files for `frontend` and scans them with every body lowered.
pub fn scan(frontend: &dyn Frontend, opts: &ScanOptions) -> Project {
    frontend.scan(discover(opts, &|p| frontend.is_source(p)), opts)
}

/// Discovers the target's files for `frontend` and scans them for listing routes.
pub fn scan_routes(frontend: &dyn Frontend, opts: &ScanOptions) -> Project {
    frontend.scan_routes(discover(opts, &|p| frontend.is_source(p)), opts)
}
