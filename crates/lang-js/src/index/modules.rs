//! Module resolution: the store of indexed files, and which file an import names
//! (relative paths, `index.*` files, `tsconfig.json` `paths`; spec-v1 §4), and the
//! warnings for imports that name no scanned file.

use super::{FileInfo, Store};
use crate::syntax::{self, NodeExt};
use secprop_model::{FnId, Warning, WarningKind};
use std::collections::HashMap;
use tree_sitter::Node;

impl<'a> Store<'a> {
    /// Builds the store; function ids are assigned in file order then document order.
    pub(crate) fn new(
        mut files: Vec<FileInfo<'a>>,
        aliases: Option<crate::tsconfig::Aliases>,
    ) -> Store<'a> {
        let mut base = 0u32;
        let mut by_key = HashMap::new();
        for (i, f) in files.iter_mut().enumerate() {
            f.fn_base = base;
            base += f.fns.len() as u32;
            by_key.insert(f.p.key.clone(), i);
        }
        Store {
            files,
            by_key,
            aliases,
            generators: Vec::new(),
        }
    }

    /// The file and node of a function id.
    pub(crate) fn fn_node(&self, id: FnId) -> Option<(usize, Node<'a>)> {
        let i = self.files.partition_point(|f| f.fn_base <= id.0);
        let fi = i.checked_sub(1)?;
        let f = &self.files[fi];
        f.fns.get((id.0 - f.fn_base) as usize).map(|n| (fi, *n))
    }

    /// Follows a relative import to a project file (`./x.js` may be `./x.ts`, `./dir` may be
    /// `./dir/index.ts`); `None` for packages and unresolved paths.
    pub(crate) fn resolve_module(&self, from: usize, spec: &str) -> Option<usize> {
        if !(spec.starts_with("./") || spec.starts_with("../") || spec == "." || spec == "..") {
            // `tsconfig.json` `paths` and `baseUrl`.
            let aliases = self.aliases.as_ref()?;
            return aliases
                .candidates(spec)
                .into_iter()
                .find_map(|c| self.resolve_key(&c));
        }
        let key = &self.files[from].p.key;
        let mut parts: Vec<&str> = key.split('/').collect();
        parts.pop();
        for seg in spec.split('/') {
            match seg {
                "." | "" => {}
                ".." => {
                    parts.pop()?;
                }
                s => parts.push(s),
            }
        }
        self.resolve_key(&parts.join("/"))
    }

    /// A scan-root-relative path without or with extension, or a folder with an index.
    pub(super) fn resolve_key(&self, base: &str) -> Option<usize> {
        const EXTS: &[&str] = &["ts", "tsx", "js", "jsx", "mjs", "cjs", "mts", "cts"];
        if let Some(i) = self.by_key.get(base) {
            return Some(*i);
        }
        let stripped = ["js", "jsx", "mjs", "cjs"]
            .iter()
            .find_map(|e| base.strip_suffix(&format!(".{e}")))
            .unwrap_or(base);
        for e in EXTS {
            if let Some(i) = self.by_key.get(&format!("{stripped}.{e}")) {
                return Some(*i);
            }
        }
        for e in EXTS {
            if let Some(i) = self.by_key.get(&format!("{base}/index.{e}")) {
                return Some(*i);
            }
        }
        None
    }

    /// What a module specifier stands for in call names (spec-v1 §4): the target file's
    /// module name, else the package name (`@scope/pkg/sub` gives `pkg`), else the last
    /// path segment without extension.
    pub(crate) fn module_display(&self, from: usize, spec: &str) -> String {
        if let Some(f) = self.resolve_module(from, spec) {
            return self.files[f].module_name.clone();
        }
        if spec.starts_with('.') {
            let last = spec.rsplit('/').next().unwrap_or(spec);
            return last.split('.').next().unwrap_or(last).to_string();
        }
        let spec = spec.strip_prefix("node:").unwrap_or(spec);
        let mut parts = spec.split('/');
        let first = parts.next().unwrap_or(spec);
        if first.starts_with('@') {
            return parts.next().unwrap_or(first).to_string();
        }
        first.to_string()
    }
}

/// Relative imports and requires that name no scanned file: one warning per import that
/// names nothing on disk (a typo, a generated file), and one summary warning for all the
/// imports of files that exist but are not scanned sources — data files (`.json`),
/// declarations (`.d.ts`) and
/// files outside the target's `include` or excluded — whose values the analysis does not
/// know (issue 10: a warning per such file drowns the real ones).
pub(crate) fn unresolved_imports(store: &Store<'_>) -> Vec<Warning> {
    let mut out = Vec::new();
    // (file, span, specifier) of the first unscanned import; counts of data and sources.
    let mut first: Option<(String, secprop_model::Span, String)> = None;
    let (mut data, mut sources) = (0usize, 0usize);
    for (i, f) in store.files.iter().enumerate() {
        let mut c = f.root.walk();
        let stmts: Vec<tree_sitter::Node<'_>> = f.root.named_children(&mut c).collect();
        for s in stmts {
            let source = match s.kind() {
                "import_statement" | "export_statement" => s.field("source"),
                "lexical_declaration" | "variable_declaration" => {
                    let mut c2 = s.walk();
                    let d = s
                        .named_children(&mut c2)
                        .find(|d| d.kind() == "variable_declarator");
                    d.and_then(|d| d.field("value"))
                        .map(syntax::strip)
                        .filter(|v| {
                            v.kind() == "call_expression"
                                && v.field("function")
                                    .is_some_and(|f2| syntax::text(f2, f.src) == "require")
                        })
                        .and_then(|v| v.field("arguments"))
                        .and_then(|a| a.named_child(0))
                }
                _ => None,
            };
            let Some(source) = source else { continue };
            let Some(spec) = syntax::string_value(source, f.src) else {
                continue;
            };
            if !spec.starts_with('.') || store.resolve_module(i, &spec).is_some() {
                continue;
            }
            let sp = syntax::span(f.id, f.src, source);
            let unscanned = match on_disk(&f.p.abs, &spec) {
                Some(path) if path.ends_with(".d.ts") || crate::lang::lang_of(&path).is_none() => {
                    data += 1;
                    true
                }
                Some(_) => {
                    sources += 1;
                    true
                }
                None => false,
            };
            if unscanned {
                first.get_or_insert_with(|| (f.p.rel.clone(), sp, spec.clone()));
                continue;
            }
            out.push(Warning {
                kind: WarningKind::UnresolvedImport,
                file: f.p.rel.clone(),
                span: Some(sp),
                message: format!("cannot resolve `{spec}` to a scanned file"),
            });
        }
    }
    if let Some((file, sp, spec)) = first {
        let plural =
            |n: usize, one: &str, many: &str| format!("{n} {}", if n == 1 { one } else { many });
        let mut kinds = Vec::new();
        if data > 0 {
            kinds.push(plural(
                data,
                "data or declaration file (`.json`, `.d.ts`)",
                "data or declaration files (`.json`, `.d.ts`)",
            ));
        }
        if sources > 0 {
            kinds.push(plural(
                sources,
                "source file outside the target's `include` or excluded",
                "source files outside the target's `include` or excluded",
            ));
        }
        out.push(Warning {
            kind: WarningKind::Other,
            file,
            span: Some(sp),
            message: format!(
                "{} name files that are not scanned: {} (the first is `{spec}`); what they \
                 export is unknown to the analysis",
                plural(data + sources, "import", "imports"),
                kinds.join(", ")
            ),
        });
    }
    out
}

/// The file a relative import names on disk, next to the importing file `from` (with the
/// extensions and `index.*` files module resolution tries), when it exists.
fn on_disk(from: &std::path::Path, spec: &str) -> Option<String> {
    const EXTS: &[&str] = &[
        "ts", "tsx", "js", "jsx", "mjs", "cjs", "mts", "cts", "d.ts", "json",
    ];
    let base = from.parent()?.join(spec);
    let mut candidates = vec![base.clone()];
    let name = base.file_name()?.to_string_lossy().into_owned();
    candidates.extend(
        EXTS.iter()
            .map(|e| base.with_file_name(format!("{name}.{e}"))),
    );
    candidates.extend(EXTS.iter().map(|e| base.join(format!("index.{e}"))));
    candidates
        .into_iter()
        .find(|c| c.is_file())
        .map(|c| c.to_string_lossy().into_owned())
}
