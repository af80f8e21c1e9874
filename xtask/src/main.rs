//! Project automation: `cargo xtask <task>`. Each task lives in its own module.

mod bench;
mod ci;
mod codegen;
mod demo;

use anyhow::{Result, bail};

fn main() -> Result<()> {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let Some(task) = args.first() else {
        bail!("usage: cargo xtask <codegen [--check] | ci | demo | bench>");
    };
    match task.as_str() {
        "bench" => bench::bench(&args[1..]),
        "ci" => ci::ci(&args[1..]),
        "codegen" => codegen::codegen(&args[1..]),
        "demo" => demo::demo(&args[1..]),
        other => bail!("unknown task `{other}`; tasks: codegen [--check], ci, demo, bench"),
    }
}
