//! The spec's context compiled once per check: call patterns parsed, guards with how they
//! deny, and the categories a call falls into (spec-v1 §4, §6, §7).

use secprop_model::{Call, ChainElement, Project};
use secprop_model::{Expr, Literal};
use secprop_spec::{DeniesBy, GuardEntry, GuardLiteral, Pattern, Property, Spec};
use std::collections::BTreeSet;

/// Whether a guard proves who the caller is or their access to an object (spec-v1 §2
/// `context.authentication` / `context.authorization`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, serde::Serialize)]
#[serde(rename_all = "lowercase")]
pub enum GuardKind {
    Authentication,
    Authorization,
}

impl GuardKind {
    /// `authentication` or `authorization`, as in JSON output.
    pub fn as_str(self) -> &'static str {
        match self {
            GuardKind::Authentication => "authentication",
            GuardKind::Authorization => "authorization",
        }
    }
}

/// One guard of a guard set: its pattern, kind, and how it denies.
#[derive(Debug, Clone)]
pub(crate) struct GuardDef {
    /// The call pattern; `None` for an inline (value) guard.
    pub pattern: Option<Pattern>,
    /// An inline guard: the value path tested and the literal it must equal.
    pub value: Option<ValueDef>,
    pub kind: GuardKind,
    /// As written; `None` means inferred from the declared return type (spec-v1 §6).
    pub denies_by: Option<DeniesBy>,
    /// Route parameters the guard reads by itself.
    pub params: Vec<String>,
    /// Calls tracked like guards that are not guards (`forbidden_calls`, audit events):
    /// made is made, awaited or not.
    pub plain_call: bool,
}

/// An inline guard (spec-v1 §6 extension): `value` as dotted segments, whose first names
/// the request object (whatever the handler calls it), and the literal it must equal
/// (absent: truthiness).
#[derive(Debug, Clone)]
pub(crate) struct ValueDef {
    pub path: Vec<String>,
    pub equals: Option<Literal>,
}

impl ValueDef {
    /// Whether `e` reads this path: a request part (`req.session.userId` is
    /// `RequestPart{session, [userId]}`), a route parameter, or a local's field.
    pub fn reads(&self, e: &Expr) -> bool {
        let segs: Vec<&str> = match e {
            Expr::RequestPart { part, path } => {
                let mut v = vec![part.as_str()];
                v.extend(path.iter().map(String::as_str));
                return self.path.len() == v.len() + 1
                    && self.path[1..].iter().zip(&v).all(|(a, b)| a == b);
            }
            Expr::RouteParam(p) => {
                return self.path.len() == 3 && self.path[1] == "params" && self.path[2] == *p;
            }
            Expr::Local(l) => vec![l.as_str()],
            Expr::Field { base, path } => match base.as_ref() {
                Expr::Local(l) => {
                    let mut v = vec![l.as_str()];
                    v.extend(path.iter().map(String::as_str));
                    v
                }
                _ => return false,
            },
            Expr::Typed { value, .. } => return self.reads(value),
            _ => return false,
        };
        self.path.len() == segs.len() && self.path.iter().zip(&segs).all(|(a, b)| a == b)
    }

    /// Whether a comparison with `lit` is this guard's test (`equals` given and equal).
    pub fn equals(&self, lit: &Literal) -> bool {
        self.equals.as_ref() == Some(lit)
    }
}

/// The categories a call's names fall into (spec-v1 §7 "data access").
#[derive(Debug, Clone, Default, PartialEq, Eq, PartialOrd, Ord)]
pub(crate) struct Cats {
    pub side_effect: bool,
    pub data_access: bool,
    /// Sink keys (`logs`, `prompts`, ...) whose patterns match.
    pub sinks: BTreeSet<String>,
}

/// The sink key whose calls are log calls: they count only with `include_logs`.
pub(crate) const LOGS: &str = "logs";

impl Cats {
    pub fn is_empty(&self) -> bool {
        !self.side_effect && !self.data_access && self.sinks.is_empty()
    }
    /// Data access in the sense of spec-v1 §7: data_access, side_effects or a non-log sink.
    pub fn is_work(&self) -> bool {
        self.side_effect || self.data_access || self.sinks.iter().any(|s| s != LOGS)
    }
    pub fn is_log(&self) -> bool {
        self.sinks.contains(LOGS)
    }
    /// A pure read that may come before the check when its result only feeds the guard
    /// (load, then check).
    pub fn is_load_only(&self) -> bool {
        self.data_access && !self.side_effect && self.sinks.iter().all(|s| s == LOGS)
    }
}

/// The compiled `context` of a spec.
#[derive(Debug, Clone, Default)]
pub(crate) struct Ctx {
    /// The context's guards (authentication first, then authorization).
    pub guards: Vec<GuardDef>,
    pub side_effects: Vec<Pattern>,
    pub data_access: Vec<Pattern>,
    pub sinks: Vec<(String, Vec<Pattern>)>,
    /// Every context pattern: a call matching one is atomic (spec-v1 §4).
    pub atomic: Vec<Pattern>,
    /// The request values (part, path) that the context's inline authentication guards
    /// test (`{value: req.session.userId}`): the caller's identity once they passed.
    pub caller: Vec<(String, Vec<String>)>,
}

/// Parses a pattern, recording a problem instead of failing: the loader has already
/// validated the spec, so an error here is an internal inconsistency worth reporting.
pub(crate) fn parse_pattern(text: &str, errors: &mut Vec<String>) -> Option<Pattern> {
    match Pattern::parse(text) {
        Ok(p) => Some(p),
        Err(e) => {
            errors.push(format!("call pattern `{text}` skipped: {e}"));
            None
        }
    }
}

pub(crate) fn guard_defs(
    entries: &[GuardEntry],
    kind: GuardKind,
    errors: &mut Vec<String>,
) -> Vec<GuardDef> {
    entries
        .iter()
        .filter_map(|e| {
            if let Some(v) = e.value() {
                return Some(GuardDef {
                    pattern: None,
                    value: Some(ValueDef {
                        path: v.value.split('.').map(str::to_string).collect(),
                        equals: v.equals.as_ref().map(|l| match l {
                            GuardLiteral::Bool(b) => Literal::Bool(*b),
                            GuardLiteral::Number(n) => Literal::Number(*n),
                            GuardLiteral::String(s) => Literal::String(s.clone()),
                        }),
                    }),
                    kind,
                    denies_by: Some(DeniesBy::Return),
                    params: vec![],
                    plain_call: false,
                });
            }
            Some(GuardDef {
                pattern: Some(parse_pattern(e.pattern()?, errors)?),
                value: None,
                kind,
                denies_by: e.denies_by(),
                params: e.params().to_vec(),
                plain_call: false,
            })
        })
        .collect()
}

/// `forbidden_calls` or `audit_event_emitted` patterns as call definitions the analysis
/// records wherever they are called ("passed" once called).
pub(crate) fn call_defs(calls: &[String], errors: &mut Vec<String>) -> Vec<GuardDef> {
    calls
        .iter()
        .filter_map(|c| {
            Some(GuardDef {
                pattern: Some(parse_pattern(c, errors)?),
                value: None,
                kind: GuardKind::Authorization,
                denies_by: Some(DeniesBy::Raise),
                params: vec![],
                plain_call: true,
            })
        })
        .collect()
}

impl Ctx {
    pub fn compile(spec: &Spec, errors: &mut Vec<String>) -> Ctx {
        let c = &spec.context;
        let mut guards = guard_defs(&c.authentication, GuardKind::Authentication, errors);
        guards.extend(guard_defs(
            &c.authorization,
            GuardKind::Authorization,
            errors,
        ));
        let list = |v: &[String], errors: &mut Vec<String>| -> Vec<Pattern> {
            v.iter().filter_map(|t| parse_pattern(t, errors)).collect()
        };
        let side_effects = list(&c.side_effects, errors);
        let data_access = list(&c.data_access, errors);
        let sinks: Vec<(String, Vec<Pattern>)> = c
            .sinks
            .iter()
            .map(|(k, v)| (k.clone(), list(v, errors)))
            .collect();
        let mut atomic: Vec<Pattern> = guards.iter().filter_map(|g| g.pattern.clone()).collect();
        atomic.extend(side_effects.iter().cloned());
        atomic.extend(data_access.iter().cloned());
        for (_, ps) in &sinks {
            atomic.extend(ps.iter().cloned());
        }
        let caller = guards
            .iter()
            .filter(|g| g.kind == GuardKind::Authentication)
            .filter_map(|g| g.value.as_ref())
            .filter(|v| v.equals.is_none() && v.path.len() >= 3)
            .map(|v| (v.path[1].clone(), v.path[2..].to_vec()))
            .collect();
        Ctx {
            guards,
            side_effects,
            data_access,
            sinks,
            atomic,
            caller,
        }
    }

    /// Whether a read of request part `part` at `path` is the caller's identity (spec-v1
    /// §7 "Caller-owned objects"): what an inline authentication guard tests, or the
    /// conventions of the common authentication middleware: the user passport and most
    /// JWT middleware set (`req.user`, `req.user.id`, `req.user._id`, `req.user.sub`),
    /// express-jwt's `req.auth.sub`, and the session's user (`req.session.userId`,
    /// `req.session.user.id`). Other fields of the user (`req.user.role`,
    /// `req.user.tenantId`) are not the user's identity.
    pub fn is_caller(&self, part: &str, path: &[String]) -> bool {
        const ID: [&str; 6] = ["id", "_id", "sub", "uid", "userId", "user_id"];
        let p: Vec<&str> = path.iter().map(String::as_str).collect();
        let conventional = match (part, p.as_slice()) {
            ("user", []) => true,
            ("user" | "auth", [id]) => ID.contains(id),
            ("session", [u]) => ["user", "userId", "user_id", "uid"].contains(u),
            ("session", ["user", id]) => ID.contains(id),
            _ => false,
        };
        conventional
            || self
                .caller
                .iter()
                .any(|(cp, cpath)| cp == part && cpath.as_slice() == path)
    }

    pub fn cats(&self, names: &[String]) -> Cats {
        Cats {
            side_effect: self.side_effects.iter().any(|p| p.matches_any(names)),
            data_access: self.data_access.iter().any(|p| p.matches_any(names)),
            sinks: self
                .sinks
                .iter()
                .filter(|(_, ps)| ps.iter().any(|p| p.matches_any(names)))
                .map(|(k, _)| k.clone())
                .collect(),
        }
    }

    pub fn is_atomic(&self, names: &[String]) -> bool {
        self.atomic.iter().any(|p| p.matches_any(names))
    }

    /// The guard set that satisfies `prop` (its `guards` replace the context's, spec-v1 §7).
    /// Property guards all count as authorization: they are what satisfies the property.
    pub fn guard_set(&self, prop: &Property, errors: &mut Vec<String>) -> Option<Vec<GuardDef>> {
        prop.guards
            .as_ref()
            .map(|g| guard_defs(g, GuardKind::Authorization, errors))
    }
}

/// Whether a chain element matches a pattern: by its names or its factory's (spec-v1 §4).
pub(crate) fn element_matches(p: &Pattern, el: &ChainElement) -> bool {
    // A step that may not run for the route never counts as its guard.
    !el.may_apply && (p.matches_any(&el.names) || p.matches_any(&el.factory))
}

/// The first guard of `guards` matching a call.
pub(crate) fn guard_for_call<'g>(guards: &'g [GuardDef], call: &Call) -> Option<&'g GuardDef> {
    guards.iter().find(|g| {
        g.pattern
            .as_ref()
            .is_some_and(|p| p.matches_any(&call.names))
    })
}

/// What a guard's declared type says (spec-v1 §6): boolean-like → `return`, `void`-like →
/// `raise`, unknown → `return`.
pub(crate) fn infer_denies_by(return_type: Option<&str>) -> DeniesBy {
    let Some(t) = return_type else {
        return DeniesBy::Return;
    };
    let t: String = t.chars().filter(|c| !c.is_whitespace()).collect();
    let inner = unwrap_async_type(&t).unwrap_or(&t);
    let inner = inner.trim_start_matches(':');
    match inner {
        "void" | "undefined" | "never" | "None" | "()" | "Result<()>" => DeniesBy::Raise,
        _ if inner.starts_with("Result<()") => DeniesBy::Raise,
        _ => DeniesBy::Return,
    }
}

/// `Promise<T>` / `Coroutine[...]` / `impl Future<Output = T>`: the awaited type, if the
/// type is a known async wrapper.
fn unwrap_async_type(t: &str) -> Option<&str> {
    for prefix in ["Promise<", "PromiseLike<", "Awaitable["] {
        if let Some(rest) = t.strip_prefix(prefix) {
            return Some(&rest[..rest.len().saturating_sub(1)]);
        }
    }
    if let Some(rest) = t.strip_prefix("implFuture<Output=") {
        return Some(&rest[..rest.len().saturating_sub(1)]);
    }
    if let Some(rest) = t.strip_prefix("Coroutine[") {
        // Coroutine[Any, Any, T]
        let inner = &rest[..rest.len().saturating_sub(1)];
        return inner.rsplit(',').next();
    }
    None
}

/// Whether a declared type says the value is a Promise, coroutine or future.
pub(crate) fn is_async_type(t: Option<&str>) -> bool {
    let Some(t) = t else { return false };
    let t: String = t.chars().filter(|c| !c.is_whitespace()).collect();
    unwrap_async_type(&t).is_some()
}

/// Every call name and chain-element name of a project, for `unmatched-pattern`.
pub(crate) fn project_names(project: &Project) -> Vec<Vec<String>> {
    let mut out: Vec<Vec<String>> = Vec::new();
    for f in &project.functions {
        secprop_model::walk_exprs(&f.body, &mut |e| {
            if let secprop_model::Expr::Call(c) = e {
                out.push(c.names.clone());
            }
        });
    }
    for r in &project.routes {
        for el in &r.chain {
            out.push(el.names.clone());
            if !el.factory.is_empty() {
                out.push(el.factory.clone());
            }
        }
    }
    out.sort();
    out.dedup();
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn infers_denies_by() {
        assert_eq!(infer_denies_by(None), DeniesBy::Return);
        assert_eq!(infer_denies_by(Some("boolean")), DeniesBy::Return);
        assert_eq!(infer_denies_by(Some("Promise<boolean>")), DeniesBy::Return);
        assert_eq!(infer_denies_by(Some("Promise<void>")), DeniesBy::Raise);
        assert_eq!(infer_denies_by(Some("void")), DeniesBy::Raise);
        assert_eq!(infer_denies_by(Some("None")), DeniesBy::Raise);
        assert_eq!(infer_denies_by(Some("Result<(), Error>")), DeniesBy::Raise);
        assert_eq!(
            infer_denies_by(Some("Coroutine[Any, Any, None]")),
            DeniesBy::Raise
        );
        assert_eq!(infer_denies_by(Some("Member")), DeniesBy::Return);
    }

    #[test]
    fn async_types() {
        assert!(is_async_type(Some("Promise<boolean>")));
        assert!(is_async_type(Some("impl Future<Output = bool>")));
        assert!(!is_async_type(Some("boolean")));
        assert!(!is_async_type(None));
    }
}
