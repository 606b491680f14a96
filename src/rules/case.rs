//! Kinds of application, stages of a case and the transitions the Rules allow.

use serde::{Deserialize, Serialize};

#[macro_export]
#[doc(hidden)]
macro_rules! word_enum {
    ($(#[$m:meta])* $name:ident { $($(#[$vm:meta])* $variant:ident = $word:literal),+ $(,)? }) => {
        $(#[$m])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
        #[serde(rename_all = "snake_case")]
        pub enum $name { $($(#[$vm])* $variant),+ }

        impl $name {
            pub const ALL: &'static [$name] = &[$($name::$variant),+];

            /// The word used in JSON, the database and the CLI.
            pub fn as_str(self) -> &'static str {
                match self { $($name::$variant => $word),+ }
            }

            pub fn parse(s: &str) -> Option<Self> {
                match s { $($word => Some($name::$variant),)+ _ => None }
            }

            /// The accepted words, for error messages.
            pub fn words() -> String {
                [$($word),+].join(", ")
            }
        }

        impl std::fmt::Display for $name {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str(self.as_str())
            }
        }
    };
}

word_enum! {
    /// What the application asks for (§6).
    CaseKind { Inclusion = "inclusion", Exclusion = "exclusion", Change = "change" }
}

word_enum! {
    /// Where it was filed (§7).
    Channel { Portal = "portal", Office = "office" }
}

word_enum! {
    /// Where a case stands.
    Stage {
        /// Registered with an incomplete package or expired documents: §9 refusal due.
        Incomplete = "incomplete",
        /// Complete package, being checked (§10, §14, §15).
        UnderReview = "under_review",
        /// Preliminary refusal: hearing notice sent (§11, §12).
        HearingNotified = "hearing_notified",
        /// Hearing held; decision pending (§13).
        HearingHeld = "hearing_held",
        /// Notification of inclusion issued (§13, App. 7).
        Included = "included",
        /// Notification of exclusion issued (§14, App. 8).
        Excluded = "excluded",
        /// Register amended after a change notice (§15).
        Amended = "amended",
        /// Reasoned refusal after a hearing (§13, App. 6).
        Refused = "refused",
        /// Reasoned refusal to consider an incomplete package (§9).
        RefusedIncomplete = "refused_incomplete",
    }
}

impl Stage {
    /// The stages at which a case still waits for the provider: the one list
    /// every query and guard uses.
    pub const OPEN: &'static [Stage] = &[
        Stage::Incomplete,
        Stage::UnderReview,
        Stage::HearingNotified,
        Stage::HearingHeld,
    ];

    /// Whether the case still waits for the provider.
    pub fn is_open(self) -> bool {
        Stage::OPEN.contains(&self)
    }

    /// `'incomplete','under_review',…` for an SQL `IN (…)` over the open stages.
    pub fn open_sql_list() -> String {
        Stage::OPEN
            .iter()
            .map(|s| format!("'{}'", s.as_str()))
            .collect::<Vec<_>>()
            .join(",")
    }
}

word_enum! {
    /// Kinds of a unit's register status.
    UnitStatus { Pending = "pending", Included = "included", Excluded = "excluded", Refused = "refused" }
}

word_enum! {
    /// Condition of an ABK (Appendix 3).
    Condition { Serviceable = "serviceable", Unserviceable = "unserviceable" }
}

word_enum! {
    /// Who a complaint is addressed to (§17–§20).
    ComplaintBody {
        /// The service provider itself (§19: 5 working days).
        Provider = "provider",
        /// The authorized body for assessing and controlling the quality of
        /// state services: forwarded within 3 working days (§18), decided
        /// there within 15 (§20).
        QualityBody = "quality_body",
        /// §17: the superior administrative body: forwarded within 3 working
        /// days (§18); the Rules give it no term of its own.
        SuperiorBody = "superior_body",
        /// §17: the official: forwarded within 3 working days (§18); the
        /// Rules give no term of their own.
        Official = "official",
    }
}

impl ComplaintBody {
    /// §17–§18: a complaint body the provider forwards the complaint to
    /// (every one but the provider itself), unless it grants it in full
    /// within the 3 working days.
    pub fn forwarded_to(self) -> bool {
        self != ComplaintBody::Provider
    }
}

word_enum! {
    /// Where a complaint stands.
    ComplaintStatus { Received = "received", Forwarded = "forwarded", Decided = "decided" }
}

word_enum! {
    /// Operating-system logins map to one of these (DESIGN.md).
    Role { Operator = "operator", Clerk = "clerk", Supervisor = "supervisor", Admin = "admin" }
}

/// A decision that closes a case, and the stage it leads to.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Outcome {
    Included,
    Excluded,
    Amended,
    Refused,
    RefusedIncomplete,
}

impl Outcome {
    pub fn stage(self) -> Stage {
        match self {
            Outcome::Included => Stage::Included,
            Outcome::Excluded => Stage::Excluded,
            Outcome::Amended => Stage::Amended,
            Outcome::Refused => Stage::Refused,
            Outcome::RefusedIncomplete => Stage::RefusedIncomplete,
        }
    }

    /// The word used in JSON and the database (`refused_incomplete`).
    pub fn as_str(self) -> &'static str {
        match self {
            Outcome::Included => "included",
            Outcome::Excluded => "excluded",
            Outcome::Amended => "amended",
            Outcome::Refused => "refused",
            Outcome::RefusedIncomplete => "refused_incomplete",
        }
    }

    // `Outcome::allowed` (may this decision close the case?) is with the act
    // table and its `NotAllowed`, in workflow.rs.
}

/// The positions a signer holds (§13: the provider's authorized person; §14:
/// the head of the structural unit or the person acting for them), as codes
/// the documents translate.
pub const POSITIONS: [&str; 3] = ["head", "deputy", "authorized"];

pub const POSITIONS_TOML: &str = include_str!("../../data/positions.toml");

/// A position as `data/positions.toml` words it, and the notices it signs.
#[derive(Debug, Clone, Deserialize)]
pub struct PositionWords {
    pub code: String,
    pub kk: String,
    pub ru: String,
    pub en: String,
    /// The notice kinds (`inclusion`, `exclusion`, …) it may sign.
    pub signs: Vec<String>,
    pub source: String,
}

#[derive(Debug, Deserialize)]
struct PositionsFile {
    position: Vec<PositionWords>,
}

/// Every position of `data/positions.toml`, checked against [`POSITIONS`].
pub fn positions() -> &'static [PositionWords] {
    static ALL: std::sync::OnceLock<Vec<PositionWords>> = std::sync::OnceLock::new();
    ALL.get_or_init(|| {
        let f: PositionsFile =
            toml::from_str(POSITIONS_TOML).expect("data/positions.toml parses (tested)");
        f.position
    })
}

impl crate::rules::Position {
    /// The law's words for the position in a language (`kk`, `ru`, `en`).
    pub fn words(self, lang: &str) -> &'static str {
        let p = positions()
            .iter()
            .find(|p| p.code == self.as_str())
            .expect("every position is in data/positions.toml (tested)");
        match lang {
            "kk" => &p.kk,
            "ru" => &p.ru,
            _ => &p.en,
        }
    }

    /// Whether a signer in this position may sign a notice of `kind` (§13,
    /// §14: Appendix 8 only the head of the structural unit or the person
    /// acting for them).
    pub fn signs(self, kind: &str) -> bool {
        positions()
            .iter()
            .any(|p| p.code == self.as_str() && p.signs.iter().any(|k| k == kind))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn outcome_words_are_the_serialised_ones() {
        for o in [
            Outcome::Included,
            Outcome::Excluded,
            Outcome::Amended,
            Outcome::Refused,
            Outcome::RefusedIncomplete,
        ] {
            assert_eq!(serde_json::to_value(o).unwrap(), o.as_str());
        }
    }

    #[test]
    fn positions_are_data_in_three_languages() {
        use crate::rules::Position;
        let codes: Vec<&str> = positions().iter().map(|p| p.code.as_str()).collect();
        assert_eq!(codes, POSITIONS);
        for p in Position::ALL {
            for lang in ["kk", "ru", "en"] {
                assert!(!p.words(lang).is_empty(), "{p} {lang}");
            }
        }
        assert_eq!(Position::Head.words("kk"), "Құрылымдық бөлімшенің басшысы");
        // §14: Appendix 8 is the head's or the acting head's to sign.
        assert!(Position::Head.signs("exclusion"));
        assert!(Position::Deputy.signs("exclusion"));
        assert!(!Position::Authorized.signs("exclusion"));
        assert!(Position::Authorized.signs("inclusion"));
        let kinds = [
            "inclusion",
            "exclusion",
            "amendment",
            "refusal",
            "refusal_incomplete",
        ];
        for p in positions() {
            assert!(
                p.signs.iter().all(|k| kinds.contains(&k.as_str())),
                "{}",
                p.code
            );
        }
    }

    #[test]
    fn words_round_trip() {
        for s in Stage::ALL {
            assert_eq!(Stage::parse(s.as_str()), Some(*s));
        }
        assert_eq!(Role::parse("boss"), None);
    }
}
