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

/// Why a file is not a genuine notice of this register. Each refusal after
/// the block is read names the document's number first.
#[derive(Debug, thiserror::Error)]
pub enum VerifyError {
    #[error("no signature block: this is not a tizilim notice")]
    NoBlock,
    #[error("the signature block has no end")]
    NoBlockEnd,
    /// The block ends before the line labelled so.
    #[error("the signature block lacks «{0}»")]
    Lacks(String),
    #[error("the signature block has «{line}» where «{label}» belongs")]
    Misplaced { line: String, label: String },
    #[error("the signature block's key has no algorithm")]
    NoAlgorithm,
    #[error("the signature block is in {lang} but says the language is {named}")]
    LanguageMismatch { lang: String, named: String },
    #[error("the signed content in the block is damaged")]
    ContentDamaged,
    #[error("the signature in the block is damaged")]
    SignatureDamaged,
    #[error("the signed content does not parse: {0}")]
    ContentParse(#[source] serde_json::Error),
    /// Reading the register's keys failed.
    #[error(transparent)]
    Register(#[from] crate::store::Error),
    #[error("key {0} is not one of this register's keys")]
    UnknownKey(String),
    #[error("the register's public key is damaged")]
    PublicKeyDamaged,
    #[error("{number}: {source}")]
    Signature {
        number: String,
        source: crate::sign::BadSignature,
    },
    /// The key belongs to another login than the block (or the content) names.
    #[error("{number}: the block names {named} but key {fingerprint} is {owner}'s")]
    WrongSigner {
        number: String,
        named: String,
        fingerprint: String,
        owner: String,
    },
    #[error("{number}: the block's number or key differs from the signed content")]
    BlockDiffers { number: String },
    #[error("{number} was not issued by this register")]
    NotIssued { number: String },
    #[error("{number}: this register issued a different document under that number")]
    OtherDocument { number: String },
    #[error(
        "{number}: key {fingerprint} was not in force when it was signed (valid from {valid_from}{})",
        .revoked_on.map(|r| format!(", revoked {r}")).unwrap_or_default()
    )]
    KeyNotInForce {
        number: String,
        fingerprint: String,
        valid_from: chrono::NaiveDate,
        revoked_on: Option<chrono::NaiveDate>,
    },
    /// The signature is good but the file shows other text (`difference`: the
    /// first line that differs).
    #[error("{number}: the visible text differs from the signed content — {difference}")]
    TextDiffers { number: String, difference: String },
}

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
fn block(file: &str) -> Result<Block, VerifyError> {
    for lang in LANGS {
        let p = phrases(lang);
        let Some(start) = file.find(p.get("block_begin")) else {
            continue;
        };
        let rest = &file[start + p.get("block_begin").len()..];
        let end = rest
            .find(p.get("block_end"))
            .ok_or(VerifyError::NoBlockEnd)?;
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
        let mut field = |key: &str| -> Result<String, VerifyError> {
            let label = format!("{}:", p.get(key));
            let line = lines
                .next()
                .ok_or_else(|| VerifyError::Lacks(p.get(key).to_string()))?;
            line.strip_prefix(&label)
                .map(|v| v.trim().to_string())
                .ok_or_else(|| VerifyError::Misplaced {
                    line: line.to_string(),
                    label,
                })
        };
        let number = field("block_document")?;
        let lang_named = field("block_language")?;
        let signer = field("block_signer")?;
        let key = field("block_key")?;
        let signature = field("block_signature")?;
        let _content_label = field("block_content")?;
        let content: String = lines.collect();
        let (algorithm, fingerprint) = key.split_once(' ').ok_or(VerifyError::NoAlgorithm)?;
        if lang_named != lang {
            return Err(VerifyError::LanguageMismatch {
                lang: lang.to_string(),
                named: lang_named,
            });
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
    Err(VerifyError::NoBlock)
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
pub fn verify(conn: &Connection, file: &str) -> Result<Verified, VerifyError> {
    let b = block(file)?;
    let b64 = base64::engine::general_purpose::STANDARD;
    let canonical = b64
        .decode(b.content.as_bytes())
        .ok()
        .and_then(|v| String::from_utf8(v).ok())
        .ok_or(VerifyError::ContentDamaged)?;
    let signature = b64
        .decode(b.signature.as_bytes())
        .map_err(|_| VerifyError::SignatureDamaged)?;
    let content: NoticeContent =
        serde_json::from_str(&canonical).map_err(VerifyError::ContentParse)?;
    let key = super::key(conn, &b.fingerprint)?
        .ok_or_else(|| VerifyError::UnknownKey(b.fingerprint.clone()))?;
    let public_key = b64
        .decode(key.public_key.as_bytes())
        .map_err(|_| VerifyError::PublicKeyDamaged)?;
    crate::sign::verify(
        &b.algorithm,
        &public_key,
        &NoticeContent::message(&canonical),
        &signature,
    )
    .map_err(|source| VerifyError::Signature {
        number: b.number.clone(),
        source,
    })?;
    if key.login != b.signer || content.signer.login != key.login {
        return Err(VerifyError::WrongSigner {
            number: b.number,
            named: b.signer,
            fingerprint: b.fingerprint,
            owner: key.login,
        });
    }
    if content.number != b.number || content.signer.fingerprint != b.fingerprint {
        return Err(VerifyError::BlockDiffers { number: b.number });
    }
    let issued: SignedNotice = super::get(conn, &b.number).map_err(|_| VerifyError::NotIssued {
        number: b.number.clone(),
    })?;
    if issued.signature != b.signature || issued.content != canonical {
        return Err(VerifyError::OtherDocument { number: b.number });
    }
    // The key must have been in force when the notice was signed (journaled):
    // a revoked key signs nothing new, what it signed before still verifies.
    if issued.seq < key.from_seq || key.revoked_seq.is_some_and(|r| issued.seq > r) {
        return Err(VerifyError::KeyNotInForce {
            number: b.number,
            fingerprint: b.fingerprint,
            valid_from: key.valid_from,
            revoked_on: key.revoked_on,
        });
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
        return Err(VerifyError::TextDiffers {
            number: b.number,
            difference: first_difference(&expected, file),
        });
    }
    Ok(Verified {
        content,
        lang: b.lang,
        format,
    })
}
