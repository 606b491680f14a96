//! Committed acts are never lost without a word (issue 16): a flipped bit in
//! the write-ahead log, a rolled-back file, a damaged index or schema page
//! are each named by `audit verify` (and a damaged register by every
//! command); backups are consistent copies that verify on their own.

mod common;

use std::path::Path;

use common::{Register, inclusion, stderr, stdout};

fn intake(reg: &Register, tag: &str) {
    let f = reg.write_json(&format!("{tag}.json"), &inclusion(tag, 2));
    let o = reg.run(&["intake", f.to_str().unwrap()]);
    assert!(o.status.success(), "{}", stderr(&o));
}

/// `audit verify` of the register at `db`, as `reg`'s admin.
fn audit(reg: &Register, db: &Path) -> std::process::Output {
    audit_with(reg, db, &[])
}

fn audit_with(reg: &Register, db: &Path, args: &[&str]) -> std::process::Output {
    std::process::Command::new(common::bin())
        .args(["--db", db.to_str().unwrap(), "audit", "verify"])
        .args(args)
        .env_remove("TIZILIM_DB")
        .env_remove("TIZILIM_WITNESS")
        .env("HOME", reg.dir.path())
        .output()
        .unwrap()
}

const WAL_HEADER: usize = 32;
const FRAME_HEADER: usize = 24;

#[test]
fn a_flipped_bit_in_the_write_ahead_log_fails_audit_verify() {
    let reg = Register::new();
    // Held open, so that the write-ahead log is not checkpointed away when
    // each intake's process ends.
    let hold = reg.sql();
    hold.query_row("SELECT count(*) FROM journal", [], |r| r.get::<_, i64>(0))
        .unwrap();
    for i in 0..12 {
        intake(&reg, &format!("WAL{i:02}"));
    }
    let wal = std::fs::read(reg.db.with_extension("sqlite-wal")).unwrap();
    let page = u32::from_be_bytes(wal[8..12].try_into().unwrap()) as usize;
    let frames = (wal.len() - WAL_HEADER) / (FRAME_HEADER + page);
    assert!(frames > 10, "{frames} frames in the log");
    // A copy of the register as it is on disk now: file, log and witness.
    let copy = reg.dir.path().join("copy");
    std::fs::create_dir(&copy).unwrap();
    let db = copy.join("register.sqlite");
    std::fs::copy(&reg.db, &db).unwrap();
    let mut flipped = wal.clone();
    let frame = frames / 2;
    flipped[WAL_HEADER + frame * (FRAME_HEADER + page) + FRAME_HEADER + page / 2] ^= 0x10;
    std::fs::write(copy.join("register.sqlite-wal"), &flipped).unwrap();
    std::fs::copy(
        reg.db.with_extension("sqlite.witness"),
        copy.join("register.sqlite.witness"),
    )
    .unwrap();
    drop(hold);
    // SQLite's recovery silently drops every commit after the bad frame; the
    // witness outside the file says so.
    let o = audit(&reg, &db);
    assert_eq!(o.status.code(), Some(1), "{}", stdout(&o));
    let err = stderr(&o);
    assert!(err.contains("behind its witness"), "{err}");
    assert!(err.contains("act(s) missing"), "{err}");
    // The original, with its good log, still verifies.
    let o = audit(&reg, &reg.db);
    assert!(o.status.success(), "{}", stderr(&o));
    assert!(stdout(&o).contains("witness saw row"), "{}", stdout(&o));
}

#[test]
fn a_register_rolled_back_to_an_older_copy_fails_audit_verify() {
    let reg = Register::new();
    intake(&reg, "OLD");
    let older = reg.dir.path().join("older.sqlite");
    let o = reg.run(&["backup", "--out", older.to_str().unwrap()]);
    assert!(o.status.success(), "{}", stderr(&o));
    intake(&reg, "NEW1");
    intake(&reg, "NEW2");
    // The register file is replaced by the older copy; its witness stays.
    std::fs::copy(&older, &reg.db).unwrap();
    let _ = std::fs::remove_file(reg.db.with_extension("sqlite-wal"));
    let _ = std::fs::remove_file(reg.db.with_extension("sqlite-shm"));
    let o = audit(&reg, &reg.db);
    assert_eq!(o.status.code(), Some(1));
    let err = stderr(&o);
    assert!(err.contains("2 act(s) missing"), "{err}");
    assert!(err.contains("the witness last saw journal row"), "{err}");
}

/// The page number of a table's or an index's root.
fn root_page(db: &Path, name: &str) -> (usize, usize) {
    let c = rusqlite::Connection::open(db).unwrap();
    c.pragma_update(None, "wal_checkpoint", "TRUNCATE").unwrap();
    let root: i64 = c
        .query_row(
            "SELECT rootpage FROM sqlite_master WHERE name = ?1",
            [name],
            |r| r.get(0),
        )
        .unwrap();
    let size: i64 = c.query_row("PRAGMA page_size", [], |r| r.get(0)).unwrap();
    (root as usize, size as usize)
}

fn overwrite_page(db: &Path, page: usize, size: usize, from: usize) {
    let mut bytes = std::fs::read(db).unwrap();
    let start = (page - 1) * size + from;
    let mut x: u32 = 0x9E37_79B9;
    for b in &mut bytes[start..page * size] {
        x ^= x << 13;
        x ^= x >> 17;
        x ^= x << 5;
        *b = x as u8;
    }
    std::fs::write(db, bytes).unwrap();
}

#[test]
fn a_damaged_index_page_fails_audit_verify() {
    let reg = Register::new();
    for i in 0..4 {
        intake(&reg, &format!("IDX{i}"));
    }
    let (page, size) = root_page(&reg.db, "units_serial");
    overwrite_page(&reg.db, page, size, 0);
    let o = audit(&reg, &reg.db);
    assert_eq!(o.status.code(), Some(1), "{}", stdout(&o));
    assert!(stderr(&o).contains("damaged"), "{}", stderr(&o));
}

/// Every page sound, but an index that no longer holds its table's rows
/// (here: redefined over another column): SQLite's quick check, the
/// default, reads every page and passes it; `--full` compares each index
/// entry with its row and names the index (issue 18: what each finds).
#[test]
fn an_index_out_of_step_with_its_table_is_found_by_the_full_check() {
    let reg = Register::new();
    for i in 0..3 {
        intake(&reg, &format!("FULL{i}"));
    }
    {
        let c = reg.sql();
        c.pragma_update(None, "wal_checkpoint", "TRUNCATE").unwrap();
        c.execute_batch(
            "PRAGMA writable_schema = ON;
             UPDATE sqlite_master SET sql = 'CREATE INDEX units_serial ON units (model)'
              WHERE name = 'units_serial';
             PRAGMA writable_schema = OFF;",
        )
        .unwrap();
    }
    let o = audit(&reg, &reg.db);
    assert!(o.status.success(), "{}", stderr(&o));
    let o = audit_with(&reg, &reg.db, &["--full"]);
    assert_eq!(o.status.code(), Some(1), "{}", stdout(&o));
    let err = stderr(&o);
    assert!(err.contains("damaged"), "{err}");
    assert!(err.contains("units_serial"), "{err}");
}

#[test]
fn a_damaged_schema_page_is_named_damaged_not_read_only() {
    let reg = Register::new();
    intake(&reg, "SCH");
    let (_, size) = root_page(&reg.db, "units_serial");
    // Page 1 holds the schema after the file's 100-byte header.
    overwrite_page(&reg.db, 1, size, 100);
    for args in [vec!["case", "list"], vec!["audit", "verify"]] {
        let o = reg.run(&args);
        assert_eq!(o.status.code(), Some(1), "{args:?}");
        let err = stderr(&o);
        assert!(
            err.contains("damaged") || err.contains("not a tizilim register"),
            "{args:?}: {err}"
        );
        assert!(!err.contains("read-only"), "{args:?}: {err}");
    }
}

#[test]
fn a_backup_taken_under_load_verifies() {
    let reg = Register::new();
    intake(&reg, "BASE");
    // Writers keep registering while the backup runs.
    let writers: Vec<_> = (0..3)
        .map(|w| {
            let files: Vec<_> = (0..6)
                .map(|i| {
                    reg.write_json(
                        &format!("load{w}-{i}.json"),
                        &inclusion(&format!("LD{w}X{i:02}"), 3),
                    )
                })
                .collect();
            let mut cmd = reg.command();
            cmd.arg("intake").args(&files);
            std::thread::spawn(move || cmd.output().unwrap())
        })
        .collect();
    let out = reg.dir.path().join("backup.sqlite");
    let o = reg.run(&["backup", "--out", out.to_str().unwrap(), "--json"]);
    assert!(o.status.success(), "{}", stderr(&o));
    let made: serde_json::Value = serde_json::from_str(&stdout(&o)).unwrap();
    for w in writers {
        let o = w.join().unwrap();
        assert!(o.status.success(), "{}", stderr(&o));
    }
    use std::os::unix::fs::PermissionsExt;
    let mode = std::fs::metadata(&out).unwrap().permissions().mode() & 0o777;
    assert_eq!(mode, 0o600, "a backup is the admin's alone");
    // No log beside it, and nothing left of the scratch file.
    let names: Vec<String> = std::fs::read_dir(reg.dir.path())
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|n| n.starts_with("backup"))
        .collect();
    assert_eq!(names, ["backup.sqlite"]);
    let o = reg.run(&["backup", "verify", out.to_str().unwrap(), "--json"]);
    assert!(o.status.success(), "{}", stderr(&o));
    let checked: serde_json::Value = serde_json::from_str(&stdout(&o)).unwrap();
    assert_eq!(checked["head_seq"], made["head_seq"]);
    assert_eq!(checked["head_hash"], made["head_hash"]);
    assert!(made["cases"].as_i64().unwrap() >= 1);
    // Never over an existing file.
    let o = reg.run(&["backup", "--out", out.to_str().unwrap()]);
    assert_eq!(o.status.code(), Some(1));
    assert!(stderr(&o).contains("never overwrites"), "{}", stderr(&o));
    // A damaged backup fails its check.
    let (page, size) = root_page(&out, "units_serial");
    overwrite_page(&out, page, size, 0);
    let o = reg.run(&["backup", "verify", out.to_str().unwrap()]);
    assert_eq!(o.status.code(), Some(1));
    assert!(stderr(&o).contains("damaged"), "{}", stderr(&o));
    // Restored, a backup is a working register again.
    let restored = reg.dir.path().join("restored.sqlite");
    let good = reg.dir.path().join("good.sqlite");
    assert!(
        reg.run(&["backup", "--out", good.to_str().unwrap()])
            .status
            .success()
    );
    std::fs::copy(&good, &restored).unwrap();
    let o = audit(&reg, &restored);
    assert!(o.status.success(), "{}", stderr(&o));
}

#[test]
fn backups_are_the_admins_and_need_a_file() {
    let reg = Register::new();
    let o = reg.run(&["backup"]);
    assert_eq!(o.status.code(), Some(2), "{}", stderr(&o));
    assert!(stderr(&o).contains("--out"), "{}", stderr(&o));
}
