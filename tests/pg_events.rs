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
use tizilim::rules::{Outcome, Role};
use tizilim::store::dedup::{self, Prior};
use tizilim::store::events::{self, DeliveryVia, EntryChange, Event, HearingOutcome};
use tizilim::store::model::DocumentKind;
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
    // A resubmission is recognised on PostgreSQL as on the file.
    for (_, _, _, payload) in &journal {
        let Ok(Event::CaseRegistered {
            number,
            application,
            ..
        }) = serde_json::from_str::<Event>(payload)
        else {
            continue;
        };
        let same = Some(Prior::Same {
            case: number.clone(),
        });
        assert_eq!(dedup::find(&tx, &application).unwrap(), same, "{number}");
        assert_eq!(dedup::find(file, &application).unwrap(), same, "{number}");
        let mut by_request = application.clone();
        by_request.request_no = Some(format!("REQ-{number}"));
        assert_eq!(
            dedup::find(&tx, &by_request).unwrap(),
            dedup::find(file, &by_request).unwrap(),
            "{number} with a request number"
        );
    }
    tx.into_inner().commit().unwrap();
}

/// Events appended next to the fixture, one at least of each kind `apply`
/// writes the fixture holds none of: an inclusion (the counter of entries
/// goes up), an exclusion, an amendment, a hearing held, a complaint
/// forwarded, two registrations (a known miner's with a new phone: its row
/// updated; a new miner's: the next id on both engines), a document
/// attached, a delivery, a desk refusal, a day of the calendar amended
/// twice, the law informed, a user added then promoted, a seal, a key
/// revoked.
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
    let fingerprint: String = file
        .one("SELECT fingerprint FROM signing_keys", &[], |r| r.get(0))
        .unwrap();
    let mut moved = application.clone();
    moved.applicant.phone = "+77019998877".into();
    let mut moved_again = moved.clone();
    moved_again.applicant.email = "desk@saryarkahash.kz".into();
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
            missing: missing.clone(),
            application: newcomer,
            synthetic: false,
        },
        // §15: an amendment of entry 1 (its model and hashrate only).
        Event::DecisionIssued {
            case: fixture::INCLUDED.into(),
            outcome: Outcome::Amended,
            number: "AMD-2025-000001".into(),
            issued_on: day,
            grounds: vec![],
            ground_nos: vec![],
            reason: None,
            entries: vec![1],
            changes: vec![EntryChange {
                entry_no: 1,
                before: serde_json::json!({"model": "Antminer S21"}),
                after: serde_json::json!({"model": "Antminer S21 Pro", "hashrate_ths": 234.0}),
            }],
        },
        Event::DocumentAttached {
            case: fixture::INCOMPLETE.into(),
            doc_kind: DocumentKind::OwnershipProof,
            name: "lease 2026.pdf".into(),
            number: Some("L-77".into()),
            valid_until: NaiveDate::from_ymd_opt(2026, 12, 31),
            sha256: "ab".repeat(32),
            size: 123_456,
            attached_on: day,
            missing: vec![],
        },
        Event::NoticeDelivered {
            notice: "REF-2025-000001".into(),
            case: fixture::REFUSED.into(),
            via: DeliveryVia::Email,
            on: day,
        },
        Event::DeskRefused {
            receipt: "DSK-2025-000001".into(),
            refused_on: day,
            missing: vec!["ownership_proof".into()],
            lang: "ru".into(),
            application: moved_again,
        },
        Event::CalendarAmended {
            date: NaiveDate::from_ymd_opt(2025, 12, 31).unwrap(),
            working: false,
            act: "Resolution No. 1".into(),
        },
        // The same day again: the amendment replaces the first.
        Event::CalendarAmended {
            date: NaiveDate::from_ymd_opt(2025, 12, 31).unwrap(),
            working: true,
            act: "Resolution No. 2".into(),
        },
        Event::LawInformed {
            change: "LAW-2025-11-27".into(),
            informed_on: day,
        },
        Event::UserAdded {
            login: "dana".into(),
            role: Role::Clerk,
            previous_role: None,
        },
        Event::UserAdded {
            login: "dana".into(),
            role: Role::Supervisor,
            previous_role: Some(Role::Clerk),
        },
        Event::UserIinSet {
            login: "dana".into(),
            iin: "900101400123".into(),
        },
        Event::SealRecorded {
            head_seq: 1,
            head_hash: "cd".repeat(32),
            signer: "admin".into(),
            fingerprint: fingerprint.clone(),
            signature: "c2lnbmF0dXJl".into(),
        },
        Event::KeyRevoked {
            fingerprint,
            revoked_on: day,
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

/// A demo register (its complaints decided, cases reopened, amendments and
/// exclusions) replayed into PostgreSQL: the same read models.
#[test]
fn a_demo_register_replayed_into_postgresql_has_the_same_read_models() {
    let Some(pgdb) = PgDb::fresh() else { return };
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("demo.sqlite");
    let out = std::process::Command::new(common::bin())
        .arg("--db")
        .arg(&path)
        .args(["demo", "--cases", "600", "--units", "1500"])
        .args(["--at", "2026-11-26T11:00:00+05:00"])
        .env_remove("TIZILIM_DB")
        .env("HOME", dir.path())
        .env("TIZILIM_LANG", "en")
        .current_dir(dir.path())
        .output()
        .unwrap();
    assert!(out.status.success(), "demo: {}", common::stderr(&out));
    let store = Store::open(&path).unwrap();
    let file: &dyn Sql = store.conn();
    let journal = journal_rows(file);
    let mut client = pgdb.client();
    tizilim::store::pg::migrate(&mut client).unwrap();
    let tx = Pg::new(client.transaction().unwrap());
    let mut kinds = std::collections::BTreeSet::new();
    for (seq, at, actor, payload) in &journal {
        let event: Event = serde_json::from_str(payload).unwrap();
        events::apply_stored(&tx, *seq, at, actor, &event, Some(payload))
            .unwrap_or_else(|e| panic!("journal row {seq} ({}): {e}", event.kind()));
        kinds.insert(event.kind());
    }
    for kind in ["case_reopened", "complaint_decided", "decision_issued"] {
        assert!(kinds.contains(kind), "the demo made no {kind}: {kinds:?}");
    }
    let amended: i64 = file
        .one(
            "SELECT count(*) FROM decisions WHERE outcome = 'amended'",
            &[],
            |r| r.get(0),
        )
        .unwrap();
    assert!(amended > 0, "the demo made no amendment");
    same_rows(file, &tx, read_models());
    tx.into_inner().commit().unwrap();
}
