//! Scans a folder and prints a summary: `cargo run --release -p secprop-lang-js --example
//! scan_dir -- DIR [RUNS]` (for profiling the frontend on a real or generated codebase).

fn main() {
    let mut args = std::env::args().skip(1);
    let Some(dir) = args.next() else {
        eprintln!("usage: scan_dir DIR [RUNS]");
        std::process::exit(2);
    };
    let runs: usize = args.next().and_then(|r| r.parse().ok()).unwrap_or(1);
    let root = std::path::PathBuf::from(dir);
    for _ in 0..runs {
        let t = std::time::Instant::now();
        let opts = secprop_lang_js::ScanOptions {
            root: root.clone(),
            repo_root: root.clone(),
            include: vec![],
            exclude: vec![],
            ..Default::default()
        };
        // SECPROP_ROUTES_ONLY=1 measures `scan_routes` (no function bodies).
        let p = if std::env::var_os("SECPROP_ROUTES_ONLY").is_some() {
            secprop_lang_js::scan_routes(&opts)
        } else {
            secprop_lang_js::scan(&opts)
        };
        let elapsed = t.elapsed();
        // SECPROP_DUMP=FILE writes the whole project as JSON, to compare two versions of
        // the frontend on the same codebase.
        if let Some(out) = std::env::var_os("SECPROP_DUMP") {
            let json = serde_json::to_string_pretty(&p).expect("the model serialises");
            std::fs::write(&out, json).expect("writing the SECPROP_DUMP file");
        }
        println!(
            "{} files, {} routes, {} functions, {} warnings in {:?}",
            p.files.len(),
            p.routes.len(),
            p.functions.len(),
            p.warnings.len(),
            elapsed
        );
    }
}
