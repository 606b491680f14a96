//! One file per pane: each draws its part of the state.
pub mod complaints;
pub mod detail;
pub mod hearings;
pub mod monitor;
pub mod notice;
pub mod queue;
pub mod register;
pub mod terms;

use ratatui::layout::Constraint;
use ratatui::layout::Rect;
use ratatui::text::Line;
use ratatui::widgets::{Block, Cell, Paragraph, Row};

use super::state::{App, ListPos};

/// The block of a list pane `width` columns wide: its title on the left,
/// "n/len" on the right. A title too long for both drops "n/len", then is
/// cut after a whole word (issue 17: never mid-word).
pub fn list_block<'a>(app: &App, title: String, pos: &ListPos, len: usize, cols: u16) -> Block<'a> {
    let where_ = if len == 0 {
        String::new()
    } else {
        format!(" {}/{} ", pos.selected + 1, len)
    };
    let room = usize::from(cols).saturating_sub(2);
    let title = format!(" {title} ");
    let (title, where_) = if width(&title) + width(&where_) <= room {
        (title, where_)
    } else if width(&title) <= room {
        (title, String::new())
    } else {
        (
            format!(
                " {} ",
                ascii_cut(app, whole_words(title.trim(), room.saturating_sub(2)))
            ),
            String::new(),
        )
    };
    app.theme
        .block()
        .title(Line::from(title))
        .title(Line::from(where_).right_aligned())
}

/// A cut's `…` as `~` under `--ascii` (only a cut ends with it here).
fn ascii_cut(app: &App, s: String) -> String {
    if app.theme.ascii && s.ends_with('…') {
        format!("{}~", s.trim_end_matches('…'))
    } else {
        s
    }
}

/// What an empty list pane says: nothing matches its filter, or `none_id`.
pub fn empty_text(app: &App, pane: super::state::Pane, none_id: &str) -> String {
    match app.filters.of(pane).and_then(|f| f.active()) {
        Some(q) => app
            .tr
            .a("search-empty", &[("q", &super::theme::inert(q, 40))]),
        None => app.tr.t(none_id),
    }
}

/// A one-line message in an empty pane.
pub fn empty(f: &mut ratatui::Frame, block: Block, text: String, area: Rect) {
    // Wrapped between words (issue 17: "…таңдап, E" at 40 columns).
    f.render_widget(
        Paragraph::new(text)
            .block(block)
            .wrap(ratatui::widgets::Wrap { trim: true }),
        area,
    );
}

/// A list row; the selected one shows its first cell (the key: case,
/// complaint, serial…) in reverse video. Only those cells change when the selection moves, so a move costs a few dozen bytes
/// on the wire instead of two whole lines.
pub fn row<'a>(app: &App, selected: bool, mut cells: Vec<Cell<'a>>) -> Row<'a> {
    if selected && !cells.is_empty() {
        let first = cells.remove(0).style(app.theme.selected());
        cells.insert(0, first);
    }
    Row::new(cells)
}

/// The columns a table shows at `width`: all of them, or below 70 columns only
/// those in `narrow_keep`, the last one taking the rest of the line. Returns
/// their widths and which column indexes are kept (for [`pick`]).
pub fn columns(
    width: u16,
    all: Vec<Constraint>,
    narrow_keep: &'static [usize],
) -> (Vec<Constraint>, impl Fn(usize) -> bool) {
    let narrow = width < 70;
    let keep = move |i: usize| !narrow || narrow_keep.contains(&i);
    let mut widths: Vec<Constraint> = all
        .into_iter()
        .enumerate()
        .filter(|(i, _)| keep(*i))
        .map(|(_, w)| w)
        .collect();
    if narrow && let Some(last) = widths.last_mut() {
        *last = Constraint::Fill(1);
    }
    (widths, keep)
}

/// The cells of the columns a narrow screen keeps.
pub fn pick<'a>(keep: &impl Fn(usize) -> bool, cells: Vec<Cell<'a>>) -> Vec<Cell<'a>> {
    cells
        .into_iter()
        .enumerate()
        .filter(|(i, _)| keep(*i))
        .map(|(_, c)| c)
        .collect()
}

/// How a column's words meet a short width (issue 17: nothing cut).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Fit {
    /// Identifiers, dates, numbers: never cut, never wrapped; the column is
    /// as wide as its widest cell.
    Whole,
    /// Headings, the law's texts, states: wrapped between words, never cut;
    /// the column is at least as wide as its longest word.
    Words,
    /// Applicant text (a name, a place): one line, cut after a whole word
    /// with `…` where the room is short; at least [`NAME_MIN`] columns (or
    /// the whole text). The case file shows it whole.
    Name,
}

/// The fewest columns an applicant's name is given.
pub const NAME_MIN: u16 = 12;

/// A column of a [`grid`]: its heading (wrapped, never cut) and its [`Fit`].
pub struct Col {
    pub head: String,
    pub fit: Fit,
    /// Numbers read right-aligned.
    pub right: bool,
}

impl Col {
    pub fn new(head: String, fit: Fit) -> Col {
        Col {
            head,
            fit,
            right: false,
        }
    }
    pub fn right(mut self) -> Col {
        self.right = true;
        self
    }
}

/// Display columns of a text (wide CJK 2, combining marks 0).
pub fn width(s: &str) -> usize {
    crate::rules::text::width(s)
}

fn longest_word(s: &str) -> usize {
    s.split_whitespace().map(width).max().unwrap_or(0)
}

/// A column held at a width (column, width) while the others take the
/// room in an order.
type Try = Option<(usize, usize)>;

/// The widths of `cols` in `room` display columns (one between columns),
/// the columns `drop` names left out, first to last, until what can never
/// be cut fits. A column's minimum: its widest identifier, its longest word
/// (headings included), a name's [`NAME_MIN`]. What is left goes first to
/// the word columns nearest their whole width (a wrapped state costs a
/// line), then to the names, and the rest to the last column.
pub fn fit_widths(
    room: u16,
    cols: &[Col],
    rows: &[Vec<String>],
    drop: &[usize],
) -> Vec<Option<u16>> {
    let n = cols.len();
    let cell_w = |i: usize, f: &dyn Fn(&str) -> usize| {
        rows.iter()
            .filter_map(|r| r.get(i))
            .map(|c| f(c))
            .max()
            .unwrap_or(0)
    };
    let natural: Vec<usize> = (0..n)
        .map(|i| cell_w(i, &width).max(width(&cols[i].head)))
        .collect();
    let min: Vec<usize> = (0..n)
        .map(|i| {
            let head = longest_word(&cols[i].head);
            match cols[i].fit {
                Fit::Whole => cell_w(i, &width).max(head),
                Fit::Words => cell_w(i, &longest_word).max(head),
                Fit::Name => cell_w(i, &width).min(usize::from(NAME_MIN)).max(head),
            }
        })
        .collect();
    let room = usize::from(room);
    let mut kept = vec![true; n];
    let need = |kept: &[bool]| {
        let k = kept.iter().filter(|k| **k).count();
        (0..n).filter(|i| kept[*i]).map(|i| min[i]).sum::<usize>() + k.saturating_sub(1)
    };
    for &d in drop {
        if need(&kept) <= room {
            break;
        }
        if d < n {
            kept[d] = false;
        }
    }
    let mut w: Vec<usize> = min.clone();
    let total = need(&kept);
    if total > room {
        // Narrower than what never gives way: the words and names shrink
        // (the screen is too small to read them whole), identifiers stay.
        let mut over = total - room;
        for i in (0..n).rev() {
            if kept[i] && cols[i].fit != Fit::Whole {
                let give = over.min(w[i].saturating_sub(1));
                w[i] -= give;
                over -= give;
            }
        }
    } else {
        let extra = room - total;
        // Of the orders in which the word columns take the room, the one
        // that leaves the fewest lines (a wrapped cell costs its row a line).
        let words: Vec<usize> = (0..n)
            .filter(|i| kept[*i] && cols[*i].fit == Fit::Words && natural[*i] > min[*i])
            .collect();
        let mut words = words;
        words.sort_by_key(|&i| natural[i] - min[i]);
        let mut best: Option<((usize, usize), Vec<usize>)> = None;
        // Also: one column at the width of one of its cells (a state whole,
        // the longer text wrapped), the others in the first order.
        let mut tries: Vec<(Try, Vec<usize>)> =
            orders(&words).into_iter().map(|o| (None, o)).collect();
        for &i in &words {
            let mut at: Vec<usize> = rows
                .iter()
                .filter_map(|r| r.get(i).map(|c| width(c)))
                .filter(|c| *c > min[i] && *c - min[i] <= extra)
                .collect();
            at.sort_unstable();
            at.dedup();
            for c in at {
                tries.push((Some((i, c)), words.clone()));
            }
        }
        for (fixed, order) in tries {
            let mut t = w.clone();
            let mut left = extra;
            if let Some((i, c)) = fixed {
                left -= c - t[i];
                t[i] = c;
            }
            for &i in &order {
                let give = left.min(natural[i].saturating_sub(t[i]));
                t[i] += give;
                left -= give;
            }
            // The rows' lines, then the wrapped cells' (a state read whole
            // beside a wrapped text rather than both wrapped).
            let lines = rows.iter().fold((0, 0), |(rows_l, cells_l), r| {
                let each: Vec<usize> = words
                    .iter()
                    .map(|&i| r.get(i).map_or(1, |c| lines_at(c, t[i])))
                    .collect();
                (
                    rows_l + each.iter().copied().max().unwrap_or(1),
                    cells_l + each.iter().sum::<usize>(),
                )
            });
            if best.as_ref().is_none_or(|(l, _)| lines < *l) {
                best = Some((lines, t));
            }
        }
        if let Some((_, t)) = best {
            w = t;
        }
        let mut extra = room
            - (0..n).filter(|i| kept[*i]).map(|i| w[i]).sum::<usize>()
            - kept.iter().filter(|k| **k).count().saturating_sub(1);
        for i in (0..n).filter(|i| kept[*i] && cols[*i].fit == Fit::Name) {
            let give = extra.min(natural[i].saturating_sub(w[i]));
            w[i] += give;
            extra -= give;
        }
        if let Some(last) = (0..n).rev().find(|i| kept[*i]) {
            w[last] += extra;
        }
    }
    (0..n)
        .map(|i| kept[i].then(|| u16::try_from(w[i]).unwrap_or(u16::MAX)))
        .collect()
}

/// How many lines `text` wraps to at `w` columns.
fn lines_at(text: &str, w: usize) -> usize {
    if width(text) <= w {
        1
    } else {
        textwrap::wrap(text, w.max(1)).len()
    }
}

/// Every order of `items` (at most four: beyond that, the given order and
/// its reverse).
fn orders(items: &[usize]) -> Vec<Vec<usize>> {
    if items.len() > 4 {
        return vec![items.to_vec(), items.iter().rev().copied().collect()];
    }
    if items.len() <= 1 {
        return vec![items.to_vec()];
    }
    let mut out = Vec::new();
    for (k, &first) in items.iter().enumerate() {
        let mut rest = items.to_vec();
        rest.remove(k);
        for mut o in orders(&rest) {
            o.insert(0, first);
            out.push(o);
        }
    }
    out
}

/// The lines of one cell at width `w`.
pub fn cell_lines(text: &str, fit: Fit, right: bool, w: u16) -> Vec<String> {
    let w = usize::from(w.max(1));
    let mut lines: Vec<String> = if fit == Fit::Whole || width(text) <= w {
        vec![text.to_string()]
    } else if fit == Fit::Name {
        vec![whole_words(text, w)]
    } else {
        textwrap::wrap(text, textwrap::Options::new(w).break_words(true))
            .into_iter()
            .map(|l| l.into_owned())
            .collect()
    };
    if right {
        for l in &mut lines {
            let pad = w.saturating_sub(width(l));
            *l = format!("{}{l}", " ".repeat(pad));
        }
    }
    lines
}

/// `text` in at most `w` display columns, cut after a whole word with `…`
/// where it does not fit, or mid-word when the first words would leave
/// most of the room empty.
pub fn whole_words(text: &str, w: usize) -> String {
    if width(text) <= w {
        return text.to_string();
    }
    let mut out = String::new();
    for word in text.split(' ') {
        let next = if out.is_empty() {
            word.to_string()
        } else {
            format!("{out} {word}")
        };
        if width(&next) + 1 > w {
            break;
        }
        out = next;
    }
    if width(&out) * 2 < w {
        return crate::rules::text::cut_to_width(text, w);
    }
    out + "…"
}

/// A list as a table that cuts nothing (issue 17): `rows` are the cells of
/// the rows from the list's offset (text and style each, and the row's
/// style), `selected` the selected one among them. Headings and word cells
/// wrap, a row takes as many lines as its tallest cell, and the rows start
/// late enough that the selected one shows. The selected row's first cell
/// (its key) is in reverse video.
pub fn grid<'a>(
    app: &App,
    room: Rect,
    cols: Vec<Col>,
    drop: &[usize],
    rows: Vec<(Vec<(String, ratatui::style::Style)>, ratatui::style::Style)>,
    selected: Option<usize>,
) -> ratatui::widgets::Table<'a> {
    grid_lines(app, room, cols, drop, rows, selected).0
}

/// [`grid`], the lines its header and the rows shown take, and each row's
/// lines (a table without headings, all empty, has no header row).
pub fn grid_lines<'a>(
    app: &App,
    room: Rect,
    cols: Vec<Col>,
    drop: &[usize],
    rows: Vec<(Vec<(String, ratatui::style::Style)>, ratatui::style::Style)>,
    selected: Option<usize>,
) -> (ratatui::widgets::Table<'a>, u16, Vec<u16>) {
    use ratatui::text::{Span, Text};
    let texts: Vec<Vec<String>> = rows
        .iter()
        .map(|(c, _)| c.iter().map(|(t, _)| t.clone()).collect())
        .collect();
    let widths = fit_widths(room.width, &cols, &texts, drop);
    let kept: Vec<usize> = (0..cols.len()).filter(|i| widths[*i].is_some()).collect();
    let cell = |text: &str, style: ratatui::style::Style, i: usize| {
        let w = widths[i].unwrap_or(1);
        let lines = cell_lines(text, cols[i].fit, cols[i].right, w);
        let lines: Vec<String> = if cols[i].fit == Fit::Name {
            lines.into_iter().map(|l| ascii_cut(app, l)).collect()
        } else {
            lines
        };
        let h = lines.len();
        (
            Cell::from(Text::from(
                lines
                    .into_iter()
                    .map(|l| Line::from(Span::styled(l, style)))
                    .collect::<Vec<_>>(),
            )),
            h,
        )
    };
    let headless = cols.iter().all(|c| c.head.is_empty());
    let mut head_h = 1;
    let header = Row::new(
        kept.iter()
            .map(|&i| {
                let w = widths[i].unwrap_or(1);
                let lines = cell_lines(&cols[i].head, Fit::Words, cols[i].right, w);
                let h = lines.len();
                let c = Cell::from(Text::from(
                    lines.into_iter().map(Line::from).collect::<Vec<_>>(),
                ));
                head_h = head_h.max(h);
                c
            })
            .collect::<Vec<_>>(),
    );
    let header = header.height(head_h as u16).style(app.theme.header());
    if headless {
        head_h = 0;
    }
    let mut built: Vec<(Row, usize)> = rows
        .into_iter()
        .enumerate()
        .map(|(r, (cells, style))| {
            let mut h = 1;
            let mut out = Vec::new();
            for (n, &i) in kept.iter().enumerate() {
                let (text, st) = cells.get(i).cloned().unwrap_or_default();
                let (c, ch) = cell(&text, st, i);
                let c = if n == 0 && selected == Some(r) {
                    c.style(app.theme.selected())
                } else {
                    c
                };
                h = h.max(ch);
                out.push(c);
            }
            (Row::new(out).height(h as u16).style(style), h)
        })
        .collect();
    let heights: Vec<u16> = built
        .iter()
        .map(|(_, h)| u16::try_from(*h).unwrap_or(u16::MAX))
        .collect();
    // The selected row shows: leave out rows above it until it fits.
    if let Some(s) = selected.filter(|_| !built.is_empty()) {
        let avail = usize::from(room.height).saturating_sub(head_h);
        let mut start = 0;
        while start < s
            && built[start..=s.min(built.len() - 1)]
                .iter()
                .map(|(_, h)| h)
                .sum::<usize>()
                > avail
        {
            start += 1;
        }
        built.drain(..start);
    }
    // A row shows whole or not at all (its last lines would read as whole).
    let avail = usize::from(room.height).saturating_sub(head_h);
    let mut used = 0;
    let fits = built
        .iter()
        .take_while(|(_, h)| {
            used += h;
            used <= avail
        })
        .count()
        .max(1);
    built.truncate(fits);
    let constraints: Vec<Constraint> = kept
        .iter()
        .map(|&i| Constraint::Length(widths[i].unwrap_or(1)))
        .collect();
    let lines = head_h + built.iter().map(|(_, h)| h).sum::<usize>();
    let table = ratatui::widgets::Table::new(built.into_iter().map(|(r, _)| r), constraints);
    let table = if headless {
        table
    } else {
        table.header(header)
    };
    (table, u16::try_from(lines).unwrap_or(u16::MAX), heights)
}

/// A line of key hints (`a · b · c`, the catalogs' separator) in `room`
/// columns: each hint whole or left out, the first ones kept first, and a
/// later, shorter one (`Esc close`) where a longer one did not fit.
pub fn whole_hints(text: &str, room: usize) -> String {
    const SEP: &str = " · ";
    if width(text) <= room {
        return text.to_string();
    }
    let mut out = String::new();
    for hint in text.split(SEP) {
        let need = width(hint) + if out.is_empty() { 0 } else { width(SEP) };
        if width(&out) + need <= room {
            if !out.is_empty() {
                out.push_str(SEP);
            }
            out.push_str(hint);
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn key_hints_show_whole_or_not_at_all() {
        let keys = "Tab/Shift-Tab поле · ←→ Пробел выбор · Ctrl-S сохранить · Esc закрыть";
        assert_eq!(whole_hints(keys, 80), keys);
        let at40 = whole_hints(keys, 40);
        assert_eq!(at40, "Tab/Shift-Tab поле · ←→ Пробел выбор");
        // A later, shorter hint where a longer one did not fit.
        assert_eq!(whole_hints(keys, 22), "Tab/Shift-Tab поле");
        assert_eq!(
            whole_hints("a much longer hint · Esc close", 12),
            "Esc close"
        );
        for w in 0..90 {
            assert!(width(&whole_hints(keys, w)) <= w);
        }
    }

    fn kk_deadlines() -> (Vec<Col>, Vec<Vec<String>>) {
        let cols = vec![
            Col::new("Іс".into(), Fit::Whole),
            Col::new("Тармақ".into(), Fit::Whole),
            Col::new("Қағида мерзімі".into(), Fit::Words),
            Col::new("Мерзім".into(), Fit::Whole),
            Col::new("Қалды".into(), Fit::Words).right(),
            Col::new("Жай-күйі".into(), Fit::Words),
        ];
        let row = |rule: &str, text: &str, state: &str| {
            vec![
                "ABK-2025-000004".to_string(),
                rule.to_string(),
                text.to_string(),
                "20.11.2025".to_string(),
                "-5".to_string(),
                state.to_string(),
            ]
        };
        let rows = vec![
            row(
                "9-т.",
                "Толық емес пакет бойынша дәлелді бас тартуды жіберу",
                "МЕРЗІМІ ӨТКЕН",
            ),
            row("12-т.", "Тыңдауды өткізу", "мерзімі бүгін"),
            row("10-т.", "Енгізу туралы өтінішті қарау", "келесі ж. күні"),
            row(
                "12-т.",
                "Тыңдау туралы хабарламаны жіберу (бас тартылса)",
                "келесі ж. күні",
            ),
            row("10-т.", "Енгізу туралы өтінішті қарау", "жүріп жатыр"),
        ];
        (cols, rows)
    }

    #[test]
    fn identifiers_whole_words_never_cut_and_the_row_filled() {
        let (cols, rows) = kk_deadlines();
        for room in [78u16, 60, 38] {
            let w = fit_widths(room, &cols, &rows, &[4, 2, 1]);
            let kept: Vec<u16> = w.iter().flatten().copied().collect();
            assert_eq!(
                kept.iter().map(|w| usize::from(*w)).sum::<usize>() + kept.len() - 1,
                usize::from(room),
                "{room}: {w:?}"
            );
            // The case and the date are never cut nor left out.
            assert_eq!(w[0], Some(15), "{room}");
            assert_eq!(w[3], Some(10), "{room}");
            for r in &rows {
                for (i, c) in r.iter().enumerate() {
                    let Some(cw) = w[i] else { continue };
                    for l in cell_lines(c, cols[i].fit, cols[i].right, cw) {
                        assert!(width(&l) <= usize::from(cw), "{room}: {l}");
                    }
                    // Every word of the cell is on some line whole.
                    let lines = cell_lines(c, cols[i].fit, false, cw).join(" ");
                    for word in c.split_whitespace() {
                        assert!(
                            lines.split_whitespace().any(|x| x == word),
                            "{room}: {word}"
                        );
                    }
                }
            }
        }
    }

    #[test]
    fn nothing_to_fit_is_no_panic() {
        let (cols, _) = kk_deadlines();
        assert_eq!(fit_widths(0, &cols, &[], &[4, 2, 1]).len(), cols.len());
        let (cols, rows) = kk_deadlines();
        for room in [0u16, 1, 5, 20] {
            let _ = fit_widths(room, &cols, &rows, &[]);
        }
    }

    #[test]
    fn the_room_goes_where_it_saves_the_most_lines() {
        let (cols, rows) = kk_deadlines();
        let lines = |w: &[u16]| -> usize {
            rows.iter()
                .map(|r| {
                    (0..r.len())
                        .map(|i| cell_lines(&r[i], cols[i].fit, false, w[i]).len())
                        .max()
                        .unwrap_or(1)
                })
                .sum()
        };
        let w: Vec<u16> = fit_widths(78, &cols, &rows, &[4, 2, 1])
            .into_iter()
            .flatten()
            .collect();
        // Against the state whole and the text wrapped, or the text whole.
        assert!(lines(&w) <= lines(&[15, 6, 23, 10, 5, 14]), "{w:?}");
        assert!(lines(&w) <= lines(&[15, 6, 29, 10, 5, 8]), "{w:?}");
        assert!(lines(&w) < rows.len() * 3, "{w:?}");
    }
}
