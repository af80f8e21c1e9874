//! Bad input never panics and is never silently dropped: every prefix of a real app
//! (most do not parse) scans to either routes or a located parse-error warning, and
//! routers that recurse, paths that are not literals and unknown handlers stay listed.

use secprop_lang_rust::ScanOptions;
use secprop_model::WarningKind;
use std::path::Path;

fn scan_dir(dir: &Path) -> secprop_model::Project {
    secprop_lang_rust::scan(&ScanOptions {
        root: dir.to_path_buf(),
        repo_root: dir.to_path_buf(),
        include: vec![],
        exclude: vec![],
        ..Default::default()
    })
}

#[test]
fn every_prefix_of_an_app_scans_without_panic() {
    let app = std::fs::read_to_string(
        Path::new(env!("CARGO_MANIFEST_DIR")).join("../../tests/apps/axum/single-file/src/main.rs"),
    )
    .unwrap();
    let dir = tempfile::tempdir().unwrap();
    std::fs::create_dir_all(dir.path().join("src")).unwrap();
    let file = dir.path().join("src/main.rs");
    let mut cuts: Vec<usize> = (0..app.len()).step_by(13).collect();
    cuts.push(app.len());
    for cut in cuts {
        if !app.is_char_boundary(cut) {
            continue;
        }
        std::fs::write(&file, &app[..cut]).unwrap();
        let p = scan_dir(dir.path());
        let errors: Vec<_> = p
            .warnings
            .iter()
            .filter(|w| w.kind == WarningKind::ParseError)
            .collect();
        match errors.as_slice() {
            [] => {}
            [w] => {
                let sp = w.span.expect("a parse error has a location");
                assert!(sp.line >= 1 && sp.column >= 1, "{w:?}");
                assert_eq!(w.file, "src/main.rs");
                assert!(w.message.contains(&format!("{}:{}", sp.line, sp.column)));
                assert_eq!(p.files[0].parse_error, Some(sp));
                assert!(p.routes.is_empty());
            }
            more => panic!("one error per file: {more:?}"),
        }
    }
}

#[test]
fn odd_routers_stay_listed() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::create_dir_all(dir.path().join("src")).unwrap();
    std::fs::write(
        dir.path().join("src/main.rs"),
        r#"
mod gone;
const PATH: &str = "/const";
fn looping() -> axum::Router { looping().route("/loop", axum::routing::get(h)) }
async fn h() {}
fn app(extra: axum::Router) -> axum::Router {
    axum::Router::new()
        .route(PATH, axum::routing::get(h))
        .route("/external", axum::routing::get(other_crate::handler))
        .route("/bad/x{id}", axum::routing::get(h))
        .nest("/n", extra)
        .merge(looping())
        .route("/svc", axum::routing::get_service(tower_http::services::ServeDir::new(".")))
}
"#,
    )
    .unwrap();
    std::fs::write(dir.path().join("src/bin.rs"), [0xff, 0xfe, b'f', b'n']).unwrap();
    let p = scan_dir(dir.path());
    let table: Vec<String> = p
        .routes
        .iter()
        .map(|r| format!("{} {} {:?}", r.method, r.path(), r.unresolved))
        .collect();
    insta::assert_snapshot!(table.join("\n"));
    assert!(
        p.warnings
            .iter()
            .any(|w| w.kind == WarningKind::UnresolvedImport && w.message.contains("`gone`")),
        "{:?}",
        p.warnings
    );
}
