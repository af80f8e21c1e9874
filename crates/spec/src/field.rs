//! Ids outside the path (spec-v1 §7 "Ids outside the path", extension): a `tenant_param`
//! or `object_params` entry naming a request field, `query.NAME`, `body.NAME` (a dotted
//! path into the body) or `header.NAME`, instead of a path parameter.

use std::fmt;

/// Where a request field is read from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum FieldSource {
    Query,
    Body,
    Header,
}

impl FieldSource {
    /// The prefix written in the spec: `query`, `body`, `header`.
    pub fn prefix(self) -> &'static str {
        match self {
            FieldSource::Query => "query",
            FieldSource::Body => "body",
            FieldSource::Header => "header",
        }
    }
}

/// A request field named by the spec: `body.owner.id` is `{Body, ["owner", "id"]}`.
/// Header names are lower-cased (HTTP header names are case-insensitive).
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct RequestField {
    pub source: FieldSource,
    /// `query` and `header` have one segment; `body` one or more.
    pub path: Vec<String>,
}

/// Why a field name is malformed, with a hint for the spec error.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FieldError {
    pub message: String,
    pub hint: String,
}

const HINT: &str = "name a path parameter (`projectId`) or a request field: `query.NAME`, `body.NAME` (a dotted path into the body, `body.project.id`) or `header.NAME`";

impl RequestField {
    /// `Ok(None)` for a path parameter name (no `.`), `Ok(Some)` for a request field,
    /// `Err` for a name with a `.` that is not a valid request field.
    pub fn parse(name: &str) -> Result<Option<RequestField>, FieldError> {
        let Some((prefix, rest)) = name.split_once('.') else {
            return Ok(None);
        };
        let err = |message: String| FieldError {
            message,
            hint: HINT.to_string(),
        };
        let source = match prefix {
            "query" => FieldSource::Query,
            "body" => FieldSource::Body,
            "header" => FieldSource::Header,
            "headers" | "cookie" | "cookies" => {
                return Err(err(format!(
                    "unknown request field prefix `{prefix}.`: expected `query.`, `body.` or `header.`"
                )));
            }
            "params" | "path" => {
                return Err(FieldError {
                    message: format!("`{prefix}.` is not a request field prefix"),
                    hint: format!("a path parameter is named without a prefix: write `{rest}`"),
                });
            }
            other => {
                return Err(err(format!(
                    "unknown request field prefix `{other}.`: expected `query.`, `body.` or `header.`"
                )));
            }
        };
        if rest.is_empty() {
            return Err(err(format!("`{prefix}.` names no field")));
        }
        let path: Vec<String> = match source {
            FieldSource::Body => rest.split('.').map(str::to_string).collect(),
            FieldSource::Query => vec![rest.to_string()],
            FieldSource::Header => vec![rest.to_ascii_lowercase()],
        };
        if path.iter().any(String::is_empty) {
            return Err(err(format!(
                "`{name}` has an empty segment: body paths are names separated by single dots"
            )));
        }
        if source == FieldSource::Header
            && !rest
                .bytes()
                .all(|b| b.is_ascii_alphanumeric() || b"!#$%&'*+-.^_`|~".contains(&b))
        {
            return Err(err(format!("`{rest}` is not an HTTP header name")));
        }
        Ok(Some(RequestField { source, path }))
    }

    /// The request part the frontends use for this source (`Expr::RequestPart::part`):
    /// `query`, `body`, `headers`.
    pub fn part(&self) -> &'static str {
        match self.source {
            FieldSource::Query => "query",
            FieldSource::Body => "body",
            FieldSource::Header => "headers",
        }
    }

    /// Whether a read of request part `part` at `path` may read this field: the field
    /// itself, something below it (`req.body.id.trim`), or a whole value holding it
    /// (`req.body`, passed on to a function that may read the id).
    pub fn read_by(&self, part: &str, path: &[String]) -> bool {
        if part != self.part() {
            return false;
        }
        let eq = |a: &String, b: &String| match self.source {
            FieldSource::Header => a.eq_ignore_ascii_case(b),
            _ => a == b,
        };
        self.path.iter().zip(path).all(|(a, b)| eq(a, b))
    }
}

impl fmt::Display for RequestField {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}.{}", self.source.prefix(), self.path.join("."))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_the_three_sources() {
        assert_eq!(RequestField::parse("projectId"), Ok(None));
        let q = RequestField::parse("query.docId").unwrap().unwrap();
        assert_eq!(
            (q.source, q.path.clone()),
            (FieldSource::Query, vec!["docId".into()])
        );
        let b = RequestField::parse("body.project.id").unwrap().unwrap();
        assert_eq!(b.path, vec!["project".to_string(), "id".to_string()]);
        assert_eq!(b.to_string(), "body.project.id");
        let h = RequestField::parse("header.X-Tenant-Id").unwrap().unwrap();
        assert_eq!(h.path, vec!["x-tenant-id".to_string()]);
        assert_eq!(h.to_string(), "header.x-tenant-id");
    }

    #[test]
    fn rejects_bad_forms() {
        for bad in [
            "body.",
            "query.",
            "header.",
            "body.a..b",
            "cookie.sid",
            "header.a b",
        ] {
            assert!(RequestField::parse(bad).is_err(), "{bad}");
        }
        let e = RequestField::parse("params.projectId").unwrap_err();
        assert!(e.hint.contains("write `projectId`"), "{e:?}");
    }

    #[test]
    fn reads() {
        let b = RequestField::parse("body.project.id").unwrap().unwrap();
        let p = |s: &[&str]| s.iter().map(|x| x.to_string()).collect::<Vec<_>>();
        assert!(b.read_by("body", &p(&["project", "id"])));
        assert!(b.read_by("body", &p(&["project"])));
        assert!(b.read_by("body", &p(&[])));
        assert!(b.read_by("body", &p(&["project", "id", "trim"])));
        assert!(!b.read_by("body", &p(&["projectId"])));
        assert!(!b.read_by("query", &p(&["project", "id"])));
        let h = RequestField::parse("header.X-Tenant").unwrap().unwrap();
        assert!(h.read_by("headers", &p(&["X-Tenant"])));
    }
}
