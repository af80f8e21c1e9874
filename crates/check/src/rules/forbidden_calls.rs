//! `forbidden_calls` (spec-v1 §7).
//!
//! ## What it does
//! Reports a call matching the property's `calls` in a selected route's chain, handler,
//! or a local helper they call (a call matching a `context` pattern is atomic: the
//! analysis does not look inside it). The message carries the property's `reason`.
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
use secprop_spec::Property;

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
