//! 5 — the deadline monitor: every running clock, overdue first.

use ratatui::Frame;
use ratatui::layout::{Constraint, Rect};
use ratatui::widgets::{Cell, Row, Table};

use crate::tui::state::{App, Pane};
use crate::tui::view::{STATE_IDS, state_span, widest};

pub fn draw(f: &mut Frame, app: &App, area: Rect) {
    let list = &app.snap.deadlines;
    let shown = app.shown(Pane::Monitor);
    let pos = &app.monitor;
    let title = app.tr.t("pane-monitor") + &crate::tui::filter::title_mark(app, Pane::Monitor);
    let block = super::list_block(app, title, pos, shown.len());
    if shown.is_empty() {
        let text = super::empty_text(app, Pane::Monitor, "monitor-empty");
        return super::empty(f, block, text, area);
    }
    let state_w = widest(app, STATE_IDS);
    let rule_w = crate::tui::view::rule_width(app, list.iter().map(|d| d.reading.rule.as_str()));
    // Narrower than 70 columns: case, rule, due and state only.
    let widths = [
        Constraint::Length(15),
        Constraint::Length(rule_w),
        Constraint::Fill(1),
        Constraint::Length(10),
        Constraint::Length(5),
        Constraint::Length(state_w),
    ];
    let (widths, keep) = super::columns(area.width, widths.to_vec(), &[0, 3, 5]);
    let header = Row::new(super::pick(
        &keep,
        [
            "col-case",
            "col-rule",
            "col-clock",
            "col-due",
            "col-left",
            "col-state",
        ]
        .map(|id| Cell::from(app.tr.t(id)))
        .into_iter()
        .collect(),
    ))
    .style(app.theme.header());
    let height = area.height.saturating_sub(3) as usize;
    let rows: Vec<Row> = shown
        .iter()
        .enumerate()
        .skip(pos.offset)
        .take(height)
        .map(|(i, &k)| {
            let d = &list[k];
            let r = &d.reading;
            let who = d.complaint.clone().unwrap_or_else(|| d.case.clone());
            let row = super::row(
                app,
                i == pos.selected,
                super::pick(
                    &keep,
                    vec![
                        Cell::from(who),
                        Cell::from(app.tr.rule(&r.rule)),
                        Cell::from(app.tr.t(&format!("clock-{}", r.clock))),
                        Cell::from(crate::tui::view::due_text(app, r.due)),
                        Cell::from(format!(
                            "{:>5}",
                            r.working_days_left
                                .map_or_else(|| "?".into(), |n| n.to_string())
                        )),
                        Cell::from(state_span(app, Some(r.state))),
                    ],
                ),
            );
            row.style(app.theme.state(r.state))
        })
        .collect();
    f.render_widget(Table::new(rows, widths).header(header).block(block), area);
}
