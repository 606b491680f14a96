//! Terms on the record (issue 20): each ended clock of a case, and the
//! supervisors' report over a period (acts in time and late, per paragraph,
//! clerk and month, and the clocks overdue now).

use chrono::NaiveDate;
use serde::Serialize;

use crate::rules::ClockState;
use crate::store::sql::{Row, Sql};
use crate::store::{Error, Result};

/// One ended clock, as `case show` lists it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Term {
    pub rule: String,
    pub clock: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub complaint: Option<String>,
    pub due: NaiveDate,
    pub done_on: NaiveDate,
    /// Working days after `due`; 0 in time.
    pub late_wd: i32,
    pub reason: Option<String>,
    pub actor: String,
    #[serde(skip)]
    pub case: String,
    /// The journal row that recorded it.
    #[serde(skip)]
    pub seq: i64,
}

macro_rules! term_sql {
    () => {
        "SELECT rule, clock, complaint, due, done_on, late_wd, reason, actor,
    case_number, seq FROM terms"
    };
}

fn term_row(r: &Row) -> Result<Term> {
    let late: i64 = r.get(5)?;
    Ok(Term {
        rule: r.get(0)?,
        clock: r.get(1)?,
        complaint: r.get(2)?,
        due: r.get(3)?,
        done_on: r.get(4)?,
        late_wd: i32::try_from(late)
            .map_err(|_| Error::Corrupt(format!("terms: late_wd {late} out of range")))?,
        reason: r.get(6)?,
        actor: r.get(7)?,
        case: r.get(8)?,
        seq: r.get(9)?,
    })
}

/// The ended clocks of a case (and of its complaints), in the order they ended.
pub fn of_case(db: &dyn Sql, case: &str) -> Result<Vec<Term>> {
    db.rows(
        concat!(term_sql!(), " WHERE case_number = ?1 ORDER BY seq"),
        crate::args![case],
        term_row,
    )
}

/// Every act whose legal date falls in `from..=to`, in date order.
pub fn between(db: &dyn Sql, from: NaiveDate, to: NaiveDate) -> Result<Vec<Term>> {
    db.rows(
        concat!(
            term_sql!(),
            " WHERE done_on BETWEEN ?1 AND ?2 ORDER BY done_on, seq"
        ),
        crate::args![from, to],
        term_row,
    )
}

/// A paragraph's line of the report.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ByParagraph {
    pub rule: String,
    pub acts: usize,
    pub late: usize,
    pub overdue_now: usize,
    pub median_late_wd: Option<f64>,
    pub worst_late_wd: Option<i32>,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ByClerk {
    pub login: String,
    pub acts: usize,
    pub late: usize,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ByMonth {
    /// `YYYY-MM`.
    pub month: String,
    pub acts: usize,
    pub late: usize,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct LateAct {
    pub case: String,
    pub rule: String,
    pub due: NaiveDate,
    pub done_on: NaiveDate,
    pub late_wd: i32,
    pub actor: String,
    pub reason: Option<String>,
}

/// The supervisors' report of terms (`tizilim report terms`).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Report {
    pub from: NaiveDate,
    pub to: NaiveDate,
    pub acts: usize,
    pub late: usize,
    pub overdue_now: usize,
    pub by_paragraph: Vec<ByParagraph>,
    pub by_clerk: Vec<ByClerk>,
    pub by_month: Vec<ByMonth>,
    pub late_acts: Vec<LateAct>,
}

/// The paragraphs in the Rules' order: `§9` before `§10`.
fn paragraph_key(rule: &str) -> (u32, String) {
    let n = rule
        .trim_start_matches('§')
        .split(|c: char| !c.is_ascii_digit())
        .next()
        .and_then(|d| d.parse().ok())
        .unwrap_or(u32::MAX);
    (n, rule.to_string())
}

fn median(mut v: Vec<i32>) -> Option<f64> {
    if v.is_empty() {
        return None;
    }
    v.sort_unstable();
    let n = v.len();
    Some(match n % 2 {
        1 => f64::from(v[n / 2]),
        _ => (f64::from(v[n / 2 - 1]) + f64::from(v[n / 2])) / 2.0,
    })
}

/// The report over acts done `from..=to`, with `running`, the clocks running
/// today (`queue::running_clocks`), of which the overdue ones count.
pub fn report(
    db: &dyn Sql,
    from: NaiveDate,
    to: NaiveDate,
    running: &[super::monitor::Deadline],
) -> Result<Report> {
    use std::collections::BTreeMap;
    let acts = between(db, from, to)?;
    let overdue: Vec<String> = running
        .iter()
        .filter(|d| d.reading.state == ClockState::Overdue)
        .map(|d| d.reading.rule.clone())
        .collect();
    let mut paragraphs: BTreeMap<(u32, String), (usize, Vec<i32>, usize)> = BTreeMap::new();
    for t in &acts {
        let e = paragraphs.entry(paragraph_key(&t.rule)).or_default();
        e.0 += 1;
        if t.late_wd > 0 {
            e.1.push(t.late_wd);
        }
    }
    for rule in &overdue {
        paragraphs.entry(paragraph_key(rule)).or_default().2 += 1;
    }
    let by_paragraph = paragraphs
        .into_iter()
        .map(|((_, rule), (acts, late, overdue_now))| ByParagraph {
            rule,
            acts,
            late: late.len(),
            overdue_now,
            worst_late_wd: late.iter().copied().max(),
            median_late_wd: median(late),
        })
        .collect();
    let mut clerks: BTreeMap<&str, (usize, usize)> = BTreeMap::new();
    let mut months: BTreeMap<String, (usize, usize)> = BTreeMap::new();
    for t in &acts {
        let c = clerks.entry(&t.actor).or_default();
        c.0 += 1;
        c.1 += usize::from(t.late_wd > 0);
        let m = months
            .entry(t.done_on.format("%Y-%m").to_string())
            .or_default();
        m.0 += 1;
        m.1 += usize::from(t.late_wd > 0);
    }
    Ok(Report {
        from,
        to,
        acts: acts.len(),
        late: acts.iter().filter(|t| t.late_wd > 0).count(),
        overdue_now: overdue.len(),
        by_paragraph,
        by_clerk: clerks
            .into_iter()
            .map(|(login, (acts, late))| ByClerk {
                login: login.to_string(),
                acts,
                late,
            })
            .collect(),
        by_month: months
            .into_iter()
            .map(|(month, (acts, late))| ByMonth { month, acts, late })
            .collect(),
        late_acts: acts
            .iter()
            .filter(|t| t.late_wd > 0)
            .map(|t| LateAct {
                case: t.complaint.clone().unwrap_or_else(|| t.case.clone()),
                rule: t.rule.clone(),
                due: t.due,
                done_on: t.done_on,
                late_wd: t.late_wd,
                actor: t.actor.clone(),
                reason: t.reason.clone(),
            })
            .collect(),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn paragraphs_sort_as_the_rules_number_them() {
        let mut v = vec!["§10", "§9", "§18", "§12"];
        v.sort_by_key(|r| paragraph_key(r));
        assert_eq!(v, ["§9", "§10", "§12", "§18"]);
    }

    #[test]
    fn the_median_of_an_even_count_is_the_middle_pair_s_mean() {
        assert_eq!(median(vec![]), None);
        assert_eq!(median(vec![3, 1, 2]), Some(2.0));
        assert_eq!(median(vec![4, 1, 3, 2]), Some(2.5));
    }
}
