//! The headless commands (ARCHITECTURE.md "Contracts"). Each parses, opens the
//! store, calls the same services the console uses, and prints.

mod backup;
mod calendar;
mod case;
mod complaint;
mod completions;
mod deadlines;
pub mod docs;
mod hearing;
mod law;
mod postgres;
mod register;
mod report;
mod work;

use std::io::Write;
use std::path::{Path, PathBuf};

use chrono::{DateTime, Utc};
use clap::{Parser, Subcommand, ValueEnum};

use crate::intake::{self, FileOutcome};
use crate::rules::{Law, Login, Role};
use crate::store::read::queries;
use crate::store::sql::Locator;
use crate::store::{self, Store, audit, services};

/// What `tizilim --help` says after the commands (and the man page's end).
const AFTER_HELP: &str = "\
Without a subcommand, `tizilim` opens the console (the clerks' terminal \
interface: queue, case, hearings, complaints, deadlines, register) when its \
output is a terminal; piped or run from a script or cron, it prints an \
overview of the register instead (cases by stage).

`tizilim COMMAND --help` describes each command and its options. Every \
command acts as your operating-system login, which the register maps to a \
role (`tizilim user list`). Exit codes: 0 success, 1 failure (the \
message on stderr), 2 usage, 3 a stale --expect-version, 4 standard output \
could not be written.";

#[derive(Parser, Debug)]
#[command(
    name = "tizilim",
    version,
    about = "The register of hardware-software complexes (ABKs) for digital mining",
    after_help = AFTER_HELP
)]
pub struct Cli {
    /// The register: an SQLite file, or a PostgreSQL database as a
    /// postgresql:// URL (libpq's syntax; several hosts with
    /// target_session_attrs=read-write find a promoted standby) [env:
    /// TIZILIM_DB; default: /var/lib/tizilim/register.sqlite if that folder
    /// exists, else ./tizilim.sqlite]
    #[arg(long, global = true)]
    pub db: Option<std::ffi::OsString>,
    /// Language of the console and, for every command, of its error messages
    /// (also region names and rendered notices): kk, ru or en [env:
    /// TIZILIM_LANG; else from LANG]
    #[arg(long, global = true, value_enum)]
    pub lang: Option<Lang>,
    /// Console only: draw its borders with + - | (for terminals without line
    /// drawing); the headless commands ignore it
    #[arg(long, global = true)]
    pub ascii: bool,
    /// The trust store: a folder of PEM CA certificates (the NCA RK root and
    /// intermediates) and CRLs that signatures must chain to [env:
    /// TIZILIM_TRUST_DIR; default: /etc/tizilim/trust]. The installed
    /// program, run by a clerk, trusts only the default.
    #[arg(long, global = true, value_name = "DIR")]
    pub trust: Option<PathBuf>,
    #[command(subcommand)]
    pub command: Option<Command>,
}

pub use crate::i18n::Lang;
use crate::i18n::Message;

#[derive(Subcommand, Debug)]
pub enum Command {
    /// Create an empty register; you (the OS login) become its first admin.
    Init,
    /// Map OS logins to roles.
    #[command(subcommand)]
    User(UserCmd),
    /// Register portal applications (JSON files).
    Intake {
        /// Portal JSON files, one application each (`-` reads standard input).
        #[arg(required = true)]
        files: Vec<PathBuf>,
        /// Print one JSON array describing every file.
        #[arg(long)]
        json: bool,
        /// The applicant's language, kk, ru or en, for the receipt of a
        /// refusal at the desk (§9: an incomplete package brought to the
        /// office; default: --lang).
        #[arg(long, value_name = "LANG")]
        receipt_lang: Option<Lang>,
    },
    /// The register itself (Appendix 1).
    #[command(subcommand)]
    Register(RegisterCmd),
    /// Check the register: SQLite's integrity check, the journal's hash
    /// chain, the read models, cross-references and the witness.
    #[command(subcommand)]
    Audit(AuditCmd),
    /// §16: changes of the law, and informing of them.
    #[command(subcommand)]
    Law(law::LawCmd),
    /// Reports for supervisors: `report terms`, acts in time and late.
    #[command(subcommand)]
    Report(report::ReportCmd),
    /// An online, consistent copy of the register (admins), or check one.
    #[command(args_conflicts_with_subcommands = true)]
    Backup {
        #[command(subcommand)]
        cmd: Option<backup::BackupCmd>,
        /// Write the copy here: a new file, mode 0600, integrity-checked.
        #[arg(long)]
        out: Option<PathBuf>,
        /// One JSON object.
        #[arg(long)]
        json: bool,
    },
    /// Copy the register whole to another engine (admins): a file into an
    /// empty PostgreSQL database, or a PostgreSQL register into a new file;
    /// the copy's journal is verified end to end and must end at the same
    /// head.
    Migrate {
        /// Where to: a postgresql:// URL (an empty database) or a new file.
        #[arg(long, value_name = "URL|FILE")]
        to: std::ffi::OsString,
    },
    /// Create (or fill) a register with realistic synthetic data.
    Demo {
        /// How many cases to make.
        #[arg(long, default_value_t = 5_000)]
        cases: usize,
        /// How many ABK units, spread over the inclusion cases.
        #[arg(long, default_value_t = 50_000)]
        units: usize,
        /// Seed of the generator: the same seed, --at and sizes make the same
        /// register [default: 1; with --append, 1 + the cases already held]
        #[arg(long)]
        seed: Option<u64>,
        /// Add to a register of the demo's own that already holds cases
        /// (admins only; else demo refuses it). A register holding any case
        /// the demo did not make is refused with or without it.
        #[arg(long)]
        append: bool,
        /// Pretend "now" is this time (RFC 3339 or local Almaty time).
        #[arg(long)]
        at: Option<String>,
    },
    /// Every running clock, overdue first.
    Deadlines {
        /// Read the clocks as at this time (default: now); clocks that
        /// started after it are left out.
        #[arg(long)]
        at: Option<String>,
        /// Print a JSON array instead of the table.
        #[arg(long)]
        json: bool,
    },
    /// Working days: due dates, explanations, the year's calendar, amendments.
    #[command(subcommand)]
    Calendar(calendar::CalendarCmd),
    /// Cases: list, show, decide, export the case file.
    #[command(subcommand)]
    Case(case::CaseCmd),
    /// Hearings (§11–§12): notify, record, list.
    #[command(subcommand)]
    Hearing(hearing::HearingCmd),
    /// Complaints (§17–§20): lodge, forward, decide, list.
    #[command(subcommand)]
    Complaint(complaint::ComplaintCmd),
    /// Signing keys of the persons who sign notices.
    #[command(subcommand)]
    Key(docs::KeyCmd),
    /// Signed notices (Appendices 6–8): list, render, verify.
    #[command(subcommand)]
    Doc(docs::DocCmd),
    /// Print the shell completion script for bash, zsh or fish.
    ///
    /// The Debian package installs all three; elsewhere, e.g. `tizilim
    /// completions bash > ~/.local/share/bash-completion/completions/tizilim`.
    Completions {
        /// bash, zsh or fish.
        #[arg(value_enum)]
        shell: completions::Shell,
    },
    /// Print the manual page tizilim(1) in roff: `tizilim man | man -l -`.
    Man,
}

impl Cli {
    /// Whether this command line may open the register; `main` gives the
    /// set-ID program's account up for good before running one that never
    /// does (as it does for `--help`, `--version` and usage errors).
    pub fn opens_register(&self) -> bool {
        self.command.as_ref().is_none_or(Command::opens_register)
    }
}

impl Command {
    /// Whether the command may open the register. Every command does today:
    /// `calendar due` and `calendar show` too, for the register's own
    /// calendar amendments when it has one. A command that opens none (say,
    /// shell completions) answers `false`, and runs without the account.
    pub fn opens_register(&self) -> bool {
        match self {
            Command::Init
            | Command::User(_)
            | Command::Intake { .. }
            | Command::Register(_)
            | Command::Audit(_)
            | Command::Demo { .. }
            | Command::Deadlines { .. }
            | Command::Calendar(_)
            | Command::Case(_)
            | Command::Hearing(_)
            | Command::Complaint(_)
            | Command::Key(_)
            | Command::Doc(_)
            | Command::Backup { .. }
            | Command::Migrate { .. }
            | Command::Law(_)
            | Command::Report(_) => true,
            Command::Completions { .. } | Command::Man => false,
        }
    }

    /// Whether the command only reads the register (and so may end quietly
    /// when its reader goes away, as `| head` does).
    pub fn only_reads(&self) -> bool {
        match self {
            Command::Init
            | Command::User(UserCmd::Add { .. })
            | Command::User(UserCmd::Set { .. })
            | Command::Intake { .. }
            | Command::Demo { .. }
            | Command::Audit(AuditCmd::Seal { .. })
            | Command::Migrate { .. }
            | Command::Backup { .. } => false,
            Command::Calendar(c) => c.only_reads(),
            Command::Case(c) => c.only_reads(),
            Command::Hearing(c) => c.only_reads(),
            Command::Complaint(c) => c.only_reads(),
            Command::Key(c) => c.only_reads(),
            Command::Doc(c) => c.only_reads(),
            Command::User(UserCmd::List)
            | Command::Completions { .. }
            | Command::Man
            | Command::Register(_)
            | Command::Audit(AuditCmd::Verify { .. })
            | Command::Deadlines { .. } => true,
            Command::Report(report::ReportCmd::Terms { out, .. }) => out.is_none(),
            Command::Law(c) => c.only_reads(),
        }
    }
}

#[derive(Subcommand, Debug)]
pub enum UserCmd {
    /// Give LOGIN a role (admins only).
    Add {
        /// The operating-system login (as `id -un` prints it).
        login: String,
        /// operator registers applications; clerk also sends hearing notices
        /// and decides; supervisor decides and handles complaints; admin does
        /// all and manages users and the calendar.
        #[arg(long, value_parser = role_parser())]
        role: Role,
        /// The login's IIN: a certificate it imports must be of it.
        #[arg(long)]
        iin: Option<String>,
    },
    /// Record or change a login's IIN (admins only).
    Set {
        /// The operating-system login.
        login: String,
        /// The login's IIN (12 digits): a certificate it imports must be of it.
        #[arg(long)]
        iin: String,
    },
    /// List the register's users.
    List,
}

#[derive(Subcommand, Debug)]
pub enum RegisterCmd {
    /// Print the register as of now.
    Export {
        /// csv (every cell quoted; cells a spreadsheet would run prefixed
        /// with ') or json.
        #[arg(long, value_enum, default_value_t = Format::Csv)]
        format: Format,
    },
    /// Power and hashrate of included ABKs per data centre and per region (§3).
    Energy {
        /// One JSON object.
        #[arg(long)]
        json: bool,
    },
    /// Serials named by more than one miner's applications or entries (§3).
    Conflicts {
        /// One JSON array.
        #[arg(long)]
        json: bool,
    },
    /// Find entries by serial, case number, BIN/IIN (12 digits) or entry
    /// number (Cyrillic look-alikes such as А, М fold to Latin).
    Find {
        /// A serial, a case number, a BIN/IIN or an entry number.
        query: String,
        /// One JSON array.
        #[arg(long)]
        json: bool,
    },
}

#[derive(ValueEnum, Clone, Copy, Debug)]
pub enum Format {
    Csv,
    Json,
}

#[derive(Subcommand, Debug)]
pub enum AuditCmd {
    /// Recompute the hash chain and rebuild the read models from the journal;
    /// with --seal, also check that the register still holds each sealed head.
    Verify {
        /// A seal file from `audit seal` (repeat for several).
        #[arg(long = "seal")]
        seals: Vec<PathBuf>,
        /// SQLite's full integrity check (every index entry against its
        /// table, UNIQUE indexes for duplicates) instead of its quick check
        /// of every page: about 3 s more over 100,000 cases.
        #[arg(long)]
        full: bool,
    },
    /// Sign the journal's head with your (an admin's) key: a checkpoint to keep
    /// off the server.
    Seal {
        /// Write the seal here instead of standard output.
        #[arg(long)]
        out: Option<PathBuf>,
    },
}

/// The roles, listed by clap in `--help` and in the error for a wrong one.
pub const ROLES: [&str; 4] = ["operator", "clerk", "supervisor", "admin"];

fn role_parser() -> impl clap::builder::TypedValueParser<Value = Role> {
    use clap::builder::TypedValueParser;
    clap::builder::PossibleValuesParser::new(ROLES)
        .try_map(|s| Role::parse(&s).ok_or_else(|| format!("must be one of: {}", Role::words())))
}

/// How a failed command ends: the exit code scripts read (ARCHITECTURE.md,
/// "Exit codes").
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Exit {
    /// Refused or failed: the Rules, a role, bad input, a damaged register.
    Failed = 1,
    /// The command line is wrong (clap's errors, a wrong `TIZILIM_LANG`).
    Usage = 2,
    /// `--expect-version` named a version someone has since changed.
    Stale = 3,
    /// Standard output could not be written (a closed pipe, a full disk).
    Output = 4,
}

/// A failure the user reads on stderr, in their language, with the exit code
/// it ends with.
#[derive(Debug)]
pub struct Failure {
    pub exit: Exit,
    pub message: Message,
}

impl Failure {
    pub fn new(message: Message) -> Failure {
        Failure {
            exit: Exit::Failed,
            message,
        }
    }

    pub fn output(detail: impl ToString) -> Failure {
        Failure {
            exit: Exit::Output,
            message: Message::new("err-output").arg("detail", detail),
        }
    }

    /// The exit code.
    pub fn code(&self) -> i32 {
        self.exit as i32
    }

    /// The message in `lang`.
    pub fn render(&self, lang: Lang) -> String {
        self.message.render(&crate::i18n::Tr::new(lang))
    }
}

impl From<store::Error> for Failure {
    fn from(e: store::Error) -> Self {
        let exit = match e {
            store::Error::Stale { .. } => Exit::Stale,
            store::Error::Output(_) => Exit::Output,
            _ => Exit::Failed,
        };
        Failure {
            exit,
            message: e.message(),
        }
    }
}

/// An I/O error that reaches a command's `?` is a write to its output:
/// files it reads or writes map their own errors, naming the file.
impl From<std::io::Error> for Failure {
    fn from(e: std::io::Error) -> Self {
        Failure::output(e)
    }
}

impl From<serde_json::Error> for Failure {
    fn from(e: serde_json::Error) -> Self {
        if e.is_io() {
            Failure::output(e)
        } else {
            Failure::new(Message::new("err-journal-payload").arg("detail", e))
        }
    }
}

/// The law's data or the calendar refused a computation (a day past the
/// calendar's last year, an unknown clock): said as the rules say it.
impl From<crate::rules::RulesError> for Failure {
    fn from(e: crate::rules::RulesError) -> Self {
        Failure::new(store::reason::rules(&e))
    }
}

impl From<crate::rules::CalendarError> for Failure {
    fn from(e: crate::rules::CalendarError) -> Self {
        Failure::new(store::reason::calendar(&e))
    }
}

/// Text assembled in memory before it is printed cannot fail to be written;
/// if the formatter ever reports an error it is the output's.
impl From<std::fmt::Error> for Failure {
    fn from(e: std::fmt::Error) -> Self {
        Failure::output(e)
    }
}

/// A refusal of the signature layer, said in the reader's language
/// (`docs::refusal`: which check failed).
impl From<crate::sign::SignError> for Failure {
    fn from(e: crate::sign::SignError) -> Self {
        Failure::new(crate::docs::refusal::sign(&e))
    }
}

impl From<crate::sign::x509::TrustError> for Failure {
    fn from(e: crate::sign::x509::TrustError) -> Self {
        Failure::new(crate::docs::refusal::trust(&e))
    }
}

impl From<crate::tui::Error> for Failure {
    fn from(e: crate::tui::Error) -> Self {
        match e {
            crate::tui::Error::Store(e) => e.into(),
            crate::tui::Error::Terminal(e) => {
                Failure::new(Message::new("err-terminal").arg("detail", e))
            }
            crate::tui::Error::Setting(m) => Failure::new(m),
        }
    }
}

pub type Outcome = Result<i32, Failure>;

/// The demo's trust folder: `demo.sqlite.trust` beside the register.
pub fn demo_trust_dir(db: &Path) -> PathBuf {
    let mut name = db.as_os_str().to_owned();
    name.push(".trust");
    PathBuf::from(name)
}

/// Where the register is: `--db`, else `TIZILIM_DB`, else the documented
/// default file.
pub fn db_locator(arg: Option<std::ffi::OsString>) -> store::Result<Locator> {
    match arg.or_else(|| std::env::var_os("TIZILIM_DB").filter(|p| !p.is_empty())) {
        Some(given) => Locator::parse(&given),
        None => Ok(Locator::File(db_path(None))),
    }
}

/// The database path: `--db`, else `TIZILIM_DB`, else the documented default.
pub fn db_path(arg: Option<PathBuf>) -> PathBuf {
    if let Some(p) = arg {
        return p;
    }
    if let Some(p) = std::env::var_os("TIZILIM_DB").filter(|p| !p.is_empty()) {
        return PathBuf::from(p);
    }
    let system = Path::new("/var/lib/tizilim");
    if system.is_dir() {
        system.join("register.sqlite")
    } else {
        PathBuf::from("tizilim.sqlite")
    }
}

/// The console language: `--lang`, else `TIZILIM_LANG` (kk, ru or en,
/// checked like `--lang`), else `LANG` (its first two letters, English if
/// they name none of the three).
pub fn language(arg: Option<Lang>) -> Lang {
    // `dispatch` has refused a bad TIZILIM_LANG already (checked_language).
    checked_language(arg).unwrap_or(Lang::En)
}

/// As `language`, but a `TIZILIM_LANG` that is not kk, ru or en is an error.
pub fn checked_language(arg: Option<Lang>) -> Result<Lang, Message> {
    let from = |s: &str| match s.get(..2) {
        Some("kk") => Some(Lang::Kk),
        Some("ru") => Some(Lang::Ru),
        Some("en") => Some(Lang::En),
        _ => None,
    };
    if let Some(l) = arg {
        return Ok(l);
    }
    if let Some(v) = std::env::var_os("TIZILIM_LANG").filter(|v| !v.is_empty()) {
        let v = v.to_string_lossy();
        return match v.as_ref() {
            "kk" => Ok(Lang::Kk),
            "ru" => Ok(Lang::Ru),
            "en" => Ok(Lang::En),
            _ => Err(Message::new("err-lang").arg("value", v)),
        };
    }
    Ok(std::env::var("LANG")
        .ok()
        .and_then(|s| from(&s))
        .unwrap_or(Lang::En))
}

/// The operating-system login of whoever runs this process — never an
/// environment variable, so `USER=boss` changes nothing.
pub fn os_login() -> Result<Login, Failure> {
    let uid = nix::unistd::getuid();
    match nix::unistd::User::from_uid(uid) {
        Ok(Some(u)) => Ok(Login::new(u.name)),
        Ok(None) => Err(Failure::new(Message::new("err-no-login").arg("uid", uid))),
        Err(e) => Err(Failure::new(
            Message::new("err-login-lookup")
                .arg("uid", uid)
                .arg("detail", e),
        )),
    }
}

/// Columns for text output: the terminal's width when stdout is a terminal,
/// else 80 (a pipe, a file, a cron mail).
pub fn terminal_width() -> usize {
    use std::io::IsTerminal;
    if !std::io::stdout().is_terminal() {
        return 80;
    }
    match crossterm::terminal::size() {
        Ok((cols, _)) if cols >= 20 => usize::from(cols),
        _ => 80,
    }
}

pub fn instant(arg: Option<&str>, law: &Law, what: &str) -> Result<DateTime<Utc>, Failure> {
    match arg {
        None => Ok(Utc::now()),
        Some(s) => crate::rules::calendar::parse_instant(s, law.rules.office.zone).map_err(|m| {
            Failure::new(
                Message::new("err-time")
                    .arg("what", what)
                    .nest("detail", store::reason::time(&m)),
            )
        }),
    }
}

/// Standard output that remembers its first write error, so a closed pipe or
/// a full disk is reported as what it is — an output error — whatever path
/// the error took through the command.
struct Tracked<W: Write> {
    inner: W,
    error: Option<(std::io::ErrorKind, String)>,
}

impl<W: Write> Tracked<W> {
    fn note<T>(&mut self, r: std::io::Result<T>) -> std::io::Result<T> {
        if let Err(e) = &r
            && self.error.is_none()
        {
            self.error = Some((e.kind(), e.to_string()));
        }
        r
    }
}

impl<W: Write> Write for Tracked<W> {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        let r = self.inner.write(buf);
        self.note(r)
    }
    fn flush(&mut self) -> std::io::Result<()> {
        let r = self.inner.flush();
        self.note(r)
    }
}

pub fn run(cli: Cli) -> Outcome {
    let mut out = Tracked {
        inner: std::io::stdout().lock(),
        error: None,
    };
    let reads = cli.command.as_ref().is_none_or(Command::only_reads);
    let result = dispatch(cli, &mut out);
    let flushed = out.flush();
    match (result, out.error) {
        // `tizilim register export | head`: the reader has what it wanted.
        // A command that only reads ends quietly; one that acts (intake
        // above all, which stores only what it reported) says what happened.
        (_, Some((std::io::ErrorKind::BrokenPipe, _))) if reads => Ok(0),
        (Err(f), _) if f.exit == Exit::Output => Err(f),
        (_, Some((_, e))) => Err(Failure::output(e)),
        (r, None) => {
            flushed?;
            r
        }
    }
}

fn dispatch(cli: Cli, out: &mut impl Write) -> Outcome {
    if let Some(dir) = &cli.trust {
        crate::sign::x509::set_trust_dir(dir.clone());
    }
    let lang = match checked_language(cli.lang) {
        Ok(l) => l,
        Err(m) => {
            // A usage error, like `--lang xx`.
            return Err(Failure {
                exit: Exit::Usage,
                message: m,
            });
        }
    };
    let path = match db_locator(cli.db)? {
        Locator::File(path) => path,
        Locator::Postgres(url) => return postgres::run(&url, cli.command, lang, cli.ascii, out),
    };
    let mut out = out;
    match cli.command {
        // Not on a terminal (a pipe, a script, cron): the overview instead.
        None if !std::io::IsTerminal::is_terminal(&std::io::stdout()) => overview(&path, lang, out),
        None => {
            // The console's connection and its worker's (the writes).
            let (mut store, writer) = Store::open_twice(&path)?;
            let login = os_login()?;
            // A login without a role is told so by the console (below); an
            // older register is upgraded only for one of its users.
            if services::role_of(store.conn(), &login)?.is_some() {
                store.upgrade_as(&login)?;
            }
            let opts = crate::tui::Options {
                lang,
                ascii: cli.ascii,
            };
            // The worker tries for the write lock in short steps, looking
            // at Esc between them (`tui::worker`).
            writer
                .conn()
                .busy_timeout(crate::tui::worker::STEP)
                .map_err(store::Error::from)?;
            Ok(crate::tui::run(
                Box::new(store.into_connection()),
                Box::new(writer.into_connection()),
                login,
                opts,
            )?)
        }
        Some(Command::Init) => {
            let login = os_login()?;
            if crate::privilege::is_set_id()
                && crate::privilege::is_system_register(&path)
                && !nix::unistd::getuid().is_root()
            {
                // Else the first clerk to log in after installation could
                // make themselves the register's admin.
                return Err(Failure::new(
                    Message::new("err-init-system").arg("path", path.display()),
                ));
            }
            Store::create_with(&path, |tx| {
                services::create_register(tx, &login, Utc::now())
            })?;
            writeln!(
                out,
                "created register {} with {login} as admin",
                path.display()
            )?;
            Ok(0)
        }
        Some(Command::Audit(AuditCmd::Verify { seals, full })) => {
            let s = work::Session::reader(&Locator::File(path.clone()))?;
            audit_verify(
                s.store("audit verify")?,
                &s.law,
                &seals,
                full,
                lang,
                Checked::File(&path),
                out,
            )
        }
        Some(Command::Migrate { to }) => {
            let s = work::Session::reader(&Locator::File(path.clone()))?;
            s.may(
                services::may::ADD_USERS,
                "copy the register to another engine",
            )?;
            let dest = Locator::parse(&to)?;
            postgres::refuse_system_register(&dest)?;
            let copied = match &dest {
                Locator::File(p) => store::migrate::file_to_file(s.store("migrate")?, p)?,
                Locator::Postgres(url) => {
                    store::migrate::file_to_postgres(s.store("migrate")?, url)?
                }
            };
            postgres::copied(&copied, &dest, out)
        }
        Some(Command::Backup {
            cmd,
            out: dest,
            json,
        }) => backup::run(&Locator::File(path.clone()), cmd, dest, json, &mut out),
        Some(Command::Demo {
            cases,
            units,
            seed,
            append,
            at,
        }) => demo_cmd(&path, cases, units, seed, append, at.as_deref(), &mut out),
        // Neither opens the register.
        Some(Command::Completions { shell }) => completions::completions(shell, &mut out),
        Some(Command::Man) => completions::man(&mut out),
        Some(other) => on_either(&Locator::File(path), other, lang, out),
    }
}

/// The commands that work on a register on either engine (issue 22): a
/// file's or a PostgreSQL database's, through `work::Session`.
fn on_either(reg: &Locator, command: Command, lang: Lang, out: &mut impl Write) -> Outcome {
    match command {
        Command::User(UserCmd::Add { login, role, iin }) => {
            let mut s = work::Session::open(reg)?;
            s.may(services::may::ADD_USERS, "add users")?;
            let l = Login::new(login.as_str());
            s.act(|ctx| {
                services::add_user(ctx, &l, role)?;
                match &iin {
                    Some(iin) => services::set_iin(ctx, &l, iin),
                    None => Ok(()),
                }
            })?;
            writeln!(
                out,
                "{login} is now {role}{}",
                iin.map(|i| format!(", IIN {}", i.trim()))
                    .unwrap_or_default()
            )?;
            Ok(0)
        }
        Command::User(UserCmd::Set { login, iin }) => {
            let mut s = work::Session::open(reg)?;
            s.may(services::may::ADD_USERS, "set a login's IIN")?;
            s.act(|ctx| services::set_iin(ctx, &Login::new(login.as_str()), &iin))?;
            writeln!(out, "{login}'s IIN is now {}", iin.trim())?;
            Ok(0)
        }
        Command::User(UserCmd::List) => {
            let s = work::Session::reader(reg)?;
            let zone = s.law.rules.office.zone;
            for u in queries::users(s.db())? {
                // In the office's zone, as every time shown to a person.
                let added = chrono::DateTime::parse_from_rfc3339(&u.added_at)
                    .map(|t| work::local_instant(t.with_timezone(&Utc), zone))
                    .unwrap_or(u.added_at);
                writeln!(
                    out,
                    "{:<20} {:<11} added {added} by {}",
                    crate::rules::text::for_terminal(&u.login, 64),
                    u.role,
                    crate::rules::text::for_terminal(&u.added_by, 64)
                )?;
            }
            Ok(0)
        }
        Command::Intake {
            files,
            json,
            receipt_lang,
        } => intake_cmd(reg, lang, &files, json, receipt_lang.unwrap_or(lang), out),
        Command::Audit(AuditCmd::Seal { out: file }) => docs::seal(reg, file, out),
        Command::Register(cmd) => register::run(reg, lang, cmd, out),
        Command::Report(cmd) => report::run(reg, lang, cmd, out),
        Command::Law(cmd) => law::run(reg, cmd, out),
        Command::Deadlines { at, json } => deadlines::run(reg, lang, at.as_deref(), json, out),
        Command::Calendar(cmd) => calendar::run(reg, cmd, out),
        Command::Case(cmd) => case::run(reg, cmd, out),
        Command::Hearing(cmd) => hearing::run(reg, cmd, out),
        Command::Complaint(cmd) => complaint::run(reg, cmd, out),
        Command::Key(cmd) => docs::key(reg, cmd, out),
        Command::Doc(cmd) => docs::doc(reg, lang, cmd, out),
        other => Err(store::Error::NotOnPostgres {
            command: postgres::name(Some(&other)).to_string(),
        }
        .into()),
    }
}

/// The end of `audit verify`'s success line when the calendar's data end
/// within the warning period (or have ended) on `today`: `; the calendar's
/// data end on 31.12.2028: add 2029 before it begins (tools/gen_calendar.py)`.
/// Empty otherwise. In English, as the rest of the line.
pub fn calendar_note(law: &Law, today: chrono::NaiveDate) -> String {
    law.calendar_warning(today)
        .map(|w| {
            format!(
                "; {}",
                crate::i18n::calendar_warning(w).render(&crate::i18n::Tr::new(Lang::En))
            )
        })
        .unwrap_or_default()
}

fn overview(path: &Path, lang: Lang, out: &mut impl Write) -> Outcome {
    let mut store = Store::open_read(path)?;
    let login = os_login()?;
    if services::role_of(store.conn(), &login)?.is_some() {
        store.upgrade_as(&login)?;
    }
    overview_of(store.conn(), &path.display().to_string(), &login, lang, out)
}

/// The console's stand-in when standard output is no terminal (a pipe, a
/// script, cron): the register's cases by stage, on either engine.
pub(crate) fn overview_of(
    db: &dyn crate::store::sql::Sql,
    shown: &str,
    login: &Login,
    lang: Lang,
    out: &mut impl Write,
) -> Outcome {
    if services::role_of(db, login)?.is_none() {
        // The console's own words: reading needs a role (personal data).
        let tr = crate::i18n::Tr::new(lang);
        eprintln!(
            "{}",
            tr.a(
                "msg-no-role",
                &[("login", &crate::rules::text::for_terminal(login, 64))]
            )
        );
        return Ok(1);
    }
    writeln!(out, "tizilim — register {shown}")?;
    writeln!(
        out,
        "The console needs a terminal; the headless commands are in `tizilim --help`."
    )?;
    for (stage, n) in queries::stage_counts(db)? {
        writeln!(out, "  {stage:<20} {n:>8}")?;
    }
    Ok(0)
}

fn intake_cmd(
    reg: &Locator,
    lang: Lang,
    files: &[PathBuf],
    json: bool,
    receipt_lang: Lang,
    out: &mut impl Write,
) -> Outcome {
    let tr = crate::i18n::Tr::new(lang);
    let actor = os_login()?;
    // Before anything is read or written: an older register is upgraded for
    // one of its users only (a stranger's intake leaves it as it was).
    let mut store = store::engine::Register::open(reg, &actor)?;
    let law = store.law()?;
    if json {
        // Streamed, one object per file as it is decided, so each is written
        // before its transaction commits.
        out.write_all(b"[")?;
    }
    let mut first = true;
    let mut all_ok = true;
    for (i, f) in files.iter().enumerate() {
        let mut report = |o: &FileOutcome| -> std::io::Result<()> {
            if json {
                out.write_all(if first { b"\n" } else { b",\n" })?;
                serde_json::to_writer_pretty(&mut *out, o)?;
                first = false;
            } else {
                report_text(o, &tr, &mut *out)?;
            }
            out.flush()
        };
        let now = Utc::now();
        match intake::intake_file_lang(&mut store, &law, &actor, now, f, receipt_lang, &mut report)
        {
            Ok(o) => all_ok &= o.ok(),
            Err(store::Error::Output(e)) => {
                let after = files.len() - i - 1;
                let message = match after {
                    0 => Message::new("err-output-not-stored"),
                    n => Message::new("err-output-not-stored-after").arg("n", n),
                };
                return Err(Failure {
                    exit: Exit::Output,
                    message: message.arg("detail", e).arg("file", f.display()),
                });
            }
            Err(e) => return Err(e.into()),
        }
    }
    if json {
        out.write_all(if first { b"]\n" } else { b"\n]\n" })?;
        out.flush()?;
    }
    Ok(if all_ok { 0 } else { 1 })
}

/// One line per file on stdout (everything about a stored file on the line
/// that reports it), errors on stderr.
fn report_text(o: &FileOutcome, tr: &crate::i18n::Tr, out: &mut impl Write) -> std::io::Result<()> {
    let file = crate::rules::text::for_terminal(&o.file, 200);
    if let (Some(receipt), Some(missing)) = (&o.receipt, &o.missing) {
        // §9 at the desk: the line, then the receipt for the applicant.
        writeln!(
            out,
            "{file}: refused at the desk (§9): missing {}; no case registered; receipt {receipt}",
            crate::rules::text::for_terminal(&missing.join(", "), 300)
        )?;
        if let Some(text) = &o.receipt_text {
            writeln!(out, "{text}")?;
        }
        return Ok(());
    }
    let Some(case) = &o.case else {
        for e in &o.errors {
            eprintln!(
                "{file}: {}: {}",
                crate::rules::text::for_terminal(&e.field, 200),
                e.why.render(tr)
            );
        }
        return Ok(());
    };
    if o.status == "resubmission" {
        return writeln!(
            out,
            "{file}: already registered as {case} (the same application again; nothing stored)"
        );
    }
    let mut line = format!("{file}: registered as {case}");
    if let Some(inc) = &o.incomplete {
        line.push_str("; ");
        line.push_str(&crate::rules::text::for_terminal(&inc.describe(), 500));
    }
    const SHOWN: usize = 3;
    for c in o.conflicts.iter().take(SHOWN) {
        line.push_str("; warning: ");
        line.push_str(&crate::rules::text::for_terminal(
            &intake::describe_conflict(c),
            300,
        ));
    }
    if o.conflicts.len() > SHOWN {
        line.push_str(&format!(
            "; and {} more serials already in the register for other miners",
            o.conflicts.len() - SHOWN
        ));
    }
    writeln!(out, "{line}")
}

fn export(reg: &Locator, format: Format, out: &mut impl Write) -> Outcome {
    let s = work::Session::reader(reg)?;
    match format {
        Format::Csv => {
            // OWASP's CSV-injection advice: every cell quoted, and a cell a
            // spreadsheet would run as a formula prefixed with `'`.
            let mut w = csv::WriterBuilder::new()
                .quote_style(csv::QuoteStyle::Always)
                .from_writer(out);
            // The header always, rows or none: an empty register is a
            // header alone, and a full disk fails on it (exit 4).
            w.write_record(queries::RegisterRow::COLUMNS)
                .map_err(|e| store::Error::Output(e.to_string()))?;
            queries::for_each_register_row(s.db(), |row| {
                w.write_record(row.cells().iter().map(|(_, v)| csv_cell(v)))
                    .map_err(|e| store::Error::Output(e.to_string()))
            })?;
            w.flush()?;
        }
        Format::Json => {
            write!(out, "[")?;
            let mut first = true;
            queries::for_each_register_row(s.db(), |row| {
                let sep = if first { "\n" } else { ",\n" };
                first = false;
                let line = serde_json::to_string(&row)?;
                write!(out, "{sep}{line}").map_err(|e| store::Error::Output(e.to_string()))
            })?;
            writeln!(out, "\n]")?;
        }
    }
    Ok(0)
}

/// One CSV cell of the register: text as it is — BIN/IIN, serials and codes
/// stay text with their leading zeros — except that a cell beginning with a
/// character that makes a spreadsheet evaluate it (`=`, `+`, `-`, `@`, tab,
/// carriage return, or their fullwidth forms) is prefixed with `'`.
pub fn csv_cell(s: &str) -> String {
    let risky = s.starts_with([
        '=', '+', '-', '@', '\t', '\r', '\u{FF1D}', '\u{FF0B}', '\u{FF0D}', '\u{FF20}',
    ]);
    if risky {
        format!("'{s}")
    } else {
        s.to_string()
    }
}

#[allow(clippy::too_many_arguments)]
fn demo_cmd(
    path: &Path,
    cases: usize,
    units: usize,
    seed: Option<u64>,
    append: bool,
    at: Option<&str>,
    out: &mut impl Write,
) -> Outcome {
    let login = os_login()?;
    if crate::privilege::holds_account() && crate::privilege::is_system_register(path) {
        return Err(Failure::new(
            Message::new("err-demo-system").arg("path", path.display()),
        ));
    }
    let started = std::time::Instant::now();
    let mut store = if path.exists() {
        Store::open(path)?
    } else {
        Store::create_with(path, |tx| services::create_register(tx, &login, Utc::now()))?
    };
    // An older register is upgraded only for one of its users.
    store.upgrade_as(&login)?;
    // Demo data never mixes with real cases: a register that holds any case
    // the demo did not make (its registration journaled without the demo's
    // mark) is a working register, with or without --append.
    let foreign = queries::cases_not_from_demo(store.conn())?;
    if foreign > 0 {
        return Err(Failure::new(
            Message::new("err-demo-working")
                .arg("path", path.display())
                .arg("n", foreign),
        ));
    }
    let held = queries::case_count(store.conn())?;
    if held > 0 && !append {
        return Err(Failure::new(
            Message::new("err-demo-held")
                .arg("path", path.display())
                .arg("n", held),
        ));
    }
    if append {
        services::require_role(
            store.conn(),
            &login,
            services::may::DEMO_APPEND,
            "add demo data to a register",
        )?;
    }
    // The default seed is reproducible: 1 for a new register, and for
    // --append one derived from what the register holds, so a second run
    // makes different serials instead of colliding with the first.
    let seed = seed.unwrap_or(1 + held as u64);
    store.bulk()?;
    let law = store.law()?;
    let now = instant(at, &law, "--at")?;
    let opts = crate::demo::DemoOptions {
        cases,
        units,
        seed,
        now,
        trust: Some(demo_trust_dir(path)),
    };
    let s = crate::demo::fill(&mut store, &law, &login, &opts)?;
    store.bulk_done()?;
    writeln!(
        out,
        "demo register {}: {} cases, {} units, {} miners, {} hearings, {} complaints in {:.1} s",
        path.display(),
        s.cases,
        s.units,
        s.miners,
        s.hearings,
        s.complaints,
        started.elapsed().as_secs_f64()
    )?;
    Ok(0)
}

/// What `audit verify` checked: a register file, or a snapshot of a
/// PostgreSQL register copied into a private file.
pub(crate) enum Checked<'a> {
    File(&'a Path),
    Snapshot(&'a str),
}

/// `audit verify`: the report, the seals, and the line that says so.
pub(crate) fn audit_verify(
    store: &Store,
    law: &Law,
    seals: &[PathBuf],
    full: bool,
    lang: Lang,
    checked: Checked,
    out: &mut impl Write,
) -> Outcome {
    let check = if full {
        audit::FileCheck::Full
    } else {
        audit::FileCheck::Quick
    };
    let report = audit::verify_with(store, check)?;
    if let Some(f) = report.finding {
        let tr = crate::i18n::Tr::new(lang);
        eprintln!(
            "{}",
            Message::new("audit-failed")
                .nest("why", store::audit::finding(&f))
                .render(&tr)
        );
        return Ok(1);
    }
    let mut code = 0;
    for f in seals {
        match docs::check_seal(store.conn(), f) {
            Ok(line) => writeln!(out, "{line}")?,
            Err(m) => {
                // The seal's path is an argument: inert (render).
                let tr = crate::i18n::Tr::new(lang);
                eprintln!(
                    "{}",
                    Message::new("audit-failed")
                        .nest("why", m.message())
                        .render(&tr)
                );
                code = 1;
            }
        }
    }
    if code == 0 {
        let calendar = calendar_note(law, law.calendar.local_date(Utc::now()));
        match checked {
            Checked::File(path) => {
                let witness = match (store.witness(), store.witness_unreadable()) {
                    (Some(w), _) => format!("; its witness saw row {} and agrees", w.seq),
                    (None, Some(why)) => {
                        format!("; its witness cannot be read here ({why})")
                    }
                    (None, None) => format!(
                        "; no witness yet at {}",
                        store::witness::path_for(path).display()
                    ),
                };
                writeln!(
                    out,
                    "ok: the file is sound; {} journal rows chained; read models match the journal{witness}{calendar}",
                    report.rows
                )?;
            }
            Checked::Snapshot(url) => writeln!(
                out,
                "ok: {} journal rows chained; read models match the journal (one snapshot of {url}, copied and checked here){calendar}",
                report.rows
            )?,
        }
    }
    Ok(code)
}
