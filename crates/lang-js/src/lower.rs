//! Lowering of function bodies to the model's structured statements and expressions
//! (spec-v1 §4 call names, §6 exits and responses): `req.params.x` becomes a route
//! parameter, `res.status(403).send()` a response event, `next(err)` an exit, `&&`/`||`/`!`
//! a condition tree, and every call carries its names and, when it is a project function,
//! its `FnId`.

use crate::eval::{Ev, Val};
use crate::index::{BindKind, FileInfo, Store, import_of, path_in_pattern};
use crate::syntax::NodeExt;
use crate::syntax::{self, callee_path, is_function, is_scope, span, string_value, strip, text};
use secprop_model::{Call, Cond, Expr, FnId, Function, Literal, Param, Respond, Stmt, StmtKind};
use std::collections::{HashMap, HashSet};
use tree_sitter::Node;

/// Methods of the Express response whose call sends or shapes a response.
const RES_METHODS: &[&str] = &[
    "status",
    "sendStatus",
    "send",
    "json",
    "jsonp",
    "end",
    "redirect",
    "render",
    "sendFile",
    "download",
    "cookie",
    "clearCookie",
    "set",
    "header",
    "append",
    "type",
    "contentType",
    "location",
    "attachment",
    "vary",
    "links",
    "format",
    "setHeader",
    "writeHead",
    "write",
];

/// Lowers every function of one file.
pub(crate) fn lower_file<'a>(store: &Store<'a>, file: usize) -> Vec<Function> {
    let fi = &store.files[file];
    let mut lw = Lw::new(store, file);
    fi.fns
        .iter()
        .enumerate()
        .map(|(i, node)| lw.function(FnId(fi.fn_base + i as u32), *node))
        .collect()
}

/// Lowers the bodies of `roots` and of every function they reach through `Call.callee`
/// and inline callbacks (`Expr::Function`), transitively, into `functions` (which holds
/// every function's signature); all other bodies stay empty. Used by the route listing:
/// a chain element that is a project middleware is matched as a guard by analysing its
/// body and its callees (spec-v1 §6), and nothing else needs a body there.
///
/// Each body is exactly what [`lower_file`] gives it: lowering a function reads one piece
/// of state left by earlier functions of its file, the request aliases of the functions
/// it is written in, so those enclosing functions are lowered first (their bodies are
/// then dropped unless they are reachable themselves).
pub(crate) fn lower_reachable(
    store: &Store<'_>,
    roots: impl IntoIterator<Item = FnId>,
    functions: &mut [Function],
) {
    let mut lowerers: HashMap<usize, Lw<'_, '_>> = HashMap::new();
    // Functions lowered and not yet placed (enclosing ones that may be reached later).
    let mut lowered: HashMap<FnId, Function> = HashMap::new();
    let mut done: HashSet<FnId> = HashSet::new();
    let mut reached: HashSet<FnId> = HashSet::new();
    let mut work: Vec<FnId> = roots.into_iter().collect();
    while let Some(id) = work.pop() {
        if !reached.insert(id) {
            continue;
        }
        lower_with_enclosing(store, id, &mut lowerers, &mut lowered, &mut done);
        let Some(f) = lowered.remove(&id) else {
            continue;
        };
        secprop_model::walk_exprs(&f.body, &mut |e| match e {
            Expr::Call(c) => work.extend(c.callee),
            Expr::Function(fid) => work.push(*fid),
            _ => {}
        });
        if let Some(slot) = functions.get_mut(id.0 as usize) {
            *slot = f;
        }
    }
}

/// Lowers `id` into `lowered` after the functions enclosing it (see [`lower_reachable`]),
/// unless it is in `done`; ids that are no function of the store are ignored.
fn lower_with_enclosing<'s, 'a>(
    store: &'s Store<'a>,
    id: FnId,
    lowerers: &mut HashMap<usize, Lw<'s, 'a>>,
    lowered: &mut HashMap<FnId, Function>,
    done: &mut HashSet<FnId>,
) {
    if done.contains(&id) {
        return;
    }
    let Some((file, node)) = store.fn_node(id) else {
        return;
    };
    done.insert(id);
    let fi = &store.files[file];
    let local = (id.0 - fi.fn_base) as usize;
    // Outer functions first, as in document order; each is lowered once.
    let enclosing: Vec<FnId> = fi.fn_scopes[local]
        .iter()
        .filter(|s| is_function(s.k()))
        .filter_map(|s| fi.fn_id(*s))
        .filter(|e| *e != id)
        .collect();
    for e in enclosing {
        lower_with_enclosing(store, e, lowerers, lowered, done);
    }
    let lw = lowerers.entry(file).or_insert_with(|| Lw::new(store, file));
    lowered.insert(id, lw.function(id, node));
}

/// The functions of one file with their signatures only (empty bodies), for scans that
/// list routes and need no analysis.
pub(crate) fn signatures(store: &Store<'_>, file: usize) -> Vec<Function> {
    let fi = &store.files[file];
    fi.fns
        .iter()
        .enumerate()
        .map(|(i, node)| {
            let params = syntax::params(*node)
                .into_iter()
                .enumerate()
                .map(|(i, p)| {
                    let (pat, ty) = syntax::param_parts(p);
                    Param {
                        name: if pat.k() == "identifier" {
                            text(pat, fi.src).to_string()
                        } else {
                            format!("$arg{i}")
                        },
                        ty: ty.map(|t| syntax::type_text(t, fi.src)),
                    }
                })
                .collect();
            Function {
                id: FnId(fi.fn_base + i as u32),
                name: fi.fn_names[i].clone(),
                span: span(fi.id, fi.src, *node),
                is_async: syntax::is_async(*node),
                params,
                return_type: node
                    .field("return_type")
                    .map(|t| syntax::type_text(t, fi.src)),
                body: Vec::new(),
            }
        })
        .collect()
}

struct Lw<'s, 'a> {
    ev: Ev<'s, 'a>,
    store: &'s Store<'a>,
    fi: &'s FileInfo<'a>,
    file: usize,
    src: &'a str,
    scopes: Vec<Node<'a>>,
    req: Vec<String>,
    res: Vec<String>,
    next: Vec<String>,
    tmp: u32,
    pending_status: Option<u16>,
    /// Locals bound to a part of the request (`const p = req.params`): reading `p.id`
    /// is then lowered as the route parameter itself.
    req_aliases: Vec<(String, Expr)>,
    /// Current nesting of the recursive lowering (see `MAX_NESTING`).
    depth: u32,
    /// The aliases each lowered function ended with, for the callbacks inside it
    /// (functions are lowered outer first).
    fn_aliases: std::collections::HashMap<usize, Vec<(String, Expr)>>,
}

/// Names of a handler's request, response and `next` parameters, by position and name
/// (or TypeScript type): `(req, res, next)`, `(err, req, res, next)`.
fn roles(func: Node<'_>, src: &str) -> (Option<String>, Option<String>, Option<String>) {
    let ps = syntax::params(func);
    let info: Vec<(String, String, bool)> = ps
        .iter()
        .enumerate()
        .map(|(i, p)| {
            let (pat, ty) = syntax::param_parts(*p);
            let ty = ty.map(|t| syntax::type_text(t, src)).unwrap_or_default();
            if pat.k() == "identifier" {
                (text(pat, src).to_string(), ty, true)
            } else {
                (format!("$arg{i}"), ty, false)
            }
        })
        .collect();
    let is_req = |(n, t, _): &(String, String, bool)| {
        matches!(n.as_str(), "req" | "request" | "_req" | "rq")
            || (t.contains("Request") && !t.contains("Response"))
    };
    let is_res = |(n, t, _): &(String, String, bool)| {
        matches!(n.as_str(), "res" | "response" | "_res" | "reply" | "resp")
            || t.contains("Response")
    };
    let is_next = |(n, t, _): &(String, String, bool)| {
        matches!(n.as_str(), "next" | "_next") || t.contains("NextFunction")
    };
    let base = if info.len() == 4 { 1 } else { 0 };
    let mut req = None;
    let mut res = None;
    let mut next = None;
    if info.len() >= 2 && info.len() <= 4 {
        let (q, s) = (&info[base], &info[base + 1]);
        if is_req(q) || is_res(s) {
            req = Some(q.0.clone());
            res = Some(s.0.clone());
            if let Some(n) = info.get(base + 2)
                && n.2
            {
                next = Some(n.0.clone());
            }
        }
    }
    for p in &info {
        if req.is_none() && is_req(p) && p.2 {
            req = Some(p.0.clone());
        }
        if res.is_none() && is_res(p) && p.2 {
            res = Some(p.0.clone());
        }
        if next.is_none() && is_next(p) && p.2 {
            next = Some(p.0.clone());
        }
    }
    (req, res, next)
}

impl<'s, 'a> Lw<'s, 'a> {
    /// A lowerer for the functions of one file.
    fn new(store: &'s Store<'a>, file: usize) -> Self {
        let fi = &store.files[file];
        Lw {
            ev: Ev::pure(store),
            store,
            fi,
            file,
            src: fi.src,
            scopes: Vec::new(),
            req: Vec::new(),
            res: Vec::new(),
            next: Vec::new(),
            tmp: 0,
            pending_status: None,
            req_aliases: Vec::new(),
            depth: 0,
            fn_aliases: std::collections::HashMap::new(),
        }
    }

    fn sp(&self, n: Node<'_>) -> secprop_model::Span {
        span(self.fi.id, self.src, n)
    }

    fn function(&mut self, id: FnId, node: Node<'a>) -> Function {
        let src = self.src;
        let local = (id.0 - self.fi.fn_base) as usize;
        self.scopes.clear();
        self.scopes.extend(self.fi.fn_scopes[local].iter().copied());
        self.scopes.push(node);
        self.req.clear();
        self.res.clear();
        self.next.clear();
        for i in 0..self.scopes.len() {
            let s = self.scopes[i];
            if is_function(s.k()) {
                let (q, r, n) = roles(s, src);
                self.req.extend(q);
                self.res.extend(r);
                self.next.extend(n);
            }
        }
        self.tmp = 0;
        self.pending_status = None;
        // A callback sees the request aliases of the functions it is written in.
        self.req_aliases.clear();
        for i in 0..self.scopes.len().saturating_sub(1) {
            if let Some(a) = self.fn_aliases.get(&self.scopes[i].id()) {
                self.req_aliases.extend(a.iter().cloned());
            }
        }
        let mut params = Vec::new();
        let mut body = Vec::new();
        for (i, p) in syntax::params(node).into_iter().enumerate() {
            let (pat, ty) = syntax::param_parts(p);
            let ty = ty.map(|t| syntax::type_text(t, src));
            if pat.k() == "identifier" {
                params.push(Param {
                    name: text(pat, src).to_string(),
                    ty,
                });
                continue;
            }
            let name = format!("$arg{i}");
            let mut names = Vec::new();
            syntax::pattern_names(pat, src, &mut names);
            for (n, path) in names {
                let value = self.field_of(Expr::Local(name.clone()), &path);
                self.note_alias(text(n, src), &value);
                body.push(Stmt {
                    kind: StmtKind::Let {
                        name: text(n, src).to_string(),
                        value,
                    },
                    span: self.sp(n),
                });
            }
            params.push(Param { name, ty });
        }
        match node.field("body") {
            Some(b) if b.k() == "statement_block" => {
                self.scopes.push(b);
                self.block(b, &mut body);
            }
            Some(e) => self.effect(e, &mut body, true),
            None => {}
        }
        if !self.req_aliases.is_empty() {
            self.fn_aliases.insert(node.id(), self.req_aliases.clone());
        }
        Function {
            id,
            name: self.fi.fn_names[local].clone(),
            span: self.sp(node),
            is_async: syntax::is_async(node),
            params,
            return_type: node.field("return_type").map(|t| syntax::type_text(t, src)),
            body,
        }
    }

    fn block(&mut self, block: Node<'a>, out: &mut Vec<Stmt>) {
        let mut c = block.walk();
        let kids: Vec<Node<'a>> = block.named_children(&mut c).collect();
        for k in kids {
            self.stmt(k, out);
        }
    }

    fn nested(&mut self, node: Node<'a>) -> Vec<Stmt> {
        let mut out = Vec::new();
        let pushed = is_scope(node.k());
        if pushed {
            self.scopes.push(node);
        }
        let saved = self.pending_status.take();
        if node.k() == "statement_block" {
            self.block(node, &mut out);
        } else {
            self.stmt(node, &mut out);
        }
        self.pending_status = saved;
        if pushed {
            self.scopes.pop();
        }
        out
    }

    /// Nesting deeper than this is cut (the rest becomes `Unknown`): generated code can nest
    /// thousands of levels, and a recursive lowering must not overflow the stack.
    const MAX_NESTING: u32 = 100;

    fn stmt(&mut self, node: Node<'a>, out: &mut Vec<Stmt>) {
        if self.depth >= Self::MAX_NESTING {
            return;
        }
        self.depth += 1;
        self.stmt_inner(node, out);
        self.depth -= 1;
    }

    fn stmt_inner(&mut self, node: Node<'a>, out: &mut Vec<Stmt>) {
        let sp = self.sp(node);
        match node.k() {
            "expression_statement" => {
                if let Some(e) = node.named_child(0) {
                    self.effect(e, out, false);
                }
            }
            "lexical_declaration" | "variable_declaration" => {
                let mut c = node.walk();
                let decls: Vec<Node<'a>> = node
                    .named_children(&mut c)
                    .filter(|d| d.k() == "variable_declarator")
                    .collect();
                for d in decls {
                    self.declarator(d, out);
                }
            }
            "return_statement" => match node.named_child(0) {
                Some(e) => self.effect(e, out, true),
                None => out.push(Stmt {
                    kind: StmtKind::Return(None),
                    span: sp,
                }),
            },
            "throw_statement" => {
                let e = node
                    .named_child(0)
                    .map(|e| self.expr(e))
                    .unwrap_or(Expr::Unknown(Vec::new()));
                out.push(Stmt {
                    kind: StmtKind::Throw(e),
                    span: sp,
                });
            }
            "if_statement" => {
                let cond = node
                    .field("condition")
                    .map(|c| self.cond(c))
                    .unwrap_or(Cond::Expr(Expr::Unknown(Vec::new())));
                let then_branch = node
                    .field("consequence")
                    .map(|b| self.nested(b))
                    .unwrap_or_default();
                let else_branch = node
                    .field("alternative")
                    .and_then(|e| {
                        if e.k() == "else_clause" {
                            e.named_child(0)
                        } else {
                            Some(e)
                        }
                    })
                    .map(|b| self.nested(b))
                    .unwrap_or_default();
                out.push(Stmt {
                    kind: StmtKind::If {
                        cond,
                        then_branch,
                        else_branch,
                    },
                    span: sp,
                });
            }
            "statement_block" => {
                let inner = self.nested(node);
                out.extend(inner);
            }
            "try_statement" => {
                let body = node
                    .field("body")
                    .map(|b| self.nested(b))
                    .unwrap_or_default();
                let handler = node.field("handler");
                let catch_param = handler
                    .and_then(|h| h.field("parameter"))
                    .map(|p| text(p, self.src).to_string());
                let catch_body = handler
                    .map(|h| {
                        self.scopes.push(h);
                        let b = h.field("body").map(|b| self.nested(b)).unwrap_or_default();
                        self.scopes.pop();
                        b
                    })
                    .unwrap_or_default();
                let finally_body = node
                    .field("finalizer")
                    .and_then(|f| f.field("body").or_else(|| f.named_child(0)))
                    .map(|b| self.nested(b))
                    .unwrap_or_default();
                out.push(Stmt {
                    kind: StmtKind::Try {
                        body,
                        catch_param,
                        catch_body,
                        finally_body,
                    },
                    span: sp,
                });
            }
            "for_in_statement" => {
                // The iterated value is evaluated once, before the loop.
                let right = node
                    .field("right")
                    .map(|r| self.expr(r))
                    .unwrap_or(Expr::Unknown(Vec::new()));
                self.tmp += 1;
                let iter = format!("$iter{}", self.tmp);
                out.push(Stmt {
                    kind: StmtKind::Let {
                        name: iter.clone(),
                        value: right,
                    },
                    span: sp,
                });
                self.scopes.push(node);
                let mut body = Vec::new();
                if let Some(left) = node.field("left") {
                    let mut names = Vec::new();
                    syntax::pattern_names(left, self.src, &mut names);
                    for (n, path) in names {
                        let mut p = vec!["[]".to_string()];
                        p.extend(path);
                        let value = self.field_of(Expr::Local(iter.clone()), &p);
                        body.push(Stmt {
                            kind: StmtKind::Let {
                                name: text(n, self.src).to_string(),
                                value,
                            },
                            span: self.sp(n),
                        });
                    }
                }
                if let Some(b) = node.field("body") {
                    body.extend(self.nested(b));
                }
                self.scopes.pop();
                out.push(Stmt {
                    kind: StmtKind::Loop { body },
                    span: sp,
                });
            }
            "for_statement" => {
                self.scopes.push(node);
                if let Some(init) = node.field("initializer") {
                    if init.k().ends_with("declaration") {
                        self.stmt(init, out);
                    } else {
                        self.effect(init, out, false);
                    }
                }
                let mut body = Vec::new();
                if let Some(c) = node.field("condition") {
                    let c = if c.k() == "expression_statement" {
                        c.named_child(0).unwrap_or(c)
                    } else {
                        c
                    };
                    if c.k() != ";" && c.k() != "empty_statement" {
                        let e = self.expr(c);
                        body.push(Stmt {
                            kind: StmtKind::Expr(e),
                            span: self.sp(c),
                        });
                    }
                }
                if let Some(b) = node.field("body") {
                    body.extend(self.nested(b));
                }
                if let Some(inc) = node.field("increment") {
                    self.effect(inc, &mut body, false);
                }
                self.scopes.pop();
                out.push(Stmt {
                    kind: StmtKind::Loop { body },
                    span: sp,
                });
            }
            "while_statement" | "do_statement" => {
                let mut body = Vec::new();
                let cond = node.field("condition");
                if node.k() == "while_statement"
                    && let Some(c) = cond
                {
                    let e = self.expr(c);
                    body.push(Stmt {
                        kind: StmtKind::Expr(e),
                        span: self.sp(c),
                    });
                }
                if let Some(b) = node.field("body") {
                    body.extend(self.nested(b));
                }
                if node.k() == "do_statement"
                    && let Some(c) = cond
                {
                    let e = self.expr(c);
                    body.push(Stmt {
                        kind: StmtKind::Expr(e),
                        span: self.sp(c),
                    });
                }
                out.push(Stmt {
                    kind: StmtKind::Loop { body },
                    span: sp,
                });
            }
            "switch_statement" => {
                let disc = node
                    .field("value")
                    .map(|v| self.expr(v))
                    .unwrap_or(Expr::Unknown(Vec::new()));
                self.tmp += 1;
                let name = format!("$switch{}", self.tmp);
                out.push(Stmt {
                    kind: StmtKind::Let {
                        name: name.clone(),
                        value: disc,
                    },
                    span: sp,
                });
                let mut cases = Vec::new();
                if let Some(body) = node.field("body") {
                    let mut c = body.walk();
                    cases = body
                        .named_children(&mut c)
                        .filter(|n| n.k().starts_with("switch_"))
                        .collect();
                }
                // Cases become a chain of ifs; fall-through is approximated by separate arms.
                let mut arms: Vec<(Option<Expr>, Vec<Stmt>, secprop_model::Span)> = Vec::new();
                for case in cases {
                    let test = case.field("value").map(|v| self.expr(v));
                    self.scopes.push(case);
                    let mut body = Vec::new();
                    let mut c = case.walk();
                    let kids: Vec<Node<'a>> = case.children_by_field_name("body", &mut c).collect();
                    for k in kids {
                        self.stmt(k, &mut body);
                    }
                    self.scopes.pop();
                    arms.push((test, body, self.sp(case)));
                }
                let mut acc: Vec<Stmt> = Vec::new();
                for (test, body, csp) in arms.into_iter().rev() {
                    match test {
                        None => acc = body,
                        Some(t) => {
                            let cond =
                                Cond::Expr(Expr::Unknown(vec![Expr::Local(name.clone()), t]));
                            acc = vec![Stmt {
                                kind: StmtKind::If {
                                    cond,
                                    then_branch: body,
                                    else_branch: acc,
                                },
                                span: csp,
                            }];
                        }
                    }
                }
                out.extend(acc);
            }
            "labeled_statement" => {
                if let Some(b) = node.field("body") {
                    self.stmt(b, out);
                }
            }
            "export_statement" => {
                if let Some(d) = node.field("declaration") {
                    self.stmt(d, out);
                }
            }
            _ => {}
        }
    }

    fn declarator(&mut self, d: Node<'a>, out: &mut Vec<Stmt>) {
        let src = self.src;
        let Some(pat) = d.field("name") else { return };
        let value = d.field("value");
        if pat.k() == "identifier" {
            let value = match value {
                Some(v) => self.value_expr(v, out),
                None => Expr::Literal(Literal::Null),
            };
            self.note_alias(text(pat, src), &value);
            out.push(Stmt {
                kind: StmtKind::Let {
                    name: text(pat, src).to_string(),
                    value,
                },
                span: self.sp(d),
            });
            return;
        }
        let Some(v) = value else { return };
        let base = self.value_expr(v, out);
        // A value with calls is evaluated once into a temporary, then destructured.
        let base = if has_call(&base) {
            self.tmp += 1;
            let t = format!("$tmp{}", self.tmp);
            out.push(Stmt {
                kind: StmtKind::Let {
                    name: t.clone(),
                    value: base,
                },
                span: self.sp(v),
            });
            Expr::Local(t)
        } else {
            base
        };
        let mut names = Vec::new();
        syntax::pattern_names(pat, src, &mut names);
        for (n, path) in names {
            let value = self.field_of(base.clone(), &path);
            self.note_alias(text(n, src), &value);
            out.push(Stmt {
                kind: StmtKind::Let {
                    name: text(n, src).to_string(),
                    value,
                },
                span: self.sp(n),
            });
        }
    }

    /// A declaration's value: responses inside it still become events.
    fn value_expr(&mut self, v: Node<'a>, out: &mut Vec<Stmt>) -> Expr {
        if let Some(stmts) = self.respond_stmts(v) {
            out.extend(stmts);
            return Expr::Unknown(Vec::new());
        }
        self.expr(v)
    }

    /// An expression in statement position (or returned, when `ret`).
    fn effect(&mut self, node: Node<'a>, out: &mut Vec<Stmt>, ret: bool) {
        if self.depth >= Self::MAX_NESTING {
            return;
        }
        self.depth += 1;
        self.effect_inner(node, out, ret);
        self.depth -= 1;
    }

    fn effect_inner(&mut self, node: Node<'a>, out: &mut Vec<Stmt>, ret: bool) {
        let sp = self.sp(node);
        let node = strip(node);
        let src = self.src;
        if let Some(stmts) = self.respond_stmts(node) {
            out.extend(stmts);
            if ret {
                out.push(Stmt {
                    kind: StmtKind::Return(None),
                    span: sp,
                });
            }
            return;
        }
        if let Some(err) = self.next_call(node) {
            out.push(Stmt {
                kind: StmtKind::Continue { err },
                span: sp,
            });
            if ret {
                out.push(Stmt {
                    kind: StmtKind::Return(None),
                    span: sp,
                });
            }
            return;
        }
        match node.k() {
            "ternary_expression" => {
                let cond = node
                    .field("condition")
                    .map(|c| self.cond(c))
                    .unwrap_or(Cond::Expr(Expr::Unknown(vec![])));
                let mut then_branch = Vec::new();
                let mut else_branch = Vec::new();
                if let Some(c) = node.field("consequence") {
                    self.effect(c, &mut then_branch, ret);
                }
                if let Some(a) = node.field("alternative") {
                    self.effect(a, &mut else_branch, ret);
                }
                out.push(Stmt {
                    kind: StmtKind::If {
                        cond,
                        then_branch,
                        else_branch,
                    },
                    span: sp,
                });
                return;
            }
            "binary_expression" => {
                let op = node.field("operator").map(|o| text(o, src)).unwrap_or("");
                if matches!(op, "&&" | "||" | "??")
                    && let (Some(l), Some(r)) = (node.field("left"), node.field("right"))
                    && (!ret || self.is_event(r))
                {
                    let c = self.cond(l);
                    let cond = if op == "&&" {
                        c
                    } else {
                        Cond::Not(Box::new(c))
                    };
                    let mut then_branch = Vec::new();
                    self.effect(r, &mut then_branch, ret);
                    let else_branch = if ret {
                        vec![Stmt {
                            kind: StmtKind::Return(Some(Expr::Unknown(vec![]))),
                            span: sp,
                        }]
                    } else {
                        Vec::new()
                    };
                    out.push(Stmt {
                        kind: StmtKind::If {
                            cond,
                            then_branch,
                            else_branch,
                        },
                        span: sp,
                    });
                    return;
                }
            }
            "assignment_expression" if !ret => {
                if let (Some(l), Some(r)) = (node.field("left"), node.field("right")) {
                    let l = strip(l);
                    if l.k() == "identifier" {
                        let value = self.value_expr(r, out);
                        self.note_alias(text(l, src), &value);
                        out.push(Stmt {
                            kind: StmtKind::Let {
                                name: text(l, src).to_string(),
                                value,
                            },
                            span: sp,
                        });
                        return;
                    }
                }
            }
            "sequence_expression" if !ret => {
                let mut c = node.walk();
                let kids: Vec<Node<'a>> = node.named_children(&mut c).collect();
                for k in kids {
                    self.effect(k, out, false);
                }
                return;
            }
            "unary_expression"
                if !ret
                    && node
                        .field("operator")
                        .is_some_and(|o| text(o, src) == "void") =>
            {
                if let Some(a) = node.field("argument") {
                    self.effect(a, out, false);
                }
                return;
            }
            _ => {}
        }
        let e = self.expr(node);
        out.push(Stmt {
            kind: if ret {
                StmtKind::Return(Some(e))
            } else {
                StmtKind::Expr(e)
            },
            span: sp,
        });
    }

    /// Whether an expression is a response or `next` call (so `ok && res.send()` is a branch).
    fn is_event(&self, node: Node<'a>) -> bool {
        let node = strip(node);
        self.res_chain(node).is_some() || self.next_callee(node)
    }

    fn next_callee(&self, node: Node<'a>) -> bool {
        let node = strip(node);
        node.k() == "call_expression"
            && node.field("function").map(strip).is_some_and(|f| {
                f.k() == "identifier" && self.next.iter().any(|n| n == text(f, self.src))
            })
    }

    /// `next()` → `Some(None)`, `next(err)` → `Some(Some(err))`.
    fn next_call(&mut self, node: Node<'a>) -> Option<Option<Expr>> {
        let node = strip(node);
        let node = if node.k() == "await_expression" {
            strip(node.named_child(0)?)
        } else {
            node
        };
        if !self.next_callee(node) {
            return None;
        }
        let arg = node.field("arguments").and_then(|a| {
            let mut c = a.walk();
            a.named_children(&mut c).find(|n| n.k() != "comment")
        });
        Some(arg.map(|a| self.expr(a)))
    }

    /// The links of `res.status(403).json(x)`: `[(status, call), (json, call)]`.
    fn res_chain(&self, node: Node<'a>) -> Option<Vec<(String, Node<'a>)>> {
        self.res_chain_at(node, 0)
    }

    fn res_chain_at(&self, node: Node<'a>, depth: u32) -> Option<Vec<(String, Node<'a>)>> {
        // A response chain is a few links long; generated chains are not responses.
        if depth > 32 {
            return None;
        }
        let node = strip(node);
        let node = if node.k() == "await_expression" {
            strip(node.named_child(0)?)
        } else {
            node
        };
        if node.k() != "call_expression" {
            return None;
        }
        let callee = strip(node.field("function")?);
        if callee.k() != "member_expression" {
            return None;
        }
        let m = text(callee.field("property")?, self.src);
        if !RES_METHODS.contains(&m) {
            return None;
        }
        let obj = strip(callee.field("object")?);
        let mut links = match obj.k() {
            "identifier" if self.res.iter().any(|r| r == text(obj, self.src)) => Vec::new(),
            "call_expression" => self.res_chain_at(obj, depth + 1)?,
            _ => return None,
        };
        links.push((m.to_string(), node));
        Some(links)
    }

    fn respond_stmts(&mut self, node: Node<'a>) -> Option<Vec<Stmt>> {
        let links = self.res_chain(node)?;
        let src = self.src;
        let mut out = Vec::new();
        let mut status = self.pending_status.take();
        let mut terminal = false;
        for (m, call) in links {
            let args: Vec<Node<'a>> = syntax::call_args(call);
            let num =
                |n: Option<&Node<'a>>| n.and_then(|n| text(strip(*n), src).parse::<u16>().ok());
            let sp = self.sp(call);
            match m.as_str() {
                "status" | "writeHead" => status = num(args.first()),
                "sendStatus" => {
                    terminal = true;
                    out.push(Stmt {
                        kind: StmtKind::Respond(Respond {
                            method: m,
                            status: num(args.first()),
                            payload: None,
                        }),
                        span: sp,
                    });
                }
                "send" | "json" | "jsonp" | "end" | "sendFile" | "download" | "format"
                | "write" => {
                    terminal = true;
                    let payload = args.first().map(|a| self.expr(*a));
                    out.push(Stmt {
                        kind: StmtKind::Respond(Respond {
                            method: m,
                            status,
                            payload,
                        }),
                        span: sp,
                    });
                }
                "redirect" => {
                    terminal = true;
                    if args.len() >= 2 {
                        status = num(args.first()).or(status);
                    }
                    let payload = args.last().map(|a| self.expr(*a));
                    out.push(Stmt {
                        kind: StmtKind::Respond(Respond {
                            method: m,
                            status,
                            payload,
                        }),
                        span: sp,
                    });
                }
                "render" => {
                    terminal = true;
                    let payload = args.get(1).map(|a| self.expr(*a));
                    out.push(Stmt {
                        kind: StmtKind::Respond(Respond {
                            method: m,
                            status,
                            payload,
                        }),
                        span: sp,
                    });
                }
                _ => {
                    // Headers and cookies are part of the response channel.
                    let payload = match args.len() {
                        0 => None,
                        1 => Some(self.expr(args[0])),
                        _ => Some(Expr::Array(
                            args[1..].iter().map(|a| self.expr(*a)).collect(),
                        )),
                    };
                    out.push(Stmt {
                        kind: StmtKind::Respond(Respond {
                            method: m,
                            status: None,
                            payload,
                        }),
                        span: sp,
                    });
                }
            }
        }
        if !terminal && out.is_empty() {
            // A bare `res.status(403);`: the next response in this block gets it.
            self.pending_status = status;
        }
        Some(out)
    }

    fn cond(&mut self, node: Node<'a>) -> Cond {
        if self.depth >= Self::MAX_NESTING {
            return Cond::Expr(Expr::Unknown(Vec::new()));
        }
        self.depth += 1;
        let c = self.cond_inner(node);
        self.depth -= 1;
        c
    }

    fn cond_inner(&mut self, node: Node<'a>) -> Cond {
        let node = strip(node);
        let src = self.src;
        match node.k() {
            "unary_expression" if node.field("operator").is_some_and(|o| text(o, src) == "!") => {
                match node.field("argument") {
                    Some(a) => Cond::Not(Box::new(self.cond(a))),
                    None => Cond::Expr(Expr::Unknown(vec![])),
                }
            }
            "binary_expression" => {
                let op = node.field("operator").map(|o| text(o, src)).unwrap_or("");
                let (Some(l), Some(r)) = (node.field("left"), node.field("right")) else {
                    return Cond::Expr(self.expr(node));
                };
                match op {
                    "&&" => Cond::And(Box::new(self.cond(l)), Box::new(self.cond(r))),
                    "||" | "??" => Cond::Or(Box::new(self.cond(l)), Box::new(self.cond(r))),
                    // A comparison with `true` or `false` is the value's truth or its
                    // negation, so `if (ok === false) return ...` decides like `if (!ok)`.
                    "===" | "==" | "!==" | "!=" => {
                        let boolean = |n: Node<'a>| match text(strip(n), src) {
                            "true" => Some(true),
                            "false" => Some(false),
                            _ => None,
                        };
                        let (value, literal) = match (boolean(l), boolean(r)) {
                            (None, Some(b)) => (l, b),
                            (Some(b), None) => (r, b),
                            _ => return Cond::Expr(self.expr(node)),
                        };
                        let c = self.cond(value);
                        if literal != matches!(op, "!==" | "!=") {
                            c
                        } else {
                            Cond::Not(Box::new(c))
                        }
                    }
                    _ => Cond::Expr(self.expr(node)),
                }
            }
            _ => Cond::Expr(self.expr(node)),
        }
    }

    /// Remembers (or forgets) that local `name` holds a part of the request.
    fn note_alias(&mut self, name: &str, value: &Expr) {
        self.req_aliases.retain(|(n, _)| n != name);
        if matches!(value, Expr::RequestPart { .. }) {
            self.req_aliases.push((name.to_string(), value.clone()));
        }
    }

    /// `base.path` with request parts normalised (`req.params.x` is a route parameter).
    fn field_of(&self, base: Expr, path: &[String]) -> Expr {
        if path.is_empty() {
            return base;
        }
        let base = match base {
            Expr::Local(l) => match self.req_aliases.iter().rev().find(|(n, _)| *n == l) {
                Some((_, e)) => e.clone(),
                None => Expr::Local(l),
            },
            other => other,
        };
        match base {
            Expr::Local(l) if self.req.contains(&l) => {
                let part = path[0].clone();
                if part == "params" {
                    if path.len() >= 2 {
                        let p = Expr::RouteParam(normalise_param(&path[1]));
                        return if path.len() > 2 {
                            Expr::Field {
                                base: Box::new(p),
                                path: path[2..].to_vec(),
                            }
                        } else {
                            p
                        };
                    }
                    return Expr::RequestPart {
                        part,
                        path: Vec::new(),
                    };
                }
                Expr::RequestPart {
                    part,
                    path: path[1..].to_vec(),
                }
            }
            Expr::RequestPart { part, path: mut p } => {
                if part == "params" && p.is_empty() {
                    let rp = Expr::RouteParam(normalise_param(&path[0]));
                    return if path.len() > 1 {
                        Expr::Field {
                            base: Box::new(rp),
                            path: path[1..].to_vec(),
                        }
                    } else {
                        rp
                    };
                }
                p.extend(path.iter().cloned());
                Expr::RequestPart { part, path: p }
            }
            Expr::Field { base, path: mut p } => {
                p.extend(path.iter().cloned());
                Expr::Field { base, path: p }
            }
            other => Expr::Field {
                base: Box::new(other),
                path: path.to_vec(),
            },
        }
    }

    fn args_of(&mut self, node: Node<'a>) -> Vec<Expr> {
        let Some(a) = node.field("arguments") else {
            return Vec::new();
        };
        if a.k() == "template_string" {
            return vec![self.expr(a)];
        }
        let kids: Vec<Node<'a>> = syntax::named_kids(a);
        kids.into_iter().map(|k| self.expr(k)).collect()
    }

    fn expr(&mut self, node: Node<'a>) -> Expr {
        if self.depth >= Self::MAX_NESTING {
            return Expr::Unknown(Vec::new());
        }
        self.depth += 1;
        let e = self.expr_inner(node);
        self.depth -= 1;
        e
    }

    fn expr_inner(&mut self, node: Node<'a>) -> Expr {
        let node = strip(node);
        let src = self.src;
        match node.k() {
            "identifier" => match text(node, src) {
                "undefined" => Expr::Literal(Literal::Null),
                n => Expr::Local(n.to_string()),
            },
            "this" => Expr::Local("this".into()),
            "string" => Expr::Literal(Literal::String(string_value(node, src).unwrap_or_default())),
            "template_string" => match string_value(node, src) {
                Some(s) => Expr::Literal(Literal::String(s)),
                None => {
                    let mut c = node.walk();
                    let subs: Vec<Node<'a>> = node
                        .named_children(&mut c)
                        .filter(|n| n.k() == "template_substitution")
                        .collect();
                    Expr::Template(
                        subs.into_iter()
                            .filter_map(|s| s.named_child(0))
                            .map(|e| self.expr(e))
                            .collect(),
                    )
                }
            },
            "number" => Expr::Literal(Literal::Number(
                text(node, src).replace('_', "").parse().unwrap_or(0.0),
            )),
            "true" => Expr::Literal(Literal::Bool(true)),
            "false" => Expr::Literal(Literal::Bool(false)),
            "null" => Expr::Literal(Literal::Null),
            "member_expression" | "subscript_expression" => self.member_expr(node),
            "call_expression" | "new_expression" => Expr::Call(Box::new(self.call(node, false))),
            "await_expression" => match node.named_child(0).map(strip) {
                Some(inner) if matches!(inner.k(), "call_expression" | "new_expression") => {
                    Expr::Call(Box::new(self.call(inner, true)))
                }
                Some(inner) => Expr::Await(Box::new(self.expr(inner))),
                None => Expr::Unknown(vec![]),
            },
            "object" => {
                let mut fields = Vec::new();
                let mut spreads = Vec::new();
                let mut c = node.walk();
                let kids: Vec<Node<'a>> = node.named_children(&mut c).collect();
                for k in kids {
                    match k.k() {
                        "pair" => {
                            let key = k
                                .field("key")
                                .map(|kk| {
                                    string_value(kk, src)
                                        .unwrap_or_else(|| text(kk, src).to_string())
                                })
                                .unwrap_or_default();
                            let v = k
                                .field("value")
                                .map(|v| self.expr(v))
                                .unwrap_or(Expr::Unknown(vec![]));
                            fields.push((key, v));
                        }
                        "shorthand_property_identifier" => {
                            let n = text(k, src).to_string();
                            fields.push((n.clone(), Expr::Local(n)));
                        }
                        "spread_element" => {
                            if let Some(i) = k.named_child(0) {
                                spreads.push(self.expr(i));
                            }
                        }
                        "method_definition" => {
                            let key = k
                                .field("name")
                                .map(|n| text(n, src).to_string())
                                .unwrap_or_default();
                            let v = self.expr(k);
                            fields.push((key, v));
                        }
                        _ => {}
                    }
                }
                Expr::Object { fields, spreads }
            }
            "array" => {
                let kids: Vec<Node<'a>> = syntax::named_kids(node);
                Expr::Array(kids.into_iter().map(|k| self.expr(k)).collect())
            }
            "spread_element" => Expr::Unknown(
                node.named_child(0)
                    .map(|i| vec![self.expr(i)])
                    .unwrap_or_default(),
            ),
            k if is_function(k) => match self.fi.fn_id(node) {
                Some(id) => Expr::Function(id),
                None => Expr::Unknown(vec![]),
            },
            "binary_expression" => {
                let op = node.field("operator").map(|o| text(o, src)).unwrap_or("");
                let l = node
                    .field("left")
                    .map(|l| self.expr(l))
                    .unwrap_or(Expr::Unknown(vec![]));
                let r = node
                    .field("right")
                    .map(|r| self.expr(r))
                    .unwrap_or(Expr::Unknown(vec![]));
                let stringy =
                    |e: &Expr| matches!(e, Expr::Literal(Literal::String(_)) | Expr::Template(_));
                if op == "+" && (stringy(&l) || stringy(&r)) {
                    let mut parts = Vec::new();
                    for e in [l, r] {
                        match e {
                            Expr::Template(p) => parts.extend(p),
                            Expr::Literal(Literal::String(_)) => {}
                            other => parts.push(other),
                        }
                    }
                    return Expr::Template(parts);
                }
                Expr::Unknown(vec![l, r])
            }
            _ => {
                // Anything else keeps its sub-expressions so calls inside are still seen.
                let kids: Vec<Node<'a>> = syntax::named_kids(node);
                let mut parts = Vec::new();
                for k in kids {
                    if k.k().ends_with("_statement") || k.k() == "statement_block" {
                        continue;
                    }
                    if matches!(
                        k.k(),
                        "property_identifier"
                            | "type_annotation"
                            | "type_arguments"
                            | "regex_pattern"
                    ) {
                        continue;
                    }
                    parts.push(self.expr(k));
                }
                Expr::Unknown(parts)
            }
        }
    }

    fn member_expr(&mut self, node: Node<'a>) -> Expr {
        // Flatten `a.b['c'].d` into a base and a path.
        let src = self.src;
        let mut path = Vec::new();
        let mut cur = node;
        loop {
            let cur_s = strip(cur);
            match cur_s.k() {
                "member_expression" => {
                    let Some(p) = cur_s.field("property") else {
                        break;
                    };
                    path.push(text(p, src).trim_start_matches('#').to_string());
                    match cur_s.field("object") {
                        Some(o) => cur = o,
                        None => break,
                    }
                }
                "subscript_expression" => {
                    let Some(i) = cur_s.field("index") else { break };
                    let key = string_value(i, src).or_else(|| {
                        let t = text(strip(i), src);
                        t.parse::<u64>().ok().map(|_| t.to_string())
                    });
                    match key {
                        Some(k) => path.push(k),
                        None => {
                            // A computed key: the index expression still runs.
                            let base = self.expr(cur_s.field("object").unwrap_or(cur_s));
                            let idx = self.expr(i);
                            let e = Expr::Unknown(vec![base, idx]);
                            path.reverse();
                            return self.field_of(e, &path);
                        }
                    }
                    match cur_s.field("object") {
                        Some(o) => cur = o,
                        None => break,
                    }
                }
                _ => break,
            }
        }
        path.reverse();
        let base = self.expr(cur);
        self.field_of(base, &path)
    }

    fn call(&mut self, node: Node<'a>, awaited: bool) -> Call {
        let src = self.src;
        let is_new = node.k() == "new_expression";
        let callee_field = if is_new { "constructor" } else { "function" };
        let mut callee = node.field(callee_field).map(strip);
        // `f.call(...)`, `f.apply(...)` are named as `f`.
        if let Some(c) = callee
            && c.k() == "member_expression"
            && c.field("property")
                .is_some_and(|p| matches!(text(p, src), "call" | "apply"))
            && let Some(o) = c.field("object")
        {
            callee = Some(strip(o));
        }
        let args = self.args_of(node);
        let mut names: Vec<String> = Vec::new();
        let mut receiver = None;
        let mut callee_id = None;
        let mut text_name = String::new();
        if let Some(c) = callee {
            let written = callee_path(c, src);
            if let Some(w) = &written
                && !w.is_empty()
            {
                names.push(w.join("."));
            }
            // Import-resolved name (spec-v1 §4, 2.).
            let head_is_this = head_node(c).is_some_and(|h| h.k() == "this");
            if let (Some(w), false) = (&written, head_is_this)
                && let Some(first) = w.first()
                && let Some(resolved) = self.import_name(first)
            {
                let mut r = resolved;
                r.extend(w[1..].iter().cloned());
                names.push(r.join("."));
            }
            // `const g = f.bind(x); g()` is named as `f` (spec-v1 §4).
            if c.k() == "identifier"
                && let Some(bound) = self.bound_name(text(c, src))
            {
                names.push(bound);
            }
            if c.k() == "member_expression" || c.k() == "subscript_expression" {
                let obj = c.field("object");
                if let Some(o) = obj {
                    receiver = Some(self.expr(o));
                }
                let prop = if c.k() == "member_expression" {
                    c.field("property")
                        .map(|p| text(p, src).trim_start_matches('#').to_string())
                } else {
                    c.field("index").and_then(|i| string_value(i, src))
                };
                if let (Some(o), Some(p)) = (obj, prop) {
                    let scopes = std::mem::take(&mut self.scopes);
                    let base = self.ev.eval(self.file, o, &scopes);
                    self.scopes = scopes;
                    // `Type.method` when the receiver's type is known (spec-v1 §4, 3.).
                    if let Val::Instance { class, .. } = &base
                        && let Some(cn) = self.class_display(class)
                    {
                        names.push(format!("{cn}.{p}"));
                    }
                    if let Val::Func(id) = self.ev.member(&base, &p) {
                        callee_id = Some(id);
                    }
                }
            } else {
                let scopes = std::mem::take(&mut self.scopes);
                let v = self.ev.eval(self.file, c, &scopes);
                self.scopes = scopes;
                match v {
                    Val::Func(id) => callee_id = Some(id),
                    Val::Class { file, node } if is_new => {
                        if let Some(ctor) = constructor(node, self.store.files[file].src) {
                            callee_id = self.store.files[file].fn_id(ctor);
                        }
                    }
                    _ => {}
                }
            }
            text_name = names.first().cloned().unwrap_or_else(|| {
                text(c, src)
                    .split_whitespace()
                    .collect::<Vec<_>>()
                    .join(" ")
            });
        }
        let mut seen = std::collections::HashSet::new();
        names.retain(|n| seen.insert(n.clone()));
        Call {
            names,
            callee: callee_id,
            receiver,
            args,
            awaited,
            is_new,
            text: text_name,
            span: self.sp(node),
        }
    }

    fn class_display(&self, class: &Val<'a>) -> Option<String> {
        match class {
            Val::Class { file, node } => {
                let src = self.store.files[*file].src;
                if let Some(n) = node.field("name") {
                    return Some(text(n, src).to_string());
                }
                let p = node.parent()?;
                (p.k() == "variable_declarator")
                    .then(|| p.field("name").map(|n| text(n, src).to_string()))?
            }
            Val::Func(id) => {
                let (file, node) = self.store.fn_node(*id)?;
                node.field("name")
                    .map(|n| text(n, self.store.files[file].src).to_string())
            }
            _ => None,
        }
    }

    /// For a local bound to `f.bind(...)`, the name of `f`.
    fn bound_name(&mut self, name: &str) -> Option<String> {
        let (b, _) =
            self.store
                .lookup_cached(&mut self.ev.scope_cache, self.file, &self.scopes, name)?;
        let BindKind::Value {
            pattern,
            value: Some(v),
        } = b.kind
        else {
            return None;
        };
        if pattern.k() != "identifier" {
            return None;
        }
        let v = strip(v);
        let f = strip(v.field("function")?);
        if v.k() != "call_expression" || f.k() != "member_expression" {
            return None;
        }
        let src = self.store.files[b.file].src;
        if text(f.field("property")?, src) != "bind" {
            return None;
        }
        callee_path(f.field("object")?, src)
            .filter(|p| !p.is_empty())
            .map(|p| p.join("."))
    }

    /// The import-resolved path of a name: `cv` imported as `canView` from `./membership`
    /// gives `[membership, canView]`; `const {x} = require('./y')` gives `[y, x]`.
    fn import_name(&mut self, name: &str) -> Option<Vec<String>> {
        let (b, _) =
            self.store
                .lookup_cached(&mut self.ev.scope_cache, self.file, &self.scopes, name)?;
        let src = self.store.files[b.file].src;
        match b.kind {
            BindKind::Import { stmt } => {
                let (source, what) = import_of(stmt, b.name, src);
                let m = self.store.module_display(b.file, source);
                Some(match what {
                    crate::index::ImportWhat::Named(n) => vec![m, n],
                    _ => vec![m],
                })
            }
            BindKind::Value {
                pattern,
                value: Some(v),
            } => {
                let v = strip(v);
                let v = if v.k() == "await_expression" {
                    strip(v.named_child(0)?)
                } else {
                    v
                };
                if v.k() != "call_expression" {
                    return None;
                }
                let f = strip(v.field("function")?);
                if !(matches!(f.k(), "identifier" | "import")
                    && matches!(text(f, src), "require" | "import"))
                {
                    return None;
                }
                let args = v.field("arguments")?;
                let spec = string_value(args.named_child(0)?, src)?;
                let mut out = vec![self.store.module_display(b.file, &spec)];
                out.extend(path_in_pattern(pattern, b.name, src));
                Some(out)
            }
            _ => None,
        }
    }
}

fn constructor<'a>(class: Node<'a>, src: &str) -> Option<Node<'a>> {
    let body = class.field("body")?;
    let mut c = body.walk();
    body.named_children(&mut c).find(|k| {
        k.k() == "method_definition"
            && k.field("name")
                .is_some_and(|n| text(n, src) == "constructor")
    })
}

/// The first node of a callee chain (`a` in `a.b.c`).
fn head_node(mut n: Node<'_>) -> Option<Node<'_>> {
    loop {
        n = strip(n);
        match n.k() {
            "member_expression" | "subscript_expression" => n = n.field("object")?,
            "call_expression" => n = n.field("function")?,
            "await_expression" => n = n.named_child(0)?,
            _ => return Some(n),
        }
    }
}

/// Express 4's unnamed wildcard is `req.params[0]`.
fn normalise_param(p: &str) -> String {
    p.to_string()
}

fn has_call(e: &Expr) -> bool {
    let mut found = false;
    secprop_model::walk_expr(e, &mut |x| {
        if matches!(x, Expr::Call(_) | Expr::Await(_)) {
            found = true;
        }
    });
    found
}

/// The call-pattern names (spec-v1 §4) of a reference such as a middleware argument:
/// as written, then import-resolved.
pub(crate) fn names_for<'a>(
    store: &Store<'a>,
    file: usize,
    node: Node<'a>,
    scopes: &[Node<'a>],
) -> Vec<String> {
    let fi = &store.files[file];
    let Some(w) = callee_path(node, fi.src) else {
        return Vec::new();
    };
    if w.is_empty() {
        return Vec::new();
    }
    let mut names = vec![w.join(".")];
    let head_is_this = head_node(node).is_some_and(|h| h.k() == "this");
    if !head_is_this {
        let mut lw = Lw {
            ev: Ev::pure(store),
            store,
            fi,
            file,
            src: fi.src,
            scopes: scopes.to_vec(),
            req: Vec::new(),
            res: Vec::new(),
            next: Vec::new(),
            tmp: 0,
            pending_status: None,
            req_aliases: Vec::new(),
            depth: 0,
            fn_aliases: std::collections::HashMap::new(),
        };
        if let Some(mut r) = lw.import_name(&w[0]) {
            r.extend(w[1..].iter().cloned());
            let r = r.join(".");
            if !names.contains(&r) {
                names.push(r);
            }
        }
    }
    names
}
