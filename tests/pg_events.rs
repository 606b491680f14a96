//! The store's write core on PostgreSQL (issue 22): `events::apply` and
//! `journal::append` through `&dyn Sql` write the same rows on both engines.
//! The fixture's register (`common::fixture`) is replayed, journal row by
//! journal row, into an empty PostgreSQL schema and every read model is
//! compared with the file's; then the same events are appended to a copy of
//! the file and to its PostgreSQL copy, and give the same `seq`, `hash` and
//! rows. Run when `TIZILIM_TEST_PG` names a server (`.ci/run` starts one);
//! "skipped" otherwise.

mod common;

use chrono::NaiveDate;
use common::fixture;
use common::pg::PgDb;
use tizilim::rules::Outcome;
use tizilim::store::events::{self, Event, HearingOutcome};
use tizilim::store::schema::READ_MODELS;
use tizilim::store::sql::locator::PgUrl;
use tizilim::store::sql::{self, Pg, Sql, Value};
use tizilim::store::{Store, journal, migrate};

/// Every row of `table` (the columns the file declares, in its order), sorted.
fn rows(db: &dyn Sql, table: &str, columns: &[String]) -> Vec<Vec<Value>> {
    let sql = format!("SELECT {} FROM {}", sql::idents(columns), sql::ident(table));
    let mut out = Vec::new();
    db.for_each(&sql, &[], &mut |r| {
        out.push(r.values()?);
        Ok(())
    })
    .unwrap_or_else(|e| panic!("{table}: {e}"));
    out.sort_by_cached_key(|r| format!("{r:?}"));
    out
}

/// Asserts that `tables` hold the same rows in `file` and in `pg`; the
/// number of rows compared.
fn same_rows<'t>(file: &dyn Sql, pg: &dyn Sql, tables: impl Iterator<Item = &'t str>) -> usize {
    let mut n = 0;
    for table in tables {
        let columns = file.columns(table).unwrap();
        assert!(!columns.is_empty(), "{table}: no such table in the file");
        let want = rows(file, table, &columns);
        let got = rows(pg, table, &columns);
        assert_eq!(got.len(), want.len(), "{table}: rows on PostgreSQL");
        for (g, w) in got.iter().zip(&want) {
            assert_eq!(g, w, "{table}: a row differs");
        }
        n += want.len();
    }
    n
}

fn read_models() -> impl Iterator<Item = &'static str> {
    READ_MODELS.iter().map(|(t, _)| *t)
}

/// The file's journal: `(seq, at, actor, payload)` in order.
fn journal_rows(db: &dyn Sql) -> Vec<(i64, String, String, String)> {
    db.rows(
        "SELECT seq, at, actor, payload FROM journal ORDER BY seq",
        &[],
        |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?)),
    )
    .unwrap()
}

fn count(db: &dyn Sql, table: &str) -> i64 {
    db.one(&format!("SELECT count(*) FROM {table}"), &[], |r| r.get(0))
        .unwrap()
}

#[test]
fn the_fixture_replayed_into_postgresql_has_the_same_read_models() {
    let Some(pgdb) = PgDb::fresh() else { return };
    let (_dir, store) = fixture::register();
    let file: &dyn Sql = store.conn();
    let mut client = pgdb.client();
    tizilim::store::pg::migrate(&mut client).unwrap();
    let journal = journal_rows(file);
    assert!(
        journal.len() > 30,
        "the fixture's journal: {}",
        journal.len()
    );

    let tx = Pg::new(client.transaction().unwrap());
    for (seq, at, actor, payload) in &journal {
        let event: Event = serde_json::from_str(payload).unwrap();
        events::apply_stored(&tx, *seq, at, actor, &event, Some(payload))
            .unwrap_or_else(|e| panic!("journal row {seq} ({}): {e}", event.kind()));
    }
    let compared = same_rows(file, &tx, read_models());
    // Not an empty comparison: the fixture's eight cases and their units,
    // terms, notices and counters are all there.
    assert_eq!(count(&tx, "cases"), 8);
    assert!(count(&tx, "units") >= 15);
    assert!(count(&tx, "terms") > 0 && count(&tx, "notices") > 0);
    assert!(compared > 50, "{compared} rows compared");
    tx.into_inner().commit().unwrap();
}

/// Events a clerk could append next to the fixture: an inclusion (the
/// counter of entries goes up), an exclusion, a hearing held, a complaint
/// forwarded, and two registrations: a known miner's with a new phone (its
/// row updated) and a new miner's (the next id on both engines).
fn next_events(file: &dyn Sql) -> Vec<Event> {
    let day = NaiveDate::from_ymd_opt(2025, 11, 27).unwrap();
    let payload: String = file
        .one(
            "SELECT payload FROM journal WHERE kind = 'case_registered' AND subject = ?1",
            tizilim::args![fixture::INCLUDED],
            |r| r.get(0),
        )
        .unwrap();
    let Event::CaseRegistered {
        application,
        missing,
        ..
    } = serde_json::from_str::<Event>(&payload).unwrap()
    else {
        panic!("{payload}")
    };
    let mut moved = application.clone();
    moved.applicant.phone = "+77019998877".into();
    let mut newcomer = application;
    newcomer.applicant.bin_iin = common::bin_number(4242);
    newcomer.applicant.name = "Qazaq Newcomer LLP".into();
    newcomer.applicant.legal_address = None;
    for (i, u) in newcomer.units.iter_mut().enumerate() {
        u.serial = format!("NEWCOMER{i:06}");
    }
    vec![
        Event::DecisionIssued {
            case: fixture::UNDER_REVIEW.into(),
            outcome: Outcome::Included,
            number: "INC-2025-000003".into(),
            issued_on: day,
            grounds: vec![],
            ground_nos: vec![],
            reason: None,
            entries: vec![8, 9, 10],
            changes: vec![],
        },
        Event::DecisionIssued {
            case: fixture::EXCLUSION.into(),
            outcome: Outcome::Excluded,
            number: "EXC-2025-000001".into(),
            issued_on: day,
            grounds: vec![],
            ground_nos: vec![],
            reason: None,
            entries: vec![3, 4],
            changes: vec![],
        },
        Event::HearingHeld {
            case: fixture::HEARING_NOTIFIED.into(),
            held_on: day,
            outcome: HearingOutcome::Absent,
            position: None,
        },
        Event::ComplaintForwarded {
            number: fixture::COMPLAINT.into(),
            forwarded_on: day,
        },
        Event::CaseRegistered {
            number: "ABK-2025-000009".into(),
            registered_on: day,
            missing: missing.clone(),
            application: moved,
            synthetic: false,
        },
        Event::CaseRegistered {
            number: "ABK-2025-000010".into(),
            registered_on: day,
            missing,
            application: newcomer,
            synthetic: false,
        },
    ]
}

#[test]
fn appending_on_postgresql_chains_as_on_the_file() {
    let Some(pgdb) = PgDb::fresh() else { return };
    let (dir, store) = fixture::register();
    let url = PgUrl::parse(&pgdb.url).unwrap();
    migrate::file_to_postgres(&store, &url).unwrap();
    let copy = dir.path().join("copy.sqlite");
    migrate::file_to_file(&store, &copy).unwrap();
    drop(store);
    let mut lite = Store::open(&copy).unwrap();
    let events = next_events(lite.conn());
    let (before, _) = migrate::head_of(lite.conn()).unwrap();

    let mut client = pgdb.client();
    let pg = Pg::new(client.transaction().unwrap());
    for (i, event) in events.iter().enumerate() {
        let on_file = lite
            .write(|tx| journal::append(tx, fixture::now(), fixture::CLERK, event))
            .unwrap_or_else(|e| panic!("{}: on the file: {e}", event.kind()));
        let on_pg = journal::append(&pg, fixture::now(), fixture::CLERK, event)
            .unwrap_or_else(|e| panic!("{}: on PostgreSQL: {e}", event.kind()));
        assert_eq!(on_pg, on_file, "{}: seq", event.kind());
        assert_eq!(on_file, before + 1 + i as i64);
        let hash = |db: &dyn Sql| -> String {
            db.one(
                "SELECT hash FROM journal WHERE seq = ?1",
                tizilim::args![on_file],
                |r| r.get(0),
            )
            .unwrap()
        };
        assert_eq!(hash(&pg), hash(lite.conn()), "{}: hash", event.kind());
    }
    let file: &dyn Sql = lite.conn();
    same_rows(file, &pg, read_models().chain(["journal"]));
    let db: &dyn Sql = &pg;
    // What the events did, on both: entries 8–10 included, 3–4 excluded,
    // the known miner's phone changed in place, the newcomer a new row.
    let included: i64 = db
        .one(
            "SELECT count(*) FROM units WHERE entry_no BETWEEN 8 AND 10 AND status = 'included'",
            &[],
            |r| r.get(0),
        )
        .unwrap();
    assert_eq!(included, 3);
    let entry: i64 = db
        .one(
            "SELECT value FROM counters WHERE name = 'entry'",
            &[],
            |r| r.get(0),
        )
        .unwrap();
    assert_eq!(entry, 10);
    let miners: Vec<(i64, String)> = db
        .rows("SELECT id, phone FROM miners ORDER BY id", &[], |r| {
            Ok((r.get(0)?, r.get(1)?))
        })
        .unwrap();
    assert!(miners.iter().any(|(_, p)| p == "+77019998877"));
    assert_eq!(
        miners.last().map(|m| m.0),
        Some(miners.len() as i64),
        "ids without a gap: {miners:?}"
    );
    pg.into_inner().commit().unwrap();
}
