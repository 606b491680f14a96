//! The notifications a decision issues (Appendices 6, 7, 8; §13–§15): their
//! language-independent **canonical content**, signed once in the decision's
//! transaction, and renderings of it in Kazakh, Russian and English as plain
//! text and as a self-contained HTML page. Every rendering carries the
//! signature and the content, so `doc verify` can check the signature and
//! that the visible text is exactly what was signed.

pub mod refusal;
pub mod render;
pub mod report;
pub mod verify;

use chrono::{DateTime, NaiveDate, Utc};
use serde::{Deserialize, Serialize};

use crate::rules::Law;
use crate::sign::Signer;
use crate::store::events::Event;
use crate::store::journal::append;
use crate::store::read::notices;
pub use crate::store::read::notices::{
    KeyRow, SignedNotice, SignerRef, get, iin_at, journal_at, key, keys, list, p12_path, role_at,
    user_iin,
};
use crate::store::services::NoticeIssuer;
use crate::store::sql::Sql;
use crate::store::{Error, Result};

/// What a signature covers: this tag, a newline, the canonical JSON.
pub const CONTENT_FORMAT: &str = "tizilim-notice/1";

/// A notification's fields, independent of language and layout.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct NoticeContent {
    pub format: String,
    pub number: String,
    /// `inclusion` (App. 7), `exclusion` (App. 8), `amendment` (§15),
    /// `refusal` (App. 6 after a hearing), `refusal_incomplete` (App. 6, §9),
    /// `hearing` (the preliminary decision and hearing notice, §11–§12),
    /// `complaint_decision` (§17–§20).
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
    /// §9: what the package lacked, as codes (`ownership_proof`,
    /// `ownership_proof:expired:2024-03-19`) each rendering words in its
    /// language; absent from notices signed before codes (their reason held
    /// the English text).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub missing: Vec<String>,
    /// `hearing` (§11–§12): when and where (or by what means) the applicant
    /// is heard.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub hearing: Option<HearingRef>,
    /// `complaint_decision` (§17–§20): the complaint and how it was decided.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub complaint: Option<ComplaintRef>,
    pub signer: SignerRef,
}

/// The hearing a preliminary decision to refuse calls the applicant to.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct HearingRef {
    /// Local (Almaty) date and time of the hearing.
    pub at: chrono::NaiveDateTime,
    /// The place or means (a room, a video link).
    pub place: String,
}

/// A complaint and its decision (§17–§20).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ComplaintRef {
    pub number: String,
    /// The day the complaint was registered.
    pub registered_on: NaiveDate,
    /// `provider`, `quality_body`, `superior_body`, `official`: whom it was
    /// addressed to.
    pub addressed_to: String,
    /// Who decided it: the provider itself (§18–§19), or the body it was
    /// forwarded to.
    pub decided_by: String,
    /// `granted`, `partly_granted`, `rejected`.
    pub outcome: String,
    /// §18: the favourable act the provider took with a full grant (its
    /// notice's number).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub act: Option<String>,
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

impl NoticeContent {
    /// The canonical JSON: keys sorted (serde_json's map), no spaces.
    ///
    /// Written straight from [`canon`]'s mirror of the content, whose fields
    /// are declared in that sorted order: the same bytes as going through a
    /// `serde_json::Value` ([`NoticeContent::canonical_via_value`], which
    /// the tests compare it with) without building the value (issue 18).
    pub fn canonical(&self) -> String {
        serde_json::to_string(&canon::Notice::from(self)).expect("content serializes")
    }

    /// The canonical JSON by its definition: the content as a
    /// `serde_json::Value` (objects with their keys sorted), written out.
    pub fn canonical_via_value(&self) -> String {
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

/// The canonical content's shape: every object's fields declared in the
/// sorted order of their keys, with the same skipping rules as
/// [`NoticeContent`]'s, so serde writes the canonical bytes directly.
mod canon {
    use chrono::NaiveDate;
    use serde::Serialize;

    #[derive(Serialize)]
    pub struct Notice<'a> {
        applicant: Party<'a>,
        application: &'a super::ApplicationRef,
        // Issue 21's documents: as values, so their keys are sorted too.
        #[serde(skip_serializing_if = "Option::is_none")]
        complaint: Option<serde_json::Value>,
        format: &'a str,
        #[serde(skip_serializing_if = "<[u8]>::is_empty")]
        grounds: &'a [u8],
        #[serde(skip_serializing_if = "Option::is_none")]
        hearing: Option<serde_json::Value>,
        issued_on: NaiveDate,
        kind: &'a str,
        #[serde(skip_serializing_if = "<[String]>::is_empty")]
        missing: &'a [String],
        number: &'a str,
        #[serde(skip_serializing_if = "Option::is_none")]
        reason: Option<&'a str>,
        signer: Signer<'a>,
        #[serde(skip_serializing_if = "Option::is_none")]
        tn_ved_code: Option<&'a str>,
        #[serde(skip_serializing_if = "Vec::is_empty")]
        units: Vec<Unit<'a>>,
    }

    #[derive(Serialize)]
    struct Party<'a> {
        bin_iin: &'a str,
        name: &'a str,
    }

    #[derive(Serialize)]
    struct Signer<'a> {
        algorithm: &'a str,
        fingerprint: &'a str,
        login: &'a str,
        name: &'a str,
        position: &'a str,
    }

    #[derive(Serialize)]
    struct Unit<'a> {
        brand: &'a str,
        #[serde(skip_serializing_if = "Option::is_none")]
        change: Option<&'a serde_json::Value>,
        entry_no: i64,
        hashrate_ths: f64,
        model: &'a str,
        power_kw: f64,
        serial: &'a str,
    }

    impl<'a> From<&'a super::NoticeContent> for Notice<'a> {
        fn from(c: &'a super::NoticeContent) -> Self {
            Notice {
                applicant: Party {
                    bin_iin: &c.applicant.bin_iin,
                    name: &c.applicant.name,
                },
                application: &c.application,
                complaint: c
                    .complaint
                    .as_ref()
                    .map(|k| serde_json::to_value(k).expect("content serializes")),
                format: &c.format,
                grounds: &c.grounds,
                hearing: c
                    .hearing
                    .as_ref()
                    .map(|h| serde_json::to_value(h).expect("content serializes")),
                issued_on: c.issued_on,
                kind: &c.kind,
                missing: &c.missing,
                number: &c.number,
                reason: c.reason.as_deref(),
                signer: Signer {
                    algorithm: &c.signer.algorithm,
                    fingerprint: &c.signer.fingerprint,
                    login: &c.signer.login,
                    name: &c.signer.name,
                    position: &c.signer.position,
                },
                tn_ved_code: c.tn_ved_code.as_deref(),
                units: c
                    .units
                    .iter()
                    .map(|u| Unit {
                        brand: &u.brand,
                        change: u.change.as_ref(),
                        entry_no: u.entry_no,
                        hashrate_ths: u.hashrate_ths,
                        model: &u.model,
                        power_kw: u.power_kw,
                        serial: &u.serial,
                    })
                    .collect(),
            }
        }
    }
}

/// A stored notice's canonical content, parsed.
pub fn parsed(notice: &SignedNotice) -> Result<NoticeContent> {
    Ok(serde_json::from_str(&notice.content)?)
}

/// Opens `login`'s certificate signer: the .p12 the register remembers for
/// it, the passphrase typed (or asked), the certificate checked now against
/// the trust store and the login's IIN. Once per session or transaction,
/// never per notice.
pub fn open_signer(
    db: &dyn Sql,
    login: &str,
    typed: Option<&str>,
    now: DateTime<Utc>,
) -> std::result::Result<crate::sign::p12::CertSigner, crate::sign::SignError> {
    use crate::sign::SignError;
    let store = |e: Error| SignError::Io(e.to_string());
    let path = notices::p12_path(db, login)
        .map_err(store)?
        .ok_or_else(|| SignError::NoCertificate {
            login: login.to_string(),
        })?;
    let iin = notices::user_iin(db, login).map_err(store)?;
    let trust = crate::sign::x509::open_configured()?;
    crate::sign::open_signer(
        login,
        std::path::Path::new(&path),
        typed,
        &trust,
        now,
        iin.as_deref(),
    )
}

/// The documents layer as the store's notice issuer: a decision asks it, in
/// the decision's transaction, for the signed notice (so its outgoing number
/// is the decision's, without gaps, per year and kind).
pub struct Issuer<'a> {
    pub signer: &'a dyn Signer,
}

impl NoticeIssuer for Issuer<'_> {
    fn signer(&self) -> &dyn Signer {
        self.signer
    }

    fn issue(
        &self,
        db: &dyn Sql,
        law: &Law,
        actor: &str,
        at: DateTime<Utc>,
        number: &str,
    ) -> Result<String> {
        let content = build(db, law, self.signer, number)?;
        journal_signed(db, self.signer, actor, at, content)
    }

    fn issue_hearing(
        &self,
        db: &dyn Sql,
        law: &Law,
        actor: &str,
        at: DateTime<Utc>,
        case: &str,
        number: &str,
    ) -> Result<String> {
        let content = build_hearing(db, law, self.signer, case, number)?;
        journal_signed(db, self.signer, actor, at, content)
    }

    fn issue_complaint_decision(
        &self,
        db: &dyn Sql,
        law: &Law,
        actor: &str,
        at: DateTime<Utc>,
        complaint: &str,
        number: &str,
        act: Option<&str>,
    ) -> Result<String> {
        let content = build_complaint_decision(db, law, self.signer, complaint, number, act)?;
        journal_signed(db, self.signer, actor, at, content)
    }
}

/// Signs `content` and journals it as issued (the notice's one copy).
fn journal_signed(
    db: &dyn Sql,
    signer: &dyn Signer,
    actor: &str,
    at: DateTime<Utc>,
    content: NoticeContent,
) -> Result<String> {
    let number = content.number.clone();
    let canonical = content.canonical();
    let signature = signer
        .sign(&NoticeContent::message(&canonical))
        .map_err(|e| Error::refused(crate::store::reason::Refusal::Signing(e.to_string())))?;
    use base64::Engine;
    append(
        db,
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
    Ok(number)
}

fn received_on(law: &Law, case: &str, received_at: &str) -> Result<NaiveDate> {
    DateTime::parse_from_rfc3339(received_at)
        .map(|t| law.calendar.local_date(t.with_timezone(&Utc)))
        .map_err(|e| Error::Corrupt(format!("{case}: received_at: {e}")))
}

/// §11–§12: the preliminary decision to refuse with the hearing notice, from
/// the case as the notice left it.
fn build_hearing(
    db: &dyn Sql,
    law: &Law,
    signer: &dyn Signer,
    case: &str,
    number: &str,
) -> Result<NoticeContent> {
    let h = notices::hearing_facts(db, case)?;
    let hearing_at = DateTime::parse_from_rfc3339(&h.hearing_at)
        .map_err(|e| Error::Corrupt(format!("{case}: hearing_at: {e}")))?
        .with_timezone(&law.rules.office.zone)
        .naive_local();
    Ok(NoticeContent {
        format: CONTENT_FORMAT.to_string(),
        number: number.to_string(),
        kind: "hearing".to_string(),
        issued_on: h.sent_on,
        applicant: Party {
            name: h.name,
            bin_iin: h.bin_iin,
        },
        application: ApplicationRef {
            case: h.case.clone(),
            kind: h.kind,
            received_on: received_on(law, case, &h.received_at)?,
            registered_on: h.registered_on,
        },
        tn_ved_code: None,
        units: Vec::new(),
        grounds: serde_json::from_str::<Vec<u8>>(&h.grounds).unwrap_or_default(),
        reason: h.reason,
        missing: Vec::new(),
        hearing: Some(HearingRef {
            at: hearing_at,
            place: h.place,
        }),
        complaint: None,
        signer: notices::registered_key(db, signer, h.sent_on)?,
    })
}

/// §17–§20: the written decision on a complaint, from the complaint as
/// decided.
fn build_complaint_decision(
    db: &dyn Sql,
    law: &Law,
    signer: &dyn Signer,
    complaint: &str,
    number: &str,
    act: Option<&str>,
) -> Result<NoticeContent> {
    let k = notices::complaint_decision_facts(db, complaint)?;
    // Forwarded, it was decided by the body it went to; else by the provider.
    let decided_by = if k.forwarded_on.is_some() {
        k.addressed_to.clone()
    } else {
        "provider".to_string()
    };
    Ok(NoticeContent {
        format: CONTENT_FORMAT.to_string(),
        number: number.to_string(),
        kind: "complaint_decision".to_string(),
        issued_on: k.decided_on,
        applicant: Party {
            name: k.name,
            bin_iin: k.bin_iin,
        },
        application: ApplicationRef {
            case: k.case.clone(),
            kind: k.kind,
            received_on: received_on(law, &k.case, &k.case_received_at)?,
            registered_on: k.case_registered_on,
        },
        tn_ved_code: None,
        units: Vec::new(),
        grounds: Vec::new(),
        reason: k.reason,
        missing: Vec::new(),
        hearing: None,
        complaint: Some(ComplaintRef {
            number: k.complaint,
            registered_on: k.registered_on,
            addressed_to: k.addressed_to,
            decided_by,
            outcome: k.outcome,
            act: act.map(str::to_string),
        }),
        signer: notices::registered_key(db, signer, k.decided_on)?,
    })
}

fn build(db: &dyn Sql, law: &Law, signer: &dyn Signer, number: &str) -> Result<NoticeContent> {
    let d = notices::decision_facts(db, number)?;
    let case = &d.case;
    let received_on = DateTime::parse_from_rfc3339(&d.received_at)
        .map(|t| law.calendar.local_date(t.with_timezone(&Utc)))
        .map_err(|e| Error::Corrupt(format!("{case}: received_at: {e}")))?;
    let notice_kind = match d.outcome.as_str() {
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
    let unit = |e: notices::EntryFacts, change: Option<serde_json::Value>| NoticeUnit {
        entry_no: e.entry_no,
        brand: e.brand,
        model: e.model,
        serial: e.serial,
        hashrate_ths: e.hashrate_ths,
        power_kw: e.power_kw,
        change,
    };
    let units: Vec<NoticeUnit> = match notice_kind {
        "inclusion" => notices::entries_included_by(db, d.case_id, number)?
            .into_iter()
            .map(|e| unit(e, None))
            .collect(),
        "exclusion" => notices::entries_excluded_by(db, number)?
            .into_iter()
            .map(|e| unit(e, None))
            .collect(),
        "amendment" => notices::entries_amended_by_last_decision(db, case)?
            .into_iter()
            .map(|(e, after)| unit(e, Some(after)))
            .collect(),
        _ => Vec::new(),
    };
    Ok(NoticeContent {
        format: CONTENT_FORMAT.to_string(),
        number: number.to_string(),
        kind: notice_kind.to_string(),
        issued_on: d.issued_on,
        applicant: Party {
            name: d.name,
            bin_iin: d.bin_iin,
        },
        application: ApplicationRef {
            case: d.case.clone(),
            kind: d.kind,
            received_on,
            registered_on: d.registered_on,
        },
        tn_ved_code: d.tn_ved_code.filter(|_| notice_kind == "inclusion"),
        units,
        grounds: serde_json::from_str::<Vec<u8>>(&d.grounds).unwrap_or_default(),
        reason: d.reason.filter(|_| notice_kind.starts_with("refusal")),
        missing: if notice_kind == "refusal_incomplete" {
            serde_json::from_str::<Vec<String>>(&d.missing).unwrap_or_default()
        } else {
            Vec::new()
        },
        hearing: None,
        complaint: None,
        signer: notices::registered_key(db, signer, d.issued_on)?,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn content(
        text: String,
        units: Vec<(i64, f64, f64, Option<String>)>,
        grounds: Vec<u8>,
        missing: Vec<String>,
        tn_ved: Option<String>,
    ) -> NoticeContent {
        let day = NaiveDate::from_ymd_opt(2026, 3, 2).expect("a day");
        NoticeContent {
            format: CONTENT_FORMAT.to_string(),
            number: format!("INC-2026-{text}"),
            kind: "inclusion".into(),
            issued_on: day,
            applicant: Party {
                name: text.clone(),
                bin_iin: "880101300123".into(),
            },
            application: ApplicationRef {
                case: "ABK-2026-000001".into(),
                kind: "inclusion".into(),
                received_on: day,
                registered_on: day,
            },
            tn_ved_code: tn_ved,
            units: units
                .into_iter()
                .map(|(entry_no, th, kw, change)| NoticeUnit {
                    entry_no,
                    brand: text.clone(),
                    model: "Antminer S19".into(),
                    serial: format!("YNAHS19{entry_no:010}"),
                    hashrate_ths: th,
                    power_kw: kw,
                    change: change.map(
                        |c| serde_json::json!({"condition": c, "brand": text, "power_kw": kw}),
                    ),
                })
                .collect(),
            grounds,
            reason: (!text.is_empty()).then(|| text.clone()),
            missing,
            hearing: None,
            complaint: None,
            signer: SignerRef {
                login: "clerk".into(),
                name: text.clone(),
                position: "head".into(),
                algorithm: "ecdsa-p256".into(),
                fingerprint: "ab12".into(),
            },
        }
    }

    proptest! {
        /// The direct canonical writing is byte for byte the definition's
        /// (through a `serde_json::Value`), whatever the text and numbers.
        #[test]
        fn canonical_is_the_sorted_value(
            text in any::<String>(),
            units in proptest::collection::vec(
                (any::<i64>(), any::<f64>(), -1e9f64..1e9, proptest::option::of(any::<String>())),
                0..4,
            ),
            grounds in proptest::collection::vec(any::<u8>(), 0..3),
            missing in proptest::collection::vec(any::<String>(), 0..3),
            tn_ved in proptest::option::of(any::<String>()),
        ) {
            let c = content(text, units, grounds, missing, tn_ved);
            prop_assert_eq!(c.canonical(), c.canonical_via_value());
        }
    }
}
