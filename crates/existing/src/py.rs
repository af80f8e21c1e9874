//! Python test files (`test_*.py`, `*_test.py`): pytest functions `def test_...` (module
//! level or in a class) are the blocks, and a `client.get("/items/1")` call on a FastAPI
//! `TestClient(app)` or a Flask `app.test_client()` is a request. The client is usually a
//! fixture from `conftest.py`, so any `<name>.<method>("/...")` call counts in a file
//! that speaks of a client.

use crate::{ExistingTest, Found, METHODS, collect, denies, matching_paren};

/// Whether a repository-relative path names a pytest test file.
pub fn is_test_file(rel: &str) -> bool {
    let name = rel.rsplit('/').next().unwrap_or(rel);
    name.ends_with(".py") && (name.starts_with("test_") || name.ends_with("_test.py"))
}

/// The requests of one test file's text.
pub fn scan_text(file: &str, text: &str) -> Vec<ExistingTest> {
    if !text.to_lowercase().contains("client") {
        return Vec::new();
    }
    collect(file, text, &blocks(text), is_negative, requests)
}

/// (start, end) byte ranges of `def test...` functions: from the `def` to the first
/// later line indented no deeper than it (the signature may span lines).
fn blocks(text: &str) -> Vec<(usize, usize)> {
    let mut lines = Vec::new();
    let mut at = 0;
    for l in text.split_inclusive('\n') {
        lines.push((at, l));
        at += l.len();
    }
    let indent = |l: &str| l.len() - l.trim_start().len();
    let mut out = Vec::new();
    for (i, &(start, line)) in lines.iter().enumerate() {
        let t = line.trim_start();
        let t = t.strip_prefix("async ").map_or(t, str::trim_start);
        if !t.starts_with("def test") {
            continue;
        }
        let own = indent(line);
        // The body starts after the signature's closing parenthesis.
        let body_from = t
            .find('(')
            .map(|p| start + (line.len() - t.len()) + p)
            .and_then(|open| matching_paren(text, open))
            .unwrap_or(start);
        let end = lines[i + 1..]
            .iter()
            .find(|(s, l)| {
                *s > body_from
                    && !l.trim().is_empty()
                    && !l.trim_start().starts_with('#')
                    && indent(l) <= own
            })
            .map_or(text.len(), |(s, _)| *s);
        out.push((start, end));
    }
    out
}

/// `<receiver>.<method>("/path"`: (offset, METHOD, path).
fn requests(block: &str) -> Vec<Found> {
    let mut out = Vec::new();
    for method in METHODS {
        let word = format!(".{method}(");
        let mut from = 0;
        while let Some(i) = block[from..].find(&word) {
            let at = from + i;
            from = at + word.len();
            // A name or a call before the dot: `client.get(`, `TestClient(app).get(`.
            if !block[..at]
                .chars()
                .next_back()
                .is_some_and(|c| c.is_alphanumeric() || c == '_' || c == ')')
            {
                continue;
            }
            if let Some(path) = string_literal(block[from..].trim_start()) {
                let start = block[..at]
                    .rfind(|c: char| !(c.is_alphanumeric() || c == '_' || c == '.'))
                    .map_or(0, |s| s + 1);
                out.push((start, method.to_uppercase(), path));
            }
        }
    }
    out.sort();
    out
}

/// A leading Python string literal (with an `f`, `r`, `b` or `u` prefix), f-string
/// fields as `*`, without its query string.
fn string_literal(s: &str) -> Option<String> {
    let s = s.trim_start_matches(['f', 'F', 'r', 'R', 'b', 'B', 'u', 'U']);
    let q = s.chars().next().filter(|c| matches!(c, '\'' | '"'))?;
    let body = &s[1..];
    let end = body.find(q)?;
    crate::request_path(&body[..end])
}

/// A 401, 403 or 404 (or `HTTP_403_FORBIDDEN`, `HTTPStatus.FORBIDDEN`) on a line that
/// asserts it, or a mock asserted not called.
fn is_negative(block: &str) -> bool {
    let mock = [
        "assert_not_called()",
        "assert_not_awaited()",
        "call_count == 0",
        "await_count == 0",
        ".called is False",
    ];
    if mock.iter().any(|m| block.contains(m)) {
        return true;
    }
    block.lines().any(|line| {
        let t = line.trim_start();
        (t.starts_with("assert ") || t.contains(".assert"))
            && !t.contains("!=")
            && !t.contains(" not in ")
            && !t.contains("assertNot")
            && denies(line, &["FORBIDDEN", "UNAUTHORIZED", "NOT_FOUND"])
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    const FILE: &str = r#"from unittest.mock import patch
from fastapi.testclient import TestClient

from app.main import app

client = TestClient(app)


def test_reads_an_item():
    r = client.get("/items/1", headers={"x-user": "u1"})
    assert r.status_code == 200


def helper_not_a_test():
    client.delete("/items/9")


def test_refuses_another_user(
    other,
):
    r = client.get(f"/items/{other.id}?full=1")
    assert r.status_code in (403, 404)


class TestAdmin:
    def test_no_mail_before_authz(self, mailer):
        TestClient(app).post('/items/2/share')
        mailer.send.assert_not_called()

    async def test_counts_4040_as_nothing(self):
        r = client.put("/items/2")
        assert r.json()["total"] == 4040
        assert r.status_code != 403


def test_flask_style(app):
    with app.test_client() as c:
        rv = c.patch("/items/3")
    assert rv.status_code == HTTPStatus.FORBIDDEN
"#;

    #[test]
    fn requests_and_their_kind() {
        let found = scan_text("tests/test_items.py", FILE);
        assert_eq!(
            crate::tests::summary(&found),
            [
                (10, "GET", "/items/1", false),
                (21, "GET", "/items/*", true),
                (27, "POST", "/items/2/share", true),
                (31, "PUT", "/items/2", false),
                (38, "PATCH", "/items/3", true),
            ]
        );
    }

    #[test]
    fn test_files() {
        assert!(is_test_file("tests/test_items.py") && is_test_file("app/items_test.py"));
        assert!(!is_test_file("app/items.py") && !is_test_file("tests/conftest.py"));
        assert!(scan_text("test_x.py", "def test_x():\n    requests.get('/x')\n").is_empty());
    }
}
