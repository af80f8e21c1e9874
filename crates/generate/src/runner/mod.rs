//! Runner profiles: everything that differs between test runners, behind one trait, and
//! the registry of the runners secprop can generate for.
//!
//! [`crate::plan`] decides what to test without any runner syntax; a [`RunnerProfile`]
//! decides how that becomes files: their names, the header's comment syntax, import
//! paths, the literal escaper behind the `lit` filter, and the templates (embedded from
//! `templates/<runner>/` at build time) for the frame and for each property kind it
//! supports. Adding a runner is one templates folder, one profile file here and one line
//! in [`PROFILES`]; a JavaScript runner implements [`js::JsRunner`] and shares
//! `templates/js/`.

pub mod jest;
pub mod js;
pub mod vitest;

use crate::escape::Syntax;
use secprop_spec::{PropertyKind, Runner};
use std::path::Path;
use tera::Context;

/// The generated test file of one route file; receives `routes` and the import paths.
pub const BASE: &str = "base.tera";
/// The shared helpers every generated test file imports.
pub const RUNTIME: &str = "runtime.tera";
/// The harness scaffold, rendered only when the harness file is absent.
pub const HARNESS: &str = "harness.tera";
/// The templates every profile has whatever kinds it supports; the others are
/// `<kind>.tera`, one per supported property kind.
pub const FRAME: [&str; 3] = [BASE, RUNTIME, HARNESS];

/// How one runner's generated files look. Implementations hold no state: a profile is a
/// `static` in [`PROFILES`].
pub trait RunnerProfile: Sync {
    /// The `tests.runner` value this profile serves.
    fn runner(&self) -> Runner;

    /// The built-in templates as `(file name, source)`: the [`FRAME`] templates and one
    /// `<kind>.tera` per kind of [`RunnerProfile::kinds`], embedded at build time.
    fn templates(&self) -> &'static [(&'static str, &'static str)];

    /// The folders under `templates/` the templates come from, the runner's own first:
    /// `["vitest", "js"]`. Every `.tera` file of them is embedded, once.
    fn folders(&self) -> &'static [&'static str];

    /// The property kinds this runner has a template for. Tests of any other kind are
    /// not generated for it.
    fn kinds(&self) -> &'static [PropertyKind];

    /// The language's literal escaper (the `lit` filter) and comment syntax (the header).
    fn syntax(&self) -> &'static Syntax;

    /// The generated test file for the route file named `stem` (`app` for `src/app.ts`),
    /// named so the runner collects it by default (spec-v1 §9).
    fn test_file_name(&self, stem: &str, harness: &Path) -> String;

    /// The generated runtime file in `out` that every test file imports.
    fn runtime_file_name(&self, harness: &Path) -> String;

    /// How a generated file in `from_dir` imports the file `target` (the harness or the
    /// runtime); both paths are absolute and normalised.
    fn import_path(&self, from_dir: &Path, target: &Path) -> String;

    /// The variables every template of a target whose harness is `harness` receives
    /// besides its own data (JavaScript runners: `ts`, whether to write TypeScript, and
    /// `guide`, the runner's harness guide).
    fn context(&self, harness: &Path) -> Context;

    /// Whether the runner has a template for `kind` (a [`PropertyKind`] name).
    fn supports(&self, kind: &str) -> bool {
        self.kinds().iter().any(|k| k.as_str() == kind)
    }
}

/// Every runner secprop generates for, one line each.
static PROFILES: &[&dyn RunnerProfile] = &[&vitest::Vitest, &jest::Jest];

/// The registered profiles, in registration order.
pub fn all() -> &'static [&'static dyn RunnerProfile] {
    PROFILES
}

/// The profile of `runner`, or `None` when secprop cannot generate for it yet.
pub fn for_runner(runner: Runner) -> Option<&'static dyn RunnerProfile> {
    PROFILES.iter().copied().find(|p| p.runner() == runner)
}

/// The registered runners' names, for messages: `vitest, jest`.
pub fn names() -> String {
    PROFILES
        .iter()
        .map(|p| p.runner().as_str())
        .collect::<Vec<_>>()
        .join(", ")
}

/// The templates named by the arguments, as `(file name, source)` pairs read at build
/// time from `templates/<folder>/<name>`, so the binary needs no template folder at run
/// time. Several runners of one language share a folder (`js/` holds the runtime and the
/// kind templates of vitest and jest); each runner's own folder holds only what differs.
macro_rules! embed {
    ($($folder:literal / $name:literal),+ $(,)?) => {
        &[$((
            $name,
            include_str!(concat!(
                env!("CARGO_MANIFEST_DIR"),
                "/../../templates/",
                $folder,
                "/",
                $name
            )),
        )),+]
    };
}
pub(crate) use embed;
