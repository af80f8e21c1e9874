//! The runner registry agrees with `templates/`: each registered runner has a template
//! exactly for the property kinds it claims, embeds every template of its folder, and a
//! runner without a profile is refused by name.

use secprop_generate::runner::{self, FRAME};
use secprop_spec::{PropertyKind, Runner};
use std::collections::BTreeSet;
use std::path::PathBuf;

/// Every runner the spec accepts.
const RUNNERS: [Runner; 4] = [Runner::Vitest, Runner::Jest, Runner::Pytest, Runner::Cargo];

fn folder(name: &str) -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("../../templates")
        .join(name)
}

/// The `.tera` files of a runner's folders on disk, each with the folder it is in. A name
/// in two folders is listed twice, so the comparison below catches it.
fn on_disk(folders: &[&str]) -> Vec<(String, PathBuf)> {
    let mut files = Vec::new();
    for name in folders {
        let dir = folder(name);
        for e in std::fs::read_dir(&dir).unwrap_or_else(|e| panic!("{}: {e}", dir.display())) {
            let file = e.unwrap().file_name().to_string_lossy().into_owned();
            if file.ends_with(".tera") {
                files.push((file.clone(), dir.join(file)));
            }
        }
    }
    files
}

fn names(files: &[(String, PathBuf)]) -> Vec<String> {
    let mut n: Vec<String> = files.iter().map(|(n, _)| n.clone()).collect();
    n.sort();
    n
}

#[test]
fn every_registered_runner_has_templates_exactly_for_its_kinds() {
    assert!(!runner::all().is_empty());
    for profile in runner::all() {
        let name = profile.runner().as_str();
        let embedded: BTreeSet<String> = profile
            .templates()
            .iter()
            .map(|(n, _)| n.to_string())
            .collect();
        assert_eq!(
            embedded.len(),
            profile.templates().len(),
            "{name}: a template is embedded twice"
        );
        // A file added to the folder but not to the profile would never be used, and an
        // override of it would be refused as a typo.
        assert_eq!(
            embedded.iter().cloned().collect::<Vec<_>>(),
            names(&on_disk(profile.folders())),
            "{name}: the profile's templates differ from those of templates/{:?}",
            profile.folders()
        );
        assert_eq!(profile.folders().first(), Some(&name));
        for frame in FRAME {
            assert!(embedded.contains(frame), "{name}: no {frame}");
        }
        for kind in PropertyKind::ALL {
            let file = format!("{}.tera", kind.as_str());
            let claimed = profile.kinds().contains(&kind);
            assert_eq!(claimed, profile.supports(kind.as_str()));
            assert_eq!(
                claimed,
                embedded.contains(&file),
                "{name}: {} {file} but {} the kind",
                if embedded.contains(&file) {
                    "has"
                } else {
                    "lacks"
                },
                if claimed { "claims" } else { "does not claim" },
            );
        }
        for (n, _) in profile.templates() {
            let is_kind = PropertyKind::ALL
                .iter()
                .any(|k| *n == format!("{}.tera", k.as_str()));
            assert!(
                is_kind || FRAME.contains(n),
                "{name}: {n} is neither a frame template nor a property kind's"
            );
        }
    }
}

#[test]
fn the_registry_finds_each_runner_once() {
    for r in RUNNERS {
        let found: Vec<_> = runner::all().iter().filter(|p| p.runner() == r).collect();
        assert!(found.len() <= 1, "{} is registered twice", r.as_str());
        assert_eq!(runner::for_runner(r).is_some(), found.len() == 1);
    }
    assert!(runner::for_runner(Runner::Vitest).is_some());
}

#[test]
fn embedded_templates_are_the_files_on_disk() {
    for profile in runner::all() {
        let files = on_disk(profile.folders());
        for (n, src) in profile.templates() {
            let (_, path) = files.iter().find(|(f, _)| f == n).unwrap();
            assert_eq!(
                std::fs::read_to_string(path).unwrap(),
                *src,
                "{}",
                path.display()
            );
        }
    }
}
