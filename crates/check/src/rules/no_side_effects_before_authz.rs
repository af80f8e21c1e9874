//! `no_side_effects_before_authz` (spec-v1 §7).
//!
//! ## What it does
//! Checks that on every path from the start of a route's chain to a call matching
//! `context.side_effects`, `context.data_access` or a non-log sink (log calls too with
//! `include_logs: true`), an authorization guard has passed.
//!
//! ## Why is this bad?
//! Work done before the authorization check happens for every caller: a report built,
//! an audit event written or a cache warmed for a user who is then refused. The 403 at
//! the end does not undo it.
//!
//! ## Example
//! ```js
//! app.get('/projects/:projectId/report', requireLogin, async (req, res) => {
//!   const report = await reports.buildProjectReport(req.params.projectId); // finding
//!   if (!(await membership.canView(req.user.id, req.params.projectId))) {
//!     return res.status(403).send({ error: 'Forbidden' });
//!   }
//!   return res.send(report);
//! });
//! ```
//! Use instead: check membership first. A read whose result only feeds the check
//! (load, then check) may come first.

use super::{GuardPos, RouteCx, describe, effects, guard_pos, guard_related, has, load_then_check};
use crate::Finding;
use crate::analysis::{Fact, RouteAnalysis};
use crate::config::GuardKind;
use secprop_spec::Property;

pub(crate) fn check(ra: &RouteAnalysis, prop: &Property, rc: &RouteCx) -> Option<Finding> {
    let include_logs = prop.include_logs.unwrap_or(false);
    let passed = |f: &crate::analysis::Facts| has(f, &Fact::Authz);
    let mut offending = effects(ra).filter(|(_, e)| {
        (e.cats.is_work() || (include_logs && e.cats.is_log()))
            && !passed(&e.facts)
            && !load_then_check(e, &passed)
    });
    let (index, e) = offending.next()?;
    let pos = guard_pos(ra, index, &[GuardKind::Authorization]);
    let mut related = vec![guard_related(rc, &pos, "authorization check")];
    related.extend(
        offending
            .map(|(_, o)| rc.related(o.site(), format!("{} also runs before it", describe(o)))),
    );
    let (message, help) = match &pos {
        GuardPos::After(g) => (
            format!(
                "{} runs before the authorization check `{}`",
                describe(e),
                g.text
            ),
            format!(
                "call `{}` first and deny (return or throw) when it fails, then call `{}`",
                g.text, e.text
            ),
        ),
        GuardPos::Before(g) => (
            format!(
                "{} runs on a path where the authorization check `{}` has not passed",
                describe(e),
                g.text
            ),
            format!(
                "make every failing path of `{}` exit (return, throw or `next(err)`) before `{}`, and run the check on every path",
                g.text, e.text
            ),
        ),
        GuardPos::Missing => (
            format!("{} runs with no authorization check before it", describe(e)),
            format!(
                "check that the caller may access this object (an authorization guard from `context.authorization`) before `{}`",
                e.text
            ),
        ),
    };
    Some(rc.finding(
        &prop.id,
        prop.kind.as_str(),
        prop.severity,
        e.site(),
        e.site_text(),
        message,
        related,
        Some(help),
    ))
}
