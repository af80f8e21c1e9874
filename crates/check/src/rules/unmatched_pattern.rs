//! `secprop/unmatched-pattern` (spec-v1 §4).
//!
//! ## What it does
//! Reports every call pattern in `context`, a property's `guards`, `calls` and `events`,
//! and every route selector in a property's `routes` and `except`, in `public` and in
//! waivers, that matches nothing in its targets. The finding points at the pattern in the
//! spec; a selector's message suggests the nearest real route paths. A property that
//! ends up selecting no route at all (its selectors match nothing, or `except` and
//! `public` remove everything they match) is reported at its `routes` with at least
//! severity `high`: the property is switched off.
//!
//! ## Why is this bad?
//! A typo silently switches a check off: `audit.recrod` as a side effect means audit
//! writes are never seen, and every route looks clean.
//!
//! ## Example
//! ```yaml
//! context:
//!   side_effects: ["reports.*", "audit.recrod"]   # finding: no call matches
//! properties:
//!   - id: tenant-isolation
//!     kind: cross_tenant_denied
//!     routes: ["* /org/{orgId}/**"]   # finding (high): the app's paths start `/orgs/`
//!     tenant_param: orgId
//! ```
//! Use instead: the name the code calls (`secprop routes` lists chains; a call's names
//! are spelled out in spec-v1 §4).

use super::UNMATCHED_PATTERN;
use crate::config::project_names;
use crate::fingerprint::fingerprint;
use crate::{Confidence, Finding, Status};
use secprop_model::Project;
use secprop_plan::{Planner, RoutePlan, selector_matches};
use secprop_spec::{GuardEntry, LoadedSpec, Pattern, Severity};

/// What a target offers for matching: every call's names and every route.
struct TargetView<'a> {
    name: &'a str,
    names: Vec<Vec<String>>,
    project: &'a Project,
    /// The route plan, index-aligned with `project.routes`.
    plans: Vec<RoutePlan>,
}

enum Item {
    Pattern,
    Selector,
}

pub(crate) fn check(
    spec: &LoadedSpec,
    targets: &[(String, Project)],
    severity: Severity,
) -> Vec<Finding> {
    let planner = Planner::new(&spec.spec);
    let views: Vec<TargetView> = targets
        .iter()
        .map(|(n, p)| TargetView {
            name: n,
            names: project_names(p),
            project: p,
            plans: planner.target(n, p),
        })
        .collect();
    // (pointer, text, kind, targets it must match in: None = all).
    let mut items: Vec<(String, String, Item, Option<Vec<String>>)> = Vec::new();
    let s = &spec.spec;
    let guard_items = |base: &str, gs: &[GuardEntry], t: Option<Vec<String>>, out: &mut Vec<_>| {
        for (i, g) in gs.iter().enumerate() {
            let pointer = match g {
                GuardEntry::Pattern(_) => format!("{base}/{i}"),
                GuardEntry::Detailed(_) => format!("{base}/{i}/call"),
                // An inline guard is not a call pattern: it is skipped here (a value
                // path is tested by a condition, not matched against calls).
                GuardEntry::Value(_) => continue,
            };
            let Some(text) = g.pattern() else { continue };
            out.push((pointer, text.to_string(), Item::Pattern, t.clone()));
        }
    };
    guard_items(
        "/context/authentication",
        &s.context.authentication,
        None,
        &mut items,
    );
    guard_items(
        "/context/authorization",
        &s.context.authorization,
        None,
        &mut items,
    );
    for (key, list) in [
        ("side_effects", &s.context.side_effects),
        ("data_access", &s.context.data_access),
    ] {
        for (i, p) in list.iter().enumerate() {
            items.push((
                format!("/context/{key}/{i}"),
                p.clone(),
                Item::Pattern,
                None,
            ));
        }
    }
    for (sink, list) in &s.context.sinks {
        for (i, p) in list.iter().enumerate() {
            items.push((
                format!("/context/sinks/{}/{i}", escape(sink)),
                p.clone(),
                Item::Pattern,
                None,
            ));
        }
    }
    for (pi, prop) in s.properties.iter().enumerate() {
        let t = prop.targets.clone();
        if let Some(gs) = &prop.guards {
            guard_items(
                &format!("/properties/{pi}/guards"),
                gs,
                t.clone(),
                &mut items,
            );
        }
        for (key, list) in [("calls", &prop.calls), ("events", &prop.events)] {
            for (i, p) in list.iter().flatten().enumerate() {
                items.push((
                    format!("/properties/{pi}/{key}/{i}"),
                    p.clone(),
                    Item::Pattern,
                    t.clone(),
                ));
            }
        }
        for (i, sel) in prop.routes.iter().enumerate() {
            items.push((
                format!("/properties/{pi}/routes/{i}"),
                sel.clone(),
                Item::Selector,
                t.clone(),
            ));
        }
        for (i, sel) in prop.except.iter().enumerate() {
            items.push((
                format!("/properties/{pi}/except/{i}"),
                sel.clone(),
                Item::Selector,
                t.clone(),
            ));
        }
    }
    for (i, p) in s.public.iter().enumerate() {
        items.push((
            format!("/public/{i}/route"),
            p.route.clone(),
            Item::Selector,
            None,
        ));
    }
    for (wi, w) in s.waivers.iter().enumerate() {
        let t = s
            .properties
            .iter()
            .find(|p| p.id == w.property)
            .and_then(|p| p.targets.clone());
        if let Some(r) = &w.route {
            items.push((
                format!("/waivers/{wi}/route"),
                r.clone(),
                Item::Selector,
                t.clone(),
            ));
        }
        for (i, r) in w.routes.iter().flatten().enumerate() {
            items.push((
                format!("/waivers/{wi}/routes/{i}"),
                r.clone(),
                Item::Selector,
                t.clone(),
            ));
        }
    }

    let file = spec.display_path();
    let mut out = Vec::new();
    // Properties that select nothing: one `high` finding each, which replaces the
    // per-selector ones of their `routes`.
    let mut empty = Vec::new();
    for (pi, prop) in s.properties.iter().enumerate() {
        let in_scope = |v: &&TargetView| {
            prop.targets
                .as_ref()
                .is_none_or(|ts| ts.iter().any(|t| t == v.name))
        };
        let selects = views.iter().filter(in_scope).any(|v| {
            v.plans
                .iter()
                .any(|p| p.bindings.iter().any(|b| b.property == pi))
        });
        if selects {
            continue;
        }
        empty.push(pi);
        let unmatched: Vec<&String> = prop
            .routes
            .iter()
            .filter(|sel| {
                !views
                    .iter()
                    .filter(in_scope)
                    .any(|v| v.project.routes.iter().any(|r| selector_matches(sel, r)))
            })
            .collect();
        // Point at the first selector that matches nothing, else at the list.
        let pointer = match prop.routes.iter().position(|r| unmatched.contains(&r)) {
            Some(i) => format!("/properties/{pi}/routes/{i}"),
            None => format!("/properties/{pi}/routes"),
        };
        let loc = spec.location(&pointer);
        let why = if unmatched.len() == prop.routes.len() {
            let list: Vec<String> = unmatched.iter().map(|s| format!("`{s}`")).collect();
            format!(
                "{} {} nothing",
                list.join(", "),
                if list.len() == 1 { "matches" } else { "match" }
            )
        } else {
            "`except` and `public` remove every route its selectors match".to_string()
        };
        let nearest = unmatched
            .first()
            .map(|sel| nearest_routes(sel, &views, &in_scope))
            .unwrap_or_default();
        out.push(spec_finding(
            fingerprint(
                UNMATCHED_PATTERN,
                None,
                &file,
                &format!("properties.routes {}", prop.id),
            ),
            severity.max(Severity::High),
            prop.targets
                .as_ref()
                .map(|t| t.join(","))
                .unwrap_or_default(),
            &file,
            loc,
            format!(
                "property `{}` selects no route: {why}, so it checks nothing",
                prop.id
            ),
            selector_help(&nearest),
        ));
    }
    for (pointer, text, item, only) in items {
        if empty
            .iter()
            .any(|pi| pointer.starts_with(&format!("/properties/{pi}/routes/")))
        {
            continue;
        }
        let in_scope = |v: &&TargetView| {
            only.as_ref()
                .is_none_or(|ts| ts.iter().any(|t| t == v.name))
        };
        let matched = match item {
            Item::Pattern => match Pattern::parse(&text) {
                Ok(p) => views
                    .iter()
                    .filter(in_scope)
                    .any(|v| v.names.iter().any(|n| p.matches_any(n))),
                // The loader reports bad patterns; nothing more to say here.
                Err(_) => true,
            },
            Item::Selector => views
                .iter()
                .filter(in_scope)
                .any(|v| v.project.routes.iter().any(|r| selector_matches(&text, r))),
        };
        if matched {
            continue;
        }
        let loc = spec.location(&pointer);
        let what = match item {
            Item::Pattern => "call pattern",
            Item::Selector => "route selector",
        };
        let section = section_of(&pointer);
        let help = match item {
            Item::Pattern => "check the spelling against the calls in the code: a typo here silently switches a check off".into(),
            Item::Selector => selector_help(&nearest_routes(&text, &views, &in_scope)),
        };
        out.push(spec_finding(
            fingerprint(UNMATCHED_PATTERN, None, &file, &format!("{section} {text}")),
            severity,
            only.map(|t| t.join(",")).unwrap_or_default(),
            &file,
            loc,
            format!("{what} `{text}` (at `{section}`) matches nothing in the scanned code"),
            help,
        ));
    }
    out
}

/// A finding about the spec itself, at `loc` in `file`.
fn spec_finding(
    id: String,
    severity: Severity,
    target: String,
    file: &str,
    loc: secprop_spec::Location,
    message: String,
    help: String,
) -> Finding {
    Finding {
        id,
        property: UNMATCHED_PATTERN.to_string(),
        kind: UNMATCHED_PATTERN.to_string(),
        severity,
        confidence: Confidence::Certain,
        target,
        route: None,
        file: file.to_string(),
        line: loc.line,
        column: loc.column,
        end_line: loc.line,
        end_column: loc.column,
        message,
        related: vec![],
        status: Status::Open,
        waiver: None,
        help: Some(help),
    }
}

/// The help of an unmatched selector: the nearest real routes, or where to look.
fn selector_help(nearest: &[String]) -> String {
    if nearest.is_empty() {
        return "check the selector against `secprop routes`: a typo here silently changes what is checked".into();
    }
    let list: Vec<String> = nearest.iter().map(|r| format!("`{r}`")).collect();
    format!(
        "did you mean {}? A typo here silently changes what is checked (`secprop routes` lists every route)",
        list.join(" or ")
    )
}

/// Up to three route paths of the in-scope targets nearest to a selector's path, by
/// edit distance on the canonical paths: the usual typo is one segment off (`/org/`
/// for `/orgs/`).
fn nearest_routes(
    selector: &str,
    views: &[TargetView],
    in_scope: &dyn Fn(&&TargetView) -> bool,
) -> Vec<String> {
    let path = selector
        .split_once(' ')
        .map_or(selector, |(_, p)| p)
        .replace(':', "{");
    let mut scored: Vec<(usize, String)> = views
        .iter()
        .filter(in_scope)
        .flat_map(|v| v.project.routes.iter())
        .filter(|r| r.unresolved.is_none())
        .map(|r| {
            let p = r.path();
            // Compare as far as the selector reaches: `/orgs/{orgId}/**` against a long
            // route is about the prefix, not the tail.
            let stem = path.trim_end_matches("/**").trim_end_matches("/*");
            let prefix: String = p.chars().take(stem.chars().count().max(1)).collect();
            (strsim::levenshtein(stem, &prefix), p)
        })
        .collect();
    scored.sort();
    scored.dedup_by(|a, b| a.1 == b.1);
    let best = scored.first().map_or(0, |s| s.0);
    // Only suggest what is plausibly a typo of the selector.
    let limit = (path.chars().count() / 3).max(2);
    scored
        .into_iter()
        .filter(|(d, _)| *d <= best && *d <= limit)
        .take(3)
        .map(|(_, p)| p)
        .collect()
}

/// JSON-pointer escaping of a key (`~` and `/`).
fn escape(key: &str) -> String {
    key.replace('~', "~0").replace('/', "~1")
}

/// The pointer without list indices, for a fingerprint that survives reordering:
/// `/context/side_effects/2` → `context.side_effects`.
fn section_of(pointer: &str) -> String {
    pointer
        .split('/')
        .filter(|s| {
            !s.is_empty() && !s.chars().all(|c| c.is_ascii_digit()) && *s != "call" && *s != "route"
        })
        .collect::<Vec<_>>()
        .join(".")
}
