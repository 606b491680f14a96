//! The law as code: pure functions, no I/O, no clock of its own.
pub mod calendar;
pub mod case;
pub mod clocks;
pub mod grounds;
pub mod ids;
pub mod regions;
pub mod text;
pub mod workflow;

pub use calendar::{Amendment, Calendar, CalendarError};
pub use case::{
    CaseKind, Channel, ComplaintBody, ComplaintStatus, Condition, Outcome, Role, Stage, UnitStatus,
};
pub use clocks::{
    CaseFacts, ClockId, ClockReading, ClockState, ComplaintFacts, RulesBook, RulesError,
};

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
