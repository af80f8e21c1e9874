mod common;
#[test]
#[ignore]
fn scratch() {
    let dir = std::env::var("GEN_DIR").unwrap();
    let spec = secprop_spec::load(&std::path::Path::new(&dir).join("secprop.yaml")).unwrap();
    let rel = std::path::Path::new(&dir).strip_prefix(&spec.repo_root).unwrap().join("src/app.ts");
    let p = common::project(rel.to_str().unwrap(), &[("GET", common::segments("/projects/{projectId}/report")), ("GET", common::segments("/health"))]);
    let out = secprop_generate::generate(&spec, &[("api".into(), p)], secprop_generate::Mode::Write).unwrap();
    println!("{out:?}");
}
