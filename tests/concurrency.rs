//! Several clerks at once: 8 processes intaking 25 files each into one file.

mod common;

use std::process::{Command, Stdio};

use common::*;
use serde_json::Value;

#[test]
fn eight_processes_intake_at_once() {
    let reg = Register::new();
    let mut children = Vec::new();
    for p in 0..8 {
        let files: Vec<String> = (0..25)
            .map(|f| {
                reg.write_json(
                    &format!("p{p}-f{f}.json"),
                    &inclusion(&format!("P{p}F{f}S"), 4),
                )
                .display()
                .to_string()
            })
            .collect();
        let child = Command::new(bin())
            .arg("--db")
            .arg(&reg.db)
            .arg("intake")
            .arg("--json")
            .args(&files)
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .unwrap();
        children.push(child);
    }
    let mut numbers = Vec::new();
    for child in children {
        let out = child.wait_with_output().unwrap();
        let err = stderr(&out);
        assert!(!err.contains("locked") && !err.contains("busy"), "{err}");
        assert!(out.status.success(), "{err} {}", stdout(&out));
        let v: Value = serde_json::from_str(&stdout(&out)).unwrap();
        for f in v.as_array().unwrap() {
            assert_eq!(f["errors"], serde_json::json!([]), "{f}");
            numbers.push(f["case"].as_str().unwrap().to_string());
        }
    }
    assert_eq!(numbers.len(), 200);
    let mut distinct = numbers.clone();
    distinct.sort();
    distinct.dedup();
    assert_eq!(distinct.len(), 200, "case numbers are distinct");
    assert_eq!(distinct.first().unwrap(), "ABK-2024-000001");
    assert_eq!(distinct.last().unwrap(), "ABK-2024-000200");
    assert_eq!(reg.count("units"), 800);
    let out = reg.run(&["audit", "verify"]);
    assert!(out.status.success(), "{}", stderr(&out));
}

/// A login without a role is refused before it takes the write lock (issue
/// 16): a local user who stopped the set-ID program inside `BEGIN IMMEDIATE`
/// froze every clerk for the busy timeout (60 s). With another connection
/// holding the write lock, its `intake` and an act (`user add`) are refused
/// at once, each naming the role it lacks.
#[test]
fn a_login_without_a_role_never_waits_for_the_write_lock() {
    use std::os::unix::fs::PermissionsExt;
    use std::time::{Duration, Instant};
    const TEST: &str = "a_login_without_a_role_never_waits_for_the_write_lock";
    if !nix::unistd::getuid().is_root() {
        return skipped(
            TEST,
            "needs root, to run tizilim as `nobody` (a login without a role) through setpriv",
        );
    }
    // Made by this (root) login, its admin; `nobody` holds no role in it.
    let reg = Register::new();
    let app = reg.write_json("a.json", &inclusion("NOROLE", 1));
    let before = reg.count("journal");
    // Another session holds the write lock.
    let holder = rusqlite::Connection::open(&reg.db).unwrap();
    holder.execute_batch("BEGIN IMMEDIATE").unwrap();
    // `nobody` may open and write every file of the register: only the role
    // stands in its way.
    let open = |p: &std::path::Path, mode| {
        if p.exists() {
            std::fs::set_permissions(p, std::fs::Permissions::from_mode(mode)).unwrap();
        }
    };
    open(reg.dir.path(), 0o777);
    for suffix in ["", "-wal", "-shm", ".witness"] {
        let mut p = reg.db.clone().into_os_string();
        p.push(suffix);
        open(std::path::Path::new(&p), 0o666);
    }
    open(&app, 0o644);
    let as_nobody = |args: &[&str]| {
        let started = Instant::now();
        let mut child = Command::new("setpriv")
            .args(["--reuid=65534", "--regid=65534", "--clear-groups", bin()])
            .arg("--db")
            .arg(&reg.db)
            .args(args)
            .env_remove("TIZILIM_DB")
            .env("HOME", reg.dir.path())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .unwrap();
        // Well under the busy timeout; a process still waiting is killed.
        while child.try_wait().unwrap().is_none() {
            if started.elapsed() > Duration::from_secs(20) {
                let _ = child.kill();
                break;
            }
            std::thread::sleep(Duration::from_millis(20));
        }
        let out = child.wait_with_output().unwrap();
        (out, started.elapsed())
    };
    let (o, took) = as_nobody(&["intake", app.to_str().unwrap()]);
    assert!(
        took < Duration::from_secs(10),
        "intake waited {took:?} for the lock"
    );
    assert_eq!(o.status.code(), Some(1), "{}", stderr(&o));
    let e = stderr(&o);
    assert!(
        e.contains("nobody may not register applications") && e.contains("none"),
        "{e}"
    );
    let (o, took) = as_nobody(&["user", "add", "nobody", "--role", "admin"]);
    assert!(
        took < Duration::from_secs(10),
        "user add waited {took:?} for the lock"
    );
    assert_eq!(o.status.code(), Some(1), "{}", stderr(&o));
    assert!(stderr(&o).contains("nobody may not"), "{}", stderr(&o));
    holder.execute_batch("ROLLBACK").unwrap();
    drop(holder);
    assert_eq!(reg.count("journal"), before, "nothing stored");
    assert_eq!(reg.count("cases"), 0);
}
