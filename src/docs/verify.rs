//! `tizilim doc verify FILE`: a rendering (text or HTML, any language) is
//! genuine when its signature verifies against the register's public key for
//! the signer, the key was valid on the day of issue, the register holds the
//! notice with that signature, and the whole file is exactly the rendering of
//! the signed content — so a changed name, number, serial or date anywhere in
//! the visible text fails as surely as a changed signature.

use base64::Engine;
use rusqlite::Connection;

use super::render::{self, LANGS, Seal, phrases};
use super::{NoticeContent, SignedNotice};

/// What a verified document is.
#[derive(Debug)]
pub struct Verified {
    pub content: NoticeContent,
    pub lang: String,
    pub format: &'static str,
}

fn unescape(s: &str) -> String {
    s.replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&quot;", "\"")
        .replace("&#39;", "'")
        .replace("&amp;", "&")
}

struct Block {
    lang: String,
    number: String,
    signer: String,
    algorithm: String,
    fingerprint: String,
    signature: String,
    content: String,
}

/// Finds and parses the verification block.
fn block(file: &str) -> Result<Block, String> {
    for lang in LANGS {
        let p = phrases(lang);
        let Some(start) = file.find(p.get("block_begin")) else {
            continue;
        };
        let rest = &file[start + p.get("block_begin").len()..];
        let end = rest
            .find(p.get("block_end"))
            .ok_or("the signature block has no end")?;
        // The HTML page splits the block in two <pre>s: drop the tags first
        // (real text has none: it is escaped), then unescape.
        let mut bare = String::with_capacity(end);
        let mut in_tag = false;
        for ch in rest[..end].chars() {
            match ch {
                '<' => in_tag = true,
                '>' => in_tag = false,
                c if !in_tag => bare.push(c),
                _ => {}
            }
        }
        let text = unescape(&bare);
        let mut lines = text.lines().filter(|l| !l.is_empty());
        let mut field = |key: &str| -> Result<String, String> {
            let label = format!("{}:", p.get(key));
            let line = lines
                .next()
                .ok_or_else(|| format!("the signature block lacks «{}»", p.get(key)))?;
            line.strip_prefix(&label)
                .map(|v| v.trim().to_string())
                .ok_or_else(|| format!("the signature block has «{line}» where «{label}» belongs"))
        };
        let number = field("block_document")?;
        let lang_named = field("block_language")?;
        let signer = field("block_signer")?;
        let key = field("block_key")?;
        let signature = field("block_signature")?;
        let _content_label = field("block_content")?;
        let content: String = lines.collect();
        let (algorithm, fingerprint) = key
            .split_once(' ')
            .ok_or("the signature block's key has no algorithm")?;
        if lang_named != lang {
            return Err(format!(
                "the signature block is in {lang} but says the language is {lang_named}"
            ));
        }
        return Ok(Block {
            lang: lang.to_string(),
            number,
            signer,
            algorithm: algorithm.into(),
            fingerprint: fingerprint.into(),
            signature,
            content,
        });
    }
    Err("no signature block: this is not a tizilim notice".into())
}

/// The first line where two texts differ, for the message.
fn first_difference(expected: &str, found: &str) -> String {
    for (i, (e, f)) in expected.lines().zip(found.lines()).enumerate() {
        if e != f {
            return format!(
                "line {}: the signed content reads «{}», the file «{}»",
                i + 1,
                crate::rules::text::for_terminal(e.trim(), 120),
                crate::rules::text::for_terminal(f.trim(), 120)
            );
        }
    }
    format!(
        "the file has {} lines, the signed content {}",
        found.lines().count(),
        expected.lines().count()
    )
}

/// Verifies a rendering against the register's keys and notices.
pub fn verify(conn: &Connection, file: &str) -> Result<Verified, String> {
    let b = block(file)?;
    let b64 = base64::engine::general_purpose::STANDARD;
    let canonical = b64
        .decode(b.content.as_bytes())
        .ok()
        .and_then(|v| String::from_utf8(v).ok())
        .ok_or("the signed content in the block is damaged")?;
    let signature = b64
        .decode(b.signature.as_bytes())
        .map_err(|_| "the signature in the block is damaged")?;
    let content: NoticeContent = serde_json::from_str(&canonical)
        .map_err(|e| format!("the signed content does not parse: {e}"))?;
    let key = super::key(conn, &b.fingerprint)
        .map_err(|e| e.to_string())?
        .ok_or_else(|| format!("key {} is not one of this register's keys", b.fingerprint))?;
    let public_key = b64
        .decode(key.public_key.as_bytes())
        .map_err(|_| "the register's public key is damaged")?;
    crate::sign::verify(
        &b.algorithm,
        &public_key,
        &NoticeContent::message(&canonical),
        &signature,
    )
    .map_err(|e| format!("{}: {e}", b.number))?;
    if key.login != b.signer || content.signer.login != key.login {
        return Err(format!(
            "{}: the block names {} but key {} is {}'s",
            b.number, b.signer, b.fingerprint, key.login
        ));
    }
    if content.number != b.number || content.signer.fingerprint != b.fingerprint {
        return Err(format!(
            "{}: the block's number or key differs from the signed content",
            b.number
        ));
    }
    let issued: SignedNotice = super::get(conn, &b.number)
        .map_err(|_| format!("{} was not issued by this register", b.number))?;
    if issued.signature != b.signature || issued.content != canonical {
        return Err(format!(
            "{}: this register issued a different document under that number",
            b.number
        ));
    }
    // The key must have been in force when the notice was signed (journaled):
    // a revoked key signs nothing new, what it signed before still verifies.
    if issued.seq < key.from_seq || key.revoked_seq.is_some_and(|r| issued.seq > r) {
        return Err(format!(
            "{}: key {} was not in force when it was signed (valid from {}{})",
            b.number,
            b.fingerprint,
            key.valid_from,
            key.revoked_on
                .map(|r| format!(", revoked {r}"))
                .unwrap_or_default()
        ));
    }
    let seal = Seal {
        signature_b64: &b.signature,
        canonical: &canonical,
    };
    let (format, expected) = if file.trim_start().starts_with("<!DOCTYPE html>") {
        ("html", render::html(&content, &seal, &b.lang))
    } else {
        ("text", render::text(&content, &seal, &b.lang))
    };
    if expected != file {
        return Err(format!(
            "{}: the visible text differs from the signed content — {}",
            b.number,
            first_difference(&expected, file)
        ));
    }
    Ok(Verified {
        content,
        lang: b.lang,
        format,
    })
}
