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
                                let (le, re) = (self.expr(l), self.expr(r));
                                return self.compare(op, le, re);
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
            "member_expression" | "subscript_expression" => match misparsed_non_null(node) {
                Some(bin) => self.reassoc_cond(bin, node),
                None => {
                    let e = self.expr(node);
                    Cond::Expr(self.unalias(e))
                }
            },
            _ => {
                let e = self.expr(node);
                Cond::Expr(self.unalias(e))
            }
        }
    }

    /// A value compared with a string, number or null literal is a `Compare`; other
    /// comparisons keep both sides.
    fn compare(&self, op: &str, le: Expr, re: Expr) -> Cond {
        let negated = matches!(op, "!==" | "!=");
        match (le, re) {
            (Expr::Literal(l), Expr::Literal(r)) => {
                Cond::Expr(Expr::Unknown(vec![Expr::Literal(l), Expr::Literal(r)]))
            }
            (value, Expr::Literal(literal)) | (Expr::Literal(literal), value) => Cond::Compare {
                value: self.unalias(value),
                literal,
                negated,
            },
            (le, re) => Cond::Expr(Expr::Unknown(vec![le, re])),
        }
    }

    /// The condition of `a !== b!.id` parsed as `(a !== b)!.id` (see
    /// [`misparsed_non_null`]): the chain `top` applies to the binary's right operand.
    fn reassoc_cond(&mut self, bin: Node<'a>, top: Node<'a>) -> Cond {
        let src = self.src;
        let op = bin.field("operator").map(|o| text(o, src)).unwrap_or("");
        let (Some(l), Some(r)) = (bin.field("left"), bin.field("right")) else {
            return Cond::Expr(Expr::Unknown(vec![]));
        };
        match op {
            "&&" | "||" | "??" => {
                let lc = self.cond(l);
                let rc = if r.k() == "binary_expression" {
                    self.reassoc_cond(r, top)
                } else {
                    let e = self.reassoc_right(r, top);
                    Cond::Expr(self.unalias(e))
                };
                if op == "&&" {
                    Cond::And(Box::new(lc), Box::new(rc))
                } else {
                    Cond::Or(Box::new(lc), Box::new(rc))
                }
            }
            "===" | "==" | "!==" | "!=" => {
                let re = self.reassoc_right(r, top);
                match text(strip(l), src) {
                    b @ ("true" | "false") => {
                        let c = Cond::Expr(self.unalias(re));
                        if (b == "true") != matches!(op, "!==" | "!=") {
                            c
                        } else {
                            Cond::Not(Box::new(c))
                        }
                    }
                    _ => {
                        let le = self.expr(l);
                        self.compare(op, le, re)
                    }
                }
            }
            _ => Cond::Expr(self.reassoc_expr(bin, top)),
        }
    }

    /// The value of `(a OP b)!.chain` as `a OP b!.chain` (see [`misparsed_non_null`]).
    fn reassoc_expr(&mut self, bin: Node<'a>, top: Node<'a>) -> Expr {
        let src = self.src;
        let op = bin.field("operator").map(|o| text(o, src)).unwrap_or("");
        let le = bin
            .field("left")
            .map(|l| self.expr(l))
            .unwrap_or(Expr::Unknown(vec![]));
        let re = match bin.field("right") {
            Some(r) => self.reassoc_right(r, top),
            None => Expr::Unknown(vec![]),
        };
        binary(op, le, re)
    }

    /// The right operand `r` of a misparsed binary with the chain `top` applied to its
    /// rightmost operand (`a && b !== c!.id` is `a && (b !== c!.id)`).
    fn reassoc_right(&mut self, r: Node<'a>, top: Node<'a>) -> Expr {
        if r.k() == "binary_expression" {
            return self.reassoc_expr(r, top);
        }
        let base = self.expr(r);
        self.member_chain(top, Some(base))
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
                binary(op, l, r)
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
        match misparsed_non_null(node) {
            Some(bin) => self.reassoc_expr(bin, node),
            None => self.member_chain(node, None),
        }
    }

    /// Flattens `a.b['c'].d` into a base and a path; `base` replaces the innermost object.
    fn member_chain(&mut self, node: Node<'a>, base: Option<Expr>) -> Expr {
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
        let base = match base {
            Some(b) => b,
            None => self.expr(cur),
        };
        self.field_of(base, &path)
    }
}

/// The value of a binary operator: `+` with a string is a template, anything else keeps
/// its operands.
fn binary(op: &str, l: Expr, r: Expr) -> Expr {
    let stringy = |e: &Expr| matches!(e, Expr::Literal(Literal::String(_)) | Expr::Template(_));
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

/// tree-sitter-typescript 0.23 parses `a !== b!.id` as `(a !== b)!.id`: a member chain
/// on a `non_null_expression` wrapping a binary expression, without parentheses (so the
/// `!` directly follows the right operand). Returns that binary, innermost object of the
/// member/subscript chain `node`, so the chain is re-applied to its right operand.
fn misparsed_non_null(node: Node<'_>) -> Option<Node<'_>> {
    let mut cur = node;
    loop {
        if cur.k() == "non_null_expression"
            && let Some(c) = cur.named_child(0)
            && c.k() == "binary_expression"
        {
            return Some(c);
        }
        let s = strip(cur);
        if !matches!(s.k(), "member_expression" | "subscript_expression") {
            return None;
        }
        cur = s.field("object")?;
    }
}

/// Express 4's unnamed wildcard is `req.params[0]`.
fn normalise_param(p: &str) -> String {
    p.to_string()
}
