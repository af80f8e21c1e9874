//! axum paths to canonical segments (spec-v1 §5): 0.7 `:id` and `*rest`, 0.8 `{id}` and
//! `{*rest}`; `{{`/`}}` escapes stay literal braces.

use secprop_model::Segment;

/// The canonical segments of an axum path, or why it cannot be read.
pub fn segments(path: &str) -> Result<Vec<Segment>, String> {
    let mut out = Vec::new();
    for raw in path.split('/').filter(|s| !s.is_empty()) {
        let seg = if let Some(name) = raw.strip_prefix(':') {
            Segment::Param(name.to_string())
        } else if let Some(name) = raw.strip_prefix('*') {
            Segment::CatchAll(if name.is_empty() { "0" } else { name }.to_string())
        } else if raw.starts_with('{') && raw.ends_with('}') && !raw.starts_with("{{") {
            let inner = &raw[1..raw.len() - 1];
            match inner.strip_prefix('*') {
                Some(name) => Segment::CatchAll(name.to_string()),
                None => Segment::Param(inner.to_string()),
            }
        } else if raw.contains('{') && !raw.contains("{{") {
            return Err(format!(
                "path `{path}`: a parameter must span a whole segment (`{raw}`)"
            ));
        } else {
            Segment::Literal(raw.replace("{{", "{").replace("}}", "}"))
        };
        if matches!(&seg, Segment::Param(n) | Segment::CatchAll(n) if n.is_empty()) {
            return Err(format!("path `{path}`: a parameter without a name"));
        }
        out.push(seg);
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;
    use secprop_model::canonical_path;

    fn canon(p: &str) -> String {
        canonical_path(&segments(p).unwrap())
    }

    #[test]
    fn both_axum_versions_are_canonical() {
        assert_eq!(
            canon("/projects/:project_id/report"),
            "/projects/{project_id}/report"
        );
        assert_eq!(
            canon("/projects/{project_id}/report"),
            "/projects/{project_id}/report"
        );
        assert_eq!(canon("/files/*path"), "/files/{path*}");
        assert_eq!(canon("/files/{*path}"), "/files/{path*}");
        assert_eq!(canon("/"), "/");
        assert_eq!(canon("/a/"), "/a");
        assert_eq!(canon("/lit/{{x}}"), "/lit/{x}");
        assert!(segments("/a/x{id}").is_err());
        assert!(segments("/a/:").is_err());
    }
}
