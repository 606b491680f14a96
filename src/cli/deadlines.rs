//! `tizilim deadlines [--at TIME] [--json]`.
//!
//! The table fits the terminal: its width when stdout is a terminal, else 80
//! columns. Wide enough (≥ 106), every column; narrower, the case and
//! complaint share one column, the start date goes, and clock names are
//! shortened to what is left.

use crate::store::sql::Locator;
use std::io::Write;

use super::{Outcome, instant};
use crate::i18n::Lang;
use crate::rules::{ClockReading, ClockState};
use crate::store::read::monitor::{self, Deadline};

pub fn run(
    reg: &Locator,
    lang: Lang,
    at: Option<&str>,
    json: bool,
    out: &mut impl Write,
) -> Outcome {
    // Clocks name cases: reading them needs a role.
    let s = super::work::Session::reader(reg)?;
    let law = &s.law;
    let now = instant(at, law, "--at")?;
    let today = law.calendar.local_date(now);
    let mut list = crate::store::read::queue::running_clocks(s.db(), law, today)?;
    // As at a past day: a clock that started after it (a case or complaint
    // registered later, a notice sent later) did not run yet.
    list.retain(|d| d.reading.started <= today);
    // The calendar's data end within the warning period, or have ended: said
    // on stderr, so that the JSON array and the table stay as they are.
    if let Some(w) = law.calendar_warning(today) {
        eprintln!(
            "tizilim: {}",
            crate::i18n::calendar_warning(w).render(&crate::i18n::Tr::new(lang))
        );
    }
    if json {
        let mut w = std::io::BufWriter::new(out);
        serde_json::to_writer(&mut w, &list)?;
        writeln!(w)?;
        w.flush()?;
        return Ok(0);
    }
    writeln!(out, "{}", summary(&list, today, at.is_some()))?;
    write_table(&list, super::terminal_width(), out)?;
    Ok(0)
}

/// `Deadlines on 28.11.2026: 16 running clocks.` and, on a line of its own,
/// `3 overdue, 1 due today, 2 due the next working day, 10 later.` — where
/// a count needs a calendar not yet published, that line ends `…, 10 later,
/// 2 unknown: calendar not yet published for 2029.`
fn summary(list: &[Deadline], today: chrono::NaiveDate, as_at: bool) -> String {
    let tally = monitor::tally(list);
    let n = |s: ClockState| tally.iter().find(|(t, _)| *t == s).map_or(0, |(_, n)| *n);
    let clocks = |k: usize| if k == 1 { "clock" } else { "clocks" };
    let end = match monitor::unpublished(list) {
        Some(year) => format!(
            ", {} unknown: calendar not yet published for {year}.",
            n(ClockState::Unknown)
        ),
        None => ".".into(),
    };
    format!(
        "Deadlines {} {}: {} running {}.\n{} overdue, {} due today, {} due the next working day, {} later{end}",
        if as_at { "as at" } else { "on" },
        today.format("%d.%m.%Y"),
        list.len(),
        clocks(list.len()),
        n(ClockState::Overdue),
        n(ClockState::DueToday),
        n(ClockState::DueSoon),
        n(ClockState::Running),
    )
}

/// The due date, or `?` where it needs a calendar not yet published.
fn due(r: &ClockReading) -> String {
    r.due.map_or_else(|| "?".into(), |d| d.to_string())
}

/// The working days left, or `?` where the count needs a calendar not yet published.
fn left(r: &ClockReading) -> String {
    r.working_days_left
        .map_or_else(|| "?".into(), |n| n.to_string())
}

/// Text cut to `w` characters, an ellipsis marking the cut.
fn fit(s: &str, w: usize) -> String {
    if s.chars().count() <= w {
        return s.to_string();
    }
    let mut t: String = s.chars().take(w.saturating_sub(1)).collect();
    t.push('…');
    t
}

fn write_table(list: &[Deadline], width: usize, out: &mut impl Write) -> std::io::Result<()> {
    const FULL: usize = 106;
    if width >= FULL {
        writeln!(
            out,
            "{:<16} {:<16} {:<30} {:<4} {:<10} {:<10} {:>5}  STATE",
            "CASE", "COMPLAINT", "CLOCK", "RULE", "STARTED", "DUE", "LEFT"
        )?;
        for d in list {
            let r = &d.reading;
            writeln!(
                out,
                "{:<16} {:<16} {:<30} {:<4} {:<10} {:<10} {:>5}  {}",
                d.case,
                d.complaint.as_deref().unwrap_or("-"),
                r.clock,
                r.rule,
                r.started,
                due(r),
                left(r),
                r.state.as_str()
            )?;
        }
        return Ok(());
    }
    // CASE 15, RULE 4, DUE 10, LEFT 4, STATE 9 and the gaps: 47 + CLOCK,
    // leaving the last column free (a full line wraps on some terminals).
    let clock_w = width.saturating_sub(48).clamp(8, 30);
    writeln!(
        out,
        "{:<15} {:<clock_w$} {:<4} {:<10} {:>4} STATE",
        "CASE/COMPLAINT", "CLOCK", "RULE", "DUE", "LEFT"
    )?;
    for d in list {
        let r = &d.reading;
        writeln!(
            out,
            "{:<15} {:<clock_w$} {:<4} {:<10} {:>4} {}",
            fit(d.complaint.as_deref().unwrap_or(&d.case), 15),
            fit(r.clock.as_str(), clock_w),
            fit(&r.rule, 4),
            due(r),
            left(r),
            r.state.as_str()
        )?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use chrono::NaiveDate;

    use super::*;
    use crate::rules::{ClockId, ClockReading};

    fn rows() -> Vec<Deadline> {
        let d = |s: &str| NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap();
        ClockId::ALL
            .iter()
            .zip(
                [
                    ClockState::Overdue,
                    ClockState::DueToday,
                    ClockState::DueSoon,
                    ClockState::Running,
                ]
                .iter()
                .cycle(),
            )
            .enumerate()
            .map(|(i, (clock, state))| Deadline {
                case: format!("ABK-2026-{:06}", 1000 + i),
                complaint: (i % 3 == 0).then(|| format!("CMP-2026-{i:06}")),
                reading: ClockReading {
                    clock: *clock,
                    rule: "§19".into(),
                    started: d("2026-11-02"),
                    due: Some(d("2026-11-18")),
                    working_days_left: Some(-12),
                    state: *state,
                    calendar_unpublished: None,
                },
            })
            .collect()
    }

    #[test]
    fn the_table_fits_every_width() {
        let list = rows();
        for width in [40, 60, 79, 80, 100, 105] {
            let mut out = Vec::new();
            write_table(&list, width, &mut out).unwrap();
            let text = String::from_utf8(out).unwrap();
            assert_eq!(text.lines().count(), list.len() + 1);
            for line in text.lines() {
                assert!(line.chars().count() < width.max(58), "{width}: {line}");
            }
            // Complaint clocks name the complaint; the others the case.
            assert!(text.contains("CMP-2026-000000") && text.contains("ABK-2026-001001"));
            assert!(!text.contains("STARTED"));
        }
        let mut out = Vec::new();
        write_table(&list, 120, &mut out).unwrap();
        let text = String::from_utf8(out).unwrap();
        assert!(text.lines().next().unwrap().contains("STARTED"));
        assert!(text.lines().all(|l| l.chars().count() < 120));
        // At 80 columns no clock name is cut.
        let mut out = Vec::new();
        write_table(&list, 80, &mut out).unwrap();
        let text = String::from_utf8(out).unwrap();
        for c in ClockId::ALL {
            assert!(text.contains(c.as_str()), "{c:?}");
        }
    }
}
