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
