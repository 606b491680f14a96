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
}

impl std::fmt::Display for Finding {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Finding::Chain { seq, why } => write!(f, "journal row {seq}: {why}"),
            Finding::ReadModel { table, key, why } => {
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

/// Checks the chain and the read models; the first bad row, if any, is in the report.
pub fn verify(store: &Store) -> Result<Report> {
    let conn = store.conn();
    // A read transaction: one consistent snapshot for both checks.
    conn.execute_batch("BEGIN")?;
    let out = verify_snapshot(conn);
    conn.execute_batch("COMMIT")?;
    out
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
