//! Intake at the desk: an operator registers a paper application
//! (Appendices 2, 3, 4, 9) in the console. The header (kind, applicant, data
//! centre, code, change notice) is a [`Form`]; the units (Appendix 3) and the
//! documents are [`Grid`]s — tables with a cursor cell. The form builds the
//! portal JSON and runs the very validation of `tizilim intake`
//! ([`crate::intake::parse_application`]); each error's JSON path is mapped
//! back to its field or cell and shown once the operator has left it. Saving
//! registers the case through [`crate::intake::register_in`] in one
//! transaction ([`crate::store::write_on`]).
//!
//! Drafts: on every change the form is written atomically to
//! `<drafts>/<login>.json` (0600), outside the register — not synced, so no
//! key waits on the disk, and a hang-up that ends the process at once loses
//! nothing typed — synced on closing; it is offered back at the next start
//! or `i`.

use std::collections::{BTreeMap, HashSet};
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use crate::store::engine::Conn;
use chrono::{DateTime, NaiveDate, Utc};
use crossterm::event::{KeyCode, KeyEvent, KeyEventKind, KeyModifiers};
use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::style::{Modifier, Style};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Clear, Paragraph};
use serde::{Deserialize, Serialize};
use serde_json::{Map, Value, json};

use super::form::{Field, Form, FormEvent, Input, Opt, parse_date, parse_time};
use super::state::{App, Pane, Waiting};
use super::theme::inert;
use super::worker::{Cancelled, Done, Job};
use crate::intake::{FieldError, FileOutcome};
use crate::rules::{ClockState, ids};
use crate::store::{Result, services};

// ---------------------------------------------------------------- the grid

/// A column of a [`Grid`].
pub struct Col {
    /// The JSON key of the cell (`serial`).
    pub id: &'static str,
    /// Fluent id of the header.
    pub label: &'static str,
    /// The narrowest it is drawn.
    pub width: u16,
    /// A choice of words (Space cycles) instead of free text; the words'
    /// labels are the Fluent ids `{prefix}{word}`.
    pub choice: Option<(&'static str, &'static [&'static str])>,
}

pub const UNIT_COLS: &[Col] = &[
    Col {
        id: "brand",
        label: "intake-col-brand",
        width: 8,
        choice: None,
    },
    Col {
        id: "model",
        label: "col-model",
        width: 12,
        choice: None,
    },
    Col {
        id: "serial",
        label: "col-serial",
        width: 14,
        choice: None,
    },
    Col {
        id: "hashrate_ths",
        label: "col-hashrate",
        width: 6,
        choice: None,
    },
    Col {
        id: "power_kw",
        label: "col-power",
        width: 5,
        choice: None,
    },
    Col {
        id: "declaration_no",
        label: "intake-col-declaration",
        width: 9,
        choice: None,
    },
    Col {
        id: "condition",
        label: "intake-col-condition",
        width: 13,
        choice: Some(("intake-cond-", &["serviceable", "unserviceable"])),
    },
];

pub const DOC_COLS: &[Col] = &[
    Col {
        id: "kind",
        label: "intake-col-doc-kind",
        width: 18,
        choice: Some((
            "doc-",
            &[
                "ownership_proof",
                "end_of_right_proof",
                "change_basis",
                "power_of_attorney",
                "other",
            ],
        )),
    },
    Col {
        id: "name",
        label: "intake-col-doc-name",
        width: 24,
        choice: None,
    },
    Col {
        id: "valid_until",
        label: "intake-col-valid-until",
        width: 12,
        choice: None,
    },
];

/// One row of a grid: its cells, which of them the operator has left (errors
/// show only there), and what is wrong.
#[derive(Debug, Clone, Default)]
pub struct GridRow {
    pub cells: Vec<String>,
    pub visited: Vec<bool>,
    pub errors: Vec<Option<String>>,
    /// A serial already in the register (a warning: saving is allowed).
    pub warning: Option<String>,
}

impl GridRow {
    fn new(cols: &[Col]) -> GridRow {
        GridRow {
            cells: cols
                .iter()
                .map(|c| c.choice.map(|(_, w)| w[0].to_string()).unwrap_or_default())
                .collect(),
            visited: vec![false; cols.len()],
            errors: vec![None; cols.len()],
            warning: None,
        }
    }

    /// Blank: every text cell empty (choices keep their default).
    fn blank(&self, cols: &[Col]) -> bool {
        cols.iter()
            .zip(&self.cells)
            .all(|(c, v)| c.choice.is_some() || v.trim().is_empty())
    }
}

/// A table with a cursor cell (the units of Appendix 3, the documents).
pub struct Grid {
    pub cols: &'static [Col],
    pub rows: Vec<GridRow>,
    pub row: usize,
    pub col: usize,
    pub offset: usize,
    /// An error about the whole table (`units`: none listed).
    pub error: Option<String>,
    pub max_rows: usize,
}

/// What a key did to a grid.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum GridEvent {
    Ignored,
    Redraw,
    /// The cursor left the cell (row, col): check it.
    Left(usize, usize),
    /// Cells changed without leaving (typing).
    Changed,
    /// Rows added or removed (check everything visited).
    Rows,
    /// Tab past the last cell / Shift-Tab before the first.
    Out(bool),
}

impl Grid {
    pub fn new(cols: &'static [Col], max_rows: usize) -> Grid {
        Grid {
            cols,
            rows: vec![GridRow::new(cols)],
            row: 0,
            col: 0,
            offset: 0,
            error: None,
            max_rows,
        }
    }

    pub fn col_index(&self, id: &str) -> Option<usize> {
        self.cols.iter().position(|c| c.id == id)
    }

    pub fn cell(&self, row: usize, id: &str) -> &str {
        self.col_index(id)
            .and_then(|c| self.rows.get(row).and_then(|r| r.cells.get(c)))
            .map_or("", String::as_str)
    }

    /// A copy of row `i` for a new row below it: everything but the serial
    /// (serials are unique; the batch's brand, model and figures are not).
    fn like(&self, i: usize) -> GridRow {
        let mut r = GridRow::new(self.cols);
        if let Some(src) = self.rows.get(i) {
            r.cells = src.cells.clone();
            if let Some(s) = self.col_index("serial") {
                r.cells[s].clear();
            }
        }
        r
    }

    fn insert(&mut self, at: usize, row: GridRow) -> bool {
        if self.rows.len() >= self.max_rows {
            return false;
        }
        self.rows.insert(at.min(self.rows.len()), row);
        true
    }

    fn leave(&mut self, to_row: usize, to_col: usize) -> GridEvent {
        let (r, c) = (self.row, self.col);
        self.row = to_row.min(self.rows.len().saturating_sub(1));
        self.col = to_col.min(self.cols.len() - 1);
        if let Some(row) = self.rows.get_mut(r)
            && let Some(v) = row.visited.get_mut(c)
        {
            *v = true;
        }
        if (r, c) == (self.row, self.col) {
            GridEvent::Redraw
        } else {
            GridEvent::Left(r, c)
        }
    }

    pub fn key(&mut self, ev: KeyEvent) -> GridEvent {
        let ctrl = ev.modifiers.contains(KeyModifiers::CONTROL);
        let (r, c) = (self.row, self.col);
        let last_row = self.rows.len().saturating_sub(1);
        let last_col = self.cols.len() - 1;
        let choice = self.cols[c].choice;
        match ev.code {
            KeyCode::Char('n') if ctrl => {
                if !self.insert(r + 1, GridRow::new(self.cols)) {
                    return GridEvent::Ignored;
                }
                self.leave(r + 1, 0);
                GridEvent::Rows
            }
            KeyCode::Char('d') if ctrl => {
                let copy = self.like(r);
                if !self.insert(r + 1, copy) {
                    return GridEvent::Ignored;
                }
                self.leave(r + 1, c);
                GridEvent::Rows
            }
            KeyCode::Char('k') if ctrl => {
                if self.rows.len() > 1 {
                    self.rows.remove(r);
                } else {
                    self.rows[0] = GridRow::new(self.cols);
                }
                self.row = r.min(self.rows.len() - 1);
                GridEvent::Rows
            }
            KeyCode::Char('u') if ctrl => {
                self.rows[r].cells[c] = choice.map(|(_, w)| w[0].to_string()).unwrap_or_default();
                GridEvent::Changed
            }
            KeyCode::Tab => {
                if c < last_col {
                    self.leave(r, c + 1)
                } else if r < last_row {
                    self.leave(r + 1, 0)
                } else {
                    self.leave(r, c);
                    GridEvent::Out(true)
                }
            }
            KeyCode::BackTab => {
                if c > 0 {
                    self.leave(r, c - 1)
                } else if r > 0 {
                    self.leave(r - 1, last_col)
                } else {
                    self.leave(r, c);
                    GridEvent::Out(false)
                }
            }
            KeyCode::Right => self.leave(r, (c + 1).min(last_col)),
            KeyCode::Left => self.leave(r, c.saturating_sub(1)),
            KeyCode::Down => self.leave(r + 1, c),
            KeyCode::Up => self.leave(r.saturating_sub(1), c),
            KeyCode::PageDown => self.leave(r + 10, c),
            KeyCode::PageUp => self.leave(r.saturating_sub(10), c),
            KeyCode::Home if ctrl => self.leave(0, c),
            KeyCode::End if ctrl => self.leave(last_row, c),
            KeyCode::Home => self.leave(r, 0),
            KeyCode::End => self.leave(r, last_col),
            KeyCode::Enter => {
                // Down a row; on the last row, a new row like this one (typing
                // a batch's serials one after another).
                if r == last_row && !self.rows[r].blank(self.cols) {
                    let copy = self.like(r);
                    if self.insert(r + 1, copy) {
                        self.leave(r + 1, c);
                        return GridEvent::Rows;
                    }
                }
                self.leave(r + 1, c)
            }
            KeyCode::Char(' ') if choice.is_some() => {
                let (_, words) = choice.expect("checked");
                let cell = &mut self.rows[r].cells[c];
                let at = words.iter().position(|w| w == cell).unwrap_or(0);
                *cell = words[(at + 1) % words.len()].to_string();
                GridEvent::Changed
            }
            KeyCode::Backspace if choice.is_none() => {
                self.rows[r].cells[c].pop();
                GridEvent::Changed
            }
            KeyCode::Char(ch) if !ctrl && choice.is_none() && !ch.is_control() => {
                let cell = &mut self.rows[r].cells[c];
                if cell.chars().count() < 500 {
                    cell.push(ch);
                }
                GridEvent::Changed
            }
            _ => GridEvent::Ignored,
        }
    }

    /// A bracketed paste: one line into the cell; several lines make one row
    /// each from the cursor's row down (the first replaces the cell, the others
    /// are new rows like it); tabs (a spreadsheet's copy) fill the columns to
    /// the right. Returns the rows whose cells were filled.
    pub fn paste(&mut self, text: &str) -> Vec<usize> {
        let text = text.replace("\r\n", "\n").replace('\r', "\n");
        let lines: Vec<&str> = text
            .split('\n')
            .map(str::trim)
            .filter(|l| !l.is_empty())
            .collect();
        let (r0, c0) = (self.row, self.col);
        if lines.len() <= 1 && !lines.first().is_some_and(|l| l.contains('\t')) {
            if self.cols[c0].choice.is_none()
                && let Some(l) = lines.first()
            {
                self.rows[r0].cells[c0].push_str(l);
                return vec![r0];
            }
            return Vec::new();
        }
        let mut filled = Vec::new();
        for (i, line) in lines.iter().enumerate() {
            let r = r0 + i;
            if i > 0 {
                let copy = self.like(r0);
                if !self.insert(r, copy) {
                    break;
                }
            }
            for (j, part) in line.split('\t').enumerate() {
                let c = c0 + j;
                let Some(col) = self.cols.get(c) else { break };
                let v = part.trim();
                let cell = &mut self.rows[r].cells[c];
                match col.choice {
                    Some((_, words)) => {
                        if let Some(w) = words.iter().find(|w| w.eq_ignore_ascii_case(v)) {
                            *cell = w.to_string();
                        }
                    }
                    None => *cell = v.chars().take(500).collect(),
                }
                self.rows[r].visited[c] = true;
            }
            filled.push(r);
        }
        filled
    }

    fn clear_errors(&mut self) {
        self.error = None;
        for r in &mut self.rows {
            r.errors.iter_mut().for_each(|e| *e = None);
        }
    }

    fn visit_all(&mut self) {
        for r in &mut self.rows {
            r.visited.iter_mut().for_each(|v| *v = true);
        }
    }

    /// The rows that are not blank, each as a JSON object, with the grid row
    /// each JSON index came from.
    fn to_json(&self, convert: impl Fn(&str, &str) -> Value) -> (Vec<Value>, Vec<usize>) {
        let mut out = Vec::new();
        let mut from = Vec::new();
        for (i, row) in self.rows.iter().enumerate() {
            if row.blank(self.cols) {
                continue;
            }
            let mut obj = Map::new();
            for (col, v) in self.cols.iter().zip(&row.cells) {
                let v = v.trim();
                if !v.is_empty() {
                    obj.insert(col.id.to_string(), convert(col.id, v));
                }
            }
            out.push(Value::Object(obj));
            from.push(i);
        }
        (out, from)
    }

    fn first_error(&self) -> Option<(usize, usize)> {
        self.rows
            .iter()
            .enumerate()
            .find_map(|(i, r)| r.errors.iter().position(Option::is_some).map(|c| (i, c)))
    }

    /// Column widths for `width` columns of screen (the number column
    /// first). Each column has its least width; what is left goes first to
    /// the columns whose heading's longest word or widest entry is wider
    /// (a serial is never cut for room another column does not use), then
    /// evenly.
    fn widths(&self, app: &App, width: u16) -> (u16, Vec<u16>) {
        let num = 4u16;
        let seps = self.cols.len() as u16;
        let min: u16 = self.cols.iter().map(|c| c.width).sum();
        let room = width.saturating_sub(num + seps);
        let n = self.cols.len() as u16;
        if room < min {
            return (num, self.window(app, width.saturating_sub(num)));
        }
        let want: Vec<u16> = self
            .cols
            .iter()
            .enumerate()
            .map(|(i, c)| {
                // The heading on one line where the room allows.
                let head = crate::rules::text::width(&app.tr.t(c.label));
                let cells = self
                    .rows
                    .iter()
                    .map(|r| match c.choice {
                        Some((prefix, _)) => {
                            crate::rules::text::width(&app.tr.t(&format!("{prefix}{}", r.cells[i])))
                        }
                        None => crate::rules::text::width(&r.cells[i]) + 1,
                    })
                    .max()
                    .unwrap_or(0);
                u16::try_from(head.max(cells).max(6)).unwrap_or(u16::MAX)
            })
            .collect();
        // A column wider than its heading's longest word and its entries
        // (six columns kept for typing) lends the rest.
        let least: Vec<u16> = self
            .cols
            .iter()
            .enumerate()
            .map(|(i, c)| {
                let head = app
                    .tr
                    .t(c.label)
                    .split_whitespace()
                    .map(crate::rules::text::width)
                    .max()
                    .unwrap_or(0);
                let cells = self
                    .rows
                    .iter()
                    .map(|r| crate::rules::text::width(&r.cells[i]) + 1)
                    .max()
                    .unwrap_or(0);
                u16::try_from(head.max(cells).max(6))
                    .unwrap_or(u16::MAX)
                    .min(c.width)
                    .min(want[i])
                    .min(c.width)
            })
            .collect();
        let mut ws: Vec<u16> = least.clone();
        let mut extra = room - least.iter().sum::<u16>();
        let mut order: Vec<usize> = (0..ws.len()).collect();
        // A choice (a document's kind: the Rules' words) first, then the
        // columns nearest their whole width.
        order.sort_by_key(|&i| (self.cols[i].choice.is_none(), want[i].saturating_sub(ws[i])));
        for i in order {
            let give = extra.min(want[i].saturating_sub(ws[i]));
            ws[i] += give;
            extra -= give;
        }
        for (i, w) in ws.iter_mut().enumerate() {
            *w += extra / n + u16::from((i as u16) < extra % n);
        }
        (num, ws)
    }

    /// Narrow screens (issue 17: at 40 the seven headings broke mid-word):
    /// the columns around the cursor's that fit whole (a heading's longest
    /// word, six columns for typing), the others at width 0, shown on the
    /// detail line below ([`Grid::hidden_line`]).
    fn window(&self, app: &App, room: u16) -> Vec<u16> {
        let need: Vec<u16> = self
            .cols
            .iter()
            .enumerate()
            .map(|(i, c)| {
                let head = app
                    .tr
                    .t(c.label)
                    .split_whitespace()
                    .map(crate::rules::text::width)
                    .max()
                    .unwrap_or(0);
                let cells = self
                    .rows
                    .iter()
                    .map(|r| crate::rules::text::width(&r.cells[i]) + 1)
                    .max()
                    .unwrap_or(0)
                    .min(usize::from(c.width));
                u16::try_from(head.max(cells).max(6)).unwrap_or(u16::MAX)
            })
            .collect();
        let n = self.cols.len();
        let cur = self.col.min(n.saturating_sub(1));
        let mut ws = vec![0u16; n];
        if n == 0 {
            return ws;
        }
        let (mut lo, mut hi) = (cur, cur);
        let mut used = need[cur].saturating_add(1);
        loop {
            let right = (hi + 1 < n).then(|| need[hi + 1] + 1);
            let left = (lo > 0).then(|| need[lo - 1] + 1);
            if let Some(r) = right.filter(|r| used + r <= room) {
                hi += 1;
                used += r;
            } else if let Some(l) = left.filter(|l| used + l <= room) {
                lo -= 1;
                used += l;
            } else {
                break;
            }
        }
        ws[lo..=hi].copy_from_slice(&need[lo..=hi]);
        // The rest of the line to the last column shown (or the cursor's
        // alone, narrower than it needs, on a very small screen).
        let total: u16 = (lo..=hi).map(|i| ws[i] + 1).sum();
        if total <= room {
            // A choice shown (the Rules' words) first: it wraps the less.
            let mut extra = room - total;
            if let Some(i) = (lo..=hi).find(|&i| self.cols[i].choice.is_some()) {
                let want = self
                    .rows
                    .get(self.row)
                    .and_then(|r| {
                        self.cols[i]
                            .choice
                            .map(|(p, _)| app.tr.t(&format!("{p}{}", r.cells[i])))
                    })
                    .map_or(0, |t| crate::rules::text::width(&t));
                let give = extra.min(
                    u16::try_from(want)
                        .unwrap_or(u16::MAX)
                        .saturating_sub(ws[i]),
                );
                ws[i] += give;
                extra -= give;
            }
            ws[hi] += extra;
        } else {
            ws[cur] = room.saturating_sub(1);
        }
        ws
    }

    /// The cursor row's cells of the columns a narrow screen leaves out,
    /// "heading: value · …" (empty when all show).
    fn hidden_line(&self, app: &App, ws: &[u16]) -> String {
        let Some(row) = self.rows.get(self.row) else {
            return String::new();
        };
        self.cols
            .iter()
            .zip(ws)
            .enumerate()
            .filter(|(_, (_, w))| **w == 0)
            .map(|(i, (c, _))| {
                let raw = &row.cells[i];
                let v = match c.choice {
                    Some((prefix, _)) => app.tr.t(&format!("{prefix}{raw}")),
                    None => inert(raw, 500),
                };
                format!("{}: {v}", app.tr.t(c.label))
            })
            .collect::<Vec<_>>()
            .join(" · ")
    }

    /// The headings' lines at widths `ws`.
    fn heads(&self, app: &App, ws: &[u16]) -> Vec<Vec<String>> {
        self.cols
            .iter()
            .zip(ws)
            .map(|(c, w)| {
                let label = app.tr.t(c.label);
                if crate::rules::text::width(&label) <= usize::from(*w) {
                    vec![label]
                } else {
                    textwrap::wrap(&label, usize::from((*w).max(1)))
                        .into_iter()
                        .map(|l| l.into_owned())
                        .collect()
                }
            })
            .collect()
    }

    /// The header's lines: the tallest shown heading's, one to three.
    fn head_h(heads: &[Vec<String>], ws: &[u16]) -> usize {
        heads
            .iter()
            .zip(ws)
            .filter(|(_, w)| **w > 0)
            .map(|(h, _)| h.len())
            .max()
            .unwrap_or(1)
            .clamp(1, 3)
    }

    fn draw(&self, f: &mut Frame, app: &App, area: Rect, focused: bool) {
        if area.height < 2 || area.width < 10 {
            return;
        }
        let theme = &app.theme;
        let (num, ws) = self.widths(app, area.width);
        // Header: a heading wider than its column wraps between words
        // (issue 17), over at most three lines.
        let heads = self.heads(app, &ws);
        let head_h = Grid::head_h(&heads, &ws).min(usize::from(area.height - 1));
        for line in 0..head_h {
            let mut spans = vec![Span::styled(
                if line == 0 {
                    format!("{:>3} ", "#")
                } else {
                    "    ".to_string()
                },
                theme.header(),
            )];
            for (lines, w) in heads.iter().zip(&ws).filter(|(_, w)| **w > 0) {
                let text = lines.get(line).map_or("", String::as_str);
                spans.push(Span::styled(fit(text, *w as usize), theme.header()));
                spans.push(Span::raw(" "));
            }
            f.render_widget(
                Line::from(spans),
                Rect::new(area.x, area.y + line as u16, area.width, 1),
            );
        }
        // Rows: the cursor's row kept on screen. A choice (the Rules'
        // words: a document's kind) wider than its column wraps between
        // words and its row takes the lines (issue 17: never cut).
        let h = area.height as usize - head_h;
        let choice_lines = |row: &GridRow| -> Vec<Vec<String>> {
            self.cols
                .iter()
                .zip(&ws)
                .enumerate()
                .map(|(c, (col, w))| match col.choice {
                    Some((prefix, _)) if *w > 0 => {
                        let t = app.tr.t(&format!("{prefix}{}", row.cells[c]));
                        if crate::rules::text::width(&t) <= usize::from(*w) {
                            vec![t]
                        } else {
                            textwrap::wrap(&t, usize::from(*w))
                                .into_iter()
                                .map(|l| l.into_owned())
                                .collect()
                        }
                    }
                    _ => Vec::new(),
                })
                .collect()
        };
        let height = |row: &GridRow| -> usize {
            choice_lines(row)
                .iter()
                .map(Vec::len)
                .max()
                .unwrap_or(1)
                .max(1)
        };
        let mut offset = if self.row < self.offset {
            self.row
        } else if self.row >= self.offset + h {
            self.row + 1 - h
        } else {
            self.offset
        };
        while offset < self.row
            && self.rows[offset..=self.row.min(self.rows.len().saturating_sub(1))]
                .iter()
                .map(height)
                .sum::<usize>()
                > h
        {
            offset += 1;
        }
        let mut y_used = 0usize;
        for (i, row) in self.rows.iter().enumerate().skip(offset) {
            let rh = height(row);
            if y_used >= h || (y_used + rh > h && y_used > 0) {
                break;
            }
            let wrapped = choice_lines(row);
            for extra in 1..rh.min(h - y_used) {
                let mut spans = vec![Span::raw("    ")];
                for (c, w) in ws.iter().enumerate().filter(|(_, w)| **w > 0) {
                    let text = wrapped[c].get(extra).map_or("", String::as_str);
                    let mut style = Style::new();
                    if focused && i == self.row {
                        style = if c == self.col {
                            theme.selected()
                        } else {
                            style.add_modifier(Modifier::UNDERLINED)
                        };
                    }
                    spans.push(Span::styled(fit(text, *w as usize), style));
                    spans.push(Span::raw(" "));
                }
                let y = area.y + (head_h + y_used + extra) as u16;
                f.render_widget(Line::from(spans), Rect::new(area.x, y, area.width, 1));
            }
            let y = area.y + (head_h + y_used) as u16;
            y_used += rh;
            let mut spans = vec![Span::raw(format!(
                "{:>3}{}",
                i + 1,
                if row.warning.is_some() || row.errors.iter().any(Option::is_some) {
                    "!"
                } else {
                    " "
                }
            ))];
            let _ = num;
            for (c, (col, w)) in self.cols.iter().zip(&ws).enumerate() {
                if *w == 0 {
                    continue;
                }
                let raw = &row.cells[c];
                let shown = match col.choice {
                    Some(_) => wrapped[c].first().cloned().unwrap_or_default(),
                    None => inert(raw, 500),
                };
                let at_cursor = focused && i == self.row && c == self.col;
                let shown = if at_cursor && col.choice.is_none() {
                    // The end of what is being typed, and a cursor after it.
                    // By display columns: a wide letter counts two.
                    let w = (*w as usize).max(1);
                    let mut tail: Vec<char> = Vec::new();
                    let mut used = 0;
                    for ch in shown.chars().rev() {
                        let cw = unicode_width::UnicodeWidthChar::width(ch).unwrap_or(0);
                        if used + cw > w - 1 {
                            break;
                        }
                        used += cw;
                        tail.push(ch);
                    }
                    format!("{}_", tail.iter().rev().collect::<String>())
                } else {
                    shown
                };
                let mut style = Style::new();
                if row.errors[c].is_some() {
                    style = theme.state(ClockState::Overdue);
                } else if row.warning.is_some() && col.id == "serial" {
                    style = theme.state(ClockState::DueToday);
                }
                if at_cursor {
                    style = style.patch(theme.selected());
                } else if focused && i == self.row {
                    style = style.add_modifier(Modifier::UNDERLINED);
                }
                spans.push(Span::styled(fit(&shown, *w as usize), style));
                spans.push(Span::raw(" "));
            }
            f.render_widget(Line::from(spans), Rect::new(area.x, y, area.width, 1));
        }
    }
}

/// `s` cut or padded to exactly `w` display columns (a wide letter counts
/// two, a combining mark none: a hostile entry cannot push the next
/// column along).
fn fit(s: &str, w: usize) -> String {
    let t = crate::rules::text::cut_to_width(s, w);
    let n = crate::rules::text::width(&t);
    format!("{t}{}", " ".repeat(w.saturating_sub(n)))
}

// ---------------------------------------------------------------- the form

/// Which part of the form has the focus (PgDn / PgUp move between them).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Part {
    Application,
    Units,
    Documents,
}

/// What the register answered on saving.
#[derive(Debug, Clone)]
pub struct Saved {
    pub outcome: FileOutcome,
}

pub struct Intake {
    pub form: Form,
    pub units: Grid,
    pub docs: Grid,
    pub part: Part,
    /// Header fields the operator has left (their errors are shown).
    pub visited: HashSet<&'static str>,
    /// Set once saved: the case and its deadlines are shown.
    pub saved: Option<Saved>,
    /// A change not yet in the draft file.
    pub draft_dirty: bool,
    /// When the draft was last written (or tried).
    pub draft_written: Option<Instant>,
}

/// Header field ids: the portal JSON's paths, so errors map back by name.
const KIND: &str = "kind";
const RECEIVED: &str = "received_at";
const NAME: &str = "applicant.name";
const BIN: &str = "applicant.bin_iin";
const ADDRESS: &str = "applicant.legal_address";
const PHONE: &str = "applicant.phone";
const EMAIL: &str = "applicant.email";
const CONSENT: &str = "applicant.personal_data_consent";
const DATA_CENTER: &str = "data_center";
const TN_VED: &str = "tn_ved_code";
const CHANGED_ON: &str = "change.changed_on";
const REASON: &str = "change.reason";

impl Intake {
    pub fn new(app: &App) -> Intake {
        let tr = &app.tr;
        let received = app
            .now
            .with_timezone(&app.law.calendar.office().zone)
            .format("%d.%m.%Y %H:%M")
            .to_string();
        let kinds = ["inclusion", "exclusion", "change"]
            .iter()
            .map(|k| Opt::new(*k, tr.t(&format!("intake-kind-{k}"))))
            .collect();
        let f = |id, label: &str, input| Field::new(id, tr.t(label), input);
        let mut fields = vec![
            f(KIND, "intake-f-kind", Input::choice(kinds, 0)),
            f(RECEIVED, "intake-f-received", Input::line(&received)),
            f(NAME, "intake-f-name", Input::line("")),
            f(BIN, "intake-f-bin", Input::line("")),
            f(ADDRESS, "intake-f-address", Input::line("")),
            f(PHONE, "intake-f-phone", Input::line("")),
            f(EMAIL, "intake-f-email", Input::line("")),
            f(
                CONSENT,
                "intake-f-consent",
                Input::checks(vec![Opt::new("yes", tr.t("intake-consent-given"))], &[]),
            ),
            f(DATA_CENTER, "intake-f-data-center", Input::line("")),
            f(TN_VED, "intake-f-tn-ved", Input::line("")),
            f(CHANGED_ON, "intake-f-changed-on", Input::line("")),
            f(REASON, "intake-f-reason", Input::text("", 2)),
        ];
        fields[1].note = Some(tr.t("intake-note-received"));
        let mut form = Form::new(
            tr.t("intake-title"),
            fields,
            tr.t("intake-save"),
            tr.t("intake-keys-application"),
        );
        set_hidden(&mut form);
        Intake {
            form,
            units: Grid::new(UNIT_COLS, crate::intake::validate::MAX_UNITS),
            docs: Grid::new(DOC_COLS, crate::intake::validate::MAX_DOCUMENTS),
            part: Part::Application,
            visited: HashSet::new(),
            saved: None,
            draft_dirty: false,
            draft_written: None,
        }
    }

    fn kind(&self) -> String {
        self.form.value(KIND)
    }

    /// The portal JSON of what the form holds (`channel` is `office`).
    /// Blank fields are left out, so the validator says what is required.
    pub fn to_json(&self, app: &App) -> (Value, Vec<usize>, Vec<usize>) {
        let v = |id| self.form.value(id).trim().to_string();
        let mut root = Map::new();
        root.insert("kind".into(), json!(self.kind()));
        root.insert("channel".into(), json!("office"));
        let received = v(RECEIVED);
        if !received.is_empty() {
            root.insert(
                "received_at".into(),
                json!(local_time(&received).unwrap_or(received)),
            );
        }
        let mut applicant = Map::new();
        for (id, key) in [
            (NAME, "name"),
            (BIN, "bin_iin"),
            (ADDRESS, "legal_address"),
            (PHONE, "phone"),
            (EMAIL, "email"),
        ] {
            let x = v(id);
            if !x.is_empty() {
                applicant.insert(key.into(), json!(x));
            }
        }
        applicant.insert(
            "personal_data_consent".into(),
            json!(self.form.value(CONSENT) == "yes"),
        );
        root.insert("applicant".into(), Value::Object(applicant));
        for (id, key) in [(DATA_CENTER, "data_center"), (TN_VED, "tn_ved_code")] {
            let x = v(id);
            if !x.is_empty() {
                root.insert(key.into(), json!(x));
            }
        }
        let (units, unit_rows) = self.units.to_json(|col, s| match col {
            "hashrate_ths" | "power_kw" => number(s),
            _ => json!(s),
        });
        root.insert("units".into(), Value::Array(units));
        let (docs, doc_rows) = self.docs.to_json(|col, s| match col {
            "valid_until" => json!(iso_date(s).unwrap_or_else(|| s.to_string())),
            _ => json!(s),
        });
        if !docs.is_empty() {
            root.insert("documents".into(), Value::Array(docs));
        }
        if self.kind() == "change" {
            let mut ch = Map::new();
            let on = v(CHANGED_ON);
            if !on.is_empty() {
                ch.insert(
                    "changed_on".into(),
                    json!(iso_date(&on).unwrap_or(on.clone())),
                );
            }
            let reason = v(REASON);
            if !reason.is_empty() {
                ch.insert("reason".into(), json!(reason));
            }
            root.insert("change".into(), Value::Object(ch));
        }
        let _ = app;
        (Value::Object(root), unit_rows, doc_rows)
    }

    /// Validates the whole form as `tizilim intake` would and shows the errors
    /// of the fields and cells already visited (all of them with `all`).
    /// Returns the application when there is none.
    pub fn check(&mut self, app: &App, all: bool) -> Option<crate::store::model::Application> {
        if all {
            for fld in &self.form.fields {
                self.visited.insert(fld.id);
            }
            self.units.visit_all();
            self.docs.visit_all();
        }
        let (value, unit_rows, doc_rows) = self.to_json(app);
        let bytes = serde_json::to_vec(&value).unwrap_or_default();
        let result = crate::intake::parse_application(&bytes, app.now, &app.law);
        for fld in &mut self.form.fields {
            fld.error = None;
        }
        self.units.clear_errors();
        self.docs.clear_errors();
        self.form.banner = None;
        let errors = match result {
            Ok(a) => {
                self.local_checks(app);
                return (!self.any_error()).then_some(a);
            }
            Err(e) => e,
        };
        let mut general = Vec::new();
        for e in errors {
            let msg = localize(app, &e);
            match route(&e.field) {
                Target::Field(id) => {
                    if self.visited.contains(id)
                        && let Some(fl) = self.form.field_mut(id)
                        && fl.error.is_none()
                    {
                        fl.error = Some(msg);
                    }
                }
                Target::Cell(grid, i, col) => {
                    let (g, rows) = match grid {
                        Part::Documents => (&mut self.docs, &doc_rows),
                        _ => (&mut self.units, &unit_rows),
                    };
                    let Some(&r) = rows.get(i) else { continue };
                    let c = col.and_then(|c| g.col_index(c)).unwrap_or(0);
                    let row = &mut g.rows[r];
                    if row.visited[c] && row.errors[c].is_none() {
                        row.errors[c] = Some(msg);
                    }
                }
                Target::Grid(grid) => {
                    let g = match grid {
                        Part::Documents => &mut self.docs,
                        _ => &mut self.units,
                    };
                    if all || g.rows.iter().any(|r| r.visited.iter().any(|v| *v)) {
                        g.error = Some(msg);
                    }
                }
                Target::General => {
                    if all {
                        general.push(format!("{}: {msg}", inert(&e.field, 40)));
                    }
                }
            }
        }
        self.local_checks(app);
        if !general.is_empty() {
            self.form.banner = Some(general.join("; "));
        }
        None
    }

    /// Checks with the operator's words where the validator's are English:
    /// the BIN/IIN check digit, dates as typed.
    fn local_checks(&mut self, app: &App) {
        if self.visited.contains(BIN)
            && let Some(m) = bin_check(app, &self.form.value(BIN))
        {
            self.form.set_error(BIN, m);
        }
        for id in [RECEIVED, CHANGED_ON] {
            let v = self.form.value(id);
            let ok = if id == RECEIVED {
                v.trim().is_empty() || local_time(&v).is_some()
            } else {
                v.trim().is_empty() || iso_date(&v).is_some()
            };
            if !ok && self.visited.contains(id) {
                let hint = if id == RECEIVED {
                    "intake-err-time"
                } else {
                    "intake-err-date"
                };
                self.form.set_error(id, app.tr.t(hint));
            }
        }
        if let Some(c) = self.docs.col_index("valid_until") {
            for row in &mut self.docs.rows {
                let v = row.cells[c].trim();
                if row.visited[c] && !v.is_empty() && iso_date(v).is_none() {
                    row.errors[c] = Some(app.tr.t("intake-err-date"));
                }
            }
        }
    }

    fn any_error(&self) -> bool {
        self.form.has_errors()
            || self.units.error.is_some()
            || self.units.first_error().is_some()
            || self.docs.error.is_some()
            || self.docs.first_error().is_some()
    }

    /// Puts the focus on the first error (header first, then the tables).
    fn focus_first_error(&mut self) {
        if self.form.has_errors() {
            self.form.focus_first_error();
            self.part = Part::Application;
        } else if let Some((r, c)) = self.units.first_error() {
            (self.units.row, self.units.col) = (r, c);
            self.part = Part::Units;
        } else if self.units.error.is_some() {
            self.part = Part::Units;
        } else if let Some((r, c)) = self.docs.first_error() {
            (self.docs.row, self.docs.col) = (r, c);
            self.part = Part::Documents;
        }
    }

    /// Flags a serial the register already holds: included (any miner), or
    /// applied for by another miner in a pending case. Only for inclusions.
    fn flag_serial(&mut self, app: &App, conn: &dyn Conn, row: usize) -> Result<()> {
        let Some(r) = self.units.rows.get_mut(row) else {
            return Ok(());
        };
        r.warning = None;
        if self.form.value(KIND) != "inclusion" {
            return Ok(());
        }
        let Some(c) = UNIT_COLS.iter().position(|c| c.id == "serial") else {
            return Ok(());
        };
        let Ok(serial) = ids::canonical_serial(r.cells[c].trim()) else {
            return Ok(());
        };
        let bin = self.form.value(BIN).trim().to_string();
        let found = crate::store::read::queries::serial_holder(conn, &serial, &bin)?;
        if let Some(crate::store::read::queries::SerialHolder {
            status,
            entry_no: entry,
            case,
            bin_iin: other_bin,
        }) = found
        {
            let args = [
                ("serial", inert(&serial, 64)),
                ("entry", entry.map(|e| e.to_string()).unwrap_or_default()),
                ("case", inert(&case, 40)),
                ("bin", inert(&other_bin, 20)),
            ];
            let args: Vec<(&str, &str)> = args.iter().map(|(k, v)| (*k, v.as_str())).collect();
            let id = if status == "included" {
                "intake-serial-included"
            } else {
                "intake-serial-pending"
            };
            self.units.rows[row].warning = Some(app.tr.a(id, &args));
        }
        Ok(())
    }

    // ------------------------------------------------------------ drafts

    pub fn to_draft(&self, now: DateTime<Utc>) -> Draft {
        Draft {
            saved_at: now,
            fields: self
                .form
                .fields
                .iter()
                .map(|f| (f.id.to_string(), f.value()))
                .collect(),
            units: self.units.rows.iter().map(|r| r.cells.clone()).collect(),
            documents: self.docs.rows.iter().map(|r| r.cells.clone()).collect(),
        }
    }

    pub fn from_draft(app: &App, d: &Draft) -> Intake {
        let mut it = Intake::new(app);
        for fld in &mut it.form.fields {
            let Some(v) = d.fields.get(fld.id) else {
                continue;
            };
            match &mut fld.input {
                Input::Choice { options, at } => {
                    if let Some(i) = options.iter().position(|o| &o.value == v) {
                        *at = i;
                    }
                }
                Input::Checks { options, on, .. } => {
                    let ticked: Vec<&str> = v.split(',').collect();
                    for (o, t) in options.iter().zip(on.iter_mut()) {
                        *t = ticked.contains(&o.value.as_str());
                    }
                }
                _ => fld.set_text(v),
            }
        }
        set_hidden(&mut it.form);
        for (grid, rows) in [(&mut it.units, &d.units), (&mut it.docs, &d.documents)] {
            let restored: Vec<GridRow> = rows
                .iter()
                .take(grid.max_rows)
                .map(|cells| {
                    let mut r = GridRow::new(grid.cols);
                    for (dst, src) in r.cells.iter_mut().zip(cells) {
                        *dst = src.clone();
                    }
                    r
                })
                .collect();
            if !restored.is_empty() {
                grid.rows = restored;
            }
        }
        it
    }
}

fn set_hidden(form: &mut Form) {
    let change = form.value(KIND) == "change";
    for id in [CHANGED_ON, REASON] {
        if let Some(f) = form.field_mut(id) {
            f.hidden = !change;
        }
    }
}

/// `28.11.2026 14:05` (or `2026-11-28 14:05`) → `2026-11-28T14:05:00`, a
/// local time the validator reads in Asia/Almaty.
fn local_time(s: &str) -> Option<String> {
    let s = s.trim();
    let (d, t) = s.rsplit_once(' ')?;
    let d = parse_date(d)?;
    let t = parse_time(t)?;
    Some(format!("{}T{}:00", d.format("%Y-%m-%d"), t.format("%H:%M")))
}

fn iso_date(s: &str) -> Option<String> {
    parse_date(s).map(|d: NaiveDate| d.format("%Y-%m-%d").to_string())
}

/// A number as typed (`3,07` too); kept as text when it is none, so the
/// validator names the cell.
fn number(s: &str) -> Value {
    match s.replace(',', ".").parse::<f64>() {
        Ok(x) if x.is_finite() => json!(x),
        _ => json!(s),
    }
}

/// The BIN/IIN check digit, in the operator's language (other faults in the
/// validator's words).
fn bin_check(app: &App, v: &str) -> Option<String> {
    let v = v.trim();
    if v.is_empty() {
        return None;
    }
    if v.len() != 12 || !v.bytes().all(|b| b.is_ascii_digit()) {
        return Some(app.tr.t("intake-err-bin-digits"));
    }
    let d: Vec<u8> = v.bytes().map(|b| b - b'0').collect();
    let first: [u8; 11] = d[..11].try_into().ok()?;
    match ids::check_digit(&first) {
        None => Some(app.tr.t("intake-err-bin-never")),
        Some(c) if c != d[11] => Some(app.tr.a(
            "intake-err-bin-check",
            &[("have", &d[11].to_string()), ("want", &c.to_string())],
        )),
        // Today stands in for the filing's day; the validator checks the
        // form's own received time when the form is checked whole.
        Some(_) => ids::validate_bin_iin(v, app.law.calendar.local_date(app.now))
            .err()
            .map(|e| crate::store::reason::id(&e).render(&app.tr)),
    }
}

/// The validator's message, in the operator's words where the catalog has
/// them (the common ones); else as the validator gave it.
fn localize(app: &App, e: &FieldError) -> String {
    let m = e.message.as_str();
    if m.starts_with("is required") {
        app.tr.t("intake-err-required")
    } else if m.starts_with("must be a number") || m == "must be a positive number" {
        app.tr.t("intake-err-number")
    } else if m.starts_with("must be true: without consent") {
        app.tr.t("intake-err-consent")
    } else {
        e.why.render(&app.tr)
    }
}

enum Target {
    Field(&'static str),
    Cell(Part, usize, Option<&'static str>),
    Grid(Part),
    General,
}

/// A JSON path of the validator (`applicant.bin_iin`, `units[2].serial`) →
/// where the form shows it.
fn route(path: &str) -> Target {
    const FIELDS: &[&str] = &[
        KIND,
        RECEIVED,
        NAME,
        BIN,
        ADDRESS,
        PHONE,
        EMAIL,
        CONSENT,
        DATA_CENTER,
        TN_VED,
        CHANGED_ON,
        REASON,
    ];
    if let Some(id) = FIELDS.iter().find(|f| **f == path) {
        return Target::Field(id);
    }
    match path {
        "applicant" => return Target::Field(NAME),
        "change" => return Target::Field(CHANGED_ON),
        "units" => return Target::Grid(Part::Units),
        "documents" => return Target::Grid(Part::Documents),
        _ => {}
    }
    for (prefix, part, cols) in [
        ("units[", Part::Units, UNIT_COLS),
        ("documents[", Part::Documents, DOC_COLS),
    ] {
        let Some(rest) = path.strip_prefix(prefix) else {
            continue;
        };
        let Some((i, after)) = rest.split_once(']') else {
            continue;
        };
        let Ok(i) = i.parse::<usize>() else { continue };
        let col = after
            .strip_prefix('.')
            .and_then(|c| cols.iter().find(|x| x.id == c))
            .map(|c| c.id);
        return Target::Cell(part, i, col);
    }
    Target::General
}

// ---------------------------------------------------------------- drafts

/// A half-filled form, as written to the draft file.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Draft {
    pub saved_at: DateTime<Utc>,
    pub fields: BTreeMap<String, String>,
    pub units: Vec<Vec<String>>,
    pub documents: Vec<Vec<String>>,
}

/// Where drafts live: `TIZILIM_DRAFTS_DIR`, else
/// `$XDG_STATE_HOME/tizilim/drafts`, else `~/.local/state/tizilim/drafts`.
pub fn drafts_dir_from_env() -> Option<PathBuf> {
    let nonempty = |k| {
        std::env::var_os(k)
            .filter(|v| !v.is_empty())
            .map(PathBuf::from)
    };
    if let Some(d) = nonempty("TIZILIM_DRAFTS_DIR") {
        return Some(d);
    }
    let state = nonempty("XDG_STATE_HOME")
        .or_else(|| nonempty("HOME").map(|h| h.join(".local").join("state")))?;
    Some(state.join("tizilim").join("drafts"))
}

/// `<dir>/<login>.json` (a login's other characters as `_`).
pub fn draft_path(dir: &Path, login: &str) -> PathBuf {
    let safe: String = login
        .chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() || matches!(c, '.' | '_' | '-') {
                c
            } else {
                '_'
            }
        })
        .collect();
    dir.join(format!("{}.json", safe.trim_start_matches('.')))
}

/// Writes the draft atomically: a private temporary file beside it (0600),
/// renamed over the old one; `sync`: synced to the disk first.
pub fn write_draft(path: &Path, d: &Draft, sync: bool) -> std::io::Result<()> {
    let bytes = serde_json::to_vec(d).map_err(std::io::Error::other)?;
    crate::files::replace_private(path, &bytes, sync)
}

/// The draft, if there is a readable one (at most 64 MiB).
pub fn read_draft(path: &Path) -> Option<Draft> {
    use std::io::Read;
    let f = std::fs::File::open(path).ok()?;
    if !f.metadata().ok()?.is_file() {
        return None;
    }
    let mut bytes = Vec::new();
    f.take(64 << 20).read_to_end(&mut bytes).ok()?;
    serde_json::from_slice(&bytes).ok()
}

/// How often a draft that could not be written is tried again.
pub const DRAFT_EVERY: Duration = Duration::from_secs(1);

// ---------------------------------------------------------------- the app

/// What the app does after a key reached the form.
enum After {
    Nothing,
    Redraw,
    /// A value changed: the draft is due.
    Changed,
    Save,
    Close,
    OpenCase,
    Dismiss,
    Another,
}

/// A draft waiting to be resumed or discarded.
#[derive(Debug, Clone)]
pub struct Offer {
    pub draft: Draft,
    /// `d` was pressed once: a second `d` discards (a clerk's habitual `d`
    /// for "decide" must not wipe a morning's typing).
    pub confirm: bool,
    /// The choice under the cursor, which Enter takes: at start-up "later"
    /// (the draft stays parked; the clerk came for something else), on `i`
    /// "resume".
    pub choice: OfferChoice,
}

/// What to do with a waiting draft.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum OfferChoice {
    /// Leave it parked: `i` offers it again.
    Later,
    Resume,
    Discard,
}

impl OfferChoice {
    pub const ALL: [OfferChoice; 3] = [
        OfferChoice::Later,
        OfferChoice::Resume,
        OfferChoice::Discard,
    ];

    fn label_id(self) -> &'static str {
        match self {
            OfferChoice::Later => "intake-offer-later",
            OfferChoice::Resume => "intake-offer-resume",
            OfferChoice::Discard => "intake-offer-discard",
        }
    }

    fn step(self, forward: bool) -> OfferChoice {
        let n = Self::ALL.len();
        let i = Self::ALL.iter().position(|c| *c == self).unwrap_or(0);
        Self::ALL[if forward {
            (i + 1) % n
        } else {
            (i + n - 1) % n
        }]
    }
}

impl App {
    fn may_register(&self) -> bool {
        services::may::REGISTER.contains(&self.role)
    }

    fn draft_file(&self) -> Option<PathBuf> {
        self.drafts_dir
            .as_deref()
            .map(|d| draft_path(d, &self.login))
    }

    /// Looks for this login's draft and offers it (at start, on `i`), the
    /// cursor on `choice`.
    fn offer_draft(&mut self, choice: OfferChoice) -> bool {
        if !self.may_register() || self.intake.is_some() {
            return false;
        }
        self.draft_offer = self
            .draft_file()
            .and_then(|p| read_draft(&p))
            .map(|draft| Offer {
                draft,
                confirm: false,
                choice,
            });
        self.draft_offer.is_some()
    }

    /// Looks for this login's draft at start-up and offers it, the cursor
    /// on "later": Enter, Esc or any other key leaves it parked.
    pub fn look_for_draft(&mut self) -> bool {
        self.offer_draft(OfferChoice::Later)
    }

    /// Sets where drafts live (tests; the console reads the environment) and
    /// looks for a draft there.
    pub fn with_drafts(mut self, dir: PathBuf) -> App {
        self.drafts_dir = Some(dir);
        self.look_for_draft();
        self.look_for_act_drafts();
        self
    }

    /// `i` on the queue: the form (or the waiting draft's offer).
    pub(super) fn open_intake(&mut self) -> bool {
        if !self.may_register() {
            self.message = Some(self.tr.t("intake-not-allowed"));
            return true;
        }
        if self.offer_draft(OfferChoice::Resume) {
            return true;
        }
        self.intake = Some(Box::new(Intake::new(self)));
        true
    }

    /// Writes the draft now, synced to the disk, if it changed (and the
    /// form is not saved): on closing the form or the console.
    pub fn flush_draft(&mut self) {
        self.write_draft_now(true);
    }

    /// Writes the draft if it changed (and the form is not saved).
    fn write_draft_now(&mut self, sync: bool) {
        let now = self.now;
        let Some(path) = self.draft_file() else {
            return;
        };
        let Some(it) = self.intake.as_mut() else {
            return;
        };
        if !it.draft_dirty || it.saved.is_some() {
            return;
        }
        let written = write_draft(&path, &it.to_draft(now), sync);
        it.draft_written = Some(Instant::now());
        match written {
            Ok(()) => it.draft_dirty = false,
            Err(e) => {
                self.message = Some(
                    self.tr
                        .a("intake-draft-failed", &[("error", &e.to_string())]),
                );
            }
        }
    }

    /// After a change: the draft is written at once, not synced — a hang-up
    /// ends the process without a word (the watchdog in `tui::run`), so
    /// what is not in the file by then is lost; a kernel's page cache
    /// outlives the process, and no key waits on the disk.
    fn draft_changed(&mut self) {
        if let Some(it) = self.intake.as_mut() {
            it.draft_dirty = true;
            self.write_draft_now(false);
        }
    }

    /// The periodic tick: a draft that could not be written (a full disk)
    /// is tried again, at most once a second.
    pub(super) fn intake_tick(&mut self) {
        if let Some(it) = self.intake.as_ref()
            && it.draft_dirty
            && it.draft_written.is_none_or(|t| t.elapsed() >= DRAFT_EVERY)
        {
            self.write_draft_now(false);
        }
    }

    /// Closes the form, keeping its draft.
    fn close_intake(&mut self) {
        self.flush_draft();
        self.intake = None;
    }

    /// A key while the form or the draft offer is open: it takes every key.
    pub(super) fn intake_key(&mut self, conn: &dyn Conn, ev: KeyEvent) -> Result<bool> {
        if ev.kind == KeyEventKind::Release {
            return Ok(false);
        }
        let ctrl = ev.modifiers.contains(KeyModifiers::CONTROL);
        if ctrl && ev.code == KeyCode::Char('c') {
            self.close_intake();
            self.draft_offer = None;
            self.quit = true;
            return Ok(true);
        }
        if let Some(offer) = self.draft_offer.as_ref() {
            return self.offer_key(conn, offer.choice, ev);
        }
        let Some(mut it) = self.intake.take() else {
            return Ok(false);
        };
        let result = self.intake_key_on(&mut it, conn, ev);
        self.intake = Some(it);
        let after = result?;
        Ok(match after {
            After::Nothing => false,
            After::Redraw => true,
            After::Changed => {
                self.draft_changed();
                true
            }
            After::Save => self.save_intake(conn)?,
            After::Close => {
                self.close_intake();
                self.message = Some(self.tr.t("intake-closed"));
                true
            }
            After::OpenCase => {
                self.intake = None;
                self.go(Pane::Detail);
                true
            }
            After::Dismiss => {
                self.intake = None;
                true
            }
            After::Another => {
                self.intake = Some(Box::new(Intake::new(self)));
                true
            }
        })
    }

    /// A key while a draft is offered: an explicit choice (← → Tab move,
    /// Enter takes it; `r` resumes, `d` twice discards, Esc leaves it
    /// parked). Any other key leaves the draft parked and acts as it does
    /// on the pane (`q` quits): the offer never holds the console.
    fn offer_key(&mut self, conn: &dyn Conn, choice: OfferChoice, ev: KeyEvent) -> Result<bool> {
        let latin = match ev.code {
            KeyCode::Char(c) if !ev.modifiers.contains(KeyModifiers::CONTROL) => {
                Some(super::keys::latin_on(c, self.layout))
            }
            _ => None,
        };
        let take = match (ev.code, latin) {
            (KeyCode::Right | KeyCode::Tab, _) | (_, Some('l')) => {
                if let Some(o) = self.draft_offer.as_mut() {
                    o.choice = choice.step(true);
                    o.confirm = false;
                }
                return Ok(true);
            }
            (KeyCode::Left | KeyCode::BackTab, _) | (_, Some('h')) => {
                if let Some(o) = self.draft_offer.as_mut() {
                    o.choice = choice.step(false);
                    o.confirm = false;
                }
                return Ok(true);
            }
            (KeyCode::Enter, _) => choice,
            (KeyCode::Esc, _) => OfferChoice::Later,
            (_, Some('r')) => OfferChoice::Resume,
            (_, Some('d')) => OfferChoice::Discard,
            _ => {
                // The draft stays parked; the key does what it does.
                self.draft_offer = None;
                self.update(conn, super::state::Msg::Key(ev))?;
                if self.message.is_none() {
                    self.message = Some(self.tr.t("intake-draft-parked"));
                }
                return Ok(true);
            }
        };
        let Some(offer) = self.draft_offer.take() else {
            return Ok(false);
        };
        match take {
            OfferChoice::Later => {
                self.message = Some(self.tr.t("intake-draft-parked"));
            }
            OfferChoice::Resume => {
                let mut it = Intake::from_draft(self, &offer.draft);
                // Serials already in the register marked again, as when typed.
                for r in 0..it.units.rows.len() {
                    it.flag_serial(self, conn, r)?;
                }
                self.intake = Some(Box::new(it));
            }
            // A second `d` (or Enter on "discard" twice) discards.
            OfferChoice::Discard if !offer.confirm => {
                self.draft_offer = Some(Offer {
                    confirm: true,
                    choice: OfferChoice::Discard,
                    ..offer
                });
                self.message = Some(self.tr.t("intake-offer-confirm"));
            }
            OfferChoice::Discard => {
                if let Some(p) = self.draft_file() {
                    let _ = std::fs::remove_file(p);
                }
                self.message = Some(self.tr.t("intake-draft-discarded"));
            }
        }
        Ok(true)
    }

    fn intake_key_on(&self, it: &mut Intake, conn: &dyn Conn, ev: KeyEvent) -> Result<After> {
        let ctrl = ev.modifiers.contains(KeyModifiers::CONTROL);
        if let Some(saved) = &it.saved {
            let receipt = saved.outcome.receipt.is_some();
            return Ok(match ev.code {
                KeyCode::Enter if receipt => After::Dismiss,
                KeyCode::Enter => After::OpenCase,
                KeyCode::Esc => After::Dismiss,
                KeyCode::Char('i') | KeyCode::Char('ш') => After::Another,
                _ => After::Nothing,
            });
        }
        match ev.code {
            KeyCode::Esc => return Ok(After::Close),
            KeyCode::Char('s') if ctrl => return Ok(After::Save),
            KeyCode::F(2) => return Ok(After::Save),
            KeyCode::PageDown | KeyCode::PageUp if it.part == Part::Application => {
                it.part = if ev.code == KeyCode::PageDown {
                    Part::Units
                } else {
                    Part::Documents
                };
                let from = it.form.focus;
                if let Some(f) = it.form.fields.get(from) {
                    it.visited.insert(f.id);
                }
                it.check(self, false);
                return Ok(After::Redraw);
            }
            KeyCode::F(5) | KeyCode::F(6) | KeyCode::F(7) => {
                it.part = match ev.code {
                    KeyCode::F(5) => Part::Application,
                    KeyCode::F(6) => Part::Units,
                    _ => Part::Documents,
                };
                return Ok(After::Redraw);
            }
            _ => {}
        }
        if it.part == Part::Application {
            let before_kind = it.form.value(KIND);
            return Ok(match it.form.key(ev) {
                FormEvent::Ignored => After::Nothing,
                FormEvent::Redraw => After::Redraw,
                FormEvent::Submit => After::Save,
                FormEvent::Cancel => After::Close,
                FormEvent::Changed => {
                    if it.form.value(KIND) != before_kind {
                        set_hidden(&mut it.form);
                    }
                    // The check digit on the spot, once 12 digits are typed.
                    if it.form.focused_id() == Some(BIN) {
                        let v = it.form.value(BIN);
                        if v.trim().len() >= 12 {
                            it.visited.insert(BIN);
                        }
                        if it.visited.contains(BIN) {
                            match bin_check(self, &v) {
                                Some(m) => it.form.set_error(BIN, m),
                                None => it.form.clear_error(BIN),
                            }
                        }
                    }
                    After::Changed
                }
                FormEvent::Left(from) => {
                    if let Some(f) = it.form.fields.get(from) {
                        it.visited.insert(f.id);
                    }
                    it.check(self, false);
                    After::Redraw
                }
            });
        }
        let units = it.part == Part::Units;
        let grid = if units { &mut it.units } else { &mut it.docs };
        let (from_row, from_col, rows_before) = (grid.row, grid.col, grid.rows.len());
        let on_serial = units && UNIT_COLS.get(from_col).is_some_and(|c| c.id == "serial");
        Ok(match grid.key(ev) {
            GridEvent::Ignored => After::Nothing,
            GridEvent::Redraw => After::Redraw,
            GridEvent::Changed => {
                // The serial-conflict mark stays on its cell until that
                // serial is edited (typing elsewhere in the row keeps it).
                if on_serial && let Some(r) = it.units.rows.get_mut(from_row) {
                    r.warning = None;
                }
                After::Changed
            }
            GridEvent::Left(r, c) => {
                it.check(self, false);
                if units && UNIT_COLS[c].id == "serial" {
                    it.flag_serial(self, conn, r)?;
                }
                After::Redraw
            }
            GridEvent::Rows => {
                it.check(self, false);
                // Enter (or Ctrl-N, Ctrl-D) on a serial left it for a new
                // row below: that serial is checked as on leaving it.
                if on_serial && it.units.rows.len() > rows_before {
                    it.flag_serial(self, conn, from_row)?;
                }
                After::Changed
            }
            GridEvent::Out(forward) => {
                it.part = match (it.part, forward) {
                    (Part::Units, true) => Part::Documents,
                    (Part::Units, false) => Part::Application,
                    (_, true) => Part::Application,
                    (_, false) => Part::Units,
                };
                it.check(self, false);
                After::Redraw
            }
        })
    }

    /// A bracketed paste into the open form.
    pub(super) fn intake_paste(&mut self, conn: &dyn Conn, text: &str) -> Result<bool> {
        let Some(mut it) = self.intake.take() else {
            return Ok(false);
        };
        if it.saved.is_some() {
            self.intake = Some(it);
            return Ok(false);
        }
        let mut result = Ok(true);
        match it.part {
            Part::Application => {
                if it.form.paste(text) == FormEvent::Ignored {
                    result = Ok(false);
                }
            }
            Part::Units => {
                let rows = it.units.paste(text);
                it.check(self, false);
                let serial = it.units.col_index("serial");
                if serial == Some(it.units.col) {
                    for r in rows {
                        if let Err(e) = it.flag_serial(self, conn, r) {
                            result = Err(e);
                            break;
                        }
                    }
                }
            }
            Part::Documents => {
                it.docs.paste(text);
                it.check(self, false);
            }
        }
        self.intake = Some(it);
        if matches!(result, Ok(true)) {
            self.draft_changed();
        }
        result
    }

    /// Ctrl-S: checks everything; registers the case as `tizilim intake`
    /// does, in one transaction; deletes the draft; shows the case.
    fn save_intake(&mut self, conn: &dyn Conn) -> Result<bool> {
        let Some(mut it) = self.intake.take() else {
            return Ok(false);
        };
        let app = it.check(self, true);
        let Some(application) = app else {
            it.focus_first_error();
            if it.form.banner.is_none() {
                it.form.banner = Some(self.tr.t("intake-fix-errors"));
            }
            self.intake = Some(it);
            return Ok(true);
        };
        // Serials already in the register: flagged (saving is still allowed,
        // as the CLI registers with a warning).
        // A failure here (the database) must not drop the form: it goes
        // back with the error above it.
        for r in 0..it.units.rows.len() {
            if let Err(e) = it.flag_serial(self, conn, r) {
                it.form.banner = Some(e.message().render(&self.tr));
                self.intake = Some(it);
                return Ok(true);
            }
        }
        let file = self.tr.t("intake-paper");
        // An incomplete package at the desk is refused there (§9), its
        // receipt printed in the console's language (issue 21).
        let lang = self.tr.lang;
        let (law, login, now) = (self.law.clone(), self.login.clone(), self.now);
        it.form.banner = None;
        self.intake = Some(it);
        let job = Job::new(move |desk| {
            Done::Intake(desk.act(&law, &login, now, |ctx| {
                crate::intake::register_in_lang(ctx, &file, application.clone(), lang)
            }))
        });
        self.dispatch(conn, Waiting::Intake, job)
    }

    /// The worker's answer to the intake form's save: the case shown, or
    /// why it was not stored above the form (which keeps its input).
    pub(super) fn intake_done(
        &mut self,
        conn: &dyn Conn,
        outcome: std::result::Result<Result<crate::intake::FileOutcome>, Cancelled>,
    ) -> Result<bool> {
        let Some(mut it) = self.intake.take() else {
            return Ok(false);
        };
        it.form.banner = None;
        let outcome = match outcome {
            Ok(o) => o,
            Err(Cancelled) => {
                // In the status line: the form stays on the part it was on.
                self.message = Some(self.tr.t("form-save-cancelled"));
                self.intake = Some(it);
                return Ok(true);
            }
        };
        match outcome {
            Ok(o) if o.receipt.is_some() => {
                if let Some(p) = self.draft_file() {
                    let _ = std::fs::remove_file(p);
                }
                it.saved = Some(Saved { outcome: o });
                it.draft_dirty = false;
            }
            Ok(o) if o.case.is_some() => {
                if let Some(p) = self.draft_file() {
                    let _ = std::fs::remove_file(p);
                }
                let case = o.case.clone().unwrap_or_default();
                it.saved = Some(Saved { outcome: o });
                it.draft_dirty = false;
                let shown = (|| -> Result<()> {
                    self.reload(conn)?;
                    if let Some(id) = crate::store::read::queue::case_id(conn, &case)? {
                        self.load_detail(conn, id)?;
                    }
                    Ok(())
                })();
                if let Err(e) = shown {
                    self.intake = Some(it);
                    return Err(e);
                }
            }
            Ok(o) => {
                let msgs: Vec<String> = o
                    .errors
                    .iter()
                    .map(|e| format!("{}: {}", inert(&e.field, 40), e.why.render(&self.tr)))
                    .collect();
                it.form.banner = Some(msgs.join("; "));
                it.part = Part::Application;
            }
            Err(e) => {
                let e = crate::intake::store_error_field(e);
                it.form.banner = Some(format!(
                    "{}: {}",
                    inert(&e.field, 40),
                    e.why.render(&self.tr)
                ));
                it.part = Part::Application;
            }
        }
        self.intake = Some(it);
        Ok(true)
    }
}

// ---------------------------------------------------------------- drawing

/// The form, the offer or the saved case over the main area.
pub fn draw(f: &mut Frame, app: &App, area: Rect) {
    if let Some(offer) = &app.draft_offer {
        draw_offer(f, app, area, offer);
        return;
    }
    let Some(it) = app.intake.as_deref() else {
        return;
    };
    if area.width < 20 || area.height < 5 {
        f.render_widget(Clear, area);
        f.render_widget(
            Paragraph::new(app.tr.t("msg-too-small")).wrap(ratatui::widgets::Wrap { trim: true }),
            area,
        );
        return;
    }
    if let Some(saved) = &it.saved {
        draw_saved(f, app, area, saved);
        return;
    }
    f.render_widget(Clear, area);
    // The parts, one line: the focused one in reverse video.
    let parts = [
        (Part::Application, app.tr.t("intake-part-application")),
        (
            Part::Units,
            app.tr.a(
                "intake-part-units",
                &[("n", &filled(&it.units).to_string())],
            ),
        ),
        (
            Part::Documents,
            app.tr.a(
                "intake-part-documents",
                &[("n", &filled(&it.docs).to_string())],
            ),
        ),
    ];
    // Padded, tight, or the focused part's words with the others' keys:
    // the first that fits (issue 17: "F7 Құжаттар (0" at 40 columns).
    let line = |look: u8| -> Vec<Span> {
        parts
            .iter()
            .enumerate()
            .map(|(i, (p, label))| {
                let bad = match p {
                    Part::Application => it.form.has_errors(),
                    Part::Units => it.units.error.is_some() || it.units.first_error().is_some(),
                    Part::Documents => it.docs.error.is_some() || it.docs.first_error().is_some(),
                };
                let bad = if bad { " !" } else { "" };
                let focused = *p == it.part;
                let style = if focused {
                    app.theme.selected().add_modifier(Modifier::BOLD)
                } else {
                    Style::new()
                };
                let text = match look {
                    0 => format!(" F{} {label}{bad} ", i + 5),
                    1 => format!(" F{} {label}{bad}", i + 5),
                    _ if focused => format!(" F{} {label}{bad} ", i + 5),
                    _ => format!(" F{}{bad}", i + 5),
                };
                Span::styled(text, style)
            })
            .collect()
    };
    let spans = (0..3)
        .map(line)
        .find(|l| l.iter().map(Span::width).sum::<usize>() <= usize::from(area.width))
        .unwrap_or_else(|| line(2));
    f.render_widget(Line::from(spans), Rect::new(area.x, area.y, area.width, 1));
    let rest = Rect::new(area.x, area.y + 1, area.width, area.height - 1);
    match it.part {
        Part::Application => it.form.draw(f, rest, &app.theme),
        Part::Units => draw_grid(f, app, rest, &it.units, "intake-keys-units"),
        Part::Documents => draw_grid(f, app, rest, &it.docs, "intake-keys-documents"),
    }
}

fn filled(g: &Grid) -> usize {
    g.rows.iter().filter(|r| !r.blank(g.cols)).count()
}

fn draw_grid(f: &mut Frame, app: &App, area: Rect, g: &Grid, keys: &str) {
    let title = if std::ptr::eq(g.cols, UNIT_COLS) {
        "intake-units-title"
    } else {
        "intake-documents-title"
    };
    // The title whole: the position gives way, then the title is cut
    // after a whole word (issue 17).
    let room = usize::from(area.width).saturating_sub(2);
    let title = format!(" {} ", app.tr.t(title));
    let pos = format!(" {}/{} ", g.row + 1, g.rows.len());
    let w = crate::rules::text::width;
    let (title, pos) = if w(&title) + w(&pos) <= room {
        (title, pos)
    } else if w(&title) <= room {
        (title, String::new())
    } else {
        let t = super::panes::whole_words(title.trim(), room.saturating_sub(2));
        (format!(" {t} "), String::new())
    };
    let block = app
        .theme
        .block()
        .title(Line::from(title).style(app.theme.header()))
        .title(Line::from(pos).right_aligned());
    let inner = block.inner(area);
    f.render_widget(block, area);
    if inner.height < 3 || inner.width < 10 {
        return;
    }
    // Below the table: the cursor cell's error or warning, then the keys.
    let table = Rect::new(inner.x, inner.y, inner.width, inner.height - 2);
    let row = g.rows.get(g.row);
    // The cursor cell's error, the row's serial warning, the row's other
    // errors, the table's.
    let msg =
        row.and_then(|r| r.errors.get(g.col).cloned().flatten())
            .map(|m| (m, Some(true)))
            .or_else(|| {
                row.and_then(|r| r.warning.clone())
                    .map(|m| (m, Some(false)))
            })
            .or_else(|| {
                row.and_then(|r| {
                    r.errors.iter().zip(g.cols).find_map(|(e, c)| {
                        e.as_ref().map(|e| format!("{}: {e}", app.tr.t(c.label)))
                    })
                })
                .map(|m| (m, Some(true)))
            })
            .or_else(|| g.error.clone().map(|m| (m, Some(true))));
    // A narrow screen: the cursor row's columns not shown, after it.
    let (_, ws) = g.widths(app, table.width);
    let hidden = Some(g.hidden_line(app, &ws)).filter(|l| !l.is_empty());
    let head_h = Grid::head_h(&g.heads(app, &ws), &ws);
    // Wrapped between words (issue 17: a document's kind on a narrow
    // screen), over as many lines as leave the table a heading and a
    // row; what still does not fit is cut after a whole word.
    let most = usize::from(inner.height).saturating_sub(2 + head_h).max(1);
    let w = usize::from(inner.width);
    let wrap = |m: &str, style: Style| -> Vec<(String, Style)> {
        textwrap::wrap(m, w)
            .into_iter()
            .map(|l| (l.into_owned(), style))
            .collect()
    };
    let mut lines: Vec<(String, Style)> = Vec::new();
    if let Some((m, error)) = msg {
        let style = if error == Some(true) {
            app.theme.state(ClockState::Overdue)
        } else {
            app.theme.state(ClockState::DueToday)
        };
        lines.extend(wrap(&m, style));
    }
    if let Some(h) = hidden {
        lines.extend(wrap(&h, Style::new()));
    }
    if lines.len() > most {
        let style = lines[most - 1].1;
        let rest = lines[most - 1..]
            .iter()
            .map(|(l, _)| l.as_str())
            .collect::<Vec<_>>()
            .join(" ");
        lines.truncate(most - 1);
        lines.push((super::panes::whole_words(&rest, w), style));
    }
    if !lines.is_empty() {
        let n = lines.len() as u16;
        g.draw(
            f,
            app,
            Rect::new(inner.x, inner.y, inner.width, inner.height - 1 - n),
            true,
        );
        f.render_widget(
            Paragraph::new(
                lines
                    .into_iter()
                    .map(|(l, st)| Line::styled(l, st))
                    .collect::<Vec<_>>(),
            ),
            Rect::new(inner.x, inner.y + inner.height - 1 - n, inner.width, n),
        );
    } else {
        g.draw(
            f,
            app,
            Rect {
                height: inner.height - 1,
                ..table
            },
            true,
        );
    }
    f.render_widget(
        Paragraph::new(super::panes::whole_words(
            &app.tr.t(keys),
            usize::from(inner.width),
        ))
        .style(app.theme.dim()),
        Rect::new(inner.x, inner.y + inner.height - 1, inner.width, 1),
    );
}

fn centred(area: Rect, w: u16, h: u16) -> Rect {
    let w = w.min(area.width);
    let h = h.min(area.height);
    Rect::new(
        area.x + (area.width - w) / 2,
        area.y + (area.height - h) / 2,
        w,
        h,
    )
}

fn draw_offer(f: &mut Frame, app: &App, area: Rect, offer: &Offer) {
    let at = offer
        .draft
        .saved_at
        .with_timezone(&app.law.calendar.office().zone)
        .format("%d.%m.%Y %H:%M")
        .to_string();
    let name = offer
        .draft
        .fields
        .get(NAME)
        .map(|n| inert(n, 40))
        .unwrap_or_default();
    let text = app
        .tr
        .a("intake-draft-offer", &[("at", &at), ("name", &name)]);
    let box_w = area.width.min(64);
    let lines = textwrap::wrap(&text, (box_w.saturating_sub(4)).max(1) as usize);
    // The three choices, the one Enter takes marked (reverse video, and
    // `>` so that it reads without colour too): on one line, or one a line
    // where they do not fit (a narrow screen, a long language).
    let choices: Vec<Span> = OfferChoice::ALL
        .iter()
        .map(|c| {
            let on = *c == offer.choice;
            let label = format!(
                "{}{}{}",
                if on { ">" } else { " " },
                app.tr.t(c.label_id()),
                if on { "<" } else { " " }
            );
            if on {
                Span::styled(label, app.theme.selected().add_modifier(Modifier::BOLD))
            } else {
                Span::raw(label)
            }
        })
        .collect();
    let one_line = choices.iter().map(|c| c.width() + 1).sum::<usize>()
        <= usize::from(box_w.saturating_sub(2));
    let choice_lines = if one_line { 1 } else { choices.len() as u16 };
    let box_h = (lines.len() as u16 + 3 + choice_lines).min(area.height);
    let r = centred(area, box_w, box_h);
    f.render_widget(Clear, r);
    let block = app
        .theme
        .block()
        .title(Line::from(format!(" {} ", app.tr.t("intake-title"))).style(app.theme.header()));
    let inner = block.inner(r);
    f.render_widget(block, r);
    let mut all: Vec<Line> = lines.iter().map(|l| Line::from(l.to_string())).collect();
    all.push(Line::from(""));
    if one_line {
        let spaced = choices
            .into_iter()
            .flat_map(|c| [c, Span::raw(" ")])
            .collect::<Vec<_>>();
        all.push(Line::from(spaced));
    } else {
        all.extend(choices.into_iter().map(Line::from));
    }
    f.render_widget(Paragraph::new(all), inner);
}

fn draw_saved(f: &mut Frame, app: &App, area: Rect, saved: &Saved) {
    f.render_widget(Clear, area);
    let o = &saved.outcome;
    let case = o.case.clone().unwrap_or_default();
    let block = app
        .theme
        .block()
        .title(Line::from(format!(" {} ", app.tr.t("intake-title"))).style(app.theme.header()));
    let inner = block.inner(area);
    f.render_widget(block, area);
    let w = inner.width as usize;
    let mut lines: Vec<Line> = Vec::new();
    if let Some(receipt) = &o.receipt {
        // §9 at the desk: no case; the receipt to print for the applicant.
        lines.push(Line::from(Span::styled(
            app.tr.a("intake-refused-at-desk", &[("receipt", receipt)]),
            Style::new().add_modifier(Modifier::BOLD),
        )));
        lines.push(Line::from(""));
        for l in o.receipt_text.as_deref().unwrap_or("").lines() {
            lines.push(Line::from(l.to_string()));
        }
        lines.push(Line::from(""));
        lines.push(Line::from(Span::styled(
            app.tr.t("intake-receipt-keys"),
            app.theme.header(),
        )));
        f.render_widget(
            Paragraph::new(lines).wrap(ratatui::widgets::Wrap { trim: false }),
            inner,
        );
        return;
    }
    let head = if o.status == "resubmission" {
        app.tr.a("intake-resubmission", &[("case", &case)])
    } else {
        app.tr.a("intake-registered", &[("case", &case)])
    };
    lines.push(Line::from(Span::styled(
        head,
        Style::new().add_modifier(Modifier::BOLD),
    )));
    if let Some(inc) = &o.incomplete {
        lines.push(Line::from(Span::styled(
            app.tr.a(
                "intake-incomplete",
                &[
                    ("missing", &missing_words(app, &inc.missing)),
                    ("rule", &app.tr.rule(&inc.rule)),
                    (
                        "date",
                        &match (inc.refusal_due, inc.calendar_unpublished) {
                            (Some(d), _) => app.tr.date(d),
                            (None, year) => format!(
                                "? — {}",
                                crate::i18n::calendar_warning(
                                    crate::rules::CalendarWarning::Unpublished {
                                        year: year.unwrap_or_default()
                                    }
                                )
                                .render(&app.tr)
                            ),
                        },
                    ),
                ],
            ),
            app.theme.state(ClockState::DueSoon),
        )));
    }
    for c in o.conflicts.iter().take(3) {
        lines.push(Line::from(Span::styled(
            inert(&crate::intake::describe_conflict(c), 300),
            app.theme.state(ClockState::DueToday),
        )));
    }
    // The deadlines, as the detail pane shows them.
    if let Some(d) = app.detail.as_ref().filter(|d| d.case.number == case)
        && let Some(e) = &d.explanation
    {
        lines.push(Line::from(Span::styled(
            app.tr.t("intake-deadlines"),
            app.theme.header(),
        )));
        for k in e.clocks.iter().filter(|k| k.status == "running") {
            let mut spans = vec![Span::styled(
                format!("  {} ", app.tr.rule(&k.rule)),
                app.theme.header(),
            )];
            spans.push(Span::raw(format!(
                "{} — {} ",
                app.tr.t(&format!("clock-{}", k.clock)),
                k.due.map(|x| app.tr.date(x)).unwrap_or_default()
            )));
            spans.push(super::view::state_span(app, k.state));
            lines.push(Line::from(spans));
        }
    }
    lines.push(Line::from(""));
    lines.push(Line::from(Span::styled(
        app.tr.t("intake-saved-keys"),
        app.theme.header(),
    )));
    let _ = w;
    f.render_widget(
        Paragraph::new(lines).wrap(ratatui::widgets::Wrap { trim: false }),
        inner,
    );
}

/// What an incomplete package lacks, in the operator's words (the register
/// stores codes; an older register's English text is read too).
fn missing_words(app: &App, missing: &[String]) -> String {
    crate::store::model::Missing::list_words(missing, &app.tr)
}

/// The footer while the form is open: which keys act. `false` when closed.
pub fn footer(f: &mut Frame, app: &App, area: Rect) -> bool {
    if app.draft_offer.is_some() {
        let keys =
            super::panes::whole_hints(&app.tr.t("intake-offer-keys"), usize::from(area.width));
        f.render_widget(Line::from(keys), area);
        return true;
    }
    let Some(it) = app.intake.as_deref() else {
        return false;
    };
    let id = if it
        .saved
        .as_ref()
        .is_some_and(|s| s.outcome.receipt.is_some())
    {
        "intake-receipt-keys"
    } else if it.saved.is_some() {
        "intake-saved-keys"
    } else {
        "intake-footer"
    };
    f.render_widget(
        Line::from(Span::styled(
            super::panes::whole_hints(&app.tr.t(id), usize::from(area.width)),
            app.theme.dim(),
        )),
        area,
    );
    true
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn paths_route_to_fields_and_cells() {
        assert!(matches!(route("applicant.bin_iin"), Target::Field(BIN)));
        assert!(matches!(
            route("units[2].serial"),
            Target::Cell(Part::Units, 2, Some("serial"))
        ));
        assert!(matches!(
            route("documents[0].valid_until"),
            Target::Cell(Part::Documents, 0, Some("valid_until"))
        ));
        assert!(matches!(route("units"), Target::Grid(Part::Units)));
        assert!(matches!(route("$"), Target::General));
    }

    #[test]
    fn five_pasted_lines_make_five_rows() {
        let mut g = Grid::new(UNIT_COLS, 100);
        g.col = g.col_index("serial").unwrap();
        g.rows[0].cells[0] = "Bitmain".into();
        let rows = g.paste("A1\r\nA2\nA3\n\nA4\nA5\n");
        assert_eq!(rows, vec![0, 1, 2, 3, 4]);
        assert_eq!(g.rows.len(), 5);
        assert_eq!(g.cell(4, "serial"), "A5");
        assert_eq!(g.cell(4, "brand"), "Bitmain", "new rows are like the first");
    }

    #[test]
    fn times_and_dates_as_typed() {
        assert_eq!(
            local_time("28.11.2026 14:05").as_deref(),
            Some("2026-11-28T14:05:00")
        );
        assert_eq!(local_time("28.11.2026"), None);
        assert_eq!(iso_date("1.2.2027").as_deref(), Some("2027-02-01"));
    }

    #[test]
    fn draft_file_is_private_and_atomic() {
        use std::os::unix::fs::PermissionsExt;
        let dir = tempfile::tempdir().unwrap();
        let p = draft_path(&dir.path().join("drafts"), "../evil");
        assert_eq!(p.file_name().unwrap(), "_evil.json");
        let d = Draft {
            saved_at: Utc::now(),
            fields: BTreeMap::from([("applicant.name".into(), "X".into())]),
            units: vec![vec!["a".into()]],
            documents: vec![],
        };
        write_draft(&p, &d, true).unwrap();
        let mode = std::fs::metadata(&p).unwrap().permissions().mode() & 0o777;
        assert_eq!(mode, 0o600);
        assert_eq!(read_draft(&p).unwrap().fields["applicant.name"], "X");
        assert_eq!(std::fs::read_dir(p.parent().unwrap()).unwrap().count(), 1);
    }
}
