//! Modules of a target: parsed files, their dotted names, imports, top-level functions
//! and aliases, and name resolution across modules (spec-v1 §4: `import x as y`,
//! `from .x import y as z`, package `__init__` re-exports).

use secprop_model::{FileId, FnId, Span};
use std::collections::HashMap;
use tree_sitter::{Node, Tree};

/// One parsed file.
pub struct Module {
    pub file: FileId,
    pub rel: String,
    /// Dotted name from the scan root: `app/api/items.py` is `app.api.items`,
    /// `app/api/__init__.py` is `app.api`.
    pub name: String,
    pub is_package: bool,
    pub src: String,
    pub tree: Tree,
    /// Local name to what it imports.
    pub imports: HashMap<String, Import>,
    /// Top-level functions (and `Class.method`) by name.
    pub defs: HashMap<String, FnId>,
}

#[derive(Debug, Clone)]
pub enum Import {
    /// `import a.b as m`, `from . import items` (when `items` is a module): the module's
    /// absolute dotted name and the path as written (dots stripped).
    Module { abs: String, written: String },
    /// `from a.b import f as g`: the name in that module.
    Name {
        module: String,
        name: String,
        written: String,
    },
}

impl Import {
    /// The call-pattern prefix this import stands for (spec-v1 §4).
    pub fn written(&self) -> &str {
        match self {
            Import::Module { written, .. } | Import::Name { written, .. } => written,
        }
    }
}

pub fn text<'a>(n: Node<'_>, src: &'a str) -> &'a str {
    &src[n.start_byte()..n.end_byte()]
}

/// The span of `n`: 1-based lines, columns in code points.
pub fn span(file: FileId, n: Node<'_>, src: &str) -> Span {
    let col = |byte: usize, row_col: usize| {
        let line_start = byte - row_col;
        src.get(line_start..byte)
            .map(|s| s.chars().count())
            .unwrap_or(row_col) as u32
            + 1
    };
    Span {
        file,
        line: n.start_position().row as u32 + 1,
        column: col(n.start_byte(), n.start_position().column),
        end_line: n.end_position().row as u32 + 1,
        end_column: col(n.end_byte(), n.end_position().column),
        start_byte: n.start_byte() as u32,
        end_byte: n.end_byte() as u32,
    }
}

/// The dotted module name of a relative path (`.py` stripped, `__init__` is its folder).
pub fn module_name(rel_to_root: &str) -> (String, bool) {
    let stem = rel_to_root.strip_suffix(".py").unwrap_or(rel_to_root);
    let mut parts: Vec<&str> = stem.split('/').filter(|p| !p.is_empty()).collect();
    let is_package = parts.last() == Some(&"__init__");
    if is_package {
        parts.pop();
    }
    (parts.join("."), is_package)
}

/// Reads the imports of a module's top level (and of `if`/`try` blocks there).
pub fn imports(m: &Module) -> HashMap<String, Import> {
    let mut out = HashMap::new();
    let root = m.tree.root_node();
    collect_imports(root, m, &mut out);
    out
}

fn collect_imports(n: Node<'_>, m: &Module, out: &mut HashMap<String, Import>) {
    let src = m.src.as_str();
    let mut cur = n.walk();
    for c in n.named_children(&mut cur) {
        match c.kind() {
            "import_statement" => {
                let mut cc = c.walk();
                for name in c.children_by_field_name("name", &mut cc) {
                    let (path, alias) = aliased(name, src);
                    // `import a.b` binds `a`; `import a.b as m` binds `m` to `a.b`.
                    let (local, abs) = match alias {
                        Some(a) => (a, path.clone()),
                        None => {
                            let first = path.split('.').next().unwrap_or("").to_string();
                            (first.clone(), first)
                        }
                    };
                    out.insert(
                        local,
                        Import::Module {
                            written: abs.clone(),
                            abs,
                        },
                    );
                }
            }
            "import_from_statement" => {
                let Some(modnode) = c.child_by_field_name("module_name") else {
                    continue;
                };
                let written_mod = text(modnode, src).trim_start_matches('.').to_string();
                let abs_mod = absolute(m, text(modnode, src));
                let mut cc = c.walk();
                for name in c.children_by_field_name("name", &mut cc) {
                    let (n, alias) = aliased(name, src);
                    let local = alias.unwrap_or_else(|| n.clone());
                    let written = if written_mod.is_empty() {
                        n.clone()
                    } else {
                        format!("{written_mod}.{n}")
                    };
                    out.insert(
                        local,
                        Import::Name {
                            module: abs_mod.clone(),
                            name: n,
                            written,
                        },
                    );
                }
            }
            // Imports inside an app factory (`def create_app(): from .views import x`)
            // count for the module: names rarely clash, and routes must not be lost.
            "if_statement"
            | "try_statement"
            | "block"
            | "else_clause"
            | "except_clause"
            | "with_statement"
            | "function_definition"
            | "decorated_definition" => collect_imports(c, m, out),
            _ => {}
        }
    }
}

/// `a.b as c` to (`a.b`, Some(`c`)); `a.b` to (`a.b`, None).
fn aliased(n: Node<'_>, src: &str) -> (String, Option<String>) {
    if n.kind() == "aliased_import" {
        let name = n.child_by_field_name("name").map(|x| text(x, src));
        let alias = n.child_by_field_name("alias").map(|x| text(x, src));
        (name.unwrap_or("").to_string(), alias.map(str::to_string))
    } else {
        (text(n, src).to_string(), None)
    }
}

/// The absolute dotted name of a module as written in `m` (`.x`, `..x`, `a.b`).
fn absolute(m: &Module, written: &str) -> String {
    let dots = written.chars().take_while(|c| *c == '.').count();
    if dots == 0 {
        return written.to_string();
    }
    let rest = &written[dots..];
    let mut base: Vec<&str> = m.name.split('.').filter(|s| !s.is_empty()).collect();
    // `.` is the module's package: a package for `__init__`, else the parent.
    let up = if m.is_package { dots - 1 } else { dots };
    for _ in 0..up {
        base.pop();
    }
    if !rest.is_empty() {
        base.push(rest);
    }
    base.join(".")
}

/// Looks modules up by absolute dotted name; a name written from another root (`src.app`
/// vs `app`) is found by its trailing segments.
pub struct Modules<'a> {
    pub list: &'a [Module],
    by_name: HashMap<&'a str, usize>,
}

/// What a name stands for.
#[derive(Debug, Clone, PartialEq)]
pub enum Target {
    Module(usize),
    /// A name defined at the top level of a module (function, app, router, alias).
    Name(usize, String),
    Unknown,
}

impl<'a> Modules<'a> {
    pub fn new(list: &'a [Module]) -> Self {
        let by_name = list
            .iter()
            .enumerate()
            .map(|(i, m)| (m.name.as_str(), i))
            .collect();
        Modules { list, by_name }
    }

    pub fn find(&self, abs: &str) -> Option<usize> {
        if let Some(i) = self.by_name.get(abs) {
            return Some(*i);
        }
        let suffix = format!(".{abs}");
        self.list
            .iter()
            .position(|m| !abs.is_empty() && m.name.ends_with(&suffix))
    }

    /// What `name` means at the top level of module `m`, following imports and package
    /// re-exports (a few levels, cycles cut).
    pub fn resolve(&self, m: usize, name: &str, defined: &dyn Fn(usize, &str) -> bool) -> Target {
        self.resolve_depth(m, name, defined, 0)
    }

    fn resolve_depth(
        &self,
        m: usize,
        name: &str,
        defined: &dyn Fn(usize, &str) -> bool,
        depth: u32,
    ) -> Target {
        if depth > 8 {
            return Target::Unknown;
        }
        if defined(m, name) {
            return Target::Name(m, name.to_string());
        }
        match self.list[m].imports.get(name) {
            Some(Import::Module { abs, .. }) => self
                .find(abs)
                .map(Target::Module)
                .unwrap_or(Target::Unknown),
            Some(Import::Name { module, name, .. }) => {
                let Some(target) = self.find(module) else {
                    return Target::Unknown;
                };
                let inner = self.resolve_depth(target, name, defined, depth + 1);
                if inner != Target::Unknown {
                    return inner;
                }
                // `from app.api import items`: a submodule.
                self.find(&format!("{}.{name}", self.list[target].name))
                    .map(Target::Module)
                    .unwrap_or(Target::Unknown)
            }
            None => Target::Unknown,
        }
    }

    /// Resolves a dotted path (`items.router`) in module `m`.
    pub fn resolve_path(
        &self,
        m: usize,
        path: &[&str],
        defined: &dyn Fn(usize, &str) -> bool,
    ) -> Target {
        let Some((first, rest)) = path.split_first() else {
            return Target::Unknown;
        };
        let mut t = self.resolve(m, first, defined);
        for seg in rest {
            t = match t {
                Target::Module(i) => {
                    let inner = self.resolve(i, seg, defined);
                    if inner != Target::Unknown {
                        inner
                    } else {
                        self.find(&format!("{}.{seg}", self.list[i].name))
                            .map(Target::Module)
                            .unwrap_or(Target::Unknown)
                    }
                }
                Target::Name(i, n) => Target::Name(i, format!("{n}.{seg}")),
                Target::Unknown => Target::Unknown,
            };
        }
        t
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn module_names() {
        assert_eq!(
            module_name("app/api/items.py"),
            ("app.api.items".into(), false)
        );
        assert_eq!(module_name("app/api/__init__.py"), ("app.api".into(), true));
        assert_eq!(module_name("main.py"), ("main".into(), false));
    }
}
