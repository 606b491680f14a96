//! Signed notifications (Appendices 6–8) and the journal's seals.

mod common;

use common::{Register, bin_number, inclusion, stderr, stdout};
use serde_json::{Value, json};
use tizilim::docs::render::{self, Seal};
use tizilim::docs::{ApplicationRef, NoticeContent, NoticeUnit, Party, SignerRef};
use tizilim::sign::{Ed25519Signer, Signer};

fn ok(o: &std::process::Output) {
    assert!(o.status.success(), "{}\n{}", stdout(o), stderr(o));
}

/// A register with one included application of `units` units; returns the notice number.
fn included(reg: &Register, units: usize) -> String {
    let f = reg.write_json("a.json", &inclusion("JYZZS9J", units));
    ok(&reg.run(&["intake", f.to_str().unwrap()]));
    let o = reg.run(&[
        "case",
        "decide",
        "ABK-2024-000001",
        "include",
        "--on",
        "2024-03-27",
        "--json",
    ]);
    ok(&o);
    let v: Value = serde_json::from_str(&stdout(&o)).unwrap();
    v["decision"].as_str().unwrap().to_string()
}

fn render(reg: &Register, doc: &str, lang: &str, format: &str) -> std::path::PathBuf {
    let out = reg.dir.path().join(format!("{doc}.{lang}.{format}"));
    ok(&reg.run(&[
        "--lang",
        lang,
        "doc",
        "render",
        doc,
        "--format",
        format,
        "--out",
        out.to_str().unwrap(),
    ]));
    out
}

fn verify(reg: &Register, file: &std::path::Path) -> std::process::Output {
    reg.run(&["doc", "verify", file.to_str().unwrap()])
}

#[test]
fn an_inclusion_notice_verifies_in_every_language_and_format_and_fails_when_touched() {
    let reg = Register::new();
    let doc = included(&reg, 3);
    assert_eq!(doc, "INC-2024-000001");
    let list: Value = serde_json::from_str(&stdout(&reg.run(&[
        "doc",
        "list",
        "ABK-2024-000001",
        "--json",
    ])))
    .unwrap();
    assert_eq!(list[0]["number"], doc);
    assert_eq!(list[0]["kind"], "inclusion");
    let bin = bin_number(17);
    for lang in ["kk", "ru", "en"] {
        for format in ["text", "html"] {
            let file = render(&reg, &doc, lang, format);
            let o = verify(&reg, &file);
            ok(&o);
            assert!(
                stdout(&o).starts_with(&format!(
                    "valid: {doc} (inclusion, 27.03.2024, {lang} {format})"
                )),
                "{}",
                stdout(&o)
            );
            let text = std::fs::read_to_string(&file).unwrap();
            for serial in ["JYZZS9J000000", "JYZZS9J000001", "JYZZS9J000002"] {
                assert!(text.contains(serial), "{lang} {format}: {serial}");
            }
            let date = render::date(lang, chrono::NaiveDate::from_ymd_opt(2024, 3, 27).unwrap());
            let date = date.as_str();
            assert!(text.contains(date), "{lang} {format}: {date}");
            let spelled = match lang {
                "kk" => "2024 жылғы 27 наурыз",
                "ru" => "27 марта 2024 г.",
                _ => "27.03.2024",
            };
            assert_eq!(date.replace('\u{a0}', " "), spelled);
            if lang != "en" {
                // A Kazakh or Russian reader finds nothing in English: the visible
                // text (all but the applicant's own name, serials, models and the
                // signature block's data) is in Cyrillic.
                let mut visible: String = text.split("-----").next().unwrap().to_string();
                if format == "html" {
                    // What a reader sees: the page's text, without the style sheet and tags.
                    let body = &visible[visible.find("<main>").unwrap()..];
                    let mut plain = String::new();
                    let mut in_tag = false;
                    for ch in body.chars() {
                        match ch {
                            '<' => in_tag = true,
                            '>' => in_tag = false,
                            c if !in_tag => plain.push(c),
                            _ => {}
                        }
                    }
                    visible = plain;
                }
                for word in [
                    "Notification",
                    "register",
                    "Ministry",
                    "Total",
                    "Signed",
                    "serial",
                    "Appendix",
                ] {
                    assert!(!visible.contains(word), "{lang} {format} has {word:?}");
                }
            }
            // One character changed in a serial, the BIN, the date: not valid.
            for (what, from, to) in [
                ("serial", "JYZZS9J000001", "JYZZS9J000007"),
                ("BIN", bin.as_str(), &format!("{}9", &bin[..11])),
                ("date", date, &date.replace("27", "28")),
            ] {
                assert!(text.contains(from), "{what}");
                let bad = reg.dir.path().join(format!("bad.{lang}.{format}"));
                std::fs::write(&bad, text.replacen(from, to, 1)).unwrap();
                let o = verify(&reg, &bad);
                assert_eq!(
                    o.status.code(),
                    Some(1),
                    "{lang} {format} {what}: {}",
                    stdout(&o)
                );
                assert!(stderr(&o).contains("NOT VALID: INC-2024-000001: the visible text differs from the signed content"), "{}", stderr(&o));
            }
            // Tampering with the signed content itself breaks the signature.
            let content_line = text
                .lines()
                .skip_while(|l| !l.starts_with("eyJ"))
                .nth(1)
                .unwrap()
                .to_string();
            let mut flipped = content_line.clone().into_bytes();
            flipped[10] = if flipped[10] == b'A' { b'B' } else { b'A' };
            let bad = reg.dir.path().join(format!("sig.{lang}.{format}"));
            std::fs::write(
                &bad,
                text.replacen(&content_line, &String::from_utf8(flipped).unwrap(), 1),
            )
            .unwrap();
            let o = verify(&reg, &bad);
            assert_eq!(o.status.code(), Some(1));
            assert!(stderr(&o).contains("NOT VALID"), "{}", stderr(&o));
        }
    }
}

#[test]
fn a_refusal_carries_the_reason_verbatim_and_the_grounds_in_the_laws_words() {
    let reg = Register::new();
    let f = reg.write_json("a.json", &inclusion("REF", 1));
    ok(&reg.run(&["intake", f.to_str().unwrap()]));
    let case = "ABK-2024-000001";
    ok(&reg.run(&[
        "hearing",
        "notify",
        case,
        "--ground",
        "2",
        "--reason",
        "x",
        "--at",
        "2024-03-28T10:00",
        "--place",
        "Astana",
        "--sent-on",
        "2024-03-27",
    ]));
    ok(&reg.run(&["hearing", "record", case, "--absent", "--on", "2024-03-28"]));
    // §11: the notice named ground 2 only; a refusal on ground 3 is refused.
    let o = reg.run(&[
        "case",
        "decide",
        case,
        "refuse",
        "--ground",
        "3",
        "--reason",
        "x",
        "--on",
        "2024-03-29",
    ]);
    assert_eq!(o.status.code(), Some(1), "{}", stdout(&o));
    assert!(
        stderr(&o).contains(
            "§11: grounds: 3 not named in the hearing notice of ABK-2024-000001 (it named 2)"
        ),
        "{}",
        stderr(&o)
    );
    let reason =
        "Серийный номер <JYZ> «не совпадает» с декларацией & актом.\nВторая строка: 3,07 кВт.";
    let o = reg.run(&[
        "case",
        "decide",
        case,
        "refuse",
        "--ground",
        "2",
        "--reason",
        reason,
        "--on",
        "2024-03-29",
        "--json",
    ]);
    ok(&o);
    let doc = serde_json::from_str::<Value>(&stdout(&o)).unwrap()["decision"]
        .as_str()
        .unwrap()
        .to_string();
    let text = std::fs::read_to_string(render(&reg, &doc, "ru", "text")).unwrap();
    let flat = text
        .replace('\u{a0}', " ")
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ");
    assert!(text.contains("Мотивированный отказ"));
    assert!(
        flat.contains("несоответствие услугополучателя и (или) представленных материалов"),
        "{text}"
    );
    assert!(
        text.contains("Серийный номер <JYZ> «не совпадает» с декларацией & актом."),
        "{text}"
    );
    assert!(text.contains("Вторая строка: 3,07 кВт."));
    assert!(
        flat.contains("рассмотрев Ваше заявление от 20 марта 2024 г. № ABK-2024-000001"),
        "{text}"
    );
    let html_file = render(&reg, &doc, "kk", "html");
    let html = std::fs::read_to_string(&html_file).unwrap();
    assert!(html.contains("Серийный номер &lt;JYZ&gt; «не совпадает» с декларацией &amp; актом."));
    assert!(!html.contains("<JYZ>"));
    assert!(html.contains("Дәлелді бас тарту"));
    ok(&verify(&reg, &html_file));
}

/// §11–§12 (issue 21): the preliminary decision with the hearing notice is
/// a document the applicant receives: signed, numbered in a series of its
/// own without gaps, with the grounds, the reasoning, the hearing's time and
/// place and how to state a position, in kk, ru and en; it verifies.
#[test]
fn the_hearing_notice_is_a_signed_numbered_document_in_every_language() {
    let reg = Register::new();
    let f = reg.write_json("a.json", &inclusion("HRN", 1));
    ok(&reg.run(&["intake", f.to_str().unwrap()]));
    let case = "ABK-2024-000001";
    let o = reg.run(&[
        "hearing",
        "notify",
        case,
        "--ground",
        "1",
        "--ground",
        "6",
        "--reason",
        "Договор аренды <не> зарегистрирован.",
        "--at",
        "2024-03-28T15:00",
        "--place",
        "Astana, Mangilik El ave. 55/14, room 402",
        "--sent-on",
        "2024-03-27",
        "--json",
    ]);
    ok(&o);
    let v: Value = serde_json::from_str(&stdout(&o)).unwrap();
    let doc = v["notice"].as_str().unwrap().to_string();
    assert_eq!(doc, "HRN-2024-000001", "{v}");
    let list: Value =
        serde_json::from_str(&stdout(&reg.run(&["doc", "list", case, "--json"]))).unwrap();
    assert_eq!(list[0]["number"], doc);
    assert_eq!(list[0]["kind"], "hearing");
    for (lang, title, when) in [
        (
            "en",
            "Preliminary decision to refuse and notice of hearing",
            "The hearing is held on 28.03.2024 at 15:00, Astana, Mangilik El ave. 55/14, room 402.",
        ),
        (
            "ru",
            "Предварительное решение об отказе и уведомление о заслушивании",
            "Заслушивание состоится 28 марта 2024 г. в 15:00, Astana,",
        ),
        (
            "kk",
            "Бас тарту туралы алдын ала шешім және тыңдау туралы хабарлама",
            "Тыңдау уақыты: 2024 жылғы 28 наурыз, сағат 15:00; өтетін орны (тәсілі): Astana,",
        ),
    ] {
        for format in ["text", "html"] {
            let file = render(&reg, &doc, lang, format);
            let text = std::fs::read_to_string(&file).unwrap();
            let flat = text
                .replace('\u{a0}', " ")
                .split_whitespace()
                .collect::<Vec<_>>()
                .join(" ");
            assert!(flat.contains(title), "{lang} {format}: {text}");
            assert!(flat.contains(when), "{lang} {format}: {text}");
            // The grounds in the law's words, numbered as Appendix 5.
            assert!(flat.contains("1) ") && flat.contains("6) "), "{text}");
            ok(&verify(&reg, &file));
        }
    }
    let text = std::fs::read_to_string(reg.dir.path().join(format!("{doc}.en.text"))).unwrap();
    assert!(
        text.contains("Договор аренды <не> зарегистрирован."),
        "{text}"
    );
    assert!(text.contains("state your position"), "{text}");
    // Touched, it no longer verifies.
    let file = reg.dir.path().join(format!("{doc}.ru.text"));
    let body = std::fs::read_to_string(&file).unwrap();
    let touched = reg.dir.path().join("touched.txt");
    std::fs::write(&touched, body.replace("15:00", "16:00")).unwrap();
    assert!(!verify(&reg, &touched).status.success());
}

#[test]
fn a_revoked_key_signs_nothing_new_and_what_it_signed_still_verifies() {
    let reg = Register::new();
    let doc = included(&reg, 1);
    let file = render(&reg, &doc, "en", "text");
    let keys: Value = serde_json::from_str(&stdout(&reg.run(&["key", "list", "--json"]))).unwrap();
    let fp = keys[0]["fingerprint"].as_str().unwrap().to_string();
    ok(&reg.run(&["key", "revoke", &fp]));
    ok(&verify(&reg, &file));
    let mut v = inclusion("AFTER", 1);
    v["received_at"] = json!("2024-03-21T10:00:00+05:00");
    let f = reg.write_json("b.json", &v);
    ok(&reg.run(&["intake", f.to_str().unwrap()]));
    let o = reg.run(&[
        "case",
        "decide",
        "ABK-2024-000002",
        "include",
        "--on",
        "2024-03-27",
    ]);
    assert_eq!(o.status.code(), Some(1));
    assert!(
        stderr(&o).contains(&format!("§13: key {fp} was revoked")),
        "{}",
        stderr(&o)
    );
    assert_eq!(reg.count("decisions"), 1, "nothing stored");
    // A new certificate, and deciding works again.
    let p12 = reg.dir.path().join("dana-2.p12");
    ok(&reg.run(&[
        "key",
        "test-certificate",
        "--iin",
        common::ADMIN_IIN,
        "--name",
        "Dana Seitkali",
        "--out",
        p12.to_str().unwrap(),
    ]));
    ok(&reg.run(&[
        "key",
        "import",
        p12.to_str().unwrap(),
        "--name",
        "Dana Seitkali",
        "--position",
        "deputy",
    ]));
    ok(&reg.run(&[
        "case",
        "decide",
        "ABK-2024-000002",
        "include",
        "--on",
        "2024-03-27",
    ]));
    let text = std::fs::read_to_string(render(&reg, "INC-2024-000002", "ru", "text")).unwrap();
    let flat = text.split_whitespace().collect::<Vec<_>>().join(" ");
    assert!(
        flat.contains("Лицо, замещающее руководителя структурного подразделения Dana Seitkali"),
        "{text}"
    );
    // An operator cannot have a signing key.
    ok(&reg.run(&["user", "add", "nobody", "--role", "operator"]));
}

#[test]
fn outgoing_numbers_have_no_gaps_across_concurrent_decisions() {
    let reg = Register::new();
    let n = 6;
    for i in 0..n {
        let mut v = inclusion(&format!("C{i}X"), 2);
        v["applicant"]["bin_iin"] = json!(bin_number(100 + i as u32));
        let f = reg.write_json(&format!("{i}.json"), &v);
        ok(&reg.run(&["intake", f.to_str().unwrap()]));
    }
    let children: Vec<_> = (0..n)
        .map(|i| {
            reg.command()
                .args([
                    "case",
                    "decide",
                    &format!("ABK-2024-{:06}", i + 1),
                    "include",
                    "--on",
                    "2024-03-27",
                ])
                .stdout(std::process::Stdio::piped())
                .stderr(std::process::Stdio::piped())
                .spawn()
                .unwrap()
        })
        .collect();
    for c in children {
        ok(&c.wait_with_output().unwrap());
    }
    let list: Value = serde_json::from_str(&stdout(&reg.run(&["doc", "list", "--json"]))).unwrap();
    let mut numbers: Vec<String> = list
        .as_array()
        .unwrap()
        .iter()
        .map(|d| d["number"].as_str().unwrap().to_string())
        .collect();
    numbers.sort();
    let expect: Vec<String> = (1..=n).map(|i| format!("INC-2024-{i:06}")).collect();
    assert_eq!(numbers, expect);
    // Register entries too: 1…12 without a gap.
    let entries: i64 = reg
        .sql()
        .query_row(
            "SELECT count(DISTINCT entry_no) FROM units WHERE entry_no BETWEEN 1 AND 12",
            [],
            |r| r.get(0),
        )
        .unwrap();
    assert_eq!(entries, 12);
    ok(&reg.run(&["audit", "verify"]));
}

/// The hearing notices' series (issue 21) is gapless too, however many
/// clerks send notices at once.
#[test]
fn hearing_notices_are_numbered_without_gaps_across_concurrent_notices() {
    let reg = Register::new();
    let n = 5;
    for i in 0..n {
        let mut v = inclusion(&format!("H{i}X"), 1);
        v["applicant"]["bin_iin"] = json!(bin_number(200 + i as u32));
        let f = reg.write_json(&format!("{i}.json"), &v);
        ok(&reg.run(&["intake", f.to_str().unwrap()]));
    }
    let children: Vec<_> = (0..n)
        .map(|i| {
            reg.command()
                .args([
                    "hearing",
                    "notify",
                    &format!("ABK-2024-{:06}", i + 1),
                    "--ground",
                    "2",
                    "--reason",
                    "Serials do not match.",
                    "--at",
                    "2024-03-28T10:00",
                    "--place",
                    "Astana, room 402",
                    "--sent-on",
                    "2024-03-27",
                ])
                .stdout(std::process::Stdio::piped())
                .stderr(std::process::Stdio::piped())
                .spawn()
                .unwrap()
        })
        .collect();
    for c in children {
        ok(&c.wait_with_output().unwrap());
    }
    let list: Value = serde_json::from_str(&stdout(&reg.run(&["doc", "list", "--json"]))).unwrap();
    let mut numbers: Vec<String> = list
        .as_array()
        .unwrap()
        .iter()
        .map(|d| d["number"].as_str().unwrap().to_string())
        .collect();
    numbers.sort();
    let expect: Vec<String> = (1..=n).map(|i| format!("HRN-2024-{i:06}")).collect();
    assert_eq!(numbers, expect);
    ok(&reg.run(&["audit", "verify"]));
}

#[test]
fn seals_catch_rollback_rewriting_and_edited_seals() {
    let reg = Register::new();
    included(&reg, 2);
    let old_copy = reg.dir.path().join("old.sqlite");
    // A consistent older copy of the register (WAL checkpointed into the file).
    reg.sql()
        .execute_batch("PRAGMA wal_checkpoint(TRUNCATE);")
        .unwrap();
    std::fs::copy(&reg.db, &old_copy).unwrap();
    let mut v = inclusion("LATER", 1);
    v["received_at"] = json!("2024-03-21T10:00:00+05:00");
    let f = reg.write_json("b.json", &v);
    ok(&reg.run(&["intake", f.to_str().unwrap()]));
    let seal = reg.dir.path().join("seal.json");
    let o = reg.run(&["audit", "seal", "--out", seal.to_str().unwrap()]);
    ok(&o);
    let o = reg.run(&["audit", "verify", "--seal", seal.to_str().unwrap()]);
    ok(&o);
    assert!(stdout(&o).contains("is intact"), "{}", stdout(&o));
    // More work after the seal: still fine.
    ok(&reg.run(&[
        "case",
        "decide",
        "ABK-2024-000002",
        "include",
        "--on",
        "2024-03-27",
    ]));
    ok(&reg.run(&["audit", "verify", "--seal", seal.to_str().unwrap()]));
    // An edited seal.
    let text = std::fs::read_to_string(&seal).unwrap();
    let s: Value = serde_json::from_str(&text).unwrap();
    let edited = reg.dir.path().join("edited.json");
    let mut e = s.clone();
    e["head_seq"] = json!(s["head_seq"].as_i64().unwrap() - 1);
    std::fs::write(&edited, e.to_string()).unwrap();
    let o = reg.run(&["audit", "verify", "--seal", edited.to_str().unwrap()]);
    assert_eq!(o.status.code(), Some(1));
    assert!(
        stderr(&o).contains("does not verify") && stderr(&o).contains("edited"),
        "{}",
        stderr(&o)
    );
    // A rollback to the older copy.
    let o = std::process::Command::new(common::bin())
        .args([
            "--db",
            old_copy.to_str().unwrap(),
            "audit",
            "verify",
            "--seal",
            seal.to_str().unwrap(),
        ])
        .output()
        .unwrap();
    assert_eq!(o.status.code(), Some(1), "{}", stdout(&o));
    assert!(
        stderr(&o).contains("no longer holds journal row"),
        "{}",
        stderr(&o)
    );
    // A rewritten history, re-chained so the chain itself looks whole.
    let conn = reg.sql();
    conn.execute_batch("DROP TRIGGER journal_append_only_u;")
        .unwrap();
    let rows: Vec<(i64, String, String, String, Option<String>, String)> = conn
        .prepare("SELECT seq, at, actor, kind, subject, payload FROM journal ORDER BY seq")
        .unwrap()
        .query_map([], |r| {
            Ok((
                r.get(0)?,
                r.get(1)?,
                r.get(2)?,
                r.get(3)?,
                r.get(4)?,
                r.get(5)?,
            ))
        })
        .unwrap()
        .collect::<Result<_, _>>()
        .unwrap();
    let mut prev = tizilim::store::journal::GENESIS.to_string();
    for (seq, at, actor, kind, subject, payload) in rows {
        let payload = if kind == "key_registered" {
            payload.replace("Dana Seitkali", "Mallory")
        } else {
            payload
        };
        let h = tizilim::store::journal::row_hash(
            &prev,
            seq,
            &at,
            &actor,
            &kind,
            subject.as_deref(),
            &payload,
        );
        conn.execute(
            "UPDATE journal SET payload = ?2, prev_hash = ?3, hash = ?4 WHERE seq = ?1",
            rusqlite::params![seq, payload, prev, h],
        )
        .unwrap();
        prev = h;
    }
    conn.execute("UPDATE signing_keys SET name = 'Mallory'", [])
        .unwrap();
    drop(conn);
    let o = reg.run(&["audit", "verify", "--seal", seal.to_str().unwrap()]);
    assert_eq!(o.status.code(), Some(1));
    assert!(
        stderr(&o).contains("the history was rewritten"),
        "{}",
        stderr(&o)
    );
}

/// A notice with fixed content and a fixed key, for the snapshots.
fn fixed(kind: &str) -> (NoticeContent, String) {
    let signer = Ed25519Signer::from_seed("dana", [7; 32]);
    let units = match kind {
        "inclusion" | "exclusion" | "amendment" => vec![
            NoticeUnit {
                entry_no: 1201,
                brand: "Bitmain".into(),
                model: "Antminer S19j Pro".into(),
                serial: "JYZZS9J000123".into(),
                hashrate_ths: 104.0,
                power_kw: 3.07,
                change: None,
            },
            NoticeUnit {
                entry_no: 1202,
                brand: "MicroBT".into(),
                model: "Whatsminer M50S".into(),
                serial: "HTM50S000000457".into(),
                hashrate_ths: 126.0,
                // As declared: three decimals stay three (not 3,28).
                power_kw: 3.276,
                change: (kind == "amendment")
                    .then(|| json!({"condition": "unserviceable", "power_kw": 2.9})),
            },
        ],
        _ => vec![],
    };
    let c = NoticeContent {
        format: tizilim::docs::CONTENT_FORMAT.into(),
        number: format!(
            "{}-2026-000042",
            match kind {
                "inclusion" => "INC",
                "exclusion" => "EXC",
                "amendment" => "AMD",
                "hearing" => "HRN",
                "complaint_decision" => "CDN",
                _ => "REF",
            }
        ),
        kind: kind.into(),
        issued_on: chrono::NaiveDate::from_ymd_opt(2026, 11, 18).unwrap(),
        applicant: Party {
            name: "Ekibastuz Compute LLP".into(),
            bin_iin: bin_number(17),
        },
        application: ApplicationRef {
            case: "ABK-2026-001418".into(),
            kind: if kind == "exclusion" {
                "exclusion"
            } else if kind == "amendment" {
                "change"
            } else {
                "inclusion"
            }
            .into(),
            received_on: chrono::NaiveDate::from_ymd_opt(2026, 11, 10).unwrap(),
            registered_on: chrono::NaiveDate::from_ymd_opt(2026, 11, 11).unwrap(),
        },
        tn_ved_code: (kind == "inclusion").then(|| "8471500000".into()),
        units,
        grounds: if kind == "refusal" || kind == "hearing" {
            vec![1, 2]
        } else {
            vec![]
        },
        reason: match kind {
            "refusal" | "hearing" => {
                Some("Серийные номера в приложении 3 не совпадают с декларацией.".into())
            }
            "complaint_decision" => {
                Some("Серийные номера сверены повторно: расхождения нет.".into())
            }
            _ => None,
        },
        // §11–§12: the hearing two working days after the notice.
        hearing: (kind == "hearing").then(|| tizilim::docs::HearingRef {
            at: chrono::NaiveDate::from_ymd_opt(2026, 11, 20)
                .unwrap()
                .and_hms_opt(10, 30, 0)
                .unwrap(),
            place: "г. Астана, пр. Мәңгілік Ел, 55/14, каб. 402".into(),
        }),
        // §18: granted in full by the provider, with the inclusion it took.
        complaint: (kind == "complaint_decision").then(|| tizilim::docs::ComplaintRef {
            number: "CMP-2026-000007".into(),
            registered_on: chrono::NaiveDate::from_ymd_opt(2026, 11, 16).unwrap(),
            addressed_to: "quality_body".into(),
            decided_by: "provider".into(),
            outcome: "granted".into(),
            act: Some("INC-2026-000043".into()),
        }),
        // §9 without the clerk's words: what is missing, as codes.
        missing: if kind == "refusal_incomplete" {
            vec![
                "ownership_proof".into(),
                "end_of_right_proof:expired:2026-11-01".into(),
            ]
        } else {
            vec![]
        },
        signer: SignerRef {
            login: "dana".into(),
            name: "Дана Сейткали".into(),
            position: "head".into(),
            algorithm: "ed25519".into(),
            fingerprint: signer.fingerprint(),
        },
    };
    use base64::Engine;
    let sig = base64::engine::general_purpose::STANDARD.encode(
        signer
            .sign(&NoticeContent::message(&c.canonical()))
            .unwrap(),
    );
    (c, sig)
}

#[test]
fn snapshots_of_every_notice_in_every_language() {
    for kind in [
        "inclusion",
        "exclusion",
        "amendment",
        "refusal",
        "refusal_incomplete",
        "hearing",
        "complaint_decision",
    ] {
        let (c, sig) = fixed(kind);
        let canonical = c.canonical();
        // The canonical bytes written directly are those of the definition.
        assert_eq!(canonical, c.canonical_via_value(), "{kind}");
        let seal = Seal {
            signature_b64: &sig,
            canonical: &canonical,
        };
        for lang in ["kk", "ru", "en"] {
            insta::assert_snapshot!(
                format!("notice_{kind}_{lang}_text"),
                render::text(&c, &seal, lang)
            );
        }
    }
    let (c, sig) = fixed("inclusion");
    let canonical = c.canonical();
    let seal = Seal {
        signature_b64: &sig,
        canonical: &canonical,
    };
    for lang in ["kk", "ru", "en"] {
        let html = render::html(&c, &seal, lang);
        assert!(
            !html.contains("http://") && !html.contains("https://") && !html.contains("<script"),
            "self-contained"
        );
        insta::assert_snapshot!(format!("notice_inclusion_{lang}_html"), html);
    }
}

/// Issue 21 and issue 17 ("one word per thing"): the notices in kk and ru
/// carry no English and none of the wrong variants; the catalogs neither.
#[test]
fn the_official_wording_and_one_word_per_thing() {
    // Words that must not appear (the right one in the comment).
    let forbidden_kk: &[&str] = &[
        "қызмет беруші",                 // көрсетілетін қызметті беруші
        "ТХ/с",                          // TH/s
        "тыңдау белгіленді",             // тыңдау өткізілді / нәтижесі тіркелді
        "енгізілгені туралы хабарлайды", // the Appendix 7 body
        "алып таст",                     // тізілімнен шығару, as the official Appendix 8
        "жалпы хэшрейт ",                // жалпы хэшрейті
        "техникалық деректері",          // техникалық мәліметтері
        "\"",
        "“",
        "”", // «»
        "§",
    ];
    let forbidden_ru: &[&str] = &[
        "исправн", // годен / не годен
        "негоден", // не годен
        "ТХ/с",
        "г..",
        "\"",
        "“",
        "”",
        "§",
        "определённой", // "определенной", as the law
    ];
    let english = regex_lite_words();
    let kinds = [
        "inclusion",
        "exclusion",
        "amendment",
        "refusal",
        "refusal_incomplete",
        "hearing",
        "complaint_decision",
    ];
    for kind in kinds {
        let (c, sig) = fixed(kind);
        let canonical = c.canonical();
        let seal = Seal {
            signature_b64: &sig,
            canonical: &canonical,
        };
        for (lang, forbidden) in [("kk", forbidden_kk), ("ru", forbidden_ru)] {
            for page in [
                render::text(&c, &seal, lang),
                text_of_html(&render::html(&c, &seal, lang)),
            ] {
                // The visible text: up to the signature block (its data are ASCII).
                let visible = page
                    .split(render::phrases(lang).get("block_begin"))
                    .next()
                    .unwrap()
                    .to_string();
                for bad in forbidden {
                    assert!(
                        !visible.contains(bad),
                        "{kind} {lang}: {bad:?} in\n{visible}"
                    );
                }
                for w in english(&visible) {
                    assert!(
                        [
                            "TH",
                            "s",
                            "Bitmain",
                            "Antminer",
                            "S19j",
                            "Pro",
                            "MicroBT",
                            "Whatsminer",
                            "M50S",
                            "Ekibastuz",
                            "Compute",
                            "LLP",
                            "ABK",
                            "INC",
                            "EXC",
                            "AMD",
                            "REF",
                            "HRN",
                            "CDN",
                            "CMP",
                            "JYZZS9J000123",
                            "HTM50S000000457"
                        ]
                        .contains(&w.as_str())
                            || w.starts_with("HTM")
                            || w.starts_with("JYZ"),
                        "{kind} {lang}: English {w:?} in\n{visible}"
                    );
                }
            }
        }
        let (c, sig) = fixed(kind);
        let canonical = c.canonical();
        let seal = Seal {
            signature_b64: &sig,
            canonical: &canonical,
        };
        let kk = render::text(&c, &seal, "kk");
        let ru = render::text(&c, &seal, "ru");
        let en = render::text(&c, &seal, "en");
        if !matches!(
            kind,
            "refusal_incomplete" | "refusal" | "hearing" | "complaint_decision"
        ) {
            // The declared precision.
            assert!(kk.contains("3,276") && ru.contains("3,276") && en.contains("3.276"));
            assert!(!kk.contains("3,28"), "{kk}");
        }
        // Dates: the attributive and the locative in kk; one period in ru.
        let flat = |s: &str| s.replace(['\u{a0}', '\n'], " ");
        match kind {
            "inclusion" => {
                assert!(
                    flat(&kk).contains(
                        "2026 жылғы 10 қарашадағы № ABK-2026-001418 өтініштің 3-қосымшасында"
                    ),
                    "{kk}"
                );
                assert!(flat(&kk).contains("техникалық мәліметтеріне"), "{kk}");
                assert!(flat(&kk).contains("жалпы хэшрейті"), "{kk}");
                assert!(flat(&ru).contains("от 10 ноября 2026 г."), "{ru}");
                assert!(!ru.contains("г.."), "{ru}");
                // The EAEU code before the body.
                assert!(kk.find("ЕАЭО СЭҚ ТН коды").unwrap() < kk.find("3-қосымшасында").unwrap());
                assert!(flat(&kk).contains("Цифрлық майнингке арналған аппараттық-бағдарламалық кешенді тізілімге енгізу туралы хабарлама"));
                assert!(flat(&ru).contains("Уведомление о включении аппаратно-программного комплекса, предназначенного для цифрового майнинга, в реестр"));
                assert!(
                    flat(&kk).contains("есепке алу және тізілімін жүргізу қағидаларына 7-қосымша"),
                    "{kk}"
                );
            }
            "exclusion" => {
                assert!(
                    flat(&kk).contains("Осы хабарлама Ekibastuz Compute LLP-ке (БСН/ЖСН"),
                    "{kk}"
                );
                assert!(flat(&kk).contains("2026 жылғы 18 қарашада тізілімнен шығарылған төмендегі АБК-ға қатысты берілді"), "{kk}");
                assert!(flat(&kk).contains("кешенді тізілімнен шығару туралы хабарлама"));
                assert!(
                    flat(&ru)
                        .contains("Настоящее уведомление выдано Ekibastuz Compute LLP (БИН/ИИН"),
                    "{ru}"
                );
                assert!(flat(&ru).contains("об исключении из реестра 18 ноября 2026 г. указанных ниже АПК по заявлению № ABK-2026-001418."), "{ru}");
            }
            "refusal" => {
                assert!(flat(&kk).contains("Бас тарту себебі:"), "{kk}");
                assert!(flat(&kk).contains("Қағидаларға 5-қосымшада көзделген мынадай негіздер бойынша мемлекеттік қызмет көрсетуден бас тартылатынын хабарлайды:"), "{kk}");
                assert!(flat(&ru).contains("сообщает об отказе в оказании государственной услуги по следующим основаниям, предусмотренным приложением 5 к Правилам:"), "{ru}");
                assert!(flat(&ru).contains("Причина отказа:"), "{ru}");
                assert!(flat(&kk).contains("дәйексіздігін анықтау"), "{kk}");
            }
            "refusal_incomplete" => {
                // §9's list through the catalogs, in the notice's language.
                assert!(
                    flat(&kk).contains("меншік (өзге заңды) құқықты растайтын құжат берілмеген"),
                    "{kk}"
                );
                assert!(
                    flat(&ru).contains(
                        "не представлен документ о праве собственности (ином законном праве)"
                    ),
                    "{ru}"
                );
                assert!(flat(&ru).contains("срок действия истек 01.11.2026"), "{ru}");
                assert!(
                    flat(&en).contains("document of ownership (other legal right): not submitted"),
                    "{en}"
                );
                assert!(!kk.contains("not submitted") && !ru.contains("ownership_proof"));
            }
            _ => {}
        }
    }
    // The catalogs: no forbidden variant in any kk or ru message.
    for (lang, forbidden) in [("kk", forbidden_kk), ("ru", forbidden_ru)] {
        let source = std::fs::read_to_string(format!(
            "{}/data/i18n/{lang}.ftl",
            env!("CARGO_MANIFEST_DIR")
        ))
        .unwrap();
        for line in source.lines().filter(|l| !l.trim_start().starts_with('#')) {
            for bad in forbidden {
                assert!(!line.contains(bad), "{lang}.ftl: {bad:?} in {line:?}");
            }
        }
    }
}

/// The Latin words of a text.
fn regex_lite_words() -> impl Fn(&str) -> Vec<String> {
    |s: &str| {
        s.split(|c: char| !(c.is_ascii_alphanumeric()))
            .filter(|w| w.chars().any(|c| c.is_ascii_alphabetic()))
            .map(str::to_string)
            .collect()
    }
}

/// The text an HTML page shows: no style sheet, no tags, up to the signature.
fn text_of_html(html: &str) -> String {
    let body = html.split("</style>").nth(1).unwrap_or(html);
    let body = body.split("<pre class=\"signature\">").next().unwrap();
    let mut out = String::new();
    let mut in_tag = false;
    for ch in body.chars() {
        match ch {
            '<' => in_tag = true,
            '>' => {
                in_tag = false;
                out.push(' ');
            }
            c if !in_tag => out.push(c),
            _ => {}
        }
    }
    out.replace("&quot;", "\"")
        .replace("&#39;", "'")
        .replace("&amp;", "&")
}

/// Every file `--out` writes (`doc render`, `case export`, `audit seal`,
/// `backup`) is new, mode 0600, never a dotfile and never written through a
/// symbolic link (issue 16: `--out .bashrc` put an applicant's text in a
/// clerk's login shell). A refused name costs nothing: no seal is taken.
#[test]
fn out_files_are_new_private_never_dotfiles_or_links() {
    use std::os::unix::fs::PermissionsExt;
    let reg = Register::new();
    let doc = included(&reg, 1);
    let dir = reg.dir.path();
    // Relative names are the current folder's, as a clerk's home is over SSH.
    let run = |args: &[&str]| reg.command().current_dir(dir).args(args).output().unwrap();
    let refused = |o: &std::process::Output, why: &str| {
        assert_eq!(o.status.code(), Some(1), "{}\n{}", stdout(o), stderr(o));
        assert!(stderr(o).contains(why), "{}", stderr(o));
    };
    let mode = |p: &std::path::Path| std::fs::metadata(p).unwrap().permissions().mode() & 0o7777;
    std::fs::write(dir.join(".bashrc"), "# mine\n").unwrap();
    std::fs::create_dir(dir.join(".ssh")).unwrap();
    let journal = reg.count("journal");
    for out in [".bashrc", "./.ssh/authorized_keys", ".profile"] {
        let render = ["doc", "render", &doc, "--format", "text", "--out", out];
        refused(&run(&render), "writes no dotfiles");
        refused(
            &run(&["case", "export", "ABK-2024-000001", "--out", out]),
            "writes no dotfiles",
        );
        refused(&run(&["audit", "seal", "--out", out]), "writes no dotfiles");
        refused(&run(&["backup", "--out", out]), "writes no dotfiles");
    }
    let abs = dir.join(".bashrc");
    refused(
        &run(&["doc", "render", &doc, "--out", abs.to_str().unwrap()]),
        "writes no dotfiles",
    );
    assert_eq!(
        std::fs::read_to_string(dir.join(".bashrc")).unwrap(),
        "# mine\n"
    );
    assert!(!dir.join(".ssh/authorized_keys").exists());
    assert!(!dir.join(".profile").exists());
    assert_eq!(reg.count("journal"), journal, "no seal for a refused --out");

    // An existing file is left as it is.
    std::fs::write(dir.join("notice.txt"), "old").unwrap();
    for args in [
        vec!["doc", "render", &doc, "--out", "notice.txt"],
        vec!["case", "export", "ABK-2024-000001", "--out", "notice.txt"],
        vec!["audit", "seal", "--out", "notice.txt"],
        vec!["backup", "--out", "notice.txt"],
    ] {
        refused(&run(&args), "never overwrites a file");
    }
    assert_eq!(
        std::fs::read_to_string(dir.join("notice.txt")).unwrap(),
        "old"
    );
    assert_eq!(reg.count("journal"), journal);

    // A symbolic link, to a file or to nothing, is never written through.
    std::os::unix::fs::symlink(dir.join(".bashrc"), dir.join("link.txt")).unwrap();
    std::os::unix::fs::symlink(dir.join("nothing"), dir.join("dangling.txt")).unwrap();
    for link in ["link.txt", "dangling.txt"] {
        refused(
            &run(&["doc", "render", &doc, "--out", link]),
            "symbolic link",
        );
        refused(
            &run(&["case", "export", "ABK-2024-000001", "--out", link]),
            "symbolic link",
        );
        refused(&run(&["backup", "--out", link]), "symbolic link");
    }
    assert_eq!(
        std::fs::read_to_string(dir.join(".bashrc")).unwrap(),
        "# mine\n"
    );
    assert!(!dir.join("nothing").exists());

    // Written: new files, 0600 (this run is not set-ID: anywhere the login
    // may write), and no scratch file left beside them.
    ok(&run(&[
        "doc", "render", &doc, "--format", "html", "--out", "n.html",
    ]));
    ok(&run(&[
        "case",
        "export",
        "ABK-2024-000001",
        "--out",
        "case.tar",
    ]));
    ok(&run(&["audit", "seal", "--out", "seal.json"]));
    ok(&run(&["backup", "--out", "copy.sqlite"]));
    for name in ["n.html", "case.tar", "seal.json", "copy.sqlite"] {
        assert_eq!(mode(&dir.join(name)), 0o600, "{name}");
    }
    ok(&reg.run(&["doc", "verify", dir.join("n.html").to_str().unwrap()]));
    let stray: Vec<String> = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|n| n.contains(".part-"))
        .collect();
    assert!(stray.is_empty(), "{stray:?}");
}
