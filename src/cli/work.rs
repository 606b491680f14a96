//! What the case-work commands share: opening the register as the OS login,
//! the role needed to read it, dates as users type them, and turning a
//! store error into the exit codes of the contract (3: someone else acted
//! first; 1: refused or bad input).

use std::io::Write;
use std::path::{Path, PathBuf};

use chrono::{NaiveDate, Utc};

use super::{Failure, Outcome, os_login};
use crate::rules::{Law, Login};
use crate::store::engine::{PgRegister, Register};
use crate::store::sql::{Locator, Sql};
use crate::store::{self, Store, services};

/// The register (a file or a PostgreSQL database), its law and the acting
/// login.
pub struct Session {
    pub register: Register,
    pub law: Law,
    pub login: Login,
}

impl Session {
    /// The register for an act. An older register is upgraded here, once
    /// the login is known to hold a role in it — never for a stranger.
    pub fn open(at: &Locator) -> Result<Session, Failure> {
        let login = os_login()?;
        let register = Register::open(at, &login)?;
        let law = register.law()?;
        Ok(Session {
            register,
            law,
            login,
        })
    }

    /// As `reader`, but root needs no role (it reads the register's folder
    /// anyway): the daily backup runs as root.
    pub fn reader_or_root(at: &Locator) -> Result<Session, Failure> {
        let path = match at {
            Locator::File(path) if nix::unistd::getuid().is_root() => path,
            _ => return Session::reader(at),
        };
        let mut store = Store::open_read(path)?;
        let login = os_login()?;
        // Root may read without a role (it reads the register's folder
        // anyway), and so may bring an older register up to date.
        match services::role_of(store.conn(), &login)? {
            Some(_) => store.upgrade_as(&login)?,
            None => store.upgrade_as_superuser()?,
        }
        Ok(Session {
            law: store.law()?,
            register: Register::File(store),
            login,
        })
    }

    /// Refuses a login without a role: cases hold personal data.
    pub fn reader(at: &Locator) -> Result<Session, Failure> {
        let login = os_login()?;
        let register = match at {
            Locator::File(path) => {
                // Read-only registers (a read-only mount, no write
                // permission) can be read.
                let mut store = Store::open_read(path)?;
                // The role first (in the register's own users table,
                // however old), then any upgrade: a stranger's look
                // changes nothing.
                services::require_role(
                    store.conn(),
                    &login,
                    services::may::READ,
                    "read the register",
                )?;
                store.upgrade_as(&login)?;
                Register::File(store)
            }
            Locator::Postgres(url) => {
                let register = Register::Postgres(Box::new(PgRegister::open(url, login.as_str())?));
                services::check_role(
                    &login,
                    store::migrate::role_in(register.db(), &login)?,
                    services::may::READ,
                    "read the register",
                )?;
                register
            }
        };
        Ok(Session {
            law: register.law()?,
            register,
            login,
        })
    }

    /// Statements on the register, whichever engine holds it.
    pub fn db(&self) -> &dyn Sql {
        self.register.db()
    }

    /// The register file, for what only a file has (`command` names what
    /// was asked, for the refusal on PostgreSQL).
    pub fn store(&self, command: &str) -> store::Result<&Store> {
        self.register
            .file()
            .ok_or_else(|| store::Error::NotOnPostgres {
                command: command.to_string(),
            })
    }

    pub fn today(&self) -> NaiveDate {
        self.law.calendar.local_date(Utc::now())
    }

    /// Refuses, with a read, a login that lacks every role in `allowed`
    /// (`action` as the service names it): before [`Session::act`], so
    /// that the write lock is never taken for an act the service would
    /// refuse on the role alone.
    pub fn may(&self, allowed: &[crate::rules::Role], action: &'static str) -> store::Result<()> {
        let role = store::migrate::role_in(self.db(), &self.login)?;
        services::check_role(&self.login, role, allowed, action).map(|_| ())
    }

    /// Runs one service in a write transaction, as the login, now. A login
    /// without a role in the register is refused first, with a read: it
    /// never takes the write lock (stopped there, it would hold every clerk
    /// up to the busy timeout). The service checks the very role it needs
    /// inside the transaction.
    pub fn act<T>(
        &mut self,
        f: impl FnOnce(&services::Context) -> store::Result<T>,
    ) -> store::Result<T> {
        self.may(services::may::ACT, "change the register")?;
        let (law, actor) = (&self.law, &self.login);
        self.register.write(|tx| {
            f(&services::Context {
                tx,
                law,
                actor,
                at: Utc::now(),
            })
        })
    }
}

/// Where `--out FILE` may be written in this run (`crate::files::out_path`:
/// no dotfile, nothing there yet, a clerk's in the notices folder). Asked
/// before anything is done, so that a refused name costs no act.
pub fn out_file(out: &Path) -> Result<PathBuf, Failure> {
    crate::files::out_path(out).map_err(|e| store::Error::from(e).into())
}

/// Writes `bytes` as the new file `dest` (from [`out_file`]).
pub fn write_out(dest: &Path, bytes: &[u8]) -> Result<PathBuf, Failure> {
    crate::files::write_new(dest, bytes).map_err(|e| store::Error::from(e).into())
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

/// A refused act: the exit code of `Failure::from` (3 for a stale version, 4
/// when the output could not be written, 1 otherwise), the reason on
/// stderr in the reader's language (printed by `main`, as every failure),
/// and with `--json` as `{"error": …}` on stdout, in English (what scripts
/// match on), inert.
pub fn failed(e: store::Error, json: bool, out: &mut impl Write) -> Outcome {
    if json {
        let message = crate::rules::text::for_terminal(&e.to_string(), 2000);
        let field = match &e {
            store::Error::Invalid { field, .. } => Some(field.clone()),
            _ => None,
        };
        let rule = match &e {
            store::Error::Refused { rule, .. } => Some(rule.clone()),
            _ => None,
        };
        // The exit code the process ends with, decided in one place.
        let failure = super::Failure::from(e);
        let code = failure.exit as i32;
        writeln!(
            out,
            "{}",
            serde_json::json!({"error": message, "field": field, "rule": rule, "exit": code})
        )?;
        return Err(failure);
    }
    Err(e.into())
}
