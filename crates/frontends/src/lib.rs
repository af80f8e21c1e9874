//! The registry of frontends: which [`Frontend`] scans a target of each framework.
//!
//! The binary looks frameworks up here and nowhere else. Adding a framework is one
//! frontend crate implementing [`Frontend`] and one line in [`FRONTENDS`].

pub use secprop_source::{Frontend, ScanOptions, scan, scan_routes};

/// Every available frontend, one per framework name.
pub static FRONTENDS: &[&dyn Frontend] = &[
    &secprop_lang_js::Express,
    &secprop_lang_py::FastApi,
    &secprop_lang_py::Flask,
];

/// The frontend for a framework name as written in the spec (`express`), or `None` when
/// this version has none.
pub fn get(framework: &str) -> Option<&'static dyn Frontend> {
    FRONTENDS
        .iter()
        .copied()
        .find(|f| f.framework() == framework)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn one_frontend_per_framework() {
        assert_eq!(get("express").map(|f| f.framework()), Some("express"));
        assert_eq!(get("fastapi").map(|f| f.framework()), Some("fastapi"));
        assert_eq!(get("flask").map(|f| f.framework()), Some("flask"));
        let mut names: Vec<&str> = FRONTENDS.iter().map(|f| f.framework()).collect();
        names.sort();
        names.dedup();
        assert_eq!(names.len(), FRONTENDS.len());
    }
}
