//! Semantic rules of `secprop.yaml` that a JSON Schema does not express (spec-v1 §1,
//! §3–§8): unique ids and names, kind-specific fields, selectors and patterns that parse,
//! a `tenant_param` its selectors bind, known channels and targets, real dates, and paths
//! that stay inside the repository.
//!
//! The rules read the spec's JSON form, not the typed [`crate::Spec`], so that they run
//! even when the schema pass found problems; a value of the wrong shape is skipped here
//! (the schema pass reports it).

use crate::schema::{date_problem, did_you_mean, noun};
use crate::types::{Date, Framework, PropertyKind, Runner};
use crate::yaml::{Positions, Problem, Span};
use crate::{Pattern, RequestField, Selector, quote};
use serde_json::Value;
use std::collections::BTreeMap;
use std::path::{Component, Path, PathBuf};

/// The ids of built-in findings (spec-v1 §8), which `builtin_severity` may adjust and
/// which property ids may not take.
pub const BUILTIN_FINDINGS: [&str; 13] = [
    "secprop/uncovered-route",
    "secprop/unchecked-guard",
    "secprop/unresolved",
    "secprop/param-missing",
    "secprop/stale-tests",
    "secprop/untested-route",
    "secprop/no-negative-test",
    "secprop/unmatched-pattern",
    "secprop/parse-error",
    "secprop/waiver-expired",
    "secprop/stale-waiver",
    "secprop/waiver-expiring",
    "secprop/unused-ignore",
];

/// Fields every property kind takes (spec-v1 §7).
const COMMON_FIELDS: [&str; 7] = [
    "id", "kind", "routes", "except", "targets", "severity", "guards",
];

/// The fields a kind requires and those it also accepts (spec-v1 §7 table).
fn kind_fields(kind: PropertyKind) -> (&'static [&'static str], &'static [&'static str]) {
    match kind {
        PropertyKind::AuthenticationRequired => (&[], &["deny_status"]),
        PropertyKind::CrossTenantDenied => (
            &["tenant_param"],
            &["object_params", "deny_status", "owner"],
        ),
        PropertyKind::NoSideEffectsBeforeAuthz => (&[], &["include_logs"]),
        PropertyKind::RoleRequired => (&["guards", "roles"], &["deny_status"]),
        PropertyKind::SensitiveDataNotExposed => (&[], &["channels"]),
        PropertyKind::MalformedInputRejected => (&[], &[]),
        PropertyKind::AuditEventEmitted => (&["events"], &[]),
        PropertyKind::ForbiddenCalls => (&["calls"], &["reason", "allowed_in"]),
    }
}

fn kind_from_str(s: &str) -> Option<PropertyKind> {
    PropertyKind::ALL.into_iter().find(|k| k.as_str() == s)
}

/// Where the spec sits, for the path rules.
pub(crate) struct Paths<'a> {
    /// The spec's folder: paths in the spec are relative to it.
    pub dir: &'a Path,
    /// The repository root (or the spec's folder without a repository).
    pub repo_root: &'a Path,
    /// What the caller can handle.
    pub supported: &'a Supported<'a>,
}

/// The frameworks and runners the caller can handle (`None`: any the schema names), so a
/// spec naming one that this version lacks fails at load with a hint.
#[derive(Debug, Clone, Copy, Default)]
pub struct Supported<'a> {
    /// Framework names as written in the spec (`express`).
    pub frameworks: Option<&'a [&'a str]>,
    /// Runner names as written in the spec (`vitest`).
    pub runners: Option<&'a [&'a str]>,
}

/// Runs every semantic rule; problems in no particular order.
pub(crate) fn check(spec: &Value, positions: &Positions, paths: &Paths<'_>) -> Vec<Problem> {
    let mut cx = Cx {
        spec,
        positions,
        out: Vec::new(),
    };
    cx.targets(paths);
    cx.context();
    cx.properties();
    cx.public();
    cx.waivers();
    cx.builtin_severity();
    cx.out
}

struct Cx<'a> {
    spec: &'a Value,
    positions: &'a Positions,
    out: Vec<Problem>,
}

/// The items of the array at `ptr` with their pointers (none when it is not an array).
fn items<'v>(spec: &'v Value, ptr: &str) -> Vec<(String, &'v Value)> {
    match spec.pointer(ptr) {
        Some(Value::Array(a)) => a
            .iter()
            .enumerate()
            .map(|(i, v)| (format!("{ptr}/{i}"), v))
            .collect(),
        _ => Vec::new(),
    }
}

/// The string items of the array at `ptr` with their pointers.
fn strings<'v>(spec: &'v Value, ptr: &str) -> Vec<(String, &'v str)> {
    items(spec, ptr)
        .into_iter()
        .filter_map(|(p, v)| v.as_str().map(|s| (p, s)))
        .collect()
}

impl Cx<'_> {
    fn span(&self, ptr: &str) -> Span {
        self.positions.value(ptr)
    }

    fn push(&mut self, p: Problem) {
        self.out.push(p);
    }

    /// Reports the second and later items with the same `key` value.
    fn unique(&mut self, list: &str, key: &str, code: &'static str, what: &str) {
        let mut seen: BTreeMap<String, String> = BTreeMap::new();
        for (ptr, item) in items(self.spec, list) {
            let Some(name) = item.get(key).and_then(Value::as_str) else {
                continue;
            };
            let vp = format!("{ptr}/{key}");
            match seen.get(name) {
                Some(first) => {
                    let first_span = self.span(first);
                    let p = Problem::new(
                        code,
                        self.span(&vp),
                        format!("duplicate {what} `{}`", quote(name)),
                    )
                    .label("used again here")
                    .related(first_span, "first used here")
                    .hint(format!(
                        "each {what} must be unique: rename or remove one of them"
                    ));
                    self.push(p);
                }
                None => {
                    seen.insert(name.to_string(), vp);
                }
            }
        }
    }

    fn selectors(&mut self, list: &str) {
        for (ptr, text) in strings(self.spec, list) {
            self.selector(&ptr, text);
        }
    }

    fn selector(&mut self, ptr: &str, text: &str) -> Option<Selector> {
        match Selector::parse(text) {
            Ok(s) => Some(s),
            Err(why) => {
                let p = Problem::new(
                    "invalid-selector",
                    self.span(ptr),
                    format!("invalid route selector `{}`: {why}", quote(text)),
                )
                .label("invalid selector")
                .hint("a selector is `[METHOD ]PATH` with METHOD an HTTP method or `*`, and PATH starting with `/` (or `*`, `**`): `GET /projects/{projectId}`, `* /admin/**`");
                self.push(p);
                None
            }
        }
    }

    fn patterns(&mut self, list: &str) {
        for (ptr, text) in strings(self.spec, list) {
            self.pattern(&ptr, text);
        }
    }

    fn pattern(&mut self, ptr: &str, text: &str) {
        if let Err(why) = Pattern::parse(text) {
            let p = Problem::new(
                "invalid-pattern",
                self.span(ptr),
                format!("invalid call pattern `{}`: {why}", quote(text)),
            )
            .label("invalid pattern")
            .hint("a pattern is a call path separated by `.` or `::`, such as `db.query`, `reports.*`, `^audit.record` or `tracing::info`");
            self.push(p);
        }
    }

    /// Guard entries: a pattern, or a mapping whose `call` is one.
    fn guards(&mut self, list: &str) {
        for (ptr, item) in items(self.spec, list) {
            match item {
                Value::String(s) => self.pattern(&ptr, s),
                Value::Object(o) => {
                    if let Some(s) = o.get("call").and_then(Value::as_str) {
                        self.pattern(&format!("{ptr}/call"), s);
                    }
                    if let Some(s) = o.get("value").and_then(Value::as_str) {
                        self.value_path(&format!("{ptr}/value"), s);
                    }
                }
                _ => {}
            }
        }
    }

    /// An inline guard's `value`: a dotted path of identifiers (spec-v1 §6 extension).
    fn value_path(&mut self, ptr: &str, text: &str) {
        let ident = |s: &str| {
            let mut cs = s.chars();
            cs.next()
                .is_some_and(|c| c.is_alphabetic() || c == '_' || c == '$')
                && cs.all(|c| c.is_alphanumeric() || c == '_' || c == '$')
        };
        if !text.split('.').all(ident) {
            let p = Problem::new(
                "invalid-value-path",
                self.span(ptr),
                format!("invalid value path `{}`: expected identifiers separated by `.`", quote(text)),
            )
            .label("invalid value path")
            .hint("a value guard names a value read from the request or the caller identity, such as `req.session.userId` or `req.user.role`");
            self.push(p);
        }
    }

    fn targets(&mut self, paths: &Paths<'_>) {
        self.unique("/targets", "name", "duplicate-target", "target name");
        let root = canonical(paths.repo_root);
        for (ptr, target) in items(self.spec, "/targets") {
            let fields = [
                ("root", format!("{ptr}/root")),
                ("tests.out", format!("{ptr}/tests/out")),
                ("tests.harness", format!("{ptr}/tests/harness")),
                ("tests.templates", format!("{ptr}/tests/templates")),
            ];
            for key in ["include", "exclude"] {
                for (gp, glob) in strings(target, &format!("/{key}")) {
                    if let Err(e) = globset::Glob::new(glob) {
                        let vp = format!("{ptr}{gp}");
                        let p = Problem::new(
                            "invalid-glob",
                            self.span(&vp),
                            format!("invalid glob `{}` in `{key}`: {}", quote(glob), e.kind()),
                        )
                        .label("invalid glob")
                        .hint("globs are relative to the target's `root`: `src/**`, `**/*.test.ts`; quote `[`, `{` and `*` in YAML");
                        self.push(p);
                    }
                }
            }
            let mut inside = true;
            for (name, fp) in fields {
                let Some(rel) = self.spec.pointer(&fp).and_then(Value::as_str) else {
                    continue;
                };
                let resolved = resolve(&paths.dir.join(rel));
                if !resolved.starts_with(&root) {
                    inside &= name != "root";
                    let p = Problem::new(
                        "path-outside-repo",
                        self.span(&fp),
                        format!("`{name}` `{}` lies outside the repository", quote(rel)),
                    )
                    .label("resolves outside the repository root")
                    .hint("paths in the spec are relative to the spec's folder and, with symlinks resolved, must stay inside the repository root (the folder holding `.git`)");
                    self.push(p);
                }
            }
            if inside {
                self.target_on_disk(&ptr, target, paths);
            }
            for (key, supported) in [
                ("/framework", paths.supported.frameworks),
                ("/tests/runner", paths.supported.runners),
            ] {
                self.supported(&format!("{ptr}{key}"), supported);
            }
        }
    }

    /// A target's `root` must be a folder and each `include` glob must match at least one
    /// file under it: a typo there would make the scan silently empty.
    fn target_on_disk(&mut self, ptr: &str, target: &Value, paths: &Paths<'_>) {
        let rel = target.get("root").and_then(Value::as_str).unwrap_or(".");
        let root = paths.dir.join(rel);
        if !root.is_dir() {
            let what = if root.exists() {
                "is not a folder"
            } else {
                "does not exist"
            };
            let p = Problem::new(
                "missing-root",
                self.span(&format!("{ptr}/root")),
                format!("target root `{}` {what}", quote(rel)),
            )
            .label("no such folder")
            .hint("`root` is relative to the spec's folder; name the folder that holds the app's sources");
            self.push(p);
            return;
        }
        for (gp, glob) in strings(target, "/include") {
            let Ok(matcher) = globset::Glob::new(glob).map(|g| g.compile_matcher()) else {
                continue; // reported as invalid-glob
            };
            if !any_file_matches(&root, &matcher) {
                let p = Problem::new(
                    "include-matches-nothing",
                    self.span(&format!("{ptr}{gp}")),
                    format!(
                        "`include` glob `{}` matches no file under the target's root",
                        quote(glob)
                    ),
                )
                .label("matches nothing on disk")
                .hint(format!(
                    "globs are relative to the target's root `{}`, which holds {}",
                    quote(rel),
                    top_entries(&root)
                ));
                self.push(p);
            }
        }
    }

    /// A `framework` or `runner` this version cannot handle is an error at load, not a
    /// surprise later in `routes` or `generate`.
    fn supported(&mut self, ptr: &str, supported: Option<&[&str]>) {
        let (Some(supported), Some(value)) =
            (supported, self.spec.pointer(ptr).and_then(Value::as_str))
        else {
            return;
        };
        // An unknown value is the schema's `unknown-value`; this is only for known ones.
        let known = Framework::ALL.iter().map(|f| f.as_str());
        let known: Vec<&str> = known
            .chain(Runner::ALL.iter().map(|r| r.as_str()))
            .collect();
        if supported.contains(&value) || !known.contains(&value) {
            return;
        }
        let field = ptr.rsplit('/').next().unwrap_or(ptr);
        let p = Problem::new(
            "unsupported",
            self.span(ptr),
            format!(
                "{field} `{}` is not supported by this version of secprop",
                quote(value)
            ),
        )
        .label(format!("no {field} support yet"))
        .hint(format!("this version supports: {}", supported.join(", ")));
        self.push(p);
    }

    fn context(&mut self) {
        self.guards("/context/authentication");
        self.guards("/context/authorization");
        self.patterns("/context/side_effects");
        self.patterns("/context/data_access");
        if let Some(Value::Object(sinks)) = self.spec.pointer("/context/sinks") {
            let keys: Vec<String> = sinks.keys().cloned().collect();
            for k in keys {
                let ptr = format!("/context/sinks/{}", crate::yaml::escape_segment(&k));
                self.patterns(&ptr);
            }
        }
        self.route_generators();
    }

    fn target_names(&self) -> Vec<String> {
        items(self.spec, "/targets")
            .into_iter()
            .filter_map(|(_, t)| t.get("name").and_then(Value::as_str).map(str::to_string))
            .collect()
    }

    fn channels(&self) -> Vec<String> {
        let mut c = vec!["response".to_string()];
        if let Some(Value::Object(sinks)) = self.spec.pointer("/context/sinks") {
            c.extend(sinks.keys().cloned());
        }
        c
    }

    fn properties(&mut self) {
        self.unique("/properties", "id", "duplicate-id", "property id");
        let targets = self.target_names();
        let channels = self.channels();
        for (ptr, prop) in items(self.spec, "/properties") {
            let Some(obj) = prop.as_object() else {
                continue;
            };
            self.selectors(&format!("{ptr}/routes"));
            self.selectors(&format!("{ptr}/except"));
            self.guards(&format!("{ptr}/guards"));
            self.patterns(&format!("{ptr}/events"));
            self.patterns(&format!("{ptr}/calls"));
            for (gp, glob) in strings(self.spec, &format!("{ptr}/allowed_in")) {
                if let Err(e) = globset::Glob::new(glob) {
                    let p = Problem::new(
                        "invalid-glob",
                        self.span(&gp),
                        format!("invalid glob `{}` in `allowed_in`: {}", quote(glob), e.kind()),
                    )
                    .label("invalid glob")
                    .hint("globs are relative to the target's root: `src/repositories/**`; quote `[`, `{` and `*` in YAML");
                    self.push(p);
                }
            }
            if matches!(obj.get("routes"), Some(Value::Array(a)) if a.is_empty()) {
                let rp = format!("{ptr}/routes");
                let p = Problem::new(
                    "empty-list",
                    self.span(&rp),
                    format!("`routes` of {} is empty", noun(self.spec, &ptr)),
                )
                .label("selects no route")
                .hint("a property that selects no route checks nothing: add selectors such as `[\"**\"]`, or remove the property");
                self.push(p);
            }
            for (tp, name) in strings(self.spec, &format!("{ptr}/targets")) {
                if !targets.iter().any(|t| t == name) {
                    let mut p = Problem::new(
                        "unknown-target",
                        self.span(&tp),
                        format!("unknown target `{}`", quote(name)),
                    )
                    .label("no target has this name");
                    p = match did_you_mean(name, &targets) {
                        Some(s) => p.hint(format!(
                            "did you mean `{s}`? targets: {}",
                            targets.join(", ")
                        )),
                        None => p.hint(format!(
                            "name one of the spec's targets: {}",
                            targets.join(", ")
                        )),
                    };
                    self.push(p);
                }
            }
            for (dp, status) in items(self.spec, &format!("{ptr}/deny_status")) {
                if let Some(n) = status.as_u64().filter(|n| *n <= u64::from(u16::MAX))
                    && !(100..=599).contains(&n)
                {
                    let p = Problem::new(
                        "invalid-value",
                        self.span(&dp),
                        format!("`deny_status` `{n}` is not an HTTP status code"),
                    )
                    .label("not a status code")
                    .hint("use HTTP status codes from 100 to 599, e.g. `deny_status: [403, 404]`");
                    self.push(p);
                }
            }
            let Some(kind) = obj
                .get("kind")
                .and_then(Value::as_str)
                .and_then(kind_from_str)
            else {
                continue;
            };
            self.kind_rules(&ptr, obj, kind);
            if kind == PropertyKind::SensitiveDataNotExposed {
                for (cp, ch) in strings(self.spec, &format!("{ptr}/channels")) {
                    if !channels.iter().any(|c| c == ch) {
                        let list = channels.join(", ");
                        let mut p = Problem::new(
                            "unknown-value",
                            self.span(&cp),
                            format!("unknown channel `{}`", quote(ch)),
                        )
                        .label("not a channel");
                        p = match did_you_mean(ch, &channels) {
                            Some(s) => p.hint(format!("did you mean `{s}`? valid values: {list} (`response` and the keys of `context.sinks`)")),
                            None => p.hint(format!("valid values: {list} (`response` and the keys of `context.sinks`)")),
                        };
                        self.push(p);
                    }
                }
            }
            if kind == PropertyKind::CrossTenantDenied {
                self.tenant_param(&ptr);
            }
        }
    }

    /// Kind-specific fields: required ones present and non-empty, others absent.
    fn kind_rules(&mut self, ptr: &str, obj: &serde_json::Map<String, Value>, kind: PropertyKind) {
        let (required, optional) = kind_fields(kind);
        let who = noun(self.spec, ptr);
        for field in required {
            let fp = format!("{ptr}/{field}");
            match obj.get(*field) {
                None | Some(Value::Null) => {
                    let p = Problem::new(
                        "missing-field",
                        self.span(ptr),
                        format!("{who} of kind `{}` is missing `{field}`", kind.as_str()),
                    )
                    .label(format!("`{field}` is required for {}", kind.as_str()))
                    .hint(required_for_kind_hint(field));
                    self.push(p);
                }
                Some(Value::Array(a)) if a.is_empty() => {
                    let p = Problem::new(
                        "empty-list",
                        self.span(&fp),
                        format!("`{field}` of {who} is empty"),
                    )
                    .label(format!("{} needs at least one", kind.as_str()))
                    .hint(required_for_kind_hint(field));
                    self.push(p);
                }
                _ => {}
            }
        }
        for key in obj.keys() {
            let k = key.as_str();
            if COMMON_FIELDS.contains(&k) || required.contains(&k) || optional.contains(&k) {
                continue;
            }
            let owners: Vec<&str> = PropertyKind::ALL
                .into_iter()
                .filter(|other| {
                    let (r, o) = kind_fields(*other);
                    r.contains(&k) || o.contains(&k)
                })
                .map(PropertyKind::as_str)
                .collect();
            if owners.is_empty() {
                // Not a property field at all: the schema pass reports the unknown key.
                continue;
            }
            let kp = format!("{ptr}/{}", crate::yaml::escape_segment(k));
            let p = Problem::new(
                "field-not-applicable",
                self.positions.key(&kp),
                format!("`{k}` does not apply to kind `{}`", kind.as_str()),
            )
            .label(format!("not a field of {}", kind.as_str()))
            .hint(format!(
                "remove it: `{k}` belongs to {}",
                owners
                    .iter()
                    .map(|o| format!("`{o}`"))
                    .collect::<Vec<_>>()
                    .join(", ")
            ));
            self.push(p);
        }
    }

    /// A `tenant_param` or `object_params` entry written as a request field must be a
    /// well-formed one (spec-v1 §7 "Ids outside the path"); whether it is one.
    fn request_field(&mut self, ptr: &str, name: &str) -> bool {
        match RequestField::parse(name) {
            Ok(field) => field.is_some(),
            Err(e) => {
                let p = Problem::new(
                    "invalid-request-field",
                    self.span(ptr),
                    format!("invalid parameter `{}`: {}", quote(name), e.message),
                )
                .label("not a path parameter or request field")
                .hint(e.hint);
                self.push(p);
                true
            }
        }
    }

    /// `tenant_param` must be bound by one of the property's `routes` (spec-v1 §7),
    /// unless it names a request field, which no selector binds.
    fn tenant_param(&mut self, ptr: &str) {
        for (op, name) in strings(self.spec, &format!("{ptr}/object_params")) {
            self.request_field(&op, name);
        }
        let tp = format!("{ptr}/tenant_param");
        let Some(param) = self.spec.pointer(&tp).and_then(Value::as_str) else {
            return;
        };
        if self.request_field(&tp, param) {
            return;
        }
        let mut bound: Vec<String> = Vec::new();
        let mut all_parsed = true;
        for (_, text) in strings(self.spec, &format!("{ptr}/routes")) {
            match Selector::parse(text) {
                Ok(s) => bound.extend(s.bound_params()),
                Err(_) => all_parsed = false,
            }
        }
        if bound.iter().any(|b| b == param) || !all_parsed {
            // A selector that does not parse is reported already; what it binds is unknown.
            return;
        }
        bound.sort();
        bound.dedup();
        let mut p = Problem::new(
            "unbound-tenant-param",
            self.span(&tp),
            format!(
                "no route selector of {} binds `{{{}}}`",
                noun(self.spec, ptr),
                quote(param)
            ),
        )
        .label("not bound by the property's `routes`");
        p = match did_you_mean(param, &bound) {
            Some(s) => p.hint(format!("did you mean `{s}`? the selectors bind: {}", bound.join(", "))),
            None if !bound.is_empty() => p.hint(format!(
                "name a parameter the selectors bind ({}), or add `{{{}}}` to a selector in `routes`",
                bound.join(", "),
                quote(param)
            )),
            None => p.hint(format!(
                "write the parameter into the property's `routes`, e.g. `* /projects/{{{}}}/**`",
                quote(param)
            )),
        };
        self.push(p);
    }

    fn public(&mut self) {
        for (ptr, _) in items(self.spec, "/public") {
            if let Some(s) = self
                .spec
                .pointer(&format!("{ptr}/route"))
                .and_then(Value::as_str)
            {
                self.selector(&format!("{ptr}/route"), s);
            }
        }
    }

    fn waivers(&mut self) {
        for (ptr, w) in items(self.spec, "/waivers") {
            let rp = format!("{ptr}/route");
            if let Some(s) = w.get("route").and_then(Value::as_str) {
                self.selector(&rp, s);
            }
            self.selectors(&format!("{ptr}/routes"));
            if w.get("route").is_some_and(|v| !v.is_null())
                && w.get("routes").is_some_and(|v| !v.is_null())
            {
                let p = Problem::new(
                    "conflicting-fields",
                    self.positions.key(&format!("{ptr}/routes")),
                    "a waiver takes `route` or `routes`, not both",
                )
                .label("second way to name routes")
                .hint("move the `route` selector into the `routes` list");
                self.push(p);
            }
            let ep = format!("{ptr}/expires");
            if let Some(s) = w.get("expires").and_then(Value::as_str) {
                // A string of the wrong shape is the schema's finding; a well-shaped one
                // must still be a real calendar day.
                let shaped = s.len() == 10
                    && s.bytes().enumerate().all(|(i, b)| {
                        if i == 4 || i == 7 {
                            b == b'-'
                        } else {
                            b.is_ascii_digit()
                        }
                    });
                if shaped && Date::parse(s).is_none() {
                    self.push(date_problem(self.span(&ep), s));
                }
            }
        }
    }

    fn builtin_severity(&mut self) {
        let Some(Value::Object(map)) = self.spec.pointer("/builtin_severity") else {
            return;
        };
        for key in map.keys() {
            if BUILTIN_FINDINGS.contains(&key.as_str()) {
                continue;
            }
            let kp = format!("/builtin_severity/{}", crate::yaml::escape_segment(key));
            let mut p = Problem::new(
                "unknown-value",
                self.positions.key(&kp),
                format!("unknown built-in finding `{}`", quote(key)),
            )
            .label("not a built-in finding");
            p = match did_you_mean(key, &BUILTIN_FINDINGS) {
                Some(s) => p.hint(format!("did you mean `{s}`?")),
                None => p.hint(format!(
                    "built-in findings: {}",
                    BUILTIN_FINDINGS.join(", ")
                )),
            };
            self.out.push(p);
        }
    }
}

fn required_for_kind_hint(field: &str) -> String {
    match field {
        "tenant_param" => {
            "name the route parameter that carries the tenant, e.g. `tenant_param: projectId` (or a request field: `query.projectId`, `body.projectId`, `header.x-tenant-id`)"
                .into()
        }
        "guards" => "list the guards that prove the role, e.g. `guards: [requireAdmin]`".into(),
        "roles" => "list the roles allowed, e.g. `roles: [admin]`".into(),
        "events" => {
            "list the audit calls that must happen, e.g. `events: [\"audit.record\"]`".into()
        }
        "calls" => "list the forbidden call patterns, e.g. `calls: [\"db.query\"]`".into(),
        other => format!("add `{other}`"),
    }
}

/// The canonical form of a folder, or the folder itself when it cannot be resolved.
fn canonical(p: &Path) -> PathBuf {
    p.canonicalize().unwrap_or_else(|_| normalize(p))
}

/// Resolves symlinks in the longest existing prefix of `path` and normalises the rest
/// lexically (the rest does not exist, so it holds no symlink).
pub(crate) fn resolve(path: &Path) -> PathBuf {
    let comps: Vec<Component<'_>> = path
        .components()
        .filter(|c| !matches!(c, Component::CurDir))
        .collect();
    for k in (1..=comps.len()).rev() {
        let prefix: PathBuf = comps[..k].iter().collect();
        if let Ok(mut out) = prefix.canonicalize() {
            for c in &comps[k..] {
                match c {
                    Component::ParentDir => {
                        out.pop();
                    }
                    other => out.push(other),
                }
            }
            return out;
        }
    }
    normalize(path)
}

/// How many entries the search for an `include` match looks at before giving the glob
/// the benefit of the doubt: loading a spec must stay fast in a huge repository.
const MAX_INCLUDE_PROBE: usize = 200_000;

/// Whether some file below `root` (relative path, `/` separators) matches `glob`.
/// Hidden folders and `node_modules` are not searched; they rarely hold the app.
fn any_file_matches(root: &Path, glob: &globset::GlobMatcher) -> bool {
    let mut stack = vec![root.to_path_buf()];
    let mut seen = 0usize;
    while let Some(dir) = stack.pop() {
        let Ok(entries) = std::fs::read_dir(&dir) else {
            continue;
        };
        for entry in entries.flatten() {
            seen += 1;
            if seen > MAX_INCLUDE_PROBE {
                return true;
            }
            let path = entry.path();
            let Ok(rel) = path.strip_prefix(root) else {
                continue;
            };
            let rel = display(rel);
            let Ok(kind) = entry.file_type() else {
                continue;
            };
            if kind.is_dir() {
                let name = entry.file_name();
                let name = name.to_string_lossy();
                if !name.starts_with('.') && name != "node_modules" {
                    stack.push(path);
                }
            } else if glob.is_match(&rel) {
                return true;
            }
        }
    }
    false
}

/// The first few names in a folder, for a hint: "`app/`, `package.json`".
fn top_entries(dir: &Path) -> String {
    let mut names: Vec<String> = std::fs::read_dir(dir)
        .map(|rd| {
            rd.flatten()
                .map(|e| {
                    let name = e.file_name().to_string_lossy().into_owned();
                    let slash = if e.path().is_dir() { "/" } else { "" };
                    format!("`{}{slash}`", quote(&name))
                })
                .collect()
        })
        .unwrap_or_default();
    names.sort();
    match names.len() {
        0 => "no files".into(),
        n if n > 6 => format!("{}, … ({n} entries)", names[..6].join(", ")),
        _ => names.join(", "),
    }
}

/// A path with `/` separators, for messages and glob matching.
fn display(p: &Path) -> String {
    p.to_string_lossy().replace('\\', "/")
}

/// Lexical normalisation: `.` dropped, `..` pops.
fn normalize(p: &Path) -> PathBuf {
    let mut out = PathBuf::new();
    for c in p.components() {
        match c {
            Component::CurDir => {}
            Component::ParentDir => {
                out.pop();
            }
            other => out.push(other),
        }
    }
    out
}

/// `context.route_generators` (extension, `specs/extensions.md`).
impl Cx<'_> {
    fn route_generators(&mut self) {
        for (ptr, g) in items(self.spec, "/context/route_generators") {
            let Value::Object(g) = g else { continue };
            if let Some(s) = g.get("call").and_then(Value::as_str) {
                self.pattern(&format!("{ptr}/call"), s);
            }
            let path_arg = g.get("path_arg");
            if let Some(Value::String(s)) = path_arg
                && crate::types::ArgRef::Member(s.clone()).parts().is_none()
            {
                let p = Problem::new(
                    "invalid-generator",
                    self.span(&format!("{ptr}/path_arg")),
                    format!("invalid `path_arg` `{}`: expected an argument index, or an index and property names separated by `.`", quote(s)),
                )
                .label("invalid argument reference")
                .hint("write `1` for the second argument, or `0.endpoints` for the `endpoints` property of the first");
                self.push(p);
            }
            let routes = items(self.spec, &format!("{ptr}/routes"));
            if routes.is_empty() && matches!(g.get("routes"), Some(Value::Array(_))) {
                let p = Problem::new(
                    "invalid-generator",
                    self.span(&format!("{ptr}/routes")),
                    "a route generator creates no routes".to_string(),
                )
                .label("empty list")
                .hint("list the routes the call creates: `- {method: GET, path: \"/:id\", handler: show}`");
                self.push(p);
            }
            for (rptr, r) in routes {
                let Value::Object(r) = r else { continue };
                if let Some(m) = r.get("method").and_then(Value::as_str)
                    && m != "*"
                    && !crate::selector::METHODS.contains(&m)
                {
                    let upper = m.to_ascii_uppercase();
                    let hint = if crate::selector::METHODS.contains(&upper.as_str()) {
                        format!("methods are upper-case: write `{upper}`")
                    } else {
                        format!(
                            "methods are `*` or one of {}",
                            crate::selector::METHODS.join(", ")
                        )
                    };
                    let p = Problem::new(
                        "invalid-generator",
                        self.span(&format!("{rptr}/method")),
                        format!("unknown method `{}`", quote(m)),
                    )
                    .label("unknown method")
                    .hint(hint);
                    self.push(p);
                }
                if let Some(path) = r.get("path").and_then(Value::as_str)
                    && !path.is_empty()
                    && !path.starts_with('/')
                {
                    let p = Problem::new(
                        "invalid-generator",
                        self.span(&format!("{rptr}/path")),
                        format!("route path `{}` does not start with `/`", quote(path)),
                    )
                    .label("relative path")
                    .hint(format!("paths are appended to the generator's path: write `/{path}`, or leave it empty for the path itself"));
                    self.push(p);
                }
                for (field, needs) in [("handler", "handler_arg"), ("path_item", "path_arg")] {
                    if r.contains_key(field) && !g.contains_key(needs) {
                        let p = Problem::new(
                            "invalid-generator",
                            self.span(&format!("{rptr}/{field}")),
                            format!("`{field}` needs `{needs}` on the generator"),
                        )
                        .label(format!("no `{needs}`"))
                        .hint(format!(
                            "say which argument holds it with `{needs}`, or remove `{field}`"
                        ));
                        self.push(p);
                    }
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn resolve_handles_missing_tails() {
        let dir = tempfile::tempdir().expect("tempdir");
        let root = dir.path().canonicalize().expect("canonical");
        std::fs::create_dir(root.join("a")).expect("mkdir");
        assert_eq!(resolve(&root.join("a/b/c")), root.join("a/b/c"));
        assert_eq!(resolve(&root.join("a/b/../../x")), root.join("x"));
        assert_eq!(resolve(&root.join("./a/./b")), root.join("a/b"));
        assert!(!resolve(&root.join("a/../../elsewhere")).starts_with(&root));
    }

    #[cfg(unix)]
    #[test]
    fn resolve_follows_symlinks_of_the_existing_prefix() {
        let outside = tempfile::tempdir().expect("tempdir");
        let repo = tempfile::tempdir().expect("tempdir");
        let link = repo.path().join("link");
        std::os::unix::fs::symlink(outside.path(), &link).expect("symlink");
        let r = resolve(&link.join("not/yet/there"));
        assert!(r.starts_with(outside.path().canonicalize().expect("canonical")));
    }
}
