//! Routes made by a library call (the spec extension `context.route_generators`,
//! `specs/extensions.md`): a call matching a generator's pattern registers the routes the
//! generator lists on its router, below its path, with handlers taken from its handler
//! argument, exactly as if each were an `app.METHOD(path, handler)` written at the call.

use super::{Ev, Item, Op, PathArg, Val};
use crate::syntax::{NodeExt, callee_path, strip, text};
use secprop_source::RouteGenerator;
use tree_sitter::Node;

impl<'s, 'a> Ev<'s, 'a> {
    /// When `call` matches a route generator, registers its routes and returns the call's
    /// value (unknown); `None` for any other call.
    pub(super) fn generator_call(
        &mut self,
        file: usize,
        call: Node<'a>,
        callee: Node<'a>,
        args: &[Node<'a>],
        scopes: &[Node<'a>],
    ) -> Option<Val<'a>> {
        let src = self.src(file);
        let written = callee_path(callee, src).filter(|w| !w.is_empty())?;
        let mut names = vec![written.join(".")];
        if let Some(mut r) =
            self.store
                .import_path(&mut self.scope_cache, file, scopes, &written[0])
        {
            r.extend(written[1..].iter().cloned());
            let r = r.join(".");
            if !names.contains(&r) {
                names.push(r);
            }
        }
        let store = self.store;
        let g = store.generators.iter().find(|g| (g.matches)(&names))?;
        // A registration call: the fallback interpreter need not look at it again (the
        // same call interpreted twice records its routes once, see `push_op`).
        self.it
            .as_mut()?
            .visited_calls
            .insert((file, call.start_byte()));
        let router = self.generator_router(file, call, callee, args, scopes, g)?;
        let prefixes = self.generator_paths(file, args, scopes, g);
        let handler_base = g
            .handler_arg
            .and_then(|i| args.get(i as usize))
            .map(|a| (strip(*a), self.eval(file, *a, scopes)));
        for r in &g.routes {
            let path = match &prefixes {
                PathArg::Paths(ps) => {
                    let chosen: Vec<&String> = match r.path_item {
                        Some(k) => ps.get(k as usize).into_iter().collect(),
                        None => ps.iter().collect(),
                    };
                    if chosen.is_empty() {
                        PathArg::Unresolved(format!(
                            "`{}` has no path number {} for `{} {}`",
                            g.call,
                            r.path_item.unwrap_or(0),
                            r.method,
                            r.path
                        ))
                    } else {
                        PathArg::Paths(chosen.iter().map(|p| join(p, &r.path)).collect())
                    }
                }
                other => other.clone(),
            };
            let item =
                self.generated_handler(file, call, handler_base.as_ref(), r.handler.as_deref(), g);
            self.push_op(
                router,
                Op::Route {
                    methods: vec![r.method.clone()],
                    path,
                    items: vec![item],
                    file,
                    start: call,
                    end: call,
                },
            );
        }
        Some(Val::Unknown)
    }

    /// The router the generated routes go on: `router_arg`, else the call's receiver.
    fn generator_router(
        &mut self,
        file: usize,
        call: Node<'a>,
        callee: Node<'a>,
        args: &[Node<'a>],
        scopes: &[Node<'a>],
        g: &RouteGenerator,
    ) -> Option<super::RouterId> {
        let node = match g.router_arg {
            Some(i) => args.get(i as usize).copied().map(strip),
            None => callee.field("object").map(strip),
        };
        let val = node.map(|n| self.eval(file, n, scopes));
        match val {
            Some(Val::Router(r)) => Some(r),
            Some(Val::Free {
                file: ff,
                func,
                index,
                name,
            }) => Some(self.free_router(ff, func, index, name)),
            _ => {
                // Not a known router: keep the routes, unresolved, on a router named by
                // the expression (or the call).
                let shown = node
                    .map(|n| text(n, self.src(file)).to_string())
                    .unwrap_or_else(|| format!("the router of `{}`", g.call));
                self.unresolved_router(file, node.unwrap_or(call), shown)
            }
        }
    }

    /// The generator's path or paths: `path_arg` (with its property path), else `/`.
    fn generator_paths(
        &mut self,
        file: usize,
        args: &[Node<'a>],
        scopes: &[Node<'a>],
        g: &RouteGenerator,
    ) -> PathArg {
        let Some(a) = &g.path_arg else {
            return PathArg::Paths(vec![String::new()]);
        };
        let Some(node) = args.get(a.index as usize).copied() else {
            return PathArg::Unresolved(format!(
                "`{}` has no argument {} for its path",
                g.call, a.index
            ));
        };
        if a.keys.is_empty() {
            return self.path_arg(file, node, scopes);
        }
        let mut v = self.eval(file, node, scopes);
        for k in &a.keys {
            v = self.member(&v, k);
        }
        self.paths_of(v).unwrap_or_else(|| {
            PathArg::Unresolved(format!(
                "the path of `{}` (`{}.{}`) is not a static string",
                g.call,
                text(node, self.src(file)),
                a.keys.join(".")
            ))
        })
    }

    /// The handler of one generated route: the handler argument's member, the argument
    /// itself, or (without `handler_arg`) the library's own handler, named by the call.
    fn generated_handler(
        &mut self,
        file: usize,
        call: Node<'a>,
        base: Option<&(Node<'a>, Val<'a>)>,
        member: Option<&str>,
        g: &RouteGenerator,
    ) -> Item<'a> {
        let Some((node, val)) = base else {
            return Item {
                file,
                node: call,
                val: Val::PackageResult(g.call.clone()),
                wrapped: None,
                unresolved: None,
                name: Some(g.call.clone()),
            };
        };
        let shown = text(*node, self.src(file)).to_string();
        let (val, name) = match member {
            Some(m) => (self.member(val, m), format!("{shown}.{m}")),
            None => (val.clone(), shown),
        };
        let unresolved = match &val {
            Val::Func(_) | Val::Package(_) | Val::PackageResult(_) => None,
            _ => Some(format!(
                "handler `{name}` of `{}` could not be resolved",
                g.call
            )),
        };
        Item {
            file,
            node: *node,
            val,
            wrapped: None,
            unresolved,
            name: Some(name),
        }
    }
}

/// A generator's path joined with a route's own: `/users` and `/:id` give `/users/:id`.
fn join(prefix: &str, path: &str) -> String {
    if path.is_empty() {
        return if prefix.is_empty() {
            "/".into()
        } else {
            prefix.into()
        };
    }
    format!("{}{path}", prefix.trim_end_matches('/'))
}
