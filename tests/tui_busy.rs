//! The console never freezes (issue 17): the real binary in a pseudo-terminal
//! saves an act while another session holds the register's write lock. The
//! form says it is waiting; the console keeps drawing (a resize, the lock
//! holder's own commit); keys typed meanwhile stay in the form (refused
//! there: `XYZ` is not typed into it, `q` does not quit); Esc cancels the
//! wait and nothing is stored; with the lock gone, Ctrl-S stores the act.
//! The same for the desk's intake form.

mod common;

use std::sync::Arc;
use std::time::Duration;

use common::pty::Console;
use rusqlite::{Connection, Transaction, TransactionBehavior};
use tizilim::tui::worker;

/// The console at `now`, signing with the register's own test key: the
/// hearing notice is signed (§11), its passphrase in the test's file.
fn open(db: &std::path::Path, now: &str) -> Console {
    let dir = db.parent().unwrap();
    let path = |p: std::path::PathBuf| p.to_str().unwrap().to_string();
    let (home, trust, pass) = (
        path(dir.to_path_buf()),
        path(dir.join("trust")),
        path(dir.join("passphrase")),
    );
    Console::open(
        db,
        &[
            ("TIZILIM_NOW", now),
            ("HOME", &home),
            ("TIZILIM_TRUST_DIR", &trust),
            ("TIZILIM_PASSPHRASE_FILE", &pass),
        ],
        &[],
    )
}

const NOW: &str = "2025-11-27T11:00:00+05:00";

fn notices(r: &common::Register) -> i64 {
    r.sql()
        .query_row(
            "SELECT count(*) FROM journal WHERE kind = 'hearing_notified'",
            [],
            |x| x.get(0),
        )
        .unwrap()
}

#[test]
fn a_save_waits_for_a_held_write_lock_and_the_console_keeps_drawing() {
    let r = common::Register::new();
    let mut app = common::inclusion("BUSY", 1);
    common::set(
        &mut app,
        "received_at",
        Some("2025-11-26T10:00:00+05:00".into()),
    );
    let file = r.write_json("app.json", &app);
    assert!(r.run(&["intake", file.to_str().unwrap()]).status.success());
    let case: String = r
        .sql()
        .query_row("SELECT number FROM cases", [], |x| x.get(0))
        .unwrap();

    let mut c = open(&r.db, NOW);
    c.wait_for("all open");
    c.send("/");
    c.send(&case);
    c.send("\r");
    c.wait_for("1/1");
    c.send("\r");
    c.wait_for("Actions");
    c.send("p");
    c.wait_for("§12: send by");
    c.send("2\tSerials do not match.\t\t\t\tAstana, room 402");
    c.settle(Duration::from_millis(200));
    assert!(c.contents().contains("overdue: 0"), "{}", c.contents());

    // Another session (this test, on its own connection) holds the write lock.
    let other = tizilim::store::Store::open(&r.db).unwrap();
    let conn = other.conn();
    let law = tizilim::rules::Law::load(
        &tizilim::store::read::queries::calendar_amendments(conn).unwrap(),
    )
    .unwrap();
    let hold = || Transaction::new_unchecked(conn, TransactionBehavior::Immediate).unwrap();
    let tx = hold();

    c.send("\x13"); // Ctrl-S
    c.wait_for("the register is busy");

    // A resize is drawn while the save waits.
    let before = c.sent_bytes();
    c.resize(100, 30);
    c.wait_until("a frame at 100×30", |c| {
        c.sent_bytes() > before && c.contents().contains("the register is busy")
    });
    c.settle(Duration::from_millis(200));

    // Keys typed meanwhile stay in the form: not typed into it, and `q`
    // (quit anywhere but in a form) does not quit.
    c.send("XYZq");
    c.settle(Duration::from_millis(300));
    assert!(c.alive(), "q reached the pane behind the form");
    let screen = c.contents();
    assert!(!screen.contains("XYZ"), "{screen}");
    assert!(screen.contains("Serials do not match."), "{screen}");
    assert!(screen.contains("the register is busy"), "{screen}");

    // The lock holder's own commit (an application registered long ago:
    // overdue at once), the lock taken again at once: drawn while the save
    // still waits.
    let mut old = common::inclusion("OTHER", 1);
    common::set(&mut old, "request_no", Some("OTHER-1".into()));
    let now = chrono::DateTime::parse_from_rfc3339(NOW)
        .unwrap()
        .with_timezone(&chrono::Utc);
    let application =
        tizilim::intake::parse_application(old.to_string().as_bytes(), now, &law).unwrap();
    let actor: tizilim::rules::Login = common::os_login().as_str().into();
    let ctx = tizilim::store::services::Context {
        tx: &tx,
        law: &law,
        actor: &actor,
        at: now,
    };
    let o = tizilim::intake::register_in(&ctx, "other.json", application).unwrap();
    assert!(o.case.is_some(), "{o:?}");
    tx.commit().unwrap();
    let tx = hold();
    c.wait_for("overdue: 1");
    assert!(
        c.contents().contains("the register is busy"),
        "{}",
        c.contents()
    );

    // Esc cancels the wait: the form is still there with its input, and
    // nothing was stored.
    c.send("\x1b");
    c.wait_for("the save was cancelled");
    let screen = c.contents();
    assert!(screen.contains("Serials do not match."), "{screen}");
    assert!(screen.contains("§12: send by"), "{screen}");
    drop(tx); // rolled back: the lock is gone
    assert_eq!(notices(&r), 0, "a cancelled save stored nothing");

    // The lock gone, the same form saves.
    c.send("\x13");
    c.wait_for("signed and issued");
    assert_eq!(notices(&r), 1);
    c.quit();
    drop(other);
    let out = r.run(&["audit", "verify"]);
    assert!(out.status.success(), "{}", common::stderr(&out));
}

/// The desk's intake form saved while another session holds the write lock:
/// the status line says so, keys typed meanwhile are not typed into the
/// part on screen (the documents), Esc cancels with no case stored and the
/// form on the same part, and Ctrl-S registers the case once the lock is gone.
#[test]
fn an_intake_save_waits_for_a_held_write_lock_and_esc_cancels_it() {
    let r = common::Register::new();
    let mut c = open(&r.db, NOW);
    c.wait_for("all open");
    c.send("i");
    c.wait_for("Paper application");
    c.send("\t\tEkibastuz Compute LLP\t");
    c.send(&common::bin_number(17));
    c.send("\tEkibastuz, Satpayev st. 12\t+7 701 123 45 67\toffice@example.kz\t \t");
    c.send("Pavlodar region, Ekibastuz, industrial zone 4\t8471 50 000 0\t");
    c.settle(Duration::from_millis(200));
    c.send("\x1b[6~"); // PgDn: the ABKs
    c.wait_for("ABK data");
    c.send("Bitmain\tAntminer S19j Pro\tBUSYDESK0001\t104\t3.07\t");
    c.settle(Duration::from_millis(200));
    c.send("\x1b[18~"); // F7: the documents
    c.wait_for("Documents attached");
    c.send("\tlease-2025-17.pdf\t31.12.2099");
    c.settle(Duration::from_millis(200));
    let cases = |r: &common::Register| -> i64 {
        r.sql()
            .query_row("SELECT count(*) FROM cases", [], |x| x.get(0))
            .unwrap()
    };
    assert_eq!(cases(&r), 0);

    let holder = r.sql();
    holder.execute_batch("BEGIN IMMEDIATE").unwrap();
    c.send("\x13"); // Ctrl-S
    c.wait_for("the register is busy");
    c.send("XYZq");
    c.settle(Duration::from_millis(300));
    assert!(c.alive(), "q reached the pane behind the form");
    let screen = c.contents();
    assert!(!screen.contains("XYZ"), "{screen}");
    assert!(screen.contains("Documents attached"), "{screen}");
    c.send("\x1b");
    c.wait_for("the save was cancelled");
    let screen = c.contents();
    assert!(
        screen.contains("Documents attached"),
        "the same part: {screen}"
    );
    assert!(screen.contains("lease-2025-17.pdf"), "{screen}");
    holder.execute_batch("ROLLBACK").unwrap();
    assert_eq!(cases(&r), 0, "a cancelled save stored nothing");

    c.send("\x13");
    c.wait_for("Registered as ABK-");
    assert_eq!(cases(&r), 1);
    c.send("\r");
    c.wait_for("Summary");
    c.quit();
    let out = r.run(&["audit", "verify"]);
    assert!(out.status.success(), "{}", common::stderr(&out));
}

/// The worker's wait for the write lock, alone: it waits while another
/// connection holds the lock, Esc (the cancel flag) ends the wait with
/// nothing stored, and the same write goes through once the lock is gone.
#[test]
fn a_held_lock_is_waited_for_and_esc_ends_the_wait() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("r.sqlite");
    let holder = Connection::open(&path).unwrap();
    holder.pragma_update(None, "journal_mode", "WAL").unwrap();
    holder.execute_batch("CREATE TABLE t(x)").unwrap();
    holder.execute_batch("BEGIN IMMEDIATE").unwrap();
    let conn = Connection::open(&path).unwrap();
    conn.busy_timeout(worker::STEP).unwrap();
    let p = Arc::new(worker::Progress::default());
    let flags = Arc::clone(&p);
    let stop = std::thread::spawn(move || {
        while !flags.busy.load(std::sync::atomic::Ordering::SeqCst) {
            std::thread::sleep(Duration::from_millis(5));
        }
        flags
            .cancel
            .store(true, std::sync::atomic::Ordering::SeqCst);
    });
    let r = worker::Desk::new(&conn, &p).write(|db| db.execute("INSERT INTO t VALUES (1)", &[]));
    stop.join().unwrap();
    assert_eq!(r.err(), Some(worker::Cancelled));
    holder.execute_batch("COMMIT").unwrap();
    let n: i64 = holder
        .query_row("SELECT count(*) FROM t", [], |r| r.get(0))
        .unwrap();
    assert_eq!(n, 0, "a cancelled save stores nothing");
    // The lock gone, the same write goes through.
    let p = worker::Progress::default();
    let r = worker::Desk::new(&conn, &p).write(|db| db.execute("INSERT INTO t VALUES (1)", &[]));
    assert_eq!(r.unwrap().unwrap(), 1);
}

/// The same on PostgreSQL (issue 22): another session holds the writers'
/// advisory lock in an open transaction; the console's worker does not
/// block on it — it tries, says it is waiting, and Esc ends the wait with
/// nothing stored; the lock gone, the same write goes through (and its
/// commit is announced to a listening console).
#[test]
fn a_held_lock_on_postgresql_is_waited_for_and_esc_ends_the_wait() {
    use tizilim::store::engine::{CHANNEL, Conn, WRITER_LOCK};
    use tizilim::store::sql::Pg;
    let Some(db) = common::pg::PgDb::fresh() else {
        return;
    };
    let mut holder = db.client();
    holder
        .batch_execute("CREATE TABLE journal (seq BIGINT PRIMARY KEY); CREATE TABLE t (x BIGINT)")
        .unwrap();
    let listener = Pg::new(db.client());
    let before = listener.commits().unwrap();
    let mut lock = holder.transaction().unwrap();
    lock.execute("SELECT pg_advisory_xact_lock($1)", &[&WRITER_LOCK])
        .unwrap();
    let conn = Pg::new(db.client());
    let p = Arc::new(worker::Progress::default());
    let flags = Arc::clone(&p);
    let stop = std::thread::spawn(move || {
        while !flags.busy.load(std::sync::atomic::Ordering::SeqCst) {
            std::thread::sleep(Duration::from_millis(5));
        }
        flags
            .cancel
            .store(true, std::sync::atomic::Ordering::SeqCst);
    });
    let r = worker::Desk::new(&conn, &p).write(|db| db.execute("INSERT INTO t VALUES (1)", &[]));
    stop.join().unwrap();
    assert_eq!(r.err(), Some(worker::Cancelled));
    lock.commit().unwrap();
    let n: i64 = holder
        .query_one("SELECT count(*) FROM t", &[])
        .unwrap()
        .get(0);
    assert_eq!(n, 0, "a cancelled save stores nothing");
    assert_eq!(listener.commits().unwrap(), before, "nothing announced");
    let p = worker::Progress::default();
    let r = worker::Desk::new(&conn, &p).write(|db| {
        db.execute("INSERT INTO journal VALUES (7)", &[])?;
        db.execute("INSERT INTO t VALUES (1)", &[])
    });
    assert_eq!(r.unwrap().unwrap(), 1);
    // The commit's NOTIFY carries the journal's head, heard without waiting
    // (it may take a moment to arrive).
    let mut heard = listener.commits().unwrap();
    for _ in 0..100 {
        if heard != before {
            break;
        }
        std::thread::sleep(Duration::from_millis(10));
        heard = listener.commits().unwrap();
    }
    assert_eq!(heard, 7, "the new head, announced on {CHANNEL}");
}
