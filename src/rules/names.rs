//! The names the register's acts carry, as types of their own so that a
//! login, a case number and a signer's position can never be swapped for one
//! another where a function takes several.

use std::fmt;

use serde::{Deserialize, Serialize};

/// An operating-system login, the identity every act is journaled under
/// (never an environment variable). 1–64 of `a–z A–Z 0–9 _ - .`.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(transparent)]
pub struct Login(String);

impl Login {
    /// A login as the operating system spelled it (`id -un`).
    pub fn new(s: impl Into<String>) -> Login {
        Login(s.into())
    }

    /// Whether it can be a register user's login (what `user add` accepts).
    pub fn is_valid(&self) -> bool {
        !self.0.is_empty()
            && self.0.len() <= 64
            && self
                .0
                .chars()
                .all(|c| c.is_ascii_alphanumeric() || matches!(c, '_' | '-' | '.'))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl fmt::Display for Login {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl std::ops::Deref for Login {
    type Target = str;
    fn deref(&self) -> &str {
        &self.0
    }
}

impl From<&str> for Login {
    fn from(s: &str) -> Login {
        Login::new(s)
    }
}

/// A case's number (`ABK-2025-000001`) or a complaint's (`CMP-2025-000001`),
/// in its canonical form: trimmed, upper case (`abk-2025-000001` typed by a
/// clerk names the same case).
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(transparent)]
pub struct CaseNumber(String);

impl CaseNumber {
    pub fn new(s: &str) -> CaseNumber {
        CaseNumber(s.trim().to_ascii_uppercase())
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl fmt::Display for CaseNumber {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl std::ops::Deref for CaseNumber {
    type Target = str;
    fn deref(&self) -> &str {
        &self.0
    }
}

impl From<&str> for CaseNumber {
    fn from(s: &str) -> CaseNumber {
        CaseNumber::new(s)
    }
}

impl From<String> for CaseNumber {
    fn from(s: String) -> CaseNumber {
        CaseNumber::new(&s)
    }
}

impl From<&String> for CaseNumber {
    fn from(s: &String) -> CaseNumber {
        CaseNumber::new(s)
    }
}

/// The position a signer holds (§13: the provider's authorized person; §14:
/// the head of the structural unit or the person acting for them).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Position {
    Head,
    Deputy,
    Authorized,
}

impl Position {
    pub const ALL: [Position; 3] = [Position::Head, Position::Deputy, Position::Authorized];

    /// The code the journal, the notices and `--position` use.
    pub fn as_str(self) -> &'static str {
        match self {
            Position::Head => "head",
            Position::Deputy => "deputy",
            Position::Authorized => "authorized",
        }
    }

    pub fn parse(s: &str) -> Option<Position> {
        Position::ALL.into_iter().find(|p| p.as_str() == s)
    }
}

impl fmt::Display for Position {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn case_numbers_are_canonical() {
        assert_eq!(
            CaseNumber::new(" abk-2025-000001 ").as_str(),
            "ABK-2025-000001"
        );
        assert_eq!(
            CaseNumber::from("cmp-2025-000002"),
            CaseNumber::new("CMP-2025-000002")
        );
    }

    #[test]
    fn logins_are_what_user_add_accepts() {
        assert!(Login::new("saule.k").is_valid());
        assert!(!Login::new("").is_valid());
        assert!(!Login::new("a b").is_valid());
        assert!(!Login::new("x".repeat(65)).is_valid());
    }

    #[test]
    fn positions_round_trip() {
        for p in Position::ALL {
            assert_eq!(Position::parse(p.as_str()), Some(p));
        }
        assert_eq!(Position::parse("boss"), None);
    }
}
