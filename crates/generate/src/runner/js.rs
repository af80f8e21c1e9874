//! What the JavaScript runners (vitest, jest) share: the runtime and the kind templates of
//! `templates/js/`, the property kinds they cover, the harness's extension deciding
//! between TypeScript and JavaScript, and files that import each other as relative ES
//! modules. A JavaScript runner implements [`JsRunner`] (its name, its own frame templates
//! and its harness guide) and is a [`RunnerProfile`] through it.

use super::{RunnerProfile, embed};
use crate::escape::{JS, Syntax};
use secprop_spec::{PropertyKind, Runner};
use std::path::Path;
use tera::Context;

/// The runtime and one template per property kind, from `templates/js/`: every
/// JavaScript runner renders these; only its frame (`base.tera`, `harness.tera`) differs.
pub const SHARED: &[(&str, &str)] = embed!(
    "js" / "runtime.tera",
    "js" / "cross_tenant_denied.tera",
    "js" / "no_side_effects_before_authz.tera",
    "js" / "authentication_required.tera",
    "js" / "role_required.tera",
    "js" / "audit_event_emitted.tera",
    "js" / "sensitive_data_not_exposed.tera",
    "js" / "malformed_input_rejected.tera",
);

/// The kinds [`SHARED`] has a template for: every kind the plan builds tests for
/// (`tests/runners.rs` checks that each has its template).
pub const KINDS: &[PropertyKind] = crate::plan::GENERATED_KINDS;

/// What one JavaScript runner adds to what they share.
pub trait JsRunner: Sync {
    /// The `tests.runner` value.
    const RUNNER: Runner;
    /// `[<runner>, "js"]`: the runner's own folder, then the shared one.
    const FOLDERS: &'static [&'static str];
    /// Where a user reads how to write the harness for this runner, named by failure
    /// messages of the runtime (the template variable `guide`).
    const GUIDE: &'static str;
    /// The runner's frame templates followed by [`SHARED`], built by [`templates`].
    fn all_templates() -> &'static [(&'static str, &'static str)];
}

/// A runner's frame templates `own` followed by [`SHARED`], built once into `cell`.
pub fn templates(
    own: &'static [(&'static str, &'static str)],
    cell: &'static std::sync::OnceLock<Vec<(&'static str, &'static str)>>,
) -> &'static [(&'static str, &'static str)] {
    cell.get_or_init(|| [own, SHARED].concat())
}

impl<R: JsRunner> RunnerProfile for R {
    fn runner(&self) -> Runner {
        R::RUNNER
    }

    fn templates(&self) -> &'static [(&'static str, &'static str)] {
        R::all_templates()
    }

    fn folders(&self) -> &'static [&'static str] {
        R::FOLDERS
    }

    fn kinds(&self) -> &'static [PropertyKind] {
        KINDS
    }

    fn syntax(&self) -> &'static Syntax {
        &JS
    }

    fn test_file_name(&self, stem: &str, harness: &Path) -> String {
        // Both vitest's default `include` and jest's default `testMatch` collect
        // `*.test.ts` and `*.test.js`.
        format!("{stem}.secprop.test.{}", Flavor::of_harness(harness).ext())
    }

    fn runtime_file_name(&self, harness: &Path) -> String {
        format!("secprop.runtime.{}", Flavor::of_harness(harness).ext())
    }

    fn import_path(&self, from_dir: &Path, target: &Path) -> String {
        import_specifier(from_dir, target)
    }

    fn context(&self, harness: &Path) -> Context {
        let mut ctx = Flavor::of_harness(harness).context();
        ctx.insert("guide", R::GUIDE);
        ctx
    }
}

/// The language of generated files, decided by the harness's extension (spec-v1 §9).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Flavor {
    TypeScript,
    JavaScript,
}

impl Flavor {
    /// The flavor of a target whose harness is `harness`: JavaScript for `.js`, `.mjs`,
    /// `.cjs` and `.jsx`, TypeScript otherwise.
    pub fn of_harness(harness: &Path) -> Flavor {
        match harness.extension().and_then(|e| e.to_str()) {
            Some("js" | "mjs" | "cjs" | "jsx") => Flavor::JavaScript,
            _ => Flavor::TypeScript,
        }
    }

    /// The extension of generated files: `ts` or `js`.
    pub fn ext(self) -> &'static str {
        match self {
            Flavor::TypeScript => "ts",
            Flavor::JavaScript => "js",
        }
    }

    /// The template variables of the flavor: `ts`, whether to write TypeScript. One
    /// template set serves both languages: type annotations are written only when `ts`
    /// is set.
    pub fn context(self) -> Context {
        let mut ctx = Context::new();
        ctx.insert("ts", &(self == Flavor::TypeScript));
        ctx
    }
}

/// An ES module specifier from `dir` to `target`: `./x.js`, `../harness.js`. TypeScript
/// sources are imported by their emitted extension, which `tsc` and vitest resolve (jest
/// with the `moduleNameMapper` of templates/jest/HARNESS.md).
pub fn import_specifier(dir: &Path, target: &Path) -> String {
    let rel = crate::relative(dir, target);
    let mut s = rel.to_string_lossy().replace('\\', "/");
    for (from, to) in [
        (".mts", ".mjs"),
        (".cts", ".cjs"),
        (".tsx", ".js"),
        (".ts", ".js"),
    ] {
        if let Some(stripped) = s.strip_suffix(from) {
            s = format!("{stripped}{to}");
            break;
        }
    }
    if s.starts_with("../") {
        s
    } else {
        format!("./{s}")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn import_specifiers() {
        let d = Path::new("/r/tests/security/src");
        assert_eq!(
            import_specifier(d, Path::new("/r/tests/security/harness.ts")),
            "../harness.js"
        );
        assert_eq!(
            import_specifier(Path::new("/r/o"), Path::new("/r/o/secprop.runtime.ts")),
            "./secprop.runtime.js"
        );
        assert_eq!(
            import_specifier(Path::new("/r/o"), Path::new("/r/h.mjs")),
            "../h.mjs"
        );
    }

    #[test]
    fn harness_extension_decides_the_flavor() {
        assert_eq!(Flavor::of_harness(Path::new("h.ts")), Flavor::TypeScript);
        assert_eq!(Flavor::of_harness(Path::new("h.mjs")), Flavor::JavaScript);
        assert_eq!(Flavor::of_harness(Path::new("h")), Flavor::TypeScript);
    }
}
