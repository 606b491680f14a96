//! Which of a pane's commands are available now (issue 17). Each pane lists
//! its commands — the keymap's bindings in its scope ([`super::keys::KEYMAP`],
//! which also makes the docs' key table) — each with whether it is available
//! for this role, this case, this stage, and if not, why: the footer shows
//! only the available ones, the `?` help lists the others apart, and a key
//! whose command is not available says why in the status line.
//!
//! As gitui's components list their commands, but in this console's Elm
//! shape: the panes' state lives in [`App`], so each pane is one function
//! here over it (`queue`, `detail`, …) rather than an object. The rules of
//! availability are not repeated: a case act asks the workflow's action
//! table (`rules::workflow`, through [`actions::refusal_why`]), a complaint
//! act the complaint table, intake the store's role list.

use super::actions::{self, Act};
use super::keys::{Binding, Cmd, KEYMAP};
use super::state::{App, Pane};
use crate::rules::Role;

/// Why a command is not available now: its catalog key (`msg-role-cannot`,
/// `msg-not-at-stage`, …) and its words in the clerk's language.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Why {
    pub key: &'static str,
    pub text: String,
}

impl Why {
    pub fn new(key: &'static str, text: String) -> Why {
        Why { key, text }
    }

    /// A message without arguments.
    fn said(app: &App, key: &'static str) -> Why {
        Why::new(key, app.tr.t(key))
    }
}

/// One of a pane's commands as it stands now.
#[derive(Debug, Clone)]
pub struct Command {
    pub binding: &'static Binding,
    /// `None` when available; else why not.
    pub why_not: Option<Why>,
}

impl Command {
    pub fn available(&self) -> bool {
        self.why_not.is_none()
    }
}

/// The commands of the pane on screen, in the keymap's order, each with
/// whether it is available now.
pub fn of(app: &App) -> Vec<Command> {
    KEYMAP
        .iter()
        .filter(|b| b.scope.includes(app.pane))
        .map(|b| Command {
            binding: b,
            why_not: why_not(app, b.cmd),
        })
        .collect()
}

/// Why `cmd` is not available on the pane on screen now; `None` if it is.
pub fn why_not(app: &App, cmd: Cmd) -> Option<Why> {
    match app.pane {
        Pane::Queue => queue(app, cmd),
        Pane::Detail => detail(app, cmd),
        Pane::Complaints => complaints(app, cmd),
        Pane::Monitor => monitor(app, cmd),
        Pane::Notice => notice(app, cmd),
        // Lists and views only: every key acts.
        Pane::Hearings | Pane::Register => None,
    }
}

/// Pane 1: intake at the desk is for the roles that register applications.
fn queue(app: &App, cmd: Cmd) -> Option<Why> {
    match cmd {
        Cmd::Intake if !crate::store::services::may::REGISTER.contains(&app.role) => {
            Some(Why::said(app, "intake-not-allowed"))
        }
        _ => None,
    }
}

/// Pane 2: the case's acts, by the workflow's table for this role and
/// stage; §12's preliminary refusal also by its window.
fn detail(app: &App, cmd: Cmd) -> Option<Why> {
    let needs_case = matches!(
        cmd,
        Cmd::Act(_) | Cmd::Notice | Cmd::NextSection | Cmd::PrevSection
    );
    if app.detail.is_none() {
        return needs_case.then(|| Why::said(app, "detail-none"));
    }
    let Cmd::Act(act) = cmd else {
        return None;
    };
    case_act(app, act)
}

/// An act on the case in pane 2: the role and stage by the workflow's
/// table (attach and delivery: the roles that register), and §12's window.
fn case_act(app: &App, act: Act) -> Option<Why> {
    let Some(d) = app.detail.as_ref() else {
        return Some(Why::said(app, "detail-none"));
    };
    if let Some(why) = actions::refusal_why(&app.tr, act, &d.case, app.role) {
        return Some(why);
    }
    if act == Act::NotifyHearing
        && let Some(due) = actions::notice_window_passed(&app.law, app.today, &d.case)
    {
        let key = "msg-notice-window-passed";
        return Some(Why::new(
            key,
            app.tr.a(
                key,
                &[("rule", &app.tr.rule("§12")), ("date", &app.tr.date(due))],
            ),
        ));
    }
    None
}

/// Pane 4: the selected complaint's acts, by the complaint table.
fn complaints(app: &App, cmd: Cmd) -> Option<Why> {
    let Cmd::Act(act) = cmd else {
        return None;
    };
    let Some(c) = app
        .selected_row(Pane::Complaints)
        .and_then(|i| app.complaints.rows.get(i))
    else {
        return Some(Why::said(app, "msg-no-complaint"));
    };
    actions::complaint_refusal_why(&app.tr, act, c, app.role)
}

/// Pane 5: the report of terms names clerks; supervisors and admins see it.
fn monitor(app: &App, cmd: Cmd) -> Option<Why> {
    match cmd {
        Cmd::Terms
            if app.terms.is_none() && !matches!(app.role, Role::Supervisor | Role::Admin) =>
        {
            Some(Why::said(app, "msg-terms-role"))
        }
        _ => None,
    }
}

/// The notice view: `w` and `d` (its delivery) need a notice on screen;
/// the delivery is an act on the notice's case.
fn notice(app: &App, cmd: Cmd) -> Option<Why> {
    match cmd {
        Cmd::WriteNotice | Cmd::Act(_) if app.notice.is_none() => {
            Some(Why::said(app, "msg-no-notice"))
        }
        Cmd::Act(act) => case_act(app, act),
        _ => None,
    }
}
