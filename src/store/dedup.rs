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

use crate::args;
use crate::store::sql::Sql;
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

/// As [`content_hash`], from the `case_registered` journal payload that
/// holds `app` as stored (issue 18): without a request number the canonical
/// application is the payload's `application` object byte for byte, so it
/// is hashed there rather than serialised again. Any other payload (none,
/// or one not of that shape) is serialised as before. (`audit verify`
/// replays without payloads, serialising: a hash taken wrongly here would
/// differ from its replay.)
pub fn content_hash_stored(app: &Application, payload: Option<&Stored>) -> String {
    match payload
        .filter(|_| app.request_no.is_none())
        .and_then(application_json)
    {
        Some(json) => hex::encode(Sha256::digest(json.as_bytes())),
        None => content_hash(app),
    }
}

/// A `case_registered` journal payload as stored, and whether the event was
/// the demo's (`"synthetic":true`, the one field serialised after the
/// application).
#[derive(Debug, Clone, Copy)]
pub struct Stored<'a> {
    pub payload: &'a str,
    pub synthetic: bool,
}

/// The `application` object of a `case_registered` payload, as its text:
/// from the first `,"application":` (the fields before it, `v`, `kind`,
/// `number`, `registered_on` and `missing`, are numbers and strings, and a
/// quote inside a JSON string is always escaped) to the payload's end less
/// the fields serialised after it.
fn application_json<'a>(stored: &Stored<'a>) -> Option<&'a str> {
    const KEY: &str = ",\"application\":";
    let payload = stored.payload;
    let start = payload.find(KEY)? + KEY.len();
    let tail = if stored.synthetic {
        ",\"synthetic\":true}"
    } else {
        "}"
    };
    let end = payload.strip_suffix(tail)?.len();
    let json = payload.get(start..end)?;
    (json.starts_with('{') && json.ends_with('}')).then_some(json)
}

/// Records the keys of a newly registered case (called by `events::apply`).
pub fn record(db: &dyn Sql, case_id: i64, app: &Application) -> Result<()> {
    record_hashed(db, case_id, app, &content_hash(app))
}

/// [`record`], given [`content_hash`] of `app` worked out beforehand.
pub fn record_hashed(db: &dyn Sql, case_id: i64, app: &Application, hash: &str) -> Result<()> {
    db.execute(
        "INSERT INTO intake_keys (case_id, content_hash, request_no) VALUES (?1, ?2, ?3)",
        args![case_id, hash, app.request_no],
    )?;
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
pub fn find(db: &dyn Sql, app: &Application) -> Result<Option<Prior>> {
    let hash = content_hash(app);
    if let Some(no) = &app.request_no {
        let by_request: Option<(String, String)> = db.row(
            "SELECT c.number, k.content_hash FROM intake_keys k JOIN cases c ON c.id = k.case_id
             WHERE k.request_no = ?1 ORDER BY k.case_id LIMIT 1",
            args![no],
            |r| Ok((r.get(0)?, r.get(1)?)),
        )?;
        if let Some((case, h)) = by_request {
            return Ok(Some(if h == hash {
                Prior::Same { case }
            } else {
                Prior::RequestNoClash { case }
            }));
        }
    }
    // (PostgreSQL cannot tell the type of a parameter only tested for NULL.)
    let by_content: Option<String> = db.row(
        "SELECT c.number FROM intake_keys k JOIN cases c ON c.id = k.case_id
         WHERE k.content_hash = ?1 AND (CAST(?2 AS TEXT) IS NULL OR k.request_no IS NULL)
         ORDER BY k.case_id LIMIT 1",
        args![hash, app.request_no],
        |r| r.get(0),
    )?;
    Ok(by_content.map(|case| Prior::Same { case }))
}

#[cfg(test)]
mod tests {
    use chrono::{NaiveDate, TimeZone, Utc};

    // (Through the journal: tests/journal.rs, `a_registration_is_hashed_from_its_payload`.)

    use super::*;
    use crate::rules::{CaseKind, Channel, Condition};
    use crate::store::model::{Applicant, Document, DocumentKind, Unit};

    /// An application whose text has what could mislead a search of the
    /// payload: braces, brackets, quotes, backslashes and the key itself
    /// inside strings, and Cyrillic.
    fn tricky(request_no: Option<&str>) -> Application {
        Application {
            kind: CaseKind::Inclusion,
            channel: Channel::Portal,
            received_at: Utc.with_ymd_and_hms(2026, 3, 2, 5, 6, 7).unwrap(),
            applicant: Applicant {
                name: r#"ТОО "Ертіс {Hash}" ,"application":{"x":[1]} \"#.into(),
                bin_iin: "120340801737".into(),
                legal_address: Some("Astana, } ] \\ \" street".into()),
                phone: "+77011234567".into(),
                email: "office@ertis.kz".into(),
                personal_data_consent: true,
            },
            data_center: Some("Ekibastuz, {zone} 4".into()),
            tn_ved_code: Some("8471500000".into()),
            units: vec![Unit {
                brand: Some("Bitmain".into()),
                model: Some("Antminer S19 [j]".into()),
                serial: "YNAHS190000000001".into(),
                hashrate_ths: Some(95.5),
                power_kw: Some(3.25),
                declaration_no: None,
                condition: Some(Condition::Serviceable),
            }],
            documents: vec![Document {
                kind: DocumentKind::OwnershipProof,
                name: "lease {1}.pdf".into(),
                valid_until: NaiveDate::from_ymd_opt(2027, 1, 1),
            }],
            change: None,
            request_no: request_no.map(String::from),
        }
    }

    #[test]
    fn the_application_object_is_found_whole_or_not_at_all() {
        let app = tricky(None);
        let json = serde_json::to_string(&app).unwrap();
        let found = |payload: &str, synthetic| {
            application_json(&Stored { payload, synthetic }).map(String::from)
        };
        let payload = format!(
            r#"{{"v":2,"kind":"case_registered","missing":["x\",\"application\":{{"],"application":{json},"synthetic":true}}"#
        );
        assert_eq!(found(&payload, true), Some(json.clone()));
        // Not the shape it says: serialised instead.
        assert_eq!(found(&payload, false), None);
        assert_eq!(
            found(r#"{"v":2,"application":{"a":1}}"#, false).as_deref(),
            Some(r#"{"a":1}"#)
        );
        assert_eq!(found(r#"{"v":2,"application":[1]}"#, false), None);
        assert_eq!(found(r#"{"v":2,"application":{"a":1},"x":2}"#, false), None);
        assert_eq!(found(r#"{"v":2}"#, false), None);
    }
}
