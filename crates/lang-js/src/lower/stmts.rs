//! Lowering statements: declarations, branches, loops, `try`, exits, and expression
//! statements that are responses or `next()` calls (spec-v1 §6 exits).

use super::Lw;
use crate::syntax::{self, NodeExt, strip, text};
use secprop_model::{Cond, Expr, Literal, Stmt, StmtKind};
use tree_sitter::Node;

impl<'s, 'a> Lw<'s, 'a> {
    pub(super) fn stmt(&mut self, node: Node<'a>, out: &mut Vec<Stmt>) {
        if self.depth >= Self::MAX_NESTING {
            return;
        }
        self.depth += 1;
        self.stmt_inner(node, out);
        self.depth -= 1;
    }

    pub(super) fn stmt_inner(&mut self, node: Node<'a>, out: &mut Vec<Stmt>) {
        let sp = self.sp(node);
        match node.k() {
            "expression_statement" => {
                if let Some(e) = node.named_child(0) {
                    self.effect(e, out, false);
                }
            }
            "lexical_declaration" | "variable_declaration" => {
                let mut c = node.walk();
                let decls: Vec<Node<'a>> = node
                    .named_children(&mut c)
                    .filter(|d| d.k() == "variable_declarator")
                    .collect();
                for d in decls {
                    self.declarator(d, out);
                }
            }
            "return_statement" => match node.named_child(0) {
                Some(e) => self.effect(e, out, true),
                None => out.push(Stmt {
                    kind: StmtKind::Return(None),
                    span: sp,
                }),
            },
            "throw_statement" => {
                let e = node
                    .named_child(0)
                    .map(|e| self.expr(e))
                    .unwrap_or(Expr::Unknown(Vec::new()));
                out.push(Stmt {
                    kind: StmtKind::Throw(e),
                    span: sp,
                });
            }
            "if_statement" => {
                let cond = node
                    .field("condition")
                    .map(|c| self.cond(c))
                    .unwrap_or(Cond::Expr(Expr::Unknown(Vec::new())));
                let then_branch = node
                    .field("consequence")
                    .map(|b| self.nested(b))
                    .unwrap_or_default();
                let else_branch = node
                    .field("alternative")
                    .and_then(|e| {
                        if e.k() == "else_clause" {
                            e.named_child(0)
                        } else {
                            Some(e)
                        }
                    })
                    .map(|b| self.nested(b))
                    .unwrap_or_default();
                out.push(Stmt {
                    kind: StmtKind::If {
                        cond,
                        then_branch,
                        else_branch,
                    },
                    span: sp,
                });
            }
            "statement_block" => {
                let inner = self.nested(node);
                out.extend(inner);
            }
            "try_statement" => {
                let body = node
                    .field("body")
                    .map(|b| self.nested(b))
                    .unwrap_or_default();
                let handler = node.field("handler");
                let catch_param = handler
                    .and_then(|h| h.field("parameter"))
                    .map(|p| text(p, self.src).to_string());
                let catch_body = handler
                    .map(|h| {
                        self.scopes.push(h);
                        let b = h.field("body").map(|b| self.nested(b)).unwrap_or_default();
                        self.scopes.pop();
                        b
                    })
                    .unwrap_or_default();
                let finally_body = node
                    .field("finalizer")
                    .and_then(|f| f.field("body").or_else(|| f.named_child(0)))
                    .map(|b| self.nested(b))
                    .unwrap_or_default();
                out.push(Stmt {
                    kind: StmtKind::Try {
                        body,
                        catch_param,
                        catch_body,
                        finally_body,
                    },
                    span: sp,
                });
            }
            "for_in_statement" => {
                // The iterated value is evaluated once, before the loop.
                let right = node
                    .field("right")
                    .map(|r| self.expr(r))
                    .unwrap_or(Expr::Unknown(Vec::new()));
                self.tmp += 1;
                let iter = format!("$iter{}", self.tmp);
                out.push(Stmt {
                    kind: StmtKind::Let {
                        name: iter.clone(),
                        value: right,
                    },
                    span: sp,
                });
                self.scopes.push(node);
                let mut body = Vec::new();
                if let Some(left) = node.field("left") {
                    let mut names = Vec::new();
                    syntax::pattern_names(left, self.src, &mut names);
                    for (n, path) in names {
                        let mut p = vec!["[]".to_string()];
                        p.extend(path);
                        let value = self.field_of(Expr::Local(iter.clone()), &p);
                        body.push(Stmt {
                            kind: StmtKind::Let {
                                name: text(n, self.src).to_string(),
                                value,
                            },
                            span: self.sp(n),
                        });
                    }
                }
                if let Some(b) = node.field("body") {
                    body.extend(self.nested(b));
                }
                self.scopes.pop();
                out.push(Stmt {
                    kind: StmtKind::Loop { body },
                    span: sp,
                });
            }
            "for_statement" => {
                self.scopes.push(node);
                if let Some(init) = node.field("initializer") {
                    if init.k().ends_with("declaration") {
                        self.stmt(init, out);
                    } else {
                        self.effect(init, out, false);
                    }
                }
                let mut body = Vec::new();
                if let Some(c) = node.field("condition") {
                    let c = if c.k() == "expression_statement" {
                        c.named_child(0).unwrap_or(c)
                    } else {
                        c
                    };
                    if c.k() != ";" && c.k() != "empty_statement" {
                        let e = self.expr(c);
                        body.push(Stmt {
                            kind: StmtKind::Expr(e),
                            span: self.sp(c),
                        });
                    }
                }
                if let Some(b) = node.field("body") {
                    body.extend(self.nested(b));
                }
                if let Some(inc) = node.field("increment") {
                    self.effect(inc, &mut body, false);
                }
                self.scopes.pop();
                out.push(Stmt {
                    kind: StmtKind::Loop { body },
                    span: sp,
                });
            }
            "while_statement" | "do_statement" => {
                let mut body = Vec::new();
                let cond = node.field("condition");
                if node.k() == "while_statement"
                    && let Some(c) = cond
                {
                    let e = self.expr(c);
                    body.push(Stmt {
                        kind: StmtKind::Expr(e),
                        span: self.sp(c),
                    });
                }
                if let Some(b) = node.field("body") {
                    body.extend(self.nested(b));
                }
                if node.k() == "do_statement"
                    && let Some(c) = cond
                {
                    let e = self.expr(c);
                    body.push(Stmt {
                        kind: StmtKind::Expr(e),
                        span: self.sp(c),
                    });
                }
                out.push(Stmt {
                    kind: StmtKind::Loop { body },
                    span: sp,
                });
            }
            "switch_statement" => {
                let disc = node
                    .field("value")
                    .map(|v| self.expr(v))
                    .unwrap_or(Expr::Unknown(Vec::new()));
                self.tmp += 1;
                let name = format!("$switch{}", self.tmp);
                out.push(Stmt {
                    kind: StmtKind::Let {
                        name: name.clone(),
                        value: disc,
                    },
                    span: sp,
                });
                let mut cases = Vec::new();
                if let Some(body) = node.field("body") {
                    let mut c = body.walk();
                    cases = body
                        .named_children(&mut c)
                        .filter(|n| n.k().starts_with("switch_"))
                        .collect();
                }
                // Cases become a chain of ifs; fall-through is approximated by separate arms.
                let mut arms: Vec<(Option<Expr>, Vec<Stmt>, secprop_model::Span)> = Vec::new();
                for case in cases {
                    let test = case.field("value").map(|v| self.expr(v));
                    self.scopes.push(case);
                    let mut body = Vec::new();
                    let mut c = case.walk();
                    let kids: Vec<Node<'a>> = case.children_by_field_name("body", &mut c).collect();
                    for k in kids {
                        self.stmt(k, &mut body);
                    }
                    self.scopes.pop();
                    arms.push((test, body, self.sp(case)));
                }
                let mut acc: Vec<Stmt> = Vec::new();
                for (test, body, csp) in arms.into_iter().rev() {
                    match test {
                        None => acc = body,
                        Some(t) => {
                            let cond =
                                Cond::Expr(Expr::Unknown(vec![Expr::Local(name.clone()), t]));
                            acc = vec![Stmt {
                                kind: StmtKind::If {
                                    cond,
                                    then_branch: body,
                                    else_branch: acc,
                                },
                                span: csp,
                            }];
                        }
                    }
                }
                out.extend(acc);
            }
            "labeled_statement" => {
                if let Some(b) = node.field("body") {
                    self.stmt(b, out);
                }
            }
            "export_statement" => {
                if let Some(d) = node.field("declaration") {
                    self.stmt(d, out);
                }
            }
            _ => {}
        }
    }

    pub(super) fn declarator(&mut self, d: Node<'a>, out: &mut Vec<Stmt>) {
        let src = self.src;
        let Some(pat) = d.field("name") else { return };
        let value = d.field("value");
        if pat.k() == "identifier" {
            let value = match value {
                Some(v) => self.value_expr(v, out),
                None => Expr::Literal(Literal::Null),
            };
            self.note_alias(text(pat, src), &value);
            let value = typed(d.field("type"), src, value);
            out.push(Stmt {
                kind: StmtKind::Let {
                    name: text(pat, src).to_string(),
                    value,
                },
                span: self.sp(d),
            });
            return;
        }
        let Some(v) = value else { return };
        let base = self.value_expr(v, out);
        // A value with calls is evaluated once into a temporary, then destructured.
        let base = if has_call(&base) {
            self.tmp += 1;
            let t = format!("$tmp{}", self.tmp);
            out.push(Stmt {
                kind: StmtKind::Let {
                    name: t.clone(),
                    value: base,
                },
                span: self.sp(v),
            });
            Expr::Local(t)
        } else {
            base
        };
        let mut names = Vec::new();
        syntax::pattern_names(pat, src, &mut names);
        for (n, path) in names {
            let value = self.field_of(base.clone(), &path);
            let value = rest_of(n, src, value);
            self.note_alias(text(n, src), &value);
            out.push(Stmt {
                kind: StmtKind::Let {
                    name: text(n, src).to_string(),
                    value,
                },
                span: self.sp(n),
            });
        }
    }

    /// A declaration's value: responses inside it still become events.
    pub(super) fn value_expr(&mut self, v: Node<'a>, out: &mut Vec<Stmt>) -> Expr {
        if let Some(stmts) = self.respond_stmts(v) {
            out.extend(stmts);
            return Expr::Unknown(Vec::new());
        }
        self.expr(v)
    }

    /// An expression in statement position (or returned, when `ret`).
    pub(super) fn effect(&mut self, node: Node<'a>, out: &mut Vec<Stmt>, ret: bool) {
        if self.depth >= Self::MAX_NESTING {
            return;
        }
        self.depth += 1;
        self.effect_inner(node, out, ret);
        self.depth -= 1;
    }

    pub(super) fn effect_inner(&mut self, node: Node<'a>, out: &mut Vec<Stmt>, ret: bool) {
        let sp = self.sp(node);
        let node = strip(node);
        let src = self.src;
        if let Some(stmts) = self.respond_stmts(node) {
            out.extend(stmts);
            if ret {
                out.push(Stmt {
                    kind: StmtKind::Return(None),
                    span: sp,
                });
            }
            return;
        }
        if let Some(err) = self.next_call(node) {
            out.push(Stmt {
                kind: StmtKind::Continue { err },
                span: sp,
            });
            if ret {
                out.push(Stmt {
                    kind: StmtKind::Return(None),
                    span: sp,
                });
            }
            return;
        }
        match node.k() {
            "ternary_expression" => {
                let cond = node
                    .field("condition")
                    .map(|c| self.cond(c))
                    .unwrap_or(Cond::Expr(Expr::Unknown(vec![])));
                let mut then_branch = Vec::new();
                let mut else_branch = Vec::new();
                if let Some(c) = node.field("consequence") {
                    self.effect(c, &mut then_branch, ret);
                }
                if let Some(a) = node.field("alternative") {
                    self.effect(a, &mut else_branch, ret);
                }
                out.push(Stmt {
                    kind: StmtKind::If {
                        cond,
                        then_branch,
                        else_branch,
                    },
                    span: sp,
                });
                return;
            }
            "binary_expression" => {
                let op = node.field("operator").map(|o| text(o, src)).unwrap_or("");
                if matches!(op, "&&" | "||" | "??")
                    && let (Some(l), Some(r)) = (node.field("left"), node.field("right"))
                    && (!ret || self.is_event(r))
                {
                    let c = self.cond(l);
                    let cond = if op == "&&" {
                        c
                    } else {
                        Cond::Not(Box::new(c))
                    };
                    let mut then_branch = Vec::new();
                    self.effect(r, &mut then_branch, ret);
                    let else_branch = if ret {
                        vec![Stmt {
                            kind: StmtKind::Return(Some(Expr::Unknown(vec![]))),
                            span: sp,
                        }]
                    } else {
                        Vec::new()
                    };
                    out.push(Stmt {
                        kind: StmtKind::If {
                            cond,
                            then_branch,
                            else_branch,
                        },
                        span: sp,
                    });
                    return;
                }
            }
            "assignment_expression" if !ret => {
                if let (Some(l), Some(r)) = (node.field("left"), node.field("right")) {
                    let l = strip(l);
                    if l.k() == "identifier" {
                        let value = self.value_expr(r, out);
                        self.note_alias(text(l, src), &value);
                        out.push(Stmt {
                            kind: StmtKind::Let {
                                name: text(l, src).to_string(),
                                value,
                            },
                            span: sp,
                        });
                        return;
                    }
                }
            }
            "sequence_expression" if !ret => {
                let mut c = node.walk();
                let kids: Vec<Node<'a>> = node.named_children(&mut c).collect();
                for k in kids {
                    self.effect(k, out, false);
                }
                return;
            }
            "unary_expression"
                if !ret
                    && node
                        .field("operator")
                        .is_some_and(|o| text(o, src) == "void") =>
            {
                if let Some(a) = node.field("argument") {
                    self.effect(a, out, false);
                }
                return;
            }
            _ => {}
        }
        let e = self.expr(node);
        out.push(Stmt {
            kind: if ret {
                StmtKind::Return(Some(e))
            } else {
                StmtKind::Expr(e)
            },
            span: sp,
        });
    }
}

/// `value` with the declared type of a declaration (`const user: User = ...`), when the
/// type is a named one (`User`, `Promise<User>`): primitive annotations add nothing.
fn typed(ty: Option<Node<'_>>, src: &str, value: Expr) -> Expr {
    let Some(ty) = ty else { return value };
    let t = syntax::type_text(ty, src);
    if !t.starts_with(|c: char| c.is_ascii_uppercase()) {
        return value;
    }
    Expr::Typed {
        value: Box::new(value),
        ty: t,
    }
}

/// The value bound by `name` in a destructuring: for the rest of an object pattern
/// (`const { passwordHash, ...rest } = user`), `value` without the keys taken beside it.
pub(super) fn rest_of(name: Node<'_>, src: &str, value: Expr) -> Expr {
    let Some(rest) = name.parent().filter(|p| p.k() == "rest_pattern") else {
        return value;
    };
    let Some(pat) = rest.parent().filter(|p| p.k() == "object_pattern") else {
        return value;
    };
    let mut keys = Vec::new();
    let mut c = pat.walk();
    for ch in pat.named_children(&mut c) {
        let key = match ch.k() {
            "shorthand_property_identifier_pattern" => Some(text(ch, src).to_string()),
            "pair_pattern" => ch
                .field("key")
                .map(|k| syntax::string_value(k, src).unwrap_or_else(|| text(k, src).to_string())),
            "object_assignment_pattern" => ch.field("left").map(|l| text(l, src).to_string()),
            _ => None,
        };
        keys.extend(key);
    }
    Expr::Omit {
        base: Box::new(value),
        keys,
    }
}

fn has_call(e: &Expr) -> bool {
    let mut found = false;
    secprop_model::walk_expr(e, &mut |x| {
        if matches!(x, Expr::Call(_) | Expr::Await(_)) {
            found = true;
        }
    });
    found
}
