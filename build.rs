//! Embeds every `data/calendar/*.toml` into the binary, so that adding next
//! year's calendar is a data change (run `tools/gen_calendar.py`), not a code change.
use std::{env, fs, path::Path};

fn main() {
    let dir = Path::new("data/calendar");
    println!("cargo:rerun-if-changed={}", dir.display());
    let mut files: Vec<_> = fs::read_dir(dir)
        .expect("data/calendar exists")
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.extension().is_some_and(|e| e == "toml"))
        .collect();
    files.sort();
    let mut out = String::from("&[\n");
    for f in &files {
        println!("cargo:rerun-if-changed={}", f.display());
        let abs = fs::canonicalize(f).expect("calendar file");
        out.push_str(&format!(
            "    ({:?}, include_str!({:?})),\n",
            f.file_name().unwrap().to_string_lossy(),
            abs.display().to_string()
        ));
    }
    out.push(']');
    let dest = Path::new(&env::var("OUT_DIR").unwrap()).join("calendar_files.rs");
    fs::write(dest, out).unwrap();
}
