//! Which frameworks and test runners a repository uses, from its manifests at the root:
//! `package.json` (express, vitest, jest), `Cargo.toml` (axum, actix-web) and
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
    let read = |name: &str| std::fs::read_to_string(root.join(name)).ok();
    let mut typescript = root.join("tsconfig.json").is_file();
    if let Some(text) = read("package.json") {
        let names = npm_names(&text);
        typescript |= names.iter().any(|n| n == "typescript");
        note(&names, NPM, "package.json");
    }
    if let Some(text) = read("Cargo.toml") {
        note(&cargo_names(&text), CARGO, "Cargo.toml");
    }
    if let Some(text) = read("pyproject.toml") {
        note(&python_names(&text), PYPI, "pyproject.toml");
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
        if let Some(text) = read(&r) {
            note(&python_names(&text), PYPI, &r);
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
    d
}

fn npm_names(text: &str) -> Vec<String> {
    let Ok(doc) = serde_json::from_str::<serde_json::Value>(text) else {
        return vec![];
    };
    ["dependencies", "devDependencies", "peerDependencies"]
        .iter()
        .filter_map(|s| doc.get(s).and_then(|d| d.as_object()))
        .flat_map(|d| d.keys().cloned())
        .collect()
}

/// Keys of any `*dependencies` table, and `[dependencies.NAME]` tables.
fn cargo_names(text: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut in_deps = false;
    for line in text.lines().map(str::trim) {
        if line.starts_with('[') {
            let table = line.trim_matches(|c| c == '[' || c == ']');
            match table.rsplit_once('.') {
                Some((head, name)) if head.ends_with("dependencies") => {
                    out.push(name.trim_matches('"').to_string());
                    in_deps = false;
                }
                _ => in_deps = table.ends_with("dependencies"),
            }
        } else if in_deps && let Some((name, _)) = line.split_once('=') {
            out.push(name.trim().trim_matches('"').to_string());
        }
    }
    out
}

/// Words that start a requirement (`flask>=2`, `"fastapi[all]"`), lower-cased: enough
/// to tell whether a framework is named.
fn python_names(text: &str) -> Vec<String> {
    text.split(|c: char| !(c.is_alphanumeric() || c == '-' || c == '_'))
        .filter(|w| !w.is_empty())
        .map(|w| w.to_lowercase().replace('_', "-"))
        .collect()
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
        assert_eq!(runners, ["vitest", "pytest"]);
        assert!(d.typescript);
    }
}
