//! The jest profile: the same files as vitest's (`*.secprop.test.ts`, or `.js` next to a
//! JavaScript harness, which jest's default `testMatch` collects), whose frame in
//! `templates/jest/` imports `describe` and `test` from `@jest/globals` (explicitly, so
//! the tests need no global types and run the same under CommonJS and ESM) and whose
//! harness scaffold observes calls with `jest.spyOn`. The runtime and the kind templates
//! are the shared ones of `templates/js/`. How to run TypeScript and JavaScript under
//! jest: templates/jest/HARNESS.md.

use super::{embed, js};
use secprop_spec::Runner;
use std::sync::OnceLock;

/// See the module docs.
pub struct Jest;

const OWN: &[(&str, &str)] = embed!("jest" / "base.tera", "jest" / "harness.tera");

impl js::JsRunner for Jest {
    const RUNNER: Runner = Runner::Jest;
    const FOLDERS: &'static [&'static str] = &["jest", "js"];
    const GUIDE: &'static str = "templates/jest/HARNESS.md";

    fn all_templates() -> &'static [(&'static str, &'static str)] {
        static ALL: OnceLock<Vec<(&str, &str)>> = OnceLock::new();
        js::templates(OWN, &ALL)
    }
}
