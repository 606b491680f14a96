//! One file per pane: each draws its part of the state.
pub mod complaints;
pub mod detail;
pub mod hearings;
pub mod monitor;
pub mod queue;

use ratatui::layout::Rect;
use ratatui::text::Line;
use ratatui::widgets::{Block, Paragraph};

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

/// A one-line message in an empty pane.
pub fn empty(f: &mut ratatui::Frame, block: Block, text: String, area: Rect) {
    f.render_widget(Paragraph::new(text).block(block), area);
}
