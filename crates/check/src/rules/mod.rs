//! The rules: one module per property kind and per built-in finding (spec-v1 §7, §8).
//! Each module documents what it checks (What it does / Why is this bad / Example) and
//! turns analysis results into [`Finding`]s.

pub mod audit_event_emitted;
pub mod authentication_required;
pub mod cross_tenant_denied;
pub mod forbidden_calls;
pub mod malformed_input_rejected;
pub mod no_negative_test;
pub mod no_side_effects_before_authz;
pub mod param_missing;
pub mod parse_error;
pub mod role_required;
pub mod sensitive_data_not_exposed;
pub mod stale_tests;
pub mod unchecked_guard;
pub mod uncovered_route;
pub mod unmatched_pattern;
pub mod unresolved;
pub mod untested_route;

use crate::analysis::{Effect, Event, Fact, Facts, GuardSite, RouteAnalysis, UseKind};
use crate::config::GuardKind;
use crate::fingerprint::fingerprint;
use crate::{Confidence, Finding, Related, Status};
use secprop_model::{Project, Route, Span};
use secprop_spec::{Severity, Spec};

// Built-in finding ids (spec-v1 §8): a finding's `property` and `kind` are the id.
/// A route no property selects and that is not public.
pub const UNCOVERED_ROUTE: &str = "secprop/uncovered-route";
/// A guard that does not decide whether the request continues.
pub const UNCHECKED_GUARD: &str = "secprop/unchecked-guard";
/// A selected route whose path, chain or handler could not be resolved.
pub const UNRESOLVED: &str = "secprop/unresolved";
/// A route selected by `cross_tenant_denied` without its `tenant_param`.
pub const PARAM_MISSING: &str = "secprop/param-missing";
/// A spec pattern or selector that matches nothing.
pub const UNMATCHED_PATTERN: &str = "secprop/unmatched-pattern";
/// A scanned file with syntax errors.
pub const PARSE_ERROR: &str = "secprop/parse-error";
/// A waiver past its `expires` date that still matches findings.
pub const WAIVER_EXPIRED: &str = "secprop/waiver-expired";
/// A waiver that matches no finding.
pub const STALE_WAIVER: &str = "secprop/stale-waiver";
/// A waiver expiring within 30 days.
pub const WAIVER_EXPIRING: &str = "secprop/waiver-expiring";
/// A `secprop-ignore` comment that silences nothing.
pub const UNUSED_IGNORE: &str = "secprop/unused-ignore";
/// A generated test file that is missing, edited or orphaned.
pub const STALE_TESTS: &str = "secprop/stale-tests";
/// A route whose generated tests are missing from `tests.out` or stale.
pub const UNTESTED_ROUTE: &str = "secprop/untested-route";
/// A route whose existing project tests all walk the happy path.
pub const NO_NEGATIVE_TEST: &str = "secprop/no-negative-test";

/// The default severity of a built-in finding (spec-v1 §8 table).
pub fn builtin_default_severity(id: &str) -> Severity {
    match id {
        UNCOVERED_ROUTE | UNCHECKED_GUARD => Severity::High,
        UNRESOLVED | PARAM_MISSING | STALE_TESTS | UNTESTED_ROUTE | NO_NEGATIVE_TEST => {
            Severity::Medium
        }
        UNMATCHED_PATTERN => Severity::Low,
        _ => Severity::Info,
    }
}

/// The longest code quote a message keeps whole.
const MAX_QUOTE: usize = 80;

/// A message whose backticked code quotes are each at most one line of [`MAX_QUOTE`]
/// characters: a guard written as an inline function must not print its whole body.
pub(crate) fn short_quotes(message: &str) -> String {
    let mut out = String::with_capacity(message.len());
    for (i, part) in message.split('`').enumerate() {
        if i > 0 {
            out.push('`');
        }
        // Odd parts are inside backticks.
        if i % 2 == 1 && (part.contains('\n') || part.chars().count() > MAX_QUOTE) {
            let first = part.lines().next().unwrap_or("").trim_end();
            let short: String = first.chars().take(MAX_QUOTE).collect();
            out.push_str(&short);
            out.push('…');
        } else {
            out.push_str(part);
        }
    }
    out
}

/// A built-in finding's severity after the spec's `builtin_severity`.
pub fn builtin_severity(spec: &Spec, id: &str) -> Severity {
    spec.builtin_severity
        .get(id)
        .copied()
        .unwrap_or_else(|| builtin_default_severity(id))
}

/// The route being checked, with what findings about it need.
pub(crate) struct RouteCx<'a> {
    pub project: &'a Project,
    pub target: &'a str,
    pub route: &'a Route,
    pub key: String,
    /// The spec's context, so help lines quote the team's own guards.
    pub context: &'a secprop_spec::Context,
}

impl RouteCx<'_> {
    /// The first authorization guard a property accepts (its own `guards`, else the
    /// context's), as written in the spec: help lines name it, never an invented one.
    pub fn authz_example<'p>(&'p self, prop: &'p secprop_spec::Property) -> Option<&'p str> {
        prop.guards
            .as_deref()
            .unwrap_or(&self.context.authorization)
            .iter()
            .find_map(|g| g.pattern())
    }
    pub fn file(&self, span: Span) -> String {
        file_of(self.project, span)
    }
    /// A related location at `span`.
    pub fn related(&self, span: Span, message: impl Into<String>) -> Related {
        Related {
            file: self.file(span),
            line: span.line,
            column: span.column,
            end_line: span.end_line,
            end_column: span.end_column,
            message: message.into(),
        }
    }
    /// A finding about this route at `span`.
    #[allow(clippy::too_many_arguments)]
    pub fn finding(
        &self,
        property: &str,
        kind: &str,
        severity: Severity,
        span: Span,
        fp_text: &str,
        message: String,
        related: Vec<Related>,
        help: Option<String>,
    ) -> Finding {
        let file = self.file(span);
        Finding {
            id: fingerprint(property, Some(&self.key), &file, fp_text),
            property: property.to_string(),
            kind: kind.to_string(),
            severity,
            confidence: Confidence::Certain,
            target: self.target.to_string(),
            route: Some(self.key.clone()),
            file,
            line: span.line,
            column: span.column,
            end_line: span.end_line,
            end_column: span.end_column,
            message: short_quotes(&message),
            related,
            status: Status::Open,
            waiver: None,
            help: help.map(|h| short_quotes(&h)),
        }
    }
}

/// The repository-relative path of a span's file.
pub(crate) fn file_of(project: &Project, span: Span) -> String {
    project
        .files
        .get(span.file.0 as usize)
        .map(|f| f.path.clone())
        .unwrap_or_default()
}

/// How an effect is named in messages: "`reports.build`", or "`loadReport` (which calls
/// `reports.build`)" when reached through a helper.
pub(crate) fn describe(e: &Effect) -> String {
    match &e.via {
        Some((_, helper)) => format!("`{helper}` (which calls `{}`)", e.text),
        None => format!("`{}`", e.text),
    }
}

/// Load, then check (spec-v1 §7): a pure read bound to a local whose value reached a
/// guard establishing `required`, and was otherwise used only where `holds` was true.
pub(crate) fn load_then_check(e: &Effect, required: &dyn Fn(&Facts) -> bool) -> bool {
    e.cats.is_load_only()
        && e.bound
        && e.uses
            .iter()
            .any(|u| matches!(&u.kind, UseKind::GuardArg(f) if required(f)))
        && e.uses
            .iter()
            .filter(|u| u.kind == UseKind::Other)
            .all(|u| required(&u.facts))
}

/// Where the relevant guard is relative to an offending event.
pub(crate) enum GuardPos<'a> {
    /// It runs later: the late guard.
    After(&'a GuardSite),
    /// It ran earlier but has not passed on every path here: it runs in one branch only,
    /// or its failing branch does not exit.
    Before(&'a GuardSite),
    /// No such guard on this route.
    Missing,
}

pub(crate) fn guard_pos<'a>(
    ra: &'a RouteAnalysis,
    index: usize,
    kinds: &[GuardKind],
) -> GuardPos<'a> {
    if let Some(g) = ra.guard_after(index + 1, kinds) {
        GuardPos::After(g)
    } else if let Some(g) = ra.guard_before(index, kinds) {
        GuardPos::Before(g)
    } else {
        GuardPos::Missing
    }
}

/// The related location for a guard position (spec-v1 §10 `related`: the late or
/// missing guard).
pub(crate) fn guard_related(rc: &RouteCx, pos: &GuardPos, what: &str) -> Related {
    match pos {
        GuardPos::After(g) => rc.related(g.span, format!("the {what} `{}` runs only here", g.text)),
        GuardPos::Before(g) => rc.related(
            g.span,
            format!(
                "the {what} `{}` runs here but does not stop the request on every path",
                g.text
            ),
        ),
        GuardPos::Missing => rc.related(
            rc.route.span,
            format!("no {what} runs before it on `{}`", rc.key),
        ),
    }
}

pub(crate) fn has(facts: &Facts, f: &Fact) -> bool {
    facts.contains(f)
}

/// What a caller without the guard reaches first: work, or a response whose status is not
/// a denial. Shared by the rules whose static check is "a guard precedes every data
/// access and every response not in `deny_status`" (spec-v1 §7).
pub(crate) enum Ungated<'a> {
    Work(&'a Effect),
    Response(&'a crate::analysis::RespondEv),
}

/// The first [`Ungated`] event of a route, given what counts as the guard having passed.
pub(crate) fn first_ungated<'a>(
    ra: &'a RouteAnalysis,
    deny: &[u16],
    passed: impl Fn(&Facts) -> bool,
) -> Option<Ungated<'a>> {
    let first_effect = effects(ra).find(|(_, e)| e.cats.is_work() && !passed(&e.facts));
    let first_response = ra.events.iter().enumerate().find_map(|(i, e)| match e {
        Event::Respond(r)
            if !deny.contains(&r.status.unwrap_or(200))
                && !passed(&r.facts)
                && !has(&r.facts, &Fact::RanAny) =>
        {
            Some((i, r))
        }
        _ => None,
    });
    match (first_effect, first_response) {
        (Some((ei, e)), r) if r.is_none_or(|(ri, _)| ei < ri) => Some(Ungated::Work(e)),
        (_, Some((_, r))) => Some(Ungated::Response(r)),
        _ => None,
    }
}

/// Fingerprint texts for several findings of one route that share a callee text
/// (`res.json` twice): the text, then `#2`, `#3` in order, so ids stay distinct and do
/// not depend on line numbers (spec-v1 §8).
pub(crate) fn ordinal_text(
    seen: &mut std::collections::BTreeMap<String, usize>,
    text: &str,
) -> String {
    let n = seen.entry(text.to_string()).or_insert(0);
    *n += 1;
    if *n == 1 {
        text.to_string()
    } else {
        format!("{text}#{n}")
    }
}

/// Events with their index, effects only.
pub(crate) fn effects(ra: &RouteAnalysis) -> impl Iterator<Item = (usize, &Effect)> {
    ra.events.iter().enumerate().filter_map(|(i, e)| match e {
        Event::Effect(x) => Some((i, x)),
        _ => None,
    })
}

#[cfg(test)]
mod tests {
    use super::short_quotes;

    #[test]
    fn long_or_multiline_quotes_keep_one_short_line() {
        assert_eq!(
            short_quotes("`membership.canView` runs late"),
            "`membership.canView` runs late"
        );
        let body = format!("(async () => {{\n  {}\n}})()", "x".repeat(200));
        let msg = format!("the result of `{body}` is never checked; await `{body}`");
        let short = short_quotes(&msg);
        assert_eq!(
            short,
            "the result of `(async () => {…` is never checked; await `(async () => {…`"
        );
        let long = "a.".repeat(60);
        let s = short_quotes(&format!("call `{long}` first"));
        assert!(s.chars().count() < 100 && s.contains('…'), "{s}");
        // An unbalanced backtick leaves the rest as is.
        assert_eq!(short_quotes("a `b"), "a `b");
    }
}
