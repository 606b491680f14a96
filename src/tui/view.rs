//! `view`: draws the state. One header line (the panes), the pane, the status
//! line (overdue and due-today counts, on every pane, and a warning when the
//! calendar's data end soon or have ended) and the footer hints from the
//! keymap. Nothing here reads the database or the clock.

use ratatui::Frame;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::style::{Modifier, Style};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Clear, Paragraph, Wrap};

use super::keys::Cmd;
use super::panes;
use super::state::{App, Pane};
use crate::rules::{CalendarWarning, ClockState};

/// The smallest screen the console draws on; below it, one line says so.
pub const MIN: (u16, u16) = (30, 8);

pub fn draw(f: &mut Frame, app: &App) {
    let area = f.area();
    if area.width < MIN.0 || area.height < MIN.1 {
        f.render_widget(
            Paragraph::new(app.tr.t("msg-too-small")).wrap(Wrap { trim: true }),
            area,
        );
        return;
    }
    let [top, main, status, footer] = Layout::vertical([
        Constraint::Length(1),
        Constraint::Min(1),
        Constraint::Length(1),
        Constraint::Length(1),
    ])
    .areas(area);
    header(f, app, top);
    super::commands::component(app.pane).draw(f, app, main);
    if let Some(form) = &app.form {
        form.form.draw(f, main, &app.theme);
    }
    // The intake form (or its draft's offer) over the main area.
    super::intake::draw(f, app, main);
    if !long_message(f, app, status, footer) {
        status_line(f, app, status);
        if !super::intake::footer(f, app, footer) {
            footer_line(f, app, footer);
        }
    }
    if app.help {
        // Over the whole screen: every key fits at 80×24.
        help(f, app, area);
    }
}

/// The panes' tabs, widest first: every title padded (` 1 Queue `), every
/// title tight (` 1 Queue` — the current one still padded), or only the
/// current pane's title with the others' numbers. The first that fits with
/// the login beside it is drawn, else the first that fits alone.
fn header(f: &mut Frame, app: &App, area: Rect) {
    let tabs = |style: usize| -> Vec<Span> {
        Pane::ALL
            .iter()
            .enumerate()
            .map(|(i, p)| {
                let n = i + 1;
                let title = app.tr.t(p.title_id());
                if p.index() == app.pane.index() {
                    // Narrower still: the number alone, never a title cut
                    // mid-word (issue 17).
                    let label = if style == 3 {
                        format!(" {n} ")
                    } else if style == 1 {
                        format!(" {n} {title}")
                    } else {
                        format!(" {n} {title} ")
                    };
                    Span::styled(label, app.theme.selected().add_modifier(Modifier::BOLD))
                } else {
                    Span::raw(match style {
                        0 => format!(" {n} {title} "),
                        1 => format!(" {n} {title}"),
                        _ => format!(" {n} "),
                    })
                }
            })
            .collect()
    };
    let width = |spans: &[Span]| spans.iter().map(|s| s.width()).sum::<usize>();
    let who = app.tr.a(
        "status-role",
        &[
            ("login", &super::theme::inert(&app.login, 32)),
            ("role", &app.tr.t(&format!("role-{}", app.role))),
        ],
    );
    let w = area.width as usize;
    // The login and role keep a space from the tabs.
    let beside = (0..3)
        .map(tabs)
        .find(|t| width(t) + 1 + crate::rules::text::width(&who) <= w);
    let spans = match beside {
        Some(mut t) => {
            let room = w - width(&t);
            t.push(Span::raw(format!("{who:>room$}")));
            t
        }
        None => (0..4)
            .map(tabs)
            .find(|t| width(t) <= w)
            .unwrap_or_else(|| tabs(3)),
    };
    f.render_widget(Line::from(spans), area);
}

/// A message wider than the status line is never cut (issue 17): it wraps
/// over the status line and the footer, and over the pane's last rows when
/// it needs more (four rows in all); the counts and the hints come back with
/// the next key, which clears the message. Beyond four rows its last words
/// give way to `…`.
fn long_message(f: &mut Frame, app: &App, status: Rect, footer: Rect) -> bool {
    let Some(m) = &app.message else {
        return false;
    };
    let room = usize::from(status.width.max(1));
    if crate::rules::text::width(m) <= room {
        return false;
    }
    let mut lines: Vec<String> = textwrap::wrap(
        m,
        textwrap::Options::new(room)
            .break_words(true)
            .word_splitter(textwrap::WordSplitter::NoHyphenation),
    )
    .into_iter()
    .map(|l| l.into_owned())
    .collect();
    if lines.len() > 4 {
        lines.truncate(4);
        let last = &mut lines[3];
        let ellipsis = if app.theme.ascii { "~" } else { "…" };
        let keep = room.saturating_sub(crate::rules::text::width(ellipsis));
        *last = format!(
            "{}{ellipsis}",
            panes::whole_words(last, keep).trim_end_matches(['…', '~'])
        );
    }
    let rows = (lines.len() as u16)
        .max(2)
        .min(footer.bottom().saturating_sub(1));
    let rect = Rect::new(status.x, footer.bottom() - rows, status.width, rows);
    let bold = Style::new().add_modifier(Modifier::BOLD);
    f.render_widget(Clear, rect);
    f.render_widget(
        Paragraph::new(lines.into_iter().map(Line::from).collect::<Vec<_>>()).style(bold),
        rect,
    );
    true
}

fn status_line(f: &mut Frame, app: &App, area: Rect) {
    let overdue = app.snap.count(ClockState::Overdue);
    let today = app.snap.count(ClockState::DueToday);
    let bold = Style::new().add_modifier(Modifier::BOLD);
    // The parts in the order they show; each shows whole or not at all
    // (issue 17: "today 28.11." after a message). What just happened comes
    // first and is kept first: a long message (a file's path) is not cut for
    // the counts, which every other moment shows; then the overdue count,
    // the calendar's warning, the due-today count, today's date.
    let mut parts: Vec<(u8, Span)> = Vec::new();
    if app.offline {
        parts.push((
            0,
            Span::styled(
                app.tr.t("status-offline"),
                app.theme.state(ClockState::Overdue),
            ),
        ));
    }
    if let Some(m) = &app.message {
        parts.push((0, Span::styled(m.clone(), bold)));
    }
    parts.push((
        1,
        Span::styled(
            app.tr.n("status-overdue", overdue as i64),
            if overdue > 0 {
                app.theme.state(ClockState::Overdue)
            } else {
                Style::new()
            },
        ),
    ));
    parts.push((
        3,
        Span::styled(
            app.tr.n("status-due-today", today as i64),
            if today > 0 {
                app.theme.state(ClockState::DueToday)
            } else {
                Style::new()
            },
        ),
    ));
    parts.push((
        4,
        Span::raw(
            app.tr
                .a("status-today", &[("date", &app.tr.date(app.today))]),
        ),
    ));
    // The calendar's data end within the warning period, or have ended.
    if let Some(w) = app.law.calendar_warning(app.today) {
        let text = match w {
            CalendarWarning::EndsSoon { last_day, .. } => app
                .tr
                .a("status-calendar-ends", &[("date", &app.tr.date(last_day))]),
            CalendarWarning::Unpublished { .. } => crate::i18n::calendar_warning(w).render(&app.tr),
        };
        parts.push((2, Span::styled(text, bold)));
    }
    let room = usize::from(area.width);
    let sep = app.theme.sep();
    let sep_w = crate::rules::text::width(sep);
    let mut shown = vec![false; parts.len()];
    let mut used = 0;
    for rank in 0..=4u8 {
        for (k, (r, span)) in parts.iter().enumerate() {
            if *r != rank {
                continue;
            }
            let w = span.width() + if used == 0 { 0 } else { sep_w };
            if used + w <= room || rank == 0 {
                shown[k] = true;
                used += w;
            }
        }
    }
    let mut spans = Vec::new();
    for (k, (_, span)) in parts.into_iter().enumerate() {
        if !shown[k] {
            continue;
        }
        if !spans.is_empty() {
            spans.push(Span::raw(sep));
        }
        spans.push(span);
    }
    f.render_widget(Line::from(spans), area);
}

fn footer_line(f: &mut Frame, app: &App, area: Rect) {
    if app.form.is_some() {
        let keys = panes::whole_hints(&app.tr.t("form-footer"), usize::from(area.width));
        f.render_widget(Line::from(keys), area);
        return;
    }
    let editing = match app.pane {
        Pane::Queue => app.queue.editing.as_ref(),
        Pane::Register => app.register.editing.as_ref(),
        p => app.filters.of(p).and_then(|f| f.editing.as_ref()),
    };
    if let Some(line) = editing {
        let cursor = if app.theme.ascii { "_" } else { "█" };
        let sep = if app.theme.ascii { " - " } else { " · " };
        let hint_id = if app.filters.of(app.pane).is_some() {
            "list-filter-hint"
        } else {
            "filter-hint"
        };
        let hint = app.tr.t(hint_id).replace(" · ", sep);
        let text = format!("/{}{cursor}", super::theme::inert(line, 64));
        // The hint stays put at the right (a hint that moved with the typing
        // was sent again with every character); it gives way to a long line.
        let (typed, room) = (Span::raw(text), usize::from(area.width));
        if typed.width() + 2 + Span::raw(hint.as_str()).width() <= room {
            f.render_widget(Line::from(hint).right_aligned(), area);
        }
        f.render_widget(Line::from(typed), area);
        return;
    }
    // Only the commands available now (this role, case, stage), each hint
    // whole or not at all (issue 17: "? анықтам" at 40 columns); the help's
    // hint is kept first, since it lists the rest.
    let mut hints: Vec<(bool, Span, Span)> = Vec::new();
    for c in super::commands::of(app) {
        let b = c.binding;
        let Some(hint) = b.hint else { continue };
        if !c.available() {
            continue;
        }
        // Under --ascii the arrows are left out (`j ↓` shows as `j`); the
        // function keys (`? F1`) are in the help and the key table, not here,
        // where 80 columns hold the pane's hints.
        let label = b
            .label
            .split(' ')
            .filter(|w| !app.theme.ascii || w.is_ascii())
            .filter(|w| !(w.len() > 1 && w.starts_with('F')))
            .collect::<Vec<_>>()
            .join(" ");
        hints.push((
            b.cmd == Cmd::Help,
            Span::styled(label, app.theme.header()),
            Span::raw(format!(" {}", app.tr.t(hint))),
        ));
    }
    const GAP: usize = 2;
    let w = |(_, l, t): &(bool, Span, Span)| l.width() + t.width();
    let room = usize::from(area.width);
    let mut shown = vec![false; hints.len()];
    let mut used = 0;
    for first in [true, false] {
        for (k, h) in hints.iter().enumerate() {
            if h.0 != first || shown[k] {
                continue;
            }
            let need = w(h) + if used == 0 { 0 } else { GAP };
            if used + need <= room {
                shown[k] = true;
                used += need;
            }
        }
    }
    let mut spans = Vec::new();
    for (k, (_, label, text)) in hints.into_iter().enumerate() {
        if !shown[k] {
            continue;
        }
        if !spans.is_empty() {
            spans.push(Span::raw(" ".repeat(GAP)));
        }
        spans.push(label);
        spans.push(text);
    }
    f.render_widget(Line::from(spans), area);
}

/// The keys of the current pane (and those acting everywhere) that act
/// now, then on one dimmed line the pane's keys that do not (each says why
/// when pressed): the whole keymap no longer fits 80×24, one pane's keys do.
/// A description too long for its line wraps under itself, never cut.
fn help(f: &mut Frame, app: &App, area: Rect) {
    use unicode_width::UnicodeWidthStr;
    f.render_widget(Clear, area);
    let block = app
        .theme
        .block()
        .title(Line::from(format!(" {} ", app.tr.t("help-title"))))
        .title(Line::from(format!(" {} ", app.tr.t("help-close"))).right_aligned())
        .title_bottom(Line::from(format!(" {} ", app.tr.t("layout-note"))));
    let inner = block.inner(area);
    f.render_widget(block, area);
    // The pane keys share one row (their titles are the header's), so that a
    // pane's own keys fit 24 lines.
    let panes = Pane::ALL
        .iter()
        .enumerate()
        // A pane's number and title are not parted at the end of a line.
        .map(|(i, p)| format!("{}\u{a0}{}", i + 1, app.tr.t(p.title_id())))
        .collect::<Vec<_>>()
        .join(", ");
    let dash = if app.theme.ascii { "-" } else { "–" };
    let mut rows = vec![(format!("1{dash}{}", Pane::ALL.len()), panes)];
    let commands = super::commands::of(app);
    let (on, off): (Vec<_>, Vec<_>) = commands
        .iter()
        .filter(|c| !matches!(c.binding.cmd, Cmd::Pane(_)))
        .partition(|c| c.available());
    rows.extend(
        on.iter()
            .map(|c| (c.binding.label.to_string(), app.tr.t(c.binding.help))),
    );
    let label_w = rows
        .iter()
        .map(|(l, _)| l.width())
        .max()
        .unwrap_or(1)
        .max(10)
        + 2;
    let text_w = usize::from(inner.width).saturating_sub(label_w).max(1);
    let mut lines = Vec::new();
    for (label, text) in rows {
        for (i, part) in textwrap::wrap(&text, text_w).iter().enumerate() {
            let head = if i == 0 { label.as_str() } else { "" };
            let pad = label_w.saturating_sub(head.width());
            let part = part.replace('\u{a0}', " ");
            lines.push(Line::from(format!("{head}{}{part}", " ".repeat(pad))));
        }
    }
    if !off.is_empty() {
        let keys = off
            .iter()
            .map(|c| c.binding.label)
            .collect::<Vec<_>>()
            .join(", ");
        let text = app.tr.a("help-unavailable", &[("keys", &keys)]);
        for part in textwrap::wrap(&text, usize::from(inner.width).max(1)) {
            lines.push(Line::styled(part.into_owned(), app.theme.dim()));
        }
    }
    f.render_widget(Paragraph::new(lines), inner);
}

/// The state column's words of a clock, styled.
pub fn state_span<'a>(app: &App, state: Option<ClockState>) -> Span<'a> {
    match state {
        Some(s) => Span::styled(
            app.tr.t(&format!("state-{}", s.as_str())),
            app.theme.state(s),
        ),
        None => Span::raw(app.tr.t("state-none")),
    }
}

/// The widest of these messages in the current language (for column widths).
pub fn widest(app: &App, ids: &[&str]) -> u16 {
    ids.iter()
        .map(|id| app.tr.t(id).chars().count() as u16)
        .max()
        .unwrap_or(1)
}

/// The width of the rule column: the widest citation among `rules` as this
/// language writes it (`§10`, `10-т.`, `п. 10`) and the column's heading, so
/// a paragraph number is never cut into another (`п. 10` read as `п. 1`).
pub fn rule_width<'a>(app: &App, rules: impl Iterator<Item = &'a str>) -> u16 {
    use unicode_width::UnicodeWidthStr;
    rules
        .map(|r| app.tr.rule(r).width())
        .chain([app.tr.t("col-rule").width().min(6)])
        .max()
        .unwrap_or(3)
        .clamp(3, 12) as u16
}

pub const STATE_IDS: &[&str] = &[
    "state-overdue",
    "state-due_today",
    "state-due_soon",
    "state-running",
    "state-unknown",
    "state-lapsed",
];

/// A clock's due date, or `?` where it falls in a year whose calendar is not
/// yet published (the status line says which).
pub fn due_text(app: &App, due: Option<chrono::NaiveDate>) -> String {
    due.map_or_else(|| "?".into(), |d| app.tr.date(d))
}
