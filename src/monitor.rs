//! The deadline monitor: every running clock of the register on a day,
//! overdue first. The same list feeds `tizilim deadlines` and the console.

use chrono::NaiveDate;
use rusqlite::Connection;
use serde::Serialize;

use crate::rules::{ClockReading, ClockState, Law};
use crate::store::{Result, queries};

#[derive(Debug, Clone, Serialize)]
pub struct Deadline<'a> {
    pub case: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub complaint: Option<String>,
    #[serde(flatten)]
    pub reading: ClockReading<'a>,
}

/// Every running clock on `today`, overdue first, then by due date and case.
pub fn running_clocks<'a>(
    conn: &Connection,
    law: &'a Law,
    today: NaiveDate,
) -> Result<Vec<Deadline<'a>>> {
    let mut out = Vec::new();
    let mut readings = Vec::with_capacity(4);
    queries::for_each_open_case(conn, |row| {
        readings.clear();
        law.rules
            .case_clocks(&law.calendar, &row.facts, today, &mut readings)?;
        // A lapsed advisory clock (the §12 notice day) is no longer a deadline.
        for r in readings.drain(..).filter(|r| r.state != ClockState::Lapsed) {
            out.push(Deadline {
                case: row.number.clone(),
                complaint: None,
                reading: r,
            });
        }
        Ok(())
    })?;
    queries::for_each_open_complaint(conn, |row| {
        readings.clear();
        law.rules
            .complaint_clocks(&law.calendar, &row.facts, today, &mut readings)?;
        for r in readings.drain(..) {
            out.push(Deadline {
                case: row.case.clone(),
                complaint: Some(row.number.clone()),
                reading: r,
            });
        }
        Ok(())
    })?;
    sort(&mut out);
    Ok(out)
}

pub fn sort(list: &mut [Deadline]) {
    list.sort_by(|a, b| {
        (a.reading.state, a.reading.due, &a.case, a.reading.clock).cmp(&(
            b.reading.state,
            b.reading.due,
            &b.case,
            b.reading.clock,
        ))
    });
}

/// How many clocks stand in each state.
pub fn tally(list: &[Deadline]) -> [(ClockState, usize); 4] {
    let mut t = [
        (ClockState::Overdue, 0),
        (ClockState::DueToday, 0),
        (ClockState::DueSoon, 0),
        (ClockState::Running, 0),
    ];
    for d in list {
        if let Some(e) = t.iter_mut().find(|(s, _)| *s == d.reading.state) {
            e.1 += 1;
        }
    }
    t
}
