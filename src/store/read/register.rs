//! The register's other faces: the energy it draws (§3), serials claimed by
//! more than one miner (illegal-mining control, §3), and finding an entry by
//! serial, BIN/IIN or entry number.

use std::collections::HashMap;

use serde::Serialize;

use crate::rules::regions;
use crate::store::Result;
use crate::store::sql::{Engine, Sql, Value};

#[derive(Debug, Clone, Serialize)]
pub struct DataCenterEnergy {
    pub data_center: String,
    /// The region's stable id (`pavlodar`), or `unknown`.
    pub region: String,
    pub units: i64,
    pub power_kw: f64,
    pub hashrate_ths: f64,
}

#[derive(Debug, Clone, Serialize)]
pub struct RegionEnergy {
    pub region: String,
    pub units: i64,
    pub power_kw: f64,
    pub hashrate_ths: f64,
}

#[derive(Debug, Clone, Serialize)]
pub struct Energy {
    pub data_centers: Vec<DataCenterEnergy>,
    pub regions: Vec<RegionEnergy>,
}

fn round(x: f64) -> f64 {
    (x * 100.0).round() / 100.0
}

/// Included units per data centre and per region, each sorted by power,
/// largest first.
pub fn energy(db: &dyn Sql) -> Result<Energy> {
    // Summed per case first, over `units_included_energy` (in case order: no
    // sort of the 850,000 included units of the national register), then per
    // data centre (a few thousand), then per location (issue 18, finding 5).
    // PostgreSQL's planner picks the index itself.
    let hint = match db.engine() {
        Engine::Sqlite => "INDEXED BY units_included_energy",
        Engine::Postgres => "",
    };
    let sql = format!(
        "WITH per_case AS (
            SELECT case_id, count(*) AS n, sum(power_kw) AS p, sum(hashrate_ths) AS h
              FROM units {hint}
             WHERE status = 'included'
             GROUP BY case_id
         ), per_dc AS (
            SELECT c.data_center_id AS dc, sum(k.n) AS n, sum(k.p) AS p, sum(k.h) AS h
              FROM per_case k JOIN cases c ON c.id = k.case_id
             GROUP BY c.data_center_id
         )
         SELECT coalesce(d.location, ''), CAST(sum(x.n) AS BIGINT), sum(x.p), sum(x.h)
           FROM per_dc x LEFT JOIN data_centers d ON d.id = x.dc
          GROUP BY d.location"
    );
    let mut dcs: Vec<DataCenterEnergy> = Vec::new();
    db.for_each(&sql, &[], &mut |r| {
        let location: String = r.get(0)?;
        dcs.push(DataCenterEnergy {
            region: regions::of_address(&location)
                .map_or_else(|| "unknown".to_string(), |g| g.id.clone()),
            data_center: location,
            units: r.get(1)?,
            power_kw: r.get(2)?,
            hashrate_ths: r.get(3)?,
        });
        Ok(())
    })?;
    let mut by_region: HashMap<String, RegionEnergy> = HashMap::new();
    for d in &dcs {
        let e = by_region
            .entry(d.region.clone())
            .or_insert_with(|| RegionEnergy {
                region: d.region.clone(),
                units: 0,
                power_kw: 0.0,
                hashrate_ths: 0.0,
            });
        e.units += d.units;
        e.power_kw += d.power_kw;
        e.hashrate_ths += d.hashrate_ths;
    }
    let mut regions: Vec<RegionEnergy> = by_region.into_values().collect();
    for d in &mut dcs {
        d.power_kw = round(d.power_kw);
        d.hashrate_ths = round(d.hashrate_ths);
    }
    for r in &mut regions {
        r.power_kw = round(r.power_kw);
        r.hashrate_ths = round(r.hashrate_ths);
    }
    dcs.sort_by(|a, b| {
        b.power_kw
            .total_cmp(&a.power_kw)
            .then(a.data_center.cmp(&b.data_center))
    });
    regions.sort_by(|a, b| {
        b.power_kw
            .total_cmp(&a.power_kw)
            .then(a.region.cmp(&b.region))
    });
    Ok(Energy {
        data_centers: dcs,
        regions,
    })
}

/// One claim on a serial: an application or a register entry.
#[derive(Debug, Clone, Serialize)]
pub struct Claim {
    pub case: String,
    pub kind: String,
    pub stage: String,
    pub miner: String,
    pub bin_iin: String,
    /// The unit's register status for an inclusion (`pending`, `included`…).
    pub status: Option<String>,
    pub entry_no: Option<i64>,
}

#[derive(Debug, Clone, Serialize)]
pub struct SerialConflict {
    pub serial: String,
    pub claims: Vec<Claim>,
}

/// Every serial named by the applications or entries of more than one miner,
/// its claims in case order.
pub fn serial_conflicts(db: &dyn Sql) -> Result<Vec<SerialConflict>> {
    conflicted_serials(db)?
        .into_iter()
        .map(|serial| {
            let claims = claims_on(db, &serial)?;
            Ok(SerialConflict { serial, claims })
        })
        .collect()
}

/// The serials named by the applications or entries of more than one miner,
/// in order.
///
/// Only a serial that appears at least twice can be claimed by two miners:
/// those of units named more than once (read off `units_serial` in order,
/// without copying the million units' claims anywhere) and those the
/// exclusion and change applications name. Only their claims are looked up,
/// by serial, and only their miners compared (issue 18, finding 5).
pub fn conflicted_serials(db: &dyn Sql) -> Result<Vec<String>> {
    // SQLite: the index named and the join order fixed (CROSS JOIN);
    // PostgreSQL's planner chooses both.
    let (hint, join) = match db.engine() {
        Engine::Sqlite => ("INDEXED BY units_serial", "CROSS JOIN"),
        Engine::Postgres => ("", "JOIN"),
    };
    let sql = format!(
        "WITH candidates AS MATERIALIZED (
            SELECT serial FROM units {hint}
             GROUP BY serial HAVING count(*) > 1
            UNION
            SELECT serial FROM case_items
         ), claims AS (
            SELECT s.serial, c.miner_id
              FROM candidates s {join} units u ON u.serial = s.serial
              {join} cases c ON c.id = u.case_id
            UNION ALL
            SELECT s.serial, c.miner_id
              FROM candidates s {join} case_items i ON i.serial = s.serial
              {join} cases c ON c.id = i.case_id
         )
         SELECT serial FROM claims GROUP BY serial HAVING count(DISTINCT miner_id) > 1
          ORDER BY serial"
    );
    let mut serials = Vec::new();
    db.for_each(&sql, &[], &mut |r| {
        serials.push(r.get(0)?);
        Ok(())
    })?;
    Ok(serials)
}

/// Every claim on `serial`: the units that name it, then the exclusion and
/// change applications, in case order.
pub fn claims_on(db: &dyn Sql, serial: &str) -> Result<Vec<Claim>> {
    let mut claims = Vec::new();
    db.for_each(
        "SELECT c.number, c.kind, c.stage, m.name, m.bin_iin, u.status, u.entry_no, c.id
           FROM units u JOIN cases c ON c.id = u.case_id JOIN miners m ON m.id = c.miner_id
          WHERE u.serial = ?1
         UNION ALL
         SELECT c.number, c.kind, c.stage, m.name, m.bin_iin, NULL, NULL, c.id
           FROM case_items i JOIN cases c ON c.id = i.case_id JOIN miners m ON m.id = c.miner_id
          WHERE i.serial = ?1
          ORDER BY 8",
        crate::args![serial],
        &mut |r| {
            claims.push(Claim {
                case: r.get(0)?,
                kind: r.get(1)?,
                stage: r.get(2)?,
                miner: r.get(3)?,
                bin_iin: r.get(4)?,
                status: r.get(5)?,
                entry_no: r.get(6)?,
            });
            Ok(())
        },
    )?;
    Ok(claims)
}

/// A register entry with its story.
#[derive(Debug, Clone, Serialize)]
pub struct EntryFound {
    pub entry_no: i64,
    pub serial: String,
    pub brand: String,
    pub model: String,
    pub hashrate_ths: f64,
    pub power_kw: f64,
    pub condition: String,
    pub status: String,
    pub miner: String,
    pub bin_iin: String,
    pub data_center: Option<String>,
    pub case: String,
    /// The notices behind the entry: inclusion, exclusion, amendments.
    pub notices: Vec<String>,
    /// Journal rows that changed it: `seq kind subject`.
    pub history: Vec<String>,
}

/// Entries found by serial, case number (`ABK-2025-000001`: the entries it
/// brought in), BIN/IIN (12 digits) or entry number.
pub fn find(db: &dyn Sql, query: &str) -> Result<Vec<EntryFound>> {
    let q = query.trim();
    let digits = !q.is_empty() && q.chars().all(|c| c.is_ascii_digit());
    let (filter, arg): (&str, Value) = if digits && q.len() == 12 {
        ("m.bin_iin = ?1", q.into())
    } else if digits && q.len() < 12 {
        // Fewer than 12 digits: an entry number (at most 11 digits, an i64).
        ("u.entry_no = ?1", Value::Int(q.parse().unwrap_or(i64::MAX)))
    } else {
        // Serials compare in their one canonical form (case and fullwidth
        // folded), a case's number likewise; a query folds look-alikes too
        // (`rules::ids::serial_key`: a Cyrillic `М` typed in a serial).
        let key = crate::rules::ids::serial_key(q);
        let b = key.as_bytes();
        let case_number = b.len() == 15
            && key.starts_with("ABK-")
            && b[8] == b'-'
            && b[4..8].iter().chain(&b[9..]).all(u8::is_ascii_digit);
        let filter = if case_number {
            "c.number = ?1"
        } else {
            "u.serial = ?1"
        };
        (filter, Value::Text(key))
    };
    let mut found: Vec<EntryFound> = Vec::new();
    db.for_each(
        &format!(
            "SELECT u.entry_no, u.serial, u.brand, u.model, u.hashrate_ths, u.power_kw, u.condition,
                    u.status, m.name, m.bin_iin, d.location, c.number, u.inclusion_notice_no,
                    u.exclusion_notice_no
               FROM units u JOIN cases c ON c.id = u.case_id JOIN miners m ON m.id = c.miner_id
               LEFT JOIN data_centers d ON d.id = c.data_center_id
              WHERE u.entry_no IS NOT NULL AND {filter}
              ORDER BY u.entry_no LIMIT 1000"
        ),
        crate::args![arg],
        &mut |r| {
            let inc: Option<String> = r.get(12)?;
            let exc: Option<String> = r.get(13)?;
            found.push(EntryFound {
                entry_no: r.get(0)?,
                serial: r.get(1)?,
                brand: r.get(2)?,
                model: r.get(3)?,
                hashrate_ths: r.get(4)?,
                power_kw: r.get(5)?,
                condition: r.get(6)?,
                status: r.get(7)?,
                miner: r.get(8)?,
                bin_iin: r.get(9)?,
                data_center: r.get(10)?,
                case: r.get(11)?,
                notices: inc.into_iter().chain(exc).collect(),
                history: Vec::new(),
            });
            Ok(())
        },
    )?;
    // Cases that named the serial (exclusions, changes) and their decisions.
    for e in &mut found {
        let mut cases = vec![e.case.clone()];
        db.for_each(
            "SELECT c.number FROM case_items i JOIN cases c ON c.id = i.case_id WHERE i.serial = ?1",
            crate::args![e.serial],
            &mut |r| {
                cases.push(r.get(0)?);
                Ok(())
            },
        )?;
        for case in &cases {
            db.for_each(
                "SELECT seq, kind, at FROM journal WHERE subject = ?1 ORDER BY seq",
                crate::args![case],
                &mut |r| {
                    e.history.push(format!(
                        "#{} {} {} {case}",
                        r.get::<i64>(0)?,
                        r.get::<String>(2)?,
                        r.get::<String>(1)?
                    ));
                    Ok(())
                },
            )?;
            db.for_each(
                "SELECT n.number FROM notices n JOIN cases c ON c.id = n.case_id
                  WHERE c.number = ?1 AND n.kind = 'amendment'",
                crate::args![case],
                &mut |r| {
                    e.notices.push(r.get(0)?);
                    Ok(())
                },
            )?;
        }
    }
    Ok(found)
}
