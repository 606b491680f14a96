//! 4 — every complaint with its §18/§19/§20 clock; the selected one's text below.

use ratatui::Frame;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::text::Line;
use ratatui::widgets::{Cell, Paragraph, Row, Table, Wrap};

use crate::tui::state::{App, Pane};
use crate::tui::theme::inert;
use crate::tui::view::{state_span, widest};

pub fn draw(f: &mut Frame, app: &App, area: Rect) {
    let c = &app.complaints;
    let shown = app.shown(Pane::Complaints);
    let title =
        app.tr.t("pane-complaints") + &crate::tui::filter::title_mark(app, Pane::Complaints);
    let block = super::list_block(app, title, &c.pos, shown.len());
    if shown.is_empty() {
        let text = super::empty_text(app, Pane::Complaints, "complaints-empty");
        return super::empty(f, block, text, area);
    }
    let [list, text] = Layout::vertical([Constraint::Min(4), Constraint::Length(4)]).areas(area);
    let status_w = widest(
        app,
        &["cstatus-received", "cstatus-forwarded", "cstatus-decided"],
    );
    let state_w = widest(app, crate::tui::view::STATE_IDS);
    // The complaint body takes what the identifiers, the rule (`п. 18`,
    // `18-т.`), the date and the state leave: they are never cut.
    let fixed = 15 + status_w + 6 + 10 + state_w + 5;
    let to_room = list.width.saturating_sub(2).saturating_sub(fixed).max(6);
    let to_w = widest(
        app,
        &[
            "body-provider",
            "body-quality_body",
            "body-superior_body",
            "body-official",
        ],
    )
    .min(to_room);
    let widths = [
        Constraint::Length(15),
        Constraint::Length(to_w),
        Constraint::Length(status_w),
        Constraint::Length(6),
        Constraint::Length(10),
        Constraint::Fill(1),
    ];
    let header = Row::new(
        [
            "col-complaint",
            "col-to",
            "col-status",
            "col-rule",
            "col-due",
            "col-state",
        ]
        .map(|id| Cell::from(app.tr.t(id))),
    )
    .style(app.theme.header());
    let height = list.height.saturating_sub(3) as usize;
    let rows: Vec<Row> = shown
        .iter()
        .enumerate()
        .skip(c.pos.offset)
        .take(height)
        .map(|(i, &k)| {
            let r = &c.rows[k];
            let (rule, due, state) = match &r.clock {
                Some(k) => (
                    app.tr.rule(&k.rule),
                    crate::tui::view::due_text(app, k.due),
                    Line::from(state_span(app, Some(k.state))),
                ),
                None => (
                    String::new(),
                    r.decided_on.map(|d| app.tr.date(d)).unwrap_or_default(),
                    Line::from(
                        r.outcome
                            .as_deref()
                            .map(|o| app.tr.word("outcome-", o))
                            .unwrap_or_default(),
                    ),
                ),
            };
            super::row(
                app,
                i == c.pos.selected,
                vec![
                    Cell::from(r.number.clone()),
                    Cell::from(whole_words(
                        &app.tr.t(&format!("body-{}", r.to)),
                        usize::from(to_w),
                    )),
                    Cell::from(app.tr.t(&format!("cstatus-{}", r.status))),
                    Cell::from(rule),
                    Cell::from(due),
                    Cell::from(state),
                ],
            )
        })
        .collect();
    f.render_widget(Table::new(rows, widths).header(header).block(block), list);
    if let Some(r) = shown.get(c.pos.selected).and_then(|&k| c.rows.get(k)) {
        let head = format!(
            "{} · {} {} · {} ",
            r.number,
            app.tr.t("col-case"),
            r.case,
            app.tr.date(r.registered_on)
        );
        let body = inert(&r.text, 400);
        f.render_widget(
            Paragraph::new(vec![Line::from(head), Line::from(body)])
                .wrap(Wrap { trim: true })
                .block(
                    app.theme
                        .block()
                        .title(Line::from(format!(" {} ", app.tr.t("complaint-text")))),
                ),
            text,
        );
    }
}

/// `text` in at most `w` columns, cut after a whole word with `…` where it
/// does not fit (never mid-word when a word fits).
fn whole_words(text: &str, w: usize) -> String {
    use unicode_width::UnicodeWidthStr;
    if text.width() <= w {
        return text.to_string();
    }
    let mut out = String::new();
    for word in text.split(' ') {
        let next = if out.is_empty() {
            word.to_string()
        } else {
            format!("{out} {word}")
        };
        if next.width() + 1 > w {
            break;
        }
        out = next;
    }
    if out.is_empty() {
        // Not one word fits: its first columns.
        out = text.chars().take(w.saturating_sub(1)).collect();
    }
    out + "…"
}
