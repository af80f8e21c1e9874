//! `secprop/stale-tests` (spec-v1 §8, §10 `check`: generated-test freshness).
//!
//! ## What it does
//! Reports a generated test file that is missing, was edited by hand, or is no longer
//! produced by the spec. The caller finds them by running the generator in check mode
//! and passes them in [`crate::Options::stale_tests`]; the checks never render tests.
//!
//! ## Why is this bad?
//! A test generated from last month's routes proves nothing about today's: a new route
//! has no negative test, and an edited file may assert nothing at all.
//!
//! ## Example
//! A route added to `src/app.ts` after the last `secprop generate`: the generated file
//! mirroring `src/app.ts` is stale.
//! Use instead: run `secprop generate` and commit the result.

use super::STALE_TESTS;
use crate::fingerprint::fingerprint;
use crate::{Confidence, Finding, StaleTest, Status};
use secprop_spec::Severity;

pub(crate) fn check(stale: &[StaleTest], severity: Severity) -> Vec<Finding> {
    stale
        .iter()
        .map(|s| Finding {
            id: fingerprint(STALE_TESTS, None, &s.file, &s.reason),
            property: STALE_TESTS.into(),
            kind: STALE_TESTS.into(),
            severity,
            confidence: Confidence::Certain,
            target: s.target.clone(),
            route: None,
            file: s.file.clone(),
            line: 1,
            column: 1,
            end_line: 1,
            end_column: 1,
            message: format!("generated test file `{}` is {}", s.file, s.reason),
            related: vec![],
            status: Status::Open,
            waiver: None,
            help: Some("run `secprop generate` and commit the result".into()),
        })
        .collect()
}
