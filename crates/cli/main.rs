//! The `secprop` command line: argument parsing, dispatch and exit codes (spec-v1 §10).
//! No analysis logic lives here.

mod args;
mod cmd_check;
mod cmd_explain;
mod cmd_generate;
mod cmd_init;
mod cmd_review;
mod cmd_routes;
mod cmd_schema;
mod cmd_validate;
mod output;
mod workspace;

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
            strict,
            output,
            common,
        } => cmd_routes::run(&common, format, strict, &output),
        Command::Check {
            format,
            fail_on,
            output,
            today,
            require_negative_tests,
            common,
        } => cmd_check::run(
            &common,
            format,
            fail_on,
            &output,
            today.as_deref(),
            require_negative_tests,
        ),
        Command::Generate { check, common } => cmd_generate::run(&common, check),
        Command::Init { force, .. } => cmd_init::run(force),
        Command::Review {
            base,
            format,
            output,
            today,
            common,
        } => cmd_review::run(&common, &base, format, &output, today.as_deref()),
        Command::Explain { kind, .. } => cmd_explain::run(kind.as_deref()),
        Command::Schema { .. } => cmd_schema::run(),
        Command::Validate { common } => cmd_validate::run(&common),
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
