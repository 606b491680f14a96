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
                r.due.to_string(),
                r.working_days_left,
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
    // 10 WD after Mon 1 April is Mon 15 April: on time.
    assert_eq!(
        law.rules.change_reported_late(&law.calendar, &f).unwrap(),
        None
    );
    f.registered_on = d("2024-04-16");
    assert_eq!(
        law.rules.change_reported_late(&law.calendar, &f).unwrap(),
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
            .map(|r| (r.clock.as_str(), r.rule.as_str(), r.due.to_string()))
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
            .map(|r| (r.clock.as_str(), r.rule.as_str(), r.due.to_string()))
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
            .map(|r| (r.clock.as_str(), r.rule.as_str(), r.due.to_string()))
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
    // register created, the clerk's key registered, the case, the amendment
    assert_eq!(reg.count("journal"), 4, "the amendment is journaled");
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
    let k = tizilim::sign::Ed25519Signer::generate("amina").unwrap();
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
