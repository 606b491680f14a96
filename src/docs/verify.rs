//! `tizilim doc verify FILE`: a rendering (text or HTML, any language) or the
//! notice's CMS (`.p7s`, `doc export --cms`) is genuine when its CMS
//! signature verifies, the signer's certificate chains to the trust store
//! and was valid, unrevoked and fit to sign at the time the register
//! journaled the notice, the certificate is the one the register holds for
//! the signer and was in force then, the register holds the notice with that
//! very signature, and (for a rendering) the whole file is exactly the
//! rendering of the signed content — so a changed name, number, serial or
//! date anywhere in the visible text fails as surely as a changed signature.
//! Notices of the earlier format (Ed25519) verify against the register's
//! public key, read-only, and are said to be of that format.

use crate::store::sql::Sql;
use base64::Engine;

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
    /// A CMS notice needs the trust store.
    #[error("{number}: {source}")]
    Cms {
        number: String,
        source: crate::sign::cms::BadCms,
    },
    #[error(
        "{number}: the CMS's certificate is not key {fingerprint}, which the register holds for it"
    )]
    CertificateDiffers { number: String, fingerprint: String },
    #[error("{number}: the timestamp does not hold: {source}")]
    Timestamp {
        number: String,
        source: crate::sign::tsa::BadTimestamp,
    },
    #[error("the trust store: {0}")]
    Trust(#[from] crate::sign::x509::TrustError),
    #[error("the CMS does not carry a tizilim notice ({0})")]
    NotANotice(String),
    #[error("{number}: the register's time of issue {at} does not parse")]
    IssueTime { number: String, at: String },
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
    /// Signed in the earlier format (Ed25519, before certificates).
    pub earlier_format: bool,
    /// The signer's certificate: subject and IIN (CMS notices).
    pub certificate: Option<String>,
    /// The time an RFC 3161 timestamp gives the signature, if it has one.
    pub timestamped_at: Option<String>,
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

/// The trust store, opened only when a CMS notice needs it.
pub type Trust<'a> =
    &'a dyn Fn() -> Result<crate::sign::x509::TrustStore, crate::sign::x509::TrustError>;

/// Checks a notice's signature, whatever its format, against what the
/// register holds: the notice under `number` with exactly this content and
/// signature, signed by `signer` with key `fingerprint` while it was in
/// force; for a CMS, the certificate against the trust store at the
/// register's time of issue. Returns (earlier format, certificate, stamp).
/// What a file claims: the notice's number, its signer and key, the signature.
struct Claim<'a> {
    number: &'a str,
    signer: &'a str,
    fingerprint: &'a str,
    signature_b64: &'a str,
}

fn check_signature(
    conn: &dyn Sql,
    trust: Trust,
    claim: &Claim,
    canonical: &str,
    content: &NoticeContent,
) -> Result<(bool, Option<String>, Option<String>), VerifyError> {
    let Claim {
        number,
        signer,
        fingerprint,
        signature_b64,
    } = *claim;
    let b64 = base64::engine::general_purpose::STANDARD;
    let signature = b64
        .decode(signature_b64.as_bytes())
        .map_err(|_| VerifyError::SignatureDamaged)?;
    let key = super::key(conn, fingerprint)?
        .ok_or_else(|| VerifyError::UnknownKey(fingerprint.to_string()))?;
    if key.login != signer || content.signer.login != key.login {
        return Err(VerifyError::WrongSigner {
            number: number.to_string(),
            named: signer.to_string(),
            fingerprint: fingerprint.to_string(),
            owner: key.login,
        });
    }
    if content.number != number || content.signer.fingerprint != fingerprint {
        return Err(VerifyError::BlockDiffers {
            number: number.to_string(),
        });
    }
    let message = NoticeContent::message(canonical);
    let earlier = key.algorithm == crate::sign::ED25519;
    let mut certificate = None;
    let mut stamped = None;
    let issued: SignedNotice = super::get(conn, number).map_err(|_| VerifyError::NotIssued {
        number: number.to_string(),
    })?;
    if earlier {
        let public_key = b64
            .decode(key.public_key.as_bytes())
            .map_err(|_| VerifyError::PublicKeyDamaged)?;
        crate::sign::verify(&key.algorithm, &public_key, &message, &signature).map_err(
            |source| VerifyError::Signature {
                number: number.to_string(),
                source,
            },
        )?;
    } else {
        let at = chrono::DateTime::parse_from_rfc3339(&issued.at)
            .map_err(|_| VerifyError::IssueTime {
                number: number.to_string(),
                at: issued.at.clone(),
            })?
            .with_timezone(&chrono::Utc);
        let trust = trust()?;
        let v =
            crate::sign::cms::verify(&signature, Some(&message), &trust, at).map_err(|source| {
                VerifyError::Cms {
                    number: number.to_string(),
                    source,
                }
            })?;
        let der = v.certificate.to_der().map_err(|e| VerifyError::Cms {
            number: number.to_string(),
            source: crate::sign::cms::BadCms::Damaged(e.to_string()),
        })?;
        if crate::sign::fingerprint(&der) != key.fingerprint || b64.encode(&der) != key.public_key {
            return Err(VerifyError::CertificateDiffers {
                number: number.to_string(),
                fingerprint: key.fingerprint,
            });
        }
        certificate = Some(format!(
            "{}{}",
            crate::sign::x509::name_text(v.certificate.subject_name()),
            crate::sign::x509::iin_of(&v.certificate)
                .map(|i| format!(" (IIN {i})"))
                .unwrap_or_default()
        ));
        stamped = crate::sign::tsa::stamped_at(&signature, &trust)
            .map_err(|source| VerifyError::Timestamp {
                number: number.to_string(),
                source,
            })?
            .map(|t| t.to_rfc3339());
    }
    if issued.signature != signature_b64 || issued.content != canonical {
        return Err(VerifyError::OtherDocument {
            number: number.to_string(),
        });
    }
    // The key must have been in force when the notice was signed (journaled):
    // a revoked key signs nothing new, what it signed before still verifies.
    if issued.seq < key.from_seq || key.revoked_seq.is_some_and(|r| issued.seq > r) {
        return Err(VerifyError::KeyNotInForce {
            number: number.to_string(),
            fingerprint: fingerprint.to_string(),
            valid_from: key.valid_from,
            revoked_on: key.revoked_on,
        });
    }
    Ok((earlier, certificate, stamped))
}

/// Verifies a rendering against the register's keys and notices, and a CMS
/// notice's certificate against the trust store.
pub fn verify(conn: &dyn Sql, file: &str, trust: Trust) -> Result<Verified, VerifyError> {
    let b = block(file)?;
    let b64 = base64::engine::general_purpose::STANDARD;
    let canonical = b64
        .decode(b.content.as_bytes())
        .ok()
        .and_then(|v| String::from_utf8(v).ok())
        .ok_or(VerifyError::ContentDamaged)?;
    let content: NoticeContent =
        serde_json::from_str(&canonical).map_err(VerifyError::ContentParse)?;
    if b.algorithm != content.signer.algorithm {
        return Err(VerifyError::BlockDiffers { number: b.number });
    }
    let (earlier_format, certificate, timestamped_at) = check_signature(
        conn,
        trust,
        &Claim {
            number: &b.number,
            signer: &b.signer,
            fingerprint: &b.fingerprint,
            signature_b64: &b.signature,
        },
        &canonical,
        &content,
    )?;
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
        earlier_format,
        certificate,
        timestamped_at,
    })
}

/// Whether `bytes` look like a DER CMS (`doc export --cms`, a .p7s) rather
/// than a rendering.
pub fn is_cms(bytes: &[u8]) -> bool {
    bytes.first() == Some(&0x30)
}

/// Verifies a notice's CMS with its content encapsulated (`doc export
/// --cms`, a .p7s) against the register and the trust store.
pub fn verify_cms(conn: &dyn Sql, der: &[u8], trust: Trust) -> Result<Verified, VerifyError> {
    let inner = crate::sign::cms::encapsulated(der)
        .map_err(|e| VerifyError::NotANotice(e.to_string()))?
        .ok_or_else(|| VerifyError::NotANotice("it encapsulates no content".into()))?;
    let text = String::from_utf8(inner)
        .map_err(|_| VerifyError::NotANotice("the content is not UTF-8".into()))?;
    let canonical = text
        .strip_prefix(&format!("{}\n", super::CONTENT_FORMAT))
        .ok_or_else(|| VerifyError::NotANotice(format!("no {} header", super::CONTENT_FORMAT)))?
        .to_string();
    let content: NoticeContent =
        serde_json::from_str(&canonical).map_err(VerifyError::ContentParse)?;
    let number = content.number.clone();
    let issued: SignedNotice = super::get(conn, &number).map_err(|_| VerifyError::NotIssued {
        number: number.clone(),
    })?;
    // The register keeps the CMS detached: the encapsulated one is the same
    // signature with the content put back.
    let b64 = base64::engine::general_purpose::STANDARD;
    let detached = b64
        .decode(issued.signature.as_bytes())
        .map_err(|_| VerifyError::SignatureDamaged)?;
    let reattached = crate::sign::cms::attach(&detached, text.as_bytes()).map_err(|source| {
        VerifyError::Cms {
            number: number.clone(),
            source,
        }
    })?;
    if reattached != der {
        return Err(VerifyError::OtherDocument { number });
    }
    let (earlier_format, certificate, timestamped_at) = check_signature(
        conn,
        trust,
        &Claim {
            number: &number,
            signer: &content.signer.login,
            fingerprint: &content.signer.fingerprint,
            signature_b64: &issued.signature,
        },
        &canonical,
        &content,
    )?;
    // And the encapsulated signature on its own, as any CMS verifier reads it.
    if let Ok(t) = trust() {
        let at = chrono::DateTime::parse_from_rfc3339(&issued.at)
            .map(|t| t.with_timezone(&chrono::Utc))
            .unwrap_or_default();
        crate::sign::cms::verify(der, None, &t, at).map_err(|source| VerifyError::Cms {
            number: number.clone(),
            source,
        })?;
    }
    Ok(Verified {
        content,
        lang: String::new(),
        format: "cms",
        earlier_format,
        certificate,
        timestamped_at,
    })
}
