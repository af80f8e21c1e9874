//! Which frameworks and test runners a repository uses, from its manifests at the root:
//! `package.json` (express, vitest, jest), `Cargo.toml` (axum, actix-web; runner cargo) and
//! `pyproject.toml` / `requirements*.txt` (fastapi, flask, pytest).

use std::path::Path;

/// What the manifests say.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Detected {
    /// Spec `framework` names, each with the manifest naming it, in manifest order.
    pub frameworks: Vec<(&'static str, String)>,
    /// Spec `runner` names, each with the manifest naming it.
    pub runners: Vec<(&'static str, String)>,
    /// Whether the JavaScript project is TypeScript (a `tsconfig.json`, a `typescript`
    /// dependency, or `.ts` files at the root or in `src/`): the harness is then
    /// `harness.ts`.
    pub typescript: bool,
}

const NPM: &[(&str, &str, bool)] = &[
    ("express", "express", true),
    ("vitest", "vitest", false),
    ("jest", "jest", false),
];
const CARGO: &[(&str, &str, bool)] = &[("axum", "axum", true), ("actix-web", "actix-web", true)];
const PYPI: &[(&str, &str, bool)] = &[
    ("fastapi", "fastapi", true),
    ("flask", "flask", true),
    ("pytest", "pytest", false),
];

/// Reads the manifests at `root`.
pub fn detect(root: &Path) -> Detected {
    let mut d = Detected::default();
    let mut note = |names: &[String], table: &[(&'static str, &'static str, bool)], file: &str| {
        for (dep, spec_name, framework) in table {
            if names.iter().any(|n| n == dep) {
                let list = if *framework {
                    &mut d.frameworks
                } else {
                    &mut d.runners
                };
                if !list.iter().any(|(n, _)| n == spec_name) {
                    list.push((spec_name, file.to_string()));
                }
            }
        }
    };
    // The review's manifest readers: one parser of each format in the project.
    let names_in = |file: &str| -> Option<Vec<String>> {
        let parse = secprop_review::deps::parser(file)?;
        let text = std::fs::read_to_string(root.join(file)).ok()?;
        Some(
            parse(&text)
                .1
                .into_iter()
                .map(|(n, _)| n.to_lowercase())
                .collect(),
        )
    };
    let mut typescript = root.join("tsconfig.json").is_file();
    if let Some(names) = names_in("package.json") {
        typescript |= names.iter().any(|n| n == "typescript");
        note(&names, NPM, "package.json");
    }
    let cargo = names_in("Cargo.toml");
    if let Some(names) = &cargo {
        note(names, CARGO, "Cargo.toml");
    }
    if let Some(names) = names_in("pyproject.toml") {
        note(&names, PYPI, "pyproject.toml");
    }
    let mut reqs: Vec<String> = std::fs::read_dir(root)
        .map(|r| {
            r.filter_map(|e| e.ok())
                .map(|e| e.file_name().to_string_lossy().into_owned())
                .filter(|n| n.starts_with("requirements") && n.ends_with(".txt"))
                .collect()
        })
        .unwrap_or_default();
    reqs.sort();
    for r in reqs {
        if let Some(names) = names_in(&r) {
            note(&names, PYPI, &r);
        }
    }
    // TypeScript sources at the root or in `src/` count too.
    typescript |= ["", "src"].iter().any(|sub| {
        std::fs::read_dir(root.join(sub)).is_ok_and(|r| {
            r.filter_map(|e| e.ok())
                .any(|e| e.file_name().to_string_lossy().ends_with(".ts"))
        })
    });
    d.typescript = typescript;
    // A Rust crate's tests run with `cargo test`, whatever its dependencies.
    if cargo.is_some() {
        let at = d.runners.iter().position(|(r, _)| *r == "pytest");
        d.runners.insert(
            at.unwrap_or(d.runners.len()),
            ("cargo", "Cargo.toml".into()),
        );
    }
    d
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn manifests_name_frameworks_and_runners() {
        let dir = std::env::temp_dir().join(format!("secprop-init-detect-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        std::fs::write(
            dir.join("package.json"),
            r#"{"dependencies": {"express": "^4"}, "devDependencies": {"vitest": "1", "typescript": "5"}}"#,
        )
        .unwrap();
        std::fs::write(dir.join("Cargo.toml"), "[dependencies]\naxum = \"0.8\"\n").unwrap();
        std::fs::write(dir.join("requirements.txt"), "Flask>=2\npytest\n").unwrap();
        let d = detect(&dir);
        std::fs::remove_dir_all(&dir).unwrap();
        let names: Vec<&str> = d.frameworks.iter().map(|(n, _)| *n).collect();
        assert_eq!(names, ["express", "axum", "flask"]);
        let runners: Vec<&str> = d.runners.iter().map(|(n, _)| *n).collect();
        assert_eq!(runners, ["vitest", "cargo", "pytest"]);
        assert!(d.typescript);
    }
}
