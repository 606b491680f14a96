//! Read-side queries: the register (Appendix 1), the facts clocks need, users.

use chrono::{DateTime, Utc};
use serde::Serialize;

use crate::rules::calendar::Amendment;
use crate::rules::{CaseFacts, CaseKind, ComplaintBody, ComplaintFacts, ComplaintStatus, Stage};
use crate::store::sql::{Engine, Row, Sql};
use crate::store::{Error, Result};

pub fn calendar_amendments(db: &dyn Sql) -> Result<Vec<Amendment>> {
    db.rows(
        "SELECT date, working, act FROM calendar_amendments ORDER BY date",
        &[],
        |r| {
            Ok(Amendment {
                date: r.get(0)?,
                working: r.get(1)?,
                act: r.get(2)?,
            })
        },
    )
}

#[derive(Debug, Serialize)]
pub struct UserRow {
    pub login: String,
    pub role: String,
    pub added_at: String,
    pub added_by: String,
}

pub fn users(db: &dyn Sql) -> Result<Vec<UserRow>> {
    db.rows(
        "SELECT login, role, added_at, added_by FROM users ORDER BY login",
        &[],
        |r| {
            Ok(UserRow {
                login: r.get(0)?,
                role: r.get(1)?,
                added_at: r.get(2)?,
                added_by: r.get(3)?,
            })
        },
    )
}

/// One row of the register (Appendix 1).
#[derive(Debug, Serialize)]
pub struct RegisterRow {
    pub entry_no: i64,
    pub miner: String,
    pub bin_iin: String,
    pub data_center: Option<String>,
    pub brand: String,
    pub model: String,
    pub serial: String,
    pub hashrate_ths: f64,
    pub power_kw: f64,
    pub declaration_no: Option<String>,
    pub condition: String,
    pub tn_ved_code: Option<String>,
    pub inclusion_notice_no: Option<String>,
    pub included_on: Option<String>,
    pub status: String,
    pub excluded_on: Option<String>,
    pub exclusion_notice_no: Option<String>,
}

impl RegisterRow {
    /// The CSV columns, in order (the header of `register export`).
    pub const COLUMNS: [&'static str; 17] = [
        "entry_no",
        "miner",
        "bin_iin",
        "data_center",
        "brand",
        "model",
        "serial",
        "hashrate_ths",
        "power_kw",
        "declaration_no",
        "condition",
        "tn_ved_code",
        "inclusion_notice_no",
        "included_on",
        "status",
        "excluded_on",
        "exclusion_notice_no",
    ];

    /// The row as (column, text) pairs in column order, for CSV.
    pub fn cells(&self) -> [(&'static str, String); 17] {
        let o = |v: &Option<String>| v.clone().unwrap_or_default();
        let values = [
            self.entry_no.to_string(),
            self.miner.clone(),
            self.bin_iin.clone(),
            o(&self.data_center),
            self.brand.clone(),
            self.model.clone(),
            self.serial.clone(),
            format!("{:?}", self.hashrate_ths),
            format!("{:?}", self.power_kw),
            o(&self.declaration_no),
            self.condition.clone(),
            o(&self.tn_ved_code),
            o(&self.inclusion_notice_no),
            o(&self.included_on),
            self.status.clone(),
            o(&self.excluded_on),
            o(&self.exclusion_notice_no),
        ];
        let mut values = values.into_iter();
        Self::COLUMNS.map(|k| (k, values.next().expect("a value per column")))
    }
}

/// How many cases the demo did not make: case registrations journaled
/// without the demo's mark (`synthetic`). `tizilim demo` works only on a
/// register where this is 0.
pub fn cases_not_from_demo(db: &dyn Sql) -> Result<i64> {
    // The mark is in the JSON payload: SQLite's `json_extract` gives `true`
    // as 1; PostgreSQL reads it as jsonb.
    let sql = match db.engine() {
        Engine::Sqlite => {
            "SELECT count(*) FROM journal WHERE kind = 'case_registered'
             AND json_extract(payload, '$.synthetic') IS NOT 1"
        }
        Engine::Postgres => {
            "SELECT count(*) FROM journal WHERE kind = 'case_registered'
             AND NOT coalesce(CAST(payload AS jsonb) -> 'synthetic'
                              IN ('true'::jsonb, '1'::jsonb), false)"
        }
    };
    db.one(sql, &[], |r| r.get(0))
}

/// Calls `f` for every register entry, in entry order.
pub fn for_each_register_row(
    db: &dyn Sql,
    mut f: impl FnMut(RegisterRow) -> Result<()>,
) -> Result<()> {
    db.for_each(
        "SELECT u.entry_no, m.name, m.bin_iin, d.location, u.brand, u.model, u.serial,
                u.hashrate_ths, u.power_kw, u.declaration_no, u.condition, c.tn_ved_code,
                u.inclusion_notice_no, u.included_on, u.status, u.excluded_on, u.exclusion_notice_no
         FROM units u JOIN cases c ON c.id = u.case_id JOIN miners m ON m.id = c.miner_id
         LEFT JOIN data_centers d ON d.id = c.data_center_id
         WHERE u.entry_no IS NOT NULL ORDER BY u.entry_no",
        &[],
        &mut |r| {
            f(RegisterRow {
                entry_no: r.get(0)?,
                miner: r.get(1)?,
                bin_iin: r.get(2)?,
                data_center: r.get(3)?,
                brand: r.get(4)?,
                model: r.get(5)?,
                serial: r.get(6)?,
                hashrate_ths: r.get(7)?,
                power_kw: r.get(8)?,
                declaration_no: r.get(9)?,
                condition: r.get(10)?,
                tn_ved_code: r.get(11)?,
                inclusion_notice_no: r.get(12)?,
                included_on: r.get(13)?,
                status: r.get(14)?,
                excluded_on: r.get(15)?,
                exclusion_notice_no: r.get(16)?,
            })
        },
    )?;
    Ok(())
}

fn corrupt(what: &str, v: &str) -> Error {
    Error::Corrupt(format!("unknown {what} {v:?}"))
}

/// A case as the clocks see it.
#[derive(Debug, Clone)]
pub struct CaseClockRow {
    pub number: String,
    pub received_at: DateTime<Utc>,
    pub facts: CaseFacts,
}

/// The columns a case's clocks need (a macro: the statements built on it are
/// constant text, as SQLite's statement cache wants them).
macro_rules! case_facts_sql {
    () => {
        "SELECT number, kind, stage, registered_on, hearing_notice_on, changed_on, received_at, reopened_on FROM cases"
    };
}

fn case_clock_row(r: &Row) -> Result<CaseClockRow> {
    let kind: String = r.get(1)?;
    let stage: String = r.get(2)?;
    let received: String = r.get(6)?;
    Ok(CaseClockRow {
        number: r.get(0)?,
        received_at: DateTime::parse_from_rfc3339(&received)
            .map_err(|e| Error::Corrupt(format!("received_at {received:?}: {e}")))?
            .with_timezone(&Utc),
        facts: CaseFacts {
            kind: CaseKind::parse(&kind).ok_or_else(|| corrupt("kind", &kind))?,
            stage: Stage::parse(&stage).ok_or_else(|| corrupt("stage", &stage))?,
            registered_on: r.get(3)?,
            hearing_notice_on: r.get(4)?,
            changed_on: r.get(5)?,
            reopened_on: r.get(7)?,
        },
    })
}

/// Every open case (the ones whose clocks may run).
pub fn for_each_open_case(
    db: &dyn Sql,
    mut f: impl FnMut(CaseClockRow) -> Result<()>,
) -> Result<()> {
    db.for_each(
        concat!(
            case_facts_sql!(),
            " WHERE stage IN ('incomplete','under_review','hearing_notified','hearing_held')"
        ),
        &[],
        &mut |r| f(case_clock_row(r)?),
    )?;
    Ok(())
}

pub fn case_clock_facts(db: &dyn Sql, number: &str) -> Result<CaseClockRow> {
    db.row(
        concat!(case_facts_sql!(), " WHERE number = ?1"),
        crate::args![number],
        case_clock_row,
    )?
    .ok_or_else(|| Error::NotFound(crate::store::reason::Missing::Case(number.to_string())))
}

#[derive(Debug, Clone)]
pub struct ComplaintClockRow {
    pub number: String,
    pub case: String,
    pub received_at: DateTime<Utc>,
    pub facts: ComplaintFacts,
}

macro_rules! complaint_facts_sql {
    () => {
        "SELECT k.number, c.number, k.addressed_to, k.status, k.registered_on,
    k.forwarded_on, k.received_at FROM complaints k JOIN cases c ON c.id = k.case_id"
    };
}

fn complaint_row(r: &Row) -> Result<ComplaintClockRow> {
    let to: String = r.get(2)?;
    let status: String = r.get(3)?;
    let received: String = r.get(6)?;
    Ok(ComplaintClockRow {
        number: r.get(0)?,
        case: r.get(1)?,
        received_at: DateTime::parse_from_rfc3339(&received)
            .map_err(|e| Error::Corrupt(format!("received_at {received:?}: {e}")))?
            .with_timezone(&Utc),
        facts: ComplaintFacts {
            addressed_to: ComplaintBody::parse(&to)
                .ok_or_else(|| corrupt("complaint body", &to))?,
            status: ComplaintStatus::parse(&status)
                .ok_or_else(|| corrupt("complaint status", &status))?,
            registered_on: r.get(4)?,
            forwarded_on: r.get(5)?,
        },
    })
}

pub fn for_each_open_complaint(
    db: &dyn Sql,
    mut f: impl FnMut(ComplaintClockRow) -> Result<()>,
) -> Result<()> {
    db.for_each(
        concat!(complaint_facts_sql!(), " WHERE k.status <> 'decided'"),
        &[],
        &mut |r| f(complaint_row(r)?),
    )?;
    Ok(())
}

/// The open complaints of one case (the console's partial reload).
pub fn open_complaints_of(
    db: &dyn Sql,
    case: &str,
    mut f: impl FnMut(ComplaintClockRow) -> Result<()>,
) -> Result<()> {
    db.for_each(
        concat!(
            complaint_facts_sql!(),
            " WHERE c.number = ?1 AND k.status <> 'decided'"
        ),
        crate::args![case],
        &mut |r| f(complaint_row(r)?),
    )?;
    Ok(())
}

pub fn complaint_clock_facts(db: &dyn Sql, number: &str) -> Result<Option<ComplaintClockRow>> {
    db.row(
        concat!(complaint_facts_sql!(), " WHERE k.number = ?1"),
        crate::args![number],
        complaint_row,
    )
}

/// Counts of cases by stage, for the overview.
pub fn stage_counts(db: &dyn Sql) -> Result<Vec<(String, i64)>> {
    db.rows(
        "SELECT stage, count(*) FROM cases GROUP BY stage ORDER BY stage",
        &[],
        |r| Ok((r.get(0)?, r.get(1)?)),
    )
}

/// How many cases the register holds.
pub fn case_count(db: &dyn Sql) -> Result<i64> {
    db.one("SELECT count(*) FROM cases", &[], |r| r.get(0))
}

/// A case's version now (what `--expect-version` compares with).
pub fn case_version(db: &dyn Sql, number: &str) -> Result<i64> {
    db.row(
        "SELECT version FROM cases WHERE number = ?1",
        crate::args![number],
        |r| r.get(0),
    )?
    .ok_or_else(|| Error::NotFound(crate::store::reason::Missing::Case(number.to_string())))
}

/// A complaint's version now.
pub fn complaint_version(db: &dyn Sql, number: &str) -> Result<i64> {
    db.row(
        "SELECT version FROM complaints WHERE number = ?1",
        crate::args![number],
        |r| r.get(0),
    )?
    .ok_or_else(|| Error::NotFound(crate::store::reason::Missing::Complaint(number.to_string())))
}

/// The journal's head: its last row's number and hash.
pub fn journal_head(db: &dyn Sql) -> Result<(i64, String)> {
    db.one(
        "SELECT seq, hash FROM journal ORDER BY seq DESC LIMIT 1",
        &[],
        |r| Ok((r.get(0)?, r.get(1)?)),
    )
}

/// The hash of journal row `seq`, if the register still holds it.
pub fn journal_hash(db: &dyn Sql, seq: i64) -> Result<Option<String>> {
    db.row(
        "SELECT hash FROM journal WHERE seq = ?1",
        crate::args![seq],
        |r| r.get(0),
    )
}

/// A decision as `case decide` reports it: its outcome, legal date and the
/// case's version after it.
pub fn decision_summary(db: &dyn Sql, number: &str) -> Result<(String, String, i64)> {
    db.one(
        "SELECT d.outcome, d.issued_on, c.version FROM decisions d
         JOIN cases c ON c.id = d.case_id WHERE d.number = ?1",
        crate::args![number],
        |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)),
    )
}

/// The grounds named by a case's preliminary decision (§11), as numbers.
pub fn preliminary_grounds(db: &dyn Sql, case_id: i64) -> Result<Vec<u8>> {
    let text: Option<String> = db
        .row(
            "SELECT grounds FROM cases WHERE id = ?1",
            crate::args![case_id],
            |r| r.get::<Option<String>>(0),
        )?
        .flatten();
    match text {
        None => Ok(Vec::new()),
        Some(t) => serde_json::from_str(&t)
            .map_err(|e| Error::Corrupt(format!("case {case_id}: grounds {t:?}: {e}"))),
    }
}

/// Who already holds a serial: an included entry or another miner's pending
/// application.
#[derive(Debug, Clone, PartialEq)]
pub struct SerialHolder {
    /// `included` or `pending`.
    pub status: String,
    pub entry_no: Option<i64>,
    pub case: String,
    pub bin_iin: String,
}

/// Who already holds `serial`, as intake at the desk warns of it: an
/// included entry, or a pending application of another miner than `bin_iin`.
pub fn serial_holder(db: &dyn Sql, serial: &str, bin_iin: &str) -> Result<Option<SerialHolder>> {
    db.row(
        "SELECT o.status, o.entry_no, oc.number, om.bin_iin
               FROM units o JOIN cases oc ON oc.id = o.case_id
               JOIN miners om ON om.id = oc.miner_id
              WHERE o.serial = ?1
                AND (o.status = 'included' OR (o.status = 'pending' AND om.bin_iin <> ?2))
              ORDER BY o.status = 'included' DESC, oc.number LIMIT 1",
        crate::args![serial, bin_iin],
        |q| {
            Ok(SerialHolder {
                status: q.get(0)?,
                entry_no: q.get(1)?,
                case: q.get(2)?,
                bin_iin: q.get(3)?,
            })
        },
    )
}

/// A serial of a case's units that the register already holds for another
/// miner: included (with its entry number) or pending in another case.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct SerialConflict {
    /// The unit of this case: `units[i].serial`.
    pub field: String,
    pub serial: String,
    /// The other case and miner.
    pub case: String,
    pub bin_iin: String,
    /// `included` or `pending`.
    pub status: String,
    pub entry_no: Option<i64>,
}

/// Serials of `case`'s units already in the register for another miner, in
/// unit order (for intake's output and `case show`). Serials are stored in
/// their canonical form (`rules::ids::canonical_serial`), so equality is the
/// comparison.
pub fn serial_conflicts(db: &dyn Sql, case: &str) -> Result<Vec<SerialConflict>> {
    db.rows(
        "SELECT u.idx, u.serial, oc.number, om.bin_iin, o.status, o.entry_no
         FROM cases c
         JOIN units u ON u.case_id = c.id
         JOIN units o ON o.serial = u.serial AND o.case_id <> c.id
              AND o.status IN ('included', 'pending')
         JOIN cases oc ON oc.id = o.case_id
         JOIN miners om ON om.id = oc.miner_id
         WHERE c.number = ?1 AND oc.miner_id <> c.miner_id
         ORDER BY u.idx, o.status, oc.number",
        crate::args![case],
        |r| {
            let idx: i64 = r.get(0)?;
            Ok(SerialConflict {
                field: format!("units[{idx}].serial"),
                serial: r.get(1)?,
                case: r.get(2)?,
                bin_iin: r.get(3)?,
                status: r.get(4)?,
                entry_no: r.get(5)?,
            })
        },
    )
}

/// A serial of this case already included in the register for another case.
#[derive(Debug, Clone, serde::Serialize)]
pub struct Conflict {
    /// Where the serial stands in this application (`units[3].serial`).
    pub field: String,
    pub serial: String,
    pub entry_no: i64,
    pub case: String,
    pub miner: String,
    pub bin_iin: String,
}

/// Serials of a case that are already included in the register under another
/// case (for an inclusion: they cannot be included again).
pub fn conflicts(db: &dyn Sql, case_id: i64) -> Result<Vec<Conflict>> {
    db.rows(
        "SELECT u.idx, u.serial, o.entry_no, oc.number, m.name, m.bin_iin
         FROM units u
         JOIN units o ON o.serial = u.serial AND o.status = 'included' AND o.case_id <> u.case_id
         JOIN cases oc ON oc.id = o.case_id JOIN miners m ON m.id = oc.miner_id
         WHERE u.case_id = ?1 AND u.status = 'pending' ORDER BY u.idx",
        crate::args![case_id],
        |r| {
            let idx: i64 = r.get(0)?;
            Ok(Conflict {
                field: format!("units[{idx}].serial"),
                serial: r.get(1)?,
                entry_no: r.get(2)?,
                case: r.get(3)?,
                miner: r.get(4)?,
                bin_iin: r.get(5)?,
            })
        },
    )
}
