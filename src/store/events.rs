//! The journal's events and how each one changes the read models. `apply` is
//! the only code that writes read-model tables, so replaying the journal into
//! an empty database rebuilds them exactly (`audit verify`).

use crate::args;
use crate::store::sql::Sql;
use chrono::{DateTime, NaiveDate, Utc};
use serde::{Deserialize, Serialize};

use super::model::Application;
use super::unit_rows::{Amendment, InTable, NewUnit, Units};
use super::{Error, Result};
use crate::rules::workflow::ComplaintOutcome;
use crate::rules::{ComplaintBody, ComplaintStatus, Outcome, Role, Stage, UnitStatus};

/// The payload version this build writes (the `v` field of every journal
/// payload; rows without one are v1).
pub const PAYLOAD_VERSION: u32 = 2;

crate::word_enum! {
    /// How a hearing went (§12).
    HearingOutcome {
        /// The applicant (or their representative) was heard.
        Held = "held",
        /// The applicant was notified and did not come.
        Absent = "absent",
    }
}

crate::word_enum! {
    /// How a notice reached the applicant (§13: the personal cabinet or the
    /// office; e-mail as the applicant's contact of Appendix 2).
    DeliveryVia {
        /// The portal's personal cabinet.
        Cabinet = "cabinet",
        /// The applicant's e-mail.
        Email = "email",
        /// In person at the office.
        Office = "office",
    }
}

#[allow(clippy::derivable_impls)] // word_enum! derives a fixed set
impl Default for HearingOutcome {
    fn default() -> Self {
        HearingOutcome::Held
    }
}

/// The grounds as the read models keep them: v2 numbers, else v1 texts.
fn grounds_json(nos: &[u8], texts: &[String]) -> Result<String> {
    Ok(if nos.is_empty() && !texts.is_empty() {
        serde_json::to_string(texts)?
    } else {
        serde_json::to_string(nos)?
    })
}

// An event is built once per write and never held in bulk: its size is no concern.
#[allow(clippy::large_enum_variant)]
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum Event {
    RegisterCreated {
        admin: String,
    },
    UserAdded {
        login: String,
        role: Role,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        previous_role: Option<Role>,
    },
    /// An admin records or changes a login's IIN (`user add --iin`, `user
    /// set --iin`): a certificate the login imports must be of this IIN.
    UserIinSet {
        login: String,
        iin: String,
    },
    CaseRegistered {
        number: String,
        registered_on: NaiveDate,
        missing: Vec<String>,
        application: Application,
        /// Made by `tizilim demo`, not received from anyone: the demo's own
        /// cases are how it knows a register is its own (absent, false, on
        /// every real registration and in every older row).
        #[serde(default, skip_serializing_if = "std::ops::Not::not")]
        synthetic: bool,
    },
    /// Preliminary decision to refuse and the hearing notice (§11, §12).
    /// v1 rows carry free-text `grounds`; v2 rows the Appendix 5 numbers
    /// (`ground_nos`), the clerk's `reason` and the legal date `sent_on`.
    HearingNotified {
        case: String,
        sent_on: NaiveDate,
        hearing_at: DateTime<Utc>,
        place: String,
        #[serde(default, skip_serializing_if = "Vec::is_empty")]
        grounds: Vec<String>,
        #[serde(default, skip_serializing_if = "Vec::is_empty")]
        ground_nos: Vec<u8>,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        reason: Option<String>,
    },
    /// The hearing took place (or the applicant did not come): v1 rows have
    /// neither `outcome` (read as held) nor `position`.
    HearingHeld {
        case: String,
        held_on: NaiveDate,
        #[serde(default)]
        outcome: HearingOutcome,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        position: Option<String>,
    },
    /// A notification (App. 7, 8), an amendment (§15) or a reasoned refusal
    /// (App. 6, §9). `entries` are the register entries it touches: for an
    /// inclusion, the new entry number of each unit in order.
    DecisionIssued {
        case: String,
        outcome: Outcome,
        number: String,
        issued_on: NaiveDate,
        #[serde(default, skip_serializing_if = "Vec::is_empty")]
        grounds: Vec<String>,
        #[serde(default, skip_serializing_if = "Vec::is_empty")]
        ground_nos: Vec<u8>,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        reason: Option<String>,
        #[serde(default)]
        entries: Vec<i64>,
        #[serde(default, skip_serializing_if = "Vec::is_empty")]
        changes: Vec<EntryChange>,
    },
    ComplaintLodged {
        number: String,
        case: String,
        addressed_to: ComplaintBody,
        received_at: DateTime<Utc>,
        registered_on: NaiveDate,
        text: String,
    },
    ComplaintForwarded {
        number: String,
        forwarded_on: NaiveDate,
    },
    ComplaintDecided {
        number: String,
        decided_on: NaiveDate,
        outcome: ComplaintOutcome,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        reason: Option<String>,
    },
    /// A login's certificate (or, in the earlier format, Ed25519 public key)
    /// enters the register (`key import`).
    KeyRegistered {
        login: String,
        algorithm: String,
        /// Base64.
        public_key: String,
        fingerprint: String,
        name: String,
        position: String,
        valid_from: NaiveDate,
        /// A certificate's .p12, the signer's own file (its path, never its
        /// content: the register holds no private key).
        #[serde(default, skip_serializing_if = "Option::is_none")]
        p12: Option<String>,
    },
    /// The key signs nothing from this day on; what it signed still verifies.
    KeyRevoked {
        fingerprint: String,
        revoked_on: NaiveDate,
    },
    /// The notification issued with a decision (Appendices 6–8): its
    /// canonical content and the signature over it (a detached CMS in
    /// base64; a raw Ed25519 signature in the earlier format). The journal
    /// row is the one place the notice's text is stored; the `notices` table
    /// indexes it (issue 18).
    NoticeIssued {
        number: String,
        case: String,
        notice: String,
        issued_on: NaiveDate,
        content: String,
        signer: String,
        fingerprint: String,
        /// Base64.
        signature: String,
    },
    /// An admin's signed checkpoint of the journal's head (`audit seal`).
    SealRecorded {
        head_seq: i64,
        head_hash: String,
        signer: String,
        fingerprint: String,
        signature: String,
    },
    /// A favourable complaint decision (§18–§20) sends a refused case back to
    /// review: its clocks count afresh from `reopened_on`.
    CaseReopened {
        case: String,
        complaint: String,
        reopened_on: NaiveDate,
        /// What the package still lacks on the day it is reopened (§9,
        /// issue 21): a case reopened with its ownership proof missing or
        /// expired goes back to `incomplete`, not to review. Older rows
        /// have none (read as complete, as they were applied).
        #[serde(default, skip_serializing_if = "Vec::is_empty")]
        missing: Vec<String>,
    },
    /// A document added to a case after registration (`case attach`, issue
    /// 21): its SHA-256 is on the record, the file is kept beside the
    /// register. `missing` is what the package lacks once it is attached
    /// (an incomplete case it completes goes to review).
    DocumentAttached {
        case: String,
        doc_kind: super::model::DocumentKind,
        name: String,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        number: Option<String>,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        valid_until: Option<NaiveDate>,
        sha256: String,
        size: u64,
        attached_on: NaiveDate,
        missing: Vec<String>,
    },
    /// How and when a notice reached the applicant (issue 21).
    NoticeDelivered {
        notice: String,
        case: String,
        via: DeliveryVia,
        on: NaiveDate,
    },
    /// §9, second paragraph: an incomplete package brought to the office is
    /// refused at the desk; no case is registered. The receipt number is
    /// the applicant's proof of the refusal.
    DeskRefused {
        receipt: String,
        refused_on: NaiveDate,
        missing: Vec<String>,
        /// The applicant's language, in which the receipt is printed.
        lang: String,
        application: Application,
    },
    CalendarAmended {
        date: NaiveDate,
        working: bool,
        act: String,
    },
    /// §16: the e-government operator and the unified contact centre were
    /// informed of a change of the law (`change`: `LAW-YYYY-MM-DD`, the day
    /// the change took effect in this register).
    LawInformed {
        change: String,
        informed_on: NaiveDate,
    },
    /// An act ended one of the Rules' clocks: on the record with its last
    /// lawful day and the act's legal date, and, when it came after that day,
    /// by how many working days and why (the actor is the journal row's).
    TermEnded {
        /// The case the clock ran on (for a complaint's clock, its case).
        case: String,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        complaint: Option<String>,
        clock: crate::rules::clocks::ClockId,
        rule: String,
        due: NaiveDate,
        done_on: NaiveDate,
        /// Working days after `due` (0: in time).
        late_wd: i32,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        reason: Option<String>,
    },
}

/// A register entry's fields before and after a change (§15).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct EntryChange {
    pub entry_no: i64,
    pub before: serde_json::Value,
    pub after: serde_json::Value,
}

/// A journal row's payload read as the event its `kind` column names
/// (`audit verify`, issue 18). serde reads an internally tagged enum by
/// first copying the whole payload into values of its own; the two kinds
/// that are most of the journal's bytes, registrations and notices, are
/// read here straight into their fields, and so are the most numerous,
/// decisions and ended terms. A notice's `content` and
/// `signature` are checked to be strings and not kept: no read model holds
/// them (a notice's row names its journal row, `apply`). Any other kind, or
/// a payload these do not read (its own `kind` another, a field missing),
/// is read as [`Event`], which says what is wrong with it.
pub fn parse_replayed(kind: &str, payload: &str) -> serde_json::Result<Event> {
    let read = match kind {
        "case_registered" => by_kind::<Registration>(kind, payload),
        "notice_issued" => by_kind::<Notice>(kind, payload),
        "decision_issued" => by_kind::<Decision>(kind, payload),
        "term_ended" => by_kind::<Term>(kind, payload),
        _ => None,
    };
    match read {
        Some(event) => Ok(event),
        None => serde_json::from_str(payload),
    }
}

/// One kind's fields as its payload holds them ([`parse_replayed`]).
trait View: serde::de::DeserializeOwned {
    /// The payload's own `kind`.
    fn kind(&self) -> &str;
    fn event(self) -> Event;
}

/// `payload` read as `V`, if it reads and says it is of `kind`.
fn by_kind<V: View>(kind: &str, payload: &str) -> Option<Event> {
    let view = serde_json::from_str::<V>(payload).ok()?;
    (view.kind() == kind).then(|| view.event())
}

impl View for Registration {
    fn kind(&self) -> &str {
        &self.kind
    }
    fn event(self) -> Event {
        Event::CaseRegistered {
            number: self.number,
            registered_on: self.registered_on,
            missing: self.missing,
            application: self.application,
            synthetic: self.synthetic,
        }
    }
}

impl View for Notice {
    fn kind(&self) -> &str {
        &self.kind
    }
    fn event(self) -> Event {
        let Unkept = self.content;
        let Unkept = self.signature;
        Event::NoticeIssued {
            number: self.number,
            case: self.case,
            notice: self.notice,
            issued_on: self.issued_on,
            content: String::new(),
            signer: self.signer,
            fingerprint: self.fingerprint,
            signature: String::new(),
        }
    }
}

impl View for Decision {
    fn kind(&self) -> &str {
        &self.kind
    }
    fn event(self) -> Event {
        Event::DecisionIssued {
            case: self.case,
            outcome: self.outcome,
            number: self.number,
            issued_on: self.issued_on,
            grounds: self.grounds,
            ground_nos: self.ground_nos,
            reason: self.reason,
            entries: self.entries,
            changes: self.changes,
        }
    }
}

impl View for Term {
    fn kind(&self) -> &str {
        &self.kind
    }
    fn event(self) -> Event {
        Event::TermEnded {
            case: self.case,
            complaint: self.complaint,
            clock: self.clock,
            rule: self.rule,
            due: self.due,
            done_on: self.done_on,
            late_wd: self.late_wd,
            reason: self.reason,
        }
    }
}

/// [`Event::DecisionIssued`]'s fields, for [`parse_replayed`].
#[derive(Deserialize)]
struct Decision {
    kind: String,
    case: String,
    outcome: Outcome,
    number: String,
    issued_on: NaiveDate,
    #[serde(default)]
    grounds: Vec<String>,
    #[serde(default)]
    ground_nos: Vec<u8>,
    #[serde(default)]
    reason: Option<String>,
    #[serde(default)]
    entries: Vec<i64>,
    #[serde(default)]
    changes: Vec<EntryChange>,
}

/// [`Event::TermEnded`]'s fields, for [`parse_replayed`].
#[derive(Deserialize)]
struct Term {
    kind: String,
    case: String,
    #[serde(default)]
    complaint: Option<String>,
    clock: crate::rules::clocks::ClockId,
    rule: String,
    due: NaiveDate,
    done_on: NaiveDate,
    late_wd: i32,
    #[serde(default)]
    reason: Option<String>,
}

/// [`Event::CaseRegistered`]'s fields, for [`parse_replayed`].
#[derive(Deserialize)]
struct Registration {
    kind: String,
    number: String,
    registered_on: NaiveDate,
    missing: Vec<String>,
    application: Application,
    #[serde(default)]
    synthetic: bool,
}

/// [`Event::NoticeIssued`]'s fields, for [`parse_replayed`].
#[derive(Deserialize)]
struct Notice {
    kind: String,
    number: String,
    case: String,
    notice: String,
    issued_on: NaiveDate,
    content: Unkept,
    signer: String,
    fingerprint: String,
    signature: Unkept,
}

/// A string read and not kept.
struct Unkept;

impl<'de> Deserialize<'de> for Unkept {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> std::result::Result<Self, D::Error> {
        struct Visitor;
        impl serde::de::Visitor<'_> for Visitor {
            type Value = Unkept;
            fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
                f.write_str("a string")
            }
            fn visit_str<E: serde::de::Error>(self, _: &str) -> std::result::Result<Unkept, E> {
                Ok(Unkept)
            }
        }
        d.deserialize_str(Visitor)
    }
}

impl Event {
    pub fn kind(&self) -> &'static str {
        match self {
            Event::RegisterCreated { .. } => "register_created",
            Event::UserAdded { .. } => "user_added",
            Event::UserIinSet { .. } => "user_iin_set",
            Event::CaseRegistered { .. } => "case_registered",
            Event::HearingNotified { .. } => "hearing_notified",
            Event::HearingHeld { .. } => "hearing_held",
            Event::DecisionIssued { .. } => "decision_issued",
            Event::ComplaintLodged { .. } => "complaint_lodged",
            Event::ComplaintForwarded { .. } => "complaint_forwarded",
            Event::ComplaintDecided { .. } => "complaint_decided",
            Event::CalendarAmended { .. } => "calendar_amended",
            Event::CaseReopened { .. } => "case_reopened",
            Event::KeyRegistered { .. } => "key_registered",
            Event::KeyRevoked { .. } => "key_revoked",
            Event::NoticeIssued { .. } => "notice_issued",
            Event::SealRecorded { .. } => "seal_recorded",
            Event::TermEnded { .. } => "term_ended",
            Event::LawInformed { .. } => "law_informed",
            Event::DocumentAttached { .. } => "document_attached",
            Event::NoticeDelivered { .. } => "notice_delivered",
            Event::DeskRefused { .. } => "desk_refused",
        }
    }

    /// What the event is about, for history look-ups.
    pub fn subject(&self) -> Option<String> {
        match self {
            Event::RegisterCreated { .. } => None,
            Event::UserAdded { login, .. } | Event::UserIinSet { login, .. } => {
                Some(format!("user:{login}"))
            }
            Event::CaseRegistered { number, .. } => Some(number.clone()),
            Event::HearingNotified { case, .. }
            | Event::HearingHeld { case, .. }
            | Event::DecisionIssued { case, .. }
            | Event::CaseReopened { case, .. }
            | Event::NoticeIssued { case, .. }
            | Event::DocumentAttached { case, .. }
            | Event::NoticeDelivered { case, .. } => Some(case.clone()),
            Event::DeskRefused { receipt, .. } => Some(receipt.clone()),
            Event::TermEnded {
                case, complaint, ..
            } => Some(complaint.clone().unwrap_or_else(|| case.clone())),
            Event::LawInformed { change, .. } => Some(change.clone()),
            Event::KeyRegistered { login, .. } => Some(format!("user:{login}")),
            Event::KeyRevoked { fingerprint, .. } => Some(format!("key:{fingerprint}")),
            Event::SealRecorded { .. } => Some("seal".into()),
            Event::ComplaintLodged { number, .. }
            | Event::ComplaintForwarded { number, .. }
            | Event::ComplaintDecided { number, .. } => Some(number.clone()),
            Event::CalendarAmended { date, .. } => Some(format!("calendar:{date}")),
        }
    }
}

fn bump_counter(db: &dyn Sql, name: &str, value: i64) -> Result<()> {
    db.execute(
        "INSERT INTO counters (name, value) VALUES (?1, ?2)
         ON CONFLICT (name) DO UPDATE SET value = excluded.value
         WHERE excluded.value > counters.value",
        args![name, value],
    )?;
    Ok(())
}

/// The counter a numbered document uses: `PREFIX-YYYY-NNNNNN`.
pub fn number_counter(number: &str) -> Option<(String, i64)> {
    let (head, seq) = number.rsplit_once('-')?;
    Some((head.to_string(), seq.parse().ok()?))
}

fn case_id(db: &dyn Sql, number: &str) -> Result<(i64, Stage)> {
    let row: Option<(i64, String)> = db.row(
        "SELECT id, stage FROM cases WHERE number = ?1",
        args![number],
        |r| Ok((r.get(0)?, r.get(1)?)),
    )?;
    let (id, stage) =
        row.ok_or_else(|| Error::NotFound(super::reason::Missing::Case(number.to_string())))?;
    let stage = Stage::parse(&stage)
        .ok_or_else(|| Error::Corrupt(format!("case {number}: stage {stage}")))?;
    Ok((id, stage))
}

fn set_stage(db: &dyn Sql, id: i64, stage: Stage) -> Result<()> {
    db.execute(
        "UPDATE cases SET stage = ?2, version = version + 1 WHERE id = ?1",
        args![id, stage.as_str()],
    )?;
    Ok(())
}

fn count(n: usize, what: &str) -> Result<()> {
    if n == 0 {
        return Err(Error::Corrupt(format!("{what}: no row to update")));
    }
    Ok(())
}

/// Applies one event to the read models. `seq` is its journal row.
pub fn apply(db: &dyn Sql, seq: i64, at: &str, actor: &str, event: &Event) -> Result<()> {
    apply_with(db, &InTable, seq, at, actor, event, Hash::Here)
}

/// [`apply`] with the units kept in `units` (`audit verify` replays them
/// in memory, issue 18), given a registration's `dedup::content_hash`
/// worked out beforehand (the audit hashes on another thread); `None`
/// hashes here.
pub fn apply_replayed(
    db: &dyn Sql,
    units: &dyn Units,
    seq: i64,
    at: &str,
    actor: &str,
    event: &Event,
    content_hash: Option<&str>,
) -> Result<()> {
    let hash = content_hash.map_or(Hash::Here, Hash::Given);
    apply_with(db, units, seq, at, actor, event, hash)
}

/// As [`apply`], given the event's journal payload as stored when the
/// caller has it: what the read models keep of the event's own bytes (a
/// registration's content hash, `dedup::content_hash_stored`) is taken from
/// it instead of serialising the event again (issue 18).
pub fn apply_stored(
    db: &dyn Sql,
    seq: i64,
    at: &str,
    actor: &str,
    event: &Event,
    payload: Option<&str>,
) -> Result<()> {
    let hash = payload.map_or(Hash::Here, Hash::Stored);
    apply_with(db, &InTable, seq, at, actor, event, hash)
}

/// Where a registration's content hash (`dedup`) comes from.
#[derive(Debug, Clone, Copy)]
enum Hash<'a> {
    /// Serialised and hashed here.
    Here,
    /// Worked out beforehand.
    Given(&'a str),
    /// Taken from the journal payload as stored.
    Stored(&'a str),
}

fn apply_with(
    db: &dyn Sql,
    units: &dyn Units,
    seq: i64,
    at: &str,
    actor: &str,
    event: &Event,
    hash: Hash,
) -> Result<()> {
    match event {
        Event::RegisterCreated { admin } => {
            db.execute(
                "INSERT INTO users (login, role, added_at, added_by) VALUES (?1, 'admin', ?2, ?3)",
                args![admin, at, actor],
            )?;
        }
        Event::UserAdded { login, role, .. } => {
            db.execute(
                "INSERT INTO users (login, role, added_at, added_by) VALUES (?1, ?2, ?3, ?4)
                 ON CONFLICT (login) DO UPDATE SET role = excluded.role",
                args![login, role.as_str(), at, actor],
            )?;
        }
        Event::UserIinSet { login, iin } => {
            let n = db.execute(
                "UPDATE users SET iin = ?2 WHERE login = ?1",
                args![login, iin],
            )?;
            count(n, login)?;
        }
        Event::CaseRegistered {
            number,
            registered_on,
            missing,
            application: app,
            synthetic,
        } => {
            let hash = match hash {
                Hash::Given(h) => h.to_string(),
                Hash::Stored(payload) => super::dedup::content_hash_stored(
                    app,
                    Some(&super::dedup::Stored {
                        payload,
                        synthetic: *synthetic,
                    }),
                ),
                Hash::Here => super::dedup::content_hash(app),
            };
            apply_registration(db, units, seq, number, *registered_on, missing, app, &hash)?
        }
        Event::HearingNotified {
            case,
            sent_on,
            hearing_at,
            place,
            ground_nos,
            reason,
            ..
        } => {
            let (id, _) = case_id(db, case)?;
            db.execute(
                "UPDATE cases SET hearing_notice_on = ?2, hearing_at = ?3, hearing_place = ?4,
                    grounds = coalesce(?5, grounds), reason = coalesce(?6, reason) WHERE id = ?1",
                args![
                    id,
                    sent_on,
                    hearing_at.to_rfc3339(),
                    place,
                    (!ground_nos.is_empty())
                        .then(|| serde_json::to_string(ground_nos))
                        .transpose()?,
                    reason
                ],
            )?;
            set_stage(db, id, Stage::HearingNotified)?;
        }
        Event::HearingHeld {
            case,
            held_on,
            outcome,
            position,
        } => {
            let (id, _) = case_id(db, case)?;
            db.execute(
                "UPDATE cases SET hearing_held_on = ?2, hearing_outcome = ?3, hearing_position = ?4
                 WHERE id = ?1",
                args![id, held_on, outcome.as_str(), position],
            )?;
            set_stage(db, id, Stage::HearingHeld)?;
        }
        Event::DecisionIssued {
            case,
            outcome,
            number,
            issued_on,
            grounds,
            ground_nos,
            reason,
            entries,
            changes,
        } => {
            let (id, _) = case_id(db, case)?;
            let grounds = grounds_json(ground_nos, grounds)?;
            // The stage with the decision's columns: one write of the row
            // (what `set_stage` does, issue 18).
            db.execute(
                "UPDATE cases SET decided_on = ?2, decision_no = ?3, grounds = ?4,
                    reason = coalesce(?5, reason), stage = ?6, version = version + 1
                 WHERE id = ?1",
                args![
                    id,
                    issued_on,
                    number,
                    grounds,
                    reason,
                    outcome.stage().as_str()
                ],
            )?;
            db.execute(
                "INSERT INTO decisions (number, case_id, outcome, issued_on, grounds, reason)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
                args![
                    number,
                    id,
                    outcome.stage().as_str(),
                    issued_on,
                    grounds,
                    reason
                ],
            )?;
            if let Some((counter, n)) = number_counter(number) {
                bump_counter(db, &counter, n)?;
            }
            apply_decision_to_units(
                db, units, id, *outcome, number, *issued_on, entries, changes,
            )?;
        }
        Event::ComplaintLodged {
            number,
            case,
            addressed_to,
            received_at,
            registered_on,
            text,
        } => {
            let (id, _) = case_id(db, case)?;
            db.execute("INSERT INTO complaints (id, number, case_id, addressed_to, status, received_at, registered_on, text, version)
                 VALUES ((SELECT coalesce(max(id), 0) + 1 FROM complaints), ?1, ?2, ?3, 'received', ?4, ?5, ?6, 1)", args![number, id, addressed_to.as_str(), received_at.to_rfc3339(), registered_on, text])?;
            if let Some((counter, n)) = number_counter(number) {
                bump_counter(db, &counter, n)?;
            }
        }
        Event::ComplaintForwarded {
            number,
            forwarded_on,
        } => {
            let n = db.execute(
                "UPDATE complaints SET status = ?2, forwarded_on = ?3, version = version + 1
                 WHERE number = ?1",
                args![number, ComplaintStatus::Forwarded.as_str(), forwarded_on],
            )?;
            count(n, number)?;
        }
        Event::ComplaintDecided {
            number,
            decided_on,
            outcome,
            reason,
        } => {
            let n = db.execute(
                "UPDATE complaints SET status = ?2, decided_on = ?3, outcome = ?4, reason = ?5,
                    version = version + 1 WHERE number = ?1",
                args![
                    number,
                    ComplaintStatus::Decided.as_str(),
                    decided_on,
                    outcome.as_str(),
                    reason
                ],
            )?;
            count(n, number)?;
        }
        Event::KeyRegistered {
            login,
            algorithm,
            public_key,
            fingerprint,
            name,
            position,
            valid_from,
            p12,
        } => {
            db.execute(
                "INSERT INTO signing_keys (fingerprint, login, algorithm, public_key, name, position,
                    valid_from, from_seq, p12_path)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)",
                args![
                    fingerprint,
                    login,
                    algorithm,
                    public_key,
                    name,
                    position,
                    valid_from,
                    seq,
                    p12
                ],
            )?;
        }
        Event::KeyRevoked {
            fingerprint,
            revoked_on,
        } => {
            let n = db.execute(
                "UPDATE signing_keys SET revoked_on = ?2, revoked_seq = ?3 WHERE fingerprint = ?1",
                args![fingerprint, revoked_on, seq],
            )?;
            count(n, fingerprint)?;
        }
        Event::NoticeIssued {
            number,
            case,
            notice: kind,
            issued_on,
            signer,
            fingerprint,
            ..
        } => {
            // The content and the signature stay in the journal row (`seq`):
            // each notice's text is stored once.
            let (id, _) = case_id(db, case)?;
            // A series of its own (hearing notices, complaint decisions):
            // numbered without gaps like the decisions.
            if let Some((counter, n)) = number_counter(number) {
                bump_counter(db, &counter, n)?;
            }
            db.execute(
                "INSERT INTO notices (number, case_id, kind, issued_on, signer, fingerprint, seq)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
                args![number, id, kind, issued_on, signer, fingerprint, seq],
            )?;
        }
        Event::SealRecorded {
            head_seq,
            head_hash,
            signer,
            fingerprint,
            signature,
        } => {
            db.execute(
                "INSERT INTO seals (seq, head_seq, head_hash, signer, fingerprint, signature)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
                args![seq, head_seq, head_hash, signer, fingerprint, signature],
            )?;
        }
        Event::LawInformed {
            change,
            informed_on,
        } => {
            db.execute("INSERT INTO law_informed (change, informed_on, seq, actor) VALUES (?1, ?2, ?3, ?4)", args![change, informed_on, seq, actor])?;
        }
        Event::TermEnded {
            case,
            complaint,
            clock,
            rule,
            due,
            done_on,
            late_wd,
            reason,
        } => {
            db.execute(
                "INSERT INTO terms (seq, case_number, complaint, clock, rule, due, done_on,
                    late_wd, reason, actor)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10)",
                args![
                    seq,
                    case,
                    complaint,
                    clock.as_str(),
                    rule,
                    due,
                    done_on,
                    late_wd,
                    reason,
                    actor
                ],
            )?;
        }
        Event::CaseReopened {
            case,
            reopened_on,
            missing,
            ..
        } => {
            let (id, _) = case_id(db, case)?;
            db.execute(
                "UPDATE cases SET reopened_on = ?2, missing = ?3, hearing_notice_on = NULL,
                    hearing_at = NULL, hearing_place = NULL, hearing_held_on = NULL,
                    hearing_outcome = NULL, hearing_position = NULL WHERE id = ?1",
                args![id, reopened_on, serde_json::to_string(missing)?],
            )?;
            units.restatus(
                db,
                id,
                UnitStatus::Refused.as_str(),
                UnitStatus::Pending.as_str(),
            )?;
            set_stage(
                db,
                id,
                if missing.is_empty() {
                    Stage::UnderReview
                } else {
                    Stage::Incomplete
                },
            )?;
        }
        Event::DocumentAttached {
            case,
            doc_kind: kind,
            name,
            number,
            valid_until,
            sha256,
            size,
            missing,
            ..
        } => {
            let (id, stage) = case_id(db, case)?;
            db.execute(
                "INSERT INTO documents (case_id, idx, kind, name, valid_until, number, sha256,
                    size, attached_seq)
                 VALUES (?1, (SELECT coalesce(max(idx) + 1, 0) FROM documents WHERE case_id = ?1),
                    ?2, ?3, ?4, ?5, ?6, ?7, ?8)",
                args![
                    id,
                    kind.as_str(),
                    name,
                    valid_until,
                    number,
                    sha256,
                    *size as i64,
                    seq
                ],
            )?;
            db.execute(
                "UPDATE cases SET missing = ?2 WHERE id = ?1",
                args![id, serde_json::to_string(missing)?],
            )?;
            // The package is complete now: the case goes to review (§10).
            let next = if stage == Stage::Incomplete && missing.is_empty() {
                Stage::UnderReview
            } else {
                stage
            };
            set_stage(db, id, next)?;
        }
        Event::NoticeDelivered {
            notice, via, on, ..
        } => {
            db.execute(
                "INSERT INTO deliveries (seq, notice, via, delivered_on, actor)
                 VALUES (?1, ?2, ?3, ?4, ?5)",
                args![seq, notice, via.as_str(), on, actor],
            )?;
        }
        Event::DeskRefused {
            receipt,
            refused_on,
            missing,
            lang,
            application,
        } => {
            db.execute(
                "INSERT INTO desk_refusals (receipt, kind, received_at, refused_on, bin_iin, name,
                    missing, lang, seq, actor)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10)",
                args![
                    receipt,
                    application.kind.as_str(),
                    application.received_at.to_rfc3339(),
                    refused_on,
                    application.applicant.bin_iin,
                    application.applicant.name,
                    serde_json::to_string(missing)?,
                    lang,
                    seq,
                    actor
                ],
            )?;
            if let Some((counter, n)) = number_counter(receipt) {
                bump_counter(db, &counter, n)?;
            }
        }
        Event::CalendarAmended { date, working, act } => {
            db.execute(
                "INSERT INTO calendar_amendments (date, working, act) VALUES (?1, ?2, ?3)
                 ON CONFLICT (date) DO UPDATE SET working = excluded.working, act = excluded.act",
                args![date, working, act],
            )?;
        }
    }
    Ok(())
}

/// A unit of an inclusion as registered (one statement per unit).
///
/// Every row id the read models assign is `max(id) + 1`, written out: what
/// SQLite's rowid does by itself, and what PostgreSQL's identity sequence
/// does not (a rolled-back insert, or a promoted standby, which resumes its
/// sequences up to 32 values on, leaves a gap), so that a replay of the
/// journal (`audit verify`) gives every row the id the register holds. The
/// writers' lock (`BEGIN IMMEDIATE`, `engine::WRITER_LOCK`) makes it safe.
#[allow(clippy::too_many_arguments)]
fn apply_registration(
    db: &dyn Sql,
    units: &dyn Units,
    seq: i64,
    number: &str,
    registered_on: NaiveDate,
    missing: &[String],
    app: &Application,
    content_hash: &str,
) -> Result<()> {
    let a = &app.applicant;
    // A miner applying again with the same particulars (most registrations)
    // is found as it is: the upsert below would rewrite its row unchanged
    // (issue 18).
    let particulars = args![
        a.bin_iin,
        a.name,
        a.legal_address,
        a.phone,
        a.email,
        a.personal_data_consent
    ];
    let same: Option<i64> = db.row(
        "SELECT id FROM miners WHERE bin_iin = ?1 AND name = ?2
                AND legal_address IS NOT DISTINCT FROM coalesce(?3, legal_address) AND phone = ?4
                AND email = ?5 AND personal_data_consent = ?6",
        particulars,
        |r| r.get(0),
    )?;
    // Known by its BIN/IIN with other particulars: updated; else a new row.
    // (Not one `INSERT … ON CONFLICT DO UPDATE`: on PostgreSQL a conflicting
    // insert still takes the next id, and the ids must be SQLite's.)
    let miner_id: i64 = match same {
        Some(id) => id,
        None => match db.row(
            "UPDATE miners SET name = ?2, legal_address = coalesce(?3, legal_address),
                phone = ?4, email = ?5, personal_data_consent = ?6
             WHERE bin_iin = ?1 RETURNING id",
            particulars,
            |r| r.get(0),
        )? {
            Some(id) => id,
            None => db.one(
                "INSERT INTO miners (id, bin_iin, name, legal_address, phone, email,
                    personal_data_consent)
                 VALUES ((SELECT coalesce(max(id), 0) + 1 FROM miners), ?1, ?2, ?3, ?4, ?5, ?6) RETURNING id",
                particulars,
                |r| r.get(0),
            )?,
        },
    };
    let dc_id: Option<i64> = match &app.data_center {
        Some(loc) => match db.row(
            "SELECT id FROM data_centers WHERE miner_id = ?1 AND location = ?2",
            args![miner_id, loc],
            |r| r.get(0),
        )? {
            Some(id) => Some(id),
            None => Some(db.one(
                "INSERT INTO data_centers (id, miner_id, location)
                     VALUES ((SELECT coalesce(max(id), 0) + 1 FROM data_centers), ?1, ?2)
                     ON CONFLICT (miner_id, location) DO UPDATE SET location = excluded.location
                     RETURNING id",
                args![miner_id, loc],
                |r| r.get(0),
            )?),
        },
        None => None,
    };
    let stage = if missing.is_empty() {
        Stage::UnderReview
    } else {
        Stage::Incomplete
    };
    let case_id: i64 = db.one(
        "INSERT INTO cases (id, number, kind, channel, miner_id, data_center_id, tn_ved_code,
                received_at, registered_on, stage, missing, changed_on, change_reason, version,
                registered_seq, applicant_name, applicant_address, applicant_phone, applicant_email)
             VALUES ((SELECT coalesce(max(id), 0) + 1 FROM cases), ?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, 1, ?13, ?14,
                ?15, ?16, ?17)
             RETURNING id",
        args![
            number,
            app.kind.as_str(),
            app.channel.as_str(),
            miner_id,
            dc_id,
            app.tn_ved_code,
            app.received_at.to_rfc3339(),
            registered_on,
            stage.as_str(),
            serde_json::to_string(missing)?,
            app.change.as_ref().map(|c| c.changed_on),
            app.change.as_ref().map(|c| c.reason.as_str()),
            seq,
            a.name,
            a.legal_address,
            a.phone,
            a.email
        ],
        |r| r.get(0),
    )?;
    if let Some((counter, n)) = number_counter(number) {
        bump_counter(db, &counter, n)?;
    }
    for (i, d) in app.documents.iter().enumerate() {
        db.execute(
            "INSERT INTO documents (case_id, idx, kind, name, valid_until)
             VALUES (?1, ?2, ?3, ?4, ?5)",
            args![case_id, i as i64, d.kind.as_str(), d.name, d.valid_until],
        )?;
    }
    if app.kind == crate::rules::CaseKind::Inclusion {
        for (i, u) in app.units.iter().enumerate() {
            let field = |what: &str| Error::Corrupt(format!("{number}: units[{i}].{what} missing"));
            units.add(
                db,
                &NewUnit {
                    case_id,
                    idx: i as i64,
                    brand: u.brand.as_deref().ok_or_else(|| field("brand"))?,
                    model: u.model.as_deref().ok_or_else(|| field("model"))?,
                    serial: &u.serial,
                    hashrate_ths: u.hashrate_ths.ok_or_else(|| field("hashrate_ths"))?,
                    power_kw: u.power_kw.ok_or_else(|| field("power_kw"))?,
                    declaration_no: u.declaration_no.as_deref(),
                    condition: u.condition.ok_or_else(|| field("condition"))?.as_str(),
                },
            )?;
        }
    } else {
        for (i, u) in app.units.iter().enumerate() {
            db.execute(
                "INSERT INTO case_items (case_id, idx, serial, wording) VALUES (?1, ?2, ?3, ?4)",
                args![case_id, i as i64, u.serial, serde_json::to_string(u)?],
            )?;
        }
    }
    super::dedup::record_hashed(db, case_id, app, content_hash)?;
    Ok(())
}

#[allow(clippy::too_many_arguments)]
fn apply_decision_to_units(
    db: &dyn Sql,
    units: &dyn Units,
    case_id: i64,
    outcome: Outcome,
    number: &str,
    issued_on: NaiveDate,
    entries: &[i64],
    changes: &[EntryChange],
) -> Result<()> {
    match outcome {
        Outcome::Included => {
            // The case's units in order take the entries in order. Units are
            // numbered 0.. as registered and an inclusion's entries follow
            // one another, so one statement numbers them all (issue 18: one
            // UPDATE per unit was most of an inclusion's cost); any other
            // shape is taken unit by unit.
            let (n, lo, hi) = units.span(db, case_id)?;
            if n != entries.len() as i64 {
                return Err(Error::Corrupt(format!(
                    "decision {number}: {} entries for {n} units",
                    entries.len(),
                )));
            }
            let consecutive =
                |first: i64, v: &mut dyn Iterator<Item = i64>| v.zip(first..).all(|(a, b)| a == b);
            match (lo, hi, entries.first()) {
                (Some(lo), Some(hi), Some(&first))
                    if hi - lo + 1 == n && consecutive(first, &mut entries.iter().copied()) =>
                {
                    units.include_run(db, case_id, first, lo, issued_on, number)?;
                }
                _ => {
                    let ids = units.ids(db, case_id)?;
                    for (id, entry) in ids.iter().zip(entries) {
                        units.include(db, *id, *entry, issued_on, number)?;
                    }
                }
            }
            if let Some(max) = entries.iter().max() {
                bump_counter(db, "entry", *max)?;
            }
        }
        Outcome::Refused | Outcome::RefusedIncomplete => {
            units.restatus(
                db,
                case_id,
                UnitStatus::Pending.as_str(),
                UnitStatus::Refused.as_str(),
            )?;
        }
        Outcome::Excluded => {
            for e in entries {
                count(
                    units.exclude(db, *e, issued_on, number)?,
                    &format!("entry {e}"),
                )?;
            }
        }
        Outcome::Amended => {
            for c in changes {
                let v = |k: &str| c.after.get(k).cloned().unwrap_or(serde_json::Value::Null);
                let s = |k: &str| v(k).as_str().map(String::from);
                let f = |k: &str| v(k).as_f64();
                let after = Amendment {
                    brand: s("brand"),
                    model: s("model"),
                    hashrate_ths: f("hashrate_ths"),
                    power_kw: f("power_kw"),
                    declaration_no: s("declaration_no"),
                    condition: s("condition"),
                };
                count(
                    units.amend(db, c.entry_no, &after)?,
                    &format!("entry {}", c.entry_no),
                )?;
            }
        }
    }
    Ok(())
}
