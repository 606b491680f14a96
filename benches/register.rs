//! The register's views over a generated register (issue 18, finding 5):
//! energy by data centre and region, and serials claimed by more than one
//! miner. The demo register is built once per run (`demo --cases 3000
//! --units 30000`); point `TIZILIM_BENCH_DB` at a bigger one instead:
//!
//! ```sh
//! cargo run --release -- --db /tmp/national.sqlite demo --cases 100000 --units 1000000
//! TIZILIM_BENCH_DB=/tmp/national.sqlite cargo bench --bench register
//! ```
//!
//! The queries they replaced are benched beside them for the ratio. The
//! whole-program figures (CPU and memory of `register energy` and
//! `register conflicts` at national scale) are `scripts/measure.sh`'s.

use std::hint::black_box;
use std::path::PathBuf;

use criterion::{Criterion, criterion_group, criterion_main};
use tizilim::store::Store;
use tizilim::store::read::register;

fn register_db() -> (Option<tempfile::TempDir>, PathBuf) {
    if let Some(p) = std::env::var_os("TIZILIM_BENCH_DB") {
        return (None, PathBuf::from(p));
    }
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("bench.sqlite");
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_tizilim"))
        .arg("--db")
        .arg(&db)
        .args(["demo", "--cases", "3000", "--units", "30000"])
        .args(["--at", "2026-11-24T12:00:00"])
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "demo: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    (Some(dir), db)
}

fn bench(c: &mut Criterion) {
    let (_dir, db) = register_db();
    let store = Store::open(&db).unwrap();
    let conn = store.conn();
    let e = register::energy(conn).unwrap();
    let k = register::serial_conflicts(conn).unwrap();
    eprintln!(
        "register {}: {} data centres' locations, {} regions, {} serials in conflict",
        db.display(),
        e.data_centers.len(),
        e.regions.len(),
        k.len()
    );
    let mut g = c.benchmark_group("register");
    g.sample_size(20);
    g.bench_function("energy", |b| {
        b.iter(|| black_box(register::energy(conn).unwrap()))
    });
    g.bench_function("conflicts", |b| {
        b.iter(|| black_box(register::serial_conflicts(conn).unwrap()))
    });
    // The queries these replaced (issue 18, finding 5), for the ratio in
    // the same run: every included unit grouped by location; every claim
    // copied and grouped by serial.
    g.bench_function("energy, the query it replaced", |b| {
        b.iter(|| {
            conn.prepare_cached(
                "SELECT coalesce(d.location, ''), count(*), sum(u.power_kw), sum(u.hashrate_ths)
                   FROM units u JOIN cases c ON c.id = u.case_id
                   LEFT JOIN data_centers d ON d.id = c.data_center_id
                  WHERE u.status = 'included'
                  GROUP BY d.location",
            )
            .unwrap()
            .query_map([], |r| r.get::<_, i64>(1))
            .unwrap()
            .count()
        })
    });
    g.bench_function("conflicts, the query it replaced", |b| {
        b.iter(|| {
            conn.prepare_cached(
                "WITH claims AS (
                    SELECT u.serial, c.id AS case_id, c.miner_id, u.status, u.entry_no
                      FROM units u JOIN cases c ON c.id = u.case_id
                    UNION ALL
                    SELECT i.serial, c.id, c.miner_id, NULL, NULL
                      FROM case_items i JOIN cases c ON c.id = i.case_id
                 ), shared AS (
                    SELECT serial FROM claims GROUP BY serial HAVING count(DISTINCT miner_id) > 1
                 )
                 SELECT k.serial, c.number, c.kind, c.stage, m.name, m.bin_iin, k.status, k.entry_no
                   FROM claims k JOIN shared s ON s.serial = k.serial
                   JOIN cases c ON c.id = k.case_id JOIN miners m ON m.id = k.miner_id
                  ORDER BY k.serial, c.id",
            )
            .unwrap()
            .query_map([], |r| r.get::<_, String>(1))
            .unwrap()
            .count()
        })
    });
    g.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
