//! Every `store::Error` says the same thing in English whether it is printed
//! (`Display`, what scripts and logs match on) or rendered from the catalog
//! (`Error::message`, what the CLI and the console show); in Kazakh and
//! Russian it is said in those languages and keeps every value it carries.

use std::path::PathBuf;

use tizilim::files;
use tizilim::i18n::{Lang, Message, Tr};
use tizilim::privilege::PrivilegeError;
use tizilim::rules::RulesError;
use tizilim::store::Error;

/// The variant's name. The match has no wildcard: a new variant does not
/// compile until it is named here, and then `every_variant` must build one.
fn variant(e: &Error) -> &'static str {
    match e {
        Error::NoRegister(_) => "NoRegister",
        Error::Exists(_) => "Exists",
        Error::NotRegister(..) => "NotRegister",
        Error::ExistsNotRegister(..) => "ExistsNotRegister",
        Error::CreateFailed(..) => "CreateFailed",
        Error::Newer { .. } => "Newer",
        Error::ReadOnly(_) => "ReadOnly",
        Error::ReadOnlyOld(..) => "ReadOnlyOld",
        Error::NotUpgraded { .. } => "NotUpgraded",
        Error::Forbidden { .. } => "Forbidden",
        Error::NotFound(_) => "NotFound",
        Error::Invalid { .. } => "Invalid",
        Error::Stale { .. } => "Stale",
        Error::Refused { .. } => "Refused",
        Error::Rules(_) => "Rules",
        Error::Corrupt(_) => "Corrupt",
        Error::Sql(_) => "Sql",
        Error::Migration(_) => "Migration",
        Error::Json(_) => "Json",
        Error::Output(_) => "Output",
        Error::Privilege(_) => "Privilege",
        Error::Damaged(..) => "Damaged",
        Error::Witness { .. } => "Witness",
        Error::File(_) => "File",
        Error::GroundNotNoticed { .. } => "GroundNotNoticed",
        Error::GrantOnly { .. } => "GrantOnly",
        Error::GrantTermOver { .. } => "GrantTermOver",
        Error::IncompletePackage { .. } => "IncompletePackage",
        Error::DeliveryBeforeIssue { .. } => "DeliveryBeforeIssue",
        Error::DeliveryRecorded { .. } => "DeliveryRecorded",
        Error::AlreadyAttached { .. } => "AlreadyAttached",
        Error::NotAtDesk => "NotAtDesk",
        Error::DeskComplete => "DeskComplete",
        Error::EmptyFile { .. } => "EmptyFile",
    }
}

const VARIANTS: usize = 34;

/// Variants whose catalog entry is only placeholders (`{ $field }: {
/// $message }`, `{ $detail }`): the text they carry comes from the rules
/// layer, in English, and reads the same in every language.
const ONLY_PLACEHOLDERS: [&str; 3] = ["Invalid", "Refused", "Rules"];

fn every_variant() -> Vec<Error> {
    let path = || PathBuf::from("/srv/reg/register-7.sqlite");
    vec![
        Error::Damaged(path(), "database disk image is malformed".into()),
        Error::Witness {
            path: PathBuf::from("/srv/witness/register-7.sqlite.witness"),
            detail: "No space left on device (os error 28)".into(),
        },
        Error::NoRegister(path()),
        Error::Exists(path()),
        Error::NotRegister(path(), "an SQLite database of something else".into()),
        Error::ExistsNotRegister(path(), "an empty file".into()),
        Error::CreateFailed(path(), "No space left on device (os error 28)".into()),
        Error::Newer {
            path: path(),
            found: 9,
            known: 5,
        },
        Error::ReadOnly(path()),
        Error::ReadOnlyOld(path(), 2, 5),
        Error::NotUpgraded {
            path: path(),
            found: 1,
            known: 5,
        },
        Error::Forbidden {
            login: "aigerim".into(),
            action: "decide",
            needed: "clerk, supervisor or admin".into(),
            have: "operator".into(),
        },
        Error::NotFound("ABK-2026-001418".into()),
        Error::invalid("units[0].serial", "has no letter or digit"),
        Error::Stale {
            subject: "ABK-2026-001418".into(),
            version: 4,
            expected: 3,
            by: "dana".into(),
            at: "2026-03-02 10:15:00 +05:00".into(),
        },
        Error::refused("§12", "no hearing is scheduled (the case is included)"),
        Error::Rules(RulesError::UnknownClock(
            "decide_everything".into(),
            "decide_inclusion".into(),
        )),
        Error::Corrupt("ABK-2026-000001: stage limbo".into()),
        Error::Sql(rusqlite::Error::QueryReturnedNoRows),
        Error::Migration(rusqlite_migration::Error::Hook(
            "intake_keys back-fill failed".into(),
        )),
        Error::Json(serde_json::from_str::<u8>("[1,").unwrap_err()),
        Error::Output("Broken pipe (os error 32)".into()),
        Error::Privilege(PrivilegeError::OpenedOnce(path())),
        Error::File(files::Error::Dotfile {
            path: PathBuf::from(".bashrc"),
            part: ".bashrc".into(),
        }),
        Error::GroundNotNoticed {
            case: "ABK-2026-001418".into(),
            new: "3".into(),
            noticed: "1, 6".into(),
        },
        Error::GrantOnly {
            complaint: "CMP-2026-000007".into(),
            due: "05.03.2026".into(),
        },
        Error::GrantTermOver {
            complaint: "CMP-2026-000007".into(),
            due: "05.03.2026".into(),
        },
        Error::IncompletePackage {
            case: "ABK-2026-001418".into(),
            missing: "ownership_proof:expired:2026-03-31".into(),
            on: "02.04.2026".into(),
        },
        Error::DeliveryBeforeIssue {
            notice: "INC-2026-000417".into(),
            issued_on: "02.04.2026".into(),
            on: "01.04.2026".into(),
        },
        Error::DeliveryRecorded {
            notice: "INC-2026-000417".into(),
            via: "cabinet".into(),
            on: "03.04.2026".into(),
        },
        Error::AlreadyAttached {
            case: "ABK-2026-001418".into(),
            sha256: "9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08".into(),
            name: "lease-2026-17.pdf".into(),
        },
        Error::NotAtDesk,
        Error::DeskComplete,
        Error::EmptyFile {
            name: "lease-2026-17.pdf".into(),
        },
    ]
}

/// Every refusal of a file for `--out` (`tizilim::files::Error`).
fn every_file_error() -> Vec<files::Error> {
    let file = || PathBuf::from("/home/dana/tizilim-notices/INC-2026-000001.html");
    let dir = || PathBuf::from("/home/dana/tizilim-notices");
    vec![
        files::Error::Dotfile {
            path: PathBuf::from(".ssh/authorized_keys"),
            part: ".ssh".into(),
        },
        files::Error::Exists(file()),
        files::Error::Symlink(file()),
        files::Error::OutsideNotices {
            path: PathBuf::from("/home/dana/bin/x"),
            dir: dir(),
        },
        files::Error::NotOwnFolder(dir()),
        files::Error::Io {
            path: file(),
            detail: "No space left on device (os error 28)".into(),
        },
    ]
}

#[test]
fn every_refused_file_reads_the_same_and_is_translated() {
    let en = Tr::new(Lang::En);
    for f in every_file_error() {
        let e = Error::File(f.clone());
        let m = e.message();
        assert_eq!(m.render(&en), f.to_string(), "{f:?}");
        assert_eq!(e.to_string(), f.to_string());
        for lang in [Lang::Kk, Lang::Ru] {
            let tr = Tr::new(lang);
            assert!(tr.has(m.key), "{lang:?} has no {}", m.key);
            let text = m.render(&tr);
            // The system's own words (an I/O error) stay as they are.
            if !matches!(f, files::Error::Io { .. }) {
                assert_ne!(text, m.render(&en), "{lang:?} {f:?} is not translated");
            }
            for (arg, value) in &m.args {
                assert!(
                    text.contains(value.as_str()),
                    "{lang:?} drops ${arg}: {text}"
                );
            }
        }
    }
}

#[test]
fn every_variant_is_built() {
    let errors = every_variant();
    let mut names: Vec<&str> = errors.iter().map(variant).collect();
    names.sort_unstable();
    names.dedup();
    assert_eq!(names.len(), VARIANTS, "{names:?}");
    assert_eq!(errors.len(), VARIANTS);
}

#[test]
fn the_english_catalog_says_what_display_says() {
    let en = Tr::new(Lang::En);
    for e in every_variant() {
        assert_eq!(
            e.message().render(&en),
            e.to_string(),
            "{} ({})",
            variant(&e),
            e.message().key
        );
    }
}

#[test]
fn kazakh_and_russian_say_it_in_their_words_with_every_value() {
    let en = Tr::new(Lang::En);
    for lang in [Lang::Kk, Lang::Ru] {
        let tr = Tr::new(lang);
        for e in every_variant() {
            let m: Message = e.message();
            let name = variant(&e);
            let english = m.render(&en);
            let text = m.render(&tr);
            assert!(!text.trim().is_empty(), "{lang:?} {name}");
            assert!(
                tr.has(m.key),
                "{lang:?} has no {} (for {name}): it falls back",
                m.key
            );
            if ONLY_PLACEHOLDERS.contains(&name) {
                assert_eq!(text, english, "{lang:?} {name}");
            } else {
                assert_ne!(text, english, "{lang:?} {name} is not translated");
            }
            for (arg, value) in &m.args {
                assert!(
                    text.contains(value.as_str()),
                    "{lang:?} {name} ({}) drops ${arg} = {value:?}: {text}",
                    m.key
                );
            }
        }
    }
}

// ---------------------------------------------------------------------------
// The signature layer's refusals (issue 19): `tizilim::docs::refusal`.

use tizilim::docs::refusal;
use tizilim::docs::verify::VerifyError;
use tizilim::sign::cms::BadCms;
use tizilim::sign::tsa::BadTimestamp;
use tizilim::sign::x509::{CertRefused, TrustError};
use tizilim::sign::{BadP12, BadSignature, FileRefused, SignError};

/// One of each `CertRefused`. The match has no wildcard: a new variant does
/// not compile until it is named, and then built below.
fn cert_variant(e: &CertRefused) -> &'static str {
    match e {
        CertRefused::Untrusted { .. } => "Untrusted",
        CertRefused::NotValid { .. } => "NotValid",
        CertRefused::Revoked { .. } => "Revoked",
        CertRefused::NoCrl { .. } => "NoCrl",
        CertRefused::KeyUsage => "KeyUsage",
        CertRefused::Gost { .. } => "Gost",
        CertRefused::Algorithm(_) => "Algorithm",
        CertRefused::NoIin => "NoIin",
        CertRefused::OtherIin { .. } => "OtherIin",
        CertRefused::LoginHasNoIin { .. } => "LoginHasNoIin",
        CertRefused::Damaged(_) => "Damaged",
        CertRefused::NotTimeStamping => "NotTimeStamping",
    }
}

fn every_cert_refusal() -> Vec<CertRefused> {
    vec![
        CertRefused::Untrusted {
            trust: "/etc/tizilim/trust".into(),
            reason: "unable to get local issuer certificate".into(),
        },
        CertRefused::NotValid {
            at: "2026-03-02T05:15:00+00:00".into(),
            not_before: "Jan  1 00:00:00 2020 GMT".into(),
            not_after: "Dec 31 23:59:59 2025 GMT".into(),
        },
        CertRefused::Revoked {
            serial: "4F1A".into(),
            since: "Feb  1 00:00:00 2026 GMT".into(),
        },
        CertRefused::NoCrl {
            issuer: "C=KZ, CN=TEST NCA RK intermediate".into(),
            reason: "unable to get certificate CRL".into(),
        },
        CertRefused::KeyUsage,
        CertRefused::Gost {
            oid: "1.2.643.7.1.1.1.1".into(),
        },
        CertRefused::Algorithm("RSA of 1024 bits".into()),
        CertRefused::NoIin,
        CertRefused::OtherIin {
            login: "dana".into(),
            found: "900202400121".into(),
            expected: "880101300123".into(),
        },
        CertRefused::LoginHasNoIin {
            login: "dana".into(),
        },
        CertRefused::Damaged("ASN.1 DER message is incomplete".into()),
        CertRefused::NotTimeStamping,
    ]
}

fn every_trust_error() -> Vec<TrustError> {
    let dir = || PathBuf::from("/srv/trust");
    vec![
        TrustError::NotAllowed(dir()),
        TrustError::Read(dir(), "Permission denied (os error 13)".into()),
        TrustError::Empty(dir()),
        TrustError::BadFile(dir().join("notes.txt"), "not PEM or DER".into()),
    ]
}

/// Every refusal `tizilim key import` (and opening a signer) can give:
/// each check by name.
fn every_key_import_refusal() -> Vec<SignError> {
    let p12 = || PathBuf::from("/home/dana/dana.p12");
    let mut v = vec![
        SignError::File {
            path: p12(),
            refused: FileRefused::NotRegular,
        },
        SignError::File {
            path: p12(),
            refused: FileRefused::TooBig(17 << 20),
        },
        SignError::File {
            path: p12(),
            refused: FileRefused::GrewTooBig,
        },
        SignError::TooOpen {
            path: p12(),
            mode: 0o644,
        },
        SignError::WrongPassphrase(p12()),
        SignError::BadFile(p12(), BadP12::NotPkcs12("header too long".into())),
        SignError::BadFile(p12(), BadP12::NoKey),
        SignError::BadFile(p12(), BadP12::NoCertificate),
        SignError::BadFile(p12(), BadP12::KeyNotCertificates),
        SignError::PassphraseFile {
            file: PathBuf::from("/run/user/1000/pass"),
            detail: "No such file or directory (os error 2)".into(),
        },
        SignError::NoTerminal("No such device or address (os error 6)".into()),
        SignError::NoCertificate {
            login: "dana".into(),
        },
        SignError::Tsa {
            url: "http://127.0.0.1:9/".into(),
            detail: "Connection refused (os error 111)".into(),
        },
    ];
    v.extend(every_cert_refusal().into_iter().map(SignError::Certificate));
    v.extend(every_trust_error().into_iter().map(SignError::Trust));
    v
}

fn every_verify_error() -> Vec<VerifyError> {
    let n = || "INC-2026-000001".to_string();
    let bad_sig = || tizilim::sign::verify("ed25519", &[1; 3], b"x", &[0; 64]).unwrap_err();
    let sig_err = || ed25519_dalek::Signature::from_slice(&[1, 2, 3]).unwrap_err();
    let mut v = vec![
        VerifyError::NoBlock,
        VerifyError::NoBlockEnd,
        VerifyError::Lacks("Signed by".into()),
        VerifyError::Misplaced {
            line: "Key: ab12".into(),
            label: "Signature".into(),
        },
        VerifyError::NoAlgorithm,
        VerifyError::LanguageMismatch {
            lang: "kk".into(),
            named: "ru".into(),
        },
        VerifyError::ContentDamaged,
        VerifyError::SignatureDamaged,
        VerifyError::ContentParse(serde_json::from_str::<u8>("[1,").unwrap_err()),
        VerifyError::UnknownKey("ab12cd34".into()),
        VerifyError::PublicKeyDamaged,
        VerifyError::Signature {
            number: n(),
            source: bad_sig(),
        },
        VerifyError::Signature {
            number: n(),
            source: BadSignature::UnknownAlgorithm("gost".into()),
        },
        VerifyError::Signature {
            number: n(),
            source: BadSignature::PublicKey(sig_err()),
        },
        VerifyError::Signature {
            number: n(),
            source: BadSignature::Signature(sig_err()),
        },
        VerifyError::Signature {
            number: n(),
            source: BadSignature::Mismatch,
        },
        VerifyError::WrongSigner {
            number: n(),
            named: "dana".into(),
            fingerprint: "ab12cd34".into(),
            owner: "aigerim".into(),
        },
        VerifyError::BlockDiffers { number: n() },
        VerifyError::NotIssued { number: n() },
        VerifyError::OtherDocument { number: n() },
        VerifyError::KeyNotInForce {
            number: n(),
            fingerprint: "ab12cd34".into(),
            valid_from: chrono::NaiveDate::from_ymd_opt(2026, 3, 1).unwrap(),
            revoked_on: None,
        },
        VerifyError::KeyNotInForce {
            number: n(),
            fingerprint: "ab12cd34".into(),
            valid_from: chrono::NaiveDate::from_ymd_opt(2026, 3, 1).unwrap(),
            revoked_on: chrono::NaiveDate::from_ymd_opt(2026, 4, 1),
        },
        VerifyError::CertificateDiffers {
            number: n(),
            fingerprint: "ab12cd34".into(),
        },
        VerifyError::NotANotice("content type 1.2.3".into()),
        VerifyError::IssueTime {
            number: n(),
            at: "yesterday".into(),
        },
        VerifyError::TextDiffers {
            number: n(),
            difference: "line 7: «Total 3» instead of «Total 4»".into(),
        },
    ];
    for source in [
        BadCms::Damaged("unexpected end of input".into()),
        BadCms::Signers(2),
        BadCms::NoCertificate,
        BadCms::Mismatch("digest failure".into()),
        BadCms::NoContent,
    ]
    .into_iter()
    .chain(every_cert_refusal().into_iter().map(BadCms::Certificate))
    {
        v.push(VerifyError::Cms {
            number: n(),
            source,
        });
    }
    for source in [
        BadTimestamp::Damaged("not SignedData".into()),
        BadTimestamp::OtherSignature,
        BadTimestamp::Signature("bad signature".into()),
    ]
    .into_iter()
    .chain(
        every_cert_refusal()
            .into_iter()
            .map(BadTimestamp::Authority),
    ) {
        v.push(VerifyError::Timestamp {
            number: n(),
            source,
        });
    }
    v.extend(every_trust_error().into_iter().map(VerifyError::Trust));
    v
}

/// Every argument value of a message, nested ones included.
fn values(m: &Message) -> Vec<String> {
    let mut out: Vec<String> = m.args.iter().map(|(_, v)| v.clone()).collect();
    for (_, n) in &m.nested {
        out.extend(values(n));
    }
    out
}

/// Messages made only of what the system said (an I/O error's words).
fn only_system_words(m: &Message) -> bool {
    m.key == "err-detail"
        || (m.key == "err-sign-file" && m.nested.iter().all(|(_, n)| only_system_words(n)))
}

fn check_sign_message(name: &str, display: String, m: Message) {
    let en = Tr::new(Lang::En);
    assert_eq!(m.render(&en), display, "{name} ({})", m.key);
    for lang in [Lang::Kk, Lang::Ru] {
        let tr = Tr::new(lang);
        assert!(tr.has(m.key), "{lang:?} has no {} ({name})", m.key);
        for (_, n) in &m.nested {
            assert!(tr.has(n.key), "{lang:?} has no {} ({name})", n.key);
        }
        let text = m.render(&tr);
        if !only_system_words(&m) {
            assert_ne!(text, display, "{lang:?} {name} is not translated");
        }
        for value in values(&m) {
            assert!(
                text.contains(&value),
                "{lang:?} {name} ({}) drops {value:?}: {text}",
                m.key
            );
        }
    }
}

#[test]
fn every_signature_refusal_reads_as_display_in_english_and_is_translated() {
    let mut names: Vec<&str> = every_cert_refusal().iter().map(cert_variant).collect();
    names.dedup();
    assert_eq!(names.len(), 12, "every CertRefused is built: {names:?}");
    for e in every_key_import_refusal() {
        check_sign_message(&format!("{e:?}"), e.to_string(), refusal::sign(&e));
    }
    for e in every_verify_error() {
        check_sign_message(&format!("{e:?}"), e.to_string(), refusal::verify(&e));
    }
    let io = SignError::Io("Permission denied (os error 13)".into());
    check_sign_message("Io", io.to_string(), refusal::sign(&io));
    let damaged = SignError::BadFile(PathBuf::from("a.p12"), BadP12::Damaged("x".into()));
    assert_eq!(
        refusal::sign(&damaged).render(&Tr::new(Lang::En)),
        damaged.to_string()
    );
}

/// What `tizilim key import` refuses, a Kazakh or Russian reader reads in
/// that language: no English word outside the values (paths, logins,
/// openssl's own reason), the commands in backquotes and a few names that
/// are the same in every language (CRL, PEM, PKCS, FIFO, RSA, ECDSA, the
/// X.509 fields digitalSignature, nonRepudiation, timeStamping,
/// serialNumber).
#[test]
fn key_import_refusals_in_kazakh_and_russian_have_no_english_word() {
    let allowed = [
        "CRL",
        "PEM",
        "PKCS",
        "FIFO",
        "RSA",
        "ECDSA",
        "P",
        "digitalSignature",
        "nonRepudiation",
        "timeStamping",
        "serialNumber",
        "IIN",
        "TIZILIM_PASSPHRASE_FILE",
        "p12",
        "ssh",
        "tizilim",
    ];
    for lang in [Lang::Kk, Lang::Ru] {
        let tr = Tr::new(lang);
        for e in every_key_import_refusal() {
            let m = refusal::sign(&e);
            let mut text = m.render(&tr);
            let mut vals = values(&m);
            vals.sort_by_key(|v| std::cmp::Reverse(v.len()));
            for v in vals {
                text = text.replace(&v, " ");
            }
            // Commands in backquotes are typed as they are.
            let mut plain = String::new();
            for (i, part) in text.split('`').enumerate() {
                if i % 2 == 0 {
                    plain.push_str(part);
                }
            }
            for w in plain
                .split(|c: char| !(c.is_ascii_alphanumeric() || c == '_'))
                .filter(|w| w.chars().any(|c| c.is_ascii_alphabetic()))
            {
                assert!(
                    allowed.contains(&w),
                    "{lang:?}: English {w:?} in the refusal {e:?}: {plain}"
                );
            }
        }
    }
}

/// A value from a file (a subject's name in a certificate) reaches the
/// terminal inert: its control characters are not echoed.
#[test]
fn values_from_files_are_inert_in_every_language() {
    let e = SignError::Certificate(CertRefused::NoCrl {
        issuer: "CN=TEST\u{1b}[2J\u{7}evil".into(),
        reason: "unable to get certificate CRL".into(),
    });
    for lang in [Lang::En, Lang::Kk, Lang::Ru] {
        let text = refusal::sign(&e).render(&Tr::new(lang));
        assert!(
            !text.contains('\u{1b}') && !text.contains('\u{7}'),
            "{text:?}"
        );
        assert!(text.contains("CN=TEST\u{FFFD}[2J\u{FFFD}evil"), "{text:?}");
    }
}
