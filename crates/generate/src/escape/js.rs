//! The TypeScript/JavaScript escaper: every value a template writes becomes a
//! self-delimiting JSON-style literal that is also a valid TS/JS expression.
//!
//! Why JSON-style double-quoted literals: inside `"..."` neither a backtick nor `${` has
//! any meaning, and JSON escaping covers quotes, backslashes and control characters. Two
//! more code points need care: U+2028 and U+2029 are line terminators in older JS
//! grammars and in `//` comments, so they are escaped too. The templates never place a
//! literal inside another literal or a template string (spec-v1 §9, issue 4).

use serde_json::Value as Json;

/// A double-quoted TS/JS string literal whose value is exactly `s`.
pub fn js_string(s: &str) -> String {
    let mut out = String::with_capacity(s.len() + 2);
    write_js_string(s, &mut out);
    out
}

fn write_js_string(s: &str, out: &mut String) {
    out.push('"');
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            '\u{2028}' => out.push_str("\\u2028"),
            '\u{2029}' => out.push_str("\\u2029"),
            // Other C0 controls and DEL are escaped so a generated file never carries an
            // invisible byte; `<` keeps `</script>` inert should a file ever be inlined.
            c if (c as u32) < 0x20 || c == '\u{7f}' || c == '<' => {
                out.push_str(&format!("\\u{:04x}", c as u32));
            }
            c => out.push(c),
        }
    }
    out.push('"');
}

/// A TS/JS literal for any JSON value: strings as [`js_string`], numbers and booleans
/// as written, `null`, arrays and objects with keys sorted (objects from template
/// values come from hash maps, so sorting keeps output byte-identical between runs).
pub fn js_literal(v: &Json) -> String {
    let mut out = String::new();
    write_literal(v, &mut out);
    out
}

fn write_literal(v: &Json, out: &mut String) {
    match v {
        Json::Null => out.push_str("null"),
        Json::Bool(b) => out.push_str(if *b { "true" } else { "false" }),
        Json::Number(n) => out.push_str(&n.to_string()),
        Json::String(s) => write_js_string(s, out),
        Json::Array(items) => {
            out.push('[');
            for (i, item) in items.iter().enumerate() {
                if i > 0 {
                    out.push_str(", ");
                }
                write_literal(item, out);
            }
            out.push(']');
        }
        Json::Object(map) => {
            let mut keys: Vec<&String> = map.keys().collect();
            keys.sort();
            out.push('{');
            for (i, k) in keys.iter().enumerate() {
                if i > 0 {
                    out.push_str(", ");
                }
                write_js_string(k, out);
                out.push_str(": ");
                write_literal(&map[k.as_str()], out);
            }
            out.push('}');
        }
    }
}

/// Text safe inside a `//` line comment: line terminators and other controls are
/// written as escapes, so the comment cannot end early.
pub fn comment_text(s: &str) -> String {
    let lit = js_string(s);
    lit[1..lit.len() - 1].to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escapes_hostile_strings() {
        assert_eq!(js_string("a\"b"), r#""a\"b""#);
        assert_eq!(js_string("`${x}`"), r#""`${x}`""#);
        assert_eq!(js_string("a\\n"), r#""a\\n""#);
        assert_eq!(js_string("l1\nl2\r"), r#""l1\nl2\r""#);
        assert_eq!(js_string("\u{2028}\u{2029}"), r#""\u2028\u2029""#);
        assert_eq!(js_string("</script>*/"), r#""\u003c/script>*/""#);
        assert_eq!(js_string("\u{0}\u{1b}"), r#""\u0000\u001b""#);
        assert_eq!(js_string("é🦀"), "\"é🦀\"");
    }

    #[test]
    fn literals_sort_object_keys() {
        let v = serde_json::json!({"b": [1, "x"], "a": {"d": null, "c": true}});
        assert_eq!(
            js_literal(&v),
            r#"{"a": {"c": true, "d": null}, "b": [1, "x"]}"#
        );
    }

    #[test]
    fn comment_text_never_breaks_the_line() {
        assert_eq!(comment_text("a\nb\u{2028}"), r"a\nb\u2028");
    }
}
