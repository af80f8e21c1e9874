//! Helpers shared by the frontend's tests: a readable route table for snapshots.

#![allow(dead_code)]

use secprop_model::{ChainKind, Project};
use std::fmt::Write;

/// One line per route: method, path, handler, file:line, chain, unresolved.
pub fn route_table(p: &Project) -> String {
    let mut out = String::new();
    for r in &p.routes {
        let file = &p.files[r.span.file.0 as usize].path;
        let chain: Vec<String> = r
            .chain
            .iter()
            .map(|e| {
                let kind = match e.kind {
                    ChainKind::Use => "use",
                    ChainKind::Mount => "mount",
                    ChainKind::ParamBound { .. } => "param",
                    ChainKind::Signature { .. } => "signature",
                    ChainKind::Route => "route",
                };
                let name = if !e.names.is_empty() {
                    e.names.join("|")
                } else if !e.factory.is_empty() {
                    format!("{}()", e.factory.join("|"))
                } else {
                    "<fn>".to_string()
                };
                let f = e
                    .function
                    .map(|id| format!("#{}", p.function(id).name))
                    .unwrap_or_default();
                let may = if e.may_apply { "?" } else { "" };
                format!("{kind}{may}:{name}{f}")
            })
            .collect();
        let handler = match r.handler {
            Some(id) => format!("{} (fn {})", r.handler_name, p.function(id).name),
            None => r.handler_name.clone(),
        };
        let _ = write!(
            out,
            "{:<6} {:<40} {:<44} {}:{}",
            r.method,
            r.path(),
            handler,
            file,
            r.span.line
        );
        if !chain.is_empty() {
            let _ = write!(out, "  [{}]", chain.join(", "));
        }
        if let Some(u) = &r.unresolved {
            let _ = write!(out, "  UNRESOLVED: {u}");
        }
        out.push('\n');
    }
    for w in &p.warnings {
        let _ = writeln!(out, "warning {:?} {}: {}", w.kind, w.file, w.message);
    }
    out
}

use secprop_model::{Cond, Expr, Function, Literal, Stmt, StmtKind};

/// The function named `name` (qualified name as in the model).
pub fn func<'p>(p: &'p Project, name: &str) -> &'p Function {
    p.functions
        .iter()
        .find(|f| f.name == name)
        .unwrap_or_else(|| {
            panic!(
                "no function {name}; have {:?}",
                p.functions.iter().map(|f| &f.name).collect::<Vec<_>>()
            )
        })
}

/// A compact one-line-per-statement rendering of a body, for readable assertions.
pub fn render(body: &[Stmt]) -> String {
    let mut out = String::new();
    render_into(body, 0, &mut out);
    out
}

fn render_into(body: &[Stmt], depth: usize, out: &mut String) {
    for s in body {
        let pad = "  ".repeat(depth);
        match &s.kind {
            StmtKind::Expr(e) => {
                let _ = writeln!(out, "{pad}{}", expr(e));
            }
            StmtKind::Let { name, value } => {
                let _ = writeln!(out, "{pad}let {name} = {}", expr(value));
            }
            StmtKind::If {
                cond: c,
                then_branch,
                else_branch,
            } => {
                let _ = writeln!(out, "{pad}if {}", cond(c));
                render_into(then_branch, depth + 1, out);
                if !else_branch.is_empty() {
                    let _ = writeln!(out, "{pad}else");
                    render_into(else_branch, depth + 1, out);
                }
            }
            StmtKind::Return(e) => {
                let _ = writeln!(
                    out,
                    "{pad}return{}",
                    e.as_ref()
                        .map(|e| format!(" {}", expr(e)))
                        .unwrap_or_default()
                );
            }
            StmtKind::Throw(e) => {
                let _ = writeln!(out, "{pad}throw {}", expr(e));
            }
            StmtKind::Try {
                body,
                catch_param,
                catch_body,
                finally_body,
            } => {
                let _ = writeln!(out, "{pad}try");
                render_into(body, depth + 1, out);
                let _ = writeln!(
                    out,
                    "{pad}catch {}",
                    catch_param.clone().unwrap_or_default()
                );
                render_into(catch_body, depth + 1, out);
                if !finally_body.is_empty() {
                    let _ = writeln!(out, "{pad}finally");
                    render_into(finally_body, depth + 1, out);
                }
            }
            StmtKind::Loop { body } => {
                let _ = writeln!(out, "{pad}loop");
                render_into(body, depth + 1, out);
            }
            StmtKind::Respond(r) => {
                let _ = writeln!(
                    out,
                    "{pad}respond {} {}{}",
                    r.method,
                    r.status
                        .map(|s| s.to_string())
                        .unwrap_or_else(|| "-".into()),
                    r.payload
                        .as_ref()
                        .map(|e| format!(" {}", expr(e)))
                        .unwrap_or_default()
                );
            }
            StmtKind::Continue { err } => {
                let _ = writeln!(
                    out,
                    "{pad}next{}",
                    err.as_ref()
                        .map(|e| format!(" {}", expr(e)))
                        .unwrap_or_default()
                );
            }
        }
    }
}

pub fn cond(c: &Cond) -> String {
    match c {
        Cond::And(a, b) => format!("({} && {})", cond(a), cond(b)),
        Cond::Or(a, b) => format!("({} || {})", cond(a), cond(b)),
        Cond::Not(a) => format!("!{}", cond(a)),
        Cond::Expr(e) => expr(e),
        Cond::Compare {
            value,
            literal,
            negated,
        } => format!(
            "{} {} {literal:?}",
            expr(value),
            if *negated { "!=" } else { "==" }
        ),
    }
}

pub fn expr(e: &Expr) -> String {
    match e {
        Expr::RouteParam(p) => format!("param:{p}"),
        Expr::RequestPart { part, path } => {
            if path.is_empty() {
                format!("req:{part}")
            } else {
                format!("req:{part}.{}", path.join("."))
            }
        }
        Expr::Field { base, path } => format!("{}.{}", expr(base), path.join(".")),
        Expr::Local(l) => l.clone(),
        Expr::Object { fields, spreads } => {
            let mut parts: Vec<String> = fields
                .iter()
                .map(|(k, v)| format!("{k}: {}", expr(v)))
                .collect();
            parts.extend(spreads.iter().map(|s| format!("...{}", expr(s))));
            format!("{{{}}}", parts.join(", "))
        }
        Expr::Array(items) => format!(
            "[{}]",
            items.iter().map(expr).collect::<Vec<_>>().join(", ")
        ),
        Expr::Call(c) => format!(
            "{}{}{}({}){}",
            if c.awaited { "await " } else { "" },
            if c.is_new { "new " } else { "" },
            c.names.join("|"),
            c.args.iter().map(expr).collect::<Vec<_>>().join(", "),
            if c.callee.is_some() { "#" } else { "" }
        ),
        Expr::Await(inner) => format!("await {}", expr(inner)),
        Expr::Literal(Literal::String(s)) => format!("{s:?}"),
        Expr::Literal(Literal::Number(n)) => format!("{n}"),
        Expr::Literal(Literal::Bool(b)) => format!("{b}"),
        Expr::Literal(Literal::Null) => "null".into(),
        Expr::Template(parts) => {
            format!("`{}`", parts.iter().map(expr).collect::<Vec<_>>().join(","))
        }
        Expr::Function(id) => format!("fn#{}", id.0),
        Expr::Typed { value, ty } => format!("{}: {ty}", expr(value)),
        Expr::Omit { base, keys } => format!("{} without {}", expr(base), keys.join(",")),
        Expr::Unknown(parts) => format!(
            "?({})",
            parts.iter().map(expr).collect::<Vec<_>>().join(", ")
        ),
    }
}
