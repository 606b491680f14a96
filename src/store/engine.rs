//! A register opened on either engine (issue 22): an SQLite file
//! ([`Store`]) or a PostgreSQL database ([`PgRegister`]), behind one
//! [`Register`] that hands the services and the read side a `&dyn Sql` and
//! runs each act in one transaction with the writers serialised, as `BEGIN
//! IMMEDIATE` does on a file.

use super::sql::locator::PgUrl;
use super::sql::{Locator, Pg, Sql};
use super::{Result, Store, read};
use crate::rules::{Law, Login};

/// The channel a committed act is announced on (`NOTIFY`): an open console
/// listening on it reloads, as it does on a file when `data_version` moves.
pub const CHANNEL: &str = "tizilim_register";

/// The transaction-scoped advisory lock every act on PostgreSQL takes first:
/// one writer at a time, so the journal's chain, the gapless numbers and the
/// stage checks see every act committed before them. (Another key than the
/// schema migration's.)
pub const WRITER_LOCK: i64 = 0x545A_4C4D_0000_0001;

/// A register on either engine.
pub enum Register {
    File(Store),
    Postgres(Box<PgRegister>),
}

/// A PostgreSQL register: its URL, one connection, and this application
/// server's witness of its journal (`witness::PgWitness`).
pub struct PgRegister {
    pub url: PgUrl,
    db: Pg<postgres::Client>,
    witness: super::witness::PgWitness,
}

impl PgRegister {
    /// Connects to the register at `url` for `login`: a database that is no
    /// register, or one newer than this build, is refused; an older one is
    /// upgraded, once the login is known to hold a role in it.
    pub fn open(url: &PgUrl, login: &str) -> Result<PgRegister> {
        let mut client = url.connect()?;
        super::migrate::check_register(&mut client, url, login)?;
        Ok(PgRegister {
            url: url.clone(),
            db: Pg::new(client),
            witness: super::witness::PgWitness::open(url),
        })
    }

    /// Runs `f` in one transaction holding [`WRITER_LOCK`]: committed, with a
    /// `NOTIFY` on [`CHANNEL`], if it returns Ok; rolled back otherwise. The
    /// journal's new head then goes to the witness (refused before it
    /// starts if the witness cannot be opened, as on a file).
    pub fn write<T>(&mut self, f: impl FnOnce(&dyn Sql) -> Result<T>) -> Result<T> {
        self.witness.ready()?;
        let client = self.db.get_mut();
        // READ COMMITTED: each statement after the lock sees every act
        // committed before this one took it.
        let mut tx = client.transaction()?;
        tx.execute("SELECT pg_advisory_xact_lock($1)", &[&WRITER_LOCK])?;
        let tx = Pg::new(tx);
        let out = f(&tx)?;
        tx.execute(
            "SELECT pg_notify(?1, CAST(coalesce(max(seq), 0) AS TEXT)) FROM journal",
            crate::args![CHANNEL],
        )?;
        let head = super::witness::head(&tx)?;
        tx.into_inner().commit()?;
        self.witness.record(head)?;
        Ok(out)
    }

    pub fn db(&self) -> &dyn Sql {
        &self.db
    }

    /// Where this application server's witness of the register is.
    pub fn witness(&self) -> &std::path::Path {
        self.witness.path()
    }
}

impl Register {
    /// Opens the register `at` names for an act by `login` (a file is
    /// upgraded for one of its users, as `Store::open` + `upgrade_as`).
    pub fn open(at: &Locator, login: &Login) -> Result<Register> {
        Ok(match at {
            Locator::File(path) => {
                let mut store = Store::open(path)?;
                store.upgrade_as(login)?;
                Register::File(store)
            }
            Locator::Postgres(url) => {
                Register::Postgres(Box::new(PgRegister::open(url, login.as_str())?))
            }
        })
    }

    /// The statements' way in, on either engine.
    pub fn db(&self) -> &dyn Sql {
        match self {
            Register::File(s) => s.conn(),
            Register::Postgres(p) => p.db(),
        }
    }

    /// The register file, if it is one (backups, the console's two
    /// connections, the witness: what only a file has).
    pub fn file(&self) -> Option<&Store> {
        match self {
            Register::File(s) => Some(s),
            Register::Postgres(_) => None,
        }
    }

    /// The calendar and clock table, with this register's amendments.
    pub fn law(&self) -> Result<Law> {
        match self {
            Register::File(s) => s.law(),
            Register::Postgres(_) => {
                Ok(Law::load(&read::queries::calendar_amendments(self.db())?)?)
            }
        }
    }

    /// Runs `f` in one write transaction (see [`Store::write`] and
    /// [`PgRegister::write`]).
    pub fn write<T>(&mut self, f: impl FnOnce(&dyn Sql) -> Result<T>) -> Result<T> {
        match self {
            Register::File(s) => s.write(|tx| f(tx)),
            Register::Postgres(p) => p.write(f),
        }
    }

    /// Where the register is, as its errors and reports name it.
    pub fn shown(&self) -> String {
        match self {
            Register::File(s) => s.path().display().to_string(),
            Register::Postgres(p) => p.url.to_string(),
        }
    }
}

/// What an act is written to: a register on either engine, or a file's
/// [`Store`] as the tests and the console hold it. Object-safe, so the
/// intake takes either.
pub trait Acts {
    /// Statements outside a write (the role read before the lock).
    fn db(&self) -> &dyn Sql;
    /// Runs `f` in one write transaction: committed if it returns Ok.
    fn write_dyn(&mut self, f: &mut dyn FnMut(&dyn Sql) -> Result<()>) -> Result<()>;
}

impl Acts for Register {
    fn db(&self) -> &dyn Sql {
        Register::db(self)
    }
    fn write_dyn(&mut self, f: &mut dyn FnMut(&dyn Sql) -> Result<()>) -> Result<()> {
        self.write(f)
    }
}

impl Acts for Store {
    fn db(&self) -> &dyn Sql {
        self.conn()
    }
    fn write_dyn(&mut self, f: &mut dyn FnMut(&dyn Sql) -> Result<()>) -> Result<()> {
        self.write(|tx| f(tx))
    }
}
