//! The journal: every change as a row chained by SHA-256 to the one before.
//!
//! `hash = SHA-256(prev_hash ‖ "\n" ‖ seq ‖ "\n" ‖ at ‖ "\n" ‖ actor ‖ "\n" ‖
//! kind ‖ "\n" ‖ subject ‖ "\n" ‖ payload)`, hex; the first row's `prev_hash`
//! is 64 zeros. The payload is hashed exactly as stored.

use crate::args;
use crate::store::sql::Sql;
use chrono::{DateTime, SecondsFormat, Utc};
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
/// Written by [`payload`]; this is its definition.
#[cfg(test)]
#[derive(serde::Serialize)]
struct Versioned<'a> {
    v: u32,
    #[serde(flatten)]
    event: &'a Event,
}

/// The payload of `event` as stored: `{"v":N,` and the event's own object
/// (internally tagged: it opens with `{"kind":`) after its brace, the bytes
/// of [`Versioned`] without serde flattening it through a map (issue 18; a
/// test checks them against it).
fn payload(event: &Event) -> Result<String> {
    let mut out = Vec::with_capacity(1024);
    out.extend_from_slice(format!("{{\"v\":{}", super::events::PAYLOAD_VERSION).as_bytes());
    let brace = out.len();
    serde_json::to_writer(&mut out, event)?;
    match out.get_mut(brace) {
        Some(b) if *b == b'{' => *b = b',',
        _ => {
            return Err(super::Error::Corrupt(format!(
                "journal: a {} event is not a JSON object",
                event.kind()
            )));
        }
    }
    // serde_json writes UTF-8 only.
    String::from_utf8(out).map_err(|e| super::Error::Corrupt(format!("journal: {e}")))
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
pub fn append(db: &dyn Sql, at: DateTime<Utc>, actor: &str, event: &Event) -> Result<i64> {
    let last: Option<(i64, String)> = db.row(
        "SELECT seq, hash FROM journal ORDER BY seq DESC LIMIT 1",
        args![],
        |r| Ok((r.get(0)?, r.get(1)?)),
    )?;
    let (prev_seq, prev_hash) = last.unwrap_or((0, GENESIS.to_string()));
    let seq = prev_seq + 1;
    let at = at_text(at);
    let payload = payload(event)?;
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
    db.execute(
        "INSERT INTO journal (seq, at, actor, kind, subject, payload, prev_hash, hash)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)",
        args![seq, at, actor, kind, subject, payload, prev_hash, hash],
    )?;
    apply_stored(db, seq, &at, actor, event, Some(&payload))?;
    Ok(seq)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// One payload of each shape the demo writes, as `main` stored them.
    const STORED: &[&str] = &[
        r#"{"v":2,"kind":"case_registered","number":"ABK-2025-000053","registered_on":"2025-01-27","missing":["end_of_right_proof"],"application":{"kind":"exclusion","channel":"portal","received_at":"2025-01-24T14:53:19Z","applicant":{"name":"Tengri \"Power\" LLP","bin_iin":"061140202635","legal_address":"Konaev, Lomov st. 175","phone":"+77020634502","email":"office@tengripower11.kz","personal_data_consent":true},"units":[{"serial":"JYZZS9J0000000021"}],"documents":[]},"synthetic":true}"#,
        r#"{"v":2,"kind":"case_reopened","case":"ABK-2023-000022","complaint":"CMP-2023-000001","reopened_on":"2023-09-08"}"#,
        r#"{"v":2,"kind":"complaint_decided","number":"CMP-2023-000001","decided_on":"2023-09-08","outcome":"granted","reason":"Рассмотрено с материалами дела и протоколом заслушивания."}"#,
        r#"{"v":2,"kind":"complaint_forwarded","number":"CMP-2023-000004","forwarded_on":"2023-10-05"}"#,
        r#"{"v":2,"kind":"complaint_lodged","number":"CMP-2023-000001","case":"ABK-2023-000022","addressed_to":"provider","received_at":"2023-09-06T10:00:00Z","registered_on":"2023-09-06","text":"Заявитель не согласен."}"#,
        r#"{"v":2,"kind":"decision_issued","case":"ABK-2024-000321","outcome":"excluded","number":"EXC-2024-000063","issued_on":"2024-07-09","entries":[38]}"#,
        r#"{"v":2,"kind":"hearing_held","case":"ABK-2023-000045","held_on":"2023-09-14","outcome":"absent"}"#,
        r#"{"v":2,"kind":"hearing_notified","case":"ABK-2023-000004","sent_on":"2023-08-15","hearing_at":"2023-08-17T09:00:00Z","place":"Astana, room 402","ground_nos":[1],"reason":"Серийный номер АПК уже включён."}"#,
        r#"{"v":2,"kind":"term_ended","case":"ABK-2023-000004","clock":"hold_hearing","rule":"§12","due":"2023-08-17","done_on":"2023-08-17","late_wd":0}"#,
        r#"{"v":2,"kind":"user_iin_set","login":"root","iin":"880101300123"}"#,
        r#"{"v":2,"kind":"register_created","admin":"root"}"#,
        r#"{"v":2,"kind":"notice_issued","number":"REF-2023-000007","case":"ABK-2023-000044","notice":"refusal","issued_on":"2023-08-21","content":"{\"format\":\"tizilim-notice/1\",\"grounds\":[3],\"reason\":\"Площадка\"}","signer":"root","fingerprint":"a41cc065237b02b5fb84e85ab797cb6b","signature":"MIIDtQYJKoZIhvcNAQcCoIIDpjCCA6ICAQExDTALBglghkgBZQMEAgEw"}"#,
    ];

    #[test]
    fn a_payload_is_the_versioned_event_byte_for_byte() {
        for stored in STORED {
            let event: Event = serde_json::from_str(stored).unwrap();
            let defined = serde_json::to_string(&Versioned {
                v: crate::store::events::PAYLOAD_VERSION,
                event: &event,
            })
            .unwrap();
            assert_eq!(payload(&event).unwrap(), defined);
            assert_eq!(&defined, stored);
        }
    }
}
