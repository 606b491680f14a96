//! `tizilim calendar due|explain|show|amend`.

use std::io::Write;
use std::path::Path;

use chrono::{Datelike, NaiveDate, Utc};
use clap::Subcommand;
use serde::Serialize;

use super::{Failure, Outcome, explain, instant, os_login};
use crate::rules::Law;
use crate::store::{Store, queries, services};

#[derive(Subcommand, Debug)]
pub enum CalendarCmd {
    /// The registration day of something received at TIME, and N working days later.
    Due {
        #[arg(long)]
        received: String,
        #[arg(long)]
        working_days: i32,
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
        #[arg(long)]
        json: bool,
    },
    /// A year's non-working days, transfers and amendments, with sources.
    Show {
        year: i32,
        #[arg(long)]
        json: bool,
    },
    /// Add a decree to this register's calendar (admins only).
    Amend {
        #[arg(long)]
        date: NaiveDate,
        #[arg(long, conflicts_with = "day_off", required_unless_present = "day_off")]
        working: bool,
        #[arg(long)]
        day_off: bool,
        /// The act that makes the change, e.g. "Government decree No. … of …".
        #[arg(long)]
        act: String,
    },
}

/// The law: the register's (with its amendments) if one can be opened, else the shipped data.
fn law_for(path: &Path) -> Result<Law, Failure> {
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

pub fn run(path: &Path, cmd: CalendarCmd, out: &mut impl Write) -> Outcome {
    match cmd {
        CalendarCmd::Due {
            received,
            working_days,
            json,
        } => {
            let law = law_for(path)?;
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
            let store = Store::open_read(path)?;
            let law = store.law()?;
            let today = law
                .calendar
                .local_date(instant(at.as_deref(), &law, "--at")?);
            // Case numbers are matched case-insensitively (`abk-2026-001418`).
            let case = crate::store::normalize_case_number(&case);
            let e = match queries::complaint_clock_facts(store.conn(), &case)? {
                Some(row) => explain::explain_complaint(&law, &row, clock.as_deref(), today)?,
                None => {
                    let row = queries::case_clock_facts(store.conn(), &case)?;
                    explain::explain_case(&law, &row, clock.as_deref(), today)?
                }
            };
            if json {
                serde_json::to_writer_pretty(&mut *out, &e)?;
                writeln!(out)?;
            } else {
                write!(out, "{}", explain::render_text(&e))?;
            }
            Ok(0)
        }
        CalendarCmd::Show { year, json } => {
            let law = law_for(path)?;
            let cal = &law.calendar;
            let (first, last) = cal.years();
            if year < first || year > last {
                return Err(Failure(format!(
                    "{year} is outside the calendar ({first}–{last})"
                )));
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
            writeln!(out, "Kazakhstan {year}: {working} working days")?;
            for e in &listed {
                let mut flags = String::new();
                if e.religious {
                    flags.push_str(" [religious: not moved]");
                }
                if e.provisional {
                    flags.push_str(" [PROVISIONAL date]");
                }
                writeln!(
                    out,
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
                    out,
                    "  {} {:<3} amended: {} — {}",
                    a.date,
                    a.date.weekday(),
                    if a.working { "working day" } else { "day off" },
                    a.act
                )?;
            }
            if let Some(s) = source {
                writeln!(out, "Sources ({}):", s.generator)?;
                for line in &s.sources {
                    writeln!(out, "  - {line}")?;
                }
            }
            Ok(0)
        }
        CalendarCmd::Amend {
            date,
            working,
            day_off,
            act,
        } => {
            let actor = os_login()?;
            let mut store = Store::open(path)?;
            let law = store.law()?;
            let working = working && !day_off;
            store.write(|tx| {
                services::amend_calendar(tx, &law, &actor, Utc::now(), date, working, &act)
            })?;
            let law = store.law()?;
            let open = crate::monitor::running_clocks(
                store.conn(),
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
