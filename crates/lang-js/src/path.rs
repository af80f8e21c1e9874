//! Express route paths to canonical segments (spec-v1 §5): `:id` → `{id}`, `*` and
//! `*name` → catch-all, Express 5 optional groups `/a{/:b}` and Express 4 optional
//! parameters `:b?` expanded, regular-expression syntax refused (the route is unresolved).

use secprop_model::Segment;

/// Name given to Express 4's unnamed wildcard `*` (Express itself exposes it as
/// `req.params[0]`, so the frontend also maps `req.params[0]` to this name).
pub(crate) const UNNAMED_WILDCARD: &str = "0";

/// Every concrete expansion of an Express path, each as canonical segments; `Err` with a
/// reason when the path uses regular-expression syntax that cannot be listed statically.
pub(crate) fn expand(path: &str) -> Result<Vec<Vec<Segment>>, String> {
    // Each optional group doubles the expansions: refuse paths that would explode.
    if path.matches('{').count() > 6 || path.matches('?').count() > 6 {
        return Err(format!("path `{path}` has too many optional parts"));
    }
    let mut out = Vec::new();
    for alt in expand_groups(path)? {
        for alt in expand_optional_params(&alt) {
            out.push(segments(&alt)?);
        }
    }
    out.dedup();
    Ok(out)
}

/// The literal segments a path starts with, up to the first parameter or pattern syntax:
/// where a path that cannot be listed may still match.
pub(crate) fn literal_start(path: &str) -> Vec<Segment> {
    let mut out = Vec::new();
    for raw in path.split('/').filter(|r| !r.is_empty()) {
        match segment(raw, path) {
            Ok(Segment::Literal(l)) if !raw.contains(['{', '}']) => out.push(Segment::Literal(l)),
            _ => break,
        }
    }
    out
}

/// Expands Express 5 `{...}` optional groups (nested groups included).
fn expand_groups(path: &str) -> Result<Vec<String>, String> {
    let Some(open) = find_unescaped(path, '{') else {
        if find_unescaped(path, '}').is_some() {
            return Err(format!("unbalanced `}}` in path `{path}`"));
        }
        return Ok(vec![path.to_string()]);
    };
    // Find the matching close brace.
    let bytes = path.as_bytes();
    let mut depth = 0usize;
    let mut close = None;
    let mut i = open;
    while i < bytes.len() {
        match bytes[i] {
            b'\\' => i += 1,
            b'{' => depth += 1,
            b'}' => {
                depth -= 1;
                if depth == 0 {
                    close = Some(i);
                    break;
                }
            }
            _ => {}
        }
        i += 1;
    }
    let Some(close) = close else {
        return Err(format!("unbalanced `{{` in path `{path}`"));
    };
    let (head, inner, tail) = (&path[..open], &path[open + 1..close], &path[close + 1..]);
    let mut out = Vec::new();
    for with in [false, true] {
        let s = if with {
            format!("{head}{inner}{tail}")
        } else {
            format!("{head}{tail}")
        };
        out.extend(expand_groups(&s)?);
    }
    Ok(out)
}

fn find_unescaped(s: &str, c: char) -> Option<usize> {
    let mut escaped = false;
    for (i, ch) in s.char_indices() {
        if escaped {
            escaped = false;
        } else if ch == '\\' {
            escaped = true;
        } else if ch == c {
            return Some(i);
        }
    }
    None
}

/// Expands Express 4 optional parameters `/:b?` into the path with and without them.
fn expand_optional_params(path: &str) -> Vec<String> {
    let parts: Vec<&str> = path.split('/').collect();
    let mut outs = vec![String::new()];
    for (i, p) in parts.iter().enumerate() {
        if i == 0 {
            outs = vec![(*p).to_string()];
            continue;
        }
        // `:b?` and `:b(\d+)?`; in `:name.:ext?` only the last parameter is optional.
        let optional = p.starts_with(':') && p.ends_with('?') && p.len() > 2 && {
            let inner = &p[1..p.len() - 1];
            let name_len: usize = inner
                .chars()
                .take_while(|c| is_name_char(*c))
                .map(char::len_utf8)
                .sum();
            let rest = &inner[name_len..];
            name_len > 0 && (rest.is_empty() || (rest.starts_with('(') && rest.ends_with(')')))
        };
        let mut next = Vec::new();
        for o in &outs {
            if optional {
                next.push(o.clone());
                next.push(format!("{o}/{}", &p[..p.len() - 1]));
            } else {
                next.push(format!("{o}/{p}"));
            }
        }
        outs = next;
    }
    outs
}

fn is_name_char(c: char) -> bool {
    c.is_alphanumeric() || c == '_' || c == '$'
}

fn segments(path: &str) -> Result<Vec<Segment>, String> {
    let mut out = Vec::new();
    for raw in path.split('/') {
        if raw.is_empty() {
            continue;
        }
        out.push(segment(raw, path)?);
    }
    Ok(out)
}

fn segment(raw: &str, path: &str) -> Result<Segment, String> {
    if let Some(rest) = raw.strip_prefix(':') {
        let name: String = rest.chars().take_while(|c| is_name_char(*c)).collect();
        let tail = &rest[name.len()..];
        // Express 4 constraint `:id(\d+)` keeps the parameter.
        let constraint_ok = tail.is_empty() || (tail.starts_with('(') && tail.ends_with(')'));
        // Express 4 repeated parameters `:file+` (one or more segments), `:file*`.
        if !name.is_empty() && (tail == "+" || tail == "*") {
            return Ok(Segment::CatchAll(name));
        }
        if !name.is_empty() && !constraint_ok && dotted_params(tail) {
            // `:name.:ext`, `:from-:to`, `:id.json`: one segment, named by its first
            // parameter (the canonical form has one parameter per segment).
            return Ok(Segment::Param(name));
        }
        if name.is_empty() || !constraint_ok {
            return Err(format!(
                "path `{path}`: segment `{raw}` mixes parameters with text or pattern syntax"
            ));
        }
        return Ok(Segment::Param(name));
    }
    if raw == "*" || raw == "(.*)" {
        return Ok(Segment::CatchAll(UNNAMED_WILDCARD.to_string()));
    }
    if let Some(rest) = raw.strip_prefix('*')
        && !rest.is_empty()
        && rest.chars().all(is_name_char)
    {
        return Ok(Segment::CatchAll(rest.to_string()));
    }
    if raw.contains([':', '*', '(', ')', '?', '+', '[', ']', '!']) {
        return Err(format!(
            "path `{path}` uses pattern syntax in segment `{raw}`"
        ));
    }
    Ok(Segment::Literal(unescape(raw)))
}

/// Whether the rest of a segment after its first parameter is `.`- or `-`-separated
/// parameters and words: `.:ext`, `-:to`, `.json`.
fn dotted_params(tail: &str) -> bool {
    // `:name.:ext?`: an optional last parameter changes nothing about the segment.
    let tail = tail.strip_suffix('?').unwrap_or(tail);
    let Some(rest) = tail.strip_prefix(['.', '-']) else {
        return false;
    };
    rest.split(['.', '-']).all(|part| {
        let word = part.strip_prefix(':').unwrap_or(part);
        !word.is_empty() && word.chars().all(is_name_char)
    })
}

fn unescape(s: &str) -> String {
    s.replace('\\', "")
}

#[cfg(test)]
mod tests {
    use super::*;
    use secprop_model::canonical_path;

    fn paths(p: &str) -> Vec<String> {
        expand(p)
            .unwrap()
            .iter()
            .map(|s| canonical_path(s))
            .collect()
    }

    #[test]
    fn params_and_literals() {
        assert_eq!(
            paths("/projects/:projectId/report"),
            ["/projects/{projectId}/report"]
        );
        assert_eq!(paths("/"), ["/"]);
        assert_eq!(paths(""), ["/"]);
        assert_eq!(paths("/a/"), ["/a"]);
        assert_eq!(paths("users"), ["/users"]);
        assert_eq!(paths("/u/:id(\\d+)"), ["/u/{id}"]);
    }

    #[test]
    fn wildcards() {
        assert_eq!(paths("/files/*"), ["/files/{0*}"]);
        assert_eq!(paths("/files/*path"), ["/files/{path*}"]);
        assert_eq!(paths("*"), ["/{0*}"]);
        assert_eq!(paths("/files/:file+"), ["/files/{file*}"]);
        assert_eq!(paths("/files/:file*"), ["/files/{file*}"]);
    }

    #[test]
    fn several_parameters_in_a_segment() {
        assert_eq!(paths("/files/:name.:ext"), ["/files/{name}"]);
        assert_eq!(paths("/range/:from-:to"), ["/range/{from}"]);
        assert_eq!(paths("/users/:id.json"), ["/users/{id}"]);
        assert_eq!(paths("/f/:name.:ext?"), ["/f/{name}"]);
    }

    #[test]
    fn optional_groups() {
        assert_eq!(paths("/a{/:b}"), ["/a", "/a/{b}"]);
        assert_eq!(paths("/a{/:b{/:c}}"), ["/a", "/a/{b}", "/a/{b}/{c}"]);
        assert_eq!(paths("/a/:b?"), ["/a", "/a/{b}"]);
        assert_eq!(paths("/a/:b(\\d+)?"), ["/a", "/a/{b}"]);
    }

    #[test]
    fn pattern_syntax_is_unresolved() {
        assert!(expand("/ab?cd").is_err());
        assert!(expand("/a/:b.:c(").is_err());
        assert!(expand("/a/:b.").is_err());
        assert!(expand("/a{/b").is_err());
        assert!(expand("/a+").is_err());
        assert!(expand(&"{/a}".repeat(40)).is_err());
    }
}
