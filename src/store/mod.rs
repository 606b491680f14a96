//! The register in SQLite: one file in WAL mode shared by one process per SSH
//! session. Every change is a journal row appended in the same `BEGIN
//! IMMEDIATE` transaction as the read-model update (`events::apply`).

pub mod audit;
pub mod case_file;
pub mod dedup;
pub mod events;
pub mod journal;
pub mod model;
pub mod queries;
pub mod schema;
pub mod services;

use std::path::{Path, PathBuf};
use std::time::Duration;

use rusqlite::{Connection, OpenFlags, Transaction, TransactionBehavior};

use crate::rules::{Law, RulesError};

#[derive(Debug, thiserror::Error)]
pub enum Error {
    #[error("no register at {0}: create one with `tizilim init` (or `tizilim demo`)")]
    NoRegister(PathBuf),
    #[error("a register already exists at {0}")]
    Exists(PathBuf),
    #[error("{login} may not {action}: that needs the role {needed} (yours: {have})")]
    Forbidden {
        login: String,
        action: &'static str,
        needed: String,
        have: String,
    },
    #[error("{0} not found")]
    NotFound(String),
    #[error("{field}: {message}")]
    Invalid { field: String, message: String },
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
    #[error("{rule}: {message}")]
    Refused { rule: String, message: String },
    #[error("{0}")]
    Rules(#[from] RulesError),
    #[error("the register is inconsistent: {0}")]
    Corrupt(String),
    #[error("database: {0}")]
    Sql(#[from] rusqlite::Error),
    #[error("database schema: {0}")]
    Migration(#[from] rusqlite_migration::Error),
    #[error("journal payload: {0}")]
    Json(#[from] serde_json::Error),
    /// Writing the command's output failed (closed pipe, full disk): not the
    /// register's fault, and the transaction it interrupted is rolled back.
    #[error("output error: cannot write to standard output: {0}")]
    Output(String),
}

impl From<crate::rules::CalendarError> for Error {
    fn from(e: crate::rules::CalendarError) -> Self {
        Error::Rules(e.into())
    }
}

pub type Result<T, E = Error> = std::result::Result<T, E>;

impl Error {
    pub fn refused(rule: impl Into<String>, message: impl Into<String>) -> Self {
        Error::Refused {
            rule: rule.into(),
            message: message.into(),
        }
    }

    pub fn invalid(field: impl Into<String>, message: impl Into<String>) -> Self {
        Error::Invalid {
            field: field.into(),
            message: message.into(),
        }
    }
}

/// A case or complaint number as the register spells it: clerks type
/// `abk-2026-001418` or paste ` ABK-2026-001418 `; both name ABK-2026-001418.
/// Every command that takes a number calls this before looking it up.
pub fn normalize_case_number(s: &str) -> String {
    s.trim().to_ascii_uppercase()
}

/// How long a writer waits for another session's transaction to finish.
const BUSY_TIMEOUT: Duration = Duration::from_secs(60);

pub struct Store {
    conn: Connection,
    path: PathBuf,
}

fn configure(conn: &Connection) -> Result<()> {
    conn.busy_timeout(BUSY_TIMEOUT)?;
    conn.pragma_update(None, "foreign_keys", true)?;
    conn.pragma_update(None, "synchronous", "NORMAL")?;
    Ok(())
}

impl Store {
    /// Creates a new register file (WAL mode, current schema). Fails if one exists.
    pub fn create(path: &Path) -> Result<Store> {
        if path.exists() {
            return Err(Error::Exists(path.to_path_buf()));
        }
        if let Some(dir) = path.parent().filter(|d| !d.as_os_str().is_empty()) {
            std::fs::create_dir_all(dir).map_err(|e| {
                Error::invalid("--db", format!("cannot create {}: {e}", dir.display()))
            })?;
        }
        let mut conn = Connection::open(path)?;
        conn.pragma_update(None, "journal_mode", "WAL")?;
        configure(&conn)?;
        schema::migrations().to_latest(&mut conn)?;
        Ok(Store {
            conn,
            path: path.to_path_buf(),
        })
    }

    /// Opens an existing register, upgrading its schema in place if it is older.
    pub fn open(path: &Path) -> Result<Store> {
        if !path.exists() {
            return Err(Error::NoRegister(path.to_path_buf()));
        }
        let mut conn = Connection::open_with_flags(
            path,
            OpenFlags::SQLITE_OPEN_READ_WRITE | OpenFlags::SQLITE_OPEN_NO_MUTEX,
        )?;
        configure(&conn)?;
        let current: i64 = conn.pragma_query_value(None, "user_version", |r| r.get(0))?;
        if current < schema::LATEST as i64 {
            // An older file: upgrade it in place (rusqlite_migration runs each
            // step in a transaction and records the version).
            schema::migrations().to_latest(&mut conn)?;
        }
        Ok(Store {
            conn,
            path: path.to_path_buf(),
        })
    }

    /// An in-memory register with the current schema (tests, `audit verify`).
    pub fn in_memory() -> Result<Store> {
        let mut conn = Connection::open_in_memory()?;
        configure(&conn)?;
        schema::migrations().to_latest(&mut conn)?;
        Ok(Store {
            conn,
            path: PathBuf::from(":memory:"),
        })
    }

    pub fn path(&self) -> &Path {
        &self.path
    }

    pub fn conn(&self) -> &Connection {
        &self.conn
    }

    /// Runs `f` in a `BEGIN IMMEDIATE` transaction: committed if it returns
    /// Ok, rolled back (nothing stored) otherwise.
    pub fn write<T>(&mut self, f: impl FnOnce(&Transaction) -> Result<T>) -> Result<T> {
        let tx = self
            .conn
            .transaction_with_behavior(TransactionBehavior::Immediate)?;
        let out = f(&tx)?;
        tx.commit()?;
        Ok(out)
    }

    /// The calendar and clock table, with this register's calendar amendments.
    pub fn law(&self) -> Result<Law> {
        let amendments = queries::calendar_amendments(&self.conn)?;
        Ok(Law::load(&amendments)?)
    }
}
