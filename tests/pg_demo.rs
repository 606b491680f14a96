//! `tizilim demo` directly on a PostgreSQL register (issue 22): the same
//! seed, sizes and `--at` make the same register on a file and in a
//! database (cases by stage, units, notices, journal rows), `audit verify`
//! passes on it, and the refusals are a file's. The PostgreSQL side runs
//! when `TIZILIM_TEST_PG` names a server (`scripts/pg-cluster.sh`), and
//! says "skipped" otherwise; the file side and the refusals that need no
//! server run everywhere.

mod common;

use std::ffi::OsStr;
use std::path::Path;
use std::process::{Command, Output};

use common::pg::PgDb;
use common::{bin, stderr, stdout};

/// "Now" for both demos: the same synthetic history on both engines.
const AT: &str = "2026-11-20T12:00:00+05:00";
const DEMO: &[&str] = &[
    "demo", "--cases", "300", "--units", "1500", "--seed", "7", "--at", AT,
];

/// The binary on `db`, as a login whose home (and so whose state folder,
/// where a PostgreSQL register's witness goes by default) is `home`.
fn run(home: &Path, db: &OsStr, args: &[&str]) -> Output {
    Command::new(bin())
        .arg("--db")
        .arg(db)
        .args(args)
        .env_remove("TIZILIM_DB")
        .env_remove("TIZILIM_TRUST_DIR")
        .env_remove("TIZILIM_WITNESS")
        .env_remove("XDG_STATE_HOME")
        .env("HOME", home)
        .env("TIZILIM_LANG", "en")
        .current_dir(home)
        .output()
        .unwrap()
}

/// What the two registers must agree on: cases by kind and stage, units
/// (and those entered in the register), notices by kind, hearings,
/// complaints, journal rows.
const COUNTS: &[&str] = &[
    "SELECT kind || ' ' || stage || ' ' || count(*) FROM cases GROUP BY kind, stage ORDER BY kind, stage",
    "SELECT 'units ' || count(*) || ' ' || count(entry_no) FROM units",
    "SELECT 'notices ' || kind || ' ' || count(*) FROM notices GROUP BY kind ORDER BY kind",
    "SELECT 'complaints ' || count(*) FROM complaints",
    "SELECT 'miners ' || count(*) FROM miners",
    "SELECT 'journal ' || count(*) FROM journal",
];

fn file_counts(db: &Path) -> Vec<String> {
    let c = rusqlite::Connection::open(db).unwrap();
    COUNTS
        .iter()
        .flat_map(|q| {
            c.prepare(q)
                .unwrap()
                .query_map([], |r| r.get::<_, String>(0))
                .unwrap()
                .map(Result::unwrap)
                .collect::<Vec<_>>()
        })
        .collect()
}

fn pg_counts(db: &PgDb) -> Vec<String> {
    let mut c = db.client();
    COUNTS
        .iter()
        .flat_map(|q| {
            c.query(*q, &[])
                .unwrap()
                .iter()
                .map(|r| r.get::<_, String>(0))
                .collect::<Vec<_>>()
        })
        .collect()
}

/// The summary line without its timing and register name.
fn summary(out: &Output) -> String {
    let s = stdout(out);
    let after = s.split_once(": ").map_or(s.as_str(), |(_, r)| r);
    after.split(" in ").next().unwrap_or("").to_string()
}

#[test]
fn demo_on_postgresql_makes_what_the_same_seed_makes_on_a_file() {
    let home = tempfile::tempdir().unwrap();
    let file = home.path().join("demo.sqlite");
    let out = run(home.path(), file.as_os_str(), DEMO);
    assert!(out.status.success(), "demo on a file: {}", stderr(&out));
    let on_file = file_counts(&file);
    assert!(
        on_file.iter().any(|l| l.starts_with("inclusion included ")),
        "{on_file:?}"
    );
    assert!(
        on_file.iter().any(|l| l.starts_with("notices ")),
        "{on_file:?}"
    );

    let Some(pg) = PgDb::fresh() else { return };
    let url = OsStr::new(&pg.url);
    let mut args = vec!["--trust", "demo.trust"];
    args.extend_from_slice(DEMO);
    let on_pg = run(home.path(), url, &args);
    assert!(
        on_pg.status.success(),
        "demo on PostgreSQL: {}",
        stderr(&on_pg)
    );
    assert_eq!(summary(&on_pg), summary(&out), "{}", stdout(&on_pg));
    assert_eq!(pg_counts(&pg), on_file);
    // The TEST CA went where --trust said, and signs what the database holds.
    assert!(home.path().join("demo.trust/tizilim-test-ca.pem").exists());

    // The register it made verifies end to end, against the witness its
    // batches wrote in the login's state folder.
    let out = run(home.path(), url, &["audit", "verify"]);
    assert!(out.status.success(), "audit verify: {}", stderr(&out));
    assert!(
        stdout(&out).contains("its witness saw row"),
        "{}",
        stdout(&out)
    );
    let state = home.path().join(".local/state/tizilim");
    let witnesses: Vec<_> = std::fs::read_dir(&state)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    assert_eq!(witnesses.len(), 1, "{witnesses:?}");
    assert!(
        witnesses[0].ends_with(&format!(".{}.pg.witness", pg.name)),
        "{witnesses:?}"
    );

    // A register holding cases is refused without --append, as a file is.
    let out = run(home.path(), url, &args);
    assert_eq!(out.status.code(), Some(1), "{}", stdout(&out));
    assert!(
        stderr(&out).contains("already holds 300 cases"),
        "{}",
        stderr(&out)
    );
}

#[test]
fn demo_on_postgresql_never_mixes_with_real_cases() {
    let home = tempfile::tempdir().unwrap();
    let Some(pg) = PgDb::fresh() else { return };
    let url = OsStr::new(&pg.url);
    let out = run(home.path(), url, &["init"]);
    assert!(out.status.success(), "init: {}", stderr(&out));
    let app_file = home.path().join("app.json");
    std::fs::write(&app_file, common::inclusion("WORK", 2).to_string()).unwrap();
    let out = run(home.path(), url, &["intake", app_file.to_str().unwrap()]);
    assert!(out.status.success(), "intake: {}", stderr(&out));
    for extra in [&[][..], &["--append"][..]] {
        let mut args = vec!["--trust", "demo.trust"];
        args.extend_from_slice(DEMO);
        args.extend_from_slice(extra);
        let out = run(home.path(), url, &args);
        assert_eq!(out.status.code(), Some(1), "{}", stdout(&out));
        let err = stderr(&out);
        assert!(
            err.contains("demo did not make (1)") && err.contains("working register"),
            "{err}"
        );
    }
    let cases: i64 = pg
        .client()
        .query_one("SELECT count(*) FROM cases", &[])
        .unwrap()
        .get(0);
    assert_eq!(cases, 1);
}

#[test]
fn demo_on_a_url_needs_a_trust_folder_and_never_the_packages() {
    // Refused before any connection: no server needed.
    let home = tempfile::tempdir().unwrap();
    let url = OsStr::new("postgresql://nobody@127.0.0.1:1/none");
    for args in [&[][..], &["--trust", "/etc/tizilim/trust"][..]] {
        let mut args = args.to_vec();
        args.extend_from_slice(DEMO);
        let out = run(home.path(), url, &args);
        assert_eq!(out.status.code(), Some(1), "{}", stdout(&out));
        let err = stderr(&out);
        assert!(
            err.contains("never into the package's (/etc/tizilim/trust)")
                && err.contains("--trust DIR"),
            "{err}"
        );
    }
}
