//! A located YAML tree built from `saphyr-parser` events, and its conversion to JSON with
//! the position of every key and value (spec-v1 §3): the first pass of the loader.
//!
//! Syntax errors stop the pass; duplicate keys, merge keys, complex keys and unsupported
//! tags are collected and the offending entry is dropped, so that later passes still see
//! the rest of the file.

use saphyr_parser::{Event, Parser, ScalarStyle, Span as YSpan};
use serde_json::{Map, Number, Value};
use std::collections::{BTreeMap, HashMap};

/// Deepest nesting accepted; deeper documents are rejected rather than risking the stack
/// of later recursive passes.
const MAX_DEPTH: usize = 64;
/// Most nodes a document may expand to through aliases (guards against alias bombs).
const MAX_NODES: usize = 200_000;

/// A 1-based position; `column` counts Unicode code points.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Default)]
pub(crate) struct Pos {
    pub line: u32,
    pub column: u32,
}

/// A range of positions; `end` is exclusive.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub(crate) struct Span {
    pub start: Pos,
    pub end: Pos,
}

impl Span {
    fn from_yaml(s: &YSpan) -> Span {
        Span {
            start: pos(s.start.line(), s.start.col()),
            end: pos(s.end.line(), s.end.col()),
        }
    }
}

fn pos(line: usize, col0: usize) -> Pos {
    Pos {
        line: u32::try_from(line.max(1)).unwrap_or(u32::MAX),
        column: u32::try_from(col0.saturating_add(1)).unwrap_or(u32::MAX),
    }
}

/// A problem found in a pass, located by positions; rendered later with the source.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Problem {
    pub code: &'static str,
    pub message: String,
    pub label: String,
    pub hint: Option<String>,
    pub span: Span,
    pub related: Vec<(Span, String)>,
}

impl Problem {
    pub fn new(code: &'static str, span: Span, message: impl Into<String>) -> Problem {
        Problem {
            code,
            message: message.into(),
            label: String::new(),
            hint: None,
            span,
            related: Vec::new(),
        }
    }
    pub fn label(mut self, label: impl Into<String>) -> Problem {
        self.label = label.into();
        self
    }
    pub fn hint(mut self, hint: impl Into<String>) -> Problem {
        self.hint = Some(hint.into());
        self
    }
    pub fn related(mut self, span: Span, label: impl Into<String>) -> Problem {
        self.related.push((span, label.into()));
        self
    }
}

/// A scalar as written: its text, whether it was quoted or a block, and its tag.
#[derive(Debug, Clone)]
pub(crate) struct Scalar {
    pub text: String,
    pub plain: bool,
    /// The core-schema tag suffix (`str`, `int`, ...) or the whole foreign tag.
    pub tag: Option<Tag>,
}

#[derive(Debug, Clone)]
pub(crate) enum Tag {
    Core(String),
    Other(String),
}

#[derive(Debug, Clone)]
pub(crate) enum NodeKind {
    Scalar(Scalar),
    Seq(Vec<Node>),
    Map(Vec<(Node, Node)>),
}

/// A YAML node with where it was written.
#[derive(Debug, Clone)]
pub(crate) struct Node {
    pub kind: NodeKind,
    pub span: Span,
    /// Nodes in this subtree, itself included (for the alias budget).
    size: usize,
}

/// The outcome of parsing: the document (absent for an empty file) and the non-fatal
/// problems met while building it.
pub(crate) struct Document {
    pub root: Option<Node>,
    pub problems: Vec<Problem>,
}

enum Frame {
    Seq {
        start: Span,
        anchor: usize,
        items: Vec<Node>,
        size: usize,
    },
    Map {
        start: Span,
        anchor: usize,
        entries: Vec<(Node, Node)>,
        key: Option<Node>,
        seen: BTreeMap<String, Span>,
        size: usize,
    },
}

/// Parses `source` into a located tree; `Err` is the first syntax error.
pub(crate) fn parse(source: &str) -> Result<Document, Box<Problem>> {
    let mut parser = Parser::new_from_str(source);
    let mut stack: Vec<Frame> = Vec::new();
    let mut anchors: HashMap<usize, Node> = HashMap::new();
    let mut problems = Vec::new();
    let mut root: Option<Node> = None;
    let mut documents = 0usize;
    let mut nodes = 0usize;

    while let Some(next) = parser.next_event() {
        let (event, yspan) = match next {
            Ok(ev) => ev,
            Err(e) => {
                return Err(Box::new(syntax_problem(
                    source,
                    pos(e.marker().line(), e.marker().col()),
                    e.info(),
                )));
            }
        };
        let span = Span::from_yaml(&yspan);
        let node = match event {
            Event::StreamStart | Event::StreamEnd | Event::DocumentEnd | Event::Nothing => continue,
            Event::DocumentStart(_) => {
                documents += 1;
                if documents > 1 {
                    problems.push(
                        Problem::new("yaml-syntax", span, "the spec holds more than one YAML document")
                            .label("a second document starts here")
                            .hint("keep the whole spec in one document: remove this `---` and what follows, or merge it into the first"),
                    );
                    break;
                }
                continue;
            }
            Event::Scalar(text, style, anchor, tag) => {
                let tag = tag.map(|t| {
                    if t.is_yaml_core_schema() {
                        Tag::Core(t.suffix.clone())
                    } else {
                        Tag::Other(format!("{}{}", t.handle, t.suffix))
                    }
                });
                let node = Node {
                    kind: NodeKind::Scalar(Scalar {
                        text: text.into_owned(),
                        plain: style == ScalarStyle::Plain,
                        tag,
                    }),
                    span,
                    size: 1,
                };
                if anchor > 0 {
                    anchors.insert(anchor, node.clone());
                }
                node
            }
            Event::Alias(id) => match anchors.get(&id) {
                Some(n) => {
                    let mut n = n.clone();
                    // The alias itself stands where it is written; its content keeps the
                    // anchor's positions, which is where the text actually is.
                    n.span = span;
                    n
                }
                None => {
                    return Err(Box::new(syntax_problem(
                        source,
                        span.start,
                        "found unknown anchor",
                    )));
                }
            },
            Event::SequenceStart(anchor, _tag) => {
                stack.push(Frame::Seq {
                    start: span,
                    anchor,
                    items: Vec::new(),
                    size: 1,
                });
                if stack.len() > MAX_DEPTH {
                    return Err(Box::new(too_deep(span)));
                }
                continue;
            }
            Event::MappingStart(anchor, _tag) => {
                stack.push(Frame::Map {
                    start: span,
                    anchor,
                    entries: Vec::new(),
                    key: None,
                    seen: BTreeMap::new(),
                    size: 1,
                });
                if stack.len() > MAX_DEPTH {
                    return Err(Box::new(too_deep(span)));
                }
                continue;
            }
            Event::SequenceEnd => match stack.pop() {
                Some(Frame::Seq {
                    start,
                    anchor,
                    items,
                    size,
                }) => {
                    let node = Node {
                        kind: NodeKind::Seq(items),
                        span: Span {
                            start: start.start,
                            end: span.end,
                        },
                        size,
                    };
                    if anchor > 0 {
                        anchors.insert(anchor, node.clone());
                    }
                    node
                }
                _ => {
                    return Err(Box::new(syntax_problem(
                        source,
                        span.start,
                        "unbalanced sequence end",
                    )));
                }
            },
            Event::MappingEnd => match stack.pop() {
                Some(Frame::Map {
                    start,
                    anchor,
                    entries,
                    key,
                    size,
                    ..
                }) => {
                    if key.is_some() {
                        return Err(Box::new(syntax_problem(
                            source,
                            span.start,
                            "a key without a value",
                        )));
                    }
                    let node = Node {
                        kind: NodeKind::Map(entries),
                        span: Span {
                            start: start.start,
                            end: span.end,
                        },
                        size,
                    };
                    if anchor > 0 {
                        anchors.insert(anchor, node.clone());
                    }
                    node
                }
                _ => {
                    return Err(Box::new(syntax_problem(
                        source,
                        span.start,
                        "unbalanced mapping end",
                    )));
                }
            },
        };
        nodes = nodes.saturating_add(node.size);
        if nodes > MAX_NODES {
            return Err(Box::new(Problem::new(
                "yaml-too-large",
                span,
                format!("the document expands to more than {MAX_NODES} values"),
            )
            .label("while expanding this value")
            .hint(
                "a spec is small: check for aliases (`*name`) that repeat large anchored values",
            )));
        }
        match stack.last_mut() {
            None => {
                if root.is_none() {
                    root = Some(node);
                }
            }
            Some(Frame::Seq { items, size, .. }) => {
                *size = size.saturating_add(node.size);
                items.push(node);
            }
            Some(Frame::Map {
                entries,
                key,
                seen,
                size,
                ..
            }) => {
                *size = size.saturating_add(node.size);
                match key.take() {
                    None => *key = Some(node),
                    Some(k) => {
                        if let Some(p) = check_key(&k, seen) {
                            problems.push(p);
                        } else {
                            entries.push((k, node));
                        }
                    }
                }
            }
        }
    }
    Ok(Document { root, problems })
}

/// Rejects keys that are not plain values, merge keys and duplicates; records the key.
fn check_key(key: &Node, seen: &mut BTreeMap<String, Span>) -> Option<Problem> {
    let s = match &key.kind {
        NodeKind::Scalar(s) => s,
        _ => {
            return Some(
                Problem::new("complex-key", key.span, "a key must be a plain value, not a list or mapping")
                    .label("this key")
                    .hint("write keys as plain names such as `routes:`; a key starting with `[` or `{` must be quoted"),
            );
        }
    };
    if s.plain && s.text == "<<" && s.tag.is_none() {
        return Some(
            Problem::new("merge-key", key.span, "merge keys (`<<`) are not supported")
                .label("merge key")
                .hint("write the keys out in this mapping; an alias may still stand for a whole value (`routes: *api_routes`)"),
        );
    }
    if let Some(first) = seen.get(&s.text) {
        return Some(
            Problem::new(
                "duplicate-key",
                key.span,
                format!("duplicate key `{}`", crate::quote(&s.text)),
            )
            .label("defined again here")
            .related(*first, "first defined here")
            .hint("each key may appear once per mapping: merge the two entries or remove one"),
        );
    }
    seen.insert(s.text.clone(), key.span);
    None
}

fn too_deep(span: Span) -> Problem {
    Problem::new(
        "yaml-too-deep",
        span,
        format!("values are nested deeper than {MAX_DEPTH} levels"),
    )
    .label("too deep")
    .hint("a spec is shallow: check for unbalanced `[` or `{`")
}

/// A syntax error with a message in our words and a hint for the usual causes
/// (spec-v1 §3: values starting with `*` or `@`, `: ` or flow indicators unquoted).
fn syntax_problem(source: &str, mut at: Pos, info: &str) -> Problem {
    let info = info.trim_end_matches('.');
    let line_text = source
        .split_inclusive('\n')
        .nth((at.line as usize).saturating_sub(1))
        .unwrap_or("")
        .trim_end_matches(['\n', '\r']);
    let char_at = |col: u32| line_text.chars().nth((col as usize).saturating_sub(1));
    let hint: String;
    let mut label = "here".to_string();
    if info.contains("unprintable") {
        label = "not text".into();
        hint = "a spec is UTF-8 text: remove control characters or NUL bytes (is this the right file?)".into();
    } else if info.contains("tab") {
        // The parser may stop before or after the tab (even on the line above, inside
        // a plain scalar): point at the first tab from the start of the error's line.
        if let Some(tab) = first_tab_from(source, at.line) {
            at = tab;
        }
        label = "tab".into();
        hint = "indent with spaces: YAML does not allow tabs in indentation".into();
    } else if info.contains("anchor") || info.contains("alias") {
        // A `*` starts an alias in YAML: the usual cause is an unquoted selector.
        if char_at(at.column) != Some('*')
            && let Some(i) = line_text.chars().position(|c| c == '*')
        {
            at.column = u32::try_from(i + 1).unwrap_or(u32::MAX);
        }
        label = "`*` starts an alias here".into();
        hint = "a value starting with `*` is read as an alias: quote it, e.g. `routes: [\"* /projects/**\"]`".into();
    } else if info.contains("unexpected character") {
        let c = char_at(at.column).unwrap_or('@');
        label = format!("`{c}` cannot start a plain value");
        hint = format!(
            "`@` and `` ` `` are reserved in YAML: quote a value that starts with them, e.g. `owner: \"{c}appsec\"`"
        );
    } else if info.contains("quoted scalar") {
        label = "this quote is never closed".into();
        hint = "add the closing quote; inside double quotes write `\\\"` for a quote, inside single quotes `''`".into();
    } else if info.contains("flow mapping") || info.contains("flow sequence") {
        label = "unexpected here".into();
        hint = "a value starting with `{` or `[` is a flow mapping or list, and inside one `{ } [ ] ,` must be quoted: write `\"/a/{id}\"`, `[\"GET /a/{id}\"]`".into();
    } else if info.contains("mapping values are not allowed") {
        label = "`: ` is not allowed here".into();
        hint = "a value containing `: ` must be quoted, e.g. `reason: \"note: temporary\"`".into();
    } else if info.contains("block")
        || info.contains("indentation")
        || info.contains("expected key")
    {
        label = "unexpected indentation".into();
        hint = "check the indentation: the keys of one mapping start in the same column, and the `-` of one list align".into();
    } else {
        hint =
            "quote values that start with `*` or `@`, or contain `: ` or ` #` (spec-v1 §3)".into();
    }
    Problem::new(
        "yaml-syntax",
        Span { start: at, end: at },
        format!("YAML syntax error: {info}"),
    )
    .label(label)
    .hint(hint)
}

/// The position of the first tab on `line` or the two lines after it.
fn first_tab_from(source: &str, line: u32) -> Option<Pos> {
    let first = (line as usize).saturating_sub(1);
    source
        .split('\n')
        .enumerate()
        .skip(first)
        .take(3)
        .find_map(|(i, text)| {
            let col = text.chars().position(|c| c == '\t')?;
            Some(Pos {
                line: u32::try_from(i + 1).ok()?,
                column: u32::try_from(col + 1).ok()?,
            })
        })
}

/// A JSON pointer segment (RFC 6901 escaping).
pub(crate) fn escape_segment(s: &str) -> String {
    s.replace('~', "~0").replace('/', "~1")
}

/// Where each value and key was written, by JSON pointer.
#[derive(Debug, Default)]
pub(crate) struct Positions {
    /// The whole value (a collection spans all its lines).
    pub values: BTreeMap<String, Span>,
    /// The key holding the value, for mapping entries.
    pub keys: BTreeMap<String, Span>,
    /// A one-line span standing for the value: the scalar itself, a mapping's first key,
    /// a list's first character; what a code frame underlines.
    pub heads: BTreeMap<String, Span>,
}

impl Positions {
    /// The span of the value at `pointer`, or of its nearest written ancestor.
    pub fn value(&self, pointer: &str) -> Span {
        self.nearest(&self.heads, pointer)
    }

    /// The span of the key holding `pointer`, or of the value when it has no key.
    pub fn key(&self, pointer: &str) -> Span {
        self.keys
            .get(pointer)
            .copied()
            .unwrap_or_else(|| self.value(pointer))
    }

    fn nearest(&self, map: &BTreeMap<String, Span>, pointer: &str) -> Span {
        let mut p = pointer;
        loop {
            if let Some(s) = map.get(p) {
                return *s;
            }
            match p.rfind('/') {
                Some(i) => p = &p[..i],
                None => {
                    let start = Pos { line: 1, column: 1 };
                    return Span { start, end: start };
                }
            }
        }
    }
}

/// Converts the tree to JSON under the YAML 1.2 core schema, recording positions.
pub(crate) fn to_json(node: &Node, problems: &mut Vec<Problem>) -> (Value, Positions) {
    let mut positions = Positions::default();
    let value = convert(node, String::new(), &mut positions, problems);
    (value, positions)
}

fn convert(
    node: &Node,
    pointer: String,
    positions: &mut Positions,
    problems: &mut Vec<Problem>,
) -> Value {
    let value = match &node.kind {
        NodeKind::Scalar(s) => resolve_scalar(s, node.span, problems),
        NodeKind::Seq(items) => Value::Array(
            items
                .iter()
                .enumerate()
                .map(|(i, n)| convert(n, format!("{pointer}/{i}"), positions, problems))
                .collect(),
        ),
        NodeKind::Map(entries) => {
            let mut map = Map::new();
            for (k, v) in entries {
                let NodeKind::Scalar(ks) = &k.kind else {
                    continue;
                };
                let child = format!("{pointer}/{}", escape_segment(&ks.text));
                positions.keys.insert(child.clone(), k.span);
                let value = convert(v, child, positions, problems);
                map.insert(ks.text.clone(), value);
            }
            Value::Object(map)
        }
    };
    let head = match &node.kind {
        NodeKind::Scalar(_) => node.span,
        NodeKind::Map(entries) if !entries.is_empty() => entries[0].0.span,
        _ => {
            let mut end = node.span.start;
            end.column = end.column.saturating_add(1);
            Span {
                start: node.span.start,
                end,
            }
        }
    };
    positions.heads.insert(pointer.clone(), head);
    positions.values.insert(pointer, node.span);
    value
}

/// Resolves a scalar under the YAML 1.2 core schema: quoted and block scalars are strings;
/// plain ones may be null, booleans, integers or floats.
fn resolve_scalar(s: &Scalar, span: Span, problems: &mut Vec<Problem>) -> Value {
    let text = s.text.as_str();
    match &s.tag {
        None => {}
        Some(Tag::Core(t)) => {
            return match t.as_str() {
                "str" => Value::String(s.text.clone()),
                "null" | "bool" | "int" | "float" => {
                    let v = resolve_plain(text);
                    let ok = matches!(
                        (t.as_str(), &v),
                        ("null", Value::Null)
                            | ("bool", Value::Bool(_))
                            | ("int", Value::Number(_))
                            | ("float", Value::Number(_))
                    );
                    if !ok {
                        problems.push(
                            Problem::new(
                                "yaml-tag",
                                span,
                                format!("`{}` is not a valid `!!{t}`", crate::quote(text)),
                            )
                            .label("tagged here")
                            .hint("remove the tag; secprop reads plain YAML values"),
                        );
                    }
                    v
                }
                other => {
                    problems.push(unsupported_tag(span, &format!("!!{other}")));
                    Value::String(s.text.clone())
                }
            };
        }
        Some(Tag::Other(t)) => {
            problems.push(unsupported_tag(span, t));
            return Value::String(s.text.clone());
        }
    }
    if !s.plain {
        return Value::String(s.text.clone());
    }
    resolve_plain(text)
}

fn unsupported_tag(span: Span, tag: &str) -> Problem {
    Problem::new(
        "yaml-tag",
        span,
        format!("unsupported tag `{}`", crate::quote(tag)),
    )
    .label("tagged here")
    .hint("remove the tag; secprop reads plain YAML values (strings, numbers, lists, mappings)")
}

/// The core schema's resolution of a plain scalar.
fn resolve_plain(text: &str) -> Value {
    match text {
        "" | "~" | "null" | "Null" | "NULL" => return Value::Null,
        "true" | "True" | "TRUE" => return Value::Bool(true),
        "false" | "False" | "FALSE" => return Value::Bool(false),
        ".nan" | ".NaN" | ".NAN" | ".inf" | ".Inf" | ".INF" | "+.inf" | "+.Inf" | "+.INF"
        | "-.inf" | "-.Inf" | "-.INF" => {
            // Not representable in JSON: kept as text, which no field of the spec accepts
            // as a number, so a misuse still reports a type error quoting it.
            return Value::String(text.to_string());
        }
        _ => {}
    }
    if let Some(v) = resolve_int(text) {
        return v;
    }
    if is_core_float(text)
        && let Some(n) = text.parse::<f64>().ok().and_then(Number::from_f64)
    {
        return Value::Number(n);
    }
    Value::String(text.to_string())
}

fn resolve_int(text: &str) -> Option<Value> {
    let (radix, digits, negative) = if let Some(d) = text.strip_prefix("0o") {
        (8, d, false)
    } else if let Some(d) = text.strip_prefix("0x") {
        (16, d, false)
    } else {
        let (neg, d) = match text.as_bytes().first() {
            Some(b'-') => (true, &text[1..]),
            Some(b'+') => (false, &text[1..]),
            _ => (false, text),
        };
        (10, d, neg)
    };
    if digits.is_empty() || !digits.chars().all(|c| c.is_digit(radix)) {
        return None;
    }
    match u64::from_str_radix(digits, radix) {
        Ok(u) if !negative => Some(Value::Number(u.into())),
        Ok(u) => match i64::try_from(u) {
            Ok(i) => Some(Value::Number((-i).into())),
            Err(_) => text
                .parse::<f64>()
                .ok()
                .and_then(Number::from_f64)
                .map(Value::Number),
        },
        // Too large for 64 bits: a float, like other YAML loaders.
        Err(_) if radix == 10 => text
            .parse::<f64>()
            .ok()
            .and_then(Number::from_f64)
            .map(Value::Number),
        Err(_) => None,
    }
}

/// `[-+]?(\.[0-9]+|[0-9]+(\.[0-9]*)?)([eE][-+]?[0-9]+)?`
fn is_core_float(text: &str) -> bool {
    let b = text.as_bytes();
    let mut i = 0;
    if matches!(b.first(), Some(b'-' | b'+')) {
        i = 1;
    }
    let digits = |i: &mut usize| {
        let s = *i;
        while *i < b.len() && b[*i].is_ascii_digit() {
            *i += 1;
        }
        *i - s
    };
    let int_digits = digits(&mut i);
    if i < b.len() && b[i] == b'.' {
        i += 1;
        let frac_digits = digits(&mut i);
        if int_digits == 0 && frac_digits == 0 {
            return false;
        }
    } else if int_digits == 0 {
        return false;
    }
    if i < b.len() && (b[i] == b'e' || b[i] == b'E') {
        i += 1;
        if i < b.len() && (b[i] == b'-' || b[i] == b'+') {
            i += 1;
        }
        if digits(&mut i) == 0 {
            return false;
        }
    }
    i == b.len()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn json(src: &str) -> Value {
        let doc = parse(src).expect("parses");
        assert!(doc.problems.is_empty(), "{:?}", doc.problems);
        let mut problems = Vec::new();
        let (v, _) = to_json(doc.root.as_ref().expect("root"), &mut problems);
        assert!(problems.is_empty());
        v
    }

    #[test]
    fn core_schema() {
        let v = json(
            "a: 1\nb: -2\nc: 0x1f\nd: 1.5\ne: true\nf: ~\ng: 2027-03-31\nh: '1'\ni: yes\nj: .inf\nk: 1e3\nl: \"true\"\n",
        );
        assert_eq!(
            v,
            serde_json::json!({"a": 1, "b": -2, "c": 31, "d": 1.5, "e": true, "f": null,
                "g": "2027-03-31", "h": "1", "i": "yes", "j": ".inf", "k": 1000.0, "l": "true"})
        );
    }

    #[test]
    fn aliases_expand() {
        let v = json("a: &r [\"/x\", \"/y\"]\nb: *r\n");
        assert_eq!(v, serde_json::json!({"a": ["/x", "/y"], "b": ["/x", "/y"]}));
    }

    #[test]
    fn duplicate_and_merge_keys_are_problems() {
        let doc = parse("a: 1\nb: &x {c: 1}\na: 2\nd:\n  <<: *x\n").expect("parses");
        let codes: Vec<_> = doc
            .problems
            .iter()
            .map(|p| (p.code, p.span.start.line, p.span.start.column))
            .collect();
        assert_eq!(codes, vec![("duplicate-key", 3, 1), ("merge-key", 5, 3)]);
    }

    #[test]
    fn alias_bomb_is_refused() {
        let mut src = String::from("a0: &a0 [x, x, x, x, x, x, x, x, x, x]\n");
        for i in 1..8 {
            let p = i - 1;
            src.push_str(&format!("a{i}: &a{i} [*a{p}, *a{p}, *a{p}, *a{p}, *a{p}, *a{p}, *a{p}, *a{p}, *a{p}, *a{p}]\n"));
        }
        let err = parse(&src).err().expect("refused");
        assert_eq!(err.code, "yaml-too-large");
    }

    #[test]
    fn deep_nesting_is_refused() {
        let src = "[".repeat(200);
        assert!(parse(&src).is_err());
    }
}
