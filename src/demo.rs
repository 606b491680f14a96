//! `tizilim demo`: a register that looks real — miners with valid synthetic
//! BIN/IINs, real ASIC models, sites across the mining regions, cases from the
//! Rules' entry into force until "now" in every stage, hearings, complaints,
//! and some overdue — built through the same store services as intake.

use chrono::{DateTime, Datelike, Duration, NaiveDate, NaiveTime, TimeZone, Utc};

use crate::rules::Login;
use crate::rules::ids::with_check_digit;
use crate::rules::workflow::{Action, ComplaintOutcome};
use crate::rules::{CaseKind, Channel, ComplaintBody, Condition, Law, Outcome};
use crate::store::engine::Acts;
use crate::store::events::HearingOutcome;
use crate::store::model::{Applicant, Application, ChangeNotice, Document, DocumentKind, Unit};
use crate::store::services::{
    ComplaintDecision, ComplaintFiling, ComplaintForwarding, Context, Decision, HearingNotice,
    HearingRecord,
};
use crate::store::sql::Sql;
use crate::store::{Error, Result, services};

/// The reason the synthetic history gives for its acts that come after
/// their clock's last day (terms on the record, issue 20).
const LATE: &str = "demo: a synthetic history with late acts";

/// SplitMix64: a tiny generator whose output for a seed never changes with a
/// crate upgrade, so `--seed` reproduces the same register forever.
pub struct Rng(u64);

impl Rng {
    pub fn new(seed: u64) -> Self {
        Rng(seed ^ 0x9E37_79B9_7F4A_7C15)
    }
    pub fn next_u64(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }
    pub fn below(&mut self, n: u64) -> u64 {
        if n == 0 { 0 } else { self.next_u64() % n }
    }
    pub fn chance(&mut self, percent: u64) -> bool {
        self.below(1000) < percent * 10
    }
    pub fn pick<'a, T>(&mut self, items: &'a [T]) -> &'a T {
        &items[self.below(items.len() as u64) as usize]
    }
}

/// Real ASIC models (IDENTIFIERS.md): brand, model, TH/s, kW, serial prefix.
const MODELS: &[(&str, &str, f64, f64, &str)] = &[
    ("Bitmain", "Antminer S19", 95.0, 3.25, "YNAHS19"),
    ("Bitmain", "Antminer S19j Pro", 104.0, 3.07, "JYZZS9J"),
    ("Bitmain", "Antminer S19 XP", 140.0, 3.01, "HKYWS9X"),
    ("Bitmain", "Antminer S21", 200.0, 3.5, "SMTTS21"),
    ("MicroBT", "Whatsminer M30S++", 112.0, 3.47, "HTM30SP"),
    ("MicroBT", "Whatsminer M50S", 126.0, 3.28, "HTM50S0"),
    ("Canaan", "Avalon A1246", 90.0, 3.42, "AV1246A"),
];
const TN_VED: &[&str] = &["8471500000", "8471410000", "8471490000", "8543709000"];
const SITES: &[(&str, &[&str])] = &[
    (
        "Pavlodar region",
        &[
            "Ekibastuz, industrial zone 4",
            "Aksu, industrial zone 2",
            "Pavlodar, Northern industrial district",
        ],
    ),
    (
        "Ekibastuz",
        &[
            "Ekibastuz, GRES-1 access road 7",
            "Ekibastuz, Energetikov st. 52",
        ],
    ),
    (
        "Karaganda region",
        &[
            "Temirtau, Metallurgov ave. 1",
            "Karaganda, Mikhailovka industrial park",
            "Balkhash, Energy st. 12",
        ],
    ),
    (
        "Kostanay region",
        &[
            "Rudny, industrial zone 3",
            "Kostanay, Promyshlennaya st. 18",
        ],
    ),
    (
        "Almaty region",
        &["Konaev, free economic zone", "Talgar, industrial park 1"],
    ),
    (
        "Astana",
        &["Astana, industrial park 2", "Astana, Alash highway 45"],
    ),
    ("Akmola region", &["Stepnogorsk, industrial zone 6"]),
];
const FIRST: &[&str] = &[
    "Ekibastuz",
    "Saryarka",
    "Ertis",
    "Altyn",
    "Zhetysu",
    "Baiterek",
    "Nomad",
    "Tengri",
    "Bayan",
    "Aksu",
    "Temirtau",
    "Balkhash",
    "Kokshe",
    "Ulytau",
    "Shygys",
];
const SECOND: &[&str] = &[
    "Compute", "Hash", "Mining", "Data", "Digital", "Energy", "Blocks", "Power", "Tech", "Grid",
];
const SURNAMES: &[&str] = &[
    "Akhmetov",
    "Nurpeisova",
    "Seitkali",
    "Bekova",
    "Omarov",
    "Zhaksylykov",
    "Tulegenova",
    "Ibraimov",
    "Sultanbek",
    "Abenov",
    "Kassymova",
    "Dzhaksybekov",
];
const STREETS: &[&str] = &[
    "Satpayev st.",
    "Abay ave.",
    "Kabanbay Batyr ave.",
    "Toraigyrov st.",
    "Lomov st.",
    "Bukhar Zhyrau ave.",
    "Al-Farabi ave.",
];
/// The ground and reasoning of a refusal for a serial registered to another miner.
const CONFLICT_GROUND: (u8, &str) = (
    1,
    "Серийный номер АПК уже включён в реестр за другим цифровым майнером.",
);

/// Appendix 5 grounds a demo refusal cites, with the clerk's reasoning.
const GROUNDS: &[(u8, &str)] = &[
    (
        1,
        "Договор аренды, приложенный как документ о праве владения, выдан другому арендатору.",
    ),
    (
        2,
        "Серийные номера в приложении 3 не совпадают с таможенной декларацией.",
    ),
    (
        3,
        "Региональный уполномоченный орган в области энергетики сообщил, что площадка не имеет согласованной мощности подключения.",
    ),
];

struct Miner {
    applicant: Applicant,
    sites: Vec<String>,
}

fn digits(n: u64, width: usize) -> Vec<u8> {
    format!("{n:0width$}").bytes().map(|b| b - b'0').collect()
}

fn synthetic_bin(rng: &mut Rng) -> String {
    loop {
        let mut d = digits(5 + rng.below(19), 2); // YY 05..23
        d.extend(digits(1 + rng.below(12), 2)); // MM
        d.push(4); // resident legal entity
        d.push(0); // head office
        d.extend(digits(rng.below(100_000), 5));
        let first11: [u8; 11] = d.try_into().expect("11 digits");
        if let Some(s) = with_check_digit(&first11) {
            return s;
        }
    }
}

fn synthetic_iin(rng: &mut Rng) -> String {
    loop {
        let year = 1965 + rng.below(36) as i32;
        let Some(birth) =
            NaiveDate::from_ymd_opt(year, 1 + rng.below(12) as u32, 1 + rng.below(28) as u32)
        else {
            continue;
        };
        let mut d = digits((birth.year() % 100) as u64, 2);
        d.extend(digits(birth.month() as u64, 2));
        d.extend(digits(birth.day() as u64, 2));
        d.push(if year >= 2000 { 5 } else { 3 } + rng.below(2) as u8);
        d.extend(digits(rng.below(10_000), 4));
        let first11: [u8; 11] = d.try_into().expect("11 digits");
        if let Some(s) = with_check_digit(&first11) {
            return s;
        }
    }
}

fn make_miner(rng: &mut Rng, i: usize) -> Miner {
    let (name, bin_iin, slug) = if rng.chance(80) {
        let a = rng.pick(FIRST);
        let b = rng.pick(SECOND);
        (
            format!("{a} {b} LLP"),
            synthetic_bin(rng),
            format!("{}{}{i}", a.to_lowercase(), b.to_lowercase()),
        )
    } else {
        let s = rng.pick(SURNAMES);
        (
            format!("IE {s}"),
            synthetic_iin(rng),
            format!("ie-{}{i}", s.to_lowercase()),
        )
    };
    let (region, places) = rng.pick(SITES);
    let n_sites = 1 + rng.below(2) as usize;
    let sites = (0..n_sites)
        .map(|_| format!("{region}, {}", rng.pick(places)))
        .collect();
    let city = places[0].split(',').next().unwrap_or("Astana");
    Miner {
        applicant: Applicant {
            name,
            bin_iin,
            legal_address: Some(format!(
                "{city}, {} {}",
                rng.pick(STREETS),
                1 + rng.below(200)
            )),
            phone: format!(
                "+77{}{:07}",
                rng.pick(&["01", "02", "05", "07", "08", "47", "75", "77"]),
                rng.below(10_000_000)
            ),
            email: format!("office@{slug}.kz"),
            personal_data_consent: true,
        },
        sites,
    }
}

#[derive(Debug, Clone)]
pub struct DemoOptions {
    pub cases: usize,
    pub units: usize,
    pub seed: u64,
    /// "Now" for the synthetic history: the last receipt is before it.
    pub now: DateTime<Utc>,
    /// Where the demo's TEST certifying centre goes (a trust folder beside
    /// the register, `demo.sqlite.trust/`); `None` keeps it in memory.
    pub trust: Option<std::path::PathBuf>,
}

#[derive(Debug, Default)]
pub struct DemoSummary {
    pub cases: usize,
    pub units: usize,
    pub miners: usize,
    pub complaints: usize,
    pub hearings: usize,
}

/// An instant at a local time on a day.
fn at_local(law: &Law, day: NaiveDate, hour: u32, minute: u32) -> DateTime<Utc> {
    let zone = law.rules.office.zone;
    let t = day.and_time(NaiveTime::from_hms_opt(hour, minute, 0).expect("valid time"));
    zone.from_local_datetime(&t)
        .earliest()
        .expect("office hours exist every day")
        .with_timezone(&Utc)
}

/// The IIN the demo's signer and its certificate carry (a valid IIN of a
/// person born 01.01.1988; synthetic).
const DEMO_IIN: &str = "880101300123";

/// The demo's signer: a fresh P-256 key and a TEST certificate of
/// [`DEMO_IIN`] from the test CA in `trust` (made there if it has none).
fn demo_signer(
    actor: &Login,
    trust: Option<&std::path::Path>,
) -> Result<crate::sign::p12::CertSigner> {
    use crate::sign::testca::TestCa;
    let e = |err: crate::sign::SignError| Error::Corrupt(format!("demo certificate: {err}"));
    let ca = match trust {
        Some(dir) if dir.join(crate::sign::testca::CA_FILE).exists() => {
            TestCa::load(dir).map_err(e)?
        }
        Some(dir) => {
            let ca = TestCa::generate("TEST tizilim demo root CA").map_err(e)?;
            ca.write(dir).map_err(e)?;
            ca
        }
        None => TestCa::generate("TEST tizilim demo root CA").map_err(e)?,
    };
    let key = crate::sign::testca::p256_key().map_err(e)?;
    let cert = ca.issue("TEST Айгерим Бекова", DEMO_IIN, &key).map_err(e)?;
    crate::sign::p12::CertSigner::new(actor.as_str(), key, cert, Vec::new()).map_err(e)
}

/// Fills the register, on either engine: a file's [`crate::store::Store`]
/// or a [`crate::store::engine::Register`] (a batch is one transaction,
/// through the engine's own write: on PostgreSQL the writers' lock, the
/// `NOTIFY` and the witness line). `actor` must be allowed to register and
/// decide.
pub fn fill(
    reg: &mut dyn Acts,
    law: &Law,
    actor: &Login,
    opts: &DemoOptions,
) -> Result<DemoSummary> {
    let mut rng = Rng::new(opts.seed);
    // The demo's notices are really signed, as CMS: with an ECDSA P-256
    // TEST certificate from a TEST certifying centre written beside the
    // register (its root and CRL are that folder's trust: `--trust
    // demo.sqlite.trust`). The signer's private key is made for this run
    // and never written anywhere, so nobody can sign anything more with it;
    // key, certificate and chain are parsed once, not per notice.
    let signer = demo_signer(actor, opts.trust.as_deref())?;
    reg.write_dyn(&mut |tx| {
        let ctx = Context {
            tx,
            law,
            actor,
            at: opts.now,
        };
        services::set_iin(&ctx, actor, DEMO_IIN)?;
        services::register_key(
            &ctx,
            &signer,
            "Айгерим Бекова",
            crate::rules::Position::Head,
            None,
        )?;
        Ok(())
    })?;
    let start_day = law.rules.editions()[0].effective_from;
    let start = at_local(law, start_day, 9, 0);
    let span = (opts.now - start).num_seconds().max(1) as u64;
    let today = law.calendar.local_date(opts.now);
    let n_miners = (opts.cases / 40).clamp(3, 5000);
    let miners: Vec<Miner> = (0..n_miners).map(|i| make_miner(&mut rng, i)).collect();

    // Receipt instants, in order, so case numbers follow time.
    let mut receipts: Vec<DateTime<Utc>> = (0..opts.cases)
        .map(|_| start + Duration::seconds(rng.below(span) as i64))
        .collect();
    receipts.sort();
    // Kinds: the first tenth are all inclusions, so there is something to exclude.
    let kinds: Vec<CaseKind> = (0..opts.cases)
        .map(|i| match rng.below(100) {
            _ if i < opts.cases / 10 => CaseKind::Inclusion,
            0..=69 => CaseKind::Inclusion,
            70..=89 => CaseKind::Exclusion,
            _ => CaseKind::Change,
        })
        .collect();
    let n_incl = kinds
        .iter()
        .filter(|k| **k == CaseKind::Inclusion)
        .count()
        .max(1);
    let mut unit_counts = vec![0usize; opts.cases];
    let incl_idx: Vec<usize> = (0..opts.cases)
        .filter(|i| kinds[*i] == CaseKind::Inclusion)
        .collect();
    for (n, i) in incl_idx.iter().enumerate() {
        unit_counts[*i] = usize::from(n < opts.units);
    }
    for _ in 0..opts.units.saturating_sub(n_incl.min(opts.units)) {
        if incl_idx.is_empty() {
            break;
        }
        unit_counts[*rng.pick(&incl_idx)] += 1;
    }

    let mut summary = DemoSummary {
        miners: n_miners,
        ..Default::default()
    };
    // Serials included so far, by miner, for exclusions and changes.
    let mut included: Vec<(usize, String)> = Vec::new();
    let mut serial_no: u64 = opts.seed.wrapping_mul(1_000_003) % 1_000_000;
    // Cases per transaction: each commit writes the pages it changed (and
    // the rollback journal their old content), so fewer, larger batches
    // write less (issue 18: 10,000 cases a batch wrote 15 % fewer pages
    // than 5,000 at 100,000 cases); `Store::bulk`'s page cache holds a
    // batch's pages.
    const BATCH: usize = 10_000;
    let mut i = 0;
    while i < opts.cases {
        let end = (i + BATCH).min(opts.cases);
        reg.write_dyn(&mut |tx| {
            for c in i..end {
                let received_at = receipts[c];
                let mut miner_i = rng.below(n_miners as u64) as usize;
                let mut kind = kinds[c];
                let mut picked: Vec<String> = Vec::new();
                if kind != CaseKind::Inclusion {
                    let pool: Vec<usize> = (0..included.len().min(64))
                        .map(|_| rng.below(included.len() as u64) as usize)
                        .collect();
                    if let Some(&first) = pool.first() {
                        let owner = included[first].0;
                        miner_i = owner;
                        let take = if kind == CaseKind::Change {
                            1
                        } else {
                            1 + rng.below(4) as usize
                        };
                        let mut idx: Vec<usize> = pool
                            .into_iter()
                            .filter(|p| included[*p].0 == owner)
                            .collect();
                        idx.sort_unstable();
                        idx.dedup();
                        idx.truncate(take);
                        for p in idx.into_iter().rev() {
                            picked.push(included.swap_remove(p).1);
                        }
                    }
                    if picked.is_empty() {
                        kind = CaseKind::Inclusion;
                    }
                }
                let owner = &miners[miner_i];
                let received_on = law.calendar.local_date(received_at);
                let model = *rng.pick(MODELS);
                let n_units = if kind == CaseKind::Inclusion {
                    unit_counts[c].max(1)
                } else {
                    picked.len()
                };
                let units: Vec<Unit> = match kind {
                    CaseKind::Inclusion => (0..n_units)
                        .map(|_| {
                            serial_no += 1;
                            Unit {
                                brand: Some(model.0.into()),
                                model: Some(model.1.into()),
                                serial: format!("{}{:010}", model.4, serial_no),
                                hashrate_ths: Some(model.2),
                                power_kw: Some(model.3),
                                declaration_no: Some(format!(
                                    "10{:03}{:06}/{:07}",
                                    100 + rng.below(900),
                                    received_on.format("%d%m%y"),
                                    rng.below(10_000_000)
                                )),
                                condition: Some(if rng.chance(3) {
                                    Condition::Unserviceable
                                } else {
                                    Condition::Serviceable
                                }),
                            }
                        })
                        .collect(),
                    // An exclusion names serials; a change gives their new wording.
                    CaseKind::Exclusion | CaseKind::Change => picked
                        .iter()
                        .map(|s| Unit {
                            brand: None,
                            model: None,
                            serial: s.clone(),
                            hashrate_ths: None,
                            power_kw: None,
                            declaration_no: None,
                            condition: (kind == CaseKind::Change)
                                .then_some(Condition::Unserviceable),
                        })
                        .collect(),
                };
                let complete = !rng.chance(4);
                let documents = match kind {
                    CaseKind::Inclusion if complete => vec![Document {
                        kind: DocumentKind::OwnershipProof,
                        name: format!("lease-{}-{}.pdf", received_on.year(), 1 + rng.below(99)),
                        valid_until: Some(
                            received_on + Duration::days(365 + rng.below(700) as i64),
                        ),
                    }],
                    CaseKind::Inclusion => vec![Document {
                        kind: DocumentKind::OwnershipProof,
                        name: "lease-expired.pdf".into(),
                        valid_until: Some(received_on - Duration::days(1 + rng.below(60) as i64)),
                    }],
                    CaseKind::Exclusion if complete => vec![Document {
                        kind: DocumentKind::EndOfRightProof,
                        name: format!("sale-contract-{}.pdf", 1 + rng.below(500)),
                        valid_until: None,
                    }],
                    CaseKind::Exclusion => Vec::new(),
                    CaseKind::Change => vec![Document {
                        kind: DocumentKind::ChangeBasis,
                        name: "inspection-act.pdf".into(),
                        valid_until: None,
                    }],
                };
                let change = (kind == CaseKind::Change).then(|| ChangeNotice {
                    changed_on: law
                        .calendar
                        .add_working_days(received_on, -(rng.below(14) as i32))
                        .unwrap_or(received_on)
                        .min(received_on),
                    reason: "ABK damaged and declared unserviceable".into(),
                });
                let app = Application {
                    kind,
                    channel: if rng.chance(85) {
                        Channel::Portal
                    } else {
                        Channel::Office
                    },
                    received_at,
                    applicant: owner.applicant.clone(),
                    data_center: (kind == CaseKind::Inclusion)
                        .then(|| rng.pick(&owner.sites).clone()),
                    tn_ved_code: (kind == CaseKind::Inclusion)
                        .then(|| rng.pick(TN_VED).to_string()),
                    units,
                    documents,
                    change,
                    request_no: None,
                };
                let mut app = app;
                // Now and then a serial already in the register for another miner
                // turns up in an application (what §3's control is for): the
                // clerk cannot include it, and `register conflicts` lists it.
                if kind == CaseKind::Inclusion && !included.is_empty() && rng.chance(1) {
                    let (owner_i, serial) = &included[rng.below(included.len() as u64) as usize];
                    if *owner_i != miner_i
                        && let Some(u) = app.units.first_mut()
                    {
                        u.serial = serial.clone();
                    }
                }
                let serials: Vec<String> = app.units.iter().map(|u| u.serial.clone()).collect();
                let complete = app.missing_documents(received_on).is_empty();
                let number = services::register_synthetic_application(
                    &Context {
                        tx,
                        law,
                        actor,
                        at: opts.now,
                    },
                    app,
                )?;
                summary.cases += 1;
                summary.units += if kind == CaseKind::Inclusion {
                    serials.len()
                } else {
                    0
                };
                let registered = law.calendar.registration_day(received_at)?;
                let age = law.calendar.working_days_between(registered, today)?;
                let life = lifecycle(
                    &mut rng,
                    law,
                    tx,
                    actor,
                    &signer,
                    &number,
                    kind,
                    complete,
                    registered,
                    age,
                    today,
                    opts.now,
                    &mut summary,
                )?;
                match (kind, life) {
                    (CaseKind::Inclusion, Some(Outcome::Included)) => {
                        included.extend(serials.into_iter().map(|s| (miner_i, s)))
                    }
                    (CaseKind::Exclusion, Some(Outcome::Excluded)) | (CaseKind::Inclusion, _) => {}
                    // An open or refused exclusion, and any change, leave the units in the register.
                    (CaseKind::Exclusion | CaseKind::Change, _) => {
                        included.extend(serials.into_iter().map(|s| (miner_i, s)))
                    }
                }
            }
            Ok(())
        })?;
        i = end;
    }
    Ok(summary)
}

/// Plays a case forward to a stage that suits its age; returns the outcome if closed.
#[allow(clippy::too_many_arguments)]
fn lifecycle(
    rng: &mut Rng,
    law: &Law,
    tx: &dyn Sql,
    actor: &Login,
    signer: &dyn crate::sign::Signer,
    number: &str,
    kind: CaseKind,
    complete: bool,
    registered: NaiveDate,
    age: i32,
    today: NaiveDate,
    now: DateTime<Utc>,
    summary: &mut DemoSummary,
) -> Result<Option<Outcome>> {
    let cal = &law.calendar;
    // The day `n` working days after registration at a local hour, or None if that is not past yet.
    let when = |n: i32, hour: u32| -> Result<Option<DateTime<Utc>>> {
        let day = cal.add_working_days(registered, n)?;
        let t = at_local(law, day, hour, 0);
        Ok((day <= today && t <= now).then_some(t))
    };
    // A few cases are left open past their deadline: overdue at the time demo runs.
    let stalled = age <= 25 && rng.chance(15);
    if !complete {
        if stalled || age < 2 {
            return Ok(None);
        }
        let Some(t) = when(1 + rng.below(2) as i32, 11)? else {
            return Ok(None);
        };
        services::decide(
            &Context {
                tx,
                law,
                actor,
                at: now,
            },
            &crate::docs::Issuer { signer },
            &Decision {
                late_reason: Some(LATE.into()),
                case: crate::rules::CaseNumber::new(number),
                expected_version: None,
                action: Action::Refuse,
                grounds: Vec::new(),
                reason: None,
                on: Some(cal.local_date(t)),
            },
        )?;
        return Ok(Some(Outcome::RefusedIncomplete));
    }
    if stalled {
        return Ok(None);
    }
    // A serial already in the register for another miner: the clerk must refuse.
    let conflict = kind == CaseKind::Inclusion && {
        let id = crate::store::read::queue::case_id(tx, number)?.ok_or_else(|| {
            crate::store::Error::NotFound(crate::store::reason::Missing::Case(number.to_string()))
        })?;
        !crate::store::read::queries::conflicts(tx, id)?.is_empty()
    };
    let refuse = conflict || (kind == CaseKind::Inclusion && rng.chance(12));
    if refuse {
        let Some(sent) = when(1, 10)? else {
            return Ok(None);
        };
        let hearing_day = cal.add_working_days(cal.local_date(sent), 2)?;
        let hearing_at = at_local(law, hearing_day, 15, 0);
        let ground = if conflict {
            &CONFLICT_GROUND
        } else {
            rng.pick(GROUNDS)
        };
        services::notify_hearing(
            &Context {
                tx,
                law,
                actor,
                at: now,
            },
            &crate::docs::Issuer { signer },
            &HearingNotice {
                late_reason: Some(LATE.into()),
                case: crate::rules::CaseNumber::new(number),
                expected_version: None,
                sent_on: Some(cal.local_date(sent)),
                hearing_at,
                place: "Astana, Mangilik El ave. 55/14, room 402 (or by video link)".into(),
                grounds: vec![ground.0],
                reason: ground.1.into(),
            },
        )?;
        summary.hearings += 1;
        let Some(held) = (hearing_day <= today && hearing_at <= now).then_some(hearing_at) else {
            return Ok(None);
        };
        let absent = rng.chance(20);
        services::record_hearing(&Context { tx, law, actor, at: now }, &HearingRecord {
            late_reason: Some(LATE.into()),
                case: crate::rules::CaseNumber::new(number),
                expected_version: None,
                outcome: if absent {
                    HearingOutcome::Absent
                } else {
                    HearingOutcome::Held
                },
                position: (!absent).then(|| {
                    "Заявитель не согласен и обещает представить недостающую справку в течение недели."
                        .to_string()
                }),
                on: Some(cal.local_date(held)),
            },
        )?;
        let Some(decided) = when(5, 16)?.filter(|d| *d >= held) else {
            return Ok(None);
        };
        let outcome = if !conflict && rng.chance(30) {
            Outcome::Included
        } else {
            Outcome::Refused
        };
        services::decide(
            &Context {
                tx,
                law,
                actor,
                at: now,
            },
            &crate::docs::Issuer { signer },
            &Decision {
                late_reason: Some(LATE.into()),
                case: crate::rules::CaseNumber::new(number),
                expected_version: None,
                action: if outcome == Outcome::Included {
                    Action::Include
                } else {
                    Action::Refuse
                },
                grounds: Vec::new(),
                reason: (outcome == Outcome::Refused)
                    .then(|| format!("{} Заслушивание основание не устранило.", ground.1)),
                on: Some(cal.local_date(decided)),
            },
        )?;
        if outcome == Outcome::Refused && rng.chance(35) {
            let lodged = decided + Duration::days(1 + rng.below(10) as i64);
            if lodged <= now {
                let to = if rng.chance(60) {
                    ComplaintBody::Provider
                } else {
                    ComplaintBody::QualityBody
                };
                let cmp = services::lodge_complaint(&Context { tx, law, actor, at: now }, &ComplaintFiling {
                        case: crate::rules::CaseNumber::new(number),
                        expected_version: None,
                        addressed_to: to,
                        text: "Заявитель не согласен с мотивированным отказом и просит пересмотреть протокол заслушивания.".into(),
                        received_at: Some(lodged),
                    },
                )?;
                summary.complaints += 1;
                let reg = cal.registration_day(lodged)?;
                let step = |n: i32| -> Result<Option<NaiveDate>> {
                    let d = cal.add_working_days(reg, n)?;
                    let t = at_local(law, d, 12, 0);
                    Ok((d <= today && t <= now).then_some(d))
                };
                let decide = |tx, outcome, on| {
                    services::decide_complaint(
                        &Context {
                            tx,
                            law,
                            actor,
                            at: now,
                        },
                        &crate::docs::Issuer { signer },
                        &ComplaintDecision {
                            late_reason: Some(LATE.into()),
                            complaint: crate::rules::CaseNumber::new(&cmp),
                            expected_version: None,
                            outcome,
                            reason: "Рассмотрено с материалами дела и протоколом заслушивания."
                                .into(),
                            on: Some(on),
                        },
                    )
                };
                let mut reopened = None;
                if to == ComplaintBody::QualityBody {
                    if let Some(on) = step(1 + rng.below(3) as i32)? {
                        services::forward_complaint(
                            &Context {
                                tx,
                                law,
                                actor,
                                at: now,
                            },
                            &ComplaintForwarding {
                                late_reason: Some(LATE.into()),
                                complaint: crate::rules::CaseNumber::new(&cmp),
                                expected_version: None,
                                on: Some(on),
                            },
                        )?;
                        if let Some(d) = step(10 + rng.below(6) as i32)? {
                            decide(tx, ComplaintOutcome::Rejected, d)?;
                        }
                    }
                } else if let Some(d) = step(2 + rng.below(4) as i32)? {
                    let outcome = if !conflict && rng.chance(20) {
                        ComplaintOutcome::Granted
                    } else {
                        ComplaintOutcome::Rejected
                    };
                    let done = decide(tx, outcome, d)?;
                    // §18–§19: the provider's full grant took the inclusion itself.
                    if done.act.is_some() {
                        return Ok(Some(Outcome::Included));
                    }
                    if done.reopened {
                        reopened = Some(d);
                    }
                }
                // A granted complaint sends the case back: decided again within §10.
                if let Some(d) = reopened {
                    let again = cal.add_working_days(d, 2)?;
                    if again <= today {
                        services::decide(
                            &Context {
                                tx,
                                law,
                                actor,
                                at: now,
                            },
                            &crate::docs::Issuer { signer },
                            &Decision {
                                late_reason: Some(LATE.into()),
                                case: crate::rules::CaseNumber::new(number),
                                expected_version: None,
                                action: Action::Include,
                                grounds: Vec::new(),
                                reason: None,
                                on: Some(again),
                            },
                        )?;
                        return Ok(Some(Outcome::Included));
                    }
                    return Ok(None);
                }
            }
        }
        return Ok(Some(outcome));
    }
    let days = match kind {
        CaseKind::Inclusion => 1 + rng.below(5) as i32,
        CaseKind::Exclusion => 1 + rng.below(2) as i32,
        CaseKind::Change => 1 + rng.below(3) as i32,
    };
    let Some(t) = when(days, 10 + rng.below(8) as u32)? else {
        return Ok(None);
    };
    let outcome = match kind {
        CaseKind::Inclusion => Outcome::Included,
        CaseKind::Exclusion => Outcome::Excluded,
        CaseKind::Change => Outcome::Amended,
    };
    let action = match kind {
        CaseKind::Inclusion => Action::Include,
        CaseKind::Exclusion => Action::Exclude,
        CaseKind::Change => Action::Amend,
    };
    let decision = Decision {
        late_reason: Some(LATE.into()),
        case: crate::rules::CaseNumber::new(number),
        expected_version: None,
        action,
        grounds: Vec::new(),
        reason: None,
        on: Some(cal.local_date(t)),
    };
    match services::decide(
        &Context {
            tx,
            law,
            actor,
            at: now,
        },
        &crate::docs::Issuer { signer },
        &decision,
    ) {
        Ok(_) => Ok(Some(outcome)),
        Err(Error::Refused { .. }) => Ok(None),
        Err(e) => Err(e),
    }
}
