//! Intake of applications: portal JSON files (`tizilim intake`), each checked,
//! then registered in a transaction of its own — a file with any error stores
//! nothing, a resubmitted application stores nothing and answers with its
//! case, and a file's outcome is reported *before* its transaction commits,
//! so a reader that goes away (`intake … | head -1`) never leaves a case
//! stored that nobody was told about.

pub mod json;
pub mod validate;

use std::path::Path;

use chrono::{DateTime, NaiveDate, Utc};
use serde::Serialize;

use crate::rules::Login;
use crate::rules::{CaseKind, Law};
use crate::store::engine::Acts;
use crate::store::model::Application;
use crate::store::read::queries::{self, SerialConflict};
use crate::store::{Error, dedup, services};
pub use validate::{FieldError, parse_application};

/// What became of one file (`intake --json`).
#[derive(Debug, Clone, Serialize)]
pub struct FileOutcome {
    pub file: String,
    /// The case registered — or, for a resubmission, the case it repeats.
    pub case: Option<String>,
    pub errors: Vec<FieldError>,
    /// `registered`, `resubmission` (nothing stored), `refused` (nothing
    /// stored), `refused_at_desk` (§9: an incomplete package brought to the
    /// office; no case, the refusal on the record with its receipt).
    pub status: &'static str,
    /// The receipt of a refusal at the desk (`DSK-YYYY-NNNNNN`).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub receipt: Option<String>,
    /// What the package refused at the desk lacked (codes, as `incomplete`).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub missing: Option<Vec<String>>,
    /// The receipt as printed for the applicant, in their language (text
    /// output; `doc receipt` prints it again).
    #[serde(skip)]
    pub receipt_text: Option<String>,
    /// For an incomplete package: what is missing and when the §9 refusal is due.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub incomplete: Option<Incomplete>,
    /// Serials already in the register for another miner.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub conflicts: Vec<SerialConflict>,
}

#[derive(Debug, Clone, Serialize)]
pub struct Incomplete {
    pub missing: Vec<String>,
    /// The clock's rule (`§9`) and the last day of the reasoned refusal:
    /// `null` when it falls in a year whose calendar is not yet published
    /// (`calendar_unpublished` names the year).
    pub rule: String,
    pub refusal_due: Option<NaiveDate>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub calendar_unpublished: Option<i32>,
}

impl Incomplete {
    /// `incomplete: missing ownership_proof — §9 refusal due 18.11.2026`
    pub fn describe(&self) -> String {
        let what: Vec<String> = self
            .missing
            .iter()
            .map(|m| match crate::store::model::Missing::parse(m) {
                crate::store::model::Missing::NotSubmitted(kind) => format!("missing {kind}"),
                crate::store::model::Missing::Expired { kind, valid_until } => {
                    format!("{kind} expired on {}", valid_until.format("%d.%m.%Y"))
                }
                crate::store::model::Missing::Other(s) => s,
            })
            .collect();
        let due = match (self.refusal_due, self.calendar_unpublished) {
            (Some(d), _) => d.format("%d.%m.%Y").to_string(),
            (None, year) => format!(
                "unknown (calendar not yet published for {})",
                year.map_or_else(|| "?".into(), |y| y.to_string())
            ),
        };
        format!(
            "incomplete: {} — {} refusal due {due}",
            what.join("; "),
            self.rule,
        )
    }
}

/// A serial conflict as a line a clerk reads (intake, `case show`).
pub fn describe_conflict(c: &SerialConflict) -> String {
    match (c.status.as_str(), c.entry_no) {
        ("included", Some(entry)) => format!(
            "{}: {} is already in the register for another miner (entry {entry}, {}, BIN/IIN {})",
            c.field, c.serial, c.case, c.bin_iin
        ),
        _ => format!(
            "{}: {} is also applied for by another miner ({}, BIN/IIN {}, pending)",
            c.field, c.serial, c.case, c.bin_iin
        ),
    }
}

impl FileOutcome {
    pub fn refused(file: &str, errors: Vec<FieldError>) -> FileOutcome {
        FileOutcome {
            file: file.to_string(),
            case: None,
            errors,
            status: "refused",
            receipt: None,
            missing: None,
            receipt_text: None,
            incomplete: None,
            conflicts: Vec::new(),
        }
    }

    pub fn stored(&self) -> bool {
        self.status == "registered" || self.status == "refused_at_desk"
    }

    /// Did the file end well (registered, already registered, or refused at
    /// the desk with its receipt: the act the Rules ask for, §9)?
    pub fn ok(&self) -> bool {
        (self.case.is_some() || self.receipt.is_some()) && self.errors.is_empty()
    }
}

fn store_error(e: Error) -> FieldError {
    FieldError::store(&e)
}

/// Reads, validates and registers one file (`-` is standard input). `report`
/// is called with the outcome before anything is committed; if it fails (the
/// output is gone), the file is not stored and `Err(Error::Output)` returns.
pub fn intake_file(
    store: &mut dyn Acts,
    law: &Law,
    actor: &Login,
    now: DateTime<Utc>,
    path: &Path,
    report: &mut dyn FnMut(&FileOutcome) -> std::io::Result<()>,
) -> Result<FileOutcome, Error> {
    intake_file_lang(store, law, actor, now, path, crate::i18n::Lang::Kk, report)
}

/// [`intake_file`], the receipt of a refusal at the desk (§9) in
/// `receipt_lang` (the applicant's language; `intake --receipt-lang`).
pub fn intake_file_lang(
    store: &mut dyn Acts,
    law: &Law,
    actor: &Login,
    now: DateTime<Utc>,
    path: &Path,
    receipt_lang: crate::i18n::Lang,
    report: &mut dyn FnMut(&FileOutcome) -> std::io::Result<()>,
) -> Result<FileOutcome, Error> {
    let file = path.display().to_string();
    let outcome = match read_bounded(path) {
        Err(m) => FileOutcome::refused(&file, vec![m.field_error()]),
        Ok(bytes) => match parse_application(&bytes, now, law) {
            Err(errors) => FileOutcome::refused(&file, errors),
            Ok(app) => {
                return register(store, law, actor, now, &file, app, receipt_lang, report);
            }
        },
    };
    report(&outcome).map_err(|e| Error::Output(e.to_string()))?;
    Ok(outcome)
}

/// Registers a validated application inside `tx`, exactly as `tizilim
/// intake` does: the resubmission check (`store::dedup`), the case
/// (`services::register_application`, which checks the actor's role), what
/// an incomplete package lacks and when its §9 refusal is due, and the
/// serials already in the register for another miner. The CLI (one
/// transaction per file) and the console's intake form
/// (`store::write_on`) share it. A request number reused with other
/// content is a refusal, not an error: nothing is stored.
/// An incomplete package brought to the office is refused at the desk (§9)
/// with its receipt in Kazakhstan's state language; [`register_in_lang`]
/// names the applicant's.
pub fn register_in(
    ctx: &services::Context,
    file: &str,
    app: Application,
) -> Result<FileOutcome, Error> {
    register_in_lang(ctx, file, app, crate::i18n::Lang::Kk)
}

/// [`register_in`], the receipt of a refusal at the desk in `receipt_lang`.
pub fn register_in_lang(
    ctx: &services::Context,
    file: &str,
    app: Application,
    receipt_lang: crate::i18n::Lang,
) -> Result<FileOutcome, Error> {
    let (db, law): (&dyn crate::store::sql::Sql, _) = (ctx.tx, ctx.law);
    Ok(match dedup::find(db, &app)? {
        Some(dedup::Prior::Same { case }) => FileOutcome {
            case: Some(case),
            status: "resubmission",
            ..FileOutcome::refused(file, Vec::new())
        },
        Some(dedup::Prior::RequestNoClash { case }) => FileOutcome::refused(
            file,
            vec![FieldError::new(
                "request_no",
                crate::store::reason::Problem::RequestNoClash {
                    request_no: crate::rules::text::for_terminal(
                        app.request_no.as_deref().unwrap_or(""),
                        64,
                    ),
                    case: case.to_string(),
                },
            )],
        ),
        None if app.channel == crate::rules::Channel::Office
            && !app
                .missing_documents(law.calendar.local_date(app.received_at))
                .is_empty() =>
        {
            // §9, second paragraph: the office refuses to accept it; no case.
            let (receipt, missing) = services::refuse_at_desk(ctx, app, receipt_lang.code())?;
            let row = crate::store::read::case_file::desk_refusal(db, &receipt)?;
            FileOutcome {
                status: "refused_at_desk",
                receipt_text: Some(receipt_text(&row, law.rules.office.zone)),
                receipt: Some(receipt),
                missing: Some(missing),
                ..FileOutcome::refused(file, Vec::new())
            }
        }
        None => {
            let inclusion = app.kind == CaseKind::Inclusion;
            let received_on = law.calendar.local_date(app.received_at);
            let missing = app.missing_documents(received_on);
            let received_at = app.received_at;
            let number = services::register_application(ctx, app)?;
            let incomplete = if missing.is_empty() {
                None
            } else {
                let registered_on = law.calendar.registration_day(received_at)?;
                let rule = law.rules.rule(registered_on, "refuse_incomplete")?;
                // A last day in a year whose calendar is not yet published is
                // not known; the application is registered all the same.
                let (refusal_due, calendar_unpublished) = match law
                    .calendar
                    .add_working_days(registered_on, rule.working_days as i32)
                {
                    Ok(d) => (Some(d), None),
                    Err(e) => match e.unpublished_year() {
                        Some(year) => (None, Some(year)),
                        None => return Err(e.into()),
                    },
                };
                Some(Incomplete {
                    missing,
                    rule: rule.rule.clone(),
                    refusal_due,
                    calendar_unpublished,
                })
            };
            let conflicts = if inclusion {
                queries::serial_conflicts(db, &number)?
            } else {
                Vec::new()
            };
            FileOutcome {
                case: Some(number),
                status: "registered",
                incomplete,
                conflicts,
                ..FileOutcome::refused(file, Vec::new())
            }
        }
    })
}

/// A store error as the field it names (`$` for the whole application).
pub fn store_error_field(e: Error) -> FieldError {
    store_error(e)
}

#[allow(clippy::too_many_arguments)]
fn register(
    store: &mut dyn Acts,
    law: &Law,
    actor: &Login,
    now: DateTime<Utc>,
    file: &str,
    app: Application,
    receipt_lang: crate::i18n::Lang,
    report: &mut dyn FnMut(&FileOutcome) -> std::io::Result<()>,
) -> Result<FileOutcome, Error> {
    // The role first, with a read: a login that may not register never
    // takes the write lock (stopped there, it would hold up every clerk for
    // the busy timeout). `register_application` checks it again inside.
    if let Err(e) = services::require_role(
        store.db(),
        actor,
        services::may::REGISTER,
        "register applications",
    ) {
        let o = FileOutcome::refused(file, vec![store_error(e)]);
        report(&o).map_err(|e| Error::Output(e.to_string()))?;
        return Ok(o);
    }
    let mut reported = None;
    let mut app = Some(app);
    let mut decided = None;
    let result = store
        .write_dyn(&mut |tx| {
            let ctx = services::Context {
                tx,
                law,
                actor,
                at: now,
            };
            let app = app
                .take()
                .ok_or_else(|| Error::Corrupt("the intake's transaction ran twice".into()))?;
            let outcome = register_in_lang(&ctx, file, app, receipt_lang)?;
            // Told first, committed after: if the output is gone, nothing is stored.
            report(&outcome).map_err(|e| Error::Output(e.to_string()))?;
            reported = Some(outcome.clone());
            decided = Some(outcome);
            Ok(())
        })
        .and_then(|()| {
            decided
                .take()
                .ok_or_else(|| Error::Corrupt("the intake decided nothing".into()))
        });
    match (result, reported) {
        (Ok(o), _) => Ok(o),
        (Err(e @ Error::Output(_)), _) => Err(e),
        // The commit itself failed after the outcome was reported: say so.
        (Err(e), Some(told)) if told.stored() => {
            let retraction = FileOutcome::refused(
                file,
                vec![FieldError {
                    field: "$".into(),
                    message: format!(
                        "NOT stored after all — {} is void: {e}",
                        told.case
                            .clone()
                            .or(told.receipt.clone())
                            .unwrap_or_default()
                    ),
                    why: crate::i18n::Message::new("err-not-stored-after-all")
                        .arg("case", told.case.or(told.receipt).unwrap_or_default())
                        .nest("why", e.message()),
                }],
            );
            report(&retraction).map_err(|e| Error::Output(e.to_string()))?;
            Ok(retraction)
        }
        (Err(e), _) => {
            let o = FileOutcome::refused(file, vec![store_error(e)]);
            report(&o).map_err(|e| Error::Output(e.to_string()))?;
            Ok(o)
        }
    }
}

/// Reads at most one byte more than an application may hold, so a huge file
/// is refused without reading it all. Only a regular file (or `-`, standard
/// input) is read: a FIFO with no writer, a device or a directory is refused
/// at once instead of blocking or reading forever. The file is opened
/// non-blocking and checked on the open descriptor, so swapping it for a FIFO
/// after the check does not hang either.
fn read_bounded(path: &Path) -> Result<Vec<u8>, ReadError> {
    use std::io::Read;
    use std::os::unix::fs::{FileTypeExt, OpenOptionsExt};
    let limit = validate::MAX_FILE_BYTES as u64 + 1;
    let mut bytes = Vec::new();
    let shown = crate::rules::text::for_terminal(&path.display().to_string(), 200);
    if path.as_os_str() == "-" {
        std::io::stdin()
            .lock()
            .take(limit)
            .read_to_end(&mut bytes)
            .map_err(ReadError::Stdin)?;
        return Ok(bytes);
    }
    let cannot = |source| ReadError::Cannot {
        file: shown.clone(),
        source,
    };
    let f = std::fs::OpenOptions::new()
        .read(true)
        .custom_flags(nix::fcntl::OFlag::O_NONBLOCK.bits())
        .open(path)
        .map_err(cannot)?;
    let kind = f.metadata().map_err(cannot)?.file_type();
    if !kind.is_file() {
        use crate::store::reason::FileKind;
        let what = if kind.is_fifo() {
            FileKind::Fifo
        } else if kind.is_dir() {
            FileKind::Directory
        } else if kind.is_char_device() || kind.is_block_device() {
            FileKind::Device
        } else if kind.is_socket() {
            FileKind::Socket
        } else {
            FileKind::Other
        };
        return Err(ReadError::NotRegular { file: shown, what });
    }
    f.take(limit).read_to_end(&mut bytes).map_err(cannot)?;
    Ok(bytes)
}

/// Why intake could not read a file (reported as the file's `$` error).
/// `file` is the path as shown: inert, at most 200 characters.
#[derive(Debug, thiserror::Error)]
pub enum ReadError {
    #[error("cannot read standard input: {0}")]
    Stdin(#[source] std::io::Error),
    #[error("cannot read {file}: {source}")]
    Cannot {
        file: String,
        source: std::io::Error,
    },
    /// A FIFO, a directory, a device or a socket: never read (it could block
    /// or never end).
    #[error("{file} is {what}: intake reads regular files (or `-` for standard input)")]
    NotRegular {
        file: String,
        what: crate::store::reason::FileKind,
    },
}

impl ReadError {
    /// The file's `$` error.
    pub fn field_error(&self) -> FieldError {
        use crate::store::reason::Problem;
        match self {
            ReadError::Stdin(e) => FieldError::new("$", Problem::Stdin(e.to_string())),
            ReadError::Cannot { file, source } => FieldError::new(
                "$",
                Problem::CannotRead {
                    path: file.clone(),
                    detail: source.to_string(),
                },
            ),
            ReadError::NotRegular { file, what } => FieldError::new(
                "$",
                Problem::NotRegularFile {
                    file: file.clone(),
                    what: *what,
                },
            ),
        }
    }
}

/// The receipt of a refusal to accept at the desk (§9), printed for the
/// applicant in the language the refusal recorded (`tizilim intake`, `doc
/// receipt`, the console's desk form). Applicant text is made inert.
pub fn receipt_text(r: &crate::store::read::case_file::DeskRefusal, zone: chrono_tz::Tz) -> String {
    use crate::rules::text::for_terminal;
    let lang = crate::i18n::Lang::from_code(&r.lang).unwrap_or(crate::i18n::Lang::Kk);
    let tr = crate::i18n::Tr::new(lang);
    let missing: Vec<String> = r
        .missing
        .iter()
        .map(|m| crate::store::model::Missing::parse(m).words(&tr))
        .collect();
    let at = chrono::DateTime::parse_from_rfc3339(&r.received_at)
        .map(|t| t.with_timezone(&zone).format("%d.%m.%Y %H:%M").to_string())
        .unwrap_or_else(|_| for_terminal(&r.received_at, 40));
    [
        tr.t("desk-receipt-title"),
        tr.a(
            "desk-receipt-number",
            &[("receipt", &r.receipt), ("date", &tr.date(r.refused_on))],
        ),
        tr.a(
            "desk-receipt-applicant",
            &[
                ("name", &for_terminal(&r.name, 200)),
                ("bin_iin", &for_terminal(&r.bin_iin, 20)),
            ],
        ),
        tr.a(
            "desk-receipt-kind",
            &[("kind", &tr.word("kind-", &r.kind)), ("at", &at)],
        ),
        tr.a("desk-receipt-missing", &[("missing", &missing.join("; "))]),
        tr.t("desk-receipt-body"),
        tr.a("desk-receipt-by", &[("actor", &for_terminal(&r.actor, 64))]),
    ]
    .join("\n")
}
