//! Signed notices, signing keys and seals, as the documents layer and the
//! faces read them; and the facts a notice is built from.

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

use crate::sign::Signer;
use crate::store::events::Event;
use crate::store::reason::{Missing, Refusal};
use crate::store::sql::{Row, Sql};
use crate::store::{Error, Result};

/// Who signed a notice, as its canonical content names them.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SignerRef {
    pub login: String,
    pub name: String,
    pub position: String,
    pub algorithm: String,
    pub fingerprint: String,
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
    /// Base64: a detached CMS (DER), or an Ed25519 signature in the earlier
    /// format. Read from the journal row (empty in [`list`]).
    #[serde(skip)]
    pub signature: String,
    /// The canonical content, from the journal row (empty in [`list`]).
    #[serde(skip)]
    pub content: String,
    /// The journal row that issued it: the one place its text is stored.
    #[serde(skip)]
    pub seq: i64,
    /// When the register journaled it (the time its signature is checked at).
    #[serde(skip)]
    pub at: String,
    /// How and when it reached the applicant (issue 21), in order recorded.
    pub deliveries: Vec<DeliveryLine>,
}

/// One delivery of a notice (`doc delivered`): the way, the day, who recorded it.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct DeliveryLine {
    /// `cabinet`, `email` or `office`.
    pub via: String,
    pub on: NaiveDate,
    pub recorded_by: String,
}

/// A notice's deliveries, in order recorded.
pub fn deliveries(db: &dyn Sql, notice: &str) -> Result<Vec<DeliveryLine>> {
    db.rows(
        "SELECT via, delivered_on, actor FROM deliveries WHERE notice = ?1 ORDER BY seq",
        crate::args![notice],
        |r| {
            Ok(DeliveryLine {
                via: r.get(0)?,
                on: r.get(1)?,
                recorded_by: r.get(2)?,
            })
        },
    )
}

/// The active key `signer` holds in this register, with the name and position
/// it signs under.
pub fn registered_key(db: &dyn Sql, signer: &dyn Signer, on: NaiveDate) -> Result<SignerRef> {
    let fp = signer.fingerprint();
    let row: Option<(String, String, String, NaiveDate, Option<NaiveDate>)> = db.row(
        "SELECT login, name, position, valid_from, revoked_on FROM signing_keys
             WHERE fingerprint = ?1",
        crate::args![fp],
        |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?, r.get(4)?)),
    )?;
    let Some((login, name, position, _from, revoked)) = row else {
        return Err(Error::refused(Refusal::CertificateNotRegistered {
            login: signer.login().to_string(),
            fingerprint: fp,
        }));
    };
    if signer.certificate_der().is_none() {
        return Err(Error::refused(Refusal::EarlierFormat { fingerprint: fp }));
    }
    if login != signer.login() {
        return Err(Error::refused(Refusal::KeyOfAnother {
            fingerprint: fp,
            owner: login,
            signer: signer.login().to_string(),
        }));
    }
    let _ = on;
    if let Some(r) = revoked {
        return Err(Error::refused(Refusal::KeyRevoked {
            fingerprint: fp,
            on: r,
        }));
    }
    Ok(SignerRef {
        login,
        name,
        position,
        algorithm: signer.algorithm().to_string(),
        fingerprint: fp,
    })
}

fn notice_row(r: &Row) -> Result<SignedNotice> {
    Ok(SignedNotice {
        number: r.get(0)?,
        case: r.get(1)?,
        kind: r.get(2)?,
        issued_on: r.get(3)?,
        signer: r.get(4)?,
        fingerprint: r.get(5)?,
        signature: String::new(),
        content: String::new(),
        seq: r.get(6)?,
        at: String::new(),
        deliveries: Vec::new(),
    })
}

macro_rules! notice_sql {
    () => {
        "SELECT n.number, c.number, n.kind, n.issued_on, n.signer, n.fingerprint,
    n.seq FROM notices n JOIN cases c ON c.id = n.case_id"
    };
}

/// Notices of one case (or all), in order of issue.
pub fn list(db: &dyn Sql, case: Option<&str>) -> Result<Vec<SignedNotice>> {
    let mut rows: Vec<SignedNotice> = match case {
        Some(c) => db.rows(
            concat!(
                notice_sql!(),
                " WHERE c.number = ?1 ORDER BY n.issued_on, n.number"
            ),
            crate::args![c],
            notice_row,
        )?,
        None => db.rows(
            concat!(notice_sql!(), " ORDER BY n.issued_on, n.number"),
            &[],
            notice_row,
        )?,
    };
    // Collected first: no statement runs while another's rows arrive.
    for n in &mut rows {
        n.deliveries = deliveries(db, &n.number)?;
    }
    Ok(rows)
}

/// A notice with its content and signature, read from the journal row that
/// issued it (the one place they are stored).
pub fn get(db: &dyn Sql, number: &str) -> Result<SignedNotice> {
    let mut n = db
        .row(
            concat!(notice_sql!(), " WHERE n.number = ?1"),
            crate::args![number],
            notice_row,
        )?
        .ok_or_else(|| Error::NotFound(Missing::Document(number.to_string())))?;
    let (at, payload): (String, String) = db
        .row(
            "SELECT at, payload FROM journal WHERE seq = ?1 AND kind = 'notice_issued'",
            crate::args![n.seq],
            |r| Ok((r.get(0)?, r.get(1)?)),
        )?
        .ok_or_else(|| {
            Error::Corrupt(format!(
                "notice {number}: journal row {} is not its issue",
                n.seq
            ))
        })?;
    let Event::NoticeIssued {
        number: issued,
        content,
        signature,
        ..
    } = serde_json::from_str(&payload)?
    else {
        return Err(Error::Corrupt(format!(
            "notice {number}: journal row {} is not its issue",
            n.seq
        )));
    };
    if issued != n.number {
        return Err(Error::Corrupt(format!(
            "notice {number}: journal row {} issued {issued}",
            n.seq
        )));
    }
    n.content = content;
    n.signature = signature;
    n.at = at;
    n.deliveries = deliveries(db, &n.number)?;
    Ok(n)
}

/// A login's IIN, as an admin recorded it.
pub fn user_iin(db: &dyn Sql, login: &str) -> Result<Option<String>> {
    Ok(db
        .row(
            "SELECT iin FROM users WHERE login = ?1",
            crate::args![login],
            |r| r.get::<Option<String>>(0),
        )?
        .flatten())
}

/// The .p12 of `login`'s last registered certificate, if it has one (a
/// revoked one too: deciding with it then says it was revoked).
pub fn p12_path(db: &dyn Sql, login: &str) -> Result<Option<String>> {
    db.row(
        "SELECT p12_path FROM signing_keys
             WHERE login = ?1 AND p12_path IS NOT NULL
             ORDER BY from_seq DESC LIMIT 1",
        crate::args![login],
        |r| r.get(0),
    )
}

/// The role `login` had just after journal row `seq` (from the journal, not
/// the read model: the role at the time, whatever it is now).
pub fn role_at(db: &dyn Sql, login: &str, seq: i64) -> Result<Option<crate::rules::Role>> {
    let last: Option<String> = db.row(
        "SELECT payload FROM journal WHERE subject = 'user:' || CAST(?1 AS TEXT)
           AND kind = 'user_added' AND seq <= ?2 ORDER BY seq DESC LIMIT 1",
        crate::args![login, seq],
        |r| r.get(0),
    )?;
    if let Some(payload) = last
        && let Event::UserAdded { role, .. } = serde_json::from_str(&payload)?
    {
        return Ok(Some(role));
    }
    let first: Option<String> = db.row(
        "SELECT payload FROM journal ORDER BY seq LIMIT 1",
        &[],
        |r| r.get(0),
    )?;
    if let Some(payload) = first
        && let Event::RegisterCreated { admin } = serde_json::from_str(&payload)?
        && admin == login
    {
        return Ok(Some(crate::rules::Role::Admin));
    }
    Ok(None)
}

/// `login`'s IIN as recorded at or before journal row `seq`.
pub fn iin_at(db: &dyn Sql, login: &str, seq: i64) -> Result<Option<String>> {
    let last: Option<String> = db.row(
        "SELECT payload FROM journal WHERE subject = 'user:' || CAST(?1 AS TEXT)
           AND kind = 'user_iin_set' AND seq <= ?2 ORDER BY seq DESC LIMIT 1",
        crate::args![login, seq],
        |r| r.get(0),
    )?;
    match last {
        Some(payload) => match serde_json::from_str(&payload)? {
            Event::UserIinSet { iin, .. } => Ok(Some(iin)),
            _ => Ok(None),
        },
        None => Ok(None),
    }
}

/// The time journal row `seq` was written, if the register holds it.
pub fn journal_at(db: &dyn Sql, seq: i64) -> Result<Option<String>> {
    db.row(
        "SELECT at FROM journal WHERE seq = ?1",
        crate::args![seq],
        |r| r.get(0),
    )
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

pub fn key(db: &dyn Sql, fingerprint: &str) -> Result<Option<KeyRow>> {
    db.row(
        "SELECT fingerprint, login, algorithm, public_key, name, position, valid_from, revoked_on,
                from_seq, revoked_seq
             FROM signing_keys WHERE fingerprint = ?1",
        crate::args![fingerprint],
        key_row,
    )
}

fn key_row(r: &Row) -> Result<KeyRow> {
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

pub fn keys(db: &dyn Sql) -> Result<Vec<KeyRow>> {
    db.rows(
        "SELECT fingerprint, login, algorithm, public_key, name, position, valid_from, revoked_on,
                from_seq, revoked_seq
             FROM signing_keys ORDER BY login, valid_from",
        &[],
        key_row,
    )
}

/// What a decision's notice is built from: the decision, its case and the
/// applicant as the case holds them.
#[derive(Debug, Clone)]
pub struct DecisionFacts {
    pub case_id: i64,
    pub case: String,
    pub outcome: String,
    pub issued_on: NaiveDate,
    pub kind: String,
    pub name: String,
    pub bin_iin: String,
    pub registered_on: NaiveDate,
    pub tn_ved_code: Option<String>,
    /// The grounds as stored (a JSON array of numbers).
    pub grounds: String,
    pub reason: Option<String>,
    /// RFC 3339, as filed.
    pub received_at: String,
    /// What the package lacked (§9), as stored: a JSON array of codes.
    pub missing: String,
}

pub fn decision_facts(db: &dyn Sql, number: &str) -> Result<DecisionFacts> {
    db.row(
        "SELECT c.id, c.number, d.outcome, d.issued_on, c.kind, coalesce(c.applicant_name, m.name), m.bin_iin,
            c.registered_on, c.tn_ved_code, d.grounds, d.reason, c.received_at, c.missing
         FROM decisions d JOIN cases c ON c.id = d.case_id JOIN miners m ON m.id = c.miner_id
         WHERE d.number = ?1",
        crate::args![number],
        |r| {
            Ok(DecisionFacts {
            case_id: r.get(0)?,
            case: r.get(1)?,
            outcome: r.get(2)?,
            issued_on: r.get(3)?,
            kind: r.get(4)?,
            name: r.get(5)?,
            bin_iin: r.get(6)?,
            registered_on: r.get(7)?,
            tn_ved_code: r.get(8)?,
            grounds: r.get(9)?,
            reason: r.get(10)?,
            received_at: r.get(11)?,
            missing: r.get(12)?,
            })
        },
    )?
    .ok_or_else(|| Error::NotFound(Missing::Decision(number.to_string())))
}

/// An entry of the register as a notice lists it.
#[derive(Debug, Clone, PartialEq)]
pub struct EntryFacts {
    pub entry_no: i64,
    pub brand: String,
    pub model: String,
    pub serial: String,
    pub hashrate_ths: f64,
    pub power_kw: f64,
}

fn entry_row(r: &Row) -> Result<EntryFacts> {
    Ok(EntryFacts {
        entry_no: r.get(0)?,
        brand: r.get(1)?,
        model: r.get(2)?,
        serial: r.get(3)?,
        hashrate_ths: r.get(4)?,
        power_kw: r.get(5)?,
    })
}

/// Entries by entry number (unique). Sorted here rather than by an `ORDER
/// BY`, for which SQLite builds a temporary b-tree each notice (issue 18:
/// the index each query uses is not in entry order).
fn by_entry(mut entries: Vec<EntryFacts>) -> Vec<EntryFacts> {
    entries.sort_unstable_by_key(|e| e.entry_no);
    entries
}

/// The entries an inclusion notice entered, by entry number.
pub fn entries_included_by(db: &dyn Sql, case_id: i64, notice: &str) -> Result<Vec<EntryFacts>> {
    Ok(by_entry(db.rows(
        "SELECT entry_no, brand, model, serial, hashrate_ths, power_kw FROM units
             WHERE case_id = ?1 AND inclusion_notice_no = ?2",
        crate::args![case_id, notice],
        entry_row,
    )?))
}

/// The entries an exclusion notice removed, by entry number.
pub fn entries_excluded_by(db: &dyn Sql, notice: &str) -> Result<Vec<EntryFacts>> {
    Ok(by_entry(db.rows(
        "SELECT entry_no, brand, model, serial, hashrate_ths, power_kw FROM units
             WHERE exclusion_notice_no = ?1",
        crate::args![notice],
        entry_row,
    )?))
}

/// The entries the case's last decision changed, each with its new wording
/// (from the decision's event).
pub fn entries_amended_by_last_decision(
    db: &dyn Sql,
    case: &str,
) -> Result<Vec<(EntryFacts, serde_json::Value)>> {
    let payload: String = db.one(
        "SELECT payload FROM journal WHERE subject = ?1 AND kind = 'decision_issued'
             ORDER BY seq DESC LIMIT 1",
        crate::args![case],
        |r| r.get(0),
    )?;
    let ev: Event = serde_json::from_str(&payload)?;
    let Event::DecisionIssued { changes, .. } = ev else {
        return Err(Error::Corrupt(format!("{case}: last decision event")));
    };
    let mut out = Vec::new();
    for c in changes {
        let entry = db.one(
            "SELECT entry_no, brand, model, serial, hashrate_ths, power_kw FROM units
                 WHERE entry_no = ?1",
            crate::args![c.entry_no],
            entry_row,
        )?;
        out.push((entry, c.after));
    }
    Ok(out)
}

/// What a hearing notice (§11–§12) is built from: the case as the notice
/// just left it, and the applicant as the case holds them.
#[derive(Debug, Clone)]
pub struct HearingFacts {
    pub case: String,
    pub kind: String,
    pub name: String,
    pub bin_iin: String,
    pub registered_on: NaiveDate,
    /// RFC 3339, as filed.
    pub received_at: String,
    pub sent_on: NaiveDate,
    /// RFC 3339 (UTC).
    pub hearing_at: String,
    pub place: String,
    /// The grounds as stored (a JSON array of numbers).
    pub grounds: String,
    pub reason: Option<String>,
}

pub fn hearing_facts(db: &dyn Sql, case: &str) -> Result<HearingFacts> {
    db.row(
        "SELECT c.number, c.kind, coalesce(c.applicant_name, m.name), m.bin_iin, c.registered_on, c.received_at,
            c.hearing_notice_on, c.hearing_at, c.hearing_place, coalesce(c.grounds, '[]'), c.reason
         FROM cases c JOIN miners m ON m.id = c.miner_id
         WHERE c.number = ?1 AND c.hearing_at IS NOT NULL",
        crate::args![case],
        |r| {
            Ok(HearingFacts {
            case: r.get(0)?,
            kind: r.get(1)?,
            name: r.get(2)?,
            bin_iin: r.get(3)?,
            registered_on: r.get(4)?,
            received_at: r.get(5)?,
            sent_on: r.get(6)?,
            hearing_at: r.get(7)?,
            place: r.get(8)?,
            grounds: r.get(9)?,
            reason: r.get(10)?,
            })
        },
    )?
    .ok_or_else(|| Error::NotFound(crate::store::reason::Missing::Case(case.to_string())))
}

/// What the decision on a complaint (§17–§20) is built from: the complaint
/// as decided, its case and the applicant.
#[derive(Debug, Clone)]
pub struct ComplaintDecisionFacts {
    pub complaint: String,
    pub case: String,
    pub kind: String,
    pub name: String,
    pub bin_iin: String,
    pub case_registered_on: NaiveDate,
    /// RFC 3339, as filed (the application's).
    pub case_received_at: String,
    pub addressed_to: String,
    pub registered_on: NaiveDate,
    pub forwarded_on: Option<NaiveDate>,
    pub decided_on: NaiveDate,
    pub outcome: String,
    pub reason: Option<String>,
}

pub fn complaint_decision_facts(db: &dyn Sql, complaint: &str) -> Result<ComplaintDecisionFacts> {
    db.row(
        "SELECT k.number, c.number, c.kind, coalesce(c.applicant_name, m.name), m.bin_iin, c.registered_on, c.received_at,
            k.addressed_to, k.registered_on, k.forwarded_on, k.decided_on, k.outcome, k.reason
         FROM complaints k JOIN cases c ON c.id = k.case_id JOIN miners m ON m.id = c.miner_id
         WHERE k.number = ?1 AND k.decided_on IS NOT NULL",
        crate::args![complaint],
        |r| {
            Ok(ComplaintDecisionFacts {
            complaint: r.get(0)?,
            case: r.get(1)?,
            kind: r.get(2)?,
            name: r.get(3)?,
            bin_iin: r.get(4)?,
            case_registered_on: r.get(5)?,
            case_received_at: r.get(6)?,
            addressed_to: r.get(7)?,
            registered_on: r.get(8)?,
            forwarded_on: r.get(9)?,
            decided_on: r.get(10)?,
            outcome: r.get(11)?,
            reason: r.get(12)?,
            })
        },
    )?
    .ok_or_else(|| Error::NotFound(crate::store::reason::Missing::Complaint(complaint.to_string())))
}
