//! Working days as Kazakhstan counts them, 2023–2028, and the registration
//! day of §8 / Appendix 5.

use chrono::{DateTime, NaiveDate, Utc};
use proptest::prelude::*;
use tizilim::i18n::{Lang, Tr};
use tizilim::rules::calendar::DayKind;
use tizilim::rules::calendar::parse_instant;
use tizilim::rules::{Amendment, CalendarWarning, Law};

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
        // 2028: Sat 1 and Sun 2 January move to Mon 3 and Tue 4; Defender of the
        // Fatherland Day (Sun 7 May) to Mon 8 May; Independence Day (Sat 16
        // December) to Mon 18 December. Kurban Ait (Fri 5 May) is provisional.
        "2028-01-03",
        "2028-01-04",
        "2028-01-07",
        "2028-03-08",
        "2028-03-15",
        "2028-03-21",
        "2028-03-22",
        "2028-03-23",
        "2028-05-01",
        "2028-05-05",
        "2028-05-08",
        "2028-05-09",
        "2028-07-06",
        "2028-10-25",
        "2028-12-18",
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
    assert_eq!(count(2028), 245); // 260 weekdays − 15 days off; no transfer published
    // No moved holiday where the Law does not move one: Constitution Day is
    // no longer 30 August, and 2028 has no transfer of days off yet.
    assert!(cal.is_working(d("2028-08-30")).unwrap());
    assert!(
        cal.listed(2028)
            .all(|e| !matches!(e.kind, DayKind::TransferDayOff | DayKind::TransferWorking))
    );
}

#[test]
fn the_2028_file_cites_its_sources_and_says_no_transfer_is_published() {
    let cal = law().calendar;
    let s = cal.sources().iter().find(|s| s.year == 2028).unwrap();
    let all = s.sources.join("\n");
    assert!(all.contains("Labour Code"), "{all}");
    assert!(
        all.contains("'On holidays in the Republic of Kazakhstan'"),
        "{all}"
    );
    assert!(
        all.contains("Transfers of days off in 2028") && all.contains("none published yet"),
        "{all}"
    );
    assert!(
        all.contains("Eid al-Adha") && all.contains("provisional"),
        "{all}"
    );
    assert!(
        s.generator.contains("tools/gen_calendar.py"),
        "{}",
        s.generator
    );
}

#[test]
fn kurban_ait_2026_is_confirmed_2027_and_2028_are_provisional() {
    let cal = law().calendar;
    let kurban = |year: i32| {
        let k: Vec<_> = cal
            .listed(year)
            .filter(|e| e.name == "Eid al-Adha")
            .collect();
        assert_eq!(k.len(), 1, "{year}");
        assert!(k[0].religious, "{year}");
        k[0].clone()
    };
    // 2026: announced by the Spiritual Administration of Muslims of
    // Kazakhstan, and cited in the year's sources.
    let k2026 = kurban(2026);
    assert_eq!(k2026.date, d("2026-05-27"));
    assert!(!k2026.provisional);
    let note = cal.note(d("2026-05-27")).unwrap().describe();
    assert!(!note.contains("provisional"), "{note}");
    let sources = &cal
        .sources()
        .iter()
        .find(|s| s.year == 2026)
        .unwrap()
        .sources;
    assert!(
        sources
            .iter()
            .any(|s| s.contains("ДУМК") && s.contains("27-29 May 2026")),
        "{sources:?}"
    );
    // 2027 (16 or 17 May) and 2028: forecasts until announced.
    let k2027 = kurban(2027);
    assert_eq!(k2027.date, d("2027-05-16"));
    assert!(k2027.provisional);
    assert!(kurban(2028).provisional);
    let note = cal.note(d("2027-05-16")).unwrap().describe();
    assert!(note.contains("provisional"), "{note}");
    assert!(cal.listed(2025).all(|e| !e.provisional));
    assert!(cal.listed(2026).all(|e| !e.provisional));
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
    let e = cal.is_working(d("2029-01-03")).unwrap_err();
    assert_eq!(e.unpublished_year(), Some(2029));
    let e = e.to_string();
    assert!(e.contains("outside the calendar (2023–2028)"), "{e}");
    assert!(e.contains("calendar not yet published for 2029"), "{e}");
    let e = cal.add_working_days(d("2028-12-28"), 5).unwrap_err();
    assert_eq!(e.unpublished_year(), Some(2029));
    // Before the data: no year to publish, an error as it was.
    let e = cal.registration_day(at("2022-12-30T10:00:00")).unwrap_err();
    assert_eq!(e.unpublished_year(), None);
    assert!(!e.to_string().contains("not yet published"), "{e}");
    assert_eq!(cal.last_day(), d("2028-12-31"));
}

#[test]
fn the_calendar_warns_from_ninety_days_before_its_data_end() {
    let law = law();
    // [calendar] in data/rules.toml, with its source: not a number in the code.
    assert_eq!(law.rules.calendar_warn_days, 90);
    assert!(!law.rules.calendar_warn_source.is_empty());
    // 31.12.2028 − 90 days = Mon 2 October 2028 (a leap year).
    assert_eq!(law.calendar_warning(d("2028-10-01")), None);
    assert_eq!(
        law.calendar_warning(d("2028-10-02")),
        Some(CalendarWarning::EndsSoon {
            last_day: d("2028-12-31"),
            year: 2029
        })
    );
    assert_eq!(
        law.calendar_warning(d("2028-12-31")),
        Some(CalendarWarning::EndsSoon {
            last_day: d("2028-12-31"),
            year: 2029
        })
    );
    assert_eq!(
        law.calendar_warning(d("2029-01-01")),
        Some(CalendarWarning::Unpublished { year: 2029 })
    );
    assert_eq!(law.calendar_warning(d("2026-12-02")), None);
    // In the three languages.
    let say = |lang, w| tizilim::i18n::calendar_warning(w).render(&Tr::new(lang));
    let soon = law.calendar_warning(d("2028-11-15")).unwrap();
    assert_eq!(
        say(Lang::En, soon),
        "the calendar's data end on 31.12.2028: add 2029 before it begins (tools/gen_calendar.py)"
    );
    assert!(
        say(Lang::Ru, soon).contains("31.12.2028"),
        "{}",
        say(Lang::Ru, soon)
    );
    assert!(
        say(Lang::Kk, soon).contains("31.12.2028"),
        "{}",
        say(Lang::Kk, soon)
    );
    let past = CalendarWarning::Unpublished { year: 2029 };
    assert_eq!(say(Lang::En, past), "calendar not yet published for 2029");
    assert_eq!(
        say(Lang::Ru, past),
        "календарь на 2029 год ещё не опубликован"
    );
    assert_eq!(say(Lang::Kk, past), "2029 жылғы күнтізбе әлі жарияланбаған");
    // audit verify's success line ends with it, in English.
    assert_eq!(tizilim::cli::calendar_note(&law, d("2028-10-01")), "");
    assert_eq!(
        tizilim::cli::calendar_note(&law, d("2028-10-02")),
        "; the calendar's data end on 31.12.2028: add 2029 before it begins (tools/gen_calendar.py)"
    );
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
