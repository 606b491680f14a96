//! 1 — the queue: open cases by next due date; views; `/` search.

use ratatui::Frame;
use ratatui::layout::{Constraint, Rect};
use ratatui::text::Span;
use ratatui::widgets::{Cell, Row, Table};

use crate::store::read::queue::View;
use crate::tui::state::{App, QueueView};
use crate::tui::theme::inert;
use crate::tui::view::{STATE_IDS, state_span, widest};

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
    let block = super::list_block(app, view_title(app), &q.pos, q.ids.len());
    if q.ids.is_empty() {
        let text = match q.view() {
            QueueView::Search(s) => app.tr.a("search-empty", &[("q", &inert(&s, 40))]),
            _ => app.tr.t("queue-empty"),
        };
        return super::empty(f, block, text, area);
    }
    let kind_w = widest(app, &["kind-inclusion", "kind-exclusion", "kind-change"]);
    let state_w = widest(app, STATE_IDS).max(widest(app, &["col-state"]));
    // Narrower than 70 columns: case, next due and state only.
    let widths = [
        Constraint::Length(15),
        Constraint::Length(kind_w),
        Constraint::Fill(1),
        Constraint::Length(10),
        Constraint::Length(10),
        Constraint::Length(state_w),
    ];
    let (widths, keep) = super::columns(area.width, widths.to_vec(), &[0, 4, 5]);
    let header = Row::new(super::pick(
        &keep,
        [
            "col-case",
            "col-kind",
            "col-applicant",
            "col-registered",
            "col-next-due",
            "col-state",
        ]
        .map(|id| Cell::from(app.tr.t(id)))
        .into_iter()
        .collect(),
    ))
    .style(app.theme.header());
    let height = area.height.saturating_sub(3) as usize;
    let rows: Vec<Row> = (q.pos.offset..(q.pos.offset + height).min(q.ids.len()))
        .filter_map(|i| q.row(i).map(|r| (i, r)))
        .map(|(i, r)| {
            let (due, state) = match &r.next {
                Some(c) => (crate::tui::view::due_text(app, c.due), Some(c.state)),
                None => (String::new(), None),
            };
            let state_cell = match state {
                Some(s) => state_span(app, Some(s)),
                None => Span::raw(app.tr.t(&format!("stage-{}", r.stage))),
            };
            super::row(
                app,
                i == q.pos.selected,
                super::pick(
                    &keep,
                    vec![
                        Cell::from(r.number.clone()),
                        Cell::from(app.tr.t(&format!("kind-{}", r.kind))),
                        Cell::from(inert(&r.applicant, 80)),
                        Cell::from(app.tr.date(r.registered_on)),
                        Cell::from(due),
                        Cell::from(state_cell),
                    ],
                ),
            )
        })
        .collect();
    f.render_widget(Table::new(rows, widths).header(header).block(block), area);
}
