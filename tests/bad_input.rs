//! Issue 16, bad input: nothing lost without a word, nothing leaked. Each
//! test feeds one kind of bad input that used to get through — invisible
//! characters, absurd dates, IINs of people not yet born, demo data in a
//! working register, an empty export to a full disk, escape sequences in
//! arguments — and checks that it is refused (or shown inert) by name.

mod common;

use common::*;
use serde_json::{Value, json};
use tizilim::rules::Law;
use tizilim::rules::ids::with_check_digit;

fn intake_json(reg: &Register, files: &[&std::path::Path]) -> (i32, Value) {
    let mut args = vec!["intake", "--json"];
    let paths: Vec<String> = files.iter().map(|p| p.display().to_string()).collect();
    args.extend(paths.iter().map(|s| s.as_str()));
    let out = reg.run(&args);
    let v: Value = serde_json::from_str(&stdout(&out))
        .unwrap_or_else(|e| panic!("{e}: {} / {}", stdout(&out), stderr(&out)));
    (out.status.code().unwrap(), v)
}

/// The errors of one refused file: (field, message).
fn refused(reg: &Register, name: &str, app: &Value) -> Vec<(String, String)> {
    let f = reg.write_json(name, app);
    let (code, v) = intake_json(reg, &[&f]);
    assert_eq!(code, 1, "{name} was not refused: {v}");
    assert_eq!(v[0]["status"], "refused", "{v}");
    v[0]["errors"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| {
            (
                e["field"].as_str().unwrap().to_string(),
                e["message"].as_str().unwrap().to_string(),
            )
        })
        .collect()
}

fn assert_names(errors: &[(String, String)], field: &str, words: &[&str]) {
    let e = errors
        .iter()
        .find(|(f, _)| f == field)
        .unwrap_or_else(|| panic!("no error on {field}: {errors:?}"));
    for w in words {
        assert!(e.1.contains(w), "{field}: {:?} lacks {w:?}", e.1);
    }
}

fn digits11(s: &str) -> [u8; 11] {
    let v: Vec<u8> = s.bytes().map(|b| b - b'0').collect();
    v.try_into().unwrap()
}

/// A synthetic IIN of someone born on `yymmdd` in the century `c` names.
fn iin(yymmdd: &str, c: u8) -> String {
    (0..10_000)
        .find_map(|n| with_check_digit(&digits11(&format!("{yymmdd}{c}{n:04}"))))
        .unwrap()
}

#[test]
fn invisible_and_format_characters_are_refused_naming_the_field_and_the_code_point() {
    let reg = Register::new();
    let cases: &[(&str, &str, &str)] = &[
        // Format (Cf) characters the old list missed.
        ("applicant.name", "Ekibastuz\u{061C}Compute", "U+061C"),
        ("applicant.name", "Ekibastuz\u{180E}Compute", "U+180E"),
        ("applicant.name", "Eki\u{00AD}bastuz Compute", "U+00AD"),
        ("applicant.name", "Ekibastuz\u{E0041}\u{E007F}", "U+E0041"),
        ("applicant.name", "Ekibastuz \u{13430}", "U+13430"),
        ("applicant.name", "Ekibastuz \u{110BD}", "U+110BD"),
        // Line and paragraph separators.
        (
            "applicant.legal_address",
            "Ekibastuz,\u{2028}Satpayev st. 12",
            "U+2028",
        ),
        ("data_center", "Ekibastuz\u{2029}zone 4", "U+2029"),
        // A variation selector, the object replacement and replacement characters.
        ("units[0].brand", "Bitmain\u{FE0F}", "U+FE0F"),
        ("units[0].model", "Antminer \u{FFFC}", "U+FFFC"),
        ("units[1].model", "Antminer \u{FFFD}", "U+FFFD"),
        // Names made only of fillers.
        ("applicant.name", "\u{3164}", "U+3164"),
        ("applicant.name", "\u{115F}\u{1160}", "U+115F"),
        ("applicant.name", "\u{1160}", "U+1160"),
        ("applicant.name", "\u{2800}\u{2800}", "U+2800"),
        ("applicant.name", "\u{FFA0}", "U+FFA0"),
        ("documents[0].name", "\u{3164}.pdf", "U+3164"),
    ];
    for (i, (field, text, code)) in cases.iter().enumerate() {
        let mut app = inclusion("INV", 2);
        set(&mut app, field, Some(json!(text)));
        let errors = refused(&reg, &format!("inv-{i}.json"), &app);
        assert_names(&errors, field, &[code, "not allowed"]);
    }
    // A filler is named as such.
    let mut app = inclusion("INV", 2);
    set(&mut app, "applicant.name", Some(json!("\u{3164}")));
    let errors = refused(&reg, "filler.json", &app);
    assert_names(&errors, "applicant.name", &["U+3164 HANGUL FILLER"]);
    // A text of marks alone has nothing to see.
    let mut app = inclusion("INV", 2);
    set(&mut app, "applicant.name", Some(json!("\u{0301}\u{0308}")));
    let errors = refused(&reg, "marks.json", &app);
    assert_names(&errors, "applicant.name", &["no visible character"]);
    assert_eq!(reg.count("cases"), 0);
    // Real names in the scripts a register meets still register.
    for (i, name) in [
        "«Екібастұз Компьют» ЖШС",
        "ТОО «Сарыарка Дата»",
        "IE Nurpeisova A.\u{00A0}K.",
        "Ertis\u{2011}Power LLP ⚡",
        "Алматы Энерджи (филиал)",
    ]
    .iter()
    .enumerate()
    {
        let mut app = inclusion(&format!("OK{i}X"), 1);
        set(&mut app, "applicant.name", Some(json!(name)));
        set(
            &mut app,
            "applicant.bin_iin",
            Some(json!(bin_number(100 + i as u32))),
        );
        let f = reg.write_json(&format!("ok-{i}.json"), &app);
        let (code, v) = intake_json(&reg, &[&f]);
        assert_eq!(code, 0, "{name}: {v}");
    }
}

#[test]
fn such_characters_already_in_a_register_reach_the_terminal_inert() {
    let reg = Register::new();
    let f = reg.write_json("a.json", &inclusion("TRM", 1));
    assert!(reg.run(&["intake", f.to_str().unwrap()]).status.success());
    // A register from before the rule may hold them (here: written behind
    // the program's back).
    let hidden = "Ekibastuz\u{061C}\u{2028}\u{E0041}\u{FE0F}\u{200D}\u{FFFC}\u{AD}Compute";
    reg.sql()
        .execute("UPDATE miners SET name = ?1", [hidden])
        .unwrap();
    for args in [
        vec!["case", "list"],
        vec!["case", "show", "ABK-2024-000001"],
    ] {
        let out = reg.run(&args);
        assert!(out.status.success(), "{args:?}: {}", stderr(&out));
        let text = stdout(&out);
        assert!(text.contains("Ekibastuz"), "{args:?}: {text}");
        for c in [
            '\u{061C}',
            '\u{2028}',
            '\u{E0041}',
            '\u{FE0F}',
            '\u{200D}',
            '\u{FFFC}',
            '\u{AD}',
        ] {
            assert!(
                !text.contains(c),
                "{args:?}: U+{:04X} reached the terminal raw",
                u32::from(c)
            );
        }
    }
}

#[test]
fn absurd_dates_are_refused_naming_the_field() {
    let reg = Register::new();
    let law = Law::load(&[]).unwrap();
    let first = law.rules.editions()[0].effective_from;
    let change = |changed_on: &str| {
        json!({
            "kind": "change", "channel": "portal", "received_at": "2024-03-20T10:00:00+05:00",
            "applicant": inclusion("x", 1)["applicant"].clone(),
            "units": [{"serial": "CHG000001", "brand": "Bitmain", "model": "Antminer S21",
                       "hashrate_ths": 200.0, "power_kw": 3.5, "condition": "serviceable"}],
            "change": {"changed_on": changed_on, "reason": "Moved to another hall."}
        })
    };
    for day in ["1000-01-01", "2023-01-01", "0000-01-01"] {
        let errors = refused(&reg, &format!("chg-{day}.json"), &change(day));
        assert_names(
            &errors,
            "change.changed_on",
            &["before the Rules took effect", &first.to_string()],
        );
    }
    let day_before = first.pred_opt().unwrap().to_string();
    let errors = refused(&reg, "chg-eve.json", &change(&day_before));
    assert_names(&errors, "change.changed_on", &[&day_before]);
    // A document valid until a day before the Rules existed.
    for day in ["0000-01-01", "1000-01-01", &day_before] {
        let mut app = inclusion("DOC", 1);
        set(&mut app, "documents[0].valid_until", Some(json!(day)));
        let errors = refused(&reg, &format!("doc-{day}.json"), &app);
        assert_names(
            &errors,
            "documents[0].valid_until",
            &["before the Rules took effect", day],
        );
    }
    assert_eq!(reg.count("cases"), 0);
    // The first day of the Rules is a date like any other.
    let f = reg.write_json("chg-first.json", &change(&first.to_string()));
    let (_, v) = intake_json(&reg, &[&f]);
    assert!(
        !v.to_string().contains("changed_on"),
        "the Rules' first day was refused: {v}"
    );
    // `calendar explain` of what was registered works.
    if v[0]["status"] == "registered" {
        let out = reg.run(&[
            "calendar",
            "explain",
            v[0]["case"].as_str().unwrap(),
            "--at",
            "2024-03-27T10:00:00",
        ]);
        assert!(out.status.success(), "{}", stderr(&out));
    }
}

#[test]
fn iins_of_people_born_after_the_filing_are_refused() {
    let reg = Register::new();
    // 31.12.2099 (century digit 5: the 2000s), filed in March 2024.
    let mut app = inclusion("IIN", 1);
    set(&mut app, "applicant.bin_iin", Some(json!(iin("991231", 5))));
    let errors = refused(&reg, "iin-2099.json", &app);
    assert_names(&errors, "applicant.bin_iin", &["31.12.2099", "after"]);
    // 30.12.2026, filed in November 2026.
    let mut app = inclusion("IIN", 1);
    set(
        &mut app,
        "received_at",
        Some(json!("2026-11-18T10:00:00+05:00")),
    );
    set(&mut app, "applicant.bin_iin", Some(json!(iin("261230", 6))));
    let errors = refused(&reg, "iin-2026.json", &app);
    assert_names(&errors, "applicant.bin_iin", &["30.12.2026", "18.11.2026"]);
    assert_eq!(reg.count("cases"), 0);
    // Born on the filing's day, or long before: a person.
    for (i, (born, c)) in [("261118", 5), ("991231", 3), ("650704", 4)]
        .iter()
        .enumerate()
    {
        let mut app = inclusion(&format!("IP{i}X"), 1);
        set(
            &mut app,
            "received_at",
            Some(json!("2026-11-18T10:00:00+05:00")),
        );
        set(&mut app, "applicant.bin_iin", Some(json!(iin(born, *c))));
        let f = reg.write_json(&format!("iin-ok-{i}.json"), &app);
        let (code, v) = intake_json(&reg, &[&f]);
        assert_eq!(code, 0, "{born}: {v}");
    }
}

fn demo(reg: &Register, extra: &[&str]) -> std::process::Output {
    let mut args = vec![
        "demo",
        "--cases",
        "12",
        "--units",
        "12",
        "--at",
        "2024-06-01T12:00:00",
    ];
    args.extend(extra);
    reg.run(&args)
}

#[test]
fn demo_never_mixes_into_a_working_register_and_appends_only_for_an_admin() {
    // A working register: a real application, the clerk's own key.
    let reg = Register::new();
    let f = reg.write_json("a.json", &inclusion("WORK", 2));
    assert!(reg.run(&["intake", f.to_str().unwrap()]).status.success());
    let before = (
        reg.count("cases"),
        reg.count("journal"),
        reg.count("signing_keys"),
    );
    for extra in [&[][..], &["--append"][..]] {
        let out = demo(&reg, extra);
        assert_eq!(out.status.code(), Some(1), "{extra:?}: {}", stdout(&out));
        let err = stderr(&out);
        assert!(
            err.contains("demo did not make (1)") && err.contains("working register"),
            "{extra:?}: {err}"
        );
        assert_eq!(
            (
                reg.count("cases"),
                reg.count("journal"),
                reg.count("signing_keys")
            ),
            before,
            "{extra:?}"
        );
    }
    // A demo register takes more demo data from an admin only.
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("demo.sqlite");
    let made = std::process::Command::new(bin())
        .arg("--db")
        .arg(&db)
        .args(["demo", "--cases", "12", "--units", "12"])
        .args(["--at", "2024-06-01T12:00:00"])
        .env_remove("TIZILIM_DB")
        .output()
        .unwrap();
    assert!(made.status.success(), "{}", stderr(&made));
    let on_demo = |args: &[&str]| {
        std::process::Command::new(bin())
            .arg("--db")
            .arg(&db)
            .args(args)
            .env_remove("TIZILIM_DB")
            .output()
            .unwrap()
    };
    let me = tizilim::cli::os_login().unwrap().to_string();
    assert!(
        on_demo(&["user", "add", "olzhas", "--role", "admin"])
            .status
            .success()
    );
    assert!(
        on_demo(&["user", "add", &me, "--role", "clerk"])
            .status
            .success()
    );
    let cases = |db: &std::path::Path| -> i64 {
        rusqlite::Connection::open(db)
            .unwrap()
            .query_row("SELECT count(*) FROM cases", [], |r| r.get(0))
            .unwrap()
    };
    let n = cases(&db);
    let out = on_demo(&[
        "demo",
        "--cases",
        "5",
        "--units",
        "5",
        "--append",
        "--at",
        "2024-06-01T12:00:00",
    ]);
    assert_eq!(out.status.code(), Some(1), "{}", stdout(&out));
    assert!(stderr(&out).contains("admin"), "{}", stderr(&out));
    assert_eq!(cases(&db), n);
    // Back to admin: --append adds demo cases to the demo's register.
    rusqlite::Connection::open(&db)
        .unwrap()
        .execute("UPDATE users SET role = 'admin' WHERE login = ?1", [&me])
        .unwrap();
    let out = on_demo(&[
        "demo",
        "--cases",
        "5",
        "--units",
        "5",
        "--append",
        "--at",
        "2024-06-01T12:00:00",
    ]);
    assert!(out.status.success(), "{}", stderr(&out));
    assert!(cases(&db) > n);
}

#[test]
fn an_empty_register_exports_its_header_and_a_full_disk_is_an_output_error() {
    let reg = Register::new();
    let out = reg.run(&["register", "export"]);
    assert!(out.status.success(), "{}", stderr(&out));
    let text = stdout(&out);
    assert!(
        text.starts_with("\"entry_no\",\"miner\",\"bin_iin\""),
        "no header: {text:?}"
    );
    assert_eq!(text.lines().count(), 1, "{text:?}");
    for format in ["csv", "json"] {
        let full = std::fs::OpenOptions::new()
            .write(true)
            .open("/dev/full")
            .unwrap();
        let out = reg
            .command()
            .args(["register", "export", "--format", format])
            .stdout(full)
            .output()
            .unwrap();
        assert_eq!(out.status.code(), Some(4), "{format}: {}", stderr(&out));
        assert!(stderr(&out).contains("output error"), "{}", stderr(&out));
    }
}

#[test]
fn arguments_with_escapes_never_reach_stderr_raw() {
    let reg = Register::new();
    let evil = "\u{1b}]52;c;ZWNobyBwd25lZA==\u{7}\u{1b}[2J\u{9b}31m";
    let cases: Vec<Vec<&str>> = vec![
        vec!["doc", "render", evil],
        vec!["calendar", "explain", evil],
        vec!["case", "show", evil],
        vec!["audit", "verify", "--seal", evil],
        vec!["register", "find", evil],
        // clap's own errors: an unknown value, an unknown subcommand, an
        // unknown option.
        vec!["--lang", evil, "case", "list"],
        vec!["case", "list", "--stage", evil],
        vec!["register", "export", "--format", evil],
        vec![evil],
        vec!["case", "list", evil],
        vec!["case", "decide", "ABK-2024-000001", evil],
        vec!["calendar", "show", evil],
    ];
    for args in cases {
        let out = reg.run(&args);
        assert_ne!(out.status.code(), Some(0), "{args:?}");
        assert!(!out.stderr.is_empty(), "{args:?}: nothing said");
        for (what, bytes) in [("stderr", &out.stderr), ("stdout", &out.stdout)] {
            assert!(
                !bytes.contains(&0x1b) && !bytes.contains(&0x07),
                "{args:?}: a raw escape on {what}: {:?}",
                String::from_utf8_lossy(bytes)
            );
            assert!(
                !String::from_utf8_lossy(bytes).contains('\u{9b}'),
                "{args:?}: a raw CSI on {what}"
            );
        }
    }
}
