//! The six grounds for refusal of Appendix 5 (`data/grounds.toml`),
//! effective-dated, in the law's words in Kazakh, Russian and English.

use chrono::NaiveDate;
use serde::Deserialize;

use super::RulesError;

/// Why a list of grounds was refused.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum GroundsError {
    /// No edition of Appendix 5 was in force on the day.
    #[error(transparent)]
    NoEdition(#[from] RulesError),
    /// The number names no ground of the edition in force (`count` grounds,
    /// in force from `edition`).
    #[error(
        "Appendix 5 has grounds 1–{count} (edition of {}); there is no ground {no}",
        edition.format("%d.%m.%Y")
    )]
    NoSuchGround {
        no: u8,
        count: usize,
        edition: NaiveDate,
    },
}

pub const GROUNDS_TOML: &str = include_str!("../../data/grounds.toml");

#[derive(Debug, Clone, Deserialize)]
pub struct Ground {
    pub no: u8,
    pub en: String,
    pub ru: String,
    pub kk: String,
    /// Where each wording comes from: `quoted` (verbatim from the official
    /// text of the order), `reconstructed` (no official text of the language
    /// at hand) or `translation` (tizilim's working English).
    pub kk_source: String,
    pub ru_source: String,
    pub en_source: String,
}

/// The provenances a wording may have (`data/grounds.toml`).
pub const SOURCES: [&str; 3] = ["quoted", "reconstructed", "translation"];

impl Ground {
    /// The wording in a language (`en`, `ru`, `kk`); English otherwise.
    pub fn wording(&self, lang: &str) -> &str {
        match lang {
            "ru" => &self.ru,
            "kk" => &self.kk,
            _ => &self.en,
        }
    }
}

#[derive(Debug, Clone, Deserialize)]
pub struct GroundsEdition {
    #[serde(deserialize_with = "super::toml_date")]
    pub effective_from: NaiveDate,
    pub act: String,
    #[serde(rename = "ground")]
    pub grounds: Vec<Ground>,
}

#[derive(Debug, Deserialize)]
struct GroundsFile {
    edition: Vec<GroundsEdition>,
}

/// Every edition of the grounds catalog.
#[derive(Debug, Clone)]
pub struct GroundsBook {
    editions: Vec<GroundsEdition>,
}

impl GroundsBook {
    pub fn embedded() -> Result<Self, RulesError> {
        Self::parse(GROUNDS_TOML)
    }

    pub fn parse(text: &str) -> Result<Self, RulesError> {
        let file: GroundsFile =
            toml::from_str(text).map_err(|e| RulesError::Data(format!("grounds.toml: {e}")))?;
        let mut editions = file.edition;
        if editions.is_empty() {
            return Err(RulesError::Data("grounds.toml: no [[edition]]".into()));
        }
        editions.sort_by_key(|e| e.effective_from);
        for ed in &editions {
            for (i, g) in ed.grounds.iter().enumerate() {
                if usize::from(g.no) != i + 1
                    || [&g.en, &g.ru, &g.kk].iter().any(|w| w.is_empty())
                    || [&g.kk_source, &g.ru_source, &g.en_source]
                        .iter()
                        .any(|s| !SOURCES.contains(&s.as_str()))
                {
                    return Err(RulesError::Data(format!(
                        "grounds.toml ({}): ground {} must be numbered {} with kk, ru and en wording, each with its source (quoted, reconstructed or translation)",
                        ed.effective_from,
                        g.no,
                        i + 1
                    )));
                }
            }
        }
        Ok(GroundsBook { editions })
    }

    /// The catalog in force on a day.
    pub fn on(&self, day: NaiveDate) -> Result<&GroundsEdition, RulesError> {
        let i = self.editions.partition_point(|e| e.effective_from <= day);
        if i == 0 {
            return Err(RulesError::NoEdition(day, self.editions[0].effective_from));
        }
        Ok(&self.editions[i - 1])
    }

    /// Checks that every number names a ground in force on `day`; returns them
    /// sorted, without repeats.
    pub fn check(&self, day: NaiveDate, nos: &[u8]) -> Result<Vec<u8>, GroundsError> {
        let ed = self.on(day)?;
        let mut out = Vec::with_capacity(nos.len());
        for n in nos {
            if !ed.grounds.iter().any(|g| g.no == *n) {
                return Err(GroundsError::NoSuchGround {
                    no: *n,
                    count: ed.grounds.len(),
                    edition: ed.effective_from,
                });
            }
            out.push(*n);
        }
        out.sort_unstable();
        out.dedup();
        Ok(out)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn six_grounds_in_three_languages() {
        let book = GroundsBook::embedded().unwrap();
        let ed = book
            .on(NaiveDate::from_ymd_opt(2024, 3, 1).unwrap())
            .unwrap();
        assert_eq!(ed.grounds.len(), 6);
        assert!(ed.grounds[5].ru.contains("персональным данным"));
        assert!(ed.grounds[5].kk.contains("дербес деректер"));
        let day = NaiveDate::from_ymd_opt(2024, 3, 1).unwrap();
        assert_eq!(book.check(day, &[3, 1, 3]).unwrap(), vec![1, 3]);
        let e = book.check(day, &[7]).unwrap_err();
        assert!(matches!(
            e,
            GroundsError::NoSuchGround {
                no: 7,
                count: 6,
                ..
            }
        ));
        assert!(e.to_string().contains("no ground 7"), "{e}");
    }

    /// The corrections of issue 21, read against the official Kazakh text.
    #[test]
    fn the_kazakh_grounds_are_the_official_text() {
        let book = GroundsBook::embedded().unwrap();
        let ed = book
            .on(NaiveDate::from_ymd_opt(2024, 3, 1).unwrap())
            .unwrap();
        let kk = |n: usize| ed.grounds[n - 1].kk.as_str();
        assert!(kk(1).ends_with("дәйексіздігін анықтау"), "{}", kk(1));
        assert!(!kk(3).contains("алушыға қатысты"), "{}", kk(3));
        assert!(!kk(3).ends_with("болуы"), "{}", kk(3));
        assert!(kk(4).contains("белгілі бір"), "{}", kk(4));
        assert!(kk(4).ends_with("сот шешімі (үкімі) бар"), "{}", kk(4));
        assert!(kk(5).contains("шешімі бар") && kk(5).ends_with("айырылады"));
        assert!(kk(6).ends_with("ұсынылатын келісімінің болмауы"));
        assert!(ed.grounds[3].ru.contains("определенной"));
        for g in &ed.grounds {
            assert_eq!(
                (g.kk_source.as_str(), g.ru_source.as_str()),
                ("quoted", "reconstructed")
            );
        }
    }
}
