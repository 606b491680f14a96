//! The journal: every change as a row chained by SHA-256 to the one before.
//!
//! `hash = SHA-256(prev_hash ‖ "\n" ‖ seq ‖ "\n" ‖ at ‖ "\n" ‖ actor ‖ "\n" ‖
//! kind ‖ "\n" ‖ subject ‖ "\n" ‖ payload)`, hex; the first row's `prev_hash`
//! is 64 zeros. The payload is hashed exactly as stored.

use chrono::{DateTime, SecondsFormat, Utc};
use rusqlite::{OptionalExtension, Transaction, params};
use sha2::{Digest, Sha256};

use super::Result;
use super::events::{Event, apply_stored};

pub const GENESIS: &str = "0000000000000000000000000000000000000000000000000000000000000000";

pub fn row_hash(
    prev_hash: &str,
    seq: i64,
    at: &str,
    actor: &str,
    kind: &str,
    subject: Option<&str>,
    payload: &str,
) -> String {
    let mut h = Sha256::new();
    for part in [
        prev_hash,
        &seq.to_string(),
        at,
        actor,
        kind,
        subject.unwrap_or(""),
    ] {
        h.update(part.as_bytes());
        h.update(b"\n");
    }
    h.update(payload.as_bytes());
    hex::encode(h.finalize())
}

/// A payload as stored: the event with its shape's version. Readers parse
/// `Event` directly (the tag is `kind`; `v` is ignored where not needed).
#[derive(serde::Serialize)]
struct Versioned<'a> {
    v: u32,
    #[serde(flatten)]
    event: &'a Event,
}

/// The journal's `at` for an instant: RFC 3339 in UTC to the microsecond.
/// The acts of a service share one instant (the demo's all do), so the
/// text of the last instant written is kept (issue 18).
fn at_text(at: DateTime<Utc>) -> String {
    thread_local! {
        static LAST: std::cell::RefCell<Option<(DateTime<Utc>, String)>> =
            const { std::cell::RefCell::new(None) };
    }
    LAST.with_borrow_mut(|last| match last {
        Some((t, text)) if *t == at => text.clone(),
        _ => {
            let text = at.to_rfc3339_opts(SecondsFormat::Micros, true);
            *last = Some((at, text.clone()));
            text
        }
    })
}

/// Appends `event` and applies it to the read models, in the caller's transaction.
pub fn append(tx: &Transaction, at: DateTime<Utc>, actor: &str, event: &Event) -> Result<i64> {
    let last: Option<(i64, String)> = tx
        .prepare_cached("SELECT seq, hash FROM journal ORDER BY seq DESC LIMIT 1")?
        .query_row([], |r| Ok((r.get(0)?, r.get(1)?)))
        .optional()?;
    let (prev_seq, prev_hash) = last.unwrap_or((0, GENESIS.to_string()));
    let seq = prev_seq + 1;
    let at = at_text(at);
    let payload = serde_json::to_string(&Versioned {
        v: super::events::PAYLOAD_VERSION,
        event,
    })?;
    let kind = event.kind();
    let subject = event.subject();
    let hash = row_hash(
        &prev_hash,
        seq,
        &at,
        actor,
        kind,
        subject.as_deref(),
        &payload,
    );
    tx.prepare_cached(
        "INSERT INTO journal (seq, at, actor, kind, subject, payload, prev_hash, hash)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)",
    )?
    .execute(params![
        seq, at, actor, kind, subject, payload, prev_hash, hash
    ])?;
    apply_stored(tx, seq, &at, actor, event, Some(&payload))?;
    Ok(seq)
}
