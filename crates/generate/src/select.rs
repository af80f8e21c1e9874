//! Which routes a property selects (spec-v1 §5, §7 `public`), and which route parameter
//! each `{name}` of the matching selector binds.
//!
//! Matching itself is `secprop_spec::Selector::matches` (the one implementation of §5);
//! this module adds the `public` and `targets` rules, and the binding of selector names to
//! the route's own parameter names (`{projectId}` in a selector binds the route's `{id}`).

use secprop_model::Route;
#[cfg(test)]
use secprop_model::Segment;
use secprop_spec::{Property, PropertyKind, PublicRoute, Selector};
use std::collections::BTreeMap;

/// Kinds that a `public` route leaves (spec-v1 §7 "public").
fn left_by_public(kind: PropertyKind) -> bool {
    matches!(
        kind,
        PropertyKind::AuthenticationRequired
            | PropertyKind::CrossTenantDenied
            | PropertyKind::RoleRequired
            | PropertyKind::NoSideEffectsBeforeAuthz
    )
}

fn any_matches(selectors: &[String], route: &Route) -> bool {
    let (method, path) = (route.method.as_str(), route.path());
    selectors.iter().any(|s| {
        Selector::parse(s)
            .map(|sel| sel.matches(method, &path))
            .unwrap_or(false)
    })
}

/// Whether `property` selects `route` of target `target`: within its `targets`, matching
/// `routes` and not `except`, and not public when the kind leaves public routes.
pub fn selects(property: &Property, target: &str, route: &Route, public: &[PublicRoute]) -> bool {
    if let Some(targets) = &property.targets
        && !targets.iter().any(|t| t == target)
    {
        return false;
    }
    if !any_matches(&property.routes, route) || any_matches(&property.except, route) {
        return false;
    }
    if left_by_public(property.kind) {
        let public: Vec<String> = public.iter().map(|p| p.route.clone()).collect();
        if any_matches(&public, route) {
            return false;
        }
    }
    true
}

/// For the first of `selectors` that matches `route`, the route parameter bound by each
/// `{name}` of the selector: selector name → route parameter name.
pub fn bindings(selectors: &[String], route: &Route) -> BTreeMap<String, String> {
    let (method, path) = (route.method.as_str(), route.path());
    selectors
        .iter()
        .filter_map(|s| Selector::parse(s).ok())
        .find_map(|sel| sel.matched_bindings(method, &path))
        .unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;
    use secprop_model::Span;

    fn route(method: &str, path: &str) -> Route {
        Route {
            method: method.into(),
            segments: path
                .split('/')
                .filter(|s| !s.is_empty())
                .map(
                    |s| match s.strip_prefix('{').and_then(|r| r.strip_suffix('}')) {
                        Some(p) => Segment::Param(p.into()),
                        None => Segment::Literal(s.into()),
                    },
                )
                .collect(),
            span: Span::default(),
            chain: vec![],
            handler: None,
            handler_name: "<anonymous>".into(),
            unresolved: None,
        }
    }

    #[test]
    fn binds_selector_names_to_route_params() {
        let b = bindings(
            &["* /projects/{projectId}/**".into()],
            &route("GET", "/projects/{id}/report"),
        );
        assert_eq!(b["projectId"], "id");
        assert!(bindings(&["GET /other".into()], &route("GET", "/projects/{id}")).is_empty());
    }
}
