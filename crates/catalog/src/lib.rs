//! The property catalog: one entry per property kind of spec-v1 §7, written in
//! `specs/properties/<kind>.yaml` and embedded in the binary, rendered for
//! `secprop explain` and for the committed `specs/properties.md`.

use serde::{Deserialize, Serialize};
use std::fmt::Write as _;
use std::sync::OnceLock;

/// The catalog files, by kind, embedded so the binary works without the repository.
/// Adding a property kind adds one line here and one file in `specs/properties/`.
const SOURCES: &[(&str, &str)] = &[
    (
        "audit_event_emitted",
        include_str!("../../../specs/properties/audit_event_emitted.yaml"),
    ),
    (
        "authentication_required",
        include_str!("../../../specs/properties/authentication_required.yaml"),
    ),
    (
        "cross_tenant_denied",
        include_str!("../../../specs/properties/cross_tenant_denied.yaml"),
    ),
    (
        "forbidden_calls",
        include_str!("../../../specs/properties/forbidden_calls.yaml"),
    ),
    (
        "malformed_input_rejected",
        include_str!("../../../specs/properties/malformed_input_rejected.yaml"),
    ),
    (
        "no_side_effects_before_authz",
        include_str!("../../../specs/properties/no_side_effects_before_authz.yaml"),
    ),
    (
        "role_required",
        include_str!("../../../specs/properties/role_required.yaml"),
    ),
    (
        "sensitive_data_not_exposed",
        include_str!("../../../specs/properties/sensitive_data_not_exposed.yaml"),
    ),
];

/// The built-in findings' catalog files (spec-v1 §8), by id without the `secprop/`
/// prefix.
const BUILTIN_SOURCES: &[(&str, &str)] = &[
    (
        "no-negative-test",
        include_str!("../../../specs/builtins/no-negative-test.yaml"),
    ),
    (
        "param-missing",
        include_str!("../../../specs/builtins/param-missing.yaml"),
    ),
    (
        "parse-error",
        include_str!("../../../specs/builtins/parse-error.yaml"),
    ),
    (
        "stale-tests",
        include_str!("../../../specs/builtins/stale-tests.yaml"),
    ),
    (
        "stale-waiver",
        include_str!("../../../specs/builtins/stale-waiver.yaml"),
    ),
    (
        "unchecked-guard",
        include_str!("../../../specs/builtins/unchecked-guard.yaml"),
    ),
    (
        "uncovered-route",
        include_str!("../../../specs/builtins/uncovered-route.yaml"),
    ),
    (
        "unmatched-pattern",
        include_str!("../../../specs/builtins/unmatched-pattern.yaml"),
    ),
    (
        "untested-route",
        include_str!("../../../specs/builtins/untested-route.yaml"),
    ),
    (
        "unresolved",
        include_str!("../../../specs/builtins/unresolved.yaml"),
    ),
    (
        "unused-ignore",
        include_str!("../../../specs/builtins/unused-ignore.yaml"),
    ),
    (
        "waiver-expired",
        include_str!("../../../specs/builtins/waiver-expired.yaml"),
    ),
    (
        "waiver-expiring",
        include_str!("../../../specs/builtins/waiver-expiring.yaml"),
    ),
];

/// Width of the wrapped prose in [`render_entry`], indentation included.
const WIDTH: usize = 88;

/// One property kind: what must hold, why, and how secprop checks and tests it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Entry {
    /// The kind as written in a spec (`cross_tenant_denied`); equals the file's stem.
    pub kind: String,
    /// A one-line summary.
    pub title: String,
    /// What must hold for the property to pass.
    pub holds: String,
    /// Why it matters, with a concrete failure.
    pub why: String,
    /// How `secprop check` verifies it statically.
    pub static_check: String,
    /// What the tests written by `secprop generate` do.
    pub generated_test: String,
    /// The property's fields, common ones first.
    pub parameters: Vec<Parameter>,
    /// A spec snippet (YAML) using the kind.
    pub example: String,
}

/// One field of a property of this kind.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Parameter {
    /// The field's key in `secprop.yaml`.
    pub name: String,
    /// Whether a property of this kind must set it.
    pub required: bool,
    /// What applies when the field is absent, as a user reads it (`[401]`, `all targets`).
    #[serde(default)]
    pub default: Option<String>,
    /// What the field means.
    pub description: String,
}

/// A built-in finding (`secprop/unchecked-guard`): what it reports, why, and the fix.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Builtin {
    /// The finding's id, `secprop/` included; its property and kind in findings.
    pub id: String,
    /// A one-line summary.
    pub title: String,
    /// The default severity (`builtin_severity` in a spec may change it).
    pub severity: String,
    /// Where the finding points (spec-v1 §8 primary location).
    pub location: String,
    /// What the finding reports.
    pub reports: String,
    /// Why it matters.
    pub why: String,
    /// How to resolve it.
    pub fix: String,
}

/// Why an embedded catalog file is unusable; the catalog's own tests rule it out.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum CatalogError {
    /// Occurs when a file is not valid YAML or does not have the entry's fields.
    #[error("{file} does not parse: {message}")]
    Parse { file: String, message: String },
    /// Occurs when the `kind` (or built-in `id`) inside a file differs from its name.
    #[error("{file} describes `{name}`; the file must be named after it")]
    NameMismatch { file: String, name: String },
}

/// Parses every embedded file, sorted by kind; the first broken file is an error.
pub fn try_entries() -> Result<Vec<Entry>, CatalogError> {
    let mut out = Vec::with_capacity(SOURCES.len());
    for (file, text) in SOURCES {
        let mut entry: Entry = serde_saphyr::from_str(text).map_err(|e| CatalogError::Parse {
            file: format!("specs/properties/{file}.yaml"),
            message: e.to_string(),
        })?;
        if entry.kind != *file {
            return Err(CatalogError::NameMismatch {
                file: format!("specs/properties/{file}.yaml"),
                name: entry.kind,
            });
        }
        // Folded scalars keep a final newline unless written `>-`; normalise both ways.
        for text in [
            &mut entry.title,
            &mut entry.holds,
            &mut entry.why,
            &mut entry.static_check,
            &mut entry.generated_test,
        ] {
            *text = text.trim().to_string();
        }
        entry.example = format!("{}\n", entry.example.trim_end());
        out.push(entry);
    }
    out.sort_by(|a, b| a.kind.cmp(&b.kind));
    Ok(out)
}

/// Every entry, sorted by kind. The embedded files are checked by this crate's tests,
/// so a broken one is a build defect, reported by a panic naming the file.
pub fn entries() -> Vec<Entry> {
    static ENTRIES: OnceLock<Vec<Entry>> = OnceLock::new();
    ENTRIES
        .get_or_init(|| {
            try_entries().unwrap_or_else(|e| panic!("the property catalog is broken: {e}"))
        })
        .clone()
}

/// The entry of one kind (`cross_tenant_denied`), if the kind exists.
pub fn get(kind: &str) -> Option<Entry> {
    entries().into_iter().find(|e| e.kind == kind)
}

/// Parses every embedded built-in finding, sorted by id; the first broken file is an
/// error.
pub fn try_builtins() -> Result<Vec<Builtin>, CatalogError> {
    let mut out = Vec::with_capacity(BUILTIN_SOURCES.len());
    for (file, text) in BUILTIN_SOURCES {
        let path = format!("specs/builtins/{file}.yaml");
        let mut b: Builtin = serde_saphyr::from_str(text).map_err(|e| CatalogError::Parse {
            file: path.clone(),
            message: e.to_string(),
        })?;
        if b.id.strip_prefix("secprop/") != Some(*file) {
            return Err(CatalogError::NameMismatch {
                file: path,
                name: b.id,
            });
        }
        for text in [
            &mut b.title,
            &mut b.severity,
            &mut b.location,
            &mut b.reports,
            &mut b.why,
            &mut b.fix,
        ] {
            *text = text.trim().to_string();
        }
        out.push(b);
    }
    out.sort_by(|a, b| a.id.cmp(&b.id));
    Ok(out)
}

/// Every built-in finding, sorted by id (see [`entries`] on broken files).
pub fn builtins() -> Vec<Builtin> {
    static BUILTINS: OnceLock<Vec<Builtin>> = OnceLock::new();
    BUILTINS
        .get_or_init(|| {
            try_builtins().unwrap_or_else(|e| panic!("the property catalog is broken: {e}"))
        })
        .clone()
}

/// The built-in finding with this id (`secprop/unchecked-guard`; the prefix may be
/// left out).
pub fn get_builtin(id: &str) -> Option<Builtin> {
    let full = if id.starts_with("secprop/") {
        id.to_string()
    } else {
        format!("secprop/{id}")
    };
    builtins().into_iter().find(|b| b.id == full)
}

/// One line per built-in finding: the id and its title, aligned.
pub fn render_builtin_list() -> String {
    let all = builtins();
    let width = all.iter().map(|b| b.id.len()).max().unwrap_or(0);
    let mut out = String::new();
    for b in &all {
        let _ = writeln!(out, "{:width$}  {}", b.id, b.title);
    }
    out
}

/// The human text of a built-in finding, in the layout of [`render_entry`].
pub fn render_builtin(b: &Builtin) -> String {
    let mut out = String::new();
    let _ = writeln!(out, "{}: {}", b.id, b.title);
    let _ = writeln!(
        out,
        "\n    Default severity: {}\n    Points at: {}",
        b.severity, b.location
    );
    for (heading, body) in [
        ("What it reports", &b.reports),
        ("Why it matters", &b.why),
        ("How to fix it", &b.fix),
    ] {
        let _ = writeln!(out, "\n{heading}");
        wrap_into(&mut out, body, "    ", "    ");
    }
    out
}

/// A built-in finding in Markdown, without a heading (for docs and SARIF help).
pub fn render_builtin_markdown(b: &Builtin) -> String {
    format!(
        "{title}\n\n\
         Severity `{severity}` by default; points at {location}.\n\n\
         **What it reports.** {reports}\n\n\
         **Why it matters.** {why}\n\n\
         **How to fix it.** {fix}\n",
        title = b.title,
        severity = b.severity,
        location = b.location,
        reports = one_paragraph(&b.reports),
        why = one_paragraph(&b.why),
        fix = one_paragraph(&b.fix),
    )
}

/// One line per kind: the kind and its title, aligned.
pub fn render_list() -> String {
    render_list_with(|_| String::new())
}

/// [`render_list`] with a note after each title (what this version does for the kind),
/// aligned in a third column.
pub fn render_list_with(note: impl Fn(&str) -> String) -> String {
    let entries = entries();
    let width = entries.iter().map(|e| e.kind.len()).max().unwrap_or(0);
    let title_width = entries
        .iter()
        .map(|e| e.title.chars().count())
        .max()
        .unwrap_or(0);
    let mut out = String::new();
    for e in &entries {
        let n = note(&e.kind);
        if n.is_empty() {
            let _ = writeln!(out, "{:width$}  {}", e.kind, e.title);
        } else {
            let _ = writeln!(out, "{:width$}  {:title_width$}  {n}", e.kind, e.title);
        }
    }
    out
}

/// The human text of `secprop explain KIND`: every section, prose wrapped to 88 columns.
pub fn render_entry(entry: &Entry) -> String {
    let mut out = String::new();
    let _ = writeln!(out, "{}: {}", entry.kind, entry.title);
    for (heading, body) in [
        ("What must hold", &entry.holds),
        ("Why it matters", &entry.why),
        ("How it is checked", &entry.static_check),
        ("How it is tested", &entry.generated_test),
    ] {
        let _ = writeln!(out, "\n{heading}");
        wrap_into(&mut out, body, "    ", "    ");
    }
    out.push_str("\nParameters\n");
    let width = entry
        .parameters
        .iter()
        .map(|p| p.name.len())
        .max()
        .unwrap_or(0);
    for p in &entry.parameters {
        let _ = writeln!(out, "    {:width$}  {}", p.name, requirement(p));
        wrap_into(&mut out, &p.description, "        ", "        ");
    }
    out.push_str("\nExample\n");
    for line in entry.example.lines() {
        if line.is_empty() {
            out.push('\n');
        } else {
            let _ = writeln!(out, "    {line}");
        }
    }
    out
}

/// `required`, or `optional (default: ...)`.
fn requirement(p: &Parameter) -> String {
    match (&p.default, p.required) {
        (_, true) => "required".to_string(),
        (Some(d), false) => format!("optional, default: {d}"),
        (None, false) => "optional".to_string(),
    }
}

/// Appends `text` wrapped at [`WIDTH`] columns (counted in chars), every line indented.
/// Words longer than a line stay whole.
fn wrap_into(out: &mut String, text: &str, first: &str, rest: &str) {
    let mut line = String::from(first);
    let mut empty = true;
    for word in text.split_whitespace() {
        let needed = line.chars().count() + usize::from(!empty) + word.chars().count();
        if !empty && needed > WIDTH {
            out.push_str(&line);
            out.push('\n');
            line = String::from(rest);
            empty = true;
        }
        if !empty {
            line.push(' ');
        }
        line.push_str(word);
        empty = false;
    }
    if !empty {
        out.push_str(&line);
        out.push('\n');
    }
}

/// The Markdown reference of every kind, committed as `specs/properties.md`; a test
/// fails when the committed file differs.
pub fn render_markdown() -> String {
    let entries = entries();
    let mut out = String::new();
    out.push_str(
        "<!-- Code generated by secprop-catalog from specs/properties and specs/builtins. DO NOT EDIT. -->\n\
         <!-- Regenerate: SECPROP_BLESS=1 cargo test -p secprop-catalog -->\n\n\
         # Property kinds\n\n\
         Each property of `secprop.yaml` has a `kind`. This page describes every kind: what\n\
         must hold, why it matters, how `secprop check` verifies it statically and what the\n\
         tests written by `secprop generate` do. `secprop explain KIND` prints the same text.\n\
         Besides the fields in its table, every property has an `id` and a `kind`. The\n\
         built-in findings, which belong to no property, are described at the end.\n\n\
         | kind | title |\n|---|---|\n",
    );
    for e in &entries {
        let _ = writeln!(
            out,
            "| [`{kind}`](#{kind}) | {} |",
            cell(&e.title),
            kind = e.kind,
        );
    }
    for e in &entries {
        let _ = write!(out, "\n## {}\n\n{}", e.kind, render_entry_markdown(e));
    }
    out.push_str(
        "\n## Built-in findings\n\n\
         Findings that belong to no property carry a reserved id as their `property` and\n\
         `kind`. A spec may change their severity with `builtin_severity`; waivers and\n\
         `secprop-ignore` comments name them like property ids.\n",
    );
    for b in builtins() {
        let _ = write!(out, "\n### {}\n\n{}", b.id, render_builtin_markdown(&b));
    }
    out
}

/// One entry in Markdown, without a heading: the title, the four sections, the
/// parameter table and the example. `specs/properties.md` puts it under `## KIND`; a
/// SARIF rule can carry it as its `help.markdown`.
pub fn render_entry_markdown(e: &Entry) -> String {
    let mut out = format!(
        "{title}\n\n\
         **What must hold.** {holds}\n\n\
         **Why it matters.** {why}\n\n\
         **How it is checked.** {check}\n\n\
         **How it is tested.** {test}\n\n\
         | parameter | required | default | description |\n|---|---|---|---|\n",
        title = e.title,
        holds = one_paragraph(&e.holds),
        why = one_paragraph(&e.why),
        check = one_paragraph(&e.static_check),
        test = one_paragraph(&e.generated_test),
    );
    for p in &e.parameters {
        let _ = writeln!(
            out,
            "| `{}` | {} | {} | {} |",
            p.name,
            if p.required { "yes" } else { "no" },
            p.default.as_deref().map(cell).unwrap_or_else(|| "–".into()),
            cell(&p.description)
        );
    }
    let _ = write!(out, "\nExample:\n\n```yaml\n{}```\n", e.example);
    out
}

/// Prose on one line: folded YAML may keep line breaks, Markdown does not need them.
fn one_paragraph(text: &str) -> String {
    text.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// A table cell: one line, with `|` escaped.
fn cell(text: &str) -> String {
    one_paragraph(text).replace('|', "\\|")
}

#[cfg(test)]
mod tests {
    use super::*;
    use secprop_spec::PropertyKind;
    use std::collections::BTreeSet;
    use std::path::PathBuf;

    #[test]
    fn every_file_parses_and_is_named_after_its_kind() {
        let entries = try_entries().unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(entries.len(), SOURCES.len());
        let sorted: Vec<&str> = entries.iter().map(|e| e.kind.as_str()).collect();
        let mut expected = sorted.clone();
        expected.sort_unstable();
        assert_eq!(sorted, expected, "entries() is sorted by kind");
    }

    #[test]
    fn catalog_and_property_kinds_agree() {
        let catalog: BTreeSet<String> = entries().into_iter().map(|e| e.kind).collect();
        let kinds: BTreeSet<String> = PropertyKind::ALL
            .iter()
            .map(|k| k.as_str().to_string())
            .collect();
        assert_eq!(catalog, kinds);
        for k in PropertyKind::ALL {
            assert!(get(k.as_str()).is_some(), "no entry for {}", k.as_str());
        }
        assert!(get("no_such_kind").is_none());
    }

    /// Every file in `specs/properties/` is embedded: a new file cannot be forgotten.
    #[test]
    fn every_file_on_disk_is_embedded() {
        let dir = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../specs/properties");
        let on_disk: BTreeSet<String> = std::fs::read_dir(&dir)
            .expect("specs/properties exists")
            .map(|e| e.expect("readable entry").path())
            .filter(|p| p.extension().is_some_and(|x| x == "yaml"))
            .map(|p| p.file_stem().unwrap().to_string_lossy().into_owned())
            .collect();
        let embedded: BTreeSet<String> = SOURCES.iter().map(|(k, _)| k.to_string()).collect();
        assert_eq!(on_disk, embedded);
    }

    /// The text fields are filled, and written as prose without a trailing space.
    #[test]
    fn entries_are_complete() {
        for e in entries() {
            for (field, text) in [
                ("title", &e.title),
                ("holds", &e.holds),
                ("why", &e.why),
                ("static_check", &e.static_check),
                ("generated_test", &e.generated_test),
            ] {
                assert!(text.len() > 10, "{}: `{field}` is too short", e.kind);
            }
            assert!(!e.title.ends_with('.'), "{}: a title has no period", e.kind);
            for p in &e.parameters {
                assert!(
                    !p.description.is_empty(),
                    "{}.{}: no description",
                    e.kind,
                    p.name
                );
                assert!(
                    !(p.required && p.default.is_some()),
                    "{}.{}: a required parameter has no default",
                    e.kind,
                    p.name
                );
            }
        }
    }

    /// The fields every kind takes are listed the same way in every entry.
    #[test]
    fn common_parameters_are_uniform() {
        let common = ["routes", "except", "targets", "severity"];
        let first = get("authentication_required").unwrap();
        let reference: Vec<&Parameter> = first
            .parameters
            .iter()
            .filter(|p| common.contains(&p.name.as_str()))
            .collect();
        assert_eq!(reference.len(), common.len());
        for e in entries() {
            let names: Vec<&str> = e.parameters.iter().map(|p| p.name.as_str()).collect();
            assert_eq!(
                &names[..4],
                &common,
                "{}: common parameters come first",
                e.kind
            );
            let unique: BTreeSet<&str> = names.iter().copied().collect();
            assert_eq!(
                unique.len(),
                names.len(),
                "{}: a parameter is listed twice",
                e.kind
            );
            for r in &reference {
                let p = e.parameters.iter().find(|p| p.name == r.name).unwrap();
                assert_eq!(p.required, r.required, "{}.{}", e.kind, p.name);
                assert_eq!(p.default, r.default, "{}.{}", e.kind, p.name);
            }
        }
    }

    /// The parameters are fields of a property in the spec's data model, and exactly the
    /// fields spec-v1 §7 lists for the kind are described as required.
    #[test]
    fn parameters_are_property_fields() {
        let schema = serde_json::to_value(schemars::schema_for!(secprop_spec::Property))
            .expect("the schema serialises");
        let fields = schema["properties"]
            .as_object()
            .expect("Property is an object");
        let required = |kind: &str| -> BTreeSet<&'static str> {
            match kind {
                "cross_tenant_denied" => ["routes", "tenant_param"].into(),
                "role_required" => ["routes", "guards", "roles"].into(),
                "audit_event_emitted" => ["routes", "events"].into(),
                "forbidden_calls" => ["routes", "calls"].into(),
                _ => ["routes"].into(),
            }
        };
        for e in entries() {
            for p in &e.parameters {
                assert!(
                    fields.contains_key(&p.name),
                    "{}: `{}` is not a property field",
                    e.kind,
                    p.name
                );
            }
            let listed: BTreeSet<&str> = e
                .parameters
                .iter()
                .filter(|p| p.required)
                .map(|p| p.name.as_str())
                .collect();
            assert_eq!(listed, required(&e.kind), "{}", e.kind);
        }
    }

    /// Each example is a spec fragment that the spec loader accepts (schema and semantic
    /// rules), with a property of the entry's kind that sets every required field.
    #[test]
    fn examples_are_valid_spec_fragments() {
        let dir = tempfile::tempdir().expect("a temporary folder");
        for e in entries() {
            let text = format!(
                "version: 1\ntargets:\n  - name: api\n    framework: express\n{}",
                e.example
            );
            let path = dir.path().join(format!("{}.yaml", e.kind));
            std::fs::write(&path, &text).expect("temporary spec written");
            let loaded = secprop_spec::load_bytes(&path, text.as_bytes())
                .unwrap_or_else(|err| panic!("{}: example does not load: {err:?}", e.kind));
            let props = &loaded.spec.properties;
            assert!(
                props.iter().any(|p| p.kind.as_str() == e.kind),
                "{}: the example has no property of its kind",
                e.kind
            );
            for p in props {
                let fields = serde_json::to_value(p).expect("a property serialises");
                for param in e.parameters.iter().filter(|p| p.required) {
                    assert!(
                        !fields[&param.name].is_null(),
                        "{}: example lacks required `{}`",
                        e.kind,
                        param.name
                    );
                }
            }
        }
    }

    #[test]
    fn list_has_one_line_per_kind() {
        let list = render_list();
        assert_eq!(list.lines().count(), PropertyKind::ALL.len());
        for e in entries() {
            assert!(
                list.lines()
                    .any(|l| l.starts_with(&e.kind) && l.ends_with(&e.title)),
                "{list}"
            );
        }
    }

    #[test]
    fn rendered_entry() {
        let entry = get("no_side_effects_before_authz").unwrap();
        let text = render_entry(&entry);
        for line in text.lines() {
            assert!(
                line.chars().count() <= WIDTH || !line.trim().contains(' '),
                "line too long: {line:?}"
            );
            assert_eq!(line.trim_end(), line, "trailing space: {line:?}");
        }
        insta::assert_snapshot!(text);
    }

    #[test]
    fn wrapping_keeps_long_words_whole() {
        let mut out = String::new();
        wrap_into(&mut out, &"x".repeat(100), "  ", "  ");
        assert_eq!(out, format!("  {}\n", "x".repeat(100)));
        out.clear();
        wrap_into(&mut out, "", "  ", "  ");
        assert_eq!(out, "");
    }

    #[test]
    fn builtins_are_the_reserved_ids() {
        let ids: Vec<String> = try_builtins()
            .unwrap_or_else(|e| panic!("{e}"))
            .into_iter()
            .map(|b| b.id)
            .collect();
        let mut expected: Vec<String> = secprop_spec::BUILTIN_FINDINGS
            .iter()
            .map(|s| s.to_string())
            .collect();
        expected.sort();
        assert_eq!(ids, expected);
    }

    /// Default severities of spec-v1 §8's table.
    #[test]
    fn builtin_severities_follow_the_spec() {
        for b in builtins() {
            let expected = match b.id.as_str() {
                "secprop/uncovered-route" | "secprop/unchecked-guard" => "high",
                "secprop/unresolved"
                | "secprop/param-missing"
                | "secprop/stale-tests"
                | "secprop/untested-route"
                | "secprop/no-negative-test" => "medium",
                "secprop/unmatched-pattern" => "low",
                _ => "info",
            };
            assert_eq!(b.severity, expected, "{}", b.id);
            assert!(!b.title.ends_with('.'), "{}: a title has no period", b.id);
            for text in [&b.location, &b.reports, &b.why, &b.fix] {
                assert!(text.len() > 5, "{}: empty field", b.id);
            }
        }
    }

    #[test]
    fn builtin_files_on_disk_are_embedded() {
        let dir = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../specs/builtins");
        let on_disk: BTreeSet<String> = std::fs::read_dir(&dir)
            .expect("specs/builtins exists")
            .map(|e| e.expect("readable entry").path())
            .filter(|p| p.extension().is_some_and(|x| x == "yaml"))
            .map(|p| p.file_stem().unwrap().to_string_lossy().into_owned())
            .collect();
        let embedded: BTreeSet<String> =
            BUILTIN_SOURCES.iter().map(|(k, _)| k.to_string()).collect();
        assert_eq!(on_disk, embedded);
    }

    #[test]
    fn builtin_lookup_and_rendering() {
        let b = get_builtin("secprop/unchecked-guard").expect("entry");
        assert_eq!(get_builtin("unchecked-guard"), Some(b.clone()));
        assert!(get_builtin("secprop/nope").is_none());
        assert_eq!(
            render_builtin_list().lines().count(),
            secprop_spec::BUILTIN_FINDINGS.len()
        );
        insta::assert_snapshot!(render_builtin(&b));
    }

    /// `specs/properties.md` is generated from the catalog; a stale copy fails this test.
    #[test]
    fn docs_are_up_to_date() {
        let path = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../specs/properties.md");
        let committed = std::fs::read_to_string(&path)
            .unwrap_or_default()
            .replace("\r\n", "\n");
        assert!(
            committed == render_markdown(),
            "specs/properties.md is stale: run `cargo xtask codegen` and commit it"
        );
    }
}
