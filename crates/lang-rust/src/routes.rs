//! Finding axum routes: every project function is evaluated for the router it builds
//! (`Router::new().route(..)`, method-router chains, `.nest`, `.merge`, `.with_state`,
//! `.layer`/`.route_layer`), following calls to router-building functions across
//! modules; the routers no other function nests, merges or returns are the apps.
//!
//! Chains (spec-v1 §6): a layer applies to the routes added before it, on its router and
//! on every router it is nested or merged into; a later layer wraps the earlier ones, so
//! it runs first and is prepended. The handler's extractors come last, in parameter
//! order (`ChainKind::Signature`).

use crate::index::{FnDef, Index, ModKey, path_segs, strip, type_head};
use crate::{ExtraFn, span_of};
use secprop_model::{ChainElement, ChainKind, FileId, FnId, Route, Segment, Span};
use std::collections::{BTreeMap, BTreeSet};
use syn::spanned::Spanned;

/// axum's extractors that carry request data and decide nothing about the caller.
const DATA_EXTRACTORS: &[&str] = &[
    "Path",
    "Query",
    "Json",
    "Form",
    "State",
    "Extension",
    "HeaderMap",
    "Method",
    "Uri",
    "OriginalUri",
    "MatchedPath",
    "Request",
    "Bytes",
    "String",
    "Body",
    "RawQuery",
    "RawForm",
    "ConnectInfo",
    "Host",
    "TypedHeader",
    "Multipart",
    "WebSocketUpgrade",
    "Parts",
    "Option",
    "Result",
];

const METHODS: &[&str] = &[
    "get", "post", "put", "delete", "patch", "head", "options", "trace", "connect", "any",
];

#[derive(Debug, Clone)]
enum Val {
    Router(Vec<Route>),
    Methods(Vec<Route>),
    Layers(Vec<ChainElement>),
    /// A call that is none of the above (a tower layer's constructor): its names.
    Call(Vec<String>, Span),
    Other,
}

#[derive(Clone)]
struct Cx {
    module: ModKey,
    file: FileId,
    self_ty: Option<String>,
}

pub struct Finder<'a> {
    ix: &'a Index,
    extra: &'a mut Vec<ExtraFn>,
    memo: BTreeMap<FnId, Val>,
    active: BTreeSet<FnId>,
    referenced: BTreeSet<FnId>,
    /// Files that did not parse, for saying why a handler is missing.
    broken_files: &'a BTreeMap<ModKey, String>,
}

/// Every route of the target's apps.
pub fn find(
    ix: &Index,
    extra: &mut Vec<ExtraFn>,
    broken_files: &BTreeMap<ModKey, String>,
) -> Vec<Route> {
    let mut f = Finder {
        ix,
        extra,
        memo: BTreeMap::new(),
        active: BTreeSet::new(),
        referenced: BTreeSet::new(),
        broken_files,
    };
    for i in 0..ix.fns.len() {
        f.fn_value(FnId(i as u32));
    }
    let mut out = Vec::new();
    for (id, v) in &f.memo {
        if f.referenced.contains(id) {
            continue;
        }
        if let Val::Router(entries) = v {
            out.extend(entries.iter().cloned());
        }
    }
    out
}

impl Finder<'_> {
    fn fn_value(&mut self, id: FnId) -> Val {
        if let Some(v) = self.memo.get(&id) {
            return v.clone();
        }
        if !self.active.insert(id) {
            return Val::Other;
        }
        let def: &FnDef = &self.ix.fns[id.0 as usize];
        let cx = Cx {
            module: def.module.clone(),
            file: def.file,
            self_ty: def.self_ty.clone(),
        };
        let block = def.block.clone();
        let v = self.block(&block, &mut BTreeMap::new(), &cx);
        self.active.remove(&id);
        self.memo.insert(id, v.clone());
        v
    }

    fn block(&mut self, b: &syn::Block, env: &mut BTreeMap<String, Val>, cx: &Cx) -> Val {
        let mut last_router: Option<String> = None;
        for (i, s) in b.stmts.iter().enumerate() {
            let is_last = i + 1 == b.stmts.len();
            match s {
                syn::Stmt::Local(l) => {
                    let Some(init) = &l.init else { continue };
                    let v = self.eval(&init.expr, env, cx);
                    if let Some(name) = pat_ident(&l.pat) {
                        if matches!(v, Val::Router(_)) {
                            last_router = Some(name.clone());
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
                        if matches!(v, Val::Router(_)) {
                            last_router = Some(name.to_string());
                        }
                        env.insert(name.to_string(), v);
                        continue;
                    }
                    let v = self.eval(e, env, cx);
                    if is_last && semi.is_none() && !matches!(v, Val::Other | Val::Call(..)) {
                        return v;
                    }
                }
                _ => {}
            }
        }
        last_router
            .and_then(|n| env.get(&n).cloned())
            .unwrap_or(Val::Other)
    }

    fn eval(&mut self, e: &syn::Expr, env: &mut BTreeMap<String, Val>, cx: &Cx) -> Val {
        match e {
            syn::Expr::Paren(p) => self.eval(&p.expr, env, cx),
            syn::Expr::Group(g) => self.eval(&g.expr, env, cx),
            syn::Expr::Reference(r) => self.eval(&r.expr, env, cx),
            syn::Expr::Try(t) => self.eval(&t.expr, env, cx),
            syn::Expr::Await(a) => self.eval(&a.base, env, cx),
            syn::Expr::Block(b) => self.block(&b.block, &mut env.clone(), cx),
            syn::Expr::If(i) => {
                // A router built on a condition: both branches are walked for their
                // assignments; the value is the `then` branch's.
                let v = self.block(&i.then_branch, env, cx);
                if let Some((_, els)) = &i.else_branch {
                    self.eval(els, env, cx);
                }
                v
            }
            syn::Expr::Path(p) => match p.path.get_ident() {
                Some(id) => env.get(&id.to_string()).cloned().unwrap_or(Val::Other),
                None => Val::Other,
            },
            syn::Expr::Call(c) => self.call(c, cx),
            syn::Expr::MethodCall(m) => self.method(m, env, cx),
            _ => Val::Other,
        }
    }

    fn call(&mut self, c: &syn::ExprCall, cx: &Cx) -> Val {
        let syn::Expr::Path(p) = &*c.func else {
            return Val::Other;
        };
        let segs = path_segs(&p.path);
        let last = segs.last().map(String::as_str).unwrap_or("");
        let sp = span_of(cx.file, c.span());
        let project_fn = self.ix.resolve_fn(&cx.module, &segs, cx.self_ty.as_deref());
        if project_fn.is_none() {
            if matches!(last, "new" | "default")
                && segs.len() >= 2
                && segs[segs.len() - 2] == "Router"
            {
                return Val::Router(Vec::new());
            }
            if segs.len() >= 2 && segs[segs.len() - 2] == "ServiceBuilder" && last == "new" {
                return Val::Layers(Vec::new());
            }
            if METHODS.contains(&last)
                || last.ends_with("_service")
                    && METHODS.contains(&last.trim_end_matches("_service"))
            {
                let method = last.trim_end_matches("_service");
                return Val::Methods(vec![self.method_entry(
                    method,
                    last,
                    c.args.first(),
                    sp,
                    cx,
                )]);
            }
            if last == "on" || last == "on_service" {
                let methods = filter_methods(c.args.first());
                let h = c.args.iter().nth(1);
                return Val::Methods(
                    methods
                        .iter()
                        .map(|m| self.method_entry(m, last, h, sp, cx))
                        .collect(),
                );
            }
            if let Some(el) = self.layer_fn(last, c, p, sp, cx) {
                return Val::Layers(vec![el]);
            }
            return Val::Call(self.ix.names(&cx.module, &segs, cx.self_ty.as_deref()), sp);
        }
        let id = project_fn.unwrap();
        let v = self.fn_value(id);
        if !matches!(v, Val::Other) {
            self.referenced.insert(id);
        }
        v
    }

    /// `middleware::from_fn(guard)`, `from_fn_with_state(state, guard)`,
    /// `from_extractor::<RequireAuth>()`: a chain element named by the function wrapped.
    fn layer_fn(
        &mut self,
        last: &str,
        c: &syn::ExprCall,
        p: &syn::ExprPath,
        sp: Span,
        cx: &Cx,
    ) -> Option<ChainElement> {
        let arg = match last {
            "from_fn" | "map_request" => c.args.first(),
            "from_fn_with_state" | "map_request_with_state" => c.args.iter().nth(1),
            "from_extractor" | "from_extractor_with_state" => {
                let ty = p.path.segments.last().and_then(|s| match &s.arguments {
                    syn::PathArguments::AngleBracketed(a) => a.args.iter().find_map(|g| match g {
                        syn::GenericArgument::Type(t) => Some(t.clone()),
                        _ => None,
                    }),
                    _ => None,
                })?;
                let (path, _) = type_head(&ty)?;
                let segs = path_segs(path);
                return Some(ChainElement {
                    kind: ChainKind::Use,
                    names: self.ix.names(&cx.module, &segs, cx.self_ty.as_deref()),
                    factory: Vec::new(),
                    function: self.ix.resolve_extractor(&cx.module, &segs),
                    span: sp,
                    may_apply: false,
                });
            }
            _ => return None,
        }?;
        Some(self.element_of(arg, ChainKind::Use, sp, cx))
    }

    /// A chain element for a function value: a path to a project function, or a closure.
    fn element_of(&mut self, arg: &syn::Expr, kind: ChainKind, sp: Span, cx: &Cx) -> ChainElement {
        let (names, function) = match strip(arg) {
            syn::Expr::Path(p) => {
                let segs = path_segs(&p.path);
                (
                    self.ix.names(&cx.module, &segs, cx.self_ty.as_deref()),
                    self.ix.resolve_fn(&cx.module, &segs, cx.self_ty.as_deref()),
                )
            }
            syn::Expr::Closure(cl) => (Vec::new(), Some(self.closure(cl, cx))),
            _ => (Vec::new(), None),
        };
        ChainElement {
            kind,
            names,
            factory: Vec::new(),
            function,
            span: sp,
            may_apply: false,
        }
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

    /// One method of a method router: `get(handler)`.
    fn method_entry(
        &mut self,
        method: &str,
        written: &str,
        handler: Option<&syn::Expr>,
        sp: Span,
        cx: &Cx,
    ) -> Route {
        let method = if method == "any" {
            "*".to_string()
        } else {
            method.to_ascii_uppercase()
        };
        let mut e = Route {
            method,
            segments: Vec::new(),
            span: sp,
            chain: Vec::new(),
            handler: None,
            handler_name: "<anonymous>".into(),
            unresolved: None,
        };
        if written.ends_with("_service") {
            e.handler_name = "<service>".into();
            e.unresolved = Some(format!(
                "`{written}` routes to a tower service, whose handler is not visible"
            ));
            return e;
        }
        match handler.map(strip) {
            Some(syn::Expr::Path(p)) => {
                let segs = path_segs(&p.path);
                e.handler_name = segs.join("::");
                match self.ix.resolve_fn(&cx.module, &segs, cx.self_ty.as_deref()) {
                    Some(id) => {
                        e.handler = Some(id);
                        e.chain = self.signature_chain(id);
                    }
                    None => e.unresolved = Some(self.missing(&segs, cx)),
                }
            }
            Some(syn::Expr::Closure(cl)) => {
                let id = self.closure(cl, cx);
                e.handler = Some(id);
                e.chain = self.closure_signature(cl, cx);
            }
            Some(other) => {
                e.handler_name = crate::index::type_text(other);
                e.unresolved = Some(format!(
                    "handler `{}` is not a function path or closure",
                    e.handler_name
                ));
            }
            None => e.unresolved = Some("method router without a handler".into()),
        }
        e
    }

    /// Why a nested or merged router is not known: its function is missing, is in a file
    /// that does not parse, or the value is not a router built in the project.
    fn unknown_router(&self, a: Option<&syn::Expr>, what: &str, cx: &Cx) -> String {
        if let Some(syn::Expr::Call(c)) = a.map(strip)
            && let syn::Expr::Path(p) = strip(&c.func)
        {
            let segs = path_segs(&p.path);
            if self
                .ix
                .resolve_fn(&cx.module, &segs, cx.self_ty.as_deref())
                .is_none()
            {
                return format!(
                    "the {what} router: {}",
                    self.missing(&segs, cx).replacen("handler ", "", 1)
                );
            }
        }
        format!("the {what} router could not be resolved")
    }

    /// Why a handler path names no project function.
    fn missing(&self, segs: &[String], cx: &Cx) -> String {
        let abs = self.ix.absolutize(&cx.module, segs);
        let written = segs.join("::");
        if abs.first().map(String::as_str) == Some("crate") {
            for k in (1..abs.len()).rev() {
                let m = ModKey {
                    krate: cx.module.krate.clone(),
                    path: abs[1..k].to_vec(),
                };
                if let Some(file) = self.broken_files.get(&m) {
                    return format!("handler `{written}` is in `{file}`, which does not parse");
                }
            }
        }
        format!("handler `{written}` is not a function of the project")
    }

    /// The handler's extractors that may decide about the caller, as chain steps.
    fn signature_chain(&mut self, id: FnId) -> Vec<ChainElement> {
        let def = &self.ix.fns[id.0 as usize];
        let cx = Cx {
            module: def.module.clone(),
            file: def.file,
            self_ty: def.self_ty.clone(),
        };
        let inputs: Vec<(usize, syn::Type, proc_macro2::Span)> = def
            .sig
            .inputs
            .iter()
            .enumerate()
            .filter_map(|(i, a)| match a {
                syn::FnArg::Typed(t) => Some((i, (*t.ty).clone(), t.span())),
                syn::FnArg::Receiver(_) => None,
            })
            .collect();
        inputs
            .iter()
            .filter_map(|(i, ty, sp)| self.extractor(*i, ty, *sp, &cx))
            .collect()
    }

    fn closure_signature(&mut self, cl: &syn::ExprClosure, cx: &Cx) -> Vec<ChainElement> {
        cl.inputs
            .iter()
            .enumerate()
            .filter_map(|(i, p)| match p {
                syn::Pat::Type(t) => self.extractor(i, &t.ty, t.span(), cx),
                _ => None,
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
        let last = segs.last()?;
        if DATA_EXTRACTORS.contains(&last.as_str()) {
            return None;
        }
        Some(ChainElement {
            kind: ChainKind::Signature { arg: i as u32 },
            names: self.ix.names(&cx.module, &segs, cx.self_ty.as_deref()),
            factory: Vec::new(),
            function: self.ix.resolve_extractor(&cx.module, &segs),
            span: span_of(cx.file, sp),
            may_apply: false,
        })
    }

    fn method(&mut self, m: &syn::ExprMethodCall, env: &mut BTreeMap<String, Val>, cx: &Cx) -> Val {
        let name = m.method.to_string();
        let recv = self.eval(&m.receiver, env, cx);
        let sp = crate::method_span(cx.file, m);
        let arg = |i: usize| m.args.iter().nth(i);
        match recv {
            Val::Router(mut routes) => match name.as_str() {
                "route" | "route_service" => {
                    let path = arg(0).and_then(lit_str);
                    let mr = match arg(1) {
                        Some(a) if name == "route" => self.eval(a, env, cx),
                        _ => Val::Other,
                    };
                    let mut entries = match mr {
                        Val::Methods(es) => es,
                        _ => vec![Route {
                            method: "*".into(),
                            segments: Vec::new(),
                            span: sp,
                            chain: Vec::new(),
                            handler: None,
                            handler_name: "<service>".into(),
                            unresolved: Some(if name == "route_service" {
                                "`route_service` routes to a tower service, whose handler is not visible".into()
                            } else {
                                "the method router could not be resolved".into()
                            }),
                        }],
                    };
                    for e in &mut entries {
                        e.span = sp;
                        match &path {
                            Some(p) => match crate::path::segments(p) {
                                Ok(s) => e.segments = s,
                                Err(why) => e.unresolved = Some(why),
                            },
                            None => e.unresolved = Some("the path is not a string literal".into()),
                        }
                    }
                    routes.extend(entries);
                    Val::Router(routes)
                }
                "nest" | "nest_service" => {
                    let prefix = arg(0).and_then(lit_str);
                    let inner = match arg(1) {
                        Some(a) if name == "nest" => self.eval(a, env, cx),
                        _ => Val::Other,
                    };
                    let prefix_segs = match &prefix {
                        Some(p) => crate::path::segments(p),
                        None => Err("the nest prefix is not a string literal".into()),
                    };
                    match (inner, prefix_segs) {
                        (Val::Router(inner), Ok(pre)) => {
                            for mut e in inner {
                                let mut s = pre.clone();
                                s.extend(e.segments);
                                e.segments = s;
                                routes.push(e);
                            }
                        }
                        (_, pre) => {
                            let why = match (&pre, name.as_str()) {
                                (Err(w), _) => w.clone(),
                                (_, "nest_service") => "`nest_service` routes to a tower service, whose handler is not visible".into(),
                                _ => self.unknown_router(arg(1), "nested", cx),
                            };
                            let mut s = pre.unwrap_or_default();
                            s.push(Segment::CatchAll("0".into()));
                            routes.push(Route {
                                method: "*".into(),
                                segments: s,
                                span: sp,
                                chain: Vec::new(),
                                handler: None,
                                handler_name: "<router>".into(),
                                unresolved: Some(why),
                            });
                        }
                    }
                    Val::Router(routes)
                }
                "merge" => {
                    match arg(0).map(|a| self.eval(a, env, cx)) {
                        Some(Val::Router(inner)) => routes.extend(inner),
                        _ => routes.push(Route {
                            unresolved: Some(self.unknown_router(arg(0), "merged", cx)),
                            method: "*".into(),
                            segments: vec![Segment::CatchAll("0".into())],
                            span: sp,
                            chain: Vec::new(),
                            handler: None,
                            handler_name: "<router>".into(),
                        }),
                    }
                    Val::Router(routes)
                }
                "layer" | "route_layer" => {
                    let els = arg(0)
                        .map(|a| self.layer_elements(a, ChainKind::Use, env, cx))
                        .unwrap_or_default();
                    prepend(&mut routes, &els);
                    Val::Router(routes)
                }
                // Same routes: state, fallbacks (not routes), conversions.
                _ => Val::Router(routes),
            },
            Val::Methods(mut entries) => {
                if METHODS.contains(&name.as_str())
                    || name.ends_with("_service")
                        && METHODS.contains(&name.trim_end_matches("_service"))
                {
                    let method = name.trim_end_matches("_service").to_string();
                    let e = self.method_entry(&method, &name, arg(0), sp, cx);
                    entries.push(e);
                } else if name == "on" || name == "on_service" {
                    for method in filter_methods(arg(0)) {
                        let e = self.method_entry(&method, &name, arg(1), sp, cx);
                        entries.push(e);
                    }
                } else if name == "layer" || name == "route_layer" {
                    let els = arg(0)
                        .map(|a| self.layer_elements(a, ChainKind::Route, env, cx))
                        .unwrap_or_default();
                    prepend(&mut entries, &els);
                }
                Val::Methods(entries)
            }
            Val::Layers(mut els) => {
                if name == "layer"
                    && let Some(a) = arg(0)
                {
                    els.extend(self.layer_elements(a, ChainKind::Use, env, cx));
                }
                Val::Layers(els)
            }
            Val::Call(names, s) => {
                // `TraceLayer::new_for_http().make_span_with(..)`: still that layer.
                Val::Call(names, s)
            }
            Val::Other => Val::Other,
        }
    }

    fn layer_elements(
        &mut self,
        a: &syn::Expr,
        kind: ChainKind,
        env: &mut BTreeMap<String, Val>,
        cx: &Cx,
    ) -> Vec<ChainElement> {
        let sp = span_of(cx.file, a.span());
        match self.eval(a, env, cx) {
            Val::Layers(mut els) => {
                for e in &mut els {
                    e.kind = kind.clone();
                }
                els
            }
            Val::Call(names, s) => vec![ChainElement {
                kind,
                names: Vec::new(),
                factory: names,
                function: None,
                span: s,
                may_apply: false,
            }],
            _ => {
                let names = match strip(a) {
                    syn::Expr::Path(p) => {
                        self.ix
                            .names(&cx.module, &path_segs(&p.path), cx.self_ty.as_deref())
                    }
                    other => vec![crate::index::type_text(other)],
                };
                vec![ChainElement {
                    kind,
                    names,
                    factory: Vec::new(),
                    function: None,
                    span: sp,
                    may_apply: false,
                }]
            }
        }
    }
}

/// A layer wraps the routes registered before it: it runs before their chains.
fn prepend(routes: &mut [Route], els: &[ChainElement]) {
    for r in routes {
        let mut c = els.to_vec();
        c.append(&mut r.chain);
        r.chain = c;
    }
}

fn pat_ident(p: &syn::Pat) -> Option<String> {
    match p {
        syn::Pat::Ident(i) => Some(i.ident.to_string()),
        syn::Pat::Type(t) => pat_ident(&t.pat),
        _ => None,
    }
}

pub fn lit_str(e: &syn::Expr) -> Option<String> {
    match strip(e) {
        syn::Expr::Lit(syn::ExprLit {
            lit: syn::Lit::Str(s),
            ..
        }) => Some(s.value()),
        _ => None,
    }
}

/// The methods of a `MethodFilter` expression (`MethodFilter::GET.or(MethodFilter::POST)`).
fn filter_methods(e: Option<&syn::Expr>) -> Vec<String> {
    let Some(e) = e else { return Vec::new() };
    let text = quote::ToTokens::to_token_stream(e).to_string();
    let mut out: Vec<String> = [
        "GET", "POST", "PUT", "DELETE", "PATCH", "HEAD", "OPTIONS", "TRACE", "CONNECT",
    ]
    .iter()
    .filter(|m| text.split(|c: char| !c.is_alphanumeric()).any(|w| w == **m))
    .map(|m| m.to_ascii_lowercase())
    .collect();
    out.dedup();
    out
}
