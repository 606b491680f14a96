//! One keymap for the whole console: the footer hints, the `?` overlay and the
//! README's key table are all drawn from [`KEYMAP`]. Keys act by position on
//! the Kazakh and Russian layouts too (`data/keyboard/layouts.tsv`, generated
//! from xkb-data by `tools/gen_keyboard.py`); the one character that names
//! keys with different acts on the two (`,`) follows the clerk's layout as
//! the console learns it ([`Layout`]; docs/console.md, "Which layout").

use std::collections::HashMap;
use std::sync::OnceLock;

use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};

use super::actions::Act;
use super::state::Pane;

/// What a key does.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Cmd {
    Pane(Pane),
    NextPane,
    PrevPane,
    Help,
    Quit,
    Back,
    Open,
    Down,
    Up,
    PageDown,
    PageUp,
    Top,
    Bottom,
    Filter,
    NextView,
    /// The desk's intake form (`super::intake`).
    Intake,
    NextSection,
    PrevSection,
    /// Opens an act's form (§11–§20).
    Act(Act),
    /// Shows the case's latest signed notice.
    Notice,
    /// Writes the notice on screen to a file.
    WriteNotice,
    /// The register's energy: by region ↔ by data centre.
    Group,
    /// The supervisors' report of terms on the Deadlines pane, and back.
    Terms,
}

/// A key as the keymap names it (after the layout mapping).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Key {
    Char(char),
    Tab,
    BackTab,
    Esc,
    Enter,
    Up,
    Down,
    Left,
    Right,
    PageUp,
    PageDown,
    Home,
    End,
    /// F1 (help) and F10 (quit), as in mc and htop.
    F(u8),
}

/// Where a binding acts.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Scope {
    Everywhere,
    /// Only in these panes.
    Panes(&'static [Pane]),
}

#[derive(Debug, Clone, Copy)]
pub struct Binding {
    pub keys: &'static [Key],
    /// How the keys are written in help, footer and README.
    pub label: &'static str,
    pub cmd: Cmd,
    /// Fluent id of the help line.
    pub help: &'static str,
    /// Fluent id of the short footer hint, if shown in the footer.
    pub hint: Option<&'static str>,
    pub scope: Scope,
}

use Key::*;
use Pane as P;

const LISTS: &[Pane] = &[
    P::Queue,
    P::Hearings,
    P::Complaints,
    P::Monitor,
    P::Detail,
    P::Notice,
    P::Register,
];

pub const KEYMAP: &[Binding] = &[
    Binding {
        keys: &[Char('1')],
        label: "1",
        cmd: Cmd::Pane(P::Queue),
        help: "key-pane-queue",
        hint: None,
        scope: Scope::Everywhere,
    },
    Binding {
        keys: &[Char('2')],
        label: "2",
        cmd: Cmd::Pane(P::Detail),
        help: "key-pane-detail",
        hint: None,
        scope: Scope::Everywhere,
    },
    Binding {
        keys: &[Char('3')],
        label: "3",
        cmd: Cmd::Pane(P::Hearings),
        help: "key-pane-hearings",
        hint: None,
        scope: Scope::Everywhere,
    },
    Binding {
        keys: &[Char('4')],
        label: "4",
        cmd: Cmd::Pane(P::Complaints),
        help: "key-pane-complaints",
        hint: None,
        scope: Scope::Everywhere,
    },
    Binding {
        keys: &[Char('5')],
        label: "5",
        cmd: Cmd::Pane(P::Monitor),
        help: "key-pane-monitor",
        hint: None,
        scope: Scope::Everywhere,
    },
    // The Kazakh layout's key 6 types `,`, as the Russian layout's `?` key
    // does: which one the clerk pressed is the layout's ([`Layout`]).
    Binding {
        keys: &[Char('6')],
        label: "6",
        cmd: Cmd::Pane(P::Register),
        help: "key-pane-register",
        hint: None,
        scope: Scope::Everywhere,
    },
    Binding {
        keys: &[Tab],
        label: "Tab",
        cmd: Cmd::NextPane,
        help: "key-next-pane",
        hint: None,
        scope: Scope::Everywhere,
    },
    Binding {
        keys: &[BackTab],
        label: "Shift-Tab",
        cmd: Cmd::PrevPane,
        help: "key-prev-pane",
        hint: None,
        scope: Scope::Everywhere,
    },
    Binding {
        keys: &[Char('j'), Down],
        label: "j ↓",
        cmd: Cmd::Down,
        help: "key-down",
        hint: Some("hint-move"),
        scope: Scope::Panes(LISTS),
    },
    Binding {
        keys: &[Char('k'), Up],
        label: "k ↑",
        cmd: Cmd::Up,
        help: "key-up",
        hint: None,
        scope: Scope::Panes(LISTS),
    },
    Binding {
        keys: &[PageDown, Char(' ')],
        label: "PgDn Space",
        cmd: Cmd::PageDown,
        help: "key-page-down",
        hint: None,
        scope: Scope::Panes(LISTS),
    },
    Binding {
        keys: &[PageUp],
        label: "PgUp",
        cmd: Cmd::PageUp,
        help: "key-page-up",
        hint: None,
        scope: Scope::Panes(LISTS),
    },
    Binding {
        keys: &[Char('g'), Home],
        label: "g Home",
        cmd: Cmd::Top,
        help: "key-top",
        hint: None,
        scope: Scope::Panes(LISTS),
    },
    Binding {
        keys: &[Char('G'), End],
        label: "G End",
        cmd: Cmd::Bottom,
        help: "key-bottom",
        hint: None,
        scope: Scope::Panes(LISTS),
    },
    Binding {
        keys: &[Enter],
        label: "Enter",
        cmd: Cmd::Open,
        help: "key-open",
        hint: Some("hint-open"),
        scope: Scope::Panes(&[
            P::Queue,
            P::Hearings,
            P::Complaints,
            P::Monitor,
            P::Register,
        ]),
    },
    Binding {
        keys: &[Char('l'), Right],
        label: "l →",
        cmd: Cmd::NextSection,
        help: "key-section-next",
        hint: Some("hint-section"),
        scope: Scope::Panes(&[P::Detail]),
    },
    Binding {
        keys: &[Char('h'), Left],
        label: "h ←",
        cmd: Cmd::PrevSection,
        help: "key-section-prev",
        hint: None,
        scope: Scope::Panes(&[P::Detail]),
    },
    Binding {
        keys: &[Char('/')],
        label: "/",
        cmd: Cmd::Filter,
        help: "key-filter",
        hint: Some("hint-filter"),
        scope: Scope::Panes(&[P::Queue]),
    },
    Binding {
        keys: &[Char('/')],
        label: "/",
        cmd: Cmd::Filter,
        help: "key-list-filter",
        hint: Some("hint-filter"),
        scope: Scope::Panes(&[P::Hearings, P::Complaints, P::Monitor]),
    },
    Binding {
        keys: &[Char('v')],
        label: "v",
        cmd: Cmd::NextView,
        help: "key-view",
        hint: Some("hint-view"),
        scope: Scope::Panes(&[P::Queue]),
    },
    Binding {
        keys: &[Char('p')],
        label: "p",
        cmd: Cmd::Act(Act::NotifyHearing),
        help: "key-act-notify",
        hint: None,
        scope: Scope::Panes(&[P::Detail]),
    },
    Binding {
        keys: &[Char('r')],
        label: "r",
        cmd: Cmd::Act(Act::RecordHearing),
        help: "key-act-record",
        hint: None,
        scope: Scope::Panes(&[P::Detail]),
    },
    Binding {
        keys: &[Char('d')],
        label: "d",
        cmd: Cmd::Act(Act::Decide),
        help: "key-act-decide",
        hint: Some("hint-act"),
        scope: Scope::Panes(&[P::Detail]),
    },
    Binding {
        keys: &[Char('c')],
        label: "c",
        cmd: Cmd::Act(Act::Lodge),
        help: "key-act-lodge",
        hint: None,
        scope: Scope::Panes(&[P::Detail]),
    },
    Binding {
        keys: &[Char('n')],
        label: "n",
        cmd: Cmd::Notice,
        help: "key-notice",
        hint: None,
        scope: Scope::Panes(&[P::Detail]),
    },
    Binding {
        keys: &[Char('a')],
        label: "a",
        cmd: Cmd::Act(Act::Attach),
        help: "key-act-attach",
        hint: None,
        scope: Scope::Panes(&[P::Detail]),
    },
    Binding {
        keys: &[Char('f')],
        label: "f",
        cmd: Cmd::Act(Act::Forward),
        help: "key-act-forward",
        hint: Some("hint-forward"),
        scope: Scope::Panes(&[P::Complaints]),
    },
    Binding {
        keys: &[Char('d')],
        label: "d",
        cmd: Cmd::Act(Act::DecideComplaint),
        help: "key-act-decide-complaint",
        hint: Some("hint-decide-complaint"),
        scope: Scope::Panes(&[P::Complaints]),
    },
    Binding {
        keys: &[Char('w')],
        label: "w",
        cmd: Cmd::WriteNotice,
        help: "key-write-notice",
        hint: Some("hint-write"),
        scope: Scope::Panes(&[P::Notice]),
    },
    Binding {
        keys: &[Char('d')],
        label: "d",
        cmd: Cmd::Act(Act::Deliver),
        help: "key-act-deliver",
        hint: Some("hint-deliver"),
        scope: Scope::Panes(&[P::Notice]),
    },
    Binding {
        keys: &[Char('/')],
        label: "/",
        cmd: Cmd::Filter,
        help: "key-reg-find",
        hint: Some("hint-find"),
        scope: Scope::Panes(&[P::Register]),
    },
    Binding {
        keys: &[Char('v')],
        label: "v",
        cmd: Cmd::NextView,
        help: "key-reg-view",
        hint: Some("hint-view"),
        scope: Scope::Panes(&[P::Register]),
    },
    Binding {
        keys: &[Char('t')],
        label: "t",
        cmd: Cmd::Terms,
        help: "key-mon-terms",
        hint: Some("hint-terms"),
        scope: Scope::Panes(&[P::Monitor]),
    },
    Binding {
        keys: &[Char('t')],
        label: "t",
        cmd: Cmd::Group,
        help: "key-reg-group",
        hint: Some("hint-group"),
        scope: Scope::Panes(&[P::Register]),
    },
    Binding {
        keys: &[Esc],
        label: "Esc",
        cmd: Cmd::Back,
        help: "key-back",
        hint: Some("hint-back"),
        scope: Scope::Panes(&[P::Detail, P::Notice]),
    },
    Binding {
        keys: &[Char('i')],
        label: "i",
        cmd: Cmd::Intake,
        help: "key-intake",
        hint: Some("hint-intake"),
        scope: Scope::Panes(&[P::Queue]),
    },
    Binding {
        keys: &[Char('?'), F(1)],
        label: "? F1",
        cmd: Cmd::Help,
        help: "key-help",
        hint: Some("hint-help"),
        scope: Scope::Everywhere,
    },
    Binding {
        keys: &[Char('q'), F(10)],
        label: "q F10",
        cmd: Cmd::Quit,
        help: "key-quit",
        hint: Some("hint-quit"),
        scope: Scope::Everywhere,
    },
];

impl Scope {
    pub fn includes(self, pane: Pane) -> bool {
        match self {
            Scope::Everywhere => true,
            Scope::Panes(ps) => ps.contains(&pane),
        }
    }
}

/// The layout table: `key us US kz KZ ru RU` per line.
pub const LAYOUTS_TSV: &str = include_str!("../../data/keyboard/layouts.tsv");

fn unescape(s: &str) -> Option<char> {
    let s = if s == "\\\\" { "\\" } else { s };
    let mut it = s.chars();
    let c = it.next()?;
    it.next().is_none().then_some(c)
}

/// The Kazakh or Russian character → the Latin character on the same key.
/// Mapped: every non-ASCII character the layouts type (Cyrillic letters,
/// `№`), and the ASCII ones a Kazakh or Russian key types on its first level
/// where the US key types something else and that character is not typed by
/// a US key on its first level (the Kazakh digit row's `"` is key 1). Level-1
/// mappings win over level-2 ones.
pub fn layout_map() -> &'static HashMap<char, char> {
    static MAP: OnceLock<HashMap<char, char>> = OnceLock::new();
    MAP.get_or_init(|| {
        let rows: Vec<Vec<Option<char>>> = LAYOUTS_TSV
            .lines()
            .filter(|l| !l.starts_with('#') && !l.is_empty())
            .map(|l| l.split('\t').skip(1).map(unescape).collect())
            .collect();
        let us_plain: Vec<char> = rows.iter().filter_map(|r| r[0]).collect();
        let mut map = HashMap::new();
        for level in 0..2 {
            for r in &rows {
                let Some(latin) = r[level] else { continue };
                for col in [2 + level, 4 + level] {
                    let Some(c) = r.get(col).copied().flatten() else {
                        continue;
                    };
                    let ascii_ok = level == 0 && c != latin && !us_plain.contains(&c);
                    if (!c.is_ascii() || ascii_ok) && c != latin {
                        map.entry(c).or_insert(latin);
                    }
                }
            }
        }
        map
    })
}

/// The Cyrillic layout the clerk types on, where it matters: one character
/// names different keys on the two (`,` is key 6 on the Kazakh layout, the
/// `?` key on the Russian one). Guessed from the console's language at start
/// and learnt from what the clerk types ([`Layout::learn`]; docs/console.md).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Layout {
    #[default]
    Kazakh,
    Russian,
}

impl Layout {
    /// The first guess: Kazakh for a Kazakh console, else Russian.
    pub fn for_lang(code: &str) -> Layout {
        if code == "kk" {
            Layout::Kazakh
        } else {
            Layout::Russian
        }
    }

    /// Learns from a character typed: a letter only the Kazakh layout types
    /// (ә і ң ғ ү ұ қ ө һ) says Kazakh; `ё`, or a digit of the main row typed
    /// as a command (`hotkey`; the Kazakh layout types letters there, digits
    /// only on the keypad), says Russian. Anything else leaves the guess.
    pub fn learn(&mut self, c: char, hotkey: bool) {
        if "әіңғүұқөһӘІҢҒҮҰҚӨҺ".contains(c) {
            *self = Layout::Kazakh;
        } else if c == 'ё' || c == 'Ё' || (hotkey && c.is_ascii_digit()) {
            *self = Layout::Russian;
        }
    }
}

/// Whether a character is itself a key of the keymap (it then always means
/// that key, on any layout: `?`, `/`, `1`, `j`).
fn bound(c: char) -> bool {
    KEYMAP.iter().any(|b| b.keys.contains(&Char(c)))
}

/// The Latin character on the key that types `c` on `layout`, as the
/// keymap reads it: a character that is itself a key of the keymap means
/// that key; else the keys that type it on the Kazakh or Russian layout
/// (first level first), preferring one whose Latin character is bound, and
/// where both layouts' keys are bound (only `,`) the clerk's layout's.
pub fn latin_on(c: char, layout: Layout) -> char {
    if bound(c) {
        return c;
    }
    static TYPED: OnceLock<HashMap<char, Vec<(Layout, char)>>> = OnceLock::new();
    // (layout, Latin) of every key and level typing a character, first level first.
    let table = TYPED.get_or_init(|| {
        let rows: Vec<Vec<Option<char>>> = LAYOUTS_TSV
            .lines()
            .filter(|l| !l.starts_with('#') && !l.is_empty())
            .map(|l| l.split('\t').skip(1).map(unescape).collect())
            .collect();
        let mut m: HashMap<char, Vec<(Layout, char)>> = HashMap::new();
        for level in 0..2 {
            for r in &rows {
                let Some(latin) = r.get(level).copied().flatten() else {
                    continue;
                };
                for (col, lay) in [(2 + level, Layout::Kazakh), (4 + level, Layout::Russian)] {
                    if let Some(t) = r.get(col).copied().flatten()
                        && t != latin
                    {
                        m.entry(t).or_default().push((lay, latin));
                    }
                }
            }
        }
        m
    });
    let Some(typed) = table.get(&c) else {
        return c;
    };
    let pick = |want: &dyn Fn(&(Layout, char)) -> bool| {
        typed
            .iter()
            .filter(|t| want(t))
            .find(|t| t.0 == layout)
            .or_else(|| typed.iter().find(|t| want(t)))
            .map(|t| t.1)
    };
    pick(&|t| bound(t.1))
        .or_else(|| pick(&|_| true).filter(|_| !c.is_ascii()))
        .unwrap_or(c)
}

/// The keymap's key for a terminal key event on the Kazakh layout (see
/// [`key_on`]), if any.
pub fn key_of(ev: &KeyEvent) -> Option<Key> {
    key_on(ev, Layout::Kazakh)
}

/// The keymap's key for a terminal key event typed on `layout` (mapped by
/// position, [`latin_on`]), if any.
pub fn key_on(ev: &KeyEvent, layout: Layout) -> Option<Key> {
    if ev
        .modifiers
        .intersects(KeyModifiers::CONTROL | KeyModifiers::ALT)
    {
        return None;
    }
    Some(match ev.code {
        KeyCode::Char(c) => Char(latin_on(c, layout)),
        KeyCode::F(n @ (1 | 10)) => F(n),
        KeyCode::Tab => Tab,
        KeyCode::BackTab => BackTab,
        KeyCode::Esc => Esc,
        KeyCode::Enter => Enter,
        KeyCode::Up => Up,
        KeyCode::Down => Down,
        KeyCode::Left => Left,
        KeyCode::Right => Right,
        KeyCode::PageUp => PageUp,
        KeyCode::PageDown => PageDown,
        KeyCode::Home => Home,
        KeyCode::End => End,
        _ => return None,
    })
}

/// The command a key has in a pane.
pub fn command(key: Key, pane: Pane) -> Option<Cmd> {
    KEYMAP
        .iter()
        .find(|b| b.keys.contains(&key) && b.scope.includes(pane))
        .map(|b| b.cmd)
}

/// The README's key table (English), generated so that it cannot drift.
pub fn markdown_table(tr: &crate::i18n::Tr) -> String {
    let mut s = String::from("| key | what it does | where |\n|---|---|---|\n");
    for b in KEYMAP {
        let wher = match b.scope {
            Scope::Everywhere => "every pane".to_string(),
            Scope::Panes(ps) => ps
                .iter()
                .map(|p| tr.t(p.title_id()))
                .collect::<Vec<_>>()
                .join(", "),
        };
        let label = b.label.replace('|', "\\|");
        s.push_str(&format!("| `{label}` | {} | {wher} |\n", tr.t(b.help)));
    }
    s
}
