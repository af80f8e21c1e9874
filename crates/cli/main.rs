//! The `secprop` command line: argument parsing, dispatch and exit codes (spec-v1 §10).
//! No analysis logic lives here.

mod args;
// WIRE mod cmd_check;
// WIRE mod cmd_explain;
// WIRE mod cmd_generate;
// WIRE mod cmd_routes;
// WIRE mod cmd_schema;
// WIRE mod cmd_validate;
mod output;
// WIRE mod workspace;

use args::{Cli, Command};
use clap::Parser;
use std::process::ExitCode;

/// An error already shown to the user, carrying the exit status to use.
#[derive(Debug)]
pub struct Reported(pub u8);

impl std::fmt::Display for Reported {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "exit status {}", self.0)
    }
}

impl std::error::Error for Reported {}

fn main() -> ExitCode {
    let cli = Cli::parse();
    let result = match cli.command {
        Command::Routes {
            format,
            output,
            common,
        } => {
            let _ = (common, format, output);
            later("routes", "the Express frontend")
        }
        Command::Check {
            format,
            fail_on,
            output,
            today,
            common,
        } => {
            let _ = (common, format, fail_on, output, today);
            later("check", "the checks")
        }
        Command::Generate { check, common } => {
            let _ = (check, common);
            later("generate", "the generator")
        }
        Command::Init { .. } => later("init", "a later release (the init issue)"),
        Command::Review { .. } => later("review", "a later release (the review issue)"),
        Command::Explain { kind, .. } => {
            let _ = kind;
            later("explain", "the catalog")
        }
        Command::Schema { .. } => later("schema", "the schema"),
        Command::Validate { common } => {
            let _ = common;
            later("validate", "the loader")
        }
    };
    match result {
        Ok(code) => ExitCode::from(code),
        Err(err) => {
            if let Some(Reported(code)) = err.downcast_ref::<Reported>() {
                return ExitCode::from(*code);
            }
            eprintln!("secprop: error: {err}");
            for cause in err.chain().skip(1) {
                eprintln!("  caused by: {cause}");
            }
            ExitCode::from(2)
        }
    }
}

/// A command whose capability arrives later says so in one line and exits 2.
fn later(command: &str, when: &str) -> anyhow::Result<u8> {
    eprintln!("secprop {command}: not available yet; it arrives with {when}");
    Ok(2)
}
