//! `tizilim key generate|revoke|list`, `tizilim doc list|render|verify`, and
//! the journal's seal (`audit seal`, `audit verify --seal`).

use std::io::Write;
use std::path::{Path, PathBuf};

use base64::Engine;
use clap::{Subcommand, ValueEnum};

use super::work::{Session, done, failed, out_file, write_out};
use super::{Failure, Lang, Outcome};
use crate::docs::{self, render};
use crate::i18n::Message;
use crate::rules::text::for_terminal;
use crate::sign::{self, Signer};
use crate::store::services::{self, ddmmyyyy};

#[derive(Subcommand, Debug)]
pub enum KeyCmd {
    /// Make (or register) your own signing key: a passphrase-protected key file
    /// in your home, its public key in the register. Only deciding roles sign.
    Generate {
        /// Your full name, as documents print it.
        #[arg(long)]
        name: Option<String>,
        /// Your position, which documents print in their language: head (of
        /// the structural unit) or deputy (the person acting for the head) —
        /// the only ones who sign exclusions (§14) — or authorized (§13)
        /// [default: authorized].
        #[arg(long, value_parser = position_parser())]
        position: Option<crate::rules::Position>,
        /// Replace your key: a new one, the old revoked from today.
        #[arg(long)]
        new: bool,
    },
    /// Revoke a key from today (yours, or any as an admin); what it signed still verifies.
    Revoke {
        /// The key's fingerprint (`tizilim key list`).
        fingerprint: String,
    },
    /// The register's public keys.
    List {
        /// One JSON array.
        #[arg(long)]
        json: bool,
    },
}

impl KeyCmd {
    /// Whether the command only reads (see `Command::only_reads`).
    pub fn only_reads(&self) -> bool {
        matches!(self, KeyCmd::List { .. })
    }
}

#[derive(Subcommand, Debug)]
pub enum DocCmd {
    /// The notices issued (of one case, or all).
    List {
        /// Only this case's notices.
        case: Option<String>,
        /// One JSON array.
        #[arg(long)]
        json: bool,
    },
    /// A notice as text or HTML, in kk, ru or en (default: the console's language).
    Render {
        /// The notice's number (`INC-2024-000001`).
        doc: String,
        /// Plain text or a self-contained HTML page.
        #[arg(long, value_enum, default_value_t = DocFormat::Text)]
        format: DocFormat,
        /// Write to this file instead of standard output.
        #[arg(long)]
        out: Option<PathBuf>,
    },
    /// Check a rendering (text or HTML) against the register's keys: exit 0 and
    /// who signed what, or exit 1 naming what does not match.
    Verify {
        /// The rendering to check (text or HTML).
        file: PathBuf,
    },
}

impl DocCmd {
    /// Whether the command only reads (see `Command::only_reads`).
    pub fn only_reads(&self) -> bool {
        !matches!(self, DocCmd::Render { out: Some(_), .. })
    }
}

#[derive(ValueEnum, Clone, Copy, Debug)]
pub enum DocFormat {
    Text,
    Html,
}

pub fn key(path: &Path, cmd: KeyCmd, out: &mut impl Write) -> Outcome {
    match cmd {
        KeyCmd::Generate {
            name,
            position,
            new,
        } => {
            let mut s = Session::open(path)?;
            services::require_role(
                s.store.conn(),
                &s.login,
                crate::rules::workflow::roles(crate::rules::workflow::Action::Include),
                "sign documents",
            )?;
            let file = sign::key_path(&s.login);
            let signer = if file.exists() && !new {
                sign::load_signer(&s.login)?
            } else {
                let p =
                    sign::passphrase(&format!("New passphrase for {}'s signing key: ", s.login))?;
                if !sign::passphrase_file_set() {
                    let again = sign::passphrase("Once more: ")?;
                    if again != p {
                        return Err(Failure::new(Message::new("err-passphrases-differ")));
                    }
                }
                let k = sign::Ed25519Signer::generate(&s.login)?;
                sign::save_key(&k, &file, &p)?;
                k
            };
            let fp = signer.fingerprint();
            let existing = docs::key(s.store.conn(), &fp)?;
            if let Some(k) = existing {
                writeln!(
                    out,
                    "{}'s key {fp} is already registered (valid from {}{})",
                    s.login,
                    ddmmyyyy(k.valid_from),
                    k.revoked_on
                        .map(|r| format!(", revoked {}", ddmmyyyy(r)))
                        .unwrap_or_default()
                )?;
                return Ok(0);
            }
            let old: Vec<String> = docs::keys(s.store.conn())?
                .into_iter()
                .filter(|k| k.login == s.login.as_str() && k.revoked_on.is_none())
                .map(|k| k.fingerprint)
                .collect();
            let name = name.unwrap_or_else(|| s.login.to_string());
            let position = position.unwrap_or(crate::rules::Position::Authorized);
            let r = s.act(|ctx| {
                for fp in &old {
                    services::revoke_key(ctx, fp)?;
                }
                services::register_key(ctx, &signer, &name, position)
            });
            match r {
                Ok(fp) => {
                    writeln!(
                        out,
                        "signing key {fp} of {} registered; the key file is {} (mode 0600, passphrase-protected){}",
                        s.login,
                        file.display(),
                        if old.is_empty() {
                            String::new()
                        } else {
                            format!("; revoked: {}", old.join(", "))
                        }
                    )?;
                    Ok(0)
                }
                Err(e) => failed(e, false, out),
            }
        }
        KeyCmd::Revoke { fingerprint } => {
            let mut s = Session::open(path)?;
            let r = s
                .act(|ctx| services::revoke_key(ctx, &fingerprint))
                .map(|()| serde_json::json!({"key": fingerprint}));
            done(
                r,
                false,
                |v| format!("key {} revoked from today", v["key"].as_str().unwrap_or("")),
                out,
            )
        }
        KeyCmd::List { json } => {
            let s = Session::reader(path)?;
            let keys = docs::keys(s.store.conn())?;
            if json {
                serde_json::to_writer_pretty(&mut *out, &keys)?;
                writeln!(out)?;
            } else {
                for k in keys {
                    writeln!(
                        out,
                        "{} {} {:<12} from {}{}  {}, {}",
                        k.algorithm,
                        k.fingerprint,
                        k.login,
                        ddmmyyyy(k.valid_from),
                        k.revoked_on
                            .map(|r| format!(" revoked {}", ddmmyyyy(r)))
                            .unwrap_or_default(),
                        for_terminal(&k.name, 60),
                        for_terminal(&k.position, 60)
                    )?;
                }
            }
            Ok(0)
        }
    }
}

pub fn doc(path: &Path, lang: Lang, cmd: DocCmd, out: &mut impl Write) -> Outcome {
    match cmd {
        DocCmd::List { case, json } => {
            let s = Session::reader(path)?;
            let case = case.map(|c| services::canonical_number(&c));
            let list = docs::list(s.store.conn(), case.as_deref())?;
            if json {
                serde_json::to_writer_pretty(&mut *out, &list)?;
                writeln!(out)?;
            } else {
                for d in list {
                    writeln!(
                        out,
                        "{:<16} {:<18} {:<16} {} signed by {} ({})",
                        d.number,
                        d.kind,
                        d.case,
                        ddmmyyyy(d.issued_on),
                        d.signer,
                        d.fingerprint
                    )?;
                }
            }
            Ok(0)
        }
        DocCmd::Render {
            doc,
            format,
            out: file,
        } => {
            let dest = file.as_deref().map(out_file).transpose()?;
            let s = Session::reader(path)?;
            let notice = docs::get(s.store.conn(), &services::canonical_number(&doc))?;
            let content = docs::parsed(&notice)?;
            let seal = render::Seal {
                signature_b64: &notice.signature,
                canonical: &notice.content,
            };
            let lang = lang.code();
            let text = match format {
                DocFormat::Text => render::text(&content, &seal, lang),
                DocFormat::Html => render::html(&content, &seal, lang),
            };
            match dest {
                Some(f) => {
                    let f = write_out(&f, text.as_bytes())?;
                    writeln!(out, "{} ({lang}) written to {}", notice.number, f.display())?;
                }
                None => out.write_all(text.as_bytes())?,
            }
            Ok(0)
        }
        DocCmd::Verify { file } => {
            let s = Session::open(path)?;
            let text = std::fs::read(&file).map_err(|e| {
                Failure::new(
                    Message::new("err-file")
                        .arg("file", file.display())
                        .arg("detail", e),
                )
            })?;
            let text = String::from_utf8(text).map_err(|_| {
                Failure::new(Message::new("err-not-utf8").arg("file", file.display()))
            })?;
            match docs::verify::verify(s.store.conn(), &text) {
                Ok(v) => {
                    let c = &v.content;
                    writeln!(
                        out,
                        "valid: {} ({}, {}, {} {}) for {} {} — signed by {} ({}, {}) with key {} {}; issued by this register",
                        c.number,
                        c.kind,
                        ddmmyyyy(c.issued_on),
                        v.lang,
                        v.format,
                        for_terminal(&c.applicant.name, 80),
                        c.applicant.bin_iin,
                        c.signer.login,
                        for_terminal(&c.signer.name, 80),
                        for_terminal(&c.signer.position, 80),
                        c.signer.algorithm,
                        c.signer.fingerprint
                    )?;
                    Ok(0)
                }
                Err(m) => {
                    eprintln!("tizilim: NOT VALID: {}", for_terminal(&m.to_string(), 600));
                    Ok(1)
                }
            }
        }
    }
}

/// `audit seal [--out FILE]`: the head, signed by an admin's own key.
pub fn seal(path: &Path, file: Option<PathBuf>, out: &mut impl Write) -> Outcome {
    let dest = file.as_deref().map(out_file).transpose()?;
    let mut s = Session::open(path)?;
    if let Err(e) = s.may(services::may::ADD_USERS, "seal the journal") {
        return failed(e, false, out);
    }
    let signer = sign::load_signer(&s.login)?;
    let r = s.act(|ctx| services::seal(ctx, &signer));
    let (seq, hash, signature) = match r {
        Ok(v) => v,
        Err(e) => return failed(e, false, out),
    };
    let seal = serde_json::json!({
        "format": "tizilim-seal/1",
        "head_seq": seq,
        "head_hash": hash,
        "signer": s.login,
        "algorithm": signer.algorithm(),
        "fingerprint": signer.fingerprint(),
        "signature": signature,
        "sealed_at": chrono::Utc::now().to_rfc3339(),
    });
    let text = serde_json::to_string_pretty(&seal)? + "\n";
    match dest {
        Some(f) => {
            let f = write_out(&f, text.as_bytes())?;
            writeln!(
                out,
                "sealed journal row {seq} ({hash}); seal written to {}",
                f.display()
            )?;
        }
        None => out.write_all(text.as_bytes())?,
    }
    Ok(0)
}

/// Why a seal file does not check out (`audit verify --seal`). Each names
/// the file first, except a damaged public key in the register.
#[derive(Debug, thiserror::Error)]
pub enum SealError {
    #[error("{file}: {source}")]
    Read {
        file: PathBuf,
        source: std::io::Error,
    },
    #[error("{file}: not a seal: {source}")]
    NotASeal {
        file: PathBuf,
        source: serde_json::Error,
    },
    /// The seal lacks a field (`head_seq`, `signer`, …).
    #[error("{file}: no {field}")]
    Missing { file: PathBuf, field: &'static str },
    /// Reading the register's keys failed.
    #[error(transparent)]
    Register(#[from] crate::store::Error),
    #[error("{file}: key {fingerprint} is not one of this register's keys")]
    UnknownKey { file: PathBuf, fingerprint: String },
    /// The register's copy of the public key is not base64.
    #[error(transparent)]
    PublicKeyDamaged(#[from] base64::DecodeError),
    #[error("{file}: the signature is damaged")]
    SignatureDamaged { file: PathBuf },
    #[error("{file}: the seal's signature does not verify ({source}): it was edited")]
    Edited {
        file: PathBuf,
        source: sign::BadSignature,
    },
    #[error("{file}: the seal names {named} but key {fingerprint} is {owner}'s")]
    WrongSigner {
        file: PathBuf,
        named: String,
        fingerprint: String,
        owner: String,
    },
    /// Reading the sealed journal row failed.
    #[error("{file}: {source}")]
    Journal {
        file: PathBuf,
        source: crate::store::Error,
    },
    #[error(
        "{file}: the register no longer holds journal row {seq}: it was truncated or rolled back to an older copy"
    )]
    Truncated { file: PathBuf, seq: i64 },
    #[error(
        "{file}: journal row {seq} has hash {found}, the seal says {sealed}: the history was rewritten"
    )]
    Rewritten {
        file: PathBuf,
        seq: i64,
        found: String,
        sealed: String,
    },
}

/// Checks one seal file against the register: the sealed row is still there
/// with the sealed hash (the chain up to the head is checked by `audit
/// verify` itself), and the signature is an admin key's of this register.
pub fn check_seal(conn: &rusqlite::Connection, file: &Path) -> Result<String, SealError> {
    let at = || file.to_path_buf();
    let text =
        std::fs::read_to_string(file).map_err(|source| SealError::Read { file: at(), source })?;
    let v: serde_json::Value =
        serde_json::from_str(&text).map_err(|source| SealError::NotASeal { file: at(), source })?;
    let missing = |field| SealError::Missing { file: at(), field };
    let get = |k: &'static str| v[k].as_str().map(String::from).ok_or_else(|| missing(k));
    let seq = v["head_seq"].as_i64().ok_or_else(|| missing("head_seq"))?;
    let hash = get("head_hash")?;
    let fp = get("fingerprint")?;
    let signer = get("signer");
    let b64 = base64::engine::general_purpose::STANDARD;
    let key = docs::key(conn, &fp)?.ok_or_else(|| SealError::UnknownKey {
        file: at(),
        fingerprint: fp.clone(),
    })?;
    let pk = b64.decode(&key.public_key)?;
    let sig = b64
        .decode(get("signature")?)
        .map_err(|_| SealError::SignatureDamaged { file: at() })?;
    sign::verify(
        &key.algorithm,
        &pk,
        &services::seal_message(seq, &hash),
        &sig,
    )
    .map_err(|source| SealError::Edited { file: at(), source })?;
    let signer = signer?;
    if key.login != signer {
        return Err(SealError::WrongSigner {
            file: at(),
            named: signer,
            fingerprint: fp,
            owner: key.login,
        });
    }
    let row = crate::store::read::queries::journal_hash(conn, seq)
        .map_err(|source| SealError::Journal { file: at(), source })?;
    match row {
        None => Err(SealError::Truncated { file: at(), seq }),
        Some(h) if h != hash => Err(SealError::Rewritten {
            file: at(),
            seq,
            found: h,
            sealed: hash,
        }),
        Some(_) => Ok(format!(
            "seal {}: row {seq} sealed by {} is intact",
            file.display(),
            key.login
        )),
    }
}

/// `--position`: one of the law's positions, listed by clap in `--help` and
/// in the error for a wrong one.
fn position_parser() -> impl clap::builder::TypedValueParser<Value = crate::rules::Position> {
    use clap::builder::TypedValueParser;
    clap::builder::PossibleValuesParser::new(crate::rules::case::POSITIONS)
        .map(|s| crate::rules::Position::parse(&s).expect("one of POSITIONS"))
}
