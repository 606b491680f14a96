//! The register's schema on PostgreSQL (issue 22) against SQLite's: a fresh
//! register from `Store::create` and `store::pg::migrate` on a fresh
//! database must have the same tables, columns (in order, with their types,
//! NOT NULL, defaults), keys, foreign keys, indexes and triggers, and refuse
//! the same rows. Runs on the server `TIZILIM_TEST_PG` names (`.ci/run`
//! starts one with `scripts/pg-cluster.sh`); without it every test says
//! "skipped: TIZILIM_TEST_PG not set" and passes.

mod common;

use std::collections::{BTreeMap, BTreeSet};
use std::sync::{Arc, Barrier};

use common::pg::PgDb;
use postgres::Client;
use tizilim::store::{Store, pg};

/// A fresh database, or the skip said and the test over.
macro_rules! fresh_or_skip {
    () => {
        match PgDb::fresh() {
            Some(db) => db,
            None => return,
        }
    };
}

/// A fresh SQLite register (v8) on a temporary file.
fn sqlite() -> (tempfile::TempDir, Store) {
    let dir = tempfile::tempdir().unwrap();
    let store = Store::create(&dir.path().join("register.sqlite")).unwrap();
    (dir, store)
}

fn migrated() -> Option<(PgDb, Client)> {
    let db = PgDb::fresh()?;
    let mut client = db.client();
    assert_eq!(pg::migrate(&mut client).unwrap(), pg::LATEST);
    Some((db, client))
}

fn sl_strings(conn: &rusqlite::Connection, sql: &str) -> Vec<String> {
    conn.prepare(sql)
        .unwrap()
        .query_map([], |r| r.get(0))
        .unwrap()
        .collect::<rusqlite::Result<_>>()
        .unwrap()
}

fn pg_strings(client: &mut Client, sql: &str, table: &str) -> Vec<String> {
    client
        .query(sql, &[&table])
        .unwrap()
        .iter()
        .map(|r| r.get(0))
        .collect()
}

/// A column as both engines' catalogs describe it, in PostgreSQL's words.
#[derive(Debug, PartialEq)]
struct Column {
    name: String,
    ty: String,
    not_null: bool,
    default: Option<String>,
    identity: bool,
}

fn sl_without_rowid(conn: &rusqlite::Connection, table: &str) -> bool {
    let sql: String = conn
        .query_row(
            "SELECT sql FROM sqlite_master WHERE type = 'table' AND name = ?1",
            [table],
            |r| r.get(0),
        )
        .unwrap();
    sql.contains("WITHOUT ROWID")
}

fn sl_columns(conn: &rusqlite::Connection, table: &str) -> (Vec<Column>, Vec<String>) {
    let mut st = conn
        .prepare(&format!("PRAGMA table_info({table})"))
        .unwrap();
    let rows: Vec<(String, String, bool, Option<String>, i64)> = st
        .query_map([], |r| {
            Ok((r.get(1)?, r.get(2)?, r.get(3)?, r.get(4)?, r.get(5)?))
        })
        .unwrap()
        .collect::<rusqlite::Result<_>>()
        .unwrap();
    let mut pk: Vec<(i64, String)> = rows
        .iter()
        .filter(|c| c.4 > 0)
        .map(|c| (c.4, c.0.clone()))
        .collect();
    pk.sort();
    let rowid_alias = pk.len() == 1 && !sl_without_rowid(conn, table);
    let columns = rows
        .into_iter()
        .map(|(name, ty, not_null, default, pk_no)| {
            let identity = rowid_alias && pk_no == 1 && ty == "INTEGER";
            Column {
                ty: match ty.as_str() {
                    "INTEGER" => "bigint",
                    "REAL" => "double precision",
                    "TEXT" => "text",
                    "BLOB" => "bytea",
                    other => panic!("{table}.{name}: SQLite type {other} has no mapping"),
                }
                .to_string(),
                name,
                // A primary key is NOT NULL on PostgreSQL; SQLite's rowid
                // tables let a TEXT key be NULL (a legacy quirk), which the
                // register never writes.
                not_null: not_null || pk_no > 0,
                default,
                identity,
            }
        })
        .collect();
    (columns, pk.into_iter().map(|p| p.1).collect())
}

fn pg_columns(client: &mut Client, table: &str) -> (Vec<Column>, Vec<String>) {
    let columns = client
        .query(
            "SELECT column_name::text, data_type::text, is_nullable = 'NO', column_default::text,
                    is_identity = 'YES', collation_name::text
               FROM information_schema.columns
              WHERE table_schema = current_schema() AND table_name = $1
              ORDER BY ordinal_position",
            &[&table],
        )
        .unwrap()
        .iter()
        .map(|r| {
            let column = Column {
                name: r.get(0),
                ty: r.get(1),
                not_null: r.get(2),
                default: r.get(3),
                identity: r.get(4),
            };
            if column.ty == "text" {
                // byte order, as SQLite's BINARY collation
                assert_eq!(
                    r.get::<_, Option<String>>(5).as_deref(),
                    Some("C"),
                    "{table}.{}: collation",
                    column.name
                );
            }
            column
        })
        .collect();
    let pk = pg_strings(
        client,
        "SELECT a.attname::text FROM pg_index i
           JOIN pg_attribute a ON a.attrelid = i.indrelid AND a.attnum = ANY (i.indkey::int2[])
          WHERE i.indrelid = $1::text::regclass AND i.indisprimary
          ORDER BY array_position(i.indkey::int2[], a.attnum)",
        table,
    );
    (columns, pk)
}

/// Unique keys (the primary key and UNIQUE constraints): (kind, columns).
fn sl_keys(
    conn: &rusqlite::Connection,
    table: &str,
    pk: &[String],
) -> BTreeSet<(String, Vec<String>)> {
    let mut keys = BTreeSet::new();
    let list: Vec<(String, String)> = conn
        .prepare(&format!("PRAGMA index_list({table})"))
        .unwrap()
        .query_map([], |r| Ok((r.get(1)?, r.get(3)?)))
        .unwrap()
        .collect::<rusqlite::Result<_>>()
        .unwrap();
    for (name, origin) in list {
        if origin == "c" {
            continue;
        }
        let cols = sl_strings(
            conn,
            &format!("SELECT name FROM pragma_index_info('{name}') ORDER BY seqno"),
        );
        keys.insert((if origin == "pk" { "p" } else { "u" }.to_string(), cols));
    }
    // a rowid alias is the key with no index of its own
    if !pk.is_empty() {
        keys.insert(("p".to_string(), pk.to_vec()));
    }
    keys
}

fn pg_keys(client: &mut Client, table: &str) -> BTreeSet<(String, Vec<String>)> {
    client
        .query(
            "SELECT c.contype::text,
                    array(SELECT a.attname::text FROM unnest(c.conkey) WITH ORDINALITY k(attnum, n)
                            JOIN pg_attribute a ON a.attrelid = c.conrelid AND a.attnum = k.attnum
                           ORDER BY k.n)
               FROM pg_constraint c
              WHERE c.conrelid = $1::text::regclass AND c.contype IN ('p', 'u')",
            &[&table],
        )
        .unwrap()
        .iter()
        .map(|r| (r.get(0), r.get(1)))
        .collect()
}

/// The indexes of their own (not a key's): name → (unique, partial, columns).
type Indexes = BTreeMap<String, (bool, bool, Vec<String>)>;

fn sl_indexes(conn: &rusqlite::Connection, table: &str) -> Indexes {
    let list: Vec<(String, bool, String, bool)> = conn
        .prepare(&format!("PRAGMA index_list({table})"))
        .unwrap()
        .query_map([], |r| Ok((r.get(1)?, r.get(2)?, r.get(3)?, r.get(4)?)))
        .unwrap()
        .collect::<rusqlite::Result<_>>()
        .unwrap();
    list.into_iter()
        .filter(|i| i.2 == "c")
        .map(|(name, unique, _, partial)| {
            let cols = sl_strings(
                conn,
                &format!("SELECT name FROM pragma_index_info('{name}') ORDER BY seqno"),
            );
            (name, (unique, partial, cols))
        })
        .collect()
}

fn pg_indexes(client: &mut Client, table: &str) -> Indexes {
    client
        .query(
            "SELECT ic.relname::text, i.indisunique, i.indpred IS NOT NULL,
                    array(SELECT a.attname::text FROM unnest(i.indkey::int2[]) WITH ORDINALITY k(attnum, n)
                            JOIN pg_attribute a ON a.attrelid = i.indrelid AND a.attnum = k.attnum
                           ORDER BY k.n)
               FROM pg_index i JOIN pg_class ic ON ic.oid = i.indexrelid
              WHERE i.indrelid = $1::text::regclass
                AND NOT EXISTS (SELECT 1 FROM pg_constraint c
                                 WHERE c.conindid = i.indexrelid AND c.conrelid = i.indrelid
                                   AND c.contype IN ('p', 'u'))",
            &[&table],
        )
        .unwrap()
        .iter()
        .map(|r| (r.get(0), (r.get(1), r.get(2), r.get(3))))
        .collect()
}

/// A foreign key: (parent, columns, parent's columns, on update, on delete).
type Fk = (String, Vec<String>, Vec<String>, String, String);
type Fks = BTreeSet<Fk>;

fn sl_fks(conn: &rusqlite::Connection, table: &str) -> Fks {
    let rows: Vec<(i64, String, String, String, String, String)> = conn
        .prepare(&format!("PRAGMA foreign_key_list({table})"))
        .unwrap()
        .query_map([], |r| {
            Ok((
                r.get(0)?,
                r.get(2)?,
                r.get(3)?,
                r.get(4)?,
                r.get(5)?,
                r.get(6)?,
            ))
        })
        .unwrap()
        .collect::<rusqlite::Result<_>>()
        .unwrap();
    let mut by_id: BTreeMap<i64, Fk> = BTreeMap::new();
    for (id, parent, from, to, on_update, on_delete) in rows {
        let fk = by_id
            .entry(id)
            .or_insert_with(|| (parent, vec![], vec![], on_update, on_delete));
        fk.1.push(from);
        fk.2.push(to);
    }
    by_id.into_values().collect()
}

fn pg_fks(client: &mut Client, table: &str) -> Fks {
    let action = |c: i8| match c as u8 {
        b'a' => "NO ACTION",
        b'r' => "RESTRICT",
        b'c' => "CASCADE",
        b'n' => "SET NULL",
        b'd' => "SET DEFAULT",
        _ => "?",
    };
    client
        .query(
            "SELECT c.confrelid::regclass::text,
                    array(SELECT a.attname::text FROM unnest(c.conkey) WITH ORDINALITY k(attnum, n)
                            JOIN pg_attribute a ON a.attrelid = c.conrelid AND a.attnum = k.attnum
                           ORDER BY k.n),
                    array(SELECT a.attname::text FROM unnest(c.confkey) WITH ORDINALITY k(attnum, n)
                            JOIN pg_attribute a ON a.attrelid = c.confrelid AND a.attnum = k.attnum
                           ORDER BY k.n),
                    c.confupdtype, c.confdeltype
               FROM pg_constraint c
              WHERE c.conrelid = $1::text::regclass AND c.contype = 'f'",
            &[&table],
        )
        .unwrap()
        .iter()
        .map(|r| {
            (
                r.get(0),
                r.get(1),
                r.get(2),
                action(r.get(3)).to_string(),
                action(r.get(4)).to_string(),
            )
        })
        .collect()
}

const SL_TABLES: &str = "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY name";
const PG_TABLES: &str = "SELECT tablename::text FROM pg_tables
    WHERE schemaname = current_schema() AND tablename <> 'tizilim_meta' AND $1::text IS NOT NULL
    ORDER BY tablename";

#[test]
fn same_tables_columns_keys_and_indexes_as_sqlite() {
    let Some((_db, mut client)) = migrated() else {
        return;
    };
    let (_dir, store) = sqlite();
    let conn = store.conn();

    let sl_tables = sl_strings(conn, SL_TABLES);
    let pg_tables = pg_strings(&mut client, PG_TABLES, "");
    assert_eq!(pg_tables, sl_tables, "the tables");
    let mut listed: Vec<String> = pg::tables().iter().map(|t| t.to_string()).collect();
    listed.sort();
    assert_eq!(listed, sl_tables, "pg::tables()");

    for table in &sl_tables {
        let (sl_cols, sl_pk) = sl_columns(conn, table);
        let (pg_cols, pg_pk) = pg_columns(&mut client, table);
        assert_eq!(pg_cols, sl_cols, "{table}: columns (in order)");
        assert_eq!(pg_pk, sl_pk, "{table}: primary key");
        let rowid_pk = if sl_cols.iter().any(|c| c.identity) {
            sl_pk.clone()
        } else {
            vec![]
        };
        assert_eq!(
            pg_keys(&mut client, table),
            sl_keys(conn, table, &rowid_pk),
            "{table}: primary key and UNIQUE constraints"
        );
        assert_eq!(
            pg_indexes(&mut client, table),
            sl_indexes(conn, table),
            "{table}: indexes (name → unique, partial, columns)"
        );
        assert_eq!(
            pg_fks(&mut client, table),
            sl_fks(conn, table),
            "{table}: foreign keys"
        );
        let sl_sql: String = conn
            .query_row(
                "SELECT sql FROM sqlite_master WHERE type = 'table' AND name = ?1",
                [table],
                |r| r.get(0),
            )
            .unwrap();
        let pg_checks: i64 = client
            .query_one(
                "SELECT count(*) FROM pg_constraint WHERE conrelid = $1::text::regclass AND contype = 'c'",
                &[table],
            )
            .unwrap()
            .get(0);
        assert_eq!(
            pg_checks as usize,
            sl_sql.matches("CHECK (").count(),
            "{table}: CHECK constraints"
        );
    }
}

/// Partial indexes keep SQLite's WHERE: each SQLite predicate (valid
/// PostgreSQL as written) and PostgreSQL's own, evaluated on PostgreSQL over
/// NULL, '', every literal the predicate names and one it does not, agree.
#[test]
fn partial_indexes_keep_their_where() {
    let Some((_db, mut client)) = migrated() else {
        return;
    };
    let (_dir, store) = sqlite();
    let partial: Vec<(String, String, String)> = store
        .conn()
        .prepare(
            "SELECT name, tbl_name, sql FROM sqlite_master
              WHERE type = 'index' AND sql LIKE '%WHERE%' ORDER BY name",
        )
        .unwrap()
        .query_map([], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)))
        .unwrap()
        .collect::<rusqlite::Result<_>>()
        .unwrap();
    assert!(partial.len() >= 8, "SQLite's partial indexes: {partial:?}");
    for (name, table, sql) in partial {
        let sl_pred = sql[sql.find("WHERE").unwrap() + 5..].trim().to_string();
        let pg_pred: String = client
            .query_one(
                "SELECT pg_get_expr(i.indpred, i.indrelid) FROM pg_index i
                   JOIN pg_class ic ON ic.oid = i.indexrelid
                  WHERE ic.relname = $1 AND i.indrelid = $2::text::regclass",
                &[&name, &table],
            )
            .unwrap_or_else(|e| panic!("{name}: no partial index on PostgreSQL: {e}"))
            .get(0);
        let (sl_cols, _) = sl_columns(store.conn(), &table);
        let named: Vec<&str> = sl_cols
            .iter()
            .map(|c| c.name.as_str())
            .filter(|c| {
                sl_pred
                    .split(|ch: char| !(ch.is_ascii_alphanumeric() || ch == '_'))
                    .any(|w| w == *c)
            })
            .collect();
        assert_eq!(
            named.len(),
            1,
            "{name}: the predicate names one column: {sl_pred}"
        );
        let mut values = vec![
            "NULL".to_string(),
            "''".to_string(),
            "'elsewhere'".to_string(),
        ];
        values.extend(
            sl_pred
                .split('\'')
                .skip(1)
                .step_by(2)
                .map(|l| format!("'{l}'")),
        );
        let rows = values
            .iter()
            .map(|v| format!("({v}::text)"))
            .collect::<Vec<_>>()
            .join(", ");
        let differ: Vec<String> = client
            .query(
                &format!(
                    "SELECT coalesce(v.{col}, 'NULL') FROM (VALUES {rows}) AS v({col})
                      WHERE ({sl_pred}) IS DISTINCT FROM ({pg_pred})",
                    col = named[0]
                ),
                &[],
            )
            .unwrap()
            .iter()
            .map(|r| r.get(0))
            .collect();
        assert!(
            differ.is_empty(),
            "{name}: SQLite's WHERE {sl_pred} and PostgreSQL's {pg_pred} differ on {differ:?}"
        );
    }
}

#[test]
fn same_triggers_as_sqlite_and_truncate_refused_too() {
    let Some((_db, mut client)) = migrated() else {
        return;
    };
    let (_dir, store) = sqlite();
    // SQLite: name → (table, event)
    let sl: BTreeMap<String, (String, String)> = store
        .conn()
        .prepare("SELECT name, tbl_name, sql FROM sqlite_master WHERE type = 'trigger'")
        .unwrap()
        .query_map([], |r| {
            let sql: String = r.get(2)?;
            let event = ["UPDATE", "DELETE", "INSERT"]
                .into_iter()
                .find(|e| sql.contains(&format!("BEFORE {e} ON")))
                .expect("a BEFORE trigger");
            Ok((r.get(0)?, (r.get(1)?, event.to_string())))
        })
        .unwrap()
        .collect::<rusqlite::Result<_>>()
        .unwrap();
    assert!(sl.len() >= 6, "SQLite's triggers: {sl:?}");
    // PostgreSQL: BEFORE (2), FOR EACH ROW (1), INSERT 4 / DELETE 8 / UPDATE 16 / TRUNCATE 32
    let pg: BTreeMap<String, (String, String, bool)> = client
        .query(
            "SELECT t.tgname::text, t.tgrelid::regclass::text, t.tgtype::int
               FROM pg_trigger t JOIN pg_class c ON c.oid = t.tgrelid
               JOIN pg_namespace n ON n.oid = c.relnamespace
              WHERE NOT t.tgisinternal AND n.nspname = current_schema()",
            &[],
        )
        .unwrap()
        .iter()
        .map(|r| {
            let ty: i32 = r.get(2);
            assert!(ty & 2 != 0, "{}: a BEFORE trigger", r.get::<_, String>(0));
            let event = match ty & (4 | 8 | 16 | 32) {
                4 => "INSERT",
                8 => "DELETE",
                16 => "UPDATE",
                32 => "TRUNCATE",
                other => panic!("trigger type {other}"),
            };
            (r.get(0), (r.get(1), event.to_string(), ty & 1 != 0))
        })
        .collect();
    for (name, (table, event)) in &sl {
        assert_eq!(
            pg.get(name),
            Some(&(table.clone(), event.clone(), true)),
            "trigger {name}"
        );
    }
    // The rest refuse TRUNCATE (which skips row triggers) on each table
    // SQLite refuses DELETE on.
    let deleted: BTreeSet<&String> = sl
        .values()
        .filter(|(_, e)| e == "DELETE")
        .map(|(t, _)| t)
        .collect();
    let truncated: BTreeSet<&String> = pg
        .iter()
        .filter(|(n, _)| !sl.contains_key(*n))
        .map(|(n, (t, e, row))| {
            assert_eq!((e.as_str(), *row), ("TRUNCATE", false), "trigger {n}");
            t
        })
        .collect();
    assert_eq!(truncated, deleted);
    for table in deleted {
        let err = client
            .batch_execute(&format!("TRUNCATE {table} CASCADE"))
            .expect_err("TRUNCATE refused");
        assert_eq!(
            err.code().map(|c| c.code()),
            Some("23000"),
            "{table}: {err:?}"
        );
    }
}

/// The same statements on both engines: accepted or refused alike.
#[test]
fn same_rows_refused_on_both_engines() {
    let Some((_db, mut client)) = migrated() else {
        return;
    };
    let (_dir, store) = sqlite();
    let conn = store.conn();
    let fk_on: bool = conn
        .query_row("PRAGMA foreign_keys", [], |r| r.get(0))
        .unwrap();
    assert!(fk_on, "the store enforces foreign keys");

    let case = |id: i64, number: &str| {
        format!(
            "INSERT INTO cases (id, number, kind, channel, miner_id, received_at, registered_on,
                                stage, missing, version, registered_seq)
             VALUES ({id}, '{number}', 'inclusion', 'portal', 1, '2026-01-05T10:00:00+05:00',
                     '2026-01-05', 'under_review', '[]', 1, 1)"
        )
    };
    let unit = |id: i64, idx: i64, serial: &str, status: &str| {
        format!(
            "INSERT INTO units (id, case_id, idx, brand, model, serial, hashrate_ths, power_kw,
                                condition, status)
             VALUES ({id}, 1, {idx}, 'Bitmain', 'S19', '{serial}', 95.5, 3.25, 'new', '{status}')"
        )
    };
    let journal = |seq: i64| {
        format!(
            "INSERT INTO journal (seq, at, actor, kind, subject, payload, prev_hash, hash)
             VALUES ({seq}, '2026-01-05T10:00:00Z', 'root', 'test', NULL, '{{}}', 'p{seq}', 'h{seq}')"
        )
    };
    // (statement, None = accepted, Some(words) = refused, naming them when a
    // trigger refuses)
    let steps: Vec<(String, Option<&str>)> = vec![
        (
            "INSERT INTO miners (id, bin_iin, name, phone, email, personal_data_consent)
             VALUES (1, '990140000385', 'Miner LLP', '+77010000000', 'm@example.kz', 1)"
                .into(),
            None,
        ),
        (
            "INSERT INTO miners (id, bin_iin, name, phone, email, personal_data_consent)
             VALUES (2, '990140000385', 'Twin LLP', '+77010000000', 'm@example.kz', 1)"
                .into(),
            Some(""),
        ),
        (
            "INSERT INTO miners (id, bin_iin, name, phone, email, personal_data_consent)
             VALUES (3, '990140000386', 'No Phone LLP', NULL, 'm@example.kz', 1)"
                .into(),
            Some(""),
        ),
        (
            "INSERT INTO data_centers (id, miner_id, location) VALUES (1, 99, 'Ekibastuz')".into(),
            Some(""),
        ),
        (
            "INSERT INTO data_centers (id, miner_id, location) VALUES (1, 1, 'Ekibastuz')".into(),
            None,
        ),
        (
            "INSERT INTO data_centers (id, miner_id, location) VALUES (2, 1, 'Ekibastuz')".into(),
            Some(""),
        ),
        (case(1, "ABK-2026-000001"), None),
        (case(2, "ABK-2026-000001"), Some("")),
        (unit(1, 0, "SN1", "included"), None),
        // §-wide: a serial is in the register once (the partial unique index)
        (unit(2, 1, "SN1", "included"), Some("")),
        (unit(3, 1, "SN1", "excluded"), None),
        (unit(4, 1, "SN2", "pending"), Some("")),
        (
            "INSERT INTO users (login, role, added_at, added_by) VALUES ('dana', 'nobody', 'x', 'root')"
                .into(),
            Some(""),
        ),
        (
            "INSERT INTO users (login, role, added_at, added_by) VALUES ('dana', 'clerk', 'x', 'root')"
                .into(),
            None,
        ),
        (
            "INSERT INTO complaints (id, number, case_id, addressed_to, status, received_at,
                                     registered_on, text)
             VALUES (1, 'CMP-1', 1, 'provider', 'registered', 'x', '2026-01-06', 'why')"
                .into(),
            None,
        ),
        (journal(1000), None),
        (journal(1000), Some("")),
        (
            "UPDATE journal SET actor = 'mallory' WHERE seq = 1000".into(),
            Some("the journal is append-only"),
        ),
        (
            "DELETE FROM journal WHERE seq = 1000".into(),
            Some("the journal is append-only"),
        ),
        // a statement that touches no row fires no row trigger, on both
        ("DELETE FROM journal WHERE seq = 7".into(), None),
        (
            "DELETE FROM units WHERE id = 3".into(),
            Some("units are never deleted"),
        ),
        (
            "DELETE FROM cases WHERE id = 1".into(),
            Some("cases are never deleted"),
        ),
        ("UPDATE cases SET stage = 'included' WHERE id = 1".into(), None),
        (
            "INSERT INTO signing_keys (fingerprint, login, algorithm, public_key, name, position,
                                       valid_from, from_seq)
             VALUES ('fp1', 'root', 'ed25519', 'pk', 'Root', 'Admin', '2026-01-01', 1)"
                .into(),
            None,
        ),
        (
            "INSERT INTO notices (number, case_id, kind, issued_on, signer, fingerprint, seq)
             VALUES ('N-1', 1, 'inclusion', '2026-01-07', 'root', 'fp-unknown', 1)"
                .into(),
            Some(""),
        ),
        (
            "INSERT INTO notices (number, case_id, kind, issued_on, signer, fingerprint, seq)
             VALUES ('N-1', 1, 'inclusion', '2026-01-07', 'root', 'fp1', 1)"
                .into(),
            None,
        ),
        (
            "INSERT INTO deliveries (seq, notice, via, delivered_on, actor)
             VALUES (1, 'N-1', 'fax', '2026-01-08', 'root')"
                .into(),
            Some(""),
        ),
        (
            "INSERT INTO deliveries (seq, notice, via, delivered_on, actor)
             VALUES (1, 'N-1', 'office', '2026-01-08', 'root')"
                .into(),
            None,
        ),
    ];
    for (sql, refused) in &steps {
        let sl = conn.execute_batch(sql);
        let pg = client.batch_execute(sql);
        match refused {
            None => {
                assert!(sl.is_ok(), "SQLite refused {sql}: {sl:?}");
                assert!(pg.is_ok(), "PostgreSQL refused {sql}: {pg:?}");
            }
            Some(words) => {
                let sl = sl.expect_err(&format!("SQLite accepted {sql}"));
                let pg = pg.expect_err(&format!("PostgreSQL accepted {sql}"));
                let db = pg.as_db_error().unwrap_or_else(|| panic!("{sql}: {pg:?}"));
                if !words.is_empty() {
                    assert!(sl.to_string().contains(words), "SQLite: {sl}");
                    assert_eq!(db.message(), *words, "{sql}");
                }
                // refused as data that breaks a rule of the schema: class 23
                assert!(db.code().code().starts_with("23"), "{sql}: {db:?}");
            }
        }
    }
    // the DEFAULT of complaints.version
    let sl_version: i64 = conn
        .query_row("SELECT version FROM complaints WHERE id = 1", [], |r| {
            r.get(0)
        })
        .unwrap();
    let pg_version: i64 = client
        .query_one("SELECT version FROM complaints WHERE id = 1", &[])
        .unwrap()
        .get(0);
    assert_eq!((sl_version, pg_version), (1, 1));

    // attached files: never changed, never deleted (BLOB literals differ)
    conn.execute_batch("INSERT INTO attachments (sha256, bytes) VALUES ('ab', X'00ff')")
        .unwrap();
    client
        .batch_execute("INSERT INTO attachments (sha256, bytes) VALUES ('ab', '\\x00ff'::bytea)")
        .unwrap();
    let sl_bytes: Vec<u8> = conn
        .query_row("SELECT bytes FROM attachments", [], |r| r.get(0))
        .unwrap();
    let pg_bytes: Vec<u8> = client
        .query_one("SELECT bytes FROM attachments", &[])
        .unwrap()
        .get(0);
    assert_eq!(
        (sl_bytes.as_slice(), pg_bytes.as_slice()),
        (&[0u8, 255][..], &[0u8, 255][..])
    );
    for (sql, words) in [
        (
            "UPDATE attachments SET sha256 = 'cd'",
            "attached files are never changed",
        ),
        (
            "DELETE FROM attachments",
            "attached files are never deleted",
        ),
    ] {
        let sl = conn.execute_batch(sql).expect_err(sql);
        let pg = client.batch_execute(sql).expect_err(sql);
        assert!(sl.to_string().contains(words), "SQLite: {sl}");
        assert_eq!(pg.as_db_error().map(|d| d.message()), Some(words));
    }
}

#[test]
fn migrate_twice_is_a_no_op_and_version_reads_8() {
    let Some(db) = PgDb::fresh() else {
        return;
    };
    let mut client = db.client();
    assert_eq!(pg::version(&mut client).unwrap(), None, "an empty database");
    assert!(pg::is_empty(&mut client).unwrap());
    assert_eq!(pg::migrate(&mut client).unwrap(), 8);
    assert_eq!(pg::version(&mut client).unwrap(), Some(8));
    assert!(!pg::is_empty(&mut client).unwrap());
    let meta = |client: &mut Client| -> Vec<(String, String, String)> {
        client
            .query(
                "SELECT key, value, xmin::text FROM tizilim_meta ORDER BY key",
                &[],
            )
            .unwrap()
            .iter()
            .map(|r| (r.get(0), r.get(1), r.get(2)))
            .collect()
    };
    let relations = |client: &mut Client| -> Vec<(String, String)> {
        client
            .query(
                "SELECT c.relname::text, c.oid::text FROM pg_class c
                   JOIN pg_namespace n ON n.oid = c.relnamespace
                  WHERE n.nspname = current_schema() ORDER BY 1",
                &[],
            )
            .unwrap()
            .iter()
            .map(|r| (r.get(0), r.get(1)))
            .collect()
    };
    let before = (meta(&mut client), relations(&mut client));
    assert_eq!(
        before
            .0
            .iter()
            .map(|m| (m.0.as_str(), m.1.as_str()))
            .collect::<Vec<_>>(),
        [("application_id", "0x545A4C4D"), ("schema_version", "8")]
    );
    assert_eq!(pg::migrate(&mut client).unwrap(), 8);
    assert_eq!((meta(&mut client), relations(&mut client)), before);
    assert_eq!(pg::version(&mut client).unwrap(), Some(8));
}

#[test]
fn migrate_in_the_callers_transaction_or_not_at_all() {
    let Some(db) = PgDb::fresh() else {
        return;
    };
    let mut client = db.client();
    let mut tx = client
        .build_transaction()
        .isolation_level(postgres::IsolationLevel::ReadCommitted)
        .start()
        .unwrap();
    assert_eq!(pg::migrate_in(&mut tx).unwrap(), 8);
    tx.rollback().unwrap();
    assert!(
        pg::is_empty(&mut client).unwrap(),
        "rolled back: nothing left"
    );
    assert_eq!(pg::version(&mut client).unwrap(), None);
    let mut tx = client
        .build_transaction()
        .isolation_level(postgres::IsolationLevel::ReadCommitted)
        .start()
        .unwrap();
    assert_eq!(pg::migrate_in(&mut tx).unwrap(), 8);
    tx.commit().unwrap();
    assert_eq!(pg::version(&mut client).unwrap(), Some(8));
}

#[test]
fn concurrent_migrations_are_safe() {
    let Some(db) = PgDb::fresh() else {
        return;
    };
    const N: usize = 4;
    let barrier = Arc::new(Barrier::new(N));
    let threads: Vec<_> = (0..N)
        .map(|_| {
            let mut client = db.client();
            let barrier = barrier.clone();
            std::thread::spawn(move || {
                barrier.wait();
                pg::migrate(&mut client)
            })
        })
        .collect();
    for t in threads {
        assert_eq!(t.join().unwrap().unwrap(), 8);
    }
    let mut client = db.client();
    assert_eq!(pg::version(&mut client).unwrap(), Some(8));
    let journals: i64 = client
        .query_one(
            "SELECT count(*) FROM pg_tables WHERE schemaname = current_schema() AND tablename = 'journal'",
            &[],
        )
        .unwrap()
        .get(0);
    assert_eq!(journals, 1);
}

#[test]
fn migrate_refuses_a_database_that_is_not_a_register() {
    let db = fresh_or_skip!();
    let mut client = db.client();
    client
        .batch_execute("CREATE TABLE payroll (id BIGINT PRIMARY KEY)")
        .unwrap();
    assert!(!pg::is_empty(&mut client).unwrap());
    assert_eq!(pg::version(&mut client).unwrap(), None);
    let err = pg::migrate(&mut client).expect_err("a foreign schema");
    let db_err = err.as_db_error().unwrap();
    assert_eq!(db_err.code().code(), "55000");
    assert!(
        db_err.message().contains("not empty"),
        "{}",
        db_err.message()
    );
    // nothing was left behind
    assert_eq!(pg::version(&mut client).unwrap(), None);
    let journal: Option<String> = client
        .query_one("SELECT to_regclass('journal')::text", &[])
        .unwrap()
        .get(0);
    assert_eq!(journal, None);

    // a tizilim_meta of another application is not a register either
    let db2 = fresh_or_skip!();
    let mut client = db2.client();
    client
        .batch_execute(
            "CREATE TABLE tizilim_meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
             INSERT INTO tizilim_meta VALUES ('application_id', '0x00000000');",
        )
        .unwrap();
    assert_eq!(pg::version(&mut client).unwrap(), None);
    let err = pg::migrate(&mut client).expect_err("another application");
    assert_eq!(err.code().map(|c| c.code()), Some("55000"));
}

#[test]
fn a_newer_register_is_left_untouched() {
    let Some((_db, mut client)) = migrated() else {
        return;
    };
    client
        .batch_execute("UPDATE tizilim_meta SET value = '99' WHERE key = 'schema_version'")
        .unwrap();
    assert_eq!(pg::migrate(&mut client).unwrap(), 99);
    assert_eq!(pg::version(&mut client).unwrap(), Some(99));
}

#[test]
fn identities_restart_after_copied_rows_as_sqlite_assigns() {
    let Some((_db, mut client)) = migrated() else {
        return;
    };
    let (_dir, store) = sqlite();
    let miner = |id: &str, bin: &str| {
        format!(
            "INSERT INTO miners ({id}bin_iin, name, phone, email, personal_data_consent)
             VALUES ({}'{bin}', 'M', '+7', 'm@example.kz', 1)",
            if id.is_empty() { "" } else { "41, " }
        )
    };
    // rows copied with their ids …
    store
        .conn()
        .execute_batch(&miner("id, ", "000000000001"))
        .unwrap();
    client
        .batch_execute(&miner("id, ", "000000000001"))
        .unwrap();
    let mut tx = client.transaction().unwrap();
    pg::reset_identities(&mut tx).unwrap();
    tx.commit().unwrap();
    // … then a service inserts one without
    store
        .conn()
        .execute_batch(&miner("", "000000000002"))
        .unwrap();
    client.batch_execute(&miner("", "000000000002")).unwrap();
    let sl: i64 = store
        .conn()
        .query_row("SELECT max(id) FROM miners", [], |r| r.get(0))
        .unwrap();
    let pg_id: i64 = client
        .query_one("SELECT max(id) FROM miners", &[])
        .unwrap()
        .get(0);
    assert_eq!((sl, pg_id), (42, 42));
    // an empty table starts at 1
    client
        .batch_execute(
            "INSERT INTO journal (at, actor, kind, payload, prev_hash, hash)
             VALUES ('t', 'root', 'test', '{}', 'p', 'h')",
        )
        .unwrap();
    let seq: i64 = client
        .query_one("SELECT seq FROM journal", &[])
        .unwrap()
        .get(0);
    assert_eq!(seq, 1);
}

#[test]
fn tables_come_parents_first() {
    let Some((_db, mut client)) = migrated() else {
        return;
    };
    let order: BTreeMap<&str, usize> = pg::tables()
        .iter()
        .enumerate()
        .map(|(i, t)| (*t, i))
        .collect();
    let fks: Vec<(String, String)> = client
        .query(
            "SELECT conrelid::regclass::text, confrelid::regclass::text FROM pg_constraint
              WHERE contype = 'f' AND connamespace = current_schema()::regnamespace",
            &[],
        )
        .unwrap()
        .iter()
        .map(|r| (r.get(0), r.get(1)))
        .collect();
    assert!(fks.len() >= 10, "{fks:?}");
    for (child, parent) in fks {
        assert!(
            order[parent.as_str()] < order[child.as_str()],
            "{parent} must come before {child} in pg::tables()"
        );
    }
}

#[test]
fn urls_name_the_test_database() {
    use common::pg::with_dbname;
    assert_eq!(
        with_dbname("postgresql://postgres@127.0.0.1:5432/postgres", "t1"),
        "postgresql://postgres@127.0.0.1:5432/t1"
    );
    assert_eq!(
        with_dbname(
            "postgres://u:p@h1:5432,h2:5433?target_session_attrs=read-write",
            "t1"
        ),
        "postgres://u:p@h1:5432,h2:5433/t1?target_session_attrs=read-write"
    );
    assert_eq!(
        with_dbname("postgresql://h/db?dbname=x&sslmode=disable", "t1"),
        "postgresql://h/t1?sslmode=disable"
    );
    assert_eq!(
        with_dbname("host=127.0.0.1 user=postgres", "t1"),
        "host=127.0.0.1 user=postgres dbname=t1"
    );
}
