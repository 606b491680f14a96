//! The console: `tizilim` with no subcommand. Elm-shaped — [`state`] holds
//! everything shown, [`state::App::update`] applies a [`state::Msg`], [`view`]
//! draws — with one file per pane and one keymap ([`keys::KEYMAP`]).
//!
//! Built for slow links: a frame is drawn only when something changed (a key,
//! another session's commit seen through `PRAGMA data_version` on a file or
//! `LISTEN` on PostgreSQL, a new day);
//! bursts of input become one frame; each frame carries only the cells that
//! changed and only the escapes they need ([`wire`]: the terminal's colours,
//! attributes and cursor are remembered between frames), wrapped in
//! synchronized-update escapes; a frame that changes nothing (another
//! session's commit that leaves the screen as it was) sends nothing. An idle
//! console writes nothing. A panic, SIGHUP or SIGTERM restores the terminal.
//!
//! Never frozen (issue 17): saves run on a worker thread ([`worker`]) that
//! owns the register's second connection; `update` hands it a job and the
//! loop feeds its answer back as `Msg::Done`, looking for it every
//! [`WORKING`] while one runs. Reads stay here (WAL: a reader never waits).

pub mod actions;
pub mod commands;
pub mod filter;
pub mod form;
pub mod intake;
pub mod keys;
pub mod panes;
pub mod register;
pub mod state;
pub mod theme;
pub mod view;
pub mod wire;
pub mod worker;

use std::io::{BufWriter, Write};
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::{Duration, Instant};

use chrono::Utc;
use crossterm::event::{self, DisableBracketedPaste, EnableBracketedPaste, Event};
use crossterm::terminal::{
    Clear, ClearType, EndSynchronizedUpdate, EnterAlternateScreen, LeaveAlternateScreen,
    disable_raw_mode, enable_raw_mode,
};
use crossterm::{cursor, execute};
use ratatui::Terminal;

use crate::i18n::{Lang, Message};
use crate::store::engine::Conn;
use crate::store::services;
use state::{App, Msg};

/// Why the console could not start or had to stop: the register's refusal,
/// the terminal's failure, or a setting the console cannot use.
#[derive(Debug, thiserror::Error)]
pub enum Error {
    #[error(transparent)]
    Store(#[from] crate::store::Error),
    #[error("terminal: {0}")]
    Terminal(#[from] std::io::Error),
    #[error("{0:?}")]
    Setting(Message),
}

/// The console's exit status when it ends by itself (0, or 1 for a login
/// without a role, who is told so).
pub type Outcome = Result<i32, Error>;

/// How often the console looks for other sessions' commits and a new day.
pub const POLL: Duration = Duration::from_millis(500);

/// How often the console looks for the worker's answer while a save runs.
pub const WORKING: Duration = Duration::from_millis(20);

pub struct Options {
    pub lang: Lang,
    pub ascii: bool,
}

/// The console's clock: the system's, or one that starts at `TIZILIM_NOW`
/// (RFC 3339) and runs from there — for training on a demo register and for
/// tests that walk a case across days. The installed set-ID program refuses
/// it: acts in the real register bear the real time.
#[derive(Debug, Clone, Copy)]
pub struct Clock {
    offset: chrono::TimeDelta,
}

impl Clock {
    pub fn from_env() -> Result<Clock, Error> {
        let Some(v) = std::env::var_os("TIZILIM_NOW").filter(|v| !v.is_empty()) else {
            return Ok(Clock {
                offset: chrono::TimeDelta::zero(),
            });
        };
        if crate::privilege::is_set_id() {
            return Err(Error::Setting(Message::new("err-now-set-id")));
        }
        let s = v.to_string_lossy();
        let at = chrono::DateTime::parse_from_rfc3339(&s).map_err(|e| {
            Error::Setting(
                Message::new("err-now-invalid")
                    .arg("value", &s)
                    .arg("reason", e),
            )
        })?;
        Ok(Clock {
            offset: at.with_timezone(&Utc) - Utc::now(),
        })
    }

    pub fn now(&self) -> chrono::DateTime<Utc> {
        Utc::now() + self.offset
    }
}

fn restore() {
    let _ = disable_raw_mode();
    let mut out = std::io::stdout();
    let _ = execute!(
        out,
        EndSynchronizedUpdate,
        // The frames leave the pen as their last cell had it.
        crossterm::style::SetAttribute(crossterm::style::Attribute::Reset),
        DisableBracketedPaste,
        LeaveAlternateScreen,
        cursor::Show
    );
}

/// Opens the console on the register for the OS login, on either engine:
/// `conn` reads (and sees other sessions' commits: [`Conn::commits`]);
/// `writer`, the register's second connection, goes to the worker that runs
/// the console's saves ([`worker`]).
pub fn run(
    mut conn: Box<dyn Conn>,
    writer: Box<dyn Conn>,
    login: crate::rules::Login,
    opts: Options,
) -> Outcome {
    let db = conn.as_ref();
    let tr = crate::i18n::Tr::new(opts.lang);
    let Some(role) = services::role_of(db, &login)? else {
        // Reading needs a role: the register holds personal data.
        eprintln!(
            "{}",
            tr.a("msg-no-role", &[("login", &theme::inert(&login, 64))])
        );
        return Ok(1);
    };
    let theme = theme::Theme::from_env(opts.ascii);
    // `ssh -tt` from a client without a terminal reports 0×0: draw at 80×24.
    // A huge one (the client says what it likes) is drawn within the cap.
    let size = crossterm::terminal::size()
        .ok()
        .filter(|(w, h)| *w > 0 && *h > 0)
        .unwrap_or((80, 24));
    let clock = Clock::from_env()?;
    let mut app = App::new(db, tr, theme, login, role, clock.now(), size)?;
    if let Some(dir) = intake::drafts_dir_from_env() {
        app = app.with_drafts(dir);
    }
    app = app.with_notices(crate::files::notices_dir());
    let writer = worker::Worker::spawn(writer)?;
    app.worker = true;

    let stop = Arc::new(AtomicBool::new(false));
    for sig in [
        signal_hook::consts::SIGTERM,
        signal_hook::consts::SIGHUP,
        signal_hook::consts::SIGINT,
    ] {
        signal_hook::flag::register(sig, Arc::clone(&stop)).map_err(Error::Terminal)?;
    }
    watch_the_terminal(Arc::clone(&stop));
    let previous = std::panic::take_hook();
    std::panic::set_hook(Box::new(move |info| {
        restore();
        previous(info);
    }));

    enable_raw_mode()?;
    let mut out = BufWriter::with_capacity(64 * 1024, std::io::stdout());
    // Cleared here rather than with `Terminal::clear`, which asks the terminal
    // for the cursor position: a round trip on a slow link. The first frame
    // hides the cursor (`wire`), once.
    execute!(
        out,
        EnterAlternateScreen,
        EnableBracketedPaste,
        Clear(ClearType::All)
    )?;
    let result = (|| -> Outcome {
        // The drawn area is the app's (within `state::MAX_SIZE`), never the
        // size the client reports: the screen's two buffers grow with it.
        let area = |(w, h): (u16, u16)| ratatui::layout::Rect::new(0, 0, w, h);
        let backend = wire::Wire::new(out, area(app.size).as_size());
        let mut terminal = Terminal::with_options(
            backend,
            ratatui::TerminalOptions {
                viewport: ratatui::Viewport::Fixed(area(app.size)),
            },
        )?;
        let mut drawn = app.size;
        frame(&mut terminal, &app)?;
        let mut next_poll = Instant::now() + POLL;
        let mut reconnecting: Option<std::sync::mpsc::Receiver<Box<dyn Conn>>> = None;
        while !app.quit && !stop.load(Ordering::Relaxed) {
            // While a save runs on the worker, the loop looks for its answer
            // (and for the moment to say "saving…") every `WORKING` too.
            let mut wait = next_poll.saturating_duration_since(Instant::now());
            if app.pending.is_some() {
                wait = wait.min(WORKING);
            }
            let mut dirty = false;
            if event::poll(wait)? {
                // Collapse a burst (a held key, a paste, a slow link's backlog)
                // into one frame.
                loop {
                    let msg = match event::read()? {
                        Event::Key(k) => Some(Msg::Key(k)),
                        Event::Resize(w, h) => Some(Msg::Resize(w, h)),
                        Event::Paste(text) => Some(Msg::Paste(text)),
                        _ => None,
                    };
                    if let Some(m) = msg {
                        dirty |= feed(&mut app, conn.as_ref(), m)?;
                    }
                    if app.quit || !event::poll(Duration::ZERO)? {
                        break;
                    }
                }
            }
            // The saves asked for go to the worker (run here only if it
            // is gone: it cannot be, short of a panic there).
            for job in app.take_jobs() {
                if let Err(job) = writer.send(job) {
                    let done = Box::new(job.run(conn.as_ref()));
                    dirty |= feed(&mut app, conn.as_ref(), Msg::Done(done))?;
                }
            }
            let waiting = app.pending.is_some();
            if let Some(done) = writer.answer(waiting) {
                dirty |= feed(&mut app, conn.as_ref(), Msg::Done(Box::new(done)))?;
            }
            if app
                .pending
                .as_ref()
                .is_some_and(|p| p.since.elapsed() >= worker::SAY_AFTER)
            {
                dirty |= feed(&mut app, conn.as_ref(), Msg::Waiting)?;
            }
            if Instant::now() >= next_poll {
                if !conn.lost() {
                    dirty |= feed(&mut app, conn.as_ref(), Msg::Tick(clock.now()))?;
                } else if reconnecting.is_none() {
                    reconnecting = conn.reopener().map(reconnect);
                }
                // A fail-over: the multi-host URL found the register again;
                // what changed meanwhile is read afresh.
                if let Some(fresh) = reconnecting.as_ref().and_then(|r| r.try_recv().ok()) {
                    conn = fresh;
                    reconnecting = None;
                    dirty |= feed(&mut app, conn.as_ref(), Msg::Reconnected)?;
                }
                next_poll = Instant::now() + POLL;
            }
            if app.size != drawn {
                terminal.backend_mut().resized(area(app.size).as_size());
                terminal.resize(area(app.size))?;
                drawn = app.size;
                dirty = true;
            }
            if dirty && !app.quit {
                frame(&mut terminal, &app)?;
            }
        }
        Ok(0)
    })();
    // A half-filled intake form survives a hang-up: its draft is written.
    app.flush_draft();
    restore();
    result
}

/// Feeds `msg` to the app. An error on a connection that is gone (a
/// PostgreSQL server stopped, a fail-over) is news for the status line, not
/// the console's end: the loop connects again off its own thread
/// ([`Conn::reopener`]), and what the clerk has typed stays where it is.
fn feed(app: &mut App, conn: &dyn Conn, msg: Msg) -> Result<bool, Error> {
    match app.update(conn, msg) {
        Err(e) if conn.lost() => Ok(app.connection_lost(&e)),
        other => Ok(other?),
    }
}

/// Connects again on a thread of its own, every [`POLL`] until it can (each
/// try bounded by the URL's `connect_timeout`), so that the event loop
/// never waits on a server that is not there.
fn reconnect(open: crate::store::engine::Reopen) -> std::sync::mpsc::Receiver<Box<dyn Conn>> {
    let (tx, rx) = std::sync::mpsc::channel();
    std::thread::spawn(move || {
        loop {
            match open() {
                Ok(c) => {
                    let _ = tx.send(c);
                    return;
                }
                Err(_) => std::thread::sleep(POLL),
            }
        }
    });
    rx
}

/// Whether standard input's terminal has hung up (the SSH link or the terminal
/// emulator is gone): `poll` reports POLLHUP/POLLERR/POLLNVAL for it.
pub fn terminal_gone(fd: std::os::fd::BorrowedFd) -> bool {
    use nix::poll::{PollFd, PollFlags, PollTimeout, poll};
    let mut fds = [PollFd::new(fd, PollFlags::POLLIN)];
    match poll(&mut fds, PollTimeout::ZERO) {
        Ok(_) => fds[0].revents().is_some_and(|r| {
            r.intersects(PollFlags::POLLHUP | PollFlags::POLLERR | PollFlags::POLLNVAL)
        }),
        // EINTR (a SIGWINCH when the window is resized) says nothing of the
        // terminal: look again next time.
        Err(_) => false,
    }
}

/// A watchdog beside the event loop. When the terminal goes away, crossterm's
/// `event::poll` can spin forever inside itself and never return to the loop
/// (crossterm issue #793), so neither a hang-up's SIGHUP (which only sets
/// `stop`) nor the dead terminal would end the process: it would burn a core
/// for as long as the server runs. What the clerk has typed is already in the
/// drafts folder (an act form's and the intake form's, each written on every
/// change), so the watchdog may end the process itself: at once when the
/// terminal is gone, and a second after `stop` if the loop has not finished.
fn watch_the_terminal(stop: Arc<AtomicBool>) {
    std::thread::spawn(move || {
        let mut stopping_since: Option<Instant> = None;
        let mut hung_up_before = false;
        loop {
            std::thread::sleep(Duration::from_millis(250));
            let stdin = std::io::stdin();
            // Seen twice in a row, a quarter of a second apart: a hang-up.
            let hung_up = terminal_gone(std::os::fd::AsFd::as_fd(&stdin));
            let gone = hung_up && hung_up_before;
            hung_up_before = hung_up;
            if stop.load(Ordering::Relaxed) {
                let since = *stopping_since.get_or_insert_with(Instant::now);
                if since.elapsed() < Duration::from_secs(1) && !gone {
                    continue;
                }
            } else if !gone {
                continue;
            }
            if gone {
                // Nothing to restore on a terminal that is gone, and crossterm's
                // locks may be held by the stuck loop.
                std::process::exit(1);
            }
            // Stopped, the terminal still there, the loop stuck: restore it
            // if that can be done at once, then leave.
            std::thread::spawn(restore);
            std::thread::sleep(Duration::from_millis(300));
            std::process::exit(0);
        }
    });
}

/// One frame: only what changed, wrapped in synchronized-update escapes
/// (nothing at all when nothing changed: [`wire::Wire`]).
fn frame<W: Write>(terminal: &mut Terminal<wire::Wire<W>>, app: &App) -> Outcome {
    terminal.draw(|f| view::draw(f, app))?;
    Ok(0)
}

#[cfg(test)]
mod tests {
    use std::os::fd::AsFd;

    #[test]
    fn a_hung_up_input_is_seen() {
        let (reader, writer) = std::io::pipe().unwrap();
        assert!(
            !super::terminal_gone(reader.as_fd()),
            "an open, quiet input"
        );
        drop(writer);
        assert!(super::terminal_gone(reader.as_fd()), "its other end closed");
    }
}
