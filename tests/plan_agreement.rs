//! One route plan (issue 7): `check` analyses and `generate` tests the same (route,
//! property) pairs, because both consume `secprop_plan`.

use std::path::{Path, PathBuf};

fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// Scans every target of a loaded spec with the Express frontend.
fn scan(spec: &secprop_spec::LoadedSpec) -> Vec<(String, secprop_model::Project)> {
    spec.spec
        .targets
        .iter()
        .map(|t| {
            let opts = secprop_lang_js::ScanOptions {
                root: spec.dir.join(&t.root),
                repo_root: spec.repo_root.clone(),
                include: t.include.clone(),
                exclude: t.exclude.clone(),
            };
            (t.name.clone(), secprop_lang_js::scan(&opts))
        })
        .collect()
}

fn load(path: &Path) -> secprop_spec::LoadedSpec {
    secprop_spec::load(path).unwrap_or_else(|e| panic!("{}: {e:?}", path.display()))
}

/// The drift of issue 7: `/teams/**` matches first and binds nothing, `/teams/{teamId}/**`
/// binds the tenant. Check reported the route while generate wrote no test for it.
#[test]
fn a_later_selector_binding_the_tenant_gets_a_check_and_a_test() {
    let spec = load(&root().join("tests/fixtures/plan/teams/secprop.yaml"));
    let targets = scan(&spec);
    let out = secprop_check::check(&spec, &targets, &secprop_check::Options::default());
    let ids: Vec<(&str, Option<&str>)> = out
        .findings
        .iter()
        .map(|f| (f.property.as_str(), f.route.as_deref()))
        .collect();
    assert_eq!(
        ids,
        [("team-isolation", Some("GET /teams/{id}/report"))],
        "{:#?}",
        out.findings
    );
    let plans = secprop_generate::plan::plan_target(&spec.spec, "api", &targets[0].1);
    let tests: Vec<(String, String, serde_json::Value)> = plans
        .values()
        .flatten()
        .flat_map(|r| {
            r.tests.iter().map(|t| {
                (
                    r.case.route.clone(),
                    t.property.clone(),
                    t.options["fromA"].clone(),
                )
            })
        })
        .filter(|(_, p, _)| p == "team-isolation")
        .collect();
    let json = |v: &[&str]| serde_json::json!(v);
    assert_eq!(
        tests,
        [
            // `docId` is bound by the third selector to the route's `d`: with A's team
            // and B's doc as well.
            (
                "GET /teams/{id}/docs/{d}".to_string(),
                "team-isolation".to_string(),
                json(&[])
            ),
            (
                "GET /teams/{id}/docs/{d}".to_string(),
                "team-isolation".to_string(),
                json(&["id"])
            ),
            (
                "GET /teams/{id}/report".to_string(),
                "team-isolation".to_string(),
                json(&[])
            ),
        ]
    );
}
