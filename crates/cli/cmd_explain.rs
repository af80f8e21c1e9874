//! `secprop explain [KIND]`: the property catalog.

use anyhow::Result;

pub fn run(kind: Option<&str>) -> Result<u8> {
    match kind {
        None => {
            print!("{}", secprop_catalog::render_list());
            Ok(0)
        }
        Some(k) => match secprop_catalog::get(k) {
            Some(entry) => {
                print!("{}", secprop_catalog::render_entry(&entry));
                Ok(0)
            }
            None => {
                let kinds: Vec<String> = secprop_catalog::entries()
                    .into_iter()
                    .map(|e| e.kind.to_string())
                    .collect();
                eprintln!(
                    "secprop explain: unknown property kind `{k}`\n  hint: kinds are {}",
                    kinds.join(", ")
                );
                Ok(2)
            }
        },
    }
}
