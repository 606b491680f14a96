//! The register's other faces: energy by region and data centre (§3), serials
//! claimed by more than one miner, finding an entry.

mod common;

use common::{Register, bin_number, inclusion, stderr, stdout};
use serde_json::{Value, json};

fn ok(o: &std::process::Output) -> String {
    assert!(o.status.success(), "{}", stderr(o));
    stdout(o)
}

#[test]
fn energy_conflicts_and_find() {
    let reg = Register::new();
    // Miner A in Ekibastuz (Pavlodar region): 3 units of 3.07 kW.
    let a = inclusion("AAA", 3);
    // Miner B in Temirtau (Karaganda region): 2 units, one of them A's serial.
    let mut b = inclusion("BBB", 2);
    b["applicant"]["bin_iin"] = json!(bin_number(55));
    b["applicant"]["name"] = json!("Temirtau Hash LLP");
    b["data_center"] = json!("Карагандинская область, г. Темиртау, промзона 1");
    b["units"][1]["serial"] = json!("AAA000002");
    b["units"][0]["power_kw"] = json!(5.5);
    b["units"][0]["hashrate_ths"] = json!(200.0);
    b["received_at"] = json!("2024-03-21T10:00:00+05:00");
    for (name, v) in [("a.json", &a), ("b.json", &b)] {
        let f = reg.write_json(name, v);
        ok(&reg.run(&["intake", f.to_str().unwrap()]));
    }
    ok(&reg.run(&[
        "case",
        "decide",
        "ABK-2024-000001",
        "include",
        "--on",
        "2024-03-26",
    ]));
    // B's case cannot be included while it names A's serial.
    let o = reg.run(&[
        "case",
        "decide",
        "ABK-2024-000002",
        "include",
        "--on",
        "2024-03-26",
    ]);
    assert!(
        stderr(&o).contains("§3: units[1].serial: AAA000002 is already in the register as entry 3"),
        "{}",
        stderr(&o)
    );

    let conflicts: Value =
        serde_json::from_str(&ok(&reg.run(&["register", "conflicts", "--json"]))).unwrap();
    assert_eq!(conflicts.as_array().unwrap().len(), 1, "{conflicts}");
    assert_eq!(conflicts[0]["serial"], "AAA000002");
    let cases: Vec<&str> = conflicts[0]["claims"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c["case"].as_str().unwrap())
        .collect();
    assert_eq!(cases, ["ABK-2024-000001", "ABK-2024-000002"]);

    // Energy: only included units count; the region comes from the address.
    let e: Value = serde_json::from_str(&ok(&reg.run(&["register", "energy", "--json"]))).unwrap();
    assert_eq!(
        e["regions"],
        json!([{"region": "pavlodar", "units": 3, "power_kw": 9.21, "hashrate_ths": 312.0}])
    );
    assert_eq!(
        e["data_centers"][0]["data_center"],
        "Pavlodar region, Ekibastuz, industrial zone 4"
    );
    // B fixes its application by a hearing-free route: a new application without the serial.
    let mut b2 = b.clone();
    b2["units"] = json!([b["units"][0]]);
    b2["received_at"] = json!("2024-03-22T10:00:00+05:00");
    let f = reg.write_json("b2.json", &b2);
    ok(&reg.run(&["intake", f.to_str().unwrap()]));
    ok(&reg.run(&[
        "case",
        "decide",
        "ABK-2024-000003",
        "include",
        "--on",
        "2024-03-26",
    ]));
    let e: Value = serde_json::from_str(&ok(&reg.run(&["register", "energy", "--json"]))).unwrap();
    let regions: Vec<&str> = e["regions"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["region"].as_str().unwrap())
        .collect();
    assert_eq!(
        regions,
        ["pavlodar", "karaganda"],
        "sorted by power, largest first: {e}"
    );
    let text = ok(&reg.run(&["--lang", "kk", "register", "energy"]));
    assert!(
        text.contains("Павлодар облысы") && text.contains("Қарағанды облысы"),
        "{text}"
    );

    // Find by serial (any case), by BIN/IIN, by entry number, by case number.
    let by_serial: Value =
        serde_json::from_str(&ok(&reg.run(&["register", "find", "aaa000002", "--json"]))).unwrap();
    assert_eq!(by_serial[0]["entry_no"], 3);
    assert_eq!(by_serial[0]["notices"], json!(["INC-2024-000001"]));
    let by_bin: Value = serde_json::from_str(&ok(&reg.run(&[
        "register",
        "find",
        &bin_number(55),
        "--json",
    ])))
    .unwrap();
    assert_eq!(by_bin.as_array().unwrap().len(), 1);
    assert_eq!(by_bin[0]["serial"], "BBB000000");
    let by_entry: Value =
        serde_json::from_str(&ok(&reg.run(&["register", "find", "4", "--json"]))).unwrap();
    assert_eq!(by_entry[0]["miner"], "Temirtau Hash LLP");
    // Look-alikes fold as the register stores serials: Cyrillic `А` (three
    // times, as a Russian layout types it); a case's number, typed `АВК-…`.
    let by_cyrillic: Value =
        serde_json::from_str(&ok(&reg.run(&["register", "find", "ААА000002", "--json"]))).unwrap();
    assert_eq!(by_cyrillic, by_serial);
    let by_case: Value = serde_json::from_str(&ok(&reg.run(&[
        "register",
        "find",
        "АВК-2024-000003",
        "--json",
    ])))
    .unwrap();
    assert_eq!(by_case.as_array().unwrap().len(), 1, "{by_case}");
    assert_eq!(by_case[0]["serial"], "BBB000000");
    let o = reg.run(&["register", "find", "NOPE1"]);
    assert_eq!(o.status.code(), Some(1));
    assert!(stderr(&o).contains("no register entry for NOPE1"));
}

/// Issue 18, finding 5: energy and conflicts are read through rewritten
/// queries (energy summed per case over `units_included_energy` first;
/// conflicts only over serials that appear at least twice). The queries they
/// replaced are kept here as the reference, and both must give the same
/// answers over a demo register, which has serial conflicts of its own.
#[test]
fn energy_and_conflicts_answer_as_the_queries_they_replaced() {
    use std::collections::BTreeMap;
    use tizilim::rules::regions;
    use tizilim::store::read::register;

    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("demo.sqlite");
    let o = std::process::Command::new(common::bin())
        .arg("--db")
        .arg(&db)
        .args(["demo", "--cases", "1500", "--units", "15000"])
        .args(["--at", "2026-11-24T12:00:00"])
        .env("HOME", dir.path())
        .env_remove("TIZILIM_DB")
        .output()
        .unwrap();
    ok(&o);
    let conn =
        rusqlite::Connection::open_with_flags(&db, rusqlite::OpenFlags::SQLITE_OPEN_READ_ONLY)
            .unwrap();
    let round = |x: f64| (x * 100.0).round() / 100.0;

    // Energy: the old query grouped every included unit by location.
    let mut old: BTreeMap<String, (i64, f64, f64)> = BTreeMap::new();
    let mut st = conn
        .prepare(
            "SELECT coalesce(d.location, ''), count(*), sum(u.power_kw), sum(u.hashrate_ths)
             FROM units u JOIN cases c ON c.id = u.case_id
             LEFT JOIN data_centers d ON d.id = c.data_center_id
             WHERE u.status = 'included'
             GROUP BY d.location",
        )
        .unwrap();
    let rows = st
        .query_map([], |r| {
            Ok((r.get::<_, String>(0)?, (r.get(1)?, r.get(2)?, r.get(3)?)))
        })
        .unwrap();
    for row in rows {
        let (k, v) = row.unwrap();
        old.insert(k, v);
    }
    let new = register::energy(&conn).unwrap();
    assert!(old.len() > 3, "the demo has data centres: {old:?}");
    assert_eq!(new.data_centers.len(), old.len());
    let mut old_regions: BTreeMap<String, (i64, f64, f64)> = BTreeMap::new();
    for d in &new.data_centers {
        let (n, p, h) = old[&d.data_center];
        assert_eq!(
            (d.units, d.power_kw, d.hashrate_ths),
            (n, round(p), round(h)),
            "{}",
            d.data_center
        );
        let region = regions::of_address(&d.data_center).map_or("unknown", |g| g.id.as_str());
        assert_eq!(d.region, region);
    }
    for (location, (n, p, h)) in &old {
        let region = regions::of_address(location).map_or("unknown", |g| g.id.as_str());
        let e = old_regions.entry(region.to_string()).or_default();
        e.0 += n;
        e.1 += p;
        e.2 += h;
    }
    assert_eq!(new.regions.len(), old_regions.len());
    for r in &new.regions {
        let (n, p, h) = old_regions[&r.region];
        assert_eq!(
            (r.units, r.power_kw, r.hashrate_ths),
            (n, round(p), round(h)),
            "{}",
            r.region
        );
    }

    // Conflicts: the old query copied every claim of every serial.
    let mut st = conn
        .prepare(
            "WITH claims AS (
                SELECT u.serial, c.id AS case_id, c.miner_id, u.status, u.entry_no
                  FROM units u JOIN cases c ON c.id = u.case_id
                UNION ALL
                SELECT i.serial, c.id, c.miner_id, NULL, NULL
                  FROM case_items i JOIN cases c ON c.id = i.case_id
             ), shared AS (
                SELECT serial FROM claims GROUP BY serial HAVING count(DISTINCT miner_id) > 1
             )
             SELECT k.serial, c.number, c.kind, c.stage, m.name, m.bin_iin, k.status, k.entry_no
               FROM claims k JOIN shared s ON s.serial = k.serial
               JOIN cases c ON c.id = k.case_id JOIN miners m ON m.id = k.miner_id
              ORDER BY k.serial, c.id",
        )
        .unwrap();
    type Claim = (
        String,
        String,
        String,
        String,
        String,
        String,
        Option<String>,
        Option<i64>,
    );
    let old: Vec<Claim> = st
        .query_map([], |r| {
            Ok((
                r.get(0)?,
                r.get(1)?,
                r.get(2)?,
                r.get(3)?,
                r.get(4)?,
                r.get(5)?,
                r.get(6)?,
                r.get(7)?,
            ))
        })
        .unwrap()
        .collect::<rusqlite::Result<_>>()
        .unwrap();
    let new: Vec<Claim> = register::serial_conflicts(&conn)
        .unwrap()
        .into_iter()
        .flat_map(|c| {
            let serial = c.serial;
            c.claims.into_iter().map(move |k| {
                (
                    serial.clone(),
                    k.case,
                    k.kind,
                    k.stage,
                    k.miner,
                    k.bin_iin,
                    k.status,
                    k.entry_no,
                )
            })
        })
        .collect();
    assert!(old.len() >= 4, "the demo has serial conflicts: {old:?}");
    assert_eq!(new, old);
}
