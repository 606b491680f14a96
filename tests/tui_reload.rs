//! The console's partial reload after another session's commit (issue 18):
//! only the cases the journal's new rows name are read again and re-placed.
//! After each act of a second process (intake, hearing notice and record, a
//! decision, a complaint lodged and forwarded, a calendar amendment), the
//! console that reloaded only what changed holds and draws exactly what a
//! console opened afresh does: the same queue, the same running clocks in the
//! same order, the same screen on every list pane.

mod common;

use chrono::{DateTime, Utc};
use common::{Register, stderr};
use ratatui::Terminal;
use ratatui::backend::TestBackend;
use ratatui::buffer::Buffer;
use serde_json::Value;
use tizilim::i18n::{Lang, Tr};
use tizilim::rules::Role;
use tizilim::store::Store;
use tizilim::store::read::changes;
use tizilim::tui::state::{App, Msg, Pane};
use tizilim::tui::theme::Theme;

/// The demo's "now" (a Thursday in office hours), the consoles' too.
const NOW: &str = "2025-11-27T11:00:00+05:00";

fn now() -> DateTime<Utc> {
    DateTime::parse_from_rfc3339(NOW)
        .unwrap()
        .with_timezone(&Utc)
}

fn console(store: &Store) -> App {
    App::new(
        store.conn(),
        Tr::new(Lang::En),
        Theme {
            color: true,
            ascii: false,
        },
        "admin".into(),
        Role::Admin,
        now(),
        (80, 24),
    )
    .unwrap()
}

fn render(app: &App) -> Buffer {
    let mut t = Terminal::new(TestBackend::new(80, 24)).unwrap();
    t.draw(|f| tizilim::tui::view::draw(f, app)).unwrap();
    t.backend().buffer().clone()
}

fn ok(reg: &Register, args: &[&str]) -> String {
    let o = reg.run(args);
    assert!(o.status.success(), "{args:?}: {}", stderr(&o));
    common::stdout(&o)
}

/// The console `a` (reloaded in part) against one opened afresh: the
/// snapshot (queue keys and every running clock, in order), the queue's
/// list, and the screen of each list pane.
fn assert_as_fresh(a: &mut App, store: &Store, what: &str) {
    let fresh_store = Store::open(store.path()).unwrap();
    let mut b = console(&fresh_store);
    assert_eq!(a.snap.queue, b.snap.queue, "{what}: the queue's keys");
    assert_eq!(
        format!("{:?}", a.snap.deadlines),
        format!("{:?}", b.snap.deadlines),
        "{what}: the running clocks"
    );
    assert_eq!(a.queue.ids, b.queue.ids, "{what}: the queue's cases");
    let pane = a.pane;
    for p in [Pane::Queue, Pane::Hearings, Pane::Complaints, Pane::Monitor] {
        a.pane = p;
        b.pane = p;
        a.sync(store.conn()).unwrap();
        b.sync(fresh_store.conn()).unwrap();
        assert_eq!(
            render(a),
            render(&b),
            "{what}: pane {p:?} drawn after the partial reload and afresh"
        );
    }
    a.pane = pane;
}

#[test]
fn a_partial_reload_shows_what_a_full_one_does() {
    let reg = Register::new();
    let out = reg.run(&["demo", "--cases", "300", "--units", "2000", "--at", NOW]);
    assert!(out.status.success(), "{}", stderr(&out));
    // Most demo cases are decided by its "now": every one made open (in the
    // read model only, as the console bench does), so that the touched cases
    // are re-placed among hundreds of queue keys and running clocks.
    reg.sql()
        .execute(
            &format!(
                "UPDATE cases SET stage = 'under_review' WHERE stage NOT IN ({})",
                tizilim::rules::Stage::open_sql_list()
            ),
            [],
        )
        .unwrap();
    let store = Store::open(&reg.db).unwrap();
    let mut a = console(&store);
    // Open cases and running clocks among which the touched ones are re-placed.
    assert!(a.snap.queue.len() > 200, "{} open", a.snap.queue.len());
    assert!(
        a.snap.deadlines.len() > 200,
        "{} clocks",
        a.snap.deadlines.len()
    );
    let tick = |a: &mut App| a.update(store.conn(), Msg::Tick(now())).unwrap();
    assert!(!tick(&mut a), "nothing committed: nothing to draw");

    let examples = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("examples");
    let intake = |file: &str| -> String {
        let v: Value = serde_json::from_str(&ok(
            &reg,
            &["intake", "--json", examples.join(file).to_str().unwrap()],
        ))
        .unwrap();
        v[0]["case"].as_str().unwrap().to_string()
    };

    // A new case: it enters the queue at its place.
    let before = a.queue.ids.len();
    let case = intake("inclusion.json");
    let seen = changes::since(store.conn(), a.journal_seen).unwrap();
    assert_eq!(
        seen.cases,
        std::slice::from_ref(&case),
        "the journal names the new case"
    );
    assert!(tick(&mut a));
    assert_eq!(a.queue.ids.len(), before + 1);
    assert_as_fresh(&mut a, &store, "intake");

    // Its hearing notice, the hearing, the decision (late, with a reason).
    ok(
        &reg,
        &[
            "hearing",
            "notify",
            &case,
            "--ground",
            "1",
            "--reason",
            "The lease is unsigned.",
            "--sent-on",
            "2025-03-27",
            "--at",
            "2025-03-31T11:00",
            "--place",
            "Astana, room 402",
        ],
    );
    assert!(tick(&mut a));
    assert_as_fresh(&mut a, &store, "hearing notified");
    ok(
        &reg,
        &["hearing", "record", &case, "--held", "--on", "2025-03-31"],
    );
    assert!(tick(&mut a));
    assert_as_fresh(&mut a, &store, "hearing held");
    ok(
        &reg,
        &[
            "case",
            "decide",
            &case,
            "include",
            "--on",
            "2025-04-04",
            "--late-reason",
            "The signed lease arrived by post on 03.04.",
        ],
    );
    assert!(tick(&mut a));
    let id: i64 = store
        .conn()
        .query_row("SELECT id FROM cases WHERE number = ?1", [&case], |r| {
            r.get(0)
        })
        .unwrap();
    assert!(
        !a.queue.ids.contains(&id),
        "a decided case leaves the queue"
    );
    assert_as_fresh(&mut a, &store, "decided");

    // An incomplete package refused, a complaint lodged and forwarded: the
    // complaint's clocks come and go with it.
    let b = intake("incomplete.json");
    assert!(tick(&mut a));
    ok(
        &reg,
        &["case", "decide", &b, "refuse", "--on", "2025-05-14"],
    );
    assert!(tick(&mut a));
    assert_as_fresh(&mut a, &store, "refused");
    let lodged: Value = serde_json::from_str(&ok(
        &reg,
        &[
            "complaint",
            "lodge",
            &b,
            "--to",
            "provider",
            "--text",
            "We sent the missing lease.",
            "--received",
            "2025-11-26T10:00",
            "--json",
        ],
    ))
    .unwrap();
    let cmp = lodged["complaint"].as_str().unwrap().to_string();
    let seen = changes::since(store.conn(), a.journal_seen).unwrap();
    assert_eq!(
        seen.cases,
        std::slice::from_ref(&b),
        "a complaint stands for its case"
    );
    assert!(tick(&mut a));
    assert!(
        a.snap
            .deadlines
            .iter()
            .any(|d| d.complaint.as_deref() == Some(&cmp)),
        "the complaint's clock runs"
    );
    assert_as_fresh(&mut a, &store, "complaint lodged");

    // A commit that touches no case (a user added): nothing to draw.
    ok(&reg, &["user", "add", "someoneelse", "--role", "clerk"]);
    assert!(!tick(&mut a), "a user added: nothing shown changed");
    assert_as_fresh(&mut a, &store, "user added");

    // A calendar amendment moves every due date: everything read again.
    ok(
        &reg,
        &[
            "calendar",
            "amend",
            "--date",
            "2025-12-01",
            "--day-off",
            "--act",
            "Test decree No. 1",
        ],
    );
    let seen = changes::since(store.conn(), a.journal_seen).unwrap();
    assert!(seen.everything);
    assert!(tick(&mut a));
    assert_as_fresh(&mut a, &store, "calendar amended");
}
