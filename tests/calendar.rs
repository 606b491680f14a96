//! Working days as Kazakhstan counts them, 2023–2027, and the registration
//! day of §8 / Appendix 5.

use chrono::{DateTime, NaiveDate, Utc};
use proptest::prelude::*;
use tizilim::rules::calendar::parse_instant;
use tizilim::rules::{Amendment, Law};

fn law() -> Law {
    Law::load(&[]).unwrap()
}

fn d(s: &str) -> NaiveDate {
    s.parse().unwrap()
}

fn at(s: &str) -> DateTime<Utc> {
    parse_instant(s, chrono_tz::Asia::Almaty).unwrap()
}

#[test]
fn every_listed_non_working_day_and_transfer() {
    let cal = law().calendar;
    let off = [
        // 2023
        "2023-01-02",
        "2023-01-03",
        "2023-03-08",
        "2023-03-21",
        "2023-03-22",
        "2023-03-23",
        "2023-05-01",
        "2023-05-08",
        "2023-05-09",
        "2023-06-28",
        "2023-07-06",
        "2023-07-07",
        "2023-08-30",
        "2023-10-25",
        "2023-12-18",
        // 2024
        "2024-01-01",
        "2024-01-02",
        "2024-03-08",
        "2024-03-21",
        "2024-03-22",
        "2024-03-25",
        "2024-05-01",
        "2024-05-07",
        "2024-05-08",
        "2024-05-09",
        "2024-07-08",
        "2024-08-30",
        "2024-10-25",
        "2024-12-16",
        // 2025
        "2025-01-01",
        "2025-01-02",
        "2025-01-03",
        "2025-01-07",
        "2025-03-10",
        "2025-03-21",
        "2025-03-24",
        "2025-03-25",
        "2025-05-01",
        "2025-05-07",
        "2025-05-09",
        "2025-06-06",
        "2025-07-07",
        "2025-09-01",
        "2025-10-27",
        "2025-12-16",
        // 2026
        "2026-01-01",
        "2026-01-02",
        "2026-01-07",
        "2026-03-09",
        "2026-03-23",
        "2026-03-24",
        "2026-03-25",
        "2026-05-01",
        "2026-05-07",
        "2026-05-11",
        "2026-05-27",
        "2026-07-06",
        "2026-10-26",
        "2026-12-16",
        // 2027
        "2027-01-01",
        "2027-01-04",
        "2027-01-07",
        "2027-03-08",
        "2027-03-15",
        "2027-03-22",
        "2027-03-23",
        "2027-03-24",
        "2027-05-03",
        "2027-05-07",
        "2027-05-10",
        "2027-07-06",
        "2027-10-25",
        "2027-12-16",
    ];
    for day in off {
        assert!(!cal.is_working(d(day)).unwrap(), "{day} is a day off");
    }
    // Transfer acts: these weekend days are worked.
    for day in ["2023-07-01", "2024-05-04", "2025-01-05"] {
        assert!(
            cal.is_working(d(day)).unwrap(),
            "{day} is a working day by transfer"
        );
    }
    // Constitution Day is no holiday in 2026 (a Sunday anyway: no moved day on Mon 31 Aug).
    assert!(cal.is_working(d("2026-08-31")).unwrap());
    // Religious days do not move: Orthodox Christmas on Sat 7 Jan 2023 leaves Mon 9 Jan working,
    // Kurban Ait on Sun 16 May 2027 leaves Mon 17 May working.
    assert!(cal.is_working(d("2023-01-09")).unwrap());
    assert!(cal.is_working(d("2027-05-17")).unwrap());
    // Ordinary days either side.
    assert!(cal.is_working(d("2024-03-26")).unwrap());
    assert!(!cal.is_working(d("2024-03-23")).unwrap(), "Saturday");
    // Working days per year (Labour Code balance).
    let count = |y: i32| {
        cal.working_days_between(
            d(&format!("{}-12-31", y - 1)).max(d("2023-01-01")),
            d(&format!("{y}-12-31")),
        )
        .unwrap()
    };
    assert_eq!(count(2024), 249); // 262 weekdays − 14 days off + Sat 4 May
    assert_eq!(count(2025), 246); // 261 weekdays − 16 days off + Sun 5 Jan
}

#[test]
fn kurban_ait_2026_and_2027_are_provisional() {
    let cal = law().calendar;
    for year in [2026, 2027] {
        let kurban: Vec<_> = cal
            .listed(year)
            .filter(|e| e.name == "Eid al-Adha")
            .collect();
        assert_eq!(kurban.len(), 1);
        assert!(kurban[0].provisional && kurban[0].religious);
    }
    assert!(cal.listed(2025).all(|e| !e.provisional));
    let note = cal.note(d("2026-05-27")).unwrap().describe();
    assert!(note.contains("provisional"), "{note}");
}

#[test]
fn registration_day_at_closing_time() {
    let cal = law().calendar;
    assert_eq!(
        cal.registration_day(at("2024-04-10T18:30:00+05:00"))
            .unwrap(),
        d("2024-04-10")
    );
    assert_eq!(
        cal.registration_day(at("2024-04-10T18:30:01+05:00"))
            .unwrap(),
        d("2024-04-11")
    );
    assert_eq!(
        cal.registration_day(at("2024-04-10T08:00:00+05:00"))
            .unwrap(),
        d("2024-04-10"),
        "before opening: same day"
    );
    // Friday evening → Monday.
    assert_eq!(
        cal.registration_day(at("2024-04-12T19:00:00")).unwrap(),
        d("2024-04-15")
    );
    // A working Saturday (transfer): accepted that day.
    assert_eq!(
        cal.registration_day(at("2024-05-04T11:00:00")).unwrap(),
        d("2024-05-04")
    );
}

#[test]
fn after_hours_on_the_eve_of_nauryz() {
    let cal = law().calendar;
    // Wed 20 March 2024, 19:05: Nauryz 21–23, weekend, moved day Mon 25 → Tue 26.
    let reg = cal
        .registration_day(at("2024-03-20T19:05:00+05:00"))
        .unwrap();
    assert_eq!(reg, d("2024-03-26"));
    assert_eq!(cal.add_working_days(reg, 5).unwrap(), d("2024-04-02"));
    // At 18:00 the same evening it registers that day: 5 WD then land on 28 March.
    let reg = cal
        .registration_day(at("2024-03-20T18:00:00+05:00"))
        .unwrap();
    assert_eq!(reg, d("2024-03-20"));
    assert_eq!(cal.add_working_days(reg, 5).unwrap(), d("2024-04-01"));
}

#[test]
fn both_sides_of_the_2024_zone_change() {
    let cal = law().calendar;
    // Until 1 March 2024 Almaty was UTC+6: 12:45 UTC on 29 Feb is 18:45 local → after hours.
    assert_eq!(
        cal.registration_day(at("2024-02-29T12:45:00Z")).unwrap(),
        d("2024-03-01")
    );
    // From 1 March UTC+5: 12:45 UTC on 1 March is 17:45 local → within hours.
    assert_eq!(
        cal.registration_day(at("2024-03-01T12:45:00Z")).unwrap(),
        d("2024-03-01")
    );
    // 13:15 UTC: before the switch 19:15 local (after hours), after it 18:15 (within hours).
    assert_eq!(
        cal.registration_day(at("2024-02-28T13:15:00Z")).unwrap(),
        d("2024-02-29")
    );
    assert_eq!(
        cal.registration_day(at("2024-03-04T13:15:00Z")).unwrap(),
        d("2024-03-04")
    );
    // Offset-less input is read in Asia/Almaty on each side.
    assert_eq!(at("2024-02-29T18:00:00"), at("2024-02-29T12:00:00Z"));
    assert_eq!(at("2024-03-01T18:00:00"), at("2024-03-01T13:00:00Z"));
    // The repeated hour at the switch is read as the earlier instant.
    assert_eq!(at("2024-02-29T23:30:00"), at("2024-02-29T17:30:00Z"));
}

#[test]
fn outside_the_calendar_is_refused_not_guessed() {
    let cal = law().calendar;
    let e = cal.is_working(d("2028-01-03")).unwrap_err().to_string();
    assert!(e.contains("outside the calendar (2023–2027)"), "{e}");
    assert!(cal.add_working_days(d("2027-12-28"), 5).is_err());
    assert!(cal.registration_day(at("2022-12-30T10:00:00")).is_err());
}

#[test]
fn an_amendment_changes_the_count() {
    let plain = law();
    let due = plain.calendar.add_working_days(d("2026-12-28"), 3).unwrap();
    assert_eq!(due, d("2026-12-31"));
    let amended = Law::load(&[Amendment {
        date: d("2026-12-30"),
        working: false,
        act: "test decree".into(),
    }])
    .unwrap();
    assert_eq!(
        amended
            .calendar
            .add_working_days(d("2026-12-28"), 3)
            .unwrap(),
        d("2027-01-05")
    );
    assert!(
        amended
            .calendar
            .note(d("2026-12-30"))
            .unwrap()
            .describe()
            .contains("test decree")
    );
}

proptest! {
    #[test]
    fn due_dates_are_working_days(day in 0i64..1700, n in 0i32..40, minute in 0u32..1440) {
        let cal = law().calendar;
        let received = at("2023-01-02T00:00:00") + chrono::Duration::days(day) + chrono::Duration::minutes(minute as i64);
        let reg = cal.registration_day(received).unwrap();
        prop_assert!(cal.is_working(reg).unwrap());
        prop_assert!(reg >= cal.local_date(received));
        let due = cal.add_working_days(reg, n).unwrap();
        prop_assert!(cal.is_working(due).unwrap());
        prop_assert_eq!(cal.working_days_between(reg, due).unwrap(), n);
    }

    #[test]
    fn adding_n_then_m_is_adding_n_plus_m(day in 0i64..1700, n in 0i32..30, m in 0i32..30) {
        let cal = law().calendar;
        let reg = cal.registration_day(at("2023-01-02T10:00:00") + chrono::Duration::days(day)).unwrap();
        let step = cal.add_working_days(cal.add_working_days(reg, n).unwrap(), m).unwrap();
        prop_assert_eq!(step, cal.add_working_days(reg, n + m).unwrap());
    }

    #[test]
    fn later_receipt_never_gives_an_earlier_due_date(a in 0i64..2_400_000, b in 0i64..2_400_000, n in 0i32..20) {
        let cal = law().calendar;
        let t0 = at("2023-01-02T00:00:00");
        let (early, late) = (t0 + chrono::Duration::minutes(a.min(b)), t0 + chrono::Duration::minutes(a.max(b)));
        let due = |t| cal.add_working_days(cal.registration_day(t).unwrap(), n).unwrap();
        prop_assert!(due(early) <= due(late));
    }

    #[test]
    fn counting_back_undoes_counting_forward(day in 0i64..1700, n in 1i32..30) {
        let cal = law().calendar;
        let reg = cal.registration_day(at("2023-02-01T10:00:00") + chrono::Duration::days(day)).unwrap();
        let due = cal.add_working_days(reg, n).unwrap();
        prop_assert_eq!(cal.add_working_days(due, -n).unwrap(), reg);
    }
}

#[test]
fn calendar_due_command_contract() {
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_tizilim"))
        .args([
            "--db",
            "/nonexistent/none.sqlite",
            "calendar",
            "due",
            "--received",
            "2024-03-20T19:05:00+05:00",
            "--working-days",
            "5",
            "--json",
        ])
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(
        v,
        serde_json::json!({"received": "2024-03-20T19:05:00+05:00", "registered": "2024-03-26", "due": "2024-04-02"})
    );
}
