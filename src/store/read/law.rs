//! §16: changes of the law that start the clock to inform the e-government
//! operator and the unified contact centre (3 working days): an edition of
//! the Rules' data that takes effect, and a calendar amendment recorded in
//! this register. Only changes on or after the register was created count.

use chrono::{DateTime, NaiveDate, Utc};
use serde::Serialize;

use super::monitor::Deadline;
use crate::rules::Law;
use crate::store::sql::Sql;
use crate::store::{Error, Result};

/// A change of the law, and whether the provider has informed of it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct LawChange {
    /// `LAW-YYYY-MM-DD`: the day it took effect here.
    pub change: String,
    pub took_effect: NaiveDate,
    /// What changed, in words.
    pub what: String,
    pub informed_on: Option<NaiveDate>,
}

fn created_on(db: &dyn Sql, law: &Law) -> Result<Option<NaiveDate>> {
    let at: Option<String> = db.row("SELECT at FROM journal WHERE seq = 1", &[], |r| r.get(0))?;
    at.map(|a| {
        DateTime::parse_from_rfc3339(&a)
            .map(|t| law.calendar.local_date(t.with_timezone(&Utc)))
            .map_err(|e| Error::Corrupt(format!("journal row 1: at: {e}")))
    })
    .transpose()
}

/// Every change since the register was created, oldest first.
pub fn changes(db: &dyn Sql, law: &Law) -> Result<Vec<LawChange>> {
    let Some(created) = created_on(db, law)? else {
        return Ok(Vec::new());
    };
    let mut out: Vec<LawChange> = law
        .rules
        .editions()
        .iter()
        .filter(|e| e.effective_from >= created)
        .map(|e| LawChange {
            change: format!("LAW-{}", e.effective_from),
            took_effect: e.effective_from,
            what: format!("edition of the Rules' data: {}", e.act),
            informed_on: None,
        })
        .collect();
    // Found through the subject's index: an amendment's row names
    // `calendar:DATE` (`Event::subject`), so the journal is not scanned
    // whole (442,873 rows in the national demo: half of what the queue's
    // snapshot cost).
    let amended: Vec<(String, String)> = db.rows(
        "SELECT at, payload FROM journal
          WHERE subject >= 'calendar:' AND subject < 'calendar;' AND kind = 'calendar_amended'
          ORDER BY seq",
        &[],
        |r| Ok((r.get(0)?, r.get(1)?)),
    )?;
    for (at, payload) in amended {
        let day = DateTime::parse_from_rfc3339(&at)
            .map(|t| law.calendar.local_date(t.with_timezone(&Utc)))
            .map_err(|e| Error::Corrupt(format!("calendar amendment at {at}: {e}")))?;
        let v: serde_json::Value = serde_json::from_str(&payload)?;
        let what = format!(
            "calendar amendment: {} {} ({})",
            v["date"].as_str().unwrap_or("?"),
            if v["working"].as_bool() == Some(true) {
                "a working day"
            } else {
                "a day off"
            },
            v["act"].as_str().unwrap_or("")
        );
        match out.iter_mut().find(|c| c.took_effect == day) {
            Some(c) => c.what = format!("{}; {what}", c.what),
            None => out.push(LawChange {
                change: format!("LAW-{day}"),
                took_effect: day,
                what,
                informed_on: None,
            }),
        }
    }
    out.sort_by_key(|c| c.took_effect);
    for c in &mut out {
        c.informed_on = db
            .row(
                "SELECT informed_on FROM law_informed WHERE change = ?1",
                crate::args![c.change],
                |r| r.get::<Option<NaiveDate>>(0),
            )?
            .flatten();
    }
    Ok(out)
}

/// The §16 clocks still running on `today`: one per change not yet informed.
pub fn running(db: &dyn Sql, law: &Law, today: NaiveDate) -> Result<Vec<Deadline>> {
    let mut out = Vec::new();
    for c in changes(db, law)? {
        if c.informed_on.is_some() || c.took_effect > today {
            continue;
        }
        let Some(span) = law.rules.inform_egov_due(&law.calendar, c.took_effect)? else {
            continue;
        };
        let rule = law.rules.rule(c.took_effect, "inform_egov")?;
        out.push(Deadline {
            case: c.change,
            complaint: None,
            reading: crate::rules::clocks::reading(&law.calendar, rule, span, today)?,
        });
    }
    Ok(out)
}
