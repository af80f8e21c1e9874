//! Finding routes: interprets module top levels (and the top level of functions such as
//! an app factory) for FastAPI apps and routers, Flask apps and blueprints, their
//! registrations, inclusions and hooks, then walks from each app to list every route
//! with its full path and chain (spec-v1 §5, §6).

use crate::index::{Modules, Target, span, text};
use crate::lower::{callee, dotted, keyword, names, string_value};
use secprop_model::{ChainElement, ChainKind, FileId, FnId, Route, Span};
use std::collections::{BTreeSet, HashMap};
use tree_sitter::Node;

#[derive(Debug, Clone, Copy, PartialEq)]
enum Kind {
    FastApi,
    Router,
    Flask,
    Blueprint,
}

impl Kind {
    fn is_app(self) -> bool {
        matches!(self, Kind::FastApi | Kind::Flask)
    }
}

/// An app, router or blueprint.
struct Obj {
    kind: Kind,
    name: String,
    prefix: String,
    /// `dependencies=[...]` of the app or router.
    deps: Vec<ChainElement>,
    /// Flask `before_request` hooks.
    before: Vec<ChainElement>,
    regs: Vec<Reg>,
    includes: Vec<Include>,
}

/// A route registration.
struct Reg {
    methods: Vec<String>,
    path: Option<String>,
    handler: Option<FnId>,
    handler_name: String,
    span: Span,
    /// Decorator dependencies and wrapping decorators, in the order they run.
    chain: Vec<ChainElement>,
    unresolved: Option<String>,
}

struct Include {
    child: usize,
    prefix: Option<String>,
    deps: Vec<ChainElement>,
}

/// What route discovery needs from the pipeline.
pub struct Input<'a> {
    pub mods: &'a Modules<'a>,
    /// Every function's module and definition node; `FnId` indexes this list.
    pub fns: &'a [(usize, Node<'a>)],
}

/// The routes of a target, sorted; each handler's and chain function's route parameters.
pub fn discover(inp: &Input<'_>) -> (Vec<Route>, HashMap<FnId, BTreeSet<String>>) {
    let mut cx = Interp {
        inp,
        objs: Vec::new(),
        by_name: HashMap::new(),
        aliases: HashMap::new(),
    };
    // Pass 1: which names are apps, routers and `Annotated` aliases.
    for m in 0..inp.mods.list.len() {
        let root = inp.mods.list[m].tree.root_node();
        cx.scan_block(m, root, true);
    }
    // Pass 2: registrations, inclusions and hooks.
    for m in 0..inp.mods.list.len() {
        let root = inp.mods.list[m].tree.root_node();
        cx.scan_block(m, root, false);
    }
    cx.routes()
}

struct Interp<'a> {
    inp: &'a Input<'a>,
    objs: Vec<Obj>,
    by_name: HashMap<(usize, String), usize>,
    aliases: HashMap<(usize, String), Node<'a>>,
}

const FASTAPI_METHODS: &[&str] = &[
    "get", "post", "put", "delete", "patch", "options", "head", "trace",
];

impl<'a> Interp<'a> {
    fn src(&self, m: usize) -> &'a str {
        self.inp.mods.list[m].src.as_str()
    }
    fn file(&self, m: usize) -> FileId {
        self.inp.mods.list[m].file
    }

    /// Statements of a module or function top level, descending into `if`, `try`, `with`
    /// and function bodies (an app factory), but not into classes.
    fn scan_block(&mut self, m: usize, n: Node<'a>, first: bool) {
        let mut cur = n.walk();
        let children: Vec<Node<'a>> = n.named_children(&mut cur).collect();
        for c in children {
            match c.kind() {
                "expression_statement" => {
                    if let Some(e) = c.named_child(0) {
                        if first {
                            self.assignment(m, e);
                        } else if e.kind() == "call" {
                            self.call_statement(m, e);
                        }
                    }
                }
                "decorated_definition" => {
                    if !first {
                        self.decorated(m, c);
                    }
                    if let Some(d) = c.child_by_field_name("definition")
                        && d.kind() == "function_definition"
                        && let Some(b) = d.child_by_field_name("body")
                    {
                        self.scan_block(m, b, first);
                    }
                }
                "function_definition" => {
                    if let Some(b) = c.child_by_field_name("body") {
                        self.scan_block(m, b, first);
                    }
                }
                "if_statement" | "try_statement" | "with_statement" | "block" | "else_clause"
                | "elif_clause" | "except_clause" | "finally_clause" => {
                    self.scan_block(m, c, first)
                }
                _ => {}
            }
        }
    }

    /// `app = FastAPI(...)`, `router = APIRouter(prefix=...)`, `bp = Blueprint(...)`,
    /// `CurrentUser = Annotated[User, Depends(get_current_user)]`.
    fn assignment(&mut self, m: usize, e: Node<'a>) {
        if e.kind() != "assignment" {
            return;
        }
        let (Some(left), Some(right)) = (
            e.child_by_field_name("left"),
            e.child_by_field_name("right"),
        ) else {
            return;
        };
        if left.kind() != "identifier" {
            return;
        }
        let src = self.src(m);
        let name = text(left, src).to_string();
        if right.kind() == "subscript" && text(right, src).starts_with("Annotated[") {
            self.aliases.insert((m, name), right);
            return;
        }
        if right.kind() != "call" {
            return;
        }
        let Some(f) = right.child_by_field_name("function") else {
            return;
        };
        let callee_text = text(f, src);
        let last = callee_text.rsplit('.').next().unwrap_or(callee_text);
        let kind = match last {
            "FastAPI" => Kind::FastApi,
            "APIRouter" => Kind::Router,
            "Flask" => Kind::Flask,
            "Blueprint" => Kind::Blueprint,
            _ => return,
        };
        let args = right.child_by_field_name("arguments");
        let kw = |k: &str| args.and_then(|a| keyword(a, k, src));
        let prefix = kw("prefix")
            .or(kw("url_prefix"))
            .and_then(|p| string_value(p, src))
            .unwrap_or_default();
        let deps = kw("dependencies")
            .map(|d| self.dep_list(m, d, ChainKind::Use))
            .unwrap_or_default();
        self.by_name.insert((m, name.clone()), self.objs.len());
        self.objs.push(Obj {
            kind,
            name,
            prefix,
            deps,
            before: vec![],
            regs: vec![],
            includes: vec![],
        });
    }

    /// The object a receiver expression names (`app`, `items.router`), following imports.
    fn object(&self, m: usize, n: Node<'_>) -> Option<usize> {
        let path = dotted(n, self.src(m))?;
        let p: Vec<&str> = path.iter().map(String::as_str).collect();
        let defined = |i: usize, s: &str| self.by_name.contains_key(&(i, s.to_string()));
        match self.inp.mods.resolve_path(m, &p, &defined) {
            Target::Name(i, s) => self.by_name.get(&(i, s)).copied(),
            _ => None,
        }
    }

    /// `app.include_router(...)`, `app.register_blueprint(...)`, `app.before_request(f)`,
    /// `app.add_url_rule(...)`, `router.add_api_route(...)`.
    fn call_statement(&mut self, m: usize, call: Node<'a>) {
        let src = self.src(m);
        let Some(f) = call.child_by_field_name("function") else {
            return;
        };
        if f.kind() != "attribute" {
            return;
        }
        let (Some(recv), Some(attr)) = (
            f.child_by_field_name("object"),
            f.child_by_field_name("attribute"),
        ) else {
            return;
        };
        let Some(obj) = self.object(m, recv) else {
            return;
        };
        let Some(args) = call.child_by_field_name("arguments") else {
            return;
        };
        let positional: Vec<Node<'a>> = {
            let mut cur = args.walk();
            args.named_children(&mut cur)
                .filter(|c| c.kind() != "keyword_argument" && c.kind() != "comment")
                .collect()
        };
        match text(attr, src) {
            "include_router" | "register_blueprint" => {
                let Some(child) = positional.first().and_then(|c| self.object(m, *c)) else {
                    return;
                };
                let prefix = keyword(args, "prefix", src)
                    .or(keyword(args, "url_prefix", src))
                    .and_then(|p| string_value(p, src));
                let deps = keyword(args, "dependencies", src)
                    .map(|d| self.dep_list(m, d, ChainKind::Mount))
                    .unwrap_or_default();
                self.objs[obj].includes.push(Include {
                    child,
                    prefix,
                    deps,
                });
            }
            "before_request" | "before_app_request" => {
                if let Some(h) = positional.first() {
                    let el = self.element(m, *h, ChainKind::Use);
                    self.objs[obj].before.push(el);
                }
            }
            "add_url_rule" | "add_api_route" => {
                let view = keyword(args, "view_func", src)
                    .or(keyword(args, "endpoint", src)
                        .filter(|_| text(attr, src) == "add_api_route"))
                    .or(if text(attr, src) == "add_api_route" {
                        positional.get(1).copied()
                    } else {
                        positional.get(2).copied()
                    });
                let path = positional
                    .first()
                    .copied()
                    .or(keyword(args, "rule", src))
                    .or(keyword(args, "path", src));
                let methods = self.methods(m, args, "GET");
                let (handler, handler_name) = match view {
                    Some(v) => self.handler_of(m, v),
                    None => (None, "<unknown>".to_string()),
                };
                let mut reg = self.reg(m, call, path, methods, handler, handler_name);
                if let Some(h) = handler {
                    reg.chain
                        .extend(self.signature(h, &mut BTreeSet::new(), None));
                }
                self.objs[obj].regs.push(reg);
            }
            _ => {}
        }
    }

    fn handler_of(&self, m: usize, v: Node<'_>) -> (Option<FnId>, String) {
        let src = self.src(m);
        match dotted(v, src) {
            Some(p) => (callee(self.inp.mods, m, &p), p.join(".")),
            // `Items.as_view("items")`: a class-based view.
            None => (None, text(v, src).to_string()),
        }
    }

    fn reg(
        &self,
        m: usize,
        at: Node<'_>,
        path: Option<Node<'_>>,
        methods: Vec<String>,
        handler: Option<FnId>,
        handler_name: String,
    ) -> Reg {
        let src = self.src(m);
        let (path, unresolved) = match path {
            Some(p) => match string_value(p, src) {
                Some(s) => (Some(s), None),
                None => (
                    None,
                    Some(format!(
                        "the path `{}` is not a string literal",
                        text(p, src)
                    )),
                ),
            },
            None => (None, Some("the registration names no path".to_string())),
        };
        let unresolved = unresolved.or_else(|| {
            handler
                .is_none()
                .then(|| format!("the handler `{handler_name}` is not a project function"))
        });
        Reg {
            methods,
            path,
            handler,
            handler_name,
            span: span(self.file(m), at, src),
            chain: vec![],
            unresolved,
        }
    }

    /// `methods=["GET", "POST"]`, or the default.
    fn methods(&self, m: usize, args: Node<'_>, default: &str) -> Vec<String> {
        let src = self.src(m);
        match keyword(args, "methods", src) {
            Some(list) => {
                let mut cur = list.walk();
                let out: Vec<String> = list
                    .named_children(&mut cur)
                    .filter_map(|s| string_value(s, src))
                    .map(|s| s.to_uppercase())
                    .collect();
                if out.is_empty() {
                    vec!["*".into()]
                } else {
                    out
                }
            }
            None => vec![default.to_string()],
        }
    }

    /// A decorated function: route decorators on known apps and routers, the decorators
    /// below each (which wrap what it registers), `before_request` hooks.
    fn decorated(&mut self, m: usize, d: Node<'a>) {
        let src = self.src(m);
        let Some(def) = d.child_by_field_name("definition") else {
            return;
        };
        if def.kind() != "function_definition" {
            return;
        }
        let handler = self.fn_at(m, def);
        let handler_name = def
            .child_by_field_name("name")
            .map(|n| text(n, src).to_string())
            .unwrap_or_else(|| "<anonymous>".into());
        let mut cur = d.walk();
        let decorators: Vec<Node<'a>> = d
            .named_children(&mut cur)
            .filter(|c| c.kind() == "decorator")
            .filter_map(|c| c.named_child(0))
            .collect();
        for (i, dec) in decorators.iter().enumerate() {
            let Some((obj, attr, args)) = self.decorator_target(m, *dec) else {
                continue;
            };
            let kind = self.objs[obj].kind;
            let reg = match (attr.as_str(), args) {
                ("before_request" | "before_app_request", None) => {
                    let el = ChainElement {
                        kind: ChainKind::Use,
                        names: vec![handler_name.clone()],
                        factory: vec![],
                        function: handler,
                        span: span(self.file(m), def, src),
                        may_apply: false,
                    };
                    self.objs[obj].before.push(el);
                    continue;
                }
                (a, Some(args))
                    if FASTAPI_METHODS.contains(&a) || a == "route" || a == "api_route" =>
                {
                    let methods = if a == "route" || a == "api_route" {
                        self.methods(m, args, "GET")
                    } else {
                        vec![a.to_uppercase()]
                    };
                    let path = {
                        let mut c = args.walk();
                        let first = args
                            .named_children(&mut c)
                            .find(|x| x.kind() != "keyword_argument" && x.kind() != "comment");
                        first
                            .or(keyword(args, "path", src))
                            .or(keyword(args, "rule", src))
                    };
                    let mut reg = self.reg(m, *dec, path, methods, handler, handler_name.clone());
                    if let Some(deps) = keyword(args, "dependencies", src) {
                        reg.chain = self.dep_list(m, deps, ChainKind::Route);
                    }
                    reg
                }
                _ => continue,
            };
            let mut reg = reg;
            // Decorators written below a route decorator wrap the function it registers
            // (`@login_required` under `@app.route`); those above it do not run for it.
            for below in &decorators[i + 1..] {
                if self.decorator_target(m, *below).is_none() {
                    let el = self.element(m, *below, ChainKind::Route);
                    reg.chain.push(el);
                }
            }
            if let Some(h) = handler
                && kind != Kind::Flask
                && kind != Kind::Blueprint
            {
                reg.chain
                    .extend(self.signature(h, &mut BTreeSet::new(), None));
            }
            self.objs[obj].regs.push(reg);
        }
    }

    /// `app.get(...)` / `bp.before_request` as a decorator: the object, the attribute and
    /// the arguments when called.
    fn decorator_target(
        &self,
        m: usize,
        dec: Node<'a>,
    ) -> Option<(usize, String, Option<Node<'a>>)> {
        let (f, args) = match dec.kind() {
            "call" => (
                dec.child_by_field_name("function")?,
                dec.child_by_field_name("arguments"),
            ),
            _ => (dec, None),
        };
        if f.kind() != "attribute" {
            return None;
        }
        let obj = self.object(m, f.child_by_field_name("object")?)?;
        let attr = text(f.child_by_field_name("attribute")?, self.src(m)).to_string();
        let known = FASTAPI_METHODS.contains(&attr.as_str())
            || matches!(
                attr.as_str(),
                "route" | "api_route" | "before_request" | "before_app_request"
            );
        known.then_some((obj, attr, args))
    }

    fn fn_at(&self, m: usize, def: Node<'_>) -> Option<FnId> {
        self.inp
            .fns
            .iter()
            .position(|(fm, n)| *fm == m && n.id() == def.id())
            .map(|i| FnId(i as u32))
    }

    /// `[Depends(a), Security(b)]` as chain elements, each after its sub-dependencies.
    fn dep_list(&self, m: usize, list: Node<'_>, kind: ChainKind) -> Vec<ChainElement> {
        let mut out = Vec::new();
        let mut cur = list.walk();
        for item in list.named_children(&mut cur) {
            if item.kind() == "comment" {
                continue;
            }
            let inner = depends_target(item, self.src(m)).unwrap_or(Some(item));
            if let Some(inner) = inner {
                let el = self.element(m, inner, kind.clone());
                if let Some(f) = el.function {
                    out.extend(self.signature(f, &mut BTreeSet::new(), Some(&kind)));
                }
                out.push(el);
            }
        }
        out
    }

    /// A chain element for a function reference (`get_current_user`, `auth.login_required`)
    /// or a factory call (`require_role("admin")`).
    fn element(&self, m: usize, n: Node<'_>, kind: ChainKind) -> ChainElement {
        let src = self.src(m);
        let sp = span(self.file(m), n, src);
        if n.kind() == "call"
            && let Some(p) = n
                .child_by_field_name("function")
                .and_then(|f| dotted(f, src))
        {
            return ChainElement {
                kind,
                names: vec![],
                factory: names(self.inp.mods, m, &p),
                function: None,
                span: sp,
                may_apply: false,
            };
        }
        match dotted(n, src) {
            Some(p) => ChainElement {
                kind,
                names: names(self.inp.mods, m, &p),
                factory: vec![],
                function: callee(self.inp.mods, m, &p),
                span: sp,
                may_apply: false,
            },
            None => ChainElement {
                kind,
                names: vec![],
                factory: vec![],
                function: None,
                span: sp,
                may_apply: false,
            },
        }
    }

    /// The dependencies in a function's signature (`user = Depends(f)`,
    /// `user: Annotated[User, Depends(f)]`, `user: CurrentUser`), sub-dependencies first.
    /// A dependency's own dependencies take `kind` when given (the kind of the element
    /// that needs them: the handler parameter it fills, or the router it belongs to).
    fn signature(
        &self,
        f: FnId,
        seen: &mut BTreeSet<FnId>,
        kind: Option<&ChainKind>,
    ) -> Vec<ChainElement> {
        if !seen.insert(f) || seen.len() > 8 {
            return vec![];
        }
        let (m, def) = self.inp.fns[f.0 as usize];
        let src = self.src(m);
        let mut out = Vec::new();
        let Some(params) = def.child_by_field_name("parameters") else {
            return out;
        };
        let mut cur = params.walk();
        let mut arg = 0u32;
        for p in params.named_children(&mut cur) {
            if p.kind() == "comment" {
                continue;
            }
            let default = p.child_by_field_name("value");
            let ty = p.child_by_field_name("type");
            let dep = default
                .and_then(|d| depends_target(d, src))
                .map(|t| (m, t))
                .or_else(|| ty.and_then(|t| self.annotated_dep(m, t)));
            if let Some((dm, target)) = dep {
                // `Depends()` with no argument: the dependency is the parameter's type.
                let target = target.or(ty);
                if let Some(t) = target {
                    let k = kind.cloned().unwrap_or(ChainKind::Signature { arg });
                    let el = self.element(dm, t, k.clone());
                    if let Some(sub) = el.function {
                        out.extend(self.signature(sub, seen, Some(&k)));
                    }
                    out.push(el);
                }
            }
            arg += 1;
        }
        out
    }

    /// The `Depends(...)` inside `Annotated[T, Depends(f)]`, directly or via an alias
    /// (`CurrentUser`), with the module it is written in.
    fn annotated_dep(&self, m: usize, ty: Node<'a>) -> Option<(usize, Option<Node<'a>>)> {
        let src = self.src(m);
        let node = if ty.kind() == "type" {
            ty.named_child(0)?
        } else {
            ty
        };
        if text(node, src).starts_with("Annotated[") {
            let mut found = None;
            find_depends(node, src, &mut found);
            return found.map(|f| (m, f));
        }
        let path = dotted(node, src)?;
        let p: Vec<&str> = path.iter().map(String::as_str).collect();
        let defined = |i: usize, s: &str| self.aliases.contains_key(&(i, s.to_string()));
        match self.inp.mods.resolve_path(m, &p, &defined) {
            Target::Name(i, s) => {
                let alias = *self.aliases.get(&(i, s))?;
                let mut found = None;
                find_depends(alias, self.src(i), &mut found);
                found.map(|f| (i, f))
            }
            _ => None,
        }
    }

    /// Walks from each app to list its routes; routers reached from no app are listed
    /// as unresolved.
    fn routes(&self) -> (Vec<Route>, HashMap<FnId, BTreeSet<String>>) {
        let mut out = Vec::new();
        let mut reached = vec![false; self.objs.len()];
        for (i, o) in self.objs.iter().enumerate() {
            if o.kind.is_app() {
                let mut stack = vec![i];
                self.walk(
                    i,
                    String::new(),
                    Vec::new(),
                    &mut stack,
                    &mut reached,
                    &mut out,
                );
            }
        }
        for (i, o) in self.objs.iter().enumerate() {
            if !reached[i] && !o.kind.is_app() {
                let why = format!(
                    "`{}` is never included in an app (`include_router` / `register_blueprint`)",
                    o.name
                );
                for r in &o.regs {
                    self.emit(r, &o.prefix, &o.deps, Some(why.clone()), &mut out);
                }
            }
        }
        out.sort_by(|a, b| {
            (a.span.file, a.span.start_byte, a.path(), &a.method).cmp(&(
                b.span.file,
                b.span.start_byte,
                b.path(),
                &b.method,
            ))
        });
        let mut params: HashMap<FnId, BTreeSet<String>> = HashMap::new();
        for r in &out {
            let ps: Vec<String> = r.params().iter().map(|s| s.to_string()).collect();
            for f in r
                .handler
                .into_iter()
                .chain(r.chain.iter().filter_map(|e| e.function))
            {
                params.entry(f).or_default().extend(ps.iter().cloned());
            }
        }
        (out, params)
    }

    fn walk(
        &self,
        i: usize,
        prefix: String,
        chain: Vec<ChainElement>,
        stack: &mut Vec<usize>,
        reached: &mut [bool],
        out: &mut Vec<Route>,
    ) {
        reached[i] = true;
        let o = &self.objs[i];
        let prefix = crate::path::join(&prefix, &o.prefix);
        let mut chain = chain;
        chain.extend(o.deps.iter().cloned());
        chain.extend(o.before.iter().cloned());
        for r in &o.regs {
            self.emit(r, &prefix, &chain, None, out);
        }
        for inc in &o.includes {
            if stack.contains(&inc.child) {
                continue;
            }
            let p = crate::path::join(&prefix, inc.prefix.as_deref().unwrap_or(""));
            let mut c = chain.clone();
            c.extend(inc.deps.iter().cloned());
            stack.push(inc.child);
            self.walk(inc.child, p, c, stack, reached, out);
            stack.pop();
        }
    }

    fn emit(
        &self,
        r: &Reg,
        prefix: &str,
        chain: &[ChainElement],
        why: Option<String>,
        out: &mut Vec<Route>,
    ) {
        let full = r.path.as_deref().map(|p| crate::path::join(prefix, p));
        let (segments, path_err) = match &full {
            Some(p) => match crate::path::segments(p) {
                Ok(s) => (s, None),
                Err(e) => (vec![], Some(e)),
            },
            None => (crate::path::segments(prefix).unwrap_or_default(), None),
        };
        let mut all = chain.to_vec();
        all.extend(r.chain.iter().cloned());
        for method in &r.methods {
            out.push(Route {
                method: method.clone(),
                segments: segments.clone(),
                span: r.span,
                chain: all.clone(),
                handler: r.handler,
                handler_name: r.handler_name.clone(),
                unresolved: why.clone().or(path_err.clone()).or(r.unresolved.clone()),
            });
        }
    }
}

/// `Depends(f)` / `Security(f, ...)`: `Some(Some(f))`; `Depends()`: `Some(None)`; not a
/// dependency: `None`.
fn depends_target<'t>(n: Node<'t>, src: &str) -> Option<Option<Node<'t>>> {
    if n.kind() != "call" {
        return None;
    }
    let f = n.child_by_field_name("function")?;
    let name = text(f, src);
    let last = name.rsplit('.').next().unwrap_or(name);
    if last != "Depends" && last != "Security" {
        return None;
    }
    let args = n.child_by_field_name("arguments")?;
    let mut cur = args.walk();
    let first = args
        .named_children(&mut cur)
        .find(|c| c.kind() != "keyword_argument" && c.kind() != "comment");
    Some(first.or(keyword(args, "dependency", src)))
}

fn find_depends<'t>(n: Node<'t>, src: &str, found: &mut Option<Option<Node<'t>>>) {
    if found.is_some() {
        return;
    }
    if let Some(t) = depends_target(n, src) {
        *found = Some(t);
        return;
    }
    let mut cur = n.walk();
    for c in n.named_children(&mut cur) {
        find_depends(c, src, found);
    }
}
