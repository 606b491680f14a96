//! `tizilim backup --out FILE` and `tizilim backup verify FILE`.

use crate::store::sql::Locator;
use std::io::Write;
use std::path::PathBuf;

use clap::Subcommand;

use super::work::Session;
use super::{Failure, Outcome};
use crate::store::{backup, services};

#[derive(Subcommand, Debug)]
pub enum BackupCmd {
    /// Check a backup on its own: SQLite finds it sound and its journal and
    /// read models pass `audit verify`; print the head it holds.
    Verify {
        /// The backup file.
        file: PathBuf,
        /// One JSON object.
        #[arg(long)]
        json: bool,
    },
}

/// `backup --out FILE`: admins only (a backup holds every applicant's data),
/// and root (the daily timer; root reads the register's folder anyway).
pub fn run(
    reg: &Locator,
    cmd: Option<BackupCmd>,
    dest: Option<PathBuf>,
    json: bool,
    out: &mut impl Write,
) -> Outcome {
    let copy = match (cmd, dest) {
        (Some(BackupCmd::Verify { file, json }), _) => {
            let copy = backup::verify(&file)?;
            return print(&copy, "sound", json, out);
        }
        (None, Some(dest)) => {
            let dest = super::work::out_file(&dest)?;
            let s = Session::reader_or_root(reg)?;
            if !nix::unistd::getuid().is_root() {
                services::require_role(
                    s.db(),
                    &s.login,
                    services::may::ADD_USERS,
                    "back up the register",
                )?;
            }
            backup::copy_to(s.store("backup")?, &dest)?
        }
        (None, None) => {
            return Err(Failure {
                exit: super::Exit::Usage,
                message: crate::i18n::Message::new("err-backup-usage"),
            });
        }
    };
    print(&copy, "written", json, out)
}

fn print(copy: &backup::Copy, what: &str, json: bool, out: &mut impl Write) -> Outcome {
    if json {
        serde_json::to_writer(&mut *out, copy)?;
        writeln!(out)?;
    } else {
        writeln!(
            out,
            "backup {} {what}: journal row {} ({}…), {} cases, {} bytes; SQLite's integrity check passed",
            copy.file.display(),
            copy.head_seq,
            copy.head_hash.get(..12).unwrap_or(&copy.head_hash),
            copy.cases,
            copy.bytes
        )?;
    }
    Ok(0)
}
