//! `role_required` (spec-v1 §7).
//!
//! ## What it does
//! Checks that one of the property's `guards` (which prove the role) precedes every
//! data access, and every response whose status is not in `deny_status` (default
//! `[403]`). A route with none of the guards at all is a finding.
//!
//! ## Why is this bad?
//! A route meant for admins that any logged-in member can call is a privilege
//! escalation, however well its tenant is checked.
//!
//! ## Example
//! ```js
//! app.post('/admin/reindex', requireLogin, async (req, res) => { // finding: no role guard
//!   await search.reindexAll();
//!   res.sendStatus(202);
//! });
//! ```
//! Use instead: add the role guard (`requireAdmin`) to the route's chain or router.
//!
//! The finding points at the route's registration (spec-v1 §8); the offending call or
//! response is its related location.

use super::{RouteCx, Ungated, describe, first_ungated, has};
use crate::Finding;
use crate::analysis::{Fact, Facts, RouteAnalysis};
use secprop_spec::Property;

pub(crate) fn check(ra: &RouteAnalysis, prop: &Property, rc: &RouteCx) -> Option<Finding> {
    let deny = prop.deny_status_or_default();
    // The property's guards all count as authorization (they replace the context's).
    let passed = |f: &Facts| has(f, &Fact::Authz);
    let roles = prop.roles.as_deref().unwrap_or_default().join(", ");
    let span = rc.route.span;
    let help = format!(
        "add one of the role guards of `{}` to the route's chain (or its router's) before any work",
        prop.id
    );
    let finding = |message: String, related| {
        Some(rc.finding(
            &prop.id,
            prop.kind.as_str(),
            prop.severity,
            span,
            &rc.route.handler_name,
            message,
            related,
            Some(help.clone()),
        ))
    };
    if !ra.any_guard() {
        return finding(
            format!("`{}` has no guard proving the role ({roles})", rc.key),
            vec![],
        );
    }
    match first_ungated(ra, &deny, passed) {
        Some(Ungated::Work(e)) => finding(
            format!(
                "`{}` runs {} before the role ({roles}) is checked",
                rc.key,
                describe(e)
            ),
            vec![rc.related(
                e.site(),
                format!("{} runs for callers without the role", describe(e)),
            )],
        ),
        Some(Ungated::Response(r)) => finding(
            format!(
                "`{}` can answer with status {} before the role ({roles}) is checked",
                rc.key,
                r.status.unwrap_or(200)
            ),
            vec![rc.related(r.span, "this response is sent to callers without the role")],
        ),
        None => None,
    }
}
