//! The registry of frontends: which [`Frontend`] scans a target of each framework.
//!
//! The binary looks frameworks up here and nowhere else. Adding a framework is one
//! frontend crate implementing [`Frontend`] and one line in [`FRONTENDS`].

use secprop_source::{ArgRef, GeneratedRoute, RouteGenerator};
pub use secprop_source::{Frontend, ScanOptions, scan, scan_routes};
use std::sync::Arc;

/// Every available frontend, one per framework name.
pub static FRONTENDS: &[&dyn Frontend] = &[
    &secprop_lang_js::Express,
    &secprop_lang_rust::Axum,
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

/// What to scan for one target of a loaded spec: its folder, globs and the spec's
/// `context.route_generators` (whose call patterns are matched with spec-v1 §4's rules).
pub fn scan_options(spec: &secprop_spec::LoadedSpec, target: &secprop_spec::Target) -> ScanOptions {
    ScanOptions {
        root: spec.dir.join(&target.root),
        repo_root: spec.repo_root.clone(),
        include: target.include.clone(),
        exclude: target.exclude.clone(),
        route_generators: route_generators(&spec.spec.context),
    }
}

/// The spec's route generators for frontends; ones the loader rejected are left out.
pub fn route_generators(context: &secprop_spec::Context) -> Vec<RouteGenerator> {
    context
        .route_generators
        .iter()
        .filter_map(|g| {
            let pattern = secprop_spec::Pattern::parse(&g.call).ok()?;
            let path_arg = match &g.path_arg {
                Some(a) => {
                    let (index, keys) = a.parts()?;
                    Some(ArgRef { index, keys })
                }
                None => None,
            };
            Some(RouteGenerator {
                call: g.call.clone(),
                matches: Arc::new(move |names: &[String]| pattern.matches_any(names)),
                router_arg: g.router_arg,
                path_arg,
                handler_arg: g.handler_arg,
                routes: g
                    .routes
                    .iter()
                    .map(|r| GeneratedRoute {
                        method: r.method.clone(),
                        path: r.path.clone(),
                        handler: r.handler.clone(),
                        path_item: r.path_item,
                    })
                    .collect(),
            })
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn one_frontend_per_framework() {
        assert_eq!(get("express").map(|f| f.framework()), Some("express"));
        pub static FRONTENDS: &[&dyn Frontend] = &[
            &secprop_lang_js::Express,
            &secprop_lang_rust::Axum,
            &secprop_lang_rust::Actix,
            &secprop_lang_py::FastApi,
            &secprop_lang_py::Flask,
        ];
        let mut names: Vec<&str> = FRONTENDS.iter().map(|f| f.framework()).collect();
        names.sort();
        names.dedup();
        assert_eq!(names.len(), FRONTENDS.len());
    }
}
