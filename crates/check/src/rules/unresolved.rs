//! `secprop/unresolved` (spec-v1 §6).
//!
//! ## What it does
//! Reports a route whose path, chain or handler could not be resolved statically, once
//! per route, naming every property that selects it.
//!
//! ## Why is this bad?
//! The checks cannot see what such a route does: it must never pass silently.
//!
//! ## Example
//! `app.get(pathFromConfig(), handler)`: the path is computed at run time.
//! Use instead: a literal path or a constant in scope, or a waiver with a reason.

use super::{RouteCx, UNRESOLVED};
use crate::Finding;
use secprop_spec::Severity;

pub(crate) fn finding(
    rc: &RouteCx,
    reason: &str,
    properties: &[String],
    severity: Severity,
) -> Finding {
    let list = properties
        .iter()
        .map(|p| format!("`{p}`"))
        .collect::<Vec<_>>()
        .join(", ");
    rc.finding(
        UNRESOLVED,
        UNRESOLVED,
        severity,
        rc.route.span,
        &rc.route.handler_name,
        format!("`{}` cannot be checked ({reason}); selected by {list}", rc.key),
        vec![],
        Some("write the route's path, middleware and handler so they resolve statically (literals, constants, imports), or waive it with a reason".into()),
    )
}
