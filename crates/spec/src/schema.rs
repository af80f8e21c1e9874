//! The JSON Schema of `secprop.yaml`, generated from the Rust types (spec-v1 §10
//! `secprop schema`), and the mapping of its validation errors to spec diagnostics.

use crate::quote;
use crate::types::{Framework, PropertyKind, Spec};
use crate::yaml::{Positions, Problem, Span, escape_segment};
use jsonschema::error::{TypeKind, ValidationErrorKind};
use jsonschema::{JsonType, ValidationError};
use serde_json::Value;
use std::collections::BTreeSet;
use std::sync::OnceLock;

/// The JSON Schema (draft 2020-12) of `secprop.yaml`, generated from [`Spec`].
pub fn json_schema() -> Value {
    let generator = schemars::generate::SchemaSettings::draft2020_12()
        .for_deserialize()
        .into_generator();
    generator.into_root_schema_for::<Spec>().to_value()
}

/// [`json_schema`] pretty-printed with a trailing newline: the committed
/// `specs/secprop.schema.json` and the output of `secprop schema`.
pub fn json_schema_string() -> String {
    let mut s = serde_json::to_string_pretty(&json_schema()).unwrap_or_default();
    s.push('\n');
    s
}

/// The compiled validator, built once.
fn validator() -> Option<&'static jsonschema::Validator> {
    static VALIDATOR: OnceLock<Option<jsonschema::Validator>> = OnceLock::new();
    VALIDATOR
        .get_or_init(|| jsonschema::draft202012::new(&json_schema()).ok())
        .as_ref()
}

/// Validates the spec's JSON form against the schema; every error becomes a located
/// problem in our words (unknown keys with did-you-mean, enumerations with their values).
pub(crate) fn validate(instance: &Value, positions: &Positions) -> Vec<Problem> {
    let Some(validator) = validator() else {
        return vec![
            Problem::new(
                "internal",
                positions.value(""),
                "the JSON Schema of the spec does not compile",
            )
            .hint("this is a bug in secprop: please report it"),
        ];
    };
    let schema = json_schema();
    let cx = Cx {
        root: instance,
        positions,
        schema: &schema,
    };
    let mut problems = Vec::new();
    let errors: Vec<ValidationError<'_>> = validator.iter_errors(instance).collect();
    // A value of the wrong type makes every other complaint about it noise.
    let typed: BTreeSet<String> = errors
        .iter()
        .filter(|e| matches!(e.kind(), ValidationErrorKind::Type { .. }))
        .map(|e| e.instance_path().as_str().to_string())
        .collect();
    for e in &errors {
        let ptr = e.instance_path().as_str();
        if typed.contains(ptr) && !matches!(e.kind(), ValidationErrorKind::Type { .. }) {
            continue;
        }
        cx.map(e, &mut problems);
    }
    let mut floats = Vec::new();
    float_integers(&schema, instance, "", &mut floats);
    for ptr in floats {
        if let Some(found) = instance.pointer(&ptr) {
            problems.push(cx.type_problem(&ptr, &field_label(&ptr), &[JsonType::Integer], found));
        }
    }
    problems
}

struct Cx<'a> {
    root: &'a Value,
    positions: &'a Positions,
    schema: &'a Value,
}

impl Cx<'_> {
    fn map(&self, e: &ValidationError<'_>, out: &mut Vec<Problem>) {
        let ptr = e.instance_path().as_str();
        let instance = e.instance();
        let field = field_label(ptr);
        match e.kind() {
            ValidationErrorKind::AdditionalProperties { unexpected } => {
                let allowed = allowed_keys(self.schema, ptr);
                for key in unexpected {
                    let kp = format!("{ptr}/{}", escape_segment(key));
                    let mut p = Problem::new(
                        "unknown-key",
                        self.positions.key(&kp),
                        format!("unknown key `{}` in {}", quote(key), self.noun(ptr)),
                    )
                    .label("unknown key");
                    let both = instance.get("call").is_some() && instance.get("value").is_some();
                    p = match did_you_mean(key, &allowed) {
                        _ if both && (key == "value" || key == "call") => p.hint(
                            "`call` and `value` are exclusive: a guard is a call `{call, denies_by, params}` or an inline guard `{value: req.session.userId, equals: LITERAL}`",
                        ),
                        Some(s) => p.hint(format!("did you mean `{s}`?")),
                        None => p.hint(format!("valid keys here: {}", allowed.join(", "))),
                    };
                    out.push(p);
                }
            }
            ValidationErrorKind::Required { property } => {
                let name = property.as_str().unwrap_or_default();
                let fp = format!("{ptr}/{}", escape_segment(name));
                out.push(
                    Problem::new(
                        "missing-field",
                        self.positions.value(ptr),
                        format!("{} is missing `{name}`", self.noun(ptr)),
                    )
                    .label(format!("`{name}` is required here"))
                    .hint(required_hint(&fp, name, self.schema)),
                );
            }
            ValidationErrorKind::Type { kind } => {
                let expected: Vec<JsonType> = match kind {
                    TypeKind::Single(t) => vec![*t],
                    TypeKind::Multiple(set) => set.iter().collect(),
                };
                out.push(self.type_problem(ptr, &field, &expected, instance));
            }
            ValidationErrorKind::Enum { options } => {
                let options: Vec<String> = options
                    .as_array()
                    .map(|a| {
                        a.iter()
                            .filter_map(|v| v.as_str().map(str::to_string))
                            .collect()
                    })
                    .unwrap_or_default();
                out.push(self.enum_problem(ptr, instance, &options));
            }
            ValidationErrorKind::Constant { expected_value } => {
                if ptr == "/version" {
                    out.push(
                        Problem::new(
                            "unsupported-version",
                            self.positions.value(ptr),
                            format!("unsupported spec version `{}`", show(instance)),
                        )
                        .label("this secprop reads version 1")
                        .hint("write `version: 1`; this release of secprop reads spec version 1"),
                    );
                } else {
                    out.push(self.enum_problem(ptr, instance, &[show(expected_value)]));
                }
            }
            ValidationErrorKind::Pattern { pattern } => {
                let text = instance.as_str().unwrap_or_default();
                if is_property_id(ptr) {
                    out.push(id_problem(self.positions.value(ptr), text));
                } else if ptr.ends_with("/expires") {
                    out.push(date_problem(self.positions.value(ptr), text));
                } else {
                    out.push(
                        Problem::new(
                            "invalid-value",
                            self.positions.value(ptr),
                            format!("{field} `{}` does not match `{pattern}`", quote(text)),
                        )
                        .label("does not match")
                        .hint(format!("write a value matching `{pattern}`")),
                    );
                }
            }
            ValidationErrorKind::Minimum { limit }
            | ValidationErrorKind::ExclusiveMinimum { limit } => {
                out.push(
                    Problem::new(
                        "invalid-value",
                        self.positions.value(ptr),
                        format!("{field} `{}` is too small", show(instance)),
                    )
                    .label("too small")
                    .hint(format!("the smallest value allowed is {limit}")),
                );
            }
            ValidationErrorKind::Maximum { limit }
            | ValidationErrorKind::ExclusiveMaximum { limit } => {
                out.push(
                    Problem::new(
                        "invalid-value",
                        self.positions.value(ptr),
                        format!("{field} `{}` is too large", show(instance)),
                    )
                    .label("too large")
                    .hint(format!("the largest value allowed is {limit}")),
                );
            }
            ValidationErrorKind::AnyOf { context }
            | ValidationErrorKind::OneOfNotValid { context } => {
                self.alternatives(ptr, instance, context, out)
            }
            _ => out.push(
                Problem::new(
                    "invalid-value",
                    self.positions.value(ptr),
                    format!("{field}: {e}"),
                )
                .label("invalid")
                .hint("see the spec's JSON Schema (`secprop schema`) for what is allowed here"),
            ),
        }
    }

    /// `anyOf`/`oneOf`: an enumeration written as constants, or a value that may take
    /// several shapes (a guard is a string or a mapping); report against the shape the
    /// value has, or list the shapes when it has none of them.
    fn alternatives(
        &self,
        ptr: &str,
        instance: &Value,
        context: &[Vec<ValidationError<'static>>],
        out: &mut Vec<Problem>,
    ) {
        let at_ptr = |e: &ValidationError<'_>| e.instance_path().as_str() == ptr;
        let consts: Vec<String> = context
            .iter()
            .flatten()
            .filter(|e| at_ptr(e))
            .filter_map(|e| match e.kind() {
                ValidationErrorKind::Constant { expected_value } => Some(show(expected_value)),
                _ => None,
            })
            .collect();
        let all_const_like = context.iter().all(|branch| {
            branch.iter().all(|e| {
                at_ptr(e)
                    && matches!(
                        e.kind(),
                        ValidationErrorKind::Constant { .. } | ValidationErrorKind::Type { .. }
                    )
            })
        });
        if !consts.is_empty() && all_const_like {
            let mut seen = BTreeSet::new();
            let consts: Vec<String> = consts
                .into_iter()
                .filter(|c| seen.insert(c.clone()))
                .collect();
            out.push(self.enum_problem(ptr, instance, &consts));
            return;
        }
        let mismatched = |branch: &Vec<ValidationError<'static>>| {
            branch
                .iter()
                .any(|e| at_ptr(e) && matches!(e.kind(), ValidationErrorKind::Type { .. }))
        };
        let matching: Vec<&Vec<ValidationError<'static>>> =
            context.iter().filter(|b| !mismatched(b)).collect();
        if let Some(branch) = matching.first() {
            for e in branch.iter() {
                self.map(e, out);
            }
            return;
        }
        let mut expected = Vec::new();
        for e in context.iter().flatten().filter(|e| at_ptr(e)) {
            if let ValidationErrorKind::Type { kind } = e.kind() {
                match kind {
                    TypeKind::Single(t) => expected.push(*t),
                    TypeKind::Multiple(set) => expected.extend(set.iter()),
                }
            }
        }
        out.push(self.type_problem(ptr, &field_label(ptr), &expected, instance));
    }

    fn type_problem(
        &self,
        ptr: &str,
        field: &str,
        expected: &[JsonType],
        found: &Value,
    ) -> Problem {
        let mut names: Vec<&str> = Vec::new();
        for t in expected {
            if *t == JsonType::Null && expected.len() > 1 {
                continue;
            }
            let n = type_name(*t);
            if !names.contains(&n) {
                names.push(n);
            }
        }
        let expected_text = names.join(" or ");
        let hint = type_hint(expected, found, ptr);
        Problem::new(
            "wrong-type",
            self.positions.value(ptr),
            format!("{field} must be {expected_text}, found {}", describe(found)),
        )
        .label(format!("expected {expected_text}"))
        .hint(hint)
    }

    fn enum_problem(&self, ptr: &str, found: &Value, options: &[String]) -> Problem {
        let what = enum_name(ptr);
        let text = show(found);
        let refs: Vec<&str> = options.iter().map(String::as_str).collect();
        let mut p = Problem::new(
            "unknown-value",
            self.positions.value(ptr),
            format!("unknown {what} `{text}`"),
        )
        .label(format!("not a valid {what}"));
        let list = options.join(", ");
        p = match did_you_mean(&text, &refs) {
            Some(s) => p.hint(format!("did you mean `{s}`? valid values: {list}")),
            None => p.hint(format!("valid values: {list}")),
        };
        p
    }

    /// What the object at `ptr` is, for messages: `target \`api\``, `property \`x\``.
    fn noun(&self, ptr: &str) -> String {
        noun(self.root, ptr)
    }
}

/// What the object at `ptr` is, for messages: `target \`api\``, `property \`x\``.
pub(crate) fn noun(root: &Value, ptr: &str) -> String {
    let segs: Vec<String> = segments(ptr);
    let named = |key: &str, what: &str| match root
        .pointer(ptr)
        .and_then(|v| v.get(key))
        .and_then(Value::as_str)
    {
        Some(n) => format!("{what} `{}`", quote(n)),
        None => what.to_string(),
    };
    match segs
        .iter()
        .map(String::as_str)
        .collect::<Vec<_>>()
        .as_slice()
    {
        [] => "the spec".into(),
        ["targets", _] => named("name", "target"),
        ["properties", _] => named("id", "property"),
        ["public", _] => named("route", "public route"),
        ["waivers", _] => named("property", "waiver of"),
        ["context", "authentication" | "authorization", _] | ["properties", _, "guards", _] => {
            "guard".into()
        }
        [.., last] => format!("`{}`", quote(last)),
    }
}

/// The unescaped segments of a JSON pointer.
pub(crate) fn segments(ptr: &str) -> Vec<String> {
    ptr.split('/')
        .skip(1)
        .map(|s| s.replace("~1", "/").replace("~0", "~"))
        .collect()
}

/// How a value is named in messages: `` `routes` `` or `an item of `routes``.
pub(crate) fn field_label(ptr: &str) -> String {
    let segs = segments(ptr);
    match segs.as_slice() {
        [] => "the spec".into(),
        [.., parent, last] if last.parse::<usize>().is_ok() => {
            format!("an item of `{}`", quote(parent))
        }
        [.., last] => format!("`{}`", quote(last)),
    }
}

fn is_property_id(ptr: &str) -> bool {
    matches!(segments(ptr).as_slice(), [a, _, b] if a == "properties" && b == "id")
}

/// What an enumeration is called in messages, from where it sits.
fn enum_name(ptr: &str) -> String {
    let segs = segments(ptr);
    match segs.as_slice() {
        [first, _] if first == "builtin_severity" => "severity".into(),
        [.., last] if last.contains('_') => format!("`{}` value", quote(last)),
        [.., last] if last.parse::<usize>().is_err() => last.clone(),
        _ => "value".into(),
    }
}

/// A property id that breaks the id rule (spec-v1 §3).
pub(crate) fn id_problem(span: Span, id: &str) -> Problem {
    if id.starts_with("secprop/") {
        Problem::new(
            "reserved-id",
            span,
            format!(
                "property id `{}` uses the reserved prefix `secprop/`",
                quote(id)
            ),
        )
        .label("reserved for built-in findings")
        .hint(format!(
            "`secprop/...` names built-in findings; choose another id, e.g. `{}`",
            quote(
                id.trim_start_matches("secprop/")
                    .trim_start_matches(['/', '-', '_'])
            )
        ))
    } else {
        let suggestion: String = id
            .to_lowercase()
            .chars()
            .map(|c| {
                if c.is_ascii_alphanumeric() || c == '_' || c == '-' {
                    c
                } else {
                    '-'
                }
            })
            .collect::<String>()
            .trim_start_matches(['-', '_'])
            .to_string();
        let mut p = Problem::new(
            "invalid-id",
            span,
            format!(
                "property id `{}` does not match `^[a-z0-9][a-z0-9_-]*$`",
                quote(id)
            ),
        )
        .label("invalid id");
        p = if !suggestion.is_empty() && suggestion != id {
            p.hint(format!(
                "use lower-case letters, digits, `-` and `_`, starting with a letter or digit, e.g. `{}`",
                quote(&suggestion)
            ))
        } else {
            p.hint("use lower-case letters, digits, `-` and `_`, starting with a letter or digit")
        };
        p
    }
}

/// An `expires` that is not a real `YYYY-MM-DD` date (spec-v1 §3).
pub(crate) fn date_problem(span: Span, text: &str) -> Problem {
    Problem::new(
        "invalid-date",
        span,
        format!("`expires` `{}` is not a YYYY-MM-DD date", quote(text)),
    )
    .label("not a date")
    .hint("write a calendar date such as `expires: 2027-03-31` (quotes optional)")
}

fn required_hint(field_ptr: &str, name: &str, schema: &Value) -> String {
    let segs = segments(field_ptr);
    let s: Vec<&str> = segs.iter().map(String::as_str).collect();
    match s.as_slice() {
        ["version"] => "add `version: 1` at the top of the spec".into(),
        ["targets"] => {
            "add the code bases to scan: `targets: [{name: api, framework: express}]`".into()
        }
        ["public", _, "reason"] => {
            "say why this route needs no caller identity: `reason: \"liveness probe\"`".into()
        }
        ["waivers", _, "reason" | "owner" | "expires"] => {
            "every waiver needs a `reason`, an `owner` and an `expires` date (YYYY-MM-DD)".into()
        }
        ["targets", _, "framework"] => {
            format!(
                "add `framework:`, one of {}",
                Framework::ALL.map(Framework::as_str).join(", ")
            )
        }
        ["targets", _, "tests", "runner"] => {
            "add `runner:`, one of vitest, jest, pytest, cargo".into()
        }
        ["properties", _, "kind"] => format!(
            "add `kind:`, one of {}",
            PropertyKind::ALL.map(PropertyKind::as_str).join(", ")
        ),
        ["properties", _, "routes"] => {
            "add the route selectors the property applies to, e.g. `routes: [\"**\"]`".into()
        }
        _ => {
            let parent = &field_ptr[..field_ptr.rfind('/').unwrap_or(0)];
            let keys = allowed_keys(schema, parent);
            if keys.is_empty() {
                format!("add `{name}: ...`")
            } else {
                format!("add `{name}: ...`; keys here: {}", keys.join(", "))
            }
        }
    }
}

fn type_name(t: JsonType) -> &'static str {
    match t {
        JsonType::Array => "a list",
        JsonType::Boolean => "true or false",
        JsonType::Integer => "an integer",
        JsonType::Null => "empty",
        JsonType::Number => "a number",
        JsonType::Object => "a mapping",
        JsonType::String => "a string",
    }
}

/// A found value in words: `` `abc` (a string) ``, `a list`.
fn describe(v: &Value) -> String {
    match v {
        Value::Null => "an empty value".into(),
        Value::Bool(b) => format!("`{b}`"),
        Value::Number(n) => format!("the number `{n}`"),
        Value::String(s) => format!("the string `{}`", quote(s)),
        Value::Array(_) => "a list".into(),
        Value::Object(_) => "a mapping".into(),
    }
}

/// A scalar value as text for messages.
fn show(v: &Value) -> String {
    match v {
        Value::String(s) => quote(s),
        Value::Array(_) => "[...]".into(),
        Value::Object(_) => "{...}".into(),
        other => quote(&other.to_string()),
    }
}

fn type_hint(expected: &[JsonType], found: &Value, ptr: &str) -> String {
    let wants = |t| expected.contains(&t);
    if ptr.is_empty() {
        return "a spec is a mapping that starts with `version: 1` and `targets:`".into();
    }
    match found {
        Value::Null => "give a value, or remove the key to use the default".into(),
        Value::String(s) if wants(JsonType::Array) => {
            format!("write a list, even of one item: `[\"{}\"]`", quote(s))
        }
        Value::Object(_) | Value::Array(_) if wants(JsonType::String) => {
            "quote the value: unquoted, a value starting with `{` or `[` is a YAML mapping or list, and `key: value` makes a mapping".into()
        }
        Value::Number(_) | Value::Bool(_) if wants(JsonType::String) => {
            if ptr.ends_with("/expires") {
                "write a calendar date such as `expires: 2027-03-31`".into()
            } else {
                format!("quote it to make it text: `\"{}\"`", show(found))
            }
        }
        Value::String(_) if wants(JsonType::Boolean) => {
            "write `true` or `false` (in YAML 1.2, `yes`, `no`, `on` and `off` are text)".into()
        }
        Value::String(_) if wants(JsonType::Integer) || wants(JsonType::Number) => {
            "write a number without quotes".into()
        }
        Value::Number(_) if wants(JsonType::Integer) => "write a whole number, such as `403`".into(),
        _ if wants(JsonType::Object) => {
            "write a mapping of keys and values here (see `secprop schema` for its keys)".into()
        }
        _ => "see `secprop schema` for the expected shape".into(),
    }
}

/// The keys the schema allows for the object at `ptr` (empty when any key is allowed).
pub(crate) fn allowed_keys(schema: &Value, ptr: &str) -> Vec<String> {
    schema_at(schema, ptr)
        .and_then(|n| n.get("properties"))
        .and_then(Value::as_object)
        .map(|p| p.keys().cloned().collect())
        .unwrap_or_default()
}

/// The (dereferenced) schema describing the value at `ptr`.
fn schema_at<'a>(schema: &'a Value, ptr: &str) -> Option<&'a Value> {
    let mut node = schema;
    for seg in segments(ptr) {
        node = deref(schema, node);
        if let Some(n) = node.get("properties").and_then(|p| p.get(&seg)) {
            node = n;
        } else if let (Some(items), Ok(_)) = (node.get("items"), seg.parse::<usize>()) {
            node = items;
        } else if let Some(ap) = node.get("additionalProperties").filter(|a| a.is_object()) {
            node = ap;
        } else {
            return None;
        }
    }
    Some(deref(schema, node))
}

/// Numbers written as floats (`1.0`) where the schema wants an integer: JSON Schema counts
/// `1.0` as an integer, but YAML 1.2 reads it as a float and the typed spec refuses it.
fn float_integers(schema: &Value, value: &Value, ptr: &str, out: &mut Vec<String>) {
    match value {
        Value::Number(n) if n.is_f64() => {
            let wants_integer = schema_at(schema, ptr)
                .and_then(|s| s.get("type"))
                .is_some_and(|t| match t {
                    Value::String(t) => t == "integer",
                    Value::Array(ts) => ts.iter().any(|t| t == "integer"),
                    _ => false,
                });
            if wants_integer {
                out.push(ptr.to_string());
            }
        }
        Value::Array(items) => {
            for (i, v) in items.iter().enumerate() {
                float_integers(schema, v, &format!("{ptr}/{i}"), out);
            }
        }
        Value::Object(map) => {
            for (k, v) in map {
                float_integers(schema, v, &format!("{ptr}/{}", escape_segment(k)), out);
            }
        }
        _ => {}
    }
}

/// Follows `$ref`s and picks the structured branch of an `anyOf`/`oneOf`.
fn deref<'a>(root: &'a Value, mut node: &'a Value) -> &'a Value {
    for _ in 0..16 {
        if let Some(r) = node.get("$ref").and_then(Value::as_str) {
            match r
                .strip_prefix("#/$defs/")
                .and_then(|n| root.get("$defs")?.get(n))
            {
                Some(n) => node = n,
                None => return node,
            }
        } else if let Some(branches) = node
            .get("anyOf")
            .or_else(|| node.get("oneOf"))
            .and_then(Value::as_array)
        {
            let structured = branches.iter().find(|b| {
                let t = b.get("type").and_then(Value::as_str);
                t != Some("null") && t != Some("string")
            });
            match structured {
                Some(b) => node = b,
                None => return node,
            }
        } else {
            return node;
        }
    }
    node
}

/// The closest candidate to a misspelt word, when close enough to be a likely typo.
pub(crate) fn did_you_mean<'a, S: AsRef<str>>(word: &str, candidates: &'a [S]) -> Option<&'a str> {
    let w = word.to_lowercase();
    candidates
        .iter()
        .map(|c| {
            let c = c.as_ref();
            (strsim::damerau_levenshtein(&w, &c.to_lowercase()), c)
        })
        .filter(|(d, c)| *d <= 2.max(c.chars().count() / 3) && *d < c.chars().count())
        .min_by_key(|(d, _)| *d)
        .map(|(_, c)| c)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn validator_compiles() {
        assert!(validator().is_some());
    }

    #[test]
    fn schema_is_deterministic() {
        assert_eq!(json_schema_string(), json_schema_string());
        assert!(json_schema_string().ends_with("}\n"));
    }

    #[test]
    fn suggestions() {
        let keys = ["properties", "public", "targets"];
        assert_eq!(did_you_mean("propertys", &keys), Some("properties"));
        assert_eq!(did_you_mean("zzz", &keys), None);
        assert_eq!(
            did_you_mean("tenant_parm", &["tenant_param", "targets"]),
            Some("tenant_param")
        );
    }

    #[test]
    fn allowed_keys_follow_refs() {
        let s = json_schema();
        assert!(allowed_keys(&s, "/targets/0/tests").contains(&"harness".to_string()));
        assert!(allowed_keys(&s, "/context/authorization/2").contains(&"denies_by".to_string()));
        assert!(allowed_keys(&s, "").contains(&"properties".to_string()));
    }
}
