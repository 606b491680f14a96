//! A register copied whole between engines (`tizilim migrate --to`, issue
//! 22): every table row by row, in one transaction on the target, read from
//! one snapshot of the source; then the target's journal is verified end to
//! end and its head must be the source's. A copy that fails leaves nothing
//! behind: the target transaction is rolled back (a new file is never linked
//! into place, see `Store::create_with`).

use std::path::{Path, PathBuf};

use super::journal::{GENESIS, row_hash};
use super::services::{check_role, may};
use super::sql::locator::PgUrl;
use super::sql::{Lite, Pg, Sql, Value, ident, idents};
use super::{Error, Result, Store, pg};
use crate::rules::Role;

/// Who may copy a register whole: its admins.
const MIGRATE: &[Role] = may::ADD_USERS;
const MIGRATE_DEED: &str = "copy the register to another engine";

/// What a copy carried.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Copied {
    pub tables: usize,
    pub rows: u64,
    /// The journal's rows and its head's hash, the same on both sides.
    pub journal_rows: i64,
    pub head: String,
}

/// One table of the register's schema: its name and primary key columns.
#[derive(Debug, Clone)]
pub struct Table {
    pub name: String,
    pub key: Vec<String>,
}

/// The register's tables (from an SQLite register's own schema: both
/// engines hold the same), parents before the tables that refer to them.
pub fn tables(conn: &rusqlite::Connection) -> Result<Vec<Table>> {
    let names: Vec<String> = conn
        .prepare(
            "SELECT name FROM sqlite_schema
             WHERE type = 'table' AND name NOT LIKE 'sqlite\\_%' ESCAPE '\\'
             ORDER BY name",
        )?
        .query_map([], |r| r.get(0))?
        .collect::<rusqlite::Result<_>>()?;
    let mut info = Vec::new();
    for name in &names {
        let parents: Vec<String> = conn
            .prepare("SELECT DISTINCT \"table\" FROM pragma_foreign_key_list(?1)")?
            .query_map([name], |r| r.get(0))?
            .collect::<rusqlite::Result<_>>()?;
        let mut key: Vec<(i64, String)> = conn
            .prepare("SELECT pk, name FROM pragma_table_info(?1) WHERE pk > 0")?
            .query_map([name], |r| Ok((r.get(0)?, r.get(1)?)))?
            .collect::<rusqlite::Result<_>>()?;
        key.sort();
        info.push((
            Table {
                name: name.clone(),
                key: key.into_iter().map(|(_, c)| c).collect(),
            },
            parents,
        ));
    }
    // Parents first (a table that refers to itself is its own parent: skip).
    let mut ordered: Vec<Table> = Vec::new();
    while !info.is_empty() {
        let ready = info.iter().position(|(t, parents)| {
            parents
                .iter()
                .all(|p| *p == t.name || ordered.iter().any(|o| o.name == *p))
        });
        match ready {
            Some(i) => ordered.push(info.remove(i).0),
            None => {
                return Err(Error::Corrupt(format!(
                    "the tables {} refer to each other in a cycle",
                    info.iter()
                        .map(|(t, _)| t.name.as_str())
                        .collect::<Vec<_>>()
                        .join(", ")
                )));
            }
        }
    }
    Ok(ordered)
}

/// Whether a copy verifies its journal itself (a migration: a copy that
/// breaks the chain is not kept), or leaves that to `audit verify`, which
/// names what it finds.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Check {
    Chain,
    LeftToAudit,
}

/// Copies every table of `tables` from `src` into `dst` (whose tables exist
/// and are empty), then verifies the journal on `dst` (see [`Check`]).
pub fn copy(src: &dyn Sql, dst: &mut dyn Sql, tables: &[Table], check: Check) -> Result<Copied> {
    let mut rows = 0u64;
    for t in tables {
        let cols = src.columns(&t.name)?;
        let mut theirs = dst.columns(&t.name)?;
        let mut ours = cols.clone();
        ours.sort();
        theirs.sort();
        if cols.is_empty() || ours != theirs {
            return Err(Error::Corrupt(format!(
                "the table {} differs between the two registers' schemas (columns: {} / {})",
                t.name,
                ours.join(", "),
                theirs.join(", ")
            )));
        }
        let order = if t.key.is_empty() {
            String::new()
        } else {
            format!(" ORDER BY {}", idents(&t.key))
        };
        let select = format!("SELECT {} FROM {}{order}", idents(&cols), ident(&t.name));
        let mut ins = dst.inserter(&t.name, &cols)?;
        let read = src.for_each(&select, &[], &mut |row| ins.row(&row.values()?))?;
        let written = ins.finish()?;
        if read != written {
            return Err(Error::Corrupt(format!(
                "{}: {read} rows read, {written} written",
                t.name
            )));
        }
        rows += written;
    }
    let (src_rows, src_head) = head_of(src)?;
    if check == Check::LeftToAudit {
        return Ok(Copied {
            tables: tables.len(),
            rows,
            journal_rows: src_rows,
            head: src_head,
        });
    }
    let (journal_rows, head) = chain(dst)?;
    if (journal_rows, &head) != (src_rows, &src_head) {
        return Err(Error::Corrupt(format!(
            "the copy's journal ends at row {journal_rows} ({}…), the register's at row {src_rows} ({}…)",
            head.get(..12).unwrap_or(&head),
            src_head.get(..12).unwrap_or(&src_head)
        )));
    }
    Ok(Copied {
        tables: tables.len(),
        rows,
        journal_rows,
        head,
    })
}

/// The journal's last row and hash, as stored.
pub fn head_of(db: &dyn Sql) -> Result<(i64, String)> {
    let last = db.first(
        "SELECT seq, hash FROM journal ORDER BY seq DESC LIMIT 1",
        &[],
    )?;
    Ok(match last.as_deref() {
        Some([Value::Int(seq), Value::Text(hash)]) => (*seq, hash.clone()),
        Some(other) => {
            return Err(Error::Corrupt(format!(
                "the journal's last row reads {other:?}"
            )));
        }
        None => (0, GENESIS.to_string()),
    })
}

/// Recomputes the journal's hash chain from its first row: its rows and its
/// head's hash, or what breaks it.
pub fn chain(db: &dyn Sql) -> Result<(i64, String)> {
    let mut prev = GENESIS.to_string();
    let mut expected = 1i64;
    let mut broken: Option<String> = None;
    db.for_each(
        "SELECT seq, at, actor, kind, subject, payload, prev_hash, hash FROM journal ORDER BY seq",
        &[],
        &mut |r| {
            if broken.is_some() {
                return Ok(());
            }
            let seq: i64 = r.get(0)?;
            let (at, actor, kind): (String, String, String) = (r.get(1)?, r.get(2)?, r.get(3)?);
            let subject: Option<String> = r.get(4)?;
            let (payload, prev_hash, hash): (String, String, String) =
                (r.get(5)?, r.get(6)?, r.get(7)?);
            if seq != expected {
                broken = Some(format!("row {seq}: expected row {expected}"));
            } else if prev_hash != prev {
                broken = Some(format!(
                    "row {seq}: prev_hash is not the previous row's hash"
                ));
            } else {
                let want = row_hash(&prev, seq, &at, &actor, &kind, subject.as_deref(), &payload);
                if want != hash {
                    broken = Some(format!("row {seq}: content does not match its hash"));
                }
                prev = want;
            }
            expected += 1;
            Ok(())
        },
    )?;
    match broken {
        Some(why) => Err(Error::Corrupt(format!("the copy's journal: {why}"))),
        None => Ok((expected - 1, prev)),
    }
}

/// Copies `src` (an open register, read in one snapshot) into a new
/// register file at `dest`, with its witness.
pub fn file_to_file(src: &Store, dest: &Path) -> Result<Copied> {
    let mut copied = None;
    Store::create_with(dest, |tx| {
        let tables = tables(tx)?;
        let snapshot = src.conn().unchecked_transaction()?;
        let c = copy(&*snapshot, &mut Lite(tx), &tables, Check::Chain)?;
        copied = Some(c);
        Ok(())
    })?;
    copied.ok_or_else(|| Error::Corrupt("the copy did not run".into()))
}

/// The role `login` holds in a register on either engine.
pub fn role_in(db: &dyn Sql, login: &str) -> Result<Option<Role>> {
    let row = db.first(
        "SELECT role FROM users WHERE login = ?1",
        crate::args![login],
    )?;
    Ok(row
        .as_deref()
        .and_then(|r| r.first())
        .and_then(Value::as_str)
        .and_then(Role::parse))
}

/// A URL as the path-shaped name the store's errors carry.
fn named(url: &PgUrl) -> PathBuf {
    PathBuf::from(url.to_string())
}

/// Refuses a database that already holds tables (a register or anything
/// else): a copy goes only into an empty one.
fn refuse_unless_empty(client: &mut postgres::Client, url: &PgUrl) -> Result<()> {
    if pg::is_empty(client)? {
        return Ok(());
    }
    Err(match pg::version(client)? {
        Some(_) => Error::Exists(named(url)),
        None => {
            Error::ExistsNotRegister(named(url), "a PostgreSQL database that is not empty".into())
        }
    })
}

/// Refuses a database that is no register, or one of a newer schema; an
/// older one is brought up to this build's schema, as a file is, once the
/// login is known to hold a role in it (never for a stranger).
pub(super) fn check_register(
    client: &mut postgres::Client,
    url: &PgUrl,
    login: &str,
) -> Result<()> {
    match pg::version(client)? {
        None if pg::is_empty(client)? => Err(Error::NoRegister(named(url))),
        None => Err(Error::NotRegister(
            named(url),
            "a PostgreSQL database of something else".into(),
        )),
        Some(v) if v > super::schema::LATEST => Err(Error::Newer {
            path: named(url),
            found: v as i64,
            known: super::schema::LATEST,
        }),
        Some(v) if v < super::schema::LATEST => {
            let reader = Pg::new(client.transaction()?);
            let role = role_in(&reader, login)?;
            reader.into_inner().commit()?;
            check_role(
                login,
                role,
                may::UPGRADE,
                "upgrade the register to this tizilim's schema",
            )?;
            pg::migrate(client)?;
            Ok(())
        }
        Some(_) => Ok(()),
    }
}

/// Copies `src` into the empty PostgreSQL database at `url`: the schema and
/// every row in one transaction, the identities set past the copied ids.
pub fn file_to_postgres(src: &Store, url: &PgUrl) -> Result<Copied> {
    let mut client = url.connect()?;
    refuse_unless_empty(&mut client, url)?;
    let mut tx = Pg::new(client.transaction()?);
    pg::migrate_in(tx.get_mut())?;
    let tables = tables(src.conn())?;
    let snapshot = src.conn().unchecked_transaction()?;
    let copied = copy(&*snapshot, &mut tx, &tables, Check::Chain)?;
    pg::reset_identities(tx.get_mut())?;
    tx.into_inner().commit()?;
    Ok(copied)
}

/// The PostgreSQL register at `url` read in one snapshot, for `login`
/// holding one of `allowed`.
pub fn snapshot<'c>(
    client: &'c mut postgres::Client,
    url: &PgUrl,
    login: &str,
    allowed: &[Role],
    action: &'static str,
) -> Result<Pg<postgres::Transaction<'c>>> {
    check_register(client, url, login)?;
    let snap = Pg::new(
        client
            .build_transaction()
            .isolation_level(postgres::IsolationLevel::RepeatableRead)
            .read_only(true)
            .start()?,
    );
    check_role(login, role_in(&snap, login)?, allowed, action)?;
    Ok(snap)
}

/// Copies the PostgreSQL register at `url` into a new register file at
/// `dest` (an admin's act).
pub fn postgres_to_file(url: &PgUrl, dest: &Path, login: &str) -> Result<Copied> {
    let mut client = url.connect()?;
    let snap = snapshot(&mut client, url, login, MIGRATE, MIGRATE_DEED)?;
    let mut copied = None;
    Store::create_with(dest, |tx| {
        let tables = tables(tx)?;
        copied = Some(copy(&snap, &mut Lite(tx), &tables, Check::Chain)?);
        Ok(())
    })?;
    snap.into_inner().commit()?;
    copied.ok_or_else(|| Error::Corrupt("the copy did not run".into()))
}

/// Copies one PostgreSQL register into another, empty database.
pub fn postgres_to_postgres(url: &PgUrl, dest: &PgUrl, login: &str) -> Result<Copied> {
    let mut client = url.connect()?;
    let snap = snapshot(&mut client, url, login, MIGRATE, MIGRATE_DEED)?;
    let mut target = dest.connect()?;
    refuse_unless_empty(&mut target, dest)?;
    let mut tx = Pg::new(target.transaction()?);
    pg::migrate_in(tx.get_mut())?;
    let shape = Store::in_memory()?;
    let copied = copy(&snap, &mut tx, &tables(shape.conn())?, Check::Chain)?;
    pg::reset_identities(tx.get_mut())?;
    tx.into_inner().commit()?;
    snap.into_inner().commit()?;
    Ok(copied)
}

/// The page cache of `audit verify`'s private copy while it is filled
/// (KiB): 16 MiB.
const SNAPSHOT_CACHE_KIB: i64 = 16 * 1024;

/// A private copy of the PostgreSQL register at `url` (one snapshot), as a
/// register file in a folder only this process's user can read, removed
/// when the returned folder is dropped: what `audit verify` checks.
pub fn postgres_snapshot(url: &PgUrl, login: &str) -> Result<(tempfile::TempDir, Store, Copied)> {
    let dir = tempfile::Builder::new()
        .prefix("tizilim-audit-")
        .tempdir()
        .map_err(|e| {
            Error::invalid(
                "TMPDIR",
                super::reason::Problem::CannotCreate {
                    path: std::env::temp_dir().display().to_string(),
                    detail: e.to_string(),
                },
            )
        })?;
    let path = dir.path().join("register.sqlite");
    // The copy's own witness stays beside it, in the folder: never
    // TIZILIM_WITNESS, which may be this register's (below).
    super::witness::private_copy(&path);
    // What `audit verify` compares the journal with: the last head this
    // application server's witness of the register saw, read before the
    // snapshot starts (a line is written after its commit, so every head
    // read here is in the snapshot; one read after could be a later act's).
    let seen = super::witness::seen_for_url(url);
    let mut client = url.connect()?;
    let snap = snapshot(&mut client, url, login, may::READ, "read the register")?;
    drop(Store::create_with(&path, |_| Ok(()))?);
    // A private file that lives for one check and is thrown away: no
    // journal, no syncs and a larger cache, so each page is written once
    // (in WAL, a transaction this size spills into the log and is copied
    // again at the checkpoint: three times the file's size in writes).
    let mut conn = rusqlite::Connection::open(&path)?;
    conn.pragma_update(None, "journal_mode", "OFF")?;
    conn.pragma_update(None, "synchronous", "OFF")?;
    conn.pragma_update(None, "cache_size", -SNAPSHOT_CACHE_KIB)?;
    let tx = conn.transaction()?;
    let tables = tables(&tx)?;
    let copied = copy(&snap, &mut Lite(&tx), &tables, Check::LeftToAudit)?;
    tx.commit()?;
    drop(conn);
    snap.into_inner().commit()?;
    let mut store = Store::open_read(&path)?;
    store.witness = seen;
    Ok((dir, store, copied))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parents_come_before_the_tables_that_refer_to_them() {
        let s = Store::in_memory().unwrap();
        let t = tables(s.conn()).unwrap();
        let at = |n: &str| t.iter().position(|x| x.name == n).unwrap();
        assert!(at("miners") < at("cases"));
        assert!(at("cases") < at("units"));
        assert!(t.iter().any(|x| x.name == "journal"));
        assert!(!t.iter().any(|x| x.name.starts_with("sqlite_")));
        assert_eq!(t[at("cases")].key, ["id"]);
    }
}
