//! What the case-work commands share: opening the register as the OS login,
//! the role needed to read it, dates as users type them, and turning a
//! store error into the exit codes of the contract (3: someone else acted
//! first; 1: refused or bad input).

use std::io::Write;
use std::path::Path;

use chrono::{NaiveDate, Utc};

use super::{Failure, Outcome, os_login};
use crate::rules::{Law, Login};
use crate::store::{self, Store, services};

/// The register, its law and the acting login.
pub struct Session {
    pub store: Store,
    pub law: Law,
    pub login: Login,
}

impl Session {
    pub fn open(path: &Path) -> Result<Session, Failure> {
        let login = os_login()?;
        let store = Store::open(path)?;
        let law = store.law()?;
        Ok(Session { store, law, login })
    }

    /// As `reader`, but root needs no role (it reads the register's folder
    /// anyway): the daily backup runs as root.
    pub fn reader_or_root(path: &Path) -> Result<Session, Failure> {
        if !nix::unistd::getuid().is_root() {
            return Session::reader(path);
        }
        let store = Store::open_read(path)?;
        Ok(Session {
            law: store.law()?,
            store,
            login: os_login()?,
        })
    }

    /// Refuses a login without a role: cases hold personal data.
    pub fn reader(path: &Path) -> Result<Session, Failure> {
        // Read-only registers (a read-only mount, no write permission) can be read.
        let store = Store::open_read(path)?;
        let s = Session {
            law: store.law()?,
            store,
            login: os_login()?,
        };
        services::require_role(
            s.store.conn(),
            &s.login,
            services::may::READ,
            "read the register",
        )?;
        Ok(s)
    }

    pub fn today(&self) -> NaiveDate {
        self.law.calendar.local_date(Utc::now())
    }

    /// Runs one service in a write transaction, as the login, now.
    pub fn act<T>(
        &mut self,
        f: impl FnOnce(&services::Context) -> store::Result<T>,
    ) -> store::Result<T> {
        let (law, actor) = (&self.law, &self.login);
        self.store.write(|tx| {
            f(&services::Context {
                tx,
                law,
                actor,
                at: Utc::now(),
            })
        })
    }
}

/// A command-line value the argument parser refuses (clap prints it after
/// `invalid value '…' for '--…'`).
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ArgError {
    /// Not one of the words listed.
    #[error("must be one of: {0}")]
    OneOf(String),
    #[error("must be include, exclude, amend or refuse")]
    NotADecision,
    #[error("{0:?} is not a date YYYY-MM-DD")]
    NotADate(String),
}

/// An instant as the read side gives it (RFC 3339, already in the office's
/// zone) as a person reads it: `20.03.2024 19:05`; text that is no instant is
/// shown as it is.
pub fn local_time(at: &str) -> String {
    chrono::DateTime::parse_from_rfc3339(at)
        .map(|t| t.format("%d.%m.%Y %H:%M").to_string())
        .unwrap_or_else(|_| crate::rules::text::for_terminal(at, 64))
}

/// An instant in the office's `zone`, as a person reads it: `20.03.2024 19:05`.
pub fn local_instant(at: chrono::DateTime<Utc>, zone: chrono_tz::Tz) -> String {
    at.with_timezone(&zone).format("%d.%m.%Y %H:%M").to_string()
}

/// `YYYY-MM-DD`.
pub fn date(s: &str) -> Result<NaiveDate, ArgError> {
    NaiveDate::parse_from_str(s.trim(), "%Y-%m-%d").map_err(|_| ArgError::NotADate(s.to_string()))
}

/// Prints the outcome of an act: a line for people, or one JSON object.
pub fn done(
    result: store::Result<serde_json::Value>,
    json: bool,
    line: impl FnOnce(&serde_json::Value) -> String,
    out: &mut impl Write,
) -> Outcome {
    match result {
        Ok(v) => {
            if json {
                writeln!(out, "{v}")?;
            } else {
                writeln!(out, "{}", line(&v))?;
            }
            Ok(0)
        }
        Err(e) => failed(e, json, out),
    }
}

/// A refused act: exit 3 for a stale version, 1 otherwise, the reason on
/// stderr (and as `{"error": …}` on stdout with `--json`).
pub fn failed(e: store::Error, json: bool, out: &mut impl Write) -> Outcome {
    let code = if matches!(e, store::Error::Stale { .. }) {
        3
    } else {
        1
    };
    let message = crate::rules::text::for_terminal(&e.to_string(), 2000);
    if json {
        let field = match &e {
            store::Error::Invalid { field, .. } => Some(field.clone()),
            _ => None,
        };
        let rule = match &e {
            store::Error::Refused { rule, .. } => Some(rule.clone()),
            _ => None,
        };
        writeln!(
            out,
            "{}",
            serde_json::json!({"error": message, "field": field, "rule": rule, "exit": code})
        )?;
    }
    eprintln!("tizilim: {message}");
    Ok(code)
}
