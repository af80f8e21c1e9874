//! Express/TypeScript frontend: walks a target, parses JavaScript and TypeScript with
//! tree-sitter in parallel, and produces the language-neutral [`secprop_model::Project`]
//! (routes with their chains, lowered function bodies) per spec-v1 §4–§6.
//!
//! Pipeline: `secprop-source` finds and loads files (gitignore semantics,
//! `include`/`exclude`, `node_modules` skipped, files over 2 MiB, with NUL bytes or with a
//! line over 20,000 bytes skipped with a warning), `.d.ts` files are not read; each file
//! is parsed with its grammar (`lang`, `parse`);
//! `index` records bindings, exports and the function table (every function gets one
//! `FnId`, in file order then document order); `lower` turns every function body into
//! the model's statements; `routes` interprets module top levels (and the functions they
//! call with routers) to find apps, routers, mounts and registrations across files.
//!
//! Modules by job, each importing only those before it: `syntax` (tree-sitter helpers),
//! `lang`, `path` (Express path syntax), `tsconfig`; `index` (resolving modules and
//! names); `eval` (evaluating values); `lower` (lowering bodies); `routes` (finding
//! routes); this file runs the pipeline.
//!
//! Speed (issue 3 benchmark, `cargo xtask bench`): each file is indexed by the worker that
//! parsed it, while its tree is hot; lowering and route discovery run side by side; the
//! syntax trees are freed on a background thread after the scan returns (see
//! [`finish_background_work`]). [`scan_routes`] lowers only the bodies a route's chain needs.
//!
//! Output conventions:
//! - files are sorted by path; `Project.functions[i].id == FnId(i)`;
//! - routes are sorted by (file, start of the registration, canonical path, method);
//! - a route whose path, middleware list, handler or router cannot be resolved is listed
//!   with `unresolved` (a regular-expression path, a computed path or method, an
//!   unmounted router, an unknown receiver used like a router, an unresolvable
//!   `app.use('/prefix', x)` listed as `* /prefix/{0*}`), never dropped;
//! - Express 4's unnamed wildcard `*` is the catch-all parameter `{0*}` (it is
//!   `req.params[0]`), Express 5's `*name` is `{name*}`;
//! - `next()` is `Continue { err: None }`, `next(x)` (including `next('route')`) is
//!   `Continue { err: Some(x) }`: the handler does not run after it.
//!
//! Set `SECPROP_TIMING=1` to print the time of each phase to stderr.

mod damage;
mod eval;
mod index;
mod lang;
mod lower;
mod parse;
mod path;
mod routes;
mod syntax;
mod tsconfig;

use index::{FileInfo, Parsed, Store};
use parse::Parsers;
use rayon::prelude::*;
use secprop_model::{FileId, Project, SourceFile, Warning};
pub use secprop_source::ScanOptions;
use secprop_source::{Discovered, skipped};
use std::path::PathBuf;
use std::sync::{Mutex, OnceLock};

/// The Express frontend, for the registry of frontends (`secprop-frontends`).
#[derive(Debug, Clone, Copy, Default)]
pub struct Express;

impl secprop_source::Frontend for Express {
    fn framework(&self) -> &'static str {
        "express"
    }

    fn extensions(&self) -> &'static [&'static str] {
        lang::EXTENSIONS
    }

    fn is_source(&self, path: &str) -> bool {
        lang::lang_of(path).is_some()
    }

    fn scan(&self, files: Discovered, opts: &ScanOptions) -> Project {
        scan_with(files, opts, Bodies::Lower)
    }

    fn scan_routes(&self, files: Discovered, opts: &ScanOptions) -> Project {
        scan_with(files, opts, Bodies::Chains)
    }
}

/// Scans a target. Never fails: unreadable, binary, oversized or minified files are
/// skipped with a [`WarningKind::SkippedFile`] warning; files with syntax errors are
/// used as far as they parse, with a [`WarningKind::ParseError`] warning.
pub fn scan(opts: &ScanOptions) -> Project {
    secprop_source::scan(&Express, opts)
}

/// Runs `f` on a thread pool whose threads have room for the recursive lowering of deeply
/// nested code (bounded, but debug builds use large frames); falls back to the global pool.
fn with_pool<R: Send>(f: impl FnOnce() -> R + Send) -> R {
    match rayon::ThreadPoolBuilder::new()
        .stack_size(STACK_BYTES)
        .build()
    {
        Ok(pool) => pool.install(f),
        Err(_) => f(),
    }
}

/// Stack of the scan's worker threads.
const STACK_BYTES: usize = 32 * 1024 * 1024;

fn scan_with(files: Discovered, opts: &ScanOptions, bodies: Bodies) -> Project {
    // Two scans' trees in memory at once would double the peak for nothing.
    finish_background_work();
    with_pool(|| scan_in_pool(files, opts, bodies))
}

fn scan_in_pool(files: Discovered, opts: &ScanOptions, bodies: Bodies) -> Project {
    let Discovered {
        files: cands,
        mut warnings,
    } = files;
    let t0 = std::time::Instant::now();
    // Each file is indexed by the worker that parsed it, right after parsing: its tree is
    // still in that core's cache (a later walk over cold trees is markedly slower), and
    // there is no barrier between the two phases. The parsed files live in `slots`, which
    // outlive the indexes borrowing from them.
    let slots: Vec<OnceLock<Parsed>> = cands.iter().map(|_| OnceLock::new()).collect();
    let loaded: Vec<Result<Indexed<'_>, Warning>> = cands
        .par_iter()
        .zip(slots.par_iter())
        .map_init(Parsers::new, |parsers, (c, slot)| {
            let rel = secprop_source::rel_path(&opts.repo_root, c);
            let lang = lang::lang_of(&c.key)
                .ok_or_else(|| skipped(rel.clone(), "not JavaScript or TypeScript".into()))?;
            let secprop_source::SourceText {
                rel,
                text: src,
                warning,
            } = secprop_source::read(c, rel)?;
            let tree = parsers
                .parse(lang, &src)
                .ok_or_else(|| skipped(rel.clone(), "the parser gave up".into()))?;
            let p = slot.get_or_init(|| Parsed {
                rel,
                key: c.key.clone(),
                abs: c.abs.clone(),
                src,
                tree,
                lang,
            });
            // Provisional id: the final one is the position among the files kept.
            let mut ix = index_file(FileId(0), p);
            ix.note = warning;
            Ok(ix)
        })
        .collect();
    if std::env::var_os("SECPROP_TIMING").is_some() {
        eprintln!("read+parse+index {:?}", t0.elapsed());
    }
    let mut indexed = Vec::new();
    for l in loaded {
        match l {
            Ok(mut ix) => {
                ix.set_id(FileId(indexed.len() as u32));
                warnings.extend(ix.note.take());
                indexed.push(ix);
            }
            Err(w) => warnings.push(w),
        }
    }
    let project = build(
        indexed,
        warnings,
        tsconfig::load(&opts.root, &opts.repo_root),
        bodies,
        &opts.route_generators,
    );
    free_in_background(slots);
    project
}

/// Frees the parsed files of a directory scan on a background thread: with thousands of
/// syntax trees this takes about a third as long as parsing them, and the caller (for
/// `secprop routes`, printing the table and exiting) need not wait for it. The next scan,
/// or [`finish_background_work`], waits for it.
fn free_in_background(parsed: Vec<OnceLock<Parsed>>) {
    let spawned = std::thread::Builder::new()
        .name("secprop-free".into())
        .spawn(move || drop(parsed));
    // Without a thread (spawning failed), the trees were freed with the closure here.
    if let Ok(handle) = spawned {
        let previous = FREEING
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .replace(handle);
        // Scans running at the same time (tests) each leave a thread: keep one pending.
        if let Some(previous) = previous {
            let _ = previous.join();
        }
    }
}

/// The thread freeing the previous scan's syntax trees, if any.
static FREEING: Mutex<Option<std::thread::JoinHandle<()>>> = Mutex::new(None);

/// Waits until the syntax trees of earlier scans are freed ([`scan`] and [`scan_routes`]
/// free them on a background thread and return before that is done). Benchmarks call
/// this between measurements; a command-line run can simply exit.
pub fn finish_background_work() {
    let handle = FREEING.lock().unwrap_or_else(|e| e.into_inner()).take();
    if let Some(handle) = handle {
        let t = std::time::Instant::now();
        // A panic while freeing has already been reported by the thread; nothing to add.
        let _ = handle.join();
        if std::env::var_os("SECPROP_TIMING").is_some() {
            eprintln!("waited for background free {:?}", t.elapsed());
        }
    }
}

/// One parsed file's index, with the location of its first syntax error.
struct Indexed<'a> {
    info: FileInfo<'a>,
    parse_error: Option<secprop_model::Span>,
    /// A warning from reading the file that did not stop its scan.
    note: Option<Warning>,
}

impl Indexed<'_> {
    fn set_id(&mut self, id: FileId) {
        self.info.set_id(id);
        if let Some(sp) = &mut self.parse_error {
            sp.file = id;
        }
    }
}

fn index_file(id: FileId, p: &Parsed) -> Indexed<'_> {
    let parse_error = syntax::first_error(p.tree.root_node()).map(|n| syntax::span(id, &p.src, n));
    Indexed {
        info: FileInfo::build(id, p),
        parse_error,
        note: None,
    }
}

/// Like [`scan`], for listing routes only (`secprop routes`): routes, chains, handlers
/// and warnings are the same, and [`Project::functions`] hold every signature, but only
/// the functions reachable from a route's chain elements ([`ChainElement::function`],
/// then transitively through [`Call::callee`] and inline [`Expr::Function`] callbacks)
/// have their bodies lowered — exactly as [`scan`] lowers them — so that a project
/// middleware that carries a guard in its body is still recognised (spec-v1 §6). All other
/// bodies are empty, which makes the scan markedly faster. Not for checks.
///
/// [`ChainElement::function`]: secprop_model::ChainElement::function
/// [`Call::callee`]: secprop_model::Call::callee
/// [`Expr::Function`]: secprop_model::Expr::Function
pub fn scan_routes(opts: &ScanOptions) -> Project {
    secprop_source::scan_routes(&Express, opts)
}

/// Which function bodies are lowered.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Bodies {
    /// Every body.
    Lower,
    /// Only the bodies reachable from route chains (see [`scan_routes`]).
    Chains,
}

/// Scans one in-memory file named `rel_path` (used by tests of other crates). The
/// module name of the file (spec-v1 §4) is its stem, as on disk.
pub fn scan_source(rel_path: &str, source: &str) -> Project {
    scan_sources(&[(rel_path, source)])
}

/// Scans several in-memory files as one project; paths are relative to the repository
/// root and also serve for module resolution between the files.
pub fn scan_sources(files_in: &[(&str, &str)]) -> Project {
    let mut warnings = Vec::new();
    let mut parsed = Vec::new();
    let mut parsers = Parsers::new();
    let mut sorted: Vec<&(&str, &str)> = files_in.iter().collect();
    sorted.sort_by(|a, b| a.0.cmp(b.0));
    for (rel, src) in sorted {
        let rel = rel.replace('\\', "/");
        let Some(lang) = lang::lang_of(&rel) else {
            warnings.push(skipped(rel, "not JavaScript or TypeScript".into()));
            continue;
        };
        let src = match secprop_source::check_content(src.as_bytes().to_vec()) {
            Ok(s) => s,
            Err(m) => {
                warnings.push(skipped(rel, m));
                continue;
            }
        };
        let Some(tree) = parsers.parse(lang, &src) else {
            warnings.push(skipped(rel, "the parser gave up".into()));
            continue;
        };
        parsed.push(Parsed {
            key: rel.clone(),
            abs: PathBuf::from(&rel),
            rel,
            src,
            tree,
            lang,
        });
    }
    let slots: Vec<OnceLock<Parsed>> = parsed.into_iter().map(OnceLock::from).collect();
    with_pool(|| {
        let indexed = slots
            .par_iter()
            .enumerate()
            .filter_map(|(i, slot)| Some(index_file(FileId(i as u32), slot.get()?)))
            .collect();
        let project = build(indexed, warnings, None, Bodies::Lower, &[]);
        drop(slots);
        project
    })
}

fn build(
    indexed: Vec<Indexed<'_>>,
    mut warnings: Vec<Warning>,
    aliases: Option<tsconfig::Aliases>,
    bodies: Bodies,
    generators: &[secprop_source::RouteGenerator],
) -> Project {
    let timing = std::env::var_os("SECPROP_TIMING").is_some();
    let t0 = std::time::Instant::now();
    let mut files = Vec::with_capacity(indexed.len());
    let mut infos = Vec::with_capacity(indexed.len());
    // Files with a syntax error, assessed once routes are known: (index, text, error).
    let mut broken: Vec<(usize, &str, secprop_model::Span)> = Vec::new();
    let mut types = Vec::new();
    for Indexed {
        info, parse_error, ..
    } in indexed
    {
        types.extend(lower::record_types(&info));
        let p = info.p;
        if let Some(sp) = parse_error {
            broken.push((files.len(), p.src.as_str(), sp));
        }
        files.push(SourceFile {
            path: p.rel.clone(),
            abs_path: p.abs.clone(),
            parse_error,
            parse_damage: Default::default(),
        });
        infos.push(info);
    }
    let mut store = Store::new(infos, aliases);
    store.generators = generators.to_vec();
    let t1 = t0.elapsed();
    // Lowering (parallel over files) and route discovery (a sequential interpreter) only
    // read the store: run them side by side.
    let ((mut functions, import_warnings), (routes, route_warnings, hidden)) = rayon::join(
        || {
            let functions: Vec<secprop_model::Function> = (0..store.files.len())
                .into_par_iter()
                .map(|f| match bodies {
                    Bodies::Lower => lower::lower_file(&store, f),
                    Bodies::Chains => lower::signatures(&store, f),
                })
                .collect::<Vec<_>>()
                .into_iter()
                .flatten()
                .collect();
            (functions, index::unresolved_imports(&store))
        },
        || routes::find_routes(&store),
    );
    if timing {
        eprintln!("store {:?} lower+routes {:?}", t1, t0.elapsed() - t1);
    }
    if bodies == Bodies::Chains {
        // Chain elements that are project middlewares are matched as guards by their
        // bodies (spec-v1 §6): lower those and what they call, once routes are known.
        let t2 = std::time::Instant::now();
        let roots = routes
            .iter()
            .flat_map(|r| r.chain.iter().filter_map(|e| e.function));
        lower::lower_reachable(&store, roots, &mut functions);
        if timing {
            eprintln!("chain bodies {:?}", t2.elapsed());
        }
    }
    lower::hide_params(&mut functions, &hidden);
    for (i, src, sp) in broken {
        let listed = routes
            .iter()
            .filter(|r| r.span.file.0 as usize == i)
            .count();
        let damage = damage::assess(src, sp.start_byte as usize, listed);
        files[i].parse_damage = damage;
        warnings.push(secprop_source::parse_error(
            files[i].path.clone(),
            sp,
            damage,
        ));
    }
    warnings.extend(import_warnings);
    warnings.extend(route_warnings);
    warnings.sort_by(|a, b| {
        (&a.file, a.span.map(|s| s.start_byte)).cmp(&(&b.file, b.span.map(|s| s.start_byte)))
    });
    drop(store);
    Project {
        framework: "express".into(),
        files,
        routes,
        functions,
        warnings,
        types,
    }
}
