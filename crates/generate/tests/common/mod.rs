//! Shared builders for the generate tests: a hand-made model of the report example, so
//! these tests do not depend on the JavaScript frontend.
#![allow(dead_code)]

use secprop_model::*;

pub fn span(line: u32) -> Span {
    Span {
        file: FileId(0),
        line,
        column: 1,
        end_line: line,
        end_column: 2,
        start_byte: 0,
        end_byte: 1,
    }
}

pub fn call(names: &[&str], args: Vec<Expr>, awaited: bool) -> Expr {
    Expr::Call(Box::new(Call {
        names: names.iter().map(|n| n.to_string()).collect(),
        callee: None,
        receiver: None,
        args,
        awaited,
        is_new: false,
        text: names[0].to_string(),
        span: span(3),
    }))
}

pub fn stmt(kind: StmtKind) -> Stmt {
    Stmt {
        kind,
        span: span(3),
    }
}

/// Segments of a canonical path such as `/projects/{projectId}/report`.
pub fn segments(path: &str) -> Vec<Segment> {
    path.split('/')
        .filter(|s| !s.is_empty())
        .map(
            |s| match s.strip_prefix('{').and_then(|r| r.strip_suffix('}')) {
                Some(p) if p.ends_with('*') => Segment::CatchAll(p.trim_end_matches('*').into()),
                Some(p) => Segment::Param(p.into()),
                None => Segment::Literal(s.into()),
            },
        )
        .collect()
}

/// A project with one file `file` holding `routes` (method, segments); every handler
/// builds the report at its top level, then checks membership.
pub fn project(file: &str, routes: &[(&str, Vec<Segment>)]) -> Project {
    let mut p = Project {
        framework: "express".into(),
        files: vec![SourceFile {
            path: file.into(),
            abs_path: file.into(),
            parse_error: None,
            parse_damage: Default::default(),
        }],
        ..Project::default()
    };
    for (i, (method, segs)) in routes.iter().enumerate() {
        let id = FnId(i as u32);
        let param = segs
            .iter()
            .find_map(|s| match s {
                Segment::Param(p) | Segment::CatchAll(p) => Some(p.clone()),
                Segment::Literal(_) => None,
            })
            .unwrap_or_default();
        p.functions.push(Function {
            id,
            name: "<anonymous>".into(),
            span: span(10 + i as u32),
            is_async: true,
            params: vec![],
            return_type: None,
            body: vec![
                stmt(StmtKind::Let {
                    name: "report".into(),
                    value: call(
                        &["reports.buildProjectReport"],
                        vec![Expr::RouteParam(param.clone())],
                        true,
                    ),
                }),
                stmt(StmtKind::If {
                    cond: Cond::Not(Box::new(Cond::Expr(call(
                        &["membership.canView"],
                        vec![Expr::RouteParam(param)],
                        true,
                    )))),
                    then_branch: vec![stmt(StmtKind::Return(None))],
                    else_branch: vec![],
                }),
            ],
        });
        p.routes.push(Route {
            method: method.to_string(),
            segments: segs.clone(),
            span: span(10 + i as u32),
            chain: vec![],
            handler: Some(id),
            handler_name: "<anonymous>".into(),
            unresolved: None,
        });
    }
    p
}

pub const SPEC: &str = r#"version: 1
targets:
  - name: api
    framework: express
    root: .
    tests:
      runner: vitest
      out: tests/security
      harness: tests/security/harness.ts
context:
  authentication: [requireLogin]
  authorization: ["membership.canView"]
  side_effects: ["reports.*"]
  sensitive_fields: [secretNotes]
properties:
  - id: tenant-isolation
    kind: cross_tenant_denied
    routes: ["* /projects/{projectId}/**"]
    tenant_param: projectId
  - id: no-work-before-authz
    kind: no_side_effects_before_authz
    routes: ["* /projects/{projectId}/**"]
  - id: login-required
    kind: authentication_required
    routes: ["**"]
public:
  - route: "GET /health"
    reason: "liveness probe"
"#;
