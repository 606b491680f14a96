//! Signatures of the provider's authorized persons (§13, §14).
//!
//! Notices and seals are CMS SignedData (RFC 5652) made with the signer's
//! X.509 certificate and key, held in the signer's own password-protected
//! PKCS#12 file ([`p12`]), the way NCA RK issues an EDS; trust is anchored in
//! a folder outside the register ([`x509::TrustStore`]). Everything that
//! signs goes through the [`Signer`] trait, so a GOST 34.10 implementation
//! (none is open today: such certificates are refused by name) can be put
//! behind it without touching the documents or the register.
//!
//! Ed25519 keys ([`Ed25519Signer`], [`verify`]) are the **earlier format**:
//! registers that hold notices signed so keep verifying them, read-only; new
//! decisions need a certificate. The register holds certificates and public
//! keys, never a private key.

pub mod cms;
pub mod p12;
pub mod testca;
pub mod tsa;
pub mod x509;

use std::path::{Path, PathBuf};

use ed25519_dalek::{Signature, SigningKey, VerifyingKey};
use sha2::{Digest, Sha256};

pub const ED25519: &str = "ed25519";

#[derive(Debug, thiserror::Error)]
pub enum SignError {
    #[error("the key file {0} is not valid: {1}")]
    BadFile(PathBuf, String),
    #[error("wrong passphrase for the key file {0}")]
    WrongPassphrase(PathBuf),
    #[error("passphrase: {0}")]
    Passphrase(String),
    #[error("{0}")]
    Io(String),
    #[error("certificate: {0}")]
    Certificate(x509::CertRefused),
    #[error(
        "the key file {path} is open to others (mode {mode:04o}): run `chmod 600 {path}`, as ssh asks of a private key"
    )]
    TooOpen { path: PathBuf, mode: u32 },
    #[error("timestamp authority {url}: {detail}")]
    Tsa { url: String, detail: String },
    #[error(transparent)]
    Trust(#[from] x509::TrustError),
    #[error(
        "{login} has no certificate registered: import your .p12 with `tizilim key import FILE.p12`"
    )]
    NoCertificate { login: String },
}

/// The largest file a command reads when a user names it (a notice, a
/// seal, a .p12, a trust store file).
pub const MAX_USER_FILE: u64 = 16 << 20;

/// Reads a file a user named, refusing at once (before reading) anything
/// but a regular file of at most [`MAX_USER_FILE`] bytes: a FIFO, a device
/// (`/dev/zero`) or a huge file never hangs or fills memory.
pub fn read_user_file(path: &Path) -> std::io::Result<Vec<u8>> {
    use std::io::Read;
    use std::os::unix::fs::OpenOptionsExt;
    let invalid = |m: String| std::io::Error::new(std::io::ErrorKind::InvalidInput, m);
    // O_NONBLOCK: opening a FIFO with no writer does not wait.
    let f = std::fs::OpenOptions::new()
        .read(true)
        .custom_flags(nix::libc::O_NONBLOCK)
        .open(path)?;
    let meta = f.metadata()?;
    if !meta.file_type().is_file() {
        return Err(invalid(
            "not a regular file (a FIFO, a device or a folder is not read)".into(),
        ));
    }
    if meta.len() > MAX_USER_FILE {
        return Err(invalid(format!(
            "{} bytes, over the {} MiB a file read here may have",
            meta.len(),
            MAX_USER_FILE >> 20
        )));
    }
    let mut out = Vec::with_capacity(meta.len() as usize);
    f.take(MAX_USER_FILE + 1).read_to_end(&mut out)?;
    if out.len() as u64 > MAX_USER_FILE {
        return Err(invalid(format!(
            "over the {} MiB a file read here may have",
            MAX_USER_FILE >> 20
        )));
    }
    Ok(out)
}

/// Why a signature does not verify ([`verify`]).
#[derive(Debug, thiserror::Error)]
pub enum BadSignature {
    #[error("unknown signature algorithm {0:?}")]
    UnknownAlgorithm(String),
    #[error("the public key is not 32 bytes")]
    KeyLength,
    #[error("public key: {0}")]
    PublicKey(#[source] ed25519_dalek::SignatureError),
    #[error("signature: {0}")]
    Signature(#[source] ed25519_dalek::SignatureError),
    /// Well-formed, but made over other content or with another key.
    #[error("the signature does not match the content")]
    Mismatch,
}

/// Something that signs on behalf of one login.
pub trait Signer {
    fn login(&self) -> &str;
    fn algorithm(&self) -> &'static str;
    /// What the register keeps to check the signatures: the certificate
    /// (DER) of a certificate signer, the raw public key of an Ed25519 one.
    fn public_key(&self) -> Vec<u8>;
    /// The signature over `message`: a detached CMS SignedData (DER) for a
    /// certificate signer, a raw Ed25519 signature for the earlier format.
    fn sign(&self, message: &[u8]) -> Result<Vec<u8>, SignError>;
    /// The signer's X.509 certificate (DER), if it signs with one.
    fn certificate_der(&self) -> Option<&[u8]> {
        None
    }
    /// The key's fingerprint (what documents and the register name it by).
    fn fingerprint(&self) -> String {
        fingerprint(&self.public_key())
    }
}

/// `SHA-256(public key)`, first 16 bytes, hex.
pub fn fingerprint(public_key: &[u8]) -> String {
    hex::encode(&Sha256::digest(public_key)[..16])
}

/// Checks a signature made by a [`Signer`] of `algorithm`.
pub fn verify(
    algorithm: &str,
    public_key: &[u8],
    message: &[u8],
    signature: &[u8],
) -> Result<(), BadSignature> {
    if algorithm != ED25519 {
        return Err(BadSignature::UnknownAlgorithm(algorithm.to_string()));
    }
    let pk: [u8; 32] = public_key.try_into().map_err(|_| BadSignature::KeyLength)?;
    let key = VerifyingKey::from_bytes(&pk).map_err(BadSignature::PublicKey)?;
    let sig = Signature::from_slice(signature).map_err(BadSignature::Signature)?;
    key.verify_strict(message, &sig)
        .map_err(|_| BadSignature::Mismatch)
}

/// An Ed25519 key held in memory.
pub struct Ed25519Signer {
    login: String,
    key: SigningKey,
}

impl Ed25519Signer {
    /// A fresh key from the operating system's randomness.
    pub fn generate(login: &str) -> Result<Self, SignError> {
        let mut seed = [0u8; 32];
        getrandom::getrandom(&mut seed).map_err(|e| SignError::Io(format!("randomness: {e}")))?;
        Ok(Ed25519Signer {
            login: login.to_string(),
            key: SigningKey::from_bytes(&seed),
        })
    }
}

impl Ed25519Signer {
    /// A key from a known seed: for reproducible tests and snapshots only.
    pub fn from_seed(login: &str, seed: [u8; 32]) -> Self {
        Ed25519Signer {
            login: login.to_string(),
            key: SigningKey::from_bytes(&seed),
        }
    }
}

impl Signer for Ed25519Signer {
    fn login(&self) -> &str {
        &self.login
    }
    fn algorithm(&self) -> &'static str {
        ED25519
    }
    fn public_key(&self) -> Vec<u8> {
        self.key.verifying_key().to_bytes().to_vec()
    }
    fn sign(&self, message: &[u8]) -> Result<Vec<u8>, SignError> {
        use ed25519_dalek::Signer as _;
        Ok(self.key.sign(message).to_bytes().to_vec())
    }
}

/// The login's passphrase: from the file named by `TIZILIM_PASSPHRASE_FILE`
/// (for runs without a terminal), else asked on the terminal. Never from an
/// argument or the variable itself.
/// Whether `TIZILIM_PASSPHRASE_FILE` names the passphrase (nothing is asked).
pub fn passphrase_file_set() -> bool {
    std::env::var_os("TIZILIM_PASSPHRASE_FILE").is_some_and(|f| !f.is_empty())
}

pub fn passphrase(prompt: &str) -> Result<String, SignError> {
    if let Some(file) = std::env::var_os("TIZILIM_PASSPHRASE_FILE").filter(|f| !f.is_empty()) {
        let text = std::fs::read_to_string(&file).map_err(|e| {
            SignError::Passphrase(format!(
                "TIZILIM_PASSPHRASE_FILE {}: {e}",
                Path::new(&file).display()
            ))
        })?;
        return Ok(text.trim_end_matches(['\n', '\r']).to_string());
    }
    rpassword::prompt_password(prompt).map_err(|e| {
        SignError::Passphrase(format!(
            "no terminal to ask on ({e}); set TIZILIM_PASSPHRASE_FILE to a file holding it"
        ))
    })
}

/// The login's own certificate signer, from its .p12 at `p12` (the path
/// the register remembers), opened with `typed` (a passphrase typed into a
/// form) or, when the passphrase file is set or nothing was typed, the one
/// [`passphrase`] gives; its certificate checked against `trust` now, with
/// the login's IIN. A timestamp authority is asked when `TIZILIM_TSA_URL`
/// names one.
pub fn open_signer(
    login: &str,
    p12: &Path,
    typed: Option<&str>,
    trust: &x509::TrustStore,
    now: chrono::DateTime<chrono::Utc>,
    iin: Option<&str>,
) -> Result<p12::CertSigner, SignError> {
    let p = match typed.filter(|_| !passphrase_file_set()) {
        Some(t) => t.to_string(),
        None => passphrase(&format!("Passphrase of {login}'s key {}: ", p12.display()))?,
    };
    Ok(p12::open(login, p12, &p, trust, now, iin)?.with_tsa(tsa_url()))
}

/// `TIZILIM_TSA_URL`, if set.
pub fn tsa_url() -> Option<String> {
    std::env::var("TIZILIM_TSA_URL")
        .ok()
        .filter(|u| !u.is_empty())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ed25519_of_the_earlier_format_still_verifies() {
        let s = Ed25519Signer::from_seed("dana", [7; 32]);
        let sig = s.sign(b"hello").unwrap();
        assert!(verify(ED25519, &s.public_key(), b"hello", &sig).is_ok());
        assert!(matches!(
            verify(ED25519, &s.public_key(), b"hellp", &sig),
            Err(BadSignature::Mismatch)
        ));
        assert_eq!(
            verify("gost", &s.public_key(), b"hello", &sig)
                .unwrap_err()
                .to_string(),
            "unknown signature algorithm \"gost\""
        );
    }

    #[test]
    fn user_files_are_read_only_when_regular_and_small() {
        let dir = tempfile::tempdir().unwrap();
        let f = dir.path().join("a");
        std::fs::write(&f, b"abc").unwrap();
        assert_eq!(read_user_file(&f).unwrap(), b"abc");
        assert!(read_user_file(Path::new("/dev/null")).is_err());
        assert!(read_user_file(dir.path()).is_err());
        let big = dir.path().join("big");
        std::fs::File::create(&big)
            .unwrap()
            .set_len(MAX_USER_FILE + 1)
            .unwrap();
        assert!(
            read_user_file(&big)
                .unwrap_err()
                .to_string()
                .contains("over the 16 MiB")
        );
    }
}
