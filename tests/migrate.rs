//! `tizilim migrate --to` and a register in PostgreSQL (issue 22), through
//! the binary as an admin runs it. The file-to-file copy and the `--db`
//! refusals run everywhere; the PostgreSQL tests run when `TIZILIM_TEST_PG`
//! names a server whose role may create databases (`.ci/run` starts one with
//! `scripts/pg-cluster.sh`), and say "skipped" otherwise.

mod common;

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

use common::pg::PgDb;
use common::{bin, stderr, stdout};

/// A demo register in a temporary folder, and the binary run against it.
struct Demo {
    dir: tempfile::TempDir,
    db: PathBuf,
}

impl Demo {
    fn new(cases: &str) -> Demo {
        let dir = tempfile::tempdir().unwrap();
        let db = dir.path().join("demo.sqlite");
        let d = Demo { dir, db };
        let out = d.run(&d.db, &["demo", "--cases", cases, "--units", "200"]);
        assert!(out.status.success(), "demo: {}", stderr(&out));
        d
    }

    fn run(&self, db: &Path, args: &[&str]) -> Output {
        self.run_on(db.as_os_str(), args)
    }

    fn run_on(&self, db: &std::ffi::OsStr, args: &[&str]) -> Output {
        Command::new(bin())
            .arg("--db")
            .arg(db)
            .args(args)
            .env_remove("TIZILIM_DB")
            .env("HOME", self.dir.path())
            .env("TIZILIM_LANG", "en")
            .current_dir(self.dir.path())
            .output()
            .unwrap()
    }
}

/// Every table's rows, in key order, as text: two registers hold the same
/// rows when these are equal.
fn dump(db: &Path) -> Vec<(String, Vec<String>)> {
    let c = rusqlite::Connection::open(db).unwrap();
    let tables: Vec<String> = c
        .prepare(
            "SELECT name FROM sqlite_schema WHERE type = 'table'
             AND name NOT LIKE 'sqlite%' ORDER BY name",
        )
        .unwrap()
        .query_map([], |r| r.get(0))
        .unwrap()
        .map(Result::unwrap)
        .collect();
    tables
        .into_iter()
        .map(|t| {
            let mut st = c.prepare(&format!("SELECT * FROM \"{t}\"")).unwrap();
            let width = st.column_count();
            let mut rows: Vec<String> = st
                .query_map([], |r| {
                    Ok((0..width)
                        .map(|i| format!("{:?}", r.get_ref(i).unwrap()))
                        .collect::<Vec<_>>()
                        .join("|"))
                })
                .unwrap()
                .map(Result::unwrap)
                .collect();
            rows.sort();
            (t, rows)
        })
        .collect()
}

fn head(db: &Path) -> (i64, String) {
    let c = rusqlite::Connection::open(db).unwrap();
    c.query_row(
        "SELECT seq, hash FROM journal ORDER BY seq DESC LIMIT 1",
        [],
        |r| Ok((r.get(0)?, r.get(1)?)),
    )
    .unwrap()
}

#[test]
fn a_file_copied_to_a_file_holds_every_row_and_the_same_head() {
    let d = Demo::new("30");
    let copy = d.dir.path().join("copy.sqlite");
    let out = d.run(&d.db, &["migrate", "--to", copy.to_str().unwrap()]);
    assert!(out.status.success(), "migrate: {}", stderr(&out));
    let (rows, hash) = head(&d.db);
    let said = stdout(&out);
    assert!(
        said.contains(&format!("{rows} rows, head {}", &hash[..16])),
        "{said}"
    );
    assert_eq!(head(&copy), (rows, hash));
    let (a, b) = (dump(&d.db), dump(&copy));
    assert_eq!(a.len(), b.len());
    for ((ta, ra), (tb, rb)) in a.iter().zip(&b) {
        assert_eq!(ta, tb);
        assert_eq!(ra, rb, "table {ta}");
    }
    assert!(a.iter().any(|(t, r)| t == "units" && r.len() >= 200));
    let out = d.run(&copy, &["audit", "verify"]);
    assert!(out.status.success(), "audit: {}", stderr(&out));
    assert!(stdout(&out).contains("witness saw row"), "{}", stdout(&out));
}

#[test]
fn a_copy_never_overwrites_a_file() {
    let d = Demo::new("5");
    let other = d.dir.path().join("other.sqlite");
    std::fs::write(&other, b"keep me").unwrap();
    let out = d.run(&d.db, &["migrate", "--to", other.to_str().unwrap()]);
    assert_eq!(out.status.code(), Some(1), "{}", stderr(&out));
    assert_eq!(std::fs::read(&other).unwrap(), b"keep me");
}

#[test]
fn a_locator_that_is_neither_a_file_nor_a_postgresql_url_is_refused() {
    let d = Demo::new("5");
    for given in ["postgresql:", "mysql://db/register", "sqlite:r.sqlite"] {
        let out = d.run_on(std::ffi::OsStr::new(given), &["init"]);
        assert_eq!(out.status.code(), Some(1), "{given}");
        let err = stderr(&out);
        assert!(
            err.contains(&format!("--db: {given} is neither a register file")),
            "{given}: {err}"
        );
        // Nothing made: `postgresql:` once became a folder of that name.
        assert!(!d.dir.path().join(given.split('/').next().unwrap()).exists());
    }
    // Also as the copy's destination.
    let out = d.run(&d.db, &["migrate", "--to", "postgres:"]);
    assert_eq!(out.status.code(), Some(1));
    assert!(
        stderr(&out).contains("--db: postgres: is neither"),
        "{}",
        stderr(&out)
    );
}

#[test]
fn a_register_goes_to_postgresql_and_back_unchanged() {
    let d = Demo::new("40");
    let Some(pg) = PgDb::fresh() else { return };
    let out = d.run(&d.db, &["migrate", "--to", &pg.url]);
    assert!(out.status.success(), "to PostgreSQL: {}", stderr(&out));
    let (rows, hash) = head(&d.db);
    // The journal on the server, as the server holds it.
    let on_server: (i64, String) = {
        let r = pg
            .client()
            .query_one("SELECT max(seq), (SELECT hash FROM journal ORDER BY seq DESC LIMIT 1) FROM journal", &[])
            .unwrap();
        (r.get(0), r.get(1))
    };
    assert_eq!(on_server, (rows, hash.clone()));

    let out = d.run_on(pg.url.as_ref(), &["audit", "verify"]);
    assert!(
        out.status.success(),
        "audit on PostgreSQL: {}",
        stderr(&out)
    );
    assert!(
        stdout(&out).contains(&format!("ok: {rows} journal rows chained")),
        "{}",
        stdout(&out)
    );

    let back = d.dir.path().join("back.sqlite");
    let out = d.run_on(
        pg.url.as_ref(),
        &["migrate", "--to", back.to_str().unwrap()],
    );
    assert!(out.status.success(), "back: {}", stderr(&out));
    assert_eq!(head(&back), (rows, hash));
    assert_eq!(dump(&d.db), dump(&back));

    // A second copy into the same database is refused; it keeps its rows.
    let out = d.run(&d.db, &["migrate", "--to", &pg.url]);
    assert_eq!(out.status.code(), Some(1));
    assert!(
        stderr(&out).contains("a register already exists"),
        "{}",
        stderr(&out)
    );
    let n: i64 = pg
        .client()
        .query_one("SELECT count(*) FROM journal", &[])
        .unwrap()
        .get(0);
    assert_eq!(n, rows);

    // What only a file has says so on PostgreSQL.
    let out = d.run_on(pg.url.as_ref(), &["backup"]);
    assert_eq!(out.status.code(), Some(1));
    assert!(
        stderr(&out).contains("backup works on a register file only"),
        "{}",
        stderr(&out)
    );
}

#[test]
fn init_makes_a_register_in_an_empty_database_only() {
    let d = Demo::new("3");
    let Some(pg) = PgDb::fresh() else { return };
    let out = d.run_on(pg.url.as_ref(), &["init"]);
    assert!(out.status.success(), "init: {}", stderr(&out));
    let out = d.run_on(pg.url.as_ref(), &["audit", "verify"]);
    assert!(out.status.success(), "audit: {}", stderr(&out));
    assert!(
        stdout(&out).contains("ok: 1 journal rows chained"),
        "{}",
        stdout(&out)
    );
    let out = d.run_on(pg.url.as_ref(), &["init"]);
    assert_eq!(out.status.code(), Some(1));
    assert!(
        stderr(&out).contains("a register already exists"),
        "{}",
        stderr(&out)
    );

    // A database holding something else is neither overwritten nor used.
    let Some(other) = PgDb::fresh() else { return };
    other
        .client()
        .batch_execute("CREATE TABLE payroll (id bigint)")
        .unwrap();
    let out = d.run_on(other.url.as_ref(), &["init"]);
    assert_eq!(out.status.code(), Some(1));
    assert!(stderr(&out).contains("not empty"), "{}", stderr(&out));
    let out = d.run_on(other.url.as_ref(), &["audit", "verify"]);
    assert_eq!(out.status.code(), Some(1));
    assert!(
        stderr(&out).contains("is not a tizilim register"),
        "{}",
        stderr(&out)
    );
}

#[test]
fn audit_verify_on_postgresql_finds_a_row_changed_behind_its_back() {
    let d = Demo::new("20");
    let Some(pg) = PgDb::fresh() else { return };
    let out = d.run(&d.db, &["migrate", "--to", &pg.url]);
    assert!(out.status.success(), "{}", stderr(&out));
    // The journal refuses UPDATE; a superuser switching its triggers off
    // is the attacker here.
    let mut c = pg.client();
    let refused = c.execute("UPDATE journal SET actor = 'mallory' WHERE seq = 5", &[]);
    assert!(refused.is_err(), "the journal took an UPDATE");
    c.batch_execute(
        "ALTER TABLE journal DISABLE TRIGGER USER;
         UPDATE journal SET actor = 'mallory' WHERE seq = 5;
         ALTER TABLE journal ENABLE TRIGGER USER;",
    )
    .unwrap();
    let out = d.run_on(pg.url.as_ref(), &["audit", "verify"]);
    assert_eq!(out.status.code(), Some(1), "{}", stdout(&out));
    assert!(stderr(&out).contains("5"), "{}", stderr(&out));
    // A changed read model is found too.
    let Some(pg2) = PgDb::fresh() else { return };
    let out = d.run(&d.db, &["migrate", "--to", &pg2.url]);
    assert!(out.status.success(), "{}", stderr(&out));
    pg2.client()
        .batch_execute("UPDATE units SET power_kw = power_kw + 1 WHERE id = 3")
        .unwrap();
    let out = d.run_on(pg2.url.as_ref(), &["audit", "verify"]);
    assert_eq!(out.status.code(), Some(1), "{}", stdout(&out));
    assert!(stderr(&out).contains("units"), "{}", stderr(&out));
}

#[test]
fn the_register_faces_answer_alike_on_both_engines() {
    // 400 cases: the demo's few serials claimed twice turn up (§3).
    let d = Demo::new("400");
    let Some(pg) = PgDb::fresh() else { return };
    let out = d.run(&d.db, &["migrate", "--to", &pg.url]);
    assert!(out.status.success(), "{}", stderr(&out));
    // A serial the register holds, and a BIN.
    let (serial, bin): (String, String) = rusqlite::Connection::open(&d.db)
        .unwrap()
        .query_row(
            "SELECT u.serial, m.bin_iin FROM units u JOIN cases c ON c.id = u.case_id
              JOIN miners m ON m.id = c.miner_id WHERE u.entry_no IS NOT NULL LIMIT 1",
            [],
            |r| Ok((r.get(0)?, r.get(1)?)),
        )
        .unwrap();
    for args in [
        vec!["register", "energy", "--json"],
        vec!["register", "conflicts", "--json"],
        vec!["register", "find", serial.as_str(), "--json"],
        vec!["register", "find", bin.as_str(), "--json"],
        vec!["register", "find", "1", "--json"],
        vec!["register", "energy"],
    ] {
        let file = d.run(&d.db, &args);
        let server = d.run_on(pg.url.as_ref(), &args);
        assert!(file.status.success(), "{args:?}: {}", stderr(&file));
        assert_eq!(
            server.status.code(),
            file.status.code(),
            "{args:?}: {}",
            stderr(&server)
        );
        assert_eq!(stdout(&server), stdout(&file), "{args:?}");
        assert!(stdout(&file).len() > 20, "{args:?}: {}", stdout(&file));
        if args[1] == "conflicts" {
            assert!(stdout(&file).contains("\"claims\""), "{}", stdout(&file));
        }
    }
}
