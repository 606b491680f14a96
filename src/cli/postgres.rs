//! A register in PostgreSQL (`--db postgresql://…`, issue 22). This version
//! creates one (`init`, or `demo` on an empty database), copies one to and
//! from a file (`migrate --to`), checks one (`audit verify`, on a snapshot
//! copied into a private file, against this application server's witness)
//! and runs the commands `work::Session` serves on either engine; the
//! console and what only a file has (`backup`) say they work on a file.
//!
//! The witness (`store::witness::PgWitness`): the installed set-ID program
//! opens it in `/var/lib/tizilim/` while it still holds the register
//! account, then gives the account up, as for every PostgreSQL register.

use std::io::Write;
use std::path::{Path, PathBuf};

use chrono::Utc;

use super::{AuditCmd, Checked, Command, Outcome, audit_verify, os_login};
use crate::i18n::{Lang, Message};
use crate::rules::Login;
use crate::store::engine::{PgRegister, Register};
use crate::store::migrate::{self, Copied};
use crate::store::sql::Locator;
use crate::store::sql::locator::PgUrl;
use crate::store::{self, Store, services, witness};

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
        if crate::privilege::holds_account() {
            // The witness, in the register account's folder: opened now,
            // with the account's rights, which the process then gives up.
            // Also the witness of a database `migrate --to URL` copies into.
            let mut urls = vec![url.clone()];
            if let Some(Command::Migrate { to }) = &command
                && let Ok(Locator::Postgres(dest)) = Locator::parse(to)
            {
                urls.push(*dest);
            }
            let paths: Vec<PathBuf> = urls.iter().map(witness::path_for_url).collect();
            let held = crate::privilege::with_register(
                Path::new(crate::privilege::SYSTEM_REGISTER),
                || {
                    paths
                        .iter()
                        .map(|p| witness::Held::open(p))
                        .collect::<Vec<_>>()
                },
            );
            match held {
                Ok(all) => urls
                    .iter()
                    .zip(all)
                    .for_each(|(u, h)| witness::preopen(u, h)),
                Err(e) => urls
                    .iter()
                    .for_each(|u| witness::preopen(u, witness::Held::failed(e.to_string()))),
            }
        }
        crate::privilege::forgo().map_err(store::Error::Privilege)?;
    }
    match command {
        Some(Command::Init) => {
            let login = os_login()?;
            create(url, &login)?;
            writeln!(out, "created register {url} with {login} as admin")?;
            Ok(0)
        }
        Some(Command::Demo {
            cases,
            units,
            seed,
            append,
            at,
        }) => super::demo_cmd(
            &Locator::Postgres(Box::new(url.clone())),
            cases,
            units,
            seed,
            append,
            at.as_deref(),
            out,
        ),
        Some(Command::Migrate { to }) => {
            let login = os_login()?;
            let dest = Locator::parse(&to)?;
            refuse_system_register(&dest)?;
            let done = match &dest {
                Locator::File(p) => migrate::postgres_to_file(url, p, &login)?,
                Locator::Postgres(d) => {
                    copy_in(d, true, || migrate::postgres_to_postgres(url, d, &login))?
                }
            };
            copied(&done, &dest, out)
        }
        Some(Command::Audit(AuditCmd::Verify { seals, full })) => {
            let login = os_login()?;
            let (_dir, snapshot, _) = migrate::postgres_snapshot(url, &login)?;
            let law = snapshot.law()?;
            let shown = url.to_string();
            let witness = witness::path_for_url(url);
            audit_verify(
                &snapshot,
                &law,
                &seals,
                full,
                lang,
                Checked::Snapshot {
                    url: &shown,
                    witness: &witness,
                },
                out,
            )
        }
        Some(other) => {
            super::on_either(&Locator::Postgres(Box::new(url.clone())), other, lang, out)
        }
        None => console(url, lang, ascii, out),
    }
}

/// Makes a register in the empty database at `url` with `login` its admin:
/// its first event made as on a file, then copied in with the schema in one
/// transaction ([`copy_in`]).
fn create(url: &PgUrl, login: &Login) -> Result<(), super::Failure> {
    let mut first = Store::in_memory()?;
    first.write(|tx| services::create_register(tx, login, Utc::now()))?;
    copy_in(url, true, || migrate::file_to_postgres(&first, url))?;
    Ok(())
}

/// A new register copied into the empty database at `url` by `copy` (`init`,
/// `demo` on an empty database, `migrate --to URL`), its head then appended
/// to this server's witness. A witness that already holds lines (an earlier
/// register of that name, dropped) is refused first, as on a file: the new
/// register would be behind it at once. A witness that cannot be opened
/// refuses the copy if `witnessed` (what runs here, where the installed
/// program opened it while it held the register account); else (a copy
/// from a register file, whose account this process gave up opening it)
/// the witness starts at the first act on the copy, which refuses to run
/// without it.
pub fn copy_in(
    url: &PgUrl,
    witnessed: bool,
    copy: impl FnOnce() -> store::Result<Copied>,
) -> Result<Copied, super::Failure> {
    // A database that is not empty is refused by the copy, as it says.
    if store::pg::is_empty(&mut url.connect()?).map_err(store::Error::from)? {
        // (What the installed program read while it held the account, or
        // the file as this login sees it.)
        let w = witness::path_for_url(url);
        if matches!(witness::seen_for_url(url), Ok(Some(_)))
            || std::fs::metadata(&w).is_ok_and(|m| m.len() > 0)
        {
            return Err(store::Error::invalid(
                "--db",
                store::reason::Problem::EarlierWitness(w.display().to_string()),
            )
            .into());
        }
    }
    let mut w = witness::PgWitness::open(url);
    let ready = match w.ready() {
        Err(e) if witnessed => return Err(e.into()),
        r => r.is_ok(),
    };
    let copied = copy()?;
    if ready {
        w.record(Some((copied.journal_rows, copied.head.clone())))?;
    }
    Ok(copied)
}

/// The PostgreSQL register at `url` for an act of `login`'s, made first if
/// the database is empty (`demo` on a new database, as on a new file).
pub fn open_or_create(url: &PgUrl, login: &Login) -> Result<Register, super::Failure> {
    let at = Locator::Postgres(Box::new(url.clone()));
    match Register::open(&at, login) {
        Err(store::Error::NoRegister(_)) => {
            create(url, login)?;
            Ok(Register::open(&at, login)?)
        }
        other => Ok(other?),
    }
}

/// Where `demo` writes its TEST certifying centre for a PostgreSQL register,
/// which has no file to put it beside: the trust folder `--trust` or
/// `TIZILIM_TRUST_DIR` names (made if need be; a folder that already holds
/// the demo's CA keeps it). Never the package's trust store: without either
/// the demo is refused, naming the option.
pub fn demo_trust() -> Result<PathBuf, super::Failure> {
    let dir = crate::sign::x509::trust_dir()?;
    if dir == Path::new(crate::sign::x509::SYSTEM_TRUST_DIR) {
        return Err(super::Failure::new(
            Message::new("err-demo-trust").arg("path", dir.display()),
        ));
    }
    Ok(dir)
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
