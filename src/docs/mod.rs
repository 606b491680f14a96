//! The notifications a decision issues (Appendices 6, 7, 8; §13–§15): their
//! language-independent **canonical content**, signed once in the decision's
//! transaction, and renderings of it in Kazakh, Russian and English as plain
//! text and as a self-contained HTML page. Every rendering carries the
//! signature and the content, so `doc verify` can check the signature and
//! that the visible text is exactly what was signed.

pub mod render;
pub mod verify;

use chrono::{DateTime, NaiveDate, Utc};
use rusqlite::{Connection, OptionalExtension, Transaction};
use serde::{Deserialize, Serialize};

use crate::rules::Law;
use crate::sign::Signer;
use crate::store::events::Event;
use crate::store::journal::append;
use crate::store::{Error, Result};

/// What a signature covers: this tag, a newline, the canonical JSON.
pub const CONTENT_FORMAT: &str = "tizilim-notice/1";

/// A notification's fields, independent of language and layout.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct NoticeContent {
    pub format: String,
    pub number: String,
    /// `inclusion` (App. 7), `exclusion` (App. 8), `amendment` (§15),
    /// `refusal` (App. 6 after a hearing), `refusal_incomplete` (App. 6, §9).
    pub kind: String,
    pub issued_on: NaiveDate,
    pub applicant: Party,
    pub application: ApplicationRef,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub tn_ved_code: Option<String>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub units: Vec<NoticeUnit>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub grounds: Vec<u8>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub reason: Option<String>,
    pub signer: SignerRef,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Party {
    pub name: String,
    pub bin_iin: String,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ApplicationRef {
    pub case: String,
    pub kind: String,
    /// The day the application was received (its date in Appendix 6).
    pub received_on: NaiveDate,
    pub registered_on: NaiveDate,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct NoticeUnit {
    pub entry_no: i64,
    pub brand: String,
    pub model: String,
    pub serial: String,
    pub hashrate_ths: f64,
    pub power_kw: f64,
    /// For an amendment: the fields in their new wording.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub change: Option<serde_json::Value>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SignerRef {
    pub login: String,
    pub name: String,
    pub position: String,
    pub algorithm: String,
    pub fingerprint: String,
}

impl NoticeContent {
    /// The canonical JSON: keys sorted (serde_json's map), no spaces.
    pub fn canonical(&self) -> String {
        let v = serde_json::to_value(self).expect("content serializes");
        serde_json::to_string(&v).expect("value serializes")
    }

    /// The bytes a signature covers.
    pub fn message(canonical: &str) -> Vec<u8> {
        format!("{CONTENT_FORMAT}\n{canonical}").into_bytes()
    }

    pub fn appendix(&self) -> Option<u8> {
        match self.kind.as_str() {
            "inclusion" => Some(7),
            "exclusion" => Some(8),
            "refusal" | "refusal_incomplete" => Some(6),
            _ => None,
        }
    }
}

/// A signed notice as the register keeps it.
#[derive(Debug, Clone, Serialize)]
pub struct SignedNotice {
    pub number: String,
    pub case: String,
    pub kind: String,
    pub issued_on: NaiveDate,
    pub signer: String,
    pub fingerprint: String,
    pub signature: String,
    #[serde(skip)]
    pub content: String,
    /// The journal row that issued it.
    #[serde(skip)]
    pub seq: i64,
}

impl SignedNotice {
    pub fn parsed(&self) -> Result<NoticeContent> {
        Ok(serde_json::from_str(&self.content)?)
    }
}

/// The active key `signer` holds in this register, with the name and position
/// it signs under.
fn registered_key(tx: &Connection, signer: &dyn Signer, on: NaiveDate) -> Result<SignerRef> {
    let fp = signer.fingerprint();
    let row: Option<(String, String, String, NaiveDate, Option<NaiveDate>)> = tx
        .prepare_cached(
            "SELECT login, name, position, valid_from, revoked_on FROM signing_keys
             WHERE fingerprint = ?1",
        )?
        .query_row([&fp], |r| {
            Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?, r.get(4)?))
        })
        .optional()?;
    let Some((login, name, position, _from, revoked)) = row else {
        return Err(Error::refused(
            "§13",
            format!(
                "{}'s signing key {fp} is not registered here: run `tizilim key generate`",
                signer.login()
            ),
        ));
    };
    if login != signer.login() {
        return Err(Error::refused(
            "§13",
            format!("key {fp} belongs to {login}, not {}", signer.login()),
        ));
    }
    let _ = on;
    if let Some(r) = revoked {
        return Err(Error::refused(
            "§13",
            format!(
                "key {fp} was revoked on {r}: generate a new one (`tizilim key generate --new`)"
            ),
        ));
    }
    Ok(SignerRef {
        login,
        name,
        position,
        algorithm: signer.algorithm().to_string(),
        fingerprint: fp,
    })
}

/// Checks, before a decision, that `actor` can sign with `signer` today.
pub fn check_signer(
    tx: &Connection,
    actor: &str,
    signer: &dyn Signer,
    on: NaiveDate,
) -> Result<()> {
    if signer.login() != actor {
        return Err(Error::refused(
            "§13",
            format!(
                "{actor} must sign with their own key, not {}'s",
                signer.login()
            ),
        ));
    }
    registered_key(tx, signer, on).map(|_| ())
}

/// Builds, signs and records the notice of decision `number`, in the
/// decision's transaction (so its outgoing number is the decision's, without
/// gaps, per year and kind).
pub fn issue(
    tx: &Transaction,
    law: &Law,
    actor: &str,
    at: DateTime<Utc>,
    signer: &dyn Signer,
    number: &str,
) -> Result<String> {
    let content = build(tx, law, signer, number)?;
    let canonical = content.canonical();
    let signature = signer.sign(&NoticeContent::message(&canonical));
    use base64::Engine;
    append(
        tx,
        at,
        actor,
        &Event::NoticeIssued {
            number: number.to_string(),
            case: content.application.case.clone(),
            notice: content.kind.clone(),
            issued_on: content.issued_on,
            content: canonical,
            signer: signer.login().to_string(),
            fingerprint: content.signer.fingerprint.clone(),
            signature: base64::engine::general_purpose::STANDARD.encode(signature),
        },
    )?;
    Ok(number.to_string())
}

fn build(tx: &Connection, law: &Law, signer: &dyn Signer, number: &str) -> Result<NoticeContent> {
    type Row = (
        i64,
        String,
        String,
        NaiveDate,
        String,
        String,
        String,
        NaiveDate,
        Option<String>,
    );
    let (case_id, case, outcome, issued_on, kind, name, bin_iin, registered_on, tn_ved): Row = tx
        .prepare_cached(
            "SELECT c.id, c.number, d.outcome, d.issued_on, c.kind, m.name, m.bin_iin,
                c.registered_on, c.tn_ved_code
             FROM decisions d JOIN cases c ON c.id = d.case_id JOIN miners m ON m.id = c.miner_id
             WHERE d.number = ?1",
        )?
        .query_row([number], |r| {
            Ok((
                r.get(0)?,
                r.get(1)?,
                r.get(2)?,
                r.get(3)?,
                r.get(4)?,
                r.get(5)?,
                r.get(6)?,
                r.get(7)?,
                r.get(8)?,
            ))
        })
        .optional()?
        .ok_or_else(|| Error::NotFound(format!("decision {number}")))?;
    let (grounds, reason): (String, Option<String>) = tx
        .prepare_cached("SELECT grounds, reason FROM decisions WHERE number = ?1")?
        .query_row([number], |r| Ok((r.get(0)?, r.get(1)?)))?;
    let received: String = tx
        .prepare_cached("SELECT received_at FROM cases WHERE id = ?1")?
        .query_row([case_id], |r| r.get(0))?;
    let received_on = DateTime::parse_from_rfc3339(&received)
        .map(|t| law.calendar.local_date(t.with_timezone(&Utc)))
        .map_err(|e| Error::Corrupt(format!("{case}: received_at: {e}")))?;
    let notice_kind = match outcome.as_str() {
        "included" => "inclusion",
        "excluded" => "exclusion",
        "amended" => "amendment",
        "refused" => "refusal",
        "refused_incomplete" => "refusal_incomplete",
        other => {
            return Err(Error::Corrupt(format!(
                "decision {number}: outcome {other}"
            )));
        }
    };
    let unit_row = |r: &rusqlite::Row| -> rusqlite::Result<NoticeUnit> {
        Ok(NoticeUnit {
            entry_no: r.get(0)?,
            brand: r.get(1)?,
            model: r.get(2)?,
            serial: r.get(3)?,
            hashrate_ths: r.get(4)?,
            power_kw: r.get(5)?,
            change: None,
        })
    };
    let units: Vec<NoticeUnit> = match notice_kind {
        "inclusion" => tx
            .prepare_cached(
                "SELECT entry_no, brand, model, serial, hashrate_ths, power_kw FROM units
                 WHERE case_id = ?1 AND inclusion_notice_no = ?2 ORDER BY entry_no",
            )?
            .query_map(rusqlite::params![case_id, number], unit_row)?
            .collect::<rusqlite::Result<_>>()?,
        "exclusion" => tx
            .prepare_cached(
                "SELECT entry_no, brand, model, serial, hashrate_ths, power_kw FROM units
                 WHERE exclusion_notice_no = ?1 ORDER BY entry_no",
            )?
            .query_map([number], unit_row)?
            .collect::<rusqlite::Result<_>>()?,
        "amendment" => {
            // The entries the decision changed, with their new wording (from its event).
            let payload: String = tx
                .prepare_cached(
                    "SELECT payload FROM journal WHERE subject = ?1 AND kind = 'decision_issued'
                     ORDER BY seq DESC LIMIT 1",
                )?
                .query_row([&case], |r| r.get(0))?;
            let ev: Event = serde_json::from_str(&payload)?;
            let Event::DecisionIssued { changes, .. } = ev else {
                return Err(Error::Corrupt(format!("{case}: last decision event")));
            };
            let mut out = Vec::new();
            for c in changes {
                let mut u = tx
                    .prepare_cached(
                        "SELECT entry_no, brand, model, serial, hashrate_ths, power_kw FROM units
                         WHERE entry_no = ?1",
                    )?
                    .query_row([c.entry_no], unit_row)?;
                u.change = Some(c.after);
                out.push(u);
            }
            out
        }
        _ => Vec::new(),
    };
    Ok(NoticeContent {
        format: CONTENT_FORMAT.to_string(),
        number: number.to_string(),
        kind: notice_kind.to_string(),
        issued_on,
        applicant: Party { name, bin_iin },
        application: ApplicationRef {
            case,
            kind,
            received_on,
            registered_on,
        },
        tn_ved_code: tn_ved.filter(|_| notice_kind == "inclusion"),
        units,
        grounds: serde_json::from_str::<Vec<u8>>(&grounds).unwrap_or_default(),
        reason: reason.filter(|_| notice_kind.starts_with("refusal")),
        signer: registered_key(tx, signer, issued_on)?,
    })
}

fn notice_row(r: &rusqlite::Row) -> rusqlite::Result<SignedNotice> {
    Ok(SignedNotice {
        number: r.get(0)?,
        case: r.get(1)?,
        kind: r.get(2)?,
        issued_on: r.get(3)?,
        signer: r.get(4)?,
        fingerprint: r.get(5)?,
        signature: r.get(6)?,
        content: r.get(7)?,
        seq: r.get(8)?,
    })
}

const NOTICE: &str = "SELECT n.number, c.number, n.kind, n.issued_on, n.signer, n.fingerprint,
    n.signature, n.content, n.seq FROM notices n JOIN cases c ON c.id = n.case_id";

/// Notices of one case (or all), in order of issue.
pub fn list(conn: &Connection, case: Option<&str>) -> Result<Vec<SignedNotice>> {
    let rows = match case {
        Some(c) => conn
            .prepare(&format!(
                "{NOTICE} WHERE c.number = ?1 ORDER BY n.issued_on, n.number"
            ))?
            .query_map([c], notice_row)?
            .collect::<rusqlite::Result<_>>()?,
        None => conn
            .prepare(&format!("{NOTICE} ORDER BY n.issued_on, n.number"))?
            .query_map([], notice_row)?
            .collect::<rusqlite::Result<_>>()?,
    };
    Ok(rows)
}

pub fn get(conn: &Connection, number: &str) -> Result<SignedNotice> {
    conn.prepare_cached(&format!("{NOTICE} WHERE n.number = ?1"))?
        .query_row([number], notice_row)
        .optional()?
        .ok_or_else(|| Error::NotFound(format!("document {number}")))
}

/// A registered public key.
#[derive(Debug, Clone, Serialize)]
pub struct KeyRow {
    pub fingerprint: String,
    pub login: String,
    pub algorithm: String,
    pub public_key: String,
    pub name: String,
    pub position: String,
    pub valid_from: NaiveDate,
    pub revoked_on: Option<NaiveDate>,
    #[serde(skip)]
    pub from_seq: i64,
    #[serde(skip)]
    pub revoked_seq: Option<i64>,
}

pub fn key(conn: &Connection, fingerprint: &str) -> Result<Option<KeyRow>> {
    Ok(conn
        .prepare_cached(
            "SELECT fingerprint, login, algorithm, public_key, name, position, valid_from, revoked_on,
                from_seq, revoked_seq
             FROM signing_keys WHERE fingerprint = ?1",
        )?
        .query_row([fingerprint], key_row)
        .optional()?)
}

fn key_row(r: &rusqlite::Row) -> rusqlite::Result<KeyRow> {
    Ok(KeyRow {
        fingerprint: r.get(0)?,
        login: r.get(1)?,
        algorithm: r.get(2)?,
        public_key: r.get(3)?,
        name: r.get(4)?,
        position: r.get(5)?,
        valid_from: r.get(6)?,
        revoked_on: r.get(7)?,
        from_seq: r.get(8)?,
        revoked_seq: r.get(9)?,
    })
}

pub fn keys(conn: &Connection) -> Result<Vec<KeyRow>> {
    Ok(conn
        .prepare(
            "SELECT fingerprint, login, algorithm, public_key, name, position, valid_from, revoked_on,
                from_seq, revoked_seq
             FROM signing_keys ORDER BY login, valid_from",
        )?
        .query_map([], key_row)?
        .collect::<rusqlite::Result<_>>()?)
}
