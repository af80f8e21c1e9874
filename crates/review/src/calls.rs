//! The calls of a scanned project that reach a `context.sinks` channel (external, prompt,
//! log, any named channel), and the sensitive fields their arguments carry. A review
//! compares them by what they are, never by line, so moved code is not "new".

use secprop_model::{Call, Expr, Project, walk_exprs};
use secprop_spec::{Pattern, Spec};
use serde::Serialize;

/// One call into a sink channel.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Serialize)]
pub struct SinkCall {
    /// The channel named in `context.sinks` (`logs`, `prompts`, `external`).
    pub channel: String,
    /// The callee as written (`logger.info`).
    pub call: String,
    /// The project function holding the call (`<anonymous>` for inline handlers).
    pub function: String,
    pub file: String,
    pub line: u32,
    /// The `context.sensitive_fields` named in its arguments (`user.ssn`, `{ ssn }`).
    pub sensitive: Vec<String>,
}

impl SinkCall {
    /// What identifies the call across versions of the code: not its line.
    pub fn identity(&self) -> SinkCall {
        SinkCall {
            line: 0,
            ..self.clone()
        }
    }
}

/// Every sink call of `project`, in file and line order.
pub fn sink_calls(spec: &Spec, project: &Project) -> Vec<SinkCall> {
    let channels: Vec<(&str, Vec<Pattern>)> = spec
        .context
        .sinks
        .iter()
        .map(|(ch, pats)| {
            (
                ch.as_str(),
                pats.iter().filter_map(|p| Pattern::parse(p).ok()).collect(),
            )
        })
        .collect();
    let sensitive: Vec<Pattern> = spec
        .context
        .sensitive_fields
        .iter()
        .filter_map(|p| Pattern::parse(p).ok())
        .collect();
    let mut out = Vec::new();
    for f in &project.functions {
        walk_exprs(&f.body, &mut |e| {
            let Expr::Call(call) = e else { return };
            for (channel, pats) in &channels {
                if pats.iter().any(|p| p.matches_any(&call.names)) {
                    out.push(SinkCall {
                        channel: channel.to_string(),
                        call: call.text.clone(),
                        function: f.name.clone(),
                        file: project
                            .files
                            .get(call.span.file.0 as usize)
                            .map(|f| f.path.clone())
                            .unwrap_or_default(),
                        line: call.span.line,
                        sensitive: sensitive_args(call, &sensitive),
                    });
                }
            }
        });
    }
    out.sort();
    out
}

/// The sensitive field names read or written in a call's arguments.
fn sensitive_args(call: &Call, sensitive: &[Pattern]) -> Vec<String> {
    let mut found = Vec::new();
    let mut note = |name: &str| {
        if sensitive.iter().any(|p| p.matches(name)) && !found.iter().any(|f| f == name) {
            found.push(name.to_string());
        }
    };
    for arg in &call.args {
        secprop_model::walk_expr(arg, &mut |e| match e {
            Expr::Field { path, .. } | Expr::RequestPart { path, .. } => {
                path.iter().for_each(|p| note(p))
            }
            Expr::Object { fields, .. } => fields.iter().for_each(|(k, _)| note(k)),
            Expr::Local(name) => note(name),
            _ => {}
        });
    }
    found.sort();
    found
}
