//! The console at national scale. Point `TIZILIM_BENCH_DB` at a register made
//! with `tizilim demo --cases 100000 --units 1000000` (else a small demo is
//! built in a temporary folder):
//!
//! ```sh
//! cargo run --release -- --db /tmp/national.sqlite demo --cases 100000 --units 1000000
//! TIZILIM_BENCH_DB=/tmp/national.sqlite cargo bench --bench console
//! ```
//!
//! Criterion measures the first frame (open the register, read the queue and
//! every running clock, draw 80×24), a queue page and the reload after another
//! session's commit with 100,000 open cases (every case made open inside a
//! transaction that is rolled back). Then,
//! through a pseudo-terminal with the real binary: the time to the first frame,
//! the console's peak memory, and the bytes a queue move sends at 80×24.
//!
//! With `TIZILIM_BENCH_PG` naming a PostgreSQL register (the same register
//! copied there: `tizilim --db FILE migrate --to URL`), the first frame is
//! measured on it too, beside the file's (issue 22).

use std::hint::black_box;
use std::io::{Read, Write};
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use chrono::Utc;
use criterion::{Criterion, criterion_group};
use portable_pty::{CommandBuilder, PtySize, native_pty_system};
use ratatui::Terminal;
use ratatui::backend::TestBackend;
use tizilim::i18n::Lang;
use tizilim::i18n::Tr;
use tizilim::rules::Role;
use tizilim::store::Store;
use tizilim::store::read::changes;
use tizilim::store::read::queue::{self as read, View};
use tizilim::tui::state::App;
use tizilim::tui::theme::Theme;

fn register() -> (Option<tempfile::TempDir>, PathBuf) {
    if let Some(p) = std::env::var_os("TIZILIM_BENCH_DB") {
        return (None, PathBuf::from(p));
    }
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("bench.sqlite");
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_tizilim"))
        .args([
            "--db",
            db.to_str().unwrap(),
            "demo",
            "--cases",
            "2000",
            "--units",
            "20000",
        ])
        .output()
        .unwrap();
    assert!(out.status.success());
    (Some(dir), db)
}

fn role(store: &Store) -> (tizilim::rules::Login, Role) {
    let login = tizilim::cli::os_login().unwrap();
    let role = tizilim::store::services::role_of(store.conn(), &login)
        .unwrap()
        .unwrap_or(Role::Clerk);
    (login, role)
}

/// The console as the clerk `login` opens it now, in English, at 80×24.
fn console(db: &dyn tizilim::store::engine::Conn, login: tizilim::rules::Login, role: Role) -> App {
    App::new(
        db,
        Tr::new(Lang::En),
        Theme {
            color: true,
            ascii: false,
        },
        login,
        role,
        Utc::now(),
        (80, 24),
    )
    .unwrap()
}

fn first_frame(db: &Path) -> usize {
    let store = Store::open(db).unwrap();
    let (login, role) = role(&store);
    let app = console(store.conn(), login, role);
    let mut t = Terminal::new(TestBackend::new(80, 24)).unwrap();
    t.draw(|f| tizilim::tui::view::draw(f, &app)).unwrap();
    app.queue.ids.len()
}

/// The same first frame on a PostgreSQL register: connect, read, draw.
fn first_frame_on_postgresql(url: &tizilim::store::sql::locator::PgUrl) -> usize {
    let login = tizilim::cli::os_login().unwrap();
    let reg = tizilim::store::engine::PgRegister::open(url, &login).unwrap();
    let role = tizilim::store::services::role_of(reg.db(), &login)
        .unwrap()
        .unwrap_or(Role::Clerk);
    let app = console(&reg, login, role);
    let mut t = Terminal::new(TestBackend::new(80, 24)).unwrap();
    t.draw(|f| tizilim::tui::view::draw(f, &app)).unwrap();
    app.queue.ids.len()
}

fn bench(c: &mut Criterion) {
    let (_dir, db) = register();
    c.bench_function("first frame (open, queue, every clock, draw 80x24)", |b| {
        b.iter(|| black_box(first_frame(&db)))
    });
    if let Some(url) = std::env::var_os("TIZILIM_BENCH_PG") {
        let url = tizilim::store::sql::locator::PgUrl::parse(&url.to_string_lossy()).unwrap();
        c.bench_function(
            "first frame on PostgreSQL (connect, queue, every clock, draw)",
            |b| b.iter(|| black_box(first_frame_on_postgresql(&url))),
        );
    }

    // Every case open, inside a transaction rolled back at the end.
    let store = Store::open(&db).unwrap();
    let law = store.law().unwrap();
    let today = law.calendar.local_date(Utc::now());
    store.conn().execute_batch("BEGIN").unwrap();
    store
        .conn()
        .execute(
            &format!(
                "UPDATE cases SET stage = 'under_review' WHERE stage NOT IN ({})",
                tizilim::rules::Stage::open_sql_list()
            ),
            [],
        )
        .unwrap();
    let open: i64 = store
        .conn()
        .query_row("SELECT count(*) FROM cases", [], |r| r.get(0))
        .unwrap();
    let mut g = c.benchmark_group(format!("queue with {open} open cases"));
    g.sample_size(10);
    g.bench_function(
        "snapshot (every open case's next due date and clocks)",
        |b| {
            b.iter(|| {
                black_box(
                    read::snapshot(store.conn(), &law, today)
                        .unwrap()
                        .queue
                        .len(),
                )
            })
        },
    );
    let snap = read::snapshot(store.conn(), &law, today).unwrap();
    let keys = snap.view(View::Open);
    let middle = keys[keys.len() / 2];
    g.bench_function("one page of 18 rows after a key (keyset)", |b| {
        b.iter(|| {
            let page = read::page_after(&keys, Some(middle), 18);
            let ids: Vec<i64> = page.iter().map(|k| k.id).collect();
            black_box(read::rows(store.conn(), &law, today, &ids).unwrap().len())
        })
    });
    // Another session's commit, every case open: the console reads the
    // journal's rows after the last it saw and re-places only the cases they
    // name (`App::refresh`), against reading everything again (`App::reload`,
    // what it did before issue 18).
    let (login, role) = role(&store);
    let mut app = console(store.conn(), login, role);
    // The last journal row of each kind: the commit replayed (an intake, a
    // hearing notice, a decision).
    for kind in ["case_registered", "hearing_notified", "decision_issued"] {
        let Ok(last) = store.conn().query_row(
            "SELECT seq FROM journal WHERE kind = ?1 ORDER BY seq DESC LIMIT 1",
            [kind],
            |r| r.get::<_, i64>(0),
        ) else {
            continue;
        };
        // That row alone (the journal after it holds many more in a demo).
        let mut one = changes::since(store.conn(), last - 1).unwrap();
        one.cases.truncate(1);
        g.bench_function(
            format!("reload per foreign commit ({kind}): the case it touched (App::refresh)"),
            |b| {
                b.iter(|| {
                    let seen = changes::since(store.conn(), one.head).unwrap();
                    assert!(!seen.any());
                    black_box(app.take_changes(store.conn(), one.clone()).unwrap())
                })
            },
        );
    }
    g.bench_function("reload per foreign commit: everything (App::reload)", |b| {
        b.iter(|| {
            app.reload(store.conn()).unwrap();
            black_box(app.queue.ids.len())
        })
    });
    g.finish();
    store.conn().execute_batch("ROLLBACK").unwrap();
    form_keystroke(c, &db);
}

/// A key typed in the hearing-date field of the preliminary refusal: the
/// form re-checks §12 (the notice's last day, the hearing's two working days,
/// a day off) and the screen is drawn at 80×24 — what every keystroke costs.
fn form_keystroke(c: &mut Criterion, db: &Path) {
    use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
    use tizilim::tui::state::Msg;
    let store = Store::open(db).unwrap();
    let Ok(number) = store.conn().query_row(
        "SELECT number FROM cases WHERE stage = 'under_review' ORDER BY id DESC LIMIT 1",
        [],
        |r| r.get::<_, String>(0),
    ) else {
        return;
    };
    let (login, role) = role(&store);
    let mut app = console(store.conn(), login, role);
    let key = |app: &mut App, code: KeyCode| {
        app.update(
            store.conn(),
            Msg::Key(KeyEvent::new(code, KeyModifiers::NONE)),
        )
        .unwrap();
    };
    key(&mut app, KeyCode::Char('/'));
    for ch in number.chars() {
        key(&mut app, KeyCode::Char(ch));
    }
    key(&mut app, KeyCode::Enter);
    key(&mut app, KeyCode::Enter);
    key(&mut app, KeyCode::Char('p'));
    if app.form.is_none() {
        return;
    }
    for _ in 0..3 {
        key(&mut app, KeyCode::Tab);
    }
    let mut t = Terminal::new(TestBackend::new(80, 24)).unwrap();
    c.bench_function("a key in the §12 form: re-check and draw 80x24", |b| {
        b.iter(|| {
            key(&mut app, KeyCode::Backspace);
            key(&mut app, KeyCode::Char('5'));
            t.draw(|f| tizilim::tui::view::draw(f, &app)).unwrap();
        })
    });
}

criterion_group!(benches, bench);

/// Bytes a queue move sends, time to the first frame and peak memory, with
/// the real binary in a pseudo-terminal at 80×24.
fn through_a_pty() {
    let (_dir, db) = register();
    let pair = native_pty_system()
        .openpty(PtySize {
            rows: 24,
            cols: 80,
            pixel_width: 0,
            pixel_height: 0,
        })
        .unwrap();
    let mut cmd = CommandBuilder::new(env!("CARGO_BIN_EXE_tizilim"));
    cmd.args(["--db", db.to_str().unwrap()]);
    cmd.env("TERM", "xterm-256color");
    cmd.env("TIZILIM_LANG", "en");
    let started = Instant::now();
    let mut child = pair.slave.spawn_command(cmd).unwrap();
    drop(pair.slave);
    let mut reader = pair.master.try_clone_reader().unwrap();
    let mut writer = pair.master.take_writer().unwrap();
    let bytes = Arc::new(Mutex::new(Vec::<u8>::new()));
    let b = Arc::clone(&bytes);
    std::thread::spawn(move || {
        let mut buf = [0u8; 65536];
        while let Ok(n) = reader.read(&mut buf) {
            if n == 0 {
                break;
            }
            b.lock().unwrap().extend_from_slice(&buf[..n]);
        }
    });
    let text = |b: &Arc<Mutex<Vec<u8>>>| String::from_utf8_lossy(&b.lock().unwrap()).into_owned();
    let wait = |what: &str| {
        let t = Instant::now();
        while !text(&bytes).contains(what) {
            assert!(t.elapsed() < Duration::from_secs(30), "{what:?} never came");
            std::thread::sleep(Duration::from_millis(1));
        }
    };
    wait("overdue:");
    let first = started.elapsed();
    let pid = child.process_id().unwrap();
    let settle = || {
        let mut last = bytes.lock().unwrap().len();
        loop {
            std::thread::sleep(Duration::from_millis(80));
            let now = bytes.lock().unwrap().len();
            if now == last {
                return now;
            }
            last = now;
        }
    };
    writer.write_all(b"/ABK\r").unwrap();
    let mut before = settle();
    let mut costs = Vec::new();
    for _ in 0..60 {
        writer.write_all(b"j").unwrap();
        let after = settle();
        costs.push(after - before);
        before = after;
    }
    let hwm = std::fs::read_to_string(format!("/proc/{pid}/status"))
        .unwrap_or_default()
        .lines()
        .find(|l| l.starts_with("VmHWM"))
        .unwrap_or("VmHWM: ?")
        .to_string();
    writer.write_all(b"q").unwrap();
    let _ = child.wait();
    costs.sort_unstable();
    println!(
        "through a pty at 80x24 ({}): first frame after {:.0} ms; peak memory {}; \
         bytes per queue move: median {}, min {}, max {} (60 moves, scrolls included)",
        db.display(),
        first.as_secs_f64() * 1000.0,
        hwm.trim_start_matches("VmHWM:").trim(),
        costs[costs.len() / 2],
        costs[0],
        costs[costs.len() - 1]
    );
}

fn main() {
    benches();
    through_a_pty();
    Criterion::default().configure_from_args().final_summary();
}
