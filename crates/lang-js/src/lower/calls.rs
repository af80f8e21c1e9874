//! Calls and their call-pattern names (spec-v1 §4): as written, import-resolved and
//! `Type.method`, with the project function called when it resolves.

use super::Lw;
use crate::eval::{Ev, Val};
use crate::index::{BindKind, Store};
use crate::syntax::{NodeExt, callee_path, string_value, strip, text};
use secprop_model::Call;
use tree_sitter::Node;

impl<'s, 'a> Lw<'s, 'a> {
    pub(super) fn call(&mut self, node: Node<'a>, awaited: bool) -> Call {
        let src = self.src;
        let is_new = node.k() == "new_expression";
        let callee_field = if is_new { "constructor" } else { "function" };
        let mut callee = node.field(callee_field).map(strip);
        // `f.call(...)`, `f.apply(...)` are named as `f`.
        if let Some(c) = callee
            && c.k() == "member_expression"
            && c.field("property")
                .is_some_and(|p| matches!(text(p, src), "call" | "apply"))
            && let Some(o) = c.field("object")
        {
            callee = Some(strip(o));
        }
        let args = self.args_of(node);
        let mut names: Vec<String> = Vec::new();
        let mut receiver = None;
        let mut callee_id = None;
        let mut text_name = String::new();
        if let Some(c) = callee {
            let written = callee_path(c, src);
            if let Some(w) = &written
                && !w.is_empty()
            {
                names.push(w.join("."));
            }
            // Import-resolved name (spec-v1 §4, 2.).
            let head_is_this = head_node(c).is_some_and(|h| h.k() == "this");
            if let (Some(w), false) = (&written, head_is_this)
                && let Some(first) = w.first()
                && let Some(resolved) = self.import_name(first)
            {
                let mut r = resolved;
                r.extend(w[1..].iter().cloned());
                names.push(r.join("."));
            }
            // `const g = f.bind(x); g()` is named as `f` (spec-v1 §4).
            if c.k() == "identifier"
                && let Some(bound) = self.bound_name(text(c, src))
            {
                names.push(bound);
            }
            if c.k() == "member_expression" || c.k() == "subscript_expression" {
                let obj = c.field("object");
                if let Some(o) = obj {
                    receiver = Some(self.expr(o));
                }
                let prop = if c.k() == "member_expression" {
                    c.field("property")
                        .map(|p| text(p, src).trim_start_matches('#').to_string())
                } else {
                    c.field("index").and_then(|i| string_value(i, src))
                };
                if let (Some(o), Some(p)) = (obj, prop) {
                    let scopes = std::mem::take(&mut self.scopes);
                    let base = self.ev.eval(self.file, o, &scopes);
                    self.scopes = scopes;
                    // `Type.method` when the receiver's type is known (spec-v1 §4, 3.).
                    if let Val::Instance { class, .. } = &base
                        && let Some(cn) = self.class_display(class)
                    {
                        names.push(format!("{cn}.{p}"));
                    }
                    if let Val::Func(id) = self.ev.member(&base, &p) {
                        callee_id = Some(id);
                    }
                }
            } else {
                let scopes = std::mem::take(&mut self.scopes);
                let v = self.ev.eval(self.file, c, &scopes);
                self.scopes = scopes;
                match v {
                    Val::Func(id) => callee_id = Some(id),
                    Val::Class { file, node } if is_new => {
                        if let Some(ctor) = constructor(node, self.store.files[file].src) {
                            callee_id = self.store.files[file].fn_id(ctor);
                        }
                    }
                    _ => {}
                }
            }
            text_name = names.first().cloned().unwrap_or_else(|| {
                text(c, src)
                    .split_whitespace()
                    .collect::<Vec<_>>()
                    .join(" ")
            });
        }
        let mut seen = std::collections::HashSet::new();
        names.retain(|n| seen.insert(n.clone()));
        Call {
            names,
            callee: callee_id,
            receiver,
            args,
            awaited,
            is_new,
            text: text_name,
            span: self.sp(node),
        }
    }

    pub(super) fn class_display(&self, class: &Val<'a>) -> Option<String> {
        match class {
            Val::Class { file, node } => {
                let src = self.store.files[*file].src;
                if let Some(n) = node.field("name") {
                    return Some(text(n, src).to_string());
                }
                let p = node.parent()?;
                (p.k() == "variable_declarator")
                    .then(|| p.field("name").map(|n| text(n, src).to_string()))?
            }
            Val::Func(id) => {
                let (file, node) = self.store.fn_node(*id)?;
                node.field("name")
                    .map(|n| text(n, self.store.files[file].src).to_string())
            }
            _ => None,
        }
    }

    /// For a local bound to `f.bind(...)`, the name of `f`.
    pub(super) fn bound_name(&mut self, name: &str) -> Option<String> {
        let (b, _) =
            self.store
                .lookup_cached(&mut self.ev.scope_cache, self.file, &self.scopes, name)?;
        let BindKind::Value {
            pattern,
            value: Some(v),
        } = b.kind
        else {
            return None;
        };
        if pattern.k() != "identifier" {
            return None;
        }
        let v = strip(v);
        let f = strip(v.field("function")?);
        if v.k() != "call_expression" || f.k() != "member_expression" {
            return None;
        }
        let src = self.store.files[b.file].src;
        if text(f.field("property")?, src) != "bind" {
            return None;
        }
        callee_path(f.field("object")?, src)
            .filter(|p| !p.is_empty())
            .map(|p| p.join("."))
    }

    /// The import-resolved path of a name: `cv` imported as `canView` from `./membership`
    /// gives `[membership, canView]`; `const {x} = require('./y')` gives `[y, x]`.
    pub(super) fn import_name(&mut self, name: &str) -> Option<Vec<String>> {
        self.store
            .import_path(&mut self.ev.scope_cache, self.file, &self.scopes, name)
    }
}

fn constructor<'a>(class: Node<'a>, src: &str) -> Option<Node<'a>> {
    let body = class.field("body")?;
    let mut c = body.walk();
    body.named_children(&mut c).find(|k| {
        k.k() == "method_definition"
            && k.field("name")
                .is_some_and(|n| text(n, src) == "constructor")
    })
}

/// The first node of a callee chain (`a` in `a.b.c`).
fn head_node(mut n: Node<'_>) -> Option<Node<'_>> {
    loop {
        n = strip(n);
        match n.k() {
            "member_expression" | "subscript_expression" => n = n.field("object")?,
            "call_expression" => n = n.field("function")?,
            "await_expression" => n = n.named_child(0)?,
            _ => return Some(n),
        }
    }
}

/// The call-pattern names (spec-v1 §4) of a reference such as a middleware argument:
/// as written, then import-resolved.
pub(crate) fn names_for<'a>(
    store: &Store<'a>,
    file: usize,
    node: Node<'a>,
    scopes: &[Node<'a>],
) -> Vec<String> {
    let fi = &store.files[file];
    let Some(w) = callee_path(node, fi.src) else {
        return Vec::new();
    };
    if w.is_empty() {
        return Vec::new();
    }
    let mut names = vec![w.join(".")];
    let head_is_this = head_node(node).is_some_and(|h| h.k() == "this");
    if !head_is_this {
        let mut lw = Lw {
            ev: Ev::pure(store),
            store,
            fi,
            file,
            src: fi.src,
            scopes: scopes.to_vec(),
            req: Vec::new(),
            res: Vec::new(),
            next: Vec::new(),
            tmp: 0,
            pending_status: None,
            req_aliases: Vec::new(),
            depth: 0,
            fn_aliases: std::collections::HashMap::new(),
        };
        if let Some(mut r) = lw.import_name(&w[0]) {
            r.extend(w[1..].iter().cloned());
            let r = r.join(".");
            if !names.contains(&r) {
                names.push(r);
            }
        }
    }
    names
}
