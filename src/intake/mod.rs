//! Intake of applications: portal JSON files (`tizilim intake`), each checked,
//! then registered in a transaction of its own — a file with any error stores nothing.

pub mod json;
pub mod text;
pub mod validate;

use std::path::Path;

use chrono::{DateTime, Utc};
use serde::Serialize;

use crate::rules::Law;
use crate::store::{Error, Store, services};
pub use validate::{FieldError, parse_application};

/// What became of one file (`intake --json`).
#[derive(Debug, Serialize)]
pub struct FileOutcome {
    pub file: String,
    pub case: Option<String>,
    pub errors: Vec<FieldError>,
}

fn store_error(e: Error) -> FieldError {
    match e {
        Error::Invalid { field, message } => FieldError::new(field, message),
        other => FieldError::new("$", other.to_string()),
    }
}

/// Reads, validates and registers one file.
pub fn intake_file(
    store: &mut Store,
    law: &Law,
    actor: &str,
    now: DateTime<Utc>,
    path: &Path,
) -> FileOutcome {
    let file = path.display().to_string();
    let fail = |errors| FileOutcome {
        file: file.clone(),
        case: None,
        errors,
    };
    let bytes = match read_bounded(path) {
        Ok(b) => b,
        Err(m) => return fail(vec![FieldError::new("$", m)]),
    };
    let app = match parse_application(&bytes, now, law.rules.office.zone) {
        Ok(app) => app,
        Err(errors) => return fail(errors),
    };
    match store.write(|tx| services::register_application(tx, law, actor, now, app)) {
        Ok(number) => FileOutcome {
            file,
            case: Some(number),
            errors: Vec::new(),
        },
        Err(e) => fail(vec![store_error(e)]),
    }
}

/// Reads at most one byte more than an application may hold, so a huge file
/// is refused without reading it all.
fn read_bounded(path: &Path) -> Result<Vec<u8>, String> {
    use std::io::Read;
    let f =
        std::fs::File::open(path).map_err(|e| format!("cannot read {}: {e}", path.display()))?;
    let mut bytes = Vec::new();
    f.take(validate::MAX_FILE_BYTES as u64 + 1)
        .read_to_end(&mut bytes)
        .map_err(|e| format!("cannot read {}: {e}", path.display()))?;
    Ok(bytes)
}
