//! The storage engines under one interface (issue 22): the register lives in
//! an SQLite file (the default: one server, a regional office, every test) or
//! in a PostgreSQL database with a synchronous standby (a national
//! deployment). What works on both goes through [`Sql`]: statements written
//! once with SQLite's `?N` placeholders (rewritten to `$N` for PostgreSQL,
//! [`dialect`]), values as [`Value`], rows streamed to a closure, bulk rows
//! through an [`Inserter`] (a prepared INSERT on SQLite, binary `COPY` on
//! PostgreSQL).
//!
//! Today the copier (`store::migrate`: `tizilim migrate --to`, `init` and
//! `audit verify` on a PostgreSQL register) runs on it; the services and the
//! read models still speak rusqlite directly and move over next.

pub mod dialect;
pub mod locator;
mod value;

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

/// A connection or a transaction on either engine.
pub trait Sql {
    fn engine(&self) -> Engine;
    /// Runs one statement; the rows it changed.
    fn execute(&mut self, sql: &str, params: &[Value]) -> Result<u64>;
    /// Runs a query and hands each row to `each`, in order, without holding
    /// the result in memory; the number of rows.
    fn for_each(
        &mut self,
        sql: &str,
        params: &[Value],
        each: &mut dyn FnMut(&Row) -> Result<()>,
    ) -> Result<u64>;
    /// The table's columns in their declared order (empty: no such table).
    fn columns(&mut self, table: &str) -> Result<Vec<String>>;
    /// Inserts rows into `table` (its `columns`, in order).
    fn inserter<'s>(
        &'s mut self,
        table: &str,
        columns: &[String],
    ) -> Result<Box<dyn Inserter + 's>>;

    /// The first row of a query as values, if any.
    fn first(&mut self, sql: &str, params: &[Value]) -> Result<Option<Vec<Value>>> {
        let mut first = None;
        self.for_each(sql, params, &mut |row| {
            if first.is_none() {
                first = Some(row.values()?);
            }
            Ok(())
        })?;
        Ok(first)
    }
}

/// One row of a query, borrowed from the engine while `for_each` hands it
/// over: a column is decoded only when asked for.
pub enum Row<'r> {
    Lite(&'r rusqlite::Row<'r>),
    Postgres(&'r postgres::Row),
}

/// What a column can be read as on both engines: `i64`, `f64`, `String`,
/// `Vec<u8>`, `Option` of these. (PostgreSQL's `sum` of BIGINTs is NUMERIC:
/// such a column is CAST to BIGINT in the statement.)
pub trait Column: rusqlite::types::FromSql + for<'a> postgres::types::FromSql<'a> {}
impl<T: rusqlite::types::FromSql + for<'a> postgres::types::FromSql<'a>> Column for T {}

impl Row<'_> {
    /// Column `i` as a `T`; a value of another kind is an error naming it.
    pub fn get<T: Column>(&self, i: usize) -> Result<T> {
        Ok(match self {
            Row::Lite(r) => r.get(i)?,
            Row::Postgres(r) => r.try_get(i)?,
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

/// SQLite through a connection or a transaction (`Lite(&tx)`: a
/// `rusqlite::Transaction` is a connection inside its transaction).
pub struct Lite<'c>(pub &'c rusqlite::Connection);

impl Sql for Lite<'_> {
    fn engine(&self) -> Engine {
        Engine::Sqlite
    }

    fn execute(&mut self, sql: &str, params: &[Value]) -> Result<u64> {
        let n = self
            .0
            .prepare_cached(sql)?
            .execute(rusqlite::params_from_iter(params.iter()))?;
        Ok(n as u64)
    }

    fn for_each(
        &mut self,
        sql: &str,
        params: &[Value],
        each: &mut dyn FnMut(&Row) -> Result<()>,
    ) -> Result<u64> {
        let mut st = self.0.prepare_cached(sql)?;
        let mut rows = st.query(rusqlite::params_from_iter(params.iter()))?;
        let mut n = 0;
        while let Some(r) = rows.next()? {
            each(&Row::Lite(r))?;
            n += 1;
        }
        Ok(n)
    }

    fn columns(&mut self, table: &str) -> Result<Vec<String>> {
        let mut st = self
            .0
            .prepare("SELECT name FROM pragma_table_info(?1) ORDER BY cid")?;
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

/// PostgreSQL through anything that runs statements: a `Client` or a
/// `Transaction`.
macro_rules! postgres_sql {
    ($t:ty) => {
        impl Sql for $t {
            fn engine(&self) -> Engine {
                Engine::Postgres
            }

            fn execute(&mut self, sql: &str, params: &[Value]) -> Result<u64> {
                let sql = dialect::postgres(sql);
                let refs = value::refs(params);
                Ok(postgres::GenericClient::execute(self, sql.as_ref(), &refs)?)
            }

            fn for_each(
                &mut self,
                sql: &str,
                params: &[Value],
                each: &mut dyn FnMut(&Row) -> Result<()>,
            ) -> Result<u64> {
                use postgres::fallible_iterator::FallibleIterator;
                let sql = dialect::postgres(sql);
                let mut rows =
                    postgres::GenericClient::query_raw(self, sql.as_ref(), params.iter())?;
                let mut n = 0;
                while let Some(r) = rows.next()? {
                    each(&Row::Postgres(&r))?;
                    n += 1;
                }
                Ok(n)
            }

            fn columns(&mut self, table: &str) -> Result<Vec<String>> {
                let rows = postgres::GenericClient::query(
                    self,
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
                let list = idents(columns);
                // The columns' types, for the binary format.
                let probe = postgres::GenericClient::prepare(
                    self,
                    &format!("SELECT {list} FROM {} LIMIT 0", ident(table)),
                )?;
                let types: Vec<postgres::types::Type> =
                    probe.columns().iter().map(|c| c.type_().clone()).collect();
                let writer = postgres::GenericClient::copy_in(
                    self,
                    &format!("COPY {} ({list}) FROM STDIN (FORMAT binary)", ident(table)),
                )?;
                Ok(Box::new(PostgresInserter {
                    w: postgres::binary_copy::BinaryCopyInWriter::new(writer, &types),
                }))
            }
        }
    };
}

postgres_sql!(postgres::Client);
postgres_sql!(postgres::Transaction<'_>);

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
        let cols = c.columns("t").unwrap();
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
        let got = c
            .first("SELECT * FROM t WHERE i = ?1", &[Value::Int(-7)])
            .unwrap();
        assert_eq!(got, Some(row));
        assert_eq!(c.columns("no_such_table").unwrap(), Vec::<String>::new());
    }

    #[test]
    fn identifiers_are_quoted() {
        assert_eq!(ident("units"), "\"units\"");
        assert_eq!(ident("a\"b"), "\"a\"\"b\"");
    }
}
