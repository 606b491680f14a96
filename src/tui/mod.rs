//! The console: `tizilim` with no subcommand. Elm-shaped — [`state`] holds
//! everything shown, [`state::App::update`] applies a [`state::Msg`], [`view`]
//! draws — with one file per pane and one keymap ([`keys::KEYMAP`]).
//!
//! Built for slow links: a frame is drawn only when something changed (a key,
//! another session's commit seen through `PRAGMA data_version`, a new day);
//! bursts of input become one frame; each frame is wrapped in synchronized-
//! update escapes and carries only the cells that changed. An idle console
//! writes nothing. A panic, SIGHUP or SIGTERM restores the terminal.

pub mod i18n;
pub mod keys;
pub mod panes;
pub mod state;
pub mod theme;
pub mod view;

use std::io::{BufWriter, Write};
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::{Duration, Instant};

use chrono::Utc;
use crossterm::event::{self, Event};
use crossterm::terminal::{
    BeginSynchronizedUpdate, Clear, ClearType, EndSynchronizedUpdate, EnterAlternateScreen,
    LeaveAlternateScreen, disable_raw_mode, enable_raw_mode,
};
use crossterm::{cursor, execute, queue};
use ratatui::Terminal;
use ratatui::backend::CrosstermBackend;

use crate::cli::{Failure, Lang, Outcome};
use crate::store::{Store, services};
use state::{App, Msg};

/// How often the console looks for other sessions' commits and a new day.
pub const POLL: Duration = Duration::from_millis(500);

pub struct Options {
    pub lang: Lang,
    pub ascii: bool,
}

fn restore() {
    let _ = disable_raw_mode();
    let mut out = std::io::stdout();
    let _ = execute!(
        out,
        EndSynchronizedUpdate,
        LeaveAlternateScreen,
        cursor::Show
    );
}

/// Opens the console on the register for the OS login.
pub fn run(store: Store, login: String, opts: Options) -> Outcome {
    let tr = i18n::Tr::new(opts.lang);
    let Some(role) = services::role_of(store.conn(), &login)? else {
        // Reading needs a role: the register holds personal data.
        eprintln!(
            "{}",
            tr.a("msg-no-role", &[("login", &theme::inert(&login, 64))])
        );
        return Ok(1);
    };
    let theme = theme::Theme::from_env(opts.ascii);
    let size = crossterm::terminal::size().unwrap_or((80, 24));
    let mut app = App::new(store.conn(), tr, theme, login, role, Utc::now(), size)?;

    let stop = Arc::new(AtomicBool::new(false));
    for sig in [
        signal_hook::consts::SIGTERM,
        signal_hook::consts::SIGHUP,
        signal_hook::consts::SIGINT,
    ] {
        signal_hook::flag::register(sig, Arc::clone(&stop))
            .map_err(|e| Failure(format!("signal handler: {e}")))?;
    }
    let previous = std::panic::take_hook();
    std::panic::set_hook(Box::new(move |info| {
        restore();
        previous(info);
    }));

    enable_raw_mode()?;
    let mut out = BufWriter::with_capacity(64 * 1024, std::io::stdout());
    // Cleared here rather than with `Terminal::clear`, which asks the terminal
    // for the cursor position: a round trip on a slow link.
    execute!(
        out,
        EnterAlternateScreen,
        cursor::Hide,
        Clear(ClearType::All)
    )?;
    let result = (|| -> Outcome {
        let mut terminal = Terminal::new(CrosstermBackend::new(out))?;
        frame(&mut terminal, &app)?;
        let mut next_poll = Instant::now() + POLL;
        while !app.quit && !stop.load(Ordering::Relaxed) {
            let wait = next_poll.saturating_duration_since(Instant::now());
            let mut dirty = false;
            if event::poll(wait)? {
                // Collapse a burst (a held key, a paste, a slow link's backlog)
                // into one frame.
                loop {
                    let msg = match event::read()? {
                        Event::Key(k) => Some(Msg::Key(k)),
                        Event::Resize(w, h) => Some(Msg::Resize(w, h)),
                        _ => None,
                    };
                    if let Some(m) = msg {
                        dirty |= app.update(store.conn(), m)?;
                    }
                    if app.quit || !event::poll(Duration::ZERO)? {
                        break;
                    }
                }
            }
            if Instant::now() >= next_poll {
                dirty |= app.update(store.conn(), Msg::Tick(Utc::now()))?;
                next_poll = Instant::now() + POLL;
            }
            if dirty && !app.quit {
                frame(&mut terminal, &app)?;
            }
        }
        Ok(0)
    })();
    restore();
    result
}

/// One frame, wrapped in synchronized-update escapes.
fn frame<W: Write>(terminal: &mut Terminal<CrosstermBackend<W>>, app: &App) -> Outcome {
    queue!(terminal.backend_mut(), BeginSynchronizedUpdate)?;
    terminal.draw(|f| view::draw(f, app))?;
    execute!(terminal.backend_mut(), EndSynchronizedUpdate)?;
    Ok(0)
}
