//! Route tables of the fixture apps under `tests/apps/fastapi/` and `tests/apps/flask/`
//! as insta snapshots (issue 12 evidence): method, full path, handler, file:line, chain
//! (kind, names, `#function`), unresolved, then the warnings.

use secprop_model::{ChainKind, Project};
use std::fmt::Write;
use std::path::PathBuf;

fn table(framework: &str, style: &str) -> String {
    let dir = PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("../../tests/apps")
        .join(framework)
        .join(style);
    let p = secprop_lang_py::scan(&secprop_lang_py::ScanOptions {
        root: dir.clone(),
        repo_root: dir,
        ..Default::default()
    });
    render(&p)
}

fn render(p: &Project) -> String {
    let mut out = String::new();
    for r in &p.routes {
        let chain: Vec<String> = r
            .chain
            .iter()
            .map(|e| {
                let kind = match e.kind {
                    ChainKind::Use => "use".to_string(),
                    ChainKind::Mount => "mount".to_string(),
                    ChainKind::ParamBound { .. } => "param".to_string(),
                    ChainKind::Signature { arg } => format!("sig{arg}"),
                    ChainKind::Route => "route".to_string(),
                };
                let name = if !e.names.is_empty() {
                    e.names.join("|")
                } else if !e.factory.is_empty() {
                    format!("{}()", e.factory.join("|"))
                } else {
                    "<expr>".to_string()
                };
                let f = e
                    .function
                    .map(|id| format!("#{}", p.function(id).name))
                    .unwrap_or_default();
                format!("{kind}:{name}{f}")
            })
            .collect();
        let file = &p.files[r.span.file.0 as usize].path;
        let _ = write!(
            out,
            "{:<7} {:<32} {:<20} {}:{}",
            r.method,
            r.path(),
            r.handler_name,
            file,
            r.span.line
        );
        if !chain.is_empty() {
            let _ = write!(out, "  [{}]", chain.join(", "));
        }
        if let Some(u) = &r.unresolved {
            let _ = write!(out, "  UNRESOLVED: {u}");
        }
        out.push('\n');
    }
    for w in &p.warnings {
        let _ = writeln!(out, "warning {:?} {}: {}", w.kind, w.file, w.message);
    }
    out
}

#[test]
fn fastapi_single_file() {
    insta::assert_snapshot!(table("fastapi", "single-file"));
}

#[test]
fn fastapi_full_stack() {
    insta::assert_snapshot!(table("fastapi", "full-stack"));
}

#[test]
fn fastapi_broken() {
    insta::assert_snapshot!(table("fastapi", "broken"));
}

#[test]
fn flask_single_file() {
    insta::assert_snapshot!(table("flask", "single-file"));
}

#[test]
fn flask_blueprints() {
    insta::assert_snapshot!(table("flask", "blueprints"));
}

/// Two scans give the same tables.
#[test]
fn deterministic() {
    for (fw, style) in [("fastapi", "full-stack"), ("flask", "blueprints")] {
        assert_eq!(table(fw, style), table(fw, style));
    }
}
