//! The register's schema on PostgreSQL (issue 22): the migrations, the
//! register's stamp, and what the engine layer (`store::sql`) and the copier
//! (`migrate --to`) need of the catalog. The DDL is in [`schema`].
//!
//! PostgreSQL has no `user_version` or `application_id`: a table
//! `tizilim_meta (key, value)` holds `application_id` (tizilim's
//! [`APPLICATION_ID`](super::schema::APPLICATION_ID), in hex) and
//! `schema_version`. Everything lives in the connection's current schema
//! (the first of its `search_path`).

pub mod schema;

use postgres::{Client, IsolationLevel, Transaction};

pub use schema::BASELINE;

/// The PostgreSQL migrations, `(schema version, DDL)`, ascending: the
/// baseline (SQLite's v1…v8 at once), then one per SQLite migration after v8
/// with the same number (`store::schema` says so where they are added).
pub const MIGRATIONS: &[(usize, &str)] = &[(BASELINE, schema::V8_BASELINE)];

/// The schema version this build writes on PostgreSQL: always SQLite's
/// (`store::schema::LATEST`; a unit test holds them together).
pub const LATEST: usize = MIGRATIONS[MIGRATIONS.len() - 1].0;

/// `application_id` as `tizilim_meta` holds it: "0x545A4C4D" ("TZLM").
pub fn application_id() -> String {
    format!("{:#010X}", super::schema::APPLICATION_ID).replacen("0X", "0x", 1)
}

/// The transaction-scoped advisory lock every `migrate` takes first, so two
/// processes starting on one database at once migrate it one after the other.
const LOCK_KEY: i64 = super::schema::APPLICATION_ID as i64;

/// The kinds of relation that make a schema "not empty": tables (plain,
/// partitioned, foreign), views, materialized views, sequences.
const RELKINDS: &str = "('r','p','f','v','m','S')";

/// Creates the schema in an empty database or brings a register up to
/// [`LATEST`], in ONE transaction under `pg_advisory_xact_lock`; returns the
/// version the database is at. A register newer than this build is left
/// untouched and its version returned (the caller compares it with
/// [`LATEST`]). Refuses, with a database error and nothing changed, a
/// schema that holds tables but is not a tizilim register, or a
/// `tizilim_meta` of another application.
pub fn migrate(client: &mut Client) -> Result<usize, postgres::Error> {
    // READ COMMITTED: every statement after the lock sees what a migration
    // that held it before committed (a snapshot taken at the lock would not).
    let mut tx = client
        .build_transaction()
        .isolation_level(IsolationLevel::ReadCommitted)
        .start()?;
    let at = migrate_in(&mut tx)?;
    tx.commit()?;
    Ok(at)
}

/// As [`migrate`], inside the caller's transaction (READ COMMITTED): a
/// register copied in (`store::migrate`) gets its schema and its rows in one
/// transaction, or neither.
pub fn migrate_in(tx: &mut Transaction) -> Result<usize, postgres::Error> {
    tx.execute("SELECT pg_advisory_xact_lock($1)", &[&LOCK_KEY])?;
    // The refusals are raised by the server, so that they are database
    // errors with their own words and SQLSTATE 55000.
    tx.batch_execute(&format!(
        "DO $guard$
         BEGIN
           IF NOT EXISTS (SELECT 1 FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
                          WHERE n.nspname = current_schema() AND c.relname = 'tizilim_meta') THEN
             IF EXISTS (SELECT 1 FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
                        WHERE n.nspname = current_schema() AND c.relkind IN {RELKINDS}) THEN
               RAISE EXCEPTION USING ERRCODE = 'object_not_in_prerequisite_state',
                 MESSAGE = format('schema %s is not empty and holds no tizilim register: '
                                  'a register is created only in an empty database', current_schema());
             END IF;
           ELSIF (SELECT value FROM tizilim_meta WHERE key = 'application_id')
                 IS DISTINCT FROM '{app}' THEN
             RAISE EXCEPTION USING ERRCODE = 'object_not_in_prerequisite_state',
               MESSAGE = format('schema %s: tizilim_meta is not of a tizilim register '
                                '(application_id is not {app})', current_schema());
           END IF;
         END
         $guard$;",
        app = application_id()
    ))?;
    tx.batch_execute(
        "CREATE TABLE IF NOT EXISTS tizilim_meta (
             key    TEXT COLLATE \"C\" PRIMARY KEY,
             value  TEXT COLLATE \"C\" NOT NULL
         )",
    )?;
    tx.execute(
        "INSERT INTO tizilim_meta (key, value) VALUES ('application_id', $1)
         ON CONFLICT (key) DO NOTHING",
        &[&application_id()],
    )?;
    let found = stored_version(tx)?.unwrap_or(0);
    let mut at = found;
    for &(version, ddl) in MIGRATIONS.iter().filter(|(v, _)| *v > found) {
        tx.batch_execute(ddl)?;
        at = version;
    }
    if at != found {
        tx.execute(
            "INSERT INTO tizilim_meta (key, value) VALUES ('schema_version', $1)
             ON CONFLICT (key) DO UPDATE SET value = excluded.value",
            &[&at.to_string()],
        )?;
    }
    Ok(at)
}

/// `schema_version` as stored (the server refuses a value that is not a
/// number: `::bigint`).
fn stored_version(tx: &mut Transaction) -> Result<Option<usize>, postgres::Error> {
    let row = tx.query_opt(
        "SELECT value::bigint FROM tizilim_meta WHERE key = 'schema_version'",
        &[],
    )?;
    Ok(row.map(|r| usize::try_from(r.get::<_, i64>(0)).unwrap_or(0)))
}

/// The register's schema version; `None` if the current schema holds no
/// tizilim register (no `tizilim_meta`, or one of another application).
pub fn version(client: &mut Client) -> Result<Option<usize>, postgres::Error> {
    let mut tx = client.transaction()?;
    let is_meta = tx
        .query_one(
            "SELECT EXISTS (SELECT 1 FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
                            WHERE n.nspname = current_schema() AND c.relname = 'tizilim_meta')",
            &[],
        )?
        .get::<_, bool>(0);
    if !is_meta {
        return Ok(None);
    }
    let app: Option<String> = tx
        .query_opt(
            "SELECT value FROM tizilim_meta WHERE key = 'application_id'",
            &[],
        )?
        .map(|r| r.get(0));
    if app.as_deref() != Some(application_id().as_str()) {
        return Ok(None);
    }
    let version = stored_version(&mut tx)?.unwrap_or(0);
    tx.commit()?;
    Ok(Some(version))
}

/// True if the current schema holds no table, view or sequence at all:
/// `init` and `migrate --to` create a register only there.
pub fn is_empty(client: &mut Client) -> Result<bool, postgres::Error> {
    let row = client.query_one(
        &format!(
            "SELECT NOT EXISTS (SELECT 1 FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
                                WHERE n.nspname = current_schema() AND c.relkind IN {RELKINDS})"
        ),
        &[],
    )?;
    Ok(row.get(0))
}

/// After rows were copied in with their ids (the copier keeps SQLite's):
/// each identity column's sequence restarts after its table's largest value,
/// so the next row a service inserts without one gets `max + 1`, as SQLite
/// would give it.
pub fn reset_identities(tx: &mut Transaction) -> Result<(), postgres::Error> {
    let columns: Vec<(String, String)> = tx
        .query(
            "SELECT c.relname::text, a.attname::text
               FROM pg_attribute a
               JOIN pg_class c ON c.oid = a.attrelid
               JOIN pg_namespace n ON n.oid = c.relnamespace
              WHERE n.nspname = current_schema() AND c.relkind IN ('r','p')
                AND a.attidentity <> '' AND NOT a.attisdropped
              ORDER BY 1, 2",
            &[],
        )?
        .iter()
        .map(|r| (r.get(0), r.get(1)))
        .collect();
    for (table, column) in columns {
        let (t, c) = (quote_ident(&table), quote_ident(&column));
        tx.execute(
            &format!(
                "SELECT setval(pg_get_serial_sequence(quote_ident(current_schema()) || '.' || $1, $2),
                               coalesce(max({c}), 0) + 1, false)
                   FROM {t}"
            ),
            &[&t, &column],
        )?;
    }
    Ok(())
}

/// The register's tables, parents first (each table after every table it
/// references): the order the copier fills them in.
pub fn tables() -> &'static [&'static str] {
    schema::TABLES
}

/// An identifier as PostgreSQL quotes it (`"` doubled).
fn quote_ident(name: &str) -> String {
    format!("\"{}\"", name.replace('"', "\"\""))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn latest_is_sqlite_latest() {
        // A SQLite migration added without its PostgreSQL twin fails here.
        assert_eq!(LATEST, crate::store::schema::LATEST);
        assert!(MIGRATIONS.windows(2).all(|w| w[0].0 < w[1].0));
        assert_eq!(MIGRATIONS[0].0, BASELINE);
    }

    #[test]
    fn application_id_in_hex() {
        assert_eq!(application_id(), "0x545A4C4D");
    }

    #[test]
    fn tables_are_sqlite_tables_in_creation_order() {
        // SQLite's tables, in the order its migrations created them.
        let store = crate::store::Store::in_memory().unwrap();
        let sqlite: Vec<String> = store
            .conn()
            .prepare(
                "SELECT name FROM sqlite_master WHERE type = 'table'
                   AND name NOT LIKE 'sqlite_%' ORDER BY rowid",
            )
            .unwrap()
            .query_map([], |r| r.get(0))
            .unwrap()
            .collect::<rusqlite::Result<_>>()
            .unwrap();
        assert_eq!(tables(), sqlite);
        // and each is created by the baseline
        for t in tables() {
            assert!(
                schema::V8_BASELINE.contains(&format!("CREATE TABLE {t} (")),
                "{t} is not in the baseline"
            );
        }
    }

    #[test]
    fn identifiers_quoted() {
        assert_eq!(quote_ident("a\"b"), "\"a\"\"b\"");
    }
}
