//! Issue 21 (casefile21): documents attached to a case, completeness
//! checked again (§9), the applicant as filed, the refusal at the desk (§9,
//! second paragraph) and the delivery of notices — through the CLI.

mod common;

use common::{Register, inclusion, stderr, stdout};
use serde_json::{Value, json};

fn json_of(o: &std::process::Output) -> Value {
    serde_json::from_str(&stdout(o)).unwrap_or_else(|e| panic!("{e}: {}", stdout(o)))
}

fn ok(o: &std::process::Output) {
    assert!(o.status.success(), "{}{}", stdout(o), stderr(o));
}

#[test]
fn a_section_9_refusal_reversed_waits_for_the_proof_and_the_notices_record_their_delivery() {
    let reg = Register::new();
    let mut app = inclusion("NOPROOF", 2);
    app["documents"] = json!([]);
    let f = reg.write_json("a.json", &app);
    ok(&reg.run(&["intake", f.to_str().unwrap()]));
    let case = "ABK-2024-000001";
    // Registered Tue 26 March 2024 (after Nauryz); the §9 refusal.
    ok(&reg.run(&["case", "decide", case, "refuse", "--on", "2024-03-27"]));
    let o = reg.run(&[
        "complaint",
        "lodge",
        case,
        "--to",
        "provider",
        "--text",
        "The lease was in the envelope.",
        "--received",
        "2024-03-28T11:00",
        "--json",
    ]);
    ok(&o);
    let cmp = json_of(&o)["complaint"].as_str().unwrap().to_string();
    let o = reg.run(&[
        "complaint",
        "decide",
        &cmp,
        "granted",
        "--reason",
        "The envelope is to be searched.",
        "--on",
        "2024-04-01",
        "--json",
    ]);
    ok(&o);
    assert_eq!(json_of(&o)["case_reopened"], true);
    // Reopened, it is checked again: still no proof, so incomplete (§9), and
    // its §9 clock counts from the reopening.
    let show = json_of(&reg.run(&["case", "show", case, "--json"]));
    assert_eq!(show["stage"], "incomplete");
    assert_eq!(show["missing"], json!(["ownership_proof"]));
    let o = reg.run(&["case", "decide", case, "include", "--on", "2024-04-02"]);
    assert_eq!(o.status.code(), Some(1), "{}", stdout(&o));
    assert_eq!(reg.count("units WHERE status = 'included'"), 0);

    // A proof that expires before the decision: attached, the package is
    // complete on the day received, but no inclusion once it has expired.
    let short = reg.write("lease-short.pdf", b"%PDF-1.4 lease to 3 April 2024");
    let o = reg.run(&[
        "case",
        "attach",
        case,
        "--kind",
        "ownership_proof",
        "--name",
        "lease-short.pdf",
        "--number",
        "L-17",
        "--valid-until",
        "2024-04-03",
        "--on",
        "2024-04-02",
        "--json",
        short.to_str().unwrap(),
    ]);
    ok(&o);
    let v = json_of(&o);
    assert_eq!(v["stage"], "under_review");
    assert_eq!(v["missing"], json!([]));
    use sha2::Digest;
    let sha = hex::encode(sha2::Sha256::digest(b"%PDF-1.4 lease to 3 April 2024"));
    assert_eq!(v["sha256"], sha);
    let o = reg.run(&["case", "decide", case, "include", "--on", "2024-04-04"]);
    assert_eq!(o.status.code(), Some(1), "{}", stdout(&o));
    assert!(
        stderr(&o).contains("§9: ABK-2024-000001 lacks ownership_proof:expired:2024-04-03"),
        "{}",
        stderr(&o)
    );
    // The same file twice is refused, naming it.
    let o = reg.run(&[
        "case",
        "attach",
        case,
        "--kind",
        "ownership_proof",
        "--name",
        "again.pdf",
        short.to_str().unwrap(),
    ]);
    assert_eq!(o.status.code(), Some(1));
    assert!(stderr(&o).contains("already attached"), "{}", stderr(&o));
    let empty = reg.write("empty.pdf", b"");
    let o = reg.run(&[
        "case",
        "attach",
        case,
        "--kind",
        "other",
        "--name",
        "empty.pdf",
        empty.to_str().unwrap(),
    ]);
    assert_eq!(o.status.code(), Some(1));
    assert!(
        stderr(&o).contains("file: empty.pdf is empty"),
        "{}",
        stderr(&o)
    );
    let long = reg.write("lease.pdf", b"%PDF-1.4 lease to 2026");
    ok(&reg.run(&[
        "case",
        "attach",
        case,
        "--kind",
        "ownership_proof",
        "--name",
        "lease.pdf",
        "--valid-until",
        "2026-12-31",
        "--on",
        "2024-04-03",
        long.to_str().unwrap(),
    ]));
    ok(&reg.run(&["case", "decide", case, "include", "--on", "2024-04-04"]));

    // Delivery of the notices.
    let docs = json_of(&reg.run(&["doc", "list", case, "--json"]));
    let inc = docs
        .as_array()
        .unwrap()
        .iter()
        .find(|d| d["number"].as_str().unwrap().starts_with("INC-"))
        .unwrap()["number"]
        .as_str()
        .unwrap()
        .to_string();
    assert_eq!(docs[0]["deliveries"], json!([]));
    let o = reg.run(&[
        "doc",
        "delivered",
        &inc,
        "--via",
        "cabinet",
        "--on",
        "2024-04-03",
    ]);
    assert_eq!(o.status.code(), Some(1));
    assert!(
        stderr(&o).contains("was issued on 04.04.2024"),
        "{}",
        stderr(&o)
    );
    ok(&reg.run(&[
        "doc",
        "delivered",
        &inc,
        "--via",
        "cabinet",
        "--on",
        "2024-04-04",
    ]));
    let o = reg.run(&[
        "doc",
        "delivered",
        &inc,
        "--via",
        "cabinet",
        "--on",
        "2024-04-05",
    ]);
    assert_eq!(o.status.code(), Some(1));
    assert!(
        stderr(&o).contains("already on the record"),
        "{}",
        stderr(&o)
    );
    let o = reg.run(&["doc", "delivered", &inc, "--via", "post"]);
    assert_eq!(o.status.code(), Some(2), "{}", stderr(&o));
    ok(&reg.run(&[
        "doc",
        "delivered",
        &inc.to_lowercase(),
        "--via",
        "office",
        "--on",
        "2024-04-05",
    ]));
    let text = stdout(&reg.run(&["doc", "list", case]));
    assert!(
        text.contains("delivered: cabinet 04.04.2024, office 05.04.2024"),
        "{text}"
    );
    assert!(text.contains("not yet delivered"), "{text}");
    let show = json_of(&reg.run(&["case", "show", case, "--json"]));
    assert_eq!(show["stage"], "included");
    let notice = show["notices"]
        .as_array()
        .unwrap()
        .iter()
        .find(|n| n["number"] == inc.as_str())
        .unwrap();
    assert_eq!(notice["deliveries"][0]["via"], "cabinet");
    assert_eq!(notice["deliveries"][1]["on"], "2024-04-05");
    assert_eq!(show["documents"][0]["sha256"], sha);
    assert_eq!(show["documents"][0]["number"], "L-17");
    let text = stdout(&reg.run(&["case", "show", case]));
    assert!(
        text.contains(&format!("Notice {inc} (inclusion) of 04.04.2024: delivered by cabinet 04.04.2024, office 05.04.2024")),
        "{text}"
    );

    // The §21 case file carries the attached files and the rendered notices.
    let tar = reg.dir.path().join("case.tar");
    ok(&reg.run(&["case", "export", case, "--out", tar.to_str().unwrap()]));
    let mut archive = tar::Archive::new(std::fs::File::open(&tar).unwrap());
    let mut files = std::collections::BTreeMap::new();
    for e in archive.entries().unwrap() {
        let mut e = e.unwrap();
        let name = e.path().unwrap().display().to_string();
        let mut body = Vec::new();
        std::io::Read::read_to_end(&mut e, &mut body).unwrap();
        files.insert(name, body);
    }
    assert_eq!(
        files[&format!("{case}/documents/{sha}")],
        b"%PDF-1.4 lease to 3 April 2024"
    );
    let kk = String::from_utf8(files[&format!("{case}/notices/{inc}.kk.txt")].clone()).unwrap();
    assert!(kk.contains("Ekibastuz Compute LLP"), "{kk}");
    assert!(files.contains_key(&format!("{case}/notices/{inc}.ru.html")));
    let manifest: Value = serde_json::from_slice(&files[&format!("{case}/manifest.json")]).unwrap();
    assert_eq!(
        manifest["files"].as_array().unwrap().len(),
        files.len() - 1,
        "every file but the manifest is listed with its SHA-256"
    );
    ok(&reg.run(&["audit", "verify"]));
    // A file changed behind the register's back is found.
    reg.sql()
        .execute_batch(
            "DROP TRIGGER attachments_kept_u;
             UPDATE attachments SET bytes = x'00' WHERE sha256 = (SELECT min(sha256) FROM attachments);",
        )
        .unwrap();
    let o = reg.run(&["audit", "verify"]);
    assert_eq!(o.status.code(), Some(1), "{}", stdout(&o));
    assert!(
        stderr(&o).contains("no longer hash to the SHA-256 on the record")
            || stdout(&o).contains("no longer hash to the SHA-256 on the record"),
        "{}{}",
        stdout(&o),
        stderr(&o)
    );
}

#[test]
fn a_later_application_does_not_rewrite_the_applicant_of_earlier_cases() {
    let reg = Register::new();
    let f = reg.write_json("a.json", &inclusion("FIRST", 1));
    ok(&reg.run(&["intake", f.to_str().unwrap()]));
    ok(&reg.run(&[
        "case",
        "decide",
        "ABK-2024-000001",
        "include",
        "--on",
        "2024-03-27",
    ]));
    let mut later = inclusion("SECOND", 1);
    later["received_at"] = json!("2024-04-01T10:00:00+05:00");
    later["applicant"]["name"] = json!("Ekibastuz Compute Group LLP");
    later["applicant"]["legal_address"] = json!("Astana, Mangilik El 55");
    later["applicant"]["phone"] = json!("+7 702 000 11 22");
    later["applicant"]["email"] = json!("group@example.kz");
    let f = reg.write_json("b.json", &later);
    ok(&reg.run(&["intake", f.to_str().unwrap()]));
    let first = json_of(&reg.run(&["case", "show", "ABK-2024-000001", "--json"]));
    assert_eq!(
        first["applicant"],
        json!({"name": "Ekibastuz Compute LLP", "bin_iin": first["applicant"]["bin_iin"],
            "legal_address": "Ekibastuz, Satpayev st. 12", "phone": "+77011234567",
            "email": "office@example.kz"})
    );
    let second = json_of(&reg.run(&["case", "show", "ABK-2024-000002", "--json"]));
    assert_eq!(second["applicant"]["name"], "Ekibastuz Compute Group LLP");
    assert_eq!(second["applicant"]["email"], "group@example.kz");
    let list = json_of(&reg.run(&["case", "list", "--json"]));
    assert_eq!(list[0]["applicant"], "Ekibastuz Compute LLP");
    assert_eq!(list[1]["applicant"], "Ekibastuz Compute Group LLP");
    // The notice of the first case, rendered again, names it as filed.
    let text = stdout(&reg.run(&["--lang", "en", "doc", "render", "INC-2024-000001"]));
    assert!(text.contains("Ekibastuz Compute LLP"), "{text}");
    assert!(!text.contains("Group"), "{text}");
    ok(&reg.run(&["audit", "verify"]));
}

#[test]
fn an_incomplete_package_at_the_office_is_refused_at_the_desk_with_a_receipt() {
    let reg = Register::new();
    let mut app = inclusion("DESK", 2);
    app["channel"] = json!("office");
    app["received_at"] = json!("2024-04-02T11:30:00+05:00");
    app["documents"] = json!([{"kind": "ownership_proof", "name": "old-lease.pdf",
        "valid_until": "2024-03-31"}]);
    let f = reg.write_json("desk.json", &app);
    let o = reg.run(&["intake", "--json", f.to_str().unwrap()]);
    ok(&o);
    let v = json_of(&o);
    assert_eq!(v[0]["status"], "refused_at_desk");
    assert_eq!(v[0]["case"], Value::Null);
    assert_eq!(v[0]["receipt"], "DSK-2024-000001");
    assert_eq!(
        v[0]["missing"],
        json!(["ownership_proof:expired:2024-03-31"])
    );
    assert_eq!(reg.count("cases"), 0, "no case is registered");
    // Text, the receipt in the applicant's language.
    app["applicant"]["name"] = json!("Rudny Hash LLP");
    app["documents"] = json!([]);
    let f = reg.write_json("desk2.json", &app);
    let o = reg.run(&["intake", "--receipt-lang", "ru", f.to_str().unwrap()]);
    ok(&o);
    let text = stdout(&o);
    assert!(
        text.contains("refused at the desk (§9): missing ownership_proof; no case registered; receipt DSK-2024-000002"),
        "{text}"
    );
    assert!(
        text.contains("РАСПИСКА ОБ ОТКАЗЕ В ПРИЕМЕ ДОКУМЕНТОВ"),
        "{text}"
    );
    assert!(text.contains("Rudny Hash LLP"), "{text}");
    assert!(text.contains("02.04.2024 11:30"), "{text}");
    let again = stdout(&reg.run(&["doc", "receipt", "dsk-2024-000002"]));
    assert!(again.contains("Расписка № DSK-2024-000002"), "{again}");
    let r = json_of(&reg.run(&["doc", "receipt", "DSK-2024-000001", "--json"]));
    assert_eq!(r["actor"], common::os_login());
    assert_eq!(r["refused_on"], "2024-04-02");
    assert_eq!(r["lang"], "en");
    // The same package on the portal is registered, and its §9 clock runs.
    app["channel"] = json!("portal");
    let f = reg.write_json("portal.json", &app);
    let v = json_of(&reg.run(&["intake", "--json", f.to_str().unwrap()]));
    assert_eq!(v[0]["status"], "registered");
    assert_eq!(v[0]["incomplete"]["rule"], "§9");
    ok(&reg.run(&["audit", "verify"]));
}

// ---------------------------------------------------------------- the console

mod console {
    use super::common::{self, fixture};
    use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
    use ratatui::Terminal;
    use ratatui::backend::TestBackend;
    use tizilim::i18n::{Lang, Tr};
    use tizilim::rules::Role;
    use tizilim::store::Store;
    use tizilim::tui::state::{App, Msg, Pane};
    use tizilim::tui::theme::Theme;
    use tizilim::tui::view;

    fn console(store: &Store, lang: Lang) -> App {
        let mut a = App::new(
            store.conn(),
            Tr::new(lang),
            Theme {
                color: false,
                ascii: false,
            },
            fixture::CLERK.into(),
            Role::Clerk,
            fixture::now(),
            (80, 24),
        )
        .unwrap();
        a.signer = Some(fixture::signer());
        a
    }

    fn press(a: &mut App, store: &Store, code: KeyCode, mods: KeyModifiers) {
        a.update(store.conn(), Msg::Key(KeyEvent::new(code, mods)))
            .unwrap();
    }

    fn key(a: &mut App, store: &Store, code: KeyCode) {
        press(a, store, code, KeyModifiers::NONE);
    }

    fn chars(a: &mut App, store: &Store, s: &str) {
        for c in s.chars() {
            key(a, store, KeyCode::Char(c));
        }
    }

    fn screen(a: &App) -> String {
        let mut t = Terminal::new(TestBackend::new(80, 24)).unwrap();
        t.draw(|f| view::draw(f, a)).unwrap();
        common::buffer_text(t.backend().buffer())
    }

    fn open_case(a: &mut App, store: &Store, number: &str) {
        key(a, store, KeyCode::Char('1'));
        key(a, store, KeyCode::Char('/'));
        chars(a, store, number);
        key(a, store, KeyCode::Enter);
        key(a, store, KeyCode::Enter);
        assert_eq!(a.pane, Pane::Detail);
        assert_eq!(a.detail.as_ref().unwrap().case.number, number);
    }

    #[test]
    fn the_notice_view_records_a_delivery_and_shows_it() {
        let (_dir, store) = fixture::register();
        for (lang, none, done) in [
            (
                Lang::Ru,
                "ещё не вручено",
                "вручено: личный кабинет 27.11.2025",
            ),
            (
                Lang::En,
                "not yet delivered",
                "delivered: personal cabinet 27.11.2025",
            ),
        ] {
            let mut a = console(&store, lang);
            open_case(&mut a, &store, fixture::INCLUDED);
            key(&mut a, &store, KeyCode::Char('n'));
            assert_eq!(a.pane, Pane::Notice);
            let s = screen(&a);
            if lang == Lang::Ru {
                assert!(s.contains(none), "{s}");
            }
            key(&mut a, &store, KeyCode::Char('d'));
            let f = a
                .form
                .as_ref()
                .unwrap_or_else(|| panic!("d opens the form: {}", screen(&a)));
            assert_eq!(f.form.value("notice"), "INC-2025-000001");
            assert_eq!(f.form.value("via"), "cabinet");
            press(&mut a, &store, KeyCode::Char('s'), KeyModifiers::CONTROL);
            if lang == Lang::En {
                // Recorded in Russian first: the same way again is refused,
                // in the clerk's language, beside the field.
                let s = screen(&a);
                assert!(a.form.is_some(), "{s}");
                assert!(s.contains("by cabinet is already on"), "{s}");
                key(&mut a, &store, KeyCode::Esc);
                assert!(a.form.is_none(), "Esc closes the form: {}", screen(&a));
                assert_eq!(a.pane, Pane::Notice);
                assert!(screen(&a).contains(done), "{}", screen(&a));
                continue;
            }
            assert!(a.form.is_none(), "{}", screen(&a));
            assert_eq!(a.pane, Pane::Notice, "back on the notice");
            let s = screen(&a);
            assert!(s.contains(done), "{s}");
        }
        let n: i64 = store
            .conn()
            .query_row(
                "SELECT count(*) FROM deliveries WHERE notice = 'INC-2025-000001' AND via = 'cabinet'
                   AND delivered_on = '2025-11-27' AND actor = 'aigerim'",
                [],
                |r| r.get(0),
            )
            .unwrap();
        assert_eq!(n, 1);
    }

    #[test]
    fn a_document_attached_at_the_console_completes_the_package() {
        let (dir, store) = fixture::register();
        let scan = dir.path().join("lease-2025-11.pdf");
        std::fs::write(&scan, b"%PDF-1.4 Rudny lease to 2027").unwrap();
        let mut a = console(&store, Lang::En);
        open_case(&mut a, &store, fixture::INCOMPLETE);
        key(&mut a, &store, KeyCode::Char('a'));
        assert!(a.form.is_some(), "a opens the form: {}", screen(&a));
        key(&mut a, &store, KeyCode::Tab); // kind: ownership proof (the first)
        chars(&mut a, &store, "lease-2025-11.pdf");
        key(&mut a, &store, KeyCode::Tab);
        chars(&mut a, &store, "L-2025-11");
        key(&mut a, &store, KeyCode::Tab);
        chars(&mut a, &store, "31.12.2027");
        key(&mut a, &store, KeyCode::Tab); // received today
        key(&mut a, &store, KeyCode::Tab);
        chars(&mut a, &store, "/nonexistent/scan.pdf");
        press(&mut a, &store, KeyCode::Char('s'), KeyModifiers::CONTROL);
        assert!(
            a.form.is_some(),
            "a file that cannot be read: {}",
            screen(&a)
        );
        for _ in 0.."/nonexistent/scan.pdf".len() {
            key(&mut a, &store, KeyCode::Backspace);
        }
        chars(&mut a, &store, scan.to_str().unwrap());
        press(&mut a, &store, KeyCode::Char('s'), KeyModifiers::CONTROL);
        assert!(a.form.is_none(), "{}", screen(&a));
        let (stage, missing, sha): (String, String, String) = store
            .conn()
            .query_row(
                "SELECT c.stage, c.missing, d.sha256 FROM cases c JOIN documents d ON d.case_id = c.id
                  WHERE c.number = ?1 AND d.sha256 IS NOT NULL",
                [fixture::INCOMPLETE],
                |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)),
            )
            .unwrap();
        assert_eq!((stage.as_str(), missing.as_str()), ("under_review", "[]"));
        use sha2::Digest;
        assert_eq!(
            sha,
            hex::encode(sha2::Sha256::digest(b"%PDF-1.4 Rudny lease to 2027"))
        );
        assert!(screen(&a).contains("document attached to ABK-2025-000004"));
        let report = tizilim::store::audit::verify(&store).unwrap();
        assert!(report.finding.is_none(), "{:?}", report.finding);
    }

    #[test]
    fn an_incomplete_paper_application_is_refused_at_the_desk_form() {
        let (_dir, store) = fixture::register();
        let drafts = tempfile::tempdir().unwrap();
        let cases: i64 = store
            .conn()
            .query_row("SELECT count(*) FROM cases", [], |r| r.get(0))
            .unwrap();
        let mut a = console(&store, Lang::Kk).with_drafts(drafts.path().to_path_buf());
        chars(&mut a, &store, "i");
        assert!(a.intake.is_some());
        key(&mut a, &store, KeyCode::Tab); // received (now)
        key(&mut a, &store, KeyCode::Tab);
        chars(&mut a, &store, "Ekibastuz Compute LLP");
        key(&mut a, &store, KeyCode::Tab);
        chars(&mut a, &store, &common::bin_number(17));
        key(&mut a, &store, KeyCode::Tab);
        for v in [
            "Ekibastuz, Satpayev st. 12",
            "+7 701 123 45 67",
            "office@example.kz",
        ] {
            chars(&mut a, &store, v);
            key(&mut a, &store, KeyCode::Tab);
        }
        chars(&mut a, &store, " "); // consent
        key(&mut a, &store, KeyCode::Tab);
        chars(
            &mut a,
            &store,
            "Pavlodar region, Ekibastuz, industrial zone 4",
        );
        key(&mut a, &store, KeyCode::Tab);
        chars(&mut a, &store, "8471 50 000 0");
        key(&mut a, &store, KeyCode::Tab);
        key(&mut a, &store, KeyCode::PageDown);
        for v in [
            "Bitmain",
            "Antminer S19j Pro",
            "DESK000009",
            "104",
            "3,07",
            "10228110823/7603119",
        ] {
            chars(&mut a, &store, v);
            key(&mut a, &store, KeyCode::Tab);
        }
        // No ownership proof: refused at the desk (§9), nothing registered.
        press(&mut a, &store, KeyCode::Char('s'), KeyModifiers::CONTROL);
        let saved = a
            .intake
            .as_ref()
            .and_then(|it| it.saved.as_ref())
            .unwrap_or_else(|| panic!("not saved: {}", screen(&a)));
        assert_eq!(saved.outcome.status, "refused_at_desk");
        assert_eq!(saved.outcome.case, None);
        let receipt = saved.outcome.receipt.clone().unwrap();
        let s = screen(&a);
        assert!(s.contains(&format!("Қолхат {receipt}")), "{s}");
        assert!(s.contains("ҚАБЫЛДАУДАН БАС ТАРТУ ТУРАЛЫ ҚОЛХАТ"), "{s}");
        assert!(s.contains("берілмеген"), "what is missing, in Kazakh: {s}");
        let now: i64 = store
            .conn()
            .query_row("SELECT count(*) FROM cases", [], |r| r.get(0))
            .unwrap();
        assert_eq!(now, cases, "no case is registered");
        let (actor, lang): (String, String) = store
            .conn()
            .query_row(
                "SELECT actor, lang FROM desk_refusals WHERE receipt = ?1",
                [&receipt],
                |r| Ok((r.get(0)?, r.get(1)?)),
            )
            .unwrap();
        assert_eq!((actor.as_str(), lang.as_str()), ("aigerim", "kk"));
        // Enter or Esc closes it; the next application starts afresh.
        key(&mut a, &store, KeyCode::Enter);
        assert!(a.intake.is_none());
    }
}
