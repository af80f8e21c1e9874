//! The guards in a route's chain (spec-v1 §6), and how the spec sees a route for
//! `secprop routes`: the route plan's properties, public and covered (`secprop_plan`,
//! spec-v1 §5 end, §7 end) with those guards. Finding a guard carried by a project
//! middleware needs the analysis, which is why this part lives in `check`.

use crate::analysis::{Analyzer, Fact, Scope};
use crate::config::{Ctx, GuardKind, element_matches, parse_pattern};
use secprop_model::{Project, Route};
use secprop_plan::{Planner, RoutePlan};
use secprop_spec::{GuardEntry, Pattern, Spec};
use serde::Serialize;

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

/// Everything `secprop routes` shows about one route. For every route of a target use
/// [`select_routes`], which compiles the spec once.
pub fn select_route(spec: &Spec, target: &str, route: &Route, project: &Project) -> RouteSelection {
    let ctx = Ctx::compile(spec, &mut Vec::new());
    let mut guards = GuardFinder::new(spec, project, &ctx);
    selection_of(
        spec,
        &Planner::new(spec).route(target, project, route),
        guards.chain_guards(route),
    )
}

/// [`select_route`] for every route of a target, index-aligned with `project.routes`.
pub fn select_routes(spec: &Spec, target: &str, project: &Project) -> Vec<RouteSelection> {
    Planner::new(spec)
        .target(target, project)
        .iter()
        .zip(route_guards(spec, project))
        .map(|(plan, guards)| selection_of(spec, plan, guards))
        .collect()
}

/// The chain guards of every route of a project, index-aligned with `project.routes`;
/// one analyzer shares its function summaries across the routes.
pub fn route_guards(spec: &Spec, project: &Project) -> Vec<Vec<ChainGuard>> {
    let ctx = Ctx::compile(spec, &mut Vec::new());
    let mut guards = GuardFinder::new(spec, project, &ctx);
    project
        .routes
        .iter()
        .map(|r| guards.chain_guards(r))
        .collect()
}

fn selection_of(spec: &Spec, plan: &RoutePlan, guards: Vec<ChainGuard>) -> RouteSelection {
    RouteSelection {
        properties: plan.property_ids(spec),
        public: plan.public,
        covered: plan.covered(),
        guards,
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
            .filter_map(|(g, k)| Some((parse_pattern(g.pattern()?, &mut errors)?, k)))
            .collect();
        GuardFinder {
            project,
            patterns,
            analyzer: Analyzer::new(project, ctx, &ctx.guards, Scope::default()),
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
                    if el.may_apply {
                        return None;
                    }
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
