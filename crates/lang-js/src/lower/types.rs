//! Record shapes declared in a file: TypeScript interfaces, object type aliases and
//! classes, with their field names (the model's `RecordType`), so that the checks know
//! which fields a whole value of that type carries.

use crate::index::FileInfo;
use crate::syntax::{NodeExt, span, string_value, text};
use secprop_model::RecordType;
use tree_sitter::Node;

/// Every record type declared anywhere in the file, in document order.
pub(crate) fn record_types(fi: &FileInfo<'_>) -> Vec<RecordType> {
    let mut out = Vec::new();
    let mut stack = vec![fi.root];
    while let Some(n) = stack.pop() {
        let body = match n.k() {
            "interface_declaration"
            | "class_declaration"
            | "class"
            | "abstract_class_declaration" => n.field("body"),
            "type_alias_declaration" => n.field("value").filter(|v| v.k() == "object_type"),
            _ => None,
        };
        if let (Some(name), Some(body)) = (n.field("name"), body) {
            out.push(record(fi, text(name, fi.src), body, n));
        }
        let mut c = n.walk();
        let kids: Vec<Node<'_>> = n.named_children(&mut c).collect();
        stack.extend(kids.into_iter().rev());
    }
    out
}

fn record(fi: &FileInfo<'_>, name: &str, body: Node<'_>, decl: Node<'_>) -> RecordType {
    let src = fi.src;
    let mut fields = Vec::new();
    let mut custom_serialization = false;
    let mut c = body.walk();
    for m in body.named_children(&mut c) {
        let key = m
            .field("name")
            .or_else(|| m.field("property"))
            .map(|k| string_value(k, src).unwrap_or_else(|| text(k, src).to_string()));
        let Some(key) = key else { continue };
        match m.k() {
            "property_signature" | "public_field_definition" | "field_definition" => {
                fields.push(key.trim_start_matches('#').to_string())
            }
            "method_definition" | "method_signature" if key == "toJSON" => {
                custom_serialization = true
            }
            _ => {}
        }
    }
    RecordType {
        name: name.to_string(),
        fields,
        custom_serialization,
        span: span(fi.id, src, decl),
    }
}
