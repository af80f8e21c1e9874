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
    Candidate, Discovered, MAX_FILE_BYTES, MAX_LINE_BYTES, MAX_NESTING, SourceText, check_content,
    discover, has_extension, parse_error, read, rel_path, skipped, slash_path,
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
    /// Library calls that create routes (`context.route_generators`).
    pub route_generators: Vec<RouteGenerator>,
}

/// Whether a call's names match a pattern (the spec's matcher, handed to frontends).
pub type NameMatcher = std::sync::Arc<dyn Fn(&[String]) -> bool + Send + Sync>;

/// A library call that creates routes, as a frontend receives it (the spec extension
/// `context.route_generators`, `specs/extensions.md`): `crud.register(router, "/users",
/// controller)` creating `GET /users`, `GET /users/:id`, ...
#[derive(Clone)]
pub struct RouteGenerator {
    /// The call pattern as written in the spec, for messages.
    pub call: String,
    /// Whether a call with these names (spec-v1 §4: as written, import-resolved) is one.
    pub matches: NameMatcher,
    /// The argument that is the app or router the routes go on; `None`: the receiver.
    pub router_arg: Option<u32>,
    /// Where the path or prefix is: a string, or an array of strings; `None`: `/`.
    pub path_arg: Option<ArgRef>,
    /// The argument holding the handler, or an object whose members are the handlers.
    pub handler_arg: Option<u32>,
    pub routes: Vec<GeneratedRoute>,
}

impl std::fmt::Debug for RouteGenerator {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("RouteGenerator")
            .field("call", &self.call)
            .field("router_arg", &self.router_arg)
            .field("path_arg", &self.path_arg)
            .field("handler_arg", &self.handler_arg)
            .field("routes", &self.routes)
            .finish()
    }
}

/// An argument, or a property below it: `1`, or `0.endpoints` (argument 0's `endpoints`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ArgRef {
    pub index: u32,
    pub keys: Vec<String>,
}

/// One route a generator creates, below its path.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct GeneratedRoute {
    /// Upper-case HTTP method or `*`.
    pub method: String,
    /// Appended to the path, in the framework's syntax (`/:id`); empty for the path itself.
    pub path: String,
    /// The member of the handler argument that handles it (`show`); `None`: the argument.
    pub handler: Option<String>,
    /// With an array of paths, the one this route is below; `None`: each.
    pub path_item: Option<u32>,
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
