//! `tizilim intake`: validation names every bad field, a file with any error
//! stores nothing, an incomplete package registers for the §9 clock.

mod common;

use common::*;
use serde_json::{Value, json};

fn intake_json(reg: &Register, files: &[&std::path::Path]) -> (i32, Value) {
    let mut args = vec!["intake", "--json"];
    let paths: Vec<String> = files.iter().map(|p| p.display().to_string()).collect();
    args.extend(paths.iter().map(|s| s.as_str()));
    let out = reg.run(&args);
    let v: Value =
        serde_json::from_str(&stdout(&out)).unwrap_or_else(|e| panic!("{e}: {}", stdout(&out)));
    (out.status.code().unwrap(), v)
}

#[test]
fn a_valid_application_registers_with_its_registration_day() {
    let reg = Register::new();
    let f = reg.write_json("ok.json", &inclusion("JYZZ", 3));
    let (code, v) = intake_json(&reg, &[&f]);
    assert_eq!(code, 0, "{v}");
    assert_eq!(v[0]["case"], "ABK-2024-000001");
    assert_eq!(v[0]["errors"], json!([]));
    // Received 19:05 on the eve of Nauryz (§8): registers Tue 26 March 2024.
    let (registered, stage, tn): (String, String, String) = reg
        .sql()
        .query_row(
            "SELECT registered_on, stage, tn_ved_code FROM cases",
            [],
            |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)),
        )
        .unwrap();
    assert_eq!(
        (registered.as_str(), stage.as_str(), tn.as_str()),
        ("2024-03-26", "under_review", "8471500000")
    );
    assert_eq!(reg.count("units"), 3);
    let phone: String = reg
        .sql()
        .query_row("SELECT phone FROM miners", [], |r| r.get(0))
        .unwrap();
    assert_eq!(phone, "+77011234567");
    // The same file again is a resubmission (issue 11): answered with the
    // case it repeats, nothing stored.
    let text = reg.run(&["intake", f.to_str().unwrap()]);
    assert_eq!(text.status.code(), Some(0));
    assert!(
        stdout(&text).contains("already registered as ABK-2024-000001"),
        "{}",
        stdout(&text)
    );
    assert_eq!(reg.count("cases"), 1);
}

/// Each row: a path to change, the new value (None removes it), the field the
/// error must name, and a word the message must contain.
#[test]
fn every_refused_field_is_named() {
    let big = "x".repeat(1_000_000);
    let good_bin = bin_number(17);
    let last = good_bin.as_bytes()[11] - b'0';
    let wrong_bin = format!("{}{}", &good_bin[..11], (last + 1) % 10);
    let table: Vec<(&str, Option<Value>, &str, &str)> = vec![
        ("kind", Some(json!("inclusionn")), "kind", "one of"),
        ("kind", None, "kind", "required"),
        ("channel", Some(json!("fax")), "channel", "one of"),
        (
            "received_at",
            Some(json!("yesterday")),
            "received_at",
            "not a time",
        ),
        (
            "received_at",
            Some(json!("2999-01-01T10:00:00+05:00")),
            "received_at",
            "future",
        ),
        (
            "received_at",
            Some(json!("2023-03-01T10:00:00+06:00")),
            "received_at",
            "no edition",
        ),
        (
            "received_at",
            Some(json!("2022-06-01T10:00:00+06:00")),
            "received_at",
            "outside the calendar",
        ),
        (
            "applicant.name",
            Some(json!(big)),
            "applicant.name",
            "too long",
        ),
        (
            "applicant.name",
            Some(json!("Evil\u{1b}[2J LLP")),
            "applicant.name",
            "U+001B",
        ),
        (
            "applicant.name",
            Some(json!("   ")),
            "applicant.name",
            "blank",
        ),
        (
            "applicant.name",
            Some(json!(42)),
            "applicant.name",
            "string",
        ),
        (
            "applicant.bin_iin",
            Some(json!("12345")),
            "applicant.bin_iin",
            "12 digits",
        ),
        (
            "applicant.bin_iin",
            Some(json!(wrong_bin)),
            "applicant.bin_iin",
            "check digit",
        ),
        (
            "applicant.bin_iin",
            Some(json!("853215300123")),
            "applicant.bin_iin",
            "real date",
        ),
        (
            "applicant.legal_address",
            None,
            "applicant.legal_address",
            "required",
        ),
        (
            "applicant.phone",
            Some(json!("+7 912 123 45 67")),
            "applicant.phone",
            "Kazakhstan",
        ),
        (
            "applicant.email",
            Some(json!("office.example.kz")),
            "applicant.email",
            "@",
        ),
        (
            "applicant.personal_data_consent",
            Some(json!(false)),
            "applicant.personal_data_consent",
            "ground 6",
        ),
        (
            "applicant.personal_data_consent",
            Some(json!("yes")),
            "applicant.personal_data_consent",
            "true or false",
        ),
        (
            "applicant.nickname",
            Some(json!("x")),
            "applicant.nickname",
            "unknown field",
        ),
        ("data_center", None, "data_center", "required"),
        (
            "tn_ved_code",
            Some(json!("8471 50 000")),
            "tn_ved_code",
            "10 digits",
        ),
        ("units", Some(json!([])), "units", "at least one"),
        ("units", None, "units", "required"),
        ("units", Some(json!({"serial": "x"})), "units", "array"),
        (
            "units[1].serial",
            Some(json!("   ")),
            "units[1].serial",
            "blank",
        ),
        (
            "units[1].serial",
            Some(json!("JYZZ000000")),
            "units[1].serial",
            "repeats units[0].serial",
        ),
        (
            "units[1].serial",
            Some(json!("AB CD")),
            "units[1].serial",
            "not allowed",
        ),
        (
            "units[2].hashrate_ths",
            Some(json!(-5)),
            "units[2].hashrate_ths",
            "positive",
        ),
        (
            "units[2].hashrate_ths",
            Some(json!("104")),
            "units[2].hashrate_ths",
            "number",
        ),
        (
            "units[0].power_kw",
            Some(json!(0)),
            "units[0].power_kw",
            "positive",
        ),
        (
            "units[0].power_kw",
            Some(json!(5000)),
            "units[0].power_kw",
            "more than",
        ),
        (
            "units[0].condition",
            Some(json!("broken")),
            "units[0].condition",
            "serviceable",
        ),
        ("units[0].brand", None, "units[0].brand", "required"),
        ("units[2]", Some(json!("S19")), "units[2]", "object"),
        (
            "documents[0].valid_until",
            Some(json!("31.12.2026")),
            "documents[0].valid_until",
            "YYYY-MM-DD",
        ),
        (
            "documents[0].kind",
            Some(json!("passport")),
            "documents[0].kind",
            "one of",
        ),
        (
            "change",
            Some(json!({"changed_on": "2024-03-01", "reason": "x"})),
            "change",
            "only for kind",
        ),
    ];
    let reg = Register::new();
    for (i, (path, value, field, word)) in table.iter().enumerate() {
        let mut app = inclusion("JYZZ", 3);
        set(&mut app, path, value.clone());
        let f = reg.write_json(&format!("bad{i}.json"), &app);
        let (code, v) = intake_json(&reg, &[&f]);
        assert_eq!(code, 1, "{path}: {v}");
        assert_eq!(v[0]["case"], Value::Null, "{path}");
        let errors = v[0]["errors"].as_array().unwrap();
        assert!(
            errors
                .iter()
                .any(|e| e["field"] == *field && e["message"].as_str().unwrap().contains(word)),
            "{path} = {value:?}: expected {field} / {word}, got {errors:?}"
        );
    }
    assert_eq!(
        reg.count("cases"),
        0,
        "a file with any error stores nothing"
    );
    assert_eq!(
        reg.count("journal"),
        3,
        "only the register's creation, the admin's IIN and certificate are journaled"
    );
}

#[test]
fn malformed_files_are_refused_naming_the_root() {
    let reg = Register::new();
    let corpus: Vec<(&str, Vec<u8>, &str)> = vec![
        ("empty.json", b"".to_vec(), "empty"),
        ("blank.json", b"  \n\t ".to_vec(), "empty"),
        (
            "truncated.json",
            br#"{"kind": "inclusion", "units": ["#.to_vec(),
            "not valid JSON",
        ),
        (
            "trailing.json",
            br#"{"kind": "inclusion"} x"#.to_vec(),
            "not valid JSON",
        ),
        ("array.json", b"[{}]".to_vec(), "found an array"),
        ("string.json", br#""inclusion""#.to_vec(), "found a string"),
        ("null.json", b"null".to_vec(), "found null"),
        (
            "latin1.json",
            b"{\"kind\": \"incl\xfcsion\"}".to_vec(),
            "UTF-8",
        ),
        (
            "deep.json",
            ("[".repeat(100_000)).into_bytes(),
            "not valid JSON",
        ),
    ];
    for (name, bytes, word) in &corpus {
        let f = reg.write(name, bytes);
        let (code, v) = intake_json(&reg, &[&f]);
        assert_eq!(code, 1, "{name}");
        let e = &v[0]["errors"][0];
        assert_eq!(e["field"], "$", "{name}: {v}");
        assert!(e["message"].as_str().unwrap().contains(word), "{name}: {e}");
    }
    // A missing file is an error for that file, not a crash.
    let (code, v) = intake_json(&reg, &[std::path::Path::new("/nonexistent/app.json")]);
    assert_eq!(code, 1);
    assert!(
        v[0]["errors"][0]["message"]
            .as_str()
            .unwrap()
            .contains("cannot read")
    );
    // An object with nothing right names every required field at once.
    let f = reg.write("bare.json", b"{}");
    let (_, v) = intake_json(&reg, &[&f]);
    let fields: Vec<&str> = v[0]["errors"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["field"].as_str().unwrap())
        .collect();
    for want in ["kind", "channel", "received_at", "applicant", "units"] {
        assert!(fields.contains(&want), "{fields:?}");
    }
    assert_eq!(reg.count("cases"), 0);
}

#[test]
fn an_incomplete_package_registers_for_the_section_9_clock() {
    let reg = Register::new();
    let mut no_proof = inclusion("AAA", 2);
    set(&mut no_proof, "documents", Some(json!([])));
    let mut expired = inclusion("BBB", 2);
    set(
        &mut expired,
        "documents[0].valid_until",
        Some(json!("2024-03-19")),
    );
    // On the portal: brought to the office, it would be refused at the desk
    // (§9, second paragraph; tests/casefile.rs).
    let mut exclusion = json!({
        "kind": "exclusion", "channel": "portal", "received_at": "2024-03-19T10:00:00",
        "applicant": inclusion("x", 1)["applicant"].clone(),
        "units": [{"serial": "AAA000000"}]
    });
    let f1 = reg.write_json("a.json", &no_proof);
    let f2 = reg.write_json("b.json", &expired);
    set(&mut exclusion, "documents", None);
    let f3 = reg.write_json("c.json", &exclusion);
    let (code, v) = intake_json(&reg, &[&f1, &f2, &f3]);
    assert_eq!(code, 0, "{v}");
    let rows: Vec<(String, String)> = reg
        .sql()
        .prepare("SELECT stage, missing FROM cases ORDER BY id")
        .unwrap()
        .query_map([], |r| Ok((r.get(0)?, r.get(1)?)))
        .unwrap()
        .map(Result::unwrap)
        .collect();
    assert_eq!(rows[0].0, "incomplete");
    // Stored as codes (issue 21), rendered through the catalogs.
    assert_eq!(rows[0].1, r#"["ownership_proof"]"#);
    assert_eq!(rows[1].1, r#"["ownership_proof:expired:2024-03-19"]"#);
    assert!(rows[2].1.contains("end_of_right_proof"), "{}", rows[2].1);
    // A document valid through the day received is not expired.
    let mut same_day = inclusion("CCC", 1);
    set(
        &mut same_day,
        "documents[0].valid_until",
        Some(json!("2024-03-20")),
    );
    let f4 = reg.write_json("d.json", &same_day);
    intake_json(&reg, &[&f4]);
    let stage: String = reg
        .sql()
        .query_row("SELECT stage FROM cases WHERE id = 4", [], |r| r.get(0))
        .unwrap();
    assert_eq!(stage, "under_review");
    // The §9 clock runs for the incomplete ones: 2 working days from 26 March 2024.
    let out = reg.run(&["deadlines", "--json", "--at", "2024-03-27T10:00:00"]);
    let v: Value = serde_json::from_str(&stdout(&out)).unwrap();
    let refuse: Vec<&Value> = v
        .as_array()
        .unwrap()
        .iter()
        .filter(|d| d["clock"] == "refuse_incomplete")
        .collect();
    assert_eq!(refuse.len(), 3, "{v}");
    // The exclusion registered Tue 19 March: 2 working days skip Nauryz (21–25 March).
    assert_eq!(
        (refuse[0]["due"].as_str(), refuse[0]["state"].as_str()),
        (Some("2024-03-26"), Some("overdue"))
    );
    for r in &refuse[1..] {
        assert_eq!(r["rule"], "§9");
        assert_eq!(r["due"], "2024-03-28");
        assert_eq!(r["state"], "due_soon");
        assert_eq!(r["working_days_left"], 1);
    }
}

#[test]
fn mixed_batch_stores_good_files_and_exits_non_zero() {
    let reg = Register::new();
    let good = reg.write_json("good.json", &inclusion("G", 1));
    let bad = reg.write("bad.json", b"{");
    let out = reg.run(&["intake", good.to_str().unwrap(), bad.to_str().unwrap()]);
    assert_eq!(out.status.code(), Some(1));
    assert!(stdout(&out).contains("registered as ABK-2024-000001"));
    assert!(
        stderr(&out).contains("bad.json: $: not valid JSON"),
        "{}",
        stderr(&out)
    );
    assert_eq!(reg.count("cases"), 1);
}

#[test]
fn error_text_never_reaches_the_terminal_raw() {
    let reg = Register::new();
    let mut app = inclusion("E", 1);
    app["applicant"]["\u{1b}]0;pwned\u{7}"] = json!(1);
    let f = reg.write_json("esc.json", &app);
    let out = reg.run(&["intake", f.to_str().unwrap()]);
    let err = stderr(&out);
    assert!(err.contains("unknown field"), "{err}");
    assert!(!err.contains('\u{1b}') && !err.contains('\u{7}'), "{err:?}");
}
