//! `secprop routes` may scan with `scan_routes`: on every spec under `tests/` (e2e
//! variants, CLI and check fixtures), `select_routes` — properties, public, coverage and
//! chain guards, including guards found in a project middleware's body (spec-v1 §6) — is
//! the same on `scan_routes` as on the full `scan`.

use std::path::{Path, PathBuf};

/// Every `secprop.yaml` below `dir`, sorted, outside `node_modules` and `.run-*` folders.
fn specs_under(dir: &Path, out: &mut Vec<PathBuf>) {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return;
    };
    let mut entries: Vec<_> = entries.filter_map(|e| e.ok()).collect();
    entries.sort_by_key(|e| e.file_name());
    for e in entries {
        let name = e.file_name().to_string_lossy().into_owned();
        let path = e.path();
        if e.file_type().is_ok_and(|t| t.is_dir()) {
            if name != "node_modules" && !name.starts_with(".run-") && name != "target" {
                specs_under(&path, out);
            }
        } else if name == "secprop.yaml" {
            out.push(path);
        }
    }
}

#[test]
fn route_selection_is_the_same_on_the_routes_only_scan() {
    let root = PathBuf::from(env!("CARGO_MANIFEST_DIR"));
    let mut specs = Vec::new();
    for sub in ["tests/e2e", "tests/fixtures", "tests/apps"] {
        specs_under(&root.join(sub), &mut specs);
    }
    assert!(specs.len() >= 3, "specs found: {specs:?}");
    let (mut routes, mut guards, mut body_guards) = (0, 0, 0);
    for path in &specs {
        // A spec being rewritten by someone else may not load: it proves nothing here.
        let Ok(spec) = secprop_spec::load(path) else {
            continue;
        };
        for target in &spec.spec.targets {
            let opts = secprop_frontends::scan_options(&spec, target);
            // Each target through its own framework's frontend, as the CLI scans it.
            let frontend = secprop_frontends::get(target.framework.as_str())
                .unwrap_or_else(|| panic!("{}: no frontend", path.display()));
            let full = secprop_frontends::scan(frontend, &opts);
            let quick = secprop_frontends::scan_routes(frontend, &opts);
            let a = secprop_check::select_routes(&spec.spec, &target.name, &full);
            let b = secprop_check::select_routes(&spec.spec, &target.name, &quick);
            assert_eq!(a.len(), full.routes.len());
            for ((sa, sb), r) in a.iter().zip(&b).zip(&full.routes) {
                assert_eq!(
                    format!("{sa:?}"),
                    format!("{sb:?}"),
                    "{}: {} {}",
                    path.display(),
                    r.method,
                    r.path()
                );
                guards += sa.guards.len();
            }
            assert_eq!(a.len(), b.len(), "{}", path.display());
            routes += a.len();
            // Without bodies (what `scan_routes` used to give), guards carried by project
            // middlewares are lost: count the routes where that makes a difference.
            let mut bare = quick.clone();
            for f in &mut bare.functions {
                f.body.clear();
            }
            let c = secprop_check::select_routes(&spec.spec, &target.name, &bare);
            body_guards += a
                .iter()
                .zip(&c)
                .filter(|(x, y)| x.guards.len() != y.guards.len())
                .count();
        }
    }
    assert!(routes > 0 && guards > 0, "{routes} routes, {guards} guards");
    assert!(
        body_guards > 0,
        "no guard found in a middleware body was compared"
    );
}
