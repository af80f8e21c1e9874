//! Lowering expressions and conditions: request parts and route parameters, fields,
//! literals, templates, and `&&`/`||`/`!` as a condition tree.

use super::Lw;
use crate::syntax::{self, NodeExt, is_function, string_value, strip, text};
use secprop_model::{Cond, Expr, Literal};
use tree_sitter::Node;

impl<'s, 'a> Lw<'s, 'a> {
    pub(super) fn cond(&mut self, node: Node<'a>) -> Cond {
        if self.depth >= Self::MAX_NESTING {
            return Cond::Expr(Expr::Unknown(Vec::new()));
        }
        self.depth += 1;
        let c = self.cond_inner(node);
        self.depth -= 1;
        c
    }

    pub(super) fn cond_inner(&mut self, node: Node<'a>) -> Cond {
        let node = strip(node);
        let src = self.src;
        match node.k() {
            "unary_expression" if node.field("operator").is_some_and(|o| text(o, src) == "!") => {
                match node.field("argument") {
                    Some(a) => Cond::Not(Box::new(self.cond(a))),
                    None => Cond::Expr(Expr::Unknown(vec![])),
                }
            }
            "binary_expression" => {
                let op = node.field("operator").map(|o| text(o, src)).unwrap_or("");
                let (Some(l), Some(r)) = (node.field("left"), node.field("right")) else {
                    return Cond::Expr(self.expr(node));
                };
                match op {
                    "&&" => Cond::And(Box::new(self.cond(l)), Box::new(self.cond(r))),
                    "||" | "??" => Cond::Or(Box::new(self.cond(l)), Box::new(self.cond(r))),
                    // A comparison with `true` or `false` is the value's truth or its
                    // negation, so `if (ok === false) return ...` decides like `if (!ok)`.
                    "===" | "==" | "!==" | "!=" => {
                        let boolean = |n: Node<'a>| match text(strip(n), src) {
                            "true" => Some(true),
                            "false" => Some(false),
                            _ => None,
                        };
                        let (value, literal) = match (boolean(l), boolean(r)) {
                            (None, Some(b)) => (l, b),
                            (Some(b), None) => (r, b),
                            _ => {
                                // A value compared with a string, number or null literal.
                                let negated = matches!(op, "!==" | "!=");
                                let (le, re) = (self.expr(l), self.expr(r));
                                return match (le, re) {
                                    (Expr::Literal(_), Expr::Literal(_)) => {
                                        Cond::Expr(self.expr(node))
                                    }
                                    (value, Expr::Literal(literal))
                                    | (Expr::Literal(literal), value) => Cond::Compare {
                                        value: self.unalias(value),
                                        literal,
                                        negated,
                                    },
                                    (le, re) => Cond::Expr(Expr::Unknown(vec![le, re])),
                                };
                            }
                        };
                        let c = self.cond(value);
                        if literal != matches!(op, "!==" | "!=") {
                            c
                        } else {
                            Cond::Not(Box::new(c))
                        }
                    }
                    _ => Cond::Expr(self.expr(node)),
                }
            }
            _ => {
                let e = self.expr(node);
                Cond::Expr(self.unalias(e))
            }
        }
    }

    /// A local tested by a condition that holds a part of the request
    /// (`const { userId } = req.session`) is that part: inline guards test the path.
    fn unalias(&self, e: Expr) -> Expr {
        match e {
            Expr::Local(l) => match self.req_aliases.iter().rev().find(|(n, _)| *n == l) {
                Some((_, part)) => part.clone(),
                None => Expr::Local(l),
            },
            other => other,
        }
    }

    /// Remembers (or forgets) that local `name` holds a part of the request.
    pub(super) fn note_alias(&mut self, name: &str, value: &Expr) {
        self.req_aliases.retain(|(n, _)| n != name);
        if matches!(value, Expr::RequestPart { .. }) {
            self.req_aliases.push((name.to_string(), value.clone()));
        }
    }

    /// `base.path` with request parts normalised (`req.params.x` is a route parameter).
    pub(super) fn field_of(&self, base: Expr, path: &[String]) -> Expr {
        if path.is_empty() {
            return base;
        }
        let base = match base {
            Expr::Local(l) => match self.req_aliases.iter().rev().find(|(n, _)| *n == l) {
                Some((_, e)) => e.clone(),
                None => Expr::Local(l),
            },
            other => other,
        };
        match base {
            Expr::Local(l) if self.req.contains(&l) => {
                let part = path[0].clone();
                if part == "params" {
                    if path.len() >= 2 {
                        let p = Expr::RouteParam(normalise_param(&path[1]));
                        return if path.len() > 2 {
                            Expr::Field {
                                base: Box::new(p),
                                path: path[2..].to_vec(),
                            }
                        } else {
                            p
                        };
                    }
                    return Expr::RequestPart {
                        part,
                        path: Vec::new(),
                    };
                }
                Expr::RequestPart {
                    part,
                    path: path[1..].to_vec(),
                }
            }
            Expr::RequestPart { part, path: mut p } => {
                if part == "params" && p.is_empty() {
                    let rp = Expr::RouteParam(normalise_param(&path[0]));
                    return if path.len() > 1 {
                        Expr::Field {
                            base: Box::new(rp),
                            path: path[1..].to_vec(),
                        }
                    } else {
                        rp
                    };
                }
                p.extend(path.iter().cloned());
                Expr::RequestPart { part, path: p }
            }
            Expr::Field { base, path: mut p } => {
                p.extend(path.iter().cloned());
                Expr::Field { base, path: p }
            }
            other => Expr::Field {
                base: Box::new(other),
                path: path.to_vec(),
            },
        }
    }

    /// `req.get('X-Tenant')` and `req.header('X-Tenant')` read a request header, like
    /// `req.headers['x-tenant']` (header names are case-insensitive, so lower-cased).
    fn header_read(&self, node: Node<'a>) -> Option<Expr> {
        let src = self.src;
        let callee = node.field("function").map(strip)?;
        if callee.k() != "member_expression" {
            return None;
        }
        let obj = callee.field("object").map(strip)?;
        let method = callee.field("property").map(|p| text(p, src))?;
        if obj.k() != "identifier"
            || !self.req.iter().any(|r| r == text(obj, src))
            || !matches!(method, "get" | "header")
        {
            return None;
        }
        let args = syntax::named_kids(node.field("arguments")?);
        let [arg] = args.as_slice() else { return None };
        let name = string_value(*arg, src)?;
        Some(Expr::RequestPart {
            part: "headers".into(),
            path: vec![name.to_ascii_lowercase()],
        })
    }

    pub(super) fn args_of(&mut self, node: Node<'a>) -> Vec<Expr> {
        let Some(a) = node.field("arguments") else {
            return Vec::new();
        };
        if a.k() == "template_string" {
            return vec![self.expr(a)];
        }
        let kids: Vec<Node<'a>> = syntax::named_kids(a);
        kids.into_iter().map(|k| self.expr(k)).collect()
    }

    pub(super) fn expr(&mut self, node: Node<'a>) -> Expr {
        if self.depth >= Self::MAX_NESTING {
            return Expr::Unknown(Vec::new());
        }
        self.depth += 1;
        let e = self.expr_inner(node);
        self.depth -= 1;
        e
    }

    pub(super) fn expr_inner(&mut self, node: Node<'a>) -> Expr {
        let node = strip(node);
        let src = self.src;
        match node.k() {
            "identifier" => match text(node, src) {
                "undefined" => Expr::Literal(Literal::Null),
                n => Expr::Local(n.to_string()),
            },
            "this" => Expr::Local("this".into()),
            "string" => Expr::Literal(Literal::String(string_value(node, src).unwrap_or_default())),
            "template_string" => match string_value(node, src) {
                Some(s) => Expr::Literal(Literal::String(s)),
                None => {
                    let mut c = node.walk();
                    let subs: Vec<Node<'a>> = node
                        .named_children(&mut c)
                        .filter(|n| n.k() == "template_substitution")
                        .collect();
                    Expr::Template(
                        subs.into_iter()
                            .filter_map(|s| s.named_child(0))
                            .map(|e| self.expr(e))
                            .collect(),
                    )
                }
            },
            "number" => Expr::Literal(Literal::Number(
                text(node, src).replace('_', "").parse().unwrap_or(0.0),
            )),
            "true" => Expr::Literal(Literal::Bool(true)),
            "false" => Expr::Literal(Literal::Bool(false)),
            "null" => Expr::Literal(Literal::Null),
            "member_expression" | "subscript_expression" => self.member_expr(node),
            "call_expression" if self.header_read(node).is_some() => {
                self.header_read(node).unwrap_or(Expr::Unknown(vec![]))
            }
            "call_expression" | "new_expression" => Expr::Call(Box::new(self.call(node, false))),
            "await_expression" => match node.named_child(0).map(strip) {
                Some(inner) if matches!(inner.k(), "call_expression" | "new_expression") => {
                    Expr::Call(Box::new(self.call(inner, true)))
                }
                Some(inner) => Expr::Await(Box::new(self.expr(inner))),
                None => Expr::Unknown(vec![]),
            },
            "object" => {
                let mut fields = Vec::new();
                let mut spreads = Vec::new();
                let mut c = node.walk();
                let kids: Vec<Node<'a>> = node.named_children(&mut c).collect();
                for k in kids {
                    match k.k() {
                        "pair" => {
                            let key = k
                                .field("key")
                                .map(|kk| {
                                    string_value(kk, src)
                                        .unwrap_or_else(|| text(kk, src).to_string())
                                })
                                .unwrap_or_default();
                            let v = k
                                .field("value")
                                .map(|v| self.expr(v))
                                .unwrap_or(Expr::Unknown(vec![]));
                            fields.push((key, v));
                        }
                        "shorthand_property_identifier" => {
                            let n = text(k, src).to_string();
                            fields.push((n.clone(), Expr::Local(n)));
                        }
                        "spread_element" => {
                            if let Some(i) = k.named_child(0) {
                                spreads.push(self.expr(i));
                            }
                        }
                        "method_definition" => {
                            let key = k
                                .field("name")
                                .map(|n| text(n, src).to_string())
                                .unwrap_or_default();
                            let v = self.expr(k);
                            fields.push((key, v));
                        }
                        _ => {}
                    }
                }
                Expr::Object { fields, spreads }
            }
            "array" => {
                let kids: Vec<Node<'a>> = syntax::named_kids(node);
                Expr::Array(kids.into_iter().map(|k| self.expr(k)).collect())
            }
            "spread_element" => Expr::Unknown(
                node.named_child(0)
                    .map(|i| vec![self.expr(i)])
                    .unwrap_or_default(),
            ),
            k if is_function(k) => match self.fi.fn_id(node) {
                Some(id) => Expr::Function(id),
                None => Expr::Unknown(vec![]),
            },
            "binary_expression" => {
                let op = node.field("operator").map(|o| text(o, src)).unwrap_or("");
                let l = node
                    .field("left")
                    .map(|l| self.expr(l))
                    .unwrap_or(Expr::Unknown(vec![]));
                let r = node
                    .field("right")
                    .map(|r| self.expr(r))
                    .unwrap_or(Expr::Unknown(vec![]));
                let stringy =
                    |e: &Expr| matches!(e, Expr::Literal(Literal::String(_)) | Expr::Template(_));
                if op == "+" && (stringy(&l) || stringy(&r)) {
                    let mut parts = Vec::new();
                    for e in [l, r] {
                        match e {
                            Expr::Template(p) => parts.extend(p),
                            Expr::Literal(Literal::String(_)) => {}
                            other => parts.push(other),
                        }
                    }
                    return Expr::Template(parts);
                }
                Expr::Unknown(vec![l, r])
            }
            _ => {
                // Anything else keeps its sub-expressions so calls inside are still seen.
                let kids: Vec<Node<'a>> = syntax::named_kids(node);
                let mut parts = Vec::new();
                for k in kids {
                    if k.k().ends_with("_statement") || k.k() == "statement_block" {
                        continue;
                    }
                    if matches!(
                        k.k(),
                        "property_identifier"
                            | "type_annotation"
                            | "type_arguments"
                            | "regex_pattern"
                    ) {
                        continue;
                    }
                    parts.push(self.expr(k));
                }
                Expr::Unknown(parts)
            }
        }
    }

    pub(super) fn member_expr(&mut self, node: Node<'a>) -> Expr {
        // Flatten `a.b['c'].d` into a base and a path.
        let src = self.src;
        let mut path = Vec::new();
        let mut cur = node;
        loop {
            let cur_s = strip(cur);
            match cur_s.k() {
                "member_expression" => {
                    let Some(p) = cur_s.field("property") else {
                        break;
                    };
                    path.push(text(p, src).trim_start_matches('#').to_string());
                    match cur_s.field("object") {
                        Some(o) => cur = o,
                        None => break,
                    }
                }
                "subscript_expression" => {
                    let Some(i) = cur_s.field("index") else { break };
                    let key = string_value(i, src).or_else(|| {
                        let t = text(strip(i), src);
                        t.parse::<u64>().ok().map(|_| t.to_string())
                    });
                    match key {
                        Some(k) => path.push(k),
                        None => {
                            // A computed key: the index expression still runs.
                            let base = self.expr(cur_s.field("object").unwrap_or(cur_s));
                            let idx = self.expr(i);
                            let e = Expr::Unknown(vec![base, idx]);
                            path.reverse();
                            return self.field_of(e, &path);
                        }
                    }
                    match cur_s.field("object") {
                        Some(o) => cur = o,
                        None => break,
                    }
                }
                _ => break,
            }
        }
        path.reverse();
        let base = self.expr(cur);
        self.field_of(base, &path)
    }
}

/// Express 4's unnamed wildcard is `req.params[0]`.
fn normalise_param(p: &str) -> String {
    p.to_string()
}
