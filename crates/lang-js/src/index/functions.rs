//! The function table: every function node of a file gets its `FnId` once, in document
//! order, with its qualified name and the scopes around it.

use super::{FileInfo, looks_like_registration};
use crate::syntax::{self, NodeExt, callee_path, is_function, string_value, text};
use tree_sitter::Node;

impl<'a> FileInfo<'a> {
    pub(super) fn collect_functions(&mut self) {
        /// A step of the pre-order walk: visit a node, or leave the last node entered.
        enum Step<'a> {
            Visit(Node<'a>),
            Leave,
        }
        /// Up to this many named children are fetched by index (each fetch rescans the
        /// earlier children); wider nodes are listed with a cursor.
        const BY_INDEX: usize = 16;
        let mut cursor = self.root.walk();
        let src = self.src;
        let kinds = syntax::kind_table(self.root);
        // Ancestors of the current node, root first: names and scopes come from them.
        let mut stack: Vec<Node<'a>> = Vec::new();
        // Indices (into `fns`) of the functions among `stack`, with their stack depth.
        let mut fstack: Vec<(usize, usize)> = Vec::new();
        // Pre-order walk over named nodes only (anonymous nodes are tokens, which never
        // hold a function or a call; no grammar has an anonymous node with children), so
        // document order of function nodes is their start order. Fetching children by
        // index from an explicit stack visits a tree in about half the time of a
        // `TreeCursor` walk over every node, and the explicit stack, unlike recursion,
        // copes with any nesting depth.
        let mut work = vec![Step::Visit(self.root)];
        while let Some(step) = work.pop() {
            let node = match step {
                Step::Visit(node) => node,
                Step::Leave => {
                    stack.pop();
                    if fstack.last().is_some_and(|(d, _)| *d == stack.len()) {
                        fstack.pop();
                    }
                    continue;
                }
            };
            let kid = node.kind_id() as usize;
            let is_function = kinds.function.get(kid).copied().unwrap_or(false);
            if is_function {
                let idx = self.fns.len() as u32;
                let range = (node.start_byte(), node.end_byte());
                self.fn_by_range.insert(range, idx);
                self.fn_ranges.push(range);
                self.fns.push(node);
                self.fn_names
                    .push(fn_name(src, &self.module_name, node, &stack));
                self.fn_scopes.push(
                    stack
                        .iter()
                        .filter(|n| {
                            kinds
                                .scope
                                .get(n.kind_id() as usize)
                                .copied()
                                .unwrap_or(false)
                        })
                        .copied()
                        .collect(),
                );
                self.routey.push(false);
            } else if kinds.call.get(kid).copied().unwrap_or(false)
                && let Some(f) = node.field("function")
            {
                let routey = if f.k() == "member_expression"
                    && let Some(prop) = f.field("property")
                {
                    let name = text(prop, src);
                    if looks_like_registration(node, name) {
                        self.route_like.push(node);
                        true
                    } else {
                        name == "Router"
                    }
                } else if f.k() == "subscript_expression"
                    && f.field("index").is_some_and(|i| i.k() != "string")
                    && node
                        .field("arguments")
                        .is_some_and(|a| a.named_child_count() >= 2)
                {
                    // `app[method](path, handler)`: a registration whose method is computed.
                    self.route_like.push(node);
                    true
                } else {
                    matches!(text(f, src), "express" | "Router")
                };
                // Functions that register routes or create routers are worth interpreting.
                if routey {
                    for (_, fi) in &fstack {
                        self.routey[*fi] = true;
                    }
                }
            }
            if kinds.skip.get(kid).copied().unwrap_or(false) {
                continue;
            }
            let count = node.named_child_count();
            if count == 0 {
                continue;
            }
            if is_function {
                fstack.push((stack.len(), self.fns.len() - 1));
            }
            stack.push(node);
            work.push(Step::Leave);
            // Children go on the stack last first, so the first is visited next.
            if count <= BY_INDEX {
                work.extend(
                    (0..count)
                        .rev()
                        .filter_map(|i| node.named_child(i as u32))
                        .map(Step::Visit),
                );
            } else {
                let at = work.len();
                work.extend(node.named_children(&mut cursor).map(Step::Visit));
                work[at..].reverse();
            }
        }
    }
}

/// The qualified name of a function node (`membership.canView`, `ReportsController.show`).
///
/// `anc` holds the node's ancestors, root first (tree-sitter's `parent()` walks down from
/// the root each time, so the names are computed during the indexing walk instead).
pub(crate) fn fn_name<'a>(
    src: &'a str,
    module_name: &str,
    node: Node<'a>,
    anc: &[Node<'a>],
) -> String {
    let parent = |n: Node<'a>| -> Option<Node<'a>> {
        if n.id() == node.id() {
            return anc.last().copied();
        }
        let i = anc.iter().rposition(|a| a.id() == n.id())?;
        i.checked_sub(1).map(|j| anc[j])
    };
    let top = |n: Node<'a>| {
        let mut p = parent(n);
        while let Some(x) = p {
            match x.k() {
                "program" => return true,
                "export_statement"
                | "lexical_declaration"
                | "variable_declaration"
                | "variable_declarator" => p = parent(x),
                _ => return false,
            }
        }
        false
    };
    let qualify = |n: &str, at: Node<'a>| {
        if top(at) {
            format!("{}.{n}", module_name)
        } else {
            n.to_string()
        }
    };
    let class_name = |body: Node<'a>| -> Option<String> {
        let class = parent(body)?;
        if let Some(n) = class.field("name") {
            return Some(text(n, src).to_string());
        }
        let decl = parent(class)?;
        if decl.k() == "variable_declarator" {
            return decl.field("name").map(|n| text(n, src).to_string());
        }
        None
    };
    let holder_name = |obj: Node<'a>| -> Option<String> {
        let p = parent(obj)?;
        match p.k() {
            "variable_declarator" => p.field("name").map(|n| text(n, src).to_string()),
            "assignment_expression" => {
                let path = callee_path(p.field("left")?, src)?;
                if path == ["module", "exports"] {
                    Some(module_name.to_string())
                } else {
                    Some(path.join("."))
                }
            }
            "pair" => p.field("key").map(|k| text(k, src).to_string()),
            "export_statement" => Some(module_name.to_string()),
            _ => None,
        }
    };
    match node.k() {
        "function_declaration" | "generator_function_declaration" => match node.field("name") {
            Some(n) => qualify(text(n, src), node),
            None => "<anonymous>".into(),
        },
        "method_definition" => {
            let m = node
                .field("name")
                .map(|n| text(n, src))
                .unwrap_or("<anonymous>");
            let Some(par) = parent(node) else {
                return m.to_string();
            };
            let owner = match par.k() {
                "class_body" => class_name(par),
                "object" => holder_name(par),
                _ => None,
            };
            match owner {
                Some(o) => format!("{o}.{m}"),
                None => m.to_string(),
            }
        }
        _ => {
            let own = node.field("name").map(|n| text(n, src).to_string());
            let Some(p) = parent(node) else {
                return own.unwrap_or_else(|| "<anonymous>".into());
            };
            // `list = asyncHandler(async (req, res) => ...)`: the wrapped function takes the
            // name the wrapper's result is bound to.
            if p.k() == "arguments"
                && anc.len() >= 2
                && let call = anc[anc.len() - 2]
                && call.k() == "call_expression"
                && call
                    .field("function")
                    .is_some_and(|f| f.k() == "identifier")
            {
                let n = fn_name(src, module_name, call, &anc[..anc.len() - 2]);
                if n != "<anonymous>" {
                    return n;
                }
            }
            if let Some(own) = own
                && !matches!(
                    p.k(),
                    "variable_declarator"
                        | "pair"
                        | "assignment_expression"
                        | "public_field_definition"
                        | "field_definition"
                )
            {
                return own;
            }
            match p.k() {
                "variable_declarator" => match p.field("name") {
                    Some(n) if n.k() == "identifier" => qualify(text(n, src), p),
                    _ => "<anonymous>".into(),
                },
                "pair" => {
                    let key = p
                        .field("key")
                        .map(|k| string_value(k, src).unwrap_or_else(|| text(k, src).to_string()));
                    let holder = parent(p).and_then(holder_name);
                    match (holder, key) {
                        (Some(h), Some(k)) => format!("{h}.{k}"),
                        (None, Some(k)) => k,
                        _ => "<anonymous>".into(),
                    }
                }
                "public_field_definition" | "field_definition" => {
                    let f = p
                        .field("name")
                        .or_else(|| p.field("property"))
                        .map(|n| text(n, src));
                    match (parent(p).and_then(class_name), f) {
                        (Some(c), Some(f)) => format!("{c}.{f}"),
                        (None, Some(f)) => f.to_string(),
                        _ => "<anonymous>".into(),
                    }
                }
                "assignment_expression" => {
                    let Some(path) = p.field("left").and_then(|l| callee_path(l, src)) else {
                        return "<anonymous>".into();
                    };
                    let l = p.field("left");
                    let this_based = l
                        .and_then(|l| l.field("object"))
                        .is_some_and(|o| o.k() == "this");
                    match path
                        .iter()
                        .map(|s| s.as_str())
                        .collect::<Vec<_>>()
                        .as_slice()
                    {
                        ["module", "exports"] => module_name.to_string(),
                        ["module", "exports", rest @ ..] | ["exports", rest @ ..] => {
                            format!("{}.{}", module_name, rest.join("."))
                        }
                        [c, "prototype", m] => format!("{c}.{m}"),
                        [m] if this_based => {
                            // `this.m = function` in a constructor function `C`.
                            let mut cur = parent(p);
                            while let Some(x) = cur {
                                if x.k() == "function_declaration"
                                    && let Some(n) = x.field("name")
                                {
                                    return format!("{}.{m}", text(n, src));
                                }
                                if is_function(x.k())
                                    && x.k() != "arrow_function"
                                    && x.k() != "function_declaration"
                                {
                                    break;
                                }
                                cur = parent(x);
                            }
                            (*m).to_string()
                        }
                        _ => path.join("."),
                    }
                }
                "export_statement" => format!("{}.default", module_name),
                _ => "<anonymous>".into(),
            }
        }
    }
}
