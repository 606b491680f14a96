//! The console's tests' register: a handful of named cases in known stages,
//! built through the real services (intake through `tizilim::intake`, every
//! act through `store::services`, every decision signed), as at a pinned
//! "now", **Thursday 27 November 2025, 11:00 in Astana** ([`NOW`]). Each act
//! bears the instant it was taken (the journal reads like a real one); none
//! is after "now".
//!
//! Logins: `admin` (made the register on 1 October 2025), `aigerim` (clerk;
//! her signing key, [`signer`], registered the same day as "Айгерим
//! Сапарова, authorized person") and `saule` (supervisor).
//!
//! | case | applicant (BIN/IIN) | kind, stage on 27.11.2025 |
//! |---|---|---|
//! | [`INCLUDED`] ABK-2025-000001 | Saryarka Hash LLP (190340012348) | inclusion of 4 Antminer S21 at Temirtau (Karaganda region); received 06.10.2025, **included** 09.10.2025 (INC-2025-000001, signed; register entries 1–4) |
//! | [`INCLUDED_2`] ABK-2025-000002 | IE Omarov (780514301251) | inclusion of 3 Whatsminer M50S at Ekibastuz (Pavlodar region); received 14.10.2025, **included** 17.10.2025 (INC-2025-000002; entries 5–7) |
//! | [`REFUSED`] ABK-2025-000003 | Nomad Mining LLP (210640054320) | inclusion of 2 Avalon A1246 at Astana, one of them claiming entry 2's serial (the register's one **serial conflict**); §11 notice 04.11.2025 (ground 1), hearing held 06.11.2025, **refused** 07.11.2025 (REF-2025-000001, signed); **complaint** CMP-2025-000001 to the quality-control body lodged 26.11.2025, still with the provider: §18 forwarding due 01.12.2025 |
//! | [`INCOMPLETE`] ABK-2025-000004 | Tengri Grid LLP (200840031238) | inclusion at Rudny (Kostanay region) whose lease expired 31.10.2025; received 18.11.2025, **incomplete**: the §9 refusal was due 20.11.2025 — **overdue** |
//! | [`HEARING_HELD`] ABK-2025-000005 | Aksu Data LLP (170540025472) | inclusion of 3 Antminer S19j Pro at Aksu (Pavlodar region); received 21.11.2025; §11 notice 24.11.2025 (ground 2), **hearing held** 26.11.2025 (the applicant disagrees); §10 decision due 28.11.2025 |
//! | [`HEARING_NOTIFIED`] ABK-2025-000006 | Baiterek Power LLP (220140077899) | inclusion of 2 Whatsminer M30S++ at Konaev (Almaty region); received 24.11.2025; §11–§12 notice 25.11.2025 (ground 2), **hearing notified** for today 27.11.2025 15:00 (due today) |
//! | [`UNDER_REVIEW`] ABK-2025-000007 | Zhetysu Compute LLP (230240009873) | inclusion of 3 Antminer S19 XP at Ekibastuz, received Wednesday 26.11.2025 10:00: **under review**, the §12 notice (if refusing) by 28.11.2025, the §10 decision by 03.12.2025 |
//! | [`EXCLUSION`] ABK-2025-000008 | Saryarka Hash LLP | **exclusion** of entries 3 and 4 (sold), received 26.11.2025 15:20 at the desk: under review, §14 decision due 28.11.2025 |
//!
//! The BIN/IINs are synthetic, made with `rules::ids::with_check_digit`
//! (checked when the fixture is built). Nothing here is random: a change of
//! the demo never changes a snapshot taken over this register.

use chrono::{DateTime, TimeZone, Utc};
use serde_json::{Value, json};
use tizilim::docs::Issuer;
use tizilim::rules::ids::with_check_digit;
use tizilim::rules::workflow::Action;
use tizilim::rules::{ComplaintBody, Law, Role};
use tizilim::sign::p12::CertSigner;
use tizilim::store::Store;
use tizilim::store::events::HearingOutcome;
use tizilim::store::services::{self, ComplaintFiling, Decision, HearingNotice, HearingRecord};

/// Thursday 27 November 2025, 11:00 in Astana: the fixture's "now".
pub const NOW: &str = "2025-11-27T11:00:00+05:00";

pub const INCLUDED: &str = "ABK-2025-000001";
pub const INCLUDED_2: &str = "ABK-2025-000002";
pub const REFUSED: &str = "ABK-2025-000003";
pub const INCOMPLETE: &str = "ABK-2025-000004";
pub const HEARING_HELD: &str = "ABK-2025-000005";
pub const HEARING_NOTIFIED: &str = "ABK-2025-000006";
pub const UNDER_REVIEW: &str = "ABK-2025-000007";
pub const EXCLUSION: &str = "ABK-2025-000008";
/// The complaint on [`REFUSED`], to the quality-control body, not forwarded yet.
pub const COMPLAINT: &str = "CMP-2025-000001";
/// The serial claimed by [`INCLUDED`] (entry 2) and by [`REFUSED`].
pub const CONFLICT_SERIAL: &str = "SMTTS2125100002";

pub const CLERK: &str = "aigerim";
pub const SUPERVISOR: &str = "saule";

pub fn now() -> DateTime<Utc> {
    DateTime::parse_from_rfc3339(NOW)
        .unwrap()
        .with_timezone(&Utc)
}

/// The fixture's TEST certifying centre and the clerk's key and
/// certificate, made once per test binary (ECDSA P-256).
fn pki() -> &'static (
    tizilim::sign::testca::TestCa,
    openssl::pkey::PKey<openssl::pkey::Private>,
    openssl::x509::X509,
) {
    static PKI: std::sync::OnceLock<(
        tizilim::sign::testca::TestCa,
        openssl::pkey::PKey<openssl::pkey::Private>,
        openssl::x509::X509,
    )> = std::sync::OnceLock::new();
    PKI.get_or_init(|| {
        let ca = tizilim::sign::testca::TestCa::generate("TEST fixture root CA").unwrap();
        let key = tizilim::sign::testca::p256_key().unwrap();
        let cert = ca.issue("TEST Айгерим Сапарова", CLERK_IIN, &key).unwrap();
        (ca, key, cert)
    })
}

/// The clerk's IIN (synthetic, valid).
pub const CLERK_IIN: &str = "880101300123";

/// The clerk's certificate signer (the same key and certificate within a
/// test binary).
pub fn signer() -> CertSigner {
    let (_, key, cert) = pki();
    CertSigner::new(CLERK, key.clone(), cert.clone(), Vec::new()).unwrap()
}

/// A certificate signer for `login` from the fixture's TEST CA (a fresh
/// key; IIN `iin`).
pub fn cert_signer(login: &str, iin: &str) -> CertSigner {
    let (ca, _, _) = pki();
    let key = tizilim::sign::testca::p256_key().unwrap();
    let cert = ca.issue(&format!("TEST {login}"), iin, &key).unwrap();
    CertSigner::new(login, key, cert, Vec::new()).unwrap()
}

/// A trust folder holding the fixture's TEST CA (written once per binary).
pub fn trust_dir() -> &'static std::path::Path {
    static DIR: std::sync::OnceLock<tempfile::TempDir> = std::sync::OnceLock::new();
    DIR.get_or_init(|| {
        let d = tempfile::tempdir().unwrap();
        pki().0.write(d.path()).unwrap();
        d
    })
    .path()
}

/// A local Astana time (`2025-10-06 10:20`) as an instant.
fn at(s: &str) -> DateTime<Utc> {
    chrono_tz::Asia::Almaty
        .from_local_datetime(&chrono::NaiveDateTime::parse_from_str(s, "%Y-%m-%d %H:%M").unwrap())
        .unwrap()
        .with_timezone(&Utc)
}

/// BIN of Saryarka Hash LLP (`YYMM T A NNNNN K`: a resident legal entity's
/// head office registered in March 2019).
pub const SARYARKA_BIN: &str = "190340012348";
/// IIN of IE Omarov (`YYMMDD C NNNN K`: a man born on 14 May 1978).
pub const OMAROV_IIN: &str = "780514301251";
/// BIN of Nomad Mining LLP (June 2021).
pub const NOMAD_BIN: &str = "210640054320";
/// BIN of Tengri Grid LLP (August 2020).
pub const TENGRI_BIN: &str = "200840031238";
/// BIN of Aksu Data LLP (May 2017).
pub const AKSU_BIN: &str = "170540025472";
/// BIN of Baiterek Power LLP (January 2022).
pub const BAITEREK_BIN: &str = "220140077899";
/// BIN of Zhetysu Compute LLP (February 2023).
pub const ZHETYSU_BIN: &str = "230240009873";

/// A synthetic BIN/IIN whose 12th digit is the check digit of the first 11
/// (`rules::ids::with_check_digit`); anything else fails the test.
fn checked(bin_iin: &str) -> String {
    let d: [u8; 11] = bin_iin.as_bytes()[..11]
        .iter()
        .map(|b| b - b'0')
        .collect::<Vec<_>>()
        .try_into()
        .unwrap();
    assert_eq!(
        with_check_digit(&d).as_deref(),
        Some(bin_iin),
        "check digit"
    );
    bin_iin.to_string()
}

struct Miner {
    name: &'static str,
    bin_iin: String,
    address: &'static str,
    phone: &'static str,
    email: &'static str,
}

fn saryarka() -> Miner {
    Miner {
        name: "Saryarka Hash LLP",
        bin_iin: checked(SARYARKA_BIN),
        address: "Karaganda, Bukhar Zhyrau ave. 47",
        phone: "+7 701 555 12 34",
        email: "office@saryarkahash.kz",
    }
}

fn applicant(m: &Miner) -> Value {
    json!({
        "name": m.name,
        "bin_iin": m.bin_iin,
        "legal_address": m.address,
        "phone": m.phone,
        "email": m.email,
        "personal_data_consent": true
    })
}

/// `(brand, model, TH/s, kW)` of the ASICs the fixture's miners hold.
const S21: (&str, &str, f64, f64) = ("Bitmain", "Antminer S21", 200.0, 3.5);
const M50S: (&str, &str, f64, f64) = ("MicroBT", "Whatsminer M50S", 126.0, 3.28);
const A1246: (&str, &str, f64, f64) = ("Canaan", "Avalon A1246", 90.0, 3.42);
const S19JPRO: (&str, &str, f64, f64) = ("Bitmain", "Antminer S19j Pro", 104.0, 3.07);
const M30S: (&str, &str, f64, f64) = ("MicroBT", "Whatsminer M30S++", 112.0, 3.47);
const S19XP: (&str, &str, f64, f64) = ("Bitmain", "Antminer S19 XP", 140.0, 3.01);

fn units(model: (&str, &str, f64, f64), serials: &[&str], declaration: &str) -> Value {
    serials
        .iter()
        .map(|s| {
            json!({"brand": model.0, "model": model.1, "serial": s,
                   "hashrate_ths": model.2, "power_kw": model.3,
                   "declaration_no": declaration, "condition": "serviceable"})
        })
        .collect()
}

#[allow(clippy::too_many_arguments)]
fn inclusion(
    m: &Miner,
    channel: &str,
    received: &str,
    data_center: &str,
    units: Value,
    lease: &str,
    lease_until: &str,
) -> Value {
    json!({
        "kind": "inclusion",
        "channel": channel,
        "received_at": received,
        "applicant": applicant(m),
        "data_center": data_center,
        "tn_ved_code": "8471 50 000 0",
        "units": units,
        "documents": [{"kind": "ownership_proof", "name": lease, "valid_until": lease_until}]
    })
}

struct Build {
    store: Store,
    law: Law,
    signer: CertSigner,
}

impl Build {
    /// Registers a portal (or desk) application through intake, as
    /// `tizilim intake` does, at the instant it was received; it must become
    /// case `want`.
    fn intake(&mut self, v: &Value, want: &str) {
        let law = &self.law;
        let app = tizilim::intake::parse_application(v.to_string().as_bytes(), now(), law)
            .unwrap_or_else(|e| panic!("{want}: {e:?}"));
        let received = app.received_at;
        let out = self
            .store
            .write(|tx| {
                let ctx = services::Context {
                    tx,
                    law,
                    actor: &tizilim::rules::Login::new(CLERK),
                    at: received,
                };
                tizilim::intake::register_in(&ctx, "fixture", app)
            })
            .unwrap_or_else(|e| panic!("{want}: {e}"));
        assert_eq!(out.case.as_deref(), Some(want), "{:?}", out.errors);
    }

    fn notify(&mut self, case: &str, when: &str, hearing: &str, ground: u8, reason: &str) {
        let law = &self.law;
        let signer = &self.signer;
        let t = at(when);
        self.store
            .write(|tx| {
                services::notify_hearing(
                    &services::Context {
                        tx,
                        law,
                        actor: &tizilim::rules::Login::new(CLERK),
                        at: t,
                    },
                    &Issuer { signer },
                    &HearingNotice {
                        late_reason: None,
                        case: case.into(),
                        expected_version: None,
                        sent_on: None,
                        hearing_at: at(hearing),
                        place: "Astana, Mangilik El ave. 55/14, room 402".into(),
                        grounds: vec![ground],
                        reason: reason.into(),
                    },
                )
            })
            .unwrap_or_else(|e| panic!("{case}: notify: {e}"));
    }

    fn hearing_held(&mut self, case: &str, when: &str, position: &str) {
        let law = &self.law;
        let t = at(when);
        self.store
            .write(|tx| {
                services::record_hearing(
                    &services::Context {
                        tx,
                        law,
                        actor: &tizilim::rules::Login::new(CLERK),
                        at: t,
                    },
                    &HearingRecord {
                        late_reason: None,
                        case: case.into(),
                        expected_version: None,
                        outcome: HearingOutcome::Held,
                        position: Some(position.into()),
                        on: None,
                    },
                )
            })
            .unwrap_or_else(|e| panic!("{case}: record: {e}"));
    }

    fn decide(&mut self, case: &str, when: &str, action: Action, reason: Option<&str>, want: &str) {
        let law = &self.law;
        let signer = &self.signer;
        let t = at(when);
        let number = self
            .store
            .write(|tx| {
                services::decide(
                    &services::Context {
                        tx,
                        law,
                        actor: &tizilim::rules::Login::new(CLERK),
                        at: t,
                    },
                    &Issuer { signer },
                    &Decision {
                        late_reason: None,
                        case: case.into(),
                        expected_version: None,
                        action,
                        grounds: Vec::new(),
                        reason: reason.map(str::to_string),
                        on: None,
                    },
                )
            })
            .unwrap_or_else(|e| panic!("{case}: decide: {e}"));
        assert_eq!(number, want);
    }
}

/// The register described in the module's documentation, in a temporary
/// folder (kept while the `TempDir` lives).
pub fn register() -> (tempfile::TempDir, Store) {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("register.sqlite");
    let mut store = Store::create(&path).unwrap();
    let opened = at("2025-10-01 09:00");
    store
        .write(|tx| services::create_register(tx, &tizilim::rules::Login::new("admin"), opened))
        .unwrap();
    for (login, role) in [(CLERK, Role::Clerk), (SUPERVISOR, Role::Supervisor)] {
        store
            .write(|tx| {
                services::add_user(
                    &services::Context {
                        tx,
                        law: &tizilim::rules::Law::load(&[]).unwrap(),
                        actor: &tizilim::rules::Login::new("admin"),
                        at: opened,
                    },
                    &tizilim::rules::Login::new(login),
                    role,
                )
            })
            .unwrap();
    }
    let law = store.law().unwrap();
    let signer = signer();
    store
        .write(|tx| {
            services::register_key(
                &services::Context {
                    tx,
                    law: &law,
                    actor: &tizilim::rules::Login::new(CLERK),
                    at: opened,
                },
                &signer,
                "Айгерим Сапарова",
                // §14: the head of the structural unit signs exclusions too.
                tizilim::rules::Position::Head,
                None,
            )
        })
        .unwrap();
    let mut b = Build { store, law, signer };

    // 1. Included, signed (entries 1–4).
    let saryarka = saryarka();
    b.intake(
        &inclusion(
            &saryarka,
            "portal",
            "2025-10-06T10:20:00+05:00",
            "Karaganda region, Temirtau, Metallurgov ave. 1",
            units(
                S21,
                &[
                    "SMTTS2125100001",
                    CONFLICT_SERIAL,
                    "SMTTS2125100003",
                    "SMTTS2125100004",
                ],
                "10311020925/0012745",
            ),
            "lease-2025-031.pdf",
            "2027-09-30",
        ),
        INCLUDED,
    );
    b.decide(
        INCLUDED,
        "2025-10-09 11:00",
        Action::Include,
        None,
        "INC-2025-000001",
    );

    // 2. Included (entries 5–7): a second region for the energy view.
    let omarov = Miner {
        name: "IE Omarov",
        bin_iin: checked(OMAROV_IIN),
        address: "Ekibastuz, Satpayev st. 12",
        phone: "+7 705 318 44 09",
        email: "omarov.mining@mail.kz",
    };
    b.intake(
        &inclusion(
            &omarov,
            "portal",
            "2025-10-14T11:05:00+05:00",
            "Pavlodar region, Ekibastuz, industrial zone 4",
            units(
                M50S,
                &["HTM50S0250700118", "HTM50S0250700119", "HTM50S0250700120"],
                "10311031025/0020418",
            ),
            "lease-2025-044.pdf",
            "2026-12-31",
        ),
        INCLUDED_2,
    );
    b.decide(
        INCLUDED_2,
        "2025-10-17 10:30",
        Action::Include,
        None,
        "INC-2025-000002",
    );

    // 3. Refused after a hearing (a serial already in the register), then a
    // complaint to the quality-control body.
    let nomad = Miner {
        name: "Nomad Mining LLP",
        bin_iin: checked(NOMAD_BIN),
        address: "Astana, Kabanbay Batyr ave. 60",
        phone: "+7 708 222 19 90",
        email: "info@nomadmining.kz",
    };
    b.intake(
        &inclusion(
            &nomad,
            "portal",
            "2025-11-03T14:30:00+05:00",
            "Astana, industrial park 2",
            json!([
                units(A1246, &["AV1246A2509000417"], "10311281025/0031186")[0],
                units(A1246, &[CONFLICT_SERIAL], "10311281025/0031186")[0],
            ]),
            "lease-2025-102.pdf",
            "2026-10-31",
        ),
        REFUSED,
    );
    b.notify(
        REFUSED,
        "2025-11-04 10:00",
        "2025-11-06 15:00",
        1,
        "Серийный номер SMTTS2125100002 уже включён в реестр (запись 2) за ТОО «Saryarka Hash».",
    );
    b.hearing_held(
        REFUSED,
        "2025-11-06 15:40",
        "Заявитель считает, что поставщик продал ему АПК с этим номером, и обещает представить договор.",
    );
    b.decide(
        REFUSED,
        "2025-11-07 12:00",
        Action::Refuse,
        Some("Договор купли-продажи не представлен; серийный номер остаётся за другим майнером."),
        "REF-2025-000001",
    );

    // 4. Incomplete (§9), overdue.
    let tengri = Miner {
        name: "Tengri Grid LLP",
        bin_iin: checked(TENGRI_BIN),
        address: "Kostanay, Baimagambetov st. 170",
        phone: "+7 714 250 61 78",
        email: "office@tengrigrid.kz",
    };
    b.intake(
        &inclusion(
            &tengri,
            "portal",
            "2025-11-18T16:10:00+05:00",
            "Kostanay region, Rudny, industrial zone 3",
            units(S19JPRO, &["JYZZS9J2504001186"], "10311141125/0040022"),
            "lease-2024-08.pdf",
            "2025-10-31",
        ),
        INCOMPLETE,
    );

    // 5. Hearing held, awaiting the decision.
    let aksu = Miner {
        name: "Aksu Data LLP",
        bin_iin: checked(AKSU_BIN),
        address: "Aksu, Lomov st. 8",
        phone: "+7 718 377 40 15",
        email: "office@aksudata.kz",
    };
    b.intake(
        &inclusion(
            &aksu,
            "office",
            "2025-11-21T10:30:00+05:00",
            "Pavlodar region, Aksu, industrial zone 2",
            units(
                S19JPRO,
                &[
                    "JYZZS9J2506003301",
                    "JYZZS9J2506003302",
                    "JYZZS9J2506003303",
                ],
                "10311191125/0040877",
            ),
            "lease-2025-117.pdf",
            "2027-03-31",
        ),
        HEARING_HELD,
    );
    b.notify(
        HEARING_HELD,
        "2025-11-24 10:00",
        "2025-11-26 10:00",
        2,
        "Серийные номера в приложении 3 не совпадают с таможенной декларацией.",
    );
    b.hearing_held(
        HEARING_HELD,
        "2025-11-26 10:45",
        "Заявитель не согласен и обещает представить исправленную декларацию.",
    );

    // 6. Hearing notified: held today at 15:00.
    let baiterek = Miner {
        name: "Baiterek Power LLP",
        bin_iin: checked(BAITEREK_BIN),
        address: "Konaev, Abay ave. 21",
        phone: "+7 777 410 08 52",
        email: "office@baiterekpower.kz",
    };
    b.intake(
        &inclusion(
            &baiterek,
            "portal",
            "2025-11-24T09:30:00+05:00",
            "Almaty region, Konaev, free economic zone",
            units(
                M30S,
                &["HTM30SP2411000071", "HTM30SP2411000072"],
                "10311201125/0041563",
            ),
            "lease-2025-121.pdf",
            "2026-11-30",
        ),
        HEARING_NOTIFIED,
    );
    b.notify(
        HEARING_NOTIFIED,
        "2025-11-25 10:00",
        "2025-11-27 15:00",
        2,
        "Мощность АПК в приложении 3 превышает согласованную мощность подключения площадки.",
    );

    // 3'. The complaint on the refusal.
    let law = &b.law;
    let complaint = b
        .store
        .write(|tx| {
            services::lodge_complaint(&services::Context { tx, law, actor: &tizilim::rules::Login::new(SUPERVISOR), at: at("2025-11-26 09:40") }, &ComplaintFiling {
                    case: REFUSED.into(),
                    expected_version: None,
                    addressed_to: ComplaintBody::QualityBody,
                    text: "Nomad Mining LLP disputes the refusal: the seller's contract shows the ABK was sold to it."
                        .into(),
                    received_at: None,
                })
        })
        .unwrap();
    assert_eq!(complaint, COMPLAINT);

    // 7. Under review, the §10 clock running.
    let zhetysu = Miner {
        name: "Zhetysu Compute LLP",
        bin_iin: checked(ZHETYSU_BIN),
        address: "Ekibastuz, Energetikov st. 52",
        phone: "+7 702 640 73 11",
        email: "office@zhetysucompute.kz",
    };
    b.intake(
        &inclusion(
            &zhetysu,
            "portal",
            "2025-11-26T10:00:00+05:00",
            "Pavlodar region, Ekibastuz, GRES-1 access road 7",
            units(
                S19XP,
                &[
                    "HKYWS9X2508000510",
                    "HKYWS9X2508000511",
                    "HKYWS9X2508000512",
                ],
                "10311241125/0042290",
            ),
            "lease-2025-124.pdf",
            "2027-11-30",
        ),
        UNDER_REVIEW,
    );

    // 8. An exclusion of entries 3 and 4, at the desk.
    b.intake(
        &json!({
            "kind": "exclusion",
            "channel": "office",
            "received_at": "2025-11-26T15:20:00+05:00",
            "applicant": applicant(&saryarka),
            "units": [{"serial": "SMTTS2125100003"}, {"serial": "SMTTS2125100004"}],
            "documents": [{"kind": "end_of_right_proof", "name": "sale-contract-2025-11-20.pdf"}]
        }),
        EXCLUSION,
    );
    (dir, b.store)
}
