//! The read side the console's panes (and any CLI command) need: the queue of
//! open cases by next due date (keyset pages), one case in detail, a case's
//! units page by page, its journal history, hearings by date, complaints, and
//! search. Nothing here loads the whole register: the queue keeps only a
//! `(next due, case id)` key per open case, and every row is fetched a page at
//! a time.

use chrono::{DateTime, NaiveDate, Utc};

use crate::rules::clocks::ClockId;
use crate::rules::{
    CaseFacts, CaseKind, ClockReading, ClockState, ComplaintBody, ComplaintFacts, ComplaintStatus,
    Law, Stage,
};
use crate::store::read::monitor::{self, Deadline};
use crate::store::read::queries::CaseClockRow;
use crate::store::sql::{Engine, Row, Sql, ToArg};
use crate::store::{Error, Result};

fn corrupt(what: &str, v: &str) -> Error {
    Error::Corrupt(format!("unknown {what} {v:?}"))
}

fn stage_of(s: &str) -> Result<Stage> {
    Stage::parse(s).ok_or_else(|| corrupt("stage", s))
}

fn kind_of(s: &str) -> Result<CaseKind> {
    CaseKind::parse(s).ok_or_else(|| corrupt("kind", s))
}

/// Every running clock on `today`, overdue first, then by due date and case
/// (the same pass that gives the console its queue: [`snapshot`]).
pub fn running_clocks(db: &dyn Sql, law: &Law, today: NaiveDate) -> Result<Vec<Deadline>> {
    Ok(snapshot(db, law, today)?.deadlines)
}

// ---------------------------------------------------------------- the queue

/// Which cases the queue lists.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum View {
    /// Every open case.
    Open,
    /// Registered with an incomplete package (§9).
    Incomplete,
    /// Hearing notice sent, hearing not yet recorded (§12).
    AwaitingHearing,
    /// Decided today (any outcome).
    DecidedToday,
}

impl View {
    pub const ALL: [View; 4] = [
        View::Open,
        View::Incomplete,
        View::AwaitingHearing,
        View::DecidedToday,
    ];
}

/// The sort key of an open case: its next due date (none sorts last), then id.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub struct QueueKey {
    pub due: NaiveDate,
    pub id: i64,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct QueueEntry {
    pub key: QueueKey,
    pub stage: Stage,
}

/// The running clocks of the register and the queue's keys, from one pass
/// over the open cases (clocks derived on the fly; nothing stored).
#[derive(Debug, Clone, Default)]
pub struct Snapshot {
    /// Every running clock, overdue first (the deadline monitor).
    pub deadlines: Vec<Deadline>,
    /// Every open case by next due date.
    pub queue: Vec<QueueEntry>,
}

impl Snapshot {
    pub fn count(&self, state: ClockState) -> usize {
        self.deadlines
            .iter()
            .filter(|d| d.reading.state == state)
            .count()
    }

    /// The keys of the cases a view lists (not `DecidedToday`: see [`decided_on`]).
    pub fn view(&self, view: View) -> Vec<QueueKey> {
        self.queue
            .iter()
            .filter(|e| match view {
                View::Open => true,
                View::Incomplete => e.stage == Stage::Incomplete,
                View::AwaitingHearing => e.stage == Stage::HearingNotified,
                View::DecidedToday => false,
            })
            .map(|e| e.key)
            .collect()
    }
}

/// The columns of `cases` a case's clocks are derived from (see
/// [`case_facts`]); a macro, so that the statements built on it are
/// constant text.
macro_rules! case_clock_columns {
    () => {
        "id, number, kind, stage, registered_on, hearing_notice_on, changed_on, reopened_on"
    };
}
pub(crate) use case_clock_columns;

/// A row of [`case_clock_columns`]: id, number and facts.
pub(crate) fn case_facts(r: &Row) -> Result<(i64, String, CaseFacts)> {
    Ok((
        r.get(0)?,
        r.get(1)?,
        CaseFacts {
            kind: kind_of(&r.get::<String>(2)?)?,
            stage: stage_of(&r.get::<String>(3)?)?,
            registered_on: r.get(4)?,
            hearing_notice_on: r.get(5)?,
            changed_on: r.get(6)?,
            reopened_on: r.get(7)?,
        },
    ))
}

/// One open case's running clocks and queue entry, as [`snapshot`] takes
/// them (the partial reload, `super::changes`, takes them the same way).
pub(crate) fn open_case(
    law: &Law,
    today: NaiveDate,
    (id, number, facts): (i64, String, CaseFacts),
    readings: &mut Vec<ClockReading>,
    deadlines: &mut Vec<Deadline>,
) -> Result<QueueEntry> {
    let after_data = law.calendar.last_day().succ_opt().unwrap_or(NaiveDate::MAX);
    readings.clear();
    law.rules
        .case_clocks(&law.calendar, &facts, today, readings)?;
    let mut next = NaiveDate::MAX;
    // A lapsed advisory clock (the §12 notice day) is no longer a deadline.
    for rd in readings.drain(..).filter(|r| r.state != ClockState::Lapsed) {
        // A due date not yet countable is after every one the calendar gives.
        next = next.min(rd.due.unwrap_or(after_data));
        deadlines.push(Deadline {
            case: number.clone(),
            complaint: None,
            reading: rd,
        });
    }
    Ok(QueueEntry {
        key: QueueKey { due: next, id },
        stage: facts.stage,
    })
}

/// One open complaint's running clocks.
pub(crate) fn open_complaint(
    law: &Law,
    today: NaiveDate,
    row: &crate::store::read::queries::ComplaintClockRow,
    readings: &mut Vec<ClockReading>,
    deadlines: &mut Vec<Deadline>,
) -> Result<()> {
    readings.clear();
    law.rules
        .complaint_clocks(&law.calendar, &row.facts, today, readings)?;
    for rd in readings.drain(..) {
        deadlines.push(Deadline {
            case: row.case.clone(),
            complaint: Some(row.number.clone()),
            reading: rd,
        });
    }
    Ok(())
}

/// One pass over the open cases and complaints on `today`.
pub fn snapshot(db: &dyn Sql, law: &Law, today: NaiveDate) -> Result<Snapshot> {
    // Built once: the same text each time (SQLite's statement cache).
    static OPEN_CASES: std::sync::LazyLock<String> = std::sync::LazyLock::new(|| {
        format!(
            concat!(
                "SELECT ",
                case_clock_columns!(),
                " FROM cases WHERE stage IN ({})"
            ),
            Stage::open_sql_list()
        )
    });
    let mut out = Snapshot::default();
    let mut readings = Vec::with_capacity(4);
    db.for_each(&OPEN_CASES, &[], &mut |r| {
        let entry = open_case(
            law,
            today,
            case_facts(r)?,
            &mut readings,
            &mut out.deadlines,
        )?;
        out.queue.push(entry);
        Ok(())
    })?;
    crate::store::read::queries::for_each_open_complaint(db, |row| {
        open_complaint(law, today, &row, &mut readings, &mut out.deadlines)
    })?;
    // §16: changes of the law not yet informed of.
    out.deadlines.extend(super::law::running(db, law, today)?);
    monitor::sort(&mut out.deadlines);
    out.queue.sort_unstable_by_key(|e| e.key);
    Ok(out)
}

/// The keys after `after` (keyset pagination), at most `limit`.
pub fn page_after(keys: &[QueueKey], after: Option<QueueKey>, limit: usize) -> &[QueueKey] {
    let start = after.map_or(0, |k| keys.partition_point(|x| *x <= k));
    &keys[start..(start + limit).min(keys.len())]
}

/// One line of the queue (or of search results).
#[derive(Debug, Clone, PartialEq)]
pub struct QueueRow {
    pub id: i64,
    pub number: String,
    pub kind: CaseKind,
    pub stage: Stage,
    pub applicant: String,
    pub bin_iin: String,
    pub registered_on: NaiveDate,
    /// The earliest running clock (not a lapsed advisory one).
    pub next: Option<ClockReading>,
}

const ROW_SQL: &str = "SELECT c.id, c.number, c.kind, c.stage, coalesce(c.applicant_name, m.name), m.bin_iin, c.registered_on,
        c.hearing_notice_on, c.changed_on, c.reopened_on
     FROM cases c JOIN miners m ON m.id = c.miner_id";

fn queue_row(r: &Row, law: &Law, today: NaiveDate) -> Result<QueueRow> {
    let kind = kind_of(&r.get::<String>(2)?)?;
    let stage = stage_of(&r.get::<String>(3)?)?;
    let facts = CaseFacts {
        kind,
        stage,
        registered_on: r.get(6)?,
        hearing_notice_on: r.get(7)?,
        changed_on: r.get(8)?,
        reopened_on: r.get(9)?,
    };
    let mut readings = Vec::with_capacity(3);
    law.rules
        .case_clocks(&law.calendar, &facts, today, &mut readings)?;
    let next = readings
        .into_iter()
        .filter(|r| r.state != ClockState::Lapsed)
        .min_by_key(|r| r.due.unwrap_or(NaiveDate::MAX));
    Ok(QueueRow {
        id: r.get(0)?,
        number: r.get(1)?,
        kind,
        stage,
        applicant: r.get(4)?,
        bin_iin: r.get(5)?,
        registered_on: facts.registered_on,
        next,
    })
}

/// The rows of the given cases, in the given order (a page of the queue).
pub fn rows(db: &dyn Sql, law: &Law, today: NaiveDate, ids: &[i64]) -> Result<Vec<QueueRow>> {
    if ids.is_empty() {
        return Ok(Vec::new());
    }
    let marks = vec!["?"; ids.len()].join(",");
    let args: Vec<&dyn ToArg> = ids.iter().map(|i| i as &dyn ToArg).collect();
    let mut found = Vec::with_capacity(ids.len());
    db.for_each(
        &format!("{ROW_SQL} WHERE c.id IN ({marks})"),
        &args,
        &mut |r| {
            found.push(queue_row(r, law, today)?);
            Ok(())
        },
    )?;
    found.sort_by_key(|row| ids.iter().position(|i| *i == row.id));
    Ok(found)
}

/// Cases decided on `day`, newest number first (the "decided today" view).
pub fn decided_on(db: &dyn Sql, day: NaiveDate, limit: usize) -> Result<Vec<i64>> {
    db.rows(
        "SELECT id FROM cases WHERE decided_on = ?1 ORDER BY id DESC LIMIT ?2",
        crate::args![day, limit],
        |r| r.get(0),
    )
}

/// Cases whose number, applicant name, BIN/IIN or an ABK serial matches
/// `query` (any stage), newest first. Numbers, BIN/IIN and serials match by
/// prefix through their indexes; names by substring (the miners table is small).
/// Numbers and serials fold look-alikes as stored (`rules::ids::serial_key`:
/// `АВК-2025-002001` typed on a Russian layout, a Cyrillic `М` in a serial);
/// 1–6 digits alone also name a case by its sequence (`2001`: ABK-2025-002001
/// and that of every other year, looked up by number for each year from the
/// first case's to the last's: 1–2 ms over 100,000 cases, where a scan of the
/// numbers took 55).
pub fn search(db: &dyn Sql, query: &str, limit: usize) -> Result<Vec<i64>> {
    let q = query.trim();
    if q.is_empty() {
        return Ok(Vec::new());
    }
    // Case numbers and serials are stored in their canonical form: fold the
    // query the same way.
    let upper = crate::rules::ids::serial_key(q);
    // Lowered here, ASCII only, as `lower()` does to the name on both
    // engines (the register's text compares byte by byte, `COLLATE "C"`).
    let like = format!(
        "%{}%",
        q.to_ascii_lowercase()
            .replace('\\', "\\\\")
            .replace('%', "\\%")
            .replace('_', "\\_")
    );
    let end = format!("{upper}\u{10FFFF}");
    // Names match ignoring ASCII case on both engines (SQLite's LIKE does,
    // PostgreSQL's does not: the name lowered, the pattern too); the
    // sequence alone is text (`CAST`: PostgreSQL cannot infer a parameter's
    // type from `IS NOT NULL`).
    let sql = "SELECT id FROM (
            SELECT id FROM cases WHERE number >= ?1 AND number < ?2
            UNION SELECT c.id FROM cases c JOIN miners m ON m.id = c.miner_id
                WHERE m.bin_iin >= ?3 AND m.bin_iin < ?4
            UNION SELECT c.id FROM cases c JOIN miners m ON m.id = c.miner_id
                WHERE lower(m.name) LIKE ?5 ESCAPE '\\'
            UNION SELECT case_id FROM units WHERE serial >= ?7 AND serial < ?8
            UNION SELECT case_id FROM case_items WHERE serial >= ?7 AND serial < ?8
            UNION SELECT id FROM cases WHERE number IN (
                WITH RECURSIVE y(n) AS (
                    SELECT CAST(substr(min(number), 5, 4) AS INTEGER) FROM cases
                     WHERE CAST(?9 AS TEXT) IS NOT NULL
                    UNION ALL SELECT n + 1 FROM y
                     WHERE n < (SELECT CAST(substr(max(number), 5, 4) AS INTEGER) FROM cases))
                SELECT 'ABK-' || n || '-' || CAST(?9 AS TEXT) FROM y)
         ) AS found ORDER BY id DESC LIMIT ?6";
    let raw_end = format!("{q}\u{10FFFF}");
    let serial = upper.clone();
    let seq = crate::rules::ids::number_alone(q);
    let serial_end = format!("{serial}\u{10FFFF}");
    db.rows(
        sql,
        crate::args![upper, end, q, raw_end, like, limit, serial, serial_end, seq],
        |r| r.get(0),
    )
}

// ---------------------------------------------------------------- one case

#[derive(Debug, Clone, PartialEq)]
pub struct DocumentRow {
    pub kind: String,
    pub name: String,
    pub valid_until: Option<NaiveDate>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct DecisionRow {
    pub number: String,
    pub outcome: String,
    pub issued_on: NaiveDate,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Conflict {
    pub serial: String,
    pub case: String,
    pub miner: String,
}

#[derive(Debug, Clone)]
pub struct CaseDetail {
    pub id: i64,
    pub number: String,
    pub kind: CaseKind,
    pub stage: Stage,
    pub channel: String,
    pub version: i64,
    pub received_at: DateTime<Utc>,
    pub registered_on: NaiveDate,
    pub applicant: String,
    pub bin_iin: String,
    pub legal_address: Option<String>,
    pub phone: String,
    pub email: String,
    pub data_center: Option<String>,
    pub tn_ved_code: Option<String>,
    /// What makes the package incomplete (§9), as registered.
    pub missing: Vec<String>,
    pub hearing_at: Option<DateTime<Utc>>,
    pub hearing_place: Option<String>,
    pub hearing_held_on: Option<NaiveDate>,
    pub documents: Vec<DocumentRow>,
    pub decisions: Vec<DecisionRow>,
    pub complaints: Vec<(String, ComplaintStatus)>,
    /// Units (inclusion) or items named by an exclusion / change.
    pub unit_count: usize,
    pub conflicts: Vec<Conflict>,
    pub clocks: CaseClockRow,
    /// The clocks its acts ended, in time or late (issue 20).
    pub terms: Vec<super::terms::Term>,
}

fn rfc3339(s: Option<String>) -> Result<Option<DateTime<Utc>>> {
    s.map(|s| {
        DateTime::parse_from_rfc3339(&s)
            .map(|d| d.with_timezone(&Utc))
            .map_err(|e| Error::Corrupt(format!("instant {s:?}: {e}")))
    })
    .transpose()
}

/// One case with what the detail pane shows (units come page by page).
pub fn case_detail(db: &dyn Sql, id: i64) -> Result<Option<CaseDetail>> {
    let row = db.row(
            "SELECT c.number, c.kind, c.stage, c.channel, c.version, c.received_at,
                c.registered_on, coalesce(c.applicant_name, m.name), m.bin_iin,
                CASE WHEN c.applicant_name IS NULL THEN m.legal_address ELSE c.applicant_address END,
                coalesce(c.applicant_phone, m.phone), coalesce(c.applicant_email, m.email),
                d.location, c.tn_ved_code, c.missing, c.hearing_at, c.hearing_place,
                c.hearing_held_on, c.hearing_notice_on, c.changed_on, c.reopened_on, c.miner_id
             FROM cases c JOIN miners m ON m.id = c.miner_id
             LEFT JOIN data_centers d ON d.id = c.data_center_id WHERE c.id = ?1",
        crate::args![id],
        |r| {
            Ok((
                (
                    r.get::<String>(0)?,
                    r.get::<String>(1)?,
                    r.get::<String>(2)?,
                    r.get::<String>(3)?,
                    r.get::<i64>(4)?,
                    r.get::<String>(5)?,
                    r.get::<NaiveDate>(6)?,
                ),
                (
                    r.get::<String>(7)?,
                    r.get::<String>(8)?,
                    r.get::<Option<String>>(9)?,
                    r.get::<String>(10)?,
                    r.get::<String>(11)?,
                    r.get::<Option<String>>(12)?,
                    r.get::<Option<String>>(13)?,
                ),
                (
                    r.get::<String>(14)?,
                    r.get::<Option<String>>(15)?,
                    r.get::<Option<String>>(16)?,
                    r.get::<Option<NaiveDate>>(17)?,
                    r.get::<Option<NaiveDate>>(18)?,
                    r.get::<Option<NaiveDate>>(19)?,
                    r.get::<Option<NaiveDate>>(20)?,
                    r.get::<i64>(21)?,
                ),
            ))
        },
    )?;
    let Some((a, b, c)) = row else {
        return Ok(None);
    };
    let (number, kind, stage, channel, version, received, registered_on) = a;
    let (applicant, bin_iin, legal_address, phone, email, data_center, tn_ved_code) = b;
    let (
        missing,
        hearing_at,
        hearing_place,
        hearing_held_on,
        notice_on,
        changed_on,
        reopened_on,
        miner_id,
    ) = c;
    let kind = kind_of(&kind)?;
    let stage = stage_of(&stage)?;
    let received_at = rfc3339(Some(received))?.expect("some");
    let missing: Vec<String> = serde_json::from_str(&missing).unwrap_or_default();
    let documents = db.rows(
        "SELECT kind, name, valid_until FROM documents WHERE case_id = ?1 ORDER BY idx",
        crate::args![id],
        |r| {
            Ok(DocumentRow {
                kind: r.get(0)?,
                name: r.get(1)?,
                valid_until: r.get(2)?,
            })
        },
    )?;
    let decisions = db.rows(
        "SELECT number, outcome, issued_on FROM decisions WHERE case_id = ?1 ORDER BY issued_on, number",
        crate::args![id],
        |r| {
            Ok(DecisionRow {
                number: r.get(0)?,
                outcome: r.get(1)?,
                issued_on: r.get(2)?,
            })
        },
    )?;
    let complaints = {
        let rows = db.rows(
            "SELECT number, status FROM complaints WHERE case_id = ?1 ORDER BY id",
            crate::args![id],
            |r| Ok((r.get::<String>(0)?, r.get::<String>(1)?)),
        )?;
        rows.into_iter()
            .map(|(n, s)| {
                let st =
                    ComplaintStatus::parse(&s).ok_or_else(|| corrupt("complaint status", &s))?;
                Ok((n, st))
            })
            .collect::<Result<Vec<_>>>()?
    };
    let unit_count: i64 = db.one(
        "SELECT (SELECT count(*) FROM units WHERE case_id = ?1)
                  + (SELECT count(*) FROM case_items WHERE case_id = ?1)",
        crate::args![id],
        |r| r.get(0),
    )?;
    let conflicts = db.rows(
        "SELECT s.serial, c2.number, m2.name
             FROM (SELECT serial FROM units WHERE case_id = ?1
                   UNION SELECT serial FROM case_items WHERE case_id = ?1) s
             JOIN units u2 ON u2.serial = s.serial AND u2.status = 'included'
             JOIN cases c2 ON c2.id = u2.case_id
             JOIN miners m2 ON m2.id = c2.miner_id
             WHERE c2.miner_id <> ?2
             ORDER BY s.serial LIMIT 50",
        crate::args![id, miner_id],
        |r| {
            Ok(Conflict {
                serial: r.get(0)?,
                case: r.get(1)?,
                miner: r.get(2)?,
            })
        },
    )?;
    let clocks = CaseClockRow {
        number: number.clone(),
        received_at,
        facts: CaseFacts {
            kind,
            stage,
            registered_on,
            hearing_notice_on: notice_on,
            changed_on,
            reopened_on,
        },
    };
    let terms = super::terms::of_case(db, &number)?;
    Ok(Some(CaseDetail {
        id,
        number,
        kind,
        stage,
        channel,
        version,
        received_at,
        registered_on,
        applicant,
        bin_iin,
        legal_address,
        phone,
        email,
        data_center,
        tn_ved_code,
        missing,
        hearing_at: rfc3339(hearing_at)?,
        hearing_place,
        hearing_held_on,
        documents,
        decisions,
        complaints,
        unit_count: usize::try_from(unit_count)
            .map_err(|_| Error::Corrupt(format!("case {id}: {unit_count} units")))?,
        conflicts,
        terms,
        clocks,
    }))
}

/// The id of the case with this number.
pub fn case_id(db: &dyn Sql, number: &str) -> Result<Option<i64>> {
    db.row(
        "SELECT id FROM cases WHERE number = ?1",
        crate::args![number],
        |r| r.get(0),
    )
}

/// One ABK of a case: a unit of an inclusion, or a serial named by an
/// exclusion or change (then `brand` holds the new wording, if any).
#[derive(Debug, Clone, PartialEq)]
pub struct UnitRow {
    pub idx: i64,
    pub serial: String,
    pub model: String,
    pub hashrate_ths: Option<f64>,
    pub power_kw: Option<f64>,
    pub status: String,
    pub entry_no: Option<i64>,
}

/// A page of a case's ABKs after index `after` (keyset on the (case, idx) key).
pub fn units_page(db: &dyn Sql, case_id: i64, after: i64, limit: usize) -> Result<Vec<UnitRow>> {
    let mut out = db.rows(
        "SELECT idx, serial, brand || ' ' || model, hashrate_ths, power_kw, status, entry_no
         FROM units WHERE case_id = ?1 AND idx > ?2 ORDER BY idx LIMIT ?3",
        crate::args![case_id, after, limit],
        |r| {
            Ok(UnitRow {
                idx: r.get(0)?,
                serial: r.get(1)?,
                model: r.get(2)?,
                hashrate_ths: r.get(3)?,
                power_kw: r.get(4)?,
                status: r.get(5)?,
                entry_no: r.get(6)?,
            })
        },
    )?;
    if out.is_empty() {
        out = db.rows(
            "SELECT idx, serial, wording FROM case_items WHERE case_id = ?1 AND idx > ?2 ORDER BY idx LIMIT ?3",
            crate::args![case_id, after, limit],
            |r| {
                Ok(UnitRow {
                    idx: r.get(0)?,
                    serial: r.get(1)?,
                    model: r.get(2)?,
                    hashrate_ths: None,
                    power_kw: None,
                    status: String::new(),
                    entry_no: None,
                })
            },
        )?;
    }
    Ok(out)
}

/// One journal row about a case or its complaints.
#[derive(Debug, Clone, PartialEq)]
pub struct HistoryRow {
    pub seq: i64,
    pub at: String,
    pub actor: String,
    pub kind: String,
    pub subject: String,
}

/// The journal rows about a case and its complaints, oldest first (the last `limit`).
pub fn history(db: &dyn Sql, number: &str, limit: usize) -> Result<Vec<HistoryRow>> {
    let mut rows = db.rows(
        "SELECT seq, at, actor, kind, subject FROM (
            SELECT seq, at, actor, kind, subject FROM journal WHERE subject = ?1
            UNION ALL
            SELECT j.seq, j.at, j.actor, j.kind, j.subject FROM journal j
              JOIN complaints k ON k.number = j.subject
              JOIN cases c ON c.id = k.case_id AND c.number = ?1
         ) AS about ORDER BY seq DESC LIMIT ?2",
        crate::args![number, limit],
        |r| {
            Ok(HistoryRow {
                seq: r.get(0)?,
                at: r.get(1)?,
                actor: r.get(2)?,
                kind: r.get(3)?,
                subject: r.get(4)?,
            })
        },
    )?;
    rows.reverse();
    Ok(rows)
}

// ---------------------------------------------------------------- hearings

#[derive(Debug, Clone, PartialEq)]
pub struct HearingRow {
    pub case_id: i64,
    pub case: String,
    pub applicant: String,
    pub at: DateTime<Utc>,
    pub place: Option<String>,
    pub notice_on: Option<NaiveDate>,
    pub held_on: Option<NaiveDate>,
    pub outcome: Option<String>,
    pub stage: Stage,
    /// §12: the last day the notice could be sent (3 WD before the decision deadline).
    pub notice_due: Option<NaiveDate>,
    /// §12: hold the hearing within 2 WD of the notice — its reading while it runs.
    pub hold: Option<ClockReading>,
    pub hold_due: Option<NaiveDate>,
}

/// Hearings from `from` on (ascending, at most `limit`) and before it
/// (descending, at most `limit`): upcoming first, then past.
pub fn hearings(
    db: &dyn Sql,
    law: &Law,
    today: NaiveDate,
    from: DateTime<Utc>,
    limit: usize,
) -> Result<(Vec<HearingRow>, Vec<HearingRow>)> {
    let sql = |cmp: &str, dir: &str| {
        format!(
            "SELECT c.id, c.number, coalesce(c.applicant_name, m.name), c.hearing_at, c.hearing_place, c.hearing_notice_on,
                c.hearing_held_on, c.hearing_outcome, c.stage, c.kind, c.registered_on,
                c.changed_on, c.reopened_on
             FROM cases c JOIN miners m ON m.id = c.miner_id
             WHERE c.hearing_at IS NOT NULL AND c.hearing_at {cmp} ?1
             ORDER BY c.hearing_at {dir} LIMIT ?2"
        )
    };
    let from = from.to_rfc3339();
    let run = |sql: String| -> Result<Vec<HearingRow>> {
        let mut out = Vec::new();
        db.for_each(&sql, crate::args![from, limit], &mut |r| {
            let stage = stage_of(&r.get::<String>(8)?)?;
            let facts = CaseFacts {
                kind: kind_of(&r.get::<String>(9)?)?,
                stage,
                registered_on: r.get(10)?,
                hearing_notice_on: r.get(5)?,
                changed_on: r.get(11)?,
                reopened_on: r.get(12)?,
            };
            let mut notice_due = None;
            let mut hold = None;
            let mut hold_due = None;
            for rule in law.rules.case_rules(&facts)? {
                if !matches!(rule.id, ClockId::HearingNotice | ClockId::HoldHearing) {
                    continue;
                }
                // A due date in a year whose calendar is not yet published is
                // not known (the running clock reads `unknown`).
                let due = match law.rules.case_span(&law.calendar, rule, &facts) {
                    Ok(span) => span.map(|s| s.due),
                    Err(e) if e.unpublished_year().is_some() => None,
                    Err(e) => return Err(e.into()),
                };
                match rule.id {
                    ClockId::HearingNotice => notice_due = due,
                    _ => {
                        hold_due = due;
                        if rule.runs_in.iter().any(|s| s == stage.as_str()) {
                            hold = law.rules.case_reading(&law.calendar, rule, &facts, today)?;
                        }
                    }
                }
            }
            out.push(HearingRow {
                case_id: r.get(0)?,
                case: r.get(1)?,
                applicant: r.get(2)?,
                at: rfc3339(r.get(3)?)?.expect("not null"),
                place: r.get(4)?,
                notice_on: facts.hearing_notice_on,
                held_on: r.get(6)?,
                outcome: r.get(7)?,
                stage,
                notice_due,
                hold,
                hold_due,
            });
            Ok(())
        })?;
        Ok(out)
    };
    let upcoming = run(sql(">=", "ASC"))?;
    let past = run(sql("<", "DESC"))?;
    Ok((upcoming, past))
}

// ---------------------------------------------------------------- complaints

#[derive(Debug, Clone, PartialEq)]
pub struct ComplaintRow {
    pub number: String,
    pub case_id: i64,
    pub case: String,
    pub to: ComplaintBody,
    pub status: ComplaintStatus,
    pub registered_on: NaiveDate,
    pub forwarded_on: Option<NaiveDate>,
    pub decided_on: Option<NaiveDate>,
    pub outcome: Option<String>,
    pub text: String,
    /// The running §18/§19/§20 clock, if any.
    pub clock: Option<ClockReading>,
}

/// Open complaints (oldest first), then decided ones (newest first), each at most `limit`.
pub fn complaints(
    db: &dyn Sql,
    law: &Law,
    today: NaiveDate,
    limit: usize,
) -> Result<Vec<ComplaintRow>> {
    let mut out = Vec::new();
    for (cond, order) in [
        ("k.status <> 'decided'", "k.registered_on, k.id"),
        ("k.status = 'decided'", "k.decided_on DESC, k.id DESC"),
    ] {
        let sql = format!(
            "SELECT k.number, c.id, c.number, k.addressed_to, k.status, k.registered_on,
                k.forwarded_on, k.decided_on, k.outcome, k.text
             FROM complaints k JOIN cases c ON c.id = k.case_id
             WHERE {cond} ORDER BY {order} LIMIT ?1"
        );
        db.for_each(&sql, crate::args![limit], &mut |r| {
            let to: String = r.get(3)?;
            let status: String = r.get(4)?;
            let facts = ComplaintFacts {
                addressed_to: ComplaintBody::parse(&to)
                    .ok_or_else(|| corrupt("complaint body", &to))?,
                status: ComplaintStatus::parse(&status)
                    .ok_or_else(|| corrupt("complaint status", &status))?,
                registered_on: r.get(5)?,
                forwarded_on: r.get(6)?,
            };
            let mut readings = Vec::new();
            law.rules
                .complaint_clocks(&law.calendar, &facts, today, &mut readings)?;
            out.push(ComplaintRow {
                number: r.get(0)?,
                case_id: r.get(1)?,
                case: r.get(2)?,
                to: facts.addressed_to,
                status: facts.status,
                registered_on: facts.registered_on,
                forwarded_on: facts.forwarded_on,
                decided_on: r.get(7)?,
                outcome: r.get(8)?,
                text: r.get(9)?,
                clock: readings
                    .into_iter()
                    .min_by_key(|r| r.due.unwrap_or(NaiveDate::MAX)),
            });
            Ok(())
        })?;
    }
    Ok(out)
}

/// A number that changes when another session commits: on SQLite `PRAGMA
/// data_version`; on PostgreSQL, [`postgres_commit_seen`].
pub fn data_version(db: &dyn Sql) -> Result<i64> {
    match db.engine() {
        Engine::Sqlite => db.one("PRAGMA data_version", &[], |r| r.get(0)),
        Engine::Postgres => postgres_commit_seen(db),
    }
}

/// The seam where PostgreSQL learns of another session's commit. Every
/// commit that changes a pane journals at least one row, so until the
/// console listens (`LISTEN`/`NOTIFY` on the journal) it polls the journal's
/// head: a new row is a new number, as `data_version` gives on SQLite.
pub fn postgres_commit_seen(db: &dyn Sql) -> Result<i64> {
    db.one("SELECT coalesce(max(seq), 0) FROM journal", &[], |r| {
        r.get(0)
    })
}
