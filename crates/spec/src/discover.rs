//! Finding `secprop.yaml` and the repository root (spec-v1 §1).

use crate::diag::SpecError;
use std::path::{Path, PathBuf};

/// The file names a spec may have, in the order they are looked for.
pub const SPEC_FILE_NAMES: [&str; 2] = ["secprop.yaml", "secprop.yml"];

/// The repository root of `path`: the nearest folder at or above it holding `.git` (a
/// file or a folder); without one, `path` itself when it is a folder, else its folder.
pub fn repo_root_for(path: &Path) -> PathBuf {
    let abs = std::path::absolute(path).unwrap_or_else(|_| path.to_path_buf());
    let start = if abs.is_dir() {
        abs.as_path()
    } else {
        abs.parent().unwrap_or(abs.as_path())
    };
    start
        .ancestors()
        .find(|d| d.join(".git").exists())
        .unwrap_or(start)
        .to_path_buf()
}

/// Finds the spec for a command run in `cwd`: walks up from `cwd` to the repository root
/// (the first folder holding `.git`) and returns the first `secprop.yaml` or
/// `secprop.yml`; with no `.git` above, only `cwd` is searched. Both names in one folder
/// are an error, and so is finding none.
// Called once per run and rendered at once: the size of the error does not matter, and
// the plain type keeps the contract simple for callers.
#[allow(clippy::result_large_err)]
pub fn discover(cwd: &Path) -> Result<PathBuf, SpecError> {
    let cwd = std::path::absolute(cwd).unwrap_or_else(|_| cwd.to_path_buf());
    let repo = cwd.ancestors().find(|d| d.join(".git").exists());
    let searched: Vec<&Path> = match repo {
        Some(root) => cwd
            .ancestors()
            .take_while(|d| d.starts_with(root))
            .collect(),
        None => vec![cwd.as_path()],
    };
    for dir in &searched {
        let found: Vec<PathBuf> = SPEC_FILE_NAMES
            .iter()
            .map(|n| dir.join(n))
            .filter(|p| p.is_file())
            .collect();
        match found.as_slice() {
            [] => continue,
            [one] => return Ok(one.clone()),
            _ => {
                return Err(SpecError::unlocated(
                    *dir,
                    "spec-ambiguous",
                    "both `secprop.yaml` and `secprop.yml` are present",
                    Some("keep one of them (secprop reads exactly one spec), or name the one to use with `--spec FILE`".into()),
                ));
            }
        }
    }
    let (message, hint) = match repo {
        Some(root) => (
            format!(
                "no `secprop.yaml` or `secprop.yml` found here or in any folder above, up to the repository root `{}`",
                root.display()
            ),
            "create one (the README shows a minimal spec), or name a spec with `--spec FILE`",
        ),
        None => (
            "no `secprop.yaml` or `secprop.yml` found in this folder (outside a git repository only the current folder is searched)".to_string(),
            "create one (the README shows a minimal spec), run secprop from the spec's folder, or name a spec with `--spec FILE`",
        ),
    };
    Err(SpecError::unlocated(
        cwd.clone(),
        "spec-not-found",
        message,
        Some(hint.into()),
    ))
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::fs;

    fn write(p: &Path) {
        if let Some(d) = p.parent() {
            fs::create_dir_all(d).expect("mkdir");
        }
        fs::write(p, "version: 1\ntargets: []\n").expect("write");
    }

    #[test]
    fn walks_up_to_the_repository_root() {
        let t = tempfile::tempdir().expect("tempdir");
        let repo = t.path().join("repo");
        fs::create_dir_all(repo.join(".git")).expect("mkdir");
        write(&repo.join("secprop.yaml"));
        let deep = repo.join("a/b/c");
        fs::create_dir_all(&deep).expect("mkdir");
        assert_eq!(discover(&deep).expect("found"), repo.join("secprop.yaml"));
        assert_eq!(repo_root_for(&deep), repo);
        assert_eq!(repo_root_for(&repo.join("secprop.yaml")), repo);
    }

    #[test]
    fn the_nearest_spec_wins_and_yml_is_accepted() {
        let t = tempfile::tempdir().expect("tempdir");
        let repo = t.path();
        fs::create_dir_all(repo.join(".git")).expect("mkdir");
        write(&repo.join("secprop.yaml"));
        write(&repo.join("svc/secprop.yml"));
        assert_eq!(
            discover(&repo.join("svc")).expect("found"),
            repo.join("svc/secprop.yml")
        );
    }

    #[test]
    fn stops_at_the_repository_root() {
        let t = tempfile::tempdir().expect("tempdir");
        write(&t.path().join("secprop.yaml"));
        let repo = t.path().join("repo");
        // A `.git` file (worktree, submodule) marks a root as well as a folder does.
        fs::create_dir_all(&repo).expect("mkdir");
        fs::write(repo.join(".git"), "gitdir: elsewhere\n").expect("write");
        fs::create_dir_all(repo.join("sub")).expect("mkdir");
        let e = discover(&repo.join("sub")).expect_err("not found");
        assert_eq!(e.code, "spec-not-found");
        assert!(e.hint.as_deref().unwrap_or("").contains("--spec FILE"));
        assert!(e.hint.as_deref().unwrap_or("").contains("--spec"));
        assert_eq!(repo_root_for(&repo.join("sub")), repo);
    }

    #[test]
    fn without_a_repository_only_the_current_folder_is_searched() {
        let t = tempfile::tempdir().expect("tempdir");
        // Tempdirs normally sit outside any repository; skip the check when not.
        if t.path().ancestors().any(|d| d.join(".git").exists()) {
            return;
        }
        write(&t.path().join("secprop.yaml"));
        let sub = t.path().join("sub");
        fs::create_dir_all(&sub).expect("mkdir");
        let e = discover(&sub).expect_err("not searched above");
        assert_eq!(e.code, "spec-not-found");
        assert_eq!(
            discover(t.path()).expect("found"),
            t.path().join("secprop.yaml")
        );
        assert_eq!(repo_root_for(&sub), sub);
    }

    #[test]
    fn both_names_in_one_folder_is_an_error() {
        let t = tempfile::tempdir().expect("tempdir");
        fs::create_dir_all(t.path().join(".git")).expect("mkdir");
        write(&t.path().join("secprop.yaml"));
        write(&t.path().join("secprop.yml"));
        let e = discover(t.path()).expect_err("ambiguous");
        assert_eq!(e.code, "spec-ambiguous");
        assert!(e.render(false).contains("--spec"));
    }
}
