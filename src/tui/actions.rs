//! The workflow's acts as forms (§11–§20): the preliminary refusal with its
//! hearing notice, the hearing's record, the decision, and the complaint's
//! lodging, forwarding and decision. Each form goes through the same services
//! as the CLI (`store::services`); the Rules' limits are checked as the clerk
//! types, in the clerk's language, with the last lawful date beside the field;
//! a refusal by the service is shown beside the field it concerns; another
//! clerk's change keeps everything typed for a second Ctrl-S.

use crate::store::engine::Conn;
use chrono::{DateTime, NaiveDate, Utc};

use super::commands::Why;
use super::form::{Field, Form, Input, Opt, parse_date, parse_time};
use super::worker::{Cancelled, Done, Job};
use crate::i18n::Tr;
use crate::rules::workflow::{self, Action, ComplaintAction, ComplaintOutcome};
use crate::rules::{CaseFacts, ComplaintBody, Law, Login, Role, Stage};
use crate::sign::Signer;
use crate::store::events::HearingOutcome;
use crate::store::read::queue::{CaseDetail, ComplaintRow};
use crate::store::{self, Error, services};

/// Which act a form takes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Act {
    /// §11–§12: the preliminary decision to refuse and the hearing notice.
    NotifyHearing,
    /// §12: how the hearing went.
    RecordHearing,
    /// §9, §13–§15: include, exclude, amend or refuse.
    Decide,
    /// §17: a complaint received on the case.
    Lodge,
    /// §18: the complaint forwarded to the quality-control body.
    Forward,
    /// §18–§20: the complaint decided.
    DecideComplaint,
    /// Issue 21: a document added to the case (`case attach`).
    Attach,
    /// Issue 21: how and when a notice reached the applicant (`doc delivered`).
    Deliver,
}

impl Act {
    pub const ALL: [Act; 8] = [
        Act::NotifyHearing,
        Act::RecordHearing,
        Act::Decide,
        Act::Lodge,
        Act::Forward,
        Act::DecideComplaint,
        Act::Attach,
        Act::Deliver,
    ];

    pub fn title_id(self) -> &'static str {
        match self {
            Act::NotifyHearing => "act-notify_hearing",
            Act::RecordHearing => "act-record_hearing",
            Act::Decide => "act-decide",
            Act::Lodge => "act-lodge",
            Act::Forward => "act-forward",
            Act::DecideComplaint => "act-decide_complaint",
            Act::Attach => "act-attach",
            Act::Deliver => "act-deliver",
        }
    }

    /// A short name for lists.
    pub fn short_id(self) -> &'static str {
        match self {
            Act::NotifyHearing => "short-notify_hearing",
            Act::RecordHearing => "short-record_hearing",
            Act::Decide => "hint-act",
            Act::Lodge => "short-lodge_complaint",
            Act::Forward => "hint-forward",
            Act::DecideComplaint => "hint-decide-complaint",
            Act::Attach => "short-attach",
            Act::Deliver => "short-deliver",
        }
    }

    /// The case actions behind the act (a decision is any of four).
    fn case_actions(self) -> &'static [Action] {
        match self {
            Act::NotifyHearing => &[Action::NotifyHearing],
            Act::RecordHearing => &[Action::RecordHearing],
            Act::Decide => &[
                Action::Include,
                Action::Exclude,
                Action::Amend,
                Action::Refuse,
            ],
            Act::Lodge => &[Action::LodgeComplaint],
            Act::Forward | Act::DecideComplaint | Act::Attach | Act::Deliver => &[],
        }
    }
}

pub fn act_of(key: &str) -> Option<Act> {
    Act::ALL.into_iter().find(|a| a.title_id() == key)
}

/// What the live checks need to know of the case or complaint.
#[derive(Debug, Clone)]
struct Context {
    facts: CaseFacts,
    stage: Stage,
    /// The first day an act may bear: registration, reopening, the hearing.
    earliest: NaiveDate,
    hearing_at: Option<DateTime<Utc>>,
    /// §12: the last day the hearing notice may go out.
    notice_due: Option<NaiveDate>,
    /// The running clock's last day and rule (`§10`), for the decision's note.
    due: Option<(NaiveDate, String)>,
    /// §18: the act is lawful only up to `due` (a grant of a complaint still
    /// with the provider for forwarding).
    grant_within_due: bool,
    /// §11: the grounds the hearing notice named: a refusal rests on no other.
    noticed: Vec<String>,
}

/// An open act form: the form, what it acts on, and the version seen.
pub struct ActionForm {
    pub act: Act,
    /// The case (or, for complaint acts, the complaint) number.
    pub subject: String,
    pub case_id: i64,
    pub expected_version: i64,
    pub form: Form,
    ctx: Context,
    /// Fields the clerk has left: "required" errors show only for these.
    visited: Vec<&'static str>,
    /// The day the form's dates were set for ([`ActionForm::renew`]).
    made_on: NaiveDate,
}

/// An act form's input kept outside the register (the drafts folder), so
/// that a dropped link loses no typing: the act, what it acts on, the version
/// the clerk saw, and each field's value (never the passphrase).
#[derive(Debug, Clone, serde::Serialize, serde::Deserialize)]
pub struct ActDraft {
    pub act: String,
    pub subject: String,
    pub version: i64,
    pub values: Vec<(String, String)>,
    /// The day the form was filled on: a date still at that day's default
    /// is today's when the form reopens on a later day (none in drafts of
    /// an older version: their dates are kept).
    #[serde(default)]
    pub made_on: Option<NaiveDate>,
}

/// The service an act form calls, with the clerk's key if it signs: run on
/// the worker in the act's transaction (`worker::Desk::act`).
type Service = Box<
    dyn Fn(&services::Context, Option<&crate::sign::p12::CertSigner>) -> store::Result<Stored>
        + Send,
>;

/// What a service stored, as its form's message needs it.
#[derive(Debug, Default)]
pub struct Stored {
    /// The number the register gave (a decision's notice, a complaint's).
    pub number: Option<String>,
    /// A complaint's grant reopened its case.
    pub reopened: bool,
    /// What the case's package still lacks after an attachment.
    pub missing: Vec<String>,
    /// §18: the favourable act a full grant took (its notice's number).
    pub act: Option<String>,
}

impl Stored {
    fn numbered(number: String) -> Stored {
        Stored {
            number: Some(number),
            ..Stored::default()
        }
    }
}

/// What the worker's part of a save came to ([`ActionForm::submit`]).
#[derive(Debug)]
pub enum Ran {
    /// Stored: what the form's message says of it.
    Stored(Stored),
    /// Not stored: the register's refusal.
    Refused(Error),
    /// Not stored: the clerk's key could not be opened (a wrong passphrase…).
    Unsigned(crate::sign::SignError),
    /// Not stored: Esc while the save waited for the register.
    Cancelled,
}

/// What became of a submission.
pub enum Submitted {
    /// Stored: a line for the status bar, and the notice issued (a decision's).
    Done {
        message: String,
        notice: Option<String>,
    },
    /// Not stored: the form shows why, and keeps its input.
    Kept,
    /// Another clerk acted first: the form says who and when and keeps its
    /// input; the caller reloads the case (the form then expects the new version).
    Stale { by: String, at: String },
}

/// A choice among words of the register, each labelled `prefix` + word.
fn choice<'a>(tr: &Tr, prefix: &str, words: impl Iterator<Item = &'a str>) -> Input {
    Input::choice(
        words
            .map(|w| Opt::new(w, tr.t(&format!("{prefix}{w}"))))
            .collect(),
        0,
    )
}

fn grounds_options(law: &Law, day: NaiveDate) -> Vec<Opt> {
    match law.grounds.on(day) {
        Ok(ed) => ed
            .grounds
            .iter()
            .map(|g| Opt::new(g.no.to_string(), g.no.to_string()))
            .collect(),
        Err(_) => Vec::new(),
    }
}

/// The grounds the preliminary decision named, ticked in the decision form.
fn preliminary_grounds(conn: &dyn Conn, case_id: i64) -> crate::store::Result<Vec<String>> {
    Ok(
        crate::store::read::queries::preliminary_grounds(conn, case_id)?
            .iter()
            .map(u8::to_string)
            .collect(),
    )
}

fn hint(tr: &Tr) -> String {
    tr.t("form-keys")
}

/// Why `role` may not take `act` on the case now, in the clerk's language; `None` if it may.
pub fn refusal(tr: &Tr, act: Act, case: &CaseDetail, role: Role) -> Option<String> {
    refusal_why(tr, act, case, role).map(|w| w.text)
}

/// [`refusal`] with its catalog key: the role (`msg-role-cannot`) or the
/// stage (`msg-not-at-stage`), from the workflow's action table.
pub fn refusal_why(tr: &Tr, act: Act, case: &CaseDetail, role: Role) -> Option<Why> {
    if matches!(act, Act::Attach | Act::Deliver) {
        // On a case at any stage, by those who register (the service checks).
        return (!services::may::REGISTER.contains(&role)).then(|| {
            Why::new(
                "msg-role-cannot",
                tr.a(
                    "msg-role-cannot",
                    &[
                        ("role", &tr.t(&format!("role-{role}"))),
                        ("act", &tr.t(act.title_id())),
                    ],
                ),
            )
        });
    }
    let actions = act.case_actions();
    if actions
        .iter()
        .any(|a| workflow::available(case.kind, case.stage, role).contains(a))
    {
        return None;
    }
    if !actions.iter().any(|a| workflow::roles(*a).contains(&role)) {
        return Some(Why::new(
            "msg-role-cannot",
            tr.a(
                "msg-role-cannot",
                &[
                    ("role", &tr.t(&format!("role-{role}"))),
                    ("act", &tr.t(act.title_id())),
                ],
            ),
        ));
    }
    Some(Why::new(
        "msg-not-at-stage",
        tr.a(
            "msg-not-at-stage",
            &[
                ("act", &tr.t(act.title_id())),
                ("stage", &tr.t(&format!("stage-{}", case.stage))),
            ],
        ),
    ))
}

/// §12: the last day the hearing notice could go out, if it has passed
/// (`today` is later): the preliminary refusal's form does not open then.
pub fn notice_window_passed(law: &Law, today: NaiveDate, case: &CaseDetail) -> Option<NaiveDate> {
    services::hearing_notice_due(law, &case.clocks.facts)
        .ok()
        .flatten()
        .filter(|due| today > *due)
}

impl ActionForm {
    /// A case act's form for the case in the detail pane (the caller checked
    /// [`refusal`]). `signer_loaded`: the clerk's key is already open, so a
    /// decision needs no passphrase.
    #[allow(clippy::too_many_arguments)]
    pub fn for_case(
        conn: &dyn Conn,
        law: &Law,
        tr: &Tr,
        today: NaiveDate,
        now: DateTime<Utc>,
        act: Act,
        case: &CaseDetail,
        role: Role,
        signer_loaded: bool,
    ) -> crate::store::Result<ActionForm> {
        let facts = case.clocks.facts;
        let review_from = facts.reopened_on.unwrap_or(facts.registered_on);
        let earliest = match (act, case.hearing_held_on) {
            (Act::Decide | Act::NotifyHearing, Some(held)) if case.stage == Stage::HearingHeld => {
                held
            }
            (Act::Lodge, _) => law.calendar.local_date(case.received_at),
            (Act::RecordHearing, _) => case
                .hearing_at
                .map(|h| law.calendar.local_date(h))
                .unwrap_or(review_from),
            _ => review_from,
        };
        let notice_due = services::hearing_notice_due(law, &facts).ok().flatten();
        let due = crate::explain::explain_case(law, &case.clocks, None, today)
            .ok()
            .and_then(|e| {
                e.clocks
                    .into_iter()
                    .find(|c| c.status == "running" && c.due.is_some())
                    .and_then(|c| c.due.map(|d| (d, c.rule)))
            });
        let day = tr.date(today);
        let mut fields = Vec::new();
        match act {
            Act::NotifyHearing => {
                fields.push(Field::new(
                    "grounds",
                    tr.t("form-grounds"),
                    Input::checks(grounds_options(law, facts.registered_on), &[]),
                ));
                fields.push(Field::new(
                    "reason",
                    tr.t("form-reason"),
                    Input::text("", 4),
                ));
                fields.push(Field::new(
                    "sent_on",
                    tr.t("form-sent-on"),
                    Input::line(&day),
                ));
                let next = law.calendar.add_working_days(today, 1).unwrap_or(today);
                fields.push(Field::new(
                    "hearing_date",
                    tr.t("form-hearing-date"),
                    Input::line(&tr.date(next)),
                ));
                let opens = law.rules.office.opens.format("%H:%M").to_string();
                fields.push(Field::new(
                    "hearing_time",
                    tr.t("form-hearing-time"),
                    Input::line(&opens),
                ));
                fields.push(Field::new("place", tr.t("form-place"), Input::line("")));
                // §11: the preliminary decision is signed like a decision.
                fields.push(passphrase_field(tr, signer_loaded));
            }
            Act::RecordHearing => {
                fields.push(Field::new(
                    "outcome",
                    tr.t("form-hearing-outcome"),
                    choice(
                        tr,
                        "form-outcome-",
                        HearingOutcome::ALL.iter().map(|o| o.as_str()),
                    ),
                ));
                fields.push(Field::new(
                    "position",
                    tr.t("form-position"),
                    Input::text("", 4),
                ));
                let on = earliest.min(today);
                fields.push(Field::new(
                    "on",
                    tr.t("form-held-on"),
                    Input::line(&tr.date(on)),
                ));
                fields.push(late_reason_field(tr));
            }
            Act::Decide => {
                let options: Vec<Opt> = Act::Decide
                    .case_actions()
                    .iter()
                    .filter(|a| workflow::available(case.kind, case.stage, role).contains(a))
                    .map(|a| Opt::new(a.as_str(), tr.t(&format!("short-{a}"))))
                    .collect();
                // After a preliminary refusal and a hearing either way is
                // open: no outcome is chosen for the clerk (Ctrl-S without
                // one says to choose). Otherwise the one decision on offer.
                let chosen = if case.stage == Stage::HearingHeld {
                    options.len()
                } else {
                    0
                };
                fields.push(Field::new(
                    "decision",
                    tr.t("form-decision"),
                    Input::choice(options, chosen),
                ));
                fields.push(Field::new(
                    "grounds",
                    tr.t("form-grounds"),
                    Input::checks(
                        grounds_options(law, facts.registered_on),
                        &preliminary_grounds(conn, case.id)?,
                    ),
                ));
                fields.push(Field::new(
                    "reason",
                    tr.t("form-reason"),
                    Input::text("", 4),
                ));
                fields.push(Field::new("on", tr.t("form-decided-on"), Input::line(&day)));
                fields.push(late_reason_field(tr));
                fields.push(passphrase_field(tr, signer_loaded));
            }
            Act::Lodge => {
                fields.push(Field::new(
                    "addressed_to",
                    tr.t("form-addressed-to"),
                    choice(tr, "body-", ComplaintBody::ALL.iter().map(|b| b.as_str())),
                ));
                fields.push(Field::new(
                    "text",
                    tr.t("form-complaint-text"),
                    Input::text("", 6),
                ));
            }
            Act::Attach => {
                fields.push(Field::new(
                    "doc_kind",
                    tr.t("form-doc-kind"),
                    choice(
                        tr,
                        "doc-",
                        crate::store::model::DocumentKind::ALL
                            .iter()
                            .map(|k| k.as_str()),
                    ),
                ));
                fields.push(Field::new("name", tr.t("form-doc-name"), Input::line("")));
                fields.push(Field::new(
                    "number",
                    tr.t("form-doc-number"),
                    Input::line(""),
                ));
                fields.push(Field::new(
                    "valid_until",
                    tr.t("form-doc-valid-until"),
                    Input::line(""),
                ));
                fields.push(Field::new(
                    "attached_on",
                    tr.t("form-doc-received-on"),
                    Input::line(&day),
                ));
                let mut file = Field::new("file", tr.t("form-doc-file"), Input::line(""));
                file.note = Some(tr.t("form-doc-file-note"));
                fields.push(file);
            }
            Act::Deliver => {
                let notices = crate::store::read::notices::list(conn, Some(&case.number))?;
                let options: Vec<Opt> = notices
                    .iter()
                    .rev()
                    .map(|n| {
                        Opt::new(
                            n.number.clone(),
                            format!("{} ({})", n.number, tr.date(n.issued_on)),
                        )
                    })
                    .collect();
                fields.push(Field::new(
                    "notice",
                    tr.t("form-notice"),
                    Input::choice(options, 0),
                ));
                fields.push(Field::new(
                    "via",
                    tr.t("form-via"),
                    choice(
                        tr,
                        "via-",
                        crate::store::events::DeliveryVia::ALL
                            .iter()
                            .map(|v| v.as_str()),
                    ),
                ));
                fields.push(Field::new(
                    "delivered_on",
                    tr.t("form-delivered-on"),
                    Input::line(&day),
                ));
            }
            Act::Forward | Act::DecideComplaint => {}
        }
        let title = format!(
            "{} · {} · v{}",
            tr.t(act.title_id()),
            case.number,
            case.version
        );
        let mut f = ActionForm {
            act,
            subject: case.number.clone(),
            case_id: case.id,
            expected_version: case.version,
            form: Form::new(title, fields, tr.t("form-save"), hint(tr)),
            ctx: Context {
                facts,
                stage: case.stage,
                earliest,
                hearing_at: case.hearing_at,
                notice_due,
                due,
                grant_within_due: false,
                noticed: if act == Act::Decide {
                    preliminary_grounds(conn, case.id)?
                } else {
                    Vec::new()
                },
            },
            visited: Vec::new(),
            made_on: today,
        };
        f.check(law, tr, today, now);
        Ok(f)
    }

    /// A complaint act's form for the complaint selected in pane 4.
    pub fn for_complaint(
        conn: &dyn Conn,
        law: &Law,
        tr: &Tr,
        today: NaiveDate,
        now: DateTime<Utc>,
        act: Act,
        c: &ComplaintRow,
    ) -> crate::store::Result<ActionForm> {
        let version = crate::store::read::queries::complaint_version(conn, &c.number)?;
        let day = tr.date(today);
        let mut fields = Vec::new();
        if act == Act::DecideComplaint {
            let options = ComplaintOutcome::ALL
                .iter()
                .filter(|o| {
                    // §18: a complaint to the quality-control body that is
                    // still with the provider may be granted in full here (a
                    // favourable act), or forwarded; never rejected here.
                    !(c.to.forwarded_to()
                        && c.status == crate::rules::ComplaintStatus::Received
                        && **o != ComplaintOutcome::Granted)
                })
                .map(|o| Opt::new(o.as_str(), tr.t(&format!("outcome-{o}"))))
                .collect();
            let grant_only =
                c.to.forwarded_to() && c.status == crate::rules::ComplaintStatus::Received;
            let mut outcome = Field::new(
                "outcome",
                tr.t("form-complaint-outcome"),
                Input::choice(options, 0),
            );
            if grant_only {
                // Issue 17: one choice, and why there is only one (§18).
                outcome.note = Some(tr.t("form-grant-only"));
            }
            fields.push(outcome);
            if grant_only {
                // A grant takes the favourable act: never saved by mistake.
                let mut confirm = Field::new(
                    "confirm_grant",
                    tr.t("form-confirm-grant"),
                    Input::choice(
                        vec![
                            Opt::new("no", tr.t("form-confirm-grant-no")),
                            Opt::new("yes", tr.t("form-confirm-grant-yes")),
                        ],
                        0,
                    ),
                );
                confirm.note = Some(tr.t("form-confirm-grant-note"));
                fields.push(confirm);
            }
            fields.push(Field::new(
                "reason",
                tr.t("form-reason"),
                Input::text("", 4),
            ));
        }
        fields.push(Field::new("on", tr.t("form-acted-on"), Input::line(&day)));
        fields.push(late_reason_field(tr));
        if act == Act::DecideComplaint {
            // §17–§20: the decision is a signed document.
            fields.push(passphrase_field(tr, false));
        }
        let title = format!("{} · {} · {}", tr.t(act.title_id()), c.number, c.case);
        let facts = CaseFacts {
            kind: crate::rules::CaseKind::Inclusion,
            stage: Stage::UnderReview,
            registered_on: c.registered_on,
            hearing_notice_on: None,
            changed_on: None,
            reopened_on: None,
        };
        let mut f = ActionForm {
            act,
            subject: c.number.clone(),
            case_id: c.case_id,
            expected_version: version,
            form: Form::new(title, fields, tr.t("form-save"), hint(tr)),
            ctx: Context {
                facts,
                stage: Stage::UnderReview,
                // §19–§20: decided no earlier than forwarded (the service's rule).
                earliest: match act {
                    Act::DecideComplaint => c.forwarded_on.unwrap_or(c.registered_on),
                    _ => c.registered_on,
                },
                hearing_at: None,
                notice_due: None,
                due: c
                    .clock
                    .as_ref()
                    .and_then(|k| k.due.map(|d| (d, k.rule.clone()))),
                noticed: Vec::new(),
                grant_within_due: act == Act::DecideComplaint
                    && c.to.forwarded_to()
                    && c.status == crate::rules::ComplaintStatus::Received,
            },
            visited: Vec::new(),
            made_on: today,
        };
        f.check(law, tr, today, now);
        Ok(f)
    }

    /// The clerk left a field: its "required" errors may now show.
    pub fn left(&mut self, index: usize, law: &Law, tr: &Tr, today: NaiveDate, now: DateTime<Utc>) {
        if let Some(f) = self.form.fields.get(index)
            && !self.visited.contains(&f.id)
        {
            self.visited.push(f.id);
        }
        self.check(law, tr, today, now);
    }

    fn date_field(
        &mut self,
        id: &'static str,
        law: &Law,
        tr: &Tr,
        today: NaiveDate,
    ) -> Option<NaiveDate> {
        let text = self.form.value(id);
        let Some(d) = parse_date(&text) else {
            self.form.set_error(id, tr.t("form-bad-date"));
            return None;
        };
        let err = if d > today {
            Some(tr.a("form-date-future", &[("today", &tr.date(today))]))
        } else if d < self.ctx.earliest {
            Some(tr.a("form-date-before", &[("date", &tr.date(self.ctx.earliest))]))
        } else if matches!(id, "received_on" | "delivered_on" | "attached_on") {
            // A complaint, a document or a notice's delivery may come on any
            // day (the portal and e-mail never close).
            None
        } else {
            day_off(law, tr, d)
        };
        if let Some(e) = err {
            self.form.set_error(id, e);
            return None;
        }
        Some(d)
    }

    fn required(&mut self, id: &'static str, tr: &Tr, force: bool) {
        let Some(f) = self.form.field(id) else { return };
        if f.hidden || !f.value().trim().is_empty() {
            return;
        }
        if force || self.visited.contains(&id) {
            let msg = if id == "grounds" {
                tr.t("form-need-ground")
            } else {
                tr.t("form-required")
            };
            self.form.set_error(id, msg);
        }
    }

    /// Re-checks every field against the Rules: notes (what is allowed) and
    /// errors (what is not), in the clerk's language. `force`-free: "required"
    /// shows only on fields the clerk has left.
    pub fn check(&mut self, law: &Law, tr: &Tr, today: NaiveDate, now: DateTime<Utc>) {
        self.check_all(law, tr, today, now, false);
    }

    fn check_all(&mut self, law: &Law, tr: &Tr, today: NaiveDate, now: DateTime<Utc>, force: bool) {
        for f in &mut self.form.fields {
            f.error = None;
        }
        let lang = tr.code();
        // The wording of the ground under the cursor.
        if let Some(f) = self.form.field_mut("grounds")
            && let Input::Checks { options, at, .. } = &f.input
        {
            let no: u8 = options
                .get(*at)
                .and_then(|o| o.value.parse().ok())
                .unwrap_or(0);
            f.note = law
                .grounds
                .on(self.ctx.facts.registered_on)
                .ok()
                .and_then(|ed| {
                    ed.grounds
                        .iter()
                        .find(|g| g.no == no)
                        .map(|g| format!("{no}. {}", g.wording(lang)))
                });
        }
        match self.act {
            Act::NotifyHearing => {
                self.required("grounds", tr, force);
                self.required("reason", tr, force);
                self.required("place", tr, force);
                if force {
                    self.required("passphrase", tr, true);
                }
                if let Some(due) = self.ctx.notice_due {
                    let note = tr.a("form-notice-due", &[("date", &tr.date(due))]);
                    self.form.field_mut("sent_on").expect("field").note = Some(note);
                }
                let sent = self.date_field("sent_on", law, tr, today);
                if let (Some(sent), Some(due)) = (sent, self.ctx.notice_due)
                    && sent > due
                {
                    self.form.set_error(
                        "sent_on",
                        tr.a("form-notice-late", &[("date", &tr.date(due))]),
                    );
                }
                let office = law.rules.office;
                // Appendix 5: the hours with the lunch break taken out.
                let hours = format!(
                    "{}–{}, {}–{}",
                    office.opens.format("%H:%M"),
                    office.lunch.0.format("%H:%M"),
                    office.lunch.1.format("%H:%M"),
                    office.closes.format("%H:%M")
                );
                self.form.field_mut("hearing_time").expect("field").note =
                    Some(tr.a("form-office-hours", &[("hours", &hours)]));
                let Some(sent) = sent else {
                    return;
                };
                let latest = services::hearing_due(law, &self.ctx.facts, sent).ok();
                if let Some(latest) = latest {
                    self.form.field_mut("hearing_date").expect("field").note = Some(tr.a(
                        "form-hearing-due",
                        &[("date", &tr.date(latest)), ("sent", &tr.date(sent))],
                    ));
                }
                let text = self.form.value("hearing_date");
                match parse_date(&text) {
                    None => self.form.set_error("hearing_date", tr.t("form-bad-date")),
                    Some(d) if d <= sent => self.form.set_error(
                        "hearing_date",
                        tr.a("form-hearing-after", &[("date", &tr.date(sent))]),
                    ),
                    Some(d) if latest.is_some_and(|l| d > l) => self.form.set_error(
                        "hearing_date",
                        tr.a(
                            "form-hearing-late",
                            &[("date", &tr.date(latest.expect("checked")))],
                        ),
                    ),
                    Some(d) if !law.calendar.is_working(d).unwrap_or(false) => self.form.set_error(
                        "hearing_date",
                        tr.a("form-day-off", &[("date", &tr.date(d))]),
                    ),
                    Some(_) => {}
                }
                match parse_time(&self.form.value("hearing_time")) {
                    None => self.form.set_error("hearing_time", tr.t("form-bad-time")),
                    Some(t) if !office.receives_at(t) => self.form.set_error(
                        "hearing_time",
                        tr.a("form-outside-hours", &[("hours", &hours)]),
                    ),
                    Some(_) => {}
                }
            }
            Act::RecordHearing => {
                if let Some(h) = self.ctx.hearing_at {
                    let local = h.with_timezone(&law.rules.office.zone);
                    let when = format!("{} {}", tr.date(local.date_naive()), local.format("%H:%M"));
                    self.form.field_mut("on").expect("field").note =
                        Some(tr.a("form-hearing-set", &[("when", &when)]));
                    if now < h {
                        self.form
                            .set_error("on", tr.a("form-hearing-not-yet", &[("when", &when)]));
                        return;
                    }
                }
                self.date_field("on", law, tr, today);
            }
            Act::Decide => {
                let decision = self.form.value("decision");
                if decision.is_empty() && (force || self.visited.contains(&"decision")) {
                    self.form
                        .set_error("decision", tr.t("form-choose-decision"));
                }
                let refuse = decision == Action::Refuse.as_str();
                // §9 answers an incomplete package with what it lacks; after a
                // hearing a refusal names its grounds and reasons (Appendix 6).
                let after_hearing = self.ctx.stage == Stage::HearingHeld;
                if let Some(f) = self.form.field_mut("grounds") {
                    f.hidden = !(refuse && after_hearing);
                }
                if let Some(f) = self.form.field_mut("reason") {
                    f.hidden = !refuse && decision != Action::Amend.as_str();
                    f.note = (refuse && !after_hearing).then(|| tr.t("form-reason-incomplete"));
                }
                if refuse && after_hearing {
                    self.required("grounds", tr, force);
                    self.required("reason", tr, force);
                    // §11: only grounds the applicant was heard on.
                    let new: Vec<String> = self
                        .form
                        .value("grounds")
                        .split(',')
                        .filter(|g| !g.is_empty() && !self.ctx.noticed.is_empty())
                        .filter(|g| !self.ctx.noticed.iter().any(|n| n == g))
                        .map(str::to_string)
                        .collect();
                    if !new.is_empty() {
                        self.form.set_error(
                            "grounds",
                            tr.a("form-ground-not-noticed", &[("grounds", &new.join(", "))]),
                        );
                    }
                }
                if let Some((due, rule)) = self.ctx.due.clone() {
                    self.form.field_mut("on").expect("field").note = Some(tr.a(
                        "form-decide-by",
                        &[("rule", &tr.rule(&rule)), ("date", &tr.date(due))],
                    ));
                }
                self.date_field("on", law, tr, today);
                if force {
                    self.required("passphrase", tr, true);
                }
            }
            Act::Lodge => {
                self.required("text", tr, force);
                self.date_field("received_on", law, tr, today);
            }
            Act::Attach => {
                self.required("name", tr, force);
                self.required("file", tr, force);
                self.date_field("attached_on", law, tr, today);
                let until = self.form.value("valid_until");
                if !until.trim().is_empty() && parse_date(&until).is_none() {
                    self.form.set_error("valid_until", tr.t("form-bad-date"));
                }
            }
            Act::Deliver => {
                self.required("notice", tr, force);
                self.date_field("delivered_on", law, tr, today);
            }
            Act::Forward | Act::DecideComplaint => {
                if let Some((due, rule)) = self.ctx.due.clone() {
                    let rule = tr.rule(&rule);
                    self.form.field_mut("on").expect("field").note =
                        Some(tr.a("form-act-by", &[("rule", &rule), ("date", &tr.date(due))]));
                }
                if self.act == Act::DecideComplaint {
                    self.required("reason", tr, force);
                    if force {
                        self.required("passphrase", tr, true);
                    }
                    if self.ctx.grant_within_due
                        && self.form.value("confirm_grant") != "yes"
                        && (force || self.visited.contains(&"confirm_grant"))
                    {
                        self.form
                            .set_error("confirm_grant", tr.t("form-confirm-grant-needed"));
                    }
                }
                let on = self.date_field("on", law, tr, today);
                // §18: a complaint still with the provider for forwarding may
                // be granted here only within the forwarding term.
                if let (Some(on), Some((due, rule)), true) =
                    (on, self.ctx.due.clone(), self.ctx.grant_within_due)
                    && on > due
                {
                    let rule = tr.rule(&rule);
                    self.form.set_error(
                        "on",
                        tr.a("form-act-late", &[("rule", &rule), ("date", &tr.date(due))]),
                    );
                }
            }
        }
    }

    /// Checks the form and makes the save a job for the console's worker
    /// (`super::worker`), or shows why not (`Err(Submitted::Kept)`). `signer`
    /// is the clerk's open key: it goes with the job (a decision opens it
    /// there with the passphrase typed) and comes back in the answer, which
    /// [`ActionForm::finish`] takes.
    #[allow(clippy::too_many_arguments)]
    pub fn submit(
        &mut self,
        law: &Law,
        tr: &Tr,
        login: &Login,
        now: DateTime<Utc>,
        today: NaiveDate,
        signer: &mut Option<crate::sign::p12::CertSigner>,
    ) -> Result<Job, Submitted> {
        self.form.banner = None;
        if signer.is_some()
            && let Some(p) = self.form.field_mut("passphrase")
        {
            // The key is open for the session: no passphrase to ask.
            p.hidden = true;
        }
        self.check_all(law, tr, today, now, true);
        if self.form.has_errors() {
            self.form.focus_first_error();
            self.form.banner = Some(tr.t("form-fix-errors"));
            return Err(Submitted::Kept);
        }
        let v = |id: &str| self.form.field(id).map(|f| f.value()).unwrap_or_default();
        let date = |id: &str| parse_date(&v(id));
        let version = Some(self.expected_version);
        let subject = crate::rules::CaseNumber::new(&self.subject);
        let act: Service = match self.act {
            Act::NotifyHearing => {
                let (Some(day), Some(time)) =
                    (date("hearing_date"), parse_time(&v("hearing_time")))
                else {
                    self.form.set_error("hearing_time", tr.t("form-bad-time"));
                    return Err(Submitted::Kept);
                };
                let hearing_at = day
                    .and_time(time)
                    .and_local_timezone(law.rules.office.zone)
                    .earliest()
                    .map(|t| t.with_timezone(&Utc));
                let Some(hearing_at) = hearing_at else {
                    self.form.set_error("hearing_time", tr.t("form-bad-time"));
                    return Err(Submitted::Kept);
                };
                let req = services::HearingNotice {
                    late_reason: None,
                    case: subject,
                    expected_version: version,
                    sent_on: date("sent_on"),
                    hearing_at,
                    place: v("place"),
                    grounds: v("grounds")
                        .split(',')
                        .filter_map(|g| g.parse().ok())
                        .collect(),
                    reason: v("reason"),
                };
                // §11: the preliminary decision is a signed document.
                Box::new(move |ctx, key| {
                    let Some(key) = key else {
                        return Err(Error::invalid(
                            "passphrase",
                            crate::store::reason::Problem::KeyNotOpen,
                        ));
                    };
                    services::notify_hearing(
                        ctx,
                        &crate::docs::Issuer {
                            signer: key as &dyn Signer,
                        },
                        &req,
                    )
                    .map(Stored::numbered)
                })
            }
            Act::RecordHearing => {
                let req = services::HearingRecord {
                    // An empty reason is none: the service says so if one is needed.
                    late_reason: Some(v("late_reason")),
                    case: subject,
                    expected_version: version,
                    outcome: HearingOutcome::parse(&v("outcome")).unwrap_or(HearingOutcome::Held),
                    position: Some(v("position")).filter(|p| !p.trim().is_empty()),
                    on: date("on"),
                };
                Box::new(move |ctx, _| {
                    services::record_hearing(ctx, &req).map(|()| Stored::default())
                })
            }
            Act::Decide => {
                let action = Action::parse(&v("decision")).unwrap_or(Action::Include);
                let refuse = action == Action::Refuse;
                let req = services::Decision {
                    // An empty reason is none: the service says so if one is needed.
                    late_reason: Some(v("late_reason")),
                    case: subject,
                    expected_version: version,
                    action,
                    grounds: if refuse {
                        v("grounds")
                            .split(',')
                            .filter_map(|g| g.parse().ok())
                            .collect()
                    } else {
                        Vec::new()
                    },
                    reason: Some(v("reason")).filter(|r| !r.trim().is_empty()),
                    on: date("on"),
                };
                Box::new(move |ctx, key| {
                    let Some(key) = key else {
                        return Err(Error::invalid(
                            "passphrase",
                            crate::store::reason::Problem::KeyNotOpen,
                        ));
                    };
                    services::decide(
                        ctx,
                        &crate::docs::Issuer {
                            signer: key as &dyn Signer,
                        },
                        &req,
                    )
                    .map(Stored::numbered)
                })
            }
            Act::Attach => {
                let path = std::path::PathBuf::from(v("file").trim());
                let (kind, name, number) = (v("doc_kind"), v("name"), v("number"));
                let (valid_until, on) = (date("valid_until"), date("attached_on"));
                let content = match crate::sign::read_named_file(&path) {
                    Ok(c) => c,
                    Err(e) => {
                        let m = crate::docs::refusal::file(&e).render(tr);
                        self.form.set_error("file", super::theme::inert(&m, 300));
                        self.form.focus_on("file");
                        return Err(Submitted::Kept);
                    }
                };
                // A choice the form offered; were it ever not one, refused
                // beside the field, never stored as another kind.
                let Some(kind) = crate::store::model::DocumentKind::parse(&kind) else {
                    self.form.set_error("kind", tr.t("form-choose-one"));
                    self.form.focus_on("kind");
                    return Err(Submitted::Kept);
                };
                let req = services::Attachment {
                    case: subject,
                    expected_version: version,
                    kind,
                    name,
                    number: Some(number),
                    valid_until,
                    content,
                    on,
                };
                Box::new(move |ctx, _| {
                    services::attach_document(ctx, &req).map(|missing| Stored {
                        missing,
                        ..Stored::default()
                    })
                })
            }
            Act::Deliver => {
                let Some(via) = crate::store::events::DeliveryVia::parse(&v("via")) else {
                    self.form.set_error("via", tr.t("form-choose-one"));
                    self.form.focus_on("via");
                    return Err(Submitted::Kept);
                };
                let req = services::Delivery {
                    notice: v("notice"),
                    via,
                    on: date("delivered_on"),
                };
                Box::new(move |ctx, _| {
                    services::record_delivery(ctx, &req).map(|_| Stored::default())
                })
            }
            Act::Lodge => {
                let req = services::ComplaintFiling {
                    case: subject,
                    expected_version: version,
                    addressed_to: ComplaintBody::parse(&v("addressed_to"))
                        .unwrap_or(ComplaintBody::Provider),
                    text: v("text"),
                    // Today: the instant it is typed in; an earlier day: its noon.
                    received_at: date("received_on").filter(|d| *d < today).and_then(|d| {
                        d.and_hms_opt(12, 0, 0)
                            .and_then(|t| t.and_local_timezone(law.rules.office.zone).earliest())
                            .map(|t| t.with_timezone(&Utc))
                    }),
                };
                Box::new(move |ctx, _| services::lodge_complaint(ctx, &req).map(Stored::numbered))
            }
            Act::Forward => {
                let req = services::ComplaintForwarding {
                    // An empty reason is none: the service says so if one is needed.
                    late_reason: Some(v("late_reason")),
                    complaint: subject,
                    expected_version: version,
                    on: date("on"),
                };
                Box::new(move |ctx, _| {
                    services::forward_complaint(ctx, &req).map(|()| Stored::default())
                })
            }
            Act::DecideComplaint => {
                let req = services::ComplaintDecision {
                    // An empty reason is none: the service says so if one is needed.
                    late_reason: Some(v("late_reason")),
                    complaint: subject,
                    expected_version: version,
                    outcome: ComplaintOutcome::parse(&v("outcome"))
                        .unwrap_or(ComplaintOutcome::Granted),
                    reason: v("reason"),
                    on: date("on"),
                };
                // §17–§20: the decision is a signed document.
                Box::new(move |ctx, key| {
                    let Some(key) = key else {
                        return Err(Error::invalid(
                            "passphrase",
                            crate::store::reason::Problem::KeyNotOpen,
                        ));
                    };
                    services::decide_complaint(
                        ctx,
                        &crate::docs::Issuer {
                            signer: key as &dyn Signer,
                        },
                        &req,
                    )
                    .map(|d| Stored {
                        number: Some(d.decision),
                        reopened: d.reopened,
                        act: d.act,
                        ..Stored::default()
                    })
                })
            }
        };
        // §13: a decision is signed by its author, with the key opened once
        // a session (here, on the worker: decrypting it takes a while).
        let signs = matches!(
            self.act,
            Act::Decide | Act::NotifyHearing | Act::DecideComplaint
        );
        let passphrase = (signs && signer.is_none()).then(|| v("passphrase"));
        let (law, login) = (law.clone(), login.clone());
        let mut key = signer.take();
        Ok(Job::new(move |desk| {
            if let Some(p) = passphrase {
                match crate::docs::open_signer(desk.conn, login.as_str(), Some(&p), now) {
                    Ok(s) => key = Some(s),
                    Err(e) => {
                        return Done::Act {
                            ran: Ran::Unsigned(e),
                            signer: None,
                        };
                    }
                }
            }
            let ran = match desk.act(&law, &login, now, |ctx| act(ctx, key.as_ref())) {
                Err(Cancelled) => Ran::Cancelled,
                Ok(Ok(stored)) => Ran::Stored(stored),
                Ok(Err(e)) => Ran::Refused(e),
            };
            Done::Act {
                ran,
                signer: key.map(Box::new),
            }
        }))
    }

    /// Takes the worker's answer to [`ActionForm::submit`]'s job: what was
    /// stored, or why not (shown in the form, which keeps its input).
    pub fn finish(&mut self, tr: &Tr, ran: Ran) -> Submitted {
        self.form.banner = None;
        let value = |form: &Form, id: &str| form.field(id).map(|f| f.value()).unwrap_or_default();
        let (hearing_date, hearing_time, decision) = (
            value(&self.form, "hearing_date"),
            value(&self.form, "hearing_time"),
            value(&self.form, "decision"),
        );
        let (notice, via) = (value(&self.form, "notice"), value(&self.form, "via"));
        if matches!(
            self.act,
            Act::Decide | Act::NotifyHearing | Act::DecideComplaint
        ) && !matches!(ran, Ran::Unsigned(_))
            && let Some(p) = self.form.field_mut("passphrase")
        {
            // Never kept once used.
            p.set_text("");
            p.hidden = true;
        }
        let err = match ran {
            Ran::Stored(Stored {
                number,
                reopened,
                missing,
                act,
            }) => {
                let number = number.unwrap_or_default();
                let message = match self.act {
                    Act::NotifyHearing => {
                        let day = parse_date(&hearing_date);
                        let time = parse_time(&hearing_time);
                        let when = match (day, time) {
                            (Some(d), Some(t)) => format!("{} {}", tr.date(d), t.format("%H:%M")),
                            _ => String::new(),
                        };
                        // The signed notice (§11), shown at once.
                        let message = tr.a(
                            "done-notify-hearing-signed",
                            &[("when", &when), ("number", &number)],
                        );
                        return Submitted::Done {
                            message,
                            notice: Some(number),
                        };
                    }
                    Act::RecordHearing => tr.t("done-record_hearing"),
                    Act::Decide => {
                        let action = Action::parse(&decision).unwrap_or(Action::Include);
                        let message = tr.a(
                            "done-decide",
                            &[
                                ("number", &number),
                                ("decision", &tr.t(&format!("short-{action}"))),
                            ],
                        );
                        return Submitted::Done {
                            message,
                            notice: Some(number),
                        };
                    }
                    Act::Attach => {
                        let id = if missing.is_empty() {
                            "done-attach"
                        } else {
                            "done-attach-incomplete"
                        };
                        tr.a(
                            id,
                            &[
                                ("case", self.subject.as_str()),
                                (
                                    "missing",
                                    &crate::store::model::Missing::list_words(&missing, tr),
                                ),
                            ],
                        )
                    }
                    Act::Deliver => {
                        let via = crate::store::events::DeliveryVia::parse(&via)
                            .unwrap_or(crate::store::events::DeliveryVia::Cabinet);
                        let message = tr.a(
                            "done-deliver",
                            &[
                                ("notice", notice.as_str()),
                                ("via", &tr.t(&format!("via-{via}"))),
                            ],
                        );
                        // The notice view again, its delivery in the title.
                        return Submitted::Done {
                            message,
                            notice: Some(notice),
                        };
                    }
                    Act::Lodge => tr.a("done-lodge", &[("number", &number)]),
                    Act::Forward => tr.a("done-forward", &[("number", &self.subject)]),
                    Act::DecideComplaint => {
                        let id = match (&act, reopened) {
                            (Some(_), _) => "done-decide-complaint-act",
                            (None, true) => "done-decide-complaint-reopened-signed",
                            (None, false) => "done-decide-complaint-signed",
                        };
                        let message = tr.a(
                            id,
                            &[
                                ("number", self.subject.as_str()),
                                ("decision", number.as_str()),
                                ("act", act.as_deref().unwrap_or("")),
                            ],
                        );
                        return Submitted::Done {
                            message,
                            notice: Some(number),
                        };
                    }
                };
                return Submitted::Done {
                    message,
                    notice: None,
                };
            }
            Ran::Cancelled => {
                self.form.banner = Some(tr.t("form-save-cancelled"));
                return Submitted::Kept;
            }
            Ran::Unsigned(crate::sign::SignError::WrongPassphrase(_)) => {
                if let Some(p) = self.form.field_mut("passphrase") {
                    p.set_text("");
                }
                self.form
                    .set_error("passphrase", tr.t("form-wrong-passphrase"));
                self.form.focus_on("passphrase");
                return Submitted::Kept;
            }
            Ran::Unsigned(e) => {
                // Which check failed, in the console's language.
                let m = crate::docs::refusal::sign(&e).render(tr);
                self.form.banner = Some(super::theme::inert(&m, 300));
                return Submitted::Kept;
            }
            Ran::Refused(e) => e,
        };
        match err {
            Error::Stale {
                version, by, at, ..
            } => {
                self.form.banner = Some(tr.a(
                    "form-stale",
                    &[
                        ("subject", &self.subject),
                        ("by", &super::theme::inert(&by, 32)),
                        ("at", &at),
                    ],
                ));
                self.expected_version = version;
                Submitted::Stale {
                    by: super::theme::inert(&by, 32),
                    at,
                }
            }
            Error::Invalid { field, problem } => {
                // In the clerk's language; the values it quotes are inert.
                let message = problem.message().render(tr);
                let field = super::theme::inert(&field, 60);
                let id = field_of(self.act, &field);
                match id.filter(|id| self.form.field(id).is_some_and(|f| !f.hidden)) {
                    Some(id) => {
                        self.form.set_error(id, message);
                        self.form.focus_on(id);
                    }
                    None => self.form.banner = Some(format!("{field}: {message}")),
                }
                Submitted::Kept
            }
            e @ Error::Refused { .. } => {
                let text = e.message().render(tr);
                let field = match &e {
                    Error::Refused { reason, .. } => refused_field(self.act, reason),
                    _ => None,
                };
                match field {
                    Some(id) => {
                        self.form.set_error(id, text);
                        self.form.focus_on(id);
                    }
                    None => self.form.banner = Some(text),
                }
                Submitted::Kept
            }
            e @ (Error::DeliveryBeforeIssue { .. }
            | Error::DeliveryRecorded { .. }
            | Error::AlreadyAttached { .. }) => {
                // Said in the clerk's language, beside the field it concerns.
                let id = match e {
                    Error::DeliveryBeforeIssue { .. } => "delivered_on",
                    Error::DeliveryRecorded { .. } => "via",
                    _ => "file",
                };
                let text = super::theme::inert(&e.message().render(tr), 300);
                self.form.set_error(id, text);
                self.form.focus_on(id);
                Submitted::Kept
            }
            e @ Error::IncompletePackage { .. } => {
                self.form.banner = Some(super::theme::inert(&e.message().render(tr), 300));
                Submitted::Kept
            }
            e => {
                self.form.banner = Some(e.message().render(tr));
                Submitted::Kept
            }
        }
    }

    /// The typed values (for a draft, or to carry into a rebuilt form).
    pub fn draft(&self) -> ActDraft {
        ActDraft {
            act: self.act.title_id().to_string(),
            subject: self.subject.clone(),
            version: self.expected_version,
            values: self
                .form
                .fields
                .iter()
                .filter(|f| f.id != "passphrase")
                .map(|f| (f.id.to_string(), f.value()))
                .collect(),
            made_on: Some(self.made_on),
        }
    }

    /// The date a one-line field `id` offers on `day` when nothing is typed:
    /// the hearing the next working day, a hearing's record its day (not
    /// after `day`), any other date `day` itself (the act's day).
    fn date_default(&self, law: &Law, id: &str, day: NaiveDate) -> NaiveDate {
        match (self.act, id) {
            (Act::NotifyHearing, "hearing_date") => {
                law.calendar.add_working_days(day, 1).unwrap_or(day)
            }
            (Act::RecordHearing, "on") => self.ctx.earliest.min(day),
            _ => day,
        }
    }

    /// A form brought back (parked with Esc, or kept from an earlier
    /// session) on a later day than it was filled: each date still at that
    /// day's default becomes today's (a date the clerk typed is kept).
    pub fn renew(&mut self, law: &Law, tr: &Tr, today: NaiveDate, now: DateTime<Utc>) {
        if self.made_on != today {
            let dates: Vec<(&'static str, NaiveDate)> = self
                .form
                .fields
                .iter()
                .filter(|f| matches!(f.input, Input::Line(_)))
                .filter_map(|f| parse_date(&f.value()).map(|d| (f.id, d)))
                .collect();
            for (id, was) in dates {
                if was == self.date_default(law, id, self.made_on) {
                    let is = self.date_default(law, id, today);
                    if let Some(f) = self.form.field_mut(id) {
                        f.set_text(&tr.date(is));
                    }
                }
            }
            self.made_on = today;
        }
        self.check(law, tr, today, now);
    }

    /// Takes a draft's (or an older form's) values and the version it saw: a
    /// form rebuilt from the case as it stands now, with what was typed.
    pub fn carry(
        &mut self,
        d: &ActDraft,
        law: &Law,
        tr: &Tr,
        today: NaiveDate,
        now: DateTime<Utc>,
    ) {
        for (id, value) in &d.values {
            if let Some(f) = self.form.field_mut(id) {
                f.set_value(value);
            }
        }
        self.expected_version = d.version;
        self.made_on = d.made_on.unwrap_or(today);
        self.renew(law, tr, today, now);
    }

    /// Drops the passphrase (a form closed or parked keeps no secret).
    pub fn forget_secret(&mut self) {
        if let Some(p) = self.form.field_mut("passphrase") {
            p.set_text("");
        }
    }
}

/// Why `d` is no day for an act: a day off, or a year the calendar does not
/// know (the deadline engine refuses to guess).
fn day_off(law: &Law, tr: &Tr, d: NaiveDate) -> Option<String> {
    match law.calendar.is_working(d) {
        Ok(true) => None,
        Ok(false) => Some(tr.a("form-day-off", &[("date", &tr.date(d))])),
        Err(e) => Some(crate::store::reason::calendar(&e).render(tr)),
    }
}

/// The form field a service's `Invalid { field }` names.
fn field_of(act: Act, field: &str) -> Option<&'static str> {
    Some(match (act, field) {
        (_, "grounds") => "grounds",
        (_, "reason") => "reason",
        (_, "place") => "place",
        (_, "sent_on") => "sent_on",
        (_, "hearing_at") => "hearing_date",
        (Act::Attach, "on") => "attached_on",
        (Act::Deliver, "on") => "delivered_on",
        (_, "on") => "on",
        (_, "position") => "position",
        (_, "text") => "text",
        (_, "received_at") => "received_on",
        (_, "late_reason") => "late_reason",
        (Act::Attach, "name") => "name",
        (Act::Attach, "number") => "number",
        (Act::Attach, "file") => "file",
        _ => return None,
    })
}

/// Why the act comes after its clock's last day: asked on every form whose
/// act ends a clock, required only then (the service says which day was the
/// last, and the refusal lands on this field).
/// The signing key's passphrase, asked once per session (hidden when the
/// key is open or a passphrase file is set).
fn passphrase_field(tr: &Tr, signer_loaded: bool) -> Field {
    let mut pass = Field::new("passphrase", tr.t("form-passphrase"), Input::secret());
    pass.hidden = signer_loaded || crate::sign::passphrase_file_set();
    pass.note = Some(tr.t("form-passphrase-note"));
    pass
}

fn late_reason_field(tr: &Tr) -> Field {
    let mut f = Field::new("late_reason", tr.t("form-late-reason"), Input::text("", 2));
    f.note = Some(tr.t("form-late-reason-note"));
    f
}

/// The field a refusal concerns: a late act's reason, or a §12 date.
fn refused_field(act: Act, reason: &crate::store::reason::Refusal) -> Option<&'static str> {
    use crate::store::reason::Refusal;
    match (act, reason) {
        (_, Refusal::Late { .. }) => Some("late_reason"),
        (Act::NotifyHearing, Refusal::NoticeDue { .. }) => Some("sent_on"),
        (Act::NotifyHearing, Refusal::HearingTooLate { .. }) => Some("hearing_date"),
        (
            Act::RecordHearing,
            Refusal::HearingNotYet { .. }
            | Refusal::Workflow(workflow::NotAllowed::NoHearingScheduled { .. }),
        ) => Some("on"),
        _ => None,
    }
}

/// Whether `act` is a complaint act (taken from pane 4).
pub fn on_complaint(act: Act) -> bool {
    matches!(act, Act::Forward | Act::DecideComplaint)
}

/// Why `role` may not take a complaint act on `c`, in the clerk's language.
pub fn complaint_refusal(tr: &Tr, act: Act, c: &ComplaintRow, role: Role) -> Option<String> {
    complaint_refusal_why(tr, act, c, role).map(|w| w.text)
}

/// [`complaint_refusal`] with its catalog key.
pub fn complaint_refusal_why(tr: &Tr, act: Act, c: &ComplaintRow, role: Role) -> Option<Why> {
    let action = match act {
        Act::Forward => ComplaintAction::Forward,
        _ => ComplaintAction::Decide,
    };
    if workflow::complaint_available(c.to, c.status, role).contains(&action) {
        return None;
    }
    if !workflow::complaint_roles(action).contains(&role) {
        return Some(Why::new(
            "msg-role-cannot",
            tr.a(
                "msg-role-cannot",
                &[
                    ("role", &tr.t(&format!("role-{role}"))),
                    ("act", &tr.t(act.title_id())),
                ],
            ),
        ));
    }
    let Err(why) = workflow::complaint_allows(c.to, c.status, action) else {
        return None;
    };
    // The store's refusal, in the clerk's language (its catalog key kept).
    let m = crate::store::Error::refused(crate::store::reason::Refusal::Workflow(why)).message();
    Some(Why::new(m.key, m.render(tr)))
}
