//! The law as code: pure functions, no I/O, no clock of its own.
pub mod calendar;
pub mod case;
pub mod clocks;
pub mod ids;

pub use calendar::{Amendment, Calendar, CalendarError};
pub use case::{CaseKind, Channel, ComplaintBody, ComplaintStatus, Condition, Outcome, Role, Stage, UnitStatus};
pub use clocks::{CaseFacts, ClockReading, ClockState, ComplaintFacts, RulesBook, RulesError};

/// The calendar and the clock table together: everything needed to count.
#[derive(Debug, Clone)]
pub struct Law {
    pub calendar: Calendar,
    pub rules: RulesBook,
}

impl Law {
    /// The shipped data plus the register's own calendar amendments.
    pub fn load(amendments: &[Amendment]) -> Result<Self, RulesError> {
        let rules = RulesBook::embedded()?;
        let calendar = Calendar::kazakhstan(rules.office, amendments)?;
        Ok(Law { calendar, rules })
    }
}
