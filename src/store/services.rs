//! The services every face (CLI, console) calls. Each checks the actor's role
//! in the store, validates against the Rules, then appends one journal event.
//! They run inside the caller's transaction (`Store::write`).

use chrono::{DateTime, Datelike, NaiveDate, Utc};

use super::events::{DeliveryVia, EntryChange, Event, HearingOutcome};
use super::journal::append;
use super::model::{Application, DocumentKind};
use super::reason::{Missing, Problem, Refusal, Since};
use super::sql::{Engine, Sql};
use super::{Error, Result, terms};
use crate::args;
use crate::rules::workflow::{self, Action, ComplaintAction, ComplaintOutcome};
use crate::rules::{
    CaseKind, CaseNumber, ComplaintBody, ComplaintStatus, Law, Login, Outcome, Position, Role,
    Stage,
};

/// Checks, before a decision, that `actor` can sign with `signer` today.
pub fn check_signer(
    db: &dyn Sql,
    actor: &str,
    signer: &dyn crate::sign::Signer,
    on: NaiveDate,
) -> Result<()> {
    signer_key(db, actor, signer, on).map(|_| ())
}

/// [`check_signer`], returning the registered key (read once per decision).
fn signer_key(
    db: &dyn Sql,
    actor: &str,
    signer: &dyn crate::sign::Signer,
    on: NaiveDate,
) -> Result<super::read::notices::SignerRef> {
    if signer.login() != actor {
        return Err(Error::refused(Refusal::OwnKey {
            actor: actor.to_string(),
            signer: signer.login().to_string(),
        }));
    }
    super::read::notices::registered_key(db, signer, on)
}

/// §13–§14: checks that the signer's registered position may sign the
/// notice of `outcome` (data/positions.toml): the notification of exclusion
/// (Appendix 8) only the head of the structural unit or the person acting
/// for them.
pub fn check_signer_position(
    db: &dyn Sql,
    signer: &dyn crate::sign::Signer,
    on: NaiveDate,
    outcome: Outcome,
) -> Result<()> {
    let key = super::read::notices::registered_key(db, signer, on)?;
    key_may_sign(&key, outcome)
}

/// [`check_signer_position`] with the key already read.
fn key_may_sign(key: &super::read::notices::SignerRef, outcome: Outcome) -> Result<()> {
    let kind = match outcome {
        Outcome::Included => "inclusion",
        Outcome::Excluded => "exclusion",
        Outcome::Amended => "amendment",
        Outcome::Refused => "refusal",
        Outcome::RefusedIncomplete => "refusal_incomplete",
    };
    let allowed = match Position::parse(&key.position) {
        Some(p) => p.signs(kind),
        // A position this version does not know signs nothing §14 reserves.
        None => kind != "exclusion",
    };
    if allowed {
        return Ok(());
    }
    let may: Vec<Position> = Position::ALL
        .into_iter()
        .filter(|p| p.signs(kind))
        .collect();
    Err(Error::refused(Refusal::SignerPosition {
        outcome,
        may,
        login: key.login.clone(),
        position: key.position.clone(),
    }))
}

/// Who issues the signed notice of a decision: the documents layer, handed to
/// [`decide`] by the face that calls it. The store records the decision; the
/// issuer builds, signs and journals its notice in the same transaction.
pub trait NoticeIssuer {
    /// The key that signs (its owner must be the deciding login).
    fn signer(&self) -> &dyn crate::sign::Signer;
    /// Builds, signs and journals the notice of decision `number`; returns
    /// the notice's number.
    fn issue(
        &self,
        db: &dyn Sql,
        law: &Law,
        actor: &str,
        at: DateTime<Utc>,
        number: &str,
    ) -> Result<String>;
    /// §11–§12: builds, signs and journals the preliminary decision with the
    /// hearing notice `number` on `case` (as the notice just left it).
    fn issue_hearing(
        &self,
        db: &dyn Sql,
        law: &Law,
        actor: &str,
        at: DateTime<Utc>,
        case: &str,
        number: &str,
    ) -> Result<String>;
    /// §17–§20: builds, signs and journals the written decision `number` on
    /// `complaint` (as just decided); `act` is the favourable act's notice
    /// a full grant by the provider took (§18).
    #[allow(clippy::too_many_arguments)]
    fn issue_complaint_decision(
        &self,
        db: &dyn Sql,
        law: &Law,
        actor: &str,
        at: DateTime<Utc>,
        complaint: &str,
        number: &str,
        act: Option<&str>,
    ) -> Result<String>;
}

pub use super::act::{Context, MAX_REASON, ddmmyyyy};

/// Who may do what. Roles live in the database, keyed by the OS login.
pub mod may {
    use crate::rules::Role::{self, *};
    pub const ADD_USERS: &[Role] = &[Admin];
    pub const REGISTER: &[Role] = &[Operator, Clerk, Admin];
    /// Reading the register's cases, complaints and documents (personal data).
    pub const READ: &[Role] = &[Operator, Clerk, Supervisor, Admin];
    /// Any act at all: checked before the write lock is taken (each
    /// service then checks the role its act needs).
    pub const ACT: &[Role] = &[Operator, Clerk, Supervisor, Admin];
    pub const AMEND_CALENDAR: &[Role] = &[Admin];
    /// Upgrading an older register's schema: any of its users (a login
    /// without a role never runs a migration on it).
    pub const UPGRADE: &[Role] = &[Operator, Clerk, Supervisor, Admin];
    /// Adding synthetic cases to a register the demo made (`demo --append`).
    pub const DEMO_APPEND: &[Role] = &[Admin];
}

pub fn role_of(db: &dyn Sql, login: &str) -> Result<Option<Role>> {
    let role: Option<String> = db.row(
        "SELECT role FROM users WHERE login = ?1",
        args![login],
        |r| r.get(0),
    )?;
    Ok(role.and_then(|r| Role::parse(&r)))
}

/// Refuses unless `login` holds one of `allowed`.
pub fn require_role(
    db: &dyn Sql,
    login: &str,
    allowed: &[Role],
    action: &'static str,
) -> Result<Role> {
    check_role(login, role_of(db, login)?, allowed, action)
}

/// `login`, holding `have`, may do `action` only with one of `allowed`
/// (the check itself, whichever engine the role was read from).
pub fn check_role(
    login: &str,
    have: Option<Role>,
    allowed: &[Role],
    action: &'static str,
) -> Result<Role> {
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
pub fn create_register(db: &dyn Sql, admin: &Login, now: DateTime<Utc>) -> Result<()> {
    append(
        db,
        now,
        admin,
        &Event::RegisterCreated {
            admin: admin.to_string(),
        },
    )?;
    Ok(())
}

pub fn add_user(ctx: &Context, login: &Login, role: Role) -> Result<()> {
    let Context { actor, at: now, .. } = *ctx;
    let db: &dyn Sql = ctx.tx;
    let actor = actor.as_str();
    require_role(db, actor, may::ADD_USERS, "add users")?;
    if !login.is_valid() {
        return Err(Error::invalid("login", Problem::Login));
    }
    let previous_role = role_of(db, login)?;
    if previous_role == Some(role) {
        return Ok(());
    }
    if previous_role == Some(Role::Admin) {
        let admins: i64 = db.one(
            "SELECT count(*) FROM users WHERE role = 'admin'",
            args![],
            |r| r.get(0),
        )?;
        if admins <= 1 {
            return Err(Error::refused(Refusal::LastAdmin {
                login: login.to_string(),
            }));
        }
    }
    append(
        db,
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

/// Records `login`'s IIN (an admin's act, in the journal): a certificate
/// the login imports must name it (issue 19).
pub fn set_iin(ctx: &Context, login: &Login, iin: &str) -> Result<()> {
    let Context { actor, at, law, .. } = *ctx;
    let db: &dyn Sql = ctx.tx;
    let actor = actor.as_str();
    require_role(db, actor, may::ADD_USERS, "set a login's IIN")?;
    if role_of(db, login)?.is_none() {
        return Err(Error::NotFound(Missing::User(login.to_string())));
    }
    let iin = iin.trim();
    match crate::rules::ids::validate_bin_iin(iin, law.calendar.local_date(at)) {
        Ok(crate::rules::ids::BinIinKind::Iin) => {}
        Ok(crate::rules::ids::BinIinKind::Bin) => {
            return Err(Error::invalid("iin", Problem::BinNotIin(iin.to_string())));
        }
        Err(e) => {
            return Err(Error::invalid(
                "iin",
                Problem::Id {
                    value: iin.to_string(),
                    why: e,
                },
            ));
        }
    }
    append(
        db,
        at,
        actor,
        &Event::UserIinSet {
            login: login.to_string(),
            iin: iin.to_string(),
        },
    )?;
    Ok(())
}

fn next_number(db: &dyn Sql, prefix: &str, year: i32) -> Result<String> {
    let counter = format!("{prefix}-{year}");
    let n: i64 = db
        .row(
            "SELECT value FROM counters WHERE name = ?1",
            args![counter],
            |r| r.get(0),
        )?
        .unwrap_or(0);
    Ok(format!("{counter}-{:06}", n + 1))
}

/// Registers a validated application; returns the case number. The
/// registration day follows §8 (after hours → next working day).
pub fn register_application(ctx: &Context, application: Application) -> Result<String> {
    register_case(ctx, application, false)
}

/// As [`register_application`], for `tizilim demo`: the case is journaled
/// as synthetic, which is how the demo later knows a register holds nothing
/// but its own cases (`read::queries::cases_not_from_demo`).
pub fn register_synthetic_application(ctx: &Context, application: Application) -> Result<String> {
    register_case(ctx, application, true)
}

fn register_case(ctx: &Context, application: Application, synthetic: bool) -> Result<String> {
    let Context {
        law,
        actor,
        at: now,
        ..
    } = *ctx;
    let db: &dyn Sql = ctx.tx;
    let actor = actor.as_str();
    require_role(db, actor, may::REGISTER, "register applications")?;
    if application.received_at > now {
        return Err(Error::invalid("received_at", Problem::InFuture));
    }
    let registered_on = law
        .calendar
        .registration_day(application.received_at)
        .map_err(|e| Error::invalid("received_at", Problem::Rules(e.into())))?;
    law.rules
        .edition_on(registered_on)
        .map_err(|e| Error::invalid("received_at", Problem::Rules(e)))?;
    let received_on = law.calendar.local_date(application.received_at);
    let missing = application.missing_documents(received_on);
    let number = next_number(db, "ABK", registered_on.year())?;
    append(
        db,
        now,
        actor,
        &Event::CaseRegistered {
            number: number.clone(),
            registered_on,
            missing,
            application,
            synthetic,
        },
    )?;
    Ok(number)
}

/// A case number as users type it (`abk-2026-001418`) in the register's form.
pub fn canonical_number(s: &str) -> String {
    s.trim().to_ascii_uppercase()
}

/// An `Err` of the action table (`"§12: …"`) as a refusal naming its rule.
fn refusal(e: workflow::NotAllowed) -> Error {
    Error::refused(Refusal::Workflow(e))
}

/// Who last changed `subject`, and when (Almaty time), from the journal.
fn last_change(db: &dyn Sql, law: &Law, subject: &str) -> Result<(String, String)> {
    let row: Option<(String, String)> = db.row(
        "SELECT actor, at FROM journal WHERE subject = ?1 ORDER BY seq DESC LIMIT 1",
        args![subject],
        |r| Ok((r.get(0)?, r.get(1)?)),
    )?;
    let (by, at) = row.unwrap_or_else(|| ("unknown".into(), String::new()));
    let at = DateTime::parse_from_rfc3339(&at)
        .map(|t| {
            t.with_timezone(&law.rules.office.zone)
                .format("%d.%m.%Y %H:%M")
                .to_string()
        })
        .unwrap_or(at);
    Ok((by, at))
}

/// What a service needs to know about a case before acting on it.
struct CaseNow {
    id: i64,
    kind: CaseKind,
    stage: Stage,
    miner_id: i64,
    /// The day the review started: registration, or the day it was reopened.
    review_from: NaiveDate,
    facts: crate::rules::CaseFacts,
    hearing_at: Option<DateTime<Utc>>,
    hearing_held_on: Option<NaiveDate>,
    grounds: Option<String>,
    missing: Vec<String>,
}

/// The case as it stands, checked against the version the caller saw: one
/// read of its row (issue 18: the clock facts and the hearing's day were
/// read from it again, three look-ups a decision).
fn case_now(db: &dyn Sql, law: &Law, number: &str, expected: Option<i64>) -> Result<CaseNow> {
    struct Row {
        id: i64,
        kind: String,
        stage: String,
        version: i64,
        miner_id: i64,
        hearing_at: Option<String>,
        grounds: Option<String>,
        missing: String,
        registered_on: NaiveDate,
        hearing_notice_on: Option<NaiveDate>,
        changed_on: Option<NaiveDate>,
        reopened_on: Option<NaiveDate>,
        hearing_held_on: Option<NaiveDate>,
    }
    let row: Option<Row> = db.row(
        "SELECT id, kind, stage, version, miner_id, hearing_at, grounds, missing,
                registered_on, hearing_notice_on, changed_on, reopened_on, hearing_held_on
             FROM cases WHERE number = ?1",
        args![number],
        |r| {
            Ok(Row {
                id: r.get(0)?,
                kind: r.get(1)?,
                stage: r.get(2)?,
                version: r.get(3)?,
                miner_id: r.get(4)?,
                hearing_at: r.get(5)?,
                grounds: r.get(6)?,
                missing: r.get(7)?,
                registered_on: r.get(8)?,
                hearing_notice_on: r.get(9)?,
                changed_on: r.get(10)?,
                reopened_on: r.get(11)?,
                hearing_held_on: r.get(12)?,
            })
        },
    )?;
    let row = row.ok_or_else(|| Error::NotFound(Missing::Case(number.to_string())))?;
    if let Some(expected) = expected
        && expected != row.version
    {
        let (by, at) = last_change(db, law, number)?;
        return Err(Error::Stale {
            subject: number.to_string(),
            version: row.version,
            expected,
            by,
            at,
        });
    }
    let parse_at = |s: String| {
        DateTime::parse_from_rfc3339(&s)
            .map(|t| t.with_timezone(&Utc))
            .map_err(|e| Error::Corrupt(format!("{number}: hearing_at {s:?}: {e}")))
    };
    let kind = CaseKind::parse(&row.kind)
        .ok_or_else(|| Error::Corrupt(format!("{number}: kind {}", row.kind)))?;
    let stage = Stage::parse(&row.stage)
        .ok_or_else(|| Error::Corrupt(format!("{number}: stage {}", row.stage)))?;
    let facts = crate::rules::CaseFacts {
        kind,
        stage,
        registered_on: row.registered_on,
        hearing_notice_on: row.hearing_notice_on,
        changed_on: row.changed_on,
        reopened_on: row.reopened_on,
    };
    Ok(CaseNow {
        id: row.id,
        kind,
        stage,
        miner_id: row.miner_id,
        review_from: facts.reopened_on.unwrap_or(facts.registered_on),
        facts,
        hearing_at: row.hearing_at.map(parse_at).transpose()?,
        hearing_held_on: row.hearing_held_on,
        grounds: row.grounds,
        missing: serde_json::from_str(&row.missing)?,
    })
}

/// Refuses unless the actor's role and the case's stage allow `action`.
fn may_act(db: &dyn Sql, actor: &str, case: &CaseNow, action: Action) -> Result<()> {
    require_role(db, actor, workflow::roles(action), action.as_str())?;
    workflow::case_allows(case.kind, case.stage, action).map_err(refusal)
}

/// The legal date of an act: `on` (default: today in Almaty), not in the
/// future, not before `earliest`, and a working day (the provider acts on
/// working days, Appendix 5).
fn legal_date(
    law: &Law,
    on: Option<NaiveDate>,
    at: DateTime<Utc>,
    field: &str,
    earliest: NaiveDate,
    earliest_is: Since,
) -> Result<NaiveDate> {
    let today = law.calendar.local_date(at);
    let day = on.unwrap_or(today);
    if day > today {
        return Err(Error::invalid(field, Problem::FutureDay { day, today }));
    }
    if day < earliest {
        return Err(Error::invalid(
            field,
            Problem::BeforeEarliest {
                day,
                since: earliest_is,
                earliest,
            },
        ));
    }
    let working = law
        .calendar
        .is_working(day)
        .map_err(|e| Error::invalid(field, Problem::Rules(e.into())))?;
    if !working {
        return Err(Error::invalid(field, Problem::NotWorkingDay(day)));
    }
    Ok(day)
}

/// Free text typed by a clerk or copied from a letter: cleaned like applicant
/// text (no control or direction characters, NFC), line by line when
/// `multiline`, at most `max` characters.
fn clean_text(field: &str, s: &str, max: usize, multiline: bool) -> Result<String> {
    let bad = |m: crate::rules::text::TextError| Error::invalid(field, Problem::Text(m));
    let text = if multiline {
        if s.len() > max * 4 {
            return Err(Error::invalid(field, Problem::TooLong(max)));
        }
        let lines: Vec<String> = s
            .replace("\r\n", "\n")
            .split('\n')
            .map(|l| crate::rules::text::clean(l, max))
            .collect::<std::result::Result<_, _>>()
            .map_err(bad)?;
        let joined = lines.join("\n").trim().to_string();
        if joined.chars().count() > max {
            return Err(Error::invalid(field, Problem::TooLong(max)));
        }
        joined
    } else {
        crate::rules::text::clean(s, max).map_err(bad)?
    };
    if text.is_empty() {
        return Err(Error::invalid(field, Problem::Empty));
    }
    Ok(text)
}

const MAX_PLACE: usize = 300;

/// §11–§12: the preliminary decision to refuse and the hearing notice.
#[derive(Debug, Clone)]
pub struct HearingNotice {
    pub case: CaseNumber,
    pub expected_version: Option<i64>,
    /// The day the notice is sent (default: today).
    pub sent_on: Option<NaiveDate>,
    pub hearing_at: DateTime<Utc>,
    pub place: String,
    /// Appendix 5 ground numbers (1–6).
    pub grounds: Vec<u8>,
    /// The clerk's reasoning.
    pub reason: String,
    /// Why the act comes after its clock's last day (required then; §9–§20,
    /// issue 20: a late act is on the record with its reason).
    pub late_reason: Option<String>,
}

pub use crate::rules::{hearing_due, hearing_notice_due};

/// Sends the preliminary decision to refuse with the hearing notice, and
/// issues it as a signed document of its own series (`HRN-YYYY-NNNNNN`) in
/// the same transaction; returns the notice's number.
pub fn notify_hearing(
    ctx: &Context,
    issuer: &dyn NoticeIssuer,
    req: &HearingNotice,
) -> Result<String> {
    let Context { law, actor, at, .. } = *ctx;
    let db: &dyn Sql = ctx.tx;
    let actor = actor.as_str();
    let number = canonical_number(&req.case);
    let case = case_now(db, law, &number, req.expected_version)?;
    may_act(db, actor, &case, Action::NotifyHearing)?;
    check_signer(db, actor, issuer.signer(), law.calendar.local_date(at))?;
    let grounds = law
        .grounds
        .check(case.facts.registered_on, &req.grounds)
        .map_err(|m| Error::invalid("grounds", Problem::Grounds(m)))?;
    if grounds.is_empty() {
        return Err(Error::invalid("grounds", Problem::NoGround));
    }
    let reason = clean_text("reason", &req.reason, MAX_REASON, true)?;
    let place = clean_text("place", &req.place, MAX_PLACE, false)?;
    let earliest = match case.hearing_held_on {
        Some(h) if case.stage == Stage::HearingHeld => (h, Since::Hearing),
        _ => (case.review_from, Since::Registration),
    };
    let sent_on = legal_date(law, req.sent_on, at, "sent_on", earliest.0, earliest.1)?;
    if let Some(last) = hearing_notice_due(law, &case.facts)?
        && sent_on > last
    {
        return Err(Error::refused(Refusal::NoticeDue { last }));
    }
    let cal = &law.calendar;
    let hearing_day = cal.local_date(req.hearing_at);
    let latest = hearing_due(law, &case.facts, sent_on)?;
    if hearing_day <= sent_on {
        return Err(Error::invalid(
            "hearing_at",
            Problem::HearingBeforeNotice(sent_on),
        ));
    }
    if hearing_day > latest {
        return Err(Error::refused(Refusal::HearingTooLate { latest, sent_on }));
    }
    let office = law.rules.office;
    let local = req.hearing_at.with_timezone(&office.zone).time();
    let working = cal
        .is_working(hearing_day)
        .map_err(|e| Error::invalid("hearing_at", Problem::Rules(e.into())))?;
    if !working || !office.receives_at(local) {
        return Err(Error::invalid(
            "hearing_at",
            Problem::OfficeHours {
                day: hearing_day,
                time: local.format("%H:%M").to_string(),
                opens: office.opens.format("%H:%M").to_string(),
                closes: office.closes.format("%H:%M").to_string(),
                lunch_from: office.lunch.0.format("%H:%M").to_string(),
                lunch_to: office.lunch.1.format("%H:%M").to_string(),
            },
        ));
    }
    terms::ending_from(
        ctx,
        terms::On::Case(&number),
        &terms::Facts::Case(case.facts),
        sent_on,
        req.late_reason.as_deref(),
        true,
        || {
            append(
                db,
                at,
                actor,
                &Event::HearingNotified {
                    case: number.clone(),
                    sent_on,
                    hearing_at: req.hearing_at,
                    place,
                    grounds: Vec::new(),
                    ground_nos: grounds,
                    reason: Some(reason),
                },
            )
        },
    )?;
    let notice = next_number(db, "HRN", sent_on.year())?;
    issuer.issue_hearing(db, law, actor, at, &number, &notice)
}

/// §12: how the hearing went.
#[derive(Debug, Clone)]
pub struct HearingRecord {
    pub case: CaseNumber,
    pub expected_version: Option<i64>,
    pub outcome: HearingOutcome,
    /// The applicant's position as stated (or sent in writing).
    pub position: Option<String>,
    /// The day of the hearing (default: today).
    pub on: Option<NaiveDate>,
    /// Why the act comes after its clock's last day (required then; §9–§20,
    /// issue 20: a late act is on the record with its reason).
    pub late_reason: Option<String>,
}

pub fn record_hearing(ctx: &Context, req: &HearingRecord) -> Result<()> {
    let Context { law, actor, at, .. } = *ctx;
    let db: &dyn Sql = ctx.tx;
    let actor = actor.as_str();
    let number = canonical_number(&req.case);
    let case = case_now(db, law, &number, req.expected_version)?;
    may_act(db, actor, &case, Action::RecordHearing)?;
    let hearing_at = case
        .hearing_at
        .ok_or_else(|| Error::Corrupt(format!("{number}: notified without a hearing time")))?;
    let hearing_day = law.calendar.local_date(hearing_at);
    if at < hearing_at {
        return Err(Error::refused(Refusal::HearingNotYet {
            at: hearing_at
                .with_timezone(&law.rules.office.zone)
                .format("%d.%m.%Y %H:%M")
                .to_string(),
        }));
    }
    let on = legal_date(law, req.on, at, "on", hearing_day, Since::HearingDate)?;
    let position = req
        .position
        .as_deref()
        .filter(|p| !p.trim().is_empty())
        .map(|p| clean_text("position", p, MAX_REASON, true))
        .transpose()?;
    terms::ending_from(
        ctx,
        terms::On::Case(&number),
        &terms::Facts::Case(case.facts),
        on,
        req.late_reason.as_deref(),
        false,
        || {
            append(
                db,
                at,
                actor,
                &Event::HearingHeld {
                    case: number.clone(),
                    held_on: on,
                    outcome: req.outcome,
                    position,
                },
            )
        },
    )?;
    Ok(())
}

/// §9, §13, §14, §15: the decision that closes a case.
#[derive(Debug, Clone)]
pub struct Decision {
    pub case: CaseNumber,
    pub expected_version: Option<i64>,
    /// `Include`, `Exclude`, `Amend` or `Refuse`.
    pub action: Action,
    /// Appendix 5 grounds of a refusal after a hearing (default: those of the
    /// preliminary decision).
    pub grounds: Vec<u8>,
    /// The clerk's reasoning; required for a refusal (for §9 it defaults to
    /// what the package lacks).
    pub reason: Option<String>,
    /// The decision's date (default: today).
    pub on: Option<NaiveDate>,
    /// Why the act comes after its clock's last day (required then; §9–§20,
    /// issue 20: a late act is on the record with its reason).
    pub late_reason: Option<String>,
}

pub use super::read::queries::{Conflict, conflicts};

/// The register entry holding a serial, as an exclusion or an amendment
/// (§14–§15) finds it.
#[derive(Debug, Clone, PartialEq)]
pub struct IncludedEntry {
    pub entry_no: i64,
    /// The miner whose case included it.
    pub miner_id: i64,
    /// Brand, model, hashrate, power, declaration and condition: the
    /// `before` an amendment journals (the same bytes on both engines).
    pub particulars: serde_json::Value,
}

/// The entry holding `serial` now, if any.
pub fn included_entry(db: &dyn Sql, serial: &str) -> Result<Option<IncludedEntry>> {
    match db.engine() {
        // The particulars as SQLite's own JSON, as the register has always
        // journaled them.
        Engine::Sqlite => db.row(
            "SELECT u.entry_no, c.miner_id, json_object('brand', u.brand, 'model', u.model,
                            'hashrate_ths', u.hashrate_ths, 'power_kw', u.power_kw,
                            'declaration_no', u.declaration_no, 'condition', u.condition)
                         FROM units u JOIN cases c ON c.id = u.case_id
                         WHERE u.serial = ?1 AND u.status = 'included'",
            args![serial],
            |r| {
                let v: String = r.get(2)?;
                Ok(IncludedEntry {
                    entry_no: r.get(0)?,
                    miner_id: r.get(1)?,
                    particulars: serde_json::from_str(&v).unwrap_or_default(),
                })
            },
        ),
        // PostgreSQL writes its reals otherwise (`100`, not `100.0`): the
        // same object is built here, each real as SQLite's text reads back,
        // so the journal holds the same bytes on both engines.
        Engine::Postgres => db.row(
            "SELECT u.entry_no, c.miner_id, u.brand, u.model, u.hashrate_ths, u.power_kw,
                    u.declaration_no, u.condition
             FROM units u JOIN cases c ON c.id = u.case_id
             WHERE u.serial = ?1 AND u.status = 'included'",
            args![serial],
            |r| {
                let (Some(hashrate), Some(power)) =
                    (sqlite_json_real(r.get(4)?), sqlite_json_real(r.get(5)?))
                else {
                    // SQLite's JSON of a non-finite real does not read back.
                    return Ok(IncludedEntry {
                        entry_no: r.get(0)?,
                        miner_id: r.get(1)?,
                        particulars: serde_json::Value::Null,
                    });
                };
                let mut o = serde_json::Map::new();
                o.insert("brand".into(), r.get::<String>(2)?.into());
                o.insert("model".into(), r.get::<String>(3)?.into());
                o.insert("hashrate_ths".into(), hashrate);
                o.insert("power_kw".into(), power);
                o.insert("declaration_no".into(), r.get::<Option<String>>(6)?.into());
                o.insert("condition".into(), r.get::<String>(7)?.into());
                Ok(IncludedEntry {
                    entry_no: r.get(0)?,
                    miner_id: r.get(1)?,
                    particulars: serde_json::Value::Object(o),
                })
            },
        ),
    }
}

/// A real as SQLite's `json_object` writes it (`%!0.17g`: 17 significant
/// digits, fewer where a shorter number reads back as the same real, at
/// least one digit after the point) and serde_json reads that text back;
/// `None` for a non-finite real (SQLite's text of it is no JSON number).
fn sqlite_json_real(x: f64) -> Option<serde_json::Value> {
    serde_json::from_str(&sqlite_real_text(x)?).ok()
}

/// The text of [`sqlite_json_real`].
fn sqlite_real_text(x: f64) -> Option<String> {
    if !x.is_finite() {
        return None;
    }
    if x == 0.0 {
        return Some("0.0".into());
    }
    let sign = if x < 0.0 { "-" } else { "" };
    let a = x.abs();
    // SQLite decodes the real as an integer of 18 or 19 digits, its value
    // times 10^p with p from the binary exponent (sqlite3Fp2Convert10),
    // then rounds that to 17 digits half up: both roundings as it does.
    let bits = a.to_bits();
    let biased = i32::try_from((bits >> 52) & 0x7ff).ok()?;
    let e2 = if biased == 0 {
        let fraction = bits & ((1u64 << 52) - 1);
        -1074 - i32::try_from(fraction.leading_zeros()).ok()?
    } else {
        biased - 1086
    };
    let p = 17 - (((e2 + 63) * 78_913) >> 18);
    let exponent = |t: &str| -> Option<i32> { t.split_once('e')?.1.parse().ok() };
    // The decimal exponent of `a` (a ≈ d.ddd × 10^e10).
    let e10 = exponent(&format!("{a:.30e}"))?;
    let k = usize::try_from(e10 + p + 1)
        .ok()
        .filter(|k| (1..=40).contains(k))?;
    let rounded = format!("{a:.*e}", k - 1);
    let mut z: Vec<u8> = rounded
        .split_once('e')?
        .0
        .bytes()
        .filter(u8::is_ascii_digit)
        .collect();
    if exponent(&rounded)? != e10 {
        // Rounded up to the next power of ten: one digit more.
        z.push(b'0');
    }
    let n = i32::try_from(z.len()).ok()?;
    // The position of the decimal point: the value is 0.z × 10^dp.
    let mut dp = n - p;
    let as_int = |d: &[u8]| d.iter().fold(0u64, |v, c| v * 10 + u64::from(c - b'0'));
    let reads_back = |v: u64, p: i32| format!("{v}e{p}").parse::<f64>().ok() == Some(a);
    // SQLite's two shortenings of the 17 digits (sqlite3FpDecode): a run
    // of nines rounded up, a run of zeros dropped, each only if the
    // shorter number reads back as the same real.
    let mut keep = z.len();
    if z.len() > 17 {
        keep = 17;
        if z[15] == b'9' && z[14] == b'9' {
            let mut jj = 14;
            while jj > 0 && z[jj - 1] == b'9' {
                jj -= 1;
            }
            let v2 = if jj == 0 { 1 } else { as_int(&z[..jj]) + 1 };
            if reads_back(v2, dp - jj as i32) {
                keep = jj + 1;
            }
        } else if dp >= n || (z[15] == b'0' && z[14] == b'0' && z[13] == b'0') {
            let mut jj = 13;
            while z[jj - 1] == b'0' {
                jj -= 1;
            }
            if reads_back(as_int(&z[..jj]), dp - jj as i32) {
                keep = jj + 1;
            }
        }
    }
    // Rounded half up at the first digit dropped.
    let mut digits: Vec<u8> = z[..keep].to_vec();
    if keep < z.len() && z[keep] >= b'5' {
        let mut j = keep;
        loop {
            if j == 0 {
                digits.insert(0, b'1');
                dp += 1;
                break;
            }
            j -= 1;
            if digits[j] == b'9' {
                digits[j] = b'0';
            } else {
                digits[j] += 1;
                break;
            }
        }
    }
    while digits.len() > 1 && digits.last() == Some(&b'0') {
        digits.pop();
    }
    let digits = String::from_utf8(digits).ok()?;
    let e = dp - 1;
    let text = if !(-4..=16).contains(&e) {
        let (first, rest) = digits.split_at(1);
        let rest = if rest.is_empty() { "0" } else { rest };
        let (es, ea) = if e < 0 { ('-', -e) } else { ('+', e) };
        format!("{sign}{first}.{rest}e{es}{ea:02}")
    } else if dp <= 0 {
        format!("{sign}0.{}{digits}", "0".repeat((-dp) as usize))
    } else if dp as usize >= digits.len() {
        format!("{sign}{digits}{}.0", "0".repeat(dp as usize - digits.len()))
    } else {
        let (int, frac) = digits.split_at(dp as usize);
        format!("{sign}{int}.{frac}")
    };
    Some(text)
}

/// Decides the case and issues its signed notice (Appendices 6–8) in the same
/// transaction; `signer` is the actor's own registered key.
pub fn decide(ctx: &Context, issuer: &dyn NoticeIssuer, req: &Decision) -> Result<String> {
    let Context { law, actor, at, .. } = *ctx;
    let db: &dyn Sql = ctx.tx;
    let actor = actor.as_str();
    let number = canonical_number(&req.case);
    let case = case_now(db, law, &number, req.expected_version)?;
    if !matches!(
        req.action,
        Action::Include | Action::Exclude | Action::Amend | Action::Refuse
    ) {
        return Err(Error::invalid("decision", Problem::NotADecision));
    }
    may_act(db, actor, &case, req.action)?;
    let key = signer_key(db, actor, issuer.signer(), law.calendar.local_date(at))?;
    let (earliest, earliest_is) = match case.hearing_held_on {
        Some(h) if case.stage == Stage::HearingHeld => (h, Since::Hearing),
        _ => (case.review_from, Since::Registration),
    };
    let issued_on = legal_date(law, req.on, at, "on", earliest, earliest_is)?;
    let outcome = match (req.action, case.stage) {
        (Action::Include, _) => Outcome::Included,
        (Action::Exclude, _) => Outcome::Excluded,
        (Action::Amend, _) => Outcome::Amended,
        (_, Stage::Incomplete) => Outcome::RefusedIncomplete,
        _ => Outcome::Refused,
    };
    key_may_sign(&key, outcome)?;
    let mut ground_nos = Vec::new();
    let mut reason = None;
    match outcome {
        Outcome::RefusedIncomplete => {
            ground_nos = law
                .grounds
                .check(case.facts.registered_on, &req.grounds)
                .map_err(|m| Error::invalid("grounds", Problem::Grounds(m)))?;
            // Without the clerk's words the notice states what the package
            // lacks from the case's codes, in its own language (no English
            // text is stored for it).
            reason = match req.reason.as_deref().filter(|r| !r.trim().is_empty()) {
                Some(r) => Some(clean_text("reason", r, MAX_REASON, true)?),
                None if case.missing.is_empty() => {
                    return Err(Error::invalid("reason", Problem::NothingMissing));
                }
                None => None,
            };
        }
        Outcome::Refused => {
            let preliminary: Vec<u8> = case
                .grounds
                .as_deref()
                .and_then(|g| serde_json::from_str(g).ok())
                .unwrap_or_default();
            let given = if req.grounds.is_empty() {
                &preliminary
            } else {
                &req.grounds
            };
            ground_nos = law
                .grounds
                .check(case.facts.registered_on, given)
                .map_err(|m| Error::invalid("grounds", Problem::Grounds(m)))?;
            if ground_nos.is_empty() {
                return Err(Error::invalid("grounds", Problem::RefusalNeedsGround));
            }
            // §11: the refusal rests only on grounds the applicant was heard
            // on (a register from before ground numbers has none to check).
            let new: Vec<String> = ground_nos
                .iter()
                .filter(|g| !preliminary.is_empty() && !preliminary.contains(g))
                .map(u8::to_string)
                .collect();
            if !new.is_empty() {
                let list = |g: &[u8]| g.iter().map(u8::to_string).collect::<Vec<_>>().join(", ");
                return Err(Error::GroundNotNoticed {
                    case: number.clone(),
                    new: new.join(", "),
                    noticed: list(&preliminary),
                });
            }
            let r = req.reason.as_deref().unwrap_or("");
            if r.trim().is_empty() {
                return Err(Error::invalid("reason", Problem::RefusalNeedsReasons));
            }
            reason = Some(clean_text("reason", r, MAX_REASON, true)?);
        }
        _ => {
            if let Some(r) = req.reason.as_deref().filter(|r| !r.trim().is_empty()) {
                reason = Some(clean_text("reason", r, MAX_REASON, true)?);
            }
        }
    }
    let prefix = match outcome {
        Outcome::Included => "INC",
        Outcome::Excluded => "EXC",
        Outcome::Amended => "AMD",
        Outcome::Refused | Outcome::RefusedIncomplete => "REF",
    };
    if outcome == Outcome::Included {
        // §9 (issue 21): the ownership proof on file and in force on the
        // decision's day, whatever the stage says (a §9 refusal reversed by
        // a complaint, a proof expired since registration).
        let missing = missing_on(db, case.id, case.kind, issued_on)?;
        if !missing.is_empty() {
            return Err(Error::IncompletePackage {
                case: number.clone(),
                missing: missing.join(", "),
                on: ddmmyyyy(issued_on),
            });
        }
    }
    let decision_no = next_number(db, prefix, issued_on.year())?;
    let mut entries = Vec::new();
    let mut changes = Vec::new();
    match outcome {
        Outcome::Included => {
            if let Some(c) = conflicts(db, case.id)?.into_iter().next() {
                return Err(Error::refused(Refusal::SerialConflict {
                    field: c.field.to_string(),
                    serial: c.serial.to_string(),
                    entry_no: c.entry_no,
                    case: c.case.to_string(),
                    miner: c.miner.to_string(),
                    bin_iin: c.bin_iin.to_string(),
                }));
            }
            let (units, last): (i64, i64) = db.one(
                "SELECT (SELECT count(*) FROM units WHERE case_id = ?1),
                        coalesce((SELECT value FROM counters WHERE name = 'entry'), 0)",
                args![case.id],
                |r| Ok((r.get(0)?, r.get(1)?)),
            )?;
            entries = (last + 1..=last + units).collect();
        }
        Outcome::Excluded | Outcome::Amended => {
            let items: Vec<(i64, String, String)> = db.rows(
                "SELECT idx, serial, wording FROM case_items WHERE case_id = ?1 ORDER BY idx",
                args![case.id],
                |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)),
            )?;
            for (idx, serial, wording) in items {
                let found = included_entry(db, &serial)?;
                let field = format!("units[{idx}].serial");
                let Some(IncludedEntry {
                    entry_no,
                    miner_id: owner,
                    particulars: before,
                }) = found
                else {
                    return Err(Error::refused(Refusal::NotIncluded {
                        outcome,
                        field,
                        serial,
                    }));
                };
                if owner != case.miner_id {
                    return Err(Error::refused(Refusal::OtherMiner {
                        outcome,
                        field,
                        serial,
                        entry_no,
                    }));
                }
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
    terms::ending_from(
        ctx,
        terms::On::Case(&number),
        &terms::Facts::Case(case.facts),
        issued_on,
        req.late_reason.as_deref(),
        false,
        || {
            append(
                db,
                at,
                actor,
                &Event::DecisionIssued {
                    case: number.clone(),
                    outcome,
                    number: decision_no.clone(),
                    issued_on,
                    grounds: Vec::new(),
                    ground_nos,
                    reason,
                    entries,
                    changes,
                },
            )
        },
    )?;
    issuer.issue(db, law, actor, at, &decision_no)?;
    Ok(decision_no)
}

/// §17: a complaint against a decision, action or inaction on a case.
#[derive(Debug, Clone)]
pub struct ComplaintFiling {
    pub case: CaseNumber,
    /// The case version the user saw (lodging does not change the case).
    pub expected_version: Option<i64>,
    pub addressed_to: ComplaintBody,
    pub text: String,
    /// When it was received (default: now).
    pub received_at: Option<DateTime<Utc>>,
}

pub fn lodge_complaint(ctx: &Context, req: &ComplaintFiling) -> Result<String> {
    let Context { law, actor, at, .. } = *ctx;
    let db: &dyn Sql = ctx.tx;
    let actor = actor.as_str();
    let number = canonical_number(&req.case);
    let case = case_now(db, law, &number, req.expected_version)?;
    may_act(db, actor, &case, Action::LodgeComplaint)?;
    let received_at = req.received_at.unwrap_or(at);
    if received_at > at {
        return Err(Error::invalid("received_at", Problem::InFuture));
    }
    let case_received: String = db.one(
        "SELECT received_at FROM cases WHERE id = ?1",
        args![case.id],
        |r| r.get(0),
    )?;
    if received_at.to_rfc3339() < case_received {
        // (both RFC 3339 in UTC: they compare as text)
        return Err(Error::invalid("received_at", Problem::BeforeApplication));
    }
    let text = clean_text("text", &req.text, MAX_REASON, true)?;
    let registered_on = law
        .calendar
        .registration_day(received_at)
        .map_err(|e| Error::invalid("received_at", Problem::Rules(e.into())))?;
    let complaint = next_number(db, "CMP", registered_on.year())?;
    append(
        db,
        at,
        actor,
        &Event::ComplaintLodged {
            number: complaint.clone(),
            case: number,
            addressed_to: req.addressed_to,
            received_at,
            registered_on,
            text,
        },
    )?;
    Ok(complaint)
}

struct ComplaintNow {
    case: String,
    to: ComplaintBody,
    status: ComplaintStatus,
    facts: crate::rules::ComplaintFacts,
}

fn complaint_now(
    db: &dyn Sql,
    law: &Law,
    number: &str,
    expected: Option<i64>,
) -> Result<ComplaintNow> {
    let version: Option<i64> = db.row(
        "SELECT version FROM complaints WHERE number = ?1",
        args![number],
        |r| r.get(0),
    )?;
    let version = version.ok_or_else(|| Error::NotFound(Missing::Complaint(number.to_string())))?;
    if let Some(expected) = expected
        && expected != version
    {
        let (by, at) = last_change(db, law, number)?;
        return Err(Error::Stale {
            subject: number.to_string(),
            version,
            expected,
            by,
            at,
        });
    }
    let row = super::read::queries::complaint_clock_facts(db, number)?
        .ok_or_else(|| Error::NotFound(Missing::Complaint(number.to_string())))?;
    Ok(ComplaintNow {
        case: row.case,
        to: row.facts.addressed_to,
        status: row.facts.status,
        facts: row.facts,
    })
}

fn may_handle(db: &dyn Sql, actor: &str, c: &ComplaintNow, action: ComplaintAction) -> Result<()> {
    require_role(
        db,
        actor,
        workflow::complaint_roles(action),
        action.as_str(),
    )?;
    workflow::complaint_allows(c.to, c.status, action).map_err(refusal)
}

/// The §18 forwarding term of a complaint: the last day to forward it (or to
/// grant it in full instead).
fn forward_due(law: &Law, c: &ComplaintNow) -> Result<Option<NaiveDate>> {
    for rule in law.rules.complaint_rules(&c.facts)? {
        if rule.starts == crate::rules::clocks::Start::ComplaintRegistration && c.to.forwarded_to()
        {
            return Ok(law
                .rules
                .complaint_span(&law.calendar, rule, &c.facts)?
                .map(|s| s.due));
        }
    }
    Ok(None)
}

/// §18: forward a complaint with the case to the complaint body it is
/// addressed to (§17: the quality-control body, the superior
/// administrative body or the official).
#[derive(Debug, Clone)]
pub struct ComplaintForwarding {
    pub complaint: CaseNumber,
    pub expected_version: Option<i64>,
    pub on: Option<NaiveDate>,
    /// Why the act comes after its clock's last day (required then; §9–§20,
    /// issue 20: a late act is on the record with its reason).
    pub late_reason: Option<String>,
}

pub fn forward_complaint(ctx: &Context, req: &ComplaintForwarding) -> Result<()> {
    let Context { law, actor, at, .. } = *ctx;
    let db: &dyn Sql = ctx.tx;
    let actor = actor.as_str();
    let number = canonical_number(&req.complaint);
    let c = complaint_now(db, law, &number, req.expected_version)?;
    may_handle(db, actor, &c, ComplaintAction::Forward)?;
    let on = legal_date(
        law,
        req.on,
        at,
        "on",
        c.facts.registered_on,
        Since::ComplaintRegistered,
    )?;
    terms::ending_from(
        ctx,
        terms::On::Complaint(&number),
        &terms::Facts::Complaint {
            case: c.case.clone(),
            facts: c.facts,
        },
        on,
        req.late_reason.as_deref(),
        false,
        || {
            append(
                db,
                at,
                actor,
                &Event::ComplaintForwarded {
                    number: number.clone(),
                    forwarded_on: on,
                },
            )
        },
    )?;
    Ok(())
}

/// §18–§20: how a complaint ended.
#[derive(Debug, Clone)]
pub struct ComplaintDecision {
    pub complaint: CaseNumber,
    pub expected_version: Option<i64>,
    pub outcome: ComplaintOutcome,
    pub reason: String,
    pub on: Option<NaiveDate>,
    /// Why the act comes after its clock's last day (required then; §9–§20,
    /// issue 20: a late act is on the record with its reason).
    pub late_reason: Option<String>,
}

/// What deciding a complaint did.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ComplaintDecided {
    /// The written decision's number (`CDN-YYYY-NNNNNN`).
    pub decision: String,
    /// §18: the favourable act a full grant by the provider took (its
    /// decision and notice number).
    pub act: Option<String>,
    /// A favourable decision sent a refused case back to review.
    pub reopened: bool,
}

/// Decides a complaint and issues the written decision (§17–§20: signed,
/// its own series) in the same transaction. A full grant by the provider
/// itself (§18–§19: not forwarded) takes the favourable act: the inclusion,
/// exclusion or change applied for, with its signed notice, after reopening
/// a refused case. Any other favourable outcome on a refused case reopens it.
pub fn decide_complaint(
    ctx: &Context,
    issuer: &dyn NoticeIssuer,
    req: &ComplaintDecision,
) -> Result<ComplaintDecided> {
    let Context { law, actor, at, .. } = *ctx;
    let db: &dyn Sql = ctx.tx;
    let actor = actor.as_str();
    let number = canonical_number(&req.complaint);
    let c = complaint_now(db, law, &number, req.expected_version)?;
    may_handle(db, actor, &c, ComplaintAction::Decide)?;
    check_signer(db, actor, issuer.signer(), law.calendar.local_date(at))?;
    let earliest = c.facts.forwarded_on.unwrap_or(c.facts.registered_on);
    let on = legal_date(law, req.on, at, "on", earliest, Since::ComplaintFiled)?;
    if c.to.forwarded_to() && c.status == ComplaintStatus::Received {
        // §18: the provider may only grant it in full, within the forwarding term.
        let due = forward_due(law, &c)?;
        let due_words = due.map_or_else(String::new, ddmmyyyy);
        if req.outcome != ComplaintOutcome::Granted {
            return Err(Error::GrantOnly {
                complaint: number,
                due: due_words,
            });
        }
        if let Some(due) = due
            && on > due
        {
            return Err(Error::GrantTermOver {
                complaint: number,
                due: due_words,
            });
        }
    }
    let reason = clean_text("reason", &req.reason, MAX_REASON, true)?;
    terms::ending_from(
        ctx,
        terms::On::Complaint(&number),
        &terms::Facts::Complaint {
            case: c.case.clone(),
            facts: c.facts,
        },
        on,
        req.late_reason.as_deref(),
        false,
        || {
            append(
                db,
                at,
                actor,
                &Event::ComplaintDecided {
                    number: number.clone(),
                    decided_on: on,
                    outcome: req.outcome,
                    reason: Some(reason),
                },
            )
        },
    )?;
    let case = case_now(db, law, &c.case, None)?;
    let refused = matches!(case.stage, Stage::Refused | Stage::RefusedIncomplete);
    // §18: granting in full instead of forwarding (or, §19, a complaint
    // addressed to the provider) is the favourable act itself, not a fresh
    // review after which the provider could refuse again.
    let by_provider = c.facts.forwarded_on.is_none();
    let in_full = req.outcome == ComplaintOutcome::Granted && by_provider;
    // A full grant against the preliminary decision annuls it (§18).
    let annuls = in_full && case.stage == Stage::HearingNotified;
    let mut reopened = false;
    if (req.outcome.favourable() && refused) || annuls {
        // §9 (issue 21): completeness is checked again on the day it is
        // reopened; a package still lacking its proof goes back to
        // `incomplete` (its §9 clock counting from that day).
        let missing = missing_on(db, case.id, case.kind, on)?;
        append(
            db,
            at,
            actor,
            &Event::CaseReopened {
                case: c.case.clone(),
                complaint: number.clone(),
                reopened_on: on,
                missing,
            },
        )?;
        reopened = true;
    }
    let favourable_act = match case.kind {
        CaseKind::Inclusion => Action::Include,
        CaseKind::Exclusion => Action::Exclude,
        CaseKind::Change => Action::Amend,
    };
    // Where the case stands now (reopened: under review, or incomplete
    // again, §9).
    let stage_now = if reopened {
        case_now(db, law, &c.case, None)?.stage
    } else {
        case.stage
    };
    let mut act = None;
    if in_full && workflow::case_allows(case.kind, stage_now, favourable_act).is_ok() {
        let decision = Decision {
            case: CaseNumber::new(&c.case),
            expected_version: None,
            action: favourable_act,
            grounds: Vec::new(),
            reason: Some(format!("§18: complaint {number} granted in full")),
            on: Some(on),
            late_reason: req.late_reason.clone(),
        };
        act = Some(decide(ctx, issuer, &decision)?);
    }
    let written = next_number(db, "CDN", on.year())?;
    let decision =
        issuer.issue_complaint_decision(db, law, actor, at, &number, &written, act.as_deref())?;
    Ok(ComplaintDecided {
        decision,
        act,
        reopened,
    })
}

/// Registers the certificate of `signer` (the actor's own, already checked
/// against the trust store by whoever opened it), valid from today; only a
/// login that may decide signs. `p12` is the signer's own .p12 file, whose
/// path (never its content) the register remembers.
pub fn register_key(
    ctx: &Context,
    signer: &dyn crate::sign::Signer,
    name: &str,
    position: Position,
    p12: Option<&str>,
) -> Result<String> {
    let Context { law, actor, at, .. } = *ctx;
    let db: &dyn Sql = ctx.tx;
    let actor = actor.as_str();
    require_role(
        db,
        actor,
        workflow::roles(Action::Include),
        "sign documents",
    )?;
    if signer.login() != actor {
        return Err(Error::invalid("key", Problem::KeyOwnLogin));
    }
    if signer.certificate_der().is_none() {
        return Err(Error::invalid("key", Problem::NeedsCertificate));
    }
    let fingerprint = signer.fingerprint();
    let known: Option<String> = db.row(
        "SELECT login FROM signing_keys WHERE fingerprint = ?1",
        args![fingerprint],
        |r| r.get(0),
    )?;
    if known.is_some() {
        return Err(Error::invalid("key", Problem::KeyRegistered(fingerprint)));
    }
    use base64::Engine;
    append(
        db,
        at,
        actor,
        &Event::KeyRegistered {
            login: actor.to_string(),
            algorithm: signer.algorithm().to_string(),
            public_key: base64::engine::general_purpose::STANDARD.encode(signer.public_key()),
            fingerprint: fingerprint.clone(),
            name: clean_text("name", name, 200, false)?,
            position: position.as_str().to_string(),
            valid_from: law.calendar.local_date(at),
            p12: p12.map(str::to_string),
        },
    )?;
    Ok(fingerprint)
}

/// Revokes a key from today: it signs nothing new; what it signed verifies.
/// Its owner or an admin may.
pub fn revoke_key(ctx: &Context, fingerprint: &str) -> Result<()> {
    let Context { law, actor, at, .. } = *ctx;
    let db: &dyn Sql = ctx.tx;
    let actor = actor.as_str();
    let row: Option<(String, Option<NaiveDate>)> = db.row(
        "SELECT login, revoked_on FROM signing_keys WHERE fingerprint = ?1",
        args![fingerprint],
        |r| Ok((r.get(0)?, r.get(1)?)),
    )?;
    let (owner, revoked) =
        row.ok_or_else(|| Error::NotFound(Missing::Key(fingerprint.to_string())))?;
    if owner != actor {
        require_role(db, actor, may::ADD_USERS, "revoke another login's key")?;
    }
    if let Some(r) = revoked {
        return Err(Error::invalid("key", Problem::AlreadyRevoked(r)));
    }
    append(
        db,
        at,
        actor,
        &Event::KeyRevoked {
            fingerprint: fingerprint.to_string(),
            revoked_on: law.calendar.local_date(at),
        },
    )?;
    Ok(())
}

/// The message an admin signs to seal the journal's head (the earlier
/// format's seals: `tizilim-seal/1`).
pub fn seal_message(head_seq: i64, head_hash: &str) -> Vec<u8> {
    format!("tizilim-seal/1\n{head_seq}\n{head_hash}").into_bytes()
}

/// `audit seal`: an admin signs the journal's head as a detached CMS over
/// [`seal_message`] with the admin's certificate; the seal is journaled too.
/// Returns (head seq, head hash, signature base64).
pub fn seal(ctx: &Context, signer: &dyn crate::sign::Signer) -> Result<(i64, String, String)> {
    let Context { law, actor, at, .. } = *ctx;
    let db: &dyn Sql = ctx.tx;
    let actor = actor.as_str();
    require_role(db, actor, may::ADD_USERS, "seal the journal")?;
    check_signer(db, actor, signer, law.calendar.local_date(at))?;
    let (head_seq, head_hash): (i64, String) = db.one(
        "SELECT seq, hash FROM journal ORDER BY seq DESC LIMIT 1",
        args![],
        |r| Ok((r.get(0)?, r.get(1)?)),
    )?;
    use base64::Engine;
    let signature = base64::engine::general_purpose::STANDARD.encode(
        signer
            .sign(&seal_message(head_seq, &head_hash))
            .map_err(|e| Error::refused(Refusal::Signing(e.to_string())))?,
    );
    append(
        db,
        at,
        actor,
        &Event::SealRecorded {
            head_seq,
            head_hash: head_hash.clone(),
            signer: actor.to_string(),
            fingerprint: signer.fingerprint(),
            signature: signature.clone(),
        },
    )?;
    Ok((head_seq, head_hash, signature))
}

/// A decree that makes a day working or a day off, added to this register's calendar.
pub fn amend_calendar(ctx: &Context, date: NaiveDate, working: bool, act: &str) -> Result<()> {
    let Context {
        law,
        actor,
        at: now,
        ..
    } = *ctx;
    let db: &dyn Sql = ctx.tx;
    let actor = actor.as_str();
    require_role(db, actor, may::AMEND_CALENDAR, "amend the calendar")?;
    law.calendar
        .is_working(date)
        .map_err(|e| Error::invalid("date", Problem::Rules(e.into())))?;
    if act.trim().is_empty() {
        return Err(Error::invalid("act", Problem::NoDecree));
    }
    append(
        db,
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

/// §16: the provider informed the e-government operator and the unified
/// contact centre of a change of the law (admins). It ends the change's
/// clock on the record like any act; after its last day only with a reason.
pub fn law_informed(
    ctx: &Context,
    change: &str,
    on: Option<NaiveDate>,
    late_reason: Option<&str>,
) -> Result<()> {
    let Context { law, actor, at, .. } = *ctx;
    let db: &dyn Sql = ctx.tx;
    let actor = actor.as_str();
    require_role(
        db,
        actor,
        may::ADD_USERS,
        "record that a change of the law was informed of",
    )?;
    let changes = super::read::law::changes(db, law)?;
    let wanted = change.trim().to_ascii_uppercase();
    let Some(c) = changes.iter().find(|c| c.change == wanted) else {
        let open: Vec<String> = changes
            .iter()
            .filter(|c| c.informed_on.is_none())
            .map(|c| c.change.clone())
            .collect();
        return Err(Error::invalid(
            "change",
            Problem::NoSuchChange { wanted, open },
        ));
    };
    if let Some(d) = c.informed_on {
        return Err(Error::refused(Refusal::AlreadyInformed {
            change: c.change.clone(),
            on: d,
        }));
    }
    let on = legal_date(law, on, at, "on", c.took_effect, Since::Change)?;
    let span = law
        .rules
        .inform_egov_due(&law.calendar, c.took_effect)?
        .ok_or_else(|| Error::Corrupt("rules.toml: no §16 clock".into()))?;
    let rule = law.rules.rule(c.took_effect, "inform_egov")?;
    let reason = terms::late_reason_given(late_reason)?;
    let late_wd = terms::lateness(ctx, &rule.rule, span.due, on, reason.as_ref())?;
    append(
        db,
        at,
        actor,
        &Event::LawInformed {
            change: c.change.clone(),
            informed_on: on,
        },
    )?;
    append(
        db,
        at,
        actor,
        &Event::TermEnded {
            case: c.change.clone(),
            complaint: None,
            clock: rule.id,
            rule: rule.rule.clone(),
            due: span.due,
            done_on: on,
            late_wd,
            reason: if late_wd > 0 { reason } else { None },
        },
    )?;
    Ok(())
}

/// The documents on file for a case: those filed with it and those attached
/// since (`case attach`).
fn case_documents(db: &dyn Sql, case_id: i64) -> Result<Vec<super::model::Document>> {
    let rows: Vec<(String, String, Option<NaiveDate>)> = db.rows(
        "SELECT kind, name, valid_until FROM documents WHERE case_id = ?1 ORDER BY idx",
        args![case_id],
        |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)),
    )?;
    rows.into_iter()
        .map(|(kind, name, valid_until)| {
            Ok(super::model::Document {
                kind: DocumentKind::parse(&kind)
                    .ok_or_else(|| Error::Corrupt(format!("document {name}: kind {kind}")))?,
                name,
                valid_until,
            })
        })
        .collect()
}

/// What a case's package lacks on `on` (§9), as the codes the register
/// stores (`ownership_proof`, `ownership_proof:expired:2025-04-30`).
pub fn missing_on(
    db: &dyn Sql,
    case_id: i64,
    kind: CaseKind,
    on: NaiveDate,
) -> Result<Vec<String>> {
    let docs = case_documents(db, case_id)?;
    Ok(super::model::missing_in(kind, &docs, on)
        .iter()
        .map(super::model::Missing::code)
        .collect())
}

/// `case attach` (issue 21): a document added to a case after registration.
/// The file is kept in the register (`attachments`, by SHA-256); the
/// journal row names its SHA-256 and size.
#[derive(Debug, Clone)]
pub struct Attachment {
    pub case: CaseNumber,
    pub expected_version: Option<i64>,
    pub kind: DocumentKind,
    pub name: String,
    pub number: Option<String>,
    pub valid_until: Option<NaiveDate>,
    /// The file (read by the face, at most 16 MiB: `sign::read_named_file`).
    pub content: Vec<u8>,
    /// The day it was received (default: today).
    pub on: Option<NaiveDate>,
}

const MAX_DOC_NAME: usize = 200;

/// Attaches a document; returns what the package still lacks. An incomplete
/// case it completes goes to review (§10's clock then runs from
/// registration, or from reopening, as before).
pub fn attach_document(ctx: &Context, req: &Attachment) -> Result<Vec<String>> {
    let Context { law, actor, at, .. } = *ctx;
    let db: &dyn Sql = ctx.tx;
    let actor = actor.as_str();
    require_role(db, actor, may::REGISTER, "attach documents")?;
    let number = canonical_number(&req.case);
    let case = case_now(db, law, &number, req.expected_version)?;
    let name = clean_text("name", &req.name, MAX_DOC_NAME, false)?;
    if req.content.is_empty() {
        return Err(Error::EmptyFile { name });
    }
    let doc_no = req
        .number
        .as_deref()
        .filter(|n| !n.trim().is_empty())
        .map(|n| clean_text("number", n, 100, false))
        .transpose()?;
    let sha256 = {
        use sha2::{Digest, Sha256};
        hex::encode(Sha256::digest(&req.content))
    };
    let prior: Option<String> = db.row(
        "SELECT name FROM documents WHERE case_id = ?1 AND sha256 = ?2",
        args![case.id, sha256],
        |r| r.get(0),
    )?;
    if let Some(prior) = prior {
        return Err(Error::AlreadyAttached {
            case: number,
            sha256,
            name: prior,
        });
    }
    let today = law.calendar.local_date(at);
    let on = req.on.unwrap_or(today);
    if on > today {
        return Err(Error::invalid("on", Problem::FutureDay { day: on, today }));
    }
    if on < case.facts.registered_on {
        return Err(Error::invalid(
            "on",
            Problem::BeforeEarliest {
                day: on,
                since: Since::Registration,
                earliest: case.facts.registered_on,
            },
        ));
    }
    let missing = if case.stage == Stage::Incomplete {
        let mut docs = case_documents(db, case.id)?;
        docs.push(super::model::Document {
            kind: req.kind,
            name: name.clone(),
            valid_until: req.valid_until,
        });
        super::model::missing_in(case.kind, &docs, on)
            .iter()
            .map(super::model::Missing::code)
            .collect()
    } else {
        case.missing.clone()
    };
    // The same file on another case is kept once (by its SHA-256).
    db.execute(
        "INSERT INTO attachments (sha256, bytes) VALUES (?1, ?2)
         ON CONFLICT (sha256) DO NOTHING",
        args![sha256, req.content],
    )?;
    append(
        db,
        at,
        actor,
        &Event::DocumentAttached {
            case: number,
            doc_kind: req.kind,
            name,
            number: doc_no,
            valid_until: req.valid_until,
            sha256,
            size: req.content.len() as u64,
            attached_on: on,
            missing: missing.clone(),
        },
    )?;
    Ok(missing)
}

/// `doc delivered` (issue 21): how and when a notice reached the applicant.
#[derive(Debug, Clone)]
pub struct Delivery {
    pub notice: String,
    pub via: DeliveryVia,
    /// The day (default: today).
    pub on: Option<NaiveDate>,
}

/// Records a notice's delivery; returns its case.
pub fn record_delivery(ctx: &Context, req: &Delivery) -> Result<String> {
    let Context { law, actor, at, .. } = *ctx;
    let db: &dyn Sql = ctx.tx;
    let actor = actor.as_str();
    require_role(db, actor, may::REGISTER, "record deliveries")?;
    let notice = canonical_number(&req.notice);
    let row: Option<(String, NaiveDate)> = db.row(
        "SELECT c.number, n.issued_on FROM notices n JOIN cases c ON c.id = n.case_id
             WHERE n.number = ?1",
        args![notice],
        |r| Ok((r.get(0)?, r.get(1)?)),
    )?;
    let (case, issued_on) =
        row.ok_or_else(|| Error::NotFound(Missing::Notice(notice.to_string())))?;
    let today = law.calendar.local_date(at);
    let on = req.on.unwrap_or(today);
    if on > today {
        return Err(Error::invalid("on", Problem::FutureDay { day: on, today }));
    }
    if on < issued_on {
        return Err(Error::DeliveryBeforeIssue {
            notice,
            issued_on: ddmmyyyy(issued_on),
            on: ddmmyyyy(on),
        });
    }
    let prior: Option<NaiveDate> = db.row(
        "SELECT delivered_on FROM deliveries WHERE notice = ?1 AND via = ?2",
        args![notice, req.via.as_str()],
        |r| r.get(0),
    )?;
    if let Some(prior) = prior {
        return Err(Error::DeliveryRecorded {
            notice,
            via: req.via.as_str().to_string(),
            on: ddmmyyyy(prior),
        });
    }
    append(
        db,
        at,
        actor,
        &Event::NoticeDelivered {
            notice,
            case: case.clone(),
            via: req.via,
            on,
        },
    )?;
    Ok(case)
}

/// §9, second paragraph (issue 21): an incomplete package brought to the
/// office is refused at the desk. Nothing is registered; the refusal is on
/// the record (who, when, what was missing) with a receipt number
/// (`DSK-YYYY-NNNNNN`) printed for the applicant in `lang`. Returns the
/// receipt and what was missing.
pub fn refuse_at_desk(
    ctx: &Context,
    application: Application,
    lang: &str,
) -> Result<(String, Vec<String>)> {
    let Context { law, actor, at, .. } = *ctx;
    let db: &dyn Sql = ctx.tx;
    let actor = actor.as_str();
    require_role(db, actor, may::REGISTER, "refuse applications at the desk")?;
    if application.channel != crate::rules::Channel::Office {
        return Err(Error::NotAtDesk);
    }
    if application.received_at > at {
        return Err(Error::invalid("received_at", Problem::InFuture));
    }
    let received_on = law.calendar.local_date(application.received_at);
    let missing = application.missing_documents(received_on);
    if missing.is_empty() {
        return Err(Error::DeskComplete);
    }
    let receipt = next_number(db, "DSK", received_on.year())?;
    append(
        db,
        at,
        actor,
        &Event::DeskRefused {
            receipt: receipt.clone(),
            refused_on: received_on,
            missing: missing.clone(),
            lang: lang.to_string(),
            application,
        },
    )?;
    Ok((receipt, missing))
}

#[cfg(test)]
mod tests {
    use super::*;

    /// SQLite's JSON of `x` as `json_object` writes it in the register.
    fn sqlite_text(conn: &rusqlite::Connection, x: f64) -> String {
        conn.query_row("SELECT json_object('x', ?1)", [x], |r| r.get(0))
            .unwrap()
    }

    /// A unit's reals on PostgreSQL give the `before` of an amendment the
    /// bytes SQLite's `json_object` gives (§15; the journal is compared as
    /// bytes by the audit).
    #[test]
    fn reals_are_written_as_sqlite_writes_them() {
        let conn = rusqlite::Connection::open_in_memory().unwrap();
        let mut values = vec![
            0.0,
            -0.0,
            1.0,
            -1.0,
            100.0,
            13.5,
            49.47,
            0.1 + 0.2,
            1.0 / 3.0,
            2.0 / 3.0,
            1e16,
            1e17,
            1.2345e17,
            1e20,
            123_456_789_012_345_680.0,
            1.5e-7,
            0.000_123_4,
            0.001,
            1.0f64.next_down(),
            1e23,
            f64::MIN_POSITIVE,
            5e-324,
            f64::MAX,
            -f64::MAX,
        ];
        // Hashrates and powers as applicants give them (up to three decimals).
        for i in 0..50_000u32 {
            values.push(f64::from(i) * 0.007);
            values.push(f64::from(i) / 1000.0 + 90.0);
        }
        // Any real at all (xorshift over the bit patterns).
        let mut s = 0x9E37_79B9_7F4A_7C15u64;
        for _ in 0..200_000 {
            s ^= s << 13;
            s ^= s >> 7;
            s ^= s << 17;
            let x = f64::from_bits(s);
            if x.is_finite() {
                values.push(x);
            }
            // and reals of an ordinary size, with all their digits
            values.push((s >> 11) as f64 / (1u64 << 53) as f64 * 400.0);
        }
        let mut wrong = Vec::new();
        let mut outside = 0;
        for &x in &values {
            let want = sqlite_text(&conn, x);
            let got = format!("{{\"x\":{}}}", sqlite_real_text(x).unwrap());
            // Byte for byte where SQLite's powers of ten are exact (10^0 to
            // 10^26: any unit's hashrate or power); beyond, its 64-bit
            // approximations may move the 17th digit by one.
            if (1e-9..1e17).contains(&x.abs()) || x == 0.0 {
                if got != want {
                    wrong.push(format!("{x:e}: SQLite {want}, here {got}"));
                }
            } else {
                outside += 1;
                let read = |t: &str| -> f64 {
                    t.trim_start_matches("{\"x\":")
                        .trim_end_matches('}')
                        .parse()
                        .unwrap()
                };
                let (w, g) = (read(&want), read(&got));
                assert!(
                    w == g || w.next_up() == g || w.next_down() == g,
                    "{x:e}: SQLite {want}, here {got}"
                );
            }
        }
        assert!(outside > 100_000, "{outside}");
        assert!(
            wrong.is_empty(),
            "{} of {}: {:?}",
            wrong.len(),
            values.len(),
            &wrong[..wrong.len().min(10)]
        );
        // Read back, each is the value serde_json reads from SQLite's text.
        for &x in values.iter().step_by(97) {
            if !(1e-9..1e17).contains(&x.abs()) {
                continue;
            }
            let v: serde_json::Value = serde_json::from_str(&sqlite_text(&conn, x)).unwrap();
            assert_eq!(
                serde_json::to_string(&sqlite_json_real(x)).unwrap(),
                serde_json::to_string(&v["x"]).unwrap()
            );
        }
    }

    #[test]
    fn a_non_finite_real_has_no_json() {
        assert_eq!(sqlite_json_real(f64::INFINITY), None);
        assert_eq!(sqlite_json_real(f64::NAN), None);
    }
}
