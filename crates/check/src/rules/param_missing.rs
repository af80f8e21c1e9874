//! `secprop/param-missing` (spec-v1 §7).
//!
//! ## What it does
//! Reports a route selected by a `cross_tenant_denied` property that lacks the
//! property's `tenant_param`, or, for a request field (`body.id`, `query.docId`,
//! `header.x-tenant-id`: spec-v1 §7 "Ids outside the path") named as `tenant_param` or
//! in `object_params`, whose chain and handler never read it.
//!
//! ## Why is this bad?
//! Without the tenant in the path, the tenant check cannot be verified; the route was
//! probably selected by a selector broader than intended.
//!
//! ## Example
//! `tenant_param: projectId` with `routes: ["**"]` selects `GET /health`, which has no
//! `projectId`.
//! Use instead: narrow `routes`, or add the route to `except`.

use super::{PARAM_MISSING, RouteCx};
use crate::Finding;
use secprop_spec::{Property, RequestField, Severity};

/// The finding for `name`, the property's `tenant_param` or one of its request-field
/// `object_params`.
pub(crate) fn finding(rc: &RouteCx, prop: &Property, name: &str, severity: Severity) -> Finding {
    let tenant = name;
    rc.finding(
        PARAM_MISSING,
        PARAM_MISSING,
        severity,
        rc.route.span,
        &format!("{} {tenant}", prop.id),
        match RequestField::parse(tenant) {
            Ok(Some(field)) => format!(
                "`{}` is selected by `{}` but never reads `{field}`",
                rc.key, prop.id
            ),
            _ => format!(
                "`{}` is selected by `{}` but has no parameter `{tenant}`",
                rc.key, prop.id
            ),
        },
        vec![],
        Some(format!(
            "narrow the `routes` of `{}` or add this route to its `except`",
            prop.id
        )),
    )
}
