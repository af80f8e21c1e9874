//! FastAPI and Flask path syntax to canonical segments (spec-v1 §5): FastAPI `{id}` and
//! `{p:path}`, Flask `<id>`, `<int:id>` and `<path:p>`.

use secprop_model::Segment;

/// The canonical segments of a full path (prefixes already joined); `Err` names the
/// segment that could not be read.
pub fn segments(path: &str) -> Result<Vec<Segment>, String> {
    let mut out = Vec::new();
    for raw in path.split('/').filter(|s| !s.is_empty()) {
        let seg = if let Some(inner) = raw.strip_prefix('{').and_then(|r| r.strip_suffix('}')) {
            param(inner, ':', false)
        } else if let Some(inner) = raw.strip_prefix('<').and_then(|r| r.strip_suffix('>')) {
            param(inner, ':', true)
        } else if raw.contains(['{', '}', '<', '>']) {
            return Err(format!("path segment `{raw}` mixes text and a parameter"));
        } else {
            Segment::Literal(raw.to_string())
        };
        out.push(seg);
    }
    Ok(out)
}

/// `id`, `id:path` (FastAPI: name first) or `int:id`, `path:p` (Flask: converter first).
fn param(inner: &str, sep: char, converter_first: bool) -> Segment {
    let (name, conv) = match inner.split_once(sep) {
        Some((a, b)) if converter_first => (b, a),
        Some((a, b)) => (a, b),
        None => (inner, ""),
    };
    let name = name.trim().to_string();
    if conv.trim() == "path" {
        Segment::CatchAll(name)
    } else {
        Segment::Param(name)
    }
}

/// Joins a prefix and a path as the frameworks do (`/api` + `/items/` = `/api/items/`).
pub fn join(prefix: &str, path: &str) -> String {
    let p = prefix.trim_end_matches('/');
    if path.is_empty() {
        return p.to_string();
    }
    if path.starts_with('/') {
        format!("{p}{path}")
    } else {
        format!("{p}/{path}")
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use secprop_model::canonical_path;

    #[test]
    fn canonical() {
        let c = |p| canonical_path(&segments(p).unwrap());
        assert_eq!(c("/items/{item_id}"), "/items/{item_id}");
        assert_eq!(c("/files/{p:path}"), "/files/{p*}");
        assert_eq!(c("/x/<int:id>"), "/x/{id}");
        assert_eq!(c("/x/<name>"), "/x/{name}");
        assert_eq!(c("/static/<path:p>"), "/static/{p*}");
        assert_eq!(c("/"), "/");
        assert!(segments("/a/x{id}").is_err());
        assert_eq!(join("/api/", "/items"), "/api/items");
        assert_eq!(join("/api", ""), "/api");
    }
}
