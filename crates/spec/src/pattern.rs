//! Call patterns (spec-v1 §4): parsing and matching against a call's names.
//! Owned by the matching work package; the API below is the contract others use.

/// A parsed call pattern such as `reports.*`, `^db.query`, `axum::extract::*`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Pattern {
    /// The pattern as written in the spec.
    pub text: String,
}

impl Pattern {
    /// Parses a pattern; the error says what is wrong, for a spec diagnostic with a hint.
    pub fn parse(text: &str) -> Result<Pattern, String> {
        Ok(Pattern {
            text: text.to_string(),
        })
    }

    /// Whether the pattern matches one of `names` (each a `.`- or `::`-separated path).
    pub fn matches_any<S: AsRef<str>>(&self, names: &[S]) -> bool {
        names.iter().any(|n| self.matches(n.as_ref()))
    }

    /// Whether the pattern matches one name.
    pub fn matches(&self, name: &str) -> bool {
        name == self.text
    }
}
