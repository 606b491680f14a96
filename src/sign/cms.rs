//! CMS SignedData (RFC 5652) over a notice's or a seal's content: what
//! NCALayer produces and what any CMS verifier (`openssl cms -verify`) reads.
//!
//! The register keeps the signature **detached** (the content is stored
//! once, beside it); [`attach`] puts the content back in for `doc export
//! --cms`. SHA-256; signed attributes content type, message digest and
//! signing time; the signer's certificate and its intermediates included.
//! openssl makes and checks the signature; RustCrypto's `cms` types read
//! and rewrite the structure (no ASN.1 by hand).

use chrono::{DateTime, Utc};
use der::{Decode, Encode};
use openssl::cms::{CMSOptions, CmsContentInfo};
use openssl::pkey::{PKeyRef, Private};
use openssl::stack::StackRef;
use openssl::x509::{X509, X509Ref};

use super::x509::{CertRefused, TrustStore};

/// Why a CMS signature is not accepted.
#[derive(Debug, thiserror::Error)]
pub enum BadCms {
    #[error("the CMS signature cannot be read: {0}")]
    Damaged(String),
    #[error("the CMS signature has {0} signers, not one")]
    Signers(usize),
    #[error("the CMS signature does not carry its signer's certificate")]
    NoCertificate,
    #[error("the CMS signature does not match the content: {0}")]
    Mismatch(String),
    #[error("the CMS signature encapsulates no content")]
    NoContent,
    #[error("signer's certificate: {0}")]
    Certificate(#[from] CertRefused),
}

/// A detached CMS SignedData (DER) over `content`.
pub fn sign(
    cert: &X509Ref,
    key: &PKeyRef<Private>,
    chain: &StackRef<X509>,
    content: &[u8],
) -> Result<Vec<u8>, String> {
    let flags = CMSOptions::BINARY | CMSOptions::DETACHED | CMSOptions::NOSMIMECAP;
    CmsContentInfo::sign(Some(cert), Some(key), Some(chain), Some(content), flags)
        .and_then(|c| c.to_der())
        .map_err(|e| e.to_string())
}

/// A signer's CMS, prepared once (its identifier, certificates and
/// algorithms as RustCrypto `cms` types): each signature then costs one
/// SHA-256, one ECDSA or RSA signature and one encoding — a notice at
/// national scale, not a whole `CMS_sign`. The result is the same
/// SignedData that [`sign`] makes (detached; SHA-256; signed attributes
/// content type, message digest and signing time; the certificates), which
/// openssl and [`verify`] read.
pub struct Template {
    sid: cms::signed_data::SignerIdentifier,
    digest: x509_cert::spki::AlgorithmIdentifierOwned,
    signature: x509_cert::spki::AlgorithmIdentifierOwned,
    /// The SignedData's fields before its signer infos (version, digest
    /// algorithms, encapsulated content info, certificates), DER-encoded
    /// once: every signature shares them (issue 18: re-encoding the
    /// certificates was a fifth of a notice's signing).
    head: Vec<u8>,
}

const ID_DATA: der::oid::ObjectIdentifier =
    der::oid::ObjectIdentifier::new_unwrap("1.2.840.113549.1.7.1");
const ID_SHA256: der::oid::ObjectIdentifier =
    der::oid::ObjectIdentifier::new_unwrap("2.16.840.1.101.3.4.2.1");
const ID_CONTENT_TYPE: der::oid::ObjectIdentifier =
    der::oid::ObjectIdentifier::new_unwrap("1.2.840.113549.1.9.3");
const ID_MESSAGE_DIGEST: der::oid::ObjectIdentifier =
    der::oid::ObjectIdentifier::new_unwrap("1.2.840.113549.1.9.4");
const ID_SIGNING_TIME: der::oid::ObjectIdentifier =
    der::oid::ObjectIdentifier::new_unwrap("1.2.840.113549.1.9.5");
const ECDSA_WITH_SHA256: der::oid::ObjectIdentifier =
    der::oid::ObjectIdentifier::new_unwrap("1.2.840.10045.4.3.2");
const SHA256_WITH_RSA: der::oid::ObjectIdentifier =
    der::oid::ObjectIdentifier::new_unwrap("1.2.840.113549.1.1.11");

impl Template {
    /// The template of `cert` (with `chain` carried along).
    pub fn new(cert: &X509Ref, chain: &[X509]) -> Result<Template, String> {
        let parse = |c: &X509Ref| -> Result<x509_cert::Certificate, String> {
            let der = c.to_der().map_err(|e| e.to_string())?;
            x509_cert::Certificate::from_der(&der).map_err(|e| e.to_string())
        };
        let own = parse(cert)?;
        let sid = cms::signed_data::SignerIdentifier::IssuerAndSerialNumber(
            cms::cert::IssuerAndSerialNumber {
                issuer: own.tbs_certificate.issuer.clone(),
                serial_number: own.tbs_certificate.serial_number.clone(),
            },
        );
        let mut all = vec![cms::cert::CertificateChoices::Certificate(own)];
        for c in chain {
            all.push(cms::cert::CertificateChoices::Certificate(parse(c)?));
        }
        let certificates = cms::signed_data::CertificateSet(
            der::asn1::SetOfVec::try_from(all).map_err(|e| e.to_string())?,
        );
        let key = cert.public_key().map_err(|e| e.to_string())?;
        let signature = match key.id() {
            openssl::pkey::Id::EC => x509_cert::spki::AlgorithmIdentifierOwned {
                oid: ECDSA_WITH_SHA256,
                parameters: None,
            },
            openssl::pkey::Id::RSA => x509_cert::spki::AlgorithmIdentifierOwned {
                oid: SHA256_WITH_RSA,
                parameters: Some(der::Any::null()),
            },
            other => return Err(format!("no CMS signature for a key of type {other:?}")),
        };
        let digest = x509_cert::spki::AlgorithmIdentifierOwned {
            oid: ID_SHA256,
            parameters: None,
        };
        let head = signed_data_head(&digest, &certificates).map_err(|e| e.to_string())?;
        Ok(Template {
            sid,
            digest,
            signature,
            head,
        })
    }

    /// A detached CMS SignedData (DER) over `content`, signed with `key` (the
    /// certificate's) at `now`.
    pub fn sign(
        &self,
        key: &PKeyRef<Private>,
        content: &[u8],
        now: std::time::SystemTime,
    ) -> Result<Vec<u8>, String> {
        use sha2::Digest;
        let e = |err: der::Error| err.to_string();
        let attr = |oid, value: der::Any| -> Result<x509_cert::attr::Attribute, String> {
            Ok(x509_cert::attr::Attribute {
                oid,
                values: der::asn1::SetOfVec::try_from(vec![value]).map_err(e)?,
            })
        };
        let digest =
            der::asn1::OctetString::new(sha2::Sha256::digest(content).to_vec()).map_err(e)?;
        let time =
            x509_cert::time::Time::UtcTime(der::asn1::UtcTime::from_system_time(now).map_err(e)?);
        let attrs: der::asn1::SetOfVec<x509_cert::attr::Attribute> =
            der::asn1::SetOfVec::try_from(vec![
                attr(ID_CONTENT_TYPE, der::Any::encode_from(&ID_DATA).map_err(e)?)?,
                attr(ID_SIGNING_TIME, der::Any::encode_from(&time).map_err(e)?)?,
                attr(
                    ID_MESSAGE_DIGEST,
                    der::Any::encode_from(&digest).map_err(e)?,
                )?,
            ])
            .map_err(e)?;
        // The signature covers the attributes' DER as a SET (RFC 5652 §5.4).
        let mut signer = openssl::sign::Signer::new(openssl::hash::MessageDigest::sha256(), key)
            .map_err(|err| err.to_string())?;
        signer
            .update(&attrs.to_der().map_err(e)?)
            .map_err(|err| err.to_string())?;
        let sig = signer.sign_to_vec().map_err(|err| err.to_string())?;
        let info = cms::signed_data::SignerInfo {
            version: cms::content_info::CmsVersion::V1,
            sid: self.sid.clone(),
            digest_alg: self.digest.clone(),
            signed_attrs: Some(attrs),
            signature_algorithm: self.signature.clone(),
            signature: der::asn1::OctetString::new(sig).map_err(e)?,
            unsigned_attrs: None,
        };
        self.encode(&info).map_err(e)
    }

    /// The ContentInfo of the SignedData with this one signer: the shared
    /// [`Template::head`] and the signer info, each wrapped in its DER
    /// header — the bytes [`encode_signed_data`] makes of the whole
    /// structure (a test compares them).
    fn encode(&self, info: &cms::signed_data::SignerInfo) -> der::Result<Vec<u8>> {
        use der::{Header, Length, Tag, TagNumber};
        let info = info.to_der()?;
        let infos_len = Length::try_from(info.len())?;
        let infos = Header::new(Tag::Set, infos_len)?;
        let sd_len = (Length::try_from(self.head.len())? + infos.encoded_len()?)? + infos_len;
        let sd_len = sd_len?;
        let sd = Header::new(Tag::Sequence, sd_len)?;
        let explicit_len = (sd.encoded_len()? + sd_len)?;
        let explicit = Header::new(
            Tag::ContextSpecific {
                constructed: true,
                number: TagNumber::N0,
            },
            explicit_len,
        )?;
        let oid_len = ID_SIGNED_DATA.encoded_len()?;
        let ci_len = ((oid_len + explicit.encoded_len()?)? + explicit_len)?;
        let ci = Header::new(Tag::Sequence, ci_len)?;
        let mut out = Vec::with_capacity(usize::try_from((ci.encoded_len()? + ci_len)?)?);
        ci.encode_to_vec(&mut out)?;
        ID_SIGNED_DATA.encode_to_vec(&mut out)?;
        explicit.encode_to_vec(&mut out)?;
        sd.encode_to_vec(&mut out)?;
        out.extend_from_slice(&self.head);
        infos.encode_to_vec(&mut out)?;
        out.extend_from_slice(&info);
        Ok(out)
    }
}

/// The DER of a SignedData's fields before its signer infos: the
/// structure encoded once with no signer, its header and its (empty) SET
/// of signer infos taken off.
fn signed_data_head(
    digest: &x509_cert::spki::AlgorithmIdentifierOwned,
    certificates: &cms::signed_data::CertificateSet,
) -> der::Result<Vec<u8>> {
    let sd = cms::signed_data::SignedData {
        version: cms::content_info::CmsVersion::V1,
        digest_algorithms: der::asn1::SetOfVec::try_from(vec![digest.clone()])?,
        encap_content_info: cms::signed_data::EncapsulatedContentInfo {
            econtent_type: ID_DATA,
            econtent: None,
        },
        certificates: Some(certificates.clone()),
        crls: None,
        signer_infos: cms::signed_data::SignerInfos(der::asn1::SetOfVec::new()),
    };
    let der = sd.to_der()?;
    let header = der::Header::decode(&mut der::SliceReader::new(&der)?)?;
    let body = &der[usize::try_from(header.encoded_len()?)?..];
    // The empty SET of signer infos is the last two bytes (31 00).
    match body.strip_suffix(&[0x31, 0x00]) {
        Some(head) => Ok(head.to_vec()),
        None => Err(der::Tag::Set.value_error()),
    }
}

fn signed_data(der: &[u8]) -> Result<cms::signed_data::SignedData, BadCms> {
    let ci = cms::content_info::ContentInfo::from_der(der)
        .map_err(|e| BadCms::Damaged(e.to_string()))?;
    if ci.content_type != ID_SIGNED_DATA {
        return Err(BadCms::Damaged(format!(
            "content type {} is not SignedData",
            ci.content_type
        )));
    }
    ci.content
        .decode_as::<cms::signed_data::SignedData>()
        .map_err(|e| BadCms::Damaged(e.to_string()))
}

fn encode_signed_data(sd: &cms::signed_data::SignedData) -> Result<Vec<u8>, BadCms> {
    let damaged = |e: der::Error| BadCms::Damaged(e.to_string());
    let ci = cms::content_info::ContentInfo {
        content_type: ID_SIGNED_DATA,
        content: der::Any::encode_from(sd).map_err(damaged)?,
    };
    ci.to_der().map_err(damaged)
}

/// The signer's certificate and the other certificates the CMS carries.
fn certificates(sd: &cms::signed_data::SignedData) -> Result<(X509, Vec<X509>), BadCms> {
    if sd.signer_infos.0.len() != 1 {
        return Err(BadCms::Signers(sd.signer_infos.0.len()));
    }
    let si = sd.signer_infos.0.get(0).ok_or(BadCms::Signers(0))?;
    let cms::signed_data::SignerIdentifier::IssuerAndSerialNumber(ias) = &si.sid else {
        return Err(BadCms::NoCertificate);
    };
    let mut signer = None;
    let mut others = Vec::new();
    for choice in sd.certificates.iter().flat_map(|s| s.0.iter()) {
        let cms::cert::CertificateChoices::Certificate(c) = choice else {
            continue;
        };
        let der = c.to_der().map_err(|e| BadCms::Damaged(e.to_string()))?;
        let x = X509::from_der(&der).map_err(|e| BadCms::Damaged(e.to_string()))?;
        if signer.is_none()
            && c.tbs_certificate.serial_number == ias.serial_number
            && c.tbs_certificate.issuer == ias.issuer
        {
            signer = Some(x);
        } else {
            others.push(x);
        }
    }
    Ok((signer.ok_or(BadCms::NoCertificate)?, others))
}

/// The signature over the content, checked (detached: `content` given;
/// encapsulated: read from the CMS and returned).
fn check_signature(der: &[u8], content: Option<&[u8]>) -> Result<Vec<u8>, BadCms> {
    let mut ci = CmsContentInfo::from_der(der).map_err(|e| BadCms::Damaged(e.to_string()))?;
    let mut out = Vec::new();
    // The chain is checked by [`TrustStore`] at the register's time of
    // signing, not by openssl's S/MIME purpose at today's.
    let flags = CMSOptions::BINARY | CMSOptions::NO_SIGNER_CERT_VERIFY;
    ci.verify(None, None, content, Some(&mut out), flags)
        .map_err(|e| BadCms::Mismatch(e.to_string()))?;
    Ok(match content {
        Some(c) => c.to_vec(),
        None => out,
    })
}

/// A verified CMS: its signer's certificate and the content it signs.
pub struct Verified {
    pub certificate: X509,
    pub content: Vec<u8>,
    pub algorithm: &'static str,
}

/// Verifies a CMS SignedData (detached over `content`, or encapsulating
/// it): the signature, then the signer's certificate against `trust` at
/// `signed_at` (chain, validity, CRLs, key usage, algorithm).
pub fn verify(
    der: &[u8],
    content: Option<&[u8]>,
    trust: &TrustStore,
    signed_at: DateTime<Utc>,
) -> Result<Verified, BadCms> {
    let sd = signed_data(der)?;
    let (certificate, others) = certificates(&sd)?;
    if content.is_none() && sd.encap_content_info.econtent.is_none() {
        return Err(BadCms::NoContent);
    }
    let content = check_signature(der, content)?;
    let algorithm = trust.check_signed_at(&certificate, &others, signed_at)?;
    Ok(Verified {
        certificate,
        content,
        algorithm,
    })
}

/// The signer's certificate of a CMS, unchecked (to find its key in the
/// register before verifying).
pub fn signer_certificate(der: &[u8]) -> Result<X509, BadCms> {
    certificates(&signed_data(der)?).map(|(c, _)| c)
}

/// The signer's certificate of a CMS and the other certificates it
/// carries, unchecked (a timestamp token's TSA and its chain).
pub fn signer_and_chain(der: &[u8]) -> Result<(X509, Vec<X509>), BadCms> {
    certificates(&signed_data(der)?)
}

/// The content a CMS encapsulates, if any (unchecked).
pub fn encapsulated(der: &[u8]) -> Result<Option<Vec<u8>>, BadCms> {
    let sd = signed_data(der)?;
    Ok(sd.encap_content_info.econtent.map(|a| a.value().to_vec()))
}

/// The detached CMS `der` with `content` encapsulated (`doc export --cms`):
/// the signature covers the signed attributes, which hold the content's
/// digest, so it verifies either way.
pub fn attach(der: &[u8], content: &[u8]) -> Result<Vec<u8>, BadCms> {
    let mut sd = signed_data(der)?;
    let octets =
        der::asn1::OctetString::new(content).map_err(|e| BadCms::Damaged(e.to_string()))?;
    sd.encap_content_info.econtent =
        Some(der::Any::encode_from(&octets).map_err(|e| BadCms::Damaged(e.to_string()))?);
    encode_signed_data(&sd)
}

/// Adds `token` (an RFC 3161 TimeStampToken, DER) to the signer's unsigned
/// attributes as `id-aa-timeStampToken` (outside the signature).
pub fn add_timestamp(der: &[u8], token: &[u8]) -> Result<Vec<u8>, BadCms> {
    let damaged = |e: der::Error| BadCms::Damaged(e.to_string());
    let mut sd = signed_data(der)?;
    let mut infos: Vec<cms::signed_data::SignerInfo> = sd.signer_infos.0.into_vec();
    let si = infos.first_mut().ok_or(BadCms::Signers(0))?;
    let value = der::Any::from_der(token).map_err(damaged)?;
    let attr = x509_cert::attr::Attribute {
        oid: TIMESTAMP_TOKEN,
        values: der::asn1::SetOfVec::try_from(vec![value]).map_err(damaged)?,
    };
    let mut attrs: Vec<x509_cert::attr::Attribute> = si
        .unsigned_attrs
        .take()
        .map(|a| a.into_vec())
        .unwrap_or_default();
    attrs.push(attr);
    si.unsigned_attrs = Some(der::asn1::SetOfVec::try_from(attrs).map_err(damaged)?);
    sd.signer_infos =
        cms::signed_data::SignerInfos(der::asn1::SetOfVec::try_from(infos).map_err(damaged)?);
    encode_signed_data(&sd)
}

/// `id-signedData` (RFC 5652 §5.1).
const ID_SIGNED_DATA: der::oid::ObjectIdentifier =
    der::oid::ObjectIdentifier::new_unwrap("1.2.840.113549.1.7.2");

/// `id-aa-timeStampToken` (RFC 3161, appendix A).
pub const TIMESTAMP_TOKEN: der::oid::ObjectIdentifier =
    der::oid::ObjectIdentifier::new_unwrap("1.2.840.113549.1.9.16.2.14");

/// The signature value of the (one) signer, which a timestamp covers.
pub fn signature_value(der: &[u8]) -> Result<Vec<u8>, BadCms> {
    let sd = signed_data(der)?;
    let si = sd.signer_infos.0.get(0).ok_or(BadCms::Signers(0))?;
    Ok(si.signature.as_bytes().to_vec())
}

/// The timestamp tokens (DER) the signer's unsigned attributes carry.
pub fn timestamp_tokens(der: &[u8]) -> Result<Vec<Vec<u8>>, BadCms> {
    let sd = signed_data(der)?;
    let si = sd.signer_infos.0.get(0).ok_or(BadCms::Signers(0))?;
    let mut out = Vec::new();
    for a in si.unsigned_attrs.iter().flat_map(|a| a.iter()) {
        if a.oid == TIMESTAMP_TOKEN {
            for v in a.values.iter() {
                out.push(v.to_der().map_err(|e| BadCms::Damaged(e.to_string()))?);
            }
        }
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::sign::testca::{TestCa, p256_key};

    /// The template's encoding, assembled from its shared head, is the DER
    /// of the whole structure (decoded and encoded again, byte for byte),
    /// carries the signer and its chain, and its signature checks.
    #[test]
    fn template_encodes_the_whole_signed_data() {
        let ca = TestCa::generate("TEST template root").expect("ca");
        let key = p256_key().expect("key");
        let cert = ca.issue("TEST signer", "880101300123", &key).expect("cert");
        for chain in [Vec::new(), vec![ca.cert.clone()]] {
            let t = Template::new(&cert, &chain).expect("template");
            for content in [&b""[..], b"tizilim-notice/1\n{}", &[0xAB; 5000][..]] {
                let der = t
                    .sign(&key, content, std::time::SystemTime::now())
                    .expect("signs");
                let sd = signed_data(&der).expect("reads");
                assert_eq!(encode_signed_data(&sd).expect("encodes"), der);
                let (signer, others) = certificates(&sd).expect("certificates");
                assert_eq!(signer.to_der().unwrap(), cert.to_der().unwrap());
                assert_eq!(others.len(), chain.len());
                check_signature(&der, Some(content)).expect("the signature checks");
                assert!(check_signature(&der, Some(b"other")).is_err());
            }
        }
    }
}
