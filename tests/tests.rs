//! Integration tests.
// Every tree-sitter grammar loads and parses.
mod grammars;
// `secprop validate`: every spec error class, and valid specs.
mod spec_errors;
// `secprop explain` lists and prints the property catalog.
mod explain;
// End to end on Express: generated vitest tests fail by name on each vulnerable variant.
mod e2e_express;
// Static checks: annotated Express fixtures, `expect:`/`ok:` matched exactly both ways.
mod check_fixtures;
// Static checks on axum: the same annotated fixtures, scanned by the Rust frontend.
mod check_axum;
// Static checks on annotated FastAPI and Flask fixtures, through their frontends.
mod check_fixtures_py;
// `routes` and `check` on the report example: formats, outputs, exit codes.
mod cli;
// `scan_routes` selects routes and finds chain guards exactly as the full scan does.
mod routes_scan;
// The gate never passes silently: selector typos, missing roots, unsupported runners.
mod gate;
// Check and generate consume one route plan: the same (route, property) pairs.
mod plan_agreement;
// Every property kind has its catalog entry, rule, test builder and templates.
mod registry;
// `review --base REF` on real git history: routes, dependencies, sinks, exit codes.
mod review;
// `init` on fixture apps: a spec that loads and checks, never overwriting.
mod init;
// The project's own FastAPI, Flask and axum tests: happy-path or negative, per route.
mod existing_tests;
// Hostile repositories, safe writes and `--target` (issue 14).
mod hostile;
