//! The deployment's guarantees that need no root and no sshd (the rest is
//! `scripts/deploy-test.sh`): every reader needs a role, and the register's
//! files are created closed to everyone but their owner.

mod common;

use std::os::unix::fs::PermissionsExt;
use std::process::Command;

use chrono::Utc;
use common::{stderr, stdout};
use tizilim::store::{Store, services};

fn foreign_register() -> (tempfile::TempDir, std::path::PathBuf) {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("r.sqlite");
    let mut s = Store::create(&db).unwrap();
    s.write(|tx| {
        services::create_register(tx, &tizilim::rules::Login::new("someone-else"), Utc::now())
    })
    .unwrap();
    (dir, db)
}

#[test]
fn every_reader_needs_a_role() {
    let (_dir, db) = foreign_register();
    for args in [
        &["register", "export"][..],
        &["register", "export", "--format", "json"],
        &["deadlines"],
        &["deadlines", "--json"],
        &["calendar", "explain", "ABK-2024-000001"],
        &["user", "list"],
        &["audit", "verify"],
        &[],
    ] {
        let o = Command::new(common::bin())
            .arg("--db")
            .arg(&db)
            .args(args)
            .env_remove("TIZILIM_DB")
            .output()
            .unwrap();
        assert_eq!(o.status.code(), Some(1), "{args:?}: {}", stderr(&o));
        let e = stderr(&o);
        // The commands name the role needed; the overview speaks the console's words.
        let told = (e.contains("may not read the register") && e.contains("none"))
            || (args.is_empty() && e.contains("has no role"));
        assert!(told, "{args:?}: {e}");
        assert!(stdout(&o).is_empty(), "{args:?}: {}", stdout(&o));
        assert!(!e.contains("someone-else"), "{args:?} names users: {e}");
    }
    // What holds no personal data stays open: the shipped calendar.
    let o = Command::new(common::bin())
        .arg("--db")
        .arg(&db)
        .args(["calendar", "due", "--received", "2024-03-20T19:05:00+05:00"])
        .args(["--working-days", "10"])
        .output()
        .unwrap();
    assert!(o.status.success(), "{}", stderr(&o));
}

#[test]
fn register_files_are_created_for_their_owner_only() {
    let (_dir, db) = foreign_register();
    let mode = |p: &std::path::Path| std::fs::metadata(p).unwrap().permissions().mode() & 0o777;
    // Whatever the umask, the database is 0600 …
    assert_eq!(mode(&db), 0o600);
    // … and SQLite gives its WAL and shared memory the same mode.
    let s = Store::open(&db).unwrap();
    let wal = db.with_extension("sqlite-wal");
    let shm = db.with_extension("sqlite-shm");
    assert!(wal.exists() && shm.exists());
    assert_eq!(mode(&wal), 0o600);
    assert_eq!(mode(&shm), 0o600);
    drop(s);
    // A second process opens what the first created.
    let o = Command::new(common::bin())
        .arg("--db")
        .arg(&db)
        .args(["calendar", "show", "2024"])
        .output()
        .unwrap();
    assert!(o.status.success(), "{}", stderr(&o));
}

#[test]
fn create_refuses_an_existing_file_and_leaves_it_alone() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("r.sqlite");
    std::fs::write(&db, b"not a register").unwrap();
    assert!(matches!(
        Store::create(&db),
        Err(tizilim::store::Error::Exists(_) | tizilim::store::Error::ExistsNotRegister(..))
    ));
    assert_eq!(std::fs::read(&db).unwrap(), b"not a register");
}
