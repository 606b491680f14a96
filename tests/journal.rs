//! The journal is the truth: tampering with it, or with a read model behind
//! its back, makes `audit verify` fail naming the first bad row.

mod common;

use common::*;

fn demo_register() -> Register {
    let reg = Register::new();
    let out = reg.run(&[
        "demo",
        "--cases",
        "300",
        "--units",
        "1500",
        "--seed",
        "7",
        "--at",
        "2026-11-24T12:00:00",
    ]);
    assert!(out.status.success(), "{}", stderr(&out));
    let ok = reg.run(&["audit", "verify"]);
    assert!(ok.status.success(), "{}", stderr(&ok));
    assert!(stdout(&ok).contains("read models match"), "{}", stdout(&ok));
    reg
}

#[test]
fn editing_a_journal_payload_breaks_the_chain() {
    let reg = demo_register();
    let conn = reg.sql();
    // The journal refuses updates; an attacker drops the guard first.
    let refused = conn.execute("UPDATE journal SET actor = 'mallory' WHERE seq = 5", []);
    assert!(refused.unwrap_err().to_string().contains("append-only"));
    conn.execute_batch("DROP TRIGGER journal_append_only_u")
        .unwrap();
    conn.execute(
        "UPDATE journal SET payload = replace(payload, 'Antminer', 'Antmlner') WHERE seq = (SELECT min(seq) FROM journal WHERE kind = 'case_registered' AND seq > 40 AND payload LIKE '%Antminer%')",
        [],
    )
    .unwrap();
    let seq: i64 = conn
        .query_row("SELECT min(seq) FROM journal WHERE kind = 'case_registered' AND seq > 40 AND payload LIKE '%Antmlner%'", [], |r| r.get(0))
        .unwrap();
    drop(conn);
    let out = reg.run(&["audit", "verify"]);
    assert_eq!(out.status.code(), Some(1));
    assert!(
        stderr(&out).contains(&format!(
            "journal row {seq}: content does not match its hash"
        )),
        "{}",
        stderr(&out)
    );
}

#[test]
fn rewriting_a_hash_too_is_caught_by_the_next_row() {
    let reg = demo_register();
    let conn = reg.sql();
    conn.execute_batch("DROP TRIGGER journal_append_only_u")
        .unwrap();
    conn.execute(
        "UPDATE journal SET actor = 'mallory', hash = 'ff' || substr(hash, 3) WHERE seq = 10",
        [],
    )
    .unwrap();
    drop(conn);
    let out = reg.run(&["audit", "verify"]);
    assert_eq!(out.status.code(), Some(1));
    assert!(stderr(&out).contains("journal row 10"), "{}", stderr(&out));
}

#[test]
fn a_read_model_changed_behind_the_journal_is_found() {
    let reg = demo_register();
    let conn = reg.sql();
    let (id, serial): (i64, String) = conn
        .query_row(
            "SELECT id, serial FROM units WHERE status = 'included' ORDER BY id LIMIT 1 OFFSET 3",
            [],
            |r| Ok((r.get(0)?, r.get(1)?)),
        )
        .unwrap();
    conn.execute("UPDATE units SET serial = 'FORGED' WHERE id = ?1", [id])
        .unwrap();
    drop(conn);
    let out = reg.run(&["audit", "verify"]);
    assert_eq!(out.status.code(), Some(1));
    let err = stderr(&out);
    assert!(
        err.contains(&format!("table units, row {id}: column serial")),
        "{err}"
    );
    assert!(err.contains("FORGED") && err.contains(&serial), "{err}");
}

#[test]
fn a_deleted_journal_row_is_found() {
    let reg = demo_register();
    let conn = reg.sql();
    assert!(
        conn.execute("DELETE FROM journal WHERE seq = 3", [])
            .is_err()
    );
    assert!(
        conn.execute("DELETE FROM cases WHERE id = 3", []).is_err(),
        "cases are never deleted"
    );
    conn.execute_batch("DROP TRIGGER journal_append_only_d; DELETE FROM journal WHERE seq = 3")
        .unwrap();
    drop(conn);
    let out = reg.run(&["audit", "verify"]);
    assert_eq!(out.status.code(), Some(1));
    assert!(
        stderr(&out).contains("journal row 4: expected row 3"),
        "{}",
        stderr(&out)
    );
}

#[test]
fn register_export_lists_included_and_excluded_entries() {
    let reg = demo_register();
    let csv = reg.run(&["register", "export"]);
    assert!(csv.status.success());
    let text = stdout(&csv);
    let mut rd = csv::Reader::from_reader(text.as_bytes());
    let headers = rd.headers().unwrap().clone();
    for col in [
        "entry_no",
        "miner",
        "bin_iin",
        "data_center",
        "serial",
        "hashrate_ths",
        "power_kw",
        "declaration_no",
        "condition",
        "tn_ved_code",
        "inclusion_notice_no",
        "included_on",
        "status",
    ] {
        assert!(
            headers.iter().any(|h| h == col),
            "{col} missing from {headers:?}"
        );
    }
    let rows: Vec<csv::StringRecord> = rd.records().map(Result::unwrap).collect();
    let entries = reg
        .sql()
        .query_row(
            "SELECT count(*) FROM units WHERE entry_no IS NOT NULL",
            [],
            |r| r.get::<_, i64>(0),
        )
        .unwrap();
    assert_eq!(rows.len() as i64, entries);
    assert!(
        rows.iter().any(|r| &r[14] == "excluded"),
        "the demo excludes some entries"
    );
    for (i, r) in rows.iter().enumerate() {
        assert_eq!(
            r[0].parse::<usize>().unwrap(),
            i + 1,
            "entries are numbered 1, 2, 3…"
        );
        tizilim::rules::ids::validate_bin_iin(&r[2], chrono::Utc::now().date_naive()).unwrap();
    }
    let json = reg.run(&["register", "export", "--format", "json"]);
    let v: serde_json::Value = serde_json::from_str(&stdout(&json)).unwrap();
    assert_eq!(v.as_array().unwrap().len(), rows.len());
}

/// A registration's content hash is taken from its journal payload (issue
/// 18): the payload holds the application serialised, whole, in the shape
/// `dedup::content_hash_stored` reads, and the hash is the one serialising
/// gives, whatever the applicant's text holds.
#[test]
fn a_registration_is_hashed_from_its_payload() {
    use chrono::{NaiveDate, TimeZone, Utc};
    use tizilim::rules::{CaseKind, Channel, Condition};
    use tizilim::store::dedup::{Stored, content_hash, content_hash_stored};
    use tizilim::store::events::Event;
    use tizilim::store::model::{Applicant, Application, Document, DocumentKind, Unit};
    use tizilim::store::{Store, journal};

    for (request_no, synthetic) in [(None, false), (None, true), (Some("P-1"), true)] {
        let app = Application {
            kind: CaseKind::Inclusion,
            channel: Channel::Portal,
            received_at: Utc.with_ymd_and_hms(2026, 3, 2, 5, 6, 7).unwrap(),
            applicant: Applicant {
                name: r#"ТОО "Ертіс {Hash}" ,"application":{"x":[1]} \"#.into(),
                bin_iin: "120340801737".into(),
                legal_address: Some("Astana, } ] \\ \" street".into()),
                phone: "+77011234567".into(),
                email: "office@ertis.kz".into(),
                personal_data_consent: true,
            },
            data_center: Some("Ekibastuz, {zone} 4".into()),
            tn_ved_code: Some("8471500000".into()),
            units: vec![Unit {
                brand: Some("Bitmain".into()),
                model: Some("Antminer S19 [j]".into()),
                serial: "YNAHS190000000001".into(),
                hashrate_ths: Some(95.5),
                power_kw: Some(3.25),
                declaration_no: None,
                condition: Some(Condition::Serviceable),
            }],
            documents: vec![Document {
                kind: DocumentKind::OwnershipProof,
                name: "lease {1}.pdf".into(),
                valid_until: NaiveDate::from_ymd_opt(2027, 1, 1),
            }],
            change: None,
            request_no: request_no.map(String::from),
        };
        let mut store = Store::in_memory().unwrap();
        let (stored, payload): (String, String) = store
            .write(|tx| {
                journal::append(
                    tx,
                    Utc.with_ymd_and_hms(2026, 3, 2, 6, 0, 0).unwrap(),
                    "root",
                    &Event::CaseRegistered {
                        number: "ABK-2026-000001".into(),
                        registered_on: NaiveDate::from_ymd_opt(2026, 3, 2).unwrap(),
                        missing: vec![r#"a"b,"application":{"#.into()],
                        application: app.clone(),
                        synthetic,
                    },
                )?;
                Ok(tx.query_row(
                    "SELECT content_hash, payload FROM intake_keys, journal",
                    [],
                    |r| Ok((r.get(0)?, r.get(1)?)),
                )?)
            })
            .unwrap();
        assert_eq!(stored, content_hash(&app), "{request_no:?} {synthetic}");
        // The shape the hash is read from: the application whole, then only
        // the fields serialised after it.
        let tail = if synthetic {
            r#","synthetic":true}"#
        } else {
            "}"
        };
        let json = serde_json::to_string(&app).unwrap();
        assert!(
            payload.ends_with(&format!(r#","application":{json}{tail}"#)),
            "{payload}"
        );
        let from_payload = content_hash_stored(
            &app,
            Some(&Stored {
                payload: &payload,
                synthetic,
            }),
        );
        assert_eq!(from_payload, content_hash(&app));
    }
}
