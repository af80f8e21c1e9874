//! Route parameters a step cannot read: an Express router created without
//! `mergeParams: true` sees only its own parameters in `req.params`, so a handler below
//! `app.use('/projects/:projectId', Router())` reading `req.params.projectId` reads
//! `undefined`. Its lowered reads become `null`, so no check counts a guard given that
//! value as bound to the parameter (the route's path still has `{projectId}`).

use secprop_model::{Cond, Expr, FnId, Function, Literal, Stmt, StmtKind};
use std::collections::BTreeSet;

/// Rewrites `RouteParam(p)` to `null` for each hidden `p` in each listed function and the
/// inline callbacks written inside it (they read the same `req`).
pub(crate) fn hide_params(functions: &mut [Function], hidden: &[(FnId, BTreeSet<String>)]) {
    for (id, names) in hidden {
        let mut todo = vec![*id];
        let mut seen = BTreeSet::new();
        while let Some(f) = todo.pop() {
            if !seen.insert(f) {
                continue;
            }
            let Some(func) = functions.get_mut(f.0 as usize) else {
                continue;
            };
            stmts(&mut func.body, names, &mut todo);
        }
    }
}

fn stmts(body: &mut [Stmt], names: &BTreeSet<String>, inner: &mut Vec<FnId>) {
    for s in body {
        match &mut s.kind {
            StmtKind::Expr(e) | StmtKind::Let { value: e, .. } | StmtKind::Throw(e) => {
                expr(e, names, inner)
            }
            StmtKind::Return(e) => {
                if let Some(e) = e {
                    expr(e, names, inner)
                }
            }
            StmtKind::If {
                cond: c,
                then_branch,
                else_branch,
            } => {
                cond(c, names, inner);
                stmts(then_branch, names, inner);
                stmts(else_branch, names, inner);
            }
            StmtKind::Try {
                body,
                catch_body,
                finally_body,
                ..
            } => {
                stmts(body, names, inner);
                stmts(catch_body, names, inner);
                stmts(finally_body, names, inner);
            }
            StmtKind::Loop { body } => stmts(body, names, inner),
            StmtKind::Respond(r) => {
                if let Some(p) = &mut r.payload {
                    expr(p, names, inner)
                }
            }
            StmtKind::Continue { err } => {
                if let Some(e) = err {
                    expr(e, names, inner)
                }
            }
        }
    }
}

fn cond(c: &mut Cond, names: &BTreeSet<String>, inner: &mut Vec<FnId>) {
    match c {
        Cond::And(a, b) | Cond::Or(a, b) => {
            cond(a, names, inner);
            cond(b, names, inner);
        }
        Cond::Not(a) => cond(a, names, inner),
        Cond::Expr(e) | Cond::Compare { value: e, .. } => expr(e, names, inner),
    }
}

fn expr(e: &mut Expr, names: &BTreeSet<String>, inner: &mut Vec<FnId>) {
    match e {
        Expr::RouteParam(p) if names.contains(p.as_str()) => *e = Expr::Literal(Literal::Null),
        Expr::Field { base, .. } | Expr::Omit { base, .. } => expr(base, names, inner),
        Expr::Typed { value, .. } => expr(value, names, inner),
        Expr::Object { fields, spreads } => {
            for (_, v) in fields {
                expr(v, names, inner);
            }
            for s in spreads {
                expr(s, names, inner);
            }
        }
        Expr::Array(items) | Expr::Template(items) | Expr::Unknown(items) => {
            for i in items {
                expr(i, names, inner);
            }
        }
        Expr::Call(c) => {
            if let Some(r) = &mut c.receiver {
                expr(r, names, inner);
            }
            for a in &mut c.args {
                expr(a, names, inner);
            }
        }
        Expr::Await(x) => expr(x, names, inner),
        Expr::Function(id) => inner.push(*id),
        Expr::RouteParam(_) | Expr::RequestPart { .. } | Expr::Local(_) | Expr::Literal(_) => {}
    }
}
