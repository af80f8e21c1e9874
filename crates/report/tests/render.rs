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

/// The same place broken for a second property, a built-in finding elsewhere, and a
/// waived and an ignored finding: every shape the renderers group or suppress.
fn mixed() -> Vec<Finding> {
    let first = finding(Status::Open);
    let mut second = finding(Status::Open);
    second.id = "1111111111111111".into();
    second.property = "tenant-isolation".into();
    second.kind = "cross_tenant_denied".into();
    second.message =
        "`reports.buildProjectReport` runs before `membership.canView` checks `projectId`".into();
    second.help = Some("check the caller's access to `projectId` first".into());
    let mut uncovered = finding(Status::Open);
    uncovered.id = "2222222222222222".into();
    uncovered.property = "secprop/uncovered-route".into();
    uncovered.kind = "secprop/uncovered-route".into();
    uncovered.severity = Severity::Medium;
    uncovered.line = 1;
    uncovered.column = 1;
    uncovered.end_line = 7;
    uncovered.end_column = 3;
    uncovered.related = vec![];
    uncovered.message = "`GET /projects/{projectId}/report` is selected by no property".into();
    let mut waived = finding(Status::Waived);
    waived.id = "3333333333333333".into();
    waived.line = 6;
    waived.waiver = Some(secprop_check::WaiverRef {
        reason: "report is read-only, fix tracked in SEC-12".into(),
        owner: "team-reports".into(),
        expires: "2027-01-31".into(),
    });
    let mut ignored = finding(Status::Ignored);
    ignored.id = "4444444444444444".into();
    ignored.line = 5;
    vec![uncovered, first, second, ignored, waived]
}

fn rules() -> Vec<secprop_report::sarif::PropertyRule<'static>> {
    vec![
        secprop_report::sarif::PropertyRule {
            id: "tenant-isolation",
            kind: "cross_tenant_denied",
            severity: Severity::High,
        },
        secprop_report::sarif::PropertyRule {
            id: "no-work-before-authz",
            kind: "no_side_effects_before_authz",
            severity: Severity::High,
        },
    ]
}

fn sarif_validator() -> jsonschema::Validator {
    let schema: serde_json::Value =
        serde_json::from_str(include_str!("sarif-schema-2.1.0.json")).expect("schema parses");
    jsonschema::draft7::new(&schema).expect("schema compiles without network")
}

#[test]
fn sarif_is_valid_against_the_official_schema() {
    let out = secprop_report::sarif::render(
        &mixed(),
        &rules(),
        &["src/big.js: skipped, larger than 1 MiB".to_string()],
        "0.1.0",
    );
    let doc: serde_json::Value = serde_json::from_str(&out).unwrap();
    let errors: Vec<String> = sarif_validator()
        .iter_errors(&doc)
        .map(|e| format!("{e} at {}", e.instance_path()))
        .collect();
    assert!(errors.is_empty(), "{errors:#?}\n{out}");
    // The validator is not vacuous: a wrong level is rejected.
    let mut bad = doc.clone();
    bad["runs"][0]["results"][0]["level"] = "severe".into();
    assert!(!sarif_validator().is_valid(&bad));
    insta::assert_snapshot!(out);
}

#[test]
fn sarif_rules_results_and_suppressions() {
    let doc: serde_json::Value = serde_json::from_str(&secprop_report::sarif::render(
        &mixed(),
        &rules(),
        &[],
        "0.1.0",
    ))
    .unwrap();
    let run = &doc["runs"][0];
    assert_eq!(run["columnKind"], "unicodeCodePoints");
    assert!(run["originalUriBaseIds"]["%SRCROOT%"].is_object());
    let rules: Vec<&str> = run["tool"]["driver"]["rules"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["id"].as_str().unwrap())
        .collect();
    assert_eq!(
        rules,
        [
            "tenant-isolation",
            "no-work-before-authz",
            "secprop/uncovered-route"
        ]
    );
    let results = run["results"].as_array().unwrap();
    assert_eq!(results.len(), 5, "one result per finding");
    for r in results {
        let index = r["ruleIndex"].as_u64().unwrap() as usize;
        assert_eq!(r["ruleId"], rules[index]);
        let loc = &r["locations"][0]["physicalLocation"];
        assert_eq!(loc["artifactLocation"]["uriBaseId"], "%SRCROOT%");
    }
    assert_eq!(results[0]["level"], "warning");
    assert_eq!(results[1]["level"], "error");
    assert_eq!(
        results[1]["partialFingerprints"]["secprop/v1"],
        "0123456789abcdef"
    );
    assert_eq!(
        results[1]["properties"]["locationId"],
        results[2]["properties"]["locationId"]
    );
    assert_eq!(results[3]["suppressions"][0]["kind"], "inSource");
    assert_eq!(results[4]["suppressions"][0]["kind"], "external");
    assert_eq!(
        results[4]["suppressions"][0]["justification"],
        "report is read-only, fix tracked in SEC-12"
    );
    assert!(results[1].get("suppressions").is_none());
}

#[test]
fn human_shows_one_diagnostic_per_place() {
    let dir = repo();
    let out = secprop_report::human::render(&mixed(), &[], dir.path(), false);
    assert_eq!(out.matches("error[").count(), 1, "{out}");
    insta::assert_snapshot!(out);
}

#[test]
fn json_findings_share_a_location_id() {
    let doc: serde_json::Value =
        serde_json::from_str(&secprop_report::json::render(&mixed(), &[], &[], "0.1.0")).unwrap();
    let f = doc["findings"].as_array().unwrap();
    assert_eq!(f.len(), 5);
    assert_eq!(f[1]["location_id"], f[2]["location_id"]);
    assert_ne!(f[0]["location_id"], f[1]["location_id"]);
}

fn coverage() -> Vec<secprop_check::Coverage> {
    vec![
        secprop_check::Coverage {
            property: "tenant-isolation".into(),
            kind: "cross_tenant_denied".into(),
            selected: 2,
            checked: 2,
            tested: Some(1),
            static_check: true,
        },
        secprop_check::Coverage {
            property: "no-work-before-authz".into(),
            kind: "no_side_effects_before_authz".into(),
            selected: 2,
            checked: 2,
            tested: None,
            static_check: true,
        },
    ]
}

#[test]
fn markdown_report() {
    let out = secprop_report::markdown::render(&mixed(), &coverage());
    insta::assert_snapshot!(out);
}

#[test]
fn markdown_stays_under_the_comment_limit() {
    let mut many = Vec::new();
    for i in 0..3000u32 {
        let mut f = finding(Status::Open);
        f.id = format!("{i:016x}");
        f.line = i + 1;
        many.push(f);
    }
    let out = secprop_report::markdown::render(&many, &coverage());
    assert!(
        out.chars().count() <= secprop_report::markdown::GITHUB_COMMENT_LIMIT,
        "{}",
        out.chars().count()
    );
    assert!(
        out.contains("> **Truncated:**"),
        "{}",
        &out[out.len() - 500..]
    );
    assert!(out.contains("more locations are not shown"));
    // Small limits still hold.
    let small = secprop_report::markdown::render_with_limit(&many, &coverage(), 4000);
    assert!(small.chars().count() <= 4000, "{}", small.chars().count());
}

#[test]
fn markdown_escapes_hostile_text() {
    let mut f = finding(Status::Open);
    f.route = Some("GET /a`b|c\n</details><img src=x>".into());
    f.message = "</details><script>alert(1)</script> @everyone\nsecond line".into();
    let out = secprop_report::markdown::render(&[f], &[]);
    assert!(!out.contains("<script>"), "{out}");
    assert!(!out.contains("@everyone"), "{out}");
    // Markup in a route stays inside one code span, where it is literal text.
    assert!(
        out.contains("`` GET /a`b\\|c\\n</details><img src=x> ``"),
        "{out}"
    );
    assert_eq!(out.matches("</details>").count(), 1, "{out}");
}

#[test]
fn github_annotations() {
    let out = secprop_report::github::render(&mixed(), &["a warning".to_string()]);
    insta::assert_snapshot!(out);
}

#[test]
fn github_escapes_hostile_strings() {
    let mut f = finding(Status::Open);
    f.file = "src/a,b:c.js".into();
    f.property = "p,q".into();
    f.route = Some("GET /x,y::error file=evil\nrm".into());
    f.message = "100% bad\r\n::warning::injected".into();
    let out = secprop_report::github::render(&[f], &[]);
    assert_eq!(out.lines().count(), 1, "{out}");
    let line = out.lines().next().unwrap();
    assert!(
        line.starts_with("::error file=src/a%2Cb%3Ac.js,line=2,col=24,endLine=2,endColumn=50,title=secprop%3A p%2Cq::"),
        "{line}"
    );
    let message = line.split_once("::").unwrap().1.split_once("::").unwrap().1;
    assert!(
        message.starts_with("[p,q] 100%25 bad%0D%0A::warning::injected"),
        "{message}"
    );
    assert!(!message.contains('\n') && !message.contains('\r'));
}

#[test]
fn a_place_is_titled_by_its_most_severe_finding() {
    let dir = repo();
    let mut low = finding(Status::Open);
    low.property = "a-low-one".into();
    low.severity = Severity::Low;
    let out = secprop_report::human::render(&[low, finding(Status::Open)], &[], dir.path(), false);
    assert!(
        out.starts_with("error[no-work-before-authz, a-low-one]"),
        "{out}"
    );
}
