//! Route selectors (spec-v1 §5): `[METHOD ]PATH` parsing and matching against a route's
//! method and canonical path. Owned by the matching work package; the API below is the
//! contract others use.

/// A parsed route selector such as `* /projects/{projectId}/**` or `GET /health`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Selector {
    /// The selector as written in the spec.
    pub text: String,
}

impl Selector {
    /// Parses a selector; the error says what is wrong, for a spec diagnostic with a hint.
    pub fn parse(text: &str) -> Result<Selector, String> {
        Ok(Selector {
            text: text.to_string(),
        })
    }

    /// Whether the selector matches a route: `method` is upper-case or `*`, `path` is
    /// canonical (`/projects/{projectId}/files/{p*}`).
    pub fn matches(&self, _method: &str, _path: &str) -> bool {
        false
    }

    /// The names the selector binds with `{name}`.
    pub fn bound_params(&self) -> Vec<String> {
        Vec::new()
    }
}
