//! `cargo xtask bench [--files N] [--seed S] [--runs N] [--no-cli] [--keep DIR] [--short]`:
//! the speed and memory benchmark of issues 3 and 10. It generates a real-world-shaped
//! Express codebase at run time (never committed; deterministic from the seed: two targets,
//! TypeScript and JavaScript, CommonJS and ES modules, the route shapes of issue 10), then
//! measures, on the same files:
//! - plain tree-sitter parsing on 2 threads (walk, read, parse with the grammar of the
//!   extension: the baseline) and on 1 thread;
//! - the library scans (`secprop_lang_js::scan` and `scan_routes`) of both targets;
//! - whole `secprop routes`, `secprop check` and `secprop generate` processes of the
//!   release binary (unless `--no-cli`): wall time, files/s, lines/s, peak RSS and CPU time
//!   (user + system, from `wait4`), CPU use (CPU time over wall time × 2 cores) and the
//!   ratio to the 2-thread parse (target: at most 1.5, peak RSS at most 256 MiB).
//!
//! It checks that the scans found exactly the routes the generator planted, and that
//! `secprop routes` listed as many: timing a scan that misses routes would be meaningless,
//! so a mismatch makes the task fail after printing. `--short` generates a small corpus
//! and runs only that check, with no timing (what `cargo xtask ci` runs). Timings are always
//! taken from a release build: a debug invocation rebuilds and reruns itself with
//! `--release`.

mod corpus;

use anyhow::{Context, Result, bail};
use rayon::prelude::*;
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::{Duration, Instant};

/// A `secprop` process may take at most this many times as long as the 2-thread plain
/// parse (issue 10).
const TARGET_RATIO: f64 = 1.5;

/// Peak RSS target of a `secprop` process, whatever the repository's size (issue 10).
const TARGET_RSS_MIB: f64 = 256.0;

/// Threads of the baseline parse: the cores the targets speak of.
const CORES: usize = 2;

const USAGE: &str =
    "usage: cargo xtask bench [--files N] [--seed S] [--runs N] [--no-cli] [--keep DIR] [--short]
  --files N   JavaScript/TypeScript files to generate (default 14000, about 1.1M lines; at least 40)
  --seed S    generator seed; the same seed gives the same corpus (default 1)
  --runs N    timed runs of each measurement, after one warm-up (default 3)
  --no-cli    skip building and timing the release `secprop` binary
  --keep DIR  write the corpus to DIR (must not exist) and keep it, e.g. for a profiler
  --short     a 200-file corpus, route check only, no timing (CI)";

struct Options {
    files: usize,
    seed: u64,
    runs: usize,
    cli: bool,
    keep: Option<PathBuf>,
    short: bool,
}

impl Options {
    fn parse(args: &[String]) -> Result<Options> {
        let mut o = Options {
            files: 14000,
            seed: 1,
            runs: 3,
            cli: true,
            keep: None,
            short: false,
        };
        let mut files = None;
        let mut it = args.iter();
        while let Some(a) = it.next() {
            let mut value = |name: &str| {
                it.next()
                    .with_context(|| format!("{name} needs a value\n{USAGE}"))
            };
            match a.as_str() {
                "--files" => {
                    files = Some(
                        value("--files")?
                            .parse()
                            .context("--files takes a number")?,
                    )
                }
                "--seed" => o.seed = value("--seed")?.parse().context("--seed takes a number")?,
                "--runs" => o.runs = value("--runs")?.parse().context("--runs takes a number")?,
                "--keep" => o.keep = Some(PathBuf::from(value("--keep")?)),
                "--no-cli" => o.cli = false,
                "--short" => o.short = true,
                "-h" | "--help" => bail!("{USAGE}"),
                other => bail!("unknown bench argument `{other}`\n{USAGE}"),
            }
        }
        if o.short {
            o.files = 200;
            o.cli = false;
        }
        if let Some(n) = files {
            o.files = n;
        }
        if o.files < 40 {
            bail!("--files must be at least 40 (two apps, their routers and shared modules)");
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
    if opts.short {
        return short(&opts);
    }
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

/// The corpus folder: `--keep DIR`, or a temporary folder removed with the guard.
fn corpus_root(opts: &Options) -> Result<(PathBuf, Option<tempfile::TempDir>)> {
    match &opts.keep {
        Some(dir) => {
            if dir.exists() {
                bail!("{} exists; --keep wants a new folder", dir.display());
            }
            std::fs::create_dir_all(dir).with_context(|| format!("creating {}", dir.display()))?;
            Ok((dir.canonicalize()?, None))
        }
        None => {
            let t = tempfile::Builder::new()
                .prefix("secprop-bench-")
                .tempdir()?;
            Ok((t.path().canonicalize()?, Some(t)))
        }
    }
}

/// The scan options of the corpus's two targets, as its spec declares them.
fn targets(root: &Path) -> [(&'static str, secprop_lang_js::ScanOptions); 2] {
    [
        (
            "api",
            secprop_lang_js::ScanOptions {
                root: root.to_path_buf(),
                repo_root: root.to_path_buf(),
                include: vec!["src/**".into()],
                exclude: vec![],
                ..Default::default()
            },
        ),
        (
            "admin",
            secprop_lang_js::ScanOptions {
                root: root.join("services/admin"),
                repo_root: root.to_path_buf(),
                include: vec![],
                exclude: vec![],
                ..Default::default()
            },
        ),
    ]
}

/// Scans both targets in full and compares their routes with the generator's.
fn scan_and_check(
    root: &Path,
    corpus: &corpus::Corpus,
    problems: &mut Vec<String>,
) -> Vec<secprop_model::Project> {
    let mut projects = Vec::new();
    for ((name, opts), expected) in targets(root)
        .into_iter()
        .zip([&corpus.routes, &corpus.admin_routes])
    {
        let project = secprop_lang_js::scan(&opts);
        println!(
            "scan     target {name}: {} routes ({} planted), {} functions, {} warnings",
            project.routes.len(),
            expected.len(),
            project.functions.len(),
            project.warnings.len()
        );
        for w in project.warnings.iter().take(5) {
            println!("  warning: {}: {}", w.file, w.message);
        }
        problems.extend(
            check_routes(&project, expected)
                .into_iter()
                .map(|p| format!("target {name}: {p}")),
        );
        projects.push(project);
    }
    let read: usize = projects.iter().map(|p| p.files.len()).sum();
    if read != corpus.files {
        problems.push(format!(
            "the scans read {read} files, the generator wrote {}",
            corpus.files
        ));
    }
    projects
}

/// Prints the verdict of the route check; an error when it failed.
fn verdict(problems: &[String]) -> Result<()> {
    if problems.is_empty() {
        println!(
            "check    ok: every planted route found once, resolved, with requireLogin where expected"
        );
        return Ok(());
    }
    println!("!!!!!!!! ROUTE CHECK FAILED: the scan misread the generated corpus");
    for p in problems {
        println!("!!  {p}");
    }
    bail!(
        "the benchmark's correctness check failed ({} problems)",
        problems.len()
    )
}

/// `--short`: a small corpus, the route check only (no timing, any build profile).
fn short(opts: &Options) -> Result<()> {
    let (root, _tmp) = corpus_root(opts)?;
    let corpus = corpus::generate(&root, opts.files, opts.seed)?;
    println!(
        "secprop bench --short: {} files, {} lines, {} + {} planted routes (seed {})",
        corpus.files,
        corpus.lines,
        corpus.routes.len(),
        corpus.admin_routes.len(),
        opts.seed
    );
    let mut problems = Vec::new();
    let parsed = plain_parse(&root, 1).1;
    if parsed.errors > 0 {
        problems.push(format!(
            "{} generated files have syntax errors (a generator bug)",
            parsed.errors
        ));
    }
    scan_and_check(&root, &corpus, &mut problems);
    verdict(&problems)
}

/// One whole `secprop` process: wall and CPU time, peak RSS.
#[derive(Clone, Copy)]
struct Proc {
    wall: Duration,
    cpu: Duration,
    rss_kib: u64,
}

fn run(opts: &Options) -> Result<()> {
    // Build the CLI first so its compilation does not overlap the measurements.
    let cli = if opts.cli { build_cli() } else { None };
    let (root, _tmp) = corpus_root(opts)?;
    let t = Instant::now();
    let corpus = corpus::generate(&root, opts.files, opts.seed)?;
    let gen_time = t.elapsed();

    println!(
        "secprop bench (issues 3, 10): seed {}, {} timed runs after a warm-up",
        opts.seed, opts.runs
    );
    println!(
        "corpus   {} files ({} TypeScript, {} JavaScript), {} lines ({:.0} lines/file), {:.1} MB, \
         2 targets, {} routes; generated in {:.1} s at {}",
        corpus.files,
        corpus.ts_files,
        corpus.files - corpus.ts_files,
        corpus.lines,
        corpus.lines as f64 / corpus.files as f64,
        corpus.bytes as f64 / 1e6,
        corpus.routes.len() + corpus.admin_routes.len(),
        gen_time.as_secs_f64(),
        root.display()
    );
    println!("machine  {} cores, {}", num_cpus(), load_average());

    // Warm-up: page cache, thread pool, allocator; also the runs the checks look at.
    let mut problems = Vec::new();
    let (_, parsed) = plain_parse(&root, CORES);
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
    let projects = scan_and_check(&root, &corpus, &mut problems);
    let quick: Vec<_> = targets(&root)
        .iter()
        .map(|(_, o)| secprop_lang_js::scan_routes(o))
        .collect();
    let keys = |p: &secprop_model::Project| p.routes.iter().map(|r| r.key()).collect::<Vec<_>>();
    if quick.iter().map(keys).ne(projects.iter().map(keys)) {
        problems.push("scan_routes listed other routes than scan".into());
    }
    drop((projects, quick));
    secprop_lang_js::finish_background_work();
    if let Some(exe) = &cli {
        let n = count_cli_routes(exe, &root)?;
        let planted = corpus.routes.len() + corpus.admin_routes.len();
        if n != planted {
            problems.push(format!(
                "`secprop routes` listed {n} routes, the generator planted {planted}"
            ));
        }
    }
    verdict(&problems)?;

    // Interleaved so that load from other processes on the machine hits each alike.
    let mut parse2 = Vec::new();
    let mut parse1 = Vec::new();
    let mut scan_t = Vec::new();
    let mut routes_t = Vec::new();
    let mut cmds: BTreeMap<&str, Vec<Proc>> = BTreeMap::new();
    for _ in 0..opts.runs {
        parse2.push(plain_parse(&root, CORES).0);
        parse1.push(plain_parse(&root, 1).0);
        for (scan, times) in [
            (secprop_lang_js::scan as fn(&_) -> _, &mut scan_t),
            (secprop_lang_js::scan_routes, &mut routes_t),
        ] {
            let t = Instant::now();
            for (_, o) in targets(&root) {
                drop(std::hint::black_box(scan(&o)));
            }
            times.push(t.elapsed());
            // The trees are freed on a background thread (a CLI run exits without
            // waiting): not part of the scan's time, nor of the next measurement's.
            secprop_lang_js::finish_background_work();
        }
        if let Some(exe) = &cli {
            for (name, args) in COMMANDS {
                clean_outputs(&root)?;
                cmds.entry(name)
                    .or_default()
                    .push(run_cli(exe, &root, args)?);
            }
        }
    }
    clean_outputs(&root)?;

    println!();
    println!(
        "{:<26} {:>9} {:>9} {:>9} {:>11} {:>9} {:>6} {:>7}",
        "", "best", "median", "files/s", "lines/s", "peak RSS", "CPU", "ratio"
    );
    let base = median(&mut parse2);
    let line = |name: &str, wall: Duration, best: Duration, rss: Option<u64>, cpu: Option<f64>| {
        let w = wall.as_secs_f64();
        println!(
            "{name:<26} {:>7.0}ms {:>7.0}ms {:>9.0} {:>11.0} {:>9} {:>6} {:>7.2}",
            best.as_secs_f64() * 1e3,
            w * 1e3,
            corpus.files as f64 / w,
            corpus.lines as f64 / w,
            rss.map_or("-".into(), |k| format!("{:.0}MiB", k as f64 / 1024.0)),
            cpu.map_or("-".into(), |c| format!("{:.0}%", c * 100.0)),
            w / base.as_secs_f64(),
        );
    };
    let best = |t: &[Duration]| t.iter().copied().min().unwrap_or_default();
    line("plain parse, 2 threads", base, best(&parse2), None, None);
    let m = median(&mut parse1);
    line("plain parse, 1 thread", m, best(&parse1), None, None);
    let m = median(&mut scan_t);
    line("library scan (check)", m, best(&scan_t), None, None);
    let m = median(&mut routes_t);
    line("library scan_routes", m, best(&routes_t), None, None);
    let mut verdicts = Vec::new();
    for (name, runs) in &mut cmds {
        runs.sort_by_key(|p| p.wall);
        let mid = runs[runs.len() / 2];
        let rss = runs.iter().map(|p| p.rss_kib).max().unwrap_or(0);
        let cpu = mid.cpu.as_secs_f64() / (mid.wall.as_secs_f64() * CORES as f64);
        line(
            &format!("secprop {name} (process)"),
            mid.wall,
            runs[0].wall,
            Some(rss),
            Some(cpu),
        );
        let ratio = mid.wall.as_secs_f64() / base.as_secs_f64();
        let mib = rss as f64 / 1024.0;
        verdicts.push(format!(
            "{name}: ratio {ratio:.2} ({}), peak RSS {mib:.0} MiB ({})",
            if ratio <= TARGET_RATIO {
                "met"
            } else {
                "NOT MET"
            },
            if mib <= TARGET_RSS_MIB {
                "met"
            } else {
                "NOT MET"
            },
        ));
    }
    println!();
    println!(
        "ratio = median wall time / median 2-thread plain parse; CPU = (user + sys) / (wall × {CORES} cores)"
    );
    println!("targets: ratio <= {TARGET_RATIO}, peak RSS <= {TARGET_RSS_MIB} MiB");
    for v in verdicts {
        println!("  {v}");
    }
    Ok(())
}

/// The timed commands, each on the corpus's spec (both targets).
const COMMANDS: &[(&str, &[&str])] = &[
    (
        "routes",
        &["routes", "--format", "json", "-o", "out/routes.json"],
    ),
    (
        "check",
        &[
            "check",
            "--format",
            "json",
            "--fail-on",
            "never",
            "-o",
            "out/check.json",
        ],
    ),
    ("generate", &["generate"]),
];

/// Removes what the commands wrote, so that every run does the same work.
fn clean_outputs(root: &Path) -> Result<()> {
    for dir in ["out", "tests"] {
        let p = root.join(dir);
        if p.exists() {
            std::fs::remove_dir_all(&p).with_context(|| format!("removing {}", p.display()))?;
        }
    }
    std::fs::create_dir_all(root.join("out"))?;
    Ok(())
}

fn median(t: &mut [Duration]) -> Duration {
    t.sort();
    t[t.len() / 2]
}

fn num_cpus() -> usize {
    std::thread::available_parallelism().map_or(1, |n| n.get())
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
/// grammar of its extension, on a pool of `threads` threads with parsers reused per
/// worker, as the scan does. Nothing else: no tree walk, no ignore rules, no globs.
/// Returns the time taken, pool creation excluded.
fn plain_parse(dir: &Path, threads: usize) -> (Duration, Parsed) {
    let pool = rayon::ThreadPoolBuilder::new()
        .num_threads(threads)
        .build()
        .expect("a thread pool");
    pool.install(|| {
        let t = Instant::now();
        let mut paths = Vec::new();
        // The two targets' folders: not the tests `generate` writes.
        for d in ["src", "services"] {
            walk(&dir.join(d), &mut paths);
        }
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
        (
            t.elapsed(),
            Parsed {
                files: paths.len(),
                errors,
            },
        )
    })
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

/// Runs `secprop ARGS --spec secprop.yaml` in the corpus, measuring its wall time, and its
/// CPU time and peak RSS from `wait4`.
fn run_cli(exe: &Path, root: &Path, args: &[&str]) -> Result<Proc> {
    use std::os::unix::process::ExitStatusExt;
    let t = Instant::now();
    let mut child = Command::new(exe)
        .args(args)
        .arg("--spec")
        .arg(root.join("secprop.yaml"))
        .current_dir(root)
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .with_context(|| format!("running secprop {}", args[0]))?;
    // Read stderr on a thread so a chatty child cannot block on a full pipe.
    let mut stderr = child.stderr.take().expect("stderr is piped");
    let reader = std::thread::spawn(move || {
        let mut s = String::new();
        let _ = std::io::Read::read_to_string(&mut stderr, &mut s);
        s
    });
    let mut status = 0;
    // SAFETY: an all-zero `rusage` is a valid value; `wait4` fills it for our own child.
    let mut usage: libc::rusage = unsafe { std::mem::zeroed() };
    let pid = child.id() as libc::pid_t;
    // SAFETY: `pid` is our child, not yet waited for; the pointers are valid.
    let r = unsafe { libc::wait4(pid, &mut status, 0, &mut usage) };
    let wall = t.elapsed();
    let err = reader.join().unwrap_or_default();
    if r != pid {
        bail!(
            "waiting for secprop {}: {}",
            args[0],
            std::io::Error::last_os_error()
        );
    }
    let status = std::process::ExitStatus::from_raw(status);
    if !status.success() {
        bail!(
            "`secprop {}` on the corpus exited with {status}: {}",
            args.join(" "),
            err.trim()
        );
    }
    let tv = |t: libc::timeval| Duration::new(t.tv_sec as u64, t.tv_usec as u32 * 1000);
    Ok(Proc {
        wall,
        cpu: tv(usage.ru_utime) + tv(usage.ru_stime),
        // Linux reports kilobytes (KiB).
        rss_kib: usage.ru_maxrss as u64,
    })
}

/// How many routes `secprop routes --format json` lists on the corpus.
fn count_cli_routes(exe: &Path, root: &Path) -> Result<usize> {
    clean_outputs(root)?;
    run_cli(exe, root, COMMANDS[0].1)?;
    let out = root.join("out/routes.json");
    let text =
        std::fs::read_to_string(&out).with_context(|| format!("reading {}", out.display()))?;
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
        let [(_, api), (_, admin)] = targets(&root);
        let project = secprop_lang_js::scan(&api);
        assert_eq!(check_routes(&project, &c.routes), Vec::<String>::new());
        let admin = secprop_lang_js::scan(&admin);
        assert_eq!(check_routes(&admin, &c.admin_routes), Vec::<String>::new());

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
