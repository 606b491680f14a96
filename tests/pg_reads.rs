//! Issue 22: the read models on both engines. The fixture's register
//! (`common::fixture`: named cases in known stages, signed notices, a
//! complaint, a serial conflict) is copied to PostgreSQL with
//! `store::migrate::file_to_postgres`; then every public read of
//! `store::read` — the queue's snapshot and pages, the partial reload's
//! changes, case files, notices and keys, the law's §16 clocks, terms and the
//! supervisors' report, the register's rows — answers the same from the file
//! and from `Pg::new(client)` (compared as `{:?}` or JSON).
//!
//! Runs when `TIZILIM_TEST_PG` names a server whose role may create
//! databases (`scripts/pg-cluster.sh start`); says "skipped" otherwise.

mod common;

use std::fmt::Debug;

use chrono::NaiveDate;
use common::fixture;
use common::pg::PgDb;
use tizilim::rules::Law;
use tizilim::store::read::{case_file, changes, law, notices, queries, queue, register, terms};
use tizilim::store::sql::locator::PgUrl;
use tizilim::store::sql::{Engine, Pg, Sql};

/// The two registers side by side: the file and its copy on PostgreSQL.
struct Both<'a> {
    file: &'a dyn Sql,
    pg: &'a dyn Sql,
    compared: usize,
}

impl Both<'_> {
    /// `read` answers alike on both engines (its `{:?}`, errors included).
    fn same<T: Debug>(&mut self, what: &str, read: impl Fn(&dyn Sql) -> T) -> String {
        let (a, b) = (
            format!("{:?}", read(self.file)),
            format!("{:?}", read(self.pg)),
        );
        assert_eq!(a, b, "{what}: the file's answer, then PostgreSQL's");
        self.compared += 1;
        a
    }

    /// Likewise, an answer that must succeed and is compared as JSON.
    fn same_json<T: serde::Serialize>(
        &mut self,
        what: &str,
        read: impl Fn(&dyn Sql) -> tizilim::store::Result<T>,
    ) -> serde_json::Value {
        let json = |db: &dyn Sql| {
            serde_json::to_value(read(db).unwrap_or_else(|e| panic!("{what}: {e}"))).unwrap()
        };
        let (a, b) = (json(self.file), json(self.pg));
        assert_eq!(a, b, "{what}: the file's answer, then PostgreSQL's");
        self.compared += 1;
        a
    }
}

fn day(s: &str) -> NaiveDate {
    NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap()
}

#[test]
fn every_read_answers_alike_from_a_file_and_from_its_copy_on_postgresql() {
    let Some(pgdb) = PgDb::fresh() else { return };
    let (_dir, mut store) = fixture::register();
    // A change of the law on the record (§16): a day off decreed "now".
    store
        .write(|tx| {
            tizilim::store::services::amend_calendar(
                &tizilim::store::services::Context {
                    tx,
                    law: &Law::load(&[]).unwrap(),
                    actor: &tizilim::rules::Login::new("admin"),
                    at: fixture::now(),
                },
                day("2025-12-31"),
                false,
                "Government decree No. 1 (test)",
            )
        })
        .unwrap();
    let url = PgUrl::parse(&pgdb.url).unwrap();
    tizilim::store::migrate::file_to_postgres(&store, &url).unwrap();
    let pg = Pg::new(pgdb.client());
    let file: &dyn Sql = store.conn();
    assert_eq!(file.engine(), Engine::Sqlite);
    assert_eq!((&pg as &dyn Sql).engine(), Engine::Postgres);
    let mut both = Both {
        file,
        pg: &pg,
        compared: 0,
    };

    // The law as each register holds it (its calendar amendments).
    both.same("calendar amendments", |db| {
        queries::calendar_amendments(db).map(|a| format!("{a:?}"))
    });
    let law: Law = Law::load(&queries::calendar_amendments(&pg).unwrap()).unwrap();
    let today = law.calendar.local_date(fixture::now());
    let zone = law.rules.office.zone;

    // The queue: one pass over the open cases and complaints, its pages.
    let snap = both.same("the queue's snapshot", |db| {
        queue::snapshot(db, &law, today).unwrap()
    });
    assert!(snap.contains(fixture::INCOMPLETE), "{snap}");
    assert!(snap.contains(fixture::COMPLAINT), "{snap}");
    let s = queue::snapshot(file, &law, today).unwrap();
    assert!(s.queue.len() >= 5, "{:?}", s.queue);
    let ids: Vec<i64> = s.queue.iter().map(|e| e.key.id).collect();
    both.same("a page of the queue", |db| {
        queue::rows(db, &law, today, &ids)
    });
    both.same("running clocks", |db| {
        queue::running_clocks(db, &law, today)
    });
    for d in ["2025-10-09", "2025-11-07", "2025-11-27"] {
        both.same("decided on", |db| queue::decided_on(db, day(d), 10));
    }
    // Search: a number, its sequence alone, a BIN prefix, a name in another
    // case (LIKE ignores ASCII case on both), a serial with Cyrillic
    // look-alikes, nothing.
    let cyrillic = fixture::CONFLICT_SERIAL.replace('M', "М").replace('T', "Т");
    for q in [
        fixture::REFUSED,
        "3",
        "000005",
        "1903",
        "saryarka",
        "NOMAD",
        "hash llp",
        cyrillic.as_str(),
        "SMTTS21",
        "50%_",
        "no such thing",
    ] {
        let found = both.same(&format!("search {q:?}"), |db| queue::search(db, q, 50));
        if q == "saryarka" || q == "3" || q == "SMTTS21" {
            assert_ne!(found, "Ok([])", "search {q:?}");
        }
    }
    for id in ids.iter().copied().chain([0, 999]) {
        both.same("case detail", |db| queue::case_detail(db, id));
        both.same("units page", |db| queue::units_page(db, id, 0, 50));
        both.same("units page after 1", |db| queue::units_page(db, id, 1, 2));
    }
    let from = fixture::now();
    both.same("hearings", |db| queue::hearings(db, &law, today, from, 20));
    both.same("complaints", |db| queue::complaints(db, &law, today, 20));

    // Every case by number: its file, its clocks, its history.
    let mut numbers = Vec::new();
    case_file::for_each_case(file, &[], None, |c| {
        numbers.push(c.case);
        Ok(())
    })
    .unwrap();
    assert_eq!(numbers.len(), 8, "{numbers:?}");
    both.same_json("case list", |db| {
        let mut v = Vec::new();
        case_file::for_each_case(db, &[], None, |c| {
            v.push(c);
            Ok(())
        })?;
        Ok(v)
    });
    both.same_json("open inclusions", |db| {
        let mut v = Vec::new();
        case_file::for_each_case(
            db,
            &[tizilim::rules::Stage::UnderReview],
            Some(tizilim::rules::CaseKind::Inclusion),
            |c| {
                v.push(c);
                Ok(())
            },
        )?;
        Ok(v)
    });
    for n in &numbers {
        let n = n.as_str();
        both.same_json("case file", |db| case_file::load(db, &law, n, today));
        both.same("case id", |db| queue::case_id(db, n));
        both.same("history", |db| queue::history(db, n, 50));
        both.same("history, last 2", |db| queue::history(db, n, 2));
        both.same("clock facts", |db| queries::case_clock_facts(db, n));
        both.same("version", |db| queries::case_version(db, n));
        both.same("serial conflicts", |db| queries::serial_conflicts(db, n));
        both.same("open complaints of", |db| {
            let mut v = Vec::new();
            queries::open_complaints_of(db, n, |r| {
                v.push(r);
                Ok(())
            })
            .map(|()| v)
        });
        both.same_json("application", |db| case_file::application_json(db, n));
        both.same_json("journal excerpt", |db| {
            case_file::journal_excerpt(db, &[n.to_string(), fixture::COMPLAINT.to_string()])
        });
        both.same("terms of the case", |db| terms::of_case(db, n));
        both.same("notices of the case", |db| notices::list(db, Some(n)));
        both.same("hearing facts", |db| {
            notices::hearing_facts(db, n).map(|f| format!("{f:?}"))
        });
        both.same("last amendment", |db| {
            notices::entries_amended_by_last_decision(db, n).map(|v| v.len())
        });
    }
    let refused_id = queue::case_id(file, fixture::REFUSED).unwrap().unwrap();
    both.same("conflicts", |db| queries::conflicts(db, refused_id));
    both.same("preliminary grounds", |db| {
        queries::preliminary_grounds(db, refused_id)
    });
    both.same("every complaint", |db| case_file::complaints(db, zone));
    both.same_json("hearing list", |db| case_file::hearings(db, zone));
    both.same("a case not there", |db| {
        case_file::load(db, &law, "ABK-2025-999999", today).map(|_| ())
    });
    both.same("a refusal at the desk not there", |db| {
        case_file::desk_refusal(db, "RCP-2025-000001").map(|_| ())
    });
    both.same("an attachment not there", |db| {
        case_file::attachment(db, &"0".repeat(64))
    });

    // Notices, keys, decisions.
    let all = both.same("every notice", |db| notices::list(db, None));
    assert!(all.contains("INC-2025-000001"), "{all}");
    for n in notices::list(file, None).unwrap() {
        let number = n.number.as_str();
        let got = both.same("a notice whole", |db| {
            notices::get(db, number).map(|n| (n.content, n.signature, n.at, n.seq))
        });
        assert!(got.starts_with("Ok("), "{got}");
        both.same("deliveries", |db| notices::deliveries(db, number));
        both.same("entries excluded by", |db| {
            notices::entries_excluded_by(db, number)
        });
        let case_id = queue::case_id(file, &n.case).unwrap().unwrap();
        both.same("entries included by", |db| {
            notices::entries_included_by(db, case_id, number)
        });
        both.same("journal at", |db| notices::journal_at(db, n.seq));
    }
    for d in ["DEC-2025-000001", "REF-2025-000001", "INC-2025-000001", "X"] {
        both.same("decision facts", |db| {
            notices::decision_facts(db, d).map(|f| format!("{f:?}"))
        });
        both.same("decision summary", |db| queries::decision_summary(db, d));
    }
    let keys = both.same("keys", notices::keys);
    assert!(keys.contains(fixture::CLERK), "{keys}");
    for k in notices::keys(file).unwrap() {
        both.same("a key", |db| notices::key(db, &k.fingerprint));
    }
    let head = queries::journal_head(file).unwrap().0;
    for login in ["admin", fixture::CLERK, fixture::SUPERVISOR, "nobody"] {
        both.same("user's IIN", |db| notices::user_iin(db, login));
        both.same("p12", |db| notices::p12_path(db, login));
        for seq in [1, 3, head / 2, head] {
            both.same("role at", |db| {
                notices::role_at(db, login, seq).map(|r| format!("{r:?}"))
            });
            both.same("IIN at", |db| notices::iin_at(db, login, seq));
        }
    }
    both.same("complaint decision facts", |db| {
        notices::complaint_decision_facts(db, fixture::COMPLAINT).map(|f| format!("{f:?}"))
    });
    both.same("complaint clock facts", |db| {
        queries::complaint_clock_facts(db, fixture::COMPLAINT)
    });
    both.same("complaint version", |db| {
        queries::complaint_version(db, fixture::COMPLAINT)
    });
    both.same("serial holder", |db| {
        queries::serial_holder(db, fixture::CONFLICT_SERIAL, fixture::NOMAD_BIN)
    });
    both.same("serial holder, own", |db| {
        queries::serial_holder(db, fixture::CONFLICT_SERIAL, fixture::SARYARKA_BIN)
    });

    // The register, counts, the journal's head and rows.
    both.same_json("register rows", |db| {
        let mut v = Vec::new();
        queries::for_each_register_row(db, |r| {
            v.push(r);
            Ok(())
        })?;
        Ok(v)
    });
    // In no promised order (each engine its own): compared sorted.
    both.same("open cases", |db| {
        let mut v = Vec::new();
        queries::for_each_open_case(db, |r| {
            v.push(r);
            Ok(())
        })
        .map(|()| {
            v.sort_by(|a, b| a.number.cmp(&b.number));
            v
        })
    });
    both.same("open complaints", |db| {
        let mut v = Vec::new();
        queries::for_each_open_complaint(db, |r| {
            v.push(r);
            Ok(())
        })
        .map(|()| {
            v.sort_by(|a, b| a.number.cmp(&b.number));
            v
        })
    });
    both.same("users", queries::users);
    both.same("stage counts", queries::stage_counts);
    both.same("case count", queries::case_count);
    let not_demo = both.same("cases not from the demo", queries::cases_not_from_demo);
    assert_eq!(not_demo, "Ok(8)");
    both.same("journal head", queries::journal_head);
    for seq in [1, head, head + 1] {
        both.same("journal hash", |db| queries::journal_hash(db, seq));
    }
    both.same_json("energy", register::energy);
    both.same_json("serial conflicts", register::serial_conflicts);
    both.same_json("find", |db| register::find(db, fixture::CONFLICT_SERIAL));

    // §16, terms and the supervisors' report.
    let changes_of_law = both.same("changes of the law", |db| law::changes(db, &law));
    assert!(
        changes_of_law.contains("LAW-2025-11-27"),
        "{changes_of_law}"
    );
    both.same("the law's running clocks", |db| {
        law::running(db, &law, today)
    });
    let (from, to) = (day("2025-10-01"), day("2025-11-30"));
    let between = both.same("terms between", |db| terms::between(db, from, to));
    assert!(between.contains("§"), "{between}");
    let running = queue::running_clocks(file, &law, today).unwrap();
    both.same("report of terms", |db| {
        terms::report(db, from, to, &running)
    });

    // The partial reload: what the journal's last rows touched, re-read.
    both.same("journal head (changes)", changes::head);
    assert_eq!(
        queue::postgres_commit_seen(&pg).unwrap(),
        changes::head(file).unwrap()
    );
    for seen in [0, head / 2, head - 3, head, head + 5] {
        let c = both.same("changes since", |db| changes::since(db, seen));
        let c2 = changes::since(file, seen).unwrap();
        assert_eq!(c, format!("{:?}", Ok::<_, ()>(c2.clone())));
        both.same("delta", |db| changes::delta(db, &law, today, &c2));
    }

    assert!(both.compared > 200, "{} reads compared", both.compared);
}

/// The console's notion of "another session committed" on PostgreSQL: the
/// journal's head, which moves with every journaled act.
#[test]
fn postgresql_sees_another_sessions_commit_by_the_journal_s_head() {
    let (_dir, store) = fixture::register();
    let Some(pgdb) = PgDb::fresh() else { return };
    let url = PgUrl::parse(&pgdb.url).unwrap();
    tizilim::store::migrate::file_to_postgres(&store, &url).unwrap();
    let watcher = Pg::new(pgdb.client());
    let before = queue::data_version(&watcher).unwrap();
    assert_eq!(before, queries::journal_head(store.conn()).unwrap().0);
    assert_eq!(queue::data_version(&watcher).unwrap(), before);
    // Another session appends a journal row (as an act would).
    let mut other = pgdb.client();
    other
        .batch_execute(
            "INSERT INTO journal (seq, at, actor, kind, subject, payload, prev_hash, hash)
             SELECT seq + 1, at, actor, kind, subject, payload, hash, 'x' FROM journal
              ORDER BY seq DESC LIMIT 1",
        )
        .unwrap();
    assert_eq!(queue::data_version(&watcher).unwrap(), before + 1);
    let seen = changes::since(&watcher, before).unwrap();
    assert_eq!(seen.rows, 1);
}
