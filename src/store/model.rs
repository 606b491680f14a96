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
        let required = match self.kind {
            CaseKind::Inclusion => Some(DocumentKind::OwnershipProof),
            CaseKind::Exclusion => Some(DocumentKind::EndOfRightProof),
            CaseKind::Change => None,
        };
        let Some(required) = required else {
            return Vec::new();
        };
        let docs: Vec<(usize, &Document)> = self
            .documents
            .iter()
            .enumerate()
            .filter(|(_, d)| d.kind == required)
            .collect();
        if docs.is_empty() {
            return vec![format!("{required}: not submitted")];
        }
        if docs
            .iter()
            .any(|(_, d)| d.valid_until.is_none_or(|v| v >= received_on))
        {
            return Vec::new();
        }
        docs.iter()
            .map(|(i, d)| {
                format!(
                    "documents[{i}] {required}: expired on {} (received {received_on})",
                    d.valid_until.expect("checked above")
                )
            })
            .collect()
    }
}
