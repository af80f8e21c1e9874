//! `secprop init` (spec-v1 §10): writes the starter `secprop.yaml`, the harness scaffold,
//! a pull-request template and a CI workflow at the repository root. Never overwrites a
//! file without `--force` (and never the harness); prints what it wrote and the next
//! step.

use crate::Reported;
use crate::workspace::try_load;
use anyhow::{Context, Result};
use secprop_init::harvest::Names;
use secprop_init::{Target, Tests};
use std::path::Path;

const SPEC: &str = "secprop.yaml";
const TEMPLATE: &str = ".github/pull_request_template.md";
const WORKFLOW: &str = ".github/workflows/secprop.yml";
const TESTS_OUT: &str = "tests/security";

pub fn run(force: bool) -> Result<u8> {
    let cwd = std::env::current_dir().context("reading the current folder")?;
    // spec-v1 §1: the spec is found by walking up to the repository root.
    let root = cwd
        .ancestors()
        .find(|d| d.join(".git").exists())
        .unwrap_or(&cwd)
        .to_path_buf();
    for existing in ["secprop.yml", SPEC] {
        if root.join(existing).exists() && !force {
            eprintln!(
                "secprop init: {} already exists; nothing was written\n  hint: `secprop init --force` replaces the spec, the PR template and the workflow (never the harness)",
                root.join(existing).display()
            );
            return Err(Reported(2).into());
        }
    }

    let detected = secprop_init::detect::detect(&root);
    let mut notes = Vec::new();
    let mut said = Vec::new();
    let mut targets = Vec::new();
    let mut names = Names::default();
    let has_templates = |r: &str| {
        secprop_generate::runner::all()
            .iter()
            .any(|p| p.runner().as_str() == r)
    };
    let mut chosen: Vec<&str> = Vec::new();
    for (framework, manifest) in &detected.frameworks {
        let Some(frontend) = secprop_frontends::get(framework) else {
            let msg = format!(
                "{framework} (in {manifest}) has no frontend in this version yet, so it is not a target; frontends: {}",
                supported_frameworks()
            );
            said.push(msg.clone());
            notes.push(msg);
            continue;
        };
        let include = if root.join("src").is_dir() {
            vec!["src/**".to_string()]
        } else {
            vec![]
        };
        let project = secprop_frontends::scan(
            frontend,
            &secprop_frontends::ScanOptions {
                root: root.clone(),
                repo_root: root.clone(),
                include: include.clone(),
                exclude: secprop_init::excludes(framework),
                ..Default::default()
            },
        );
        secprop_init::harvest::harvest(&project, &mut names);
        // The target's tests are for a runner of its language with templates; without
        // one the spec has no `tests` section and says why, so `check` still runs.
        let lang = secprop_init::language(framework);
        let ours: Vec<&str> = detected
            .runners
            .iter()
            .map(|(r, _)| *r)
            .filter(|r| secprop_init::language(r) == lang)
            .collect();
        let runner = ours.iter().copied().find(|r| has_templates(r));
        let ext = match lang {
            "js" if detected.typescript => "ts",
            "js" => "js",
            "python" => "py",
            _ => "rs",
        };
        let tests = runner.map(|r| Tests {
            runner: r.to_string(),
            out: TESTS_OUT.into(),
            harness: format!("{TESTS_OUT}/harness.{ext}"),
        });
        chosen.extend(runner);
        let no_tests = runner.is_none().then(|| match ours.first() {
            Some(r) => format!("test runner {r} has no templates in this version"),
            None => format!("no test runner for {framework} found in the manifests"),
        });
        said.push(format!(
            "{framework} (in {manifest}): {} route(s) found",
            project.routes.len()
        ));
        let name = if targets.is_empty() {
            "api".to_string()
        } else {
            format!("api-{framework}")
        };
        targets.push(Target {
            name,
            framework: framework.to_string(),
            include,
            tests,
            no_tests,
        });
    }
    for (r, manifest) in &detected.runners {
        if !chosen.contains(r) && !has_templates(r) {
            let msg = format!(
                "test runner {r} (in {manifest}) has no templates in this version yet; runners: {}",
                secprop_generate::runner::names()
            );
            said.push(msg.clone());
            notes.push(msg);
        }
    }
    for s in &said {
        println!("found {s}");
    }
    if targets.is_empty() {
        eprintln!(
            "secprop init: no framework with a frontend found in the manifests at {}\n  hint: frontends in this version: {}; write secprop.yaml by hand (spec-v1 §2)",
            root.display(),
            supported_frameworks()
        );
        return Err(Reported(2).into());
    }

    let spec_text = secprop_init::spec_yaml(&targets, &names, &notes);
    let tests_out = targets
        .iter()
        .find_map(|t| t.tests.as_ref())
        .map(|t| t.out.clone());
    let files = [
        (SPEC, spec_text),
        (
            TEMPLATE,
            secprop_init::pull_request_template(SPEC, tests_out.as_deref()),
        ),
        (WORKFLOW, secprop_init::workflow(SPEC)),
    ];
    let mut wrote = Vec::new();
    for (rel, text) in &files {
        let path = root.join(rel);
        if path.exists() && !force {
            println!("kept {rel}: it exists (`--force` replaces it)");
            continue;
        }
        write(&path, text)?;
        wrote.push(rel.to_string());
    }

    // The harness, from the generator's scaffold, only where it is absent.
    let spec = match try_load(&root.join(SPEC)) {
        Ok(s) => s,
        Err(e) => {
            eprint!("{}", e.render(false));
            eprintln!("secprop init: the written spec does not load; this is a bug in init");
            return Err(Reported(2).into());
        }
    };
    if spec.spec.targets.iter().any(|t| t.tests.is_some()) {
        let scanned =
            crate::workspace::scan_targets(&spec, crate::workspace::Depth::Full)?.projects;
        match secprop_generate::scaffold_harness(&spec, &scanned) {
            Ok(outcome) => wrote.extend(outcome.scaffolded),
            Err(e) => eprintln!("warning: the harness scaffold was not written: {e}"),
        }
    }
    for w in &wrote {
        println!("wrote {w}");
    }
    println!(
        "next: review every `# review` line in {SPEC}, then run `secprop check`{}",
        if tests_out.is_some() {
            "; implement the harness and run `secprop generate`"
        } else {
            ""
        }
    );
    Ok(0)
}

fn supported_frameworks() -> String {
    secprop_frontends::FRONTENDS
        .iter()
        .map(|f| f.framework())
        .collect::<Vec<_>>()
        .join(", ")
}

fn write(path: &Path, text: &str) -> Result<()> {
    if let Some(parent) = path.parent() {
        std::fs::create_dir_all(parent)
            .with_context(|| format!("creating {}", parent.display()))?;
    }
    crate::output::write_atomic(path, text)
}
