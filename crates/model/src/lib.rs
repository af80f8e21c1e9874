//! The language-neutral model of a scanned target: routes, their chains, and the
//! structured bodies of the project's functions (spec-v1 §4–§6).
//!
//! Frontends (`secprop-lang-js`, later Python and Rust) produce a [`Project`]; the checks
//! and generators see nothing else. Invariants:
//! - every project function is stored once in [`Project::functions`] and calls link to it
//!   by [`FnId`], so analyses can follow calls several levels deep and cut cycles;
//! - every node that a finding can point at carries a [`Span`];
//! - a response is an event ([`StmtKind::Respond`]), not an exit (spec-v1 §6);
//! - nothing is dropped silently: a route whose path, chain or handler cannot be resolved
//!   carries `unresolved`, and a file that cannot be read or parsed is a [`Warning`].

use serde::Serialize;
use std::fmt;

/// Index into [`Project::files`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Default)]
pub struct FileId(pub u32);

/// Index into [`Project::functions`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
pub struct FnId(pub u32);

/// A source range. Lines and columns are 1-based; columns count Unicode code points
/// (spec-v1 §10). Byte offsets are kept for code frames and fingerprints.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Default)]
pub struct Span {
    pub file: FileId,
    pub line: u32,
    pub column: u32,
    pub end_line: u32,
    pub end_column: u32,
    pub start_byte: u32,
    pub end_byte: u32,
}

/// Everything a frontend found in one target.
#[derive(Debug, Clone, Default, Serialize)]
pub struct Project {
    /// Framework name as in the spec (`express`, ...).
    pub framework: String,
    /// Scanned files; [`FileId`] indexes this list.
    pub files: Vec<SourceFile>,
    /// One entry per method and concrete path, in a deterministic order.
    pub routes: Vec<Route>,
    /// Every function body the frontend lowered; [`FnId`] indexes this list.
    pub functions: Vec<Function>,
    /// Skipped files, parse errors, unresolved imports: never fatal.
    pub warnings: Vec<Warning>,
    /// Record shapes declared in the project (TypeScript interfaces, object type aliases
    /// and classes; later Rust structs, Python models), so that a whole value of a known
    /// type is known to carry its fields (spec-v1 §7 `sensitive_data_not_exposed`).
    pub types: Vec<RecordType>,
}

/// A declared record shape: `interface User { id: string; passwordHash: string }`.
#[derive(Debug, Clone, Serialize)]
pub struct RecordType {
    /// The type's name as written (`User`).
    pub name: String,
    /// Its field names, in declaration order (methods excluded).
    pub fields: Vec<String>,
    /// Its serialized form is customised (a `toJSON` method, `#[serde(skip)]` on fields,
    /// ...): the frontend could not see which fields serialization keeps.
    pub custom_serialization: bool,
    pub span: Span,
}

impl Project {
    pub fn file(&self, id: FileId) -> &SourceFile {
        &self.files[id.0 as usize]
    }
    pub fn function(&self, id: FnId) -> &Function {
        &self.functions[id.0 as usize]
    }
}

#[derive(Debug, Clone, Serialize)]
pub struct SourceFile {
    /// Path relative to the repository root, with `/` separators.
    pub path: String,
    /// Absolute path on disk, for reading code frames.
    #[serde(skip)]
    pub abs_path: std::path::PathBuf,
    /// The first syntax error, when the file parsed only partly (spec-v1 §8 `parse-error`).
    pub parse_error: Option<Span>,
    /// What that error may have cost, when there is one.
    pub parse_damage: ParseDamage,
}

/// What a file's syntax error may have cost the route map: the frontend compares the
/// registrations written in the text with the routes it could list. Both are estimates
/// from the text, used only to say how serious a parse error is.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize)]
pub struct ParseDamage {
    /// Route registrations, router mounts and app or router creations written at or
    /// after the first error: what follows the error may be missing or unresolved.
    pub registrations_after: u32,
    /// Route registrations written in the file beyond the routes listed from it: routes
    /// the error made disappear.
    pub lost_routes: u32,
}

impl ParseDamage {
    /// `; 1 route registration in the file could not be resolved`, or what may follow
    /// the error; empty when the error cost nothing.
    pub fn note(self) -> String {
        let plural = |n: u32, one: &str, many: &str| {
            if n == 1 {
                format!("{n} {one}")
            } else {
                format!("{n} {many}")
            }
        };
        if self.lost_routes > 0 {
            format!(
                "; {} in the file could not be resolved",
                plural(
                    self.lost_routes,
                    "route registration",
                    "route registrations"
                )
            )
        } else if self.registrations_after > 0 {
            format!(
                "; {} written after this point may be incomplete",
                plural(self.registrations_after, "registration", "registrations")
            )
        } else {
            String::new()
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub enum WarningKind {
    /// The file has syntax errors; its parsable parts are still used.
    ParseError,
    /// The file was not scanned (binary, too large, unreadable).
    SkippedFile,
    /// An import could not be followed to a project file or known package.
    UnresolvedImport,
    /// The file is not valid UTF-8: invalid bytes were replaced and the rest scanned.
    Encoding,
    Other,
}

#[derive(Debug, Clone, Serialize)]
pub struct Warning {
    pub kind: WarningKind,
    /// Repository-relative path of the file concerned.
    pub file: String,
    pub span: Option<Span>,
    pub message: String,
}

/// One path segment in canonical form (spec-v1 §5).
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
pub enum Segment {
    Literal(String),
    /// `{name}`: exactly one segment.
    Param(String),
    /// `{name*}`: spans segments; only `**` matches it.
    CatchAll(String),
}

/// Renders segments as the canonical path: `/projects/{projectId}/files/{p*}`; `/` for none.
pub fn canonical_path(segments: &[Segment]) -> String {
    if segments.is_empty() {
        return "/".to_string();
    }
    let mut out = String::new();
    for s in segments {
        out.push('/');
        match s {
            Segment::Literal(l) => out.push_str(l),
            Segment::Param(p) => {
                out.push('{');
                out.push_str(p);
                out.push('}');
            }
            Segment::CatchAll(p) => {
                out.push('{');
                out.push_str(p);
                out.push_str("*}");
            }
        }
    }
    out
}

#[derive(Debug, Clone, Serialize)]
pub struct Route {
    /// Upper-case HTTP method, or `*` for all-method routes (`app.all`).
    pub method: String,
    /// Canonical segments; empty for `/`.
    pub segments: Vec<Segment>,
    /// The registration call (`app.get(...)`, `.route(...)`).
    pub span: Span,
    /// Everything the framework runs before the handler, in order (spec-v1 §6).
    pub chain: Vec<ChainElement>,
    /// The handler's function, when resolved.
    pub handler: Option<FnId>,
    /// Qualified handler name (`tasksController.update`) or `<anonymous>`.
    pub handler_name: String,
    /// Why the path, chain or handler could not be resolved statically (spec-v1 §6).
    pub unresolved: Option<String>,
}

impl Route {
    pub fn path(&self) -> String {
        canonical_path(&self.segments)
    }
    /// `GET /projects/{projectId}/report`
    pub fn key(&self) -> String {
        format!("{} {}", self.method, self.path())
    }
    /// Names of the path parameters, in order.
    pub fn params(&self) -> Vec<&str> {
        self.segments
            .iter()
            .filter_map(|s| match s {
                Segment::Param(p) | Segment::CatchAll(p) => Some(p.as_str()),
                Segment::Literal(_) => None,
            })
            .collect()
    }
}

/// Why a chain element runs before the handler: where the framework took it from. The
/// kinds say what a step means, not which framework made it, so a new frontend fits without
/// touching the checks.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub enum ChainKind {
    /// Middleware of the app or router the route is registered on: Express `use()` before
    /// the route, axum `.layer`, actix `.wrap`, Flask `before_request`.
    Use,
    /// Middleware passed to a mount: `app.use('/p', mw, router)`.
    Mount,
    /// A guard bound to one route parameter, run when the route has that parameter:
    /// Express `router.param('id', fn)`, later FastAPI path dependencies.
    ParamBound {
        /// The route parameter the element is bound to (`id`).
        param: String,
        /// The index of the element function's parameter that receives that route
        /// parameter's value (3 for Express's `(req, res, next, value)`).
        arg: u32,
    },
    /// A guard taken from the handler's signature, run before its body: axum and actix
    /// extractors, FastAPI `Depends`/`Security` parameters.
    Signature {
        /// The index of the handler parameter that the guard fills.
        arg: u32,
    },
    /// Middleware listed in the route registration itself.
    Route,
}

/// Something the framework runs before the handler. Chain elements deny by `raise`
/// (spec-v1 §6).
#[derive(Debug, Clone, Serialize)]
pub struct ChainElement {
    pub kind: ChainKind,
    /// Call-pattern names of the element (spec-v1 §4): `requireLogin`, `auth.requireLogin`.
    pub names: Vec<String>,
    /// Names of the factory callee when the element is built by a call:
    /// `passport.authenticate('jwt')` gives `passport.authenticate`.
    pub factory: Vec<String>,
    /// The element's body when it is a project function.
    pub function: Option<FnId>,
    pub span: Span,
    /// Whether the element runs for the route is not known statically (an Express
    /// `use()` whose path uses pattern syntax): listed, but never counted as a guard.
    #[serde(skip_serializing_if = "std::ops::Not::not")]
    pub may_apply: bool,
}

#[derive(Debug, Clone, Serialize)]
pub struct Param {
    /// Binding name; a destructured parameter gets a synthetic name and `Let`s at the
    /// top of the body.
    pub name: String,
    /// Declared type as written (`Promise<boolean>`, `Request`), when any.
    pub ty: Option<String>,
}

#[derive(Debug, Clone, Serialize)]
pub struct Function {
    pub id: FnId,
    /// Qualified name: `membership.canView`, `ReportsController.show`, `<anonymous>`.
    pub name: String,
    pub span: Span,
    pub is_async: bool,
    pub params: Vec<Param>,
    /// Declared return type as written, when any.
    pub return_type: Option<String>,
    pub body: Vec<Stmt>,
}

#[derive(Debug, Clone, Serialize)]
pub struct Stmt {
    pub kind: StmtKind,
    pub span: Span,
}

/// Statements of a structured body. Expressions inside run in evaluation order: call
/// arguments before the call, the condition before the branches.
#[derive(Debug, Clone, Serialize)]
pub enum StmtKind {
    /// An expression whose value is discarded.
    Expr(Expr),
    /// Binds one local; destructuring is lowered to one `Let` per name with `Field` values.
    Let { name: String, value: Expr },
    /// `if`/`else` and `?:`; `&&`/`||`/`!` stay in the [`Cond`] tree.
    If {
        cond: Cond,
        then_branch: Vec<Stmt>,
        else_branch: Vec<Stmt>,
    },
    /// Exit: `return` (with its value). Ending the function is an implicit return.
    Return(Option<Expr>),
    /// Exit: `throw`/`raise`.
    Throw(Expr),
    Try {
        body: Vec<Stmt>,
        catch_param: Option<String>,
        catch_body: Vec<Stmt>,
        finally_body: Vec<Stmt>,
    },
    /// Runs its body zero or more times.
    Loop { body: Vec<Stmt> },
    /// A response is an event, not an exit (spec-v1 §6): `res.status(403).send(x)`.
    Respond(Respond),
    /// The chain continues to its next step (Express `next()`). With an error
    /// (`next(err)`), it is an exit that denies: the rest of the chain and the handler do
    /// not run.
    Continue { err: Option<Expr> },
}

#[derive(Debug, Clone, Serialize)]
pub struct Respond {
    /// `send`, `json`, `end`, `redirect`, `render`, `sendStatus`, `cookie`, `set`...
    pub method: String,
    /// The status when statically known (`res.status(403)`, `sendStatus(404)`); `None`
    /// means the framework default (200 for a body).
    pub status: Option<u16>,
    pub payload: Option<Expr>,
    /// Whether the call answers the request (`send`, `json`, `redirect`, a stream piped
    /// into the response); `false` for a call that only sets a header or cookie, which is
    /// still a channel data can leave by but lets the chain continue.
    pub sends: bool,
}

/// A condition as a short-circuit tree (spec-v1 §6: checked per short-circuit path).
#[derive(Debug, Clone, Serialize)]
pub enum Cond {
    And(Box<Cond>, Box<Cond>),
    Or(Box<Cond>, Box<Cond>),
    Not(Box<Cond>),
    Expr(Expr),
    /// `value === literal` or `==` (`negated`: `!==`, `!=`) with a string, number or null
    /// literal: visible so inline guards (spec-v1 §6) can test it. A comparison with
    /// `true`/`false` is lowered as the value's truth instead.
    Compare {
        value: Expr,
        literal: Literal,
        negated: bool,
    },
}

#[derive(Debug, Clone, Serialize)]
pub enum Expr {
    /// A path parameter of the route (`req.params.projectId`, or a local destructured from
    /// it).
    RouteParam(String),
    /// Another part of the request: `query`, `body`, `headers`, `cookies`, `user`, with the
    /// path read below it (`req.user.id` is `RequestPart{part:"user", path:["id"]}`).
    RequestPart {
        part: String,
        path: Vec<String>,
    },
    /// Property access: `user.passwordHash` is `Field{base: Local(user), path:[passwordHash]}`.
    Field {
        base: Box<Expr>,
        path: Vec<String>,
    },
    Local(String),
    Object {
        fields: Vec<(String, Expr)>,
        spreads: Vec<Expr>,
    },
    Array(Vec<Expr>),
    Call(Box<Call>),
    /// `await x` where `x` is not itself a call.
    Await(Box<Expr>),
    Literal(Literal),
    /// Template literal or string concatenation: the interpolated parts.
    Template(Vec<Expr>),
    /// An inline function (arrow or function expression) passed as a value; its calls
    /// count where it is written (spec-v1 §4).
    Function(FnId),
    /// A value with a declared type: `const user: User = ...`, `x as User` (Python
    /// `user: User = ...`, Rust `let user: User = ...`). Analyses that do not use types
    /// see through it.
    Typed {
        value: Box<Expr>,
        /// The type as written (`User`, `Promise<User[]>`).
        ty: String,
    },
    /// `base` without the fields `keys`: the rest of a destructuring
    /// (`const { passwordHash, ...rest } = user` binds `rest` to `Omit{base: user,
    /// keys: [passwordHash]}`), later Python `{k: v for ...}` exclusions.
    Omit {
        base: Box<Expr>,
        keys: Vec<String>,
    },
    /// Anything else; keeps sub-expressions so calls inside are still seen.
    Unknown(Vec<Expr>),
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub enum Literal {
    String(String),
    Number(f64),
    Bool(bool),
    Null,
}

#[derive(Debug, Clone, Serialize)]
pub struct Call {
    /// Call-pattern names (spec-v1 §4), most specific first: as written (`this.` dropped),
    /// import-resolved (`membership.canView`), `Type.method` when the receiver type is
    /// known. Segments are joined with `.`.
    pub names: Vec<String>,
    /// The project function called, when resolved.
    pub callee: Option<FnId>,
    /// The receiver for a method call (`repo` in `repo.find(id)`), when it is a value.
    pub receiver: Option<Expr>,
    pub args: Vec<Expr>,
    /// Directly under `await` (or `yield` in a generator used as a coroutine).
    pub awaited: bool,
    /// `new X(...)`.
    pub is_new: bool,
    /// The normalised callee text, for fingerprints: `reports.buildProjectReport`.
    pub text: String,
    pub span: Span,
}

impl fmt::Display for Segment {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Segment::Literal(l) => f.write_str(l),
            Segment::Param(p) => write!(f, "{{{p}}}"),
            Segment::CatchAll(p) => write!(f, "{{{p}*}}"),
        }
    }
}

/// Visits every expression of a statement list in evaluation order, descending into
/// nested statements, call receivers and arguments, but not into inline functions.
pub fn walk_exprs<'a>(stmts: &'a [Stmt], f: &mut dyn FnMut(&'a Expr)) {
    for s in stmts {
        match &s.kind {
            StmtKind::Expr(e) | StmtKind::Let { value: e, .. } | StmtKind::Throw(e) => {
                walk_expr(e, f)
            }
            StmtKind::Return(e) => {
                if let Some(e) = e {
                    walk_expr(e, f)
                }
            }
            StmtKind::If {
                cond,
                then_branch,
                else_branch,
            } => {
                walk_cond(cond, f);
                walk_exprs(then_branch, f);
                walk_exprs(else_branch, f);
            }
            StmtKind::Try {
                body,
                catch_body,
                finally_body,
                ..
            } => {
                walk_exprs(body, f);
                walk_exprs(catch_body, f);
                walk_exprs(finally_body, f);
            }
            StmtKind::Loop { body } => walk_exprs(body, f),
            StmtKind::Respond(r) => {
                if let Some(p) = &r.payload {
                    walk_expr(p, f)
                }
            }
            StmtKind::Continue { err } => {
                if let Some(e) = err {
                    walk_expr(e, f)
                }
            }
        }
    }
}

pub fn walk_cond<'a>(c: &'a Cond, f: &mut dyn FnMut(&'a Expr)) {
    match c {
        Cond::And(a, b) | Cond::Or(a, b) => {
            walk_cond(a, f);
            walk_cond(b, f);
        }
        Cond::Not(a) => walk_cond(a, f),
        Cond::Expr(e) | Cond::Compare { value: e, .. } => walk_expr(e, f),
    }
}

/// Visits `e` and its sub-expressions, children first (evaluation order).
pub fn walk_expr<'a>(e: &'a Expr, f: &mut dyn FnMut(&'a Expr)) {
    match e {
        Expr::Field { base, .. } | Expr::Omit { base, .. } => walk_expr(base, f),
        Expr::Typed { value, .. } => walk_expr(value, f),
        Expr::Object { fields, spreads } => {
            for (_, v) in fields {
                walk_expr(v, f);
            }
            for s in spreads {
                walk_expr(s, f);
            }
        }
        Expr::Array(items) | Expr::Template(items) | Expr::Unknown(items) => {
            for i in items {
                walk_expr(i, f);
            }
        }
        Expr::Call(c) => {
            if let Some(r) = &c.receiver {
                walk_expr(r, f);
            }
            for a in &c.args {
                walk_expr(a, f);
            }
        }
        Expr::Await(inner) => walk_expr(inner, f),
        Expr::RouteParam(_)
        | Expr::RequestPart { .. }
        | Expr::Local(_)
        | Expr::Literal(_)
        | Expr::Function(_) => {}
    }
    f(e);
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn canonical_paths() {
        assert_eq!(canonical_path(&[]), "/");
        let segs = vec![
            Segment::Literal("projects".into()),
            Segment::Param("projectId".into()),
            Segment::CatchAll("rest".into()),
        ];
        assert_eq!(canonical_path(&segs), "/projects/{projectId}/{rest*}");
    }
}
