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
    assert_eq!(reg.count("journal"), 1);
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
