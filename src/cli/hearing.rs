//! `tizilim hearing notify|record|list` (§11–§12).

use crate::store::sql::Locator;
use std::io::Write;

use chrono::NaiveDate;
use clap::Subcommand;

use super::work::{Session, date, done};
use super::{Outcome, instant};
use crate::rules::text::for_terminal;
use crate::store::events::HearingOutcome;
use crate::store::read::case_file;
use crate::store::services::{self, HearingNotice, HearingRecord, ddmmyyyy};

#[derive(Subcommand, Debug)]
pub enum HearingCmd {
    /// The preliminary decision to refuse and the hearing notice (§11–§12).
    Notify {
        /// The case number, ABK-YYYY-NNNNNN (any letter case).
        case: String,
        /// Appendix 5 ground, 1–6 (repeat for several).
        #[arg(long = "ground", required = true)]
        grounds: Vec<u8>,
        /// The reasoning of the preliminary decision.
        #[arg(long)]
        reason: String,
        /// When the hearing is held (RFC 3339, or local Almaty time): within
        /// 2 working days after the notice, in office hours.
        #[arg(long)]
        at: String,
        /// Where (or by what means) it is held.
        #[arg(long)]
        place: String,
        /// The day the notice is sent, YYYY-MM-DD (default: today).
        #[arg(long, value_parser = date)]
        sent_on: Option<NaiveDate>,
        /// The case version you saw; refused with exit 3 if it changed.
        #[arg(long)]
        expect_version: Option<i64>,
        /// Why the act comes after its clock's last day: required then, and
        /// kept on the record with it.
        #[arg(long)]
        late_reason: Option<String>,
        /// Print JSON instead of a line of text.
        #[arg(long)]
        json: bool,
    },
    /// Record the hearing: held (with the applicant's position) or absent.
    Record {
        /// The case number, ABK-YYYY-NNNNNN (any letter case).
        case: String,
        /// The applicant was heard.
        #[arg(long, conflicts_with = "absent", required_unless_present = "absent")]
        held: bool,
        /// The applicant was notified and did not come.
        #[arg(long)]
        absent: bool,
        /// The applicant's position, as stated or sent in writing.
        #[arg(long)]
        position: Option<String>,
        /// The hearing's date, YYYY-MM-DD (default: today).
        #[arg(long, value_parser = date)]
        on: Option<NaiveDate>,
        /// The case version you saw; refused with exit 3 if it changed.
        #[arg(long)]
        expect_version: Option<i64>,
        /// Why the act comes after its clock's last day: required then, and
        /// kept on the record with it.
        #[arg(long)]
        late_reason: Option<String>,
        /// Print JSON instead of a line of text.
        #[arg(long)]
        json: bool,
    },
    /// Every hearing, by date.
    List {
        /// Print JSON instead of a line of text.
        #[arg(long)]
        json: bool,
    },
}

impl HearingCmd {
    /// Whether the command only reads (see `Command::only_reads`).
    pub fn only_reads(&self) -> bool {
        matches!(self, HearingCmd::List { .. })
    }
}

pub fn run(reg: &Locator, cmd: HearingCmd, out: &mut impl Write) -> Outcome {
    match cmd {
        HearingCmd::Notify {
            case,
            grounds,
            reason,
            at,
            place,
            sent_on,
            expect_version,
            late_reason,
            json,
        } => {
            let mut s = Session::open(reg)?;
            let number = services::canonical_number(&case);
            let hearing_at = instant(Some(&at), &s.law, "--at")?;
            // §11: the preliminary decision is a signed document, at once.
            let signer = crate::docs::open_signer(s.db(), &s.login, None, chrono::Utc::now())?;
            let req = HearingNotice {
                case: crate::rules::CaseNumber::new(&number),
                expected_version: expect_version,
                late_reason,
                sent_on,
                hearing_at,
                place,
                grounds,
                reason,
            };
            let result = s
                .act(|ctx| {
                    services::notify_hearing(ctx, &crate::docs::Issuer { signer: &signer }, &req)
                })
                .and_then(|notice| {
                    let f = case_file::load(s.db(), &s.law, &number, s.today())?;
                    let h = f.hearing.as_ref();
                    Ok(
                        serde_json::json!({"case": number, "notice": notice, "stage": f.stage, "version": f.version,
                        "notified": h.map(|h| ddmmyyyy(h.notified_on)),
                        "notified_on": h.map(|h| h.notified_on), "hearing_at": h.map(|h| h.at),
                        "place": h.map(|h| h.place.clone())}),
                    )
                });
            let zone = s.law.rules.office.zone;
            done(
                result,
                json,
                |v| {
                    let at = v["hearing_at"]
                        .as_str()
                        .and_then(|a| chrono::DateTime::parse_from_rfc3339(a).ok())
                        .map(|a| a.with_timezone(&zone).format("%d.%m.%Y %H:%M").to_string())
                        .unwrap_or_default();
                    format!(
                        "{}: preliminary decision to refuse; hearing notice {} of {} signed and issued — hearing {at}, {} (version {})",
                        v["case"].as_str().unwrap_or(""),
                        v["notice"].as_str().unwrap_or(""),
                        v["notified"].as_str().unwrap_or(""),
                        for_terminal(v["place"].as_str().unwrap_or(""), 120),
                        v["version"]
                    )
                },
                out,
            )
        }
        HearingCmd::Record {
            case,
            held: _,
            absent,
            position,
            on,
            expect_version,
            late_reason,
            json,
        } => {
            let mut s = Session::open(reg)?;
            let number = services::canonical_number(&case);
            let req = HearingRecord {
                case: crate::rules::CaseNumber::new(&number),
                expected_version: expect_version,
                late_reason,
                outcome: if absent {
                    HearingOutcome::Absent
                } else {
                    HearingOutcome::Held
                },
                position,
                on,
            };
            let result = s
                .act(|ctx| services::record_hearing(ctx, &req))
                .and_then(|()| {
                    let version = crate::store::read::queries::case_version(s.db(), &number)?;
                    Ok(serde_json::json!({"case": number, "stage": "hearing_held",
                        "outcome": req.outcome.as_str(), "version": version}))
                });
            done(
                result,
                json,
                |v| {
                    format!(
                        "{}: hearing recorded ({}) (version {})",
                        v["case"].as_str().unwrap_or(""),
                        v["outcome"].as_str().unwrap_or(""),
                        v["version"]
                    )
                },
                out,
            )
        }
        HearingCmd::List { json } => {
            let s = Session::reader(reg)?;
            let list = case_file::hearings(s.db(), s.law.rules.office.zone)?;
            if json {
                serde_json::to_writer_pretty(&mut *out, &list)?;
                writeln!(out)?;
                return Ok(0);
            }
            for h in &list {
                let at = super::work::local_time(&h.at);
                writeln!(
                    out,
                    "{at} {:<16} notified {} {:<16} {}",
                    h.case,
                    ddmmyyyy(h.notified_on),
                    h.outcome.as_deref().unwrap_or("scheduled"),
                    for_terminal(&h.applicant, 30)
                )?;
            }
            Ok(0)
        }
    }
}
