//! The template environment: built-in templates per runner (embedded from
//! `templates/<runner>/`), overrides from `tests.templates`, and the escaping rules.
//!
//! Escaping is enforced, not hoped for: every template has autoescape on, and the escape
//! function refuses to write anything (tera writes numbers itself, which cannot carry
//! text). The only way to interpolate a value is the `js`
//! filter, which returns a finished, safe TS/JS literal; the built-in `safe` filter is
//! replaced by one that fails. A template that forgets the filter fails to render
//! instead of emitting raw text.

use crate::GenerateError;
use crate::escape::js_literal;
use secprop_spec::Runner;
use std::path::Path;
use tera::{Context, Kwargs, State, Tera, TeraResult, Value};

/// Names of the templates each runner's set provides.
pub const TEMPLATE_NAMES: [&str; 6] = [
    "base.tera",
    "runtime.tera",
    "harness.tera",
    "cross_tenant_denied.tera",
    "no_side_effects_before_authz.tera",
    "authentication_required.tera",
];

/// The built-in templates of a runner, or `None` when the runner has none yet.
pub fn builtin(runner: Runner) -> Option<[(&'static str, &'static str); 6]> {
    match runner {
        Runner::Vitest => Some([
            (
                "base.tera",
                include_str!("../../../templates/vitest/base.tera"),
            ),
            (
                "runtime.tera",
                include_str!("../../../templates/vitest/runtime.tera"),
            ),
            (
                "harness.tera",
                include_str!("../../../templates/vitest/harness.tera"),
            ),
            (
                "cross_tenant_denied.tera",
                include_str!("../../../templates/vitest/cross_tenant_denied.tera"),
            ),
            (
                "no_side_effects_before_authz.tera",
                include_str!("../../../templates/vitest/no_side_effects_before_authz.tera"),
            ),
            (
                "authentication_required.tera",
                include_str!("../../../templates/vitest/authentication_required.tera"),
            ),
        ]),
        Runner::Jest | Runner::Pytest | Runner::Cargo => None,
    }
}

/// A ready template environment for one runner and override folder.
pub struct Renderer {
    tera: Tera,
}

fn refuse_unescaped(_: &str, _: &mut dyn std::io::Write) -> std::io::Result<()> {
    Err(std::io::Error::other(
        "a value was interpolated without the `js` filter: write `{{ value | js }}`",
    ))
}

fn js_filter(value: &Value, _: Kwargs, _: &State) -> TeraResult<Value> {
    let json = serde_json::to_value(value).map_err(tera::Error::message)?;
    Ok(Value::safe_string(&js_literal(&json)))
}

fn safe_filter(_: &Value, _: Kwargs, _: &State) -> TeraResult<Value> {
    Err(tera::Error::message(
        "the `safe` filter is disabled in secprop templates: interpolate with `js`",
    ))
}

impl Renderer {
    /// Loads the runner's built-in templates, replaced by same-named files of `overrides`.
    /// A `.tera` file in `overrides` that names no built-in template is an error, so a
    /// typo cannot silently leave the built-in one in place.
    pub fn new(runner: Runner, overrides: Option<&Path>) -> Result<Renderer, GenerateError> {
        let builtin = builtin(runner).ok_or(GenerateError::UnsupportedRunner {
            runner: runner.as_str().to_string(),
        })?;
        let mut sources: Vec<(String, String)> = builtin
            .iter()
            .map(|(n, c)| (n.to_string(), c.to_string()))
            .collect();
        if let Some(dir) = overrides {
            let entries = std::fs::read_dir(dir).map_err(|source| GenerateError::Io {
                path: dir.to_path_buf(),
                source,
            })?;
            let mut names: Vec<_> = entries.filter_map(|e| e.ok()).map(|e| e.path()).collect();
            names.sort();
            for path in names {
                let Some(name) = path.file_name().and_then(|n| n.to_str()) else {
                    continue;
                };
                if !name.ends_with(".tera") {
                    continue;
                }
                let Some(slot) = sources.iter_mut().find(|(n, _)| n == name) else {
                    return Err(GenerateError::UnknownTemplate {
                        path: path.clone(),
                        known: TEMPLATE_NAMES.join(", "),
                    });
                };
                slot.1 = std::fs::read_to_string(&path).map_err(|source| GenerateError::Io {
                    path: path.clone(),
                    source,
                })?;
            }
        }
        let mut tera = Tera::new();
        tera.register_filter("js", js_filter);
        tera.register_filter("safe", safe_filter);
        tera.set_escape_fn(refuse_unescaped);
        tera.autoescape_on([".tera"]);
        tera.add_raw_templates(sources.iter().map(|(n, c)| (n.as_str(), c.as_str())))
            .map_err(|e| GenerateError::Template {
                template: "templates".to_string(),
                message: error_text(&e),
            })?;
        Ok(Renderer { tera })
    }

    /// Renders one template with `context`.
    pub fn render(&self, template: &str, context: &Context) -> Result<String, GenerateError> {
        self.tera
            .render(template, context)
            .map_err(|e| GenerateError::Template {
                template: template.to_string(),
                message: error_text(&e),
            })
    }
}

/// Tera's message with its causes, on one line each.
fn error_text(e: &tera::Error) -> String {
    let mut out = e.to_string();
    let mut source = std::error::Error::source(e);
    while let Some(s) = source {
        out.push_str(": ");
        out.push_str(&s.to_string());
        source = s.source();
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn env(tpl: &str) -> Tera {
        let mut tera = Tera::new();
        tera.register_filter("js", js_filter);
        tera.register_filter("safe", safe_filter);
        tera.set_escape_fn(refuse_unescaped);
        tera.autoescape_on([".tera"]);
        tera.add_raw_template("t.tera", tpl).unwrap();
        tera
    }

    #[test]
    fn js_filter_makes_literals() {
        let mut ctx = Context::new();
        ctx.insert("v", "a\"`${b}`\n");
        ctx.insert("n", &[403, 404]);
        let out = env("x({{ v | js }}, {{ n | js }})")
            .render("t.tera", &ctx)
            .unwrap();
        assert_eq!(out, r#"x("a\"`${b}`\n", [403, 404])"#);
    }

    #[test]
    fn raw_interpolation_is_refused() {
        let mut ctx = Context::new();
        ctx.insert("v", "x");
        ctx.insert("n", &1);
        assert!(env("{{ v }}").render("t.tera", &ctx).is_err());
        ctx.insert("a", &["x"]);
        assert!(env("{{ a }}").render("t.tera", &ctx).is_err());
        // Numbers are written as digits by tera itself; they cannot carry text.
        assert_eq!(env("{{ n }}").render("t.tera", &ctx).unwrap(), "1");
        assert!(env("{{ v | safe }}").render("t.tera", &ctx).is_err());
        assert!(env("{{ v | upper }}").render("t.tera", &ctx).is_err());
        assert!(env("{{ v | escape }}").render("t.tera", &ctx).is_err());
    }
}
