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
}

#[derive(Debug, Deserialize)]
struct RulesFile {
    office: OfficeData,
    edition: Vec<Edition>,
}

/// The clock table in all its editions, and the office's hours.
#[derive(Debug, Clone)]
pub struct RulesBook {
    pub office: OfficeHours,
    pub office_source: String,
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
            ClockState::Lapsed => "lapsed",
        }
    }
}

/// One clock as it stands on a day. It owns its data (the clock's id, its
/// rule reference), so the console's state can keep readings across reloads.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ClockReading {
    pub clock: ClockId,
    pub rule: String,
    pub started: NaiveDate,
    pub due: NaiveDate,
    pub working_days_left: i32,
    pub state: ClockState,
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
            },
            office_source: file.office.source,
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

    /// Where a case's clock starts and ends; `None` if its start has not happened.
    pub fn case_span(
        &self,
        cal: &Calendar,
        rule: &ClockRule,
        facts: &CaseFacts,
    ) -> Result<Option<Span>, RulesError> {
        let start = match rule.starts {
            Start::Registration => Some(facts.reopened_on.unwrap_or(facts.registered_on)),
            Start::HearingNotice => facts.hearing_notice_on,
            Start::Change => facts.changed_on,
            _ => None,
        };
        let Some(started) = start else {
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
            if let Some(span) = self.case_span(cal, rule, facts)? {
                out.push(reading(cal, rule, span, today)?);
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

    pub fn complaint_span(
        &self,
        cal: &Calendar,
        rule: &ClockRule,
        facts: &ComplaintFacts,
    ) -> Result<Option<Span>, RulesError> {
        let start = match rule.starts {
            Start::ComplaintRegistration => Some(facts.registered_on),
            Start::ComplaintForwarded => facts.forwarded_on,
            _ => None,
        };
        let Some(started) = start else {
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
            if let Some(span) = self.complaint_span(cal, rule, facts)? {
                out.push(reading(cal, rule, span, today)?);
            }
        }
        Ok(())
    }

    /// §15: a change reported more than the allowed working days after it
    /// happened. Returns the last day the miner could report it, if late.
    pub fn change_reported_late(
        &self,
        cal: &Calendar,
        facts: &CaseFacts,
    ) -> Result<Option<NaiveDate>, RulesError> {
        for rule in self.case_rules(facts)? {
            if rule.starts == Start::Change
                && let Some(span) = self.case_span(cal, rule, facts)?
            {
                return Ok((facts.registered_on > span.due).then_some(span.due));
            }
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

/// How a clock with this span stands on `today`.
pub fn reading(
    cal: &Calendar,
    rule: &ClockRule,
    span: Span,
    today: NaiveDate,
) -> Result<ClockReading, RulesError> {
    let (mut state, left) = standing(cal, span.due, today)?;
    if rule.advisory && state == ClockState::Overdue {
        state = ClockState::Lapsed;
    }
    Ok(ClockReading {
        clock: rule.id,
        rule: rule.rule.clone(),
        started: span.started,
        due: span.due,
        working_days_left: left,
        state,
    })
}

/// State and working days left of a deadline on `today`. Overdue from the day
/// after the due date; then the count is negative (at least one day).
pub fn standing(
    cal: &Calendar,
    due: NaiveDate,
    today: NaiveDate,
) -> Result<(ClockState, i32), RulesError> {
    let left = cal.working_days_between(today, due)?;
    Ok(if today > due {
        (ClockState::Overdue, left.min(-1))
    } else if today == due {
        (ClockState::DueToday, 0)
    } else if left <= 1 {
        (ClockState::DueSoon, left)
    } else {
        (ClockState::Running, left)
    })
}
