//! `tsconfig.json` `compilerOptions.paths` and `baseUrl` (spec-v1 §4: module resolution
//! follows them). The file is JSON with comments and trailing commas; a relative `extends`
//! is followed.

use std::path::Path;

/// Path aliases, with targets relative to the scan root (`/` separators).
#[derive(Debug, Clone, Default)]
pub(crate) struct Aliases {
    /// `(prefix, suffix, targets)` for a pattern `prefix*suffix` (or an exact pattern,
    /// with an empty suffix and `exact`), targets holding at most one `*`.
    pub patterns: Vec<(String, String, bool, Vec<String>)>,
    /// `baseUrl` relative to the scan root (`""` for the root itself).
    pub base_url: Option<String>,
}

impl Aliases {
    /// The scan-root-relative candidates for a bare specifier, most specific pattern first.
    pub(crate) fn candidates(&self, spec: &str) -> Vec<String> {
        let mut best: Vec<(usize, Vec<String>)> = Vec::new();
        for (prefix, suffix, exact, targets) in &self.patterns {
            let star = if *exact {
                if spec != prefix {
                    continue;
                }
                ""
            } else if spec.len() >= prefix.len() + suffix.len()
                && spec.starts_with(prefix.as_str())
                && spec.ends_with(suffix.as_str())
            {
                &spec[prefix.len()..spec.len() - suffix.len()]
            } else {
                continue;
            };
            let out = targets.iter().map(|t| t.replacen('*', star, 1)).collect();
            best.push((prefix.len(), out));
        }
        best.sort_by_key(|b| std::cmp::Reverse(b.0));
        let mut out: Vec<String> = best.into_iter().flat_map(|(_, t)| t).collect();
        if let Some(base) = &self.base_url {
            out.push(if base.is_empty() {
                spec.to_string()
            } else {
                format!("{base}/{spec}")
            });
        }
        out
    }
}

/// Drops `.` and empty segments and folds `x/..`, keeping leading `..` (a base config or
/// a path target may lie above the tsconfig's folder).
fn normalise(p: &str) -> String {
    let mut parts: Vec<&str> = Vec::new();
    for seg in p.split('/') {
        match seg {
            "" | "." => {}
            ".." if parts.last().is_some_and(|l| *l != "..") => {
                parts.pop();
            }
            s => parts.push(s),
        }
    }
    parts.join("/")
}

/// Loads the first `tsconfig.json` found in `root` or its ancestors up to `repo_root`.
pub(crate) fn load(root: &Path, repo_root: &Path) -> Option<Aliases> {
    let mut dir = Some(root);
    while let Some(d) = dir {
        let f = d.join("tsconfig.json");
        if let Ok(text) = std::fs::read_to_string(&f) {
            // The tsconfig's folder relative to the scan root, as `..` segments when above it,
            // followed by the folders back down to the root.
            let up = relative(root, d)?;
            let down = root
                .strip_prefix(d)
                .ok()
                .map(secprop_source::slash_path)
                .unwrap_or_default();
            let v: serde_json::Value = serde_json::from_str(&strip_jsonc(&text)).ok()?;
            return from_value(&with_extends(&f, v, 0), &up, &down);
        }
        if d == repo_root {
            break;
        }
        dir = d.parent();
    }
    None
}

/// `to` relative to `root` when `to` is `root` or one of its ancestors (`..`, `../..`).
fn relative(root: &Path, to: &Path) -> Option<String> {
    let mut ups = Vec::new();
    let mut cur = root;
    while cur != to {
        ups.push("..");
        cur = cur.parent()?;
    }
    Some(ups.join("/"))
}

/// Parses a tsconfig whose folder is `up` (`..` segments) from the scan root, which is
/// `down` below the tsconfig's folder.
#[cfg(test)]
pub(crate) fn parse(text: &str, up: &str, down: &str) -> Option<Aliases> {
    let v: serde_json::Value = serde_json::from_str(&strip_jsonc(text)).ok()?;
    from_value(&v, up, down)
}

/// Follows a tsconfig's relative `extends` (a string or, since TypeScript 5, a list; a few
/// levels deep): the bases' compiler options, later ones and the file's own taking
/// precedence. What a base says relative to its own folder (`baseUrl`, and `paths` when it
/// has no `baseUrl`) is rewritten relative to the extending file's folder.
fn with_extends(file: &Path, mut v: serde_json::Value, depth: u32) -> serde_json::Value {
    use serde_json::Value;
    let specs: Vec<String> = match v.get("extends") {
        Some(Value::String(s)) => vec![s.clone()],
        Some(Value::Array(a)) => a
            .iter()
            .filter_map(|s| s.as_str().map(String::from))
            .collect(),
        _ => Vec::new(),
    };
    if specs.is_empty() || depth > 8 {
        return v;
    }
    let dir = file.parent().unwrap_or(Path::new(""));
    let mut merged = serde_json::Map::new();
    for spec in specs {
        if !spec.starts_with('.') {
            continue; // a package's tsconfig (`@tsconfig/node20`) holds no project paths
        }
        let mut path = dir.join(&spec);
        if !path.is_file() {
            path = dir.join(format!("{spec}.json"));
        }
        let Some(base) = std::fs::read_to_string(&path)
            .ok()
            .and_then(|t| serde_json::from_str::<Value>(&strip_jsonc(&t)).ok())
        else {
            continue;
        };
        let base = with_extends(&path, base, depth + 1);
        let Some(Value::Object(mut opts)) = base.get("compilerOptions").cloned() else {
            continue;
        };
        let rel = path
            .parent()
            .and_then(|b| folder_from(dir, b))
            .unwrap_or_default();
        let onto = |p: &str| normalise(&format!("{rel}/{p}"));
        if let Some(Value::String(b)) = opts.get("baseUrl").cloned() {
            opts.insert("baseUrl".into(), Value::String(onto(&b)));
        } else if let Some(Value::Object(paths)) = opts.get_mut("paths") {
            for targets in paths.values_mut() {
                if let Value::Array(ts) = targets {
                    for t in ts.iter_mut() {
                        if let Value::String(s) = t {
                            *s = onto(s);
                        }
                    }
                }
            }
        }
        merged.extend(opts);
    }
    if let Some(Value::Object(own)) = v.get("compilerOptions") {
        merged.extend(own.clone());
    }
    v["compilerOptions"] = Value::Object(merged);
    v
}

/// `to` relative to `from` (both folders), with `..` where `to` is not below `from`.
fn folder_from(from: &Path, to: &Path) -> Option<String> {
    let mut ups = String::new();
    let mut cur = from;
    loop {
        if let Ok(rest) = to.strip_prefix(cur) {
            let rest = secprop_source::slash_path(rest);
            return Some(match (ups.is_empty(), rest.is_empty()) {
                (true, _) => rest,
                (false, true) => ups.trim_end_matches('/').to_string(),
                (false, false) => format!("{ups}{rest}"),
            });
        }
        ups.push_str("../");
        cur = cur.parent()?;
    }
}

fn from_value(v: &serde_json::Value, up: &str, down: &str) -> Option<Aliases> {
    let opts = v.get("compilerOptions")?;
    let rebase = |p: &str| -> String {
        // `p` is relative to the tsconfig's folder: make it relative to the scan root.
        let p = normalise(p);
        match p.strip_prefix(down) {
            Some(rest) if !down.is_empty() => rest.trim_start_matches('/').to_string(),
            _ if down.is_empty() => p,
            _ => format!("{up}/{p}"),
        }
    };
    let base = opts.get("baseUrl").and_then(|b| b.as_str()).map(rebase);
    let mut patterns = Vec::new();
    if let Some(paths) = opts.get("paths").and_then(|p| p.as_object()) {
        let raw_base = opts.get("baseUrl").and_then(|b| b.as_str()).unwrap_or(".");
        for (pat, targets) in paths {
            let targets: Vec<String> = targets
                .as_array()
                .map(|a| {
                    a.iter()
                        .filter_map(|t| t.as_str())
                        .map(|t| rebase(&format!("{raw_base}/{t}")))
                        .collect()
                })
                .unwrap_or_default();
            match pat.split_once('*') {
                Some((p, s)) => patterns.push((p.to_string(), s.to_string(), false, targets)),
                None => patterns.push((pat.clone(), String::new(), true, targets)),
            }
        }
    }
    Some(Aliases {
        patterns,
        base_url: base,
    })
}

/// Removes `//` and `/* */` comments outside strings and trailing commas.
fn strip_jsonc(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut chars = text.chars().peekable();
    let mut in_str = false;
    while let Some(c) = chars.next() {
        if in_str {
            out.push(c);
            if c == '\\' {
                if let Some(n) = chars.next() {
                    out.push(n);
                }
            } else if c == '"' {
                in_str = false;
            }
            continue;
        }
        match c {
            '"' => {
                in_str = true;
                out.push(c);
            }
            '/' if chars.peek() == Some(&'/') => {
                for n in chars.by_ref() {
                    if n == '\n' {
                        out.push('\n');
                        break;
                    }
                }
            }
            '/' if chars.peek() == Some(&'*') => {
                chars.next();
                let mut prev = ' ';
                for n in chars.by_ref() {
                    if prev == '*' && n == '/' {
                        break;
                    }
                    prev = n;
                }
            }
            _ => out.push(c),
        }
    }
    // Trailing commas: `,` followed by whitespace and a closing bracket.
    let mut cleaned = String::with_capacity(out.len());
    let bytes: Vec<char> = out.chars().collect();
    let mut in_str = false;
    for (i, c) in bytes.iter().enumerate() {
        if in_str {
            if *c == '"' && (i == 0 || bytes[i - 1] != '\\') {
                in_str = false;
            }
            cleaned.push(*c);
            continue;
        }
        if *c == '"' {
            in_str = true;
        }
        if *c == ',' {
            let next = bytes[i + 1..].iter().find(|n| !n.is_whitespace());
            if matches!(next, Some('}') | Some(']')) {
                continue;
            }
        }
        cleaned.push(*c);
    }
    cleaned
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn paths_with_comments_and_trailing_commas() {
        let a = parse(
            r#"{
  // comment
  "compilerOptions": {
    "baseUrl": ".", /* block */
    "paths": { "@/*": ["src/*"], "@db": ["src/lib/db.ts",], },
  },
}"#,
            "",
            "",
        )
        .unwrap();
        assert_eq!(
            a.candidates("@/routes/users"),
            ["src/routes/users", "@/routes/users"]
        );
        assert_eq!(a.candidates("@db")[0], "src/lib/db.ts");
        assert_eq!(a.candidates("lib/x"), ["lib/x"]);
    }

    #[test]
    fn extends_is_followed() {
        let dir = std::env::temp_dir().join(format!("secprop-tsconfig-{}", std::process::id()));
        let app = dir.join("packages/api");
        std::fs::create_dir_all(&app).unwrap();
        std::fs::write(
            dir.join("tsconfig.base.json"),
            r#"{"compilerOptions": {"baseUrl": ".", "paths": {"@shared/*": ["libs/shared/*"]}}}"#,
        )
        .unwrap();
        std::fs::write(
            app.join("tsconfig.json"),
            "{ \"extends\": \"../../tsconfig.base\", // comment\n \"compilerOptions\": {\"strict\": true} }",
        )
        .unwrap();
        let a = load(&app, &dir).unwrap();
        assert_eq!(
            a.candidates("@shared/auth"),
            ["../../libs/shared/auth", "../../@shared/auth"]
        );
        // The file's own options take precedence over the base's.
        std::fs::write(
            app.join("tsconfig.json"),
            r#"{"extends": ["../../tsconfig.base.json"], "compilerOptions": {"baseUrl": "src", "paths": {"~/*": ["*"]}}}"#,
        )
        .unwrap();
        let b = load(&app, &dir).unwrap();
        assert_eq!(b.candidates("~/x"), ["src/x", "src/~/x"]);
        std::fs::remove_dir_all(&dir).unwrap();
    }

    #[test]
    fn tsconfig_above_the_scan_root() {
        // The scan root is `services/api` below the tsconfig's folder.
        let a = parse(
            r#"{"compilerOptions": {"baseUrl": "services/api/src", "paths": {"~/*": ["*"]}}}"#,
            "../..",
            "services/api",
        )
        .unwrap();
        assert_eq!(a.candidates("~/x"), ["src/x", "src/~/x"]);
        let b = parse(
            r#"{"compilerOptions": {"paths": {"~/*": ["lib/*"]}}}"#,
            "../..",
            "services/api",
        )
        .unwrap();
        assert_eq!(b.candidates("~/x"), ["../../lib/x"]);
    }
}
