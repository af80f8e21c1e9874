//! Per-file indexes built after parsing: top-level bindings, ES and CommonJS exports,
//! the function table (every function node gets its `FnId` once), module resolution
//! and lexical lookup of names.
//!
//! Layout: this module holds the per-file index ([`FileInfo`]) and its exports;
//! `functions` the function table, `scopes` lexical lookup, `modules` the [`Store`] of
//! all files and module resolution. It imports only `syntax`, `lang` and `tsconfig`.

mod functions;
mod modules;
mod scopes;

pub(crate) use modules::unresolved_imports;
pub(crate) use scopes::{
    ScopeCache, ancestors, declare, declared_names, import_of, path_in_pattern,
};

use crate::lang::Lang;
use crate::syntax::NodeExt;
use crate::syntax::{self, is_function, text};
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
    /// The top-level statements module interpretation executes (see `syntax::executes`).
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
    /// Library calls that create routes (`context.route_generators`).
    pub generators: Vec<secprop_source::RouteGenerator>,
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
            if crate::syntax::executes(stmt) {
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
                // TypeScript `export = expr`: what `require` and `import x = require` give.
                let mut c = stmt.walk();
                if stmt.children(&mut c).any(|n| n.k() == "=")
                    && let Some(e) = syntax::named_kids(stmt)
                        .into_iter()
                        .find(|n| n.k() != "comment")
                {
                    self.cjs_root = Some(e);
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
