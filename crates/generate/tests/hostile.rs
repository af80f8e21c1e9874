//! Hostile route paths, parameter names and field names (quotes, backticks, `${`,
//! newlines, line separators, `*/`, unicode) yield generated TypeScript that parses
//! without an ERROR or MISSING node, and every value round-trips: it is found, exactly,
//! among the file's string literals once they are unescaped.

mod common;

use common::*;
use proptest::prelude::*;
use secprop_generate::{Mode, generate};
use secprop_model::Segment;
use tree_sitter::{Node, Parser};

/// Strings built from the pieces most likely to break out of a literal or a comment.
fn hostile() -> impl Strategy<Value = String> {
    let pieces = prop::sample::select(vec![
        "\"",
        "'",
        "`",
        "${",
        "}",
        "\\",
        "\\u",
        "\n",
        "\r",
        "\t",
        "\u{2028}",
        "\u{2029}",
        "*/",
        "/*",
        "//",
        "</script>",
        "é",
        "🦀",
        "\u{202e}",
        "\u{feff}",
        "\u{0}",
        "\u{7f}",
        "{{",
        "{%",
        "#}",
        "a",
        "id",
        " ",
    ]);
    prop::collection::vec(pieces, 1..8).prop_map(|v| v.concat())
}

/// Every string literal of the tree, unescaped.
fn string_literals(node: Node, src: &str, out: &mut Vec<String>) {
    if node.kind() == "string" {
        out.push(unescape(&src[node.start_byte() + 1..node.end_byte() - 1]));
        return;
    }
    let mut cursor = node.walk();
    for child in node.children(&mut cursor) {
        string_literals(child, src, out);
    }
}

/// Unescapes the body of a double-quoted JS string literal.
fn unescape(body: &str) -> String {
    let mut out: Vec<u16> = Vec::new();
    let mut chars = body.chars();
    while let Some(c) = chars.next() {
        if c != '\\' {
            let mut buf = [0u16; 2];
            out.extend_from_slice(c.encode_utf16(&mut buf));
            continue;
        }
        match chars.next().expect("dangling backslash") {
            'n' => out.push(0x0a),
            'r' => out.push(0x0d),
            't' => out.push(0x09),
            'b' => out.push(0x08),
            'f' => out.push(0x0c),
            'u' => {
                let hex: String = (0..4).map(|_| chars.next().unwrap()).collect();
                out.push(u16::from_str_radix(&hex, 16).unwrap());
            }
            other => out.push(other as u16),
        }
    }
    String::from_utf16(&out).expect("valid UTF-16")
}

fn assert_parses(path: &std::path::Path) -> (String, Vec<String>) {
    let src = std::fs::read_to_string(path).unwrap();
    let mut parser = Parser::new();
    parser
        .set_language(&tree_sitter_typescript::LANGUAGE_TYPESCRIPT.into())
        .unwrap();
    let tree = parser.parse(&src, None).unwrap();
    assert!(
        !tree.root_node().has_error(),
        "{} does not parse:\n{src}\n{}",
        path.display(),
        tree.root_node().to_sexp()
    );
    let mut literals = Vec::new();
    string_literals(tree.root_node(), &src, &mut literals);
    (src, literals)
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(48))]

    #[test]
    fn hostile_values_stay_inside_their_literals(
        literal in hostile(),
        param in hostile(),
        object in hostile(),
        field in hostile(),
        effect in hostile(),
        folder in hostile(),
    ) {
        prop_assume!(param != object);
        let dir = tempfile::tempdir().unwrap();
        std::fs::create_dir(dir.path().join(".git")).unwrap();
        // The spec's own folder name reaches the header comment on line 1.
        let folder = folder.replace(['/', '\0'], "_");
        prop_assume!(folder != "." && folder != "..");
        let spec_dir = dir.path().join(&folder);
        std::fs::create_dir(&spec_dir).unwrap();
        std::fs::write(spec_dir.join("secprop.yaml"), SPEC).unwrap();
        let mut spec = secprop_spec::load(&spec_dir.join("secprop.yaml")).unwrap();
        spec.spec.context.sensitive_fields = vec![field.clone()];
        spec.spec.context.side_effects = vec![effect.clone()];
        for p in &mut spec.spec.properties {
            p.routes = vec!["**".to_string()];
            if p.tenant_param.is_some() {
                p.tenant_param = Some(param.clone());
            }
        }
        let segments = vec![
            Segment::Literal(literal.clone()),
            Segment::Param(param.clone()),
            Segment::Param(object.clone()),
        ];
        let rel = format!("{folder}/src/routes.ts");
        let project = project(&rel, &[("POST", segments.clone())]);
        generate(&spec, &[("api".to_string(), project)], Mode::Write).unwrap();

        let out = spec_dir.join("tests/security");
        let (src, literals) = assert_parses(&out.join("src/routes.secprop.test.ts"));
        let route = format!("POST {}", secprop_model::canonical_path(&segments));
        for value in [&literal, &param, &object, &field, &effect, &route] {
            prop_assert!(literals.contains(value), "{value:?} not among the literals of\n{src}");
        }
        prop_assert!(
            literals.iter().any(|l| l.starts_with(&route) || l.contains(&format!("tenant B's {param}, {object}"))),
            "no test title names the route's parameters:\n{src}"
        );
        // Line 1 stays one comment line, whatever the folder is called.
        let first = src.lines().next().unwrap();
        prop_assert!(first.starts_with("// Code generated by secprop from ") && first.ends_with(". DO NOT EDIT."));
        assert_parses(&out.join("secprop.runtime.ts"));
        assert_parses(&out.join("harness.ts"));
    }
}
