//! Per-file indexes built after parsing: top-level bindings, ES and CommonJS exports,
//! the function table (every function node gets its `FnId` once), module resolution
//! and lexical lookup of names.

use crate::lang::Lang;
use crate::syntax::NodeExt;
use crate::syntax::{self, is_function, pattern_names, text};
use secprop_model::{FileId, FnId};
use std::collections::HashMap;
use std::path::PathBuf;
use tree_sitter::{Node, Tree};

/// One parsed file.
pub(crate) struct Parsed {
    /// Relative to the repository root, `/` separators.
    pub rel: String,
    /// Relative to the scan root, `/` separators (module resolution).
    pub key: String,
    pub abs: PathBuf,
    pub src: String,
    pub tree: Tree,
    #[allow(dead_code)]
    pub lang: Lang,
}

/// What an import statement binds.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum ImportWhat {
    Default,
    Namespace,
    Named(String),
}

/// How a name is bound, found by [`Store::lookup`].
#[derive(Debug, Clone, Copy)]
pub(crate) struct Binding<'a> {
    pub file: usize,
    /// The identifier that declares the name.
    pub name: Node<'a>,
    pub kind: BindKind<'a>,
}

#[derive(Debug, Clone, Copy)]
pub(crate) enum BindKind<'a> {
    /// `const pattern = value` (`value` absent for `let x;`).
    Value {
        pattern: Node<'a>,
        value: Option<Node<'a>>,
    },
    /// `function f() {}` / `class C {}`.
    Decl(Node<'a>),
    /// A parameter of `func`, at `index`, through `pattern`.
    Param {
        func: Node<'a>,
        index: usize,
        pattern: Node<'a>,
    },
    /// The variable of a `for (... of/in ...)` loop (its value is only known while
    /// interpreting the loop).
    #[allow(dead_code)]
    Loop { stmt: Node<'a>, pattern: Node<'a> },
    /// An ES import (`import_statement` node).
    Import { stmt: Node<'a> },
    /// `catch (e)` and other bindings without a static value.
    Opaque,
}

/// An ES export entry.
#[derive(Debug, Clone, Copy)]
pub(crate) enum Export<'a> {
    /// `export { local as name }`, `export const name = ...`, `export function name`.
    Local(&'a str),
    /// `export default <expr or declaration>`.
    Node(Node<'a>),
    /// `export { orig as name } from 'src'` / `export * as name from 'src'` (orig `*`).
    Re { source: &'a str, orig: &'a str },
}

/// Everything indexed about one file.
pub(crate) struct FileInfo<'a> {
    pub id: FileId,
    pub p: &'a Parsed,
    pub src: &'a str,
    pub root: Node<'a>,
    /// What the module stands for in call names (spec-v1 §4): file stem, or the folder
    /// name for `index.*`.
    pub module_name: String,
    pub top: HashMap<&'a str, Binding<'a>>,
    pub exports: HashMap<String, Export<'a>>,
    pub star_exports: Vec<&'a str>,
    /// `module.exports = X`.
    pub cjs_root: Option<Node<'a>>,
    /// `exports.x = v` / `module.exports.x = v`.
    pub cjs_members: Vec<(&'a str, Node<'a>)>,
    /// `Ctor.prototype.x = v` at the top level.
    pub protos: Vec<(&'a str, &'a str, Node<'a>)>,
    /// Function nodes in document order; `FnId(fn_base + index)`.
    pub fns: Vec<Node<'a>>,
    /// Qualified name of each function (parallel to `fns`).
    pub fn_names: Vec<String>,
    /// Scope containers enclosing each function, outermost first (parallel to `fns`).
    pub fn_scopes: Vec<Vec<Node<'a>>>,
    pub fn_base: u32,
    /// Parallel to `fns`: see [`FileInfo::routey`].
    pub routey: Vec<bool>,
    pub fn_by_range: HashMap<(usize, usize), u32>,
    /// Byte range of each function (parallel to `fns`, so sorted by start), read without
    /// touching the syntax tree again.
    pub fn_ranges: Vec<(usize, usize)>,
    /// The top-level statements module interpretation executes (see `Ev::executes`).
    pub exec_top: Vec<Node<'a>>,
    /// Calls that look like route registrations (`x.get(`, `x.use(`, `x.route(`), for
    /// the pass that interprets functions no entry point reached.
    pub route_like: Vec<Node<'a>>,
}

pub(crate) const HTTP_METHODS: &[&str] = &[
    "get",
    "post",
    "put",
    "delete",
    "patch",
    "options",
    "head",
    "all",
    "search",
    "copy",
    "lock",
    "merge",
    "mkactivity",
    "mkcol",
    "move",
    "notify",
    "propfind",
    "proppatch",
    "purge",
    "report",
    "subscribe",
    "trace",
    "unlock",
    "unsubscribe",
];

/// The whole project's indexes.
pub(crate) struct Store<'a> {
    pub files: Vec<FileInfo<'a>>,
    pub by_key: HashMap<String, usize>,
    /// `tsconfig.json` path aliases, when the target has one.
    pub aliases: Option<crate::tsconfig::Aliases>,
}

fn module_name_of(key: &str) -> String {
    let mut parts: Vec<&str> = key.split('/').collect();
    let file = parts.pop().unwrap_or("");
    let stem = file.rsplit_once('.').map(|(s, _)| s).unwrap_or(file);
    if stem == "index"
        && let Some(dir) = parts.last()
    {
        return (*dir).to_string();
    }
    stem.to_string()
}

impl<'a> FileInfo<'a> {
    /// Indexes one parsed file; function ids are relative until [`Store::new`] sets the base.
    pub(crate) fn build(id: FileId, p: &'a Parsed) -> FileInfo<'a> {
        let root = p.tree.root_node();
        let src = p.src.as_str();
        let mut fi = FileInfo {
            id,
            p,
            src,
            root,
            module_name: module_name_of(&p.key),
            top: HashMap::new(),
            exports: HashMap::new(),
            star_exports: Vec::new(),
            cjs_root: None,
            cjs_members: Vec::new(),
            protos: Vec::new(),
            fns: Vec::new(),
            fn_names: Vec::new(),
            fn_scopes: Vec::new(),
            fn_base: 0,
            routey: Vec::new(),
            fn_by_range: HashMap::new(),
            fn_ranges: Vec::new(),
            exec_top: Vec::new(),
            route_like: Vec::new(),
        };
        let file = id.0 as usize;
        let mut c = root.walk();
        for stmt in root.named_children(&mut c) {
            declare(file, stmt, src, &mut fi.top);
            fi.index_exports(stmt);
            if crate::eval::Ev::executes(stmt) {
                fi.exec_top.push(stmt);
            }
        }
        fi.collect_functions();
        fi
    }

    fn index_exports(&mut self, stmt: Node<'a>) {
        let src = self.src;
        match stmt.k() {
            "export_statement" => {
                let source = stmt.field("source").and_then(|s| {
                    let t = text(s, src);
                    (t.len() >= 2).then(|| &t[1..t.len() - 1])
                });
                let is_default = {
                    let mut c = stmt.walk();
                    stmt.children(&mut c).any(|n| n.k() == "default")
                };
                if let Some(decl) = stmt.field("declaration") {
                    if is_default {
                        self.exports.insert("default".into(), Export::Node(decl));
                    }
                    let mut names = Vec::new();
                    declared_names(decl, src, &mut names);
                    for n in names {
                        self.exports.insert(n.to_string(), Export::Local(n));
                    }
                    return;
                }
                if let Some(v) = stmt.field("value") {
                    self.exports.insert("default".into(), Export::Node(v));
                    return;
                }
                let mut c = stmt.walk();
                let mut had_clause = false;
                for ch in stmt.named_children(&mut c) {
                    match ch.k() {
                        "export_clause" => {
                            had_clause = true;
                            let mut c2 = ch.walk();
                            for spec in ch.named_children(&mut c2) {
                                if spec.k() != "export_specifier" {
                                    continue;
                                }
                                let Some(name) = spec.field("name") else {
                                    continue;
                                };
                                let orig = text(name, src);
                                let alias =
                                    spec.field("alias").map(|a| text(a, src)).unwrap_or(orig);
                                let e = match source {
                                    Some(s) => Export::Re { source: s, orig },
                                    None => Export::Local(orig),
                                };
                                self.exports.insert(alias.to_string(), e);
                            }
                        }
                        "namespace_export" => {
                            had_clause = true;
                            if let (Some(s), Some(n)) = (source, ch.named_child(0)) {
                                self.exports.insert(
                                    text(n, src).to_string(),
                                    Export::Re {
                                        source: s,
                                        orig: "*",
                                    },
                                );
                            }
                        }
                        _ => {}
                    }
                }
                if !had_clause && let Some(s) = source {
                    self.star_exports.push(s);
                }
            }
            "expression_statement" => {
                let Some(e) = stmt.named_child(0) else { return };
                if e.k() != "assignment_expression" {
                    return;
                }
                let (Some(left), Some(right)) = (e.field("left"), e.field("right")) else {
                    return;
                };
                let Some(path) = syntax::callee_path(left, src) else {
                    return;
                };
                let path: Vec<&str> = path.iter().map(|s| s.as_str()).collect();
                // Leak-free: names come back from the source text by position below.
                match path.as_slice() {
                    ["module", "exports"] => self.cjs_root = Some(right),
                    ["module", "exports", _] | ["exports", _] => {
                        let prop = left.field("property").map(|p| text(p, src));
                        if let Some(prop) = prop {
                            self.cjs_members.push((prop, right));
                        }
                    }
                    [_, "prototype", _] => {
                        let obj = left
                            .field("object")
                            .and_then(|o| o.field("object"))
                            .map(|o| text(o, src));
                        let prop = left.field("property").map(|p| text(p, src));
                        if let (Some(o), Some(p)) = (obj, prop) {
                            self.protos.push((o, p, right));
                        }
                    }
                    _ => {}
                }
            }
            _ => {}
        }
    }

    fn collect_functions(&mut self) {
        /// A step of the pre-order walk: visit a node, or leave the last node entered.
        enum Step<'a> {
            Visit(Node<'a>),
            Leave,
        }
        /// Up to this many named children are fetched by index (each fetch rescans the
        /// earlier children); wider nodes are listed with a cursor.
        const BY_INDEX: usize = 16;
        let mut cursor = self.root.walk();
        let src = self.src;
        let kinds = syntax::kind_table(self.root);
        // Ancestors of the current node, root first: names and scopes come from them.
        let mut stack: Vec<Node<'a>> = Vec::new();
        // Indices (into `fns`) of the functions among `stack`, with their stack depth.
        let mut fstack: Vec<(usize, usize)> = Vec::new();
        // Pre-order walk over named nodes only (anonymous nodes are tokens, which never
        // hold a function or a call; no grammar has an anonymous node with children), so
        // document order of function nodes is their start order. Fetching children by
        // index from an explicit stack visits a tree in about half the time of a
        // `TreeCursor` walk over every node, and the explicit stack, unlike recursion,
        // copes with any nesting depth.
        let mut work = vec![Step::Visit(self.root)];
        while let Some(step) = work.pop() {
            let node = match step {
                Step::Visit(node) => node,
                Step::Leave => {
                    stack.pop();
                    if fstack.last().is_some_and(|(d, _)| *d == stack.len()) {
                        fstack.pop();
                    }
                    continue;
                }
            };
            let kid = node.kind_id() as usize;
            let is_function = kinds.function.get(kid).copied().unwrap_or(false);
            if is_function {
                let idx = self.fns.len() as u32;
                let range = (node.start_byte(), node.end_byte());
                self.fn_by_range.insert(range, idx);
                self.fn_ranges.push(range);
                self.fns.push(node);
                self.fn_names
                    .push(crate::lower::fn_name(src, &self.module_name, node, &stack));
                self.fn_scopes.push(
                    stack
                        .iter()
                        .filter(|n| {
                            kinds
                                .scope
                                .get(n.kind_id() as usize)
                                .copied()
                                .unwrap_or(false)
                        })
                        .copied()
                        .collect(),
                );
                self.routey.push(false);
            } else if kinds.call.get(kid).copied().unwrap_or(false)
                && let Some(f) = node.field("function")
            {
                let routey = if f.k() == "member_expression"
                    && let Some(prop) = f.field("property")
                {
                    let name = text(prop, src);
                    if looks_like_registration(node, name) {
                        self.route_like.push(node);
                        true
                    } else {
                        name == "Router"
                    }
                } else {
                    matches!(text(f, src), "express" | "Router")
                };
                // Functions that register routes or create routers are worth interpreting.
                if routey {
                    for (_, fi) in &fstack {
                        self.routey[*fi] = true;
                    }
                }
            }
            if kinds.skip.get(kid).copied().unwrap_or(false) {
                continue;
            }
            let count = node.named_child_count();
            if count == 0 {
                continue;
            }
            if is_function {
                fstack.push((stack.len(), self.fns.len() - 1));
            }
            stack.push(node);
            work.push(Step::Leave);
            // Children go on the stack last first, so the first is visited next.
            if count <= BY_INDEX {
                work.extend(
                    (0..count)
                        .rev()
                        .filter_map(|i| node.named_child(i as u32))
                        .map(Step::Visit),
                );
            } else {
                let at = work.len();
                work.extend(node.named_children(&mut cursor).map(Step::Visit));
                work[at..].reverse();
            }
        }
    }

    /// Renumbers the file (files are indexed as soon as they are parsed, before skipped
    /// files are known and the final [`FileId`]s fixed).
    pub(crate) fn set_id(&mut self, id: FileId) {
        if self.id == id {
            return;
        }
        self.id = id;
        for b in self.top.values_mut() {
            b.file = id.0 as usize;
        }
    }

    /// Whether a function of this file registers routes or creates routers (directly or
    /// in a nested function).
    pub(crate) fn routey(&self, id: FnId) -> bool {
        self.routey
            .get((id.0 - self.fn_base) as usize)
            .copied()
            .unwrap_or(false)
    }

    /// Whether `node` lies inside a function of this file (a function that is a proper
    /// ancestor), from the function ranges alone; `None` when ranges cannot tell (an
    /// empty node, which may sit on a function's edge, or a node with the exact range
    /// of a function that is not itself).
    pub(crate) fn inside_function(&self, node: Node<'_>) -> Option<bool> {
        let (start, end) = (node.start_byte(), node.end_byte());
        if start == end {
            return None;
        }
        // Functions starting at or before `node`, innermost candidates last.
        let n = self.fn_ranges.partition_point(|(s, _)| *s <= start);
        for &(s, e) in self.fn_ranges[..n].iter().rev() {
            if (s, e) == (start, end) {
                let itself = self
                    .fn_by_range
                    .get(&(s, e))
                    .is_some_and(|i| self.fns[*i as usize].id() == node.id());
                if itself {
                    // Only enclosing functions count.
                    continue;
                }
                return None;
            }
            if end <= e {
                return Some(true);
            }
        }
        Some(false)
    }

    /// The `FnId` of a function node of this file.
    pub(crate) fn fn_id(&self, node: Node<'_>) -> Option<FnId> {
        self.fn_by_range
            .get(&(node.start_byte(), node.end_byte()))
            .map(|i| FnId(self.fn_base + i))
    }
}

/// Whether `x.name(args)` has the shape of a route registration: a path and a handler
/// for methods (`map.get(key)` and `axios.get(url, config)` do not), a path for `route`.
fn looks_like_registration(call: Node<'_>, name: &str) -> bool {
    if !(HTTP_METHODS.contains(&name) || matches!(name, "use" | "route" | "param")) {
        return false;
    }
    let Some(args) = call.field("arguments") else {
        return false;
    };
    let kids: Vec<Node<'_>> = syntax::named_kids(args);
    let handler_like = |n: &Node<'_>| {
        let n = syntax::strip(*n);
        is_function(n.k())
            || matches!(
                n.k(),
                "identifier" | "member_expression" | "call_expression" | "array" | "spread_element"
            )
    };
    match name {
        "use" => !kids.is_empty(),
        "route" => kids.len() == 1,
        "param" => kids.len() == 2,
        _ if HTTP_METHODS.contains(&name) => {
            kids.len() >= 2
                && !matches!(
                    syntax::strip(kids[0]).k(),
                    "object" | "number" | "true" | "false" | "null"
                )
                && kids[1..].iter().all(handler_like)
        }
        _ => false,
    }
}

/// Names declared by a declaration statement (not its nested scopes).
pub(crate) fn declared_names<'a>(decl: Node<'a>, src: &'a str, out: &mut Vec<&'a str>) {
    match decl.k() {
        "function_declaration"
        | "generator_function_declaration"
        | "class_declaration"
        | "abstract_class_declaration"
        | "class" => {
            if let Some(n) = decl.field("name") {
                out.push(text(n, src));
            }
        }
        "lexical_declaration" | "variable_declaration" => {
            let mut c = decl.walk();
            for d in decl.named_children(&mut c) {
                if d.k() != "variable_declarator" {
                    continue;
                }
                if let Some(pat) = d.field("name") {
                    let mut names = Vec::new();
                    pattern_names(pat, src, &mut names);
                    out.extend(names.into_iter().map(|(n, _)| text(n, src)));
                }
            }
        }
        _ => {}
    }
}

/// Records the bindings a statement declares into `map`.
pub(crate) fn declare<'a>(
    file: usize,
    stmt: Node<'a>,
    src: &'a str,
    map: &mut HashMap<&'a str, Binding<'a>>,
) {
    match stmt.k() {
        "function_declaration"
        | "generator_function_declaration"
        | "class_declaration"
        | "abstract_class_declaration" => {
            if let Some(n) = stmt.field("name") {
                map.insert(
                    text(n, src),
                    Binding {
                        file,
                        name: n,
                        kind: BindKind::Decl(stmt),
                    },
                );
            }
        }
        "lexical_declaration" | "variable_declaration" => {
            let mut c = stmt.walk();
            for d in stmt.named_children(&mut c) {
                if d.k() != "variable_declarator" {
                    continue;
                }
                let Some(pat) = d.field("name") else { continue };
                let value = d.field("value");
                let mut names = Vec::new();
                pattern_names(pat, src, &mut names);
                for (n, _) in names {
                    map.insert(
                        text(n, src),
                        Binding {
                            file,
                            name: n,
                            kind: BindKind::Value {
                                pattern: pat,
                                value,
                            },
                        },
                    );
                }
            }
        }
        "export_statement" => {
            if let Some(d) = stmt.field("declaration") {
                declare(file, d, src, map);
            }
        }
        "import_statement" => {
            let mut c = stmt.walk();
            for ch in stmt.named_children(&mut c) {
                if ch.k() != "import_clause" {
                    // TypeScript `import x = require('y')`.
                    if ch.k() == "import_require_clause"
                        && let Some(n) = ch.named_child(0)
                    {
                        map.insert(
                            text(n, src),
                            Binding {
                                file,
                                name: n,
                                kind: BindKind::Import { stmt },
                            },
                        );
                    }
                    continue;
                }
                let mut c2 = ch.walk();
                for part in ch.named_children(&mut c2) {
                    match part.k() {
                        "identifier" => {
                            map.insert(
                                text(part, src),
                                Binding {
                                    file,
                                    name: part,
                                    kind: BindKind::Import { stmt },
                                },
                            );
                        }
                        "namespace_import" => {
                            if let Some(n) = part.named_child(0) {
                                map.insert(
                                    text(n, src),
                                    Binding {
                                        file,
                                        name: n,
                                        kind: BindKind::Import { stmt },
                                    },
                                );
                            }
                        }
                        "named_imports" => {
                            let mut c3 = part.walk();
                            for spec in part.named_children(&mut c3) {
                                if spec.k() != "import_specifier" {
                                    continue;
                                }
                                let n = spec.field("alias").or_else(|| spec.field("name"));
                                if let Some(n) = n {
                                    map.insert(
                                        text(n, src),
                                        Binding {
                                            file,
                                            name: n,
                                            kind: BindKind::Import { stmt },
                                        },
                                    );
                                }
                            }
                        }
                        _ => {}
                    }
                }
            }
        }
        _ => {}
    }
}

/// The binding of `name` if the declaration statement `stmt` declares it.
fn find_declared<'a>(file: usize, stmt: Node<'a>, src: &'a str, name: &str) -> Option<Binding<'a>> {
    match stmt.k() {
        "function_declaration"
        | "generator_function_declaration"
        | "class_declaration"
        | "abstract_class_declaration" => {
            let n = stmt.field("name")?;
            (text(n, src) == name).then_some(Binding {
                file,
                name: n,
                kind: BindKind::Decl(stmt),
            })
        }
        "lexical_declaration" | "variable_declaration" => {
            // Cheap pre-check before walking patterns.
            if !text(stmt, src).contains(name) {
                return None;
            }
            let mut c = stmt.walk();
            for d in stmt.named_children(&mut c) {
                if d.k() != "variable_declarator" {
                    continue;
                }
                let Some(pat) = d.field("name") else { continue };
                if pat.k() == "identifier" {
                    if text(pat, src) == name {
                        return Some(Binding {
                            file,
                            name: pat,
                            kind: BindKind::Value {
                                pattern: pat,
                                value: d.field("value"),
                            },
                        });
                    }
                    continue;
                }
                let mut names = Vec::new();
                pattern_names(pat, src, &mut names);
                if let Some((n, _)) = names.into_iter().find(|(n, _)| text(*n, src) == name) {
                    return Some(Binding {
                        file,
                        name: n,
                        kind: BindKind::Value {
                            pattern: pat,
                            value: d.field("value"),
                        },
                    });
                }
            }
            None
        }
        _ => None,
    }
}

/// What an import binding imports, and from where.
pub(crate) fn import_of<'a>(stmt: Node<'a>, name: Node<'a>, src: &'a str) -> (&'a str, ImportWhat) {
    let source = stmt
        .field("source")
        .map(|s| {
            let t = text(s, src);
            if t.len() >= 2 { &t[1..t.len() - 1] } else { "" }
        })
        .or_else(|| {
            // `import x = require('y')`
            let mut c = stmt.walk();
            let clause = stmt
                .named_children(&mut c)
                .find(|n| n.k() == "import_require_clause")?;
            let s = clause.field("source").or_else(|| clause.named_child(1))?;
            let t = text(s, src);
            Some(if t.len() >= 2 { &t[1..t.len() - 1] } else { "" })
        })
        .unwrap_or("");
    let parent = name.parent();
    let what = match parent.map(|p| p.k()) {
        Some("namespace_import") | Some("import_require_clause") => ImportWhat::Namespace,
        Some("import_specifier") => {
            let spec = parent.unwrap_or(name);
            let orig = spec
                .field("name")
                .map(|n| syntax::string_value(n, src).unwrap_or_else(|| text(n, src).to_string()))
                .unwrap_or_default();
            if orig == "default" {
                ImportWhat::Default
            } else {
                ImportWhat::Named(orig)
            }
        }
        _ => ImportWhat::Default,
    };
    (source, what)
}

/// Scope containers, innermost last, that enclose `node` (computed from the root).
pub(crate) fn ancestors<'a>(root: Node<'a>, node: Node<'a>) -> Vec<Node<'a>> {
    let mut out = Vec::new();
    let mut cur = root;
    while cur.id() != node.id() {
        if is_scope(cur.k()) {
            out.push(cur);
        }
        match cur.child_with_descendant(node) {
            Some(next) if next.id() != cur.id() => cur = next,
            _ => break,
        }
    }
    out
}

/// Nodes whose direct children or parameters declare names.
pub(crate) fn is_scope(kind: &str) -> bool {
    is_function(kind)
        || matches!(
            kind,
            "program"
                | "statement_block"
                | "for_in_statement"
                | "for_statement"
                | "catch_clause"
                | "switch_case"
                | "switch_default"
                | "class_body"
                | "class_static_block"
        )
}

impl<'a> Store<'a> {
    /// Builds the store; function ids are assigned in file order then document order.
    pub(crate) fn new(
        mut files: Vec<FileInfo<'a>>,
        aliases: Option<crate::tsconfig::Aliases>,
    ) -> Store<'a> {
        let mut base = 0u32;
        let mut by_key = HashMap::new();
        for (i, f) in files.iter_mut().enumerate() {
            f.fn_base = base;
            base += f.fns.len() as u32;
            by_key.insert(f.p.key.clone(), i);
        }
        Store {
            files,
            by_key,
            aliases,
        }
    }

    /// The file and node of a function id.
    pub(crate) fn fn_node(&self, id: FnId) -> Option<(usize, Node<'a>)> {
        let i = self.files.partition_point(|f| f.fn_base <= id.0);
        let fi = i.checked_sub(1)?;
        let f = &self.files[fi];
        f.fns.get((id.0 - f.fn_base) as usize).map(|n| (fi, *n))
    }

    /// Follows a relative import to a project file (`./x.js` may be `./x.ts`, `./dir` may be
    /// `./dir/index.ts`); `None` for packages and unresolved paths.
    pub(crate) fn resolve_module(&self, from: usize, spec: &str) -> Option<usize> {
        if !(spec.starts_with("./") || spec.starts_with("../") || spec == "." || spec == "..") {
            // `tsconfig.json` `paths` and `baseUrl`.
            let aliases = self.aliases.as_ref()?;
            return aliases
                .candidates(spec)
                .into_iter()
                .find_map(|c| self.resolve_key(&c));
        }
        let key = &self.files[from].p.key;
        let mut parts: Vec<&str> = key.split('/').collect();
        parts.pop();
        for seg in spec.split('/') {
            match seg {
                "." | "" => {}
                ".." => {
                    parts.pop()?;
                }
                s => parts.push(s),
            }
        }
        self.resolve_key(&parts.join("/"))
    }

    /// A scan-root-relative path without or with extension, or a folder with an index.
    fn resolve_key(&self, base: &str) -> Option<usize> {
        const EXTS: &[&str] = &["ts", "tsx", "js", "jsx", "mjs", "cjs", "mts", "cts"];
        if let Some(i) = self.by_key.get(base) {
            return Some(*i);
        }
        let stripped = ["js", "jsx", "mjs", "cjs"]
            .iter()
            .find_map(|e| base.strip_suffix(&format!(".{e}")))
            .unwrap_or(base);
        for e in EXTS {
            if let Some(i) = self.by_key.get(&format!("{stripped}.{e}")) {
                return Some(*i);
            }
        }
        for e in EXTS {
            if let Some(i) = self.by_key.get(&format!("{base}/index.{e}")) {
                return Some(*i);
            }
        }
        None
    }

    /// What a module specifier stands for in call names (spec-v1 §4): the target file's
    /// module name, else the package name (`@scope/pkg/sub` gives `pkg`), else the last
    /// path segment without extension.
    pub(crate) fn module_display(&self, from: usize, spec: &str) -> String {
        if let Some(f) = self.resolve_module(from, spec) {
            return self.files[f].module_name.clone();
        }
        if spec.starts_with('.') {
            let last = spec.rsplit('/').next().unwrap_or(spec);
            return last.split('.').next().unwrap_or(last).to_string();
        }
        let spec = spec.strip_prefix("node:").unwrap_or(spec);
        let mut parts = spec.split('/');
        let first = parts.next().unwrap_or(spec);
        if first.starts_with('@') {
            return parts.next().unwrap_or(first).to_string();
        }
        first.to_string()
    }

    /// Like [`Store::lookup`], with the names declared by each scope container listed
    /// once in `cache` (a lookup otherwise re-reads every enclosing block).
    pub(crate) fn lookup_cached(
        &self,
        cache: &mut ScopeCache<'a>,
        file: usize,
        scopes: &[Node<'a>],
        name: &str,
    ) -> Option<(Binding<'a>, usize)> {
        let src = self.files[file].src;
        for (depth, scope) in scopes.iter().enumerate().rev() {
            if scope.k() == "program" {
                if let Some(b) = self.files[file].top.get(name) {
                    return Some((*b, depth));
                }
                continue;
            }
            let list = cache
                .entry(scope.id())
                .or_insert_with(|| self.declared_in(file, *scope, src));
            if let Some((_, b)) = list.iter().find(|(n, _)| *n == name) {
                return Some((*b, depth));
            }
        }
        self.files[file].top.get(name).map(|b| (*b, 0))
    }

    /// Every name a scope container declares (see [`Store::lookup_in`]).
    fn declared_in(
        &self,
        file: usize,
        scope: Node<'a>,
        src: &'a str,
    ) -> Vec<(&'a str, Binding<'a>)> {
        let kind = scope.k();
        let mut out = Vec::new();
        let add_pattern = |p: Node<'a>,
                           kind: &dyn Fn(Node<'a>) -> BindKind<'a>,
                           out: &mut Vec<(&'a str, Binding<'a>)>| {
            let mut names = Vec::new();
            pattern_names(p, src, &mut names);
            for (n, _) in names {
                out.push((
                    text(n, src),
                    Binding {
                        file,
                        name: n,
                        kind: kind(p),
                    },
                ));
            }
        };
        if is_function(kind) {
            for (index, p) in syntax::params(scope).into_iter().enumerate() {
                add_pattern(
                    p,
                    &|p| BindKind::Param {
                        func: scope,
                        index,
                        pattern: p,
                    },
                    &mut out,
                );
            }
            if kind == "function_expression"
                && let Some(n) = scope.field("name")
            {
                out.push((
                    text(n, src),
                    Binding {
                        file,
                        name: n,
                        kind: BindKind::Decl(scope),
                    },
                ));
            }
            return out;
        }
        match kind {
            "for_in_statement" => {
                if let Some(pat) = scope.field("left") {
                    add_pattern(
                        pat,
                        &|p| BindKind::Loop {
                            stmt: scope,
                            pattern: p,
                        },
                        &mut out,
                    );
                }
            }
            "catch_clause" => {
                if let Some(p) = scope.field("parameter") {
                    add_pattern(p, &|_| BindKind::Opaque, &mut out);
                }
            }
            "for_statement" => {
                if let Some(init) = scope.field("initializer") {
                    let mut m = HashMap::new();
                    declare(file, init, src, &mut m);
                    out.extend(m);
                }
            }
            "class_body" => {}
            _ => {
                let mut c = scope.walk();
                let mut m = HashMap::new();
                for stmt in scope.named_children(&mut c) {
                    if matches!(
                        stmt.k(),
                        "lexical_declaration"
                            | "variable_declaration"
                            | "function_declaration"
                            | "generator_function_declaration"
                            | "class_declaration"
                    ) {
                        declare(file, stmt, src, &mut m);
                    }
                }
                out.extend(m);
            }
        }
        out
    }

    /// Looks `name` up through `scopes` (innermost last), then the file's top level.
    pub(crate) fn lookup(
        &self,
        file: usize,
        scopes: &[Node<'a>],
        name: &str,
    ) -> Option<(Binding<'a>, usize)> {
        let src = self.files[file].src;
        for (depth, scope) in scopes.iter().enumerate().rev() {
            if let Some(b) = self.lookup_in(file, *scope, name, src) {
                return Some((b, depth));
            }
        }
        self.files[file].top.get(name).map(|b| (*b, 0))
    }

    fn lookup_in(
        &self,
        file: usize,
        scope: Node<'a>,
        name: &str,
        src: &'a str,
    ) -> Option<Binding<'a>> {
        let kind = scope.k();
        if kind == "program" {
            return self.files[file].top.get(name).copied();
        }
        if is_function(kind) {
            for (index, p) in syntax::params(scope).into_iter().enumerate() {
                let mut names = Vec::new();
                pattern_names(p, src, &mut names);
                if let Some((n, _)) = names.into_iter().find(|(n, _)| text(*n, src) == name) {
                    return Some(Binding {
                        file,
                        name: n,
                        kind: BindKind::Param {
                            func: scope,
                            index,
                            pattern: p,
                        },
                    });
                }
            }
            // A named function expression can call itself.
            if kind == "function_expression"
                && let Some(n) = scope.field("name")
                && text(n, src) == name
            {
                return Some(Binding {
                    file,
                    name: n,
                    kind: BindKind::Decl(scope),
                });
            }
            return None;
        }
        match kind {
            "for_in_statement" => {
                let pat = scope.field("left")?;
                let mut names = Vec::new();
                pattern_names(pat, src, &mut names);
                let (n, _) = names.into_iter().find(|(n, _)| text(*n, src) == name)?;
                Some(Binding {
                    file,
                    name: n,
                    kind: BindKind::Loop {
                        stmt: scope,
                        pattern: pat,
                    },
                })
            }
            "catch_clause" => {
                let p = scope.field("parameter")?;
                let mut names = Vec::new();
                pattern_names(p, src, &mut names);
                let (n, _) = names.into_iter().find(|(n, _)| text(*n, src) == name)?;
                Some(Binding {
                    file,
                    name: n,
                    kind: BindKind::Opaque,
                })
            }
            "for_statement" => {
                let init = scope.field("initializer")?;
                find_declared(file, init, src, name)
            }
            "class_body" => None,
            _ => {
                let mut c = scope.walk();
                for stmt in scope.named_children(&mut c) {
                    let k = stmt.k();
                    if !matches!(
                        k,
                        "lexical_declaration"
                            | "variable_declaration"
                            | "function_declaration"
                            | "generator_function_declaration"
                            | "class_declaration"
                    ) {
                        continue;
                    }
                    if let Some(b) = find_declared(file, stmt, src, name) {
                        return Some(b);
                    }
                }
                None
            }
        }
    }
}

/// Names declared per scope container node, for [`Store::lookup_cached`].
pub(crate) type ScopeCache<'a> = HashMap<usize, Vec<(&'a str, Binding<'a>)>>;

/// The property path from a pattern's bound value to `name` (`{a: {b}}` gives `[a, b]`).
pub(crate) fn path_in_pattern(pattern: Node<'_>, name: Node<'_>, src: &str) -> Vec<String> {
    let mut names = Vec::new();
    pattern_names(pattern, src, &mut names);
    names
        .into_iter()
        .find(|(n, _)| n.id() == name.id())
        .map(|(_, p)| p)
        .unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn module_names() {
        assert_eq!(module_name_of("src/membership.ts"), "membership");
        assert_eq!(module_name_of("src/auth/index.js"), "auth");
        assert_eq!(module_name_of("index.js"), "index");
        assert_eq!(module_name_of("a/user.controller.ts"), "user.controller");
    }

    /// `inside_function` agrees with the ancestors computed from the root.
    #[test]
    fn inside_function_matches_ancestors() {
        let src = "const a = () => { const b = f(1, function () { return 2; }); };\nconst c = [3, x => x];\nclass K { m() { return 4; } }\n";
        let p = parsed("a.js", Lang::JavaScript, src);
        let fi = FileInfo::build(FileId(0), &p);
        let mut c = p.tree.walk();
        let mut checked = 0;
        'walk: loop {
            let n = c.node();
            let by_root = ancestors(fi.root, n).iter().any(|s| is_function(s.k()));
            if let Some(by_ranges) = fi.inside_function(n) {
                assert_eq!(by_ranges, by_root, "{} at {}", n.kind(), n.start_byte());
                checked += 1;
            }
            if c.goto_first_child() {
                continue;
            }
            while !c.goto_next_sibling() {
                if !c.goto_parent() {
                    break 'walk;
                }
            }
        }
        assert!(checked > 40, "{checked}");
    }

    /// Every function and call node, in document order, by a plain cursor walk over all
    /// nodes (named and anonymous), outside skipped subtrees: the reference for the
    /// faster named-only walk of `collect_functions`.
    fn reference_walk(p: &Parsed) -> (Vec<(usize, usize)>, Vec<usize>) {
        let kinds = syntax::kind_table(p.tree.root_node());
        let mut fns = Vec::new();
        let mut calls = Vec::new();
        let mut c = p.tree.walk();
        'walk: loop {
            let n = c.node();
            // ERROR nodes have an id past the tables.
            let is = |table: &[bool]| table.get(n.kind_id() as usize).copied().unwrap_or(false);
            if is(&kinds.function) {
                fns.push((n.start_byte(), n.end_byte()));
            }
            if is(&kinds.call) {
                calls.push(n.start_byte());
            }
            if !is(&kinds.skip) && c.goto_first_child() {
                continue;
            }
            while !c.goto_next_sibling() {
                if !c.goto_parent() {
                    break 'walk;
                }
            }
        }
        (fns, calls)
    }

    fn parsed(rel: &str, lang: Lang, src: &str) -> Parsed {
        let mut parser = tree_sitter::Parser::new();
        let grammar: tree_sitter::Language = match lang {
            Lang::JavaScript => tree_sitter_javascript::LANGUAGE.into(),
            Lang::TypeScript => tree_sitter_typescript::LANGUAGE_TYPESCRIPT.into(),
            Lang::Tsx => tree_sitter_typescript::LANGUAGE_TSX.into(),
        };
        parser.set_language(&grammar).unwrap();
        Parsed {
            rel: rel.into(),
            key: rel.into(),
            abs: PathBuf::from(rel),
            src: src.into(),
            tree: parser.parse(src, None).unwrap(),
            lang,
        }
    }

    /// Functions in unusual places (default parameters, computed keys, template
    /// substitutions, class fields, decorators, JSX, nodes wider than the by-index limit,
    /// syntax errors) get the same ids, in the same order, as a walk over every node.
    #[test]
    fn function_table_matches_a_full_walk() {
        let wide: String = (0..40).map(|i| format!("() => f{i}(), ")).collect();
        let deep = format!("{}x => g(){}", "[".repeat(300), "]".repeat(300));
        let cases = [
            (
                "a.js",
                Lang::JavaScript,
                format!(
                    "function f(a = () => b(), {{ c = function () {{}} }} = {{}}) {{ return `${{(() => h())()}}`; }}\n\
                     const o = {{ [k(() => 1)]: async function* () {{ yield () => 2; }}, m() {{}}, get g() {{ return x => x; }} }};\n\
                     const arr = [{wide}];\n{deep};\n\
                     class C {{ f = () => 1; static s = function () {{}}; #p() {{}} constructor(x = () => 0) {{ super(); }} }}\n\
                     router.get('/a', (req, res) => res.send(1));\n\
                     if (x) {{ app.post('/b', auth, function h(req, res) {{}}); }} else label: for (;;) {{ (() => {{}})(); }}\n"
                ),
            ),
            (
                "b.ts",
                Lang::TypeScript,
                "@Dec(() => 1) class K<T = () => void> { m(cb: (x: number) => void = () => {}): () => void { return () => {}; } }\n\
                 const t = <T,>(x: T) => x; export default function () { router.route('/r').get((q, s) => s.end()); }\n\
                 enum E { A = 1 } namespace N { export const f = () => 1; }\n\
                 const broken = (a, => { z(() => 3); };\n"
                    .into(),
            ),
            (
                "c.tsx",
                Lang::Tsx,
                "export const V = () => <div onClick={() => go()}>{items.map(i => <I key={i} f={function () {}} />)}</div>;\n\
                 router.get('/v', (q, s) => s.send(<V />));\n"
                    .into(),
            ),
        ];
        for (rel, lang, src) in cases {
            let p = parsed(rel, lang, &src);
            let fi = FileInfo::build(FileId(0), &p);
            let (fns, calls) = reference_walk(&p);
            let got: Vec<(usize, usize)> = fi
                .fns
                .iter()
                .map(|n| (n.start_byte(), n.end_byte()))
                .collect();
            assert_eq!(got, fns, "{rel}");
            assert_eq!(fi.fn_ranges, fns, "{rel}");
            assert!(fns.len() >= 5, "{rel}: {} functions", fns.len());
            // Each route-like call is a call the full walk sees, in document order.
            let route_like: Vec<usize> = fi.route_like.iter().map(|n| n.start_byte()).collect();
            assert!(route_like.iter().all(|s| calls.contains(s)), "{rel}");
            assert!(route_like.windows(2).all(|w| w[0] < w[1]), "{rel}");
            assert!(!route_like.is_empty(), "{rel}");
        }
    }
}
