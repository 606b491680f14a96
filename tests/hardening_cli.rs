//! Issue 11, the CLI a clerk reads: help on every option, roles listed,
//! users in Almaty time, the language checked, demo not doubling a register.

mod common;

use clap::CommandFactory;
use common::*;
use tizilim::cli::Cli;

/// Every argument of every subcommand, with the path that leads to it.
fn walk(cmd: &clap::Command, path: &str, out: &mut Vec<(String, String, bool)>) {
    for a in cmd.get_arguments() {
        let id = a.get_id().as_str();
        if id == "help" || id == "version" {
            continue;
        }
        let has = a
            .get_help()
            .is_some_and(|h| !h.to_string().trim().is_empty());
        out.push((path.to_string(), id.to_string(), has));
    }
    for sub in cmd.get_subcommands() {
        if sub.get_name() == "help" {
            continue;
        }
        walk(sub, &format!("{path} {}", sub.get_name()), out);
    }
}

#[test]
fn every_option_and_command_has_help() {
    let cmd = Cli::command();
    let mut args = Vec::new();
    walk(&cmd, "tizilim", &mut args);
    let missing: Vec<String> = args
        .iter()
        .filter(|(_, _, has)| !has)
        .map(|(p, id, _)| format!("{p} --{id}"))
        .collect();
    assert!(missing.is_empty(), "options without help: {missing:#?}");
    fn subs(cmd: &clap::Command, path: &str, out: &mut Vec<String>) {
        for sub in cmd.get_subcommands() {
            if sub.get_name() == "help" {
                continue;
            }
            if sub.get_about().is_none() {
                out.push(format!("{path} {}", sub.get_name()));
            }
            subs(sub, &format!("{path} {}", sub.get_name()), out);
        }
    }
    let mut bare = Vec::new();
    subs(&cmd, "tizilim", &mut bare);
    assert!(bare.is_empty(), "commands without help: {bare:?}");
}

#[test]
fn user_add_lists_the_roles_and_user_list_reads_in_almaty_time() {
    let reg = Register::new();
    let help = reg.run(&["user", "add", "--help"]);
    let text = stdout(&help);
    for role in ["operator", "clerk", "supervisor", "admin"] {
        assert!(text.contains(role), "{text}");
    }
    assert!(text.contains("possible values"), "{text}");
    let bad = reg.run(&["user", "add", "anna", "--role", "boss"]);
    assert_eq!(bad.status.code(), Some(2));
    let err = stderr(&bad);
    assert!(
        err.contains("operator") && err.contains("supervisor") && err.contains("boss"),
        "{err}"
    );
    assert!(
        reg.run(&["user", "add", "anna", "--role", "clerk"])
            .status
            .success()
    );
    let list = stdout(&reg.run(&["user", "list"]));
    assert_eq!(list.lines().count(), 2, "{list}");
    for line in list.lines() {
        // "added 28.11.2026 22:37 by root": Almaty time as every time shown to
        // a person, dd.mm.yyyy HH:MM, no offset, no seconds, no micros.
        let added = line.split(" added ").nth(1).unwrap();
        let stamp: String = added.split(" by ").next().unwrap().to_string();
        assert!(
            chrono::NaiveDateTime::parse_from_str(&stamp, "%d.%m.%Y %H:%M").is_ok(),
            "{line}"
        );
        assert_eq!(stamp.len(), "28.11.2026 22:37".len(), "{line}");
        assert!(!stamp.contains('+') && !stamp.contains('Z'), "{line}");
        // The user added just now: its Almaty minute (or the next, at a turn).
        let zone = chrono_tz::Asia::Almaty;
        let now = chrono::Utc::now().with_timezone(&zone);
        let minute = |t: chrono::DateTime<chrono_tz::Tz>| t.format("%d.%m.%Y %H:%M").to_string();
        if line.starts_with("anna") {
            assert!(
                [minute(now), minute(now - chrono::Duration::minutes(1))].contains(&stamp),
                "{line}"
            );
        }
    }
    assert!(list.contains("anna") && list.contains("clerk"));
}

#[test]
fn tizilim_lang_is_checked_like_lang() {
    let reg = Register::new();
    let run = |lang: Option<&str>, env: Option<&str>| {
        let mut c = std::process::Command::new(bin());
        c.args(["--db", reg.db.to_str().unwrap()]);
        if let Some(l) = lang {
            c.args(["--lang", l]);
        }
        c.arg("deadlines").env_remove("TIZILIM_LANG");
        if let Some(e) = env {
            c.env("TIZILIM_LANG", e);
        }
        c.output().unwrap()
    };
    let flag = run(Some("xx"), None);
    assert_eq!(flag.status.code(), Some(2));
    for bad in ["xx", "russian", "ru_RU.UTF-8", "EN"] {
        let o = run(None, Some(bad));
        assert_eq!(o.status.code(), Some(2), "{bad}");
        let err = stderr(&o);
        assert!(
            err.contains("TIZILIM_LANG") && err.contains("kk, ru, en"),
            "{bad}: {err}"
        );
        assert!(stdout(&o).is_empty());
    }
    for good in ["kk", "ru", "en", ""] {
        assert!(run(None, Some(good)).status.success(), "{good:?}");
    }
    // --lang wins over the variable.
    assert!(run(Some("kk"), Some("xx")).status.success());
}

#[test]
fn demo_refuses_a_register_with_cases_unless_append_and_is_reproducible() {
    let dir = tempfile::tempdir().unwrap();
    let demo = |db: &std::path::Path, extra: &[&str]| {
        let mut c = std::process::Command::new(bin());
        c.arg("--db").arg(db).args([
            "demo",
            "--cases",
            "30",
            "--units",
            "60",
            "--at",
            "2024-06-01T12:00:00",
        ]);
        c.args(extra).env_remove("TIZILIM_DB").output().unwrap()
    };
    let a = dir.path().join("a.sqlite");
    let b = dir.path().join("b.sqlite");
    assert!(demo(&a, &[]).status.success());
    assert!(demo(&b, &[]).status.success());
    let export = |db: &std::path::Path| {
        let o = std::process::Command::new(bin())
            .arg("--db")
            .arg(db)
            .args(["register", "export"])
            .output()
            .unwrap();
        stdout(&o)
    };
    let cases = |db: &std::path::Path| -> i64 {
        rusqlite::Connection::open(db)
            .unwrap()
            .query_row("SELECT count(*) FROM cases", [], |r| r.get(0))
            .unwrap()
    };
    // The default seed reproduces the register.
    assert_eq!(export(&a), export(&b));
    let n = cases(&a);
    assert!(n > 0);
    // A second run refuses, changing nothing…
    let again = demo(&a, &[]);
    assert_eq!(again.status.code(), Some(1));
    assert!(stderr(&again).contains("--append"), "{}", stderr(&again));
    assert_eq!(cases(&a), n);
    // …unless asked to append (with a different default seed: no serial collides).
    let more = demo(&a, &["--append"]);
    assert!(more.status.success(), "{}", stderr(&more));
    assert!(cases(&a) > n);
    let audit = std::process::Command::new(bin())
        .arg("--db")
        .arg(&a)
        .args(["audit", "verify"])
        .output()
        .unwrap();
    assert!(audit.status.success(), "{}", stderr(&audit));
    // An empty register (just init) is filled without --append.
    let c = dir.path().join("c.sqlite");
    let init = std::process::Command::new(bin())
        .arg("--db")
        .arg(&c)
        .arg("init")
        .output()
        .unwrap();
    assert!(init.status.success());
    assert!(demo(&c, &[]).status.success());
}

#[test]
fn the_design_notes_live_in_the_repository_and_name_every_command() {
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR"));
    let arch = std::fs::read_to_string(root.join("ARCHITECTURE.md")).unwrap();
    let readme = std::fs::read_to_string(root.join("README.md")).unwrap();
    assert!(
        !readme.contains("../shared"),
        "the README points outside the repository"
    );
    assert!(readme.contains("ARCHITECTURE.md"));
    for sub in Cli::command().get_subcommands() {
        let name = sub.get_name();
        if name == "help" {
            continue;
        }
        assert!(
            arch.contains(&format!("`tizilim {name}")) || arch.contains(&format!("`{name} ")),
            "ARCHITECTURE.md does not name `{name}`"
        );
    }
    // Every schema version is described.
    for v in 1..=tizilim::store::schema::LATEST {
        assert!(
            arch.contains(&format!("\n| {v} |")),
            "schema v{v} is not in ARCHITECTURE.md"
        );
    }
}
