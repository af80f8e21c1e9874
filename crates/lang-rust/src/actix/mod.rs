//! Finding actix-web routes (spec-v1 §5–§6): route attributes on functions (`#[get("/x")]`,
//! `#[route("/x", method = "GET", method = "POST")]`, `wrap = "..."`), then every project
//! function evaluated for the app, scope, resource or `ServiceConfig` it builds:
//! `App::new().service(..)`, `web::scope(prefix)`, `web::resource(p).route(web::get().to(h))`,
//! `.route(p, web::get().to(h))`, `.configure(f)` (a function filling a `&mut
//! ServiceConfig`, across modules), `.wrap(..)`, `.wrap_fn(..)`; `HttpServer::new(|| App..)`
//! is the app its closure builds. The groups no other function registers are the apps.
//!
//! Chains (spec-v1 §6): a `.wrap` applies to every service of its app, scope or resource,
//! whenever registered; the last one wraps the others, so runs first. The handler's
//! extractors come last, in parameter order (`ChainKind::Signature`), except actix's data
//! extractors (`web::Path`, `web::Json`, `web::Data`, ...).

mod path;

use crate::index::{Index, ModKey, is_test, path_segs, strip, type_head, type_text};
use crate::{ExtraFn, Parsed, method_span, span_of};
use secprop_model::{ChainElement, ChainKind, FileId, FnId, Route, Segment, Span};
use std::collections::{BTreeMap, BTreeSet};
use syn::spanned::Spanned;

/// Text that marks a registration, for counting the routes a syntax error cost.
pub const REGISTRATIONS: &[&str] = &[
    ".route(",
    ".to(",
    "#[get(",
    "#[post(",
    "#[put(",
    "#[delete(",
    "#[patch(",
    "#[route(",
];

/// actix's extractors that carry request data and decide nothing about the caller.
const DATA_EXTRACTORS: &[&str] = &[
    "Path",
    "Query",
    "Json",
    "Form",
    "Data",
    "ThinData",
    "ReqData",
    "HttpRequest",
    "Payload",
    "Bytes",
    "String",
    "Header",
    "Method",
    "Uri",
    "ConnectionInfo",
    "PeerAddr",
    "Multipart",
    "Either",
    "Option",
    "Result",
];

const METHODS: &[&str] = &[
    "get", "post", "put", "delete", "patch", "head", "options", "trace", "connect",
];

/// A route attribute: its methods, path, where it is written and its `wrap = ".."`s.
#[derive(Clone)]
struct AttrRoute {
    methods: Vec<String>,
    path: String,
    span: Span,
    wraps: Vec<syn::Expr>,
}

/// An app, scope, resource or `ServiceConfig`: its routes (paths relative to it), its
/// path prefixes (a resource may have several) and its `.wrap`s in registration order.
#[derive(Clone)]
struct Group {
    prefixes: Result<Vec<Vec<Segment>>, String>,
    routes: Vec<Route>,
    wraps: Vec<ChainElement>,
}

impl Group {
    fn new(prefixes: Result<Vec<Vec<Segment>>, String>) -> Group {
        Group {
            prefixes,
            routes: Vec::new(),
            wraps: Vec::new(),
        }
    }

    /// The routes as its parent sees them: prefixed and wrapped (last wrap first).
    fn finish(self) -> Vec<Route> {
        let wraps: Vec<ChainElement> = self.wraps.into_iter().rev().collect();
        let prefixes = match self.prefixes {
            Ok(p) => p,
            Err(why) => {
                return self
                    .routes
                    .into_iter()
                    .map(|mut r| {
                        r.unresolved.get_or_insert(why.clone());
                        r
                    })
                    .collect();
            }
        };
        let mut out = Vec::new();
        for p in &prefixes {
            for r in &self.routes {
                let mut r = r.clone();
                let mut s = p.clone();
                s.append(&mut r.segments);
                r.segments = s;
                let mut c = wraps.clone();
                c.append(&mut r.chain);
                r.chain = c;
                out.push(r);
            }
        }
        out
    }
}

/// `web::get()`, `web::route().guard(..)`, `.to(h)`: methods (none: any) and the handler,
/// as a route without a path.
#[derive(Clone)]
struct RouteV {
    methods: Vec<String>,
    proto: Option<Route>,
    wraps: Vec<ChainElement>,
}

#[derive(Clone)]
enum Val {
    Group(Group),
    Route(RouteV),
    /// A call that is none of the above (a middleware's or a service's constructor).
    Call(Vec<String>),
    Other,
}

#[derive(Clone)]
struct Cx {
    module: ModKey,
    file: FileId,
    self_ty: Option<String>,
}

struct Finder<'a> {
    ix: &'a Index,
    extra: &'a mut Vec<ExtraFn>,
    broken: &'a BTreeMap<ModKey, String>,
    attrs: BTreeMap<FnId, Vec<AttrRoute>>,
    /// A middleware type's `Transform::new_transform` to its service's `call`.
    transforms: BTreeMap<FnId, FnId>,
    memo: BTreeMap<FnId, Val>,
    active: BTreeSet<FnId>,
    referenced: BTreeSet<FnId>,
}

type Env = BTreeMap<String, Val>;

/// Every route of the target's apps.
pub(crate) fn find(
    ix: &Index,
    extra: &mut Vec<ExtraFn>,
    broken: &BTreeMap<ModKey, String>,
    parsed: &[Parsed],
) -> Vec<Route> {
    let mut f = Finder {
        ix,
        extra,
        broken,
        attrs: BTreeMap::new(),
        transforms: BTreeMap::new(),
        memo: BTreeMap::new(),
        active: BTreeSet::new(),
        referenced: BTreeSet::new(),
    };
    for p in parsed {
        f.collect(p.file, &p.module, &p.ast.items);
    }
    for i in 0..ix.fns.len() {
        f.fn_value(FnId(i as u32));
    }
    let mut out = Vec::new();
    for (id, v) in std::mem::take(&mut f.memo) {
        if let Val::Group(g) = v
            && !f.referenced.contains(&id)
        {
            out.extend(g.finish());
        }
    }
    out
}

/// `crate::<module>::<rest>`, the key of `Index::by_path`.
fn abs(m: &ModKey, rest: &[&str]) -> (String, Vec<String>) {
    let mut p = vec!["crate".to_string()];
    p.extend(m.path.iter().cloned());
    p.extend(rest.iter().map(|s| s.to_string()));
    (m.krate.clone(), p)
}

impl Finder<'_> {
    /// Route attributes of functions, and middleware `Transform` impls.
    fn collect(&mut self, file: FileId, m: &ModKey, items: &[syn::Item]) {
        for it in items {
            match it {
                syn::Item::Fn(f) if !is_test(&f.attrs) => {
                    let routes = route_attrs(file, &f.attrs);
                    let key = abs(m, &[&f.sig.ident.to_string()]);
                    if !routes.is_empty()
                        && let Some(id) = self.ix.by_path.get(&key)
                    {
                        self.attrs.insert(*id, routes);
                    }
                }
                syn::Item::Impl(im) => self.transform_impl(m, im),
                syn::Item::Mod(md) if !is_test(&md.attrs) => {
                    if let Some((_, its)) = &md.content {
                        self.collect(file, &m.child(&md.ident.to_string()), its);
                    }
                }
                _ => {}
            }
        }
    }

    /// `impl Transform<S, ServiceRequest> for RequireLogin { type Transform =
    /// RequireLoginMiddleware<S>; .. }`: the middleware's body is that service's `call`.
    fn transform_impl(&mut self, m: &ModKey, im: &syn::ItemImpl) {
        let is_transform = im
            .trait_
            .as_ref()
            .and_then(|(p, _)| p.segments.last())
            .is_some_and(|s| s.ident == "Transform");
        let Some((ty, _)) = type_head(&im.self_ty) else {
            return;
        };
        let Some(ty) = ty.segments.last().map(|s| s.ident.to_string()) else {
            return;
        };
        if !is_transform {
            return;
        }
        let service = im.items.iter().find_map(|ii| match ii {
            syn::ImplItem::Type(t) if t.ident == "Transform" => {
                type_head(&t.ty).and_then(|(p, _)| p.segments.last().map(|s| s.ident.to_string()))
            }
            _ => None,
        });
        let (Some(service), Some(new)) = (
            service,
            self.ix.by_path.get(&abs(m, &[&ty, "new_transform"])),
        ) else {
            return;
        };
        if let Some(call) = self.ix.by_path.get(&abs(m, &[&service, "call"])) {
            self.transforms.insert(*new, *call);
        }
    }

    fn fn_value(&mut self, id: FnId) -> Val {
        if let Some(v) = self.memo.get(&id) {
            return v.clone();
        }
        if !self.active.insert(id) {
            return Val::Other;
        }
        let def = &self.ix.fns[id.0 as usize];
        let cx = Cx {
            module: def.module.clone(),
            file: def.file,
            self_ty: def.self_ty.clone(),
        };
        // A `configure` function fills its `&mut ServiceConfig`.
        let cfg = def.sig.inputs.iter().find_map(|a| match a {
            syn::FnArg::Typed(t) if type_text(&t.ty).contains("ServiceConfig") => pat_ident(&t.pat),
            _ => None,
        });
        let block = def.block.clone();
        let mut env = Env::new();
        if let Some(c) = &cfg {
            env.insert(c.clone(), Val::Group(Group::new(Ok(vec![Vec::new()]))));
        }
        let mut v = self.block(&block.stmts, &mut env, &cx);
        if let Some(c) = &cfg {
            v = env.remove(c).unwrap_or(Val::Other);
        }
        self.active.remove(&id);
        self.memo.insert(id, v.clone());
        v
    }

    fn block(&mut self, stmts: &[syn::Stmt], env: &mut Env, cx: &Cx) -> Val {
        enum Last {
            Local(String),
            Value(Val),
        }
        let mut last = None;
        for (i, s) in stmts.iter().enumerate() {
            let is_last = i + 1 == stmts.len();
            match s {
                syn::Stmt::Local(l) => {
                    let Some(init) = &l.init else { continue };
                    let v = self.eval(&init.expr, env, cx);
                    if let Some(name) = pat_ident(&l.pat) {
                        if matches!(v, Val::Group(_)) {
                            last = Some(Last::Local(name.clone()));
                        }
                        env.insert(name, v);
                    }
                }
                syn::Stmt::Expr(e, semi) => {
                    if let syn::Expr::Return(r) = e {
                        return r
                            .expr
                            .as_ref()
                            .map(|e| self.eval(e, env, cx))
                            .unwrap_or(Val::Other);
                    }
                    if let syn::Expr::Assign(a) = e
                        && let syn::Expr::Path(p) = &*a.left
                        && let Some(name) = p.path.get_ident()
                    {
                        let v = self.eval(&a.right, env, cx);
                        env.insert(name.to_string(), v);
                        continue;
                    }
                    let v = self.eval(e, env, cx);
                    // `cfg.service(..);` registers on `cfg` itself.
                    if let Some(root) = root_local(e)
                        && matches!(env.get(&root), Some(Val::Group(_)))
                        && matches!(v, Val::Group(_))
                    {
                        env.insert(root.clone(), v.clone());
                        last = Some(Last::Local(root));
                        continue;
                    }
                    if is_last && semi.is_none() && !matches!(v, Val::Other | Val::Call(_)) {
                        return v;
                    }
                    if matches!(v, Val::Group(_)) {
                        last = Some(Last::Value(v));
                    }
                }
                _ => {}
            }
        }
        match last {
            Some(Last::Local(n)) => env.get(&n).cloned().unwrap_or(Val::Other),
            Some(Last::Value(v)) => v,
            None => Val::Other,
        }
    }

    fn eval(&mut self, e: &syn::Expr, env: &mut Env, cx: &Cx) -> Val {
        match e {
            syn::Expr::Paren(p) => self.eval(&p.expr, env, cx),
            syn::Expr::Group(g) => self.eval(&g.expr, env, cx),
            syn::Expr::Reference(r) => self.eval(&r.expr, env, cx),
            syn::Expr::Try(t) => self.eval(&t.expr, env, cx),
            syn::Expr::Await(a) => self.eval(&a.base, env, cx),
            syn::Expr::Block(b) => self.block(&b.block.stmts, env, cx),
            syn::Expr::If(i) => {
                // Registrations on either branch are listed; the value is the `then` one.
                let v = self.block(&i.then_branch.stmts, env, cx);
                if let Some((_, els)) = &i.else_branch {
                    self.eval(els, env, cx);
                }
                v
            }
            syn::Expr::Path(p) => match p.path.get_ident() {
                Some(id) => env.get(&id.to_string()).cloned().unwrap_or(Val::Other),
                None => Val::Other,
            },
            syn::Expr::Closure(cl) => self.eval(&cl.body, &mut env.clone(), cx),
            syn::Expr::Async(a) => self.block(&a.block.stmts, &mut env.clone(), cx),
            syn::Expr::Call(c) => self.call(c, env, cx),
            syn::Expr::MethodCall(m) => self.method(m, env, cx),
            _ => Val::Other,
        }
    }

    fn call(&mut self, c: &syn::ExprCall, env: &mut Env, cx: &Cx) -> Val {
        let syn::Expr::Path(p) = strip(&c.func) else {
            return Val::Other;
        };
        let segs = path_segs(&p.path);
        let last = segs.last().map(String::as_str).unwrap_or("");
        let owner = segs.len().checked_sub(2).map(|i| segs[i].as_str());
        let sp = span_of(cx.file, c.span());
        if let Some(id) = self.ix.resolve_fn(&cx.module, &segs, cx.self_ty.as_deref()) {
            let v = self.fn_value(id);
            if !matches!(v, Val::Other) {
                self.referenced.insert(id);
            }
            return v;
        }
        let arg0 = c.args.first();
        // actix's constructors, as `web::x` or imported (`use actix_web::web::scope`).
        if !matches!(
            owner,
            None | Some("web" | "App" | "Scope" | "Resource" | "Route")
        ) {
            return self.server_call(c, &segs, env, cx);
        }
        match (owner, last) {
            (Some("App"), "new") => return Val::Group(Group::new(Ok(vec![Vec::new()]))),
            (_, "scope") | (Some("Scope"), "new") => {
                return Val::Group(Group::new(prefixes(arg0, "scope")));
            }
            (_, "resource") | (Some("Resource"), "new") => {
                return Val::Group(Group::new(prefixes(arg0, "resource")));
            }
            (_, m) if METHODS.contains(&m) && c.args.is_empty() => {
                return Val::Route(RouteV {
                    methods: vec![m.to_ascii_uppercase()],
                    proto: None,
                    wraps: Vec::new(),
                });
            }
            (_, "route") | (Some("Route"), "new") if c.args.is_empty() => {
                return Val::Route(RouteV {
                    methods: Vec::new(),
                    proto: None,
                    wraps: Vec::new(),
                });
            }
            (_, "method") if c.args.len() == 1 => {
                return Val::Route(RouteV {
                    methods: guard_methods(arg0),
                    proto: None,
                    wraps: Vec::new(),
                });
            }
            (_, "to") if c.args.len() == 1 => {
                let proto = self.handler(arg0, sp, cx);
                return Val::Route(RouteV {
                    methods: Vec::new(),
                    proto: Some(proto),
                    wraps: Vec::new(),
                });
            }
            _ => {}
        }
        self.server_call(c, &segs, env, cx)
    }

    /// Any other call; `HttpServer::new(|| App::new()..)` is the app its closure builds.
    fn server_call(&mut self, c: &syn::ExprCall, segs: &[String], env: &mut Env, cx: &Cx) -> Val {
        for a in &c.args {
            if matches!(strip(a), syn::Expr::Closure(_))
                && let v @ Val::Group(_) = self.eval(a, env, cx)
            {
                return v;
            }
        }
        Val::Call(self.names(segs, cx))
    }

    fn method(&mut self, m: &syn::ExprMethodCall, env: &mut Env, cx: &Cx) -> Val {
        let name = m.method.to_string();
        let recv = self.eval(&m.receiver, env, cx);
        let sp = method_span(cx.file, m);
        let arg = |i: usize| m.args.iter().nth(i);
        match recv {
            Val::Group(mut g) => {
                match name.as_str() {
                    "service" => {
                        for a in &m.args {
                            self.service(a, &mut g, env, cx, sp);
                        }
                    }
                    // `App`/`Scope::route(path, route)`: a resource of that path.
                    "route" if m.args.len() == 2 => {
                        let segs = match arg(0).and_then(crate::routes::lit_str) {
                            Some(p) => path::segments(&p),
                            None => Err("the path is not a string literal".into()),
                        };
                        let rv = self.route_value(arg(1), env, cx);
                        g.routes.extend(expand(rv, segs, sp));
                    }
                    // `Resource::route(route)`, `.to(h)`, `.get(h)`.
                    "route" => {
                        let rv = self.route_value(arg(0), env, cx);
                        g.routes.extend(expand(rv, Ok(Vec::new()), sp));
                    }
                    "to" => {
                        let rv = RouteV {
                            methods: Vec::new(),
                            proto: Some(self.handler(arg(0), sp, cx)),
                            wraps: Vec::new(),
                        };
                        g.routes.extend(expand(rv, Ok(Vec::new()), sp));
                    }
                    n if METHODS.contains(&n) && m.args.len() == 1 => {
                        let rv = RouteV {
                            methods: vec![n.to_ascii_uppercase()],
                            proto: Some(self.handler(arg(0), sp, cx)),
                            wraps: Vec::new(),
                        };
                        g.routes.extend(expand(rv, Ok(Vec::new()), sp));
                    }
                    "wrap" => {
                        if let Some(a) = arg(0) {
                            g.wraps.extend(self.wrap_elements(a, cx, sp));
                        }
                    }
                    "wrap_fn" => {
                        if let Some(a) = arg(0) {
                            g.wraps.push(self.element_of(a, cx, sp));
                        }
                    }
                    "configure" => {
                        if let Some(a) = arg(0) {
                            self.configure(a, &mut g, env, cx, sp);
                        }
                    }
                    // State, guards on scopes, default services (not routes), server calls.
                    _ => {}
                }
                Val::Group(g)
            }
            Val::Route(mut rv) => {
                match name.as_str() {
                    "to" => rv.proto = Some(self.handler(arg(0), sp, cx)),
                    "guard" | "method" => rv.methods.extend(guard_methods(arg(0))),
                    "wrap" => {
                        if let Some(a) = arg(0) {
                            rv.wraps.extend(self.wrap_elements(a, cx, sp));
                        }
                    }
                    _ => {}
                }
                Val::Route(rv)
            }
            other => other,
        }
    }

    fn route_value(&mut self, a: Option<&syn::Expr>, env: &mut Env, cx: &Cx) -> RouteV {
        match a.map(|a| self.eval(a, env, cx)) {
            Some(Val::Route(rv)) => rv,
            _ => RouteV {
                methods: Vec::new(),
                proto: None,
                wraps: Vec::new(),
            },
        }
    }

    /// `.service(x)`: a scope or resource, a handler with a route attribute, a tuple or
    /// `services![..]` of those; anything else is an unresolved route below the group.
    fn service(&mut self, a: &syn::Expr, g: &mut Group, env: &mut Env, cx: &Cx, sp: Span) {
        match strip(a) {
            syn::Expr::Tuple(t) => {
                for e in &t.elems {
                    self.service(e, g, env, cx, sp);
                }
                return;
            }
            syn::Expr::Macro(mac)
                if mac
                    .mac
                    .path
                    .segments
                    .last()
                    .is_some_and(|s| s.ident == "services") =>
            {
                let parser =
                    syn::punctuated::Punctuated::<syn::Expr, syn::Token![,]>::parse_terminated;
                if let Ok(items) = mac.mac.parse_body_with(parser) {
                    for e in &items {
                        self.service(e, g, env, cx, sp);
                    }
                }
                return;
            }
            syn::Expr::Path(p)
                if !p
                    .path
                    .get_ident()
                    .is_some_and(|i| env.contains_key(&i.to_string())) =>
            {
                let segs = path_segs(&p.path);
                let id = self.ix.resolve_fn(&cx.module, &segs, cx.self_ty.as_deref());
                let why = match id {
                    Some(id) if self.attrs.contains_key(&id) => {
                        let routes = self.attr_routes(id, &segs);
                        g.routes.extend(routes);
                        return;
                    }
                    Some(_) => format!("handler `{}` has no route attribute", segs.join("::")),
                    None => self.missing(&segs, cx),
                };
                g.routes.push(unresolved(sp, segs.join("::"), why));
                return;
            }
            _ => {}
        }
        match self.eval(a, env, cx) {
            Val::Group(inner) => g.routes.extend(inner.finish()),
            Val::Call(names) => {
                let name = names.first().cloned().unwrap_or_default();
                let mut r = unresolved(
                    sp,
                    "<service>".into(),
                    format!("`{name}` is a service whose handler is not visible"),
                );
                // `Files::new("/static", ".")`: below its mount path.
                if let syn::Expr::Call(c) = strip(a)
                    && let Some(Ok(s)) = c
                        .args
                        .first()
                        .and_then(crate::routes::lit_str)
                        .map(|p| path::segments(&p))
                {
                    r.segments = s;
                    r.segments.push(Segment::CatchAll("0".into()));
                }
                g.routes.push(r);
            }
            _ => g.routes.push(unresolved(
                sp,
                "<service>".into(),
                "the service could not be resolved".into(),
            )),
        }
    }

    /// `.configure(f)`: the routes `f` registers on its `ServiceConfig`.
    fn configure(&mut self, a: &syn::Expr, g: &mut Group, env: &mut Env, cx: &Cx, sp: Span) {
        let v = match strip(a) {
            syn::Expr::Path(p) => {
                let segs = path_segs(&p.path);
                match self.ix.resolve_fn(&cx.module, &segs, cx.self_ty.as_deref()) {
                    Some(id) => {
                        let v = self.fn_value(id);
                        self.referenced.insert(id);
                        v
                    }
                    None => {
                        let why =
                            self.missing(&segs, cx)
                                .replacen("handler", "configure function", 1);
                        g.routes.push(unresolved(sp, segs.join("::"), why));
                        return;
                    }
                }
            }
            syn::Expr::Closure(cl) => {
                let mut inner = env.clone();
                let cfg = cl.inputs.first().and_then(pat_ident);
                if let Some(c) = &cfg {
                    inner.insert(c.clone(), Val::Group(Group::new(Ok(vec![Vec::new()]))));
                }
                let v = self.eval(&cl.body, &mut inner, cx);
                match cfg.and_then(|c| inner.remove(&c)) {
                    Some(v @ Val::Group(_)) => v,
                    _ => v,
                }
            }
            _ => Val::Other,
        };
        match v {
            Val::Group(inner) => g.routes.extend(inner.finish()),
            _ => g.routes.push(unresolved(
                sp,
                "<configure>".into(),
                "the configure function could not be resolved".into(),
            )),
        }
    }

    /// The routes of a handler with route attributes, registered by `.service(h)`.
    fn attr_routes(&mut self, id: FnId, written: &[String]) -> Vec<Route> {
        let def = &self.ix.fns[id.0 as usize];
        let cx = Cx {
            module: def.module.clone(),
            file: def.file,
            self_ty: def.self_ty.clone(),
        };
        let sig = self.signature_chain(id);
        let mut out = Vec::new();
        for a in self.attrs.get(&id).cloned().unwrap_or_default() {
            let mut wraps = Vec::new();
            for w in &a.wraps {
                wraps.extend(self.wrap_elements(w, &cx, a.span));
            }
            wraps.reverse();
            wraps.extend(sig.iter().cloned());
            let segs = path::segments(&a.path);
            for m in &a.methods {
                let mut r = Route {
                    method: m.clone(),
                    segments: Vec::new(),
                    span: a.span,
                    chain: wraps.clone(),
                    handler: Some(id),
                    handler_name: written.join("::"),
                    unresolved: None,
                };
                match &segs {
                    Ok(s) => r.segments = s.clone(),
                    Err(why) => r.unresolved = Some(why.clone()),
                }
                out.push(r);
            }
        }
        out
    }

    /// `.to(h)`: a route prototype with its handler and the handler's extractors.
    fn handler(&mut self, h: Option<&syn::Expr>, sp: Span, cx: &Cx) -> Route {
        let mut r = unresolved(sp, "<anonymous>".into(), String::new());
        r.unresolved = None;
        match h.map(strip) {
            Some(syn::Expr::Path(p)) => {
                let segs = path_segs(&p.path);
                r.handler_name = segs.join("::");
                match self.ix.resolve_fn(&cx.module, &segs, cx.self_ty.as_deref()) {
                    Some(id) => {
                        r.handler = Some(id);
                        r.chain = self.signature_chain(id);
                    }
                    None => r.unresolved = Some(self.missing(&segs, cx)),
                }
            }
            Some(syn::Expr::Closure(cl)) => {
                r.handler = Some(self.closure(cl, cx));
                r.chain = cl
                    .inputs
                    .iter()
                    .enumerate()
                    .filter_map(|(i, p)| match p {
                        syn::Pat::Type(t) => self.extractor(i, &t.ty, t.span(), cx),
                        _ => None,
                    })
                    .collect();
            }
            Some(other) => {
                r.handler_name = type_text(other);
                r.unresolved = Some(format!(
                    "handler `{}` is not a function path or closure",
                    r.handler_name
                ));
            }
            None => r.unresolved = Some("the route has no handler (`.to(..)`)".into()),
        }
        r
    }

    /// The chain elements of `.wrap(m)`: a middleware type (`RequireLogin`, its
    /// `Transform`'s service as its body), a constructor (`RequireRole::new("admin")`,
    /// named by its type, the call as its factory), `from_fn(f)`, or a factory taking a
    /// project function (`HttpAuthentication::bearer(validator)`).
    fn wrap_elements(&mut self, a: &syn::Expr, cx: &Cx, sp: Span) -> Vec<ChainElement> {
        let el = |names, factory, function| ChainElement {
            kind: ChainKind::Use,
            names,
            factory,
            function,
            span: sp,
            may_apply: false,
        };
        match strip(a) {
            syn::Expr::Path(p) => {
                let segs = path_segs(&p.path);
                let function = self.middleware_body(&segs, cx);
                vec![el(self.names(&segs, cx), Vec::new(), function)]
            }
            syn::Expr::Struct(s) => {
                let segs = path_segs(&s.path);
                let function = self.middleware_body(&segs, cx);
                vec![el(self.names(&segs, cx), Vec::new(), function)]
            }
            syn::Expr::Call(c) => {
                let syn::Expr::Path(p) = strip(&c.func) else {
                    return vec![el(Vec::new(), Vec::new(), None)];
                };
                let segs = path_segs(&p.path);
                let last = segs.last().map(String::as_str).unwrap_or("");
                if last == "from_fn"
                    && let Some(f) = c.args.first()
                {
                    return vec![self.element_of(f, cx, sp)];
                }
                // `Condition::new(flag, mw)`: may or may not run.
                if last == "new"
                    && segs.len() >= 2
                    && segs[segs.len() - 2] == "Condition"
                    && let Some(inner) = c.args.iter().nth(1)
                {
                    let mut els = self.wrap_elements(inner, cx, sp);
                    for e in &mut els {
                        e.may_apply = true;
                    }
                    return els;
                }
                if self
                    .ix
                    .resolve_fn(&cx.module, &segs, cx.self_ty.as_deref())
                    .is_some()
                {
                    // A project function building the middleware: named by it.
                    return vec![el(self.names(&segs, cx), Vec::new(), None)];
                }
                let ty = &segs[..segs.len().saturating_sub(1)];
                let is_type = ty
                    .last()
                    .is_some_and(|t| t.chars().next().is_some_and(char::is_uppercase));
                let names = if is_type {
                    self.names(ty, cx)
                } else {
                    Vec::new()
                };
                let function = if is_type {
                    self.middleware_body(ty, cx)
                } else {
                    None
                }
                .or_else(|| {
                    c.args.iter().find_map(|a| match strip(a) {
                        syn::Expr::Path(p) => self.ix.resolve_fn(
                            &cx.module,
                            &path_segs(&p.path),
                            cx.self_ty.as_deref(),
                        ),
                        _ => None,
                    })
                });
                vec![el(names, self.names(&segs, cx), function)]
            }
            other => vec![el(vec![type_text(other)], Vec::new(), None)],
        }
    }

    /// The body of a middleware type: its `Transform`'s service's `call`.
    fn middleware_body(&self, ty: &[String], cx: &Cx) -> Option<FnId> {
        let mut segs = ty.to_vec();
        segs.push("new_transform".into());
        let new = self
            .ix
            .resolve_fn(&cx.module, &segs, cx.self_ty.as_deref())?;
        self.transforms.get(&new).copied()
    }

    /// A chain element for a function value: a path to a project function, or a closure
    /// (`wrap_fn(|req, srv| ..)`, `from_fn(f)`).
    fn element_of(&mut self, a: &syn::Expr, cx: &Cx, sp: Span) -> ChainElement {
        let (names, function) = match strip(a) {
            syn::Expr::Path(p) => {
                let segs = path_segs(&p.path);
                (
                    self.names(&segs, cx),
                    self.ix.resolve_fn(&cx.module, &segs, cx.self_ty.as_deref()),
                )
            }
            syn::Expr::Closure(cl) => (Vec::new(), Some(self.closure(cl, cx))),
            _ => (Vec::new(), None),
        };
        ChainElement {
            kind: ChainKind::Use,
            names,
            factory: Vec::new(),
            function,
            span: sp,
            may_apply: false,
        }
    }

    fn names(&self, segs: &[String], cx: &Cx) -> Vec<String> {
        self.ix.names(&cx.module, segs, cx.self_ty.as_deref())
    }

    fn closure(&mut self, cl: &syn::ExprClosure, cx: &Cx) -> FnId {
        let id = FnId((self.ix.fns.len() + self.extra.len()) as u32);
        self.extra.push(ExtraFn {
            module: cx.module.clone(),
            file: cx.file,
            self_ty: cx.self_ty.clone(),
            inputs: cl.inputs.iter().cloned().collect(),
            body: (*cl.body).clone(),
            is_async: cl.asyncness.is_some(),
            span: span_of(cx.file, cl.span()),
            lowered: None,
        });
        id
    }

    /// The handler's extractors that may decide about the caller, as chain steps.
    fn signature_chain(&self, id: FnId) -> Vec<ChainElement> {
        let def = &self.ix.fns[id.0 as usize];
        let cx = Cx {
            module: def.module.clone(),
            file: def.file,
            self_ty: def.self_ty.clone(),
        };
        def.sig
            .inputs
            .iter()
            .enumerate()
            .filter_map(|(i, a)| match a {
                syn::FnArg::Typed(t) => self.extractor(i, &t.ty, t.span(), &cx),
                syn::FnArg::Receiver(_) => None,
            })
            .collect()
    }

    fn extractor(
        &self,
        i: usize,
        ty: &syn::Type,
        sp: proc_macro2::Span,
        cx: &Cx,
    ) -> Option<ChainElement> {
        let (path, _) = type_head(ty)?;
        let segs = path_segs(path);
        if DATA_EXTRACTORS.contains(&segs.last()?.as_str()) {
            return None;
        }
        Some(ChainElement {
            kind: ChainKind::Signature { arg: i as u32 },
            names: self.names(&segs, cx),
            factory: Vec::new(),
            function: self.ix.resolve_extractor(&cx.module, &segs),
            span: span_of(cx.file, sp),
            may_apply: false,
        })
    }

    /// Why a path names no project function: it is in a file that does not parse, or it
    /// is not the project's.
    fn missing(&self, segs: &[String], cx: &Cx) -> String {
        let abs = self.ix.absolutize(&cx.module, segs);
        let written = segs.join("::");
        if abs.first().map(String::as_str) == Some("crate") {
            for k in (1..abs.len()).rev() {
                let m = ModKey {
                    krate: cx.module.krate.clone(),
                    path: abs[1..k].to_vec(),
                };
                if let Some(file) = self.broken.get(&m) {
                    return format!("handler `{written}` is in `{file}`, which does not parse");
                }
            }
        }
        format!("handler `{written}` is not a function of the project")
    }
}

/// One route per method (any when none), at `segs`, wrapped by the route's own `.wrap`s.
fn expand(rv: RouteV, segs: Result<Vec<Segment>, String>, sp: Span) -> Vec<Route> {
    let proto = rv.proto.unwrap_or_else(|| {
        unresolved(
            sp,
            "<anonymous>".into(),
            "the route has no handler (`.to(..)`)".into(),
        )
    });
    let mut chain: Vec<ChainElement> = rv.wraps.into_iter().rev().collect();
    chain.extend(proto.chain.iter().cloned());
    let methods = if rv.methods.is_empty() {
        vec!["*".to_string()]
    } else {
        rv.methods
    };
    methods
        .into_iter()
        .map(|m| {
            let mut r = proto.clone();
            r.method = m;
            r.span = sp;
            r.chain = chain.clone();
            match &segs {
                Ok(s) => r.segments = s.clone(),
                Err(why) => r.unresolved = Some(why.clone()),
            }
            r
        })
        .collect()
}

fn unresolved(sp: Span, handler_name: String, why: String) -> Route {
    Route {
        method: "*".into(),
        segments: vec![Segment::CatchAll("0".into())],
        span: sp,
        chain: Vec::new(),
        handler: None,
        handler_name,
        unresolved: Some(why),
    }
}

/// The path prefixes of `web::scope(p)` / `web::resource(p)` (a resource may take an
/// array of paths).
fn prefixes(a: Option<&syn::Expr>, what: &str) -> Result<Vec<Vec<Segment>>, String> {
    let lits: Vec<Option<String>> = match a.map(strip) {
        Some(syn::Expr::Array(arr)) => arr.elems.iter().map(crate::routes::lit_str).collect(),
        Some(e) => vec![crate::routes::lit_str(e)],
        None => vec![None],
    };
    lits.into_iter()
        .map(|l| match l {
            Some(p) => path::segments(&p),
            None => Err(format!("the {what} path is not a string literal")),
        })
        .collect()
}

/// The methods a route guard or `Method` names: `guard::Post()`, `Method::GET`,
/// `guard::Any(guard::Get()).or(guard::Head())`.
fn guard_methods(e: Option<&syn::Expr>) -> Vec<String> {
    let Some(e) = e else { return Vec::new() };
    let text = quote::ToTokens::to_token_stream(e).to_string();
    let mut out = Vec::new();
    for w in text.split(|c: char| !c.is_alphanumeric()) {
        let up = w.to_ascii_uppercase();
        let known = METHODS.contains(&up.to_ascii_lowercase().as_str());
        // `Get` (a guard) or `GET` (a `Method`), not `get` (a call).
        if known && w.chars().next().is_some_and(char::is_uppercase) && !out.contains(&up) {
            out.push(up);
        }
    }
    out
}

/// The route attributes on a function (`#[get("/x")]`, `#[route("/x", method = "GET")]`,
/// with `wrap = "Mw"`), in order; `#[routes]` stacks several.
fn route_attrs(file: FileId, attrs: &[syn::Attribute]) -> Vec<AttrRoute> {
    let mut out = Vec::new();
    for a in attrs {
        let Some(name) = a.path().segments.last().map(|s| s.ident.to_string()) else {
            continue;
        };
        if !(METHODS.contains(&name.as_str()) || name == "route") {
            continue;
        }
        let parser = syn::punctuated::Punctuated::<syn::Expr, syn::Token![,]>::parse_terminated;
        let Ok(args) = a.parse_args_with(parser) else {
            continue;
        };
        let mut it = args.iter();
        let Some(path) = it.next().and_then(crate::routes::lit_str) else {
            continue;
        };
        let mut r = AttrRoute {
            methods: Vec::new(),
            path,
            span: span_of(file, a.span()),
            wraps: Vec::new(),
        };
        if name != "route" {
            r.methods.push(name.to_ascii_uppercase());
        }
        for arg in it {
            let syn::Expr::Assign(kv) = arg else { continue };
            let (syn::Expr::Path(k), Some(v)) = (&*kv.left, crate::routes::lit_str(&kv.right))
            else {
                continue;
            };
            if k.path.is_ident("method") {
                r.methods.push(v.to_ascii_uppercase());
            } else if k.path.is_ident("wrap")
                && let Ok(e) = syn::parse_str::<syn::Expr>(&v)
            {
                r.wraps.push(e);
            }
        }
        if r.methods.is_empty() {
            r.methods.push("*".into());
        }
        out.push(r);
    }
    out
}

/// The local a method chain starts from: `cfg` in `cfg.service(a).service(b)`.
fn root_local(e: &syn::Expr) -> Option<String> {
    match strip(e) {
        syn::Expr::MethodCall(m) => root_local(&m.receiver),
        syn::Expr::Try(t) => root_local(&t.expr),
        syn::Expr::Await(a) => root_local(&a.base),
        syn::Expr::Path(p) => p.path.get_ident().map(|i| i.to_string()),
        syn::Expr::Unary(u) => root_local(&u.expr),
        _ => None,
    }
}

fn pat_ident(p: &syn::Pat) -> Option<String> {
    match p {
        syn::Pat::Ident(i) => Some(i.ident.to_string()),
        syn::Pat::Type(t) => pat_ident(&t.pat),
        syn::Pat::Reference(r) => pat_ident(&r.pat),
        _ => None,
    }
}
