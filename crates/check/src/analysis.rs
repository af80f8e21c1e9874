//! The forward "which guards have passed on every path" dataflow over structured bodies
//! (spec-v1 §6). Not path enumeration: facts only grow along a path and are intersected
//! where paths join, so each statement is visited once.
//!
//! A function is summarised once per guard set: the events it contains (work, responses,
//! guard calls) with the facts that hold there relative to its entry, and the facts that
//! hold when it returns normally, returns a truthy value, or calls `next()`. Because the
//! analysis only adds facts, a caller combines a summary with its own facts by union, and
//! facts about a helper's parameters (`Src::Arg`) are mapped to what the caller passed.

use crate::config::{
    Cats, Ctx, GuardDef, GuardKind, element_matches, guard_for_call, infer_denies_by, is_async_type,
};
use secprop_model::{
    Call, ChainElement, ChainKind, Cond, Expr, FnId, Literal, Project, Route, Span, Stmt, StmtKind,
};
use secprop_spec::{DeniesBy, RequestField};
use std::collections::{BTreeMap, BTreeSet};
use std::rc::Rc;

/// Where a value comes from: a route parameter (or a request field of the binding, by its
/// canonical name `body.id`: spec-v1 §7 "Ids outside the path"), a parameter of the
/// function analysed, or the caller's identity.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub(crate) enum Src {
    Param(String),
    Arg(u32),
    /// The calling user's identity as the authentication established it: `req.user.id`,
    /// `req.session.userId` (`Ctx::is_caller`).
    Caller,
}

/// What a `cross_tenant_denied` binding asks the analysis to track: the value objects
/// must be scoped by (the tenant's parameter, or the caller for `owner: caller`), and the
/// request fields read as parameters.
#[derive(Debug, Clone, Default, PartialEq, Eq, PartialOrd, Ord)]
pub(crate) struct Scope {
    pub by: Option<Src>,
    pub fields: Vec<RequestField>,
}

/// What is known to hold at a program point, on every path reaching it.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub(crate) enum Fact {
    /// An authentication guard passed.
    Authn,
    /// An authorization guard passed.
    Authz,
    /// An authorization guard passed that received a value derived from `Src` (as an
    /// argument, or by reading it: the guard's `params`).
    AuthzOn(Src),
    /// A value derived from `Src` is verified to belong to the tenant: an authorization
    /// guard received it, a tenant-scoped lookup returned it, or it was compared with the
    /// tenant with a mismatch leading to an exit (spec-v1 §7 rule 2).
    Verified(Src),
    /// Some guard ran (passed or not); a response after it is a guard's answer.
    RanAny,
    /// An authorization guard ran on a value derived from `Src`.
    RanOn(Src),
    /// A value derived from the first (an id, or what a lookup by it returned) was
    /// compared with one derived from the second, a mismatch leading to an exit: kept
    /// whatever the scope, so a check inside a helper (`article.authorId !== userId`)
    /// counts once the caller's arguments are known.
    Matched(Src, Src),
}

pub(crate) type Facts = BTreeSet<Fact>;

/// How a value loaded by a data access was used (load, then check: spec-v1 §7).
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum UseKind {
    /// Passed to a guard; the facts that guard establishes when it passes.
    GuardArg(Facts),
    /// Compared with the tenant value in a condition.
    Compare,
    /// Compared in a condition with a value derived from these sources (mapped into the
    /// caller like facts, so a helper's comparison with its parameter is seen from the
    /// call site).
    CompareWith(BTreeSet<Src>),
    /// Any other use: sent, passed to another call, returned.
    Other,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Use {
    pub kind: UseKind,
    pub facts: Facts,
}

/// A call that does work (data access, side effect, sink).
#[derive(Debug, Clone)]
pub(crate) struct Effect {
    /// The call itself.
    pub span: Span,
    /// Its normalised callee text: `reports.buildProjectReport`.
    pub text: String,
    /// The outermost helper call through which it was reached, with the helper's text
    /// (spec-v1 §6: it counts at the helper's call site).
    pub via: Option<(Span, String)>,
    pub cats: Cats,
    pub facts: Facts,
    /// Where the call's arguments and receiver come from.
    pub args: BTreeSet<Src>,
    /// The result is bound to a local whose uses are tracked in `uses`.
    pub bound: bool,
    pub uses: Vec<Use>,
}

impl Effect {
    /// The primary location: the helper call site when reached through a helper.
    pub fn site(&self) -> Span {
        self.via.as_ref().map(|v| v.0).unwrap_or(self.span)
    }
    /// The text at the primary location, for fingerprints.
    pub fn site_text(&self) -> &str {
        self.via
            .as_ref()
            .map(|v| v.1.as_str())
            .unwrap_or(&self.text)
    }
}

#[derive(Debug, Clone)]
pub(crate) struct RespondEv {
    pub span: Span,
    pub status: Option<u16>,
    pub facts: Facts,
}

/// A guard call, or a chain element matching a guard.
#[derive(Debug, Clone)]
pub(crate) struct GuardSite {
    pub span: Span,
    pub text: String,
    pub kind: GuardKind,
}

/// A guard that does not decide whether the request continues (`secprop/unchecked-guard`).
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub(crate) struct Unchecked {
    pub span: Span,
    pub text: String,
    pub reason: String,
}

#[derive(Debug, Clone)]
pub(crate) enum Event {
    Effect(Effect),
    Respond(RespondEv),
    Guard(GuardSite),
}

/// What a function does, relative to its entry.
#[derive(Debug, Clone, Default)]
pub(crate) struct Summary {
    /// Events in program order.
    pub events: Vec<Event>,
    pub unchecked: Vec<Unchecked>,
    /// Facts on every normal completion (return or end); `None` when it never completes
    /// normally (it always throws or denies).
    pub normal_exit: Option<Facts>,
    /// Facts on every return of a value that may be truthy.
    pub true_exit: Option<Facts>,
    /// Facts on every `next()` call (middleware).
    pub next_exit: Option<Facts>,
    /// Success responses still pending at some normal exit (see `State::pending`).
    pub pending_exit: BTreeSet<Span>,
    pub is_async: bool,
    /// Something below was cut by the depth limit: valid here, but not memoised, so a
    /// shallower caller analyses it again in full.
    pub truncated: bool,
}

/// The analysis of one route with one guard set.
#[derive(Debug, Clone, Default)]
pub(crate) struct RouteAnalysis {
    pub events: Vec<Event>,
    pub unchecked: Vec<Unchecked>,
    /// Success responses of the handler after which some path ends normally without a
    /// guard of the set passing (for `audit_event_emitted`: without an event).
    pub unfulfilled: BTreeSet<Span>,
}

impl RouteAnalysis {
    pub fn any_guard(&self) -> bool {
        self.events.iter().any(|e| matches!(e, Event::Guard(_)))
    }
    /// The first guard site recorded after event `index` whose kind is in `kinds`.
    /// The last guard site recorded before event `index` whose kind is in `kinds`.
    pub fn guard_before(&self, index: usize, kinds: &[GuardKind]) -> Option<&GuardSite> {
        self.events[..index.min(self.events.len())]
            .iter()
            .rev()
            .find_map(|e| match e {
                Event::Guard(g) if kinds.contains(&g.kind) => Some(g),
                _ => None,
            })
    }

    pub fn guard_after(&self, index: usize, kinds: &[GuardKind]) -> Option<&GuardSite> {
        self.events[index.min(self.events.len())..]
            .iter()
            .find_map(|e| match e {
                Event::Guard(g) if kinds.contains(&g.kind) => Some(g),
                _ => None,
            })
    }
}

/// A guard's result held in a value (a return-style guard, or a helper that returns
/// truthy only after a guard passed).
#[derive(Debug, Clone, PartialEq, Eq)]
struct GuardVal {
    pass: Facts,
    ran: Facts,
    /// False once compared with a literal (`ok === false`): the model keeps the operands,
    /// not the operator, so which branch means "allowed" is unknown.
    polarity_known: bool,
    awaited: bool,
    known_async: bool,
    span: Span,
    text: String,
}

#[derive(Debug, Clone, Default, PartialEq, Eq)]
struct Value {
    derive: BTreeSet<Src>,
    /// Indices (into the function's events) of data accesses this value was loaded by.
    origins: BTreeSet<usize>,
    guard: Option<GuardVal>,
}

impl Value {
    fn merge(&mut self, other: Value) {
        self.derive.extend(other.derive);
        self.origins.extend(other.origins);
        if self.guard.is_none() {
            self.guard = other.guard;
        }
    }
}

#[derive(Debug, Clone)]
struct State {
    live: bool,
    facts: Facts,
    locals: BTreeMap<String, Value>,
    /// Success responses sent on some path reaching here before any guard of the set
    /// passed (a may-set, joined by union; cleared once one passes). With a guard set
    /// made of `audit_event_emitted` events: responses still waiting for their event.
    pending: BTreeSet<Span>,
}

impl State {
    fn entry() -> State {
        State {
            live: true,
            facts: Facts::new(),
            locals: BTreeMap::new(),
            pending: BTreeSet::new(),
        }
    }
    fn dead(&self) -> State {
        State {
            live: false,
            facts: Facts::new(),
            locals: self.locals.clone(),
            pending: BTreeSet::new(),
        }
    }
}

fn join(a: State, b: State) -> State {
    if !a.live {
        return b;
    }
    if !b.live {
        return a;
    }
    let facts = a.facts.intersection(&b.facts).cloned().collect();
    let mut pending = a.pending;
    pending.extend(b.pending);
    let mut locals = a.locals;
    for (k, v) in b.locals {
        match locals.get_mut(&k) {
            Some(mine) => {
                let keep_guard = mine.guard == v.guard;
                mine.derive.extend(v.derive);
                mine.origins.extend(v.origins);
                if !keep_guard {
                    mine.guard = None;
                }
            }
            None => {
                locals.insert(k, v);
            }
        }
    }
    State {
        live: true,
        facts,
        locals,
        pending,
    }
}

fn meet(acc: &mut Option<Facts>, facts: &Facts) {
    *acc = Some(match acc.take() {
        None => facts.clone(),
        Some(a) => a.intersection(facts).cloned().collect(),
    });
}

/// How the value of an expression is used by its context.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Ctxt {
    Discard,
    Bind,
    Cond,
    Return,
    Arg { log: bool },
    Other,
}

/// Per-function accumulator.
#[derive(Default)]
struct FnCx {
    /// The statement being analysed: where an inline guard's test is recorded.
    stmt_span: Option<Span>,
    events: Vec<Event>,
    unchecked: Vec<Unchecked>,
    normal_exit: Option<Facts>,
    true_exit: Option<Facts>,
    next_exit: Option<Facts>,
    /// Guard results bound to locals, and whether some condition or return looked at them.
    bound_guards: Vec<(Span, String)>,
    checked_guards: BTreeSet<Span>,
    /// A callee's summary was cut by the depth limit.
    truncated: bool,
    pending_exit: BTreeSet<Span>,
}

impl FnCx {
    fn add_use(&mut self, origins: &BTreeSet<usize>, kind: UseKind, facts: &Facts) {
        for &i in origins {
            if let Some(Event::Effect(e)) = self.events.get_mut(i) {
                e.uses.push(Use {
                    kind: kind.clone(),
                    facts: facts.clone(),
                });
            }
        }
    }
}

/// Helpers are followed this many calls deep (spec-v1 §6 asks for at least three).
const MAX_DEPTH: usize = 16;

/// Runs the analysis for one project and one guard set; summaries are memoised.
pub(crate) struct Analyzer<'a> {
    project: &'a Project,
    ctx: &'a Ctx,
    guards: &'a [GuardDef],
    /// The value objects are scoped by, for scoped lookups and comparisons, and the
    /// request fields read as parameters.
    scope: Scope,
    memo: BTreeMap<FnId, Rc<Summary>>,
    in_progress: BTreeSet<FnId>,
    depth: usize,
    /// Which project functions a call enters (`forbidden_calls` `allowed_in`); `None`:
    /// every one. A call into a function not entered is opaque, like a library's.
    enters: Option<Box<dyn Fn(FnId) -> bool + 'a>>,
}

impl<'a> Analyzer<'a> {
    pub fn new(
        project: &'a Project,
        ctx: &'a Ctx,
        guards: &'a [GuardDef],
        scope: Scope,
    ) -> Analyzer<'a> {
        Analyzer {
            project,
            ctx,
            guards,
            scope,
            memo: BTreeMap::new(),
            in_progress: BTreeSet::new(),
            depth: 0,
            enters: None,
        }
    }

    /// Enters only the project functions `enters` accepts; calls into the others are
    /// opaque (a sanctioned layer is not looked into).
    pub fn entering(mut self, enters: impl Fn(FnId) -> bool + 'a) -> Analyzer<'a> {
        self.enters = Some(Box::new(enters));
        self
    }

    /// Analyses a route: its chain in order, then its handler (spec-v1 §6).
    pub fn route(&mut self, route: &Route) -> RouteAnalysis {
        let mut fx = FnCx::default();
        let mut facts = Facts::new();
        let mut live = true;
        for el in &route.chain {
            if let Some(g) = self
                .guards
                .iter()
                .find(|g| g.pattern.as_ref().is_some_and(|p| element_matches(p, el)))
            {
                // Chain elements deny by raise: once it ran, it passed. A project
                // middleware reading a route parameter checks that parameter (spec-v1 §6
                // `params`: "the analysis also detects this where it can see it").
                let args = el.function.map(|f| self.reads(f)).unwrap_or_default();
                let (pass, ran) = guard_facts(g, &args);
                facts.extend(ran);
                facts.extend(pass);
                fx.events.push(Event::Guard(GuardSite {
                    span: el.span,
                    text: el
                        .names
                        .first()
                        .or(el.factory.first())
                        .cloned()
                        .unwrap_or_default(),
                    kind: g.kind,
                }));
            } else if self.ctx.is_atomic(&el.names) || self.ctx.is_atomic(&el.factory) {
                // A context pattern other than a guard of this set: never descend.
            } else if let Some(f) = el.function {
                let s = self.summary(f);
                let map = self.param_bound_map(route, el);
                append_events(&mut fx, &s, &facts, &map, None);
                if el.may_apply {
                    // It may not run: its effects count, what it proves does not.
                    continue;
                }
                match s.next_exit.as_ref().or(s.normal_exit.as_ref()) {
                    Some(after) => facts.extend(map_facts(after, &map)),
                    // Never continues: the handler is unreachable through this chain.
                    None => live = false,
                }
            }
        }
        let mut unfulfilled = BTreeSet::new();
        if live && let Some(h) = route.handler {
            let s = self.summary(h);
            append_events(&mut fx, &s, &facts, &BTreeMap::new(), None);
            if !facts.contains(&Fact::Authz) {
                unfulfilled = s.pending_exit.clone();
            }
        }
        let mut unchecked = fx.unchecked;
        unchecked.sort();
        unchecked.dedup();
        RouteAnalysis {
            events: fx.events,
            unchecked,
            unfulfilled,
        }
    }

    /// For an element bound to a route parameter (Express `router.param`), what the
    /// function parameter receiving the value stands for: that route parameter. The
    /// frontend says which parameter it is bound to and which argument receives it.
    fn param_bound_map(&self, route: &Route, el: &ChainElement) -> BTreeMap<u32, BTreeSet<Src>> {
        let mut map = BTreeMap::new();
        if let ChainKind::ParamBound { param, arg } = &el.kind
            && route.params().contains(&param.as_str())
        {
            map.insert(*arg, BTreeSet::from([Src::Param(param.clone())]));
        }
        map
    }

    /// The summary of a project function, computed once; cycles and excessive depth
    /// yield an empty summary (nothing known, nothing proven).
    pub fn summary(&mut self, id: FnId) -> Rc<Summary> {
        if let Some(s) = self.memo.get(&id) {
            return s.clone();
        }
        let Some(f) = self.project.functions.get(id.0 as usize) else {
            return Rc::new(empty_summary());
        };
        if self.in_progress.contains(&id) {
            return Rc::new(empty_summary());
        }
        if self.depth >= MAX_DEPTH {
            return Rc::new(Summary {
                truncated: true,
                ..empty_summary()
            });
        }
        self.in_progress.insert(id);
        self.depth += 1;
        let mut fx = FnCx::default();
        let mut st = State::entry();
        for (i, p) in f.params.iter().enumerate() {
            st.locals.insert(
                p.name.clone(),
                Value {
                    derive: BTreeSet::from([Src::Arg(i as u32)]),
                    ..Value::default()
                },
            );
        }
        let end = self.block(&mut fx, &f.body, st);
        if end.live {
            meet(&mut fx.normal_exit, &end.facts);
            fx.pending_exit.extend(end.pending);
        }
        for (span, text) in std::mem::take(&mut fx.bound_guards) {
            if !fx.checked_guards.contains(&span) {
                fx.unchecked.push(Unchecked {
                    span,
                    text: text.clone(),
                    reason: format!(
                        "the result of `{text}` is never checked, so a denial does not stop the request"
                    ),
                });
            }
        }
        let summary = Rc::new(Summary {
            events: fx.events,
            unchecked: fx.unchecked,
            normal_exit: fx.normal_exit,
            true_exit: fx.true_exit,
            next_exit: fx.next_exit,
            pending_exit: fx.pending_exit,
            is_async: f.is_async || is_async_type(f.return_type.as_deref()),
            truncated: fx.truncated,
        });
        self.depth -= 1;
        self.in_progress.remove(&id);
        if !summary.truncated {
            self.memo.insert(id, summary.clone());
        }
        summary
    }

    fn block(&mut self, fx: &mut FnCx, stmts: &[Stmt], mut st: State) -> State {
        for s in stmts {
            if !st.live {
                break;
            }
            st = self.stmt(fx, s, st);
            if st.facts.contains(&Fact::Authz) {
                st.pending.clear();
            }
        }
        st
    }

    fn stmt(&mut self, fx: &mut FnCx, s: &Stmt, st: State) -> State {
        fx.stmt_span = Some(s.span);
        match &s.kind {
            StmtKind::Expr(e) => {
                let (st, v) = self.eval(fx, e, st, Ctxt::Discard);
                if let Some(g) = v.guard
                    && is_direct_call(e)
                {
                    fx.unchecked.push(Unchecked {
                        span: g.span,
                        text: g.text.clone(),
                        reason: format!(
                            "the result of `{}` is discarded, so a denial does not stop the request",
                            g.text
                        ),
                    });
                }
                st
            }
            StmtKind::Let { name, value } => {
                let (mut st, mut v) = self.eval(fx, value, st, Ctxt::Bind);
                if let Some(g) = &v.guard {
                    fx.bound_guards.push((g.span, g.text.clone()));
                }
                // Only a direct load makes the local a loaded object worth tracking.
                if let Some(c) = direct_call(value)
                    && let Some(Event::Effect(e)) = fx.events.last_mut()
                    && e.span == c.span
                    && e.via.is_none()
                {
                    e.bound = true;
                    v.origins.insert(fx.events.len() - 1);
                }
                st.locals.insert(name.clone(), v);
                st
            }
            StmtKind::If {
                cond,
                then_branch,
                else_branch,
            } => {
                let mut every = Vec::new();
                comparison_leaves(cond, None, &mut every);
                let facts = st.facts.clone();
                for e in &every {
                    if let Some((origins, _)) = self.tenant_comparison(e, &st) {
                        fx.add_use(&origins, UseKind::Compare, &facts);
                    }
                    if let Some((a, b)) = self.compared(e, &st) {
                        fx.add_use(&a.origins, UseKind::CompareWith(b.derive.clone()), &facts);
                        fx.add_use(&b.origins, UseKind::CompareWith(a.derive), &facts);
                    }
                }
                // The comparisons known to hold where the condition is true, and false.
                let (mut on_true, mut on_false) = (Vec::new(), Vec::new());
                comparison_leaves(cond, Some(true), &mut on_true);
                comparison_leaves(cond, Some(false), &mut on_false);
                let before = st.clone();
                let (t, f) = self.cond(fx, cond, st);
                let mut t = self.block(fx, then_branch, t);
                let mut f = self.block(fx, else_branch, f);
                // A mismatch leading to an exit verifies the object on the path that
                // continues (spec-v1 §7 rule 2). The operator is not in the model, so
                // either polarity counts.
                let held = if !t.live && f.live {
                    Some((&mut f, on_false))
                } else if !f.live && t.live {
                    Some((&mut t, on_true))
                } else {
                    None
                };
                if let Some((live, leaves)) = held {
                    for e in leaves {
                        if let Some((_, objects)) = self.tenant_comparison(e, &before) {
                            live.facts.extend(objects.into_iter().map(Fact::Verified));
                        }
                        if let Some((a, b)) = self.compared(e, &before) {
                            for x in &a.derive {
                                for y in b.derive.iter().filter(|y| *y != x) {
                                    live.facts.insert(Fact::Matched(x.clone(), y.clone()));
                                    live.facts.insert(Fact::Matched(y.clone(), x.clone()));
                                }
                            }
                        }
                    }
                }
                join(t, f)
            }
            StmtKind::Return(e) => {
                let mut st = st;
                // `return` alone, `return false` / `null` / `0` / `''` are falsy.
                let mut truthy = e.as_ref().is_some_and(|e| !is_falsy_literal(e));
                if let Some(e) = e {
                    let (s2, v) = self.eval(fx, e, st, Ctxt::Return);
                    st = s2;
                    fx.add_use(&v.origins, UseKind::Other, &st.facts);
                    if let Some(g) = v.guard {
                        // A guard's result returned to the caller: truthy means passed.
                        // Returning the Promise hands the caller the result to await.
                        fx.checked_guards.insert(g.span);
                        let mut facts = st.facts.clone();
                        facts.extend(g.pass);
                        meet(&mut fx.true_exit, &facts);
                        truthy = false;
                    }
                }
                meet(&mut fx.normal_exit, &st.facts);
                if !st.facts.contains(&Fact::Authz) {
                    fx.pending_exit.extend(st.pending.iter().copied());
                }
                if truthy {
                    meet(&mut fx.true_exit, &st.facts);
                }
                st.dead()
            }
            StmtKind::Throw(e) => {
                let (st, _) = self.eval(fx, e, st, Ctxt::Other);
                st.dead()
            }
            StmtKind::Try {
                body,
                catch_param,
                catch_body,
                finally_body,
            } => {
                let entry = st.clone();
                let after_body = self.block(fx, body, st);
                let has_catch = catch_param.is_some() || !catch_body.is_empty();
                let mut joined = if has_catch {
                    // A throw anywhere in the body lands here: only the entry's facts hold.
                    let mut start = join(entry.clone(), after_body.clone());
                    start.live = entry.live;
                    start.facts = entry.facts.clone();
                    if let Some(p) = catch_param {
                        start.locals.insert(p.clone(), Value::default());
                    }
                    let after_catch = self.block(fx, catch_body, start);
                    join(after_body, after_catch)
                } else {
                    after_body
                };
                if !finally_body.is_empty() {
                    let live = joined.live;
                    let start = if live {
                        joined
                    } else {
                        let mut e = entry;
                        e.live = true;
                        e
                    };
                    joined = self.block(fx, finally_body, start);
                    if !live {
                        joined = joined.dead();
                    }
                }
                joined
            }
            StmtKind::Loop { body } => {
                let after = self.block(fx, body, st.clone());
                join(st, after)
            }
            StmtKind::Respond(r) => {
                let mut st = st;
                if let Some(p) = &r.payload {
                    let (s2, v) = self.eval(fx, p, st, Ctxt::Other);
                    st = s2;
                    fx.add_use(&v.origins, UseKind::Other, &st.facts);
                }
                if !r.sends {
                    // A header or cookie shapes the response; it does not answer.
                    return st;
                }
                fx.events.push(Event::Respond(RespondEv {
                    span: s.span,
                    status: r.status,
                    facts: st.facts.clone(),
                }));
                let success = r.status.is_none_or(|c| (200..300).contains(&c));
                if success && !st.facts.contains(&Fact::Authz) {
                    st.pending.insert(s.span);
                }
                st
            }
            StmtKind::Continue { err } => match err {
                Some(e) => {
                    let (st, _) = self.eval(fx, e, st, Ctxt::Other);
                    st.dead()
                }
                None => {
                    meet(&mut fx.next_exit, &st.facts);
                    st
                }
            },
        }
    }

    /// Evaluates a condition into the states where it is true and where it is false,
    /// per short-circuit path (spec-v1 §6); a test of an inline guard's value passes it
    /// on the branch where the test holds.
    fn cond(&mut self, fx: &mut FnCx, c: &Cond, st: State) -> (State, State) {
        let (mut t, mut f) = self.cond_calls(fx, c, st);
        // (where the value guard holds, where it fails)
        let (holds, fails) = match c {
            Cond::Expr(e) => (self.value_guards(e, None), Vec::new()),
            Cond::Compare { value, literal, .. } => (
                self.value_guards(value, Some(literal)),
                // `x == null` holds where a truthiness guard on `x` fails.
                if *literal == Literal::Null {
                    self.value_guards(value, None)
                } else {
                    Vec::new()
                },
            ),
            _ => (Vec::new(), Vec::new()),
        };
        let negated = matches!(c, Cond::Compare { negated: true, .. });
        let (eq, ne) = if negated {
            (&mut f, &mut t)
        } else {
            (&mut t, &mut f)
        };
        for (g, pass_on_eq) in holds
            .into_iter()
            .map(|g| (g, true))
            .chain(fails.into_iter().map(|g| (g, false)))
        {
            if let Some(span) = fx.stmt_span
                && (eq.live || ne.live)
            {
                fx.events.push(Event::Guard(GuardSite {
                    span,
                    text: g
                        .value
                        .as_ref()
                        .map(|v| v.path.join("."))
                        .unwrap_or_default(),
                    kind: g.kind,
                }));
            }
            let (pass, ran) = guard_facts(g, &BTreeSet::new());
            let (yes, no) = if pass_on_eq {
                (&mut *eq, &mut *ne)
            } else {
                (&mut *ne, &mut *eq)
            };
            if yes.live {
                yes.facts.extend(pass);
            }
            if no.live {
                no.facts.extend(ran);
            }
        }
        (t, f)
    }

    /// The inline guards of the set that `e` tests: by truthiness (`lit` `None`) or by
    /// equality with `lit`.
    fn value_guards(&self, e: &Expr, lit: Option<&Literal>) -> Vec<&'a GuardDef> {
        self.guards
            .iter()
            .filter(|g| {
                g.value.as_ref().is_some_and(|v| {
                    v.reads(e)
                        && match lit {
                            None => v.equals.is_none(),
                            Some(l) => v.equals(l),
                        }
                })
            })
            .collect()
    }

    fn cond_calls(&mut self, fx: &mut FnCx, c: &Cond, st: State) -> (State, State) {
        match c {
            Cond::Compare { value, literal, .. } => {
                // Seen like any comparison: a guard call compared with a literal still
                // counts as it did before comparisons were visible.
                let opaque = Cond::Expr(Expr::Unknown(vec![
                    value.clone(),
                    Expr::Literal(literal.clone()),
                ]));
                self.cond_calls(fx, &opaque, st)
            }
            Cond::And(a, b) => {
                let (ta, fa) = self.cond(fx, a, st);
                let (tb, fb) = self.cond(fx, b, ta);
                (tb, join(fa, fb))
            }
            Cond::Or(a, b) => {
                let (ta, fa) = self.cond(fx, a, st);
                let (tb, fb) = self.cond(fx, b, fa);
                (join(ta, tb), fb)
            }
            Cond::Not(a) => {
                let (t, f) = self.cond(fx, a, st);
                (f, t)
            }
            Cond::Expr(e) => {
                if !st.live {
                    return (st.clone(), st);
                }
                let (st, v) = self.eval(fx, e, st, Ctxt::Cond);
                let Some(g) = v.guard else {
                    return (st.clone(), st);
                };
                fx.checked_guards.insert(g.span);
                let mut t = st.clone();
                let mut f = st;
                t.facts.extend(g.ran.iter().cloned());
                f.facts.extend(g.ran.iter().cloned());
                if (g.awaited || !g.known_async) && !g.polarity_known {
                    // Both branches follow the check; neither is known to be the denial.
                    t.facts.extend(g.pass.iter().cloned());
                    f.facts.extend(g.pass);
                } else if g.awaited || !g.known_async {
                    t.facts.extend(g.pass);
                } else {
                    fx.unchecked.push(Unchecked {
                        span: g.span,
                        text: g.text.clone(),
                        reason: format!(
                            "`{}` is async and not awaited: a Promise is always truthy, so the check never fails",
                            g.text
                        ),
                    });
                }
                (t, f)
            }
        }
    }

    /// The two sides of a comparison of two values (`a !== b`, `a === b`: the model keeps
    /// the operands), when both derive from something tracked.
    fn compared(&self, e: &Expr, st: &State) -> Option<(Value, Value)> {
        let Expr::Unknown(items) = e else { return None };
        let [x, y] = items.as_slice() else {
            return None;
        };
        let (a, b) = (self.peek(x, st), self.peek(y, st));
        let tracked = |v: &Value| !v.derive.is_empty() || !v.origins.is_empty();
        (tracked(&a) && tracked(&b) && a.derive != b.derive).then_some((a, b))
    }

    /// Recognises `obj.tenantId !== tenant` (an expression comparing a value derived from
    /// the scope, the tenant or the caller, with one derived from another route parameter
    /// or a loaded object).
    fn tenant_comparison(&self, e: &Expr, st: &State) -> Option<(BTreeSet<usize>, BTreeSet<Src>)> {
        let tenant = self.scope.by.clone()?;
        let Expr::Unknown(items) = e else { return None };
        if items.len() != 2 {
            return None;
        }
        let a = self.peek(&items[0], st);
        let b = self.peek(&items[1], st);
        let (tv, ov) = if a.derive.contains(&tenant) && !b.derive.contains(&tenant) {
            (a, b)
        } else if b.derive.contains(&tenant) && !a.derive.contains(&tenant) {
            (b, a)
        } else {
            return None;
        };
        let _ = tv;
        let objects: BTreeSet<Src> = ov
            .derive
            .iter()
            .filter(|s| matches!(s, Src::Param(_)))
            .cloned()
            .collect();
        if objects.is_empty() && ov.origins.is_empty() {
            return None;
        }
        Some((ov.origins, objects))
    }

    fn eval(&mut self, fx: &mut FnCx, e: &Expr, st: State, cx: Ctxt) -> (State, Value) {
        match e {
            Expr::RouteParam(p) => (
                st,
                Value {
                    derive: BTreeSet::from([Src::Param(p.clone())]),
                    ..Value::default()
                },
            ),
            Expr::RequestPart { part, path } => (
                st,
                Value {
                    derive: self.part_srcs(part, path),
                    ..Value::default()
                },
            ),
            Expr::Literal(_) => (st, Value::default()),
            Expr::Local(name) => {
                let v = st.locals.get(name).cloned().unwrap_or_default();
                (st, v)
            }
            // `result.allowed` still carries the guard's answer.
            Expr::Field { base, .. } => self.eval(fx, base, st, Ctxt::Other),
            // The rest of a destructuring derives from what it was taken from.
            Expr::Omit { base, .. } => self.eval(fx, base, st, Ctxt::Other),
            Expr::Typed { value, .. } => self.eval(fx, value, st, cx),
            Expr::Await(inner) => {
                let (st, mut v) = self.eval(fx, inner, st, cx);
                if let Some(g) = &mut v.guard {
                    g.awaited = true;
                }
                (st, v)
            }
            Expr::Object { fields, spreads } => {
                let mut st = st;
                let mut out = Value::default();
                for x in fields.iter().map(|(_, v)| v).chain(spreads) {
                    let (s2, mut v) = self.eval(fx, x, st, Ctxt::Other);
                    st = s2;
                    if let Some(g) = v.guard.take() {
                        fx.checked_guards.insert(g.span);
                    }
                    out.merge(v);
                }
                (st, out)
            }
            Expr::Array(items) | Expr::Template(items) | Expr::Unknown(items) => {
                let mut st = st;
                let mut out = Value::default();
                let mut guards = Vec::new();
                for x in items {
                    let (s2, mut v) = self.eval(fx, x, st, Ctxt::Other);
                    st = s2;
                    if let Some(g) = v.guard.take() {
                        guards.push(g);
                    }
                    out.merge(v);
                }
                let only_literals = items
                    .iter()
                    .filter(|x| !matches!(x, Expr::Literal(_)))
                    .count()
                    == 1;
                if matches!(e, Expr::Unknown(_)) && guards.len() == 1 && only_literals {
                    // `ok === false` / `ok !== true`: still the guard's answer, but the
                    // operator is not in the model, so the branch that allows is unknown.
                    out.guard = guards.pop().map(|g| GuardVal {
                        polarity_known: false,
                        ..g
                    });
                } else {
                    // Combined into something else: whoever uses it decides; never
                    // report it as unchecked.
                    for g in guards {
                        fx.checked_guards.insert(g.span);
                    }
                }
                (st, out)
            }
            Expr::Function(fid) => {
                // A callback's calls count where it is written (spec-v1 §4); what it proves
                // does not flow out, since when it runs is unknown.
                let s = self.summary(*fid);
                append_events(fx, &s, &st.facts, &BTreeMap::new(), None);
                (st, Value::default())
            }
            Expr::Call(c) => self.call(fx, c, st, cx),
        }
    }

    fn call(&mut self, fx: &mut FnCx, c: &Call, st: State, cx: Ctxt) -> (State, Value) {
        let (mut st, v) = self.call_itself(fx, c, st, cx);
        // An inline callback runs after the call it is passed to (`db.save(x, () =>
        // db.find(y))`): its calls come after the call's own event, so the first offending
        // call on the path is the one that takes the callback.
        for a in c.args.iter().filter(|a| matches!(a, Expr::Function(_))) {
            st = self.eval(fx, a, st, Ctxt::Other).0;
        }
        (st, v)
    }

    /// A call with its receiver and arguments, except inline callbacks (see [`Self::call`]).
    fn call_itself(&mut self, fx: &mut FnCx, c: &Call, st: State, cx: Ctxt) -> (State, Value) {
        let guard = guard_for_call(self.guards, c);
        let atomic = guard.is_some() || self.ctx.is_atomic(&c.names);
        let cats = if atomic {
            self.ctx.cats(&c.names)
        } else {
            Cats::default()
        };
        let arg_cx = Ctxt::Arg { log: cats.is_log() };
        let mut st = st;
        // Arguments run before the call; keep each one's value for mapping and uses.
        let mut vals: Vec<Value> = Vec::with_capacity(c.args.len());
        let mut recv = Value::default();
        if let Some(r) = &c.receiver {
            let (s2, v) = self.eval(fx, r, st, Ctxt::Other);
            st = s2;
            recv = v;
        }
        for a in &c.args {
            if matches!(a, Expr::Function(_)) {
                vals.push(Value::default());
                continue;
            }
            let (s2, v) = self.eval(fx, a, st, arg_cx);
            st = s2;
            if let Some(g) = &v.guard
                && matches!(arg_cx, Ctxt::Arg { log: true })
            {
                fx.unchecked.push(Unchecked {
                    span: g.span,
                    text: g.text.clone(),
                    reason: format!(
                        "the result of `{}` is only logged, so a denial does not stop the request",
                        g.text
                    ),
                });
                fx.checked_guards.insert(g.span);
            } else if let Some(g) = &v.guard {
                // Handed to another call, which decides.
                fx.checked_guards.insert(g.span);
            }
            vals.push(v);
        }
        let mut all_derive: BTreeSet<Src> = recv.derive.clone();
        let mut all_origins: BTreeSet<usize> = recv.origins.clone();
        for v in &vals {
            all_derive.extend(v.derive.iter().cloned());
            all_origins.extend(v.origins.iter().cloned());
        }
        let callee = c
            .callee
            .and_then(|id| self.project.functions.get(id.0 as usize));
        let known_async = callee
            .map(|f| f.is_async || is_async_type(f.return_type.as_deref()))
            .unwrap_or(false);

        if let Some(g) = guard {
            let mut on = all_derive.clone();
            if let Some(id) = c.callee {
                on.extend(self.reads(id));
            }
            let (pass, ran) = guard_facts(g, &on);
            fx.add_use(&all_origins, UseKind::GuardArg(pass.clone()), &st.facts);
            fx.events.push(Event::Guard(GuardSite {
                span: c.span,
                text: c.text.clone(),
                kind: g.kind,
            }));
            let denies_by = g.denies_by.unwrap_or_else(|| match callee {
                // No declared type, but the body is visible: a guard that never returns a
                // value can only deny by throwing.
                Some(f) if f.return_type.is_none() && !returns_value(&f.body) => DeniesBy::Raise,
                _ => infer_denies_by(callee.and_then(|f| f.return_type.as_deref())),
            });
            return match denies_by {
                DeniesBy::Raise => {
                    if c.awaited || !known_async || g.plain_call {
                        st.facts.extend(ran);
                        st.facts.extend(pass);
                    } else if cx != Ctxt::Return {
                        fx.unchecked.push(Unchecked {
                            span: c.span,
                            text: c.text.clone(),
                            reason: format!(
                                "`{}` is async and not awaited, so its rejection does not stop the request",
                                c.text
                            ),
                        });
                    }
                    (st, Value::default())
                }
                DeniesBy::Return => (
                    st,
                    Value {
                        guard: Some(GuardVal {
                            pass,
                            ran,
                            polarity_known: true,
                            awaited: c.awaited,
                            known_async,
                            span: c.span,
                            text: c.text.clone(),
                        }),
                        ..Value::default()
                    },
                ),
            };
        }

        if atomic {
            if !cats.is_empty() {
                fx.add_use(&all_origins, UseKind::Other, &st.facts);
                fx.events.push(Event::Effect(Effect {
                    span: c.span,
                    text: c.text.clone(),
                    via: None,
                    cats,
                    facts: st.facts.clone(),
                    args: all_derive.clone(),
                    bound: false,
                    uses: Vec::new(),
                }));
                // A lookup scoped by the tenant (or an already verified value) verifies the
                // other route parameters it received (spec-v1 §7 rule 2).
                if let Some(t) = &self.scope.by {
                    let scoped = all_derive.contains(t);
                    if scoped {
                        for s in &all_derive {
                            if s != t && matches!(s, Src::Param(_)) {
                                st.facts.insert(Fact::Verified(s.clone()));
                            }
                        }
                    }
                }
            } else {
                fx.add_use(&all_origins, UseKind::Other, &st.facts);
            }
            return (
                st,
                Value {
                    derive: all_derive,
                    ..Value::default()
                },
            );
        }

        fx.add_use(&all_origins, UseKind::Other, &st.facts);
        let entered = c
            .callee
            .filter(|id| self.enters.as_ref().is_none_or(|enters| enters(*id)));
        let Some(id) = entered else {
            return (
                st,
                Value {
                    derive: all_derive,
                    ..Value::default()
                },
            );
        };
        let s = self.summary(id);
        let mut map: BTreeMap<u32, BTreeSet<Src>> = BTreeMap::new();
        for (i, v) in vals.iter().enumerate() {
            map.insert(i as u32, v.derive.clone());
        }
        append_events(fx, &s, &st.facts, &map, Some((c.span, c.text.clone())));
        if !st.facts.contains(&Fact::Authz) {
            st.pending.extend(s.pending_exit.iter().copied());
        }
        let proves = |f: &Facts| f.iter().any(|x| matches!(x, Fact::Authn | Fact::Authz));
        let completes = c.awaited || !s.is_async;
        let mut value = Value {
            derive: all_derive,
            ..Value::default()
        };
        match &s.normal_exit {
            None => {
                // Never returns normally: it always throws or denies.
                if completes {
                    return (st.dead(), value);
                }
            }
            Some(exit) => {
                if completes {
                    st.facts.extend(map_facts(exit, &map));
                } else if proves(exit) && cx != Ctxt::Return {
                    fx.unchecked.push(Unchecked {
                        span: c.span,
                        text: c.text.clone(),
                        reason: format!(
                            "`{}` checks authorization but is async and not awaited, so its rejection does not stop the request",
                            c.text
                        ),
                    });
                }
            }
        }
        if let Some(t) = &s.true_exit {
            let t = map_facts(t, &map);
            let base = s
                .normal_exit
                .as_ref()
                .map(|n| map_facts(n, &map))
                .unwrap_or_default();
            if proves(&t) && !t.is_subset(&base) {
                let ran: Facts = t
                    .iter()
                    .filter(|f| matches!(f, Fact::RanAny | Fact::RanOn(_)))
                    .cloned()
                    .collect();
                value.guard = Some(GuardVal {
                    pass: t,
                    ran,
                    polarity_known: true,
                    awaited: c.awaited,
                    known_async: s.is_async,
                    span: c.span,
                    text: c.text.clone(),
                });
            }
        }
        (st, value)
    }
}

fn empty_summary() -> Summary {
    Summary {
        normal_exit: Some(Facts::new()),
        ..Summary::default()
    }
}

/// The facts a guard establishes when it passes, and those that hold once it ran.
fn guard_facts(g: &GuardDef, args: &BTreeSet<Src>) -> (Facts, Facts) {
    let mut pass = Facts::new();
    let mut ran = Facts::from([Fact::RanAny]);
    let mut on: BTreeSet<Src> = args.clone();
    on.extend(g.params.iter().map(|p| Src::Param(p.clone())));
    match g.kind {
        GuardKind::Authentication => {
            pass.insert(Fact::Authn);
        }
        GuardKind::Authorization => {
            pass.insert(Fact::Authz);
            for s in on {
                pass.insert(Fact::AuthzOn(s.clone()));
                pass.insert(Fact::Verified(s.clone()));
                ran.insert(Fact::RanOn(s));
            }
        }
    }
    pass.extend(ran.iter().cloned());
    (pass, ran)
}

fn map_src(s: &Src, map: &BTreeMap<u32, BTreeSet<Src>>) -> Vec<Src> {
    match s {
        Src::Param(_) | Src::Caller => vec![s.clone()],
        Src::Arg(i) => map
            .get(i)
            .map(|d| d.iter().cloned().collect())
            .unwrap_or_default(),
    }
}

/// Maps a callee's facts into the caller: facts about parameter `i` become facts about
/// what the caller passed as argument `i`.
fn map_facts(facts: &Facts, map: &BTreeMap<u32, BTreeSet<Src>>) -> Facts {
    let mut out = Facts::new();
    for f in facts {
        match f {
            Fact::Authn | Fact::Authz | Fact::RanAny => {
                out.insert(f.clone());
            }
            Fact::AuthzOn(s) => out.extend(map_src(s, map).into_iter().map(Fact::AuthzOn)),
            Fact::Verified(s) => out.extend(map_src(s, map).into_iter().map(Fact::Verified)),
            Fact::RanOn(s) => out.extend(map_src(s, map).into_iter().map(Fact::RanOn)),
            Fact::Matched(a, b) => {
                for x in map_src(a, map) {
                    for y in map_src(b, map) {
                        out.insert(Fact::Matched(x.clone(), y));
                    }
                }
            }
        }
    }
    out
}

/// Appends a callee's events at the current point, under the caller's facts.
fn append_events(
    fx: &mut FnCx,
    s: &Summary,
    facts: &Facts,
    map: &BTreeMap<u32, BTreeSet<Src>>,
    via: Option<(Span, String)>,
) {
    let lift = |f: &Facts| -> Facts {
        let mut out = facts.clone();
        out.extend(map_facts(f, map));
        out
    };
    fx.truncated |= s.truncated;
    // Through a helper call every inner event lands on this one call site: an inner
    // event reached along several inner paths with the same facts is the same event
    // here. Dropping those repeats keeps nested helpers from multiplying events.
    let mut seen: BTreeSet<(u8, Span, Facts)> = BTreeSet::new();
    for e in &s.events {
        let ev = match e {
            Event::Effect(x) => Event::Effect(Effect {
                span: x.span,
                text: x.text.clone(),
                via: via.clone().or_else(|| x.via.clone()),
                cats: x.cats.clone(),
                facts: lift(&x.facts),
                args: x.args.iter().flat_map(|a| map_src(a, map)).collect(),
                bound: x.bound,
                uses: x
                    .uses
                    .iter()
                    .map(|u| Use {
                        kind: match &u.kind {
                            UseKind::GuardArg(f) => UseKind::GuardArg(lift(f)),
                            UseKind::CompareWith(with) => UseKind::CompareWith(
                                with.iter().flat_map(|a| map_src(a, map)).collect(),
                            ),
                            k => k.clone(),
                        },
                        facts: lift(&u.facts),
                    })
                    .collect(),
            }),
            Event::Respond(r) => Event::Respond(RespondEv {
                span: r.span,
                status: r.status,
                facts: lift(&r.facts),
            }),
            Event::Guard(g) => Event::Guard(g.clone()),
        };
        if via.is_some() {
            let key = match &ev {
                Event::Effect(x) => (0, x.span, x.facts.clone()),
                Event::Respond(r) => (1, r.span, r.facts.clone()),
                Event::Guard(g) => (2, g.span, Facts::new()),
            };
            if !seen.insert(key) {
                continue;
            }
        }
        fx.events.push(ev);
    }
    fx.unchecked.extend(s.unchecked.iter().cloned());
}

/// Whether a body returns a value anywhere (nested blocks included, inline functions
/// not).
fn returns_value(body: &[Stmt]) -> bool {
    body.iter().any(|s| match &s.kind {
        StmtKind::Return(Some(_)) => true,
        StmtKind::If {
            then_branch,
            else_branch,
            ..
        } => returns_value(then_branch) || returns_value(else_branch),
        StmtKind::Try {
            body,
            catch_body,
            finally_body,
            ..
        } => returns_value(body) || returns_value(catch_body) || returns_value(finally_body),
        StmtKind::Loop { body } => returns_value(body),
        _ => false,
    })
}

impl Analyzer<'_> {
    /// What a read of request part `part` at `path` derives from: the binding's request
    /// fields it may read (the field, below it, or a whole value holding it), and the
    /// caller's identity.
    fn part_srcs(&self, part: &str, path: &[String]) -> BTreeSet<Src> {
        let mut out: BTreeSet<Src> = self
            .scope
            .fields
            .iter()
            .filter(|f| f.read_by(part, path))
            .map(|f| Src::Param(f.to_string()))
            .collect();
        if self.ctx.is_caller(part, path) {
            out.insert(Src::Caller);
        }
        out
    }

    /// The route parameters and request fields of the binding a function reads directly
    /// (`req.params.projectId`, `req.body.projectId`): a middleware or guard reading one
    /// checks it (spec-v1 §6 `params`).
    fn reads(&self, id: FnId) -> BTreeSet<Src> {
        let mut out = BTreeSet::new();
        if let Some(f) = self.project.functions.get(id.0 as usize) {
            secprop_model::walk_exprs(&f.body, &mut |e| match e {
                Expr::RouteParam(p) => {
                    out.insert(Src::Param(p.clone()));
                }
                Expr::RequestPart { part, path } => out.extend(
                    self.part_srcs(part, path)
                        .into_iter()
                        .filter(|s| *s != Src::Caller),
                ),
                _ => {}
            });
        }
        out
    }

    /// What an expression derives from, without recording anything (for condition shapes).
    fn peek(&self, e: &Expr, st: &State) -> Value {
        let mut v = Value::default();
        secprop_model::walk_expr(e, &mut |x| match x {
            Expr::RouteParam(p) => {
                v.derive.insert(Src::Param(p.clone()));
            }
            Expr::RequestPart { part, path } => v.derive.extend(self.part_srcs(part, path)),
            Expr::Local(n) => {
                if let Some(l) = st.locals.get(n) {
                    v.derive.extend(l.derive.iter().cloned());
                    v.origins.extend(l.origins.iter().cloned());
                }
            }
            _ => {}
        });
        v
    }
}

/// The two-sided comparisons (`Expr::Unknown([a, b])`) of a condition: with `holds`
/// `Some(true)`, those known to have held where it is true (the conjuncts), `Some(false)`
/// where it is false (the disjuncts); `None`: every one. The operator is not in the
/// model, so a negation only swaps which connective is looked through.
fn comparison_leaves<'c>(c: &'c Cond, holds: Option<bool>, out: &mut Vec<&'c Expr>) {
    match c {
        Cond::Expr(e) => out.push(e),
        Cond::Not(x) => comparison_leaves(x, holds.map(|h| !h), out),
        Cond::And(a, b) if holds != Some(false) => {
            comparison_leaves(a, holds, out);
            comparison_leaves(b, holds, out);
        }
        Cond::Or(a, b) if holds != Some(true) => {
            comparison_leaves(a, holds, out);
            comparison_leaves(b, holds, out);
        }
        Cond::And(..) | Cond::Or(..) | Cond::Compare { .. } => {}
    }
}

fn direct_call(e: &Expr) -> Option<&Call> {
    match e {
        Expr::Call(c) => Some(c),
        Expr::Await(inner) | Expr::Typed { value: inner, .. } => direct_call(inner),
        _ => None,
    }
}

fn is_direct_call(e: &Expr) -> bool {
    direct_call(e).is_some()
}

fn is_falsy_literal(e: &Expr) -> bool {
    match e {
        Expr::Literal(Literal::Bool(false)) | Expr::Literal(Literal::Null) => true,
        Expr::Literal(Literal::Number(n)) => *n == 0.0,
        Expr::Literal(Literal::String(s)) => s.is_empty(),
        _ => false,
    }
}
