//! The vitest profile: `*.secprop.test.ts` (or `.js` next to a JavaScript harness) files
//! that import the harness and `secprop.runtime.ts` as relative ES modules, from the
//! templates in `templates/vitest/` (its frame) and `templates/js/` (the runtime and the
//! kind templates, shared with the other JavaScript runners).

use super::{RunnerProfile, embed, js};
use crate::escape::{JS, Syntax};
use secprop_spec::{PropertyKind, Runner};
use std::path::Path;
use tera::Context;

/// See the module docs.
pub struct Vitest;

const TEMPLATES: &[(&str, &str)] = embed!(
    "vitest" / "base.tera",
    "vitest" / "harness.tera",
    "js" / "runtime.tera",
    "js" / "cross_tenant_denied.tera",
    "js" / "no_side_effects_before_authz.tera",
    "js" / "authentication_required.tera",
    "js" / "role_required.tera",
    "js" / "audit_event_emitted.tera",
    "js" / "sensitive_data_not_exposed.tera",
    "js" / "malformed_input_rejected.tera",
);

const KINDS: &[PropertyKind] = &[
    PropertyKind::CrossTenantDenied,
    PropertyKind::NoSideEffectsBeforeAuthz,
    PropertyKind::AuthenticationRequired,
    PropertyKind::RoleRequired,
    PropertyKind::AuditEventEmitted,
    PropertyKind::SensitiveDataNotExposed,
    PropertyKind::MalformedInputRejected,
];

impl RunnerProfile for Vitest {
    fn runner(&self) -> Runner {
        Runner::Vitest
    }

    fn templates(&self) -> &'static [(&'static str, &'static str)] {
        TEMPLATES
    }

    fn folders(&self) -> &'static [&'static str] {
        &["vitest", "js"]
    }

    fn kinds(&self) -> &'static [PropertyKind] {
        KINDS
    }

    fn syntax(&self) -> &'static Syntax {
        &JS
    }

    fn test_file_name(&self, stem: &str, harness: &Path) -> String {
        // vitest's default `include` collects `*.test.ts` and `*.test.js`.
        format!(
            "{stem}.secprop.test.{}",
            js::Flavor::of_harness(harness).ext()
        )
    }

    fn runtime_file_name(&self, harness: &Path) -> String {
        format!("secprop.runtime.{}", js::Flavor::of_harness(harness).ext())
    }

    fn import_path(&self, from_dir: &Path, target: &Path) -> String {
        js::import_specifier(from_dir, target)
    }

    fn context(&self, harness: &Path) -> Context {
        js::Flavor::of_harness(harness).context()
    }
}
