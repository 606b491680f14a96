//! Portal JSON (ARCHITECTURE.md) → a validated `Application`. Every error names the
//! JSON path of the bad field; all errors of a file are reported together.

use std::collections::HashMap;

use chrono::{DateTime, NaiveDate, Utc};
use chrono_tz::Tz;
use serde::Serialize;
use serde_json::{Map, Value};

use crate::i18n::Message;
use crate::rules::calendar::parse_instant;
use crate::rules::ids;
use crate::rules::text;
use crate::rules::{CaseKind, Channel, Condition, Law};
use crate::store::model::{Applicant, Application, ChangeNotice, Document, DocumentKind, Unit};
use crate::store::reason::{JsonType, Problem};

/// What is wrong with a field: its JSON path, the words in English (for
/// `--json` and the logs) and the catalog message (for the reader, in their
/// language).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct FieldError {
    pub field: String,
    pub message: String,
    #[serde(skip)]
    pub why: Message,
}

impl FieldError {
    pub fn new(field: impl Into<String>, problem: Problem) -> Self {
        FieldError {
            field: field.into(),
            message: problem.to_string(),
            why: problem.message(),
        }
    }

    /// A store error as the field it names (`$`: the whole application).
    pub fn store(e: &crate::store::Error) -> Self {
        match e {
            crate::store::Error::Invalid { field, problem } => {
                FieldError::new(field.clone(), (**problem).clone())
            }
            other => FieldError {
                field: "$".into(),
                message: other.to_string(),
                why: other.message(),
            },
        }
    }
}

impl std::fmt::Display for FieldError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}: {}", self.field, self.message)
    }
}

pub const MAX_FILE_BYTES: usize = 16 << 20;
pub const MAX_UNITS: usize = 20_000;
pub const MAX_DOCUMENTS: usize = 200;
const MAX_HASHRATE_THS: f64 = 10_000.0;
const MAX_POWER_KW: f64 = 100.0;

fn type_name(v: &Value) -> JsonType {
    JsonType::of(v)
}

fn join(prefix: &str, key: &str) -> String {
    if prefix.is_empty() {
        key.to_string()
    } else {
        format!("{prefix}.{key}")
    }
}

#[derive(Default)]
struct Checker {
    errors: Vec<FieldError>,
}

impl Checker {
    fn err(&mut self, field: impl Into<String>, problem: Problem) {
        self.errors.push(FieldError::new(field, problem));
    }

    fn unknown_fields(&mut self, obj: &Map<String, Value>, prefix: &str, known: &[&str]) {
        for k in obj.keys() {
            if !known.contains(&k.as_str()) {
                let shown = text::for_terminal(k, 40);
                self.err(
                    join(prefix, &shown),
                    Problem::UnknownField(known.join(", ")),
                );
            }
        }
    }

    /// A present, non-null value, or an error if required.
    fn get<'v>(
        &mut self,
        obj: &'v Map<String, Value>,
        prefix: &str,
        key: &str,
        required: bool,
    ) -> Option<&'v Value> {
        match obj.get(key) {
            None | Some(Value::Null) => {
                if required {
                    self.err(join(prefix, key), Problem::Required);
                }
                None
            }
            Some(v) => Some(v),
        }
    }

    fn text(
        &mut self,
        obj: &Map<String, Value>,
        prefix: &str,
        key: &str,
        max: usize,
        required: bool,
    ) -> Option<String> {
        let v = self.get(obj, prefix, key, required)?;
        let Value::String(s) = v else {
            self.err(
                join(prefix, key),
                Problem::WrongType {
                    want: JsonType::String,
                    found: type_name(v),
                },
            );
            return None;
        };
        match text::clean(s, max) {
            Ok(t) if t.is_empty() => {
                if required {
                    self.err(join(prefix, key), Problem::RequiredBlank);
                }
                None
            }
            Ok(t) => Some(t),
            Err(m) => {
                self.err(join(prefix, key), Problem::Text(m));
                None
            }
        }
    }

    /// Text passed through a normaliser that may refuse it.
    fn checked(
        &mut self,
        obj: &Map<String, Value>,
        prefix: &str,
        key: &str,
        max: usize,
        required: bool,
        check: impl Fn(&str) -> Result<String, ids::IdError>,
    ) -> Option<String> {
        let t = self.text(obj, prefix, key, max, required)?;
        match check(&t) {
            Ok(v) => Some(v),
            Err(m) => {
                self.err(join(prefix, key), Problem::IdOnly(m));
                None
            }
        }
    }

    fn word<T>(
        &mut self,
        obj: &Map<String, Value>,
        prefix: &str,
        key: &str,
        required: bool,
        parse: fn(&str) -> Option<T>,
        words: fn() -> String,
    ) -> Option<T> {
        let t = self.text(obj, prefix, key, 40, required)?;
        let w = parse(&t);
        if w.is_none() {
            self.err(join(prefix, key), Problem::OneOf(words()));
        }
        w
    }

    /// A date no earlier than `from`, the day the Rules took effect: a
    /// change made, or a document valid until, a day before the register
    /// existed is a typo (`1000-01-01`), never a fact to count from.
    fn date(
        &mut self,
        obj: &Map<String, Value>,
        prefix: &str,
        key: &str,
        required: bool,
        from: NaiveDate,
    ) -> Option<NaiveDate> {
        let t = self.text(obj, prefix, key, 20, required)?;
        match NaiveDate::parse_from_str(&t, "%Y-%m-%d") {
            Ok(d) if d < from => {
                self.err(join(prefix, key), Problem::BeforeRules { day: d, from });
                None
            }
            Ok(d) => Some(d),
            Err(_) => {
                self.err(join(prefix, key), Problem::DateFormat);
                None
            }
        }
    }

    fn positive(
        &mut self,
        obj: &Map<String, Value>,
        prefix: &str,
        key: &str,
        max: f64,
        unit: &'static str,
        required: bool,
    ) -> Option<f64> {
        let v = self.get(obj, prefix, key, required)?;
        let Some(x) = v.as_f64() else {
            self.err(
                join(prefix, key),
                Problem::WrongType {
                    want: JsonType::Number,
                    found: type_name(v),
                },
            );
            return None;
        };
        if !(x.is_finite() && x > 0.0) {
            self.err(join(prefix, key), Problem::NotPositive);
            return None;
        }
        if x > max {
            self.err(join(prefix, key), Problem::MoreThanAny { x, unit, max });
            return None;
        }
        Some(x)
    }

    fn object<'v>(
        &mut self,
        obj: &'v Map<String, Value>,
        prefix: &str,
        key: &str,
        required: bool,
    ) -> Option<&'v Map<String, Value>> {
        let v = self.get(obj, prefix, key, required)?;
        match v {
            Value::Object(m) => Some(m),
            other => {
                self.err(
                    join(prefix, key),
                    Problem::WrongType {
                        want: JsonType::Object,
                        found: type_name(other),
                    },
                );
                None
            }
        }
    }

    fn array<'v>(
        &mut self,
        obj: &'v Map<String, Value>,
        key: &str,
        max: usize,
    ) -> Option<&'v Vec<Value>> {
        let v = self.get(obj, "", key, false)?;
        match v {
            Value::Array(a) if a.len() > max => {
                self.err(key, Problem::TooManyItems { n: a.len(), max });
                None
            }
            Value::Array(a) => Some(a),
            other => {
                self.err(
                    key,
                    Problem::WrongType {
                        want: JsonType::Array,
                        found: type_name(other),
                    },
                );
                None
            }
        }
    }
}

/// Reads one portal file. `now` bounds `received_at`; the law's office zone
/// reads a time given without an offset, and the day its Rules took effect
/// bounds every date.
pub fn parse_application(
    bytes: &[u8],
    now: DateTime<Utc>,
    law: &Law,
) -> Result<Application, Vec<FieldError>> {
    let root_err = |p: Problem| vec![FieldError::new("$", p)];
    if bytes.len() > MAX_FILE_BYTES {
        return Err(root_err(Problem::FileTooBig {
            bytes: bytes.len(),
            mib: MAX_FILE_BYTES >> 20,
        }));
    }
    let s = std::str::from_utf8(bytes).map_err(|e| root_err(Problem::NotUtf8(e.valid_up_to())))?;
    let s = s.strip_prefix('\u{FEFF}').unwrap_or(s);
    if s.trim().is_empty() {
        return Err(root_err(Problem::EmptyFile));
    }
    let value: Value = match super::json::parse_strict(s) {
        Ok(v) => v,
        Err(super::json::JsonError::Duplicate(path)) => {
            return Err(vec![FieldError::new(path, Problem::DuplicateKey)]);
        }
        Err(super::json::JsonError::Syntax(e)) => {
            return Err(root_err(Problem::NotJson(e.to_string())));
        }
    };
    let Value::Object(root) = value else {
        return Err(root_err(Problem::NotAnApplication(type_name(&value))));
    };
    let mut c = Checker::default();
    let app = check_root(&mut c, &root, now, law);
    match app {
        Some(app) if c.errors.is_empty() => Ok(app),
        _ => Err(c.errors),
    }
}

fn check_root(
    c: &mut Checker,
    root: &Map<String, Value>,
    now: DateTime<Utc>,
    law: &Law,
) -> Option<Application> {
    let zone: Tz = law.rules.office.zone;
    let rules_from = law.rules.in_force_from();
    c.unknown_fields(
        root,
        "",
        &[
            "kind",
            "channel",
            "received_at",
            "applicant",
            "data_center",
            "tn_ved_code",
            "units",
            "documents",
            "change",
            "request_no",
        ],
    );
    let request_no = c.text(root, "", "request_no", 64, false);
    let kind = c.word(root, "", "kind", true, CaseKind::parse, CaseKind::words);
    let channel = c.word(root, "", "channel", true, Channel::parse, Channel::words);
    let received_at =
        c.text(root, "", "received_at", 40, true)
            .and_then(|t| match parse_instant(&t, zone) {
                Ok(at) if at > now => {
                    c.err("received_at", Problem::TimeInFuture(t));
                    None
                }
                Ok(at) => Some(at),
                Err(m) => {
                    c.err("received_at", Problem::Time(m));
                    None
                }
            });
    let inclusion = kind == Some(CaseKind::Inclusion);
    // The day of filing (else today): an IIN's holder was born by then.
    let filed_on = received_at.unwrap_or(now).with_timezone(&zone).date_naive();
    let applicant = c
        .object(root, "", "applicant", true)
        .and_then(|a| check_applicant(c, a, inclusion, filed_on));
    let data_center = c.text(root, "", "data_center", 500, inclusion);
    let tn_ved_code = c.checked(
        root,
        "",
        "tn_ved_code",
        30,
        inclusion,
        ids::normalize_tn_ved,
    );
    let units = check_units(c, root, kind);
    let documents = check_documents(c, root, rules_from);
    let change = match (
        kind,
        c.object(root, "", "change", kind == Some(CaseKind::Change)),
    ) {
        (Some(CaseKind::Change), Some(ch)) => check_change(
            c,
            ch,
            received_at.map(|r| r.with_timezone(&zone).date_naive()),
            rules_from,
        ),
        (Some(_), Some(_)) => {
            c.err("change", Problem::OnlyForChange);
            None
        }
        _ => None,
    };
    Some(Application {
        kind: kind?,
        channel: channel?,
        received_at: received_at?,
        applicant: applicant?,
        data_center,
        tn_ved_code,
        units: units?,
        documents: documents?,
        change,
        request_no,
    })
}

fn check_applicant(
    c: &mut Checker,
    a: &Map<String, Value>,
    inclusion: bool,
    filed_on: NaiveDate,
) -> Option<Applicant> {
    const P: &str = "applicant";
    c.unknown_fields(
        a,
        P,
        &[
            "name",
            "bin_iin",
            "legal_address",
            "phone",
            "email",
            "personal_data_consent",
        ],
    );
    let name = c.text(a, P, "name", 300, true);
    let bin_iin = c.checked(a, P, "bin_iin", 20, true, |s| {
        ids::validate_bin_iin(s, filed_on).map(|_| s.to_string())
    });
    let legal_address = c.text(a, P, "legal_address", 500, inclusion);
    let phone = c.checked(a, P, "phone", 30, true, ids::normalize_phone);
    let email = c.checked(a, P, "email", 254, true, ids::normalize_email);
    let consent = match c.get(a, P, "personal_data_consent", true) {
        Some(Value::Bool(true)) => Some(true),
        Some(Value::Bool(false)) => {
            c.err("applicant.personal_data_consent", Problem::ConsentRequired);
            None
        }
        Some(v) => {
            c.err(
                "applicant.personal_data_consent",
                Problem::NotBool(type_name(v)),
            );
            None
        }
        None => None,
    };
    Some(Applicant {
        name: name?,
        bin_iin: bin_iin?,
        legal_address,
        phone: phone?,
        email: email?,
        personal_data_consent: consent?,
    })
}

fn check_units(
    c: &mut Checker,
    root: &Map<String, Value>,
    kind: Option<CaseKind>,
) -> Option<Vec<Unit>> {
    let Some(items) = c.array(root, "units", MAX_UNITS) else {
        if root.get("units").is_none_or(Value::is_null) {
            c.err("units", Problem::UnitsRequired);
        }
        return None;
    };
    if items.is_empty() {
        c.err("units", Problem::NoUnits);
        return None;
    }
    let full = kind == Some(CaseKind::Inclusion);
    let mut units = Vec::with_capacity(items.len());
    let mut seen: HashMap<String, usize> = HashMap::with_capacity(items.len());
    let mut ok = true;
    for (i, item) in items.iter().enumerate() {
        let p = format!("units[{i}]");
        let Value::Object(u) = item else {
            c.err(
                &p,
                Problem::WrongType {
                    want: JsonType::Object,
                    found: type_name(item),
                },
            );
            ok = false;
            continue;
        };
        c.unknown_fields(
            u,
            &p,
            &[
                "brand",
                "model",
                "serial",
                "hashrate_ths",
                "power_kw",
                "declaration_no",
                "condition",
            ],
        );
        let brand = c.text(u, &p, "brand", 100, full);
        let model = c.text(u, &p, "model", 100, full);
        let serial = c.checked(u, &p, "serial", 64, true, ids::canonical_serial);
        let hashrate_ths = c.positive(u, &p, "hashrate_ths", MAX_HASHRATE_THS, "TH/s", full);
        let power_kw = c.positive(u, &p, "power_kw", MAX_POWER_KW, "kW", full);
        let declaration_no = c.text(u, &p, "declaration_no", 64, false);
        let condition = c.word(u, &p, "condition", full, Condition::parse, Condition::words);
        let Some(serial) = serial else {
            ok = false;
            continue;
        };
        if let Some(first) = seen.insert(serial.clone(), i) {
            c.err(
                format!("{p}.serial"),
                Problem::SerialRepeats {
                    serial: serial.clone(),
                    first,
                },
            );
        }
        units.push(Unit {
            brand,
            model,
            serial,
            hashrate_ths,
            power_kw,
            declaration_no,
            condition,
        });
    }
    ok.then_some(units)
}

fn check_documents(
    c: &mut Checker,
    root: &Map<String, Value>,
    rules_from: NaiveDate,
) -> Option<Vec<Document>> {
    if root.get("documents").is_none_or(Value::is_null) {
        return Some(Vec::new()); // an incomplete package, not an input error (§9)
    }
    let items = c.array(root, "documents", MAX_DOCUMENTS)?;
    let mut docs = Vec::with_capacity(items.len());
    let mut ok = true;
    for (i, item) in items.iter().enumerate() {
        let p = format!("documents[{i}]");
        let Value::Object(d) = item else {
            c.err(
                &p,
                Problem::WrongType {
                    want: JsonType::Object,
                    found: type_name(item),
                },
            );
            ok = false;
            continue;
        };
        c.unknown_fields(d, &p, &["kind", "name", "valid_until"]);
        let kind = c.word(
            d,
            &p,
            "kind",
            true,
            DocumentKind::parse,
            DocumentKind::words,
        );
        let name = c.text(d, &p, "name", 255, true);
        // Expired before the filing: an incomplete package (§9), not an
        // input error; expired before the Rules existed: a typo.
        let valid_until = c.date(d, &p, "valid_until", false, rules_from);
        match (kind, name) {
            (Some(kind), Some(name)) => docs.push(Document {
                kind,
                name,
                valid_until,
            }),
            _ => ok = false,
        }
    }
    ok.then_some(docs)
}

fn check_change(
    c: &mut Checker,
    ch: &Map<String, Value>,
    received_on: Option<NaiveDate>,
    rules_from: NaiveDate,
) -> Option<ChangeNotice> {
    c.unknown_fields(ch, "change", &["changed_on", "reason"]);
    let changed_on = c.date(ch, "change", "changed_on", true, rules_from);
    let reason = c.text(ch, "change", "reason", 2000, true);
    if let (Some(d), Some(r)) = (changed_on, received_on)
        && d > r
    {
        c.err(
            "change.changed_on",
            Problem::ChangedAfterReceived {
                day: d,
                received: r,
            },
        );
        return None;
    }
    Some(ChangeNotice {
        changed_on: changed_on?,
        reason: reason?,
    })
}
