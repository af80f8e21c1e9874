//! Every property kind is registered completely: a catalog entry, a static rule where the
//! checks claim the kind, a test builder where the generator claims it, and a template
//! for it in every runner that claims it (CONTRIBUTING: "How to add a property kind").
//! A kind half-added fails here, by name, instead of silently checking or testing less.

use secprop_spec::PropertyKind;
use std::path::Path;

fn repo(rel: &str) -> std::path::PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join(rel)
}

#[test]
fn every_kind_is_registered_completely() {
    let mut problems = Vec::new();
    for kind in PropertyKind::ALL {
        let k = kind.as_str();
        if secprop_catalog::get(k).is_none() {
            problems.push(format!("{k}: no catalog entry (specs/properties/{k}.yaml)"));
        }
        let rule = repo(&format!("crates/check/src/rules/{k}.rs"));
        if secprop_check::has_static_check(kind) != rule.exists() {
            problems.push(format!(
                "{k}: `has_static_check` says {} but crates/check/src/rules/{k}.rs {}",
                secprop_check::has_static_check(kind),
                if rule.exists() {
                    "exists"
                } else {
                    "is missing"
                }
            ));
        }
        let generated = secprop_generate::plan::GENERATED_KINDS.contains(&kind);
        for profile in secprop_generate::runner::all() {
            let runner = profile.runner().as_str();
            let claims = profile.kinds().contains(&kind);
            if claims && !generated {
                problems.push(format!(
                    "{k}: runner {runner} has a template but the plan has no test builder (GENERATED_KINDS)"
                ));
            }
            let exists = profile
                .folders()
                .iter()
                .any(|f| repo(&format!("templates/{f}/{k}.tera")).exists());
            if claims != exists {
                problems.push(format!(
                    "{k}: runner {runner} {} the kind but {k}.tera {} in templates/{:?}",
                    if claims { "claims" } else { "does not claim" },
                    if exists { "exists" } else { "is missing" },
                    profile.folders()
                ));
            }
        }
        if generated
            && !secprop_generate::runner::all()
                .iter()
                .any(|p| p.kinds().contains(&kind))
        {
            problems.push(format!(
                "{k}: the plan builds tests but no runner has a template"
            ));
        }
    }
    assert!(problems.is_empty(), "{}", problems.join("\n"));
}
