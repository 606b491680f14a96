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
    }
}

const VARIANTS: usize = 24;

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
