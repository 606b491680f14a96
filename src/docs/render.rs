//! Renderings of a signed notice: plain text (the console, e-mail) and a
//! self-contained HTML page (embedded CSS, A4, no fonts or scripts from
//! outside). Both are a pure function of the signed content, the signature
//! and the language, so `doc verify` can render again and compare.

use std::collections::HashMap;
use std::sync::OnceLock;

use base64::Engine;
use chrono::{Datelike, NaiveDate};

use super::NoticeContent;

pub const NOTICES_TOML: &str = include_str!("../../data/docs/notices.toml");
pub const LANGS: [&str; 3] = ["kk", "ru", "en"];
const WIDTH: usize = 78;

/// The wording of one language (`data/docs/notices.toml`).
pub struct Phrases(HashMap<String, String>);

impl Phrases {
    pub fn get<'a>(&'a self, key: &'a str) -> &'a str {
        self.0.get(key).map(String::as_str).unwrap_or(key)
    }

    fn fill(&self, key: &str, args: &[(&str, &str)]) -> String {
        let mut s = self.get(key).to_string();
        for (k, v) in args {
            // A value that ends a sentence itself (`2023 г.`) takes the
            // template's full stop: one period, not `г..`.
            if v.ends_with('.') {
                s = s.replace(&format!("{{{k}}}."), v);
            }
            s = s.replace(&format!("{{{k}}}"), v);
        }
        s
    }
}

/// The phrases of `lang` (`kk`, `ru`, `en`).
pub fn phrases(lang: &str) -> &'static Phrases {
    static ALL: OnceLock<HashMap<String, Phrases>> = OnceLock::new();
    let all = ALL.get_or_init(|| {
        let t: HashMap<String, HashMap<String, String>> =
            toml::from_str(NOTICES_TOML).expect("data/docs/notices.toml parses (tested)");
        t.into_iter().map(|(k, v)| (k, Phrases(v))).collect()
    });
    all.get(lang).or_else(|| all.get("en")).expect("en phrases")
}

const MONTHS_RU: [&str; 12] = [
    "января",
    "февраля",
    "марта",
    "апреля",
    "мая",
    "июня",
    "июля",
    "августа",
    "сентября",
    "октября",
    "ноября",
    "декабря",
];
const MONTHS_KK: [&str; 12] = [
    "қаңтар",
    "ақпан",
    "наурыз",
    "сәуір",
    "мамыр",
    "маусым",
    "шілде",
    "тамыз",
    "қыркүйек",
    "қазан",
    "қараша",
    "желтоқсан",
];

/// The locative ending of each Kazakh month by vowel harmony and its last
/// sound: `қарашада`, `шілдеде`, `қыркүйекте`. The attributive adds
/// `ғы`/`гі` to it: `тамыздағы`, `қыркүйектегі`.
const MONTHS_KK_LOCATIVE: [&str; 12] = [
    "да", "да", "да", "де", "да", "да", "де", "да", "те", "да", "да", "да",
];

/// The grammatical case a date stands in (Kazakh changes the month's
/// ending; Russian and English write one form).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DateCase {
    /// `2026 жылғы 18 қараша` (a heading, the number line).
    Plain,
    /// `2023 жылғы 13 тамыздағы` (an application *of* the date).
    Of,
    /// `2026 жылғы 23 қарашада` (done *on* the date).
    On,
}

/// A date as the language writes it: `18.11.2026`, `2026 жылғы 18 қараша`,
/// `18 ноября 2026 г.` — with no-break spaces, so a line never splits a date.
pub fn date(lang: &str, d: NaiveDate) -> String {
    date_in(lang, d, DateCase::Plain)
}

/// A date in a grammatical case (Kazakh: `13 тамыздағы`, `23 қарашада`).
pub fn date_in(lang: &str, d: NaiveDate, case: DateCase) -> String {
    let m = d.month0() as usize;
    match lang {
        "ru" => format!(
            "{}\u{a0}{}\u{a0}{}\u{a0}г.",
            d.day(),
            MONTHS_RU[m],
            d.year()
        ),
        "kk" => {
            let loc = MONTHS_KK_LOCATIVE[m];
            let ending = match case {
                DateCase::Plain => String::new(),
                DateCase::On => loc.to_string(),
                DateCase::Of if loc == "да" => "дағы".to_string(),
                DateCase::Of => format!("{loc}гі"),
            };
            format!(
                "{}\u{a0}жылғы {}\u{a0}{}{ending}",
                d.year(),
                d.day(),
                MONTHS_KK[m]
            )
        }
        _ => d.format("%d.%m.%Y").to_string(),
    }
}

/// A name in the Kazakh dative, its ending after a hyphen as names and
/// abbreviations take it (`«Альфа» ЖШС-ға`, `Есенов Б.-ге`): the ending follows
/// the last vowel (back `ға`/`қа`, front `ге`/`ке`) and the last letter
/// (after a voiceless consonant `қа`/`ке`). A name ending in no letter (a
/// quote, a figure) reads by its last letter.
pub fn kk_dative(name: &str) -> String {
    const FRONT: &str = "әеіөүиэeiöüäэ";
    const BACK: &str = "аоұыуяюёaouy";
    const VOICELESS: &str = "кқпстфхцчшщkpstfhcq";
    let letters: Vec<char> = name
        .chars()
        .filter(|c| c.is_alphabetic())
        .flat_map(char::to_lowercase)
        .collect();
    let front = letters
        .iter()
        .rev()
        .find(|c| FRONT.contains(**c) || BACK.contains(**c))
        .is_some_and(|c| FRONT.contains(*c));
    let voiceless = letters.last().is_some_and(|c| VOICELESS.contains(*c));
    let ending = match (front, voiceless) {
        (false, false) => "ға",
        (false, true) => "қа",
        (true, false) => "ге",
        (true, true) => "ке",
    };
    format!("{}-{ending}", name.trim_end())
}

/// A quantity as declared, to at most six decimals (3.276 kW stays 3,276),
/// a decimal comma in kk and ru.
pub fn number(lang: &str, x: f64) -> String {
    let s = format!("{x:.6}");
    let s = s.trim_end_matches('0').trim_end_matches('.').to_string();
    if lang == "en" { s } else { s.replace('.', ",") }
}

pub use crate::i18n::grouped;

/// The signature and what it covers, as carried by every rendering.
pub struct Seal<'a> {
    pub signature_b64: &'a str,
    pub canonical: &'a str,
}

/// The verification block (plain text, ASCII data under localized labels).
pub fn block(c: &NoticeContent, seal: &Seal, lang: &str) -> String {
    let (head, content) = block_parts(c, seal, lang);
    head + &content
}

/// The block's head (number, language, signer, key, signature) and its tail
/// (the signed content and the end marker). The HTML page prints the head and
/// keeps the tail on screen only.
fn block_parts(c: &NoticeContent, seal: &Seal, lang: &str) -> (String, String) {
    let p = phrases(lang);
    let content = base64::engine::general_purpose::STANDARD.encode(seal.canonical);
    let mut s = String::new();
    s.push_str(p.get("block_begin"));
    s.push('\n');
    for (label, value) in [
        ("block_document", c.number.clone()),
        ("block_language", lang.to_string()),
        ("block_signer", c.signer.login.clone()),
        (
            "block_key",
            format!("{} {}", c.signer.algorithm, c.signer.fingerprint),
        ),
        ("block_signature", seal.signature_b64.to_string()),
    ] {
        s.push_str(&format!("{}: {value}\n", p.get(label)));
    }
    let mut tail = format!("{}:\n", p.get("block_content"));
    for chunk in content.as_bytes().chunks(76) {
        tail.push_str(std::str::from_utf8(chunk).expect("base64 is ASCII"));
        tail.push('\n');
    }
    tail.push_str(p.get("block_end"));
    tail.push('\n');
    (s, tail)
}

fn title_key(c: &NoticeContent) -> &'static str {
    match c.kind.as_str() {
        "inclusion" => "title_inclusion",
        "exclusion" => "title_exclusion",
        "amendment" => "title_amendment",
        "hearing" => "title_hearing",
        "complaint_decision" => "title_complaint_decision",
        _ => "title_refusal",
    }
}

/// The heading of the reasons: a refusal's, a preliminary decision's, a
/// complaint decision's.
fn reasons_key(c: &NoticeContent) -> &'static str {
    match c.kind.as_str() {
        "hearing" => "reasons_hearing",
        "complaint_decision" => "reasons_complaint",
        _ => "reasons",
    }
}

/// The grounds of Appendix 5 named by number, in the notice's language (the
/// edition of the case's registration day).
fn ground_lines(c: &NoticeContent, lang: &str) -> Vec<String> {
    let book = crate::rules::grounds::GroundsBook::embedded().ok();
    c.grounds
        .iter()
        .map(|g| {
            let wording = book
                .as_ref()
                .and_then(|b| b.on(c.application.registered_on).ok())
                .and_then(|ed| ed.grounds.iter().find(|x| x.no == *g))
                .map(|x| x.wording(lang).to_string())
                .unwrap_or_default();
            format!("{g}) {wording}")
        })
        .collect()
}

/// What follows the reasons: the hearing's time and place and how to state a
/// position (§11–§12).
fn closing(c: &NoticeContent, lang: &str) -> Vec<String> {
    let p = phrases(lang);
    let Some(h) = &c.hearing else {
        return Vec::new();
    };
    vec![
        p.fill(
            "hearing_when",
            &[
                ("date", &date(lang, h.at.date())),
                ("time", &h.at.format("%H:%M").to_string()),
                ("place", &h.place),
            ],
        ),
        p.get("hearing_position").to_string(),
    ]
}

/// The paragraphs of the body, in order.
fn body(c: &NoticeContent, lang: &str) -> Vec<String> {
    let p = phrases(lang);
    let issuer = p.get("issuer");
    let applied = date_in(lang, c.application.received_on, DateCase::Of);
    let issued_on = date_in(lang, c.issued_on, DateCase::On);
    let case = c.application.case.as_str();
    let mut out = Vec::new();
    match c.kind.as_str() {
        "inclusion" => {
            // Appendix 7: the EAEU CN FEA code stands before the body.
            if let Some(code) = &c.tn_ved_code {
                out.push(p.fill("tn_ved", &[("code", code)]));
            }
            out.push(p.fill(
                "body_inclusion",
                &[("issuer", issuer), ("case", case), ("date_of", &applied)],
            ));
        }
        "exclusion" => out.push(p.fill(
            "body_exclusion",
            &[
                ("name_dative", &kk_dative(&c.applicant.name)),
                ("name", &c.applicant.name),
                ("bin_iin", &c.applicant.bin_iin),
                ("date_on", &issued_on),
                ("case", case),
            ],
        )),
        "amendment" => out.push(p.fill(
            "body_amendment",
            &[("issuer", issuer), ("date_on", &issued_on), ("case", case)],
        )),
        "refusal" => {
            out.push(p.fill(
                "body_refusal",
                &[("issuer", issuer), ("case", case), ("date_of", &applied)],
            ));
            out.extend(ground_lines(c, lang));
        }
        "hearing" => {
            out.push(p.fill(
                "body_hearing",
                &[("issuer", issuer), ("case", case), ("date_of", &applied)],
            ));
            out.extend(ground_lines(c, lang));
        }
        "complaint_decision" => {
            if let Some(k) = &c.complaint {
                let body = |code: &str| p.get(&format!("complaint_body_{code}")).to_string();
                out.push(p.fill(
                    "body_complaint",
                    &[
                        ("body", &body(&k.decided_by)),
                        ("complaint", &k.number),
                        ("date_of", &date_in(lang, k.registered_on, DateCase::Of)),
                        ("to", p.get(&format!("complaint_to_{}", k.addressed_to))),
                        ("case", case),
                    ],
                ));
                out.push(p.fill(
                    "complaint_outcome",
                    &[("outcome", p.get(&format!("complaint_{}", k.outcome)))],
                ));
                if let Some(act) = &k.act {
                    out.push(p.fill("complaint_act", &[("act", act)]));
                }
            }
        }
        _ => out.push(p.fill(
            "body_refusal_incomplete",
            &[("issuer", issuer), ("case", case), ("date_of", &applied)],
        )),
    }
    out
}

/// The reasons of a refusal: the clerk's words as signed, then (§9) what the
/// package lacked, each code in the notice's language through the catalogs.
fn reason_lines(c: &NoticeContent, lang: &str) -> Vec<String> {
    let mut out: Vec<String> = c
        .reason
        .as_deref()
        .map(|r| r.lines().map(str::to_string).collect())
        .unwrap_or_default();
    if !c.missing.is_empty() {
        let tr = crate::i18n::Tr::new(
            crate::i18n::Lang::from_code(lang).unwrap_or(crate::i18n::Lang::En),
        );
        out.extend(
            c.missing
                .iter()
                .map(|m| format!("— {}", crate::store::model::Missing::parse(m).words(&tr))),
        );
    }
    out
}

fn change_text(lang: &str, change: &serde_json::Value) -> String {
    let p = phrases(lang);
    let Some(o) = change.as_object() else {
        return String::new();
    };
    let mut parts = Vec::new();
    for (k, label) in [
        ("brand", "field_brand"),
        ("model", "field_model"),
        ("hashrate_ths", "field_hashrate"),
        ("power_kw", "field_power"),
        ("declaration_no", "field_declaration"),
        ("condition", "field_condition"),
    ] {
        match o.get(k) {
            Some(serde_json::Value::String(s)) => {
                let v = match s.as_str() {
                    "serviceable" | "unserviceable" => p.get(s).to_string(),
                    _ => s.clone(),
                };
                parts.push(format!("{}: {v}", p.get(label)));
            }
            Some(serde_json::Value::Number(n)) => parts.push(format!(
                "{}: {}",
                p.get(label),
                number(lang, n.as_f64().unwrap_or_default())
            )),
            _ => {}
        }
    }
    parts.join("; ")
}

fn totals(c: &NoticeContent, lang: &str) -> String {
    let power: f64 = c.units.iter().map(|u| u.power_kw).sum();
    let hashrate: f64 = c.units.iter().map(|u| u.hashrate_ths).sum();
    phrases(lang).fill(
        "total",
        &[
            ("n", &c.units.len().to_string()),
            ("power", &number(lang, power)),
            ("hashrate", &number(lang, hashrate)),
        ],
    )
}

fn wrap(s: &str) -> String {
    // Never split a case number or serial at its hyphens.
    textwrap::fill(
        s,
        textwrap::Options::new(WIDTH).word_splitter(textwrap::WordSplitter::NoHyphenation),
    )
}

pub use crate::rules::case::POSITIONS;

fn signed_line(c: &NoticeContent, lang: &str) -> String {
    let p = phrases(lang);
    // The law's words for the position (data/positions.toml).
    let position = match crate::rules::Position::parse(&c.signer.position) {
        Some(pos) => pos.words(lang).to_string(),
        None => c.signer.position.clone(),
    };
    p.fill(
        "signed",
        &[("position", &position), ("name", &c.signer.name)],
    )
}

/// Plain text, at most 78 columns but for long serials.
pub fn text(c: &NoticeContent, seal: &Seal, lang: &str) -> String {
    let p = phrases(lang);
    let mut s = String::new();
    if let Some(n) = c.appendix() {
        s.push_str(&wrap(&p.fill("appendix", &[("n", &n.to_string())])));
        s.push('\n');
    }
    s.push_str(&wrap(p.get("issuer")));
    s.push_str("\n\n");
    s.push_str(&wrap(p.get(title_key(c))));
    s.push('\n');
    s.push_str(&p.fill(
        "number_date",
        &[("number", &c.number), ("date", &date(lang, c.issued_on))],
    ));
    s.push('\n');
    s.push_str(&wrap(&p.fill(
        "to",
        &[
            ("name", &c.applicant.name),
            ("bin_iin", &c.applicant.bin_iin),
        ],
    )));
    s.push_str("\n\n");
    for para in body(c, lang) {
        s.push_str(&wrap(&para));
        s.push('\n');
    }
    let reasons = reason_lines(c, lang);
    if !reasons.is_empty() {
        s.push('\n');
        s.push_str(p.get(reasons_key(c)));
        s.push('\n');
        for line in &reasons {
            s.push_str(&wrap(line));
            s.push('\n');
        }
    }
    let closing = closing(c, lang);
    if !closing.is_empty() {
        s.push('\n');
        for para in &closing {
            s.push_str(&wrap(para));
            s.push('\n');
        }
    }
    if !c.units.is_empty() {
        s.push('\n');
        for (i, u) in c.units.iter().enumerate() {
            s.push_str(&format!(
                "{:>4}. {} {} — {} {}\n      {} {}; {} {}; {} {}\n",
                i + 1,
                p.get("col_entry"),
                u.entry_no,
                u.brand,
                u.model,
                p.get("col_serial"),
                u.serial,
                p.get("col_hashrate"),
                number(lang, u.hashrate_ths),
                p.get("col_power"),
                number(lang, u.power_kw)
            ));
            if let Some(ch) = &u.change {
                // Wrapped under its entry, indented like it.
                s.push_str(&textwrap::fill(
                    &format!("{}: {}", p.get("col_change"), change_text(lang, ch)),
                    textwrap::Options::new(WIDTH)
                        .initial_indent("      ")
                        .subsequent_indent("      ")
                        .word_splitter(textwrap::WordSplitter::NoHyphenation),
                ));
                s.push('\n');
            }
        }
        s.push_str(&wrap(&totals(c, lang)));
        s.push('\n');
    }
    s.push('\n');
    s.push_str(&wrap(&signed_line(c, lang)));
    s.push_str("\n\n");
    s.push_str(&block(c, seal, lang));
    s
}

/// Escapes text for HTML.
pub fn esc(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for ch in s.chars() {
        match ch {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c => out.push(c),
        }
    }
    out
}

const CSS: &str = "@page { size: A4; margin: 18mm 16mm 18mm 20mm; }
body { font-family: 'DejaVu Serif', 'Liberation Serif', 'Times New Roman', serif; font-size: 11pt; line-height: 1.35; color: #000; margin: 0; }
main { max-width: 180mm; margin: 0 auto; }
.appendix { text-align: right; font-size: 9pt; margin: 0 0 4mm; }
.issuer { text-align: center; font-weight: bold; text-transform: uppercase; font-size: 10pt; margin: 0 0 6mm; }
h1 { text-align: center; font-size: 13pt; margin: 0 0 3mm; }
.no { text-align: center; margin: 0 0 6mm; }
.to { margin: 0 0 5mm; }
p { margin: 0 0 3mm; text-align: justify; }
table { border-collapse: collapse; width: 100%; margin: 4mm 0; font-size: 9pt; table-layout: fixed; }
thead { display: table-header-group; }
tr { break-inside: avoid; page-break-inside: avoid; }
th, td { border: 0.4pt solid #000; padding: 1mm 1.5mm; vertical-align: top; }
th { background: #eee; }
td.n { text-align: right; white-space: nowrap; }
td.serial { font-family: 'DejaVu Sans Mono', 'Liberation Mono', monospace; white-space: nowrap; overflow-wrap: anywhere; }
.signed { margin-top: 8mm; font-weight: bold; text-align: left; break-inside: avoid; }
table col.no { width: 5%; } table col.entry { width: 12%; } table col.brand { width: 31%; }
table col.serial { width: 24%; } table col.rate { width: 14%; } table col.power { width: 14%; }
pre.content { font-family: 'DejaVu Sans Mono', 'Liberation Mono', monospace; font-size: 6pt; white-space: pre-wrap; word-break: break-all; color: #555; }
@media print { pre.content { display: none; } }
pre.signature { margin-top: 6mm; font-family: 'DejaVu Sans Mono', 'Liberation Mono', monospace; font-size: 6.5pt; white-space: pre-wrap; word-break: break-all; border-top: 0.4pt solid #000; padding-top: 2mm; break-inside: avoid; }
";

/// A self-contained HTML page, A4.
pub fn html(c: &NoticeContent, seal: &Seal, lang: &str) -> String {
    let p = phrases(lang);
    let mut s = String::new();
    s.push_str(&format!(
        "<!DOCTYPE html>\n<html lang=\"{lang}\">\n<head>\n<meta charset=\"utf-8\">\n<title>{}</title>\n<style>\n{CSS}</style>\n</head>\n<body>\n<main>\n",
        esc(&c.number)
    ));
    if let Some(n) = c.appendix() {
        s.push_str(&format!(
            "<p class=\"appendix\">{}</p>\n",
            esc(&p.fill("appendix", &[("n", &n.to_string())]))
        ));
    }
    s.push_str(&format!(
        "<p class=\"issuer\">{}</p>\n",
        esc(p.get("issuer"))
    ));
    s.push_str(&format!("<h1>{}</h1>\n", esc(p.get(title_key(c)))));
    s.push_str(&format!(
        "<p class=\"no\">{}</p>\n",
        esc(&p.fill(
            "number_date",
            &[("number", &c.number), ("date", &date(lang, c.issued_on))]
        ))
    ));
    s.push_str(&format!(
        "<p class=\"to\">{}</p>\n",
        esc(&p.fill(
            "to",
            &[
                ("name", &c.applicant.name),
                ("bin_iin", &c.applicant.bin_iin)
            ]
        ))
    ));
    for para in body(c, lang) {
        s.push_str(&format!("<p>{}</p>\n", esc(&para)));
    }
    let reasons = reason_lines(c, lang);
    if !reasons.is_empty() {
        s.push_str(&format!("<p><b>{}</b></p>\n", esc(p.get(reasons_key(c)))));
        for line in &reasons {
            s.push_str(&format!("<p>{}</p>\n", esc(line)));
        }
    }
    for para in closing(c, lang) {
        s.push_str(&format!("<p>{}</p>\n", esc(&para)));
    }
    if !c.units.is_empty() {
        s.push_str("<table>\n<colgroup><col class=\"no\"><col class=\"entry\"><col class=\"brand\"><col class=\"serial\"><col class=\"rate\"><col class=\"power\"></colgroup>\n<thead><tr>");
        for col in [
            "col_no",
            "col_entry",
            "col_brand",
            "col_serial",
            "col_hashrate",
            "col_power",
        ] {
            s.push_str(&format!("<th>{}</th>", esc(p.get(col))));
        }
        s.push_str("</tr></thead>\n<tbody>\n");
        for (i, u) in c.units.iter().enumerate() {
            s.push_str(&format!(
                "<tr><td class=\"n\">{}</td><td class=\"n\">{}</td><td>{} {}</td><td class=\"serial\">{}</td><td class=\"n\">{}</td><td class=\"n\">{}</td></tr>\n",
                i + 1,
                u.entry_no,
                esc(&u.brand),
                esc(&u.model),
                esc(&u.serial),
                number(lang, u.hashrate_ths),
                number(lang, u.power_kw)
            ));
            if let Some(ch) = &u.change {
                s.push_str(&format!(
                    "<tr><td></td><td colspan=\"5\">{}: {}</td></tr>\n",
                    esc(p.get("col_change")),
                    esc(&change_text(lang, ch))
                ));
            }
        }
        s.push_str("</tbody>\n</table>\n");
        s.push_str(&format!("<p>{}</p>\n", esc(&totals(c, lang))));
    }
    s.push_str(&format!(
        "<p class=\"signed\">{}</p>\n",
        esc(&signed_line(c, lang))
    ));
    let (head, tail) = block_parts(c, seal, lang);
    s.push_str(&format!(
        "<pre class=\"signature\">{}</pre>\n<pre class=\"content\">{}</pre>\n",
        esc(&head),
        esc(&tail)
    ));
    s.push_str("</main>\n</body>\n</html>\n");
    s
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_language_has_every_phrase() {
        let en: Vec<&String> = phrases("en").0.keys().collect();
        for lang in LANGS {
            let p = phrases(lang);
            for k in &en {
                assert!(p.0.contains_key(*k), "{lang}: {k}");
            }
            assert_eq!(p.0.len(), en.len(), "{lang}");
        }
    }

    #[test]
    fn grouped_figures() {
        assert_eq!(grouped("en", 1_683_703.04, 1), "1,683,703.0");
        assert_eq!(grouped("ru", 1_683_703.04, 1), "1 683 703,0");
        assert_eq!(grouped("kk", 43_361.25, 0), "43 361");
        assert_eq!(grouped("en", 999.96, 1), "1,000.0");
        assert_eq!(grouped("ru", 12.5, 2), "12,50");
        assert_eq!(grouped("en", -1234.0, 0), "-1,234");
        assert_eq!(grouped("en", -0.01, 1), "0.0");
    }

    #[test]
    fn dates_as_each_language_writes_them() {
        let d = NaiveDate::from_ymd_opt(2026, 11, 18).unwrap();
        assert_eq!(date("en", d), "18.11.2026");
        assert_eq!(date("kk", d).replace('\u{a0}', " "), "2026 жылғы 18 қараша");
        assert_eq!(date("ru", d).replace('\u{a0}', " "), "18 ноября 2026 г.");
        assert_eq!(number("ru", 3.07), "3,07");
        assert_eq!(number("en", 104.0), "104");
        // The precision declared (issue 17), and no float noise in a sum.
        assert_eq!(number("kk", 3.276), "3,276");
        assert_eq!(number("en", 0.1 + 0.2), "0.3");
    }

    /// Issue 21: Kazakh dates in the attributive and the locative, as the
    /// official text writes them; one form in Russian and English.
    #[test]
    fn kazakh_dates_in_their_case() {
        let d = |y, m, day| NaiveDate::from_ymd_opt(y, m, day).unwrap();
        let kk = |x, c| date_in("kk", x, c).replace('\u{a0}', " ");
        assert_eq!(kk(d(2023, 8, 13), DateCase::Of), "2023 жылғы 13 тамыздағы");
        assert_eq!(kk(d(2023, 9, 2), DateCase::Of), "2023 жылғы 2 қыркүйектегі");
        assert_eq!(kk(d(2023, 11, 23), DateCase::On), "2023 жылғы 23 қарашада");
        assert_eq!(kk(d(2023, 12, 4), DateCase::On), "2023 жылғы 4 желтоқсанда");
        assert_eq!(kk(d(2024, 7, 1), DateCase::Of), "2024 жылғы 1 шілдедегі");
        assert_eq!(kk(d(2024, 4, 1), DateCase::On), "2024 жылғы 1 сәуірде");
        assert_eq!(kk(d(2024, 9, 1), DateCase::On), "2024 жылғы 1 қыркүйекте");
        assert_eq!(kk(d(2024, 4, 1), DateCase::Plain), "2024 жылғы 1 сәуір");
        let ru = date_in("ru", d(2023, 8, 13), DateCase::Of);
        assert_eq!(ru, date("ru", d(2023, 8, 13)));
        // One period after "г." where the sentence ends on the date.
        let p = phrases("ru");
        let filled = p.fill("body_inclusion", &[("date_of", &ru), ("case", "ABK-1")]);
        assert!(filled.ends_with("г.") && !filled.contains(".."), "{filled}");
    }

    #[test]
    fn kazakh_dative_of_a_name() {
        assert_eq!(
            kk_dative("Ekibastuz Compute LLP"),
            "Ekibastuz Compute LLP-ке"
        );
        assert_eq!(kk_dative("«Альфа» ЖШС"), "«Альфа» ЖШС-қа");
        assert_eq!(kk_dative("ИП Есенов Бекзат"), "ИП Есенов Бекзат-қа");
        assert_eq!(kk_dative("Сәуле"), "Сәуле-ге");
        assert_eq!(kk_dative("Арман"), "Арман-ға");
    }
}
