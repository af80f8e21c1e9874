//! Lowering Python function bodies to the model's statements (spec-v1 §6): calls and
//! `await`, `if`/`raise`/`return`/`assert` exits, `abort(...)` as a raise, handler
//! returns as responses (`return body, 403`, `jsonify(...)`, `JSONResponse(...)`), route
//! parameters from the signature (FastAPI) or view arguments (Flask), and the Flask
//! request objects (`request.args`, `g.user`, `current_user`) as request parts.

use crate::index::{Modules, Target, span, text};
use secprop_model::{Call, Cond, Expr, FileId, FnId, Literal, Respond, Stmt, StmtKind};
use std::collections::HashSet;
use tree_sitter::Node;

/// What lowering one function needs to know.
pub struct Cx<'a> {
    pub mods: &'a Modules<'a>,
    pub module: usize,
    pub file: FileId,
    pub src: &'a str,
    /// Route parameters the function receives by name.
    pub route_params: HashSet<String>,
    /// The function is a route handler: what it returns is the response.
    pub handler: bool,
}

impl Cx<'_> {
    fn stmt(&self, kind: StmtKind, n: Node<'_>) -> Stmt {
        Stmt {
            kind,
            span: span(self.file, n, self.src),
        }
    }

    pub fn block(&self, n: Node<'_>) -> Vec<Stmt> {
        let mut out = Vec::new();
        let mut cur = n.walk();
        for c in n.named_children(&mut cur) {
            self.statement(c, &mut out);
        }
        out
    }

    fn field_block(&self, n: Node<'_>, field: &str) -> Vec<Stmt> {
        n.child_by_field_name(field)
            .map(|b| self.block(b))
            .unwrap_or_default()
    }

    fn statement(&self, n: Node<'_>, out: &mut Vec<Stmt>) {
        match n.kind() {
            "expression_statement" => {
                let mut cur = n.walk();
                for c in n.named_children(&mut cur) {
                    self.expression_statement(c, out);
                }
            }
            "return_statement" => {
                let value = n.named_child(0).map(|v| self.expr(v));
                if self.handler
                    && let Some(v) = n.named_child(0)
                    && !matches!(value, Some(Expr::Literal(Literal::Null)))
                {
                    let (payload, status) = self.response(v);
                    out.push(self.stmt(
                        StmtKind::Respond(Respond {
                            method: "return".into(),
                            status,
                            payload: Some(payload),
                            sends: true,
                        }),
                        n,
                    ));
                    out.push(self.stmt(StmtKind::Return(None), n));
                } else {
                    out.push(self.stmt(StmtKind::Return(value), n));
                }
            }
            "raise_statement" => {
                let e = n
                    .named_child(0)
                    .map(|v| self.expr(v))
                    .unwrap_or(Expr::Unknown(vec![]));
                out.push(self.stmt(StmtKind::Throw(e), n));
            }
            "if_statement" => out.push(self.if_statement(n)),
            "for_statement" | "while_statement" => {
                if let Some(r) = n
                    .child_by_field_name("right")
                    .or_else(|| n.child_by_field_name("condition"))
                {
                    out.push(self.stmt(StmtKind::Expr(self.expr(r)), r));
                }
                let mut body = self.field_block(n, "body");
                if let Some(alt) = n.child_by_field_name("alternative") {
                    body.extend(self.field_block(alt, "body"));
                }
                out.push(self.stmt(StmtKind::Loop { body }, n));
            }
            "with_statement" => {
                let mut cur = n.walk();
                for c in n.named_children(&mut cur) {
                    if c.kind() == "with_clause" {
                        let mut ic = c.walk();
                        for item in c.named_children(&mut ic) {
                            if let Some(v) = item.child_by_field_name("value") {
                                self.with_item(v, out);
                            }
                        }
                    }
                }
                out.extend(self.field_block(n, "body"));
            }
            "try_statement" => out.push(self.try_statement(n)),
            "assert_statement" => {
                if let Some(c) = n.named_child(0) {
                    let cond = Cond::Not(Box::new(self.cond(c)));
                    let throw = self.stmt(StmtKind::Throw(Expr::Unknown(vec![])), n);
                    out.push(self.stmt(
                        StmtKind::If {
                            cond,
                            then_branch: vec![throw],
                            else_branch: vec![],
                        },
                        n,
                    ));
                }
            }
            "block" => out.extend(self.block(n)),
            "decorated_definition" | "function_definition" | "class_definition" => {}
            "pass_statement"
            | "break_statement"
            | "continue_statement"
            | "comment"
            | "import_statement"
            | "import_from_statement"
            | "global_statement"
            | "nonlocal_statement" => {}
            _ => {
                let mut subs = Vec::new();
                self.children_exprs(n, &mut subs);
                if !subs.is_empty() {
                    out.push(self.stmt(StmtKind::Expr(Expr::Unknown(subs)), n));
                }
            }
        }
    }

    fn with_item(&self, v: Node<'_>, out: &mut Vec<Stmt>) {
        if v.kind() == "as_pattern" {
            let value = v.named_child(0).map(|x| self.expr(x));
            let alias = v
                .child_by_field_name("alias")
                .map(|a| text(a, self.src).to_string());
            match (value, alias) {
                (Some(value), Some(name)) => out.push(self.stmt(StmtKind::Let { name, value }, v)),
                (Some(value), None) => out.push(self.stmt(StmtKind::Expr(value), v)),
                _ => {}
            }
        } else {
            out.push(self.stmt(StmtKind::Expr(self.expr(v)), v));
        }
    }

    fn expression_statement(&self, n: Node<'_>, out: &mut Vec<Stmt>) {
        match n.kind() {
            "assignment" => {
                let value = match n.child_by_field_name("right") {
                    Some(r) => self.expr(r),
                    None => Expr::Unknown(vec![]),
                };
                let value = match n.child_by_field_name("type") {
                    Some(t) => Expr::Typed {
                        value: Box::new(value),
                        ty: text(t, self.src).to_string(),
                    },
                    None => value,
                };
                let Some(left) = n.child_by_field_name("left") else {
                    return;
                };
                match left.kind() {
                    "identifier" => out.push(self.stmt(
                        StmtKind::Let {
                            name: text(left, self.src).to_string(),
                            value,
                        },
                        n,
                    )),
                    "pattern_list" | "tuple_pattern" => {
                        let mut cur = left.walk();
                        let names: Vec<String> = left
                            .named_children(&mut cur)
                            .filter(|c| c.kind() == "identifier")
                            .map(|c| text(c, self.src).to_string())
                            .collect();
                        out.push(self.stmt(StmtKind::Expr(value.clone()), n));
                        for name in names {
                            out.push(self.stmt(
                                StmtKind::Let {
                                    name,
                                    value: Expr::Unknown(vec![]),
                                },
                                n,
                            ));
                        }
                    }
                    _ => {
                        // `obj.attr = v`, `d[k] = v`: evaluated for their calls.
                        out.push(self.stmt(StmtKind::Expr(Expr::Unknown(vec![value])), n));
                    }
                }
            }
            "call" if self.is_abort(n) => {
                out.push(self.stmt(StmtKind::Throw(self.expr(n)), n));
            }
            _ => out.push(self.stmt(StmtKind::Expr(self.expr(n)), n)),
        }
    }

    /// Flask's `abort(403)` raises.
    fn is_abort(&self, call: Node<'_>) -> bool {
        call.child_by_field_name("function")
            .map(|f| {
                let t = text(f, self.src);
                t == "abort" || t == "flask.abort"
            })
            .unwrap_or(false)
    }

    fn if_statement(&self, n: Node<'_>) -> Stmt {
        let cond = n
            .child_by_field_name("condition")
            .map(|c| self.cond(c))
            .unwrap_or(Cond::Expr(Expr::Unknown(vec![])));
        let then_branch = self.field_block(n, "consequence");
        // `elif` chains nest in the else branch.
        let mut alts = Vec::new();
        let mut cur = n.walk();
        for a in n.children_by_field_name("alternative", &mut cur) {
            alts.push(a);
        }
        let else_branch = self.alternatives(&alts);
        self.stmt(
            StmtKind::If {
                cond,
                then_branch,
                else_branch,
            },
            n,
        )
    }

    fn alternatives(&self, alts: &[Node<'_>]) -> Vec<Stmt> {
        let Some((first, rest)) = alts.split_first() else {
            return vec![];
        };
        if first.kind() == "elif_clause" {
            let cond = first
                .child_by_field_name("condition")
                .map(|c| self.cond(c))
                .unwrap_or(Cond::Expr(Expr::Unknown(vec![])));
            vec![self.stmt(
                StmtKind::If {
                    cond,
                    then_branch: self.field_block(*first, "consequence"),
                    else_branch: self.alternatives(rest),
                },
                *first,
            )]
        } else {
            self.field_block(*first, "body")
        }
    }

    fn try_statement(&self, n: Node<'_>) -> Stmt {
        let body = self.field_block(n, "body");
        let mut catch_param = None;
        let mut handlers: Vec<Vec<Stmt>> = Vec::new();
        let mut finally_body = Vec::new();
        let mut else_body = Vec::new();
        let mut cur = n.walk();
        for c in n.named_children(&mut cur) {
            match c.kind() {
                "except_clause" | "except_group_clause" => {
                    let mut ic = c.walk();
                    let mut stmts = Vec::new();
                    for x in c.named_children(&mut ic) {
                        match x.kind() {
                            "as_pattern" => {
                                if let Some(a) = x.child_by_field_name("alias") {
                                    catch_param = Some(text(a, self.src).to_string());
                                }
                            }
                            "block" => stmts = self.block(x),
                            _ => {}
                        }
                    }
                    handlers.push(stmts);
                }
                "finally_clause" => {
                    let mut ic = c.walk();
                    for x in c.named_children(&mut ic) {
                        if x.kind() == "block" {
                            finally_body = self.block(x);
                        }
                    }
                }
                "else_clause" => else_body = self.field_block(c, "body"),
                _ => {}
            }
        }
        // Several `except` clauses: one of them runs, which the model says as an `if`
        // on an unknown condition.
        let mut catch_body = Vec::new();
        for h in handlers.into_iter().rev() {
            catch_body = if catch_body.is_empty() {
                h
            } else {
                vec![self.stmt(
                    StmtKind::If {
                        cond: Cond::Expr(Expr::Unknown(vec![])),
                        then_branch: h,
                        else_branch: catch_body,
                    },
                    n,
                )]
            };
        }
        let mut body = body;
        body.extend(else_body);
        self.stmt(
            StmtKind::Try {
                body,
                catch_param,
                catch_body,
                finally_body,
            },
            n,
        )
    }

    /// A handler's return value: the payload and the status when written
    /// (`return body, 403`, `JSONResponse(body, status_code=403)`, `jsonify(x)`).
    fn response(&self, v: Node<'_>) -> (Expr, Option<u16>) {
        match v.kind() {
            "expression_list" | "tuple" => {
                let mut cur = v.walk();
                let items: Vec<Node<'_>> = v.named_children(&mut cur).collect();
                let status = items.get(1).and_then(|s| self.status(*s));
                match items.first() {
                    Some(b) => (self.response(*b).0, status),
                    None => (Expr::Unknown(vec![]), status),
                }
            }
            "parenthesized_expression" => match v.named_child(0) {
                Some(i) => self.response(i),
                None => (Expr::Unknown(vec![]), None),
            },
            "call" => {
                let name = v
                    .child_by_field_name("function")
                    .map(|f| text(f, self.src))
                    .unwrap_or("");
                let last = name.rsplit('.').next().unwrap_or(name);
                let args = v.child_by_field_name("arguments");
                let kw = |k: &str| args.and_then(|a| keyword(a, k, self.src));
                let positional = args.and_then(|a| {
                    let mut cur = a.walk();
                    a.named_children(&mut cur)
                        .find(|c| c.kind() != "keyword_argument" && c.kind() != "comment")
                });
                match last {
                    "jsonify" | "make_response" => {
                        let status = args
                            .and_then(|a| a.named_child(1))
                            .and_then(|s| self.status(s));
                        match positional {
                            Some(p) => (self.expr(p), status),
                            None => (self.kwargs_object(args), status),
                        }
                    }
                    "JSONResponse" | "Response" | "HTMLResponse" | "PlainTextResponse"
                    | "ORJSONResponse" => {
                        let status = kw("status_code").and_then(|s| self.status(s));
                        let body = kw("content").or(positional);
                        (
                            body.map(|b| self.expr(b)).unwrap_or(Expr::Unknown(vec![])),
                            status,
                        )
                    }
                    _ => (self.expr(v), None),
                }
            }
            _ => (self.expr(v), None),
        }
    }

    fn kwargs_object(&self, args: Option<Node<'_>>) -> Expr {
        let mut fields = Vec::new();
        if let Some(a) = args {
            let mut cur = a.walk();
            for k in a.named_children(&mut cur) {
                if k.kind() == "keyword_argument"
                    && let (Some(n), Some(v)) = (
                        k.child_by_field_name("name"),
                        k.child_by_field_name("value"),
                    )
                {
                    fields.push((text(n, self.src).to_string(), self.expr(v)));
                }
            }
        }
        Expr::Object {
            fields,
            spreads: vec![],
        }
    }

    fn status(&self, n: Node<'_>) -> Option<u16> {
        match n.kind() {
            "integer" => text(n, self.src).parse().ok(),
            // `status.HTTP_403_FORBIDDEN`, `HTTPStatus.FORBIDDEN` is not read.
            "attribute" => {
                let t = text(n, self.src);
                let last = t.rsplit('.').next()?;
                last.strip_prefix("HTTP_")?.split('_').next()?.parse().ok()
            }
            _ => None,
        }
    }

    /// A condition as a short-circuit tree.
    pub fn cond(&self, n: Node<'_>) -> Cond {
        match n.kind() {
            "parenthesized_expression" => match n.named_child(0) {
                Some(i) => self.cond(i),
                None => Cond::Expr(Expr::Unknown(vec![])),
            },
            "not_operator" => match n.child_by_field_name("argument") {
                Some(a) => Cond::Not(Box::new(self.cond(a))),
                None => Cond::Expr(Expr::Unknown(vec![])),
            },
            "boolean_operator" => {
                let l = n.child_by_field_name("left").map(|x| self.cond(x));
                let r = n.child_by_field_name("right").map(|x| self.cond(x));
                let op = n
                    .child_by_field_name("operator")
                    .map(|o| text(o, self.src))
                    .unwrap_or("");
                match (l, r) {
                    (Some(l), Some(r)) if op == "and" => Cond::And(Box::new(l), Box::new(r)),
                    (Some(l), Some(r)) => Cond::Or(Box::new(l), Box::new(r)),
                    _ => Cond::Expr(self.expr(n)),
                }
            }
            "comparison_operator" => self.compare(n).unwrap_or_else(|| Cond::Expr(self.expr(n))),
            _ => Cond::Expr(self.expr(n)),
        }
    }

    /// `x == "lit"`, `x != 3`, `x is None`, `x is not None`, `x is True` (its truth).
    fn compare(&self, n: Node<'_>) -> Option<Cond> {
        if n.named_child_count() != 2 {
            return None;
        }
        let a = n.named_child(0)?;
        let b = n.named_child(1)?;
        let mut cur = n.walk();
        let op: String = n
            .children(&mut cur)
            .filter(|c| !c.is_named())
            .map(|c| text(c, self.src))
            .collect::<Vec<_>>()
            .join(" ");
        let negated = match op.as_str() {
            "==" | "is" => false,
            "!=" | "is not" => true,
            _ => return None,
        };
        let (value, lit) = match (literal(b, self.src), literal(a, self.src)) {
            (Some(l), _) => (a, l),
            (None, Some(l)) => (b, l),
            _ => return None,
        };
        let value = self.expr(value);
        Some(match lit {
            Literal::Bool(t) => {
                let truth = Cond::Expr(value);
                if t != negated {
                    truth
                } else {
                    Cond::Not(Box::new(truth))
                }
            }
            literal => Cond::Compare {
                value,
                literal,
                negated,
            },
        })
    }

    pub fn expr(&self, n: Node<'_>) -> Expr {
        if let Some(l) = literal(n, self.src) {
            return Expr::Literal(l);
        }
        match n.kind() {
            "identifier" => self.identifier(text(n, self.src)),
            "attribute" | "subscript" => self.member(n),
            "call" => Expr::Call(Box::new(self.call(n, false))),
            "await" => match n.named_child(0) {
                Some(c) if c.kind() == "call" => Expr::Call(Box::new(self.call(c, true))),
                Some(c) => Expr::Await(Box::new(self.expr(c))),
                None => Expr::Unknown(vec![]),
            },
            "parenthesized_expression" => match n.named_child(0) {
                Some(i) => self.expr(i),
                None => Expr::Unknown(vec![]),
            },
            "string" | "concatenated_string" => {
                let mut parts = Vec::new();
                interpolations(n, &mut |e| parts.push(self.expr(e)));
                Expr::Template(parts)
            }
            // `"%s" % x`: the formatted values.
            "binary_operator"
                if n.child_by_field_name("left")
                    .is_some_and(|l| l.kind() == "string") =>
            {
                let mut parts = Vec::new();
                self.children_exprs(n, &mut parts);
                Expr::Template(parts)
            }
            "dictionary" => {
                let mut fields = Vec::new();
                let mut spreads = Vec::new();
                let mut others = Vec::new();
                let mut cur = n.walk();
                for c in n.named_children(&mut cur) {
                    match c.kind() {
                        "pair" => {
                            let key = c.child_by_field_name("key");
                            let value = c.child_by_field_name("value").map(|v| self.expr(v));
                            match (key.and_then(|k| string_value(k, self.src)), value) {
                                (Some(k), Some(v)) => fields.push((k, v)),
                                (None, Some(v)) => others.push(v),
                                _ => {}
                            }
                        }
                        "dictionary_splat" => {
                            if let Some(v) = c.named_child(0) {
                                spreads.push(self.expr(v));
                            }
                        }
                        _ => {}
                    }
                }
                if others.is_empty() {
                    Expr::Object { fields, spreads }
                } else {
                    others.push(Expr::Object { fields, spreads });
                    Expr::Unknown(others)
                }
            }
            "list" | "tuple" | "set" | "expression_list" => {
                let mut items = Vec::new();
                self.children_exprs(n, &mut items);
                Expr::Array(items)
            }
            "keyword_argument" => n
                .child_by_field_name("value")
                .map(|v| self.expr(v))
                .unwrap_or(Expr::Unknown(vec![])),
            "lambda" => Expr::Unknown(vec![]),
            _ => {
                let mut subs = Vec::new();
                self.children_exprs(n, &mut subs);
                Expr::Unknown(subs)
            }
        }
    }

    fn children_exprs(&self, n: Node<'_>, out: &mut Vec<Expr>) {
        let mut cur = n.walk();
        for c in n.named_children(&mut cur) {
            if c.kind() != "comment" {
                out.push(self.expr(c));
            }
        }
    }

    fn identifier(&self, name: &str) -> Expr {
        if self.route_params.contains(name) {
            return Expr::RouteParam(name.to_string());
        }
        match name {
            // flask-login's proxy for the signed-in user.
            "current_user" => Expr::RequestPart {
                part: "user".into(),
                path: vec![],
            },
            _ => Expr::Local(name.to_string()),
        }
    }

    /// `a.b.c` and `a["b"]`: a field path on a base; the Flask request objects are parts
    /// of the request.
    fn member(&self, n: Node<'_>) -> Expr {
        let mut path = Vec::new();
        let mut cur = n;
        loop {
            match cur.kind() {
                "attribute" => {
                    let (Some(obj), Some(attr)) = (
                        cur.child_by_field_name("object"),
                        cur.child_by_field_name("attribute"),
                    ) else {
                        return Expr::Unknown(vec![]);
                    };
                    path.push(text(attr, self.src).to_string());
                    cur = obj;
                }
                "subscript" => {
                    let Some(value) = cur.child_by_field_name("value") else {
                        return Expr::Unknown(vec![]);
                    };
                    let key = cur
                        .child_by_field_name("subscript")
                        .and_then(|k| string_value(k, self.src));
                    match key {
                        Some(k) => path.push(k),
                        None => {
                            let idx = cur
                                .child_by_field_name("subscript")
                                .map(|k| self.expr(k))
                                .unwrap_or(Expr::Unknown(vec![]));
                            return Expr::Unknown(vec![self.expr(value), idx]);
                        }
                    }
                    cur = value;
                }
                _ => break,
            }
        }
        path.reverse();
        if cur.kind() == "identifier" {
            let base = text(cur, self.src);
            if let Some(e) = request_part(base, &path) {
                return e;
            }
        }
        let base = self.expr(cur);
        Expr::Field {
            base: Box::new(base),
            path,
        }
    }

    pub fn call(&self, n: Node<'_>, awaited: bool) -> Call {
        let f = n.child_by_field_name("function");
        let mut args = Vec::new();
        if let Some(a) = n.child_by_field_name("arguments") {
            self.children_exprs(a, &mut args);
        }
        let (names, text_, receiver, callee) = match f {
            Some(f) => {
                let path = dotted(f, self.src);
                let receiver = match f.kind() {
                    "attribute" => f.child_by_field_name("object").and_then(|o| {
                        let e = self.expr(o);
                        (!matches!(e, Expr::Local(_)) || path.is_none()).then_some(e)
                    }),
                    _ => None,
                };
                match path {
                    Some(p) => {
                        let callee = self.callee(&p);
                        (self.names(&p), p.join("."), receiver, callee)
                    }
                    None => {
                        // `get_repo().find(x)`: the last segment names the method.
                        let attr = f
                            .child_by_field_name("attribute")
                            .map(|a| text(a, self.src).to_string());
                        let recv = f.child_by_field_name("object").map(|o| self.expr(o));
                        let names = attr.clone().into_iter().collect();
                        (names, attr.unwrap_or_default(), recv.or(receiver), None)
                    }
                }
            }
            None => (vec![], String::new(), None, None),
        };
        Call {
            names,
            callee,
            receiver,
            args,
            awaited,
            is_new: false,
            text: text_,
            span: span(self.file, n, self.src),
        }
    }

    /// Call names (spec-v1 §4): as written (`self.` dropped), then with the first segment
    /// replaced by what it imports.
    pub fn names(&self, path: &[String]) -> Vec<String> {
        names(self.mods, self.module, path)
    }

    fn callee(&self, path: &[String]) -> Option<FnId> {
        callee(self.mods, self.module, path)
    }
}

/// Call names of a dotted path written in module `m` (spec-v1 §4).
pub fn names(mods: &Modules<'_>, m: usize, path: &[String]) -> Vec<String> {
    let path: Vec<&str> = path
        .iter()
        .map(String::as_str)
        .skip_while(|s| *s == "self" || *s == "cls")
        .collect();
    if path.is_empty() {
        return vec![];
    }
    let written = path.join(".");
    let mut out = vec![written.clone()];
    if let Some(imp) = mods.list[m].imports.get(path[0]) {
        let mut resolved = vec![imp.written()];
        resolved.extend(&path[1..]);
        let r = resolved.join(".");
        if r != written {
            out.push(r);
        }
    }
    out
}

/// The project function a dotted path written in module `m` calls, if any.
pub fn callee(mods: &Modules<'_>, m: usize, path: &[String]) -> Option<FnId> {
    let p: Vec<&str> = path.iter().map(String::as_str).collect();
    let defined = |i: usize, n: &str| mods.list[i].defs.contains_key(n);
    match mods.resolve_path(m, &p, &defined) {
        Target::Name(i, n) => mods.list[i].defs.get(&n).copied(),
        _ => None,
    }
}

/// `a.b.c` as segments; `None` when the path goes through a call or subscript.
pub fn dotted(n: Node<'_>, src: &str) -> Option<Vec<String>> {
    match n.kind() {
        "identifier" => Some(vec![text(n, src).to_string()]),
        "attribute" => {
            let mut base = dotted(n.child_by_field_name("object")?, src)?;
            base.push(text(n.child_by_field_name("attribute")?, src).to_string());
            Some(base)
        }
        _ => None,
    }
}

/// Flask's request globals (`request.args`, `request.json`, `g.user`, `request.view_args`).
fn request_part(base: &str, path: &[String]) -> Option<Expr> {
    let (first, rest) = path.split_first()?;
    let rest: Vec<String> = rest.to_vec();
    let part = match (base, first.as_str()) {
        ("request", "args") => "query",
        ("request", "json" | "form" | "data" | "files" | "values") => "body",
        ("request", "headers") => "headers",
        ("request", "cookies") => "cookies",
        ("request", "view_args") => {
            return rest.first().map(|p| Expr::RouteParam(p.clone()));
        }
        ("g", _) | ("current_user", _) => {
            let mut p = vec![];
            if base == "g" {
                if first != "user" {
                    return None;
                }
            } else {
                p.push(first.clone());
            }
            p.extend(rest);
            return Some(Expr::RequestPart {
                part: "user".into(),
                path: p,
            });
        }
        _ => return None,
    };
    Some(Expr::RequestPart {
        part: part.into(),
        path: rest,
    })
}

/// The value of a plain string, an integer, a float, `True`, `False` or `None`.
pub fn literal(n: Node<'_>, src: &str) -> Option<Literal> {
    match n.kind() {
        "true" => Some(Literal::Bool(true)),
        "false" => Some(Literal::Bool(false)),
        "none" => Some(Literal::Null),
        "integer" | "float" => text(n, src)
            .replace('_', "")
            .parse()
            .ok()
            .map(Literal::Number),
        "string" => string_value(n, src).map(Literal::String),
        _ => None,
    }
}

/// The text of a string without interpolations (`"a"`, `'b'`, `r"c"`).
pub fn string_value(n: Node<'_>, src: &str) -> Option<String> {
    if n.kind() != "string" {
        return None;
    }
    let mut out = String::new();
    let mut cur = n.walk();
    for c in n.named_children(&mut cur) {
        match c.kind() {
            "string_content" => out.push_str(text(c, src)),
            "string_start" | "string_end" => {}
            _ => return None,
        }
    }
    Some(out)
}

/// The expressions interpolated in an f-string (or a concatenation of strings).
fn interpolations(n: Node<'_>, f: &mut dyn FnMut(Node<'_>)) {
    let mut cur = n.walk();
    for c in n.named_children(&mut cur) {
        match c.kind() {
            "interpolation" => {
                if let Some(e) = c.child_by_field_name("expression") {
                    f(e)
                }
            }
            "string" => interpolations(c, f),
            _ => {}
        }
    }
}

/// The value of keyword argument `name` in an argument list.
pub fn keyword<'t>(args: Node<'t>, name: &str, src: &str) -> Option<Node<'t>> {
    let mut cur = args.walk();
    let found = args.named_children(&mut cur).find(|k| {
        k.kind() == "keyword_argument"
            && k.child_by_field_name("name").map(|n| text(n, src)) == Some(name)
    });
    found.and_then(|k| k.child_by_field_name("value"))
}
