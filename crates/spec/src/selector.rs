//! Route selectors (spec-v1 §5): `[METHOD ]PATH` parsing and matching against a route's
//! method and canonical path.
//!
//! - METHOD is an upper-case HTTP method or `*`; absent means any method. A route
//!   registered for all methods (method `*`, `app.all`) serves every method, so `GET /x`
//!   selects it: a property about GET requests must check the handler that answers them.
//! - PATH starts with `/` (a bare `**` is accepted for `/**`). A literal segment matches
//!   only the same literal; `{name}` (or `:name`) matches exactly one route *parameter*
//!   segment, whatever the route calls it, and binds `name`; `*` matches one literal or
//!   parameter segment; `**` matches any number of segments, including none and
//!   including a catch-all parameter `{p*}`, which nothing else matches.
//! - Matching is on the full path, case-sensitive, after removing a trailing `/`.

use std::collections::BTreeMap;
use std::fmt;

/// The methods a selector may name.
pub const METHODS: [&str; 9] = [
    "GET", "POST", "PUT", "PATCH", "DELETE", "HEAD", "OPTIONS", "TRACE", "CONNECT",
];

/// One parsed segment of a selector's path.
#[derive(Debug, Clone, PartialEq, Eq)]
enum Part {
    /// Matches the same literal segment only.
    Lit(Box<str>),
    /// `{name}`: one parameter segment, bound to `name`.
    Param(Box<str>),
    /// `*`: one literal or parameter segment.
    One,
    /// `**`: any run of segments.
    Many,
}

/// One segment of a route's canonical path.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum RouteSeg<'a> {
    Lit(&'a str),
    Param(&'a str),
    CatchAll(&'a str),
}

impl<'a> RouteSeg<'a> {
    fn parse(seg: &'a str) -> RouteSeg<'a> {
        match seg.strip_prefix('{').and_then(|s| s.strip_suffix('}')) {
            Some(inner) => match inner.strip_suffix('*') {
                Some(name) => RouteSeg::CatchAll(name),
                None => RouteSeg::Param(inner),
            },
            None => RouteSeg::Lit(seg),
        }
    }
}

/// A parsed route selector such as `* /projects/{projectId}/**` or `GET /health`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Selector {
    /// The selector as written in the spec.
    pub text: String,
    /// `None` for any method (absent or `*`).
    method: Option<&'static str>,
    parts: Vec<Part>,
}

/// Why a selector does not parse: what is wrong and a hint with the fix.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{message}")]
pub struct SelectorError {
    /// What is wrong, without the selector itself (the caller quotes it): `the selector
    /// has a path that does not start with `/``.
    pub message: String,
    /// How to fix it: ``write `/projects/{id}` ``.
    pub hint: Option<String>,
}

impl SelectorError {
    fn new(what: &str, hint: impl Into<String>) -> SelectorError {
        SelectorError {
            message: format!("the selector {what}"),
            hint: Some(hint.into()),
        }
    }

    /// The message and the hint on one line, as [`Selector::parse`] returns them.
    pub fn one_line(&self) -> String {
        match &self.hint {
            Some(h) => format!("{}; {h}", self.message),
            None => self.message.clone(),
        }
    }
}

/// Whether `c` may appear in a parameter name.
fn is_param_char(c: char) -> bool {
    c.is_alphanumeric() || c == '_' || c == '$'
}

fn methods_list() -> String {
    format!("{} or `*` for any", METHODS.join(", "))
}

impl Selector {
    /// Parses a selector; the error says what is wrong and how to fix it, on one line,
    /// for a spec diagnostic. [`Selector::parse_detailed`] keeps the hint apart.
    pub fn parse(text: &str) -> Result<Selector, String> {
        Selector::parse_detailed(text).map_err(|e| e.one_line())
    }

    /// Parses a selector, returning the message and the hint separately.
    pub fn parse_detailed(text: &str) -> Result<Selector, SelectorError> {
        let tokens: Vec<&str> = text.split_whitespace().collect();
        let (method, path) = match tokens.as_slice() {
            [] => {
                return Err(SelectorError::new(
                    "is empty",
                    "write `[METHOD ]PATH`, such as `GET /projects/{projectId}` or `**` for every route",
                ));
            }
            ["*"] => {
                return Err(SelectorError::new(
                    "is only `*`, which could be a method or a path",
                    "write `**` for every route, or `/*` for the paths of one segment",
                ));
            }
            [one] if one.starts_with('/') || *one == "**" => (None, *one),
            [one] if METHODS.iter().any(|m| m.eq_ignore_ascii_case(one)) => {
                return Err(SelectorError::new(
                    "has a method but no path",
                    format!(
                        "write `{} /**` for every {} route",
                        one.to_ascii_uppercase(),
                        one.to_ascii_uppercase()
                    ),
                ));
            }
            [one] => (None, *one),
            [m, p] => (Some(*m), *p),
            [_, _, ..] => {
                return Err(SelectorError::new(
                    "has whitespace inside its path",
                    "a selector is `[METHOD ]PATH`, one space apart, and a path holds no spaces",
                ));
            }
        };
        let method = match method {
            None | Some("*") => None,
            Some(m) => Some(parse_method(m)?),
        };
        let parts = parse_path(path)?;
        Ok(Selector {
            text: text.to_string(),
            method,
            parts,
        })
    }

    /// The method the selector names; `None` when it selects every method.
    pub fn method(&self) -> Option<&str> {
        self.method
    }

    /// Whether the selector matches a route: `method` is upper-case or `*`, `path` is
    /// canonical (`/projects/{projectId}/files/{p*}`). A route with method `*` serves
    /// every method, so every selector method matches it.
    pub fn matches(&self, method: &str, path: &str) -> bool {
        self.method_matches(method) && self.align(path, |_, _| {})
    }

    /// For a matching route, which route parameter each `{name}` of the selector bound:
    /// selector name → the route's own name (`projectId` → `id` for `/projects/{id}`).
    /// `None` when the selector does not match. Where `**` allows several alignments,
    /// each `**` takes as few segments as it can, leftmost first.
    pub fn matched_bindings(&self, method: &str, path: &str) -> Option<BTreeMap<String, String>> {
        if !self.method_matches(method) {
            return None;
        }
        let mut out = BTreeMap::new();
        self.align(path, |sel, route| {
            out.insert(sel.to_string(), route.to_string());
        })
        .then_some(out)
    }

    /// The names the selector binds with `{name}`, in path order (never twice).
    pub fn bound_params(&self) -> Vec<String> {
        self.parts
            .iter()
            .filter_map(|p| match p {
                Part::Param(n) => Some(n.to_string()),
                _ => None,
            })
            .collect()
    }

    /// Whether the selector binds `name` (`tenant_param` must be bound, spec-v1 §7).
    pub fn binds(&self, name: &str) -> bool {
        self.parts
            .iter()
            .any(|p| matches!(p, Part::Param(n) if **n == *name))
    }

    fn method_matches(&self, method: &str) -> bool {
        match self.method {
            None => true,
            Some(m) => method == "*" || method == m,
        }
    }

    /// Aligns the selector with the route's segments; on success reports each bound
    /// parameter (selector name, route name) to `bind` and returns true.
    ///
    /// Wildcard matching with backtracking to the last `**`: linear in practice, at
    /// worst parts × segments, no recursion. Positions are recorded per part and only
    /// reported once the whole path matched, so a retried alignment leaves no trace.
    fn align(&self, path: &str, mut bind: impl FnMut(&str, &str)) -> bool {
        let path = path.strip_suffix('/').unwrap_or(path);
        let segs: Vec<RouteSeg<'_>> = path
            .split('/')
            .filter(|s| !s.is_empty())
            .map(RouteSeg::parse)
            .collect();
        let parts = &self.parts;
        // The route segment each part consumed (for parameters); `usize::MAX` unset.
        let mut at = vec![usize::MAX; parts.len()];
        let (mut p, mut s) = (0usize, 0usize);
        let mut star: Option<(usize, usize)> = None;
        while s < segs.len() {
            let single = match parts.get(p) {
                Some(Part::Many) => {
                    p += 1;
                    star = Some((p, s));
                    continue;
                }
                Some(Part::One) => !matches!(segs[s], RouteSeg::CatchAll(_)),
                Some(Part::Param(_)) => matches!(segs[s], RouteSeg::Param(_)),
                Some(Part::Lit(l)) => segs[s] == RouteSeg::Lit(l),
                None => false,
            };
            if single {
                at[p] = s;
                p += 1;
                s += 1;
                continue;
            }
            match star {
                Some((sp, ss)) => {
                    star = Some((sp, ss + 1));
                    p = sp;
                    s = ss + 1;
                }
                None => return false,
            }
        }
        if !parts[p..].iter().all(|part| *part == Part::Many) {
            return false;
        }
        for (part, &i) in parts.iter().zip(&at) {
            if let (Part::Param(name), Some(RouteSeg::Param(route_name))) = (part, segs.get(i)) {
                bind(name, route_name);
            }
        }
        true
    }
}

fn parse_method(m: &str) -> Result<&'static str, SelectorError> {
    if let Some(known) = METHODS.iter().find(|k| **k == m) {
        return Ok(known);
    }
    if let Some(known) = METHODS.iter().find(|k| k.eq_ignore_ascii_case(m)) {
        return Err(SelectorError::new(
            &format!("has the method `{m}` in lower case"),
            format!("methods are upper-case: write `{known}`"),
        ));
    }
    if m.starts_with('/') {
        return Err(SelectorError::new(
            "has whitespace inside its path",
            "a selector is `[METHOD ]PATH` and a path holds no spaces",
        ));
    }
    let upper = m.to_ascii_uppercase();
    let close = METHODS
        .iter()
        .map(|k| (strsim::jaro_winkler(k, &upper), *k))
        .filter(|(score, _)| *score > 0.8)
        .max_by(|a, b| a.0.total_cmp(&b.0));
    let hint = match close {
        Some((_, k)) => format!("did you mean `{k}`? methods are {}", methods_list()),
        None => format!("methods are {}", methods_list()),
    };
    Err(SelectorError::new(
        &format!("has an unknown method `{m}`"),
        hint,
    ))
}

fn parse_path(path: &str) -> Result<Vec<Part>, SelectorError> {
    if path == "**" {
        return Ok(vec![Part::Many]);
    }
    let Some(body) = path.strip_prefix('/') else {
        return Err(SelectorError::new(
            "has a path that does not start with `/`",
            format!("write `/{path}`"),
        ));
    };
    if let Some(c) = path.chars().find(|c| matches!(c, '?' | '#')) {
        return Err(SelectorError::new(
            &format!("has `{c}` in its path"),
            "selectors match the path only, without a query string or fragment",
        ));
    }
    let body = body.strip_suffix('/').unwrap_or(body);
    let mut parts: Vec<Part> = Vec::new();
    if body.is_empty() {
        return Ok(parts);
    }
    for seg in body.split('/') {
        let part = parse_segment(seg)?;
        if let Part::Param(name) = &part
            && parts.contains(&part)
        {
            return Err(SelectorError::new(
                &format!("binds `{name}` twice"),
                "give each parameter its own name",
            ));
        }
        // `/**/**` means `/**`; collapsing keeps the matcher linear.
        if part == Part::Many && parts.last() == Some(&Part::Many) {
            continue;
        }
        parts.push(part);
    }
    Ok(parts)
}

fn parse_segment(seg: &str) -> Result<Part, SelectorError> {
    match seg {
        "" => {
            return Err(SelectorError::new(
                "has an empty path segment",
                "separate segments with a single `/`",
            ));
        }
        "*" => return Ok(Part::One),
        "**" => return Ok(Part::Many),
        _ => {}
    }
    let param = if let Some(inner) = seg.strip_prefix('{').and_then(|s| s.strip_suffix('}')) {
        Some(inner)
    } else if seg.starts_with(':') && !seg.contains(['{', '}', '*']) {
        Some(&seg[1..])
    } else {
        None
    };
    if let Some(name) = param {
        if let Some(base) = name.strip_suffix('*')
            && !base.contains(['{', '}', '*'])
        {
            return Err(SelectorError::new(
                &format!("has the catch-all parameter `{seg}`"),
                "a parameter spanning segments is matched only by `**`: write `**` there",
            ));
        }
        if name.is_empty() {
            return Err(SelectorError::new(
                &format!("has a parameter without a name: `{seg}`"),
                "name the parameter, as in `{projectId}`",
            ));
        }
        if !name.contains(['{', '}']) {
            if let Some(c) = name.chars().find(|&c| !is_param_char(c)) {
                return Err(SelectorError::new(
                    &format!("has `{c}` in the parameter name `{seg}`"),
                    "a parameter name holds letters, digits and `_`",
                ));
            }
            return Ok(Part::Param(name.into()));
        }
    }
    let opens = seg.matches('{').count();
    let closes = seg.matches('}').count();
    if opens != closes {
        return Err(SelectorError::new(
            &format!("has unbalanced braces in `{seg}`"),
            "write a parameter as a whole segment, `{name}`",
        ));
    }
    if opens > 0 {
        return Err(SelectorError::new(
            &format!("mixes a parameter with text in `{seg}`"),
            "a parameter is a whole segment; `*` matches any one segment",
        ));
    }
    if seg.contains('*') {
        return Err(SelectorError::new(
            &format!("has `*` inside the segment `{seg}`"),
            "`*` and `**` stand for whole segments: `/files/*` matches `/files/{id}`",
        ));
    }
    Ok(Part::Lit(seg.into()))
}

impl fmt::Display for Selector {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.text)
    }
}

impl std::str::FromStr for Selector {
    type Err = SelectorError;

    fn from_str(s: &str) -> Result<Selector, SelectorError> {
        Selector::parse_detailed(s)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn sel(text: &str) -> Selector {
        Selector::parse(text).unwrap_or_else(|e| panic!("{text}: {e}"))
    }

    /// Each row: selector, routes (`METHOD PATH`) it must match, routes it must not.
    #[test]
    fn matching_table() {
        let table: &[(&str, &[&str], &[&str])] = &[
            (
                "* /projects/{projectId}/**",
                &[
                    "GET /projects/{projectId}",
                    "POST /projects/{id}/report",
                    "* /projects/{pid}/a/b/{c}",
                    "GET /projects/{projectId}/",
                    "GET /projects/{id}/files/{p*}",
                ],
                &[
                    "GET /projects",
                    "GET /projects/new",
                    "GET /projects/{p*}",
                    "GET /x/projects/{id}",
                ],
            ),
            (
                "GET /health",
                &["GET /health", "GET /health/", "* /health"],
                &[
                    "POST /health",
                    "GET /Health",
                    "GET /health/x",
                    "GET /healthz",
                    "GET /{health}",
                ],
            ),
            (
                "/health",
                &["GET /health", "DELETE /health", "* /health"],
                &["GET /"],
            ),
            ("**", &["GET /", "POST /a/{b}/{c*}", "* /x"], &[]),
            ("* /**", &["GET /", "PUT /a"], &[]),
            ("GET /**", &["GET /", "GET /a/b", "* /a"], &["POST /a"]),
            ("GET /", &["GET /", "GET "], &["GET /a"]),
            (
                "/a/*",
                &["GET /a/b", "GET /a/{id}"],
                &["GET /a", "GET /a/b/c", "GET /a/{p*}"],
            ),
            ("/a/*/c", &["GET /a/b/c", "GET /a/{x}/c"], &["GET /a/c"]),
            (
                "/a/**/c",
                &["GET /a/c", "GET /a/b/c", "GET /a/{x}/{y}/c"],
                &["GET /a/c/d"],
            ),
            (
                "/files/**",
                &["GET /files", "GET /files/{p*}"],
                &["GET /filesx"],
            ),
            (
                "/**/export",
                &["GET /export", "GET /p/{id}/export"],
                &["GET /p/export/x"],
            ),
            (
                "/users/:id",
                &["GET /users/{userId}"],
                &["GET /users/me", "GET /users/{p*}"],
            ),
            ("OPTIONS /a", &["OPTIONS /a"], &["GET /a"]),
        ];
        for (text, yes, no) in table {
            let s = sel(text);
            for route in *yes {
                let (m, p) = route.split_once(' ').unwrap();
                assert!(s.matches(m, p), "`{text}` should match `{route}`");
                assert!(s.matched_bindings(m, p).is_some());
            }
            for route in *no {
                let (m, p) = route.split_once(' ').unwrap();
                assert!(!s.matches(m, p), "`{text}` should not match `{route}`");
                assert!(s.matched_bindings(m, p).is_none());
            }
        }
    }

    #[test]
    fn bindings_name_the_route_parameter() {
        let s = sel("* /projects/{projectId}/files/{fileId}");
        assert_eq!(s.bound_params(), ["projectId", "fileId"]);
        assert!(s.binds("projectId") && !s.binds("id"));
        let b = s
            .matched_bindings("GET", "/projects/{id}/files/{file}")
            .unwrap();
        assert_eq!(
            b,
            BTreeMap::from([
                ("fileId".to_string(), "file".to_string()),
                ("projectId".to_string(), "id".to_string()),
            ])
        );
        let s = sel("/**/{x}/**");
        let b = s.matched_bindings("GET", "/a/{first}/b/{second}").unwrap();
        assert_eq!(b["x"], "first", "`**` takes as few segments as it can");
        assert_eq!(sel("/u/:id").bound_params(), ["id"]);
    }

    #[test]
    fn accessors() {
        assert_eq!(sel("GET /a").method(), Some("GET"));
        assert_eq!(sel("* /a").method(), None);
        assert_eq!(sel("/a").method(), None);
        assert_eq!(sel("GET  /a").to_string(), "GET  /a");
        assert_eq!("GET /a".parse::<Selector>().unwrap(), sel("GET /a"));
        assert_eq!(
            sel("/a/**/**/b").parts.len(),
            3,
            "consecutive `**` collapse"
        );
    }

    /// Each row: bad selector, a fragment of the message, a fragment of the hint.
    #[test]
    fn parse_errors() {
        let table: &[(&str, &str, &str)] = &[
            ("", "is empty", "`**` for every route"),
            ("*", "only `*`", "`**` for every route"),
            ("GET", "no path", "`GET /**`"),
            (
                "projects/{id}",
                "does not start with `/`",
                "`/projects/{id}`",
            ),
            ("GET projects", "does not start with `/`", "`/projects`"),
            ("get /a", "lower case", "`GET`"),
            ("FETCH /a", "unknown method `FETCH`", "GET, POST"),
            ("PSOT /a", "unknown method", "did you mean `POST`"),
            ("GET /a /b", "whitespace inside its path", "no spaces"),
            ("/a /b", "whitespace inside its path", "no spaces"),
            ("/a//b", "empty path segment", "single `/`"),
            ("/a/{id", "unbalanced braces", "`{name}`"),
            ("/a/id}", "unbalanced braces", ""),
            ("/a/{}", "without a name", "`{projectId}`"),
            ("/a/:", "without a name", ""),
            ("/a/{p*}", "catch-all parameter", "only by `**`"),
            ("/a/{a-b}", "`-` in the parameter name", "letters"),
            ("/a/{x}.json", "mixes a parameter with text", "`*`"),
            ("/a/{{x}}", "mixes a parameter with text", ""),
            ("/a/x**", "`*` inside the segment", "whole segments"),
            ("/a/***", "`*` inside the segment", ""),
            ("/a?x=1", "`?` in its path", "query string"),
            ("/{id}/{id}", "binds `id` twice", "own name"),
            ("/{id}/:id", "binds `id` twice", ""),
        ];
        for (text, msg, hint) in table {
            let err = Selector::parse_detailed(text).expect_err(text);
            assert!(err.message.contains(msg), "{text:?}: {}", err.message);
            assert!(
                err.message.starts_with("the selector "),
                "{text:?}: {}",
                err.message
            );
            let h = err.hint.clone().unwrap_or_default();
            assert!(h.contains(hint), "{text:?}: hint {h:?}");
            assert!(!err.message.ends_with('.') && !h.ends_with('.'));
            assert_eq!(Selector::parse(text).unwrap_err(), err.one_line());
        }
    }

    /// The reference semantics, written plainly: try every alignment, `**` shortest first.
    fn reference(parts: &[Part], path: &str) -> Option<BTreeMap<String, String>> {
        fn go(parts: &[Part], segs: &[RouteSeg<'_>], out: &mut Vec<(String, String)>) -> bool {
            let Some((first, rest)) = parts.split_first() else {
                return segs.is_empty();
            };
            if let Part::Many = first {
                return (0..=segs.len()).any(|k| go(rest, &segs[k..], out));
            }
            let Some((seg, tail)) = segs.split_first() else {
                return false;
            };
            let ok = match (first, seg) {
                (Part::One, RouteSeg::CatchAll(_)) => false,
                (Part::One, _) => true,
                (Part::Param(n), RouteSeg::Param(r)) => {
                    out.push((n.to_string(), r.to_string()));
                    true
                }
                (Part::Lit(l), RouteSeg::Lit(r)) => **l == **r,
                _ => false,
            };
            let mark = out.len() - usize::from(ok && matches!(first, Part::Param(_)));
            if ok && go(rest, tail, out) {
                return true;
            }
            out.truncate(mark);
            false
        }
        let segs: Vec<RouteSeg<'_>> = path
            .split('/')
            .filter(|s| !s.is_empty())
            .map(RouteSeg::parse)
            .collect();
        let mut out = Vec::new();
        go(parts, &segs, &mut out).then(|| out.into_iter().collect())
    }

    fn route_seg() -> impl Strategy<Value = String> {
        prop_oneof![
            Just("a".to_string()),
            Just("b".to_string()),
            Just("{r1}".to_string()),
            Just("{r2}".to_string()),
            Just("{rest*}".to_string()),
        ]
    }

    fn route_path() -> impl Strategy<Value = String> {
        prop::collection::vec(route_seg(), 0..6).prop_map(|s| format!("/{}", s.join("/")))
    }

    fn small_selector() -> impl Strategy<Value = String> {
        let part = prop_oneof![Just("a"), Just("b"), Just("{}"), Just("*"), Just("**")];
        prop::collection::vec(part, 0..5).prop_map(|parts| {
            let mut n = 0;
            let segs: Vec<String> = parts
                .into_iter()
                .map(|p| {
                    if p == "{}" {
                        n += 1;
                        format!("{{s{n}}}")
                    } else {
                        p.to_string()
                    }
                })
                .collect();
            format!("/{}", segs.join("/"))
        })
    }

    fn method() -> impl Strategy<Value = &'static str> {
        prop_oneof![Just("GET"), Just("POST"), Just("*")]
    }

    proptest! {
        #[test]
        fn matcher_agrees_with_reference(s in small_selector(), path in route_path()) {
            let parsed = sel(&s);
            let expected = reference(&parsed.parts, &path);
            prop_assert_eq!(parsed.matched_bindings("GET", &path), expected.clone(), "{} on {}", s, path);
            prop_assert_eq!(parsed.matches("GET", &path), expected.is_some());
        }

        /// A selector written from a route's own path (parameters renamed, a catch-all
        /// written `**`) always matches it and binds each parameter to the route's.
        #[test]
        fn selector_from_a_path_matches_it(m in method(), path in route_path(), trailing in any::<bool>()) {
            let segs: Vec<&str> = path.split('/').filter(|s| !s.is_empty()).collect();
            let mut expected = BTreeMap::new();
            let written: Vec<String> = segs.iter().enumerate().map(|(i, s)| {
                match RouteSeg::parse(s) {
                    RouteSeg::Lit(l) => l.to_string(),
                    RouteSeg::Param(r) => {
                        expected.insert(format!("p{i}"), r.to_string());
                        format!("{{p{i}}}")
                    }
                    RouteSeg::CatchAll(_) => "**".to_string(),
                }
            }).collect();
            let text = format!("{m} /{}{}", written.join("/"), if trailing { "/" } else { "" });
            let s = sel(&text);
            let route_method = if m == "*" { "DELETE" } else { m };
            prop_assert_eq!(s.matched_bindings(route_method, &path), Some(expected), "{}", text);
            prop_assert!(s.matches("*", &path), "an all-method route serves {}", m);
        }

        #[test]
        fn double_star_matches_everything(m in method(), path in route_path()) {
            prop_assert!(sel("**").matches(m, &path));
            prop_assert!(sel("* /**").matches(m, &path));
            prop_assert_eq!(sel("**").matched_bindings(m, &path), Some(BTreeMap::new()));
        }

        #[test]
        fn parse_and_match_never_panic(text in "\\PC{0,16}", path in "\\PC{0,16}") {
            if let Ok(s) = Selector::parse(&text) {
                let _ = s.matches("GET", &path);
                let _ = s.matched_bindings("*", &path);
            }
        }
    }
}
