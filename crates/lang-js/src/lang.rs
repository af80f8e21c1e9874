//! Which grammar parses a file: JavaScript, TypeScript or TSX, by extension.

/// The extensions of the files the frontend reads (declaration files excepted, see
/// [`lang_of`]).
pub(crate) const EXTENSIONS: &[&str] = &["js", "mjs", "cjs", "jsx", "ts", "mts", "cts", "tsx"];

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
        for ext in EXTENSIONS {
            assert!(lang_of(&format!("a/b.{ext}")).is_some(), "{ext}");
        }
    }
}
