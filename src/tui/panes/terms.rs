//! 5, `t` — the supervisors' report of terms (issue 20) in place of the
//! deadline list: this year's acts in time and late per paragraph and per
//! month, as bars in characters (█ in time, ▒ late; `#` and `x` under
//! `--ascii`, so NO_COLOR reads the same), the clocks overdue now, and the
//! late acts with their reasons.

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Paragraph, Wrap};

use crate::rules::text::for_terminal;
use crate::tui::state::App;

/// A bar of `acts` in `width` cells at the scale `widest`: in time, then late.
fn bar(acts: usize, late: usize, widest: usize, width: usize, ascii: bool) -> String {
    if width == 0 {
        return String::new();
    }
    let cells = |n: usize| (n * width).div_ceil(widest.max(1));
    let late_w = cells(late);
    let ok_w = cells(acts).saturating_sub(late_w);
    let (ok, bad) = if ascii { ('#', 'x') } else { ('█', '▒') };
    format!(
        "{}{}",
        ok.to_string().repeat(ok_w),
        bad.to_string().repeat(late_w)
    )
}

pub fn draw(f: &mut Frame, app: &App, area: Rect) {
    let Some(r) = &app.terms else { return };
    let tr = &app.tr;
    let ascii = app.theme.ascii;
    let title = tr.a(
        "terms-title",
        &[("from", &tr.date(r.from)), ("to", &tr.date(r.to))],
    );
    let block = app.theme.block().title(Line::from(format!(" {title} ")));
    let inner_w = area.width.saturating_sub(2) as usize;
    // Label 10, three figures of 9, two spaces: the bar takes the rest.
    // Narrower than that (40×12): the figures alone, no bar to wrap.
    let bar_w = inner_w.saturating_sub(10 + 3 * 9 + 2).min(40);
    let mut lines = vec![Line::from(tr.a(
        "terms-summary",
        &[
            ("acts", &r.acts.to_string()),
            ("ok", &(r.acts - r.late).to_string()),
            ("late", &r.late.to_string()),
            ("overdue", &r.overdue_now.to_string()),
        ],
    ))];
    lines.push(Line::from(Span::styled(
        tr.t(if ascii {
            "terms-legend-ascii"
        } else {
            "terms-legend"
        }),
        app.theme.dim(),
    )));
    let head = |a: &str, b: &str, c: &str, d: &str| {
        Line::from(Span::styled(
            format!(
                "{:<10}{:>9}{:>9}{:>9}  {}",
                fit(&tr.t(a), 10),
                fit(&tr.t(b), 8),
                fit(&tr.t(c), 8),
                if d.is_empty() {
                    String::new()
                } else {
                    fit(&tr.t(d), 8)
                },
                ""
            )
            .trim_end()
            .to_string(),
            app.theme.header(),
        ))
    };
    lines.push(head(
        "report-col-rule",
        "terms-col-acts",
        "terms-col-late",
        "terms-col-overdue",
    ));
    let widest = r.by_paragraph.iter().map(|p| p.acts).max().unwrap_or(0);
    for p in &r.by_paragraph {
        lines.push(Line::from(
            format!(
                "{:<10}{:>9}{:>9}{:>9}  {}",
                fit(&tr.rule(&p.rule), 10),
                p.acts,
                p.late,
                p.overdue_now,
                bar(p.acts, p.late, widest, bar_w, ascii)
            )
            .trim_end()
            .to_string(),
        ));
    }
    lines.push(head(
        "report-col-month",
        "terms-col-acts",
        "terms-col-late",
        "",
    ));
    let widest = r.by_month.iter().map(|m| m.acts).max().unwrap_or(0);
    for m in &r.by_month {
        lines.push(Line::from(
            format!(
                "{:<10}{:>9}{:>9}{:>9}  {}",
                m.month,
                m.acts,
                m.late,
                "",
                bar(m.acts, m.late, widest, bar_w, ascii)
            )
            .trim_end()
            .to_string(),
        ));
    }
    if !r.late_acts.is_empty() {
        lines.push(Line::from(Span::styled(
            tr.t("report-late-acts"),
            app.theme.header(),
        )));
        for a in r.late_acts.iter().rev() {
            lines.push(Line::from(format!(
                "{} {} {} +{} {}: {}",
                a.case,
                tr.rule(&a.rule),
                tr.date(a.done_on),
                a.late_wd,
                for_terminal(&a.actor, 24),
                for_terminal(a.reason.as_deref().unwrap_or(""), 200)
            )));
        }
    }
    // j/k and the page keys scroll it; never past its last line.
    let room = area.height.saturating_sub(2) as usize;
    let last = lines.len().saturating_sub(room) as u16;
    f.render_widget(
        Paragraph::new(lines)
            .block(block)
            .wrap(Wrap { trim: false })
            .scroll((app.terms_scroll.min(last), 0)),
        area,
    );
}

/// `s` cut to `w` display columns (catalog words, never applicant text).
fn fit(s: &str, w: usize) -> String {
    use unicode_width::UnicodeWidthChar;
    let mut out = String::new();
    let mut used = 0;
    for c in s.chars() {
        let cw = c.width().unwrap_or(0);
        if used + cw > w {
            break;
        }
        used += cw;
        out.push(c);
    }
    out
}

#[cfg(test)]
mod tests {
    #[test]
    fn bars_are_to_scale_and_late_is_its_own_glyph() {
        assert_eq!(super::bar(10, 2, 10, 10, false), "████████▒▒");
        assert_eq!(super::bar(5, 0, 10, 10, true), "#####");
        assert_eq!(super::bar(1, 1, 100, 10, true), "x");
        assert_eq!(super::bar(5, 1, 10, 0, false), "", "no room: no bar");
    }
}
