//! 5 — the deadline monitor: every running clock, overdue first.

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::style::Style;

use crate::tui::state::{App, Pane};
use crate::tui::view::state_span;

pub fn draw(f: &mut Frame, app: &App, area: Rect) {
    let list = &app.snap.deadlines;
    let shown = app.shown(Pane::Monitor);
    let pos = &app.monitor;
    let title = app.tr.t("pane-monitor") + &crate::tui::filter::title_mark(app, Pane::Monitor);
    let block = super::list_block(app, title, pos, shown.len(), area.width);
    if shown.is_empty() {
        let text = super::empty_text(app, Pane::Monitor, "monitor-empty");
        return super::empty(f, block, text, area);
    }
    use super::{Col, Fit};
    let cols = vec![
        Col::new(app.tr.t("col-case"), Fit::Whole),
        Col::new(app.tr.t("col-rule"), Fit::Whole),
        Col::new(app.tr.t("col-clock"), Fit::Words),
        Col::new(app.tr.t("col-due"), Fit::Whole),
        Col::new(app.tr.t("col-left"), Fit::Words).right(),
        Col::new(app.tr.t("col-state"), Fit::Words),
    ];
    let inner = app.theme.block().inner(area);
    let height = inner.height.saturating_sub(1) as usize;
    let plain = Style::new();
    let rows: Vec<_> = shown
        .iter()
        .skip(pos.offset)
        .take(height)
        .map(|&k| {
            let d = &list[k];
            let r = &d.reading;
            let who = d.complaint.clone().unwrap_or_else(|| d.case.clone());
            let state = state_span(app, Some(r.state));
            (
                vec![
                    (who, plain),
                    (app.tr.rule(&r.rule), plain),
                    (app.tr.t(&format!("clock-{}", r.clock)), plain),
                    (crate::tui::view::due_text(app, r.due), plain),
                    (
                        r.working_days_left
                            .map_or_else(|| "?".into(), |n| n.to_string()),
                        plain,
                    ),
                    (state.content.into_owned(), state.style),
                ],
                app.theme.state(r.state),
            )
        })
        .collect();
    // Narrow: the days left, the clock's words, then the paragraph give
    // way; the case, the date and the state stay.
    let table = super::grid(
        app,
        inner,
        cols,
        &[4, 2, 1],
        rows,
        pos.selected.checked_sub(pos.offset),
    );
    f.render_widget(table.block(block), area);
}
