//! Recognising a resubmitted application: a batch re-run after a crash, or
//! the portal sending a request twice, must answer with the case already
//! registered and store nothing.
//!
//! Two keys, kept per case in `intake_keys` (a read model, written only by
//! `events::apply` from the `CaseRegistered` event, so replaying the journal
//! rebuilds it):
//! - `content_hash`: SHA-256 of the canonical application — the validated,
//!   normalised `Application` as the journal stores it, without the portal's
//!   request number. Two files that differ only in spacing, key order, letter
//!   case of serials, phone formatting… have the same hash.
//! - `request_no`: the portal's own request number, when it gave one.
//!
//! ◆ A request number is decisive when both applications carry one: the same
//! number is the same request (different content under it is refused), and
//! different numbers are different requests even if the content is equal.
//! Otherwise equal content is a resubmission.

use rusqlite::{Connection, OptionalExtension, Transaction, params};
use sha2::{Digest, Sha256};

use super::Result;
use super::model::Application;

/// SHA-256 (hex) of the canonical application, request number aside.
pub fn content_hash(app: &Application) -> String {
    let mut h = Sha256::new();
    if app.request_no.is_some() {
        let mut canonical = app.clone();
        canonical.request_no = None;
        h.update(serde_json::to_vec(&canonical).expect("an application serialises"));
    } else {
        h.update(serde_json::to_vec(app).expect("an application serialises"));
    }
    hex::encode(h.finalize())
}

/// Records the keys of a newly registered case (called by `events::apply`).
pub fn record(tx: &Transaction, case_id: i64, app: &Application) -> Result<()> {
    record_hashed(tx, case_id, app, &content_hash(app))
}

/// [`record`], given [`content_hash`] of `app` worked out beforehand.
pub fn record_hashed(tx: &Transaction, case_id: i64, app: &Application, hash: &str) -> Result<()> {
    tx.prepare_cached(
        "INSERT INTO intake_keys (case_id, content_hash, request_no) VALUES (?1, ?2, ?3)",
    )?
    .execute(params![case_id, hash, app.request_no])?;
    Ok(())
}

/// What the register already holds for an application.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Prior {
    /// The same application: answer with this case, store nothing.
    Same { case: String },
    /// The request number names a case whose content differs.
    RequestNoClash { case: String },
}

/// The case an application resubmits, if any (the earliest, should the
/// register hold several from before this check existed).
pub fn find(conn: &Connection, app: &Application) -> Result<Option<Prior>> {
    let hash = content_hash(app);
    if let Some(no) = &app.request_no {
        let by_request: Option<(String, String)> = conn
            .prepare_cached(
                "SELECT c.number, k.content_hash FROM intake_keys k JOIN cases c ON c.id = k.case_id
                 WHERE k.request_no = ?1 ORDER BY k.case_id LIMIT 1",
            )?
            .query_row([no], |r| Ok((r.get(0)?, r.get(1)?)))
            .optional()?;
        if let Some((case, h)) = by_request {
            return Ok(Some(if h == hash {
                Prior::Same { case }
            } else {
                Prior::RequestNoClash { case }
            }));
        }
    }
    let by_content: Option<String> = conn
        .prepare_cached(
            "SELECT c.number FROM intake_keys k JOIN cases c ON c.id = k.case_id
             WHERE k.content_hash = ?1 AND (?2 IS NULL OR k.request_no IS NULL)
             ORDER BY k.case_id LIMIT 1",
        )?
        .query_row(params![hash, app.request_no], |r| r.get(0))
        .optional()?;
    Ok(by_content.map(|case| Prior::Same { case }))
}
