//! Lexical lookup of names: what each declaration, import and parameter binds, and
//! which binding a name refers to from a given scope.

use super::{BindKind, Binding, ImportWhat, Store};
use crate::syntax::{
    self, NodeExt, is_function, is_scope, pattern_names, string_value, strip, text,
};
use std::collections::HashMap;
use tree_sitter::Node;

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

impl<'a> Store<'a> {
    /// The import-resolved path of a name: `cv` imported as `canView` from `./membership`
    /// gives `[membership, canView]`; `const {x} = require('./y')` gives `[y, x]`.
    pub(crate) fn import_path(
        &self,
        cache: &mut ScopeCache<'a>,
        file: usize,
        scopes: &[Node<'a>],
        name: &str,
    ) -> Option<Vec<String>> {
        let (b, _) = self.lookup_cached(cache, file, scopes, name)?;
        let src = self.files[b.file].src;
        match b.kind {
            BindKind::Import { stmt } => {
                let (source, what) = import_of(stmt, b.name, src);
                let m = self.module_display(b.file, source);
                Some(match what {
                    crate::index::ImportWhat::Named(n) => vec![m, n],
                    _ => vec![m],
                })
            }
            BindKind::Value {
                pattern,
                value: Some(v),
            } => {
                let v = strip(v);
                let v = if v.k() == "await_expression" {
                    strip(v.named_child(0)?)
                } else {
                    v
                };
                if v.k() != "call_expression" {
                    return None;
                }
                let f = strip(v.field("function")?);
                if !(matches!(f.k(), "identifier" | "import")
                    && matches!(text(f, src), "require" | "import"))
                {
                    return None;
                }
                let args = v.field("arguments")?;
                let spec = string_value(args.named_child(0)?, src)?;
                let mut out = vec![self.module_display(b.file, &spec)];
                out.extend(path_in_pattern(pattern, b.name, src));
                Some(out)
            }
            _ => None,
        }
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
    pub(super) fn declared_in(
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

    pub(super) fn lookup_in(
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
