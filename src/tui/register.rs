//! The register pane's state (pane 6): find an entry, the energy the
//! register's ABKs draw (§3: the country's energy security) and serials
//! claimed by more than one miner (§3: illegal-mining control).
//!
//! Energy and conflicts read the whole register (about 0.2 s and 0.4 s of CPU
//! over 100,000 cases; the console's peak memory stays about 20 MB after
//! both, issue 18), so they are loaded when their view is first shown and,
//! after another session's commit, read again only while shown; otherwise
//! marked stale and read when shown next. Never on a tick or a key that does
//! not need them. What is held is what the views list: the regions' and
//! locations' sums (a few dozen rows), and the claims on the serials in
//! conflict (1,426 claims on 699 serials in the national demo).

use crate::store::engine::Conn;
use crossterm::event::{KeyCode, KeyEvent};

use super::keys::Cmd;
use super::state::ListPos;
use crate::store::Result;
use crate::store::read::register::{self, Energy, EntryFound, SerialConflict};

/// The pane's three views, in the order `v` cycles them.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub enum RegView {
    #[default]
    Find,
    Energy,
    Conflicts,
}

impl RegView {
    pub const ALL: [RegView; 3] = [RegView::Find, RegView::Energy, RegView::Conflicts];

    pub fn title_id(self) -> &'static str {
        match self {
            RegView::Find => "reg-view-find",
            RegView::Energy => "reg-view-energy",
            RegView::Conflicts => "reg-view-conflicts",
        }
    }
}

/// Rows of the energy table at a terminal height: header, status and footer
/// lines, the block's borders, the totals line and the table header.
pub fn energy_height(rows: u16) -> usize {
    rows.saturating_sub(7) as usize
}

/// Rows of the conflicts table: as the energy table, with the selected
/// claim's two lines below it instead of the totals line.
pub fn conflicts_height(rows: u16) -> usize {
    rows.saturating_sub(8) as usize
}

/// Rows of the find view's result list: a quarter of the block, at least one.
pub fn found_height(rows: u16) -> usize {
    (rows.saturating_sub(5) as usize / 4).max(1)
}

#[derive(Debug, Default)]
pub struct RegisterState {
    pub view: RegView,
    /// The query line being typed (raw characters, like the queue's `/`).
    pub editing: Option<String>,
    /// The last query run, and what it found.
    pub query: Option<String>,
    pub found: Vec<EntryFound>,
    pub found_pos: ListPos,
    pub found_stale: bool,
    pub energy: Option<Energy>,
    pub energy_stale: bool,
    /// Energy by data centre (else by region).
    pub by_data_center: bool,
    pub energy_pos: ListPos,
    pub conflicts: Option<Vec<SerialConflict>>,
    pub conflicts_stale: bool,
    /// One row per claim: (conflict, claim) indexes into `conflicts`.
    pub claims: Vec<(usize, usize)>,
    pub conflict_pos: ListPos,
}

impl RegisterState {
    /// Reads what the current view shows if it is not at hand or is stale.
    pub fn ensure(&mut self, conn: &dyn Conn) -> Result<()> {
        match self.view {
            RegView::Find => {
                if self.found_stale {
                    self.found_stale = false;
                    if let Some(q) = self.query.clone() {
                        self.found = register::find(conn, &q)?;
                    }
                }
            }
            RegView::Energy => {
                if self.energy.is_none() || self.energy_stale {
                    self.energy = Some(register::energy(conn)?);
                    self.energy_stale = false;
                }
            }
            RegView::Conflicts => {
                if self.conflicts.is_none() || self.conflicts_stale {
                    let list = register::serial_conflicts(conn)?;
                    // Keep the selection on the same claim (case and serial).
                    let keep = self.selected_claim_key();
                    self.claims = list
                        .iter()
                        .enumerate()
                        .flat_map(|(i, c)| (0..c.claims.len()).map(move |j| (i, j)))
                        .collect();
                    self.conflicts = Some(list);
                    self.conflicts_stale = false;
                    if let Some(k) = keep
                        && let Some(i) =
                            (0..self.claims.len()).find(|i| self.claim_key(*i).as_ref() == Some(&k))
                    {
                        self.conflict_pos.selected = i;
                    }
                }
            }
        }
        Ok(())
    }

    /// Another session committed: what is held may be out of date.
    pub fn mark_stale(&mut self) {
        self.found_stale = self.query.is_some();
        self.energy_stale = self.energy.is_some();
        self.conflicts_stale = self.conflicts.is_some();
    }

    pub fn next_view(&mut self) {
        let i = RegView::ALL
            .iter()
            .position(|v| *v == self.view)
            .unwrap_or(0);
        self.view = RegView::ALL[(i + 1) % RegView::ALL.len()];
    }

    /// Energy by region ↔ by data centre.
    pub fn toggle(&mut self) -> bool {
        if self.view != RegView::Energy {
            return false;
        }
        self.by_data_center = !self.by_data_center;
        self.energy_pos = ListPos::default();
        true
    }

    /// `/`: the find view, its query line open.
    pub fn start_find(&mut self) {
        self.view = RegView::Find;
        self.editing = Some(String::new());
    }

    /// A key while the query line is open: raw characters, Enter runs, Esc cancels.
    pub fn edit(&mut self, conn: &dyn Conn, ev: &KeyEvent) -> Result<bool> {
        let Some(line) = self.editing.as_mut() else {
            return Ok(false);
        };
        match ev.code {
            KeyCode::Esc => self.editing = None,
            KeyCode::Enter => {
                let q = line.trim().to_string();
                self.editing = None;
                if q.is_empty() {
                    self.query = None;
                    self.found.clear();
                } else {
                    self.found = register::find(conn, &q)?;
                    self.query = Some(q);
                }
                self.found_stale = false;
                self.found_pos = ListPos::default();
            }
            KeyCode::Backspace => {
                line.pop();
            }
            KeyCode::Char(c) if !c.is_control() && line.chars().count() < 64 => line.push(c),
            _ => return Ok(false),
        }
        Ok(true)
    }

    /// How many rows the energy view lists now.
    pub fn energy_len(&self) -> usize {
        self.energy.as_ref().map_or(0, |e| {
            if self.by_data_center {
                e.data_centers.len()
            } else {
                e.regions.len()
            }
        })
    }

    /// A movement key in the current view.
    pub fn apply(&mut self, cmd: Cmd, rows: u16) -> bool {
        match self.view {
            RegView::Find => self
                .found_pos
                .apply(cmd, self.found.len(), found_height(rows)),
            RegView::Energy => {
                let n = self.energy_len();
                self.energy_pos.apply(cmd, n, energy_height(rows))
            }
            RegView::Conflicts => {
                self.conflict_pos
                    .apply(cmd, self.claims.len(), conflicts_height(rows))
            }
        }
    }

    /// Keeps the selections inside their lists and visible at this height.
    pub fn clamp(&mut self, rows: u16) {
        self.found_pos.clamp(self.found.len(), found_height(rows));
        let n = self.energy_len();
        self.energy_pos.clamp(n, energy_height(rows));
        self.conflict_pos
            .clamp(self.claims.len(), conflicts_height(rows));
    }

    /// The claim shown on row `i` of the conflicts view, with its serial.
    pub fn claim(&self, i: usize) -> Option<(&SerialConflict, &register::Claim)> {
        let (c, k) = *self.claims.get(i)?;
        let conflict = self.conflicts.as_ref()?.get(c)?;
        Some((conflict, conflict.claims.get(k)?))
    }

    fn claim_key(&self, i: usize) -> Option<(String, String)> {
        self.claim(i)
            .map(|(c, k)| (c.serial.clone(), k.case.clone()))
    }

    fn selected_claim_key(&self) -> Option<(String, String)> {
        self.claim_key(self.conflict_pos.selected)
    }

    /// The case number Enter opens: the entry's case, or the claim's.
    pub fn selected_case(&self) -> Option<&str> {
        match self.view {
            RegView::Find => self
                .found
                .get(self.found_pos.selected)
                .map(|e| e.case.as_str()),
            RegView::Conflicts => self
                .claim(self.conflict_pos.selected)
                .map(|(_, k)| k.case.as_str()),
            RegView::Energy => None,
        }
    }
}
