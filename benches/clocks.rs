//! Clock derivation at national scale: every clock of 100,000 open cases, and
//! the O(1) working-day step. Run: `cargo bench --bench clocks`.

use std::hint::black_box;

use chrono::NaiveDate;
use criterion::{Criterion, criterion_group, criterion_main};
use tizilim::rules::{CaseFacts, CaseKind, Law, Stage};

fn open_cases(law: &Law, n: usize) -> Vec<CaseFacts> {
    let first = NaiveDate::from_ymd_opt(2023, 8, 14).unwrap();
    let kinds = [CaseKind::Inclusion, CaseKind::Exclusion, CaseKind::Change];
    let stages = [
        Stage::Incomplete,
        Stage::UnderReview,
        Stage::HearingNotified,
        Stage::HearingHeld,
    ];
    (0..n)
        .map(|i| {
            let registered_on = law
                .calendar
                .add_working_days(first, (i % 800) as i32)
                .unwrap();
            let stage = stages[i % stages.len()];
            CaseFacts {
                kind: kinds[i % kinds.len()],
                stage,
                registered_on,
                hearing_notice_on: matches!(stage, Stage::HearingNotified | Stage::HearingHeld)
                    .then(|| law.calendar.add_working_days(registered_on, 1).unwrap()),
                changed_on: Some(registered_on),
                reopened_on: None,
            }
        })
        .collect()
}

fn bench(c: &mut Criterion) {
    let law = Law::load(&[]).unwrap();
    let cases = open_cases(&law, 100_000);
    let today = NaiveDate::from_ymd_opt(2026, 11, 24).unwrap();
    c.bench_function("clocks of 100,000 open cases", |b| {
        let mut out = Vec::with_capacity(200_000);
        b.iter(|| {
            out.clear();
            for f in &cases {
                law.rules
                    .case_clocks(&law.calendar, f, today, &mut out)
                    .unwrap();
            }
            black_box(out.len())
        })
    });
    let day = NaiveDate::from_ymd_opt(2024, 3, 20).unwrap();
    c.bench_function("add 15 working days", |b| {
        b.iter(|| {
            law.calendar
                .add_working_days(black_box(day), black_box(15))
                .unwrap()
        })
    });
    c.bench_function("load the law (calendar 2023-2027 + rules.toml)", |b| {
        b.iter(|| Law::load(&[]).unwrap())
    });
}

criterion_group!(benches, bench);
criterion_main!(benches);
