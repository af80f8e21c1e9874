//! Every tree-sitter grammar we ship loads into the core and parses a snippet: grammar
//! crates no longer depend on the core, so a version mismatch only shows at run time.

use tree_sitter::{Language, Parser};

fn parses(lang: Language, src: &str) {
    let mut parser = Parser::new();
    parser
        .set_language(&lang)
        .expect("grammar ABI matches the tree-sitter core");
    let tree = parser.parse(src, None).expect("parse returns a tree");
    assert!(
        !tree.root_node().has_error(),
        "{}",
        tree.root_node().to_sexp()
    );
}

#[test]
fn javascript_grammar_loads() {
    parses(
        tree_sitter_javascript::LANGUAGE.into(),
        "app.get('/a', (req, res) => res.send(1));",
    );
}

#[test]
fn typescript_grammar_loads() {
    parses(
        tree_sitter_typescript::LANGUAGE_TYPESCRIPT.into(),
        "const f = async (id: string): Promise<boolean> => true;",
    );
}

#[test]
fn tsx_grammar_loads() {
    parses(
        tree_sitter_typescript::LANGUAGE_TSX.into(),
        "const e = <div>{x}</div>;",
    );
}

#[test]
fn python_grammar_loads() {
    parses(
        tree_sitter_python::LANGUAGE.into(),
        "@app.get('/a')\nasync def a():\n    return 1\n",
    );
}
