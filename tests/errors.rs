//! Every `store::Error` says the same thing in English whether it is printed
//! (`Display`, what scripts and logs match on) or rendered from the catalog
//! (`Error::message`, what the CLI and the console show); in Kazakh and
//! Russian it is said in those languages and keeps every value it carries.

use std::path::PathBuf;

use tizilim::files;
use tizilim::i18n::{Lang, Message, Tr};
use tizilim::privilege::PrivilegeError;
use tizilim::rules::RulesError;
use tizilim::rules::Stage;
use tizilim::rules::workflow::NotAllowed;
use tizilim::store::Error;
use tizilim::store::reason::{Missing, Problem, Refusal};

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
        Error::Postgres(_) => "Postgres",
        Error::NotOnPostgres { .. } => "NotOnPostgres",
        Error::Busy => "Busy",
        Error::ConnectionLost { .. } => "ConnectionLost",
    }
}

const VARIANTS: usize = 38;

/// Variants whose words are the system's own (SQLite's, serde's, the
/// migration library's): the prefix is translated, the detail is not.
const ONLY_PLACEHOLDERS: [&str; 0] = [];

fn every_variant() -> Vec<Error> {
    let path = || PathBuf::from("/srv/reg/register-7.sqlite");
    vec![
        Error::Damaged(path(), "database disk image is malformed".into()),
        Error::Witness {
            path: PathBuf::from("/srv/witness/register-7.sqlite.witness"),
            row: Some(17),
            detail: "No space left on device (os error 28)".into(),
        },
        Error::NoRegister(path()),
        Error::Exists(path()),
        Error::NotRegister(path(), "an SQLite database of something else".into()),
        Error::ExistsNotRegister(path(), "an empty file".into()),
        Error::CreateFailed(
            path(),
            Box::new(Error::invalid(
                "--db",
                Problem::CannotCreate {
                    path: "/srv/reg".into(),
                    detail: "No space left on device (os error 28)".into(),
                },
            )),
        ),
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
            needed: "supervisor or admin".into(),
            have: "operator".into(),
        },
        Error::NotFound(Missing::Case("ABK-2026-001418".into())),
        Error::invalid(
            "units[0].serial",
            Problem::IdOnly(tizilim::rules::ids::IdError::SerialEmpty),
        ),
        Error::Stale {
            subject: "ABK-2026-001418".into(),
            version: 4,
            expected: 3,
            by: "dana".into(),
            at: "2026-03-02 10:15:00 +05:00".into(),
        },
        Error::refused(Refusal::Workflow(NotAllowed::NoHearingScheduled {
            stage: Stage::Included,
        })),
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
        Error::Postgres(
            "postgresql://tizilim@db1:5432/register: database \"register\" does not exist (3D000)"
                .into(),
        ),
        Error::NotOnPostgres {
            command: "case".into(),
        },
        Error::Busy,
        Error::ConnectionLost {
            detail: "connection closed".into(),
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

// ---------------------------------------------------------------------------
// Every refusal the store can give, every field problem and every error of
// the rules layer, typed and rendered through the catalogs (issue 17).

mod common;

use chrono::NaiveDate;
use tizilim::rules::case::{CaseKind, Outcome};
use tizilim::rules::grounds::GroundsError;
use tizilim::rules::ids::{IdError, SerialChar};
use tizilim::rules::text::TextError;
use tizilim::rules::workflow::Action;
use tizilim::rules::{CalendarError, Position};
use tizilim::store::reason::{self, Since};

const OUTCOMES: [Outcome; 5] = [
    Outcome::Included,
    Outcome::Excluded,
    Outcome::Amended,
    Outcome::Refused,
    Outcome::RefusedIncomplete,
];

fn d(y: i32, m: u32, day: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, day).unwrap()
}

/// The refusal's name. No wildcard: a new refusal does not compile until it
/// is named here, and `every_refusal` must then build it (REFUSALS).
fn refusal_name(r: &Refusal) -> &'static str {
    match r {
        Refusal::OwnKey { .. } => "OwnKey",
        Refusal::SignerPosition { .. } => "SignerPosition",
        Refusal::LastAdmin { .. } => "LastAdmin",
        Refusal::Workflow(_) => "Workflow",
        Refusal::NoticeDue { .. } => "NoticeDue",
        Refusal::HearingTooLate { .. } => "HearingTooLate",
        Refusal::HearingNotYet { .. } => "HearingNotYet",
        Refusal::SerialConflict { .. } => "SerialConflict",
        Refusal::NotIncluded { .. } => "NotIncluded",
        Refusal::OtherMiner { .. } => "OtherMiner",
        Refusal::GrantInFullOnly => "GrantInFullOnly",
        Refusal::GrantTooLate { .. } => "GrantTooLate",
        Refusal::Signing(_) => "Signing",
        Refusal::CertificateNotRegistered { .. } => "CertificateNotRegistered",
        Refusal::EarlierFormat { .. } => "EarlierFormat",
        Refusal::KeyOfAnother { .. } => "KeyOfAnother",
        Refusal::KeyRevoked { .. } => "KeyRevoked",
        Refusal::AlreadyInformed { .. } => "AlreadyInformed",
        Refusal::Late { .. } => "Late",
    }
}
const REFUSALS: usize = 19;

fn not_allowed_name(n: &NotAllowed) -> &'static str {
    match n {
        NotAllowed::RefusalNeedsHearing => "RefusalNeedsHearing",
        NotAllowed::Incomplete { .. } => "Incomplete",
        NotAllowed::NoHearingScheduled { .. } => "NoHearingScheduled",
        NotAllowed::NotUnderReview { .. } => "NotUnderReview",
        NotAllowed::Closed { .. } => "Closed",
        NotAllowed::WrongKind { .. } => "WrongKind",
        NotAllowed::AtStage { .. } => "AtStage",
        NotAllowed::CannotClose { .. } => "CannotClose",
        NotAllowed::DecidedHere => "DecidedHere",
        NotAllowed::AlreadyDecided => "AlreadyDecided",
        NotAllowed::AlreadyForwarded => "AlreadyForwarded",
    }
}
const NOT_ALLOWED: usize = 11;

/// Every refusal of the action table: each variant, each stage, action,
/// kind and outcome it can name.
fn every_not_allowed() -> Vec<NotAllowed> {
    let mut v = vec![
        NotAllowed::RefusalNeedsHearing,
        NotAllowed::DecidedHere,
        NotAllowed::AlreadyDecided,
        NotAllowed::AlreadyForwarded,
    ];
    for action in Action::ALL.iter().copied() {
        v.push(NotAllowed::Incomplete { action });
        for kind in CaseKind::ALL.iter().copied() {
            v.push(NotAllowed::WrongKind { kind, action });
        }
    }
    for stage in Stage::ALL.iter().copied() {
        v.push(NotAllowed::NoHearingScheduled { stage });
        v.push(NotAllowed::NotUnderReview { stage });
        v.push(NotAllowed::Closed { stage });
        for action in Action::ALL.iter().copied() {
            v.push(NotAllowed::AtStage { action, stage });
        }
        for kind in CaseKind::ALL.iter().copied() {
            for outcome in OUTCOMES {
                v.push(NotAllowed::CannotClose {
                    kind,
                    stage,
                    outcome,
                });
            }
        }
    }
    v
}

fn every_refusal() -> Vec<Refusal> {
    let mut v = vec![
        Refusal::OwnKey {
            actor: "dana".into(),
            signer: "aigerim".into(),
        },
        Refusal::LastAdmin {
            login: "dana".into(),
        },
        Refusal::NoticeDue {
            last: d(2026, 3, 2),
        },
        Refusal::HearingTooLate {
            latest: d(2026, 3, 4),
            sent_on: d(2026, 3, 2),
        },
        Refusal::HearingNotYet {
            at: "04.03.2026 10:00".into(),
        },
        Refusal::SerialConflict {
            field: "units[3].serial".into(),
            serial: "S19XP-0001".into(),
            entry_no: 1418,
            case: "ABK-2026-000007".into(),
            miner: "TOO Qazaq Hash".into(),
            bin_iin: "180240012345".into(),
        },
        Refusal::GrantInFullOnly,
        Refusal::GrantTooLate { due: d(2026, 3, 5) },
        Refusal::Signing("wrong passphrase for the key file /home/dana/dana.p12".into()),
        Refusal::CertificateNotRegistered {
            login: "dana".into(),
            fingerprint: "ab12cd34".into(),
        },
        Refusal::EarlierFormat {
            fingerprint: "ab12cd34".into(),
        },
        Refusal::KeyOfAnother {
            fingerprint: "ab12cd34".into(),
            owner: "aigerim".into(),
            signer: "dana".into(),
        },
        Refusal::KeyRevoked {
            fingerprint: "ab12cd34".into(),
            on: d(2026, 2, 1),
        },
        Refusal::AlreadyInformed {
            change: "LAW-2026-01".into(),
            on: d(2026, 2, 3),
        },
        Refusal::Late {
            rule: "§13".into(),
            due: d(2026, 3, 2),
            late: 3,
        },
    ];
    for outcome in OUTCOMES {
        for position in ["authorized", "deputy", "acting_whatever"] {
            v.push(Refusal::SignerPosition {
                outcome,
                may: vec![Position::Head, Position::Deputy],
                login: "dana".into(),
                position: position.into(),
            });
        }
    }
    for outcome in [Outcome::Excluded, Outcome::Amended] {
        v.push(Refusal::NotIncluded {
            outcome,
            field: "units[0].serial".into(),
            serial: "S19XP-0001".into(),
        });
        v.push(Refusal::OtherMiner {
            outcome,
            field: "units[0].serial".into(),
            serial: "S19XP-0001".into(),
            entry_no: 7,
        });
    }
    v.extend(every_not_allowed().into_iter().map(Refusal::Workflow));
    v
}

fn problem_name(p: &Problem) -> &'static str {
    match p {
        Problem::Login => "Login",
        Problem::BinNotIin(_) => "BinNotIin",
        Problem::Id { .. } => "Id",
        Problem::IdOnly(_) => "IdOnly",
        Problem::InFuture => "InFuture",
        Problem::TimeInFuture(_) => "TimeInFuture",
        Problem::Rules(_) => "Rules",
        Problem::FutureDay { .. } => "FutureDay",
        Problem::BeforeEarliest { .. } => "BeforeEarliest",
        Problem::NotWorkingDay(_) => "NotWorkingDay",
        Problem::Text(_) => "Text",
        Problem::TooLong(_) => "TooLong",
        Problem::Empty => "Empty",
        Problem::Grounds(_) => "Grounds",
        Problem::NoGround => "NoGround",
        Problem::HearingBeforeNotice(_) => "HearingBeforeNotice",
        Problem::OfficeHours { .. } => "OfficeHours",
        Problem::NotADecision => "NotADecision",
        Problem::NothingMissing => "NothingMissing",
        Problem::RefusalNeedsGround => "RefusalNeedsGround",
        Problem::RefusalNeedsReasons => "RefusalNeedsReasons",
        Problem::BeforeApplication => "BeforeApplication",
        Problem::KeyOwnLogin => "KeyOwnLogin",
        Problem::NeedsCertificate => "NeedsCertificate",
        Problem::KeyRegistered(_) => "KeyRegistered",
        Problem::AlreadyRevoked(_) => "AlreadyRevoked",
        Problem::NoDecree => "NoDecree",
        Problem::KeyNotOpen => "KeyNotOpen",
        Problem::NoSuchChange { .. } => "NoSuchChange",
        Problem::CannotRead { .. } => "CannotRead",
        Problem::CannotCreate { .. } => "CannotCreate",
        Problem::CannotSync { .. } => "CannotSync",
        Problem::EarlierWitness(_) => "EarlierWitness",
        Problem::Path { .. } => "Path",
        Problem::UnknownField(_) => "UnknownField",
        Problem::Required => "Required",
        Problem::RequiredBlank => "RequiredBlank",
        Problem::WrongType { .. } => "WrongType",
        Problem::NotBool(_) => "NotBool",
        Problem::OneOf(_) => "OneOf",
        Problem::BeforeRules { .. } => "BeforeRules",
        Problem::DateFormat => "DateFormat",
        Problem::NotPositive => "NotPositive",
        Problem::MoreThanAny { .. } => "MoreThanAny",
        Problem::TooManyItems { .. } => "TooManyItems",
        Problem::FileTooBig { .. } => "FileTooBig",
        Problem::NotUtf8(_) => "NotUtf8",
        Problem::EmptyFile => "EmptyFile",
        Problem::DuplicateKey => "DuplicateKey",
        Problem::NotJson(_) => "NotJson",
        Problem::NotAnApplication(_) => "NotAnApplication",
        Problem::Time(_) => "Time",
        Problem::OnlyForChange => "OnlyForChange",
        Problem::ConsentRequired => "ConsentRequired",
        Problem::UnitsRequired => "UnitsRequired",
        Problem::NoUnits => "NoUnits",
        Problem::SerialRepeats { .. } => "SerialRepeats",
        Problem::ChangedAfterReceived { .. } => "ChangedAfterReceived",
        Problem::RequestNoClash { .. } => "RequestNoClash",
        Problem::Stdin(_) => "Stdin",
        Problem::NotRegularFile { .. } => "NotRegularFile",
        Problem::NotALocator { .. } => "NotALocator",
        Problem::PgUrl { .. } => "PgUrl",
    }
}
const PROBLEMS: usize = 63;

fn id_name(e: &IdError) -> &'static str {
    match e {
        IdError::NotTwelveDigits => "NotTwelveDigits",
        IdError::FifthDigit => "FifthDigit",
        IdError::BinMonth(_) => "BinMonth",
        IdError::BinOffice => "BinOffice",
        IdError::IinCentury(_) => "IinCentury",
        IdError::IinBirthDate { .. } => "IinBirthDate",
        IdError::IinBornLater { .. } => "IinBornLater",
        IdError::NeverIssued => "NeverIssued",
        IdError::CheckDigit { .. } => "CheckDigit",
        IdError::TnVed => "TnVed",
        IdError::PhoneCharacter(_) => "PhoneCharacter",
        IdError::PhoneLength => "PhoneLength",
        IdError::PhoneCountry => "PhoneCountry",
        IdError::PhoneNotKazakhstan => "PhoneNotKazakhstan",
        IdError::EmailTooLong => "EmailTooLong",
        IdError::EmailNoAt => "EmailNoAt",
        IdError::EmailLocalLength => "EmailLocalLength",
        IdError::EmailManyAt => "EmailManyAt",
        IdError::EmailSpace => "EmailSpace",
        IdError::EmailDomain(_) => "EmailDomain",
        IdError::SerialCharacter { .. } => "SerialCharacter",
        IdError::SerialEmpty => "SerialEmpty",
    }
}
const ID_ERRORS: usize = 22;

fn every_id_error() -> Vec<IdError> {
    let mut v = vec![
        IdError::NotTwelveDigits,
        IdError::FifthDigit,
        IdError::BinMonth(13),
        IdError::BinOffice,
        IdError::IinCentury(8),
        IdError::IinBirthDate {
            yy: 88,
            month: 2,
            day: 30,
        },
        IdError::IinBornLater {
            born: d(2030, 1, 1),
            on: d(2026, 3, 2),
        },
        IdError::NeverIssued,
        IdError::CheckDigit {
            found: 3,
            expected: 4,
        },
        IdError::TnVed,
        IdError::PhoneCharacter('x'),
        IdError::PhoneLength,
        IdError::PhoneCountry,
        IdError::PhoneNotKazakhstan,
        IdError::EmailTooLong,
        IdError::EmailNoAt,
        IdError::EmailLocalLength,
        IdError::EmailManyAt,
        IdError::EmailSpace,
        IdError::EmailDomain("example..kz".into()),
        IdError::SerialEmpty,
    ];
    for (ch, what) in [
        ('С', SerialChar::Cyrillic),
        ('Α', SerialChar::Greek),
        ('٣', SerialChar::ForeignDigit),
        (' ', SerialChar::Space),
        ('ß', SerialChar::ForeignLetter),
        ('–', SerialChar::Dash),
        ('#', SerialChar::Symbol),
    ] {
        v.push(IdError::SerialCharacter {
            position: 4,
            ch,
            what,
        });
    }
    v
}

fn every_text_error() -> Vec<TextError> {
    let mut v = vec![
        TextError::TooManyBytes {
            bytes: 9000,
            max: 2000,
        },
        TextError::NothingVisible,
        TextError::TooLong {
            chars: 2001,
            max: 2000,
        },
    ];
    // A control, a format, a separator, a filler, the replacement
    // character, a private-use one, an unassigned one, and one allowed.
    for ch in [
        '\u{7}', '\u{200B}', '\u{2028}', '\u{3164}', '\u{FFFD}', '\u{E000}', '\u{0378}', 'a',
    ] {
        v.push(TextError::Forbidden { ch, position: 3 });
    }
    v
}

fn every_rules_error() -> Vec<RulesError> {
    vec![
        RulesError::Calendar(CalendarError::OutOfRange {
            date: d(2031, 1, 5),
            first: 2024,
            last: 2027,
        }),
        RulesError::Calendar(CalendarError::OutOfRange {
            date: d(2020, 1, 5),
            first: 2024,
            last: 2027,
        }),
        RulesError::Calendar(CalendarError::Data("2026.toml: bad day 30.02".into())),
        RulesError::NoEdition(d(2020, 1, 1), d(2025, 5, 1)),
        RulesError::Data("line 3: missing field `days`".into()),
        RulesError::UnknownClock("decide_everything".into(), "decide_inclusion".into()),
    ]
}

fn every_problem() -> Vec<Problem> {
    let mut v = vec![
        Problem::Login,
        Problem::BinNotIin("180240012345".into()),
        Problem::InFuture,
        Problem::TimeInFuture("2027-01-01T10:00:00+05:00".into()),
        Problem::FutureDay {
            day: d(2026, 3, 9),
            today: d(2026, 3, 2),
        },
        Problem::NotWorkingDay(d(2026, 3, 8)),
        Problem::TooLong(300),
        Problem::Empty,
        Problem::Grounds(GroundsError::NoSuchGround {
            no: 9,
            count: 6,
            edition: d(2025, 5, 1),
        }),
        Problem::Grounds(GroundsError::NoEdition(RulesError::NoEdition(
            d(2020, 1, 1),
            d(2025, 5, 1),
        ))),
        Problem::NoGround,
        Problem::HearingBeforeNotice(d(2026, 3, 2)),
        Problem::OfficeHours {
            day: d(2026, 3, 3),
            time: "13:30".into(),
            opens: "09:00".into(),
            closes: "18:30".into(),
            lunch_from: "13:00".into(),
            lunch_to: "14:30".into(),
        },
        Problem::NotADecision,
        Problem::NothingMissing,
        Problem::RefusalNeedsGround,
        Problem::RefusalNeedsReasons,
        Problem::BeforeApplication,
        Problem::KeyOwnLogin,
        Problem::NeedsCertificate,
        Problem::KeyRegistered("ab12cd34".into()),
        Problem::AlreadyRevoked(d(2026, 2, 1)),
        Problem::NoDecree,
        Problem::KeyNotOpen,
        Problem::NoSuchChange {
            wanted: "LAW-2099-01".into(),
            open: vec!["LAW-2026-01".into(), "LAW-2026-02".into()],
        },
        Problem::NoSuchChange {
            wanted: "LAW-2099-01".into(),
            open: vec![],
        },
        Problem::CannotRead {
            path: "/srv/reg/r.sqlite".into(),
            detail: "Permission denied (os error 13)".into(),
        },
        Problem::CannotCreate {
            path: "/srv/reg".into(),
            detail: "Permission denied (os error 13)".into(),
        },
        Problem::CannotSync {
            path: "/srv/reg/.r.sqlite.new".into(),
            detail: "Input/output error (os error 5)".into(),
        },
        Problem::EarlierWitness("/srv/reg/r.sqlite.witness".into()),
        Problem::NotALocator {
            given: "mysql://db/register".into(),
        },
        Problem::PgUrl {
            detail: "invalid connection string: unknown option `nonsense`".into(),
        },
        Problem::Path {
            path: "r.sqlite".into(),
            detail: "No such file or directory (os error 2)".into(),
        },
    ];
    use tizilim::store::reason::{FileKind, JsonType};
    let types = [
        JsonType::Null,
        JsonType::Bool,
        JsonType::Number,
        JsonType::String,
        JsonType::Array,
        JsonType::Object,
    ];
    for want in types {
        for found in types {
            v.push(Problem::WrongType { want, found });
        }
        v.push(Problem::NotBool(want));
        v.push(Problem::NotAnApplication(want));
    }
    for what in [
        FileKind::Fifo,
        FileKind::Directory,
        FileKind::Device,
        FileKind::Socket,
        FileKind::Other,
    ] {
        v.push(Problem::NotRegularFile {
            file: "/srv/inbox/app-17.json".into(),
            what,
        });
    }
    v.extend([
        Problem::UnknownField("brand, model, serial".into()),
        Problem::Required,
        Problem::RequiredBlank,
        Problem::OneOf("inclusion, exclusion, change".into()),
        Problem::BeforeRules {
            day: d(1000, 1, 1),
            from: d(2025, 5, 1),
        },
        Problem::DateFormat,
        Problem::NotPositive,
        Problem::MoreThanAny {
            x: 20000.5,
            unit: "TH/s",
            max: 10000.0,
        },
        Problem::MoreThanAny {
            x: 120.0,
            unit: "kW",
            max: 100.0,
        },
        Problem::TooManyItems {
            n: 20001,
            max: 20000,
        },
        Problem::FileTooBig {
            bytes: 17 << 20,
            mib: 16,
        },
        Problem::NotUtf8(17),
        Problem::EmptyFile,
        Problem::DuplicateKey,
        Problem::NotJson("EOF while parsing an object at line 3 column 1".into()),
        Problem::Time(tizilim::rules::TimeError::LeapSecond(
            "2026-03-02T23:59:60+05:00".into(),
        )),
        Problem::Time(tizilim::rules::TimeError::NotATime("yesterday".into())),
        Problem::OnlyForChange,
        Problem::ConsentRequired,
        Problem::UnitsRequired,
        Problem::NoUnits,
        Problem::SerialRepeats {
            serial: "S19XP-0001".into(),
            first: 0,
        },
        Problem::ChangedAfterReceived {
            day: d(2026, 3, 5),
            received: d(2026, 3, 2),
        },
        Problem::RequestNoClash {
            request_no: "EGOV-7781".into(),
            case: "ABK-2026-000007".into(),
        },
        Problem::Stdin("Input/output error (os error 5)".into()),
    ]);
    for since in [
        Since::Registration,
        Since::HearingDate,
        Since::Hearing,
        Since::ComplaintRegistered,
        Since::ComplaintFiled,
        Since::Change,
    ] {
        v.push(Problem::BeforeEarliest {
            day: d(2026, 3, 2),
            since,
            earliest: d(2026, 3, 4),
        });
    }
    for why in every_id_error() {
        v.push(Problem::Id {
            value: "880101300124".into(),
            why: why.clone(),
        });
        v.push(Problem::IdOnly(why));
    }
    v.extend(every_text_error().into_iter().map(Problem::Text));
    v.extend(every_rules_error().into_iter().map(Problem::Rules));
    v
}

fn every_missing() -> Vec<Missing> {
    let n = || "ABK-2026-001418".to_string();
    vec![
        Missing::Case(n()),
        Missing::Complaint("CMP-2026-000003".into()),
        Missing::User("aigerim".into()),
        Missing::Key("ab12cd34".into()),
        Missing::Document("INC-2026-000001".into()),
        Missing::Decision("INC-2026-000001".into()),
    ]
}

/// Every error the store can give: each variant (`every_variant`), each
/// refusal, each field problem, each thing not found, each deed a login
/// may be refused, each error of the law's data.
fn all_examples() -> Vec<Error> {
    let mut v = every_variant();
    v.push(Error::Witness {
        path: PathBuf::from("/srv/witness/register-7.sqlite.witness"),
        row: None,
        detail: "Permission denied (os error 13)".into(),
    });
    v.extend(every_refusal().into_iter().map(Error::refused));
    v.extend(
        every_problem()
            .into_iter()
            .map(|p| Error::invalid("units[0].serial", p)),
    );
    v.extend(every_missing().into_iter().map(Error::NotFound));
    for action in reason::DEEDS {
        for (needed, have) in [
            ("clerk or supervisor or admin", "operator"),
            ("admin", "none — not a user of this register"),
        ] {
            v.push(Error::Forbidden {
                login: "aigerim".into(),
                action,
                needed: needed.into(),
                have: have.into(),
            });
        }
    }
    v.extend(every_rules_error().into_iter().map(Error::Rules));
    let dir = || PathBuf::from("/var/lib/tizilim");
    for p in [
        PrivilegeError::Call {
            call: "seteuid",
            source: nix::Error::EPERM,
        },
        PrivilegeError::OpenedOnce(dir().join("register.sqlite")),
        PrivilegeError::NoDir {
            dir: dir(),
            source: std::io::Error::from_raw_os_error(2),
        },
        PrivilegeError::UnsafeDir {
            dir: dir(),
            mode: 0o40777,
            uid: 1000,
        },
        PrivilegeError::Unbalanced('\''),
        PrivilegeError::TrailingBackslash,
        PrivilegeError::NotTizilim,
        PrivilegeError::SshWords(Box::new(PrivilegeError::Unbalanced('"'))),
    ] {
        v.push(Error::Privilege(p));
    }
    for (why, _) in reason::NOT_A_REGISTER {
        v.push(Error::NotRegister(
            PathBuf::from("/srv/reg/r.sqlite"),
            why.into(),
        ));
        v.push(Error::ExistsNotRegister(
            PathBuf::from("/srv/reg/r.sqlite"),
            why.into(),
        ));
    }
    v
}

#[test]
fn every_refusal_problem_and_id_error_is_built() {
    let mut names: Vec<&str> = every_refusal().iter().map(refusal_name).collect();
    names.sort_unstable();
    names.dedup();
    assert_eq!(names.len(), REFUSALS, "{names:?}");
    let mut names: Vec<&str> = every_not_allowed().iter().map(not_allowed_name).collect();
    names.sort_unstable();
    names.dedup();
    assert_eq!(names.len(), NOT_ALLOWED, "{names:?}");
    let mut names: Vec<&str> = every_problem().iter().map(problem_name).collect();
    names.sort_unstable();
    names.dedup();
    assert_eq!(names.len(), PROBLEMS, "{names:?}");
    let mut names: Vec<&str> = every_id_error().iter().map(id_name).collect();
    names.sort_unstable();
    names.dedup();
    assert_eq!(names.len(), ID_ERRORS, "{names:?}");
}

/// Every key a message names, nested ones included.
fn keys(m: &Message) -> Vec<&'static str> {
    let mut out = vec![m.key];
    for (_, n) in &m.nested {
        out.extend(keys(n));
    }
    out
}

/// Every argument value of a message at any depth, and the words it says
/// the same in every language.
fn all_values(m: &Message) -> Vec<String> {
    let mut out = values(m);
    collect_words(m, &mut out);
    out
}

fn collect_words(m: &Message, out: &mut Vec<String>) {
    for (_, w) in &m.words {
        if w[0] == w[2] {
            out.push(w[0].clone());
        }
    }
    for (_, n) in &m.nested {
        collect_words(n, out);
    }
}

/// Latin words a Kazakh or Russian message may hold: what is typed as it
/// is (commands, options, file names, the CLI's decision words), names that
/// are the same in every language, units.
const ALLOWED_LATIN: [&str; 41] = [
    "tizilim",
    "TIZILIM_DB",
    "init",
    "demo",
    "Ed25519",
    "X",
    "U",
    "ASCII",
    "include",
    "exclude",
    "amend",
    "refuse",
    "data",
    "rules",
    "toml",
    "calendar",
    "tools",
    "gen_calendar",
    "py",
    "docs",
    "operations",
    "md",
    "Backups",
    "CMS",
    "TH",
    "kW",
    "MiB",
    "dotfiles",
    "JSON",
    "null",
    "true",
    "false",
    "UTF",
    "FIFO",
    "RFC",
    "change",
    "PEM",
    "SQLite",
    "SHA",
    "PostgreSQL",
    "postgresql",
];

/// The Latin words of `text` outside the message's values, commands in
/// backquotes and `--options`.
fn latin_words(text: &str, m: &Message) -> Vec<String> {
    let mut t = text.to_string();
    let mut vals = all_values(m);
    vals.sort_by_key(|v| std::cmp::Reverse(v.len()));
    for v in vals.iter().filter(|v| !v.is_empty()) {
        t = t.replace(v.as_str(), " ");
    }
    let mut plain = String::new();
    for (i, part) in t.split('`').enumerate() {
        if i % 2 == 0 {
            plain.push_str(part);
        }
    }
    plain
        .split_whitespace()
        .filter(|w| !w.starts_with("--"))
        .flat_map(|w| {
            w.split(|c: char| !(c.is_ascii_alphanumeric() || c == '_'))
                .map(str::to_string)
                .collect::<Vec<_>>()
        })
        .filter(|w| w.chars().any(|c| c.is_ascii_alphabetic()))
        // A schema version (`v5`).
        .filter(|w| !(w.starts_with('v') && w[1..].chars().all(|c| c.is_ascii_digit())))
        .filter(|w| !ALLOWED_LATIN.contains(&w.as_str()))
        .collect()
}

#[test]
fn every_store_error_reads_as_display_in_english() {
    let en = Tr::new(Lang::En);
    let mut wrong = Vec::new();
    for e in all_examples() {
        let m = e.message();
        if m.render(&en) != e.to_string() {
            wrong.push(format!("{:?}\n  {}\n  {}", keys(&m), m.render(&en), e));
        }
    }
    assert!(wrong.is_empty(), "{}", wrong.join("\n"));
}

/// The issue's test: every refusal, every field problem, everything not
/// found, rendered in Kazakh and Russian, with every key in the catalog,
/// every value kept and no English word.
#[test]
fn every_store_error_in_kazakh_and_russian_has_no_english_word() {
    let en = Tr::new(Lang::En);
    let mut wrong = Vec::new();
    for lang in [Lang::Kk, Lang::Ru] {
        let tr = Tr::new(lang);
        for e in all_examples() {
            let m = e.message();
            for key in keys(&m) {
                assert!(tr.has(key), "{lang:?} has no {key} (for {e:?})");
            }
            let text = m.render(&tr);
            // A file's path and what the system said of it, a data file's
            // own parse error: the same words in every language.
            let system = keys(&m)
                .iter()
                .any(|k| ["err-problem-path", "err-rules-data"].contains(k));
            if !system && text == m.render(&en) {
                wrong.push(format!("{lang:?}: not translated: {text}"));
            }
            for value in values(&m) {
                if !text.contains(&value) {
                    wrong.push(format!("{lang:?} drops {value:?}: {text}"));
                }
            }
            let english = latin_words(&text, &m);
            if !english.is_empty() {
                wrong.push(format!("{lang:?}: English {english:?} in {text:?}"));
            }
        }
    }
    wrong.dedup();
    assert!(wrong.is_empty(), "{}", wrong.join("\n"));
    // The check itself finds English where there is English.
    let m = Error::refused(Refusal::GrantInFullOnly).message();
    assert!(latin_words(&m.render(&en), &m).contains(&"forwarded".to_string()));
}

/// A value with control characters (a number typed with an escape, a
/// login) never reaches the terminal as it was: every message makes it
/// inert, in every language.
#[test]
fn control_characters_in_values_are_never_echoed() {
    let hostile = "ABK\u{1b}]52;c;aGVsbG8=\u{7}-1\u{1b}[2J";
    for e in [
        Error::NotFound(Missing::Case(hostile.into())),
        Error::NotFound(Missing::Document(hostile.into())),
        Error::refused(Refusal::LastAdmin {
            login: hostile.into(),
        }),
        Error::invalid(hostile, Problem::BinNotIin(hostile.into())),
        Error::refused(Refusal::SignerPosition {
            outcome: Outcome::Excluded,
            may: vec![Position::Head],
            login: "dana".into(),
            position: hostile.into(),
        }),
    ] {
        for lang in Lang::ALL {
            let text = e.message().render(&Tr::new(lang));
            assert!(!text.chars().any(|c| c.is_control()), "{lang:?}: {text:?}");
            assert!(
                text.contains("ABK\u{FFFD}]52;c;aGVsbG8=\u{FFFD}-1"),
                "{text:?}"
            );
        }
    }
}

fn init_register() -> (tempfile::TempDir, PathBuf) {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("register.sqlite");
    let out = std::process::Command::new(common::bin())
        .arg("--db")
        .arg(&db)
        .arg("init")
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", common::stderr(&out));
    (dir, db)
}

/// `doc render $'\e]52;…'` (an OSC 52 escape would set the terminal's
/// clipboard) and `case show` of a hostile number: the refusal names the
/// number inert, in each language, on stderr and in `--json`.
#[test]
fn the_cli_never_echoes_an_escape_from_its_arguments() {
    let (_dir, db) = init_register();
    let hostile = "\u{1b}]52;c;aGVsbG8=\u{7}";
    for (lang, words) in [
        ("kk", "табылмады"),
        ("ru", "не найден"),
        ("en", "not found"),
    ] {
        for args in [
            vec!["doc", "render", hostile],
            vec!["case", "show", hostile],
            vec!["case", "show", "--json", hostile],
        ] {
            let out = std::process::Command::new(common::bin())
                .arg("--db")
                .arg(&db)
                .arg("--lang")
                .arg(lang)
                .args(&args)
                .env_remove("TIZILIM_DB")
                .output()
                .unwrap();
            assert!(!out.status.success(), "{args:?}");
            for (name, bytes) in [("stderr", &out.stderr), ("stdout", &out.stdout)] {
                assert!(
                    !bytes.iter().any(|b| *b == 0x1b || *b == 0x07),
                    "{lang} {args:?}: {name} echoes the escape: {:?}",
                    String::from_utf8_lossy(bytes)
                );
            }
            let err = common::stderr(&out);
            assert!(err.contains(words), "{lang} {args:?}: {err}");
            assert!(err.contains("\u{FFFD}]52;"), "{lang} {args:?}: {err}");
        }
    }
}

/// The issue's example: intake's `units[0].serial: …` for a serial typed
/// with a Cyrillic letter, said in Kazakh and Russian with the path as is.
#[test]
fn an_intake_field_error_reads_in_the_readers_language() {
    let law = tizilim::rules::Law::load(&[]).unwrap();
    let mut app = common::inclusion("speech", 2);
    app["units"][0]["serial"] = serde_json::json!("S19ХР-0001");
    let now = chrono::Utc::now();
    let errors = tizilim::intake::parse_application(app.to_string().as_bytes(), now, &law)
        .expect_err("a Cyrillic letter in a serial");
    let e = errors
        .iter()
        .find(|e| e.field == "units[0].serial")
        .expect("units[0].serial");
    assert_eq!(e.why.render(&Tr::new(Lang::En)), e.message);
    for (lang, word) in [(Lang::Kk, "кирилл әрпі"), (Lang::Ru, "кириллическая буква")]
    {
        let text = e.why.render(&Tr::new(lang));
        assert!(text.contains(word), "{lang:?}: {text}");
        assert!(latin_words(&text, &e.why).is_empty(), "{lang:?}: {text}");
    }
}

use tizilim::cli::docs::SealError;
use tizilim::store::audit::Finding;
use tizilim::store::audit::WitnessFinding;

/// Every refusal of a seal file (`audit verify --seal`) and every finding of
/// `audit verify`: the frame in the reader's words, the check's own detail
/// (SQLite's, a row's difference) as it is.
fn every_seal_error() -> Vec<SealError> {
    let file = || PathBuf::from("/home/dana/seal-2026-03.json");
    let v = vec![
        SealError::Read {
            file: file(),
            source: std::io::Error::from_raw_os_error(2),
        },
        SealError::NotASeal {
            file: file(),
            source: serde_json::from_str::<u8>("[1,").unwrap_err(),
        },
        SealError::Missing {
            file: file(),
            field: "head_seq",
        },
        SealError::Register(Error::NotFound(Missing::User("dana".into()))),
        SealError::EarlierFormat { file: file() },
        SealError::CmsDamaged { file: file() },
        SealError::Cms {
            file: file(),
            source: BadCms::NoContent,
        },
        SealError::OtherContent {
            file: file(),
            seq: 17,
            hash: "ab12cd34ef56".into(),
        },
        SealError::Trust {
            file: file(),
            source: TrustError::Empty(PathBuf::from("/srv/trust")),
        },
        SealError::NotAdmin {
            file: file(),
            login: "dana".into(),
            seq: 17,
            role: None,
        },
        SealError::NotAdmin {
            file: file(),
            login: "dana".into(),
            seq: 17,
            role: Some("clerk".into()),
        },
        SealError::OtherIin {
            file: file(),
            login: "dana".into(),
            seq: 17,
            found: "900202400121".into(),
            expected: Some("880101300123".into()),
        },
        SealError::OtherIin {
            file: file(),
            login: "dana".into(),
            seq: 17,
            found: "900202400121".into(),
            expected: None,
        },
        SealError::Journal {
            file: file(),
            source: Error::Corrupt("journal row 17: at".into()),
        },
        SealError::Truncated {
            file: file(),
            seq: 17,
        },
        SealError::Rewritten {
            file: file(),
            seq: 17,
            found: "ab12".into(),
            sealed: "cd34".into(),
        },
    ];
    v
}

fn every_finding() -> Vec<Finding> {
    vec![
        Finding::Chain {
            seq: 17,
            why: "hash mismatch".into(),
        },
        Finding::ReadModel {
            table: "cases",
            key: "7".into(),
            why: "rows differ".into(),
        },
        Finding::Reference {
            table: "seals",
            key: "2".into(),
            why: "seals journal row 99".into(),
        },
        Finding::Damaged("*** in database main ***".into()),
        Finding::Witness(WitnessFinding::Behind {
            missing: 3,
            seen: 120,
            seen_hash: "ab12cd34ef56".into(),
            head: 117,
        }),
        Finding::Witness(WitnessFinding::Rewritten {
            seq: 120,
            hash: "ab12cd34ef56".into(),
            seen_hash: "0011aabbccdd".into(),
        }),
    ]
}

#[test]
fn seal_refusals_and_audit_findings_are_translated() {
    let en = Tr::new(Lang::En);
    let mut wrong = Vec::new();
    let checks: Vec<(String, Message)> = every_seal_error()
        .iter()
        .map(|e| (e.to_string(), e.message()))
        .chain(
            every_finding()
                .iter()
                .map(|f| (f.to_string(), tizilim::store::audit::finding(f))),
        )
        .collect();
    for (display, m) in checks {
        if m.render(&en) != display {
            wrong.push(format!("en: {}\n  != {display}", m.render(&en)));
        }
        for lang in [Lang::Kk, Lang::Ru] {
            let tr = Tr::new(lang);
            for key in keys(&m) {
                if !tr.has(key) {
                    wrong.push(format!("{lang:?} has no {key}"));
                }
            }
            let text = m.render(&tr);
            if !["err-seal-read", "err-seal-journal"].contains(&m.key) && text == display {
                wrong.push(format!("{lang:?}: not translated: {text}"));
            }
            for value in values(&m) {
                if !text.contains(&value) {
                    wrong.push(format!("{lang:?} drops {value:?}: {text}"));
                }
            }
            let english = latin_words(&text, &m);
            if !english.is_empty() {
                wrong.push(format!("{lang:?}: English {english:?} in {text:?}"));
            }
        }
    }
    assert!(wrong.is_empty(), "{}", wrong.join("\n"));
}

/// Every deed a login may be refused (`require_role(…, "add users")`) has
/// its words in the catalogs: a new one in the source that `reason::DEEDS`
/// does not list fails here, not in a Kazakh console.
#[test]
fn every_deed_in_the_source_is_in_the_catalogs() {
    fn walk(dir: &std::path::Path, out: &mut Vec<PathBuf>) {
        for e in std::fs::read_dir(dir).unwrap() {
            let p = e.unwrap().path();
            if p.is_dir() {
                walk(&p, out);
            } else if p.extension().is_some_and(|x| x == "rs") {
                out.push(p);
            }
        }
    }
    let mut files = Vec::new();
    walk(
        &std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("src"),
        &mut files,
    );
    let mut found = 0;
    for f in files {
        let text = std::fs::read_to_string(&f).unwrap();
        for (i, _) in text.match_indices("require_role(") {
            let call: String = text[i..].chars().take(400).collect();
            let call = call.split([';', '?']).next().unwrap_or("");
            // The deed is the call's last string literal, if it is one.
            let literals: Vec<&str> = call.split('"').skip(1).step_by(2).collect();
            if let Some(deed) = literals.last() {
                found += 1;
                assert!(
                    reason::DEEDS.contains(deed),
                    "{}: require_role(…, {deed:?}) is not in reason::DEEDS (and the catalogs' err-deed-*)",
                    f.display()
                );
            }
        }
    }
    assert!(found >= 10, "{found} deeds found: the scan is broken");
}

/// What a package lacks at the decision (§9, issue 21) is said in the
/// reader's words, not as the register's codes.
#[test]
fn an_incomplete_package_names_what_it_lacks_in_words() {
    let e = Error::IncompletePackage {
        case: "ABK-2026-001418".into(),
        missing: "ownership_proof:expired:2026-03-31".into(),
        on: "02.04.2026".into(),
    };
    let ru = e.message().render(&Tr::new(Lang::Ru));
    assert!(
        ru.contains(
            "документ о праве собственности (ином законном праве): срок действия истек 31.03.2026"
        ),
        "{ru}"
    );
    let kk = e.message().render(&Tr::new(Lang::Kk));
    assert!(!kk.contains("ownership_proof"), "{kk}");
    assert_eq!(e.message().render(&Tr::new(Lang::En)), e.to_string());
}
