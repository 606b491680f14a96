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
    streets: Streets,
    region: Vec<Region>,
}

/// The words that make a part of an address a street (`data/regions.toml`
/// `[streets]`): a street named after a city never decides the region.
#[derive(Debug, Clone, Deserialize)]
pub struct Streets {
    /// Markers written after the street's name: `Astana st.`, `Абая көшесі`.
    after: Vec<String>,
    /// Markers written before it: `ул. Сатпаева`, `пр. Назарбаева`.
    before: Vec<String>,
    /// Abbreviations of a region's word, as `[full, short]`: a region's
    /// name is also read with the short form (`Алматинская обл.`).
    abbreviations: Vec<(String, String)>,
}

struct Book {
    streets: Streets,
    regions: Vec<Region>,
}

fn book() -> &'static Book {
    static BOOK: OnceLock<Book> = OnceLock::new();
    BOOK.get_or_init(|| {
        let f = toml::from_str::<File>(REGIONS_TOML).expect("data/regions.toml parses (tested)");
        Book {
            streets: f.streets,
            regions: f.region,
        }
    })
}

/// Every region, as shipped.
pub fn all() -> &'static [Region] {
    &book().regions
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

/// Where a word is the name of a street, it is replaced by `_`: the word
/// before an "after" marker (`Astana st.`), the words after a "before" marker
/// up to a house number or the end of the part (`ул. Сатпаева 12`). The
/// address is lowercased.
fn without_streets(address: &str, streets: &Streets) -> String {
    let text = address.to_lowercase();
    let is = |list: &[String], core: &str| list.iter().any(|m| m.to_lowercase() == core);
    let mut out = String::with_capacity(text.len());
    for part in text.split_inclusive([',', ';', '\n']) {
        let (body, sep) = match part.char_indices().next_back() {
            Some((i, ',' | ';' | '\n')) => (&part[..i], &part[i..]),
            _ => (part, ""),
        };
        let mut words: Vec<String> = body.split_whitespace().map(str::to_string).collect();
        let mut masked = vec![false; words.len()];
        for i in 0..words.len() {
            let core = words[i].as_str();
            if is(&streets.after, core) {
                if i > 0 {
                    masked[i - 1] = true;
                }
            } else if is(&streets.before, core) {
                for j in i + 1..words.len().min(i + 4) {
                    if words[j].chars().next().is_some_and(|c| c.is_ascii_digit()) {
                        break;
                    }
                    masked[j] = true;
                }
            } else if streets
                .before
                .iter()
                .any(|m| m.ends_with('.') && core.starts_with(&m.to_lowercase()))
            {
                // `ул.Абая`: the marker and the name in one word.
                masked[i] = true;
            }
        }
        for (w, m) in words.iter_mut().zip(&masked) {
            if *m {
                *w = "_".to_string();
            }
        }
        out.push_str(&words.join(" "));
        out.push_str(sep);
        out.push(' ');
    }
    out
}

/// The region an address names, or `None`: a region's name first (`Pavlodar
/// region`, `Алматинская обл.`), else the locality it names (a town, or a
/// city of republican significance), whichever stands first. A street named
/// after a city (`Astana st. 12`, `ул. Сатпаева`) never decides.
pub fn of_address(address: &str) -> Option<&'static Region> {
    let book = book();
    let text = without_streets(address, &book.streets);
    let short = |n: &String| -> Vec<String> {
        let n = n.to_lowercase();
        let mut v = vec![n.clone()];
        for (full, abbr) in &book.streets.abbreviations {
            if find_word(&n, full).is_some() {
                v.push(n.replace(&full.to_lowercase(), abbr));
            }
        }
        v
    };
    let earliest = |pick: fn(&Region) -> &[String]| {
        all()
            .iter()
            .flat_map(|r| {
                pick(r)
                    .iter()
                    .flat_map(short)
                    .filter_map(|n| {
                        find_word(&text, &n).map(|at| (at, std::cmp::Reverse(n.len()), r))
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

    /// Issue 21: the locality decides, not a street named after a city.
    #[test]
    fn the_locality_decides_not_the_street() {
        let id = |a: &str| of_address(a).map(|r| r.id.as_str());
        assert_eq!(id("Ekibastuz, Astana st. 12"), Some("pavlodar"));
        assert_eq!(id("Satpayev st. 12, Ekibastuz"), Some("pavlodar"));
        assert_eq!(
            id("Алматинская обл., Карасайский р-н, с. Каскелен"),
            Some("almaty_region")
        );
        assert_eq!(id("Алматинская обл., промзона 3"), Some("almaty_region"));
        assert_eq!(id("Алматы обл., Қонаев қ."), Some("almaty_region"));
        assert_eq!(id("Qonaev, free economic zone"), Some("almaty_region"));
        assert_eq!(id("г. Экибастуз, ул. Сатпаева 12"), Some("pavlodar"));
        assert_eq!(id("ул. Астана 5, Темиртау"), Some("karaganda"));
        assert_eq!(id("Екібастұз, Астана көшесі 3"), Some("pavlodar"));
        assert_eq!(id("Astana, Kabanbay Batyr ave. 53"), Some("astana"));
        assert_eq!(id("Astana st. 12"), None);
    }
}

#[cfg(test)]
mod properties {
    use super::*;
    use proptest::prelude::*;

    /// (locality, its region) for every town and city of the data.
    fn localities() -> Vec<(String, String)> {
        let mut out = Vec::new();
        for r in all() {
            for t in &r.towns {
                out.push((t.clone(), r.id.clone()));
            }
            if ["astana", "shymkent"].contains(&r.id.as_str()) {
                out.push((r.names[0].clone(), r.id.clone()));
            }
        }
        out
    }

    proptest! {
        /// Whatever city a street is named after, and on whichever side of
        /// the locality it is written, the locality's region is the answer.
        #[test]
        fn a_street_named_after_a_city_never_decides(
            town in proptest::sample::select(localities()),
            street in proptest::sample::select(localities()),
            number in 1u32..300,
            marker in proptest::sample::select(vec!["st.", "street", "көшесі", "даңғылы", "ave."]),
            first in any::<bool>(),
        ) {
            let (town, region) = town;
            let street = format!("{} {marker} {number}", street.0);
            let address = if first {
                format!("{town}, {street}")
            } else {
                format!("{street}, {town}")
            };
            prop_assert_eq!(of_address(&address).map(|r| r.id.clone()), Some(region), "{}", address);
        }

        #[test]
        fn a_street_written_first_never_decides(
            town in proptest::sample::select(localities()),
            street in proptest::sample::select(localities()),
            number in 1u32..300,
            marker in proptest::sample::select(vec!["ул.", "улица", "пр.", "проспект"]),
        ) {
            let (town, region) = town;
            let address = format!("{marker} {} {number}, {town}", street.0);
            prop_assert_eq!(of_address(&address).map(|r| r.id.clone()), Some(region), "{}", address);
        }
    }
}
