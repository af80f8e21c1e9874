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
                    ChainKind::ParamCallback => "param",
                    ChainKind::Route => "route",
                };
                let name = if !e.names.is_empty() {
                    e.names.join("|")
                } else if !e.factory.is_empty() {
                    format!("{}()", e.factory.join("|"))
                } else {
                    "<fn>".to_string()
                };
                let f = e.function.map(|id| format!("#{}", p.function(id).name)).unwrap_or_default();
                format!("{kind}:{name}{f}")
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
