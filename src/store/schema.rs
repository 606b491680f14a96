//! Schema migrations. An older file is upgraded in place when opened; never
//! edit a migration that has shipped, add a new one.
//! Each migration after v8 is added in a pair: its PostgreSQL twin goes into
//! `store::pg::MIGRATIONS` with the same number (`tests/pg_schema.rs`).

use rusqlite_migration::{M, Migrations};

const V1: &str = r#"
CREATE TABLE users (
    login     TEXT PRIMARY KEY,
    role      TEXT NOT NULL CHECK (role IN ('operator','clerk','supervisor','admin')),
    added_at  TEXT NOT NULL,
    added_by  TEXT NOT NULL
) STRICT;

CREATE TABLE miners (
    id                    INTEGER PRIMARY KEY,
    bin_iin               TEXT NOT NULL UNIQUE,
    name                  TEXT NOT NULL,
    legal_address         TEXT,
    phone                 TEXT NOT NULL,
    email                 TEXT NOT NULL,
    personal_data_consent INTEGER NOT NULL
) STRICT;

CREATE TABLE data_centers (
    id        INTEGER PRIMARY KEY,
    miner_id  INTEGER NOT NULL REFERENCES miners(id),
    location  TEXT NOT NULL,
    UNIQUE (miner_id, location)
) STRICT;

CREATE TABLE cases (
    id                 INTEGER PRIMARY KEY,
    number             TEXT NOT NULL UNIQUE,
    kind               TEXT NOT NULL,
    channel            TEXT NOT NULL,
    miner_id           INTEGER NOT NULL REFERENCES miners(id),
    data_center_id     INTEGER REFERENCES data_centers(id),
    tn_ved_code        TEXT,
    received_at        TEXT NOT NULL,
    registered_on      TEXT NOT NULL,
    stage              TEXT NOT NULL,
    missing            TEXT NOT NULL,
    changed_on         TEXT,
    change_reason      TEXT,
    hearing_notice_on  TEXT,
    hearing_at         TEXT,
    hearing_place      TEXT,
    hearing_held_on    TEXT,
    decided_on         TEXT,
    decision_no        TEXT,
    grounds            TEXT,
    version            INTEGER NOT NULL,
    registered_seq     INTEGER NOT NULL
) STRICT;
CREATE INDEX cases_open ON cases (stage)
    WHERE stage IN ('incomplete','under_review','hearing_notified','hearing_held');
CREATE INDEX cases_miner ON cases (miner_id);

CREATE TABLE documents (
    case_id      INTEGER NOT NULL REFERENCES cases(id),
    idx          INTEGER NOT NULL,
    kind         TEXT NOT NULL,
    name         TEXT NOT NULL,
    valid_until  TEXT,
    PRIMARY KEY (case_id, idx)
) STRICT, WITHOUT ROWID;

CREATE TABLE units (
    id                   INTEGER PRIMARY KEY,
    case_id              INTEGER NOT NULL REFERENCES cases(id),
    idx                  INTEGER NOT NULL,
    brand                TEXT NOT NULL,
    model                TEXT NOT NULL,
    serial               TEXT NOT NULL,
    hashrate_ths         REAL NOT NULL,
    power_kw             REAL NOT NULL,
    declaration_no       TEXT,
    condition            TEXT NOT NULL,
    status               TEXT NOT NULL,
    entry_no             INTEGER UNIQUE,
    included_on          TEXT,
    inclusion_notice_no  TEXT,
    excluded_on          TEXT,
    exclusion_notice_no  TEXT,
    UNIQUE (case_id, idx)
) STRICT;
CREATE INDEX units_serial ON units (serial);

-- Serials named by exclusion and change applications, with the new wording.
CREATE TABLE case_items (
    case_id  INTEGER NOT NULL REFERENCES cases(id),
    idx      INTEGER NOT NULL,
    serial   TEXT NOT NULL,
    wording  TEXT NOT NULL,
    PRIMARY KEY (case_id, idx)
) STRICT, WITHOUT ROWID;

CREATE TABLE complaints (
    id            INTEGER PRIMARY KEY,
    number        TEXT NOT NULL UNIQUE,
    case_id       INTEGER NOT NULL REFERENCES cases(id),
    addressed_to  TEXT NOT NULL,
    status        TEXT NOT NULL,
    received_at   TEXT NOT NULL,
    registered_on TEXT NOT NULL,
    forwarded_on  TEXT,
    decided_on    TEXT,
    outcome       TEXT,
    text          TEXT NOT NULL
) STRICT;
CREATE INDEX complaints_open ON complaints (status) WHERE status <> 'decided';

CREATE TABLE calendar_amendments (
    date     TEXT PRIMARY KEY,
    working  INTEGER NOT NULL,
    act      TEXT NOT NULL
) STRICT;

CREATE TABLE counters (
    name   TEXT PRIMARY KEY,
    value  INTEGER NOT NULL
) STRICT;

CREATE TABLE journal (
    seq        INTEGER PRIMARY KEY,
    at         TEXT NOT NULL,
    actor      TEXT NOT NULL,
    kind       TEXT NOT NULL,
    subject    TEXT,
    payload    TEXT NOT NULL,
    prev_hash  TEXT NOT NULL,
    hash       TEXT NOT NULL
) STRICT;
CREATE INDEX journal_subject ON journal (subject);

CREATE TRIGGER journal_append_only_u BEFORE UPDATE ON journal
BEGIN SELECT RAISE(ABORT, 'the journal is append-only'); END;
CREATE TRIGGER journal_append_only_d BEFORE DELETE ON journal
BEGIN SELECT RAISE(ABORT, 'the journal is append-only'); END;
CREATE TRIGGER cases_never_deleted BEFORE DELETE ON cases
BEGIN SELECT RAISE(ABORT, 'cases are never deleted'); END;
CREATE TRIGGER units_never_deleted BEFORE DELETE ON units
BEGIN SELECT RAISE(ABORT, 'units are never deleted'); END;
"#;

/// The case workflow (§9–§20): legal dates and reasons of every act, the
/// decisions of a case (a reopened case can have several), complaint versions,
/// and the register's own guard that a serial is included at most once.
/// Upgrading a v1 file back-fills what v1 events imply, so that replaying the
/// journal (`audit verify`) rebuilds the same rows.
const V2_WORKFLOW: &str = r#"
ALTER TABLE cases ADD COLUMN reopened_on TEXT;
ALTER TABLE cases ADD COLUMN hearing_outcome TEXT;
ALTER TABLE cases ADD COLUMN hearing_position TEXT;
ALTER TABLE cases ADD COLUMN reason TEXT;
UPDATE cases SET hearing_outcome = 'held' WHERE hearing_held_on IS NOT NULL;

CREATE TABLE decisions (
    number     TEXT PRIMARY KEY,
    case_id    INTEGER NOT NULL REFERENCES cases(id),
    outcome    TEXT NOT NULL,
    issued_on  TEXT NOT NULL,
    grounds    TEXT NOT NULL,
    reason     TEXT
) STRICT;
CREATE INDEX decisions_case ON decisions (case_id);
INSERT INTO decisions (number, case_id, outcome, issued_on, grounds, reason)
    SELECT decision_no, id, stage, decided_on, coalesce(grounds, '[]'), NULL
    FROM cases WHERE decision_no IS NOT NULL;

ALTER TABLE complaints ADD COLUMN version INTEGER NOT NULL DEFAULT 1;
ALTER TABLE complaints ADD COLUMN reason TEXT;
UPDATE complaints SET version = 1 + (forwarded_on IS NOT NULL) + (decided_on IS NOT NULL);
CREATE INDEX complaints_case ON complaints (case_id);

CREATE UNIQUE INDEX units_included_serial ON units (serial) WHERE status = 'included';
CREATE INDEX case_items_serial ON case_items (serial);
"#;

/// Intake hardening: the keys that recognise a resubmitted application (a
/// content hash of the canonical application and the portal's request
/// number), one row per case, written by `events::apply` from the
/// `CaseRegistered` event. Upgrading an older file back-fills them from the
/// journal (a Rust hook: SQLite cannot hash), so `audit verify` still
/// rebuilds the same rows. The register is also stamped with tizilim's
/// `application_id`, which is how `Store::open` knows a file is a register.
const V3_INTAKE: &str = r#"
CREATE TABLE intake_keys (
    case_id       INTEGER PRIMARY KEY REFERENCES cases(id),
    content_hash  TEXT NOT NULL,
    request_no    TEXT
) STRICT;
CREATE INDEX intake_keys_hash ON intake_keys (content_hash);
CREATE INDEX intake_keys_request ON intake_keys (request_no) WHERE request_no IS NOT NULL;
PRAGMA application_id = 1415203917;
"#;

/// `PRAGMA application_id` of a tizilim register: "TZLM" in ASCII.
pub const APPLICATION_ID: i32 = 0x545A_4C4D;
/// What the console's panes sort and filter by: hearings by date, cases
/// decided on a day (the queue's "decided today" view), miners by name.
const V4_CONSOLE_INDEXES: &str = r#"
CREATE INDEX cases_hearing_at ON cases (hearing_at) WHERE hearing_at IS NOT NULL;
CREATE INDEX cases_decided_on ON cases (decided_on) WHERE decided_on IS NOT NULL;
CREATE INDEX complaints_registered ON complaints (registered_on);
"#;

/// Signed notifications (Appendices 6–8): the public keys of the persons who
/// sign, with their validity, the notices issued with each decision, and the
/// admins' signed checkpoints of the journal (`audit seal`).
const V5_DOCUMENTS: &str = r#"
CREATE TABLE signing_keys (
    fingerprint  TEXT PRIMARY KEY,
    login        TEXT NOT NULL,
    algorithm    TEXT NOT NULL,
    public_key   TEXT NOT NULL,
    name         TEXT NOT NULL,
    position     TEXT NOT NULL,
    valid_from   TEXT NOT NULL,
    revoked_on   TEXT,
    -- journal rows of registration and revocation: a notice verifies if it
    -- was journaled between them
    from_seq     INTEGER NOT NULL,
    revoked_seq  INTEGER
) STRICT;
CREATE INDEX signing_keys_login ON signing_keys (login);

CREATE TABLE notices (
    number       TEXT PRIMARY KEY,
    case_id      INTEGER NOT NULL REFERENCES cases(id),
    kind         TEXT NOT NULL,
    issued_on    TEXT NOT NULL,
    content      TEXT NOT NULL,
    signer       TEXT NOT NULL,
    fingerprint  TEXT NOT NULL REFERENCES signing_keys(fingerprint),
    signature    TEXT NOT NULL,
    seq          INTEGER NOT NULL
) STRICT;
CREATE INDEX notices_case ON notices (case_id);

-- The energy view (§3): included units' power and hashrate by case, without
-- touching the rest of the units table.
CREATE INDEX units_included_energy ON units (case_id, power_kw, hashrate_ths)
    WHERE status = 'included';

-- The units a notification of exclusion names.
CREATE INDEX units_exclusion_notice ON units (exclusion_notice_no)
    WHERE exclusion_notice_no IS NOT NULL;

CREATE TABLE seals (
    seq          INTEGER PRIMARY KEY,
    head_seq     INTEGER NOT NULL,
    head_hash    TEXT NOT NULL,
    signer       TEXT NOT NULL,
    fingerprint  TEXT NOT NULL REFERENCES signing_keys(fingerprint),
    signature    TEXT NOT NULL
) STRICT;
"#;

/// v6: terms on the record (issue 20). Every act that ends one of the Rules'
/// clocks leaves a `term_ended` journal row; this is its read model. Acts of
/// registers from before v6 are not on it (their terms were never recorded).
const V6_TERMS: &str = r#"
CREATE TABLE terms (
    seq          INTEGER PRIMARY KEY,
    case_number  TEXT NOT NULL,
    complaint    TEXT,
    clock        TEXT NOT NULL,
    rule         TEXT NOT NULL,
    due          TEXT NOT NULL,
    done_on      TEXT NOT NULL,
    late_wd      INTEGER NOT NULL,
    reason       TEXT,
    actor        TEXT NOT NULL
) STRICT;
CREATE INDEX terms_case ON terms (case_number);
CREATE INDEX terms_done_on ON terms (done_on);

-- §16: changes of the law the provider has informed the e-government
-- operator and the unified contact centre of.
CREATE TABLE law_informed (
    change       TEXT PRIMARY KEY,
    informed_on  TEXT NOT NULL,
    seq          INTEGER NOT NULL,
    actor        TEXT NOT NULL
) STRICT;
"#;

/// v7: qualified signatures (issue 19) and each notice stored once (issue
/// 18). A login's IIN (a certificate it imports must be of it); the .p12 a
/// certificate key is opened from (the signer's own file: its path only);
/// the notices table keeps no copy of the content and signature, which the
/// journal row it names (`seq`) holds.
const V7_CERTIFICATES: &str = r#"
ALTER TABLE users ADD COLUMN iin TEXT;
ALTER TABLE signing_keys ADD COLUMN p12_path TEXT;
ALTER TABLE notices DROP COLUMN content;
ALTER TABLE notices DROP COLUMN signature;
"#;

/// v8 (issue 21, casefile21): the applicant as filed with each case (a later
/// application with the same BIN/IIN updates `miners`, never what earlier
/// cases and their notices show), back-filled from each case's registration
/// row; documents attached to a case after registration (`case attach`:
/// number, SHA-256, size, journal row) and their files, kept in the register
/// itself (`attachments`, by SHA-256, which the journal row names: owned by
/// the register account, in every backup, never changed or deleted); how and when each notice reached the
/// applicant (`doc delivered`); the §9 refusals to accept at the desk (no
/// case is registered: a receipt number, who, when, what was missing).
const V8_CASEFILE: &str = r#"
ALTER TABLE cases ADD COLUMN applicant_name TEXT;
ALTER TABLE cases ADD COLUMN applicant_address TEXT;
ALTER TABLE cases ADD COLUMN applicant_phone TEXT;
ALTER TABLE cases ADD COLUMN applicant_email TEXT;
UPDATE cases SET
    applicant_name = json_extract(j.payload, '$.application.applicant.name'),
    applicant_address = json_extract(j.payload, '$.application.applicant.legal_address'),
    applicant_phone = json_extract(j.payload, '$.application.applicant.phone'),
    applicant_email = json_extract(j.payload, '$.application.applicant.email')
  FROM journal j WHERE j.seq = cases.registered_seq AND j.kind = 'case_registered';

ALTER TABLE documents ADD COLUMN number TEXT;
ALTER TABLE documents ADD COLUMN sha256 TEXT;
ALTER TABLE documents ADD COLUMN size INTEGER;
ALTER TABLE documents ADD COLUMN attached_seq INTEGER;
CREATE TABLE attachments (
    sha256  TEXT PRIMARY KEY,
    bytes   BLOB NOT NULL
) STRICT;
CREATE TRIGGER attachments_kept_u BEFORE UPDATE ON attachments
BEGIN SELECT RAISE(ABORT, 'attached files are never changed'); END;
CREATE TRIGGER attachments_kept_d BEFORE DELETE ON attachments
BEGIN SELECT RAISE(ABORT, 'attached files are never deleted'); END;

CREATE TABLE deliveries (
    seq           INTEGER PRIMARY KEY,
    notice        TEXT NOT NULL REFERENCES notices(number),
    via           TEXT NOT NULL CHECK (via IN ('cabinet','email','office')),
    delivered_on  TEXT NOT NULL,
    actor         TEXT NOT NULL
) STRICT;
CREATE INDEX deliveries_notice ON deliveries (notice);

CREATE TABLE desk_refusals (
    receipt      TEXT PRIMARY KEY,
    kind         TEXT NOT NULL,
    received_at  TEXT NOT NULL,
    refused_on   TEXT NOT NULL,
    bin_iin      TEXT NOT NULL,
    name         TEXT NOT NULL,
    missing      TEXT NOT NULL,
    lang         TEXT NOT NULL,
    seq          INTEGER NOT NULL,
    actor        TEXT NOT NULL
) STRICT;
"#;

const MIGRATIONS: &[M<'static>] = &[
    M::up(V1),
    M::up(V2_WORKFLOW),
    M::up(V3_INTAKE),
    M::up(V4_CONSOLE_INDEXES),
    M::up(V5_DOCUMENTS),
    M::up(V6_TERMS),
    M::up(V7_CERTIFICATES),
    M::up(V8_CASEFILE),
];

/// The schema version this build writes (`PRAGMA user_version`).
pub const LATEST: usize = MIGRATIONS.len();

/// The migrations, with the Rust hooks of those that need one.
pub fn migrations() -> Migrations<'static> {
    Migrations::from_iter(MIGRATIONS.iter().map(|m| {
        if *m == M::up(V3_INTAKE) {
            M::up_with_hook(V3_INTAKE, backfill_intake_keys)
        } else {
            m.clone()
        }
    }))
}

/// The read-model tables `audit verify` rebuilds and compares, with their keys.
pub const READ_MODELS: &[(&str, &str)] = &[
    ("users", "login"),
    ("miners", "id"),
    ("data_centers", "id"),
    ("cases", "id"),
    ("documents", "case_id, idx"),
    ("units", "id"),
    ("case_items", "case_id, idx"),
    ("complaints", "id"),
    ("decisions", "number"),
    ("intake_keys", "case_id"),
    ("calendar_amendments", "date"),
    ("counters", "name"),
    ("signing_keys", "fingerprint"),
    ("notices", "number"),
    ("seals", "seq"),
    ("terms", "seq"),
    ("law_informed", "change"),
    ("deliveries", "seq"),
    ("desk_refusals", "receipt"),
];

/// Migration hook (schema v3): the keys of every case registered before it,
/// from the journal, exactly as `apply` would write them on replay.
fn backfill_intake_keys(tx: &rusqlite::Transaction) -> rusqlite_migration::HookResult {
    let hook = |m: String| rusqlite_migration::HookError::Hook(m);
    let mut st =
        tx.prepare("SELECT seq, payload FROM journal WHERE kind = 'case_registered' ORDER BY seq")?;
    let mut rows = st.query([])?;
    while let Some(r) = rows.next()? {
        let seq: i64 = r.get(0)?;
        let payload: String = r.get(1)?;
        let event: super::events::Event =
            serde_json::from_str(&payload).map_err(|e| hook(format!("journal row {seq}: {e}")))?;
        let super::events::Event::CaseRegistered {
            number,
            application,
            ..
        } = event
        else {
            return Err(hook(format!("journal row {seq}: not a case registration")));
        };
        let case_id: i64 = tx
            .prepare_cached("SELECT id FROM cases WHERE number = ?1")?
            .query_row([&number], |r| r.get(0))?;
        super::dedup::record(tx, case_id, &application).map_err(|e| hook(e.to_string()))?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    #[test]
    fn migrations_are_valid() {
        super::migrations().validate().unwrap();
    }

    #[test]
    fn application_id_is_tzlm() {
        assert_eq!(super::APPLICATION_ID, 1415203917);
        assert_eq!(&super::APPLICATION_ID.to_be_bytes(), b"TZLM");
    }
}
