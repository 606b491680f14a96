//! Styles and borders. Under `NO_COLOR` no colour is ever set: the selection
//! is reverse video and overdue is bold. `--ascii` draws borders with `+-|`.

use ratatui::style::{Color, Modifier, Style};
use ratatui::symbols::border;
use ratatui::widgets::{Block, Borders};

use crate::rules::ClockState;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Theme {
    pub color: bool,
    pub ascii: bool,
}

pub const ASCII_BORDER: border::Set = border::Set {
    top_left: "+",
    top_right: "+",
    bottom_left: "+",
    bottom_right: "+",
    vertical_left: "|",
    vertical_right: "|",
    horizontal_top: "-",
    horizontal_bottom: "-",
};

impl Theme {
    /// From the environment: `NO_COLOR` set to anything non-empty turns colour off.
    pub fn from_env(ascii: bool) -> Theme {
        let no_color = std::env::var_os("NO_COLOR").is_some_and(|v| !v.is_empty());
        Theme {
            color: !no_color,
            ascii,
        }
    }

    pub fn block<'a>(&self) -> Block<'a> {
        Block::default()
            .borders(Borders::ALL)
            .border_set(if self.ascii {
                ASCII_BORDER
            } else {
                border::PLAIN
            })
    }

    /// The selected row: reverse video in every mode (never colour alone).
    pub fn selected(&self) -> Style {
        Style::new().add_modifier(Modifier::REVERSED)
    }

    pub fn header(&self) -> Style {
        Style::new().add_modifier(Modifier::BOLD)
    }

    pub fn dim(&self) -> Style {
        if self.color {
            Style::new().fg(Color::DarkGray)
        } else {
            Style::new()
        }
    }

    /// How a clock's state is drawn: overdue bold (and red), due today and
    /// tomorrow marked (yellow / underlined without colour).
    pub fn state(&self, s: ClockState) -> Style {
        match (s, self.color) {
            (ClockState::Overdue, true) => Style::new().fg(Color::Red).add_modifier(Modifier::BOLD),
            (ClockState::Overdue, false) => Style::new().add_modifier(Modifier::BOLD),
            (ClockState::DueToday, true) => {
                Style::new().fg(Color::Yellow).add_modifier(Modifier::BOLD)
            }
            (ClockState::DueToday, false) => Style::new().add_modifier(Modifier::UNDERLINED),
            (ClockState::DueSoon, true) => Style::new().fg(Color::Yellow),
            (ClockState::DueSoon, false) => Style::new(),
            _ => Style::new(),
        }
    }

    /// The separator of the status line's parts.
    pub fn sep(&self) -> &'static str {
        if self.ascii { " | " } else { " · " }
    }
}

/// Applicant-supplied text made inert for the screen: control, escape, zero-
/// width and bidi characters replaced, length bounded.
pub fn inert(s: &str, max: usize) -> String {
    crate::rules::text::for_terminal(s, max)
}
