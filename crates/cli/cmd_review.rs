//! `secprop review --base REF` (spec-v1 §10): analyses the working tree and the base
//! commit `merge-base(REF, HEAD)` with the same spec, and reports what the change added.
//! The base is read from git into a temporary folder; the user's checkout, index and refs
//! are never written.

use crate::Reported;
use crate::args::{Common, ReviewFormat};
use crate::cmd_check::{Analysis, analyse, resolve_today};
use crate::output;
use crate::workspace::{Depth, Scanned, load_spec, print_warnings, scan_targets, try_load};
use anyhow::{Context, Result};
use secprop_review::render::BaseInfo;
use secprop_review::{Side, git};

const FORMATS: &[&str] = &["markdown", "json"];

pub fn run(
    common: &Common,
    base: &str,
    format: ReviewFormat,
    output_args: &[String],
    today: Option<&str>,
) -> Result<u8> {
    let outputs = output::parse(output_args, FORMATS)?;
    let today = resolve_today(today)?;
    let spec = load_spec(common)?;
    let top = match git::toplevel(&spec.repo_root)
        .and_then(|top| git::merge_base(&top, base).map(|commit| (top, commit)))
    {
        Ok(found) => found,
        Err(e) => {
            eprintln!("secprop review: error: {e}");
            return Err(Reported(2).into());
        }
    };
    let (top, commit) = top;

    // The base tree, with the head's spec at the same place: the same rules judge both
    // sides, so what differs is the code (a finding already open at the base under
    // today's spec is not blamed on the change).
    let scratch = tempfile::Builder::new()
        .prefix("secprop-review-")
        .tempdir()
        .context("creating a temporary folder for the base")?;
    let base_root = scratch.path().to_path_buf();
    if let Err(e) = git::materialize(&top, &commit, &base_root) {
        eprintln!("secprop review: error: {e}");
        return Err(Reported(2).into());
    }
    std::fs::create_dir_all(base_root.join(".git")).context("marking the base's root")?;
    let top_real = top.canonicalize().unwrap_or(top.clone());
    let spec_real = spec.path.canonicalize().unwrap_or(spec.path.clone());
    let rel = spec_real
        .strip_prefix(&top_real)
        .context("the spec lies outside the git repository")?;
    let base_spec_path = base_root.join(rel);
    if let Some(parent) = base_spec_path.parent() {
        std::fs::create_dir_all(parent).context("writing the spec into the base")?;
    }
    std::fs::copy(&spec.path, &base_spec_path).context("writing the spec into the base")?;

    let Scanned { projects, warnings } = scan_targets(&spec, Depth::Full)?;
    let head = analyse(&spec, &projects, warnings, today);
    let mut errors = head.errors.clone();

    // A base where the spec does not load (its `root` did not exist yet) has no routes.
    let base_spec = match try_load(&base_spec_path) {
        Ok(s) => Some(s),
        Err(e) => {
            errors.push(format!(
                "the spec does not load on the base tree, so everything counts as new: {}",
                e.render(false).lines().next().unwrap_or("")
            ));
            None
        }
    };
    let base_scan = match &base_spec {
        Some(s) => Some(scan_targets(s, Depth::Full)?),
        None => None,
    };
    let base_analysis = match (&base_spec, &base_scan) {
        (Some(s), Some(scan)) => Some(analyse(s, &scan.projects, Vec::new(), today)),
        _ => None,
    };
    let empty = Analysis {
        result: Default::default(),
        errors: vec![],
        route_tests: None,
    };
    let base_side = Side {
        spec: &spec.spec,
        projects: base_scan.as_ref().map_or(&[][..], |s| &s.projects[..]),
        findings: &base_analysis.as_ref().unwrap_or(&empty).result.findings,
        tests: base_analysis
            .as_ref()
            .and_then(|a| a.route_tests.as_deref()),
        root: &base_root,
    };
    let head_side = Side {
        spec: &spec.spec,
        projects: &projects,
        findings: &head.result.findings,
        tests: head.route_tests.as_deref(),
        root: &top,
    };
    let review = secprop_review::compare(&base_side, &head_side);
    let info = BaseInfo {
        reference: base,
        commit: &commit,
    };
    let render = |fmt: &str| -> String {
        match fmt {
            "json" => {
                secprop_review::render::json(&review, &info, &errors, env!("CARGO_PKG_VERSION"))
            }
            _ => secprop_review::render::markdown(&review, &info),
        }
    };
    if format == ReviewFormat::Markdown {
        print_warnings(&errors);
    }
    let main = match format {
        ReviewFormat::Markdown => "markdown",
        ReviewFormat::Json => "json",
    };
    output::emit(&outputs, &render(main))?;
    for (fmt, file) in &outputs.extra {
        output::write_atomic(file, &render(fmt))?;
    }
    Ok(review.exit_code())
}
