//! The console on a PostgreSQL register (issue 22), the real binary in a
//! pseudo-terminal: it opens on `--db postgresql://…`, another process's
//! intake appears without a key (the act's `NOTIFY`, heard by the console's
//! `LISTEN`), and an act saved from a form goes through the console's
//! worker on its own connection — stored once, journalled, and the register
//! still passes `audit verify`. When the server ends the console's
//! connections (as a restart or a fail-over does), the console says so,
//! connects again by itself and goes on. Skipped without `TIZILIM_TEST_PG`.

mod common;

use std::process::Command;
use std::time::Duration;

use common::pty::{Console, DEMO_NOW};

/// A 300-case demo made on a file, then copied into a fresh PostgreSQL
/// database; the file's folder keeps the admin's key, trust and passphrase.
fn demo_on_postgresql(db: &common::pg::PgDb) -> common::Register {
    let r = common::Register::new();
    let out = r.run(&[
        "demo", "--cases", "300", "--units", "2000", "--at", DEMO_NOW,
    ]);
    assert!(out.status.success(), "{}", common::stderr(&out));
    let out = r.run(&["migrate", "--to", &db.url]);
    assert!(out.status.success(), "{}", common::stderr(&out));
    r
}

/// The binary on the PostgreSQL register, as the file's admin.
fn on(r: &common::Register, url: &str, args: &[&str]) -> std::process::Output {
    let mut c = Command::new(common::bin());
    c.arg("--db")
        .arg(url)
        .args(args)
        .env_remove("TIZILIM_DB")
        .env("HOME", r.dir.path())
        .env("TIZILIM_TRUST_DIR", r.trust())
        .env("TIZILIM_NOW", DEMO_NOW);
    c.output().unwrap()
}

/// The "n/N" counter at the right of the queue's title.
fn total(screen: &str) -> Option<usize> {
    let line = screen.lines().nth(1)?;
    let part = line.rsplit(' ').find(|w| w.contains('/'))?;
    part.split_once('/')?
        .1
        .trim_end_matches(['┐', '+'])
        .parse()
        .ok()
}

#[test]
fn the_console_on_postgresql_sees_other_sessions_and_saves_through_its_worker() {
    let Some(db) = common::pg::PgDb::fresh() else {
        return;
    };
    let r = demo_on_postgresql(&db);
    let home = r.dir.path().to_str().unwrap().to_string();
    let drafts = r.dir.path().join("drafts");
    let mut c = Console::open(
        std::path::Path::new(&db.url),
        &[
            ("HOME", &home),
            ("TIZILIM_DRAFTS_DIR", drafts.to_str().unwrap()),
        ],
        &[],
    );
    c.wait_for("all open");
    c.settle(Duration::from_millis(300));
    let before = total(&c.contents()).expect("the queue's counter");

    // Another session's intake: the queue grows without a key.
    let f = r.write_json("new.json", &common::inclusion("PGC", 2));
    let out = on(&r, &db.url, &["intake", f.to_str().unwrap()]);
    assert!(out.status.success(), "{}", common::stderr(&out));
    c.wait_until("the new case in the queue", |c| {
        total(&c.contents()) == Some(before + 1)
    });

    // A complaint (§17) lodged from the console: saved by its worker.
    let mut client = db.client();
    let complaints = |client: &mut postgres::Client| -> i64 {
        client
            .query_one("SELECT count(*) FROM complaints", &[])
            .unwrap()
            .get(0)
    };
    let lodged = complaints(&mut client);
    c.send("\r");
    c.wait_for("Summary");
    c.send("c");
    c.wait_for("Complaint (§17)");
    c.send("\t");
    c.send("The decision is late under §10.");
    c.send("\x13"); // Ctrl-S
    c.wait_for("registered");
    assert_eq!(complaints(&mut client), lodged + 1, "stored once");
    let screen = c.contents();
    assert!(screen.contains("Complaints: CMP-"), "{screen}");

    // The server ends both of the console's connections (as a fail-over
    // or a restart would): the status line says so, the console connects
    // again by itself and hears the next session's act; the next save
    // goes through on a new connection of the worker's.
    let ended: i64 = client
        .query_one(
            "SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity
             WHERE datname = current_database() AND application_name = 'tizilim'
               AND pid <> pg_backend_pid()",
            &[],
        )
        .unwrap()
        .get(0);
    assert_eq!(ended, 2, "the console's reader and its worker");
    c.wait_for("Reconnected to the register");
    // Back to the queue (Esc alone: an Esc and a key at once read as Alt).
    c.send("\x1b");
    c.settle(Duration::from_millis(300));
    c.send("1");
    c.wait_for("all open");
    c.settle(Duration::from_millis(300));
    let now = total(&c.contents()).expect("the queue's counter");
    let f = r.write_json("newer.json", &common::inclusion("PGD", 2));
    let out = on(&r, &db.url, &["intake", f.to_str().unwrap()]);
    assert!(out.status.success(), "{}", common::stderr(&out));
    c.wait_until("the newer case in the queue", |c| {
        total(&c.contents()) == Some(now + 1)
    });
    c.send("\r");
    c.wait_for("Summary");
    c.send("c");
    c.wait_for("Complaint (§17)");
    c.send("\t");
    c.send("Still no decision.");
    c.send("\x13");
    c.wait_until("the second complaint stored", |c| {
        c.contents().contains("registered")
    });
    assert_eq!(complaints(&mut client), lodged + 2, "stored once more");

    c.send("q");
    let status = c.wait_exit();
    assert!(status.success(), "{status:?}");

    let out = on(&r, &db.url, &["audit", "verify"]);
    assert!(
        out.status.success(),
        "{}{}",
        common::stdout(&out),
        common::stderr(&out)
    );
}
