//! Resolving names across a crate: the module tree (`mod x;` files and inline modules),
//! `use` declarations with aliases, groups and globs, and the function table, so that a
//! path as written (`handlers::docs::show`, `crate::auth::require_login`, `super::x`)
//! resolves to a project function, and every call gets its names (spec-v1 §4).

use secprop_model::{FileId, FnId, RecordType, Span};
use std::collections::{BTreeMap, BTreeSet};

/// A module: its crate (the folder holding `src/`) and its path below the crate root
/// (`["handlers", "docs"]`; empty for `main.rs`/`lib.rs`).
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct ModKey {
    pub krate: String,
    pub path: Vec<String>,
}

impl ModKey {
    pub fn parent(&self) -> ModKey {
        let mut p = self.clone();
        p.path.pop();
        p
    }
    pub fn child(&self, name: &str) -> ModKey {
        let mut p = self.clone();
        p.path.push(name.to_string());
        p
    }
}

#[derive(Debug, Default)]
pub struct ModInfo {
    /// `use` aliases: the name in scope to the absolute path it stands for (`crate`-rooted
    /// for project paths, the external crate's name first otherwise).
    pub uses: BTreeMap<String, Vec<String>>,
    /// `use x::*`: absolute prefixes.
    pub globs: Vec<Vec<String>>,
    /// Names defined here: functions, types, submodules.
    pub items: BTreeSet<String>,
}

/// A project function found by the index, lowered later.
pub struct FnDef {
    pub module: ModKey,
    pub file: FileId,
    /// `handlers::docs::show`, `RequireMember::from_request_parts`.
    pub name: String,
    /// The `impl` type for methods (`RequireMember`).
    pub self_ty: Option<String>,
    pub sig: syn::Signature,
    pub block: syn::Block,
    pub span: Span,
}

#[derive(Default)]
pub struct Index {
    pub modules: BTreeMap<ModKey, ModInfo>,
    pub fns: Vec<FnDef>,
    /// Absolute paths (`["crate", "auth", "require_login"]`, methods
    /// `["crate", "auth", "RequireMember", "from_request_parts"]`) to functions.
    pub by_path: BTreeMap<(String, Vec<String>), FnId>,
    /// Extractor types with a `FromRequestParts`/`FromRequest` impl: absolute type path to
    /// the extracting function.
    pub extractors: BTreeMap<(String, Vec<String>), FnId>,
    /// Named-field structs by absolute path, for `Path<Params>` (fields by name).
    pub structs: BTreeMap<(String, Vec<String>), Vec<String>>,
    pub types: Vec<RecordType>,
}

/// Whether attributes mark test-only code (`#[test]`, `#[cfg(test)]`, `#[tokio::test]`).
pub fn is_test(attrs: &[syn::Attribute]) -> bool {
    attrs.iter().any(|a| {
        let p = a.path();
        let last = p.segments.last().map(|s| s.ident.to_string());
        if last.as_deref() == Some("test") {
            return true;
        }
        if p.is_ident("cfg") {
            let toks = quote::ToTokens::to_token_stream(&a.meta).to_string();
            return toks.contains("test") && !toks.contains("not");
        }
        false
    })
}

impl Index {
    /// The absolute form of a path written in module `m`: `crate::`, `self::`, `super::`
    /// and `use` aliases resolved; a path naming nothing in the project is returned as
    /// written (an external crate, a prelude name).
    pub fn absolutize(&self, m: &ModKey, segs: &[String]) -> Vec<String> {
        if segs.is_empty() {
            return Vec::new();
        }
        let mut base = m.clone();
        let mut i = 0;
        match segs[0].as_str() {
            "crate" => {
                let mut out = vec!["crate".to_string()];
                out.extend(segs[1..].iter().cloned());
                return out;
            }
            "self" => i = 1,
            "super" => {
                while segs.get(i).map(String::as_str) == Some("super") {
                    base = base.parent();
                    i += 1;
                }
            }
            _ => {}
        }
        if i > 0 {
            let mut out = vec!["crate".to_string()];
            out.extend(base.path.iter().cloned());
            out.extend(segs[i..].iter().cloned());
            return out;
        }
        let Some(info) = self.modules.get(m) else {
            return segs.to_vec();
        };
        if let Some(target) = info.uses.get(&segs[0]) {
            let mut out = target.clone();
            out.extend(segs[1..].iter().cloned());
            return out;
        }
        if info.items.contains(&segs[0]) {
            let mut out = vec!["crate".to_string()];
            out.extend(m.path.iter().cloned());
            out.extend(segs.iter().cloned());
            return out;
        }
        for g in &info.globs {
            let mut cand = g.clone();
            cand.extend(segs.iter().cloned());
            if self.names_item(&m.krate, &cand) {
                return cand;
            }
        }
        segs.to_vec()
    }

    /// Whether an absolute path names a module item of the project (function, type or
    /// module), following re-exports.
    fn names_item(&self, krate: &str, abs: &[String]) -> bool {
        if abs.first().map(String::as_str) != Some("crate") || abs.len() < 2 {
            return false;
        }
        let m = ModKey {
            krate: krate.to_string(),
            path: abs[1..abs.len() - 1].to_vec(),
        };
        self.modules.get(&m).is_some_and(|i| {
            let last = &abs[abs.len() - 1];
            i.items.contains(last) || i.uses.contains_key(last)
        })
    }

    /// Follows `pub use` re-exports: `crate::handlers::show` where `handlers` says
    /// `pub use docs::show` is `crate::handlers::docs::show`.
    fn canonical(&self, krate: &str, abs: &[String]) -> Vec<String> {
        let mut cur = abs.to_vec();
        for _ in 0..8 {
            if cur.first().map(String::as_str) != Some("crate") {
                return cur;
            }
            // The longest prefix that is a module, then a `use` of the next segment.
            let mut next = None;
            for k in (1..cur.len()).rev() {
                let m = ModKey {
                    krate: krate.to_string(),
                    path: cur[1..k].to_vec(),
                };
                if let Some(info) = self.modules.get(&m) {
                    if !info.items.contains(&cur[k])
                        && let Some(t) = info.uses.get(&cur[k])
                    {
                        let mut n = t.clone();
                        n.extend(cur[k + 1..].iter().cloned());
                        next = Some(n);
                    }
                    break;
                }
            }
            match next {
                Some(n) if n != cur => cur = n,
                _ => return cur,
            }
        }
        cur
    }

    /// The project function a path written in `m` names, if any.
    pub fn resolve_fn(&self, m: &ModKey, segs: &[String], self_ty: Option<&str>) -> Option<FnId> {
        let segs: Vec<String> = match (segs.first().map(String::as_str), self_ty) {
            (Some("Self"), Some(t)) => std::iter::once(t.to_string())
                .chain(segs[1..].iter().cloned())
                .collect(),
            _ => segs.to_vec(),
        };
        let abs = self.canonical(&m.krate, &self.absolutize(m, &segs));
        self.by_path.get(&(m.krate.clone(), abs)).copied()
    }

    /// The extractor function of a type written in `m` (`RequireMember`).
    pub fn resolve_extractor(&self, m: &ModKey, segs: &[String]) -> Option<FnId> {
        let abs = self.canonical(&m.krate, &self.absolutize(m, segs));
        self.extractors.get(&(m.krate.clone(), abs)).copied()
    }

    pub fn resolve_struct(&self, m: &ModKey, segs: &[String]) -> Option<&Vec<String>> {
        let abs = self.canonical(&m.krate, &self.absolutize(m, segs));
        self.structs.get(&(m.krate.clone(), abs))
    }

    /// The call-pattern names of a path written in `m` (spec-v1 §4): as written with
    /// `crate::`/`self::`/`super::`/`Self::` dropped, then import-resolved, joined by `.`.
    pub fn names(&self, m: &ModKey, segs: &[String], self_ty: Option<&str>) -> Vec<String> {
        let written: Vec<&str> = segs
            .iter()
            .map(String::as_str)
            .filter(|s| !matches!(*s, "crate" | "self" | "super" | "Self"))
            .collect();
        let mut out = vec![written.join(".")];
        let abs = self.canonical(&m.krate, &self.absolutize(m, segs));
        let resolved: Vec<&str> = abs
            .iter()
            .map(String::as_str)
            .filter(|s| *s != "crate")
            .collect();
        let resolved = resolved.join(".");
        if !resolved.is_empty() && !out.contains(&resolved) {
            out.push(resolved);
        }
        if let (Some("Self"), Some(t)) = (segs.first().map(String::as_str), self_ty) {
            let n = format!("{t}.{}", written.join("."));
            if !out.contains(&n) {
                out.push(n);
            }
        }
        out.retain(|n| !n.is_empty());
        out
    }

    /// Records the `use` tree of module `m`.
    pub fn add_use(&mut self, m: &ModKey, tree: &syn::UseTree) {
        let mut acc = Vec::new();
        let mut found = Vec::new();
        collect_use(tree, &mut acc, &mut found);
        for (alias, path) in found {
            let abs = self.use_target(m, &path);
            let info = self.modules.entry(m.clone()).or_default();
            match alias {
                Some(a) => {
                    info.uses.insert(a, abs);
                }
                None => info.globs.push(abs),
            }
        }
    }

    /// A `use` path's absolute form: `crate::`/`self::`/`super::`, a child module or an
    /// item of `m` (2018 uniform paths), else an external crate.
    fn use_target(&self, m: &ModKey, path: &[String]) -> Vec<String> {
        match path.first().map(String::as_str) {
            Some("crate" | "self" | "super") => self.absolutize(m, path),
            Some(first) => {
                let local = self.modules.get(m).is_some_and(|i| i.items.contains(first));
                if local {
                    let mut out = vec!["crate".to_string()];
                    out.extend(m.path.iter().cloned());
                    out.extend(path.iter().cloned());
                    out
                } else {
                    path.to_vec()
                }
            }
            None => Vec::new(),
        }
    }
}

/// Flattens a `use` tree into (alias, path) pairs; `None` alias for a glob.
fn collect_use(
    tree: &syn::UseTree,
    acc: &mut Vec<String>,
    out: &mut Vec<(Option<String>, Vec<String>)>,
) {
    match tree {
        syn::UseTree::Path(p) => {
            acc.push(p.ident.to_string());
            collect_use(&p.tree, acc, out);
            acc.pop();
        }
        syn::UseTree::Name(n) => {
            let name = n.ident.to_string();
            if name == "self" {
                // `use a::b::{self}` brings `b`.
                if let Some(last) = acc.last() {
                    out.push((Some(last.clone()), acc.clone()));
                }
            } else {
                let mut p = acc.clone();
                p.push(name.clone());
                out.push((Some(name), p));
            }
        }
        syn::UseTree::Rename(r) => {
            let mut p = acc.clone();
            let name = r.ident.to_string();
            if name != "self" {
                p.push(name);
            }
            out.push((Some(r.rename.to_string()), p));
        }
        syn::UseTree::Glob(_) => out.push((None, acc.clone())),
        syn::UseTree::Group(g) => {
            for t in &g.items {
                collect_use(t, acc, out);
            }
        }
    }
}

/// The segments of a `syn::Path` as strings.
pub fn path_segs(p: &syn::Path) -> Vec<String> {
    p.segments.iter().map(|s| s.ident.to_string()).collect()
}

/// A type written compactly: `Path<(String, Uuid)>`, `Result<(), AppError>`.
pub fn type_text(t: &impl quote::ToTokens) -> String {
    let s = t.to_token_stream().to_string();
    let mut out = String::with_capacity(s.len());
    let chars: Vec<char> = s.chars().collect();
    for (i, &c) in chars.iter().enumerate() {
        if c == ' ' {
            let prev = if i > 0 { chars[i - 1] } else { ' ' };
            let next = chars.get(i + 1).copied().unwrap_or(' ');
            let tight = matches!(prev, '<' | '(' | '&' | ':' | '[')
                || matches!(next, '<' | '>' | ')' | ',' | ':' | ']')
                || (prev == '>' && next == '>');
            if tight {
                continue;
            }
        }
        out.push(c);
    }
    out
}

/// The last path segment of a type, with its generic arguments (`Path<String>` gives
/// `("Path", [String])`), seeing through references.
pub fn type_head(t: &syn::Type) -> Option<(&syn::Path, Vec<&syn::Type>)> {
    match t {
        syn::Type::Path(p) => {
            let args = match &p.path.segments.last()?.arguments {
                syn::PathArguments::AngleBracketed(a) => a
                    .args
                    .iter()
                    .filter_map(|g| match g {
                        syn::GenericArgument::Type(t) => Some(t),
                        _ => None,
                    })
                    .collect(),
                _ => Vec::new(),
            };
            Some((&p.path, args))
        }
        syn::Type::Reference(r) => type_head(&r.elem),
        syn::Type::Paren(p) => type_head(&p.elem),
        syn::Type::Group(g) => type_head(&g.elem),
        _ => None,
    }
}

/// An expression without parentheses, invisible groups and `&`.
pub fn strip(e: &syn::Expr) -> &syn::Expr {
    match e {
        syn::Expr::Paren(p) => strip(&p.expr),
        syn::Expr::Group(g) => strip(&g.expr),
        syn::Expr::Reference(r) => strip(&r.expr),
        other => other,
    }
}
