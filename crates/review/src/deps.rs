//! Dependencies declared in a tree's manifests and lockfiles: `package.json` and
//! `package-lock.json` / `yarn.lock` / `pnpm-lock.yaml`, `Cargo.toml` and `Cargo.lock`,
//! `requirements*.txt` and `pyproject.toml`. Read with small line-based parsers: a
//! review only needs names (and versions where a lockfile pins them), never resolution.

use serde::Serialize;
use std::collections::BTreeSet;
use std::path::Path;

/// One declared dependency.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Serialize)]
pub struct Dependency {
    /// `npm`, `cargo` or `pypi`.
    pub ecosystem: &'static str,
    pub name: String,
    /// The version or requirement as written, when any.
    pub version: Option<String>,
    /// The manifest or lockfile, repository-relative.
    pub file: String,
}

/// Name and version of each dependency a file declares.
pub type Found = Vec<(String, Option<String>)>;

/// A manifest reader: the ecosystem and the dependencies of a file's text.
pub type Parser = fn(&str) -> (&'static str, Found);

/// The reader of a manifest or lockfile by its file name: it gives the ecosystem
/// (`npm`, `cargo`, `pypi`) and the dependencies; `None` for any other file.
pub fn parser(file_name: &str) -> Option<Parser> {
    Some(match file_name {
        "package.json" => |t| ("npm", package_json(t)),
        "package-lock.json" => |t| ("npm", package_lock(t)),
        "yarn.lock" => |t| ("npm", yarn_lock(t)),
        "pnpm-lock.yaml" => |t| ("npm", pnpm_lock(t)),
        "Cargo.toml" => |t| ("cargo", cargo_toml(t)),
        "Cargo.lock" => |t| ("cargo", cargo_lock(t)),
        "pyproject.toml" => |t| ("pypi", pyproject(t)),
        n if n.starts_with("requirements") && n.ends_with(".txt") => |t| ("pypi", requirements(t)),
        _ => return None,
    })
}

/// Folders never searched for manifests.
const SKIP: &[&str] = &["node_modules", "target", ".git", ".venv", "venv", "dist"];

/// Every dependency of the tree at `root`, sorted.
pub fn collect(root: &Path) -> BTreeSet<Dependency> {
    let mut out = BTreeSet::new();
    walk(root, root, 0, &mut out);
    out
}

fn walk(root: &Path, dir: &Path, depth: usize, out: &mut BTreeSet<Dependency>) {
    if depth > 6 {
        return;
    }
    let Ok(entries) = std::fs::read_dir(dir) else {
        return;
    };
    let mut paths: Vec<_> = entries.filter_map(|e| e.ok()).map(|e| e.path()).collect();
    paths.sort();
    for p in paths {
        let name = p
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_default();
        let Ok(meta) = std::fs::symlink_metadata(&p) else {
            continue;
        };
        if meta.is_dir() {
            if !SKIP.contains(&name.as_str()) {
                walk(root, &p, depth + 1, out);
            }
            continue;
        }
        if !meta.is_file() || meta.len() > 20_000_000 {
            continue;
        }
        let rel = p
            .strip_prefix(root)
            .unwrap_or(&p)
            .to_string_lossy()
            .replace('\\', "/");
        let Some(parse) = parser(&name) else {
            continue;
        };
        let Ok(text) = std::fs::read_to_string(&p) else {
            continue;
        };
        let (ecosystem, found) = parse(&text);
        for (name, version) in found {
            out.insert(Dependency {
                ecosystem,
                name,
                version,
                file: rel.clone(),
            });
        }
    }
}

fn package_json(text: &str) -> Vec<(String, Option<String>)> {
    let Ok(doc) = serde_json::from_str::<serde_json::Value>(text) else {
        return vec![];
    };
    let mut out = Vec::new();
    for section in [
        "dependencies",
        "devDependencies",
        "optionalDependencies",
        "peerDependencies",
    ] {
        if let Some(deps) = doc.get(section).and_then(|d| d.as_object()) {
            for (name, v) in deps {
                out.push((name.clone(), v.as_str().map(str::to_string)));
            }
        }
    }
    out
}

fn package_lock(text: &str) -> Vec<(String, Option<String>)> {
    let Ok(doc) = serde_json::from_str::<serde_json::Value>(text) else {
        return vec![];
    };
    let version = |v: &serde_json::Value| {
        v.get("version")
            .and_then(|v| v.as_str())
            .map(str::to_string)
    };
    let mut out = Vec::new();
    if let Some(pkgs) = doc.get("packages").and_then(|p| p.as_object()) {
        for (path, v) in pkgs {
            if let Some(i) = path.rfind("node_modules/") {
                out.push((path[i + "node_modules/".len()..].to_string(), version(v)));
            }
        }
    } else if let Some(deps) = doc.get("dependencies").and_then(|p| p.as_object()) {
        for (name, v) in deps {
            out.push((name.clone(), version(v)));
        }
    }
    out
}

/// `"name@^1.0.0", name@^2:` entry lines, then `  version "1.2.3"`.
fn yarn_lock(text: &str) -> Vec<(String, Option<String>)> {
    let mut out = Vec::new();
    let mut current: Vec<String> = Vec::new();
    for line in text.lines() {
        if !line.starts_with(' ') && line.ends_with(':') && !line.starts_with('#') {
            current = line
                .trim_end_matches(':')
                .split(", ")
                .filter_map(|spec| {
                    let spec = spec.trim().trim_matches('"');
                    let at = spec[1..].find('@')? + 1;
                    Some(spec[..at].to_string())
                })
                .collect();
            current.dedup();
        } else if let Some(v) = line.trim().strip_prefix("version") {
            let v = v.trim().trim_start_matches(':').trim().trim_matches('"');
            for name in current.drain(..) {
                out.push((name, Some(v.to_string())));
            }
        }
    }
    out
}

/// `  /name@1.2.3:` or `  name@1.2.3:` keys under `packages:`.
fn pnpm_lock(text: &str) -> Vec<(String, Option<String>)> {
    let mut out = Vec::new();
    let mut in_packages = false;
    for line in text.lines() {
        if !line.starts_with(' ') {
            in_packages = line.trim_end() == "packages:";
            continue;
        }
        if !in_packages || line.starts_with("    ") || !line.trim_end().ends_with(':') {
            continue;
        }
        let key = line.trim().trim_end_matches(':').trim_matches('\'');
        let key = key.trim_start_matches('/');
        if let Some(at) = key.get(1..).and_then(|k| k.find('@')) {
            let (name, version) = key.split_at(at + 1);
            out.push((name.to_string(), Some(version[1..].to_string())));
        }
    }
    out
}

/// Keys of `[dependencies]`, `[dev-dependencies]`, `[build-dependencies]`,
/// `[workspace.dependencies]` and target-specific tables; `[dependencies.name]` tables.
fn cargo_toml(text: &str) -> Vec<(String, Option<String>)> {
    let mut out = Vec::new();
    let mut in_deps = false;
    for line in text.lines() {
        let line = line.trim();
        if line.starts_with('[') {
            let table = line.trim_matches(|c| c == '[' || c == ']');
            let last = table.rsplit('.').next().unwrap_or("");
            if let Some((head, name)) = table.rsplit_once('.')
                && head.ends_with("dependencies")
            {
                out.push((name.trim_matches('"').to_string(), None));
                in_deps = false;
                continue;
            }
            in_deps = last.ends_with("dependencies");
            continue;
        }
        if !in_deps || line.starts_with('#') {
            continue;
        }
        if let Some((name, value)) = line.split_once('=') {
            let value = value.trim();
            let version = if value.starts_with('"') {
                Some(value.trim_matches('"').to_string())
            } else {
                value
                    .split("version")
                    .nth(1)
                    .and_then(|v| v.split('"').nth(1))
                    .map(str::to_string)
            };
            out.push((name.trim().trim_matches('"').to_string(), version));
        }
    }
    out
}

/// `name = "x"` then `version = "1.2.3"` in each `[[package]]`.
fn cargo_lock(text: &str) -> Vec<(String, Option<String>)> {
    let mut out = Vec::new();
    let mut name: Option<String> = None;
    for line in text.lines() {
        let line = line.trim();
        if line == "[[package]]" {
            name = None;
        } else if let Some(v) = line.strip_prefix("name = ") {
            name = Some(v.trim_matches('"').to_string());
        } else if let Some(v) = line.strip_prefix("version = ")
            && let Some(n) = name.take()
        {
            out.push((n, Some(v.trim_matches('"').to_string())));
        }
    }
    out
}

/// A requirement's name: `flask>=2.0 ; python_version...` gives `flask`.
fn requirement_name(req: &str) -> Option<(String, Option<String>)> {
    let req = req.split('#').next()?.trim();
    if req.is_empty() || req.starts_with('-') {
        return None;
    }
    let end = req
        .find(|c: char| !(c.is_alphanumeric() || matches!(c, '-' | '_' | '.' | '[' | ']')))
        .unwrap_or(req.len());
    let name = req[..end].split('[').next()?.to_lowercase();
    let rest = req[end..].split(';').next().unwrap_or("").trim();
    (!name.is_empty()).then(|| (name, (!rest.is_empty()).then(|| rest.to_string())))
}

fn requirements(text: &str) -> Vec<(String, Option<String>)> {
    text.lines().filter_map(requirement_name).collect()
}

/// PEP 621 `dependencies = [...]`, `[project.optional-dependencies]` and
/// `[dependency-groups]` arrays, Poetry's `[tool.poetry.*dependencies]` keys.
fn pyproject(text: &str) -> Vec<(String, Option<String>)> {
    let mut out = Vec::new();
    let mut table = String::new();
    let mut in_array = false;
    for line in text.lines() {
        let t = line.trim();
        if !in_array && t.starts_with('[') {
            table = t.trim_matches(|c| c == '[' || c == ']').to_string();
            continue;
        }
        let poetry = table.starts_with("tool.poetry") && table.ends_with("dependencies");
        let items = if in_array {
            t
        } else if let Some((key, value)) = t.split_once('=') {
            let (key, value) = (key.trim(), value.trim());
            if poetry {
                if key != "python" {
                    out.push((key.trim_matches('"').to_lowercase(), None));
                }
                continue;
            }
            let array_table = matches!(
                table.as_str(),
                "project.optional-dependencies" | "dependency-groups"
            );
            if value.starts_with('[')
                && ((table == "project" && key == "dependencies") || array_table)
            {
                in_array = true;
                &value[1..]
            } else {
                continue;
            }
        } else {
            continue;
        };
        for item in items.split(',') {
            let it = item.trim();
            // A quoted requirement, then what follows it (`]` closes the array; extras
            // such as `requests[socks]` stay inside the quotes).
            let (req, rest) = match it.chars().next() {
                Some(q @ ('"' | '\'')) => match it[1..].find(q) {
                    Some(end) => (&it[1..1 + end], &it[2 + end..]),
                    None => (&it[1..], ""),
                },
                _ => ("", it),
            };
            if let Some(dep) = requirement_name(req) {
                out.push(dep);
            }
            if rest.contains(']') {
                in_array = false;
                break;
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn names(v: Vec<(String, Option<String>)>) -> Vec<String> {
        v.into_iter().map(|(n, _)| n).collect()
    }

    #[test]
    fn manifests_and_lockfiles() {
        assert_eq!(
            names(package_json(
                r#"{"dependencies": {"express": "^4"}, "devDependencies": {"vitest": "1"}}"#
            )),
            ["express", "vitest"]
        );
        assert_eq!(
            names(package_lock(
                r#"{"packages": {"": {}, "node_modules/left-pad": {"version": "1.3.0"}, "node_modules/a/node_modules/@s/b": {"version": "2"}}}"#
            )),
            ["left-pad", "@s/b"]
        );
        assert_eq!(
            yarn_lock(
                "# yarn\n\"@s/b@^1\", \"@s/b@^1.1\":\n  version \"1.2.0\"\nleft-pad@^1:\n  version \"1.3.0\"\n"
            ),
            [
                ("@s/b".to_string(), Some("1.2.0".to_string())),
                ("left-pad".to_string(), Some("1.3.0".to_string()))
            ]
        );
        assert_eq!(
            names(pnpm_lock(
                "lockfileVersion: 6\npackages:\n  /left-pad@1.3.0:\n    resolution: x\n  /@s/b@2.0.0:\n    dev: true\n"
            )),
            ["left-pad", "@s/b"]
        );
        assert_eq!(
            names(cargo_toml(
                "[package]\nname = \"x\"\n[dependencies]\nserde = \"1\"\naxum = { version = \"0.8\" }\n[dev-dependencies.proptest]\nversion = \"1\"\n"
            )),
            ["serde", "axum", "proptest"]
        );
        assert_eq!(
            names(cargo_lock(
                "[[package]]\nname = \"serde\"\nversion = \"1.0.0\"\n\n[[package]]\nname = \"axum\"\nversion = \"0.8.1\"\n"
            )),
            ["serde", "axum"]
        );
        assert_eq!(
            names(requirements(
                "# deps\nFlask>=2.0\nrequests[socks]==2.31 ; python_version > '3'\n-r other.txt\n"
            )),
            ["flask", "requests"]
        );
        assert_eq!(
            names(pyproject(
                "[project]\nname = \"x\"\ndependencies = [\n  \"fastapi>=0.100\",\n  \"pydantic\",\n]\n[tool.poetry.dependencies]\npython = \"^3.11\"\nhttpx = \"*\"\n"
            )),
            ["fastapi", "pydantic", "httpx"]
        );
    }
}
