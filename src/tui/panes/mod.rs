//! One file per pane: each draws its part of the state.
pub mod complaints;
pub mod detail;
pub mod hearings;
pub mod monitor;
pub mod notice;
pub mod queue;
pub mod register;
pub mod terms;

use ratatui::layout::Constraint;
use ratatui::layout::Rect;
use ratatui::text::Line;
use ratatui::widgets::{Block, Cell, Paragraph, Row};

use super::state::{App, ListPos};

/// The block of a list pane: its title on the left, "n/len" on the right.
pub fn list_block<'a>(app: &App, title: String, pos: &ListPos, len: usize) -> Block<'a> {
    let where_ = if len == 0 {
        String::new()
    } else {
        format!(" {}/{} ", pos.selected + 1, len)
    };
    app.theme
        .block()
        .title(Line::from(format!(" {title} ")))
        .title(Line::from(where_).right_aligned())
}

/// What an empty list pane says: nothing matches its filter, or `none_id`.
pub fn empty_text(app: &App, pane: super::state::Pane, none_id: &str) -> String {
    match app.filters.of(pane).and_then(|f| f.active()) {
        Some(q) => app
            .tr
            .a("search-empty", &[("q", &super::theme::inert(q, 40))]),
        None => app.tr.t(none_id),
    }
}

/// A one-line message in an empty pane.
pub fn empty(f: &mut ratatui::Frame, block: Block, text: String, area: Rect) {
    f.render_widget(Paragraph::new(text).block(block), area);
}

/// A list row; the selected one shows its first cell (the key: case,
/// complaint, serial…) in reverse video. Only those cells change when the selection moves, so a move costs a few dozen bytes
/// on the wire instead of two whole lines.
pub fn row<'a>(app: &App, selected: bool, mut cells: Vec<Cell<'a>>) -> Row<'a> {
    if selected && !cells.is_empty() {
        let first = cells.remove(0).style(app.theme.selected());
        cells.insert(0, first);
    }
    Row::new(cells)
}

/// The columns a table shows at `width`: all of them, or below 70 columns only
/// those in `narrow_keep`, the last one taking the rest of the line. Returns
/// their widths and which column indexes are kept (for [`pick`]).
pub fn columns(
    width: u16,
    all: Vec<Constraint>,
    narrow_keep: &'static [usize],
) -> (Vec<Constraint>, impl Fn(usize) -> bool) {
    let narrow = width < 70;
    let keep = move |i: usize| !narrow || narrow_keep.contains(&i);
    let mut widths: Vec<Constraint> = all
        .into_iter()
        .enumerate()
        .filter(|(i, _)| keep(*i))
        .map(|(_, w)| w)
        .collect();
    if narrow && let Some(last) = widths.last_mut() {
        *last = Constraint::Fill(1);
    }
    (widths, keep)
}

/// The cells of the columns a narrow screen keeps.
pub fn pick<'a>(keep: &impl Fn(usize) -> bool, cells: Vec<Cell<'a>>) -> Vec<Cell<'a>> {
    cells
        .into_iter()
        .enumerate()
        .filter(|(i, _)| keep(*i))
        .map(|(_, c)| c)
        .collect()
}
