//! Lowering Rust function bodies to the model's statements (spec-v1 §6):
//! - calls and method calls with their names (§4), `.await` marks the call awaited, `?`
//!   is seen through (a guard returning `Result<(), _>` denies by raise, so `g(..)?` is
//!   the plain statement that counts);
//! - `if`, `if let`, `let .. else`, `match` arms as branches on the scrutinee's truth
//!   (`Ok`/`Some`/`true` arms on the true side, `Err`/`None`/`false` on the false side);
//! - a handler's returned value is its response (`Json(x)`, `(StatusCode::FORBIDDEN, ..)`,
//!   `StatusCode::NOT_FOUND`, `Redirect`), followed by the exit; an `Err` whose status is
//!   not visible is an exit only;
//! - extractors in parameters: `Path(id)`/`Path((a, b))`/`Path(Params { a })` give route
//!   parameter values (positionally for scalars and tuples, by name for structs),
//!   `Json`/`Form` the body, `Query` the query, `HeaderMap` the headers;
//! - macros: `tracing`/`log` events are calls with their field captures (`?user`,
//!   `%token`, `user.api_token`, `{name}` in format strings), `format!` a template,
//!   `ensure!`/`bail!` exits, `vec!`/`json!` values; middleware's `next.run(req)` is
//!   `Continue`.

mod actix;

use crate::index::{Index, ModKey, path_segs, strip, type_head, type_text};
use crate::{ExtraFn, span_of};
use proc_macro2::{TokenStream, TokenTree};
use secprop_model::{
    Call, Cond, Expr, FileId, FnId, Function, Literal, Param, Respond, Span, Stmt, StmtKind,
};
use std::collections::{BTreeMap, BTreeSet};
use syn::spanned::Spanned;

/// Method calls that pass their receiver's value through (`.map_err(..)`, `.unwrap()`).
const TRANSPARENT: &[&str] = &[
    "map_err",
    "ok_or",
    "ok_or_else",
    "unwrap",
    "expect",
    "unwrap_or",
    "unwrap_or_else",
    "unwrap_or_default",
    "context",
    "with_context",
    "into",
    "clone",
    "cloned",
    "copied",
    "to_owned",
    "to_string",
    "as_ref",
    "as_deref",
    "as_str",
    "ok",
    "into_inner",
    "boxed",
    "is_ok",
    "is_some",
];

/// Wrappers whose single argument is the value (`Ok(x)`, `Json(x)`, `Arc::new(x)`).
const WRAPPERS: &[&str] = &[
    "Ok",
    "Some",
    "Json",
    "Html",
    "Form",
    "Path",
    "Query",
    "State",
    "Extension",
    "Box",
    "Arc",
    "Rc",
    "Mutex",
    "RwLock",
    "String",
    "Cow",
];

const LOG_LEVELS: &[&str] = &["trace", "debug", "info", "warn", "error", "event", "log"];

pub struct Lowerer<'a> {
    pub ix: &'a Index,
    pub extra: &'a mut Vec<ExtraFn>,
    /// Per function reached by routes: the parameter names of each such route.
    pub route_params: &'a BTreeMap<FnId, Vec<Vec<String>>>,
    pub handlers: &'a BTreeSet<FnId>,
}

struct Fx {
    module: ModKey,
    file: FileId,
    self_ty: Option<String>,
    handler: bool,
    params: Vec<Vec<String>>,
    tmp: u32,
}

#[derive(Clone)]
enum Sink {
    Discard,
    Bind(String),
    Return,
}

enum Pol {
    Pos,
    Neg,
    Wild,
    Lit(Literal),
    Unknown,
}

impl Lowerer<'_> {
    pub fn function(&mut self, id: FnId) -> Function {
        let n = self.ix.fns.len();
        if (id.0 as usize) < n {
            let def = &self.ix.fns[id.0 as usize];
            let mut fx = self.fx(id, def.module.clone(), def.file, def.self_ty.clone());
            let mut body = Vec::new();
            let mut params = Vec::new();
            for (i, a) in def.sig.inputs.iter().enumerate() {
                match a {
                    syn::FnArg::Receiver(_) => params.push(Param {
                        name: "self".into(),
                        ty: def.self_ty.clone(),
                    }),
                    syn::FnArg::Typed(t) => {
                        params.push(self.param(&mut fx, i, &t.pat, Some(&t.ty), &mut body))
                    }
                }
            }
            let block = def.block.clone();
            self.block(&mut fx, &block.stmts, Sink::Return, &mut body);
            Function {
                id,
                name: def.name.clone(),
                span: def.span,
                is_async: def.sig.asyncness.is_some(),
                params,
                return_type: match &def.sig.output {
                    syn::ReturnType::Default => None,
                    syn::ReturnType::Type(_, t) => Some(type_text(t)),
                },
                body,
            }
        } else {
            let x = self.extra[id.0 as usize - n].clone();
            let mut fx = self.fx(id, x.module.clone(), x.file, x.self_ty.clone());
            let mut body = Vec::new();
            let mut params = Vec::new();
            for (i, p) in x.inputs.iter().enumerate() {
                let (pat, ty) = match p {
                    syn::Pat::Type(t) => (&*t.pat, Some(&*t.ty)),
                    other => (other, None),
                };
                params.push(self.param(&mut fx, i, pat, ty, &mut body));
            }
            let mut is_async = x.is_async;
            if let Some(pre) = x.lowered {
                body = pre;
            } else {
                match &x.body {
                    syn::Expr::Async(a) => {
                        is_async = true;
                        self.block(&mut fx, &a.block.stmts, Sink::Return, &mut body)
                    }
                    syn::Expr::Block(b) => {
                        self.block(&mut fx, &b.block.stmts, Sink::Return, &mut body)
                    }
                    e => self.into(&mut fx, e, Sink::Return, &mut body),
                }
            }
            Function {
                id,
                name: "<anonymous>".into(),
                span: x.span,
                is_async,
                params,
                return_type: None,
                body,
            }
        }
    }

    fn fx(&self, id: FnId, module: ModKey, file: FileId, self_ty: Option<String>) -> Fx {
        Fx {
            module,
            file,
            self_ty,
            handler: self.handlers.contains(&id),
            params: self.route_params.get(&id).cloned().unwrap_or_default(),
            tmp: 0,
        }
    }

    /// A parameter, with the `Let`s its pattern and extractor bind.
    fn param(
        &mut self,
        fx: &mut Fx,
        i: usize,
        pat: &syn::Pat,
        ty: Option<&syn::Type>,
        body: &mut Vec<Stmt>,
    ) -> Param {
        let name = match pat {
            syn::Pat::Ident(p) => p.ident.to_string(),
            _ => format!("arg{i}"),
        };
        let sp = span_of(fx.file, pat.span());
        let head = ty.and_then(type_head);
        let ext = head
            .as_ref()
            .and_then(|(p, _)| p.segments.last())
            .map(|s| s.ident.to_string());
        let inner_ty = head.as_ref().and_then(|(_, a)| a.first().copied());
        let inner_pat = match pat {
            syn::Pat::TupleStruct(t) if t.elems.len() == 1 => Some(&t.elems[0]),
            _ => None,
        };
        let value = match ext.as_deref() {
            Some("Path") => Some(self.path_value(fx, inner_pat, inner_ty, body, sp)),
            Some("Json" | "Form" | "RawForm" | "Bytes" | "Multipart" | "Payload") => {
                Some(part("body"))
            }
            Some("Query" | "RawQuery") => Some(part("query")),
            Some("HeaderMap" | "TypedHeader" | "Header") => Some(part("headers")),
            _ => None,
        };
        match (value, inner_pat) {
            (Some(Expr::Unknown(v)), Some(_)) if v.is_empty() => {}
            (Some(v), Some(p)) if ext.as_deref() != Some("Path") => bind(p, v, body, sp),
            (Some(v), None) => body.push(stmt(
                StmtKind::Let {
                    name: name.clone(),
                    value: v,
                },
                sp,
            )),
            (Some(_), Some(_)) => {}
            (None, Some(p)) => bind(p, Expr::Local(name.clone()), body, sp),
            (None, None) => {}
        }
        Param {
            name,
            ty: ty.map(type_text),
        }
    }

    /// The value of a `Path` extractor: binds destructured names into `body` and returns
    /// the whole value (`Unknown(vec![])` when a pattern bound everything).
    fn path_value(
        &mut self,
        fx: &mut Fx,
        pat: Option<&syn::Pat>,
        ty: Option<&syn::Type>,
        body: &mut Vec<Stmt>,
        sp: Span,
    ) -> Expr {
        let all: Vec<String> = {
            let mut s: Vec<String> = fx.params.iter().flatten().cloned().collect();
            s.sort();
            s.dedup();
            s
        };
        let any = || Expr::Unknown(all.iter().map(|p| Expr::RouteParam(p.clone())).collect());
        let lists = fx.params.clone();
        let at = |i: usize| -> Option<String> {
            let first = lists.first()?.get(i)?.clone();
            lists
                .iter()
                .all(|l| l.get(i) == Some(&first))
                .then_some(first)
        };
        let positional = |i: usize| at(i).map(Expr::RouteParam).unwrap_or_else(any);
        match pat {
            Some(syn::Pat::Tuple(t)) => {
                for (i, p) in t.elems.iter().enumerate() {
                    bind(p, positional(i), body, sp);
                }
                Expr::Unknown(Vec::new())
            }
            Some(syn::Pat::Struct(s)) => {
                for f in &s.fields {
                    if let syn::Member::Named(n) = &f.member {
                        bind(&f.pat, Expr::RouteParam(n.to_string()), body, sp);
                    }
                }
                Expr::Unknown(Vec::new())
            }
            _ => {
                let v = match ty.map(strip_ty) {
                    Some(syn::Type::Tuple(t)) => {
                        Expr::Array((0..t.elems.len()).map(positional).collect())
                    }
                    Some(t) => {
                        let fields = type_head(t)
                            .and_then(|(p, _)| self.ix.resolve_struct(&fx.module, &path_segs(p)));
                        let map_like = type_head(t).is_some_and(|(p, _)| {
                            p.segments.last().is_some_and(|s| {
                                matches!(
                                    s.ident.to_string().as_str(),
                                    "HashMap" | "BTreeMap" | "Vec"
                                )
                            })
                        });
                        match fields {
                            Some(fs) => Expr::Object {
                                fields: fs
                                    .iter()
                                    .map(|f| (f.clone(), Expr::RouteParam(f.clone())))
                                    .collect(),
                                spreads: Vec::new(),
                            },
                            None if map_like => Expr::Object {
                                fields: all
                                    .iter()
                                    .map(|f| (f.clone(), Expr::RouteParam(f.clone())))
                                    .collect(),
                                spreads: Vec::new(),
                            },
                            None => positional(0),
                        }
                    }
                    None => positional(0),
                };
                match pat {
                    Some(p) => {
                        bind(p, v, body, sp);
                        Expr::Unknown(Vec::new())
                    }
                    None => v,
                }
            }
        }
    }

    fn block(&mut self, fx: &mut Fx, stmts: &[syn::Stmt], sink: Sink, out: &mut Vec<Stmt>) {
        for (i, s) in stmts.iter().enumerate() {
            let last = i + 1 == stmts.len();
            match s {
                syn::Stmt::Expr(e, None) if last => self.into(fx, e, sink.clone(), out),
                syn::Stmt::Expr(e, _) => self.into(fx, e, Sink::Discard, out),
                syn::Stmt::Local(l) => self.local(fx, l, out),
                syn::Stmt::Macro(m) => {
                    let sp = span_of(fx.file, m.span());
                    self.macro_stmt(fx, &m.mac, sp, out)
                }
                syn::Stmt::Item(_) => {}
            }
        }
    }

    fn local(&mut self, fx: &mut Fx, l: &syn::Local, out: &mut Vec<Stmt>) {
        let sp = span_of(fx.file, l.span());
        let Some(init) = &l.init else { return };
        let (pat, ty) = match &l.pat {
            syn::Pat::Type(t) => (&*t.pat, Some(type_text(&t.ty))),
            p => (p, None),
        };
        if let Some((_, els)) = &init.diverge {
            // `let Some(x) = e else { return .. };`
            let tmp = self.tmp(fx);
            let v = self.expr(fx, &init.expr);
            out.push(stmt(
                StmtKind::Let {
                    name: tmp.clone(),
                    value: v,
                },
                sp,
            ));
            let cond = pol_cond(polarity(pat), Expr::Local(tmp.clone()));
            let mut else_b = Vec::new();
            self.into(fx, els, Sink::Discard, &mut else_b);
            out.push(stmt(
                StmtKind::If {
                    cond: Cond::Not(Box::new(cond)),
                    then_branch: else_b,
                    else_branch: Vec::new(),
                },
                sp,
            ));
            bind(pat, Expr::Local(tmp), out, sp);
            return;
        }
        if has_next_run(&init.expr) {
            out.push(stmt(StmtKind::Continue { err: None }, sp));
        }
        if matches!(pat, syn::Pat::Wild(_)) {
            // `let _ = g(..)`: the value is discarded.
            self.into(fx, &init.expr, Sink::Discard, out);
            return;
        }
        let control = matches!(
            &*init.expr,
            syn::Expr::If(_) | syn::Expr::Match(_) | syn::Expr::Block(_) | syn::Expr::Unsafe(_)
        );
        match pat {
            syn::Pat::Ident(i) if control => {
                self.into(fx, &init.expr, Sink::Bind(i.ident.to_string()), out)
            }
            syn::Pat::Ident(i) => {
                let mut v = self.expr(fx, &init.expr);
                if let Some(ty) = ty {
                    v = Expr::Typed {
                        value: Box::new(v),
                        ty,
                    };
                }
                out.push(stmt(
                    StmtKind::Let {
                        name: i.ident.to_string(),
                        value: v,
                    },
                    sp,
                ));
            }
            _ => {
                let tmp = self.tmp(fx);
                self.into(fx, &init.expr, Sink::Bind(tmp.clone()), out);
                bind(pat, Expr::Local(tmp), out, sp);
            }
        }
    }

    fn tmp(&self, fx: &mut Fx) -> String {
        fx.tmp += 1;
        format!("__v{}", fx.tmp)
    }

    /// Lowers an expression whose value goes to `sink`.
    fn into(&mut self, fx: &mut Fx, e: &syn::Expr, sink: Sink, out: &mut Vec<Stmt>) {
        let sp = span_of(fx.file, e.span());
        match e {
            syn::Expr::Paren(p) => self.into(fx, &p.expr, sink, out),
            syn::Expr::If(i) => {
                let mut then_b = Vec::new();
                let cond = self.cond(fx, &i.cond, out, &mut then_b);
                self.block(fx, &i.then_branch.stmts, sink.clone(), &mut then_b);
                let mut else_b = Vec::new();
                if let Some((_, els)) = &i.else_branch {
                    self.into(fx, els, sink, &mut else_b);
                }
                out.push(stmt(
                    StmtKind::If {
                        cond,
                        then_branch: then_b,
                        else_branch: else_b,
                    },
                    sp,
                ));
            }
            syn::Expr::Match(m) => self.match_(fx, m, sink, out, sp),
            syn::Expr::Block(b) => self.block(fx, &b.block.stmts, sink, out),
            syn::Expr::Unsafe(b) => self.block(fx, &b.block.stmts, sink, out),
            syn::Expr::Return(r) => {
                match &r.expr {
                    Some(v) => self.into(fx, v, Sink::Return, out),
                    None => out.push(stmt(StmtKind::Return(None), sp)),
                }
                // A `return` ends the path whatever the sink.
                if !matches!(out.last().map(|s| &s.kind), Some(StmtKind::Return(_))) {
                    out.push(stmt(StmtKind::Return(None), sp));
                }
            }
            syn::Expr::Loop(l) => {
                let mut body = Vec::new();
                self.block(fx, &l.body.stmts, Sink::Discard, &mut body);
                out.push(stmt(StmtKind::Loop { body }, sp));
            }
            syn::Expr::While(w) => {
                let mut body = Vec::new();
                let c = self.expr(fx, &w.cond);
                body.push(stmt(StmtKind::Expr(c), sp));
                self.block(fx, &w.body.stmts, Sink::Discard, &mut body);
                out.push(stmt(StmtKind::Loop { body }, sp));
            }
            syn::Expr::ForLoop(f) => {
                let it = self.expr(fx, &f.expr);
                let mut body = Vec::new();
                bind(&f.pat, field(it, "*"), &mut body, sp);
                self.block(fx, &f.body.stmts, Sink::Discard, &mut body);
                out.push(stmt(StmtKind::Loop { body }, sp));
            }
            syn::Expr::Macro(m) if matches!(sink, Sink::Discard) => {
                self.macro_stmt(fx, &m.mac, sp, out)
            }
            syn::Expr::Assign(a) => {
                let v = self.expr(fx, &a.right);
                match &*a.left {
                    syn::Expr::Path(p) if p.path.get_ident().is_some() => out.push(stmt(
                        StmtKind::Let {
                            name: p.path.get_ident().unwrap().to_string(),
                            value: v,
                        },
                        sp,
                    )),
                    _ => out.push(stmt(StmtKind::Expr(v), sp)),
                }
            }
            syn::Expr::Break(_) | syn::Expr::Continue(_) => {}
            _ if has_next_run(e) => {
                // The rest of the chain runs here; what it answers is not this code's.
                out.push(stmt(StmtKind::Continue { err: None }, sp));
                if matches!(sink, Sink::Return) {
                    out.push(stmt(StmtKind::Return(None), sp));
                }
            }
            _ => match sink {
                Sink::Discard => {
                    let v = self.expr(fx, e);
                    if self.drops_err(e, &v) {
                        // A `Result` dropped without `?`: its `Err` is swallowed, as by an
                        // empty `catch`, so the request goes on either way.
                        out.push(stmt(
                            StmtKind::Try {
                                body: vec![stmt(StmtKind::Expr(v), sp)],
                                catch_param: Some("_".into()),
                                catch_body: Vec::new(),
                                finally_body: Vec::new(),
                            },
                            sp,
                        ));
                    } else if !matches!(v, Expr::Local(_) | Expr::Literal(_)) {
                        out.push(stmt(StmtKind::Expr(v), sp));
                    }
                }
                Sink::Bind(name) => {
                    let value = self.expr(fx, e);
                    out.push(stmt(StmtKind::Let { name, value }, sp));
                }
                Sink::Return => self.ret(fx, e, out, sp),
            },
        }
    }

    /// Whether a discarded expression drops the `Err` of a project function that returns
    /// a `Result` (no `?` applied).
    fn drops_err(&self, e: &syn::Expr, v: &Expr) -> bool {
        let mut e = strip(e);
        while let syn::Expr::Await(a) = e {
            e = strip(&a.base);
        }
        if matches!(e, syn::Expr::Try(_)) {
            return false;
        }
        let Expr::Call(c) = v else { return false };
        c.callee
            .and_then(|id| self.ix.fns.get(id.0 as usize))
            .is_some_and(|f| match &f.sig.output {
                syn::ReturnType::Type(_, t) => type_head(t)
                    .is_some_and(|(p, _)| p.segments.last().is_some_and(|s| s.ident == "Result")),
                syn::ReturnType::Default => false,
            })
    }

    /// A returned value: the response it builds (in a handler, any value is one), then
    /// the exit.
    fn ret(&mut self, fx: &mut Fx, e: &syn::Expr, out: &mut Vec<Stmt>, sp: Span) {
        let (is_err, inner) = match strip(e) {
            syn::Expr::Call(c) if c.args.len() == 1 && call_last(c) == Some("Err") => {
                (true, &c.args[0])
            }
            syn::Expr::Call(c) if c.args.len() == 1 && call_last(c) == Some("Ok") => {
                (false, &c.args[0])
            }
            other => (false, other),
        };
        match self.response(fx, inner) {
            Some(r) if !is_err || r.status.is_some() => {
                out.push(stmt(StmtKind::Respond(r), sp));
                out.push(stmt(StmtKind::Return(None), sp));
            }
            _ if fx.handler && !is_err => {
                let payload = self.expr(fx, inner);
                out.push(stmt(
                    StmtKind::Respond(Respond {
                        method: "body".into(),
                        status: None,
                        payload: Some(payload),
                        sends: true,
                    }),
                    sp,
                ));
                out.push(stmt(StmtKind::Return(None), sp));
            }
            _ => {
                let v = self.expr(fx, e);
                out.push(stmt(StmtKind::Return(Some(v)), sp));
            }
        }
    }

    /// The response an expression builds, when it visibly builds one.
    fn response(&mut self, fx: &mut Fx, e: &syn::Expr) -> Option<Respond> {
        let resp = |method: &str, status: Option<u16>, payload: Option<Expr>| Respond {
            method: method.into(),
            status,
            payload,
            sends: true,
        };
        if let Some(r) = self.actix_response(fx, e) {
            return Some(r);
        }
        match strip(e) {
            syn::Expr::Call(c) => {
                let last = call_last(c)?;
                match last {
                    "Json" | "Html" | "Form" if c.args.len() == 1 => {
                        let p = self.expr(fx, &c.args[0]);
                        Some(resp(&last.to_ascii_lowercase(), None, Some(p)))
                    }
                    "Ok" if c.args.len() == 1 => self.response(fx, &c.args[0]),
                    "from_u16" => {
                        let code = c.args.first().and_then(lit_int)?;
                        Some(resp("status", Some(code), None))
                    }
                    "to" | "temporary" | "permanent" | "see_other" if path_has(c, "Redirect") => {
                        let p = c.args.first().map(|a| self.expr(fx, a));
                        let status = match last {
                            "temporary" => 307,
                            "permanent" => 308,
                            _ => 303,
                        };
                        Some(resp("redirect", Some(status), p))
                    }
                    _ => None,
                }
            }
            syn::Expr::Path(p) => {
                let segs = path_segs(&p.path);
                let code = status_code(&segs)?;
                Some(resp("status", Some(code), None))
            }
            syn::Expr::Tuple(t) => {
                let mut status = None;
                let mut payloads = Vec::new();
                for (i, el) in t.elems.iter().enumerate() {
                    if i == 0
                        && let Some(r) = self.response(fx, el)
                        && r.method == "status"
                    {
                        status = r.status;
                        continue;
                    }
                    match self.response(fx, el) {
                        Some(r) => payloads.extend(r.payload),
                        None => payloads.push(self.expr(fx, el)),
                    }
                }
                let payload = match payloads.len() {
                    0 => None,
                    1 => payloads.pop(),
                    _ => Some(Expr::Array(payloads)),
                };
                Some(resp(
                    if status.is_some() { "status" } else { "body" },
                    status,
                    payload,
                ))
            }
            syn::Expr::MethodCall(m) if m.method == "into_response" || m.method == "into" => {
                match self.response(fx, &m.receiver) {
                    Some(r) => Some(r),
                    None if m.method == "into_response" => {
                        let p = self.expr(fx, &m.receiver);
                        Some(resp("into_response", None, Some(p)))
                    }
                    None => None,
                }
            }
            _ => None,
        }
    }

    /// `match call() { Ok(v) => A, Err(e) => B }`: the `Err` arm handles the call's
    /// failure, so it is lowered as `try { let v = call(); A } catch (e) { B }` and what the
    /// error carries is tracked (spec-v1 §7 `malformed_input_rejected`).
    fn match_result(
        &mut self,
        fx: &mut Fx,
        m: &syn::ExprMatch,
        sink: Sink,
        out: &mut Vec<Stmt>,
        sp: Span,
    ) -> bool {
        let mut inner = strip(&m.expr);
        while let syn::Expr::Await(a) = inner {
            inner = strip(&a.base);
        }
        if !matches!(inner, syn::Expr::Call(_) | syn::Expr::MethodCall(_)) || m.arms.len() != 2 {
            return false;
        }
        let arm_of = |want: &str| {
            m.arms.iter().find(|a| match &a.pat {
                syn::Pat::TupleStruct(t) => {
                    t.elems.len() == 1 && t.path.segments.last().is_some_and(|s| s.ident == want)
                }
                _ => false,
            })
        };
        let (Some(ok), Some(err)) = (arm_of("Ok"), arm_of("Err")) else {
            return false;
        };
        let inner_pat = |a: &syn::Arm| match &a.pat {
            syn::Pat::TupleStruct(t) => t.elems[0].clone(),
            p => p.clone(),
        };
        let v = self.expr(fx, &m.expr);
        let tmp = self.tmp(fx);
        let mut body = vec![stmt(
            StmtKind::Let {
                name: tmp.clone(),
                value: v,
            },
            sp,
        )];
        bind_arm(&inner_pat(ok), Expr::Local(tmp), &mut body, sp);
        self.into(fx, &ok.body, sink.clone(), &mut body);
        let catch_param = match inner_pat(err) {
            syn::Pat::Ident(i) => Some(i.ident.to_string()),
            _ => Some("_".to_string()),
        };
        let mut catch_body = Vec::new();
        self.into(fx, &err.body, sink, &mut catch_body);
        out.push(stmt(
            StmtKind::Try {
                body,
                catch_param,
                catch_body,
                finally_body: Vec::new(),
            },
            sp,
        ));
        true
    }

    fn match_(
        &mut self,
        fx: &mut Fx,
        m: &syn::ExprMatch,
        sink: Sink,
        out: &mut Vec<Stmt>,
        sp: Span,
    ) {
        if self.match_result(fx, m, sink.clone(), out, sp) {
            return;
        }
        let scrut = self.expr(fx, &m.expr);
        let s = match scrut {
            Expr::Local(n) => n,
            other => {
                let n = self.tmp(fx);
                out.push(stmt(
                    StmtKind::Let {
                        name: n.clone(),
                        value: other,
                    },
                    sp,
                ));
                n
            }
        };
        let mut rest: Vec<Stmt> = Vec::new();
        for arm in m.arms.iter().rev() {
            let asp = span_of(fx.file, arm.span());
            let (pat, guard) = match &arm.pat {
                syn::Pat::Guard(g) => (&*g.pat, Some(&*g.guard)),
                p => (p, None),
            };
            let mut body = Vec::new();
            bind_arm(pat, Expr::Local(s.clone()), &mut body, asp);
            self.into(fx, &arm.body, sink.clone(), &mut body);
            let pol = polarity(pat);
            let guard = guard.map(|g| {
                let mut pre = Vec::new();
                let mut binds = Vec::new();
                self.cond(fx, g, &mut pre, &mut binds)
            });
            let cond = match (pol, guard) {
                (Pol::Wild, None) => {
                    rest = body;
                    continue;
                }
                (Pol::Wild, Some(g)) => g,
                (p, None) => pol_cond(p, Expr::Local(s.clone())),
                (p, Some(g)) => {
                    Cond::And(Box::new(pol_cond(p, Expr::Local(s.clone()))), Box::new(g))
                }
            };
            rest = vec![stmt(
                StmtKind::If {
                    cond,
                    then_branch: body,
                    else_branch: rest,
                },
                asp,
            )];
        }
        out.extend(rest);
    }

    /// A condition; `if let` bindings go to `binds` (the start of the true branch) and the
    /// scrutinee's evaluation to `pre`.
    fn cond(
        &mut self,
        fx: &mut Fx,
        e: &syn::Expr,
        pre: &mut Vec<Stmt>,
        binds: &mut Vec<Stmt>,
    ) -> Cond {
        match e {
            syn::Expr::Paren(p) => self.cond(fx, &p.expr, pre, binds),
            syn::Expr::Unary(u) if matches!(u.op, syn::UnOp::Not(_)) => {
                Cond::Not(Box::new(self.cond(fx, &u.expr, pre, binds)))
            }
            syn::Expr::Binary(b) => match b.op {
                syn::BinOp::And(_) => Cond::And(
                    Box::new(self.cond(fx, &b.left, pre, binds)),
                    Box::new(self.cond(fx, &b.right, pre, binds)),
                ),
                syn::BinOp::Or(_) => Cond::Or(
                    Box::new(self.cond(fx, &b.left, pre, binds)),
                    Box::new(self.cond(fx, &b.right, pre, binds)),
                ),
                syn::BinOp::Eq(_) | syn::BinOp::Ne(_) => {
                    let negated = matches!(b.op, syn::BinOp::Ne(_));
                    let (val, lit) = match (literal(&b.left), literal(&b.right)) {
                        (_, Some(l)) => (&b.left, l),
                        (Some(l), _) => (&b.right, l),
                        _ => {
                            let v = self.expr(fx, e);
                            return Cond::Expr(v);
                        }
                    };
                    let value = self.expr(fx, val);
                    match lit {
                        Literal::Bool(t) => {
                            let c = Cond::Expr(value);
                            if t != negated {
                                c
                            } else {
                                Cond::Not(Box::new(c))
                            }
                        }
                        literal => Cond::Compare {
                            value,
                            literal,
                            negated,
                        },
                    }
                }
                _ => Cond::Expr(self.expr(fx, e)),
            },
            syn::Expr::MethodCall(m)
                if m.args.is_empty()
                    && matches!(m.method.to_string().as_str(), "is_err" | "is_none") =>
            {
                Cond::Not(Box::new(self.cond(fx, &m.receiver, pre, binds)))
            }
            syn::Expr::Let(l) => {
                let v = self.expr(fx, &l.expr);
                let sp = span_of(fx.file, l.span());
                let local = match v {
                    Expr::Local(n) => n,
                    other => {
                        let n = self.tmp(fx);
                        pre.push(stmt(
                            StmtKind::Let {
                                name: n.clone(),
                                value: other,
                            },
                            sp,
                        ));
                        n
                    }
                };
                bind_arm(&l.pat, Expr::Local(local.clone()), binds, sp);
                match polarity(&l.pat) {
                    Pol::Wild => Cond::Expr(Expr::Unknown(vec![Expr::Local(local)])),
                    p => pol_cond(p, Expr::Local(local)),
                }
            }
            _ => Cond::Expr(self.expr(fx, e)),
        }
    }

    fn expr(&mut self, fx: &mut Fx, e: &syn::Expr) -> Expr {
        match e {
            syn::Expr::Lit(l) => lit(&l.lit)
                .map(Expr::Literal)
                .unwrap_or(Expr::Unknown(vec![])),
            syn::Expr::Path(p) => match p.path.get_ident() {
                Some(i) => Expr::Local(i.to_string()),
                None => Expr::Unknown(Vec::new()),
            },
            syn::Expr::Field(f) => {
                let key = match &f.member {
                    syn::Member::Named(n) => n.to_string(),
                    syn::Member::Unnamed(i) => i.index.to_string(),
                };
                field(self.expr(fx, &f.base), &key)
            }
            syn::Expr::Paren(p) => self.expr(fx, &p.expr),
            syn::Expr::Group(g) => self.expr(fx, &g.expr),
            syn::Expr::Reference(r) => self.expr(fx, &r.expr),
            syn::Expr::Try(t) => self.expr(fx, &t.expr),
            syn::Expr::Unary(u) if matches!(u.op, syn::UnOp::Deref(_)) => self.expr(fx, &u.expr),
            syn::Expr::Unary(u) => Expr::Unknown(vec![self.expr(fx, &u.expr)]),
            syn::Expr::Await(a) => match self.expr(fx, &a.base) {
                Expr::Call(mut c) => {
                    c.awaited = true;
                    Expr::Call(c)
                }
                other => Expr::Await(Box::new(other)),
            },
            syn::Expr::Binary(b) => {
                Expr::Unknown(vec![self.expr(fx, &b.left), self.expr(fx, &b.right)])
            }
            syn::Expr::Cast(c) => Expr::Typed {
                value: Box::new(self.expr(fx, &c.expr)),
                ty: type_text(&c.ty),
            },
            syn::Expr::Struct(s) => Expr::Object {
                fields: s
                    .fields
                    .iter()
                    .map(|f| {
                        let key = match &f.member {
                            syn::Member::Named(n) => n.to_string(),
                            syn::Member::Unnamed(i) => i.index.to_string(),
                        };
                        (key, self.expr(fx, &f.expr))
                    })
                    .collect(),
                spreads: s.rest.iter().map(|r| self.expr(fx, r)).collect(),
            },
            syn::Expr::Tuple(t) => Expr::Array(t.elems.iter().map(|x| self.expr(fx, x)).collect()),
            syn::Expr::Array(t) => Expr::Array(t.elems.iter().map(|x| self.expr(fx, x)).collect()),
            syn::Expr::Index(i) => field(self.expr(fx, &i.expr), "*"),
            syn::Expr::Closure(c) => Expr::Function(self.closure(
                fx,
                c.inputs.iter().cloned().collect(),
                &c.body,
                c.asyncness.is_some(),
                c.span(),
            )),
            syn::Expr::Async(a) => {
                let body = syn::Expr::Block(syn::ExprBlock {
                    attrs: Vec::new(),
                    label: None,
                    block: a.block.clone(),
                });
                Expr::Function(self.closure(fx, Vec::new(), &body, true, a.span()))
            }
            syn::Expr::MethodCall(m) => self.method_call(fx, m),
            syn::Expr::Call(c) => self.call(fx, c),
            syn::Expr::Macro(m) => {
                let sp = span_of(fx.file, m.span());
                self.macro_expr(fx, &m.mac, sp)
            }
            syn::Expr::If(_) | syn::Expr::Match(_) | syn::Expr::Block(_) | syn::Expr::Unsafe(_) => {
                // Control flow inside an expression: its calls still count where written.
                let mut body = Vec::new();
                self.into(fx, e, Sink::Return, &mut body);
                let id = self.push_stmts(fx, body, e.span());
                Expr::Call(Box::new(Call {
                    names: Vec::new(),
                    callee: Some(id),
                    receiver: None,
                    args: Vec::new(),
                    awaited: false,
                    is_new: false,
                    text: "<block>".into(),
                    span: span_of(fx.file, e.span()),
                }))
            }
            _ => Expr::Unknown(Vec::new()),
        }
    }

    /// A function for a closure or async block, lowered later by [`Lowerer::function`].
    fn closure(
        &mut self,
        fx: &Fx,
        inputs: Vec<syn::Pat>,
        body: &syn::Expr,
        is_async: bool,
        sp: proc_macro2::Span,
    ) -> FnId {
        let id = FnId((self.ix.fns.len() + self.extra.len()) as u32);
        self.extra.push(ExtraFn {
            module: fx.module.clone(),
            file: fx.file,
            self_ty: fx.self_ty.clone(),
            inputs,
            body: body.clone(),
            is_async,
            span: span_of(fx.file, sp),
            lowered: None,
        });
        id
    }

    /// A function holding already-lowered statements (a `match` used as a value).
    fn push_stmts(&mut self, fx: &Fx, body: Vec<Stmt>, sp: proc_macro2::Span) -> FnId {
        let id = FnId((self.ix.fns.len() + self.extra.len()) as u32);
        self.extra.push(ExtraFn {
            module: fx.module.clone(),
            file: fx.file,
            self_ty: fx.self_ty.clone(),
            inputs: Vec::new(),
            body: syn::Expr::Verbatim(TokenStream::new()),
            is_async: false,
            span: span_of(fx.file, sp),
            lowered: Some(body),
        });
        id
    }

    fn method_call(&mut self, fx: &mut Fx, m: &syn::ExprMethodCall) -> Expr {
        let name = m.method.to_string();
        let recv = self.expr(fx, &m.receiver);
        if TRANSPARENT.contains(&name.as_str()) {
            // Closures passed to adapters still run where written.
            let fns: Vec<Expr> = m
                .args
                .iter()
                .filter(|a| matches!(a, syn::Expr::Closure(_)))
                .map(|a| self.expr(fx, a))
                .collect();
            if fns.is_empty() {
                return recv;
            }
            let mut items = vec![recv];
            items.extend(fns);
            return Expr::Unknown(items);
        }
        let sp = crate::method_span(fx.file, m);
        // `next.run(req)` in a `from_fn` middleware: the chain goes on.
        if is_next_run(m) {
            return Expr::Unknown(Vec::new());
        }
        let mut names = Vec::new();
        if let Some(mut segs) = receiver_path(&recv) {
            if segs.first().map(String::as_str) == Some("self") {
                segs.remove(0);
                if segs.is_empty()
                    && let Some(t) = &fx.self_ty
                {
                    names.push(name.clone());
                    names.push(format!("{t}.{name}"));
                }
            }
            if names.is_empty() {
                segs.push(name.clone());
                names.push(segs.join("."));
            }
        } else {
            names.push(name.clone());
        }
        // `parts.extract::<CurrentUser>()` runs that extractor.
        if let Some(t) = &m.turbofish
            && name.starts_with("extract")
        {
            for g in &t.args {
                if let syn::GenericArgument::Type(ty) = g
                    && let Some((p, _)) = type_head(ty)
                {
                    names.extend(
                        self.ix
                            .names(&fx.module, &path_segs(p), fx.self_ty.as_deref()),
                    );
                }
            }
        }
        let callee = match &recv {
            Expr::Local(n) if n == "self" => self.ix.resolve_fn(
                &fx.module,
                &["Self".to_string(), name.clone()],
                fx.self_ty.as_deref(),
            ),
            _ => None,
        };
        let args = m.args.iter().map(|a| self.expr(fx, a)).collect();
        let text = names[0].clone();
        Expr::Call(Box::new(Call {
            names,
            callee,
            receiver: Some(recv),
            args,
            awaited: false,
            is_new: false,
            text,
            span: sp,
        }))
    }

    fn call(&mut self, fx: &mut Fx, c: &syn::ExprCall) -> Expr {
        let args: Vec<Expr> = c.args.iter().map(|a| self.expr(fx, a)).collect();
        let syn::Expr::Path(p) = strip(&c.func) else {
            let mut items = vec![self.expr(fx, &c.func)];
            items.extend(args);
            return Expr::Unknown(items);
        };
        let segs = path_segs(&p.path);
        let last = segs.last().cloned().unwrap_or_default();
        let callee = self.ix.resolve_fn(&fx.module, &segs, fx.self_ty.as_deref());
        if callee.is_none() {
            let wrapper = WRAPPERS.contains(&last.as_str())
                || (last == "new" || last == "from")
                    && segs.len() >= 2
                    && WRAPPERS.contains(&segs[segs.len() - 2].as_str());
            if wrapper && args.len() == 1 {
                return args.into_iter().next().unwrap();
            }
            if last == "Err" || last == "None" {
                return Expr::Unknown(args);
            }
        }
        // `Path::<(A, B)>::from_request_parts(parts, state)`: the route parameters.
        if last == "from_request_parts" && segs.len() >= 2 && segs[segs.len() - 2] == "Path" {
            let ty = p
                .path
                .segments
                .iter()
                .rev()
                .nth(1)
                .and_then(|s| match &s.arguments {
                    syn::PathArguments::AngleBracketed(a) => a.args.iter().find_map(|g| match g {
                        syn::GenericArgument::Type(t) => Some(t.clone()),
                        _ => None,
                    }),
                    _ => None,
                });
            let mut ignore = Vec::new();
            let sp = span_of(fx.file, c.span());
            return self.path_value(fx, None, ty.as_ref(), &mut ignore, sp);
        }
        let mut names = self.ix.names(&fx.module, &segs, fx.self_ty.as_deref());
        // `RequireMember::from_request_parts(..)` runs the extractor `RequireMember`.
        if matches!(last.as_str(), "from_request_parts" | "from_request") && segs.len() >= 2 {
            names.extend(
                self.ix
                    .names(&fx.module, &segs[..segs.len() - 1], fx.self_ty.as_deref()),
            );
        }
        let sp = span_of(fx.file, c.span());
        let text = names.first().cloned().unwrap_or_default();
        Expr::Call(Box::new(Call {
            names,
            callee,
            receiver: None,
            args,
            awaited: false,
            is_new: false,
            text,
            span: sp,
        }))
    }

    /// A macro in statement position: exits (`ensure!`, `bail!`, `panic!`) or a value.
    fn macro_stmt(&mut self, fx: &mut Fx, mac: &syn::Macro, sp: Span, out: &mut Vec<Stmt>) {
        let segs = path_segs(&mac.path);
        let last = segs.last().map(String::as_str).unwrap_or("");
        let parts = split_args(mac.tokens.clone());
        match last {
            "ensure" | "assert" | "debug_assert" if !parts.is_empty() => {
                let c = match syn::parse2::<syn::Expr>(parts[0].clone()) {
                    Ok(e) => {
                        let mut pre = Vec::new();
                        let mut binds = Vec::new();
                        let c = self.cond(fx, &e, &mut pre, &mut binds);
                        out.extend(pre);
                        c
                    }
                    Err(_) => Cond::Expr(Expr::Unknown(Vec::new())),
                };
                let err: Vec<Expr> = parts[1..]
                    .iter()
                    .filter_map(|t| self.token_expr(fx, t.clone()))
                    .collect();
                let exit = if last == "ensure" {
                    StmtKind::Return(Some(Expr::Unknown(err)))
                } else {
                    StmtKind::Throw(Expr::Unknown(err))
                };
                out.push(stmt(
                    StmtKind::If {
                        cond: Cond::Not(Box::new(c)),
                        then_branch: vec![stmt(exit, sp)],
                        else_branch: Vec::new(),
                    },
                    sp,
                ));
            }
            "bail" => {
                let v = self.macro_expr(fx, mac, sp);
                out.push(stmt(StmtKind::Return(Some(v)), sp));
            }
            "panic" | "todo" | "unimplemented" | "unreachable" => {
                let v = self.macro_expr(fx, mac, sp);
                out.push(stmt(StmtKind::Throw(v), sp));
            }
            _ => {
                let v = self.macro_expr(fx, mac, sp);
                if !matches!(v, Expr::Unknown(ref x) if x.is_empty()) {
                    out.push(stmt(StmtKind::Expr(v), sp));
                }
            }
        }
    }

    /// A macro as a value. Log macros (`tracing`, `log`) and unknown macros are calls named
    /// by the macro's path (spec-v1 §4: the `!` is ignored), with their field captures.
    fn macro_expr(&mut self, fx: &mut Fx, mac: &syn::Macro, sp: Span) -> Expr {
        let segs = path_segs(&mac.path);
        let last = segs.last().cloned().unwrap_or_default();
        match last.as_str() {
            "vec" => {
                let items = split_args(mac.tokens.clone())
                    .into_iter()
                    .filter_map(|t| self.token_expr(fx, t))
                    .collect();
                return Expr::Array(items);
            }
            "json" => return self.json(fx, mac.tokens.clone()),
            "format" | "format_args" | "concat" | "stringify" => {
                return Expr::Template(self.log_args(fx, mac.tokens.clone()));
            }
            "matches" => {
                let items = split_args(mac.tokens.clone())
                    .into_iter()
                    .take(1)
                    .filter_map(|t| self.token_expr(fx, t))
                    .collect();
                return Expr::Unknown(items);
            }
            _ => {}
        }
        let args = if LOG_LEVELS.contains(&last.as_str())
            || last.ends_with("_span")
            || last.contains("print")
            || last.starts_with("write")
        {
            self.log_args(fx, mac.tokens.clone())
        } else {
            split_args(mac.tokens.clone())
                .into_iter()
                .filter_map(|t| self.token_expr(fx, t))
                .collect()
        };
        let names = self.ix.names(&fx.module, &segs, fx.self_ty.as_deref());
        let text = names.first().cloned().unwrap_or_default();
        Expr::Call(Box::new(Call {
            names,
            callee: None,
            receiver: None,
            args,
            awaited: false,
            is_new: false,
            text,
            span: sp,
        }))
    }

    fn token_expr(&mut self, fx: &mut Fx, t: TokenStream) -> Option<Expr> {
        syn::parse2::<syn::Expr>(t).ok().map(|e| self.expr(fx, &e))
    }

    /// The values a log or format macro captures: `name = ?value`, `%value`, `user.id`,
    /// positional arguments, and `{name}` inside the format string; `target:`,
    /// `parent:` and `Level::X` are not values.
    fn log_args(&mut self, fx: &mut Fx, tokens: TokenStream) -> Vec<Expr> {
        let mut out = Vec::new();
        for chunk in split_args(tokens) {
            let mut toks: Vec<TokenTree> = chunk.into_iter().collect();
            // `target: "x"` / `parent: span` / `name: "x"`
            if toks.len() >= 2
                && matches!(&toks[0], TokenTree::Ident(_))
                && matches!(&toks[1], TokenTree::Punct(p) if p.as_char() == ':' && p.spacing() == proc_macro2::Spacing::Alone)
            {
                continue;
            }
            // `field = value`
            if let Some(eq) = toks.iter().position(|t| matches!(t, TokenTree::Punct(p) if p.as_char() == '=' && p.spacing() == proc_macro2::Spacing::Alone))
            {
                let before = &toks[..eq];
                let prev_joint = eq > 0 && matches!(&toks[eq - 1], TokenTree::Punct(p) if matches!(p.as_char(), '=' | '!' | '<' | '>'));
                if !prev_joint && before.iter().all(|t| matches!(t, TokenTree::Ident(_)) || matches!(t, TokenTree::Punct(p) if p.as_char() == '.')) {
                    toks.drain(..=eq);
                }
            }
            if let Some(TokenTree::Punct(p)) = toks.first()
                && matches!(p.as_char(), '?' | '%')
            {
                toks.remove(0);
            }
            let ts: TokenStream = toks.into_iter().collect();
            let Ok(e) = syn::parse2::<syn::Expr>(ts) else {
                continue;
            };
            if let syn::Expr::Lit(syn::ExprLit {
                lit: syn::Lit::Str(s),
                ..
            }) = &e
            {
                out.push(Expr::Literal(Literal::String(s.value())));
                for name in inline_captures(&s.value()) {
                    let mut it = name.split('.');
                    let base = Expr::Local(it.next().unwrap_or_default().to_string());
                    let v = it.fold(base, field);
                    out.push(v);
                }
                continue;
            }
            if let syn::Expr::Path(p) = &e
                && p.path.segments.len() > 1
                && p.path.segments.iter().any(|s| s.ident == "Level")
            {
                continue;
            }
            out.push(self.expr(fx, &e));
        }
        out
    }

    /// `json!({"user": user, "items": [a, b]})` as an object.
    fn json(&mut self, fx: &mut Fx, tokens: TokenStream) -> Expr {
        let toks: Vec<TokenTree> = tokens.clone().into_iter().collect();
        if toks.len() == 1
            && let TokenTree::Group(g) = &toks[0]
        {
            match g.delimiter() {
                proc_macro2::Delimiter::Brace => {
                    let mut fields = Vec::new();
                    for chunk in split_args(g.stream()) {
                        let parts: Vec<TokenTree> = chunk.into_iter().collect();
                        let Some(colon) = parts
                            .iter()
                            .position(|t| matches!(t, TokenTree::Punct(p) if p.as_char() == ':'))
                        else {
                            continue;
                        };
                        let key: TokenStream = parts[..colon].iter().cloned().collect();
                        let key = syn::parse2::<syn::LitStr>(key.clone())
                            .map(|l| l.value())
                            .unwrap_or_else(|_| key.to_string());
                        let val: TokenStream = parts[colon + 1..].iter().cloned().collect();
                        fields.push((key, self.json(fx, val)));
                    }
                    return Expr::Object {
                        fields,
                        spreads: Vec::new(),
                    };
                }
                proc_macro2::Delimiter::Bracket => {
                    let items = split_args(g.stream())
                        .into_iter()
                        .map(|t| self.json(fx, t))
                        .collect();
                    return Expr::Array(items);
                }
                _ => {}
            }
        }
        self.token_expr(fx, tokens)
            .unwrap_or(Expr::Unknown(Vec::new()))
    }
}

/// `next.run(req)`: a `from_fn` middleware hands the request on.
fn is_next_run(m: &syn::ExprMethodCall) -> bool {
    m.method == "run" && matches!(strip(&m.receiver), syn::Expr::Path(p) if p.path.is_ident("next"))
        || actix::is_next_call(m)
}

fn has_next_run(e: &syn::Expr) -> bool {
    struct V(bool);
    impl<'a> syn::visit::Visit<'a> for V {
        fn visit_expr_method_call(&mut self, m: &'a syn::ExprMethodCall) {
            self.0 |= is_next_run(m);
            syn::visit::visit_expr_method_call(self, m);
        }
        fn visit_expr_closure(&mut self, _: &'a syn::ExprClosure) {}
    }
    let mut v = V(false);
    syn::visit::Visit::visit_expr(&mut v, e);
    v.0
}

/// Binds a pattern to a value: one `Let` per name, fields and positions as `Field`s.
fn bind(p: &syn::Pat, v: Expr, out: &mut Vec<Stmt>, sp: Span) {
    match p {
        syn::Pat::Ident(i) => out.push(stmt(
            StmtKind::Let {
                name: i.ident.to_string(),
                value: v,
            },
            sp,
        )),
        syn::Pat::Type(t) => {
            let v = Expr::Typed {
                value: Box::new(v),
                ty: type_text(&t.ty),
            };
            bind(&t.pat, v, out, sp)
        }
        syn::Pat::Reference(r) => bind(&r.pat, v, out, sp),
        syn::Pat::Paren(r) => bind(&r.pat, v, out, sp),
        syn::Pat::Tuple(t) => {
            for (i, e) in t.elems.iter().enumerate() {
                bind(e, field(v.clone(), &i.to_string()), out, sp);
            }
        }
        syn::Pat::TupleStruct(t) => {
            if t.elems.len() == 1 {
                bind(&t.elems[0], v, out, sp);
            } else {
                for (i, e) in t.elems.iter().enumerate() {
                    bind(e, field(v.clone(), &i.to_string()), out, sp);
                }
            }
        }
        syn::Pat::Struct(s) => {
            for f in &s.fields {
                let key = match &f.member {
                    syn::Member::Named(n) => n.to_string(),
                    syn::Member::Unnamed(i) => i.index.to_string(),
                };
                bind(&f.pat, field(v.clone(), &key), out, sp);
            }
        }
        _ => {}
    }
}

fn bind_arm(p: &syn::Pat, v: Expr, out: &mut Vec<Stmt>, sp: Span) {
    match p {
        syn::Pat::Ident(i) if is_binding(&i.ident.to_string()) => bind(p, v, out, sp),
        syn::Pat::TupleStruct(_) | syn::Pat::Struct(_) | syn::Pat::Tuple(_) => bind(p, v, out, sp),
        _ => {}
    }
}

fn stmt(kind: StmtKind, span: Span) -> Stmt {
    Stmt { kind, span }
}

fn part(p: &str) -> Expr {
    Expr::RequestPart {
        part: p.into(),
        path: Vec::new(),
    }
}

/// `base.key`, merging paths: `user.billing.iban` is one `Field`.
fn field(base: Expr, key: &str) -> Expr {
    match base {
        Expr::Field { base, mut path } => {
            path.push(key.to_string());
            Expr::Field { base, path }
        }
        Expr::RequestPart { part, mut path } => {
            path.push(key.to_string());
            Expr::RequestPart { part, path }
        }
        other => Expr::Field {
            base: Box::new(other),
            path: vec![key.to_string()],
        },
    }
}

/// The path of a receiver made of a local and fields (`state.reports`).
fn receiver_path(e: &Expr) -> Option<Vec<String>> {
    match e {
        Expr::Local(n) => Some(vec![n.clone()]),
        Expr::Field { base, path } => {
            let mut p = receiver_path(base)?;
            p.extend(path.iter().cloned());
            Some(p)
        }
        _ => None,
    }
}

fn strip_ty(t: &syn::Type) -> &syn::Type {
    match t {
        syn::Type::Paren(p) => strip_ty(&p.elem),
        syn::Type::Group(g) => strip_ty(&g.elem),
        syn::Type::Reference(r) => strip_ty(&r.elem),
        other => other,
    }
}

fn call_last(c: &syn::ExprCall) -> Option<&str> {
    match strip(&c.func) {
        syn::Expr::Path(p) => p.path.segments.last().map(|s| {
            // Lifetime of the ident string: compare via a small table instead.
            let name = s.ident.to_string();
            KNOWN.iter().copied().find(|k| *k == name).unwrap_or("")
        }),
        _ => None,
    }
}

/// Callee names [`call_last`] recognises.
const KNOWN: &[&str] = &[
    "Ok",
    "Err",
    "Json",
    "Html",
    "Form",
    "from_u16",
    "to",
    "temporary",
    "permanent",
    "see_other",
];

fn path_has(c: &syn::ExprCall, seg: &str) -> bool {
    matches!(strip(&c.func), syn::Expr::Path(p) if p.path.segments.iter().any(|s| s.ident == seg))
}

fn lit_int(e: &syn::Expr) -> Option<u16> {
    match strip(e) {
        syn::Expr::Lit(syn::ExprLit {
            lit: syn::Lit::Int(i),
            ..
        }) => i.base10_parse().ok(),
        _ => None,
    }
}

fn lit(l: &syn::Lit) -> Option<Literal> {
    Some(match l {
        syn::Lit::Str(s) => Literal::String(s.value()),
        syn::Lit::Int(i) => Literal::Number(i.base10_parse::<f64>().ok()?),
        syn::Lit::Float(f) => Literal::Number(f.base10_parse::<f64>().ok()?),
        syn::Lit::Bool(b) => Literal::Bool(b.value),
        syn::Lit::Char(c) => Literal::String(c.value().to_string()),
        _ => return None,
    })
}

fn literal(e: &syn::Expr) -> Option<Literal> {
    match strip(e) {
        syn::Expr::Lit(l) => lit(&l.lit),
        syn::Expr::Path(p) if p.path.is_ident("None") => Some(Literal::Null),
        _ => None,
    }
}

/// `StatusCode::FORBIDDEN` → 403.
fn status_code(segs: &[String]) -> Option<u16> {
    if segs.len() < 2 || segs[segs.len() - 2] != "StatusCode" {
        return None;
    }
    Some(match segs.last()?.as_str() {
        "OK" => 200,
        "CREATED" => 201,
        "ACCEPTED" => 202,
        "NO_CONTENT" => 204,
        "MOVED_PERMANENTLY" => 301,
        "FOUND" => 302,
        "SEE_OTHER" => 303,
        "NOT_MODIFIED" => 304,
        "TEMPORARY_REDIRECT" => 307,
        "PERMANENT_REDIRECT" => 308,
        "BAD_REQUEST" => 400,
        "UNAUTHORIZED" => 401,
        "PAYMENT_REQUIRED" => 402,
        "FORBIDDEN" => 403,
        "NOT_FOUND" => 404,
        "METHOD_NOT_ALLOWED" => 405,
        "CONFLICT" => 409,
        "GONE" => 410,
        "PAYLOAD_TOO_LARGE" => 413,
        "UNSUPPORTED_MEDIA_TYPE" => 415,
        "UNPROCESSABLE_ENTITY" => 422,
        "TOO_MANY_REQUESTS" => 429,
        "INTERNAL_SERVER_ERROR" => 500,
        "NOT_IMPLEMENTED" => 501,
        "BAD_GATEWAY" => 502,
        "SERVICE_UNAVAILABLE" => 503,
        _ => return None,
    })
}

/// Which side of a truth test a pattern matches: `Ok(..)`/`Some(..)`/`true` the true side.
fn polarity(p: &syn::Pat) -> Pol {
    let last = |path: &syn::Path| path.segments.last().map(|s| s.ident.to_string());
    match p {
        syn::Pat::TupleStruct(t) => match last(&t.path).as_deref() {
            Some("Ok" | "Some") => Pol::Pos,
            Some("Err") => Pol::Neg,
            _ => Pol::Unknown,
        },
        syn::Pat::Path(pp) => match last(&pp.path).as_deref() {
            Some("None") => Pol::Neg,
            _ => Pol::Unknown,
        },
        syn::Pat::Ident(i) => {
            let n = i.ident.to_string();
            if n == "None" {
                Pol::Neg
            } else if is_binding(&n) {
                Pol::Wild
            } else {
                Pol::Unknown
            }
        }
        syn::Pat::Wild(_) => Pol::Wild,
        syn::Pat::Lit(l) => match lit(&l.lit) {
            Some(Literal::Bool(true)) => Pol::Pos,
            Some(Literal::Bool(false)) => Pol::Neg,
            Some(l) => Pol::Lit(l),
            None => Pol::Unknown,
        },
        syn::Pat::Type(t) => polarity(&t.pat),
        syn::Pat::Paren(t) => polarity(&t.pat),
        _ => Pol::Unknown,
    }
}

fn pol_cond(p: Pol, v: Expr) -> Cond {
    match p {
        Pol::Pos | Pol::Wild => Cond::Expr(v),
        Pol::Neg => Cond::Not(Box::new(Cond::Expr(v))),
        Pol::Lit(literal) => Cond::Compare {
            value: v,
            literal,
            negated: false,
        },
        Pol::Unknown => Cond::Expr(Expr::Unknown(vec![v])),
    }
}

/// A lower-case identifier pattern binds; an upper-case one is a constant or variant.
fn is_binding(n: &str) -> bool {
    n.chars()
        .next()
        .is_some_and(|c| c.is_lowercase() || c == '_')
}

/// Splits a macro's tokens at top-level commas.
fn split_args(tokens: TokenStream) -> Vec<TokenStream> {
    let mut out = Vec::new();
    let mut cur = Vec::new();
    for t in tokens {
        if matches!(&t, TokenTree::Punct(p) if p.as_char() == ',') {
            out.push(cur.drain(..).collect());
        } else {
            cur.push(t);
        }
    }
    if !cur.is_empty() {
        out.push(cur.into_iter().collect());
    }
    out
}

/// `{user}`, `{user:?}`, `{a.b}` in a format string (`{{` escapes, `{0}`/`{}` skipped).
fn inline_captures(s: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut chars = s.chars().peekable();
    while let Some(c) = chars.next() {
        if c != '{' {
            continue;
        }
        if chars.peek() == Some(&'{') {
            chars.next();
            continue;
        }
        let mut name = String::new();
        for c in chars.by_ref() {
            if c == '}' || c == ':' {
                break;
            }
            name.push(c);
        }
        let name = name.trim().to_string();
        if name
            .chars()
            .next()
            .is_some_and(|c| c.is_alphabetic() || c == '_')
        {
            out.push(name);
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn format_string_captures() {
        assert_eq!(
            inline_captures("user {user:?} {{x}} {0} {} {a_b}"),
            vec!["user", "a_b"]
        );
    }
}
