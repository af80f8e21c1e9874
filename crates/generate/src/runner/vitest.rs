//! The vitest profile: `*.secprop.test.ts` (or `.js` next to a JavaScript harness) files
//! that import the harness and `secprop.runtime.ts` as relative ES modules, from the
//! templates in `templates/vitest/` (its frame) and `templates/js/` (the runtime and the
//! kind templates, shared with the other JavaScript runners).

use super::{embed, js};
use secprop_spec::Runner;
use std::sync::OnceLock;

/// See the module docs.
pub struct Vitest;

const OWN: &[(&str, &str)] = embed!("vitest" / "base.tera", "vitest" / "harness.tera");

impl js::JsRunner for Vitest {
    const RUNNER: Runner = Runner::Vitest;
    const FOLDERS: &'static [&'static str] = &["vitest", "js"];
    const GUIDE: &'static str = "templates/vitest/HARNESS.md";

    fn all_templates() -> &'static [(&'static str, &'static str)] {
        static ALL: OnceLock<Vec<(&str, &str)>> = OnceLock::new();
        js::templates(OWN, &ALL)
    }
}
