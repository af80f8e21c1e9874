//! FastAPI and Flask frontend: parses Python with tree-sitter and produces the
//! language-neutral [`secprop_model::Project`] (routes with their chains, lowered function
//! bodies, declared record types) per spec-v1 §4–§6.
//!
//! Pipeline: `secprop-source` finds and loads the `.py` files; each is parsed (`parse`);
//! `index` names modules (`app/api/__init__.py` is `app.api`), reads imports and resolves
//! names across modules; the function table gives every `def` one `FnId` (file order,
//! then document order); `routes` interprets module top levels for apps, routers,
//! blueprints, inclusions and hooks; `lower` turns every body into the model's statements.
//!
//! Conventions:
//! - FastAPI `{id}` and Flask `<int:id>` are `{id}`; `{p:path}` and `<path:p>` are `{p*}`;
//! - a chain is, in order: app dependencies (or Flask `before_request` hooks), those of
//!   each `include_router`/`register_blueprint` and router on the way, the decorator's
//!   `dependencies=[...]`, decorators written below the route decorator, then the
//!   handler's `Depends`/`Security` parameters (`ChainKind::Signature`); a dependency's
//!   own dependencies come before it;
//! - a route of a router or blueprint no app includes, a computed path or a handler that
//!   is not a project function is listed with `unresolved`, never dropped;
//! - what a handler returns is its response (`StmtKind::Respond`, method `return`), with
//!   the status of `return body, 403` or `JSONResponse(..., status_code=403)`.

mod index;
mod lower;
mod path;
mod routes;

use index::{Module, Modules, span, text};
use secprop_model::{
    FileId, FnId, Function, Param, ParseDamage, Project, RecordType, SourceFile, Warning,
};
pub use secprop_source::ScanOptions;
use secprop_source::{Discovered, parse_error};
use std::collections::{BTreeSet, HashMap};
use tree_sitter::{Node, Parser};

/// The FastAPI frontend, for the registry of frontends (`secprop-frontends`).
#[derive(Debug, Clone, Copy, Default)]
pub struct FastApi;

/// The Flask frontend, for the registry of frontends (`secprop-frontends`).
#[derive(Debug, Clone, Copy, Default)]
pub struct Flask;

impl secprop_source::Frontend for FastApi {
    fn framework(&self) -> &'static str {
        "fastapi"
    }
    fn extensions(&self) -> &'static [&'static str] {
        &["py"]
    }
    fn scan(&self, files: Discovered, opts: &ScanOptions) -> Project {
        scan_files(files, opts, "fastapi")
    }
}

impl secprop_source::Frontend for Flask {
    fn framework(&self) -> &'static str {
        "flask"
    }
    fn extensions(&self) -> &'static [&'static str] {
        &["py"]
    }
    fn scan(&self, files: Discovered, opts: &ScanOptions) -> Project {
        scan_files(files, opts, "flask")
    }
}

/// Scans a FastAPI or Flask target (both frameworks' syntax is recognised either way).
/// Never fails: what cannot be read or parsed is a warning.
pub fn scan(opts: &ScanOptions) -> Project {
    secprop_source::scan(&FastApi, opts)
}

fn scan_files(files: Discovered, opts: &ScanOptions, framework: &str) -> Project {
    let Discovered {
        files: cands,
        mut warnings,
    } = files;
    let mut parser = Parser::new();
    let grammar_ok = parser
        .set_language(&tree_sitter_python::LANGUAGE.into())
        .is_ok();
    let mut modules: Vec<Module> = Vec::new();
    let mut sources: Vec<SourceFile> = Vec::new();
    for c in &cands {
        let rel = secprop_source::rel_path(&opts.repo_root, c);
        let loaded = match secprop_source::read(c, rel) {
            Ok(l) => l,
            Err(w) => {
                warnings.push(w);
                continue;
            }
        };
        warnings.extend(loaded.warning.clone());
        let tree = match grammar_ok
            .then(|| parser.parse(&loaded.text, None))
            .flatten()
        {
            Some(t) => t,
            None => {
                warnings.push(secprop_source::skipped(
                    loaded.rel.clone(),
                    "the Python parser could not read the file".into(),
                ));
                continue;
            }
        };
        let file = FileId(sources.len() as u32);
        let (name, is_package) = index::module_name(&c.key);
        sources.push(SourceFile {
            path: loaded.rel.clone(),
            abs_path: c.abs.clone(),
            parse_error: None,
            parse_damage: ParseDamage::default(),
        });
        modules.push(Module {
            file,
            rel: loaded.rel,
            name,
            is_package,
            src: loaded.text,
            tree,
            imports: HashMap::new(),
            defs: HashMap::new(),
        });
    }

    // The function table: every `def`, file order then document order.
    let mut next = 0u32;
    for m in &mut modules {
        let mut defs = HashMap::new();
        for (_, name, top) in functions(m.tree.root_node(), &m.src) {
            if top {
                defs.entry(name).or_insert(FnId(next));
            }
            next += 1;
        }
        m.defs = defs;
        m.imports = index::imports(m);
    }
    let mods = Modules::new(&modules);
    let mut fns: Vec<(usize, Node<'_>)> = Vec::new();
    let mut fn_names = Vec::new();
    for (i, m) in modules.iter().enumerate() {
        for (n, name, _) in functions(m.tree.root_node(), &m.src) {
            fns.push((i, n));
            fn_names.push(name);
        }
    }

    let inp = routes::Input {
        mods: &mods,
        fns: &fns,
    };
    let (routes, route_params) = routes::discover(&inp);
    let handlers: BTreeSet<FnId> = routes.iter().filter_map(|r| r.handler).collect();

    let mut functions_out = Vec::with_capacity(fns.len());
    for (i, (mi, def)) in fns.iter().enumerate() {
        let id = FnId(i as u32);
        let m = &modules[*mi];
        let params = params(*def, &m.src);
        let own: BTreeSet<&str> = params.iter().map(|p| p.name.as_str()).collect();
        let rp = route_params
            .get(&id)
            .map(|s| {
                s.iter()
                    .filter(|p| own.contains(p.as_str()))
                    .cloned()
                    .collect()
            })
            .unwrap_or_default();
        let cx = lower::Cx {
            mods: &mods,
            module: *mi,
            file: m.file,
            src: &m.src,
            route_params: rp,
            handler: handlers.contains(&id),
        };
        let body = def
            .child_by_field_name("body")
            .map(|b| cx.block(b))
            .unwrap_or_default();
        functions_out.push(Function {
            id,
            name: fn_names[i].clone(),
            span: span(m.file, *def, &m.src),
            is_async: def.child(0).is_some_and(|c| c.kind() == "async"),
            params,
            return_type: def
                .child_by_field_name("return_type")
                .map(|t| text(t, &m.src).to_string()),
            body,
        });
    }

    let mut types = Vec::new();
    for m in &modules {
        record_types(m.tree.root_node(), m, &mut types);
    }

    // Syntax errors: located, with what they may have cost.
    for m in &modules {
        let Some(err) = first_error(m.tree.root_node()) else {
            continue;
        };
        let sp = span(m.file, err, &m.src);
        let written = registrations(&m.src, 0);
        let listed = routes
            .iter()
            .filter(|r| r.span.file == m.file)
            .map(|r| (r.span.start_byte, r.handler_name.clone()))
            .collect::<BTreeSet<_>>()
            .len() as u32;
        let damage = ParseDamage {
            registrations_after: registrations(&m.src, sp.line),
            lost_routes: written.saturating_sub(listed),
        };
        sources[m.file.0 as usize].parse_error = Some(sp);
        sources[m.file.0 as usize].parse_damage = damage;
        warnings.push(parse_error(m.rel.clone(), sp, damage));
    }

    Project {
        framework: framework.to_string(),
        files: sources,
        routes,
        functions: functions_out,
        warnings: sort_warnings(warnings),
        types,
    }
}

fn sort_warnings(mut w: Vec<Warning>) -> Vec<Warning> {
    w.sort_by(|a, b| {
        (&a.file, a.span.map(|s| s.start_byte)).cmp(&(&b.file, b.span.map(|s| s.start_byte)))
    });
    w
}

/// Every `def` below `n` in document order: node, qualified name (`Class.method` for a
/// method), and whether it is a module-level name.
fn functions<'t>(n: Node<'t>, src: &str) -> Vec<(Node<'t>, String, bool)> {
    let mut out = Vec::new();
    collect_functions(n, src, None, true, &mut out);
    out
}

fn collect_functions<'t>(
    n: Node<'t>,
    src: &str,
    class: Option<&str>,
    top: bool,
    out: &mut Vec<(Node<'t>, String, bool)>,
) {
    let mut cur = n.walk();
    for c in n.named_children(&mut cur) {
        match c.kind() {
            "function_definition" => {
                let name = c
                    .child_by_field_name("name")
                    .map(|x| text(x, src))
                    .unwrap_or("<anonymous>");
                let q = match class {
                    Some(k) => format!("{k}.{name}"),
                    None => name.to_string(),
                };
                out.push((c, q, top));
                if let Some(b) = c.child_by_field_name("body") {
                    collect_functions(b, src, None, false, out);
                }
            }
            "class_definition" => {
                let name = c.child_by_field_name("name").map(|x| text(x, src));
                if let Some(b) = c.child_by_field_name("body") {
                    collect_functions(b, src, name, top, out);
                }
            }
            "lambda" | "string" => {}
            _ => collect_functions(c, src, class, top, out),
        }
    }
}

fn params(def: Node<'_>, src: &str) -> Vec<Param> {
    let mut out = Vec::new();
    let Some(ps) = def.child_by_field_name("parameters") else {
        return out;
    };
    let mut cur = ps.walk();
    for p in ps.named_children(&mut cur) {
        let (name, ty) = match p.kind() {
            "identifier" => (Some(text(p, src)), None),
            "typed_parameter" => (
                p.named_child(0).map(|n| text(n, src)),
                p.child_by_field_name("type").map(|t| text(t, src)),
            ),
            "default_parameter" | "typed_default_parameter" => (
                p.child_by_field_name("name").map(|n| text(n, src)),
                p.child_by_field_name("type").map(|t| text(t, src)),
            ),
            "list_splat_pattern" | "dictionary_splat_pattern" => {
                (p.named_child(0).map(|n| text(n, src)), None)
            }
            _ => (None, None),
        };
        if let Some(name) = name {
            out.push(Param {
                name: name.to_string(),
                ty: ty.map(str::to_string),
            });
        }
    }
    out
}

/// Classes with annotated fields (pydantic models, dataclasses, SQLModel tables) as
/// record shapes; one with its own serializer (`model_dump`, `dict`, `to_dict`,
/// `model_config`, `model_serializer`) is marked custom.
fn record_types(n: Node<'_>, m: &Module, out: &mut Vec<RecordType>) {
    let src = m.src.as_str();
    let mut cur = n.walk();
    for c in n.named_children(&mut cur) {
        let class = match c.kind() {
            "class_definition" => c,
            "decorated_definition" => match c.child_by_field_name("definition") {
                Some(d) if d.kind() == "class_definition" => d,
                _ => continue,
            },
            _ => continue,
        };
        let (Some(name), Some(body)) = (
            class.child_by_field_name("name"),
            class.child_by_field_name("body"),
        ) else {
            continue;
        };
        let mut fields = Vec::new();
        let mut custom = false;
        let mut bc = body.walk();
        for s in body.named_children(&mut bc) {
            let s = if s.kind() == "decorated_definition" {
                s.child_by_field_name("definition").unwrap_or(s)
            } else {
                s
            };
            match s.kind() {
                "expression_statement" => {
                    if let Some(a) = s.named_child(0)
                        && a.kind() == "assignment"
                        && let Some(l) = a.child_by_field_name("left")
                        && l.kind() == "identifier"
                    {
                        let f = text(l, src);
                        if f == "model_config" || f == "Config" {
                            custom = true;
                        } else if a.child_by_field_name("type").is_some() {
                            fields.push(f.to_string());
                        }
                    }
                }
                "function_definition" => {
                    let f = s.child_by_field_name("name").map(|x| text(x, src));
                    if matches!(
                        f,
                        Some("model_dump" | "dict" | "to_dict" | "model_serializer" | "__json__")
                    ) {
                        custom = true;
                    }
                }
                "class_definition"
                    if s.child_by_field_name("name").map(|x| text(x, src)) == Some("Config") =>
                {
                    custom = true;
                }
                _ => {}
            }
        }
        if !fields.is_empty() {
            out.push(RecordType {
                name: text(name, src).to_string(),
                fields,
                custom_serialization: custom,
                span: span(m.file, class, src),
            });
        }
    }
}

/// The first ERROR or MISSING node in document order.
fn first_error(root: Node<'_>) -> Option<Node<'_>> {
    if !root.has_error() {
        return None;
    }
    let mut node = root;
    'outer: loop {
        if node.is_error() || node.is_missing() {
            return Some(node);
        }
        let mut cur = node.walk();
        for child in node.children(&mut cur) {
            if child.has_error() || child.is_missing() || child.is_error() {
                node = child;
                continue 'outer;
            }
        }
        return Some(node);
    }
}

/// Route registrations written at or after `from_line` (1-based; 0 for all), counted in
/// the text: decorators and calls that register a route on an app, router or blueprint.
fn registrations(src: &str, from_line: u32) -> u32 {
    const MARKS: &[&str] = &[
        ".get(",
        ".post(",
        ".put(",
        ".delete(",
        ".patch(",
        ".route(",
        ".api_route(",
        ".add_url_rule(",
        ".add_api_route(",
    ];
    src.lines()
        .enumerate()
        .filter(|(i, _)| *i as u32 + 1 >= from_line)
        .filter(|(_, l)| {
            let t = l.trim_start();
            let registers = MARKS.iter().any(|m| t.contains(m));
            registers && (t.starts_with('@') || t.contains(".add_"))
        })
        .count() as u32
}
