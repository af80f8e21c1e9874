//! Which properties select a route, whether it is public and covered, and the guards in
//! its chain (spec-v1 §5 end, §6, §7 end). Used by the checks and by `secprop routes`.

use crate::analysis::{Analyzer, Fact};
use crate::config::{Ctx, GuardKind, element_matches, parse_pattern};
use secprop_model::{Project, Route};
use secprop_spec::{GuardEntry, Pattern, Property, PropertyKind, Selector, Spec};
use serde::Serialize;
use std::collections::BTreeMap;

/// A guard found in a route's chain (spec-v1 §10 `routes --format json` `guards`).
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Serialize)]
pub struct ChainGuard {
    /// The chain element's name as written (`requireLogin`, `passport.authenticate`).
    pub name: String,
    /// Serialised as `type` (spec-v1 §10).
    #[serde(rename = "type")]
    pub kind: GuardKind,
    /// Relative to the repository root.
    pub file: String,
    /// 1-based line of the chain element.
    pub line: u32,
}

/// How the spec sees one route.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct RouteSelection {
    /// Ids of the properties that select the route, public routes already removed from
    /// the kinds that public routes leave; in spec order.
    pub properties: Vec<String>,
    /// Whether an entry of `public` matches the route.
    pub public: bool,
    /// Selected by some property, or public (spec-v1 §5).
    pub covered: bool,
    /// Chain elements matching an authentication or authorization guard, in chain order.
    pub guards: Vec<ChainGuard>,
}

/// Whether a selector text matches a route; a selector that does not parse matches
/// nothing (the loader reports it).
pub fn selector_matches(text: &str, route: &Route) -> bool {
    Selector::parse(text)
        .map(|s| s.matches(&route.method, &route.path()))
        .unwrap_or(false)
}

/// Whether a property's `targets`, `routes` and `except` select a route, before `public`
/// is applied.
pub fn property_selects(prop: &Property, target: &str, route: &Route) -> bool {
    if let Some(ts) = &prop.targets
        && !ts.iter().any(|t| t == target)
    {
        return false;
    }
    prop.routes.iter().any(|s| selector_matches(s, route))
        && !prop.except.iter().any(|s| selector_matches(s, route))
}

/// The kinds a public route leaves (spec-v1 §7 end).
pub fn leaves_public(kind: PropertyKind) -> bool {
    matches!(
        kind,
        PropertyKind::AuthenticationRequired
            | PropertyKind::CrossTenantDenied
            | PropertyKind::RoleRequired
            | PropertyKind::NoSideEffectsBeforeAuthz
    )
}

/// Whether an entry of `public` matches the route.
pub fn is_public(spec: &Spec, route: &Route) -> bool {
    spec.public
        .iter()
        .any(|p| selector_matches(&p.route, route))
}

/// Whether `prop` applies to the route: selected, and not left because it is public.
pub fn applies(spec: &Spec, prop: &Property, target: &str, route: &Route) -> bool {
    property_selects(prop, target, route) && !(leaves_public(prop.kind) && is_public(spec, route))
}

/// Everything `secprop routes` shows about one route. For every route of a target use
/// [`select_routes`], which compiles the spec's context once.
pub fn select_route(spec: &Spec, target: &str, route: &Route, project: &Project) -> RouteSelection {
    let ctx = Ctx::compile(spec, &mut Vec::new());
    let mut guards = GuardFinder::new(spec, project, &ctx);
    selection_of(spec, target, route, &mut guards)
}

/// [`select_route`] for every route of a target, index-aligned with `project.routes`.
pub fn select_routes(spec: &Spec, target: &str, project: &Project) -> Vec<RouteSelection> {
    let ctx = Ctx::compile(spec, &mut Vec::new());
    let mut guards = GuardFinder::new(spec, project, &ctx);
    project
        .routes
        .iter()
        .map(|r| selection_of(spec, target, r, &mut guards))
        .collect()
}

fn selection_of(
    spec: &Spec,
    target: &str,
    route: &Route,
    guards: &mut GuardFinder<'_>,
) -> RouteSelection {
    let public = is_public(spec, route);
    let properties: Vec<String> = spec
        .properties
        .iter()
        .filter(|p| property_selects(p, target, route) && !(public && leaves_public(p.kind)))
        .map(|p| p.id.clone())
        .collect();
    let selected_any = spec
        .properties
        .iter()
        .any(|p| property_selects(p, target, route));
    RouteSelection {
        covered: public || selected_any,
        properties,
        public,
        guards: guards.chain_guards(route),
    }
}

/// The chain elements that match a guard of the context or of a property selecting the
/// route (by name or factory name, spec-v1 §4 last paragraph).
pub fn chain_guards(spec: &Spec, route: &Route, project: &Project) -> Vec<ChainGuard> {
    let ctx = Ctx::compile(spec, &mut Vec::new());
    GuardFinder::new(spec, project, &ctx).chain_guards(route)
}

/// The spec's guard patterns compiled once, and one analyzer whose function summaries
/// are shared by every route of the target.
struct GuardFinder<'a> {
    project: &'a Project,
    patterns: Vec<(Pattern, GuardKind)>,
    analyzer: Analyzer<'a>,
}

impl<'a> GuardFinder<'a> {
    fn new(spec: &Spec, project: &'a Project, ctx: &'a Ctx) -> GuardFinder<'a> {
        let mut errors = Vec::new();
        let mut entries: Vec<(&GuardEntry, GuardKind)> = Vec::new();
        entries.extend(
            spec.context
                .authentication
                .iter()
                .map(|g| (g, GuardKind::Authentication)),
        );
        entries.extend(
            spec.context
                .authorization
                .iter()
                .map(|g| (g, GuardKind::Authorization)),
        );
        for p in &spec.properties {
            if let Some(gs) = &p.guards {
                entries.extend(gs.iter().map(|g| (g, GuardKind::Authorization)));
            }
        }
        let patterns = entries
            .into_iter()
            .filter_map(|(g, k)| Some((parse_pattern(g.pattern(), &mut errors)?, k)))
            .collect();
        GuardFinder {
            project,
            patterns,
            analyzer: Analyzer::new(project, ctx, &ctx.guards, None),
        }
    }

    fn chain_guards(&mut self, route: &Route) -> Vec<ChainGuard> {
        let project = self.project;
        let mut out = Vec::new();
        for el in &route.chain {
            let kind = self
                .patterns
                .iter()
                .find(|(p, _)| element_matches(p, el))
                .map(|(_, k)| *k)
                // A project middleware that passes a guard before `next()` carries it
                // (spec-v1 §6).
                .or_else(|| {
                    let s = self.analyzer.summary(el.function?);
                    let after = s.next_exit.as_ref().or(s.normal_exit.as_ref())?;
                    if after.contains(&Fact::Authz) {
                        Some(GuardKind::Authorization)
                    } else if after.contains(&Fact::Authn) {
                        Some(GuardKind::Authentication)
                    } else {
                        None
                    }
                });
            if let Some(kind) = kind {
                let file = project
                    .files
                    .get(el.span.file.0 as usize)
                    .map(|f| f.path.clone())
                    .unwrap_or_default();
                out.push(ChainGuard {
                    name: el
                        .names
                        .first()
                        .or(el.factory.first())
                        .cloned()
                        .unwrap_or_default(),
                    kind,
                    file,
                    line: el.span.line,
                });
            }
        }
        out
    }
}

/// The route parameter each `{name}` of a selector binds on a route it matches:
/// `{projectId}` on `/projects/{id}` binds `projectId → id` (spec-v1 §5).
pub fn bindings(selector: &str, route: &Route) -> Option<BTreeMap<String, String>> {
    Selector::parse(selector)
        .ok()?
        .matched_bindings(&route.method, &route.path())
}

/// The route parameter carrying a property's `tenant_param` on a route, through the
/// first of its selectors that matches and binds it; else a route parameter of that very
/// name. `None`: `secprop/param-missing`.
pub fn tenant_route_param(prop: &Property, route: &Route) -> Option<String> {
    let tenant = prop.tenant_param.as_ref()?;
    for s in &prop.routes {
        if let Some(b) = bindings(s, route)
            && let Some(p) = b.get(tenant)
        {
            return Some(p.clone());
        }
    }
    route
        .params()
        .into_iter()
        .find(|p| *p == tenant.as_str())
        .map(str::to_string)
}

/// The route parameters naming objects owned by the tenant: `object_params` mapped
/// through the selector's bindings, or every other path parameter (spec-v1 §7).
pub fn object_route_params(prop: &Property, route: &Route, tenant: &str) -> Vec<String> {
    match &prop.object_params {
        Some(names) => {
            let b = prop
                .routes
                .iter()
                .find_map(|s| bindings(s, route))
                .unwrap_or_default();
            names
                .iter()
                .map(|n| b.get(n).cloned().unwrap_or_else(|| n.clone()))
                .filter(|n| n != tenant)
                .collect()
        }
        None => route
            .params()
            .into_iter()
            .filter(|p| *p != tenant)
            .map(str::to_string)
            .collect(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use secprop_model::{Segment, Span};

    fn route(path: &[Segment]) -> Route {
        Route {
            method: "GET".into(),
            segments: path.to_vec(),
            span: Span::default(),
            chain: vec![],
            handler: None,
            handler_name: "<anonymous>".into(),
            unresolved: None,
        }
    }

    #[test]
    fn binds_params_whatever_the_route_calls_them() {
        let r = route(&[
            Segment::Literal("projects".into()),
            Segment::Param("id".into()),
            Segment::Literal("tasks".into()),
            Segment::Param("taskId".into()),
        ]);
        let b = bindings("* /projects/{projectId}/**", &r).unwrap();
        assert_eq!(b.get("projectId").map(String::as_str), Some("id"));
        let b = bindings("GET /projects/:p/tasks/{t}", &r).unwrap();
        assert_eq!(b.get("t").map(String::as_str), Some("taskId"));
        assert!(bindings("/projects/{p}", &r).is_none());
        assert!(bindings("/users/**", &r).is_none());
        // A literal route segment is not a parameter.
        let lit = route(&[
            Segment::Literal("projects".into()),
            Segment::Literal("new".into()),
        ]);
        assert!(bindings("/projects/{projectId}", &lit).is_none());
        assert!(bindings("/projects/*", &lit).is_some());
        // Only `**` matches a catch-all.
        let all = route(&[
            Segment::Literal("files".into()),
            Segment::CatchAll("p".into()),
        ]);
        assert!(bindings("/files/*", &all).is_none());
        assert!(bindings("/files/**", &all).is_some());
        // Method: a selector naming one method does not select another.
        assert!(bindings("POST /projects/{p}/tasks/{t}", &r).is_none());
    }
}
