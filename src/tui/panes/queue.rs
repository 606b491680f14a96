//! 1 — the queue: open cases by next due date; views; `/` search.

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::style::Style;
use ratatui::text::Span;

use crate::store::read::queue::View;
use crate::tui::state::{App, QueueView};
use crate::tui::theme::inert;
use crate::tui::view::state_span;

pub fn view_title(app: &App) -> String {
    match app.queue.view() {
        QueueView::View(v) => app.tr.t(match v {
            View::Open => "view-open",
            View::Incomplete => "view-incomplete",
            View::AwaitingHearing => "view-awaiting-hearing",
            View::DecidedToday => "view-decided-today",
        }),
        QueueView::Search(q) => app.tr.a("view-search", &[("q", &inert(&q, 40))]),
    }
}

pub fn draw(f: &mut Frame, app: &App, area: Rect) {
    let q = &app.queue;
    let block = super::list_block(app, view_title(app), &q.pos, q.ids.len(), area.width);
    if q.ids.is_empty() {
        let text = match q.view() {
            QueueView::Search(s) => app.tr.a("search-empty", &[("q", &inert(&s, 40))]),
            _ => app.tr.t("queue-empty"),
        };
        return super::empty(f, block, text, area);
    }
    use super::{Col, Fit};
    let cols = vec![
        Col::new(app.tr.t("col-case"), Fit::Whole),
        Col::new(app.tr.t("col-kind"), Fit::Words),
        Col::new(app.tr.t("col-applicant"), Fit::Name),
        Col::new(app.tr.t("col-registered"), Fit::Whole),
        Col::new(app.tr.t("col-next-due"), Fit::Whole),
        Col::new(app.tr.t("col-state"), Fit::Words),
    ];
    let inner = app.theme.block().inner(area);
    let height = inner.height.saturating_sub(1) as usize;
    let first = q.pos.offset;
    let rows: Vec<_> = (first..(first + height).min(q.ids.len()))
        .filter_map(|i| q.row(i))
        .map(|r| {
            let (due, state) = match &r.next {
                Some(c) => (crate::tui::view::due_text(app, c.due), Some(c.state)),
                None => (String::new(), None),
            };
            let state_cell = match state {
                Some(s) => state_span(app, Some(s)),
                None => Span::raw(app.tr.t(&format!("stage-{}", r.stage))),
            };
            let plain = Style::new();
            (
                vec![
                    (r.number.clone(), plain),
                    (app.tr.t(&format!("kind-{}", r.kind)), plain),
                    (inert(&r.applicant, 80), plain),
                    (app.tr.date(r.registered_on), plain),
                    (due, plain),
                    (state_cell.content.into_owned(), state_cell.style),
                ],
                plain,
            )
        })
        .collect();
    // Narrow: the applicant, the kind and the registration date give way
    // first; case, next due and state stay.
    let table = super::grid(
        app,
        inner,
        cols,
        &[2, 1, 3],
        rows,
        q.pos.selected.checked_sub(first),
    );
    f.render_widget(table.block(block), area);
}
