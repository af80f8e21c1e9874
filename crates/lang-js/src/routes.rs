//! Route discovery (spec-v1 §5, §6): interprets every module's top level and the
//! functions it calls with routers as arguments, records registrations per router in
//! order, then walks mounts from the apps to list each route once per method and
//! concrete path with its chain. Nothing is dropped: what cannot be resolved is listed
//! with `unresolved`.
//!
//! Routes are sorted by (file, start of the registration, path, method), so the output
//! is deterministic whatever order files were parsed in.

use crate::eval::{Ev, Item, Op, PathArg, RouterId, RouterKind, Val};
use crate::index::{Store, ancestors};
use crate::lower::names_for;
use crate::path::{expand, literal_start};
use crate::syntax::NodeExt;
use crate::syntax::{callee_path, is_function, span, span_between, strip, text};
use secprop_model::{ChainElement, ChainKind, FnId, Route, Segment, Warning, WarningKind};
use std::collections::{BTreeSet, HashMap};

/// A chain element with the path prefixes it applies to (`None`: every route below).
#[derive(Clone)]
struct Entry {
    scope: Option<Vec<Vec<Segment>>>,
    elem: ChainElement,
}

/// A route as registered, before registrations of the same method and path are merged.
struct Found {
    file: usize,
    start: u32,
    route: Route,
    /// The path was listed statically (an unresolved path is never merged with another).
    path_known: bool,
    /// The registration's handler as a chain element, for when a later registration of
    /// the same method and path follows it.
    handler_elem: Option<ChainElement>,
    /// How many chain elements come from the app and routers (`use()`, mounts) rather
    /// than from the registration itself.
    base_len: usize,
    /// The handler is a middleware that passes the request on (`(req, res, next)` calling
    /// `next`): a catch-all registration such as `app.all('*', requireLogin)` then runs
    /// before the later routes it covers.
    continues: bool,
}

struct Builder<'s, 'a> {
    store: &'s Store<'a>,
    ev: Ev<'s, 'a>,
    routes: Vec<Found>,
    warnings: Vec<Warning>,
    stack: Vec<RouterId>,
    /// Chain elements by (file, node id): a middleware shared by many routes is
    /// described once.
    elements: HashMap<(usize, usize), ChainElement>,
    /// Per function used as a step (handler, route or router middleware): the outer path
    /// parameters it cannot read in every place it runs (see [`Hidden`]).
    hidden: HashMap<FnId, BTreeSet<String>>,
}

/// Path parameters a route's own steps cannot read: Express gives a router created
/// without `mergeParams: true` only its own parameters in `req.params`, so below
/// `app.use('/projects/:projectId', Router())` the handler's `req.params.projectId` is
/// `undefined` although the route's path has `{projectId}`. Keyed by function; a function
/// that runs in several places hides only what is hidden in all of them.
pub(crate) type Hidden = Vec<(FnId, BTreeSet<String>)>;

/// Finds every route of the project.
pub(crate) fn find_routes<'a>(store: &Store<'a>) -> (Vec<Route>, Vec<Warning>, Hidden) {
    let timing = std::env::var_os("SECPROP_TIMING").is_some();
    let t0 = std::time::Instant::now();
    let mut ev = Ev::interpreter(store);
    for f in 0..store.files.len() {
        ev.ensure_module(f);
    }
    let t1 = t0.elapsed();
    // Functions that register routes but that no entry point called (for example
    // `module.exports = (app) => { ... }` with the caller outside the scanned folder):
    // interpret them with their parameters free.
    if let Some(it) = ev.it.as_mut() {
        it.fallback = true;
    }
    for (fi, f) in store.files.iter().enumerate() {
        for call in &f.route_like {
            let visited = ev
                .it
                .as_ref()
                .is_some_and(|i| i.visited_calls.contains(&(fi, call.start_byte())));
            if visited {
                continue;
            }
            let outer = ancestors(f.root, *call)
                .into_iter()
                .find(|n| is_function(n.k()));
            if let Some(func) = outer
                && let Some(id) = f.fn_id(func)
                && !ev.it.as_ref().is_some_and(|i| i.interpreted.contains(&id))
            {
                ev.call_val(&Val::Func(id), Vec::new(), None);
            }
        }
    }
    let mut b = Builder {
        store,
        ev,
        routes: Vec::new(),
        warnings: Vec::new(),
        stack: Vec::new(),
        elements: HashMap::new(),
        hidden: HashMap::new(),
    };
    let t2 = t0.elapsed();
    b.build();
    if timing {
        eprintln!(
            "routes: modules {t1:?} fallback {:?} build {:?}",
            t2 - t1,
            t0.elapsed() - t2
        );
    }
    let merged = catch_alls_run_first(merge_registrations(b.routes));
    // The canonical path is built once per route, not once per comparison.
    let mut routes: Vec<_> = merged.into_iter().map(|r| (r.route.path(), r)).collect();
    routes.sort_by(|(pa, a), (pb, b)| {
        (a.file, a.start, pa, &a.route.method).cmp(&(b.file, b.start, pb, &b.route.method))
    });
    let mut hidden: Hidden = b
        .hidden
        .into_iter()
        .filter(|(_, h)| !h.is_empty())
        .collect();
    hidden.sort();
    (
        routes.into_iter().map(|(_, r)| r.route).collect(),
        b.warnings,
        hidden,
    )
}

/// A registration whose path ends in a catch-all (`app.all('/api/*', requireLogin)`,
/// `router.get('*', mw)`), or an `all()` of the same path, whose handler passes the
/// request on runs before every later route of its method (any, for `*`) below that path: its chain elements and handler join
/// theirs after the middleware they share (spec-v1 §6: the chain is everything the
/// framework runs before the handler).
fn catch_alls_run_first(mut found: Vec<Found>) -> Vec<Found> {
    for i in 0..found.len() {
        let (earlier, rest) = found.split_at_mut(i);
        let f = &mut rest[0];
        if !f.path_known {
            continue;
        }
        for e in earlier.iter() {
            let below = matches!(e.route.segments.last(), Some(Segment::CatchAll(_)))
                && e.route.segments != f.route.segments
                && prefixes(&e.route.segments, &f.route.segments);
            // `app.all('/x', mw)` then `app.get('/x', h)`: the same path for every method.
            let same_path = e.route.method == "*"
                && f.route.method != "*"
                && e.route.segments == f.route.segments;
            let covers = e.path_known
                && e.continues
                && (e.route.method == "*" || e.route.method == f.route.method)
                && (below || same_path);
            let n = e.base_len;
            let same_base = n <= e.route.chain.len()
                && n <= f.route.chain.len()
                && e.route.chain[..n]
                    .iter()
                    .zip(&f.route.chain[..n])
                    .all(|(a, b)| a.span == b.span && a.kind == b.kind);
            if !covers || !same_base {
                continue;
            }
            let tail = f.route.chain.split_off(n);
            f.route.chain.extend(e.route.chain[n..].iter().cloned());
            f.route.chain.extend(e.handler_elem.iter().cloned());
            let inserted = f.route.chain.len() - n;
            f.route.chain.extend(tail);
            // What ran before the catch-all's elements is still what came before `f`'s own.
            f.base_len += inserted;
        }
    }
    found
}

/// Several registrations of the same method and path form one route (spec-v1 §6): Express
/// runs them in registration order, so the chain is the first registration's chain, its
/// handler, then what the later registration adds beyond the chain they share. The route
/// is listed where its last registration (the one whose handler ends the chain) is.
fn merge_registrations(found: Vec<Found>) -> Vec<Found> {
    let mut out: Vec<Found> = Vec::with_capacity(found.len());
    let mut index: HashMap<(String, Vec<Segment>), usize> = HashMap::new();
    for f in found {
        if !f.path_known {
            out.push(f);
            continue;
        }
        let key = (f.route.method.clone(), f.route.segments.clone());
        let Some(&i) = index.get(&key) else {
            index.insert(key, out.len());
            out.push(f);
            continue;
        };
        let first = &mut out[i];
        let mut chain = std::mem::take(&mut first.route.chain);
        chain.extend(first.handler_elem.take());
        // Middleware of the app and routers, and a parameter callback, run once per
        // request however many registrations match: only what is new is added.
        let base_len = f.base_len.min(f.route.chain.len());
        let tail: Vec<ChainElement> = f
            .route
            .chain
            .iter()
            .enumerate()
            .filter(|(j, e)| {
                let once = *j < base_len || matches!(e.kind, ChainKind::ParamBound { .. });
                !once || !chain.iter().any(|c| c.span == e.span && c.kind == e.kind)
            })
            .map(|(_, e)| e.clone())
            .collect();
        chain.extend(tail);
        let unresolved = first.route.unresolved.take().or(f.route.unresolved);
        *first = Found {
            route: Route {
                chain,
                unresolved,
                ..f.route
            },
            ..f
        };
    }
    out
}

fn cross(prefixes: &[Vec<Segment>], path: &PathArg) -> Result<Vec<Vec<Segment>>, String> {
    let alts: Vec<Vec<Segment>> = match path {
        PathArg::None => vec![Vec::new()],
        PathArg::Unresolved(r) => return Err(r.clone()),
        PathArg::Paths(ps) => {
            let mut out = Vec::new();
            for p in ps {
                out.extend(expand(p)?);
            }
            out
        }
    };
    let mut out = Vec::new();
    for pre in prefixes {
        for a in &alts {
            let mut s = pre.clone();
            s.extend(a.iter().cloned());
            out.push(s);
        }
    }
    Ok(out)
}

/// Where a `use()` whose path cannot be listed may apply: below the literal start of each
/// path (`/files(?!/private)/:name` gives the mount prefix itself).
fn uncertain_scope(prefixes: &[Vec<Segment>], path: &PathArg) -> Vec<Vec<Segment>> {
    let starts: Vec<Vec<Segment>> = match path {
        PathArg::Paths(ps) => ps
            .iter()
            .flat_map(|p| expand(p).unwrap_or_else(|_| vec![literal_start(p)]))
            .collect(),
        PathArg::None | PathArg::Unresolved(_) => vec![Vec::new()],
    };
    let mut out = Vec::new();
    for pre in prefixes {
        for st in &starts {
            let mut s = pre.clone();
            s.extend(st.iter().cloned());
            s.push(Segment::CatchAll(crate::path::UNNAMED_WILDCARD.into()));
            if !out.contains(&s) {
                out.push(s);
            }
        }
    }
    out
}

/// Whether a `use()` path prefix applies to a route path.
fn prefixes(scope: &[Segment], route: &[Segment]) -> bool {
    for (i, s) in scope.iter().enumerate() {
        match (s, route.get(i)) {
            (Segment::CatchAll(_), _) => return true,
            (_, None) => return false,
            (Segment::Literal(a), Some(Segment::Literal(b))) => {
                if a != b {
                    return false;
                }
            }
            (Segment::Literal(_), Some(_)) => return false,
            (Segment::Param(_), Some(_)) => {}
        }
    }
    true
}

/// A `router.param(name, fn)` callback: Express passes the parameter's value as the
/// fourth argument, `(req, res, next, value)`.
fn param_bound(name: &str) -> ChainKind {
    ChainKind::ParamBound {
        param: name.to_string(),
        arg: 3,
    }
}

fn params_of(segs: &[Segment]) -> Vec<&str> {
    segs.iter()
        .filter_map(|s| match s {
            Segment::Param(p) | Segment::CatchAll(p) => Some(p.as_str()),
            Segment::Literal(_) => None,
        })
        .collect()
}

impl<'s, 'a> Builder<'s, 'a> {
    fn routers(&self) -> &[crate::eval::RouterInfo<'a>] {
        self.ev
            .it
            .as_ref()
            .map(|i| i.routers.as_slice())
            .unwrap_or(&[])
    }

    fn build(&mut self) {
        let n = self.routers().len();
        let redundant = self
            .ev
            .it
            .as_ref()
            .map(|i| i.redundant_free_routers())
            .unwrap_or_default();
        for r in 0..n {
            if redundant.binary_search(&(r as RouterId)).is_ok() {
                continue;
            }
            let (kind, mounted, has_ops, file, node, name) = {
                let ri = &self.routers()[r];
                (
                    ri.kind,
                    ri.mounted,
                    !ri.ops.is_empty(),
                    ri.file,
                    ri.node,
                    ri.name.clone(),
                )
            };
            if mounted || !has_ops {
                continue;
            }
            let src = self.store.files[file].src;
            let unresolved = match kind {
                RouterKind::App | RouterKind::FreeApp => None,
                RouterKind::Router | RouterKind::FreeRouter => {
                    let shown = router_display(node, src, &name);
                    Some(format!(
                        "router {shown} is not mounted by any scanned file, so its prefix is unknown"
                    ))
                }
                RouterKind::Unresolved => Some(format!(
                    "`{name}` is used as a router but could not be resolved"
                )),
            };
            self.walk(
                r as RouterId,
                &[Vec::new()],
                &[],
                unresolved,
                &BTreeSet::new(),
            );
        }
    }

    fn element(&mut self, item: &Item<'a>, kind: ChainKind) -> ChainElement {
        let key = (item.file, item.node.id());
        if let Some(e) = self.elements.get(&key) {
            // The kind only labels the element; what it names does not depend on it.
            return ChainElement { kind, ..e.clone() };
        }
        let e = self.make_element(item, kind);
        self.elements.insert(key, e.clone());
        e
    }

    fn make_element(&mut self, item: &Item<'a>, kind: ChainKind) -> ChainElement {
        let fi = &self.store.files[item.file];
        let node = strip(item.node);
        let scopes = ancestors(fi.root, node);
        let mut names = Vec::new();
        let mut factory = Vec::new();
        let mut function = None;
        match node.k() {
            "call_expression" | "new_expression" => {
                let callee = node
                    .field(if node.k() == "call_expression" {
                        "function"
                    } else {
                        "constructor"
                    })
                    .map(strip);
                if let Some(c) = callee {
                    factory = names_for(self.store, item.file, c, &scopes);
                }
                if let Some((id, _)) = item.wrapped {
                    function = Some(id);
                } else if let Val::Func(id) = item.val {
                    function = Some(id);
                }
            }
            k if is_function(k) => {
                function = fi.fn_id(node);
                if let Some(n) = node.field("name") {
                    names.push(text(n, fi.src).to_string());
                }
            }
            _ => {
                names = names_for(self.store, item.file, node, &scopes);
                if let Val::Func(id) = item.val {
                    function = Some(id);
                }
            }
        }
        ChainElement {
            kind,
            names,
            factory,
            function,
            span: span(fi.id, fi.src, node),
            may_apply: false,
        }
    }

    fn walk(
        &mut self,
        r: RouterId,
        prefix: &[Vec<Segment>],
        inherited: &[Entry],
        unresolved: Option<String>,
        hidden: &BTreeSet<String>,
    ) {
        if self.stack.contains(&r) || self.stack.len() > 32 {
            let f = self.routers()[r as usize].file;
            self.warnings.push(Warning {
                kind: WarningKind::Other,
                file: self.store.files[f].p.rel.clone(),
                span: None,
                message: "a router is mounted inside itself; the cycle is cut".into(),
            });
            return;
        }
        self.stack.push(r);
        let ops = self.routers()[r as usize].ops.clone();
        // Parameter callbacks fire for this router's own path parameters, whenever declared.
        let mut param_cbs: Vec<(String, Item<'a>)> = Vec::new();
        for op in &ops {
            if let Op::Param { names, item } = op {
                for n in names {
                    param_cbs.push((n.clone(), item.clone()));
                }
            }
        }
        let mut chain: Vec<Entry> = inherited.to_vec();
        let mut unresolved = unresolved;
        for op in &ops {
            match op {
                Op::Param { .. } | Op::Dropped => {}
                Op::Use { path, items, .. } => {
                    // An unknown `use()` path: its middleware may apply to any route below
                    // the path's literal start. It is listed as such, and the other routes
                    // stay resolved (only a router mounted there has an unknown prefix).
                    let (scope, uncertain) = match cross(prefix, path) {
                        Ok(s) => (s, None),
                        Err(reason) => (uncertain_scope(prefix, path), Some(reason)),
                    };
                    let mounts_router = items.iter().any(|i| matches!(i.val, Val::Router(_)));
                    // `app.use(path, ..., h)` whose last function answers the request (a
                    // file server, a handler that never continues) is a route for every
                    // method below the path.
                    if !mounts_router
                        && let (Some(last), Op::Use { call, .. }) = (items.last(), op)
                        && self.answers(last)
                    {
                        let below = |p: &str| format!("{}/*", p.trim_end_matches('/'));
                        let route_path = match path {
                            PathArg::None => PathArg::Paths(vec![below("")]),
                            PathArg::Paths(ps) => {
                                PathArg::Paths(ps.iter().map(|p| below(p)).collect())
                            }
                            PathArg::Unresolved(r) => PathArg::Unresolved(r.clone()),
                        };
                        let entries = chain.clone();
                        self.route(
                            last.file,
                            *call,
                            *call,
                            &["*".to_string()],
                            &route_path,
                            items,
                            prefix,
                            &entries,
                            &param_cbs,
                            unresolved.clone(),
                            hidden,
                        );
                    }
                    let own_path: Vec<Vec<Segment>> = match path {
                        PathArg::Paths(_) => cross(&[Vec::new()], path).unwrap_or_default(),
                        _ => Vec::new(),
                    };
                    for item in items {
                        if let Val::Router(child) = item.val {
                            let mut child_chain = chain.clone();
                            // `router.param` callbacks for parameters of the mount path.
                            let mut pnames: Vec<String> = own_path
                                .iter()
                                .flat_map(|s| params_of(s).into_iter().map(String::from))
                                .collect();
                            pnames.dedup();
                            for (pn, cb) in &param_cbs {
                                if pnames.contains(pn) {
                                    let e = self.element(cb, param_bound(pn));
                                    child_chain.push(Entry {
                                        scope: None,
                                        elem: e,
                                    });
                                }
                            }
                            let child_unresolved = unresolved
                                .clone()
                                .or_else(|| uncertain.as_ref().map(|r| format!("mount path: {r}")))
                                .or_else(|| item.unresolved.clone());
                            // Below an unknown mount path the prefix is unknown: listed
                            // under the router's own prefix, unresolved.
                            let child_prefix = if uncertain.is_some() { prefix } else { &scope };
                            // Without `mergeParams` the child reads none of the outer
                            // parameters; with it, what this router reads.
                            let child_hidden = if self.routers()[child as usize].merge_params {
                                hidden.clone()
                            } else {
                                child_prefix
                                    .iter()
                                    .flat_map(|s| params_of(s).into_iter().map(String::from))
                                    .collect()
                            };
                            self.walk(
                                child,
                                child_prefix,
                                &child_chain,
                                child_unresolved,
                                &child_hidden,
                            );
                            continue;
                        }
                        if matches!(item.val, Val::Unknown)
                            && item.wrapped.is_none()
                            && !matches!(path, PathArg::None)
                            && !mounts_router
                            && !is_function(strip(item.node).k())
                        {
                            // `app.use('/api', something)` that cannot be resolved may hold routes.
                            let fi = &self.store.files[item.file];
                            let sp = span(fi.id, fi.src, item.node);
                            let what = text(item.node, fi.src);
                            for s in &scope {
                                let mut segs = s.clone();
                                segs.push(Segment::CatchAll(crate::path::UNNAMED_WILDCARD.into()));
                                let elem_chain: Vec<ChainElement> = chain
                                    .iter()
                                    .filter(|e| {
                                        e.scope
                                            .as_ref()
                                            .is_none_or(|sc| sc.iter().any(|p| prefixes(p, &segs)))
                                    })
                                    .map(|e| e.elem.clone())
                                    .collect();
                                self.routes.push(Found {
                                    file: item.file,
                                    start: sp.start_byte,
                                    path_known: false,
                                    handler_elem: None,
                                    base_len: elem_chain.len(),
                                    continues: false,
                                    route: Route {
                                        method: "*".into(),
                                        segments: segs,
                                        span: sp,
                                        chain: elem_chain,
                                        handler: None,
                                        handler_name: "<anonymous>".into(),
                                        unresolved: Some(format!(
                                            "mounted `{what}` could not be resolved"
                                        )),
                                    },
                                });
                            }
                        }
                        if let Some(reason) = &item.unresolved {
                            unresolved.get_or_insert(reason.clone());
                        }
                        let kind = if mounts_router {
                            ChainKind::Mount
                        } else {
                            ChainKind::Use
                        };
                        let mut e = self.element(item, kind);
                        e.may_apply = uncertain.is_some();
                        let own: Vec<Segment> = own_path.concat();
                        self.note_step(e.function, hidden, &own);
                        let scope = if matches!(path, PathArg::None) {
                            None
                        } else {
                            Some(scope.clone())
                        };
                        chain.push(Entry { scope, elem: e });
                    }
                }
                Op::Route {
                    methods,
                    path,
                    items,
                    file,
                    start,
                    end,
                } => {
                    self.route(
                        *file,
                        *start,
                        *end,
                        methods,
                        path,
                        items,
                        prefix,
                        &chain,
                        &param_cbs,
                        unresolved.clone(),
                        hidden,
                    );
                }
            }
        }
        self.stack.pop();
    }

    #[allow(clippy::too_many_arguments)]
    fn route(
        &mut self,
        file: usize,
        start: tree_sitter::Node<'a>,
        end: tree_sitter::Node<'a>,
        methods: &[String],
        path: &PathArg,
        items: &[Item<'a>],
        prefix: &[Vec<Segment>],
        chain: &[Entry],
        param_cbs: &[(String, Item<'a>)],
        unresolved: Option<String>,
        hidden: &BTreeSet<String>,
    ) {
        let fi = &self.store.files[file];
        let sp = span_between(fi.id, fi.src, start, end);
        let mut unresolved = unresolved;
        let mut path_known = true;
        let (alts, own): (Vec<Vec<Segment>>, Vec<Vec<Segment>>) = match cross(prefix, path) {
            Ok(a) => (a, cross(&[Vec::new()], path).unwrap_or_default()),
            Err(reason) => {
                path_known = false;
                unresolved.get_or_insert(reason);
                (prefix.to_vec(), vec![Vec::new()])
            }
        };
        let (handler_item, mws) = match items.split_last() {
            Some((h, m)) => (Some(h), m),
            None => (None, &[][..]),
        };
        for i in items {
            if let Some(r) = &i.unresolved {
                unresolved.get_or_insert(r.clone());
            }
        }
        let mut handler = None;
        let mut handler_name = "<anonymous>".to_string();
        if let Some(h) = handler_item {
            let hf = &self.store.files[h.file];
            let node = strip(h.node);
            let named = |n: tree_sitter::Node<'_>| -> String {
                match callee_path(n, hf.src) {
                    Some(p) if !p.is_empty() && !is_function(n.k()) => p.join("."),
                    _ => "<anonymous>".into(),
                }
            };
            if let Some((id, wnode)) = h.wrapped {
                handler = Some(id);
                handler_name = named(wnode);
            } else {
                if let Val::Func(id) = h.val {
                    handler = Some(id);
                }
                if !is_function(node.k()) && node.k() != "call_expression" {
                    handler_name = named(node);
                    // A loop variable or parameter says nothing: name the function instead.
                    if node.k() == "identifier"
                        && let Some(id) = handler
                    {
                        let scopes = ancestors(hf.root, node);
                        if let Some((b, _)) = self.store.lookup(h.file, &scopes, text(node, hf.src))
                            && matches!(
                                b.kind,
                                crate::index::BindKind::Loop { .. }
                                    | crate::index::BindKind::Param { .. }
                            )
                            && let Some(name) = self.function_name(id)
                        {
                            handler_name = name;
                        }
                    }
                }
                // `obj.method.bind(obj)` is named as `obj.method`.
                if node.k() == "call_expression"
                    && let Some(f) = node.field("function").map(strip)
                    && f.k() == "member_expression"
                    && f.field("property")
                        .is_some_and(|p| text(p, hf.src) == "bind")
                    && let Some(o) = f.field("object")
                {
                    handler_name = named(strip(o));
                }
                // A package's handler (`express.static('public')`) is named by its callee.
                if node.k() == "call_expression"
                    && matches!(h.val, Val::PackageResult(_))
                    && let Some(f) = node.field("function").map(strip)
                {
                    handler_name = named(f);
                }
                // A generated route's handler: the function's own name (`forums.index`)
                // says more than the expression it was reached through.
                if let Some(n) = &h.name {
                    handler_name = handler
                        .and_then(|id| self.function_name(id))
                        .unwrap_or_else(|| n.clone());
                }
                let external = matches!(h.val, Val::Package(_) | Val::PackageResult(_));
                if handler.is_none() && !external && !is_function(node.k()) {
                    unresolved.get_or_insert(format!(
                        "handler `{}` could not be resolved",
                        text(node, hf.src)
                    ));
                }
            }
        }
        let route_elems: Vec<ChainElement> = mws
            .iter()
            .map(|m| self.element(m, ChainKind::Route))
            .collect();
        let handler_elem = handler_item.map(|h| self.element(h, ChainKind::Route));
        let continues = handler_item.is_some_and(|h| self.continues(h));
        let own_segs: Vec<Segment> = own.concat();
        self.note_step(handler, hidden, &own_segs);
        for e in &route_elems {
            self.note_step(e.function, hidden, &own_segs);
        }
        let mut own_params: Vec<String> = own
            .iter()
            .flat_map(|s| params_of(s).into_iter().map(String::from))
            .collect();
        own_params.dedup();
        let mut cb_elems = Vec::new();
        for (pn, cb) in param_cbs {
            if own_params.contains(pn) {
                cb_elems.push(self.element(cb, param_bound(pn)));
            }
        }
        let mut seen = HashMap::new();
        for segs in &alts {
            if seen.insert(segs.clone(), ()).is_some() {
                continue;
            }
            let mut elems: Vec<ChainElement> = chain
                .iter()
                .filter(|e| {
                    e.scope
                        .as_ref()
                        .is_none_or(|sc| sc.iter().any(|p| prefixes(p, segs)))
                })
                .map(|e| e.elem.clone())
                .collect();
            let base_len = elems.len();
            elems.extend(cb_elems.iter().cloned());
            elems.extend(route_elems.iter().cloned());
            for m in methods {
                self.routes.push(Found {
                    file,
                    start: sp.start_byte,
                    path_known,
                    handler_elem: handler_elem.clone(),
                    base_len,
                    continues,
                    route: Route {
                        method: m.clone(),
                        segments: segs.clone(),
                        span: sp,
                        chain: elems.clone(),
                        handler,
                        handler_name: handler_name.clone(),
                        unresolved: unresolved.clone(),
                    },
                });
            }
        }
    }
}

impl Builder<'_, '_> {
    /// Records that `function` runs as a step of a router that cannot read the outer
    /// parameters `hidden`, except those its own path `own` declares again.
    fn note_step(&mut self, function: Option<FnId>, hidden: &BTreeSet<String>, own: &[Segment]) {
        let Some(id) = function else { return };
        let own = params_of(own);
        let here: BTreeSet<String> = hidden
            .iter()
            .filter(|p| !own.contains(&p.as_str()))
            .cloned()
            .collect();
        self.hidden
            .entry(id)
            .and_modify(|h| h.retain(|p| here.contains(p)))
            .or_insert(here);
    }

    /// Whether a `use()` item answers the request rather than passing it on: a static file
    /// server, or a project function that takes no `next` or never mentions it (an error
    /// handler, with four parameters, is not a route).
    fn answers(&self, item: &Item<'_>) -> bool {
        match &item.val {
            Val::PackageResult(p) => {
                matches!(
                    p.as_str(),
                    "express.static" | "serve-static" | "serve-index"
                )
            }
            Val::Func(id) if item.wrapped.is_none() => {
                let Some((file, node)) = self.store.fn_node(*id) else {
                    return false;
                };
                let src = self.store.files[file].src;
                let params = crate::syntax::params(node);
                match params.as_slice() {
                    [] => false,
                    [_] | [_, _] => true,
                    [_, _, next] => node.field("body").is_some_and(|b| {
                        next.k() == "identifier" && !text(b, src).contains(text(*next, src))
                    }),
                    _ => false,
                }
            }
            _ => false,
        }
    }

    /// Whether a handler is a project middleware that passes the request on: it takes
    /// `next` and calls `next()` (a handler calling only `next(err)` answers or fails).
    fn continues(&self, item: &Item<'_>) -> bool {
        let Val::Func(id) = item.val else {
            return false;
        };
        if item.wrapped.is_some() {
            return false;
        }
        let Some((file, node)) = self.store.fn_node(id) else {
            return false;
        };
        let src = self.store.files[file].src;
        match crate::syntax::params(node).as_slice() {
            [_, _, next] if next.k() == "identifier" => node.field("body").is_some_and(|b| {
                let call = format!("{}()", text(*next, src));
                text(b, src).contains(&call)
            }),
            _ => false,
        }
    }

    fn function_name(&self, id: secprop_model::FnId) -> Option<String> {
        let (file, _) = self.store.fn_node(id)?;
        let f = &self.store.files[file];
        let name = f.fn_names.get((id.0 - f.fn_base) as usize)?.clone();
        (name != "<anonymous>").then_some(name)
    }
}

fn router_display(node: tree_sitter::Node<'_>, src: &str, name: &str) -> String {
    if !name.is_empty() {
        return format!("`{name}`");
    }
    // The variable the router was assigned to, when any.
    let mut cur = node.parent();
    for _ in 0..3 {
        let Some(p) = cur else { break };
        if p.k() == "variable_declarator"
            && let Some(n) = p.field("name")
        {
            return format!("`{}`", text(n, src));
        }
        cur = p.parent();
    }
    format!("created at line {}", node.start_position().row + 1)
}
