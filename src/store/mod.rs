//! The register in SQLite: one file in WAL mode shared by one process per SSH
//! session. Every change is a journal row appended in the same `BEGIN
//! IMMEDIATE` transaction as the read-model update (`events::apply`).

pub mod act;
pub mod audit;
pub mod backup;
pub mod dedup;
pub mod engine;
pub mod events;
pub mod journal;
pub mod migrate;
pub mod model;
pub mod pg;
pub mod read;
pub mod reason;
pub mod schema;
pub mod services;
pub mod sql;
pub mod terms;
pub mod unit_rows;
pub mod witness;

use std::path::{Path, PathBuf};
use std::time::Duration;

use rusqlite::{Connection, OpenFlags, Transaction, TransactionBehavior};

use crate::i18n::Message;
use crate::rules::{Law, RulesError};

#[derive(Debug, thiserror::Error)]
pub enum Error {
    #[error(
        "no register at {0}: create one with `tizilim init` (or `tizilim demo`), or choose another with --db or TIZILIM_DB"
    )]
    NoRegister(PathBuf),
    #[error("a register already exists at {0}")]
    Exists(PathBuf),
    #[error("{0} is not a tizilim register ({1}); it was left untouched")]
    NotRegister(PathBuf, String),
    #[error(
        "{0} exists and is not a tizilim register ({1}): init never overwrites a file; remove it or choose another --db"
    )]
    ExistsNotRegister(PathBuf, String),
    #[error("cannot create the register {0}: {1}; nothing was left behind")]
    CreateFailed(PathBuf, Box<Error>),
    #[error(
        "{path} was made by a newer tizilim (schema v{found}; this one knows up to v{known}): use that version; the file was left untouched"
    )]
    Newer {
        path: PathBuf,
        found: i64,
        known: usize,
    },
    #[error(
        "the register {0} is read-only here: the reading commands work, changes need write access"
    )]
    ReadOnly(PathBuf),
    #[error(
        "the register {0} is read-only here and at schema v{1}: this tizilim reads v{2}, and upgrading it needs write access once"
    )]
    ReadOnlyOld(PathBuf, usize, usize),
    /// An older register opened but not yet upgraded: only a user of the
    /// register upgrades it (`Store::upgrade_as`), never a stranger.
    #[error(
        "the register {path} is at schema v{found} and this tizilim works on v{known}: it is upgraded when one of its users opens it"
    )]
    NotUpgraded {
        path: PathBuf,
        found: usize,
        known: usize,
    },
    #[error("{login} may not {action}: that needs the role {needed} (yours: {have})")]
    Forbidden {
        login: String,
        action: &'static str,
        needed: String,
        have: String,
    },
    #[error("{0} not found")]
    NotFound(reason::Missing),
    #[error("{field}: {problem}")]
    Invalid {
        field: String,
        problem: Box<reason::Problem>,
    },
    /// Someone acted on the case (or complaint) since the user looked at it.
    #[error(
        "{subject} was changed by {by} at {at} (now version {version}, you saw {expected}); reload and try again"
    )]
    Stale {
        subject: String,
        version: i64,
        expected: i64,
        by: String,
        at: String,
    },
    /// The Rules forbid the act: `rule` is the paragraph (`§12`).
    #[error("{rule}: {reason}")]
    Refused {
        rule: String,
        reason: Box<reason::Refusal>,
    },
    #[error("{0}")]
    Rules(#[from] RulesError),
    #[error("the register is inconsistent: {0}")]
    Corrupt(String),
    #[error("database: {0}")]
    Sql(#[from] rusqlite::Error),
    #[error("database schema: {0}")]
    Migration(#[from] rusqlite_migration::Error),
    /// PostgreSQL's words (with the SQLSTATE) or its client's.
    #[error("database: {0}")]
    Postgres(String),
    #[error(
        "{command} works on a register file only; a PostgreSQL register is backed up with `pg_basebackup` and `archive_command` (docs/operations.md), and a copy to a file is made with `tizilim --db URL migrate --to FILE`"
    )]
    NotOnPostgres { command: String },
    /// Another session held the register's write lock for as long as a
    /// save waits (`tui::worker::WAIT`): nothing was stored.
    #[error(
        "another session is writing to the register and did not finish in time; nothing was stored: save again"
    )]
    Busy,
    /// The connection to a PostgreSQL register broke while an act was being
    /// saved (the server stopped, a fail-over): whether it was committed is
    /// not known here.
    #[error(
        "the connection to the register was lost while saving ({detail}); whether the act was stored is not known: once reconnected, look at the case before saving again"
    )]
    ConnectionLost { detail: String },
    #[error("journal payload: {0}")]
    Json(#[from] serde_json::Error),
    /// Writing the command's output failed (closed pipe, full disk): not the
    /// register's fault, and the transaction it interrupted is rolled back.
    #[error("output error: cannot write to standard output: {0}")]
    Output(String),
    /// The register's file is damaged: SQLite found a page it cannot read, or
    /// its integrity check failed.
    #[error(
        "the register {0} is damaged ({1}): restore it from a backup (docs/operations.md, \"Backups\")"
    )]
    Damaged(PathBuf, String),
    /// The act was committed but its witness line could not be written.
    /// `row`: the journal row that is stored without its witness line
    /// (none: the witness could not be opened, and nothing was stored).
    #[error(
        "the witness {} could not be written: {}",
        .path.display(),
        match .row {
            Some(seq) => format!("journal row {seq} is stored, its witness line is not: {}", .detail),
            None => format!("{}; nothing was stored", .detail),
        }
    )]
    Witness {
        path: PathBuf,
        row: Option<i64>,
        detail: String,
    },
    /// The set-ID program could not take or give up the register account.
    #[error("privilege: {0}")]
    Privilege(#[source] crate::privilege::PrivilegeError),
    /// §9 (issue 21): an inclusion while the ownership proof is missing or
    /// expired on the decision's day (a case reopened after a §9 refusal
    /// included nothing before its proof is on file).
    #[error(
        "§9: {case} lacks {missing} on {on}: an inclusion needs the ownership proof on file and in force; attach it (tizilim case attach) or refuse under §9"
    )]
    IncompletePackage {
        case: String,
        missing: String,
        on: String,
    },
    /// A delivery dated before the notice was issued (issue 21).
    #[error("on: {notice} was issued on {issued_on}; it cannot have reached the applicant on {on}")]
    DeliveryBeforeIssue {
        notice: String,
        issued_on: String,
        on: String,
    },
    /// The same way of delivery recorded twice for one notice (issue 21).
    #[error("via: the delivery of {notice} by {via} is already on the record ({on})")]
    DeliveryRecorded {
        notice: String,
        via: String,
        on: String,
    },
    /// §9 at the desk (issue 21): only a package brought to the office is
    /// refused there.
    #[error(
        "channel: only a package brought to the office is refused at the desk (§9); one filed on the portal is registered and refused within 2 working days"
    )]
    NotAtDesk,
    /// §9 at the desk (issue 21): a complete package is registered, not refused.
    #[error("documents: the package is complete: register it (§9 refuses only an incomplete one)")]
    DeskComplete,
    /// `case attach` (issue 21): an empty file is no document.
    #[error("file: {name} is empty")]
    EmptyFile { name: String },
    /// A file attached to a case twice (issue 21).
    #[error("file: this file (SHA-256 {sha256}) is already attached to {case} as {name}")]
    AlreadyAttached {
        case: String,
        sha256: String,
        name: String,
    },
    /// A file for `--out` was refused or could not be written
    /// (`crate::files`: new files only, no link, no dotfile, a clerk's in
    /// the notices folder).
    #[error(transparent)]
    File(#[from] crate::files::Error),
    /// §11: a refusal after the hearing names a ground the hearing notice
    /// did not: the applicant was never heard on it.
    #[error(
        "§11: grounds: {new} not named in the hearing notice of {case} (it named {noticed}): a refusal on a new ground needs a new preliminary decision and hearing"
    )]
    GroundNotNoticed {
        case: String,
        new: String,
        noticed: String,
    },
    /// §18: the provider, before forwarding a complaint, may only grant it
    /// in full, within the forwarding term.
    #[error(
        "§18: {complaint} is for the complaint body: within 3 working days (by {due}) the provider may only grant it in full; otherwise it forwards it"
    )]
    GrantOnly { complaint: String, due: String },
    /// §18: the forwarding term is over: the provider may no longer grant.
    #[error(
        "§18: {complaint}: the provider could grant it only within 3 working days, by {due}; forward it now"
    )]
    GrantTermOver { complaint: String, due: String },
}

impl From<crate::rules::CalendarError> for Error {
    fn from(e: crate::rules::CalendarError) -> Self {
        Error::Rules(e.into())
    }
}

pub type Result<T, E = Error> = std::result::Result<T, E>;

/// SQLite's "database disk image is malformed" (or "not a database" past
/// the header we checked) as what it is: a damaged register.
fn damaged_or(e: Error, path: &Path) -> Error {
    use rusqlite::ErrorCode::{DatabaseCorrupt, NotADatabase};
    match &e {
        Error::Sql(s) if matches!(s.sqlite_error_code(), Some(DatabaseCorrupt | NotADatabase)) => {
            Error::Damaged(path.to_path_buf(), s.to_string())
        }
        _ => e,
    }
}

/// A write refused because the file or its folder is read-only, as the
/// reader should see it.
fn read_only_or(e: Error, path: &Path) -> Error {
    use rusqlite::ErrorCode::{CannotOpen, DatabaseCorrupt, NotADatabase, ReadOnly};
    let sql = match &e {
        Error::Sql(s) => Some(s),
        Error::Migration(rusqlite_migration::Error::RusqliteError { err, .. }) => Some(err),
        _ => None,
    };
    match sql.and_then(|s| s.sqlite_error_code()) {
        Some(DatabaseCorrupt | NotADatabase) => Error::Damaged(
            path.to_path_buf(),
            sql.map(|s| s.to_string()).unwrap_or_default(),
        ),
        Some(ReadOnly | CannotOpen) => Error::ReadOnly(path.to_path_buf()),
        _ => e,
    }
}

impl Error {
    /// The error as a catalog key with its arguments (`err-…` in
    /// `data/i18n/*.ftl`): the CLI and the console render it in the reader's
    /// language. The English catalog says exactly what `Display` says
    /// (tests/errors.rs checks).
    pub fn message(&self) -> Message {
        let path = |p: &PathBuf| p.display().to_string();
        match self {
            Error::NoRegister(p) => Message::new("err-no-register").arg("path", path(p)),
            Error::Exists(p) => Message::new("err-exists").arg("path", path(p)),
            Error::NotRegister(p, why) => Message::new("err-not-register")
                .arg("path", path(p))
                .nest("why", reason::not_a_register(why)),
            Error::ExistsNotRegister(p, why) => Message::new("err-exists-not-register")
                .arg("path", path(p))
                .nest("why", reason::not_a_register(why)),
            Error::CreateFailed(p, why) => Message::new("err-create-failed")
                .arg("path", path(p))
                .nest("why", why.message()),
            Error::Newer {
                path: p,
                found,
                known,
            } => Message::new("err-newer")
                .arg("path", path(p))
                .arg("found", found)
                .arg("known", known),
            Error::ReadOnly(p) => Message::new("err-read-only").arg("path", path(p)),
            Error::ReadOnlyOld(p, found, known) => Message::new("err-read-only-old")
                .arg("path", path(p))
                .arg("found", found)
                .arg("known", known),
            Error::NotUpgraded {
                path: p,
                found,
                known,
            } => Message::new("err-not-upgraded")
                .arg("path", path(p))
                .arg("found", found)
                .arg("known", known),
            Error::Forbidden {
                login,
                action,
                needed,
                have,
            } => Message::new("err-forbidden")
                .arg("login", login)
                .nest(
                    "action",
                    match reason::deed(action) {
                        Some(key) => Message::new(key),
                        None => Message::new("err-detail").arg("detail", action),
                    },
                )
                .nest("needed", reason::roles(needed))
                .nest("have", reason::roles(have)),
            Error::NotFound(what) => what.message(),
            Error::Invalid { field, problem } => Message::new("err-invalid")
                .arg("field", field)
                .nest("message", problem.message()),
            Error::Stale {
                subject,
                version,
                expected,
                by,
                at,
            } => Message::new("err-stale")
                .arg("subject", subject)
                .arg("by", by)
                .arg("at", at)
                .arg("version", version)
                .arg("expected", expected),
            Error::Refused { rule, reason } => Message::new("err-refused")
                .nest("rule", reason::rule_words(rule))
                .nest("message", reason.message()),
            Error::Rules(e) => reason::rules(e),
            Error::IncompletePackage { case, missing, on } => {
                // What is missing in each language's words (the codes are
                // the English wording, as Display says them).
                let codes: Vec<String> = missing.split(", ").map(String::from).collect();
                let said = |lang| model::Missing::list_words(&codes, &crate::i18n::Tr::new(lang));
                Message::new("err-incomplete-package")
                    .arg("case", case)
                    .words(
                        "missing",
                        [
                            said(crate::i18n::Lang::Kk),
                            said(crate::i18n::Lang::Ru),
                            missing.clone(),
                        ],
                    )
                    .arg("on", on)
            }
            Error::DeliveryBeforeIssue {
                notice,
                issued_on,
                on,
            } => Message::new("err-delivery-before-issue")
                .arg("notice", notice)
                .arg("issued_on", issued_on)
                .arg("on", on),
            Error::DeliveryRecorded { notice, via, on } => Message::new("err-delivery-recorded")
                .arg("notice", notice)
                .arg("via", via)
                .arg("on", on),
            Error::NotAtDesk => Message::new("err-not-at-desk"),
            Error::DeskComplete => Message::new("err-desk-complete"),
            Error::EmptyFile { name } => Message::new("err-empty-file").arg("name", name),
            Error::AlreadyAttached { case, sha256, name } => Message::new("err-already-attached")
                .arg("case", case)
                .arg("sha256", sha256)
                .arg("name", name),
            Error::Corrupt(d) => Message::new("err-corrupt").arg("detail", d),
            Error::Sql(e) => Message::new("err-database").arg("detail", e),
            Error::Migration(e) => Message::new("err-schema").arg("detail", e),
            Error::Postgres(d) => Message::new("err-database").arg("detail", d),
            Error::NotOnPostgres { command } => {
                Message::new("err-not-on-postgres").arg("command", command)
            }
            Error::Busy => Message::new("err-busy"),
            Error::ConnectionLost { detail } => {
                Message::new("err-connection-lost").arg("detail", detail)
            }
            Error::Json(e) => Message::new("err-journal-payload").arg("detail", e),
            Error::Output(d) => Message::new("err-output").arg("detail", d),
            Error::Privilege(d) => {
                Message::new("err-privilege").nest("detail", reason::privilege(d))
            }
            Error::Damaged(p, why) => Message::new("err-damaged")
                .arg("path", path(p))
                .arg("why", why),
            Error::Witness {
                path: p,
                row,
                detail,
            } => match row {
                Some(seq) => Message::new("err-witness-not-written").arg("seq", seq),
                None => Message::new("err-witness-not-opened"),
            }
            .arg("path", path(p))
            .arg("detail", detail),
            Error::GroundNotNoticed { case, new, noticed } => {
                Message::new("err-ground-not-noticed")
                    .arg("case", case)
                    .arg("new", new)
                    .arg("noticed", noticed)
            }
            Error::GrantOnly { complaint, due } => Message::new("err-grant-only")
                .arg("complaint", complaint)
                .arg("due", due),
            Error::GrantTermOver { complaint, due } => Message::new("err-grant-term-over")
                .arg("complaint", complaint)
                .arg("due", due),
            Error::File(f) => {
                use crate::files::Error as F;
                match f {
                    F::Dotfile { path: p, part } => Message::new("err-out-dotfile")
                        .arg("file", path(p))
                        .arg("part", part),
                    F::Exists(p) => Message::new("err-out-exists").arg("file", path(p)),
                    F::Symlink(p) => Message::new("err-out-symlink").arg("file", path(p)),
                    F::OutsideNotices { path: p, dir } => Message::new("err-out-outside")
                        .arg("file", path(p))
                        .arg("dir", path(dir)),
                    F::NotOwnFolder(d) => Message::new("err-not-own-folder").arg("dir", path(d)),
                    F::Io { path: p, detail } => Message::new("err-out-file")
                        .arg("file", path(p))
                        .arg("detail", detail),
                }
            }
        }
    }

    /// A refusal under the paragraph it cites ([`reason::Refusal::rule`]).
    pub fn refused(reason: reason::Refusal) -> Self {
        Error::Refused {
            rule: reason.rule(),
            reason: Box::new(reason),
        }
    }

    /// What is wrong with a field.
    pub fn invalid(field: impl Into<String>, problem: reason::Problem) -> Self {
        Error::Invalid {
            field: field.into(),
            problem: Box::new(problem),
        }
    }
}

/// Runs `f` in a `BEGIN IMMEDIATE` transaction on a shared connection (the
/// console's worker's: `engine::Conn`): committed if it returns Ok, rolled
/// back (nothing stored) otherwise. The same discipline as [`Store::write`].
pub fn write_on<T>(conn: &Connection, f: impl FnOnce(&Transaction) -> Result<T>) -> Result<T> {
    witness::ready(conn)?;
    let tx = Transaction::new_unchecked(conn, TransactionBehavior::Immediate)?;
    let out = f(&tx)?;
    tx.commit()?;
    witness::record(conn)?;
    Ok(out)
}

/// A case or complaint number as the register spells it: clerks type
/// `abk-2026-001418` or paste ` ABK-2026-001418 `; both name ABK-2026-001418.
/// Every command that takes a number calls this before looking it up.
pub fn normalize_case_number(s: &str) -> String {
    services::canonical_number(s)
}

/// The head the witness of the register at `path` last saw, or why it
/// cannot be read here (a reader without the right to it).
fn witness_seen(path: &Path) -> std::result::Result<Option<witness::Head>, String> {
    let w = witness::path_for(path);
    witness::last(&w).map_err(|e| format!("{}: {e}", w.display()))
}

/// How long a writer waits for another session's transaction to finish.
const BUSY_TIMEOUT: Duration = Duration::from_secs(60);

pub struct Store {
    conn: Connection,
    path: PathBuf,
    read_only: bool,
    /// The schema version of an older register, opened but not yet
    /// upgraded (see [`Store::upgrade_as`]).
    old: Option<usize>,
    /// The last head the register's witness saw when it was opened (read
    /// while the register account was held; see `witness`), or why it could
    /// not be read.
    witness: std::result::Result<Option<witness::Head>, String>,
}

/// Every connection: a busy timeout, foreign keys, and `synchronous = FULL`:
/// a commit is on disk before the command says so (a case number told to an
/// applicant, a decision announced). The register's writes are human-paced,
/// so an fsync each is cheap; bulk paths relax it (`Store::bulk`).
fn configure(conn: &Connection) -> Result<()> {
    conn.busy_timeout(BUSY_TIMEOUT)?;
    cache_statements(conn);
    conn.pragma_update(None, "foreign_keys", true)?;
    conn.pragma_update(None, "synchronous", "FULL")?;
    // Sorts and temporary tables stay in memory: no temporary file outside
    // the register's folder ever holds its rows (see `privilege`).
    conn.pragma_update(None, "temp_store", "MEMORY")?;
    Ok(())
}

/// Room for every statement the code prepares with `prepare_cached` (about a
/// hundred sites): rusqlite keeps 16 by default, so the cache evicted what the
/// next act needed and re-preparing took 37% of the demo's CPU (issue 18).
const STATEMENT_CACHE: usize = 256;

/// The page cache of a bulk load (`Store::bulk`), in KiB: enough that a
/// batch's dirty pages and the indexes it touches stay in memory (the
/// demo's 10,000-case batches wrote as many pages with 128 MiB as with 256,
/// and its peak memory fell from 348 to 212 MB; issue 18).
const BULK_CACHE_KIB: i64 = 128 * 1024;
/// A bulk load checkpoints when the WAL holds this many pages (SQLite's
/// default is 1,000).
const BULK_CHECKPOINT_PAGES: i64 = 10_000;
/// The WAL a bulk load leaves behind is truncated to this size (bytes).
const BULK_WAL_LIMIT: i64 = 64 * 1024 * 1024;

fn cache_statements(conn: &Connection) {
    conn.set_prepared_statement_cache_capacity(STATEMENT_CACHE);
}

/// What a file at `--db` is, judged from its first 100 bytes without letting
/// SQLite near it (which could write to it).
fn sniff(path: &Path) -> Result<()> {
    use std::io::Read;
    let not = |why: &str| Error::NotRegister(path.to_path_buf(), why.to_string());
    let meta = std::fs::metadata(path).map_err(|e| match e.kind() {
        std::io::ErrorKind::NotFound => Error::NoRegister(path.to_path_buf()),
        _ => Error::invalid(
            "--db",
            reason::Problem::CannotRead {
                path: path.display().to_string(),
                detail: e.to_string(),
            },
        ),
    })?;
    if meta.is_dir() {
        return Err(not("a directory"));
    }
    if !meta.is_file() {
        return Err(not("not a regular file"));
    }
    let mut head = Vec::with_capacity(100);
    std::fs::File::open(path)
        .and_then(|f| f.take(100).read_to_end(&mut head))
        .map_err(|e| {
            Error::invalid(
                "--db",
                reason::Problem::CannotRead {
                    path: path.display().to_string(),
                    detail: e.to_string(),
                },
            )
        })?;
    if head.is_empty() {
        // A register whose every page is still in its write-ahead log (a crash
        // right after `init`) has an empty main file and a non-empty -wal.
        let wal = sidecar(path, "-wal");
        if std::fs::metadata(&wal).is_ok_and(|m| m.len() > 0) {
            return Ok(());
        }
        return Err(not("an empty file"));
    }
    if head.len() < 100 || !head.starts_with(b"SQLite format 3\0") {
        return Err(not("not an SQLite database"));
    }
    let app_id = i32::from_be_bytes(head[68..72].try_into().expect("4 bytes"));
    if app_id != 0 && app_id != schema::APPLICATION_ID {
        return Err(not("an SQLite database of another application"));
    }
    Ok(())
}

fn sidecar(path: &Path, suffix: &str) -> PathBuf {
    let mut s = path.as_os_str().to_owned();
    s.push(suffix);
    PathBuf::from(s)
}

/// Is this SQLite database a tizilim register, and of which schema version?
/// A register holds its tables whatever its `application_id` says: a file
/// that claims TZLM but lacks them is no register (and is never "upgraded"
/// into one).
fn identify(conn: &Connection, path: &Path) -> Result<usize> {
    let app_id: i32 = conn.pragma_query_value(None, "application_id", |r| r.get(0))?;
    let version: i64 = conn.pragma_query_value(None, "user_version", |r| r.get(0))?;
    let newer = version > schema::LATEST as i64;
    if app_id == schema::APPLICATION_ID && newer {
        // A newer tizilim's register: its tables are its own business.
        return Err(Error::Newer {
            path: path.to_path_buf(),
            found: version,
            known: schema::LATEST,
        });
    }
    let tables: i64 = conn.query_row(
        "SELECT count(*) FROM sqlite_master WHERE type = 'table'
         AND name IN ('journal', 'cases', 'units', 'users', 'counters')",
        [],
        |r| r.get(0),
    )?;
    let has_tables = version >= 1 && tables == 5;
    if app_id == schema::APPLICATION_ID && !has_tables {
        return Err(Error::NotRegister(
            path.to_path_buf(),
            "an SQLite database that claims to be one but holds none of its tables".into(),
        ));
    }
    // Registers made before schema v3 carry no application_id: know them by their tables.
    let ours = app_id == schema::APPLICATION_ID || (app_id == 0 && has_tables);
    if !ours {
        return Err(Error::NotRegister(
            path.to_path_buf(),
            "an SQLite database of something else".into(),
        ));
    }
    if version < 0 || newer {
        return Err(Error::Newer {
            path: path.to_path_buf(),
            found: version,
            known: schema::LATEST,
        });
    }
    Ok(version as usize)
}

/// A path no one else uses, beside `path` (same directory, same file system).
pub(crate) fn scratch_beside(path: &Path) -> PathBuf {
    let name = path
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_else(|| "register".into());
    let nanos = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| d.subsec_nanos());
    path.with_file_name(format!(".{name}.init-{}-{nanos}", std::process::id()))
}

fn remove_with_sidecars(path: &Path) {
    for p in [
        path.to_path_buf(),
        sidecar(path, "-wal"),
        sidecar(path, "-shm"),
        sidecar(path, "-journal"),
    ] {
        let _ = std::fs::remove_file(p);
    }
}

impl Store {
    /// Creates a new, empty register file (see `create_with`).
    pub fn create(path: &Path) -> Result<Store> {
        Store::create_with(path, |_| Ok(()))
    }

    /// Creates a new register file (WAL mode, current schema) and runs `init`
    /// (the first journal event) in its first transaction. The register is
    /// built under a scratch name beside `path` and linked into place only
    /// when complete: a failure (a full or failing disk) leaves nothing at
    /// `path` and no scratch file behind. Fails if `path` exists.
    ///
    /// Installed set-ID, this runs with the register account's rights for the
    /// system register only (see `privilege`). The files are made 0600 — the
    /// scratch file before SQLite sees it; SQLite gives the WAL and
    /// shared-memory files the database file's mode (and, for a root process,
    /// its owner) — so only the owner, whoever created them, can open them.
    pub fn create_with(
        path: &Path,
        init: impl FnOnce(&Transaction) -> Result<()>,
    ) -> Result<Store> {
        crate::privilege::with_register(path, || Store::create_here(path, init))
            .map_err(Error::Privilege)?
    }

    fn create_here(path: &Path, init: impl FnOnce(&Transaction) -> Result<()>) -> Result<Store> {
        if std::fs::symlink_metadata(path).is_ok() {
            return Err(match Store::open_read(path) {
                Err(Error::NotRegister(p, why)) => Error::ExistsNotRegister(p, why),
                _ => Error::Exists(path.to_path_buf()),
            });
        }
        let w = witness::path_for(path);
        if std::fs::metadata(&w).is_ok_and(|m| m.len() > 0) {
            // An earlier register's witness: a new register would be "behind"
            // it at once, and it may be the only trace of a lost register.
            return Err(Error::invalid(
                "--db",
                reason::Problem::EarlierWitness(w.display().to_string()),
            ));
        }
        if let Some(dir) = path.parent().filter(|d| !d.as_os_str().is_empty()) {
            std::fs::create_dir_all(dir).map_err(|e| {
                Error::invalid(
                    "--db",
                    reason::Problem::CannotCreate {
                        path: dir.display().to_string(),
                        detail: e.to_string(),
                    },
                )
            })?;
        }
        let scratch = scratch_beside(path);
        let built = (|| -> Result<()> {
            {
                use std::os::unix::fs::OpenOptionsExt;
                std::fs::OpenOptions::new()
                    .write(true)
                    .create_new(true)
                    .mode(0o600)
                    .open(&scratch)
                    .map_err(|e| {
                        Error::invalid(
                            "--db",
                            reason::Problem::CannotCreate {
                                path: scratch.display().to_string(),
                                detail: e.to_string(),
                            },
                        )
                    })?;
            }
            let mut conn = Connection::open_with_flags(
                &scratch,
                OpenFlags::SQLITE_OPEN_READ_WRITE
                    | OpenFlags::SQLITE_OPEN_CREATE
                    | OpenFlags::SQLITE_OPEN_NO_MUTEX,
            )?;
            conn.pragma_update(None, "journal_mode", "WAL")?;
            configure(&conn)?;
            schema::migrations().to_latest(&mut conn)?;
            let tx = conn.transaction_with_behavior(TransactionBehavior::Immediate)?;
            init(&tx)?;
            tx.commit()?;
            // Everything into the main file, then close: the scratch file is
            // then the whole register.
            conn.pragma_update(None, "wal_checkpoint", "TRUNCATE")?;
            conn.close().map_err(|(_, e)| e)?;
            std::fs::File::open(&scratch)
                .and_then(|f| f.sync_all())
                .map_err(|e| {
                    Error::invalid(
                        "--db",
                        reason::Problem::CannotSync {
                            path: scratch.display().to_string(),
                            detail: e.to_string(),
                        },
                    )
                })?;
            // A hard link never replaces what another `init` made meanwhile.
            match std::fs::hard_link(&scratch, path) {
                Ok(()) => {}
                Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => {
                    return Err(Error::Exists(path.to_path_buf()));
                }
                // A file system without hard links: rename, having checked.
                Err(_) if std::fs::symlink_metadata(path).is_err() => {
                    std::fs::rename(&scratch, path).map_err(|e| {
                        Error::invalid(
                            "--db",
                            reason::Problem::CannotCreate {
                                path: path.display().to_string(),
                                detail: e.to_string(),
                            },
                        )
                    })?;
                }
                Err(e) => {
                    return Err(Error::invalid(
                        "--db",
                        reason::Problem::CannotCreate {
                            path: path.display().to_string(),
                            detail: e.to_string(),
                        },
                    ));
                }
            }
            Ok(())
        })();
        remove_with_sidecars(&scratch);
        built.map_err(|e| match e {
            e @ Error::Exists(_) => e,
            e => Error::CreateFailed(path.to_path_buf(), Box::new(e)),
        })?;
        if let Some(dir) = path.parent().filter(|d| !d.as_os_str().is_empty()) {
            let _ = std::fs::File::open(dir).and_then(|d| d.sync_all());
        }
        let store = Store::open(path)?;
        // The register's first head, witnessed.
        witness::record(&store.conn)?;
        Ok(store)
    }

    /// Opens an existing register for reading and writing. A file that is
    /// not a register (empty, text, another SQLite database…) or one made by
    /// a newer tizilim is refused and left untouched. An older register is
    /// opened as it is, not upgraded: no migration runs before the caller
    /// knows who is asking ([`Store::upgrade_as`]); until then it can only
    /// answer whose register it is (`services::role_of`).
    ///
    /// Installed set-ID, the register's files are opened with the register
    /// account's rights (the system register only), which the process then
    /// gives up for good (see `privilege`).
    pub fn open(path: &Path) -> Result<Store> {
        crate::privilege::with_register(path, || {
            sniff(path)?;
            Store::open_checked(path).map_err(|e| read_only_or(e, path))
        })
        .map_err(Error::Privilege)?
    }

    /// [`Store::open`], twice in one go: the console's own connection and
    /// its worker's (`tui::worker`, which runs the console's writes). Both
    /// are opened while the set-ID program holds the register account, which
    /// it gives up for good after.
    pub fn open_twice(path: &Path) -> Result<(Store, Store)> {
        crate::privilege::with_register(path, || {
            sniff(path)?;
            let one = Store::open_checked(path).map_err(|e| read_only_or(e, path))?;
            let two = Store::open_checked(path).map_err(|e| read_only_or(e, path))?;
            Ok((one, two))
        })
        .map_err(Error::Privilege)?
    }

    fn open_checked(path: &Path) -> Result<Store> {
        let conn = Connection::open_with_flags(
            path,
            OpenFlags::SQLITE_OPEN_READ_WRITE | OpenFlags::SQLITE_OPEN_NO_MUTEX,
        )?;
        configure(&conn)?;
        let version = identify(&conn, path)?;
        let old = (version < schema::LATEST).then_some(version);
        let read_only = conn.is_readonly(rusqlite::MAIN_DB).unwrap_or(false);
        if !read_only && old.is_none() {
            // A register restored from a backup (a single file, rollback
            // journal) goes back to WAL: readers never block writers.
            let mode: String = conn.pragma_query_value(None, "journal_mode", |r| r.get(0))?;
            if !mode.eq_ignore_ascii_case("wal") {
                conn.pragma_update(None, "journal_mode", "WAL")
                    .map_err(|e| read_only_or(e.into(), path))?;
            }
        }
        // Read once now, so the WAL and shared-memory files are open before
        // a set-ID process gives up the register account.
        conn.query_row("SELECT count(*) FROM sqlite_master", [], |r| {
            r.get::<_, i64>(0)
        })?;
        let seen = witness_seen(path);
        if !read_only {
            witness::open(&conn, path);
        }
        Ok(Store {
            conn,
            path: path.to_path_buf(),
            read_only,
            old,
            witness: seen,
        })
    }

    /// The schema version of an older register this build has opened but
    /// not upgraded yet (`None`: it is at this build's schema).
    pub fn needs_upgrade(&self) -> Option<usize> {
        self.old
    }

    /// Upgrades an older register in place — each migration in its own
    /// transaction — once `login` is known to hold a role in it, read from
    /// the register's own (older) `users` table. A login without a role is
    /// refused and the file is left as it was: opening a register never
    /// changes it for a stranger. A register at this build's schema needs
    /// nothing and the call is free.
    pub fn upgrade_as(&mut self, login: &crate::rules::Login) -> Result<()> {
        if self.old.is_none() {
            return Ok(());
        }
        services::require_role(
            &self.conn,
            login,
            services::may::UPGRADE,
            "upgrade the register to this tizilim's schema",
        )?;
        self.migrate()
    }

    /// As [`Store::upgrade_as`] for the machine's superuser (the daily backup
    /// runs as root, which needs no role to read the register's folder and
    /// could change the file anyway). Any other process is refused.
    pub fn upgrade_as_superuser(&mut self) -> Result<()> {
        if self.old.is_none() {
            return Ok(());
        }
        if !nix::unistd::geteuid().is_root() || !nix::unistd::getuid().is_root() {
            return Err(self.not_upgraded());
        }
        self.migrate()
    }

    fn not_upgraded(&self) -> Error {
        Error::NotUpgraded {
            path: self.path.clone(),
            found: self.old.unwrap_or(schema::LATEST),
            known: schema::LATEST,
        }
    }

    fn migrate(&mut self) -> Result<()> {
        let Some(found) = self.old else {
            return Ok(());
        };
        if self.read_only {
            return Err(Error::ReadOnlyOld(self.path.clone(), found, schema::LATEST));
        }
        let path = self.path.clone();
        // rusqlite_migration runs each step in a transaction and records the version.
        schema::migrations()
            .to_latest(&mut self.conn)
            .map_err(|e| read_only_or(e.into(), &path))?;
        self.old = None;
        let mode: String = self
            .conn
            .pragma_query_value(None, "journal_mode", |r| r.get(0))?;
        if !mode.eq_ignore_ascii_case("wal") {
            self.conn
                .pragma_update(None, "journal_mode", "WAL")
                .map_err(|e| read_only_or(e.into(), &path))?;
        }
        Ok(())
    }

    /// Opens a register for the reading commands: as `open`, but a register
    /// this process may not write (a read-only mount, a file without write
    /// permission, a folder where SQLite cannot make its `-shm` file) is
    /// still opened, read-only.
    pub fn open_read(path: &Path) -> Result<Store> {
        crate::privilege::with_register(path, || Store::open_read_here(path))
            .map_err(Error::Privilege)?
    }

    fn open_read_here(path: &Path) -> Result<Store> {
        let first = match Store::open(path) {
            // An older register here read-only: said below (`ReadOnlyOld`).
            Ok(s) if s.readable() && !(s.read_only && s.old.is_some()) => return Ok(s),
            Ok(_) => None,
            Err(
                e @ (Error::NoRegister(_)
                | Error::NotRegister(..)
                | Error::Newer { .. }
                | Error::Damaged(..)),
            ) => {
                return Err(e);
            }
            Err(e) => Some(e),
        };
        let wal_present = std::fs::metadata(sidecar(path, "-wal")).is_ok_and(|m| m.len() > 0);
        let mut modes = vec!["mode=ro"];
        if !wal_present {
            // Nothing in a write-ahead log to miss: read the main file as is.
            modes.push("immutable=1");
        }
        let mut last = first;
        for mode in modes {
            match Store::open_uri(path, mode) {
                Ok(s) => return Ok(s),
                Err(e @ (Error::NotRegister(..) | Error::Newer { .. })) => return Err(e),
                Err(e) => last = Some(e),
            }
        }
        Err(last.unwrap_or_else(|| Error::ReadOnly(path.to_path_buf())))
    }

    fn open_uri(path: &Path, mode: &str) -> Result<Store> {
        Store::open_uri_here(path, mode).map_err(|e| damaged_or(e, path))
    }

    fn open_uri_here(path: &Path, mode: &str) -> Result<Store> {
        sniff(path)?;
        let abs = std::path::absolute(path).map_err(|e| {
            Error::invalid(
                "--db",
                reason::Problem::Path {
                    path: path.display().to_string(),
                    detail: e.to_string(),
                },
            )
        })?;
        let mut uri = String::from("file:");
        for b in abs.as_os_str().as_encoded_bytes() {
            match b {
                b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'/' | b'-' | b'_' | b'.' | b'~' => {
                    uri.push(*b as char)
                }
                _ => uri.push_str(&format!("%{b:02X}")),
            }
        }
        uri.push('?');
        uri.push_str(mode);
        let conn = Connection::open_with_flags(
            &uri,
            OpenFlags::SQLITE_OPEN_READ_ONLY
                | OpenFlags::SQLITE_OPEN_URI
                | OpenFlags::SQLITE_OPEN_NO_MUTEX,
        )?;
        conn.busy_timeout(BUSY_TIMEOUT)?;
        cache_statements(&conn);
        let version = identify(&conn, path)?;
        if version < schema::LATEST {
            return Err(Error::ReadOnlyOld(
                path.to_path_buf(),
                version,
                schema::LATEST,
            ));
        }
        let store = Store {
            conn,
            path: path.to_path_buf(),
            read_only: true,
            old: None,
            witness: witness_seen(path),
        };
        if !store.readable() {
            return Err(Error::ReadOnly(path.to_path_buf()));
        }
        Ok(store)
    }

    /// Opens a register strictly read-only, never upgrading or writing it
    /// (`backup verify`: a copy is checked as it is).
    pub fn open_snapshot(path: &Path) -> Result<Store> {
        crate::privilege::with_register(path, || Store::open_uri(path, "mode=ro"))
            .map_err(Error::Privilege)?
    }

    /// Can this connection actually read the register (WAL needs its -shm)?
    fn readable(&self) -> bool {
        self.conn
            .query_row("SELECT count(*) FROM journal", [], |r| r.get::<_, i64>(0))
            .is_ok()
    }

    /// Opened read-only (see `open_read`).
    pub fn is_read_only(&self) -> bool {
        self.read_only
    }

    /// For bulk loads (`demo`): commits need not wait for the disk, and the
    /// register leaves WAL for a rollback journal while the load runs
    /// (issue 18). A demo is not a clerk's write: its transactions are
    /// `synchronous = OFF` (a power cut during the load may damage the file,
    /// which a re-run makes again; a killed process leaves a journal that
    /// rolls its last batch back), and [`Store::bulk_done`] puts the
    /// register back in WAL with `synchronous = FULL` and syncs it to disk.
    ///
    /// With a rollback journal each batch's pages are written once, into
    /// the file itself: in WAL they went to the WAL and were copied into
    /// the file again at each checkpoint (30,000 cases: 0.82 GB written
    /// instead of 0.35 GB, and a third more CPU). If another connection has
    /// the register open the journal cannot change; the load then runs in
    /// WAL, checkpointing every [`BULK_CHECKPOINT_PAGES`].
    ///
    /// The journal is kept between batches (`PERSIST`: a commit zeroes its
    /// header), not truncated and grown again at each: the file system
    /// wrote 12 % fewer blocks over 100,000 cases (issue 18). Going back to
    /// WAL deletes it.
    ///
    /// The page cache is raised for the run ([`BULK_CACHE_KIB`]): with
    /// SQLite's default 2 MB a batch's dirty pages spilled before its commit
    /// and were written again and again (issue 18: 4.6 GB written for a
    /// 1.29 GB file).
    pub fn bulk(&self) -> Result<()> {
        self.conn.pragma_update(None, "synchronous", "OFF")?;
        self.conn
            .pragma_update(None, "cache_size", -BULK_CACHE_KIB)?;
        self.conn
            .pragma_update(None, "wal_autocheckpoint", BULK_CHECKPOINT_PAGES)?;
        self.conn
            .pragma_update(None, "journal_size_limit", BULK_WAL_LIMIT)?;
        // Refused (busy) while another connection has the register open:
        // the load then stays in WAL.
        match self
            .conn
            .pragma_update_and_check(None, "journal_mode", "PERSIST", |r| r.get::<_, String>(0))
        {
            Ok(_) => {}
            Err(rusqlite::Error::SqliteFailure(e, _))
                if e.code == rusqlite::ErrorCode::DatabaseBusy => {}
            Err(e) => return Err(e.into()),
        }
        witness::relax(&self.conn);
        Ok(())
    }

    /// After a bulk load: the register back in WAL (what every connection
    /// expects) with `synchronous = FULL`, the file synced to disk, the WAL
    /// checkpointed and truncated, and SQLite's default cache and
    /// checkpoints again.
    pub fn bulk_done(&self) -> Result<()> {
        self.conn.pragma_update(None, "synchronous", "FULL")?;
        let mode: String = self
            .conn
            .pragma_query_value(None, "journal_mode", |r| r.get(0))?;
        if !mode.eq_ignore_ascii_case("wal") {
            self.conn.pragma_update(None, "journal_mode", "WAL")?;
        }
        self.conn
            .query_row("PRAGMA wal_checkpoint(TRUNCATE)", [], |_| Ok(()))?;
        std::fs::File::open(&self.path)
            .and_then(|f| f.sync_all())
            .map_err(|e| {
                Error::invalid(
                    "--db",
                    reason::Problem::CannotSync {
                        path: self.path.display().to_string(),
                        detail: e.to_string(),
                    },
                )
            })?;
        self.conn.pragma_update(None, "cache_size", -2000)?;
        self.conn.pragma_update(None, "wal_autocheckpoint", 1000)?;
        Ok(())
    }

    /// An in-memory register with the current schema (tests, `audit verify`).
    pub fn in_memory() -> Result<Store> {
        let mut conn = Connection::open_in_memory()?;
        configure(&conn)?;
        schema::migrations().to_latest(&mut conn)?;
        Ok(Store {
            conn,
            path: PathBuf::from(":memory:"),
            read_only: false,
            old: None,
            witness: Ok(None),
        })
    }

    pub fn path(&self) -> &Path {
        &self.path
    }

    /// The connection itself, for the console (`engine::Conn`), which needs
    /// nothing more of the store once it is open and upgraded.
    pub fn into_connection(self) -> Connection {
        self.conn
    }

    pub fn conn(&self) -> &Connection {
        &self.conn
    }

    /// Runs `f` in a `BEGIN IMMEDIATE` transaction: committed if it returns
    /// Ok, rolled back (nothing stored) otherwise.
    pub fn write<T>(&mut self, f: impl FnOnce(&Transaction) -> Result<T>) -> Result<T> {
        if self.old.is_some() {
            // Nothing is written to a register older than this build's
            // schema: it is upgraded first, by one of its users.
            return Err(self.not_upgraded());
        }
        let path = self.path.clone();
        witness::ready(&self.conn)?;
        let tx = self
            .conn
            .transaction_with_behavior(TransactionBehavior::Immediate)
            .map_err(|e| read_only_or(e.into(), &path))?;
        let out = f(&tx).map_err(|e| read_only_or(e, &path))?;
        tx.commit().map_err(|e| read_only_or(e.into(), &path))?;
        witness::record(&self.conn)?;
        Ok(out)
    }

    /// The last head the register's witness saw (none: no witness yet).
    pub fn witness(&self) -> Option<&witness::Head> {
        self.witness.as_ref().ok().and_then(Option::as_ref)
    }

    /// Why the register's witness could not be read here, if it could not.
    pub fn witness_unreadable(&self) -> Option<&str> {
        self.witness.as_ref().err().map(String::as_str)
    }

    /// SQLite's own check of every page and index (`PRAGMA integrity_check`):
    /// `None` if the file is sound, else what is wrong (its first lines).
    pub fn integrity(&self) -> Result<Option<String>> {
        let mut st = self.conn.prepare("PRAGMA integrity_check(20)")?;
        let lines: Vec<String> = st
            .query_map([], |r| r.get::<_, String>(0))?
            .collect::<rusqlite::Result<_>>()
            .map_err(|e| read_only_or(e.into(), &self.path))?;
        Ok(match lines.as_slice() {
            [ok] if ok == "ok" => None,
            _ => Some(lines.join("; ")),
        })
    }

    /// The calendar and clock table, with this register's calendar amendments.
    pub fn law(&self) -> Result<Law> {
        let amendments = read::queries::calendar_amendments(&self.conn)?;
        Ok(Law::load(&amendments)?)
    }
}
