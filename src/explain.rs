//! How each deadline of a case (or complaint) was counted, day by day: the
//! console's detail pane and `tizilim calendar explain` both read this.

use chrono::{DateTime, NaiveDate, Utc};
use serde::Serialize;

use crate::rules::calendar::{ExplainedDay, Receipt};
use crate::rules::clocks::{ClockId, ClockRule, Span, standing};
use crate::rules::{ClockState, Law, RulesBook, RulesError};
use crate::store::read::queries::{CaseClockRow, ComplaintClockRow};

#[derive(Debug, Serialize)]
pub struct Explanation {
    pub subject: String,
    pub receipt: Receipt,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub change_reported_late: Option<String>,
    pub clocks: Vec<ClockExplanation>,
}

#[derive(Debug, Serialize)]
pub struct ClockExplanation {
    pub clock: ClockId,
    pub rule: String,
    pub title: String,
    /// `running`, `not_running` (the case is not at a stage this clock runs in)
    /// or `not_started` (the event that starts it has not happened).
    pub status: &'static str,
    pub started: Option<NaiveDate>,
    pub due: Option<NaiveDate>,
    pub working_days_left: Option<i32>,
    pub state: Option<ClockState>,
    /// The first year the count needs and the calendar lacks: the due date
    /// (or, for a "today" past the data, the working days left) is not known.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub calendar_unpublished: Option<i32>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub counted_back_from: Option<String>,
    pub days: Vec<ExplainedDay>,
}

/// One clock of a case or complaint, counted day by day. `span` is the
/// clock's span as the rules give it (an error for a due date in a year whose
/// calendar is not yet published: the clock is then explained up to the
/// data's last day, its due date unknown), `started` the day it starts.
fn one(
    law: &Law,
    rule: &ClockRule,
    started: Option<NaiveDate>,
    span: Result<Option<Span>, RulesError>,
    running: bool,
    receipt: (DateTime<Utc>, NaiveDate),
    today: NaiveDate,
) -> Result<ClockExplanation, RulesError> {
    let not_started = || ClockExplanation {
        clock: rule.id,
        rule: rule.rule.clone(),
        title: rule.title.clone(),
        status: "not_started",
        started: None,
        due: None,
        working_days_left: None,
        state: None,
        calendar_unpublished: None,
        counted_back_from: None,
        days: Vec::new(),
    };
    let span = match span {
        Ok(Some(span)) => span,
        Ok(None) => return Ok(not_started()),
        Err(e) => {
            let (Some(year), Some(started)) = (e.unpublished_year(), started) else {
                return Err(e);
            };
            return unknown(law, rule, started, year, running, receipt);
        }
    };
    let (state, left, unpublished) = if running {
        let mut s = standing(&law.calendar, span.due, today)?;
        // An advisory clock (the §12 notice day) lapses; it is never overdue.
        if rule.advisory && s.state == ClockState::Overdue {
            s.state = ClockState::Lapsed;
        }
        (Some(s.state), s.working_days_left, s.calendar_unpublished)
    } else {
        (None, None, None)
    };
    let (received, registered) = receipt;
    let days = match &rule.before {
        // Counted back from another clock: show the days from its due date to the anchor's.
        Some(_) => law.calendar.explain_days(
            None,
            span.due,
            law.calendar
                .add_working_days(span.due, rule.working_days as i32)?,
        )?,
        // A clock that starts at registration shows the days from receipt on.
        None => law.calendar.explain_days(
            (span.started == registered).then_some(received),
            span.started,
            span.due,
        )?,
    };
    Ok(ClockExplanation {
        clock: rule.id,
        rule: rule.rule.clone(),
        title: rule.title.clone(),
        status: if running { "running" } else { "not_running" },
        started: Some(span.started),
        due: Some(span.due),
        working_days_left: left,
        state,
        calendar_unpublished: unpublished,
        counted_back_from: counted_back(rule),
        days,
    })
}

fn counted_back(rule: &ClockRule) -> Option<String> {
    rule.before.as_ref().map(|b| {
        format!(
            "{} working days before the due date of {b}",
            rule.working_days
        )
    })
}

/// A clock whose due date falls in `year`, whose calendar is not yet
/// published: its days counted up to the data's last day, no due date.
fn unknown(
    law: &Law,
    rule: &ClockRule,
    started: NaiveDate,
    year: i32,
    running: bool,
    receipt: (DateTime<Utc>, NaiveDate),
) -> Result<ClockExplanation, RulesError> {
    let (received, registered) = receipt;
    let days = match &rule.before {
        // Counted back from a due date not known yet: nothing to show.
        Some(_) => Vec::new(),
        None => law.calendar.explain_days(
            (started == registered).then_some(received),
            started,
            law.calendar.last_day(),
        )?,
    };
    Ok(ClockExplanation {
        clock: rule.id,
        rule: rule.rule.clone(),
        title: rule.title.clone(),
        status: if running { "running" } else { "not_running" },
        started: Some(started),
        due: None,
        working_days_left: None,
        state: running.then_some(ClockState::Unknown),
        calendar_unpublished: Some(year),
        counted_back_from: counted_back(rule),
        days,
    })
}

/// Every clock rule of a case or complaint (or only `only`), explained.
#[allow(clippy::too_many_arguments)]
fn explain_rules<'a>(
    law: &Law,
    rules: impl Iterator<Item = &'a ClockRule>,
    start_of: impl Fn(&ClockRule) -> Option<NaiveDate>,
    span_of: impl Fn(&ClockRule) -> Result<Option<Span>, RulesError>,
    stage: &str,
    receipt: (DateTime<Utc>, NaiveDate),
    only: Option<&str>,
    today: NaiveDate,
) -> Result<Vec<ClockExplanation>, RulesError> {
    rules
        .filter(|rule| only.is_none_or(|id| id == rule.id.as_str()))
        .map(|rule| {
            let running = rule.runs_in.iter().any(|s| s == stage);
            one(
                law,
                rule,
                start_of(rule),
                span_of(rule),
                running,
                receipt,
                today,
            )
        })
        .collect()
}

pub fn explain_case(
    law: &Law,
    row: &CaseClockRow,
    only: Option<&str>,
    today: NaiveDate,
) -> Result<Explanation, RulesError> {
    let receipt = law.calendar.receipt_note(row.received_at)?;
    let clocks = explain_rules(
        law,
        law.rules.case_rules(&row.facts)?,
        |rule| RulesBook::case_start(rule, &row.facts),
        |rule| law.rules.case_span(&law.calendar, rule, &row.facts),
        row.facts.stage.as_str(),
        (row.received_at, receipt.registered),
        only,
        today,
    )?;
    if let Some(id) = only
        && clocks.is_empty()
    {
        law.rules.rule(row.facts.registered_on, id)?;
    }
    // §15: the miner notifies within the term; the day the notice was
    // received counts, not the day it registers.
    let late = law
        .rules
        .change_reported_late(
            &law.calendar,
            &row.facts,
            law.calendar.local_date(row.received_at),
        )?
        .map(|last| {
            format!("§15: the change was reported late — the last day to report it was {last}")
        });
    Ok(Explanation {
        subject: format!(
            "case {} ({}, {})",
            row.number, row.facts.kind, row.facts.stage
        ),
        receipt,
        change_reported_late: late,
        clocks,
    })
}

pub fn explain_complaint(
    law: &Law,
    row: &ComplaintClockRow,
    only: Option<&str>,
    today: NaiveDate,
) -> Result<Explanation, RulesError> {
    let receipt = law.calendar.receipt_note(row.received_at)?;
    let clocks = explain_rules(
        law,
        law.rules.complaint_rules(&row.facts)?,
        |rule| RulesBook::complaint_start(rule, &row.facts),
        |rule| law.rules.complaint_span(&law.calendar, rule, &row.facts),
        row.facts.status.as_str(),
        (row.received_at, receipt.registered),
        only,
        today,
    )?;
    Ok(Explanation {
        subject: format!(
            "complaint {} on case {} (to {}, {})",
            row.number, row.case, row.facts.addressed_to, row.facts.status
        ),
        receipt,
        change_reported_late: None,
        clocks,
    })
}

/// The explanation as a clerk reads it.
pub fn render_text(e: &Explanation) -> String {
    use std::fmt::Write;
    let mut s = String::new();
    let _ = writeln!(s, "{}", e.subject);
    let _ = writeln!(
        s,
        "Received {}: {}; registered {}.",
        e.receipt.local, e.receipt.why, e.receipt.registered
    );
    if let Some(late) = &e.change_reported_late {
        let _ = writeln!(s, "{late}");
    }
    for c in &e.clocks {
        let _ = writeln!(s);
        let _ = writeln!(s, "{} {} — {}", c.rule, c.clock, c.title);
        match (c.started, c.due) {
            (Some(st), due) => {
                let unpublished = c
                    .calendar_unpublished
                    .map(|y| format!("calendar not yet published for {y}"));
                let standing = match (c.state, c.working_days_left) {
                    (Some(state), Some(left)) => {
                        let days = if left.abs() == 1 {
                            "working day"
                        } else {
                            "working days"
                        };
                        format!("{}, {left} {days} left", state.as_str())
                    }
                    (Some(state), None) => format!(
                        "{}, working days left unknown: {}",
                        state.as_str(),
                        unpublished.clone().unwrap_or_default()
                    ),
                    _ => "not running at this stage".to_string(),
                };
                match due {
                    Some(due) => {
                        let _ = writeln!(s, "  started {st}, due {due} ({standing})");
                    }
                    // The state is `unknown`: the missing year says why.
                    None => {
                        let _ = writeln!(
                            s,
                            "  started {st}, due unknown ({})",
                            unpublished.unwrap_or_default()
                        );
                    }
                }
                if let Some(back) = &c.counted_back_from {
                    let _ = writeln!(s, "  counted back: {back}");
                }
                for d in &c.days {
                    let mark = match (d.status, d.working_day) {
                        ("day_0", _) => "day 0".to_string(),
                        ("counted", Some(n)) => format!("day {n}"),
                        ("before_start", _) if d.date.to_string() == e.receipt.local[..10] => {
                            "received".to_string()
                        }
                        _ => "skipped".to_string(),
                    };
                    let _ = writeln!(s, "  {} {:<3} {:<8} {}", d.date, &d.weekday, mark, d.note);
                }
            }
            _ => {
                let _ = writeln!(s, "  not started");
            }
        }
    }
    s
}
