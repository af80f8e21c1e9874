//! `cargo xtask ci`: everything CI checks, in the order that fails fastest — formatting,
//! lints, the committed generated files, the end-to-end toolchains' packages, then the
//! whole test suite. `.ci/run` calls exactly this.

use anyhow::{Context, Result, bail};
use std::path::{Path, PathBuf};
use std::process::Command;

/// The workspace root (xtask lives one folder below it).
pub fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .expect("xtask is inside the workspace")
        .to_path_buf()
}

fn run(step: &str, cmd: &mut Command) -> Result<()> {
    eprintln!("\n==> {step}: {cmd:?}");
    // No step reads input; CI has none.
    cmd.stdin(std::process::Stdio::null());
    let status = cmd
        .status()
        .with_context(|| format!("{step}: could not start {cmd:?}"))?;
    if !status.success() {
        bail!("{step} failed ({status})");
    }
    Ok(())
}

/// `cargo` from `PATH` (the rustup proxy), so `fmt` and `clippy` resolve exactly as they
/// do on the command line.
fn cargo(root: &Path) -> Command {
    let mut c = Command::new("cargo");
    c.current_dir(root);
    c
}

/// The Node projects whose packages the end-to-end tests use (committed lockfiles).
const NPM_PROJECTS: &[&str] = &["tests/e2e/express"];

pub fn ci(_args: &[String]) -> Result<()> {
    let root = root();
    run(
        "format",
        cargo(&root).args(["fmt", "--all", "--", "--check"]),
    )?;
    run(
        "lints",
        cargo(&root).args([
            "clippy",
            "--locked",
            "--workspace",
            "--all-targets",
            "--",
            "-D",
            "warnings",
        ]),
    )?;
    eprintln!("\n==> generated files are current: codegen --check");
    crate::codegen::codegen(&["--check".to_string()])?;
    for project in NPM_PROJECTS {
        let dir = root.join(project);
        if dir.join("package-lock.json").exists() {
            run(
                &format!("npm ci ({project})"),
                Command::new("npm")
                    .args(["ci", "--no-audit", "--no-fund", "--prefer-offline"])
                    .current_dir(&dir),
            )?;
        }
    }
    run(
        "tests",
        cargo(&root)
            .args(["test", "--locked", "--workspace"])
            .env("SECPROP_E2E_REQUIRED", "1"),
    )?;
    eprintln!("\nci: all steps passed");
    Ok(())
}
