//! `secprop/uncovered-route` (spec-v1 §5, §8).
//!
//! ## What it does
//! Reports a route that no property selects and that is not listed under `public`.
//!
//! ## Why is this bad?
//! A new route that no property covers is checked by nothing: it is exactly the route a
//! reviewer assumes is protected "like the others".
//!
//! ## Example
//! A spec whose properties select `* /projects/{projectId}/**` and an app that adds
//! `app.post('/admin/reindex', ...)`: the new route is uncovered.
//! Use instead: widen a property's `routes`, add a property, or list it under `public`.

use super::{RouteCx, UNCOVERED_ROUTE};
use crate::Finding;
use secprop_spec::Severity;

pub(crate) fn finding(rc: &RouteCx, severity: Severity) -> Finding {
    rc.finding(
        UNCOVERED_ROUTE,
        UNCOVERED_ROUTE,
        severity,
        rc.route.span,
        &rc.route.handler_name,
        format!("`{}` is selected by no property and is not public", rc.key),
        vec![],
        Some(
            "add the route to a property's `routes`, or list it under `public` with a reason"
                .into(),
        ),
    )
}
