//! Malformed input never stops a scan (issue 3): a file with syntax errors is used as far
//! as it parses, binary and oversized/minified files are skipped and named in warnings,
//! and the routes of the other files are still reported.

mod common;

use secprop_lang_js::{ScanOptions, scan, scan_source};
use secprop_model::WarningKind;
use std::fs;

#[test]
fn bad_files_are_named_and_other_routes_survive() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path();
    fs::write(
        root.join("app.js"),
        "const express = require('express');\nconst app = express();\napp.get('/ok', (req, res) => res.send('ok'));\nrequire('./broken')(app);\n",
    )
    .unwrap();
    // Routes before the syntax error are still found.
    fs::write(
        root.join("broken.js"),
        "module.exports = (app) => {\n  app.get('/before', (req, res) => res.send(1));\n  app.post('/after', (req, res) => { if ( });\n};\n",
    )
    .unwrap();
    fs::write(root.join("binary.js"), b"app.get('/bin'\0\0\x01\x02, h)").unwrap();
    // A 5 MB minified bundle, generated here rather than committed.
    let mut big = String::from("app.get('/bundle',h);");
    while big.len() < 5 * 1024 * 1024 {
        big.push_str("var a=function(b){return b+1};");
    }
    fs::write(root.join("bundle.min.js"), &big).unwrap();
    // Below the size cap but minified: one very long line.
    let long = "x=1;".repeat(10_000);
    fs::write(root.join("vendor.js"), long).unwrap();
    fs::create_dir(root.join("node_modules")).unwrap();
    fs::write(root.join("node_modules/dep.js"), "app.get('/dep', h)").unwrap();
    fs::write(root.join("types.d.ts"), "declare const x: number;").unwrap();

    let p = scan(&ScanOptions {
        root: root.to_path_buf(),
        repo_root: root.to_path_buf(),
        include: vec![],
        exclude: vec![],
        ..Default::default()
    });
    let keys: Vec<String> = p.routes.iter().map(|r| r.key()).collect();
    assert!(keys.contains(&"GET /ok".to_string()), "{keys:?}");
    assert!(keys.contains(&"GET /before".to_string()), "{keys:?}");
    assert!(
        !keys
            .iter()
            .any(|k| k.contains("bin") || k.contains("bundle") || k.contains("dep")),
        "{keys:?}"
    );

    let warned =
        |kind: WarningKind, file: &str| p.warnings.iter().any(|w| w.kind == kind && w.file == file);
    assert!(
        warned(WarningKind::ParseError, "broken.js"),
        "{:?}",
        p.warnings
    );
    assert!(
        warned(WarningKind::SkippedFile, "binary.js"),
        "{:?}",
        p.warnings
    );
    assert!(
        warned(WarningKind::SkippedFile, "bundle.min.js"),
        "{:?}",
        p.warnings
    );
    assert!(
        warned(WarningKind::SkippedFile, "vendor.js"),
        "{:?}",
        p.warnings
    );
    let broken = p.files.iter().find(|f| f.path == "broken.js").unwrap();
    let err = broken.parse_error.expect("parse error span");
    assert_eq!(err.line, 3);
    assert!(
        p.files
            .iter()
            .all(|f| f.path != "types.d.ts" && !f.path.contains("node_modules"))
    );
}

#[test]
fn gitignore_include_exclude() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path();
    fs::create_dir_all(root.join("src/gen")).unwrap();
    fs::write(root.join(".gitignore"), "src/gen/\n").unwrap();
    let route = |p: &str| {
        format!("const app = require('express')();\napp.get('{p}', (req, res) => res.end());\n")
    };
    fs::write(root.join("src/a.js"), route("/a")).unwrap();
    fs::write(root.join("src/a.test.js"), route("/test")).unwrap();
    fs::write(root.join("src/gen/g.js"), route("/gen")).unwrap();
    fs::write(root.join("other.js"), route("/other")).unwrap();
    let p = scan(&ScanOptions {
        root: root.to_path_buf(),
        repo_root: root.to_path_buf(),
        include: vec!["src/**".into()],
        exclude: vec!["**/*.test.js".into()],
        ..Default::default()
    });
    let keys: Vec<String> = p.routes.iter().map(|r| r.key()).collect();
    assert_eq!(keys, ["GET /a"]);
    assert_eq!(p.files[0].path, "src/a.js");
}

#[test]
fn paths_are_relative_to_the_repository_root() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path().join("services/api");
    fs::create_dir_all(&root).unwrap();
    fs::write(
        root.join("app.js"),
        "const app = require('express')();\napp.get('/x', (req, res) => res.end());\n",
    )
    .unwrap();
    let p = scan(&ScanOptions {
        root: root.clone(),
        repo_root: dir.path().to_path_buf(),
        include: vec![],
        exclude: vec![],
        ..Default::default()
    });
    assert_eq!(p.files[0].path, "services/api/app.js");
    assert_eq!(p.routes.len(), 1);
}

#[test]
fn garbage_never_panics() {
    for src in [
        "",
        "}}}{{{",
        "app.get(",
        "app.get('/x', ",
        "app[",
        "const app = express(); app.use('/a', app); app.get('/b', h)",
        "for (const r of [1,2,3]) app.get(r, h)",
        "class { constructor() { this.router.get('/x', this.y) } }",
        "module.exports = (app) => module.exports(app)",
        "const a = b; const b = a; a.get('/x', h)",
        "function f(app) { f(app); app.get('/r', h) } f(require('express')())",
        "app.get(`/x/${a}`, h)",
        "app.get('/a{', h)",
    ] {
        let _ = scan_source("x.js", src);
        let _ = scan_source("x.ts", src);
    }
}

#[test]
fn binary_and_minified_in_memory() {
    let p = scan_source("b.js", "app.get('/x'\0, h)");
    assert!(p.routes.is_empty());
    assert_eq!(p.warnings[0].kind, WarningKind::SkippedFile);
}

/// Deeply nested or very long generated code is cut, never a stack overflow.
#[test]
fn deep_nesting_and_long_chains() {
    let n = 20_000;
    let arrays = format!(
        "function f(req, res) {{ const x = {}1{}; }}",
        "[\n".repeat(n),
        "]".repeat(n)
    );
    let ands = format!(
        "function g(req, res) {{ if ({}) {{ res.end(); }} }}",
        vec!["a"; n].join(" && ")
    );
    let chain = format!(
        "function h(req, res) {{ res{}.send(1); a{}(); }}",
        ".status(1)".repeat(5_000),
        ".b".repeat(5_000)
    );
    let blocks = format!("function k() {{ {} }}", "{\n".repeat(n) + &"}".repeat(n));
    for (i, src) in [arrays, ands, chain, blocks].into_iter().enumerate() {
        let src = src
            .replace(";", ";\n")
            .replace("&&", "&&\n")
            .replace(".", "\n.")
            .replace("]", "]\n")
            .replace("}", "}\n");
        let p = scan_source("deep.js", &src);
        assert!(
            p.warnings
                .iter()
                .all(|w| w.kind != secprop_model::WarningKind::SkippedFile),
            "case {i} must be scanned"
        );
    }
}

/// Files are indexed as soon as they are parsed, before skipped files are known: the
/// files after a skipped one are renumbered, and their routes, handlers, cross-file
/// bindings and parse-error spans must follow them.
#[test]
fn skipped_files_do_not_shift_ids() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path();
    // Sorted first, and skipped (binary), so every later file moves down by one.
    fs::write(root.join("a_binary.js"), b"\0\x01\x02").unwrap();
    fs::write(
        root.join("b_app.js"),
        "const express = require('express');\nconst users = require('./c_users');\nconst app = express();\napp.use('/users', users);\n",
    )
    .unwrap();
    fs::write(
        root.join("c_users.js"),
        "const { Router } = require('express');\nconst ctl = require('./d_ctl');\nconst r = Router();\nr.get('/:id', ctl.show);\nmodule.exports = r;\n",
    )
    .unwrap();
    fs::write(
        root.join("d_ctl.js"),
        "exports.show = async (req, res) => res.json({});\nconst broken = (;\n",
    )
    .unwrap();
    let p = scan(&ScanOptions {
        root: root.to_path_buf(),
        repo_root: root.to_path_buf(),
        include: vec![],
        exclude: vec![],
        ..Default::default()
    });
    let paths: Vec<&str> = p.files.iter().map(|f| f.path.as_str()).collect();
    assert_eq!(paths, ["b_app.js", "c_users.js", "d_ctl.js"]);
    assert_eq!(p.routes.len(), 1, "{:?}", p.routes);
    let r = &p.routes[0];
    assert_eq!(r.key(), "GET /users/{id}");
    assert_eq!(r.unresolved, None);
    assert_eq!(p.files[r.span.file.0 as usize].path, "c_users.js");
    let handler = &p.functions[r.handler.expect("handler resolved").0 as usize];
    assert_eq!(p.files[handler.span.file.0 as usize].path, "d_ctl.js");
    let err = p.files[2].parse_error.expect("parse error in d_ctl.js");
    assert_eq!((err.file.0, err.line), (2, 2));
    for (i, f) in p.functions.iter().enumerate() {
        assert_eq!(f.id.0 as usize, i);
    }
}
