//! Lowering of handler bodies and robustness on bad input: what the checks rely on.

use secprop_model::{Expr, Project, Stmt, StmtKind, WarningKind};

fn scan(files: &[(&str, &str)]) -> Project {
    let dir = tempfile::tempdir().unwrap();
    for (name, text) in files {
        let p = dir.path().join(name);
        std::fs::create_dir_all(p.parent().unwrap()).unwrap();
        std::fs::write(p, text).unwrap();
    }
    secprop_lang_py::scan(&secprop_lang_py::ScanOptions {
        root: dir.path().to_path_buf(),
        repo_root: dir.path().to_path_buf(),
        ..Default::default()
    })
}

fn handler<'p>(p: &'p Project, name: &str) -> &'p [Stmt] {
    let r = p
        .routes
        .iter()
        .find(|r| r.handler_name == name)
        .unwrap_or_else(|| panic!("no route for {name}"));
    &p.function(r.handler.unwrap()).body
}

#[test]
fn flask_exits_and_responses() {
    let p = scan(&[(
        "app.py",
        "from flask import Flask, abort, jsonify\napp = Flask(__name__)\n\
         @app.route('/p/<int:pid>')\ndef show(pid):\n    if not ok(pid):\n        abort(403)\n\
         \x20   if bad(pid):\n        return {'e': 1}, 403\n    return jsonify(id=pid)\n",
    )]);
    let body = handler(&p, "show");
    let StmtKind::If { then_branch, .. } = &body[0].kind else {
        panic!("{body:#?}")
    };
    assert!(matches!(then_branch[0].kind, StmtKind::Throw(_)));
    let StmtKind::If { then_branch, .. } = &body[1].kind else {
        panic!("{body:#?}")
    };
    let StmtKind::Respond(r) = &then_branch[0].kind else {
        panic!("{then_branch:#?}")
    };
    assert_eq!(r.status, Some(403));
    assert!(matches!(then_branch[1].kind, StmtKind::Return(None)));
    let StmtKind::Respond(r) = &body[2].kind else {
        panic!("{body:#?}")
    };
    let Some(Expr::Object { fields, .. }) = &r.payload else {
        panic!("{r:#?}")
    };
    assert!(matches!(fields[0].1, Expr::RouteParam(ref n) if n == "pid"));
}

#[test]
fn fastapi_awaits_params_and_log_arguments() {
    let p = scan(&[(
        "main.py",
        "import logging\nfrom fastapi import FastAPI\napp = FastAPI()\nlog = logging.getLogger()\n\
         @app.get('/i/{item_id}')\nasync def item(item_id: int):\n    x = await load(item_id)\n\
         \x20   logging.info(f'item {x.secret}', extra={'k': x})\n    return x\n",
    )]);
    let body = handler(&p, "item");
    let StmtKind::Let {
        value: Expr::Call(c),
        ..
    } = &body[0].kind
    else {
        panic!("{body:#?}")
    };
    assert!(c.awaited);
    assert!(matches!(c.args[0], Expr::RouteParam(ref n) if n == "item_id"));
    let StmtKind::Expr(Expr::Call(log)) = &body[1].kind else {
        panic!("{body:#?}")
    };
    assert_eq!(log.names, vec!["logging.info".to_string()]);
    assert!(matches!(log.args[0], Expr::Template(_)));
    assert!(matches!(log.args[1], Expr::Object { .. }));
}

/// Bad input never panics: every file with a syntax error is one located warning, and
/// the routes before the error are still listed.
#[test]
fn syntax_errors_are_located_warnings() {
    let inputs = [
        "from fastapi import FastAPI\napp = FastAPI()\n@app.get('/a')\ndef a():\n    return {\n",
        "@@@\n",
        "def (:\n",
        "app = Flask(\n",
        "\u{0}\u{1}",
        "class X(:\n    pass\n",
        "@app.get(\n",
        "x = [1, 2\n",
    ];
    for text in inputs {
        let p = scan(&[("m.py", text)]);
        let errs: Vec<_> = p
            .warnings
            .iter()
            .filter(|w| w.kind == WarningKind::ParseError || w.kind == WarningKind::SkippedFile)
            .collect();
        assert!(!errs.is_empty(), "{text:?}: {:?}", p.warnings);
        for w in errs {
            assert_eq!(w.file, "m.py");
            if w.kind == WarningKind::ParseError {
                assert!(w.span.is_some_and(|s| s.line >= 1), "{w:?}");
            }
        }
    }
    let p = scan(&[("m.py", inputs[0])]);
    assert_eq!(p.routes.len(), 1, "{:?}", p.routes);
}
