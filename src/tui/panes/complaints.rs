//! 4 — every complaint with its §18/§19/§20 clock; the selected one's text below.

use ratatui::Frame;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::style::Style;
use ratatui::text::Line;
use ratatui::widgets::{Paragraph, Wrap};

use crate::tui::state::{App, Pane};
use crate::tui::theme::inert;
use crate::tui::view::state_span;

pub fn draw(f: &mut Frame, app: &App, area: Rect) {
    let c = &app.complaints;
    let shown = app.shown(Pane::Complaints);
    let title =
        app.tr.t("pane-complaints") + &crate::tui::filter::title_mark(app, Pane::Complaints);
    let block = super::list_block(app, title, &c.pos, shown.len(), area.width);
    if shown.is_empty() {
        let text = super::empty_text(app, Pane::Complaints, "complaints-empty");
        return super::empty(f, block, text, area);
    }
    use super::{Col, Fit};
    // The selected complaint's text below the list, wrapped whole as far
    // as half the pane allows (issue 17: it was one line).
    let selected = shown.get(c.pos.selected).and_then(|&k| c.rows.get(k));
    let text_lines = selected.map_or(1, |r| {
        let w = usize::from(area.width.saturating_sub(2)).max(1);
        textwrap::wrap(&text_head(app, r, area.width), w).len()
            + textwrap::wrap(&inert(&r.text, 400), w).len()
    });
    let text_h = (text_lines as u16 + 2).clamp(4, area.height.saturating_sub(5).max(4));
    let [list, text] =
        Layout::vertical([Constraint::Min(4), Constraint::Length(text_h)]).areas(area);
    let cols = vec![
        Col::new(app.tr.t("col-complaint"), Fit::Whole),
        Col::new(app.tr.t("col-to"), Fit::Words),
        Col::new(app.tr.t("col-status"), Fit::Words),
        Col::new(app.tr.t("col-rule"), Fit::Whole),
        Col::new(app.tr.t("col-due"), Fit::Whole),
        Col::new(app.tr.t("col-state"), Fit::Words),
    ];
    let inner = app.theme.block().inner(list);
    let height = inner.height.saturating_sub(1) as usize;
    let plain = Style::new();
    let rows: Vec<_> = shown
        .iter()
        .skip(c.pos.offset)
        .take(height)
        .map(|&k| {
            let r = &c.rows[k];
            let (rule, due, state) = match &r.clock {
                Some(k) => {
                    let s = state_span(app, Some(k.state));
                    (
                        app.tr.rule(&k.rule),
                        crate::tui::view::due_text(app, k.due),
                        (s.content.into_owned(), s.style),
                    )
                }
                None => (
                    String::new(),
                    r.decided_on.map(|d| app.tr.date(d)).unwrap_or_default(),
                    (
                        r.outcome
                            .as_deref()
                            .map(|o| app.tr.word("outcome-", o))
                            .unwrap_or_default(),
                        plain,
                    ),
                ),
            };
            (
                vec![
                    (r.number.clone(), plain),
                    (app.tr.t(&format!("body-{}", r.to)), plain),
                    (app.tr.t(&format!("cstatus-{}", r.status)), plain),
                    (rule, plain),
                    (due, plain),
                    state,
                ],
                plain,
            )
        })
        .collect();
    // Narrow: to whom, the status, the paragraph and the date give way;
    // the complaint's number and its state stay.
    let table = super::grid(
        app,
        inner,
        cols,
        &[1, 2, 3, 4],
        rows,
        c.pos.selected.checked_sub(c.pos.offset),
    );
    f.render_widget(table.block(block), list);
    if let Some(r) = selected {
        let head = text_head(app, r, area.width);
        let body = inert(&r.text, 400);
        f.render_widget(
            Paragraph::new(vec![Line::from(head), Line::from(body)])
                .wrap(Wrap { trim: true })
                .block(app.theme.block().title(Line::from(if area.width < 60 {
                    format!(" {} ", r.number)
                } else {
                    format!(" {} ", app.tr.t("complaint-text"))
                }))),
            text,
        );
    }
}

/// The line above a complaint's text: its number (in the box's title when
/// narrow), its case, its date.
fn text_head(app: &App, r: &crate::store::read::queue::ComplaintRow, width: u16) -> String {
    let sep = app.theme.sep();
    let case = format!(
        "{} {}{sep}{}",
        app.tr.t("col-case"),
        r.case,
        app.tr.date(r.registered_on)
    );
    if width < 60 {
        case
    } else {
        format!("{}{sep}{case}", r.number)
    }
}
