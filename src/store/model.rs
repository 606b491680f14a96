//! The application as the register keeps it (Appendices 2, 3, 4 and 9), after
//! intake has validated and normalised it.

use chrono::{DateTime, NaiveDate, Utc};
use serde::{Deserialize, Serialize};

use crate::rules::{CaseKind, Channel, Condition};

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Application {
    pub kind: CaseKind,
    pub channel: Channel,
    pub received_at: DateTime<Utc>,
    pub applicant: Applicant,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub data_center: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub tn_ved_code: Option<String>,
    #[serde(default)]
    pub units: Vec<Unit>,
    #[serde(default)]
    pub documents: Vec<Document>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub change: Option<ChangeNotice>,
    /// The portal's own request number, if it gave one: a resubmission of the
    /// same request is recognised by it (`store::dedup`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub request_no: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Applicant {
    pub name: String,
    pub bin_iin: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub legal_address: Option<String>,
    pub phone: String,
    pub email: String,
    pub personal_data_consent: bool,
}

/// One row of Appendix 3. For an inclusion every field but the declaration
/// number is present; an exclusion names serials only; a change gives the
/// serial and the fields in their new wording.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Unit {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub brand: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub model: Option<String>,
    pub serial: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub hashrate_ths: Option<f64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub power_kw: Option<f64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub declaration_no: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub condition: Option<Condition>,
}

crate::word_enum! {
    /// Kinds of supporting document (Appendix 5, "documents").
    DocumentKind {
        /// Ownership or other legal right to the ABK at the mining site (App. 2 item 9).
        OwnershipProof = "ownership_proof",
        /// The lease / use / sale term ended, or the ABK was disposed of (App. 5, exclusion).
        EndOfRightProof = "end_of_right_proof",
        /// The document behind a change of register data (App. 9).
        ChangeBasis = "change_basis",
        PowerOfAttorney = "power_of_attorney",
        Other = "other",
    }
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Document {
    pub kind: DocumentKind,
    pub name: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub valid_until: Option<NaiveDate>,
}

/// Appendix 9: when the data changed and why.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ChangeNotice {
    pub changed_on: NaiveDate,
    pub reason: String,
}

impl Application {
    /// What makes the package incomplete (§9, Appendix 5): the required
    /// document missing, or expired on the day the application was received.
    /// An incomplete package is registered, and the §9 clock runs for it.
    pub fn missing_documents(&self, received_on: NaiveDate) -> Vec<String> {
        self.missing(received_on)
            .iter()
            .map(Missing::code)
            .collect()
    }

    /// [`Application::missing_documents`], typed.
    pub fn missing(&self, received_on: NaiveDate) -> Vec<Missing> {
        missing_in(self.kind, &self.documents, received_on)
    }
}

/// What a package of `kind` holding `documents` lacks on `on` (§9, Appendix
/// 5): the required document missing, or every one of them expired by then.
/// Registration asks it on the day received; a reopened case, an attached
/// document and an inclusion (issue 21) ask it again on their own day.
pub fn missing_in(kind: CaseKind, documents: &[Document], on: NaiveDate) -> Vec<Missing> {
    let required = match kind {
        CaseKind::Inclusion => DocumentKind::OwnershipProof,
        CaseKind::Exclusion => DocumentKind::EndOfRightProof,
        CaseKind::Change => return Vec::new(),
    };
    let docs: Vec<&Document> = documents.iter().filter(|d| d.kind == required).collect();
    if docs.is_empty() {
        return vec![Missing::NotSubmitted(required)];
    }
    if docs.iter().any(|d| d.valid_until.is_none_or(|v| v >= on)) {
        return Vec::new();
    }
    docs.iter()
        .filter_map(|d| d.valid_until)
        .map(|valid_until| Missing::Expired {
            kind: required,
            valid_until,
        })
        .collect()
}

/// What an incomplete package lacks (§9), as the register stores it: a code
/// naming the document kind (`ownership_proof`, or
/// `ownership_proof:expired:2024-03-19`), which each face renders through the
/// catalogs in its own language. Registers written before codes hold English
/// text (`ownership_proof: not submitted`, `documents[0] ownership_proof:
/// expired on 2024-03-19 (received …)`): [`Missing::parse`] reads those too.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Missing {
    /// The required document was not submitted.
    NotSubmitted(DocumentKind),
    /// The document was submitted, but had expired when it was received.
    Expired {
        kind: DocumentKind,
        valid_until: NaiveDate,
    },
    /// A text this version cannot read (shown inert, as stored).
    Other(String),
}

impl Missing {
    /// The code the journal and the database hold.
    pub fn code(&self) -> String {
        match self {
            Missing::NotSubmitted(k) => k.as_str().to_string(),
            Missing::Expired { kind, valid_until } => format!("{kind}:expired:{valid_until}"),
            Missing::Other(s) => s.clone(),
        }
    }

    /// Reads a stored code, or the English text of an older register.
    pub fn parse(s: &str) -> Missing {
        let s = s.trim();
        if let Some(k) = DocumentKind::parse(s) {
            return Missing::NotSubmitted(k);
        }
        if let Some((k, d)) = s.split_once(":expired:")
            && let (Some(kind), Ok(valid_until)) = (DocumentKind::parse(k), d.parse())
        {
            return Missing::Expired { kind, valid_until };
        }
        // Older registers: `ownership_proof: not submitted`.
        if let Some(k) = s
            .strip_suffix(": not submitted")
            .and_then(DocumentKind::parse)
        {
            return Missing::NotSubmitted(k);
        }
        // Older registers: `documents[0] ownership_proof: expired on 2024-03-19 (received …)`.
        if let Some((head, tail)) = s.split_once(": expired on ") {
            let kind = head.rsplit(' ').next().and_then(DocumentKind::parse);
            let day = tail.split(' ').next().and_then(|d| d.parse().ok());
            if let (Some(kind), Some(valid_until)) = (kind, day) {
                return Missing::Expired { kind, valid_until };
            }
        }
        Missing::Other(s.to_string())
    }

    /// The words of a language's catalog: `«меншік (өзге заңды) құқықты
    /// растайтын құжат» құжаты берілмеген`.
    pub fn words(&self, tr: &crate::i18n::Tr) -> String {
        match self {
            Missing::NotSubmitted(k) => {
                tr.a("intake-missing", &[("doc", &tr.word("doc-", k.as_str()))])
            }
            Missing::Expired { kind, valid_until } => tr.a(
                "missing-expired",
                &[
                    ("doc", &tr.word("doc-", kind.as_str())),
                    ("date", &tr.date(*valid_until)),
                ],
            ),
            Missing::Other(s) => crate::rules::text::for_terminal(s, 200),
        }
    }

    /// A stored list in a language's words, joined with `; `.
    pub fn list_words(stored: &[String], tr: &crate::i18n::Tr) -> String {
        stored
            .iter()
            .map(|m| Missing::parse(m).words(tr))
            .collect::<Vec<_>>()
            .join("; ")
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::i18n::{Lang, Tr};

    /// §9's list as codes, and an older register's English text read alike.
    #[test]
    fn missing_codes_and_older_english_text() {
        let d = NaiveDate::from_ymd_opt(2024, 3, 19).unwrap();
        let expired = Missing::Expired {
            kind: DocumentKind::OwnershipProof,
            valid_until: d,
        };
        assert_eq!(expired.code(), "ownership_proof:expired:2024-03-19");
        for (stored, want) in [
            (
                "ownership_proof",
                Missing::NotSubmitted(DocumentKind::OwnershipProof),
            ),
            (
                "ownership_proof: not submitted",
                Missing::NotSubmitted(DocumentKind::OwnershipProof),
            ),
            ("ownership_proof:expired:2024-03-19", expired.clone()),
            (
                "documents[0] ownership_proof: expired on 2024-03-19 (received 2024-03-20)",
                expired.clone(),
            ),
        ] {
            assert_eq!(Missing::parse(stored), want, "{stored}");
        }
        assert_eq!(
            Missing::parse("a\u{1b}[31m text"),
            Missing::Other("a\u{1b}[31m text".into())
        );
        let kk = Tr::new(Lang::Kk);
        let ru = Tr::new(Lang::Ru);
        let old = ["ownership_proof: not submitted".to_string()];
        assert_eq!(
            Missing::list_words(&old, &kk),
            "меншік (өзге заңды) құқықты растайтын құжат берілмеген"
        );
        assert_eq!(
            Missing::list_words(&[expired.code()], &ru),
            "документ о праве собственности (ином законном праве): срок действия истек 19.03.2024"
        );
        // Text it cannot read is shown inert: no escape reaches the terminal.
        assert!(!Missing::list_words(&["a\u{1b}[31m".into()], &ru).contains('\u{1b}'));
    }
}
