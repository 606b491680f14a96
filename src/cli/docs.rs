//! `tizilim key import|test-ca|test-certificate|revoke|list`, `tizilim doc
//! list|render|verify|export`, and
//! the journal's seal (`audit seal`, `audit verify --seal`).

use crate::store::sql::Locator;
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
    /// Register your certificate from your .p12 (PKCS#12, as NCA RK issues
    /// it; passphrase from the terminal or TIZILIM_PASSPHRASE_FILE). Only
    /// deciding roles sign. Accepted if it chains to a CA of the trust store,
    /// is valid today, is on no CRL there, may sign (digitalSignature or
    /// nonRepudiation), is RSA (2048 bits and up) or ECDSA P-256 (GOST 34.10
    /// is refused: no open implementation) and is of your IIN (`user set
    /// --iin`); each refusal names the check that failed. The register keeps
    /// the certificate and the file's path, never the private key.
    Import {
        /// Your .p12: your own regular file of at most 16 MiB, mode 0600 (as
        /// ssh asks of a private key).
        file: PathBuf,
        /// Your full name, as documents print it [default: the certificate's CN].
        #[arg(long)]
        name: Option<String>,
        /// Your position, which documents print in their language: head (of
        /// the structural unit) or deputy (the person acting for the head) —
        /// the only ones who sign exclusions (§14) — or authorized (§13)
        /// [default: authorized].
        #[arg(long, value_parser = position_parser())]
        position: Option<crate::rules::Position>,
    },
    /// Make a TEST certifying centre in DIR (a root CA and its CRL; its key in
    /// DIR/test-ca-private/): for trials and the demo, never real signatures.
    TestCa {
        /// The trust folder to write (`--trust`, `TIZILIM_TRUST_DIR`).
        dir: PathBuf,
    },
    /// Issue a TEST certificate (ECDSA P-256, TEST in its subject) from the
    /// test CA of the trust store into a new .p12 (mode 0600) under the
    /// passphrase from the terminal or TIZILIM_PASSPHRASE_FILE.
    TestCertificate {
        /// The IIN the certificate names (serialNumber IIN + 12 digits).
        #[arg(long)]
        iin: String,
        /// The name it names.
        #[arg(long)]
        name: String,
        /// The .p12 to write (a new file).
        #[arg(long)]
        out: PathBuf,
    },
    /// Revoke a key from today (yours, or any as an admin); what it signed still verifies.
    Revoke {
        /// The key's fingerprint (`tizilim key list`).
        fingerprint: String,
    },
    /// The register's certificates (and earlier keys).
    List {
        /// One JSON array.
        #[arg(long)]
        json: bool,
    },
}

impl KeyCmd {
    /// Whether the command only reads (see `Command::only_reads`).
    pub fn only_reads(&self) -> bool {
        matches!(
            self,
            KeyCmd::List { .. } | KeyCmd::TestCa { .. } | KeyCmd::TestCertificate { .. }
        )
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
    /// Check a rendering (text or HTML) or a notice's CMS (.p7s) against the
    /// register and the trust store: the signature; the certificate's chain
    /// to the trust store, validity, revocation and key usage at the signing
    /// time; that this register issued this very notice; that the rendering
    /// is exactly the signed content; and a timestamp's token, its TSA's
    /// certificate chaining to the trust store (timeStamping). Exit 0 and who
    /// signed what, or exit 1 naming what does not hold (in the console's
    /// language).
    Verify {
        /// The rendering (text or HTML) or the CMS (DER) to check; at most 16 MiB.
        file: PathBuf,
    },
    /// Record how and when a notice reached the applicant (issue 21): the
    /// portal's personal cabinet, e-mail, or in person at the office.
    Delivered {
        /// The notice's number (`INC-2024-000001`).
        doc: String,
        /// cabinet, email or office.
        #[arg(long, value_parser = parse_via)]
        via: crate::store::events::DeliveryVia,
        /// The day it was delivered, YYYY-MM-DD (default: today in Almaty).
        #[arg(long, value_parser = super::work::date)]
        on: Option<chrono::NaiveDate>,
        /// Print JSON instead of a line of text.
        #[arg(long)]
        json: bool,
    },
    /// Print again the receipt of a refusal to accept at the desk (§9), in
    /// the applicant's language as recorded.
    Receipt {
        /// The receipt's number (`DSK-2026-000001`).
        receipt: String,
        /// One JSON object instead of the receipt.
        #[arg(long)]
        json: bool,
    },
    /// Write a notice's signature as CMS (DER) with its canonical content
    /// encapsulated, for any CMS verifier (`openssl cms -verify -inform DER`).
    Export {
        /// The notice's number.
        doc: String,
        /// The file to write (new, 0600).
        #[arg(long)]
        cms: PathBuf,
    },
}

impl DocCmd {
    /// Whether the command only reads (see `Command::only_reads`).
    pub fn only_reads(&self) -> bool {
        !matches!(
            self,
            DocCmd::Render { out: Some(_), .. } | DocCmd::Export { .. } | DocCmd::Delivered { .. }
        )
    }
}

#[derive(ValueEnum, Clone, Copy, Debug)]
pub enum DocFormat {
    Text,
    Html,
}

/// The passphrase for a new .p12, asked twice on a terminal.
fn new_passphrase(what: &str) -> Result<String, Failure> {
    let p = sign::passphrase(&format!("New passphrase for {what}: "))?;
    if !sign::passphrase_file_set() {
        let again = sign::passphrase("Once more: ")?;
        if again != p {
            return Err(Failure::new(Message::new("err-passphrases-differ")));
        }
    }
    Ok(p)
}

pub fn key(reg: &Locator, cmd: KeyCmd, out: &mut impl Write) -> Outcome {
    match cmd {
        KeyCmd::Import {
            file,
            name,
            position,
        } => {
            let mut s = Session::open(reg)?;
            services::require_role(
                s.db(),
                &s.login,
                crate::rules::workflow::roles(crate::rules::workflow::Action::Include),
                "sign documents",
            )?;
            let file = std::path::absolute(&file).unwrap_or(file);
            let trust = sign::x509::open_configured()?;
            let iin = docs::user_iin(s.db(), &s.login)?;
            let p = sign::passphrase(&format!("Passphrase of {}: ", file.display()))?;
            let signer = sign::p12::open(
                &s.login,
                &file,
                &p,
                &trust,
                chrono::Utc::now(),
                iin.as_deref(),
            )?;
            let fp = signer.fingerprint();
            if let Some(k) = docs::key(s.db(), &fp)? {
                writeln!(
                    out,
                    "{}'s certificate {fp} is already registered (valid from {}{})",
                    s.login,
                    ddmmyyyy(k.valid_from),
                    k.revoked_on
                        .map(|r| format!(", revoked {}", ddmmyyyy(r)))
                        .unwrap_or_default()
                )?;
                return Ok(0);
            }
            let old: Vec<String> = docs::keys(s.db())?
                .into_iter()
                .filter(|k| k.login == s.login.as_str() && k.revoked_on.is_none())
                .map(|k| k.fingerprint)
                .collect();
            let name = name.unwrap_or_else(|| {
                let cn = sign::x509::common_name(signer.certificate());
                if cn.is_empty() {
                    s.login.to_string()
                } else {
                    cn
                }
            });
            let position = position.unwrap_or(crate::rules::Position::Authorized);
            let p12 = file.display().to_string();
            let r = s.act(|ctx| {
                for fp in &old {
                    services::revoke_key(ctx, fp)?;
                }
                services::register_key(ctx, &signer, &name, position, Some(&p12))
            });
            match r {
                Ok(fp) => {
                    writeln!(
                        out,
                        "certificate {fp} of {} ({}, {}) registered; it signs from {}{}",
                        s.login,
                        for_terminal(
                            &sign::x509::name_text(signer.certificate().subject_name()),
                            200
                        ),
                        signer.algorithm(),
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
        KeyCmd::TestCa { dir } => {
            let ca = sign::testca::TestCa::generate("TEST tizilim root CA")?;
            let f = ca.write(&dir)?;
            writeln!(
                out,
                "a TEST certifying centre (never for real signatures) written to {}; trust it with --trust {} or TIZILIM_TRUST_DIR",
                f.display(),
                dir.display()
            )?;
            Ok(0)
        }
        KeyCmd::TestCertificate {
            iin,
            name,
            out: file,
        } => {
            let dir = sign::x509::trust_dir()?;
            let ca = sign::testca::TestCa::load(&dir)?;
            let key = sign::testca::p256_key()?;
            let cert = ca.issue(&name, iin.trim(), &key)?;
            let p = new_passphrase(&file.display().to_string())?;
            let f = sign::p12::write(&file, &p, &name, &key, &cert, &[])?;
            writeln!(
                out,
                "a TEST certificate of IIN {} ({}) written to {} (mode 0600); register it with `tizilim key import {}`",
                iin.trim(),
                for_terminal(&sign::x509::common_name(&cert), 200),
                f.display(),
                f.display()
            )?;
            Ok(0)
        }
        KeyCmd::Revoke { fingerprint } => {
            let mut s = Session::open(reg)?;
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
            let s = Session::reader(reg)?;
            let keys = docs::keys(s.db())?;
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

fn parse_via(s: &str) -> Result<crate::store::events::DeliveryVia, super::work::ArgError> {
    crate::store::events::DeliveryVia::parse(s)
        .ok_or_else(|| super::work::ArgError::OneOf(crate::store::events::DeliveryVia::words()))
}

pub fn doc(reg: &Locator, lang: Lang, cmd: DocCmd, out: &mut impl Write) -> Outcome {
    match cmd {
        DocCmd::Delivered { doc, via, on, json } => {
            let mut s = Session::open(reg)?;
            let req = services::Delivery {
                notice: doc,
                via,
                on,
            };
            let result = s.act(|ctx| services::record_delivery(ctx, &req));
            let notice = services::canonical_number(&req.notice);
            let result = result.and_then(|case| {
                let n = docs::get(s.db(), &notice)?;
                Ok(serde_json::json!({"notice": notice, "case": case, "deliveries": n.deliveries}))
            });
            super::work::done(
                result,
                json,
                |v| {
                    let last = v["deliveries"].as_array().and_then(|d| d.last());
                    format!(
                        "{} ({}): delivered by {} on {}",
                        v["notice"].as_str().unwrap_or(""),
                        v["case"].as_str().unwrap_or(""),
                        last.and_then(|d| d["via"].as_str()).unwrap_or(""),
                        last.and_then(|d| d["on"].as_str())
                            .and_then(|d| super::work::date(d).ok())
                            .map(ddmmyyyy)
                            .unwrap_or_default()
                    )
                },
                out,
            )
        }
        DocCmd::Receipt { receipt, json } => {
            let s = Session::reader(reg)?;
            let r = crate::store::read::case_file::desk_refusal(
                s.db(),
                &services::canonical_number(&receipt),
            )?;
            if json {
                serde_json::to_writer_pretty(&mut *out, &r)?;
                writeln!(out)?;
            } else {
                writeln!(
                    out,
                    "{}",
                    crate::intake::receipt_text(&r, s.law.rules.office.zone)
                )?;
            }
            Ok(0)
        }
        DocCmd::List { case, json } => {
            let s = Session::reader(reg)?;
            let case = case.map(|c| services::canonical_number(&c));
            let list = docs::list(s.db(), case.as_deref())?;
            if json {
                serde_json::to_writer_pretty(&mut *out, &list)?;
                writeln!(out)?;
            } else {
                for d in list {
                    let delivered: Vec<String> = d
                        .deliveries
                        .iter()
                        .map(|x| format!("{} {}", x.via, ddmmyyyy(x.on)))
                        .collect();
                    writeln!(
                        out,
                        "{:<16} {:<18} {:<16} {} signed by {} ({}); {}",
                        d.number,
                        d.kind,
                        d.case,
                        ddmmyyyy(d.issued_on),
                        d.signer,
                        d.fingerprint,
                        if delivered.is_empty() {
                            "not yet delivered".to_string()
                        } else {
                            format!("delivered: {}", delivered.join(", "))
                        }
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
            let s = Session::reader(reg)?;
            let notice = docs::get(s.db(), &services::canonical_number(&doc))?;
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
            let s = Session::open(reg)?;
            let bytes = sign::read_user_file(&file).map_err(|e| {
                Failure::new(
                    Message::new("err-file")
                        .arg("file", file.display())
                        .arg("detail", e),
                )
            })?;
            let trust = || sign::x509::open_configured();
            let result = if docs::verify::is_cms(&bytes) {
                docs::verify::verify_cms(s.db(), &bytes, &trust)
            } else {
                let text = String::from_utf8(bytes).map_err(|_| {
                    Failure::new(Message::new("err-not-utf8").arg("file", file.display()))
                })?;
                docs::verify::verify(s.db(), &text, &trust)
            };
            match result {
                Ok(v) => {
                    let c = &v.content;
                    let what = if v.format == "cms" {
                        "CMS".to_string()
                    } else {
                        format!("{} {}", v.lang, v.format)
                    };
                    writeln!(
                        out,
                        "valid: {} ({}, {}, {what}) for {} {} — signed by {} ({}, {}) with {} {} {}; issued by this register{}{}",
                        c.number,
                        c.kind,
                        ddmmyyyy(c.issued_on),
                        for_terminal(&c.applicant.name, 80),
                        c.applicant.bin_iin,
                        c.signer.login,
                        for_terminal(&c.signer.name, 80),
                        for_terminal(&c.signer.position, 80),
                        if v.earlier_format {
                            "key"
                        } else {
                            "certificate"
                        },
                        c.signer.algorithm,
                        c.signer.fingerprint,
                        v.certificate
                            .as_deref()
                            .map(|s| format!("; certificate {}", for_terminal(s, 200)))
                            .unwrap_or_default(),
                        match (&v.timestamped_at, v.earlier_format) {
                            (_, true) =>
                                "; the earlier format (Ed25519, before certificates): read-only"
                                    .to_string(),
                            (Some(t), _) => format!("; timestamped {t}"),
                            (None, _) => String::new(),
                        }
                    )?;
                    Ok(0)
                }
                Err(m) => {
                    // The reason in the reader's language (its values inert).
                    let why = docs::refusal::verify(&m).render(&crate::i18n::Tr::new(lang));
                    eprintln!("tizilim: NOT VALID: {}", for_terminal(&why, 600));
                    Ok(1)
                }
            }
        }
        DocCmd::Export { doc, cms } => {
            let dest = out_file(&cms)?;
            let s = Session::reader(reg)?;
            let notice = docs::get(s.db(), &services::canonical_number(&doc))?;
            let key = docs::key(s.db(), &notice.fingerprint)?;
            if key.is_none_or(|k| k.algorithm == sign::ED25519) {
                return Err(Failure::new(Message::new("err-detail").arg(
                    "detail",
                    format!(
                        "{} is signed in the earlier format (Ed25519), not CMS: `doc render` and `doc verify` check it",
                        notice.number
                    ),
                )));
            }
            let detached = base64::engine::general_purpose::STANDARD
                .decode(notice.signature.as_bytes())
                .map_err(|e| Failure::new(Message::new("err-detail").arg("detail", e)))?;
            let der = sign::cms::attach(&detached, &docs::NoticeContent::message(&notice.content))
                .map_err(|e| Failure::new(docs::refusal::cms(&e)))?;
            let f = write_out(&dest, &der)?;
            writeln!(
                out,
                "{}: CMS (DER, content encapsulated) written to {}",
                notice.number,
                f.display()
            )?;
            Ok(0)
        }
    }
}

/// `audit seal [--out FILE]`: the head, signed by an admin's own key.
pub fn seal(reg: &Locator, file: Option<PathBuf>, out: &mut impl Write) -> Outcome {
    let dest = file.as_deref().map(out_file).transpose()?;
    let mut s = Session::open(reg)?;
    if let Err(e) = s.may(services::may::ADD_USERS, "seal the journal") {
        return failed(e, false, out);
    }
    let signer = docs::open_signer(s.db(), &s.login, None, chrono::Utc::now())?;
    let r = s.act(|ctx| services::seal(ctx, &signer));
    let (seq, hash, signature) = match r {
        Ok(v) => v,
        Err(e) => return failed(e, false, out),
    };
    // The seal file carries the CMS with the sealed message encapsulated:
    // any CMS verifier reads it; `audit verify --seal` checks it.
    let b64 = base64::engine::general_purpose::STANDARD;
    let detached = b64
        .decode(signature.as_bytes())
        .map_err(|e| Failure::new(Message::new("err-detail").arg("detail", e)))?;
    let attached = sign::cms::attach(&detached, &services::seal_message(seq, &hash))
        .map_err(|e| Failure::new(docs::refusal::cms(&e)))?;
    let seal = serde_json::json!({
        "format": "tizilim-seal/2",
        "head_seq": seq,
        "head_hash": hash,
        "signer": s.login,
        "algorithm": signer.algorithm(),
        "fingerprint": signer.fingerprint(),
        "cms": b64.encode(attached),
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
/// the file first.
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
    /// Reading the register failed.
    #[error(transparent)]
    Register(#[from] crate::store::Error),
    #[error(
        "{file}: a seal of the earlier format (an Ed25519 key the register itself holds) proves nothing the register's owner could not forge: take a new seal with a certificate (`tizilim audit seal`)"
    )]
    EarlierFormat { file: PathBuf },
    #[error("{file}: the seal's CMS is damaged")]
    CmsDamaged { file: PathBuf },
    #[error(
        "{file}: the seal's signature does not verify ({source}): it was edited or its certificate is not trusted"
    )]
    Cms {
        file: PathBuf,
        source: sign::cms::BadCms,
    },
    #[error(
        "{file}: the seal does not verify: its CMS seals other content than row {seq} with hash {hash}: it was edited"
    )]
    OtherContent {
        file: PathBuf,
        seq: i64,
        hash: String,
    },
    #[error("{file}: the trust store: {source}")]
    Trust {
        file: PathBuf,
        source: sign::x509::TrustError,
    },
    #[error("{file}: {login} was not an admin at journal row {seq}{}", .role.as_deref().map(|r| format!(" (but {r})")).unwrap_or_default())]
    NotAdmin {
        file: PathBuf,
        login: String,
        seq: i64,
        role: Option<String>,
    },
    #[error("{file}: the seal's certificate is of IIN {found}, but {login}'s IIN at journal row {seq} was {}", .expected.as_deref().unwrap_or("not recorded"))]
    OtherIin {
        file: PathBuf,
        login: String,
        seq: i64,
        found: String,
        expected: Option<String>,
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

impl SealError {
    /// The refusal in the catalog's words (`err-seal-*`): the file named
    /// first, inert.
    pub fn message(&self) -> Message {
        use crate::docs::refusal;
        let f = |p: &PathBuf| p.display().to_string();
        match self {
            SealError::Read { file, source } => Message::new("err-seal-read")
                .arg("file", f(file))
                .arg("detail", source),
            SealError::NotASeal { file, source } => Message::new("err-seal-not-a-seal")
                .arg("file", f(file))
                .arg("detail", source),
            SealError::Missing { file, field } => Message::new("err-seal-missing")
                .arg("file", f(file))
                .arg("field", field),
            SealError::Register(e) => e.message(),
            SealError::EarlierFormat { file } => {
                Message::new("err-seal-earlier-format").arg("file", f(file))
            }
            SealError::CmsDamaged { file } => {
                Message::new("err-seal-cms-damaged").arg("file", f(file))
            }
            SealError::Cms { file, source } => Message::new("err-seal-cms")
                .arg("file", f(file))
                .nest("why", refusal::cms(source)),
            SealError::OtherContent { file, seq, hash } => Message::new("err-seal-other-content")
                .arg("file", f(file))
                .arg("seq", seq)
                .arg("hash", hash),
            SealError::Trust { file, source } => Message::new("err-seal-trust")
                .arg("file", f(file))
                .nest("why", refusal::trust(source)),
            SealError::NotAdmin {
                file,
                login,
                seq,
                role,
            } => match role {
                None => Message::new("err-seal-not-admin"),
                Some(r) => Message::new("err-seal-not-admin-but")
                    .nest("role", crate::store::reason::roles(r)),
            }
            .arg("file", f(file))
            .arg("login", login)
            .arg("seq", seq),
            SealError::OtherIin {
                file,
                login,
                seq,
                found,
                expected,
            } => match expected {
                Some(x) => Message::new("err-seal-other-iin").arg("expected", x),
                None => Message::new("err-seal-other-iin-none"),
            }
            .arg("file", f(file))
            .arg("login", login)
            .arg("seq", seq)
            .arg("found", found),
            SealError::Journal { file, source } => Message::new("err-seal-journal")
                .arg("file", f(file))
                .nest("why", source.message()),
            SealError::Truncated { file, seq } => Message::new("err-seal-truncated")
                .arg("file", f(file))
                .arg("seq", seq),
            SealError::Rewritten {
                file,
                seq,
                found,
                sealed,
            } => Message::new("err-seal-rewritten")
                .arg("file", f(file))
                .arg("seq", seq)
                .arg("found", found)
                .arg("sealed", sealed),
        }
    }
}

/// Checks one seal file against the register and the trust store: the
/// sealed row is still there with the sealed hash (the chain up to the head
/// is checked by `audit verify` itself), the CMS seals exactly that row and
/// hash, its certificate chains to the trust store (valid, unrevoked and fit
/// to sign when the row was written), and it is the certificate of a login
/// that was admin at the sealed row, by the IIN recorded for it. Nothing the
/// register holds makes a seal trusted.
pub fn check_seal(conn: &rusqlite::Connection, file: &Path) -> Result<String, SealError> {
    let at = || file.to_path_buf();
    let bytes =
        sign::read_user_file(file).map_err(|source| SealError::Read { file: at(), source })?;
    let v: serde_json::Value = serde_json::from_slice(&bytes)
        .map_err(|source| SealError::NotASeal { file: at(), source })?;
    let missing = |field| SealError::Missing { file: at(), field };
    let get = |k: &'static str| v[k].as_str().map(String::from).ok_or_else(|| missing(k));
    let seq = v["head_seq"].as_i64().ok_or_else(|| missing("head_seq"))?;
    let hash = get("head_hash")?;
    let signer = get("signer")?;
    if v["format"].as_str() == Some("tizilim-seal/1") {
        return Err(SealError::EarlierFormat { file: at() });
    }
    let der = base64::engine::general_purpose::STANDARD
        .decode(get("cms")?)
        .map_err(|_| SealError::CmsDamaged { file: at() })?;
    let sealed =
        sign::cms::encapsulated(&der).map_err(|source| SealError::Cms { file: at(), source })?;
    if sealed.as_deref() != Some(services::seal_message(seq, &hash).as_slice()) {
        return Err(SealError::OtherContent {
            file: at(),
            seq,
            hash,
        });
    }
    let row = crate::store::read::queries::journal_hash(conn, seq)
        .map_err(|source| SealError::Journal { file: at(), source })?;
    match row {
        None => return Err(SealError::Truncated { file: at(), seq }),
        Some(h) if h != hash => {
            return Err(SealError::Rewritten {
                file: at(),
                seq,
                found: h,
                sealed: hash,
            });
        }
        Some(_) => {}
    }
    let when = docs::journal_at(conn, seq)?
        .and_then(|t| chrono::DateTime::parse_from_rfc3339(&t).ok())
        .map(|t| t.with_timezone(&chrono::Utc))
        .ok_or(SealError::Truncated { file: at(), seq })?;
    let trust =
        sign::x509::open_configured().map_err(|source| SealError::Trust { file: at(), source })?;
    let verified = sign::cms::verify(&der, None, &trust, when)
        .map_err(|source| SealError::Cms { file: at(), source })?;
    let role = docs::role_at(conn, &signer, seq)?;
    if role != Some(crate::rules::Role::Admin) {
        return Err(SealError::NotAdmin {
            file: at(),
            login: signer,
            seq,
            role: role.map(|r| r.to_string()),
        });
    }
    let expected = docs::iin_at(conn, &signer, seq)?;
    let found = sign::x509::iin_of(&verified.certificate).unwrap_or_else(|| "none".into());
    if expected.as_deref() != Some(found.as_str()) {
        return Err(SealError::OtherIin {
            file: at(),
            login: signer,
            seq,
            found,
            expected,
        });
    }
    Ok(format!(
        "seal {}: row {seq} sealed by {} (admin; certificate {}) is intact",
        file.display(),
        signer,
        for_terminal(
            &sign::x509::name_text(verified.certificate.subject_name()),
            200
        )
    ))
}

/// `--position`: one of the law's positions, listed by clap in `--help` and
/// in the error for a wrong one.
fn position_parser() -> impl clap::builder::TypedValueParser<Value = crate::rules::Position> {
    use clap::builder::TypedValueParser;
    clap::builder::PossibleValuesParser::new(crate::rules::case::POSITIONS)
        .map(|s| crate::rules::Position::parse(&s).expect("one of POSITIONS"))
}
