//! A witness outside the register. After every commit the journal's new head
//! (its row number and hash) is appended to an append-only file and synced,
//! so a register that loses commits — a flipped bit in the write-ahead log
//! makes SQLite's recovery drop every commit after it, a file rolled back to
//! an older copy — is caught by `audit verify`, which compares the journal
//! with the last head its witness saw. The hash chain makes the last head
//! enough: a journal that still holds that row with that hash holds every
//! row before it as it was.
//!
//! The file is `TIZILIM_WITNESS`, else the register's path plus `.witness`.
//! Put it on another disk than the register to survive that disk. The
//! installed set-ID program ignores the variable (it would let any login
//! choose a file the register account writes): there the witness is beside
//! the register, and an operator who wants it elsewhere makes that path a
//! symbolic link to a file on the other disk (docs/operations.md).
//!
//! A register in PostgreSQL has a witness too ([`PgWitness`], issue 22): one
//! per application server, not per database, since the database's own disks
//! are what it watches. `TIZILIM_WITNESS` again (ignored by the set-ID
//! program), else a file per database named from its hosts, ports and
//! name ([`path_for_url`]): in the package's `/var/lib/tizilim/` for the
//! installed program (opened while it holds the register account), else in
//! the login's state folder (`$XDG_STATE_HOME/tizilim/`, by default
//! `~/.local/state/tizilim/`).
//!
//! Each line is `SEQ HASH\n`. Several processes append to one file; a line is
//! one `write` on a file opened for appending, so lines never interleave, but
//! two sessions may append their heads out of order: the witness's head is
//! the highest row number among its last lines.

use std::fs::{File, OpenOptions};
use std::io::{Read, Seek, SeekFrom, Write};
use std::os::unix::fs::{DirBuilderExt, OpenOptionsExt};
use std::path::{Path, PathBuf};
use std::sync::Mutex;

use rusqlite::Connection;

use super::sql::Sql;
use super::sql::locator::PgUrl;
use super::{Error, Result};

/// The witness file of the register at `register`.
pub fn path_for(register: &Path) -> PathBuf {
    let private = PRIVATE
        .lock()
        .unwrap_or_else(|p| p.into_inner())
        .iter()
        .any(|p| p == register);
    if !private
        && !crate::privilege::is_set_id()
        && let Some(p) = std::env::var_os("TIZILIM_WITNESS").filter(|p| !p.is_empty())
    {
        return PathBuf::from(p);
    }
    let mut p = register.as_os_str().to_owned();
    p.push(".witness");
    PathBuf::from(p)
}

/// The witness of the PostgreSQL register at `url`: `TIZILIM_WITNESS` if set
/// (not for the set-ID program), else `HOSTS.DATABASE.pg.witness` in
/// [`pg_dir`] — the same file whichever of a URL's hosts is the primary.
pub fn path_for_url(url: &PgUrl) -> PathBuf {
    if !crate::privilege::is_set_id()
        && let Some(p) = std::env::var_os("TIZILIM_WITNESS").filter(|p| !p.is_empty())
    {
        return PathBuf::from(p);
    }
    default_for_url(url)
}

/// The witness of the PostgreSQL register at `url` when `TIZILIM_WITNESS`
/// names none: `HOSTS.DATABASE.pg.witness` in [`pg_dir`].
pub fn default_for_url(url: &PgUrl) -> PathBuf {
    pg_dir().join(pg_file_name(url.config()))
}

/// Where the witnesses of PostgreSQL registers go by default: the package's
/// folder for the installed program, else the login's state folder.
pub fn pg_dir() -> PathBuf {
    if crate::privilege::is_set_id() {
        return PathBuf::from(crate::privilege::SYSTEM_DIR);
    }
    let absolute = |v: std::ffi::OsString| Some(PathBuf::from(v)).filter(|p| p.is_absolute());
    if let Some(state) = std::env::var_os("XDG_STATE_HOME").and_then(absolute) {
        return state.join("tizilim");
    }
    std::env::var_os("HOME")
        .and_then(absolute)
        .or_else(crate::privilege::login_home)
        .unwrap_or_else(|| PathBuf::from("."))
        .join(".local/state/tizilim")
}

/// `127.0.0.1_5432+10.0.0.2_5432.register.pg.witness`: the URL's hosts and
/// ports in its order, and the database, as one file name (anything but
/// letters, digits, `-` and `_` becomes `_`, so the name never leaves its
/// folder, and never is one of a register file's).
fn pg_file_name(c: &postgres::Config) -> String {
    let clean = |s: &str| -> String {
        s.chars()
            .map(|ch| {
                if ch.is_ascii_alphanumeric() || ch == '-' || ch == '_' {
                    ch
                } else {
                    '_'
                }
            })
            .collect()
    };
    let hosts: Vec<String> = super::sql::locator::hosts(c)
        .into_iter()
        .map(|(host, port)| format!("{}_{}", clean(&host), port.unwrap_or(5432)))
        .collect();
    let db = c.get_dbname().or(c.get_user()).unwrap_or("postgres");
    format!("{}.{}.pg.witness", hosts.join("+"), clean(db))
}

/// A PostgreSQL register's witness as the installed program found it while
/// it held the register account ([`preopen`]): the file opened for
/// appending, and the last head it held, or why either failed.
pub struct Held {
    file: std::result::Result<File, String>,
    seen: std::result::Result<Option<Head>, String>,
}

impl Held {
    /// Opens (creating it, mode 0600) the witness at `path` and reads its
    /// last head: what the installed program runs with the account's rights.
    pub fn open(path: &Path) -> Held {
        let why = |e: std::io::Error| format!("{}: {e}", path.display());
        Held {
            file: append_to(path).map_err(why),
            seen: last(path).map_err(why),
        }
    }

    /// Neither: the account could not be taken back (`why`).
    pub fn failed(why: String) -> Held {
        Held {
            file: Err(why.clone()),
            seen: Err(why),
        }
    }
}

/// The PostgreSQL witnesses the installed program opened while it held the
/// register account, by path, for [`PgWitness::open`] and [`seen_for_url`].
static PREOPENED: Mutex<Vec<(PathBuf, Held)>> = Mutex::new(Vec::new());

/// The installed program, before it gives up the register account for a
/// PostgreSQL register: keeps the witness of `url` it opened in the
/// package's folder ([`Held::open`]), so that it stays writable, and its
/// last head readable, after; or why it could not be (every act is then
/// refused before it starts).
pub fn preopen(url: &PgUrl, held: Held) {
    let path = path_for_url(url);
    let mut all = PREOPENED.lock().unwrap_or_else(|p| p.into_inner());
    all.retain(|(p, _)| *p != path);
    all.push((path, held));
}

/// The last head the witness of the PostgreSQL register at `url` saw (what
/// `audit verify` compares the journal with), or why it cannot be read.
pub fn seen_for_url(url: &PgUrl) -> std::result::Result<Option<Head>, String> {
    let path = path_for_url(url);
    if let Some((_, held)) = PREOPENED
        .lock()
        .unwrap_or_else(|p| p.into_inner())
        .iter()
        .find(|(p, _)| *p == path)
    {
        return held.seen.clone();
    }
    last(&path).map_err(|e| format!("{}: {e}", path.display()))
}

/// The witness of one PostgreSQL register in this process: its path, decided
/// once when the register is opened, and the file, opened before the first
/// act (so that an act is refused, with nothing stored, if it cannot be).
pub struct PgWitness {
    path: PathBuf,
    file: Option<std::result::Result<File, String>>,
    last: Option<i64>,
}

impl PgWitness {
    /// The witness of the register at `url` ([`path_for_url`]); nothing is
    /// made until the first act ([`PgWitness::ready`]).
    pub fn open(url: &PgUrl) -> PgWitness {
        let path = path_for_url(url);
        let file = PREOPENED
            .lock()
            .unwrap_or_else(|p| p.into_inner())
            .iter()
            .find(|(p, _)| *p == path)
            .map(|(_, held)| match &held.file {
                Ok(f) => f.try_clone().map_err(|e| e.to_string()),
                Err(e) => Err(e.clone()),
            });
        PgWitness {
            path,
            file,
            last: None,
        }
    }

    pub fn path(&self) -> &Path {
        &self.path
    }

    /// Before an act: opens the witness (making it, and its folder, mode
    /// 0700, if need be) or refuses the act, which then stores nothing.
    pub fn ready(&mut self) -> Result<()> {
        if self.file.is_none() {
            let made = match self.path.parent().filter(|d| !d.as_os_str().is_empty()) {
                Some(dir) if !dir.exists() => std::fs::DirBuilder::new()
                    .recursive(true)
                    .mode(0o700)
                    .create(dir),
                _ => Ok(()),
            };
            self.file = Some(
                made.and_then(|()| append_to(&self.path))
                    .map_err(|e| e.to_string()),
            );
        }
        match &self.file {
            Some(Err(e)) => Err(Error::Witness {
                path: self.path.clone(),
                row: None,
                detail: e.clone(),
            }),
            _ => Ok(()),
        }
    }

    /// After a commit: appends the journal's head `head` (read in the act's
    /// transaction, [`head`]) and syncs it. The act is already stored when
    /// this fails: the error says so.
    pub fn record(&mut self, head: Option<(i64, String)>) -> Result<()> {
        let Some((seq, hash)) = head else {
            return Ok(());
        };
        if self.last == Some(seq) {
            return Ok(());
        }
        self.ready().map_err(|e| match e {
            Error::Witness { path, detail, .. } => Error::Witness {
                path,
                row: Some(seq),
                detail,
            },
            e => e,
        })?;
        let written = match &mut self.file {
            Some(Ok(f)) => f
                .write_all(format!("{seq} {hash}\n").as_bytes())
                .and_then(|()| f.sync_data()),
            Some(Err(e)) => Err(std::io::Error::other(e.clone())),
            None => Err(std::io::Error::other("not opened")),
        };
        written.map_err(|e| Error::Witness {
            path: self.path.clone(),
            row: Some(seq),
            detail: e.to_string(),
        })?;
        self.last = Some(seq);
        Ok(())
    }
}

/// The journal's head in the act's transaction (`None`: no row yet).
pub fn head(tx: &dyn Sql) -> Result<Option<(i64, String)>> {
    tx.row(
        "SELECT seq, hash FROM journal ORDER BY seq DESC LIMIT 1",
        &[],
        |r| Ok((r.get(0)?, r.get(1)?)),
    )
}

/// Registers whose witness is none of the register's: private copies (the
/// snapshot `audit verify` checks a PostgreSQL register on) take the
/// default beside themselves, never `TIZILIM_WITNESS`.
static PRIVATE: Mutex<Vec<PathBuf>> = Mutex::new(Vec::new());

/// Marks `register` as a private copy (see [`PRIVATE`]).
pub fn private_copy(register: &Path) {
    PRIVATE
        .lock()
        .unwrap_or_else(|p| p.into_inner())
        .push(register.to_path_buf());
}

/// The last head a witness saw: the journal row number and its hash.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Head {
    pub seq: i64,
    pub hash: String,
}

struct Open {
    /// The register's file as SQLite names it (`Connection::path`).
    register: String,
    path: PathBuf,
    /// The open file (`None`: not made yet, made at the first commit), or
    /// why it could not be opened (then every write is refused before it
    /// starts: see [`ready`]).
    file: std::result::Result<Option<File>, String>,
    /// Sync each line (off for bulk loads).
    sync: bool,
    last: Option<i64>,
}

/// The witnesses this process opened, one per register it writes.
static OPEN: Mutex<Vec<Open>> = Mutex::new(Vec::new());

fn key(conn: &Connection) -> Option<String> {
    conn.path().filter(|p| !p.is_empty()).map(str::to_string)
}

/// Opens (creating it, mode 0600) the witness of the register `conn` has
/// open, for appending. `Store::open` calls it while the register account
/// is held, so the file stays writable after the account is given up. A
/// witness that cannot be opened does not stop reading: every write is
/// refused instead, before it starts ([`ready`]).
pub fn open(conn: &Connection, register: &Path) {
    let Some(key) = key(conn) else {
        return;
    };
    let path = path_for(register);
    // The installed program makes the file now, while it holds the register
    // account; otherwise at the first commit, so that merely reading a
    // register (a backup, say) leaves no file beside it.
    let file = match path.exists() || crate::privilege::is_set_id() {
        true => append_to(&path).map(Some).map_err(|e| e.to_string()),
        false => Ok(None),
    };
    let mut all = OPEN.lock().unwrap_or_else(|p| p.into_inner());
    all.retain(|o| o.register != key);
    all.push(Open {
        register: key,
        path,
        file,
        sync: true,
        last: None,
    });
}

/// Before a write on `conn`: refuses it if its register's witness could not
/// be opened, so no act is stored without its witness line.
pub fn ready(conn: &Connection) -> Result<()> {
    let Some(key) = key(conn) else {
        return Ok(());
    };
    let all = OPEN.lock().unwrap_or_else(|p| p.into_inner());
    match all.iter().find(|o| o.register == key) {
        Some(Open {
            file: Err(e), path, ..
        }) => Err(Error::Witness {
            path: path.clone(),
            row: None,
            detail: e.clone(),
        }),
        _ => Ok(()),
    }
}

fn append_to(path: &Path) -> std::io::Result<File> {
    OpenOptions::new()
        .append(true)
        .create(true)
        .mode(0o600)
        .open(path)
}

/// Lines need not reach the disk one by one (`demo`'s bulk load).
pub fn relax(conn: &Connection) {
    if let Some(key) = key(conn) {
        let mut all = OPEN.lock().unwrap_or_else(|p| p.into_inner());
        for o in all.iter_mut().filter(|o| o.register == key) {
            o.sync = false;
        }
    }
}

/// After a commit on `conn`: appends the journal's head to the witness, and
/// syncs it. A commit that added no journal row appends nothing. The act
/// is already stored when this fails: the error says so.
pub fn record(conn: &Connection) -> Result<()> {
    let Some(key) = key(conn) else {
        return Ok(());
    };
    let mut all = OPEN.lock().unwrap_or_else(|p| p.into_inner());
    let Some(o) = all.iter_mut().find(|o| o.register == key) else {
        return Ok(());
    };
    let head: Option<(i64, String)> = {
        use rusqlite::OptionalExtension;
        conn.prepare_cached("SELECT seq, hash FROM journal ORDER BY seq DESC LIMIT 1")?
            .query_row([], |r| Ok((r.get(0)?, r.get(1)?)))
            .optional()?
    };
    let Some((seq, hash)) = head else {
        return Ok(());
    };
    if o.last == Some(seq) {
        return Ok(());
    }
    let line = format!("{seq} {hash}\n");
    let sync = o.sync;
    if matches!(o.file, Ok(None)) {
        o.file = append_to(&o.path).map(Some).map_err(|e| e.to_string());
    }
    let written = match &mut o.file {
        Ok(Some(f)) => f
            .write_all(line.as_bytes())
            .and_then(|()| if sync { f.sync_data() } else { Ok(()) }),
        Ok(None) => unreachable!("made above"),
        Err(e) => Err(std::io::Error::other(e.clone())),
    };
    written.map_err(|e| Error::Witness {
        path: o.path.clone(),
        row: Some(seq),
        detail: e.to_string(),
    })?;
    o.last = Some(seq);
    Ok(())
}

/// The highest head among the last lines of the witness at `path` (a torn
/// last line, from a crash mid-write, is ignored); `None` if there is no
/// file or it holds no line yet.
pub fn last(path: &Path) -> std::io::Result<Option<Head>> {
    const TAIL: u64 = 64 * 1024;
    let mut f = match File::open(path) {
        Ok(f) => f,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(None),
        Err(e) => return Err(e),
    };
    let len = f.metadata()?.len();
    let from = len.saturating_sub(TAIL);
    f.seek(SeekFrom::Start(from))?;
    let mut tail = Vec::new();
    f.take(TAIL).read_to_end(&mut tail)?;
    let text = String::from_utf8_lossy(&tail);
    let mut lines: Vec<&str> = text.split('\n').collect();
    // The last piece has no newline: empty, or a torn line.
    lines.pop();
    if from > 0 && !lines.is_empty() {
        // The first piece may be a line cut by the tail's start.
        lines.remove(0);
    }
    Ok(lines
        .iter()
        .filter_map(|l| {
            let (seq, hash) = l.split_once(' ')?;
            let seq: i64 = seq.parse().ok()?;
            (hash.len() == 64 && hash.bytes().all(|b| b.is_ascii_hexdigit())).then(|| Head {
                seq,
                hash: hash.to_string(),
            })
        })
        .max_by_key(|h| h.seq))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_postgresql_witness_is_named_from_hosts_ports_and_database_in_one_folder() {
        let name = |u: &str| pg_file_name(PgUrl::parse(u).unwrap().config());
        assert_eq!(
            name(
                "postgresql://tz@db1:5432,10.0.0.12:5433/register?target_session_attrs=read-write"
            ),
            "db1_5432+10_0_0_12_5433.register.pg.witness"
        );
        // A host without its port: PostgreSQL's.
        assert_eq!(
            name("postgresql://tz@a,b:6000/r"),
            "a_5432+b_6000.r.pg.witness"
        );
        assert_eq!(name("postgresql://tz@a/r"), "a_5432.r.pg.witness");
        // Whatever the URL names, one file name, never a way out of the folder.
        let odd = name("postgresql://tz@h/..%2F..%2Fetc%2Fpasswd");
        assert!(!odd.contains('/') && odd.ends_with(".pg.witness"), "{odd}");
    }

    #[test]
    fn the_head_is_the_highest_row_and_a_torn_line_is_ignored() {
        let dir = tempfile::tempdir().unwrap();
        let p = dir.path().join("w");
        assert_eq!(last(&p).unwrap(), None);
        let h = |c: char| c.to_string().repeat(64);
        std::fs::write(
            &p,
            format!(
                "1 {}\n3 {}\n2 {}\n4 {}",
                h('a'),
                h('c'),
                h('b'),
                &h('d')[..10]
            ),
        )
        .unwrap();
        assert_eq!(
            last(&p).unwrap(),
            Some(Head {
                seq: 3,
                hash: h('c')
            })
        );
    }
}
