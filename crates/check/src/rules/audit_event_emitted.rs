//! `audit_event_emitted` (spec-v1 §7).
//!
//! ## What it does
//! Reports a route with a path to a success response (status 2xx, or no explicit
//! status) that ends without calling one of the property's `events`, before or after
//! the response. Paths that end by throwing or `next(err)` are failures, not successes.
//!
//! ## Why is this bad?
//! An export or a permission change that leaves no audit record cannot be investigated
//! later: the one request that mattered is the one nobody can see.
//!
//! ## Example
//! ```js
//! app.get('/projects/:projectId/export', requireLogin, async (req, res) => { // finding
//!   if (req.query.quick) return res.send(await exports.quick(req.params.projectId));
//!   await audit.record('export', req.params.projectId);
//!   res.send(await exports.full(req.params.projectId));
//! });
//! ```
//! Use instead: record the event on every successful path.
//!
//! The finding points at the route's registration (spec-v1 §8); the responses that may
//! go out without an event are its related locations.

use super::RouteCx;
use crate::Finding;
use crate::analysis::RouteAnalysis;
use secprop_spec::Property;

pub(crate) fn check(ra: &RouteAnalysis, prop: &Property, rc: &RouteCx) -> Option<Finding> {
    if ra.unfulfilled.is_empty() {
        return None;
    }
    let events = prop
        .events
        .iter()
        .flatten()
        .map(|e| format!("`{e}`"))
        .collect::<Vec<_>>()
        .join(" or ");
    let related = ra
        .unfulfilled
        .iter()
        .map(|s| {
            rc.related(
                *s,
                format!("this success response can go out without {events}"),
            )
        })
        .collect();
    Some(rc.finding(
        &prop.id,
        prop.kind.as_str(),
        prop.severity,
        rc.route.span,
        &rc.route.handler_name,
        format!("`{}` can succeed without calling {events}", rc.key),
        related,
        Some(format!(
            "call {events} on every path that ends in a success response"
        )),
    ))
}
