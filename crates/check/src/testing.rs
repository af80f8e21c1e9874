//! A tiny builder for hand-written model IR in unit tests: functions, routes and specs
//! in a few lines each, so a test reads like the handler it stands for.

use crate::{CheckOutput, Finding, Options, check};
use secprop_model::*;
use secprop_spec::{Date, LoadedSpec, Spec};
use std::cell::Cell;
use std::path::PathBuf;

thread_local! {
    /// Every call and statement gets its own line, so locations tell them apart.
    static LINE: Cell<u32> = const { Cell::new(1) };
}

fn span() -> Span {
    let line = LINE.with(|l| {
        let v = l.get();
        l.set(v + 1);
        v
    });
    Span {
        file: FileId(0),
        line,
        column: 1,
        end_line: line,
        end_column: 2,
        start_byte: 0,
        end_byte: 0,
    }
}

/// A call by name; chain `.aw()`, `.args(..)`, `.to(fn)`.
pub(crate) struct C(pub Call);

pub(crate) fn call(name: &str) -> C {
    C(Call {
        names: vec![name.to_string()],
        callee: None,
        receiver: None,
        args: vec![],
        awaited: false,
        is_new: false,
        text: name.to_string(),
        span: span(),
    })
}

impl C {
    pub fn aw(mut self) -> C {
        self.0.awaited = true;
        self
    }
    pub fn args(mut self, a: Vec<Expr>) -> C {
        self.0.args = a;
        self
    }
    pub fn to(mut self, f: FnId) -> C {
        self.0.callee = Some(f);
        self
    }
    pub fn e(self) -> Expr {
        Expr::Call(Box::new(self.0))
    }
    /// The call as a statement.
    pub fn s(self) -> Stmt {
        st(StmtKind::Expr(self.e()))
    }
    /// The call's line, to assert locations.
    pub fn line(&self) -> u32 {
        self.0.span.line
    }
}

pub(crate) fn st(kind: StmtKind) -> Stmt {
    Stmt { kind, span: span() }
}
pub(crate) fn p(name: &str) -> Expr {
    Expr::RouteParam(name.into())
}
pub(crate) fn l(name: &str) -> Expr {
    Expr::Local(name.into())
}
pub(crate) fn fld(base: Expr, f: &str) -> Expr {
    Expr::Field {
        base: Box::new(base),
        path: vec![f.into()],
    }
}
pub(crate) fn user() -> Expr {
    Expr::RequestPart {
        part: "user".into(),
        path: vec!["id".into()],
    }
}
pub(crate) fn lit_true() -> Expr {
    Expr::Literal(Literal::Bool(true))
}
/// `a !== b` and other comparisons: an opaque expression over both sides.
pub(crate) fn cmp(a: Expr, b: Expr) -> Expr {
    Expr::Unknown(vec![a, b])
}
pub(crate) fn let_(name: &str, e: Expr) -> Stmt {
    st(StmtKind::Let {
        name: name.into(),
        value: e,
    })
}
pub(crate) fn if_(c: Cond, t: Vec<Stmt>, e: Vec<Stmt>) -> Stmt {
    st(StmtKind::If {
        cond: c,
        then_branch: t,
        else_branch: e,
    })
}
pub(crate) fn ce(e: Expr) -> Cond {
    Cond::Expr(e)
}
pub(crate) fn not(c: Cond) -> Cond {
    Cond::Not(Box::new(c))
}
pub(crate) fn and(a: Cond, b: Cond) -> Cond {
    Cond::And(Box::new(a), Box::new(b))
}
pub(crate) fn or(a: Cond, b: Cond) -> Cond {
    Cond::Or(Box::new(a), Box::new(b))
}
pub(crate) fn ret(e: Option<Expr>) -> Stmt {
    st(StmtKind::Return(e))
}
pub(crate) fn throw() -> Stmt {
    st(StmtKind::Throw(call("HttpError").e()))
}
pub(crate) fn send(status: Option<u16>) -> Stmt {
    st(StmtKind::Respond(Respond {
        method: "send".into(),
        status,
        payload: None,
        sends: true,
    }))
}
pub(crate) fn send_val(e: Expr) -> Stmt {
    st(StmtKind::Respond(Respond {
        method: "send".into(),
        status: None,
        payload: Some(e),
        sends: true,
    }))
}
/// `return res.status(s).send()`.
pub(crate) fn deny(s: u16) -> Vec<Stmt> {
    vec![send(Some(s)), ret(None)]
}
pub(crate) fn next() -> Stmt {
    st(StmtKind::Continue { err: None })
}
pub(crate) fn next_err() -> Stmt {
    st(StmtKind::Continue {
        err: Some(call("HttpError").e()),
    })
}
pub(crate) fn try_(body: Vec<Stmt>, catch: Vec<Stmt>) -> Stmt {
    st(StmtKind::Try {
        body,
        catch_param: Some("e".into()),
        catch_body: catch,
        finally_body: vec![],
    })
}

/// A project under construction.
#[derive(Default)]
pub(crate) struct P {
    pub project: Project,
}

/// Options of a function: `async`, declared return type, parameter names.
#[derive(Default, Clone)]
pub(crate) struct FnOpts {
    pub is_async: bool,
    pub ret: Option<&'static str>,
    pub params: Vec<&'static str>,
}

pub(crate) fn async_() -> FnOpts {
    FnOpts {
        is_async: true,
        ..FnOpts::default()
    }
}

impl P {
    pub fn new() -> P {
        let mut p = P::default();
        p.project.framework = "express".into();
        p.project.files.push(SourceFile {
            path: "src/app.js".into(),
            abs_path: PathBuf::new(),
            parse_error: None,
            parse_damage: Default::default(),
        });
        p
    }
    /// Reserves a function id (for recursion); fill it with [`P::define`].
    pub fn declare(&mut self, name: &str) -> FnId {
        let id = FnId(self.project.functions.len() as u32);
        self.project.functions.push(Function {
            id,
            name: name.into(),
            span: span(),
            is_async: false,
            params: vec![],
            return_type: None,
            body: vec![],
        });
        id
    }
    pub fn define(&mut self, id: FnId, o: FnOpts, body: Vec<Stmt>) {
        let f = &mut self.project.functions[id.0 as usize];
        f.is_async = o.is_async;
        f.return_type = o.ret.map(str::to_string);
        f.params = o
            .params
            .iter()
            .map(|n| Param {
                name: n.to_string(),
                ty: None,
            })
            .collect();
        f.body = body;
    }
    pub fn func(&mut self, name: &str, o: FnOpts, body: Vec<Stmt>) -> FnId {
        let id = self.declare(name);
        self.define(id, o, body);
        id
    }
    /// An async `(req, res)` handler.
    pub fn handler(&mut self, body: Vec<Stmt>) -> FnId {
        self.func(
            "<anonymous>",
            FnOpts {
                is_async: true,
                params: vec!["req", "res"],
                ..FnOpts::default()
            },
            body,
        )
    }
    /// Registers `METHOD path` (Express syntax) with chain elements and a handler;
    /// returns the registration line.
    pub fn route(
        &mut self,
        method: &str,
        path: &str,
        chain: Vec<ChainElement>,
        handler: FnId,
    ) -> u32 {
        let segments = path
            .split('/')
            .filter(|s| !s.is_empty())
            .map(|s| match s.strip_prefix(':') {
                Some(p) => Segment::Param(p.into()),
                None => Segment::Literal(s.into()),
            })
            .collect();
        let sp = span();
        self.project.routes.push(Route {
            method: method.into(),
            segments,
            span: sp,
            chain,
            handler: Some(handler),
            handler_name: "<anonymous>".into(),
            unresolved: None,
        });
        sp.line
    }
}

/// A chain element by name, optionally a project function.
pub(crate) fn mw(name: &str, function: Option<FnId>) -> ChainElement {
    ChainElement {
        kind: ChainKind::Route,
        names: vec![name.into()],
        factory: vec![],
        function,
        span: span(),
        may_apply: false,
    }
}

/// A loaded spec from JSON.
pub(crate) fn spec(v: serde_json::Value) -> LoadedSpec {
    let spec: Spec = serde_json::from_value(v).expect("test spec deserialises");
    LoadedSpec {
        spec,
        path: PathBuf::from("/repo/secprop.yaml"),
        dir: PathBuf::from("/repo"),
        repo_root: PathBuf::from("/repo"),
        source: String::new(),
        locations: Default::default(),
        key_locations: Default::default(),
    }
}

/// The seed example's context with the three kinds on `/projects/{projectId}/**`.
pub(crate) fn seed_spec() -> LoadedSpec {
    spec(serde_json::json!({
        "version": 1,
        "targets": [{"name": "api", "framework": "express"}],
        "context": {
            "authentication": ["requireLogin"],
            "authorization": [
                "membership.canView",
                {"call": "assertMember", "denies_by": "raise"},
                "requireProjectMember"
            ],
            "side_effects": ["reports.*", "audit.record", "cache.set"],
            "data_access": ["db.*"],
            "sinks": {"logs": ["logger.*"], "external": ["fetch"]}
        },
        "properties": [
            {"id": "tenant", "kind": "cross_tenant_denied", "routes": ["* /projects/{projectId}/**"], "tenant_param": "projectId"},
            {"id": "order", "kind": "no_side_effects_before_authz", "routes": ["* /projects/{projectId}/**"]},
            {"id": "login", "kind": "authentication_required", "routes": ["**"]}
        ]
    }))
}

pub(crate) fn run(spec: &LoadedSpec, p: P) -> CheckOutput {
    check(
        spec,
        &[("api".to_string(), p.project)],
        &Options {
            today: Date::parse("2026-01-01"),
            ..Default::default()
        },
    )
}

/// `(kind, line)` of every open finding except `unmatched-pattern`, sorted.
pub(crate) fn kinds(out: &CheckOutput) -> Vec<(String, u32)> {
    let mut v: Vec<(String, u32)> = out
        .findings
        .iter()
        .filter(|f| f.kind != crate::rules::UNMATCHED_PATTERN)
        .map(|f: &Finding| (f.kind.clone(), f.line))
        .collect();
    v.sort();
    v
}
