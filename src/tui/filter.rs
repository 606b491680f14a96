//! The `/` filter of the list panes held in memory — 3 Hearings, 4
//! Complaints, 5 Deadlines: a line typed as raw characters (no layout
//! mapping, no hotkeys) narrows the list as it is typed; Enter keeps it, Esc
//! clears it. Rows match as the queue's search does
//! (`rules::ids::row_matches`): a case or complaint number by prefix with
//! look-alikes folded (`АВК-2025-002001`) or by its sequence alone (`2001`),
//! an applicant's name or a complaint's text by substring.

use crossterm::event::{KeyCode, KeyEvent};

use super::state::{App, Pane};
use crate::rules::ids::row_matches;

/// The longest filter line, in characters.
pub const MAX: usize = 60;

/// One list pane's filter.
#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub struct ListFilter {
    /// The filter in force.
    pub query: Option<String>,
    /// The line being typed (in force as it is typed).
    pub editing: Option<String>,
}

impl ListFilter {
    /// What the list is filtered by now, if anything.
    pub fn active(&self) -> Option<&str> {
        self.editing
            .as_deref()
            .or(self.query.as_deref())
            .map(str::trim)
            .filter(|q| !q.is_empty())
    }

    /// A key while the line is typed; `None` if the line is not open.
    pub fn edit(&mut self, ev: &KeyEvent) -> Option<bool> {
        let line = self.editing.as_mut()?;
        Some(match ev.code {
            KeyCode::Esc => {
                self.editing = None;
                self.query = None;
                true
            }
            KeyCode::Enter => {
                let q = line.trim().to_string();
                self.editing = None;
                self.query = (!q.is_empty()).then_some(q);
                true
            }
            KeyCode::Backspace => line.pop().is_some(),
            KeyCode::Char(c) if !c.is_control() && line.chars().count() < MAX => {
                line.push(c);
                true
            }
            _ => false,
        })
    }
}

/// The filters of panes 3, 4 and 5.
#[derive(Debug, Default, Clone)]
pub struct Filters {
    pub hearings: ListFilter,
    pub complaints: ListFilter,
    pub monitor: ListFilter,
}

impl Filters {
    pub fn of(&self, pane: Pane) -> Option<&ListFilter> {
        match pane {
            Pane::Hearings => Some(&self.hearings),
            Pane::Complaints => Some(&self.complaints),
            Pane::Monitor => Some(&self.monitor),
            _ => None,
        }
    }

    pub fn of_mut(&mut self, pane: Pane) -> Option<&mut ListFilter> {
        match pane {
            Pane::Hearings => Some(&mut self.hearings),
            Pane::Complaints => Some(&mut self.complaints),
            Pane::Monitor => Some(&mut self.monitor),
            _ => None,
        }
    }
}

impl App {
    /// The indexes of the rows pane 3, 4 or 5 shows, in order (all of them
    /// without a filter; none for another pane).
    pub fn shown(&self, pane: Pane) -> Vec<usize> {
        let q = self.filters.of(pane).and_then(ListFilter::active);
        match pane {
            Pane::Hearings => (0..self.hearings.rows.len())
                .filter(|&i| {
                    let r = &self.hearings.rows[i];
                    q.is_none_or(|q| row_matches(q, &[&r.case], &[&r.applicant]))
                })
                .collect(),
            Pane::Complaints => (0..self.complaints.rows.len())
                .filter(|&i| {
                    let r = &self.complaints.rows[i];
                    q.is_none_or(|q| row_matches(q, &[&r.number, &r.case], &[&r.text]))
                })
                .collect(),
            Pane::Monitor => (0..self.snap.deadlines.len())
                .filter(|&i| {
                    let d = &self.snap.deadlines[i];
                    let complaint = d.complaint.as_deref().unwrap_or("");
                    q.is_none_or(|q| row_matches(q, &[&d.case, complaint], &[]))
                })
                .collect(),
            _ => Vec::new(),
        }
    }

    /// How many rows pane 3, 4 or 5 shows (without a filter, counted
    /// without listing them: this runs on every key).
    pub fn shown_len(&self, pane: Pane) -> usize {
        if self.filters.of(pane).and_then(ListFilter::active).is_some() {
            return self.shown(pane).len();
        }
        match pane {
            Pane::Hearings => self.hearings.rows.len(),
            Pane::Complaints => self.complaints.rows.len(),
            Pane::Monitor => self.snap.deadlines.len(),
            _ => 0,
        }
    }

    /// The row of pane 3, 4 or 5 under the selection (an index into its rows).
    pub fn selected_row(&self, pane: Pane) -> Option<usize> {
        let sel = match pane {
            Pane::Hearings => self.hearings.pos.selected,
            Pane::Complaints => self.complaints.pos.selected,
            Pane::Monitor => self.monitor.selected,
            _ => return None,
        };
        if self.filters.of(pane).and_then(ListFilter::active).is_none() {
            return (sel < self.shown_len(pane)).then_some(sel);
        }
        self.shown(pane).get(sel).copied()
    }

    /// A key for the current pane's filter line, if it is open: `Some(redraw)`.
    pub(super) fn filter_key(&mut self, ev: &KeyEvent) -> Option<bool> {
        let pane = self.pane;
        let redraw = self.filters.of_mut(pane)?.edit(ev)?;
        if redraw {
            // The list changed under the selection: back to its first row.
            match pane {
                Pane::Hearings => self.hearings.pos = Default::default(),
                Pane::Complaints => self.complaints.pos = Default::default(),
                _ => self.monitor = Default::default(),
            }
        }
        Some(redraw)
    }
}

/// The block title's mark of a filter in force (`  /2001`), inert.
pub fn title_mark(app: &App, pane: Pane) -> String {
    match app.filters.of(pane).and_then(|f| f.query.as_deref()) {
        Some(q) if app.filters.of(pane).is_some_and(|f| f.editing.is_none()) => {
            format!("  /{}", super::theme::inert(q, 24))
        }
        _ => String::new(),
    }
}
