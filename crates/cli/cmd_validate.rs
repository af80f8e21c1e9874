//! `secprop validate`: loads the spec and reports every problem at once (exit 2), or a
//! one-line summary.

use crate::args::Common;
use crate::workspace::load_spec;
use anyhow::Result;

pub fn run(common: &Common) -> Result<u8> {
    let spec = load_spec(common)?;
    let s = &spec.spec;
    println!(
        "{}: valid ({} target{}, {} propert{}, {} public route{}, {} waiver{})",
        spec.display_path(),
        s.targets.len(),
        plural(s.targets.len(), "", "s"),
        s.properties.len(),
        plural(s.properties.len(), "y", "ies"),
        s.public.len(),
        plural(s.public.len(), "", "s"),
        s.waivers.len(),
        plural(s.waivers.len(), "", "s"),
    );
    Ok(0)
}

fn plural(n: usize, one: &'static str, many: &'static str) -> &'static str {
    if n == 1 { one } else { many }
}
