//! Lowering of function bodies to the model's structured statements and expressions
//! (spec-v1 §4 call names, §6 exits and responses): `req.params.x` becomes a route
//! parameter, `res.status(403).send()` a response event, `next(err)` an exit, `&&`/`||`/`!`
//! a condition tree, and every call carries its names and, when it is a project function,
//! its `FnId`.
//!
//! Layout: this module holds the entry points and function signatures; `stmts` lowers
//! statements, `exprs` expressions and conditions, `responses` responses and `next`,
//! `calls` calls and their names. It imports `eval`, `index` and `syntax`.

mod calls;
mod exprs;
mod hidden;
mod responses;
mod stmts;
mod types;

pub(crate) use calls::names_for;
pub(crate) use hidden::hide_params;
pub(crate) use types::record_types;

use crate::eval::Ev;
use crate::index::{FileInfo, Store};
use crate::syntax::NodeExt;
use crate::syntax::{self, is_function, is_scope, span, text};
use secprop_model::{Expr, FnId, Function, Param, Stmt, StmtKind};
use std::collections::{HashMap, HashSet};
use tree_sitter::Node;

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
                let value = stmts::rest_of(n, src, value);
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
}
