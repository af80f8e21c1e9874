//! `cargo xtask codegen [--check]`: writes the files generated from the code (the JSON
//! Schema of `secprop.yaml`, the property catalog as a page), or with `--check` fails listing those that are stale
//! (rust-analyzer's `ensure_file_contents` in write and check modes).

use anyhow::{Context, Result, bail};
use std::path::{Path, PathBuf};

/// Runs the task: `args` may hold `--check`.
pub fn codegen(args: &[String]) -> Result<()> {
    let check = match args {
        [] => false,
        [flag] if flag == "--check" => true,
        _ => bail!("usage: cargo xtask codegen [--check]"),
    };
    let root = project_root();
    let mut stale = Vec::new();
    for (rel, contents) in generated() {
        ensure_file_contents(&root, Path::new(rel), &contents, check, &mut stale)?;
    }
    if !stale.is_empty() {
        bail!(
            "generated files are stale: {}; run `cargo xtask codegen` and commit the result",
            stale.join(", ")
        );
    }
    Ok(())
}

/// Every generated file, relative to the project root, with its expected contents.
pub fn generated() -> Vec<(&'static str, String)> {
    vec![
        (
            "specs/secprop.schema.json",
            secprop_spec::json_schema_string(),
        ),
        ("specs/properties.md", secprop_catalog::render_markdown()),
    ]
}

/// Makes `root/rel` hold `contents`: in write mode by writing it, in check mode by
/// recording it in `stale`.
fn ensure_file_contents(
    root: &Path,
    rel: &Path,
    contents: &str,
    check: bool,
    stale: &mut Vec<String>,
) -> Result<()> {
    let path = root.join(rel);
    let shown = rel.display().to_string();
    // Line endings may be converted on checkout; they do not make a file stale.
    let current = std::fs::read_to_string(&path)
        .ok()
        .map(|s| s.replace("\r\n", "\n"));
    if current.as_deref() == Some(contents) {
        return Ok(());
    }
    if check {
        stale.push(shown);
        return Ok(());
    }
    if let Some(dir) = path.parent() {
        std::fs::create_dir_all(dir).with_context(|| format!("creating {}", dir.display()))?;
    }
    std::fs::write(&path, contents).with_context(|| format!("writing {shown}"))?;
    eprintln!("updated {shown}");
    Ok(())
}

fn project_root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .map(Path::to_path_buf)
        .unwrap_or_else(|| PathBuf::from("."))
}
