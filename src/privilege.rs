//! Privilege: how the installed program reaches a register no clerk can open.
//!
//! The package installs `/usr/bin/tizilim` set-user-ID and set-group-ID to the
//! system account `tizilim` (mode 6755, by `dpkg-statoverride`), which alone
//! owns `/var/lib/tizilim/` (mode 0700) and the register's files in it (0600),
//! as `crontab` and `at` do with their spools. The login that started the
//! program stays the *real* user ID, and that is the identity roles check
//! (`cli::os_login` reads `getuid`, never the environment).
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
//! 3. The process stays non-dumpable (`PR_SET_DUMPABLE` 0, as the kernel sets
//!    it for set-ID programs): the login cannot `ptrace` it, read its
//!    `/proc/PID/fd` or get a core dump holding register pages.
//!
//! A program run without the set-ID bits (tests, a developer's build) is
//! [`State::Plain`]: nothing here changes anything.

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

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum State {
    /// Not set-ID: the process is whoever ran it, nothing to hold or drop.
    Plain,
    /// Set-ID, the account still held in the saved IDs (effective: the login).
    Held {
        account: Uid,
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

/// Whether the process still holds the register account.
pub fn holds_account() -> bool {
    matches!(state(), State::Held { .. })
}

/// First thing in `main`, before any thread, file or argument is touched.
pub fn start() -> Result<State, String> {
    let u = getresuid().map_err(|e| format!("getresuid: {e}"))?;
    let g = getresgid().map_err(|e| format!("getresgid: {e}"))?;
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
    setegid(g.real).map_err(|e| format!("setegid: {e}"))?;
    seteuid(u.real).map_err(|e| format!("seteuid: {e}"))?;
    // Set-ID processes are already non-dumpable; say so explicitly.
    nix::sys::prctl::set_dumpable(false).map_err(|e| format!("prctl: {e}"))?;
    set_state(held);
    Ok(held)
}

/// Gives up the register account for good: real, effective and saved IDs
/// all become the login's. Safe to call in any state.
pub fn forgo() -> Result<(), String> {
    let State::Held {
        login, login_group, ..
    } = state()
    else {
        return Ok(());
    };
    // Setting all three IDs to the real ones needs no privilege.
    setresgid(login_group, login_group, login_group).map_err(|e| format!("setresgid: {e}"))?;
    setresuid(login, login, login).map_err(|e| format!("setresuid: {e}"))?;
    let u = getresuid().map_err(|e| format!("getresuid: {e}"))?;
    let g = getresgid().map_err(|e| format!("getresgid: {e}"))?;
    if [u.real, u.effective, u.saved] != [login; 3]
        || [g.real, g.effective, g.saved] != [login_group; 3]
    {
        // Never carry on half-privileged.
        eprintln!("tizilim: could not give up the register account; stopping");
        std::process::exit(1);
    }
    nix::sys::prctl::set_dumpable(false).map_err(|e| format!("prctl: {e}"))?;
    set_state(State::Dropped);
    Ok(())
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
pub fn with_register<T>(path: &Path, open: impl FnOnce() -> T) -> Result<T, String> {
    let (account, group) = match state() {
        State::Plain => return Ok(open()),
        State::Held { account, group, .. } => (account, group),
        State::Dropped if is_system_register(path) => {
            // The account is gone for good: one register connection per
            // process (keep the `Store` rather than opening it again).
            return Err(format!(
                "{} is opened once per process, and this one already gave up the register account",
                path.display()
            ));
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
    seteuid(account).map_err(|e| format!("seteuid: {e}"))?;
    setegid(group).map_err(|e| format!("setegid: {e}"))?;
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
fn check_dir(dir: &Path, account: Uid) -> Result<(), String> {
    let m = std::fs::symlink_metadata(dir)
        .map_err(|e| format!("{}: {e} (is the tizilim package installed?)", dir.display()))?;
    if !m.is_dir() || m.uid() != account.as_raw() || m.mode() & 0o022 != 0 {
        return Err(format!(
            "{} must be a folder owned by the register account and writable by no one else \
             (it is {:o}, owner uid {}); refusing to open the register",
            dir.display(),
            m.mode() & 0o7777,
            m.uid()
        ));
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
pub fn command_line() -> Result<Vec<OsString>, String> {
    let args: Vec<OsString> = std::env::args_os().collect();
    if args.len() != 2 || args[1] != SSH_SESSION {
        return Ok(args);
    }
    let original = std::env::var("SSH_ORIGINAL_COMMAND").unwrap_or_default();
    ssh_command(&original).map(|v| v.into_iter().map(OsString::from).collect())
}

/// `SSH_ORIGINAL_COMMAND` → the argument vector (`tizilim …`).
pub fn ssh_command(original: &str) -> Result<Vec<String>, String> {
    const ONLY: &str = "this login runs tizilim only — no shell, no file transfer \
                        (e.g. `ssh HOST tizilim case list`, or `ssh -t HOST` for the console)";
    let words = split_words(original).map_err(|e| format!("{e}; {ONLY}"))?;
    match words.split_first() {
        None => Ok(vec!["tizilim".into()]),
        Some((first, rest)) if first == "tizilim" || first == "/usr/bin/tizilim" => {
            let mut v = vec!["tizilim".to_string()];
            v.extend(rest.iter().cloned());
            Ok(v)
        }
        Some(_) => Err(ONLY.into()),
    }
}

/// Splits a command line into words as a POSIX shell would for plain words
/// and quotes — `'…'` literal, `"…"` with `\"` `\\` `\$` `` \` `` escapes,
/// `\` outside quotes — and nothing else: no variables, globs, pipes or `;`
/// (they stay literal characters, which the argument parser then refuses).
pub fn split_words(s: &str) -> Result<Vec<String>, String> {
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
                        None => return Err("unbalanced ' in the command".into()),
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
                            None => return Err("unbalanced \" in the command".into()),
                        },
                        Some(c) => cur.push(c),
                        None => return Err("unbalanced \" in the command".into()),
                    }
                }
            }
            '\\' => {
                in_word = true;
                match chars.next() {
                    Some('\n') => {}
                    Some(c) => cur.push(c),
                    None => return Err("a trailing \\ in the command".into()),
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
            assert!(e.contains("runs tizilim only"), "{bad}: {e}");
        }
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
        assert_eq!(with_register(Path::new("/tmp/x"), || 7).unwrap(), 7);
        assert!(forgo().is_ok());
    }
}
