//! What the command line tells a newcomer: the completion scripts and the
//! manual page come from the clap definition and never open a register.

mod common;

use std::process::{Command, Output};

use common::{bin, stderr, stdout};

/// The binary with no register around: `--db` names a file in an empty
/// folder (which must stay empty) and no setting comes from the tester.
fn run(args: &[&str]) -> (Output, tempfile::TempDir) {
    let dir = tempfile::tempdir().unwrap();
    let out = Command::new(bin())
        .arg("--db")
        .arg(dir.path().join("register.sqlite"))
        .args(args)
        .env_remove("TIZILIM_DB")
        .env_remove("TIZILIM_LANG")
        .env("HOME", dir.path())
        .output()
        .unwrap();
    (out, dir)
}

fn ok(args: &[&str]) -> String {
    let (out, dir) = run(args);
    assert!(out.status.success(), "{args:?}: {}", stderr(&out));
    let left: Vec<_> = std::fs::read_dir(dir.path()).unwrap().collect();
    assert!(left.is_empty(), "{args:?} wrote {left:?}");
    stdout(&out)
}

#[test]
fn completion_scripts_name_the_subcommands() {
    for shell in ["bash", "zsh", "fish"] {
        let script = ok(&["completions", shell]);
        for sub in [
            "intake",
            "register",
            "deadlines",
            "case",
            "hearing",
            "complaint",
            "completions",
        ] {
            assert!(script.contains(sub), "{shell}: no {sub}");
        }
        assert!(script.contains("tizilim"), "{shell}");
    }
    let bash = ok(&["completions", "bash"]);
    assert!(bash.contains("complete -F"), "a bash completion: {bash}");
    // A shell it does not know is a usage error.
    let (out, _dir) = run(&["completions", "tcsh"]);
    assert_eq!(out.status.code(), Some(2), "{}", stderr(&out));
}

#[test]
fn man_prints_the_manual_page() {
    let page = ok(&["man"]);
    // roff's apostrophe preamble (`.ie`/`.el`), then the title.
    let first_macro = page
        .lines()
        .find(|l| !l.starts_with(".ie") && !l.starts_with(".el"))
        .unwrap();
    assert!(first_macro.starts_with(".TH tizilim 1"), "{page}");
    assert!(page.contains(".SH NAME"), "{page}");
    for sub in ["intake", "completions", "man"] {
        assert!(page.contains(sub), "no {sub}: {page}");
    }
}
