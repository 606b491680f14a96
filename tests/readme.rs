//! The README keeps its promises, run as written: it stays short; its quick
//! start, followed by the follow-on in examples/README.md, runs in bash with
//! nothing but `tizilim` on PATH and writes only into its scratch folder; every
//! file in examples/ passes or fails intake as its name says; and every link of
//! the README and the manual leads to a file of the repository.

use std::ffi::OsStr;
use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};

/// What a newcomer reads before the first command.
const README_MAX_LINES: usize = 200;

fn root() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
}

fn bin() -> &'static Path {
    Path::new(env!("CARGO_BIN_EXE_tizilim"))
}

fn read(rel: &str) -> String {
    std::fs::read_to_string(root().join(rel)).unwrap_or_else(|e| panic!("{rel}: {e}"))
}

/// The lines of the one ```sh block between `begin` and `end` in the file `rel`.
fn sh_block(rel: &str, begin: &str, end: &str) -> String {
    let text = read(rel);
    let start = text
        .find(begin)
        .unwrap_or_else(|| panic!("{rel} has no {begin}"))
        + begin.len();
    let stop = text[start..]
        .find(end)
        .unwrap_or_else(|| panic!("{rel} has no {end} after {begin}"))
        + start;
    text[start..stop]
        .trim()
        .strip_prefix("```sh\n")
        .and_then(|body| body.strip_suffix("```"))
        .unwrap_or_else(|| panic!("{rel}: between {begin} and {end} there must be one ```sh block"))
        .to_string()
}

/// `program` run from the repository's root with `tizilim` first on PATH and
/// every place a run could write to (HOME, TMPDIR, the XDG folders, drafts,
/// notices, the default register) inside `scratch`.
fn sandboxed(program: impl AsRef<OsStr>, scratch: &Path) -> Command {
    let bin_dir = bin().parent().expect("the binary is in a folder");
    let inherited = std::env::var_os("PATH").unwrap_or_default();
    let path = std::env::join_paths(
        std::iter::once(bin_dir.to_path_buf()).chain(std::env::split_paths(&inherited)),
    )
    .expect("a PATH made of the binary's folder and the inherited one");
    for dir in ["home", "tmp"] {
        std::fs::create_dir_all(scratch.join(dir)).expect("a scratch folder");
    }
    let mut cmd = Command::new(program);
    cmd.current_dir(root())
        .env("PATH", path)
        .env("HOME", scratch.join("home"))
        .env("TMPDIR", scratch.join("tmp"))
        .env("XDG_CONFIG_HOME", scratch.join("xdg/config"))
        .env("XDG_STATE_HOME", scratch.join("xdg/state"))
        .env("XDG_DATA_HOME", scratch.join("xdg/data"))
        .env("XDG_CACHE_HOME", scratch.join("xdg/cache"))
        .env("TIZILIM_DRAFTS_DIR", scratch.join("drafts"))
        .env("TIZILIM_NOTICES_DIR", scratch.join("notices"))
        .env("TIZILIM_DB", scratch.join("unused.sqlite"))
        .env("LANG", "en_US.UTF-8")
        .env_remove("TIZILIM_LANG")
        .env_remove("TIZILIM_NOW")
        .env_remove("TIZILIM_PASSPHRASE_FILE")
        .stdin(Stdio::null());
    cmd
}

fn run(mut cmd: Command) -> Output {
    cmd.output().expect("the command starts")
}

fn both(out: &Output) -> String {
    format!(
        "{}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    )
}

/// JSON output without its whitespace, to look for `"key":"value"`.
fn squeezed(bytes: &[u8]) -> String {
    String::from_utf8_lossy(bytes).split_whitespace().collect()
}

#[test]
fn the_readme_is_short() {
    let lines = read("README.md").lines().count();
    assert!(
        lines <= README_MAX_LINES,
        "README.md has {lines} lines, at most {README_MAX_LINES}: move the detail to docs/"
    );
}

#[test]
fn the_quick_start_runs_as_written() {
    let quick = sh_block(
        "README.md",
        "<!-- quickstart:begin -->",
        "<!-- quickstart:end -->",
    );
    let after = sh_block(
        "examples/README.md",
        "<!-- after-quickstart:begin -->",
        "<!-- after-quickstart:end -->",
    );
    let scratch = tempfile::tempdir().expect("a scratch folder");
    let s = scratch.path();
    let mut bash = sandboxed("bash", s);
    bash.args(["-euo", "pipefail", "-c"])
        .arg(format!("{quick}\n{after}"));
    let out = run(bash);
    let text = both(&out);
    assert!(
        out.status.success(),
        "the quick start failed ({}):\n{text}",
        out.status
    );
    for want in [
        "examples/inclusion.json: registered as ABK-2025-000001",
        "valid: INC-2025-000001 (inclusion, 01.04.2025, en html)",
        "read models match the journal",
        "amended — decision AMD-2025-000001",
        "excluded — decision EXC-2025-000001",
        "§9 refusal due 15.05.2025",
        "intake refused errors.json (exit 1)",
    ] {
        assert!(text.contains(want), "the output lacks {want:?}:\n{text}");
    }
    // What it wrote is in the one folder it made under TMPDIR; nothing went to
    // HOME or to the register the environment named.
    let made: Vec<PathBuf> = std::fs::read_dir(s.join("tmp"))
        .expect("TMPDIR")
        .map(|e| e.expect("an entry of TMPDIR").path())
        .collect();
    assert!(
        made.len() == 1 && made[0].join("register.sqlite").is_file(),
        "the quick start should make one folder under TMPDIR holding register.sqlite: {made:?}"
    );
    let home: Vec<_> = std::fs::read_dir(s.join("home"))
        .expect("HOME")
        .map(|e| e.expect("an entry of HOME").file_name())
        .collect();
    assert!(home.is_empty(), "the quick start wrote into HOME: {home:?}");
    assert!(
        !s.join("unused.sqlite").exists(),
        "the quick start used the environment's TIZILIM_DB"
    );
}

#[test]
fn every_example_passes_or_fails_intake_as_its_name_says() {
    let index = read("examples/README.md");
    let mut names: Vec<String> = std::fs::read_dir(root().join("examples"))
        .expect("examples/")
        .map(|e| e.expect("an entry of examples/").path())
        .filter(|p| p.extension().is_some_and(|x| x == "json"))
        .map(|p| {
            p.file_stem()
                .expect("a file name")
                .to_string_lossy()
                .into_owned()
        })
        .collect();
    names.sort();
    for want in ["change", "errors", "exclusion", "incomplete", "inclusion"] {
        assert!(
            names.iter().any(|n| n == want),
            "examples/{want}.json is missing"
        );
    }
    for name in &names {
        let file = format!("examples/{name}.json");
        assert!(
            index.contains(&format!("({name}.json)")),
            "examples/README.md does not describe {file}"
        );
        let scratch = tempfile::tempdir().expect("a scratch folder");
        let s = scratch.path();
        let db = s.join("register.sqlite");
        let mut init = sandboxed(bin(), s);
        init.arg("--db").arg(&db).arg("init");
        let init = run(init);
        assert!(init.status.success(), "init: {}", both(&init));
        let mut intake = sandboxed(bin(), s);
        intake
            .arg("--db")
            .arg(&db)
            .args(["intake", "--json"])
            .arg(&file);
        let out = run(intake);
        let json = squeezed(&out.stdout);
        let said = both(&out);
        match name.as_str() {
            "errors" => {
                assert_eq!(out.status.code(), Some(1), "{file}: {said}");
                assert!(
                    json.contains(r#""status":"refused""#) && json.contains(r#""case":null"#),
                    "{file}: {said}"
                );
                for field in [
                    "applicant.bin_iin",
                    "applicant.phone",
                    "applicant.email",
                    "applicant.personal_data_consent",
                    "tn_ved_code",
                    "units[0].serial",
                    "units[1].hashrate_ths",
                ] {
                    assert!(
                        json.contains(&format!(r#""field":"{field}""#)),
                        "{file}: no error on {field}: {said}"
                    );
                }
                let mut list = sandboxed(bin(), s);
                list.arg("--db").arg(&db).args(["case", "list", "--json"]);
                let list = run(list);
                assert_eq!(squeezed(&list.stdout), "[]", "{file} stored a case");
            }
            "incomplete" => {
                assert_eq!(out.status.code(), Some(0), "{file}: {said}");
                assert!(
                    json.contains(r#""status":"registered""#)
                        && json.contains(r#""incomplete":{"#)
                        && json.contains(r#""rule":"§9""#),
                    "{file} should register incomplete (§9): {said}"
                );
            }
            _ => {
                assert_eq!(out.status.code(), Some(0), "{file}: {said}");
                assert!(
                    json.contains(r#""status":"registered""#) && !json.contains(r#""incomplete""#),
                    "{file} should register complete: {said}"
                );
            }
        }
    }
}

#[test]
fn the_readme_and_the_manual_link_only_to_files_of_the_repository() {
    let mut pages = vec![
        PathBuf::from("README.md"),
        PathBuf::from("examples/README.md"),
        PathBuf::from("CHANGELOG.md"),
    ];
    let mut docs: Vec<PathBuf> = std::fs::read_dir(root().join("docs"))
        .expect("docs/")
        .map(|e| e.expect("an entry of docs/").path())
        .filter(|p| p.extension().is_some_and(|x| x == "md"))
        .map(|p| Path::new("docs").join(p.file_name().expect("a file name")))
        .collect();
    docs.sort();
    assert!(!docs.is_empty(), "docs/ holds the manual");
    let readme = read("README.md");
    for page in &docs {
        let name = page.to_string_lossy().into_owned();
        assert!(
            readme.contains(&format!("]({name}")),
            "the README does not link {name}"
        );
    }
    pages.extend(docs);
    for page in &pages {
        let rel = page.to_string_lossy().into_owned();
        let text = read(&rel);
        let dir = page.parent().unwrap_or(Path::new(""));
        for (at, _) in text.match_indices("](") {
            let rest = &text[at + 2..];
            let target = &rest[..rest.find(')').unwrap_or(rest.len())];
            if target.starts_with("https://") || target.starts_with('#') {
                continue;
            }
            let file = target.split('#').next().unwrap_or(target);
            let resolved = root().join(dir).join(file);
            assert!(
                resolved.exists(),
                "{rel}: the link ({target}) leads to no file"
            );
            let inside = resolved
                .canonicalize()
                .is_ok_and(|p| p.starts_with(root().canonicalize().expect("the root")));
            assert!(inside, "{rel}: the link ({target}) leaves the repository");
        }
    }
}
