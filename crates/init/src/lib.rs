//! `secprop init` (spec-v1 §10): the starter files a team adopts secprop with. [`detect`]
//! reads the manifests, [`harvest`] suggests `context` names from the scanned code, and
//! this module writes the texts: `secprop.yaml`, the pull-request template and the CI
//! workflow. The caller (the cli) scans, writes the files (never over existing ones
//! without `--force`) and creates the harness from `generate`'s scaffold.

pub mod detect;
pub mod harvest;

use harvest::Names;
use std::fmt::Write as _;

/// One target of the starter spec.
#[derive(Debug, Clone)]
pub struct Target {
    pub name: String,
    pub framework: String,
    /// `include` globs, when the sources live in a folder (`src/**`).
    pub include: Vec<String>,
    /// The `tests` section, when a runner with templates was found.
    pub tests: Option<Tests>,
    /// Why there is no `tests` section, written as a comment in its place.
    pub no_tests: Option<String>,
}

/// The language of a spec `framework` or `runner` name: a target's tests are written for
/// a runner of its own language.
pub fn language(name: &str) -> &'static str {
    match name {
        "express" | "vitest" | "jest" => "js",
        "fastapi" | "flask" | "pytest" => "python",
        "axum" | "actix-web" | "cargo" => "rust",
        _ => "",
    }
}

/// The target `exclude` globs of a framework: its language's test files, which are not
/// the app (spec-v1 §2).
pub fn excludes(framework: &str) -> Vec<String> {
    let globs: &[&str] = match language(framework) {
        "python" => &["**/test_*.py", "**/*_test.py", "**/conftest.py"],
        "rust" => &["tests/**"],
        _ => &["**/*.test.*", "**/*.spec.*"],
    };
    globs.iter().map(|g| g.to_string()).collect()
}

#[derive(Debug, Clone)]
pub struct Tests {
    pub runner: String,
    pub out: String,
    pub harness: String,
}

/// A YAML double-quoted scalar (JSON's escaping is valid YAML 1.2).
fn q(s: &str) -> String {
    serde_json::to_string(s).unwrap_or_else(|_| "\"\"".into())
}

fn list(
    out: &mut String,
    indent: &str,
    key: &str,
    items: &std::collections::BTreeSet<String>,
    why: &str,
) {
    if items.is_empty() {
        return;
    }
    let _ = writeln!(out, "{indent}{key}:");
    for i in items {
        let _ = writeln!(out, "{indent}  - {}   # review: {why}", q(i));
    }
}

/// The starter `secprop.yaml`. `notes` are comment lines put at the top (frameworks
/// found without a frontend, runners without templates).
pub fn spec_yaml(targets: &[Target], names: &Names, notes: &[String]) -> String {
    let mut out = String::from(
        "# secprop.yaml: the security properties of this repository (spec-v1).\n\
         # Written by `secprop init`. Every name under `context` is a guess from the code:\n\
         # each is marked `# review`; keep what is right, remove what is not, add what is\n\
         # missing. Then run `secprop check`.\n",
    );
    for n in notes {
        let _ = writeln!(out, "# {n}");
    }
    out.push_str("version: 1\n\ntargets:\n");
    for t in targets {
        let _ = writeln!(out, "  - name: {}", q(&t.name));
        let _ = writeln!(out, "    framework: {}", t.framework);
        out.push_str("    root: .\n");
        if !t.include.is_empty() {
            let inc: Vec<String> = t.include.iter().map(|i| q(i)).collect();
            let _ = writeln!(out, "    include: [{}]", inc.join(", "));
        }
        let exc: Vec<String> = excludes(&t.framework).iter().map(|e| q(e)).collect();
        let _ = writeln!(out, "    exclude: [{}]", exc.join(", "));
        if let Some(why) = &t.no_tests {
            // `check` runs without a `tests` section; `generate` has nothing to write.
            let _ = writeln!(out, "    # tests: none yet: {why}.");
            out.push_str(
                "    # `secprop check` runs the static checks; add a `tests` section (spec-v1 §2)\n    # once the runner has templates, then run `secprop generate`.\n",
            );
        }
        if let Some(tests) = &t.tests {
            out.push_str("    tests:\n");
            let _ = writeln!(out, "      runner: {}", tests.runner);
            let _ = writeln!(out, "      out: {}", q(&tests.out));
            let _ = writeln!(
                out,
                "      harness: {}   # yours: implement its functions (HARNESS_API 1)",
                q(&tests.harness)
            );
        }
    }

    out.push_str("\ncontext:\n");
    let ctx_start = out.len();
    list(
        &mut out,
        "  ",
        "authentication",
        &names.authentication,
        "found in route chains; proves who the caller is?",
    );
    list(
        &mut out,
        "  ",
        "authorization",
        &names.authorization,
        "proves access to the object?",
    );
    list(
        &mut out,
        "  ",
        "side_effects",
        &names.side_effects,
        "work that must not run before authorization?",
    );
    list(
        &mut out,
        "  ",
        "data_access",
        &names.data_access,
        "reads or writes stored data?",
    );
    list(
        &mut out,
        "  ",
        "sensitive_fields",
        &names.sensitive_fields,
        "must never leave the server?",
    );
    if !(names.logs.is_empty() && names.prompts.is_empty() && names.external.is_empty()) {
        out.push_str("  sinks:\n");
        list(&mut out, "    ", "logs", &names.logs, "writes logs?");
        list(
            &mut out,
            "    ",
            "prompts",
            &names.prompts,
            "sends a prompt to a model?",
        );
        list(
            &mut out,
            "    ",
            "external",
            &names.external,
            "calls another service?",
        );
    }
    if out.len() == ctx_start {
        out.push_str("  authentication: []   # review: name your login guard here\n");
    }

    out.push_str("\nproperties:\n");
    out.push_str(
        "  - id: login-required\n    kind: authentication_required\n    routes: [\"**\"]\n",
    );
    for (param, prefix) in &names.tenants {
        let id = format!("tenant-isolation-{}", kebab(param));
        let _ = write!(
            out,
            "  - id: {}\n    kind: cross_tenant_denied\n    routes: [{}]\n    tenant_param: {}\n",
            q(&id),
            q(&format!("* {prefix}/**")),
            q(param)
        );
        if !names.authorization.is_empty() {
            let _ = write!(
                out,
                "  - id: {}\n    kind: no_side_effects_before_authz\n    routes: [{}]\n",
                q(&format!("no-work-before-authz-{}", kebab(param))),
                q(&format!("* {prefix}/**"))
            );
        }
    }
    if !names.sensitive_fields.is_empty() {
        out.push_str(
            "  - id: no-sensitive-leaks\n    kind: sensitive_data_not_exposed\n    routes: [\"**\"]\n",
        );
    }
    out.push_str(
        "  - id: bad-input-fails-safely\n    kind: malformed_input_rejected\n    routes: [\"**\"]\n    severity: medium\n",
    );

    if !names.public.is_empty() {
        out.push_str("\npublic:   # review: confirm each route needs no caller identity\n");
        for r in &names.public {
            let _ = writeln!(
                out,
                "  - route: {}\n    reason: \"to confirm: found without a guard, and its path looks public\"",
                q(r)
            );
        }
    }
    out
}

/// `orgId` → `org-id`.
fn kebab(s: &str) -> String {
    let mut out = String::new();
    for c in s.chars() {
        if c.is_uppercase() {
            if !out.is_empty() {
                out.push('-');
            }
            out.extend(c.to_lowercase());
        } else if c.is_alphanumeric() {
            out.push(c);
        } else if !out.ends_with('-') {
            out.push('-');
        }
    }
    out
}

/// `.github/pull_request_template.md`: a security section with the review questions,
/// pointing at the spec, the generated tests and the review comment.
pub fn pull_request_template(spec_path: &str, tests_out: Option<&str>) -> String {
    let tests = match tests_out {
        Some(out) => format!("the generated negative tests in `{out}/` (`secprop generate`)"),
        None => "the generated negative tests (add a `tests` section to the spec)".to_string(),
    };
    format!(
        "## What and why\n\n\
         <!-- What does this change do, and why? -->\n\n\
         ## Security review\n\n\
         The **secprop review** comment on this pull request (posted by the `secprop` workflow)\n\
         answers the mechanical half: new routes and the properties covering them, new\n\
         dependencies, new external, prompt and log calls, sensitive fields that moved, and\n\
         new findings. The properties live in `{spec_path}`; the runtime proof is {tests}.\n\n\
         - [ ] **What did the author (or the model) probably not know?** Local conventions,\n  \
               tenants, who may call this.\n\
         - [ ] **Which local convention did it bypass or reimplement?** Guards and helpers\n  \
               listed under `context` in `{spec_path}`.\n\
         - [ ] **What sensitive data moved, and where did it land?** Responses, logs, prompts,\n  \
               other services.\n\
         - [ ] **What new dependency, permission, route, queue, prompt or external call\n  \
               appeared?**\n\
         - [ ] **Which security property should the tests prove?** Add or widen one in\n  \
               `{spec_path}` and run `secprop generate`.\n\
         - [ ] **Who owns the risk?** Name the owner of any waiver added here.\n"
    )
}

/// `.github/workflows/secprop.yml`: check with SARIF upload, `generate --check`, and on
/// pull requests the review posted as a comment.
pub fn workflow(spec_path: &str) -> String {
    let spec_arg = if spec_path == "secprop.yaml" {
        String::new()
    } else {
        format!(" --spec {spec_path}")
    };
    format!(
        r#"# secprop: static checks, generated-test freshness and the pull-request review.
# Written by `secprop init`.
name: secprop

on:
  push:
    branches: [main]
  pull_request:

permissions:
  contents: read

jobs:
  secprop:
    runs-on: ubuntu-latest
    permissions:
      contents: read
      security-events: write # SARIF upload
      pull-requests: write # the review comment
    steps:
      - uses: actions/checkout@v4
        with:
          fetch-depth: 0 # `secprop review` needs the merge base's history
      - name: Install secprop
        # review: install secprop the way your team gets it (a release binary, or source).
        run: cargo install --locked --git "$SECPROP_SOURCE" secprop
        env:
          SECPROP_SOURCE: https://github.com/secprop/secprop
      - name: Check
        run: secprop check{spec_arg} --format github --output sarif=secprop.sarif
      - name: Upload SARIF
        if: always()
        uses: github/codeql-action/upload-sarif@v3
        with:
          sarif_file: secprop.sarif
          category: secprop
      - name: Generated tests are current
        run: secprop generate{spec_arg} --check
      - name: Review the change
        if: github.event_name == 'pull_request'
        env:
          GH_TOKEN: ${{{{ github.token }}}}
          PR: ${{{{ github.event.pull_request.number }}}}
          BASE: ${{{{ github.base_ref }}}}
        run: |
          status=0
          secprop review{spec_arg} --base "origin/$BASE" --output secprop-review.md || status=$?
          if [ "$status" -ge 2 ]; then exit "$status"; fi
          gh pr comment "$PR" --body-file secprop-review.md --edit-last \
            || gh pr comment "$PR" --body-file secprop-review.md
          exit "$status"
"#
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn kebab_ids() {
        assert_eq!(kebab("orgId"), "org-id");
        assert_eq!(kebab("project_id"), "project-id");
    }
}
