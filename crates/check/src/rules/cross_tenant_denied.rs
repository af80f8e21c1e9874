//! `cross_tenant_denied` (spec-v1 §7).
//!
//! ## What it does
//! 1. Checks that on every path to a response whose status is not in `deny_status`
//!    (default `[403, 404]`), and before any data access, an authorization guard has
//!    received a value derived from `tenant_param` (as an argument, or by reading it:
//!    the guard's `params`). A read whose result is used only as that guard's argument
//!    may come first (load, then check).
//! 2. Checks that every data access receiving an `object_params` value (default: every
//!    other path parameter) also receives the tenant value or a value already verified
//!    to belong to the tenant (a scoped lookup), or that its result goes to an
//!    authorization guard or is compared with the tenant value, with a mismatch leading
//!    to an exit, before any other use.
//! 3. `tenant_param` and `object_params` may name request fields (`query.docId`,
//!    `body.id`, `header.x-tenant-id`; spec-v1 §7 "Ids outside the path"): their reads
//!    (`req.body.id`, `const { id } = req.body`, `req.get('X-Tenant-Id')`) are the
//!    parameter's value. With `owner: caller`, rule 2 applies to the owned id and the
//!    object parameters with the caller's identity (`req.user.id`, the session's user)
//!    as the scope, and a comparison inside a helper the handler calls counts.
//!
//! ## Why is this bad?
//! A caller of tenant A who passes tenant B's ids reads, changes or triggers work on B's
//! objects: the classic broken object-level authorization.
//!
//! ## Example
//! ```js
//! app.get('/projects/:projectId/tasks/:taskId', requireLogin, async (req, res) => {
//!   if (!(await membership.canView(req.user.id, req.params.projectId))) return res.sendStatus(403);
//!   const task = await db.tasks.findById(req.params.taskId); // finding: rule 2
//!   res.send(task);
//! });
//! ```
//! Use instead: `db.tasks.findOne({ id: taskId, projectId })`, or compare
//! `task.projectId` with `projectId` and deny on a mismatch.
//!
//! With `tenant_param: body.id` and `owner: caller`, `db.users.findById(req.body.id)`
//! then `db.users.save(user)` behind only a login check is the finding (the classic
//! insecure direct object reference); `if (req.body.id !== req.user.id) return
//! res.sendStatus(403)` first, or `db.users.findOne({ id: req.body.id, ownerId:
//! req.user.id })`, is correct.

use super::{GuardPos, RouteCx, describe, guard_pos, guard_related, has, load_then_check};
use crate::Finding;
use crate::analysis::{Effect, Event, Fact, Facts, RouteAnalysis, Src, UseKind};
use crate::config::GuardKind;
use secprop_spec::{Owner, Property};

/// `tenant`: the route parameter carrying the tenant; `objects`: the route parameters of
/// objects owned by it.
pub(crate) fn check(
    ra: &RouteAnalysis,
    prop: &Property,
    rc: &RouteCx,
    tenant: &str,
    objects: &[String],
) -> Option<Finding> {
    if prop.owner_or_default() == Owner::Caller {
        return caller_owned(ra, prop, rc, tenant, objects);
    }
    let spec_name = prop.tenant_param.as_deref().unwrap_or(tenant);
    let t = Src::Param(tenant.to_string());
    let t_spec = Src::Param(spec_name.to_string());
    let checked =
        |f: &Facts| has(f, &Fact::AuthzOn(t.clone())) || has(f, &Fact::AuthzOn(t_spec.clone()));
    let ran = |f: &Facts| {
        checked(f) || has(f, &Fact::RanOn(t.clone())) || has(f, &Fact::RanOn(t_spec.clone()))
    };
    let deny = prop.deny_status_or_default();

    for (i, ev) in ra.events.iter().enumerate() {
        match ev {
            Event::Effect(e) if e.cats.is_work() => {
                // Rule 1: the tenant check comes before any data access.
                if !checked(&e.facts) && !load_then_check(e, &checked) {
                    let pos = guard_pos(ra, i, &[GuardKind::Authorization]);
                    let late = guard_related(rc, &pos, "authorization check");
                    let message = match &pos {
                        GuardPos::After(g) => format!(
                            "{} runs before `{}` checks the caller's access to `{spec_name}`",
                            describe(e),
                            g.text
                        ),
                        GuardPos::Before(g) if has(&e.facts, &Fact::Authz) => format!(
                            "{} runs after an authorization check that never receives `{spec_name}` (`{}` checks another value)",
                            describe(e),
                            g.text
                        ),
                        GuardPos::Before(g) => format!(
                            "{} runs on a path where the authorization check on `{spec_name}` (`{}`) has not passed",
                            describe(e),
                            g.text
                        ),
                        GuardPos::Missing => format!(
                            "{} runs with no authorization check on `{spec_name}`: a caller of another tenant reaches it",
                            describe(e)
                        ),
                    };
                    return Some(rc.finding(
                        &prop.id,
                        prop.kind.as_str(),
                        prop.severity,
                        e.site(),
                        e.site_text(),
                        message,
                        vec![late],
                        Some(match rc.authz_example(prop) {
                            Some(g) => format!(
                                "before `{}`, call an authorization guard such as `{g}` with `{spec_name}` and deny when it fails",
                                e.text
                            ),
                            None => format!(
                                "before `{}`, call an authorization guard with `{spec_name}` and deny when it fails; list it under `context.authorization`",
                                e.text
                            ),
                        }),
                    ));
                }
                // Rule 2: object parameters are scoped to the tenant.
                for o in objects {
                    if unscoped(e, &Src::Param(o.clone()), &[t.clone(), t_spec.clone()]) {
                        return Some(unscoped_finding(
                            prop,
                            rc,
                            e,
                            o,
                            &format!("`{spec_name}`"),
                            &format!(
                                "pass `{spec_name}` to the lookup as well, or compare the loaded object's tenant with `{spec_name}` and deny on a mismatch before using it"
                            ),
                            "another tenant's object can be reached",
                        ));
                    }
                }
            }
            Event::Respond(r) if !deny.contains(&r.status.unwrap_or(200)) && !ran(&r.facts) => {
                let late = guard_related(
                    rc,
                    &guard_pos(ra, i, &[GuardKind::Authorization]),
                    "authorization check",
                );
                let status = r.status.unwrap_or(200);
                return Some(rc.finding(
                    &prop.id,
                    prop.kind.as_str(),
                    prop.severity,
                    r.span,
                    &format!("respond {status}"),
                    format!(
                        "a response with status {status} is sent before any authorization check on `{spec_name}`"
                    ),
                    vec![late],
                    Some(format!(
                        "check the caller's access to `{spec_name}` with an authorization guard before answering"
                    )),
                ));
            }
            _ => {}
        }
    }
    None
}

/// `owner: caller` (spec-v1 §7 "Caller-owned objects"): every data access receiving the
/// owned object's id (`tenant_param`) or an object parameter is scoped by the caller's
/// identity, or the id was checked (an authorization guard received it, or it or what it
/// loaded was compared with the caller's identity, a mismatch exiting) before any other
/// use, also inside the project functions the handler calls.
fn caller_owned(
    ra: &RouteAnalysis,
    prop: &Property,
    rc: &RouteCx,
    tenant: &str,
    objects: &[String],
) -> Option<Finding> {
    let ids = std::iter::once(tenant).chain(objects.iter().map(String::as_str));
    let ids: Vec<&str> = ids.collect();
    for ev in &ra.events {
        let Event::Effect(e) = ev else { continue };
        if !e.cats.is_work() {
            continue;
        }
        for o in &ids {
            if unscoped(e, &Src::Param(o.to_string()), &[Src::Caller]) {
                return Some(unscoped_finding(
                    prop,
                    rc,
                    e,
                    o,
                    "the caller",
                    "scope the lookup by the caller's identity (`req.user.id`), or compare the loaded object's owner with it and deny on a mismatch before using it",
                    "another user's object can be reached",
                ));
            }
        }
    }
    None
}

/// Whether data access `e` receives `os` without it being verified against one of
/// `scope` (spec-v1 §7 rule 2): not scoped by it or by an already verified value, not
/// loaded and then checked against it before any other use.
fn unscoped(e: &Effect, os: &Src, scope: &[Src]) -> bool {
    let verified = |f: &Facts, x: &Src| {
        has(f, &Fact::Verified(x.clone()))
            || scope
                .iter()
                .any(|s| has(f, &Fact::Matched(x.clone(), s.clone())))
    };
    if !e.args.contains(os) || verified(&e.facts, os) {
        return false;
    }
    let scoped = e
        .args
        .iter()
        .any(|a| scope.contains(a) || (a != os && verified(&e.facts, a)));
    if scoped {
        return false;
    }
    let verifying = e.uses.iter().any(|u| match &u.kind {
        UseKind::GuardArg(f) => has(f, &Fact::Authz),
        UseKind::Compare => true,
        UseKind::CompareWith(with) => scope.iter().any(|s| with.contains(s)),
        UseKind::Other => false,
    });
    let used_after = e
        .uses
        .iter()
        .filter(|u| u.kind == UseKind::Other)
        .all(|u| verified(&u.facts, os));
    !(e.bound && verifying && used_after)
}

fn unscoped_finding(
    prop: &Property,
    rc: &RouteCx,
    e: &Effect,
    o: &str,
    scope: &str,
    hint: &str,
    reach: &str,
) -> Finding {
    rc.finding(
        &prop.id,
        prop.kind.as_str(),
        prop.severity,
        e.site(),
        e.site_text(),
        format!(
            "{} looks up `{o}` without scoping it to {scope}: {reach}",
            describe(e)
        ),
        vec![rc.related(
            rc.route.span,
            if o.contains('.') {
                format!("`{o}` is read from the request by `{}`", rc.key)
            } else {
                format!("`{o}` is a parameter of `{}`", rc.key)
            },
        )],
        Some(hint.to_string()),
    )
}
