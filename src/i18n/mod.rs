//! The console's words in Kazakh, Russian and English (Project Fluent:
//! `data/i18n/*.ftl`), with each language's plural rules (1 рабочий день,
//! 2 рабочих дня, 5 рабочих дней) and dates as `dd.mm.yyyy`.

mod message;

pub use message::Message;

/// What the faces say about the calendar's data on a day
/// ([`crate::rules::Law::calendar_warning`]): that they end soon, or that the
/// next year's calendar is not yet published.
pub fn calendar_warning(w: crate::rules::CalendarWarning) -> Message {
    use crate::rules::CalendarWarning;
    match w {
        CalendarWarning::EndsSoon { last_day, year } => Message::new("calendar-ends-soon")
            .arg("date", last_day.format("%d.%m.%Y"))
            .arg("year", year),
        CalendarWarning::Unpublished { year } => {
            Message::new("calendar-unpublished").arg("year", year)
        }
    }
}

use chrono::NaiveDate;
use fluent_bundle::{FluentArgs, FluentBundle, FluentResource, FluentValue};

/// The three languages of the console, the CLI's messages and the notices.
#[derive(clap::ValueEnum, Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Lang {
    Kk,
    Ru,
    En,
}

impl Lang {
    pub const ALL: [Lang; 3] = [Lang::Kk, Lang::Ru, Lang::En];

    /// The language's code in the catalogs, the documents and `--lang`.
    pub fn code(self) -> &'static str {
        match self {
            Lang::Kk => "kk",
            Lang::Ru => "ru",
            Lang::En => "en",
        }
    }

    /// `kk`, `ru` or `en` (exactly), else none.
    pub fn from_code(s: &str) -> Option<Lang> {
        Lang::ALL.into_iter().find(|l| l.code() == s)
    }
}

pub const CATALOGS: [(Lang, &str, &str); 3] = [
    (Lang::Kk, "kk", include_str!("../../data/i18n/kk.ftl")),
    (Lang::Ru, "ru", include_str!("../../data/i18n/ru.ftl")),
    (Lang::En, "en", include_str!("../../data/i18n/en.ftl")),
];

pub struct Tr {
    pub lang: Lang,
    bundle: FluentBundle<FluentResource>,
}

impl std::fmt::Debug for Tr {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "Tr({:?})", self.lang)
    }
}

/// The message ids of a catalog, in file order.
pub fn message_ids(source: &str) -> Vec<String> {
    let res = FluentResource::try_new(source.to_string()).unwrap_or_else(|(r, _)| r);
    res.entries()
        .filter_map(|e| match e {
            fluent_syntax::ast::Entry::Message(m) => Some(m.id.name.to_string()),
            _ => None,
        })
        .collect()
}

impl Tr {
    pub fn new(lang: Lang) -> Tr {
        let (_, tag, source) = CATALOGS
            .iter()
            .find(|(l, _, _)| *l == lang)
            .expect("every language has a catalog");
        let id: unic_langid::LanguageIdentifier = tag.parse().expect("valid tag");
        let mut bundle = FluentBundle::new(vec![id]);
        // No Unicode isolation marks: they are invisible characters a terminal
        // may draw as boxes, and our arguments are already inert.
        bundle.set_use_isolating(false);
        let res = FluentResource::try_new(source.to_string())
            .expect("catalogs parse (tests/tui.rs checks)");
        bundle
            .add_resource(res)
            .expect("no duplicate ids (tests/tui.rs checks)");
        Tr { lang, bundle }
    }

    fn format(&self, id: &str, args: Option<&FluentArgs>) -> String {
        let Some(msg) = self.bundle.get_message(id) else {
            return id.to_string();
        };
        let Some(pattern) = msg.value() else {
            return id.to_string();
        };
        let mut errors = Vec::new();
        self.bundle
            .format_pattern(pattern, args, &mut errors)
            .into_owned()
    }

    /// A message without arguments.
    pub fn t(&self, id: &str) -> String {
        self.format(id, None)
    }

    /// Whether the catalog has this message.
    pub fn has(&self, id: &str) -> bool {
        self.bundle.has_message(id)
    }

    /// A message with a number `$n` (plural-aware).
    pub fn n(&self, id: &str, n: i64) -> String {
        let mut a = FluentArgs::new();
        a.set("n", FluentValue::from(n));
        self.format(id, Some(&a))
    }

    /// A message with string arguments.
    pub fn a(&self, id: &str, args: &[(&str, &str)]) -> String {
        let mut a = FluentArgs::new();
        for (k, v) in args {
            a.set(*k, FluentValue::from(v.to_string()));
        }
        self.format(id, Some(&a))
    }

    /// The language's code (`kk`, `ru`, `en`).
    pub fn code(&self) -> &'static str {
        self.lang.code()
    }

    /// A figure with grouped thousands: `12,345.6` or `12 345,6`.
    pub fn num(&self, x: f64, decimals: usize) -> String {
        grouped(self.code(), x, decimals)
    }

    /// A declared quantity (kW, TH/s) with the decimals it was declared
    /// with, up to six: `3.276` stays `3,276` (issue 17), `104` stays `104`.
    pub fn declared(&self, x: f64) -> String {
        let s = format!("{x:.6}");
        let decimals = s
            .split_once('.')
            .map_or(0, |(_, f)| f.trim_end_matches('0').len());
        grouped(self.code(), x, decimals)
    }

    /// `dd.mm.yyyy`.
    pub fn date(&self, d: NaiveDate) -> String {
        d.format("%d.%m.%Y").to_string()
    }

    /// A paragraph of the Rules as the language cites it: `§10`, `п. 10`,
    /// `10-т.` (the data files cite `§10`, `§11–§12`).
    pub fn rule(&self, rule: &str) -> String {
        cite(self.lang, rule)
    }

    /// A word of the register translated through a prefix (`stage-`, `kind-`…),
    /// or the word itself when the catalog does not know it (a newer event kind).
    pub fn word(&self, prefix: &str, word: &str) -> String {
        let id = format!("{prefix}{word}");
        if self.has(&id) {
            self.t(&id)
        } else {
            // A word from the database the catalog does not know: inert.
            crate::rules::text::for_terminal(word, 40)
        }
    }
}

/// A paragraph of the Rules as `lang` cites it: `§10`, `п. 10`, `10-т.`
/// (the data files cite `§10`, `§11–§12`); anything else as it is.
pub fn cite(lang: Lang, rule: &str) -> String {
    let nos: Vec<&str> = rule.split('–').map(|p| p.trim_start_matches('§')).collect();
    if nos.is_empty()
        || nos
            .iter()
            .any(|n| n.is_empty() || !n.chars().all(|c| c.is_ascii_digit()))
    {
        return rule.to_string();
    }
    match lang {
        Lang::En => rule.to_string(),
        Lang::Ru => format!("п. {}", nos.join("–")),
        Lang::Kk => format!("{}-т.", nos.join("–")),
    }
}

/// A figure with `decimals` decimals and its thousands grouped, as the
/// language writes it: `12,345.6` in English, `12 345,6` in Kazakh and Russian
/// (a plain space, so that an ASCII terminal shows it too).
pub fn grouped(lang: &str, x: f64, decimals: usize) -> String {
    let s = format!("{:.*}", decimals, x.abs());
    let (int, frac) = s.split_once('.').unwrap_or((&s, ""));
    let (sep, point) = if lang == "en" { (',', '.') } else { (' ', ',') };
    let mut out = String::new();
    if x < 0.0 && s.bytes().any(|b| b.is_ascii_digit() && b != b'0') {
        out.push('-');
    }
    for (i, c) in int.chars().enumerate() {
        if i > 0 && (int.len() - i) % 3 == 0 {
            out.push(sep);
        }
        out.push(c);
    }
    if !frac.is_empty() {
        out.push(point);
        out.push_str(frac);
    }
    out
}
