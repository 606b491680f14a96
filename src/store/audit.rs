//! `audit verify`: recompute the journal's hash chain, then rebuild every read
//! model from the journal alone and compare it with the database, row by row.

use rusqlite::types::Value;
use rusqlite::{Connection, TransactionBehavior};

use super::events::{Event, apply};
use super::journal::{GENESIS, row_hash};
use super::schema::READ_MODELS;
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
    Witness(String),
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

/// Checks, in order: SQLite's integrity check of every page and index; the
/// hash chain and the read models (replayed from the journal); every row
/// that names an earlier journal row; and the journal against the last head
/// its witness saw. The first finding, if any, is in the report.
pub fn verify(store: &Store) -> Result<Report> {
    if let Some(why) = store.integrity()? {
        return Ok(Report {
            rows: 0,
            finding: Some(Finding::Damaged(why)),
        });
    }
    let conn = store.conn();
    // A read transaction: one consistent snapshot for every check.
    conn.execute_batch("BEGIN")?;
    let out = verify_snapshot(conn).and_then(|report| match report.finding {
        Some(_) => Ok(report),
        None => Ok(Report {
            finding: match cross_references(conn)? {
                Some(f) => Some(f),
                None => against_witness(conn, store)?,
            },
            ..report
        }),
    });
    conn.execute_batch("COMMIT")?;
    out
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
    const LINKS: [(&str, &str, &str, &str); 4] = [
        ("cases", "number", "registered_seq", "case_registered"),
        ("notices", "number", "seq", "notice_issued"),
        ("signing_keys", "fingerprint", "from_seq", "key_registered"),
        ("signing_keys", "fingerprint", "revoked_seq", "key_revoked"),
    ];
    for (table, key, column, kind) in LINKS {
        let sql = format!(
            "SELECT t.{key}, t.{column}, j.kind FROM {table} t LEFT JOIN journal j ON j.seq = t.{column}
             WHERE t.{column} IS NOT NULL AND (j.seq IS NULL OR j.kind <> '{kind}') LIMIT 1"
        );
        let bad: Option<(String, i64, Option<String>)> = {
            use rusqlite::OptionalExtension;
            conn.query_row(&sql, [], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)))
                .optional()?
        };
        if let Some((k, seq, found)) = bad {
            return Ok(Some(Finding::Reference {
                table,
                key: k,
                why: match found {
                    None => format!(
                        "{column} names journal row {seq}, which the register does not hold"
                    ),
                    Some(found) => {
                        format!("{column} names journal row {seq}, a {found} row, not {kind}")
                    }
                },
            }));
        }
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
        None => Some(Finding::Witness(format!(
            "the journal is behind its witness: {} act(s) missing; the witness last saw journal row {} ({}…), the journal ends at row {head} — commits were lost or the file was rolled back",
            seen.seq - head,
            seen.seq,
            short(&seen.hash)
        ))),
        Some(h) if h != seen.hash => Some(Finding::Witness(format!(
            "journal row {} is not the row its witness saw (hash {}…, the witness saw {}…): the history was rewritten",
            seen.seq,
            short(&h),
            short(&seen.hash)
        ))),
        Some(_) => None,
    })
}

fn verify_snapshot(conn: &Connection) -> Result<Report> {
    let mut rebuilt = Store::in_memory()?;
    let mut rows = 0i64;
    let mut prev = GENESIS.to_string();
    let mut expected_seq = 1i64;
    {
        let rebuilt_conn = &mut rebuilt.conn;
        let tx = rebuilt_conn.transaction_with_behavior(TransactionBehavior::Immediate)?;
        let mut st = conn.prepare(
            "SELECT seq, at, actor, kind, subject, payload, prev_hash, hash FROM journal ORDER BY seq",
        )?;
        let mut q = st.query([])?;
        while let Some(r) = q.next()? {
            let seq: i64 = r.get(0)?;
            let at: String = r.get(1)?;
            let actor: String = r.get(2)?;
            let kind: String = r.get(3)?;
            let subject: Option<String> = r.get(4)?;
            let payload: String = r.get(5)?;
            let prev_hash: String = r.get(6)?;
            let hash: String = r.get(7)?;
            let chain = |why: String| Report {
                rows,
                finding: Some(Finding::Chain { seq, why }),
            };
            if seq != expected_seq {
                return Ok(chain(format!(
                    "expected row {expected_seq}: rows are missing"
                )));
            }
            if prev_hash != prev {
                return Ok(chain(
                    "prev_hash does not match the previous row's hash".into(),
                ));
            }
            let want = row_hash(&prev, seq, &at, &actor, &kind, subject.as_deref(), &payload);
            if want != hash {
                return Ok(chain(format!(
                    "content does not match its hash (stored {}…, computed {}…)",
                    &hash.get(..12).unwrap_or(&hash),
                    &want[..12]
                )));
            }
            let event: Event = match serde_json::from_str(&payload) {
                Ok(e) => e,
                Err(e) => return Ok(chain(format!("payload is not a known event: {e}"))),
            };
            if event.kind() != kind {
                return Ok(chain(format!(
                    "kind {kind} but payload is {}",
                    event.kind()
                )));
            }
            if let Err(e) = apply(&tx, seq, &at, &actor, &event) {
                return Ok(chain(format!("cannot be replayed: {e}")));
            }
            prev = hash;
            expected_seq += 1;
            rows += 1;
        }
        tx.commit()?;
    }
    for (table, key) in READ_MODELS {
        if let Some(finding) = compare_table(conn, rebuilt.conn(), table, key)? {
            return Ok(Report {
                rows,
                finding: Some(finding),
            });
        }
    }
    Ok(Report {
        rows,
        finding: None,
    })
}

fn compare_table(
    db: &Connection,
    rebuilt: &Connection,
    table: &'static str,
    key: &str,
) -> Result<Option<Finding>> {
    let sql = format!("SELECT * FROM {table} ORDER BY {key}");
    let mut a_st = db.prepare(&sql)?;
    let mut b_st = rebuilt.prepare(&sql)?;
    let names: Vec<String> = a_st.column_names().iter().map(|s| s.to_string()).collect();
    let key_cols = key.split(',').count();
    let mut a = a_st.query([])?;
    let mut b = b_st.query([])?;
    let row_values = |r: &rusqlite::Row| -> rusqlite::Result<Vec<Value>> {
        (0..names.len()).map(|i| r.get::<_, Value>(i)).collect()
    };
    let show_key = |v: &[Value]| -> String {
        v[..key_cols]
            .iter()
            .map(|x| match x {
                Value::Integer(i) => i.to_string(),
                Value::Text(t) => t.clone(),
                other => format!("{other:?}"),
            })
            .collect::<Vec<_>>()
            .join(",")
    };
    loop {
        let (ra, rb) = (a.next()?, b.next()?);
        match (ra, rb) {
            (None, None) => return Ok(None),
            (Some(r), None) => {
                let v = row_values(r)?;
                return Ok(Some(Finding::ReadModel {
                    table,
                    key: show_key(&v),
                    why: "is in the database but not in the journal".into(),
                }));
            }
            (None, Some(r)) => {
                let v = row_values(r)?;
                return Ok(Some(Finding::ReadModel {
                    table,
                    key: show_key(&v),
                    why: "is in the journal but missing from the database".into(),
                }));
            }
            (Some(ra), Some(rb)) => {
                let (va, vb) = (row_values(ra)?, row_values(rb)?);
                if va[..key_cols] != vb[..key_cols] {
                    return Ok(Some(Finding::ReadModel {
                        table,
                        key: show_key(&va),
                        why: format!("rows differ: the journal has row {} here", show_key(&vb)),
                    }));
                }
                for (i, name) in names.iter().enumerate() {
                    if va[i] != vb[i] {
                        return Ok(Some(Finding::ReadModel {
                            table,
                            key: show_key(&va),
                            why: format!(
                                "column {name} is {:?} in the database but {:?} from the journal",
                                va[i], vb[i]
                            ),
                        }));
                    }
                }
            }
        }
    }
}
