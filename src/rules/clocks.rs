//! The Rules' deadlines (`data/rules.toml`): which clocks a case or complaint
//! has, when each is due, and how it stands relative to a "now" that is always
//! an argument. Deadlines are derived from facts and the calendar, never stored.

use std::str::FromStr;

use chrono::{NaiveDate, NaiveTime};
use serde::{Deserialize, Serialize};

use super::calendar::{Calendar, CalendarError, OfficeHours};
use super::case::{CaseKind, ComplaintBody, ComplaintStatus, Stage};

pub const RULES_TOML: &str = include_str!("../../data/rules.toml");

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum RulesError {
    #[error(transparent)]
    Calendar(#[from] CalendarError),
    #[error("no edition of the Rules is in force on {0} (the earliest in data/rules.toml is {1})")]
    NoEdition(NaiveDate, NaiveDate),
    #[error("data/rules.toml: {0}")]
    Data(String),
    #[error("no clock {0:?} (known: {1})")]
    UnknownClock(String, String),
}

impl RulesError {
    /// The first year the calendar's data lack, when that is all that stops
    /// the count (see [`CalendarError::unpublished_year`]).
    pub fn unpublished_year(&self) -> Option<i32> {
        match self {
            RulesError::Calendar(e) => e.unpublished_year(),
            _ => None,
        }
    }
}

macro_rules! clock_ids {
    ($($(#[$vm:meta])* $variant:ident = $word:literal),+ $(,)?) => {
        /// The clocks of the Rules (`id` in `data/rules.toml`). Readings carry
        /// this id, not a string borrowed from the loaded table, so they own
        /// their data.
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
        #[serde(rename_all = "snake_case")]
        pub enum ClockId { $($(#[$vm])* $variant),+ }

        impl ClockId {
            pub const ALL: &'static [ClockId] = &[$(ClockId::$variant),+];

            /// The id in `data/rules.toml`, JSON and the CLI.
            pub fn as_str(self) -> &'static str {
                match self { $(ClockId::$variant => $word),+ }
            }

            pub fn parse(s: &str) -> Option<Self> {
                match s { $($word => Some(ClockId::$variant),)+ _ => None }
            }
        }

        /// Honours width and alignment (`{:<30}`), like the strings it replaced.
        impl std::fmt::Display for ClockId {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.pad(self.as_str())
            }
        }
    };
}

clock_ids! {
    /// §9: reasoned refusal of an incomplete package.
    RefuseIncomplete = "refuse_incomplete",
    /// §10: decide an inclusion application.
    DecideInclusion = "decide_inclusion",
    /// §12: last day to send the hearing notice (advisory).
    HearingNotice = "hearing_notice",
    /// §12: hold the hearing.
    HoldHearing = "hold_hearing",
    /// §14: decide an exclusion application.
    DecideExclusion = "decide_exclusion",
    /// §15: amend the register after a change notice.
    AmendRegister = "amend_register",
    /// §15: the miner reports a change (the miner's duty).
    ReportChange = "report_change",
    /// §16: inform the e-government operator of a change of the Rules.
    InformEgov = "inform_egov",
    /// §18: forward a complaint to the complaint body.
    ForwardComplaint = "forward_complaint",
    /// §19: decide a complaint addressed to the provider.
    DecideComplaintProvider = "decide_complaint_provider",
    /// §20: the quality-control body decides a complaint.
    DecideComplaintQualityBody = "decide_complaint_quality_body",
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Subject {
    Case,
    Complaint,
    RulesChange,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Start {
    Registration,
    HearingNotice,
    Change,
    ComplaintRegistration,
    ComplaintForwarded,
    RulesChange,
}

#[derive(Debug, Clone, Deserialize, Serialize)]
pub struct ClockRule {
    pub id: ClockId,
    pub rule: String,
    pub title: String,
    pub subject: Subject,
    pub starts: Start,
    pub working_days: u32,
    #[serde(default)]
    pub before: Option<ClockId>,
    #[serde(default)]
    pub case_kinds: Vec<CaseKind>,
    #[serde(default)]
    pub addressed_to: Vec<ComplaintBody>,
    #[serde(default)]
    pub runs_in: Vec<String>,
    /// A last day to *start* something the provider may choose not to do (the
    /// §12 hearing notice, needed only if refusing): shown, but it lapses
    /// instead of turning overdue, and the monitor does not count it.
    #[serde(default)]
    pub advisory: bool,
}

#[derive(Debug, Clone, Deserialize)]
pub struct Edition {
    #[serde(deserialize_with = "super::toml_date")]
    pub effective_from: NaiveDate,
    pub act: String,
    #[serde(rename = "clock")]
    pub clocks: Vec<ClockRule>,
}

#[derive(Debug, Deserialize)]
struct OfficeData {
    source: String,
    time_zone: String,
    opens: NaiveTime,
    closes: NaiveTime,
    lunch_from: NaiveTime,
    lunch_to: NaiveTime,
}

/// `[calendar]`: how long before the calendar's data end everyone is warned.
#[derive(Debug, Deserialize)]
struct CalendarData {
    source: String,
    warn_days_before_end: u32,
}

#[derive(Debug, Deserialize)]
struct RulesFile {
    office: OfficeData,
    calendar: CalendarData,
    edition: Vec<Edition>,
}

/// The clock table in all its editions, and the office's hours.
#[derive(Debug, Clone)]
pub struct RulesBook {
    pub office: OfficeHours,
    pub office_source: String,
    /// Calendar days before the last day of the calendar's data from which
    /// the faces warn that the next year must be added (`[calendar]`).
    pub calendar_warn_days: u32,
    pub calendar_warn_source: String,
    editions: Vec<Edition>,
}

/// Facts about a case that its clocks depend on.
#[derive(Debug, Clone, Copy)]
pub struct CaseFacts {
    pub kind: CaseKind,
    pub stage: Stage,
    pub registered_on: NaiveDate,
    pub hearing_notice_on: Option<NaiveDate>,
    pub changed_on: Option<NaiveDate>,
    /// The day a granted complaint reopened the case: the review clocks count
    /// afresh from it (§19–§20 then the provider decides again).
    pub reopened_on: Option<NaiveDate>,
}

/// Facts about a complaint that its clocks depend on.
#[derive(Debug, Clone, Copy)]
pub struct ComplaintFacts {
    pub addressed_to: ComplaintBody,
    pub status: ComplaintStatus,
    pub registered_on: NaiveDate,
    pub forwarded_on: Option<NaiveDate>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ClockState {
    Overdue,
    DueToday,
    DueSoon,
    Running,
    /// Running, but its due date falls in a year whose calendar is not yet
    /// published: neither the day nor the working days left can be counted.
    Unknown,
    /// An advisory clock whose day has passed (it is not a duty: never overdue).
    Lapsed,
}

impl ClockState {
    pub fn as_str(self) -> &'static str {
        match self {
            ClockState::Overdue => "overdue",
            ClockState::DueToday => "due_today",
            ClockState::DueSoon => "due_soon",
            ClockState::Running => "running",
            ClockState::Unknown => "unknown",
            ClockState::Lapsed => "lapsed",
        }
    }
}

/// One clock as it stands on a day. It owns its data (the clock's id, its
/// rule reference), so the console's state can keep readings across reloads.
///
/// Past the calendar's data a count is not guessed: a due date in a year
/// whose calendar is not yet published is `None` (state `Unknown`), and so is
/// the count of working days for a "today" past the data (a clock due within
/// them is then `Overdue` by a count not yet known); `calendar_unpublished`
/// names the first year missing.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ClockReading {
    pub clock: ClockId,
    pub rule: String,
    pub started: NaiveDate,
    pub due: Option<NaiveDate>,
    /// Working days after today up to the due date; when overdue, minus the
    /// working days since it (never above −1).
    pub working_days_left: Option<i32>,
    pub state: ClockState,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub calendar_unpublished: Option<i32>,
}

/// Where a clock starts and ends, whether or not it runs now.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Span {
    pub started: NaiveDate,
    pub due: NaiveDate,
}

impl RulesBook {
    /// The table shipped in `data/rules.toml`.
    pub fn embedded() -> Result<Self, RulesError> {
        Self::parse(RULES_TOML)
    }

    pub fn parse(text: &str) -> Result<Self, RulesError> {
        let file: RulesFile = toml::from_str(text).map_err(|e| RulesError::Data(e.to_string()))?;
        let o = &file.office;
        if !(o.opens < o.lunch_from && o.lunch_from < o.lunch_to && o.lunch_to < o.closes) {
            return Err(RulesError::Data(format!(
                "office: the lunch break {}–{} must fall inside the hours {}–{}",
                o.lunch_from, o.lunch_to, o.opens, o.closes
            )));
        }
        let zone = chrono_tz::Tz::from_str(&file.office.time_zone)
            .map_err(|e| RulesError::Data(format!("office.time_zone: {e}")))?;
        let mut editions = file.edition;
        editions.sort_by_key(|e| e.effective_from);
        if editions.is_empty() {
            return Err(RulesError::Data("no [[edition]]".into()));
        }
        for ed in &editions {
            for c in &ed.clocks {
                let stages_ok = c.runs_in.iter().all(|w| match c.subject {
                    Subject::Case => Stage::parse(w).is_some(),
                    Subject::Complaint => ComplaintStatus::parse(w).is_some(),
                    Subject::RulesChange => false,
                });
                if !stages_ok {
                    return Err(RulesError::Data(format!(
                        "clock {}: runs_in {:?} names an unknown stage",
                        c.id, c.runs_in
                    )));
                }
                if let Some(b) = &c.before
                    && !ed.clocks.iter().any(|o| o.id == *b && o.before.is_none())
                {
                    return Err(RulesError::Data(format!(
                        "clock {}: before = {b:?} names no plain clock of the same edition",
                        c.id
                    )));
                }
            }
        }
        Ok(RulesBook {
            office: OfficeHours {
                zone,
                opens: file.office.opens,
                closes: file.office.closes,
                lunch: (file.office.lunch_from, file.office.lunch_to),
            },
            office_source: file.office.source,
            calendar_warn_days: file.calendar.warn_days_before_end,
            calendar_warn_source: file.calendar.source,
            editions,
        })
    }

    pub fn editions(&self) -> &[Edition] {
        &self.editions
    }

    /// The day the Rules took effect: the earliest edition's
    /// `effective_from`. Nothing the register holds happened before it.
    pub fn in_force_from(&self) -> NaiveDate {
        self.editions[0].effective_from
    }

    /// The edition in force on a day (a case follows the one in force on its
    /// registration day).
    pub fn edition_on(&self, day: NaiveDate) -> Result<&Edition, RulesError> {
        let i = self.editions.partition_point(|e| e.effective_from <= day);
        if i == 0 {
            return Err(RulesError::NoEdition(day, self.editions[0].effective_from));
        }
        Ok(&self.editions[i - 1])
    }

    /// Every clock rule that applies to the case, running or not.
    pub fn case_rules<'a>(
        &'a self,
        facts: &CaseFacts,
    ) -> Result<impl Iterator<Item = &'a ClockRule> + 'a, RulesError> {
        let kind = facts.kind;
        Ok(self
            .edition_on(facts.registered_on)?
            .clocks
            .iter()
            .filter(move |c| c.subject == Subject::Case && c.case_kinds.contains(&kind)))
    }

    /// The day a case's clock starts; `None` if that has not happened.
    pub fn case_start(rule: &ClockRule, facts: &CaseFacts) -> Option<NaiveDate> {
        match rule.starts {
            Start::Registration => Some(facts.reopened_on.unwrap_or(facts.registered_on)),
            Start::HearingNotice => facts.hearing_notice_on,
            Start::Change => facts.changed_on,
            _ => None,
        }
    }

    /// Where a case's clock starts and ends; `None` if its start has not happened.
    pub fn case_span(
        &self,
        cal: &Calendar,
        rule: &ClockRule,
        facts: &CaseFacts,
    ) -> Result<Option<Span>, RulesError> {
        let Some(started) = Self::case_start(rule, facts) else {
            return Ok(None);
        };
        let n = rule.working_days as i32;
        let due = match &rule.before {
            Some(other) => {
                let edition = self.edition_on(facts.registered_on)?;
                let anchor = edition
                    .clocks
                    .iter()
                    .find(|c| c.id == *other)
                    .expect("checked at load");
                let Some(span) = self.case_span(cal, anchor, facts)? else {
                    return Ok(None);
                };
                cal.add_working_days(span.due, -n)?
            }
            None => cal.add_working_days(started, n)?,
        };
        Ok(Some(Span { started, due }))
    }

    /// One clock of a case as it stands on `today`, whether or not it runs at
    /// the case's stage; `None` if it has not started.
    pub fn case_reading(
        &self,
        cal: &Calendar,
        rule: &ClockRule,
        facts: &CaseFacts,
        today: NaiveDate,
    ) -> Result<Option<ClockReading>, RulesError> {
        let span = self.case_span(cal, rule, facts);
        read_span(cal, rule, Self::case_start(rule, facts), span, today)
    }

    /// The case's running clocks on `today`, appended to `out`.
    pub fn case_clocks(
        &self,
        cal: &Calendar,
        facts: &CaseFacts,
        today: NaiveDate,
        out: &mut Vec<ClockReading>,
    ) -> Result<(), RulesError> {
        let stage = facts.stage.as_str();
        for rule in self.case_rules(facts)? {
            if !rule.runs_in.iter().any(|s| s == stage) {
                continue;
            }
            if let Some(r) = self.case_reading(cal, rule, facts, today)? {
                out.push(r);
            }
        }
        Ok(())
    }

    /// Clock rules that apply to a complaint.
    pub fn complaint_rules<'a>(
        &'a self,
        facts: &ComplaintFacts,
    ) -> Result<impl Iterator<Item = &'a ClockRule> + 'a, RulesError> {
        let to = facts.addressed_to;
        Ok(self
            .edition_on(facts.registered_on)?
            .clocks
            .iter()
            .filter(move |c| c.subject == Subject::Complaint && c.addressed_to.contains(&to)))
    }

    /// The day a complaint's clock starts; `None` if that has not happened.
    pub fn complaint_start(rule: &ClockRule, facts: &ComplaintFacts) -> Option<NaiveDate> {
        match rule.starts {
            Start::ComplaintRegistration => Some(facts.registered_on),
            Start::ComplaintForwarded => facts.forwarded_on,
            _ => None,
        }
    }

    pub fn complaint_span(
        &self,
        cal: &Calendar,
        rule: &ClockRule,
        facts: &ComplaintFacts,
    ) -> Result<Option<Span>, RulesError> {
        let Some(started) = Self::complaint_start(rule, facts) else {
            return Ok(None);
        };
        let due = cal.add_working_days(started, rule.working_days as i32)?;
        Ok(Some(Span { started, due }))
    }

    /// The complaint's running clocks on `today`, appended to `out`.
    pub fn complaint_clocks(
        &self,
        cal: &Calendar,
        facts: &ComplaintFacts,
        today: NaiveDate,
        out: &mut Vec<ClockReading>,
    ) -> Result<(), RulesError> {
        let status = facts.status.as_str();
        for rule in self.complaint_rules(facts)? {
            if !rule.runs_in.iter().any(|s| s == status) {
                continue;
            }
            let span = self.complaint_span(cal, rule, facts);
            if let Some(r) = read_span(cal, rule, Self::complaint_start(rule, facts), span, today)?
            {
                out.push(r);
            }
        }
        Ok(())
    }

    /// §15: a change reported more than the allowed working days after it
    /// happened. Returns the last day the miner could report it, if late.
    ///
    /// The miner's duty is to *notify* within the term, so what counts is the
    /// day the notice was received (`received_on`, the office's local date),
    /// not the day it registers: a notice received at 19:00 on the last day
    /// registers the next working day (§8) and is in time.
    pub fn change_reported_late(
        &self,
        cal: &Calendar,
        facts: &CaseFacts,
        received_on: NaiveDate,
    ) -> Result<Option<NaiveDate>, RulesError> {
        for rule in self.case_rules(facts)? {
            if rule.starts != Start::Change {
                continue;
            }
            return match self.case_span(cal, rule, facts) {
                Ok(span) => Ok(span.and_then(|s| (received_on > s.due).then_some(s.due))),
                // The last day falls in a year whose calendar is not yet
                // published, so after the data's last day: a notice received
                // within the data is in time.
                Err(e) if e.unpublished_year().is_some() && received_on <= cal.last_day() => {
                    Ok(None)
                }
                Err(e) => Err(e),
            };
        }
        Ok(None)
    }

    /// §16: when the provider must have informed the e-government operator of
    /// an edition that took effect on `effective_from`.
    pub fn inform_egov_due(
        &self,
        cal: &Calendar,
        effective_from: NaiveDate,
    ) -> Result<Option<Span>, RulesError> {
        let edition = self.edition_on(effective_from)?;
        for rule in &edition.clocks {
            if rule.subject == Subject::RulesChange {
                let due = cal.add_working_days(effective_from, rule.working_days as i32)?;
                return Ok(Some(Span {
                    started: effective_from,
                    due,
                }));
            }
        }
        Ok(None)
    }

    /// Finds a clock rule by id in the edition in force on a day.
    pub fn rule(&self, day: NaiveDate, id: &str) -> Result<&ClockRule, RulesError> {
        let ed = self.edition_on(day)?;
        ed.clocks
            .iter()
            .find(|c| c.id.as_str() == id)
            .ok_or_else(|| {
                RulesError::UnknownClock(
                    id.to_string(),
                    ed.clocks
                        .iter()
                        .map(|c| c.id.as_str())
                        .collect::<Vec<_>>()
                        .join(", "),
                )
            })
    }
}

/// A clock's reading from its start and span (as `case_span` or
/// `complaint_span` gave it): `None` if it has not started; an `Unknown`
/// reading if its due date needs a calendar not yet published.
fn read_span(
    cal: &Calendar,
    rule: &ClockRule,
    started: Option<NaiveDate>,
    span: Result<Option<Span>, RulesError>,
    today: NaiveDate,
) -> Result<Option<ClockReading>, RulesError> {
    match span {
        Ok(Some(span)) => reading(cal, rule, span, today).map(Some),
        Ok(None) => Ok(None),
        Err(e) => match (e.unpublished_year(), started) {
            (Some(year), Some(started)) => Ok(Some(unknown(rule, started, year))),
            _ => Err(e),
        },
    }
}

/// A running clock whose due date falls in `year`, a year whose calendar is
/// not yet published.
pub fn unknown(rule: &ClockRule, started: NaiveDate, year: i32) -> ClockReading {
    ClockReading {
        clock: rule.id,
        rule: rule.rule.clone(),
        started,
        due: None,
        working_days_left: None,
        state: ClockState::Unknown,
        calendar_unpublished: Some(year),
    }
}

/// How a clock with this span stands on `today`.
pub fn reading(
    cal: &Calendar,
    rule: &ClockRule,
    span: Span,
    today: NaiveDate,
) -> Result<ClockReading, RulesError> {
    let mut s = standing(cal, span.due, today)?;
    if rule.advisory && s.state == ClockState::Overdue {
        s.state = ClockState::Lapsed;
    }
    Ok(ClockReading {
        clock: rule.id,
        rule: rule.rule.clone(),
        started: span.started,
        due: Some(span.due),
        working_days_left: s.working_days_left,
        state: s.state,
        calendar_unpublished: s.calendar_unpublished,
    })
}

/// How a deadline stands on a day.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Standing {
    pub state: ClockState,
    /// `None` when "today" is past the calendar's data (the count is not known).
    pub working_days_left: Option<i32>,
    /// The first year the calendar lacks, when the count needs it.
    pub calendar_unpublished: Option<i32>,
}

/// State and working days left of a deadline on `today`. Overdue from the day
/// after the due date; then the count is minus the working days since the due
/// date — the true count, so a clock three months late shows about −60 — and
/// never above −1 (a clock due on Friday is −1 on the Saturday after).
///
/// For a `today` past the calendar's data the clock is overdue (the due date is
/// within them), but by a count that needs the next year's calendar.
pub fn standing(cal: &Calendar, due: NaiveDate, today: NaiveDate) -> Result<Standing, RulesError> {
    let left = match cal.working_days_between(today, due) {
        Ok(left) => left,
        Err(e) => match e.unpublished_year() {
            Some(year) if today > due => {
                return Ok(Standing {
                    state: ClockState::Overdue,
                    working_days_left: None,
                    calendar_unpublished: Some(year),
                });
            }
            _ => return Err(e.into()),
        },
    };
    let state = if today > due {
        ClockState::Overdue
    } else if today == due {
        ClockState::DueToday
    } else if left <= 1 {
        ClockState::DueSoon
    } else {
        ClockState::Running
    };
    Ok(Standing {
        state,
        working_days_left: Some(match state {
            ClockState::Overdue => left.min(-1),
            ClockState::DueToday => 0,
            _ => left,
        }),
        calendar_unpublished: None,
    })
}
