//! The witness of a PostgreSQL register (issue 22), as `tests/integrity.rs`
//! tests a file's: every act appends the journal's new head to this
//! application server's witness; a register rolled back behind tizilim's
//! back (an older copy put in its place) fails `audit verify`, which names
//! the acts missing; a witness that cannot be opened refuses the act, which
//! stores nothing. Runs when `TIZILIM_TEST_PG` names a server, says
//! "skipped" otherwise.

mod common;

use std::ffi::OsStr;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

use common::pg::PgDb;
use common::{bin, stderr, stdout};

/// The binary on the database at `url`, its witness `witness`.
fn run(home: &Path, url: &str, witness: &Path, args: &[&str]) -> Output {
    Command::new(bin())
        .arg("--db")
        .arg(OsStr::new(url))
        .args(args)
        .env_remove("TIZILIM_DB")
        .env("TIZILIM_WITNESS", witness)
        .env("HOME", home)
        .env("TIZILIM_LANG", "en")
        .current_dir(home)
        .output()
        .unwrap()
}

/// The witness's lines, as (row, hash).
fn lines(witness: &Path) -> Vec<(i64, String)> {
    std::fs::read_to_string(witness)
        .unwrap_or_default()
        .lines()
        .map(|l| {
            let (seq, hash) = l.split_once(' ').unwrap();
            (seq.parse().unwrap(), hash.to_string())
        })
        .collect()
}

fn head(db: &PgDb) -> (i64, String) {
    let r = db
        .client()
        .query_one(
            "SELECT seq, hash FROM journal ORDER BY seq DESC LIMIT 1",
            &[],
        )
        .unwrap();
    (r.get(0), r.get(1))
}

fn add_user(home: &Path, db: &PgDb, witness: &Path, login: &str) -> Output {
    run(
        home,
        &db.url,
        witness,
        &["user", "add", login, "--role", "clerk"],
    )
}

#[test]
fn each_act_on_postgresql_appends_its_head_to_the_witness() {
    let Some(db) = PgDb::fresh() else { return };
    let home = tempfile::tempdir().unwrap();
    let w = home.path().join("elsewhere/pg.witness");
    std::fs::create_dir(home.path().join("elsewhere")).unwrap();
    let out = run(home.path(), &db.url, &w, &["init"]);
    assert!(out.status.success(), "init: {}", stderr(&out));
    // The register's first head.
    assert_eq!(lines(&w), vec![head(&db)]);
    for (n, login) in ["aliya", "bolat"].iter().enumerate() {
        let out = add_user(home.path(), &db, &w, login);
        assert!(out.status.success(), "user add: {}", stderr(&out));
        let seen = lines(&w);
        assert_eq!(seen.len(), 2 + n, "{seen:?}");
        assert_eq!(seen.last(), Some(&head(&db)));
    }
    // Reading appends nothing.
    let out = run(home.path(), &db.url, &w, &["user", "list"]);
    assert!(out.status.success(), "{}", stderr(&out));
    assert_eq!(lines(&w).len(), 3);
    let out = run(home.path(), &db.url, &w, &["audit", "verify"]);
    assert!(out.status.success(), "audit verify: {}", stderr(&out));
    assert!(
        stdout(&out).contains(&format!("its witness saw row {} and agrees", head(&db).0)),
        "{}",
        stdout(&out)
    );
    assert!(!stdout(&out).contains("no witness yet"), "{}", stdout(&out));
}

/// Drops a database this test made beside a `PgDb`'s.
struct Extra {
    server: String,
    name: String,
}

impl Drop for Extra {
    fn drop(&mut self) {
        if let Ok(mut c) = postgres::Client::connect(&self.server, postgres::NoTls) {
            let _ = c.batch_execute(&format!(
                "DROP DATABASE IF EXISTS {} WITH (FORCE)",
                self.name
            ));
        }
    }
}

#[test]
fn a_postgresql_register_rolled_back_to_an_older_copy_fails_audit_verify() {
    let Some(db) = PgDb::fresh() else { return };
    let server = common::pg::server().unwrap();
    let home = tempfile::tempdir().unwrap();
    let w: PathBuf = home.path().join("pg.witness");
    assert!(run(home.path(), &db.url, &w, &["init"]).status.success());
    assert!(add_user(home.path(), &db, &w, "aliya").status.success());
    let (kept, _) = head(&db);
    // An older copy of the database (as a restore from an old backup
    // would put back), made behind tizilim's back.
    let old = Extra {
        server: server.clone(),
        name: format!("{}_old", db.name),
    };
    let newer = Extra {
        server: server.clone(),
        name: format!("{}_newer", db.name),
    };
    let mut admin = postgres::Client::connect(&server, postgres::NoTls).unwrap();
    admin
        .batch_execute(&format!(
            "CREATE DATABASE {} TEMPLATE {}",
            old.name, db.name
        ))
        .unwrap();
    // Two more acts, witnessed; then the older copy takes the register's name.
    for login in ["bolat", "dana"] {
        let out = add_user(home.path(), &db, &w, login);
        assert!(out.status.success(), "{}", stderr(&out));
    }
    let (lost_head, _) = head(&db);
    assert_eq!(lost_head, kept + 2);
    admin
        .batch_execute(&format!(
            "ALTER DATABASE {db} RENAME TO {newer};
             ALTER DATABASE {old} RENAME TO {db};",
            db = db.name,
            newer = newer.name,
            old = old.name
        ))
        .unwrap();
    let out = run(home.path(), &db.url, &w, &["audit", "verify"]);
    assert_eq!(out.status.code(), Some(1), "{}", stdout(&out));
    let err = stderr(&out);
    assert!(err.contains("behind its witness"), "{err}");
    assert!(err.contains("2 act(s) missing"), "{err}");
    assert!(
        err.contains(&format!("the witness last saw journal row {lost_head}")),
        "{err}"
    );
    // Without the witness the older copy is a sound register: only the
    // witness knew.
    let fresh_witness = home.path().join("another.witness");
    let out = run(home.path(), &db.url, &fresh_witness, &["audit", "verify"]);
    assert!(out.status.success(), "{}", stderr(&out));
    assert!(stdout(&out).contains("no witness yet"), "{}", stdout(&out));
}

#[test]
fn a_witness_that_cannot_be_opened_refuses_the_act_and_stores_nothing() {
    let Some(db) = PgDb::fresh() else { return };
    let home = tempfile::tempdir().unwrap();
    let w = home.path().join("pg.witness");
    assert!(run(home.path(), &db.url, &w, &["init"]).status.success());
    let before = head(&db);
    // A folder where the witness should be: it cannot be opened to append.
    let blocked = home.path().join("a-folder");
    std::fs::create_dir(&blocked).unwrap();
    let out = add_user(home.path(), &db, &blocked, "aliya");
    assert_eq!(out.status.code(), Some(1), "{}", stdout(&out));
    let err = stderr(&out);
    assert!(
        err.contains("could not be written") && err.contains("nothing was stored"),
        "{err}"
    );
    assert!(err.contains("a-folder"), "{err}");
    assert_eq!(head(&db), before);
    let users: i64 = db
        .client()
        .query_one("SELECT count(*) FROM users WHERE login = 'aliya'", &[])
        .unwrap()
        .get(0);
    assert_eq!(users, 0);
    // With its witness back, the same act goes through.
    let out = add_user(home.path(), &db, &w, "aliya");
    assert!(out.status.success(), "{}", stderr(&out));
    assert_eq!(lines(&w).last(), Some(&head(&db)));
}

#[test]
fn a_new_register_is_refused_where_its_witness_already_saw_another() {
    let Some(db) = PgDb::fresh() else { return };
    let home = tempfile::tempdir().unwrap();
    let w = home.path().join("pg.witness");
    std::fs::write(&w, format!("7 {}\n", "ab".repeat(32))).unwrap();
    let out = run(home.path(), &db.url, &w, &["init"]);
    assert_eq!(out.status.code(), Some(1), "{}", stdout(&out));
    assert!(
        stderr(&out).contains("holds the witness of an earlier register"),
        "{}",
        stderr(&out)
    );
    let tables: i64 = db
        .client()
        .query_one(
            "SELECT count(*) FROM pg_tables WHERE schemaname = 'public'",
            &[],
        )
        .unwrap()
        .get(0);
    assert_eq!(tables, 0, "init made tables anyway");
}

#[test]
fn a_register_copied_in_starts_its_witness_at_the_copys_head() {
    let Some(db) = PgDb::fresh() else { return };
    let home = tempfile::tempdir().unwrap();
    let file = home.path().join("register.sqlite");
    let file_witness = home.path().join("file.witness");
    let w = home.path().join("pg.witness");
    let file_url = file.to_str().unwrap();
    assert!(
        run(home.path(), file_url, &file_witness, &["init"])
            .status
            .success()
    );
    let out = run(home.path(), file_url, &w, &["migrate", "--to", &db.url]);
    assert!(out.status.success(), "migrate: {}", stderr(&out));
    assert_eq!(lines(&w), vec![head(&db)]);
    // Another database copied in where that witness already saw a register.
    let Some(other) = PgDb::fresh() else { return };
    let out = run(home.path(), file_url, &w, &["migrate", "--to", &other.url]);
    assert_eq!(out.status.code(), Some(1), "{}", stdout(&out));
    assert!(
        stderr(&out).contains("holds the witness of an earlier register"),
        "{}",
        stderr(&out)
    );
    // And between databases, as an admin copies one.
    let w2 = home.path().join("pg2.witness");
    let out = run(home.path(), &db.url, &w2, &["migrate", "--to", &other.url]);
    assert!(out.status.success(), "migrate URL to URL: {}", stderr(&out));
    assert_eq!(lines(&w2), vec![head(&other)]);
}

#[test]
fn the_consoles_saves_on_postgresql_are_witnessed_as_the_clis_acts() {
    use tizilim::rules::{Law, Login, Role};
    use tizilim::store::engine::{Conn, PgRegister};
    use tizilim::store::services;
    use tizilim::store::sql::locator::PgUrl;
    if std::env::var_os("TIZILIM_WITNESS").is_some_and(|v| !v.is_empty()) {
        // This process's acts would go to that file: not the test's to touch.
        println!("skipped: TIZILIM_WITNESS is set");
        return;
    }
    let Some(db) = PgDb::fresh() else { return };
    tizilim::store::pg::migrate(&mut db.client()).unwrap();
    let url = PgUrl::parse(&db.url).unwrap();
    let amina = Login::new("amina");
    let reg = PgRegister::open(&url, amina.as_str()).unwrap();
    // The default witness, named after this database alone (removed with it).
    let w = reg.witness();
    assert_eq!(w, tizilim::store::witness::default_for_url(&url));
    reg.write(|db| services::create_register(db, &amina, chrono::Utc::now()))
        .unwrap();
    assert_eq!(lines(&w), vec![head(&db)]);
    // The console is given the register as its connection; a save through
    // its worker's `try_write` appends the new head too.
    let conn: Box<dyn Conn> = Box::new(reg);
    let law = Law::load(&[]).unwrap();
    conn.try_write(&mut |tx| {
        services::add_user(
            &services::Context {
                tx,
                law: &law,
                actor: &amina,
                at: chrono::Utc::now(),
            },
            &Login::new("olzhas"),
            Role::Clerk,
        )
    })
    .unwrap();
    let seen = lines(&w);
    assert_eq!(seen.len(), 2, "{seen:?}");
    assert_eq!(seen.last(), Some(&head(&db)));
}
