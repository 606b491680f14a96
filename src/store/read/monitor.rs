//! The deadline monitor: every running clock of the register on a day,
//! overdue first. The same list feeds `tizilim deadlines` and the console.

use serde::Serialize;

use crate::rules::{ClockReading, ClockState};

#[derive(Debug, Clone, Serialize)]
pub struct Deadline {
    pub case: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub complaint: Option<String>,
    #[serde(flatten)]
    pub reading: ClockReading,
}

/// Overdue first, then by due date (`unknown` clocks, whose due date is not
/// yet countable, after every running one).
pub fn sort(list: &mut [Deadline]) {
    list.sort_by(order);
}

/// The monitor's order: state, due date, case, clock, then the complaint (a
/// case's own clock before its complaints'), so that no two rows tie and a
/// row re-placed alone (the console's partial reload) lands where a full sort
/// puts it.
pub fn order(a: &Deadline, b: &Deadline) -> std::cmp::Ordering {
    // The clock ids compare as words, so the order (and `deadlines --json`)
    // is what it was when they were strings.
    (
        a.reading.state,
        a.reading.due,
        &a.case,
        a.reading.clock.as_str(),
        &a.complaint,
    )
        .cmp(&(
            b.reading.state,
            b.reading.due,
            &b.case,
            b.reading.clock.as_str(),
            &b.complaint,
        ))
}

/// The first year the calendar lacks, if any clock's count needs it.
pub fn unpublished(list: &[Deadline]) -> Option<i32> {
    list.iter()
        .filter_map(|d| d.reading.calendar_unpublished)
        .min()
}

/// How many clocks stand in each state.
pub fn tally(list: &[Deadline]) -> [(ClockState, usize); 5] {
    let mut t = [
        (ClockState::Overdue, 0),
        (ClockState::DueToday, 0),
        (ClockState::DueSoon, 0),
        (ClockState::Running, 0),
        (ClockState::Unknown, 0),
    ];
    for d in list {
        if let Some(e) = t.iter_mut().find(|(s, _)| *s == d.reading.state) {
            e.1 += 1;
        }
    }
    t
}
