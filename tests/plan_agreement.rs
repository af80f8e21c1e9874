//! One route plan (issue 7): `check` analyses and `generate` tests the same (route,
//! property) pairs, because both consume `secprop_plan`.

use std::path::{Path, PathBuf};

fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// Scans every target of a loaded spec with its framework's frontend.
fn scan(spec: &secprop_spec::LoadedSpec) -> Vec<(String, secprop_model::Project)> {
    spec.spec
        .targets
        .iter()
        .map(|t| {
            let opts = secprop_frontends::scan_options(spec, t);
            let frontend = secprop_frontends::get(t.framework.as_str()).expect("a frontend");
            (t.name.clone(), secprop_frontends::scan(frontend, &opts))
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

/// A spec for the fixture apps under `tests/apps/express/`, which have none of their own:
/// several selectors per property, some binding the tenant and some not, `except`,
/// `targets`, `public` and every kind that has a generated test.
const APPS_SPEC: &str = r#"
version: 1
targets:
  - name: app
    framework: express
context:
  authentication: [requireLogin]
  authorization: [requireAdmin, loadProject]
  side_effects: ["db.*", "audit.*"]
properties:
  - id: tenant-later-selector
    kind: cross_tenant_denied
    routes: ["**", "/**/projects/{project}/**", "/users/{userId}"]
    tenant_param: project
  - id: tenant-objects
    kind: cross_tenant_denied
    routes: ["/api/**", "/api/projects/{p}/tasks/{t}/**", "/api/v1/projects/{p}", "/api/projects/{p}/**"]
    except: ["* /api/users/**"]
    tenant_param: p
    object_params: [t]
  - id: no-work
    kind: no_side_effects_before_authz
    routes: ["* /projects/{projectId}/**", "/items/{itemId}", "/invoices/**"]
    include_logs: true
  - id: login
    kind: authentication_required
    routes: ["**"]
    except: ["/docs/**"]
    targets: [app]
  - id: admins
    kind: role_required
    routes: ["/admin/**"]
    guards: [requireAdmin]
    roles: [admin]
public:
  - route: "GET /health"
    reason: "liveness probe"
  - route: "POST /login"
    reason: "issues the session"
"#;

fn copy_dir(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).unwrap();
    for entry in std::fs::read_dir(from).unwrap() {
        let entry = entry.unwrap();
        let dest = to.join(entry.file_name());
        if entry.file_type().unwrap().is_dir() {
            copy_dir(&entry.path(), &dest);
        } else {
            std::fs::copy(entry.path(), &dest).unwrap();
        }
    }
}

fn subdirs(dir: &Path) -> Vec<PathBuf> {
    let mut out: Vec<PathBuf> = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.is_dir())
        .collect();
    out.sort();
    out
}

/// (target, route, property id)
type Pair = (String, String, String);

/// The pairs `check` analysed and the pairs `generate` writes tests for, for the kinds
/// that have a generated test.
fn pairs(spec: &secprop_spec::LoadedSpec) -> (Vec<Pair>, Vec<Pair>) {
    let targets = scan(spec);
    let tested_kind = |id: &str| {
        spec.spec
            .properties
            .iter()
            .any(|p| p.id == id && secprop_generate::plan::GENERATED_KINDS.contains(&p.kind))
    };
    let out = secprop_check::check(spec, &targets, &secprop_check::Options::default());
    let mut checked: Vec<Pair> = out
        .analysed
        .into_iter()
        .filter(|a| tested_kind(&a.property))
        .map(|a| (a.target, a.route, a.property))
        .collect();
    checked.sort();
    checked.dedup();
    let mut generated: Vec<Pair> = Vec::new();
    for (target, project) in &targets {
        for routes in secprop_generate::plan::plan_target(&spec.spec, target, project).values() {
            for r in routes {
                for t in r.tests.iter().filter(|t| tested_kind(&t.property)) {
                    generated.push((target.clone(), r.case.route.clone(), t.property.clone()));
                }
            }
        }
    }
    generated.sort();
    generated.dedup();
    (checked, generated)
}

/// Every fixture app: for each kind with a generated test, the (route, property) pairs
/// `check` analyses are exactly those `generate` writes tests for (unresolved routes get
/// neither, spec-v1 §9).
#[test]
fn check_and_generate_cover_the_same_pairs_on_every_fixture_app() {
    let root = root();
    let tmp = tempfile::tempdir().unwrap();
    let mut specs: Vec<(String, secprop_spec::LoadedSpec)> = Vec::new();
    for rel in [
        "tests/fixtures/check/express/secprop.yaml",
        "tests/fixtures/cli/report-app/secprop.yaml",
        "tests/fixtures/plan/teams/secprop.yaml",
        "tests/e2e/express/fixed/secprop.yaml",
    ] {
        specs.push((rel.to_string(), load(&root.join(rel))));
    }
    // Each e2e variant holds only the files that differ from `fixed/`, laid over a copy.
    let e2e = root.join("tests/e2e/express");
    for dir in subdirs(&e2e) {
        let name = dir.file_name().unwrap().to_string_lossy().into_owned();
        if name == "node_modules" || name == "fixed" || name.starts_with(".run-") {
            continue;
        }
        let copy = tmp.path().join(&name);
        copy_dir(&e2e.join("fixed"), &copy);
        copy_dir(&dir, &copy);
        specs.push((
            format!("tests/e2e/express/{name}"),
            load(&copy.join("secprop.yaml")),
        ));
    }
    for dir in subdirs(&root.join("tests/apps/express")) {
        let spec = secprop_spec::load_bytes(&dir.join("secprop.yaml"), APPS_SPEC.as_bytes())
            .unwrap_or_else(|e| panic!("{}: {e:?}", dir.display()));
        specs.push((dir.display().to_string(), spec));
    }
    // Routes made by a library call (`context.route_generators`) are checked and tested
    // like literal ones.
    let generators = load(&root.join("tests/apps/express/route-generators/secprop.yaml"));
    let (_, generated) = pairs(&generators);
    for key in [
        "GET /api/users/{id}",
        "GET /api/posts",
        "DELETE /forums/{forum}",
    ] {
        assert!(
            generated.iter().any(|(_, r, _)| r == key),
            "no test for {key}: {generated:?}"
        );
    }
    specs.push(("route-generators".into(), generators));
    let mut kinds = std::collections::BTreeSet::new();
    let mut total = 0;
    for (name, spec) in &specs {
        let (checked, generated) = pairs(spec);
        assert_eq!(
            checked, generated,
            "{name}: left is what check analyses, right what generate tests"
        );
        for (_, _, id) in &checked {
            let p = spec.spec.properties.iter().find(|p| &p.id == id).unwrap();
            kinds.insert(p.kind.as_str());
        }
        total += checked.len();
    }
    // The comparison must not pass vacuously.
    assert!(specs.len() >= 14, "{} specs", specs.len());
    assert!(total >= 40, "{total} pairs");
    let expected: std::collections::BTreeSet<&str> = secprop_generate::plan::GENERATED_KINDS
        .iter()
        .map(|k| k.as_str())
        .collect();
    assert_eq!(kinds, expected);
}
