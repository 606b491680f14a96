//! A register opened on either engine (issue 22): an SQLite file
//! ([`Store`]) or a PostgreSQL database ([`PgRegister`]), behind one
//! [`Register`] that hands the services and the read side a `&dyn Sql` and
//! runs each act in one transaction with the writers serialised, as `BEGIN
//! IMMEDIATE` does on a file.

use std::cell::RefCell;

use super::sql::locator::PgUrl;
use super::sql::{Locator, Pg, Sql};
use super::{Error, Result, Store, read};
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

/// A PostgreSQL register: its URL and one connection (made again when the
/// server went away between acts: [`PgRegister::act`]).
pub struct PgRegister {
    pub url: PgUrl,
    /// Who opened it (the register's upgrade is theirs; a reconnection
    /// checks the register again for them).
    login: String,
    db: RefCell<Pg<postgres::Client>>,
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
            login: login.to_owned(),
            db: RefCell::new(Pg::new(client)),
        })
    }

    /// Runs `f` in one transaction holding [`WRITER_LOCK`] (waiting for it):
    /// committed, with a `NOTIFY` on [`CHANNEL`], if it returns Ok; rolled
    /// back otherwise.
    pub fn write<T>(&self, f: impl FnOnce(&dyn Sql) -> Result<T>) -> Result<T> {
        once(f, |g| self.act(Lock::Wait, g))
    }

    /// Statements outside an act.
    pub fn db(&self) -> &dyn Sql {
        self
    }

    /// One act ([`pg_transaction`]). A connection found gone at its very
    /// first statement (the server restarted or failed over since the last
    /// act) has begun nothing: it is made again — the URL finds the primary
    /// — and the act runs there.
    fn act(&self, lock: Lock, f: &mut dyn FnMut(&dyn Sql) -> Result<()>) -> Result<()> {
        let first = pg_transaction(&self.db.borrow(), lock, f);
        match first {
            Err(Failed { begun: false, .. }) if self.db.borrow().is_closed() => {
                let fresh = PgRegister::open(&self.url, &self.login)?;
                *self.db.borrow_mut() = fresh.db.into_inner();
                pg_transaction(&self.db.borrow(), lock, f).map_err(|e| e.error)
            }
            other => other.map_err(|e| e.error),
        }
    }
}

/// How an act on PostgreSQL takes the writers' lock.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Lock {
    /// Waits for it, as the CLI does (its statement timeout aside).
    Wait,
    /// Takes it if no other session holds it, else [`Error::Busy`] with
    /// nothing done: the console's worker tries again, looking at Esc.
    Try,
}

/// Why an act on PostgreSQL was not stored, and whether its `BEGIN` had
/// gone through.
struct Failed {
    begun: bool,
    error: Error,
}

/// One act on PostgreSQL: `BEGIN`, the writers' lock, `f`, the `NOTIFY`,
/// `COMMIT`, on the connection itself, so its prepared statements serve the
/// act; anything that fails rolls the whole act back. (READ COMMITTED: each
/// statement after the lock sees every act committed before this one took
/// it.) A connection lost before the `COMMIT` was sent stored nothing (the
/// server rolls back a session that ends); lost while it was on its way,
/// the act may or may not be stored, and [`Error::ConnectionLost`] says so.
fn pg_transaction(
    db: &Pg<postgres::Client>,
    lock: Lock,
    f: &mut dyn FnMut(&dyn Sql) -> Result<()>,
) -> std::result::Result<(), Failed> {
    db.batch("BEGIN").map_err(|error| Failed {
        begun: false,
        error,
    })?;
    let mut act = || -> Result<()> {
        match lock {
            Lock::Wait => {
                db.execute(
                    "SELECT pg_advisory_xact_lock(?1)",
                    crate::args![WRITER_LOCK],
                )?;
            }
            Lock::Try => {
                let held: bool = (db as &dyn Sql).one(
                    "SELECT pg_try_advisory_xact_lock(?1)",
                    crate::args![WRITER_LOCK],
                    |r| r.get(0),
                )?;
                if !held {
                    return Err(Error::Busy);
                }
            }
        }
        f(db)?;
        db.execute(
            "SELECT pg_notify(?1, CAST(coalesce(max(seq), 0) AS TEXT)) FROM journal",
            crate::args![CHANNEL],
        )?;
        Ok(())
    };
    if let Err(error) = act() {
        // A broken connection cannot roll back; the server does.
        let _ = db.batch("ROLLBACK");
        return Err(Failed { begun: true, error });
    }
    db.batch("COMMIT").map_err(|e| Failed {
        begun: true,
        error: if db.is_closed() {
            Error::ConnectionLost {
                detail: e.to_string(),
            }
        } else {
            e
        },
    })
}

/// Runs a one-shot `f` through a transaction runner that takes a
/// `FnMut` (the act runs once a transaction; a second call is refused).
fn once<T>(
    f: impl FnOnce(&dyn Sql) -> Result<T>,
    run: impl FnOnce(&mut dyn FnMut(&dyn Sql) -> Result<()>) -> Result<()>,
) -> Result<T> {
    let mut f = Some(f);
    let mut out = None;
    run(&mut |db| {
        let f = f
            .take()
            .ok_or_else(|| Error::Corrupt("an act ran twice in one transaction".into()))?;
        out = Some(f(db)?);
        Ok(())
    })?;
    out.ok_or_else(|| Error::Corrupt("an act's transaction ended without running it".into()))
}

/// A register's connection, on either engine, that reads and writes from a
/// shared reference: the console's own (its reads) and its worker's (its
/// saves), each on its own thread.
pub trait Conn: Sql + Send {
    /// One act in one transaction, the writers' lock taken first — or
    /// [`Error::Busy`], with nothing begun, when another session holds the
    /// lock beyond this connection's short wait (SQLite's busy timeout; on
    /// PostgreSQL none). The console's worker calls it again and again,
    /// looking at Esc between tries.
    fn try_write(&self, f: &mut dyn FnMut(&dyn Sql) -> Result<()>) -> Result<()>;

    /// A number that changes when any session commits an act (this
    /// process's worker included): SQLite's `PRAGMA data_version`; on
    /// PostgreSQL the journal's head as announced by `NOTIFY` on
    /// [`CHANNEL`], which this connection listens to from the first call.
    fn commits(&self) -> Result<i64>;

    /// Whether the connection is gone (PostgreSQL's server stopped, or the
    /// link to it broke); a file's never is.
    fn lost(&self) -> bool {
        false
    }

    /// Connects again to the same register (a multi-host URL finds the
    /// promoted standby); the connection is as new (not yet listening).
    fn reconnect(&mut self) -> Result<()> {
        Ok(())
    }

    /// A way to open another connection like this one from another thread
    /// (the console reconnects without waiting on the connect itself); none
    /// for a file.
    fn reopener(&self) -> Option<Reopen> {
        None
    }
}

/// Opens a connection to the same register: [`Conn::reopener`].
pub type Reopen = Box<dyn Fn() -> Result<Box<dyn Conn>> + Send>;

impl Conn for rusqlite::Connection {
    fn try_write(&self, f: &mut dyn FnMut(&dyn Sql) -> Result<()>) -> Result<()> {
        super::write_on(self, |tx| f(tx)).map_err(|e| if is_busy(&e) { Error::Busy } else { e })
    }

    fn commits(&self) -> Result<i64> {
        read::queue::data_version(self)
    }
}

impl Conn for Pg<postgres::Client> {
    fn try_write(&self, f: &mut dyn FnMut(&dyn Sql) -> Result<()>) -> Result<()> {
        pg_transaction(self, Lock::Try, f).map_err(|e| e.error)
    }

    fn commits(&self) -> Result<i64> {
        self.heard(CHANNEL)
    }
}

/// A PostgreSQL register is the console's connection as it is, and can
/// connect again after a fail-over.
impl Sql for PgRegister {
    fn engine(&self) -> super::sql::Engine {
        super::sql::Engine::Postgres
    }
    fn execute(&self, sql: &str, args: &[&dyn super::sql::ToArg]) -> Result<usize> {
        self.db.borrow().execute(sql, args)
    }
    fn query(
        &self,
        sql: &str,
        args: &[&dyn super::sql::ToArg],
        limit: Option<u64>,
        each: &mut dyn FnMut(&super::sql::Row) -> Result<()>,
    ) -> Result<u64> {
        self.db.borrow().query(sql, args, limit, each)
    }
    fn batch(&self, sql: &str) -> Result<()> {
        self.db.borrow().batch(sql)
    }
    fn columns(&self, table: &str) -> Result<Vec<String>> {
        self.db.borrow().columns(table)
    }
    fn inserter<'s>(
        &'s mut self,
        table: &str,
        columns: &[String],
    ) -> Result<Box<dyn super::sql::Inserter + 's>> {
        self.db.get_mut().inserter(table, columns)
    }
}

impl Conn for PgRegister {
    fn try_write(&self, f: &mut dyn FnMut(&dyn Sql) -> Result<()>) -> Result<()> {
        self.act(Lock::Try, f)
    }

    fn commits(&self) -> Result<i64> {
        self.db.borrow().commits()
    }

    fn lost(&self) -> bool {
        self.db.borrow().is_closed()
    }

    fn reconnect(&mut self) -> Result<()> {
        *self = PgRegister::open(&self.url, &self.login)?;
        Ok(())
    }

    fn reopener(&self) -> Option<Reopen> {
        let (url, login) = (self.url.clone(), self.login.clone());
        Some(Box::new(move || {
            Ok(Box::new(PgRegister::open(&url, &login)?) as Box<dyn Conn>)
        }))
    }
}

/// SQLite's "database is locked": another connection holds the write lock.
pub fn is_busy(e: &Error) -> bool {
    match e {
        Error::Busy => true,
        Error::Sql(s) => matches!(
            s.sqlite_error_code(),
            Some(rusqlite::ErrorCode::DatabaseBusy)
        ),
        _ => false,
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

    /// The register file, if it is one (backups, the witness: what only a
    /// file has).
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

    /// The register's connection for the console ([`Conn`]).
    pub fn into_conn(self) -> Box<dyn Conn> {
        match self {
            Register::File(s) => Box::new(s.into_connection()),
            Register::Postgres(p) => p,
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
