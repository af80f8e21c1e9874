//! Call patterns (spec-v1 §4): parsing and matching against a call's names.
//!
//! A pattern is a path of segments separated by `.` or `::` (both are separators in
//! patterns and in names, so `tracing::info` and `tracing.info` are the same path).
//! It matches a name when its segments equal the name's *trailing* segments:
//! `audit.record` matches `audit.record` and `x.audit.record`, not `audit.recordAll`.
//! `*` is exactly one segment; `**` and a trailing `.*` (or `::*`) are zero or more, so
//! `axios.*` also matches `axios`. A leading `^` anchors the pattern at the first segment.
//! A leading `this.`, `self.`, `Self::`, `crate::` or `super::` is dropped from a pattern,
//! as it is from names.
//!
//! Patterns are matched against every call of every handler, for every pattern of the
//! spec, so the segments are split once at parse time and [`Pattern::matches`] does not
//! allocate (for names of up to 32 segments).

use std::fmt;

/// One parsed segment of a pattern.
#[derive(Debug, Clone, PartialEq, Eq)]
enum Seg {
    /// Must equal the name's segment exactly (case-sensitive).
    Lit(Box<str>),
    /// `*`: exactly one segment.
    One,
    /// `**` or a trailing `*`: zero or more segments.
    Many,
}

/// How a pattern is matched; chosen at parse time so the common shapes skip the general
/// matcher.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Shape {
    /// Literal segments only (`audit.record`): compare from the end.
    Literal,
    /// Literal segments then one trailing `**` (`reports.*`).
    LiteralPrefix,
    /// Anything else: the general segment matcher.
    General,
}

/// A parsed call pattern such as `reports.*`, `^db.query`, `axum::extract::*`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Pattern {
    /// The pattern as written in the spec.
    pub text: String,
    /// A leading `^`: the pattern's first segment is the name's first segment.
    anchored: bool,
    segs: Vec<Seg>,
    shape: Shape,
}

/// Why a pattern does not parse: what is wrong and, where one helps, a hint with the
/// fix.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{message}")]
pub struct PatternError {
    /// What is wrong, without the pattern itself (the caller quotes it): `the pattern
    /// has call syntax`.
    pub message: String,
    /// How to fix it: `write the callee path without parentheses: `db.query``.
    pub hint: Option<String>,
}

impl PatternError {
    fn new(what: &str, hint: impl Into<Option<String>>) -> PatternError {
        PatternError {
            message: format!("the pattern {what}"),
            hint: hint.into(),
        }
    }

    /// The message and the hint on one line, as [`Pattern::parse`] returns them.
    pub fn one_line(&self) -> String {
        match &self.hint {
            Some(h) => format!("{}; {h}", self.message),
            None => self.message.clone(),
        }
    }
}

/// Whether `c` may appear in a literal segment: identifier characters of the supported
/// languages (Unicode letters and digits, `_`) and `$` (JavaScript).
fn is_name_char(c: char) -> bool {
    c.is_alphanumeric() || c == '_' || c == '$'
}

impl Pattern {
    /// Parses a pattern; the error says what is wrong and how to fix it, on one line, for
    /// a spec diagnostic. [`Pattern::parse_detailed`] keeps the hint apart.
    pub fn parse(text: &str) -> Result<Pattern, String> {
        Pattern::parse_detailed(text).map_err(|e| e.one_line())
    }

    /// Parses a pattern, returning the message and the hint separately.
    pub fn parse_detailed(text: &str) -> Result<Pattern, PatternError> {
        if text.trim().is_empty() {
            return Err(PatternError::new(
                "is empty",
                Some("write a callee path such as `audit.record` or `reports.*`".to_string()),
            ));
        }
        if text.chars().any(char::is_whitespace) {
            // `new X`, `await f` and `a. b` have an obvious intended path; suggest it only
            // when it is itself a valid pattern.
            let trimmed = text.trim();
            let rest = ["new ", "await "]
                .iter()
                .find_map(|k| trimmed.strip_prefix(k))
                .unwrap_or(trimmed);
            let mut candidate: String = rest.chars().filter(|c| !c.is_whitespace()).collect();
            if let Some(open) = candidate.find('(') {
                candidate.truncate(open);
            }
            let hint = if Pattern::parse_detailed(&candidate).is_ok() {
                format!("write the callee path alone, without spaces: `{candidate}`")
            } else {
                "write the callee path alone, without spaces".to_string()
            };
            return Err(PatternError::new("contains whitespace", Some(hint)));
        }
        if let Some(open) = text.find(['(', ')']) {
            let callee = &text[..open];
            let hint = if callee.is_empty() || text[open..].contains(['.', ':']) {
                "write the callee path without parentheses".to_string()
            } else {
                format!("write the callee path without parentheses: `{callee}`")
            };
            return Err(PatternError::new("has call syntax", Some(hint)));
        }
        let (anchored, body) = match text.strip_prefix('^') {
            Some(rest) => (true, rest),
            None => (false, text),
        };
        if body.contains('^') {
            return Err(PatternError::new(
                "has `^` after its start",
                Some("`^` anchors the pattern at the first segment and may only lead it".into()),
            ));
        }
        // Names drop these receivers (spec-v1 §4); a pattern written with one means the
        // same path, so drop them here too rather than match nothing.
        let mut body = body;
        while let Some(rest) = ["this.", "self.", "Self::", "crate::", "super::"]
            .iter()
            .find_map(|p| body.strip_prefix(p))
            .filter(|rest| !rest.is_empty())
        {
            body = rest;
        }
        if body.is_empty() {
            return Err(PatternError::new(
                "has no segment after `^`",
                Some("write a callee path after `^`, such as `^db.query`".to_string()),
            ));
        }
        if let Some(bad) = body
            .chars()
            .find(|&c| !(is_name_char(c) || c == '*' || c == '.' || c == ':'))
        {
            let hint = match bad {
                '[' | ']' | '\'' | '"' => {
                    "write a member access by a literal key as a segment: `db['q']` is `db.q`"
                        .to_string()
                }
                '/' | '\\' => "name the imported module by its file stem or package name, \
                               separated by `.`: `./audit` is `audit`"
                    .to_string(),
                '!' | '?' => {
                    "leave out a macro's `!` and a `?`: they are ignored in names".to_string()
                }
                _ => "a pattern holds identifiers, `$`, `*` and `^`, separated by `.` or `::`"
                    .to_string(),
            };
            return Err(PatternError::new(&format!("contains `{bad}`"), Some(hint)));
        }

        let raw = split_separators(body).map_err(|what| {
            PatternError::new(
                what,
                Some(
                    "separate segments with `.` or `::`, as in `audit.record` or `tracing::info`"
                        .into(),
                ),
            )
        })?;
        let last = raw.len() - 1;
        let mut segs: Vec<Seg> = Vec::with_capacity(raw.len());
        for (i, s) in raw.into_iter().enumerate() {
            let seg = match s {
                "" => {
                    return Err(PatternError::new(
                        "has an empty segment",
                        Some(
                            "separate segments with a single `.` or `::` and do not end with one"
                                .to_string(),
                        ),
                    ));
                }
                "**" => Seg::Many,
                // A trailing `.*` is zero or more segments (spec-v1 §4); a lone `*` or one
                // inside the path is exactly one.
                "*" if i == last && i > 0 => Seg::Many,
                "*" => Seg::One,
                s if s.contains('*') => {
                    return Err(PatternError::new(
                        &format!("has `*` inside the segment `{s}`"),
                        Some(
                            "`*` and `**` stand for whole segments: `reports.*` matches \
                             `reports.build`, `reports.build*` is not a pattern"
                                .to_string(),
                        ),
                    ));
                }
                s => Seg::Lit(s.into()),
            };
            // `**.**` means the same as `**`; collapsing keeps the general matcher linear.
            if seg == Seg::Many && segs.last() == Some(&Seg::Many) {
                continue;
            }
            segs.push(seg);
        }

        let lits = segs.iter().filter(|s| matches!(s, Seg::Lit(_))).count();
        let shape = if lits == segs.len() {
            Shape::Literal
        } else if lits == segs.len() - 1 && segs.last() == Some(&Seg::Many) && lits > 0 {
            Shape::LiteralPrefix
        } else {
            Shape::General
        };
        Ok(Pattern {
            text: text.to_string(),
            anchored,
            segs,
            shape,
        })
    }

    /// Whether the pattern matches one of `names` (each a `.`- or `::`-separated path).
    pub fn matches_any<S: AsRef<str>>(&self, names: &[S]) -> bool {
        names.iter().any(|n| self.matches(n.as_ref()))
    }

    /// Whether the pattern matches one name: its segments equal the name's trailing
    /// segments (all of them when anchored with `^`). An empty name matches nothing.
    pub fn matches(&self, name: &str) -> bool {
        if name.is_empty() {
            return false;
        }
        match self.shape {
            Shape::Literal => self.match_literal(name),
            Shape::LiteralPrefix => self.match_literal_prefix(name),
            Shape::General => self.match_general(name),
        }
    }

    /// The literal the name's last segment must equal, when the pattern ends with one
    /// (`record` for `audit.record`); `None` for a pattern ending in `*` or `**`. Lets a
    /// caller index many patterns by their last segment.
    pub fn last_literal(&self) -> Option<&str> {
        match self.segs.last() {
            Some(Seg::Lit(l)) => Some(l),
            _ => None,
        }
    }

    /// Whether the pattern is anchored at the name's first segment (`^db.query`).
    pub fn is_anchored(&self) -> bool {
        self.anchored
    }

    fn literals(&self) -> impl DoubleEndedIterator<Item = &str> + ExactSizeIterator {
        self.segs.iter().map(|s| match s {
            Seg::Lit(l) => &**l,
            // Only called for shapes made of literals (and a trailing `**`, skipped).
            Seg::One | Seg::Many => "",
        })
    }

    /// `audit.record`: the name's last segments, compared from the end.
    fn match_literal(&self, name: &str) -> bool {
        let mut name_rev = NameSegments::new(name);
        for lit in self.literals().rev() {
            match name_rev.next_back() {
                Some(s) if s == lit => {}
                _ => return false,
            }
        }
        !self.anchored || name_rev.next_back().is_none()
    }

    /// `reports.*`: the literal prefix occurs as consecutive segments anywhere in the name
    /// (at its start when anchored); whatever follows is the trailing `**`.
    fn match_literal_prefix(&self, name: &str) -> bool {
        let prefix = &self.segs[..self.segs.len() - 1];
        let starts_at = |mut rest: NameSegments<'_>| {
            prefix.iter().all(|p| match (p, rest.next()) {
                (Seg::Lit(l), Some(s)) => **l == *s,
                _ => false,
            })
        };
        if self.anchored {
            return starts_at(NameSegments::new(name));
        }
        let mut from = NameSegments::new(name);
        loop {
            if starts_at(from.clone()) {
                return true;
            }
            if from.next().is_none() {
                return false;
            }
        }
    }

    /// Any pattern: split the name into a stack buffer and run a glob over segments where
    /// `*` is one segment and `**` any run (the unanchored pattern has an implicit leading
    /// `**`). Names longer than the buffer fall back to a heap buffer.
    fn match_general(&self, name: &str) -> bool {
        const STACK: usize = 32;
        let mut buf = [""; STACK];
        let mut n = 0;
        let mut heap: Vec<&str> = Vec::new();
        for s in NameSegments::new(name) {
            if n < STACK {
                buf[n] = s;
            } else {
                if heap.is_empty() {
                    heap.extend_from_slice(&buf);
                }
                heap.push(s);
            }
            n += 1;
        }
        let segs: &[&str] = if n <= STACK { &buf[..n] } else { &heap };
        glob(&self.segs, self.anchored, segs)
    }
}

/// Classic wildcard matching with backtracking to the last `**`: O(pattern × name) and
/// no recursion. An unanchored pattern starts with an implicit `**`.
fn glob(pat: &[Seg], anchored: bool, name: &[&str]) -> bool {
    let (mut p, mut s) = (0usize, 0usize);
    // The last `**` seen: the pattern index after it and the name index it resumes from.
    let mut star: Option<(usize, usize)> = if anchored { None } else { Some((0, 0)) };
    while s < name.len() {
        match pat.get(p) {
            Some(Seg::Many) => {
                p += 1;
                star = Some((p, s));
                continue;
            }
            Some(Seg::One) => {
                p += 1;
                s += 1;
                continue;
            }
            Some(Seg::Lit(l)) if **l == *name[s] => {
                p += 1;
                s += 1;
                continue;
            }
            _ => {}
        }
        match star {
            Some((sp, ss)) => {
                // Let the last `**` swallow one more segment and retry after it.
                star = Some((sp, ss + 1));
                p = sp;
                s = ss + 1;
            }
            None => return false,
        }
    }
    pat[p..].iter().all(|seg| *seg == Seg::Many)
}

/// Splits a pattern body at `.` and `::`; a single `:` (or `:::`) is an error.
fn split_separators(body: &str) -> Result<Vec<&str>, &'static str> {
    let mut out = Vec::new();
    let mut start = 0;
    let b = body.as_bytes();
    let mut i = 0;
    while i < b.len() {
        match b[i] {
            b'.' => {
                out.push(&body[start..i]);
                i += 1;
                start = i;
            }
            b':' => {
                if b.get(i + 1) != Some(&b':') {
                    return Err("has a single `:`");
                }
                out.push(&body[start..i]);
                i += 2;
                start = i;
            }
            _ => i += 1,
        }
    }
    out.push(&body[start..]);
    Ok(out)
}

/// The segments of a call name, split at `.` and `::`, from either end, without
/// allocating. A lone `:` stays inside its segment.
#[derive(Debug, Clone)]
pub struct NameSegments<'a> {
    /// What is left to yield; `None` once exhausted (an empty remainder is still one
    /// empty segment, as in `a.`).
    rest: Option<&'a str>,
}

impl<'a> NameSegments<'a> {
    /// The segments of `name`.
    pub fn new(name: &'a str) -> NameSegments<'a> {
        NameSegments { rest: Some(name) }
    }
}

/// The first separator in `s`: its byte index and length.
fn find_sep(s: &str) -> Option<(usize, usize)> {
    let b = s.as_bytes();
    let mut i = 0;
    while i < b.len() {
        match b[i] {
            b'.' => return Some((i, 1)),
            b':' if b.get(i + 1) == Some(&b':') => return Some((i, 2)),
            _ => i += 1,
        }
    }
    None
}

/// The last separator in `s`: its byte index and length.
fn rfind_sep(s: &str) -> Option<(usize, usize)> {
    let b = s.as_bytes();
    let mut i = b.len();
    while i > 0 {
        i -= 1;
        match b[i] {
            b'.' => return Some((i, 1)),
            b':' => {
                // Pair the colons of a run from its start, as the forward split does, so
                // both directions agree on `:::a` (`""`, `":a"`).
                let mut start = i;
                while start > 0 && b[start - 1] == b':' {
                    start -= 1;
                }
                let run = i - start + 1;
                let pairs = run / 2;
                if pairs > 0 {
                    return Some((start + 2 * (pairs - 1), 2));
                }
                i = start;
            }
            _ => {}
        }
    }
    None
}

impl<'a> Iterator for NameSegments<'a> {
    type Item = &'a str;

    fn next(&mut self) -> Option<&'a str> {
        let rest = self.rest?;
        match find_sep(rest) {
            Some((i, len)) => {
                self.rest = Some(&rest[i + len..]);
                Some(&rest[..i])
            }
            None => {
                self.rest = None;
                Some(rest)
            }
        }
    }
}

impl DoubleEndedIterator for NameSegments<'_> {
    fn next_back(&mut self) -> Option<Self::Item> {
        let rest = self.rest?;
        match rfind_sep(rest) {
            Some((i, len)) => {
                self.rest = Some(&rest[..i]);
                Some(&rest[i + len..])
            }
            None => {
                self.rest = None;
                Some(rest)
            }
        }
    }
}

impl fmt::Display for Pattern {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.text)
    }
}

impl std::str::FromStr for Pattern {
    type Err = PatternError;

    fn from_str(s: &str) -> Result<Pattern, PatternError> {
        Pattern::parse_detailed(s)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn p(text: &str) -> Pattern {
        Pattern::parse(text).unwrap_or_else(|e| panic!("{text}: {e}"))
    }

    /// Each row: pattern, names it must match, names it must not match.
    #[test]
    fn matching_table() {
        let table: &[(&str, &[&str], &[&str])] = &[
            (
                "audit.record",
                &[
                    "audit.record",
                    "x.audit.record",
                    "app.audit.record",
                    "audit::record",
                ],
                &[
                    "audit.recordAll",
                    "record",
                    "audit",
                    "audit.record.x",
                    "myaudit.record",
                ],
            ),
            (
                "fetch",
                &["fetch", "window.fetch"],
                &["prefetch", "fetcher", "fetch.x"],
            ),
            (
                "axios.*",
                &[
                    "axios",
                    "axios.get",
                    "axios.get.x",
                    "lib.axios.post",
                    "x.axios",
                ],
                &["axiosx", "myaxios.get", "get"],
            ),
            (
                "reports.*",
                &["reports.buildProjectReport", "this_reports.reports.x"],
                &["report.build", "reportsx.build"],
            ),
            (
                "db.*.find",
                &["db.users.find", "x.db.users.find"],
                &["db.find", "db.a.b.find"],
            ),
            (
                "db.**.find",
                &["db.find", "db.users.find", "db.a.b.find"],
                &["db.find.x"],
            ),
            ("*", &["a", "a.b", "a::b::c"], &[]),
            ("**", &["a", "a.b"], &[]),
            ("*.query", &["db.query", "x.db.query"], &["query"]),
            (
                "^db.query",
                &["db.query", "db::query"],
                &["x.db.query", "db.query.x"],
            ),
            ("^axios.*", &["axios", "axios.get"], &["x.axios.get"]),
            ("^*.query", &["db.query"], &["x.db.query", "query"]),
            ("^**.query", &["query", "a.b.query"], &["query.x"]),
            (
                "tracing::info",
                &["tracing::info", "tracing.info", "crate_x::tracing::info"],
                &["tracing::infos"],
            ),
            (
                "axum::extract::*",
                &["axum::extract::Path", "axum::extract"],
                &["axum::Json"],
            ),
            ("$http.get", &["$http.get", "this.$http.get"], &["http.get"]),
            ("a.*.*", &["a.b", "a.b.c", "a.b.c.d"], &["a"]),
            (
                "**.a.**.b",
                &["a.b", "x.a.y.z.b", "a.a.b.b"],
                &["b.a", "a.b.c"],
            ),
            ("Audit.record", &["Audit.record"], &["audit.record"]),
            ("ünïcode.ok", &["x.ünïcode.ok"], &["unicode.ok"]),
            // Receivers that names drop are dropped from patterns too.
            (
                "this.audit.record",
                &["audit.record", "x.audit.record"],
                &["this.x"],
            ),
            (
                "^crate::db::query",
                &["db::query", "db.query"],
                &["app::db::query"],
            ),
            ("^super::super::a", &["a"], &["b.a"]),
            ("self", &["self", "x.self"], &[]),
        ];
        for (pat, yes, no) in table {
            let pat = p(pat);
            for n in *yes {
                assert!(pat.matches(n), "`{}` should match `{n}`", pat.text);
            }
            for n in *no {
                assert!(!pat.matches(n), "`{}` should not match `{n}`", pat.text);
            }
            assert!(!pat.matches(""), "`{}` matched the empty name", pat.text);
        }
    }

    #[test]
    fn matches_any_tries_every_name() {
        let pat = p("membership.canView");
        assert!(pat.matches_any(&["cv", "membership.canView"]));
        assert!(!pat.matches_any(&["cv", "canView"]));
        assert!(!pat.matches_any::<&str>(&[]));
        assert!(pat.matches_any(&["membership.canView".to_string()]));
    }

    #[test]
    fn shapes_take_the_fast_paths() {
        assert_eq!(p("audit.record").shape, Shape::Literal);
        assert_eq!(p("^audit.record").shape, Shape::Literal);
        assert_eq!(p("reports.*").shape, Shape::LiteralPrefix);
        assert_eq!(p("reports.**").shape, Shape::LiteralPrefix);
        assert_eq!(p("*.query").shape, Shape::General);
        assert_eq!(p("**").shape, Shape::General);
        assert_eq!(p("a.**.**.b").segs.len(), 3, "consecutive `**` collapse");
    }

    #[test]
    fn accessors() {
        assert_eq!(p("audit.record").last_literal(), Some("record"));
        assert_eq!(p("reports.*").last_literal(), None);
        assert!(p("^db.query").is_anchored());
        assert!(!p("db.query").is_anchored());
        assert_eq!(p("^db.query").to_string(), "^db.query");
        assert_eq!("a.b".parse::<Pattern>().unwrap(), p("a.b"));
    }

    #[test]
    fn name_segments_split_both_ways() {
        let fwd: Vec<_> = NameSegments::new("a.b::c:d").collect();
        assert_eq!(fwd, ["a", "b", "c:d"]);
        let back: Vec<_> = NameSegments::new("a.b::c:d").rev().collect();
        assert_eq!(back, ["c:d", "b", "a"]);
        assert_eq!(NameSegments::new("a.").collect::<Vec<_>>(), ["a", ""]);
        assert_eq!(NameSegments::new(":::a").collect::<Vec<_>>(), ["", ":a"]);
        assert_eq!(
            NameSegments::new(":::a").rev().collect::<Vec<_>>(),
            [":a", ""]
        );
    }

    /// Each row: bad pattern, a fragment of the message, a fragment of the hint.
    #[test]
    fn parse_errors() {
        let table: &[(&str, &str, &str)] = &[
            ("", "is empty", "callee path"),
            ("   ", "is empty", "callee path"),
            ("^", "no segment after `^`", "`^db.query`"),
            ("a..b", "empty segment", "single `.`"),
            ("a.", "empty segment", "do not end"),
            (".a", "empty segment", ""),
            ("a::", "empty segment", ""),
            ("a:b", "single `:`", "`::`"),
            ("a:::b", "single `:`", "`::`"),
            ("db. query", "whitespace", "`db.query`"),
            ("new Client", "whitespace", "`Client`"),
            ("await db.query(x)", "whitespace", "`db.query`"),
            ("a - b", "whitespace", "without spaces"),
            (
                "db.query()",
                "call syntax",
                "without parentheses: `db.query`",
            ),
            ("db.query(x).y", "call syntax", "without parentheses"),
            ("a.^b", "`^` after its start", "may only lead"),
            ("^^a", "`^` after its start", ""),
            ("db['q']", "contains `[`", "`db.q`"),
            ("./audit.record", "contains `/`", "file stem"),
            ("println!", "contains `!`", "macro"),
            ("a-b", "contains `-`", "identifiers"),
            ("reports.build*", "`*` inside the segment", "whole segments"),
            ("***", "`*` inside the segment", ""),
        ];
        for (text, msg, hint) in table {
            let err = Pattern::parse_detailed(text).expect_err(text);
            assert!(err.message.contains(msg), "{text:?}: {}", err.message);
            assert!(
                err.message.starts_with("the pattern "),
                "{text:?}: {}",
                err.message
            );
            let h = err.hint.clone().unwrap_or_default();
            assert!(h.contains(hint), "{text:?}: hint {h:?}");
            assert!(!err.message.ends_with('.') && !h.ends_with('.'));
            assert_eq!(Pattern::parse(text).unwrap_err(), err.one_line());
        }
    }

    /// The reference semantics, written plainly: try every way to align the pattern with
    /// the name's trailing segments.
    fn reference(pat: &[Seg], anchored: bool, name: &str) -> bool {
        fn go(pat: &[Seg], name: &[&str]) -> bool {
            match pat.split_first() {
                None => name.is_empty(),
                Some((Seg::Many, rest)) => (0..=name.len()).any(|k| go(rest, &name[k..])),
                Some((Seg::One, rest)) => !name.is_empty() && go(rest, &name[1..]),
                Some((Seg::Lit(l), rest)) => name.first() == Some(&&**l) && go(rest, &name[1..]),
            }
        }
        if name.is_empty() {
            return false;
        }
        let segs: Vec<&str> = NameSegments::new(name).collect();
        if anchored {
            go(pat, &segs)
        } else {
            (0..=segs.len()).any(|k| go(pat, &segs[k..]))
        }
    }

    fn small_pattern() -> impl Strategy<Value = String> {
        let seg = prop_oneof![
            Just("a".to_string()),
            Just("b".to_string()),
            Just("ab".to_string()),
            Just("*".to_string()),
            Just("**".to_string()),
        ];
        (
            any::<bool>(),
            prop::collection::vec(seg, 1..5),
            any::<bool>(),
        )
            .prop_map(|(anchor, segs, colons)| {
                let sep = if colons { "::" } else { "." };
                format!("{}{}", if anchor { "^" } else { "" }, segs.join(sep))
            })
    }

    fn small_name() -> impl Strategy<Value = String> {
        let seg = prop_oneof![Just("a"), Just("b"), Just("ab"), Just("c")];
        prop::collection::vec((seg, any::<bool>()), 1..7).prop_map(|segs| {
            let mut out = String::new();
            for (i, (s, colons)) in segs.iter().enumerate() {
                if i > 0 {
                    out.push_str(if *colons { "::" } else { "." });
                }
                out.push_str(s);
            }
            out
        })
    }

    proptest! {
        #[test]
        fn fast_paths_agree_with_reference(pat in small_pattern(), name in small_name()) {
            let parsed = p(&pat);
            prop_assert_eq!(
                parsed.matches(&name),
                reference(&parsed.segs, parsed.anchored, &name),
                "pattern {} name {}", pat, name
            );
        }

        #[test]
        fn a_name_matches_its_own_trailing_segments(name in small_name(), k in 1usize..7) {
            let segs: Vec<&str> = NameSegments::new(&name).collect();
            let k = k.min(segs.len());
            let tail = segs[segs.len() - k..].join(".");
            prop_assert!(p(&tail).matches(&name));
            let anchored = format!("^{}", segs.join("::"));
            prop_assert!(p(&anchored).matches(&name));
            prop_assert!(p("**").matches(&name));
        }

        #[test]
        fn parse_and_match_never_panic(pat in "\\PC{0,12}", name in "\\PC{0,12}") {
            if let Ok(parsed) = Pattern::parse(&pat) {
                let _ = parsed.matches(&name);
            }
        }

        #[test]
        fn long_names_use_the_heap_buffer(n in 30usize..80) {
            let name = vec!["a"; n].join(".") + ".b";
            prop_assert!(p("*.a.b").matches(&name));
            prop_assert!(p("^a.**.a.b").matches(&name));
            prop_assert!(!p("^a.**.b.a").matches(&name));
        }
    }
}
