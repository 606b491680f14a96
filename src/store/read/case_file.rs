//! The read side of case work: a whole case as a clerk (or a court, §21)
//! reads it, and the lists behind `case list`, `hearing list` and
//! `complaint list`. Every clock is derived on the call, never stored.

use chrono::{DateTime, FixedOffset, NaiveDate, Utc};
use chrono_tz::Tz;
use serde::Serialize;

use super::queries;
use super::queries::{Conflict, conflicts};
use crate::rules::{ClockState, Law, Stage};
use crate::store::sql::{Sql, ToArg};
use crate::store::{Error, Result};

#[derive(Debug, Serialize)]
pub struct Applicant {
    pub name: String,
    pub bin_iin: String,
    pub legal_address: Option<String>,
    pub phone: String,
    pub email: String,
}

#[derive(Debug, Serialize)]
pub struct UnitLine {
    pub serial: String,
    pub status: String,
    pub entry_no: Option<i64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub brand: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub model: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub hashrate_ths: Option<f64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub power_kw: Option<f64>,
    /// For exclusion and change applications: the wording asked for.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub wording: Option<serde_json::Value>,
}

#[derive(Debug, Serialize)]
pub struct DocumentLine {
    pub kind: String,
    pub name: String,
    pub valid_until: Option<NaiveDate>,
    /// For a document attached after registration (`case attach`, issue
    /// 21): its own number, the SHA-256 and size of the file the register
    /// keeps, and the journal row that attached it.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub number: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub sha256: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub size: Option<i64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub attached_seq: Option<i64>,
}

/// A signed notice of the case and how it reached the applicant (issue 21).
#[derive(Debug, Serialize)]
pub struct NoticeLine {
    pub number: String,
    pub kind: String,
    pub issued_on: NaiveDate,
    pub signer: String,
    pub deliveries: Vec<super::notices::DeliveryLine>,
}

/// A running clock of the case. `due` and `working_days_left` are `null`
/// where they need a calendar not yet published (`calendar_unpublished`
/// names the year; the state is then `unknown`, or `overdue` by a count not
/// yet known).
#[derive(Debug, Serialize)]
pub struct ClockLine {
    pub clock: String,
    pub rule: String,
    pub title: String,
    pub started: NaiveDate,
    pub due: Option<NaiveDate>,
    pub working_days_left: Option<i32>,
    pub state: ClockState,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub calendar_unpublished: Option<i32>,
}

#[derive(Debug, Serialize)]
pub struct Hearing {
    /// In the office's zone (RFC 3339 with its offset, `+05:00`).
    pub at: DateTime<FixedOffset>,
    pub place: String,
    pub notified_on: NaiveDate,
    pub held_on: Option<NaiveDate>,
    pub outcome: Option<String>,
    pub position: Option<String>,
}

#[derive(Debug, Serialize)]
pub struct DecisionLine {
    pub number: String,
    pub outcome: String,
    pub issued_on: NaiveDate,
    pub grounds: serde_json::Value,
    pub reason: Option<String>,
}

#[derive(Debug, Serialize)]
pub struct ComplaintLine {
    pub complaint: String,
    pub case: String,
    pub addressed_to: String,
    pub status: String,
    pub received_at: String,
    pub registered_on: NaiveDate,
    pub forwarded_on: Option<NaiveDate>,
    pub decided_on: Option<NaiveDate>,
    pub outcome: Option<String>,
    pub reason: Option<String>,
    pub text: String,
    pub version: i64,
}

#[derive(Debug, Serialize)]
pub struct HistoryLine {
    pub seq: i64,
    /// The journal's instant in the office's zone (`journal.jsonl` of a case
    /// export keeps the row as hashed).
    pub at: String,
    pub actor: String,
    pub kind: String,
    pub subject: Option<String>,
    pub hash: String,
}

/// A case with everything the register knows of it (`case show --json`).
#[derive(Debug, Serialize)]
pub struct CaseFile {
    pub case: String,
    pub kind: String,
    pub channel: String,
    pub stage: String,
    pub version: i64,
    /// In the office's zone (RFC 3339 with its offset, `+05:00`).
    pub received_at: String,
    pub registered: NaiveDate,
    pub reopened_on: Option<NaiveDate>,
    pub applicant: Applicant,
    pub data_center: Option<String>,
    pub tn_ved_code: Option<String>,
    pub missing: Vec<String>,
    pub change: Option<serde_json::Value>,
    pub documents: Vec<DocumentLine>,
    pub units: Vec<UnitLine>,
    pub clocks: Vec<ClockLine>,
    /// The last day for the §12 hearing notice, while it can still be sent.
    pub hearing_notice_due: Option<NaiveDate>,
    pub hearing: Option<Hearing>,
    /// The reasoning of the preliminary decision or the last refusal.
    pub reason: Option<String>,
    pub grounds: serde_json::Value,
    pub decisions: Vec<DecisionLine>,
    /// The signed notices with their deliveries (issue 21).
    pub notices: Vec<NoticeLine>,
    pub complaints: Vec<ComplaintLine>,
    pub conflicts: Vec<Conflict>,
    /// Every clock an act ended, with its last day and the act's date, late
    /// ones with the working days and the reason (issue 20).
    pub terms: Vec<super::terms::Term>,
    pub history: Vec<HistoryLine>,
}

/// A stored instant (RFC 3339) in the office's zone, RFC 3339 with the zone's
/// offset (`2024-03-20T19:05:00+05:00`); text that is no instant is kept.
pub fn in_zone(at: &str, zone: Tz) -> String {
    DateTime::parse_from_rfc3339(at)
        .map(|t| {
            t.with_timezone(&zone)
                .to_rfc3339_opts(chrono::SecondsFormat::AutoSi, false)
        })
        .unwrap_or_else(|_| at.to_string())
}

fn json_or_null(s: Option<String>) -> serde_json::Value {
    s.and_then(|s| serde_json::from_str(&s).ok())
        .unwrap_or(serde_json::Value::Null)
}

/// Loads a whole case as of `today`. Its clocks never make it fail for want
/// of a calendar year: those that need one not yet published read `unknown`.
pub fn load(db: &dyn Sql, law: &Law, number: &str, today: NaiveDate) -> Result<CaseFile> {
    let zone = law.rules.office.zone;
    let row = db.row(
            "SELECT c.id, c.kind, c.channel, c.stage, c.version, c.received_at, c.registered_on,
                c.reopened_on, coalesce(c.applicant_name, m.name), m.bin_iin,
                CASE WHEN c.applicant_name IS NULL THEN m.legal_address ELSE c.applicant_address END,
                coalesce(c.applicant_phone, m.phone), coalesce(c.applicant_email, m.email), d.location,
                c.tn_ved_code, c.missing, c.changed_on, c.change_reason, c.hearing_at,
                c.hearing_place, c.hearing_notice_on, c.hearing_held_on, c.hearing_outcome,
                c.hearing_position, c.reason, c.grounds
             FROM cases c JOIN miners m ON m.id = c.miner_id
             LEFT JOIN data_centers d ON d.id = c.data_center_id
             WHERE c.number = ?1",
        crate::args![number],
        |r| {
            let changed_on: Option<NaiveDate> = r.get(16)?;
            let change_reason: Option<String> = r.get(17)?;
            let hearing_at: Option<String> = r.get(18)?;
            Ok((
                r.get::<i64>(0)?,
                CaseFile {
                    case: number.to_string(),
                    kind: r.get(1)?,
                    channel: r.get(2)?,
                    stage: r.get(3)?,
                    version: r.get(4)?,
                    received_at: in_zone(&r.get::<String>(5)?, zone),
                    registered: r.get(6)?,
                    reopened_on: r.get(7)?,
                    applicant: Applicant {
                        name: r.get(8)?,
                        bin_iin: r.get(9)?,
                        legal_address: r.get(10)?,
                        phone: r.get(11)?,
                        email: r.get(12)?,
                    },
                    data_center: r.get(13)?,
                    tn_ved_code: r.get(14)?,
                    missing: serde_json::from_str(&r.get::<String>(15)?).unwrap_or_default(),
                    change: changed_on
                        .map(|on| serde_json::json!({"changed_on": on, "reason": change_reason})),
                    documents: Vec::new(),
                    units: Vec::new(),
                    clocks: Vec::new(),
                    hearing_notice_due: None,
                    hearing: match (hearing_at, r.get::<Option<NaiveDate>>(20)?) {
                        (Some(at), Some(notified_on)) => Some(Hearing {
                            at: DateTime::parse_from_rfc3339(&at)
                                .map(|t| t.with_timezone(&zone).fixed_offset())
                                .unwrap_or_else(|_| DateTime::<Utc>::default().fixed_offset()),
                            place: r.get::<Option<String>>(19)?.unwrap_or_default(),
                            notified_on,
                            held_on: r.get(21)?,
                            outcome: r.get(22)?,
                            position: r.get(23)?,
                        }),
                        _ => None,
                    },
                    reason: r.get(24)?,
                    grounds: json_or_null(r.get(25)?),
                    decisions: Vec::new(),
                    notices: Vec::new(),
                    complaints: Vec::new(),
                    conflicts: Vec::new(),
                    terms: Vec::new(),
                    history: Vec::new(),
                },
            ))
        },
    )?;
    let (id, mut file) = row
        .ok_or_else(|| Error::NotFound(crate::store::reason::Missing::Case(number.to_string())))?;

    file.documents = db.rows(
        "SELECT kind, name, valid_until, number, sha256, size, attached_seq FROM documents
         WHERE case_id = ?1 ORDER BY idx",
        crate::args![id],
        |r| {
            Ok(DocumentLine {
                kind: r.get(0)?,
                name: r.get(1)?,
                valid_until: r.get(2)?,
                number: r.get(3)?,
                sha256: r.get(4)?,
                size: r.get(5)?,
                attached_seq: r.get(6)?,
            })
        },
    )?;
    file.notices = super::notices::list(db, Some(number))?
        .into_iter()
        .map(|n| NoticeLine {
            number: n.number,
            kind: n.kind,
            issued_on: n.issued_on,
            signer: n.signer,
            deliveries: n.deliveries,
        })
        .collect();

    if file.kind == "inclusion" {
        file.units = db.rows(
            "SELECT serial, status, entry_no, brand, model, hashrate_ths, power_kw
             FROM units WHERE case_id = ?1 ORDER BY idx",
            crate::args![id],
            |r| {
                Ok(UnitLine {
                    serial: r.get(0)?,
                    status: r.get(1)?,
                    entry_no: r.get(2)?,
                    brand: r.get(3)?,
                    model: r.get(4)?,
                    hashrate_ths: r.get(5)?,
                    power_kw: r.get(6)?,
                    wording: None,
                })
            },
        )?;
    } else {
        // The entry each named serial points at, if it is (or was) in the register.
        file.units = db.rows(
            "SELECT i.serial, i.wording,
                (SELECT u.status FROM units u WHERE u.serial = i.serial AND u.entry_no IS NOT NULL
                 ORDER BY u.status = 'included' DESC, u.entry_no DESC LIMIT 1),
                (SELECT u.entry_no FROM units u WHERE u.serial = i.serial AND u.entry_no IS NOT NULL
                 ORDER BY u.status = 'included' DESC, u.entry_no DESC LIMIT 1)
             FROM case_items i WHERE i.case_id = ?1 ORDER BY i.idx",
            crate::args![id],
            |r| {
                Ok(UnitLine {
                    serial: r.get(0)?,
                    status: r
                        .get::<Option<String>>(2)?
                        .unwrap_or_else(|| "not_in_register".into()),
                    entry_no: r.get(3)?,
                    brand: None,
                    model: None,
                    hashrate_ths: None,
                    power_kw: None,
                    wording: Some(json_or_null(r.get(1)?)),
                })
            },
        )?;
    }

    let facts = queries::case_clock_facts(db, number)?;
    for rule in law.rules.case_rules(&facts.facts)? {
        if !rule.runs_in.iter().any(|s| s == facts.facts.stage.as_str()) {
            continue;
        }
        if let Some(r) = law
            .rules
            .case_reading(&law.calendar, rule, &facts.facts, today)?
        {
            file.clocks.push(ClockLine {
                clock: rule.id.as_str().to_string(),
                rule: rule.rule.clone(),
                title: rule.title.clone(),
                started: r.started,
                due: r.due,
                working_days_left: r.working_days_left,
                state: r.state,
                calendar_unpublished: r.calendar_unpublished,
            });
        }
    }
    if facts.facts.stage == Stage::UnderReview {
        // Not known while its day falls in a year not yet published.
        file.hearing_notice_due = match crate::rules::hearing_notice_due(law, &facts.facts) {
            Ok(d) => d,
            Err(e) if e.unpublished_year().is_some() => None,
            Err(e) => return Err(e.into()),
        };
    }

    file.decisions = db.rows(
        "SELECT number, outcome, issued_on, grounds, reason FROM decisions
         WHERE case_id = ?1 ORDER BY issued_on, number",
        crate::args![id],
        |r| {
            Ok(DecisionLine {
                number: r.get(0)?,
                outcome: r.get(1)?,
                issued_on: r.get(2)?,
                grounds: json_or_null(r.get(3)?),
                reason: r.get(4)?,
            })
        },
    )?;
    file.complaints = complaints_where(db, zone, "k.case_id = ?1", crate::args![id])?;
    file.conflicts = conflicts(db, id)?;

    let mut subjects = vec![number.to_string()];
    subjects.extend(file.complaints.iter().map(|c| c.complaint.clone()));
    let marks = vec!["?"; subjects.len()].join(",");
    let args: Vec<&dyn ToArg> = subjects.iter().map(|s| s as &dyn ToArg).collect();
    file.terms = super::terms::of_case(db, number)?;
    file.history = db.rows(
        &format!(
            "SELECT seq, at, actor, kind, subject, hash FROM journal
         WHERE subject IN ({marks}) ORDER BY seq"
        ),
        &args,
        |r| {
            Ok(HistoryLine {
                seq: r.get(0)?,
                at: in_zone(&r.get::<String>(1)?, zone),
                actor: r.get(2)?,
                kind: r.get(3)?,
                subject: r.get(4)?,
                hash: r.get(5)?,
            })
        },
    )?;
    Ok(file)
}

fn complaints_where(
    db: &dyn Sql,
    zone: Tz,
    filter: &str,
    args: &[&dyn ToArg],
) -> Result<Vec<ComplaintLine>> {
    db.rows(
        &format!(
            "SELECT k.number, c.number, k.addressed_to, k.status, k.received_at, k.registered_on,
            k.forwarded_on, k.decided_on, k.outcome, k.reason, k.text, k.version
         FROM complaints k JOIN cases c ON c.id = k.case_id
         WHERE {filter} ORDER BY k.registered_on, k.number"
        ),
        args,
        |r| {
            Ok(ComplaintLine {
                complaint: r.get(0)?,
                case: r.get(1)?,
                addressed_to: r.get(2)?,
                status: r.get(3)?,
                received_at: in_zone(&r.get::<String>(4)?, zone),
                registered_on: r.get(5)?,
                forwarded_on: r.get(6)?,
                decided_on: r.get(7)?,
                outcome: r.get(8)?,
                reason: r.get(9)?,
                text: r.get(10)?,
                version: r.get(11)?,
            })
        },
    )
}

/// Every complaint, oldest first; instants in the office's `zone`.
pub fn complaints(db: &dyn Sql, zone: Tz) -> Result<Vec<ComplaintLine>> {
    complaints_where(db, zone, "TRUE", &[])
}

/// One line of `case list`.
#[derive(Debug, Serialize)]
pub struct CaseLine {
    pub case: String,
    pub kind: String,
    pub stage: String,
    pub applicant: String,
    pub bin_iin: String,
    pub registered: NaiveDate,
    pub version: i64,
}

/// Cases at any of `stages` (all if empty) and of `kind` (any if `None`),
/// in registration order, each passed to `f`.
pub fn for_each_case(
    db: &dyn Sql,
    stages: &[Stage],
    kind: Option<crate::rules::CaseKind>,
    mut f: impl FnMut(CaseLine) -> Result<()>,
) -> Result<()> {
    let mut filter = vec!["TRUE".to_string()];
    if !stages.is_empty() {
        filter.push(format!(
            "c.stage IN ({})",
            stages
                .iter()
                .map(|s| format!("'{}'", s.as_str()))
                .collect::<Vec<_>>()
                .join(",")
        ));
    }
    if let Some(k) = kind {
        filter.push(format!("c.kind = '{}'", k.as_str()));
    }
    db.for_each(
        &format!(
            "SELECT c.number, c.kind, c.stage, coalesce(c.applicant_name, m.name), m.bin_iin, c.registered_on, c.version
         FROM cases c JOIN miners m ON m.id = c.miner_id WHERE {} ORDER BY c.id",
            filter.join(" AND ")
        ),
        &[],
        &mut |r| {
            f(CaseLine {
            case: r.get(0)?,
            kind: r.get(1)?,
            stage: r.get(2)?,
            applicant: r.get(3)?,
            bin_iin: r.get(4)?,
            registered: r.get(5)?,
            version: r.get(6)?,
            })
        },
    )?;
    Ok(())
}

/// One hearing, for `hearing list`.
#[derive(Debug, Serialize)]
pub struct HearingLine {
    pub case: String,
    pub applicant: String,
    pub at: String,
    pub place: String,
    pub notified_on: NaiveDate,
    pub held_on: Option<NaiveDate>,
    pub outcome: Option<String>,
    pub stage: String,
}

/// Every hearing the register knows (the current one of each case), by time;
/// instants in the office's `zone`.
pub fn hearings(db: &dyn Sql, zone: Tz) -> Result<Vec<HearingLine>> {
    db.rows(
        "SELECT c.number, coalesce(c.applicant_name, m.name), c.hearing_at, c.hearing_place, c.hearing_notice_on,
            c.hearing_held_on, c.hearing_outcome, c.stage
         FROM cases c JOIN miners m ON m.id = c.miner_id
         WHERE c.hearing_at IS NOT NULL ORDER BY c.hearing_at, c.number",
        &[],
        |r| {
            Ok(HearingLine {
            case: r.get(0)?,
            applicant: r.get(1)?,
            at: in_zone(&r.get::<String>(2)?, zone),
            place: r.get(3)?,
            notified_on: r.get(4)?,
            held_on: r.get(5)?,
            outcome: r.get(6)?,
            stage: r.get(7)?,
            })
        },
    )
}

/// The case's application as registered, from the journal (§21 case file).
pub fn application_json(db: &dyn Sql, number: &str) -> Result<serde_json::Value> {
    let payload: String = db
        .row(
            "SELECT payload FROM journal WHERE subject = ?1 AND kind = 'case_registered'
             ORDER BY seq LIMIT 1",
            crate::args![number],
            |r| r.get(0),
        )?
        .ok_or_else(|| Error::NotFound(crate::store::reason::Missing::Case(number.to_string())))?;
    let v: serde_json::Value = serde_json::from_str(&payload)?;
    Ok(v.get("application")
        .cloned()
        .unwrap_or(serde_json::Value::Null))
}

/// The journal rows of a case and its complaints, whole, with their hashes.
pub fn journal_excerpt(db: &dyn Sql, subjects: &[String]) -> Result<Vec<serde_json::Value>> {
    if subjects.is_empty() {
        return Ok(Vec::new());
    }
    let marks = vec!["?"; subjects.len()].join(",");
    let args: Vec<&dyn ToArg> = subjects.iter().map(|s| s as &dyn ToArg).collect();
    db.rows(
        &format!(
            "SELECT seq, at, actor, kind, subject, payload, prev_hash, hash FROM journal
         WHERE subject IN ({marks}) ORDER BY seq"
        ),
        &args,
        |r| {
            Ok(serde_json::json!({
            "seq": r.get::<i64>(0)?,
            "at": r.get::<String>(1)?,
            "actor": r.get::<String>(2)?,
            "kind": r.get::<String>(3)?,
            "subject": r.get::<Option<String>>(4)?,
            "payload": r.get::<String>(5)?,
            "prev_hash": r.get::<String>(6)?,
            "hash": r.get::<String>(7)?,
            }))
        },
    )
}

/// The file an attached document's row names (`attachments`, by SHA-256).
pub fn attachment(db: &dyn Sql, sha256: &str) -> Result<Vec<u8>> {
    db.row(
        "SELECT bytes FROM attachments WHERE sha256 = ?1",
        crate::args![sha256],
        |r| r.get(0),
    )?
    .ok_or_else(|| Error::Corrupt(format!("attached file {sha256} is not in the register")))
}

/// A refusal to accept at the desk (§9, issue 21): no case was registered.
#[derive(Debug, Clone, Serialize)]
pub struct DeskRefusal {
    pub receipt: String,
    pub kind: String,
    /// RFC 3339, as filed.
    pub received_at: String,
    pub refused_on: NaiveDate,
    pub bin_iin: String,
    pub name: String,
    pub missing: Vec<String>,
    /// The applicant's language: the receipt's.
    pub lang: String,
    pub actor: String,
}

/// One refusal at the desk by its receipt number.
pub fn desk_refusal(db: &dyn Sql, receipt: &str) -> Result<DeskRefusal> {
    db.row(
        "SELECT receipt, kind, received_at, refused_on, bin_iin, name, missing, lang, actor
         FROM desk_refusals WHERE receipt = ?1",
        crate::args![receipt],
        |r| {
            Ok(DeskRefusal {
                receipt: r.get(0)?,
                kind: r.get(1)?,
                received_at: r.get(2)?,
                refused_on: r.get(3)?,
                bin_iin: r.get(4)?,
                name: r.get(5)?,
                missing: serde_json::from_str(&r.get::<String>(6)?).unwrap_or_default(),
                lang: r.get(7)?,
                actor: r.get(8)?,
            })
        },
    )?
    .ok_or_else(|| Error::NotFound(crate::store::reason::Missing::Receipt(receipt.to_string())))
}
