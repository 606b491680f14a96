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

/// The package's postinst, run with every system command it calls replaced
/// by a stand-in that records it (nothing on this machine changes): the
/// program becomes set-user-ID `tizilim:tizilim-clerks` 4750 (executable by
/// the clerks' group only), the override earlier packages made (`tizilim
/// tizilim 6755`) is replaced on upgrade, an administrator's own is kept,
/// and the register's folder is set-group-ID 2700.
#[test]
fn postinst_makes_the_program_the_clerks_groups_only() {
    let dir = tempfile::tempdir().unwrap();
    let bin = dir.path().join("bin");
    std::fs::create_dir(&bin).unwrap();
    let log = dir.path().join("log");
    let overrides = dir.path().join("overrides");
    let stub = |name: &str, body: &str| {
        let p = bin.join(name);
        std::fs::write(
            &p,
            format!(
                "#!/bin/sh\necho \"{name} $*\" >>'{}'\n{body}\n",
                log.display()
            ),
        )
        .unwrap();
        std::fs::set_permissions(&p, std::fs::Permissions::from_mode(0o755)).unwrap();
    };
    for name in [
        "getent",
        "groupadd",
        "useradd",
        "mkdir",
        "chown",
        "chmod",
        "systemctl",
        "invoke-rc.d",
    ] {
        stub(name, "exit 0");
    }
    let list = overrides.display().to_string();
    stub(
        "dpkg-statoverride",
        &format!(
            r#"case "$1" in
--list) [ -s '{list}' ] && cat '{list}' ;;
--remove) : >'{list}' ;;
--update) shift; shift; echo "$1 $2 $3 $4" >'{list}' ;;
esac"#
        ),
    );
    let postinst = |before: &str| -> (String, String) {
        std::fs::write(&overrides, before).unwrap();
        std::fs::write(&log, "").unwrap();
        let o = Command::new("sh")
            .arg("debian/postinst")
            .arg("configure")
            .env("PATH", format!("{}:/usr/bin:/bin", bin.display()))
            .output()
            .unwrap();
        assert!(o.status.success(), "{}", stderr(&o));
        (
            std::fs::read_to_string(&overrides).unwrap(),
            std::fs::read_to_string(&log).unwrap(),
        )
    };
    const NEW: &str = "tizilim tizilim-clerks 4750 /usr/bin/tizilim\n";
    // A first install.
    let (after, log) = postinst("");
    assert_eq!(after, NEW);
    assert!(log.contains("chmod 2700 /var/lib/tizilim\n"), "{log}");
    // An upgrade from the override earlier packages made.
    let (after, log) = postinst("tizilim tizilim 6755 /usr/bin/tizilim\n");
    assert_eq!(after, NEW);
    assert!(
        log.contains("dpkg-statoverride --remove /usr/bin/tizilim"),
        "{log}"
    );
    // An upgrade that finds the new one, and an administrator's own: kept.
    for own in [NEW, "root tizilim-clerks 4754 /usr/bin/tizilim\n"] {
        let (after, log) = postinst(own);
        assert_eq!(after, own);
        assert!(!log.contains("--update"), "{log}");
    }
}
