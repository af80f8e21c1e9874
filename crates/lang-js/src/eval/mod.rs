//! A small symbolic evaluator over the syntax tree: what a name or expression stands for
//! (a project function, a class, an instance, an object literal, a module, a package
//! member, a string, a router). Used in two modes:
//! - pure (no [`Interp`]): resolving callees to `FnId`s while lowering, in parallel;
//! - interpreting: executing module top levels and the functions they call, so router
//!   registrations are found across files in registration order (see `routes.rs`).

//!
//! Layout: this module holds the values and the evaluation of expressions and names;
//! `members` object, class and module members, `calls` calls and `new`, `interp` the
//! interpreter's statements and frames, `routers` apps, routers and their registrations.
//! It imports `index` and `syntax`.

mod calls;
mod generators;
mod interp;
mod members;
mod routers;

pub(crate) use routers::{Builder, Item, Op, PathArg, RouterId, RouterInfo, RouterKind};

use crate::index::{BindKind, Binding, ImportWhat, Store, ancestors, import_of, path_in_pattern};
use crate::syntax::NodeExt;
use crate::syntax::{self, is_function, string_value, strip, text};
use secprop_model::FnId;
use std::collections::{HashMap, HashSet};
use std::rc::Rc;
use tree_sitter::Node;

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
    /// Parameters (file, function start, index) that some call bound to a router.
    bound_routers: HashSet<(usize, usize, usize)>,
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
}

/// TypeScript `import x = require('y')` binds what `require` returns.
fn is_require_import(stmt: Node<'_>) -> bool {
    let mut c = stmt.walk();
    stmt.named_children(&mut c)
        .any(|n| n.k() == "import_require_clause")
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
