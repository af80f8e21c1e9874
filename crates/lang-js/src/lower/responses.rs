//! Responses and `next`: `res.status(403).send()` as a response event, `next()` and
//! `next(err)` as the chain's continue step (spec-v1 §6: a response is not an exit).

use super::Lw;
use crate::syntax::{self, NodeExt, strip, text};
use secprop_model::{Expr, Respond, Stmt, StmtKind};
use tree_sitter::Node;

/// Methods of the Express response whose call sends or shapes a response.
const RES_METHODS: &[&str] = &[
    "status",
    "sendStatus",
    "send",
    "json",
    "jsonp",
    "end",
    "redirect",
    "render",
    "sendFile",
    "download",
    "cookie",
    "clearCookie",
    "set",
    "header",
    "append",
    "type",
    "contentType",
    "location",
    "attachment",
    "vary",
    "links",
    "format",
    "setHeader",
    "writeHead",
    "write",
];

impl<'s, 'a> Lw<'s, 'a> {
    /// Whether an expression is a response or `next` call (so `ok && res.send()` is a branch).
    pub(super) fn is_event(&self, node: Node<'a>) -> bool {
        let node = strip(node);
        self.res_chain(node).is_some() || self.next_callee(node)
    }

    pub(super) fn next_callee(&self, node: Node<'a>) -> bool {
        let node = strip(node);
        node.k() == "call_expression"
            && node.field("function").map(strip).is_some_and(|f| {
                f.k() == "identifier" && self.next.iter().any(|n| n == text(f, self.src))
            })
    }

    /// `next()` → `Some(None)`, `next(err)` → `Some(Some(err))`.
    pub(super) fn next_call(&mut self, node: Node<'a>) -> Option<Option<Expr>> {
        let node = strip(node);
        let node = if node.k() == "await_expression" {
            strip(node.named_child(0)?)
        } else {
            node
        };
        if !self.next_callee(node) {
            return None;
        }
        let arg = node.field("arguments").and_then(|a| {
            let mut c = a.walk();
            a.named_children(&mut c).find(|n| n.k() != "comment")
        });
        Some(arg.map(|a| self.expr(a)))
    }

    /// The links of `res.status(403).json(x)`: `[(status, call), (json, call)]`.
    pub(super) fn res_chain(&self, node: Node<'a>) -> Option<Vec<(String, Node<'a>)>> {
        self.res_chain_at(node, 0)
    }

    pub(super) fn res_chain_at(
        &self,
        node: Node<'a>,
        depth: u32,
    ) -> Option<Vec<(String, Node<'a>)>> {
        // A response chain is a few links long; generated chains are not responses.
        if depth > 32 {
            return None;
        }
        let node = strip(node);
        let node = if node.k() == "await_expression" {
            strip(node.named_child(0)?)
        } else {
            node
        };
        if node.k() != "call_expression" {
            return None;
        }
        let callee = strip(node.field("function")?);
        if callee.k() != "member_expression" {
            return None;
        }
        let m = text(callee.field("property")?, self.src);
        // `stream.pipe(res)` sends the stream.
        if m == "pipe"
            && let Some(a) = syntax::call_args(node).first().map(|a| strip(*a))
            && a.k() == "identifier"
            && self.res.iter().any(|r| r == text(a, self.src))
        {
            return Some(vec![(m.to_string(), node)]);
        }
        if !RES_METHODS.contains(&m) {
            return None;
        }
        let obj = strip(callee.field("object")?);
        let mut links = match obj.k() {
            "identifier" if self.res.iter().any(|r| r == text(obj, self.src)) => Vec::new(),
            "call_expression" => self.res_chain_at(obj, depth + 1)?,
            _ => return None,
        };
        links.push((m.to_string(), node));
        Some(links)
    }

    pub(super) fn respond_stmts(&mut self, node: Node<'a>) -> Option<Vec<Stmt>> {
        let links = self.res_chain(node)?;
        let src = self.src;
        let mut out = Vec::new();
        let mut status = self.pending_status.take();
        let mut terminal = false;
        for (m, call) in links {
            let args: Vec<Node<'a>> = syntax::call_args(call);
            let num =
                |n: Option<&Node<'a>>| n.and_then(|n| text(strip(*n), src).parse::<u16>().ok());
            let sp = self.sp(call);
            match m.as_str() {
                "status" | "writeHead" => status = num(args.first()),
                "sendStatus" => {
                    terminal = true;
                    out.push(Stmt {
                        kind: StmtKind::Respond(Respond {
                            method: m,
                            status: num(args.first()),
                            payload: None,
                            sends: true,
                        }),
                        span: sp,
                    });
                }
                "send" | "json" | "jsonp" | "end" | "sendFile" | "download" | "format"
                | "write" => {
                    terminal = true;
                    let payload = args.first().map(|a| self.expr(*a));
                    out.push(Stmt {
                        kind: StmtKind::Respond(Respond {
                            method: m,
                            status,
                            payload,
                            sends: true,
                        }),
                        span: sp,
                    });
                }
                "pipe" => {
                    terminal = true;
                    let stream = strip(call.field("function")?).field("object");
                    out.push(Stmt {
                        kind: StmtKind::Respond(Respond {
                            method: m,
                            status,
                            payload: stream.map(|o| self.expr(o)),
                            sends: true,
                        }),
                        span: sp,
                    });
                }
                "redirect" => {
                    terminal = true;
                    if args.len() >= 2 {
                        status = num(args.first()).or(status);
                    }
                    let payload = args.last().map(|a| self.expr(*a));
                    out.push(Stmt {
                        kind: StmtKind::Respond(Respond {
                            method: m,
                            status,
                            payload,
                            sends: true,
                        }),
                        span: sp,
                    });
                }
                "render" => {
                    terminal = true;
                    let payload = args.get(1).map(|a| self.expr(*a));
                    out.push(Stmt {
                        kind: StmtKind::Respond(Respond {
                            method: m,
                            status,
                            payload,
                            sends: true,
                        }),
                        span: sp,
                    });
                }
                _ => {
                    // Headers and cookies are part of the response channel.
                    let payload = match args.len() {
                        0 => None,
                        1 => Some(self.expr(args[0])),
                        _ => Some(Expr::Array(
                            args[1..].iter().map(|a| self.expr(*a)).collect(),
                        )),
                    };
                    out.push(Stmt {
                        kind: StmtKind::Respond(Respond {
                            method: m,
                            status: None,
                            payload,
                            sends: false,
                        }),
                        span: sp,
                    });
                }
            }
        }
        if !terminal && out.is_empty() {
            // A bare `res.status(403);`: the next response in this block gets it.
            self.pending_status = status;
        }
        Some(out)
    }
}
