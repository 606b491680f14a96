//! `audit verify`: recompute the journal's hash chain, then rebuild every read
//! model from the journal alone and compare it with the database, row by row.
//!
//! The replay compares each case's rows with the database's as soon as no
//! later journal row can change them, and drops them: memory holds the
//! cases in progress, not the register (issue 18). Knowing when that is
//! needs a plan of the whole journal first.
//!
//! The quick way (issue 18): the plan from the journal's `seq`, `kind` and
//! `subject` columns (the payloads left unread but the decisions'), then the
//! journal read whole once. The register has one connection (`privilege`):
//! its thread reads the journal and compares the database's side of each
//! comparison; a second checks the chain and parses the payloads (by kind,
//! `events::parse_replayed`); a third replays them into a scratch it owns,
//! the units into memory (`unit_rows::Replayed`: a million rows the scratch
//! table would insert, update, read back and delete). Only batches and
//! encoded rows cross between them. Anything amiss — a broken link, a payload that does not
//! parse or replay, rows that differ — and the audit goes the long way it
//! always went: the chain and the plan from every payload first, then the
//! replay comparing row by row, which names the first thing wrong.
//!
//! SQLite's own check of the file comes first: `quick_check` or the full
//! `integrity_check` ([`FileCheck`]).

use std::cmp::Reverse;
use std::collections::{BTreeMap, BinaryHeap, HashMap};

use rusqlite::fallible_streaming_iterator::FallibleStreamingIterator;
use rusqlite::types::{Value, ValueRef};
use rusqlite::{Connection, Transaction, TransactionBehavior};

use super::events::{Event, apply_replayed};
use super::journal::{GENESIS, row_hash};
use super::schema::READ_MODELS;
use super::unit_rows::{self, Replayed};
use super::{Result, Store};

#[derive(Debug)]
pub enum Finding {
    /// The chain breaks at this row.
    Chain { seq: i64, why: String },
    /// A read model differs from what the journal says.
    ReadModel {
        table: &'static str,
        key: String,
        why: String,
    },
    /// SQLite's integrity check failed: pages or indexes are damaged.
    Damaged(String),
    /// The journal is behind (or other than) the head its witness saw.
    Witness(WitnessFinding),
    /// A row that names an earlier journal row names one that is not there,
    /// or not as it says.
    Reference {
        table: &'static str,
        key: String,
        why: String,
    },
}

impl std::fmt::Display for Finding {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Finding::Chain { seq, why } => write!(f, "journal row {seq}: {why}"),
            Finding::ReadModel { table, key, why } => {
                write!(f, "table {table}, row {key}: {why}")
            }
            Finding::Damaged(why) => write!(
                f,
                "the register's file is damaged (SQLite's integrity check: {why}); restore it from a backup"
            ),
            Finding::Witness(why) => write!(f, "{why}"),
            Finding::Reference { table, key, why } => {
                write!(f, "table {table}, row {key}: {why}")
            }
        }
    }
}

#[derive(Debug)]
pub struct Report {
    pub rows: i64,
    pub finding: Option<Finding>,
}

/// How far SQLite's own check of the file goes (the first of the audit's
/// checks).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FileCheck {
    /// `PRAGMA quick_check`: every page of every table and index is read and
    /// each b-tree checked (page links, cell bounds, key order, free list),
    /// and every row against its column types and NOT NULL. It does not
    /// check that each index holds exactly its table's rows, nor that a
    /// UNIQUE index holds no duplicate: 1 s of the 4 s of the full check over
    /// 100,000 cases. An index that disagrees with its table where the audit
    /// reads through it still shows as a row that differs.
    Quick,
    /// `PRAGMA integrity_check`: all of the above, and every index entry
    /// against its table's row, and every UNIQUE index for duplicates.
    Full,
}

/// [`verify_with`] the full integrity check (`backup verify`, tests).
pub fn verify(store: &Store) -> Result<Report> {
    verify_with(store, FileCheck::Full)
}

/// `PRAGMA quick_check`: `None` when the file is sound (see [`FileCheck`]).
fn quick_check(store: &Store) -> Result<Option<String>> {
    file_check(store.conn(), store.path(), FileCheck::Quick)
}

/// SQLite's own check of the file on `conn`: `None` when it is sound.
fn file_check(
    conn: &Connection,
    path: &std::path::Path,
    check: FileCheck,
) -> Result<Option<String>> {
    let sql = match check {
        FileCheck::Quick => "PRAGMA quick_check(20)",
        FileCheck::Full => "PRAGMA integrity_check(20)",
    };
    let mut st = conn.prepare(sql)?;
    let lines: Vec<String> = st
        .query_map([], |r| r.get::<_, String>(0))?
        .collect::<rusqlite::Result<_>>()
        .map_err(|e| super::read_only_or(e.into(), path))?;
    Ok(match lines.as_slice() {
        [ok] if ok == "ok" => None,
        _ => Some(lines.join("; ")),
    })
}

/// A second, read-only connection to the register's file for SQLite's
/// check (and a third for the plan) to run on beside the replay (issue 18,
/// verify18: the check is a pass over every page, ≈ 1.5 s CPU of the
/// 100,000-case register, that no longer waits in front of the rest).
/// `None` where there is none to be had — a register in memory, a set-ID
/// program (`privilege`: one register connection per process, and opening
/// another would give up the account), a file that does not open — and the
/// work runs on the register's own connection, as it always did.
fn beside(store: &Store) -> Option<Connection> {
    let path = store.path();
    if crate::privilege::is_set_id() || path.as_os_str() == ":memory:" || !path.is_file() {
        return None;
    }
    let conn = Connection::open_with_flags(
        path,
        rusqlite::OpenFlags::SQLITE_OPEN_READ_ONLY | rusqlite::OpenFlags::SQLITE_OPEN_NO_MUTEX,
    )
    .ok()?;
    conn.busy_timeout(super::BUSY_TIMEOUT).ok()?;
    // Sorts stay in memory, as on the register's own (`privilege`).
    conn.pragma_update(None, "temp_store", "MEMORY").ok()?;
    // Read once: a file this connection cannot read (a WAL register in a
    // folder it may not write its shared-memory file to) is left to the
    // register's own.
    conn.query_row("SELECT count(*) FROM sqlite_master", [], |r| {
        r.get::<_, i64>(0)
    })
    .ok()?;
    Some(conn)
}

/// Checks, in order: SQLite's check of the file (`check`); the hash chain
/// and the read models (replayed from the journal); every row that names an
/// earlier journal row; and the journal against the last head its witness
/// saw. The first finding, if any, is in the report. SQLite's check runs
/// beside the rest on a second connection where there is one ([`beside`]);
/// its finding still comes first, whatever the rest found or failed on.
pub fn verify_with(store: &Store, check: FileCheck) -> Result<Report> {
    let damaged = |why: String| Report {
        rows: 0,
        finding: Some(Finding::Damaged(why)),
    };
    if let Some(second) = beside(store) {
        let (checked, rest) = std::thread::scope(|s| {
            let path = store.path().to_path_buf();
            let checker = s.spawn(move || file_check(&second, &path, check));
            let rest = verify_rest(store);
            let checked = checker
                .join()
                .unwrap_or_else(|p| std::panic::resume_unwind(p));
            (checked, rest)
        });
        match checked {
            Ok(Some(why)) => return Ok(damaged(why)),
            Ok(None) => return rest,
            // The second connection could not check: the register's own
            // does, first, as without one.
            Err(_) => {}
        }
    }
    let found = match check {
        FileCheck::Quick => quick_check(store)?,
        FileCheck::Full => store.integrity()?,
    };
    if let Some(why) = found {
        return Ok(damaged(why));
    }
    verify_rest(store)
}

/// Every check but SQLite's own, in one read transaction.
fn verify_rest(store: &Store) -> Result<Report> {
    let conn = store.conn();
    // A read transaction: one consistent snapshot for every check.
    conn.execute_batch("BEGIN")?;
    let out = verify_snapshot(conn, beside(store)).and_then(|report| match report.finding {
        Some(_) => Ok(report),
        None => Ok(Report {
            finding: match cross_references(conn)? {
                Some(f) => Some(f),
                None => against_witness(conn, store)?,
            },
            ..report
        }),
    });
    // Whatever the checks returned, the read transaction ends.
    let end = conn.execute_batch("COMMIT");
    let out = out?;
    end?;
    Ok(out)
}

/// Each row that records an earlier journal row: a seal's head (row and
/// hash), a notice's, a key's and a case's journal row (of the right kind).
fn cross_references(conn: &Connection) -> Result<Option<Finding>> {
    let mut st = conn.prepare(
        "SELECT s.seq, s.head_seq, s.head_hash, j.hash FROM seals s
         LEFT JOIN journal j ON j.seq = s.head_seq ORDER BY s.seq",
    )?;
    let mut rows = st.query([])?;
    while let Some(r) = rows.next()? {
        let (seq, head_seq, head_hash, hash): (i64, i64, String, Option<String>) =
            (r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?);
        let why = match hash {
            None => format!("seals journal row {head_seq}, which the register does not hold"),
            Some(h) if h != head_hash => format!(
                "seals journal row {head_seq} with hash {}…, but that row's hash is now {}…: the history was rewritten",
                head_hash.get(..12).unwrap_or(&head_hash),
                h.get(..12).unwrap_or(&h)
            ),
            Some(_) if head_seq >= seq => {
                format!("seals journal row {head_seq}, which is not before the seal itself")
            }
            Some(_) => continue,
        };
        return Ok(Some(Finding::Reference {
            table: "seals",
            key: seq.to_string(),
            why,
        }));
    }
    // The other rows that name a journal row — a case's `registered_seq`,
    // a notice's `seq`, a key's `from_seq` and `revoked_seq`, a desk
    // refusal's `seq`, a document's `attached_seq` — are read-model rows
    // that `apply` writes with the seq of the very event it applies. Every
    // one of them has just been compared, column by column, with the
    // journal's replay: each names its own event's row. (Checked here by a
    // join with the journal until issue 18: 200,000 lookups, half a second
    // at the end of the 100,000-case audit, that could never find what the
    // comparison had not.)
    attached_files(conn)
}

/// Each attached document's file (issue 21): held in the register, its
/// bytes hashing to the SHA-256 the journal recorded.
fn attached_files(conn: &Connection) -> Result<Option<Finding>> {
    use sha2::{Digest, Sha256};
    let mut st = conn.prepare(
        "SELECT d.sha256, a.bytes FROM documents d LEFT JOIN attachments a ON a.sha256 = d.sha256
         WHERE d.sha256 IS NOT NULL ORDER BY d.case_id, d.idx",
    )?;
    let mut rows = st.query([])?;
    while let Some(r) = rows.next()? {
        let sha: String = r.get(0)?;
        let why = match r.get::<_, Option<Vec<u8>>>(1)? {
            None => "the attached file is not in the register".to_string(),
            Some(b) if hex::encode(Sha256::digest(&b)) != sha => {
                "the attached file's bytes no longer hash to the SHA-256 on the record".into()
            }
            Some(_) => continue,
        };
        return Ok(Some(Finding::Reference {
            table: "attachments",
            key: sha,
            why,
        }));
    }
    Ok(None)
}

/// The journal against its witness: it must still hold the last row the
/// witness saw, with the same hash.
fn against_witness(conn: &Connection, store: &Store) -> Result<Option<Finding>> {
    let Some(seen) = store.witness() else {
        return Ok(None);
    };
    let (head, at_seen): (i64, Option<String>) = conn.query_row(
        "SELECT (SELECT coalesce(max(seq), 0) FROM journal),
                (SELECT hash FROM journal WHERE seq = ?1)",
        [seen.seq],
        |r| Ok((r.get(0)?, r.get(1)?)),
    )?;
    let short = |h: &str| h.get(..12).unwrap_or(h).to_string();
    Ok(match at_seen {
        None => Some(Finding::Witness(WitnessFinding::Behind {
            missing: seen.seq - head,
            seen: seen.seq,
            seen_hash: short(&seen.hash),
            head,
        })),
        Some(h) if h != seen.hash => Some(Finding::Witness(WitnessFinding::Rewritten {
            seq: seen.seq,
            hash: short(&h),
            seen_hash: short(&seen.hash),
        })),
        Some(_) => None,
    })
}

/// The read-model tables whose rows belong to one case, with their key and
/// the column that names the case (`id` for the cases themselves). Their
/// rows are compared with the database and dropped from the replay as soon
/// as no later journal row can change them, so the replay holds only the
/// cases still in progress (issue 18: bounded memory, flat in the register's
/// size). `units` (by id) and `terms` (by journal row) are streamed too; any
/// other read model is small and compared whole at the end.
const CASE_TABLES: &[(&str, &str, &str)] = &[
    ("cases", "id", "id"),
    ("documents", "case_id, idx", "case_id"),
    ("case_items", "case_id, idx", "case_id"),
    ("intake_keys", "case_id", "case_id"),
    ("decisions", "number", "case_id"),
    ("notices", "number", "case_id"),
];

/// Journal rows replayed between two sweeps of what is finished.
const SWEEP_EVERY: i64 = 4096;

/// What the first pass over the journal learns: the chain is sound, and
/// when each case and each touched unit is changed for the last time.
struct Plan {
    rows: i64,
    /// By case (its id in a replay: registrations are numbered in order):
    /// the last journal row that names it.
    case_last: Vec<i64>,
    /// Units changed by another case's decision (an exclusion, an
    /// amendment): the last journal row that does.
    unit_last: HashMap<i64, i64>,
    /// Units registered: the replay numbers them 1..=units.
    units: i64,
}

/// First pass: the hash chain, each payload a known event of its kind, and
/// the [`Plan`] of the replay. `Err` holds the chain's finding.
fn plan(conn: &Connection) -> Result<std::result::Result<Plan, Report>> {
    let mut st = conn.prepare(
        "SELECT seq, at, actor, kind, subject, payload, prev_hash, hash FROM journal ORDER BY seq",
    )?;
    let mut q = st.query([])?;
    // This thread reads (the register has one connection); the other hashes
    // and parses (issue 18: the two overlap on two cores).
    std::thread::scope(|s| {
        let (tx, rx) = std::sync::mpsc::sync_channel::<Vec<Raw>>(AHEAD);
        let worker = s.spawn(move || plan_rows(rx));
        loop {
            let batch = read_batch(&mut q)?;
            if batch.is_empty() || tx.send(batch).is_err() {
                break; // the end, or the worker found the chain broken
            }
        }
        drop(tx);
        Ok(worker
            .join()
            .unwrap_or_else(|p| std::panic::resume_unwind(p)))
    })
}

/// Journal rows handed from the reading thread to another at a time.
const BATCH: usize = 1024;
/// Batches read ahead of the one being worked on.
const AHEAD: usize = 3;

/// A journal row as read, owned, to hand to another thread (the replay
/// leaves `subject`, `prev_hash` and `hash` empty).
struct Raw {
    seq: i64,
    at: String,
    actor: String,
    kind: String,
    subject: Option<String>,
    payload: String,
    prev_hash: String,
    hash: String,
}

/// Up to [`BATCH`] rows of `SELECT seq, at, actor, kind, subject, payload,
/// prev_hash, hash`; none at the end.
fn read_batch(q: &mut rusqlite::Rows) -> Result<Vec<Raw>> {
    let mut out = Vec::with_capacity(BATCH);
    while out.len() < BATCH {
        let Some(r) = q.next()? else { break };
        out.push(Raw {
            seq: r.get(0)?,
            at: text(r, 1)?.to_owned(),
            actor: text(r, 2)?.to_owned(),
            kind: text(r, 3)?.to_owned(),
            subject: text_or_null(r, 4)?.map(str::to_owned),
            payload: text(r, 5)?.to_owned(),
            prev_hash: text(r, 6)?.to_owned(),
            hash: text(r, 7)?.to_owned(),
        });
    }
    Ok(out)
}

/// The plan from the journal's rows in order (see [`plan`]).
fn plan_rows(rx: std::sync::mpsc::Receiver<Vec<Raw>>) -> std::result::Result<Plan, Report> {
    let mut rows = 0i64;
    let mut prev = GENESIS.to_string();
    let mut ids: HashMap<String, usize> = HashMap::new();
    let mut case_last: Vec<i64> = Vec::new();
    // By case: its first unit's id and how many units it registered.
    let mut case_units: Vec<(i64, i64)> = Vec::new();
    let mut units = 0i64;
    // Register entries by their first number: the unit of the first entry
    // and how many consecutive entries follow it.
    let mut entry_units: BTreeMap<i64, (i64, i64)> = BTreeMap::new();
    let mut unit_last: HashMap<i64, i64> = HashMap::new();
    for (expected_seq, r) in (1i64..).zip(rx.iter().flatten()) {
        let seq = r.seq;
        let (at, actor, kind) = (r.at.as_str(), r.actor.as_str(), r.kind.as_str());
        let subject = r.subject.as_deref();
        let (payload, prev_hash, hash) =
            (r.payload.as_str(), r.prev_hash.as_str(), r.hash.as_str());
        let chain = |why: String| {
            Err(Report {
                rows,
                finding: Some(Finding::Chain { seq, why }),
            })
        };
        if seq != expected_seq {
            return chain(format!("expected row {expected_seq}: rows are missing"));
        }
        if prev_hash != prev {
            return chain("prev_hash does not match the previous row's hash".into());
        }
        let want = row_hash(&prev, seq, at, actor, kind, subject, payload);
        if want != hash {
            return chain(format!(
                "content does not match its hash (stored {}…, computed {}…)",
                hash.get(..12).unwrap_or(hash),
                &want[..12]
            ));
        }
        // Only what the plan needs is read here; the replay reads each
        // payload whole (and checks it is an event of its kind).
        let t: Touches = match serde_json::from_str(payload) {
            Ok(t) => t,
            Err(e) => return chain(format!("payload is not a known event: {e}")),
        };
        let mut touch = |case: &str| {
            if let Some(&i) = ids.get(case) {
                case_last[i] = seq;
            }
        };
        match (kind, &t.number, &t.case) {
            ("case_registered", Some(number), _) => {
                ids.insert(number.clone(), case_last.len());
                case_last.push(seq);
                let n = match &t.application {
                    Some(a) if a.kind == crate::rules::CaseKind::Inclusion => a.units.len() as i64,
                    _ => 0,
                };
                case_units.push((units + 1, n));
                units += n;
            }
            ("decision_issued", _, Some(case)) => {
                touch(case);
                // `Outcome::Included` as the journal spells it.
                if t.outcome.as_deref() == Some("included") {
                    if let Some(&(first, n)) = ids.get(case).map(|&i| &case_units[i])
                        && let Some(&e0) = t.entries.first()
                        && n == t.entries.len() as i64
                    {
                        if t.entries.iter().zip(e0..).all(|(e, want)| *e == want) {
                            entry_units.insert(e0, (first, n));
                        } else {
                            for (k, e) in t.entries.iter().enumerate() {
                                entry_units.insert(*e, (first + k as i64, 1));
                            }
                        }
                    }
                } else {
                    for e in t
                        .entries
                        .iter()
                        .chain(t.changes.iter().map(|c| &c.entry_no))
                    {
                        if let Some((&e0, &(first, n))) = entry_units.range(..=*e).next_back()
                            && *e < e0 + n
                        {
                            unit_last.insert(first + (e - e0), seq);
                        }
                    }
                }
            }
            (_, _, Some(case)) => touch(case),
            _ => {}
        }
        prev = r.hash;
        rows += 1;
    }
    Ok(Plan {
        rows,
        case_last,
        unit_last,
        units,
    })
}

/// The fields of a journal payload the plan reads (any event's case, a
/// registration's number and units, a decision's entries); the rest is
/// skipped unread.
#[derive(serde::Deserialize)]
struct Touches {
    #[serde(default)]
    case: Option<String>,
    #[serde(default)]
    number: Option<String>,
    /// A decision's outcome (a hearing's too: read as text).
    #[serde(default)]
    outcome: Option<String>,
    #[serde(default)]
    entries: Vec<i64>,
    #[serde(default)]
    changes: Vec<EntryNo>,
    #[serde(default)]
    application: Option<Registered>,
}

#[derive(serde::Deserialize)]
struct EntryNo {
    entry_no: i64,
}

#[derive(serde::Deserialize)]
struct Registered {
    kind: crate::rules::CaseKind,
    #[serde(default)]
    units: Vec<serde::de::IgnoredAny>,
}

/// An empty register to replay into, in memory: without the guards against
/// deleting rows (it drops what it has compared), without the indexes only
/// the console reads, and its busiest tables without their UNIQUE
/// constraints ([`LOOKUPS`]); those `ON CONFLICT` needs stay.
fn scratch() -> Result<Store> {
    let store = Store::in_memory()?;
    let c = store.conn();
    c.pragma_update(None, "foreign_keys", false)?;
    c.pragma_update(None, "journal_mode", "OFF")?;
    let drop: Vec<String> = c
        .prepare(
            "SELECT name FROM sqlite_master WHERE type = 'index' AND sql IS NOT NULL
               AND sql NOT LIKE 'CREATE UNIQUE%' AND name NOT IN ('decisions_case', 'notices_case')",
        )?
        .query_map([], |r| r.get(0))?
        .collect::<rusqlite::Result<_>>()?;
    for name in drop {
        c.execute_batch(&format!("DROP INDEX \"{name}\""))?;
    }
    c.execute_batch("DROP TRIGGER cases_never_deleted; DROP TRIGGER units_never_deleted;")?;
    // The busiest tables without their UNIQUE constraints (an index each to
    // keep up on every insert, update and delete): the replay's rows are
    // compared with the database's, whose own indexes hold them unique, so
    // a duplicate the replay made would show as a row that differs. What
    // `apply` looks rows up by is indexed again, plainly.
    for (table, lookups) in LOOKUPS {
        let sql: String = c.query_row(
            "SELECT sql FROM sqlite_master WHERE type = 'table' AND name = ?1",
            [table],
            |r| r.get(0),
        )?;
        c.execute_batch(&format!("DROP TABLE {table}; {};", without_unique(&sql)))?;
        for (i, cols) in lookups.iter().enumerate() {
            c.execute_batch(&format!(
                "CREATE INDEX audit_{table}_{i} ON {table} ({cols})"
            ))?;
        }
    }
    Ok(store)
}

/// The scratch tables rebuilt without UNIQUE constraints, and the columns
/// `apply` and the sweep find their rows by. The replay keeps its units in
/// memory; the scratch's `units` only holds those the long way compares,
/// for a moment ([`Direct`]), and needs no index.
const LOOKUPS: &[(&str, &[&str])] = &[("units", &[]), ("cases", &["number"])];

/// A `CREATE TABLE` statement without its UNIQUE column and table
/// constraints (the column order, types and NOT NULLs kept).
fn without_unique(sql: &str) -> String {
    let mut out = String::with_capacity(sql.len());
    let mut rest = sql;
    while let Some(i) = rest.find("UNIQUE") {
        let (head, tail) = rest.split_at(i);
        let after = &tail["UNIQUE".len()..];
        match after.trim_start().strip_prefix('(') {
            // A table constraint: `, UNIQUE (a, b)` goes with its comma.
            Some(cols) => {
                let head = head.trim_end();
                out.push_str(head.strip_suffix(',').unwrap_or(head));
                rest = cols.split_once(')').map_or("", |(_, r)| r);
            }
            // A column constraint: the word alone.
            None => {
                out.push_str(head.trim_end());
                rest = after;
            }
        }
    }
    out.push_str(rest);
    out
}

/// The replay of the journal into [`scratch`], comparing and dropping every
/// row no later journal row can change.
///
/// First the quick way (issue 18): a pass over the journal's columns but
/// its payloads ([`plan_quick`]), then one pass over whole rows in which
/// the chain is checked and the payloads parsed on one thread, replayed on
/// another, and the two sides of each comparison encoded each on its own
/// ([`replay_fast`]). If anything there is amiss — a broken link, a
/// payload that does not parse or replay, a subject that is not its
/// payload's case, rows that differ — the audit starts again the
/// way it always went: the chain and the [`Plan`] first, then the replay
/// comparing row by row ([`replay_direct`]), which names the first thing
/// wrong.
fn verify_snapshot(conn: &Connection, planner: Option<Connection>) -> Result<Report> {
    let differs = match replay_fast(conn, planner)? {
        Fast::Same(done) => {
            let (rebuilt, sweep, rows) = *done;
            return Ok(Report {
                rows,
                finding: the_rest(conn, rebuilt.conn(), &sweep)?,
            });
        }
        Fast::Differs(table) => table,
    };
    let plan = match plan(conn)? {
        Ok(p) => p,
        Err(report) => return Ok(report),
    };
    let rows = plan.rows;
    let (rebuilt, sweep, replayed) = replay_direct(conn, &plan)?;
    let finding = match replayed {
        Some(f) => Some(f),
        None => the_rest(conn, rebuilt.conn(), &sweep)?,
    };
    Ok(Report {
        rows,
        finding: finding.or_else(|| {
            // The encodings differed where the rows, compared one by one, do
            // not (a value SQLite compares equal but stores otherwise):
            // said, not passed over.
            differs.map(|table| Finding::ReadModel {
                table,
                key: "?".into(),
                why: "its rows are stored otherwise in the database than made from the journal"
                    .into(),
            })
        }),
    })
}

/// After the replay: rows of the streamed tables the journal never made,
/// and the small read models compared whole.
fn the_rest(conn: &Connection, scratch: &Connection, sweep: &Sweep) -> Result<Option<Finding>> {
    if let Some(f) = sweep.strays(conn)? {
        return Ok(Some(f));
    }
    let streamed = |t: &str| t == "units" || t == "terms" || CASE_TABLES.iter().any(|c| c.0 == t);
    for (table, key) in READ_MODELS.iter().filter(|(t, _)| !streamed(t)) {
        let whole = Rows {
            table,
            key,
            filter: "1".into(),
            params: Vec::new(),
            skip: Vec::new(),
        };
        if let Some(finding) = compare_rows(conn, scratch, &whole)? {
            return Ok(Some(finding));
        }
    }
    Ok(None)
}

/// What [`plan_quick`] learns without reading a payload but the decisions'.
struct QuickPlan {
    rows: i64,
    /// By case, in order of registration: the last journal row whose
    /// `subject` is its number.
    case_last: Vec<i64>,
    /// Register entries an exclusion or an amendment changes, and the last
    /// journal row that does.
    entry_last: HashMap<i64, i64>,
}

/// The plan of the quick replay from the journal's `seq`, `kind` and
/// `subject` columns (SQLite leaves the payloads on their pages unread)
/// and the decisions' payloads. Nothing here is trusted on its own: the
/// replay checks the chain and each case event's subject against its
/// payload, and goes the long way if one differs.
fn plan_quick(conn: &Connection, head: i64) -> Result<QuickPlan> {
    let mut st = conn.prepare(
        "SELECT seq, kind, subject, CASE WHEN kind = 'decision_issued' THEN payload END
         FROM journal WHERE seq <= ?1 ORDER BY seq",
    )?;
    let mut q = st.query([head])?;
    let mut rows = 0i64;
    let mut ids: HashMap<String, usize> = HashMap::new();
    let mut case_last: Vec<i64> = Vec::new();
    let mut entry_last: HashMap<i64, i64> = HashMap::new();
    while let Some(r) = q.next()? {
        rows += 1;
        let seq: i64 = r.get(0)?;
        let kind = text(r, 1)?;
        match (kind, text_or_null(r, 2)?) {
            ("case_registered", Some(number)) => {
                ids.insert(number.to_owned(), case_last.len());
                case_last.push(seq);
            }
            (_, Some(subject)) => {
                if let Some(&i) = ids.get(subject) {
                    case_last[i] = seq;
                }
            }
            _ => {}
        }
        if let Some(payload) = text_or_null(r, 3)? {
            // One that does not parse fails the replay, which then goes
            // the long way.
            if let Ok(t) = serde_json::from_str::<Touches>(payload)
                && t.outcome.as_deref() != Some("included")
            {
                for e in t
                    .entries
                    .iter()
                    .chain(t.changes.iter().map(|c| &c.entry_no))
                {
                    entry_last.insert(*e, seq);
                }
            }
        }
    }
    Ok(QuickPlan {
        rows,
        case_last,
        entry_last,
    })
}

/// Checks each row's link in the chain and parses its payload (the quick
/// replay's helper): a broken link, or a case event whose `subject` is not
/// its payload's case, is handed on as a payload that failed (the audit
/// then goes the long way, which names it).
fn chain_and_parse(
    raw: std::sync::mpsc::Receiver<Vec<Raw>>,
    out: std::sync::mpsc::SyncSender<Vec<Parsed>>,
    used: std::sync::mpsc::Receiver<Vec<Parsed>>,
) {
    let mut prev = GENESIS.to_string();
    let mut expected = 1i64;
    for batch in raw {
        // The batches the replay is done with are freed here.
        while let Ok(done) = used.try_recv() {
            drop(done);
        }
        let mut parsed = Vec::with_capacity(batch.len());
        for mut r in batch {
            let linked = r.seq == expected
                && r.prev_hash == prev
                && row_hash(
                    &prev,
                    r.seq,
                    &r.at,
                    &r.actor,
                    &r.kind,
                    r.subject.as_deref(),
                    &r.payload,
                ) == r.hash;
            expected += 1;
            prev = std::mem::take(&mut r.hash);
            let subject = r.subject.take();
            let mut p = parse(r);
            if !linked {
                p.event = Err("the chain breaks here".into());
            } else if let Ok(e) = &p.event
                && !subject_agrees(e, subject.as_deref())
            {
                p.event = Err("its subject is not its payload's case".into());
            }
            parsed.push(p);
        }
        if out.send(parsed).is_err() {
            return;
        }
    }
}

/// Is `subject` the case an event that changes a case's rows names (what
/// [`plan_quick`] takes it for)?
fn subject_agrees(e: &Event, subject: Option<&str>) -> bool {
    let case = match e {
        Event::CaseRegistered { number, .. } => number,
        Event::HearingNotified { case, .. }
        | Event::HearingHeld { case, .. }
        | Event::DecisionIssued { case, .. }
        | Event::NoticeIssued { case, .. }
        | Event::CaseReopened { case, .. }
        | Event::DocumentAttached { case, .. } => case,
        _ => return true,
    };
    subject == Some(case.as_str())
}

/// The journal's rows as the replay reads them (the columns [`read_batch`]
/// expects; the chain was checked by the first pass).
const REPLAY_SQL: &str =
    "SELECT seq, at, actor, kind, NULL, payload, '', '' FROM journal ORDER BY seq";

/// Replays the batches `next` hands over into `scratch`, sweeping what is
/// finished every [`SWEEP_EVERY`] rows and all of it at the end.
fn replay(
    scratch: &Connection,
    units: &Replayed,
    planned: &mut Planned,
    db: &mut dyn RowCheck,
    next: &mut dyn FnMut() -> Result<Option<Vec<Parsed>>>,
    done: &mut dyn FnMut(Vec<Parsed>),
) -> Result<Option<Finding>> {
    let begin = || Transaction::new_unchecked(scratch, TransactionBehavior::Deferred);
    let mut tx = begin()?;
    let mut registered = 0i64;
    // The last journal row swept up to (none yet).
    let mut swept = 0i64;
    while let Some(batch) = next()? {
        for p in &batch {
            let seq = p.seq;
            let event = match &p.event {
                Ok(e) => e,
                Err(why) => {
                    let why = why.clone();
                    return Ok(Some(Finding::Chain { seq, why }));
                }
            };
            if let Event::CaseRegistered { .. } = event {
                registered += 1;
            }
            if let Err(e) = apply_replayed(
                &tx,
                units,
                seq,
                &p.at,
                &p.actor,
                event,
                p.content_hash.as_deref(),
            ) {
                let why = format!("cannot be replayed: {e}");
                return Ok(Some(Finding::Chain { seq, why }));
            }
            if seq % SWEEP_EVERY == 0 {
                // Swept once the plan is known: waited for only when it
                // has kept [`DEFER`] rows unswept.
                planned.poll(seq - swept >= DEFER);
                let sweep = match planned {
                    Planned::Ready(sweep) => sweep,
                    // The plan failed: the caller has its error.
                    Planned::Failed => return Ok(None),
                    Planned::Waiting(_) => continue,
                };
                sweep.registered = registered;
                if let Some(f) = sweep.run(db, &tx, units, seq, false)? {
                    return Ok(Some(f));
                }
                swept = seq;
                tx.commit()?;
                tx = begin()?;
            }
        }
        // Freed elsewhere where the caller can (issue 18, verify18: a
        // batch's events, freed here, were 2–3 % of the replay's thread).
        done(batch);
    }
    planned.poll(true);
    let Planned::Ready(sweep) = planned else {
        // No plan: it failed (the caller has its error).
        return Ok(None);
    };
    sweep.registered = registered;
    if sweep.units < 0 {
        // Not planned (`plan_quick`): the replay numbers its units 1..=n.
        sweep.units = units.highest();
    }
    let f = sweep.run(db, &tx, units, i64::MAX, true)?;
    tx.commit()?;
    Ok(f)
}

/// Journal rows the replay may run ahead of its plan, unswept, while the
/// plan is worked out beside it (issue 18, verify18): a bound on what the
/// scratch holds then, whatever the register's size.
const DEFER: i64 = 2 * SWEEP_EVERY;

/// The replay's [`Sweep`], known from the start or once its plan is worked
/// out on another thread.
enum Planned {
    Ready(Sweep),
    Waiting(std::sync::mpsc::Receiver<Sweep>),
    /// The plan failed: no sweep.
    Failed,
}

impl Planned {
    /// Takes the sweep if its plan is known by now; waits for it when
    /// `wait`.
    fn poll(&mut self, wait: bool) {
        if let Planned::Waiting(rx) = self {
            let got = if wait {
                rx.recv().ok()
            } else {
                match rx.try_recv() {
                    Ok(sweep) => Some(sweep),
                    Err(std::sync::mpsc::TryRecvError::Empty) => return,
                    Err(std::sync::mpsc::TryRecvError::Disconnected) => None,
                }
            };
            *self = got.map_or(Planned::Failed, Planned::Ready);
        }
    }

    fn into_sweep(self) -> Option<Sweep> {
        match self {
            Planned::Ready(sweep) => Some(sweep),
            _ => None,
        }
    }
}

/// Parses each batch of journal rows as it comes (the replay's helper).
fn parse_all(
    raw: std::sync::mpsc::Receiver<Vec<Raw>>,
    out: std::sync::mpsc::SyncSender<Vec<Parsed>>,
) {
    for batch in raw {
        if out.send(batch.into_iter().map(parse).collect()).is_err() {
            return;
        }
    }
}

/// What [`replay_fast`] found: the replay's rows hash as the database's
/// (the replay returned, for the read models compared last), or not (the
/// table where they first did not, when it was a comparison).
enum Fast {
    Same(Box<(Store, Sweep, i64)>),
    Differs(Option<&'static str>),
}

/// The replay on three threads (issue 18): this one holds the register's
/// connection (`privilege`: one per process), reads the journal, and
/// encodes and compares the database's side of each comparison; another
/// checks the chain and parses the payloads; a third replays them into
/// [`scratch`], which it owns, and encodes the replay's side. Only batches
/// and encoded rows cross between them.
fn replay_fast(conn: &Connection, planner: Option<Connection>) -> Result<Fast> {
    use std::sync::mpsc::{TryRecvError, channel, sync_channel};
    let rebuilt = scratch()?;
    let mut st = conn.prepare(
        "SELECT seq, at, actor, kind, subject, payload, prev_hash, hash FROM journal ORDER BY seq",
    )?;
    // The plan covers the rows of this snapshot (the journal only grows).
    let head: i64 = conn.query_row("SELECT coalesce(max(seq), 0) FROM journal", [], |r| {
        r.get(0)
    })?;
    let mut q = st.query([])?;
    std::thread::scope(|s| {
        let (raw_tx, raw_rx) = sync_channel::<Vec<Raw>>(AHEAD);
        let (ev_tx, ev_rx) = sync_channel::<Vec<Parsed>>(AHEAD);
        let (req_tx, req_rx) = channel::<(Rows, Vec<u8>)>();
        let (used_tx, used_rx) = channel::<Vec<Parsed>>();
        let (plan_tx, plan_rx) = sync_channel::<Sweep>(1);
        // The plan on its own connection beside the replay where there is
        // one (the replay runs ahead of it, unswept, up to `DEFER` rows);
        // else here first.
        let planned = move |conn: &Connection| -> Result<(i64, i64)> {
            let plan = plan_quick(conn, head)?;
            let sweep = Sweep::with(&plan.case_last, Later::ByEntry(plan.entry_last), -1);
            let _ = plan_tx.send(sweep);
            Ok((plan.rows, plan.case_last.len() as i64))
        };
        let planning = match planner {
            Some(second) => Ok(s.spawn(move || planned(&second))),
            None => Err(planned(conn)?),
        };
        s.spawn(move || chain_and_parse(raw_rx, ev_tx, used_rx));
        let replayer = s.spawn(move || -> Result<(Store, Option<Sweep>, Option<Finding>)> {
            let mut next = || Ok(ev_rx.recv().ok());
            let mut done = |used| {
                let _ = used_tx.send(used);
            };
            let mut planned = Planned::Waiting(plan_rx);
            let units = Replayed::default();
            let f = replay(
                rebuilt.conn(),
                &units,
                &mut planned,
                &mut Encoded(req_tx),
                &mut next,
                &mut done,
            )?;
            Ok((rebuilt, planned.into_sweep(), f))
        });
        let mut raw_tx = Some(raw_tx);
        let mut differs: Option<&'static str> = None;
        // The database's side of one comparison; a difference ends the
        // reading (the replay then stops at the end of what it was given).
        let mut own = Vec::new();
        let mut check = |(want, replayed): (Rows, Vec<u8>), raw_tx: &mut Option<_>| -> Result<()> {
            if differs.is_some() {
                return Ok(());
            }
            own.clear();
            want.encode(conn, &mut own)?;
            if own != replayed {
                differs = Some(want.table);
                *raw_tx = None;
            }
            Ok(())
        };
        loop {
            let mut closed = false;
            loop {
                match req_rx.try_recv() {
                    Ok(r) => check(r, &mut raw_tx)?,
                    Err(TryRecvError::Empty) => break,
                    Err(TryRecvError::Disconnected) => {
                        closed = true;
                        break;
                    }
                }
            }
            if closed {
                break;
            }
            match &raw_tx {
                Some(tx) => {
                    let batch = read_batch(&mut q)?;
                    if batch.is_empty() || tx.send(batch).is_err() {
                        raw_tx = None;
                    }
                }
                None => match req_rx.recv() {
                    Ok(r) => check(r, &mut raw_tx)?,
                    Err(_) => break,
                },
            }
        }
        let replayed = replayer
            .join()
            .unwrap_or_else(|p| std::panic::resume_unwind(p));
        let (rows, cases) = match planning {
            Ok(planner) => match planner
                .join()
                .unwrap_or_else(|p| std::panic::resume_unwind(p))
            {
                Ok(known) => known,
                // The plan's own connection failed it: the long way,
                // on the register's connection, says what is wrong.
                Err(_) => return Ok(Fast::Differs(None)),
            },
            Err(known) => known,
        };
        let (rebuilt, sweep, replayed) = replayed?;
        Ok(match (differs, replayed, sweep) {
            // Every case the plan counted was replayed, and compared.
            (None, None, Some(sweep)) if sweep.registered == cases => {
                Fast::Same(Box::new((rebuilt, sweep, rows)))
            }
            (table, _, _) => Fast::Differs(table),
        })
    })
}

/// The replay with both sides of each comparison read on this thread, row
/// by row, so that the first difference is named (another thread parses).
fn replay_direct(conn: &Connection, plan: &Plan) -> Result<(Store, Sweep, Option<Finding>)> {
    let rebuilt = scratch()?;
    let mut planned = Planned::Ready(Sweep::new(plan));
    let mut st = conn.prepare(REPLAY_SQL)?;
    let mut q = st.query([])?;
    let finding = std::thread::scope(|s| {
        let (raw_tx, raw_rx) = std::sync::mpsc::sync_channel::<Vec<Raw>>(AHEAD);
        let (ev_tx, ev_rx) = std::sync::mpsc::sync_channel::<Vec<Parsed>>(AHEAD);
        s.spawn(move || parse_all(raw_rx, ev_tx));
        let mut raw_tx = Some(raw_tx);
        let mut in_flight = 0usize;
        let mut next = || -> Result<Option<Vec<Parsed>>> {
            while let Some(tx) = raw_tx.as_ref().filter(|_| in_flight < AHEAD) {
                let batch = read_batch(&mut q)?;
                if batch.is_empty() || tx.send(batch).is_err() {
                    raw_tx = None;
                } else {
                    in_flight += 1;
                }
            }
            if in_flight == 0 {
                return Ok(None);
            }
            in_flight -= 1;
            Ok(ev_rx.recv().ok())
        };
        replay(
            rebuilt.conn(),
            &Replayed::default(),
            &mut planned,
            &mut Direct(conn),
            &mut next,
            &mut drop,
        )
    })?;
    let sweep = planned
        .into_sweep()
        .ok_or_else(|| super::Error::Corrupt("audit: the replay's plan was lost".into()))?;
    Ok((rebuilt, sweep, finding))
}

/// A journal row's payload parsed, or why it is not an event of its kind;
/// a registration's content hash worked out with it (`dedup`).
struct Parsed {
    seq: i64,
    at: String,
    actor: String,
    event: std::result::Result<Event, String>,
    content_hash: Option<String>,
}

fn parse(r: Raw) -> Parsed {
    let event = match super::events::parse_replayed(&r.kind, &r.payload) {
        Err(e) => Err(format!("payload is not a known event: {e}")),
        Ok(e) if e.kind() != r.kind => Err(format!("kind {} but payload is {}", r.kind, e.kind())),
        Ok(e) => Ok(e),
    };
    let content_hash = match &event {
        Ok(Event::CaseRegistered { application, .. }) => {
            Some(super::dedup::content_hash(application))
        }
        _ => None,
    };
    Parsed {
        seq: r.seq,
        at: r.at,
        actor: r.actor,
        event,
        content_hash,
    }
}

/// What has been compared and dropped from the replay so far.
struct Sweep {
    /// Cases by their last journal row; `next` is the first not yet due.
    by_last: Vec<(i64, i64)>,
    next: usize,
    /// Due, but the latest registration (its id is the next case's base).
    deferred: Vec<i64>,
    /// Which units another case's decision changes later.
    later: Later,
    /// Units kept when their case was compared (changed later), by the
    /// last journal row that changes them.
    pinned: BinaryHeap<Reverse<(i64, i64)>>,
    /// Cases registered so far in the replay.
    registered: i64,
    /// The last journal row whose `terms` were compared.
    terms_to: i64,
    cases: i64,
    units: i64,
}

/// The units another case's decision (an exclusion, an amendment) changes,
/// with the last journal row that does: known by unit ([`plan`]) or by
/// register entry ([`plan_quick`]: the unit is the one holding the entry
/// when its case is compared).
enum Later {
    ByUnit(HashMap<i64, i64>),
    ByEntry(HashMap<i64, i64>),
}

impl Sweep {
    fn new(plan: &Plan) -> Self {
        Sweep::with(
            &plan.case_last,
            Later::ByUnit(plan.unit_last.clone()),
            plan.units,
        )
    }

    fn with(case_last: &[i64], later: Later, units: i64) -> Self {
        let mut by_last: Vec<(i64, i64)> = case_last
            .iter()
            .enumerate()
            .map(|(i, last)| (*last, i as i64 + 1))
            .collect();
        by_last.sort_unstable();
        Sweep {
            by_last,
            next: 0,
            deferred: Vec::new(),
            later,
            pinned: BinaryHeap::new(),
            registered: 0,
            terms_to: i64::MIN,
            cases: case_last.len() as i64,
            units,
        }
    }

    /// The units `a..=b` that a later journal row than `seq` changes, with
    /// that row.
    fn changed_later(&self, units: &Replayed, a: i64, b: i64, seq: i64) -> Vec<(i64, i64)> {
        match &self.later {
            Later::ByUnit(m) => (a..=b)
                .filter_map(|u| m.get(&u).filter(|l| **l > seq).map(|l| (u, *l)))
                .collect(),
            Later::ByEntry(m) if m.is_empty() => Vec::new(),
            Later::ByEntry(m) => units
                .entries_between(a, b)
                .into_iter()
                .filter_map(|(u, e)| m.get(&e).filter(|l| **l > seq).map(|l| (u, *l)))
                .collect(),
        }
    }

    /// Compares and drops what no journal row after `seq` changes (all of
    /// it when `last`).
    fn run(
        &mut self,
        db: &mut dyn RowCheck,
        scratch: &Connection,
        units: &Replayed,
        seq: i64,
        last: bool,
    ) -> Result<Option<Finding>> {
        // Terms: the rows of the journal rows replayed since the last sweep.
        let (from, to) = (self.terms_to, if last { i64::MAX } else { seq });
        let f = db.rows(
            scratch,
            Rows {
                table: "terms",
                key: "seq",
                filter: "seq > ?1 AND seq <= ?2".into(),
                params: vec![from, to],
                skip: Vec::new(),
            },
        )?;
        if f.is_some() {
            return Ok(f);
        }
        // The last sweep deletes nothing: the scratch is dropped after it
        // (issue 18, verify18: the deletes are a third of a sweep).
        if !last {
            scratch.execute("DELETE FROM terms", [])?;
        }
        self.terms_to = to;

        // Cases no later row names: all but the latest registration.
        let mut due = std::mem::take(&mut self.deferred);
        while let Some(&(l, id)) = self.by_last.get(self.next) {
            if l > seq {
                break;
            }
            due.push(id);
            self.next += 1;
        }
        if !last {
            let latest = self.registered;
            self.deferred = due.iter().copied().filter(|id| *id >= latest).collect();
            due.retain(|id| *id < latest);
        }
        due.sort_unstable();
        let mut i = 0;
        while i < due.len() {
            let lo = due[i];
            let mut hi = lo;
            while i + 1 < due.len() && due[i + 1] == hi + 1 {
                i += 1;
                hi = due[i];
            }
            i += 1;
            if let Some(f) = self.cases_run(db, scratch, units, lo, hi, seq, last)? {
                return Ok(Some(f));
            }
        }

        // Units changed by other cases' decisions, now done with.
        while let Some(&Reverse((l, u))) = self.pinned.peek() {
            if l > seq {
                break;
            }
            self.pinned.pop();
            let row = units.take_pinned(u, last);
            let f = db.units(
                scratch,
                row.into_iter().map(|r| (u, r)).collect(),
                Rows {
                    table: "units",
                    key: "id",
                    filter: "id = ?1".into(),
                    params: vec![u],
                    skip: Vec::new(),
                },
            )?;
            if f.is_some() {
                return Ok(f);
            }
        }
        Ok(None)
    }

    /// Cases `lo..=hi` and their rows: compared, then dropped from the replay.
    #[allow(clippy::too_many_arguments)]
    fn cases_run(
        &mut self,
        db: &mut dyn RowCheck,
        scratch: &Connection,
        units: &Replayed,
        lo: i64,
        hi: i64,
        seq: i64,
        last: bool,
    ) -> Result<Option<Finding>> {
        for (table, key, case) in CASE_TABLES {
            let f = db.rows(
                scratch,
                Rows {
                    table,
                    key,
                    filter: format!("{case} BETWEEN ?1 AND ?2"),
                    params: vec![lo, hi],
                    skip: Vec::new(),
                },
            )?;
            if f.is_some() {
                return Ok(f);
            }
        }
        // Their units are consecutive ids: compared by id, so that a unit
        // moved to another case in the database is still found here.
        if let Some((a, b)) = units.span_of_cases(lo, hi) {
            let changed = self.changed_later(units, a, b, seq);
            let later: Vec<i64> = changed.iter().map(|(u, _)| *u).collect();
            for (u, l) in changed {
                self.pinned.push(Reverse((l, u)));
                units.pin(u);
            }
            let rows = units.take(a, b, &later, last);
            let f = db.units(
                scratch,
                rows,
                Rows {
                    table: "units",
                    key: "id",
                    filter: "id BETWEEN ?1 AND ?2".into(),
                    params: vec![a, b],
                    skip: later,
                },
            )?;
            if f.is_some() {
                return Ok(f);
            }
            if last {
                return Ok(None);
            }
        }
        for (table, _, case) in CASE_TABLES.iter().rev().filter(|_| !last) {
            scratch
                .prepare_cached(&format!(
                    "DELETE FROM {table} WHERE {case} BETWEEN ?1 AND ?2"
                ))?
                .execute([lo, hi])?;
        }
        Ok(None)
    }

    /// Rows of the streamed tables outside every case and unit the journal
    /// made: the database holds rows the journal never wrote.
    fn strays(&self, db: &Connection) -> Result<Option<Finding>> {
        use rusqlite::OptionalExtension;
        let mut checks: Vec<(&'static str, String)> = CASE_TABLES
            .iter()
            .map(|(t, key, case)| {
                let first = key.split(',').next().unwrap_or(key);
                (
                    *t,
                    format!(
                        "SELECT {first} FROM {t} WHERE {case} NOT BETWEEN 1 AND {} LIMIT 1",
                        self.cases
                    ),
                )
            })
            .collect();
        // The replay made units 1..=n, each compared: any other is a stray.
        checks.push((
            "units",
            format!(
                "SELECT id FROM units WHERE id NOT BETWEEN 1 AND {} LIMIT 1",
                self.units
            ),
        ));
        for (table, sql) in checks {
            let stray: Option<Value> = db.query_row(&sql, [], |r| r.get(0)).optional()?;
            if let Some(v) = stray {
                return Ok(Some(Finding::ReadModel {
                    table,
                    key: show(&v),
                    why: "is in the database but not in the journal".into(),
                }));
            }
        }
        Ok(None)
    }
}

/// Column `i` of a journal row, as stored (not copied).
fn text<'a>(r: &'a rusqlite::Row, i: usize) -> rusqlite::Result<&'a str> {
    text_or_null(r, i)?.ok_or(rusqlite::Error::InvalidColumnType(
        i,
        "NULL".into(),
        rusqlite::types::Type::Null,
    ))
}

fn text_or_null<'a>(r: &'a rusqlite::Row, i: usize) -> rusqlite::Result<Option<&'a str>> {
    r.get_ref(i)?.as_str_or_null().map_err(|e| {
        rusqlite::Error::FromSqlConversionFailure(i, rusqlite::types::Type::Text, Box::new(e))
    })
}

fn owned(v: ValueRef) -> Value {
    match v {
        ValueRef::Null => Value::Null,
        ValueRef::Integer(i) => Value::Integer(i),
        ValueRef::Real(f) => Value::Real(f),
        ValueRef::Text(t) => Value::Text(String::from_utf8_lossy(t).into_owned()),
        ValueRef::Blob(b) => Value::Blob(b.to_vec()),
    }
}

fn show(x: &Value) -> String {
    match x {
        Value::Integer(i) => i.to_string(),
        Value::Text(t) => t.clone(),
        other => format!("{other:?}"),
    }
}

/// The rows of one read-model table to compare: those `filter` selects
/// (with `params`), in `key` order, but for those whose first column is in
/// `skip`.
struct Rows {
    table: &'static str,
    key: &'static str,
    filter: String,
    params: Vec<i64>,
    skip: Vec<i64>,
}

impl Rows {
    fn sql(&self) -> String {
        format!(
            "SELECT * FROM {} WHERE {} ORDER BY {}",
            self.table, self.filter, self.key
        )
    }

    /// These rows as SQLite holds them, into `buf`: the column count, then
    /// each value's type byte and its 8 bytes or its length and bytes, in
    /// order, then the row count (issue 18: each side is encoded on its own
    /// thread, and only the two encodings meet).
    fn encode(&self, conn: &Connection, buf: &mut Vec<u8>) -> Result<()> {
        let mut st = conn.prepare_cached(&self.sql())?;
        let columns = st.column_count();
        let mut q = st.query(rusqlite::params_from_iter(&self.params))?;
        buf.extend((columns as u64).to_le_bytes());
        let mut n = 0u64;
        while let Some(r) = q.next()? {
            if let ValueRef::Integer(first) = r.get_ref(0)?
                && self.skip.contains(&first)
            {
                continue;
            }
            n += 1;
            for i in 0..columns {
                unit_rows::encode_value(buf, r.get_ref(i)?);
            }
        }
        buf.extend(n.to_le_bytes());
        Ok(())
    }
}

/// How the sweep compares the replay's rows with the database's.
trait RowCheck {
    /// `None`: the same, or not known yet.
    fn rows(&mut self, scratch: &Connection, want: Rows) -> Result<Option<Finding>>;

    /// The replay's units `rows` (held in memory, [`Replayed`]) against the
    /// database's rows of `units` that `want` selects.
    fn units(
        &mut self,
        scratch: &Connection,
        rows: Vec<(i64, Box<unit_rows::Row>)>,
        want: Rows,
    ) -> Result<Option<Finding>>;
}

/// Row by row, both connections on this thread: the first difference named.
struct Direct<'a>(&'a Connection);

impl RowCheck for Direct<'_> {
    fn rows(&mut self, scratch: &Connection, want: Rows) -> Result<Option<Finding>> {
        compare_rows(self.0, scratch, &want)
    }

    /// The units written into the scratch's empty `units` table for
    /// [`compare_rows`] to name the first difference, then dropped.
    fn units(
        &mut self,
        scratch: &Connection,
        rows: Vec<(i64, Box<unit_rows::Row>)>,
        want: Rows,
    ) -> Result<Option<Finding>> {
        let marks = vec!["?"; unit_rows::COLUMNS.len()].join(", ");
        let mut st = scratch.prepare_cached(&format!(
            "INSERT INTO units ({}) VALUES ({marks})",
            unit_rows::COLUMNS.join(", ")
        ))?;
        for (id, row) in &rows {
            st.execute(rusqlite::params_from_iter(row.values(*id).map(owned)))?;
        }
        let f = compare_rows(self.0, scratch, &want);
        scratch.execute("DELETE FROM units", [])?;
        f
    }
}

/// `rows` encoded as [`Rows::encode`] encodes a table's.
fn encode_units(rows: &[(i64, Box<unit_rows::Row>)], buf: &mut Vec<u8>) {
    buf.reserve(rows.len() * 160);
    buf.extend((unit_rows::COLUMNS.len() as u64).to_le_bytes());
    for (id, row) in rows {
        row.encode(*id, buf);
    }
    buf.extend((rows.len() as u64).to_le_bytes());
}

/// The replay's side encoded here and handed to the thread that holds the
/// database's connection, which encodes its own and compares
/// ([`replay_fast`]).
struct Encoded(std::sync::mpsc::Sender<(Rows, Vec<u8>)>);

impl RowCheck for Encoded {
    fn rows(&mut self, scratch: &Connection, want: Rows) -> Result<Option<Finding>> {
        let mut replayed = Vec::new();
        want.encode(scratch, &mut replayed)?;
        // Closed: the database's side already found a difference.
        let _ = self.0.send((want, replayed));
        Ok(None)
    }

    fn units(
        &mut self,
        _: &Connection,
        rows: Vec<(i64, Box<unit_rows::Row>)>,
        want: Rows,
    ) -> Result<Option<Finding>> {
        let mut replayed = Vec::new();
        encode_units(&rows, &mut replayed);
        let _ = self.0.send((want, replayed));
        Ok(None)
    }
}

/// Compares the rows of `table` that `filter` selects, in `key` order, in
/// the database and in the replay; rows whose first column `skip` holds are
/// left out on both sides. The first difference is the finding. The rows
/// are compared as SQLite holds them, column by column, nothing copied
/// (issue 18: a `Vec<Value>` a row on each side was a fifth of the audit).
fn compare_rows(db: &Connection, rebuilt: &Connection, want: &Rows) -> Result<Option<Finding>> {
    let Rows {
        table, key, skip, ..
    } = want;
    let table: &'static str = table;
    let skip = |v: ValueRef| matches!(v, ValueRef::Integer(u) if skip.contains(&u));
    let sql = want.sql();
    let mut a_st = db.prepare_cached(&sql)?;
    let mut b_st = rebuilt.prepare_cached(&sql)?;
    let names: Vec<String> = a_st.column_names().iter().map(|s| s.to_string()).collect();
    let key_cols = key.split(',').count();
    let mut a = a_st.query(rusqlite::params_from_iter(&want.params))?;
    let mut b = b_st.query(rusqlite::params_from_iter(&want.params))?;
    let show_key = |r: &rusqlite::Row| -> rusqlite::Result<String> {
        let mut parts = Vec::with_capacity(key_cols);
        for i in 0..key_cols {
            parts.push(show(&owned(r.get_ref(i)?)));
        }
        Ok(parts.join(","))
    };
    // The next row `skip` keeps, as `q.get()`.
    let advance = |q: &mut rusqlite::Rows| -> rusqlite::Result<bool> {
        loop {
            q.advance()?;
            match q.get() {
                None => return Ok(false),
                Some(r) if !skip(r.get_ref(0)?) => return Ok(true),
                Some(_) => {}
            }
        }
    };
    let read_model = |key: String, why: String| Ok(Some(Finding::ReadModel { table, key, why }));
    loop {
        advance(&mut a)?;
        advance(&mut b)?;
        let (ra, rb) = match (a.get(), b.get()) {
            (None, None) => return Ok(None),
            (Some(r), None) => {
                return read_model(
                    show_key(r)?,
                    "is in the database but not in the journal".into(),
                );
            }
            (None, Some(r)) => {
                return read_model(
                    show_key(r)?,
                    "is in the journal but missing from the database".into(),
                );
            }
            (Some(ra), Some(rb)) => (ra, rb),
        };
        for i in 0..key_cols {
            if ra.get_ref(i)? != rb.get_ref(i)? {
                return read_model(
                    show_key(ra)?,
                    format!("rows differ: the journal has row {} here", show_key(rb)?),
                );
            }
        }
        for (i, name) in names.iter().enumerate().skip(key_cols) {
            let (va, vb) = (ra.get_ref(i)?, rb.get_ref(i)?);
            if va != vb {
                return read_model(
                    show_key(ra)?,
                    format!(
                        "column {name} is {:?} in the database but {:?} from the journal",
                        owned(va),
                        owned(vb)
                    ),
                );
            }
        }
    }
}

/// The journal against the head its witness saw (`audit verify`).
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum WitnessFinding {
    #[error(
        "the journal is behind its witness: {missing} act(s) missing; the witness last saw journal row {seen} ({seen_hash}…), the journal ends at row {head} — commits were lost or the file was rolled back"
    )]
    Behind {
        missing: i64,
        seen: i64,
        seen_hash: String,
        head: i64,
    },
    #[error(
        "journal row {seq} is not the row its witness saw (hash {hash}…, the witness saw {seen_hash}…): the history was rewritten"
    )]
    Rewritten {
        seq: i64,
        hash: String,
        seen_hash: String,
    },
}

/// What `audit verify` found, in the catalog's words (`err-finding-*`); the
/// detail of a broken row is the check's own.
pub fn finding(f: &Finding) -> crate::i18n::Message {
    use crate::i18n::Message;
    match f {
        Finding::Chain { seq, why } => Message::new("err-finding-chain")
            .arg("seq", seq)
            .arg("why", why),
        Finding::ReadModel { table, key, why } | Finding::Reference { table, key, why } => {
            Message::new("err-finding-row")
                .arg("table", table)
                .arg("key", key)
                .arg("why", why)
        }
        Finding::Damaged(why) => Message::new("err-finding-damaged").arg("why", why),
        Finding::Witness(WitnessFinding::Behind {
            missing,
            seen,
            seen_hash,
            head,
        }) => Message::new("err-finding-behind")
            .arg("missing", missing)
            .arg("seen", seen)
            .arg("seen_hash", seen_hash)
            .arg("head", head),
        Finding::Witness(WitnessFinding::Rewritten {
            seq,
            hash,
            seen_hash,
        }) => Message::new("err-finding-rewritten")
            .arg("seq", seq)
            .arg("hash", hash)
            .arg("seen_hash", seen_hash),
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn a_table_without_unique_keeps_its_columns() {
        let sql = "CREATE TABLE units (\n    id INTEGER PRIMARY KEY,\n    case_id INTEGER NOT NULL,\n    entry_no INTEGER UNIQUE,\n    serial TEXT NOT NULL,\n    UNIQUE (case_id, idx)\n) STRICT";
        assert_eq!(
            super::without_unique(sql),
            "CREATE TABLE units (\n    id INTEGER PRIMARY KEY,\n    case_id INTEGER NOT NULL,\n    entry_no INTEGER,\n    serial TEXT NOT NULL\n) STRICT"
        );
    }

    #[test]
    fn the_plan_reads_an_inclusion_as_the_journal_spells_it() {
        let v = serde_json::to_value(crate::rules::Outcome::Included).unwrap();
        assert_eq!(v, "included");
    }
}
