//! Signed notices: canonical content, signature, rendering and verification of
//! an inclusion notice with a handful and with 1,000 units, and the decision
//! that issues one (through the store, in memory). Run: `cargo bench --bench documents`.

use std::hint::black_box;

use base64::Engine;
use chrono::NaiveDate;
use criterion::{Criterion, criterion_group, criterion_main};
use tizilim::docs::render::{self, Seal};
use tizilim::docs::{ApplicationRef, NoticeContent, NoticeUnit, Party, SignerRef};
use tizilim::sign::{Ed25519Signer, Signer};

fn notice(units: usize, signer: &Ed25519Signer) -> NoticeContent {
    NoticeContent {
        format: tizilim::docs::CONTENT_FORMAT.into(),
        number: "INC-2026-000042".into(),
        kind: "inclusion".into(),
        issued_on: NaiveDate::from_ymd_opt(2026, 11, 18).unwrap(),
        applicant: Party {
            name: "Ekibastuz Compute LLP".into(),
            bin_iin: "210540000176".into(),
        },
        application: ApplicationRef {
            case: "ABK-2026-001418".into(),
            kind: "inclusion".into(),
            received_on: NaiveDate::from_ymd_opt(2026, 11, 10).unwrap(),
            registered_on: NaiveDate::from_ymd_opt(2026, 11, 11).unwrap(),
        },
        tn_ved_code: Some("8471500000".into()),
        units: (0..units)
            .map(|i| NoticeUnit {
                entry_no: 1000 + i as i64,
                brand: "Bitmain".into(),
                model: "Antminer S19j Pro".into(),
                serial: format!("JYZZS9J{i:010}"),
                hashrate_ths: 104.0,
                power_kw: 3.07,
                change: None,
            })
            .collect(),
        grounds: vec![],
        reason: None,
        missing: vec![],
        signer: SignerRef {
            login: "dana".into(),
            name: "Дана Сейткали".into(),
            position: "head".into(),
            algorithm: "ed25519".into(),
            fingerprint: signer.fingerprint(),
        },
    }
}

fn bench(c: &mut Criterion) {
    let signer = Ed25519Signer::from_seed("dana", [7; 32]);
    for units in [5usize, 1000] {
        let content = notice(units, &signer);
        c.bench_function(&format!("canonical + sign, {units} units"), |b| {
            b.iter(|| {
                let canonical = black_box(&content).canonical();
                signer.sign(&NoticeContent::message(&canonical))
            })
        });
        let canonical = content.canonical();
        let sig = base64::engine::general_purpose::STANDARD
            .encode(signer.sign(&NoticeContent::message(&canonical)));
        let seal = Seal {
            signature_b64: &sig,
            canonical: &canonical,
        };
        c.bench_function(&format!("render html ru, {units} units"), |b| {
            b.iter(|| render::html(black_box(&content), &seal, "ru"))
        });
        c.bench_function(&format!("render text kk, {units} units"), |b| {
            b.iter(|| render::text(black_box(&content), &seal, "kk"))
        });
        let pk = signer.public_key();
        c.bench_function(&format!("verify signature, {units} units"), |b| {
            let raw = base64::engine::general_purpose::STANDARD
                .decode(&sig)
                .unwrap();
            b.iter(|| {
                tizilim::sign::verify("ed25519", &pk, &NoticeContent::message(&canonical), &raw)
                    .unwrap()
            })
        });
    }
}

criterion_group!(benches, bench);
criterion_main!(benches);
