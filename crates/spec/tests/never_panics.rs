//! The loader never panics: arbitrary bytes, YAML-ish documents built from spec keys and
//! hostile strings, and random edits of the spec-v1 example either load or yield errors
//! located at line and column 1 or later.

use proptest::prelude::*;
use std::path::{Path, PathBuf};

fn spec_path() -> PathBuf {
    // Not inside a repository, and never written: the loader only reads `bytes`.
    std::env::temp_dir()
        .join("secprop-proptest")
        .join("secprop.yaml")
}

fn check(bytes: &[u8]) {
    match secprop_spec::load_bytes(&spec_path(), bytes) {
        Ok(_) => {}
        Err(errors) => {
            assert!(!errors.is_empty());
            for e in errors.iter() {
                assert!(e.line >= 1 && e.column >= 1, "unlocated error {e:?}");
                // The schema and the rules accept exactly what deserialisation accepts.
                assert_ne!(e.code, "internal", "{e:?}");
            }
            let plain = errors.render(false);
            assert!(!plain.contains('\u{1b}'), "escape codes in plain output");
            let _ = errors.render(true);
        }
    }
}

const HOSTILE: &[&str] = &[
    "*",
    "* /a",
    "@x",
    "`x",
    "a: b",
    "a #b",
    "{",
    "}",
    "[",
    "]",
    ",",
    "{path: /a/{id}}",
    "<<",
    "&a",
    "*a",
    "!!str",
    "!foo",
    "---",
    "...",
    "'",
    "\"",
    "\\",
    "\t",
    "\r",
    "\u{0}",
    "\u{1b}[31m",
    "é",
    "😀",
    "\u{feff}",
    "2027-02-30",
    "2027-03-31",
    "~",
    "null",
    "yes",
    "0x1F",
    "1e999",
    ".inf",
    "-",
    "? x",
    "|",
    ">",
    "%YAML 1.2",
    "secprop/x",
    "../../..",
    "/etc",
    "{projectId}",
    "**",
];

const KEYS: &[&str] = &[
    "version",
    "targets",
    "name",
    "framework",
    "root",
    "tests",
    "runner",
    "out",
    "harness",
    "context",
    "sinks",
    "properties",
    "id",
    "kind",
    "routes",
    "tenant_param",
    "channels",
    "guards",
    "roles",
    "events",
    "calls",
    "public",
    "route",
    "reason",
    "waivers",
    "property",
    "owner",
    "expires",
    "builtin_severity",
    "deny_status",
    "<<",
];

fn scalar() -> impl Strategy<Value = String> {
    prop_oneof![
        prop::sample::select(HOSTILE).prop_map(str::to_string),
        prop::sample::select(KEYS).prop_map(str::to_string),
        "[a-z/{}*@ :#'\"\\\\.-]{0,12}",
        any::<i64>().prop_map(|n| n.to_string()),
        any::<String>(),
    ]
}

#[derive(Debug, Clone)]
enum Doc {
    Scalar(String),
    List(Vec<Doc>),
    Map(Vec<(String, Doc)>),
}

fn doc() -> impl Strategy<Value = Doc> {
    scalar()
        .prop_map(Doc::Scalar)
        .prop_recursive(4, 48, 6, |inner| {
            prop_oneof![
                prop::collection::vec(inner.clone(), 0..5).prop_map(Doc::List),
                prop::collection::vec(
                    (
                        prop_oneof![
                            prop::sample::select(KEYS).prop_map(str::to_string),
                            scalar()
                        ],
                        inner
                    ),
                    0..6
                )
                .prop_map(Doc::Map),
            ]
        })
}

/// Renders in block style, flow style or a mix; scalars quoted or not, so both valid and
/// broken YAML come out.
fn render(d: &Doc, indent: usize, flow: bool, quote: bool, out: &mut String) {
    let pad = " ".repeat(indent);
    let s = |t: &str| {
        if quote {
            format!("{t:?}")
        } else {
            t.to_string()
        }
    };
    match d {
        Doc::Scalar(t) => out.push_str(&s(t)),
        Doc::List(items) if flow || items.is_empty() => {
            out.push('[');
            for (i, it) in items.iter().enumerate() {
                if i > 0 {
                    out.push_str(", ");
                }
                render(it, indent, true, quote, out);
            }
            out.push(']');
        }
        Doc::Map(entries) if flow || entries.is_empty() => {
            out.push('{');
            for (i, (k, v)) in entries.iter().enumerate() {
                if i > 0 {
                    out.push_str(", ");
                }
                out.push_str(&s(k));
                out.push_str(": ");
                render(v, indent, true, quote, out);
            }
            out.push('}');
        }
        Doc::List(items) => {
            for it in items {
                out.push('\n');
                out.push_str(&pad);
                out.push_str("- ");
                render(it, indent + 2, false, quote, out);
            }
        }
        Doc::Map(entries) => {
            for (k, v) in entries {
                out.push('\n');
                out.push_str(&pad);
                out.push_str(&s(k));
                out.push(':');
                if !matches!(v, Doc::Scalar(_)) {
                    render(v, indent + 2, false, quote, out);
                } else {
                    out.push(' ');
                    render(v, indent + 2, false, quote, out);
                }
            }
        }
    }
}

fn example() -> String {
    let p =
        Path::new(env!("CARGO_MANIFEST_DIR")).join("../../tests/specs/valid/spec-v1-example.yaml");
    std::fs::read_to_string(p).expect("example")
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 512, ..ProptestConfig::default() })]

    #[test]
    fn arbitrary_bytes(bytes in prop::collection::vec(any::<u8>(), 0..512)) {
        check(&bytes);
    }

    #[test]
    fn yamlish_documents(d in doc(), flow in any::<bool>(), quote in any::<bool>()) {
        let mut text = String::new();
        render(&d, 0, flow, quote, &mut text);
        check(text.as_bytes());
    }

    #[test]
    fn edits_of_the_example(edits in prop::collection::vec((any::<prop::sample::Index>(), prop::sample::select(HOSTILE), 0u8..3), 1..4)) {
        let mut text = example();
        for (at, piece, op) in edits {
            let boundaries: Vec<usize> = text.char_indices().map(|(i, _)| i).chain([text.len()]).collect();
            let i = boundaries[at.index(boundaries.len())];
            match op {
                0 => text.insert_str(i, piece),
                1 => {
                    let end = text[i..].char_indices().nth(3).map_or(text.len(), |(j, _)| i + j);
                    text.replace_range(i..end, piece);
                }
                _ => {
                    let end = text[i..].char_indices().nth(1).map_or(text.len(), |(j, _)| i + j);
                    text.replace_range(i..end, "");
                }
            }
        }
        check(text.as_bytes());
    }
}
