//! What may be done to a case or a complaint, at which stage, by whom (§9–§20).
//! The store's services enforce exactly this table; the console reads it to
//! show the actions a clerk has on the case in front of them.

use serde::{Deserialize, Serialize};

use super::case::{CaseKind, ComplaintBody, ComplaintStatus, Outcome, Role, Stage};

/// Why the Rules forbid an act, whoever asks. The text starts with the
/// paragraph that forbids it (`§12: …`) where there is one: the store reports
/// it as that rule's refusal.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
pub enum NotAllowed {
    /// A refusal on the merits before the preliminary decision and hearing.
    #[error("§11–§13: a reasoned refusal needs the preliminary decision and a hearing first")]
    RefusalNeedsHearing,
    /// Only a §9 refusal answers an incomplete package.
    #[error(
        "§9: the package is incomplete; only a reasoned refusal (refuse) can answer it, not {action}"
    )]
    Incomplete { action: Action },
    #[error("§12: no hearing is scheduled (the case is {stage})")]
    NoHearingScheduled { stage: Stage },
    #[error(
        "§11: a preliminary decision needs a case under review, or one whose hearing was held (a new ground) (the case is {stage})"
    )]
    NotUnderReview { stage: Stage },
    #[error("§17: the case is closed ({stage}); only a complaint granted under §19–§20 reopens it")]
    Closed { stage: Stage },
    /// The decision is another kind of application's (§6).
    #[error("§6: an application for {kind} cannot be decided as {action}")]
    WrongKind { kind: CaseKind, action: Action },
    #[error("§13: {action} is not possible at stage {stage}")]
    AtStage { action: Action, stage: Stage },
    /// `Outcome::allowed`: this decision cannot close the case.
    #[error(
        "a {kind} case at stage {stage} cannot be closed as {}{}",
        .outcome.as_str(),
        match .outcome {
            Outcome::Refused => " (a reasoned refusal needs a hearing first, §11–§13)",
            Outcome::RefusedIncomplete => " (only an incomplete package is refused under §9)",
            _ => "",
        }
    )]
    CannotClose {
        kind: CaseKind,
        stage: Stage,
        outcome: Outcome,
    },
    #[error("§19: a complaint addressed to the service provider is decided here, not forwarded")]
    DecidedHere,
    #[error("the complaint is already decided")]
    AlreadyDecided,
    #[error("§18: the complaint was already forwarded")]
    AlreadyForwarded,
}

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
pub fn case_allows(kind: CaseKind, stage: Stage, action: Action) -> Result<(), NotAllowed> {
    use Stage::*;
    let ok = match action {
        Action::LodgeComplaint => true,
        // §11: a new ground found after the hearing needs a new notice and
        // hearing before a refusal may rest on it.
        Action::NotifyHearing => matches!(stage, UnderReview | HearingHeld),
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
            NotAllowed::RefusalNeedsHearing
        }
        (_, Incomplete) => NotAllowed::Incomplete { action },
        (Action::RecordHearing, _) => NotAllowed::NoHearingScheduled { stage },
        (Action::NotifyHearing, _) => NotAllowed::NotUnderReview { stage },
        (_, s) if !s.is_open() => NotAllowed::Closed { stage },
        (Action::Include | Action::Exclude | Action::Amend, _) => {
            NotAllowed::WrongKind { kind, action }
        }
        _ => NotAllowed::AtStage { action, stage },
    })
}

impl Outcome {
    /// Whether this decision may close a case of `kind` standing at `stage`.
    /// A refusal on the merits needs a hearing first (§11–§13); a §9 refusal
    /// only answers an incomplete package.
    pub fn allowed(self, kind: CaseKind, stage: Stage) -> Result<(), NotAllowed> {
        let ok = match self {
            Outcome::RefusedIncomplete => stage == Stage::Incomplete,
            Outcome::Refused => stage == Stage::HearingHeld,
            Outcome::Included => {
                kind == CaseKind::Inclusion
                    && matches!(stage, Stage::UnderReview | Stage::HearingHeld)
            }
            Outcome::Excluded => {
                kind == CaseKind::Exclusion
                    && matches!(stage, Stage::UnderReview | Stage::HearingHeld)
            }
            Outcome::Amended => {
                kind == CaseKind::Change && matches!(stage, Stage::UnderReview | Stage::HearingHeld)
            }
        };
        if ok {
            Ok(())
        } else {
            Err(NotAllowed::CannotClose {
                kind,
                stage,
                outcome: self,
            })
        }
    }
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
) -> Result<(), NotAllowed> {
    match (action, to, status) {
        (
            ComplaintAction::Forward,
            ComplaintBody::QualityBody | ComplaintBody::SuperiorBody | ComplaintBody::Official,
            ComplaintStatus::Received,
        ) => Ok(()),
        (ComplaintAction::Forward, ComplaintBody::Provider, _) => Err(NotAllowed::DecidedHere),
        (ComplaintAction::Decide, _, ComplaintStatus::Received | ComplaintStatus::Forwarded) => {
            Ok(())
        }
        (_, _, ComplaintStatus::Decided) => Err(NotAllowed::AlreadyDecided),
        (ComplaintAction::Forward, _, ComplaintStatus::Forwarded) => {
            Err(NotAllowed::AlreadyForwarded)
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
        assert_eq!(e, NotAllowed::RefusalNeedsHearing);
        assert!(e.to_string().starts_with("§11–§13"), "{e}");
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

    #[test]
    fn refusal_needs_hearing() {
        assert!(
            Outcome::Refused
                .allowed(CaseKind::Inclusion, Stage::UnderReview)
                .is_err()
        );
        assert!(
            Outcome::Refused
                .allowed(CaseKind::Inclusion, Stage::HearingNotified)
                .is_err()
        );
        assert!(
            Outcome::Refused
                .allowed(CaseKind::Inclusion, Stage::HearingHeld)
                .is_ok()
        );
        assert!(
            Outcome::RefusedIncomplete
                .allowed(CaseKind::Exclusion, Stage::Incomplete)
                .is_ok()
        );
        assert!(
            Outcome::Included
                .allowed(CaseKind::Exclusion, Stage::UnderReview)
                .is_err()
        );
        assert!(
            Outcome::Included
                .allowed(CaseKind::Inclusion, Stage::Incomplete)
                .is_err()
        );
    }

    #[test]
    fn the_refusals_read_as_before() {
        assert_eq!(
            Outcome::Refused
                .allowed(CaseKind::Inclusion, Stage::UnderReview)
                .unwrap_err()
                .to_string(),
            "a inclusion case at stage under_review cannot be closed as refused \
             (a reasoned refusal needs a hearing first, §11–§13)"
        );
        assert_eq!(
            Outcome::RefusedIncomplete
                .allowed(CaseKind::Inclusion, Stage::HearingHeld)
                .unwrap_err()
                .to_string(),
            "a inclusion case at stage hearing_held cannot be closed as refused_incomplete \
             (only an incomplete package is refused under §9)"
        );
        assert_eq!(
            case_allows(CaseKind::Exclusion, Stage::UnderReview, Action::Include)
                .unwrap_err()
                .to_string(),
            "§6: an application for exclusion cannot be decided as include"
        );
        assert_eq!(
            case_allows(CaseKind::Inclusion, Stage::Included, Action::NotifyHearing).unwrap_err(),
            NotAllowed::NotUnderReview {
                stage: Stage::Included
            }
        );
        assert_eq!(
            complaint_allows(
                ComplaintBody::Provider,
                ComplaintStatus::Received,
                ComplaintAction::Forward
            )
            .unwrap_err()
            .to_string(),
            "§19: a complaint addressed to the service provider is decided here, not forwarded"
        );
    }
}
