//! What a frame sends down the wire. A ratatui backend that remembers the
//! terminal's state between frames — its pen (colours and attributes), where
//! its cursor stands, whether the cursor is shown — and writes only what a
//! change needs:
//!
//! - no fixed tail: the pen is not reset at the end of every frame (ratatui's
//!   own backend sends 19 bytes of colour resets per frame); an attribute is
//!   set when a cell needs it, by the shorter of a difference or a reset;
//! - the cursor is hidden once, not per frame;
//! - a move takes the shortest of an absolute position, a relative step or a
//!   carriage return (and nothing when the cursor is already there);
//! - a frame with nothing to change sends nothing at all — no
//!   synchronized-update pair around an empty frame. A frame that does change
//!   something is wrapped in synchronized-update escapes (`?2026`), so the
//!   terminal shows it whole.
//!
//! Everything a frame writes is gathered and written at [`Backend::flush`],
//! the end of ratatui's `Terminal::draw`.

use std::io::{self, Write};

use ratatui::backend::{Backend, ClearType, WindowSize};
use ratatui::buffer::Cell;
use ratatui::layout::{Position, Size};
use ratatui::style::{Color, Modifier};
use unicode_width::UnicodeWidthStr;

/// Synchronized update (mode 2026): begin, end.
pub const BEGIN_SYNC: &[u8] = b"\x1b[?2026h";
pub const END_SYNC: &[u8] = b"\x1b[?2026l";

/// The terminal's graphic rendition: what the next printed cell looks like.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct Pen {
    fg: Color,
    bg: Color,
    underline: Color,
    modifier: Modifier,
}

impl Pen {
    const DEFAULT: Pen = Pen {
        fg: Color::Reset,
        bg: Color::Reset,
        underline: Color::Reset,
        modifier: Modifier::empty(),
    };

    fn of(cell: &Cell) -> Pen {
        Pen {
            fg: cell.fg,
            bg: cell.bg,
            underline: cell.underline_color,
            modifier: cell.modifier,
        }
    }
}

/// A ratatui backend writing to `out` (the terminal), sending only changes.
pub struct Wire<W: Write> {
    out: W,
    /// This frame's bytes, written at `flush`.
    buf: Vec<u8>,
    /// The terminal's pen; `None` until the first attribute is set (whatever
    /// the shell left is reset then).
    pen: Option<Pen>,
    /// Where the terminal's cursor stands, when known (not after a wide
    /// character or the last column, where terminals differ).
    at: Option<(u16, u16)>,
    /// Whether the cursor is shown, when known.
    shown: Option<bool>,
    /// The area drawn (the console's, within its cap).
    size: Size,
}

impl<W: Write> Wire<W> {
    /// A wire to a terminal of `size` whose state is not known yet.
    pub fn new(out: W, size: Size) -> Wire<W> {
        Wire {
            out,
            buf: Vec::with_capacity(16 * 1024),
            pen: None,
            at: None,
            shown: None,
            size,
        }
    }

    /// The terminal was resized: the area drawn is now `size`. Where the
    /// cursor stands is forgotten (a terminal may move it as it reflows).
    pub fn resized(&mut self, size: Size) {
        self.size = size;
        self.at = None;
    }

    /// The terminal's output (for tests reading back what was sent).
    pub fn get_ref(&self) -> &W {
        &self.out
    }

    pub fn get_mut(&mut self) -> &mut W {
        &mut self.out
    }

    /// Moves the cursor to `(x, y)` (0-based) by the shortest sequence.
    fn move_to(&mut self, x: u16, y: u16) {
        if self.at == Some((x, y)) {
            return;
        }
        let mut absolute = Vec::with_capacity(12);
        cup(&mut absolute, x, y);
        if let Some((ax, ay)) = self.at {
            let mut rel = Vec::with_capacity(12);
            vertical(&mut rel, ay, y);
            horizontal(&mut rel, ax, x);
            if rel.len() < absolute.len() {
                absolute = rel;
            }
        }
        self.buf.extend_from_slice(&absolute);
        self.at = Some((x, y));
    }

    /// Sets the pen to `to` by the shorter of a difference and a reset.
    fn set_pen(&mut self, to: Pen) {
        if self.pen == Some(to) {
            return;
        }
        let mut reset = vec![0u16];
        pen_params(&mut reset, Pen::DEFAULT, to);
        let params = match self.pen {
            Some(from) => {
                let mut diff = Vec::new();
                pen_params(&mut diff, from, to);
                if sgr_len(&diff) <= sgr_len(&reset) {
                    diff
                } else {
                    reset
                }
            }
            None => reset,
        };
        write_sgr(&mut self.buf, &params);
        self.pen = Some(to);
    }

    fn print(&mut self, x: u16, y: u16, symbol: &str) {
        self.buf.extend_from_slice(symbol.as_bytes());
        let one = match symbol.as_bytes() {
            [b] => (0x20..0x7f).contains(b),
            _ => symbol.width() == 1,
        };
        // Past the last column the cursor waits to wrap, and terminals
        // disagree about wide characters: the next cell is positioned afresh.
        self.at = (one && x + 1 < self.size.width).then_some((x + 1, y));
    }

    /// Resets the pen before clearing: a clear paints with the current
    /// background.
    fn plain_pen(&mut self) {
        if self.pen != Some(Pen::DEFAULT) {
            self.buf.extend_from_slice(b"\x1b[m");
            self.pen = Some(Pen::DEFAULT);
        }
    }
}

/// `CSI row ; col H`, the shortest spelling.
fn cup(out: &mut Vec<u8>, x: u16, y: u16) {
    match (x, y) {
        (0, 0) => out.extend_from_slice(b"\x1b[H"),
        (0, y) => {
            let _ = write!(out, "\x1b[{}H", y + 1);
        }
        (x, y) => {
            let _ = write!(out, "\x1b[{};{}H", y + 1, x + 1);
        }
    }
}

fn csi_n(out: &mut Vec<u8>, n: u16, end: char) {
    if n == 1 {
        let _ = write!(out, "\x1b[{end}");
    } else {
        let _ = write!(out, "\x1b[{n}{end}");
    }
}

/// A move between rows that keeps the column: line feed (one down), up or
/// down by n, or to the row.
fn vertical(out: &mut Vec<u8>, from: u16, to: u16) {
    if from == to {
        return;
    }
    if to == from + 1 {
        out.push(b'\n');
    } else if to > from {
        let mut a = Vec::new();
        csi_n(&mut a, to - from, 'B');
        let mut b = Vec::new();
        csi_n(&mut b, to + 1, 'd');
        out.extend_from_slice(if a.len() <= b.len() { &a } else { &b });
    } else {
        let mut a = Vec::new();
        csi_n(&mut a, from - to, 'A');
        let mut b = Vec::new();
        csi_n(&mut b, to + 1, 'd');
        out.extend_from_slice(if a.len() <= b.len() { &a } else { &b });
    }
}

/// A move within a row: carriage return (to the first column, and from there
/// forward), forward or back by n, or to the column.
fn horizontal(out: &mut Vec<u8>, from: u16, to: u16) {
    if from == to {
        return;
    }
    let mut best = Vec::new();
    csi_n(&mut best, to + 1, 'G');
    let mut step = Vec::new();
    if to > from {
        csi_n(&mut step, to - from, 'C');
    } else {
        csi_n(&mut step, from - to, 'D');
    }
    let mut cr = vec![b'\r'];
    if to > 0 {
        csi_n(&mut cr, to, 'C');
    }
    for c in [step, cr] {
        if c.len() < best.len() {
            best = c;
        }
    }
    out.extend_from_slice(&best);
}

/// The SGR parameters that take the pen `from` to `to`.
fn pen_params(p: &mut Vec<u16>, from: Pen, to: Pen) {
    let gone = from.modifier - to.modifier;
    let mut add = to.modifier - from.modifier;
    // 22 ends both bold and faint: the one kept is set again.
    if gone.intersects(Modifier::BOLD | Modifier::DIM) {
        p.push(22);
        add |= to.modifier & (Modifier::BOLD | Modifier::DIM);
    }
    if gone.contains(Modifier::ITALIC) {
        p.push(23);
    }
    if gone.contains(Modifier::UNDERLINED) {
        p.push(24);
    }
    // 25 ends both blinks.
    if gone.intersects(Modifier::SLOW_BLINK | Modifier::RAPID_BLINK) {
        p.push(25);
        add |= to.modifier & (Modifier::SLOW_BLINK | Modifier::RAPID_BLINK);
    }
    if gone.contains(Modifier::REVERSED) {
        p.push(27);
    }
    if gone.contains(Modifier::HIDDEN) {
        p.push(28);
    }
    if gone.contains(Modifier::CROSSED_OUT) {
        p.push(29);
    }
    for (m, code) in [
        (Modifier::BOLD, 1),
        (Modifier::DIM, 2),
        (Modifier::ITALIC, 3),
        (Modifier::UNDERLINED, 4),
        (Modifier::SLOW_BLINK, 5),
        (Modifier::RAPID_BLINK, 6),
        (Modifier::REVERSED, 7),
        (Modifier::HIDDEN, 8),
        (Modifier::CROSSED_OUT, 9),
    ] {
        if add.contains(m) {
            p.push(code);
        }
    }
    if from.fg != to.fg {
        colour(p, to.fg, 30);
    }
    if from.bg != to.bg {
        colour(p, to.bg, 40);
    }
    if from.underline != to.underline {
        colour(p, to.underline, 50);
    }
}

/// A colour's parameters: `base` is 30 (foreground), 40 (background) or 50
/// (underline, which has no 16-colour form).
fn colour(p: &mut Vec<u16>, c: Color, base: u16) {
    let named = |i: u16| -> Option<u16> {
        match (base, i) {
            (50, _) => None,
            (_, 0..=7) => Some(base + i),
            (_, _) => Some(base + 60 + i - 8),
        }
    };
    let index = match c {
        Color::Reset => {
            p.push(base + 9);
            return;
        }
        Color::Black => 0,
        Color::Red => 1,
        Color::Green => 2,
        Color::Yellow => 3,
        Color::Blue => 4,
        Color::Magenta => 5,
        Color::Cyan => 6,
        Color::Gray => 7,
        Color::DarkGray => 8,
        Color::LightRed => 9,
        Color::LightGreen => 10,
        Color::LightYellow => 11,
        Color::LightBlue => 12,
        Color::LightMagenta => 13,
        Color::LightCyan => 14,
        Color::White => 15,
        Color::Indexed(i) => {
            p.extend([base + 8, 5, u16::from(i)]);
            return;
        }
        Color::Rgb(r, g, b) => {
            p.extend([base + 8, 2, u16::from(r), u16::from(g), u16::from(b)]);
            return;
        }
    };
    match named(index) {
        Some(code) => p.push(code),
        None => p.extend([base + 8, 5, index]),
    }
}

fn sgr_len(p: &[u16]) -> usize {
    let mut v = Vec::new();
    write_sgr(&mut v, p);
    v.len()
}

/// `CSI params m`; a lone reset as `CSI m`.
fn write_sgr(out: &mut Vec<u8>, p: &[u16]) {
    if p.is_empty() {
        return;
    }
    out.extend_from_slice(b"\x1b[");
    if p != [0] {
        for (i, n) in p.iter().enumerate() {
            if i > 0 {
                out.push(b';');
            }
            let _ = write!(out, "{n}");
        }
    }
    out.push(b'm');
}

impl<W: Write> Backend for Wire<W> {
    type Error = io::Error;

    fn draw<'a, I>(&mut self, content: I) -> io::Result<()>
    where
        I: Iterator<Item = (u16, u16, &'a Cell)>,
    {
        for (x, y, cell) in content {
            self.move_to(x, y);
            self.set_pen(Pen::of(cell));
            self.print(x, y, cell.symbol());
        }
        Ok(())
    }

    fn append_lines(&mut self, n: u16) -> io::Result<()> {
        for _ in 0..n {
            self.buf.push(b'\n');
        }
        self.at = None;
        Ok(())
    }

    fn hide_cursor(&mut self) -> io::Result<()> {
        if self.shown != Some(false) {
            self.buf.extend_from_slice(b"\x1b[?25l");
            self.shown = Some(false);
        }
        Ok(())
    }

    fn show_cursor(&mut self) -> io::Result<()> {
        if self.shown != Some(true) {
            self.buf.extend_from_slice(b"\x1b[?25h");
            self.shown = Some(true);
        }
        Ok(())
    }

    /// Where the cursor was left (never asked of the terminal: a round trip
    /// on a slow link).
    fn get_cursor_position(&mut self) -> io::Result<Position> {
        let (x, y) = self.at.unwrap_or((0, 0));
        Ok(Position { x, y })
    }

    fn set_cursor_position<P: Into<Position>>(&mut self, position: P) -> io::Result<()> {
        let Position { x, y } = position.into();
        self.move_to(x, y);
        Ok(())
    }

    fn clear(&mut self) -> io::Result<()> {
        self.clear_region(ClearType::All)
    }

    fn clear_region(&mut self, clear_type: ClearType) -> io::Result<()> {
        self.plain_pen();
        self.buf.extend_from_slice(match clear_type {
            ClearType::All => b"\x1b[2J",
            ClearType::AfterCursor => b"\x1b[J",
            ClearType::BeforeCursor => b"\x1b[1J",
            ClearType::CurrentLine => b"\x1b[2K",
            ClearType::UntilNewLine => b"\x1b[K",
        });
        Ok(())
    }

    fn size(&self) -> io::Result<Size> {
        Ok(self.size)
    }

    fn window_size(&mut self) -> io::Result<WindowSize> {
        Ok(WindowSize {
            columns_rows: self.size,
            pixels: Size::default(),
        })
    }

    /// Writes the frame, wrapped in synchronized-update escapes — or nothing
    /// at all when it changed nothing.
    fn flush(&mut self) -> io::Result<()> {
        if self.buf.is_empty() {
            return Ok(());
        }
        self.out.write_all(BEGIN_SYNC)?;
        self.out.write_all(&self.buf)?;
        self.out.write_all(END_SYNC)?;
        self.out.flush()?;
        self.buf.clear();
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;
    use ratatui::Terminal;
    use ratatui::buffer::Buffer;
    use ratatui::layout::Rect;
    use ratatui::style::Style;

    fn wire(w: u16, h: u16) -> Terminal<Wire<Vec<u8>>> {
        Terminal::with_options(
            Wire::new(Vec::new(), Size::new(w, h)),
            ratatui::TerminalOptions {
                viewport: ratatui::Viewport::Fixed(Rect::new(0, 0, w, h)),
            },
        )
        .unwrap()
    }

    fn vt_colour(c: Color) -> vt100::Color {
        let idx = |i: u8| vt100::Color::Idx(i);
        match c {
            Color::Reset => vt100::Color::Default,
            Color::Black => idx(0),
            Color::Red => idx(1),
            Color::Green => idx(2),
            Color::Yellow => idx(3),
            Color::Blue => idx(4),
            Color::Magenta => idx(5),
            Color::Cyan => idx(6),
            Color::Gray => idx(7),
            Color::DarkGray => idx(8),
            Color::LightRed => idx(9),
            Color::LightGreen => idx(10),
            Color::LightYellow => idx(11),
            Color::LightBlue => idx(12),
            Color::LightMagenta => idx(13),
            Color::LightCyan => idx(14),
            Color::White => idx(15),
            Color::Indexed(i) => idx(i),
            Color::Rgb(r, g, b) => vt100::Color::Rgb(r, g, b),
        }
    }

    /// The terminal (a vt100 parser fed every byte sent) shows `want`, cell
    /// by cell: symbol, colours, bold, italic, underline, reverse.
    fn assert_shows(screen: &vt100::Screen, want: &Buffer) {
        for y in 0..want.area.height {
            for x in 0..want.area.width {
                let c = &want[(x, y)];
                let got = screen.cell(y, x).unwrap();
                let at = format!("cell ({x}, {y})");
                let blank = |s: &str| {
                    if s == " " {
                        String::new()
                    } else {
                        s.to_string()
                    }
                };
                assert_eq!(blank(got.contents()), blank(c.symbol()), "{at}");
                assert_eq!(got.dim(), c.modifier.contains(Modifier::DIM), "{at}");
                assert_eq!(got.fgcolor(), vt_colour(c.fg), "{at} fg");
                assert_eq!(got.bgcolor(), vt_colour(c.bg), "{at} bg");
                assert_eq!(got.bold(), c.modifier.contains(Modifier::BOLD), "{at}");
                assert_eq!(got.italic(), c.modifier.contains(Modifier::ITALIC), "{at}");
                assert_eq!(
                    got.underline(),
                    c.modifier.contains(Modifier::UNDERLINED),
                    "{at}"
                );
                assert_eq!(
                    got.inverse(),
                    c.modifier.contains(Modifier::REVERSED),
                    "{at}"
                );
            }
        }
    }

    const COLOURS: [Color; 8] = [
        Color::Reset,
        Color::Red,
        Color::Yellow,
        Color::DarkGray,
        Color::LightCyan,
        Color::White,
        Color::Indexed(200),
        Color::Rgb(1, 2, 3),
    ];
    const MODS: [Modifier; 5] = [
        Modifier::BOLD,
        Modifier::DIM,
        Modifier::ITALIC,
        Modifier::UNDERLINED,
        Modifier::REVERSED,
    ];
    const SYMBOLS: [&str; 8] = ["a", " ", "│", "█", "ә", "Z", "─", "·"];

    /// A cell to paint: where, what, how.
    fn paint() -> impl Strategy<Value = (u16, u16, usize, usize, usize, u8)> {
        (
            0u16..20,
            0u16..6,
            0..SYMBOLS.len(),
            0..8usize,
            0..8usize,
            any::<u8>(),
        )
    }

    proptest! {
        #![proptest_config(ProptestConfig { cases: 64, ..ProptestConfig::default() })]
        /// Frame after frame of random changes, the terminal shows exactly
        /// the buffer drawn: the pen and cursor remembered across frames
        /// never leave a cell wrong.
        #[test]
        fn the_terminal_shows_every_frame(frames in proptest::collection::vec(
            proptest::collection::vec(paint(), 0..40), 1..8)) {
            let (w, h) = (20, 6);
            let mut t = wire(w, h);
            let nz = |n| std::num::NonZeroU16::new(n).unwrap();
            let mut vt = vt100::Parser::new(nz(h), nz(w), 0);
            let mut want = Buffer::empty(Rect::new(0, 0, w, h));
            let mut seen = 0;
            for cells in frames {
                for (x, y, s, fg, bg, m) in cells {
                    let mut modifier = Modifier::empty();
                    for (i, md) in MODS.iter().enumerate() {
                        if m & (1 << i) != 0 {
                            modifier |= *md;
                        }
                    }
                    // vt100 holds one intensity (bold or faint), xterm both.
                    if modifier.contains(Modifier::BOLD) {
                        modifier.remove(Modifier::DIM);
                    }
                    let style = Style::new().fg(COLOURS[fg]).bg(COLOURS[bg]).add_modifier(modifier);
                    want[(x, y)].set_symbol(SYMBOLS[s]).set_style(style);
                    // ratatui's `set_style` adds modifiers: take them as drawn.
                    want[(x, y)].modifier = modifier;
                }
                t.draw(|f| *f.buffer_mut() = want.clone()).unwrap();
                let sent = &t.backend().get_ref()[seen..];
                vt.process(sent);
                seen = t.backend().get_ref().len();
                assert_shows(vt.screen(), &want);
            }
        }
    }

    #[test]
    fn an_unchanged_frame_sends_nothing() {
        let mut t = wire(20, 4);
        let draw = |t: &mut Terminal<Wire<Vec<u8>>>, text: &str| {
            t.draw(|f| {
                f.render_widget(
                    ratatui::widgets::Paragraph::new(text.to_string())
                        .style(Style::new().fg(Color::Yellow)),
                    f.area(),
                )
            })
            .unwrap();
            t.backend().get_ref().len()
        };
        let first = draw(&mut t, "abc");
        assert!(first > 0);
        assert_eq!(draw(&mut t, "abc"), first, "the same frame again: no byte");
        let out = t.backend().get_ref().clone();
        let s = String::from_utf8_lossy(&out);
        assert_eq!(
            s.matches("?25l").count(),
            1,
            "the cursor hidden once: {s:?}"
        );
        assert!(s.starts_with("\x1b[?2026h") && s.ends_with("\x1b[?2026l"));
        // One character changed: the move, the character, the wrapping; no
        // colour (the pen is still yellow), no reset, no cursor escape.
        let before = out.len();
        draw(&mut t, "abd");
        let frame = &t.backend().get_ref()[before..];
        // (The last cell drawn was the last column's: the cursor waits to
        // wrap there, so the move is absolute.)
        assert_eq!(frame, b"\x1b[?2026h\x1b[1;3Hd\x1b[?2026l", "{frame:?}");
        let before = t.backend().get_ref().len();
        draw(&mut t, "abe");
        let frame = &t.backend().get_ref()[before..];
        assert_eq!(frame, b"\x1b[?2026h\x1b[De\x1b[?2026l", "{frame:?}");
    }

    #[test]
    fn moves_take_the_shortest_form() {
        let mut b = Wire::new(Vec::new(), Size::new(80, 24));
        b.move_to(10, 5);
        assert_eq!(b.buf, b"\x1b[6;11H");
        b.buf.clear();
        b.move_to(12, 5);
        assert_eq!(b.buf, b"\x1b[2C");
        b.buf.clear();
        b.move_to(0, 6);
        assert_eq!(b.buf, b"\n\r");
        b.buf.clear();
        b.move_to(0, 0);
        assert_eq!(b.buf, b"\x1b[H");
        b.buf.clear();
        b.move_to(0, 0);
        assert!(b.buf.is_empty());
    }

    #[test]
    fn the_pen_changes_by_the_shorter_way() {
        let mut b = Wire::new(Vec::new(), Size::new(80, 24));
        let bold_red = Pen {
            fg: Color::Red,
            modifier: Modifier::BOLD,
            ..Pen::DEFAULT
        };
        b.set_pen(bold_red);
        assert_eq!(b.buf, b"\x1b[0;1;31m", "unknown at first: reset and set");
        b.buf.clear();
        b.set_pen(Pen::DEFAULT);
        assert_eq!(b.buf, b"\x1b[m");
        b.buf.clear();
        b.set_pen(Pen {
            modifier: Modifier::REVERSED,
            ..Pen::DEFAULT
        });
        assert_eq!(b.buf, b"\x1b[7m");
        b.buf.clear();
        let all = Pen {
            modifier: Modifier::REVERSED | Modifier::DIM | Modifier::BOLD,
            ..bold_red
        };
        b.set_pen(all);
        assert_eq!(b.buf, b"\x1b[1;2;31m");
        b.buf.clear();
        b.set_pen(Pen {
            modifier: Modifier::REVERSED | Modifier::DIM,
            ..bold_red
        });
        assert_eq!(b.buf, b"\x1b[22;2m", "22 ends bold and faint; faint again");
        b.buf.clear();
        b.set_pen(Pen {
            modifier: Modifier::DIM,
            ..Pen::DEFAULT
        });
        assert_eq!(b.buf, b"\x1b[0;2m", "a reset is shorter than 27;39");
    }
}
