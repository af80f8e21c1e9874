//! Where values go: a may-flow over structured bodies for the rules about what reaches a
//! channel (spec-v1 §7 `sensitive_data_not_exposed`, `malformed_input_rejected`).
//!
//! Unlike `analysis` (facts that hold on *every* path), this tracks what a value *may*
//! carry on *some* path: sensitive fields read from a record (`user.passwordHash`),
//! records whose shape carries them (an object literal, a declared type, a record returned
//! by a project function), records of unknown shape (a data access's result), and caught
//! errors with their `stack` and `message`. Each function is entered with the values of
//! its arguments (context-sensitive), a few calls deep, cycles cut. A channel is reached
//! by a response (`res.json`, `res.cookie`, `res.redirect`...) or a call matching a
//! `context.sinks` key.

use crate::config::Ctx;
use secprop_model::{Call, Cond, Expr, FnId, Function, Literal, Project, Span, Stmt, StmtKind};
use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::rc::Rc;

/// The channel name of responses (spec-v1 §7 "Channels").
pub(crate) const RESPONSE: &str = "response";

/// What part of a caught error a value carries.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub(crate) enum ErrPart {
    /// The error itself, or its text (`String(err)`, `` `${err}` ``, `err.toString()`).
    Whole,
    Stack,
    Message,
}

impl ErrPart {
    pub fn describe(self) -> &'static str {
        match self {
            ErrPart::Whole => "the caught error",
            ErrPart::Stack => "the caught error's stack",
            ErrPart::Message => "the caught error's message",
        }
    }
}

/// One entry of `context.sensitive_fields`, compiled.
#[derive(Debug, Clone)]
pub(crate) struct Sensitive {
    /// As written in the spec: `passwordHash`, `User.passwordHash`, `profile.ssn`.
    pub text: String,
    /// `User` in `User.passwordHash` (a first segment starting with an upper-case letter):
    /// only values of that type count, or values whose type is unknown.
    pub ty: Option<String>,
    /// Normalised segments (lower case, no `_` or `-`): `["profile", "ssn"]`.
    pub path: Vec<String>,
}

/// Compiles `context.sensitive_fields`.
pub(crate) fn compile_sensitive(fields: &[String]) -> Vec<Sensitive> {
    fields
        .iter()
        .map(|f| {
            let mut segs: Vec<&str> = f.split('.').filter(|s| !s.is_empty()).collect();
            let ty = if segs.len() > 1 && segs[0].starts_with(|c: char| c.is_ascii_uppercase()) {
                Some(segs.remove(0).to_string())
            } else {
                None
            };
            Sensitive {
                text: f.clone(),
                ty,
                path: segs.into_iter().map(norm).collect(),
            }
        })
        .collect()
}

/// `passwordHash`, `password_hash` and `PASSWORD-HASH` are the same field.
pub(crate) fn norm(s: &str) -> String {
    s.chars()
        .filter(|c| *c != '_' && *c != '-')
        .flat_map(char::to_lowercase)
        .collect()
}

/// What a value may carry.
#[derive(Debug, Clone, Default, PartialEq)]
pub(crate) struct Val {
    /// Sensitive entries (their spec text) this value is, or holds as text.
    pub direct: BTreeSet<String>,
    /// Known fields, with what each may carry (object literals, declared types).
    pub fields: BTreeMap<String, Val>,
    /// A record of unknown shape (a data access's result): it may carry anything.
    pub opaque: bool,
    /// The call that returned the record of unknown shape, for messages.
    pub origin: Option<String>,
    /// Its serialization is customised (`toJSON`): what it sends is not its fields.
    pub custom: bool,
    /// Declared type, when known.
    pub ty: Option<String>,
    /// Parts of a caught error it carries.
    pub err: BTreeSet<ErrPart>,
}

impl Val {
    fn merge(&mut self, o: Val) {
        // A value with its own serialization is merged as what it serializes to.
        if self.custom {
            *self = self.serialized();
        }
        let o = if o.custom { o.serialized() } else { o };
        self.direct.extend(o.direct);
        for (k, v) in o.fields {
            match self.fields.get_mut(&k) {
                Some(mine) => mine.merge(v),
                None => {
                    self.fields.insert(k, v);
                }
            }
        }
        self.opaque |= o.opaque;
        if self.origin.is_none() {
            self.origin = o.origin;
        }
        if self.ty != o.ty {
            self.ty = None;
        }
        self.err.extend(o.err);
    }

    /// What a value with a custom serialization (`toJSON`) is known to send: nothing of
    /// its fields; the error parts stay (the error may be what it serializes).
    fn serialized(&self) -> Val {
        Val {
            err: self.all_errs(),
            ..Val::default()
        }
    }

    fn opaque(origin: &str) -> Val {
        Val {
            opaque: true,
            origin: Some(origin.to_string()),
            ..Val::default()
        }
    }

    /// The value turned into text or copied as a whole: what it carries, flattened.
    fn flatten(&self) -> Val {
        let (certain, _) = self.leaks();
        Val {
            direct: certain,
            err: self.all_errs(),
            ..Val::default()
        }
    }

    /// The sensitive entries this value carries for sure, and whether it may carry more
    /// (a record of unknown shape inside).
    pub fn leaks(&self) -> (BTreeSet<String>, bool) {
        let mut out = BTreeSet::new();
        let mut possible = None;
        self.leaks_into(&mut out, &mut possible);
        (out, possible.is_some())
    }

    /// The call that returned a record of unknown shape carried by this value.
    pub fn unknown_origin(&self) -> Option<String> {
        let mut out = BTreeSet::new();
        let mut possible = None;
        self.leaks_into(&mut out, &mut possible);
        possible.flatten()
    }

    fn leaks_into(&self, out: &mut BTreeSet<String>, possible: &mut Option<Option<String>>) {
        if self.custom {
            return;
        }
        out.extend(self.direct.iter().cloned());
        if self.opaque && possible.as_ref().is_none_or(|p| p.is_none()) {
            *possible = Some(self.origin.clone());
        }
        for v in self.fields.values() {
            v.leaks_into(out, possible);
        }
    }

    /// Every error part inside.
    pub fn all_errs(&self) -> BTreeSet<ErrPart> {
        let mut out = self.err.clone();
        for v in self.fields.values() {
            out.extend(v.all_errs());
        }
        out
    }
}

/// The sensitive entries matching a read of `path` (normalised, innermost last) on a value
/// of type `ty`.
fn sensitive_at<'s>(sens: &'s [Sensitive], path: &[String], ty: Option<&str>) -> Vec<&'s str> {
    sens.iter()
        .filter(|s| path.ends_with(&s.path))
        .filter(|s| match (&s.ty, ty) {
            (Some(want), Some(have)) => want == have,
            _ => true,
        })
        .map(|s| s.text.as_str())
        .collect()
}

/// A value reaching a channel.
#[derive(Debug, Clone)]
pub(crate) struct Exposure {
    /// The primary location: the sending statement or sink call, or the outermost
    /// helper call through which it was reached.
    pub site: Span,
    /// The call or statement that sends it, when reached through helpers.
    pub inner: Option<Span>,
    /// The call or statement that sends it, always.
    pub at: Span,
    pub channel: String,
    /// `res.json`, `logger.info`.
    pub via: String,
    pub val: Val,
}

/// Helpers are followed this many calls deep (spec-v1 §6 asks for at least three).
const MAX_DEPTH: usize = 6;
/// Upper bound on function bodies entered for one route, so that a large project with
/// many helpers stays linear in practice.
const BUDGET: usize = 5_000;

/// Names of the caught error in an Express error handler `(err, req, res, next)`.
fn is_error_handler(f: &Function) -> bool {
    f.params.len() == 4 && {
        let n = f.params[0].name.to_ascii_lowercase();
        n.contains("err") || n == "e" || n == "ex"
    }
}

/// Every function of the project that is an error-handling middleware.
pub(crate) fn error_handlers(project: &Project) -> Vec<FnId> {
    project
        .functions
        .iter()
        .filter(|f| is_error_handler(f))
        .map(|f| f.id)
        .collect()
}

/// What a call returned and sent.
type Memo = (Val, Rc<Vec<Exposure>>);

pub(crate) struct Flow<'a> {
    project: &'a Project,
    ctx: &'a Ctx,
    sens: &'a [Sensitive],
    pub exposures: Vec<Exposure>,
    stack: Vec<FnId>,
    /// The outermost helper call of the current descent.
    site: Option<Span>,
    budget: usize,
    /// (function, its arguments' values) → what it returns and sends.
    memo: HashMap<(FnId, String), Memo>,
}

impl<'a> Flow<'a> {
    pub fn new(project: &'a Project, ctx: &'a Ctx, sens: &'a [Sensitive]) -> Flow<'a> {
        Flow {
            project,
            ctx,
            sens,
            exposures: Vec::new(),
            stack: Vec::new(),
            site: None,
            budget: BUDGET,
            memo: HashMap::new(),
        }
    }

    /// Starts a new route: what was sent so far is dropped, memoised calls are kept.
    pub fn start_route(&mut self) {
        self.exposures.clear();
        self.budget = BUDGET;
    }

    /// Analyses a route's entry function (handler or chain element): an error handler's
    /// first parameter is the error, other parameters carry nothing known.
    pub fn entry(&mut self, id: FnId) {
        let Some(f) = self.project.functions.get(id.0 as usize) else {
            return;
        };
        let mut args: Vec<Val> = f
            .params
            .iter()
            .map(|p| self.typed(p.ty.as_deref()))
            .collect();
        if is_error_handler(f) {
            args[0].err.insert(ErrPart::Whole);
        }
        self.function(id, args);
    }

    /// The value of a declared type: `User`, `Promise<User[]>`, `Omit<User, 'passwordHash'>`.
    fn typed(&self, ty: Option<&str>) -> Val {
        ty.and_then(|t| self.type_val(t, 0)).unwrap_or_default()
    }

    fn type_val(&self, t: &str, depth: u32) -> Option<Val> {
        let t = t.trim().trim_start_matches(':').trim();
        if depth > 8 || t.is_empty() {
            return None;
        }
        if let Some(inner) = t.strip_suffix("[]") {
            return self.type_val(inner, depth + 1);
        }
        if let Some((head, rest)) = t.split_once('<')
            && let Some(args) = rest.strip_suffix('>')
        {
            let (first, keys) = match split_top(args) {
                Some((a, b)) => (a, Some(b)),
                None => (args, None),
            };
            let mut v = self.type_val(first, depth + 1)?;
            let keys: Vec<String> = keys
                .map(|k| {
                    k.split('|')
                        .map(|s| s.trim().trim_matches(['\'', '"', '`']).to_string())
                        .filter(|s| !s.is_empty())
                        .collect()
                })
                .unwrap_or_default();
            return match head.trim() {
                "Omit" => Some(omit(v, &keys)),
                "Pick" => {
                    let want: BTreeSet<String> = keys.iter().map(|k| norm(k)).collect();
                    v.fields.retain(|k, _| want.contains(&norm(k)));
                    Some(v)
                }
                _ => Some(v),
            };
        }
        // `User | null`: the first alternative that is a known record.
        if t.contains('|') && !t.contains('<') {
            return t.split('|').find_map(|a| self.type_val(a, depth + 1));
        }
        let rt = self.project.types.iter().find(|r| r.name == t)?;
        if rt.custom_serialization {
            return Some(Val {
                custom: true,
                ty: Some(rt.name.clone()),
                ..Val::default()
            });
        }
        let mut fields = BTreeMap::new();
        for f in &rt.fields {
            let direct = sensitive_at(self.sens, &[norm(f)], Some(&rt.name))
                .into_iter()
                .map(String::from)
                .collect();
            fields.insert(
                f.clone(),
                Val {
                    direct,
                    ..Val::default()
                },
            );
        }
        Some(Val {
            fields,
            ty: Some(rt.name.clone()),
            ..Val::default()
        })
    }

    /// Runs a function with its arguments' values; returns what it may return.
    fn function(&mut self, id: FnId, args: Vec<Val>) -> Val {
        if self.stack.contains(&id) || self.stack.len() >= MAX_DEPTH || self.budget == 0 {
            return Val::default();
        }
        let Some(f) = self.project.functions.get(id.0 as usize) else {
            return Val::default();
        };
        // The same function with the same argument values does the same: memoised
        // across the routes of a target (what it sends is replayed at the caller's site).
        let key = (id, format!("{args:?}"));
        if let Some((ret, sent)) = self.memo.get(&key).cloned() {
            self.replay(&sent[..]);
            return ret;
        }
        self.budget -= 1;
        self.stack.push(id);
        let start = self.exposures.len();
        let mut env: BTreeMap<String, Val> = BTreeMap::new();
        for (i, p) in f.params.iter().enumerate() {
            let v = args.get(i).cloned().unwrap_or_default();
            env.insert(p.name.clone(), v);
        }
        let mut ret = Val::default();
        self.block(&f.body, &mut env, &mut ret);
        self.stack.pop();
        let mut sent: Vec<Exposure> = Vec::new();
        for e in &self.exposures[start..] {
            // Loops run twice: keep one of each identical send.
            if !sent
                .iter()
                .any(|x| x.at == e.at && x.channel == e.channel && x.val == e.val)
            {
                sent.push(e.clone());
            }
        }
        self.memo.insert(key, (ret.clone(), Rc::new(sent)));
        ret
    }

    fn block(&mut self, stmts: &[Stmt], env: &mut BTreeMap<String, Val>, ret: &mut Val) {
        for s in stmts {
            self.stmt(s, env, ret);
        }
    }

    fn stmt(&mut self, s: &Stmt, env: &mut BTreeMap<String, Val>, ret: &mut Val) {
        match &s.kind {
            StmtKind::Expr(e) | StmtKind::Throw(e) => {
                self.eval(e, env);
            }
            StmtKind::Continue { err } => {
                if let Some(e) = err {
                    self.eval(e, env);
                }
            }
            StmtKind::Let { name, value } => {
                let v = self.eval(value, env);
                env.insert(name.clone(), v);
            }
            StmtKind::Return(e) => {
                if let Some(e) = e {
                    let v = self.eval(e, env);
                    ret.merge(v);
                }
            }
            StmtKind::If {
                cond,
                then_branch,
                else_branch,
            } => {
                self.cond(cond, env);
                // A may-flow: each branch starts from the same values, and a local keeps
                // what either branch may have given it.
                let mut t = env.clone();
                self.block(then_branch, &mut t, ret);
                self.block(else_branch, env, ret);
                for (k, v) in t {
                    match env.get_mut(&k) {
                        Some(mine) => mine.merge(v),
                        None => {
                            env.insert(k, v);
                        }
                    }
                }
            }
            StmtKind::Loop { body } => {
                // Twice, so that a value set late in the body reaches its start.
                // Repeated sends are merged by the rules (one finding per location).
                self.block(body, env, ret);
                self.block(body, env, ret);
            }
            StmtKind::Try {
                body,
                catch_param,
                catch_body,
                finally_body,
            } => {
                self.block(body, env, ret);
                if let Some(p) = catch_param {
                    let mut v = Val::default();
                    // Only errors of data access, side effects or external calls carry
                    // internals worth hiding (spec-v1 §7): a parse error of the input does not.
                    if self.does_work(body, 0, &mut BTreeSet::new()) {
                        v.err.insert(ErrPart::Whole);
                    }
                    env.insert(p.clone(), v);
                }
                self.block(catch_body, env, ret);
                self.block(finally_body, env, ret);
            }
            StmtKind::Respond(r) => {
                if let Some(p) = &r.payload {
                    let v = self.eval(p, env);
                    self.expose(s.span, RESPONSE, &format!("res.{}", r.method), v);
                }
            }
        }
    }

    fn cond(&mut self, c: &Cond, env: &mut BTreeMap<String, Val>) {
        match c {
            Cond::And(a, b) | Cond::Or(a, b) => {
                self.cond(a, env);
                self.cond(b, env);
            }
            Cond::Not(a) => self.cond(a, env),
            Cond::Expr(e) | Cond::Compare { value: e, .. } => {
                self.eval(e, env);
            }
        }
    }

    fn expose(&mut self, at: Span, channel: &str, via: &str, val: Val) {
        let (certain, possible) = val.leaks();
        if certain.is_empty() && !possible && val.all_errs().is_empty() {
            return;
        }
        self.exposures.push(Exposure {
            site: self.site.unwrap_or(at),
            inner: self.site.map(|_| at),
            at,
            channel: channel.to_string(),
            via: via.to_string(),
            val,
        });
    }

    /// Records again what a memoised call sent, located at the current helper call.
    fn replay(&mut self, sent: &[Exposure]) {
        for e in sent {
            self.exposures.push(Exposure {
                site: self.site.unwrap_or(e.at),
                inner: self.site.map(|_| e.at),
                ..e.clone()
            });
        }
    }

    /// Whether statements call data access, a side effect or a non-log sink, directly or
    /// through project functions.
    /// `visited` holds the functions already looked into, so each is walked once.
    fn does_work(&self, stmts: &[Stmt], depth: usize, visited: &mut BTreeSet<FnId>) -> bool {
        let mut found = false;
        secprop_model::walk_exprs(stmts, &mut |e| {
            if found {
                return;
            }
            let callee = match e {
                Expr::Call(c) => {
                    if self.ctx.cats(&c.names).is_work() {
                        found = true;
                        return;
                    }
                    if self.ctx.is_atomic(&c.names) {
                        return;
                    }
                    c.callee
                }
                Expr::Function(f) => Some(*f),
                _ => None,
            };
            if let Some(id) = callee
                && depth < MAX_DEPTH
                && visited.insert(id)
                && let Some(f) = self.project.functions.get(id.0 as usize)
                && self.does_work(&f.body, depth + 1, visited)
            {
                found = true;
            }
        });
        found
    }

    fn eval(&mut self, e: &Expr, env: &mut BTreeMap<String, Val>) -> Val {
        match e {
            Expr::RouteParam(_) | Expr::Literal(_) => Val::default(),
            // `req.user.passwordHash`: the caller's own record still carries the field.
            Expr::RequestPart { part, path } => {
                let seen: Vec<String> = path.iter().map(|p| norm(p)).collect();
                let mut v = Val::default();
                // The caller's whole record (`req.user`, filled from the database by the
                // authentication layer): its fields are unknown.
                if part == "user" && path.is_empty() {
                    v = Val::opaque("req.user");
                }
                for i in 1..=seen.len() {
                    v.direct.extend(
                        sensitive_at(self.sens, &seen[..i], None)
                            .into_iter()
                            .map(String::from),
                    );
                }
                v
            }
            Expr::Local(n) => env.get(n).cloned().unwrap_or_default(),
            Expr::Field { base, path } => {
                let mut v = self.eval(base, env);
                let mut seen: Vec<String> = Vec::new();
                for seg in path {
                    seen.push(norm(seg));
                    v = self.field(v, seg, &seen);
                }
                v
            }
            Expr::Omit { base, keys } => {
                let v = self.eval(base, env);
                omit(v, keys)
            }
            Expr::Object { fields, spreads } => {
                let mut out = Val::default();
                for s in spreads {
                    let v = self.eval(s, env);
                    out.merge(v);
                }
                out.ty = None;
                for (k, x) in fields {
                    let mut v = self.eval(x, env);
                    if k == "toJSON" {
                        out.custom = true;
                    }
                    // A sensitive key holding a computed value is the field itself. A
                    // literal has no declared type, so `Type.field` entries need a read.
                    if !matches!(x, Expr::Literal(_) | Expr::Function(_)) {
                        v.direct.extend(
                            self.sens
                                .iter()
                                .filter(|s| s.ty.is_none() && s.path == [norm(k)])
                                .map(|s| s.text.clone()),
                        );
                    }
                    out.fields.insert(k.clone(), v);
                }
                out
            }
            Expr::Array(items) => {
                let mut out = Val::default();
                for i in items {
                    let v = self.eval(i, env);
                    out.merge(v);
                }
                out
            }
            Expr::Template(items) => {
                let mut out = Val::default();
                for i in items {
                    let v = self.eval(i, env).flatten();
                    out.merge(v);
                }
                out
            }
            Expr::Await(inner) => self.eval(inner, env),
            // A declared record type says which fields the value carries.
            Expr::Typed { value, ty } => {
                let v = self.eval(value, env);
                match self.type_val(ty, 0) {
                    Some(t) => {
                        let mut t = t;
                        t.err = v.err;
                        t
                    }
                    None => v,
                }
            }
            Expr::Function(id) => {
                // A callback's sends count where it is written.
                self.entry(*id);
                Val::default()
            }
            Expr::Unknown(items) => {
                for i in items {
                    self.eval(i, env);
                }
                Val::default()
            }
            Expr::Call(c) => self.call(c, env),
        }
    }

    /// Reads field `seg` of `v`; `seen` is the normalised path read so far.
    fn field(&self, v: Val, seg: &str, seen: &[String]) -> Val {
        let mut out = match v.fields.get(seg) {
            Some(f) => f.clone(),
            None => Val::default(),
        };
        if !v.err.is_empty() {
            match seg {
                "stack" => {
                    out.err.insert(ErrPart::Stack);
                }
                "message" => {
                    out.err.insert(ErrPart::Message);
                }
                _ => {}
            }
        }
        out.direct.extend(
            sensitive_at(self.sens, seen, v.ty.as_deref())
                .into_iter()
                .map(String::from),
        );
        out
    }

    fn call(&mut self, c: &Call, env: &mut BTreeMap<String, Val>) -> Val {
        let recv = c.receiver.as_ref().map(|r| self.eval(r, env));
        // The method called: from its name, else the callee's text (`[user].map`).
        let last = c
            .names
            .first()
            .unwrap_or(&c.text)
            .rsplit('.')
            .next()
            .unwrap_or("")
            .to_string();
        // Callbacks of collection methods get the elements; `.catch` gets the error.
        let mut args = Vec::with_capacity(c.args.len());
        let mut mapped = None;
        for a in &c.args {
            if let Expr::Function(fid) = a
                && let Some(r) = &recv
            {
                let mut elem = r.clone();
                if last == "catch" {
                    elem = Val::default();
                    if c.receiver.as_ref().is_some_and(|r| self.expr_works(r)) {
                        elem.err.insert(ErrPart::Whole);
                    }
                }
                // Written in place: its sends are located where they are written.
                let out = self.function(*fid, vec![elem]);
                if matches!(last.as_str(), "map" | "flatMap") {
                    mapped = Some(out);
                }
                args.push(Val::default());
                continue;
            }
            args.push(self.eval(a, env));
        }
        let cats = self.ctx.cats(&c.names);
        for ch in &cats.sinks {
            let mut all = Val::default();
            for a in &args {
                all.merge(a.clone());
            }
            self.expose(c.span, ch, &c.text, all);
        }
        let first = || args.first().cloned().unwrap_or_default();
        let literal_keys = || {
            let mut keys = Vec::new();
            for a in c.args.iter().skip(1) {
                collect_strings(a, &mut keys);
            }
            keys
        };
        // Helpers that remove or select fields named by literals, project ones too.
        match last.as_str() {
            "omit" | "without" if !literal_keys().is_empty() => {
                return omit(first(), &literal_keys());
            }
            "pick" if !literal_keys().is_empty() => {
                let keys = literal_keys();
                let v = first();
                let mut out = Val::default();
                for k in keys {
                    let read = self.field(v.clone(), &k, &[norm(&k)]);
                    out.fields.insert(k, read);
                }
                return out;
            }
            _ => {}
        }
        if self.ctx.is_atomic(&c.names) {
            // Never entered; its declared return type, else an unknown record when it
            // reads data.
            let declared = c
                .callee
                .and_then(|id| self.project.functions.get(id.0 as usize))
                .and_then(|f| f.return_type.as_deref())
                .and_then(|t| self.type_val(t, 0));
            return match declared {
                Some(v) => v,
                None if cats.data_access && returns_record(&last) => Val::opaque(&c.text),
                None => Val::default(),
            };
        }
        if let Some(id) = c.callee {
            let declared = self
                .project
                .functions
                .get(id.0 as usize)
                .and_then(|f| f.return_type.as_deref())
                .and_then(|t| self.type_val(t, 0));
            let v = self.with_site(c.span, |fl| fl.function(id, args));
            return declared.unwrap_or(v);
        }
        if let Some(m) = mapped {
            return m;
        }
        match last.as_str() {
            "toJSON" => return Val::default(),
            // Errors made into text.
            "toString" if recv.as_ref().is_some_and(|r| !r.err.is_empty()) => {
                return recv.map(|r| r.flatten()).unwrap_or_default();
            }
            // Validators' own messages are meant for the client (zod's `err.flatten()`).
            "flatten" | "format" | "array" | "mapped"
                if recv.as_ref().is_some_and(|r| !r.err.is_empty()) =>
            {
                return Val::default();
            }
            _ => {}
        }
        let is_call_of = |names: &[&str]| c.names.iter().any(|n| names.contains(&n.as_str()));
        // Calls that pass their argument on: into text, copies, merges.
        if is_call_of(&[
            "String",
            "JSON.stringify",
            "util.inspect",
            "inspect",
            "util.format",
            "Buffer.from",
            "encodeURIComponent",
            "structuredClone",
            "Object.values",
            "Object.entries",
            "Array.from",
        ]) {
            return first().flatten();
        }
        if is_call_of(&[
            "Object.assign",
            "_.merge",
            "_.assign",
            "_.clone",
            "_.cloneDeep",
        ]) {
            let mut out = Val::default();
            for a in args {
                out.merge(a);
            }
            return out;
        }
        // A method of a tracked value (`rows.filter(...)`, `hash.slice(0, 4)`) keeps what
        // the value carries; other calls to code outside the project give nothing known.
        match recv {
            Some(r) if c.callee.is_none() => r,
            _ => Val::default(),
        }
    }

    fn expr_works(&self, e: &Expr) -> bool {
        self.does_work(
            &[Stmt {
                kind: StmtKind::Expr(e.clone()),
                span: Span::default(),
            }],
            0,
            &mut BTreeSet::new(),
        )
    }

    fn with_site<T>(&mut self, at: Span, f: impl FnOnce(&mut Self) -> T) -> T {
        let outer = self.site;
        if outer.is_none() {
            self.site = Some(at);
        }
        let out = f(self);
        self.site = outer;
        out
    }
}

/// Whether a data access named `method` returns records (not a count, a flag or the
/// outcome of a write), so that sending its result whole may expose fields.
fn returns_record(method: &str) -> bool {
    let m = method.to_ascii_lowercase();
    ![
        "count", "exists", "has", "is", "delete", "remove", "destroy", "sum", "avg",
    ]
    .iter()
    .any(|p| m.starts_with(p))
}

/// `v` without `keys` (normalised comparison).
fn omit(mut v: Val, keys: &[String]) -> Val {
    let gone: BTreeSet<String> = keys.iter().map(|k| norm(k)).collect();
    v.fields.retain(|k, _| !gone.contains(&norm(k)));
    v
}

/// String literals of an expression (`'a'`, `['a', 'b']`).
fn collect_strings(e: &Expr, out: &mut Vec<String>) {
    match e {
        Expr::Literal(Literal::String(s)) => out.push(s.clone()),
        Expr::Array(items) => items.iter().for_each(|i| collect_strings(i, out)),
        _ => {}
    }
}

/// Splits `User, 'a' | 'b'` at its first top-level comma.
fn split_top(s: &str) -> Option<(&str, &str)> {
    let mut depth = 0i32;
    for (i, ch) in s.char_indices() {
        match ch {
            '<' | '(' | '[' | '{' => depth += 1,
            '>' | ')' | ']' | '}' => depth -= 1,
            ',' if depth == 0 => return Some((&s[..i], &s[i + 1..])),
            _ => {}
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sensitive_names_ignore_case_and_separators() {
        let s = compile_sensitive(&[
            "passwordHash".into(),
            "User.apiToken".into(),
            "profile.ssn".into(),
        ]);
        assert_eq!(
            sensitive_at(&s, &[norm("password_hash")], None),
            ["passwordHash"]
        );
        assert_eq!(
            sensitive_at(&s, &[norm("API_TOKEN")], Some("User")),
            ["User.apiToken"]
        );
        assert!(sensitive_at(&s, &[norm("apiToken")], Some("Team")).is_empty());
        assert!(sensitive_at(&s, &[norm("ssn")], None).is_empty());
        assert_eq!(
            sensitive_at(&s, &[norm("user"), norm("profile"), norm("ssn")], None),
            ["profile.ssn"]
        );
    }

    #[test]
    fn omit_removes_fields() {
        let mut v = Val::default();
        v.fields.insert(
            "passwordHash".into(),
            Val {
                direct: BTreeSet::from(["passwordHash".to_string()]),
                ..Val::default()
            },
        );
        v.fields.insert("id".into(), Val::default());
        assert_eq!(v.leaks().0.len(), 1);
        let v = omit(v, &["password_hash".into()]);
        assert!(v.leaks().0.is_empty());
    }
}
