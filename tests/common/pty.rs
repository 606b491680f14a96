//! The real binary in a pseudo-terminal, read back through a terminal
//! parser (vt100): the harness of tests/tui_pty.rs and tests/tui_busy.rs.

use std::io::{Read, Write};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use portable_pty::{Child, CommandBuilder, MasterPty, PtySize, native_pty_system};

/// The demo's "now" in the pty tests: a Thursday in office hours, so that
/// what the panes hold does not depend on the day the tests run.
pub const DEMO_NOW: &str = "2025-11-27T11:00:00+05:00";

pub struct Console {
    pub child: Box<dyn Child + Send + Sync>,
    pub master: Box<dyn MasterPty + Send>,
    pub writer: Box<dyn Write + Send>,
    pub screen: Arc<Mutex<vt100::Parser>>,
    pub bytes: Arc<Mutex<Vec<u8>>>,
}

pub fn nz(n: u16) -> std::num::NonZeroU16 {
    std::num::NonZeroU16::new(n).unwrap()
}

pub fn size(cols: u16, rows: u16) -> PtySize {
    PtySize {
        rows,
        cols,
        pixel_width: 0,
        pixel_height: 0,
    }
}

impl Console {
    pub fn open(db: &std::path::Path, env: &[(&str, &str)], args: &[&str]) -> Console {
        let pair = native_pty_system().openpty(size(80, 24)).unwrap();
        let mut cmd = CommandBuilder::new(super::bin());
        cmd.arg("--db");
        cmd.arg(db);
        cmd.args(args);
        cmd.env("TERM", "xterm-256color");
        cmd.env("TIZILIM_LANG", "en");
        // The demo's "now" (below): what the panes hold depends on the day
        // (on a Sunday night no clock may run at all), so it is pinned.
        cmd.env("TIZILIM_NOW", DEMO_NOW);
        cmd.env_remove("NO_COLOR");
        // Intake drafts beside the register, never the tester's own.
        cmd.env("TIZILIM_DRAFTS_DIR", db.with_extension("drafts"));
        for (k, v) in env {
            cmd.env(k, v);
        }
        let child = pair.slave.spawn_command(cmd).unwrap();
        drop(pair.slave);
        let mut reader = pair.master.try_clone_reader().unwrap();
        let writer = pair.master.take_writer().unwrap();
        let screen = Arc::new(Mutex::new(vt100::Parser::new(nz(24), nz(80), 0)));
        let bytes = Arc::new(Mutex::new(Vec::new()));
        let (s, b) = (Arc::clone(&screen), Arc::clone(&bytes));
        std::thread::spawn(move || {
            let mut buf = [0u8; 65536];
            while let Ok(n) = reader.read(&mut buf) {
                if n == 0 {
                    break;
                }
                s.lock().unwrap().process(&buf[..n]);
                b.lock().unwrap().extend_from_slice(&buf[..n]);
            }
        });
        Console {
            child,
            master: pair.master,
            writer,
            screen,
            bytes,
        }
    }

    pub fn contents(&self) -> String {
        self.screen.lock().unwrap().screen().contents()
    }

    pub fn wait_until(&mut self, what: &str, ok: impl Fn(&Console) -> bool) {
        let start = Instant::now();
        while start.elapsed() < Duration::from_secs(30) {
            if ok(self) {
                return;
            }
            std::thread::sleep(Duration::from_millis(20));
        }
        let alive = self.child.try_wait().ok().flatten();
        panic!(
            "{what} never happened (the console's exit status: {alive:?}); the screen:\n{}",
            self.contents()
        );
    }

    pub fn wait_for(&mut self, what: &str) {
        self.wait_until(&format!("{what:?}"), |c| c.contents().contains(what));
    }

    pub fn send(&mut self, keys: &str) {
        self.writer.write_all(keys.as_bytes()).unwrap();
        self.writer.flush().unwrap();
    }

    pub fn sent_bytes(&self) -> usize {
        self.bytes.lock().unwrap().len()
    }

    pub fn resize(&mut self, cols: u16, rows: u16) {
        // The parser takes the new size before the console can draw at it:
        // holding its lock across the resize, so no frame of the new size is
        // read at the old one.
        let mut screen = self.screen.lock().unwrap();
        screen.screen_mut().set_size(nz(rows), nz(cols));
        self.master.resize(size(cols, rows)).unwrap();
    }

    pub fn wait_exit(&mut self) -> portable_pty::ExitStatus {
        let start = Instant::now();
        loop {
            if let Some(s) = self.child.try_wait().unwrap() {
                return s;
            }
            assert!(start.elapsed() < Duration::from_secs(10), "did not exit");
            std::thread::sleep(Duration::from_millis(20));
        }
    }

    /// Lets the output settle (no new bytes for `quiet`).
    pub fn settle(&self, quiet: Duration) {
        let mut last = self.sent_bytes();
        let mut since = Instant::now();
        let start = Instant::now();
        while since.elapsed() < quiet && start.elapsed() < Duration::from_secs(10) {
            std::thread::sleep(Duration::from_millis(10));
            let now = self.sent_bytes();
            if now != last {
                last = now;
                since = Instant::now();
            }
        }
    }

    pub fn alive(&mut self) -> bool {
        self.child.try_wait().unwrap().is_none()
    }

    pub fn quit(&mut self) {
        self.send("q");
        let start = Instant::now();
        while self.alive() {
            assert!(start.elapsed() < Duration::from_secs(10), "did not exit");
            std::thread::sleep(Duration::from_millis(20));
        }
    }
}
