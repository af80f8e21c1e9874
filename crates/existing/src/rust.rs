//! Rust tests of axum apps: `#[test]` / `#[tokio::test]` functions (any attribute whose
//! path ends in `test`) in files under `tests/`, or after `#[cfg(test)]` in any source
//! file. A request is `Request::builder()...uri("/x")...method("GET")` (method
//! `Method::POST` too, GET when absent, the chain read up to its `.body(`) or
//! `Request::get("/x")`, sent with `app.oneshot(...)`; `format!` paths match by their
//! literal parts.

use crate::{ExistingTest, Found, METHODS, collect, denies};

/// Whether a repository-relative `.rs` file is a test file whatever its content (under
/// `tests/`); other `.rs` files hold tests after `#[cfg(test)]`.
pub fn is_test_file(rel: &str) -> bool {
    rel.ends_with(".rs") && rel.split('/').any(|p| p == "tests")
}

/// The requests of one Rust file's text; `whole` for a file under `tests/`.
pub fn scan_text(file: &str, text: &str, whole: bool) -> Vec<ExistingTest> {
    let from = if whole {
        0
    } else {
        match text.find("#[cfg(test)]") {
            Some(i) => i,
            None => return Vec::new(),
        }
    };
    collect(file, text, &blocks(text, from), is_negative, requests)
}

/// (start, end) of each test function: from its attribute to the brace closing its body.
fn blocks(text: &str, from: usize) -> Vec<(usize, usize)> {
    let mut out = Vec::new();
    let mut at = from;
    while let Some(i) = text[at..].find("#[") {
        let start = at + i;
        at = start + 2;
        let path: String = text[at..]
            .chars()
            .take_while(|c| c.is_alphanumeric() || *c == '_' || *c == ':')
            .collect();
        if path != "test" && !path.ends_with("::test") {
            continue;
        }
        let Some(f) = text[at..].find("fn ") else {
            break;
        };
        let Some(open) = text[at + f..].find('{').map(|o| at + f + o) else {
            break;
        };
        let end = closing_brace(text, open).unwrap_or(text.len());
        out.push((start, end));
        at = end;
    }
    out
}

/// The index after the `}` closing the `{` at `open`, skipping strings, raw strings,
/// character literals and comments (a JSON body in a test holds braces).
fn closing_brace(s: &str, open: usize) -> Option<usize> {
    let b = s.as_bytes();
    let mut depth = 0usize;
    let mut i = open;
    while i < b.len() {
        match b[i] {
            b'{' => depth += 1,
            b'}' => {
                depth -= 1;
                if depth == 0 {
                    return Some(i + 1);
                }
            }
            b'/' if b.get(i + 1) == Some(&b'/') => {
                i = s[i..].find('\n').map_or(b.len(), |n| i + n);
            }
            b'/' if b.get(i + 1) == Some(&b'*') => {
                i = s[i + 2..].find("*/").map_or(b.len(), |n| i + 2 + n + 1);
            }
            b'r' if !b[i - 1].is_ascii_alphanumeric()
                && matches!(b.get(i + 1), Some(b'"' | b'#')) =>
            {
                let hashes = b[i + 1..].iter().take_while(|&&c| c == b'#').count();
                if b.get(i + 1 + hashes) == Some(&b'"') {
                    let close = format!("\"{}", "#".repeat(hashes));
                    let body = i + 2 + hashes;
                    i = s[body..]
                        .find(&close)
                        .map_or(b.len(), |n| body + n + close.len() - 1);
                }
            }
            b'"' => {
                i += 1;
                while i < b.len() && b[i] != b'"' {
                    i += if b[i] == b'\\' { 2 } else { 1 };
                }
            }
            // `'{'` and `'\''`, not lifetimes (`'a`).
            b'\'' if b.get(i + 2) == Some(&b'\'') => i += 2,
            b'\'' if b.get(i + 1) == Some(&b'\\') => {
                i = s[i + 2..].find('\'').map_or(b.len(), |n| i + 2 + n);
            }
            _ => {}
        }
        i += 1;
    }
    None
}

/// `Request::builder()` chains and `Request::get("/x")`: (offset, METHOD, path).
fn requests(block: &str) -> Vec<Found> {
    let mut out = Vec::new();
    let mut from = 0;
    while let Some(i) = block[from..].find("Request::") {
        let at = from + i;
        from = at + "Request::".len();
        if block[..at]
            .chars()
            .next_back()
            .is_some_and(|c| c.is_alphanumeric() || c == '_')
        {
            continue;
        }
        let rest = &block[from..];
        let name: String = rest.chars().take_while(|c| c.is_alphanumeric()).collect();
        if name == "builder" {
            // The builder chain, up to its body (or the statement's end).
            let end = ["body(", ";"]
                .iter()
                .filter_map(|w| rest.find(w))
                .min()
                .unwrap_or(rest.len());
            let chain = &rest[..end];
            let Some(path) = arg_after(chain, ".uri(").and_then(string_literal) else {
                continue;
            };
            let method = match arg_after(chain, ".method(") {
                None => "GET".to_string(),
                Some(m) => {
                    let m = m.trim_start_matches('"');
                    let m = m.rsplit("::").next().unwrap_or(m);
                    m.chars()
                        .take_while(|c| c.is_alphabetic())
                        .collect::<String>()
                        .to_uppercase()
                }
            };
            out.push((at, method, path));
        } else if METHODS.contains(&name.as_str())
            && let Some(path) = arg_after(rest, &format!("{name}(")).and_then(string_literal)
        {
            out.push((at, name.to_uppercase(), path));
        }
    }
    out
}

/// The text after `word` (whitespace trimmed), when `word` is in `s`.
fn arg_after<'a>(s: &'a str, word: &str) -> Option<&'a str> {
    s.find(word).map(|i| s[i + word.len()..].trim_start())
}

/// A leading `"..."`, `&format!("...", ..)` or `format!(...)` path, `{...}` parts as
/// `*`, without its query string.
fn string_literal(s: &str) -> Option<String> {
    let s = s.trim_start_matches('&');
    let s = s.strip_prefix("format!(").map_or(s, str::trim_start);
    let body = s.strip_prefix('"')?;
    let end = body.find('"')?;
    crate::request_path(&body[..end])
}

/// `StatusCode::FORBIDDEN`, `UNAUTHORIZED` or `NOT_FOUND` (or 401, 403, 404) on a line
/// that asserts it, or a mock expected never to run.
fn is_negative(block: &str) -> bool {
    if [".never()", ".times(0)"].iter().any(|m| block.contains(m)) {
        return true;
    }
    block.lines().any(|line| {
        (line.contains("assert") || line.contains("matches!"))
            && !line.contains("assert_ne!")
            && !line.contains("!=")
            && denies(line, &["FORBIDDEN", "UNAUTHORIZED", "NOT_FOUND"])
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    const FILE: &str = r##"use axum::{body::Body, http::{Request, StatusCode, Method}};
use tower::ServiceExt;

pub fn app() -> Router { Router::new() }

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn reads_a_project() {
        let res = app()
            .oneshot(Request::builder().uri("/projects/p1").body(Body::empty()).unwrap())
            .await
            .unwrap();
        assert_eq!(res.status(), StatusCode::OK);
    }

    #[tokio::test(flavor = "multi_thread")]
    async fn refuses_another_tenant() {
        let body = r#"{"name": "}"}"#;
        let res = app()
            .oneshot(
                Request::builder()
                    .method(Method::DELETE)
                    .uri(&format!("/projects/{}", other))
                    .body(Body::from(body))
                    .unwrap(),
            )
            .await
            .unwrap();
        assert_eq!(res.status(), StatusCode::FORBIDDEN);
    }

    fn helper() {
        let _ = Request::post("/projects/9").body(Body::empty());
    }

    #[test]
    fn shorthand_and_numbers() {
        let req = Request::post("/projects/p2/invite").body(Body::empty()).unwrap();
        let res = block_on(app().oneshot(req)).unwrap();
        assert_eq!(res.status().as_u16(), 404);
        assert_ne!(res.status(), StatusCode::FORBIDDEN);
    }

    #[test]
    fn not_denied() {
        let req = Request::builder().method("PUT").uri("/projects/p2?x=1").body(Body::empty());
        assert_ne!(status(req), StatusCode::FORBIDDEN);
    }
}
"##;

    #[test]
    fn requests_and_their_kind() {
        let found = scan_text("src/main.rs", FILE, false);
        assert_eq!(
            crate::tests::summary(&found),
            [
                (13, "GET", "/projects/p1", false),
                (24, "DELETE", "/projects/*", true),
                (41, "POST", "/projects/p2/invite", true),
                (49, "PUT", "/projects/p2", false),
            ]
        );
        // Outside `#[cfg(test)]` a source file holds no tests; under `tests/` it does.
        assert!(scan_text("src/lib.rs", &FILE.replace("#[cfg(test)]", ""), false).is_empty());
        assert_eq!(scan_text("tests/api.rs", FILE, true).len(), 4);
        assert!(is_test_file("tests/api.rs") && !is_test_file("src/main.rs"));
    }
}
