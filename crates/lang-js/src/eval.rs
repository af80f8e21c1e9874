//! A small symbolic evaluator over the syntax tree: what a name or expression stands for
//! (a project function, a class, an instance, an object literal, a module, a package
//! member, a string, a router). Used in two modes:
//! - pure (no [`Interp`]): resolving callees to `FnId`s while lowering, in parallel;
//! - interpreting: executing module top levels and the functions they call, so router
//!   registrations are found across files in registration order (see `routes.rs`).

use crate::index::{BindKind, Binding, ImportWhat, Store, ancestors, import_of, path_in_pattern};
use crate::syntax::NodeExt;
use crate::syntax::{self, is_function, string_value, strip, text};
use secprop_model::FnId;
use std::collections::{HashMap, HashSet};
use std::rc::Rc;
use tree_sitter::Node;

/// Identity of a registration, for de-duplication: (start, end, path, methods, items).
type OpKey = (usize, usize, PathArg, Vec<String>, Vec<usize>);

/// Index into [`Interp::routers`].
pub(crate) type RouterId = u32;

/// What an expression stands for.
#[derive(Debug, Clone)]
pub(crate) enum Val<'a> {
    Unknown,
    Func(FnId),
    /// A class declaration or expression.
    Class {
        file: usize,
        node: Node<'a>,
    },
    /// `new C()`: `class` is a [`Val::Class`] or a constructor [`Val::Func`]; `alloc` 0 is
    /// "some instance" (pure mode), other values identify one allocation.
    Instance {
        class: Box<Val<'a>>,
        alloc: u32,
    },
    Object {
        file: usize,
        node: Node<'a>,
    },
    /// A project module's namespace.
    Module(usize),
    /// A package or a member path below it: `express`, `express.Router`.
    Package(String),
    /// The result of calling something from a package (`cors()`, `passport.authenticate()`).
    PackageResult(String),
    Str(String),
    Array {
        file: usize,
        node: Node<'a>,
    },
    Router(RouterId),
    RouteBuilder(Box<Builder<'a>>),
    /// A parameter with no argument (a function no entry point called).
    Free {
        file: usize,
        func: Node<'a>,
        index: usize,
        name: &'a str,
    },
}

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
    /// `Router({ mergeParams: true })`; kept for diagnostics and later checks.
    #[allow(dead_code)]
    pub merge_params: bool,
    pub ops: Vec<Op<'a>>,
    pub mounted: bool,
}

struct Frame<'a> {
    id: u32,
    file: usize,
    func: Option<Node<'a>>,
    binds: HashMap<(usize, usize), Val<'a>>,
    this: Option<Val<'a>>,
    ret: Option<Val<'a>>,
}

/// Interpreter state (sequential).
#[derive(Default)]
pub(crate) struct Interp<'a> {
    frames: Vec<Frame<'a>>,
    pub routers: Vec<RouterInfo<'a>>,
    memo: HashMap<(u32, usize, usize), Val<'a>>,
    module_state: Vec<u8>,
    pub visited_calls: HashSet<(usize, usize)>,
    pub interpreted: HashSet<FnId>,
    active: Vec<FnId>,
    next_frame: u32,
    next_alloc: u32,
    props: HashMap<u32, HashMap<String, Val<'a>>>,
    free_routers: HashMap<(usize, usize, usize), RouterId>,
    unresolved_routers: HashMap<(usize, String), RouterId>,
    /// Parameters without arguments evaluate to [`Val::Free`] (fallback pass).
    pub fallback: bool,
    /// Evaluating a middleware or handler argument: factories such as `requireRole('x')`
    /// are interpreted to find the middleware they return.
    factory: u32,
}

/// The evaluator; `it` is `Some` when interpreting.
pub(crate) struct Ev<'s, 'a> {
    pub store: &'s Store<'a>,
    pub it: Option<Interp<'a>>,
    depth: u32,
    pure_memo: HashMap<(usize, usize), Val<'a>>,
    /// Names declared per scope container (see [`Store::lookup_cached`]).
    pub scope_cache: crate::index::ScopeCache<'a>,
    /// Class bodies read once, by (file, body node id): a member lookup otherwise rereads
    /// every member of the class.
    classes: HashMap<(usize, usize), Rc<ClassBody<'a>>>,
}

/// The members of a class body, as [`Ev::class_member`] looks them up.
struct ClassBody<'a> {
    members: Vec<Member<'a>>,
    /// The first `constructor` method.
    ctor: Option<Node<'a>>,
}

/// One member of a class body (method, field, accessor, static block).
struct Member<'a> {
    node: Node<'a>,
    kind: &'static str,
    /// The `name` (or `property`) field's text without a leading `#`.
    name: Option<&'a str>,
    is_static: bool,
}

const MAX_DEPTH: u32 = 48;
const MAX_CALL_DEPTH: usize = 12;

impl<'s, 'a> Ev<'s, 'a> {
    pub(crate) fn pure(store: &'s Store<'a>) -> Self {
        Ev {
            store,
            it: None,
            depth: 0,
            pure_memo: HashMap::new(),
            scope_cache: HashMap::new(),
            classes: HashMap::new(),
        }
    }

    pub(crate) fn interpreter(store: &'s Store<'a>) -> Self {
        let it = Interp {
            module_state: vec![0; store.files.len()],
            next_frame: store.files.len() as u32 + 1,
            next_alloc: 1,
            ..Interp::default()
        };
        Ev {
            store,
            it: Some(it),
            depth: 0,
            pure_memo: HashMap::new(),
            scope_cache: HashMap::new(),
            classes: HashMap::new(),
        }
    }

    fn src(&self, file: usize) -> &'a str {
        self.store.files[file].src
    }

    /// Evaluates `node` of `file`, computing its scopes from the root.
    pub(crate) fn eval_at(&mut self, file: usize, node: Node<'a>) -> Val<'a> {
        let scopes = ancestors(self.store.files[file].root, node);
        self.eval(file, node, &scopes)
    }

    /// Evaluates `node` with the enclosing scope containers `scopes` (innermost last).
    pub(crate) fn eval(&mut self, file: usize, node: Node<'a>, scopes: &[Node<'a>]) -> Val<'a> {
        if self.depth > MAX_DEPTH {
            return Val::Unknown;
        }
        self.depth += 1;
        let v = self.eval_inner(file, node, scopes);
        self.depth -= 1;
        v
    }

    fn eval_inner(&mut self, file: usize, node: Node<'a>, scopes: &[Node<'a>]) -> Val<'a> {
        let node = strip(node);
        let src = self.src(file);
        match node.k() {
            "string" | "template_string" => {
                if let Some(s) = string_value(node, src) {
                    return Val::Str(s);
                }
                // A template whose substitutions are all constant strings.
                let mut out = String::new();
                let t = text(node, src);
                let mut last = node.start_byte() + 1;
                let mut c = node.walk();
                let subs: Vec<Node<'a>> = node
                    .named_children(&mut c)
                    .filter(|n| n.k() == "template_substitution")
                    .collect();
                for sub in subs {
                    out.push_str(src.get(last..sub.start_byte()).unwrap_or(""));
                    let Some(inner) = sub.named_child(0) else {
                        return Val::Unknown;
                    };
                    match self.eval(file, inner, scopes) {
                        Val::Str(s) => out.push_str(&s),
                        _ => return Val::Unknown,
                    }
                    last = sub.end_byte();
                }
                let end = node.end_byte().saturating_sub(1);
                out.push_str(src.get(last..end).unwrap_or(""));
                let _ = t;
                Val::Str(out)
            }
            "binary_expression" => {
                let op = node.field("operator").map(|o| text(o, src));
                if op != Some("+") {
                    return Val::Unknown;
                }
                let (Some(l), Some(r)) = (node.field("left"), node.field("right")) else {
                    return Val::Unknown;
                };
                match (self.eval(file, l, scopes), self.eval(file, r, scopes)) {
                    (Val::Str(a), Val::Str(b)) => Val::Str(a + &b),
                    _ => Val::Unknown,
                }
            }
            "identifier" => self.identifier(file, node, scopes),
            "this" => self.this_val(file, scopes),
            "function_expression"
            | "function"
            | "arrow_function"
            | "generator_function"
            | "function_declaration"
            | "method_definition"
            | "generator_function_declaration" => match self.store.files[file].fn_id(node) {
                Some(id) => Val::Func(id),
                None => Val::Unknown,
            },
            "class" | "class_declaration" | "abstract_class_declaration" => {
                Val::Class { file, node }
            }
            "object" => Val::Object { file, node },
            "array" => Val::Array { file, node },
            "member_expression" | "subscript_expression" => {
                let Some(obj) = node.field("object") else {
                    return Val::Unknown;
                };
                let prop = if node.k() == "member_expression" {
                    node.field("property").map(|p| text(p, src).to_string())
                } else {
                    node.field("index")
                        .and_then(|i| match self.eval(file, i, scopes) {
                            Val::Str(s) => Some(s),
                            _ => {
                                let t = text(i, src);
                                t.parse::<u32>().ok().map(|_| t.to_string())
                            }
                        })
                };
                let Some(prop) = prop else {
                    return Val::Unknown;
                };
                let base = self.eval(file, obj, scopes);
                self.member(&base, &prop)
            }
            "await_expression" => match node.named_child(0) {
                Some(inner) => self.eval(file, inner, scopes),
                None => Val::Unknown,
            },
            "call_expression" => self.call(file, node, scopes),
            "new_expression" => self.new_expr(file, node, scopes),
            "assignment_expression" => {
                if self.it.is_some() {
                    self.assign(file, node, scopes);
                }
                match node.field("right") {
                    Some(r) => self.eval(file, r, scopes),
                    None => Val::Unknown,
                }
            }
            "sequence_expression" => {
                let mut c = node.walk();
                let kids: Vec<Node<'a>> = node.named_children(&mut c).collect();
                let mut last = Val::Unknown;
                for k in kids {
                    last = self.eval(file, k, scopes);
                }
                last
            }
            _ => Val::Unknown,
        }
    }

    fn identifier(&mut self, file: usize, node: Node<'a>, scopes: &[Node<'a>]) -> Val<'a> {
        let name = text(node, self.src(file));
        match self
            .store
            .lookup_cached(&mut self.scope_cache, file, scopes, name)
        {
            Some((b, _)) => self.binding_val(b),
            None => match name {
                "require" => Val::Package("require".into()),
                _ => Val::Unknown,
            },
        }
    }

    /// The value a binding stands for.
    pub(crate) fn binding_val(&mut self, b: Binding<'a>) -> Val<'a> {
        let file = b.file;
        let src = self.src(file);
        match b.kind {
            BindKind::Decl(node) => self.eval(file, node, &[]),
            BindKind::Value { pattern, value } => {
                let Some(value) = value else {
                    return Val::Unknown;
                };
                let base = self.memo_eval(file, value);
                let path = path_in_pattern(pattern, b.name, src);
                let mut v = base;
                for p in path {
                    v = self.member(&v, &p);
                }
                v
            }
            BindKind::Param {
                func,
                index,
                pattern,
            } => {
                if let Some(v) = self.frame_bind(file, b.name) {
                    return v;
                }
                // TypeScript: a parameter declared with a class type is an instance of it.
                let params = syntax::params(func);
                if let Some(p) = params.get(index)
                    && let (_, Some(ty)) = syntax::param_parts(*p)
                {
                    let t = syntax::type_text(ty, src);
                    if let Some(c) = self.class_named(file, func, &t) {
                        return Val::Instance {
                            class: Box::new(c),
                            alloc: 0,
                        };
                    }
                }
                if self.it.as_ref().is_some_and(|i| i.fallback) && pattern.k() == "identifier" {
                    return Val::Free {
                        file,
                        func,
                        index,
                        name: text(b.name, src),
                    };
                }
                Val::Unknown
            }
            BindKind::Loop { .. } => self.frame_bind(file, b.name).unwrap_or(Val::Unknown),
            BindKind::Import { stmt } => {
                let (source, what) = import_of(stmt, b.name, src);
                match self.store.resolve_module(file, source) {
                    Some(f) => {
                        self.ensure_module(f);
                        match what {
                            ImportWhat::Default => self.module_default(f),
                            ImportWhat::Namespace => {
                                if is_require_import(stmt) {
                                    self.module_required(f)
                                } else {
                                    Val::Module(f)
                                }
                            }
                            ImportWhat::Named(n) => self.module_member(f, &n),
                        }
                    }
                    None => {
                        let pkg = package_name(source);
                        match what {
                            ImportWhat::Default | ImportWhat::Namespace => Val::Package(pkg),
                            ImportWhat::Named(n) => Val::Package(format!("{pkg}.{n}")),
                        }
                    }
                }
            }
            BindKind::Opaque => Val::Unknown,
        }
    }

    /// A class named by a TypeScript type annotation (`ReportService`, `Promise<X>` is not).
    fn class_named(&mut self, file: usize, at: Node<'a>, ty: &str) -> Option<Val<'a>> {
        if !ty
            .chars()
            .all(|c| c.is_alphanumeric() || c == '_' || c == '$')
            || ty.is_empty()
        {
            return None;
        }
        let scopes = ancestors(self.store.files[file].root, at);
        let (b, _) = self.store.lookup(file, &scopes, ty)?;
        match self.binding_val(b) {
            c @ Val::Class { .. } => Some(c),
            _ => None,
        }
    }

    fn memo_eval(&mut self, file: usize, value: Node<'a>) -> Val<'a> {
        if self.it.is_none() {
            if let Some(v) = self.pure_memo.get(&(file, value.id())) {
                return v.clone();
            }
            let scopes = ancestors(self.store.files[file].root, value);
            let v = self.eval(file, value, &scopes);
            self.pure_memo.insert((file, value.id()), v.clone());
            return v;
        }
        // The scopes are only needed to evaluate, not on a memo hit (most calls): ranges
        // say whether the value is inside a function without walking down from the root.
        let mut scopes = None;
        let fi = &self.store.files[file];
        let inside_fn = match fi.inside_function(value) {
            Some(inside) => inside,
            None => scopes
                .get_or_insert_with(|| ancestors(fi.root, value))
                .iter()
                .any(|s| is_function(s.k())),
        };
        let owner = if inside_fn {
            let it = self.it.as_ref().expect("interpreting");
            it.frames
                .iter()
                .rev()
                .find(|f| {
                    f.file == file
                        && f.func.is_some_and(|func| {
                            func.start_byte() <= value.start_byte()
                                && value.end_byte() <= func.end_byte()
                        })
                })
                .map(|f| f.id)
                .unwrap_or(u32::MAX)
        } else {
            self.ensure_module(file);
            file as u32
        };
        let key = (owner, file, value.id());
        if let Some(v) = self.it.as_ref().and_then(|i| i.memo.get(&key)) {
            return v.clone();
        }
        let scopes = scopes.unwrap_or_else(|| ancestors(self.store.files[file].root, value));
        let v = self.eval(file, value, &scopes);
        if let Some(it) = self.it.as_mut() {
            it.memo.insert(key, v.clone());
        }
        v
    }

    fn frame_bind(&self, file: usize, name: Node<'a>) -> Option<Val<'a>> {
        let it = self.it.as_ref()?;
        it.frames
            .iter()
            .rev()
            .find_map(|f| f.binds.get(&(file, name.start_byte())).cloned())
    }

    fn this_val(&mut self, file: usize, scopes: &[Node<'a>]) -> Val<'a> {
        // The innermost non-arrow function decides what `this` is.
        let func = scopes
            .iter()
            .rev()
            .find(|s| is_function(s.k()) && s.k() != "arrow_function")
            .copied();
        if let Some(it) = self.it.as_ref()
            && let Some(fr) = it
                .frames
                .iter()
                .rev()
                .find(|f| f.func.is_some() && f.func.map(|n| n.id()) == func.map(|n| n.id()))
            && let Some(t) = &fr.this
        {
            return t.clone();
        }
        // A field initializer or method of a class.
        for s in scopes.iter().rev() {
            if s.k() == "class_body"
                && let Some(class) = s.parent()
            {
                return Val::Instance {
                    class: Box::new(Val::Class { file, node: class }),
                    alloc: 0,
                };
            }
            if is_function(s.k()) && s.k() != "arrow_function" {
                if s.k() == "method_definition" {
                    continue;
                }
                if s.k() == "function_declaration"
                    && let Some(id) = self.store.files[file].fn_id(*s)
                {
                    return Val::Instance {
                        class: Box::new(Val::Func(id)),
                        alloc: 0,
                    };
                }
                return Val::Unknown;
            }
        }
        Val::Unknown
    }

    /// `base.prop`.
    pub(crate) fn member(&mut self, base: &Val<'a>, prop: &str) -> Val<'a> {
        match base {
            Val::Module(f) => {
                let f = *f;
                if prop == "default" {
                    return self.module_default(f);
                }
                self.module_member(f, prop)
            }
            Val::Object { file, node } => self.object_member(*file, *node, prop),
            Val::Class { file, node } => self.class_member(*file, *node, prop, true),
            Val::Instance { class, alloc } => {
                if let Some(v) = self
                    .it
                    .as_ref()
                    .and_then(|i| i.props.get(alloc))
                    .and_then(|m| m.get(prop))
                {
                    return v.clone();
                }
                match class.as_ref() {
                    Val::Class { file, node } => self.class_member(*file, *node, prop, false),
                    Val::Func(id) => self.ctor_member(*id, prop),
                    _ => Val::Unknown,
                }
            }
            Val::Package(p) => Val::Package(format!("{p}.{prop}")),
            Val::PackageResult(p) => Val::PackageResult(format!("{p}.{prop}")),
            Val::Array { file, node } => match prop.parse::<u32>() {
                Ok(i) => match node.named_child(i) {
                    Some(el) => self.eval_at(*file, el),
                    None => Val::Unknown,
                },
                Err(_) => Val::Unknown,
            },
            Val::Func(_) if prop == "prototype" => base.clone(),
            _ => Val::Unknown,
        }
    }

    fn object_member(&mut self, file: usize, node: Node<'a>, prop: &str) -> Val<'a> {
        let src = self.src(file);
        let mut c = node.walk();
        let kids: Vec<Node<'a>> = node.named_children(&mut c).collect();
        let mut found = Val::Unknown;
        for ch in kids {
            match ch.k() {
                "pair" => {
                    let Some(k) = ch.field("key") else { continue };
                    let key = string_value(k, src).unwrap_or_else(|| text(k, src).to_string());
                    if key == prop
                        && let Some(v) = ch.field("value")
                    {
                        found = self.eval_at(file, v);
                    }
                }
                "shorthand_property_identifier" if text(ch, src) == prop => {
                    let scopes = ancestors(self.store.files[file].root, ch);
                    if let Some((b, _)) = self.store.lookup(file, &scopes, prop) {
                        found = self.binding_val(b);
                    }
                }
                "method_definition" => {
                    if ch.field("name").is_some_and(|n| text(n, src) == prop)
                        && let Some(id) = self.store.files[file].fn_id(ch)
                    {
                        found = Val::Func(id);
                    }
                }
                "spread_element" => {
                    if let Some(inner) = ch.named_child(0) {
                        let v = self.eval_at(file, inner);
                        let m = self.member(&v, prop);
                        if !matches!(m, Val::Unknown) {
                            found = m;
                        }
                    }
                }
                _ => {}
            }
        }
        found
    }

    fn class_member(
        &mut self,
        file: usize,
        class: Node<'a>,
        prop: &str,
        want_static: bool,
    ) -> Val<'a> {
        let src = self.src(file);
        let Some(body) = class.field("body") else {
            return Val::Unknown;
        };
        let info = self.class_body(file, body);
        for m in &info.members {
            if m.name != Some(prop) || m.is_static != want_static {
                continue;
            }
            let ch = m.node;
            match m.kind {
                "method_definition" => {
                    if ch
                        .field("name")
                        .is_some_and(|n| text(n, src).trim_start_matches('#') == prop)
                        && let Some(id) = self.store.files[file].fn_id(ch)
                    {
                        return Val::Func(id);
                    }
                }
                "public_field_definition" | "field_definition" => {
                    if let Some(v) = ch.field("value") {
                        return self.memo_eval(file, v);
                    }
                    if let Some(ty) = ch.field("type") {
                        let t = syntax::type_text(ty, src);
                        if let Some(c) = self.class_named(file, class, &t) {
                            return Val::Instance {
                                class: Box::new(c),
                                alloc: 0,
                            };
                        }
                    }
                }
                _ => {}
            }
        }
        if !want_static {
            // Constructor assignments `this.x = v` and parameter properties.
            if let Some(ctor) = info.ctor {
                for (i, p) in syntax::params(ctor).into_iter().enumerate() {
                    let has_modifier = {
                        let mut c2 = p.walk();
                        p.children(&mut c2)
                            .any(|n| n.k() == "accessibility_modifier" || n.k() == "readonly")
                    };
                    let (pat, ty) = syntax::param_parts(p);
                    if has_modifier && text(pat, src) == prop {
                        let _ = i;
                        if let Some(ty) = ty {
                            let t = syntax::type_text(ty, src);
                            if let Some(c) = self.class_named(file, class, &t) {
                                return Val::Instance {
                                    class: Box::new(c),
                                    alloc: 0,
                                };
                            }
                        }
                        return Val::Unknown;
                    }
                }
                if let Some(v) = self.this_assignment(file, ctor, prop) {
                    return v;
                }
            }
        }
        // Inherited members.
        if let Some(sup) = superclass(class) {
            let v = self.eval_at(file, sup);
            if let Val::Class { file: f2, node: n2 } = v
                && n2.id() != class.id()
            {
                return self.class_member(f2, n2, prop, want_static);
            }
        }
        Val::Unknown
    }

    /// The members of a class body, read from the tree on first use.
    fn class_body(&mut self, file: usize, body: Node<'a>) -> Rc<ClassBody<'a>> {
        if let Some(info) = self.classes.get(&(file, body.id())) {
            return info.clone();
        }
        let src = self.src(file);
        let mut c = body.walk();
        let kids: Vec<Node<'a>> = body.named_children(&mut c).collect();
        let members = kids
            .iter()
            .map(|ch| Member {
                node: *ch,
                kind: ch.k(),
                name: ch
                    .field("name")
                    .or_else(|| ch.field("property"))
                    .map(|n| text(n, src).trim_start_matches('#')),
                is_static: {
                    let mut c2 = ch.walk();
                    ch.children(&mut c2).any(|n| n.k() == "static")
                },
            })
            .collect();
        let ctor = kids.into_iter().find(|k| {
            k.k() == "method_definition"
                && k.field("name")
                    .is_some_and(|n| text(n, src) == "constructor")
        });
        let info = Rc::new(ClassBody { members, ctor });
        self.classes.insert((file, body.id()), info.clone());
        info
    }

    /// `this.prop = v` directly in the body of `func`.
    fn this_assignment(&mut self, file: usize, func: Node<'a>, prop: &str) -> Option<Val<'a>> {
        let src = self.src(file);
        let body = func.field("body")?;
        let mut c = body.walk();
        let stmts: Vec<Node<'a>> = body.named_children(&mut c).collect();
        for s in stmts {
            if s.k() != "expression_statement" {
                continue;
            }
            let Some(e) = s.named_child(0) else { continue };
            if e.k() != "assignment_expression" {
                continue;
            }
            let (Some(l), Some(r)) = (e.field("left"), e.field("right")) else {
                continue;
            };
            if l.k() == "member_expression"
                && l.field("object").is_some_and(|o| o.k() == "this")
                && l.field("property").is_some_and(|p| text(p, src) == prop)
            {
                return Some(self.eval_at(file, r));
            }
        }
        None
    }

    /// A member of an instance of a constructor function: `this.x = ...` in its body or
    /// `Ctor.prototype.x = ...` in its file.
    fn ctor_member(&mut self, id: FnId, prop: &str) -> Val<'a> {
        let Some((file, node)) = self.store.fn_node(id) else {
            return Val::Unknown;
        };
        if let Some(v) = self.this_assignment(file, node, prop) {
            return v;
        }
        let src = self.src(file);
        let Some(name) = node.field("name").map(|n| text(n, src)) else {
            return Val::Unknown;
        };
        let protos: Vec<Node<'a>> = self.store.files[file]
            .protos
            .iter()
            .filter(|(c, p, _)| *c == name && *p == prop)
            .map(|(_, _, v)| *v)
            .collect();
        match protos.last() {
            Some(v) => self.eval_at(file, *v),
            None => Val::Unknown,
        }
    }

    /// A named export of a project module (ES first, then CommonJS).
    pub(crate) fn module_member(&mut self, f: usize, name: &str) -> Val<'a> {
        self.ensure_module(f);
        let fi = &self.store.files[f];
        if let Some(e) = fi.exports.get(name).copied() {
            return self.export_val(f, e);
        }
        let cjs: Vec<Node<'a>> = fi
            .cjs_members
            .iter()
            .filter(|(n, _)| *n == name)
            .map(|(_, v)| *v)
            .collect();
        if let Some(v) = cjs.last() {
            return self.eval_at(f, *v);
        }
        if let Some(root) = fi.cjs_root {
            let v = self.eval_at(f, root);
            let m = self.member(&v, name);
            if !matches!(m, Val::Unknown) {
                return m;
            }
        }
        let stars = fi.star_exports.clone();
        for s in stars {
            if let Some(g) = self.store.resolve_module(f, s)
                && g != f
            {
                let v = self.module_member(g, name);
                if !matches!(v, Val::Unknown) {
                    return v;
                }
            }
        }
        Val::Unknown
    }

    fn export_val(&mut self, f: usize, e: crate::index::Export<'a>) -> Val<'a> {
        use crate::index::Export;
        match e {
            Export::Local(n) => match self.store.files[f].top.get(n).copied() {
                Some(b) => self.binding_val(b),
                None => Val::Unknown,
            },
            Export::Node(node) => self.memo_eval(f, node),
            Export::Re { source, orig } => match self.store.resolve_module(f, source) {
                Some(g) if orig == "*" => Val::Module(g),
                Some(g) if g != f => {
                    if orig == "default" {
                        self.module_default(g)
                    } else {
                        self.module_member(g, orig)
                    }
                }
                Some(_) => Val::Unknown,
                None => Val::Package(format!("{}.{orig}", package_name(source))),
            },
        }
    }

    /// What `import x from` gives: the default export, else `module.exports`.
    pub(crate) fn module_default(&mut self, f: usize) -> Val<'a> {
        self.ensure_module(f);
        let fi = &self.store.files[f];
        if let Some(e) = fi.exports.get("default").copied() {
            return self.export_val(f, e);
        }
        self.module_required(f)
    }

    /// What `require(x)` gives: `module.exports`, else the namespace.
    pub(crate) fn module_required(&mut self, f: usize) -> Val<'a> {
        self.ensure_module(f);
        match self.store.files[f].cjs_root {
            Some(root) => self.memo_eval(f, root),
            None => Val::Module(f),
        }
    }

    fn call(&mut self, file: usize, node: Node<'a>, scopes: &[Node<'a>]) -> Val<'a> {
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
    fn apply(
        &mut self,
        file: usize,
        call: Node<'a>,
        f: Val<'a>,
        args: &[Node<'a>],
        scopes: &[Node<'a>],
        this: Option<Val<'a>>,
    ) -> Val<'a> {
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

    /// The first argument that is a function (inline, or a name or member resolving to a
    /// project function); arguments with calls are not evaluated (no effects).
    fn wrapped_arg(
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

    fn new_expr(&mut self, file: usize, node: Node<'a>, scopes: &[Node<'a>]) -> Val<'a> {
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

    /// Interpreting every call would execute the whole program: only functions that
    /// register routes or create routers, that receive a router, or that build a
    /// middleware (while evaluating a registration's arguments) are interpreted.
    fn worth_interpreting(&self, id: FnId, args: &[Val<'a>]) -> bool {
        let Some(it) = self.it.as_ref() else {
            return false;
        };
        if it.factory > 0 {
            return true;
        }
        if args
            .iter()
            .any(|a| matches!(a, Val::Router(_) | Val::Free { .. } | Val::RouteBuilder(_)))
        {
            return true;
        }
        match self.store.fn_node(id) {
            Some((f, _)) => self.store.files[f].routey(id),
            None => false,
        }
    }

    fn alloc(&mut self) -> u32 {
        match self.it.as_mut() {
            Some(it) => {
                it.next_alloc += 1;
                it.next_alloc
            }
            None => 0,
        }
    }

    fn assign(&mut self, file: usize, node: Node<'a>, scopes: &[Node<'a>]) {
        let src = self.src(file);
        let Some(l) = node.field("left") else { return };
        if l.k() != "member_expression" {
            return;
        }
        let (Some(o), Some(p)) = (l.field("object"), l.field("property")) else {
            return;
        };
        let base = self.eval(file, o, scopes);
        if let Val::Instance { alloc, .. } = base
            && alloc != 0
            && let Some(r) = node.field("right")
        {
            let v = self.eval(file, r, scopes);
            if let Some(it) = self.it.as_mut() {
                it.props
                    .entry(alloc)
                    .or_default()
                    .insert(text(p, src).to_string(), v);
            }
        }
    }

    // ----- interpreter -----

    /// Executes a module's top level once (interpreting mode only).
    pub(crate) fn ensure_module(&mut self, f: usize) {
        let Some(it) = self.it.as_mut() else { return };
        if it.module_state[f] != 0 {
            return;
        }
        it.module_state[f] = 1;
        it.frames.push(Frame {
            id: f as u32,
            file: f,
            func: None,
            binds: HashMap::new(),
            this: None,
            ret: None,
        });
        let root = self.store.files[f].root;
        let saved = self.depth;
        self.depth = 0;
        let mut scopes = vec![root];
        // The statements `exec` acts on, listed by the index while the tree was hot: the
        // others (imports, types, declarations, comments) are not touched again.
        let store = self.store;
        for stmt in &store.files[f].exec_top {
            self.exec(f, *stmt, &mut scopes);
        }
        self.depth = saved;
        if let Some(it) = self.it.as_mut() {
            it.frames.pop();
            it.module_state[f] = 2;
        }
    }

    /// Calls a function value with argument values (interpreting mode).
    pub(crate) fn call_val(
        &mut self,
        f: &Val<'a>,
        args: Vec<Val<'a>>,
        this: Option<Val<'a>>,
    ) -> Val<'a> {
        let Val::Func(id) = f else {
            return Val::Unknown;
        };
        let id = *id;
        let Some((file, node)) = self.store.fn_node(id) else {
            return Val::Unknown;
        };
        {
            let Some(it) = self.it.as_mut() else {
                return Val::Unknown;
            };
            if it.active.contains(&id) || it.active.len() >= MAX_CALL_DEPTH {
                return Val::Unknown;
            }
            it.active.push(id);
            it.interpreted.insert(id);
        }
        let src = self.src(file);
        let mut binds = HashMap::new();
        for (i, p) in syntax::params(node).into_iter().enumerate() {
            let arg = args.get(i).cloned();
            let mut names = Vec::new();
            syntax::pattern_names(p, src, &mut names);
            for (n, path) in names {
                let v = match &arg {
                    Some(a) => {
                        let mut v = a.clone();
                        for seg in &path {
                            v = self.member(&v, seg);
                        }
                        v
                    }
                    None if self.it.as_ref().is_some_and(|i| i.fallback) && path.is_empty() => {
                        Val::Free {
                            file,
                            func: node,
                            index: i,
                            name: text(n, src),
                        }
                    }
                    None => Val::Unknown,
                };
                binds.insert((file, n.start_byte()), v);
            }
        }
        let this = this.or_else(|| {
            // A method interpreted on its own: `this` is some instance of its class.
            let parent = node.parent()?;
            if node.k() == "method_definition" && parent.k() == "class_body" {
                let class = parent.parent()?;
                Some(Val::Instance {
                    class: Box::new(Val::Class { file, node: class }),
                    alloc: 0,
                })
            } else {
                None
            }
        });
        let fid = {
            let it = self.it.as_mut().expect("interpreting");
            it.next_frame += 1;
            it.next_frame
        };
        self.it.as_mut().expect("interpreting").frames.push(Frame {
            id: fid,
            file,
            func: Some(node),
            binds,
            this,
            ret: None,
        });
        let mut scopes = ancestors(self.store.files[file].root, node);
        scopes.push(node);
        let saved = self.depth;
        self.depth = 0;
        match node.field("body") {
            Some(body) if body.k() == "statement_block" => {
                scopes.push(body);
                self.exec_children(file, body, &mut scopes);
            }
            Some(expr) => {
                let v = self.eval(file, expr, &scopes);
                if let Some(fr) = self.it.as_mut().and_then(|i| i.frames.last_mut()) {
                    fr.ret = Some(v);
                }
            }
            None => {}
        }
        self.depth = saved;
        let it = self.it.as_mut().expect("interpreting");
        let fr = it.frames.pop();
        it.active.pop();
        fr.and_then(|f| f.ret).unwrap_or(Val::Unknown)
    }

    fn exec_children(&mut self, file: usize, block: Node<'a>, scopes: &mut Vec<Node<'a>>) {
        let mut c = block.walk();
        let kids: Vec<Node<'a>> = block.named_children(&mut c).collect();
        for k in kids {
            self.exec(file, k, scopes);
        }
    }

    fn exec(&mut self, file: usize, stmt: Node<'a>, scopes: &mut Vec<Node<'a>>) {
        match stmt.k() {
            "expression_statement" => {
                if let Some(e) = stmt.named_child(0) {
                    self.eval(file, e, scopes);
                }
            }
            "lexical_declaration" | "variable_declaration" => {
                let mut c = stmt.walk();
                let decls: Vec<Node<'a>> = stmt.named_children(&mut c).collect();
                for d in decls {
                    if let Some(v) = d.field("value") {
                        self.memo_eval(file, v);
                    }
                }
            }
            "export_statement" => {
                if let Some(d) = stmt.field("declaration") {
                    self.exec(file, d, scopes);
                } else if let Some(v) = stmt.field("value") {
                    self.memo_eval(file, v);
                }
            }
            "return_statement" => {
                if let Some(e) = stmt.named_child(0) {
                    let v = self.eval(file, e, scopes);
                    if let Some(fr) = self.it.as_mut().and_then(|i| i.frames.last_mut())
                        && fr.ret.as_ref().is_none_or(|r| matches!(r, Val::Unknown))
                    {
                        fr.ret = Some(v);
                    }
                }
            }
            "statement_block" => {
                scopes.push(stmt);
                self.exec_children(file, stmt, scopes);
                scopes.pop();
            }
            "if_statement" => {
                for f in ["consequence", "alternative"] {
                    if let Some(b) = stmt.field(f) {
                        self.exec(file, b, scopes);
                    }
                }
            }
            "else_clause" => {
                if let Some(b) = stmt.named_child(0) {
                    self.exec(file, b, scopes);
                }
            }
            "try_statement" => {
                for f in ["body", "handler", "finalizer"] {
                    if let Some(b) = stmt.field(f) {
                        let b = if b.k() == "statement_block" {
                            b
                        } else {
                            b.field("body").unwrap_or(b)
                        };
                        self.exec(file, b, scopes);
                    }
                }
            }
            "for_in_statement" => self.exec_for_of(file, stmt, scopes),
            "for_statement" | "while_statement" | "do_statement" | "labeled_statement" => {
                if let Some(b) = stmt.field("body") {
                    scopes.push(stmt);
                    self.exec(file, b, scopes);
                    scopes.pop();
                }
            }
            "switch_statement" => {
                if let Some(body) = stmt.field("body") {
                    let mut c = body.walk();
                    let cases: Vec<Node<'a>> = body.named_children(&mut c).collect();
                    for case in cases {
                        scopes.push(case);
                        let mut c2 = case.walk();
                        let kids: Vec<Node<'a>> =
                            case.children_by_field_name("body", &mut c2).collect();
                        for k in kids {
                            self.exec(file, k, scopes);
                        }
                        scopes.pop();
                    }
                }
            }
            _ => {}
        }
    }

    /// `for (const x of [literal array])` is unrolled; any other loop runs its body once
    /// with an unknown loop variable.
    fn exec_for_of(&mut self, file: usize, stmt: Node<'a>, scopes: &mut Vec<Node<'a>>) {
        let src = self.src(file);
        let (Some(left), Some(right), Some(body)) =
            (stmt.field("left"), stmt.field("right"), stmt.field("body"))
        else {
            return;
        };
        let is_of = {
            let mut c = stmt.walk();
            stmt.children(&mut c).any(|n| n.k() == "of")
        };
        let arr = self.eval(file, right, scopes);
        let mut names = Vec::new();
        syntax::pattern_names(left, src, &mut names);
        let elements: Vec<Val<'a>> = match (&arr, is_of) {
            (Val::Array { file: af, node: an }, true) => {
                let (af, an) = (*af, *an);
                let els: Vec<Node<'a>> = syntax::named_kids(an);
                els.into_iter().map(|el| self.eval_at(af, el)).collect()
            }
            _ => vec![Val::Unknown],
        };
        scopes.push(stmt);
        for el in elements {
            let mut binds = HashMap::new();
            for (n, path) in &names {
                let mut v = el.clone();
                for seg in path {
                    v = self.member(&v, seg);
                }
                binds.insert((file, n.start_byte()), v);
            }
            // Loop bindings live in a frame of their own; memoised declarations inside
            // the body must be re-evaluated per element, so the frame gets a new id.
            let (fid, func) = {
                let it = self.it.as_mut().expect("interpreting");
                it.next_frame += 1;
                let func = it.frames.last().and_then(|f| f.func);
                (it.next_frame, func)
            };
            let this = self
                .it
                .as_ref()
                .and_then(|i| i.frames.last())
                .and_then(|f| f.this.clone());
            let _ = func;
            self.it.as_mut().expect("interpreting").frames.push(Frame {
                id: fid,
                file,
                func: Some(body),
                binds,
                this,
                ret: None,
            });
            self.exec(file, body, scopes);
            self.it.as_mut().expect("interpreting").frames.pop();
        }
        scopes.pop();
    }

    fn new_router(
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

    fn free_router(&mut self, file: usize, func: Node<'a>, index: usize, name: &str) -> RouterId {
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
    fn router_call(
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
                let it = self.it.as_mut()?;
                let key = (file, recv.clone());
                match it.unresolved_routers.get(&key) {
                    Some(id) => *id,
                    None => {
                        let id = it.routers.len() as RouterId;
                        it.routers.push(RouterInfo {
                            kind: RouterKind::Unresolved,
                            file,
                            node: obj,
                            name: recv,
                            merge_params: false,
                            ops: Vec::new(),
                            mounted: false,
                        });
                        it.unresolved_routers.insert(key, id);
                        id
                    }
                }
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

    /// Records a registration; the same call registering the same thing twice (a
    /// function interpreted from two entry points) is kept once. Returns its index.
    fn push_op(&mut self, router: RouterId, op: Op<'a>) -> Option<usize> {
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

    fn is_path_arg(&mut self, file: usize, a: Node<'a>, scopes: &[Node<'a>]) -> bool {
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

    fn path_arg(&mut self, file: usize, a: Node<'a>, scopes: &[Node<'a>]) -> PathArg {
        let src = self.src(file);
        let a = strip(a);
        if a.k() == "regex" {
            return PathArg::Unresolved(format!("regular-expression path `{}`", text(a, src)));
        }
        match self.eval(file, a, scopes) {
            Val::Str(s) => PathArg::Paths(vec![s]),
            Val::Array { file: af, node: an } => {
                let mut out = Vec::new();
                let mut c = an.walk();
                let els: Vec<Node<'a>> = an.named_children(&mut c).collect();
                for e in els {
                    match self.eval_at(af, e) {
                        Val::Str(s) => out.push(s),
                        _ => {
                            return PathArg::Unresolved(format!(
                                "path `{}` is not a static string",
                                text(e, self.src(af))
                            ));
                        }
                    }
                }
                PathArg::Paths(out)
            }
            _ => PathArg::Unresolved(format!("path `{}` is not a static string", text(a, src))),
        }
    }

    /// Middleware and handler arguments, arrays and spreads flattened.
    fn items(&mut self, file: usize, args: &[Node<'a>], scopes: &[Node<'a>]) -> Vec<Item<'a>> {
        let mut out = Vec::new();
        for a in args {
            self.item(file, *a, scopes, &mut out, 0);
        }
        out
    }

    fn item(
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
        });
    }

    /// Re-evaluates an identifier or member through the interpreter's frames (parameters
    /// and loop variables are only known there).
    fn frame_val(&mut self, file: usize, node: Node<'a>, scopes: &[Node<'a>]) -> Val<'a> {
        match strip(node).k() {
            "identifier" | "member_expression" | "this" => self.eval(file, node, scopes),
            _ => Val::Unknown,
        }
    }
}

/// TypeScript `import x = require('y')` binds what `require` returns.
fn is_require_import(stmt: Node<'_>) -> bool {
    let mut c = stmt.walk();
    stmt.named_children(&mut c)
        .any(|n| n.k() == "import_require_clause")
}

/// The superclass expression of a class (`extends Base`).
fn superclass<'a>(class: Node<'a>) -> Option<Node<'a>> {
    let mut c = class.walk();
    let heritage = class
        .named_children(&mut c)
        .find(|n| n.k() == "class_heritage")?;
    let first = heritage.named_child(0)?;
    if first.k() == "extends_clause" {
        return first.field("value").or_else(|| first.named_child(0));
    }
    Some(first)
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

/// The display name of a package specifier: `@scope/pkg/sub` → `pkg`, `node:fs` → `fs`.
pub(crate) fn package_name(spec: &str) -> String {
    let spec = spec.strip_prefix("node:").unwrap_or(spec);
    let mut parts = spec.split('/');
    let first = parts.next().unwrap_or(spec);
    if first.starts_with('@') {
        return parts.next().unwrap_or(first).to_string();
    }
    first.to_string()
}
