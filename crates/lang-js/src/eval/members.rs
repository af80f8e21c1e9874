//! Members of values: object literal and class members, `this` assignments in
//! constructors, and the exports of project modules.

use super::{ClassBody, Ev, Member, Val, package_name};
use crate::index::ancestors;
use crate::syntax::{self, NodeExt, string_value, text};
use secprop_model::FnId;
use std::rc::Rc;
use tree_sitter::Node;

impl<'s, 'a> Ev<'s, 'a> {
    /// A class named by a TypeScript type annotation (`ReportService`, `Promise<X>` is not).
    pub(super) fn class_named(&mut self, file: usize, at: Node<'a>, ty: &str) -> Option<Val<'a>> {
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

    pub(super) fn object_member(&mut self, file: usize, node: Node<'a>, prop: &str) -> Val<'a> {
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

    pub(super) fn class_member(
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
    pub(super) fn class_body(&mut self, file: usize, body: Node<'a>) -> Rc<ClassBody<'a>> {
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
    pub(super) fn this_assignment(
        &mut self,
        file: usize,
        func: Node<'a>,
        prop: &str,
    ) -> Option<Val<'a>> {
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
    pub(super) fn ctor_member(&mut self, id: FnId, prop: &str) -> Val<'a> {
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

    pub(super) fn export_val(&mut self, f: usize, e: crate::index::Export<'a>) -> Val<'a> {
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
