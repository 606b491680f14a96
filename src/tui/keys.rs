//! One keymap for the whole console: the footer hints, the `?` overlay and the
//! README's key table are all drawn from [`KEYMAP`]. Keys act by position on
//! the Kazakh and Russian layouts too (`data/keyboard/layouts.tsv`, generated
//! from xkb-data by `tools/gen_keyboard.py`).

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
    // The Kazakh layout's key 6 types `,`, which a US key types too (so the
    // layout mapping leaves it): bound here, or pane 6 had no key there.
    Binding {
        keys: &[Char('6'), Char(',')],
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
        keys: &[Char('?')],
        label: "?",
        cmd: Cmd::Help,
        help: "key-help",
        hint: Some("hint-help"),
        scope: Scope::Everywhere,
    },
    Binding {
        keys: &[Char('q')],
        label: "q",
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

/// The keymap's key for a terminal key event (layout-mapped), if any.
pub fn key_of(ev: &KeyEvent) -> Option<Key> {
    if ev
        .modifiers
        .intersects(KeyModifiers::CONTROL | KeyModifiers::ALT)
    {
        return None;
    }
    Some(match ev.code {
        KeyCode::Char(c) => Char(layout_map().get(&c).copied().unwrap_or(c)),
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
