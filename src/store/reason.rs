//! Why the store refuses, as types (issue 17): a refusal under a paragraph
//! of the Rules ([`Refusal`]), what is wrong with a field ([`Problem`]), what
//! was not found ([`Missing`]), and the rules layer's own errors, each with
//! its catalog key (`err-refusal-*`, `err-problem-*`, `err-missing-*`,
//! `err-workflow-*`, `err-id-*`, `err-text-*`, `err-rules-*` in
//! `data/i18n/*.ftl`). The English entries read exactly as `Display`; the
//! Kazakh and Russian ones say it in those languages (`tests/errors.rs`
//! renders every one and fails on an English word).

use chrono::NaiveDate;

use crate::i18n::Message;
use crate::rules::case::{CaseKind, Outcome, Stage};
use crate::rules::grounds::GroundsError;
use crate::rules::ids::{IdError, SERIAL_ALPHABET, SerialChar};
use crate::rules::text::TextError;
use crate::rules::workflow::{Action, NotAllowed};
use crate::rules::{CalendarError, Position, RulesError, TimeError};

fn dmy(d: &NaiveDate) -> String {
    d.format("%d.%m.%Y").to_string()
}

/// A refusal under a paragraph of the Rules (or the register's own rule:
/// `roles`): `Error::Refused`.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum Refusal {
    /// §13: a decision is signed with the deciding clerk's own key.
    #[error("{actor} must sign with their own key, not {signer}'s")]
    OwnKey { actor: String, signer: String },
    /// §13–§15: the signer's registered position may not sign this notice.
    #[error(
        "the notification of {} is signed by: {}; {login}'s key is registered as {}",
        notice_kind(*.outcome),
        .may.iter().map(|p| p.words("en")).collect::<Vec<_>>().join(" or "),
        Position::parse(.position).map_or(.position.as_str(), |p| p.words("en"))
    )]
    SignerPosition {
        outcome: Outcome,
        may: Vec<Position>,
        login: String,
        position: String,
    },
    /// The register keeps at least one admin.
    #[error("{login} is the register's last admin; make another admin first")]
    LastAdmin { login: String },
    /// The action table forbids the act (§9–§20).
    #[error("{}", workflow_text(.0))]
    Workflow(NotAllowed),
    /// §12: the hearing notice comes within its term.
    #[error("the hearing notice is due by {}", dmy(.last))]
    NoticeDue { last: NaiveDate },
    /// §12: the hearing within 2 working days of the notice.
    #[error(
        "the hearing must be held by {} (2 working days after the notice of {})",
        dmy(.latest),
        dmy(.sent_on)
    )]
    HearingTooLate {
        latest: NaiveDate,
        sent_on: NaiveDate,
    },
    /// §12: a hearing is recorded once it has taken place.
    #[error("the hearing is set for {at}; it cannot be recorded before it takes place")]
    HearingNotYet { at: String },
    /// §3: a serial already in the register.
    #[error(
        "{field}: {serial} is already in the register as entry {entry_no} ({case}, {miner} {bin_iin}); refuse or ask the applicant"
    )]
    SerialConflict {
        field: String,
        serial: String,
        entry_no: i64,
        case: String,
        miner: String,
        bin_iin: String,
    },
    /// §14–§15: the unit named is not in the register.
    #[error("{field}: {serial} is not included in the register; refuse instead")]
    NotIncluded {
        outcome: Outcome,
        field: String,
        serial: String,
    },
    /// §14–§15: the unit named is another miner's.
    #[error("{field}: {serial} (entry {entry_no}) is registered to another miner; refuse instead")]
    OtherMiner {
        outcome: Outcome,
        field: String,
        serial: String,
        entry_no: i64,
    },
    /// §18: a complaint to the quality body is forwarded, or granted in full.
    #[error(
        "a complaint to the quality-control body is forwarded to it; the provider may only grant it in full instead"
    )]
    GrantInFullOnly,
    /// §18: the provider's 3 working days to grant it have passed.
    #[error(
        "the provider could grant it only within 3 working days, by {}; forward it now",
        dmy(.due)
    )]
    GrantTooLate { due: NaiveDate },
    /// §13: the signature could not be made (the signer's own refusal).
    #[error("{0}")]
    Signing(String),
    /// §13: the signer's certificate is not registered.
    #[error(
        "{login}'s signing certificate {fingerprint} is not registered here: run `tizilim key import FILE.p12`"
    )]
    CertificateNotRegistered { login: String, fingerprint: String },
    /// §13: a key of the earlier format signs no new decision.
    #[error(
        "key {fingerprint} is an Ed25519 key of the earlier format: new decisions need a certificate (`tizilim key import FILE.p12`)"
    )]
    EarlierFormat { fingerprint: String },
    /// §13: the key is another login's.
    #[error("key {fingerprint} belongs to {owner}, not {signer}")]
    KeyOfAnother {
        fingerprint: String,
        owner: String,
        signer: String,
    },
    /// §13: the key was revoked.
    #[error(
        "key {fingerprint} was revoked on {on}: import a new certificate (`tizilim key import FILE.p12`)"
    )]
    KeyRevoked { fingerprint: String, on: NaiveDate },
    /// §16: the change was informed of already.
    #[error("{change} was informed of on {}", dmy(.on))]
    AlreadyInformed { change: String, on: NaiveDate },
    /// An act after its clock's last day needs a reason (issue 20).
    #[error(
        "the last day was {}; give --late-reason to record a late act ({late} working day(s) late)",
        dmy(.due)
    )]
    Late {
        rule: String,
        due: NaiveDate,
        late: i32,
    },
}

/// The notice whose signers §13–§15 name, as the Display names it.
fn notice_kind(o: Outcome) -> &'static str {
    match o {
        Outcome::Included => "inclusion",
        Outcome::Excluded => "exclusion",
        Outcome::Amended => "amendment",
        Outcome::Refused => "refusal",
        Outcome::RefusedIncomplete => "refusal_incomplete",
    }
}

/// The action table's words after its paragraph (`§12: `).
fn workflow_text(n: &NotAllowed) -> String {
    let s = n.to_string();
    match s.split_once(": ") {
        Some((rule, rest)) if rule.starts_with('§') => rest.to_string(),
        _ => s,
    }
}

/// The paragraph the action table cites (`Rules` where it cites none).
pub fn workflow_rule(n: &NotAllowed) -> String {
    let s = n.to_string();
    match s.split_once(": ") {
        Some((rule, _)) if rule.starts_with('§') => rule.to_string(),
        _ => "Rules".to_string(),
    }
}

impl Refusal {
    /// The paragraph that refuses (`§12`), or the register's rule.
    pub fn rule(&self) -> String {
        let outcome_rule = |o: &Outcome| match o {
            Outcome::Excluded => "§14",
            Outcome::Amended => "§15",
            Outcome::RefusedIncomplete => "§9",
            Outcome::Included | Outcome::Refused => "§13",
        };
        match self {
            Refusal::OwnKey { .. }
            | Refusal::Signing(_)
            | Refusal::CertificateNotRegistered { .. }
            | Refusal::EarlierFormat { .. }
            | Refusal::KeyOfAnother { .. }
            | Refusal::KeyRevoked { .. } => "§13".into(),
            Refusal::SignerPosition { outcome, .. } => outcome_rule(outcome).into(),
            Refusal::NotIncluded { outcome, .. } | Refusal::OtherMiner { outcome, .. } => {
                if *outcome == Outcome::Excluded {
                    "§14".into()
                } else {
                    "§15".into()
                }
            }
            Refusal::LastAdmin { .. } => "roles".into(),
            Refusal::Workflow(n) => workflow_rule(n),
            Refusal::NoticeDue { .. }
            | Refusal::HearingTooLate { .. }
            | Refusal::HearingNotYet { .. } => "§12".into(),
            Refusal::SerialConflict { .. } => "§3".into(),
            Refusal::GrantInFullOnly | Refusal::GrantTooLate { .. } => "§18".into(),
            Refusal::AlreadyInformed { .. } => "§16".into(),
            Refusal::Late { rule, .. } => rule.clone(),
        }
    }

    /// The refusal in the catalog's words.
    pub fn message(&self) -> Message {
        let m = Message::new;
        match self {
            Refusal::OwnKey { actor, signer } => m("err-refusal-own-key")
                .arg("actor", actor)
                .arg("signer", signer),
            Refusal::SignerPosition {
                outcome,
                may,
                login,
                position,
            } => {
                let words = |p: &str| -> [String; 3] {
                    match Position::parse(p) {
                        Some(p) => ["kk", "ru", "en"].map(|l| p.words(l).to_string()),
                        None => [p.to_string(), p.to_string(), p.to_string()],
                    }
                };
                let joined = ["kk", "ru", "en"].map(|l| {
                    let or = match l {
                        "kk" => " немесе ",
                        "ru" => " или ",
                        _ => " or ",
                    };
                    may.iter().map(|p| p.words(l)).collect::<Vec<_>>().join(or)
                });
                m("err-refusal-signer-position")
                    .nest("notice", notice_message(*outcome))
                    .words("may", joined)
                    .arg("login", login)
                    .words("position", words(position))
            }
            Refusal::LastAdmin { login } => m("err-refusal-last-admin").arg("login", login),
            Refusal::Workflow(n) => workflow(n),
            Refusal::NoticeDue { last } => m("err-refusal-notice-due").arg("last", dmy(last)),
            Refusal::HearingTooLate { latest, sent_on } => m("err-refusal-hearing-too-late")
                .arg("latest", dmy(latest))
                .arg("sent", dmy(sent_on)),
            Refusal::HearingNotYet { at } => m("err-refusal-hearing-not-yet").arg("at", at),
            Refusal::SerialConflict {
                field,
                serial,
                entry_no,
                case,
                miner,
                bin_iin,
            } => m("err-refusal-serial-conflict")
                .arg("field", field)
                .arg("serial", serial)
                .arg("entry", entry_no)
                .arg("case", case)
                .arg("miner", miner)
                .arg("bin", bin_iin),
            Refusal::NotIncluded { field, serial, .. } => m("err-refusal-not-included")
                .arg("field", field)
                .arg("serial", serial),
            Refusal::OtherMiner {
                field,
                serial,
                entry_no,
                ..
            } => m("err-refusal-other-miner")
                .arg("field", field)
                .arg("serial", serial)
                .arg("entry", entry_no),
            Refusal::GrantInFullOnly => m("err-refusal-grant-in-full"),
            Refusal::GrantTooLate { due } => m("err-refusal-grant-too-late").arg("due", dmy(due)),
            Refusal::Signing(detail) => m("err-refusal-signing").arg("detail", detail),
            Refusal::CertificateNotRegistered { login, fingerprint } => {
                m("err-refusal-certificate-not-registered")
                    .arg("login", login)
                    .arg("key", fingerprint)
            }
            Refusal::EarlierFormat { fingerprint } => {
                m("err-refusal-earlier-format").arg("key", fingerprint)
            }
            Refusal::KeyOfAnother {
                fingerprint,
                owner,
                signer,
            } => m("err-refusal-key-of-another")
                .arg("key", fingerprint)
                .arg("owner", owner)
                .arg("signer", signer),
            Refusal::KeyRevoked { fingerprint, on } => m("err-refusal-key-revoked")
                .arg("key", fingerprint)
                .arg("on", on),
            Refusal::AlreadyInformed { change, on } => m("err-refusal-already-informed")
                .arg("change", change)
                .arg("on", dmy(on)),
            Refusal::Late { due, late, .. } => {
                m("err-refusal-late").arg("due", dmy(due)).arg("late", late)
            }
        }
    }
}

fn notice_message(o: Outcome) -> Message {
    Message::new(match o {
        Outcome::Included => "err-notice-inclusion",
        Outcome::Excluded => "err-notice-exclusion",
        Outcome::Amended => "err-notice-amendment",
        Outcome::Refused => "err-notice-refusal",
        Outcome::RefusedIncomplete => "err-notice-refusal-incomplete",
    })
}

/// A stage of a case (`stage-*`).
pub fn stage(s: Stage) -> Message {
    Message::new(match s {
        Stage::Incomplete => "err-stage-incomplete",
        Stage::UnderReview => "err-stage-under_review",
        Stage::HearingNotified => "err-stage-hearing_notified",
        Stage::HearingHeld => "err-stage-hearing_held",
        Stage::Included => "err-stage-included",
        Stage::Excluded => "err-stage-excluded",
        Stage::Amended => "err-stage-amended",
        Stage::Refused => "err-stage-refused",
        Stage::RefusedIncomplete => "err-stage-refused_incomplete",
    })
}

fn kind(k: CaseKind) -> Message {
    Message::new(match k {
        CaseKind::Inclusion => "err-case-kind-inclusion",
        CaseKind::Exclusion => "err-case-kind-exclusion",
        CaseKind::Change => "err-case-kind-change",
    })
}

fn action(a: Action) -> Message {
    Message::new(match a {
        Action::NotifyHearing => "err-action-notify_hearing",
        Action::RecordHearing => "err-action-record_hearing",
        Action::Include => "err-action-include",
        Action::Exclude => "err-action-exclude",
        Action::Amend => "err-action-amend",
        Action::Refuse => "err-action-refuse",
        Action::LodgeComplaint => "err-action-lodge_complaint",
    })
}

fn outcome(o: Outcome) -> Message {
    Message::new(match o {
        Outcome::Included => "err-outcome-included",
        Outcome::Excluded => "err-outcome-excluded",
        Outcome::Amended => "err-outcome-amended",
        Outcome::Refused => "err-outcome-refused",
        Outcome::RefusedIncomplete => "err-outcome-refused_incomplete",
    })
}

/// The action table's refusal (its words after the paragraph).
pub fn workflow(n: &NotAllowed) -> Message {
    let m = Message::new;
    match *n {
        NotAllowed::RefusalNeedsHearing => m("err-workflow-refusal-needs-hearing"),
        NotAllowed::Incomplete { action: a } => {
            m("err-workflow-incomplete").nest("action", action(a))
        }
        NotAllowed::NoHearingScheduled { stage: s } => {
            m("err-workflow-no-hearing").nest("stage", stage(s))
        }
        NotAllowed::NotUnderReview { stage: s } => {
            m("err-workflow-not-under-review").nest("stage", stage(s))
        }
        NotAllowed::Closed { stage: s } => m("err-workflow-closed").nest("stage", stage(s)),
        NotAllowed::WrongKind { kind: k, action: a } => m("err-workflow-wrong-kind")
            .nest("kind", kind(k))
            .nest("action", action(a)),
        NotAllowed::AtStage {
            action: a,
            stage: s,
        } => m("err-workflow-at-stage")
            .nest("action", action(a))
            .nest("stage", stage(s)),
        NotAllowed::CannotClose {
            kind: k,
            stage: s,
            outcome: o,
        } => m(match o {
            Outcome::Refused => "err-workflow-cannot-close-refused",
            Outcome::RefusedIncomplete => "err-workflow-cannot-close-incomplete",
            _ => "err-workflow-cannot-close",
        })
        .nest("kind", kind(k))
        .nest("stage", stage(s))
        .nest("outcome", outcome(o)),
        NotAllowed::DecidedHere => m("err-workflow-decided-here"),
        NotAllowed::AlreadyDecided => m("err-workflow-already-decided"),
        NotAllowed::AlreadyForwarded => m("err-workflow-already-forwarded"),
    }
}

/// The rule a [`Refusal`] cites, in each language's words.
pub fn rule_words(rule: &str) -> Message {
    match rule {
        "roles" => Message::new("err-rule-roles"),
        "Rules" => Message::new("err-rule-rules"),
        r => Message::new("err-rule").rule("rule", r),
    }
}

/// What the earliest lawful day of an act is (`Problem::BeforeEarliest`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Since {
    Registration,
    HearingDate,
    Hearing,
    ComplaintRegistered,
    ComplaintFiled,
    Change,
}

impl Since {
    fn en(self) -> &'static str {
        match self {
            Since::Registration => "registration",
            Since::HearingDate => "the hearing's date",
            Since::Hearing => "the hearing",
            Since::ComplaintRegistered => "the complaint's registration",
            Since::ComplaintFiled => "the complaint's registration or forwarding",
            Since::Change => "the change",
        }
    }

    fn message(self) -> Message {
        Message::new(match self {
            Since::Registration => "err-since-registration",
            Since::HearingDate => "err-since-hearing-date",
            Since::Hearing => "err-since-hearing",
            Since::ComplaintRegistered => "err-since-complaint-registered",
            Since::ComplaintFiled => "err-since-complaint",
            Since::Change => "err-since-change",
        })
    }
}

/// What is wrong with a field (`Error::Invalid`, intake's field errors).
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum Problem {
    #[error("must be an operating-system login: 1–64 of a–z, 0–9, '_', '-', '.'")]
    Login,
    #[error("{0} is a BIN (a legal entity's), not a person's IIN")]
    BinNotIin(String),
    #[error("{value}: {why}")]
    Id { value: String, why: IdError },
    #[error("{0}")]
    IdOnly(IdError),
    #[error("is in the future")]
    InFuture,
    #[error("{0} is in the future")]
    TimeInFuture(String),
    #[error("{0}")]
    Rules(RulesError),
    #[error("{} is in the future (today is {})", dmy(.day), dmy(.today))]
    FutureDay { day: NaiveDate, today: NaiveDate },
    #[error("{} is before {} ({})", dmy(.day), .since.en(), dmy(.earliest))]
    BeforeEarliest {
        day: NaiveDate,
        since: Since,
        earliest: NaiveDate,
    },
    #[error(
        "{} is not a working day: the provider acts on working days (Appendix 5)",
        dmy(.0)
    )]
    NotWorkingDay(NaiveDate),
    #[error("{0}")]
    Text(TextError),
    #[error("is too long (at most {0} characters)")]
    TooLong(usize),
    #[error("must not be empty")]
    Empty,
    #[error("{0}")]
    Grounds(GroundsError),
    #[error("name at least one ground of Appendix 5 (1–6)")]
    NoGround,
    #[error(
        "the hearing must come after the notice of {}: the applicant needs time to prepare (§11)",
        dmy(.0)
    )]
    HearingBeforeNotice(NaiveDate),
    #[error(
        "{} {time} is outside office hours ({opens}–{closes} on working days, lunch break {lunch_from}–{lunch_to}, Appendix 5)",
        dmy(.day)
    )]
    OfficeHours {
        day: NaiveDate,
        time: String,
        opens: String,
        closes: String,
        lunch_from: String,
        lunch_to: String,
    },
    #[error("must be include, exclude, amend or refuse")]
    NotADecision,
    #[error(
        "the register records nothing missing for this case: state the reasons of the §9 refusal"
    )]
    NothingMissing,
    #[error("a reasoned refusal names at least one ground of Appendix 5 (1–6)")]
    RefusalNeedsGround,
    #[error("a reasoned refusal states its reasons (Appendix 6)")]
    RefusalNeedsReasons,
    #[error("is before the application itself was received")]
    BeforeApplication,
    #[error("a key is registered by its own login")]
    KeyOwnLogin,
    #[error(
        "new signatures need an X.509 certificate (`tizilim key import FILE.p12`); Ed25519 keys are the earlier format"
    )]
    NeedsCertificate,
    #[error("key {0} is already registered")]
    KeyRegistered(String),
    #[error("already revoked on {}", dmy(.0))]
    AlreadyRevoked(NaiveDate),
    #[error("name the decree that makes the change")]
    NoDecree,
    #[error("the signing key is not open")]
    KeyNotOpen,
    #[error(
        "{wanted} is no change of the law in this register (not yet informed: {})",
        if .open.is_empty() { "none".to_string() } else { .open.join(", ") }
    )]
    NoSuchChange { wanted: String, open: Vec<String> },
    #[error("cannot read {path}: {detail}")]
    CannotRead { path: String, detail: String },
    #[error("cannot create {path}: {detail}")]
    CannotCreate { path: String, detail: String },
    #[error("cannot sync {path}: {detail}")]
    CannotSync { path: String, detail: String },
    #[error(
        "{given} is neither a register file nor a URL beginning postgresql://; a file whose name has a colon: write it as ./{given}"
    )]
    NotALocator { given: String },
    #[error("is not a PostgreSQL URL tizilim can use: {detail}")]
    PgUrl { detail: String },
    #[error(
        "{0} holds the witness of an earlier register at this path: keep it for the record and move it away (or choose another --db)"
    )]
    EarlierWitness(String),
    #[error("{path}: {detail}")]
    Path { path: String, detail: String },
    // Intake's field errors (src/intake/validate.rs): the JSON path stays as
    // it is, the words come from the catalog.
    #[error("unknown field (expected one of: {0})")]
    UnknownField(String),
    #[error("is required")]
    Required,
    #[error("is required (it is blank)")]
    RequiredBlank,
    #[error("must be {want}, not {found}")]
    WrongType { want: JsonType, found: JsonType },
    #[error("must be true or false, not {0}")]
    NotBool(JsonType),
    #[error("must be one of: {0}")]
    OneOf(String),
    #[error("{day} is before the Rules took effect ({from})")]
    BeforeRules { day: NaiveDate, from: NaiveDate },
    #[error("must be a date YYYY-MM-DD")]
    DateFormat,
    #[error("must be a positive number")]
    NotPositive,
    #[error("{x} {unit} is more than any single ABK ({max} {unit})")]
    MoreThanAny {
        x: f64,
        unit: &'static str,
        max: f64,
    },
    #[error("has {n} items; at most {max} per application")]
    TooManyItems { n: usize, max: usize },
    #[error("the file is {bytes} bytes; an application is at most {mib} MiB")]
    FileTooBig { bytes: usize, mib: usize },
    #[error("not valid UTF-8 (bad byte at offset {0})")]
    NotUtf8(usize),
    #[error("the file is empty")]
    EmptyFile,
    #[error("appears twice in its object: each key may be given once")]
    DuplicateKey,
    #[error("not valid JSON: {0}")]
    NotJson(String),
    #[error("expected a JSON object (one application per file), found {0}")]
    NotAnApplication(JsonType),
    #[error("{0}")]
    Time(TimeError),
    #[error("is only for kind \"change\"")]
    OnlyForChange,
    #[error(
        "must be true: without consent to the processing of personal data the service cannot be provided (Appendix 5, ground 6)"
    )]
    ConsentRequired,
    #[error("is required: list the ABKs (Appendix 3) or, for an exclusion, their serials")]
    UnitsRequired,
    #[error("must list at least one ABK")]
    NoUnits,
    #[error("{serial} repeats units[{first}].serial")]
    SerialRepeats { serial: String, first: usize },
    #[error("{day} is after the application was received ({received})")]
    ChangedAfterReceived { day: NaiveDate, received: NaiveDate },
    #[error(
        "{request_no} was registered as {case} with different content; a corrected application needs a new request number"
    )]
    RequestNoClash { request_no: String, case: String },
    #[error("cannot read standard input: {0}")]
    Stdin(String),
    #[error("{file} is {what}: intake reads regular files (or `-` for standard input)")]
    NotRegularFile { file: String, what: FileKind },
}

/// What a JSON value is (intake's type errors).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum JsonType {
    Null,
    Bool,
    Number,
    String,
    Array,
    Object,
}

impl JsonType {
    pub fn of(v: &serde_json::Value) -> JsonType {
        use serde_json::Value;
        match v {
            Value::Null => JsonType::Null,
            Value::Bool(_) => JsonType::Bool,
            Value::Number(_) => JsonType::Number,
            Value::String(_) => JsonType::String,
            Value::Array(_) => JsonType::Array,
            Value::Object(_) => JsonType::Object,
        }
    }

    /// What a value must be (`must be a string`: Russian says it in the
    /// instrumental, «строкой»).
    fn wanted(self) -> Message {
        Message::new(match self {
            JsonType::Null => "err-json-want-null",
            JsonType::Bool => "err-json-want-bool",
            JsonType::Number => "err-json-want-number",
            JsonType::String => "err-json-want-string",
            JsonType::Array => "err-json-want-array",
            JsonType::Object => "err-json-want-object",
        })
    }

    fn message(self) -> Message {
        Message::new(match self {
            JsonType::Null => "err-json-null",
            JsonType::Bool => "err-json-bool",
            JsonType::Number => "err-json-number",
            JsonType::String => "err-json-string",
            JsonType::Array => "err-json-array",
            JsonType::Object => "err-json-object",
        })
    }
}

impl std::fmt::Display for JsonType {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(match self {
            JsonType::Null => "null",
            JsonType::Bool => "a boolean",
            JsonType::Number => "a number",
            JsonType::String => "a string",
            JsonType::Array => "an array",
            JsonType::Object => "an object",
        })
    }
}

/// What a file intake will not read is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FileKind {
    Fifo,
    Directory,
    Device,
    Socket,
    Other,
}

impl std::fmt::Display for FileKind {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(match self {
            FileKind::Fifo => "a FIFO (named pipe)",
            FileKind::Directory => "a directory",
            FileKind::Device => "a device",
            FileKind::Socket => "a socket",
            FileKind::Other => "not a regular file",
        })
    }
}

impl FileKind {
    fn message(self) -> Message {
        Message::new(match self {
            FileKind::Fifo => "err-filekind-fifo",
            FileKind::Directory => "err-filekind-directory",
            FileKind::Device => "err-filekind-device",
            FileKind::Socket => "err-filekind-socket",
            FileKind::Other => "err-filekind-other",
        })
    }
}

/// A time that is none (`--at`, `received_at`).
pub fn time(e: &TimeError) -> Message {
    match e {
        TimeError::LeapSecond(t) => Message::new("err-time-leap-second").arg("time", t),
        TimeError::NotATime(t) => Message::new("err-time-not-a-time").arg("time", format!("{t:?}")),
        TimeError::Skipped { time, zone } => Message::new("err-time-skipped")
            .arg("time", time)
            .arg("zone", zone),
    }
}

impl Problem {
    /// The problem in the catalog's words.
    pub fn message(&self) -> Message {
        let m = Message::new;
        match self {
            Problem::Login => m("err-problem-login"),
            Problem::BinNotIin(v) => m("err-problem-bin-not-iin").arg("value", v),
            Problem::Id { value, why } => {
                m("err-problem-id").arg("value", value).nest("why", id(why))
            }
            Problem::IdOnly(why) => id(why),
            Problem::InFuture => m("err-problem-in-future"),
            Problem::TimeInFuture(t) => m("err-problem-time-in-future").arg("time", t),
            Problem::Rules(e) => rules(e),
            Problem::FutureDay { day: d, today } => m("err-problem-future-day")
                .arg("day", dmy(d))
                .arg("today", dmy(today)),
            Problem::BeforeEarliest {
                day: d,
                since,
                earliest,
            } => m("err-problem-before-earliest")
                .arg("day", dmy(d))
                .nest("since", since.message())
                .arg("earliest", dmy(earliest)),
            Problem::NotWorkingDay(d) => m("err-problem-not-working-day").arg("day", dmy(d)),
            Problem::Text(t) => text(t),
            Problem::TooLong(max) => m("err-problem-too-long").arg("max", max),
            Problem::Empty => m("err-problem-empty"),
            Problem::Grounds(g) => grounds(g),
            Problem::NoGround => m("err-problem-no-ground"),
            Problem::HearingBeforeNotice(d) => {
                m("err-problem-hearing-before-notice").arg("sent", dmy(d))
            }
            Problem::OfficeHours {
                day: d,
                time,
                opens,
                closes,
                lunch_from,
                lunch_to,
            } => m("err-problem-office-hours")
                .arg("day", dmy(d))
                .arg("time", time)
                .arg("opens", opens)
                .arg("closes", closes)
                .arg("lunch_from", lunch_from)
                .arg("lunch_to", lunch_to),
            Problem::NotADecision => m("err-problem-not-a-decision"),
            Problem::NothingMissing => m("err-problem-nothing-missing"),
            Problem::RefusalNeedsGround => m("err-problem-refusal-needs-ground"),
            Problem::RefusalNeedsReasons => m("err-problem-refusal-needs-reasons"),
            Problem::BeforeApplication => m("err-problem-before-application"),
            Problem::KeyOwnLogin => m("err-problem-key-own-login"),
            Problem::NeedsCertificate => m("err-problem-needs-certificate"),
            Problem::KeyRegistered(k) => m("err-problem-key-registered").arg("key", k),
            Problem::AlreadyRevoked(d) => m("err-problem-already-revoked").arg("on", dmy(d)),
            Problem::NoDecree => m("err-problem-no-decree"),
            Problem::KeyNotOpen => m("err-problem-key-not-open"),
            Problem::NoSuchChange { wanted, open } => {
                if open.is_empty() {
                    m("err-problem-no-such-change-none").arg("wanted", wanted)
                } else {
                    m("err-problem-no-such-change")
                        .arg("wanted", wanted)
                        .arg("open", open.join(", "))
                }
            }
            Problem::CannotRead { path, detail } => m("err-problem-cannot-read")
                .arg("path", path)
                .arg("detail", detail),
            Problem::CannotCreate { path, detail } => m("err-problem-cannot-create")
                .arg("path", path)
                .arg("detail", detail),
            Problem::CannotSync { path, detail } => m("err-problem-cannot-sync")
                .arg("path", path)
                .arg("detail", detail),
            Problem::NotALocator { given } => m("err-problem-not-a-locator").arg("given", given),
            Problem::PgUrl { detail } => m("err-problem-pg-url").arg("detail", detail),
            Problem::EarlierWitness(path) => m("err-problem-earlier-witness").arg("path", path),
            Problem::Path { path, detail } => m("err-problem-path")
                .arg("path", path)
                .arg("detail", detail),
            Problem::UnknownField(known) => m("err-problem-unknown-field").arg("known", known),
            Problem::Required => m("err-problem-required"),
            Problem::RequiredBlank => m("err-problem-required-blank"),
            Problem::WrongType { want, found } => m("err-problem-wrong-type")
                .nest("want", want.wanted())
                .nest("found", found.message()),
            Problem::NotBool(found) => m("err-problem-not-bool").nest("found", found.message()),
            Problem::OneOf(words) => m("err-problem-one-of").arg("words", words),
            Problem::BeforeRules { day, from } => m("err-problem-before-rules")
                .arg("day", day)
                .arg("from", from),
            Problem::DateFormat => m("err-problem-date-format"),
            Problem::NotPositive => m("err-problem-not-positive"),
            Problem::MoreThanAny { x, unit, max } => m("err-problem-more-than-any")
                .arg("x", x)
                .arg("unit", unit)
                .arg("max", max),
            Problem::TooManyItems { n, max } => {
                m("err-problem-too-many-items").arg("n", n).arg("max", max)
            }
            Problem::FileTooBig { bytes, mib } => m("err-problem-file-too-big")
                .arg("bytes", bytes)
                .arg("mib", mib),
            Problem::NotUtf8(offset) => m("err-problem-not-utf8").arg("offset", offset),
            Problem::EmptyFile => m("err-problem-empty-file"),
            Problem::DuplicateKey => m("err-problem-duplicate-key"),
            Problem::NotJson(detail) => m("err-problem-not-json").arg("detail", detail),
            Problem::NotAnApplication(found) => {
                m("err-problem-not-an-application").nest("found", found.message())
            }
            Problem::Time(t) => time(t),
            Problem::OnlyForChange => m("err-problem-only-for-change"),
            Problem::ConsentRequired => m("err-problem-consent-required"),
            Problem::UnitsRequired => m("err-problem-units-required"),
            Problem::NoUnits => m("err-problem-no-units"),
            Problem::SerialRepeats { serial, first } => m("err-problem-serial-repeats")
                .arg("serial", serial)
                .arg("first", first),
            Problem::ChangedAfterReceived { day, received } => {
                m("err-problem-changed-after-received")
                    .arg("day", day)
                    .arg("received", received)
            }
            Problem::RequestNoClash { request_no, case } => m("err-problem-request-no-clash")
                .arg("request_no", request_no)
                .arg("case", case),
            Problem::Stdin(detail) => m("err-problem-stdin").arg("detail", detail),
            Problem::NotRegularFile { file, what } => m("err-problem-not-regular-file")
                .arg("file", file)
                .nest("what", what.message()),
        }
    }
}

/// What was not found (`Error::NotFound`).
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum Missing {
    #[error("case {0}")]
    Case(String),
    #[error("complaint {0}")]
    Complaint(String),
    #[error("user {0}")]
    User(String),
    #[error("key {0}")]
    Key(String),
    #[error("document {0}")]
    Document(String),
    #[error("decision {0}")]
    Decision(String),
    #[error("notice {0}")]
    Notice(String),
    #[error("receipt {0}")]
    Receipt(String),
}

impl Missing {
    pub fn message(&self) -> Message {
        let (key, v) = match self {
            Missing::Case(v) => ("err-missing-case", v),
            Missing::Complaint(v) => ("err-missing-complaint", v),
            Missing::User(v) => ("err-missing-user", v),
            Missing::Key(v) => ("err-missing-key", v),
            Missing::Document(v) => ("err-missing-document", v),
            Missing::Decision(v) => ("err-missing-decision", v),
            Missing::Notice(v) => ("err-missing-notice", v),
            Missing::Receipt(v) => ("err-missing-receipt", v),
        };
        Message::new(key).arg("what", v)
    }
}

/// What a login may not do (`Error::Forbidden`'s `action`), in the catalog:
/// the services' words and the action table's.
pub fn deed(action: &str) -> Option<&'static str> {
    Some(match action {
        "add demo data to a register" => "err-deed-demo",
        "add users" => "err-deed-add-users",
        "amend the calendar" => "err-deed-amend-calendar",
        "back up the register" => "err-deed-backup",
        "read the register" => "err-deed-read",
        "read the report of terms (it names clerks)" => "err-deed-terms-report",
        "record that a change of the law was informed of" => "err-deed-law-informed",
        "register applications" => "err-deed-register",
        "revoke another login's key" => "err-deed-revoke-key",
        "seal the journal" => "err-deed-seal",
        "set a login's IIN" => "err-deed-set-iin",
        "sign documents" => "err-deed-sign",
        "upgrade the register to this tizilim's schema" => "err-deed-upgrade",
        "copy the register to another engine" => "err-deed-migrate",
        "notify_hearing" => "err-deed-notify_hearing",
        "record_hearing" => "err-deed-record_hearing",
        "include" => "err-deed-include",
        "exclude" => "err-deed-exclude",
        "amend" => "err-deed-amend",
        "refuse" => "err-deed-refuse",
        "lodge_complaint" => "err-deed-lodge_complaint",
        "forward" => "err-deed-forward",
        "decide" => "err-deed-decide",
        "attach documents" => "err-deed-attach",
        "record deliveries" => "err-deed-deliveries",
        "refuse applications at the desk" => "err-deed-desk-refusal",
        _ => return None,
    })
}

/// The deeds [`deed`] knows (tests render each).
pub const DEEDS: [&str; 25] = [
    "add demo data to a register",
    "add users",
    "amend the calendar",
    "back up the register",
    "read the register",
    "read the report of terms (it names clerks)",
    "record that a change of the law was informed of",
    "register applications",
    "revoke another login's key",
    "seal the journal",
    "set a login's IIN",
    "sign documents",
    "upgrade the register to this tizilim's schema",
    "notify_hearing",
    "record_hearing",
    "include",
    "exclude",
    "amend",
    "refuse",
    "lodge_complaint",
    "forward",
    "decide",
    "attach documents",
    "record deliveries",
    "refuse applications at the desk",
];

/// Roles as `Error::Forbidden` lists them (`clerk or supervisor or admin`;
/// `none — not a user of this register`), in the catalog's words; anything
/// else as it is.
pub fn roles(list: &str) -> Message {
    if list == "none — not a user of this register" {
        return Message::new("err-role-none");
    }
    let one = |r: &str| match crate::rules::case::Role::parse(r) {
        Some(role) => Message::new(match role {
            crate::rules::case::Role::Operator => "role-operator",
            crate::rules::case::Role::Clerk => "role-clerk",
            crate::rules::case::Role::Supervisor => "role-supervisor",
            crate::rules::case::Role::Admin => "role-admin",
        }),
        None => Message::new("err-detail").arg("detail", r),
    };
    let parts: Vec<&str> = list.split(" or ").collect();
    let mut out: Option<Message> = None;
    for p in parts.iter().rev() {
        out = Some(match out {
            None => one(p),
            Some(rest) => Message::new("err-or").nest("a", one(p)).nest("b", rest),
        });
    }
    out.unwrap_or_else(|| Message::new("err-detail").arg("detail", list))
}

/// A BIN, IIN, phone, e-mail, TN VED code or serial that is not one.
pub fn id(e: &IdError) -> Message {
    let m = Message::new;
    match e {
        IdError::NotTwelveDigits => m("err-id-not-twelve-digits"),
        IdError::FifthDigit => m("err-id-fifth-digit"),
        IdError::BinMonth(n) => m("err-id-bin-month").arg("month", format!("{n:02}")),
        IdError::BinOffice => m("err-id-bin-office"),
        IdError::IinCentury(n) => m("err-id-iin-century").arg("digit", n),
        IdError::IinBirthDate { yy, month, day } => {
            m("err-id-iin-birth-date").arg("date", format!("{yy:02}{month:02}{day:02}"))
        }
        IdError::IinBornLater { born, on } => m("err-id-iin-born-later")
            .arg("born", dmy(born))
            .arg("on", dmy(on)),
        IdError::NeverIssued => m("err-id-never-issued"),
        IdError::CheckDigit { found, expected } => m("err-id-check-digit")
            .arg("found", found)
            .arg("expected", expected),
        IdError::TnVed => m("err-id-tn-ved"),
        IdError::PhoneCharacter(c) => m("err-id-phone-character").arg("ch", format!("{c:?}")),
        IdError::PhoneLength => m("err-id-phone-length"),
        IdError::PhoneCountry => m("err-id-phone-country"),
        IdError::PhoneNotKazakhstan => m("err-id-phone-not-kazakhstan"),
        IdError::EmailTooLong => m("err-id-email-too-long"),
        IdError::EmailNoAt => m("err-id-email-no-at"),
        IdError::EmailLocalLength => m("err-id-email-local-length"),
        IdError::EmailManyAt => m("err-id-email-many-at"),
        IdError::EmailSpace => m("err-id-email-space"),
        IdError::EmailDomain(d) => m("err-id-email-domain").arg("domain", format!("{d:?}")),
        IdError::SerialCharacter { position, ch, what } => m("err-id-serial-character")
            .arg("position", position)
            .arg("ch", format!("{ch:?}"))
            .arg("code", format!("{:04X}", u32::from(*ch)))
            .nest("what", serial_char(*what))
            .arg("alphabet", SERIAL_ALPHABET),
        IdError::SerialEmpty => m("err-id-serial-empty").arg("alphabet", SERIAL_ALPHABET),
    }
}

fn serial_char(c: SerialChar) -> Message {
    Message::new(match c {
        SerialChar::Cyrillic => "err-serial-char-cyrillic",
        SerialChar::Greek => "err-serial-char-greek",
        SerialChar::ForeignDigit => "err-serial-char-foreign-digit",
        SerialChar::Space => "err-serial-char-space",
        SerialChar::ForeignLetter => "err-serial-char-foreign-letter",
        SerialChar::Dash => "err-serial-char-dash",
        SerialChar::Symbol => "err-serial-char-symbol",
    })
}

/// What is wrong with a text a user typed or a file held.
pub fn text(e: &TextError) -> Message {
    use crate::rules::text::Hidden;
    let m = Message::new;
    match e {
        TextError::TooManyBytes { bytes, max } => m("err-text-too-many-bytes")
            .arg("bytes", bytes)
            .arg("max", max),
        TextError::Forbidden { ch, position } => m("err-text-forbidden")
            .arg("shown", crate::rules::text::describe(*ch))
            .arg("position", position)
            .nest(
                "what",
                m(match crate::rules::text::hidden(*ch) {
                    None => "err-hidden-any",
                    Some(Hidden::Control) => "err-hidden-control",
                    Some(Hidden::Format) => "err-hidden-format",
                    Some(Hidden::Separator) => "err-hidden-separator",
                    Some(Hidden::Filler) => "err-hidden-filler",
                    Some(Hidden::Replacement) => "err-hidden-replacement",
                    Some(Hidden::PrivateUse) => "err-hidden-private-use",
                    Some(Hidden::Unassigned) => "err-hidden-unassigned",
                }),
            ),
        TextError::NothingVisible => m("err-text-nothing-visible"),
        TextError::TooLong { chars, max } => {
            m("err-text-too-long").arg("chars", chars).arg("max", max)
        }
    }
}

/// The calendar's refusal.
pub fn calendar(e: &CalendarError) -> Message {
    match e {
        CalendarError::OutOfRange { date, first, last } => {
            let m = if date.year() > *last {
                Message::new("err-calendar-beyond").arg("next", last + 1)
            } else {
                Message::new("err-calendar-outside")
            };
            m.arg("date", date).arg("first", first).arg("last", last)
        }
        CalendarError::Data(d) => Message::new("err-calendar-data").arg("detail", d),
    }
}

use chrono::Datelike;

/// The law's data refused a computation.
pub fn rules(e: &RulesError) -> Message {
    match e {
        RulesError::Calendar(c) => calendar(c),
        RulesError::NoEdition(on, earliest) => Message::new("err-rules-no-edition")
            .arg("on", on)
            .arg("earliest", earliest),
        RulesError::Data(d) => Message::new("err-rules-data").arg("detail", d),
        RulesError::UnknownClock(c, known) => Message::new("err-rules-unknown-clock")
            .arg("clock", format!("{c:?}"))
            .arg("known", known),
    }
}

/// Appendix 5's grounds refused.
pub fn grounds(e: &GroundsError) -> Message {
    match e {
        GroundsError::NoEdition(r) => rules(r),
        GroundsError::NoSuchGround { no, count, edition } => {
            Message::new("err-grounds-no-such-ground")
                .arg("no", no)
                .arg("count", count)
                .arg("edition", dmy(edition))
        }
    }
}

/// What a file at `--db` is instead of a register (`Error::NotRegister`), in
/// the catalog's words; a reason this table does not know, as it is.
pub fn not_a_register(why: &str) -> Message {
    match NOT_A_REGISTER.iter().find(|(en, _)| *en == why) {
        Some((_, key)) => Message::new(key),
        None => Message::new("err-detail").arg("detail", why),
    }
}

/// The reasons `store::sniff` and `identify` give, with their keys.
pub const NOT_A_REGISTER: [(&str, &str); 9] = [
    ("a directory", "err-not-register-directory"),
    ("not a regular file", "err-not-register-not-regular"),
    ("an empty file", "err-not-register-empty"),
    ("not an SQLite database", "err-not-register-not-sqlite"),
    (
        "an SQLite database of another application",
        "err-not-register-other-application",
    ),
    (
        "an SQLite database that claims to be one but holds none of its tables",
        "err-not-register-no-tables",
    ),
    (
        "an SQLite database of something else",
        "err-not-register-something-else",
    ),
    (
        "a PostgreSQL database of something else",
        "err-not-register-pg-other",
    ),
    (
        "a PostgreSQL database that is not empty",
        "err-not-register-pg-not-empty",
    ),
];

/// Why the program could not take, hold or give up the register account
/// (`Error::Privilege`), in the catalog's words; the system's own words (a
/// failed call's errno, an I/O error) as they are.
pub fn privilege(e: &crate::privilege::PrivilegeError) -> Message {
    use crate::privilege::PrivilegeError as P;
    let m = Message::new;
    match e {
        P::Call { call, source } => m("err-privilege-call")
            .arg("call", call)
            .arg("detail", source),
        P::OpenedOnce(p) => m("err-privilege-opened-once").arg("path", p.display()),
        P::NoDir { dir, source } => m("err-privilege-no-dir")
            .arg("dir", dir.display())
            .arg("detail", source),
        P::UnsafeDir { dir, mode, uid } => m("err-privilege-unsafe-dir")
            .arg("dir", dir.display())
            .arg("mode", format!("{mode:o}"))
            .arg("uid", uid),
        P::Unbalanced(c) => m("err-privilege-unbalanced").arg("ch", c),
        P::TrailingBackslash => m("err-privilege-trailing-backslash"),
        P::NotTizilim => m("err-privilege-not-tizilim"),
        P::SshWords(inner) => m("err-privilege-ssh-words").nest("why", privilege(inner)),
    }
}
