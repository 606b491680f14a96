//! Signed notices: canonical content, CMS signature (ECDSA P-256), rendering and
//! verification (signature and certificate against a trust store) of
//! an inclusion notice with a handful and with 1,000 units, and the decision
//! that issues one (through the store, in memory). Run: `cargo bench --bench documents`.

use std::hint::black_box;

use base64::Engine;
use chrono::NaiveDate;
use criterion::{Criterion, criterion_group, criterion_main};
use tizilim::docs::render::{self, Seal};
use tizilim::docs::{ApplicationRef, NoticeContent, NoticeUnit, Party, SignerRef};
use tizilim::sign::Signer;
use tizilim::sign::p12::CertSigner;

fn notice(units: usize, signer: &CertSigner) -> NoticeContent {
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
        hearing: None,
        complaint: None,
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
    let ca = tizilim::sign::testca::TestCa::generate("TEST bench root CA").unwrap();
    let key = tizilim::sign::testca::p256_key().unwrap();
    let cert = ca.issue("TEST Dana", "880101300123", &key).unwrap();
    let signer = CertSigner::new("dana", key, cert, Vec::new()).unwrap();
    let trust_dir = tempfile::tempdir().unwrap();
    ca.write(trust_dir.path()).unwrap();
    let trust = tizilim::sign::x509::TrustStore::open(trust_dir.path()).unwrap();
    for units in [5usize, 1000] {
        let content = notice(units, &signer);
        c.bench_function(&format!("canonical + sign, {units} units"), |b| {
            b.iter(|| {
                let canonical = black_box(&content).canonical();
                signer.sign(&NoticeContent::message(&canonical)).unwrap()
            })
        });
        // Issue 18: the canonical JSON written directly, beside the
        // definition it must equal (through a serde_json::Value).
        c.bench_function(&format!("canonical, {units} units"), |b| {
            b.iter(|| black_box(&content).canonical())
        });
        c.bench_function(&format!("canonical via Value, {units} units"), |b| {
            b.iter(|| black_box(&content).canonical_via_value())
        });
        let canonical = content.canonical();
        let sig = base64::engine::general_purpose::STANDARD
            .encode(signer.sign(&NoticeContent::message(&canonical)).unwrap());
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
        c.bench_function(&format!("verify CMS and certificate, {units} units"), |b| {
            let der = base64::engine::general_purpose::STANDARD
                .decode(&sig)
                .unwrap();
            let at = chrono::Utc::now();
            b.iter(|| {
                tizilim::sign::cms::verify(
                    &der,
                    Some(&NoticeContent::message(&canonical)),
                    &trust,
                    at,
                )
                .unwrap()
            })
        });
    }
}

criterion_group!(benches, bench);
criterion_main!(benches);
