//! Escapers, one per language of generated code: how a template value becomes a literal
//! and how text is kept inside a line comment. A runner profile picks one ([`JS`] for
//! vitest, and for jest next); runners of one language share it.

pub mod js;

use serde_json::Value as Json;

/// The syntax of one language as far as generated code needs it. Every value a template
/// interpolates goes through [`Syntax::literal`] (the `lit` filter), and the generated
/// header is two [`Syntax::line_comment`] lines.
#[derive(Debug)]
pub struct Syntax {
    /// The language's name, for messages.
    pub name: &'static str,
    /// What starts a line comment, with the space after it: `// `.
    pub line_comment: &'static str,
    /// A finished literal of the language whose value is exactly the JSON value.
    pub literal: fn(&Json) -> String,
    /// Text that stays inside a line comment: no line terminator can end it early.
    pub comment_text: fn(&str) -> String,
}

/// TypeScript and JavaScript (both emit the same literals and comments).
pub const JS: Syntax = Syntax {
    name: "TypeScript/JavaScript",
    line_comment: "// ",
    literal: js::js_literal,
    comment_text: js::comment_text,
};
