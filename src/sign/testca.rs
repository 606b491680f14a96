//! A TEST certifying centre: for the demo, the quick start and the tests,
//! never for real signatures (TEST is in every subject it writes). It makes
//! a root CA (ECDSA P-256), an empty CRL, and P-256 signer certificates with
//! an IIN in the subject's serialNumber, as NCA RK writes it.

use std::path::{Path, PathBuf};

use openssl::asn1::{Asn1Integer, Asn1Time};
use openssl::bn::{BigNum, MsbOption};
use openssl::ec::{EcGroup, EcKey};
use openssl::hash::MessageDigest;
use openssl::nid::Nid;
use openssl::pkey::{PKey, Private};
use openssl::x509::extension::{
    AuthorityKeyIdentifier, BasicConstraints, CrlNumber, KeyUsage, SubjectKeyIdentifier,
};
use openssl::x509::{
    X509, X509Builder, X509Crl, X509CrlBuilder, X509Name, X509NameBuilder, X509RevokedBuilder,
};

use super::SignError;

/// The validity every test certificate gets: wide enough for the demo's
/// synthetic years and the calendar's data.
const NOT_BEFORE: &str = "20200101000000Z";
const NOT_AFTER: &str = "20391231235959Z";

/// Files of a test CA in a trust folder.
pub const CA_FILE: &str = "tizilim-test-ca.pem";
pub const CRL_FILE: &str = "tizilim-test-ca.crl.pem";
/// The CA's private key, in a 0700 subfolder (the trust store reads files
/// only, never subfolders).
pub const KEY_DIR: &str = "test-ca-private";
pub const KEY_FILE: &str = "key.pem";

fn e(err: openssl::error::ErrorStack) -> SignError {
    SignError::Io(format!("test CA: {err}"))
}

/// A fresh ECDSA P-256 key.
pub fn p256_key() -> Result<PKey<Private>, SignError> {
    let group = EcGroup::from_curve_name(Nid::X9_62_PRIME256V1).map_err(e)?;
    PKey::from_ec_key(EcKey::generate(&group).map_err(e)?).map_err(e)
}

fn validity() -> Result<(Asn1Time, Asn1Time), SignError> {
    Ok((
        Asn1Time::from_str(NOT_BEFORE).map_err(e)?,
        Asn1Time::from_str(NOT_AFTER).map_err(e)?,
    ))
}

fn serial() -> Result<Asn1Integer, SignError> {
    let mut bn = BigNum::new().map_err(e)?;
    bn.rand(120, MsbOption::MAYBE_ZERO, false).map_err(e)?;
    bn.to_asn1_integer().map_err(e)
}

fn name(cn: &str, iin: Option<&str>) -> Result<X509Name, SignError> {
    let mut b = X509NameBuilder::new().map_err(e)?;
    b.append_entry_by_nid(Nid::COUNTRYNAME, "KZ").map_err(e)?;
    b.append_entry_by_nid(
        Nid::ORGANIZATIONNAME,
        "TEST tizilim — not a certifying centre",
    )
    .map_err(e)?;
    b.append_entry_by_nid(Nid::COMMONNAME, cn).map_err(e)?;
    if let Some(iin) = iin {
        b.append_entry_by_nid(Nid::SERIALNUMBER, &format!("IIN{iin}"))
            .map_err(e)?;
    }
    Ok(b.build())
}

/// A test root CA: its certificate and key.
pub struct TestCa {
    pub cert: X509,
    pub key: PKey<Private>,
}

impl TestCa {
    /// A new root named `cn` (TEST is added if it lacks it).
    pub fn generate(cn: &str) -> Result<TestCa, SignError> {
        let cn = if cn.contains("TEST") {
            cn.to_string()
        } else {
            format!("TEST {cn}")
        };
        let key = p256_key()?;
        let subject = name(&cn, None)?;
        let mut b = X509Builder::new().map_err(e)?;
        b.set_version(2).map_err(e)?;
        let sn = serial()?;
        b.set_serial_number(&sn).map_err(e)?;
        b.set_subject_name(&subject).map_err(e)?;
        b.set_issuer_name(&subject).map_err(e)?;
        b.set_pubkey(&key).map_err(e)?;
        let (from, to) = validity()?;
        b.set_not_before(&from).map_err(e)?;
        b.set_not_after(&to).map_err(e)?;
        b.append_extension(BasicConstraints::new().critical().ca().build().map_err(e)?)
            .map_err(e)?;
        b.append_extension(
            KeyUsage::new()
                .critical()
                .key_cert_sign()
                .crl_sign()
                .build()
                .map_err(e)?,
        )
        .map_err(e)?;
        let ski = SubjectKeyIdentifier::new()
            .build(&b.x509v3_context(None, None))
            .map_err(e)?;
        b.append_extension(ski).map_err(e)?;
        b.sign(&key, MessageDigest::sha256()).map_err(e)?;
        Ok(TestCa {
            cert: b.build(),
            key,
        })
    }

    /// A signer certificate for `key`: `cn` (TEST added), IIN `iin`,
    /// digitalSignature and nonRepudiation.
    pub fn issue(&self, cn: &str, iin: &str, key: &PKey<Private>) -> Result<X509, SignError> {
        let cn = if cn.contains("TEST") {
            cn.to_string()
        } else {
            format!("TEST {cn}")
        };
        let mut b = X509Builder::new().map_err(e)?;
        b.set_version(2).map_err(e)?;
        let sn = serial()?;
        b.set_serial_number(&sn).map_err(e)?;
        let subject = name(&cn, Some(iin))?;
        b.set_subject_name(&subject).map_err(e)?;
        b.set_issuer_name(self.cert.subject_name()).map_err(e)?;
        b.set_pubkey(key).map_err(e)?;
        let (from, to) = validity()?;
        b.set_not_before(&from).map_err(e)?;
        b.set_not_after(&to).map_err(e)?;
        b.append_extension(BasicConstraints::new().build().map_err(e)?)
            .map_err(e)?;
        b.append_extension(
            KeyUsage::new()
                .critical()
                .digital_signature()
                .non_repudiation()
                .build()
                .map_err(e)?,
        )
        .map_err(e)?;
        let aki = AuthorityKeyIdentifier::new()
            .keyid(true)
            .build(&b.x509v3_context(Some(&self.cert), None))
            .map_err(e)?;
        b.append_extension(aki).map_err(e)?;
        b.sign(&self.key, MessageDigest::sha256()).map_err(e)?;
        Ok(b.build())
    }

    /// An empty CRL of this CA, valid over the test certificates' years.
    pub fn crl(&self) -> Result<X509Crl, SignError> {
        self.crl_revoking(&[])
    }

    /// A CRL of this CA revoking each certificate at its instant (unix
    /// seconds), valid over the test certificates' years.
    pub fn crl_revoking(&self, revoked: &[(&X509, i64)]) -> Result<X509Crl, SignError> {
        let mut b = X509CrlBuilder::new().map_err(e)?;
        b.set_issuer_name(self.cert.subject_name()).map_err(e)?;
        let (from, to) = validity()?;
        b.set_last_update(&from).map_err(e)?;
        b.set_next_update(&to).map_err(e)?;
        let dummy = X509::builder().map_err(e)?;
        let aki = AuthorityKeyIdentifier::new()
            .keyid(true)
            .build(&dummy.x509v3_context(Some(&self.cert), None))
            .map_err(e)?;
        b.append_extension(aki).map_err(e)?;
        let number = CrlNumber::new(BigNum::from_u32(1).map_err(e)?).map_err(e)?;
        b.append_extension(number.build().map_err(e)?).map_err(e)?;
        for (cert, at) in revoked {
            let mut r = X509RevokedBuilder::new().map_err(e)?;
            r.set_serial_number(cert.serial_number()).map_err(e)?;
            let when = Asn1Time::from_unix(*at as _).map_err(e)?;
            r.set_revocation_date(&when).map_err(e)?;
            b.add_revoked(r.build()).map_err(e)?;
        }
        b.sign(&self.key, MessageDigest::sha256()).map_err(e)?;
        b.build().map_err(e)
    }

    /// Writes the CA certificate and its CRL into the trust folder `dir`
    /// (made 0755 if missing) and the CA key into `dir/test-ca-private/`
    /// (0700, key 0600), so that `key test-certificate` can issue more.
    pub fn write(&self, dir: &Path) -> Result<PathBuf, SignError> {
        use std::os::unix::fs::DirBuilderExt;
        let io = |p: &Path, err: std::io::Error| SignError::Io(format!("{}: {err}", p.display()));
        std::fs::DirBuilder::new()
            .recursive(true)
            .mode(0o755)
            .create(dir)
            .map_err(|err| io(dir, err))?;
        let private = dir.join(KEY_DIR);
        std::fs::DirBuilder::new()
            .recursive(true)
            .mode(0o700)
            .create(&private)
            .map_err(|err| io(&private, err))?;
        let write = |p: PathBuf, bytes: &[u8], mode: u32| -> Result<(), SignError> {
            use std::io::Write;
            use std::os::unix::fs::OpenOptionsExt;
            let mut f = std::fs::OpenOptions::new()
                .write(true)
                .create(true)
                .truncate(true)
                .mode(mode)
                .open(&p)
                .map_err(|err| io(&p, err))?;
            f.write_all(bytes).map_err(|err| io(&p, err))
        };
        write(dir.join(CA_FILE), &self.cert.to_pem().map_err(e)?, 0o644)?;
        write(dir.join(CRL_FILE), &self.crl()?.to_pem().map_err(e)?, 0o644)?;
        write(
            private.join(KEY_FILE),
            &self.key.private_key_to_pem_pkcs8().map_err(e)?,
            0o600,
        )?;
        Ok(dir.join(CA_FILE))
    }

    /// The test CA a trust folder holds ([`TestCa::write`]).
    pub fn load(dir: &Path) -> Result<TestCa, SignError> {
        let read = |p: PathBuf| {
            super::read_user_file(&p).map_err(|err| {
                SignError::Io(format!(
                    "{}: {err} (make a test CA there first: `tizilim key test-ca {}`)",
                    p.display(),
                    dir.display()
                ))
            })
        };
        let cert = X509::from_pem(&read(dir.join(CA_FILE))?).map_err(e)?;
        let key =
            PKey::private_key_from_pem(&read(dir.join(KEY_DIR).join(KEY_FILE))?).map_err(e)?;
        Ok(TestCa { cert, key })
    }
}
