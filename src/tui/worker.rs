//! The console's worker (issue 17): a thread that owns the register's second
//! connection and runs the console's writes on it — an act form's save, the
//! desk intake form's save, and opening the clerk's signing key (reading the
//! `.p12` with its passphrase) — so that the event loop never waits on them.
//!
//! The Elm shape holds: `App::update` does not run a save, it asks for one —
//! a [`Job`] left in `App::jobs`, the form marked as waiting — and the event
//! loop hands the job to the worker and goes on drawing (resizes, other
//! sessions' commits) and reading keys; the job's [`Done`] comes back over a
//! channel and the loop feeds it to `App::update` as `Msg::Done`. While a job
//! runs the form it came from takes no key but Esc, which sets the job's
//! cancel flag ([`Progress`]). An `App` without a worker (the snapshot tests)
//! runs the job inside `update`, on its own connection, to the same end.
//!
//! A writer never sits in one long busy wait: [`Desk::write`] tries for the
//! register's write lock again and again ([`Conn::try_write`]: on a file
//! `BEGIN IMMEDIATE` with a short busy timeout, [`STEP`]; on PostgreSQL
//! `pg_try_advisory_xact_lock`, then a [`STEP`]'s sleep), looking at the
//! cancel flag between tries, for at most [`WAIT`] in all (the busy timeout
//! every other connection has). A job cancelled while it waits for the
//! write lock stores nothing: its transaction took no lock and wrote
//! nothing. Once the lock is taken the act runs to its
//! commit (milliseconds), so the answer — stored or not — is always the
//! truth.
//!
//! Reads stay on the console's own connection: in WAL mode (and on
//! PostgreSQL, always) a reader never waits for a writer, so a reload after a
//! save, or after another session's commit, is as fast with the register's
//! write lock held as without.

use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::mpsc;
use std::time::{Duration, Instant};

use chrono::{DateTime, Utc};

use crate::rules::{Law, Login};
use crate::sign::p12::CertSigner;
use crate::store::engine::Conn;
use crate::store::{self, services};

/// How long one try for the write lock waits (the worker connection's busy
/// timeout): how soon Esc is answered.
pub const STEP: Duration = Duration::from_millis(25);

/// How long a save waits for the write lock in all before it gives up and
/// says so (the busy timeout of the register's other connections).
pub const WAIT: Duration = Duration::from_secs(60);

/// How long a job may run before its form says it is waiting.
pub const SAY_AFTER: Duration = Duration::from_millis(200);

/// A job's flags, shared between the event loop and the worker.
#[derive(Debug, Default)]
pub struct Progress {
    /// Set by Esc: stop waiting for the write lock, store nothing.
    pub cancel: AtomicBool,
    /// Set by the worker while another session holds the write lock.
    pub busy: AtomicBool,
}

/// Why a write did not happen: cancelled (Esc) while it waited for the lock.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Cancelled;

/// What the worker hands a job: the connection, and the job's flags.
pub struct Desk<'a> {
    pub conn: &'a dyn Conn,
    progress: &'a Progress,
}

impl<'a> Desk<'a> {
    pub fn new(conn: &'a dyn Conn, progress: &'a Progress) -> Desk<'a> {
        Desk { conn, progress }
    }

    /// Whether Esc was pressed.
    pub fn cancelled(&self) -> bool {
        self.progress.cancel.load(Ordering::SeqCst)
    }

    /// Runs `write` in one transaction ([`Conn::try_write`]), trying again
    /// while another session holds the write lock, until it is cancelled or
    /// [`WAIT`] has passed (then [`store::Error::Busy`] is the answer).
    pub fn write<T>(
        &self,
        mut write: impl FnMut(&dyn crate::store::sql::Sql) -> store::Result<T>,
    ) -> Result<store::Result<T>, Cancelled> {
        let start = Instant::now();
        loop {
            if self.cancelled() {
                self.progress.busy.store(false, Ordering::SeqCst);
                return Err(Cancelled);
            }
            let mut out = None;
            let tried = self.conn.try_write(&mut |db| {
                out = Some(write(db)?);
                Ok(())
            });
            match tried.and_then(|()| {
                out.ok_or_else(|| store::Error::Corrupt("a save committed nothing".into()))
            }) {
                Err(e) if store::engine::is_busy(&e) && start.elapsed() < WAIT => {
                    self.progress.busy.store(true, Ordering::SeqCst);
                    // PostgreSQL answers a held lock at once; SQLite has
                    // waited its busy timeout already.
                    if self.conn.engine() == crate::store::sql::Engine::Postgres {
                        std::thread::sleep(STEP);
                    }
                }
                other => {
                    self.progress.busy.store(false, Ordering::SeqCst);
                    return Ok(other);
                }
            }
        }
    }

    /// Runs one act by `actor` at `at` ([`Desk::write`] with its
    /// [`services::Context`]): the console's way of calling a service.
    pub fn act<T>(
        &self,
        law: &Law,
        actor: &Login,
        at: DateTime<Utc>,
        mut f: impl FnMut(&services::Context) -> store::Result<T>,
    ) -> Result<store::Result<T>, Cancelled> {
        self.write(|tx| f(&services::Context { tx, law, actor, at }))
    }
}

/// What a job came to.
pub enum Done {
    /// An act form's save ([`super::actions::Ran`]), and the signer (the
    /// clerk's key, taken to the worker with the job and given back).
    Act {
        ran: super::actions::Ran,
        signer: Option<Box<CertSigner>>,
    },
    /// The intake form's save: the outcome, or the register's refusal.
    Intake(Result<store::Result<crate::intake::FileOutcome>, Cancelled>),
    /// The worker stopped without an answer (it cannot, short of a panic
    /// there): whether the save was stored is not known here.
    Lost,
}

impl std::fmt::Debug for Done {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Done::Act { ran, signer } => f
                .debug_struct("Act")
                .field("ran", ran)
                .field("signer", &signer.is_some())
                .finish(),
            Done::Intake(r) => f.debug_tuple("Intake").field(r).finish(),
            Done::Lost => f.write_str("Lost"),
        }
    }
}

type Work = Box<dyn FnOnce(&Desk) -> Done + Send>;

/// One piece of work for the worker, with its flags.
pub struct Job {
    pub progress: Arc<Progress>,
    work: Work,
}

impl Job {
    pub fn new(work: impl FnOnce(&Desk) -> Done + Send + 'static) -> Job {
        Job {
            progress: Arc::new(Progress::default()),
            work: Box::new(work),
        }
    }

    /// Runs the job here, on `conn` (the worker; or the caller's thread when
    /// the console has no worker: `App` in a test).
    pub fn run(self, conn: &dyn Conn) -> Done {
        let progress = Arc::clone(&self.progress);
        (self.work)(&Desk::new(conn, &progress))
    }
}

/// The event loop's end of the worker: jobs go in, answers come out.
pub struct Worker {
    jobs: mpsc::Sender<Job>,
    done: mpsc::Receiver<Done>,
}

impl Worker {
    /// Starts the worker on `conn` (the register's second connection,
    /// opened with the console's; on a file its busy timeout [`STEP`]:
    /// `tui::run`).
    pub fn spawn(mut conn: Box<dyn Conn>) -> std::io::Result<Worker> {
        let (jobs, inbox) = mpsc::channel::<Job>();
        let (outbox, done) = mpsc::channel();
        std::thread::Builder::new()
            .name("tizilim-worker".into())
            .spawn(move || {
                // Ends when the console drops its end.
                for job in inbox {
                    // After a fail-over, the next save goes to the register
                    // as the URL now finds it (if it cannot, the save says
                    // the connection is lost, and nothing is stored).
                    if conn.lost() {
                        let _ = conn.reconnect();
                    }
                    if outbox.send(job.run(conn.as_ref())).is_err() {
                        break;
                    }
                }
            })?;
        Ok(Worker { jobs, done })
    }

    /// Hands `job` to the worker; gives it back if the worker is gone.
    pub fn send(&self, job: Job) -> Result<(), Job> {
        self.jobs.send(job).map_err(|e| e.0)
    }

    /// An answer, if one has come ([`Done::Lost`] if the worker is gone
    /// while a save waits: `waiting`).
    pub fn answer(&self, waiting: bool) -> Option<Done> {
        match self.done.try_recv() {
            Ok(d) => Some(d),
            Err(mpsc::TryRecvError::Disconnected) if waiting => Some(Done::Lost),
            Err(_) => None,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_cancelled_wait_runs_nothing() {
        let conn = rusqlite::Connection::open_in_memory().unwrap();
        let p = Progress::default();
        p.cancel.store(true, Ordering::SeqCst);
        let mut ran = false;
        let r = Desk::new(&conn, &p).write(|_| {
            ran = true;
            Ok(())
        });
        assert_eq!(r.err(), Some(Cancelled));
        assert!(!ran, "nothing runs once Esc was pressed");
    }
}
