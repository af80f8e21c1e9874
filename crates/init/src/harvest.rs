//! Names in a scanned project that look like guards, side effects, data access, sinks and
//! sensitive fields, for the starter spec's `context`. They are guesses from words in the
//! names, each marked for review in the spec: `init` suggests, the team decides.

use secprop_model::{Cond, Expr, Project, Stmt, StmtKind, walk_expr, walk_exprs};
use std::collections::BTreeSet;

/// What the project's names suggest, each a call pattern (spec-v1 §4).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Names {
    pub authentication: BTreeSet<String>,
    pub authorization: BTreeSet<String>,
    pub side_effects: BTreeSet<String>,
    pub data_access: BTreeSet<String>,
    pub sensitive_fields: BTreeSet<String>,
    pub logs: BTreeSet<String>,
    pub prompts: BTreeSet<String>,
    pub external: BTreeSet<String>,
    /// Path parameters that look like a tenant (`orgId`), with the route prefix up to it
    /// (`/orgs/{orgId}`).
    pub tenants: BTreeSet<(String, String)>,
    /// Routes with no guard in their chain whose path looks public (`GET /health`).
    pub public: BTreeSet<String>,
}

const AUTHN: &[&str] = &[
    "login",
    "authenticat",
    "session",
    "jwt",
    "passport",
    "signedin",
    "loggedin",
    "requireuser",
    "bearer",
    // FastAPI dependencies and axum extractors: `get_current_user`, `AuthUser`.
    "currentuser",
    "authuser",
    "verifytoken",
];
const AUTHZ: &[&str] = &[
    "member",
    "permission",
    "authoriz",
    "canview",
    "canedit",
    "can",
    "owner",
    "owns",
    "role",
    "admin",
    "policy",
    "access",
    "assert",
];
const SENSITIVE: &[&str] = &[
    "password",
    "passwd",
    "secret",
    "token",
    "apikey",
    "ssn",
    "creditcard",
    "cardnumber",
    "cvv",
    "iban",
    "privatekey",
    "pin",
];
const WRITES: &[&str] = &[
    "create", "update", "delete", "remove", "insert", "save", "send", "enqueue", "publish",
    "charge", "record", "build", "set", "write", "upsert", "destroy", "notify", "email", "export",
];
const DATA: &[&str] = &[
    "db",
    "knex",
    "prisma",
    "repo",
    "repository",
    "repositories",
    "model",
    "models",
    "store",
    "dao",
    "sql",
    "pool",
    "mongo",
    "redis",
];
const TENANTS: &[&str] = &[
    "org",
    "orgid",
    "organizationid",
    "tenantid",
    "teamid",
    "workspaceid",
    "projectid",
    "accountid",
    "companyid",
];
const PUBLIC: &[&str] = &[
    "health", "healthz", "ping", "status", "ready", "live", "login", "signup", "register",
    "logout", "webhook", "webhooks", "public", "docs", "metrics", "version",
];

/// `aB_c-d` → `abcd`: spec-v1 §7 matches names regardless of case and separator.
fn squash(s: &str) -> String {
    s.chars()
        .filter(|c| c.is_alphanumeric())
        .flat_map(char::to_lowercase)
        .collect()
}

fn has_word(name: &str, words: &[&str]) -> bool {
    let s = squash(name);
    words.iter().any(|w| {
        if w.len() <= 3 {
            // Short words only as a whole camelCase part: `can` in `canView`, not `scan`.
            split_words(name).iter().any(|p| p == w)
        } else {
            s.contains(w)
        }
    })
}

/// `canViewProject.now` → `can`, `view`, `project`, `now`.
fn split_words(name: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut cur = String::new();
    for c in name.chars() {
        if !c.is_alphanumeric() {
            if !cur.is_empty() {
                out.push(std::mem::take(&mut cur));
            }
        } else if c.is_uppercase() && !cur.is_empty() {
            out.push(std::mem::take(&mut cur));
            cur.extend(c.to_lowercase());
        } else {
            cur.extend(c.to_lowercase());
        }
    }
    if !cur.is_empty() {
        out.push(cur);
    }
    out
}

/// Collects the names of `project`.
pub fn harvest(project: &Project, names: &mut Names) {
    for route in &project.routes {
        let mut guarded = false;
        for el in &route.chain {
            let Some(name) = el.factory.first().or(el.names.first()) else {
                continue;
            };
            if has_word(name, AUTHN) {
                names.authentication.insert(name.clone());
                guarded = true;
            } else if has_word(name, AUTHZ) {
                names.authorization.insert(name.clone());
                guarded = true;
            }
        }
        let path = route.path();
        let segs: Vec<String> = path.split('/').map(str::to_string).collect();
        for (i, seg) in segs.iter().enumerate() {
            let Some(param) = seg.strip_prefix('{').and_then(|s| s.strip_suffix('}')) else {
                continue;
            };
            if TENANTS.contains(&squash(param).as_str()) {
                names
                    .tenants
                    .insert((param.to_string(), segs[..=i].join("/")));
                break;
            }
        }
        let first_literal = segs.iter().find(|s| !s.is_empty() && !s.starts_with('{'));
        if !guarded && first_literal.is_some_and(|s| PUBLIC.contains(&squash(s).as_str())) {
            names.public.insert(route.key());
        }
    }
    for f in &project.functions {
        conditions(&f.body, names);
        walk_exprs(&f.body, &mut |e| match e {
            Expr::Call(call) => classify_call(&call.text, names),
            Expr::Field { path, .. } | Expr::RequestPart { path, .. } => {
                for p in path {
                    sensitive(p, names);
                }
            }
            Expr::Object { fields, .. } => {
                for (k, _) in fields {
                    sensitive(k, names);
                }
            }
            _ => {}
        });
    }
    for t in &project.types {
        for f in &t.fields {
            sensitive(f, names);
        }
    }
}

fn sensitive(field: &str, names: &mut Names) {
    if has_word(field, SENSITIVE) && !field.contains('.') {
        names.sensitive_fields.insert(field.to_string());
    }
}

/// Calls tested by an `if` in a handler (`if (!(await access.isMember(...)))`): inline
/// authorization guards.
fn conditions(stmts: &[Stmt], names: &mut Names) {
    for s in stmts {
        match &s.kind {
            StmtKind::If {
                cond,
                then_branch,
                else_branch,
            } => {
                cond_calls(cond, names);
                conditions(then_branch, names);
                conditions(else_branch, names);
            }
            StmtKind::Try {
                body,
                catch_body,
                finally_body,
                ..
            } => {
                conditions(body, names);
                conditions(catch_body, names);
                conditions(finally_body, names);
            }
            StmtKind::Loop { body } => conditions(body, names),
            _ => {}
        }
    }
}

fn cond_calls(c: &Cond, names: &mut Names) {
    match c {
        Cond::And(a, b) | Cond::Or(a, b) => {
            cond_calls(a, names);
            cond_calls(b, names);
        }
        Cond::Not(a) => cond_calls(a, names),
        Cond::Expr(e) | Cond::Compare { value: e, .. } => walk_expr(e, &mut |e| {
            if let Expr::Call(call) = e
                && has_word(&call.text, AUTHZ)
            {
                names.authorization.insert(call.text.clone());
            }
        }),
    }
}

/// Sorts one call into sinks, data access or side effects by its receiver and method.
fn classify_call(text: &str, names: &mut Names) {
    let (receiver, method) = match text.rsplit_once('.') {
        Some((r, m)) => (r, m),
        None => ("", text),
    };
    let root = receiver.split('.').next().unwrap_or("");
    let pattern = || format!("{root}.*");
    let r = squash(root);
    if ["console", "logger", "log", "winston", "pino", "bunyan"].contains(&r.as_str()) {
        names.logs.insert(pattern());
    } else if text.ends_with("chat.completions.create")
        || text.ends_with("messages.create") && ["anthropic", "client"].contains(&r.as_str())
        || ["openai", "anthropic", "llm", "genai"].contains(&r.as_str())
    {
        names.prompts.insert(text.to_string());
    } else if root.is_empty() && ["fetch", "got", "request"].contains(&method)
        || ["axios", "got", "superagent", "http", "https", "fetch"].contains(&r.as_str())
    {
        names.external.insert(if root.is_empty() {
            method.to_string()
        } else {
            pattern()
        });
    } else if root.is_empty()
        || [
            "req", "res", "request", "response", "next", "json", "math", "object", "array",
            "promise", "string", "number", "date", "this", "express", "router", "app", "process",
            "buffer",
        ]
        .contains(&r.as_str())
    {
    } else if DATA
        .iter()
        .any(|d| r == *d || r.ends_with("repo") || r.ends_with("repository"))
    {
        names.data_access.insert(pattern());
    } else if has_word(method, WRITES) && !has_word(text, AUTHZ) {
        names.side_effects.insert(pattern());
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn words_and_calls() {
        assert!(has_word("requireLogin", AUTHN));
        assert!(has_word("get_current_user", AUTHN) && has_word("AuthUser", AUTHN));
        assert!(has_word("membership.canView", AUTHZ));
        assert!(!has_word("scanFiles", AUTHZ));
        assert!(has_word("passwordHash", SENSITIVE));
        assert!(has_word("api_token", SENSITIVE));
        assert!(!has_word("spinner", SENSITIVE));
        let mut n = Names::default();
        for call in [
            "logger.info",
            "console.error",
            "axios.get",
            "fetch",
            "db.query",
            "mailer.send",
            "reports.build",
            "res.json",
            "openai.chat.completions.create",
            "usersRepo.find",
        ] {
            classify_call(call, &mut n);
        }
        assert_eq!(n.logs, ["console.*", "logger.*"].map(String::from).into());
        assert_eq!(n.external, ["axios.*", "fetch"].map(String::from).into());
        assert_eq!(
            n.data_access,
            ["db.*", "usersRepo.*"].map(String::from).into()
        );
        assert_eq!(
            n.side_effects,
            ["mailer.*", "reports.*"].map(String::from).into()
        );
        assert_eq!(
            n.prompts,
            ["openai.chat.completions.create"].map(String::from).into()
        );
    }
}
