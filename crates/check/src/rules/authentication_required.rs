//! `authentication_required` (spec-v1 §7).
//!
//! ## What it does
//! Checks that on every path to a response whose status is not in `deny_status` (default
//! `[401]`), and before any data access, an authentication or authorization guard has
//! run; a route with no guard at all is a finding even when it does nothing.
//!
//! ## Why is this bad?
//! A route that answers or works for an anonymous caller exposes data or actions to
//! anyone on the network.
//!
//! ## Example
//! ```js
//! app.get('/projects/:projectId/files', async (req, res) => { // finding: no guard
//!   res.send(await files.list(req.params.projectId));
//! });
//! ```
//! Use instead: add the login middleware (`requireLogin`) to the route, to its router
//! with `router.use`, or list the route under `public` with a reason.
//!
//! "Has run" is read as the contract says: a response may follow a guard that ran and
//! failed (that response is its denial, whatever its status), while work (data access,
//! side effects, non-log sinks) must follow a guard that passed. The finding points at
//! the route's registration (spec-v1 §8); the offending call or response is its related
//! location.

use super::{RouteCx, Ungated, describe, first_ungated, has};
use crate::Finding;
use crate::analysis::{Fact, RouteAnalysis};
use secprop_spec::Property;

pub(crate) fn check(ra: &RouteAnalysis, prop: &Property, rc: &RouteCx) -> Option<Finding> {
    let deny = prop.deny_status_or_default();
    let passed = |f: &crate::analysis::Facts| has(f, &Fact::Authn) || has(f, &Fact::Authz);
    let span = rc.route.span;
    let finding = |message: String, related, help: &str| {
        Some(rc.finding(
            &prop.id,
            prop.kind.as_str(),
            prop.severity,
            span,
            &rc.route.handler_name,
            message,
            related,
            Some(help.to_string()),
        ))
    };
    let help = "add an authentication guard (`context.authentication`) to the route's chain, or list the route under `public` with a reason";
    if !ra.any_guard() {
        return finding(
            format!("`{}` has no authentication or authorization guard", rc.key),
            vec![],
            help,
        );
    }
    match first_ungated(ra, &deny, passed) {
        Some(Ungated::Work(e)) => finding(
            format!(
                "`{}` runs {} before any authentication check",
                rc.key,
                describe(e)
            ),
            vec![rc.related(
                e.site(),
                format!("{} runs for anonymous callers", describe(e)),
            )],
            help,
        ),
        Some(Ungated::Response(r)) => {
            let status = r.status.unwrap_or(200);
            finding(
                format!(
                    "`{}` can answer with status {status} before any authentication check",
                    rc.key
                ),
                vec![rc.related(r.span, "this response is sent to anonymous callers")],
                help,
            )
        }
        None => None,
    }
}
