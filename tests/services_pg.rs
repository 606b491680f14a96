//! The services' own statements on PostgreSQL (issue 22): each answers
//! alike from the fixture's register file and from its copy on the server.
//! Runs when `TIZILIM_TEST_PG` names a server (see `tests/common/pg.rs`),
//! and says "skipped" otherwise.

mod common;

use common::fixture;
use common::pg::PgDb;
use tizilim::rules::{CaseKind, Role};
use tizilim::store::migrate::file_to_postgres;
use tizilim::store::services::{self, may};
use tizilim::store::sql::locator::PgUrl;
use tizilim::store::sql::{Pg, Sql};

#[test]
fn the_services_read_alike_from_a_file_and_from_postgres() {
    let (_dir, store) = fixture::register();
    let Some(server) = PgDb::fresh() else { return };
    file_to_postgres(&store, &PgUrl::parse(&server.url).unwrap()).unwrap();
    let pg = Pg::new(server.client());
    let file: &dyn Sql = store.conn();
    let pg: &dyn Sql = &pg;

    // Roles, and the refusal of a login without one, word for word.
    for login in ["admin", fixture::CLERK, fixture::SUPERVISOR, "nobody"] {
        assert_eq!(
            services::role_of(pg, login).unwrap(),
            services::role_of(file, login).unwrap(),
            "{login}"
        );
    }
    assert_eq!(services::role_of(pg, "admin").unwrap(), Some(Role::Admin));
    let refused = |db: &dyn Sql| {
        services::require_role(db, fixture::CLERK, may::ADD_USERS, "add users")
            .unwrap_err()
            .to_string()
    };
    assert_eq!(refused(pg), refused(file));
    assert!(refused(pg).contains("clerk"), "{}", refused(pg));

    // What each case's package lacks (§9), today and after its leases end.
    let cases: Vec<(i64, String)> = file
        .rows(
            "SELECT id, kind FROM cases ORDER BY id",
            tizilim::args![],
            |r| Ok((r.get(0)?, r.get(1)?)),
        )
        .unwrap();
    assert_eq!(cases.len(), 8);
    let mut lacking = 0;
    for (id, kind) in &cases {
        let kind = CaseKind::parse(kind).unwrap();
        for on in ["2025-11-27", "2028-01-01"] {
            let on = on.parse().unwrap();
            let want = services::missing_on(file, *id, kind, on).unwrap();
            lacking += want.len();
            assert_eq!(services::missing_on(pg, *id, kind, on).unwrap(), want);
        }
    }
    assert!(
        lacking > 0,
        "no package lacks anything: the check proves nothing"
    );

    // The register's entries as an exclusion or an amendment finds them,
    // particulars (reals included) the same bytes on both engines.
    let serials: Vec<String> = file
        .rows(
            "SELECT serial FROM units WHERE status = 'included' ORDER BY serial",
            tizilim::args![],
            |r| r.get(0),
        )
        .unwrap();
    assert!(serials.len() >= 7, "{serials:?}");
    for serial in serials.iter().map(String::as_str).chain(["NO-SUCH-SERIAL"]) {
        let want = services::included_entry(file, serial).unwrap();
        let got = services::included_entry(pg, serial).unwrap();
        assert_eq!(
            got.as_ref()
                .map(|e| (e.entry_no, e.miner_id, e.particulars.to_string())),
            want.as_ref()
                .map(|e| (e.entry_no, e.miner_id, e.particulars.to_string())),
            "{serial}"
        );
        if serial != "NO-SUCH-SERIAL" {
            let e = want.unwrap();
            assert!(e.particulars["hashrate_ths"].is_f64(), "{}", e.particulars);
        }
    }
    // A unit's reals as applicants give them, and with all their digits.
    let mut c = server.client();
    for (i, (h, p)) in [(200.0, 3.5), (0.1 + 0.2, 3.0 / 7.0), (123.456, 1e-3)]
        .into_iter()
        .enumerate()
    {
        let serial = format!("SMTTS2125100{:03}", i + 1);
        c.execute(
            "UPDATE units SET hashrate_ths = $1, power_kw = $2 WHERE serial = $3 AND status = 'included'",
            &[&h, &p, &serial],
        )
        .unwrap();
        let lite = rusqlite::Connection::open_in_memory().unwrap();
        let text: String = lite
            .query_row(
                "SELECT json_object('hashrate_ths', ?1, 'power_kw', ?2)",
                rusqlite::params![h, p],
                |r| r.get(0),
            )
            .unwrap();
        let want: serde_json::Value = serde_json::from_str(&text).unwrap();
        let got = services::included_entry(pg, &serial).unwrap().unwrap();
        assert_eq!(
            got.particulars["hashrate_ths"].to_string(),
            want["hashrate_ths"].to_string()
        );
        assert_eq!(
            got.particulars["power_kw"].to_string(),
            want["power_kw"].to_string()
        );
    }
}

/// Once `act::Context` takes a `Sql`: one case worked through every
/// service on a file and on PostgreSQL, at the same instants, gives the same
/// journal (but for signatures, which are new each time) and read models.
mod worked_through {
    use chrono::{DateTime, NaiveDate, TimeZone, Utc};
    use serde_json::json;
    use tizilim::rules::workflow::Action;
    use tizilim::rules::{ComplaintBody, Law, Login, Position, Role};
    use tizilim::sign::Signer;
    use tizilim::store::engine::{PgRegister, Register};
    use tizilim::store::events::DeliveryVia;
    use tizilim::store::model::DocumentKind;
    use tizilim::store::services::{
        self, Attachment, ComplaintFiling, Context, Decision, Delivery,
    };
    use tizilim::store::sql::locator::PgUrl;
    use tizilim::store::{Result, Store};

    use super::common::{self, pg::PgDb};

    const IIN: &str = "880101300123";

    fn almaty(s: &str) -> DateTime<Utc> {
        chrono_tz::Asia::Almaty
            .from_local_datetime(
                &chrono::NaiveDateTime::parse_from_str(s, "%Y-%m-%d %H:%M").unwrap(),
            )
            .unwrap()
            .with_timezone(&Utc)
    }

    fn d(s: &str) -> NaiveDate {
        s.parse().unwrap()
    }

    fn act<T>(
        reg: &mut Register,
        who: &str,
        at: &str,
        f: impl FnOnce(&Context) -> Result<T>,
    ) -> Result<T> {
        let law = Law::load(&[]).unwrap();
        let actor = Login::new(who);
        reg.write(|db| {
            f(&Context {
                tx: db,
                law: &law,
                actor: &actor,
                at: almaty(at),
            })
        })
    }

    fn application(v: &serde_json::Value) -> tizilim::store::model::Application {
        let raw = serde_json::to_vec(v).unwrap();
        tizilim::intake::parse_application(&raw, Utc::now(), &Law::load(&[]).unwrap()).unwrap()
    }

    /// The case's story; the journal's rows that do not carry a signature.
    fn work(reg: &mut Register) -> Vec<String> {
        let dana = common::fixture::cert_signer("dana", IIN);
        let amina = common::fixture::cert_signer("amina", IIN);
        let t0 = "2025-06-02 09:00";
        reg.write(|db| services::create_register(db, &Login::new("amina"), almaty(t0)))
            .unwrap();
        for (login, role) in [("dana", Role::Clerk), ("bob", Role::Admin)] {
            act(reg, "amina", t0, |c| {
                services::add_user(c, &Login::new(login), role)
            })
            .unwrap();
        }
        // Two admins: one may step down (the admins counted).
        act(reg, "amina", t0, |c| {
            services::add_user(c, &Login::new("bob"), Role::Supervisor)
        })
        .unwrap();
        let last = act(reg, "amina", t0, |c| {
            services::add_user(c, &Login::new("amina"), Role::Clerk)
        });
        assert!(last.is_err(), "the last admin stepped down");
        act(reg, "amina", t0, |c| {
            services::set_iin(c, &Login::new("dana"), IIN)
        })
        .unwrap();
        for (who, k) in [("dana", &dana), ("amina", &amina)] {
            act(reg, who, t0, |c| {
                services::register_key(c, k, who, Position::Head, None)
            })
            .unwrap();
        }
        let again = act(reg, "dana", t0, |c| {
            services::register_key(c, &dana, "dana", Position::Head, None)
        });
        assert!(again.is_err(), "a key registered twice");

        let mut v = common::inclusion("PGS", 2);
        v["received_at"] = json!("2025-06-02T10:00:00+05:00");
        v["documents"] = json!([]);
        let case = act(reg, "dana", "2025-06-02 10:05", |c| {
            services::register_application(c, application(&v))
        })
        .unwrap();
        let attach = |content: &[u8]| Attachment {
            case: case.as_str().into(),
            expected_version: None,
            kind: DocumentKind::OwnershipProof,
            name: "lease.pdf".into(),
            number: Some("L-17".into()),
            valid_until: Some(d("2027-12-31")),
            content: content.to_vec(),
            on: Some(d("2025-06-03")),
        };
        let missing = act(reg, "dana", "2025-06-03 11:00", |c| {
            services::attach_document(c, &attach(b"the lease"))
        })
        .unwrap();
        assert!(missing.is_empty(), "{missing:?}");
        let twice = act(reg, "dana", "2025-06-03 11:05", |c| {
            services::attach_document(c, &attach(b"the lease"))
        });
        assert!(twice.is_err(), "the same file attached twice");
        let decide = |reg: &mut Register, case: &str, action: Action, at: &str, on: &str| {
            act(reg, "dana", at, |c| {
                services::decide(
                    c,
                    &tizilim::docs::Issuer { signer: &dana },
                    &Decision {
                        case: case.into(),
                        expected_version: None,
                        action,
                        grounds: Vec::new(),
                        reason: Some("Reasoned in the case file.".into()),
                        on: Some(d(on)),
                        late_reason: None,
                    },
                )
            })
        };
        let inc = decide(
            reg,
            &case,
            Action::Include,
            "2025-06-04 12:00",
            "2025-06-04",
        )
        .unwrap();
        let delivered = act(reg, "dana", "2025-06-05 09:30", |c| {
            services::record_delivery(
                c,
                &Delivery {
                    notice: inc.clone(),
                    via: DeliveryVia::Office,
                    on: Some(d("2025-06-05")),
                },
            )
        })
        .unwrap();
        assert_eq!(delivered, case);
        let twice = act(reg, "dana", "2025-06-05 09:35", |c| {
            services::record_delivery(
                c,
                &Delivery {
                    notice: inc.clone(),
                    via: DeliveryVia::Office,
                    on: Some(d("2025-06-05")),
                },
            )
        });
        assert!(twice.is_err(), "a delivery recorded twice");

        // An amendment of the first unit: its `before` as SQLite writes it.
        let change = json!({
            "kind": "change", "channel": "office", "received_at": "2025-06-09T10:00:00+05:00",
            "applicant": v["applicant"].clone(),
            "units": [{"serial": "PGS000000", "condition": "unserviceable", "power_kw": 2.9}],
            "documents": [{"kind": "change_basis", "name": "act.pdf"}],
            "change": {"changed_on": "2025-06-05", "reason": "damaged in a fire"}
        });
        let amend = act(reg, "dana", "2025-06-09 10:05", |c| {
            services::register_application(c, application(&change))
        })
        .unwrap();
        decide(reg, &amend, Action::Amend, "2025-06-10 12:00", "2025-06-10").unwrap();

        act(reg, "dana", "2025-06-10 15:00", |c| {
            services::lodge_complaint(
                c,
                &ComplaintFiling {
                    case: case.as_str().into(),
                    expected_version: Some(99),
                    addressed_to: ComplaintBody::Provider,
                    text: "Too slow.".into(),
                    received_at: None,
                },
            )
        })
        .expect_err("a stale version");
        act(reg, "dana", "2025-06-10 15:00", |c| {
            services::lodge_complaint(
                c,
                &ComplaintFiling {
                    case: case.as_str().into(),
                    expected_version: None,
                    addressed_to: ComplaintBody::Provider,
                    text: "Too slow.".into(),
                    received_at: None,
                },
            )
        })
        .unwrap();
        act(reg, "amina", "2025-06-11 09:00", |c| {
            services::seal(c, &amina)
        })
        .unwrap();
        act(reg, "dana", "2025-06-11 10:00", |c| {
            services::revoke_key(c, &dana.fingerprint())
        })
        .unwrap();

        let db = reg.db();
        let mut rows = db
            .rows(
                "SELECT seq, at, actor, kind, subject, payload FROM journal
                 WHERE kind NOT IN ('notice_issued', 'key_registered', 'seal_recorded', 'key_revoked')
                 ORDER BY seq",
                tizilim::args![],
                |r| {
                    Ok(format!(
                        "{} {} {} {} {:?} {}",
                        r.get::<i64>(0)?,
                        r.get::<String>(1)?,
                        r.get::<String>(2)?,
                        r.get::<String>(3)?,
                        r.get::<Option<String>>(4)?,
                        r.get::<String>(5)?
                    ))
                },
            )
            .unwrap();
        rows.extend(
            db.rows(
                "SELECT serial, status, entry_no, hashrate_ths, power_kw, condition FROM units ORDER BY id",
                tizilim::args![],
                |r| Ok(format!("{:?}", r.values()?)),
            )
            .unwrap(),
        );
        rows.extend(
            db.rows(
                "SELECT name, value FROM counters ORDER BY name",
                tizilim::args![],
                |r| Ok(format!("{:?}", r.values()?)),
            )
            .unwrap(),
        );
        rows
    }

    #[test]
    fn a_case_worked_through_on_both_engines() {
        let mut file = Register::File(Store::in_memory().unwrap());
        let want = work(&mut file);
        assert!(want.iter().any(|r| r.contains("\"before\"")), "{want:#?}");
        let Some(server) = PgDb::fresh() else { return };
        tizilim::store::pg::migrate(&mut server.client()).unwrap();
        let url = PgUrl::parse(&server.url).unwrap();
        let mut pg = Register::Postgres(Box::new(PgRegister::open(&url, "amina").unwrap()));
        let got = work(&mut pg);
        assert_eq!(got.len(), want.len());
        for (g, w) in got.iter().zip(&want) {
            assert_eq!(g, w);
        }
    }
}
