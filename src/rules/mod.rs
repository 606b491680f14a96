//! The law as code: pure functions, no I/O, no clock of its own.
pub mod calendar;
pub mod case;
pub mod clocks;
pub mod grounds;
pub mod ids;
pub mod names;
pub mod regions;
pub mod text;
pub mod workflow;

pub use calendar::{Amendment, Calendar, CalendarError, TimeError};
pub use case::{
    CaseKind, Channel, ComplaintBody, ComplaintStatus, Condition, Outcome, Role, Stage, UnitStatus,
};
pub use clocks::{
    CaseFacts, ClockId, ClockReading, ClockState, ComplaintFacts, RulesBook, RulesError,
};
pub use names::{CaseNumber, Login, Position};

/// The calendar and the clock table together: everything needed to count.
#[derive(Debug, Clone)]
pub struct Law {
    pub calendar: Calendar,
    pub rules: RulesBook,
    /// The grounds for refusal of Appendix 5.
    pub grounds: grounds::GroundsBook,
}

impl Law {
    /// The shipped data plus the register's own calendar amendments.
    pub fn load(amendments: &[Amendment]) -> Result<Self, RulesError> {
        let rules = RulesBook::embedded()?;
        let calendar = Calendar::kazakhstan(rules.office, amendments)?;
        let grounds = grounds::GroundsBook::embedded()?;
        Ok(Law {
            calendar,
            rules,
            grounds,
        })
    }
}

/// What the faces say about the calendar's data on a day (`Law::calendar_warning`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum CalendarWarning {
    /// Within the warning period (`[calendar]` in data/rules.toml) before the
    /// data's last day: `year` must be added before it begins.
    EndsSoon {
        last_day: chrono::NaiveDate,
        year: i32,
    },
    /// Past the data's last day: the calendar for `year` is not yet published
    /// (clocks that need it read `unknown`).
    Unpublished { year: i32 },
}

impl Law {
    /// Whether `today` is within the warning period before the calendar's data
    /// end (from the day `[calendar] warn_days_before_end` calendar days before
    /// their last day), or past them; `None` while the data reach far enough.
    pub fn calendar_warning(&self, today: chrono::NaiveDate) -> Option<CalendarWarning> {
        let last_day = self.calendar.last_day();
        let year = self.calendar.years().1 + 1;
        if today > last_day {
            return Some(CalendarWarning::Unpublished { year });
        }
        let from = last_day - chrono::Days::new(u64::from(self.rules.calendar_warn_days));
        (today >= from).then_some(CalendarWarning::EndsSoon { last_day, year })
    }
}

/// Reads a TOML date (`2024-03-21`, unquoted) into a `NaiveDate`.
pub(crate) fn toml_date<'de, D: serde::Deserializer<'de>>(
    d: D,
) -> Result<chrono::NaiveDate, D::Error> {
    use serde::Deserialize;
    let v = toml::value::Datetime::deserialize(d)?;
    match (v.date, v.time) {
        (Some(date), None) => chrono::NaiveDate::from_ymd_opt(
            i32::from(date.year),
            u32::from(date.month),
            u32::from(date.day),
        )
        .ok_or_else(|| serde::de::Error::custom(format!("{v} is not a date"))),
        _ => Err(serde::de::Error::custom(format!(
            "{v}: expected a date YYYY-MM-DD"
        ))),
    }
}

/// The last day the §12 hearing notice may be sent for an inclusion (3 WD
/// before the §10 deadline), `None` for kinds whose term leaves no room.
pub fn hearing_notice_due(
    law: &Law,
    facts: &CaseFacts,
) -> Result<Option<chrono::NaiveDate>, RulesError> {
    for rule in law.rules.case_rules(facts)? {
        if rule.advisory && rule.before.is_some() {
            return Ok(law
                .rules
                .case_span(&law.calendar, rule, facts)?
                .map(|s| s.due));
        }
    }
    Ok(None)
}

/// The last day a hearing may be held after a notice sent on `sent_on` (§12).
pub fn hearing_due(
    law: &Law,
    facts: &CaseFacts,
    sent_on: chrono::NaiveDate,
) -> Result<chrono::NaiveDate, RulesError> {
    let rule = law
        .rules
        .case_rules(facts)?
        .find(|r| r.starts == clocks::Start::HearingNotice)
        .ok_or_else(|| RulesError::Data("no clock starts at the hearing notice".into()))?;
    Ok(law
        .calendar
        .add_working_days(sent_on, rule.working_days as i32)?)
}
