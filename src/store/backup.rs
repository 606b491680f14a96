//! Backups: an online, consistent copy of the register made with SQLite's
//! backup API while clerks keep working, checked before it is kept, and a
//! check of a copy on its own (`backup verify`). The restore drill is in
//! docs/operations.md.

use std::path::{Path, PathBuf};
use std::time::Duration;

use rusqlite::backup::{Backup, StepResult};
use rusqlite::{Connection, OpenFlags};

use super::{Error, Result, Store, audit};

/// What a backup holds.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct Copy {
    pub file: PathBuf,
    /// The journal's head in the copy: its row number and hash.
    pub head_seq: i64,
    pub head_hash: String,
    pub cases: i64,
    pub bytes: u64,
}

/// Copies the register into `dest`, a new file written as every `--out`
/// file is (`crate::files::NewFile`: mode 0600, never over an existing file
/// or through a link). The copy is one snapshot: SQLite copies every page
/// in one step under a read transaction, which in WAL mode blocks no writer.
/// It is integrity-checked and made self-contained (no write-ahead log)
/// before it takes its name; a failure leaves nothing behind.
pub fn copy_to(store: &Store, dest: &Path) -> Result<Copy> {
    let mut new = crate::files::NewFile::create(dest)?;
    // SQLite opens the scratch file by its name.
    new.close();
    let made = (|| -> Result<Copy> {
        let mut to = Connection::open_with_flags(
            new.scratch(),
            OpenFlags::SQLITE_OPEN_READ_WRITE | OpenFlags::SQLITE_OPEN_NO_MUTEX,
        )?;
        {
            let b = Backup::new(store.conn(), &mut to)?;
            loop {
                match b.step(-1)? {
                    StepResult::Done => break,
                    // Another connection holds a lock SQLite needs: wait.
                    _ => std::thread::sleep(Duration::from_millis(50)),
                }
            }
        }
        // One self-contained file: no write-ahead log beside it.
        to.pragma_update(None, "journal_mode", "DELETE")?;
        let copy = check(&to, dest)?;
        to.close().map_err(|(_, e)| e)?;
        Ok(copy)
    })()?;
    // Synced, and given its name only if nothing has it meanwhile.
    new.publish()?;
    Ok(Copy {
        bytes: std::fs::metadata(dest).map(|m| m.len()).unwrap_or(0),
        ..made
    })
}

/// SQLite's integrity check and the head of a copy.
fn check(conn: &Connection, file: &Path) -> Result<Copy> {
    let lines: Vec<String> = conn
        .prepare("PRAGMA integrity_check(20)")?
        .query_map([], |r| r.get(0))?
        .collect::<rusqlite::Result<_>>()?;
    if lines != ["ok"] {
        return Err(Error::Damaged(file.to_path_buf(), lines.join("; ")));
    }
    let (head_seq, head_hash): (i64, String) = conn.query_row(
        "SELECT seq, hash FROM journal ORDER BY seq DESC LIMIT 1",
        [],
        |r| Ok((r.get(0)?, r.get(1)?)),
    )?;
    let cases: i64 = conn.query_row("SELECT count(*) FROM cases", [], |r| r.get(0))?;
    Ok(Copy {
        file: file.to_path_buf(),
        head_seq,
        head_hash,
        cases,
        bytes: 0,
    })
}

/// Checks a backup on its own: it is a register, SQLite finds it sound, and
/// its journal and read models pass `audit verify`. Returns what it holds.
pub fn verify(file: &Path) -> Result<Copy> {
    let store = Store::open_snapshot(file)?;
    let report = audit::verify(&store)?;
    if let Some(f) = report.finding {
        return Err(Error::Damaged(file.to_path_buf(), f.to_string()));
    }
    let copy = check(store.conn(), file)?;
    Ok(Copy {
        bytes: std::fs::metadata(file).map(|m| m.len()).unwrap_or(0),
        ..copy
    })
}
