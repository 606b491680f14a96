//! What may be done to a case or a complaint, at which stage, by whom (§9–§20).
//! The store's services enforce exactly this table; the console reads it to
//! show the actions a clerk has on the case in front of them.

use serde::{Deserialize, Serialize};

use super::case::{CaseKind, ComplaintBody, ComplaintStatus, Role, Stage};

crate::word_enum! {
    /// An act on a case.
    Action {
        /// §11–§12: the preliminary decision to refuse and the hearing notice.
        NotifyHearing = "notify_hearing",
        /// §12: the hearing took place, or the applicant did not come.
        RecordHearing = "record_hearing",
        /// §13, Appendix 7: the units enter the register.
        Include = "include",
        /// §14, Appendix 8: the named units leave the register.
        Exclude = "exclude",
        /// §15, Appendix 9: the entries take their new wording.
        Amend = "amend",
        /// §9 on an incomplete package; §13 (Appendix 6) after a hearing.
        Refuse = "refuse",
        /// §17: a complaint against a decision, action or inaction on the case.
        LodgeComplaint = "lodge_complaint",
    }
}

crate::word_enum! {
    /// An act on a complaint.
    ComplaintAction {
        /// §18: sent with the case to the quality-control body.
        Forward = "forward",
        /// §18–§20: granted, partly granted or rejected.
        Decide = "decide",
    }
}

crate::word_enum! {
    /// How a complaint ended (§19–§20).
    ComplaintOutcome {
        Granted = "granted",
        PartlyGranted = "partly_granted",
        Rejected = "rejected",
    }
}

impl ComplaintOutcome {
    /// Whether the outcome is a favourable act for the applicant, which reopens
    /// a case that stands refused.
    pub fn favourable(self) -> bool {
        matches!(
            self,
            ComplaintOutcome::Granted | ComplaintOutcome::PartlyGranted
        )
    }
}

use Role::*;

/// The roles that may take an action (DESIGN.md, README "Identity and roles").
pub fn roles(action: Action) -> &'static [Role] {
    match action {
        Action::LodgeComplaint => &[Operator, Clerk, Supervisor, Admin],
        Action::NotifyHearing
        | Action::RecordHearing
        | Action::Include
        | Action::Exclude
        | Action::Amend
        | Action::Refuse => &[Clerk, Supervisor, Admin],
    }
}

pub fn complaint_roles(_action: ComplaintAction) -> &'static [Role] {
    &[Supervisor, Admin]
}

/// Whether the Rules allow `action` on a case of `kind` at `stage`, whoever
/// asks. `Err` carries the rule that forbids it.
pub fn case_allows(kind: CaseKind, stage: Stage, action: Action) -> Result<(), String> {
    use Stage::*;
    let ok = match action {
        Action::LodgeComplaint => true,
        Action::NotifyHearing => stage == UnderReview,
        Action::RecordHearing => stage == HearingNotified,
        Action::Include => {
            kind == CaseKind::Inclusion && matches!(stage, UnderReview | HearingHeld)
        }
        Action::Exclude => {
            kind == CaseKind::Exclusion && matches!(stage, UnderReview | HearingHeld)
        }
        Action::Amend => kind == CaseKind::Change && matches!(stage, UnderReview | HearingHeld),
        Action::Refuse => matches!(stage, Incomplete | HearingHeld),
    };
    if ok {
        return Ok(());
    }
    Err(match (action, stage) {
        (Action::Refuse, UnderReview) | (Action::Refuse, HearingNotified) => {
            "§11–§13: a reasoned refusal needs the preliminary decision and a hearing first"
                .to_string()
        }
        (_, Incomplete) => format!(
            "§9: the package is incomplete; only a reasoned refusal (refuse) can answer it, not {action}"
        ),
        (Action::RecordHearing, _) => format!("§12: no hearing is scheduled (the case is {stage})"),
        (Action::NotifyHearing, _) => {
            format!("§11: a preliminary decision needs a case under review (the case is {stage})")
        }
        (_, s) if !s.is_open() => format!(
            "§17: the case is closed ({stage}); only a complaint granted under §19–§20 reopens it"
        ),
        (Action::Include | Action::Exclude | Action::Amend, _) => {
            format!("§6: an application for {kind} cannot be decided as {action}")
        }
        _ => format!("§13: {action} is not possible at stage {stage}"),
    })
}

/// The actions `role` has on a case of `kind` at `stage`, in the order the
/// console lists them.
pub fn available(kind: CaseKind, stage: Stage, role: Role) -> Vec<Action> {
    Action::ALL
        .iter()
        .copied()
        .filter(|a| roles(*a).contains(&role) && case_allows(kind, stage, *a).is_ok())
        .collect()
}

/// Whether a complaint at `status`, addressed to `to`, allows `action`.
pub fn complaint_allows(
    to: ComplaintBody,
    status: ComplaintStatus,
    action: ComplaintAction,
) -> Result<(), String> {
    match (action, to, status) {
        (ComplaintAction::Forward, ComplaintBody::QualityBody, ComplaintStatus::Received) => Ok(()),
        (ComplaintAction::Forward, ComplaintBody::Provider, _) => Err(
            "§19: a complaint addressed to the service provider is decided here, not forwarded"
                .into(),
        ),
        (ComplaintAction::Decide, _, ComplaintStatus::Received | ComplaintStatus::Forwarded) => {
            Ok(())
        }
        (_, _, ComplaintStatus::Decided) => Err("the complaint is already decided".into()),
        (ComplaintAction::Forward, _, ComplaintStatus::Forwarded) => {
            Err("§18: the complaint was already forwarded".into())
        }
    }
}

/// The complaint actions `role` has on a complaint.
pub fn complaint_available(
    to: ComplaintBody,
    status: ComplaintStatus,
    role: Role,
) -> Vec<ComplaintAction> {
    ComplaintAction::ALL
        .iter()
        .copied()
        .filter(|a| complaint_roles(*a).contains(&role) && complaint_allows(to, status, *a).is_ok())
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn operator_only_lodges() {
        for s in Stage::ALL {
            assert_eq!(
                available(CaseKind::Inclusion, *s, Role::Operator),
                vec![Action::LodgeComplaint]
            );
        }
    }

    #[test]
    fn refusal_on_review_needs_hearing() {
        let e = case_allows(CaseKind::Inclusion, Stage::UnderReview, Action::Refuse).unwrap_err();
        assert!(e.starts_with("§11–§13"), "{e}");
        assert!(case_allows(CaseKind::Exclusion, Stage::Incomplete, Action::Refuse).is_ok());
        assert_eq!(
            available(CaseKind::Inclusion, Stage::UnderReview, Role::Clerk),
            vec![
                Action::NotifyHearing,
                Action::Include,
                Action::LodgeComplaint
            ]
        );
    }
}
