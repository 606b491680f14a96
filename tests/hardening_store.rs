//! Issue 11, the store: files that are not registers, newer registers, the
//! migration path from v1, durability, read-only registers, `init` failing.

mod common;

use std::path::Path;
use std::process::Command;

use chrono::{TimeZone, Utc};
use common::*;
use rusqlite::Connection;
use tizilim::store::{Store, schema, services};

fn run(db: &Path, args: &[&str]) -> std::process::Output {
    Command::new(bin())
        .arg("--db")
        .arg(db)
        .args(args)
        .env_remove("TIZILIM_DB")
        .output()
        .unwrap()
}

fn bytes(p: &Path) -> Vec<u8> {
    std::fs::read(p).unwrap()
}

fn listing(dir: &Path) -> Vec<String> {
    let mut v: Vec<String> = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    v.sort();
    v
}

/// Every command that opens a register, with the word its refusal must hold.
const COMMANDS: &[&[&str]] = &[
    &["audit", "verify"],
    &["deadlines"],
    &["deadlines", "--json"],
    &["register", "export"],
    &["user", "list"],
    &["user", "add", "someone", "--role", "clerk"],
    &["intake", "/nonexistent.json"],
    &["calendar", "explain", "ABK-2024-000001"],
    &[
        "calendar",
        "amend",
        "--date",
        "2024-05-06",
        "--working",
        "--act",
        "x",
    ],
    &["demo", "--cases", "1", "--units", "1"],
    &[],
];

#[test]
fn files_that_are_not_registers_are_refused_by_every_command_and_left_untouched() {
    let dir = tempfile::tempdir().unwrap();
    let other = dir.path().join("other.sqlite");
    {
        let c = Connection::open(&other).unwrap();
        c.execute_batch("CREATE TABLE notes (t TEXT); INSERT INTO notes VALUES ('mine');")
            .unwrap();
    }
    let wal_other = dir.path().join("wal-other.sqlite");
    {
        let c = Connection::open(&wal_other).unwrap();
        c.pragma_update(None, "journal_mode", "WAL").unwrap();
        c.execute_batch("CREATE TABLE journal (x); CREATE TABLE cases (y);")
            .unwrap();
    }
    let foreign_app = dir.path().join("app-id.sqlite");
    {
        let c = Connection::open(&foreign_app).unwrap();
        c.execute_batch("PRAGMA application_id = 42; CREATE TABLE t (x);")
            .unwrap();
    }
    let random: Vec<u8> = (0..4096u32)
        .map(|i| (i.wrapping_mul(2654435761) >> 13) as u8)
        .collect();
    let mut fake_header = b"SQLite format 3\0".to_vec();
    fake_header.extend(std::iter::repeat_n(0xAB, 200));
    let files: Vec<(&str, Option<Vec<u8>>, &str)> = vec![
        ("empty.sqlite", Some(Vec::new()), "an empty file"),
        (
            "text.sqlite",
            Some(b"hello, register\n".to_vec()),
            "not an SQLite database",
        ),
        ("random.sqlite", Some(random), "not an SQLite database"),
        (
            "short.sqlite",
            Some(b"SQLite format 3\0".to_vec()),
            "not an SQLite database",
        ),
        ("header.sqlite", Some(fake_header), "not a tizilim register"),
        ("other.sqlite", None, "something else"),
        ("wal-other.sqlite", None, "something else"),
        ("app-id.sqlite", None, "another application"),
    ];
    for (name, content, word) in &files {
        let p = dir.path().join(name);
        if let Some(c) = content {
            std::fs::write(&p, c).unwrap();
        }
        let before = bytes(&p);
        let names = listing(dir.path());
        for args in COMMANDS {
            let out = run(&p, args);
            assert_eq!(
                out.status.code(),
                Some(1),
                "{name} {args:?}: {}",
                stdout(&out)
            );
            let err = stderr(&out);
            assert!(
                err.contains("not a tizilim register") && err.contains(word),
                "{name} {args:?}: {err}"
            );
            assert!(!stdout(&out).contains("ok:"), "{name} {args:?}");
        }
        // init says what the file is and never overwrites it.
        let out = run(&p, &["init"]);
        assert_eq!(out.status.code(), Some(1));
        assert!(
            stderr(&out).contains("is not a tizilim register"),
            "{name}: {}",
            stderr(&out)
        );
        assert_eq!(bytes(&p), before, "{name} was changed");
        assert_eq!(
            listing(dir.path()),
            names,
            "{name}: files appeared or vanished"
        );
    }
    // A directory, and a FIFO, as --db: refused without blocking.
    let fifo = dir.path().join("fifo");
    assert!(
        Command::new("mkfifo")
            .arg(&fifo)
            .status()
            .unwrap()
            .success()
    );
    for p in [dir.path().to_path_buf(), fifo] {
        let out = run(&p, &["deadlines"]);
        assert!(
            stderr(&out).contains("not a tizilim register"),
            "{}",
            stderr(&out)
        );
    }
}

#[test]
fn a_file_claiming_the_registers_application_id_without_its_tables_is_left_untouched() {
    let dir = tempfile::tempdir().unwrap();
    let bare = dir.path().join("bare.sqlite");
    {
        let c = Connection::open(&bare).unwrap();
        c.pragma_update(None, "application_id", schema::APPLICATION_ID)
            .unwrap();
    }
    let notes = dir.path().join("notes.sqlite");
    {
        let c = Connection::open(&notes).unwrap();
        c.execute_batch(
            "PRAGMA application_id = 1415203917; PRAGMA user_version = 2;
             CREATE TABLE notes (t TEXT); INSERT INTO notes VALUES ('mine');",
        )
        .unwrap();
    }
    for p in [&bare, &notes] {
        let before = bytes(p);
        assert!(before.len() >= 100, "{}", p.display());
        let names = listing(dir.path());
        for args in COMMANDS {
            let out = run(p, args);
            assert_eq!(out.status.code(), Some(1), "{} {args:?}", p.display());
            let err = stderr(&out);
            assert!(
                err.contains("not a tizilim register") && err.contains("none of its tables"),
                "{} {args:?}: {err}",
                p.display()
            );
            assert!(bytes(p) == before, "{} {args:?} changed it", p.display());
        }
        assert_eq!(listing(dir.path()), names);
    }
}

#[test]
fn a_register_made_by_a_newer_version_is_refused_untouched() {
    let reg = Register::new();
    {
        let c = reg.sql();
        c.pragma_update(None, "user_version", schema::LATEST as i64 + 1)
            .unwrap();
    }
    let before = bytes(&reg.db);
    for args in COMMANDS {
        let out = reg.run(args);
        assert_eq!(out.status.code(), Some(1), "{args:?}");
        let err = stderr(&out);
        assert!(
            err.contains("newer tizilim") && err.contains(&format!("v{}", schema::LATEST + 1)),
            "{args:?}: {err}"
        );
    }
    assert_eq!(bytes(&reg.db), before);
    let c = reg.sql();
    let v: i64 = c
        .pragma_query_value(None, "user_version", |r| r.get(0))
        .unwrap();
    assert_eq!(v, schema::LATEST as i64 + 1);
}

#[test]
fn a_v1_register_upgrades_in_place_and_its_journal_still_replays() {
    let dir = tempfile::tempdir().unwrap();
    // A register at the current schema with real cases, made through the services…
    let current = dir.path().join("current.sqlite");
    let login = tizilim::cli::os_login().unwrap();
    let now = Utc.with_ymd_and_hms(2024, 4, 1, 6, 0, 0).unwrap();
    let mut store =
        Store::create_with(&current, |tx| services::create_register(tx, &login, now)).unwrap();
    let law = store.law().unwrap();
    let apps = [inclusion("VONE", 2), inclusion("VTWO", 1)];
    for app in &apps {
        let app = tizilim::intake::parse_application(
            serde_json::to_string(app).unwrap().as_bytes(),
            now,
            &law,
        )
        .unwrap();
        store
            .write(|tx| {
                services::register_application(
                    &services::Context {
                        tx,
                        law: &law,
                        actor: &login,
                        at: now,
                    },
                    app,
                )
            })
            .unwrap();
    }
    drop(store);
    // …copied into a file at schema v1: v1's tables and columns only, the
    // journal rows exactly as they are (the v1 shape: v3 added no event).
    let old = dir.path().join("v1.sqlite");
    {
        let mut c = Connection::open(&old).unwrap();
        c.pragma_update(None, "journal_mode", "WAL").unwrap();
        schema::migrations().to_version(&mut c, 1).unwrap();
        c.execute("ATTACH ?1 AS src", [current.to_str().unwrap()])
            .unwrap();
        let tables: Vec<String> = c
            .prepare("SELECT name FROM main.sqlite_master WHERE type = 'table'")
            .unwrap()
            .query_map([], |r| r.get(0))
            .unwrap()
            .map(Result::unwrap)
            .collect();
        for t in tables {
            let cols: Vec<String> = c
                .prepare(&format!(
                    "SELECT name FROM pragma_table_info('{t}', 'main')"
                ))
                .unwrap()
                .query_map([], |r| r.get(0))
                .unwrap()
                .map(Result::unwrap)
                .collect();
            let cols = cols.join(", ");
            c.execute(
                &format!("INSERT INTO main.{t} ({cols}) SELECT {cols} FROM src.{t}"),
                [],
            )
            .unwrap();
        }
        c.execute("DETACH src", []).unwrap();
        let v: i64 = c
            .pragma_query_value(None, "user_version", |r| r.get(0))
            .unwrap();
        assert_eq!(v, 1);
        let app_id: i64 = c
            .pragma_query_value(None, "application_id", |r| r.get(0))
            .unwrap();
        assert_eq!(app_id, 0, "a v1 file carries no application_id");
    }
    // A login without a role in it (its `users` table names someone else)
    // opens a copy: every command refuses before any migration runs, and
    // the file is left byte for byte as it was.
    let norole = dir.path().join("v1-norole.sqlite");
    std::fs::copy(&old, &norole).unwrap();
    {
        let c = Connection::open(&norole).unwrap();
        c.execute("UPDATE users SET login = 'olzhas'", []).unwrap();
    }
    let before = bytes(&norole);
    for args in COMMANDS {
        let out = run(&norole, args);
        assert_eq!(out.status.code(), Some(1), "{args:?}: {}", stdout(&out));
        let err = stderr(&out);
        assert!(
            err.contains("not a user of this register") || err.contains("no role"),
            "{args:?}: {err}"
        );
        assert!(bytes(&norole) == before, "{args:?} changed the v1 file");
    }
    // What needs no role (the shipped calendar) still works, untouched.
    for args in [
        &["calendar", "show", "2024"][..],
        &[
            "calendar",
            "due",
            "--received",
            "2024-03-20T19:05:00",
            "--working-days",
            "5",
        ],
    ] {
        let out = run(&norole, args);
        assert!(out.status.success(), "{args:?}: {}", stderr(&out));
        assert!(bytes(&norole) == before, "{args:?} changed the v1 file");
    }
    let v: i64 = Connection::open(&norole)
        .unwrap()
        .pragma_query_value(None, "user_version", |r| r.get(0))
        .unwrap();
    assert_eq!(v, 1, "a login without a role upgraded the register");
    // Opening it upgrades it; the replayed journal matches every read model,
    // the new intake_keys included (back-filled from the journal).
    let out = run(&old, &["audit", "verify"]);
    assert!(out.status.success(), "{}", stderr(&out));
    assert!(
        stdout(&out).contains("3 journal rows chained"),
        "{}",
        stdout(&out)
    );
    let c = Connection::open(&old).unwrap();
    let v: i64 = c
        .pragma_query_value(None, "user_version", |r| r.get(0))
        .unwrap();
    assert_eq!(v as usize, schema::LATEST);
    let keys: i64 = c
        .query_row("SELECT count(*) FROM intake_keys", [], |r| r.get(0))
        .unwrap();
    assert_eq!(keys, 2);
    // v8 (issue 21): each case's applicant as filed, back-filled from its
    // registration row.
    let filed: Vec<(String, String, String)> = c
        .prepare("SELECT applicant_name, applicant_phone, applicant_email FROM cases ORDER BY id")
        .unwrap()
        .query_map([], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)))
        .unwrap()
        .map(Result::unwrap)
        .collect();
    assert_eq!(
        filed,
        vec![
            (
                "Ekibastuz Compute LLP".to_string(),
                "+77011234567".to_string(),
                "office@example.kz".to_string()
            );
            2
        ]
    );
    // The back-filled keys work: the first application again is a resubmission.
    let f = dir.path().join("again.json");
    std::fs::write(&f, serde_json::to_string(&apps[0]).unwrap()).unwrap();
    let out = run(&old, &["intake", f.to_str().unwrap()]);
    assert!(
        stdout(&out).contains("already registered as ABK-2024-000001"),
        "{}{}",
        stdout(&out),
        stderr(&out)
    );
    let out = run(&old, &["audit", "verify"]);
    assert!(out.status.success(), "{}", stderr(&out));
}

#[test]
fn commits_are_durable_and_bulk_loads_may_relax() {
    let reg = Register::new();
    let store = Store::open(&reg.db).unwrap();
    let sync: i64 = store
        .conn()
        .pragma_query_value(None, "synchronous", |r| r.get(0))
        .unwrap();
    assert_eq!(sync, 2, "synchronous = FULL");
    let mode: String = store
        .conn()
        .pragma_query_value(None, "journal_mode", |r| r.get(0))
        .unwrap();
    assert_eq!(mode, "wal");
    store.bulk().unwrap();
    let sync: i64 = store
        .conn()
        .pragma_query_value(None, "synchronous", |r| r.get(0))
        .unwrap();
    assert_eq!(sync, 0, "synchronous = OFF for the demo's bulk load");
    let mode: String = store
        .conn()
        .pragma_query_value(None, "journal_mode", |r| r.get(0))
        .unwrap();
    assert_eq!(
        mode, "persist",
        "a rollback journal kept while the load runs"
    );
    // A write through the rollback journal (the schema version, as it was).
    let version: i64 = store
        .conn()
        .pragma_query_value(None, "user_version", |r| r.get(0))
        .unwrap();
    store
        .conn()
        .pragma_update(None, "user_version", version)
        .unwrap();
    let journal = reg.db.with_extension("sqlite-journal");
    assert!(
        journal.exists(),
        "{} kept between commits",
        journal.display()
    );
    store.bulk_done().unwrap();
    assert!(
        !journal.exists(),
        "{} left after the load",
        journal.display()
    );
    let sync: i64 = store
        .conn()
        .pragma_query_value(None, "synchronous", |r| r.get(0))
        .unwrap();
    assert_eq!(sync, 2, "synchronous = FULL again after the load");
    let mode: String = store
        .conn()
        .pragma_query_value(None, "journal_mode", |r| r.get(0))
        .unwrap();
    assert_eq!(mode, "wal", "back in WAL after the load");
    let fresh = Store::open(&reg.db).unwrap();
    let sync: i64 = fresh
        .conn()
        .pragma_query_value(None, "synchronous", |r| r.get(0))
        .unwrap();
    assert_eq!(sync, 2);
}

#[test]
fn a_bulk_load_keeps_wal_while_another_connection_reads() {
    let reg = Register::new();
    let store = Store::open(&reg.db).unwrap();
    let reader = Store::open(&reg.db).unwrap();
    let _: i64 = reader
        .conn()
        .query_row("SELECT count(*) FROM journal", [], |r| r.get(0))
        .unwrap();
    store.bulk().unwrap();
    let mode: String = store
        .conn()
        .pragma_query_value(None, "journal_mode", |r| r.get(0))
        .unwrap();
    assert_eq!(mode, "wal", "the journal cannot change under a reader");
    store.bulk_done().unwrap();
    drop(reader);
}

#[test]
fn init_on_a_failing_disk_leaves_nothing_behind() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("register.sqlite");
    // A file-size limit makes the disk "full" part-way through.
    for blocks in [0, 1, 4, 16, 40] {
        let out = Command::new("sh")
            .arg("-c")
            .arg(format!("ulimit -f {blocks}; exec \"$0\" --db \"$1\" init"))
            .arg(bin())
            .arg(&db)
            .output()
            .unwrap();
        assert_eq!(out.status.code(), Some(1), "{blocks}: {}", stderr(&out));
        assert!(
            stderr(&out).contains("nothing was left behind"),
            "{}",
            stderr(&out)
        );
        assert_eq!(listing(dir.path()), Vec::<String>::new(), "{blocks} blocks");
    }
    // A folder it may not write: the same.
    let out = run(Path::new("/proc/tizilim/register.sqlite"), &["init"]);
    assert_eq!(out.status.code(), Some(1));
    // And with room it works.
    let out = run(&db, &["init"]);
    assert!(out.status.success(), "{}", stderr(&out));
    assert_eq!(
        listing(dir.path()),
        ["register.sqlite", "register.sqlite.witness"]
    );
    let out = run(&db, &["audit", "verify"]);
    assert!(out.status.success());
}

/// Runs `args` as `nobody` (root ignores file permissions), if we are root
/// and can; else as ourselves (then the permissions bite).
fn as_reader(db: &Path, args: &[&str]) -> std::process::Output {
    let mut cmd = if nix::unistd::getuid().is_root() {
        let mut c = Command::new("setpriv");
        c.args(["--reuid=65534", "--regid=65534", "--clear-groups", bin()]);
        c
    } else {
        Command::new(bin())
    };
    cmd.arg("--db")
        .arg(db)
        .args(args)
        .env_remove("TIZILIM_DB")
        .output()
        .unwrap()
}

#[test]
fn a_read_only_register_can_still_be_read() {
    use std::os::unix::fs::PermissionsExt;
    let reg = Register::new();
    let f = reg.write_json("a.json", &inclusion("RO", 2));
    assert!(reg.run(&["intake", f.to_str().unwrap()]).status.success());
    // The reader below is `nobody` when we are root: give it a role to read cases.
    assert!(
        reg.run(&["user", "add", "nobody", "--role", "clerk"])
            .status
            .success()
    );
    let expected_export = stdout(&reg.run(&["deadlines", "--json", "--at", "2024-03-27T10:00:00"]));
    // The reader is a user of the register (reading personal data needs a role),
    // whichever login `as_reader` runs as.
    // (Run as root, `as_reader` drops to nobody; otherwise it is the admin.)
    if nix::unistd::getuid().is_root() {
        let o = reg.run(&["user", "add", "nobody", "--role", "operator"]);
        assert!(o.status.success(), "{}", stderr(&o));
    }
    // A file without write permission in a folder without write permission.
    std::fs::set_permissions(&reg.db, std::fs::Permissions::from_mode(0o444)).unwrap();
    std::fs::set_permissions(reg.dir.path(), std::fs::Permissions::from_mode(0o555)).unwrap();
    let before = bytes(&reg.db);
    for args in [
        vec!["deadlines", "--json", "--at", "2024-03-27T10:00:00"],
        vec!["register", "export"],
        vec!["audit", "verify"],
        vec!["user", "list"],
        vec![
            "calendar",
            "explain",
            "abk-2024-000001",
            "--at",
            "2024-03-27T10:00:00",
        ],
        vec!["calendar", "show", "2024"],
        vec!["case", "list"],
        vec!["case", "show", "ABK-2024-000001"],
        vec![],
    ] {
        let out = as_reader(&reg.db, &args);
        assert!(out.status.success(), "{args:?}: {}", stderr(&out));
        if args.first() == Some(&"deadlines") {
            assert_eq!(stdout(&out), expected_export);
        }
    }
    // A change says why it cannot be made.
    let out = as_reader(&reg.db, &["user", "add", "x", "--role", "clerk"]);
    assert_eq!(out.status.code(), Some(1));
    let err = stderr(&out);
    assert!(
        err.contains("read-only") || err.contains("not a user"),
        "{err}"
    );
    assert_eq!(bytes(&reg.db), before);
    std::fs::set_permissions(reg.dir.path(), std::fs::Permissions::from_mode(0o755)).unwrap();
}
