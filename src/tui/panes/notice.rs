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
    let title = format!(
        " {}{}{}{}{} ",
        app.tr.t("pane-notice"),
        app.theme.sep(),
        n.number,
        app.theme.sep(),
        delivered
    );
    let at = format!(" {}/{} ", (n.scroll + 1).min(lines.len()), lines.len());
    // Never cut mid-word (issue 17): the position gives way, then the
    // title is cut after a whole word.
    let room = usize::from(area.width.saturating_sub(2));
    let (title, at) = if super::width(&title) + super::width(&at) <= room {
        (title, at)
    } else if super::width(&title) <= room {
        (title, String::new())
    } else {
        (
            format!(
                " {} ",
                super::ascii_cut(
                    app,
                    super::whole_words(title.trim(), room.saturating_sub(2))
                )
            ),
            String::new(),
        )
    };
    let block = app
        .theme
        .block()
        .title(Line::from(title))
        .title(Line::from(at).right_aligned());
    let inner = block.inner(area);
    f.render_widget(block, area);
    // The renderings are already laid out for a page. A table's row wider
    // than the screen is cut, not wrapped, so the columns stay aligned; any
    // other line (a paragraph, the signature line) wraps under its own
    // indent (issue 17: the signature line was cut).
    let width = usize::from(inner.width.max(1));
    let mut shown: Vec<Line> = Vec::new();
    for l in lines.iter().skip(n.scroll) {
        if shown.len() >= usize::from(inner.height) {
            break;
        }
        let l = inert(l, 4000);
        if super::width(&l) <= width {
            shown.push(Line::from(l));
        } else if is_table_row(&l) {
            shown.push(Line::from(crate::rules::text::cut_to_width(&l, width)));
        } else {
            let indent: String = l.chars().take_while(|c| *c == ' ').collect();
            let indent = if indent.len() * 2 > width {
                String::new()
            } else {
                indent
            };
            let opts = textwrap::Options::new(width)
                .initial_indent(&indent)
                .subsequent_indent(&indent);
            for w in textwrap::wrap(l.trim_start(), opts) {
                shown.push(Line::from(w.into_owned()));
            }
        }
    }
    shown.truncate(usize::from(inner.height));
    f.render_widget(Paragraph::new(shown), inner);
}

/// A line laid out in columns: box drawing, or a gap of two spaces or more
/// between words.
fn is_table_row(l: &str) -> bool {
    l.chars().any(|c| matches!(c, '│' | '|' | '─' | '┼' | '+')) || l.trim_start().contains("  ")
}
