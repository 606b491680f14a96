//! The console on `TestBackend` at 80×24 over the named fixture register
//! (`tests/common/fixture.rs`, its "now" pinned): every pane in kk, ru and en,
//! NO_COLOR and --ascii variants, resize, inert applicant text, another
//! session's commit, the catalogs, the keyboard layouts and the README's key
//! table. A snapshot shows the fixture's cases, so it changes only when what
//! it shows does (`INSTA_UPDATE=always cargo test --test tui` rewrites them;
//! read the diff).

mod common;

use common::fixture;

use chrono::{DateTime, Utc};
use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
use ratatui::Terminal;
use ratatui::backend::TestBackend;
use ratatui::buffer::Buffer;
use ratatui::style::{Color, Modifier};
use tizilim::i18n::Lang;
use tizilim::i18n::{CATALOGS, Tr, message_ids};
use tizilim::rules::Role;
use tizilim::store::{Store, services};
use tizilim::tui::keys::{self, Cmd, KEYMAP, Key};
use tizilim::tui::register::RegView;
use tizilim::tui::state::{App, Msg, Pane};
use tizilim::tui::theme::Theme;
use tizilim::tui::view;

/// The fixture's "now": Thursday 27 November 2025, 11:00 in Astana.
fn now() -> DateTime<Utc> {
    fixture::now()
}

/// The fixture register (`tests/common/fixture.rs`): eight named cases in
/// known stages, the clerk `aigerim` among its logins.
fn register() -> (tempfile::TempDir, Store) {
    fixture::register()
}

fn app(store: &Store, lang: Lang, theme: Theme) -> App {
    App::new(
        store.conn(),
        Tr::new(lang),
        theme,
        "aigerim".into(),
        Role::Clerk,
        now(),
        (80, 24),
    )
    .unwrap()
}

const COLOR: Theme = Theme {
    color: true,
    ascii: false,
};
const MONO: Theme = Theme {
    color: false,
    ascii: false,
};
const ASCII: Theme = Theme {
    color: true,
    ascii: true,
};

fn key(app: &mut App, store: &Store, code: KeyCode) {
    app.update(
        store.conn(),
        Msg::Key(KeyEvent::new(code, KeyModifiers::NONE)),
    )
    .unwrap();
}

fn chars(app: &mut App, store: &Store, s: &str) {
    for c in s.chars() {
        key(app, store, KeyCode::Char(c));
    }
}

fn render(app: &App, w: u16, h: u16) -> Buffer {
    let mut t = Terminal::new(TestBackend::new(w, h)).unwrap();
    t.draw(|f| view::draw(f, app)).unwrap();
    t.backend().buffer().clone()
}

fn text(b: &Buffer) -> String {
    common::buffer_text(b)
}

/// The text, then one line per row marking styles: R reverse, B bold,
/// U underline, C any colour.
fn styles(b: &Buffer) -> String {
    let mut s = text(b);
    s.push_str("--- styles\n");
    for y in 0..b.area.height {
        let mut line = String::new();
        for x in 0..b.area.width {
            let c = &b[(x, y)];
            line.push(if c.fg != Color::Reset || c.bg != Color::Reset {
                'C'
            } else if c.modifier.contains(Modifier::REVERSED) {
                'R'
            } else if c.modifier.contains(Modifier::BOLD) {
                'B'
            } else if c.modifier.contains(Modifier::UNDERLINED) {
                'U'
            } else {
                '.'
            });
        }
        s.push_str(&line);
        s.push('\n');
    }
    s
}

fn lang_name(l: Lang) -> &'static str {
    match l {
        Lang::Kk => "kk",
        Lang::Ru => "ru",
        Lang::En => "en",
    }
}

#[test]
fn every_pane_in_every_language() {
    let (_dir, store) = register();
    for lang in [Lang::En, Lang::Kk, Lang::Ru] {
        let mut a = app(&store, lang, COLOR);
        let l = lang_name(lang);
        insta::assert_snapshot!(format!("tui_{l}_1_queue"), text(&render(&a, 80, 24)));
        key(&mut a, &store, KeyCode::Enter);
        assert_eq!(a.pane, Pane::Detail);
        insta::assert_snapshot!(format!("tui_{l}_2_detail"), text(&render(&a, 80, 24)));
        chars(&mut a, &store, "l");
        insta::assert_snapshot!(format!("tui_{l}_2_detail_units"), text(&render(&a, 80, 24)));
        chars(&mut a, &store, "l");
        insta::assert_snapshot!(
            format!("tui_{l}_2_detail_clocks"),
            text(&render(&a, 80, 24))
        );
        chars(&mut a, &store, "l");
        insta::assert_snapshot!(
            format!("tui_{l}_2_detail_history"),
            text(&render(&a, 80, 24))
        );
        chars(&mut a, &store, "3");
        insta::assert_snapshot!(format!("tui_{l}_3_hearings"), text(&render(&a, 80, 24)));
        chars(&mut a, &store, "4");
        insta::assert_snapshot!(format!("tui_{l}_4_complaints"), text(&render(&a, 80, 24)));
        chars(&mut a, &store, "5");
        insta::assert_snapshot!(format!("tui_{l}_5_monitor"), text(&render(&a, 80, 24)));
        chars(&mut a, &store, "?");
        insta::assert_snapshot!(format!("tui_{l}_help"), text(&render(&a, 80, 24)));
    }
}

#[test]
fn no_color_reverse_selection_bold_overdue() {
    let (_dir, store) = register();
    let mut a = app(&store, Lang::En, MONO);
    for (name, pane) in [
        ("1_queue", '1'),
        ("5_monitor", '5'),
        ("3_hearings", '3'),
        ("4_complaints", '4'),
    ] {
        chars(&mut a, &store, &pane.to_string());
        let b = render(&a, 80, 24);
        for c in b.content() {
            assert_eq!(
                (c.fg, c.bg),
                (Color::Reset, Color::Reset),
                "a colour under NO_COLOR"
            );
        }
        insta::assert_snapshot!(format!("tui_nocolor_{name}"), styles(&b));
    }
    chars(&mut a, &store, "1");
    let b = render(&a, 80, 24);
    // The selected row is in reverse video; overdue is bold.
    assert!(b[(1, 3)].modifier.contains(Modifier::REVERSED));
    let s = styles(&b);
    assert!(s.contains('B'), "overdue is bold");
}

#[test]
fn ascii_borders() {
    let (_dir, store) = register();
    let mut a = app(&store, Lang::En, ASCII);
    let b = render(&a, 80, 24);
    let t = text(&b);
    assert!(t.lines().nth(1).unwrap().starts_with("+ "), "{t}");
    for ch in ['┌', '─', '│', '└', '┐', '┘'] {
        assert!(!t.contains(ch), "{ch} under --ascii");
    }
    insta::assert_snapshot!("tui_ascii_1_queue", t);
    key(&mut a, &store, KeyCode::Enter);
    insta::assert_snapshot!("tui_ascii_2_detail", text(&render(&a, 80, 24)));
    chars(&mut a, &store, "5");
    insta::assert_snapshot!("tui_ascii_5_monitor", text(&render(&a, 80, 24)));
}

#[test]
fn resize_to_40x12_and_back_never_panics() {
    let (_dir, store) = register();
    let mut a = app(&store, Lang::Ru, COLOR);
    key(&mut a, &store, KeyCode::Enter);
    for pane in [
        "1", "2", "l", "l", "l", "3", "4", "5", "6", "v", "v", "?", "?",
    ] {
        chars(&mut a, &store, pane);
        for (w, h) in [(80, 24), (40, 12), (20, 5), (1, 1), (132, 50), (80, 24)] {
            a.update(store.conn(), Msg::Resize(w, h)).unwrap();
            for _ in 0..3 {
                key(&mut a, &store, KeyCode::Down);
            }
            key(&mut a, &store, KeyCode::End);
            render(&a, w, h);
        }
    }
    a.update(store.conn(), Msg::Resize(40, 12)).unwrap();
    chars(&mut a, &store, "1");
    insta::assert_snapshot!("tui_ru_40x12_queue", text(&render(&a, 40, 12)));
}

/// A client may report any terminal size (3000×3000 took 855 MB; 65535²
/// aborted): the console draws within 1000×500, in the top-left corner.
#[test]
fn a_huge_terminal_is_drawn_within_the_cap() {
    use tizilim::tui::state::MAX_SIZE;
    assert_eq!(MAX_SIZE, (1000, 500));
    let (_dir, store) = register();
    let mut a = app(&store, Lang::En, COLOR);
    a.update(store.conn(), Msg::Resize(65535, 65535)).unwrap();
    assert_eq!(a.size, MAX_SIZE);
    for pane in ["1", "2", "3", "4", "5", "6", "?"] {
        chars(&mut a, &store, pane);
        let b = render(&a, a.size.0, a.size.1);
        assert_eq!((b.area.width, b.area.height), MAX_SIZE);
    }
    chars(&mut a, &store, "?1");
    let t = text(&render(&a, a.size.0, a.size.1));
    assert!(
        t.contains("ABK-2025-"),
        "the queue, drawn: {}",
        &t[..t.len().min(400)]
    );
    a.update(store.conn(), Msg::Resize(3000, 20)).unwrap();
    assert_eq!(a.size, (1000, 20), "each side on its own");
    a.update(store.conn(), Msg::Resize(80, 24)).unwrap();
    assert_eq!(a.size, (80, 24), "and back");
    // A console started at a huge size is capped too.
    let big = App::new(
        store.conn(),
        Tr::new(Lang::En),
        COLOR,
        "aigerim".into(),
        Role::Clerk,
        now(),
        (u16::MAX, u16::MAX),
    )
    .unwrap();
    assert_eq!(big.size, MAX_SIZE);
}

#[test]
fn applicant_text_reaches_the_screen_inert() {
    let (_dir, store) = register();
    let evil = "Evil\u{1b}]0;pwned\u{7}\u{1b}[2J\u{9b}31m\u{202e}LLP\u{200b}\r\nX";
    let mut a = app(&store, Lang::En, COLOR);
    let id = a.queue.ids[0];
    store
        .conn()
        .execute(
            "UPDATE miners SET name = ?1 WHERE id = (SELECT miner_id FROM cases WHERE id = ?2)",
            rusqlite::params![evil, id],
        )
        .unwrap();
    // The case shows its applicant as filed (issue 21): that name too.
    store
        .conn()
        .execute(
            "UPDATE cases SET applicant_name = ?1 WHERE id = ?2",
            rusqlite::params![evil, id],
        )
        .unwrap();
    store
        .conn()
        .execute("UPDATE complaints SET text = ?1", rusqlite::params![evil])
        .unwrap();
    a.reload(store.conn()).unwrap();
    let mut screens = vec![render(&a, 80, 24)];
    key(&mut a, &store, KeyCode::Enter);
    screens.push(render(&a, 80, 24));
    chars(&mut a, &store, "4");
    screens.push(render(&a, 80, 24));
    for b in &screens {
        for c in b.content() {
            for ch in c.symbol().chars() {
                assert!(
                    !ch.is_control()
                        && !('\u{200b}'..='\u{200f}').contains(&ch)
                        && !('\u{202a}'..='\u{202e}').contains(&ch),
                    "U+{:04X} reached the screen",
                    ch as u32
                );
            }
        }
    }
    assert!(text(&screens[0]).contains("Evil\u{FFFD}]0;pwned"));
}

#[test]
fn another_sessions_commit_appears_without_a_key() {
    let (dir, store) = register();
    let mut a = app(&store, Lang::En, COLOR);
    let before = a.queue.ids.len();
    // Nothing changed: the tick draws nothing.
    assert!(!a.update(store.conn(), Msg::Tick(now())).unwrap());
    // A second process (here: a second connection) registers an application.
    let mut other = Store::open(store.path()).unwrap();
    let law = other.law().unwrap();
    let mut app_json = common::inclusion("TUI", 2);
    common::set(
        &mut app_json,
        "received_at",
        Some(serde_json::json!("2025-11-26T10:00:00+05:00")),
    );
    let file = dir.path().join("a.json");
    std::fs::write(&file, serde_json::to_vec(&app_json).unwrap()).unwrap();
    let out =
        tizilim::intake::intake_file(&mut other, &law, &"admin".into(), now(), &file, &mut |_| {
            Ok(())
        })
        .unwrap();
    let number = out.case.expect("registered");
    assert!(a.update(store.conn(), Msg::Tick(now())).unwrap());
    assert_eq!(a.queue.ids.len(), before + 1);
    chars(&mut a, &store, "/");
    chars(&mut a, &store, &number);
    key(&mut a, &store, KeyCode::Enter);
    assert!(text(&render(&a, 80, 24)).contains(&number));
}

#[test]
fn search_by_serial_bin_and_name() {
    let (_dir, store) = register();
    let mut a = app(&store, Lang::En, COLOR);
    let (serial, bin, name): (String, String, String) = store
        .conn()
        .query_row(
            "SELECT u.serial, m.bin_iin, m.name FROM units u JOIN cases c ON c.id = u.case_id
             JOIN miners m ON m.id = c.miner_id LIMIT 1",
            [],
            |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)),
        )
        .unwrap();
    for q in [serial.as_str(), &bin[..8], &name[..5]] {
        chars(&mut a, &store, "/");
        chars(&mut a, &store, q);
        key(&mut a, &store, KeyCode::Enter);
        assert!(!a.queue.ids.is_empty(), "nothing for {q}");
        key(&mut a, &store, KeyCode::Esc);
    }
}

#[test]
fn search_folds_look_alikes_and_finds_a_case_by_its_number_alone() {
    let (_dir, store) = register();
    let id = |n: &str| -> i64 {
        store
            .conn()
            .query_row("SELECT id FROM cases WHERE number = ?1", [n], |r| r.get(0))
            .unwrap()
    };
    let mut a = app(&store, Lang::Ru, COLOR);
    let mut search = |q: &str| -> Vec<i64> {
        chars(&mut a, &store, ".");
        chars(&mut a, &store, q);
        key(&mut a, &store, KeyCode::Enter);
        let ids = a.queue.ids.clone();
        key(&mut a, &store, KeyCode::Esc);
        ids
    };
    // АВК typed in Cyrillic (Russian layout), a Cyrillic М and Т in a serial,
    // the number's digits alone.
    let refused = id(fixture::REFUSED);
    assert_eq!(search("АВК-2025-000003"), vec![refused]);
    assert_eq!(search("авк-2025-000003"), vec![refused]);
    let cyrillic_serial = fixture::CONFLICT_SERIAL.replace('M', "М").replace('T', "Т");
    assert_ne!(cyrillic_serial, fixture::CONFLICT_SERIAL);
    assert_eq!(
        search(&cyrillic_serial),
        vec![refused, id(fixture::INCLUDED)]
    );
    assert_eq!(search("3"), vec![refused]);
    assert_eq!(search("000003"), vec![refused]);
    assert_eq!(search("0000003"), Vec::<i64>::new());
    // The Register's find alike: the serial with a Cyrillic М, the case's number.
    let mut a = app(&store, Lang::En, COLOR);
    chars(&mut a, &store, "6");
    find(&mut a, &store, &cyrillic_serial);
    let found: Vec<(&str, &str)> = a
        .register
        .found
        .iter()
        .map(|e| (e.serial.as_str(), e.case.as_str()))
        .collect();
    assert_eq!(found, vec![(fixture::CONFLICT_SERIAL, fixture::INCLUDED)]);
    let screen = text(&render(&a, 80, 24));
    assert!(screen.contains(fixture::CONFLICT_SERIAL), "{screen}");
    key(&mut a, &store, KeyCode::Esc);
    find(&mut a, &store, "АВК-2025-000002");
    assert_eq!(
        a.register.found.len(),
        3,
        "the three entries case 2 brought in"
    );
    assert!(
        a.register
            .found
            .iter()
            .all(|e| e.case == fixture::INCLUDED_2)
    );
}

#[test]
fn slash_filters_hearings_complaints_and_deadlines() {
    let (_dir, store) = register();
    let mut a = app(&store, Lang::En, COLOR);
    // (pane key, its case numbers shown)
    let cases = |a: &App, p: Pane| -> Vec<String> {
        a.shown(p)
            .into_iter()
            .map(|i| match p {
                Pane::Hearings => a.hearings.rows[i].case.clone(),
                Pane::Complaints => a.complaints.rows[i].case.clone(),
                _ => a.snap.deadlines[i].case.clone(),
            })
            .collect()
    };
    for (k, pane) in [
        ("3", Pane::Hearings),
        ("4", Pane::Complaints),
        ("5", Pane::Monitor),
    ] {
        chars(&mut a, &store, k);
        assert_eq!(a.pane, pane);
        let all = cases(&a, pane);
        assert!(!all.is_empty(), "{pane:?}");
        // The case of the list's last row, by its digits alone, typed as
        // `АВК-…` and by prefix.
        let last = all.last().unwrap().clone();
        let digits = last
            .rsplit('-')
            .next()
            .unwrap()
            .trim_start_matches('0')
            .to_string();
        for q in [digits.clone(), last.replace("ABK", "АВК"), last.clone()] {
            chars(&mut a, &store, "/");
            chars(&mut a, &store, &q);
            let shown = cases(&a, pane);
            assert!(
                !shown.is_empty() && shown.iter().all(|c| *c == last),
                "{pane:?} {q}: {shown:?}"
            );
            key(&mut a, &store, KeyCode::Enter);
            assert_eq!(cases(&a, pane), shown, "Enter keeps the filter");
            let screen = text(&render(&a, 80, 24));
            assert!(screen.contains(&format!("/{q}")), "{screen}");
            // Enter opens the row found.
            key(&mut a, &store, KeyCode::Enter);
            assert_eq!(a.pane, Pane::Detail);
            assert_eq!(a.detail.as_ref().unwrap().case.number, last);
            key(&mut a, &store, KeyCode::Esc);
            assert_eq!(a.pane, pane);
            // Esc clears it.
            key(&mut a, &store, KeyCode::Esc);
            assert_eq!(cases(&a, pane), all);
        }
        // Nothing matches: said so.
        chars(&mut a, &store, "/zzz");
        key(&mut a, &store, KeyCode::Enter);
        assert!(a.shown(pane).is_empty());
        let screen = text(&render(&a, 80, 24));
        assert!(screen.contains("Nothing matches “zzz”"), "{screen}");
        key(&mut a, &store, KeyCode::Esc);
    }
    // Hearings by the applicant's name too, in any case.
    chars(&mut a, &store, "3/baiterek");
    assert_eq!(cases(&a, Pane::Hearings), vec![fixture::HEARING_NOTIFIED]);
    insta::assert_snapshot!("tui_en_3_hearings_filtered", text(&render(&a, 80, 24)));
}

#[test]
fn a_login_without_a_role_sees_nothing() {
    let (_dir, store) = register();
    let out = std::process::Command::new(common::bin())
        .arg("--db")
        .arg(store.path())
        .env("TIZILIM_LANG", "ru")
        .output()
        .unwrap();
    // The test runs as an OS login the register does not know (the fixture's
    // logins are admin, aigerim and saule).
    let err = common::stderr(&out);
    assert_eq!(out.status.code(), Some(1), "{err}");
    assert!(err.contains("нет роли"), "{err}");
    assert!(out.stdout.is_empty());
}

// ---------------------------------------------------------------- register pane

/// An included entry of the test register: (serial, BIN/IIN, entry no, case).
fn included_entry(store: &Store) -> (String, String, i64, String) {
    store
        .conn()
        .query_row(
            "SELECT u.serial, m.bin_iin, u.entry_no, c.number FROM units u
             JOIN cases c ON c.id = u.case_id JOIN miners m ON m.id = c.miner_id
             WHERE u.status = 'included' ORDER BY u.entry_no LIMIT 1",
            [],
            |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?)),
        )
        .unwrap()
}

fn find(a: &mut App, store: &Store, q: &str) {
    chars(a, store, "/");
    chars(a, store, q);
    key(a, store, KeyCode::Enter);
}

#[test]
fn register_pane_in_every_language() {
    let (_dir, store) = register();
    let (serial, ..) = included_entry(&store);
    for lang in [Lang::En, Lang::Kk, Lang::Ru] {
        let mut a = app(&store, lang, COLOR);
        let l = lang_name(lang);
        chars(&mut a, &store, "6");
        assert_eq!(a.pane, Pane::Register);
        insta::assert_snapshot!(format!("tui_{l}_6_find_prompt"), text(&render(&a, 80, 24)));
        find(&mut a, &store, &serial);
        insta::assert_snapshot!(format!("tui_{l}_6_find"), text(&render(&a, 80, 24)));
        chars(&mut a, &store, "v");
        insta::assert_snapshot!(format!("tui_{l}_6_energy"), text(&render(&a, 80, 24)));
        chars(&mut a, &store, "t");
        insta::assert_snapshot!(format!("tui_{l}_6_energy_dc"), text(&render(&a, 80, 24)));
        chars(&mut a, &store, "v");
        insta::assert_snapshot!(format!("tui_{l}_6_conflicts"), text(&render(&a, 80, 24)));
        chars(&mut a, &store, "v");
        assert_eq!(a.register.view, RegView::Find, "v cycles three views");
    }
}

#[test]
fn register_energy_without_colour_and_in_ascii() {
    let (_dir, store) = register();
    let mut a = app(&store, Lang::En, MONO);
    chars(&mut a, &store, "6v");
    let b = render(&a, 80, 24);
    for c in b.content() {
        assert_eq!((c.fg, c.bg), (Color::Reset, Color::Reset), "a colour");
    }
    let s = styles(&b);
    assert!(text(&b).contains('█'), "bars are characters, not colour");
    insta::assert_snapshot!("tui_nocolor_6_energy", s);

    let mut a = app(&store, Lang::En, ASCII);
    chars(&mut a, &store, "6v");
    for (name, w, h) in [("80x24", 80, 24), ("40x12", 40, 12)] {
        let t = text(&render(&a, w, h));
        let bad: Vec<char> = t.chars().filter(|c| !c.is_ascii()).collect();
        assert!(bad.is_empty(), "non-ASCII {bad:?} under --ascii:\n{t}");
        assert!(t.contains("####"), "{t}");
        insta::assert_snapshot!(format!("tui_ascii_6_energy_{name}"), t);
        a.update(store.conn(), Msg::Resize(40, 12)).unwrap();
    }
    chars(&mut a, &store, "t");
    let t = text(&render(&a, 40, 12));
    assert!(t.is_ascii(), "{t}");
    insta::assert_snapshot!("tui_ascii_6_energy_dc_40x12", t);
}

#[test]
fn register_energy_totals_are_the_stores() {
    let (_dir, store) = register();
    let e = tizilim::store::read::register::energy(store.conn()).unwrap();
    assert!(!e.regions.is_empty());
    for lang in [Lang::En, Lang::Ru, Lang::Kk] {
        let mut a = app(&store, lang, COLOR);
        assert!(a.register.energy.is_none(), "not read before it is shown");
        chars(&mut a, &store, "6");
        assert!(a.register.energy.is_none(), "not read for the find view");
        chars(&mut a, &store, "v");
        let t = text(&render(&a, 80, 24));
        let kw: f64 = e.regions.iter().map(|r| r.power_kw).sum();
        let units: i64 = e.regions.iter().map(|r| r.units).sum();
        let total = format!("{} {}", a.tr.num(kw, 1), a.tr.t("col-power"));
        assert!(t.contains(&total), "{total} not in\n{t}");
        assert!(t.contains(&a.tr.num(units as f64, 0)), "{t}");
        // The first (largest) region's figures, right-aligned beside its bar.
        let first = &e.regions[0];
        let line = t
            .lines()
            .find(|l| l.contains(&a.tr.num(first.power_kw, 1)))
            .unwrap_or_else(|| panic!("largest region missing:\n{t}"));
        let name = tizilim::rules::regions::by_id(&first.region)
            .unwrap()
            .name(a.tr.code());
        assert!(line.contains(name), "{line}");
        let kw_end =
            line.find(&a.tr.num(first.power_kw, 1)).unwrap() + a.tr.num(first.power_kw, 1).len();
        assert!(
            line[kw_end..].starts_with("  █"),
            "bar beside the figure, two spaces apart: {line}"
        );
    }
    // 12 345,6 in Russian and Kazakh.
    assert_eq!(Tr::new(Lang::Ru).num(12345.64, 1), "12 345,6");
    assert_eq!(Tr::new(Lang::En).num(12345.64, 1), "12,345.6");
}

#[test]
fn register_find_by_serial_bin_and_entry_opens_the_case() {
    let (_dir, store) = register();
    let (serial, bin, entry, case) = included_entry(&store);
    let mut a = app(&store, Lang::En, COLOR);
    chars(&mut a, &store, "6");
    for q in [serial.to_lowercase(), bin.clone(), entry.to_string()] {
        find(&mut a, &store, &q);
        assert!(
            a.register.found.iter().any(|e| e.serial == serial),
            "{q} did not find {serial}"
        );
        let t = text(&render(&a, 80, 24));
        assert!(t.contains(&serial), "{q}: {t}");
        assert!(t.contains(&bin), "{t}");
        assert!(t.contains(&case), "{t}");
    }
    // The serial's entry: its notices and the journal's changes are shown.
    find(&mut a, &store, &serial);
    assert_eq!(a.register.found.len(), 1);
    let t = text(&render(&a, 80, 24));
    assert!(t.contains("Notices: INC-"), "{t}");
    assert!(t.contains("application registered"), "{t}");
    assert!(t.contains("decision issued"), "{t}");
    key(&mut a, &store, KeyCode::Enter);
    assert_eq!(a.pane, Pane::Detail);
    assert_eq!(a.detail.as_ref().unwrap().case.number, case);
    // Esc goes back to the register.
    key(&mut a, &store, KeyCode::Esc);
    assert_eq!(a.pane, Pane::Register);
    // Esc cancels the line; nothing found says so.
    chars(&mut a, &store, "/NOPE");
    key(&mut a, &store, KeyCode::Esc);
    assert!(a.register.editing.is_none());
    assert_eq!(a.register.found.len(), 1, "a cancelled line runs nothing");
    find(&mut a, &store, "NO-SUCH-SERIAL");
    assert!(a.register.found.is_empty());
    assert!(text(&render(&a, 80, 24)).contains("No register entry for"));
    // Keys typed in the line are text, not commands ("q" does not quit).
    find(&mut a, &store, "q6v");
    assert!(!a.quit);
    assert_eq!(a.register.view, RegView::Find);
}

#[test]
fn register_conflicts_list_the_planted_serials() {
    let (_dir, store) = register();
    let list = tizilim::store::read::register::serial_conflicts(store.conn()).unwrap();
    assert!(!list.is_empty(), "the fixture plants a conflicting serial");
    let mut a = app(&store, Lang::En, COLOR);
    chars(&mut a, &store, "6vv");
    assert_eq!(a.register.view, RegView::Conflicts);
    let t = text(&render(&a, 80, 24));
    assert!(t.contains(&list[0].serial), "{t}");
    assert!(t.contains(&list[0].claims[0].case), "{t}");
    assert!(t.contains(&list[0].claims[0].bin_iin), "{t}");
    let claims: usize = list.iter().map(|c| c.claims.len()).sum();
    assert_eq!(a.register.claims.len(), claims);
    // Enter opens the selected claim's case.
    key(&mut a, &store, KeyCode::Down);
    let want = list[0].claims[1].case.clone();
    key(&mut a, &store, KeyCode::Enter);
    assert_eq!(a.pane, Pane::Detail);
    assert_eq!(a.detail.as_ref().unwrap().case.number, want);
}

#[test]
fn register_views_reload_after_a_commit_only_when_shown() {
    let (dir, store) = register();
    let mut a = app(&store, Lang::En, COLOR);
    chars(&mut a, &store, "6v");
    assert!(a.register.energy.is_some());
    assert!(a.register.conflicts.is_none(), "conflicts not read yet");
    chars(&mut a, &store, "1");
    // Nothing changed: a tick reads nothing.
    assert!(!a.update(store.conn(), Msg::Tick(now())).unwrap());
    assert!(!a.register.energy_stale);
    // Another session commits while the pane is not shown: marked stale only.
    let mut other = Store::open(store.path()).unwrap();
    let law = other.law().unwrap();
    let file = dir.path().join("a.json");
    std::fs::write(
        &file,
        serde_json::to_vec(&common::inclusion("REG", 1)).unwrap(),
    )
    .unwrap();
    tizilim::intake::intake_file(&mut other, &law, &"admin".into(), now(), &file, &mut |_| {
        Ok(())
    })
    .unwrap();
    assert!(a.update(store.conn(), Msg::Tick(now())).unwrap());
    assert!(a.register.energy_stale, "stale, not read while hidden");
    chars(&mut a, &store, "6");
    assert!(!a.register.energy_stale, "read when shown");
    // A commit that touches no case (a user added): nothing is read again
    // and nothing drawn (issue 18).
    other
        .write(|tx| {
            services::add_user(
                &services::Context {
                    tx,
                    law: &tizilim::rules::Law::load(&[]).unwrap(),
                    actor: &tizilim::rules::Login::new("admin"),
                    at: now(),
                },
                &tizilim::rules::Login::new("dana"),
                Role::Clerk,
            )
        })
        .unwrap();
    assert!(!a.update(store.conn(), Msg::Tick(now())).unwrap());
    assert!(!a.register.energy_stale);
    // Shown: read at the tick.
    let file = dir.path().join("b.json");
    std::fs::write(
        &file,
        serde_json::to_vec(&common::inclusion("REH", 1)).unwrap(),
    )
    .unwrap();
    tizilim::intake::intake_file(&mut other, &law, &"admin".into(), now(), &file, &mut |_| {
        Ok(())
    })
    .unwrap();
    assert!(a.update(store.conn(), Msg::Tick(now())).unwrap());
    assert!(!a.register.energy_stale, "read again at once");
}

#[test]
fn register_views_at_40x12() {
    let (_dir, store) = register();
    let (serial, ..) = included_entry(&store);
    let mut a = app(&store, Lang::Ru, COLOR);
    chars(&mut a, &store, "6");
    find(&mut a, &store, &serial);
    for view in ["find", "energy", "conflicts"] {
        for (w, h) in [(80, 24), (40, 12), (20, 5), (1, 1), (132, 50), (40, 12)] {
            a.update(store.conn(), Msg::Resize(w, h)).unwrap();
            for _ in 0..3 {
                key(&mut a, &store, KeyCode::Down);
            }
            key(&mut a, &store, KeyCode::End);
            render(&a, w, h);
        }
        key(&mut a, &store, KeyCode::Home);
        insta::assert_snapshot!(format!("tui_ru_40x12_6_{view}"), text(&render(&a, 40, 12)));
        chars(&mut a, &store, "v");
    }
}

// ---------------------------------------------------------------- catalogs

#[test]
fn every_message_exists_in_all_three_catalogs() {
    let ids: Vec<(Lang, Vec<String>)> = CATALOGS
        .iter()
        .map(|(l, _, src)| {
            let res = fluent_bundle::FluentResource::try_new(src.to_string());
            assert!(res.is_ok(), "{l:?} catalog does not parse");
            (*l, message_ids(src))
        })
        .collect();
    let en = &ids.iter().find(|(l, _)| *l == Lang::En).unwrap().1;
    for (l, list) in &ids {
        let mut a = list.clone();
        let mut b = en.clone();
        a.sort();
        b.sort();
        assert_eq!(a, b, "{l:?} and en differ");
        let mut d = a.clone();
        d.dedup();
        assert_eq!(d.len(), a.len(), "duplicate ids in {l:?}");
    }
    // Every key the keymap, panes and states use is in the catalog.
    let tr = Tr::new(Lang::Kk);
    for b in KEYMAP {
        assert!(tr.has(b.help), "{}", b.help);
        if let Some(h) = b.hint {
            assert!(tr.has(h), "{h}");
        }
    }
    for s in tizilim::rules::Stage::ALL {
        assert!(tr.has(&format!("stage-{s}")));
    }
    for c in tizilim::rules::ClockId::ALL {
        assert!(tr.has(&format!("clock-{c}")));
    }
    for a in tizilim::rules::workflow::Action::ALL {
        assert!(tr.has(&format!("short-{a}")), "the console names every act");
    }
}

#[test]
fn russian_plurals_and_dates() {
    let ru = Tr::new(Lang::Ru);
    assert_eq!(ru.n("days-left", 1), "остался 1 рабочий день");
    assert_eq!(ru.n("days-left", 2), "осталось 2 рабочих дня");
    assert_eq!(ru.n("days-left", 5), "осталось 5 рабочих дней");
    assert_eq!(ru.n("days-left", 21), "остался 21 рабочий день");
    assert_eq!(ru.n("days-over", 3), "просрочено на 3 рабочих дня");
    let en = Tr::new(Lang::En);
    assert_eq!(en.n("days-left", 1), "1 working day left");
    assert_eq!(en.n("days-left", 2), "2 working days left");
    assert_eq!(
        en.date(chrono::NaiveDate::from_ymd_opt(2026, 3, 9).unwrap()),
        "09.03.2026"
    );
    // No invisible isolation marks around arguments.
    assert!(!en.n("days-left", 2).contains('\u{2068}'));
}

// ---------------------------------------------------------------- keyboard

#[test]
fn hotkeys_by_position_on_kazakh_and_russian_layouts() {
    let ev = |c: char| KeyEvent::new(KeyCode::Char(c), KeyModifiers::NONE);
    // The Kazakh digit row: " ә і ң ғ → 1 2 3 4 5.
    for (c, p) in [
        ('"', Pane::Queue),
        ('ә', Pane::Detail),
        ('і', Pane::Hearings),
        ('ң', Pane::Complaints),
        ('ғ', Pane::Monitor),
        (',', Pane::Register),
    ] {
        assert_eq!(
            keys::command(keys::key_of(&ev(c)).unwrap(), Pane::Queue),
            Some(Cmd::Pane(p)),
            "{c}"
        );
    }
    // ЙЦУКЕН: о j, л k, й q, П G (shift), і/ә not on ru.
    for (c, latin) in [
        ('о', 'j'),
        ('л', 'k'),
        ('й', 'q'),
        ('м', 'v'),
        ('р', 'h'),
        ('д', 'l'),
        ('П', 'G'),
        ('№', '/'),
    ] {
        assert_eq!(keys::key_of(&ev(c)), Some(Key::Char(latin)), "{c}");
    }
    // Characters the keymap binds keep their meaning on any layout.
    for c in ['?', '/', '1', 'j'] {
        for l in [keys::Layout::Kazakh, keys::Layout::Russian] {
            assert_eq!(keys::key_on(&ev(c), l), Some(Key::Char(c)), "{c}");
        }
    }
    // The Russian layout's `?` and `/` keys type `,` and `.`; the Kazakh
    // layout's keys 6 and 7 type them too. `.` is `/` on both (key 7 has no
    // act); `,` is the clerk's layout's key.
    let ru = keys::Layout::Russian;
    let kz = keys::Layout::Kazakh;
    assert_eq!(keys::key_on(&ev(','), kz), Some(Key::Char('6')));
    assert_eq!(keys::key_on(&ev(','), ru), Some(Key::Char('?')));
    for l in [kz, ru] {
        assert_eq!(keys::key_on(&ev('.'), l), Some(Key::Char('/')));
    }
    // `,` is the only character whose key differs between the two layouts.
    let typed: std::collections::BTreeSet<char> = keys::LAYOUTS_TSV
        .lines()
        .filter(|l| !l.starts_with('#'))
        .flat_map(|l| l.split('\t').skip(1).flat_map(|c| c.chars().last()))
        .collect();
    let differ: Vec<char> = typed
        .into_iter()
        .filter(|c| keys::key_on(&ev(*c), kz) != keys::key_on(&ev(*c), ru))
        .collect();
    assert_eq!(differ, vec![',']);
    // Every Cyrillic letter of both layouts maps to a Latin letter or sign.
    let map = keys::layout_map();
    for c in "йцукенгшщзхъфывапролджэячсмитьбюәіңғүұқөһ".chars()
    {
        assert!(map.contains_key(&c), "{c}");
    }
}

/// The character a layout (column 1 us, 3 kz, 5 ru of layouts.tsv) types
/// on the key and level where the US layout types `latin`.
fn typed_on(col: usize, latin: char) -> Option<char> {
    let unescape = |s: &str| {
        if s == "\\\\" {
            Some('\\')
        } else {
            s.chars().next()
        }
    };
    keys::LAYOUTS_TSV
        .lines()
        .filter(|l| !l.starts_with('#'))
        .map(|l| l.split('\t').collect::<Vec<_>>())
        .find_map(|cells| {
            (0..2).find_map(|level| {
                (unescape(cells[1 + level]) == Some(latin))
                    .then(|| unescape(cells[col + level]))
                    .flatten()
            })
        })
}

#[test]
fn every_key_of_the_table_reaches_its_act_on_us_kazakh_and_russian_layouts() {
    let ev = |c: char| KeyEvent::new(KeyCode::Char(c), KeyModifiers::NONE);
    let mut checked = 0;
    for b in KEYMAP {
        for k in b.keys {
            let Key::Char(latin) = *k else { continue };
            let pane = match b.scope {
                keys::Scope::Everywhere => Pane::Queue,
                keys::Scope::Panes(ps) => ps[0],
            };
            for (col, layout, name) in [
                (1, keys::Layout::Kazakh, "us"),
                (3, keys::Layout::Kazakh, "kz"),
                (5, keys::Layout::Russian, "ru"),
            ] {
                // `Space` is no row of the table: the same on every layout.
                let typed = if latin == ' ' {
                    ' '
                } else {
                    typed_on(col, latin).unwrap_or_else(|| panic!("{latin} on {name}"))
                };
                let key = keys::key_on(&ev(typed), layout);
                assert_eq!(
                    key.and_then(|k| keys::command(k, pane)),
                    Some(b.cmd),
                    "{} ({name} types {typed:?}) in {pane:?}",
                    b.label
                );
                checked += 1;
            }
        }
    }
    assert!(checked > 60, "{checked}");
    // F1 and F10 act everywhere.
    for (n, cmd) in [(1, Cmd::Help), (10, Cmd::Quit)] {
        let k = keys::key_of(&KeyEvent::new(KeyCode::F(n), KeyModifiers::NONE)).unwrap();
        for p in Pane::ALL {
            assert_eq!(keys::command(k, p), Some(cmd), "F{n} in {p:?}");
        }
    }
}

#[test]
fn the_console_learns_the_layout_from_what_the_clerk_types() {
    let (_dir, store) = register();
    // A Russian console starts on the Russian layout: `,` is `?` (help),
    // `.` is `/` (the filter line).
    let mut a = app(&store, Lang::Ru, COLOR);
    assert_eq!(a.layout, keys::Layout::Russian);
    chars(&mut a, &store, ",");
    assert!(a.help, ", on ru opens the help");
    chars(&mut a, &store, ",");
    assert!(!a.help);
    chars(&mut a, &store, ".");
    assert_eq!(
        a.queue.editing.as_deref(),
        Some(""),
        ". on ru opens the filter"
    );
    key(&mut a, &store, KeyCode::Esc);
    // A Kazakh letter says Kazakh: now `,` is key 6 (the Register).
    chars(&mut a, &store, "ә");
    assert_eq!((a.layout, a.pane), (keys::Layout::Kazakh, Pane::Detail));
    chars(&mut a, &store, ",");
    assert_eq!(a.pane, Pane::Register);
    assert!(!a.help);
    // A Kazakh console starts Kazakh; a digit of the main row typed as a
    // command says Russian (the Kazakh layout types ә і ң ғ there).
    let mut a = app(&store, Lang::Kk, COLOR);
    chars(&mut a, &store, ",");
    assert_eq!(a.pane, Pane::Register);
    chars(&mut a, &store, "1");
    assert_eq!(a.layout, keys::Layout::Russian);
    chars(&mut a, &store, ",");
    assert!(a.help);
    // F1 and F10 too.
    let mut a = app(&store, Lang::En, COLOR);
    key(&mut a, &store, KeyCode::F(1));
    assert!(a.help);
    key(&mut a, &store, KeyCode::F(1));
    assert!(!a.help);
    key(&mut a, &store, KeyCode::F(10));
    assert!(a.quit);
}

#[test]
fn layout_table_is_what_the_generator_writes() {
    let xkb = std::path::Path::new("/usr/share/X11/xkb/symbols/kz");
    let keysyms = std::path::Path::new("/usr/include/X11/keysymdef.h");
    const TEST: &str = "layout_table_is_what_the_generator_writes";
    if !xkb.exists() || !keysyms.exists() {
        return common::skipped(
            TEST,
            "needs xkb-data and x11proto-dev (apt-get install xkb-data x11proto-dev)",
        );
    }
    let out = std::process::Command::new("python3")
        .arg("tools/gen_keyboard.py")
        .output();
    let Ok(out) = out else {
        return common::skipped(TEST, "needs python3 (apt-get install python3)");
    };
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert_eq!(String::from_utf8(out.stdout).unwrap(), keys::LAYOUTS_TSV);
}

// ---------------------------------------------------------------- docs/console.md

#[test]
fn the_documented_key_table_is_the_keymap() {
    const DOC: &str = "docs/console.md";
    let table = keys::markdown_table(&Tr::new(Lang::En));
    let doc = std::fs::read_to_string(DOC).unwrap();
    let (begin, end) = (
        "<!-- keys:begin (generated by tests/tui.rs from src/tui/keys.rs) -->\n",
        "<!-- keys:end -->",
    );
    let want = format!("{begin}{table}{end}");
    if std::env::var_os("UPDATE_KEYS").is_some() {
        let a = doc
            .find(begin)
            .expect("docs/console.md has the keys markers");
        let b = doc.find(end).unwrap() + end.len();
        let new = format!("{}{want}{}", &doc[..a], &doc[b..]);
        std::fs::write(DOC, new).unwrap();
        return;
    }
    assert!(
        doc.contains(&want),
        "{DOC}'s key table differs from the keymap: run UPDATE_KEYS=1 cargo test --test tui key_table"
    );
}

// ---------------------------------------------------------------- intake at the desk

fn ctrl(app: &mut App, store: &Store, c: char) {
    app.update(
        store.conn(),
        Msg::Key(KeyEvent::new(KeyCode::Char(c), KeyModifiers::CONTROL)),
    )
    .unwrap();
}

/// The console with its drafts in `drafts` (never the tester's home).
fn desk(store: &Store, lang: Lang, drafts: &std::path::Path) -> App {
    app(store, lang, COLOR).with_drafts(drafts.to_path_buf())
}

/// A BIN whose check digit is wrong (the last digit of a good one, moved on).
fn bad_bin() -> String {
    let good = common::bin_number(17);
    let last = good.as_bytes()[11] - b'0';
    format!("{}{}", &good[..11], (last + 1) % 10)
}

/// Types the applicant's part of the form (the focus on "kind").
fn fill_applicant(a: &mut App, store: &Store, bin: &str) {
    key(a, store, KeyCode::Tab); // received (now)
    key(a, store, KeyCode::Tab);
    chars(a, store, "Ekibastuz Compute LLP");
    key(a, store, KeyCode::Tab);
    chars(a, store, bin);
    key(a, store, KeyCode::Tab);
}

#[test]
fn intake_form_in_every_language() {
    let (_dir, store) = register();
    let drafts = tempfile::tempdir().unwrap();
    for lang in [Lang::En, Lang::Ru, Lang::Kk] {
        let l = lang_name(lang);
        let mut a = desk(&store, lang, drafts.path());
        chars(&mut a, &store, "i");
        assert!(a.intake.is_some(), "i opens the form");
        insta::assert_snapshot!(format!("tui_{l}_intake_empty"), text(&render(&a, 80, 24)));
        fill_applicant(&mut a, &store, &bad_bin());
        insta::assert_snapshot!(format!("tui_{l}_intake_error"), text(&render(&a, 80, 24)));
        key(&mut a, &store, KeyCode::PageDown);
        chars(&mut a, &store, "Bitmain");
        insta::assert_snapshot!(format!("tui_{l}_intake_units"), text(&render(&a, 80, 24)));
        for (w, h) in [(40, 12), (20, 5), (1, 1), (80, 24)] {
            a.update(store.conn(), Msg::Resize(w, h)).unwrap();
            render(&a, w, h);
        }
        key(&mut a, &store, KeyCode::Esc);
        assert!(a.intake.is_none());
        // The next language's console offers this draft: discard it.
        std::fs::remove_file(drafts.path().join("aigerim.json")).unwrap();
    }
}

#[test]
fn a_bad_bin_is_flagged_when_left_fixed_and_the_case_registered() {
    let (_dir, mut store) = register();
    let drafts = tempfile::tempdir().unwrap();
    let mut a = desk(&store, Lang::En, drafts.path());
    let cases_before: i64 = store
        .conn()
        .query_row("SELECT count(*) FROM cases", [], |r| r.get(0))
        .unwrap();
    chars(&mut a, &store, "i");
    // A fresh form shows no errors.
    let t = text(&render(&a, 80, 24));
    assert!(!t.contains("is required"), "{t}");
    fill_applicant(&mut a, &store, &bad_bin());
    let t = text(&render(&a, 80, 24));
    assert!(t.contains("check digit is"), "error beside the field:\n{t}");
    assert!(
        !t.contains("is required"),
        "unvisited fields stay quiet:\n{t}"
    );
    // Back to the BIN, fix it.
    key(&mut a, &store, KeyCode::BackTab);
    for _ in 0..12 {
        key(&mut a, &store, KeyCode::Backspace);
    }
    chars(&mut a, &store, &common::bin_number(17));
    key(&mut a, &store, KeyCode::Tab);
    let t = text(&render(&a, 80, 24));
    assert!(!t.contains("check digit"), "fixed:\n{t}");
    for v in [
        "Ekibastuz, Satpayev st. 12",
        "+7 701 123 45 67",
        "office@example.kz",
    ] {
        chars(&mut a, &store, v);
        key(&mut a, &store, KeyCode::Tab);
    }
    chars(&mut a, &store, " "); // consent
    key(&mut a, &store, KeyCode::Tab);
    chars(
        &mut a,
        &store,
        "Pavlodar region, Ekibastuz, industrial zone 4",
    );
    key(&mut a, &store, KeyCode::Tab);
    chars(&mut a, &store, "8471 50 000 0");
    key(&mut a, &store, KeyCode::Tab);
    // The units: one row, every column.
    key(&mut a, &store, KeyCode::PageDown);
    for v in [
        "Bitmain",
        "Antminer S19j Pro",
        "DESK000001",
        "104",
        "3,07",
        "10228110823/7603119",
    ] {
        chars(&mut a, &store, v);
        key(&mut a, &store, KeyCode::Tab);
    }
    // Documents: the ownership proof.
    key(&mut a, &store, KeyCode::F(7));
    key(&mut a, &store, KeyCode::Tab);
    chars(&mut a, &store, "lease-2025-17.pdf");
    key(&mut a, &store, KeyCode::Tab);
    chars(&mut a, &store, "31.12.2026");
    ctrl(&mut a, &store, 's');
    let it = a.intake.as_ref().expect("the form shows what was saved");
    let saved = it.saved.as_ref().unwrap_or_else(|| {
        panic!("not saved:\n{}", text(&render(&a, 80, 24)));
    });
    let case = saved.outcome.case.clone().unwrap();
    let t = text(&render(&a, 80, 24));
    assert!(t.contains(&format!("Registered as {case}")), "{t}");
    assert!(t.contains("§10"), "its deadline:\n{t}");
    insta::assert_snapshot!("tui_en_intake_saved", t);
    let (bin, channel, units): (String, String, i64) = store
        .conn()
        .query_row(
            "SELECT m.bin_iin, c.channel, (SELECT count(*) FROM units u WHERE u.case_id = c.id)
               FROM cases c JOIN miners m ON m.id = c.miner_id WHERE c.number = ?1",
            [&case],
            |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)),
        )
        .unwrap();
    assert_eq!(
        (bin.as_str(), channel.as_str(), units),
        (common::bin_number(17).as_str(), "office", 1)
    );
    let cases_after: i64 = store
        .conn()
        .query_row("SELECT count(*) FROM cases", [], |r| r.get(0))
        .unwrap();
    assert_eq!(cases_after, cases_before + 1);
    assert!(
        !drafts.path().join("aigerim.json").exists(),
        "saving deletes the draft"
    );
    // Enter opens it in the detail pane.
    key(&mut a, &store, KeyCode::Enter);
    assert_eq!(a.pane, Pane::Detail);
    assert_eq!(a.detail.as_ref().unwrap().case.number, case);
    let report = tizilim::store::audit::verify(&store).unwrap();
    assert!(report.finding.is_none(), "{:?}", report.finding);
    let _ = &mut store;
}

#[test]
fn five_pasted_serials_make_five_rows() {
    let (_dir, store) = register();
    let drafts = tempfile::tempdir().unwrap();
    let mut a = desk(&store, Lang::En, drafts.path());
    chars(&mut a, &store, "i");
    key(&mut a, &store, KeyCode::F(6));
    key(&mut a, &store, KeyCode::Right);
    key(&mut a, &store, KeyCode::Right); // the serial column
    let dirty = a
        .update(
            store.conn(),
            Msg::Paste("PST0001\nPST0002\r\nPST0003\nPST0004\nPST0005\n".into()),
        )
        .unwrap();
    assert!(dirty);
    let it = a.intake.as_ref().unwrap();
    assert_eq!(it.units.rows.len(), 5);
    assert_eq!(it.units.cell(4, "serial"), "PST0005");
    let t = text(&render(&a, 80, 24));
    assert!(t.contains("ABKs (5)"), "{t}");
    assert!(t.contains("PST0003"), "{t}");
}

#[test]
fn a_draft_survives_and_is_offered_to_the_next_session() {
    let (_dir, store) = register();
    let drafts = tempfile::tempdir().unwrap();
    let mut a = desk(&store, Lang::Ru, drafts.path());
    chars(&mut a, &store, "i");
    fill_applicant(&mut a, &store, &common::bin_number(17));
    key(&mut a, &store, KeyCode::F(6));
    key(&mut a, &store, KeyCode::End);
    key(&mut a, &store, KeyCode::Home);
    chars(&mut a, &store, "Bitmain");
    // The connection drops: nothing closes the form; every change was
    // written at once.
    let path = drafts.path().join("aigerim.json");
    assert!(path.exists(), "a draft after the first change");
    drop(a);
    // Esc in another session writes the rest; here, a new session finds the
    // draft of the first change at least.
    let mut b = desk(&store, Lang::Ru, drafts.path());
    assert!(b.draft_offer.is_some(), "offered at start");
    let t = text(&render(&b, 80, 24));
    assert!(t.contains("Ждёт черновик"), "{t}");
    key(&mut b, &store, KeyCode::Esc); // later
    assert!(b.draft_offer.is_none() && b.intake.is_none());
    // `i` offers it again; Enter resumes.
    chars(&mut b, &store, "i");
    assert!(b.draft_offer.is_some());
    key(&mut b, &store, KeyCode::Enter);
    let it = b.intake.as_ref().expect("resumed");
    assert!(it.form.value("applicant.name").starts_with('E'));
    // Now everything typed, then Esc: the draft holds it all.
    fill_applicant_rest(&mut b, &store);
    key(&mut b, &store, KeyCode::Esc);
    assert!(b.intake.is_none());
    let c = desk(&store, Lang::Ru, drafts.path());
    let offer = c.draft_offer.as_ref().expect("offered");
    assert_eq!(offer.draft.fields["applicant.phone"], "+7 701 123 45 67");
    let mut c = c;
    // At start-up the cursor is on "later": `r` (or → and Enter) resumes.
    chars(&mut c, &store, "r");
    let it = c.intake.as_ref().unwrap();
    assert_eq!(it.form.value("applicant.name"), "Ekibastuz Compute LLP");
    assert_eq!(it.form.value("applicant.phone"), "+7 701 123 45 67");
    use std::os::unix::fs::PermissionsExt;
    let mode = std::fs::metadata(&path).unwrap().permissions().mode() & 0o777;
    assert_eq!(mode, 0o600);
    // d, then d again, discards (one d, a clerk's habit, does not).
    key(&mut c, &store, KeyCode::Esc);
    chars(&mut c, &store, "i");
    key(&mut c, &store, KeyCode::Char('d'));
    assert!(path.exists(), "one d only asks");
    key(&mut c, &store, KeyCode::Char('d'));
    assert!(!path.exists());
}

/// A hang-up ends the console at once, without a tick or a flush (the
/// watchdog in `tui::run`): every key typed into the intake form is in its
/// draft file already.
#[test]
fn the_intake_draft_holds_the_last_key_typed() {
    let (_dir, store) = register();
    let drafts = tempfile::tempdir().unwrap();
    let path = drafts.path().join("aigerim.json");
    let mut a = desk(&store, Lang::En, drafts.path());
    chars(&mut a, &store, "i");
    key(&mut a, &store, KeyCode::Tab); // received (now)
    key(&mut a, &store, KeyCode::Tab);
    let name = "Ekibastuz Compute LLP";
    for (i, c) in name.char_indices() {
        key(&mut a, &store, KeyCode::Char(c));
        let draft = tizilim::tui::intake::read_draft(&path).expect("a draft");
        assert_eq!(draft.fields["applicant.name"], name[..=i], "after {c:?}");
    }
    key(&mut a, &store, KeyCode::Backspace);
    let draft = tizilim::tui::intake::read_draft(&path).unwrap();
    assert_eq!(draft.fields["applicant.name"], name[..name.len() - 1]);
    // A pasted serial lands in the file too, no tick needed.
    key(&mut a, &store, KeyCode::F(6));
    key(&mut a, &store, KeyCode::Right);
    key(&mut a, &store, KeyCode::Right); // the serial column
    a.update(store.conn(), Msg::Paste("TZPASTED-1".into()))
        .unwrap();
    let kept = std::fs::read_to_string(&path).unwrap();
    assert!(kept.contains("TZPASTED-1"), "{kept}");
    // The link drops: no Esc, no tick, no flush (`App` has no `Drop`).
    drop(a);
}

/// The focus anywhere: the name set in full, then the phone.
fn fill_applicant_rest(a: &mut App, store: &Store) {
    key(a, store, KeyCode::F(5));
    let it = a.intake.as_mut().unwrap();
    it.form.focus_on("applicant.name");
    for _ in 0..40 {
        key(a, store, KeyCode::Backspace);
    }
    chars(a, store, "Ekibastuz Compute LLP");
    a.intake.as_mut().unwrap().form.focus_on("applicant.phone");
    chars(a, store, "+7 701 123 45 67");
}

#[test]
fn a_serial_already_in_the_register_is_flagged() {
    let (_dir, store) = register();
    let serial: String = store
        .conn()
        .query_row(
            "SELECT serial FROM units WHERE status = 'included' ORDER BY id LIMIT 1",
            [],
            |r| r.get(0),
        )
        .unwrap();
    let drafts = tempfile::tempdir().unwrap();
    let mut a = desk(&store, Lang::En, drafts.path());
    chars(&mut a, &store, "i");
    key(&mut a, &store, KeyCode::F(6));
    key(&mut a, &store, KeyCode::Right);
    key(&mut a, &store, KeyCode::Right);
    chars(&mut a, &store, &serial.to_lowercase());
    key(&mut a, &store, KeyCode::Tab); // leaves the serial cell
    let it = a.intake.as_ref().unwrap();
    let w = it.units.rows[0].warning.clone().expect("flagged");
    assert!(w.contains("already in the register"), "{w}");
    key(&mut a, &store, KeyCode::BackTab);
    let t = text(&render(&a, 80, 24));
    assert!(t.contains("already in the register (entry"), "{t}");
}

#[test]
fn a_supervisor_may_not_open_the_intake_form() {
    let (_dir, store) = register();
    let drafts = tempfile::tempdir().unwrap();
    let mut a = App::new(
        store.conn(),
        Tr::new(Lang::En),
        COLOR,
        "aigerim".into(),
        Role::Supervisor,
        now(),
        (80, 24),
    )
    .unwrap()
    .with_drafts(drafts.path().to_path_buf());
    chars(&mut a, &store, "i");
    assert!(a.intake.is_none());
    assert!(
        a.message
            .as_deref()
            .unwrap_or("")
            .contains("may not register"),
        "{:?}",
        a.message
    );
}

/// The console opened at `at` (as `TIZILIM_NOW` does) over the fixture.
fn app_at(store: &Store, lang: Lang, at: &str) -> App {
    App::new(
        store.conn(),
        Tr::new(lang),
        COLOR,
        "aigerim".into(),
        Role::Clerk,
        DateTime::parse_from_rfc3339(at)
            .unwrap()
            .with_timezone(&Utc),
        (80, 24),
    )
    .unwrap()
}

#[test]
fn the_status_line_warns_before_the_calendar_ends_and_past_it_nothing_fails() {
    let (_dir, store) = register();
    let status = |a: &App| {
        let t = text(&render(a, 80, 24));
        t.lines().nth(22).unwrap().to_string()
    };
    // The fixture's "now": nothing to say.
    let a = app(&store, Lang::En, COLOR);
    assert!(!status(&a).contains("calendar"), "{}", status(&a));
    // From 90 days before 31.12.2028, in every language, beside the counts.
    for (lang, words) in [
        (Lang::En, "calendar ends 31.12.2028"),
        (Lang::Ru, "календарь до 31.12.2028"),
        (Lang::Kk, "күнтізбе 31.12.2028 дейін"),
    ] {
        let a = app_at(&store, lang, "2028-10-02T11:00:00+05:00");
        let line = status(&a);
        assert!(line.contains(words), "{line}");
        assert!(line.chars().count() <= 80, "{line}");
        // Today's date gives way to the warning only where both do not fit
        // (the Kazakh words are the longest).
        if lang != Lang::Kk {
            assert!(line.contains("02.10.2028"), "today stays beside it: {line}");
        }
        let a = app_at(&store, lang, "2028-10-01T11:00:00+05:00");
        assert!(!status(&a).contains("31.12.2028"), "{}", status(&a));
    }
    // Past the data: the console opens, every pane draws, the status line
    // says what is missing, and the monitor's counts read "?".
    for (lang, words) in [
        (Lang::En, "calendar not yet published for 2029"),
        (Lang::Ru, "календарь на 2029 год ещё не опубликован"),
        (Lang::Kk, "2029 жылғы күнтізбе әлі жарияланбаған"),
    ] {
        let mut a = app_at(&store, lang, "2029-01-10T11:00:00+05:00");
        let line = status(&a);
        assert!(line.contains(words), "{line}");
        assert!(line.chars().count() <= 80, "{line}");
        key(&mut a, &store, KeyCode::Enter);
        assert_eq!(a.pane, Pane::Detail);
        for k in ["l", "l", "l", "3", "4", "5"] {
            chars(&mut a, &store, k);
            let t = text(&render(&a, 80, 24));
            assert!(t.lines().nth(22).unwrap().contains(words), "{k}: {t}");
        }
        let t = text(&render(&a, 80, 24));
        // Every clock of the fixture was due in 2025: overdue, by a count
        // that needs 2029.
        assert!(t.contains("    ?"), "{t}");
        assert!(a.snap.count(tizilim::rules::ClockState::Overdue) > 0);
    }
}

/// The supervisors' report of terms on the Deadlines pane (`5`, then `t`):
/// the fixture's acts this year in time and late, per paragraph and month,
/// as bars in characters — in kk, ru and en, under NO_COLOR and --ascii, at
/// 80×24 — and a clerk is told it is not theirs.
#[test]
fn the_supervisors_view_of_terms() {
    let (_dir, store) = register();
    for (lang, theme, name) in [
        (Lang::En, COLOR, "en"),
        (Lang::Ru, MONO, "ru_nocolor"),
        (Lang::Kk, ASCII, "kk_ascii"),
    ] {
        let mut a = App::new(
            store.conn(),
            Tr::new(lang),
            theme,
            "saule".into(),
            Role::Supervisor,
            now(),
            (80, 24),
        )
        .unwrap();
        chars(&mut a, &store, "5t");
        let r = a.terms.as_ref().expect("the report is open");
        assert!(r.acts > 0, "the fixture's acts are on the record");
        let screen = text(&render(&a, 80, 24));
        insta::assert_snapshot!(format!("terms_view_{name}"), screen);
        // Bars: in time and late each with its own glyph, readable without colour.
        let glyphs = if theme.ascii {
            ['#', 'x']
        } else {
            ['█', '▒']
        };
        assert!(screen.contains(glyphs[0]), "{screen}");
        // `t` again: back to the deadlines.
        chars(&mut a, &store, "t");
        assert!(a.terms.is_none());
    }
    let mut clerk = app(&store, Lang::En, COLOR);
    chars(&mut clerk, &store, "5t");
    assert!(clerk.terms.is_none());
    assert!(
        clerk
            .message
            .as_deref()
            .is_some_and(|m| m.contains("supervisors and admins")),
        "{:?}",
        clerk.message
    );
}

/// The display columns row `y` takes on a terminal that draws the buffer
/// as the console's backend sends it: a wide symbol covers the cell after
/// it, which is not sent.
fn row_width(b: &Buffer, y: u16) -> usize {
    let (mut x, mut total) = (0u16, 0usize);
    while x < b.area.width {
        let w = tizilim::rules::text::width(b[(x, y)].symbol());
        total += w;
        x += w.max(1) as u16;
    }
    total
}

/// Where `word` starts on row `y`, in display columns.
fn column_of(b: &Buffer, y: u16, word: &str) -> Option<usize> {
    let (mut x, mut col) = (0u16, 0usize);
    while x < b.area.width {
        let rest: String = (x..b.area.width).map(|i| b[(i, y)].symbol()).collect();
        if rest.starts_with(word) {
            return Some(col);
        }
        let w = tizilim::rules::text::width(b[(x, y)].symbol());
        col += w;
        x += w.max(1) as u16;
    }
    None
}

#[test]
fn a_hostile_name_keeps_every_row_its_width_and_the_state_in_its_column() {
    // Wide CJK, an emoji with VS16, combining marks, the Hangul fillers.
    let hostile = "礦機礦機礦機 ❤\u{FE0F}🛠\u{FE0F} Zo\u{0308}e\u{0301}\u{0323} \u{3164}\u{115F}한국 마이닝 LLP";
    for (lang, state_head, w, h) in [
        (Lang::En, "State", 80, 24),
        (Lang::Ru, "Состояние", 80, 24),
        (Lang::Kk, "Жай-күйі", 80, 24),
        (Lang::En, "State", 40, 12),
    ] {
        let (_dir, store) = register();
        store
            .conn()
            .execute("UPDATE miners SET name = ?1", rusqlite::params![hostile])
            .unwrap();
        let mut a = app(&store, lang, MONO);
        a.reload(store.conn()).unwrap();
        a.update(store.conn(), Msg::Resize(w, h)).unwrap();
        for pane in ["1", "3"] {
            chars(&mut a, &store, pane);
            let b = render(&a, w, h);
            let shown = text(&b);
            for y in 0..h {
                assert_eq!(
                    row_width(&b, y),
                    usize::from(w),
                    "{lang:?} {pane} {w}x{h} row {y}:\n{shown}"
                );
            }
            // The state's heading and every row's state start at one column.
            let head_y = (0..h)
                .find(|&y| column_of(&b, y, state_head).is_some())
                .unwrap_or_else(|| panic!("{lang:?} {pane}: no state column\n{shown}"));
            let at = column_of(&b, head_y, state_head).unwrap();
            let states = [
                "OVERDUE",
                "due today",
                "ПРОСРОЧЕНО",
                "срок сегодня",
                "held",
                "проведено",
            ];
            let bottom = (head_y..h)
                .find(|&y| b[(0, y)].symbol() == "└")
                .unwrap_or(h);
            let mut seen = 0;
            for y in head_y + 1..bottom {
                for s in states {
                    if let Some(c) = column_of(&b, y, s) {
                        assert_eq!(c, at, "{lang:?} {pane} row {y} ({s}):\n{shown}");
                        seen += 1;
                    }
                }
            }
            if lang != Lang::Kk {
                assert!(seen > 0, "{lang:?} {pane}: no state shown\n{shown}");
            }
        }
    }
}

#[test]
fn the_status_line_shows_each_part_whole_or_not_at_all() {
    let (_dir, store) = register();
    for lang in [Lang::Kk, Lang::Ru, Lang::En] {
        let mut a = app(&store, lang, MONO);
        let today =
            a.tr.a("status-today", &[("date", &a.tr.date(now().date_naive()))]);
        let overdue = a.tr.n("status-overdue", 1);
        for (w, h) in [(80u16, 24u16), (40, 12)] {
            for msg in [None, Some("written /tmp/notice-INC-2025-000001.html")] {
                a.message = msg.map(String::from);
                let b = render(&a, w, h);
                let line: String = (0..w).map(|x| b[(x, h - 2)].symbol()).collect();
                let line = line.trim_end();
                // Today's date whole at the end, or not begun at all (main
                // showed "сегодн" and "today 28.11.").
                let last = line.rsplit(" · ").next().unwrap_or_default();
                assert!(
                    last == today || !today.starts_with(last),
                    "{lang:?} {w}x{h}: {line}"
                );
                if msg.is_none() || w == 80 {
                    assert!(line.contains(&overdue), "{lang:?} {w}x{h}: {line}");
                }
            }
        }
    }
}

/// A message longer than the status line is never cut: it wraps over the
/// status line and the footer (up to two rows above them if it needs them), and
/// the counts and hints come back when it is cleared (main cut "Not saved in
/// the last session: … Open the same act on th").
#[test]
fn a_long_message_wraps_whole_over_the_status_line_and_the_footer() {
    let (_dir, store) = register();
    let mut a = app(&store, Lang::En, MONO);
    let msg = "Not saved in the last session: ABK-2025-000001 (decide). Open the same act on the same case to take it up again.";
    for (w, h) in [(80u16, 24u16), (40, 12)] {
        a.message = Some(msg.to_string());
        let b = render(&a, w, h);
        let rows = |from: u16| -> String {
            (from..h)
                .map(|y| {
                    let l: String = (0..w).map(|x| b[(x, y)].symbol()).collect();
                    l.trim_end().to_string()
                })
                .collect::<Vec<_>>()
                .join(" ")
        };
        let tail = rows(h - 4);
        assert!(tail.contains(msg), "{w}x{h}: {tail}");
        a.message = None;
        let b = render(&a, w, h);
        let status: String = (0..w).map(|x| b[(x, h - 2)].symbol()).collect();
        assert!(status.contains(&a.tr.n("status-overdue", 1)), "{status}");
    }
}

#[test]
fn the_worst_panes_at_40x12_in_kk_and_ru() {
    // Issue 17: at 40×12 every complaint read "CMP-2025", the deadlines'
    // words and states were cut mid-word.
    let (_dir, store) = register();
    for lang in [Lang::Kk, Lang::Ru] {
        let mut a = app(&store, lang, MONO);
        a.update(store.conn(), Msg::Resize(40, 12)).unwrap();
        for (pane, name) in [("3", "hearings"), ("4", "complaints"), ("5", "monitor")] {
            chars(&mut a, &store, pane);
            let t = text(&render(&a, 40, 12));
            insta::assert_snapshot!(format!("tui_{}_40x12_{name}", lang_name(lang)), t);
        }
        chars(&mut a, &store, "1");
        key(&mut a, &store, KeyCode::Enter);
        chars(&mut a, &store, "ll");
        let t = text(&render(&a, 40, 12));
        assert!(t.contains("20.11.2025"), "the clock's date whole:\n{t}");
        // §9's text to its last word (kk lost "жіберу" over six lines).
        let last = if lang == Lang::Kk {
            "жіберу"
        } else {
            "пакету"
        };
        assert!(t.contains(last), "the clock's text whole:\n{t}");
        insta::assert_snapshot!(format!("tui_{}_40x12_detail_clocks", lang_name(lang)), t);
    }
}

// ---------------------------------------------------------------- commands (issue 17)

/// The console of `login` holding `role`, in English.
fn app_as(store: &Store, role: Role) -> App {
    App::new(
        store.conn(),
        Tr::new(Lang::En),
        MONO,
        "aigerim".into(),
        role,
        now(),
        (80, 24),
    )
    .unwrap()
}

/// Opens a case in pane 2 as a clerk does: `/`, its number, Enter, Enter.
fn open(a: &mut App, store: &Store, number: &str) {
    chars(a, store, "1/");
    chars(a, store, number);
    key(a, store, KeyCode::Enter);
    key(a, store, KeyCode::Enter);
    assert_eq!(a.detail.as_ref().unwrap().case.number, number);
}

fn footer(a: &App) -> String {
    text(&render(a, 80, 24))
        .lines()
        .last()
        .unwrap_or("")
        .to_string()
}

fn status(a: &App) -> String {
    text(&render(a, 80, 24))
        .lines()
        .nth(22)
        .unwrap_or("")
        .to_string()
}

/// The footer offers only what may be done now: an operator has no `d`, a
/// supervisor no `i`, a refused case no `d`; the key pressed anyway says why
/// in the status line, and the `?` help lists it apart.
#[test]
fn the_footer_and_help_show_only_available_commands() {
    use tizilim::tui::commands;
    let (_dir, store) = register();
    // A clerk on a case under review: `d` decides.
    let mut a = app_as(&store, Role::Clerk);
    open(&mut a, &store, fixture::UNDER_REVIEW);
    assert!(footer(&a).contains("d decide"), "{}", footer(&a));
    // An operator: no `d` in the footer; pressed, it says why.
    let mut a = app_as(&store, Role::Operator);
    open(&mut a, &store, fixture::UNDER_REVIEW);
    assert!(!footer(&a).contains("d decide"), "{}", footer(&a));
    let d = commands::of(&a)
        .into_iter()
        .find(|c| c.binding.cmd == Cmd::Act(tizilim::tui::actions::Act::Decide))
        .unwrap();
    assert_eq!(d.why_not.as_ref().map(|w| w.key), Some("msg-role-cannot"));
    chars(&mut a, &store, "d");
    assert!(a.form.is_none());
    assert!(
        status(&a).contains("the role operator may not: Decision"),
        "{}",
        status(&a)
    );
    chars(&mut a, &store, "?");
    let help = text(&render(&a, 80, 24));
    assert!(
        help.contains("Not available now (the key says why): p, r, d"),
        "{help}"
    );
    assert!(!help.contains("Decide: include"), "{help}");
    assert!(
        help.contains("Register a complaint"),
        "an operator lodges: {help}"
    );
    assert!(
        help.contains("6 Register"),
        "the first row is not cut: {help}"
    );
    // A refused case, for a clerk: no `d`; pressed, the stage says why.
    let mut a = app_as(&store, Role::Clerk);
    open(&mut a, &store, fixture::REFUSED);
    assert!(!footer(&a).contains("d decide"), "{}", footer(&a));
    chars(&mut a, &store, "d");
    assert!(a.form.is_none());
    assert!(
        status(&a).contains("not possible at the stage \"refused\""),
        "{}",
        status(&a)
    );
    // A supervisor: no `i` on the queue; pressed, it says why.
    let mut a = app_as(&store, Role::Supervisor);
    assert!(!footer(&a).contains("intake"), "{}", footer(&a));
    chars(&mut a, &store, "i");
    assert!(a.intake.is_none());
    assert!(status(&a).contains("may not register"), "{}", status(&a));
    let clerk = app_as(&store, Role::Clerk);
    assert!(footer(&clerk).contains("i intake"), "{}", footer(&clerk));
    // The notice view's `d` (its delivery) is for the roles that register.
    let mut a = app_as(&store, Role::Clerk);
    open(&mut a, &store, fixture::INCLUDED);
    chars(&mut a, &store, "n");
    assert_eq!(a.pane, Pane::Notice);
    assert!(footer(&a).contains("d delivered"), "{}", footer(&a));
    let mut a = app_as(&store, Role::Supervisor);
    open(&mut a, &store, fixture::INCLUDED);
    chars(&mut a, &store, "n");
    assert!(!footer(&a).contains("d delivered"), "{}", footer(&a));
    chars(&mut a, &store, "d");
    assert!(a.form.is_none());
    assert!(
        status(&a).contains("the role supervisor may not"),
        "{}",
        status(&a)
    );
    // The report of terms is the supervisors': a clerk's Deadlines has no `t`.
    let mut a = app_as(&store, Role::Clerk);
    chars(&mut a, &store, "5");
    assert!(!footer(&a).contains("t terms"), "{}", footer(&a));
    let mut a = app_as(&store, Role::Supervisor);
    chars(&mut a, &store, "5");
    assert!(footer(&a).contains("t terms"), "{}", footer(&a));
}

/// The complaints pane: `f` only for a complaint still to be forwarded, and
/// neither `f` nor `d` for a clerk (complaints are the supervisors').
#[test]
fn complaint_acts_follow_the_complaint_table() {
    let (_dir, store) = register();
    let mut a = app_as(&store, Role::Clerk);
    chars(&mut a, &store, "4");
    let f = footer(&a);
    assert!(!f.contains("f forward") && !f.contains("d decide"), "{f}");
    chars(&mut a, &store, "f");
    assert!(a.form.is_none());
    assert!(
        status(&a).contains("the role clerk may not"),
        "{}",
        status(&a)
    );
    let mut a = app_as(&store, Role::Supervisor);
    chars(&mut a, &store, "4");
    for i in 0..a.complaints.rows.len() {
        let c = &a.complaints.rows[i];
        let can_forward = tizilim::rules::workflow::complaint_allows(
            c.to,
            c.status,
            tizilim::rules::workflow::ComplaintAction::Forward,
        )
        .is_ok();
        let f = footer(&a);
        assert_eq!(f.contains("f forward"), can_forward, "{}: {f}", c.number);
        key(&mut a, &store, KeyCode::Down);
    }
}

/// The start-up offer of an intake draft is an explicit choice whose
/// default leaves the draft parked; it never holds the console: `q` quits.
#[test]
fn the_draft_offer_defaults_to_later_and_lets_q_quit() {
    let (_dir, store) = register();
    let drafts = tempfile::tempdir().unwrap();
    let path = drafts.path().join("aigerim.json");
    let mut a = desk(&store, Lang::En, drafts.path());
    chars(&mut a, &store, "i");
    fill_applicant(&mut a, &store, &common::bin_number(17));
    key(&mut a, &store, KeyCode::Esc);
    assert!(path.exists());
    drop(a);
    // Enter takes the default: later. The draft stays; the queue is back.
    let mut b = desk(&store, Lang::En, drafts.path());
    let t = text(&render(&b, 80, 24));
    assert!(t.contains(">Later (keep the draft)<"), "{t}");
    // Narrow: one choice a line, none cut.
    let t = text(&render(&b, 40, 12));
    for want in [">Later (keep the draft)<", "Resume", "Discard"] {
        assert!(t.contains(want), "{want}: {t}");
    }
    for (w, h) in [(30, 8), (20, 5), (1, 1)] {
        render(&b, w, h);
    }
    key(&mut b, &store, KeyCode::Enter);
    assert!(b.draft_offer.is_none() && b.intake.is_none());
    assert!(path.exists(), "parked");
    assert!(status(&b).contains("The draft is kept"), "{}", status(&b));
    // `q` on the offer: the console quits, the draft parked.
    let mut c = desk(&store, Lang::En, drafts.path());
    assert!(c.draft_offer.is_some());
    chars(&mut c, &store, "q");
    assert!(c.quit, "q quits from the offer");
    assert!(path.exists());
    // Any other key leaves the draft parked and acts: `5` goes to Deadlines.
    let mut d = desk(&store, Lang::En, drafts.path());
    chars(&mut d, &store, "5");
    assert!(d.draft_offer.is_none());
    assert_eq!(d.pane, Pane::Monitor);
    assert!(path.exists());
    // → and Enter resume it; `i` offers it with the cursor on "resume".
    let mut e = desk(&store, Lang::En, drafts.path());
    key(&mut e, &store, KeyCode::Right);
    key(&mut e, &store, KeyCode::Enter);
    assert!(e.intake.is_some(), "resumed");
    key(&mut e, &store, KeyCode::Esc);
    chars(&mut e, &store, "i");
    assert!(text(&render(&e, 80, 24)).contains(">Resume<"));
    key(&mut e, &store, KeyCode::Enter);
    assert!(e.intake.is_some());
}

/// The serial-conflict mark stays on its cell while the rest of the row is
/// typed, and a serial left with Enter (typing a batch) is checked too.
#[test]
fn the_serial_conflict_mark_stays_on_its_cell() {
    let (_dir, store) = register();
    let serial: String = store
        .conn()
        .query_row(
            "SELECT serial FROM units WHERE status = 'included' ORDER BY id LIMIT 1",
            [],
            |r| r.get(0),
        )
        .unwrap();
    let drafts = tempfile::tempdir().unwrap();
    let mut a = desk(&store, Lang::En, drafts.path());
    chars(&mut a, &store, "i");
    key(&mut a, &store, KeyCode::F(6));
    key(&mut a, &store, KeyCode::Right);
    key(&mut a, &store, KeyCode::Right);
    chars(&mut a, &store, &serial);
    key(&mut a, &store, KeyCode::Tab); // on to the next cell
    chars(&mut a, &store, "Bitmain S21");
    let warning = |a: &App, r: usize| a.intake.as_ref().unwrap().units.rows[r].warning.clone();
    assert!(warning(&a, 0).is_some(), "kept while the row is typed");
    let t = text(&render(&a, 80, 24));
    assert!(t.contains("already in the register (entry"), "{t}");
    // Editing the serial itself drops it; leaving the cell checks again.
    key(&mut a, &store, KeyCode::BackTab);
    key(&mut a, &store, KeyCode::Backspace);
    assert!(warning(&a, 0).is_none());
    chars(&mut a, &store, &serial[serial.len() - 1..]);
    key(&mut a, &store, KeyCode::Tab);
    assert!(warning(&a, 0).is_some());
    // Enter on a serial of the last row: a new row below, the serial checked.
    key(&mut a, &store, KeyCode::BackTab);
    key(&mut a, &store, KeyCode::Enter);
    let it = a.intake.as_ref().unwrap();
    assert_eq!(it.units.rows.len(), 2);
    chars(&mut a, &store, &serial);
    key(&mut a, &store, KeyCode::Enter);
    assert!(warning(&a, 1).is_some(), "checked on Enter");
    // Closed and resumed from its draft: the marks are back.
    key(&mut a, &store, KeyCode::Esc);
    assert!(a.intake.is_none());
    chars(&mut a, &store, "i");
    key(&mut a, &store, KeyCode::Enter);
    assert!(warning(&a, 0).is_some() && warning(&a, 1).is_some());
}

/// The `?` help of every pane, for every role and language, at 80×24: its
/// last line is on screen, so no key above it was cut; and nothing panics
/// down to 1×1.
#[test]
fn the_help_of_every_pane_fits_80x24() {
    use tizilim::tui::commands;
    let (_dir, store) = register();
    for lang in [Lang::En, Lang::Ru, Lang::Kk] {
        let tr = Tr::new(lang);
        for role in [Role::Operator, Role::Clerk, Role::Supervisor] {
            for number in [
                fixture::UNDER_REVIEW,
                fixture::HEARING_HELD,
                fixture::REFUSED,
            ] {
                let mut a = App::new(
                    store.conn(),
                    Tr::new(lang),
                    MONO,
                    "aigerim".into(),
                    role,
                    now(),
                    (80, 24),
                )
                .unwrap();
                open(&mut a, &store, number);
                for pane in ["2", "1", "3", "4", "5", "6", "2"] {
                    chars(&mut a, &store, pane);
                    let off: Vec<_> = commands::of(&a)
                        .into_iter()
                        .filter(|c| !c.available())
                        .collect();
                    chars(&mut a, &store, "?");
                    assert!(a.help);
                    let t = text(&render(&a, 80, 24));
                    let last = if off.is_empty() {
                        "q F10".to_string()
                    } else {
                        tr.a("help-unavailable", &[("keys", "")])
                            .chars()
                            .take(20)
                            .collect()
                    };
                    assert!(t.contains(&last), "{role:?} {pane}: {last:?} cut: {t}");
                    for (w, h) in [(40, 12), (30, 8), (20, 5), (1, 1)] {
                        render(&a, w, h);
                    }
                    key(&mut a, &store, KeyCode::Esc);
                    assert!(!a.help);
                }
            }
        }
    }
}

/// Every word of `label` on the screen whole (issue 17: never mid-word).
fn words_whole(t: &str, label: &str) -> bool {
    label.split_whitespace().all(|w| {
        t.split(|c: char| c.is_whitespace() || c == '│')
            .any(|x| x == w || x.trim_end_matches(':') == w)
    })
}

/// Issue 17: the desk's ABK table at 40×12 broke its seven headings
/// mid-word; it shows the columns around the cursor's whole and the rest
/// of the row on the line below. The documents' kind (the Rules' words)
/// wraps instead of losing its end once a "valid until" date is typed.
#[test]
fn the_intake_tables_cut_no_heading_and_no_document_kind() {
    let (_dir, store) = register();
    for lang in [Lang::Kk, Lang::Ru] {
        let drafts = tempfile::tempdir().unwrap();
        let mut a = desk(&store, lang, drafts.path());
        a.update(store.conn(), Msg::Resize(40, 12)).unwrap();
        chars(&mut a, &store, "i");
        key(&mut a, &store, KeyCode::F(6));
        let heads = [
            "intake-col-brand",
            "col-model",
            "col-serial",
            "col-hashrate",
            "col-power",
            "intake-col-declaration",
            "intake-col-condition",
        ];
        let typed = [
            "Bitmain",
            "Antminer S19j Pro",
            "DESK000001",
            "104",
            "3,07",
            "10228110823/7603119",
            "",
        ];
        for (col, value) in typed.iter().enumerate() {
            chars(&mut a, &store, value);
            let t = text(&render(&a, 40, 12));
            if col == 0 {
                insta::assert_snapshot!(format!("tui_{}_40x12_intake_units", lang_name(lang)), t);
            }
            for h in heads {
                let h = a.tr.t(h);
                assert!(words_whole(&t, &h), "{lang:?} col {col}: {h}\n{t}");
            }
            key(&mut a, &store, KeyCode::Tab);
        }
        key(&mut a, &store, KeyCode::F(7));
        let kind = a.tr.t("doc-ownership_proof");
        for (w, h) in [(80u16, 24u16), (40, 12)] {
            a.update(store.conn(), Msg::Resize(w, h)).unwrap();
            let t = text(&render(&a, w, h));
            assert!(words_whole(&t, &kind), "{lang:?} {w}x{h}: {kind}\n{t}");
        }
        key(&mut a, &store, KeyCode::Tab);
        key(&mut a, &store, KeyCode::Tab);
        chars(&mut a, &store, "31.12.2027");
        for (w, h) in [(80u16, 24u16), (40, 12)] {
            a.update(store.conn(), Msg::Resize(w, h)).unwrap();
            let t = text(&render(&a, w, h));
            assert!(t.contains("31.12.2027"), "{lang:?} {w}x{h}\n{t}");
            assert!(words_whole(&t, &kind), "{lang:?} {w}x{h}: {kind}\n{t}");
            if lang == Lang::Ru && w == 80 {
                insta::assert_snapshot!("tui_ru_80x24_intake_documents_dated", t);
            }
        }
    }
}

/// Issue 17: the pane header row never cuts a pane's title mid-word, at
/// any width down to the least (30; the selected pane's title whole, or its number).
#[test]
fn the_header_row_cuts_no_title() {
    let (_dir, store) = register();
    for lang in [Lang::Kk, Lang::Ru] {
        let mut a = app(&store, lang, MONO);
        for pane in ["1", "3", "4", "5", "6"] {
            chars(&mut a, &store, pane);
            let title = a.tr.t(a.pane.title_id());
            for w in tizilim::tui::view::MIN.0..=40u16 {
                let b = render(&a, w, 12);
                let row: String = (0..w).map(|x| b[(x, 0)].symbol()).collect();
                for word in row.split_whitespace() {
                    assert!(
                        word.chars().all(|c| c.is_ascii_digit())
                            || title.split_whitespace().any(|t| t == word)
                            // The login and role beside ("aigerim (маман)").
                            || word == "aigerim"
                            || (word.starts_with('(') && word.ends_with(')')),
                        "{lang:?} {w}: {word:?} in {row:?}"
                    );
                }
            }
        }
    }
}
