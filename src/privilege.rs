//! Privilege: how the installed program reaches a register no clerk can open.
//!
//! The package installs `/usr/bin/tizilim` set-user-ID to the system account
//! `tizilim`, executable by that account and the group `tizilim-clerks` only
//! (`tizilim:tizilim-clerks` mode 4750, by `dpkg-statoverride`); the account
//! alone owns `/var/lib/tizilim/` (mode 2700) and the register's files in it
//! (0600), as `crontab` and `at` do with their spools. The login that started
//! the program stays the *real* user ID, and that is the identity roles check
//! (`cli::os_login` reads `getuid`, never the environment).
//!
//! The group is not needed: the register's files are the account's alone.
//! The folder is set-group-ID, so the files SQLite creates in it (the WAL,
//! the shared memory) and the witness belong to the group `tizilim` whoever
//! ran the program. An administrator's own override that also makes the
//! program set-group-ID (the old 6755) works the same way: the group is then
//! taken back and given up with the user ID.
//!
//! The account is held as briefly as possible:
//!
//! 1. [`start`], first thing in `main`: if the process is set-ID, it switches
//!    its *effective* IDs back to the login's (the saved IDs keep `tizilim`),
//!    so parsing, reading intake files, writing exports and reading the
//!    login's own signing key all happen with the login's own rights.
//! 2. [`with_register`], around `Store::open`/`Store::create`: only for the
//!    system register's exact path (`/var/lib/tizilim/register.sqlite`), it
//!    takes the account back (umask 077), opens the database and its WAL and
//!    shared-memory files, then gives the account up *for good*
//!    (`setresuid`/`setresgid` to the login): SQLite keeps its open
//!    descriptors, the process keeps nothing else. `--db`/`TIZILIM_DB` naming
//!    any other path gives up the account before anything is opened, so such
//!    a file is opened with the login's rights only.
//!    Taking the account back is all or nothing: if only one of the user and
//!    group IDs could be raised, the process stops at once (exit 1) rather
//!    than carry on half-privileged ([`after_raise`]).
//! 3. A command that never opens the register — `--help`, `--version`, a
//!    usage error — gives the account up for good ([`forgo`]) as soon as the
//!    command line is parsed, before anything is printed (`main`,
//!    `cli::Cli::opens_register`).
//! 4. The process stays non-dumpable (`PR_SET_DUMPABLE` 0, as the kernel sets
//!    it for set-ID programs): the login cannot `ptrace` it, read its
//!    `/proc/PID/fd` or get a core dump holding register pages.
//!
//! A program run without the set-ID bits (tests, a developer's build) is
//! [`State::Plain`]: nothing here changes anything.
//!
//! This is the one module allowed `unsafe` code (the crate denies it
//! elsewhere): installing a signal disposition ([`ignore_sigxfsz`]).

use std::ffi::OsString;
use std::os::unix::fs::MetadataExt;
use std::path::{Path, PathBuf};
use std::sync::Mutex;
use std::sync::atomic::{AtomicBool, Ordering};

use nix::sys::stat::{Mode, umask};
use nix::unistd::{Gid, Uid, getresgid, getresuid, setegid, seteuid, setresgid, setresuid};

/// The folder the package creates, owned by the register account.
pub const SYSTEM_DIR: &str = "/var/lib/tizilim";
/// The one file the set-ID program opens with the register account's rights.
pub const SYSTEM_REGISTER: &str = "/var/lib/tizilim/register.sqlite";
/// The hidden option the sshd snippet's `ForceCommand` passes.
pub const SSH_SESSION: &str = "--ssh-session";

/// What a login reached over SSH may run, said when it asks for anything else.
const ONLY: &str = "this login runs tizilim only — no shell, no file transfer \
                    (e.g. `ssh HOST tizilim case list`, or `ssh -t HOST` for the console)";

/// Why the program could not take, hold or give up the register account, or
/// could not read its command line.
#[derive(Debug, thiserror::Error)]
pub enum PrivilegeError {
    /// A system call on the process's IDs failed (`call` names it: `seteuid`…).
    #[error("{call}: {source}")]
    Call {
        call: &'static str,
        source: nix::Error,
    },
    /// The system register again, after the account was given up for good.
    #[error("{0} is opened once per process, and this one already gave up the register account")]
    OpenedOnce(PathBuf),
    /// The register's folder cannot be read (the package is not installed?).
    #[error("{dir}: {source} (is the tizilim package installed?)")]
    NoDir {
        dir: PathBuf,
        source: std::io::Error,
    },
    /// The folder is not the account's alone: someone else could plant or
    /// swap the register's files.
    #[error(
        "{dir} must be a folder owned by the register account and writable by no one else \
         (it is {mode:o}, owner uid {uid}); refusing to open the register"
    )]
    UnsafeDir { dir: PathBuf, mode: u32, uid: u32 },
    #[error("unbalanced {0} in the command")]
    Unbalanced(char),
    #[error("a trailing \\ in the command")]
    TrailingBackslash,
    /// `SSH_ORIGINAL_COMMAND` is not a tizilim command.
    #[error("{ONLY}", ONLY = ONLY)]
    NotTizilim,
    /// `SSH_ORIGINAL_COMMAND` does not split into words.
    #[error("{0}; {ONLY}", ONLY = ONLY)]
    SshWords(Box<PrivilegeError>),
}

/// A failed call on the process's IDs, named.
fn call(call: &'static str) -> impl FnOnce(nix::Error) -> PrivilegeError {
    move |source| PrivilegeError::Call { call, source }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum State {
    /// Not set-ID: the process is whoever ran it, nothing to hold or drop.
    Plain,
    /// Set-ID, the account still held in the saved IDs (effective: the login).
    Held {
        account: Uid,
        /// The account's group if the program is also set-group-ID; else
        /// the login's own (the package's 4750 sets the user ID only), which
        /// "taking back" leaves as it is.
        group: Gid,
        login: Uid,
        login_group: Gid,
    },
    /// Set-ID once; the account has been given up for good.
    Dropped,
}

static STATE: Mutex<State> = Mutex::new(State::Plain);
/// Inside `with_register` with the account taken back (nested calls — `open`
/// inside `create` — just run).
static RAISED: AtomicBool = AtomicBool::new(false);

fn state() -> State {
    *STATE.lock().unwrap_or_else(|e| e.into_inner())
}

fn set_state(s: State) {
    *STATE.lock().unwrap_or_else(|e| e.into_inner()) = s;
}

/// Whether this process was started set-ID (held or already dropped).
pub fn is_set_id() -> bool {
    state() != State::Plain
}

/// Whether this run is a clerk's: the installed program (set-ID, which only
/// the account and the clerks' group `tizilim-clerks` may execute) started
/// by any login but root. Such a run writes `--out` files only into the
/// login's notices folder (`crate::files::place`).
pub fn confined() -> bool {
    is_set_id() && !Uid::current().is_root()
}

/// Whether the process still holds the register account.
pub fn holds_account() -> bool {
    matches!(state(), State::Held { .. })
}

/// First thing in `main`, before any thread, file or argument is touched.
pub fn start() -> Result<State, PrivilegeError> {
    let u = getresuid().map_err(call("getresuid"))?;
    let g = getresgid().map_err(call("getresgid"))?;
    if u.real == u.effective && g.real == g.effective {
        set_state(State::Plain);
        return Ok(State::Plain);
    }
    let held = State::Held {
        account: u.effective,
        group: g.effective,
        login: u.real,
        login_group: g.real,
    };
    // Act as the login until the register is opened (the saved IDs keep the
    // account). Group first: changing it needs no particular effective user.
    setegid(g.real).map_err(call("setegid"))?;
    seteuid(u.real).map_err(call("seteuid"))?;
    // Set-ID processes are already non-dumpable; say so explicitly.
    nix::sys::prctl::set_dumpable(false).map_err(call("prctl"))?;
    set_state(held);
    Ok(held)
}

/// Gives up the register account for good: real, effective and saved IDs
/// all become the login's. Safe to call in any state. If the IDs cannot all
/// be set (or read back) as the login's, the process stops (exit 1): it
/// never carries on holding part of the account.
pub fn forgo() -> Result<(), PrivilegeError> {
    let State::Held {
        login, login_group, ..
    } = state()
    else {
        return Ok(());
    };
    // Setting all three IDs to the real ones needs no privilege. Group first,
    // as a privileged account would need.
    let dropped = setresgid(login_group, login_group, login_group)
        .and_then(|()| setresuid(login, login, login))
        .and_then(|()| Ok((getresuid()?, getresgid()?)));
    match dropped {
        Ok((u, g))
            if [u.real, u.effective, u.saved] == [login; 3]
                && [g.real, g.effective, g.saved] == [login_group; 3] => {}
        Ok(_) => stop("could not give up the register account"),
        Err(e) => stop(&format!("could not give up the register account ({e})")),
    }
    set_state(State::Dropped);
    nix::sys::prctl::set_dumpable(false).map_err(call("prctl"))?;
    Ok(())
}

/// Never carry on half-privileged: say so and end the process.
fn stop(why: &str) -> ! {
    eprintln!("tizilim: {why}; stopping");
    std::process::exit(1);
}

/// What taking the account back came to, from whether the effective user ID
/// and the effective group ID could be set to the account's.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum RaiseOutcome {
    /// Both: open the register.
    Raised,
    /// Neither: the process is still the login; give the account up and
    /// report the error.
    NotRaised,
    /// One but not the other: stop the process at once.
    Partial,
}

/// The decision after an attempt to take the account back (see
/// [`RaiseOutcome`]).
pub fn after_raise(uid_ok: bool, gid_ok: bool) -> RaiseOutcome {
    match (uid_ok, gid_ok) {
        (true, true) => RaiseOutcome::Raised,
        (false, false) => RaiseOutcome::NotRaised,
        (true, false) | (false, true) => RaiseOutcome::Partial,
    }
}

/// A file-size limit (`ulimit -f`) becomes a write error the command handles
/// — `init` then removes its half-made file — instead of a signal that kills
/// the process mid-write. Call first thing in `main`, before any thread.
pub fn ignore_sigxfsz() {
    use nix::sys::signal::{SigHandler, Signal, signal};
    // SAFETY: SIG_IGN runs no handler, so nothing executes in signal context;
    // `main` calls this before any thread starts.
    unsafe {
        let _ = signal(Signal::SIGXFSZ, SigHandler::SigIgn);
    }
}

/// Whether `path` names the system register (component-wise: `//` and `/./`
/// are the same path; `..`, symlinks and relative paths are not).
pub fn is_system_register(path: &Path) -> bool {
    path.is_absolute() && path == Path::new(SYSTEM_REGISTER)
}

/// Runs `open` — which opens or creates the register at `path` — with the
/// register account's rights if the process holds it and `path` is the
/// system register, then gives the account up for good. Any other path gives
/// the account up first. Without set-ID bits it just runs `open`.
pub fn with_register<T>(path: &Path, open: impl FnOnce() -> T) -> Result<T, PrivilegeError> {
    let (account, group) = match state() {
        State::Plain => return Ok(open()),
        State::Held { account, group, .. } => (account, group),
        State::Dropped if is_system_register(path) => {
            // The account is gone for good: one register connection per
            // process (keep the `Store` rather than opening it again).
            return Err(PrivilegeError::OpenedOnce(path.to_path_buf()));
        }
        State::Dropped => return Ok(open()),
    };
    if RAISED.load(Ordering::SeqCst) {
        return Ok(open());
    }
    if !is_system_register(path) {
        forgo()?;
        return Ok(open());
    }
    // Both IDs are tried, whatever the first gives, so that the outcome is
    // one of the three `after_raise` decides between.
    let uid = seteuid(account).map_err(call("seteuid"));
    let gid = setegid(group).map_err(call("setegid"));
    match after_raise(uid.is_ok(), gid.is_ok()) {
        RaiseOutcome::Raised => {}
        RaiseOutcome::NotRaised => {
            forgo()?;
            return Err(uid.and(gid).unwrap_err());
        }
        RaiseOutcome::Partial => {
            let e = uid.and(gid).unwrap_err();
            stop(&format!(
                "could not take the register account back whole ({e})"
            ));
        }
    }
    let checked = check_dir(Path::new(SYSTEM_DIR), account);
    let old = umask(Mode::from_bits_truncate(0o077));
    RAISED.store(true, Ordering::SeqCst);
    let out = checked.map(|()| open());
    RAISED.store(false, Ordering::SeqCst);
    umask(old);
    forgo()?;
    out
}

/// The folder must belong to the account and be writable by no one else:
/// otherwise someone else could plant or swap the register's files.
fn check_dir(dir: &Path, account: Uid) -> Result<(), PrivilegeError> {
    let m = std::fs::symlink_metadata(dir).map_err(|source| PrivilegeError::NoDir {
        dir: dir.to_path_buf(),
        source,
    })?;
    if !m.is_dir() || m.uid() != account.as_raw() || m.mode() & 0o022 != 0 {
        return Err(PrivilegeError::UnsafeDir {
            dir: dir.to_path_buf(),
            mode: m.mode() & 0o7777,
            uid: m.uid(),
        });
    }
    Ok(())
}

/// The login's home folder from the password database (not `$HOME`): where
/// the login's own files (its signing key) live. Open them after [`start`]
/// and they are opened with the login's rights, never the account's.
pub fn login_home() -> Option<PathBuf> {
    nix::unistd::User::from_uid(Uid::current())
        .ok()
        .flatten()
        .map(|u| u.dir)
}

/// The command line to parse: the process's own, or — when sshd's
/// `ForceCommand /usr/bin/tizilim --ssh-session` started it — the command the
/// client asked for (`SSH_ORIGINAL_COMMAND`), split into words here without
/// any shell. It must start with `tizilim`; nothing else runs. No command:
/// the console.
pub fn command_line() -> Result<Vec<OsString>, PrivilegeError> {
    let args: Vec<OsString> = std::env::args_os().collect();
    if args.len() != 2 || args[1] != SSH_SESSION {
        return Ok(args);
    }
    let original = std::env::var("SSH_ORIGINAL_COMMAND").unwrap_or_default();
    ssh_command(&original).map(|v| v.into_iter().map(OsString::from).collect())
}

/// `SSH_ORIGINAL_COMMAND` → the argument vector (`tizilim …`).
pub fn ssh_command(original: &str) -> Result<Vec<String>, PrivilegeError> {
    let words = split_words(original).map_err(|e| PrivilegeError::SshWords(Box::new(e)))?;
    match words.split_first() {
        None => Ok(vec!["tizilim".into()]),
        Some((first, rest)) if first == "tizilim" || first == "/usr/bin/tizilim" => {
            let mut v = vec!["tizilim".to_string()];
            v.extend(rest.iter().cloned());
            Ok(v)
        }
        Some(_) => Err(PrivilegeError::NotTizilim),
    }
}

/// Splits a command line into words as a POSIX shell would for plain words
/// and quotes — `'…'` literal, `"…"` with `\"` `\\` `\$` `` \` `` escapes,
/// `\` outside quotes — and nothing else: no variables, globs, pipes or `;`
/// (they stay literal characters, which the argument parser then refuses).
pub fn split_words(s: &str) -> Result<Vec<String>, PrivilegeError> {
    let mut words = Vec::new();
    let mut cur = String::new();
    let mut in_word = false;
    let mut chars = s.chars();
    while let Some(c) = chars.next() {
        match c {
            ' ' | '\t' | '\n' => {
                if in_word {
                    words.push(std::mem::take(&mut cur));
                    in_word = false;
                }
            }
            '\'' => {
                in_word = true;
                loop {
                    match chars.next() {
                        Some('\'') => break,
                        Some(c) => cur.push(c),
                        None => return Err(PrivilegeError::Unbalanced('\'')),
                    }
                }
            }
            '"' => {
                in_word = true;
                loop {
                    match chars.next() {
                        Some('"') => break,
                        Some('\\') => match chars.next() {
                            Some(c @ ('"' | '\\' | '$' | '`')) => cur.push(c),
                            Some('\n') => {}
                            Some(c) => {
                                cur.push('\\');
                                cur.push(c);
                            }
                            None => return Err(PrivilegeError::Unbalanced('"')),
                        },
                        Some(c) => cur.push(c),
                        None => return Err(PrivilegeError::Unbalanced('"')),
                    }
                }
            }
            '\\' => {
                in_word = true;
                match chars.next() {
                    Some('\n') => {}
                    Some(c) => cur.push(c),
                    None => return Err(PrivilegeError::TrailingBackslash),
                }
            }
            c => {
                in_word = true;
                cur.push(c);
            }
        }
    }
    if in_word {
        words.push(cur);
    }
    Ok(words)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn words_split_like_a_shell_without_its_powers() {
        let w = |s: &str| split_words(s).unwrap();
        assert_eq!(w("tizilim case list"), ["tizilim", "case", "list"]);
        assert_eq!(w("  a\t b  "), ["a", "b"]);
        assert_eq!(
            w(r#"tizilim hearing notify X --reason 'it''s "bad"' --place "Hall \"A\" \$1""#),
            [
                "tizilim",
                "hearing",
                "notify",
                "X",
                "--reason",
                "its \"bad\"",
                "--place",
                "Hall \"A\" $1"
            ]
        );
        assert_eq!(w(r"a\ b ''"), ["a b", ""]);
        assert_eq!(w("a;rm -rf $HOME"), ["a;rm", "-rf", "$HOME"]);
        assert!(split_words("'open").is_err());
        assert!(split_words("\"open").is_err());
        assert!(split_words("end\\").is_err());
    }

    #[test]
    fn only_tizilim_runs_over_ssh() {
        assert_eq!(ssh_command("").unwrap(), ["tizilim"]);
        assert_eq!(ssh_command("   ").unwrap(), ["tizilim"]);
        assert_eq!(
            ssh_command("tizilim case list --json").unwrap(),
            ["tizilim", "case", "list", "--json"]
        );
        assert_eq!(
            ssh_command("/usr/bin/tizilim audit verify").unwrap(),
            ["tizilim", "audit", "verify"]
        );
        for bad in [
            "cat /var/lib/tizilim/register.sqlite",
            "sqlite3 /var/lib/tizilim/register.sqlite",
            "internal-sftp",
            "scp -t /tmp",
            "/bin/sh",
            "tizilim2 x",
            "sh -c tizilim",
        ] {
            let e = ssh_command(bad).unwrap_err();
            assert!(matches!(e, PrivilegeError::NotTizilim), "{bad}: {e}");
            assert!(e.to_string().starts_with("this login runs tizilim only"));
        }
        let e = ssh_command("tizilim case show 'ABK").unwrap_err();
        assert_eq!(
            e.to_string(),
            format!("unbalanced ' in the command; {ONLY}")
        );
        assert_eq!(
            split_words("end\\").unwrap_err().to_string(),
            "a trailing \\ in the command"
        );
    }

    #[test]
    fn a_partial_raise_stops_the_process() {
        assert_eq!(after_raise(true, true), RaiseOutcome::Raised);
        assert_eq!(after_raise(false, false), RaiseOutcome::NotRaised);
        // The user ID without the group, or the group without the user:
        // never carry on with part of the account.
        assert_eq!(after_raise(true, false), RaiseOutcome::Partial);
        assert_eq!(after_raise(false, true), RaiseOutcome::Partial);
    }

    #[test]
    fn the_refusals_read_as_before() {
        let e = PrivilegeError::Call {
            call: "seteuid",
            source: nix::Error::EPERM,
        };
        assert_eq!(e.to_string(), "seteuid: EPERM: Operation not permitted");
        assert_eq!(
            PrivilegeError::UnsafeDir {
                dir: PathBuf::from(SYSTEM_DIR),
                mode: 0o777,
                uid: 1000
            }
            .to_string(),
            "/var/lib/tizilim must be a folder owned by the register account and writable \
             by no one else (it is 777, owner uid 1000); refusing to open the register"
        );
        assert_eq!(
            PrivilegeError::OpenedOnce(PathBuf::from(SYSTEM_REGISTER)).to_string(),
            "/var/lib/tizilim/register.sqlite is opened once per process, and this one \
             already gave up the register account"
        );
    }

    #[test]
    fn only_the_exact_system_path_is_the_register() {
        assert!(is_system_register(Path::new(SYSTEM_REGISTER)));
        assert!(is_system_register(Path::new(
            "/var/lib/tizilim//./register.sqlite"
        )));
        for other in [
            "/var/lib/tizilim/../tizilim/register.sqlite",
            "/var/lib/tizilim/register.sqlite-wal",
            "/tmp/register.sqlite",
            "var/lib/tizilim/register.sqlite",
            "register.sqlite",
        ] {
            assert!(!is_system_register(Path::new(other)), "{other}");
        }
    }

    #[test]
    fn a_plain_process_opens_anything_as_itself() {
        // cargo test is never set-ID: nothing is held, nothing changes.
        assert!(!holds_account());
        assert!(!confined(), "--out goes anywhere the tester may write");
        assert_eq!(with_register(Path::new("/tmp/x"), || 7).unwrap(), 7);
        assert!(forgo().is_ok());
    }
}
