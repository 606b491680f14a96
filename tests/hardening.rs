//! Issue 11: the edges a hostile probe and a first-time user found, each as a
//! class with several variants.

mod common;

use common::*;
use serde_json::{Value, json};

fn intake_json(reg: &Register, files: &[&std::path::Path]) -> (i32, Value) {
    let mut args = vec!["intake", "--json"];
    let paths: Vec<String> = files.iter().map(|p| p.display().to_string()).collect();
    args.extend(paths.iter().map(|s| s.as_str()));
    let out = reg.run(&args);
    let v: Value = serde_json::from_str(&stdout(&out))
        .unwrap_or_else(|e| panic!("{e}: {} / {}", stdout(&out), stderr(&out)));
    (out.status.code().unwrap(), v)
}

/// Pretty JSON of `v` with `"key": …` of `field` repeated right after itself.
fn with_repeated_key(v: &Value, parent: &str, key: &str, second: &str) -> String {
    let text = serde_json::to_string_pretty(v).unwrap();
    if parent == "{" {
        return text.replacen('{', &format!("{{\"{key}\": {second},"), 1);
    }
    let needle = format!("\"{key}\": ");
    // The first occurrence after the parent's opening.
    let start = text.find(parent).unwrap_or(0);
    let at = start + text[start..].find(&needle).unwrap();
    let mut out = text.clone();
    out.insert_str(at, &format!("\"{key}\": {second},\n"));
    out
}

#[test]
fn duplicate_keys_are_refused_naming_the_key() {
    let reg = Register::new();
    let app = inclusion("DUP", 2);
    let cases = [
        // (parent marker, key, the first value, the field named)
        (
            "\"applicant\"",
            "personal_data_consent",
            "false",
            "applicant.personal_data_consent",
        ),
        ("{", "kind", "\"exclusion\"", "kind"),
        ("\"units\"", "serial", "\"OTHER1\"", "units[0].serial"),
        ("\"documents\"", "kind", "\"other\"", "documents[0].kind"),
        ("{", "received_at", "\"2024-03-20T10:00:00\"", "received_at"),
    ];
    for (parent, key, first, field) in cases {
        let text = with_repeated_key(&app, parent, key, first);
        let f = reg.write("dup.json", text.as_bytes());
        let (code, v) = intake_json(&reg, &[&f]);
        assert_eq!(code, 1, "{field}: {v}");
        assert_eq!(v[0]["errors"][0]["field"], field, "{v}");
        assert!(
            v[0]["errors"][0]["message"]
                .as_str()
                .unwrap()
                .contains("twice"),
            "{v}"
        );
    }
    // The same key spelt with a JSON escape is the same key.
    let text = serde_json::to_string_pretty(&app).unwrap();
    let text = text.replacen('{', "{\"\\u006bind\": \"inclusion\",", 1);
    let f = reg.write("esc.json", text.as_bytes());
    let (code, v) = intake_json(&reg, &[&f]);
    assert_eq!(
        (code, v[0]["errors"][0]["field"].as_str()),
        (1, Some("kind")),
        "{v}"
    );
    assert_eq!(reg.count("cases"), 0);
    // Only the register's creation, the admin's IIN and certificate: nothing
    // from the files.
    assert_eq!(reg.count("journal"), 3);
}

#[test]
fn serials_have_one_canonical_form_and_look_alikes_are_refused() {
    let reg = Register::new();
    // Folded: case and fullwidth forms; stored in the canonical form.
    let mut app = inclusion("CANON", 3);
    set(&mut app, "units[0].serial", Some(json!("jyzz-0001/a")));
    set(&mut app, "units[1].serial", Some(json!("ＪＹＺＺ００２")));
    let f = reg.write_json("fold.json", &app);
    let (code, v) = intake_json(&reg, &[&f]);
    assert_eq!(code, 0, "{v}");
    let serials: Vec<String> = reg
        .sql()
        .prepare("SELECT serial FROM units ORDER BY idx")
        .unwrap()
        .query_map([], |r| r.get(0))
        .unwrap()
        .map(Result::unwrap)
        .collect();
    assert_eq!(serials, ["JYZZ-0001/A", "JYZZ002", "CANON000002"]);
    // Two spellings of one serial in one application repeat each other.
    for (a, b) in [("abc1", "ABC1"), ("ＡＢＣ1", "abc1"), ("x-1", "X-1")] {
        let mut app = inclusion("REP", 2);
        set(&mut app, "units[0].serial", Some(json!(a)));
        set(&mut app, "units[1].serial", Some(json!(b)));
        let f = reg.write_json("rep.json", &app);
        let (code, v) = intake_json(&reg, &[&f]);
        assert_eq!(code, 1, "{a} {b}: {v}");
        assert_eq!(v[0]["errors"][0]["field"], "units[1].serial");
        assert!(
            v[0]["errors"][0]["message"]
                .as_str()
                .unwrap()
                .contains("repeats units[0].serial")
        );
    }
    // Look-alikes from other scripts are refused, naming the field and the character.
    for (serial, word) in [
        ("\u{0410}BC123", "Cyrillic"),
        ("ABC12\u{0417}", "Cyrillic"),
        ("\u{0391}BC123", "Greek"),
        ("ABC\u{0663}", "digit of another script"),
        ("ABC\u{09E9}", "digit of another script"),
        ("ABC\u{2010}1", "dash"),
        ("ABC 1", "space"),
    ] {
        let mut app = inclusion("LOOK", 3);
        set(&mut app, "units[2].serial", Some(json!(serial)));
        let f = reg.write_json("look.json", &app);
        let (code, v) = intake_json(&reg, &[&f]);
        assert_eq!(code, 1, "{serial}");
        let e = &v[0]["errors"][0];
        assert_eq!(e["field"], "units[2].serial", "{v}");
        assert!(
            e["message"].as_str().unwrap().contains(word),
            "{serial}: {e}"
        );
    }
    assert_eq!(reg.count("cases"), 1);
}

#[test]
fn a_resubmitted_application_answers_with_its_case_and_stores_nothing() {
    let reg = Register::new();
    let app = inclusion("RES", 2);
    let f = reg.write_json("a.json", &app);
    let (code, v) = intake_json(&reg, &[&f]);
    assert_eq!((code, v[0]["case"].as_str()), (0, Some("ABK-2024-000001")));
    let journal = reg.count("journal");
    // The same file; the same content spelt differently (compact, keys
    // reordered, serials in lower case, phone formatted otherwise); twice in
    // one batch; and through standard input.
    let compact = reg.write("b.json", serde_json::to_string(&app).unwrap().as_bytes());
    let mut spelt = app.clone();
    set(&mut spelt, "units[0].serial", Some(json!("res000000")));
    set(&mut spelt, "applicant.phone", Some(json!("87011234567")));
    set(&mut spelt, "tn_ved_code", Some(json!("8471500000")));
    let spelt = reg.write_json("c.json", &spelt);
    let (code, v) = intake_json(&reg, &[&f, &compact, &spelt, &f]);
    assert_eq!(code, 0, "{v}");
    for o in v.as_array().unwrap() {
        assert_eq!(o["case"], "ABK-2024-000001", "{o}");
        assert_eq!(o["status"], "resubmission", "{o}");
    }
    let out = std::process::Command::new(bin())
        .args(["--db", reg.db.to_str().unwrap(), "intake", "-"])
        .stdin(std::fs::File::open(&f).unwrap())
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(0));
    assert!(
        stdout(&out).contains("already registered as ABK-2024-000001"),
        "{}",
        stdout(&out)
    );
    assert_eq!(reg.count("cases"), 1);
    assert_eq!(
        reg.count("journal"),
        journal,
        "a resubmission journals nothing"
    );
    // A different application is a new case.
    let mut other = app.clone();
    set(&mut other, "units[1].serial", Some(json!("RES999999")));
    let other = reg.write_json("d.json", &other);
    let (_, v) = intake_json(&reg, &[&other]);
    assert_eq!(v[0]["case"], "ABK-2024-000002");

    // The portal's request number: the same number is the same request…
    let mut r1 = inclusion("REQ", 1);
    set(&mut r1, "request_no", Some(json!("EGOV-2024-77")));
    let f1 = reg.write_json("r1.json", &r1);
    let (_, v) = intake_json(&reg, &[&f1, &f1]);
    assert_eq!(v[0]["case"], "ABK-2024-000003");
    assert_eq!(
        (v[1]["case"].as_str(), v[1]["status"].as_str()),
        (Some("ABK-2024-000003"), Some("resubmission"))
    );
    // …and different content under it is refused, naming the field.
    let mut r2 = r1.clone();
    set(&mut r2, "units[0].power_kw", Some(json!(3.5)));
    let f2 = reg.write_json("r2.json", &r2);
    let (code, v) = intake_json(&reg, &[&f2]);
    assert_eq!(
        (code, v[0]["errors"][0]["field"].as_str()),
        (1, Some("request_no")),
        "{v}"
    );
    // A new request number is a new request.
    set(&mut r2, "request_no", Some(json!("EGOV-2024-78")));
    let f3 = reg.write_json("r3.json", &r2);
    let (code, v) = intake_json(&reg, &[&f3]);
    assert_eq!((code, v[0]["case"].as_str()), (0, Some("ABK-2024-000004")));
    assert_eq!(reg.count("cases"), 4);
    let audit = reg.run(&["audit", "verify"]);
    assert!(audit.status.success(), "{}", stderr(&audit));
}

#[test]
fn intake_tells_an_incomplete_package_and_serials_of_another_miner() {
    let reg = Register::new();
    let mut app = inclusion("INC", 1);
    set(&mut app, "documents", None);
    let f = reg.write_json("a.json", &app);
    let out = reg.run(&["intake", f.to_str().unwrap()]);
    // Received Wed 20 March 2024 19:05, registered Tue 26 March; §9: 2 working days.
    assert!(
        stdout(&out).contains(
            "registered as ABK-2024-000001; incomplete: missing ownership_proof — §9 refusal due 28.03.2024"
        ),
        "{}",
        stdout(&out)
    );
    // Expired proof says what expired.
    let mut expired = inclusion("EXP", 1);
    set(
        &mut expired,
        "documents[0].valid_until",
        Some(json!("2024-01-31")),
    );
    let f = reg.write_json("b.json", &expired);
    let (_, v) = intake_json(&reg, &[&f]);
    assert_eq!(v[0]["incomplete"]["refusal_due"], "2024-03-28", "{v}");
    assert_eq!(v[0]["incomplete"]["rule"], "§9");
    // What is missing, as a code (issue 21): the kind and the expiry day.
    assert_eq!(
        v[0]["incomplete"]["missing"][0], "ownership_proof:expired:2024-01-31",
        "{v}"
    );
    // A complete package says nothing of the sort.
    let f = reg.write_json("c.json", &inclusion("CPL", 1));
    let (_, v) = intake_json(&reg, &[&f]);
    assert!(v[0].get("incomplete").is_none(), "{v}");

    // Another miner applies for serials the first one holds (pending), in another spelling.
    let mut theirs = inclusion("CPL", 2);
    set(
        &mut theirs,
        "applicant.bin_iin",
        Some(json!(bin_number(4242))),
    );
    set(&mut theirs, "units[1].serial", Some(json!("cpl000000")));
    set(&mut theirs, "units[0].serial", Some(json!("NEW0001")));
    let f = reg.write_json("d.json", &theirs);
    let (code, v) = intake_json(&reg, &[&f]);
    assert_eq!(code, 0, "{v}");
    let c = &v[0]["conflicts"];
    assert_eq!(c.as_array().unwrap().len(), 1, "{v}");
    assert_eq!(c[0]["field"], "units[1].serial");
    assert_eq!(c[0]["serial"], "CPL000000");
    assert_eq!(c[0]["case"], "ABK-2024-000003");
    // Included in the register: the text line says so with the entry number.
    reg.sql()
        .execute(
            "UPDATE units SET status = 'included', entry_no = 7 WHERE serial = 'INC000000'",
            [],
        )
        .unwrap();
    let mut again = inclusion("INC", 1);
    set(
        &mut again,
        "applicant.bin_iin",
        Some(json!(bin_number(999))),
    );
    let f = reg.write_json("e.json", &again);
    let out = reg.run(&["intake", f.to_str().unwrap()]);
    assert!(
        stdout(&out).contains("warning: units[0].serial: INC000000 is already in the register for another miner (entry 7, ABK-2024-000001"),
        "{}",
        stdout(&out)
    );
    // The same miner's own serials are no conflict.
    let mut own = inclusion("EXP", 1);
    set(&mut own, "received_at", Some(json!("2024-03-21T10:00:00")));
    let f = reg.write_json("f.json", &own);
    let (_, v) = intake_json(&reg, &[&f]);
    assert!(v[0].get("conflicts").is_none(), "{v}");
}

#[test]
fn what_is_not_a_regular_file_is_refused_without_blocking() {
    let reg = Register::new();
    let fifo = reg.dir.path().join("fifo.json");
    assert!(
        std::process::Command::new("mkfifo")
            .arg(&fifo)
            .status()
            .unwrap()
            .success()
    );
    let started = std::time::Instant::now();
    for (path, word) in [
        (fifo.clone(), "FIFO"),
        (reg.dir.path().to_path_buf(), "directory"),
        (std::path::PathBuf::from("/dev/null"), "device"),
        (std::path::PathBuf::from("/dev/zero"), "device"),
    ] {
        let (code, v) = intake_json(&reg, &[&path]);
        assert_eq!(code, 1);
        assert_eq!(v[0]["errors"][0]["field"], "$");
        assert!(
            v[0]["errors"][0]["message"]
                .as_str()
                .unwrap()
                .contains(word),
            "{v}"
        );
    }
    assert!(started.elapsed() < std::time::Duration::from_secs(20));
    assert_eq!(reg.count("cases"), 0);
}

/// Runs intake with stdout on `stdout` and returns (code, stderr).
fn intake_to(reg: &Register, args: &[&str], stdout: std::process::Stdio) -> (i32, String) {
    let out = std::process::Command::new(bin())
        .args(["--db", reg.db.to_str().unwrap()])
        .args(args)
        .stdout(stdout)
        .stderr(std::process::Stdio::piped())
        .output()
        .unwrap();
    (out.status.code().unwrap_or(-1), stderr(&out))
}

#[test]
fn a_failed_write_to_stdout_is_an_output_error_and_stores_nothing_unreported() {
    let reg = Register::new();
    let a = reg.write_json("a.json", &inclusion("OUTA", 1));
    let b = reg.write_json("b.json", &inclusion("OUTB", 1));
    // A full disk (/dev/full): nothing told, nothing stored.
    for json in [false, true] {
        let mut args = vec!["intake", a.to_str().unwrap(), b.to_str().unwrap()];
        if json {
            args.push("--json");
        }
        let full = std::fs::OpenOptions::new()
            .write(true)
            .open("/dev/full")
            .unwrap();
        let (code, err) = intake_to(&reg, &args, full.into());
        assert_eq!(code, 4, "an output error exits 4: {err}");
        assert!(err.contains("output error"), "{err}");
        assert!(!err.contains("inconsistent"), "{err}");
        assert!(err.contains("was not stored"), "{err}");
        assert_eq!(reg.count("cases"), 0, "{err}");
    }
    // A closed pipe: the same.
    let (r, w) = std::io::pipe().unwrap();
    drop(r);
    let (code, err) = intake_to(&reg, &["intake", a.to_str().unwrap()], w.into());
    assert_eq!(code, 4);
    assert!(
        err.contains("output error") && err.contains("roken pipe"),
        "{err}"
    );
    assert_eq!(reg.count("cases"), 0);
    // `intake a b c | head -1`: every stored case was written before head went away.
    let c = reg.write_json("c.json", &inclusion("OUTC", 1));
    let sh = format!(
        "{} --db {} intake {} {} {} | head -1",
        bin(),
        reg.db.display(),
        a.display(),
        b.display(),
        c.display()
    );
    let out = std::process::Command::new("sh")
        .arg("-c")
        .arg(&sh)
        .output()
        .unwrap();
    assert!(
        stdout(&out).contains("registered as ABK-2024-000001"),
        "{}",
        stdout(&out)
    );
    let stored = reg.count("cases");
    assert!(stored >= 1);
    // What stderr says was not stored is exactly what is missing.
    let err = stderr(&out);
    if stored < 3 {
        assert!(err.contains("was not stored"), "{err}");
        let after: i64 = err
            .split("nor the ")
            .nth(1)
            .map_or(0, |t| t.split(' ').next().unwrap().parse().unwrap());
        assert_eq!(stored, 3 - 1 - after, "{err}");
    } else {
        assert!(!err.contains("not stored"), "{err}");
    }
    // Export and deadlines: an output error, not "inconsistent".
    for args in [
        vec!["register", "export"],
        vec!["register", "export", "--format", "json"],
        vec!["deadlines", "--at", "2024-03-27T10:00:00"],
        vec!["user", "list"],
    ] {
        let full = std::fs::OpenOptions::new()
            .write(true)
            .open("/dev/full")
            .unwrap();
        let (code, err) = intake_to(&reg, &args, full.into());
        if code != 0 {
            assert!(err.contains("output error"), "{args:?}: {err}");
            assert!(!err.contains("inconsistent"), "{args:?}: {err}");
        }
    }
    let audit = reg.run(&["audit", "verify"]);
    assert!(audit.status.success(), "{}", stderr(&audit));
}

#[test]
fn a_read_piped_into_head_ends_quietly() {
    // A register whose export is far larger than a pipe's buffer, so the
    // reader's going away is a broken pipe, not an output already written.
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("big.sqlite");
    let demo = std::process::Command::new(bin())
        .args([
            "--db",
            db.to_str().unwrap(),
            "demo",
            "--cases",
            "120",
            "--units",
            "1500",
        ])
        .args(["--at", "2025-11-27T11:00:00+05:00"])
        .env("HOME", dir.path())
        .output()
        .unwrap();
    assert!(demo.status.success(), "{}", stderr(&demo));
    for args in [
        "register export",
        "register export --format json",
        "case list",
    ] {
        let sh = format!(
            "{} --db {} {args} | head -c 1 >/dev/null; echo \"${{PIPESTATUS[0]}}\"",
            bin(),
            db.display()
        );
        let out = std::process::Command::new("bash")
            .arg("-c")
            .arg(&sh)
            .env("HOME", dir.path())
            .output()
            .unwrap();
        assert_eq!(stdout(&out).trim(), "0", "{args}: {}", stderr(&out));
        assert_eq!(stderr(&out), "", "{args}");
    }
}

#[test]
fn csv_cells_a_spreadsheet_would_run_are_neutralised_and_bin_iin_stays_text() {
    let reg = Register::new();
    // Text fields an applicant controls, each starting like a formula.
    let payloads = [
        "=HYPERLINK(\"http://x\",\"y\")",
        "+cmd|' /C calc'!A0",
        "-2+3",
        "@SUM(A1:A2)",
        "＝1+1",
    ];
    let mut app = inclusion("CSV", payloads.len());
    set(&mut app, "applicant.name", Some(json!("=1+1 Compute LLP")));
    set(&mut app, "data_center", Some(json!("-Ekibastuz")));
    // A BIN with a leading zero (registered 2005): it must stay 12 characters.
    let zero_bin = (0u32..)
        .find_map(|n| {
            let d: Vec<u8> = format!("050540{n:05}").bytes().map(|b| b - b'0').collect();
            tizilim::rules::ids::with_check_digit(&d.try_into().unwrap())
        })
        .unwrap();
    set(&mut app, "applicant.bin_iin", Some(json!(zero_bin)));
    for (i, p) in payloads.iter().enumerate() {
        set(&mut app, &format!("units[{i}].model"), Some(json!(p)));
    }
    let f = reg.write_json("csv.json", &app);
    let (code, v) = intake_json(&reg, &[&f]);
    assert_eq!(code, 0, "{v}");
    let o = reg.run(&[
        "case",
        "decide",
        "abk-2024-000001",
        "include",
        "--on",
        "2024-03-27",
    ]);
    assert!(o.status.success(), "{}", stderr(&o));
    let out = reg.run(&["register", "export", "--format", "csv"]);
    assert!(out.status.success(), "{}", stderr(&out));
    let text = stdout(&out);
    let mut r = csv::Reader::from_reader(text.as_bytes());
    let header = r.headers().unwrap().clone();
    let col = |name: &str| header.iter().position(|h| h == name).unwrap();
    let rows: Vec<csv::StringRecord> = r.records().map(Result::unwrap).collect();
    assert_eq!(rows.len(), payloads.len());
    for (row, p) in rows.iter().zip(payloads) {
        assert_eq!(&row[col("model")], format!("'{p}"), "{text}");
        assert_eq!(&row[col("miner")], "'=1+1 Compute LLP");
        assert_eq!(&row[col("data_center")], "'-Ekibastuz");
        assert_eq!(&row[col("bin_iin")], zero_bin);
        assert!(zero_bin.starts_with('0') && zero_bin.len() == 12);
        // Harmless cells are as they were.
        assert_eq!(&row[col("brand")], "Bitmain");
    }
    // Every cell is quoted, so no raw cell starts with a formula character.
    for line in text.lines() {
        for cell in line.split("\",\"") {
            let c = cell.trim_start_matches('"');
            assert!(!c.starts_with(['=', '+', '-', '@']), "{line}");
        }
    }
    assert!(text.contains(&format!("\"{zero_bin}\"")));
    // JSON keeps the values as they are, the BIN/IIN a string.
    let out = reg.run(&["register", "export", "--format", "json"]);
    let v: Value = serde_json::from_str(&stdout(&out)).unwrap();
    assert_eq!(v[0]["bin_iin"], json!(zero_bin));
    assert_eq!(v[0]["model"], json!(payloads[0]));
}

#[test]
fn times_that_do_not_exist_are_refused() {
    let reg = Register::new();
    for (t, word) in [
        ("2023-12-31T23:59:60+05:00", "leap second"),
        ("2016-12-31T23:59:60Z", "leap second"),
        ("2024-03-20T23:59:60", "leap second"),
        ("2024-03-20 12:30:60.25", "leap second"),
        ("2024-02-30T10:00:00", "not a time"),
        ("2024-03-20T24:00:00", "not a time"),
        ("2024-03-20T10:00:00+25:00", "not a time"),
        ("2024-13-01T10:00:00", "not a time"),
    ] {
        let mut app = inclusion("LEAP", 1);
        set(&mut app, "received_at", Some(json!(t)));
        let f = reg.write_json("leap.json", &app);
        let (code, v) = intake_json(&reg, &[&f]);
        assert_eq!(code, 1, "{t}");
        assert_eq!(v[0]["errors"][0]["field"], "received_at", "{t}: {v}");
        assert!(
            v[0]["errors"][0]["message"]
                .as_str()
                .unwrap()
                .contains(word),
            "{t}: {v}"
        );
        for args in [
            vec!["deadlines", "--at", t],
            vec!["calendar", "due", "--received", t, "--working-days", "2"],
        ] {
            let out = reg.run(&args);
            assert_eq!(out.status.code(), Some(1), "{args:?}");
            assert!(stderr(&out).contains(word), "{args:?}: {}", stderr(&out));
        }
    }
    // The second before is fine.
    let mut app = inclusion("LEAP", 1);
    set(
        &mut app,
        "received_at",
        Some(json!("2023-12-31T23:59:59+05:00")),
    );
    let f = reg.write_json("ok.json", &app);
    assert_eq!(intake_json(&reg, &[&f]).0, 0);
}

#[test]
fn deadlines_fit_80_columns_and_a_past_date_ignores_later_cases() {
    let reg = Register::new();
    let mut files = Vec::new();
    for (i, received) in [
        "2024-03-20T10:00:00",
        "2024-04-10T10:00:00",
        "2024-05-15T10:00:00",
    ]
    .iter()
    .enumerate()
    {
        let mut app = inclusion(&format!("DL{i}X"), 1);
        set(&mut app, "received_at", Some(json!(received)));
        if i == 1 {
            set(&mut app, "documents", None); // incomplete: the §9 clock too
        }
        files.push(reg.write_json(&format!("{i}.json"), &app));
    }
    let paths: Vec<&std::path::Path> = files.iter().map(|p| p.as_path()).collect();
    assert_eq!(intake_json(&reg, &paths).0, 0);
    let o = reg.run(&[
        "complaint",
        "lodge",
        "ABK-2024-000001",
        "--to",
        "provider",
        "--text",
        "too slow",
        "--received",
        "2024-04-02T10:00:00",
    ]);
    assert!(o.status.success(), "{}", stderr(&o));
    for at in [
        "2024-03-27T10:00:00",
        "2024-04-03T10:00:00",
        "2024-04-15T10:00:00",
        "2024-06-01T10:00:00",
    ] {
        let out = reg.run(&["deadlines", "--at", at]);
        assert!(out.status.success());
        let text = stdout(&out);
        for line in text.lines() {
            assert!(
                line.chars().count() <= 80,
                "{} chars: {line}",
                line.chars().count()
            );
        }
        // The summary says the totals plainly, and they add up to the rows.
        let rows = text.lines().count() - 3;
        let first = text.lines().next().unwrap();
        assert!(first.contains(&format!(": {rows} running clock")), "{text}");
        let second = text.lines().nth(1).unwrap();
        let numbers: Vec<usize> = second
            .split(", ")
            .map(|p| p.split(' ').next().unwrap().parse().unwrap())
            .collect();
        assert_eq!(numbers.iter().sum::<usize>(), rows, "{text}");
        assert!(
            second.contains("overdue") && second.contains("due today") && second.contains("later")
        );
    }
    // As at 27 March 2024 only the first case existed.
    let cases_at = |at: &str| -> Vec<String> {
        let out = reg.run(&["deadlines", "--json", "--at", at]);
        let v: Value = serde_json::from_str(&stdout(&out)).unwrap();
        let mut c: Vec<String> = v
            .as_array()
            .unwrap()
            .iter()
            .map(|d| d["case"].as_str().unwrap().to_string())
            .collect();
        c.dedup();
        c
    };
    assert_eq!(cases_at("2024-03-27T10:00:00"), ["ABK-2024-000001"]);
    let later = cases_at("2024-04-15T10:00:00");
    assert!(
        later.contains(&"ABK-2024-000002".to_string())
            && !later.contains(&"ABK-2024-000003".to_string()),
        "{later:?}"
    );
    let out = reg.run(&["deadlines", "--json", "--at", "2024-03-27T10:00:00"]);
    let v: Value = serde_json::from_str(&stdout(&out)).unwrap();
    assert!(
        v.as_array()
            .unwrap()
            .iter()
            .all(|d| d.get("complaint").is_none()),
        "the complaint came later: {v}"
    );
    // Text as at a past day says so, and names the case rows it keeps.
    let text = stdout(&reg.run(&["deadlines", "--at", "2024-03-27T10:00:00"]));
    assert!(text.starts_with("Deadlines as at 27.03.2024"), "{text}");
    assert!(
        !text.contains("ABK-2024-000002") && !text.contains("CMP-"),
        "{text}"
    );
    let text = stdout(&reg.run(&["deadlines", "--at", "2024-04-03T10:00:00"]));
    assert!(text.contains("CMP-2024-000001"), "{text}");
}

#[test]
fn calendar_explain_and_show_wrap_to_80_columns_losing_nothing() {
    let reg = Register::new();
    let f = reg.write_json("a.json", &inclusion("WRAP", 1));
    assert_eq!(intake_json(&reg, &[&f]).0, 0);
    let words = |s: &str| s.split_whitespace().collect::<Vec<_>>().join(" ");
    for year in 2023..=2028 {
        let out = reg.run(&["calendar", "show", &year.to_string()]);
        assert!(out.status.success());
        let text = stdout(&out);
        for line in text.lines() {
            assert!(line.chars().count() < 80, "{year}: {line}");
        }
        // Nothing lost: the JSON's sources are all in the text, word for word.
        let v: Value = serde_json::from_str(&stdout(&reg.run(&[
            "calendar",
            "show",
            &year.to_string(),
            "--json",
        ])))
        .unwrap();
        let flat = words(&text);
        for s in v["source"]["sources"].as_array().unwrap() {
            assert!(flat.contains(&words(s.as_str().unwrap())), "{year}: {s}");
        }
    }
    let o = reg.run(&[
        "complaint",
        "lodge",
        "ABK-2024-000001",
        "--to",
        "provider",
        "--text",
        "a long complaint",
        "--received",
        "2024-04-02T10:00:00",
    ]);
    assert!(o.status.success(), "{}", stderr(&o));
    for case in [
        "abk-2024-000001",
        "ABK-2024-000001",
        " Abk-2024-000001 ",
        "cmp-2024-000001",
    ] {
        let out = reg.run(&["calendar", "explain", case, "--at", "2024-04-03T10:00:00"]);
        assert!(out.status.success(), "{case}: {}", stderr(&out));
        let text = stdout(&out);
        assert!(text.lines().count() > 5);
        for line in text.lines() {
            assert!(line.chars().count() < 80, "{case}: {line}");
        }
        assert!(
            words(&text).contains("registers on the next working day; registered 2024-03-26")
                || case.contains("cmp"),
            "{text}"
        );
    }
}

#[test]
fn search_compares_serials_in_their_canonical_form() {
    let reg = Register::new();
    let mut app = inclusion("SRCH", 2);
    set(&mut app, "units[0].serial", Some(json!("hk-77/a.1")));
    let f = reg.write_json("a.json", &app);
    assert_eq!(intake_json(&reg, &[&f]).0, 0);
    let store = tizilim::store::Store::open(&reg.db).unwrap();
    for q in [
        "HK-77/A.1",
        "hk-77",
        "ＨＫ－７７",
        " hk-77/a.1 ",
        "srch000001",
    ] {
        let ids = tizilim::store::read::queue::search(store.conn(), q, 10).unwrap();
        assert_eq!(ids.len(), 1, "{q}");
    }
    // A look-alike query in another script matches nothing.
    let ids = tizilim::store::read::queue::search(store.conn(), "\u{041D}K-77", 10).unwrap();
    assert!(ids.is_empty());
}
