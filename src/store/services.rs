//! The services every face (CLI, console) calls. Each checks the actor's role
//! in the store, validates against the Rules, then appends one journal event.
//! They run inside the caller's transaction (`Store::write`).

use chrono::{DateTime, Datelike, NaiveDate, Utc};
use rusqlite::{OptionalExtension, Transaction};

use super::events::{EntryChange, Event};
use super::journal::append;
use super::model::Application;
use super::{Error, Result};
use crate::rules::{CaseKind, ComplaintBody, ComplaintStatus, Law, Outcome, Role, Stage};

/// Who may do what. Roles live in the database, keyed by the OS login.
pub mod may {
    use crate::rules::Role::{self, *};
    pub const ADD_USERS: &[Role] = &[Admin];
    pub const REGISTER: &[Role] = &[Operator, Clerk, Admin];
    pub const DECIDE: &[Role] = &[Clerk, Supervisor, Admin];
    pub const LODGE_COMPLAINT: &[Role] = &[Operator, Clerk, Supervisor, Admin];
    pub const HANDLE_COMPLAINT: &[Role] = &[Supervisor, Admin];
    pub const AMEND_CALENDAR: &[Role] = &[Admin];
}

pub fn role_of(tx: &rusqlite::Connection, login: &str) -> Result<Option<Role>> {
    let role: Option<String> = tx
        .prepare_cached("SELECT role FROM users WHERE login = ?1")?
        .query_row([login], |r| r.get(0))
        .optional()?;
    Ok(role.and_then(|r| Role::parse(&r)))
}

/// Refuses unless `login` holds one of `allowed`.
pub fn require_role(
    tx: &rusqlite::Connection,
    login: &str,
    allowed: &[Role],
    action: &'static str,
) -> Result<Role> {
    let have = role_of(tx, login)?;
    match have {
        Some(r) if allowed.contains(&r) => Ok(r),
        _ => Err(Error::Forbidden {
            login: login.to_string(),
            action,
            needed: allowed
                .iter()
                .map(|r| r.as_str())
                .collect::<Vec<_>>()
                .join(" or "),
            have: have.map_or("none — not a user of this register".into(), |r| {
                r.to_string()
            }),
        }),
    }
}

/// The first event of a new register: its creator becomes `admin`.
pub fn create_register(tx: &Transaction, admin: &str, now: DateTime<Utc>) -> Result<()> {
    append(
        tx,
        now,
        admin,
        &Event::RegisterCreated {
            admin: admin.to_string(),
        },
    )?;
    Ok(())
}

pub fn add_user(
    tx: &Transaction,
    actor: &str,
    now: DateTime<Utc>,
    login: &str,
    role: Role,
) -> Result<()> {
    require_role(tx, actor, may::ADD_USERS, "add users")?;
    let valid = !login.is_empty()
        && login.len() <= 64
        && login
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, '_' | '-' | '.'));
    if !valid {
        return Err(Error::invalid(
            "login",
            "must be an operating-system login: 1–64 of a–z, 0–9, '_', '-', '.'",
        ));
    }
    let previous_role = role_of(tx, login)?;
    if previous_role == Some(role) {
        return Ok(());
    }
    append(
        tx,
        now,
        actor,
        &Event::UserAdded {
            login: login.to_string(),
            role,
            previous_role,
        },
    )?;
    Ok(())
}

fn next_number(tx: &Transaction, prefix: &str, year: i32) -> Result<String> {
    let counter = format!("{prefix}-{year}");
    let n: i64 = tx
        .prepare_cached("SELECT value FROM counters WHERE name = ?1")?
        .query_row([&counter], |r| r.get(0))
        .optional()?
        .unwrap_or(0);
    Ok(format!("{counter}-{:06}", n + 1))
}

/// Registers a validated application; returns the case number. The
/// registration day follows §8 (after hours → next working day).
pub fn register_application(
    tx: &Transaction,
    law: &Law,
    actor: &str,
    now: DateTime<Utc>,
    application: Application,
) -> Result<String> {
    require_role(tx, actor, may::REGISTER, "register applications")?;
    if application.received_at > now {
        return Err(Error::invalid("received_at", "is in the future"));
    }
    let registered_on = law
        .calendar
        .registration_day(application.received_at)
        .map_err(|e| Error::invalid("received_at", e.to_string()))?;
    law.rules
        .edition_on(registered_on)
        .map_err(|e| Error::invalid("received_at", e.to_string()))?;
    let received_on = law.calendar.local_date(application.received_at);
    let missing = application.missing_documents(received_on);
    let number = next_number(tx, "ABK", registered_on.year())?;
    append(
        tx,
        now,
        actor,
        &Event::CaseRegistered {
            number: number.clone(),
            registered_on,
            missing,
            application,
        },
    )?;
    Ok(number)
}

/// A case's kind, stage and version, checked against what the caller saw.
fn case_state(
    tx: &Transaction,
    number: &str,
    expected_version: Option<i64>,
) -> Result<(i64, CaseKind, Stage)> {
    let row: Option<(i64, String, String, i64)> = tx
        .prepare_cached("SELECT id, kind, stage, version FROM cases WHERE number = ?1")?
        .query_row([number], |r| {
            Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?))
        })
        .optional()?;
    let (id, kind, stage, version) =
        row.ok_or_else(|| Error::NotFound(format!("case {number}")))?;
    if let Some(expected) = expected_version
        && expected != version
    {
        return Err(Error::Conflict(number.to_string(), version, expected));
    }
    let kind =
        CaseKind::parse(&kind).ok_or_else(|| Error::Corrupt(format!("{number}: kind {kind}")))?;
    let stage =
        Stage::parse(&stage).ok_or_else(|| Error::Corrupt(format!("{number}: stage {stage}")))?;
    Ok((id, kind, stage))
}

fn grounds_given(grounds: &[String]) -> Result<()> {
    if grounds.is_empty() || grounds.iter().any(|g| g.trim().is_empty()) {
        return Err(Error::invalid(
            "grounds",
            "a refusal must state its grounds (Appendix 5)",
        ));
    }
    Ok(())
}

/// §11–§12: preliminary decision to refuse, and the hearing notice.
#[allow(clippy::too_many_arguments)]
pub fn notify_hearing(
    tx: &Transaction,
    law: &Law,
    actor: &str,
    now: DateTime<Utc>,
    case: &str,
    expected_version: Option<i64>,
    hearing_at: DateTime<Utc>,
    place: &str,
    grounds: Vec<String>,
) -> Result<()> {
    require_role(tx, actor, may::DECIDE, "send hearing notices")?;
    let (_, _, stage) = case_state(tx, case, expected_version)?;
    if stage != Stage::UnderReview {
        return Err(Error::invalid(
            "stage",
            format!("a hearing notice needs a case under review; {case} is {stage}"),
        ));
    }
    grounds_given(&grounds)?;
    if hearing_at < now {
        return Err(Error::invalid(
            "hearing_at",
            "the hearing must be after the notice",
        ));
    }
    let sent_on = law.calendar.local_date(now);
    append(
        tx,
        now,
        actor,
        &Event::HearingNotified {
            case: case.to_string(),
            sent_on,
            hearing_at,
            place: place.to_string(),
            grounds,
        },
    )?;
    Ok(())
}

/// §12: the hearing took place.
pub fn record_hearing(
    tx: &Transaction,
    law: &Law,
    actor: &str,
    now: DateTime<Utc>,
    case: &str,
    expected_version: Option<i64>,
) -> Result<()> {
    require_role(tx, actor, may::DECIDE, "record hearings")?;
    let (_, _, stage) = case_state(tx, case, expected_version)?;
    if stage != Stage::HearingNotified {
        return Err(Error::invalid(
            "stage",
            format!("no hearing is scheduled for {case} ({stage})"),
        ));
    }
    append(
        tx,
        now,
        actor,
        &Event::HearingHeld {
            case: case.to_string(),
            held_on: law.calendar.local_date(now),
        },
    )?;
    Ok(())
}

/// §9, §13, §14, §15: the decision that closes a case.
#[allow(clippy::too_many_arguments)]
pub fn issue_decision(
    tx: &Transaction,
    law: &Law,
    actor: &str,
    now: DateTime<Utc>,
    case: &str,
    expected_version: Option<i64>,
    outcome: Outcome,
    grounds: Vec<String>,
) -> Result<String> {
    require_role(tx, actor, may::DECIDE, "issue decisions")?;
    let (id, kind, stage) = case_state(tx, case, expected_version)?;
    outcome
        .allowed(kind, stage)
        .map_err(|m| Error::invalid("outcome", m))?;
    if matches!(outcome, Outcome::Refused | Outcome::RefusedIncomplete) {
        grounds_given(&grounds)?;
    }
    let issued_on = law.calendar.local_date(now);
    let prefix = match outcome {
        Outcome::Included => "INC",
        Outcome::Excluded => "EXC",
        Outcome::Amended => "AMD",
        Outcome::Refused | Outcome::RefusedIncomplete => "REF",
    };
    let number = next_number(tx, prefix, issued_on.year())?;
    let mut entries = Vec::new();
    let mut changes = Vec::new();
    match outcome {
        Outcome::Included => {
            let units: i64 = tx
                .prepare_cached("SELECT count(*) FROM units WHERE case_id = ?1")?
                .query_row([id], |r| r.get(0))?;
            let last: i64 = tx
                .prepare_cached(
                    "SELECT coalesce((SELECT value FROM counters WHERE name = 'entry'), 0)",
                )?
                .query_row([], |r| r.get(0))?;
            entries = (last + 1..=last + units).collect();
        }
        Outcome::Excluded | Outcome::Amended => {
            let items: Vec<(i64, String, String)> = tx
                .prepare_cached(
                    "SELECT idx, serial, wording FROM case_items WHERE case_id = ?1 ORDER BY idx",
                )?
                .query_map([id], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)))?
                .collect::<rusqlite::Result<_>>()?;
            for (idx, serial, wording) in items {
                let found: Option<(i64, serde_json::Value)> = tx
                    .prepare_cached(
                        "SELECT entry_no, json_object('brand', brand, 'model', model,
                            'hashrate_ths', hashrate_ths, 'power_kw', power_kw,
                            'declaration_no', declaration_no, 'condition', condition)
                         FROM units WHERE serial = ?1 AND status = 'included'
                         ORDER BY entry_no LIMIT 1",
                    )?
                    .query_row([&serial], |r| {
                        let v: String = r.get(1)?;
                        Ok((r.get(0)?, serde_json::from_str(&v).unwrap_or_default()))
                    })
                    .optional()?;
                let Some((entry_no, before)) = found else {
                    return Err(Error::invalid(
                        format!("units[{idx}].serial"),
                        format!("{serial} is not included in the register; refuse instead"),
                    ));
                };
                entries.push(entry_no);
                if outcome == Outcome::Amended {
                    let mut after: serde_json::Value = serde_json::from_str(&wording)?;
                    if let Some(o) = after.as_object_mut() {
                        o.remove("serial");
                    }
                    changes.push(EntryChange {
                        entry_no,
                        before,
                        after,
                    });
                }
            }
        }
        Outcome::Refused | Outcome::RefusedIncomplete => {}
    }
    append(
        tx,
        now,
        actor,
        &Event::DecisionIssued {
            case: case.to_string(),
            outcome,
            number: number.clone(),
            issued_on,
            grounds,
            entries,
            changes,
        },
    )?;
    Ok(number)
}

/// §17: a complaint against a decision, action or inaction on a case.
#[allow(clippy::too_many_arguments)]
pub fn lodge_complaint(
    tx: &Transaction,
    law: &Law,
    actor: &str,
    now: DateTime<Utc>,
    case: &str,
    addressed_to: ComplaintBody,
    received_at: DateTime<Utc>,
    text: &str,
) -> Result<String> {
    require_role(tx, actor, may::LODGE_COMPLAINT, "register complaints")?;
    case_state(tx, case, None)?;
    if received_at > now {
        return Err(Error::invalid("received_at", "is in the future"));
    }
    let registered_on = law
        .calendar
        .registration_day(received_at)
        .map_err(|e| Error::invalid("received_at", e.to_string()))?;
    let number = next_number(tx, "CMP", registered_on.year())?;
    append(
        tx,
        now,
        actor,
        &Event::ComplaintLodged {
            number: number.clone(),
            case: case.to_string(),
            addressed_to,
            received_at,
            registered_on,
            text: text.to_string(),
        },
    )?;
    Ok(number)
}

fn complaint_state(tx: &Transaction, number: &str) -> Result<(ComplaintBody, ComplaintStatus)> {
    let row: Option<(String, String)> = tx
        .prepare_cached("SELECT addressed_to, status FROM complaints WHERE number = ?1")?
        .query_row([number], |r| Ok((r.get(0)?, r.get(1)?)))
        .optional()?;
    let (to, status) = row.ok_or_else(|| Error::NotFound(format!("complaint {number}")))?;
    Ok((
        ComplaintBody::parse(&to).ok_or_else(|| Error::Corrupt(format!("{number}: {to}")))?,
        ComplaintStatus::parse(&status)
            .ok_or_else(|| Error::Corrupt(format!("{number}: {status}")))?,
    ))
}

/// §18: forward a complaint with the case to the complaint body.
pub fn forward_complaint(
    tx: &Transaction,
    law: &Law,
    actor: &str,
    now: DateTime<Utc>,
    number: &str,
) -> Result<()> {
    require_role(tx, actor, may::HANDLE_COMPLAINT, "forward complaints")?;
    let (to, status) = complaint_state(tx, number)?;
    if to != ComplaintBody::QualityBody || status != ComplaintStatus::Received {
        return Err(Error::invalid(
            "status",
            format!("{number} ({to}, {status}) is not waiting to be forwarded"),
        ));
    }
    append(
        tx,
        now,
        actor,
        &Event::ComplaintForwarded {
            number: number.to_string(),
            forwarded_on: law.calendar.local_date(now),
        },
    )?;
    Ok(())
}

/// §19–§20: the complaint's outcome.
pub fn decide_complaint(
    tx: &Transaction,
    law: &Law,
    actor: &str,
    now: DateTime<Utc>,
    number: &str,
    outcome: &str,
) -> Result<()> {
    require_role(tx, actor, may::HANDLE_COMPLAINT, "decide complaints")?;
    let (_, status) = complaint_state(tx, number)?;
    if status == ComplaintStatus::Decided {
        return Err(Error::invalid(
            "status",
            format!("{number} is already decided"),
        ));
    }
    if !matches!(outcome, "granted" | "partly_granted" | "rejected") {
        return Err(Error::invalid(
            "outcome",
            "must be granted, partly_granted or rejected",
        ));
    }
    append(
        tx,
        now,
        actor,
        &Event::ComplaintDecided {
            number: number.to_string(),
            decided_on: law.calendar.local_date(now),
            outcome: outcome.to_string(),
        },
    )?;
    Ok(())
}

/// A decree that makes a day working or a day off, added to this register's calendar.
pub fn amend_calendar(
    tx: &Transaction,
    law: &Law,
    actor: &str,
    now: DateTime<Utc>,
    date: NaiveDate,
    working: bool,
    act: &str,
) -> Result<()> {
    require_role(tx, actor, may::AMEND_CALENDAR, "amend the calendar")?;
    law.calendar
        .is_working(date)
        .map_err(|e| Error::invalid("date", e.to_string()))?;
    if act.trim().is_empty() {
        return Err(Error::invalid(
            "act",
            "name the decree that makes the change",
        ));
    }
    append(
        tx,
        now,
        actor,
        &Event::CalendarAmended {
            date,
            working,
            act: act.trim().to_string(),
        },
    )?;
    Ok(())
}
