//! Static checks of spec-v1 §6–§8 over the language-neutral model: one module per
//! property kind, plus the built-in findings. The checks never see a syntax tree.
//!
//! Entry point: [`check`], which analyses every route of every target with the
//! dataflow of `analysis`, applies the rules of [`rules`], then waivers and inline
//! `secprop-ignore` comments ([`suppress`]), and returns findings in a deterministic
//! order. [`exit_code`] maps findings to the exit status of spec-v1 §10.
//!
//! Code map:
//! - `config`: the spec's context compiled once (patterns, guards, categories);
//! - `analysis`: the forward "which guards have passed on every path" dataflow, with
//!   function summaries (helpers followed, cycles cut, results memoised);
//! - [`rules`]: one module per property kind and per built-in finding, each documented
//!   ruff-style (What it does / Why is this bad? / Example);
//! - `exposure`: the may-flow of what values carry to a channel (sensitive fields,
//!   caught errors), for `sensitive_data_not_exposed` and `malformed_input_rejected`;
//! - [`selection`]: chain guards, and the route plan's view of a route for
//!   `secprop routes`; which properties apply to a route, with which parameters, is
//!   `secprop_plan`'s (shared with `generate`);
//! - [`suppress`]: waivers and inline `secprop-ignore` comments;
//! - [`fingerprint`]: stable finding ids.
//!
//! Adding a property kind: a module in `rules/` with its doc and `check` function, one
//! match arm in [`check`], unit tests in `tests.rs` (hand-built IR) and annotated
//! fixtures under `tests/fixtures/check/<framework>/` (`expect:` / `ok:` comments).

mod analysis;
mod config;
mod exposure;
pub mod fingerprint;
pub mod rules;
pub mod selection;
pub mod suppress;
#[cfg(test)]
mod testing;
#[cfg(test)]
mod tests;

pub use config::GuardKind;
pub use rules::{builtin_default_severity, builtin_severity};
pub use selection::{ChainGuard, RouteSelection, route_guards, select_route, select_routes};

use analysis::{Analyzer, Scope, Src};
use config::{Ctx, GuardDef};
use rules::RouteCx;
use secprop_model::Project;
use secprop_plan::{Params, Planner};
use secprop_spec::{Date, LoadedSpec, Owner, Property, PropertyKind, RequestField, Severity};
use serde::Serialize;
use std::collections::BTreeMap;

/// How sure a finding is (spec-v1 §10).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Confidence {
    Certain,
    Possible,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Status {
    Open,
    Waived,
    Ignored,
}

/// A secondary location: the guard that came too late, the missing guard's route.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Serialize)]
pub struct Related {
    pub file: String,
    pub line: u32,
    pub column: u32,
    /// Where the related code ends (an addition to spec-v1 §10's fields), so renderers
    /// can underline the whole call.
    pub end_line: u32,
    pub end_column: u32,
    pub message: String,
}

/// One finding, with every field of spec-v1 §10 `check --format json`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Finding {
    /// Fingerprint stable across line moves (spec-v1 §8).
    pub id: String,
    /// Property id, or the built-in id (`secprop/unchecked-guard`).
    pub property: String,
    /// Property kind, or the built-in id.
    pub kind: String,
    pub severity: Severity,
    pub confidence: Confidence,
    pub target: String,
    /// `METHOD /canonical/path`, or `None` for spec-level findings.
    pub route: Option<String>,
    /// Relative to the repository root, `/` separators.
    pub file: String,
    pub line: u32,
    pub column: u32,
    pub end_line: u32,
    pub end_column: u32,
    pub message: String,
    pub related: Vec<Related>,
    pub status: Status,
    /// The waiver's reason and owner when `status` is `waived`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub waiver: Option<WaiverRef>,
    /// How to fix it; shown as `help:` in human output.
    #[serde(skip)]
    pub help: Option<String>,
}

/// The waiver that silenced a finding.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct WaiverRef {
    pub reason: String,
    pub owner: String,
    pub expires: String,
}

/// Options of a check run.
#[derive(Debug, Clone, Default)]
pub struct Options {
    /// The date waivers are judged against (UTC, spec-v1 §8 `--today` /
    /// `SOURCE_DATE_EPOCH`); `None` means the system clock.
    pub today: Option<Date>,
    /// Generated test files that are missing, edited or orphaned, found by the caller
    /// running the generator in check mode; each becomes `secprop/stale-tests`.
    pub stale_tests: Vec<StaleTest>,
    /// Routes whose generated tests are missing from `tests.out` or stale, found by the
    /// caller from the generator's check mode; each becomes `secprop/untested-route`.
    pub untested_routes: Vec<UntestedRoute>,
    /// Routes whose only existing project tests walk the happy path (`check
    /// --require-negative-tests`), found by the caller; each becomes
    /// `secprop/no-negative-test`.
    pub happy_path_only: Vec<HappyPathOnly>,
}

/// A route that the project's own tests exercise only on the happy path.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct HappyPathOnly {
    pub target: String,
    /// `METHOD /canonical/path`.
    pub route: String,
    /// How many happy-path tests request it.
    pub happy: usize,
}

/// A route whose properties have generated tests that are not on disk as generated now.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct UntestedRoute {
    pub target: String,
    /// `METHOD /canonical/path`.
    pub route: String,
    /// The properties whose generated tests are missing or stale.
    pub properties: Vec<String>,
    /// The generated file that should hold them, repository-relative.
    pub file: String,
    /// `missing` or `stale`.
    pub reason: String,
}

/// A generated test file that is not what `generate` would write now.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StaleTest {
    pub target: String,
    /// Relative to the repository root.
    pub file: String,
    /// `missing`, `edited by hand`, `no longer generated`.
    pub reason: String,
}

/// A (route, property) pair the checks analysed: selected, applying (public removed) and
/// bound (the route has the property's `tenant_param`), on a resolved route.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub struct Analysed {
    pub target: String,
    /// `METHOD /canonical/path`.
    pub route: String,
    /// The property id.
    pub property: String,
}

/// How much of one property is enforced: the routes it selects (public routes left per
/// spec-v1 §7), those the static checks analysed, and those with generated tests. A drop
/// in any of them is visible in every output.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct Coverage {
    /// The property id.
    pub property: String,
    pub kind: String,
    /// Routes (across targets) the property applies to, unresolved ones included.
    pub selected: usize,
    /// Selected routes the static rule analysed (resolved, parameters bound); 0 for a
    /// kind without a static check.
    pub checked: usize,
    /// Selected routes with generated tests; `None` when no target selecting it has
    /// `tests`, filled in by the caller from the generator (the checks never render).
    pub tested: Option<usize>,
    /// Whether this version has a static check for the kind.
    pub static_check: bool,
}

/// What [`check`] found.
#[derive(Debug, Clone, Default)]
pub struct CheckOutput {
    /// Sorted by file, line, column, property (then message, for ties).
    pub findings: Vec<Finding>,
    /// Every pair the analysis ran on, in route then spec order: what `generate` must
    /// write tests for too (both follow the route plan), observable for tests.
    pub analysed: Vec<Analysed>,
    /// One entry per property, in spec order.
    pub coverage: Vec<Coverage>,
    /// Problems that are not findings (an internal inconsistency, an unreadable file
    /// for inline ignores); reported as warnings, never fatal.
    pub errors: Vec<String>,
}

/// `--fail-on` (spec-v1 §10): the lowest severity that makes `check` exit 1.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum FailOn {
    /// Only critical findings fail.
    Critical,
    /// High and critical.
    High,
    /// Medium and above.
    Medium,
    /// Low and above (the default).
    #[default]
    Low,
    /// Every open finding.
    Info,
    /// Never exit 1 for findings.
    Never,
}

impl FailOn {
    /// Parses `critical|high|medium|low|info|never`.
    pub fn parse(s: &str) -> Option<FailOn> {
        Some(match s {
            "critical" => FailOn::Critical,
            "high" => FailOn::High,
            "medium" => FailOn::Medium,
            "low" => FailOn::Low,
            "info" => FailOn::Info,
            "never" => FailOn::Never,
            _ => return None,
        })
    }

    fn threshold(self) -> Option<Severity> {
        match self {
            FailOn::Critical => Some(Severity::Critical),
            FailOn::High => Some(Severity::High),
            FailOn::Medium => Some(Severity::Medium),
            FailOn::Low => Some(Severity::Low),
            FailOn::Info => Some(Severity::Info),
            FailOn::Never => None,
        }
    }
}

/// The exit status of `check` for these findings (spec-v1 §10): 1 when an open finding
/// is at or above `fail_on`, else 0. Waived and ignored findings never count.
pub fn exit_code(findings: &[Finding], fail_on: FailOn) -> i32 {
    let Some(min) = fail_on.threshold() else {
        return 0;
    };
    i32::from(
        findings
            .iter()
            .any(|f| f.status == Status::Open && f.severity >= min),
    )
}

/// A target's root relative to the repository root, `/` separators, `""` for the root
/// itself: `allowed_in` globs are relative to it, like `include`.
/// What the analysis tracks for one `cross_tenant_denied` binding (spec-v1 §7): objects
/// are scoped by the tenant's parameter, or by the caller for `owner: caller`; request
/// fields of the binding (`body.id`) are read as parameters.
fn scope_of(prop: &Property, tenant: Option<&str>, objects: &[String]) -> Scope {
    let Some(tenant) = tenant else {
        return Scope::default();
    };
    let by = match prop.owner_or_default() {
        Owner::Tenant => Src::Param(tenant.to_string()),
        Owner::Caller => Src::Caller,
    };
    let fields = std::iter::once(tenant)
        .chain(objects.iter().map(String::as_str))
        .filter_map(|n| RequestField::parse(n).ok().flatten())
        .collect();
    Scope {
        by: Some(by),
        fields,
    }
}

fn target_root(spec: &LoadedSpec, target: &str) -> String {
    let Some(t) = spec.spec.targets.iter().find(|t| t.name == target) else {
        return String::new();
    };
    let root = spec.dir.join(&t.root);
    let mut rel = std::path::PathBuf::new();
    for c in root
        .strip_prefix(&spec.repo_root)
        .unwrap_or(&root)
        .components()
    {
        match c {
            std::path::Component::CurDir => {}
            std::path::Component::ParentDir => {
                rel.pop();
            }
            other => rel.push(other),
        }
    }
    rel.to_string_lossy().replace('\\', "/")
}

/// Whether this version checks `kind` statically (`secprop explain` says so).
pub fn has_static_check(kind: PropertyKind) -> bool {
    is_checked_kind(kind)
}

/// The kinds this version checks statically; other kinds still select routes (coverage).
fn is_checked_kind(k: PropertyKind) -> bool {
    matches!(
        k,
        PropertyKind::AuthenticationRequired
            | PropertyKind::CrossTenantDenied
            | PropertyKind::NoSideEffectsBeforeAuthz
            | PropertyKind::RoleRequired
            | PropertyKind::ForbiddenCalls
            | PropertyKind::AuditEventEmitted
            | PropertyKind::SensitiveDataNotExposed
            | PropertyKind::MalformedInputRejected
    )
}

/// Runs every static check of spec-v1 §6–§8 on the scanned targets (name, project).
/// Never fails: problems that are not findings go to `errors`.
pub fn check(spec: &LoadedSpec, targets: &[(String, Project)], opts: &Options) -> CheckOutput {
    let mut errors = Vec::new();
    let mut findings = Vec::new();
    let mut analysed = Vec::new();
    let s = &spec.spec;
    let ctx = Ctx::compile(s, &mut errors);
    let planner = Planner::new(s);
    // Guard set 0 is the context's; a property with its own guards gets its own set. The
    // calls of `forbidden_calls` and the events of `audit_event_emitted` are tracked like
    // guards (every call site is recorded, through helpers, and "passed" means "called"),
    // but they are not guards: they never feed unchecked-guard.
    let mut guard_sets: Vec<Vec<GuardDef>> = vec![ctx.guards.clone()];
    let mut is_guard_set: Vec<bool> = vec![true];
    let mut set_of_prop: Vec<usize> = Vec::new();
    for p in &s.properties {
        let (set, guards) = match p.kind {
            PropertyKind::ForbiddenCalls => (
                config::call_defs(p.calls.as_deref().unwrap_or_default(), &mut errors),
                false,
            ),
            // Event calls play the guard's part: "passed" means "emitted".
            PropertyKind::AuditEventEmitted => (
                config::call_defs(p.events.as_deref().unwrap_or_default(), &mut errors),
                false,
            ),
            _ => match ctx.guard_set(p, &mut errors) {
                Some(g) => (g, true),
                None => {
                    set_of_prop.push(0);
                    continue;
                }
            },
        };
        guard_sets.push(set);
        is_guard_set.push(guards);
        set_of_prop.push(guard_sets.len() - 1);
    }
    let sev = |id: &str| builtin_severity(s, id);
    // Say so rather than pass silently: such a property only counts for coverage here.
    for p in s.properties.iter().filter(|p| !is_checked_kind(p.kind)) {
        errors.push(format!(
            "property `{}`: kind `{}` has no static check in this version yet; it only selects routes (coverage)",
            p.id,
            p.kind.as_str()
        ));
    }

    let sensitive = exposure::compile_sensitive(&s.context.sensitive_fields);
    let mut selected_count = vec![0usize; s.properties.len()];
    for (target, project) in targets {
        // Error handlers run for every route of the app: analysed once, each finding
        // reported on the first selected route (spec-v1 §7 `malformed_input_rejected`).
        let handlers = exposure::error_handlers(project);
        let mut handler_exposures = {
            let mut flow = exposure::Flow::new(project, &ctx, &sensitive);
            for h in &handlers {
                flow.entry(*h);
            }
            flow.exposures
        };
        let mut route_flow: Option<(usize, Vec<exposure::Exposure>)> = None;
        let mut flow = exposure::Flow::new(project, &ctx, &sensitive);
        let mut analyzers: BTreeMap<(usize, Scope), Analyzer> = BTreeMap::new();
        // `forbidden_calls`: analyzers that enter only some helpers, by guard set and the
        // route files they are limited to (empty with `allowed_in`).
        let mut layered: BTreeMap<(usize, Vec<u32>), Analyzer> = BTreeMap::new();
        let root_rel = target_root(spec, target);
        // Unchecked guards are reported once per location, on the first route reaching it.
        let mut unchecked: BTreeMap<(u32, u32, u32), Finding> = BTreeMap::new();
        for (ri, (route, plan)) in project
            .routes
            .iter()
            .zip(planner.target(target, project))
            .enumerate()
        {
            let rc = RouteCx {
                project,
                target,
                route,
                key: route.key(),
                context: &s.context,
            };
            for b in &plan.bindings {
                selected_count[b.property] += 1;
            }
            let selecting = &plan.selected;
            if !plan.covered() && !s.properties.is_empty() {
                findings.push(rules::uncovered_route::finding(
                    &rc,
                    sev(rules::UNCOVERED_ROUTE),
                ));
            }
            for u in opts
                .untested_routes
                .iter()
                .filter(|u| u.target == *target && u.route == rc.key)
            {
                findings.push(rules::untested_route::finding(
                    &rc,
                    u,
                    sev(rules::UNTESTED_ROUTE),
                ));
            }
            for h in opts
                .happy_path_only
                .iter()
                .filter(|h| h.target == *target && h.route == rc.key)
            {
                findings.push(rules::no_negative_test::finding(
                    &rc,
                    h.happy,
                    sev(rules::NO_NEGATIVE_TEST),
                ));
            }
            if let Some(reason) = &route.unresolved {
                if !selecting.is_empty() {
                    let ids: Vec<String> = selecting
                        .iter()
                        .map(|&i| s.properties[i].id.clone())
                        .collect();
                    findings.push(rules::unresolved::finding(
                        &rc,
                        reason,
                        &ids,
                        sev(rules::UNRESOLVED),
                    ));
                }
                continue;
            }
            // Guards that decide nothing are bugs whatever selects the route.
            let mut keys: Vec<usize> = vec![0];
            // The properties that apply, public routes already left (spec-v1 §7 end).
            for binding in &plan.bindings {
                let pi = binding.property;
                let prop = &s.properties[pi];
                if !is_checked_kind(prop.kind) {
                    continue;
                }
                let set = set_of_prop[pi];
                if is_guard_set[set] && !keys.contains(&set) {
                    keys.push(set);
                }
                let (tenant, objects) = match &binding.params {
                    Params::None => (None, &[][..]),
                    Params::Tenant(t) => {
                        // A request-field object the route never reads is reported like
                        // a missing tenant field (spec-v1 §7), and the rest is checked.
                        for name in prop.object_params.iter().flatten() {
                            if let Ok(Some(field)) = secprop_spec::RequestField::parse(name)
                                && field.to_string() != t.tenant
                                && !t.objects.contains(&field.to_string())
                            {
                                findings.push(rules::param_missing::finding(
                                    &rc,
                                    prop,
                                    name,
                                    sev(rules::PARAM_MISSING),
                                ));
                            }
                        }
                        (Some(t.tenant.clone()), &t.objects[..])
                    }
                    Params::Missing => {
                        findings.push(rules::param_missing::finding(
                            &rc,
                            prop,
                            prop.tenant_param.as_deref().unwrap_or(""),
                            sev(rules::PARAM_MISSING),
                        ));
                        continue;
                    }
                };
                analysed.push(Analysed {
                    target: target.clone(),
                    route: rc.key.clone(),
                    property: prop.id.clone(),
                });
                if matches!(
                    prop.kind,
                    PropertyKind::SensitiveDataNotExposed | PropertyKind::MalformedInputRejected
                ) {
                    if route_flow.as_ref().is_none_or(|(i, _)| *i != ri) {
                        route_flow = Some((ri, route_exposures(&mut flow, &ctx, route, &handlers)));
                    }
                    let exps = route_flow.as_ref().map(|(_, e)| &e[..]).unwrap_or_default();
                    if prop.kind == PropertyKind::SensitiveDataNotExposed {
                        findings.extend(rules::sensitive_data_not_exposed::check(exps, prop, &rc));
                    } else {
                        findings.extend(rules::malformed_input_rejected::check(exps, prop, &rc));
                        // Error handlers: reported once, on this first selected route.
                        let eh = std::mem::take(&mut handler_exposures);
                        findings.extend(rules::malformed_input_rejected::check(&eh, prop, &rc));
                    }
                    continue;
                }
                if prop.kind == PropertyKind::ForbiddenCalls {
                    let own = match &prop.allowed_in {
                        Some(_) => Vec::new(),
                        None => rules::forbidden_calls::own_files(project, route),
                    };
                    let analyzer = layered.entry((set, own.clone())).or_insert_with(|| {
                        let a = Analyzer::new(project, &ctx, &guard_sets[set], Scope::default());
                        match &prop.allowed_in {
                            Some(globs) => {
                                let layer = rules::forbidden_calls::layer(globs, &root_rel);
                                a.entering(move |id| {
                                    !layer(&project.file(project.function(id).span.file).path)
                                })
                            }
                            None => a.entering(move |id| {
                                own.contains(&project.function(id).span.file.0)
                            }),
                        }
                    });
                    let ra = analyzer.route(route);
                    findings.extend(rules::forbidden_calls::check(&ra, prop, &rc));
                    continue;
                }
                let scope = scope_of(prop, tenant.as_deref(), objects);
                let analyzer = analyzers
                    .entry((set, scope.clone()))
                    .or_insert_with(|| Analyzer::new(project, &ctx, &guard_sets[set], scope));
                let ra = analyzer.route(route);
                let found = match prop.kind {
                    PropertyKind::NoSideEffectsBeforeAuthz => {
                        rules::no_side_effects_before_authz::check(&ra, prop, &rc)
                    }
                    PropertyKind::AuthenticationRequired => {
                        rules::authentication_required::check(&ra, prop, &rc)
                    }
                    PropertyKind::RoleRequired => rules::role_required::check(&ra, prop, &rc),
                    PropertyKind::AuditEventEmitted => {
                        rules::audit_event_emitted::check(&ra, prop, &rc)
                    }
                    PropertyKind::CrossTenantDenied => {
                        let t = tenant.unwrap_or_default();
                        rules::cross_tenant_denied::check(&ra, prop, &rc, &t, objects)
                    }
                    _ => None,
                };
                findings.extend(found);
            }
            for set in keys {
                let analyzer = analyzers.entry((set, Scope::default())).or_insert_with(|| {
                    Analyzer::new(project, &ctx, &guard_sets[set], Scope::default())
                });
                let ra = analyzer.route(route);
                for u in &ra.unchecked {
                    unchecked
                        .entry((u.span.file.0, u.span.line, u.span.column))
                        .or_insert_with(|| {
                            rules::unchecked_guard::finding(u, &rc, sev(rules::UNCHECKED_GUARD))
                        });
                }
            }
        }
        findings.extend(unchecked.into_values());
        findings.extend(rules::parse_error::check(
            target,
            project,
            sev(rules::PARSE_ERROR),
            s.builtin_severity.contains_key(rules::PARSE_ERROR),
        ));
    }
    findings.extend(rules::unmatched_pattern::check(
        spec,
        targets,
        sev(rules::UNMATCHED_PATTERN),
    ));
    findings.extend(rules::stale_tests::check(
        &opts.stale_tests,
        sev(rules::STALE_TESTS),
    ));
    let today = opts.today.unwrap_or_else(suppress::system_today);
    findings = suppress::apply(spec, targets, findings, today, &mut errors);
    sort_findings(&mut findings);
    let coverage = s
        .properties
        .iter()
        .zip(selected_count)
        .map(|(p, selected)| Coverage {
            property: p.id.clone(),
            kind: p.kind.as_str().to_string(),
            selected,
            checked: analysed.iter().filter(|a| a.property == p.id).count(),
            tested: None,
            static_check: is_checked_kind(p.kind),
        })
        .collect();
    CheckOutput {
        findings,
        analysed,
        coverage,
        errors,
    }
}

/// What the values of a route's chain and handler carry to channels (error handlers
/// excluded: they are analysed once per target).
fn route_exposures(
    flow: &mut exposure::Flow,
    ctx: &Ctx,
    route: &secprop_model::Route,
    handlers: &[secprop_model::FnId],
) -> Vec<exposure::Exposure> {
    flow.start_route();
    for el in &route.chain {
        if ctx.is_atomic(&el.names) || ctx.is_atomic(&el.factory) {
            continue;
        }
        if let Some(f) = el.function
            && !handlers.contains(&f)
        {
            flow.entry(f);
        }
    }
    if let Some(h) = route.handler {
        flow.entry(h);
    }
    std::mem::take(&mut flow.exposures)
}

/// The deterministic order of spec-v1 §10 output: file, line, column, property.
pub fn sort_findings(findings: &mut [Finding]) {
    findings.sort_by(|a, b| {
        (&a.file, a.line, a.column, &a.property, &a.message, &a.id).cmp(&(
            &b.file,
            b.line,
            b.column,
            &b.property,
            &b.message,
            &b.id,
        ))
    });
}
