//! axum frontend: parses Rust with `syn` (spans from `proc-macro2`'s `span-locations`)
//! and produces the language-neutral [`secprop_model::Project`] (spec-v1 §4–§6).
//!
//! Pipeline: `secprop-source` finds and loads the `.rs` files; each is parsed with
//! `syn::parse_file`; `index` builds the module tree (a file's module comes from its path
//! below `src/`, `mod.rs`, `main.rs` and `lib.rs` as Rust has them, plus inline `mod x {}`),
//! `use` declarations and the function table; `routes` evaluates the router each function
//! builds and keeps those no other function nests, merges or returns; `lower` turns every
//! function body (and each closure) into the model's statements.
//!
//! Output conventions:
//! - files are sorted by path; `Project.functions[i].id == FnId(i)`: functions in file
//!   order, then closures in the order they were found;
//! - routes are sorted by (file, start of the `.route(..)` call, canonical path, method);
//! - a file `syn` cannot parse is a `ParseError` warning at the error's line and column
//!   with the `.route(` registrations it holds counted as lost, never a panic; a handler
//!   in such a file leaves its route `unresolved`, never dropped;
//! - `#[cfg(test)]` modules and `#[test]` functions are not part of the app.
//!
//! Spans come from a per-thread source map, so parsing and lowering run on the calling
//! thread; the map is released when the scan ends.

mod actix;
mod index;
mod lower;
mod path;
mod routes;

use index::{FnDef, Index, ModKey, is_test, type_text};
use secprop_model::{
    FileId, FnId, ParseDamage, Project, RecordType, Route, Segment, SourceFile, Span, Stmt,
    Warning, WarningKind,
};
pub use secprop_source::ScanOptions;
use secprop_source::{Discovered, Frontend, rel_path};
use std::collections::{BTreeMap, BTreeSet};
use syn::spanned::Spanned;

/// The axum frontend, for the registry of frontends (`secprop-frontends`).
#[derive(Debug, Clone, Copy, Default)]
pub struct Axum;

impl Frontend for Axum {
    fn framework(&self) -> &'static str {
        "axum"
    }

    fn extensions(&self) -> &'static [&'static str] {
        &["rs"]
    }

    fn scan(&self, files: Discovered, opts: &ScanOptions) -> Project {
        scan_files(files, opts, Web::Axum)
    }
}

/// The actix-web frontend (spec name `actix-web`): the same parsing, names and lowering as
/// axum, with actix's routing (`actix` module).
#[derive(Debug, Clone, Copy, Default)]
pub struct Actix;

impl Frontend for Actix {
    fn framework(&self) -> &'static str {
        "actix-web"
    }

    fn extensions(&self) -> &'static [&'static str] {
        &["rs"]
    }

    fn scan(&self, files: Discovered, opts: &ScanOptions) -> Project {
        scan_files(files, opts, Web::Actix)
    }
}

/// Discovers and scans an axum target (for tests and tools).
pub fn scan(opts: &ScanOptions) -> Project {
    secprop_source::scan(&Axum, opts)
}

/// Discovers and scans an actix-web target (for tests and tools).
pub fn scan_actix(opts: &ScanOptions) -> Project {
    secprop_source::scan(&Actix, opts)
}

/// Which framework's routing a scan reads; everything else is shared.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Web {
    Axum,
    Actix,
}

impl Web {
    fn name(self) -> &'static str {
        match self {
            Web::Axum => "axum",
            Web::Actix => "actix-web",
        }
    }

    /// Text that marks a route registration, for counting what a syntax error cost.
    fn registrations(self) -> &'static [&'static str] {
        match self {
            Web::Axum => &[".route("],
            Web::Actix => actix::REGISTRATIONS,
        }
    }
}

/// A function without an item of its own: a closure or an async block, or a `match` used
/// as a value (already lowered).
#[derive(Clone)]
pub(crate) struct ExtraFn {
    pub module: ModKey,
    pub file: FileId,
    pub self_ty: Option<String>,
    pub inputs: Vec<syn::Pat>,
    pub body: syn::Expr,
    pub is_async: bool,
    pub span: Span,
    pub lowered: Option<Vec<Stmt>>,
}

/// A model span from a `proc-macro2` span (lines 1-based; columns counted in characters,
/// made 1-based).
pub(crate) fn span_of(file: FileId, s: proc_macro2::Span) -> Span {
    let (a, b) = (s.start(), s.end());
    let r = s.byte_range();
    Span {
        file,
        line: a.line as u32,
        column: a.column as u32 + 1,
        end_line: b.line as u32,
        end_column: b.column as u32 + 1,
        start_byte: r.start as u32,
        end_byte: r.end as u32,
    }
}

/// The span of a method call from its name to its closing parenthesis (`.route(..)`
/// without the receiver).
pub(crate) fn method_span(file: FileId, m: &syn::ExprMethodCall) -> Span {
    let s = m.method.span();
    span_of(file, s.join(m.paren_token.span.close()).unwrap_or(s))
}

/// The crate (folder holding `src/`) and module path of a file: `src/handlers/docs.rs` is
/// `handlers::docs`, `src/handlers/mod.rs` is `handlers`, `src/main.rs` the crate root.
fn module_of(key: &str) -> ModKey {
    let parts: Vec<&str> = key.split('/').collect();
    let Some(src) = parts.iter().rposition(|p| *p == "src") else {
        let stem = key.strip_suffix(".rs").unwrap_or(key);
        return ModKey {
            krate: stem.to_string(),
            path: Vec::new(),
        };
    };
    let krate = parts[..src].join("/");
    let mut path: Vec<String> = parts[src + 1..].iter().map(|s| s.to_string()).collect();
    if let Some(last) = path.pop() {
        let stem = last.strip_suffix(".rs").unwrap_or(&last).to_string();
        let root = path.is_empty() && matches!(stem.as_str(), "main" | "lib");
        if path.first().map(String::as_str) == Some("bin") {
            // `src/bin/x.rs` is its own crate root.
            return ModKey {
                krate: format!("{krate}/bin/{stem}"),
                path: Vec::new(),
            };
        }
        if !root && stem != "mod" {
            path.push(stem);
        }
    }
    ModKey { krate, path }
}

struct Parsed {
    file: FileId,
    rel: String,
    module: ModKey,
    ast: syn::File,
}

fn scan_files(found: Discovered, opts: &ScanOptions, web: Web) -> Project {
    let mut project = Project {
        framework: web.name().into(),
        ..Project::default()
    };
    project.warnings.extend(found.warnings);
    let mut cands = found.files;
    cands.sort_by(|a, b| a.key.cmp(&b.key));
    let mut parsed = Vec::new();
    let mut broken: BTreeMap<ModKey, String> = BTreeMap::new();
    for c in &cands {
        let rel = rel_path(&opts.repo_root, c);
        let text = match secprop_source::read(c, rel.clone()) {
            Ok(t) => t,
            Err(w) => {
                project.warnings.push(w);
                continue;
            }
        };
        project.warnings.extend(text.warning.clone());
        let file = FileId(project.files.len() as u32);
        let mut sf = SourceFile {
            path: rel.clone(),
            abs_path: c.abs.clone(),
            parse_error: None,
            parse_damage: ParseDamage::default(),
        };
        match syn::parse_file(&text.text) {
            Ok(ast) => parsed.push(Parsed {
                file,
                rel: rel.clone(),
                module: module_of(&c.key),
                ast,
            }),
            Err(e) => {
                let sp = span_of(file, e.span());
                // Nothing of the file is used: every registration in it is lost.
                let regs: Vec<usize> = web
                    .registrations()
                    .iter()
                    .flat_map(|r| text.text.match_indices(r).map(|(i, _)| i))
                    .collect();
                let damage = ParseDamage {
                    registrations_after: regs.iter().filter(|&&i| i as u32 >= sp.start_byte).count()
                        as u32,
                    lost_routes: regs.len() as u32,
                };
                sf.parse_error = Some(sp);
                sf.parse_damage = damage;
                broken.insert(module_of(&c.key), rel.clone());
                project.warnings.push(Warning {
                    kind: WarningKind::ParseError,
                    file: rel.clone(),
                    span: Some(sp),
                    message: format!(
                        "syntax error at {}:{}: {e}; the file is not used{}",
                        sp.line,
                        sp.column,
                        damage.note()
                    ),
                });
            }
        }
        project.files.push(sf);
    }

    let mut ix = Index::default();
    // Names first (so `use` can tell a local module from an external crate), then uses,
    // then functions and types.
    for p in &parsed {
        declare(&mut ix, &p.module, &p.ast.items);
    }
    for p in &parsed {
        uses(&mut ix, &p.module, &p.ast.items);
    }
    let mut serialize_impls = BTreeSet::new();
    for p in &parsed {
        items(
            &mut ix,
            p.file,
            &p.module,
            &p.ast.items,
            &mut serialize_impls,
        );
    }
    for t in &mut ix.types {
        if serialize_impls.contains(&t.name) {
            t.custom_serialization = true;
        }
    }
    for p in &parsed {
        missing_modules(&ix, p, &broken, &mut project.warnings);
    }

    let mut extra = Vec::new();
    let entries = match web {
        Web::Axum => routes::find(&ix, &mut extra, &broken),
        Web::Actix => actix::find(&ix, &mut extra, &broken, &parsed),
    };

    let mut route_params: BTreeMap<FnId, Vec<Vec<String>>> = BTreeMap::new();
    let mut handlers = BTreeSet::new();
    for e in &entries {
        let params: Vec<String> = e
            .segments
            .iter()
            .filter_map(|s| match s {
                Segment::Param(p) | Segment::CatchAll(p) => Some(p.clone()),
                Segment::Literal(_) => None,
            })
            .collect();
        for f in e
            .handler
            .iter()
            .chain(e.chain.iter().filter_map(|c| c.function.as_ref()))
        {
            route_params.entry(*f).or_default().push(params.clone());
        }
        if let Some(h) = e.handler {
            handlers.insert(h);
        }
    }

    let mut functions = Vec::new();
    {
        let mut lw = lower::Lowerer {
            ix: &ix,
            extra: &mut extra,
            route_params: &route_params,
            handlers: &handlers,
        };
        let mut i = 0;
        while i < lw.ix.fns.len() + lw.extra.len() {
            functions.push(lw.function(FnId(i as u32)));
            i += 1;
        }
    }
    project.functions = functions;

    let mut routes: Vec<Route> = entries;
    routes.sort_by(|a, b| {
        (a.span.file, a.span.start_byte, a.path(), &a.method).cmp(&(
            b.span.file,
            b.span.start_byte,
            b.path(),
            &b.method,
        ))
    });
    project.routes = routes;
    project.types = std::mem::take(&mut ix.types);
    drop(parsed);
    drop(ix);
    drop(extra);
    proc_macro2::extra::invalidate_current_thread_spans();
    project
}

/// Records the names a module defines, recursing into inline modules.
fn declare(ix: &mut Index, m: &ModKey, items: &[syn::Item]) {
    let info = ix.modules.entry(m.clone()).or_default();
    let mut inline = Vec::new();
    for it in items {
        let name = match it {
            syn::Item::Fn(f) if !is_test(&f.attrs) => Some(f.sig.ident.to_string()),
            syn::Item::Struct(s) => Some(s.ident.to_string()),
            syn::Item::Enum(s) => Some(s.ident.to_string()),
            syn::Item::Type(s) => Some(s.ident.to_string()),
            syn::Item::Trait(s) => Some(s.ident.to_string()),
            syn::Item::Const(s) => Some(s.ident.to_string()),
            syn::Item::Static(s) => Some(s.ident.to_string()),
            syn::Item::Mod(md) if !is_test(&md.attrs) => {
                if let Some((_, its)) = &md.content {
                    inline.push((md.ident.to_string(), its));
                }
                Some(md.ident.to_string())
            }
            _ => None,
        };
        if let Some(n) = name {
            info.items.insert(n);
        }
    }
    for (name, its) in inline {
        declare(ix, &m.child(&name), its);
    }
}

fn uses(ix: &mut Index, m: &ModKey, items: &[syn::Item]) {
    for it in items {
        match it {
            syn::Item::Use(u) => ix.add_use(m, &u.tree),
            syn::Item::Mod(md) if !is_test(&md.attrs) => {
                if let Some((_, its)) = &md.content {
                    uses(ix, &m.child(&md.ident.to_string()), its);
                }
            }
            _ => {}
        }
    }
}

fn items(
    ix: &mut Index,
    file: FileId,
    m: &ModKey,
    items_: &[syn::Item],
    serialize_impls: &mut BTreeSet<String>,
) {
    let qual = |name: &str| -> String {
        let mut p = m.path.clone();
        p.push(name.to_string());
        p.join("::")
    };
    let abs = |rest: &[&str]| -> (String, Vec<String>) {
        let mut p = vec!["crate".to_string()];
        p.extend(m.path.iter().cloned());
        p.extend(rest.iter().map(|s| s.to_string()));
        (m.krate.clone(), p)
    };
    for it in items_ {
        match it {
            syn::Item::Fn(f) if !is_test(&f.attrs) => {
                let id = FnId(ix.fns.len() as u32);
                let name = f.sig.ident.to_string();
                ix.by_path.insert(abs(&[&name]), id);
                ix.fns.push(FnDef {
                    module: m.clone(),
                    file,
                    name: qual(&name),
                    self_ty: None,
                    sig: f.sig.clone(),
                    block: (*f.block).clone(),
                    span: span_of(file, f.span()),
                });
            }
            syn::Item::Impl(im) => {
                let Some((ty_path, _)) = index::type_head(&im.self_ty) else {
                    continue;
                };
                let ty = ty_path
                    .segments
                    .last()
                    .map(|s| s.ident.to_string())
                    .unwrap_or_default();
                let trait_name = im
                    .trait_
                    .as_ref()
                    .and_then(|(p, _)| p.segments.last())
                    .map(|s| s.ident.to_string());
                if trait_name.as_deref() == Some("Serialize") {
                    serialize_impls.insert(ty.clone());
                }
                for ii in &im.items {
                    let syn::ImplItem::Fn(f) = ii else { continue };
                    if is_test(&f.attrs) {
                        continue;
                    }
                    let id = FnId(ix.fns.len() as u32);
                    let name = f.sig.ident.to_string();
                    ix.by_path.entry(abs(&[&ty, &name])).or_insert(id);
                    if matches!(
                        trait_name.as_deref(),
                        Some("FromRequestParts" | "FromRequest")
                    ) && matches!(name.as_str(), "from_request_parts" | "from_request")
                    {
                        ix.extractors.insert(abs(&[&ty]), id);
                    }
                    ix.fns.push(FnDef {
                        module: m.clone(),
                        file,
                        name: qual(&format!("{ty}::{name}")),
                        self_ty: Some(ty.clone()),
                        sig: f.sig.clone(),
                        block: f.block.clone(),
                        span: span_of(file, f.span()),
                    });
                }
            }
            syn::Item::Struct(s) => {
                let syn::Fields::Named(named) = &s.fields else {
                    continue;
                };
                let all: Vec<String> = named
                    .named
                    .iter()
                    .filter_map(|f| f.ident.as_ref().map(|i| i.to_string()))
                    .collect();
                ix.structs.insert(abs(&[&s.ident.to_string()]), all);
                // Fields the serializer removes are not part of what is sent (spec-v1 §7).
                let kept = named
                    .named
                    .iter()
                    .filter(|f| !serde_skips(&f.attrs))
                    .filter_map(|f| f.ident.as_ref().map(|i| i.to_string()))
                    .collect();
                ix.types.push(RecordType {
                    name: s.ident.to_string(),
                    fields: kept,
                    custom_serialization: false,
                    span: span_of(file, s.span()),
                });
            }
            syn::Item::Mod(md) if !is_test(&md.attrs) => {
                if let Some((_, its)) = &md.content {
                    items(
                        ix,
                        file,
                        &m.child(&md.ident.to_string()),
                        its,
                        serialize_impls,
                    );
                }
            }
            _ => {}
        }
    }
}

/// `#[serde(skip)]` or `#[serde(skip_serializing)]` on a field.
fn serde_skips(attrs: &[syn::Attribute]) -> bool {
    attrs.iter().any(|a| {
        a.path().is_ident("serde") && {
            let t = type_text(&a.meta);
            t.split(|c: char| !(c.is_alphanumeric() || c == '_'))
                .any(|w| w == "skip" || w == "skip_serializing")
        }
    })
}

/// A warning for each `mod x;` whose file is not among the scanned files.
fn missing_modules(
    ix: &Index,
    p: &Parsed,
    broken: &BTreeMap<ModKey, String>,
    out: &mut Vec<Warning>,
) {
    for it in &p.ast.items {
        let syn::Item::Mod(md) = it else { continue };
        if md.content.is_some() || is_test(&md.attrs) {
            continue;
        }
        let key = p.module.child(&md.ident.to_string());
        let has_path_attr = md.attrs.iter().any(|a| a.path().is_ident("path"));
        let known = ix
            .modules
            .keys()
            .any(|k| k.krate == key.krate && k.path.starts_with(&key.path));
        if !known && !broken.contains_key(&key) && !has_path_attr {
            let sp = span_of(p.file, md.span());
            out.push(Warning {
                kind: WarningKind::UnresolvedImport,
                file: p.rel.clone(),
                span: Some(sp),
                message: format!(
                    "module `{}` declared at line {} has no scanned file (`{}.rs` or `{}/mod.rs`): its routes and handlers are unknown",
                    md.ident, sp.line, md.ident, md.ident
                ),
            });
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn modules_from_paths() {
        let m = |k: &str| {
            let m = module_of(k);
            format!("{}|{}", m.krate, m.path.join("::"))
        };
        assert_eq!(m("src/main.rs"), "|");
        assert_eq!(m("src/handlers/mod.rs"), "|handlers");
        assert_eq!(m("src/handlers/docs.rs"), "|handlers::docs");
        assert_eq!(m("svc/src/lib.rs"), "svc|");
        assert_eq!(m("src/bin/tool.rs"), "/bin/tool|");
    }
}
