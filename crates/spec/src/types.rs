//! The `secprop.yaml` data model (spec-v1 §2, §6–§8). The JSON Schema is derived from
//! these types; kind-specific requirements are semantic rules in `validate`.

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

/// A whole `secprop.yaml`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
#[schemars(title = "secprop.yaml", description = "secprop spec, version 1")]
pub struct Spec {
    /// Always `1`.
    #[schemars(extend("const" = 1))]
    pub version: u32,
    /// The code bases scanned: one per framework and folder.
    pub targets: Vec<Target>,
    /// The local knowledge a code generator did not have.
    #[serde(default)]
    pub context: Context,
    /// The security properties that must hold.
    #[serde(default)]
    pub properties: Vec<Property>,
    /// Routes that need no caller identity.
    #[serde(default)]
    pub public: Vec<PublicRoute>,
    /// Accepted findings, each owned and dated.
    #[serde(default)]
    pub waivers: Vec<Waiver>,
    /// Raises or lowers the severity of built-in findings (`secprop/parse-error: medium`).
    #[serde(default)]
    pub builtin_severity: BTreeMap<String, Severity>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Target {
    /// Unique name of the target.
    pub name: String,
    pub framework: Framework,
    /// Folder scanned, relative to the spec's folder; `.gitignore` is honoured.
    #[serde(default = "default_root")]
    pub root: String,
    /// Globs relative to `root`; when present only matching files are scanned.
    #[serde(default)]
    pub include: Vec<String>,
    /// Globs relative to `root` that are never scanned.
    #[serde(default)]
    pub exclude: Vec<String>,
    /// Where and how tests are generated; needed by `generate`.
    #[serde(default)]
    pub tests: Option<Tests>,
}

fn default_root() -> String {
    ".".to_string()
}

#[derive(
    Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize, JsonSchema,
)]
pub enum Framework {
    #[serde(rename = "express")]
    Express,
    #[serde(rename = "axum")]
    Axum,
    #[serde(rename = "actix-web")]
    ActixWeb,
    #[serde(rename = "fastapi")]
    Fastapi,
    #[serde(rename = "flask")]
    Flask,
}

impl Framework {
    pub const ALL: [Framework; 5] = [
        Framework::Express,
        Framework::Axum,
        Framework::ActixWeb,
        Framework::Fastapi,
        Framework::Flask,
    ];
    pub fn as_str(self) -> &'static str {
        match self {
            Framework::Express => "express",
            Framework::Axum => "axum",
            Framework::ActixWeb => "actix-web",
            Framework::Fastapi => "fastapi",
            Framework::Flask => "flask",
        }
    }
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Tests {
    pub runner: Runner,
    /// Folder of generated tests, relative to the spec; must stay inside the repository.
    pub out: String,
    /// The user-owned adapter the generated tests import.
    pub harness: String,
    /// A folder whose templates override the built-in ones.
    #[serde(default)]
    pub templates: Option<String>,
}

#[derive(
    Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize, JsonSchema,
)]
#[serde(rename_all = "lowercase")]
pub enum Runner {
    Vitest,
    Jest,
    Pytest,
    Cargo,
}

impl Runner {
    pub const ALL: [Runner; 4] = [Runner::Vitest, Runner::Jest, Runner::Pytest, Runner::Cargo];
    pub fn as_str(self) -> &'static str {
        match self {
            Runner::Vitest => "vitest",
            Runner::Jest => "jest",
            Runner::Pytest => "pytest",
            Runner::Cargo => "cargo",
        }
    }
}

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Context {
    /// Guards proving who the caller is.
    #[serde(default)]
    pub authentication: Vec<GuardEntry>,
    /// Guards proving access to an object.
    #[serde(default)]
    pub authorization: Vec<GuardEntry>,
    /// Call patterns whose work must not happen before authorization.
    #[serde(default)]
    pub side_effects: Vec<String>,
    /// Call patterns that read or write stored data.
    #[serde(default)]
    pub data_access: Vec<String>,
    /// Field names whose values must not reach a channel.
    #[serde(default)]
    pub sensitive_fields: Vec<String>,
    /// Named output channels (`logs`, `prompts`, `external`, ...) and their call patterns.
    #[serde(default)]
    pub sinks: BTreeMap<String, Vec<String>>,
    /// Library calls that create routes (extension, `specs/extensions.md`).
    #[serde(default)]
    pub route_generators: Vec<RouteGenerator>,
}

/// A guard: a call pattern, or a mapping saying how it denies (spec-v1 §6).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(untagged)]
pub enum GuardEntry {
    Pattern(String),
    Detailed(GuardSpec),
    Value(ValueGuard),
}

/// An inline guard (spec-v1 §6 extension): a condition testing a value reached from the
/// request or the caller identity (`req.session.userId`, `req.user.role`), whose failing
/// branch exits, passes the guard on the other branch.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct ValueGuard {
    /// The dotted path tested: `req.session.userId`; its first segment names the request
    /// object, whatever the handler calls it.
    pub value: String,
    /// The literal the value must equal (`===`/`==`); absent: the value must be truthy.
    #[serde(default)]
    pub equals: Option<GuardLiteral>,
}

/// A literal a value guard compares with.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(untagged)]
pub enum GuardLiteral {
    Bool(bool),
    Number(f64),
    String(String),
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct GuardSpec {
    pub call: String,
    #[serde(default)]
    pub denies_by: Option<DeniesBy>,
    /// Route parameters the guard reads by itself.
    #[serde(default)]
    pub params: Vec<String>,
}

impl GuardEntry {
    /// The call pattern; `None` for a value guard.
    pub fn pattern(&self) -> Option<&str> {
        match self {
            GuardEntry::Pattern(p) => Some(p),
            GuardEntry::Detailed(g) => Some(&g.call),
            GuardEntry::Value(_) => None,
        }
    }
    pub fn denies_by(&self) -> Option<DeniesBy> {
        match self {
            GuardEntry::Detailed(g) => g.denies_by,
            GuardEntry::Pattern(_) | GuardEntry::Value(_) => None,
        }
    }
    pub fn params(&self) -> &[String] {
        match self {
            GuardEntry::Detailed(g) => &g.params,
            GuardEntry::Pattern(_) | GuardEntry::Value(_) => &[],
        }
    }
    /// The inline guard, for a `{value, equals}` entry.
    pub fn value(&self) -> Option<&ValueGuard> {
        match self {
            GuardEntry::Value(v) => Some(v),
            _ => None,
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "lowercase")]
pub enum DeniesBy {
    /// A falsy result must lead to an exit.
    Return,
    /// The guard throws, rejects or returns `Err` to deny.
    Raise,
}

#[derive(
    Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize, JsonSchema,
)]
#[serde(rename_all = "snake_case")]
pub enum PropertyKind {
    AuthenticationRequired,
    CrossTenantDenied,
    NoSideEffectsBeforeAuthz,
    RoleRequired,
    SensitiveDataNotExposed,
    MalformedInputRejected,
    AuditEventEmitted,
    ForbiddenCalls,
}

impl PropertyKind {
    pub const ALL: [PropertyKind; 8] = [
        PropertyKind::AuthenticationRequired,
        PropertyKind::CrossTenantDenied,
        PropertyKind::NoSideEffectsBeforeAuthz,
        PropertyKind::RoleRequired,
        PropertyKind::SensitiveDataNotExposed,
        PropertyKind::MalformedInputRejected,
        PropertyKind::AuditEventEmitted,
        PropertyKind::ForbiddenCalls,
    ];
    pub fn as_str(self) -> &'static str {
        match self {
            PropertyKind::AuthenticationRequired => "authentication_required",
            PropertyKind::CrossTenantDenied => "cross_tenant_denied",
            PropertyKind::NoSideEffectsBeforeAuthz => "no_side_effects_before_authz",
            PropertyKind::RoleRequired => "role_required",
            PropertyKind::SensitiveDataNotExposed => "sensitive_data_not_exposed",
            PropertyKind::MalformedInputRejected => "malformed_input_rejected",
            PropertyKind::AuditEventEmitted => "audit_event_emitted",
            PropertyKind::ForbiddenCalls => "forbidden_calls",
        }
    }
}

#[derive(
    Debug,
    Clone,
    Copy,
    Default,
    PartialEq,
    Eq,
    PartialOrd,
    Ord,
    Hash,
    Serialize,
    Deserialize,
    JsonSchema,
)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    Info,
    Low,
    Medium,
    #[default]
    High,
    Critical,
}

impl Severity {
    pub fn as_str(self) -> &'static str {
        match self {
            Severity::Info => "info",
            Severity::Low => "low",
            Severity::Medium => "medium",
            Severity::High => "high",
            Severity::Critical => "critical",
        }
    }
}

/// One property. Fields that apply to some kinds only are optional here; the semantic
/// rules require them per kind (spec-v1 §7) and reject those that do not apply.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Property {
    /// Matches `^[a-z0-9][a-z0-9_-]*$`, unique, never `secprop/...`.
    #[schemars(pattern(r"^[a-z0-9][a-z0-9_-]*$"))]
    pub id: String,
    pub kind: PropertyKind,
    /// Route selectors (`[METHOD ]PATH`).
    pub routes: Vec<String>,
    /// Route selectors removed from this property only.
    #[serde(default)]
    pub except: Vec<String>,
    /// Target names; all targets when absent.
    #[serde(default)]
    pub targets: Option<Vec<String>>,
    #[serde(default)]
    pub severity: Severity,
    /// Replaces the context's guards for this property.
    #[serde(default)]
    pub guards: Option<Vec<GuardEntry>>,
    #[serde(default)]
    pub deny_status: Option<Vec<u16>>,
    /// `cross_tenant_denied`: the parameter carrying the tenant.
    #[serde(default)]
    pub tenant_param: Option<String>,
    /// `cross_tenant_denied`: parameters of objects owned by the tenant.
    #[serde(default)]
    pub object_params: Option<Vec<String>>,
    /// `cross_tenant_denied`: who owns the objects, the tenant (default) or the calling
    /// user (spec-v1 §7 "Caller-owned objects").
    #[serde(default)]
    pub owner: Option<Owner>,
    /// `no_side_effects_before_authz`: log calls count too.
    #[serde(default)]
    pub include_logs: Option<bool>,
    /// `role_required`: the roles allowed.
    #[serde(default)]
    pub roles: Option<Vec<String>>,
    /// `sensitive_data_not_exposed`: `response` and sink keys.
    #[serde(default)]
    pub channels: Option<Vec<String>>,
    /// `audit_event_emitted`: call patterns of the audit events.
    #[serde(default)]
    pub events: Option<Vec<String>>,
    /// `forbidden_calls`: the forbidden call patterns.
    #[serde(default)]
    pub calls: Option<Vec<String>>,
    /// `forbidden_calls`: carried into the finding's message.
    #[serde(default)]
    pub reason: Option<String>,
    /// `forbidden_calls`: globs (relative to the target's root, like `include`) of the
    /// files of the sanctioned layer; helpers defined there are not entered. Without it,
    /// only helpers in the route's own files are entered.
    #[serde(default)]
    pub allowed_in: Option<Vec<String>>,
}

/// Who owns the objects a `cross_tenant_denied` property protects (spec-v1 §7).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "lowercase")]
pub enum Owner {
    /// The tenant named by `tenant_param`: tests use two tenants.
    #[default]
    Tenant,
    /// The calling user: a lookup scoped by the caller's identity, or a comparison of the
    /// loaded object's owner with it, verifies; tests use two actors of one tenant.
    Caller,
}

impl Property {
    /// `owner` with its default.
    pub fn owner_or_default(&self) -> Owner {
        self.owner.unwrap_or_default()
    }

    /// `deny_status` with the kind's default (spec-v1 §7).
    pub fn deny_status_or_default(&self) -> Vec<u16> {
        if let Some(d) = &self.deny_status {
            return d.clone();
        }
        match self.kind {
            PropertyKind::AuthenticationRequired => vec![401],
            PropertyKind::CrossTenantDenied => vec![403, 404],
            PropertyKind::RoleRequired => vec![403],
            _ => vec![],
        }
    }
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct PublicRoute {
    /// A route selector.
    pub route: String,
    /// Why no caller identity is needed.
    pub reason: String,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Waiver {
    /// The property id (or built-in id) waived.
    pub property: String,
    #[serde(default)]
    pub route: Option<String>,
    #[serde(default)]
    pub routes: Option<Vec<String>>,
    pub reason: String,
    pub owner: String,
    /// `YYYY-MM-DD`; the waiver holds through the end of that day (UTC).
    pub expires: Date,
}

/// A calendar date, `YYYY-MM-DD` (quoted or not).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Date {
    pub year: i32,
    pub month: u8,
    pub day: u8,
}

impl Date {
    /// Parses `YYYY-MM-DD`, checking the day exists in its month.
    pub fn parse(s: &str) -> Option<Date> {
        let b = s.as_bytes();
        if b.len() != 10 || b[4] != b'-' || b[7] != b'-' {
            return None;
        }
        let num = |r: std::ops::Range<usize>| -> Option<u32> {
            let part = &s[r];
            if part.bytes().all(|c| c.is_ascii_digit()) {
                part.parse().ok()
            } else {
                None
            }
        };
        let (y, m, d) = (num(0..4)?, num(5..7)?, num(8..10)?);
        let leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
        let days = match m {
            1 | 3 | 5 | 7 | 8 | 10 | 12 => 31,
            4 | 6 | 9 | 11 => 30,
            2 if leap => 29,
            2 => 28,
            _ => return None,
        };
        if d == 0 || d > days {
            return None;
        }
        Some(Date {
            year: y as i32,
            month: m as u8,
            day: d as u8,
        })
    }

    /// The UTC date of a Unix timestamp (seconds).
    pub fn from_unix(secs: i64) -> Date {
        // Howard Hinnant's civil_from_days.
        let z = secs.div_euclid(86_400) + 719_468;
        let era = z.div_euclid(146_097);
        let doe = z - era * 146_097;
        let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
        let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
        let mp = (5 * doy + 2) / 153;
        let day = (doy - (153 * mp + 2) / 5 + 1) as u8;
        let month = if mp < 10 { mp + 3 } else { mp - 9 } as u8;
        let year = (yoe + era * 400 + i64::from(month <= 2)) as i32;
        Date { year, month, day }
    }
}

impl std::fmt::Display for Date {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{:04}-{:02}-{:02}", self.year, self.month, self.day)
    }
}

impl Serialize for Date {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_str(self)
    }
}

impl<'de> Deserialize<'de> for Date {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let s = String::deserialize(d)?;
        Date::parse(&s)
            .ok_or_else(|| serde::de::Error::custom(format!("`{s}` is not a YYYY-MM-DD date")))
    }
}

impl JsonSchema for Date {
    fn schema_name() -> std::borrow::Cow<'static, str> {
        "Date".into()
    }
    fn json_schema(_: &mut schemars::SchemaGenerator) -> schemars::Schema {
        schemars::json_schema!({
            "type": "string",
            "pattern": "^[0-9]{4}-[0-9]{2}-[0-9]{2}$",
            "description": "A YYYY-MM-DD date"
        })
    }
}

/// A library call that creates routes (extension to spec-v1 §5, `specs/extensions.md`):
/// REST resource generators such as `crud.register(router, "/users", controller)`. The
/// routes it creates get chains, checks and tests like literal registrations.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct RouteGenerator {
    /// The call pattern (spec-v1 §4) of the generating call: `crud.register`.
    pub call: String,
    /// The argument (0-based) that is the app or router the routes are registered on;
    /// absent: the call's receiver (`app.resource(...)`).
    #[serde(default)]
    pub router_arg: Option<u32>,
    /// Where the path or prefix is: an argument index (`1`), or an argument's property
    /// (`"0.endpoints"`); its value is a string or an array of strings. Absent: `/`.
    #[serde(default)]
    pub path_arg: Option<ArgRef>,
    /// The argument holding the handler, or an object (a controller) whose members the
    /// routes name; absent: the library's own handler.
    #[serde(default)]
    pub handler_arg: Option<u32>,
    /// The routes created below the path.
    pub routes: Vec<GeneratedRoute>,
}

/// An argument index, or `"N.key..."` for a property of argument N.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(untagged)]
pub enum ArgRef {
    Index(u32),
    Member(String),
}

impl ArgRef {
    /// The argument index and the property path below it; `None` when malformed.
    pub fn parts(&self) -> Option<(u32, Vec<String>)> {
        match self {
            ArgRef::Index(i) => Some((*i, Vec::new())),
            ArgRef::Member(s) => {
                let mut it = s.split('.');
                let index = it.next()?.parse().ok()?;
                let keys: Vec<String> = it.map(str::to_string).collect();
                let ident = |k: &String| {
                    let mut cs = k.chars();
                    cs.next()
                        .is_some_and(|c| c.is_alphabetic() || c == '_' || c == '$')
                        && cs.all(|c| c.is_alphanumeric() || c == '_' || c == '$')
                };
                keys.iter().all(ident).then_some((index, keys))
            }
        }
    }
}

/// One route a generator creates.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct GeneratedRoute {
    /// An upper-case HTTP method, or `*` for every method.
    pub method: String,
    /// Appended to the generator's path, in the framework's syntax (`/:id`); empty or
    /// absent for the path itself.
    #[serde(default)]
    pub path: String,
    /// The member of the handler argument that handles the route (`show`); absent: the
    /// handler argument itself.
    #[serde(default)]
    pub handler: Option<String>,
    /// When the path is an array, the index of the path this route is below; absent:
    /// below each.
    #[serde(default)]
    pub path_item: Option<u32>,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dates() {
        assert_eq!(Date::parse("2027-03-31").unwrap().to_string(), "2027-03-31");
        assert!(Date::parse("2027-02-29").is_none());
        assert!(Date::parse("2028-02-29").is_some());
        assert!(Date::parse("2027-13-01").is_none());
        assert!(Date::parse("27-03-31").is_none());
        assert_eq!(Date::from_unix(0).to_string(), "1970-01-01");
        assert_eq!(Date::from_unix(1_795_478_400).to_string(), "2026-11-24");
    }
}
