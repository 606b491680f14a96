//! The case workflow (§9–§20): every transition the Rules allow, refused where
//! they forbid it, through the store's services and through the CLI.

mod common;

use chrono::{DateTime, NaiveDate, TimeZone, Utc};
use common::{Register, bin_number, inclusion, stderr, stdout};
use serde_json::{Value, json};
use tizilim::rules::workflow::{Action, ComplaintOutcome};
use tizilim::rules::{CaseKind, ComplaintBody, Law, Role, Stage};
use tizilim::store::engine::Register as Engine;
use tizilim::store::events::HearingOutcome;
use tizilim::store::services::{
    self, ComplaintDecision, ComplaintFiling, ComplaintForwarding, Decision, HearingNotice,
    HearingRecord,
};
use tizilim::store::{Error, Store};

fn d(s: &str) -> NaiveDate {
    NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap()
}

/// A local Almaty time as an instant.
fn almaty(s: &str) -> DateTime<Utc> {
    chrono_tz::Asia::Almaty
        .from_local_datetime(&chrono::NaiveDateTime::parse_from_str(s, "%Y-%m-%d %H:%M").unwrap())
        .unwrap()
        .with_timezone(&Utc)
}

fn application(v: &Value) -> tizilim::store::model::Application {
    let raw = serde_json::to_vec(v).unwrap();
    tizilim::intake::parse_application(&raw, Utc::now(), &tizilim::rules::Law::load(&[]).unwrap())
        .unwrap_or_else(|e| panic!("{e:?}"))
}

/// An exclusion (or change) of `serials`, by the miner of `bin`.
fn exclusion(bin: &str, serials: &[String], received: &str, change: bool) -> Value {
    let units: Vec<Value> = serials
        .iter()
        .map(|s| {
            if change {
                json!({"serial": s, "condition": "unserviceable", "power_kw": 2.9})
            } else {
                json!({"serial": s})
            }
        })
        .collect();
    let mut v = json!({
        "kind": if change { "change" } else { "exclusion" },
        "channel": "office",
        "received_at": received,
        "applicant": {"name": "Ekibastuz Compute LLP", "bin_iin": bin,
            "legal_address": "Ekibastuz, Satpayev st. 12", "phone": "+7 701 123 45 67",
            "email": "office@example.kz", "personal_data_consent": true},
        "units": units,
        "documents": [{"kind": if change { "change_basis" } else { "end_of_right_proof" },
            "name": "act.pdf"}]
    });
    if change {
        v["change"] = json!({"changed_on": "2025-05-28", "reason": "damaged in a fire"});
    }
    v
}

const RECEIVED: &str = "2025-06-02T10:00:00+05:00"; // Monday: registers the same day
const SENT: &str = "2025-06-03";
const HEARING: &str = "2025-06-04 10:00";
const DECIDED: &str = "2025-06-10"; // §10 due date (Kurban Ait on 6 June)

struct Bench {
    reg: Engine,
    law: Law,
    signers: std::collections::HashMap<String, tizilim::sign::p12::CertSigner>,
}

const ADMIN: &str = "amina";

impl Bench {
    /// A register on `fresh`'s engine with an admin, an operator, a clerk and
    /// a supervisor, each signer's key registered.
    fn on(fresh: &common::engines::Fresh) -> Bench {
        let now = Utc::now();
        let mut store = fresh.register(ADMIN);
        for (login, role) in [
            ("olzhas", Role::Operator),
            ("dana", Role::Clerk),
            ("serik", Role::Supervisor),
        ] {
            store
                .write(|tx| {
                    services::add_user(
                        &services::Context {
                            tx,
                            law: &tizilim::rules::Law::load(&[]).unwrap(),
                            actor: &tizilim::rules::Login::new(ADMIN),
                            at: now,
                        },
                        &tizilim::rules::Login::new(login),
                        role,
                    )
                })
                .unwrap();
        }
        let law = store.law().unwrap();
        let mut signers = std::collections::HashMap::new();
        for login in [ADMIN, "dana", "serik"] {
            let k = common::fixture::cert_signer(login, "880101300123");
            store
                .write(|tx| {
                    services::register_key(
                        &services::Context {
                            tx,
                            law: &law,
                            actor: &tizilim::rules::Login::new(login),
                            at: now,
                        },
                        &k,
                        login,
                        // §14: a head of the structural unit signs every notice.
                        tizilim::rules::Position::Head,
                        None,
                    )
                })
                .unwrap();
            signers.insert(login.to_string(), k);
        }
        // An operator cannot sign: its key (were it registered) is refused.
        signers.insert(
            "olzhas".into(),
            common::fixture::cert_signer("olzhas", "880101300123"),
        );
        Bench {
            reg: store,
            law,
            signers,
        }
    }

    fn register(&mut self, v: &Value) -> String {
        let app = application(v);
        let law = &self.law;
        self.reg
            .write(|tx| {
                services::register_application(
                    &services::Context {
                        tx,
                        law,
                        actor: &tizilim::rules::Login::new(ADMIN),
                        at: Utc::now(),
                    },
                    app,
                )
            })
            .unwrap()
    }

    fn version(&self, case: &str) -> i64 {
        self.reg
            .db()
            .one(
                "SELECT version FROM cases WHERE number = ?1",
                tizilim::args![case],
                |r| r.get(0),
            )
            .unwrap()
    }

    fn stage(&self, case: &str) -> String {
        self.reg
            .db()
            .one(
                "SELECT stage FROM cases WHERE number = ?1",
                tizilim::args![case],
                |r| r.get(0),
            )
            .unwrap()
    }

    fn journal_len(&self) -> i64 {
        self.reg
            .db()
            .one("SELECT count(*) FROM journal", tizilim::args![], |r| {
                r.get(0)
            })
            .unwrap()
    }

    /// Runs one action as `login`; commits only if `commit`.
    fn act(&mut self, login: &str, case: &str, action: Action, commit: bool) -> Result<(), Error> {
        let law = &self.law;
        let signer = &self.signers[login];
        let now = Utc::now();
        // §11: a second notice (a new ground) comes after the first hearing.
        let (sent, hearing) = if self.stage(case) == "hearing_held" {
            ("2025-06-04", "2025-06-05 10:00")
        } else {
            (SENT, HEARING)
        };
        let run = |tx: &dyn tizilim::store::sql::Sql| -> Result<(), Error> {
            match action {
                Action::NotifyHearing => services::notify_hearing(
                    &services::Context {
                        tx,
                        law,
                        actor: &tizilim::rules::Login::new(login),
                        at: now,
                    },
                    &tizilim::docs::Issuer { signer },
                    &HearingNotice {
                        late_reason: Some("the matrix acts on one day, late or not".into()),
                        case: case.into(),
                        expected_version: None,
                        sent_on: Some(d(sent)),
                        hearing_at: almaty(hearing),
                        place: "Astana, room 402".into(),
                        grounds: vec![2],
                        reason: "The serials do not match the declaration.".into(),
                    },
                )
                .map(|_| ()),
                Action::RecordHearing => services::record_hearing(
                    &services::Context {
                        tx,
                        law,
                        actor: &tizilim::rules::Login::new(login),
                        at: now,
                    },
                    &HearingRecord {
                        late_reason: Some("the matrix acts on one day, late or not".into()),
                        case: case.into(),
                        expected_version: None,
                        outcome: HearingOutcome::Held,
                        position: Some("We disagree.".into()),
                        on: Some(d("2025-06-04")),
                    },
                ),
                Action::LodgeComplaint => services::lodge_complaint(
                    &services::Context {
                        tx,
                        law,
                        actor: &tizilim::rules::Login::new(login),
                        at: now,
                    },
                    &ComplaintFiling {
                        case: case.into(),
                        expected_version: None,
                        addressed_to: ComplaintBody::Provider,
                        text: "Too slow.".into(),
                        received_at: None,
                    },
                )
                .map(|_| ()),
                _ => services::decide(
                    &services::Context {
                        tx,
                        law,
                        actor: &tizilim::rules::Login::new(login),
                        at: now,
                    },
                    &tizilim::docs::Issuer { signer },
                    &Decision {
                        late_reason: Some("the matrix acts on one day, late or not".into()),
                        case: case.into(),
                        expected_version: None,
                        action,
                        grounds: Vec::new(),
                        reason: Some("Reasoned in the case file.".into()),
                        on: Some(d(DECIDED)),
                    },
                )
                .map(|_| ()),
            }
        };
        if commit {
            self.reg.write(run)
        } else {
            // Try it and roll back, so the same case serves every combination.
            let mut tried = None;
            let rolled_back = self.reg.write(|tx| {
                tried = Some(run(tx));
                Err::<(), _>(Error::Corrupt("rolled back on purpose".into()))
            });
            assert!(rolled_back.is_err());
            tried.expect("the act ran")
        }
    }

    /// Drives a fresh case to `stage` through the services.
    fn case_at(&mut self, kind: CaseKind, stage: Stage, serials: &mut Vec<String>) -> String {
        let incomplete = stage == Stage::Incomplete || stage == Stage::RefusedIncomplete;
        let v = match kind {
            CaseKind::Inclusion => {
                let tag = format!("T{}", self.journal_len());
                let mut v = inclusion(&tag, 2);
                v["applicant"]["bin_iin"] = json!(bin_number(17));
                v["received_at"] = json!(RECEIVED);
                if incomplete {
                    v["documents"] = json!([]);
                }
                v
            }
            CaseKind::Exclusion | CaseKind::Change => {
                let mine = vec![serials.pop().expect("serial pool")];
                let mut v = exclusion(&bin_number(17), &mine, RECEIVED, kind == CaseKind::Change);
                if incomplete && kind == CaseKind::Exclusion {
                    v["documents"] = json!([]);
                }
                v
            }
        };
        let case = self.register(&v);
        let path: &[Action] = match stage {
            Stage::Incomplete | Stage::UnderReview => &[],
            Stage::HearingNotified => &[Action::NotifyHearing],
            Stage::HearingHeld => &[Action::NotifyHearing, Action::RecordHearing],
            Stage::Included => &[Action::Include],
            Stage::Excluded => &[Action::Exclude],
            Stage::Amended => &[Action::Amend],
            Stage::Refused => &[Action::NotifyHearing, Action::RecordHearing, Action::Refuse],
            Stage::RefusedIncomplete => &[Action::Refuse],
        };
        for a in path {
            self.act(ADMIN, &case, *a, true)
                .unwrap_or_else(|e| panic!("{kind} to {stage}: {a}: {e}"));
        }
        assert_eq!(self.stage(&case), stage.as_str(), "{kind}");
        case
    }

    /// An inclusion of `n` units, included, for the serial pool.
    fn included_pool(&mut self, n: usize) -> Vec<String> {
        let mut v = inclusion("POOL", n);
        v["received_at"] = json!(RECEIVED);
        let case = self.register(&v);
        self.act(ADMIN, &case, Action::Include, true).unwrap();
        (0..n).map(|i| format!("POOL{i:06}")).collect()
    }
}

/// What the Rules allow, written out from §9–§17 independently of the code's table.
fn rules_allow(kind: CaseKind, stage: Stage, action: Action) -> bool {
    use Stage::*;
    match action {
        Action::LodgeComplaint => true,
        // §11: a ground found after the hearing needs a notice and hearing of its own.
        Action::NotifyHearing => matches!(stage, UnderReview | HearingHeld),
        Action::RecordHearing => stage == HearingNotified,
        Action::Include => {
            kind == CaseKind::Inclusion && matches!(stage, UnderReview | HearingHeld)
        }
        Action::Exclude => {
            kind == CaseKind::Exclusion && matches!(stage, UnderReview | HearingHeld)
        }
        Action::Amend => kind == CaseKind::Change && matches!(stage, UnderReview | HearingHeld),
        Action::Refuse => matches!(stage, Incomplete | HearingHeld),
    }
}

fn role_may(role: Role, action: Action) -> bool {
    match action {
        Action::LodgeComplaint => true,
        _ => role != Role::Operator,
    }
}

fn stages_of(kind: CaseKind) -> Vec<Stage> {
    let closed = match kind {
        CaseKind::Inclusion => Stage::Included,
        CaseKind::Exclusion => Stage::Excluded,
        CaseKind::Change => Stage::Amended,
    };
    let mut s = Stage::OPEN.to_vec();
    s.extend([closed, Stage::Refused, Stage::RefusedIncomplete]);
    if kind == CaseKind::Change {
        // Appendix 5 requires no document for a change notice: it is never incomplete.
        s.retain(|s| !matches!(s, Stage::Incomplete | Stage::RefusedIncomplete));
    }
    s
}

#[test]
fn every_kind_stage_action_and_role() {
    common::engines::each(|fresh| {
        let mut b = Bench::on(fresh);
        let mut pool = b.included_pool(40);
        let logins = [
            ("olzhas", Role::Operator),
            ("dana", Role::Clerk),
            ("serik", Role::Supervisor),
            (ADMIN, Role::Admin),
        ];
        let mut checked = 0;
        for kind in CaseKind::ALL {
            for stage in stages_of(*kind) {
                let case = b.case_at(*kind, stage, &mut pool);
                for action in Action::ALL {
                    for (login, role) in logins {
                        let expect = rules_allow(*kind, stage, *action) && role_may(role, *action);
                        assert_eq!(
                            tizilim::rules::workflow::available(*kind, stage, role)
                                .contains(action),
                            expect,
                            "table: {kind} {stage} {action} {role}"
                        );
                        let (version, len) = (b.version(&case), b.journal_len());
                        let r = b.act(login, &case, *action, !expect);
                        match (expect, r) {
                            (true, Ok(())) => {}
                            (true, Err(e)) => panic!("{kind} {stage} {action} by {role}: {e}"),
                            (false, Ok(())) => panic!("{kind} {stage} {action} by {role} allowed"),
                            (false, Err(e)) => {
                                assert!(
                                    matches!(e, Error::Forbidden { .. } | Error::Refused { .. }),
                                    "{kind} {stage} {action} {role}: {e:?}"
                                );
                                if !role_may(role, *action) {
                                    assert!(matches!(e, Error::Forbidden { .. }), "{e}");
                                } else {
                                    // Every refusal by the Rules names its paragraph.
                                    assert!(e.to_string().starts_with('§'), "{e}");
                                }
                                // A refusal changes nothing.
                                assert_eq!(b.version(&case), version);
                                assert_eq!(b.journal_len(), len);
                            }
                        }
                        checked += 1;
                    }
                }
            }
        }
        assert_eq!(checked, (7 + 7 + 5) * 7 * 4);
        let report = audit(&b.reg).unwrap();
        assert!(report.finding.is_none(), "{:?}", report.finding);
    });
}

#[test]
fn serial_already_included_is_a_conflict_and_the_database_refuses_it_too() {
    common::engines::each(|fresh| {
        let mut b = Bench::on(fresh);
        let pool = b.included_pool(3);
        // Another miner applies with a serial already in the register.
        let mut v = inclusion("NEW", 2);
        v["applicant"]["bin_iin"] = json!(bin_number(99));
        v["received_at"] = json!(RECEIVED);
        v["units"][1]["serial"] = json!(pool[1]);
        let case = b.register(&v);
        let (version, len) = (b.version(&case), b.journal_len());
        let e = b.act("dana", &case, Action::Include, true).unwrap_err();
        let m = e.to_string();
        assert!(
            m.contains("units[1].serial") && m.contains(&pool[1]) && m.contains("entry 2"),
            "{m}"
        );
        assert_eq!((b.version(&case), b.journal_len()), (version, len));
        let file =
            tizilim::store::read::case_file::load(b.reg.db(), &b.law, &case, d(DECIDED)).unwrap();
        assert_eq!(file.conflicts.len(), 1);
        assert_eq!(file.conflicts[0].serial, pool[1]);
        // The partial unique index: a second included row for the serial cannot exist.
        let raw = b.reg.write(|db| {
        db.execute(
            "UPDATE units SET status = 'included', entry_no = 999 WHERE serial = ?1 AND status = 'pending'",
            tizilim::args![pool[1]],
        )
    });
        let refused = raw.unwrap_err().to_string().to_lowercase();
        assert!(refused.contains("unique"), "unique index: {refused}");
    });
}

impl Bench {
    /// A new key for `login`, registered with `position`, signs from now on.
    fn new_key(&mut self, login: &str, position: tizilim::rules::Position) {
        let k = common::fixture::cert_signer(login, "880101300123");
        let law = &self.law;
        self.reg
            .write(|tx| {
                services::register_key(
                    &services::Context {
                        tx,
                        law,
                        actor: &tizilim::rules::Login::new(login),
                        at: Utc::now(),
                    },
                    &k,
                    login,
                    position,
                    None,
                )
            })
            .unwrap();
        self.signers.insert(login.to_string(), k);
    }
}

/// §14: Appendix 8 is signed by the head of the structural unit or the
/// person acting for them; a key registered with another position is refused
/// and nothing is stored. It still signs an inclusion (§13).
#[test]
fn an_exclusion_is_signed_by_the_head_or_the_person_acting_for_them() {
    use tizilim::rules::Position;
    common::engines::each(|fresh| {
        let mut b = Bench::on(fresh);
        let pool = b.included_pool(1);
        let v = exclusion(&bin_number(17), &pool[..1], RECEIVED, false);
        let case = b.register(&v);
        b.new_key("dana", Position::Authorized);
        let e = b
            .act("dana", &case, Action::Exclude, true)
            .unwrap_err()
            .to_string();
        assert!(
            e.starts_with("§14")
                && e.contains("Head of the structural unit or Person acting for the head")
                && e.contains("registered as Authorized person of the service provider"),
            "{e}"
        );
        let mut v = inclusion("POS", 1);
        v["received_at"] = json!(RECEIVED);
        let inc = b.register(&v);
        b.act("dana", &inc, Action::Include, true).unwrap();
        b.new_key("dana", Position::Deputy);
        b.act("dana", &case, Action::Exclude, true).unwrap();
    });
}

#[test]
fn exclusion_and_change_need_the_applicants_own_entries() {
    common::engines::each(|fresh| {
        let mut b = Bench::on(fresh);
        let pool = b.included_pool(2);
        let other = bin_number(99);
        for change in [false, true] {
            let v = exclusion(&other, &pool[..1], RECEIVED, change);
            let case = b.register(&v);
            let action = if change {
                Action::Amend
            } else {
                Action::Exclude
            };
            let e = b.act("dana", &case, action, true).unwrap_err().to_string();
            assert!(
                e.contains("registered to another miner") && e.contains(&pool[0]),
                "{e}"
            );
            assert!(e.starts_with(if change { "§15" } else { "§14" }), "{e}");
            let v = exclusion(&bin_number(17), &["NOSUCH1".to_string()], RECEIVED, change);
            let case = b.register(&v);
            let e = b.act("dana", &case, action, true).unwrap_err().to_string();
            assert!(e.contains("NOSUCH1 is not included in the register"), "{e}");
        }
    });
}

#[test]
fn legal_dates_are_checked() {
    common::engines::each(|fresh| {
        let mut b = Bench::on(fresh);
        let mut v = inclusion("LD", 1);
        v["received_at"] = json!(RECEIVED);
        let case = b.register(&v);
        let law = &b.law;
        let now = Utc::now();
        let decide_on = |on: &str| Decision {
            late_reason: None,
            case: case.clone().into(),
            expected_version: None,
            action: Action::Include,
            grounds: vec![],
            reason: None,
            on: Some(d(on)),
        };
        for (on, says) in [
            ("2025-05-30", "before registration (02.06.2025)"),
            ("2099-01-05", "is in the future"),
            ("2025-06-07", "07.06.2025 is not a working day"),
        ] {
            let e = b
                .reg
                .write(|tx| {
                    services::decide(
                        &services::Context {
                            tx,
                            law,
                            actor: &tizilim::rules::Login::new("dana"),
                            at: now,
                        },
                        &tizilim::docs::Issuer {
                            signer: &b.signers["dana"],
                        },
                        &decide_on(on),
                    )
                })
                .unwrap_err();
            assert!(
                matches!(&e, Error::Invalid { field, .. } if field == "on"),
                "{e:?}"
            );
            assert!(e.to_string().contains(says), "{on}: {e}");
        }
        // A hearing set in the future cannot be recorded as held.
        let mut v = inclusion("LF", 1);
        v["received_at"] = json!(RECEIVED);
        let _ = v;
        let today = b.law.calendar.local_date(now);
        let registered = b.register(&{
            let mut v = inclusion("LH", 1);
            v["received_at"] = json!(format!(
                "{}T10:00:00+05:00",
                b.law.calendar.add_working_days(today, -1).unwrap()
            ));
            v
        });
        let law = &b.law;
        let sent = law.calendar.add_working_days(today, -1).unwrap();
        let hearing_day = law.calendar.add_working_days(sent, 2).unwrap();
        let hearing_at = almaty(&format!("{hearing_day} 11:00"));
        b.reg
            .write(|tx| {
                services::notify_hearing(
                    &services::Context {
                        tx,
                        law,
                        actor: &tizilim::rules::Login::new("dana"),
                        at: now,
                    },
                    &tizilim::docs::Issuer {
                        signer: &b.signers["dana"],
                    },
                    &HearingNotice {
                        late_reason: None,
                        case: registered.clone().into(),
                        expected_version: None,
                        sent_on: Some(sent),
                        hearing_at,
                        place: "Astana".into(),
                        grounds: vec![1],
                        reason: "unreliable lease".into(),
                    },
                )
            })
            .unwrap();
        let e = b
            .reg
            .write(|tx| {
                services::record_hearing(
                    &services::Context {
                        tx,
                        law,
                        actor: &tizilim::rules::Login::new("dana"),
                        at: now,
                    },
                    &HearingRecord {
                        late_reason: None,
                        case: registered.clone().into(),
                        expected_version: None,
                        outcome: HearingOutcome::Absent,
                        position: None,
                        on: None,
                    },
                )
            })
            .unwrap_err();
        assert!(
            e.to_string().starts_with("§12: the hearing is set for")
                && e.to_string().contains("before it takes place"),
            "{e}"
        );
    });
}

/// Notice and hearing dates for a case received at `received`.
fn notify_at(reg: &Register, case: &str, sent_on: &str, hearing: &str) -> std::process::Output {
    reg.run(&[
        "hearing",
        "notify",
        case,
        "--ground",
        "2",
        "--reason",
        "Serials do not match.",
        "--at",
        hearing,
        "--place",
        "Astana, room 402",
        "--sent-on",
        sent_on,
    ])
}

#[test]
fn section_12_across_nauryz_2024() {
    let reg = Register::new();
    let f = reg.write_json("a.json", &inclusion("NZ", 1)); // received 20 March 19:05 → 26 March
    assert!(reg.run(&["intake", f.to_str().unwrap()]).status.success());
    let case = "ABK-2024-000001";
    // §10 due 2 April; the notice 3 working days before: 28 March.
    let o = notify_at(&reg, case, "2024-03-29", "2024-04-01T10:00");
    assert_eq!(o.status.code(), Some(1));
    assert!(
        stderr(&o).contains("§12: the hearing notice is due by 28.03.2024"),
        "{}",
        stderr(&o)
    );
    // Notice on 28 March: the hearing by 1 April (2 working days: Fri 29, Mon 1).
    let o = notify_at(&reg, case, "2024-03-28", "2024-04-02T10:00");
    assert!(
        stderr(&o).contains("§12: the hearing must be held by 01.04.2024"),
        "{}",
        stderr(&o)
    );
    let o = notify_at(&reg, case, "2024-03-28", "2024-03-30T10:00");
    assert!(
        stderr(&o).contains("outside office hours"),
        "{}",
        stderr(&o)
    );
    // Appendix 5's lunch break, 13:00–14:30, is not office hours either.
    for lunch in ["2024-04-01T13:00", "2024-04-01T13:30", "2024-04-01T14:29"] {
        let o = notify_at(&reg, case, "2024-03-28", lunch);
        assert!(
            stderr(&o).contains("outside office hours")
                && stderr(&o).contains("lunch break 13:00–14:30"),
            "{lunch}: {}",
            stderr(&o)
        );
    }
    let o = notify_at(&reg, case, "2024-03-28", "2024-04-01T14:30");
    assert!(o.status.success(), "{}", stderr(&o));
}

#[test]
fn section_12_across_the_2025_transfer() {
    // 2025: Fri 3 January off, Sun 5 January a working day; 1, 2 and 7 January holidays.
    let reg = Register::new();
    let mut v = inclusion("TR", 1);
    v["received_at"] = json!("2024-12-30T10:00:00+05:00");
    let f = reg.write_json("a.json", &v);
    assert!(reg.run(&["intake", f.to_str().unwrap()]).status.success());
    let case = "ABK-2024-000001";
    let show: Value =
        serde_json::from_str(&stdout(&reg.run(&["case", "show", case, "--json"]))).unwrap();
    assert_eq!(show["hearing_notice_due"], "2025-01-05", "{show}");
    let o = notify_at(&reg, case, "2025-01-06", "2025-01-08T10:00");
    assert!(
        stderr(&o).contains("§12: the hearing notice is due by 05.01.2025"),
        "{}",
        stderr(&o)
    );
    let o = notify_at(&reg, case, "2025-01-03", "2025-01-06T10:00");
    assert!(
        stderr(&o).contains("03.01.2025 is not a working day"),
        "{}",
        stderr(&o)
    );
    // Sent on the transferred Sunday: the hearing by Wed 8 January (Mon 6, [Tue 7 off], Wed 8).
    let o = notify_at(&reg, case, "2025-01-05", "2025-01-09T10:00");
    assert!(
        stderr(&o).contains("§12: the hearing must be held by 08.01.2025"),
        "{}",
        stderr(&o)
    );
    let o = notify_at(&reg, case, "2025-01-05", "2025-01-08T10:00");
    assert!(o.status.success(), "{}", stderr(&o));
}

fn json_of(o: &std::process::Output) -> Value {
    serde_json::from_str(&stdout(o)).unwrap_or_else(|e| panic!("{e}: {}", stdout(o)))
}

#[test]
fn inclusion_with_a_hearing_ending_in_refusal_then_a_complaint_reopens_it() {
    let reg = Register::new();
    let f = reg.write_json("a.json", &inclusion("FULL", 3));
    assert!(reg.run(&["intake", f.to_str().unwrap()]).status.success());
    let case = "ABK-2024-000001";
    let list = json_of(&reg.run(&["case", "list", "--json", "--stage", "under_review"]));
    assert_eq!(list[0]["case"], case);
    assert_eq!(list[0]["version"], 1);
    let o = reg.run(&[
        "hearing",
        "notify",
        "abk-2024-000001",
        "--ground",
        "2",
        "--ground",
        "1",
        "--reason",
        "The serial numbers in Appendix 3 do not match the customs declaration.",
        "--at",
        "2024-03-29T15:00",
        "--place",
        "Astana, room 402",
        "--sent-on",
        "2024-03-27",
        "--expect-version",
        "1",
        "--json",
    ]);
    assert!(o.status.success(), "{}", stderr(&o));
    assert_eq!(json_of(&o)["version"], 2);
    // Refusing before the hearing is held: §11–§13.
    let o = reg.run(&[
        "case",
        "decide",
        case,
        "refuse",
        "--reason",
        "x",
        "--on",
        "2024-03-29",
    ]);
    assert_eq!(o.status.code(), Some(1));
    assert!(stderr(&o).contains("§11–§13"), "{}", stderr(&o));
    let o = reg.run(&[
        "hearing",
        "record",
        case,
        "--held",
        "--position",
        "The declaration has a typo.",
        "--on",
        "2024-03-29",
        "--expect-version",
        "2",
    ]);
    assert!(o.status.success(), "{}", stderr(&o));
    let reason = "The applicant showed no corrected declaration at the hearing.";
    let o = reg.run(&[
        "case",
        "decide",
        case,
        "refuse",
        "--reason",
        reason,
        "--on",
        "2024-04-01",
        "--expect-version",
        "3",
        "--json",
    ]);
    assert!(o.status.success(), "{}", stderr(&o));
    let dec = json_of(&o);
    assert_eq!(dec["decision"], "REF-2024-000001");
    assert_eq!(dec["outcome"], "refused");
    let show = json_of(&reg.run(&["case", "show", case, "--json"]));
    assert_eq!(show["stage"], "refused");
    assert_eq!(show["hearing"]["outcome"], "held");
    assert_eq!(show["hearing"]["held_on"], "2024-03-29");
    assert_eq!(show["decisions"][0]["grounds"], json!([1, 2]));
    assert_eq!(show["decisions"][0]["reason"], reason);
    assert!(
        show["units"]
            .as_array()
            .unwrap()
            .iter()
            .all(|u| u["status"] == "refused")
    );
    // A complaint to the provider, granted in part: the case goes back to
    // review (a full grant would take the inclusion itself, §18–§19).
    let o = reg.run(&[
        "complaint",
        "lodge",
        case,
        "--to",
        "provider",
        "--text",
        "The typo was corrected.",
        "--received",
        "2024-04-02T11:00",
        "--json",
    ]);
    assert!(o.status.success(), "{}", stderr(&o));
    let cmp = json_of(&o)["complaint"].as_str().unwrap().to_string();
    let o = reg.run(&[
        "complaint",
        "decide",
        &cmp,
        "partly_granted",
        "--reason",
        "The corrected declaration matches.",
        "--on",
        "2024-04-04",
        "--expect-version",
        "1",
        "--json",
    ]);
    assert!(o.status.success(), "{}", stderr(&o));
    assert_eq!(json_of(&o)["case_reopened"], true);
    assert_eq!(json_of(&o)["act"], Value::Null);
    assert_eq!(json_of(&o)["decision"], "CDN-2024-000001");
    let show = json_of(&reg.run(&["case", "show", case, "--json"]));
    assert_eq!(show["stage"], "under_review");
    assert_eq!(show["reopened_on"], "2024-04-04");
    // The §10 clock counts afresh from the reopening: 5 working days after 4 April.
    let clock = show["clocks"]
        .as_array()
        .unwrap()
        .iter()
        .find(|c| c["clock"] == "decide_inclusion")
        .unwrap()
        .clone();
    assert_eq!(clock["started"], "2024-04-04");
    assert_eq!(clock["due"], "2024-04-11");
    let o = reg.run(&["case", "decide", case, "include", "--on", "2024-04-05"]);
    assert!(o.status.success(), "{}", stderr(&o));
    let show = json_of(&reg.run(&["case", "show", case, "--json"]));
    assert_eq!(show["stage"], "included");
    assert_eq!(show["decisions"].as_array().unwrap().len(), 2);
    assert_eq!(show["units"][2]["entry_no"], 3);
    let kinds: Vec<&str> = show["history"]
        .as_array()
        .unwrap()
        .iter()
        .map(|h| h["kind"].as_str().unwrap())
        .collect();
    assert_eq!(
        kinds,
        [
            "case_registered",
            "hearing_notified",
            "term_ended",    // §12: the notice, in time
            "notice_issued", // §11: the preliminary decision, signed (HRN)
            "hearing_held",
            "term_ended", // §12: the hearing
            "decision_issued",
            "term_ended", // §10
            "notice_issued",
            "complaint_lodged",
            "complaint_decided",
            "term_ended", // the complaint's clock
            "case_reopened",
            "notice_issued", // §19: the written decision, signed (CDN)
            "decision_issued",
            "term_ended", // §10 afresh from the reopening
            "notice_issued"
        ]
    );
    // The case file for the complaint body or a court (§21).
    let tar = reg.dir.path().join("case.tar");
    let o = reg.run(&["case", "export", case, "--out", tar.to_str().unwrap()]);
    assert!(o.status.success(), "{}", stderr(&o));
    let mut archive = tar::Archive::new(std::fs::File::open(&tar).unwrap());
    let mut names = Vec::new();
    let mut manifest = Value::Null;
    let mut journal = String::new();
    for e in archive.entries().unwrap() {
        let mut e = e.unwrap();
        let name = e.path().unwrap().display().to_string();
        let mut body = String::new();
        std::io::Read::read_to_string(&mut e, &mut body).unwrap();
        if name.ends_with("manifest.json") {
            manifest = serde_json::from_str(&body).unwrap();
        }
        if name.ends_with("journal.jsonl") {
            journal = body;
        }
        names.push(name);
    }
    // The manifest, the application, the case, the journal, and (issue 21)
    // the four signed documents (the hearing notice, the refusal, the
    // complaint's decision, the inclusion) rendered in three languages as
    // text and HTML.
    assert_eq!(names.len(), 4 + 4 * 6, "{names:?}");
    assert_eq!(manifest["files"].as_array().unwrap().len(), 3 + 4 * 6);
    // Each journal row's hash recomputes from its fields.
    for line in journal.lines() {
        let r: Value = serde_json::from_str(line).unwrap();
        let h = tizilim::store::journal::row_hash(
            r["prev_hash"].as_str().unwrap(),
            r["seq"].as_i64().unwrap(),
            r["at"].as_str().unwrap(),
            r["actor"].as_str().unwrap(),
            r["kind"].as_str().unwrap(),
            r["subject"].as_str(),
            r["payload"].as_str().unwrap(),
        );
        assert_eq!(h, r["hash"].as_str().unwrap());
    }
    assert_eq!(
        journal.lines().count(),
        17,
        "the case's ten acts, its five terms, the hearing notice and the complaint's decision"
    );
    assert!(reg.run(&["audit", "verify"]).status.success());
}

#[test]
fn exclusion_then_reinclusion_by_another_miner_and_a_change_in_the_export() {
    let reg = Register::new();
    let mut a = inclusion("EX", 2);
    a["received_at"] = json!(RECEIVED);
    let f = reg.write_json("a.json", &a);
    assert!(reg.run(&["intake", f.to_str().unwrap()]).status.success());
    assert!(
        reg.run(&[
            "case",
            "decide",
            "ABK-2025-000001",
            "include",
            "--on",
            "2025-06-03"
        ])
        .status
        .success()
    );
    // The miner sells EX000000: exclusion (§14).
    let ex = exclusion(
        &bin_number(17),
        &["EX000000".into()],
        "2025-06-04T10:00:00+05:00",
        false,
    );
    let f = reg.write_json("b.json", &ex);
    assert!(reg.run(&["intake", f.to_str().unwrap()]).status.success());
    let o = reg.run(&[
        "case",
        "decide",
        "ABK-2025-000002",
        "exclude",
        "--on",
        "2025-06-05",
        "--json",
    ]);
    assert!(o.status.success(), "{}", stderr(&o));
    assert_eq!(json_of(&o)["decision"], "EXC-2025-000001");
    // The buyer applies with the same serial: no conflict any more.
    let mut c = inclusion("EX", 1);
    c["applicant"]["bin_iin"] = json!(bin_number(99));
    c["applicant"]["name"] = json!("Buyer LLP");
    c["received_at"] = json!("2025-06-09T10:00:00+05:00");
    let f = reg.write_json("c.json", &c);
    assert!(reg.run(&["intake", f.to_str().unwrap()]).status.success());
    let show = json_of(&reg.run(&["case", "show", "ABK-2025-000003", "--json"]));
    assert_eq!(show["conflicts"], json!([]));
    let o = reg.run(&[
        "case",
        "decide",
        "ABK-2025-000003",
        "include",
        "--on",
        "2025-06-10",
    ]);
    assert!(o.status.success(), "{}", stderr(&o));
    // A change (§15) of the other unit: unserviceable, 2.9 kW.
    let ch = exclusion(
        &bin_number(17),
        &["EX000001".into()],
        "2025-06-10T10:00:00+05:00",
        true,
    );
    let f = reg.write_json("d.json", &ch);
    assert!(reg.run(&["intake", f.to_str().unwrap()]).status.success());
    let o = reg.run(&[
        "case",
        "decide",
        "ABK-2025-000004",
        "amend",
        "--on",
        "2025-06-11",
    ]);
    assert!(o.status.success(), "{}", stderr(&o));
    let export: Value = serde_json::from_str(&stdout(
        &reg.run(&["register", "export", "--format", "json"]),
    ))
    .unwrap();
    let rows = export.as_array().unwrap();
    let by = |serial: &str, status: &str| {
        rows.iter()
            .find(|r| r["serial"] == serial && r["status"] == status)
            .cloned()
    };
    let old = by("EX000000", "excluded").expect("excluded entry kept");
    assert_eq!(old["exclusion_notice_no"], "EXC-2025-000001");
    assert_eq!(old["excluded_on"], "2025-06-05");
    let new = by("EX000000", "included").expect("re-included");
    assert_eq!(new["miner"], "Buyer LLP");
    assert_eq!(new["entry_no"], 3);
    let changed = by("EX000001", "included").unwrap();
    assert_eq!(changed["condition"], "unserviceable");
    assert_eq!(changed["power_kw"], 2.9);
    assert!(reg.run(&["audit", "verify"]).status.success());
}

#[test]
fn complaints_section_18_forwarding() {
    let reg = Register::new();
    let f = reg.write_json("a.json", &inclusion("CP", 1));
    assert!(reg.run(&["intake", f.to_str().unwrap()]).status.success());
    let case = "ABK-2024-000001";
    // Received Tue 2 April 2024: forward by Fri 5 April (§18).
    let lodge = |text: &str| {
        let o = reg.run(&[
            "complaint",
            "lodge",
            case,
            "--to",
            "quality_body",
            "--text",
            text,
            "--received",
            "2024-04-02T10:00",
            "--json",
        ]);
        assert!(o.status.success(), "{}", stderr(&o));
        json_of(&o)["complaint"].as_str().unwrap().to_string()
    };
    let late = lodge("Nobody answers.");
    let out = json_of(&reg.run(&["deadlines", "--json", "--at", "2024-04-08T10:00:00+05:00"]));
    let row = out
        .as_array()
        .unwrap()
        .iter()
        .find(|r| r["complaint"] == late.as_str())
        .unwrap()
        .clone();
    assert_eq!(row["clock"], "forward_complaint");
    assert_eq!(row["due"], "2024-04-05");
    assert_eq!(row["state"], "overdue");
    // The provider may not reject it, nor grant it after the 3 days; it must forward.
    let o = reg.run(&[
        "complaint",
        "decide",
        &late,
        "rejected",
        "--reason",
        "no",
        "--on",
        "2024-04-03",
    ]);
    assert!(
        stderr(&o).contains(
            "is for the complaint body: within 3 working days (by 05.04.2024) the provider may only grant it in full; otherwise it forwards it"
        ),
        "{}",
        stderr(&o)
    );
    let o = reg.run(&[
        "complaint",
        "decide",
        &late,
        "granted",
        "--reason",
        "ok",
        "--on",
        "2024-04-08",
    ]);
    assert!(
        stderr(&o).contains("by 05.04.2024; forward it now"),
        "{}",
        stderr(&o)
    );
    let o = reg.run(&[
        "complaint",
        "forward",
        &late,
        "--on",
        "2024-04-08",
        "--expect-version",
        "1",
        "--json",
    ]);
    // A day after §18's last day: only with a reason, which goes on the record.
    assert_eq!(o.status.code(), Some(1), "{}", stdout(&o));
    assert!(
        stderr(&o).contains("§18: the last day was 05.04.2024; give --late-reason"),
        "{}",
        stderr(&o)
    );
    let o = reg.run(&[
        "complaint",
        "forward",
        &late,
        "--on",
        "2024-04-08",
        "--expect-version",
        "1",
        "--late-reason",
        "Received in the general office and sent on late.",
        "--json",
    ]);
    assert!(o.status.success(), "{}", stderr(&o));
    assert_eq!(json_of(&o)["version"], 2);
    let o = reg.run(&["complaint", "forward", &late, "--on", "2024-04-08"]);
    assert!(stderr(&o).contains("already forwarded"), "{}", stderr(&o));
    // Once forwarded, §20 runs at the quality-control body.
    let out = json_of(&reg.run(&["deadlines", "--json", "--at", "2024-04-09T10:00:00+05:00"]));
    let row = out
        .as_array()
        .unwrap()
        .iter()
        .find(|r| r["complaint"] == late.as_str())
        .unwrap()
        .clone();
    assert_eq!(row["clock"], "decide_complaint_quality_body");
    // Granted in full within the 3 days: the favourable act itself, the
    // inclusion applied for with its signed notice, in the same transaction
    // (the inclusion is past §10's last day: on the record with its reason).
    let fast = lodge("Please include us.");
    let grant = |late: Option<&str>| {
        let mut args = vec![
            "complaint",
            "decide",
            &fast,
            "granted",
            "--reason",
            "Granted in full.",
            "--on",
            "2024-04-04",
            "--json",
        ];
        if let Some(l) = late {
            args.extend(["--late-reason", l]);
        }
        reg.run(&args)
    };
    let o = grant(None);
    assert_eq!(o.status.code(), Some(1), "{}", stdout(&o));
    assert!(
        stderr(&o).contains("§10: the last day was 02.04.2024"),
        "{}",
        stderr(&o)
    );
    // Refused whole: neither the grant nor the act is stored.
    let list = json_of(&reg.run(&["complaint", "list", "--json"]));
    assert_eq!(list[1]["status"], "received");
    let o = grant(Some("The complaint showed the review had stalled."));
    assert!(o.status.success(), "{}", stderr(&o));
    let v = json_of(&o);
    assert_eq!(v["act"], "INC-2024-000001", "{v}");
    assert_eq!(v["decision"], "CDN-2024-000001", "{v}");
    assert_eq!(v["case_reopened"], false, "{v}");
    let show = json_of(&reg.run(&["case", "show", case, "--json"]));
    assert_eq!(show["stage"], "included");
    let list = json_of(&reg.run(&["complaint", "list", "--json"]));
    assert_eq!(list.as_array().unwrap().len(), 2);
    assert_eq!(list[1]["outcome"], "granted");
    // Both documents are signed and verify, in every language.
    for no in ["INC-2024-000001", "CDN-2024-000001"] {
        for lang in ["kk", "ru", "en"] {
            let out = reg.dir.path().join(format!("{no}-{lang}.txt"));
            let o = reg.run(&[
                "--lang",
                lang,
                "doc",
                "render",
                no,
                "--out",
                out.to_str().unwrap(),
            ]);
            assert!(o.status.success(), "{no} {lang}: {}", stderr(&o));
            let o = reg.run(&["doc", "verify", out.to_str().unwrap()]);
            assert!(o.status.success(), "{no} {lang}: {}", stderr(&o));
        }
    }
    assert!(reg.run(&["audit", "verify"]).status.success());
}

#[test]
fn two_processes_act_on_one_case_one_wins_the_other_exits_3() {
    let reg = Register::new();
    let f = reg.write_json("a.json", &inclusion("RACE", 50));
    assert!(reg.run(&["intake", f.to_str().unwrap()]).status.success());
    let spawn = || {
        reg.command()
            .args([
                "case",
                "decide",
                "ABK-2024-000001",
                "include",
                "--on",
                "2024-03-27",
                "--expect-version",
                "1",
            ])
            .stdout(std::process::Stdio::piped())
            .stderr(std::process::Stdio::piped())
            .spawn()
            .unwrap()
    };
    let (a, b) = (spawn(), spawn());
    let (a, b) = (a.wait_with_output().unwrap(), b.wait_with_output().unwrap());
    let mut codes = [a.status.code(), b.status.code()];
    codes.sort();
    assert_eq!(codes, [Some(0), Some(3)], "{} / {}", stderr(&a), stderr(&b));
    let loser = if a.status.code() == Some(3) { &a } else { &b };
    let login = tizilim::cli::os_login().unwrap().to_string();
    assert!(
        stderr(loser).contains(&format!("was changed by {login} at")),
        "{}",
        stderr(loser)
    );
    assert!(
        stderr(loser).contains("now version 2, you saw 1"),
        "{}",
        stderr(loser)
    );
    assert_eq!(reg.count("decisions"), 1);
    assert!(reg.run(&["audit", "verify"]).status.success());
}

#[test]
fn reading_needs_a_role_and_the_last_admin_stays() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("r.sqlite");
    {
        let mut s = Store::create(&db).unwrap();
        s.write(|tx| {
            services::create_register(tx, &tizilim::rules::Login::new("someone-else"), Utc::now())
        })
        .unwrap();
    }
    for args in [
        &["case", "list"][..],
        &["case", "show", "ABK-2024-000001"],
        &["complaint", "list"],
        &["hearing", "list"],
    ] {
        let o = std::process::Command::new(common::bin())
            .arg("--db")
            .arg(&db)
            .args(args)
            .output()
            .unwrap();
        assert_eq!(o.status.code(), Some(1), "{args:?}");
        assert!(
            stderr(&o).contains("may not read the register"),
            "{}",
            stderr(&o)
        );
        assert!(stdout(&o).is_empty());
    }
    common::engines::each(|fresh| {
        let mut b = Bench::on(fresh);
        let now = Utc::now();
        let e = b
            .reg
            .write(|tx| {
                services::add_user(
                    &services::Context {
                        tx,
                        law: &tizilim::rules::Law::load(&[]).unwrap(),
                        actor: &tizilim::rules::Login::new(ADMIN),
                        at: now,
                    },
                    &tizilim::rules::Login::new(ADMIN),
                    Role::Clerk,
                )
            })
            .unwrap_err();
        assert!(e.to_string().contains("last admin"), "{e}");
        b.reg
            .write(|tx| {
                services::add_user(
                    &services::Context {
                        tx,
                        law: &tizilim::rules::Law::load(&[]).unwrap(),
                        actor: &tizilim::rules::Login::new(ADMIN),
                        at: now,
                    },
                    &tizilim::rules::Login::new("serik"),
                    Role::Admin,
                )
            })
            .unwrap();
        b.reg
            .write(|tx| {
                services::add_user(
                    &services::Context {
                        tx,
                        law: &tizilim::rules::Law::load(&[]).unwrap(),
                        actor: &tizilim::rules::Login::new(ADMIN),
                        at: now,
                    },
                    &tizilim::rules::Login::new(ADMIN),
                    Role::Clerk,
                )
            })
            .unwrap();
    });
}

#[test]
fn complaint_services_directly() {
    common::engines::each(|fresh| {
        let mut b = Bench::on(fresh);
        let mut v = inclusion("CS", 1);
        v["received_at"] = json!(RECEIVED);
        let case = b.register(&v);
        let law = &b.law;
        let now = Utc::now();
        let cmp = b
            .reg
            .write(|tx| {
                services::lodge_complaint(
                    &services::Context {
                        tx,
                        law,
                        actor: &tizilim::rules::Login::new("olzhas"),
                        at: now,
                    },
                    &ComplaintFiling {
                        case: case.to_lowercase().into(),
                        expected_version: Some(1),
                        addressed_to: ComplaintBody::QualityBody,
                        text: "Line one.\nLine two.".into(),
                        received_at: Some(almaty("2025-06-03 10:00")),
                    },
                )
            })
            .unwrap();
        // A clerk may not handle complaints; a supervisor may.
        let fwd = |v| ComplaintForwarding {
            late_reason: None,
            complaint: cmp.clone().into(),
            expected_version: v,
            on: Some(d("2025-06-04")),
        };
        let e = b
            .reg
            .write(|tx| {
                services::forward_complaint(
                    &services::Context {
                        tx,
                        law,
                        actor: &tizilim::rules::Login::new("dana"),
                        at: now,
                    },
                    &fwd(None),
                )
            })
            .unwrap_err();
        assert!(matches!(e, Error::Forbidden { .. }), "{e}");
        let e = b
            .reg
            .write(|tx| {
                services::forward_complaint(
                    &services::Context {
                        tx,
                        law,
                        actor: &tizilim::rules::Login::new("serik"),
                        at: now,
                    },
                    &fwd(Some(5)),
                )
            })
            .unwrap_err();
        assert!(matches!(e, Error::Stale { .. }), "{e}");
        b.reg
            .write(|tx| {
                services::forward_complaint(
                    &services::Context {
                        tx,
                        law,
                        actor: &tizilim::rules::Login::new("serik"),
                        at: now,
                    },
                    &fwd(Some(1)),
                )
            })
            .unwrap();
        let dec = |on: &str| ComplaintDecision {
            late_reason: None,
            complaint: cmp.clone().into(),
            expected_version: Some(2),
            outcome: ComplaintOutcome::PartlyGranted,
            reason: "Partly right.".into(),
            on: Some(d(on)),
        };
        let e = b
            .reg
            .write(|tx| {
                services::decide_complaint(
                    &services::Context {
                        tx,
                        law,
                        actor: &tizilim::rules::Login::new("serik"),
                        at: now,
                    },
                    &tizilim::docs::Issuer {
                        signer: &b.signers["serik"],
                    },
                    &dec("2025-06-03"),
                )
            })
            .unwrap_err();
        assert!(
            e.to_string()
                .contains("before the complaint's registration or forwarding"),
            "{e}"
        );
        let reopened = b
            .reg
            .write(|tx| {
                services::decide_complaint(
                    &services::Context {
                        tx,
                        law,
                        actor: &tizilim::rules::Login::new("serik"),
                        at: now,
                    },
                    &tizilim::docs::Issuer {
                        signer: &b.signers["serik"],
                    },
                    &dec("2025-06-05"),
                )
            })
            .unwrap();
        assert!(
            !reopened.reopened && reopened.act.is_none(),
            "the case was not refused and the body, not the provider, decided: {reopened:?}"
        );
        assert!(reopened.decision.starts_with("CDN-2025-"), "{reopened:?}");
        let e = b
            .reg
            .write(|tx| {
                services::decide_complaint(
                    &services::Context {
                        tx,
                        law,
                        actor: &tizilim::rules::Login::new("serik"),
                        at: now,
                    },
                    &tizilim::docs::Issuer {
                        signer: &b.signers["serik"],
                    },
                    &ComplaintDecision {
                        late_reason: None,
                        expected_version: None,
                        ..dec("2025-06-05")
                    },
                )
            })
            .unwrap_err();
        assert!(e.to_string().contains("already decided"), "{e}");
        assert!(audit(&b.reg).unwrap().finding.is_none());
    });
}

#[test]
fn times_are_shown_in_almaty_in_case_show_and_the_lists() {
    let reg = Register::new();
    // Received on the portal at 19:05 Almaty on 20 March 2024 (14:05 UTC).
    let f = reg.write_json("a.json", &inclusion("TZ", 1));
    assert!(reg.run(&["intake", f.to_str().unwrap()]).status.success());
    let case = "ABK-2024-000001";
    // A hearing at 14:45 Almaty (09:45 UTC), given in UTC.
    let o = notify_at(&reg, case, "2024-03-27", "2024-03-29T09:45:00Z");
    assert!(o.status.success(), "{}", stderr(&o));
    let o = reg.run(&[
        "complaint",
        "lodge",
        case,
        "--to",
        "provider",
        "--text",
        "The hearing is too soon.",
        "--received",
        "2024-03-28T06:15:00Z",
    ]);
    assert!(o.status.success(), "{}", stderr(&o));

    let text = stdout(&reg.run(&["case", "show", case]));
    assert!(
        text.contains("Registered 26.03.2024 (received 20.03.2024 19:05)"),
        "{text}"
    );
    assert!(
        text.contains("Hearing: 29.03.2024 14:45 at Astana, room 402 (notified 27.03.2024)"),
        "{text}"
    );
    for not in ["+00:00", "UTC", "14:05", "09:45", "T1"] {
        assert!(!text.contains(not), "{not}: {text}");
    }
    // The history: each row's instant as dd.mm.yyyy HH:MM.
    let history: Vec<&str> = text
        .lines()
        .skip_while(|l| *l != "History:")
        .skip(1)
        .collect();
    // Registration, the hearing notice, its term (§12) and its signed
    // document (§11) on the record.
    assert_eq!(history.len(), 5, "{text}");
    for line in history {
        let at = line.split_whitespace().nth(1).unwrap();
        let time = line.split_whitespace().nth(2).unwrap();
        assert!(
            NaiveDate::parse_from_str(at, "%d.%m.%Y").is_ok()
                && chrono::NaiveTime::parse_from_str(time, "%H:%M").is_ok(),
            "{line}"
        );
    }

    // JSON keeps RFC 3339, with the office's offset.
    let v = json_of(&reg.run(&["case", "show", case, "--json"]));
    assert_eq!(v["received_at"], "2024-03-20T19:05:00+05:00");
    assert_eq!(v["hearing"]["at"], "2024-03-29T14:45:00+05:00");
    assert_eq!(
        v["complaints"][0]["received_at"],
        "2024-03-28T11:15:00+05:00"
    );
    for h in v["history"].as_array().unwrap() {
        assert!(h["at"].as_str().unwrap().ends_with("+05:00"), "{h}");
    }
    let hearings = json_of(&reg.run(&["hearing", "list", "--json"]));
    assert_eq!(hearings[0]["at"], "2024-03-29T14:45:00+05:00");
    let list = stdout(&reg.run(&["hearing", "list"]));
    assert!(
        list.starts_with("29.03.2024 14:45 ABK-2024-000001"),
        "{list}"
    );
    let complaints = json_of(&reg.run(&["complaint", "list", "--json"]));
    assert_eq!(complaints[0]["received_at"], "2024-03-28T11:15:00+05:00");
    // Before 1 March 2024 Almaty was UTC+6: the offset of the day.
    let mut early = inclusion("TZ6", 1);
    early["received_at"] = json!("2024-02-20T04:00:00Z");
    early["applicant"]["bin_iin"] = json!(bin_number(99));
    let f = reg.write_json("b.json", &early);
    assert!(reg.run(&["intake", f.to_str().unwrap()]).status.success());
    let v = json_of(&reg.run(&["case", "show", "ABK-2024-000002", "--json"]));
    assert_eq!(v["received_at"], "2024-02-20T10:00:00+06:00");
    let text = stdout(&reg.run(&["case", "show", "ABK-2024-000002"]));
    assert!(text.contains("(received 20.02.2024 10:00)"), "{text}");
    // The hearing notice's own line and JSON.
    let o = notify_at(
        &reg,
        "ABK-2024-000002",
        "2024-02-21",
        "2024-02-23T05:00:00Z",
    );
    assert!(o.status.success(), "{}", stderr(&o));
    assert!(
        stdout(&o).contains("hearing 23.02.2024 11:00"),
        "{}",
        stdout(&o)
    );
}

/// §11 (issue 21): a refusal after the hearing rests only on the grounds the
/// hearing notice named; a new ground needs a new notice and hearing.
#[test]
fn a_refusal_rests_only_on_grounds_the_applicant_was_heard_on() {
    common::engines::each(|fresh| {
        let mut b = Bench::on(fresh);
        let mut pool = Vec::new();
        let case = b.case_at(CaseKind::Inclusion, Stage::HearingHeld, &mut pool);
        let law = &b.law;
        let now = Utc::now();
        let refuse = |grounds: Vec<u8>| Decision {
            late_reason: Some("the test acts on one day, late or not".into()),
            case: case.clone().into(),
            expected_version: None,
            action: Action::Refuse,
            grounds,
            reason: Some("The lease is not reliable.".into()),
            on: Some(d("2025-06-05")),
        };
        let decide = |store: &mut Engine, grounds: Vec<u8>| {
            store.write(|tx| {
                services::decide(
                    &services::Context {
                        tx,
                        law,
                        actor: &tizilim::rules::Login::new("dana"),
                        at: now,
                    },
                    &tizilim::docs::Issuer {
                        signer: &b.signers["dana"],
                    },
                    &refuse(grounds),
                )
            })
        };
        // The notice named ground 2; ground 3 (and 1 with 2) were never heard.
        let (version, len) = (b.version(&case), b.journal_len());
        for grounds in [vec![3], vec![2, 3]] {
            let e = decide(&mut b.reg, grounds).unwrap_err();
            assert!(
                matches!(&e, Error::GroundNotNoticed { new, noticed, .. } if new == "3" && noticed == "2"),
                "{e:?}"
            );
            assert!(
                e.to_string().starts_with("§11: grounds: 3 not named"),
                "{e}"
            );
        }
        assert_eq!((b.version(&case), b.journal_len()), (version, len));
        // A new notice naming grounds 2 and 3, a new hearing: now it may.
        b.reg
            .write(|tx| {
                services::notify_hearing(
                    &services::Context {
                        tx,
                        law,
                        actor: &tizilim::rules::Login::new("dana"),
                        at: now,
                    },
                    &tizilim::docs::Issuer {
                        signer: &b.signers["dana"],
                    },
                    &HearingNotice {
                        late_reason: Some("the test acts on one day, late or not".into()),
                        case: case.clone().into(),
                        expected_version: None,
                        sent_on: Some(d("2025-06-04")),
                        hearing_at: almaty("2025-06-05 10:00"),
                        place: "Astana, room 402".into(),
                        grounds: vec![2, 3],
                        reason: "The lease is not reliable either.".into(),
                    },
                )
            })
            .unwrap();
        assert_eq!(b.stage(&case), "hearing_notified");
        b.reg
            .write(|tx| {
                services::record_hearing(
                    &services::Context {
                        tx,
                        law,
                        actor: &tizilim::rules::Login::new("dana"),
                        at: now,
                    },
                    &HearingRecord {
                        late_reason: Some("the test acts on one day, late or not".into()),
                        case: case.clone().into(),
                        expected_version: None,
                        outcome: HearingOutcome::Held,
                        position: Some("The lease is registered.".into()),
                        on: Some(d("2025-06-05")),
                    },
                )
            })
            .unwrap();
        let e = decide(&mut b.reg, vec![1]).unwrap_err();
        assert!(matches!(e, Error::GroundNotNoticed { .. }), "{e:?}");
        let number = decide(&mut b.reg, vec![3]).unwrap();
        assert!(number.starts_with("REF-2025-"), "{number}");
        assert_eq!(b.stage(&case), "refused");
    });
}

/// §17 (issue 21): the complaint bodies include the superior administrative
/// body and the official; the provider forwards to them within 3 working days
/// (§18), and their decision is a signed document naming the body.
#[test]
fn complaints_to_the_superior_body_and_the_official_are_forwarded_and_decided_in_writing() {
    let reg = Register::new();
    let f = reg.write_json("a.json", &inclusion("SB", 1));
    assert!(reg.run(&["intake", f.to_str().unwrap()]).status.success());
    let case = "ABK-2024-000001";
    for (to, n) in [("superior_body", 1), ("official", 2)] {
        let o = reg.run(&[
            "complaint",
            "lodge",
            case,
            "--to",
            to,
            "--text",
            "Nobody answers.",
            "--received",
            "2024-04-02T10:00",
            "--json",
        ]);
        assert!(o.status.success(), "{to}: {}", stderr(&o));
        let cmp = json_of(&o)["complaint"].as_str().unwrap().to_string();
        let out = json_of(&reg.run(&["deadlines", "--json", "--at", "2024-04-03T10:00:00+05:00"]));
        let row = out
            .as_array()
            .unwrap()
            .iter()
            .find(|r| r["complaint"] == cmp.as_str())
            .unwrap()
            .clone();
        assert_eq!(row["clock"], "forward_complaint", "{to}: {row}");
        assert_eq!(row["due"], "2024-04-05", "{to}");
        // Not forwarded yet: the provider may not reject it (§18).
        let o = reg.run(&[
            "complaint",
            "decide",
            &cmp,
            "rejected",
            "--reason",
            "no",
            "--on",
            "2024-04-03",
        ]);
        assert!(
            stderr(&o).contains("the provider may only grant it in full; otherwise it forwards it"),
            "{to}: {}",
            stderr(&o)
        );
        let o = reg.run(&["complaint", "forward", &cmp, "--on", "2024-04-03"]);
        assert!(o.status.success(), "{to}: {}", stderr(&o));
        let o = reg.run(&[
            "complaint",
            "decide",
            &cmp,
            "rejected",
            "--reason",
            "The review is within its term.",
            "--on",
            "2024-04-05",
            "--json",
        ]);
        assert!(o.status.success(), "{to}: {}", stderr(&o));
        let v = json_of(&o);
        let doc = format!("CDN-2024-{n:06}");
        assert_eq!(v["decision"], doc.as_str(), "{v}");
        assert_eq!(v["act"], Value::Null, "{v}");
        let file = reg.dir.path().join(format!("{doc}.ru.txt"));
        let o = reg.run(&[
            "--lang",
            "ru",
            "doc",
            "render",
            &doc,
            "--out",
            file.to_str().unwrap(),
        ]);
        assert!(o.status.success(), "{}", stderr(&o));
        let text = std::fs::read_to_string(&file).unwrap();
        let flat = text.split_whitespace().collect::<Vec<_>>().join(" ");
        let body = if to == "official" {
            "Должностное лицо, рассмотрев жалобу"
        } else {
            "Вышестоящий административный орган, рассмотрев жалобу"
        };
        assert!(flat.contains(body), "{flat}");
        assert!(
            flat.contains("жалоба оставлена без удовлетворения."),
            "{flat}"
        );
        assert!(
            reg.run(&["doc", "verify", file.to_str().unwrap()])
                .status
                .success()
        );
    }
    assert!(reg.run(&["audit", "verify"]).status.success());
}

/// §18 (issue 21): a complaint against the preliminary decision, granted in
/// full by the provider, annuls it and takes the inclusion applied for, with
/// its notice and the written decision, in one transaction.
#[test]
fn a_full_grant_against_the_preliminary_decision_annuls_it_and_includes() {
    common::engines::each(|fresh| {
        let mut b = Bench::on(fresh);
        let mut pool = Vec::new();
        let case = b.case_at(CaseKind::Inclusion, Stage::HearingNotified, &mut pool);
        b.act(ADMIN, &case, Action::LodgeComplaint, true).unwrap();
        let complaint: String = b
        .reg
        .db()
        .one(
            "SELECT k.number FROM complaints k JOIN cases c ON c.id = k.case_id WHERE c.number = ?1",
            tizilim::args![case],
            |r| r.get(0),
        )
        .unwrap();
        let law = &b.law;
        // A complaint lodged after 18:00 in Almaty counts from the next
        // working day: decided on the day it is registered, then, at 10:00
        // in Almaty (the test's outcome does not hang on the hour it runs).
        let registered: chrono::NaiveDate = b
            .reg
            .db()
            .one(
                "SELECT registered_on FROM complaints WHERE number = ?1",
                tizilim::args![complaint],
                |r| r.get(0),
            )
            .unwrap();
        let morning = registered.and_hms_opt(5, 0, 0).expect("a time").and_utc();
        let now = Utc::now().max(morning);
        let done = b
            .reg
            .write(|tx| {
                services::decide_complaint(
                    &services::Context {
                        tx,
                        law,
                        actor: &tizilim::rules::Login::new(ADMIN),
                        at: now,
                    },
                    &tizilim::docs::Issuer {
                        signer: &b.signers[ADMIN],
                    },
                    &ComplaintDecision {
                        late_reason: Some("the test acts on one day, late or not".into()),
                        complaint: complaint.clone().into(),
                        expected_version: None,
                        outcome: ComplaintOutcome::Granted,
                        reason: "The declarations match after all.".into(),
                        on: Some(registered),
                    },
                )
            })
            .unwrap();
        assert!(done.reopened, "{done:?}");
        let act = done.act.clone().expect("the inclusion");
        assert!(act.starts_with("INC-"), "{done:?}");
        assert!(done.decision.starts_with("CDN-"), "{done:?}");
        assert_eq!(b.stage(&case), "included");
        let doc = tizilim::docs::get(b.reg.db(), &done.decision).unwrap();
        let content = tizilim::docs::parsed(&doc).unwrap();
        assert_eq!(content.kind, "complaint_decision");
        assert_eq!(
            content.complaint.as_ref().and_then(|k| k.act.as_deref()),
            Some(act.as_str())
        );
        assert!(audit(&b.reg).unwrap().finding.is_none());
    });
}

/// `audit verify` of the register on either engine (PostgreSQL's through
/// the snapshot `audit verify --db URL` checks).
fn audit(reg: &Engine) -> tizilim::store::Result<tizilim::store::audit::Report> {
    match reg {
        Engine::File(store) => tizilim::store::audit::verify(store),
        Engine::Postgres(pg) => {
            let (_dir, snapshot, _) = tizilim::store::migrate::postgres_snapshot(&pg.url, ADMIN)?;
            tizilim::store::audit::verify(&snapshot)
        }
    }
}

/// A registration rolled back (the output gone, a refusal after the insert)
/// takes no row id: the next case gets the id a replay of the journal gives
/// it, on PostgreSQL (whose identity sequences do not roll back) as on
/// SQLite, and `audit verify` passes.
#[test]
fn a_rolled_back_registration_takes_no_row_id() {
    common::engines::each(|fresh| {
        let mut b = Bench::on(fresh);
        let law = b.law.clone();
        let mut v = inclusion("GAP", 2);
        v["received_at"] = json!(RECEIVED);
        let app = application(&v);
        let undone = b.reg.write(|tx| {
            services::register_application(
                &services::Context {
                    tx,
                    law: &law,
                    actor: &tizilim::rules::Login::new(ADMIN),
                    at: Utc::now(),
                },
                app,
            )?;
            Err::<(), _>(Error::Output("the clerk's terminal went away".into()))
        });
        assert!(undone.is_err(), "{}", fresh.engine);
        let case = b.register(&v);
        let (id, units): (i64, i64) = b
            .reg
            .db()
            .one(
                "SELECT c.id, (SELECT min(u.id) FROM units u WHERE u.case_id = c.id)
                   FROM cases c WHERE c.number = ?1",
                tizilim::args![case],
                |r| Ok((r.get(0)?, r.get(1)?)),
            )
            .unwrap();
        assert_eq!(
            (id, units),
            (1, 1),
            "{}: ids after a rollback",
            fresh.engine
        );
        let report = audit(&b.reg).unwrap();
        assert!(
            report.finding.is_none(),
            "{}: {:?}",
            fresh.engine,
            report.finding
        );
    });
}
