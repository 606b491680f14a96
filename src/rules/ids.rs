//! Identifiers the register validates (`IDENTIFIERS.md`): BIN/IIN with their
//! check digit, the EAEU CN FEA code, Kazakhstan phone numbers and e-mail.
//! Every function returns the normalised value or an [`IdError`] saying what
//! is wrong (its text is what intake reports beside the field).

use chrono::NaiveDate;

/// What is wrong with an identifier. The text names the fault, never the
/// field: callers put the field (`applicant.bin_iin`) in front of it.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum IdError {
    #[error("must be exactly 12 digits")]
    NotTwelveDigits,
    #[error("5th digit must be 0–3 (IIN: day of birth) or 4–6 (BIN: type of entity)")]
    FifthDigit,
    #[error("BIN registration month {0:02} is not a month")]
    BinMonth(u8),
    #[error("BIN 6th digit (kind of office) must be 0–3")]
    BinOffice,
    #[error("IIN 7th digit (century and sex) {0} must be 0–6")]
    IinCentury(u8),
    /// The first six digits of an IIN are no date in the century the 7th names.
    #[error("IIN birth date {yy:02}{month:02}{day:02} (YYMMDD) is not a real date")]
    IinBirthDate { yy: u8, month: u8, day: u8 },
    /// The IIN's birth date is after the day it is checked against (the
    /// application's filing): nobody is born after they apply.
    #[error(
        "IIN birth date {born} is after the day of filing ({on}): no such person can apply",
        born = born.format("%d.%m.%Y"),
        on = on.format("%d.%m.%Y")
    )]
    IinBornLater { born: NaiveDate, on: NaiveDate },
    /// Both passes of the check digit give 10: such a number is never issued.
    #[error("invalid number: its check digit computes to 10 (never issued)")]
    NeverIssued,
    #[error("check digit is {found} but must be {expected} for the first 11 digits")]
    CheckDigit { found: u8, expected: u8 },
    #[error("must be 10 digits (spaces allowed), e.g. 8471 50 000 0")]
    TnVed,
    #[error("unexpected character {0:?} in a phone number")]
    PhoneCharacter(char),
    #[error("must be a Kazakhstan number: +7 and 10 digits, e.g. +7 701 123 45 67")]
    PhoneLength,
    #[error("must be a Kazakhstan number: country code +7")]
    PhoneCountry,
    #[error("not a Kazakhstan number: after +7 it must start with 7 (e.g. 701, 747, 7172)")]
    PhoneNotKazakhstan,
    #[error("longer than 254 characters")]
    EmailTooLong,
    #[error("must contain @")]
    EmailNoAt,
    #[error("the part before @ must be 1–64 characters")]
    EmailLocalLength,
    #[error("must contain exactly one @")]
    EmailManyAt,
    #[error("must not contain spaces")]
    EmailSpace,
    #[error("domain {0:?} is not a valid domain name")]
    EmailDomain(String),
    /// A character outside [`SERIAL_ALPHABET`] (`position` counts from 1).
    #[error(
        "character {position} ({ch:?}, U+{code:04X}) is not allowed, it is {what}: a serial is made of {SERIAL_ALPHABET}",
        code = u32::from(*.ch)
    )]
    SerialCharacter {
        position: usize,
        ch: char,
        what: SerialChar,
    },
    #[error("has no letter or digit: a serial is made of {SERIAL_ALPHABET}")]
    SerialEmpty,
}

/// What a character refused in a serial is (it only looks like one).
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
pub enum SerialChar {
    #[error("a Cyrillic letter")]
    Cyrillic,
    #[error("a Greek letter")]
    Greek,
    #[error("a digit of another script")]
    ForeignDigit,
    #[error("a space")]
    Space,
    #[error("a letter outside the Latin alphabet")]
    ForeignLetter,
    #[error("a dash other than ASCII '-'")]
    Dash,
    #[error("a symbol")]
    Symbol,
}

const WEIGHTS_1: [u32; 11] = [1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11];
const WEIGHTS_2: [u32; 11] = [3, 4, 5, 6, 7, 8, 9, 10, 11, 1, 2];

/// The check digit of a BIN or IIN from its first 11 digits, or `None` when
/// both passes give 10 (such a number is never issued).
pub fn check_digit(first11: &[u8; 11]) -> Option<u8> {
    let pass = |w: &[u32; 11]| {
        first11
            .iter()
            .zip(w)
            .map(|(d, w)| u32::from(*d) * w)
            .sum::<u32>()
            % 11
    };
    let c = pass(&WEIGHTS_1);
    let c = if c == 10 { pass(&WEIGHTS_2) } else { c };
    (c != 10).then_some(c as u8)
}

/// Whether a 12-digit number identifies a person (IIN) or a legal entity (BIN).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum BinIinKind {
    Iin,
    Bin,
}

/// Validates a BIN or IIN: 12 digits, a real structure, the right check
/// digit, and for an IIN a birth date on or before `on` (the day the
/// application was filed: time is an argument here, never the clock).
pub fn validate_bin_iin(s: &str, on: NaiveDate) -> Result<BinIinKind, IdError> {
    if s.len() != 12 || !s.bytes().all(|b| b.is_ascii_digit()) {
        return Err(IdError::NotTwelveDigits);
    }
    let d: Vec<u8> = s.bytes().map(|b| b - b'0').collect();
    let kind = match d[4] {
        0..=3 => BinIinKind::Iin,
        4..=6 => BinIinKind::Bin,
        _ => return Err(IdError::FifthDigit),
    };
    match kind {
        BinIinKind::Iin => check_iin_birth(&d, on)?,
        BinIinKind::Bin => {
            let month = d[2] * 10 + d[3];
            if !(1..=12).contains(&month) {
                return Err(IdError::BinMonth(month));
            }
            if d[5] > 3 {
                return Err(IdError::BinOffice);
            }
        }
    }
    let first11: [u8; 11] = d[..11].try_into().expect("12 digits checked above");
    match check_digit(&first11) {
        None => Err(IdError::NeverIssued),
        Some(c) if c != d[11] => Err(IdError::CheckDigit {
            found: d[11],
            expected: c,
        }),
        Some(_) => Ok(kind),
    }
}

fn check_iin_birth(d: &[u8], on: NaiveDate) -> Result<(), IdError> {
    let (yy, month, day) = (d[0] * 10 + d[1], d[2] * 10 + d[3], d[4] * 10 + d[5]);
    let centuries: &[i32] = match d[6] {
        1 | 2 => &[1800],
        3 | 4 => &[1900],
        5 | 6 => &[2000],
        0 => &[1800, 1900, 2000], // issued to some non-residents: century unknown
        c => return Err(IdError::IinCentury(c)),
    };
    // With the century unknown, accept the date if it is real (and past) in any century.
    let births: Vec<NaiveDate> = centuries
        .iter()
        .filter_map(|c| {
            NaiveDate::from_ymd_opt(c + i32::from(yy), u32::from(month), u32::from(day))
        })
        .collect();
    match births.iter().min() {
        None => Err(IdError::IinBirthDate { yy, month, day }),
        Some(&born) if born > on => Err(IdError::IinBornLater { born, on }),
        Some(_) => Ok(()),
    }
}

/// Completes 11 digits with their check digit; `None` if the number cannot be issued.
pub fn with_check_digit(first11: &[u8; 11]) -> Option<String> {
    let c = check_digit(first11)?;
    let mut s: String = first11.iter().map(|d| char::from(b'0' + d)).collect();
    s.push(char::from(b'0' + c));
    Some(s)
}

/// The EAEU CN FEA code: 10 digits, spaces allowed in input, stored as digits.
pub fn normalize_tn_ved(s: &str) -> Result<String, IdError> {
    let digits: String = s.chars().filter(|c| *c != ' ').collect();
    if digits.len() != 10 || !digits.bytes().all(|b| b.is_ascii_digit()) {
        return Err(IdError::TnVed);
    }
    Ok(digits)
}

/// Prints a stored code the way customs documents do: `XXXX XX XXX X`.
pub fn format_tn_ved(code: &str) -> String {
    if code.len() != 10 {
        return code.to_string();
    }
    format!(
        "{} {} {} {}",
        &code[..4],
        &code[4..6],
        &code[6..9],
        &code[9..]
    )
}

/// A Kazakhstan phone number normalised to `+7XXXXXXXXXX`.
pub fn normalize_phone(s: &str) -> Result<String, IdError> {
    let mut digits = String::new();
    for (i, c) in s.chars().enumerate() {
        match c {
            '0'..='9' => digits.push(c),
            '+' if i == 0 => {}
            ' ' | '-' | '(' | ')' => {}
            _ => return Err(IdError::PhoneCharacter(c)),
        }
    }
    let national = match digits.len() {
        11 if digits.starts_with('7') || digits.starts_with('8') => &digits[1..],
        10 => &digits[..],
        _ => return Err(IdError::PhoneLength),
    };
    if s.trim_start().starts_with('+') && !digits.starts_with('7') {
        return Err(IdError::PhoneCountry);
    }
    if !national.starts_with('7') {
        return Err(IdError::PhoneNotKazakhstan);
    }
    Ok(format!("+7{national}"))
}

/// A plausible e-mail address (one `@`, a dotted domain, no spaces); the domain
/// is lower-cased.
pub fn normalize_email(s: &str) -> Result<String, IdError> {
    if s.len() > 254 {
        return Err(IdError::EmailTooLong);
    }
    let (local, domain) = s.split_once('@').ok_or(IdError::EmailNoAt)?;
    if local.is_empty() || local.len() > 64 {
        return Err(IdError::EmailLocalLength);
    }
    if local.contains('@') || domain.contains('@') {
        return Err(IdError::EmailManyAt);
    }
    if local.chars().any(|c| c.is_whitespace() || c.is_control()) {
        return Err(IdError::EmailSpace);
    }
    let labels: Vec<&str> = domain.split('.').collect();
    if labels.len() < 2
        || labels.iter().any(|l| {
            l.is_empty()
                || l.len() > 63
                || l.starts_with('-')
                || l.ends_with('-')
                || !l.chars().all(|c| c.is_alphanumeric() || c == '-')
        })
    {
        return Err(IdError::EmailDomain(domain.to_string()));
    }
    Ok(format!("{local}@{}", domain.to_lowercase()))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn digits(s: &str) -> [u8; 11] {
        let v: Vec<u8> = s.bytes().map(|b| b - b'0').collect();
        v.try_into().unwrap()
    }

    #[test]
    fn check_digit_second_pass() {
        // First pass: 1*10 + 1*11 = 21 ≡ 10 (mod 11); second: 1*1 + 1*2 = 3.
        assert_eq!(check_digit(&digits("00000000011")), Some(3));
        // First pass: 1*11 = 11 ≡ 0.
        assert_eq!(check_digit(&digits("00000000001")), Some(0));
    }

    #[test]
    fn both_passes_ten_is_never_issued() {
        // Find a BIN prefix whose both passes give 10 and check it is refused.
        let prefix = (0..100_000u32)
            .map(|n| digits(&format!("210540{n:05}")))
            .find(|d| check_digit(d).is_none())
            .expect("some prefix has no check digit");
        for last in 0..10u8 {
            let mut s: String = prefix.iter().map(|d| char::from(b'0' + d)).collect();
            s.push(char::from(b'0' + last));
            assert_eq!(
                validate_bin_iin(&s, filed()),
                Err(IdError::NeverIssued),
                "{s}"
            );
            assert!(
                validate_bin_iin(&s, filed())
                    .unwrap_err()
                    .to_string()
                    .contains("computes to 10"),
                "{s}"
            );
        }
    }

    #[test]
    fn bin_and_iin_table() {
        let iin = with_check_digit(&digits("85031530012")).unwrap();
        assert_eq!(validate_bin_iin(&iin, filed()), Ok(BinIinKind::Iin));
        let bin = with_check_digit(&digits("21054000012")).unwrap();
        assert_eq!(validate_bin_iin(&bin, filed()), Ok(BinIinKind::Bin));
        let cases = [
            ("12345", "12 digits"),
            ("12345678901a", "12 digits"),
            ("850315700123", "7th digit"),
            ("853215300123", "not a real date"),
            ("851315300123", "not a real date"),
            ("211340000123", "not a month"),
            ("210547000123", "6th digit"),
            ("217590000123", "5th digit"),
        ];
        for (input, expect) in cases {
            let err = validate_bin_iin(input, filed()).unwrap_err().to_string();
            assert!(err.contains(expect), "{input}: {err}");
        }
        let mut wrong = iin.clone().into_bytes();
        wrong[11] = b'0' + (wrong[11] - b'0' + 1) % 10;
        let wrong = String::from_utf8(wrong).unwrap();
        assert!(matches!(
            validate_bin_iin(&wrong, filed()),
            Err(IdError::CheckDigit { found, expected }) if found != expected
        ));
        assert!(
            validate_bin_iin(&wrong, filed())
                .unwrap_err()
                .to_string()
                .contains("check digit")
        );
    }

    /// The day the applications in these tests were filed.
    fn filed() -> NaiveDate {
        NaiveDate::from_ymd_opt(2026, 11, 18).unwrap()
    }

    #[test]
    fn an_iin_of_someone_born_after_the_filing_is_refused() {
        let iin = |first11: &str| with_check_digit(&digits(first11)).unwrap();
        // 31.12.2099 and 30.12.2026 (the 2000s), against 18.11.2026.
        for (first11, born) in [("99123150012", "31.12.2099"), ("26123060012", "30.12.2026")] {
            let e = validate_bin_iin(&iin(first11), filed()).unwrap_err();
            assert!(matches!(e, IdError::IinBornLater { .. }), "{e}");
            assert_eq!(
                e.to_string(),
                format!(
                    "IIN birth date {born} is after the day of filing (18.11.2026): no such person can apply"
                )
            );
        }
        // Born that very day, or in the 1900s: a person.
        assert!(validate_bin_iin(&iin("26111850012"), filed()).is_ok());
        assert!(validate_bin_iin(&iin("99123130012"), filed()).is_ok());
        // Century unknown (0): real and past in some century is enough.
        assert!(validate_bin_iin(&iin("99123100012"), filed()).is_ok());
        // The same IIN filed on a later day is fine.
        let later = NaiveDate::from_ymd_opt(2027, 1, 4).unwrap();
        assert!(validate_bin_iin(&iin("26123060012"), later).is_ok());
    }

    #[test]
    fn leap_day_iin() {
        let ok = with_check_digit(&digits("00022950012")).unwrap(); // 29 Feb 2000
        assert!(validate_bin_iin(&ok, filed()).is_ok());
        let bad = with_check_digit(&digits("01022950012")).unwrap(); // 29 Feb 2001
        assert_eq!(
            validate_bin_iin(&bad, filed()),
            Err(IdError::IinBirthDate {
                yy: 1,
                month: 2,
                day: 29
            })
        );
        assert!(
            validate_bin_iin(&bad, filed())
                .unwrap_err()
                .to_string()
                .contains("010229 (YYMMDD) is not a real date")
        );
    }

    #[test]
    fn tn_ved() {
        assert_eq!(normalize_tn_ved("8471 50 000 0").unwrap(), "8471500000");
        assert!(normalize_tn_ved("847150000").is_err());
        assert!(normalize_tn_ved("84715000001").is_err());
        assert!(normalize_tn_ved("8471-50-000-0").is_err());
        assert_eq!(format_tn_ved("8471500000"), "8471 50 000 0");
    }

    #[test]
    fn phones() {
        for ok in [
            "+7 701 123 45 67",
            "87011234567",
            "+7(7172)55-12-34",
            "7011234567",
        ] {
            assert!(normalize_phone(ok).unwrap().starts_with("+77"), "{ok}");
        }
        assert_eq!(normalize_phone("8 701 123 45 67").unwrap(), "+77011234567");
        for bad in [
            "+7 912 123 45 67",
            "+1 701 123 45 67",
            "12345",
            "+7 701 123 45 6x",
        ] {
            assert!(normalize_phone(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn emails() {
        assert_eq!(
            normalize_email("Office@Example.KZ").unwrap(),
            "Office@example.kz"
        );
        for bad in [
            "office",
            "@example.kz",
            "a@b",
            "a b@example.kz",
            "a@@b.kz",
            "a@-b.kz",
        ] {
            assert!(normalize_email(bad).is_err(), "{bad}");
        }
    }
}

/// The characters a stored serial number is made of: Latin capitals, ASCII
/// digits and the separators `-`, `_`, `/` and `.` (what manufacturers print
/// on ASIC nameplates and customs declarations repeat).
pub const SERIAL_ALPHABET: &str = "A–Z, 0–9, - _ / .";

/// A serial number in its one canonical form, the form the register stores
/// and compares (intake, the register's unique index, look-ups): fullwidth
/// forms folded to ASCII, Latin letters upper-cased. Anything else that only
/// looks like a serial character — a Cyrillic `А` or Greek `Α` beside Latin
/// `A`, Arabic-Indic or Devanagari digits, dashes other than `-` — is refused
/// with what it is, never silently mapped: two serials that differ in such a
/// letter would otherwise name two devices on paper and one on the nameplate.
pub fn canonical_serial(s: &str) -> Result<String, IdError> {
    let mut out = String::with_capacity(s.len());
    for (i, c) in s.chars().enumerate() {
        // Fullwidth ASCII (U+FF01–U+FF5E) is the same character typed in a CJK input mode.
        let c = match c {
            '\u{FF01}'..='\u{FF5E}' => char::from_u32(c as u32 - 0xFEE0).unwrap_or(c),
            _ => c,
        };
        let c = c.to_ascii_uppercase();
        if c.is_ascii_uppercase() || c.is_ascii_digit() || matches!(c, '-' | '_' | '/' | '.') {
            out.push(c);
            continue;
        }
        let what = match c as u32 {
            0x0400..=0x052F => SerialChar::Cyrillic,
            0x0370..=0x03FF | 0x1F00..=0x1FFF => SerialChar::Greek,
            _ if c.is_numeric() => SerialChar::ForeignDigit,
            _ if c.is_whitespace() => SerialChar::Space,
            _ if c.is_alphabetic() => SerialChar::ForeignLetter,
            0x2010..=0x2015 | 0x2212 | 0xFE58 | 0xFE63 => SerialChar::Dash,
            _ => SerialChar::Symbol,
        };
        return Err(IdError::SerialCharacter {
            position: i + 1,
            ch: c,
            what,
        });
    }
    if !out.bytes().any(|b| b.is_ascii_alphanumeric()) {
        return Err(IdError::SerialEmpty);
    }
    Ok(out)
}

/// The Latin capital a Cyrillic or Greek letter is mistaken for on a
/// nameplate or a screen (`А`→`A`, `М`→`M`, `Ѕ`→`S`, `Ι`→`I`…), if it is one.
/// Only a search uses it: intake refuses such letters ([`canonical_serial`]).
pub fn latin_look_alike(c: char) -> Option<char> {
    Some(match c {
        'А' | 'а' | 'Α' | 'α' | 'Ӓ' => 'A',
        'В' | 'в' | 'Β' | 'β' => 'B',
        'С' | 'с' | 'Ϲ' | 'ϲ' => 'C',
        'Е' | 'е' | 'Ё' | 'ё' | 'Ε' | 'ε' => 'E',
        'Н' | 'н' | 'Η' | 'Һ' | 'һ' => 'H',
        'І' | 'і' | 'Ι' | 'ι' | 'Ӏ' => 'I',
        'Ј' | 'ј' => 'J',
        'К' | 'к' | 'Κ' | 'κ' | 'Қ' | 'қ' => 'K',
        'М' | 'м' | 'Μ' => 'M',
        'Ν' => 'N',
        'О' | 'о' | 'Ο' | 'ο' | 'Ө' | 'ө' => 'O',
        'Р' | 'р' | 'Ρ' | 'ρ' => 'P',
        'Ԛ' | 'ԛ' => 'Q',
        'Ѕ' | 'ѕ' => 'S',
        'Т' | 'т' | 'Τ' | 'τ' => 'T',
        'Ԝ' | 'ԝ' => 'W',
        'Х' | 'х' | 'Χ' | 'χ' => 'X',
        'У' | 'у' | 'Ү' | 'ү' | 'Υ' | 'Ұ' | 'ұ' => 'Y',
        'Ζ' => 'Z',
        _ => return None,
    })
}

/// A serial or a case number as typed into a search box, folded to the form
/// the register stores ([`canonical_serial`], `CaseNumber`): fullwidth forms
/// to ASCII, Latin to upper case, a Cyrillic or Greek look-alike to its Latin
/// letter (`АВК-2025-002001` typed on a Russian layout is `ABK-2025-002001`,
/// a serial with a Cyrillic `М` is the serial with `M`), dashes to `-`.
/// Never refused: what folds to nothing stored simply matches nothing.
pub fn serial_key(s: &str) -> String {
    s.trim()
        .chars()
        .map(|c| match c {
            '\u{FF01}'..='\u{FF5E}' => char::from_u32(c as u32 - 0xFEE0).unwrap_or(c),
            '\u{2010}'..='\u{2015}' | '\u{2212}' | '\u{FE58}' | '\u{FE63}' => '-',
            _ => latin_look_alike(c).unwrap_or(c),
        })
        .map(|c| c.to_ascii_uppercase())
        .collect()
}

/// The sequence number a query names alone (`2001`, `002001`: the case
/// `ABK-2025-002001` of any year), if it is 1–6 digits: zero-padded to six.
pub fn number_alone(q: &str) -> Option<String> {
    let q = q.trim();
    (!q.is_empty() && q.len() <= 6 && q.bytes().all(|b| b.is_ascii_digit()))
        .then(|| format!("{q:0>6}"))
}

/// Whether a case or complaint number (`ABK-2025-002001`, `CMP-2025-000004`)
/// is what `query` names: its folded form ([`serial_key`]) starts the number,
/// or the query is the number's sequence alone ([`number_alone`]).
pub fn number_matches(query: &str, number: &str) -> bool {
    let key = serial_key(query);
    if key.is_empty() {
        return false;
    }
    if number.starts_with(&key) {
        return true;
    }
    number_alone(query).is_some_and(|n| {
        number.rsplit_once('-').is_some_and(|(_, seq)| {
            seq == n || seq.trim_start_matches('0') == n.trim_start_matches('0')
        })
    })
}

/// Whether a list row is what a `/` filter names: one of its `numbers`
/// (case, complaint: [`number_matches`]) or a `text` (an applicant's name,
/// matched without regard to case) holds the query.
pub fn row_matches(query: &str, numbers: &[&str], texts: &[&str]) -> bool {
    let q = query.trim();
    if q.is_empty() {
        return true;
    }
    let lower = q.to_lowercase();
    numbers.iter().any(|n| number_matches(q, n))
        || texts.iter().any(|t| t.to_lowercase().contains(&lower))
}

#[cfg(test)]
mod serial_tests {
    use super::canonical_serial;

    #[test]
    fn one_canonical_form() {
        assert_eq!(
            canonical_serial("jyzz-0001/a.b_c").unwrap(),
            "JYZZ-0001/A.B_C"
        );
        // Fullwidth "ＡＢ１２" is "AB12".
        assert_eq!(canonical_serial("ＡＢ１２ｃ").unwrap(), "AB12C");
        assert_eq!(
            canonical_serial("ab12").unwrap(),
            canonical_serial("AB12").unwrap()
        );
    }

    #[test]
    fn search_keys_fold_like_the_canonical_form() {
        use super::serial_key;
        for s in ["jyzz-0001/a", "ＪＹＺＺ-0001/A", " JYZZ-0001/a "] {
            assert_eq!(serial_key(s), canonical_serial("JYZZ-0001/A").unwrap());
        }
        // Look-alikes fold to the Latin letters they look like (a search
        // only: intake refuses them, below).
        assert_eq!(serial_key("\u{0410}B"), "AB");
        assert_eq!(serial_key("АВК-2025-002001"), "ABK-2025-002001");
        assert_eq!(serial_key("аsіс-м1"), "ASIC-M1");
        assert_eq!(serial_key("ЈY\u{2013}Ζ"), "JY-Z");
        // A letter with no Latin look-alike stays itself and matches nothing.
        assert_eq!(serial_key("Ж1"), "Ж1");
    }

    #[test]
    fn a_case_is_found_by_its_number_alone() {
        use super::{number_alone, number_matches, row_matches};
        assert_eq!(number_alone("2001").as_deref(), Some("002001"));
        assert_eq!(number_alone("0020011"), None);
        assert_eq!(number_alone("20a1"), None);
        for q in ["2001", "002001", "АВК-2025-002001", "abk-2025-0020", "ABK"] {
            assert!(number_matches(q, "ABK-2025-002001"), "{q}");
        }
        for q in ["201", "12001", "ABK-2024", "CMP", "", "Ж"] {
            assert!(!number_matches(q, "ABK-2025-002001"), "{q}");
        }
        assert!(row_matches("тоо", &["ABK-2025-000001"], &["ТОО «Альфа»"]));
        assert!(row_matches(
            "2001",
            &["CMP-2025-000001", "ABK-2025-002001"],
            &[]
        ));
        assert!(!row_matches("бета", &["ABK-2025-000001"], &["ТОО «Альфа»"]));
    }

    #[test]
    fn a_refusal_names_the_character_and_what_it_is() {
        use super::{IdError, SerialChar};
        let e = canonical_serial("AB\u{0410}1").unwrap_err();
        assert_eq!(
            e,
            IdError::SerialCharacter {
                position: 3,
                ch: '\u{0410}',
                what: SerialChar::Cyrillic
            }
        );
        assert_eq!(
            e.to_string(),
            "character 3 ('А', U+0410) is not allowed, it is a Cyrillic letter: \
             a serial is made of A–Z, 0–9, - _ / ."
        );
    }

    #[test]
    fn look_alikes_are_refused_with_what_they_are() {
        for (s, what) in [
            ("\u{0410}B12", "Cyrillic"),                       // Cyrillic А
            ("A\u{0412}12", "Cyrillic"),                       // Cyrillic В
            ("\u{0391}B12", "Greek"),                          // Greek Alpha
            ("AB\u{0661}2", "digit of another script"),        // Arabic-Indic 1
            ("AB\u{0967}2", "digit of another script"),        // Devanagari 1
            ("AB\u{FF11}\u{2461}", "digit of another script"), // circled 2
            ("AB 12", "space"),
            ("AB\u{2013}12", "dash"),
            ("ÄB12", "outside the Latin alphabet"),
            ("AB#12", "a symbol"),
            ("--/.", "no letter or digit"),
        ] {
            let e = canonical_serial(s).unwrap_err().to_string();
            assert!(e.contains(what), "{s}: {e}");
        }
    }
}
