//! `tizilim calendar due|explain|show|amend`.

use crate::store::sql::Locator;
use std::io::Write;

use chrono::{Datelike, NaiveDate, Utc};
use clap::Subcommand;
use serde::Serialize;

use super::{Failure, Outcome, instant};
use crate::explain;
use crate::i18n::Message;
use crate::rules::Law;
use crate::store::read::queries;
use crate::store::{Store, services};

#[derive(Subcommand, Debug)]
pub enum CalendarCmd {
    /// The registration day of something received at TIME, and N working days later.
    Due {
        /// When it was received (RFC 3339, or local Almaty time).
        #[arg(long)]
        received: String,
        /// How many working days after the registration day.
        #[arg(long)]
        working_days: i32,
        /// Print one JSON object.
        #[arg(long)]
        json: bool,
    },
    /// How each deadline of a case (or complaint) is counted, day by day.
    Explain {
        /// A case number (ABK-…) or a complaint number (CMP-…).
        case: String,
        /// Only this clock (e.g. decide_inclusion).
        #[arg(long)]
        clock: Option<String>,
        /// Read the clocks as at this time (default: now).
        #[arg(long)]
        at: Option<String>,
        /// Print one JSON object.
        #[arg(long)]
        json: bool,
    },
    /// A year's non-working days, transfers and amendments, with sources.
    Show {
        /// The year (one the calendar data cover; `calendar show` of another names them).
        year: i32,
        /// Print one JSON object.
        #[arg(long)]
        json: bool,
    },
    /// Add a decree to this register's calendar (admins only).
    Amend {
        /// The day the act changes (YYYY-MM-DD).
        #[arg(long)]
        date: NaiveDate,
        /// The act makes the day a working day.
        #[arg(long, conflicts_with = "day_off", required_unless_present = "day_off")]
        working: bool,
        /// The act makes the day a day off.
        #[arg(long)]
        day_off: bool,
        /// The act that makes the change, e.g. "Government decree No. … of …".
        #[arg(long)]
        act: String,
    },
}

impl CalendarCmd {
    /// Whether the command only reads (see `Command::only_reads`).
    pub fn only_reads(&self) -> bool {
        !matches!(self, CalendarCmd::Amend { .. })
    }
}

/// The law: the register's (with its amendments) if one can be opened, else the shipped data.
fn law_for(reg: &Locator) -> Result<Law, Failure> {
    let path = match reg {
        Locator::File(path) => path,
        Locator::Postgres(_) => return Ok(super::work::Session::reader(reg)?.law),
    };
    match Store::open_read(path) {
        Ok(store) => Ok(store.law()?),
        Err(crate::store::Error::NoRegister(_)) => Ok(Law::load(&[])?),
        Err(e) => Err(e.into()),
    }
}

#[derive(Serialize)]
struct Due {
    received: String,
    registered: NaiveDate,
    due: NaiveDate,
}

pub fn run(reg: &Locator, cmd: CalendarCmd, out: &mut impl Write) -> Outcome {
    match cmd {
        CalendarCmd::Due {
            received,
            working_days,
            json,
        } => {
            let law = law_for(reg)?;
            let at = instant(Some(&received), &law, "--received")?;
            let registered = law.calendar.registration_day(at)?;
            let due = law.calendar.add_working_days(registered, working_days)?;
            let local = at.with_timezone(&law.rules.office.zone).to_rfc3339();
            if json {
                serde_json::to_writer(
                    &mut *out,
                    &Due {
                        received: local,
                        registered,
                        due,
                    },
                )?;
                writeln!(out)?;
            } else {
                writeln!(out, "received   {local}")?;
                writeln!(out, "registered {registered}")?;
                writeln!(out, "due        {due} ({working_days} working days)")?;
            }
            Ok(0)
        }
        CalendarCmd::Explain {
            case,
            clock,
            at,
            json,
        } => {
            // A case's clocks are the register's data: reading them needs a role.
            let s = super::work::Session::reader(reg)?;
            let law = &s.law;
            let today = law
                .calendar
                .local_date(instant(at.as_deref(), law, "--at")?);
            // Case numbers are matched case-insensitively (`abk-2026-001418`).
            let case = crate::store::normalize_case_number(&case);
            let e = match queries::complaint_clock_facts(s.db(), &case)? {
                Some(row) => explain::explain_complaint(law, &row, clock.as_deref(), today)?,
                None => {
                    let row = queries::case_clock_facts(s.db(), &case)?;
                    explain::explain_case(law, &row, clock.as_deref(), today)?
                }
            };
            if json {
                serde_json::to_writer_pretty(&mut *out, &e)?;
                writeln!(out)?;
            } else {
                let width = super::terminal_width();
                write!(
                    out,
                    "{}",
                    wrap(&explain::render_text(&e), width.saturating_sub(1))
                )?;
            }
            Ok(0)
        }
        CalendarCmd::Show { year, json } => {
            let law = law_for(reg)?;
            let cal = &law.calendar;
            let (first, last) = cal.years();
            if year > last {
                return Err(Failure::new(
                    Message::new("err-calendar-unpublished")
                        .arg("year", year)
                        .arg("first", first)
                        .arg("last", last),
                ));
            }
            if year < first {
                return Err(Failure::new(
                    Message::new("err-calendar-year")
                        .arg("year", year)
                        .arg("first", first)
                        .arg("last", last),
                ));
            }
            let jan1 = NaiveDate::from_ymd_opt(year, 1, 1).expect("Jan 1");
            let dec31 = NaiveDate::from_ymd_opt(year, 12, 31).expect("Dec 31");
            let working = cal.working_days_between(jan1, dec31)? + i32::from(cal.is_working(jan1)?);
            let listed: Vec<_> = cal.listed(year).collect();
            let amendments: Vec<_> = cal
                .amendments()
                .iter()
                .filter(|a| a.date.year() == year)
                .collect();
            let source = cal.sources().iter().find(|s| s.year == year);
            if json {
                serde_json::to_writer_pretty(
                    &mut *out,
                    &serde_json::json!({"year": year, "working_days": working, "days": listed, "amendments": amendments, "source": source}),
                )?;
                writeln!(out)?;
                return Ok(0);
            }
            use std::fmt::Write as _;
            let mut text = String::new();
            writeln!(text, "Kazakhstan {year}: {working} working days")?;
            for e in &listed {
                let mut flags = String::new();
                if e.religious {
                    flags.push_str(" [religious: not moved]");
                }
                if e.provisional {
                    flags.push_str(" [PROVISIONAL date]");
                }
                writeln!(
                    text,
                    "  {} {:<3} {:<17} {}{}",
                    e.date,
                    e.date.weekday(),
                    serde_json::to_value(e.kind)?.as_str().unwrap_or(""),
                    e.name,
                    flags
                )?;
            }
            for a in &amendments {
                writeln!(
                    text,
                    "  {} {:<3} amended: {} — {}",
                    a.date,
                    a.date.weekday(),
                    if a.working { "working day" } else { "day off" },
                    crate::rules::text::for_terminal(&a.act, 500)
                )?;
            }
            if let Some(s) = source {
                writeln!(text, "Sources ({}):", s.generator)?;
                for line in &s.sources {
                    writeln!(text, "  - {line}")?;
                }
            }
            write!(
                out,
                "{}",
                wrap(&text, super::terminal_width().saturating_sub(1))
            )?;
            Ok(0)
        }
        CalendarCmd::Amend {
            date,
            working,
            day_off,
            act,
        } => {
            let mut s = super::work::Session::open(reg)?;
            s.may(services::may::AMEND_CALENDAR, "amend the calendar")?;
            let working = working && !day_off;
            s.act(|ctx| services::amend_calendar(ctx, date, working, &act))?;
            let law = s.register.law()?;
            let open = crate::store::read::queue::running_clocks(
                s.db(),
                &law,
                law.calendar.local_date(Utc::now()),
            )?
            .len();
            writeln!(
                out,
                "{date} is now a {} ({act}); {open} running clocks re-derived",
                if working { "working day" } else { "day off" }
            )?;
            Ok(0)
        }
    }
}

/// Lines longer than `width` characters broken at spaces, continuation lines
/// hanging under the text they continue: under the last column of a table
/// row (the text after its last run of two or more spaces), under the text
/// of a `- ` list item, else four spaces in. A word longer than a line is cut.
pub fn wrap(text: &str, width: usize) -> String {
    let width = width.max(20);
    let mut out = String::with_capacity(text.len() + text.len() / 8);
    for line in text.split_inclusive('\n') {
        let (body, nl) = match line.strip_suffix('\n') {
            Some(b) => (b, "\n"),
            None => (line, ""),
        };
        if body.chars().count() <= width {
            out.push_str(line);
            continue;
        }
        let chars: Vec<char> = body.chars().collect();
        let lead = chars.iter().take_while(|c| **c == ' ').count();
        let mut hang = lead + 4;
        if chars[lead..].starts_with(&['-', ' ']) {
            hang = lead + 2;
        }
        // The start of the last column: after the last run of 2+ spaces.
        let mut i = lead;
        while i + 1 < chars.len() {
            if chars[i] == ' ' && chars[i + 1] == ' ' {
                let mut j = i;
                while j < chars.len() && chars[j] == ' ' {
                    j += 1;
                }
                if j < chars.len() && j <= width * 2 / 3 {
                    hang = j;
                }
                i = j;
            } else {
                i += 1;
            }
        }
        let hang = hang.min(width * 2 / 3);
        // Words with the run of spaces before each: the first line keeps its
        // column gaps, continuation lines use single spaces.
        let mut tokens: Vec<(usize, Vec<char>)> = Vec::new();
        let mut gap = 0;
        let mut word = Vec::new();
        for &c in &chars[lead..] {
            if c == ' ' {
                if !word.is_empty() {
                    tokens.push((gap, std::mem::take(&mut word)));
                    gap = 0;
                }
                gap += 1;
            } else {
                word.push(c);
            }
        }
        if !word.is_empty() {
            tokens.push((gap, word));
        }
        let mut pieces: Vec<String> = Vec::new();
        let mut cur = " ".repeat(lead);
        let mut cur_len = lead;
        let mut at_start = true;
        let mut first_line = true;
        for (gap, mut w) in tokens {
            loop {
                let g = if at_start {
                    0
                } else if first_line {
                    gap
                } else {
                    1
                };
                if cur_len + g + w.len() <= width {
                    cur.push_str(&" ".repeat(g));
                    cur.extend(w.iter());
                    cur_len += g + w.len();
                    at_start = false;
                    break;
                }
                if at_start {
                    // A word longer than the line: cut it.
                    let room = width - cur_len;
                    cur.extend(w[..room].iter());
                    w = w[room..].to_vec();
                }
                pieces.push(std::mem::take(&mut cur));
                cur = " ".repeat(hang);
                cur_len = hang;
                at_start = true;
                first_line = false;
            }
        }
        pieces.push(cur);
        out.push_str(&pieces.join("\n"));
        out.push_str(nl);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::wrap;

    #[test]
    fn long_lines_wrap_under_their_text() {
        let row = "  2026-05-27 Wed holiday           Eid al-Adha [religious: not moved] [PROVISIONAL date] and more words here";
        let w = wrap(row, 60);
        for l in w.lines() {
            assert!(l.chars().count() <= 60, "{l}");
        }
        let lines: Vec<&str> = w.lines().collect();
        assert!(
            lines[0].starts_with("  2026-05-27 Wed holiday           Eid"),
            "{w}"
        );
        assert!(
            lines[1].starts_with(&" ".repeat(35)) && !lines[1].starts_with(&" ".repeat(36)),
            "{w}"
        );
        let item = format!("  - {}", "word ".repeat(30));
        let w = wrap(item.trim_end(), 40);
        assert!(w.lines().skip(1).all(|l| l.starts_with("    w")), "{w}");
        let url = format!("  - https://example.kz/{}", "x".repeat(100));
        let w = wrap(&url, 40);
        assert!(w.lines().all(|l| l.chars().count() <= 40), "{w}");
        assert_eq!(w.replace(['\n', ' '], ""), url.replace(' ', ""));
        assert_eq!(wrap("short\nlines\n", 20), "short\nlines\n");
    }
}
