//! `forbidden_calls` (spec-v1 §7).
//!
//! ## What it does
//! Reports a call matching the property's `calls` in a selected route's chain, handler,
//! or a helper they call (a call matching a `context` pattern is atomic: the analysis
//! does not look inside it). Helpers defined in files matching `allowed_in` (globs
//! relative to the target's root: the sanctioned layer, e.g. `src/repositories/**`) are
//! not entered; without `allowed_in`, only helpers in the route's own files (its
//! registration, chain and handler) are entered, so a call through another module is not
//! "direct". The message carries the property's `reason`.
//!
//! ## Why is this bad?
//! Some layers exist for safety: a handler that queries the database directly skips the
//! repositories layer that applies tenant scoping.
//!
//! ## Example
//! ```js
//! app.get('/projects/:projectId/tasks', requireLogin, async (req, res) => {
//!   res.send(await db.query('select * from tasks')); // finding
//! });
//! ```
//! Use instead: the layer the `reason` names (`repo.tasks.list(projectId)`).

use super::RouteCx;
use crate::Finding;
use crate::analysis::{Event, RouteAnalysis};
use secprop_model::{Project, Route};
use secprop_spec::Property;

/// The files a route is written in: its registration, its chain elements and its
/// handler (file ids, sorted).
pub(crate) fn own_files(project: &Project, route: &Route) -> Vec<u32> {
    let mut files = vec![route.span.file.0];
    for el in &route.chain {
        files.push(el.span.file.0);
        files.extend(el.function.map(|f| project.function(f).span.file.0));
    }
    files.extend(route.handler.map(|f| project.function(f).span.file.0));
    files.sort_unstable();
    files.dedup();
    files
}

/// Whether a repository-relative file belongs to the sanctioned layer: it matches one
/// of `globs`, taken relative to the target's root `root` (repository-relative).
pub(crate) fn layer(globs: &[String], root: &str) -> impl Fn(&str) -> bool + use<> {
    let mut b = globset::GlobSetBuilder::new();
    for g in globs {
        // The loader rejects invalid globs.
        if let Ok(g) = globset::Glob::new(g) {
            b.add(g);
        }
    }
    let set = b.build().unwrap_or_else(|_| globset::GlobSet::empty());
    let root = if root.is_empty() {
        String::new()
    } else {
        format!("{root}/")
    };
    move |file: &str| set.is_match(file.strip_prefix(root.as_str()).unwrap_or(file))
}

pub(crate) fn check(ra: &RouteAnalysis, prop: &Property, rc: &RouteCx) -> Option<Finding> {
    let mut sites = ra.events.iter().filter_map(|e| match e {
        Event::Guard(g) => Some(g),
        _ => None,
    });
    let first = sites.next()?;
    let related = sites
        .map(|g| rc.related(g.span, format!("`{}` is called here too", g.text)))
        .collect();
    let reason = prop
        .reason
        .as_deref()
        .map(|r| format!(": {r}"))
        .unwrap_or_default();
    Some(rc.finding(
        &prop.id,
        prop.kind.as_str(),
        prop.severity,
        first.span,
        &first.text,
        format!(
            "`{}` must not be called on `{}`{reason}",
            first.text, rc.key
        ),
        related,
        Some(format!(
            "remove the call to `{}` from this route's code path",
            first.text
        )),
    ))
}
