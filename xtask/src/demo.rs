//! `cargo xtask demo`: the whole claim in one command, on the bundled example app (the
//! report example). On the vulnerable variant: the route table, the findings, the
//! generated test file, and the generated tests run with vitest, failing by name with
//! their messages; then the same tests generated for the fixed app, all passing. Each
//! run happens in a scratch copy inside the npm project (removed at the end), so the
//! repository stays clean.

use crate::ci::root;
use anyhow::{Context, Result, bail};
use std::path::{Path, PathBuf};
use std::process::Command;

/// The npm project of the end-to-end apps; `fixed/` is the whole app and every other
/// folder holds only the files that differ from it.
const PROJECT: &str = "tests/e2e/express";

pub fn demo(_args: &[String]) -> Result<()> {
    let root = root();
    let status = Command::new("cargo")
        .args(["build", "--quiet", "--bin", "secprop"])
        .current_dir(&root)
        .status()
        .context("building secprop")?;
    if !status.success() {
        bail!("building secprop failed");
    }
    let exe = root.join("target/debug/secprop");
    let project = root.join(PROJECT);
    install_node_modules(&project)?;

    println!("# The example app: {PROJECT}/vulnerable laid over {PROJECT}/fixed\n");
    let vulnerable = scratch(&project, "vulnerable")?;
    for args in [&["routes"][..], &["check"][..], &["generate"][..]] {
        secprop(&exe, vulnerable.path(), args)?;
    }
    let mut generated = Vec::new();
    find_generated(vulnerable.path(), &mut generated)?;
    generated.sort();
    // The test files, not the runtime helpers they share: the property is in their body.
    for file in generated.iter().filter(|f| is_test_file(f)) {
        println!(
            "# {} (generated)\n",
            file.strip_prefix(vulnerable.path())
                .unwrap_or(file)
                .display()
        );
        println!("{}", std::fs::read_to_string(file)?);
    }
    println!("# The generated tests on the vulnerable app: they must fail\n");
    let (passed, failed) = run_tests(&project, vulnerable.path())?;
    println!("{failed} failed, {passed} passed on the vulnerable app\n");
    vulnerable.close().context("removing the scratch copy")?;

    println!("# The same tests generated for the fixed app: they must pass\n");
    let fixed = scratch(&project, "fixed")?;
    secprop(&exe, fixed.path(), &["generate"])?;
    let (passed_fixed, failed_fixed) = run_tests(&project, fixed.path())?;
    println!("{failed_fixed} failed, {passed_fixed} passed on the fixed app");
    fixed.close().context("removing the scratch copy")?;
    if failed == 0 || failed_fixed > 0 {
        bail!(
            "the demo did not show its claim: the tests must fail on the vulnerable app and pass on the fixed one"
        );
    }
    Ok(())
}

/// `npm ci` in the end-to-end project when its packages are not installed yet.
fn install_node_modules(project: &Path) -> Result<()> {
    if project.join("node_modules/.bin/vitest").exists() {
        return Ok(());
    }
    println!("# Installing the example app's npm packages (npm ci)\n");
    let status = Command::new("npm")
        .args(["ci", "--no-audit", "--no-fund"])
        .current_dir(project)
        .status()
        .context("running npm ci (the demo needs Node.js 20 and npm)")?;
    if !status.success() {
        bail!("npm ci failed in {}", project.display());
    }
    Ok(())
}

/// A copy of `variant` laid over `fixed/`, inside the npm project so that its
/// `node_modules` resolves; `.run-*` folders are gitignored and this one is removed when
/// dropped.
fn scratch(project: &Path, variant: &str) -> Result<tempfile::TempDir> {
    let tmp = tempfile::Builder::new()
        .prefix(&format!(".run-demo-{variant}-"))
        .tempdir_in(project)
        .context("creating the demo's scratch folder")?;
    copy_dir(&project.join("fixed"), tmp.path())?;
    if variant != "fixed" {
        copy_dir(&project.join(variant), tmp.path())?;
    }
    Ok(tmp)
}

fn secprop(exe: &Path, dir: &Path, args: &[&str]) -> Result<()> {
    println!("$ secprop {}", args.join(" "));
    let out = Command::new(exe)
        .args(args)
        .current_dir(dir)
        .env("NO_COLOR", "1")
        .output()
        .with_context(|| format!("running secprop {}", args.join(" ")))?;
    print!("{}", String::from_utf8_lossy(&out.stdout));
    eprint!("{}", String::from_utf8_lossy(&out.stderr));
    println!("(exit status {})\n", out.status.code().unwrap_or(-1));
    Ok(())
}

/// Runs vitest on the copy and prints each test by name, failures with their message;
/// returns (passed, failed).
fn run_tests(project: &Path, dir: &Path) -> Result<(usize, usize)> {
    let report = dir.join("vitest-report.json");
    let out = Command::new(project.join("node_modules/.bin/vitest"))
        .arg("run")
        .arg("--root")
        .arg(dir)
        .arg("--reporter=json")
        .arg(format!("--outputFile={}", report.display()))
        .current_dir(project)
        .env("NO_COLOR", "1")
        .env("CI", "1")
        .output()
        .context("running vitest")?;
    let text = std::fs::read_to_string(&report).with_context(|| {
        format!(
            "vitest wrote no report:\n{}{}",
            String::from_utf8_lossy(&out.stdout),
            String::from_utf8_lossy(&out.stderr)
        )
    })?;
    let json: serde_json::Value = serde_json::from_str(&text).context("vitest's report")?;
    let (mut passed, mut failed) = (0, 0);
    for file in json["testResults"].as_array().into_iter().flatten() {
        for t in file["assertionResults"].as_array().into_iter().flatten() {
            let mut name: Vec<&str> = t["ancestorTitles"]
                .as_array()
                .into_iter()
                .flatten()
                .filter_map(|s| s.as_str())
                .collect();
            name.extend(t["title"].as_str());
            let name = name.join(" › ");
            if t["status"] == "passed" {
                passed += 1;
                println!("  ✓ {name}");
            } else {
                failed += 1;
                println!("  ✗ {name}");
                let message = t["failureMessages"]
                    .as_array()
                    .and_then(|m| m.first())
                    .and_then(|m| m.as_str())
                    .unwrap_or("");
                // The message, not the stack below it.
                for line in message
                    .lines()
                    .take_while(|l| !l.trim_start().starts_with("at "))
                    .take(6)
                {
                    println!("      {line}");
                }
            }
        }
    }
    println!();
    Ok((passed, failed))
}

fn is_test_file(path: &Path) -> bool {
    path.file_name()
        .and_then(|n| n.to_str())
        .is_some_and(|n| n.contains(".secprop.test."))
}

fn copy_dir(from: &Path, to: &Path) -> Result<()> {
    std::fs::create_dir_all(to)?;
    for entry in std::fs::read_dir(from).with_context(|| format!("reading {}", from.display()))? {
        let entry = entry?;
        let name = entry.file_name();
        if name == "node_modules" {
            continue;
        }
        let (src, dst) = (entry.path(), to.join(&name));
        if entry.file_type()?.is_dir() {
            copy_dir(&src, &dst)?;
        } else {
            std::fs::copy(&src, &dst)?;
        }
    }
    Ok(())
}

fn find_generated(dir: &Path, out: &mut Vec<PathBuf>) -> Result<()> {
    for entry in std::fs::read_dir(dir)? {
        let entry = entry?;
        let path = entry.path();
        if entry.file_type()?.is_dir() {
            find_generated(&path, out)?;
        } else if std::fs::read_to_string(&path)
            .is_ok_and(|t| t.starts_with("// Code generated by secprop"))
        {
            out.push(path);
        }
    }
    Ok(())
}
