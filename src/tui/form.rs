//! A form: labelled fields, one focused, each with a note (what the Rules
//! allow, shown beside it as the clerk types) and an error (what is wrong).
//! The action forms ([`super::actions`]) and the desk's intake form are built
//! of it. The form never talks to the database: its owner reads the values,
//! checks them, and sets notes and errors.
//!
//! Keys: Tab / Shift-Tab (and ↓ ↑ outside multi-line text) move between
//! fields; Enter moves on (a new line in multi-line text; on the last row it
//! saves); Ctrl-S saves from anywhere; Esc closes (the input is kept).

use chrono::{NaiveDate, NaiveTime};
use crossterm::event::{KeyCode, KeyEvent, KeyEventKind, KeyModifiers};
use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::style::{Modifier, Style};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Clear, Paragraph};
use ratatui_textarea::{TextArea, WrapMode};

use super::theme::Theme;

/// One choice of a [`Input::Choice`] or [`Input::Checks`].
#[derive(Debug, Clone)]
pub struct Opt {
    /// What the owner reads back (`include`, `3`).
    pub value: String,
    /// What the clerk reads.
    pub label: String,
}

impl Opt {
    pub fn new(value: impl Into<String>, label: impl Into<String>) -> Opt {
        Opt {
            value: value.into(),
            label: label.into(),
        }
    }
}

pub enum Input {
    /// One line of text.
    Line(TextArea<'static>),
    /// One line, shown as `•` (a passphrase).
    Secret(TextArea<'static>),
    /// Several lines, `rows` high on screen; wraps at words.
    Text(TextArea<'static>, u16),
    /// One of several (← → or Space); `at` past the options: none chosen.
    Choice { options: Vec<Opt>, at: usize },
    /// Any of several (← → move, Space or the option's digit ticks).
    Checks {
        options: Vec<Opt>,
        on: Vec<bool>,
        at: usize,
    },
}

fn area_of(text: &str) -> TextArea<'static> {
    let mut t = TextArea::new(text.split('\n').map(str::to_string).collect());
    t.set_cursor_line_style(Style::new());
    t.move_cursor(ratatui_textarea::CursorMove::Bottom);
    t.move_cursor(ratatui_textarea::CursorMove::End);
    t
}

impl Input {
    pub fn line(text: &str) -> Input {
        Input::Line(area_of(text))
    }

    pub fn secret() -> Input {
        let mut t = area_of("");
        t.set_mask_char('•');
        Input::Secret(t)
    }

    pub fn text(text: &str, rows: u16) -> Input {
        let mut t = area_of(text);
        t.set_wrap_mode(WrapMode::WordOrGlyph);
        Input::Text(t, rows)
    }

    pub fn choice(options: Vec<Opt>, at: usize) -> Input {
        Input::Choice { options, at }
    }

    pub fn checks(options: Vec<Opt>, ticked: &[String]) -> Input {
        let on = options.iter().map(|o| ticked.contains(&o.value)).collect();
        Input::Checks { options, on, at: 0 }
    }

    fn rows(&self) -> u16 {
        match self {
            Input::Text(_, rows) => *rows,
            _ => 1,
        }
    }

    /// The rows it takes `w` columns wide: the ticks wrap, each option
    /// whole (issue 17: the grounds were cut at 40 columns).
    fn rows_at(&self, w: u16) -> u16 {
        match self {
            Input::Checks { options, .. } => {
                u16::try_from(check_lines(options, w).len().max(1)).unwrap_or(u16::MAX)
            }
            _ => self.rows(),
        }
    }

    fn multiline(&self) -> bool {
        matches!(self, Input::Text(..))
    }
}

pub struct Field {
    pub id: &'static str,
    pub label: String,
    pub input: Input,
    /// Guidance beside the field: the last lawful date, the office hours…
    pub note: Option<String>,
    /// What is wrong with the value (replaces the note while set).
    pub error: Option<String>,
    pub hidden: bool,
}

impl Field {
    pub fn new(id: &'static str, label: String, input: Input) -> Field {
        Field {
            id,
            label,
            input,
            note: None,
            error: None,
            hidden: false,
        }
    }

    /// The value as text: the lines of a text, a choice's value, the ticked
    /// values joined by commas.
    pub fn value(&self) -> String {
        match &self.input {
            Input::Line(t) | Input::Secret(t) | Input::Text(t, _) => t.lines().join("\n"),
            Input::Choice { options, at } => options
                .get(*at)
                .map(|o| o.value.clone())
                .unwrap_or_default(),
            Input::Checks { options, on, .. } => options
                .iter()
                .zip(on)
                .filter(|(_, on)| **on)
                .map(|(o, _)| o.value.clone())
                .collect::<Vec<_>>()
                .join(","),
        }
    }

    /// Sets the value [`Field::value`] reads back: a text's content, the
    /// choice with this value, the ticks of these comma-separated values.
    pub fn set_value(&mut self, value: &str) {
        match &mut self.input {
            Input::Line(_) | Input::Secret(_) | Input::Text(..) => self.set_text(value),
            Input::Choice { options, at } => {
                if let Some(i) = options.iter().position(|o| o.value == value) {
                    *at = i;
                }
            }
            Input::Checks { options, on, at } => {
                let ticked: Vec<&str> = value.split(',').collect();
                for (o, v) in options.iter().zip(on.iter_mut()) {
                    *v = ticked.contains(&o.value.as_str());
                }
                *at = on.iter().position(|x| *x).unwrap_or(0);
            }
        }
    }

    /// Replaces a text field's content (no-op on other inputs).
    pub fn set_text(&mut self, text: &str) {
        if let Input::Line(t) | Input::Secret(t) | Input::Text(t, _) = &mut self.input {
            let mask = t.mask_char();
            let wrap = t.wrap_mode();
            *t = area_of(text);
            if let Some(m) = mask {
                t.set_mask_char(m);
            }
            t.set_wrap_mode(wrap);
        }
    }
}

/// What a key did to the form.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FormEvent {
    /// Nothing to redraw.
    Ignored,
    /// Focus moved from the field at this index (the owner checks it: errors
    /// appear as the clerk leaves a field).
    Left(usize),
    /// A value changed (the owner re-checks live limits).
    Changed,
    /// Only the cursor moved.
    Redraw,
    Submit,
    Cancel,
}

pub struct Form {
    pub title: String,
    pub fields: Vec<Field>,
    /// Index into `fields`; `fields.len()` is the save button.
    pub focus: usize,
    /// A message over the fields: a refusal of the Rules, another clerk's
    /// change, what was saved.
    pub banner: Option<String>,
    pub submit_label: String,
    /// The line under the save button: which keys save and close.
    pub keys_hint: String,
}

impl Form {
    pub fn new(title: String, fields: Vec<Field>, submit_label: String, keys_hint: String) -> Form {
        let mut f = Form {
            title,
            fields,
            focus: 0,
            banner: None,
            submit_label,
            keys_hint,
        };
        f.focus = f.next_visible(0, true).unwrap_or(f.fields.len());
        f.restyle();
        f
    }

    pub fn field(&self, id: &str) -> Option<&Field> {
        self.fields.iter().find(|f| f.id == id)
    }

    pub fn field_mut(&mut self, id: &str) -> Option<&mut Field> {
        self.fields.iter_mut().find(|f| f.id == id)
    }

    /// A field's value (empty when the form has no such field).
    pub fn value(&self, id: &str) -> String {
        self.field(id).map(Field::value).unwrap_or_default()
    }

    pub fn focused_id(&self) -> Option<&'static str> {
        self.fields.get(self.focus).map(|f| f.id)
    }

    pub fn set_error(&mut self, id: &str, msg: impl Into<String>) {
        if let Some(f) = self.field_mut(id) {
            f.error = Some(msg.into());
        }
    }

    pub fn clear_error(&mut self, id: &str) {
        if let Some(f) = self.field_mut(id) {
            f.error = None;
        }
    }

    pub fn has_errors(&self) -> bool {
        self.fields.iter().any(|f| !f.hidden && f.error.is_some())
    }

    /// Puts the focus on the first visible field with an error.
    pub fn focus_first_error(&mut self) {
        if let Some(i) = self
            .fields
            .iter()
            .position(|f| !f.hidden && f.error.is_some())
        {
            self.focus = i;
        }
        self.restyle();
    }

    pub fn focus_on(&mut self, id: &str) {
        if let Some(i) = self.fields.iter().position(|f| f.id == id && !f.hidden) {
            self.focus = i;
        }
        self.restyle();
    }

    fn next_visible(&self, from: usize, forward: bool) -> Option<usize> {
        let n = self.fields.len();
        if forward {
            (from..=n).find(|&i| i == n || !self.fields[i].hidden)
        } else {
            (0..=from.min(n))
                .rev()
                .find(|&i| i == n || !self.fields[i].hidden)
        }
    }

    fn step(&mut self, forward: bool) -> FormEvent {
        let from = self.focus;
        let n = self.fields.len();
        let to = if forward {
            if from >= n {
                self.next_visible(0, true)
            } else {
                self.next_visible(from + 1, true)
            }
        } else if from == 0 {
            Some(n)
        } else {
            self.next_visible(from - 1, false)
        };
        self.focus = to.unwrap_or(n);
        FormEvent::Left(from)
    }

    /// Text pasted at once (a bracketed paste): goes into the focused text
    /// field; a one-line field takes it as one line.
    pub fn paste(&mut self, s: &str) -> FormEvent {
        let Some(field) = self.fields.get_mut(self.focus) else {
            return FormEvent::Ignored;
        };
        match &mut field.input {
            Input::Line(t) | Input::Secret(t) => {
                let one: String = s
                    .split(['\r', '\n'])
                    .filter(|l| !l.is_empty())
                    .collect::<Vec<_>>()
                    .join(" ");
                t.insert_str(one);
            }
            Input::Text(t, _) => {
                t.insert_str(s.replace("\r\n", "\n").replace('\r', "\n"));
            }
            _ => return FormEvent::Ignored,
        }
        FormEvent::Changed
    }

    pub fn key(&mut self, ev: KeyEvent) -> FormEvent {
        let e = self.key_inner(ev);
        self.restyle();
        e
    }

    /// Gives the focused text field the cursor and the others none, so that
    /// a frame draws the text areas as they are (no copy per frame).
    pub fn restyle(&mut self) {
        for (i, f) in self.fields.iter_mut().enumerate() {
            if let Input::Line(t) | Input::Secret(t) | Input::Text(t, _) = &mut f.input {
                let (cursor, style) = text_styles(i == self.focus);
                t.set_cursor_style(cursor);
                t.set_style(style);
            }
        }
    }

    fn key_inner(&mut self, ev: KeyEvent) -> FormEvent {
        if ev.kind == KeyEventKind::Release {
            return FormEvent::Ignored;
        }
        let ctrl = ev.modifiers.contains(KeyModifiers::CONTROL);
        match ev.code {
            KeyCode::Esc => return FormEvent::Cancel,
            KeyCode::Char('s') if ctrl => return FormEvent::Submit,
            KeyCode::F(2) => return FormEvent::Submit,
            KeyCode::Tab => return self.step(true),
            KeyCode::BackTab => return self.step(false),
            _ => {}
        }
        let n = self.fields.len();
        if self.focus >= n {
            return match ev.code {
                KeyCode::Enter | KeyCode::Char(' ') => FormEvent::Submit,
                KeyCode::Down => self.step(true),
                KeyCode::Up => self.step(false),
                _ => FormEvent::Ignored,
            };
        }
        let multiline = self.fields[self.focus].input.multiline();
        match ev.code {
            KeyCode::Enter if !multiline => return self.step(true),
            KeyCode::Down if !multiline => return self.step(true),
            KeyCode::Up if !multiline => return self.step(false),
            _ => {}
        }
        let field = &mut self.fields[self.focus];
        match &mut field.input {
            Input::Line(t) | Input::Secret(t) | Input::Text(t, _) => {
                if let KeyCode::Char(c) = ev.code
                    && !ctrl
                    && c.is_control()
                {
                    return FormEvent::Ignored;
                }
                if t.input(ev) {
                    FormEvent::Changed
                } else {
                    // A cursor move: redraw, nothing to re-check.
                    FormEvent::Redraw
                }
            }
            Input::Choice { options, at } => {
                let len = options.len().max(1);
                // `at` past the options: none chosen yet; → takes the first, ← the last.
                let none = *at >= options.len();
                match ev.code {
                    KeyCode::Right | KeyCode::Char(' ') | KeyCode::Char('l') if none => *at = 0,
                    KeyCode::Left | KeyCode::Char('h') if none => *at = len - 1,
                    KeyCode::Right | KeyCode::Char(' ') | KeyCode::Char('l') => {
                        *at = (*at + 1) % len
                    }
                    KeyCode::Left | KeyCode::Char('h') => *at = (*at + len - 1) % len,
                    _ => return FormEvent::Ignored,
                }
                FormEvent::Changed
            }
            Input::Checks { options, on, at } => {
                let len = options.len().max(1);
                match ev.code {
                    KeyCode::Right | KeyCode::Char('l') => *at = (*at + 1) % len,
                    KeyCode::Left | KeyCode::Char('h') => *at = (*at + len - 1) % len,
                    KeyCode::Char(' ') | KeyCode::Char('x') => {
                        if let Some(v) = on.get_mut(*at) {
                            *v = !*v;
                        }
                        return FormEvent::Changed;
                    }
                    KeyCode::Char(c) => {
                        let Some(i) = options.iter().position(|o| o.value == c.to_string()) else {
                            return FormEvent::Ignored;
                        };
                        *at = i;
                        on[i] = !on[i];
                        return FormEvent::Changed;
                    }
                    _ => return FormEvent::Ignored,
                }
                // Moving along the options changes the note (the ground's words).
                FormEvent::Changed
            }
        }
    }

    /// The screen rows each visible field takes: its input, and a line for
    /// its note or error if it has one.
    fn heights(&self, width: u16, label_w: u16, full_w: u16) -> Vec<(usize, u16)> {
        self.fields
            .iter()
            .enumerate()
            .filter(|(_, f)| !f.hidden)
            .map(|(i, f)| {
                (
                    i,
                    f.input.rows_at(width)
                        + note_lines(f, width).len() as u16
                        + label_above(f, label_w, full_w).len() as u16,
                )
            })
            .collect()
    }

    pub fn draw(&self, f: &mut Frame, area: Rect, theme: &Theme) {
        f.render_widget(Clear, area);
        // The title on the border, or when it does not fit there, wrapped
        // whole in the first lines (issue 17: titles were cut).
        // Wrapped between words only: a case number ("ABK-2025-000007")
        // is never split at its hyphens. The first line goes on the border
        // (a line of the form saved), the rest inside.
        let opts = |w: usize| {
            textwrap::Options::new(w.max(1))
                .word_splitter(textwrap::WordSplitter::NoHyphenation)
                .break_words(false)
        };
        let on_border = usize::from(area.width).saturating_sub(4);
        let first: Vec<String> = textwrap::wrap(&self.title, opts(on_border))
            .into_iter()
            .map(|l| l.into_owned())
            .collect();
        let title_fits = first.len() <= 1;
        let rest_title: String = if title_fits || crate::rules::text::width(&first[0]) > on_border {
            String::new()
        } else {
            self.title
                .strip_prefix(first[0].as_str())
                .unwrap_or(&self.title)
                .trim()
                .to_string()
        };
        let block = match first.first() {
            Some(t) if title_fits || !rest_title.is_empty() => theme
                .block()
                .title(Line::from(format!(" {t} ")).style(theme.header())),
            _ => theme.block(),
        };
        let inner = block.inner(area);
        f.render_widget(block, area);
        if inner.width < 10 || inner.height < 3 {
            return;
        }
        let mut y = inner.y;
        let bottom = inner.y + inner.height;
        if !title_fits {
            let shown = if rest_title.is_empty() {
                self.title.as_str()
            } else {
                rest_title.as_str()
            };
            for l in textwrap::wrap(shown, opts(inner.width as usize))
                .iter()
                .take(3)
            {
                f.render_widget(
                    Paragraph::new(l.to_string()).style(theme.header()),
                    Rect::new(inner.x, y, inner.width, 1),
                );
                y += 1;
            }
        }
        if let Some(b) = &self.banner {
            let lines = textwrap::wrap(b, inner.width as usize);
            for l in lines.iter().take(3) {
                if y + 3 >= bottom {
                    break;
                }
                f.render_widget(
                    Paragraph::new(l.to_string()).style(Style::new().add_modifier(Modifier::BOLD)),
                    Rect::new(inner.x, y, inner.width, 1),
                );
                y += 1;
            }
        }
        let label_w = self
            .fields
            .iter()
            .filter(|f| !f.hidden)
            .map(|f| crate::rules::text::width(&f.label))
            .max()
            .unwrap_or(8)
            .min((inner.width as usize / 3).max(8)) as u16
            + 3;
        let input_x = inner.x + label_w;
        let input_w = inner.width.saturating_sub(label_w);
        // Two rows stay for the save button and the keys line.
        let room = bottom.saturating_sub(y).saturating_sub(2);
        let heights = self.heights(input_w, label_w, inner.width);
        // Scroll so that the focused field is on screen: skip fields from the
        // top while the ones before it and it do not fit.
        let mut skip = 0usize;
        let focus_at = heights
            .iter()
            .position(|(i, _)| *i >= self.focus)
            .unwrap_or(heights.len());
        let mut before: u16 = heights[..focus_at].iter().map(|(_, h)| h).sum();
        let focus_h = heights.get(focus_at).map_or(0, |(_, h)| *h);
        while skip < focus_at && before + focus_h > room {
            before = before.saturating_sub(heights[skip].1);
            skip += 1;
        }
        let end = bottom.saturating_sub(2);
        for (i, _) in heights.iter().skip(skip) {
            if y >= end {
                break;
            }
            let field = &self.fields[*i];
            let focused = *i == self.focus;
            let marker = if focused {
                if theme.ascii { ">" } else { "›" }
            } else {
                " "
            };
            let label_style = if focused {
                theme.header()
            } else {
                Style::new()
            };
            let flag = if field.error.is_some() { " !" } else { "" };
            // A label wider than the labels' column goes whole on its own
            // lines above the input, never cut.
            let above = label_above(field, label_w, inner.width);
            if above.is_empty() {
                f.render_widget(
                    Line::from(vec![
                        Span::raw(marker),
                        Span::styled(field.label.clone(), label_style),
                        Span::raw(flag),
                    ]),
                    Rect::new(inner.x, y, label_w, 1),
                );
            } else {
                let n = above.len();
                for (k, l) in above.into_iter().enumerate() {
                    if y >= end {
                        break;
                    }
                    f.render_widget(
                        Line::from(vec![
                            Span::raw(if k == 0 { marker } else { " " }),
                            Span::styled(l, label_style),
                            Span::raw(if k + 1 == n { flag } else { "" }),
                        ]),
                        Rect::new(inner.x, y, inner.width, 1),
                    );
                    y += 1;
                }
                if y >= end {
                    break;
                }
            }
            // A field taller than the room left is drawn as far as it goes.
            let rows = field.input.rows_at(input_w).min(end - y);
            let at = Rect::new(input_x, y, input_w, rows);
            draw_input(f, at, &field.input, focused, theme);
            y += rows;
            let style = if field.error.is_some() {
                theme.state(crate::rules::ClockState::Overdue)
            } else {
                theme.dim()
            };
            for line in note_lines(field, input_w) {
                if y >= end {
                    break;
                }
                f.render_widget(
                    Paragraph::new(line).style(style),
                    Rect::new(input_x, y, input_w, 1),
                );
                y += 1;
            }
        }
        let button_y = bottom.saturating_sub(2).max(y);
        if button_y < bottom {
            let label = format!("[ {} ]", self.submit_label);
            let style = if self.focus >= self.fields.len() {
                theme.selected().add_modifier(Modifier::BOLD)
            } else {
                theme.header()
            };
            f.render_widget(
                Line::from(Span::styled(label, style)),
                Rect::new(input_x, button_y, input_w, 1),
            );
        }
        if button_y + 1 < bottom {
            f.render_widget(
                Paragraph::new(super::panes::whole_words(
                    &self.keys_hint,
                    usize::from(inner.width),
                ))
                .style(theme.dim()),
                Rect::new(inner.x, button_y + 1, inner.width, 1),
            );
        }
    }
}

/// The error (else the note) under a field, wrapped to at most two lines.
fn note_lines(field: &Field, width: u16) -> Vec<String> {
    let Some(text) = field.error.as_ref().or(field.note.as_ref()) else {
        return Vec::new();
    };
    // Whole: a note is the law's words (a refusal ground's wording, a
    // term); issue 17 found the operative words cut after two lines.
    let width = (width as usize).max(8);
    textwrap::wrap(text, width)
        .into_iter()
        .map(|l| l.into_owned())
        .collect()
}

/// A label too wide for the labels' column (`label_w` with its marker and
/// flag), wrapped over the form's width; empty when it fits beside.
fn label_above(field: &Field, label_w: u16, full_w: u16) -> Vec<String> {
    let flag = if field.error.is_some() { 2 } else { 0 };
    if crate::rules::text::width(&field.label) + 1 + flag <= usize::from(label_w) {
        return Vec::new();
    }
    textwrap::wrap(&field.label, usize::from(full_w.saturating_sub(3)).max(8))
        .into_iter()
        .map(|l| l.into_owned())
        .collect()
}

/// A text area's cursor and text style, focused or not.
fn text_styles(focused: bool) -> (Style, Style) {
    if focused {
        (
            Style::new().add_modifier(Modifier::REVERSED),
            Style::new().add_modifier(Modifier::UNDERLINED),
        )
    } else {
        (Style::new(), Style::new())
    }
}

fn draw_input(f: &mut Frame, at: Rect, input: &Input, focused: bool, theme: &Theme) {
    match input {
        Input::Line(t) | Input::Secret(t) | Input::Text(t, _) => {
            let (cursor, style) = text_styles(focused);
            if t.cursor_style() == cursor && t.style() == style {
                f.render_widget(t, at);
            } else {
                // Focus set from outside without `restyle`: a styled copy.
                let mut t = t.clone();
                t.set_cursor_style(cursor);
                t.set_style(style);
                f.render_widget(&t, at);
            }
        }
        Input::Choice { options, at: sel } => {
            let mut spans = Vec::new();
            for (i, o) in options.iter().enumerate() {
                let on = i == *sel;
                let mark = match (on, theme.ascii) {
                    (true, true) => "(*) ",
                    (true, false) => "(•) ",
                    (false, _) => "( ) ",
                };
                let style = if on && focused {
                    theme.selected()
                } else if on {
                    theme.header()
                } else {
                    Style::new()
                };
                spans.push(Span::styled(format!("{mark}{}", o.label), style));
                spans.push(Span::raw("  "));
            }
            // Wider than the field (four complaint bodies in kk at 80
            // columns): the options before the chosen one give way, so the
            // chosen one is always seen; `‹` says some are to the left.
            let widths: Vec<usize> = spans
                .chunks(2)
                .map(|c| c.iter().map(Span::width).sum())
                .collect();
            let room = at.width as usize;
            let sel = (*sel).min(widths.len().saturating_sub(1));
            let mut start = 0;
            while start < sel
                && widths[start..=sel].iter().sum::<usize>() + if start > 0 { 2 } else { 0 } > room
            {
                start += 1;
            }
            let mut shown = Vec::with_capacity(spans.len() + 1);
            if start > 0 {
                shown.push(Span::raw("‹ "));
            }
            shown.extend(spans.into_iter().skip(start * 2));
            f.render_widget(Line::from(shown), at);
        }
        Input::Checks {
            options,
            on,
            at: cur,
        } => {
            // Wrapped, each option whole; the lines that do not fit the
            // room start late enough that the cursor's option shows.
            let lines = check_lines(options, at.width);
            let cur_line = lines.iter().position(|l| l.contains(cur)).unwrap_or(0);
            let skip = (cur_line + 1).saturating_sub(usize::from(at.height.max(1)));
            for (k, line) in lines
                .iter()
                .skip(skip)
                .take(usize::from(at.height))
                .enumerate()
            {
                let mut spans = Vec::new();
                for &i in line {
                    let mark = if on.get(i).copied().unwrap_or(false) {
                        "[x]"
                    } else {
                        "[ ]"
                    };
                    let style = if focused && i == *cur {
                        theme.selected()
                    } else {
                        Style::new()
                    };
                    spans.push(Span::styled(format!("{mark} {}", options[i].label), style));
                    spans.push(Span::raw(" "));
                }
                f.render_widget(
                    Line::from(spans),
                    Rect::new(at.x, at.y + k as u16, at.width, 1),
                );
            }
        }
    }
}

/// The options of a [`Input::Checks`] on each line `w` columns wide
/// (`[ ] label` and a space each; an option wider than the line alone).
fn check_lines(options: &[Opt], w: u16) -> Vec<Vec<usize>> {
    let w = usize::from(w);
    let mut lines: Vec<Vec<usize>> = Vec::new();
    let mut used = 0;
    for (i, o) in options.iter().enumerate() {
        let ow = 4 + crate::rules::text::width(&o.label);
        match lines.last_mut() {
            Some(l) if used + 1 + ow <= w => {
                l.push(i);
                used += 1 + ow;
            }
            _ => {
                lines.push(vec![i]);
                used = ow;
            }
        }
    }
    lines
}

/// A date as clerks type it: `28.03.2024` (also `28.3.2024`, `2024-03-28`).
pub fn parse_date(s: &str) -> Option<NaiveDate> {
    let s = s.trim();
    NaiveDate::parse_from_str(s, "%d.%m.%Y")
        .or_else(|_| NaiveDate::parse_from_str(s, "%Y-%m-%d"))
        .ok()
}

/// A time of day: `10:00`, `9:30`.
pub fn parse_time(s: &str) -> Option<NaiveTime> {
    NaiveTime::parse_from_str(s.trim(), "%H:%M").ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn key(code: KeyCode) -> KeyEvent {
        KeyEvent::new(code, KeyModifiers::NONE)
    }

    fn form() -> Form {
        let mut hidden = Field::new("hidden", "Hidden".into(), Input::line(""));
        hidden.hidden = true;
        Form::new(
            "Test".into(),
            vec![
                Field::new(
                    "grounds",
                    "Grounds".into(),
                    Input::checks(
                        (1..=3)
                            .map(|i| Opt::new(i.to_string(), i.to_string()))
                            .collect(),
                        &["2".to_string()],
                    ),
                ),
                hidden,
                Field::new("reason", "Reason".into(), Input::text("", 3)),
                Field::new("on", "On".into(), Input::line("01.02.2025")),
            ],
            "Save".into(),
            "Ctrl-S save".into(),
        )
    }

    #[test]
    fn tab_skips_hidden_fields_and_reaches_the_button() {
        let mut f = form();
        assert_eq!(f.focused_id(), Some("grounds"));
        assert_eq!(f.key(key(KeyCode::Tab)), FormEvent::Left(0));
        assert_eq!(f.focused_id(), Some("reason"));
        f.key(key(KeyCode::Tab));
        assert_eq!(f.focused_id(), Some("on"));
        f.key(key(KeyCode::Tab));
        assert_eq!(f.focus, f.fields.len(), "the save button");
        assert_eq!(f.key(key(KeyCode::Enter)), FormEvent::Submit);
        f.key(key(KeyCode::BackTab));
        assert_eq!(f.focused_id(), Some("on"));
    }

    #[test]
    fn digits_tick_grounds_and_text_keeps_lines() {
        let mut f = form();
        f.key(key(KeyCode::Char('3')));
        assert_eq!(f.value("grounds"), "2,3");
        f.key(key(KeyCode::Char(' ')));
        assert_eq!(
            f.value("grounds"),
            "2",
            "space unticks the one under the cursor"
        );
        f.key(key(KeyCode::Tab));
        for c in "first".chars() {
            f.key(key(KeyCode::Char(c)));
        }
        f.key(key(KeyCode::Enter));
        f.paste("second\r\nthird");
        assert_eq!(f.value("reason"), "first\nsecond\nthird");
        assert_eq!(
            f.key(KeyEvent::new(KeyCode::Char('s'), KeyModifiers::CONTROL)),
            FormEvent::Submit
        );
        assert_eq!(f.key(key(KeyCode::Esc)), FormEvent::Cancel);
    }

    #[test]
    fn dates_and_times_as_clerks_type_them() {
        assert_eq!(
            parse_date(" 5.1.2025 "),
            NaiveDate::from_ymd_opt(2025, 1, 5)
        );
        assert_eq!(
            parse_date("2025-01-05"),
            NaiveDate::from_ymd_opt(2025, 1, 5)
        );
        assert_eq!(parse_date("31.02.2025"), None);
        assert_eq!(parse_time("9:30"), NaiveTime::from_hms_opt(9, 30, 0));
        assert_eq!(parse_time("25:00"), None);
    }
}
