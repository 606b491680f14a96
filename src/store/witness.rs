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
//! Each line is `SEQ HASH\n`. Several processes append to one file; a line is
//! one `write` on a file opened for appending, so lines never interleave, but
//! two sessions may append their heads out of order: the witness's head is
//! the highest row number among its last lines.

use std::fs::{File, OpenOptions};
use std::io::{Read, Seek, SeekFrom, Write};
use std::os::unix::fs::OpenOptionsExt;
use std::path::{Path, PathBuf};
use std::sync::Mutex;

use rusqlite::Connection;

use super::{Error, Result};

/// The witness file of the register at `register`.
pub fn path_for(register: &Path) -> PathBuf {
    if !crate::privilege::is_set_id()
        && let Some(p) = std::env::var_os("TIZILIM_WITNESS").filter(|p| !p.is_empty())
    {
        return PathBuf::from(p);
    }
    let mut p = register.as_os_str().to_owned();
    p.push(".witness");
    PathBuf::from(p)
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
