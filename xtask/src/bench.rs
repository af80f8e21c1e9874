//! `cargo xtask bench [--files N] [--seed S] [--runs N] [--no-cli] [--keep DIR]`: the
//! route-discovery benchmark of issue 3. It generates a synthetic Express codebase at run
//! time (never committed; the timed benchmark never runs in CI, only the unit tests of the
//! generator and of the route check below do), then measures, on the same files and with
//! the same rayon parallelism:
//! - plain tree-sitter parsing (walk, read, parse with the grammar of the extension);
//! - `secprop_lang_js::scan`, i.e. what `secprop routes` does minus spec loading and output;
//! - the release `secprop routes --format json` binary end to end (unless `--no-cli`).
//!
//! It prints files/s, lines/s and the ratio scan / plain parse (target: at most 1.5), and
//! checks that the scan found exactly the routes the generator wrote: timing a scan that
//! misses routes would be meaningless, so a mismatch makes the task fail after printing.
//! Timings are always taken from a release build: a debug invocation rebuilds and reruns
//! itself with `--release`.

mod corpus;

use anyhow::{Context, Result, bail};
use rayon::prelude::*;
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::{Duration, Instant};

/// The scan may take at most this many times as long as plain parsing (issue 3).
const TARGET_RATIO: f64 = 1.5;

const USAGE: &str =
    "usage: cargo xtask bench [--files N] [--seed S] [--runs N] [--no-cli] [--keep DIR]
  --files N   JavaScript/TypeScript files to generate (default 2000, at least 30)
  --seed S    generator seed; the same seed gives the same corpus (default 1)
  --runs N    timed runs of each measurement, after one warm-up (default 5)
  --no-cli    skip building and timing the release `secprop routes` binary
  --keep DIR  write the corpus to DIR (must not exist) and keep it, e.g. for a profiler";

struct Options {
    files: usize,
    seed: u64,
    runs: usize,
    cli: bool,
    keep: Option<PathBuf>,
}

impl Options {
    fn parse(args: &[String]) -> Result<Options> {
        let mut o = Options {
            files: 2000,
            seed: 1,
            runs: 5,
            cli: true,
            keep: None,
        };
        let mut it = args.iter();
        while let Some(a) = it.next() {
            let mut value = |name: &str| {
                it.next()
                    .with_context(|| format!("{name} needs a value\n{USAGE}"))
            };
            match a.as_str() {
                "--files" => {
                    o.files = value("--files")?
                        .parse()
                        .context("--files takes a number")?
                }
                "--seed" => o.seed = value("--seed")?.parse().context("--seed takes a number")?,
                "--runs" => o.runs = value("--runs")?.parse().context("--runs takes a number")?,
                "--keep" => o.keep = Some(PathBuf::from(value("--keep")?)),
                "--no-cli" => o.cli = false,
                "-h" | "--help" => bail!("{USAGE}"),
                other => bail!("unknown bench argument `{other}`\n{USAGE}"),
            }
        }
        if o.files < 30 {
            bail!("--files must be at least 30 (the app, its routers and shared modules)");
        }
        if o.runs == 0 {
            bail!("--runs must be at least 1");
        }
        Ok(o)
    }
}

/// Entry point of the task.
pub fn bench(args: &[String]) -> Result<()> {
    // Validate the arguments before a possibly long release build.
    let opts = Options::parse(args)?;
    if cfg!(debug_assertions) {
        return rerun_in_release(args);
    }
    run(&opts)
}

/// Debug timings of tree-sitter-heavy code say nothing about the product: rebuild the
/// xtask with optimisations and run the same command there.
fn rerun_in_release(args: &[String]) -> Result<()> {
    eprintln!("bench: building xtask in release mode (timings of a debug build are meaningless)");
    let status = Command::new(cargo())
        .args(["run", "--release", "--package", "xtask", "--", "bench"])
        .args(args)
        .current_dir(crate::ci::root())
        .status()
        .context("running cargo")?;
    if !status.success() {
        bail!("the release benchmark failed");
    }
    Ok(())
}

fn cargo() -> String {
    std::env::var("CARGO").unwrap_or_else(|_| "cargo".into())
}

fn run(opts: &Options) -> Result<()> {
    // Build the CLI first so its compilation does not overlap the measurements.
    let cli = if opts.cli { build_cli() } else { None };

    let _tmp;
    let root = match &opts.keep {
        Some(dir) => {
            if dir.exists() {
                bail!("{} exists; --keep wants a new folder", dir.display());
            }
            std::fs::create_dir_all(dir).with_context(|| format!("creating {}", dir.display()))?;
            dir.canonicalize()?
        }
        None => {
            let t = tempfile::Builder::new()
                .prefix("secprop-bench-")
                .tempdir()?;
            let p = t.path().canonicalize()?;
            _tmp = t;
            p
        }
    };
    let t = Instant::now();
    let corpus = corpus::generate(&root, opts.files, opts.seed)?;
    let gen_time = t.elapsed();

    println!(
        "secprop bench (issue 3): seed {}, {} timed runs after a warm-up",
        opts.seed, opts.runs
    );
    println!(
        "corpus   {} files ({} TypeScript, {} JavaScript), {} lines ({:.0} lines/file), {:.1} MB, \
         {} routes; generated in {:.1} s at {}",
        corpus.files,
        corpus.ts_files,
        corpus.files - corpus.ts_files,
        corpus.lines,
        corpus.lines as f64 / corpus.files as f64,
        corpus.bytes as f64 / 1e6,
        corpus.routes.len(),
        gen_time.as_secs_f64(),
        root.display()
    );
    println!(
        "machine  {} rayon threads, {}",
        rayon::current_num_threads(),
        load_average()
    );

    let scan_opts = secprop_lang_js::ScanOptions {
        root: root.clone(),
        repo_root: root.clone(),
        // The same target as the spec written into the corpus.
        include: vec!["src/**".into()],
        exclude: vec![],
        ..Default::default()
    };
    let src = root.join("src");

    // Warm-up: page cache, thread pool, allocator; also the runs the checks look at.
    let parsed = plain_parse(&src);
    let project = secprop_lang_js::scan(&scan_opts);
    let quick = secprop_lang_js::scan_routes(&scan_opts);
    secprop_lang_js::finish_background_work();
    let cli_routes = match &cli {
        Some(exe) => Some(run_cli(exe, &root, true)?),
        None => None,
    };

    // Interleaved so that load from other processes on the machine hits each alike.
    let mut parse_t = Vec::new();
    let mut scan_t = Vec::new();
    let mut routes_t = Vec::new();
    let mut free_t = Vec::new();
    let mut cli_t = Vec::new();
    // The scans return before their syntax trees are freed (on a background thread,
    // which a command-line run does not wait for): wait for it outside the timed region,
    // so that it does not slow the next measurement, and report its time apart.
    let wait_free = |free_t: &mut Vec<Duration>| {
        let t = Instant::now();
        secprop_lang_js::finish_background_work();
        free_t.push(t.elapsed());
    };
    for _ in 0..opts.runs {
        let t = Instant::now();
        std::hint::black_box(plain_parse(&src));
        parse_t.push(t.elapsed());
        let t = Instant::now();
        let p = std::hint::black_box(secprop_lang_js::scan(&scan_opts));
        scan_t.push(t.elapsed());
        // Freeing the model is not part of `secprop routes`, which exits instead.
        drop(p);
        wait_free(&mut free_t);
        let t = Instant::now();
        let p = std::hint::black_box(secprop_lang_js::scan_routes(&scan_opts));
        routes_t.push(t.elapsed());
        drop(p);
        wait_free(&mut free_t);
        if let Some(exe) = &cli {
            let t = Instant::now();
            run_cli(exe, &root, false)?;
            cli_t.push(t.elapsed());
        }
    }

    println!();
    println!(
        "{:<22} {:>10} {:>10} {:>10} {:>12}",
        "", "best", "median", "files/s", "lines/s"
    );
    let parse = row("plain tree-sitter parse", &mut parse_t, &corpus);
    let scan = row("scan (secprop-lang-js)", &mut scan_t, &corpus);
    let scan_routes = row("scan_routes", &mut routes_t, &corpus);
    let routes = if cli.is_some() {
        Some(row("secprop routes (CLI)", &mut cli_t, &corpus))
    } else {
        None
    };
    println!();
    let ratio = |(best, median): (f64, f64)| (best / parse.0, median / parse.1);
    let (best, median) = ratio(scan);
    let verdict = if best <= TARGET_RATIO {
        "met"
    } else {
        "NOT MET"
    };
    println!(
        "ratio scan / parse            {best:.2} best, {median:.2} median  (target <= {TARGET_RATIO}: {verdict})"
    );
    let (best, median) = ratio(scan_routes);
    let verdict = if best <= TARGET_RATIO {
        "met"
    } else {
        "NOT MET"
    };
    println!(
        "ratio scan_routes / parse     {best:.2} best, {median:.2} median  (target <= {TARGET_RATIO}: {verdict}; chain bodies only, what `secprop routes` runs)"
    );
    free_t.sort();
    println!(
        "background free of the trees  {:.1} ms median per scan (not in the scan times; a CLI run exits without waiting)",
        free_t[free_t.len() / 2].as_secs_f64() * 1e3
    );
    if let Some(r) = routes {
        let (best, median) = ratio(r);
        println!(
            "ratio secprop routes / parse  {best:.2} best, {median:.2} median  (whole process: spec, scan, selectors, JSON)"
        );
    }
    println!(
        "time after parsing           {:.1} ms best ({:.0}% of the scan): index, lowering, route resolution",
        (scan.0 - parse.0) * 1e3,
        100.0 * (scan.0 - parse.0) / scan.0
    );

    println!();
    let mut problems = Vec::new();
    if parsed.errors > 0 {
        problems.push(format!(
            "{} generated files have syntax errors (a generator bug)",
            parsed.errors
        ));
    }
    if parsed.files != corpus.files {
        problems.push(format!(
            "plain parse saw {} files, the generator wrote {}",
            parsed.files, corpus.files
        ));
    }
    if project.files.len() != corpus.files {
        problems.push(format!(
            "the scan read {} files, the generator wrote {}",
            project.files.len(),
            corpus.files
        ));
    }
    problems.extend(check_routes(&project, &corpus.routes));
    let keys = |p: &secprop_model::Project| p.routes.iter().map(|r| r.key()).collect::<Vec<_>>();
    if keys(&quick) != keys(&project) {
        problems.push("scan_routes listed other routes than scan".into());
    }
    if let Some(n) = cli_routes
        && n != corpus.routes.len()
    {
        problems.push(format!(
            "`secprop routes` listed {n} routes, the generator wrote {}",
            corpus.routes.len()
        ));
    }
    println!(
        "scan     {} routes ({} expected), {} functions, {} warnings",
        project.routes.len(),
        corpus.routes.len(),
        project.functions.len(),
        project.warnings.len()
    );
    for w in project.warnings.iter().take(5) {
        println!("  warning: {}: {}", w.file, w.message);
    }
    if problems.is_empty() {
        println!(
            "check    ok: every generated route found once, resolved, with requireLogin where expected"
        );
        Ok(())
    } else {
        println!(
            "!!!!!!!! ROUTE CHECK FAILED: the timings above measure a scan that misread the corpus"
        );
        for p in &problems {
            println!("!!  {p}");
        }
        bail!(
            "the benchmark's correctness check failed ({} problems)",
            problems.len()
        )
    }
}

/// Prints one measurement row; returns (best, median) in seconds.
fn row(name: &str, times: &mut [Duration], corpus: &corpus::Corpus) -> (f64, f64) {
    times.sort();
    let best = times[0].as_secs_f64();
    let median = times[times.len() / 2].as_secs_f64();
    println!(
        "{name:<22} {:>8.1}ms {:>8.1}ms {:>10.0} {:>12.0}",
        best * 1e3,
        median * 1e3,
        corpus.files as f64 / best,
        corpus.lines as f64 / best
    );
    (best, median)
}

/// Compares the scan's routes with the generator's: same `METHOD /path` set, each once,
/// none unresolved, every handler resolved, `requireLogin` in the chain where mounted.
fn check_routes(
    project: &secprop_model::Project,
    expected: &BTreeMap<String, bool>,
) -> Vec<String> {
    let mut problems = Vec::new();
    let mut found: BTreeMap<String, usize> = BTreeMap::new();
    let mut unresolved = Vec::new();
    let mut no_handler = Vec::new();
    let mut guard_wrong = Vec::new();
    for r in &project.routes {
        let key = r.key();
        *found.entry(key.clone()).or_default() += 1;
        if let Some(why) = &r.unresolved {
            unresolved.push(format!("{key}: {why}"));
        }
        if r.handler.is_none() {
            no_handler.push(format!("{key} ({})", r.handler_name));
        }
        let guarded = r.chain.iter().any(|c| {
            c.names
                .iter()
                .any(|n| n == "requireLogin" || n.ends_with(".requireLogin"))
        });
        if let Some(want) = expected.get(&key)
            && *want != guarded
        {
            guard_wrong.push(format!(
                "{key}: requireLogin {}",
                if *want { "missing" } else { "unexpected" }
            ));
        }
    }
    let missing: Vec<&String> = expected
        .keys()
        .filter(|k| !found.contains_key(*k))
        .collect();
    let extra: Vec<&String> = found
        .keys()
        .filter(|k| !expected.contains_key(*k))
        .collect();
    let dup: Vec<String> = found
        .iter()
        .filter(|(_, n)| **n > 1)
        .map(|(k, n)| format!("{k} ×{n}"))
        .collect();
    let mut report = |what: &str, items: Vec<String>| {
        if !items.is_empty() {
            let shown: Vec<&str> = items.iter().take(5).map(String::as_str).collect();
            let more = if items.len() > 5 {
                format!(", and {} more", items.len() - 5)
            } else {
                String::new()
            };
            problems.push(format!(
                "{} {what}: {}{more}",
                items.len(),
                shown.join("; ")
            ));
        }
    };
    report("routes missing", missing.into_iter().cloned().collect());
    report("routes not generated", extra.into_iter().cloned().collect());
    report("routes listed twice or more", dup);
    report("routes unresolved", unresolved);
    report("routes without a resolved handler", no_handler);
    report("routes with the wrong chain", guard_wrong);
    problems
}

struct Parsed {
    files: usize,
    errors: usize,
}

/// The baseline: walk `dir`, read every JavaScript/TypeScript file and parse it with the
/// grammar of its extension, on the rayon pool with parsers reused per worker, as the
/// scan does. Nothing else: no tree walk, no ignore rules, no globs.
fn plain_parse(dir: &Path) -> Parsed {
    let mut paths = Vec::new();
    walk(dir, &mut paths);
    let errors = paths
        .par_iter()
        .map_init(
            || {
                let make = |lang: tree_sitter::Language| {
                    let mut p = tree_sitter::Parser::new();
                    p.set_language(&lang)
                        .expect("grammar ABI matches the tree-sitter runtime");
                    p
                };
                (
                    make(tree_sitter_javascript::LANGUAGE.into()),
                    make(tree_sitter_typescript::LANGUAGE_TYPESCRIPT.into()),
                    make(tree_sitter_typescript::LANGUAGE_TSX.into()),
                )
            },
            |(js, ts, tsx), p| {
                let Ok(src) = std::fs::read_to_string(p) else {
                    return 1;
                };
                let parser = match p.extension().and_then(|e| e.to_str()) {
                    Some("ts") => ts,
                    Some("tsx") => tsx,
                    _ => js,
                };
                parser
                    .parse(&src, None)
                    .map_or(1, |t| usize::from(t.root_node().has_error()))
            },
        )
        .sum();
    Parsed {
        files: paths.len(),
        errors,
    }
}

fn walk(dir: &Path, out: &mut Vec<PathBuf>) {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return;
    };
    for e in entries.flatten() {
        let p = e.path();
        match e.file_type() {
            Ok(t) if t.is_dir() => walk(&p, out),
            Ok(t)
                if t.is_file()
                    && matches!(
                        p.extension().and_then(|e| e.to_str()),
                        Some("js" | "ts" | "tsx")
                    ) =>
            {
                out.push(p)
            }
            _ => {}
        }
    }
}

/// Builds the release `secprop` binary next to this (release) xtask; `None` with a
/// note when it does not build, so the library numbers are still reported.
fn build_cli() -> Option<PathBuf> {
    eprintln!("bench: building the release secprop binary");
    let ok = Command::new(cargo())
        .args([
            "build",
            "--release",
            "--package",
            "secprop",
            "--bin",
            "secprop",
        ])
        .current_dir(crate::ci::root())
        .status()
        .is_ok_and(|s| s.success());
    let exe = std::env::current_exe()
        .ok()?
        .with_file_name(format!("secprop{}", std::env::consts::EXE_SUFFIX));
    if ok && exe.is_file() {
        Some(exe)
    } else {
        eprintln!("bench: the release secprop binary did not build; timing the library only");
        None
    }
}

/// Runs `secprop routes --format json` on the corpus; with `count`, returns how many
/// routes it listed (reading the JSON is kept out of the timed runs).
fn run_cli(exe: &Path, root: &Path, count: bool) -> Result<usize> {
    // Inside the corpus, which is removed with it; the scan ignores `.json` files.
    let out = root.join("routes.json");
    let output = Command::new(exe)
        .args(["routes", "--format", "json", "--spec"])
        .arg(root.join("secprop.yaml"))
        .arg("-o")
        .arg(&out)
        .current_dir(root)
        .output()
        .context("running secprop routes")?;
    if !output.status.success() {
        bail!(
            "`secprop routes` on the corpus exited with {}: {}",
            output.status,
            String::from_utf8_lossy(&output.stderr).trim()
        );
    }
    if !count {
        return Ok(0);
    }
    let text =
        std::fs::read_to_string(&out).with_context(|| format!("reading {}", out.display()))?;
    let _ = std::fs::remove_file(&out);
    let doc: serde_json::Value =
        serde_json::from_str(&text).context("`secprop routes` printed invalid JSON")?;
    Ok(doc["routes"].as_array().map_or(0, Vec::len))
}

/// The 1-minute load average, so noisy numbers can be recognised as such.
fn load_average() -> String {
    match std::fs::read_to_string("/proc/loadavg") {
        Ok(s) => format!(
            "load average {} (1 min) at start",
            s.split_whitespace().next().unwrap_or("?")
        ),
        Err(_) => "load average unknown".into(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn route_check_accepts_the_scan_and_catches_misreads() {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path().canonicalize().unwrap();
        let c = corpus::generate(&root, 40, 5).unwrap();
        let project = secprop_lang_js::scan(&secprop_lang_js::ScanOptions {
            root: root.clone(),
            repo_root: root,
            include: vec!["src/**".into()],
            exclude: vec![],
            ..Default::default()
        });
        assert_eq!(check_routes(&project, &c.routes), Vec::<String>::new());

        let mut missing = project.clone();
        let gone = missing.routes.pop().unwrap().key();
        let problems = check_routes(&missing, &c.routes);
        assert!(
            problems.len() == 1
                && problems[0].contains("1 routes missing")
                && problems[0].contains(&gone),
            "{problems:?}"
        );

        let mut twice = project.clone();
        let again = twice.routes[0].clone();
        twice.routes.push(again);
        let problems = check_routes(&twice, &c.routes);
        assert!(
            problems.len() == 1 && problems[0].contains("listed twice"),
            "{problems:?}"
        );

        let mut unguarded = project;
        let r = unguarded
            .routes
            .iter_mut()
            .find(|r| r.path().starts_with("/api/"))
            .unwrap();
        r.chain.clear();
        r.handler = None;
        let problems = check_routes(&unguarded, &c.routes);
        assert!(
            problems.iter().any(|p| p.contains("wrong chain")),
            "{problems:?}"
        );
        assert!(
            problems
                .iter()
                .any(|p| p.contains("without a resolved handler")),
            "{problems:?}"
        );
    }
}
