//! What the JavaScript runners (vitest today, jest next) share: the harness's extension
//! decides between TypeScript and JavaScript, and files import each other as relative ES
//! modules.

use std::path::Path;
use tera::Context;

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
/// sources are imported by their emitted extension, which both `tsc` and vitest resolve.
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
