//! `cargo xtask ci`: everything CI checks, in the order that fails fastest — formatting,
//! lints, the committed generated files, the end-to-end toolchains' packages, then the
//! whole test suite. `.ci/run` calls exactly this.

use anyhow::{Context, Result, bail};
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};

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
    cmd.stdin(Stdio::null());
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
    // The benchmark's generator and route check on a small corpus (issue 10); no timing.
    eprintln!("\n==> benchmark corpus routes: bench --short");
    crate::bench::bench(&["--short".to_string()])?;
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
    let (passed, failed) = run_tests(
        cargo(&root)
            .args(["test", "--locked", "--workspace"])
            .env("SECPROP_E2E_REQUIRED", "1"),
    )?;
    // One closing line for the whole suite: cargo's own last line is a doc-test run that
    // may count zero tests.
    println!("\nci: {passed} passed, {failed} failed");
    if failed > 0 {
        bail!("tests failed");
    }
    Ok(())
}

/// Runs `cargo test`, echoing its output, and adds up its `test result:` lines.
fn run_tests(cmd: &mut Command) -> Result<(u64, u64)> {
    use std::io::{BufRead, BufReader, Write};
    eprintln!("\n==> tests: {cmd:?}");
    let mut child = cmd
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .spawn()
        .context("tests: could not start cargo test")?;
    let stdout = child.stdout.take().expect("stdout is piped");
    let (mut passed, mut failed) = (0, 0);
    let mut out = std::io::stdout().lock();
    for line in BufReader::new(stdout).lines() {
        let line = line.context("reading cargo test output")?;
        writeln!(out, "{line}")?;
        if let Some(rest) = line.strip_prefix("test result: ") {
            passed += count(rest, " passed");
            failed += count(rest, " failed");
        }
    }
    let status = child.wait().context("waiting for cargo test")?;
    if !status.success() && failed == 0 {
        // A build error or a crashed test binary fails the run without a result line.
        failed = 1;
    }
    Ok((passed, failed))
}

/// The number before `what` in `ok. 12 passed; 0 failed; ...`.
fn count(line: &str, what: &str) -> u64 {
    line.split(';')
        .find_map(|part| {
            part.trim()
                .trim_start_matches("ok. ")
                .trim_start_matches("FAILED. ")
                .strip_suffix(what.trim_start())
                .map(str::trim)
        })
        .and_then(|n| n.parse().ok())
        .unwrap_or(0)
}

#[cfg(test)]
mod tests {
    use super::count;

    #[test]
    fn counts_cargo_test_results() {
        let ok =
            "ok. 81 passed; 0 failed; 2 ignored; 0 measured; 0 filtered out; finished in 21.16s";
        assert_eq!((count(ok, " passed"), count(ok, " failed")), (81, 0));
        let bad = "FAILED. 3 passed; 1 failed; 0 ignored; 0 measured; 0 filtered out";
        assert_eq!((count(bad, " passed"), count(bad, " failed")), (3, 1));
    }
}
