//! `tizilim complaint lodge|forward|decide|list` (§17–§20).

use crate::store::sql::Locator;
use std::io::Write;

use chrono::NaiveDate;
use clap::Subcommand;

use super::work::{ArgError, Session, date, done};
use super::{Outcome, instant};
use crate::rules::ComplaintBody;
use crate::rules::workflow::ComplaintOutcome;
use crate::store::read::case_file;
use crate::store::services::{
    self, ComplaintDecision, ComplaintFiling, ComplaintForwarding, ddmmyyyy,
};

#[derive(Subcommand, Debug)]
pub enum ComplaintCmd {
    /// Register a complaint about a case (§17).
    Lodge {
        /// The case number, ABK-YYYY-NNNNNN (any letter case).
        case: String,
        /// Addressed to (§17): provider (§19, 5 WD), quality_body (forwarded,
        /// §18, §20), superior_body or official (forwarded, §18).
        #[arg(long, value_parser = parse_body)]
        to: ComplaintBody,
        /// What the applicant complains of.
        #[arg(long)]
        text: String,
        /// When it was received (RFC 3339 or local Almaty time; default: now).
        #[arg(long)]
        received: Option<String>,
        /// The case version you saw; refused with exit 3 if it changed.
        #[arg(long)]
        expect_version: Option<i64>,
        /// Print JSON instead of a line of text.
        #[arg(long)]
        json: bool,
    },
    /// Forward a complaint with the case to the complaint body it is addressed to (§18).
    Forward {
        /// The complaint number, CMP-YYYY-NNNNNN (any letter case).
        complaint: String,
        /// The forwarding date, YYYY-MM-DD (default: today).
        #[arg(long, value_parser = date)]
        on: Option<NaiveDate>,
        /// The complaint version you saw; refused with exit 3 if it changed.
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
    /// Record a complaint's decision: granted, partly_granted or rejected. A
    /// favourable one reopens a refused case.
    Decide {
        /// The complaint number, CMP-YYYY-NNNNNN (any letter case).
        complaint: String,
        /// granted, partly_granted or rejected.
        #[arg(value_parser = parse_outcome)]
        outcome: ComplaintOutcome,
        /// The reasoning.
        #[arg(long)]
        reason: String,
        /// The decision's date, YYYY-MM-DD (default: today).
        #[arg(long, value_parser = date)]
        on: Option<NaiveDate>,
        /// The complaint version you saw; refused with exit 3 if it changed.
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
    /// Every complaint with its status.
    List {
        /// Print JSON instead of a line of text.
        #[arg(long)]
        json: bool,
    },
}

impl ComplaintCmd {
    /// Whether the command only reads (see `Command::only_reads`).
    pub fn only_reads(&self) -> bool {
        matches!(self, ComplaintCmd::List { .. })
    }
}

fn parse_body(s: &str) -> Result<ComplaintBody, ArgError> {
    ComplaintBody::parse(s).ok_or_else(|| ArgError::OneOf(ComplaintBody::words()))
}

fn parse_outcome(s: &str) -> Result<ComplaintOutcome, ArgError> {
    ComplaintOutcome::parse(s).ok_or_else(|| ArgError::OneOf(ComplaintOutcome::words()))
}

pub fn run(reg: &Locator, cmd: ComplaintCmd, out: &mut impl Write) -> Outcome {
    match cmd {
        ComplaintCmd::Lodge {
            case,
            to,
            text,
            received,
            expect_version,
            json,
        } => {
            let mut s = Session::open(reg)?;
            let received_at = received
                .as_deref()
                .map(|r| instant(Some(r), &s.law, "--received"))
                .transpose()?;
            let req = ComplaintFiling {
                case: crate::rules::CaseNumber::new(&case),
                expected_version: expect_version,
                addressed_to: to,
                text,
                received_at,
            };
            let result = s
                .act(|ctx| services::lodge_complaint(ctx, &req))
                .map(|c| serde_json::json!({"complaint": c, "case": req.case, "to": to.as_str()}));
            done(
                result,
                json,
                |v| {
                    format!(
                        "{}: complaint {} registered (to {})",
                        v["case"].as_str().unwrap_or(""),
                        v["complaint"].as_str().unwrap_or(""),
                        v["to"].as_str().unwrap_or("")
                    )
                },
                out,
            )
        }
        ComplaintCmd::Forward {
            complaint,
            on,
            expect_version,
            late_reason,
            json,
        } => {
            let mut s = Session::open(reg)?;
            let number = services::canonical_number(&complaint);
            let req = ComplaintForwarding {
                complaint: crate::rules::CaseNumber::new(&number),
                expected_version: expect_version,
                late_reason,
                on,
            };
            let result = s
                .act(|ctx| services::forward_complaint(ctx, &req))
                .and_then(|()| {
                    let version = crate::store::read::queries::complaint_version(s.db(), &number)?;
                    Ok(serde_json::json!({"complaint": number, "status": "forwarded", "version": version}))
                });
            done(
                result,
                json,
                |v| {
                    format!(
                        "{}: forwarded to the complaint body (version {})",
                        v["complaint"].as_str().unwrap_or(""),
                        v["version"]
                    )
                },
                out,
            )
        }
        ComplaintCmd::Decide {
            complaint,
            outcome,
            reason,
            on,
            expect_version,
            late_reason,
            json,
        } => {
            let mut s = Session::open(reg)?;
            let number = services::canonical_number(&complaint);
            // §17–§20: the decision is a signed document, at once.
            let signer = crate::docs::open_signer(s.db(), &s.login, None, chrono::Utc::now())?;
            let req = ComplaintDecision {
                complaint: crate::rules::CaseNumber::new(&number),
                expected_version: expect_version,
                late_reason,
                outcome,
                reason,
                on,
            };
            let result = s
                .act(|ctx| {
                    services::decide_complaint(ctx, &crate::docs::Issuer { signer: &signer }, &req)
                })
                .and_then(|d| {
                    let version = crate::store::read::queries::complaint_version(s.db(), &number)?;
                    Ok(serde_json::json!({"complaint": number, "status": "decided",
                        "outcome": outcome.as_str(), "decision": d.decision, "act": d.act,
                        "case_reopened": d.reopened, "version": version}))
                });
            done(
                result,
                json,
                |v| {
                    let act = v["act"].as_str();
                    format!(
                        "{}: decided, {}; decision {} signed and issued{}",
                        v["complaint"].as_str().unwrap_or(""),
                        v["outcome"].as_str().unwrap_or(""),
                        v["decision"].as_str().unwrap_or(""),
                        match act {
                            // §18: the full grant took the favourable act itself.
                            Some(a) =>
                                format!(" — the favourable act taken: {a} signed and issued"),
                            None if v["case_reopened"] == true => {
                                " — the case is reopened for review".to_string()
                            }
                            None => String::new(),
                        }
                    )
                },
                out,
            )
        }
        ComplaintCmd::List { json } => {
            let s = Session::reader(reg)?;
            let list = case_file::complaints(s.db(), s.law.rules.office.zone)?;
            if json {
                serde_json::to_writer_pretty(&mut *out, &list)?;
                writeln!(out)?;
                return Ok(0);
            }
            for c in &list {
                writeln!(
                    out,
                    "{:<16} {:<16} {:<12} {:<9} {} {}",
                    c.complaint,
                    c.case,
                    c.addressed_to,
                    c.status,
                    ddmmyyyy(c.registered_on),
                    c.outcome.as_deref().unwrap_or(""),
                )?;
            }
            Ok(0)
        }
    }
}
