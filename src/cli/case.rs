//! `tizilim case list|show|decide|export` (DESIGN.md "Case work").

use crate::store::sql::Locator;
use std::io::Write;
use std::path::{Path, PathBuf};

use clap::Subcommand;

use super::Outcome;
use super::work::{ArgError, Session, date, done, failed, out_file};
use crate::rules::text::for_terminal;
use crate::rules::workflow::Action;
use crate::rules::{CaseKind, ClockState, Stage};
use crate::store::journal;
use crate::store::read::case_file;
use crate::store::services::{self, Decision, ddmmyyyy};

#[derive(Subcommand, Debug)]
pub enum CaseCmd {
    /// List cases, in registration order.
    List {
        /// Only cases at this stage (repeat for several).
        #[arg(long, value_parser = parse_stage)]
        stage: Vec<Stage>,
        /// Only cases of this kind: inclusion, exclusion or change.
        #[arg(long, value_parser = parse_kind)]
        kind: Option<CaseKind>,
        /// One JSON array.
        #[arg(long)]
        json: bool,
    },
    /// Everything about one case: applicant, units, clocks, hearing,
    /// decisions, complaints, conflicts, history.
    Show {
        /// The case number, ABK-YYYY-NNNNNN (any letter case).
        case: String,
        /// Read its clocks as at this time (default: now); the case itself is
        /// shown as it stands now.
        #[arg(long)]
        at: Option<String>,
        /// Print JSON instead of a line of text.
        #[arg(long)]
        json: bool,
    },
    /// Decide a case: include, exclude, amend, or refuse (§9 for an incomplete
    /// package; after a hearing otherwise, §11–§13).
    ///
    /// The decision's notice (Appendix 6, 7 or 8) is issued in the same
    /// transaction, signed as CMS with your own certificate (`tizilim key
    /// import`: your .p12). Opening it needs its passphrase: asked on the
    /// terminal, or read from the file named by TIZILIM_PASSPHRASE_FILE (for
    /// runs without a terminal).
    Decide {
        /// The case number, ABK-YYYY-NNNNNN (any letter case).
        case: String,
        /// include, exclude, amend or refuse.
        #[arg(value_parser = parse_decision)]
        decision: Action,
        /// Appendix 5 ground of a refusal, 1–6 (repeat for several; default:
        /// those of the preliminary decision).
        #[arg(long = "ground")]
        grounds: Vec<u8>,
        /// The reasoning (required for a refusal after a hearing).
        #[arg(long)]
        reason: Option<String>,
        /// The decision's legal date, YYYY-MM-DD (default: today in Almaty).
        #[arg(long, value_parser = date)]
        on: Option<chrono::NaiveDate>,
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
    /// Add a document to a case (issue 21): its SHA-256 goes into the
    /// journal, the file is kept in the register and carried into the §21
    /// case file. An incomplete case it completes goes to review (§10).
    Attach {
        /// The case number, ABK-YYYY-NNNNNN (any letter case).
        case: String,
        /// ownership_proof, end_of_right_proof, change_basis,
        /// power_of_attorney or other.
        #[arg(long, value_parser = parse_doc_kind)]
        kind: crate::store::model::DocumentKind,
        /// The document's name as the applicant gave it (`lease-2025-17`).
        #[arg(long)]
        name: String,
        /// Its own number, if it has one.
        #[arg(long)]
        number: Option<String>,
        /// Valid until, YYYY-MM-DD (a lease's end).
        #[arg(long, value_parser = date)]
        valid_until: Option<chrono::NaiveDate>,
        /// The day it was received, YYYY-MM-DD (default: today in Almaty).
        #[arg(long, value_parser = date)]
        on: Option<chrono::NaiveDate>,
        /// The case version you saw; refused with exit 3 if it changed.
        #[arg(long)]
        expect_version: Option<i64>,
        /// Print JSON instead of a line of text.
        #[arg(long)]
        json: bool,
        /// The file (a regular file of at most 16 MiB).
        file: PathBuf,
    },
    /// Write the whole case file (§21) as one tar archive with a manifest.
    Export {
        /// The case number, ABK-YYYY-NNNNNN (any letter case).
        case: String,
        /// The archive to write (.tar).
        #[arg(long)]
        out: PathBuf,
    },
}

impl CaseCmd {
    /// Whether the command only reads (see `Command::only_reads`).
    pub fn only_reads(&self) -> bool {
        matches!(self, CaseCmd::List { .. } | CaseCmd::Show { .. })
    }
}

fn parse_stage(s: &str) -> Result<Stage, ArgError> {
    Stage::parse(s).ok_or_else(|| ArgError::OneOf(Stage::words()))
}

fn parse_kind(s: &str) -> Result<CaseKind, ArgError> {
    CaseKind::parse(s).ok_or_else(|| ArgError::OneOf(CaseKind::words()))
}

fn parse_doc_kind(s: &str) -> Result<crate::store::model::DocumentKind, ArgError> {
    crate::store::model::DocumentKind::parse(s)
        .ok_or_else(|| ArgError::OneOf(crate::store::model::DocumentKind::words()))
}

fn parse_decision(s: &str) -> Result<Action, ArgError> {
    match Action::parse(s) {
        Some(a @ (Action::Include | Action::Exclude | Action::Amend | Action::Refuse)) => Ok(a),
        _ => Err(ArgError::NotADecision),
    }
}

pub fn run(reg: &Locator, cmd: CaseCmd, out: &mut impl Write) -> Outcome {
    match cmd {
        CaseCmd::List { stage, kind, json } => {
            let s = Session::reader(reg)?;
            let mut first = true;
            if json {
                write!(out, "[")?;
            }
            case_file::for_each_case(s.db(), &stage, kind, |c| {
                let r = if json {
                    let sep = if first { "\n" } else { ",\n" };
                    write!(out, "{sep}{}", serde_json::to_string(&c)?)
                } else {
                    writeln!(
                        out,
                        "{:<16} {:<10} {:<18} {} {:<12} {}",
                        c.case,
                        c.kind,
                        c.stage,
                        ddmmyyyy(c.registered),
                        c.bin_iin,
                        for_terminal(&c.applicant, 40)
                    )
                };
                first = false;
                r.map_err(|e| crate::store::Error::Corrupt(format!("output: {e}")))
            })?;
            if json {
                writeln!(out, "\n]")?;
            }
            Ok(0)
        }
        CaseCmd::Show { case, at, json } => {
            let s = Session::reader(reg)?;
            let number = services::canonical_number(&case);
            let today = match at {
                Some(at) => s
                    .law
                    .calendar
                    .local_date(super::instant(Some(&at), &s.law, "--at")?),
                None => s.today(),
            };
            let file = case_file::load(s.db(), &s.law, &number, today)?;
            if json {
                serde_json::to_writer_pretty(&mut *out, &file)?;
                writeln!(out)?;
            } else {
                show_text(&file, out)?;
            }
            Ok(0)
        }
        CaseCmd::Decide {
            case,
            decision,
            grounds,
            reason,
            on,
            expect_version,
            late_reason,
            json,
        } => {
            let mut s = Session::open(reg)?;
            let number = services::canonical_number(&case);
            // §13: the notice is signed with the clerk's own key, at once.
            let signer = crate::docs::open_signer(s.db(), &s.login, None, chrono::Utc::now())?;
            let req = Decision {
                case: crate::rules::CaseNumber::new(&number),
                expected_version: expect_version,
                late_reason,
                action: decision,
                grounds,
                reason,
                on,
            };
            let result =
                s.act(|ctx| services::decide(ctx, &crate::docs::Issuer { signer: &signer }, &req));
            let result = result.and_then(|no| {
                let row = crate::store::read::queries::decision_summary(s.db(), &no)?;
                Ok(
                    serde_json::json!({"case": number, "decision": no, "outcome": row.0,
                    "issued_on": row.1, "version": row.2}),
                )
            });
            done(
                result,
                json,
                |v| {
                    format!(
                        "{}: {} — decision {} of {} (version {})",
                        v["case"].as_str().unwrap_or(""),
                        v["outcome"].as_str().unwrap_or(""),
                        v["decision"].as_str().unwrap_or(""),
                        v["issued_on"].as_str().unwrap_or(""),
                        v["version"]
                    )
                },
                out,
            )
        }
        CaseCmd::Attach {
            case,
            kind,
            name,
            number,
            valid_until,
            on,
            expect_version,
            json,
            file,
        } => {
            let content = crate::sign::read_named_file(&file)
                .map_err(|e| super::Failure::new(crate::docs::refusal::file(&e)))?;
            let mut s = Session::open(reg)?;
            let case = services::canonical_number(&case);
            let req = services::Attachment {
                case: crate::rules::CaseNumber::new(&case),
                expected_version: expect_version,
                kind,
                name,
                number,
                valid_until,
                content,
                on,
            };
            let result = s.act(|ctx| services::attach_document(ctx, &req));
            let result = result.and_then(|missing| {
                let f = case_file::load(s.db(), &s.law, &case, s.today())?;
                let doc = f.documents.last();
                Ok(serde_json::json!({
                    "case": case, "stage": f.stage, "version": f.version,
                    "sha256": doc.and_then(|d| d.sha256.clone()),
                    "bytes": doc.and_then(|d| d.size),
                    "missing": missing,
                }))
            });
            done(
                result,
                json,
                |v| {
                    let missing = v["missing"]
                        .as_array()
                        .map(|m| {
                            m.iter()
                                .filter_map(|x| x.as_str())
                                .collect::<Vec<_>>()
                                .join(", ")
                        })
                        .unwrap_or_default();
                    format!(
                        "{}: document attached (SHA-256 {}, {} bytes); stage {}{} (version {})",
                        v["case"].as_str().unwrap_or(""),
                        v["sha256"].as_str().unwrap_or(""),
                        v["bytes"],
                        v["stage"].as_str().unwrap_or(""),
                        if missing.is_empty() {
                            String::new()
                        } else {
                            format!(", still missing {missing}")
                        },
                        v["version"]
                    )
                },
                out,
            )
        }
        CaseCmd::Export { case, out: file } => {
            let file = out_file(&file)?;
            let s = Session::reader(reg)?;
            let number = services::canonical_number(&case);
            match export(&s, &number, &file) {
                Ok(n) => {
                    writeln!(
                        out,
                        "{number}: case file written to {} ({n} journal rows)",
                        file.display()
                    )?;
                    Ok(0)
                }
                Err(e) => failed(e, false, out),
            }
        }
    }
}

fn show_text(f: &case_file::CaseFile, out: &mut impl Write) -> std::io::Result<()> {
    let t = |s: &str| for_terminal(s, 200);
    writeln!(
        out,
        "{} — {} ({}), stage {}, version {}",
        f.case, f.kind, f.channel, f.stage, f.version
    )?;
    writeln!(
        out,
        "Applicant: {} (BIN/IIN {}), {}, {}",
        t(&f.applicant.name),
        f.applicant.bin_iin,
        t(&f.applicant.phone),
        t(&f.applicant.email)
    )?;
    writeln!(
        out,
        "Registered {} (received {}){}",
        ddmmyyyy(f.registered),
        super::work::local_time(&f.received_at),
        f.reopened_on
            .map(|d| format!("; reopened {}", ddmmyyyy(d)))
            .unwrap_or_default()
    )?;
    if let Some(dc) = &f.data_center {
        writeln!(out, "Data centre: {}", t(dc))?;
    }
    if !f.missing.is_empty() {
        let en = crate::i18n::Tr::new(crate::i18n::Lang::En);
        let missing = crate::store::model::Missing::list_words(&f.missing, &en);
        writeln!(out, "Missing (§9): {}", t(&missing))?;
    }
    for c in &f.clocks {
        let unpublished = c
            .calendar_unpublished
            .map(|y| format!("calendar not yet published for {y}"))
            .unwrap_or_default();
        let days = |n: i32| {
            if n == 1 {
                "working day"
            } else {
                "working days"
            }
        };
        let due = c.due.map_or_else(|| "unknown".into(), ddmmyyyy);
        let standing = match (c.state, c.working_days_left) {
            (ClockState::Unknown, _) => unpublished,
            (ClockState::Overdue, Some(n)) => format!("overdue by {} {}", -n, days(-n)),
            (ClockState::Lapsed, _) => "lapsed".into(),
            (ClockState::Overdue, None) => {
                format!("overdue (working days overdue unknown: {unpublished})")
            }
            (state, Some(n)) => format!("{} ({n} {} left)", state.as_str(), days(n)),
            (state, None) => format!("{} ({unpublished})", state.as_str()),
        };
        writeln!(out, "Clock {} {}: due {due} — {standing}", c.rule, c.clock)?;
    }
    if let Some(d) = f
        .hearing_notice_due
        .filter(|_| !f.clocks.iter().any(|c| c.clock == "hearing_notice"))
    {
        writeln!(
            out,
            "§12: a hearing notice (if refusing) is due by {}",
            ddmmyyyy(d)
        )?;
    }
    if let Some(h) = &f.hearing {
        writeln!(
            out,
            "Hearing: {} at {} (notified {}){}",
            h.at.format("%d.%m.%Y %H:%M"),
            t(&h.place),
            ddmmyyyy(h.notified_on),
            match (&h.outcome, h.held_on) {
                (Some(o), Some(d)) => format!(", {o} on {}", ddmmyyyy(d)),
                _ => String::new(),
            }
        )?;
    }
    if let Some(r) = &f.reason {
        writeln!(out, "Reasoning (grounds {}): {}", f.grounds, t(r))?;
    }
    writeln!(out, "Units: {}", f.units.len())?;
    for u in f.units.iter().take(20) {
        writeln!(
            out,
            "  {:<24} {:<15} {}",
            t(&u.serial),
            u.status,
            u.entry_no.map(|e| format!("entry {e}")).unwrap_or_default()
        )?;
    }
    if f.units.len() > 20 {
        writeln!(
            out,
            "  … and {} more (--json lists all)",
            f.units.len() - 20
        )?;
    }
    for c in &f.conflicts {
        writeln!(
            out,
            "CONFLICT {}: {} is already entry {} ({}, {} {})",
            c.field,
            t(&c.serial),
            c.entry_no,
            c.case,
            t(&c.miner),
            c.bin_iin
        )?;
    }
    for d in &f.decisions {
        writeln!(
            out,
            "Decision {} {} on {}",
            d.number,
            d.outcome,
            ddmmyyyy(d.issued_on)
        )?;
    }
    for n in &f.notices {
        let delivered: Vec<String> = n
            .deliveries
            .iter()
            .map(|d| format!("{} {}", d.via, ddmmyyyy(d.on)))
            .collect();
        writeln!(
            out,
            "Notice {} ({}) of {}: {}",
            n.number,
            n.kind,
            ddmmyyyy(n.issued_on),
            if delivered.is_empty() {
                "not yet delivered".to_string()
            } else {
                format!("delivered by {}", delivered.join(", "))
            }
        )?;
    }
    for d in &f.documents {
        writeln!(
            out,
            "Document {}: {}{}{}{}",
            d.kind,
            t(&d.name),
            d.number
                .as_deref()
                .map(|n| format!(" No. {}", t(n)))
                .unwrap_or_default(),
            d.valid_until
                .map(|v| format!(", valid until {}", ddmmyyyy(v)))
                .unwrap_or_default(),
            d.sha256
                .as_deref()
                .map(|h| format!(", attached (SHA-256 {h})"))
                .unwrap_or_default()
        )?;
    }
    for c in &f.complaints {
        writeln!(
            out,
            "Complaint {} to {}: {}{}",
            c.complaint,
            c.addressed_to,
            c.status,
            c.outcome
                .as_deref()
                .map(|o| format!(" ({o})"))
                .unwrap_or_default()
        )?;
    }
    if !f.terms.is_empty() {
        writeln!(out, "Terms on the record:")?;
        for t in &f.terms {
            let late = match t.late_wd {
                0 => "in time".to_string(),
                n => format!(
                    "LATE by {n} working day(s): {}",
                    t.reason.as_deref().map(t_inert).unwrap_or_default()
                ),
            };
            writeln!(
                out,
                "  {} {}{}: due {}, done {} by {} — {late}",
                t.rule,
                t.clock,
                t.complaint
                    .as_deref()
                    .map(|c| format!(" ({c})"))
                    .unwrap_or_default(),
                ddmmyyyy(t.due),
                ddmmyyyy(t.done_on),
                t_inert(&t.actor),
            )?;
        }
    }
    writeln!(out, "History:")?;
    for h in &f.history {
        writeln!(
            out,
            "  #{:<7} {} {:<12} {}",
            h.seq,
            super::work::local_time(&h.at),
            h.actor,
            h.kind
        )?;
    }
    Ok(())
}

/// Writes the §21 case file: the application, the case with its decisions,
/// hearing and complaints, and the journal excerpt with hashes; the manifest
/// lists each file's SHA-256.
fn export(s: &Session, number: &str, file: &Path) -> crate::store::Result<usize> {
    use sha2::{Digest, Sha256};
    let conn = s.db();
    let case = case_file::load(conn, &s.law, number, s.today())?;
    let application = case_file::application_json(conn, number)?;
    let mut subjects = vec![number.to_string()];
    subjects.extend(case.complaints.iter().map(|c| c.complaint.clone()));
    let journal = case_file::journal_excerpt(conn, &subjects)?;
    let head = crate::store::read::queries::journal_head(conn)?;
    let mut files: Vec<(String, Vec<u8>)> = vec![
        (
            "application.json".into(),
            serde_json::to_vec_pretty(&application)?,
        ),
        ("case.json".into(), serde_json::to_vec_pretty(&case)?),
        (
            "journal.jsonl".into(),
            journal
                .iter()
                .map(|r| r.to_string() + "\n")
                .collect::<String>()
                .into_bytes(),
        ),
    ];
    // Issue 21: the documents attached since registration, as kept (their
    // SHA-256 is the journal's), and each signed notice rendered in the
    // three languages, as text and as the printable page.
    for d in &case.documents {
        if let Some(sha) = &d.sha256 {
            let bytes = case_file::attachment(conn, sha)?;
            files.push((format!("documents/{sha}"), bytes));
        }
    }
    for n in &case.notices {
        let notice = crate::docs::get(conn, &n.number)?;
        let content = crate::docs::parsed(&notice)
            .map_err(|e| crate::store::Error::Corrupt(format!("notice {}: {e}", n.number)))?;
        let seal = crate::docs::render::Seal {
            signature_b64: &notice.signature,
            canonical: &notice.content,
        };
        for lang in crate::i18n::Lang::ALL {
            let l = lang.code();
            files.push((
                format!("notices/{}.{l}.txt", n.number),
                crate::docs::render::text(&content, &seal, l).into_bytes(),
            ));
            files.push((
                format!("notices/{}.{l}.html", n.number),
                crate::docs::render::html(&content, &seal, l).into_bytes(),
            ));
        }
    }
    let manifest = serde_json::json!({
        "case": number,
        "exported_at": chrono::Utc::now().to_rfc3339(),
        "exported_by": s.login,
        "register_head": {"seq": head.0, "hash": head.1},
        "hash_rule": format!("hash = SHA-256(prev_hash \\n seq \\n at \\n actor \\n kind \\n subject \\n payload); genesis {}", journal::GENESIS),
        "files": files.iter().map(|(name, bytes)| serde_json::json!({
            "name": name, "bytes": bytes.len(), "sha256": hex::encode(Sha256::digest(bytes)),
        })).collect::<Vec<_>>(),
    });
    files.insert(
        0,
        (
            "manifest.json".into(),
            serde_json::to_vec_pretty(&manifest)?,
        ),
    );
    // A new file, 0600, complete before it takes its name (`crate::files`).
    let mut new = crate::files::NewFile::create(file)?;
    let mut write = || -> std::io::Result<()> {
        let mut tar = tar::Builder::new(new.file().map_err(std::io::Error::other)?);
        let dir = number.to_string();
        for (name, bytes) in &files {
            let mut h = tar::Header::new_gnu();
            h.set_size(bytes.len() as u64);
            h.set_mode(0o644);
            h.set_mtime(chrono::Utc::now().timestamp().max(0) as u64);
            h.set_cksum();
            tar.append_data(&mut h, format!("{dir}/{name}"), &bytes[..])?;
        }
        tar.into_inner()?;
        Ok(())
    };
    write().map_err(|e| crate::files::Error::Io {
        path: file.to_path_buf(),
        detail: e.to_string(),
    })?;
    new.publish()?;
    Ok(journal.len())
}

fn t_inert(s: &str) -> String {
    crate::rules::text::for_terminal(s, 300)
}
