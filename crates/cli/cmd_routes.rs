//! `secprop routes`: every route with its location, handler, chain guards and the
//! properties that select it (spec-v1 §10), then the uncovered routes.

use crate::args::{Common, RoutesFormat};
use crate::output;
use crate::workspace::{Depth, Scanned, load_spec, print_warnings, scan_selected};
use anyhow::Result;
use secprop_report::printable;
use secprop_spec::LoadedSpec;
use serde::Serialize;

const FORMATS: &[&str] = &["human", "json"];

/// One row of the table; the fields of `routes --format json`, in spec-v1 §10 order.
#[derive(Serialize)]
struct Row {
    target: String,
    framework: String,
    method: String,
    path: String,
    file: String,
    line: u32,
    column: u32,
    handler: String,
    properties: Vec<String>,
    public: bool,
    /// Not a field of the JSON output: the human table's uncovered list.
    #[serde(skip)]
    covered: bool,
    guards: Vec<secprop_check::selection::ChainGuard>,
    /// Chain steps that may or may not run for the route (never counted as guards).
    #[serde(skip_serializing_if = "Vec::is_empty")]
    may_apply: Vec<String>,
    unresolved: Option<String>,
    /// The project's own tests of the route, happy-path and negative (an addition to
    /// spec-v1 §10), when the target has any test file with requests to the app.
    #[serde(skip_serializing_if = "Option::is_none")]
    existing_tests: Option<secprop_existing::Counts>,
}

/// Exit 0, or 1 under `--strict` when a route is unresolved.
pub fn run(
    common: &Common,
    format: RoutesFormat,
    strict: bool,
    output_args: &[String],
) -> Result<u8> {
    let outputs = output::parse(output_args, FORMATS)?;
    let spec = load_spec(common)?;
    let Scanned { projects, warnings } = scan_selected(&spec, Depth::Routes, &common.target)?;
    let rows = rows(&spec, &projects);
    if format == RoutesFormat::Human {
        print_warnings(&warnings);
    }
    let has_properties = !spec.spec.properties.is_empty();
    let render = |fmt: &str| match fmt {
        "json" => render_json(&rows, &warnings),
        _ => render_human(&rows, has_properties),
    };
    let main = match format {
        RoutesFormat::Human => "human",
        RoutesFormat::Json => "json",
    };
    output::emit(&outputs, &render(main))?;
    for (fmt, file) in &outputs.extra {
        output::write_atomic(file, &render(fmt))?;
    }
    // The process ends right after this: freeing a large model piece by piece takes
    // longer than the operating system reclaiming it at exit.
    std::mem::forget(projects);
    let unresolved = rows.iter().filter(|r| r.unresolved.is_some()).count();
    if strict && unresolved > 0 {
        eprintln!(
            "secprop routes --strict: {unresolved} route{} could not be resolved",
            if unresolved == 1 { "" } else { "s" }
        );
        return Ok(1);
    }
    Ok(0)
}

fn rows(spec: &LoadedSpec, projects: &[(String, secprop_model::Project)]) -> Vec<Row> {
    let mut rows = Vec::new();
    // The route plan says which properties apply, as `check` and `generate` see them.
    let planner = secprop_plan::Planner::new(&spec.spec);
    for (target, project) in projects {
        let plans = planner.target(target, project);
        let guards = secprop_check::route_guards(&spec.spec, project);
        let counts = existing_counts(spec, target, project);
        for (i, ((route, plan), guards)) in project.routes.iter().zip(plans).zip(guards).enumerate()
        {
            let span = route.span;
            rows.push(Row {
                target: target.clone(),
                framework: project.framework.clone(),
                method: route.method.clone(),
                path: route.path(),
                file: project.file(span.file).path.clone(),
                line: span.line,
                column: span.column,
                handler: route.handler_name.clone(),
                properties: plan.property_ids(&spec.spec),
                public: plan.public,
                covered: plan.covered(),
                guards,
                may_apply: route
                    .chain
                    .iter()
                    .filter(|e| e.may_apply)
                    .map(|e| {
                        e.names
                            .first()
                            .map(String::from)
                            .or_else(|| e.factory.first().map(|f| format!("{f}()")))
                            .unwrap_or_else(|| "<fn>".into())
                    })
                    .collect(),
                unresolved: route.unresolved.clone(),
                existing_tests: counts.as_ref().map(|c| c[i]),
            });
        }
    }
    rows
}

/// Per route of a target, the counts of the project's own tests, or `None` when the
/// target's folder holds no test request to the app at all.
pub fn existing_counts(
    spec: &LoadedSpec,
    target: &str,
    project: &secprop_model::Project,
) -> Option<Vec<secprop_existing::Counts>> {
    let t = spec.spec.targets.iter().find(|t| t.name == target)?;
    let tests = secprop_existing::find(&spec.dir.join(&t.root), &spec.repo_root);
    (!tests.is_empty()).then(|| secprop_existing::counts(project, &tests))
}

fn render_json(rows: &[Row], warnings: &[String]) -> String {
    #[derive(Serialize)]
    struct Document<'a> {
        schema: &'static str,
        version: &'static str,
        routes: &'a [Row],
        errors: &'a [String],
    }
    let doc = Document {
        schema: "secprop/routes/v1",
        version: env!("CARGO_PKG_VERSION"),
        routes: rows,
        errors: warnings,
    };
    let mut s = serde_json::to_string_pretty(&doc).expect("routes serialise");
    s.push('\n');
    s
}

fn render_human(rows: &[Row], has_properties: bool) -> String {
    let header = [
        "METHOD",
        "PATH",
        "LOCATION",
        "HANDLER",
        "GUARDS",
        "PROPERTIES",
    ];
    let with_tests = rows.iter().any(|r| r.existing_tests.is_some());
    let mut table: Vec<Vec<String>> = vec![header.map(String::from).to_vec()];
    if with_tests {
        table[0].push("TESTS".into());
    }
    for r in rows {
        let mut guards: Vec<String> = r.guards.iter().map(|g| g.name.clone()).collect();
        guards.extend(r.may_apply.iter().map(|m| format!("{m} (may apply)")));
        let mut props = r.properties.join(", ");
        if r.public {
            props = if props.is_empty() {
                "public".into()
            } else {
                format!("public, {props}")
            };
        }
        let handler = match &r.unresolved {
            Some(reason) => format!("unresolved: {}", printable(reason)),
            None => printable(&r.handler).into_owned(),
        };
        let mut row = [
            r.method.clone(),
            printable(&r.path).into_owned(),
            format!("{}:{}", printable(&r.file), r.line),
            handler,
            if guards.is_empty() {
                "-".into()
            } else {
                guards.join(", ")
            },
            if props.is_empty() { "-".into() } else { props },
        ]
        .to_vec();
        if with_tests {
            row.push(match r.existing_tests {
                Some(c) => format!("{} happy, {} negative", c.happy, c.negative),
                None => "-".into(),
            });
        }
        table.push(row);
    }
    let widths: Vec<usize> = (0..table[0].len())
        .map(|i| {
            table
                .iter()
                .map(|row| row[i].chars().count())
                .max()
                .unwrap_or(0)
        })
        .collect();
    let mut out = String::new();
    for row in &table {
        let mut line = String::new();
        for (i, cell) in row.iter().enumerate() {
            if i + 1 == row.len() {
                line.push_str(cell);
            } else {
                line.push_str(cell);
                line.push_str(&" ".repeat(widths[i] - cell.chars().count() + 2));
            }
        }
        out.push_str(line.trim_end());
        out.push('\n');
    }
    let unresolved = rows.iter().filter(|r| r.unresolved.is_some()).count();
    out.push_str(&format!(
        "\n{} route{}, {unresolved} unresolved",
        rows.len(),
        if rows.len() == 1 { "" } else { "s" }
    ));
    if has_properties {
        let uncovered: Vec<&Row> = rows.iter().filter(|r| !r.covered).collect();
        out.push_str(&format!(", {} uncovered\n", uncovered.len()));
        if !uncovered.is_empty() {
            out.push_str(
                "\nUncovered routes (no property selects them and they are not public):\n",
            );
            for r in uncovered {
                out.push_str(&format!(
                    "  {} {}  {}:{}\n",
                    r.method,
                    printable(&r.path),
                    printable(&r.file),
                    r.line
                ));
            }
        }
    } else {
        out.push('\n');
    }
    out
}
