//! Integration tests.
// Every tree-sitter grammar loads and parses.
mod grammars;
