//! 2 — one case: summary (applicant, data centre, documents and what is
//! missing, decisions, complaints, conflicts, the actions the role allows),
//! its ABKs (a scrolling window, fast for 10,000), every clock with `explain`
//! of the selected one day by day, and the history from the journal.

use ratatui::Frame;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::style::{Modifier, Style};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Paragraph, Wrap};

use crate::rules::calendar::{DayKind, DayNote};
use crate::tui::state::{App, DetailState, Section};
use crate::tui::theme::inert;
use crate::tui::view::state_span;

pub fn draw(f: &mut Frame, app: &App, area: Rect) {
    let Some(d) = &app.detail else {
        let block = app
            .theme
            .block()
            .title(Line::from(format!(" {} ", app.tr.t("pane-detail"))));
        return super::empty(f, block, app.tr.t("detail-none"), area);
    };
    let c = &d.case;
    let title = format!(
        " {}{}{}{}{} ",
        c.number,
        app.theme.sep(),
        app.tr.t(&format!("kind-{}", c.kind)),
        app.theme.sep(),
        app.tr.t(&format!("stage-{}", c.stage))
    );
    // The title never cut mid-word: the case's number, then what fits.
    let room = usize::from(area.width.saturating_sub(2));
    let title = if super::width(&title) <= room {
        title
    } else {
        format!(
            " {} ",
            super::ascii_cut(
                app,
                super::whole_words(title.trim(), room.saturating_sub(2))
            )
        )
    };
    let block = app.theme.block().title(Line::from(title));
    let inner = block.inner(area);
    f.render_widget(block, area);
    let [tabs, body] = Layout::vertical([Constraint::Length(1), Constraint::Min(0)]).areas(inner);
    // The sections' tabs: padded when they fit, then closer, then the
    // selected one and its neighbours that fit whole (issue 17: "Тари").
    let labels: Vec<(String, bool)> = Section::ALL
        .iter()
        .map(|&s| {
            let mut label = app.tr.t(s.title_id());
            if s == Section::Units {
                label = format!("{label} ({})", c.unit_count);
            }
            (label, s == d.section)
        })
        .collect();
    let room = usize::from(tabs.width);
    let padded: usize = labels.iter().map(|(l, _)| super::width(l) + 3).sum();
    let pad = padded <= room;
    let cell = |l: &str| super::width(l) + if pad { 3 } else { 1 };
    let sel = labels.iter().position(|(_, on)| *on).unwrap_or(0);
    let mut show = vec![false; labels.len()];
    show[sel] = true;
    let mut used = cell(&labels[sel].0);
    for dist in 1..labels.len() {
        for k in [sel + dist, sel.wrapping_sub(dist)] {
            if let Some((l, _)) = labels.get(k)
                && used + cell(l) <= room + 1
            {
                show[k] = true;
                used += cell(l);
            }
        }
    }
    let mut spans = Vec::new();
    for (k, (label, on)) in labels.into_iter().enumerate() {
        if !show[k] {
            continue;
        }
        let style = if on {
            app.theme.selected()
        } else {
            Style::new()
        };
        if pad {
            spans.push(Span::styled(format!(" {label} "), style));
        } else {
            spans.push(Span::styled(label, style));
        }
        spans.push(Span::raw(" "));
    }
    f.render_widget(Line::from(spans), tabs);
    match d.section {
        Section::Summary => summary(f, app, d, body),
        Section::Units => units(f, app, d, body),
        Section::Clocks => clocks(f, app, d, body),
        Section::History => history(f, app, d, body),
    }
}

fn field<'a>(app: &App, id: &str, value: String) -> Line<'a> {
    Line::from(vec![
        Span::styled(format!("{}: ", app.tr.t(id)), app.theme.header()),
        Span::raw(value),
    ])
}

/// The acts the clerk's role has on the case now, each with its key.
fn actions_line<'a>(app: &App, d: &DetailState) -> Line<'a> {
    use crate::rules::workflow::Action;
    let mut spans = vec![Span::styled(
        format!("{}: ", app.tr.t("field-actions")),
        app.theme.header(),
    )];
    if d.actions.is_empty() {
        spans.push(Span::styled(app.tr.t("actions-none"), app.theme.dim()));
    }
    for (i, a) in d.actions.iter().enumerate() {
        let key = match a {
            Action::NotifyHearing => "p",
            Action::RecordHearing => "r",
            Action::LodgeComplaint => "c",
            Action::Include | Action::Exclude | Action::Amend | Action::Refuse => "d",
        };
        if i > 0 {
            spans.push(Span::raw(app.theme.sep()));
        }
        spans.push(Span::styled(key, app.theme.selected()));
        spans.push(Span::raw(format!(" {}", app.tr.t(&format!("short-{a}")))));
    }
    Line::from(spans)
}

fn summary(f: &mut Frame, app: &App, d: &DetailState, area: Rect) {
    let c = &d.case;
    let zone = app.law.calendar.office().zone;
    let sep = app.theme.sep();
    let mut lines = vec![
        field(app, "field-applicant", inert(&c.applicant, 200)),
        Line::from(vec![
            Span::styled(
                format!("{}: ", app.tr.t("field-bin-iin")),
                app.theme.header(),
            ),
            Span::raw(inert(&c.bin_iin, 20)),
            Span::raw(sep),
            Span::styled(
                format!("{}: ", app.tr.t("field-contacts")),
                app.theme.header(),
            ),
            Span::raw(format!("{} {}", inert(&c.phone, 20), inert(&c.email, 60))),
        ]),
    ];
    if let Some(a) = &c.legal_address {
        lines.push(field(app, "field-address", inert(a, 200)));
    }
    if let Some(dc) = &c.data_center {
        lines.push(field(app, "field-data-center", inert(dc, 200)));
    }
    lines.push(Line::from(vec![
        Span::styled(
            format!("{}: ", app.tr.t("field-received")),
            app.theme.header(),
        ),
        Span::raw(
            c.received_at
                .with_timezone(&zone)
                .format("%d.%m.%Y %H:%M")
                .to_string(),
        ),
        Span::raw(sep),
        Span::styled(
            format!("{}: ", app.tr.t("field-registered")),
            app.theme.header(),
        ),
        Span::raw(app.tr.date(c.registered_on)),
        Span::raw(sep),
        Span::raw(app.tr.word("channel-", &c.channel)),
        Span::raw(sep),
        Span::raw(format!("v{}", c.version)),
    ]));
    if let Some(code) = &c.tn_ved_code {
        lines.push(field(app, "field-tn-ved", inert(code, 20)));
    }
    // Running clocks, the most urgent first.
    if let Some(e) = &d.explanation {
        for k in e.clocks.iter().filter(|k| k.status == "running") {
            let mut spans = vec![Span::styled(
                format!("{} ", app.tr.rule(&k.rule)),
                app.theme.header(),
            )];
            spans.push(Span::raw(format!(
                "{} — {} ",
                app.tr.t(&format!("clock-{}", k.clock)),
                k.due.map(|x| app.tr.date(x)).unwrap_or_default()
            )));
            spans.push(state_span(app, k.state));
            lines.push(Line::from(spans));
        }
    }
    lines.push(actions_line(app, d));
    lines.push(Line::from(Span::styled(
        format!("{}:", app.tr.t("field-documents")),
        app.theme.header(),
    )));
    for doc in &c.documents {
        let validity = match doc.valid_until {
            Some(v) if v < c.registered_on => app.tr.a("expired", &[("date", &app.tr.date(v))]),
            Some(v) => app.tr.a("valid-until", &[("date", &app.tr.date(v))]),
            None => app.tr.t("no-expiry"),
        };
        lines.push(Line::from(format!(
            "  {} {} — {validity}",
            app.tr.word("doc-", &doc.kind),
            app.tr.a("quoted", &[("text", &inert(&doc.name, 60))])
        )));
    }
    let missing = if c.missing.is_empty() {
        app.tr.t("nothing-missing")
    } else {
        crate::store::model::Missing::list_words(&c.missing, &app.tr)
    };
    lines.push(field(app, "field-missing", missing));
    if let Some(at) = c.hearing_at {
        let mut s = at.with_timezone(&zone).format("%d.%m.%Y %H:%M").to_string();
        if let Some(p) = &c.hearing_place {
            s.push_str(&format!(", {}", inert(p, 100)));
        }
        if let Some(h) = c.hearing_held_on {
            s.push_str(&format!(
                " ({})",
                app.tr.a("hearing-held", &[("date", &app.tr.date(h))])
            ));
        }
        lines.push(field(app, "field-hearing", s));
    }
    if !c.decisions.is_empty() {
        let s = c
            .decisions
            .iter()
            .map(|x| {
                format!(
                    "{} {} {}",
                    x.number,
                    app.tr.word("stage-", &x.outcome),
                    app.tr.date(x.issued_on)
                )
            })
            .collect::<Vec<_>>()
            .join("; ");
        lines.push(field(app, "field-decisions", s));
    }
    if !c.complaints.is_empty() {
        let s = c
            .complaints
            .iter()
            .map(|(n, st)| format!("{n} {}", app.tr.t(&format!("cstatus-{st}"))))
            .collect::<Vec<_>>()
            .join("; ");
        lines.push(field(app, "field-complaints", s));
    }
    if c.conflicts.is_empty() {
        lines.push(field(app, "field-conflicts", app.tr.t("no-conflicts")));
    } else {
        lines.push(Line::from(Span::styled(
            format!("{}:", app.tr.t("field-conflicts")),
            app.theme.state(crate::rules::ClockState::Overdue),
        )));
        for k in &c.conflicts {
            lines.push(Line::from(format!(
                "  {}",
                app.tr.a(
                    "conflict-line",
                    &[
                        ("serial", &inert(&k.serial, 60)),
                        ("miner", &inert(&k.miner, 60)),
                        ("case", &k.case)
                    ]
                )
            )));
        }
    }
    let scroll = d.summary_scroll.min(lines.len().saturating_sub(1)) as u16;
    // Wrapped: the law's words (the kinds of document, what is missing) and
    // the dates after them are never cut at the edge (issue 17).
    f.render_widget(
        Paragraph::new(lines)
            .wrap(ratatui::widgets::Wrap { trim: false })
            .scroll((scroll, 0)),
        area,
    );
}

fn units(f: &mut Frame, app: &App, d: &DetailState, area: Rect) {
    use super::{Col, Fit};
    let cols = vec![
        Col::new(app.tr.t("col-entry"), Fit::Whole),
        Col::new(app.tr.t("col-serial"), Fit::Whole),
        Col::new(app.tr.t("col-model"), Fit::Name),
        Col::new(app.tr.t("col-hashrate"), Fit::Whole).right(),
        Col::new(app.tr.t("col-power"), Fit::Whole).right(),
        Col::new(app.tr.t("col-status"), Fit::Words),
    ];
    let height = area.height.saturating_sub(1) as usize;
    let first = d.units_pos.offset.saturating_sub(d.units_from);
    let plain = Style::new();
    let rows: Vec<_> = d
        .units
        .iter()
        .skip(first)
        .take(height)
        .map(|u| {
            (
                vec![
                    (
                        u.entry_no
                            .map(|n| n.to_string())
                            .unwrap_or_else(|| format!("#{}", u.idx + 1)),
                        plain,
                    ),
                    (inert(&u.serial, 40), plain),
                    (inert(&u.model, 80), plain),
                    (
                        u.hashrate_ths
                            .map(|h| app.tr.declared(h))
                            .unwrap_or_default(),
                        plain,
                    ),
                    (
                        u.power_kw.map(|p| app.tr.declared(p)).unwrap_or_default(),
                        plain,
                    ),
                    (app.tr.word("ustatus-", &u.status), plain),
                ],
                plain,
            )
        })
        .collect();
    // Narrow: the model, the hashrate and the power give way.
    let selected = d.units_pos.selected.checked_sub(d.units_pos.offset);
    let table = super::grid(app, area, cols, &[2, 3, 4], rows, selected);
    f.render_widget(table, area);
}

/// A listed day's name in the console's language (the calendar data carries
/// kk and ru names beside the English one).
fn day_name(app: &App, date: chrono::NaiveDate, english: &str) -> String {
    let entry = app.law.calendar.listed_on(date);
    let local = match app.tr.lang {
        crate::i18n::Lang::Kk => entry.and_then(|e| e.name_kk.as_deref()),
        crate::i18n::Lang::Ru => entry.and_then(|e| e.name_ru.as_deref()),
        crate::i18n::Lang::En => None,
    };
    local.unwrap_or(english).to_string()
}

fn note(app: &App, date: chrono::NaiveDate, n: &DayNote) -> String {
    match n {
        DayNote::Weekday => app.tr.t("note-weekday"),
        DayNote::Weekend => app.tr.t("note-weekend"),
        DayNote::Listed {
            kind,
            name,
            provisional,
        } => {
            let id = match kind {
                DayKind::Holiday => "note-holiday",
                DayKind::HolidayMoved => "note-moved",
                DayKind::TransferDayOff | DayKind::TransferWorking => "note-transfer",
            };
            let mut s = app.tr.a(id, &[("name", &day_name(app, date, name))]);
            if *provisional {
                s.push_str(&format!(" ({})", app.tr.t("note-provisional")));
            }
            s
        }
        DayNote::Amended { working, act } => app.tr.a(
            if *working {
                "note-amended-working"
            } else {
                "note-amended-off"
            },
            &[("act", &inert(act, 80))],
        ),
    }
}

fn clocks(f: &mut Frame, app: &App, d: &DetailState, area: Rect) {
    let Some(e) = &d.explanation else { return };
    use super::{Col, Fit};
    let plain = Style::new();
    let rows: Vec<_> = e
        .clocks
        .iter()
        .map(|k| {
            let done = d
                .case
                .terms
                .iter()
                .rev()
                .find(|t| t.clock == k.clock.as_str() && t.complaint.is_none());
            let status = match (k.status, done) {
                ("running", _) => {
                    let s = state_span(app, k.state);
                    (s.content.into_owned(), s.style)
                }
                (_, Some(t)) if t.late_wd > 0 => (
                    app.tr.a(
                        "clock-done-late",
                        &[
                            ("date", &app.tr.date(t.done_on)),
                            ("n", &t.late_wd.to_string()),
                        ],
                    ),
                    app.theme.state(crate::rules::ClockState::Overdue),
                ),
                (_, Some(t)) => (
                    app.tr
                        .a("clock-done-in-time", &[("date", &app.tr.date(t.done_on))]),
                    plain,
                ),
                ("not_started", None) => (app.tr.t("clock-not-started"), plain),
                _ => (app.tr.t("clock-not-running"), plain),
            };
            (
                vec![
                    (app.tr.rule(&k.rule), plain),
                    (app.tr.t(&format!("clock-{}", k.clock)), plain),
                    (
                        match (k.due, k.calendar_unpublished) {
                            (None, Some(_)) => "?".to_string(),
                            (due, _) => due.map(|x| app.tr.date(x)).unwrap_or_default(),
                        },
                        plain,
                    ),
                    status,
                ],
                plain,
            )
        })
        .collect();
    // The clocks' words wrap (issue 17: "выполнено 18.11.20"); they take
    // at most two thirds of the section, the selected one kept in view.
    // Narrow: the state gives way (the selected clock's is said below).
    let cols = || {
        vec![
            Col::new(String::new(), Fit::Whole),
            Col::new(String::new(), Fit::Words),
            Col::new(String::new(), Fit::Whole),
            Col::new(String::new(), Fit::Words),
        ]
    };
    // At most two thirds of the section: the day-by-day count keeps a line.
    let half = Rect {
        height: (area.height * 2 / 3).max(1),
        ..area
    };
    // Unless the selected clock alone is taller: then all but a line.
    let (_, _, each) = super::grid_lines(app, area, cols(), &[3], rows.clone(), None);
    let tall = each.get(d.clock_pos.selected).copied().unwrap_or(0);
    // Taller than all but a line (kk at 40×12: §9's text lost "жіберу"):
    // the state gives its room to the text (it is said below).
    let (cols, rows, each) = if tall > area.height.saturating_sub(1) {
        let rows: Vec<_> = rows
            .into_iter()
            .map(|(mut c, st)| {
                c.truncate(3);
                (c, st)
            })
            .collect();
        let cols = || {
            let mut c = cols();
            c.truncate(3);
            c
        };
        let (_, _, each) = super::grid_lines(app, area, cols(), &[], rows.clone(), None);
        (Box::new(cols) as Box<dyn Fn() -> Vec<Col>>, rows, each)
    } else {
        (Box::new(cols) as Box<dyn Fn() -> Vec<Col>>, rows, each)
    };
    let tall = each.get(d.clock_pos.selected).copied().unwrap_or(0);
    let half = if tall > half.height {
        Rect {
            height: tall.min(area.height.saturating_sub(1)).max(1),
            ..area
        }
    } else {
        half
    };
    let (_, used, _) = super::grid_lines(app, half, cols(), &[3], rows.clone(), None);
    let [list, days] = Layout::vertical([
        Constraint::Length(used.min(half.height)),
        Constraint::Min(0),
    ])
    .areas(area);
    let table = super::grid(app, list, cols(), &[3], rows, Some(d.clock_pos.selected));
    f.render_widget(table, list);
    let Some(k) = e.clocks.get(d.clock_pos.selected) else {
        return;
    };
    let zone = app.law.calendar.office().zone;
    let mut lines = vec![Line::from(Span::styled(
        app.tr.a(
            "explain-received",
            &[
                (
                    "at",
                    &d.case
                        .received_at
                        .with_timezone(&zone)
                        .format("%d.%m.%Y %H:%M")
                        .to_string(),
                ),
                ("date", &app.tr.date(e.receipt.registered)),
            ],
        ),
        app.theme.header(),
    ))];
    let text = match (k.working_days_left, k.calendar_unpublished) {
        // An advisory clock (§12's notice) that lapsed is not overdue.
        (Some(left), _) if left < 0 && k.state == Some(crate::rules::ClockState::Lapsed) => {
            Some(app.tr.n("days-lapsed", -left as i64))
        }
        (Some(left), _) if left < 0 => Some(app.tr.n("days-over", -left as i64)),
        (Some(left), _) => Some(app.tr.n("days-left", left as i64)),
        // The count needs a year whose calendar is not yet published.
        (None, Some(year)) if k.state.is_some() => Some(
            crate::i18n::calendar_warning(crate::rules::CalendarWarning::Unpublished { year })
                .render(&app.tr),
        ),
        _ => None,
    };
    if let Some(text) = text {
        lines.push(Line::from(vec![
            state_span(app, k.state),
            Span::raw(format!(" — {text}")),
        ]));
    }
    for day in &k.days {
        let mark = match (day.status, day.working_day) {
            ("day_0", _) => app.tr.t("explain-day0"),
            ("counted", Some(n)) => app.tr.n("explain-day", n as i64),
            ("before_start", _) => String::new(),
            _ => app.tr.t("explain-skipped"),
        };
        let why = app
            .law
            .calendar
            .note(day.date)
            .map(|n| note(app, day.date, n))
            .unwrap_or_default();
        let style = if day.date == app.today {
            Style::new().add_modifier(Modifier::BOLD)
        } else {
            Style::new()
        };
        lines.push(Line::styled(
            format!(
                "{} {:<3} {:<8} {}",
                app.tr.date(day.date),
                app.tr.t(&format!("wd-{}", day.date.format("%u"))),
                mark,
                why
            ),
            style,
        ));
    }
    f.render_widget(Paragraph::new(lines).wrap(Wrap { trim: false }), days);
}

fn history(f: &mut Frame, app: &App, d: &DetailState, area: Rect) {
    use super::{Col, Fit};
    let zone = app.law.calendar.office().zone;
    let cols = vec![
        Col::new("#".into(), Fit::Whole).right(),
        Col::new(app.tr.t("col-date"), Fit::Whole),
        Col::new(app.tr.t("col-actor"), Fit::Name),
        Col::new(app.tr.t("col-event"), Fit::Words),
    ];
    let height = area.height.saturating_sub(1) as usize;
    let plain = Style::new();
    let rows: Vec<_> = d
        .history
        .iter()
        .skip(d.history_pos.offset)
        .take(height)
        .map(|h| {
            let at = chrono::DateTime::parse_from_rfc3339(&h.at)
                .map(|t| t.with_timezone(&zone).format("%d.%m.%Y %H:%M").to_string())
                .unwrap_or_else(|_| inert(&h.at, 25));
            let mut what = app.tr.word("event-", &h.kind);
            if h.subject != d.case.number {
                what.push_str(&format!(" {}", inert(&h.subject, 30)));
            }
            (
                vec![
                    (h.seq.to_string(), plain),
                    (at, plain),
                    (inert(&h.actor, 20), plain),
                    (what, plain),
                ],
                plain,
            )
        })
        .collect();
    // Narrow: who gives way, then the journal's number.
    let selected = d.history_pos.selected.checked_sub(d.history_pos.offset);
    let table = super::grid(app, area, cols, &[2, 0], rows, selected);
    f.render_widget(table, area);
}
