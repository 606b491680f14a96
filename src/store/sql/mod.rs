//! The storage engines under one interface (issue 22): the register lives in
//! an SQLite file (the default: one server, a regional office, every test) or
//! in a PostgreSQL database with a synchronous standby (a national
//! deployment). What works on both goes through [`Sql`]: statements written
//! once with SQLite's `?N` placeholders (rewritten to `$N` for PostgreSQL,
//! [`dialect`]), values as [`Value`], rows streamed to a closure, bulk rows
//! through an [`Inserter`] (a prepared INSERT on SQLite, binary `COPY` on
//! PostgreSQL).
//!
//! The services, the events, the journal, the read side and the copier
//! (`store::migrate`) all run on it; `store::engine::Register` opens a
//! register on either engine for the CLI.

mod arg;
pub mod dialect;
pub mod locator;
mod value;

use std::cell::RefCell;

pub use arg::{Arg, ToArg, dynamic};
pub use locator::Locator;
pub use value::Value;

use super::{Error, Result};

/// Which engine a connection or transaction speaks to.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Engine {
    Sqlite,
    Postgres,
}

/// Rows going into one table, fast: see [`Sql::inserter`].
pub trait Inserter {
    /// One row, its values in the order of the columns given.
    fn row(&mut self, values: &[Value]) -> Result<()>;
    /// Ends the insert; the number of rows written.
    fn finish(self: Box<Self>) -> Result<u64>;
}

/// A connection or a transaction on either engine. Statements are SQLite's
/// text with `?N` placeholders ([`dialect`] rewrites them for PostgreSQL);
/// arguments are [`ToArg`] (`args![…]`). A `&rusqlite::Connection` or
/// `&rusqlite::Transaction` is a `&dyn Sql` as it is; PostgreSQL's client
/// or transaction goes in a [`Pg`].
pub trait Sql {
    fn engine(&self) -> Engine;
    /// Runs one statement; the rows it changed.
    fn execute(&self, sql: &str, args: &[&dyn ToArg]) -> Result<usize>;
    /// Runs a query and hands its rows to `each`, in order, at most `limit`
    /// of them (reading no further), without holding the result in memory;
    /// the number handed over. No other statement may run on the same
    /// connection from inside `each` (PostgreSQL's rows are still arriving):
    /// collect with [`rows`](dyn Sql::rows) first.
    fn query(
        &self,
        sql: &str,
        args: &[&dyn ToArg],
        limit: Option<u64>,
        each: &mut dyn FnMut(&Row) -> Result<()>,
    ) -> Result<u64>;
    /// Every row of a query to `each` ([`query`](Sql::query)).
    fn for_each(
        &self,
        sql: &str,
        args: &[&dyn ToArg],
        each: &mut dyn FnMut(&Row) -> Result<()>,
    ) -> Result<u64> {
        self.query(sql, args, None, each)
    }
    /// The first row, if any, to `first`; whether there was one.
    fn for_first(
        &self,
        sql: &str,
        args: &[&dyn ToArg],
        first: &mut dyn FnMut(&Row) -> Result<()>,
    ) -> Result<bool> {
        Ok(self.query(sql, args, Some(1), first)? == 1)
    }
    /// Runs statements separated by `;`, without arguments.
    fn batch(&self, sql: &str) -> Result<()>;
    /// The table's columns in their declared order (empty: no such table).
    fn columns(&self, table: &str) -> Result<Vec<String>>;
    /// Inserts rows into `table` (its `columns`, in order).
    fn inserter<'s>(
        &'s mut self,
        table: &str,
        columns: &[String],
    ) -> Result<Box<dyn Inserter + 's>>;
}

impl<'a> dyn Sql + 'a {
    /// The first row of a query as values, if any.
    pub fn first(&self, sql: &str, args: &[&dyn ToArg]) -> Result<Option<Vec<Value>>> {
        self.row(sql, args, |r| r.values())
    }

    /// The first row of a query read by `f`, if there is one.
    pub fn row<T>(
        &self,
        sql: &str,
        args: &[&dyn ToArg],
        f: impl FnOnce(&Row) -> Result<T>,
    ) -> Result<Option<T>> {
        let mut f = Some(f);
        let mut out = None;
        self.for_first(sql, args, &mut |r| {
            if let Some(f) = f.take() {
                out = Some(f(r)?);
            }
            Ok(())
        })?;
        Ok(out)
    }

    /// The first row of a query read by `f`; no row is an error (as
    /// rusqlite's `query_row`).
    pub fn one<T>(
        &self,
        sql: &str,
        args: &[&dyn ToArg],
        f: impl FnOnce(&Row) -> Result<T>,
    ) -> Result<T> {
        self.row(sql, args, f)?
            .ok_or(Error::Sql(rusqlite::Error::QueryReturnedNoRows))
    }

    /// Every row of a query, each read by `f`.
    pub fn rows<T>(
        &self,
        sql: &str,
        args: &[&dyn ToArg],
        mut f: impl FnMut(&Row) -> Result<T>,
    ) -> Result<Vec<T>> {
        let mut out = Vec::new();
        self.for_each(sql, args, &mut |r| {
            out.push(f(r)?);
            Ok(())
        })?;
        Ok(out)
    }

    /// Whether a query returns a row.
    pub fn exists(&self, sql: &str, args: &[&dyn ToArg]) -> Result<bool> {
        Ok(self.row(sql, args, |_| Ok(()))?.is_some())
    }
}

/// One row of a query, borrowed from the engine while `for_each` hands it
/// over: a column is decoded only when asked for.
pub enum Row<'r> {
    Lite(&'r rusqlite::Row<'r>),
    Postgres(&'r postgres::Row),
}

/// What a column can be read as on both engines: `i64` (any integer, and a
/// PostgreSQL boolean as 0/1), `f64`, `String`, `Vec<u8>`, `bool` (an
/// integer's 0/1 or a boolean), `NaiveDate` (TEXT `YYYY-MM-DD`), `Option` of
/// these. PostgreSQL's `sum` of BIGINTs is NUMERIC: such a column is CAST to
/// BIGINT in the statement.
pub trait Column: Sized {
    fn from_value(v: Value) -> std::result::Result<Self, String>;

    /// From SQLite's value where it lies in the row: by default through a
    /// [`Value`]; integers, reals, text and dates without the copy (the
    /// queue's snapshot reads 100,000 rows: issue 22, pgreads).
    fn from_lite(v: rusqlite::types::ValueRef<'_>) -> std::result::Result<Self, String> {
        Self::from_value(Value::from(v))
    }
}

/// SQLite's text as `str` (as [`Value`] takes it: invalid UTF-8 replaced).
fn lite_text(t: &[u8]) -> std::borrow::Cow<'_, str> {
    String::from_utf8_lossy(t)
}

fn kind_of(v: &Value) -> &'static str {
    match v {
        Value::Null => "NULL",
        Value::Int(_) => "an integer",
        Value::Real(_) => "a real",
        Value::Text(_) => "text",
        Value::Blob(_) => "a blob",
    }
}

impl Column for i64 {
    fn from_lite(v: rusqlite::types::ValueRef<'_>) -> std::result::Result<Self, String> {
        match v {
            rusqlite::types::ValueRef::Integer(i) => Ok(i),
            other => Self::from_value(Value::from(other)),
        }
    }

    fn from_value(v: Value) -> std::result::Result<Self, String> {
        match v {
            Value::Int(i) => Ok(i),
            other => Err(format!("{} where an integer is expected", kind_of(&other))),
        }
    }
}

impl Column for f64 {
    fn from_value(v: Value) -> std::result::Result<Self, String> {
        match v {
            Value::Real(f) => Ok(f),
            Value::Int(i) => Ok(i as f64),
            other => Err(format!("{} where a real is expected", kind_of(&other))),
        }
    }
}

impl Column for String {
    fn from_lite(v: rusqlite::types::ValueRef<'_>) -> std::result::Result<Self, String> {
        match v {
            rusqlite::types::ValueRef::Text(t) => Ok(lite_text(t).into_owned()),
            other => Self::from_value(Value::from(other)),
        }
    }

    fn from_value(v: Value) -> std::result::Result<Self, String> {
        match v {
            Value::Text(s) => Ok(s),
            other => Err(format!("{} where text is expected", kind_of(&other))),
        }
    }
}

impl Column for Vec<u8> {
    fn from_value(v: Value) -> std::result::Result<Self, String> {
        match v {
            Value::Blob(b) => Ok(b),
            Value::Text(s) => Ok(s.into_bytes()),
            other => Err(format!("{} where a blob is expected", kind_of(&other))),
        }
    }
}

impl Column for bool {
    fn from_value(v: Value) -> std::result::Result<Self, String> {
        match v {
            Value::Int(i) => Ok(i != 0),
            other => Err(format!("{} where a yes/no is expected", kind_of(&other))),
        }
    }
}

impl Column for chrono::NaiveDate {
    fn from_lite(v: rusqlite::types::ValueRef<'_>) -> std::result::Result<Self, String> {
        match v {
            rusqlite::types::ValueRef::Text(t) => match ymd(t) {
                Some(d) => Ok(d),
                None => Self::from_value(Value::Text(lite_text(t).into_owned())),
            },
            other => Self::from_value(Value::from(other)),
        }
    }

    fn from_value(v: Value) -> std::result::Result<Self, String> {
        match v {
            Value::Text(s) => ymd(s.as_bytes()).map_or_else(
                || {
                    chrono::NaiveDate::parse_from_str(&s, "%Y-%m-%d")
                        .map_err(|e| format!("date {s:?}: {e}"))
                },
                Ok,
            ),
            other => Err(format!("{} where a date is expected", kind_of(&other))),
        }
    }
}

/// `YYYY-MM-DD` as the register writes a date, read without chrono's
/// general parser; anything else (or no such day) is left to it.
fn ymd(t: &[u8]) -> Option<chrono::NaiveDate> {
    let [y0, y1, y2, y3, b'-', m0, m1, b'-', d0, d1] = *t else {
        return None;
    };
    let digits = [y0, y1, y2, y3, m0, m1, d0, d1];
    if !digits.iter().all(u8::is_ascii_digit) {
        return None;
    }
    let n = |ds: &[u8]| ds.iter().fold(0u32, |n, d| n * 10 + u32::from(d - b'0'));
    let year = i32::try_from(n(&digits[..4])).ok()?;
    chrono::NaiveDate::from_ymd_opt(year, n(&digits[4..6]), n(&digits[6..]))
}

impl<T: Column> Column for Option<T> {
    fn from_lite(v: rusqlite::types::ValueRef<'_>) -> std::result::Result<Self, String> {
        match v {
            rusqlite::types::ValueRef::Null => Ok(None),
            other => T::from_lite(other).map(Some),
        }
    }

    fn from_value(v: Value) -> std::result::Result<Self, String> {
        match v {
            Value::Null => Ok(None),
            other => T::from_value(other).map(Some),
        }
    }
}

impl Row<'_> {
    /// Column `i` as a `T`; a value of another kind is an error naming it.
    pub fn get<T: Column>(&self, i: usize) -> Result<T> {
        let got = match self {
            Row::Lite(r) => T::from_lite(r.get_ref(i)?),
            Row::Postgres(_) => T::from_value(self.value(i)?),
        };
        got.map_err(|e| {
            let name = match self {
                Row::Lite(r) => r.as_ref().column_name(i).unwrap_or("?").to_string(),
                Row::Postgres(r) => r.columns().get(i).map_or("?", |c| c.name()).to_string(),
            };
            Error::Corrupt(format!("column {i} ({name}): {e}"))
        })
    }

    pub fn len(&self) -> usize {
        match self {
            Row::Lite(r) => r.as_ref().column_count(),
            Row::Postgres(r) => r.len(),
        }
    }

    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// Column `i` as it is stored.
    pub fn value(&self, i: usize) -> Result<Value> {
        Ok(match self {
            Row::Lite(r) => Value::from(r.get_ref(i)?),
            Row::Postgres(r) => r.try_get::<_, Value>(i)?,
        })
    }

    /// Every column as it is stored.
    pub fn values(&self) -> Result<Vec<Value>> {
        (0..self.len()).map(|i| self.value(i)).collect()
    }
}

/// A table or column name as a quoted identifier (names come from the
/// schema, never from a user; quoted anyway).
pub fn ident(name: &str) -> String {
    format!("\"{}\"", name.replace('"', "\"\""))
}

/// Column names as a quoted, comma-separated list.
pub fn idents(names: &[String]) -> String {
    names
        .iter()
        .map(|c| ident(c))
        .collect::<Vec<_>>()
        .join(", ")
}

fn placeholders(n: usize) -> String {
    (1..=n)
        .map(|i| format!("?{i}"))
        .collect::<Vec<_>>()
        .join(", ")
}

fn lite_args<'a>(args: &'a [&dyn ToArg]) -> impl Iterator<Item = Arg<'a>> {
    args.iter().map(|a| a.to_arg())
}

impl Sql for rusqlite::Connection {
    fn engine(&self) -> Engine {
        Engine::Sqlite
    }

    fn execute(&self, sql: &str, args: &[&dyn ToArg]) -> Result<usize> {
        Ok(self
            .prepare_cached(sql)?
            .execute(rusqlite::params_from_iter(lite_args(args)))?)
    }

    fn query(
        &self,
        sql: &str,
        args: &[&dyn ToArg],
        limit: Option<u64>,
        each: &mut dyn FnMut(&Row) -> Result<()>,
    ) -> Result<u64> {
        let mut st = self.prepare_cached(sql)?;
        let mut rows = st.query(rusqlite::params_from_iter(lite_args(args)))?;
        let mut n = 0;
        while limit.is_none_or(|l| n < l) {
            let Some(r) = rows.next()? else { break };
            each(&Row::Lite(r))?;
            n += 1;
        }
        Ok(n)
    }

    fn batch(&self, sql: &str) -> Result<()> {
        Ok(self.execute_batch(sql)?)
    }

    fn columns(&self, table: &str) -> Result<Vec<String>> {
        let mut st = self.prepare("SELECT name FROM pragma_table_info(?1) ORDER BY cid")?;
        let names = st
            .query_map([table], |r| r.get::<_, String>(0))?
            .collect::<rusqlite::Result<Vec<_>>>()?;
        Ok(names)
    }

    fn inserter<'s>(
        &'s mut self,
        table: &str,
        columns: &[String],
    ) -> Result<Box<dyn Inserter + 's>> {
        Lite(self).into_inserter(table, columns)
    }
}

/// A `rusqlite::Transaction` is its connection inside the transaction.
macro_rules! lite_through {
    ($t:ty) => {
        impl Sql for $t {
            fn engine(&self) -> Engine {
                Engine::Sqlite
            }
            fn execute(&self, sql: &str, args: &[&dyn ToArg]) -> Result<usize> {
                Sql::execute(&**self as &rusqlite::Connection, sql, args)
            }
            fn query(
                &self,
                sql: &str,
                args: &[&dyn ToArg],
                limit: Option<u64>,
                each: &mut dyn FnMut(&Row) -> Result<()>,
            ) -> Result<u64> {
                Sql::query(&**self as &rusqlite::Connection, sql, args, limit, each)
            }
            fn batch(&self, sql: &str) -> Result<()> {
                Sql::batch(&**self as &rusqlite::Connection, sql)
            }
            fn columns(&self, table: &str) -> Result<Vec<String>> {
                Sql::columns(&**self as &rusqlite::Connection, table)
            }
            fn inserter<'s>(
                &'s mut self,
                table: &str,
                columns: &[String],
            ) -> Result<Box<dyn Inserter + 's>> {
                Lite(&**self).into_inserter(table, columns)
            }
        }
    };
}

lite_through!(rusqlite::Transaction<'_>);
lite_through!(Lite<'_>);

/// SQLite through a borrowed connection, where a `&mut dyn Sql` is wanted
/// (the copier's destination inside a `rusqlite::Transaction`).
pub struct Lite<'c>(pub &'c rusqlite::Connection);

impl std::ops::Deref for Lite<'_> {
    type Target = rusqlite::Connection;
    fn deref(&self) -> &rusqlite::Connection {
        self.0
    }
}

impl<'c> Lite<'c> {
    fn into_inserter(self, table: &str, columns: &[String]) -> Result<Box<dyn Inserter + 'c>> {
        let sql = format!(
            "INSERT INTO {} ({}) VALUES ({})",
            ident(table),
            idents(columns),
            placeholders(columns.len())
        );
        Ok(Box::new(SqliteInserter {
            st: self.0.prepare(&sql)?,
            n: 0,
        }))
    }
}

struct SqliteInserter<'s> {
    st: rusqlite::Statement<'s>,
    n: u64,
}

impl Inserter for SqliteInserter<'_> {
    fn row(&mut self, values: &[Value]) -> Result<()> {
        self.st.execute(rusqlite::params_from_iter(values.iter()))?;
        self.n += 1;
        Ok(())
    }

    fn finish(self: Box<Self>) -> Result<u64> {
        Ok(self.n)
    }
}

/// PostgreSQL through a `Client` or a `Transaction`: `Pg::new(client)`.
/// The client is borrowed for each statement (a statement run from inside
/// another's `for_each` is refused, not deadlocked).
///
/// Each statement is prepared once a connection and kept ([`Pg::CACHE`] of
/// them, by their text): a cached statement is one round trip to the
/// server, an uncached one two (parse and describe, then bind and execute).
/// A statement that fails empties the cache, so a plan the server no longer
/// accepts (a table changed under it) is prepared afresh next time.
pub struct Pg<C> {
    client: RefCell<C>,
    prepared: RefCell<std::collections::HashMap<String, postgres::Statement>>,
    /// The journal's head as last announced on the register's channel
    /// (`LISTEN`), once [`Pg::heard`] has been asked.
    heard: std::cell::Cell<Option<i64>>,
}

impl<C> Pg<C> {
    /// How many statements a connection keeps prepared: the register's own
    /// statements number a few hundred; those built with a varying number
    /// of placeholders would otherwise grow the cache without end.
    pub const CACHE: usize = 512;

    pub fn new(c: C) -> Pg<C> {
        Pg {
            client: RefCell::new(c),
            prepared: RefCell::default(),
            heard: std::cell::Cell::new(None),
        }
    }

    pub fn into_inner(self) -> C {
        self.client.into_inner()
    }

    pub fn get_mut(&mut self) -> &mut C {
        self.client.get_mut()
    }

    fn client(&self) -> Result<std::cell::RefMut<'_, C>> {
        self.client.try_borrow_mut().map_err(|_| {
            Error::Corrupt(
                "a statement ran on PostgreSQL while another's rows were being read".into(),
            )
        })
    }

    /// How many statements are prepared and kept.
    pub fn prepared(&self) -> usize {
        self.prepared.borrow().len()
    }
}

impl<C: postgres::GenericClient> Pg<C> {
    /// `sql` (already in PostgreSQL's spelling) prepared on `client`, from
    /// the cache or now.
    fn statement(&self, client: &mut C, sql: &str) -> Result<postgres::Statement> {
        if let Some(st) = self.prepared.borrow().get(sql) {
            return Ok(st.clone());
        }
        let st = client.prepare(sql).inspect_err(|_| self.forget())?;
        let mut cache = self.prepared.borrow_mut();
        if cache.len() >= Self::CACHE {
            cache.clear();
        }
        cache.insert(sql.to_owned(), st.clone());
        Ok(st)
    }

    /// Empties the cache (after a failed statement).
    fn forget(&self) {
        self.prepared.borrow_mut().clear();
    }
}

impl Pg<postgres::Client> {
    /// Whether the connection is gone (the server stopped or the link broke).
    pub fn is_closed(&self) -> bool {
        self.client
            .try_borrow()
            .map(|c| c.is_closed())
            .unwrap_or(false)
    }

    /// The journal's head as last announced on `channel`: the first call
    /// listens (`LISTEN`) and reads the head; each later one takes the
    /// notifications that have come since, waiting a millisecond at most. A
    /// number that changes when any session commits an act, as SQLite's
    /// `PRAGMA data_version` does for a file.
    pub fn heard(&self, channel: &str) -> Result<i64> {
        use postgres::fallible_iterator::FallibleIterator;
        let Some(mut head) = self.heard.get() else {
            self.batch(&format!("LISTEN {}", ident(channel)))?;
            let head =
                (self as &dyn Sql).one("SELECT coalesce(max(seq), 0) FROM journal", &[], |r| {
                    r.get(0)
                })?;
            self.heard.set(Some(head));
            return Ok(head);
        };
        let mut client = self.client()?;
        let mut notes = client.notifications();
        // A millisecond's wait, not none: the client reads what has come
        // over the socket only while it waits (`iter` would not read it).
        let mut it = notes.timeout_iter(std::time::Duration::from_millis(1));
        while let Some(n) = it.next()? {
            if n.channel() == channel {
                // The payload is the committing act's journal head; one that
                // cannot be read still says something was committed.
                head = match n.payload().parse::<i64>() {
                    Ok(h) if h > head => h,
                    Ok(_) => head,
                    Err(_) => head + 1,
                };
            }
        }
        self.heard.set(Some(head));
        Ok(head)
    }
}

impl<C: postgres::GenericClient> Sql for Pg<C> {
    fn engine(&self) -> Engine {
        Engine::Postgres
    }

    fn execute(&self, sql: &str, args: &[&dyn ToArg]) -> Result<usize> {
        let sql = dialect::postgres(sql);
        let args: Vec<Arg> = lite_args(args).collect();
        let refs: Vec<&(dyn postgres::types::ToSql + Sync)> = args
            .iter()
            .map(|a| a as &(dyn postgres::types::ToSql + Sync))
            .collect();
        let mut client = self.client()?;
        let st = self.statement(&mut client, sql.as_ref())?;
        let n = client.execute(&st, &refs).inspect_err(|_| self.forget())?;
        Ok(usize::try_from(n).unwrap_or(usize::MAX))
    }

    fn query(
        &self,
        sql: &str,
        args: &[&dyn ToArg],
        limit: Option<u64>,
        each: &mut dyn FnMut(&Row) -> Result<()>,
    ) -> Result<u64> {
        use postgres::fallible_iterator::FallibleIterator;
        let sql = dialect::postgres(sql);
        let args: Vec<Arg> = lite_args(args).collect();
        let mut client = self.client()?;
        let st = self.statement(&mut client, sql.as_ref())?;
        let mut rows = client
            .query_raw(&st, args.iter())
            .inspect_err(|_| self.forget())?;
        let mut n = 0;
        while limit.is_none_or(|l| n < l) {
            let Some(r) = rows.next().inspect_err(|_| self.forget())? else {
                break;
            };
            each(&Row::Postgres(&r))?;
            n += 1;
        }
        Ok(n)
    }

    fn batch(&self, sql: &str) -> Result<()> {
        Ok(self
            .client()?
            .batch_execute(sql)
            .inspect_err(|_| self.forget())?)
    }

    fn columns(&self, table: &str) -> Result<Vec<String>> {
        let rows = self.client()?.query(
            "SELECT column_name::text FROM information_schema.columns
             WHERE table_schema = current_schema() AND table_name = $1
             ORDER BY ordinal_position",
            &[&table],
        )?;
        Ok(rows.iter().map(|r| r.get::<_, String>(0)).collect())
    }

    fn inserter<'s>(
        &'s mut self,
        table: &str,
        columns: &[String],
    ) -> Result<Box<dyn Inserter + 's>> {
        let client = self.client.get_mut();
        let list = idents(columns);
        // The columns' types, for the binary format.
        let probe = client.prepare(&format!("SELECT {list} FROM {} LIMIT 0", ident(table)))?;
        let types: Vec<postgres::types::Type> =
            probe.columns().iter().map(|c| c.type_().clone()).collect();
        let writer = client.copy_in(&format!(
            "COPY {} ({list}) FROM STDIN (FORMAT binary)",
            ident(table)
        ))?;
        Ok(Box::new(PostgresInserter {
            w: postgres::binary_copy::BinaryCopyInWriter::new(writer, &types),
        }))
    }
}

struct PostgresInserter<'s> {
    w: postgres::binary_copy::BinaryCopyInWriter<'s>,
}

impl Inserter for PostgresInserter<'_> {
    fn row(&mut self, values: &[Value]) -> Result<()> {
        let refs = value::refs(values);
        self.w.write(&refs)?;
        Ok(())
    }

    fn finish(self: Box<Self>) -> Result<u64> {
        Ok(self.w.finish()?)
    }
}

impl From<postgres::Error> for Error {
    fn from(e: postgres::Error) -> Self {
        Error::Postgres(describe(&e))
    }
}

/// A PostgreSQL error as one line: the server's own words with their SQLSTATE
/// code, or the client's (a refused connection, a broken one).
pub fn describe(e: &postgres::Error) -> String {
    match e.as_db_error() {
        Some(db) => {
            let mut s = format!("{} ({})", db.message(), db.code().code());
            if let Some(d) = db.detail() {
                s.push_str(": ");
                s.push_str(d);
            }
            crate::rules::text::for_terminal(&s, 400)
        }
        None => {
            let mut s = e.to_string();
            let mut src = std::error::Error::source(e);
            while let Some(inner) = src {
                let t = inner.to_string();
                if !s.contains(&t) {
                    s.push_str(": ");
                    s.push_str(&t);
                }
                src = inner.source();
            }
            crate::rules::text::for_terminal(&s, 400)
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sqlite_round_trips_every_kind_of_value() {
        let conn = rusqlite::Connection::open_in_memory().unwrap();
        conn.execute_batch("CREATE TABLE t (i INTEGER, r REAL, s TEXT, b BLOB, n TEXT)")
            .unwrap();
        let mut c = Lite(&conn);
        let cols = Sql::columns(&c, "t").unwrap();
        assert_eq!(cols, ["i", "r", "s", "b", "n"]);
        let row = vec![
            Value::Int(-7),
            Value::Real(13.5),
            Value::Text("Тізілім \"q\"".into()),
            Value::Blob(vec![0, 1, 255]),
            Value::Null,
        ];
        {
            let mut ins = c.inserter("t", &cols).unwrap();
            ins.row(&row).unwrap();
            assert_eq!(ins.finish().unwrap(), 1);
        }
        let db: &dyn Sql = &conn;
        let got = db
            .first("SELECT * FROM t WHERE i = ?1", crate::args![-7i64])
            .unwrap();
        assert_eq!(got, Some(row));
        assert_eq!(db.columns("no_such_table").unwrap(), Vec::<String>::new());
    }

    #[test]
    fn a_date_reads_as_chrono_parses_it() {
        for s in ["2025-11-27", "2024-02-29", "0001-01-01", "9999-12-31"] {
            let want = chrono::NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap();
            assert_eq!(ymd(s.as_bytes()), Some(want), "{s}");
            let lite = rusqlite::types::ValueRef::Text(s.as_bytes());
            assert_eq!(chrono::NaiveDate::from_lite(lite), Ok(want));
            assert_eq!(
                chrono::NaiveDate::from_value(Value::Text(s.into())),
                Ok(want)
            );
        }
        // Not the register's form, or no such day: chrono's answer.
        for s in [
            "2025-02-29",
            "2025-1-7",
            "2025-13-01",
            "20251127",
            "２025-11-27",
            "",
        ] {
            assert_eq!(ymd(s.as_bytes()), None, "{s}");
            let lite = rusqlite::types::ValueRef::Text(s.as_bytes());
            let chrono = chrono::NaiveDate::parse_from_str(s, "%Y-%m-%d")
                .map_err(|e| format!("date {s:?}: {e}"));
            assert_eq!(chrono::NaiveDate::from_lite(lite), chrono, "{s}");
        }
        let null = rusqlite::types::ValueRef::Null;
        assert_eq!(Option::<chrono::NaiveDate>::from_lite(null), Ok(None));
        assert!(chrono::NaiveDate::from_lite(rusqlite::types::ValueRef::Integer(3)).is_err());
        assert_eq!(
            i64::from_lite(rusqlite::types::ValueRef::Integer(-3)),
            Ok(-3)
        );
        assert_eq!(
            String::from_lite(rusqlite::types::ValueRef::Text("Тізілім".as_bytes())),
            Ok("Тізілім".to_string())
        );
    }

    #[test]
    fn identifiers_are_quoted() {
        assert_eq!(ident("units"), "\"units\"");
        assert_eq!(ident("a\"b"), "\"a\"\"b\"");
    }
}
