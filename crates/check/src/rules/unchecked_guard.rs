//! `secprop/unchecked-guard` (spec-v1 §6).
//!
//! ## What it does
//! Reports a guard that does not decide whether the handler continues: a `return` guard
//! whose result is discarded or only logged; a `raise` guard that is not awaited; an
//! un-awaited guard in a condition. Un-awaited is reported only when the guard is known
//! to be async (an `async` definition, or a declared Promise type).
//!
//! ## Why is this bad?
//! A Promise is always truthy and an un-awaited rejection never reaches the framework:
//! the check looks present in review and never denies anyone.
//!
//! ## Example
//! ```js
//! if (!membership.canView(req.user.id, req.params.projectId)) { // finding: not awaited
//!   return res.status(403).send();
//! }
//! ```
//! Use instead: `if (!(await membership.canView(...)))`.

use super::{RouteCx, UNCHECKED_GUARD};
use crate::Finding;
use crate::analysis::Unchecked;
use secprop_spec::Severity;

pub(crate) fn finding(u: &Unchecked, rc: &RouteCx, severity: Severity) -> Finding {
    rc.finding(
        UNCHECKED_GUARD,
        UNCHECKED_GUARD,
        severity,
        u.span,
        &u.text,
        u.reason.clone(),
        vec![rc.related(rc.route.span, format!("on `{}`", rc.key))],
        Some(format!(
            "await `{}` and deny (return or throw) when it fails",
            u.text
        )),
    )
}
