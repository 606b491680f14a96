//! `view`: draws the state. One header line (the panes), the pane, the status
//! line (overdue and due-today counts, on every pane) and the footer hints
//! from the keymap. Nothing here reads the database or the clock.

use ratatui::Frame;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::style::{Modifier, Style};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Clear, Paragraph, Row, Table};

use super::keys::KEYMAP;
use super::panes;
use super::state::{App, Pane};
use crate::rules::ClockState;

/// The smallest screen the console draws on; below it, one line says so.
pub const MIN: (u16, u16) = (30, 8);

pub fn draw(f: &mut Frame, app: &App) {
    let area = f.area();
    if area.width < MIN.0 || area.height < MIN.1 {
        f.render_widget(Paragraph::new(app.tr.t("msg-too-small")), area);
        return;
    }
    let [top, main, status, footer] = Layout::vertical([
        Constraint::Length(1),
        Constraint::Min(1),
        Constraint::Length(1),
        Constraint::Length(1),
    ])
    .areas(area);
    header(f, app, top);
    match app.pane {
        Pane::Queue => panes::queue::draw(f, app, main),
        Pane::Detail => panes::detail::draw(f, app, main),
        Pane::Hearings => panes::hearings::draw(f, app, main),
        Pane::Complaints => panes::complaints::draw(f, app, main),
        Pane::Monitor => panes::monitor::draw(f, app, main),
    }
    // The intake form (or its draft's offer) over the main area.
    super::intake::draw(f, app, main);
    status_line(f, app, status);
    if !super::intake::footer(f, app, footer) {
        footer_line(f, app, footer);
    }
    if app.help {
        // Over the whole screen: every key fits at 80×24.
        help(f, app, area);
    }
}

fn header(f: &mut Frame, app: &App, area: Rect) {
    let mut spans = Vec::new();
    for (i, p) in Pane::ALL.iter().enumerate() {
        let label = format!(" {} {} ", i + 1, app.tr.t(p.title_id()));
        let style = if *p == app.pane {
            app.theme.selected().add_modifier(Modifier::BOLD)
        } else {
            Style::new()
        };
        spans.push(Span::styled(label, style));
    }
    let used: usize = spans.iter().map(|s| s.width()).sum();
    let who = app.tr.a(
        "status-role",
        &[
            ("login", &super::theme::inert(&app.login, 32)),
            ("role", &app.tr.t(&format!("role-{}", app.role))),
        ],
    );
    let room = (area.width as usize).saturating_sub(used);
    if who.chars().count() < room {
        spans.push(Span::raw(format!("{who:>room$}")));
    }
    f.render_widget(Line::from(spans), area);
}

fn status_line(f: &mut Frame, app: &App, area: Rect) {
    let overdue = app.snap.count(ClockState::Overdue);
    let today = app.snap.count(ClockState::DueToday);
    let mut spans = vec![
        Span::styled(
            app.tr.n("status-overdue", overdue as i64),
            if overdue > 0 {
                app.theme.state(ClockState::Overdue)
            } else {
                Style::new()
            },
        ),
        Span::raw(app.theme.sep()),
        Span::styled(
            app.tr.n("status-due-today", today as i64),
            if today > 0 {
                app.theme.state(ClockState::DueToday)
            } else {
                Style::new()
            },
        ),
        Span::raw(app.theme.sep()),
        Span::raw(
            app.tr
                .a("status-today", &[("date", &app.tr.date(app.today))]),
        ),
    ];
    if let Some(m) = &app.message {
        spans.push(Span::raw(app.theme.sep()));
        spans.push(Span::styled(
            m.clone(),
            Style::new().add_modifier(Modifier::BOLD),
        ));
    }
    f.render_widget(Line::from(spans), area);
}

fn footer_line(f: &mut Frame, app: &App, area: Rect) {
    if let Some(line) = &app.queue.editing
        && app.pane == Pane::Queue
    {
        let text = format!("/{line}█  {}", app.tr.t("filter-hint"));
        f.render_widget(Line::from(text), area);
        return;
    }
    let mut spans = Vec::new();
    for b in KEYMAP {
        let Some(hint) = b.hint else { continue };
        if !b.scope.includes(app.pane) {
            continue;
        }
        if !spans.is_empty() {
            spans.push(Span::raw("  "));
        }
        spans.push(Span::styled(b.label, app.theme.header()));
        spans.push(Span::raw(format!(" {}", app.tr.t(hint))));
    }
    f.render_widget(Line::from(spans), area);
}

fn help(f: &mut Frame, app: &App, area: Rect) {
    f.render_widget(Clear, area);
    let rows: Vec<Row> = KEYMAP
        .iter()
        .map(|b| Row::new(vec![b.label.to_string(), app.tr.t(b.help)]))
        .collect();
    let block = app
        .theme
        .block()
        .title(Line::from(format!(" {} ", app.tr.t("help-title"))))
        .title(Line::from(format!(" {} ", app.tr.t("help-close"))).right_aligned())
        .title_bottom(Line::from(format!(" {} ", app.tr.t("layout-note"))));
    f.render_widget(
        Table::new(rows, [Constraint::Length(11), Constraint::Fill(1)]).block(block),
        area,
    );
}

/// The state column's words of a clock, styled.
pub fn state_span<'a>(app: &App, state: Option<ClockState>) -> Span<'a> {
    match state {
        Some(s) => Span::styled(
            app.tr.t(&format!("state-{}", s.as_str())),
            app.theme.state(s),
        ),
        None => Span::raw(app.tr.t("state-none")),
    }
}

/// The widest of these messages in the current language (for column widths).
pub fn widest(app: &App, ids: &[&str]) -> u16 {
    ids.iter()
        .map(|id| app.tr.t(id).chars().count() as u16)
        .max()
        .unwrap_or(1)
}

pub const STATE_IDS: &[&str] = &[
    "state-overdue",
    "state-due_today",
    "state-due_soon",
    "state-running",
    "state-lapsed",
];
