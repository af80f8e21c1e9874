//! `secprop review --base REF` (spec-v1 §10): what a change added since
//! `merge-base(REF, HEAD)`, for the pull request itself.
//!
//! The caller analyses two trees with the same spec (the working tree, and the base
//! commit written into a temporary folder by [`git`]) and hands both [`Side`]s to
//! [`compare`]: routes added, removed and changed (handler text or chain), dependencies
//! added ([`deps`]), new sink calls and the sensitive fields they carry ([`calls`]), for
//! each new or changed route the properties covering it and the state of its generated
//! tests, and the findings the change introduced. A finding whose fingerprint is already
//! open at the base is not blamed on the change (fingerprints ignore line numbers, spec-v1
//! §8). [`render`] writes the markdown comment and the JSON.

pub mod calls;
pub mod deps;
pub mod git;
pub mod render;

use calls::SinkCall;
use deps::Dependency;
use secprop_check::{Finding, Status};
use secprop_generate::{RouteTests, TestsState};
use secprop_model::Project;
use secprop_spec::Spec;
use serde::Serialize;
use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;

/// One analysed tree: the base or the head of the change.
pub struct Side<'a> {
    pub spec: &'a Spec,
    /// Spec target name and scanned project.
    pub projects: &'a [(String, Project)],
    /// What `check` found on this tree.
    pub findings: &'a [Finding],
    /// The routes with generated tests and their state; `None` when no target has
    /// `tests`.
    pub tests: Option<&'a [RouteTests]>,
    /// The tree's root folder (manifests are read from it).
    pub root: &'a Path,
}

/// A route that the change added or changed.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct RouteChange {
    pub target: String,
    /// `METHOD /canonical/path`.
    pub route: String,
    pub file: String,
    pub line: u32,
    pub handler: String,
    /// The chain's guards, by name, in order.
    pub guards: Vec<String>,
    /// What changed on a changed route: `handler`, `chain`.
    pub changed: Vec<&'static str>,
    /// The properties that apply to it, in spec order.
    pub properties: Vec<String>,
    pub public: bool,
    /// Selected by no property and not public.
    pub uncovered: bool,
    /// Its generated tests: `current`, `missing`, `stale`, or `none` (no property of it
    /// has a generated test, or no target has `tests`).
    pub tests: &'static str,
}

/// A route that the change removed.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct RouteRef {
    pub target: String,
    pub route: String,
    pub file: String,
}

/// What [`compare`] found.
#[derive(Debug, Clone, Default, Serialize)]
pub struct Review {
    pub routes_added: Vec<RouteChange>,
    pub routes_changed: Vec<RouteChange>,
    pub routes_removed: Vec<RouteRef>,
    pub dependencies_added: Vec<Dependency>,
    /// New calls into `context.sinks` channels, by channel.
    pub calls_added: Vec<SinkCall>,
    /// The new sink calls whose arguments carry a sensitive field.
    pub sensitive_flows: Vec<SinkCall>,
    /// Open findings at the head whose fingerprint is not open at the base.
    pub findings_added: Vec<Finding>,
    /// Open findings at the base that the head no longer has.
    pub findings_fixed: usize,
}

impl Review {
    /// New routes that no property selects and that are not public.
    pub fn uncovered_routes(&self) -> impl Iterator<Item = &RouteChange> {
        self.routes_added.iter().filter(|r| r.uncovered)
    }

    /// spec-v1 §10: 1 when a new route is uncovered or a new finding appears, else 0.
    pub fn exit_code(&self) -> u8 {
        u8::from(self.uncovered_routes().next().is_some() || !self.findings_added.is_empty())
    }
}

/// One route as seen on one side.
struct RouteView {
    change: RouteChange,
    /// The handler's source text, to tell a changed handler.
    handler_text: String,
    /// The chain's element names, to tell a changed chain.
    chain: Vec<String>,
}

fn route_views(side: &Side) -> BTreeMap<(String, String), RouteView> {
    let tests: BTreeMap<(&str, &str), TestsState> = side
        .tests
        .unwrap_or_default()
        .iter()
        .map(|t| ((t.target.as_str(), t.route.as_str()), t.state))
        .collect();
    let mut out = BTreeMap::new();
    for (target, project) in side.projects {
        let selections = secprop_check::select_routes(side.spec, target, project);
        for (route, sel) in project.routes.iter().zip(selections) {
            let key = route.key();
            let file = project
                .files
                .get(route.span.file.0 as usize)
                .map(|f| f.path.clone())
                .unwrap_or_default();
            let handler_text = route
                .handler
                .map(|h| source_text(project, project.function(h).span))
                .unwrap_or_default();
            let chain = route
                .chain
                .iter()
                .map(|c| c.names.first().cloned().unwrap_or_default())
                .collect();
            let state = match tests.get(&(target.as_str(), key.as_str())) {
                Some(TestsState::Current) => "current",
                Some(TestsState::Missing) => "missing",
                Some(TestsState::Stale) => "stale",
                None => "none",
            };
            let change = RouteChange {
                target: target.clone(),
                route: key.clone(),
                file,
                line: route.span.line,
                handler: route.handler_name.clone(),
                guards: sel.guards.iter().map(|g| g.name.clone()).collect(),
                changed: vec![],
                uncovered: !sel.covered && !side.spec.properties.is_empty(),
                properties: sel.properties,
                public: sel.public,
                tests: state,
            };
            out.entry((target.clone(), key)).or_insert(RouteView {
                change,
                handler_text,
                chain,
            });
        }
    }
    out
}

/// The source text of a span, read from its file (empty when unreadable).
fn source_text(project: &Project, span: secprop_model::Span) -> String {
    let Some(file) = project.files.get(span.file.0 as usize) else {
        return String::new();
    };
    let Ok(text) = std::fs::read(&file.abs_path) else {
        return String::new();
    };
    let (s, e) = (span.start_byte as usize, span.end_byte as usize);
    text.get(s..e.min(text.len()))
        .map(|b| String::from_utf8_lossy(b).into_owned())
        .unwrap_or_default()
}

/// What the change from `base` to `head` added.
pub fn compare(base: &Side, head: &Side) -> Review {
    let mut review = Review::default();
    let before = route_views(base);
    let after = route_views(head);
    for (key, view) in &after {
        match before.get(key) {
            None => review.routes_added.push(view.change.clone()),
            Some(old) => {
                let mut changed = Vec::new();
                if old.handler_text != view.handler_text {
                    changed.push("handler");
                }
                if old.chain != view.chain {
                    changed.push("chain");
                }
                if !changed.is_empty() {
                    let mut c = view.change.clone();
                    c.changed = changed;
                    review.routes_changed.push(c);
                }
            }
        }
    }
    for (key, view) in &before {
        if !after.contains_key(key) {
            review.routes_removed.push(RouteRef {
                target: key.0.clone(),
                route: key.1.clone(),
                file: view.change.file.clone(),
            });
        }
    }

    // Dependencies by (ecosystem, name): a version bump is not a new dependency.
    let old_deps: BTreeSet<(&str, String)> = deps::collect(base.root)
        .into_iter()
        .map(|d| (d.ecosystem, d.name))
        .collect();
    let mut seen = BTreeSet::new();
    for d in deps::collect(head.root) {
        if !old_deps.contains(&(d.ecosystem, d.name.clone()))
            && seen.insert((d.ecosystem, d.name.clone(), d.file.clone()))
        {
            review.dependencies_added.push(d);
        }
    }

    // Sink calls compared as multisets of identities, so a second `logger.info` in the
    // same function is new even though one existed.
    let sink_calls = |side: &Side| -> Vec<SinkCall> {
        side.projects
            .iter()
            .flat_map(|(_, p)| calls::sink_calls(side.spec, p))
            .collect()
    };
    let old_calls = sink_calls(base);
    let mut budget: BTreeMap<_, usize> = BTreeMap::new();
    for c in &old_calls {
        *budget.entry(c.identity()).or_default() += 1;
    }
    for c in sink_calls(head) {
        match budget.get_mut(&c.identity()) {
            Some(n) if *n > 0 => *n -= 1,
            _ => review.calls_added.push(c),
        }
    }
    review.sensitive_flows = review
        .calls_added
        .iter()
        .filter(|c| !c.sensitive.is_empty())
        .cloned()
        .collect();

    let open = |fs: &[Finding]| -> BTreeSet<String> {
        fs.iter()
            .filter(|f| f.status == Status::Open)
            .map(|f| f.id.clone())
            .collect()
    };
    let base_open = open(base.findings);
    let head_open = open(head.findings);
    review.findings_added = head
        .findings
        .iter()
        .filter(|f| f.status == Status::Open && !base_open.contains(&f.id))
        .cloned()
        .collect();
    review.findings_fixed = base_open.difference(&head_open).count();
    review
}
