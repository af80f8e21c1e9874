//! `secprop/no-negative-test` (`check --require-negative-tests`; an addition to the
//! spec-v1 §8 table).
//!
//! ## What it does
//! Reports a route that the project's own tests request (supertest `request(app).get`)
//! only on the happy path: no test of it asserts a 401, 403 or 404, or that a side
//! effect did not run. The caller classifies the tests (`secprop_existing`) and passes
//! the routes in [`crate::Options::happy_path_only`].
//!
//! ## Why is this bad?
//! A test that only shows the owner getting a 200 passes just as well when every other
//! caller gets a 200 too: the plausible bug a reviewer misses is the missing denial.
//!
//! ## Example
//! `it("shows the report", ...)` requesting `GET /projects/p1/report` as its owner, and
//! no test requesting it as another tenant.
//! Use instead: add a test that expects 403 or 404 for another tenant, or let `secprop
//! generate` write one.

use super::{NO_NEGATIVE_TEST, RouteCx};
use crate::Finding;
use secprop_spec::Severity;

pub(crate) fn finding(rc: &RouteCx, happy: usize, severity: Severity) -> Finding {
    rc.finding(
        NO_NEGATIVE_TEST,
        NO_NEGATIVE_TEST,
        severity,
        rc.route.span,
        &rc.route.handler_name,
        format!(
            "`{}` has {happy} existing test(s), all on the happy path: none asserts a 401, 403 or 404, or that a side effect did not run",
            rc.key
        ),
        vec![],
        Some(
            "add a test where a caller without access is refused, or run `secprop generate` for one"
                .into(),
        ),
    )
}
