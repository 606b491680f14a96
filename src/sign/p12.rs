//! A signer's PKCS#12 file (what NCA RK issues: the key and certificate
//! under a password) and the [`CertSigner`] opened from it.
//!
//! The .p12 stays the signer's own file; like ssh with a private key, it is
//! refused if its group or others may read or write it. The key, the
//! certificate and its chain are parsed once per signer; the chain, validity
//! and CRLs are checked once when it is opened, not per notice.

use std::path::{Path, PathBuf};

use chrono::{DateTime, Utc};
use openssl::pkcs12::Pkcs12;
use openssl::pkey::{PKey, Private};
use openssl::stack::Stack;
use openssl::x509::X509;

use super::x509::{CertRefused, TrustStore};
use super::{SignError, Signer, fingerprint, read_user_file};

/// A key and its X.509 certificate in memory: signs CMS.
pub struct CertSigner {
    login: String,
    key: PKey<Private>,
    cert: X509,
    chain: Stack<X509>,
    der: Vec<u8>,
    fingerprint: String,
    algorithm: &'static str,
    /// RFC 3161 timestamp authority (`TIZILIM_TSA_URL`).
    tsa: Option<String>,
    /// The CMS prepared once for this signer.
    template: super::cms::Template,
}

impl CertSigner {
    /// A signer from parts already checked against the trust store (the
    /// demo's test certificates, tests).
    pub fn new(
        login: &str,
        key: PKey<Private>,
        cert: X509,
        chain: Vec<X509>,
    ) -> Result<CertSigner, SignError> {
        let algorithm = super::x509::algorithm(&cert).map_err(SignError::Certificate)?;
        let der = cert.to_der().map_err(ossl)?;
        let mut st = Stack::new().map_err(ossl)?;
        for c in &chain {
            st.push(c.clone()).map_err(ossl)?;
        }
        let template = super::cms::Template::new(&cert, &chain).map_err(SignError::Io)?;
        Ok(CertSigner {
            template,
            login: login.to_string(),
            fingerprint: fingerprint(&der),
            key,
            cert,
            chain: st,
            der,
            algorithm,
            tsa: None,
        })
    }

    /// Asks `url` (an RFC 3161 timestamp authority) to timestamp every
    /// signature.
    pub fn with_tsa(mut self, url: Option<String>) -> Self {
        self.tsa = url.filter(|u| !u.is_empty());
        self
    }

    pub fn certificate(&self) -> &X509 {
        &self.cert
    }

    pub fn chain(&self) -> Vec<X509> {
        self.chain.iter().map(|c| c.to_owned()).collect()
    }
}

fn ossl(e: openssl::error::ErrorStack) -> SignError {
    SignError::Io(e.to_string())
}

impl Signer for CertSigner {
    fn login(&self) -> &str {
        &self.login
    }
    fn algorithm(&self) -> &'static str {
        self.algorithm
    }
    fn public_key(&self) -> Vec<u8> {
        self.der.clone()
    }
    fn fingerprint(&self) -> String {
        self.fingerprint.clone()
    }
    fn certificate_der(&self) -> Option<&[u8]> {
        Some(&self.der)
    }
    fn sign(&self, message: &[u8]) -> Result<Vec<u8>, SignError> {
        let der = self
            .template
            .sign(&self.key, message, std::time::SystemTime::now())
            .map_err(SignError::Io)?;
        match &self.tsa {
            None => Ok(der),
            Some(url) => super::tsa::stamp(url, &der),
        }
    }
}

/// Refuses a key file that others may read or write (as ssh does).
pub fn check_private(path: &Path) -> Result<(), SignError> {
    use std::os::unix::fs::PermissionsExt;
    let meta =
        std::fs::metadata(path).map_err(|e| SignError::Io(format!("{}: {e}", path.display())))?;
    let mode = meta.permissions().mode() & 0o777;
    if mode & 0o077 != 0 {
        return Err(SignError::TooOpen {
            path: path.to_path_buf(),
            mode,
        });
    }
    Ok(())
}

/// The parts of a .p12.
pub struct Parsed {
    pub key: PKey<Private>,
    pub cert: X509,
    pub chain: Vec<X509>,
}

/// Reads and decrypts a .p12 (refused if others may read it, over 16 MiB,
/// or not a regular file).
pub fn read(path: &Path, passphrase: &str) -> Result<Parsed, SignError> {
    check_private(path)?;
    let bytes =
        read_user_file(path).map_err(|e| SignError::Io(format!("{}: {e}", path.display())))?;
    let bad = |m: String| SignError::BadFile(path.to_path_buf(), m);
    let p12 = Pkcs12::from_der(&bytes).map_err(|e| bad(format!("not PKCS#12: {e}")))?;
    let parsed = p12
        .parse2(passphrase)
        .map_err(|_| SignError::WrongPassphrase(path.to_path_buf()))?;
    let key = parsed
        .pkey
        .ok_or_else(|| bad("it holds no private key".into()))?;
    let cert = parsed
        .cert
        .ok_or_else(|| bad("it holds no certificate".into()))?;
    let chain = parsed
        .ca
        .map(|s| s.into_iter().collect())
        .unwrap_or_default();
    let cert_key = cert.public_key().map_err(|e| bad(e.to_string()))?;
    if !key.public_eq(&cert_key) {
        return Err(bad("the private key is not the certificate's".into()));
    }
    Ok(Parsed { key, cert, chain })
}

/// Opens `login`'s signer from its .p12 and checks, now, that its
/// certificate may sign: chain, validity, CRLs, key usage, algorithm and
/// the login's IIN.
pub fn open(
    login: &str,
    path: &Path,
    passphrase: &str,
    trust: &TrustStore,
    now: DateTime<Utc>,
    iin: Option<&str>,
) -> Result<CertSigner, SignError> {
    let p = read(path, passphrase)?;
    trust
        .check_signer(&p.cert, &p.chain, now, Some((login, iin)))
        .map_err(SignError::Certificate)?;
    CertSigner::new(login, p.key, p.cert, p.chain)
}

/// Writes a .p12 (mode 0600, a new file) of `key`, `cert` and `chain`.
pub fn write(
    path: &Path,
    passphrase: &str,
    name: &str,
    key: &PKey<Private>,
    cert: &X509,
    chain: &[X509],
) -> Result<PathBuf, SignError> {
    let mut ca = Stack::new().map_err(ossl)?;
    for c in chain {
        ca.push(c.clone()).map_err(ossl)?;
    }
    let mut b = Pkcs12::builder();
    b.name(name).pkey(key).cert(cert).ca(ca);
    let der = b
        .build2(passphrase)
        .and_then(|p| p.to_der())
        .map_err(ossl)?;
    use std::io::Write;
    use std::os::unix::fs::OpenOptionsExt;
    let io = |e: std::io::Error| SignError::Io(format!("{}: {e}", path.display()));
    let mut f = std::fs::OpenOptions::new()
        .write(true)
        .create_new(true)
        .mode(0o600)
        .open(path)
        .map_err(io)?;
    f.write_all(&der).map_err(io)?;
    f.sync_all().map_err(io)?;
    Ok(path.to_path_buf())
}

impl From<CertRefused> for SignError {
    fn from(e: CertRefused) -> Self {
        SignError::Certificate(e)
    }
}
