//! What the command line tells a newcomer: `--help` says what `tizilim` alone
//! does, where the global options act and what `case decide` needs; the
//! completion scripts and the manual page come from the same definition and
//! never open a register.

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

/// Help text with its lines joined (clap wraps to the terminal's width).
fn help(args: &[&str]) -> String {
    ok(args).split_whitespace().collect::<Vec<_>>().join(" ")
}

#[test]
fn help_says_what_tizilim_alone_does() {
    for flag in ["--help", "-h"] {
        let h = help(&[flag]);
        assert!(
            h.contains("Without a subcommand, `tizilim` opens the console"),
            "{h}"
        );
        assert!(
            h.contains("piped or run from a script or cron, it prints an overview of the register"),
            "{h}"
        );
    }
}

#[test]
fn help_says_where_the_global_options_act() {
    let h = help(&["--help"]);
    assert!(
        h.contains("Language of the console and, for every command, of its error messages"),
        "--lang acts beyond the console: {h}"
    );
    assert!(
        h.contains("Console only: draw its borders with + - |"),
        "--ascii is the console's: {h}"
    );
    assert!(h.contains("the headless commands ignore it"), "{h}");
    // Global options are listed under every subcommand too.
    let h = help(&["case", "list", "--help"]);
    assert!(h.contains("Console only"), "{h}");
}

#[test]
fn case_decide_help_says_it_signs_and_needs_the_passphrase() {
    let h = help(&["case", "decide", "--help"]);
    for want in [
        "signed as CMS with your own certificate",
        "needs its passphrase",
        "asked on the terminal",
        "TIZILIM_PASSPHRASE_FILE",
    ] {
        assert!(h.contains(want), "{want:?} not in: {h}");
    }
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
    assert!(page.contains("opens the console"), "{page}");
    for sub in ["intake", "completions", "man"] {
        assert!(page.contains(sub), "no {sub}: {page}");
    }
}
