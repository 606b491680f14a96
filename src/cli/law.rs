//! `tizilim law list|informed`: §16, changes of the law and informing the
//! e-government operator and the unified contact centre of them.

use crate::store::sql::Locator;
use std::io::Write;

use chrono::{NaiveDate, Utc};
use clap::Subcommand;

use super::Outcome;
use super::work::{Session, date, done};
use crate::store::read::law;
use crate::store::services;

#[derive(Subcommand, Debug)]
pub enum LawCmd {
    /// The changes of the law since the register was created (an edition of
    /// the Rules' data taking effect, a calendar amendment), and when each
    /// was informed of (§16).
    List {
        /// One JSON array.
        #[arg(long)]
        json: bool,
    },
    /// Record that the e-government operator and the unified contact centre
    /// were informed of CHANGE (admins; §16, within 3 working days).
    Informed {
        /// The change, as `law list` names it: LAW-YYYY-MM-DD.
        change: String,
        /// The day they were informed (default: today).
        #[arg(long, value_parser = date)]
        on: Option<NaiveDate>,
        /// Why it comes after the §16 term's last day: required then.
        #[arg(long)]
        late_reason: Option<String>,
        /// Print JSON instead of a line of text.
        #[arg(long)]
        json: bool,
    },
}

impl LawCmd {
    pub fn only_reads(&self) -> bool {
        matches!(self, LawCmd::List { .. })
    }
}

pub fn run(reg: &Locator, cmd: LawCmd, out: &mut impl Write) -> Outcome {
    match cmd {
        LawCmd::List { json } => {
            let s = Session::reader(reg)?;
            let list = law::changes(s.db(), &s.law)?;
            if json {
                serde_json::to_writer_pretty(&mut *out, &list)?;
                writeln!(out)?;
                return Ok(0);
            }
            let today = s.law.calendar.local_date(Utc::now());
            let running = law::running(s.db(), &s.law, today)?;
            if list.is_empty() {
                writeln!(out, "No change of the law since the register was created.")?;
            }
            for c in &list {
                let state = match (c.informed_on, running.iter().find(|d| d.case == c.change)) {
                    (Some(d), _) => format!("informed on {}", d.format("%d.%m.%Y")),
                    (None, Some(d)) => format!(
                        "§16: inform by {} ({})",
                        d.reading
                            .due
                            .map(|d| d.format("%d.%m.%Y").to_string())
                            .unwrap_or_else(|| "?".into()),
                        d.reading.state.as_str()
                    ),
                    (None, None) => "takes effect later".to_string(),
                };
                writeln!(
                    out,
                    "{}  {}  {state}",
                    c.change,
                    crate::rules::text::for_terminal(&c.what, 200)
                )?;
            }
            Ok(0)
        }
        LawCmd::Informed {
            change,
            on,
            late_reason,
            json,
        } => {
            let mut s = Session::open(reg)?;
            let r = s
                .act(|ctx| services::law_informed(ctx, &change, on, late_reason.as_deref()))
                .map(|()| serde_json::json!({"change": change.trim().to_ascii_uppercase(), "informed_on": on}));
            done(
                r,
                json,
                |v| format!("{}: informed of (§16)", v["change"].as_str().unwrap_or("")),
                out,
            )
        }
    }
}
