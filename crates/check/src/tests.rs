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
            ..Default::default()
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

#[test]
fn log_calls_count_only_with_include_logs() {
    let mk = || {
        let mut pr = P::new();
        let log = call("logger.info").args(vec![p("projectId")]);
        let ll = log.line();
        let h = pr.handler(vec![
            log.s(),
            if_(not(ce(can_view().e())), deny(403), vec![]),
        ]);
        pr.route("GET", "/projects/:projectId/report", vec![login()], h);
        (pr, ll)
    };
    let (pr, _) = mk();
    assert_eq!(kinds(&run(&seed_spec(), pr)), vec![]);
    let mut s = seed_spec();
    s.spec.properties[1].include_logs = Some(true);
    let (pr, ll) = mk();
    assert_eq!(kinds(&run(&s, pr)), vec![k(ORDER, ll)]);
}

#[test]
fn route_selection_for_the_routes_command() {
    let mut pr = P::new();
    let h = pr.handler(vec![]);
    pr.route(
        "GET",
        "/projects/:id/report",
        vec![login(), mw("requireProjectMember", None), mw("cors", None)],
        h,
    );
    let h = pr.handler(vec![]);
    pr.route("GET", "/health", vec![], h);
    let mut s = seed_spec();
    s.spec.public.push(secprop_spec::PublicRoute {
        route: "GET /health".into(),
        reason: "probe".into(),
    });
    s.spec.properties.push(serde_json::from_value(serde_json::json!(
        {"id": "no-leaks", "kind": "sensitive_data_not_exposed", "routes": ["**"], "except": ["/projects/**"]}
    )).unwrap());
    let project = pr.project;
    let report = crate::select_route(&s.spec, "api", &project.routes[0], &project);
    assert_eq!(report.properties, vec!["tenant", "order", "login"]);
    assert!(!report.public && report.covered);
    let guards: Vec<_> = report
        .guards
        .iter()
        .map(|g| (g.name.as_str(), g.kind))
        .collect();
    assert_eq!(
        guards,
        vec![
            ("requireLogin", crate::GuardKind::Authentication),
            ("requireProjectMember", crate::GuardKind::Authorization)
        ]
    );
    // A project middleware that checks membership before `next()` carries the guard.
    let mut pr2 = P::new();
    let m = pr2.func(
        "checkMember",
        FnOpts {
            is_async: true,
            ret: None,
            params: vec!["req", "res", "next"],
        },
        vec![if_(not(ce(can_view().e())), deny(403), vec![]), next()],
    );
    let h = pr2.handler(vec![]);
    pr2.route("GET", "/projects/:id", vec![mw("checkMember", Some(m))], h);
    let carried = crate::select_route(&s.spec, "api", &pr2.project.routes[0], &pr2.project);
    let guards: Vec<_> = carried
        .guards
        .iter()
        .map(|g| (g.name.as_str(), g.kind))
        .collect();
    assert_eq!(
        guards,
        vec![("checkMember", crate::GuardKind::Authorization)]
    );
    // Public: leaves the identity kinds, stays in the others.
    let health = crate::select_route(&s.spec, "api", &project.routes[1], &project);
    assert_eq!(health.properties, vec!["no-leaks"]);
    assert!(health.public && health.covered);
    // `targets` restricts a property to the targets it names.
    let other = crate::select_route(&s.spec, "web", &project.routes[1], &project);
    assert_eq!(other.properties, vec!["no-leaks"]);
    s.spec.properties[3].targets = Some(vec!["api".into()]);
    let other = crate::select_route(&s.spec, "web", &project.routes[1], &project);
    assert!(other.properties.is_empty() && other.covered);
}

#[test]
fn forbidden_calls_are_not_guards() {
    let mut pr = P::new();
    let q = pr.func("db.query", async_(), vec![ret(Some(lit_true()))]);
    // Un-awaited and discarded: a forbidden call, never an unchecked guard.
    let c = call("db.query").to(q);
    let cl = c.line();
    let h = pr.handler(vec![c.s(), send(None)]);
    pr.route("GET", "/raw/x", vec![login()], h);
    let s = spec(serde_json::json!({
        "version": 1,
        "targets": [{"name": "api", "framework": "express"}],
        "context": {"authentication": ["requireLogin"]},
        "properties": [
            {"id": "raw", "kind": "forbidden_calls", "routes": ["/raw/**"], "calls": ["db.query"], "reason": "use the repositories"}
        ]
    }));
    let out = run(&s, pr);
    assert_eq!(kinds(&out), vec![k("forbidden_calls", cl)]);
    assert!(
        first(&out, "forbidden_calls")
            .message
            .ends_with(": use the repositories")
    );
}

#[test]
fn role_guards_come_from_the_property() {
    let mut pr = P::new();
    let h = pr.handler(vec![call("search.reindex").aw().s()]);
    let rl = pr.route(
        "POST",
        "/admin/reindex",
        vec![login(), mw("membership.canView", None)],
        h,
    );
    let h = pr.handler(vec![call("search.reindex").aw().s()]);
    pr.route(
        "POST",
        "/admin/fine",
        vec![login(), mw("requireAdmin", None)],
        h,
    );
    let s = spec(serde_json::json!({
        "version": 1,
        "targets": [{"name": "api", "framework": "express"}],
        "context": {"authentication": ["requireLogin"], "authorization": ["membership.canView"], "side_effects": ["search.*"]},
        "properties": [
            {"id": "admins", "kind": "role_required", "routes": ["/admin/**"], "guards": ["requireAdmin"], "roles": ["admin"]}
        ]
    }));
    let out = run(&s, pr);
    // Login and membership prove nothing about the role.
    assert_eq!(kinds(&out), vec![k("role_required", rl)]);
}

#[test]
fn guard_result_compared_with_a_literal() {
    // `if (allowed === false) return res.sendStatus(403)`: the model keeps no operator,
    // so both branches count as checked rather than flag correct code.
    let mut pr = P::new();
    let h = pr.handler(vec![
        let_("allowed", can_view().e()),
        if_(
            ce(cmp(l("allowed"), Expr::Literal(Literal::Bool(false)))),
            deny(403),
            vec![],
        ),
        call("reports.build").aw().args(vec![p("projectId")]).s(),
    ]);
    pr.route("GET", "/projects/:projectId/report", vec![login()], h);
    assert_eq!(kinds(&run(&seed_spec(), pr)), vec![]);
}

#[test]
fn nested_helpers_do_not_multiply_events() {
    // f0 calls f1 twice, f1 calls f2 twice, ... f14: 2^14 paths to one call.
    let mut pr = P::new();
    let mut next_fn = pr.func("f14", FnOpts::default(), vec![call("audit.record").s()]);
    for i in (0..14).rev() {
        next_fn = pr.func(
            &format!("f{i}"),
            FnOpts::default(),
            vec![call("f").to(next_fn).s(), call("f").to(next_fn).s()],
        );
    }
    let c = call("f0").to(next_fn);
    let cl = c.line();
    let h = pr.handler(vec![c.s()]);
    pr.route("GET", "/projects/:projectId/deep", vec![login()], h);
    let spec = seed_spec();
    let mut errors = Vec::new();
    let ctx = crate::config::Ctx::compile(&spec.spec, &mut errors);
    let mut a = crate::analysis::Analyzer::new(&pr.project, &ctx, &ctx.guards, Default::default());
    let ra = a.route(&pr.project.routes[0]);
    assert!(ra.events.len() < 50, "{} events", ra.events.len());
    drop(a);
    let out = run(&spec, pr);
    assert_eq!(kinds(&out), vec![k(TENANT, cl), k(ORDER, cl)]);
}

#[test]
fn a_depth_cut_is_not_memoised_for_shallower_callers() {
    // Route 1 reaches `f1` at the depth limit, which cuts `f0`'s effect there; route 2
    // calls `f1` directly and must still see it.
    let mut pr = P::new();
    let f0 = pr.func("f0", FnOpts::default(), vec![call("audit.record").s()]);
    let f1 = pr.func("f1", FnOpts::default(), vec![call("f0").to(f0).s()]);
    let mut top = f1;
    for i in 2..16 {
        top = pr.func(
            &format!("f{i}"),
            FnOpts::default(),
            vec![call("f").to(top).s()],
        );
    }
    let h = pr.handler(vec![call("top").to(top).s()]);
    pr.route("GET", "/projects/:projectId/deep", vec![login()], h);
    let c = call("f1").to(f1);
    let cl = c.line();
    let h = pr.handler(vec![c.s()]);
    pr.route("GET", "/projects/:projectId/shallow", vec![login()], h);
    let out = run(&seed_spec(), pr);
    assert!(kinds(&out).contains(&k(ORDER, cl)), "{:?}", kinds(&out));
}

#[test]
fn files_that_do_not_parse_are_info_findings() {
    let mut pr = P::new();
    let h = pr.handler(vec![send(None)]);
    pr.route("GET", "/health", vec![login()], h);
    pr.project.files[0].parse_error = Some(secprop_model::Span {
        line: 7,
        column: 3,
        ..Default::default()
    });
    let out = run(&seed_spec(), pr);
    let f = first(&out, "secprop/parse-error");
    assert_eq!((f.file.as_str(), f.line, f.column), ("src/app.js", 7, 3));
    assert_eq!(f.severity, secprop_spec::Severity::Info);
    assert_eq!(exit_code(std::slice::from_ref(f), FailOn::Low), 0);
}

fn audit_spec() -> secprop_spec::LoadedSpec {
    spec(serde_json::json!({
        "version": 1,
        "targets": [{"name": "api", "framework": "express"}],
        "context": {"authentication": ["requireLogin"], "side_effects": ["audit.record"]},
        "properties": [
            {"id": "audited", "kind": "audit_event_emitted", "routes": ["/export/**"], "events": ["audit.record"]}
        ]
    }))
}

#[test]
fn audit_events_on_every_successful_path() {
    let mut pr = P::new();
    // Event before, event after the response, fire-and-forget event: all fine.
    let before = pr.handler(vec![call("audit.record").aw().s(), send(None)]);
    pr.route("GET", "/export/a", vec![login()], before);
    let after = pr.handler(vec![send(None), call("audit.record").aw().s()]);
    pr.route("GET", "/export/b", vec![login()], after);
    let detached = pr.handler(vec![call("audit.record").s(), send(None)]);
    pr.route("GET", "/export/c", vec![login()], detached);
    // A failure path without the event is fine; only successes need one.
    let failing = pr.handler(vec![
        if_(ce(call("flag").e()), deny(404), vec![]),
        call("audit.record").aw().s(),
        send(None),
    ]);
    pr.route("GET", "/export/d", vec![login()], failing);
    // Through a helper that records.
    let rec = pr.func(
        "recordExport",
        async_(),
        vec![call("audit.record").aw().s()],
    );
    let helper = pr.handler(vec![call("recordExport").aw().to(rec).s(), send(None)]);
    pr.route("GET", "/export/e", vec![login()], helper);
    // A quick path that skips the event: finding at the registration.
    let quick = pr.handler(vec![
        if_(ce(call("flag").e()), vec![send(None), ret(None)], vec![]),
        call("audit.record").aw().s(),
        send(None),
    ]);
    let ql = pr.route("GET", "/export/f", vec![login()], quick);
    // Never recorded.
    let never = pr.handler(vec![send(Some(200))]);
    let nl = pr.route("GET", "/export/g", vec![login()], never);
    let out = run(&audit_spec(), pr);
    assert_eq!(
        kinds(&out),
        vec![k("audit_event_emitted", ql), k("audit_event_emitted", nl)]
    );
    assert!(
        first(&out, "audit_event_emitted")
            .message
            .contains("without calling `audit.record`")
    );
}

/// The dataflow must agree with brute-force path enumeration: on random loop-and-branch
/// programs, an effect is reported exactly when some path reaches it before a guard
/// passed. The oracle below simulates one path per sequence of branch choices.
mod against_path_enumeration {
    use super::*;
    use crate::analysis::{Analyzer, Event, Fact};
    use crate::config::Ctx;
    use secprop_model::{Cond, Stmt, StmtKind};
    use std::collections::BTreeSet;

    struct Rng(u64);
    impl Rng {
        fn below(&mut self, n: u64) -> u64 {
            self.0 = self
                .0
                .wrapping_mul(6_364_136_223_846_793_005)
                .wrapping_add(1_442_695_040_888_963_407);
            (self.0 >> 33) % n
        }
    }

    fn opaque() -> Cond {
        ce(call("flag").e())
    }
    fn guard() -> Cond {
        ce(call("membership.canView")
            .aw()
            .args(vec![user(), p("projectId")])
            .e())
    }

    fn gen_cond(r: &mut Rng, depth: u32) -> Cond {
        match r.below(if depth == 0 { 2 } else { 5 }) {
            0 => opaque(),
            1 => guard(),
            2 => not(gen_cond(r, depth - 1)),
            3 => and(gen_cond(r, depth - 1), gen_cond(r, depth - 1)),
            _ => or(gen_cond(r, depth - 1), gen_cond(r, depth - 1)),
        }
    }

    fn program(r: &mut Rng, depth: u32) -> Vec<Stmt> {
        let n = r.below(4);
        (0..n)
            .map(|_| match r.below(if depth == 0 { 5 } else { 8 }) {
                0 | 1 => call("audit.record").aw().s(),
                2 => call("assertMember")
                    .aw()
                    .args(vec![user(), p("projectId")])
                    .s(),
                3 => send(Some(403)),
                4 => {
                    if r.below(2) == 0 {
                        ret(None)
                    } else {
                        throw()
                    }
                }
                5 | 6 => if_(gen_cond(r, 2), program(r, depth - 1), program(r, depth - 1)),
                _ => st(StmtKind::Loop {
                    body: program(r, depth - 1),
                }),
            })
            .collect()
    }

    enum Out {
        Done,
        NeedMore,
    }

    /// Simulates one path; `choices` decides every branch, opaque value and guard result.
    struct Sim<'a> {
        choices: &'a [bool],
        used: usize,
        passed: bool,
        reached: BTreeSet<u32>,
        bad: BTreeSet<u32>,
    }

    impl Sim<'_> {
        fn choose(&mut self) -> Option<bool> {
            let c = self.choices.get(self.used).copied();
            self.used += 1;
            c
        }
        fn cond(&mut self, c: &Cond) -> Option<bool> {
            Some(match c {
                Cond::Not(a) => !self.cond(a)?,
                Cond::And(a, b) => self.cond(a)? && self.cond(b)?,
                Cond::Or(a, b) => self.cond(a)? || self.cond(b)?,
                Cond::Expr(secprop_model::Expr::Call(c)) if c.text == "membership.canView" => {
                    let ok = self.choose()?;
                    if ok {
                        self.passed = true;
                    }
                    ok
                }
                Cond::Expr(_) | Cond::Compare { .. } => self.choose()?,
            })
        }
        /// `Some(true)`: the path exited.
        fn block(&mut self, stmts: &[Stmt]) -> Option<bool> {
            for s in stmts {
                match &s.kind {
                    StmtKind::Expr(secprop_model::Expr::Call(c)) => {
                        if c.text == "assertMember" {
                            self.passed = true;
                        } else {
                            self.reached.insert(c.span.line);
                            if !self.passed {
                                self.bad.insert(c.span.line);
                            }
                        }
                    }
                    StmtKind::Return(_) | StmtKind::Throw(_) => return Some(true),
                    StmtKind::If {
                        cond,
                        then_branch,
                        else_branch,
                    } => {
                        let b = if self.cond(cond)? {
                            then_branch
                        } else {
                            else_branch
                        };
                        if self.block(b)? {
                            return Some(true);
                        }
                    }
                    // Zero or one iteration: facts only grow, so more add nothing.
                    StmtKind::Loop { body } if self.choose()? && self.block(body)? => {
                        return Some(true);
                    }
                    _ => {}
                }
            }
            Some(false)
        }
    }

    fn explore(
        body: &[Stmt],
        prefix: &mut Vec<bool>,
        reached: &mut BTreeSet<u32>,
        bad: &mut BTreeSet<u32>,
    ) {
        let mut sim = Sim {
            choices: prefix,
            used: 0,
            passed: false,
            reached: BTreeSet::new(),
            bad: BTreeSet::new(),
        };
        let out = match sim.block(body) {
            Some(_) => Out::Done,
            None => Out::NeedMore,
        };
        match out {
            Out::Done => {
                reached.extend(sim.reached);
                bad.extend(sim.bad);
            }
            Out::NeedMore => {
                for c in [false, true] {
                    prefix.push(c);
                    explore(body, prefix, reached, bad);
                    prefix.pop();
                }
            }
        }
    }

    #[test]
    fn dataflow_equals_path_enumeration() {
        let spec = seed_spec();
        let mut errors = Vec::new();
        let ctx = Ctx::compile(&spec.spec, &mut errors);
        let mut r = Rng(0x5eed);
        let mut nontrivial = 0;
        for _ in 0..1000 {
            let body = program(&mut r, 3);
            let mut pr = P::new();
            let h = pr.handler(body.clone());
            pr.route("GET", "/projects/:projectId/x", vec![], h);
            let mut analyzer = Analyzer::new(&pr.project, &ctx, &ctx.guards, Default::default());
            let ra = analyzer.route(&pr.project.routes[0]);
            let mut df_reached = BTreeSet::new();
            let mut df_bad = BTreeSet::new();
            for e in &ra.events {
                if let Event::Effect(x) = e {
                    df_reached.insert(x.span.line);
                    if !x.facts.contains(&Fact::Authz) {
                        df_bad.insert(x.span.line);
                    }
                }
            }
            let mut reached = BTreeSet::new();
            let mut bad = BTreeSet::new();
            explore(&body, &mut Vec::new(), &mut reached, &mut bad);
            // Every atomic condition is an independent choice, so every branch is
            // feasible and both analyses reach the same calls.
            assert_eq!(df_bad, bad, "program: {body:#?}");
            assert_eq!(df_reached, reached, "program: {body:#?}");
            if !reached.is_empty() && bad.len() < reached.len() {
                nontrivial += 1;
            }
        }
        assert!(
            nontrivial > 20,
            "too few programs mix passed and unpassed effects: {nontrivial}"
        );
    }
}

/// A chain element of the given kind, named like a project function.
fn element(
    kind: secprop_model::ChainKind,
    name: &str,
    f: Option<FnId>,
) -> secprop_model::ChainElement {
    secprop_model::ChainElement {
        kind,
        ..mw(name, f)
    }
}

#[test]
fn signature_guards_deny_by_raise() {
    use secprop_model::ChainKind;
    // axum: `async fn report(member: RequireProjectMember, Path(id): Path<String>)`.
    // An external extractor authorizes; which parameter it reads is not visible.
    let mut pr = P::new();
    let build = call("reports.build").aw().args(vec![p("projectId")]);
    let bl = build.line();
    let h = pr.handler(vec![build.s()]);
    let extractor = element(
        ChainKind::Signature { arg: 0 },
        "requireProjectMember",
        None,
    );
    pr.route(
        "GET",
        "/projects/:projectId/report",
        vec![login(), extractor],
        h,
    );
    assert_eq!(kinds(&run(&seed_spec(), pr)), vec![k(TENANT, bl)]);

    // An extractor that is a project function carries the guard its body raises with.
    let mut pr = P::new();
    let x = pr.func(
        "ProjectMember.from_request_parts",
        FnOpts {
            is_async: true,
            ret: None,
            params: vec!["parts"],
        },
        vec![
            call("assertMember")
                .aw()
                .args(vec![user(), p("projectId")])
                .s(),
            ret(None),
        ],
    );
    let h = pr.handler(vec![
        call("reports.build").aw().args(vec![p("projectId")]).s(),
    ]);
    let extractor = element(ChainKind::Signature { arg: 0 }, "ProjectMember", Some(x));
    pr.route(
        "GET",
        "/projects/:projectId/report",
        vec![login(), extractor],
        h,
    );
    assert_eq!(kinds(&run(&seed_spec(), pr)), vec![]);

    // Without the extractor the side effect runs unchecked.
    let mut pr = P::new();
    let build = call("reports.build").aw().args(vec![p("projectId")]);
    let bl = build.line();
    let h = pr.handler(vec![build.s()]);
    pr.route("GET", "/projects/:projectId/report", vec![login()], h);
    assert_eq!(
        kinds(&run(&seed_spec(), pr)),
        vec![k(TENANT, bl), k(ORDER, bl)]
    );
}

#[test]
fn param_bound_elements_receive_the_bound_route_parameter() {
    use secprop_model::ChainKind;
    // router.param('projectId', async (req, res, next, id) => {
    //   if (!(await membership.canView(req.user.id, id))) return next(err); next(); })
    let run_with = |param: &str| {
        let mut pr = P::new();
        let cb = pr.func(
            "<anonymous>",
            FnOpts {
                is_async: true,
                ret: None,
                params: vec!["req", "res", "next", "id"],
            },
            vec![
                if_(
                    not(ce(call("membership.canView")
                        .aw()
                        .args(vec![user(), l("id")])
                        .e())),
                    vec![next_err()],
                    vec![],
                ),
                next(),
            ],
        );
        let build = call("reports.build").aw().args(vec![p("projectId")]);
        let bl = build.line();
        let h = pr.handler(vec![build.s()]);
        let kind = ChainKind::ParamBound {
            param: param.into(),
            arg: 3,
        };
        pr.route(
            "GET",
            "/projects/:projectId/report",
            vec![login(), element(kind, "<fn>", Some(cb))],
            h,
        );
        (kinds(&run(&seed_spec(), pr)), bl)
    };
    // The callback's `id` is the bound `projectId`: the tenant is checked.
    assert_eq!(run_with("projectId").0, vec![]);
    // Bound to a parameter the route lacks, `id` is unknown: authorized, tenant unchecked.
    let (found, bl) = run_with("orgId");
    assert_eq!(found, vec![k(TENANT, bl)]);
}

/// The seed context with the two output properties on every route.
fn output_spec() -> secprop_spec::LoadedSpec {
    spec(serde_json::json!({
        "version": 1,
        "targets": [{"name": "api", "framework": "express"}],
        "context": {
            "data_access": ["db.*"],
            "sensitive_fields": ["passwordHash", "User.apiToken"],
            "sinks": {"logs": ["logger.*"]}
        },
        "properties": [
            {"id": "leaks", "kind": "sensitive_data_not_exposed", "routes": ["**"], "channels": ["response"]},
            {"id": "errors", "kind": "malformed_input_rejected", "routes": ["**"]}
        ]
    }))
}

fn omit_(base: Expr, keys: &[&str]) -> Expr {
    Expr::Omit {
        base: Box::new(base),
        keys: keys.iter().map(|k| k.to_string()).collect(),
    }
}

/// `(kind, line, severity, confidence)` of the output findings.
fn output_findings(out: &crate::CheckOutput) -> Vec<(String, u32, String, String)> {
    out.findings
        .iter()
        .filter(|f| f.kind != crate::rules::UNMATCHED_PATTERN)
        .map(|f| {
            (
                f.kind.clone(),
                f.line,
                format!("{:?}", f.severity).to_lowercase(),
                format!("{:?}", f.confidence).to_lowercase(),
            )
        })
        .collect()
}

#[test]
fn sensitive_fields_through_reads_declared_types_and_rests() {
    const LEAK: &str = "sensitive_data_not_exposed";
    let mut pr = P::new();
    pr.project.types.push(secprop_model::RecordType {
        name: "User".into(),
        fields: vec!["id".into(), "password_hash".into(), "apiToken".into()],
        custom_serialization: false,
        span: Default::default(),
    });
    // A project function declared to return `User`, whatever its body.
    let load = pr.func(
        "loadUser",
        FnOpts {
            is_async: true,
            ret: Some("Promise<User>"),
            params: vec!["id"],
        },
        vec![ret(Some(call("db.users.find").aw().e()))],
    );
    let read = send_val(fld(l("row"), "passwordHash"));
    let whole_row = send_val(l("row"));
    let whole_user = send_val(l("u"));
    let (rl, wl, ul) = (read.span.line, whole_row.span.line, whole_user.span.line);
    let h = pr.handler(vec![
        let_("row", call("db.users.find").aw().e()),
        read,
        whole_row,
        // Selected, and with the sensitive fields removed: nothing.
        send_val(Expr::Object {
            fields: vec![("id".into(), fld(l("row"), "id"))],
            spreads: vec![],
        }),
        let_("u", call("loadUser").aw().to(load).e()),
        whole_user,
        send_val(omit_(l("u"), &["passwordHash", "api_token"])),
    ]);
    pr.route("GET", "/me", vec![], h);
    let out = run(&output_spec(), pr);
    assert!(out.errors.is_empty(), "{:?}", out.errors);
    let f = |line, sev: &str, conf: &str| (LEAK.to_string(), line, sev.into(), conf.into());
    assert_eq!(
        output_findings(&out),
        vec![
            f(rl, "high", "certain"),
            f(wl, "info", "possible"),
            f(ul, "high", "certain"),
        ]
    );
    let msg = &out.findings.iter().find(|x| x.line == ul).unwrap().message;
    assert!(
        msg.contains("`User.apiToken`") && msg.contains("`passwordHash`"),
        "{msg}"
    );
}

#[test]
fn caught_errors_of_data_access_only() {
    const ERR: &str = "malformed_input_rejected";
    let mut pr = P::new();
    let stack = send_val(fld(l("e"), "stack"));
    let sl = stack.span.line;
    let h = pr.handler(vec![
        try_(vec![call("db.users.find").aw().s()], vec![stack]),
        // A parse error of the input: its message may go back.
        try_(
            vec![call("JSON.parse").s()],
            vec![send_val(fld(l("e"), "message"))],
        ),
        // A validator's issues are meant for the client.
        try_(
            vec![call("db.users.find").aw().s()],
            vec![send_val(fld(l("e"), "issues"))],
        ),
    ]);
    pr.route("POST", "/users", vec![], h);
    let out = run(&output_spec(), pr);
    assert_eq!(
        output_findings(&out),
        vec![(ERR.to_string(), sl, "high".into(), "certain".into())]
    );
}
