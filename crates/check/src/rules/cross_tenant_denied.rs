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

use super::{GuardPos, RouteCx, describe, guard_pos, guard_related, has, load_then_check};
use crate::Finding;
use crate::analysis::{Event, Fact, Facts, RouteAnalysis, Src, UseKind};
use crate::config::GuardKind;
use secprop_spec::Property;

/// `tenant`: the route parameter carrying the tenant; `objects`: the route parameters of
/// objects owned by it.
pub(crate) fn check(
    ra: &RouteAnalysis,
    prop: &Property,
    rc: &RouteCx,
    tenant: &str,
    objects: &[String],
) -> Option<Finding> {
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
                    let os = Src::Param(o.clone());
                    if !e.args.contains(&os) || has(&e.facts, &Fact::Verified(os.clone())) {
                        continue;
                    }
                    let scoped = e.args.iter().any(|a| {
                        *a == t
                            || *a == t_spec
                            || (*a != os && has(&e.facts, &Fact::Verified(a.clone())))
                    });
                    if scoped {
                        continue;
                    }
                    let verifying = e.uses.iter().any(|u| match &u.kind {
                        UseKind::GuardArg(f) => has(f, &Fact::Authz),
                        UseKind::Compare => true,
                        UseKind::Other => false,
                    });
                    let used_after = e
                        .uses
                        .iter()
                        .filter(|u| u.kind == UseKind::Other)
                        .all(|u| has(&u.facts, &Fact::Verified(os.clone())));
                    if e.bound && verifying && used_after {
                        continue;
                    }
                    return Some(rc.finding(
                        &prop.id,
                        prop.kind.as_str(),
                        prop.severity,
                        e.site(),
                        e.site_text(),
                        format!(
                            "{} looks up `{o}` without scoping it to `{spec_name}`: another tenant's object can be reached",
                            describe(e)
                        ),
                        vec![rc.related(rc.route.span, format!("`{o}` is a parameter of `{}`", rc.key))],
                        Some(format!(
                            "pass `{spec_name}` to the lookup as well, or compare the loaded object's tenant with `{spec_name}` and deny on a mismatch before using it"
                        )),
                    ));
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
