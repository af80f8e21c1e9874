//! `secprop generate [--check]`: writes the generated tests, or reports missing and stale
//! ones without writing (exit 1).

use crate::args::Common;
use crate::workspace::{Depth, Scanned, load_spec, print_warnings, scan_selected};
use anyhow::Result;

pub fn run(common: &Common, check: bool) -> Result<u8> {
    let spec = load_spec(common)?;
    let Scanned { projects, warnings } = scan_selected(&spec, Depth::Full, &common.target)?;
    print_warnings(&warnings);
    let mode = if check {
        secprop_generate::Mode::Check
    } else {
        secprop_generate::Mode::Write
    };
    let outcome = match secprop_generate::generate(&spec, &projects, mode) {
        Ok(o) => o,
        Err(e) => {
            eprintln!("secprop generate: error: {e}");
            return Ok(2);
        }
    };
    print!("{}", outcome.render());
    Ok(if check && outcome.is_stale() { 1 } else { 0 })
}
