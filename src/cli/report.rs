//! `tizilim report terms`: the supervisors' report of terms (issue 20), in
//! text, JSON, CSV or a printable HTML page.

use crate::store::sql::Locator;
use std::io::Write;
use std::path::PathBuf;

use chrono::{Datelike, NaiveDate, Utc};
use clap::{Subcommand, ValueEnum};

use super::work::{Session, date};
use super::{Failure, Lang, Outcome};
use crate::rules::Role;
use crate::store::read::terms;
use crate::store::services;

#[derive(Subcommand, Debug)]
pub enum ReportCmd {
    /// Acts done in time and late, per paragraph, clerk and month, with the
    /// clocks overdue now and the late acts' reasons (supervisors and admins:
    /// it names clerks).
    Terms {
        /// The first day of acts counted [default: 1 January of --to's year].
        #[arg(long, value_parser = date)]
        from: Option<NaiveDate>,
        /// The last day of acts counted [default: today].
        #[arg(long, value_parser = date)]
        to: Option<NaiveDate>,
        /// text (fits the terminal), json, csv (one row per act) or html (a
        /// printable page with its charts, in --lang).
        #[arg(long, value_enum, default_value_t = ReportFormat::Text)]
        format: ReportFormat,
        /// Write it to this file (a new file, mode 0600) instead of standard output.
        #[arg(long)]
        out: Option<PathBuf>,
    },
}

#[derive(ValueEnum, Clone, Copy, Debug, PartialEq, Eq)]
pub enum ReportFormat {
    Text,
    Json,
    Csv,
    Html,
}

pub fn run(reg: &Locator, lang: Lang, cmd: ReportCmd, out: &mut impl Write) -> Outcome {
    let ReportCmd::Terms {
        from,
        to,
        format,
        out: file,
    } = cmd;
    // A refused --out name costs no work.
    let file = file.as_deref().map(super::work::out_file).transpose()?;
    let s = Session::reader(reg)?;
    services::require_role(
        s.db(),
        &s.login,
        &[Role::Supervisor, Role::Admin],
        "read the report of terms (it names clerks)",
    )?;
    let today = s.law.calendar.local_date(Utc::now());
    let to = to.unwrap_or(today);
    let from = from.unwrap_or_else(|| NaiveDate::from_ymd_opt(to.year(), 1, 1).expect("1 January"));
    let running = crate::store::read::queue::running_clocks(s.db(), &s.law, today)?;
    let report = terms::report(s.db(), from, to, &running)?;
    let body = match format {
        ReportFormat::Json => serde_json::to_string_pretty(&report)? + "\n",
        ReportFormat::Html => crate::docs::report::html(&report, today, lang),
        ReportFormat::Csv => csv(&terms::between(s.db(), from, to)?)?,
        ReportFormat::Text => text(&report, today),
    };
    match file {
        None => out.write_all(body.as_bytes())?,
        Some(f) => {
            let f = super::work::write_out(&f, body.as_bytes())?;
            writeln!(out, "report written to {}", f.display())?;
        }
    }
    Ok(0)
}

/// One row per act: what a spreadsheet filters and sums.
fn csv(acts: &[terms::Term]) -> Result<String, Failure> {
    let mut w = csv::WriterBuilder::new()
        .quote_style(csv::QuoteStyle::Always)
        .from_writer(Vec::new());
    let header = [
        "case",
        "complaint",
        "rule",
        "clock",
        "due",
        "done_on",
        "late_wd",
        "actor",
        "reason",
    ];
    let rows = acts.iter().map(|t| {
        [
            t.case.clone(),
            t.complaint.clone().unwrap_or_default(),
            t.rule.clone(),
            t.clock.clone(),
            t.due.to_string(),
            t.done_on.to_string(),
            t.late_wd.to_string(),
            t.actor.clone(),
            t.reason.clone().unwrap_or_default(),
        ]
    });
    let written = w.write_record(header).and_then(|()| {
        rows.into_iter()
            .try_for_each(|r| w.write_record(r.iter().map(|c| super::csv_cell(c))))
    });
    written.map_err(Failure::output)?;
    let bytes = w.into_inner().map_err(|e| Failure::output(e.error()))?;
    Ok(String::from_utf8_lossy(&bytes).into_owned())
}

/// Tables that fit 80 columns, and bars in characters for each paragraph.
fn text(r: &terms::Report, today: NaiveDate) -> String {
    use std::fmt::Write as _;
    let d = |x: NaiveDate| x.format("%d.%m.%Y").to_string();
    let mut t = String::new();
    let _ = writeln!(
        t,
        "Terms: acts done {} – {}; clocks overdue on {}",
        d(r.from),
        d(r.to),
        d(today)
    );
    let _ = writeln!(
        t,
        "{} acts: {} in time, {} late; {} clocks overdue now.",
        r.acts,
        r.acts - r.late,
        r.late,
        r.overdue_now
    );
    let _ = writeln!(t);
    let _ = writeln!(
        t,
        "{:<9} {:>6} {:>6} {:>8} {:>7} {:>6}  IN TIME ■ / LATE ▒",
        "PARAGR.", "ACTS", "LATE", "OVERDUE", "MEDIAN", "WORST"
    );
    let widest = r
        .by_paragraph
        .iter()
        .map(|p| p.acts)
        .max()
        .unwrap_or(0)
        .max(1);
    for p in &r.by_paragraph {
        let bar = |n: usize| (n * 24).div_ceil(widest);
        let late_w = bar(p.late);
        let ok_w = bar(p.acts).saturating_sub(late_w);
        let _ = writeln!(
            t,
            "{:<9} {:>6} {:>6} {:>8} {:>7} {:>6}  {}{}",
            p.rule,
            p.acts,
            p.late,
            p.overdue_now,
            p.median_late_wd
                .map(|m| format!("{m:.1}"))
                .unwrap_or_else(|| "-".into()),
            p.worst_late_wd
                .map(|w| w.to_string())
                .unwrap_or_else(|| "-".into()),
            "■".repeat(ok_w),
            "▒".repeat(late_w)
        );
    }
    let _ = writeln!(t);
    let _ = writeln!(t, "{:<24} {:>6} {:>6}", "CLERK", "ACTS", "LATE");
    for c in &r.by_clerk {
        let _ = writeln!(
            t,
            "{:<24} {:>6} {:>6}",
            crate::rules::text::for_terminal(&c.login, 24),
            c.acts,
            c.late
        );
    }
    let _ = writeln!(t);
    let _ = writeln!(t, "{:<8} {:>6} {:>6}", "MONTH", "ACTS", "LATE");
    for m in &r.by_month {
        let _ = writeln!(t, "{:<8} {:>6} {:>6}", m.month, m.acts, m.late);
    }
    if !r.late_acts.is_empty() {
        let _ = writeln!(t);
        let _ = writeln!(t, "Late acts:");
        for a in &r.late_acts {
            let _ = writeln!(
                t,
                "  {} {} due {}, done {} ({} WD late) by {}: {}",
                a.case,
                a.rule,
                d(a.due),
                d(a.done_on),
                a.late_wd,
                crate::rules::text::for_terminal(&a.actor, 64),
                crate::rules::text::for_terminal(a.reason.as_deref().unwrap_or(""), 500)
            );
        }
    }
    t
}
