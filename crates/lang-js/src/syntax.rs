//! Small helpers over tree-sitter nodes shared by the lowering and the route finder:
//! text, string literals, spans with code-point columns, function-node kinds.

use secprop_model::{FileId, Span};
use std::collections::HashMap;
use tree_sitter::Node;

/// Kinds of nodes that introduce a function (each becomes one `Function` of the model).
pub(crate) fn is_function(kind: &str) -> bool {
    matches!(
        kind,
        "function_declaration"
            | "function_expression"
            | "arrow_function"
            | "method_definition"
            | "generator_function_declaration"
            | "generator_function"
    )
}

/// The text of a node (empty when the range is not valid UTF-8 boundaries).
pub(crate) fn text<'a>(node: Node<'_>, src: &'a str) -> &'a str {
    src.get(node.start_byte()..node.end_byte()).unwrap_or("")
}

/// Strips parentheses and TypeScript-only wrappers (`x as T`, `x!`, `<T>x`, `x satisfies T`).
pub(crate) fn strip<'a>(mut node: Node<'a>) -> Node<'a> {
    loop {
        match node.k() {
            "parenthesized_expression"
            | "as_expression"
            | "satisfies_expression"
            | "non_null_expression"
            | "type_assertion" => {
                let inner = if node.k() == "type_assertion" {
                    node.named_child(node.named_child_count().saturating_sub(1) as u32)
                } else {
                    node.named_child(0)
                };
                match inner {
                    Some(i) if i.k() != "comment" => node = i,
                    _ => return node,
                }
            }
            _ => return node,
        }
    }
}

/// The value of a string literal or of a template literal without substitutions.
pub(crate) fn string_value(node: Node<'_>, src: &str) -> Option<String> {
    let node = strip(node);
    match node.k() {
        "string" => {
            let t = text(node, src);
            if t.len() < 2 {
                return None;
            }
            Some(unescape(&t[1..t.len() - 1]))
        }
        "template_string" => {
            let mut c = node.walk();
            if node
                .named_children(&mut c)
                .any(|n| n.k() == "template_substitution")
            {
                return None;
            }
            let t = text(node, src);
            if t.len() < 2 {
                return None;
            }
            Some(unescape(&t[1..t.len() - 1]))
        }
        _ => None,
    }
}

/// The value of the body of a string or template literal: JavaScript's escapes
/// (`\n \t \r \b \f \v \0`, `\xHH`, `\uHHHH` with surrogate pairs combined, `\u{H…}`,
/// a backslash before a line terminator continuing the line). An invalid escape keeps its
/// character (`\q` is `q`, `\x4` is `x4`); a lone surrogate, which no Rust string holds,
/// becomes U+FFFD.
fn unescape(s: &str) -> String {
    if !s.contains('\\') {
        return s.to_string();
    }
    let mut out = String::with_capacity(s.len());
    let mut rest = s;
    while let Some(at) = rest.find('\\') {
        out.push_str(&rest[..at]);
        let after = &rest[at + 1..];
        let Some(c) = after.chars().next() else {
            // A trailing backslash (only in malformed literals): nothing to escape.
            return out;
        };
        rest = &after[c.len_utf8()..];
        match c {
            'n' => out.push('\n'),
            't' => out.push('\t'),
            'r' => out.push('\r'),
            'b' => out.push('\u{8}'),
            'f' => out.push('\u{c}'),
            'v' => out.push('\u{b}'),
            '0' => out.push('\0'),
            // Line continuation: the backslash and the line terminator are dropped.
            '\n' | '\u{2028}' | '\u{2029}' => {}
            '\r' => rest = rest.strip_prefix('\n').unwrap_or(rest),
            'x' => match hex_digits(rest, 2) {
                Some(v) => {
                    out.push(char::from_u32(v).unwrap_or('\u{fffd}'));
                    rest = &rest[2..];
                }
                None => out.push('x'),
            },
            'u' => match unicode_escape(rest) {
                Some((ch, used)) => {
                    out.push(ch);
                    rest = &rest[used..];
                }
                None => out.push('u'),
            },
            other => out.push(other),
        }
    }
    out.push_str(rest);
    out
}

/// The value of exactly `n` ASCII hex digits at the start of `s`.
fn hex_digits(s: &str, n: usize) -> Option<u32> {
    let digits = s.get(..n)?;
    if !digits.bytes().all(|b| b.is_ascii_hexdigit()) {
        return None;
    }
    u32::from_str_radix(digits, 16).ok()
}

/// The character of a `\u` escape whose text after `\u` starts `s`, and the bytes it
/// used: `HHHH` (a high surrogate followed by `\uHHHH` with a low one is one character),
/// or `{H…}` up to U+10FFFF. `None` when the escape is malformed.
fn unicode_escape(s: &str) -> Option<(char, usize)> {
    if let Some(braced) = s.strip_prefix('{') {
        let end = braced.find('}')?;
        let digits = &braced[..end];
        if digits.is_empty() || !digits.bytes().all(|b| b.is_ascii_hexdigit()) {
            return None;
        }
        let v = u32::from_str_radix(digits, 16)
            .ok()
            .filter(|v| *v <= 0x10ffff)?;
        return Some((char::from_u32(v).unwrap_or('\u{fffd}'), end + 2));
    }
    let v = hex_digits(s, 4)?;
    if (0xd800..0xdc00).contains(&v)
        && let Some(low) = s[4..].strip_prefix("\\u").and_then(|t| hex_digits(t, 4))
        && (0xdc00..0xe000).contains(&low)
    {
        let c = 0x10000 + ((v - 0xd800) << 10) + (low - 0xdc00);
        return Some((char::from_u32(c).unwrap_or('\u{fffd}'), 10));
    }
    Some((char::from_u32(v).unwrap_or('\u{fffd}'), 4))
}

/// Converts a byte position to a 1-based code-point column.
fn column(src: &str, byte: usize, byte_col: usize) -> u32 {
    let line_start = byte.saturating_sub(byte_col);
    match src.get(line_start..byte) {
        Some(s) => s.chars().count() as u32 + 1,
        None => byte_col as u32 + 1,
    }
}

/// The span of `node` (1-based lines, code-point columns, spec-v1 §10).
pub(crate) fn span(file: FileId, src: &str, node: Node<'_>) -> Span {
    span_between(file, src, node, node)
}

/// A span from the start of `from` to the end of `to`.
pub(crate) fn span_between(file: FileId, src: &str, from: Node<'_>, to: Node<'_>) -> Span {
    let s = from.start_position();
    let e = to.end_position();
    Span {
        file,
        line: s.row as u32 + 1,
        column: column(src, from.start_byte(), s.column),
        end_line: e.row as u32 + 1,
        end_column: column(src, to.end_byte(), e.column),
        start_byte: from.start_byte() as u32,
        end_byte: to.end_byte() as u32,
    }
}

/// The first ERROR or MISSING node in document order; inside an ERROR node, its first
/// MISSING token when it has one.
pub(crate) fn first_error(root: Node<'_>) -> Option<Node<'_>> {
    if !root.has_error() {
        return None;
    }
    let mut node = root;
    'outer: loop {
        if node.is_missing() {
            return Some(node);
        }
        if node.is_error() {
            // A missing token is where the parser knew what was wrong (`)` expected
            // here); the error node can start far earlier, even at the file's first line
            // when recovery wrapped the whole program in it.
            return Some(first_missing(node).unwrap_or(node));
        }
        let mut c = node.walk();
        for child in node.children(&mut c) {
            if child.has_error() || child.is_missing() {
                node = child;
                continue 'outer;
            }
        }
        return Some(node);
    }
}

/// The first MISSING node in document order, searching only subtrees with errors.
fn first_missing(root: Node<'_>) -> Option<Node<'_>> {
    let mut stack = vec![root];
    while let Some(node) = stack.pop() {
        if node.is_missing() {
            return Some(node);
        }
        let mut c = node.walk();
        let kids: Vec<Node<'_>> = node
            .children(&mut c)
            .filter(|k| k.has_error() || k.is_missing())
            .collect();
        stack.extend(kids.into_iter().rev());
    }
    None
}

/// Whether a function node is `async`.
pub(crate) fn is_async(node: Node<'_>) -> bool {
    let mut c = node.walk();
    node.children(&mut c)
        .take_while(|n| n.k() != "formal_parameters" && n.k() != "statement_block")
        .any(|n| n.k() == "async")
}

/// The parameter nodes of a function (patterns, TypeScript parameters unwrapped later).
pub(crate) fn params<'a>(func: Node<'a>) -> Vec<Node<'a>> {
    if let Some(p) = func.field("parameter") {
        return vec![p];
    }
    let Some(ps) = func.field("parameters") else {
        return Vec::new();
    };
    named_kids(ps)
}

/// The named children of `node` without comments: list elements, call arguments,
/// parameters.
pub(crate) fn named_kids(node: Node<'_>) -> Vec<Node<'_>> {
    let mut c = node.walk();
    node.named_children(&mut c)
        .filter(|n| n.k() != "comment")
        .collect()
}

/// A call's (or `new`'s) arguments without comments; none when it has no argument list.
pub(crate) fn call_args(call: Node<'_>) -> Vec<Node<'_>> {
    call.field("arguments").map(named_kids).unwrap_or_default()
}

/// A parameter's binding pattern and declared type (TypeScript `required_parameter`).
pub(crate) fn param_parts<'a>(p: Node<'a>) -> (Node<'a>, Option<Node<'a>>) {
    match p.k() {
        "required_parameter" | "optional_parameter" => {
            let pat = p.field("pattern").unwrap_or(p);
            let ty = p.field("type");
            (pat, ty)
        }
        "assignment_pattern" => (p.field("left").unwrap_or(p), None),
        _ => (p, None),
    }
}

/// Text of a type annotation without the leading `:`.
pub(crate) fn type_text(ty: Node<'_>, src: &str) -> String {
    let t = text(ty, src).trim();
    t.strip_prefix(':').unwrap_or(t).trim().to_string()
}

/// Names bound by a pattern, each with its property path from the bound value.
pub(crate) fn pattern_names<'a>(pat: Node<'a>, src: &str, out: &mut Vec<(Node<'a>, Vec<String>)>) {
    fn go<'a>(
        p: Node<'a>,
        src: &str,
        path: &mut Vec<String>,
        out: &mut Vec<(Node<'a>, Vec<String>)>,
    ) {
        match p.k() {
            "identifier" | "shorthand_property_identifier_pattern" => {
                out.push((p, path.clone()));
            }
            "object_pattern" => {
                let mut c = p.walk();
                for ch in p.named_children(&mut c) {
                    match ch.k() {
                        "shorthand_property_identifier_pattern" => {
                            path.push(text(ch, src).to_string());
                            out.push((ch, path.clone()));
                            path.pop();
                        }
                        "pair_pattern" => {
                            let key = ch
                                .field("key")
                                .map(|k| {
                                    string_value(k, src).unwrap_or_else(|| text(k, src).to_string())
                                })
                                .unwrap_or_default();
                            if let Some(v) = ch.field("value") {
                                path.push(key);
                                go(v, src, path, out);
                                path.pop();
                            }
                        }
                        "object_assignment_pattern" => {
                            if let Some(l) = ch.field("left") {
                                if l.k() == "shorthand_property_identifier_pattern" {
                                    path.push(text(l, src).to_string());
                                    out.push((l, path.clone()));
                                    path.pop();
                                } else {
                                    go(l, src, path, out);
                                }
                            }
                        }
                        "rest_pattern" => {
                            if let Some(inner) = ch.named_child(0) {
                                go(inner, src, path, out);
                            }
                        }
                        _ => {}
                    }
                }
            }
            "array_pattern" => {
                let mut c = p.walk();
                for (i, ch) in p.named_children(&mut c).enumerate() {
                    path.push(i.to_string());
                    go(ch, src, path, out);
                    path.pop();
                }
            }
            "assignment_pattern" => {
                if let Some(l) = p.field("left") {
                    go(l, src, path, out);
                }
            }
            "rest_pattern" => {
                if let Some(inner) = p.named_child(0) {
                    go(inner, src, path, out);
                }
            }
            "required_parameter" | "optional_parameter" => {
                let (pat, _) = param_parts(p);
                if pat.id() != p.id() {
                    go(pat, src, path, out);
                }
            }
            _ => {}
        }
    }
    let mut path = Vec::new();
    go(pat, src, &mut path, out);
}

/// The callee path as written (spec-v1 §4): `this.` dropped, `a?.b` as `a.b`,
/// `db['q']` as `db.q`, calls and `await` in the chain looked through.
pub(crate) fn callee_path(node: Node<'_>, src: &str) -> Option<Vec<String>> {
    callee_path_at(node, src, 0)
}

fn callee_path_at(node: Node<'_>, src: &str, depth: u32) -> Option<Vec<String>> {
    // Very long chains (generated code) are not named rather than overflowing the stack.
    if depth > 64 {
        return None;
    }
    let callee_path = |n: Node<'_>, src: &str| callee_path_at(n, src, depth + 1);
    let node = strip(node);
    match node.k() {
        "identifier" | "property_identifier" => Some(vec![text(node, src).to_string()]),
        "this" | "super" => Some(Vec::new()),
        "member_expression" => {
            let mut base = callee_path(node.field("object")?, src)?;
            let prop = node.field("property")?;
            base.push(text(prop, src).trim_start_matches('#').to_string());
            Some(base)
        }
        "subscript_expression" => {
            let mut base = callee_path(node.field("object")?, src)?;
            let idx = node.field("index")?;
            base.push(string_value(idx, src)?);
            Some(base)
        }
        "call_expression" => callee_path(node.field("function")?, src),
        "new_expression" => callee_path(node.field("constructor")?, src),
        "await_expression" => callee_path(node.named_child(0)?, src),
        _ => None,
    }
}

/// Fast field access: tree-sitter looks field names up by linear string comparison, so
/// ids are cached per grammar (field lookups dominate otherwise).
pub(crate) trait NodeExt<'a> {
    fn field(&self, name: &'static str) -> Option<Node<'a>>;
    /// `kind()` from a per-grammar table (tree-sitter's converts a C string each call).
    fn k(&self) -> &'static str;
}

impl<'a> NodeExt<'a> for Node<'a> {
    #[inline]
    fn field(&self, name: &'static str) -> Option<Node<'a>> {
        use std::cell::RefCell;
        thread_local! {
            // Per compiled-in grammar: field id by the address of the (literal) name. The
            // names are a few dozen literals, so the maps stay tiny.
            static IDS: [RefCell<HashMap<usize, u16, AddrHash>>; 3] = Default::default();
        }
        let lang = self.language();
        let Some(g) = grammars().iter().position(|g| *g.lang == *lang) else {
            // Not one of the compiled-in grammars: tree-sitter's own lookup.
            return self.child_by_field_name(name);
        };
        let ptr = name.as_ptr() as usize;
        let id = IDS.with(|ids| {
            if let Some(id) = ids[g].borrow().get(&ptr) {
                return *id;
            }
            let id = lang.field_id_for_name(name).map(|f| f.get()).unwrap_or(0);
            ids[g].borrow_mut().insert(ptr, id);
            id
        });
        if id == 0 {
            None
        } else {
            self.child_by_field_id(id)
        }
    }

    #[inline]
    fn k(&self) -> &'static str {
        let lang = self.language();
        for g in grammars() {
            if *g.lang == *lang {
                return g.kinds.get(self.kind_id() as usize).copied().unwrap_or("");
            }
        }
        // Not one of the compiled-in grammars.
        ""
    }
}

/// A hasher for keys that are addresses: one multiplication (the default SipHash would
/// cost more than the field lookup it saves).
#[derive(Default, Clone, Copy)]
pub(crate) struct AddrHasher(u64);

impl std::hash::Hasher for AddrHasher {
    fn write(&mut self, bytes: &[u8]) {
        for b in bytes {
            self.0 = (self.0.rotate_left(5) ^ u64::from(*b)).wrapping_mul(0x517c_c1b7_2722_0a95);
        }
    }
    fn write_usize(&mut self, n: usize) {
        self.0 = (self.0.rotate_left(5) ^ n as u64).wrapping_mul(0x517c_c1b7_2722_0a95);
    }
    fn finish(&self) -> u64 {
        self.0
    }
}

type AddrHash = std::hash::BuildHasherDefault<AddrHasher>;

/// A compiled-in grammar with its node kind names by id.
pub(crate) struct Grammar {
    lang: &'static tree_sitter::Language,
    kinds: Vec<&'static str>,
}

/// The three grammars the frontend parses with, built once.
fn grammars() -> &'static [Grammar] {
    use std::sync::LazyLock;
    static LANGS: LazyLock<[tree_sitter::Language; 3]> = LazyLock::new(|| {
        [
            tree_sitter_javascript::LANGUAGE.into(),
            tree_sitter_typescript::LANGUAGE_TYPESCRIPT.into(),
            tree_sitter_typescript::LANGUAGE_TSX.into(),
        ]
    });
    static GRAMMARS: LazyLock<Vec<Grammar>> = LazyLock::new(|| {
        LANGS
            .iter()
            .map(|l| Grammar {
                lang: l,
                kinds: (0..l.node_kind_count())
                    .map(|i| l.node_kind_for_id(i as u16).unwrap_or(""))
                    .collect(),
            })
            .collect()
    });
    &GRAMMARS
}

/// Per-grammar lookup tables by node kind id, for the walk over every node (comparing
/// kind names would convert and compare a string per node).
pub(crate) struct KindTable {
    pub function: Vec<bool>,
    pub scope: Vec<bool>,
    pub call: Vec<bool>,
    /// Subtrees that hold no function or call: types, strings, comments, imports.
    pub skip: Vec<bool>,
}

/// The table of the grammar of `node`, cached per thread.
pub(crate) fn kind_table(node: Node<'_>) -> std::rc::Rc<KindTable> {
    use std::cell::RefCell;
    use std::collections::HashMap;
    use std::rc::Rc;
    thread_local! {
        static TABLES: RefCell<HashMap<(usize, usize), Rc<KindTable>>> = RefCell::new(HashMap::new());
    }
    let lang = node.language();
    let key = (lang.node_kind_count(), lang.field_count());
    TABLES.with(|t| {
        if let Some(k) = t.borrow().get(&key) {
            return k.clone();
        }
        let n = lang.node_kind_count();
        let mut table = KindTable {
            function: vec![false; n],
            scope: vec![false; n],
            call: vec![false; n],
            skip: vec![false; n],
        };
        for id in 0..n {
            if let Some(name) = lang.node_kind_for_id(id as u16) {
                // Keywords such as `function` are anonymous nodes: only named ones count.
                let named = lang.node_kind_is_named(id as u16);
                table.function[id] = named && is_function(name);
                table.scope[id] = named && is_scope(name);
                table.call[id] = name == "call_expression";
                table.skip[id] = (name.ends_with("_type") && name != "satisfies_type")
                    || matches!(
                        name,
                        "type_annotation"
                            | "type_arguments"
                            | "type_parameters"
                            | "type_identifier"
                            | "interface_declaration"
                            | "type_alias_declaration"
                            | "enum_declaration"
                            | "import_statement"
                            | "string"
                            | "comment"
                            | "regex"
                            | "number"
                    );
            }
        }
        let rc = Rc::new(table);
        t.borrow_mut().insert(key, rc.clone());
        rc
    })
}

/// Nodes whose direct children or parameters declare names.
pub(crate) fn is_scope(kind: &str) -> bool {
    is_function(kind)
        || matches!(
            kind,
            "program"
                | "statement_block"
                | "for_in_statement"
                | "for_statement"
                | "catch_clause"
                | "switch_case"
                | "switch_default"
                | "class_body"
                | "class_static_block"
        )
}

/// Whether the module interpreter (`eval`) does anything with a statement (it ignores the rest).
pub(crate) fn executes(stmt: Node<'_>) -> bool {
    match stmt.k() {
        "expression_statement"
        | "lexical_declaration"
        | "variable_declaration"
        | "return_statement"
        | "statement_block"
        | "if_statement"
        | "else_clause"
        | "try_statement"
        | "for_in_statement"
        | "for_statement"
        | "while_statement"
        | "do_statement"
        | "labeled_statement"
        | "switch_statement" => true,
        "export_statement" => match stmt.field("declaration") {
            Some(d) => executes(d),
            None => stmt.field("value").is_some(),
        },
        _ => false,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn unescapes() {
        assert_eq!(unescape(r"a\'b\\c"), r"a'b\c");
        assert_eq!(unescape("plain"), "plain");
    }

    #[test]
    fn unescapes_single_character_escapes() {
        assert_eq!(unescape(r"\n\t\r\0"), "\n\t\r\0");
        assert_eq!(unescape(r"\b\f\v"), "\u{8}\u{c}\u{b}");
        assert_eq!(unescape(r#"\"\/\`"#), "\"/`");
    }

    #[test]
    fn unescapes_hex_and_unicode_escapes() {
        assert_eq!(unescape(r"/a\u2028b"), "/a\u{2028}b");
        assert_eq!(unescape(r"\x41\x7a"), "Az");
        assert_eq!(unescape(r"\u0041\u00e9"), "Aé");
        assert_eq!(unescape(r"\u{1F600}\u{41}\u{0000041}"), "😀AA");
        // A surrogate pair is one character.
        assert_eq!(unescape(r"\uD83D\uDE00!"), "😀!");
        assert_eq!(unescape(r"\ud83d\ude00"), "😀");
    }

    #[test]
    fn line_continuation_is_dropped() {
        assert_eq!(unescape("a\\\nb"), "ab");
        assert_eq!(unescape("a\\\r\nb"), "ab");
        assert_eq!(unescape("a\\\rb"), "ab");
        assert_eq!(unescape("a\\\u{2028}b\\\u{2029}c"), "abc");
    }

    #[test]
    fn invalid_escapes_keep_their_character() {
        assert_eq!(unescape(r"\q\é"), "qé");
        assert_eq!(unescape(r"\x4"), "x4");
        assert_eq!(unescape(r"\xZZ"), "xZZ");
        assert_eq!(unescape(r"\u12"), "u12");
        assert_eq!(unescape(r"\u{}"), "u{}");
        assert_eq!(unescape(r"\u{110000}"), "u{110000}");
        assert_eq!(unescape(r"\u{12"), "u{12");
        assert_eq!(unescape(r"\u{zz}"), "u{zz}");
        // Lone surrogates cannot be held by a Rust string.
        assert_eq!(unescape(r"\uD83Dx"), "\u{fffd}x");
        assert_eq!(unescape(r"\uDE00"), "\u{fffd}");
        assert_eq!(unescape(r"\uD83D\u0041"), "\u{fffd}A");
        assert_eq!(unescape(r"\u{D800}"), "\u{fffd}");
        // A trailing backslash (malformed literal) and multi-byte text never panic.
        assert_eq!(unescape("ab\\"), "ab");
        assert_eq!(unescape("\\"), "");
        assert_eq!(unescape(r"\xé1"), "xé1");
        assert_eq!(unescape(r"\u00é"), "u00é");
        assert_eq!(unescape(r"\u{é}"), "u{é}");
    }

    #[test]
    fn string_literals_are_unescaped() {
        let src = r"const p = '/a\u2028b';";
        let mut parser = tree_sitter::Parser::new();
        parser
            .set_language(&tree_sitter_javascript::LANGUAGE.into())
            .expect("grammar");
        let tree = parser.parse(src, None).expect("parses");
        let mut strings = Vec::new();
        let mut stack = vec![tree.root_node()];
        while let Some(n) = stack.pop() {
            if n.kind() == "string" {
                strings.push(string_value(n, src));
            }
            let mut c = n.walk();
            stack.extend(n.named_children(&mut c));
        }
        assert_eq!(strings, vec![Some("/a\u{2028}b".to_string())]);
    }
}
