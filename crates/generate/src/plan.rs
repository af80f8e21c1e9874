//! What to generate: from the spec and a scanned target, the routes that get tests, the
//! tests of each (one per request the property's generated-test column of spec-v1 §7
//! describes), their deterministic names, and the data each template receives.
//!
//! Which route a property applies to, and with which parameters, is the route plan's
//! (`secprop_plan`), shared with `check`: a route the check covers is a route tested.
//! Nothing here knows a runner's syntax: templates turn these values into code.

use secprop_model::{Expr, FnId, Project, Route, Segment, Stmt, StmtKind, walk_cond, walk_expr};
use secprop_plan::{Binding, Params, Planner, RoutePlan as Selection, TenantBinding};
use secprop_spec::{FieldSource, Owner, Pattern, Property, PropertyKind, RequestField, Spec};
use serde::Serialize;
use std::collections::{BTreeMap, BTreeSet};

/// How deep the search for the work a handler always does follows project functions
/// (spec-v1 §6 asks for at least three levels).
const MAX_DEPTH: usize = 3;

/// The property kinds that have a generated test (spec-v1 §7 generated-test column); a
/// selected property of another kind is checked statically only.
pub const GENERATED_KINDS: &[PropertyKind] = &[
    PropertyKind::CrossTenantDenied,
    PropertyKind::NoSideEffectsBeforeAuthz,
    PropertyKind::AuthenticationRequired,
    PropertyKind::RoleRequired,
    PropertyKind::AuditEventEmitted,
    PropertyKind::SensitiveDataNotExposed,
    PropertyKind::MalformedInputRejected,
];

/// How many inputs a property-based test tries unless `SECPROP_CASES` says otherwise
/// (spec-v1 §9: at most 100).
pub const DEFAULT_CASES: u32 = 100;

/// The request a route's tests send and what they observe, shared by its tests.
#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct RouteCase {
    /// `GET /projects/{projectId}/report`: the route as listed by `secprop routes`.
    pub route: String,
    /// The method the request uses (`GET` for an all-methods route).
    pub method: String,
    /// Canonical path segments, to fill with object ids.
    pub segments: Vec<SegmentCase>,
    /// Patterns whose calls must stay at zero: `side_effects` and non-log sinks.
    pub side_effects: Vec<String>,
    /// Side-effect patterns the handler calls on every path the static model sees
    /// (outside any branch): the positive control must observe at least one of them,
    /// which proves the harness's spies are installed and alive.
    pub expect_work: Vec<String>,
    /// `context.sensitive_fields`: each gets a canary through `harness.seed`.
    pub sensitive_fields: Vec<String>,
    /// Sink channels (`context.sinks` keys) the handler writes to on every path the
    /// static model sees: a test searching them must find them fed, which proves
    /// `harness.captured` observes them.
    pub expect_captured: Vec<String>,
    /// Whether requests carry a body from `validBody` (POST, PUT, PATCH; spec-v1 §9).
    pub has_body: bool,
    /// The path parameters in path order: the objects a test creates for the request.
    pub params: Vec<String>,
}

/// One path segment: a literal, a parameter, or a parameter spanning segments.
#[derive(Debug, Clone, Serialize)]
pub struct SegmentCase {
    /// `literal`, `param` or `catch_all`.
    pub kind: &'static str,
    /// The literal text or the parameter's name.
    pub value: String,
}

/// One generated test.
#[derive(Debug, Clone, Serialize)]
pub struct TestCase {
    /// The property kind; selects the template `<kind>.tera`.
    pub kind: &'static str,
    /// The property id.
    pub property: String,
    /// The test's title inside the route's `describe`:
    /// `cross_tenant_denied(tenant-isolation) › actor of tenant A gets 403/404 with ...`.
    pub title: String,
    /// Kind-specific options, passed to the runtime as one object literal.
    pub options: serde_json::Value,
}

/// A route with its tests.
#[derive(Debug, Clone, Serialize)]
pub struct RoutePlan {
    pub case: RouteCase,
    pub tests: Vec<TestCase>,
    /// Repository-relative file of the registration, for a comment.
    pub file: String,
    /// The registration's line; never rendered, so moving code does not make the
    /// generated tests stale.
    pub line: u32,
}

/// The harness functions of spec-v1 §9 a generated test can call, in snake case: the
/// runner's scaffold spells them in its language (`createObject`, `validBody` in JS).
pub const HARNESS_FUNCTIONS: &[&str] = &[
    "app",
    "tenant",
    "actor",
    "anonymous",
    "create_object",
    "seed",
    "calls",
    "captured",
    "valid_body",
];

/// The methods whose requests carry a body from `validBody` (spec-v1 §9).
pub const METHODS_WITH_BODY: &[&str] = &["POST", "PUT", "PATCH"];

impl RoutePlan {
    /// The harness functions (names of [`HARNESS_FUNCTIONS`]) that `test`, one of this
    /// route's tests, calls when it runs, so a scaffold can offer exactly those.
    pub fn harness_needs(&self, test: &TestCase) -> BTreeSet<&'static str> {
        let case = &self.case;
        let mut needs: BTreeSet<&'static str> = ["app", "tenant", "actor"].into();
        let has_params = case.segments.iter().any(|s| s.kind != "literal");
        let kind = PropertyKind::ALL
            .into_iter()
            .find(|k| k.as_str() == test.kind);
        if has_params {
            needs.insert("create_object");
        }
        let patterns = |key: &str| {
            test.options
                .get(key)
                .and_then(|v| v.as_array())
                .is_some_and(|a| !a.is_empty())
        };
        if patterns("sideEffects") || patterns("events") || !case.expect_work.is_empty() {
            needs.insert("calls");
        }
        let canaries = matches!(
            kind,
            Some(
                PropertyKind::CrossTenantDenied
                    | PropertyKind::AuthenticationRequired
                    | PropertyKind::SensitiveDataNotExposed
            )
        );
        if canaries && !case.sensitive_fields.is_empty() {
            needs.insert("seed");
        }
        if kind == Some(PropertyKind::AuthenticationRequired) {
            needs.insert("anonymous");
        }
        if patterns("channels") {
            needs.insert("captured");
        }
        // The sensitive-data test seeds whatever else it needs; the route's own request
        // is its positive control.
        if kind == Some(PropertyKind::SensitiveDataNotExposed) {
            needs.insert("seed");
        }
        if METHODS_WITH_BODY.contains(&case.method.as_str()) {
            needs.insert("valid_body");
        }
        // The property-based test makes up its own inputs and observes only responses.
        if kind == Some(PropertyKind::MalformedInputRejected) {
            needs.retain(|f| ["app", "tenant", "actor", "create_object"].contains(f));
        }
        needs
    }
}

/// The properties (indices into `spec.properties`) that select at least one route of
/// `target`: the ones whose coverage the `generate` summary accounts for.
pub fn selected_properties(spec: &Spec, target: &str, project: &Project) -> BTreeSet<usize> {
    Planner::new(spec)
        .target(target, project)
        .iter()
        .flat_map(|s| s.bindings.iter().map(|b| b.property))
        .collect()
}

/// Every route of one target that gets tests, grouped by the route's file
/// (repository-relative), each group sorted by route key.
pub fn plan_target(
    spec: &Spec,
    target: &str,
    project: &Project,
) -> BTreeMap<String, Vec<RoutePlan>> {
    let mut by_file: BTreeMap<String, BTreeMap<String, RoutePlan>> = BTreeMap::new();
    let planner = Planner::new(spec);
    for (route, selection) in project.routes.iter().zip(planner.target(target, project)) {
        // Unresolved routes are already findings and get no tests (spec-v1 §9).
        if route.unresolved.is_some() {
            continue;
        }
        let tests = tests_for(spec, route, &selection);
        if tests.is_empty() {
            continue;
        }
        let file = project
            .files
            .get(route.span.file.0 as usize)
            .map(|f| f.path.clone())
            .unwrap_or_default();
        let plan = RoutePlan {
            case: route_case(spec, project, route),
            tests,
            file: file.clone(),
            line: route.span.line,
        };
        // A route registered twice in one file keeps its first registration: the tests
        // would be the same, and duplicate names would make results ambiguous.
        by_file
            .entry(file)
            .or_default()
            .entry(route.key())
            .or_insert(plan);
    }
    by_file
        .into_iter()
        .map(|(f, routes)| (f, routes.into_values().collect()))
        .collect()
}

fn route_case(spec: &Spec, project: &Project, route: &Route) -> RouteCase {
    let side_effects = secprop_plan::zero_call_patterns(spec, false);
    let method = if route.method == "*" {
        "GET".to_string()
    } else {
        route.method.clone()
    };
    RouteCase {
        route: route.key(),
        has_body: METHODS_WITH_BODY.contains(&method.as_str()),
        params: route.params().iter().map(|p| p.to_string()).collect(),
        method,
        segments: route
            .segments
            .iter()
            .map(|s| match s {
                Segment::Literal(l) => SegmentCase {
                    kind: "literal",
                    value: l.clone(),
                },
                Segment::Param(p) => SegmentCase {
                    kind: "param",
                    value: p.clone(),
                },
                Segment::CatchAll(p) => SegmentCase {
                    kind: "catch_all",
                    value: p.clone(),
                },
            })
            .collect(),
        expect_work: expected_work(project, route, &side_effects),
        side_effects,
        expect_captured: spec
            .context
            .sinks
            .iter()
            .filter(|(_, patterns)| !expected_work(project, route, patterns).is_empty())
            .map(|(channel, _)| channel.clone())
            .collect(),
        sensitive_fields: dedup(spec.context.sensitive_fields.iter().cloned()),
    }
}

fn dedup(items: impl IntoIterator<Item = String>) -> Vec<String> {
    let mut seen = BTreeSet::new();
    items
        .into_iter()
        .filter(|i| seen.insert(i.clone()))
        .collect()
}

fn deny_text(codes: &[u16]) -> String {
    codes
        .iter()
        .map(u16::to_string)
        .collect::<Vec<_>>()
        .join("/")
}

/// The tests of one route: one or more per binding of the route plan whose kind has a
/// generated test, in spec order.
fn tests_for(spec: &Spec, route: &Route, selection: &Selection) -> Vec<TestCase> {
    let mut tests = Vec::new();
    for Binding { property, params } in &selection.bindings {
        let property = &spec.properties[*property];
        if !GENERATED_KINDS.contains(&property.kind) {
            continue;
        }
        match (property.kind, params) {
            (PropertyKind::CrossTenantDenied, Params::Tenant(binding)) => {
                cross_tenant(spec, property, route, binding, &mut tests)
            }
            // A route that lacks the tenant parameter is `secprop/param-missing` and gets
            // no test.
            (PropertyKind::CrossTenantDenied, _) => {}
            (PropertyKind::NoSideEffectsBeforeAuthz, _) => {
                tests.push(no_side_effects(spec, property))
            }
            (PropertyKind::AuthenticationRequired, _) => tests.push(authentication(spec, property)),
            (PropertyKind::RoleRequired, _) => tests.push(role(spec, property)),
            (PropertyKind::AuditEventEmitted, _) => tests.push(audit(property)),
            // Without sensitive fields there is no canary to look for.
            (PropertyKind::SensitiveDataNotExposed, _)
                if !spec.context.sensitive_fields.is_empty() =>
            {
                tests.push(sensitive(spec, property))
            }
            (PropertyKind::MalformedInputRejected, _) => tests.push(malformed(property, route)),
            _ => {}
        }
    }
    tests
}

fn title(property: &Property, what: &str) -> String {
    format!("{}({}) › {what}", property.kind.as_str(), property.id)
}

/// How many sets of objects tenant B owns in a cross-tenant test: fast-check combines
/// their ids (spec-v1 §7 "fast-check varies which of B's objects and ids are used").
pub const OBJECT_SETS: u32 = 2;

/// spec-v1 §7 `cross_tenant_denied`: one test with all of B's ids, and, when the route
/// has object parameters, one with A's tenant id and B's object ids. Both are
/// property-based over which of B's objects fill the parameters; the case count is the
/// number of combinations (at most [`DEFAULT_CASES`]), so small routes stay fast.
fn cross_tenant(
    spec: &Spec,
    property: &Property,
    route: &Route,
    binding: &TenantBinding,
    tests: &mut Vec<TestCase>,
) {
    let TenantBinding { tenant, objects } = binding;
    let deny = property.deny_status_or_default();
    let effects = secprop_plan::zero_call_patterns(spec, false);
    let mut all: Vec<String> = route.params().iter().map(|p| p.to_string()).collect();
    // Ids outside the path (spec-v1 §7 extension): request fields of the binding get
    // objects like path parameters, and the tests put them where the route reads them.
    let fields: Vec<RequestField> = std::iter::once(tenant)
        .chain(objects)
        .filter_map(|n| RequestField::parse(n).ok().flatten())
        .collect();
    all.extend(fields.iter().map(|f| f.to_string()));
    let placed = |source: FieldSource| -> Vec<serde_json::Value> {
        fields
            .iter()
            .filter(|f| f.source == source)
            .map(|f| serde_json::json!({"param": f.to_string(), "name": f.path.join("."), "path": f.path}))
            .collect()
    };
    let fields_json = serde_json::json!({
        "query": placed(FieldSource::Query),
        "header": placed(FieldSource::Header),
        "body": placed(FieldSource::Body),
    });
    // `owner: caller`: two actors of one tenant instead of two tenants (spec-v1 §7).
    let caller = property.owner_or_default() == Owner::Caller;
    let (a, b) = if caller {
        ("actor A of tenant T", "actor B")
    } else {
        ("actor of tenant A", "tenant B")
    };
    let sets = u64::from(OBJECT_SETS);
    // (a): each parameter names one of B's sets.
    let combinations = sets.saturating_pow(all.len() as u32);
    tests.push(TestCase {
        kind: property.kind.as_str(),
        property: property.id.clone(),
        title: title(
            property,
            &format!(
                "{a} gets {} with {b}'s {} and triggers no side effect",
                deny_text(&deny),
                all.join(", ")
            ),
        ),
        options: serde_json::json!({
            "property": property.id,
            "denyStatus": deny,
            "tenantParam": tenant,
            "params": all,
            "fields": fields_json,
            "caller": caller,
            "fromA": [],
            "sideEffects": effects,
            "seed": fnv1a(&format!("{} {} a", property.id, route.key())),
            "cases": cases(combinations),
        }),
    });
    if !objects.is_empty() {
        // (b): with one object parameter it names one of B's sets; with several, each
        // names one of B's sets or A's own object, at least one B's.
        let combinations = if objects.len() == 1 {
            sets
        } else {
            (sets + 1).saturating_pow(objects.len() as u32) - 1
        };
        tests.push(TestCase {
            kind: property.kind.as_str(),
            property: property.id.clone(),
            title: title(
                property,
                &if caller {
                    format!(
                        "{a} with its own {} and {b}'s {} neither sees nor touches {b}'s objects",
                        tenant,
                        objects.join(", ")
                    )
                } else {
                    format!(
                        "{a} with tenant A's {} and {b}'s {} neither sees nor touches {b}'s objects",
                        tenant,
                        objects.join(", ")
                    )
                },
            ),
            options: serde_json::json!({
                "property": property.id,
                "denyStatus": deny,
                "tenantParam": tenant,
                "params": all,
                "fields": fields_json,
                "caller": caller,
                "fromA": [tenant],
                "objects": objects,
                "sideEffects": effects,
                "seed": fnv1a(&format!("{} {} b", property.id, route.key())),
                "cases": cases(combinations),
            }),
        });
    }
}

/// The cases of a property-based test over `combinations` distinct inputs.
fn cases(combinations: u64) -> u64 {
    combinations.clamp(1, u64::from(DEFAULT_CASES))
}

/// spec-v1 §7 `no_side_effects_before_authz`: an authenticated actor of another tenant.
fn no_side_effects(spec: &Spec, property: &Property) -> TestCase {
    TestCase {
        kind: property.kind.as_str(),
        property: property.id.clone(),
        title: title(property, "actor of another tenant triggers no side effect"),
        options: serde_json::json!({
            "property": property.id,
            "sideEffects": secprop_plan::zero_call_patterns(spec, property.include_logs.unwrap_or(false)),
        }),
    }
}

/// spec-v1 §7 `authentication_required`: an anonymous request.
fn authentication(spec: &Spec, property: &Property) -> TestCase {
    let deny = property.deny_status_or_default();
    TestCase {
        kind: property.kind.as_str(),
        property: property.id.clone(),
        title: title(
            property,
            &format!(
                "anonymous request gets {} and triggers no side effect",
                deny_text(&deny)
            ),
        ),
        options: serde_json::json!({
            "property": property.id,
            "denyStatus": deny,
            "sideEffects": secprop_plan::zero_call_patterns(spec, false),
        }),
    }
}

/// spec-v1 §7 `role_required`: an actor of the same tenant without any of `roles`.
fn role(spec: &Spec, property: &Property) -> TestCase {
    let deny = property.deny_status_or_default();
    let roles = property.roles.clone().unwrap_or_default();
    TestCase {
        kind: property.kind.as_str(),
        property: property.id.clone(),
        title: title(
            property,
            &format!(
                "actor of the same tenant without role {} gets {} and triggers no side effect",
                roles.join(" or "),
                deny_text(&deny)
            ),
        ),
        options: serde_json::json!({
            "property": property.id,
            "denyStatus": deny,
            "roles": roles,
            "sideEffects": secprop_plan::zero_call_patterns(spec, false),
        }),
    }
}

/// spec-v1 §7 `audit_event_emitted`: a successful request by an authorized actor, and
/// exactly one observed call of `events`.
fn audit(property: &Property) -> TestCase {
    let events = dedup(property.events.iter().flatten().cloned());
    TestCase {
        kind: property.kind.as_str(),
        property: property.id.clone(),
        title: title(
            property,
            &format!(
                "successful request by an authorized actor emits exactly one {}",
                events.join(" or ")
            ),
        ),
        options: serde_json::json!({
            "property": property.id,
            "events": events,
        }),
    }
}

/// spec-v1 §7 `sensitive_data_not_exposed`: canaries seeded into every sensitive field,
/// an authorized request, and none of them in the response or a captured channel.
fn sensitive(spec: &Spec, property: &Property) -> TestCase {
    let fields = dedup(spec.context.sensitive_fields.iter().cloned());
    // spec-v1 §7: `channels` defaults to the response plus every sink key.
    let channels: Vec<String> = match &property.channels {
        Some(c) => dedup(c.iter().cloned()),
        None => std::iter::once("response".to_string())
            .chain(spec.context.sinks.keys().cloned())
            .collect(),
    };
    let response = channels.iter().any(|c| c == "response");
    let sinks: Vec<String> = channels.into_iter().filter(|c| c != "response").collect();
    let mut places: Vec<String> = Vec::new();
    if response {
        places.push("the response".to_string());
    }
    places.extend(sinks.iter().cloned());
    TestCase {
        kind: property.kind.as_str(),
        property: property.id.clone(),
        title: title(
            property,
            &format!(
                "canaries in {} never reach {}",
                fields.join(", "),
                places.join(", ")
            ),
        ),
        options: serde_json::json!({
            "property": property.id,
            "fields": fields,
            "response": response,
            "channels": sinks,
        }),
    }
}

/// spec-v1 §7 `malformed_input_rejected`: property-based malformed path, query and body
/// input from an authorized actor. The seed is derived from the property and the route,
/// so the file is deterministic and each route explores its own inputs.
fn malformed(property: &Property, route: &Route) -> TestCase {
    TestCase {
        kind: property.kind.as_str(),
        property: property.id.clone(),
        title: title(
            property,
            "malformed path, query and body input by an authorized actor gets no 5xx, stack trace or error text",
        ),
        options: serde_json::json!({
            "property": property.id,
            "seed": fnv1a(&format!("{} {}", property.id, route.key())),
            "cases": DEFAULT_CASES,
        }),
    }
}

/// 32-bit FNV-1a, kept below 2^31 so every runner reads it as a plain integer seed.
fn fnv1a(text: &str) -> u32 {
    let mut h: u32 = 0x811c_9dc5;
    for b in text.bytes() {
        h ^= u32::from(b);
        h = h.wrapping_mul(0x0100_0193);
    }
    h & 0x7fff_ffff
}

/// Side-effect patterns matched by calls the handler makes outside any branch, loop or
/// catch, before its first unconditional exit, following project functions called there
/// up to [`MAX_DEPTH`] levels. An authorized request is expected to reach them.
fn expected_work(project: &Project, route: &Route, patterns: &[String]) -> Vec<String> {
    let parsed: Vec<(String, Pattern)> = patterns
        .iter()
        .filter_map(|p| Pattern::parse(p).ok().map(|pat| (p.clone(), pat)))
        .collect();
    let mut found = BTreeSet::new();
    let mut visited = BTreeSet::new();
    if let Some(handler) = route.handler {
        work_in(project, handler, &parsed, 0, &mut visited, &mut found);
    }
    // Keep the spec's order.
    patterns
        .iter()
        .filter(|p| found.contains(*p))
        .cloned()
        .collect()
}

fn work_in(
    project: &Project,
    function: FnId,
    patterns: &[(String, Pattern)],
    depth: usize,
    visited: &mut BTreeSet<FnId>,
    found: &mut BTreeSet<String>,
) {
    if depth > MAX_DEPTH || !visited.insert(function) {
        return;
    }
    let Some(f) = project.functions.get(function.0 as usize) else {
        return;
    };
    let mut callees = Vec::new();
    let mut visit = |e: &Expr| {
        if let Expr::Call(call) = e {
            let mut matched = false;
            for (text, pat) in patterns {
                if pat.matches_any(&call.names) {
                    found.insert(text.clone());
                    matched = true;
                }
            }
            // A call that matches a context pattern is atomic (spec-v1 §4).
            if !matched && let Some(c) = call.callee {
                callees.push(c);
            }
        }
    };
    top_level_list(&f.body, &mut visit);
    for c in callees {
        work_in(project, c, patterns, depth + 1, visited, found);
    }
}

/// Visits the expressions a statement list always evaluates up to its first exit;
/// returns whether it always exits.
fn top_level_list<'a>(stmts: &'a [Stmt], visit: &mut dyn FnMut(&'a Expr)) -> bool {
    stmts.iter().any(|s| top_level_exprs(s, visit))
}

/// Visits the expressions a statement always evaluates; returns whether it always exits.
fn top_level_exprs<'a>(stmt: &'a Stmt, visit: &mut dyn FnMut(&'a Expr)) -> bool {
    match &stmt.kind {
        StmtKind::Expr(e) | StmtKind::Let { value: e, .. } => {
            walk_expr(e, visit);
            false
        }
        StmtKind::Return(e) => {
            if let Some(e) = e {
                walk_expr(e, visit);
            }
            true
        }
        StmtKind::Throw(e) => {
            walk_expr(e, visit);
            true
        }
        StmtKind::If { cond, .. } => {
            walk_cond(cond, visit);
            false
        }
        StmtKind::Respond(r) => {
            if let Some(p) = &r.payload {
                walk_expr(p, visit);
            }
            false
        }
        StmtKind::Continue { err } => {
            if let Some(e) = err {
                walk_expr(e, visit);
            }
            err.is_some()
        }
        // `try { ... } catch (e) { next(e) }` wraps whole handlers: its body runs.
        StmtKind::Try { body, .. } => top_level_list(body, visit),
        StmtKind::Loop { .. } => false,
    }
}
