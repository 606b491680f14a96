//! Untrusted text from applicants: refuse control characters, invisible
//! formatting characters and blank fillers (they could drive a terminal, hide
//! text, or make a name that shows as nothing), normalise to NFC, trim, and
//! bound the length — checking the size before any work, so a 1 MB name is
//! refused at once.

use unicode_normalization::UnicodeNormalization;
use unicode_properties::{GeneralCategory, GeneralCategoryGroup, UnicodeGeneralCategory};

/// What kind of character a refused one is (said in the refusal).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Hidden {
    /// C0/C1 controls, ESC included (Cc).
    Control,
    /// Unicode's format characters (Cf: zero-width, direction marks and
    /// overrides, the soft hyphen, tags…) and the other default-ignorable
    /// code points (variation selectors, the grapheme joiner).
    Format,
    /// U+2028 LINE SEPARATOR and U+2029 PARAGRAPH SEPARATOR (Zl, Zp).
    Separator,
    /// Letters and symbols that show as nothing: the Hangul fillers, the
    /// blank Braille pattern.
    Filler,
    /// U+FFFC and U+FFFD: something was lost before the text came here.
    Replacement,
    /// Private-use characters: no meaning shared between two computers.
    PrivateUse,
    /// Code points Unicode has not assigned (noncharacters included).
    Unassigned,
}

impl Hidden {
    fn what(self) -> &'static str {
        match self {
            Hidden::Control => "a control character",
            Hidden::Format => "an invisible formatting character",
            Hidden::Separator => "a line or paragraph separator",
            Hidden::Filler => "a filler that shows as blank",
            Hidden::Replacement => "a replacement character (something was lost before it)",
            Hidden::PrivateUse => "a private-use character",
            Hidden::Unassigned => "a code point Unicode has not assigned",
        }
    }
}

/// Why `c` may not appear in any text field, or `None` if it may.
pub fn hidden(c: char) -> Option<Hidden> {
    if c.is_ascii() {
        return c.is_ascii_control().then_some(Hidden::Control);
    }
    match c {
        '\u{115F}' | '\u{1160}' | '\u{3164}' | '\u{FFA0}' | '\u{2800}' => {
            return Some(Hidden::Filler);
        }
        '\u{FFFC}' | '\u{FFFD}' => return Some(Hidden::Replacement),
        // Default-ignorable marks: the grapheme joiner, the Khmer inherent
        // vowels, the Mongolian and the other variation selectors.
        '\u{034F}'
        | '\u{17B4}'
        | '\u{17B5}'
        | '\u{180B}'..='\u{180F}'
        | '\u{FE00}'..='\u{FE0F}'
        | '\u{E0100}'..='\u{E01EF}' => return Some(Hidden::Format),
        _ => {}
    }
    match c.general_category() {
        GeneralCategory::Control => Some(Hidden::Control),
        GeneralCategory::Format => Some(Hidden::Format),
        GeneralCategory::LineSeparator | GeneralCategory::ParagraphSeparator => {
            Some(Hidden::Separator)
        }
        GeneralCategory::PrivateUse => Some(Hidden::PrivateUse),
        GeneralCategory::Unassigned | GeneralCategory::Surrogate => {
            // Reserved default-ignorables (U+2065, U+FFF0–FFF8, U+E0000…) too.
            Some(Hidden::Unassigned)
        }
        _ => None,
    }
}

/// Characters refused in any text field (see [`hidden`]).
pub fn is_forbidden(c: char) -> bool {
    hidden(c).is_some()
}

/// Does `c` show something (a letter, a digit, punctuation, a symbol)?
/// Spaces and combining marks alone show nothing.
fn is_visible(c: char) -> bool {
    !is_forbidden(c)
        && matches!(
            c.general_category_group(),
            GeneralCategoryGroup::Letter
                | GeneralCategoryGroup::Number
                | GeneralCategoryGroup::Punctuation
                | GeneralCategoryGroup::Symbol
        )
}

/// The Unicode name of a refused character worth naming, if it is one.
fn name(c: char) -> Option<&'static str> {
    Some(match c {
        '\u{00AD}' => "SOFT HYPHEN",
        '\u{034F}' => "COMBINING GRAPHEME JOINER",
        '\u{061C}' => "ARABIC LETTER MARK",
        '\u{115F}' => "HANGUL CHOSEONG FILLER",
        '\u{1160}' => "HANGUL JUNGSEONG FILLER",
        '\u{17B4}' => "KHMER VOWEL INHERENT AQ",
        '\u{17B5}' => "KHMER VOWEL INHERENT AA",
        '\u{180E}' => "MONGOLIAN VOWEL SEPARATOR",
        '\u{180B}'..='\u{180D}' | '\u{180F}' => "MONGOLIAN FREE VARIATION SELECTOR",
        '\u{200B}' => "ZERO WIDTH SPACE",
        '\u{200C}' => "ZERO WIDTH NON-JOINER",
        '\u{200D}' => "ZERO WIDTH JOINER",
        '\u{200E}' => "LEFT-TO-RIGHT MARK",
        '\u{200F}' => "RIGHT-TO-LEFT MARK",
        '\u{2028}' => "LINE SEPARATOR",
        '\u{2029}' => "PARAGRAPH SEPARATOR",
        '\u{202A}' => "LEFT-TO-RIGHT EMBEDDING",
        '\u{202B}' => "RIGHT-TO-LEFT EMBEDDING",
        '\u{202C}' => "POP DIRECTIONAL FORMATTING",
        '\u{202D}' => "LEFT-TO-RIGHT OVERRIDE",
        '\u{202E}' => "RIGHT-TO-LEFT OVERRIDE",
        '\u{2060}' => "WORD JOINER",
        '\u{2061}' => "FUNCTION APPLICATION",
        '\u{2062}' => "INVISIBLE TIMES",
        '\u{2063}' => "INVISIBLE SEPARATOR",
        '\u{2064}' => "INVISIBLE PLUS",
        '\u{2066}' => "LEFT-TO-RIGHT ISOLATE",
        '\u{2067}' => "RIGHT-TO-LEFT ISOLATE",
        '\u{2068}' => "FIRST STRONG ISOLATE",
        '\u{2069}' => "POP DIRECTIONAL ISOLATE",
        '\u{2800}' => "BRAILLE PATTERN BLANK",
        '\u{3164}' => "HANGUL FILLER",
        '\u{FE00}'..='\u{FE0F}' | '\u{E0100}'..='\u{E01EF}' => "VARIATION SELECTOR",
        '\u{FEFF}' => "ZERO WIDTH NO-BREAK SPACE",
        '\u{FFA0}' => "HALFWIDTH HANGUL FILLER",
        '\u{FFF9}' => "INTERLINEAR ANNOTATION ANCHOR",
        '\u{FFFA}' => "INTERLINEAR ANNOTATION SEPARATOR",
        '\u{FFFB}' => "INTERLINEAR ANNOTATION TERMINATOR",
        '\u{FFFC}' => "OBJECT REPLACEMENT CHARACTER",
        '\u{FFFD}' => "REPLACEMENT CHARACTER",
        '\u{E0001}' => "LANGUAGE TAG",
        '\u{E0020}'..='\u{E007E}' => "TAG CHARACTER",
        '\u{E007F}' => "CANCEL TAG",
        '\u{0000}' => "NULL",
        '\u{0009}' => "CHARACTER TABULATION",
        '\u{000A}' => "LINE FEED",
        '\u{000D}' => "CARRIAGE RETURN",
        '\u{001B}' => "ESCAPE",
        '\u{007F}' => "DELETE",
        '\u{0085}' => "NEXT LINE",
        '\u{009B}' => "CONTROL SEQUENCE INTRODUCER",
        _ => return None,
    })
}

/// `U+3164 HANGUL FILLER`, or `U+E0FFF` where the name is not kept here.
pub fn describe(c: char) -> String {
    match name(c) {
        Some(n) => format!("U+{:04X} {n}", u32::from(c)),
        None => format!("U+{:04X}", u32::from(c)),
    }
}

/// What is wrong with a text (callers put the field's name in front).
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum TextError {
    /// Refused before any work: more bytes than `max` characters could take.
    #[error("is too long ({bytes} bytes; at most {max} characters)")]
    TooManyBytes { bytes: usize, max: usize },
    /// A character [`is_forbidden`] (`position` counts characters from 1).
    #[error(
        "{shown} is not allowed (character {position}: {what})",
        shown = describe(*.ch),
        what = hidden(*.ch).map_or("a control or formatting character", Hidden::what)
    )]
    Forbidden { ch: char, position: usize },
    /// Nothing in it shows: spaces and combining marks alone.
    #[error("has no visible character (only spaces or combining marks)")]
    NothingVisible,
    /// More than `max` characters once normalised and trimmed.
    #[error("is too long ({chars} characters; at most {max})")]
    TooLong { chars: usize, max: usize },
}

/// The cleaned text, or what is wrong with it.
pub fn clean(s: &str, max_chars: usize) -> Result<String, TextError> {
    if s.len() > max_chars * 4 {
        return Err(TextError::TooManyBytes {
            bytes: s.len(),
            max: max_chars,
        });
    }
    if let Some((i, c)) = s.chars().enumerate().find(|(_, c)| is_forbidden(*c)) {
        return Err(TextError::Forbidden {
            ch: c,
            position: i + 1,
        });
    }
    let normal: String = s.nfc().collect();
    let trimmed = normal.trim();
    if !trimmed.is_empty() && !trimmed.chars().any(is_visible) {
        return Err(TextError::NothingVisible);
    }
    let n = trimmed.chars().count();
    if n > max_chars {
        return Err(TextError::TooLong {
            chars: n,
            max: max_chars,
        });
    }
    Ok(trimmed.to_string())
}

/// Text from the database made safe for a terminal line: every character
/// [`clean`] refuses — controls, invisible formatting characters, separators,
/// fillers — replaced with U+FFFD, at most `max_chars` characters (an
/// ellipsis marks the cut).
pub fn for_terminal(s: &str, max_chars: usize) -> String {
    let mut out = String::with_capacity(s.len().min(max_chars * 4));
    for (i, c) in s.chars().enumerate() {
        if i == max_chars {
            out.push('…');
            break;
        }
        out.push(if is_forbidden(c) { '\u{FFFD}' } else { c });
    }
    out
}

/// The display columns a text takes on a terminal, counted the way the
/// screen buffer places it: grapheme by grapheme (a wide CJK letter 2, an
/// emoji with its variation selector 2, a letter with combining marks 1,
/// a combining mark alone 0).
pub fn width(s: &str) -> usize {
    use unicode_segmentation::UnicodeSegmentation;
    use unicode_width::UnicodeWidthStr;
    s.graphemes(true).map(UnicodeWidthStr::width).sum()
}

/// `s` in at most `w` display columns: whole, or its first graphemes and
/// `…` (a wide letter that would straddle the edge is left out).
pub fn cut_to_width(s: &str, w: usize) -> String {
    use unicode_segmentation::UnicodeSegmentation;
    use unicode_width::UnicodeWidthStr;
    if width(s) <= w {
        return s.to_string();
    }
    let mut out = String::new();
    let mut used = 0;
    for g in s.graphemes(true) {
        let gw = g.width();
        if used + gw + 1 > w {
            break;
        }
        out.push_str(g);
        used += gw;
    }
    if w > 0 {
        out.push('…');
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn refuses_escapes_and_bidi() {
        assert!(
            clean("Ekibastuz\u{1b}[2J", 100)
                .unwrap_err()
                .to_string()
                .contains("U+001B")
        );
        assert!(
            clean("abc\u{202E}def", 100)
                .unwrap_err()
                .to_string()
                .contains("U+202E")
        );
        assert!(
            clean("a\u{9b}b", 100)
                .unwrap_err()
                .to_string()
                .contains("U+009B")
        );
        assert!(
            clean("line\nbreak", 100)
                .unwrap_err()
                .to_string()
                .contains("U+000A")
        );
    }

    #[test]
    fn the_refusal_says_which_character_and_where() {
        let e = clean("ab\u{202E}c", 100).unwrap_err();
        assert_eq!(
            e,
            TextError::Forbidden {
                ch: '\u{202E}',
                position: 3
            }
        );
        // The code point, its name, where, and what kind of character it is.
        assert_eq!(
            e.to_string(),
            "U+202E RIGHT-TO-LEFT OVERRIDE is not allowed (character 3: an invisible formatting character)"
        );
    }

    #[test]
    fn every_format_character_separator_and_filler_is_refused() {
        for c in [
            '\u{00AD}',
            '\u{061C}',
            '\u{180E}',
            '\u{2028}',
            '\u{2029}',
            '\u{E0001}',
            '\u{E0041}',
            '\u{E007F}',
            '\u{FE0F}',
            '\u{FE00}',
            '\u{E0100}',
            '\u{FFFC}',
            '\u{FFFD}',
            '\u{3164}',
            '\u{115F}',
            '\u{1160}',
            '\u{2800}',
            '\u{FFA0}',
            '\u{0600}',
            '\u{06DD}',
            '\u{070F}',
            '\u{08E2}',
            '\u{110BD}',
            '\u{13430}',
            '\u{1BCA0}',
            '\u{1D173}',
            '\u{034F}',
            '\u{17B4}',
            '\u{E000}',
            '\u{FFFF}',
            '\u{2065}',
        ] {
            let e = clean(&format!("ab{c}c"), 100).unwrap_err();
            assert_eq!(e, TextError::Forbidden { ch: c, position: 3 }, "{c:?}");
            let m = e.to_string();
            assert!(
                m.starts_with(&format!("U+{:04X}", u32::from(c))) && m.contains("not allowed"),
                "{m}"
            );
            assert_eq!(for_terminal(&format!("ab{c}c"), 10), "ab\u{FFFD}c", "{c:?}");
        }
        // Every Cf character Unicode has, whatever its block.
        for c in (0..=0x10FFFFu32).filter_map(char::from_u32) {
            if c.general_category() == GeneralCategory::Format {
                assert!(is_forbidden(c), "U+{:04X}", u32::from(c));
            }
        }
        assert_eq!(
            clean("\u{3164}", 100).unwrap_err().to_string(),
            "U+3164 HANGUL FILLER is not allowed (character 1: a filler that shows as blank)"
        );
    }

    #[test]
    fn a_text_must_show_something() {
        assert_eq!(
            clean("\u{0301}\u{0308}", 100),
            Err(TextError::NothingVisible)
        );
        assert_eq!(clean(" \u{3000} ", 100), Ok(String::new()));
        for ok in [
            "«Екібастұз Компьют» ЖШС",
            "ТОО «Сарыарка»",
            "Ertis\u{2011}Power ⚡",
            "№ 4",
            "٣",
            "한국",
            "Zoë",
            "e\u{0301}",
        ] {
            assert!(clean(ok, 100).is_ok(), "{ok}");
        }
    }

    #[test]
    fn normalises_and_trims() {
        // "й" as и + combining breve becomes one code point.
        assert_eq!(
            clean("  Сарыарка\u{0438}\u{0306} ", 100).unwrap(),
            "Сарыарка\u{0439}"
        );
        assert!(
            clean(&"я".repeat(101), 100)
                .unwrap_err()
                .to_string()
                .contains("101 characters")
        );
        assert!(
            clean(&"x".repeat(1_000_000), 300)
                .unwrap_err()
                .to_string()
                .contains("bytes")
        );
    }

    #[test]
    fn widths_count_display_columns() {
        assert_eq!(width("abc"), 3);
        assert_eq!(width("礦機"), 4);
        assert_eq!(width("e\u{0301}"), 1);
        assert_eq!(width("Ertis ⚡"), 8);
        assert_eq!(cut_to_width("礦機礦機", 5), "礦機…");
        assert_eq!(cut_to_width("abcdef", 4), "abc…");
        assert_eq!(cut_to_width("abc", 4), "abc");
        assert_eq!(width(&cut_to_width("礦\u{0301}機礦", 4)), 3);
    }

    #[test]
    fn terminal_text_is_inert() {
        assert_eq!(
            for_terminal("a\u{1b}]0;x\u{7}b", 10),
            "a\u{FFFD}]0;x\u{FFFD}b"
        );
        assert_eq!(for_terminal("abcdef", 3), "abc…");
        assert_eq!(
            for_terminal("a\u{061C}b\u{2028}c\u{E0041}d\u{3164}e", 20),
            "a\u{FFFD}b\u{FFFD}c\u{FFFD}d\u{FFFD}e"
        );
    }
}
