//! `secprop/untested-route` (spec-v1 §8, §10 `check`: generated-test freshness, per
//! route; an addition to the §8 table).
//!
//! ## What it does
//! Reports a selected route whose properties have generated tests that are missing from
//! `tests.out` or stale. The caller finds them with the generator's check mode and passes
//! them in [`crate::Options::untested_routes`]; the checks never render tests.
//!
//! ## Why is this bad?
//! `secprop/stale-tests` names the file; this names the route. A route that lands
//! without its negative tests is proven by nothing at runtime, and CI should say which.
//!
//! ## Example
//! `app.delete('/orgs/:orgId/report', ...)` added after the last `secprop generate`: the
//! route's `cross_tenant_denied` test is not in `tests/security/src/app.secprop.test.ts`.
//! Use instead: run `secprop generate` and commit the result.

use super::{RouteCx, UNTESTED_ROUTE};
use crate::{Finding, UntestedRoute};
use secprop_spec::Severity;

pub(crate) fn finding(rc: &RouteCx, u: &UntestedRoute, severity: Severity) -> Finding {
    let props: Vec<String> = u.properties.iter().map(|p| format!("`{p}`")).collect();
    let what = if u.reason == "missing" {
        format!("`{}` does not exist", u.file)
    } else {
        format!("`{}` does not hold them as generated now", u.file)
    };
    rc.finding(
        UNTESTED_ROUTE,
        UNTESTED_ROUTE,
        severity,
        rc.route.span,
        &rc.route.handler_name,
        format!(
            "`{}` has no current generated tests for {}: {what}",
            rc.key,
            props.join(", ")
        ),
        vec![],
        Some("run `secprop generate` and commit the result".into()),
    )
}
