//! The template environment: a runner profile's built-in templates, overrides from
//! `tests.templates`, and the escaping rules.
//!
//! Escaping is enforced, not hoped for: every template has autoescape on, and the escape
//! function refuses to write anything (tera writes numbers itself, which cannot carry
//! text). The only way to interpolate a value is the `lit` filter, which returns a
//! finished, safe literal of the profile's language; the built-in `safe` filter is
//! replaced by one that fails. A template that forgets the filter fails to render
//! instead of emitting raw text.

use crate::GenerateError;
use crate::escape::Syntax;
use crate::runner::RunnerProfile;
use std::path::Path;
use tera::{Context, Kwargs, State, Tera, TeraResult, Value};

/// A ready template environment for one runner and override folder.
pub struct Renderer {
    tera: Tera,
}

fn refuse_unescaped(_: &str, _: &mut dyn std::io::Write) -> std::io::Result<()> {
    Err(std::io::Error::other(
        "a value was interpolated without the `lit` filter: write `{{ value | lit }}`",
    ))
}

fn safe_filter(_: &Value, _: Kwargs, _: &State) -> TeraResult<Value> {
    Err(tera::Error::message(
        "the `safe` filter is disabled in secprop templates: interpolate with `lit`",
    ))
}

/// A tera environment with the escaping rules of the module docs, whose `lit` filter
/// writes literals of `syntax`.
fn environment(syntax: &'static Syntax) -> Tera {
    let mut tera = Tera::new();
    tera.register_filter(
        "lit",
        move |value: &Value, _: Kwargs, _: &State| -> TeraResult<Value> {
            let json = serde_json::to_value(value).map_err(tera::Error::message)?;
            Ok(Value::safe_string(&(syntax.literal)(&json)))
        },
    );
    tera.register_filter("safe", safe_filter);
    tera.set_escape_fn(refuse_unescaped);
    tera.autoescape_on([".tera"]);
    tera
}

impl Renderer {
    /// Loads the runner's built-in templates, replaced by same-named files of `overrides`.
    /// A `.tera` file in `overrides` that names no built-in template is an error, so a
    /// typo cannot silently leave the built-in one in place.
    pub fn new(
        profile: &'static dyn RunnerProfile,
        overrides: Option<&Path>,
    ) -> Result<Renderer, GenerateError> {
        let mut sources: Vec<(String, String)> = profile
            .templates()
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
                        known: profile
                            .templates()
                            .iter()
                            .map(|(n, _)| *n)
                            .collect::<Vec<_>>()
                            .join(", "),
                    });
                };
                slot.1 = std::fs::read_to_string(&path).map_err(|source| GenerateError::Io {
                    path: path.clone(),
                    source,
                })?;
            }
        }
        let mut tera = environment(profile.syntax());
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
        let mut tera = environment(&crate::escape::JS);
        tera.add_raw_template("t.tera", tpl).unwrap();
        tera
    }

    #[test]
    fn lit_filter_makes_literals() {
        let mut ctx = Context::new();
        ctx.insert("v", "a\"`${b}`\n");
        ctx.insert("n", &[403, 404]);
        let out = env("x({{ v | lit }}, {{ n | lit }})")
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
        // The filter has one neutral name whatever the language; others do not load.
        assert!(
            environment(&crate::escape::JS)
                .add_raw_template("t.tera", "{{ v | js }}")
                .is_err()
        );
    }
}
