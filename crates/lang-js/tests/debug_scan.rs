//! Prints the route table of a folder given in SECPROP_DEBUG_DIR (a development aid; does
//! nothing without the variable).

mod common;

#[test]
fn debug_scan() {
    let Ok(dir) = std::env::var("SECPROP_DEBUG_DIR") else {
        return;
    };
    let dir = std::path::PathBuf::from(dir);
    let p = secprop_lang_js::scan(&secprop_lang_js::ScanOptions {
        root: dir.clone(),
        repo_root: dir,
        include: vec![],
        exclude: vec![],
    });
    print!("{}", common::route_table(&p));
    if std::env::var("SECPROP_DEBUG_FNS").is_ok() {
        for f in &p.functions {
            println!("{:#?}", f);
        }
    }
}
