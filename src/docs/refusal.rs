//! The signature layer's refusals as catalog messages (`err-sign-*`,
//! `err-cert-*`, `err-trust-*`, `err-cms-*`, `err-tst-*`, `err-verify-*` in
//! `data/i18n/*.ftl`), so that a Kazakh or Russian reader is told in that
//! language which check failed. The English entries read exactly as each
//! error's `Display` (`tests/errors.rs`). The sign layer cannot name the
//! catalogs (a peer of i18n); this file, above both, joins them.

use crate::i18n::Message;
use crate::sign::cms::BadCms;
use crate::sign::tsa::BadTimestamp;
use crate::sign::x509::{CertRefused, SYSTEM_TRUST_DIR, TrustError};
use crate::sign::{BadP12, BadSignature, FileRefused, SignError};

use super::verify::VerifyError;

fn path(p: &std::path::Path) -> String {
    p.display().to_string()
}

/// A refusal of the signature layer (a .p12, a passphrase, a certificate,
/// the trust store, a timestamp authority).
pub fn sign(e: &SignError) -> Message {
    match e {
        SignError::BadFile(p, why) => Message::new("err-sign-bad-file")
            .arg("path", path(p))
            .nest("why", p12(why)),
        SignError::WrongPassphrase(p) => {
            Message::new("err-sign-wrong-passphrase").arg("path", path(p))
        }
        SignError::PassphraseFile { file, detail } => Message::new("err-sign-passphrase-file")
            .arg("file", path(file))
            .arg("detail", detail),
        SignError::NoTerminal(detail) => Message::new("err-sign-no-terminal").arg("detail", detail),
        SignError::File { path: p, refused } => Message::new("err-sign-file")
            .arg("path", path(p))
            .nest("why", file(refused)),
        SignError::Io(detail) => Message::new("err-detail").arg("detail", detail),
        SignError::Certificate(c) => Message::new("err-sign-certificate").nest("why", cert(c)),
        SignError::TooOpen { path: p, mode } => Message::new("err-sign-too-open")
            .arg("path", path(p))
            .arg("mode", format!("{mode:04o}")),
        SignError::Tsa { url, detail } => Message::new("err-sign-tsa")
            .arg("url", url)
            .arg("detail", detail),
        SignError::Trust(t) => trust(t),
        SignError::NoCertificate { login } => {
            Message::new("err-sign-no-certificate").arg("login", login)
        }
    }
}

/// What is wrong with a .p12.
pub fn p12(e: &BadP12) -> Message {
    match e {
        BadP12::NotPkcs12(d) => Message::new("err-p12-not-pkcs12").arg("detail", d),
        BadP12::NoKey => Message::new("err-p12-no-key"),
        BadP12::NoCertificate => Message::new("err-p12-no-certificate"),
        BadP12::KeyNotCertificates => Message::new("err-p12-key-not-certificates"),
        BadP12::Damaged(d) => Message::new("err-detail").arg("detail", d),
    }
}

/// Why a file a user named is not read.
pub fn file(e: &FileRefused) -> Message {
    match e {
        FileRefused::NotRegular => Message::new("err-file-not-regular"),
        FileRefused::TooBig(n) => Message::new("err-file-too-big").arg("bytes", n),
        FileRefused::GrewTooBig => Message::new("err-file-grew"),
        FileRefused::Io(d) => Message::new("err-detail").arg("detail", d),
    }
}

/// Why a trust store cannot be read.
pub fn trust(e: &TrustError) -> Message {
    match e {
        TrustError::NotAllowed(p) => Message::new("err-trust-not-allowed")
            .arg("path", path(p))
            .arg("system", SYSTEM_TRUST_DIR),
        TrustError::Read(p, d) => Message::new("err-trust-read")
            .arg("path", path(p))
            .arg("detail", d),
        TrustError::Empty(p) => Message::new("err-trust-empty").arg("path", path(p)),
        TrustError::BadFile(p, d) => Message::new("err-trust-bad-file")
            .arg("path", path(p))
            .arg("detail", d),
    }
}

/// Which check a certificate failed.
pub fn cert(e: &CertRefused) -> Message {
    match e {
        CertRefused::Untrusted { trust, reason } => Message::new("err-cert-untrusted")
            .arg("trust", trust)
            .arg("reason", reason),
        CertRefused::NotValid {
            at,
            not_before,
            not_after,
        } => Message::new("err-cert-not-valid")
            .arg("at", at)
            .arg("from", not_before)
            .arg("to", not_after),
        CertRefused::Revoked { serial, since } => Message::new("err-cert-revoked")
            .arg("serial", serial)
            .arg("since", since),
        CertRefused::NoCrl { issuer, reason } => Message::new("err-cert-no-crl")
            .arg("issuer", issuer)
            .arg("reason", reason),
        CertRefused::KeyUsage => Message::new("err-cert-key-usage"),
        CertRefused::Gost { oid } => Message::new("err-cert-gost").arg("oid", oid),
        CertRefused::Algorithm(a) => Message::new("err-cert-algorithm").arg("algorithm", a),
        CertRefused::NoIin => Message::new("err-cert-no-iin"),
        CertRefused::OtherIin {
            login,
            found,
            expected,
        } => Message::new("err-cert-other-iin")
            .arg("login", login)
            .arg("found", found)
            .arg("expected", expected),
        CertRefused::LoginHasNoIin { login } => {
            Message::new("err-cert-login-no-iin").arg("login", login)
        }
        CertRefused::Damaged(d) => Message::new("err-cert-damaged").arg("detail", d),
        CertRefused::NotTimeStamping => Message::new("err-cert-not-timestamping"),
    }
}

/// Why a CMS signature is not accepted.
pub fn cms(e: &BadCms) -> Message {
    match e {
        BadCms::Damaged(d) => Message::new("err-cms-damaged").arg("detail", d),
        BadCms::Signers(n) => Message::new("err-cms-signers").arg("n", n),
        BadCms::NoCertificate => Message::new("err-cms-no-certificate"),
        BadCms::Mismatch(d) => Message::new("err-cms-mismatch").arg("detail", d),
        BadCms::NoContent => Message::new("err-cms-no-content"),
        BadCms::Certificate(c) => Message::new("err-cms-certificate").nest("why", cert(c)),
    }
}

/// Why a timestamp token is not accepted.
pub fn timestamp(e: &BadTimestamp) -> Message {
    match e {
        BadTimestamp::Damaged(d) => Message::new("err-tst-damaged").arg("detail", d),
        BadTimestamp::OtherSignature => Message::new("err-tst-other-signature"),
        BadTimestamp::Signature(d) => Message::new("err-tst-signature").arg("detail", d),
        BadTimestamp::Authority(c) => Message::new("err-tst-authority").nest("why", cert(c)),
    }
}

/// Why a signature of the earlier format (Ed25519) does not verify.
pub fn signature(e: &BadSignature) -> Message {
    match e {
        BadSignature::UnknownAlgorithm(a) => {
            Message::new("err-sig-unknown-algorithm").arg("algorithm", format!("{a:?}"))
        }
        BadSignature::KeyLength => Message::new("err-sig-key-length"),
        BadSignature::PublicKey(d) => Message::new("err-sig-public-key").arg("detail", d),
        BadSignature::Signature(d) => Message::new("err-sig-signature").arg("detail", d),
        BadSignature::Mismatch => Message::new("err-sig-mismatch"),
    }
}

/// Why a file is not a genuine notice of this register.
pub fn verify(e: &VerifyError) -> Message {
    use VerifyError as V;
    let numbered = |number: &str, why: Message| {
        Message::new("err-verify-numbered")
            .arg("number", number)
            .nest("why", why)
    };
    match e {
        V::NoBlock => Message::new("err-verify-no-block"),
        V::NoBlockEnd => Message::new("err-verify-no-block-end"),
        V::Lacks(label) => Message::new("err-verify-lacks").arg("label", label),
        V::Misplaced { line, label } => Message::new("err-verify-misplaced")
            .arg("line", line)
            .arg("label", label),
        V::NoAlgorithm => Message::new("err-verify-no-algorithm"),
        V::LanguageMismatch { lang, named } => Message::new("err-verify-language")
            .arg("lang", lang)
            .arg("named", named),
        V::ContentDamaged => Message::new("err-verify-content-damaged"),
        V::SignatureDamaged => Message::new("err-verify-signature-damaged"),
        V::ContentParse(d) => Message::new("err-verify-content-parse").arg("detail", d),
        V::Register(e) => e.message(),
        V::UnknownKey(k) => Message::new("err-verify-unknown-key").arg("key", k),
        V::PublicKeyDamaged => Message::new("err-verify-public-key-damaged"),
        V::Signature { number, source } => numbered(number, signature(source)),
        V::WrongSigner {
            number,
            named,
            fingerprint,
            owner,
        } => Message::new("err-verify-wrong-signer")
            .arg("number", number)
            .arg("named", named)
            .arg("key", fingerprint)
            .arg("owner", owner),
        V::BlockDiffers { number } => {
            Message::new("err-verify-block-differs").arg("number", number)
        }
        V::NotIssued { number } => Message::new("err-verify-not-issued").arg("number", number),
        V::OtherDocument { number } => {
            Message::new("err-verify-other-document").arg("number", number)
        }
        V::KeyNotInForce {
            number,
            fingerprint,
            valid_from,
            revoked_on,
        } => match revoked_on {
            None => Message::new("err-verify-key-not-in-force")
                .arg("number", number)
                .arg("key", fingerprint)
                .arg("from", valid_from),
            Some(r) => Message::new("err-verify-key-not-in-force-revoked")
                .arg("number", number)
                .arg("key", fingerprint)
                .arg("from", valid_from)
                .arg("revoked", r),
        },
        V::Cms { number, source } => numbered(number, cms(source)),
        V::CertificateDiffers {
            number,
            fingerprint,
        } => Message::new("err-verify-certificate-differs")
            .arg("number", number)
            .arg("key", fingerprint),
        V::Timestamp { number, source } => Message::new("err-verify-timestamp")
            .arg("number", number)
            .nest("why", timestamp(source)),
        V::Trust(t) => Message::new("err-verify-trust").nest("why", trust(t)),
        V::NotANotice(d) => Message::new("err-verify-not-a-notice").arg("detail", d),
        V::IssueTime { number, at } => Message::new("err-verify-issue-time")
            .arg("number", number)
            .arg("at", at),
        V::TextDiffers { number, difference } => Message::new("err-verify-text-differs")
            .arg("number", number)
            .arg("difference", difference),
    }
}
