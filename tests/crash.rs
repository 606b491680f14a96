//! A child killed with SIGKILL in the middle of a large intake leaves a
//! register that opens, passes `integrity_check`, verifies, and holds whole
//! applications only.

mod common;

use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use common::*;

#[test]
fn sigkill_mid_intake_leaves_whole_applications() {
    let reg = Register::new();
    let files: Vec<String> = (0..400)
        .map(|f| {
            reg.write_json(&format!("f{f}.json"), &inclusion(&format!("K{f}S"), 200))
                .display()
                .to_string()
        })
        .collect();
    let mut child = Command::new(bin())
        .arg("--db")
        .arg(&reg.db)
        .arg("intake")
        .args(&files)
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    // Wait until some, not all, applications are in, then kill.
    let started = Instant::now();
    loop {
        std::thread::sleep(Duration::from_millis(20));
        let n: i64 = rusqlite::Connection::open(&reg.db)
            .and_then(|c| c.query_row("SELECT count(*) FROM cases", [], |r| r.get(0)))
            .unwrap_or(0);
        if n >= 20 || started.elapsed() > Duration::from_secs(60) {
            break;
        }
    }
    child.kill().unwrap(); // SIGKILL
    child.wait().unwrap();
    let conn = reg.sql();
    let integrity: String = conn
        .query_row("PRAGMA integrity_check", [], |r| r.get(0))
        .unwrap();
    assert_eq!(integrity, "ok");
    let cases: i64 = conn
        .query_row("SELECT count(*) FROM cases", [], |r| r.get(0))
        .unwrap();
    assert!(cases > 0 && cases < 400, "killed mid-way: {cases} cases");
    let partial: i64 = conn
        .query_row("SELECT count(*) FROM (SELECT case_id FROM units GROUP BY case_id HAVING count(*) <> 200)", [], |r| r.get(0))
        .unwrap();
    assert_eq!(partial, 0, "every stored application is whole");
    let units: i64 = conn
        .query_row("SELECT count(*) FROM units", [], |r| r.get(0))
        .unwrap();
    assert_eq!(units, cases * 200);
    drop(conn);
    let out = reg.run(&["audit", "verify"]);
    assert!(out.status.success(), "{}", stderr(&out));
}
