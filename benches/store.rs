//! The demo's write path and `audit verify` (issue 18). The demo: 2,000
//! cases and 20,000 units into a new register file, as `tizilim demo` writes
//! them (bulk settings, batches, one checkpoint at the end). `audit verify`
//! over a 1,000-case and a 4,000-case demo register: its time grows with
//! the register, its memory does not (peak RSS is a whole-program figure:
//! `/usr/bin/time -f %M tizilim audit verify`, docs/figures.md). A
//! registration's content hash, serialised again as before and taken from
//! the journal payload as stored (issue 18, branch demo18).
//! Run: `cargo bench --bench store`.

use std::path::Path;

use chrono::{DateTime, Utc};
use criterion::{BatchSize, Criterion, criterion_group, criterion_main};
use tizilim::demo::{DemoOptions, fill};
use tizilim::rules::Login;
use tizilim::store::events::Event;
use tizilim::store::{Store, audit, dedup, services};

fn at() -> DateTime<Utc> {
    "2026-11-24T07:00:00Z".parse().unwrap()
}

/// A demo register of `cases` cases (ten units each) at `path`.
fn demo(path: &Path, cases: usize) -> Store {
    let login = Login::new("bench");
    let mut store =
        Store::create_with(path, |tx| services::create_register(tx, &login, at())).unwrap();
    store.bulk().unwrap();
    let law = store.law().unwrap();
    let opts = DemoOptions {
        cases,
        units: cases * 10,
        seed: 1,
        now: at(),
        trust: None,
    };
    fill(&mut store, &law, &login, &opts).unwrap();
    store.bulk_done().unwrap();
    store
}

fn bench(c: &mut Criterion) {
    let mut g = c.benchmark_group("store");
    g.sample_size(10);
    g.bench_function("demo, 2,000 cases / 20,000 units", |b| {
        b.iter_batched(
            || tempfile::tempdir().unwrap(),
            |dir| {
                demo(&dir.path().join("r.sqlite"), 2000);
                dir
            },
            BatchSize::PerIteration,
        )
    });
    for cases in [1000usize, 4000] {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("r.sqlite");
        drop(demo(&path, cases));
        let store = Store::open(&path).unwrap();
        if cases == 1000 {
            // The largest registration of the demo, as its journal holds it.
            let payload: String = store
                .conn()
                .query_row(
                    "SELECT payload FROM journal WHERE kind = 'case_registered'
                     ORDER BY length(payload) DESC LIMIT 1",
                    [],
                    |r| r.get(0),
                )
                .unwrap();
            let Event::CaseRegistered {
                application,
                synthetic,
                ..
            } = serde_json::from_str(&payload).unwrap()
            else {
                panic!("not a registration: {payload}");
            };
            let stored = dedup::Stored {
                payload: &payload,
                synthetic,
            };
            assert_eq!(
                dedup::content_hash_stored(&application, Some(&stored)),
                dedup::content_hash(&application)
            );
            let units = application.units.len();
            g.bench_function(format!("content hash, serialised ({units} units)"), |b| {
                b.iter(|| dedup::content_hash(&application))
            });
            g.bench_function(
                format!("content hash, from the payload ({units} units)"),
                |b| b.iter(|| dedup::content_hash_stored(&application, Some(&stored))),
            );
        }
        g.bench_function(format!("audit verify, {cases} cases"), |b| {
            b.iter(|| {
                let report = audit::verify(&store).unwrap();
                assert!(report.finding.is_none());
            })
        });
        g.bench_function(format!("audit verify (quick check), {cases} cases"), |b| {
            b.iter(|| {
                let report = audit::verify_with(&store, audit::FileCheck::Quick).unwrap();
                assert!(report.finding.is_none());
            })
        });
    }
    g.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
