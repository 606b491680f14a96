//! 3 — hearings by date, upcoming then past, with their §12 clocks.

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::style::Style;

use crate::tui::state::{App, Pane};
use crate::tui::theme::inert;
use crate::tui::view::state_span;

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
    let block = super::list_block(app, title, &h.pos, shown.len(), area.width);
    if shown.is_empty() {
        return super::empty(
            f,
            block,
            super::empty_text(app, Pane::Hearings, "hearings-empty"),
            area,
        );
    }
    let zone = app.law.calendar.office().zone;
    use super::{Col, Fit};
    let cols = vec![
        Col::new(app.tr.t("col-date"), Fit::Whole),
        Col::new(app.tr.t("col-case"), Fit::Whole),
        Col::new(app.tr.t("col-applicant"), Fit::Name),
        Col::new(app.tr.t("col-hold-by"), Fit::Whole),
        Col::new(app.tr.t("col-state"), Fit::Words),
    ];
    let inner = app.theme.block().inner(area);
    let height = inner.height.saturating_sub(1) as usize;
    let rows: Vec<_> = shown
        .iter()
        .enumerate()
        .skip(h.pos.offset)
        .take(height)
        .map(|(_, &k)| {
            let r = &h.rows[k];
            let at =
                r.at.with_timezone(&zone)
                    .format("%d.%m.%Y %H:%M")
                    .to_string();
            let plain = Style::new();
            let state = match (&r.hold, r.held_on, r.outcome.as_deref()) {
                (Some(c), _, _) => {
                    let s = state_span(app, Some(c.state));
                    (s.content.into_owned(), s.style)
                }
                (None, Some(d), Some("absent")) => (
                    app.tr.a("hearing-absent", &[("date", &app.tr.date(d))]),
                    plain,
                ),
                (None, Some(d), _) => (
                    app.tr.a("hearing-held", &[("date", &app.tr.date(d))]),
                    plain,
                ),
                (None, None, _) => (app.tr.t(&format!("stage-{}", r.stage)), plain),
            };
            let hold = match (r.hold_due, &r.hold) {
                (Some(d), _) => app.tr.date(d),
                // Due in a year whose calendar is not yet published.
                (None, Some(h)) => crate::tui::view::due_text(app, h.due),
                (None, None) => String::new(),
            };
            let row_style = if k >= h.upcoming || r.at < app.now {
                app.theme.dim()
            } else {
                plain
            };
            (
                vec![
                    (at, plain),
                    (r.case.clone(), plain),
                    (inert(&r.applicant, 80), plain),
                    (hold, plain),
                    state,
                ],
                row_style,
            )
        })
        .collect();
    // Narrow: the applicant, the date to hold it by, then the hearing's
    // date give way; the case and the state stay.
    let table = super::grid(
        app,
        inner,
        cols,
        &[2, 3, 0],
        rows,
        h.pos.selected.checked_sub(h.pos.offset),
    );
    f.render_widget(table.block(block), area);
}
