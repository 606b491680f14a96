//! Pane 2's notice view: a signed notice (Appendices 6–8, §15) as its text
//! rendering in the console's language, scrolled with the list keys; `w`
//! writes the printable page to a file; `d` records its delivery, which the
//! title shows (issue 21).

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::Line;
use ratatui::widgets::Paragraph;

use crate::tui::state::App;
use crate::tui::theme::inert;

pub fn draw(f: &mut Frame, app: &App, area: Rect) {
    let Some(n) = &app.notice else {
        let block = app
            .theme
            .block()
            .title(Line::from(format!(" {} ", app.tr.t("pane-notice"))));
        return super::empty(f, block, app.tr.t("msg-no-notice"), area);
    };
    let lines: Vec<&str> = n.text.lines().collect();
    // Issue 21: how it reached the applicant, or that it has not yet.
    let delivered = if n.deliveries.is_empty() {
        app.tr.t("notice-not-delivered")
    } else {
        let list: Vec<String> = n
            .deliveries
            .iter()
            .map(|d| {
                format!(
                    "{} {}",
                    app.tr.t(&format!("via-{}", d.via)),
                    app.tr.date(d.on)
                )
            })
            .collect();
        app.tr.a("notice-delivered", &[("list", &list.join(", "))])
    };
    let block = app
        .theme
        .block()
        .title(Line::from(format!(
            " {}{}{}{}{} ",
            app.tr.t("pane-notice"),
            app.theme.sep(),
            n.number,
            app.theme.sep(),
            delivered
        )))
        .title(
            Line::from(format!(
                " {}/{} ",
                (n.scroll + 1).min(lines.len()),
                lines.len()
            ))
            .right_aligned(),
        );
    let inner = block.inner(area);
    f.render_widget(block, area);
    // The renderings are already laid out for a page; lines wider than the
    // screen are cut, not wrapped, so the table's columns stay aligned.
    let width = inner.width as usize;
    let shown: Vec<Line> = lines
        .iter()
        .skip(n.scroll)
        .take(inner.height as usize)
        .map(|l| Line::from(inert(l, width.max(1))))
        .collect();
    f.render_widget(Paragraph::new(shown), inner);
}
