//! Which region (oblast, or city of republican significance) a data centre's
//! address lies in (`data/regions.toml`), for the energy view (§3: the
//! country's energy security).

use std::sync::OnceLock;

use serde::Deserialize;

pub const REGIONS_TOML: &str = include_str!("../../data/regions.toml");

#[derive(Debug, Clone, Deserialize)]
pub struct Region {
    pub id: String,
    pub en: String,
    pub ru: String,
    pub kk: String,
    names: Vec<String>,
    towns: Vec<String>,
}

impl Region {
    pub fn name(&self, lang: &str) -> &str {
        match lang {
            "ru" => &self.ru,
            "kk" => &self.kk,
            _ => &self.en,
        }
    }
}

#[derive(Deserialize)]
struct File {
    region: Vec<Region>,
}

/// Every region, as shipped.
pub fn all() -> &'static [Region] {
    static ALL: OnceLock<Vec<Region>> = OnceLock::new();
    ALL.get_or_init(|| {
        toml::from_str::<File>(REGIONS_TOML)
            .expect("data/regions.toml parses (tested)")
            .region
    })
}

pub fn by_id(id: &str) -> Option<&'static Region> {
    all().iter().find(|r| r.id == id)
}

/// The first place `word` stands in `text` as a whole word (case-insensitive).
fn find_word(text: &str, word: &str) -> Option<usize> {
    let word = word.to_lowercase();
    let mut from = 0;
    while let Some(i) = text[from..].find(&word) {
        let at = from + i;
        let end = at + word.len();
        let before = text[..at].chars().next_back();
        let after = text[end..].chars().next();
        if !before.is_some_and(char::is_alphanumeric) && !after.is_some_and(char::is_alphanumeric) {
            return Some(at);
        }
        from = at + text[at..].chars().next().map_or(1, char::len_utf8);
    }
    None
}

/// The region an address names (its region first, else the first town it
/// names), or `None`.
pub fn of_address(address: &str) -> Option<&'static Region> {
    let text = address.to_lowercase();
    let earliest = |pick: fn(&Region) -> &[String]| {
        all()
            .iter()
            .flat_map(|r| {
                pick(r)
                    .iter()
                    .filter_map(|n| {
                        find_word(&text, n).map(|at| (at, std::cmp::Reverse(n.len()), r))
                    })
                    .collect::<Vec<_>>()
            })
            .min_by_key(|(at, len, _)| (*at, *len))
            .map(|(_, _, r)| r)
    };
    earliest(|r| &r.names).or_else(|| earliest(|r| &r.towns))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn regions_from_addresses() {
        assert_eq!(all().len(), 20);
        let id = |a: &str| of_address(a).map(|r| r.id.as_str());
        assert_eq!(
            id("Pavlodar region, Ekibastuz, industrial zone 4"),
            Some("pavlodar")
        );
        assert_eq!(id("Ekibastuz, GRES-1 access road 7"), Some("pavlodar"));
        assert_eq!(id("Ekibastuz, Satpayev st. 52"), Some("pavlodar"));
        assert_eq!(
            id("Almaty region, Konaev, free economic zone"),
            Some("almaty_region")
        );
        assert_eq!(id("Алматы, ул. Абая 1"), Some("almaty_city"));
        assert_eq!(id("Карагандинская область, г. Темиртау"), Some("karaganda"));
        assert_eq!(id("Теміртау, Металлургтер даңғылы 1"), Some("karaganda"));
        assert_eq!(id("Astana, industrial park 2"), Some("astana"));
        assert_eq!(id("Aksuat village"), None);
        assert_eq!(id("somewhere"), None);
    }
}
