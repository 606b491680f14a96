//! Helpers shared by the integration tests: a temporary register, the
//! binary, and a valid portal application to mutate.
#![allow(dead_code)]

pub mod engines;
pub mod fixture;
pub mod pg;
pub mod pty;

use std::path::PathBuf;
use std::process::{Command, Output};

use serde_json::{Value, json};
use tizilim::rules::ids::with_check_digit;

/// The IIN the test register's admin and certificate carry (synthetic, valid).
pub const ADMIN_IIN: &str = "880101300123";

/// The login the tests run as (`id -un`).
pub fn os_login() -> String {
    let out = Command::new("id").arg("-un").output().unwrap();
    String::from_utf8(out.stdout).unwrap().trim().to_string()
}

pub fn bin() -> &'static str {
    env!("CARGO_BIN_EXE_tizilim")
}

pub struct Register {
    pub dir: tempfile::TempDir,
    pub db: PathBuf,
}

impl Register {
    pub fn new() -> Register {
        let dir = tempfile::tempdir().unwrap();
        let db = dir.path().join("register.sqlite");
        let out = Command::new(bin())
            .arg("--db")
            .arg(&db)
            .arg("init")
            .output()
            .unwrap();
        assert!(
            out.status.success(),
            "init: {}",
            String::from_utf8_lossy(&out.stderr)
        );
        std::fs::write(dir.path().join("passphrase"), "correct horse battery\n").unwrap();
        let reg = Register { dir, db };
        // A TEST certifying centre as the trust store, the admin's IIN, a
        // TEST certificate in the admin's own .p12, registered.
        let me = os_login();
        let trust = reg.trust();
        for args in [
            vec!["user", "set", me.as_str(), "--iin", ADMIN_IIN],
            vec!["key", "test-ca", trust.to_str().unwrap()],
            vec![
                "key",
                "test-certificate",
                "--iin",
                ADMIN_IIN,
                "--name",
                "Dana Seitkali",
                "--out",
                reg.p12().to_str().unwrap(),
            ],
            vec![
                "key",
                "import",
                reg.p12().to_str().unwrap(),
                "--name",
                "Dana Seitkali",
                "--position",
                "head",
            ],
        ] {
            let out = reg.run(&args);
            assert!(out.status.success(), "{args:?}: {}", stderr(&out));
        }
        reg
    }

    /// The test's trust store.
    pub fn trust(&self) -> PathBuf {
        self.dir.path().join("trust")
    }

    /// The admin's .p12.
    pub fn p12(&self) -> PathBuf {
        self.dir.path().join("dana.p12")
    }

    /// The binary, as this register's admin would run it (HOME and the
    /// passphrase file are the test's own).
    pub fn command(&self) -> Command {
        let mut c = Command::new(bin());
        c.arg("--db")
            .arg(&self.db)
            .env_remove("TIZILIM_DB")
            .env("HOME", self.dir.path())
            .env(
                "TIZILIM_PASSPHRASE_FILE",
                self.dir.path().join("passphrase"),
            )
            .env("TIZILIM_TRUST_DIR", self.trust())
            .env_remove("TIZILIM_TSA_URL");
        c
    }

    pub fn run(&self, args: &[&str]) -> Output {
        self.command().args(args).output().unwrap()
    }

    pub fn write(&self, name: &str, bytes: &[u8]) -> PathBuf {
        let p = self.dir.path().join(name);
        std::fs::write(&p, bytes).unwrap();
        p
    }

    pub fn write_json(&self, name: &str, v: &Value) -> PathBuf {
        self.write(name, serde_json::to_string_pretty(v).unwrap().as_bytes())
    }

    pub fn sql(&self) -> rusqlite::Connection {
        rusqlite::Connection::open(&self.db).unwrap()
    }

    pub fn count(&self, table: &str) -> i64 {
        self.sql()
            .query_row(&format!("SELECT count(*) FROM {table}"), [], |r| r.get(0))
            .unwrap()
    }
}

pub fn stdout(o: &Output) -> String {
    String::from_utf8_lossy(&o.stdout).into_owned()
}

pub fn stderr(o: &Output) -> String {
    String::from_utf8_lossy(&o.stderr).into_owned()
}

fn digits(s: &str) -> [u8; 11] {
    let v: Vec<u8> = s.bytes().map(|b| b - b'0').collect();
    v.try_into().unwrap()
}

/// A synthetic BIN (legal entity registered May 2021) with serial `n`.
pub fn bin_number(n: u32) -> String {
    (0..)
        .find_map(|k| with_check_digit(&digits(&format!("210540{:05}", (n + k) % 100_000))))
        .unwrap()
}

/// A valid inclusion application with `units` units, serials prefixed by `tag`.
pub fn inclusion(tag: &str, units: usize) -> Value {
    let units: Vec<Value> = (0..units)
        .map(|i| {
            json!({"brand": "Bitmain", "model": "Antminer S19j Pro", "serial": format!("{tag}{i:06}"),
                   "hashrate_ths": 104.0, "power_kw": 3.07, "declaration_no": "10228110823/7603119",
                   "condition": "serviceable"})
        })
        .collect();
    json!({
        "kind": "inclusion",
        "channel": "portal",
        "received_at": "2024-03-20T19:05:00+05:00",
        "applicant": {
            "name": "Ekibastuz Compute LLP",
            "bin_iin": bin_number(17),
            "legal_address": "Ekibastuz, Satpayev st. 12",
            "phone": "+7 701 123 45 67",
            "email": "office@example.kz",
            "personal_data_consent": true
        },
        "data_center": "Pavlodar region, Ekibastuz, industrial zone 4",
        "tn_ved_code": "8471 50 000 0",
        "units": units,
        "documents": [{"kind": "ownership_proof", "name": "lease-2024-17.pdf", "valid_until": "2026-12-31"}]
    })
}

/// Sets a value at a JSON path like `applicant.bin_iin` or `units[1].serial`
/// (`None` removes it).
pub fn set(v: &mut Value, path: &str, new: Option<Value>) {
    let mut cur = v;
    let parts: Vec<&str> = path.split('.').collect();
    for (i, part) in parts.iter().enumerate() {
        let (key, index) = match part.split_once('[') {
            Some((k, rest)) => (
                k,
                Some(rest.trim_end_matches(']').parse::<usize>().unwrap()),
            ),
            None => (*part, None),
        };
        let last = i == parts.len() - 1;
        if last && index.is_none() {
            let obj = cur.as_object_mut().unwrap();
            match new {
                Some(n) => obj.insert(key.to_string(), n),
                None => obj.remove(key),
            };
            return;
        }
        cur = &mut cur[key];
        if let Some(ix) = index {
            if last {
                cur[ix] = new.unwrap_or(Value::Null);
                return;
            }
            cur = &mut cur[ix];
        }
    }
}

/// A test that cannot run here because a part of the system is missing
/// (`why` names it and how to install it) never passes for having not run:
/// it fails, with the hint, unless `TIZILIM_ALLOW_SKIP=1` is set, when it
/// prints `SKIPPED: <test>: <why>` on stderr and the test returns
/// (`return common::skipped(…)`). `.ci/run` installs what these tests need.
pub fn skipped(test: &str, why: &str) {
    if std::env::var_os("TIZILIM_ALLOW_SKIP").is_some_and(|v| v == "1") {
        eprintln!("SKIPPED: {test}: {why}");
        return;
    }
    panic!(
        "{test} cannot run: {why} (or set TIZILIM_ALLOW_SKIP=1 to skip it, reported as SKIPPED)"
    );
}

/// A drawn screen as text, one line a row, trailing blanks cut.
pub fn buffer_text(b: &ratatui::buffer::Buffer) -> String {
    let mut s = String::new();
    for y in 0..b.area.height {
        let mut line = String::new();
        for x in 0..b.area.width {
            line.push_str(b[(x, y)].symbol());
        }
        s.push_str(line.trim_end());
        s.push('\n');
    }
    s
}
