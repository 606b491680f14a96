//! The console's state, its messages and `update` (the Elm shape): every
//! change of what the screen shows goes through [`App::update`], which says
//! whether a redraw is needed. Views read the state and never the database.

use crate::store::engine::Conn;
use chrono::{DateTime, NaiveDate, Utc};
use crossterm::event::{KeyCode, KeyEvent, KeyEventKind, KeyModifiers};

use std::sync::atomic::Ordering;

use super::actions::{self, Act, ActionForm, Submitted};
use super::form::FormEvent;
use super::keys::{self, Cmd};
use super::register::RegisterState;
use super::theme::Theme;
use super::worker::{Done, Job};
use crate::explain::{Explanation, explain_case};
use crate::i18n::Tr;
use crate::rules::workflow::{self, Action};
use crate::rules::{Law, Login, Role};
use crate::store::Result;
use crate::store::read::queue::{
    self as read, CaseDetail, ComplaintRow, HearingRow, HistoryRow, QueueRow, Snapshot, UnitRow,
    View,
};
use crate::store::read::{changes, queries};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Pane {
    Queue,
    Detail,
    Hearings,
    Complaints,
    Monitor,
    /// A signed notice, opened from the case (not in the header: it belongs
    /// to pane 2).
    Notice,
    Register,
}

impl Pane {
    pub const ALL: [Pane; 6] = [
        Pane::Queue,
        Pane::Detail,
        Pane::Hearings,
        Pane::Complaints,
        Pane::Monitor,
        Pane::Register,
    ];

    pub fn title_id(self) -> &'static str {
        match self {
            Pane::Queue => "pane-queue",
            Pane::Detail => "pane-detail",
            Pane::Hearings => "pane-hearings",
            Pane::Complaints => "pane-complaints",
            Pane::Monitor => "pane-monitor",
            Pane::Notice => "pane-notice",
            Pane::Register => "pane-register",
        }
    }

    /// Its place in the header (a notice stands in its case's place).
    pub fn index(self) -> usize {
        let p = if self == Pane::Notice {
            Pane::Detail
        } else {
            self
        };
        Pane::ALL.iter().position(|x| *x == p).unwrap_or(0)
    }
}

/// The sections of the detail pane.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Section {
    Summary,
    Units,
    Clocks,
    History,
}

impl Section {
    pub const ALL: [Section; 4] = [
        Section::Summary,
        Section::Units,
        Section::Clocks,
        Section::History,
    ];

    pub fn title_id(self) -> &'static str {
        match self {
            Section::Summary => "section-summary",
            Section::Units => "section-units",
            Section::Clocks => "section-clocks",
            Section::History => "section-history",
        }
    }
}

/// Something that happened.
#[derive(Debug)]
pub enum Msg {
    Key(KeyEvent),
    Resize(u16, u16),
    /// Text pasted at once (bracketed paste): goes to the form being filled.
    Paste(String),
    /// The periodic check (about every 500 ms): another session's commit
    /// ([`Conn::commits`]) or a new day in Almaty. Draws nothing if neither.
    Tick(DateTime<Utc>),
    /// The connection to a PostgreSQL register is back after it was lost
    /// (a fail-over): everything is read afresh.
    Reconnected,
    /// A save has run for [`super::worker::SAY_AFTER`] (and again whenever
    /// another session starts or stops holding the register): the form says
    /// it is waiting.
    Waiting,
    /// The worker's answer to a save.
    Done(Box<Done>),
}

/// Which form a running save came from.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Waiting {
    Act,
    Intake,
}

/// A save handed to the worker and not yet answered.
#[derive(Debug)]
pub struct Pending {
    pub what: Waiting,
    pub progress: std::sync::Arc<super::worker::Progress>,
    /// When it was sent (the event loop says "saving…" after
    /// [`super::worker::SAY_AFTER`]).
    pub since: std::time::Instant,
    /// The waiting line shown: `Some(busy)` once shown.
    pub said: Option<bool>,
}

/// A selection in a list of `len` rows shown `height` at a time.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct ListPos {
    pub selected: usize,
    pub offset: usize,
}

impl ListPos {
    pub(crate) fn apply(&mut self, cmd: Cmd, len: usize, height: usize) -> bool {
        let before = *self;
        let h = height.max(1);
        let last = len.saturating_sub(1);
        match cmd {
            Cmd::Down => self.selected = (self.selected + 1).min(last),
            Cmd::Up => self.selected = self.selected.saturating_sub(1),
            Cmd::PageDown => self.selected = (self.selected + h).min(last),
            Cmd::PageUp => self.selected = self.selected.saturating_sub(h),
            Cmd::Top => self.selected = 0,
            Cmd::Bottom => self.selected = last,
            _ => {}
        }
        self.clamp(len, height);
        *self != before
    }

    /// Keeps the selection inside the list and visible.
    pub fn clamp(&mut self, len: usize, height: usize) {
        let h = height.max(1);
        self.selected = self.selected.min(len.saturating_sub(1));
        // Leaving the window scrolls it by half a page, not one line: every
        // scroll redraws the whole list, so fewer scrolls cost fewer bytes.
        if self.selected < self.offset {
            self.offset = self.selected.saturating_sub(h / 2);
        } else if self.selected >= self.offset + h {
            self.offset = (self.selected + 1 + h / 2).saturating_sub(h);
        }
        self.offset = self.offset.min(len.saturating_sub(h));
        if self.selected < self.offset {
            self.offset = self.selected;
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum QueueView {
    View(View),
    Search(String),
}

#[derive(Debug, Default)]
pub struct QueueState {
    pub view: Option<QueueView>,
    /// The ids of the cases listed, in order (keys only: rows come a page at a time).
    pub ids: Vec<i64>,
    pub pos: ListPos,
    /// The rows of the window `[rows_from, rows_from + rows.len())`.
    pub rows: Vec<QueueRow>,
    pub rows_from: usize,
    /// The `/` line being typed.
    pub editing: Option<String>,
}

impl QueueState {
    pub fn view(&self) -> QueueView {
        self.view.clone().unwrap_or(QueueView::View(View::Open))
    }

    pub fn row(&self, i: usize) -> Option<&QueueRow> {
        i.checked_sub(self.rows_from).and_then(|j| self.rows.get(j))
    }
}

#[derive(Debug)]
pub struct DetailState {
    pub case: CaseDetail,
    pub explanation: Option<Explanation>,
    pub actions: Vec<Action>,
    pub history: Vec<HistoryRow>,
    pub section: Section,
    pub summary_scroll: usize,
    pub units: Vec<UnitRow>,
    pub units_from: usize,
    pub units_pos: ListPos,
    pub clock_pos: ListPos,
    pub history_pos: ListPos,
}

#[derive(Debug, Default)]
pub struct HearingsState {
    pub rows: Vec<HearingRow>,
    pub upcoming: usize,
    pub pos: ListPos,
}

#[derive(Debug, Default)]
pub struct ComplaintsState {
    pub rows: Vec<ComplaintRow>,
    pub pos: ListPos,
}

/// A signed notice on screen (pane 2's notice view).
#[derive(Debug)]
pub struct NoticeView {
    pub number: String,
    pub case_id: i64,
    /// The text rendering in the console's language.
    pub text: String,
    /// The printable HTML rendering, for `w`.
    pub html: String,
    pub scroll: usize,
    /// How and when it reached the applicant (issue 21; `d` records one).
    pub deliveries: Vec<crate::store::read::notices::DeliveryLine>,
}

/// How many rows a list pane shows at a terminal height: header, status and
/// footer lines, the block's borders and the table header take six.
pub fn list_height(rows: u16) -> usize {
    rows.saturating_sub(6) as usize
}

/// Rows of the detail pane's scrolling sections (section tabs take one more).
pub fn detail_height(rows: u16) -> usize {
    rows.saturating_sub(7) as usize
}

/// Whether the console process `pid` still runs (its drafts are its own).
fn session_alive(pid: i32) -> bool {
    use nix::errno::Errno;
    match nix::sys::signal::kill(nix::unistd::Pid::from_raw(pid), None) {
        Ok(()) | Err(Errno::EPERM) => true,
        Err(_) => false,
    }
}

/// The largest area the console draws, columns × rows. A client reports any
/// terminal size it likes (65535×65535), and the screen's buffers grow with
/// the area drawn: beyond this the console draws in the top-left corner.
pub const MAX_SIZE: (u16, u16) = (1000, 500);

/// `(columns, rows)` within [`MAX_SIZE`].
pub fn capped((w, h): (u16, u16)) -> (u16, u16) {
    (w.min(MAX_SIZE.0), h.min(MAX_SIZE.1))
}

/// How many hearings, complaints and decided-today cases a pane loads.
pub const WINDOW: usize = 500;

pub struct App {
    pub tr: Tr,
    pub theme: Theme,
    pub login: Login,
    pub role: Role,
    pub law: Law,
    pub now: DateTime<Utc>,
    pub today: NaiveDate,
    pub pane: Pane,
    /// Where Esc goes back to from the detail pane.
    pub back: Pane,
    pub help: bool,
    /// The area drawn: the terminal's size within [`MAX_SIZE`].
    pub size: (u16, u16),
    pub snap: Snapshot,
    pub data_version: i64,
    /// The last journal row the panes reflect: another session's commit is
    /// read from the rows after it (`refresh`).
    pub journal_seen: i64,
    pub queue: QueueState,
    pub detail: Option<DetailState>,
    pub hearings: HearingsState,
    pub complaints: ComplaintsState,
    pub monitor: ListPos,
    /// The act form being filled, over the pane.
    pub form: Option<ActionForm>,
    /// A form closed with Esc: its input comes back when the same act is
    /// opened on the same case again.
    pub parked: Vec<ActionForm>,
    /// Act forms kept from the last session (the drafts folder), not reopened yet.
    pub act_drafts: Vec<actions::ActDraft>,
    /// The clerk's signing key, opened once per session (§13: decisions are
    /// signed by their author).
    pub signer: Option<crate::sign::p12::CertSigner>,
    pub notice: Option<NoticeView>,
    pub register: RegisterState,
    pub message: Option<String>,
    /// The connection to the register is gone and being made again (a
    /// PostgreSQL fail-over): the status line says so until it is back.
    pub offline: bool,
    /// The supervisors' report of terms shown on the Deadlines pane
    /// (`t`; this year's acts to today), while it is open.
    pub terms: Option<crate::store::read::terms::Report>,
    /// How far the report of terms is scrolled (lines).
    pub terms_scroll: u16,
    pub quit: bool,
    /// The desk's intake form, open over the main area (`super::intake`).
    pub intake: Option<Box<super::intake::Intake>>,
    /// A draft of the form waiting to be resumed or discarded.
    pub draft_offer: Option<super::intake::Offer>,
    /// Where the login's intake draft lives (outside the register).
    pub drafts_dir: Option<std::path::PathBuf>,
    /// Where `w` writes notices (`with_notices`); none, none written.
    pub notices_dir: Option<std::path::PathBuf>,
    /// The `/` filters of panes 3, 4 and 5 (`super::filter`).
    pub filters: super::filter::Filters,
    /// The clerk's Cyrillic layout as the console guesses it (`keys::Layout`).
    pub layout: keys::Layout,
    /// Whether a worker runs the saves (`super::worker`): the console's
    /// event loop takes them ([`App::take_jobs`]) and answers with
    /// `Msg::Done`. Without one (an `App` in a test) a save runs inside
    /// `update`.
    pub worker: bool,
    /// The effects `update` asks for: saves for the worker, in order.
    pub jobs: Vec<Job>,
    /// The save running on the worker, if one is.
    pub pending: Option<Pending>,
}

impl App {
    /// The console for `login` (who holds `role`) as at `now`.
    pub fn new(
        conn: &dyn Conn,
        tr: Tr,
        theme: Theme,
        login: Login,
        role: Role,
        now: DateTime<Utc>,
        size: (u16, u16),
    ) -> Result<App> {
        let law = Law::load(&queries::calendar_amendments(conn)?)?;
        let today = law.calendar.local_date(now);
        let layout = keys::Layout::for_lang(tr.code());
        let mut app = App {
            tr,
            theme,
            login,
            role,
            law,
            now,
            today,
            pane: Pane::Queue,
            back: Pane::Queue,
            help: false,
            size: capped(size),
            snap: Snapshot::default(),
            data_version: conn.commits()?,
            journal_seen: 0,
            queue: QueueState::default(),
            detail: None,
            hearings: HearingsState::default(),
            complaints: ComplaintsState::default(),
            monitor: ListPos::default(),
            form: None,
            parked: Vec::new(),
            act_drafts: Vec::new(),
            signer: None,
            notice: None,
            register: RegisterState::default(),
            message: None,
            offline: false,
            terms: None,
            terms_scroll: 0,
            quit: false,
            intake: None,
            draft_offer: None,
            // Set by the console (`with_drafts`), never read from the
            // environment here: an App in a test touches no file of the tester's.
            drafts_dir: None,
            // Likewise (`with_notices`).
            notices_dir: None,
            filters: Default::default(),
            layout,
            worker: false,
            jobs: Vec::new(),
            pending: None,
        };
        app.reload(conn)?;

        Ok(app)
    }

    /// Sets where `w` writes notices (the console passes
    /// [`crate::files::notices_dir`], read once at start; tests their own
    /// folder).
    pub fn with_notices(mut self, dir: std::path::PathBuf) -> App {
        self.notices_dir = Some(dir);
        self
    }

    /// Everything the panes show, read afresh (after another session's
    /// commit, a new day, or at start). Keeps selections where they were.
    pub fn reload(&mut self, conn: &dyn Conn) -> Result<()> {
        // Read first: a commit landing during the reload is read again by
        // the next `refresh`, which re-reads rows as they then stand.
        self.journal_seen = changes::head(conn)?;
        self.law = Law::load(&queries::calendar_amendments(conn)?)?;
        self.today = self.law.calendar.local_date(self.now);
        self.snap = read::snapshot(conn, &self.law, self.today)?;
        self.reload_lists(conn, true, true)
    }

    /// After another session's commit: only the cases the journal's new rows
    /// touched are read again and re-placed ([`changes`]); a calendar
    /// amendment reloads everything. `Ok(false)` when nothing shown changed
    /// (a user added, a key registered).
    pub fn refresh(&mut self, conn: &dyn Conn) -> Result<bool> {
        let seen = changes::since(conn, self.journal_seen)?;
        self.take_changes(conn, seen)
    }

    /// Takes what [`changes::since`] found (read here, or by another thread
    /// on its own connection): the touched cases re-read and re-placed.
    pub fn take_changes(&mut self, conn: &dyn Conn, seen: changes::Changes) -> Result<bool> {
        if seen.everything {
            self.reload(conn)?;
            return Ok(true);
        }
        self.journal_seen = seen.head;
        if !seen.any() {
            return Ok(false);
        }
        let delta = changes::delta(conn, &self.law, self.today, &seen)?;
        // The hearings and complaints lists are read again only if one of
        // the cases is or was in them.
        let hearings = delta.hearing
            || self
                .hearings
                .rows
                .iter()
                .any(|h| delta.ids.contains(&h.case_id));
        let complaints = delta.complaint
            || self
                .complaints
                .rows
                .iter()
                .any(|c| delta.ids.contains(&c.case_id));
        self.snap.apply(delta);
        self.reload_lists(conn, hearings, complaints)?;
        Ok(true)
    }

    /// The lists and the case open, read again over the snapshot (the
    /// hearings and complaints lists if asked).
    fn reload_lists(&mut self, conn: &dyn Conn, hearings: bool, complaints: bool) -> Result<()> {
        self.load_queue(conn, true)?;
        if hearings {
            self.load_hearings(conn)?;
        }
        if complaints {
            self.complaints.rows = read::complaints(conn, &self.law, self.today, WINDOW)?;
        }
        // Read again only if shown (in `sync`); else when shown next.
        self.register.mark_stale();
        if let Some(id) = self.detail.as_ref().map(|d| d.case.id) {
            let section = self.detail.as_ref().map(|d| d.section);
            let keep = self
                .detail
                .as_ref()
                .map(|d| (d.units_pos, d.clock_pos, d.history_pos));
            self.load_detail(conn, id)?;
            if let (Some(d), Some(s), Some((u, c, h))) = (self.detail.as_mut(), section, keep) {
                d.section = s;
                d.units_pos = u;
                d.clock_pos = c;
                d.history_pos = h;
            }
        }
        self.sync(conn)?;
        Ok(())
    }

    fn load_hearings(&mut self, conn: &dyn Conn) -> Result<()> {
        let from = self.law.calendar.office().zone;
        let midnight = self
            .today
            .and_hms_opt(0, 0, 0)
            .and_then(|t| t.and_local_timezone(from).earliest())
            .map(|t| t.with_timezone(&Utc))
            .unwrap_or(self.now);
        let (up, past) = read::hearings(conn, &self.law, self.today, midnight, WINDOW)?;
        self.hearings.upcoming = up.len();
        self.hearings.rows = up.into_iter().chain(past).collect();
        Ok(())
    }

    /// Reads the queue's list afresh; `keep` holds the selection on the same case.
    fn load_queue(&mut self, conn: &dyn Conn, keep: bool) -> Result<()> {
        let selected_id = self
            .queue
            .row(self.queue.pos.selected)
            .map(|r| r.id)
            .filter(|_| keep);
        self.queue.ids = match self.queue.view() {
            QueueView::View(View::DecidedToday) => read::decided_on(conn, self.today, WINDOW)?,
            QueueView::View(v) => self.snap.view(v).into_iter().map(|k| k.id).collect(),
            QueueView::Search(q) => read::search(conn, &q, WINDOW)?,
        };
        if let Some(i) = selected_id.and_then(|id| self.queue.ids.iter().position(|x| *x == id)) {
            self.queue.pos.selected = i;
        }
        self.queue.rows.clear();
        Ok(())
    }

    pub(super) fn load_detail(&mut self, conn: &dyn Conn, id: i64) -> Result<bool> {
        let Some(case) = read::case_detail(conn, id)? else {
            return Ok(false);
        };
        let explanation = explain_case(&self.law, &case.clocks, None, self.today).ok();
        let mut actions = workflow::available(case.kind, case.stage, self.role);
        // §12's window passed: `p` does not open (`super::commands`).
        if actions::notice_window_passed(&self.law, self.today, &case).is_some() {
            actions.retain(|a| *a != Action::NotifyHearing);
        }
        let history = read::history(conn, &case.number, 200)?;
        // Start on the first running clock.
        let first_running = explanation
            .as_ref()
            .and_then(|e| e.clocks.iter().position(|c| c.status == "running"))
            .unwrap_or(0);
        self.detail = Some(DetailState {
            case,
            explanation,
            actions,
            history,
            section: Section::Summary,
            summary_scroll: 0,
            units: Vec::new(),
            units_from: 0,
            units_pos: ListPos::default(),
            clock_pos: ListPos {
                selected: first_running,
                offset: 0,
            },
            history_pos: ListPos::default(),
        });
        Ok(true)
    }

    /// Fetches the rows the windows now show (a page of the queue, of a
    /// case's units) if they are not already at hand.
    pub fn sync(&mut self, conn: &dyn Conn) -> Result<()> {
        let h = list_height(self.size.1);
        let q = &mut self.queue;
        q.pos.clamp(q.ids.len(), h);
        let want = q.pos.offset..(q.pos.offset + h).min(q.ids.len());
        let have = q.rows_from..q.rows_from + q.rows.len();
        if want.start < have.start || want.end > have.end || (q.rows.is_empty() && !want.is_empty())
        {
            q.rows = read::rows(conn, &self.law, self.today, &q.ids[want.clone()])?;
            q.rows_from = want.start;
        }
        let dh = detail_height(self.size.1);
        if let Some(d) = self.detail.as_mut() {
            d.units_pos.clamp(d.case.unit_count, dh);
            let want = d.units_pos.offset..(d.units_pos.offset + dh).min(d.case.unit_count);
            let have = d.units_from..d.units_from + d.units.len();
            if want.start < have.start
                || want.end > have.end
                || (d.units.is_empty() && !want.is_empty())
            {
                d.units = read::units_page(conn, d.case.id, want.start as i64 - 1, want.len())?;
                d.units_from = want.start;
            }
            let clocks = d.explanation.as_ref().map_or(0, |e| e.clocks.len());
            d.clock_pos.clamp(clocks, 1);
            d.history_pos.clamp(d.history.len(), dh);
        }
        let shown = |p| self.shown_len(p);
        let (nh, nc, nm) = (
            shown(Pane::Hearings),
            shown(Pane::Complaints),
            shown(Pane::Monitor),
        );
        self.hearings.pos.clamp(nh, h);
        self.complaints.pos.clamp(nc, h.saturating_sub(4));
        self.monitor.clamp(nm, h);
        if self.pane == Pane::Register {
            self.register.ensure(conn)?;
        }
        self.register.clamp(self.size.1);
        Ok(())
    }

    /// Applies a message; `Ok(true)` when the screen must be redrawn.
    pub fn update(&mut self, conn: &dyn Conn, msg: Msg) -> Result<bool> {
        let dirty = match msg {
            Msg::Resize(w, h) => {
                self.size = capped((w, h));
                true
            }
            Msg::Tick(now) => {
                let v = conn.commits()?;
                let day = self.law.calendar.local_date(now);
                self.now = now;
                self.intake_tick();
                if day != self.today {
                    self.data_version = v;
                    self.reload(conn)?;
                    true
                } else if v != self.data_version {
                    self.data_version = v;
                    self.refresh(conn)?
                } else {
                    false
                }
            }
            // While a save runs, its form takes Esc alone: no key reaches
            // another pane, nothing is pasted into the form being saved.
            Msg::Key(ev) if self.pending.is_some() => {
                ev.kind != KeyEventKind::Release && self.waiting_key(ev)
            }
            Msg::Paste(_) if self.pending.is_some() => false,
            Msg::Key(ev) => self.key(conn, ev)?,
            Msg::Paste(text) => self.paste(conn, &text)?,
            Msg::Waiting => self.waiting(),
            Msg::Reconnected => {
                self.data_version = conn.commits()?;
                self.reload(conn)?;
                self.offline = false;
                self.message = Some(self.tr.t("msg-reconnected"));
                true
            }
            Msg::Done(done) => self.done(conn, *done)?,
        };
        if dirty {
            self.sync(conn)?;
        }
        Ok(dirty)
    }

    /// The connection is gone (`e` said so): the status line says it is
    /// being made again; the panes and any form keep what they hold.
    pub fn connection_lost(&mut self, e: &crate::store::Error) -> bool {
        let detail = crate::rules::text::for_terminal(&e.message().render(&self.tr), 120);
        self.message = Some(self.tr.a("msg-connection-lost", &[("detail", &detail)]));
        self.offline = true;
        true
    }

    fn paste(&mut self, conn: &dyn Conn, text: &str) -> Result<bool> {
        match self.form.as_mut() {
            Some(f) => {
                let ev = f.form.paste(text);
                self.form_event(conn, ev)
            }
            None if self.intake.is_some() => self.intake_paste(conn, text),
            None => {
                // A serial or a BIN pasted into a search line: one line of it.
                let line = match self.pane {
                    Pane::Queue => self.queue.editing.as_mut().map(|l| (l, 60)),
                    Pane::Register => self.register.editing.as_mut().map(|l| (l, 64)),
                    p => self
                        .filters
                        .of_mut(p)
                        .and_then(|f| f.editing.as_mut())
                        .map(|l| (l, super::filter::MAX)),
                };
                let Some((line, max)) = line else {
                    return Ok(false);
                };
                let first = text.lines().find(|l| !l.trim().is_empty()).unwrap_or("");
                for c in first.chars().filter(|c| !c.is_control()) {
                    if line.chars().count() >= max {
                        break;
                    }
                    line.push(c);
                }
                Ok(true)
            }
        }
    }

    /// A key in the open act form (raw characters: no hotkeys, no layout mapping).
    fn form_key(&mut self, conn: &dyn Conn, ev: KeyEvent) -> Result<bool> {
        let Some(f) = self.form.as_mut() else {
            return Ok(false);
        };
        let ev = f.form.key(ev);
        self.form_event(conn, ev)
    }

    fn form_event(&mut self, conn: &dyn Conn, ev: FormEvent) -> Result<bool> {
        let (law, tr, today, now) = (&self.law, &self.tr, self.today, self.now);
        let Some(f) = self.form.as_mut() else {
            return Ok(false);
        };
        match ev {
            FormEvent::Ignored => return Ok(false),
            FormEvent::Redraw => {}
            FormEvent::Changed => {
                f.check(law, tr, today, now);
                self.save_act_drafts();
            }
            FormEvent::Left(i) => f.left(i, law, tr, today, now),
            FormEvent::Cancel => {
                if let Some(mut f) = self.form.take() {
                    f.forget_secret();
                    f.form.banner = None;
                    self.parked
                        .retain(|p| !(p.act == f.act && p.subject == f.subject));
                    self.parked.push(f);
                }
                self.message = Some(self.tr.t("msg-form-kept"));
                self.save_act_drafts();
            }
            FormEvent::Submit => {
                match f.submit(law, tr, &self.login, now, today, &mut self.signer) {
                    Ok(job) => return self.dispatch(conn, Waiting::Act, job),
                    Err(outcome) => return self.submitted(conn, outcome),
                }
            }
        }
        Ok(true)
    }

    /// Asks for a save: an effect for the worker (or, with none — an `App`
    /// in a test — run here at once). While it runs, the form it came from
    /// takes no key but Esc ([`App::waiting_key`]).
    pub(super) fn dispatch(&mut self, conn: &dyn Conn, what: Waiting, job: Job) -> Result<bool> {
        if !self.worker {
            let done = job.run(conn);
            return self.done(conn, done);
        }
        self.pending = Some(Pending {
            what,
            progress: std::sync::Arc::clone(&job.progress),
            since: std::time::Instant::now(),
            said: None,
        });
        self.jobs.push(job);
        Ok(true)
    }

    /// The saves `update` has asked for since the last call, for the worker.
    pub fn take_jobs(&mut self) -> Vec<Job> {
        std::mem::take(&mut self.jobs)
    }

    /// A job's answer (`Msg::Done`).
    fn done(&mut self, conn: &dyn Conn, done: Done) -> Result<bool> {
        if self
            .pending
            .take()
            .is_some_and(|p| p.what == Waiting::Intake)
        {
            // The waiting line (in the status line) is answered below.
            self.message = None;
        }
        match done {
            Done::Lost => {
                // Its form (act or intake) keeps its input and says so.
                let line = self.tr.t("form-save-lost");
                match self.form.as_mut() {
                    Some(f) => f.form.banner = Some(line),
                    None => self.message = Some(line),
                }
                Ok(true)
            }
            Done::Act { ran, signer } => {
                if let Some(s) = signer {
                    self.signer = Some(*s);
                }
                let Some(f) = self.form.as_mut() else {
                    return Ok(false);
                };
                let outcome = f.finish(&self.tr, ran);
                self.submitted(conn, outcome)
            }
            Done::Intake(r) => self.intake_done(conn, r),
        }
    }

    /// What a save came to, on screen.
    fn submitted(&mut self, conn: &dyn Conn, outcome: Submitted) -> Result<bool> {
        let Some(f) = self.form.as_ref() else {
            return Ok(true);
        };
        match outcome {
            Submitted::Kept => {}
            Submitted::Stale { by, at } => {
                // The case as it now stands, and the form rebuilt on it with
                // what was typed, expecting its new version, in the same
                // place (the field the clerk was on).
                let focus = f.form.focus;
                let Some(old) = self.form.take() else {
                    return Ok(true);
                };
                self.data_version = conn.commits()?;
                self.reload(conn)?;
                let mut draft = old.draft();
                draft.version = old.expected_version;
                let banner = old.form.banner.clone().unwrap_or_default();
                let (act, id) = (old.act, old.case_id);
                match self.rebuilt(conn, act, id, &old.subject, &draft)? {
                    Some((mut f, why)) => {
                        f.form.focus = focus.min(f.form.fields.len());
                        // One message: the other clerk's change, and — if the
                        // act is no longer possible — that, instead of
                        // "press Ctrl-S to apply".
                        f.form.banner = Some(match why {
                            Some(why) => self.tr.a(
                                "form-stale-refused",
                                &[
                                    ("subject", &old.subject),
                                    ("by", &by),
                                    ("at", &at),
                                    ("why", &why),
                                ],
                            ),
                            None => banner,
                        });
                        self.form = Some(f);
                    }
                    // Gone from the lists (a complaint decided meanwhile):
                    // the form stays where it was, saying so.
                    None => {
                        let mut old = old;
                        old.form.banner = Some(self.tr.a(
                            "form-stale-gone",
                            &[("subject", &old.subject), ("by", &by), ("at", &at)],
                        ));
                        self.form = Some(old);
                    }
                }
                self.save_act_drafts();
            }
            Submitted::Done { message, notice } => {
                let id = f.case_id;
                self.form = None;
                self.data_version = conn.commits()?;
                self.reload(conn)?;
                self.show_case(conn, id)?;
                self.message = Some(message);
                self.save_act_drafts();
                if let Some(no) = notice {
                    self.open_notice(conn, &no, id)?;
                }
            }
        }
        Ok(true)
    }

    /// A key while a save runs: Esc cancels it (nothing is stored if it is
    /// still waiting for the register); any other key is refused — it goes
    /// neither into the form being saved nor to any pane behind it.
    fn waiting_key(&mut self, ev: KeyEvent) -> bool {
        let Some(p) = self.pending.as_mut() else {
            return false;
        };
        if ev.code != KeyCode::Esc || p.progress.cancel.load(Ordering::SeqCst) {
            return false;
        }
        p.progress.cancel.store(true, Ordering::SeqCst);
        let line = self.tr.t("form-save-cancelling");
        self.set_waiting_line(line);
        true
    }

    /// The line the waiting form shows (`Msg::Waiting`, Esc): above an act
    /// form's fields; for the intake form, whose parts (the ABKs, the
    /// documents) have no such line, in the status line.
    fn set_waiting_line(&mut self, line: String) {
        match self.pending.as_ref().map(|p| p.what) {
            Some(Waiting::Act) => {
                if let Some(f) = self.form.as_mut() {
                    f.form.banner = Some(line);
                }
            }
            Some(Waiting::Intake) => self.message = Some(line),
            None => {}
        }
    }

    /// `Msg::Waiting`: the save has run a while; the form says so (and
    /// whether another session holds the register). `false` if it already did.
    fn waiting(&mut self) -> bool {
        let Some(p) = self.pending.as_mut() else {
            return false;
        };
        if p.progress.cancel.load(Ordering::SeqCst) {
            return false;
        }
        let busy = p.progress.busy.load(Ordering::SeqCst);
        if p.said == Some(busy) {
            return false;
        }
        p.said = Some(busy);
        let line = self.tr.t(if busy {
            "form-saving-busy"
        } else {
            "form-saving"
        });
        self.set_waiting_line(line);
        true
    }

    /// A form for `act` on the case (or complaint) as it stands now, carrying
    /// `typed` and expecting `typed.version`; with why the act is no longer
    /// possible, if it is not.
    fn rebuilt(
        &mut self,
        conn: &dyn Conn,
        act: Act,
        case_id: i64,
        subject: &str,
        typed: &actions::ActDraft,
    ) -> Result<Option<(ActionForm, Option<String>)>> {
        let mut f = if actions::on_complaint(act) {
            let Some(c) = self.complaints.rows.iter().find(|c| c.number == subject) else {
                return Ok(None);
            };
            let why = actions::complaint_refusal(&self.tr, act, c, self.role);
            let c = c.clone();
            let f = ActionForm::for_complaint(
                conn, &self.law, &self.tr, self.today, self.now, act, &c,
            )?;
            (f, why)
        } else {
            if !self.show_case(conn, case_id)? {
                return Ok(None);
            }
            let Some(d) = self.detail.as_ref() else {
                return Ok(None);
            };
            let why = actions::refusal(&self.tr, act, &d.case, self.role);
            let Some(f) = self.case_form(conn, act)? else {
                return Ok(None);
            };
            (f, why)
        };
        let version = typed.version;
        f.0.carry(typed, &self.law, &self.tr, self.today, self.now);
        f.0.expected_version = version;
        Ok(Some(f))
    }

    /// The open and parked act forms, and those kept from the last session
    /// not yet reopened, written to `<drafts>/<login>.acts.json` (removed when
    /// none is left): a dropped link loses no typing.
    fn save_act_drafts(&mut self) {
        let Some(path) = self.act_drafts_file() else {
            return;
        };
        let mut all: Vec<actions::ActDraft> = self.form.iter().map(ActionForm::draft).collect();
        all.extend(self.parked.iter().map(ActionForm::draft));
        all.extend(self.act_drafts.iter().cloned());
        let written = if all.is_empty() {
            match std::fs::remove_file(&path) {
                Err(e) if e.kind() != std::io::ErrorKind::NotFound => Err(e),
                _ => Ok(()),
            }
        } else {
            serde_json::to_vec(&all)
                .map_err(std::io::Error::other)
                .and_then(|bytes| crate::files::replace_private(&path, &bytes, false))
        };
        if let Err(e) = written {
            self.message = Some(
                self.tr
                    .a("intake-draft-failed", &[("error", &e.to_string())]),
            );
        }
    }

    /// This session's act drafts: `<drafts>/<login>.acts.<pid>.json`. One file
    /// a session, so two consoles of one login (two SSH windows) never
    /// overwrite each other's typing.
    fn act_drafts_file(&self) -> Option<std::path::PathBuf> {
        self.drafts_dir.as_ref().map(|d| {
            super::intake::draft_path(d, &format!("{}.acts.{}", self.login, std::process::id()))
        })
    }

    /// The act forms kept by this login's sessions that have ended (their
    /// process is gone): taken into this session's file, offered when the
    /// same act is opened on the same case again. A live session's are left
    /// to it.
    pub fn look_for_act_drafts(&mut self) {
        let (Some(dir), Some(own)) = (self.drafts_dir.clone(), self.act_drafts_file()) else {
            return;
        };
        let probe = super::intake::draft_path(&dir, &format!("{}.acts.0", self.login));
        let Some(prefix) = probe
            .file_name()
            .and_then(|n| n.to_str())
            .and_then(|n| n.strip_suffix("0.json"))
            .map(str::to_string)
        else {
            return;
        };
        let Ok(entries) = std::fs::read_dir(&dir) else {
            return;
        };
        let mut taken = Vec::new();
        for e in entries.flatten() {
            let path = e.path();
            let Some(pid) = path
                .file_name()
                .and_then(|n| n.to_str())
                .and_then(|n| n.strip_prefix(prefix.as_str()))
                .and_then(|n| n.strip_suffix(".json"))
                .and_then(|n| n.parse::<i32>().ok())
            else {
                continue;
            };
            if path == own || session_alive(pid) {
                continue;
            }
            let Ok(bytes) = std::fs::read(&path) else {
                continue;
            };
            if let Ok(drafts) = serde_json::from_slice::<Vec<actions::ActDraft>>(&bytes) {
                self.act_drafts.extend(
                    drafts
                        .into_iter()
                        .filter(|d| actions::act_of(&d.act).is_some()),
                );
            }
            taken.push(path);
        }
        if !taken.is_empty() {
            // Ours now: written to this session's file before the old ones go.
            self.save_act_drafts();
            if own.exists() || self.act_drafts.is_empty() {
                for p in taken {
                    let _ = std::fs::remove_file(p);
                }
            }
        }
        if !self.act_drafts.is_empty() {
            let list = self
                .act_drafts
                .iter()
                .map(|d| {
                    format!(
                        "{} ({})",
                        super::theme::inert(&d.subject, 24),
                        actions::act_of(&d.act)
                            .map(|a| self.tr.t(a.short_id()))
                            .unwrap_or_default()
                    )
                })
                .collect::<Vec<_>>()
                .join(", ");
            self.message = Some(self.tr.a("msg-act-drafts", &[("list", &list)]));
        }
    }

    /// Opens an act's form on the case in pane 2 (or the complaint selected
    /// in pane 4), or says why the act is not possible now. A form closed with
    /// Esc, or kept from the last session, comes back with what was typed.
    fn open_form(&mut self, conn: &dyn Conn, act: Act) -> Result<bool> {
        let (subject, case_id, version) = if actions::on_complaint(act) {
            let Some(c) = self
                .selected_row(Pane::Complaints)
                .and_then(|i| self.complaints.rows.get(i))
            else {
                return Ok(false);
            };
            if let Some(why) = actions::complaint_refusal(&self.tr, act, c, self.role) {
                self.message = Some(why);
                return Ok(true);
            }
            (c.number.clone(), c.case_id, None)
        } else {
            let Some(d) = self.detail.as_ref() else {
                self.message = Some(self.tr.t("detail-none"));
                return Ok(true);
            };
            if let Some(why) = actions::refusal(&self.tr, act, &d.case, self.role) {
                self.message = Some(why);
                return Ok(true);
            }
            (d.case.number.clone(), d.case.id, Some(d.case.version))
        };
        let same = |a: Act, s: &str| a == act && s == subject;
        if let Some(i) = self.parked.iter().position(|p| same(p.act, &p.subject)) {
            let p = self.parked.remove(i);
            if version.is_none_or(|v| v == p.expected_version) {
                let mut p = p;
                // Parked on an earlier day: its dates move to today.
                p.renew(&self.law, &self.tr, self.today, self.now);
                self.form = Some(p);
                return Ok(true);
            }
            // The case changed since: the form is rebuilt on it, and still
            // expects the version the clerk saw, so saving says who changed it.
            let typed = p.draft();
            if let Some((f, _)) = self.rebuilt(conn, act, case_id, &subject, &typed)? {
                self.form = Some(f);
            }
            return Ok(true);
        }
        let kept = self
            .act_drafts
            .iter()
            .position(|d| actions::act_of(&d.act) == Some(act) && d.subject == subject)
            .map(|i| self.act_drafts.remove(i));
        if let Some(typed) = kept {
            if let Some((f, _)) = self.rebuilt(conn, act, case_id, &subject, &typed)? {
                self.form = Some(f);
            }
            return Ok(true);
        }
        if actions::on_complaint(act) {
            let Some(c) = self
                .complaints
                .rows
                .iter()
                .find(|c| c.number == subject)
                .cloned()
            else {
                return Ok(false);
            };
            self.form = Some(ActionForm::for_complaint(
                conn, &self.law, &self.tr, self.today, self.now, act, &c,
            )?);
            return Ok(true);
        }
        self.form = self.case_form(conn, act)?;
        // Issue 21: the delivery of the notice on screen.
        if act == Act::Deliver
            && let (Some(f), Some(n)) = (self.form.as_mut(), self.notice.as_ref())
            && let Some(field) = f.form.field_mut("notice")
        {
            field.set_value(&n.number);
        }
        Ok(self.form.is_some())
    }

    /// The case in pane 2's state: as `reload` left it if it is that case,
    /// else read (`false` if it is gone).
    fn show_case(&mut self, conn: &dyn Conn, id: i64) -> Result<bool> {
        if self.detail.as_ref().is_some_and(|d| d.case.id == id) {
            return Ok(true);
        }
        self.load_detail(conn, id)
    }

    /// A fresh form for `act` on the case in pane 2.
    fn case_form(&self, conn: &dyn Conn, act: Act) -> Result<Option<ActionForm>> {
        let Some(d) = self.detail.as_ref() else {
            return Ok(None);
        };
        ActionForm::for_case(
            conn,
            &self.law,
            &self.tr,
            self.today,
            self.now,
            act,
            &d.case,
            self.role,
            self.signer.is_some(),
        )
        .map(Some)
    }

    /// Shows a signed notice in the notice view.
    fn open_notice(&mut self, conn: &dyn Conn, number: &str, case_id: i64) -> Result<()> {
        let n = crate::docs::get(conn, number)?;
        let content = crate::docs::parsed(&n)?;
        let seal = crate::docs::render::Seal {
            signature_b64: &n.signature,
            canonical: &n.content,
        };
        let lang = self.tr.code();
        self.notice = Some(NoticeView {
            number: n.number.clone(),
            case_id,
            text: crate::docs::render::text(&content, &seal, lang),
            html: crate::docs::render::html(&content, &seal, lang),
            scroll: 0,
            deliveries: n.deliveries.clone(),
        });
        if self.pane != Pane::Notice {
            // Esc goes from the notice to its case, and from the case back
            // where the case was opened from: only a notice opened from
            // another pane (a decision saved there) makes that pane the way back.
            if self.pane != Pane::Detail {
                self.back = self.pane;
            }
            self.pane = Pane::Notice;
        }
        Ok(())
    }

    /// Writes the notice on screen as a printable page (A4 HTML, verifiable
    /// with `tizilim doc verify`) to the clerk's notices folder.
    fn write_notice(&mut self) -> bool {
        let Some(n) = self.notice.as_ref() else {
            return false;
        };
        let lang = self.tr.code();
        let name = format!("{}.{lang}.html", n.number);
        let path = self
            .notices_dir
            .as_ref()
            .map_or_else(|| name.clone().into(), |d| d.join(&name));
        // Personal data: readable by the clerk alone.
        let written = match &self.notices_dir {
            Some(_) => crate::files::replace_private(&path, n.html.as_bytes(), true),
            // Only an App made without `with_notices` (a test): nothing
            // lands in the current folder by accident.
            None => Err(std::io::Error::other("no folder for notices was set")),
        };
        self.message = Some(match written {
            Ok(()) => self.tr.a(
                "msg-notice-written",
                &[("path", &path.display().to_string())],
            ),
            Err(e) => self.tr.a(
                "msg-notice-not-written",
                &[
                    ("path", &path.display().to_string()),
                    ("error", &e.to_string()),
                ],
            ),
        });
        true
    }

    fn key(&mut self, conn: &dyn Conn, ev: KeyEvent) -> Result<bool> {
        if ev.kind == KeyEventKind::Release {
            return Ok(false);
        }
        // What the clerk types tells the layout (a Kazakh letter in a form too).
        if let KeyCode::Char(c) = ev.code {
            let hotkey = self.form.is_none()
                && self.intake.is_none()
                && self.draft_offer.is_none()
                && self.register.editing.is_none()
                && self.queue.editing.is_none()
                && self
                    .filters
                    .of(self.pane)
                    .is_none_or(|f| f.editing.is_none());
            self.layout.learn(c, hotkey);
        }
        if self.form.is_some() {
            // The form takes every key, Ctrl-C too: its input is never lost
            // to a stray key (Esc closes it and keeps the input).
            return self.form_key(conn, ev);
        }
        // The intake form (or its draft's offer) takes every key.
        if self.intake.is_some() || self.draft_offer.is_some() {
            return self.intake_key(conn, ev);
        }
        if ev.modifiers.contains(KeyModifiers::CONTROL)
            && matches!(ev.code, KeyCode::Char('c') | KeyCode::Char('d'))
        {
            self.quit = true;
            return Ok(true);
        }
        if self.register.editing.is_some() {
            return self.register.edit(conn, &ev);
        }
        if let Some(redraw) = self.filter_key(&ev) {
            return Ok(redraw);
        }
        // The filter line takes raw characters (no layout mapping, no hotkeys).
        if let Some(line) = self.queue.editing.as_mut() {
            match ev.code {
                KeyCode::Esc => self.queue.editing = None,
                KeyCode::Enter => {
                    let q = line.trim().to_string();
                    self.queue.editing = None;
                    self.queue.view = Some(if q.is_empty() {
                        QueueView::View(View::Open)
                    } else {
                        QueueView::Search(q)
                    });
                    self.queue.pos = ListPos::default();
                    self.load_queue(conn, false)?;
                }
                KeyCode::Backspace => {
                    line.pop();
                }
                KeyCode::Char(c) if !c.is_control() && line.chars().count() < 60 => line.push(c),
                _ => return Ok(false),
            }
            return Ok(true);
        }
        let Some(key) = keys::key_on(&ev, self.layout) else {
            return Ok(false);
        };
        if self.help {
            return Ok(match keys::command(key, self.pane) {
                Some(Cmd::Help | Cmd::Back) => {
                    self.help = false;
                    true
                }
                Some(Cmd::Quit) => {
                    self.quit = true;
                    true
                }
                _ if key == keys::Key::Esc => {
                    self.help = false;
                    true
                }
                _ => false,
            });
        }
        let Some(cmd) = keys::command(key, self.pane) else {
            // Esc outside the detail pane clears a search.
            if key == keys::Key::Esc
                && self.pane == Pane::Queue
                && matches!(self.queue.view(), QueueView::Search(_))
            {
                self.queue.view = None;
                self.queue.pos = ListPos::default();
                self.load_queue(conn, false)?;
                return Ok(true);
            }
            // Esc clears a list's filter.
            if key == keys::Key::Esc
                && let Some(f) = self.filters.of_mut(self.pane)
                && f.query.take().is_some()
            {
                return Ok(true);
            }
            return Ok(false);
        };
        // A command not available now (this role, case, stage) says why
        // instead of doing nothing (`super::commands`).
        self.message = super::commands::why_not(self, cmd).map(|why| why.text);
        if self.message.is_some() {
            return Ok(true);
        }
        self.command(conn, cmd)
    }

    pub(super) fn go(&mut self, pane: Pane) -> bool {
        if pane == self.pane {
            return false;
        }
        if pane == Pane::Detail && self.pane != Pane::Detail {
            self.back = self.pane;
        }
        self.pane = pane;
        true
    }

    fn command(&mut self, conn: &dyn Conn, cmd: Cmd) -> Result<bool> {
        let h = list_height(self.size.1);
        let dh = detail_height(self.size.1);
        Ok(match cmd {
            Cmd::Quit => {
                self.quit = true;
                true
            }
            Cmd::Help => {
                self.help = true;
                true
            }
            Cmd::Pane(p) => self.go(p),
            Cmd::NextPane => {
                let n = Pane::ALL.len();
                self.go(Pane::ALL[(self.pane.index() + 1) % n])
            }
            Cmd::PrevPane => {
                let n = Pane::ALL.len();
                self.go(Pane::ALL[(self.pane.index() + n - 1) % n])
            }
            Cmd::Back if self.pane == Pane::Notice => {
                self.pane = Pane::Detail;
                true
            }
            // From the case, back to the list it was opened from (never to
            // itself: that would leave Esc doing nothing).
            Cmd::Back => match self.back {
                Pane::Detail | Pane::Notice => self.go(Pane::Queue),
                back => self.go(back),
            },
            Cmd::Act(act) => self.open_form(conn, act)?,
            Cmd::Notice => {
                let Some(d) = self.detail.as_ref() else {
                    return Ok(false);
                };
                let (id, number) = (d.case.id, d.case.number.clone());
                match crate::docs::list(conn, Some(&number))?.last() {
                    Some(n) => {
                        let no = n.number.clone();
                        self.open_notice(conn, &no, id)?;
                    }
                    None => self.message = Some(self.tr.t("msg-no-notice")),
                }
                true
            }
            Cmd::WriteNotice => self.write_notice(),
            Cmd::Filter if self.pane == Pane::Register => {
                self.register.start_find();
                true
            }
            Cmd::NextView if self.pane == Pane::Register => {
                self.register.next_view();
                true
            }
            Cmd::Group => self.register.toggle(),
            Cmd::Terms => {
                self.terms_scroll = 0;
                if self.terms.take().is_some() {
                    return Ok(true);
                }
                if !matches!(self.role, Role::Supervisor | Role::Admin) {
                    self.message = Some(self.tr.t("msg-terms-role"));
                    return Ok(true);
                }
                use chrono::Datelike;
                let from =
                    chrono::NaiveDate::from_ymd_opt(self.today.year(), 1, 1).expect("1 January");
                self.terms = Some(crate::store::read::terms::report(
                    conn,
                    from,
                    self.today,
                    &self.snap.deadlines,
                )?);
                true
            }
            Cmd::Intake => self.open_intake(),
            Cmd::Filter if self.filters.of(self.pane).is_some() => {
                let pane = self.pane;
                if let Some(f) = self.filters.of_mut(pane) {
                    f.editing = Some(f.query.clone().unwrap_or_default());
                }
                true
            }
            Cmd::Filter => {
                self.queue.editing = Some(String::new());
                true
            }
            Cmd::NextView => {
                let next = match self.queue.view() {
                    QueueView::View(v) => {
                        let i = View::ALL.iter().position(|x| *x == v).unwrap_or(0);
                        View::ALL[(i + 1) % View::ALL.len()]
                    }
                    QueueView::Search(_) => View::Open,
                };
                self.queue.view = Some(QueueView::View(next));
                self.queue.pos = ListPos::default();
                self.load_queue(conn, false)?;
                true
            }
            Cmd::NextSection | Cmd::PrevSection => match self.detail.as_mut() {
                Some(d) => {
                    let i = Section::ALL
                        .iter()
                        .position(|s| *s == d.section)
                        .unwrap_or(0);
                    let n = Section::ALL.len();
                    let j = if cmd == Cmd::NextSection {
                        (i + 1) % n
                    } else {
                        (i + n - 1) % n
                    };
                    d.section = Section::ALL[j];
                    true
                }
                None => false,
            },
            Cmd::Open => {
                let id = match self.pane {
                    Pane::Queue => self.queue.row(self.queue.pos.selected).map(|r| r.id),
                    Pane::Hearings => self
                        .selected_row(Pane::Hearings)
                        .and_then(|i| self.hearings.rows.get(i))
                        .map(|r| r.case_id),
                    Pane::Complaints => self
                        .selected_row(Pane::Complaints)
                        .and_then(|i| self.complaints.rows.get(i))
                        .map(|r| r.case_id),
                    Pane::Monitor => match self
                        .selected_row(Pane::Monitor)
                        .and_then(|i| self.snap.deadlines.get(i))
                    {
                        Some(d) => read::case_id(conn, &d.case)?,
                        None => None,
                    },
                    Pane::Register => match self.register.selected_case() {
                        Some(n) => read::case_id(conn, n)?,
                        None => None,
                    },
                    Pane::Detail | Pane::Notice => None,
                };
                match id {
                    Some(id) if self.load_detail(conn, id)? => {
                        self.go(Pane::Detail);
                        true
                    }
                    Some(_) => {
                        self.message = Some(self.tr.t("msg-not-found"));
                        true
                    }
                    None => false,
                }
            }
            Cmd::Down | Cmd::Up | Cmd::PageDown | Cmd::PageUp | Cmd::Top | Cmd::Bottom => {
                match self.pane {
                    Pane::Queue => self.queue.pos.apply(cmd, self.queue.ids.len(), h),
                    Pane::Hearings => {
                        let n = self.shown_len(Pane::Hearings);
                        self.hearings.pos.apply(cmd, n, h)
                    }
                    Pane::Complaints => {
                        let n = self.shown_len(Pane::Complaints);
                        self.complaints.pos.apply(cmd, n, h.saturating_sub(4))
                    }
                    Pane::Monitor if self.terms.is_some() => {
                        // The report scrolls as a page does: its lines are
                        // counted where it is drawn, so this only bounds it.
                        let before = self.terms_scroll;
                        self.terms_scroll = match cmd {
                            Cmd::Down => before.saturating_add(1),
                            Cmd::Up => before.saturating_sub(1),
                            Cmd::PageDown => before.saturating_add(h as u16),
                            Cmd::PageUp => before.saturating_sub(h as u16),
                            Cmd::Top => 0,
                            Cmd::Bottom => u16::MAX,
                            _ => before,
                        }
                        .min(self.terms.as_ref().map_or(0, |r| {
                            // The lines panes::terms draws: summary, legend,
                            // two headings, a row per paragraph and month,
                            // the late acts under their heading.
                            let late = r.late_acts.len() + usize::from(!r.late_acts.is_empty());
                            let lines = 4 + r.by_paragraph.len() + r.by_month.len() + late;
                            lines.saturating_sub(h) as u16
                        }));
                        before != self.terms_scroll
                    }
                    Pane::Monitor => {
                        let n = self.shown_len(Pane::Monitor);
                        self.monitor.apply(cmd, n, h)
                    }
                    Pane::Notice => match self.notice.as_mut() {
                        Some(n) => {
                            let before = n.scroll;
                            let lines = n.text.lines().count();
                            n.scroll = match cmd {
                                Cmd::Down => before + 1,
                                Cmd::PageDown => before + dh,
                                Cmd::Up => before.saturating_sub(1),
                                Cmd::PageUp => before.saturating_sub(dh),
                                Cmd::Top => 0,
                                _ => lines,
                            }
                            .min(lines.saturating_sub(1));
                            n.scroll != before
                        }
                        None => false,
                    },
                    Pane::Register => self.register.apply(cmd, self.size.1),
                    Pane::Detail => match self.detail.as_mut() {
                        Some(d) => match d.section {
                            Section::Summary => {
                                let before = d.summary_scroll;
                                d.summary_scroll = match cmd {
                                    Cmd::Down => (before + 1).min(200),
                                    Cmd::PageDown => (before + dh).min(200),
                                    Cmd::Up => before.saturating_sub(1),
                                    Cmd::PageUp => before.saturating_sub(dh),
                                    Cmd::Top => 0,
                                    _ => before,
                                };
                                d.summary_scroll != before
                            }
                            Section::Units => d.units_pos.apply(cmd, d.case.unit_count, dh),
                            Section::Clocks => {
                                let n = d.explanation.as_ref().map_or(0, |e| e.clocks.len());
                                d.clock_pos.apply(cmd, n, 1)
                            }
                            Section::History => d.history_pos.apply(cmd, d.history.len(), dh),
                        },
                        None => false,
                    },
                }
            }
        })
    }
}
