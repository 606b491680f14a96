//! RFC 3161 timestamps (`TIZILIM_TSA_URL`): the signature value's SHA-256
//! sent to a timestamp authority over HTTP (`application/timestamp-query`),
//! its token added to the CMS as the unsigned attribute
//! `id-aa-timeStampToken`. RustCrypto's `x509-tsp` types make the request
//! and read the response; the HTTP is a plain HTTP/1.0 POST on a TCP
//! stream (a TSA on loopback or the provider's network; no TLS here).

use std::io::{Read, Write};
use std::net::TcpStream;
use std::time::Duration;

use der::{Decode, Encode};
use sha2::{Digest, Sha256};

use super::SignError;

/// The largest response read from a TSA.
const MAX_RESPONSE: u64 = 1 << 20;

/// `id-sha256`.
const SHA256: der::oid::ObjectIdentifier =
    der::oid::ObjectIdentifier::new_unwrap("2.16.840.1.101.3.4.2.1");

fn err(url: &str, m: impl std::fmt::Display) -> SignError {
    SignError::Tsa {
        url: url.to_string(),
        detail: m.to_string(),
    }
}

/// `nonce` as a DER INTEGER in its minimal form. `Int::new` strips leading
/// 0xFF bytes but not leading zeros, and a TSA (openssl's among them) refuses
/// a request whose nonce is not minimal DER: a random nonce with a zero first
/// byte made one request in 128 fail.
fn nonce_int(nonce: u64) -> Result<der::asn1::Int, der::Error> {
    let bytes = nonce.to_be_bytes();
    let first = bytes
        .iter()
        .position(|&b| b != 0)
        .unwrap_or(bytes.len() - 1);
    let mut minimal = Vec::with_capacity(9);
    if bytes[first] >= 0x80 {
        minimal.push(0);
    }
    minimal.extend_from_slice(&bytes[first..]);
    der::asn1::Int::new(&minimal)
}

/// The DER request for a timestamp over `data`'s SHA-256, with a nonce.
pub fn request(data: &[u8], nonce: u64) -> Result<Vec<u8>, der::Error> {
    let req = x509_tsp::TimeStampReq {
        version: x509_tsp::TspVersion::V1,
        message_imprint: x509_tsp::MessageImprint {
            hash_algorithm: x509_cert::spki::AlgorithmIdentifier {
                oid: SHA256,
                parameters: Some(der::Any::null()),
            },
            hashed_message: der::asn1::OctetString::new(Sha256::digest(data).to_vec())?,
        },
        req_policy: None,
        nonce: Some(nonce_int(nonce)?),
        cert_req: true,
        extensions: None,
    };
    req.to_der()
}

/// `http://host[:port]/path` → (host:port, path).
fn split_url(url: &str) -> Option<(String, String)> {
    let rest = url.strip_prefix("http://")?;
    let (authority, path) = match rest.find('/') {
        Some(i) => (&rest[..i], &rest[i..]),
        None => (rest, "/"),
    };
    if authority.is_empty() {
        return None;
    }
    let authority = if authority.contains(':') {
        authority.to_string()
    } else {
        format!("{authority}:80")
    };
    Some((authority, path.to_string()))
}

/// POSTs `body` to `url`, returns the response body (status 200 only).
fn post(url: &str, body: &[u8]) -> Result<Vec<u8>, SignError> {
    let (authority, path) = split_url(url)
        .ok_or_else(|| err(url, "only http://host[:port]/path URLs are supported"))?;
    let addr = std::net::ToSocketAddrs::to_socket_addrs(&authority)
        .map_err(|e| err(url, e))?
        .next()
        .ok_or_else(|| err(url, "the host has no address"))?;
    let mut s =
        TcpStream::connect_timeout(&addr, Duration::from_secs(10)).map_err(|e| err(url, e))?;
    s.set_read_timeout(Some(Duration::from_secs(30)))
        .map_err(|e| err(url, e))?;
    let host = authority
        .rsplit_once(':')
        .map(|(h, _)| h)
        .unwrap_or(&authority);
    let head = format!(
        "POST {path} HTTP/1.0\r\nHost: {host}\r\nContent-Type: application/timestamp-query\r\nAccept: application/timestamp-reply\r\nContent-Length: {}\r\n\r\n",
        body.len()
    );
    s.write_all(head.as_bytes()).map_err(|e| err(url, e))?;
    s.write_all(body).map_err(|e| err(url, e))?;
    let mut resp = Vec::new();
    s.take(MAX_RESPONSE)
        .read_to_end(&mut resp)
        .map_err(|e| err(url, e))?;
    let split = resp
        .windows(4)
        .position(|w| w == b"\r\n\r\n")
        .ok_or_else(|| err(url, "no HTTP response"))?;
    let status = String::from_utf8_lossy(&resp[..split]);
    let line = status.lines().next().unwrap_or("");
    if line.split_whitespace().nth(1) != Some("200") {
        return Err(err(url, format!("the TSA answered «{line}»")));
    }
    Ok(resp[split + 4..].to_vec())
}

/// The timestamp token (a CMS ContentInfo, DER) for `data`, after checking
/// that the TSA granted it over this very hash and nonce.
pub fn token(url: &str, data: &[u8]) -> Result<Vec<u8>, SignError> {
    let mut nonce = [0u8; 8];
    getrandom::getrandom(&mut nonce).map_err(|e| err(url, e))?;
    let nonce = u64::from_be_bytes(nonce) >> 1;
    let body = post(url, &request(data, nonce).map_err(|e| err(url, e))?)?;
    let resp = x509_tsp::TimeStampResp::from_der(&body).map_err(|e| err(url, e))?;
    use cmpv2::status::PkiStatus;
    if !matches!(
        resp.status.status,
        PkiStatus::Accepted | PkiStatus::GrantedWithMods
    ) {
        return Err(err(
            url,
            format!("the TSA refused: {:?}", resp.status.status),
        ));
    }
    let token = resp
        .time_stamp_token
        .ok_or_else(|| err(url, "the TSA granted no token"))?;
    let der = token.to_der().map_err(|e| err(url, e))?;
    let info = tst_info(&der).map_err(|e| err(url, e))?;
    if info.message_imprint.hashed_message.as_bytes() != Sha256::digest(data).as_slice() {
        return Err(err(url, "the token stamps another hash"));
    }
    let want = nonce_int(nonce).map_err(|e| err(url, e))?;
    if info.nonce.as_ref().map(|n| n.as_bytes()) != Some(want.as_bytes()) {
        return Err(err(url, "the token carries another nonce"));
    }
    Ok(der)
}

/// The TSTInfo a timestamp token encapsulates.
pub fn tst_info(token: &[u8]) -> Result<x509_tsp::TstInfo, String> {
    let ci = cms::content_info::ContentInfo::from_der(token).map_err(|e| e.to_string())?;
    let sd = ci
        .content
        .decode_as::<cms::signed_data::SignedData>()
        .map_err(|e| e.to_string())?;
    let econtent = sd
        .encap_content_info
        .econtent
        .ok_or("the token encapsulates no TSTInfo")?;
    let octets = econtent
        .decode_as::<der::asn1::OctetString>()
        .map_err(|e| e.to_string())?;
    x509_tsp::TstInfo::from_der(octets.as_bytes()).map_err(|e| e.to_string())
}

/// Timestamps a CMS: its signature value stamped by the TSA at `url`, the
/// token added as an unsigned attribute.
pub fn stamp(url: &str, cms_der: &[u8]) -> Result<Vec<u8>, SignError> {
    let sig = super::cms::signature_value(cms_der).map_err(|e| err(url, e))?;
    let token = token(url, &sig)?;
    super::cms::add_timestamp(cms_der, &token).map_err(|e| err(url, e))
}

/// Why a CMS's timestamp token is not accepted.
#[derive(Debug, thiserror::Error)]
pub enum BadTimestamp {
    #[error("the timestamp token cannot be read: {0}")]
    Damaged(String),
    #[error("the timestamp stamps another signature")]
    OtherSignature,
    #[error("the timestamp's signature does not hold: {0}")]
    Signature(String),
    /// The TSA's certificate does not chain to the trust store, lacks the
    /// timeStamping extended key usage, or was not valid then.
    #[error("the timestamp authority's certificate: {0}")]
    Authority(#[source] super::x509::CertRefused),
}

/// The time a CMS's timestamp token gives, after checking that the token
/// stamps this CMS's signature, that its own signature holds, and that the
/// TSA's certificate chains to `trust` with the timeStamping extended key
/// usage, valid at the time it gives.
pub fn stamped_at(
    cms_der: &[u8],
    trust: &super::x509::TrustStore,
) -> Result<Option<chrono::DateTime<chrono::Utc>>, BadTimestamp> {
    let damaged = |e: String| BadTimestamp::Damaged(e);
    let tokens = super::cms::timestamp_tokens(cms_der).map_err(|e| damaged(e.to_string()))?;
    let Some(token) = tokens.first() else {
        return Ok(None);
    };
    let sig = super::cms::signature_value(cms_der).map_err(|e| damaged(e.to_string()))?;
    let info = tst_info(token).map_err(damaged)?;
    if info.message_imprint.hashed_message.as_bytes() != Sha256::digest(&sig).as_slice() {
        return Err(BadTimestamp::OtherSignature);
    }
    let mut ci =
        openssl::cms::CmsContentInfo::from_der(token).map_err(|e| damaged(e.to_string()))?;
    // The TSA's chain is checked below, by the trust store at the time the
    // token gives (openssl's own check would use today's).
    ci.verify(
        None,
        None,
        None,
        None,
        openssl::cms::CMSOptions::BINARY | openssl::cms::CMSOptions::NO_SIGNER_CERT_VERIFY,
    )
    .map_err(|e| BadTimestamp::Signature(e.to_string()))?;
    let t = info.gen_time.to_unix_duration().as_secs() as i64;
    let at = chrono::DateTime::from_timestamp(t, 0)
        .ok_or_else(|| damaged(format!("time {t} is out of range")))?;
    let (tsa, chain) = super::cms::signer_and_chain(token).map_err(|e| damaged(e.to_string()))?;
    trust
        .check_timestamper(&tsa, &chain, at)
        .map_err(BadTimestamp::Authority)?;
    Ok(Some(at))
}

#[cfg(test)]
mod tests {
    use super::nonce_int;
    use der::{Decode, Encode};

    #[test]
    fn every_nonce_is_minimal_der_as_a_tsa_reads_it() {
        let expected: &[(u64, &[u8])] = &[
            (0, &[0x02, 0x01, 0x00]),
            (1, &[0x02, 0x01, 0x01]),
            (0x7f, &[0x02, 0x01, 0x7f]),
            (0x80, &[0x02, 0x02, 0x00, 0x80]),
            (0x0100, &[0x02, 0x02, 0x01, 0x00]),
        ];
        for (nonce, der) in expected {
            assert_eq!(
                nonce_int(*nonce).unwrap().to_der().unwrap(),
                *der,
                "{nonce:#x}"
            );
        }
        // der's decoder refuses a non-minimal INTEGER, as openssl's does: every
        // width of nonce, a zero first byte included, reads back as sent.
        for shift in 0..64 {
            for nonce in [1u64 << shift, (1u64 << shift) - 1, u64::MAX >> shift] {
                let encoded = nonce_int(nonce).unwrap().to_der().unwrap();
                let back = der::asn1::Int::from_der(&encoded)
                    .unwrap_or_else(|e| panic!("{nonce:#x}: {e}"));
                assert_eq!(back, nonce_int(nonce).unwrap());
            }
        }
    }
}
