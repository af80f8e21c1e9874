//! `secprop check`: static checks, coverage and freshness, rendered in one format to
//! stdout (or `-o FILE`) plus any extra `FORMAT=FILE` outputs.

use crate::args::{CheckFormat, Common, FailOn};
use crate::output::{self, Outputs};
use crate::workspace::{Depth, Scanned, color_stdout, load_spec, print_warnings, scan_selected};
use anyhow::{Result, bail};
use secprop_check::{Finding, HappyPathOnly, StaleTest, UntestedRoute};
use secprop_generate::{StaleReason, TestsState};
use secprop_model::Project;
use secprop_spec::{Date, LoadedSpec};

const FORMATS: &[&str] = &["human", "json", "sarif", "markdown", "github"];

pub fn run(
    common: &Common,
    format: CheckFormat,
    fail_on: FailOn,
    output_args: &[String],
    today: Option<&str>,
    require_negative_tests: bool,
) -> Result<u8> {
    let outputs = output::parse(output_args, FORMATS)?;
    let today = resolve_today(today)?;
    let spec = load_spec(common)?;
    let Scanned { projects, warnings } = scan_selected(&spec, Depth::Full, &common.target)?;
    let happy_path_only = if require_negative_tests {
        happy_path_only(&spec, &projects)
    } else {
        Vec::new()
    };
    let Analysis { result, errors, .. } =
        analyse_with(&spec, &projects, warnings, today, happy_path_only);

    let rules: Vec<secprop_report::sarif::PropertyRule<'_>> = spec
        .spec
        .properties
        .iter()
        .map(|p| secprop_report::sarif::PropertyRule {
            id: &p.id,
            kind: p.kind.as_str(),
            severity: p.severity,
        })
        .collect();
    let render = |fmt: &str, color: bool| -> String {
        match fmt {
            "json" => secprop_report::json::render(
                &result.findings,
                &result.coverage,
                &errors,
                env!("CARGO_PKG_VERSION"),
            ),
            "sarif" => secprop_report::sarif::render(
                &result.findings,
                &rules,
                &errors,
                env!("CARGO_PKG_VERSION"),
            ),
            "markdown" => secprop_report::markdown::render(&result.findings, &result.coverage),
            "github" => secprop_report::github::render(&result.findings, &errors),
            _ => secprop_report::human::render(
                &result.findings,
                &result.coverage,
                &spec.repo_root,
                color,
            ),
        }
    };
    // JSON, SARIF and GitHub annotations carry the warnings themselves.
    if matches!(format, CheckFormat::Human | CheckFormat::Markdown) {
        print_warnings(&errors);
    }
    let main_fmt = format_name(format);
    output::emit(
        &outputs,
        &render(main_fmt, outputs.main.is_none() && color_stdout()),
    )?;
    write_extra(&outputs, &render)?;
    Ok(exit_status(&result.findings, fail_on))
}

/// What `check` finds on scanned targets, shared with `review` (which runs it on both
/// sides of a change).
pub struct Analysis {
    pub result: secprop_check::CheckOutput,
    /// Scan warnings and check errors, for stderr or JSON `errors`.
    pub errors: Vec<String>,
    /// The routes with generated tests and their state; `None` when no target has tests.
    pub route_tests: Option<Vec<secprop_generate::RouteTests>>,
}

/// Static checks, coverage and generated-test freshness (spec-v1 §10 `check`).
pub fn analyse(
    spec: &LoadedSpec,
    projects: &[(String, Project)],
    warnings: Vec<String>,
    today: Date,
) -> Analysis {
    analyse_with(spec, projects, warnings, today, Vec::new())
}

/// Routes that the project's own tests request, all on the happy path.
fn happy_path_only(spec: &LoadedSpec, projects: &[(String, Project)]) -> Vec<HappyPathOnly> {
    let mut out = Vec::new();
    for (target, project) in projects {
        let Some(counts) = crate::cmd_routes::existing_counts(spec, target, project) else {
            continue;
        };
        for (route, c) in project.routes.iter().zip(counts) {
            if c.happy > 0 && c.negative == 0 {
                out.push(HappyPathOnly {
                    target: target.clone(),
                    route: route.key(),
                    happy: c.happy,
                });
            }
        }
    }
    out
}

fn analyse_with(
    spec: &LoadedSpec,
    projects: &[(String, Project)],
    warnings: Vec<String>,
    today: Date,
    happy_path_only: Vec<HappyPathOnly>,
) -> Analysis {
    let mut errors = warnings;
    let fresh = stale_tests(spec, projects, &mut errors);
    let mut result = secprop_check::check(
        spec,
        projects,
        &secprop_check::Options {
            today: Some(today),
            stale_tests: fresh.stale,
            untested_routes: fresh.untested,
            happy_path_only,
        },
    );
    errors.extend(result.errors.iter().cloned());
    fill_tested(spec, &mut result.coverage, fresh.tested.as_ref());
    Analysis {
        result,
        errors,
        route_tests: fresh.routes,
    }
}

fn write_extra(outputs: &Outputs, render: &dyn Fn(&str, bool) -> String) -> Result<()> {
    for (fmt, file) in &outputs.extra {
        output::write_atomic(file, &render(fmt, false))?;
    }
    Ok(())
}

fn format_name(f: CheckFormat) -> &'static str {
    match f {
        CheckFormat::Human => "human",
        CheckFormat::Json => "json",
        CheckFormat::Sarif => "sarif",
        CheckFormat::Markdown => "markdown",
        CheckFormat::Github => "github",
    }
}

/// Routes tested per property id, as the generator plans them.
type Tested = std::collections::BTreeMap<String, std::collections::BTreeSet<(String, String)>>;

/// Each property's tested-route count, for properties with a target that has `tests`
/// (others stay `None`: no tests configured).
fn fill_tested(
    spec: &LoadedSpec,
    coverage: &mut [secprop_check::Coverage],
    tested: Option<&Tested>,
) {
    let Some(tested) = tested else { return };
    for (c, p) in coverage.iter_mut().zip(&spec.spec.properties) {
        let has_tests =
            spec.spec.targets.iter().any(|t| {
                t.tests.is_some() && p.targets.as_ref().is_none_or(|ts| ts.contains(&t.name))
            });
        if has_tests {
            c.tested = Some(tested.get(&p.id).map_or(0, |r| r.len()));
        }
    }
}

/// What the generator's check mode says about the tests on disk.
#[derive(Default)]
struct Freshness {
    stale: Vec<StaleTest>,
    tested: Option<Tested>,
    untested: Vec<UntestedRoute>,
    routes: Option<Vec<secprop_generate::RouteTests>>,
}

/// Generated files that `generate` would write differently now (spec-v1 §10: check
/// covers generated-test freshness), the routes the generator tests per property, and
/// the routes whose generated tests are missing or stale (`secprop/untested-route`).
/// Targets without `tests` generate nothing.
fn stale_tests(
    spec: &LoadedSpec,
    projects: &[(String, Project)],
    errors: &mut Vec<String>,
) -> Freshness {
    if spec.spec.targets.iter().all(|t| t.tests.is_none()) {
        return Freshness::default();
    }
    let outcome = match secprop_generate::generate(spec, projects, secprop_generate::Mode::Check) {
        Ok(o) => o,
        Err(e) => {
            errors.push(format!(
                "generated tests were not checked for freshness: {e}"
            ));
            return Freshness::default();
        }
    };
    let untested = outcome
        .routes
        .iter()
        .filter_map(|r| {
            let reason = match r.state {
                TestsState::Current => return None,
                TestsState::Missing => "missing",
                TestsState::Stale => "stale",
            };
            Some(UntestedRoute {
                target: r.target.clone(),
                route: r.route.clone(),
                properties: r.properties.clone(),
                file: r.file.clone(),
                reason: reason.to_string(),
            })
        })
        .collect();
    let stale = outcome
        .stale
        .into_iter()
        .filter_map(|s| {
            let reason = match s.reason {
                StaleReason::Missing => "missing",
                StaleReason::Modified => "out of date or edited by hand",
                StaleReason::Orphaned => "no longer generated",
                // The harness is the user's file; `generate --check` reports it.
                StaleReason::HarnessMissing => return None,
            };
            Some(StaleTest {
                target: target_of(spec, &s.path),
                file: s.path,
                reason: reason.to_string(),
            })
        })
        .collect();
    Freshness {
        stale,
        tested: Some(outcome.tested),
        untested,
        routes: Some(outcome.routes),
    }
}

/// The target whose `tests.out` holds a generated file (the first one when none does).
fn target_of(spec: &LoadedSpec, file: &str) -> String {
    let abs = spec.repo_root.join(file);
    spec.spec
        .targets
        .iter()
        .find(|t| {
            t.tests
                .as_ref()
                .is_some_and(|tests| abs.starts_with(spec.dir.join(&tests.out)))
        })
        .or(spec.spec.targets.first())
        .map(|t| t.name.clone())
        .unwrap_or_default()
}

/// 1 when an open finding is at or above `fail_on` (spec-v1 §10).
fn exit_status(findings: &[Finding], fail_on: FailOn) -> u8 {
    let fail_on = match fail_on {
        FailOn::Critical => secprop_check::FailOn::Critical,
        FailOn::High => secprop_check::FailOn::High,
        FailOn::Medium => secprop_check::FailOn::Medium,
        FailOn::Low => secprop_check::FailOn::Low,
        FailOn::Info => secprop_check::FailOn::Info,
        FailOn::Never => secprop_check::FailOn::Never,
    };
    u8::from(secprop_check::exit_code(findings, fail_on) != 0)
}

/// `--today`, else `SOURCE_DATE_EPOCH`, else the system clock (UTC), per spec-v1 §8.
pub fn resolve_today(arg: Option<&str>) -> Result<Date> {
    if let Some(s) = arg {
        return match Date::parse(s) {
            Some(d) => Ok(d),
            None => {
                bail!("--today {s}: not a YYYY-MM-DD date\n  hint: for example --today 2027-01-31")
            }
        };
    }
    if let Ok(epoch) = std::env::var("SOURCE_DATE_EPOCH") {
        return match epoch.trim().parse::<i64>() {
            Ok(secs) => Ok(Date::from_unix(secs)),
            Err(_) => bail!(
                "SOURCE_DATE_EPOCH={epoch}: not a number of seconds\n  hint: unset it or use --today YYYY-MM-DD"
            ),
        };
    }
    let secs = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.as_secs() as i64)
        .unwrap_or(0);
    Ok(Date::from_unix(secs))
}
