//! A register in PostgreSQL (`--db postgresql://…`, issue 22). This version
//! creates one (`init`), copies one to and from a file (`migrate --to`),
//! checks one (`audit verify`, on a snapshot copied into a private file) and
//! answers `register energy|conflicts|find` (the read side ported to
//! `store::sql` so far); every other command says it works on a register
//! file.

use std::io::Write;

use chrono::Utc;

use super::{AuditCmd, Checked, Command, Outcome, audit_verify, os_login};
use crate::i18n::Lang;
use crate::store::engine::PgRegister;
use crate::store::migrate::{self, Copied};
use crate::store::sql::Locator;
use crate::store::sql::locator::PgUrl;
use crate::store::{self, Store, services};

pub fn run(
    url: &PgUrl,
    command: Option<Command>,
    lang: Lang,
    ascii: bool,
    out: &mut impl Write,
) -> Outcome {
    // A register in PostgreSQL needs none of the register account's rights:
    // the installed program gives them up at once, unless root copies a
    // register into the system register's file.
    let into_system = match &command {
        Some(Command::Migrate { to }) => Locator::parse(to)?
            .file()
            .is_some_and(crate::privilege::is_system_register),
        _ => false,
    };
    if !into_system {
        crate::privilege::forgo().map_err(store::Error::Privilege)?;
    }
    match command {
        Some(Command::Init) => {
            let login = os_login()?;
            // The register's first event, made as on a file, then copied
            // into the empty database with the schema in one transaction.
            let mut first = Store::in_memory()?;
            first.write(|tx| services::create_register(tx, &login, Utc::now()))?;
            migrate::file_to_postgres(&first, url)?;
            writeln!(out, "created register {url} with {login} as admin")?;
            Ok(0)
        }
        Some(Command::Migrate { to }) => {
            let login = os_login()?;
            let dest = Locator::parse(&to)?;
            refuse_system_register(&dest)?;
            let done = match &dest {
                Locator::File(p) => migrate::postgres_to_file(url, p, &login)?,
                Locator::Postgres(d) => migrate::postgres_to_postgres(url, d, &login)?,
            };
            copied(&done, &dest, out)
        }
        Some(Command::Audit(AuditCmd::Verify { seals, full })) => {
            let login = os_login()?;
            let (_dir, snapshot, _) = migrate::postgres_snapshot(url, &login)?;
            let law = snapshot.law()?;
            let shown = url.to_string();
            audit_verify(
                &snapshot,
                &law,
                &seals,
                full,
                lang,
                Checked::Snapshot(&shown),
                out,
            )
        }
        Some(other) => {
            super::on_either(&Locator::Postgres(Box::new(url.clone())), other, lang, out)
        }
        None => console(url, lang, ascii, out),
    }
}

/// The console on a PostgreSQL register: two connections, the console's
/// (which listens for other sessions' acts) and its worker's; not on a
/// terminal, the overview instead, as on a file.
fn console(url: &PgUrl, lang: Lang, ascii: bool, out: &mut impl Write) -> Outcome {
    let login = os_login()?;
    let reader = PgRegister::open(url, &login)?;
    if !std::io::IsTerminal::is_terminal(&std::io::stdout()) {
        return super::overview_of(reader.db(), &url.to_string(), &login, lang, out);
    }
    let writer = PgRegister::open(url, &login)?;
    let opts = crate::tui::Options { lang, ascii };
    Ok(crate::tui::run(
        Box::new(reader),
        Box::new(writer),
        login,
        opts,
    )?)
}

/// Only root makes the system register, by `init` or by a copy: else the
/// first clerk to log in after installation could copy in a register of
/// their own making, with themselves its admin.
pub fn refuse_system_register(dest: &Locator) -> Result<(), super::Failure> {
    match dest.file() {
        Some(p)
            if crate::privilege::is_set_id()
                && crate::privilege::is_system_register(p)
                && !nix::unistd::getuid().is_root() =>
        {
            Err(super::Failure::new(
                crate::i18n::Message::new("err-migrate-system").arg("path", p.display()),
            ))
        }
        _ => Ok(()),
    }
}

/// What a copy prints: where it went, what it carried, the head both share.
pub fn copied(c: &Copied, dest: &Locator, out: &mut impl Write) -> Outcome {
    writeln!(
        out,
        "copied {} rows of {} tables to {dest}; its journal verified end to end: {} rows, head {}… (the register's)",
        c.rows,
        c.tables,
        c.journal_rows,
        c.head.get(..16).unwrap_or(&c.head)
    )?;
    Ok(0)
}

/// The command as a clerk typed it (its first word).
pub fn name(command: Option<&Command>) -> &'static str {
    match command {
        None => "the console",
        Some(Command::Init) => "init",
        Some(Command::User(_)) => "user",
        Some(Command::Intake { .. }) => "intake",
        Some(Command::Register(_)) => "register",
        Some(Command::Audit(_)) => "audit",
        Some(Command::Law(_)) => "law",
        Some(Command::Report(_)) => "report",
        Some(Command::Backup { .. }) => "backup",
        Some(Command::Migrate { .. }) => "migrate",
        Some(Command::Demo { .. }) => "demo",
        Some(Command::Deadlines { .. }) => "deadlines",
        Some(Command::Calendar(_)) => "calendar",
        Some(Command::Case(_)) => "case",
        Some(Command::Hearing(_)) => "hearing",
        Some(Command::Complaint(_)) => "complaint",
        Some(Command::Key(_)) => "key",
        Some(Command::Doc(_)) => "doc",
        Some(Command::Completions { .. }) => "completions",
        Some(Command::Man) => "man",
    }
}
