//! One tree-sitter parser per grammar, kept by each worker thread.

use crate::lang::Lang;

/// One tree-sitter parser per grammar, reused by a worker thread.
pub(crate) struct Parsers {
    js: tree_sitter::Parser,
    ts: tree_sitter::Parser,
    tsx: tree_sitter::Parser,
}

impl Parsers {
    pub(crate) fn new() -> Self {
        let make = |lang: tree_sitter::Language| {
            let mut p = tree_sitter::Parser::new();
            // The grammars are compiled in, with a matching ABI; failure is a build bug.
            p.set_language(&lang)
                .expect("grammar ABI matches the tree-sitter runtime");
            p
        };
        Parsers {
            js: make(tree_sitter_javascript::LANGUAGE.into()),
            ts: make(tree_sitter_typescript::LANGUAGE_TYPESCRIPT.into()),
            tsx: make(tree_sitter_typescript::LANGUAGE_TSX.into()),
        }
    }

    pub(crate) fn parse(&mut self, lang: Lang, src: &str) -> Option<tree_sitter::Tree> {
        let p = match lang {
            Lang::JavaScript => &mut self.js,
            Lang::TypeScript => &mut self.ts,
            Lang::Tsx => &mut self.tsx,
        };
        p.parse(src, None)
    }
}
