//! Terms on the record (issue 20). An act that ends one of the Rules' clocks
//! (§9, §10, §12's notice and hearing, §14, §15, §18, §19, §20) leaves a
//! `term_ended` journal row beside its own: the clock, its last lawful day,
//! the act's legal date and, when the act came after that day, by how many
//! working days and the reason given. An act past its last day without a
//! reason is refused, naming the last lawful day.
//!
//! Which clocks an act ends is not listed per act: it is what the clock table
//! says. The clocks running on the case (or complaint) on the act's legal
//! date are read before the act and again after it; those that ran before
//! and run no more ended with it.

use chrono::NaiveDate;

use super::act::{Context, MAX_REASON};
use super::events::Event;
use super::journal::append;
use super::read::queries;
use super::{Error, Result};
use crate::rules::{ClockReading, ClockState};

/// What the clocks run on.
#[derive(Debug, Clone, Copy)]
pub enum On<'a> {
    Case(&'a str),
    Complaint(&'a str),
}

/// A clock running before or after an act, and whether it is advisory (a
/// last day to start something the provider may choose not to do: the §12
/// notice, needed only for a refusal).
#[derive(Debug, Clone)]
pub struct Running {
    pub reading: ClockReading,
    pub advisory: bool,
}

/// What the clocks of a case or a complaint are computed from, as read from
/// its row (with, for a complaint, the number of its case).
#[derive(Debug, Clone)]
pub enum Facts {
    Case(crate::rules::CaseFacts),
    Complaint {
        case: String,
        facts: crate::rules::ComplaintFacts,
    },
    /// No such complaint (no clock runs on it).
    None,
}

/// The facts the clocks on `on` run from, read now.
pub fn facts(ctx: &Context, on: On) -> Result<Facts> {
    Ok(match on {
        On::Case(number) => Facts::Case(queries::case_clock_facts(ctx.tx, number)?.facts),
        On::Complaint(number) => match queries::complaint_clock_facts(ctx.tx, number)? {
            Some(row) => Facts::Complaint {
                case: row.case,
                facts: row.facts,
            },
            None => Facts::None,
        },
    })
}

/// The clocks running on `on` as at `day`, before or after an act.
pub fn running(ctx: &Context, on: On, day: NaiveDate) -> Result<Vec<Running>> {
    running_from(ctx, &facts(ctx, on)?, day)
}

/// The clocks that `facts` (a case's or complaint's, as [`facts`] reads
/// them) make run as at `day`.
pub fn running_from(ctx: &Context, facts: &Facts, day: NaiveDate) -> Result<Vec<Running>> {
    let law = ctx.law;
    let mut out = Vec::new();
    let advisory: Vec<_> = match facts {
        Facts::Case(facts) => {
            law.rules.case_clocks(&law.calendar, facts, day, &mut out)?;
            law.rules
                .case_rules(facts)?
                .filter(|r| r.advisory)
                .map(|r| r.id)
                .collect()
        }
        Facts::Complaint { facts, .. } => {
            law.rules
                .complaint_clocks(&law.calendar, facts, day, &mut out)?;
            law.rules
                .complaint_rules(facts)?
                .filter(|r| r.advisory)
                .map(|r| r.id)
                .collect()
        }
        Facts::None => Vec::new(),
    };
    Ok(out
        .into_iter()
        .map(|reading| Running {
            advisory: advisory.contains(&reading.clock),
            reading,
        })
        .collect())
}

/// Runs an act (`journal`, which appends its journal rows) between the two
/// readings of the clocks on `on` as at `day`, and puts every clock it ended
/// on the record ([`record_ended`]).
pub fn ending<T>(
    ctx: &Context,
    on: On,
    day: NaiveDate,
    late_reason: Option<&str>,
    starts_advised: bool,
    journal: impl FnOnce() -> Result<T>,
) -> Result<T> {
    let before = facts(ctx, on)?;
    ending_from(ctx, on, &before, day, late_reason, starts_advised, journal)
}

/// As [`ending`], with the facts before the act already read by the caller
/// in the same transaction (a service reads its case's row once, issue 18).
pub fn ending_from<T>(
    ctx: &Context,
    on: On,
    before: &Facts,
    day: NaiveDate,
    late_reason: Option<&str>,
    starts_advised: bool,
    journal: impl FnOnce() -> Result<T>,
) -> Result<T> {
    let before = running_from(ctx, before, day)?;
    let out = journal()?;
    record_ended(ctx, on, before, day, late_reason, starts_advised)?;
    Ok(out)
}

/// After an act's journal row: journals every clock that ran `before` and
/// runs no more, as done on `done_on`. A clock past its last day needs
/// `late_reason` (the act is refused otherwise, and the caller's transaction
/// stores nothing). An advisory clock is on the record only when the act is
/// the one it was the last day for (`starts_advised`: the hearing notice);
/// ended by anything else it simply lapsed. Returns the terms recorded.
pub fn record_ended(
    ctx: &Context,
    on: On,
    before: Vec<Running>,
    done_on: NaiveDate,
    late_reason: Option<&str>,
    starts_advised: bool,
) -> Result<Vec<Event>> {
    let now = facts(ctx, on)?;
    let after = running_from(ctx, &now, done_on)?;
    let case = match (on, now) {
        (On::Case(n), _) => n.to_string(),
        (On::Complaint(_), Facts::Complaint { case, .. }) => case,
        (On::Complaint(n), _) => {
            return Err(Error::NotFound(super::reason::Missing::Complaint(
                n.to_string(),
            )));
        }
    };
    let complaint = match on {
        On::Complaint(n) => Some(n.to_string()),
        On::Case(_) => None,
    };
    let reason = late_reason_given(late_reason)?;
    let mut recorded = Vec::new();
    for Running {
        reading: ended,
        advisory,
    } in before.into_iter().filter(|b| {
        !after.iter().any(|a| a.reading.clock == b.reading.clock) && (!b.advisory || starts_advised)
    }) {
        // A clock whose last day falls in a year the calendar does not know
        // yet has no due day to judge the act by: nothing is put on the
        // record for it (the act itself is stored, never refused for that).
        let Some(due) = ended.due else {
            continue;
        };
        // A lapsed advisory clock (the §12 notice's last day) is no duty: the
        // act it would have started is refused on its own terms.
        let duty = !advisory && ended.state != ClockState::Lapsed;
        let late_wd = match duty {
            true => lateness(ctx, &ended.rule, due, done_on, reason.as_ref())?,
            false => 0,
        };
        let late = late_wd > 0;
        let event = Event::TermEnded {
            case: case.clone(),
            complaint: complaint.clone(),
            clock: ended.clock,
            rule: ended.rule,
            due,
            done_on,
            late_wd: if late { late_wd } else { 0 },
            reason: if late { reason.clone() } else { None },
        };
        append(ctx.tx, ctx.at, ctx.actor.as_str(), &event)?;
        recorded.push(event);
    }
    Ok(recorded)
}

/// The late reason as given: trimmed, checked as any text the register
/// keeps, `None` when empty.
/// Every act checks its reason whether or not it is late: the last reason
/// found clean is kept with its cleaned text, as a run of acts (the demo's)
/// gives the same one (issue 18).
pub fn late_reason_given(late_reason: Option<&str>) -> Result<Option<String>> {
    thread_local! {
        static LAST: std::cell::RefCell<Option<(String, String)>> =
            const { std::cell::RefCell::new(None) };
    }
    let Some(r) = late_reason.map(str::trim).filter(|r| !r.is_empty()) else {
        return Ok(None);
    };
    if let Some(clean) = LAST.with_borrow(|last| {
        last.as_ref()
            .filter(|(given, _)| given == r)
            .map(|(_, clean)| clean.clone())
    }) {
        return Ok(Some(clean));
    }
    let clean = crate::rules::text::clean(r, MAX_REASON)
        .map_err(|e| Error::invalid("late_reason", super::reason::Problem::Text(e)))?;
    LAST.set(Some((r.to_string(), clean.clone())));
    Ok(Some(clean))
}

/// Working days an act on `done_on` comes after its clock's last day `due`
/// (0 in time). Past that day it is taken only with a reason: without one it
/// is refused under `rule`, naming the last lawful day.
pub fn lateness(
    ctx: &Context,
    rule: &str,
    due: NaiveDate,
    done_on: NaiveDate,
    reason: Option<&String>,
) -> Result<i32> {
    if done_on <= due {
        return Ok(0);
    }
    let late_wd = ctx.law.calendar.working_days_between(due, done_on)?.max(1);
    if reason.is_none() {
        return Err(Error::refused(super::reason::Refusal::Late {
            rule: rule.to_string(),
            due,
            late: late_wd,
        }));
    }
    Ok(late_wd)
}
