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
