//! The interpreter: executing module top levels and the bodies of the functions they
//! call, with frames binding parameters to arguments.

use super::{Ev, Frame, MAX_CALL_DEPTH, Val};
use crate::index::ancestors;
use crate::syntax::{self, NodeExt, text};
use secprop_model::FnId;
use std::collections::HashMap;
use tree_sitter::Node;

impl<'s, 'a> Ev<'s, 'a> {
    /// Interpreting every call would execute the whole program: only functions that
    /// register routes or create routers, that receive a router, or that build a
    /// middleware (while evaluating a registration's arguments) are interpreted.
    pub(super) fn worth_interpreting(&self, id: FnId, args: &[Val<'a>]) -> bool {
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

    pub(super) fn alloc(&mut self) -> u32 {
        match self.it.as_mut() {
            Some(it) => {
                it.next_alloc += 1;
                it.next_alloc
            }
            None => 0,
        }
    }

    pub(super) fn assign(&mut self, file: usize, node: Node<'a>, scopes: &[Node<'a>]) {
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
            if let Some(Val::Router(_) | Val::RouteBuilder(_)) = &arg
                && let Some(it) = self.it.as_mut()
            {
                it.bound_routers.insert((file, node.start_byte(), i));
            }
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

    pub(super) fn exec_children(
        &mut self,
        file: usize,
        block: Node<'a>,
        scopes: &mut Vec<Node<'a>>,
    ) {
        let mut c = block.walk();
        let kids: Vec<Node<'a>> = block.named_children(&mut c).collect();
        for k in kids {
            self.exec(file, k, scopes);
        }
    }

    pub(super) fn exec(&mut self, file: usize, stmt: Node<'a>, scopes: &mut Vec<Node<'a>>) {
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

    /// `Object.keys(obj)` of an object literal: its keys; `Object.values(obj)`: its
    /// values.
    pub(super) fn keys_call(
        &mut self,
        file: usize,
        node: Node<'a>,
        scopes: &[Node<'a>],
    ) -> Option<Vec<Val<'a>>> {
        let node = syntax::strip(node);
        if node.k() != "call_expression" {
            return None;
        }
        let values = match node.field("function").map(|f| text(f, self.src(file))) {
            Some("Object.keys") => false,
            Some("Object.values") => true,
            _ => return None,
        };
        let arg = *syntax::call_args(node).first()?;
        let Val::Object { file: of, node: on } = self.eval(file, arg, scopes) else {
            return None;
        };
        let keys = object_keys(of, on, self.src(of))?;
        if !values {
            return Some(keys);
        }
        Some(
            keys.iter()
                .map(|k| match k {
                    Val::Str(k) => self.object_member(of, on, k),
                    _ => Val::Unknown,
                })
                .collect(),
        )
    }

    /// `for (const x of [literal array])` is unrolled; any other loop runs its body once
    /// with an unknown loop variable.
    pub(super) fn exec_for_of(&mut self, file: usize, stmt: Node<'a>, scopes: &mut Vec<Node<'a>>) {
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
            // `for (const k in obj)` over an object literal: its keys.
            (Val::Object { file: of, node: on }, false) => {
                object_keys(*of, *on, self.src(*of)).unwrap_or_else(|| vec![Val::Unknown])
            }
            // `for (const k of Object.keys(obj))`.
            (_, true) => self
                .keys_call(file, right, scopes)
                .unwrap_or_else(|| vec![Val::Unknown]),
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
}

/// The keys of an object literal, when all are static (no spread, no computed key).
fn object_keys<'a>(_file: usize, node: Node<'a>, src: &'a str) -> Option<Vec<Val<'a>>> {
    let mut out = Vec::new();
    for p in syntax::named_kids(node) {
        let key = match p.k() {
            "pair" => {
                let k = p.field("key")?;
                match k.k() {
                    "property_identifier" | "number" => text(k, src).to_string(),
                    "string" => syntax::string_value(k, src)?,
                    _ => return None,
                }
            }
            "shorthand_property_identifier" | "method_definition" => {
                let n = if p.k() == "method_definition" {
                    text(p.field("name")?, src)
                } else {
                    text(p, src)
                };
                n.to_string()
            }
            "comment" => continue,
            _ => return None,
        };
        out.push(Val::Str(key));
    }
    Some(out)
}
