//! Command-line arguments (spec-v1 §10). Every command takes `--spec FILE`.

use clap::{Args, Parser, Subcommand, ValueEnum};
use std::path::PathBuf;

#[derive(Debug, Parser)]
#[command(
    name = "secprop",
    version,
    about = "Turns your security properties into static checks and generated negative tests",
    after_help = "Exit status: 0 clean, 1 findings (check) or stale tests (generate --check), 2 bad spec, usage or internal error."
)]
pub struct Cli {
    #[command(subcommand)]
    pub command: Command,
}

/// Options every command takes.
#[derive(Debug, Args, Clone, Default)]
pub struct Common {
    /// The spec file; by default `secprop.yaml` or `secprop.yml` found by walking up from
    /// the current folder to the repository root.
    #[arg(long, value_name = "FILE", global = true)]
    pub spec: Option<PathBuf>,
    /// Only this spec target (repeatable), so a CI matrix can split a monorepo; an
    /// unknown name is an error listing the targets.
    #[arg(long = "target", value_name = "NAME", global = true)]
    pub target: Vec<String>,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Every route: method, full path, file:line, handler, chain guards, the properties
    /// that select it.
    Routes {
        #[arg(long, value_enum, default_value_t = RoutesFormat::Human)]
        format: RoutesFormat,
        /// Exit 1 when a route could not be resolved (its path or chain unknown).
        #[arg(long)]
        strict: bool,
        /// FILE: write the output there instead of stdout; FORMAT=FILE: also write FORMAT.
        #[arg(short, long, value_name = "FILE|FORMAT=FILE")]
        output: Vec<String>,
        #[command(flatten)]
        common: Common,
    },
    /// Static checks, coverage and generated-test freshness.
    Check {
        #[arg(long, value_enum, default_value_t = CheckFormat::Human)]
        format: CheckFormat,
        /// The lowest severity that makes the exit status 1.
        #[arg(long, value_enum, default_value_t = FailOn::Low)]
        fail_on: FailOn,
        /// FILE: write the output there instead of stdout; FORMAT=FILE: also write FORMAT.
        #[arg(short, long, value_name = "FILE|FORMAT=FILE")]
        output: Vec<String>,
        /// The date waivers are judged against (UTC); also `SOURCE_DATE_EPOCH`.
        #[arg(long, value_name = "YYYY-MM-DD")]
        today: Option<String>,
        /// Report routes whose existing tests (supertest, TestClient/test_client or axum
        /// `oneshot` requests in the project's test files) all walk the happy path
        /// (`secprop/no-negative-test`).
        #[arg(long)]
        require_negative_tests: bool,
        #[command(flatten)]
        common: Common,
    },
    /// Writes the generated tests.
    Generate {
        /// Write nothing; exit 1 if a generated file is missing or stale.
        #[arg(long)]
        check: bool,
        #[command(flatten)]
        common: Common,
    },
    /// Scaffolds `secprop.yaml`, the harness, a pull-request template and a CI workflow.
    Init {
        /// Replace an existing spec, PR template and workflow (never the harness).
        #[arg(long)]
        force: bool,
        #[command(flatten)]
        common: Common,
    },
    /// What a change added since `merge-base(REF, HEAD)`: routes, dependencies, external,
    /// prompt and log calls, new findings, and which properties cover each new route.
    Review {
        /// The branch or commit the change is compared with (`origin/main`).
        #[arg(long, value_name = "REF")]
        base: String,
        #[arg(long, value_enum, default_value_t = ReviewFormat::Markdown)]
        format: ReviewFormat,
        /// FILE: write the output there instead of stdout; FORMAT=FILE: also write FORMAT.
        #[arg(short, long, value_name = "FILE|FORMAT=FILE")]
        output: Vec<String>,
        /// The date waivers are judged against (UTC); also `SOURCE_DATE_EPOCH`.
        #[arg(long, value_name = "YYYY-MM-DD")]
        today: Option<String>,
        #[command(flatten)]
        common: Common,
    },
    /// What a property kind means, why it matters, how it is checked.
    Explain {
        /// A property kind; lists them all when absent.
        kind: Option<String>,
        #[command(flatten)]
        common: Common,
    },
    /// Prints the JSON Schema of `secprop.yaml`.
    Schema {
        #[command(flatten)]
        common: Common,
    },
    /// Loads and validates the spec, reporting every problem at once.
    Validate {
        #[command(flatten)]
        common: Common,
    },
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum RoutesFormat {
    Human,
    Json,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum CheckFormat {
    /// Diagnostics with code frames.
    Human,
    /// `secprop/check/v1` (spec-v1 §10).
    Json,
    /// SARIF 2.1.0 for code scanning: one result per finding, waived ones suppressed.
    Sarif,
    /// A pull-request comment: summary, coverage, one section per location.
    Markdown,
    /// GitHub Actions annotations (`::error file=...::message`).
    Github,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum ReviewFormat {
    Markdown,
    Json,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, ValueEnum)]
pub enum FailOn {
    Critical,
    High,
    Medium,
    Low,
    Info,
    Never,
}
