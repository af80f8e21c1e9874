//! `-o/--output`: `FILE` replaces stdout, `FORMAT=FILE` writes an extra format
//! (spec-v1 §10). Files are written whole or not at all.

use anyhow::{Context, Result, bail};
use std::path::{Path, PathBuf};

/// Where the rendered formats go.
#[derive(Debug, Default)]
pub struct Outputs {
    /// Replaces stdout for the `--format` output.
    pub main: Option<PathBuf>,
    /// Extra formats and their files.
    pub extra: Vec<(String, PathBuf)>,
}

/// Splits the `--output` values; `formats` are the names valid for the command.
pub fn parse(values: &[String], formats: &[&str]) -> Result<Outputs> {
    let mut out = Outputs::default();
    for v in values {
        match v.split_once('=') {
            Some((fmt, file)) if formats.contains(&fmt) => {
                if file.is_empty() {
                    bail!(
                        "--output {v}: the file name is empty\n  hint: write --output {fmt}=report.{fmt}"
                    );
                }
                out.extra.push((fmt.to_string(), PathBuf::from(file)));
            }
            Some((fmt, _)) if !fmt.contains(['/', '\\', '.']) => bail!(
                "--output {v}: unknown format `{fmt}`\n  hint: formats are {}",
                formats.join(", ")
            ),
            _ => {
                if out.main.is_some() {
                    bail!(
                        "--output {v}: only one plain FILE may replace stdout\n  hint: use FORMAT=FILE for extra formats"
                    );
                }
                out.main = Some(PathBuf::from(v));
            }
        }
    }
    Ok(out)
}

/// Writes `text` to `path` through a temporary file in the same folder and a rename, so
/// a reader never sees half a report. A path that is not a regular file (`/dev/null`, a
/// pipe) is written in place, since a rename would replace it; a symlink is followed so
/// the link stays a link.
pub fn write_atomic(path: &Path, text: &str) -> Result<()> {
    if std::fs::metadata(path).is_ok_and(|m| !m.is_file()) {
        return std::fs::write(path, text).with_context(|| format!("writing {}", path.display()));
    }
    let real = std::fs::canonicalize(path).unwrap_or_else(|_| path.to_path_buf());
    let dir = real
        .parent()
        .filter(|p| !p.as_os_str().is_empty())
        .unwrap_or(Path::new("."));
    std::fs::create_dir_all(dir).with_context(|| format!("creating {}", dir.display()))?;
    let name = real
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    let tmp = dir.join(format!(".{name}.secprop-tmp"));
    std::fs::write(&tmp, text).with_context(|| format!("writing {}", tmp.display()))?;
    if let Err(e) = std::fs::rename(&tmp, &real) {
        let _ = std::fs::remove_file(&tmp);
        return Err(e).with_context(|| format!("writing {}", path.display()));
    }
    Ok(())
}

/// Prints `text` to stdout or writes it to the main output file.
pub fn emit(outputs: &Outputs, text: &str) -> Result<()> {
    match &outputs.main {
        Some(p) => write_atomic(p, text),
        None => {
            use std::io::Write;
            let mut stdout = std::io::stdout().lock();
            // A closed pipe (`secprop routes | head`) is not an error worth reporting.
            match stdout
                .write_all(text.as_bytes())
                .and_then(|_| stdout.flush())
            {
                Err(e) if e.kind() == std::io::ErrorKind::BrokenPipe => Ok(()),
                r => r.context("writing to stdout"),
            }
        }
    }
}
