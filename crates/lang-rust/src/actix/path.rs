//! actix-web paths to canonical segments (spec-v1 §5): `{id}` and `{id:\d+}` are one
//! parameter, `{tail:.*}` (a pattern that can match `/`) and `{tail}*` span segments.

use secprop_model::Segment;

/// The canonical segments of an actix path, or why it cannot be read.
pub fn segments(path: &str) -> Result<Vec<Segment>, String> {
    let mut out = Vec::new();
    for raw in split(path).into_iter().filter(|s| !s.is_empty()) {
        let (body, tail) = match raw.strip_suffix('*') {
            Some(b) if b.ends_with('}') => (b, true),
            _ => (raw, false),
        };
        let seg = if body.starts_with('{') && body.ends_with('}') && whole(body) {
            let inner = &body[1..body.len() - 1];
            let (name, pattern) = match inner.split_once(':') {
                Some((n, p)) => (n.trim(), Some(p)),
                None => (inner.trim(), None),
            };
            if name.is_empty() {
                return Err(format!("path `{path}`: a parameter without a name"));
            }
            if tail || pattern.is_some_and(spans_slash) {
                Segment::CatchAll(name.to_string())
            } else {
                Segment::Param(name.to_string())
            }
        } else if raw.contains('{') {
            return Err(format!(
                "path `{path}`: a parameter must span a whole segment (`{raw}`)"
            ));
        } else {
            Segment::Literal(raw.to_string())
        };
        out.push(seg);
    }
    Ok(out)
}

/// Splits at `/` outside braces (a parameter's pattern may hold one).
fn split(path: &str) -> Vec<&str> {
    let mut out = Vec::new();
    let (mut depth, mut start) = (0i32, 0);
    for (i, c) in path.char_indices() {
        match c {
            '{' => depth += 1,
            '}' => depth -= 1,
            '/' if depth <= 0 => {
                out.push(&path[start..i]);
                start = i + 1;
            }
            _ => {}
        }
    }
    out.push(&path[start..]);
    out
}

/// Whether a `{...}` segment is one parameter (not `{a}.{b}`).
fn whole(seg: &str) -> bool {
    let mut depth = 0;
    for (i, c) in seg.char_indices() {
        match c {
            '{' => depth += 1,
            '}' => {
                depth -= 1;
                if depth == 0 && i + 1 != seg.len() {
                    return false;
                }
            }
            _ => {}
        }
    }
    true
}

/// Whether a parameter's regular expression can match a `/`: an unescaped `.` outside a
/// character class, or a `/` itself.
fn spans_slash(re: &str) -> bool {
    let (mut esc, mut class) = (false, false);
    for c in re.chars() {
        match (esc, c) {
            (true, _) => esc = false,
            (false, '\\') => esc = true,
            (false, '[') => class = true,
            (false, ']') => class = false,
            (false, '.') if !class => return true,
            (false, '/') if !class => return true,
            _ => {}
        }
    }
    false
}

#[cfg(test)]
mod tests {
    use super::*;
    use secprop_model::canonical_path;

    fn canon(p: &str) -> String {
        canonical_path(&segments(p).unwrap())
    }

    #[test]
    fn actix_paths_are_canonical() {
        assert_eq!(
            canon("/projects/{project_id}/docs"),
            "/projects/{project_id}/docs"
        );
        assert_eq!(canon(r"/users/{id:\d+}"), "/users/{id}");
        assert_eq!(canon("/files/{tail:.*}"), "/files/{tail*}");
        assert_eq!(canon("/files/{tail}*"), "/files/{tail*}");
        assert_eq!(canon(r"/n/{name:[^/.]+}"), "/n/{name}");
        assert_eq!(canon(""), "/");
        assert_eq!(canon("/a/"), "/a");
        assert!(segments("/f/{name}.{ext}").is_err());
        assert!(segments("/f/{}").is_err());
    }
}
