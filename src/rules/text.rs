//! Untrusted text from applicants: refuse control characters and invisible
//! direction overrides (they could drive a terminal or hide text), normalise
//! to NFC, trim, and bound the length — checking the size before any work, so
//! a 1 MB name is refused at once.

use unicode_normalization::UnicodeNormalization;

/// Characters refused in any text field: C0/C1 controls (ESC included),
/// zero-width and bidirectional formatting characters, the BOM.
pub fn is_forbidden(c: char) -> bool {
    c.is_control()
        || matches!(c,
            '\u{200B}'..='\u{200F}' | '\u{202A}'..='\u{202E}' | '\u{2060}'..='\u{206F}'
            | '\u{FEFF}' | '\u{FFF9}'..='\u{FFFB}')
}

/// What is wrong with a text (callers put the field's name in front).
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum TextError {
    /// Refused before any work: more bytes than `max` characters could take.
    #[error("is too long ({bytes} bytes; at most {max} characters)")]
    TooManyBytes { bytes: usize, max: usize },
    /// A character [`is_forbidden`] (`position` counts characters from 1).
    #[error(
        "contains a control or formatting character U+{code:04X} at character {position}",
        code = u32::from(*.ch)
    )]
    Forbidden { ch: char, position: usize },
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
    let n = trimmed.chars().count();
    if n > max_chars {
        return Err(TextError::TooLong {
            chars: n,
            max: max_chars,
        });
    }
    Ok(trimmed.to_string())
}

/// Text from the database made safe for a terminal line: controls replaced
/// with U+FFFD, at most `max_chars` characters (an ellipsis marks the cut).
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
        assert_eq!(
            e.to_string(),
            "contains a control or formatting character U+202E at character 3"
        );
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
    fn terminal_text_is_inert() {
        assert_eq!(
            for_terminal("a\u{1b}]0;x\u{7}b", 10),
            "a\u{FFFD}]0;x\u{FFFD}b"
        );
        assert_eq!(for_terminal("abcdef", 3), "abc…");
    }
}
