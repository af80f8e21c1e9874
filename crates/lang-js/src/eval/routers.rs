//! Apps and routers: the registrations made on them (`use`, `get`, `route`, `param`),
//! in order, with their path arguments and middleware items.

use super::{Ev, Val};
use crate::index::ancestors;
use crate::syntax::{NodeExt, string_value, strip, text};
use secprop_model::FnId;
use std::collections::HashMap;
use tree_sitter::Node;

/// Identity of a registration, for de-duplication: (start, end, path, methods, items).
pub(super) type OpKey = (usize, usize, PathArg, Vec<String>, Vec<usize>);

/// Index into [`Interp::routers`].
pub(crate) type RouterId = u32;

/// `router.route(path)` waiting for its methods.
#[derive(Debug, Clone)]
pub(crate) struct Builder<'a> {
    pub router: RouterId,
    pub path: PathArg,
    /// Handlers of an earlier `.all(...)` in the chain: middleware for later methods.
    pub pre: Vec<Item<'a>>,
    /// The op of a preceding `.all(...)`, dropped once another method follows: then it
    /// was middleware for the chain, not a route of its own.
    pub all_op: Option<usize>,
}

/// A path argument of a registration.
#[derive(Debug, Clone, PartialEq)]
pub(crate) enum PathArg {
    None,
    Paths(Vec<String>),
    Unresolved(String),
}

/// One middleware or handler argument, arrays flattened.
#[derive(Debug, Clone)]
pub(crate) struct Item<'a> {
    pub file: usize,
    pub node: Node<'a>,
    pub val: Val<'a>,
    /// For a call such as `asyncHandler(fn)`: the wrapped project function.
    pub wrapped: Option<(FnId, Node<'a>)>,
    pub unresolved: Option<String>,
    /// The handler's name when it is not the node's text: a controller member a route
    /// generator picks (`users.show`).
    pub name: Option<String>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum RouterKind {
    /// `express()`.
    App,
    /// `express.Router()`, `Router()`, `new Router()`.
    Router,
    /// A parameter named like an app in a function nothing calls (`module.exports = (app) =>`).
    FreeApp,
    /// Another parameter used as a router in a function nothing calls.
    FreeRouter,
    /// A receiver that could not be resolved but is used like a router.
    Unresolved,
}

/// A registration on a router, in registration order.
#[derive(Debug, Clone)]
pub(crate) enum Op<'a> {
    Use {
        path: PathArg,
        items: Vec<Item<'a>>,
        call: Node<'a>,
    },
    /// A `.all(...)` of a `route()` chain that turned out to be middleware.
    Dropped,
    Route {
        methods: Vec<String>,
        path: PathArg,
        items: Vec<Item<'a>>,
        file: usize,
        /// Start and end of the registration (`app.get(...)`, `.get(...)` of a chain).
        start: Node<'a>,
        end: Node<'a>,
    },
    Param {
        names: Vec<String>,
        item: Item<'a>,
    },
}

#[derive(Debug)]
pub(crate) struct RouterInfo<'a> {
    pub kind: RouterKind,
    pub file: usize,
    pub node: Node<'a>,
    pub name: String,
    /// `Router({ mergeParams: true })`: its steps read the parameters of the paths it is
    /// mounted at (without it, `req.params` holds only its own).
    pub merge_params: bool,
    pub ops: Vec<Op<'a>>,
    pub mounted: bool,
}

impl super::Interp<'_> {
    /// Routers standing for a parameter of a function interpreted without arguments
    /// whose parameter some call also bound to a real router: that call's registrations
    /// are the real ones, and listing both would list each route twice.
    pub(crate) fn redundant_free_routers(&self) -> Vec<RouterId> {
        let mut out: Vec<RouterId> = self
            .free_routers
            .iter()
            .filter(|(k, _)| self.bound_routers.contains(k))
            .map(|(_, id)| *id)
            .collect();
        out.sort();
        out
    }
}

impl<'s, 'a> Ev<'s, 'a> {
    pub(super) fn new_router(
        &mut self,
        kind: RouterKind,
        file: usize,
        node: Node<'a>,
        args: &[Node<'a>],
    ) -> Val<'a> {
        if self.it.is_none() {
            return Val::Unknown;
        }
        let src = self.src(file);
        // `Router({ mergeParams: true })`
        let merge = args.first().is_some_and(|a| {
            let a = strip(*a);
            a.k() == "object" && {
                let mut c = a.walk();
                a.named_children(&mut c).any(|p| {
                    p.k() == "pair"
                        && p.field("key")
                            .is_some_and(|k| text(k, src) == "mergeParams")
                        && p.field("value").is_some_and(|v| text(v, src) == "true")
                })
            }
        });
        let it = self.it.as_mut().expect("interpreting");
        let id = it.routers.len() as RouterId;
        it.routers.push(RouterInfo {
            kind,
            file,
            node,
            name: String::new(),
            merge_params: merge,
            ops: Vec::new(),
            mounted: false,
        });
        Val::Router(id)
    }

    pub(super) fn free_router(
        &mut self,
        file: usize,
        func: Node<'a>,
        index: usize,
        name: &str,
    ) -> RouterId {
        let it = self.it.as_mut().expect("interpreting");
        let key = (file, func.start_byte(), index);
        if let Some(id) = it.free_routers.get(&key) {
            return *id;
        }
        let kind = if matches!(name, "app" | "server" | "application" | "api") {
            RouterKind::FreeApp
        } else {
            RouterKind::FreeRouter
        };
        let id = it.routers.len() as RouterId;
        it.routers.push(RouterInfo {
            kind,
            file,
            node: func,
            name: name.to_string(),
            merge_params: false,
            ops: Vec::new(),
            mounted: false,
        });
        it.free_routers.insert(key, id);
        id
    }

    /// A registration call on a router or route builder; `None` when `base` is neither.
    #[allow(clippy::too_many_arguments)]
    pub(super) fn router_call(
        &mut self,
        file: usize,
        call: Node<'a>,
        callee: Node<'a>,
        base: &Val<'a>,
        prop: Option<&str>,
        args: &[Node<'a>],
        scopes: &[Node<'a>],
        obj: Node<'a>,
    ) -> Option<Val<'a>> {
        let src = self.src(file);
        let Some(prop) = prop else {
            // `app[expr](...)` with a method that is not a static string.
            if let Val::Router(r) = base
                && callee.k() == "subscript_expression"
            {
                self.it
                    .as_mut()?
                    .visited_calls
                    .insert((file, call.start_byte()));
                let idx = callee.field("index").map(|i| text(i, src)).unwrap_or("");
                let items = self.items(file, args.get(1..).unwrap_or(&[]), scopes);
                let path = PathArg::Unresolved(format!("method `{idx}` is not a static string"));
                self.push_op(
                    *r,
                    Op::Route {
                        methods: vec!["*".into()],
                        path,
                        items,
                        file,
                        start: call,
                        end: call,
                    },
                );
                return Some(Val::Router(*r));
            }
            return None;
        };
        let lower = prop.to_ascii_lowercase();
        let is_method = crate::index::HTTP_METHODS.contains(&lower.as_str());
        let is_reg = is_method || matches!(prop, "use" | "route" | "param");
        let router = match base {
            Val::Router(r) => *r,
            Val::Free {
                file: ff,
                func,
                index,
                name,
            } if is_reg => self.free_router(*ff, *func, *index, name),
            Val::RouteBuilder(b) => {
                if !is_method {
                    return None;
                }
                let mut b = (**b).clone();
                self.it
                    .as_mut()?
                    .visited_calls
                    .insert((file, call.start_byte()));
                let items = self.items(file, args, scopes);
                let start = callee.field("property").unwrap_or(call);
                let methods = if lower == "all" {
                    vec!["*".to_string()]
                } else {
                    vec![lower.to_ascii_uppercase()]
                };
                let mut all_items = b.pre.clone();
                all_items.extend(items.iter().cloned());
                if let Some(i) = b.all_op.take()
                    && let Some(it) = self.it.as_mut()
                {
                    it.routers[b.router as usize].ops[i] = Op::Dropped;
                }
                let idx = self.push_op(
                    b.router,
                    Op::Route {
                        methods,
                        path: b.path.clone(),
                        items: all_items,
                        file,
                        start,
                        end: call,
                    },
                );
                if lower == "all" {
                    b.pre.extend(items);
                    b.all_op = idx;
                }
                return Some(Val::RouteBuilder(Box::new(b)));
            }
            Val::Unknown if is_method && args.len() >= 2 => {
                // Used like a router but unresolvable: keep the routes, unresolved.
                let looks_like_path =
                    string_value(args[0], src).is_some_and(|s| s.starts_with('/'));
                if !looks_like_path {
                    return None;
                }
                let recv = text(obj, src).to_string();
                self.unresolved_router(file, obj, recv)?
            }
            _ => return None,
        };
        if !is_reg {
            return None;
        }
        self.it
            .as_mut()?
            .visited_calls
            .insert((file, call.start_byte()));
        if lower == "get" && args.len() < 2 {
            return Some(Val::Unknown); // `app.get('setting')`
        }
        match prop {
            "use" => {
                let (path, rest) = match args.first() {
                    Some(a) if self.is_path_arg(file, *a, scopes) => {
                        (self.path_arg(file, *a, scopes), &args[1..])
                    }
                    _ => (PathArg::None, args),
                };
                let items = self.items(file, rest, scopes);
                for i in &items {
                    if let Val::Router(child) = i.val
                        && let Some(it) = self.it.as_mut()
                    {
                        it.routers[child as usize].mounted = true;
                    }
                }
                self.push_op(router, Op::Use { path, items, call });
                Some(Val::Router(router))
            }
            "route" => {
                let path = match args.first() {
                    Some(a) => self.path_arg(file, *a, scopes),
                    None => PathArg::Unresolved("`route()` without a path".into()),
                };
                Some(Val::RouteBuilder(Box::new(Builder {
                    router,
                    path,
                    pre: Vec::new(),
                    all_op: None,
                })))
            }
            "param" => {
                let names = match args.first().map(|a| self.eval(file, *a, scopes)) {
                    Some(Val::Str(s)) => vec![s],
                    Some(Val::Array { file: af, node: an }) => {
                        let mut c = an.walk();
                        let els: Vec<Node<'a>> = an.named_children(&mut c).collect();
                        els.into_iter()
                            .filter_map(|e| string_value(e, self.src(af)))
                            .collect()
                    }
                    _ => Vec::new(),
                };
                let items = self.items(file, args.get(1..).unwrap_or(&[]), scopes);
                for item in items {
                    self.push_op(
                        router,
                        Op::Param {
                            names: names.clone(),
                            item,
                        },
                    );
                }
                Some(Val::Router(router))
            }
            _ => {
                let path = match args.first() {
                    Some(a) => self.path_arg(file, *a, scopes),
                    None => PathArg::Unresolved("registration without a path".into()),
                };
                let items = self.items(file, args.get(1..).unwrap_or(&[]), scopes);
                let methods = if lower == "all" {
                    vec!["*".to_string()]
                } else {
                    vec![lower.to_ascii_uppercase()]
                };
                self.push_op(
                    router,
                    Op::Route {
                        methods,
                        path,
                        items,
                        file,
                        start: call,
                        end: call,
                    },
                );
                Some(Val::Router(router))
            }
        }
    }

    /// The router standing for an expression used like one that cannot be resolved
    /// (one per file and text): its routes are listed, unresolved.
    pub(super) fn unresolved_router(
        &mut self,
        file: usize,
        node: Node<'a>,
        name: String,
    ) -> Option<RouterId> {
        let it = self.it.as_mut()?;
        let key = (file, name.clone());
        if let Some(id) = it.unresolved_routers.get(&key) {
            return Some(*id);
        }
        let id = it.routers.len() as RouterId;
        it.routers.push(RouterInfo {
            kind: RouterKind::Unresolved,
            file,
            node,
            name,
            merge_params: false,
            ops: Vec::new(),
            mounted: false,
        });
        it.unresolved_routers.insert(key, id);
        Some(id)
    }

    /// Records a registration; the same call registering the same thing twice (a
    /// function interpreted from two entry points) is kept once. Returns its index.
    pub(super) fn push_op(&mut self, router: RouterId, op: Op<'a>) -> Option<usize> {
        let it = self.it.as_mut()?;
        let ops = &mut it.routers[router as usize].ops;
        let key = |o: &Op<'a>| -> Option<OpKey> {
            match o {
                Op::Route {
                    methods,
                    path,
                    items,
                    start,
                    end,
                    ..
                } => Some((
                    start.id(),
                    end.id(),
                    path.clone(),
                    methods.clone(),
                    items.iter().map(|i| i.node.id()).collect(),
                )),
                Op::Use { path, items, call } => Some((
                    call.id(),
                    0,
                    path.clone(),
                    Vec::new(),
                    items.iter().map(|i| i.node.id()).collect(),
                )),
                Op::Param { names, item } => {
                    Some((item.node.id(), 1, PathArg::None, names.clone(), Vec::new()))
                }
                Op::Dropped => None,
            }
        };
        if let Some(k) = key(&op)
            && ops.iter().any(|o| key(o).as_ref() == Some(&k))
        {
            return None;
        }
        ops.push(op);
        Some(ops.len() - 1)
    }

    pub(super) fn is_path_arg(&mut self, file: usize, a: Node<'a>, scopes: &[Node<'a>]) -> bool {
        let a = strip(a);
        match a.k() {
            "string" | "template_string" | "regex" => true,
            "array" => {
                let mut c = a.walk();
                let first = a.named_children(&mut c).next();
                first
                    .is_some_and(|f| matches!(strip(f).k(), "string" | "template_string" | "regex"))
            }
            "identifier" | "member_expression" | "binary_expression" => {
                matches!(self.eval(file, a, scopes), Val::Str(_))
            }
            _ => false,
        }
    }

    pub(super) fn path_arg(&mut self, file: usize, a: Node<'a>, scopes: &[Node<'a>]) -> PathArg {
        let src = self.src(file);
        let a = strip(a);
        if a.k() == "regex" {
            return PathArg::Unresolved(format!("regular-expression path `{}`", text(a, src)));
        }
        let v = self.eval(file, a, scopes);
        self.paths_of(v).unwrap_or_else(|| {
            PathArg::Unresolved(format!("path `{}` is not a static string", text(a, src)))
        })
    }

    /// A path value: a string, or an array of strings (an element that is not one makes
    /// the path unresolved); `None` for any other value.
    pub(super) fn paths_of(&mut self, v: Val<'a>) -> Option<PathArg> {
        match v {
            Val::Str(s) => Some(PathArg::Paths(vec![s])),
            Val::Array { file: af, node: an } => {
                let mut out = Vec::new();
                let mut c = an.walk();
                let els: Vec<Node<'a>> = an.named_children(&mut c).collect();
                for e in els {
                    match self.eval_at(af, e) {
                        Val::Str(s) => out.push(s),
                        _ => {
                            return Some(PathArg::Unresolved(format!(
                                "path `{}` is not a static string",
                                text(e, self.src(af))
                            )));
                        }
                    }
                }
                Some(PathArg::Paths(out))
            }
            _ => None,
        }
    }

    /// Middleware and handler arguments, arrays and spreads flattened.
    pub(super) fn items(
        &mut self,
        file: usize,
        args: &[Node<'a>],
        scopes: &[Node<'a>],
    ) -> Vec<Item<'a>> {
        let mut out = Vec::new();
        for a in args {
            self.item(file, *a, scopes, &mut out, 0);
        }
        out
    }

    pub(super) fn item(
        &mut self,
        file: usize,
        a: Node<'a>,
        scopes: &[Node<'a>],
        out: &mut Vec<Item<'a>>,
        depth: u32,
    ) {
        let a = strip(a);
        if depth > 8 || a.k() == "comment" {
            return;
        }
        if a.k() == "spread_element" {
            let Some(inner) = a.named_child(0) else {
                return;
            };
            match self.eval(file, inner, scopes) {
                Val::Array { file: af, node: an } => {
                    let ascopes = ancestors(self.store.files[af].root, an);
                    self.item(af, an, &ascopes, out, depth + 1);
                }
                _ => out.push(Item {
                    file,
                    node: a,
                    val: Val::Unknown,
                    wrapped: None,
                    unresolved: Some(format!(
                        "middleware list `{}` could not be resolved",
                        text(a, self.src(file))
                    )),
                    name: None,
                }),
            }
            return;
        }
        if a.k() == "array" {
            let mut c = a.walk();
            let els: Vec<Node<'a>> = a.named_children(&mut c).collect();
            for e in els {
                self.item(file, e, scopes, out, depth + 1);
            }
            return;
        }
        if let Some(it) = self.it.as_mut() {
            it.factory += 1;
        }
        let val = self.eval(file, a, scopes);
        if let Some(it) = self.it.as_mut() {
            it.factory -= 1;
        }
        if let Val::Array { file: af, node: an } = val {
            let ascopes = ancestors(self.store.files[af].root, an);
            self.item(af, an, &ascopes, out, depth + 1);
            return;
        }
        // `asyncHandler(fn)`: the wrapped project function is what runs.
        let mut wrapped = None;
        if a.k() == "call_expression"
            && let Some(args) = a.field("arguments")
        {
            let mut c = args.walk();
            let kids: Vec<Node<'a>> = args.named_children(&mut c).collect();
            for k in kids {
                let saved = self.it.take();
                let v = {
                    // Resolve the argument without interpreting anything (no effects).
                    let mut pure = Ev {
                        store: self.store,
                        it: None,
                        depth: self.depth,
                        pure_memo: HashMap::new(),
                        scope_cache: HashMap::new(),
                        classes: HashMap::new(),
                    };
                    let v = pure.eval(file, k, scopes);
                    drop(pure);
                    v
                };
                self.it = saved;
                let v = match v {
                    Val::Unknown => self.frame_val(file, k, scopes),
                    v => v,
                };
                if let Val::Func(id) = v {
                    wrapped = Some((id, strip(k)));
                    break;
                }
            }
        }
        out.push(Item {
            file,
            node: a,
            val,
            wrapped,
            unresolved: None,
            name: None,
        });
    }

    /// Re-evaluates an identifier or member through the interpreter's frames (parameters
    /// and loop variables are only known there).
    pub(super) fn frame_val(
        &mut self,
        file: usize,
        node: Node<'a>,
        scopes: &[Node<'a>],
    ) -> Val<'a> {
        match strip(node).k() {
            "identifier" | "member_expression" | "this" => self.eval(file, node, scopes),
            _ => Val::Unknown,
        }
    }
}
