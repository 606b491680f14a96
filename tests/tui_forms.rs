//! The act forms of the console (§11–§20) on `TestBackend` over the named
//! fixture register (`tests/common/fixture.rs`, its "now" pinned): every form
//! in kk, ru and en; an inclusion taken from the queue
//! through a preliminary refusal, the hearing and a reasoned refusal with keys
//! only, its signed notice shown and written to a file; §12's limits checked
//! as the clerk types; two consoles acting on one case.

mod common;

use common::fixture;

use chrono::{DateTime, Utc};
use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
use ratatui::Terminal;
use ratatui::backend::TestBackend;
use tizilim::i18n::Lang;
use tizilim::i18n::Tr;
use tizilim::rules::Role;
use tizilim::sign::p12::CertSigner;
use tizilim::store::{Store, audit};
use tizilim::tui::state::{App, Msg, Pane};
use tizilim::tui::theme::Theme;
use tizilim::tui::view;

/// Thursday 27 November 2025, 11:00 in Astana.
const NOW: &str = fixture::NOW;

fn at(s: &str) -> DateTime<Utc> {
    DateTime::parse_from_rfc3339(s).unwrap().with_timezone(&Utc)
}

const THEME: Theme = Theme {
    color: false,
    ascii: false,
};

/// The fixture register (`tests/common/fixture.rs`) with its clerk `aigerim`
/// (who holds a signing key) and supervisor `saule`, and its fresh inclusion
/// registered on Wednesday 26 November 2025 (`fixture::UNDER_REVIEW`): under
/// review, its §12 notice due by Friday. Its complaint to the quality-control
/// body is still with the provider (§18).
fn register() -> (tempfile::TempDir, Store, String) {
    let (dir, store) = fixture::register();
    (dir, store, fixture::UNDER_REVIEW.to_string())
}

fn signer() -> CertSigner {
    fixture::signer()
}

fn console(store: &Store, login: &str, role: Role, lang: Lang, now: &str) -> App {
    let mut a = App::new(
        store.conn(),
        Tr::new(lang),
        THEME,
        login.into(),
        role,
        at(now),
        (80, 24),
    )
    .unwrap();
    if login == "aigerim" {
        a.signer = Some(signer());
    }
    a
}

fn press(a: &mut App, store: &Store, code: KeyCode, mods: KeyModifiers) {
    a.update(store.conn(), Msg::Key(KeyEvent::new(code, mods)))
        .unwrap();
}

fn key(a: &mut App, store: &Store, code: KeyCode) {
    press(a, store, code, KeyModifiers::NONE);
}

fn save(a: &mut App, store: &Store) {
    press(a, store, KeyCode::Char('s'), KeyModifiers::CONTROL);
}

fn chars(a: &mut App, store: &Store, s: &str) {
    for c in s.chars() {
        key(a, store, KeyCode::Char(c));
    }
}

fn tab(a: &mut App, store: &Store, n: usize) {
    for _ in 0..n {
        key(a, store, KeyCode::Tab);
    }
}

fn screen(a: &App) -> String {
    let mut t = Terminal::new(TestBackend::new(80, 24)).unwrap();
    t.draw(|f| view::draw(f, a)).unwrap();
    common::buffer_text(t.backend().buffer())
}

/// Opens a case in pane 2 the way a clerk does: `/`, its number, Enter, Enter.
fn open_case(a: &mut App, store: &Store, number: &str) {
    key(a, store, KeyCode::Char('1'));
    key(a, store, KeyCode::Char('/'));
    chars(a, store, number);
    key(a, store, KeyCode::Enter);
    key(a, store, KeyCode::Enter);
    assert_eq!(a.pane, Pane::Detail);
    assert_eq!(a.detail.as_ref().unwrap().case.number, number);
}

fn case_row(store: &Store, number: &str) -> (String, i64) {
    store
        .conn()
        .query_row(
            "SELECT stage, version FROM cases WHERE number = ?1",
            [number],
            |r| Ok((r.get(0)?, r.get(1)?)),
        )
        .unwrap()
}

fn journal_len(store: &Store) -> i64 {
    store
        .conn()
        .query_row("SELECT count(*) FROM journal", [], |r| r.get(0))
        .unwrap()
}

/// Fills the preliminary refusal: ground 2, a reason, the default dates and
/// time, a place.
fn fill_notice(a: &mut App, store: &Store) {
    key(a, store, KeyCode::Char('p'));
    assert!(a.form.is_some(), "p opens the form");
    chars(a, store, "2");
    tab(a, store, 1);
    chars(
        a,
        store,
        "The declarations do not match the customs records.",
    );
    tab(a, store, 4);
    chars(a, store, "Astana, Mangilik El 55/14, room 402");
}

#[test]
fn an_inclusion_through_preliminary_refusal_hearing_and_refusal_by_keys() {
    let (dir, store, number) = register();
    let mut a = console(&store, "aigerim", Role::Clerk, Lang::En, NOW);
    open_case(&mut a, &store, &number);
    let s = screen(&a);
    assert!(s.contains("p preliminary refusal"), "{s}");
    fill_notice(&mut a, &store);
    let s = screen(&a);
    assert!(s.contains("§12: send by 28.11.2025"), "{s}");
    assert!(
        s.contains("§12: hold it by 01.12.2025 (2 working days after"),
        "{s}"
    );
    save(&mut a, &store);
    assert!(a.form.is_none(), "saved: {}", screen(&a));
    assert_eq!(case_row(&store, &number), ("hearing_notified".into(), 2));
    assert!(screen(&a).contains("hearing 28.11.2025 09:00"));

    // The next day, after the hearing's hour: a new session.
    let mut a = console(
        &store,
        "aigerim",
        Role::Clerk,
        Lang::En,
        "2025-11-28T10:00:00+05:00",
    );
    open_case(&mut a, &store, &number);
    key(&mut a, &store, KeyCode::Char('r'));
    tab(&mut a, &store, 1);
    chars(&mut a, &store, "Disagrees; will bring the declarations.");
    save(&mut a, &store);
    assert!(a.form.is_none(), "{}", screen(&a));
    assert_eq!(case_row(&store, &number).0, "hearing_held");

    key(&mut a, &store, KeyCode::Char('d'));
    // After a preliminary refusal and a hearing, no outcome is chosen for
    // the clerk: Ctrl-S says which field to fill, and stores nothing.
    let s = screen(&a);
    assert!(
        !s.contains("(•)"),
        "no decision chosen before the clerk: {s}"
    );
    let journal = journal_len(&store);
    save(&mut a, &store);
    let f = &a.form.as_ref().expect("the form stays").form;
    assert_eq!(
        f.field("decision").unwrap().error.as_deref(),
        Some("choose the decision (← →)")
    );
    assert_eq!(f.focused_id(), Some("decision"));
    assert!(screen(&a).contains("Not saved: correct the fields marked !"));
    assert_eq!(journal_len(&store), journal, "nothing stored");
    // ← from none takes the last choice (refuse), → the first (include).
    key(&mut a, &store, KeyCode::Left);
    let s = screen(&a);
    assert!(s.contains("(•) refuse"), "{s}");
    assert!(s.contains("[x] 2"), "the preliminary grounds ticked: {s}");
    tab(&mut a, &store, 2);
    chars(&mut a, &store, "No declarations were brought.");
    save(&mut a, &store);
    assert!(a.form.is_none(), "{}", screen(&a));
    assert_eq!(case_row(&store, &number).0, "refused");
    assert_eq!(a.pane, Pane::Notice, "the notice opens at once");
    let s = screen(&a);
    assert!(s.contains("REF-2025-"), "{s}");
    assert!(s.contains("Reasoned refusal"), "{s}");

    // `w` writes the printable page, which `doc verify` accepts, to the
    // notices folder the console was given.
    let out = dir.path().join("notices");
    let mut a = a.with_notices(out.clone());
    key(&mut a, &store, KeyCode::Char('w'));
    let written: Vec<_> = std::fs::read_dir(&out).unwrap().collect();
    assert_eq!(written.len(), 1);
    let path = written[0].as_ref().unwrap().path();
    use std::os::unix::fs::PermissionsExt;
    let mode = std::fs::metadata(&path).unwrap().permissions().mode() & 0o777;
    assert_eq!(mode, 0o600, "personal data: the clerk's alone");
    assert!(screen(&a).contains("written to"));
    let html = std::fs::read_to_string(&path).unwrap();
    let trust = || tizilim::sign::x509::TrustStore::open(fixture::trust_dir());
    let verified = tizilim::docs::verify::verify(store.conn(), &html, &trust).unwrap();
    assert_eq!(verified.content.number, a.notice.as_ref().unwrap().number);
    let report = audit::verify(&store).unwrap();
    assert!(report.finding.is_none(), "{:?}", report.finding);

    // Esc goes back to the case; n shows the notice again.
    key(&mut a, &store, KeyCode::Esc);
    assert_eq!(a.pane, Pane::Detail);
    key(&mut a, &store, KeyCode::Char('n'));
    assert_eq!(a.pane, Pane::Notice);
}

/// `p` once §12's window has passed: the form does not open, and the
/// status line says why and since when (before anything is typed).
#[test]
fn the_preliminary_refusal_does_not_open_past_its_window() {
    let (_dir, store, number) = register();
    // Monday 1 December: the §12 notice was due by Friday 28 November.
    for (lang, want) in [
        (
            Lang::En,
            "§12: the hearing notice was due by 28.11.2025; the time for a preliminary refusal has passed",
        ),
        (
            Lang::Ru,
            "п. 12: уведомление о заслушивании следовало направить не позднее 28.11.2025",
        ),
        (Lang::Kk, "12-т.: тыңдау туралы хабарлама 28.11.2025"),
    ] {
        let mut a = console(
            &store,
            "aigerim",
            Role::Clerk,
            lang,
            "2025-12-01T10:00:00+05:00",
        );
        open_case(&mut a, &store, &number);
        key(&mut a, &store, KeyCode::Char('p'));
        assert!(a.form.is_none(), "p does not open past §12's window");
        assert!(
            a.message.as_deref().unwrap_or("").starts_with(want),
            "{:?}",
            a.message
        );
        assert!(screen(&a).contains("28.11.2025"), "{}", screen(&a));
    }
    // On the last day it still opens.
    let mut a = console(
        &store,
        "aigerim",
        Role::Clerk,
        Lang::En,
        "2025-11-28T10:00:00+05:00",
    );
    open_case(&mut a, &store, &number);
    key(&mut a, &store, KeyCode::Char('p'));
    assert!(a.form.is_some(), "{}", screen(&a));
}

#[test]
fn the_rules_limits_are_checked_as_the_clerk_types() {
    let (_dir, store, number) = register();
    // Thursday 27 November: the §12 notice is due by Friday 28 November.
    let mut a = console(&store, "aigerim", Role::Clerk, Lang::En, NOW);
    open_case(&mut a, &store, &number);
    key(&mut a, &store, KeyCode::Char('p'));
    let s = screen(&a);
    assert!(
        s.contains("§12: send by 28.11.2025"),
        "shown before anything is typed: {s}"
    );
    // A hearing date past the two working days.
    tab(&mut a, &store, 3);
    for _ in 0..10 {
        key(&mut a, &store, KeyCode::Backspace);
    }
    chars(&mut a, &store, "05.12.2025");
    assert!(
        screen(&a).contains("§12: the hearing must be held by 01.12.2025"),
        "{}",
        screen(&a)
    );
    // The time outside office hours.
    tab(&mut a, &store, 1);
    for _ in 0..5 {
        key(&mut a, &store, KeyCode::Backspace);
    }
    chars(&mut a, &store, "20:00");
    assert!(
        screen(&a).contains("outside office hours (09:00–13:00, 14:30–18:30)"),
        "{}",
        screen(&a)
    );
    // Appendix 5's lunch break is outside them too.
    for _ in 0..5 {
        key(&mut a, &store, KeyCode::Backspace);
    }
    chars(&mut a, &store, "13:30");
    assert!(
        screen(&a).contains("outside office hours (09:00–13:00, 14:30–18:30)"),
        "{}",
        screen(&a)
    );
    // The place left empty: "required" once the clerk has left it, not before.
    let place_error = |a: &App| {
        a.form
            .as_ref()
            .unwrap()
            .form
            .field("place")
            .unwrap()
            .error
            .clone()
    };
    tab(&mut a, &store, 1);
    assert_eq!(place_error(&a), None);
    tab(&mut a, &store, 1);
    assert_eq!(place_error(&a).as_deref(), Some("required"));
    let before = (case_row(&store, &number), journal_len(&store));
    save(&mut a, &store);
    let s = screen(&a);
    assert!(s.contains("Not saved: correct the fields marked !"), "{s}");
    assert!(a.form.is_some(), "the form stays open with its input");
    assert_eq!((case_row(&store, &number), journal_len(&store)), before);
    // Esc keeps the input: p brings it back.
    key(&mut a, &store, KeyCode::Esc);
    assert!(a.form.is_none());
    key(&mut a, &store, KeyCode::Char('p'));
    assert_eq!(
        a.form.as_ref().unwrap().form.value("hearing_date"),
        "05.12.2025"
    );
}

#[test]
fn two_consoles_on_one_case_one_wins_the_other_keeps_its_input() {
    let (_dir, mut store, number) = register();
    // §11: the hearing notice is signed: the supervisor has a key of her own.
    let saule = fixture::cert_signer("saule", "880101300123");
    let law = store.law().unwrap();
    store
        .write(|tx| {
            tizilim::store::services::register_key(
                &tizilim::store::services::Context {
                    tx,
                    law: &law,
                    actor: &tizilim::rules::Login::new("saule"),
                    at: at(NOW),
                },
                &saule,
                "Сауле Нурланова",
                tizilim::rules::Position::Head,
                None,
            )
        })
        .unwrap();
    let other = Store::open(store.path()).unwrap();
    let mut a = console(&store, "aigerim", Role::Clerk, Lang::En, NOW);
    let mut b = console(&other, "saule", Role::Supervisor, Lang::En, NOW);
    b.signer = Some(saule);
    open_case(&mut a, &store, &number);
    open_case(&mut b, &other, &number);
    fill_notice(&mut a, &store);
    fill_notice(&mut b, &other);
    save(&mut b, &other);
    assert!(b.form.is_none(), "the first to save wins: {}", screen(&b));
    assert_eq!(case_row(&store, &number), ("hearing_notified".into(), 2));
    let journal = journal_len(&store);

    save(&mut a, &store);
    let s = screen(&a);
    assert!(a.form.is_some(), "the form stays: {s}");
    assert!(s.contains("was changed by saule"), "{s}");
    assert!(s.contains("your input kept"), "{s}");
    let f = a.form.as_ref().unwrap();
    assert_eq!(
        f.form.value("reason"),
        "The declarations do not match the customs records."
    );
    assert_eq!(
        f.expected_version, 2,
        "the form now expects the case as it stands"
    );
    assert_eq!(
        f.form.focused_id(),
        Some("place"),
        "the rebuilt form keeps its place (the field the clerk was on)"
    );
    assert_eq!(
        a.detail.as_ref().unwrap().case.version,
        2,
        "the case reloaded"
    );
    assert!(
        s.contains("hearing notified"),
        "why it cannot be re-applied: {s}"
    );
    // Issue 17: one coherent message — not "press Ctrl-S to apply" beside
    // "not possible at the stage".
    assert!(!s.contains("Ctrl-S to apply"), "{s}");
    assert_eq!(journal_len(&store), journal, "nothing stored");
    // Ctrl-S once more: the service says why (the Rules, not a version).
    save(&mut a, &store);
    assert!(a.form.is_some());
    assert!(screen(&a).contains("§11"), "{}", screen(&a));
    assert_eq!(journal_len(&store), journal);
}

/// Every act form in kk, ru and en at 80×24.
#[test]
fn every_form_in_every_language() {
    let (_dir, store, number) = register();
    let q = |sql: &str| -> String {
        store
            .conn()
            .query_row(sql, [], |r| r.get(0))
            .unwrap_or_else(|e| panic!("{sql}: {e}"))
    };
    let notified =
        q("SELECT number FROM cases WHERE stage = 'hearing_notified' ORDER BY id LIMIT 1");
    let held = q("SELECT number FROM cases WHERE stage = 'hearing_held' ORDER BY id LIMIT 1");
    let to_forward = q(
        "SELECT number FROM complaints WHERE addressed_to = 'quality_body' AND status = 'received' ORDER BY id LIMIT 1",
    );
    for (lang, l) in [(Lang::En, "en"), (Lang::Ru, "ru"), (Lang::Kk, "kk")] {
        let mut a = console(&store, "saule", Role::Supervisor, lang, NOW);
        a.signer = None;
        open_case(&mut a, &store, &number);
        insta::assert_snapshot!(format!("form_{l}_detail_actions"), screen(&a));
        fill_notice(&mut a, &store);
        insta::assert_snapshot!(format!("form_{l}_notify_hearing"), screen(&a));
        key(&mut a, &store, KeyCode::Esc);
        key(&mut a, &store, KeyCode::Char('c'));
        insta::assert_snapshot!(format!("form_{l}_lodge"), screen(&a));
        key(&mut a, &store, KeyCode::Esc);
        open_case(&mut a, &store, &notified);
        key(&mut a, &store, KeyCode::Char('r'));
        insta::assert_snapshot!(format!("form_{l}_record_hearing"), screen(&a));
        key(&mut a, &store, KeyCode::Esc);
        open_case(&mut a, &store, &held);
        key(&mut a, &store, KeyCode::Char('d'));
        key(&mut a, &store, KeyCode::Left);
        insta::assert_snapshot!(format!("form_{l}_decide_refuse"), screen(&a));
        key(&mut a, &store, KeyCode::Esc);
        key(&mut a, &store, KeyCode::Char('4'));
        let i = a
            .complaints
            .rows
            .iter()
            .position(|c| c.number == to_forward)
            .expect("listed");
        for _ in 0..i {
            key(&mut a, &store, KeyCode::Down);
        }
        key(&mut a, &store, KeyCode::Char('f'));
        insta::assert_snapshot!(format!("form_{l}_forward"), screen(&a));
        key(&mut a, &store, KeyCode::Esc);
        key(&mut a, &store, KeyCode::Char('d'));
        insta::assert_snapshot!(format!("form_{l}_decide_complaint"), screen(&a));
        key(&mut a, &store, KeyCode::Esc);
    }
}

#[test]
fn a_role_that_may_not_act_is_told_why() {
    let (_dir, store, number) = register();
    let mut a = console(&store, "aigerim", Role::Operator, Lang::En, NOW);
    open_case(&mut a, &store, &number);
    key(&mut a, &store, KeyCode::Char('d'));
    assert!(a.form.is_none());
    assert!(
        screen(&a).contains("the role operator may not: Decision"),
        "{}",
        screen(&a)
    );
    // The clerk, on a case whose stage does not allow it.
    let mut a = console(&store, "aigerim", Role::Clerk, Lang::En, NOW);
    open_case(&mut a, &store, &number);
    key(&mut a, &store, KeyCode::Char('r'));
    assert!(a.form.is_none());
    assert!(
        screen(&a).contains("not possible at the stage \"under review\""),
        "{}",
        screen(&a)
    );
}

/// Every form at every size down to 1×1, the focus on each field in turn,
/// with a banner and a long text: drawn without a panic.
#[test]
fn forms_draw_at_every_size() {
    let (_dir, store, number) = register();
    let mut a = console(&store, "saule", Role::Supervisor, Lang::Ru, NOW);
    a.signer = None;
    open_case(&mut a, &store, &number);
    for act in ['p', 'c', 'd'] {
        key(&mut a, &store, KeyCode::Char(act));
        assert!(a.form.is_some(), "{act}");
        a.form.as_mut().unwrap().form.banner = Some("слово ".repeat(60));
        for _ in 0..12 {
            chars(&mut a, &store, "длинный текст ");
            for (w, h) in [(80, 24), (40, 12), (30, 8), (20, 5), (1, 1)] {
                let mut t = Terminal::new(TestBackend::new(w, h)).unwrap();
                t.draw(|f| view::draw(f, &a)).unwrap();
            }
            key(&mut a, &store, KeyCode::Tab);
        }
        key(&mut a, &store, KeyCode::Esc);
    }
}

/// A dropped link loses no typing: the act form's fields are in the drafts
/// folder on every change, and the next session brings them back when the
/// same act is opened on the same case. Forms closed with Esc are kept each
/// for its own act and case, without the passphrase.
#[test]
fn typed_acts_survive_a_dropped_link_and_esc() {
    let (dir, store, number) = register();
    let drafts = dir.path().join("drafts");
    let mut a = console(&store, "aigerim", Role::Clerk, Lang::En, NOW).with_drafts(drafts.clone());
    open_case(&mut a, &store, &number);
    fill_notice(&mut a, &store);
    key(&mut a, &store, KeyCode::Esc);
    key(&mut a, &store, KeyCode::Char('c'));
    tab(&mut a, &store, 1);
    chars(&mut a, &store, "The applicant complains of the delay.");
    // The link drops: no Esc, no save; the session's process ends (its
    // file is given the number of a process that does not exist).
    drop(a);
    let file = drafts.join(format!("aigerim.acts.{}.json", std::process::id()));
    use std::os::unix::fs::PermissionsExt;
    assert_eq!(
        std::fs::metadata(&file).unwrap().permissions().mode() & 0o777,
        0o600
    );
    let kept = std::fs::read_to_string(&file).unwrap();
    assert!(kept.contains("complains of the delay"), "{kept}");
    std::fs::rename(&file, drafts.join("aigerim.acts.999999999.json")).unwrap();

    let mut a = console(&store, "aigerim", Role::Clerk, Lang::En, NOW).with_drafts(drafts.clone());
    let s = screen(&a);
    assert!(s.contains("Not saved in the last session"), "{s}");
    assert!(
        !drafts.join("aigerim.acts.999999999.json").exists(),
        "taken into this session's file"
    );
    open_case(&mut a, &store, &number);
    key(&mut a, &store, KeyCode::Char('c'));
    assert_eq!(
        a.form.as_ref().unwrap().form.value("text"),
        "The applicant complains of the delay."
    );
    key(&mut a, &store, KeyCode::Esc);
    key(&mut a, &store, KeyCode::Char('p'));
    let f = &a.form.as_ref().unwrap().form;
    assert_eq!(f.value("grounds"), "2");
    assert_eq!(f.value("place"), "Astana, Mangilik El 55/14, room 402");
    save(&mut a, &store);
    assert!(a.form.is_none(), "{}", screen(&a));
    // Saved: that draft is gone, the complaint's is still kept.
    let left = std::fs::read_to_string(&file).unwrap();
    assert!(!left.contains("Mangilik"), "{left}");
    assert!(left.contains("complains of the delay"), "{left}");
}

#[test]
fn a_pasted_serial_goes_into_the_search_line() {
    let (_dir, store, number) = register();
    let mut a = console(&store, "aigerim", Role::Clerk, Lang::En, NOW);
    key(&mut a, &store, KeyCode::Char('/'));
    a.update(store.conn(), Msg::Paste(format!("{number}\nsecond line")))
        .unwrap();
    key(&mut a, &store, KeyCode::Enter);
    key(&mut a, &store, KeyCode::Enter);
    assert_eq!(a.detail.as_ref().unwrap().case.number, number);
}

/// Issue 17 and issue 21 (§18): on a complaint to the quality-control body
/// still with the provider, the decide form offers only "granted" and says
/// why; a grant needs an explicit "yes", and the grant takes the favourable
/// act in the same transaction, so an act the Rules refuse (here §3: a
/// serial already in the register) leaves nothing stored.
#[test]
fn a_grant_before_forwarding_says_why_and_asks_for_a_yes() {
    let (_dir, mut store, _) = register();
    let saule = fixture::cert_signer("saule", "880101300123");
    let law = store.law().unwrap();
    store
        .write(|tx| {
            tizilim::store::services::register_key(
                &tizilim::store::services::Context {
                    tx,
                    law: &law,
                    actor: &tizilim::rules::Login::new("saule"),
                    at: at(NOW),
                },
                &saule,
                "Сауле Нурланова",
                tizilim::rules::Position::Head,
                None,
            )
        })
        .unwrap();
    let mut a = console(&store, "saule", Role::Supervisor, Lang::En, NOW);
    a.signer = Some(saule);
    key(&mut a, &store, KeyCode::Char('4'));
    let i = a
        .complaints
        .rows
        .iter()
        .position(|c| c.number == fixture::COMPLAINT)
        .expect("listed");
    for _ in 0..i {
        key(&mut a, &store, KeyCode::Down);
    }
    key(&mut a, &store, KeyCode::Char('d'));
    let s = screen(&a);
    assert!(
        s.contains("§18: within 3 working days only a full grant"),
        "why only granted: {s}"
    );
    assert!(s.contains("Grant in full?"), "{s}");
    // ←/→ on the outcome: still the one lawful choice.
    key(&mut a, &store, KeyCode::Right);
    assert_eq!(a.form.as_ref().unwrap().form.value("outcome"), "granted");
    tab(&mut a, &store, 2);
    chars(&mut a, &store, "The serial was checked again.");
    let before = (case_row(&store, fixture::REFUSED), journal_len(&store));
    // Saved without the "yes": refused by the form, nothing stored.
    save(&mut a, &store);
    let f = a.form.as_ref().expect("kept");
    assert!(
        f.form
            .field("confirm_grant")
            .unwrap()
            .error
            .as_deref()
            .is_some_and(|e| e.contains("to reject, close the form and forward")),
        "{}",
        screen(&a)
    );
    assert_eq!(
        (case_row(&store, fixture::REFUSED), journal_len(&store)),
        before
    );
    // "yes": the grant takes the inclusion, which §3 refuses (the serial is
    // entry 2's): the grant is not stored either.
    a.form.as_mut().unwrap().form.focus_on("confirm_grant");
    key(&mut a, &store, KeyCode::Right);
    assert_eq!(a.form.as_ref().unwrap().form.value("confirm_grant"), "yes");
    save(&mut a, &store);
    let s = screen(&a);
    assert!(a.form.is_some(), "{s}");
    assert!(s.contains("§3"), "{s}");
    assert_eq!(
        (case_row(&store, fixture::REFUSED), journal_len(&store)),
        before
    );
}

/// §17: four complaint bodies in the Kazakh form at 80 columns: the one
/// chosen is always on screen, the ones before it giving way.
#[test]
fn the_chosen_complaint_body_is_always_seen() {
    let (_dir, store, number) = register();
    let mut a = console(&store, "saule", Role::Supervisor, Lang::Kk, NOW);
    a.signer = None;
    open_case(&mut a, &store, &number);
    key(&mut a, &store, KeyCode::Char('c'));
    for _ in 0..3 {
        key(&mut a, &store, KeyCode::Right);
    }
    assert_eq!(
        a.form.as_ref().unwrap().form.value("addressed_to"),
        "official"
    );
    let s = screen(&a);
    assert!(s.contains("(•) лауазымды адам"), "{s}");
    assert!(s.contains("‹ "), "{s}");
}

/// §11 (issue 21): the decision form says at once that a refusal may not rest
/// on a ground the hearing notice did not name.
#[test]
fn a_refusal_on_a_ground_not_in_the_notice_is_marked_before_saving() {
    let (_dir, store, _) = register();
    let mut a = console(&store, "aigerim", Role::Clerk, Lang::En, NOW);
    open_case(&mut a, &store, fixture::HEARING_HELD);
    key(&mut a, &store, KeyCode::Char('d'));
    // To "refuse", whichever decision the form starts at.
    for _ in 0..3 {
        if a.form.as_ref().unwrap().form.value("decision") == "refuse" {
            break;
        }
        key(&mut a, &store, KeyCode::Right);
    }
    assert_eq!(a.form.as_ref().unwrap().form.value("decision"), "refuse");
    // The notice named ground 2 (ticked); ground 3 was never heard.
    assert_eq!(a.form.as_ref().unwrap().form.value("grounds"), "2");
    tab(&mut a, &store, 1);
    key(&mut a, &store, KeyCode::Char('3'));
    let error = |a: &App| {
        a.form
            .as_ref()
            .unwrap()
            .form
            .field("grounds")
            .unwrap()
            .error
            .clone()
    };
    assert_eq!(
        error(&a).as_deref(),
        Some("§11: 3 not in the hearing notice: a new ground needs a new notice (p) and hearing")
    );
    key(&mut a, &store, KeyCode::Char('3'));
    assert_eq!(error(&a), None, "untick it: no error");
}

/// §18 (issue 21): granted in full from the console before forwarding, the
/// complaint takes the favourable act: the inclusion with its signed notice,
/// and the written decision, in one transaction.
#[test]
fn a_grant_in_full_from_the_console_takes_the_inclusion() {
    let (_dir, mut store, _) = register();
    let saule = fixture::cert_signer("saule", "880101300123");
    let law = store.law().unwrap();
    store
        .write(|tx| {
            tizilim::store::services::register_key(
                &tizilim::store::services::Context {
                    tx,
                    law: &law,
                    actor: &tizilim::rules::Login::new("saule"),
                    at: at(NOW),
                },
                &saule,
                "Сауле Нурланова",
                tizilim::rules::Position::Head,
                None,
            )
        })
        .unwrap();
    let mut a = console(&store, "saule", Role::Supervisor, Lang::En, NOW);
    a.signer = Some(saule);
    // A complaint to the quality-control body on the case heard yesterday.
    open_case(&mut a, &store, fixture::HEARING_HELD);
    key(&mut a, &store, KeyCode::Char('c'));
    key(&mut a, &store, KeyCode::Right);
    assert_eq!(
        a.form.as_ref().unwrap().form.value("addressed_to"),
        "quality_body"
    );
    tab(&mut a, &store, 1);
    chars(&mut a, &store, "The declarations were brought.");
    save(&mut a, &store);
    assert!(a.form.is_none(), "{}", screen(&a));
    let complaint: String = store
        .conn()
        .query_row(
            "SELECT k.number FROM complaints k JOIN cases c ON c.id = k.case_id
             WHERE c.number = ?1",
            [fixture::HEARING_HELD],
            |r| r.get(0),
        )
        .unwrap();
    key(&mut a, &store, KeyCode::Char('4'));
    let i = a
        .complaints
        .rows
        .iter()
        .position(|c| c.number == complaint)
        .expect("listed");
    for _ in 0..i {
        key(&mut a, &store, KeyCode::Down);
    }
    key(&mut a, &store, KeyCode::Char('d'));
    tab(&mut a, &store, 1);
    key(&mut a, &store, KeyCode::Right);
    tab(&mut a, &store, 1);
    chars(&mut a, &store, "The declarations match.");
    save(&mut a, &store);
    let s = screen(&a);
    assert!(s.contains("granted in full"), "{s}");
    assert_eq!(case_row(&store, fixture::HEARING_HELD).0, "included");
    let kinds: Vec<String> = store
        .conn()
        .prepare(
            "SELECT n.kind FROM notices n JOIN cases c ON c.id = n.case_id
             WHERE c.number = ?1 ORDER BY n.seq",
        )
        .unwrap()
        .query_map([fixture::HEARING_HELD], |r| r.get(0))
        .unwrap()
        .collect::<Result<_, _>>()
        .unwrap();
    assert_eq!(kinds, ["hearing", "inclusion", "complaint_decision"]);
    assert!(audit::verify(&store).unwrap().finding.is_none());
}

/// Issue 17, the console's state alone (the real thread: tests/tui_busy.rs):
/// with a worker, Ctrl-S asks for a save (an effect, `App::take_jobs`) and
/// the form waits; keys other than Esc are refused there (nothing typed, `q`
/// does not quit, nothing reaches the pane behind); `Msg::Waiting` says so in
/// the form; Esc sets the job's cancel flag, and the job (run on a second
/// connection while a third holds the write lock) stores nothing; the form
/// keeps its input and saves once the lock is gone.
#[test]
fn a_save_is_an_effect_and_its_form_waits_for_the_answer() {
    use tizilim::tui::worker;
    let (_dir, store, number) = register();
    let mut a = console(&store, "aigerim", Role::Clerk, Lang::En, NOW);
    a.worker = true;
    open_case(&mut a, &store, &number);
    fill_notice(&mut a, &store);
    let journal = journal_len(&store);
    save(&mut a, &store);
    let mut jobs = a.take_jobs();
    assert_eq!(jobs.len(), 1, "Ctrl-S asks for one save");
    assert!(a.pending.is_some());
    assert_eq!(journal_len(&store), journal, "update itself stores nothing");
    let place = |a: &App| a.form.as_ref().unwrap().form.value("place");
    let before = place(&a);
    for c in ['X', 'Y', 'Z', 'q', '1'] {
        press(&mut a, &store, KeyCode::Char(c), KeyModifiers::NONE);
    }
    assert_eq!(place(&a), before, "nothing typed into the waiting form");
    assert!(!a.quit, "q refused in the waiting form");
    assert_eq!(a.pane, Pane::Detail, "no key reached the panes");
    assert!(a.form.is_some());
    assert!(a.update(store.conn(), Msg::Waiting).unwrap());
    assert!(
        screen(&a).contains("saving…; Esc cancels"),
        "{}",
        screen(&a)
    );
    assert!(
        !a.update(store.conn(), Msg::Waiting).unwrap(),
        "said once: no redraw"
    );

    // Another connection holds the write lock; Esc; the job runs, cancelled.
    let other = Store::open(store.path()).unwrap();
    other.conn().execute_batch("BEGIN IMMEDIATE").unwrap();
    let writer = Store::open(store.path()).unwrap();
    writer.conn().busy_timeout(worker::STEP).unwrap();
    key(&mut a, &store, KeyCode::Esc);
    assert!(a.form.is_some(), "Esc cancels the save, not the form");
    let done = jobs.remove(0).run(writer.conn());
    a.update(store.conn(), Msg::Done(Box::new(done))).unwrap();
    other.conn().execute_batch("ROLLBACK").unwrap();
    assert!(a.pending.is_none());
    let s = screen(&a);
    assert!(s.contains("the save was cancelled"), "{s}");
    assert_eq!(place(&a), before, "the form keeps its input");
    assert_eq!(
        journal_len(&store),
        journal,
        "a cancelled save stores nothing"
    );

    // The lock gone: Ctrl-S again, the job runs, the act is stored.
    save(&mut a, &store);
    let job = a.take_jobs().pop().expect("a save asked for");
    let done = job.run(writer.conn());
    a.update(store.conn(), Msg::Done(Box::new(done))).unwrap();
    assert!(a.form.is_none(), "{}", screen(&a));
    assert_eq!(case_row(&store, &number).0, "hearing_notified");
    assert!(a.signer.is_some(), "the clerk's key came back from the job");
}

/// A form parked with Esc (or kept from an earlier session) and brought back
/// on a later day: the dates still at the old day's default are today's; a
/// date the clerk typed is kept.
#[test]
fn a_form_brought_back_on_a_later_day_has_todays_dates() {
    let (dir, store, number) = register();
    // The decision form, parked on Thursday 27 November.
    let mut a = console(&store, "aigerim", Role::Clerk, Lang::En, NOW);
    open_case(&mut a, &store, &number);
    key(&mut a, &store, KeyCode::Char('d'));
    assert_eq!(a.form.as_ref().unwrap().form.value("on"), "27.11.2025");
    key(&mut a, &store, KeyCode::Esc);
    // Past midnight the console is still open: Friday 28 November.
    a.update(store.conn(), Msg::Tick(at("2025-11-28T09:30:00+05:00")))
        .unwrap();
    assert_eq!(a.today.to_string(), "2025-11-28");
    key(&mut a, &store, KeyCode::Char('d'));
    let f = a.form.as_ref().expect("the parked form comes back");
    assert_eq!(f.form.value("on"), "28.11.2025");
    assert_eq!(f.form.field("on").unwrap().error, None, "{}", screen(&a));
    key(&mut a, &store, KeyCode::Esc);

    // The preliminary refusal filled on Thursday in a session whose link
    // dropped, its hearing date typed; reopened in Friday's session.
    let drafts = dir.path().join("drafts");
    let mut a = console(&store, "aigerim", Role::Clerk, Lang::En, NOW).with_drafts(drafts.clone());
    open_case(&mut a, &store, &number);
    fill_notice(&mut a, &store);
    {
        let f = &a.form.as_ref().unwrap().form;
        assert_eq!(f.value("sent_on"), "27.11.2025");
        assert_eq!(f.value("hearing_date"), "28.11.2025");
    }
    drop(a);
    let file = drafts.join(format!("aigerim.acts.{}.json", std::process::id()));
    std::fs::rename(&file, drafts.join("aigerim.acts.999999998.json")).unwrap();
    let mut a = console(
        &store,
        "aigerim",
        Role::Clerk,
        Lang::En,
        "2025-11-28T09:30:00+05:00",
    )
    .with_drafts(drafts.clone());
    open_case(&mut a, &store, &number);
    key(&mut a, &store, KeyCode::Char('p'));
    let f = &a.form.as_ref().expect("the kept form").form;
    assert_eq!(f.value("sent_on"), "28.11.2025", "today's");
    assert_eq!(
        f.value("hearing_date"),
        "01.12.2025",
        "the next working day after today"
    );
    assert_eq!(f.value("place"), "Astana, Mangilik El 55/14, room 402");
    assert!(!f.has_errors(), "{}", screen(&a));
    // A date the clerk typed stays as typed.
    tab(&mut a, &store, 3);
    for _ in 0..10 {
        key(&mut a, &store, KeyCode::Backspace);
    }
    chars(&mut a, &store, "01.12.2025");
    key(&mut a, &store, KeyCode::Esc);
    a.update(store.conn(), Msg::Tick(at("2025-11-29T09:30:00+05:00")))
        .unwrap();
    a.update(store.conn(), Msg::Tick(at("2025-12-01T09:30:00+05:00")))
        .unwrap();
    // Monday: §12's window has passed; the parked form does not open.
    key(&mut a, &store, KeyCode::Char('p'));
    assert!(a.form.is_none());
}

/// Esc from the notice view goes back to the case, and Esc again to the
/// list the case was opened from (it used to stay in Detail).
#[test]
fn esc_after_the_notice_goes_back_to_the_list() {
    let (_dir, store, _) = register();
    let mut a = console(&store, "aigerim", Role::Clerk, Lang::En, NOW);
    open_case(&mut a, &store, fixture::INCLUDED);
    key(&mut a, &store, KeyCode::Char('n'));
    assert_eq!(a.pane, Pane::Notice, "{}", screen(&a));
    key(&mut a, &store, KeyCode::Esc);
    assert_eq!(a.pane, Pane::Detail);
    key(&mut a, &store, KeyCode::Esc);
    assert_eq!(a.pane, Pane::Queue, "not stuck in Detail");
}

fn screen_at(a: &App, w: u16, h: u16) -> String {
    let mut t = Terminal::new(TestBackend::new(w, h)).unwrap();
    t.draw(|f| view::draw(f, a)).unwrap();
    common::buffer_text(t.backend().buffer())
}

/// Issue 17: at 40×12 the refusal forms' title took the room and the
/// grounds were cut ("1 2 3 4 5" lost its last); the grounds show whole,
/// wrapped, and so does the title.
#[test]
fn the_grounds_show_whole_at_40x12_in_kk_and_ru() {
    let (_dir, store, number) = register();
    for lang in [Lang::Kk, Lang::Ru] {
        let mut a = console(&store, "aigerim", Role::Clerk, lang, NOW);
        a.update(store.conn(), Msg::Resize(40, 12)).unwrap();
        open_case(&mut a, &store, &number);
        for act in ['p', 'd'] {
            key(&mut a, &store, KeyCode::Char(act));
            if act == 'd' {
                // The decision's grounds show once it refuses after a
                // hearing (§11); before one this case's form has none.
                key(&mut a, &store, KeyCode::Left);
            }
            let Some(form) = a.form.as_ref() else {
                continue;
            };
            let labels: Vec<String> = match form
                .form
                .field("grounds")
                .filter(|f| !f.hidden)
                .map(|f| &f.input)
            {
                Some(tizilim::tui::form::Input::Checks { options, .. }) => {
                    options.iter().map(|o| o.label.clone()).collect()
                }
                _ => Vec::new(),
            };
            let t = screen_at(&a, 40, 12);
            if act == 'p' {
                assert!(labels.len() > 4, "{lang:?} {act}: {labels:?}");
                insta::assert_snapshot!(format!("grounds_{lang:?}_40x12"), t);
            }
            for l in &labels {
                assert!(t.contains(&format!("[ ] {l}")), "{lang:?} {act} {l}:\n{t}");
            }
            // The case number in the title whole, never split at a hyphen.
            assert!(t.contains(&number), "{lang:?} {act}:\n{t}");
            key(&mut a, &store, KeyCode::Esc);
        }
    }
}
