//! JavaScript test files: `it(` / `test(` blocks and supertest `request(app).get("/x")`
//! (or `supertest(app)`) calls.

use crate::{ExistingTest, Found, METHODS, collect, denies, matching_paren};

const EXTENSIONS: &[&str] = &["js", "mjs", "cjs", "jsx", "ts", "mts", "cts", "tsx"];

/// Whether a repository-relative path names a JavaScript test file.
pub fn is_test_file(rel: &str) -> bool {
    let name = rel.rsplit('/').next().unwrap_or(rel);
    let ext_ok = name
        .rsplit_once('.')
        .is_some_and(|(_, e)| EXTENSIONS.contains(&e));
    let in_test_dir = rel
        .split('/')
        .any(|p| p == "test" || p == "tests" || p == "__tests__");
    ext_ok && (name.contains(".test.") || name.contains(".spec.") || in_test_dir)
}

/// The requests of one test file's text.
pub fn scan_text(file: &str, text: &str) -> Vec<ExistingTest> {
    let starts = block_starts(text);
    let ends = starts.iter().skip(1).copied().chain([text.len()]);
    let blocks: Vec<(usize, usize)> = starts.iter().copied().zip(ends).collect();
    collect(file, text, &blocks, is_negative, requests)
}

/// Byte offsets of `it(` / `test(` calls (with `.only`, `.skip`, `.each`...), at a word
/// start.
fn block_starts(text: &str) -> Vec<usize> {
    let mut out = Vec::new();
    for word in ["it", "test"] {
        let mut from = 0;
        while let Some(i) = text[from..].find(word) {
            let at = from + i;
            from = at + word.len();
            let before = text[..at].chars().next_back();
            if before.is_some_and(|c| c.is_alphanumeric() || c == '_' || c == '.' || c == '$') {
                continue;
            }
            let rest = &text[from..];
            let rest = match rest.strip_prefix('.') {
                Some(r) => r.trim_start_matches(|c: char| c.is_alphanumeric()),
                None => rest,
            };
            if rest.trim_start().starts_with('(') {
                out.push(at);
            }
        }
    }
    out.sort();
    out
}

/// `request(...)` / `supertest(...)` followed by `.method("path"`: (offset, METHOD, path).
fn requests(block: &str) -> Vec<Found> {
    let mut out = Vec::new();
    for word in ["request(", "supertest("] {
        let mut from = 0;
        while let Some(i) = block[from..].find(word) {
            let at = from + i;
            from = at + word.len();
            if block[..at]
                .chars()
                .next_back()
                .is_some_and(|c| c.is_alphanumeric() || c == '_' || c == '.')
            {
                continue;
            }
            let Some(close) = matching_paren(block, from - 1) else {
                continue;
            };
            let rest = block[close + 1..].trim_start();
            let Some(rest) = rest.strip_prefix('.') else {
                continue;
            };
            let Some((method, args)) = rest.split_once('(') else {
                continue;
            };
            let method = method.trim();
            if !METHODS.contains(&method) {
                continue;
            }
            if let Some(path) = string_literal(args.trim_start()) {
                out.push((at, method.to_uppercase(), path));
            }
        }
    }
    out.sort();
    out
}

/// A leading `'...'`, `"..."` or `` `...` `` literal, `${...}` parts as `*`, without its
/// query string.
fn string_literal(s: &str) -> Option<String> {
    let q = s.chars().next().filter(|c| matches!(c, '\'' | '"' | '`'))?;
    let body = &s[1..];
    let end = body.find(q)?;
    crate::request_path(&body[..end].replace("${", "{"))
}

/// A 401, 403 or 404 on a line that asserts, or a spy asserted not called.
fn is_negative(block: &str) -> bool {
    let spy = [
        "not.toHaveBeenCalled",
        "not.toBeCalled",
        "toHaveBeenCalledTimes(0)",
        "toBeCalledTimes(0)",
        "calledCount, 0",
    ];
    if spy.iter().any(|s| block.contains(s)) {
        return true;
    }
    block.lines().any(|line| {
        let asserts = ["expect", "assert", "toBe", "toEqual", "status"]
            .iter()
            .any(|w| line.contains(w));
        asserts && !line.contains(".not.") && !line.contains("!==") && denies(line, &[])
    })
}
