//! Statements are written once, in the SQL both engines read, with SQLite's
//! numbered placeholders `?1`, `?2`…; PostgreSQL spells them `$1`, `$2`….
//! The rewrite skips string literals and quoted identifiers, so a `?` inside
//! them is left alone.

use std::borrow::Cow;

/// The statement with `?N` (and a bare `?`, numbered in order) as `$N`.
pub fn postgres(sql: &str) -> Cow<'_, str> {
    if !sql.contains('?') {
        return Cow::Borrowed(sql);
    }
    let mut out = String::with_capacity(sql.len() + 8);
    let mut chars = sql.chars().peekable();
    let mut bare = 0usize;
    let mut quote: Option<char> = None;
    while let Some(c) = chars.next() {
        if let Some(q) = quote {
            out.push(c);
            if c == q {
                // A doubled quote stays inside the literal.
                if chars.peek() == Some(&q) {
                    out.push(chars.next().unwrap_or(q));
                } else {
                    quote = None;
                }
            }
            continue;
        }
        match c {
            '\'' | '"' => {
                quote = Some(c);
                out.push(c);
            }
            '?' => {
                out.push('$');
                let mut digits = false;
                while let Some(d) = chars.peek().copied().filter(char::is_ascii_digit) {
                    out.push(d);
                    chars.next();
                    digits = true;
                }
                if !digits {
                    bare += 1;
                    out.push_str(&bare.to_string());
                }
            }
            _ => out.push(c),
        }
    }
    Cow::Owned(out)
}

#[cfg(test)]
mod tests {
    use super::postgres;

    #[test]
    fn numbered_placeholders_become_dollars() {
        assert_eq!(
            postgres("SELECT a FROM t WHERE b = ?1 AND c = ?12"),
            "SELECT a FROM t WHERE b = $1 AND c = $12"
        );
    }

    #[test]
    fn bare_placeholders_are_numbered_in_order() {
        assert_eq!(postgres("VALUES (?, ?, ?)"), "VALUES ($1, $2, $3)");
    }

    #[test]
    fn quoted_question_marks_are_left_alone() {
        assert_eq!(
            postgres("SELECT '?1', \"a?\" FROM t WHERE x = ?1 AND y = 'it''s ?'"),
            "SELECT '?1', \"a?\" FROM t WHERE x = $1 AND y = 'it''s ?'"
        );
    }

    #[test]
    fn a_statement_without_placeholders_is_not_copied() {
        assert!(matches!(
            postgres("SELECT 1"),
            std::borrow::Cow::Borrowed(_)
        ));
    }
}
