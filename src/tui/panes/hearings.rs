//! 3 — hearings by date, upcoming then past, with their §12 clocks.

use ratatui::Frame;
use ratatui::layout::{Constraint, Rect};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Cell, Row, Table};

use crate::tui::state::{App, Pane};
use crate::tui::theme::inert;
use crate::tui::view::{STATE_IDS, state_span, widest};

pub fn draw(f: &mut Frame, app: &App, area: Rect) {
    let h = &app.hearings;
    let shown = app.shown(Pane::Hearings);
    let title = format!(
        "{} {}{}{} {}{}",
        app.tr.t("hearings-upcoming"),
        h.upcoming,
        app.theme.sep(),
        app.tr.t("hearings-past"),
        h.rows.len() - h.upcoming,
        crate::tui::filter::title_mark(app, Pane::Hearings)
    );
    let block = super::list_block(app, title, &h.pos, shown.len());
    if shown.is_empty() {
        return super::empty(
            f,
            block,
            super::empty_text(app, Pane::Hearings, "hearings-empty"),
            area,
        );
    }
    let zone = app.law.calendar.office().zone;
    let held = app
        .tr
        .a("hearing-held", &[("date", "00.00.0000")])
        .chars()
        .count() as u16;
    let absent = app
        .tr
        .a("hearing-absent", &[("date", "00.00.0000")])
        .chars()
        .count() as u16;
    let state_w = widest(app, STATE_IDS).max(held).max(absent.min(24));
    let hold_w = widest(app, &["col-hold-by"]).max(10);
    let widths = [
        Constraint::Length(16),
        Constraint::Length(15),
        Constraint::Fill(1),
        Constraint::Length(hold_w),
        Constraint::Length(state_w),
    ];
    let header = Row::new(
        [
            "col-date",
            "col-case",
            "col-applicant",
            "col-hold-by",
            "col-state",
        ]
        .map(|id| Cell::from(app.tr.t(id))),
    )
    .style(app.theme.header());
    let height = area.height.saturating_sub(3) as usize;
    let rows: Vec<Row> = shown
        .iter()
        .enumerate()
        .skip(h.pos.offset)
        .take(height)
        .map(|(i, &k)| {
            let r = &h.rows[k];
            let at =
                r.at.with_timezone(&zone)
                    .format("%d.%m.%Y %H:%M")
                    .to_string();
            let state: Line = match (&r.hold, r.held_on, r.outcome.as_deref()) {
                (Some(c), _, _) => Line::from(state_span(app, Some(c.state))),
                (None, Some(d), Some("absent")) => {
                    Line::from(app.tr.a("hearing-absent", &[("date", &app.tr.date(d))]))
                }
                (None, Some(d), _) => {
                    Line::from(app.tr.a("hearing-held", &[("date", &app.tr.date(d))]))
                }
                (None, None, _) => Line::from(Span::raw(app.tr.t(&format!("stage-{}", r.stage)))),
            };
            let row = super::row(
                app,
                i == h.pos.selected,
                vec![
                    Cell::from(at),
                    Cell::from(r.case.clone()),
                    Cell::from(inert(&r.applicant, 80)),
                    Cell::from(match (r.hold_due, &r.hold) {
                        (Some(d), _) => app.tr.date(d),
                        // Due in a year whose calendar is not yet published.
                        (None, Some(h)) => crate::tui::view::due_text(app, h.due),
                        (None, None) => String::new(),
                    }),
                    Cell::from(state),
                ],
            );
            if k >= h.upcoming || r.at < app.now {
                row.style(app.theme.dim())
            } else {
                row
            }
        })
        .collect();
    f.render_widget(Table::new(rows, widths).header(header).block(block), area);
}
