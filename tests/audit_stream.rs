//! `audit verify` compares the rows of a case as soon as no later journal
//! row can change them, then forgets them (issue 18: bounded memory). A
//! register large enough for several such sweeps: tampering with a row
//! compared early, one compared late (a unit another case excluded), a row
//! the journal never wrote, is still found and named.

mod common;

use std::path::Path;
use std::sync::OnceLock;

use common::*;

/// One demo register (about 11,000 journal rows: two sweeps before the
/// end), copied for each test.
fn demo() -> &'static Register {
    static DEMO: OnceLock<Register> = OnceLock::new();
    DEMO.get_or_init(|| {
        let reg = Register::new();
        let out = reg.run(&[
            "demo",
            "--cases",
            "2500",
            "--units",
            "6000",
            "--seed",
            "11",
            "--at",
            "2026-11-24T12:00:00",
        ]);
        assert!(out.status.success(), "{}", stderr(&out));
        let rows: i64 = reg
            .sql()
            .query_row("SELECT count(*) FROM journal", [], |r| r.get(0))
            .unwrap();
        assert!(rows > 2 * 4096, "{rows} journal rows: too few for a sweep");
        reg
    })
}

/// A copy of the demo register with `sql` applied behind the journal's back.
fn tampered(sql: &str) -> (tempfile::TempDir, std::process::Output) {
    let src = &demo().db;
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("register.sqlite");
    std::fs::copy(src, &db).unwrap();
    let witness = Path::new(&format!("{}.witness", src.display())).to_path_buf();
    if witness.exists() {
        std::fs::copy(&witness, format!("{}.witness", db.display())).unwrap();
    }
    let conn = rusqlite::Connection::open(&db).unwrap();
    // An attacker's own connection: no foreign keys checked.
    conn.execute_batch("PRAGMA foreign_keys = OFF").unwrap();
    conn.execute_batch(sql).unwrap();
    drop(conn);
    let out = std::process::Command::new(bin())
        .arg("--db")
        .arg(&db)
        .env_remove("TIZILIM_DB")
        .env("HOME", dir.path())
        .args(["audit", "verify"])
        .output()
        .unwrap();
    (dir, out)
}

fn query(sql: &str) -> String {
    demo()
        .sql()
        .query_row(sql, [], |r| r.get::<_, rusqlite::types::Value>(0))
        .map(|v| match v {
            rusqlite::types::Value::Integer(i) => i.to_string(),
            rusqlite::types::Value::Text(t) => t,
            other => panic!("{other:?}"),
        })
        .unwrap()
}

fn fails_with(sql: &str, want: &str) {
    let (_dir, out) = tampered(sql);
    assert_eq!(out.status.code(), Some(1), "{sql}: {}", stdout(&out));
    assert!(stderr(&out).contains(want), "{sql}: {}", stderr(&out));
}

#[test]
fn the_untouched_demo_verifies() {
    let (_dir, out) = tampered("SELECT 1");
    assert!(out.status.success(), "{}", stderr(&out));
    assert!(
        stdout(&out).contains("read models match"),
        "{}",
        stdout(&out)
    );
}

#[test]
fn an_early_case_changed_is_found() {
    fails_with(
        "UPDATE cases SET tn_ved_code = '0000000000' WHERE id = 5",
        "table cases, row 5: column tn_ved_code",
    );
}

#[test]
fn a_unit_excluded_long_after_its_inclusion_is_compared_as_excluded() {
    // The first unit another case excluded: kept past its own case's sweep.
    let id = query("SELECT min(id) FROM units WHERE status = 'excluded'");
    fails_with(
        &format!("UPDATE units SET status = 'included' WHERE id = {id}"),
        &format!("table units, row {id}: column status"),
    );
    fails_with(
        &format!("UPDATE units SET excluded_on = NULL WHERE id = {id}"),
        &format!("table units, row {id}: column excluded_on"),
    );
}

#[test]
fn a_unit_moved_to_another_case_is_found() {
    let id = query("SELECT min(id) FROM units WHERE case_id > 100");
    fails_with(
        &format!("UPDATE units SET case_id = 3, idx = 900 WHERE id = {id}"),
        &format!("table units, row {id}: column case_id"),
    );
}

#[test]
fn rows_the_journal_never_wrote_are_found() {
    fails_with(
        "INSERT INTO units (id, case_id, idx, brand, model, serial, hashrate_ths, power_kw,
            condition, status) VALUES (99999999, 1, 999, 'B', 'M', 'FORGED1', 1, 1, 'serviceable', 'pending')",
        "table units, row 99999999: is in the database but not in the journal",
    );
    fails_with(
        "INSERT INTO decisions (number, case_id, outcome, issued_on, grounds)
            VALUES ('INC-2024-999999', 999999, 'included', '2024-01-01', '[]')",
        "table decisions, row INC-2024-999999: is in the database but not in the journal",
    );
    fails_with(
        "INSERT INTO documents (case_id, idx, kind, name) VALUES (7, 99, 'passport', 'x.pdf')",
        "table documents, row 7,99: rows differ",
    );
}

#[test]
fn rows_missing_or_changed_in_every_streamed_table_are_found() {
    let case = query("SELECT min(case_id) FROM documents WHERE case_id > 40");
    fails_with(
        &format!("DELETE FROM documents WHERE case_id = {case} AND idx = 0"),
        "table documents, row",
    );
    let notice = query("SELECT min(number) FROM notices");
    fails_with(
        // The notice's text lives only in its journal row (schema v7): the
        // table's own columns are what can be changed behind its back.
        &format!("UPDATE notices SET issued_on = '2020-01-01' WHERE number = '{notice}'"),
        &format!("table notices, row {notice}: column issued_on"),
    );
    let term = query("SELECT min(seq) FROM terms WHERE seq > 5000");
    fails_with(
        &format!("UPDATE terms SET late_wd = late_wd + 1 WHERE seq = {term}"),
        &format!("table terms, row {term}: column late_wd"),
    );
    let decision = query("SELECT min(number) FROM decisions");
    fails_with(
        &format!("UPDATE decisions SET issued_on = '2020-01-01' WHERE number = '{decision}'"),
        &format!("table decisions, row {decision}: column issued_on"),
    );
    fails_with(
        "UPDATE intake_keys SET content_hash = 'x' WHERE case_id = 9",
        "table intake_keys, row 9: column content_hash",
    );
    let item = query("SELECT min(case_id) FROM case_items");
    fails_with(
        &format!("UPDATE case_items SET wording = '{{}}' WHERE case_id = {item} AND idx = 0"),
        &format!("table case_items, row {item},0: column wording"),
    );
    fails_with(
        "UPDATE miners SET phone = '+77000000000' WHERE id = 2",
        "table miners, row 2: column phone",
    ); // A row that names another journal row than its own event's.
    fails_with(
        "UPDATE cases SET registered_seq = registered_seq + 1 WHERE id = 12",
        "table cases, row 12: column registered_seq",
    );
    fails_with(
        &format!("UPDATE notices SET seq = seq - 1 WHERE number = '{notice}'"),
        &format!("table notices, row {notice}: column seq"),
    );
}

#[test]
fn a_journal_row_changed_is_named_by_the_chain() {
    // The quick pass reads subjects without their payloads: a changed one
    // breaks the chain, and the audit says where.
    fails_with(
        "DROP TRIGGER journal_append_only_u;
         UPDATE journal SET subject = 'ABK-0000-000000' WHERE seq = 6001",
        "journal row 6001: content does not match its hash",
    );
    fails_with(
        "DROP TRIGGER journal_append_only_u;
         UPDATE journal SET payload = replace(payload, '\"units\"', '\"unitz\"')
         WHERE seq = (SELECT min(seq) FROM journal WHERE kind = 'case_registered' AND seq > 5000)",
        "content does not match its hash",
    );
}

#[test]
fn the_replay_reads_every_payload_as_the_event_it_is() {
    // `events::parse_replayed` reads four kinds straight into their fields
    // (issue 18); each must be the event serde's own reading gives, but for
    // a notice's text and signature, which no read model holds.
    use tizilim::store::events::{Event, parse_replayed};
    let conn = demo().sql();
    let mut st = conn
        .prepare("SELECT seq, kind, payload FROM journal ORDER BY seq")
        .unwrap();
    let mut q = st.query([]).unwrap();
    let mut kinds = std::collections::BTreeMap::<String, usize>::new();
    while let Some(r) = q.next().unwrap() {
        let (seq, kind, payload): (i64, String, String) =
            (r.get(0).unwrap(), r.get(1).unwrap(), r.get(2).unwrap());
        let mut whole: Event = serde_json::from_str(&payload).unwrap();
        if let Event::NoticeIssued {
            content, signature, ..
        } = &mut whole
        {
            assert!(!content.is_empty() && !signature.is_empty(), "row {seq}");
            content.clear();
            signature.clear();
        }
        assert_eq!(parse_replayed(&kind, &payload).unwrap(), whole, "row {seq}");
        *kinds.entry(kind).or_default() += 1;
    }
    for kind in [
        "case_registered",
        "notice_issued",
        "decision_issued",
        "term_ended",
    ] {
        assert!(
            kinds.get(kind).copied().unwrap_or(0) > 100,
            "{kind}: {kinds:?}"
        );
    }
    // A payload whose own kind is another is read as what it says it is.
    let other = conn
        .query_row(
            "SELECT payload FROM journal WHERE kind = 'term_ended' LIMIT 1",
            [],
            |r| r.get::<_, String>(0),
        )
        .unwrap();
    let read = parse_replayed("decision_issued", &other);
    assert!(matches!(read, Ok(Event::TermEnded { .. })), "{read:?}");
}
