//! Integration tests.
// Every tree-sitter grammar loads and parses.
mod grammars;
// `secprop validate`: every spec error class, and valid specs.
mod spec_errors;
// `secprop explain` lists and prints the property catalog.
mod explain;
// End to end on Express: generated vitest tests fail by name on each vulnerable variant.
mod e2e_express;
