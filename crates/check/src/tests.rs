//! Unit tests of the analysis and rules on hand-built IR (see `testing`): the seed
//! example, its sibling bugs, and the look-alikes that must stay quiet.

use crate::testing::*;
use crate::{FailOn, Status, exit_code};
use secprop_model::FnId;

const ORDER: &str = "no_side_effects_before_authz";
const TENANT: &str = "cross_tenant_denied";
const LOGIN: &str = "authentication_required";
const UNCHECKED: &str = "secprop/unchecked-guard";

fn first<'a>(out: &'a crate::CheckOutput, kind: &str) -> &'a crate::Finding {
    out.findings
        .iter()
        .find(|f| f.kind == kind)
        .expect("a finding of that kind")
}

fn k(kind: &str, line: u32) -> (String, u32) {
    (kind.to_string(), line)
}

/// `membership.canView(req.user.id, req.params.projectId)`, awaited.
fn can_view() -> C {
    call("membership.canView")
        .aw()
        .args(vec![user(), p("projectId")])
}

fn login() -> secprop_model::ChainElement {
    mw("requireLogin", None)
}

#[test]
fn seed_vulnerable_reports_work_before_the_check() {
    let mut pr = P::new();
    let build = call("reports.buildProjectReport")
        .aw()
        .args(vec![p("projectId")]);
    let line = build.line();
    let h = pr.handler(vec![
        let_("report", build.e()),
        if_(not(ce(can_view().e())), deny(403), vec![]),
        send_val(l("report")),
    ]);
    pr.route("GET", "/projects/:projectId/report", vec![login()], h);
    let out = run(&seed_spec(), pr);
    assert_eq!(kinds(&out), vec![k(TENANT, line), k(ORDER, line)]);
    let f = out.findings.iter().find(|f| f.kind == ORDER).unwrap();
    assert_eq!(
        f.message,
        "`reports.buildProjectReport` runs before the authorization check `membership.canView`"
    );
    assert_eq!(f.route.as_deref(), Some("GET /projects/{projectId}/report"));
    assert_eq!(f.related.len(), 1);
    assert!(f.related[0].message.contains("membership.canView"));
    assert!(f.help.is_some());
    assert_eq!(exit_code(&out.findings, FailOn::Low), 1);
}

#[test]
fn seed_fixed_is_clean() {
    let mut pr = P::new();
    let h = pr.handler(vec![
        if_(not(ce(can_view().e())), deny(403), vec![]),
        let_(
            "report",
            call("reports.buildProjectReport")
                .aw()
                .args(vec![p("projectId")])
                .e(),
        ),
        send_val(l("report")),
    ]);
    pr.route("GET", "/projects/:projectId/report", vec![login()], h);
    let out = run(&seed_spec(), pr);
    assert_eq!(kinds(&out), vec![]);
    // Only the spec's patterns that this small app never calls remain.
    let code: Vec<_> = out
        .findings
        .iter()
        .filter(|f| f.kind != "secprop/unmatched-pattern")
        .cloned()
        .collect();
    assert_eq!(exit_code(&code, FailOn::Low), 0);
    assert_eq!(exit_code(&out.findings, FailOn::Medium), 0);
}

#[test]
fn unawaited_async_guard_in_condition() {
    let mut pr = P::new();
    let can = pr.func(
        "membership.canView",
        FnOpts {
            is_async: true,
            ret: Some("Promise<boolean>"),
            params: vec!["u", "p"],
        },
        vec![ret(Some(lit_true()))],
    );
    let g = call("membership.canView")
        .args(vec![user(), p("projectId")])
        .to(can);
    let gl = g.line();
    let build = call("reports.buildProjectReport")
        .aw()
        .args(vec![p("projectId")]);
    let bl = build.line();
    let h = pr.handler(vec![if_(not(ce(g.e())), deny(403), vec![]), build.s()]);
    pr.route("GET", "/projects/:projectId/report", vec![login()], h);
    let out = run(&seed_spec(), pr);
    assert_eq!(
        kinds(&out),
        vec![k(TENANT, bl), k(ORDER, bl), k(UNCHECKED, gl)]
    );
}

#[test]
fn unawaited_guard_of_unknown_type_is_not_reported() {
    // Not known to be async: a synchronous boolean guard is fine without await.
    let mut pr = P::new();
    let g = call("membership.canView").args(vec![user(), p("projectId")]);
    let h = pr.handler(vec![
        if_(not(ce(g.e())), deny(403), vec![]),
        call("reports.build").aw().s(),
    ]);
    pr.route("GET", "/projects/:projectId/report", vec![login()], h);
    assert_eq!(kinds(&run(&seed_spec(), pr)), vec![]);
}

#[test]
fn wrong_parameter_is_a_tenant_finding_only() {
    let mut pr = P::new();
    let build = call("reports.build").aw().args(vec![p("projectId")]);
    let bl = build.line();
    let h = pr.handler(vec![
        if_(
            not(ce(call("membership.canView")
                .aw()
                .args(vec![user(), p("teamId")])
                .e())),
            deny(403),
            vec![],
        ),
        build.s(),
    ]);
    pr.route(
        "GET",
        "/projects/:projectId/teams/:teamId/report",
        vec![login()],
        h,
    );
    assert_eq!(kinds(&run(&seed_spec(), pr)), vec![k(TENANT, bl)]);
}

#[test]
fn login_only() {
    let mut pr = P::new();
    let build = call("reports.build").aw().args(vec![p("projectId")]);
    let bl = build.line();
    let h = pr.handler(vec![build.s(), send(None)]);
    pr.route("GET", "/projects/:projectId/report", vec![login()], h);
    let out = run(&seed_spec(), pr);
    assert_eq!(kinds(&out), vec![k(TENANT, bl), k(ORDER, bl)]);
    assert!(
        first(&out, ORDER)
            .message
            .contains("no authorization check")
    );
}

#[test]
fn guard_in_one_branch_only() {
    let mut pr = P::new();
    let build = call("reports.build").aw().args(vec![p("projectId")]);
    let bl = build.line();
    let h = pr.handler(vec![
        if_(
            ce(cmp(
                Expr::RequestPart {
                    part: "query".into(),
                    path: vec!["format".into()],
                },
                Expr::Literal(Literal::String("pdf".into())),
            )),
            vec![if_(not(ce(can_view().e())), deny(403), vec![])],
            vec![],
        ),
        build.s(),
    ]);
    pr.route("GET", "/projects/:projectId/report", vec![login()], h);
    assert_eq!(
        kinds(&run(&seed_spec(), pr)),
        vec![k(TENANT, bl), k(ORDER, bl)]
    );
}

use secprop_model::{Expr, Literal};

#[test]
fn raise_guard_awaited_counts_and_unawaited_does_not() {
    let mut pr = P::new();
    let assert_fn = pr.func("assertMember", async_(), vec![]);
    let ok = pr.handler(vec![
        call("assertMember")
            .aw()
            .args(vec![user(), p("projectId")])
            .to(assert_fn)
            .s(),
        call("reports.build").aw().args(vec![p("projectId")]).s(),
    ]);
    pr.route("GET", "/projects/:projectId/a", vec![login()], ok);
    let g = call("assertMember")
        .args(vec![user(), p("projectId")])
        .to(assert_fn);
    let gl = g.line();
    let build = call("reports.build").aw().args(vec![p("projectId")]);
    let bl = build.line();
    let bad = pr.handler(vec![g.s(), build.s()]);
    pr.route("GET", "/projects/:projectId/b", vec![login()], bad);
    assert_eq!(
        kinds(&run(&seed_spec(), pr)),
        vec![k(TENANT, bl), k(ORDER, bl), k(UNCHECKED, gl)]
    );
}

#[test]
fn middleware_project_function_carries_its_guard() {
    let mut pr = P::new();
    // function mw(req, res, next) { if (!(await canView(req.user.id, req.params.projectId))) return next(err); next(); }
    let m = pr.func(
        "checkProject",
        FnOpts {
            is_async: true,
            ret: None,
            params: vec!["req", "res", "next"],
        },
        vec![
            if_(not(ce(can_view().e())), vec![next_err()], vec![]),
            next(),
        ],
    );
    let h = pr.handler(vec![
        call("reports.build").aw().args(vec![p("projectId")]).s(),
    ]);
    pr.route(
        "GET",
        "/projects/:projectId/report",
        vec![login(), mw("checkProject", Some(m))],
        h,
    );
    assert_eq!(kinds(&run(&seed_spec(), pr)), vec![]);
}

#[test]
fn guard_middleware_reading_the_param_checks_the_tenant() {
    let mut pr = P::new();
    let m = pr.func(
        "requireProjectMember",
        FnOpts {
            is_async: true,
            ret: None,
            params: vec!["req", "res", "next"],
        },
        vec![
            let_("ok", call("lookup").aw().args(vec![p("projectId")]).e()),
            next(),
        ],
    );
    let h = pr.handler(vec![
        call("reports.build").aw().args(vec![p("projectId")]).s(),
    ]);
    pr.route(
        "GET",
        "/projects/:projectId/report",
        vec![login(), mw("requireProjectMember", Some(m))],
        h,
    );
    assert_eq!(kinds(&run(&seed_spec(), pr)), vec![]);

    // The same guard as an external middleware reads nothing we can see.
    let mut pr = P::new();
    let build = call("reports.build").aw().args(vec![p("projectId")]);
    let bl = build.line();
    let h = pr.handler(vec![build.s()]);
    pr.route(
        "GET",
        "/projects/:projectId/report",
        vec![login(), mw("requireProjectMember", None)],
        h,
    );
    assert_eq!(kinds(&run(&seed_spec(), pr)), vec![k(TENANT, bl)]);
}

#[test]
fn load_then_check_is_allowed() {
    let mut pr = P::new();
    let h = pr.handler(vec![
        let_(
            "project",
            call("db.projects.find").aw().args(vec![p("projectId")]).e(),
        ),
        if_(not(ce(l("project"))), deny(404), vec![]),
        if_(
            not(ce(call("membership.canView")
                .aw()
                .args(vec![user(), fld(l("project"), "id")])
                .e())),
            deny(403),
            vec![],
        ),
        send_val(l("project")),
    ]);
    pr.route("GET", "/projects/:projectId", vec![login()], h);
    assert_eq!(kinds(&run(&seed_spec(), pr)), vec![]);
}

#[test]
fn load_used_before_the_check_is_a_finding() {
    let mut pr = P::new();
    let load = call("db.projects.find").aw().args(vec![p("projectId")]);
    let ll = load.line();
    let h = pr.handler(vec![
        let_("project", load.e()),
        call("mailer.notify").args(vec![l("project")]).s(),
        if_(
            not(ce(call("membership.canView")
                .aw()
                .args(vec![user(), fld(l("project"), "id")])
                .e())),
            deny(403),
            vec![],
        ),
        send_val(l("project")),
    ]);
    pr.route("GET", "/projects/:projectId", vec![login()], h);
    assert_eq!(
        kinds(&run(&seed_spec(), pr)),
        vec![k(TENANT, ll), k(ORDER, ll)]
    );
}

#[test]
fn object_loaded_by_id_alone_after_the_tenant_check() {
    let mut pr = P::new();
    let load = call("db.tasks.find").aw().args(vec![p("taskId")]);
    let ll = load.line();
    let h = pr.handler(vec![
        if_(not(ce(can_view().e())), deny(403), vec![]),
        let_("task", load.e()),
        send_val(l("task")),
    ]);
    pr.route(
        "GET",
        "/projects/:projectId/tasks/:taskId",
        vec![login()],
        h,
    );
    let out = run(&seed_spec(), pr);
    assert_eq!(kinds(&out), vec![k(TENANT, ll)]);
    assert!(
        first(&out, TENANT)
            .message
            .contains("`taskId` without scoping it to `projectId`")
    );
}

#[test]
fn scoped_lookup_and_tenant_comparison_verify_the_object() {
    let mut pr = P::new();
    let scoped = pr.handler(vec![
        if_(not(ce(can_view().e())), deny(403), vec![]),
        let_(
            "task",
            call("db.tasks.findOne")
                .aw()
                .args(vec![p("taskId"), p("projectId")])
                .e(),
        ),
        call("db.comments.list").aw().args(vec![p("taskId")]).s(),
        send_val(l("task")),
    ]);
    pr.route(
        "GET",
        "/projects/:projectId/tasks/:taskId",
        vec![login()],
        scoped,
    );
    let compared = pr.handler(vec![
        if_(not(ce(can_view().e())), deny(403), vec![]),
        let_(
            "task",
            call("db.tasks.find").aw().args(vec![p("taskId")]).e(),
        ),
        if_(
            ce(cmp(fld(l("task"), "projectId"), p("projectId"))),
            deny(404),
            vec![],
        ),
        send_val(l("task")),
    ]);
    pr.route(
        "PUT",
        "/projects/:projectId/tasks/:taskId",
        vec![login()],
        compared,
    );
    assert_eq!(kinds(&run(&seed_spec(), pr)), vec![]);
}

#[test]
fn comparison_without_exit_does_not_verify() {
    let mut pr = P::new();
    let load = call("db.tasks.find").aw().args(vec![p("taskId")]);
    let ll = load.line();
    let h = pr.handler(vec![
        if_(not(ce(can_view().e())), deny(403), vec![]),
        let_("task", load.e()),
        if_(
            ce(cmp(fld(l("task"), "projectId"), p("projectId"))),
            vec![call("logger.warn").s()],
            vec![],
        ),
        send_val(l("task")),
    ]);
    pr.route(
        "GET",
        "/projects/:projectId/tasks/:taskId",
        vec![login()],
        h,
    );
    assert_eq!(kinds(&run(&seed_spec(), pr)), vec![k(TENANT, ll)]);
}

#[test]
fn helpers_are_followed_three_levels_and_reported_at_the_call_site() {
    let mut pr = P::new();
    let h3 = pr.func("build3", async_(), vec![call("reports.build").aw().s()]);
    let h2 = pr.func("build2", async_(), vec![call("build3").aw().to(h3).s()]);
    let h1 = pr.func("build1", async_(), vec![call("build2").aw().to(h2).s()]);
    let c = call("build1").aw().to(h1);
    let cl = c.line();
    let h = pr.handler(vec![c.s(), if_(not(ce(can_view().e())), deny(403), vec![])]);
    pr.route("GET", "/projects/:projectId/report", vec![login()], h);
    let out = run(&seed_spec(), pr);
    assert_eq!(kinds(&out), vec![k(TENANT, cl), k(ORDER, cl)]);
    let f = out.findings.iter().find(|f| f.kind == ORDER).unwrap();
    assert!(
        f.message
            .starts_with("`build1` (which calls `reports.build`)"),
        "{}",
        f.message
    );
}

#[test]
fn local_helpers_that_deny_through_a_guard_are_guards() {
    let mut pr = P::new();
    // async function ensureMember(user, pid) { if (!(await canView(user, pid))) throw ... }
    let raise = pr.func(
        "ensureMember",
        FnOpts {
            is_async: true,
            ret: None,
            params: vec!["user", "pid"],
        },
        vec![if_(
            not(ce(call("membership.canView")
                .aw()
                .args(vec![l("user"), l("pid")])
                .e())),
            vec![throw()],
            vec![],
        )],
    );
    // async function allowed(user, pid) { return await canView(user, pid) }
    let returns = pr.func(
        "allowed",
        FnOpts {
            is_async: true,
            ret: None,
            params: vec!["user", "pid"],
        },
        vec![ret(Some(
            call("membership.canView")
                .aw()
                .args(vec![l("user"), l("pid")])
                .e(),
        ))],
    );
    let a = pr.handler(vec![
        call("ensureMember")
            .aw()
            .args(vec![user(), p("projectId")])
            .to(raise)
            .s(),
        call("reports.build").aw().args(vec![p("projectId")]).s(),
    ]);
    pr.route("GET", "/projects/:projectId/a", vec![login()], a);
    let b = pr.handler(vec![
        if_(
            not(ce(call("allowed")
                .aw()
                .args(vec![user(), p("projectId")])
                .to(returns)
                .e())),
            deny(403),
            vec![],
        ),
        call("reports.build").aw().args(vec![p("projectId")]).s(),
    ]);
    pr.route("GET", "/projects/:projectId/b", vec![login()], b);
    // Un-awaited raise-style helper: reported, and proves nothing.
    let c = call("ensureMember")
        .args(vec![user(), p("projectId")])
        .to(raise);
    let cl = c.line();
    let build = call("reports.build").aw().args(vec![p("projectId")]);
    let bl = build.line();
    let hc = pr.handler(vec![c.s(), build.s()]);
    pr.route("GET", "/projects/:projectId/c", vec![login()], hc);
    assert_eq!(
        kinds(&run(&seed_spec(), pr)),
        vec![k(TENANT, bl), k(ORDER, bl), k(UNCHECKED, cl)]
    );
}

#[test]
fn recursion_terminates() {
    let mut pr = P::new();
    let a = pr.declare("a");
    let b = pr.declare("b");
    pr.define(
        a,
        FnOpts::default(),
        vec![call("b").to(b).s(), call("audit.record").s()],
    );
    pr.define(b, FnOpts::default(), vec![call("a").to(a).s()]);
    let c = call("a").to(a);
    let cl = c.line();
    let h = pr.handler(vec![c.s(), if_(not(ce(can_view().e())), deny(403), vec![])]);
    pr.route("GET", "/projects/:projectId/loop", vec![login()], h);
    assert_eq!(
        kinds(&run(&seed_spec(), pr)),
        vec![k(TENANT, cl), k(ORDER, cl)]
    );
}

#[test]
fn short_circuit_conditions() {
    let mut pr = P::new();
    // if (!req.user || !(await canView(...))) return 403;  → checked on every continuing path
    let ok = pr.handler(vec![
        if_(
            or(not(ce(user())), not(ce(can_view().e()))),
            deny(403),
            vec![],
        ),
        call("reports.build").aw().s(),
    ]);
    pr.route("GET", "/projects/:projectId/a", vec![login()], ok);
    // if (isAdmin(req) || await canView(...)) { build }  → the admin path skips the check
    let build = call("reports.build").aw();
    let bl = build.line();
    let bad = pr.handler(vec![if_(
        or(ce(call("isAdmin").e()), ce(can_view().e())),
        vec![build.s()],
        vec![],
    )]);
    pr.route("GET", "/projects/:projectId/b", vec![login()], bad);
    // if (ready && await canView(...)) { build } → both must hold: fine
    let fine = pr.handler(vec![if_(
        and(ce(call("isReady").e()), ce(can_view().e())),
        vec![call("reports.build").aw().s()],
        vec![],
    )]);
    pr.route("GET", "/projects/:projectId/c", vec![login()], fine);
    assert_eq!(
        kinds(&run(&seed_spec(), pr)),
        vec![k(TENANT, bl), k(ORDER, bl)]
    );
}

#[test]
fn responses_are_events_not_exits() {
    let mut pr = P::new();
    // if (!ok) res.status(403).send();  (no return) → the work still runs for strangers
    let build = call("reports.build").aw();
    let bl = build.line();
    let h = pr.handler(vec![
        if_(not(ce(can_view().e())), vec![send(Some(403))], vec![]),
        build.s(),
    ]);
    pr.route("GET", "/projects/:projectId/report", vec![login()], h);
    assert_eq!(
        kinds(&run(&seed_spec(), pr)),
        vec![k(TENANT, bl), k(ORDER, bl)]
    );
}

#[test]
fn discarded_and_logged_guard_results() {
    let mut pr = P::new();
    let d = can_view();
    let dl = d.line();
    let lg = can_view();
    let ll = lg.line();
    let h = pr.handler(vec![
        d.s(),
        call("logger.info").args(vec![lg.e()]).s(),
        let_("ok", can_view().e()),
    ]);
    let bound_line = match &pr.project.functions[h.0 as usize].body[2].kind {
        secprop_model::StmtKind::Let {
            value: Expr::Call(c),
            ..
        } => c.span.line,
        _ => unreachable!(),
    };
    pr.route("GET", "/projects/:projectId/x", vec![login()], h);
    assert_eq!(
        kinds(&run(&seed_spec(), pr)),
        vec![k(UNCHECKED, dl), k(UNCHECKED, ll), k(UNCHECKED, bound_line)]
    );
}

#[test]
fn try_catch_around_a_raise_guard() {
    let mut pr = P::new();
    let good = pr.handler(vec![
        try_(
            vec![
                call("assertMember")
                    .aw()
                    .args(vec![user(), p("projectId")])
                    .s(),
            ],
            deny(403),
        ),
        call("reports.build").aw().s(),
    ]);
    pr.route("GET", "/projects/:projectId/a", vec![login()], good);
    let build = call("reports.build").aw();
    let bl = build.line();
    let swallowed = pr.handler(vec![
        try_(
            vec![
                call("assertMember")
                    .aw()
                    .args(vec![user(), p("projectId")])
                    .s(),
            ],
            vec![call("logger.warn").s()],
        ),
        build.s(),
    ]);
    pr.route("GET", "/projects/:projectId/b", vec![login()], swallowed);
    assert_eq!(
        kinds(&run(&seed_spec(), pr)),
        vec![k(TENANT, bl), k(ORDER, bl)]
    );
}

#[test]
fn authentication_required_points_at_the_registration() {
    let mut pr = P::new();
    let none = pr.handler(vec![send(None)]);
    let l1 = pr.route("GET", "/status", vec![], none);
    let early = pr.handler(vec![send(None)]);
    let l2 = pr.route("GET", "/me", vec![], early);
    let fine = pr.handler(vec![send(None)]);
    pr.route("GET", "/profile", vec![login()], fine);
    let mut s = seed_spec();
    s.spec.public.push(secprop_spec::PublicRoute {
        route: "GET /me".into(),
        reason: "test".into(),
    });
    let out = run(&s, pr);
    assert_eq!(kinds(&out), vec![k(LOGIN, l1)]);
    assert!(
        first(&out, LOGIN)
            .message
            .contains("no authentication or authorization guard")
    );
    let _ = l2;
}

#[test]
fn answer_before_the_check_is_an_authentication_finding() {
    let mut pr = P::new();
    // A response with data before any guard: anonymous callers get it.
    let h = pr.handler(vec![send(None), can_view().s()]);
    let rl = pr.route("GET", "/projects/:projectId/x", vec![], h);
    let out = run(&seed_spec(), pr);
    let login: Vec<_> = kinds(&out)
        .into_iter()
        .filter(|(k, _)| k == LOGIN)
        .collect();
    assert_eq!(login, vec![k(LOGIN, rl)]);
}

#[test]
fn builtins_uncovered_param_missing_unresolved() {
    let mut pr = P::new();
    let h = pr.handler(vec![send(None)]);
    let l1 = pr.route("GET", "/elsewhere", vec![login()], h);
    let mut s = seed_spec();
    // Only the project routes are selected by login here.
    s.spec.properties[2].routes = vec!["* /projects/**".into()];
    s.spec.properties.push(serde_json::from_value(serde_json::json!(
        {"id": "t2", "kind": "cross_tenant_denied", "routes": ["/teams/**", "/teams/{teamId}/**"], "tenant_param": "teamId"}
    )).unwrap());
    let h2 = pr.handler(vec![send(None)]);
    let l2 = pr.route("GET", "/teams/list", vec![login()], h2);
    let h3 = pr.handler(vec![]);
    let l3 = pr.route("GET", "/projects/:projectId/dyn", vec![login()], h3);
    pr.project.routes.last_mut().unwrap().unresolved = Some("path is computed".into());
    let out = run(&s, pr);
    assert_eq!(
        kinds(&out),
        vec![
            k("secprop/param-missing", l2),
            k("secprop/uncovered-route", l1),
            k("secprop/unresolved", l3)
        ]
    );
    let unresolved = out
        .findings
        .iter()
        .find(|f| f.kind == "secprop/unresolved")
        .unwrap();
    assert!(
        unresolved.message.contains("`tenant`, `order`, `login`"),
        "{}",
        unresolved.message
    );
}

#[test]
fn unmatched_patterns_point_at_the_spec() {
    let mut pr = P::new();
    let h = pr.handler(vec![
        if_(not(ce(can_view().e())), deny(403), vec![]),
        call("reports.build").aw().s(),
    ]);
    pr.route("GET", "/projects/:projectId/report", vec![login()], h);
    let mut s = seed_spec();
    s.locations.insert(
        "/context/side_effects/1".into(),
        secprop_spec::Location { line: 9, column: 5 },
    );
    let out = run(&s, pr);
    let un: Vec<_> = out
        .findings
        .iter()
        .filter(|f| f.kind == "secprop/unmatched-pattern")
        .map(|f| (f.message.clone(), f.line))
        .collect();
    // audit.record, cache.set, assertMember, requireProjectMember, db.*, logger.*, fetch
    assert_eq!(un.len(), 7, "{un:#?}");
    assert!(un.contains(&(
        "call pattern `audit.record` (at `context.side_effects`) matches nothing in the scanned code".into(),
        9
    )));
    assert!(
        out.findings
            .iter()
            .all(|f| f.kind != "secprop/unmatched-pattern" || f.file == "secprop.yaml")
    );
}

#[test]
fn property_severity_builtin_overrides_and_fail_on() {
    let mut pr = P::new();
    let h = pr.handler(vec![call("reports.build").aw().s()]);
    pr.route("GET", "/projects/:projectId/report", vec![login()], h);
    let mut s = seed_spec();
    s.spec.properties[0].severity = secprop_spec::Severity::Critical;
    s.spec.properties[1].severity = secprop_spec::Severity::Medium;
    s.spec.builtin_severity.insert(
        "secprop/unmatched-pattern".into(),
        secprop_spec::Severity::Info,
    );
    let out = run(&s, pr);
    let sev = |kind: &str| {
        out.findings
            .iter()
            .find(|f| f.kind == kind)
            .unwrap()
            .severity
    };
    assert_eq!(sev(TENANT), secprop_spec::Severity::Critical);
    assert_eq!(sev(ORDER), secprop_spec::Severity::Medium);
    assert_eq!(
        sev("secprop/unmatched-pattern"),
        secprop_spec::Severity::Info
    );
    assert_eq!(exit_code(&out.findings, FailOn::Critical), 1);
    assert_eq!(exit_code(&out.findings, FailOn::Never), 0);
    let only_medium: Vec<_> = out
        .findings
        .iter()
        .filter(|f| f.kind == ORDER)
        .cloned()
        .collect();
    assert_eq!(exit_code(&only_medium, FailOn::High), 0);
    assert_eq!(exit_code(&only_medium, FailOn::Medium), 1);
}

#[test]
fn waivers_silence_then_expire() {
    let mk = || {
        let mut pr = P::new();
        let h = pr.handler(vec![call("reports.build").aw().s()]);
        pr.route("GET", "/projects/:projectId/report", vec![login()], h);
        pr
    };
    let mut s = seed_spec();
    s.spec.waivers.push(
        serde_json::from_value(serde_json::json!({
            "property": "order", "route": "GET /projects/{projectId}/report",
            "reason": "r", "owner": "@o", "expires": "2026-01-10"
        }))
        .unwrap(),
    );
    s.spec.waivers.push(serde_json::from_value(serde_json::json!({
        "property": "order", "route": "GET /nothing", "reason": "r", "owner": "@o", "expires": "2027-01-10"
    })).unwrap());
    let out = run(&s, mk());
    let order = out.findings.iter().find(|f| f.kind == ORDER).unwrap();
    assert_eq!(order.status, Status::Waived);
    assert_eq!(order.waiver.as_ref().unwrap().owner, "@o");
    let kinds_: Vec<_> = out.findings.iter().map(|f| f.kind.as_str()).collect();
    assert!(kinds_.contains(&"secprop/waiver-expiring"));
    assert!(kinds_.contains(&"secprop/stale-waiver"));
    // After the date the finding is open again and the waiver says so.
    let late = crate::check(
        &s,
        &[("api".to_string(), mk().project)],
        &crate::Options {
            today: secprop_spec::Date::parse("2026-01-11"),
        },
    );
    let order = late.findings.iter().find(|f| f.kind == ORDER).unwrap();
    assert_eq!(order.status, Status::Open);
    assert!(
        late.findings
            .iter()
            .any(|f| f.kind == "secprop/waiver-expired")
    );
}

#[test]
fn fingerprints_survive_line_moves() {
    let build = |pad: usize| {
        let mut pr = P::new();
        for _ in 0..pad {
            call("noise").s();
        }
        let h = pr.handler(vec![call("reports.build").aw().s()]);
        pr.route("GET", "/projects/:projectId/report", vec![login()], h);
        let out = run(&seed_spec(), pr);
        let f = out
            .findings
            .iter()
            .find(|f| f.kind == ORDER)
            .unwrap()
            .clone();
        (f.id, f.line)
    };
    let (a, la) = build(0);
    let (b, lb) = build(5);
    assert_ne!(la, lb);
    assert_eq!(a, b);
}

#[test]
fn property_guards_replace_the_context() {
    let mut pr = P::new();
    let h = pr.handler(vec![
        call("requireAdmin").aw().s(),
        call("reports.build").aw().s(),
    ]);
    pr.route("GET", "/admin/report", vec![login()], h);
    let s = spec(serde_json::json!({
        "version": 1,
        "targets": [{"name": "api", "framework": "express"}],
        "context": {"authentication": ["requireLogin"], "authorization": ["membership.canView"], "side_effects": ["reports.*"]},
        "properties": [
            {"id": "admin-order", "kind": "no_side_effects_before_authz", "routes": ["/admin/**"],
             "guards": [{"call": "requireAdmin", "denies_by": "raise"}]}
        ]
    }));
    let out = run(&s, pr);
    assert_eq!(kinds(&out), vec![]);
    let _ = FnId(0);
}

#[test]
fn denies_by_is_inferred_from_the_visible_body_or_declared_type() {
    let mut pr = P::new();
    // No declared type and no returned value: it can only deny by throwing.
    let thrower = pr.func(
        "membership.canView",
        FnOpts {
            is_async: true,
            ret: None,
            params: vec!["u", "p"],
        },
        vec![if_(ce(call("missing").e()), vec![throw()], vec![])],
    );
    let a = pr.handler(vec![
        call("membership.canView")
            .aw()
            .args(vec![user(), p("projectId")])
            .to(thrower)
            .s(),
        call("reports.build").aw().args(vec![p("projectId")]).s(),
    ]);
    pr.route("GET", "/projects/:projectId/a", vec![login()], a);
    // Declared `Promise<void>`: raise, even with a `return` inside.
    let typed = pr.func(
        "membership.canView",
        FnOpts {
            is_async: true,
            ret: Some("Promise<void>"),
            params: vec![],
        },
        vec![ret(Some(lit_true()))],
    );
    let b = pr.handler(vec![
        call("membership.canView")
            .aw()
            .args(vec![user(), p("projectId")])
            .to(typed)
            .s(),
        call("reports.build").aw().args(vec![p("projectId")]).s(),
    ]);
    pr.route("GET", "/projects/:projectId/b", vec![login()], b);
    // Returns a value: a boolean-style guard, so a discarded result is unchecked.
    let boolean = pr.func("membership.canView", async_(), vec![ret(Some(lit_true()))]);
    let g = call("membership.canView")
        .aw()
        .args(vec![user(), p("projectId")])
        .to(boolean);
    let gl = g.line();
    let build = call("reports.build").aw().args(vec![p("projectId")]);
    let bl = build.line();
    let c = pr.handler(vec![g.s(), build.s()]);
    pr.route("GET", "/projects/:projectId/c", vec![login()], c);
    let out = run(&seed_spec(), pr);
    assert_eq!(
        kinds(&out),
        vec![k(TENANT, bl), k(ORDER, bl), k(UNCHECKED, gl)]
    );
}
