//! 6 — the register: find an entry (by serial, BIN/IIN or entry number), the
//! energy its included ABKs draw by region or data centre (§3: energy
//! security), and serials claimed by more than one miner (§3: illegal-mining
//! control). `v` cycles the views; the state is in `tui::register`.

use chrono::{DateTime, Utc};
use ratatui::Frame;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::style::{Color, Style};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Cell, Paragraph, Row, Table, Wrap};

use crate::store::read::register::EntryFound;
use crate::tui::register::{RegView, found_height};
use crate::tui::state::App;
use crate::tui::theme::inert;
use crate::tui::view::widest;

pub fn draw(f: &mut Frame, app: &App, area: Rect) {
    match app.register.view {
        RegView::Find => find(f, app, area),
        RegView::Energy => energy(f, app, area),
        RegView::Conflicts => conflicts(f, app, area),
    }
}

/// A figure right-aligned in its cell.
fn right<'a>(s: String) -> Cell<'a> {
    Cell::from(Line::from(s).right_aligned())
}

fn label<'a>(app: &App, id: &str) -> Span<'a> {
    Span::styled(format!("{}: ", app.tr.t(id)), app.theme.header())
}

fn unit_status(app: &App, status: &str) -> String {
    app.tr.word("ustatus-", status)
}

// ------------------------------------------------------------------ find

fn find(f: &mut Frame, app: &App, area: Rect) {
    let r = &app.register;
    let title = app.tr.t(RegView::Find.title_id());
    let block = super::list_block(app, title, &r.found_pos, r.found.len(), area.width);
    let inner = block.inner(area);
    f.render_widget(block, area);
    let query = match (&r.editing, &r.query) {
        (Some(line), _) => Line::from(format!("/{}", inert(line, 64))),
        (None, Some(q)) => Line::from(vec![
            label(app, "reg-query"),
            Span::raw(inert(q, 64)),
            Span::raw(app.theme.sep()),
            Span::raw(app.tr.n("reg-entries", r.found.len() as i64)),
        ]),
        (None, None) => Line::from(app.tr.t("reg-find-prompt")),
    };
    let list_h = r.found.len().min(found_height(app.size.1)) as u16;
    let [q_area, list_area, _, detail_area] = Layout::vertical([
        Constraint::Length(1),
        Constraint::Length(if r.found.is_empty() { 0 } else { list_h + 1 }),
        Constraint::Length(1),
        Constraint::Fill(1),
    ])
    .areas(inner);
    f.render_widget(Paragraph::new(query), q_area);
    if r.found.is_empty() {
        if let Some(q) = &r.query {
            let text = app.tr.a("reg-find-empty", &[("q", &inert(q, 64))]);
            f.render_widget(Paragraph::new(text).wrap(Wrap { trim: true }), detail_area);
        } else {
            let help = app.tr.t("reg-find-help");
            f.render_widget(Paragraph::new(help).wrap(Wrap { trim: true }), detail_area);
        }
        return;
    }
    let status_w = widest(
        app,
        &[
            "ustatus-included",
            "ustatus-excluded",
            "ustatus-pending",
            "ustatus-refused",
            "col-status",
        ],
    );
    let widths = vec![
        Constraint::Length(7),
        Constraint::Length(18),
        Constraint::Fill(1),
        Constraint::Length(12),
        Constraint::Length(status_w),
    ];
    let (widths, keep) = super::columns(area.width, widths, &[0, 1, 4]);
    let header = Row::new(super::pick(
        &keep,
        [
            "col-entry",
            "col-serial",
            "field-applicant",
            "field-bin-iin",
            "col-status",
        ]
        .map(|id| Cell::from(app.tr.t(id)))
        .into_iter()
        .collect(),
    ))
    .style(app.theme.header());
    let pos = &r.found_pos;
    let rows: Vec<Row> = r
        .found
        .iter()
        .enumerate()
        .skip(pos.offset)
        .take(list_h as usize)
        .map(|(i, e)| {
            super::row(
                app,
                i == pos.selected,
                super::pick(
                    &keep,
                    vec![
                        right(e.entry_no.to_string()),
                        Cell::from(inert(&e.serial, 64)),
                        Cell::from(inert(&e.miner, 80)),
                        Cell::from(inert(&e.bin_iin, 12)),
                        Cell::from(unit_status(app, &e.status)),
                    ],
                ),
            )
        })
        .collect();
    f.render_widget(Table::new(rows, widths).header(header), list_area);
    if let Some(e) = r.found.get(pos.selected) {
        f.render_widget(
            Paragraph::new(entry_lines(app, e)).wrap(Wrap { trim: false }),
            detail_area,
        );
    }
}

/// The entry, its miner, data centre, case, notices and journal changes.
fn entry_lines<'a>(app: &App, e: &EntryFound) -> Vec<Line<'a>> {
    let sep = app.theme.sep();
    let mut lines = vec![
        Line::from(vec![
            Span::styled(
                app.tr.a("reg-entry", &[("n", &e.entry_no.to_string())]),
                app.theme.header(),
            ),
            Span::raw(sep),
            Span::raw(inert(&e.serial, 64)),
            Span::raw(sep),
            Span::raw(format!("{} {}", inert(&e.brand, 40), inert(&e.model, 40))),
        ]),
        Line::from(format!(
            "{} {}{sep}{} {}{sep}{}{sep}{}",
            app.tr.declared(e.hashrate_ths),
            app.tr.t("col-hashrate"),
            app.tr.declared(e.power_kw),
            app.tr.t("col-power"),
            app.tr.word("condition-", &e.condition),
            unit_status(app, &e.status),
        )),
        Line::from(vec![
            label(app, "field-applicant"),
            Span::raw(inert(&e.miner, 120)),
            Span::raw(sep),
            label(app, "field-bin-iin"),
            Span::raw(inert(&e.bin_iin, 12)),
        ]),
        Line::from(vec![
            label(app, "field-data-center"),
            Span::raw(inert(e.data_center.as_deref().unwrap_or("-"), 200)),
        ]),
        Line::from(vec![
            label(app, "col-case"),
            Span::raw(inert(&e.case, 32)),
            Span::styled(
                format!("  ({})", app.tr.t("reg-enter-opens")),
                app.theme.dim(),
            ),
        ]),
        Line::from(vec![
            label(app, "reg-notices"),
            Span::raw(if e.notices.is_empty() {
                "-".to_string()
            } else {
                inert(&e.notices.join(", "), 200)
            }),
        ]),
        Line::from(label(app, "section-history")),
    ];
    let zone = app.law.calendar.office().zone;
    for h in &e.history {
        // `#seq at kind subject`, as `register::find` writes it.
        let parts: Vec<&str> = h.splitn(4, ' ').collect();
        let line = match parts.as_slice() {
            [seq, at, kind, subject] => {
                let at = DateTime::parse_from_rfc3339(at)
                    .map(|t| {
                        t.with_timezone(&Utc)
                            .with_timezone(&zone)
                            .format("%d.%m.%Y %H:%M")
                            .to_string()
                    })
                    .unwrap_or_else(|_| inert(at, 32));
                format!(
                    "  {at}  {}  {}  {}",
                    app.tr.word("event-", kind),
                    inert(subject, 32),
                    inert(seq, 16)
                )
            }
            _ => format!("  {}", inert(h, 120)),
        };
        lines.push(Line::from(line));
    }
    lines
}

// ------------------------------------------------------------------ energy

/// `s` in at most `w` display columns, its end marked `…` (`~` under
/// `--ascii`) when cut.
fn fit_width(s: &str, w: usize, ascii: bool) -> String {
    let cut = crate::rules::text::cut_to_width(s, w);
    if ascii && cut.ends_with('…') && cut != s {
        format!("{}~", cut.trim_end_matches('…'))
    } else {
        cut
    }
}

/// A bar of `cells` (fractional) character cells: full blocks and an eighth
/// block, or `#` under `--ascii`. Never empty for a non-zero value.
pub fn bar(cells: f64, ascii: bool) -> String {
    let cells = cells.max(0.0);
    if ascii {
        let n = cells.round() as usize;
        return "#".repeat(if n == 0 && cells > 0.0 { 1 } else { n });
    }
    const EIGHTHS: [&str; 8] = ["", "▏", "▎", "▍", "▌", "▋", "▊", "▉"];
    let eighths = (cells * 8.0).round() as usize;
    let mut s = "█".repeat(eighths / 8);
    s.push_str(EIGHTHS[eighths % 8]);
    if s.is_empty() && cells > 0.0 {
        s.push('▏');
    }
    s
}

fn energy(f: &mut Frame, app: &App, area: Rect) {
    let r = &app.register;
    let title = app.tr.t(if r.by_data_center {
        "reg-energy-by-dc"
    } else {
        "reg-energy-by-region"
    });
    let block = super::list_block(app, title, &r.energy_pos, r.energy_len(), area.width);
    let Some(e) = r.energy.as_ref().filter(|e| !e.regions.is_empty()) else {
        return super::empty(f, block, app.tr.t("reg-energy-empty"), area);
    };
    let inner = block.inner(area);
    f.render_widget(block, area);
    let [total_area, table_area] =
        Layout::vertical([Constraint::Length(1), Constraint::Fill(1)]).areas(inner);
    let sep = app.theme.sep();
    let narrow = area.width < 70;
    let units: i64 = e.regions.iter().map(|x| x.units).sum();
    let kw: f64 = e.regions.iter().map(|x| x.power_kw).sum();
    let ths: f64 = e.regions.iter().map(|x| x.hashrate_ths).sum();
    f.render_widget(
        Line::from(vec![
            label(app, "reg-total"),
            Span::styled(
                format!("{} {}", app.tr.num(kw, 1), app.tr.t("col-power")),
                app.theme.header(),
            ),
            // Narrower than 70 columns: the power only.
            Span::raw(if narrow {
                String::new()
            } else {
                format!(
                    "{sep}{} {}{sep}{} {}",
                    app.tr.num(ths, 0),
                    app.tr.t("col-hashrate"),
                    app.tr.num(units as f64, 0),
                    app.tr.t("reg-abks"),
                )
            }),
        ]),
        total_area,
    );
    let lang = app.tr.code();
    // name, units, power, hashrate of each row
    let rows: Vec<(String, i64, f64, f64)> = if r.by_data_center {
        e.data_centers
            .iter()
            .map(|d| {
                (
                    inert(&d.data_center, 200),
                    d.units,
                    d.power_kw,
                    d.hashrate_ths,
                )
            })
            .collect()
    } else {
        e.regions
            .iter()
            .map(|g| {
                let name = crate::rules::regions::by_id(&g.region)
                    .map_or_else(|| app.tr.t("reg-region-unknown"), |x| x.name(lang).into());
                (name, g.units, g.power_kw, g.hashrate_ths)
            })
            .collect()
    };
    let max_kw = rows.iter().map(|x| x.2).fold(0.0, f64::max);
    let cells: Vec<[String; 4]> = rows
        .iter()
        .map(|(name, n, kw, ths)| {
            [
                name.clone(),
                app.tr.num(*n as f64, 0),
                app.tr.num(*ths, 0),
                app.tr.num(*kw, 1),
            ]
        })
        .collect();
    let name_id = if r.by_data_center {
        "field-data-center"
    } else {
        "reg-region"
    };
    let heads = [
        app.tr.t(name_id),
        app.tr.t("reg-abks"),
        app.tr.t("col-hashrate"),
        app.tr.t("col-power"),
    ];
    let col = |i: usize| {
        cells
            .iter()
            .map(|c| super::width(&c[i]))
            .chain([super::width(&heads[i])])
            .max()
            .unwrap_or(1) as u16
    };
    // Names take what the figures and a bar of at least 8 cells (4 when
    // narrow) leave; a longer name wraps over up to three lines (issue 17:
    // a data centre's address was cut at 40 characters).
    let (figures, min_bar) = if narrow {
        (col(3) + 4, 4)
    } else {
        (col(1) + col(2) + col(3) + 8, 8)
    };
    let name_w = col(0).min(table_area.width.saturating_sub(figures + min_bar).max(10));
    // Narrower than 70 columns: name, power and the bar only.
    let shown: Vec<usize> = if narrow { vec![0, 3] } else { vec![0, 1, 2, 3] };
    let mut widths: Vec<u16> = shown
        .iter()
        .map(|i| if *i == 0 { name_w } else { col(*i) })
        .collect();
    // Two spaces between columns: in kk and ru a space groups thousands, so
    // one space would run two figures together.
    let used: u16 = widths.iter().sum::<u16>() + 2 * widths.len() as u16;
    let bar_w = table_area.width.saturating_sub(used);
    widths.push(bar_w);
    let header = Row::new(
        shown
            .iter()
            .map(|i| {
                if *i == 0 {
                    Cell::from(heads[0].clone())
                } else {
                    right(heads[*i].clone())
                }
            })
            .chain([Cell::from("")])
            .collect::<Vec<_>>(),
    )
    .style(app.theme.header());
    let pos = &r.energy_pos;
    let height = table_area.height.saturating_sub(1) as usize;
    let bar_style = if app.theme.color {
        Style::new().fg(Color::Cyan)
    } else {
        Style::new()
    };
    let mut table_rows: Vec<(Row, usize, bool)> = cells
        .iter()
        .zip(&rows)
        .enumerate()
        .skip(pos.offset)
        .take(height)
        .map(|(i, (c, (_, _, kw, _)))| {
            let share = if max_kw > 0.0 { kw / max_kw } else { 0.0 };
            let mut name = super::cell_lines(&c[0], super::Fit::Words, false, name_w);
            if name.len() > 3 {
                let rest = name.split_off(2).join(" ");
                name.push(fit_width(&rest, usize::from(name_w), app.theme.ascii));
            }
            let lines = name.len();
            let mut row: Vec<Cell> = shown
                .iter()
                .map(|j| {
                    if *j == 0 {
                        Cell::from(ratatui::text::Text::from(
                            name.iter().cloned().map(Line::from).collect::<Vec<_>>(),
                        ))
                    } else {
                        right(c[*j].clone())
                    }
                })
                .collect();
            row.push(Cell::from(Span::styled(
                bar(share * bar_w as f64, app.theme.ascii),
                bar_style,
            )));
            (
                super::row(app, i == pos.selected, row).height(lines as u16),
                lines,
                i == pos.selected,
            )
        })
        .collect();
    // The selected row shows: rows above it give way while it would not.
    while let Some(p) = table_rows.iter().position(|r| r.2) {
        if p == 0 || table_rows[..=p].iter().map(|r| r.1).sum::<usize>() <= height {
            break;
        }
        table_rows.remove(0);
    }
    // A row shows whole or not at all.
    let mut used = 0;
    let fits = table_rows
        .iter()
        .take_while(|r| {
            used += r.1;
            used <= height
        })
        .count()
        .max(1);
    table_rows.truncate(fits);
    let table_rows: Vec<Row> = table_rows.into_iter().map(|r| r.0).collect();
    let constraints: Vec<Constraint> = widths.into_iter().map(Constraint::Length).collect();
    f.render_widget(
        Table::new(table_rows, constraints)
            .header(header)
            .column_spacing(2),
        table_area,
    );
}

// ------------------------------------------------------------------ conflicts

fn conflicts(f: &mut Frame, app: &App, area: Rect) {
    let r = &app.register;
    let serials = r.conflicts.as_ref().map_or(0, |c| c.len());
    let title = app.tr.n("reg-conflicts-title", serials as i64);
    let block = super::list_block(app, title, &r.conflict_pos, r.claims.len(), area.width);
    if r.claims.is_empty() {
        return super::empty(f, block, app.tr.t("reg-conflicts-empty"), area);
    }
    let inner = block.inner(area);
    f.render_widget(block, area);
    // The selected claim below, wrapped whole (its miner was cut).
    let detail = r
        .claim(r.conflict_pos.selected)
        .map(|(c, k)| claim_lines(app, c, k));
    let detail_h = detail.as_ref().map_or(0, |d| {
        d.iter()
            .map(|l| {
                textwrap::wrap(&l.to_string(), usize::from(inner.width.max(1)))
                    .len()
                    .max(1)
            })
            .sum::<usize>() as u16
    });
    let detail_h = detail_h.min(inner.height.saturating_sub(3)).max(2);
    let [table_area, detail_area] =
        Layout::vertical([Constraint::Fill(1), Constraint::Length(detail_h)]).areas(inner);
    use super::{Col, Fit};
    let cols = vec![
        Col::new(app.tr.t("col-serial"), Fit::Whole),
        Col::new(app.tr.t("col-case"), Fit::Whole),
        Col::new(app.tr.t("reg-stage"), Fit::Words),
        Col::new(app.tr.t("field-bin-iin"), Fit::Whole),
        Col::new(app.tr.t("field-applicant"), Fit::Name),
    ];
    let pos = &r.conflict_pos;
    let height = table_area.height.saturating_sub(1) as usize;
    let rows: Vec<_> = (pos.offset..(pos.offset + height).min(r.claims.len()))
        .filter_map(|i| r.claim(i).map(|c| (i, c)))
        .map(|(i, (c, k))| {
            // The serial's first claim names it; the others repeat it dimmed.
            let first = i == 0 || r.claims[i - 1].0 != r.claims[i].0;
            let plain = Style::new();
            (
                vec![
                    (
                        inert(&c.serial, 64),
                        if first { plain } else { app.theme.dim() },
                    ),
                    (inert(&k.case, 32), plain),
                    (app.tr.word("stage-", &k.stage), plain),
                    (inert(&k.bin_iin, 12), plain),
                    (inert(&k.miner, 80), plain),
                ],
                plain,
            )
        })
        .collect();
    // Narrow: the applicant, the BIN and the stage give way.
    let table = super::grid(
        app,
        table_area,
        cols,
        &[4, 3, 2],
        rows,
        pos.selected.checked_sub(pos.offset),
    );
    f.render_widget(table, table_area);
    if let Some(lines) = detail {
        f.render_widget(
            Paragraph::new(lines).wrap(ratatui::widgets::Wrap { trim: true }),
            detail_area,
        );
    }
}

/// The selected claim's two lines: its case, kind, stage and register
/// status; its serial, miner and BIN.
fn claim_lines<'a>(
    app: &App,
    c: &crate::store::read::register::SerialConflict,
    k: &crate::store::read::register::Claim,
) -> Vec<Line<'a>> {
    {
        let sep = app.theme.sep();
        let mut first = vec![
            Span::styled(inert(&k.case, 32), app.theme.header()),
            Span::raw(format!(
                "{sep}{}{sep}{}",
                app.tr.word("kind-", &k.kind),
                app.tr.word("stage-", &k.stage)
            )),
        ];
        // The unit's register status: `Entry 12 (included)`, `ABK: refused`.
        match (k.entry_no, &k.status) {
            (Some(n), status) => {
                let mut s = format!("{sep}{}", app.tr.a("reg-entry", &[("n", &n.to_string())]));
                if let Some(st) = status {
                    s.push_str(&format!(" ({})", unit_status(app, st)));
                }
                first.push(Span::raw(s));
            }
            (None, Some(st)) => first.push(Span::raw(format!(
                "{sep}{}",
                app.tr
                    .a("reg-abk-status", &[("status", &unit_status(app, st))])
            ))),
            (None, None) => {}
        }
        let second = Line::from(vec![
            Span::raw(inert(&c.serial, 64)),
            Span::raw(sep),
            Span::raw(inert(&k.miner, 120)),
            Span::raw(format!(" ({})", inert(&k.bin_iin, 12))),
        ]);
        vec![Line::from(first), second]
    }
}
