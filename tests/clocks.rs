//! The Rules' clocks (data/rules.toml) on pinned facts, the `deadlines`
//! contract, and snapshots of `calendar explain`.

mod common;

use chrono::NaiveDate;
use common::*;
use serde_json::Value;
use tizilim::rules::{
    CaseFacts, CaseKind, ClockState, ComplaintBody, ComplaintFacts, ComplaintStatus, Law, Stage,
};

fn d(s: &str) -> NaiveDate {
    s.parse().unwrap()
}

fn law() -> Law {
    Law::load(&[]).unwrap()
}

fn facts(kind: CaseKind, stage: Stage, registered: &str) -> CaseFacts {
    CaseFacts {
        kind,
        stage,
        registered_on: d(registered),
        hearing_notice_on: None,
        changed_on: None,
        reopened_on: None,
    }
}

fn clocks(law: &Law, f: &CaseFacts, today: &str) -> Vec<(String, String, String, i32, ClockState)> {
    let mut out = Vec::new();
    law.rules
        .case_clocks(&law.calendar, f, d(today), &mut out)
        .unwrap();
    out.into_iter()
        .map(|r| {
            (
                r.clock.to_string(),
                r.rule.to_string(),
                r.due.expect("a due date within the calendar").to_string(),
                r.working_days_left.expect("a count within the calendar"),
                r.state,
            )
        })
        .collect()
}

#[test]
fn inclusion_under_review_has_the_decision_and_the_hearing_notice_clock() {
    let law = law();
    // Registered Tue 26 March 2024 (after Nauryz).
    let f = facts(CaseKind::Inclusion, Stage::UnderReview, "2024-03-26");
    let c = clocks(&law, &f, "2024-03-27");
    assert_eq!(
        c,
        vec![
            (
                "decide_inclusion".into(),
                "§10".into(),
                "2024-04-02".into(),
                4,
                ClockState::Running
            ),
            // §12: the notice is due 3 working days before the decision deadline.
            (
                "hearing_notice".into(),
                "§12".into(),
                "2024-03-28".into(),
                1,
                ClockState::DueSoon
            ),
        ]
    );
    let c = clocks(&law, &f, "2024-03-28");
    assert_eq!(c[1].4, ClockState::DueToday);
    let c = clocks(&law, &f, "2024-04-03");
    assert_eq!((c[0].3, c[0].4), (-1, ClockState::Overdue));
    // Over a weekend the overdue count stays at least one.
    let c = clocks(&law, &f, "2024-04-06");
    assert_eq!((c[0].3, c[0].4), (-3, ClockState::Overdue)); // Wed 3, Thu 4, Fri 5 April
}

#[test]
fn the_hearing_is_due_two_working_days_after_the_notice() {
    let law = law();
    let mut f = facts(CaseKind::Inclusion, Stage::HearingNotified, "2024-05-02");
    f.hearing_notice_on = Some(d("2024-05-03"));
    let c = clocks(&law, &f, "2024-05-03");
    // Notice Fri 3 May 2024; Sat 4 May is a working Saturday (transfer) → day 1, Mon 6 May → day 2.
    assert!(
        c.contains(&(
            "hold_hearing".into(),
            "§12".into(),
            "2024-05-06".into(),
            2,
            ClockState::Running
        )),
        "{c:?}"
    );
    // The decision clock keeps running while the hearing is pending.
    assert!(c.iter().any(|x| x.0 == "decide_inclusion"));
    assert!(
        !c.iter().any(|x| x.0 == "hearing_notice"),
        "the notice was sent"
    );
}

#[test]
fn exclusion_change_and_incomplete_clocks() {
    let law = law();
    let c = clocks(
        &law,
        &facts(CaseKind::Exclusion, Stage::UnderReview, "2025-01-02"),
        "2025-01-02",
    );
    // Thu 2 Jan 2025 is a holiday, but counting from a registration day: Fri 3 Jan off, Sun 5 Jan worked.
    assert_eq!(
        c,
        vec![(
            "decide_exclusion".into(),
            "§14".into(),
            "2025-01-06".into(),
            2,
            ClockState::Running
        )]
    );
    let c = clocks(
        &law,
        &facts(CaseKind::Change, Stage::UnderReview, "2024-07-03"),
        "2024-07-03",
    );
    assert_eq!(
        c,
        vec![(
            "amend_register".into(),
            "§15".into(),
            "2024-07-09".into(),
            3,
            ClockState::Running
        )]
    );
    let c = clocks(
        &law,
        &facts(CaseKind::Inclusion, Stage::Incomplete, "2024-12-13"),
        "2024-12-13",
    );
    assert_eq!(
        c,
        vec![(
            "refuse_incomplete".into(),
            "§9".into(),
            "2024-12-18".into(),
            2,
            ClockState::Running
        )]
    );
    // Closed cases have no running clock.
    assert!(
        clocks(
            &law,
            &facts(CaseKind::Inclusion, Stage::Included, "2024-12-13"),
            "2024-12-13"
        )
        .is_empty()
    );
}

#[test]
fn a_change_reported_more_than_ten_working_days_late_is_flagged() {
    let law = law();
    let mut f = facts(CaseKind::Change, Stage::UnderReview, "2024-04-15");
    f.changed_on = Some(d("2024-04-01"));
    // 10 WD after Mon 1 April is Mon 15 April: received that day, on time.
    assert_eq!(
        law.rules
            .change_reported_late(&law.calendar, &f, d("2024-04-15"))
            .unwrap(),
        None
    );
    f.registered_on = d("2024-04-16");
    assert_eq!(
        law.rules
            .change_reported_late(&law.calendar, &f, d("2024-04-16"))
            .unwrap(),
        Some(d("2024-04-15"))
    );
}

#[test]
fn complaint_clocks() {
    let law = law();
    let mut out = Vec::new();
    let to_provider = ComplaintFacts {
        addressed_to: ComplaintBody::Provider,
        status: ComplaintStatus::Received,
        registered_on: d("2024-06-03"),
        forwarded_on: None,
    };
    law.rules
        .complaint_clocks(&law.calendar, &to_provider, d("2024-06-03"), &mut out)
        .unwrap();
    assert_eq!(
        out.iter()
            .map(|r| (
                r.clock.as_str(),
                r.rule.as_str(),
                r.due.unwrap().to_string()
            ))
            .collect::<Vec<_>>(),
        vec![("decide_complaint_provider", "§19", "2024-06-10".to_string())]
    );
    out.clear();
    let to_body = ComplaintFacts {
        addressed_to: ComplaintBody::QualityBody,
        ..to_provider
    };
    law.rules
        .complaint_clocks(&law.calendar, &to_body, d("2024-06-03"), &mut out)
        .unwrap();
    assert_eq!(
        out.iter()
            .map(|r| (
                r.clock.as_str(),
                r.rule.as_str(),
                r.due.unwrap().to_string()
            ))
            .collect::<Vec<_>>(),
        vec![("forward_complaint", "§18", "2024-06-06".to_string())]
    );
    out.clear();
    let forwarded = ComplaintFacts {
        status: ComplaintStatus::Forwarded,
        forwarded_on: Some(d("2024-06-05")),
        ..to_body
    };
    law.rules
        .complaint_clocks(&law.calendar, &forwarded, d("2024-06-05"), &mut out)
        .unwrap();
    // 15 WD from Wed 5 June 2024 (Kurban Ait Sun 16 June does not move; Capital Day Sat 6 July → Mon 8 July is later).
    assert_eq!(
        out.iter()
            .map(|r| (
                r.clock.as_str(),
                r.rule.as_str(),
                r.due.unwrap().to_string()
            ))
            .collect::<Vec<_>>(),
        vec![(
            "decide_complaint_quality_body",
            "§20",
            "2024-06-26".to_string()
        )]
    );
}

#[test]
fn section_16_inform_egov_within_three_working_days() {
    let law = law();
    let span = law
        .rules
        .inform_egov_due(&law.calendar, d("2023-08-11"))
        .unwrap()
        .unwrap();
    assert_eq!(span.due, d("2023-08-16"));
}

#[test]
fn a_case_before_the_rules_is_refused() {
    let law = law();
    let f = facts(CaseKind::Inclusion, Stage::UnderReview, "2023-05-02");
    let mut out = Vec::new();
    let e = law
        .rules
        .case_clocks(&law.calendar, &f, d("2023-05-02"), &mut out)
        .unwrap_err();
    assert!(
        e.to_string()
            .contains("no edition of the Rules is in force on 2023-05-02"),
        "{e}"
    );
}

#[test]
fn deadlines_contract_and_calendar_amendment_rederives() {
    let reg = Register::new();
    let app = inclusion("DL", 2); // received 20 March 2024 19:05, registers 26 March
    let f = reg.write_json("a.json", &app);
    assert!(reg.run(&["intake", f.to_str().unwrap()]).status.success());
    let out = reg.run(&["deadlines", "--json", "--at", "2024-03-29T10:00:00+05:00"]);
    let v: Value = serde_json::from_str(&stdout(&out)).unwrap();
    // The §12 notice day (28 March) has passed: it is a last day to start a
    // refusal, not a duty, so the monitor neither lists it nor counts it overdue.
    assert_eq!(v.as_array().unwrap().len(), 1, "{v}");
    assert_eq!(
        v[0],
        serde_json::json!({"case": "ABK-2024-000001", "clock": "decide_inclusion", "rule": "§10", "started": "2024-03-26", "due": "2024-04-02", "working_days_left": 2, "state": "running"})
    );
    let before = reg.run(&["deadlines", "--json", "--at", "2024-03-27T10:00:00+05:00"]);
    let v: Value = serde_json::from_str(&stdout(&before)).unwrap();
    assert_eq!(v[0]["clock"], "hearing_notice");
    assert_eq!(v[0]["state"], "due_soon");
    // A decree makes Mon 1 April 2024 a day off: the decision clock moves at once.
    let a = reg.run(&[
        "calendar",
        "amend",
        "--date",
        "2024-04-01",
        "--day-off",
        "--act",
        "Test decree No. 1",
    ]);
    assert!(a.status.success(), "{}", stderr(&a));
    let out = reg.run(&["deadlines", "--json", "--at", "2024-03-29T10:00:00+05:00"]);
    let v: Value = serde_json::from_str(&stdout(&out)).unwrap();
    assert_eq!(v[0]["due"], "2024-04-03");
    let shown = stdout(&reg.run(&["calendar", "show", "2024"]));
    assert!(
        shown.contains("2024-04-01 Mon amended: day off — Test decree No. 1"),
        "{shown}"
    );
    // register created, the admin's IIN, the admin's certificate registered,
    // the case, the amendment
    assert_eq!(reg.count("journal"), 5, "the amendment is journaled");
    assert!(reg.run(&["audit", "verify"]).status.success());
    // Past the calendar: refused with a clear message.
    let bad = reg.run(&[
        "calendar",
        "amend",
        "--date",
        "2031-01-01",
        "--working",
        "--act",
        "x",
    ]);
    assert!(
        stderr(&bad).contains("outside the calendar"),
        "{}",
        stderr(&bad)
    );
}

#[test]
fn explain_snapshots() {
    let reg = Register::new();
    let f = reg.write_json("a.json", &inclusion("EX", 1));
    assert!(reg.run(&["intake", f.to_str().unwrap()]).status.success());
    let text = stdout(&reg.run(&[
        "calendar",
        "explain",
        "ABK-2024-000001",
        "--at",
        "2024-03-27T10:00:00",
    ]));
    insta::assert_snapshot!("explain_inclusion_after_nauryz", text);
    let json = stdout(&reg.run(&[
        "calendar",
        "explain",
        "ABK-2024-000001",
        "--clock",
        "decide_inclusion",
        "--at",
        "2024-03-27T10:00:00",
        "--json",
    ]));
    let v: Value = serde_json::from_str(&json).unwrap();
    insta::assert_json_snapshot!("explain_decide_inclusion_json", v);
    let unknown = reg.run(&["calendar", "explain", "ABK-2024-000001", "--clock", "nope"]);
    assert!(
        stderr(&unknown).contains("no clock \"nope\""),
        "{}",
        stderr(&unknown)
    );
}

#[test]
fn roles_are_enforced_in_the_store() {
    use tizilim::store::{Error, Store, services};
    let now = chrono::Utc::now();
    let mut store = Store::in_memory().unwrap();
    store
        .write(|tx| services::create_register(tx, &tizilim::rules::Login::new("amina"), now))
        .unwrap();
    store
        .write(|tx| {
            services::add_user(
                &services::Context {
                    tx,
                    law: &tizilim::rules::Law::load(&[]).unwrap(),
                    actor: &tizilim::rules::Login::new("amina"),
                    at: now,
                },
                &tizilim::rules::Login::new("olzhas"),
                tizilim::rules::Role::Operator,
            )
        })
        .unwrap();
    let e = store
        .write(|tx| {
            services::add_user(
                &services::Context {
                    tx,
                    law: &tizilim::rules::Law::load(&[]).unwrap(),
                    actor: &tizilim::rules::Login::new("olzhas"),
                    at: now,
                },
                &tizilim::rules::Login::new("olzhas"),
                tizilim::rules::Role::Admin,
            )
        })
        .unwrap_err();
    assert!(matches!(e, Error::Forbidden { .. }), "{e}");
    assert!(e.to_string().contains("olzhas may not add users"), "{e}");
    let law = store.law().unwrap();
    let app: tizilim::store::model::Application = {
        let raw = serde_json::to_vec(&inclusion("R", 1)).unwrap();
        tizilim::intake::parse_application(&raw, now, &law).unwrap()
    };
    let e = store
        .write(|tx| {
            services::register_application(
                &services::Context {
                    tx,
                    law: &law,
                    actor: &tizilim::rules::Login::new("stranger"),
                    at: now,
                },
                app.clone(),
            )
        })
        .unwrap_err();
    assert!(e.to_string().contains("not a user of this register"), "{e}");
    let number = store
        .write(|tx| {
            services::register_application(
                &services::Context {
                    tx,
                    law: &law,
                    actor: &tizilim::rules::Login::new("olzhas"),
                    at: now,
                },
                app,
            )
        })
        .unwrap();
    // An operator registers; deciding needs a clerk.
    let decision = |version: Option<i64>, action| services::Decision {
        late_reason: None,
        case: number.as_str().into(),
        expected_version: version,
        action,
        grounds: vec![1],
        reason: Some("ground".into()),
        on: None,
    };
    use tizilim::rules::workflow::Action;
    // Role, version and stage are refused before any signature is made.
    let k = common::fixture::cert_signer("amina", "880101300123");
    let e = store
        .write(|tx| {
            services::decide(
                &services::Context {
                    tx,
                    law: &law,
                    actor: &tizilim::rules::Login::new("olzhas"),
                    at: now,
                },
                &tizilim::docs::Issuer { signer: &k },
                &decision(None, Action::Include),
            )
        })
        .unwrap_err();
    assert!(
        e.to_string()
            .contains("needs the role clerk or supervisor or admin"),
        "{e}"
    );
    // A stale version is refused.
    let e = store
        .write(|tx| {
            services::decide(
                &services::Context {
                    tx,
                    law: &law,
                    actor: &tizilim::rules::Login::new("amina"),
                    at: now,
                },
                &tizilim::docs::Issuer { signer: &k },
                &decision(Some(7), Action::Include),
            )
        })
        .unwrap_err();
    assert!(matches!(e, Error::Stale { .. }), "{e}");
    // A refusal needs a hearing first (§11–§13).
    let e = store
        .write(|tx| {
            services::decide(
                &services::Context {
                    tx,
                    law: &law,
                    actor: &tizilim::rules::Login::new("amina"),
                    at: now,
                },
                &tizilim::docs::Issuer { signer: &k },
                &decision(Some(1), Action::Refuse),
            )
        })
        .unwrap_err();
    assert!(
        e.to_string()
            .contains("needs the preliminary decision and a hearing first"),
        "{e}"
    );
}

#[test]
fn an_overdue_clock_counts_every_working_day_it_is_late() {
    let law = law();
    // Registered Tue 26 March 2024: §10 due Tue 2 April 2024.
    let f = facts(CaseKind::Inclusion, Stage::HearingHeld, "2024-03-26");
    // The day after: −1. Over the weekend after Fri 5 April: Wed 3, Thu 4, Fri 5.
    assert_eq!(clocks(&law, &f, "2024-04-03")[0].3, -1);
    assert_eq!(clocks(&law, &f, "2024-04-06")[0].3, -3);
    // Months later: the true count, not clamped (a clerk reads how late it is).
    let late = clocks(&law, &f, "2025-04-02");
    let true_count = law
        .calendar
        .working_days_between(d("2024-04-02"), d("2025-04-02"))
        .unwrap();
    assert!(true_count > 200, "{true_count}");
    assert_eq!((late[0].3, late[0].4), (-true_count, ClockState::Overdue));
    // A clock due on a Friday is overdue on the Saturday after by at least one
    // day, though no working day has passed: never above −1.
    let f = facts(CaseKind::Exclusion, Stage::UnderReview, "2024-04-10"); // §14 due Fri 12 April
    assert_eq!(
        clocks(&law, &f, "2024-04-13")[0],
        (
            "decide_exclusion".into(),
            "§14".into(),
            "2024-04-12".into(),
            -1,
            ClockState::Overdue
        )
    );
    assert_eq!(clocks(&law, &f, "2024-04-15")[0].3, -1); // Mon 15: one working day
    assert_eq!(clocks(&law, &f, "2024-04-16")[0].3, -2);
}

#[test]
fn section_15_counts_the_day_a_change_was_received_not_registered() {
    use tizilim::explain::explain_case;
    use tizilim::store::read::queries::CaseClockRow;
    let law = law();
    let received =
        |s: &str| tizilim::rules::calendar::parse_instant(s, chrono_tz::Asia::Almaty).unwrap();
    // The change on Mon 1 April 2024: the 10th working day after it is Mon 15 April.
    let row = |at: &str| {
        let received_at = received(at);
        let mut facts = facts(
            CaseKind::Change,
            Stage::UnderReview,
            &law.calendar
                .registration_day(received_at)
                .unwrap()
                .to_string(),
        );
        facts.changed_on = Some(d("2024-04-01"));
        CaseClockRow {
            number: "ABK-2024-000001".into(),
            received_at,
            facts,
        }
    };
    // Received at 19:00 on the last day: after hours, so it registers on Tue
    // 16 April (§8) — but it was received in time.
    let in_time = row("2024-04-15T19:00:00+05:00");
    assert_eq!(in_time.facts.registered_on, d("2024-04-16"));
    let e = explain_case(&law, &in_time, None, d("2024-04-16")).unwrap();
    assert_eq!(e.change_reported_late, None);
    assert_eq!(
        law.rules
            .change_reported_late(&law.calendar, &in_time.facts, d("2024-04-15"))
            .unwrap(),
        None
    );
    // Received the next day, in office hours: late.
    let late = row("2024-04-16T10:00:00+05:00");
    assert_eq!(late.facts.registered_on, d("2024-04-16"));
    let e = explain_case(&law, &late, None, d("2024-04-16")).unwrap();
    assert_eq!(
        e.change_reported_late.as_deref(),
        Some("§15: the change was reported late — the last day to report it was 2024-04-15")
    );
}

/// A register (made by the CLI) and the applications of `files`, each
/// registered through intake at the instant it was received — times the CLI
/// cannot take yet, as its acts happen "now".
fn register_received(files: &[(&str, Value)]) -> (Register, Vec<tizilim::intake::FileOutcome>) {
    use tizilim::store::Store;
    let reg = Register::new();
    let law = law();
    let actor = tizilim::cli::os_login().unwrap();
    let mut store = Store::open(&reg.db).unwrap();
    let mut outcomes = Vec::new();
    for (name, app) in files {
        let path = reg.write_json(name, app);
        let at = tizilim::rules::calendar::parse_instant(
            app["received_at"].as_str().unwrap(),
            chrono_tz::Asia::Almaty,
        )
        .unwrap();
        let o = tizilim::intake::intake_file(&mut store, &law, &actor, at, &path, &mut |_| Ok(()))
            .unwrap_or_else(|e| panic!("{name}: {e}"));
        assert_eq!(o.status, "registered", "{name}: {:?}", o.errors);
        outcomes.push(o);
    }
    (reg, outcomes)
}

/// An inclusion received at `at` with its lease valid until `valid_until`.
fn received_at(tag: &str, at: &str, valid_until: &str) -> Value {
    let mut v = inclusion(tag, 1);
    v["received_at"] = Value::from(at);
    v["applicant"]["bin_iin"] = Value::from(bin_number(tag.len() as u32 * 7));
    v["documents"][0]["valid_until"] = Value::from(valid_until);
    v
}

#[test]
fn past_the_calendar_clocks_read_unknown_and_nothing_fails() {
    let (reg, outcomes) = register_received(&[
        // Wed 20 December 2028: §10 due Wed 27 December, within the data.
        (
            "a.json",
            received_at("A", "2028-12-20T10:00:00+05:00", "2030-12-31"),
        ),
        // Wed 27 December 2028: 5 WD run into 2029, not yet published.
        (
            "b.json",
            received_at("BB", "2028-12-27T10:00:00+05:00", "2030-12-31"),
        ),
        // Thu 28 December 2028, the lease expired: the §9 refusal (2 WD) is due in 2029.
        (
            "c.json",
            received_at("CCC", "2028-12-28T10:00:00+05:00", "2026-12-31"),
        ),
    ]);
    let [a, b, c] = [0, 1, 2].map(|i| outcomes[i].case.clone().unwrap());
    // Intake registered the incomplete one; its refusal day is not known yet.
    let inc = outcomes[2].incomplete.as_ref().unwrap();
    assert_eq!(
        (inc.refusal_due, inc.calendar_unpublished),
        (None, Some(2029))
    );
    assert!(
        inc.describe()
            .contains("§9 refusal due unknown (calendar not yet published for 2029)"),
        "{}",
        inc.describe()
    );

    // Within the data, in the last 90 days: a warning on stderr; the JSON array
    // stays an array, the unknown clocks in it with null dates.
    let out = reg.run(&["deadlines", "--json", "--at", "2028-12-28T10:00:00+05:00"]);
    assert!(out.status.success(), "{}", stderr(&out));
    assert!(
        stderr(&out)
            .contains("tizilim: the calendar's data end on 31.12.2028: add 2029 before it begins"),
        "{}",
        stderr(&out)
    );
    let v: Value = serde_json::from_str(&stdout(&out)).unwrap();
    let of = |case: &str, clock: &str| {
        v.as_array()
            .unwrap()
            .iter()
            .find(|r| r["case"] == case && r["clock"] == clock)
            .unwrap_or_else(|| panic!("{case} {clock}: {v}"))
            .clone()
    };
    assert_eq!(
        of(&a, "decide_inclusion"),
        serde_json::json!({"case": a, "clock": "decide_inclusion", "rule": "§10", "started": "2028-12-20",
            "due": "2028-12-27", "working_days_left": -1, "state": "overdue"})
    );
    assert_eq!(
        of(&b, "decide_inclusion"),
        serde_json::json!({"case": b, "clock": "decide_inclusion", "rule": "§10", "started": "2028-12-27",
            "due": null, "working_days_left": null, "state": "unknown", "calendar_unpublished": 2029})
    );
    assert_eq!(of(&b, "hearing_notice")["state"], "unknown");
    assert_eq!(of(&c, "refuse_incomplete")["due"], Value::Null);
    // Before the warning period: no warning.
    let quiet = reg.run(&["deadlines", "--json", "--at", "2028-10-01T10:00:00+05:00"]);
    assert!(quiet.status.success(), "{}", stderr(&quiet));
    assert!(!stderr(&quiet).contains("calendar"), "{}", stderr(&quiet));
    let warned = reg.run(&["deadlines", "--at", "2028-10-02T10:00:00+05:00"]);
    assert!(
        stderr(&warned).contains("31.12.2028"),
        "{}",
        stderr(&warned)
    );
    // In the reader's language.
    let ru = reg.run(&[
        "--lang",
        "ru",
        "deadlines",
        "--at",
        "2028-10-02T10:00:00+05:00",
    ]);
    assert!(
        stderr(&ru).contains("данные календаря заканчиваются 31.12.2028"),
        "{}",
        stderr(&ru)
    );

    // A "now" in 2029: every command answers; nothing fails for the calendar.
    let at = "2029-01-10T10:00:00+05:00";
    let out = reg.run(&["deadlines", "--at", at]);
    assert!(out.status.success(), "{}", stderr(&out));
    let text = stdout(&out);
    assert!(
        text.contains("1 overdue, 0 due today, 0 due the next working day, 0 later, 3 unknown: calendar not yet published for 2029."),
        "{text}"
    );
    assert!(
        stderr(&out).contains("tizilim: calendar not yet published for 2029"),
        "{}",
        stderr(&out)
    );
    let v: Value =
        serde_json::from_str(&stdout(&reg.run(&["deadlines", "--json", "--at", at]))).unwrap();
    let a_row = v
        .as_array()
        .unwrap()
        .iter()
        .find(|r| r["case"] == a.as_str())
        .unwrap();
    // Due within the data, so overdue; by how many working days needs 2029.
    assert_eq!(
        (
            &a_row["due"],
            &a_row["state"],
            &a_row["working_days_left"],
            &a_row["calendar_unpublished"]
        ),
        (
            &Value::from("2028-12-27"),
            &Value::from("overdue"),
            &Value::Null,
            &Value::from(2029)
        )
    );

    let explain = reg.run(&["calendar", "explain", &b, "--at", at]);
    assert!(explain.status.success(), "{}", stderr(&explain));
    let text = stdout(&explain);
    assert!(
        text.contains("started 2028-12-27, due unknown (calendar not yet published for 2029)"),
        "{text}"
    );
    // Counted up to the data's last day.
    assert!(text.contains("2028-12-29 Fri day 2"), "{text}");
    let v: Value = serde_json::from_str(&stdout(&reg.run(&[
        "calendar",
        "explain",
        &b,
        "--clock",
        "decide_inclusion",
        "--at",
        at,
        "--json",
    ])))
    .unwrap();
    assert_eq!(v["clocks"][0]["state"], "unknown");
    assert_eq!(v["clocks"][0]["calendar_unpublished"], 2029);

    let show = reg.run(&["case", "show", &b, "--at", at]);
    assert!(show.status.success(), "{}", stderr(&show));
    assert!(
        stdout(&show).contains(
            "Clock §10 decide_inclusion: due unknown — calendar not yet published for 2029"
        ),
        "{}",
        stdout(&show)
    );
    let show = reg.run(&["case", "show", &a, "--at", at]);
    assert!(
        stdout(&show).contains(
            "Clock §10 decide_inclusion: due 27.12.2028 — overdue (working days overdue unknown: calendar not yet published for 2029)"
        ),
        "{}",
        stdout(&show)
    );
    let show = reg.run(&["case", "show", &c, "--at", at, "--json"]);
    assert!(show.status.success(), "{}", stderr(&show));
    let v: Value = serde_json::from_str(&stdout(&show)).unwrap();
    assert_eq!(v["clocks"][0]["state"], "unknown", "{v}");
    assert_eq!(v["clocks"][0]["due"], Value::Null, "{v}");
    assert!(reg.run(&["audit", "verify"]).status.success());
}

#[test]
fn an_act_stored_past_the_calendar_never_reports_a_failure_for_it() {
    use tizilim::store::Store;
    use tizilim::store::read::case_file;
    use tizilim::store::services::{self, HearingNotice};
    let (reg, outcomes) = register_received(&[(
        "a.json",
        received_at("A", "2028-12-20T10:00:00+05:00", "2030-12-31"),
    )]);
    let case = outcomes[0].case.clone().unwrap();
    let law = law();
    let at = |s: &str| tizilim::rules::calendar::parse_instant(s, chrono_tz::Asia::Almaty).unwrap();
    let mut store = Store::open(&reg.db).unwrap();
    // Entered on 3 January 2029, with its legal date in December 2028 (the §12
    // notice by Fri 22 December, the hearing 2 WD later).
    let now = at("2029-01-03T10:00:00");
    // §11: the notice is signed with the admin's own key (the test's .p12).
    let me = tizilim::cli::os_login().unwrap();
    let trust = tizilim::sign::x509::TrustStore::open(&reg.trust()).unwrap();
    let key = tizilim::sign::open_signer(
        me.as_str(),
        &reg.p12(),
        Some("correct horse battery"),
        &trust,
        chrono::Utc::now(),
        Some(common::ADMIN_IIN),
    )
    .unwrap();
    store
        .write(|tx| {
            services::notify_hearing(
                &services::Context {
                    tx,
                    law: &law,
                    actor: &me,
                    at: now,
                },
                &tizilim::docs::Issuer { signer: &key },
                &HearingNotice {
                    late_reason: None,
                    case: case.as_str().into(),
                    expected_version: None,
                    sent_on: Some(d("2028-12-22")),
                    hearing_at: at("2028-12-26T11:00:00"),
                    place: "Astana, room 402".into(),
                    grounds: vec![2],
                    reason: "Serials do not match the declaration.".into(),
                },
            )
        })
        .unwrap();
    // What `hearing notify` reads after storing the act, "today" in 2029.
    let f = case_file::load(store.conn(), &law, &case, d("2029-01-03")).unwrap();
    assert_eq!(f.stage, "hearing_notified");
    let hold = f.clocks.iter().find(|c| c.clock == "hold_hearing").unwrap();
    assert_eq!(
        (
            hold.due,
            hold.working_days_left,
            hold.state,
            hold.calendar_unpublished
        ),
        (Some(d("2028-12-26")), None, ClockState::Overdue, Some(2029))
    );
    assert_eq!(
        f.hearing.as_ref().unwrap().at.to_rfc3339(),
        "2028-12-26T11:00:00+05:00"
    );
    // The console's panes read it too.
    let snap = tizilim::store::read::queue::snapshot(store.conn(), &law, d("2029-01-03")).unwrap();
    assert!(snap.count(ClockState::Overdue) >= 1);
    let (up, past) =
        tizilim::store::read::queue::hearings(store.conn(), &law, d("2029-01-03"), now, 10)
            .unwrap();
    assert_eq!(up.len() + past.len(), 1);
}
