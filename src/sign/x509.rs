//! The trust store and the checks on a signer's certificate (issue 19).
//!
//! Trust lives outside the register: a folder (`--trust DIR`,
//! `TIZILIM_TRUST_DIR`, the package's root-owned `/etc/tizilim/trust`) of PEM
//! CA certificates — the NCA RK root and intermediates — and CRLs (PEM or
//! DER). Nothing the register holds adds trust. A certificate signs only if it
//! chains to a CA there, is valid at the time, is on no CRL there, has the
//! digitalSignature or nonRepudiation key usage, carries an algorithm we can
//! check (ECDSA P-256, RSA of 2048 bits and up; GOST 34.10 is refused by
//! name) and, for a login, names the login's IIN in its subject's
//! serialNumber (`IIN` + 12 digits, as NCA RK writes it).

use std::path::{Path, PathBuf};

use chrono::{DateTime, Utc};
use openssl::nid::Nid;
use openssl::pkey::Id;
use openssl::ssl::SslFiletype;
use openssl::stack::Stack;
use openssl::x509::store::{X509Lookup, X509Store, X509StoreBuilder};
use openssl::x509::verify::X509VerifyFlags;
use openssl::x509::verify::X509VerifyParam;
use openssl::x509::{CrlStatus, X509, X509Crl, X509KeyUsage, X509StoreContext};

use super::read_user_file;

/// The package's trust store.
pub const SYSTEM_TRUST_DIR: &str = "/etc/tizilim/trust";

/// `--trust DIR`, set once by the command line.
static EXPLICIT: std::sync::OnceLock<PathBuf> = std::sync::OnceLock::new();

/// Records `--trust DIR` for this run.
pub fn set_trust_dir(dir: PathBuf) {
    let _ = EXPLICIT.set(dir);
}

/// The trust store's folder: `--trust`, else `TIZILIM_TRUST_DIR`, else the
/// package's `/etc/tizilim/trust`. A clerk's run of the installed set-ID
/// program may name no other than the package's: a folder of the clerk's own
/// would let the clerk trust a CA of their own making.
pub fn trust_dir() -> Result<PathBuf, TrustError> {
    let named = EXPLICIT.get().cloned().or_else(|| {
        std::env::var_os("TIZILIM_TRUST_DIR")
            .filter(|d| !d.is_empty())
            .map(PathBuf::from)
    });
    match named {
        Some(d) if crate::privilege::confined() && d != Path::new(SYSTEM_TRUST_DIR) => {
            Err(TrustError::NotAllowed(d))
        }
        Some(d) => Ok(d),
        None => Ok(PathBuf::from(SYSTEM_TRUST_DIR)),
    }
}

/// Opens the trust store [`trust_dir`] names.
pub fn open_configured() -> Result<TrustStore, TrustError> {
    TrustStore::open(&trust_dir()?)
}

/// Why a trust store cannot be read.
#[derive(Debug, thiserror::Error)]
pub enum TrustError {
    #[error(
        "the trust store {0} is not the package's {SYSTEM_TRUST_DIR}: the installed program trusts no other"
    )]
    NotAllowed(PathBuf),
    #[error("the trust store {0} cannot be read: {1}")]
    Read(PathBuf, String),
    #[error(
        "the trust store {0} holds no CA certificate (PEM): install the certifying centre's root there"
    )]
    Empty(PathBuf),
    #[error("the trust store file {0} is neither a PEM certificate nor a CRL: {1}")]
    BadFile(PathBuf, String),
}

/// Why a certificate may not sign (or its signature is not accepted). Each
/// names which check failed.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum CertRefused {
    #[error("the certificate does not chain to a CA in the trust store {trust}: {reason}")]
    Untrusted { trust: String, reason: String },
    #[error("the certificate is not valid at {at}: it is valid from {not_before} to {not_after}")]
    NotValid {
        at: String,
        not_before: String,
        not_after: String,
    },
    #[error(
        "the certificate (serial {serial}) is revoked on a CRL in the trust store since {since}"
    )]
    Revoked { serial: String, since: String },
    #[error("the trust store has no valid CRL for the certificate's issuer {issuer}: {reason}")]
    NoCrl { issuer: String, reason: String },
    #[error("the certificate's key usage allows neither digitalSignature nor nonRepudiation")]
    KeyUsage,
    #[error(
        "the certificate's key is GOST 34.10 ({oid}): no open implementation exists to check it today; sign with an RSA or ECDSA P-256 certificate"
    )]
    Gost { oid: String },
    #[error(
        "the certificate's key algorithm {0} is not accepted (RSA of 2048 bits and up, ECDSA P-256)"
    )]
    Algorithm(String),
    #[error("the certificate's subject names no IIN (serialNumber IIN + 12 digits)")]
    NoIin,
    #[error("the certificate is of IIN {found}, but {login}'s IIN is {expected}")]
    OtherIin {
        login: String,
        found: String,
        expected: String,
    },
    #[error(
        "{login} has no IIN in the register: an admin sets it (`tizilim user set {login} --iin IIN`)"
    )]
    LoginHasNoIin { login: String },
    #[error("the certificate cannot be read: {0}")]
    Damaged(String),
}

/// The CA certificates and CRLs of one folder, read once.
pub struct TrustStore {
    dir: PathBuf,
    cas: Vec<X509>,
    crls: Vec<X509Crl>,
    /// The CRL files, for openssl's own lookup (PEM or DER).
    crl_files: Vec<(PathBuf, SslFiletype)>,
}

impl TrustStore {
    /// Reads every regular file of `dir`: PEM certificates (one or more per
    /// file) and CRLs (PEM or DER). Files of other kinds are an error, so a
    /// misplaced file is seen rather than ignored.
    pub fn open(dir: &Path) -> Result<TrustStore, TrustError> {
        let rd = std::fs::read_dir(dir).map_err(|e| TrustError::Read(dir.into(), e.to_string()))?;
        let mut names: Vec<PathBuf> = rd.filter_map(|e| e.ok().map(|e| e.path())).collect();
        names.sort();
        let mut cas = Vec::new();
        let mut crls = Vec::new();
        let mut crl_files = Vec::new();
        for path in names {
            let name = path.file_name().and_then(|n| n.to_str()).unwrap_or("");
            if name.starts_with('.') || path.is_dir() {
                continue;
            }
            let bytes =
                read_user_file(&path).map_err(|e| TrustError::Read(path.clone(), e.to_string()))?;
            let text = String::from_utf8_lossy(&bytes);
            if text.contains("-----BEGIN X509 CRL-----") {
                crls.push(
                    X509Crl::from_pem(&bytes)
                        .map_err(|e| TrustError::BadFile(path.clone(), e.to_string()))?,
                );
                crl_files.push((path.clone(), SslFiletype::PEM));
            } else if text.contains("-----BEGIN CERTIFICATE-----") {
                cas.extend(
                    X509::stack_from_pem(&bytes)
                        .map_err(|e| TrustError::BadFile(path.clone(), e.to_string()))?,
                );
            } else if let Ok(crl) = X509Crl::from_der(&bytes) {
                crls.push(crl);
                crl_files.push((path.clone(), SslFiletype::ASN1));
            } else if let Ok(c) = X509::from_der(&bytes) {
                cas.push(c);
            } else {
                return Err(TrustError::BadFile(path, "not PEM or DER".into()));
            }
        }
        if cas.is_empty() {
            return Err(TrustError::Empty(dir.into()));
        }
        Ok(TrustStore {
            dir: dir.into(),
            cas,
            crls,
            crl_files,
        })
    }

    pub fn path(&self) -> &Path {
        &self.dir
    }

    fn store(&self, at: DateTime<Utc>, crl: bool) -> Result<X509Store, CertRefused> {
        let damaged = |e: openssl::error::ErrorStack| CertRefused::Damaged(e.to_string());
        let mut b = X509StoreBuilder::new().map_err(damaged)?;
        for c in &self.cas {
            b.add_cert(c.clone()).map_err(damaged)?;
        }
        let mut param = X509VerifyParam::new().map_err(damaged)?;
        if crl {
            // rust-openssl adds CRLs through the store's file lookup.
            let lookup = b.add_lookup(X509Lookup::file()).map_err(damaged)?;
            for (path, kind) in &self.crl_files {
                lookup.load_crl_file(path, *kind).map_err(damaged)?;
            }
            param
                .set_flags(X509VerifyFlags::CRL_CHECK | X509VerifyFlags::CRL_CHECK_ALL)
                .map_err(damaged)?;
        }
        param.set_time(at.timestamp() as _);
        b.set_param(&param).map_err(damaged)?;
        Ok(b.build())
    }

    /// The chain check of a certificate at `at`, openssl's way: chain,
    /// validity and (with `crl`) revocation on the CRLs of the store, every
    /// CA of the chain included.
    fn chain(
        &self,
        cert: &X509,
        extra: &[X509],
        at: DateTime<Utc>,
        crl: bool,
    ) -> Result<(), CertRefused> {
        let damaged = |e: openssl::error::ErrorStack| CertRefused::Damaged(e.to_string());
        let store = self.store(at, crl)?;
        let mut chain = Stack::new().map_err(damaged)?;
        for c in extra {
            chain.push(c.clone()).map_err(damaged)?;
        }
        let mut ctx = X509StoreContext::new().map_err(damaged)?;
        let (ok, code, msg) = ctx
            .init(&store, cert, &chain, |c| {
                let ok = c.verify_cert()?;
                Ok((ok, c.error().as_raw(), c.error().error_string().to_string()))
            })
            .map_err(damaged)?;
        if ok {
            return Ok(());
        }
        use openssl_sys as ffi;
        Err(match code {
            ffi::X509_V_ERR_CERT_HAS_EXPIRED | ffi::X509_V_ERR_CERT_NOT_YET_VALID => {
                CertRefused::NotValid {
                    at: at.to_rfc3339(),
                    not_before: cert.not_before().to_string(),
                    not_after: cert.not_after().to_string(),
                }
            }
            ffi::X509_V_ERR_CERT_REVOKED => CertRefused::Revoked {
                serial: serial_hex(cert),
                since: self
                    .revoked_since(cert)
                    .unwrap_or_else(|| "a date the CRL gives".into()),
            },
            ffi::X509_V_ERR_UNABLE_TO_GET_CRL
            | ffi::X509_V_ERR_CRL_HAS_EXPIRED
            | ffi::X509_V_ERR_CRL_NOT_YET_VALID
            | ffi::X509_V_ERR_CRL_SIGNATURE_FAILURE
            | ffi::X509_V_ERR_UNABLE_TO_DECRYPT_CRL_SIGNATURE => CertRefused::NoCrl {
                issuer: cert.issuer_name_text(),
                reason: msg,
            },
            _ => CertRefused::Untrusted {
                trust: self.dir.display().to_string(),
                reason: msg,
            },
        })
    }

    /// When `cert` was revoked, by a CRL of the store that its issuer signed.
    fn revoked_since(&self, cert: &X509) -> Option<String> {
        self.revoked_at(cert).map(|(_, s)| s)
    }

    fn revoked_at(&self, cert: &X509) -> Option<(i64, String)> {
        let issuer = self
            .cas
            .iter()
            .find(|ca| ca.issued(cert) == openssl::x509::X509VerifyResult::OK)?;
        let key = issuer.public_key().ok()?;
        for crl in &self.crls {
            if !crl.verify(&key).unwrap_or(false) {
                continue;
            }
            if let CrlStatus::Revoked(r) = crl.get_by_cert(cert) {
                let date = r.revocation_date();
                return Some((asn1_unix(date)?, date.to_string()));
            }
        }
        None
    }

    /// May `cert` sign now? Chain, validity now, every CRL (openssl's
    /// `CRL_CHECK | CRL_CHECK_ALL`), key usage, algorithm; and, given a
    /// login's IIN, that the certificate is that IIN's. Run once when a
    /// signer is opened or a key imported, not per notice.
    pub fn check_signer(
        &self,
        cert: &X509,
        extra: &[X509],
        now: DateTime<Utc>,
        iin: Option<(&str, Option<&str>)>,
    ) -> Result<&'static str, CertRefused> {
        let algorithm = algorithm(cert)?;
        self.chain(cert, extra, now, true)?;
        key_usage(cert)?;
        if let Some((login, expected)) = iin {
            let expected = expected.ok_or_else(|| CertRefused::LoginHasNoIin {
                login: login.to_string(),
            })?;
            let found = iin_of(cert).ok_or(CertRefused::NoIin)?;
            if found != expected {
                return Err(CertRefused::OtherIin {
                    login: login.to_string(),
                    found,
                    expected: expected.to_string(),
                });
            }
        }
        Ok(algorithm)
    }

    /// Did `cert` sign validly at `signed_at` (the register's time of the
    /// signature)? Chain and validity at that time; a CRL of the store that
    /// revokes it from a date on or before `signed_at` refuses it, one that
    /// revokes it later does not (what it signed before still verifies).
    pub fn check_signed_at(
        &self,
        cert: &X509,
        extra: &[X509],
        signed_at: DateTime<Utc>,
    ) -> Result<&'static str, CertRefused> {
        let algorithm = algorithm(cert)?;
        self.chain(cert, extra, signed_at, false)?;
        key_usage(cert)?;
        if let Some((when, since)) = self.revoked_at(cert)
            && when <= signed_at.timestamp()
        {
            return Err(CertRefused::Revoked {
                serial: serial_hex(cert),
                since,
            });
        }
        Ok(algorithm)
    }

    /// The CA certificates, for CMS verification.
    pub fn x509_store(&self, at: DateTime<Utc>) -> Result<X509Store, CertRefused> {
        self.store(at, false)
    }
}

trait IssuerText {
    fn issuer_name_text(&self) -> String;
}

impl IssuerText for X509 {
    fn issuer_name_text(&self) -> String {
        name_text(self.issuer_name())
    }
}

/// `CN=…, O=…` of a name, for messages.
pub fn name_text(name: &openssl::x509::X509NameRef) -> String {
    name.entries()
        .map(|e| {
            format!(
                "{}={}",
                e.object().nid().short_name().unwrap_or("?"),
                e.data().to_string().unwrap_or_default()
            )
        })
        .collect::<Vec<_>>()
        .join(", ")
}

fn serial_hex(cert: &X509) -> String {
    cert.serial_number()
        .to_bn()
        .and_then(|b| b.to_hex_str().map(|s| s.to_string()))
        .unwrap_or_default()
}

fn asn1_unix(t: &openssl::asn1::Asn1TimeRef) -> Option<i64> {
    let epoch = openssl::asn1::Asn1Time::from_unix(0).ok()?;
    let d = epoch.diff(t).ok()?;
    Some(i64::from(d.days) * 86_400 + i64::from(d.secs))
}

/// The key usage a signature needs.
fn key_usage(cert: &X509) -> Result<(), CertRefused> {
    match cert.key_usage() {
        None => Ok(()),
        Some(ku)
            if ku.intersects(X509KeyUsage::DIGITAL_SIGNATURE | X509KeyUsage::NON_REPUDIATION) =>
        {
            Ok(())
        }
        Some(_) => Err(CertRefused::KeyUsage),
    }
}

/// GOST R 34.10 keys and signatures live under 1.2.643 (Russian
/// standards, which Kazakhstan's ST RK 34.10 certificates use too).
const GOST_ARC: &str = "1.2.643.";

/// The signer's algorithm as the register names it: `ecdsa-p256` or
/// `rsa-N`; a GOST key is refused by name.
pub fn algorithm(cert: &X509) -> Result<&'static str, CertRefused> {
    use der::Decode;
    let parsed = x509_cert::Certificate::from_der(
        &cert
            .to_der()
            .map_err(|e| CertRefused::Damaged(e.to_string()))?,
    )
    .map_err(|e| CertRefused::Damaged(e.to_string()))?;
    let key_oid = parsed
        .tbs_certificate
        .subject_public_key_info
        .algorithm
        .oid
        .to_string();
    let sig_oid = parsed.signature_algorithm.oid.to_string();
    for oid in [&key_oid, &sig_oid] {
        if oid.starts_with(GOST_ARC) {
            return Err(CertRefused::Gost { oid: oid.clone() });
        }
    }
    let key = cert
        .public_key()
        .map_err(|_| CertRefused::Algorithm(key_oid.clone()))?;
    match key.id() {
        Id::EC => {
            let ec = key
                .ec_key()
                .map_err(|e| CertRefused::Damaged(e.to_string()))?;
            if ec.group().curve_name() == Some(Nid::X9_62_PRIME256V1) {
                Ok("ecdsa-p256")
            } else {
                Err(CertRefused::Algorithm(format!(
                    "ECDSA over {}",
                    ec.group()
                        .curve_name()
                        .and_then(|n| n.short_name().ok())
                        .unwrap_or("an unnamed curve")
                )))
            }
        }
        Id::RSA => match key.bits() {
            b if b >= 4096 => Ok("rsa-4096"),
            b if b >= 3072 => Ok("rsa-3072"),
            b if b >= 2048 => Ok("rsa-2048"),
            b => Err(CertRefused::Algorithm(format!("RSA of {b} bits"))),
        },
        _ => Err(CertRefused::Algorithm(key_oid)),
    }
}

/// The IIN the subject's serialNumber names (`IIN` + 12 digits).
pub fn iin_of(cert: &X509) -> Option<String> {
    cert.subject_name()
        .entries_by_nid(Nid::SERIALNUMBER)
        .filter_map(|e| e.data().to_string().ok())
        .find_map(|s| {
            let digits = s.strip_prefix("IIN")?;
            (digits.len() == 12 && digits.bytes().all(|b| b.is_ascii_digit()))
                .then(|| digits.to_string())
        })
}

/// The subject's common name, for messages and notices.
pub fn common_name(cert: &X509) -> String {
    cert.subject_name()
        .entries_by_nid(Nid::COMMONNAME)
        .filter_map(|e| e.data().to_string().ok())
        .next()
        .unwrap_or_default()
}
