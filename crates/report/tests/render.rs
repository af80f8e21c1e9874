//! Snapshots of the human and JSON renderers on a hand-made finding over a real file.

use secprop_check::{Confidence, Finding, Related, Status};
use secprop_spec::Severity;

const APP: &str = "app.get('/projects/:projectId/report', requireLogin, async (req, res) => {
  const report = await reports.buildProjectReport(req.params.projectId);
  if (!(await membership.canView(req.user.id, req.params.projectId))) {
    return res.status(403).send({ error: 'Forbidden' });
  }
  return res.send(report);
});
";

fn finding(status: Status) -> Finding {
    Finding {
        id: "0123456789abcdef".into(),
        property: "no-work-before-authz".into(),
        kind: "no_side_effects_before_authz".into(),
        severity: Severity::High,
        confidence: Confidence::Certain,
        target: "api".into(),
        route: Some("GET /projects/{projectId}/report".into()),
        file: "src/app.js".into(),
        line: 2,
        column: 24,
        end_line: 2,
        end_column: 50,
        message: "`reports.buildProjectReport` runs before the authorization check".into(),
        related: vec![Related {
            file: "src/app.js".into(),
            line: 3,
            column: 15,
            end_line: 3,
            end_column: 33,
            message: "authorization is checked only here".into(),
        }],
        status,
        waiver: None,
        help: Some("move `membership.canView` before `reports.buildProjectReport`".into()),
    }
}

fn repo() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    std::fs::create_dir_all(dir.path().join("src")).unwrap();
    std::fs::write(dir.path().join("src/app.js"), APP).unwrap();
    dir
}

#[test]
fn human_frame_shows_primary_and_related() {
    let dir = repo();
    let out = secprop_report::human::render(
        &[finding(Status::Open), finding(Status::Waived)],
        &[],
        dir.path(),
        false,
    );
    insta::assert_snapshot!(out);
}

#[test]
fn human_without_source_still_names_location() {
    let dir = tempfile::tempdir().unwrap();
    let out = secprop_report::human::render(&[finding(Status::Open)], &[], dir.path(), false);
    assert!(out.contains("at src/app.js:2:24"), "{out}");
}

#[test]
fn json_has_every_field() {
    let out = secprop_report::json::render(&[finding(Status::Open)], &[], &[], "0.1.0");
    insta::assert_snapshot!(out);
}
