//! Terms on the record (issue 20): acts that end the Rules' clocks in time
//! and late, as `case show` and `report terms` show them.

mod common;

use common::{Register, stderr, stdout};
use serde_json::Value;

fn json(o: &std::process::Output) -> Value {
    assert!(o.status.success(), "{}", stderr(o));
    serde_json::from_str(&stdout(o)).unwrap_or_else(|e| panic!("{e}: {}", stdout(o)))
}

fn ok(reg: &Register, args: &[&str]) {
    let o = reg.run(args);
    assert!(o.status.success(), "{args:?}: {}", stderr(&o));
}

/// The terms of a case, as (rule, clock, due, done_on, late_wd, reason).
fn terms(reg: &Register, case: &str) -> Vec<(String, String, String, String, i64, Value)> {
    let v = json(&reg.run(&["case", "show", case, "--json"]));
    v["terms"]
        .as_array()
        .unwrap()
        .iter()
        .map(|t| {
            (
                t["rule"].as_str().unwrap().to_string(),
                t["clock"].as_str().unwrap().to_string(),
                t["due"].as_str().unwrap().to_string(),
                t["done_on"].as_str().unwrap().to_string(),
                t["late_wd"].as_i64().unwrap(),
                t["reason"].clone(),
            )
        })
        .collect()
}

#[test]
fn every_act_that_ends_a_clock_is_on_the_record_in_time_or_late() {
    let reg = Register::new();
    let examples = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("examples");
    let inclusion = examples.join("inclusion.json");
    let incomplete = examples.join("incomplete.json");
    // Received Thursday 20.03.2025 19:20, registered Wednesday 26.03 (§8,
    // after Nauryz): §12's notice by 28.03, §10's decision by 02.04.
    ok(&reg, &["intake", inclusion.to_str().unwrap()]);
    let a = "ABK-2025-000001";
    ok(
        &reg,
        &[
            "hearing",
            "notify",
            a,
            "--ground",
            "1",
            "--reason",
            "The lease is unsigned.",
            "--sent-on",
            "2025-03-27",
            "--at",
            "2025-03-31T11:00",
            "--place",
            "Astana, room 402",
        ],
    );
    ok(
        &reg,
        &["hearing", "record", a, "--held", "--on", "2025-03-31"],
    );
    // Friday 04.04: two working days after the last day. Without a reason it
    // is refused, naming the last lawful day, and nothing is stored.
    let late = reg.run(&["case", "decide", a, "include", "--on", "2025-04-04"]);
    assert_eq!(late.status.code(), Some(1));
    assert!(
        stderr(&late).contains("§10: the last day was 02.04.2025; give --late-reason"),
        "{}",
        stderr(&late)
    );
    assert_eq!(terms(&reg, a).len(), 2, "the refused act stored no term");
    ok(
        &reg,
        &[
            "case",
            "decide",
            a,
            "include",
            "--on",
            "2025-04-04",
            "--late-reason",
            "The signed lease arrived by post on 03.04.",
        ],
    );
    let t = terms(&reg, a);
    assert_eq!(
        t.iter()
            .map(|(r, c, d, o, l, _)| (r.as_str(), c.as_str(), d.as_str(), o.as_str(), *l))
            .collect::<Vec<_>>(),
        [
            ("§12", "hearing_notice", "2025-03-28", "2025-03-27", 0),
            ("§12", "hold_hearing", "2025-03-31", "2025-03-31", 0),
            ("§10", "decide_inclusion", "2025-04-02", "2025-04-04", 2),
        ]
    );
    assert_eq!(t[2].5, "The signed lease arrived by post on 03.04.");
    assert_eq!(t[0].5, Value::Null);

    // §9: an incomplete package (received Tuesday 13.05.2025) refused in time,
    // then a complaint to the quality-control body forwarded late (§18).
    ok(&reg, &["intake", incomplete.to_str().unwrap()]);
    let b = "ABK-2025-000002";
    ok(&reg, &["case", "decide", b, "refuse", "--on", "2025-05-14"]);
    let lodged = json(&reg.run(&[
        "complaint",
        "lodge",
        b,
        "--to",
        "quality_body",
        "--text",
        "We sent the missing lease.",
        "--received",
        "2025-05-20T10:00",
        "--json",
    ]));
    let cmp = lodged["complaint"].as_str().unwrap().to_string();
    let late = reg.run(&["complaint", "forward", &cmp, "--on", "2025-05-28"]);
    assert_eq!(late.status.code(), Some(1), "{}", stdout(&late));
    assert!(
        stderr(&late).contains("§18: the last day was 23.05.2025"),
        "{}",
        stderr(&late)
    );
    ok(
        &reg,
        &[
            "complaint",
            "forward",
            &cmp,
            "--on",
            "2025-05-28",
            "--late-reason",
            "The complaint was misfiled with another case.",
        ],
    );
    let t = terms(&reg, b);
    assert_eq!(
        t.iter()
            .map(|(r, c, d, o, l, _)| (r.as_str(), c.as_str(), d.as_str(), o.as_str(), *l))
            .collect::<Vec<_>>(),
        [
            ("§9", "refuse_incomplete", "2025-05-15", "2025-05-14", 0),
            ("§18", "forward_complaint", "2025-05-23", "2025-05-28", 3),
        ]
    );

    // §20: the quality-control body decides the forwarded complaint, in time.
    ok(
        &reg,
        &[
            "complaint",
            "decide",
            &cmp,
            "rejected",
            "--reason",
            "The lease was not among the documents.",
            "--on",
            "2025-06-02",
        ],
    );
    // §15: a change reported on 10.06.2025 (Tuesday) is amended by 13.06;
    // amended on Tuesday 17.06, two working days late, with its reason.
    ok(
        &reg,
        &["intake", examples.join("change.json").to_str().unwrap()],
    );
    let c = "ABK-2025-000003";
    let late = reg.run(&["case", "decide", c, "amend", "--on", "2025-06-17"]);
    assert!(
        stderr(&late).contains("§15: the last day was 13.06.2025; give --late-reason"),
        "{}",
        stderr(&late)
    );
    ok(
        &reg,
        &[
            "case",
            "decide",
            c,
            "amend",
            "--on",
            "2025-06-17",
            "--late-reason",
            "The service report was checked with the manufacturer.",
        ],
    );
    // §14: an exclusion received Monday 15.09.2025, decided the next day.
    ok(
        &reg,
        &["intake", examples.join("exclusion.json").to_str().unwrap()],
    );
    let e = "ABK-2025-000004";
    ok(
        &reg,
        &["case", "decide", e, "exclude", "--on", "2025-09-16"],
    );
    let rows = |case: &str| {
        terms(&reg, case)
            .into_iter()
            .map(|(r, _, d, o, l, _)| (r, d, o, l))
            .collect::<Vec<_>>()
    };
    assert_eq!(
        rows(c),
        [("§15".into(), "2025-06-13".into(), "2025-06-17".into(), 2)]
    );
    assert_eq!(
        rows(e),
        [("§14".into(), "2025-09-17".into(), "2025-09-16".into(), 0)]
    );
    let b_terms = rows(b);
    assert_eq!(b_terms.len(), 3, "{b_terms:?}");
    assert_eq!(
        (b_terms[2].0.as_str(), b_terms[2].2.as_str(), b_terms[2].3),
        ("§20", "2025-06-02", 0)
    );

    // The report agrees, paragraph by paragraph.
    let r = json(&reg.run(&[
        "report",
        "terms",
        "--from",
        "2025-01-01",
        "--to",
        "2025-12-31",
        "--format",
        "json",
    ]));
    assert_eq!((r["acts"].as_i64(), r["late"].as_i64()), (Some(8), Some(3)));
    let line = |rule: &str| {
        r["by_paragraph"]
            .as_array()
            .unwrap()
            .iter()
            .find(|p| p["rule"] == rule)
            .cloned()
            .unwrap_or_else(|| panic!("{rule} in {r}"))
    };
    assert_eq!(line("§10")["acts"], 1);
    assert_eq!(line("§10")["late"], 1);
    assert_eq!(line("§10")["worst_late_wd"], 2);
    assert_eq!(line("§12")["acts"], 2);
    assert_eq!(line("§12")["late"], 0);
    assert_eq!(line("§18")["median_late_wd"], 3.0);
    assert_eq!(
        (line("§14")["acts"].as_i64(), line("§14")["late"].as_i64()),
        (Some(1), Some(0))
    );
    assert_eq!(line("§15")["worst_late_wd"], 2);
    assert_eq!(
        (line("§20")["acts"].as_i64(), line("§20")["late"].as_i64()),
        (Some(1), Some(0))
    );
    let late_acts = r["late_acts"].as_array().unwrap();
    assert_eq!(late_acts.len(), 3);
    assert_eq!(late_acts[0]["case"], a);
    assert_eq!(late_acts[1]["case"], cmp.as_str());
    assert_eq!(
        late_acts[1]["reason"],
        "The complaint was misfiled with another case."
    );
    let months: Vec<(String, i64, i64)> = r["by_month"]
        .as_array()
        .unwrap()
        .iter()
        .map(|m| {
            (
                m["month"].as_str().unwrap().to_string(),
                m["acts"].as_i64().unwrap(),
                m["late"].as_i64().unwrap(),
            )
        })
        .collect();
    assert_eq!(
        months,
        [
            ("2025-03".into(), 2, 0),
            ("2025-04".into(), 1, 1),
            ("2025-05".into(), 2, 1),
            ("2025-06".into(), 2, 1),
            ("2025-09".into(), 1, 0)
        ]
    );
    // CSV: one row per act; HTML: a page with its two charts, no script.
    let csv = stdout(&reg.run(&[
        "report",
        "terms",
        "--from",
        "2025-01-01",
        "--to",
        "2025-12-31",
        "--format",
        "csv",
    ]));
    assert_eq!(csv.lines().count(), 1 + 8, "{csv}");
    let html = stdout(&reg.run(&[
        "--lang",
        "ru",
        "report",
        "terms",
        "--from",
        "2025-01-01",
        "--to",
        "2025-12-31",
        "--format",
        "html",
    ]));
    assert_eq!(html.matches("<svg").count(), 2);
    assert!(html.contains("Своевременность по пунктам"));
    assert!(!html.contains("<script"));
    // The audit replays the terms from the journal.
    ok(&reg, &["audit", "verify"]);
}

#[test]
fn the_report_names_clerks_so_only_supervisors_and_admins_read_it() {
    let reg = Register::new();
    ok(&reg, &["user", "add", "nobody", "--role", "admin"]);
    ok(&reg, &["user", "add", &whoami(), "--role", "clerk"]);
    let o = reg.run(&["report", "terms"]);
    assert_eq!(o.status.code(), Some(1));
    assert!(
        stderr(&o).contains("needs the role supervisor or admin"),
        "{}",
        stderr(&o)
    );
}

fn whoami() -> String {
    tizilim::cli::os_login().unwrap().to_string()
}

/// §16: a calendar amendment starts the 3-working-day clock to inform the
/// e-government operator; it shows among the running clocks until `law
/// informed` ends it, on the record (late here, with its reason).
#[test]
fn a_change_of_the_law_is_informed_of_within_three_working_days() {
    use chrono::{TimeZone, Utc};
    use tizilim::rules::{Law, Login};
    use tizilim::store::read::{law, queue};
    use tizilim::store::{Store, services};
    let dir = tempfile::tempdir().unwrap();
    let admin = Login::new("admin");
    // Created on Saturday 1 November 2025; the amendment entered on Thursday
    // 27 November at 11:00 Almaty time.
    let created = Utc.with_ymd_and_hms(2025, 11, 1, 5, 0, 0).unwrap();
    let mut store = Store::create_with(&dir.path().join("r.sqlite"), |tx| {
        services::create_register(tx, &admin, created)
    })
    .unwrap();
    let amended = Utc.with_ymd_and_hms(2025, 11, 27, 6, 0, 0).unwrap();
    let base = Law::load(&[]).unwrap();
    store
        .write(|tx| {
            let ctx = services::Context {
                tx,
                law: &base,
                actor: &admin,
                at: amended,
            };
            services::amend_calendar(
                &ctx,
                chrono::NaiveDate::from_ymd_opt(2025, 12, 31).unwrap(),
                false,
                "Government decree No. 1 (test)",
            )
        })
        .unwrap();
    let law_now = store.law().unwrap();
    let day = |d: u32| chrono::NaiveDate::from_ymd_opt(2025, 12, d).unwrap();
    let changes = law::changes(store.conn(), &law_now).unwrap();
    assert_eq!(changes.len(), 1, "{changes:?}");
    assert_eq!(changes[0].change, "LAW-2025-11-27");
    // The clock: 3 working days from Thursday 27.11 — Tuesday 02.12.
    let running = queue::running_clocks(store.conn(), &law_now, day(1)).unwrap();
    let d = running
        .iter()
        .find(|d| d.case == "LAW-2025-11-27")
        .expect("§16 runs");
    assert_eq!(
        (d.reading.rule.as_str(), d.reading.due),
        ("§16", Some(day(2)))
    );
    // Informed on Wednesday 03.12: a day late, so only with a reason.
    let at = Utc.with_ymd_and_hms(2025, 12, 3, 6, 0, 0).unwrap();
    let inform = |store: &mut Store, reason: Option<&str>| {
        store.write(|tx| {
            let ctx = services::Context {
                tx,
                law: &law_now,
                actor: &admin,
                at,
            };
            services::law_informed(&ctx, "law-2025-11-27", None, reason)
        })
    };
    let e = inform(&mut store, None).unwrap_err().to_string();
    assert!(e.contains("§16: the last day was 02.12.2025"), "{e}");
    inform(&mut store, Some("The operator's address changed.")).unwrap();
    let running = queue::running_clocks(store.conn(), &law_now, day(3)).unwrap();
    assert!(running.iter().all(|d| d.case != "LAW-2025-11-27"));
    let t = tizilim::store::read::terms::of_case(store.conn(), "LAW-2025-11-27").unwrap();
    assert_eq!(
        (t[0].rule.as_str(), t[0].due, t[0].done_on, t[0].late_wd),
        ("§16", day(2), day(3), 1)
    );
    assert_eq!(
        law::changes(store.conn(), &law_now).unwrap()[0].informed_on,
        Some(day(3))
    );
    // Twice is refused.
    let e = inform(&mut store, Some("again")).unwrap_err().to_string();
    assert!(e.contains("was informed of on 03.12.2025"), "{e}");
    let report = tizilim::store::audit::verify(&store).unwrap();
    assert!(report.finding.is_none(), "{:?}", report.finding);
}
