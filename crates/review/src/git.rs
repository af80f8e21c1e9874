//! The base of a change, read from git without touching the user's checkout (spec-v1
//! §10 `review`): `git merge-base REF HEAD`, then the blobs of that commit written into a
//! temporary folder with `git ls-tree` and `git cat-file --batch`. Git runs as a process;
//! the index, the working tree and the refs are never written.

use std::io::{BufRead, BufReader, Read, Write};
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};

/// Why the base could not be read.
#[derive(Debug, thiserror::Error)]
pub enum GitError {
    /// Occurs when `git` cannot be started.
    #[error("could not run git: {0}\n  hint: `secprop review` needs git on the PATH")]
    NoGit(std::io::Error),
    /// Occurs when the folder is not inside a git repository.
    #[error("`{}` is not inside a git repository\n  hint: run `secprop review` in a clone", .0.display())]
    NotARepository(PathBuf),
    /// Occurs when `REF` or the merge base is not in the clone's history.
    #[error(
        "no merge base of `{base}` and HEAD in this clone: {detail}\n  hint: fetch the base branch and its history; with actions/checkout set `fetch-depth: 0`"
    )]
    MissingHistory { base: String, detail: String },
    /// Occurs when a git command fails for another reason.
    #[error("`git {args}` failed: {detail}")]
    Failed { args: String, detail: String },
    /// Occurs when writing the base's files fails.
    #[error("`{}`: {source}", .path.display())]
    Io {
        path: PathBuf,
        #[source]
        source: std::io::Error,
    },
}

fn git(repo: &Path, args: &[&str]) -> Result<std::process::Output, GitError> {
    Command::new("git")
        .arg("-C")
        .arg(repo)
        .args(args)
        .stdin(Stdio::null())
        .output()
        .map_err(GitError::NoGit)
}

fn stdout_of(repo: &Path, args: &[&str]) -> Result<String, GitError> {
    let out = git(repo, args)?;
    if !out.status.success() {
        return Err(GitError::Failed {
            args: args.join(" "),
            detail: String::from_utf8_lossy(&out.stderr).trim().to_string(),
        });
    }
    Ok(String::from_utf8_lossy(&out.stdout).trim().to_string())
}

/// The top folder of the repository holding `dir`.
pub fn toplevel(dir: &Path) -> Result<PathBuf, GitError> {
    stdout_of(dir, &["rev-parse", "--show-toplevel"])
        .map(PathBuf::from)
        .map_err(|_| GitError::NotARepository(dir.to_path_buf()))
}

/// The commit `merge-base(base, HEAD)`; a ref or history the clone lacks (a shallow
/// checkout) is [`GitError::MissingHistory`].
pub fn merge_base(repo: &Path, base: &str) -> Result<String, GitError> {
    let missing = |detail: String| GitError::MissingHistory {
        base: base.to_string(),
        detail,
    };
    let spec = format!("{base}^{{commit}}");
    let resolved = git(repo, &["rev-parse", "--verify", "--quiet", &spec])?;
    if !resolved.status.success() {
        return Err(missing(format!("`{base}` names no commit here")));
    }
    let out = git(repo, &["merge-base", base, "HEAD"])?;
    if !out.status.success() {
        let shallow =
            stdout_of(repo, &["rev-parse", "--is-shallow-repository"]).is_ok_and(|s| s == "true");
        return Err(missing(if shallow {
            "the clone is shallow".to_string()
        } else {
            "the histories share no commit".to_string()
        }));
    }
    Ok(String::from_utf8_lossy(&out.stdout).trim().to_string())
}

/// Writes the files of `commit` into `dest` (regular files only: symlinks and
/// submodules are left out), as the commit holds them.
pub fn materialize(repo: &Path, commit: &str, dest: &Path) -> Result<(), GitError> {
    let listing = git(repo, &["ls-tree", "-r", "-z", "--full-tree", commit])?;
    if !listing.status.success() {
        return Err(GitError::Failed {
            args: format!("ls-tree -r {commit}"),
            detail: String::from_utf8_lossy(&listing.stderr).trim().to_string(),
        });
    }
    // `<mode> blob <sha>\t<path>` entries, NUL-separated.
    let mut blobs: Vec<(String, String)> = Vec::new();
    for entry in listing.stdout.split(|b| *b == 0).filter(|e| !e.is_empty()) {
        let entry = String::from_utf8_lossy(entry);
        let Some((meta, path)) = entry.split_once('\t') else {
            continue;
        };
        let mut parts = meta.split(' ');
        let (mode, kind, sha) = (parts.next(), parts.next(), parts.next());
        if kind == Some("blob")
            && matches!(mode, Some("100644" | "100755"))
            && let Some(sha) = sha
        {
            blobs.push((sha.to_string(), path.to_string()));
        }
    }
    let mut child = Command::new("git")
        .arg("-C")
        .arg(repo)
        .args(["cat-file", "--batch"])
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .map_err(GitError::NoGit)?;
    let mut stdin = child.stdin.take().expect("piped stdin");
    let shas: Vec<String> = blobs.iter().map(|(s, _)| s.clone()).collect();
    // Feed from a thread so a large tree cannot deadlock on full pipes.
    let feeder = std::thread::spawn(move || {
        for sha in shas {
            if writeln!(stdin, "{sha}").is_err() {
                break;
            }
        }
    });
    let mut reader = BufReader::new(child.stdout.take().expect("piped stdout"));
    let io = |path: &Path| {
        let path = path.to_path_buf();
        move |source| GitError::Io { path, source }
    };
    for (_, rel) in &blobs {
        let mut header = String::new();
        reader.read_line(&mut header).map_err(io(Path::new(rel)))?;
        let size: usize = header
            .split(' ')
            .nth(2)
            .and_then(|s| s.trim().parse().ok())
            .ok_or_else(|| GitError::Failed {
                args: "cat-file --batch".into(),
                detail: format!("unexpected answer `{}`", header.trim()),
            })?;
        let mut content = vec![0u8; size + 1]; // the content, then a newline
        reader
            .read_exact(&mut content)
            .map_err(io(Path::new(rel)))?;
        content.truncate(size);
        let path = dest.join(rel);
        if !path.starts_with(dest) || rel.split('/').any(|c| c == "..") {
            continue;
        }
        if let Some(parent) = path.parent() {
            std::fs::create_dir_all(parent).map_err(io(parent))?;
        }
        std::fs::write(&path, content).map_err(io(&path))?;
    }
    let _ = feeder.join();
    let _ = child.wait();
    Ok(())
}
