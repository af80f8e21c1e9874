//! Loads the spec (discovered or `--spec`) and scans each target with its frontend.

use crate::Reported;
use crate::args::Common;
use anyhow::{Context, Result};
use secprop_model::{Project, WarningKind};
use secprop_spec::LoadedSpec;
use std::io::IsTerminal;

/// Whether stderr output may use colour.
pub fn color_stderr() -> bool {
    std::env::var_os("NO_COLOR").is_none() && std::io::stderr().is_terminal()
}

/// Whether stdout output may use colour.
pub fn color_stdout() -> bool {
    std::env::var_os("NO_COLOR").is_none() && std::io::stdout().is_terminal()
}

/// Finds and loads the spec; a bad spec is rendered to stderr and becomes exit 2.
pub fn load_spec(common: &Common) -> Result<LoadedSpec> {
    let path = match &common.spec {
        Some(p) => p.clone(),
        None => {
            let cwd = std::env::current_dir().context("reading the current folder")?;
            match secprop_spec::discover(&cwd) {
                Ok(p) => p,
                Err(e) => {
                    eprintln!("{}", e.render(color_stderr()));
                    return Err(Reported(2).into());
                }
            }
        }
    };
    match try_load(&path) {
        Ok(spec) => Ok(spec),
        Err(errors) => {
            eprint!("{}", errors.render(color_stderr()));
            Err(Reported(2).into())
        }
    }
}

/// Loads the spec at `path` with what the registries support, so a spec naming any other
/// framework or runner fails at load.
pub fn try_load(path: &std::path::Path) -> Result<LoadedSpec, secprop_spec::SpecErrors> {
    let frameworks: Vec<&str> = secprop_frontends::FRONTENDS
        .iter()
        .map(|f| f.framework())
        .collect();
    let runners: Vec<&str> = secprop_generate::runner::all()
        .iter()
        .map(|p| p.runner().as_str())
        .collect();
    let supported = secprop_spec::Supported {
        frameworks: Some(&frameworks),
        runners: Some(&runners),
    };
    secprop_spec::load_with(path, &supported)
}

/// The scanned targets (spec target name and project) and the scan's warnings.
pub struct Scanned {
    pub projects: Vec<(String, Project)>,
    pub warnings: Vec<String>,
}

/// How much of each function a scan needs.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Depth {
    /// Routes, chains, and the bodies their middleware reach: what `secprop routes`
    /// needs to list chain guards (the same guards as a full scan, proven by
    /// `tests/routes_scan.rs`).
    Routes,
    /// Every function body: what the checks and the generator need.
    Full,
}

/// Scans every target; a framework without a frontend yet is exit 2, never a silently
/// empty route list. Warnings go to the returned list (stderr or JSON `errors`).
pub fn scan_targets(spec: &LoadedSpec, depth: Depth) -> Result<Scanned> {
    scan_selected(spec, depth, &[])
}

/// [`scan_targets`] limited to the targets named by `--target` (all when `only` is
/// empty); an unknown name is exit 2 with the list of targets.
pub fn scan_selected(spec: &LoadedSpec, depth: Depth, only: &[String]) -> Result<Scanned> {
    let names: Vec<&str> = spec.spec.targets.iter().map(|t| t.name.as_str()).collect();
    let unknown: Vec<&String> = only
        .iter()
        .filter(|n| !names.contains(&n.as_str()))
        .collect();
    if !unknown.is_empty() {
        eprintln!(
            "secprop: error: no target {} in the spec; its targets: {}",
            unknown
                .iter()
                .map(|n| format!("`{}`", n.escape_debug()))
                .collect::<Vec<_>>()
                .join(", "),
            names.join(", ")
        );
        return Err(Reported(2).into());
    }
    let mut projects = Vec::new();
    let mut warnings = Vec::new();
    for target in &spec.spec.targets {
        if !only.is_empty() && !only.contains(&target.name) {
            continue;
        }
        let Some(frontend) = secprop_frontends::get(target.framework.as_str()) else {
            eprintln!(
                "secprop: target `{}`: the {} frontend is not available in this version yet",
                target.name,
                target.framework.as_str()
            );
            return Err(Reported(2).into());
        };
        let options = secprop_frontends::scan_options(spec, target);
        let project = match depth {
            Depth::Routes => secprop_frontends::scan_routes(frontend, &options),
            Depth::Full => secprop_frontends::scan(frontend, &options),
        };
        for w in &project.warnings {
            let loc = match &w.span {
                Some(s) => format!("{}:{}:{}", w.file, s.line, s.column),
                None => w.file.clone(),
            };
            let what = match w.kind {
                WarningKind::ParseError => "parse error",
                WarningKind::SkippedFile => "skipped",
                WarningKind::UnresolvedImport => "unresolved import",
                WarningKind::Encoding => "encoding",
                WarningKind::Other => "warning",
            };
            warnings.push(format!("{loc}: {what}: {}", w.message));
        }
        projects.push((target.name.clone(), project));
    }
    Ok(Scanned { projects, warnings })
}

/// Prints warnings to stderr (human output).
pub fn print_warnings(warnings: &[String]) {
    for w in warnings {
        eprintln!("warning: {w}");
    }
}
