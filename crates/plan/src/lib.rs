//! The route plan: for every route of a target, which properties select it and with which
//! parameter bindings (spec-v1 §5 end, §7). Computed once here, consumed by `check` (what
//! it analyses), `generate` (what it writes tests for) and `secprop routes` (the
//! properties, public and covered columns), so that a route reported as covered by a
//! property is also the route that property is checked and tested on.
//!
//! Entry point: [`Planner::new`] compiles a spec's selectors once, then
//! [`Planner::target`] plans every route of a scanned target, index-aligned with
//! `project.routes`. Each [`RoutePlan`] lists the properties that select the route
//! ([`RoutePlan::selected`]) and the ones that apply to it once `public` is taken into
//! account ([`RoutePlan::bindings`]), each with the route parameters its
//! `tenant_param` and `object_params` name on that route ([`Params`]).
//!
//! Matching itself is [`secprop_spec::Selector`] (the one implementation of §5); this
//! crate adds `targets`, `except`, `public` and the binding of selector names to the
//! route's own parameter names. It knows nothing of the analysis or of runners.

use secprop_model::{Expr, FnId, Project, Route};
use secprop_spec::{Property, PropertyKind, RequestField, Selector, Spec};
use std::collections::{BTreeMap, BTreeSet};

/// The kinds a public route leaves (spec-v1 §7 "public"): they are about the caller's
/// identity, which a public route does not need. Every other kind keeps selecting it (a
/// login route must still not leak a password hash).
pub fn leaves_public(kind: PropertyKind) -> bool {
    matches!(
        kind,
        PropertyKind::AuthenticationRequired
            | PropertyKind::CrossTenantDenied
            | PropertyKind::RoleRequired
            | PropertyKind::NoSideEffectsBeforeAuthz
    )
}

/// Whether a selector text matches a route; a selector that does not parse matches
/// nothing (the loader has already reported it).
pub fn selector_matches(text: &str, route: &Route) -> bool {
    Selector::parse(text)
        .map(|s| s.matches(&route.method, &route.path()))
        .unwrap_or(false)
}

/// The route parameter each `{name}` of a selector binds on a route it matches:
/// `{projectId}` on `/projects/{id}` binds `projectId → id` (spec-v1 §5). `None` when the
/// selector does not match or does not parse.
pub fn bindings(selector: &str, route: &Route) -> Option<BTreeMap<String, String>> {
    Selector::parse(selector)
        .ok()?
        .matched_bindings(&route.method, &route.path())
}

/// The patterns whose calls a generated test expects to stay at zero: `side_effects` plus
/// every sink pattern except `logs`, whose calls count only with `include_logs` (spec-v1
/// §7 `no_side_effects_before_authz`, §9 "zero-call assertions"). Spec order, no
/// duplicates.
pub fn zero_call_patterns(spec: &Spec, include_logs: bool) -> Vec<String> {
    let mut out: Vec<String> = spec.context.side_effects.clone();
    for (channel, patterns) in &spec.context.sinks {
        if channel != "logs" || include_logs {
            out.extend(patterns.iter().cloned());
        }
    }
    let mut seen = BTreeSet::new();
    out.into_iter().filter(|p| seen.insert(p.clone())).collect()
}

/// The route parameters a property names on one route.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Params {
    /// The kind names no parameter.
    None,
    /// `cross_tenant_denied` with its `tenant_param` found on the route.
    Tenant(TenantBinding),
    /// `cross_tenant_denied` on a route that lacks its `tenant_param`: the finding
    /// `secprop/param-missing` (spec-v1 §7); such a pair is neither analysed nor tested.
    Missing,
}

/// Where a `cross_tenant_denied` property's tenant and objects are on one route, by the
/// route's own parameter names.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TenantBinding {
    /// The route parameter carrying `tenant_param` (`id` for `{projectId}` on
    /// `/projects/{id}`).
    pub tenant: String,
    /// The route parameters of objects owned by the tenant: `object_params` mapped to the
    /// route, or every other path parameter when it is absent (spec-v1 §7).
    pub objects: Vec<String>,
}

/// One property applying to one route.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Binding {
    /// Index of the property in `spec.properties`.
    pub property: usize,
    pub params: Params,
}

/// How the spec sees one route.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct RoutePlan {
    /// Whether an entry of `public` matches the route.
    pub public: bool,
    /// Indices of the properties whose `targets`, `routes` and `except` select the route,
    /// before `public` is applied: what coverage (spec-v1 §5) and `secprop/unresolved`
    /// count. Spec order.
    pub selected: Vec<usize>,
    /// The selected properties that apply to the route: those a public route leaves are
    /// removed. Spec order.
    pub bindings: Vec<Binding>,
}

impl RoutePlan {
    /// Selected by some property, or public (spec-v1 §5 end).
    pub fn covered(&self) -> bool {
        self.public || !self.selected.is_empty()
    }

    /// The ids of the properties that apply, in spec order (`secprop routes`).
    pub fn property_ids(&self, spec: &Spec) -> Vec<String> {
        self.bindings
            .iter()
            .map(|b| spec.properties[b.property].id.clone())
            .collect()
    }
}

/// A property's selectors, parsed once.
#[derive(Debug, Clone)]
struct Compiled {
    routes: Vec<Selector>,
    except: Vec<Selector>,
}

/// A spec's selectors compiled once, to plan any number of routes.
#[derive(Debug, Clone)]
pub struct Planner<'s> {
    spec: &'s Spec,
    properties: Vec<Compiled>,
    public: Vec<Selector>,
}

/// Parses selectors; one that does not parse selects nothing (the loader reports it).
fn compile(texts: &[String]) -> Vec<Selector> {
    texts
        .iter()
        .filter_map(|t| Selector::parse(t).ok())
        .collect()
}

impl<'s> Planner<'s> {
    pub fn new(spec: &'s Spec) -> Planner<'s> {
        Planner {
            spec,
            properties: spec
                .properties
                .iter()
                .map(|p| Compiled {
                    routes: compile(&p.routes),
                    except: compile(&p.except),
                })
                .collect(),
            public: spec
                .public
                .iter()
                .filter_map(|p| Selector::parse(&p.route).ok())
                .collect(),
        }
    }

    /// The plan of every route of a target, index-aligned with `project.routes`.
    /// Unresolved routes are planned like the others: their consumers decide (check
    /// reports `secprop/unresolved` for each selecting property, generate skips them).
    pub fn target(&self, target: &str, project: &Project) -> Vec<RoutePlan> {
        project
            .routes
            .iter()
            .map(|r| self.route(target, project, r))
            .collect()
    }

    /// The plan of one route of target `target` (`project` is the route's: request fields
    /// bind where its functions read them).
    pub fn route(&self, target: &str, project: &Project, route: &Route) -> RoutePlan {
        let (method, path) = (route.method.as_str(), route.path());
        let any = |sels: &[Selector]| sels.iter().any(|s| s.matches(method, &path));
        let public = any(&self.public);
        let mut plan = RoutePlan {
            public,
            ..RoutePlan::default()
        };
        for (i, (prop, sels)) in self
            .spec
            .properties
            .iter()
            .zip(&self.properties)
            .enumerate()
        {
            if let Some(ts) = &prop.targets
                && !ts.iter().any(|t| t == target)
            {
                continue;
            }
            if !any(&sels.routes) || any(&sels.except) {
                continue;
            }
            plan.selected.push(i);
            if public && leaves_public(prop.kind) {
                continue;
            }
            let params = match prop.kind {
                PropertyKind::CrossTenantDenied => tenant_params(prop, sels, project, route, &path),
                _ => Params::None,
            };
            plan.bindings.push(Binding {
                property: i,
                params,
            });
        }
        plan
    }
}

/// The route parameter a selector name stands for on a route: the first of the
/// property's selectors that matches the route and binds the name gives it; else a route
/// parameter of that very name.
///
/// Every matching selector is tried, not only the first: with `routes: ["/teams/**",
/// "/teams/{teamId}/**"]` the route `/teams/{id}/report` is selected by both, and only the
/// second says which of its parameters is `teamId` (spec-v1 §5 "`{name}` ... binds
/// `name`"; §7 `tenant_param` is "a parameter bound by the property's selectors").
fn route_param(
    name: &str,
    sels: &Compiled,
    route: &Route,
    path: &str,
    params: &[&str],
) -> Option<String> {
    sels.routes
        .iter()
        .filter_map(|s| s.matched_bindings(&route.method, path))
        .find_map(|b| b.get(name).cloned())
        .or_else(|| params.contains(&name).then(|| name.to_string()))
}

/// spec-v1 §7 `cross_tenant_denied`: the tenant's route parameter, and the objects'.
/// An `object_params` name that is no parameter of this route names no object on it and
/// is left out (another route of the same property may have it). A request field
/// (§7 "Ids outside the path") is bound where the route reads it, by its canonical
/// spelling (`body.id`, `header.x-tenant-id`).
fn tenant_params(
    prop: &Property,
    sels: &Compiled,
    project: &Project,
    route: &Route,
    path: &str,
) -> Params {
    let params = route.params();
    let mut reads: Option<Reads> = None;
    let mut bind = |name: &str| match RequestField::parse(name) {
        Ok(Some(field)) => reads
            .get_or_insert_with(|| Reads::of(project, route))
            .reads(&field)
            .then(|| field.to_string()),
        Ok(None) => route_param(name, sels, route, path, &params),
        // Reported by the loader; names nothing.
        Err(_) => None,
    };
    let Some(tenant) = prop.tenant_param.as_deref().and_then(&mut bind) else {
        return Params::Missing;
    };
    let objects = match &prop.object_params {
        Some(names) => names
            .iter()
            .filter_map(|n| bind(n))
            .filter(|p| *p != tenant)
            .collect(),
        None => params
            .iter()
            .filter(|p| **p != tenant)
            .map(|p| p.to_string())
            .collect(),
    };
    Params::Tenant(TenantBinding { tenant, objects })
}

/// The request parts a route may read: its chain's project functions and its handler,
/// with the project functions and callbacks they call (cycles cut), so a service that
/// receives `req.body` and reads `body.id` counts through the whole body passed to it.
struct Reads {
    parts: BTreeSet<(String, Vec<String>)>,
}

impl Reads {
    fn of(project: &Project, route: &Route) -> Reads {
        let mut todo: Vec<FnId> = route
            .chain
            .iter()
            .filter_map(|el| el.function)
            .chain(route.handler)
            .collect();
        let mut seen: BTreeSet<FnId> = BTreeSet::new();
        let mut parts = BTreeSet::new();
        while let Some(id) = todo.pop() {
            if !seen.insert(id) {
                continue;
            }
            let Some(f) = project.functions.get(id.0 as usize) else {
                continue;
            };
            secprop_model::walk_exprs(&f.body, &mut |e| match e {
                Expr::RequestPart { part, path } => {
                    parts.insert((part.clone(), path.clone()));
                }
                Expr::Call(c) => todo.extend(c.callee),
                Expr::Function(inner) => todo.push(*inner),
                _ => {}
            });
        }
        Reads { parts }
    }

    fn reads(&self, field: &RequestField) -> bool {
        self.parts
            .iter()
            .any(|(part, path)| field.read_by(part, path))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use secprop_model::{Segment, Span};

    fn route(method: &str, path: &str) -> Route {
        Route {
            method: method.into(),
            segments: path
                .split('/')
                .filter(|s| !s.is_empty())
                .map(|s| {
                    if let Some(p) = s.strip_prefix('{').and_then(|r| r.strip_suffix("*}")) {
                        Segment::CatchAll(p.into())
                    } else if let Some(p) = s.strip_prefix('{').and_then(|r| r.strip_suffix('}')) {
                        Segment::Param(p.into())
                    } else {
                        Segment::Literal(s.into())
                    }
                })
                .collect(),
            span: Span::default(),
            chain: vec![],
            handler: None,
            handler_name: "<anonymous>".into(),
            unresolved: None,
        }
    }

    fn spec(yaml: serde_json::Value) -> Spec {
        serde_json::from_value(yaml).unwrap()
    }

    #[test]
    fn binds_params_whatever_the_route_calls_them() {
        let r = route("GET", "/projects/{id}/tasks/{taskId}");
        let b = bindings("* /projects/{projectId}/**", &r).unwrap();
        assert_eq!(b.get("projectId").map(String::as_str), Some("id"));
        let b = bindings("GET /projects/:p/tasks/{t}", &r).unwrap();
        assert_eq!(b.get("t").map(String::as_str), Some("taskId"));
        assert!(bindings("/projects/{p}", &r).is_none());
        assert!(bindings("/users/**", &r).is_none());
        // A literal route segment is not a parameter.
        let lit = route("GET", "/projects/new");
        assert!(bindings("/projects/{projectId}", &lit).is_none());
        assert!(bindings("/projects/*", &lit).is_some());
        // Only `**` matches a catch-all.
        let all = route("GET", "/files/{p*}");
        assert!(bindings("/files/*", &all).is_none());
        assert!(bindings("/files/**", &all).is_some());
        // A selector naming one method does not select another.
        assert!(bindings("POST /projects/{p}/tasks/{t}", &r).is_none());
    }

    #[test]
    fn every_selector_is_tried_for_the_tenant_and_the_objects() {
        let s = spec(serde_json::json!({
            "version": 1,
            "targets": [{"name": "api", "framework": "express"}],
            "properties": [{
                "id": "t", "kind": "cross_tenant_denied",
                "routes": ["/teams/**", "/teams/{teamId}/**", "/teams/*/docs/{docId}"],
                "tenant_param": "teamId", "object_params": ["docId", "teamId", "nope"]
            }, {
                "id": "all", "kind": "cross_tenant_denied",
                "routes": ["/teams/{teamId}/**"], "tenant_param": "teamId"
            }]
        }));
        let p = Planner::new(&s);
        let plan = p.route(
            "api",
            &Project::default(),
            &route("GET", "/teams/{id}/docs/{d}"),
        );
        assert_eq!(
            plan.bindings[0].params,
            Params::Tenant(TenantBinding {
                tenant: "id".into(),
                objects: vec!["d".into()],
            })
        );
        // Without `object_params`: every other path parameter.
        assert_eq!(
            plan.bindings[1].params,
            Params::Tenant(TenantBinding {
                tenant: "id".into(),
                objects: vec!["d".into()],
            })
        );
        // Selected through `/teams/**` but with no parameter to bind the tenant.
        let plan = p.route("api", &Project::default(), &route("GET", "/teams"));
        assert_eq!(plan.selected, vec![0]);
        assert_eq!(plan.bindings[0].params, Params::Missing);
        // A route parameter of the very name counts without a selector binding it.
        let plan = p.route(
            "api",
            &Project::default(),
            &route("GET", "/teams/x/{teamId}"),
        );
        assert!(matches!(&plan.bindings[0].params, Params::Tenant(t) if t.tenant == "teamId"));
    }

    /// A project whose only function reads `reads` (request parts with their paths) and
    /// is the handler of every route given.
    fn reading(reads: &[(&str, &[&str])], routes: Vec<Route>) -> Project {
        use secprop_model::{Function, Stmt, StmtKind};
        let part = |(p, path): &(&str, &[&str])| Expr::RequestPart {
            part: p.to_string(),
            path: path.iter().map(|s| s.to_string()).collect(),
        };
        let helper = Function {
            id: FnId(1),
            name: "service".into(),
            span: Span::default(),
            is_async: false,
            params: vec![],
            return_type: None,
            body: reads
                .iter()
                .map(|r| Stmt {
                    kind: StmtKind::Expr(part(r)),
                    span: Span::default(),
                })
                .collect(),
        };
        let call = secprop_model::Call {
            names: vec!["service".into()],
            callee: Some(FnId(1)),
            receiver: None,
            args: vec![],
            awaited: true,
            is_new: false,
            text: "service".into(),
            span: Span::default(),
        };
        let handler = Function {
            id: FnId(0),
            name: "<anonymous>".into(),
            body: vec![Stmt {
                kind: StmtKind::Expr(Expr::Call(Box::new(call))),
                span: Span::default(),
            }],
            ..helper.clone()
        };
        Project {
            functions: vec![handler, helper],
            routes: routes
                .into_iter()
                .map(|r| Route {
                    handler: Some(FnId(0)),
                    ..r
                })
                .collect(),
            ..Project::default()
        }
    }

    #[test]
    fn request_fields_bind_where_the_route_reads_them() {
        let s = spec(serde_json::json!({
            "version": 1,
            "targets": [{"name": "api", "framework": "express"}],
            "properties": [{
                "id": "own", "kind": "cross_tenant_denied", "routes": ["/me/**"],
                "tenant_param": "body.id", "owner": "caller",
                "object_params": ["query.docId", "header.X-Doc", "body.doc.id"]
            }]
        }));
        let p = Planner::new(&s);
        let r = route("POST", "/me/{x}");
        // Read in a service the handler calls; the header in another case.
        let project = reading(
            &[
                ("body", &["id"]),
                ("query", &["docId"]),
                ("headers", &["x-doc"]),
            ],
            vec![r.clone()],
        );
        assert_eq!(
            p.target("api", &project)[0].bindings[0].params,
            Params::Tenant(TenantBinding {
                tenant: "body.id".into(),
                objects: vec!["query.docId".into(), "header.x-doc".into()],
            })
        );
        // The whole body passed on may carry any body field.
        let project = reading(&[("body", &[])], vec![r.clone()]);
        assert_eq!(
            p.target("api", &project)[0].bindings[0].params,
            Params::Tenant(TenantBinding {
                tenant: "body.id".into(),
                objects: vec!["body.doc.id".into()],
            })
        );
        // Never read: `secprop/param-missing`.
        let project = reading(&[("body", &["name"]), ("query", &["id"])], vec![r]);
        assert_eq!(
            p.target("api", &project)[0].bindings[0].params,
            Params::Missing
        );
    }

    #[test]
    fn public_targets_and_except() {
        let s = spec(serde_json::json!({
            "version": 1,
            "targets": [{"name": "api", "framework": "express"}, {"name": "web", "framework": "express"}],
            "properties": [
                {"id": "login", "kind": "authentication_required", "routes": ["**"]},
                {"id": "leaks", "kind": "sensitive_data_not_exposed", "routes": ["**"], "except": ["/admin/**"]},
                {"id": "api-only", "kind": "forbidden_calls", "routes": ["**"], "calls": ["db.q"], "targets": ["api"]}
            ],
            "public": [{"route": "GET /health", "reason": "probe"}]
        }));
        let p = Planner::new(&s);
        let health = p.route("api", &Project::default(), &route("GET", "/health"));
        assert!(health.public && health.covered());
        assert_eq!(health.selected, vec![0, 1, 2]);
        assert_eq!(health.property_ids(&s), vec!["leaks", "api-only"]);
        let admin = p.route("web", &Project::default(), &route("POST", "/admin/x"));
        assert_eq!(admin.property_ids(&s), vec!["login"]);
        // A public route that no property selects is still covered.
        let none = Planner::new(&Spec {
            properties: vec![],
            ..s.clone()
        })
        .route("api", &Project::default(), &route("GET", "/health"));
        assert!(none.covered() && none.selected.is_empty());
    }

    #[test]
    fn zero_call_patterns_leave_logs_unless_asked() {
        let s = spec(serde_json::json!({
            "version": 1,
            "targets": [{"name": "api", "framework": "express"}],
            "context": {
                "side_effects": ["reports.*", "mailer.*"],
                "sinks": {"logs": ["logger.*"], "external": ["fetch", "mailer.*"]}
            }
        }));
        assert_eq!(
            zero_call_patterns(&s, false),
            vec!["reports.*", "mailer.*", "fetch"]
        );
        assert_eq!(
            zero_call_patterns(&s, true),
            vec!["reports.*", "mailer.*", "fetch", "logger.*"]
        );
    }
}
