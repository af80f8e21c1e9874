//! Calls and `new`: what calling a value yields (a router from `express.Router()`, a
//! project function's result, a package result), `bind`/`call`/`apply`.

use super::{Ev, RouterKind, Val, package_name};
use crate::syntax::{self, NodeExt, is_function, string_value, strip, text};
use tree_sitter::Node;

impl<'s, 'a> Ev<'s, 'a> {
    pub(super) fn call(&mut self, file: usize, node: Node<'a>, scopes: &[Node<'a>]) -> Val<'a> {
        let src = self.src(file);
        let Some(callee) = node.field("function").map(strip) else {
            return Val::Unknown;
        };
        let args: Vec<Node<'a>> = syntax::call_args(node);
        // `require('x')`
        if callee.k() == "identifier" && text(callee, src) == "require" {
            let Some(spec) = args.first().and_then(|a| string_value(*a, src)) else {
                return Val::Unknown;
            };
            return match self.store.resolve_module(file, &spec) {
                Some(f) => self.module_required(f),
                None => Val::Package(package_name(&spec)),
            };
        }
        // A library call that creates routes (`context.route_generators`).
        if self.it.is_some()
            && !self.store.generators.is_empty()
            && let Some(v) = self.generator_call(file, node, callee, &args, scopes)
        {
            return v;
        }
        // Method calls: routers, `.bind`, `.forEach`.
        if matches!(callee.k(), "member_expression" | "subscript_expression") {
            let obj = callee.field("object").map(strip);
            let prop = if callee.k() == "member_expression" {
                callee.field("property").map(|p| text(p, src).to_string())
            } else {
                callee
                    .field("index")
                    .and_then(|i| match self.eval(file, i, scopes) {
                        Val::Str(s) => Some(s),
                        _ => None,
                    })
            };
            if let Some(obj) = obj {
                let base = self.eval(file, obj, scopes);
                if self.it.is_some()
                    && let Some(v) = self.router_call(
                        file,
                        node,
                        callee,
                        &base,
                        prop.as_deref(),
                        &args,
                        scopes,
                        obj,
                    )
                {
                    return v;
                }
                match (prop.as_deref(), &base) {
                    (Some("bind"), Val::Func(_)) => return base,
                    (Some("call" | "apply"), Val::Func(_)) if self.it.is_none() => {
                        return Val::Unknown;
                    }
                    (Some("forEach" | "map"), Val::Array { file: af, node: an })
                        if self.it.is_some() =>
                    {
                        let (af, an) = (*af, *an);
                        if let Some(cb) = args.first() {
                            let cbv = self.eval(file, *cb, scopes);
                            let els: Vec<Node<'a>> = syntax::named_kids(an);
                            for el in els {
                                let ev = self.eval_at(af, el);
                                self.call_val(&cbv, vec![ev], None);
                            }
                        }
                        return Val::Unknown;
                    }
                    // `Object.keys(obj).forEach(cb)` over an object literal: once per key
                    // (or value, for `Object.values`), like `for (const k of ...)`.
                    (Some("forEach" | "map"), _) if self.it.is_some() => {
                        if let Some(els) = self.keys_call(file, obj, scopes)
                            && let Some(cb) = args.first()
                        {
                            let cbv = self.eval(file, *cb, scopes);
                            for el in els {
                                self.call_val(&cbv, vec![el], None);
                            }
                            return Val::Unknown;
                        }
                    }
                    _ => {}
                }
                let f = match &prop {
                    Some(p) => self.member(&base, p),
                    None => Val::Unknown,
                };
                return self.apply(file, node, f, &args, scopes, Some(base));
            }
        }
        let f = self.eval(file, callee, scopes);
        self.apply(file, node, f, &args, scopes, None)
    }

    #[allow(clippy::too_many_arguments)]
    pub(super) fn apply(
        &mut self,
        file: usize,
        call: Node<'a>,
        f: Val<'a>,
        args: &[Node<'a>],
        scopes: &[Node<'a>],
        this: Option<Val<'a>>,
    ) -> Val<'a> {
        if !matches!(f, Val::Func(_)) {
            self.run_callbacks(file, args, scopes);
        }
        match &f {
            Val::Package(p) => {
                if is_app_factory(p) {
                    return self.new_router(RouterKind::App, file, call, args);
                }
                if is_router_factory(p) {
                    return self.new_router(RouterKind::Router, file, call, args);
                }
                // `asyncHandler(fn)` from a package: the wrapped function is what runs.
                if let Some(w) = self.wrapped_arg(file, args, scopes) {
                    return w;
                }
                Val::PackageResult(p.clone())
            }
            Val::Func(_) if self.it.is_none() => {
                self.wrapped_arg(file, args, scopes).unwrap_or(Val::Unknown)
            }
            Val::Func(id) if self.it.is_some() => {
                let argv: Vec<Val<'a>> = args.iter().map(|a| self.eval(file, *a, scopes)).collect();
                let wrapped = argv.iter().find(|a| matches!(a, Val::Func(_))).cloned();
                if !self.worth_interpreting(*id, &argv) {
                    return wrapped.unwrap_or(Val::Unknown);
                }
                let id = *id;
                let this = match this {
                    Some(v @ Val::Instance { .. }) => Some(v),
                    _ => None,
                };
                let r = self.call_val(&f, argv, this);
                // A wrapper returning its own closure around a function argument
                // (`asyncHandler(fn)`): the wrapped function is the one that matters.
                if let (Val::Func(rid), Some(w)) = (&r, wrapped)
                    && let (Some((rf, rn)), Some((wf, wn))) =
                        (self.store.fn_node(*rid), self.store.fn_node(id))
                    && rf == wf
                    && wn.start_byte() <= rn.start_byte()
                    && rn.end_byte() <= wn.end_byte()
                {
                    return w;
                }
                r
            }
            _ => Val::Unknown,
        }
    }

    /// Inline callbacks given to a library call (`MongoClient.connect(url, (err, c) => {
    /// ... })`, `.then(() => ...)`) that register routes or hand a router on run where
    /// they are written, so the routes they reach keep the app's chain so far.
    fn run_callbacks(&mut self, file: usize, args: &[Node<'a>], scopes: &[Node<'a>]) {
        if self.it.is_none() {
            return;
        }
        for a in args {
            let a = strip(*a);
            if !is_function(a.k()) {
                continue;
            }
            let info = &self.store.files[file];
            let Some(id) = info.fn_id(a) else { continue };
            if self
                .it
                .as_ref()
                .is_some_and(|i| i.interpreted.contains(&id))
            {
                continue;
            }
            if info.routey(id) || self.passes_router(file, a, scopes) {
                self.call_val(&Val::Func(id), Vec::new(), None);
            }
        }
    }

    /// Whether a call inside `func` has an argument naming a router of an enclosing scope
    /// (`registerUsers(app, db)`).
    fn passes_router(&mut self, file: usize, func: Node<'a>, scopes: &[Node<'a>]) -> bool {
        /// Callbacks are short; a long one is not walked past this many nodes.
        const MAX_NODES: usize = 4096;
        let mut stack = vec![func];
        let mut seen = 0;
        while let Some(n) = stack.pop() {
            seen += 1;
            if seen > MAX_NODES {
                return false;
            }
            if n.k() == "call_expression" {
                for arg in syntax::call_args(n) {
                    if strip(arg).k() == "identifier"
                        && matches!(
                            self.eval(file, arg, scopes),
                            Val::Router(_) | Val::RouteBuilder(_)
                        )
                    {
                        return true;
                    }
                }
            }
            let mut c = n.walk();
            stack.extend(n.named_children(&mut c));
        }
        false
    }

    /// The first argument that is a function (inline, or a name or member resolving to a
    /// project function); arguments with calls are not evaluated (no effects).
    pub(super) fn wrapped_arg(
        &mut self,
        file: usize,
        args: &[Node<'a>],
        scopes: &[Node<'a>],
    ) -> Option<Val<'a>> {
        for a in args {
            let a = strip(*a);
            if !(is_function(a.k()) || matches!(a.k(), "identifier" | "member_expression")) {
                continue;
            }
            if let v @ Val::Func(_) = self.eval(file, a, scopes) {
                return Some(v);
            }
        }
        None
    }

    pub(super) fn new_expr(&mut self, file: usize, node: Node<'a>, scopes: &[Node<'a>]) -> Val<'a> {
        let Some(ctor) = node.field("constructor") else {
            return Val::Unknown;
        };
        let args: Vec<Node<'a>> = syntax::call_args(node);
        let c = self.eval(file, ctor, scopes);
        match c {
            Val::Package(p) if is_router_factory(&p) || is_app_factory(&p) => {
                self.new_router(RouterKind::Router, file, node, &args)
            }
            Val::Package(p) => Val::PackageResult(p),
            Val::Class { file: cf, node: cn } => {
                let alloc = self.alloc();
                let inst = Val::Instance {
                    class: Box::new(c.clone()),
                    alloc,
                };
                if self.it.is_some() {
                    let argv: Vec<Val<'a>> =
                        args.iter().map(|a| self.eval(file, *a, scopes)).collect();
                    if let Some(ctor) = constructor_of(cf, cn, self.src(cf))
                        && let Some(id) = self.store.files[cf].fn_id(ctor)
                        && self.worth_interpreting(id, &argv)
                    {
                        self.call_val(&Val::Func(id), argv, Some(inst.clone()));
                    }
                }
                inst
            }
            Val::Func(_) => {
                let alloc = self.alloc();
                let inst = Val::Instance {
                    class: Box::new(c.clone()),
                    alloc,
                };
                if self.it.is_some() {
                    let argv: Vec<Val<'a>> =
                        args.iter().map(|a| self.eval(file, *a, scopes)).collect();
                    if let Val::Func(id) = c
                        && self.worth_interpreting(id, &argv)
                    {
                        self.call_val(&c, argv, Some(inst.clone()));
                    }
                }
                inst
            }
            _ => Val::Unknown,
        }
    }
}

/// `express` (or the `express()` factory under another import) creates an app.
fn is_app_factory(p: &str) -> bool {
    p == "express" || p == "express.default"
}

/// `express.Router`, `router`, `express-promise-router` create routers.
fn is_router_factory(p: &str) -> bool {
    matches!(
        p,
        "express.Router" | "express.default.Router" | "router" | "express-promise-router"
    )
}

fn constructor_of<'a>(_file: usize, class: Node<'a>, src: &str) -> Option<Node<'a>> {
    let body = class.field("body")?;
    let mut c = body.walk();
    body.named_children(&mut c).find(|k| {
        k.k() == "method_definition"
            && k.field("name")
                .is_some_and(|n| text(n, src) == "constructor")
    })
}
