//! What another session's commit changed, for the console's partial reload.
//! The journal says it: the rows after the last one seen name their subjects
//! (cases, complaints, changes of the law). Only those cases (each with its
//! open complaints) are read again and re-placed in the [`Snapshot`]; a
//! calendar amendment — which moves every due date — asks for a full reload.
//!
//! Both steps are functions of the connection and what the caller has seen
//! ([`since`], then [`delta`]), returning data that [`Snapshot::apply`] takes:
//! they can run off the thread that draws.

use std::cmp::Ordering;
use std::collections::HashSet;

use chrono::NaiveDate;

use super::monitor::{self, Deadline};
use super::queue::{self, QueueEntry, Snapshot};
use crate::rules::Law;
use crate::store::Result;
use crate::store::sql::Sql;

/// The journal after a row seen.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Changes {
    /// The last journal row read (the next call's `since`).
    pub head: i64,
    /// Read everything again: the calendar was amended (every due date may
    /// move), or the journal is shorter than what was seen (another register
    /// in the file's place).
    pub everything: bool,
    /// The cases touched, by number: those named and those of the
    /// complaints named.
    pub cases: Vec<String>,
    /// §16: a change of the law was informed of (its clock stops).
    pub law_informed: bool,
    /// Rows there were (0: the commit journaled nothing).
    pub rows: usize,
}

impl Changes {
    /// Whether anything a pane shows may have changed.
    pub fn any(&self) -> bool {
        self.everything || self.law_informed || !self.cases.is_empty()
    }
}

/// The last journal row's number (0 in an empty journal).
pub fn head(db: &dyn Sql) -> Result<i64> {
    db.one("SELECT coalesce(max(seq), 0) FROM journal", &[], |r| {
        r.get(0)
    })
}

/// The journal's rows after `seen`: what they touched.
pub fn since(db: &dyn Sql, seen: i64) -> Result<Changes> {
    let head = head(db)?;
    let mut out = Changes {
        head,
        ..Changes::default()
    };
    if head < seen {
        out.everything = true;
        return Ok(out);
    }
    let mut subjects: Vec<String> = Vec::new();
    db.for_each(
        "SELECT kind, subject FROM journal WHERE seq > ?1 AND seq <= ?2",
        crate::args![seen, head],
        &mut |r| {
            out.rows += 1;
            let kind: String = r.get(0)?;
            let subject: Option<String> = r.get(1)?;
            match kind.as_str() {
                "calendar_amended" => out.everything = true,
                "law_informed" => out.law_informed = true,
                // Cases and complaints.
                "case_registered"
                | "hearing_notified"
                | "hearing_held"
                | "decision_issued"
                | "case_reopened"
                | "notice_issued"
                | "term_ended"
                | "complaint_lodged"
                | "complaint_forwarded"
                | "complaint_decided" => subjects.extend(subject),
                // Users, keys, seals, the register's creation: no pane's rows.
                _ => {}
            }
            Ok(())
        },
    )?;
    if out.everything {
        return Ok(out);
    }
    let mut seen_cases = HashSet::new();
    for s in subjects {
        // A complaint stands for its case (its clocks are re-read with it).
        let case = db
            .row(
                "SELECT c.number FROM complaints k JOIN cases c ON c.id = k.case_id
                  WHERE k.number = ?1",
                crate::args![s],
                |r| r.get::<String>(0),
            )?
            .unwrap_or(s);
        if seen_cases.insert(case.clone()) {
            out.cases.push(case);
        }
    }
    Ok(out)
}

/// What the changed cases now contribute to the snapshot.
#[derive(Debug, Clone, Default)]
pub struct Delta {
    /// The cases read again, by number: every row of theirs is replaced.
    pub cases: Vec<String>,
    /// Their ids (the queue's key).
    pub ids: Vec<i64>,
    /// Their queue entries (the open ones).
    pub entries: Vec<QueueEntry>,
    /// Their running clocks and their open complaints'.
    pub deadlines: Vec<Deadline>,
    /// §16's running clocks afresh, when a change of the law was informed of.
    pub law: Option<Vec<Deadline>>,
    /// Whether one of the cases now has a hearing (the hearings list may
    /// have changed; so it may if one of them is in it).
    pub hearing: bool,
    /// Whether one of the cases now has a complaint (likewise the complaints
    /// list).
    pub complaint: bool,
}

/// Reads the changed cases (with their open complaints) on `today`, as
/// [`queue::snapshot`] reads every one.
pub fn delta(db: &dyn Sql, law: &Law, today: NaiveDate, changes: &Changes) -> Result<Delta> {
    let mut out = Delta::default();
    let mut readings = Vec::with_capacity(4);
    for number in &changes.cases {
        let Some(((id, number, facts), hearing, complaint)) = db.row(
            concat!(
                "SELECT ",
                queue::case_clock_columns!(),
                ", hearing_at IS NOT NULL,
            EXISTS (SELECT 1 FROM complaints k WHERE k.case_id = cases.id)
         FROM cases WHERE number = ?1"
            ),
            crate::args![number],
            |r| Ok((queue::case_facts(r)?, r.get::<bool>(8)?, r.get::<bool>(9)?)),
        )?
        else {
            continue;
        };
        out.hearing |= hearing;
        out.complaint |= complaint;
        out.ids.push(id);
        out.cases.push(number.clone());
        if facts.stage.is_open() {
            let entry = queue::open_case(
                law,
                today,
                (id, number.clone(), facts),
                &mut readings,
                &mut out.deadlines,
            )?;
            out.entries.push(entry);
        }
        super::queries::open_complaints_of(db, &number, |row| {
            queue::open_complaint(law, today, &row, &mut readings, &mut out.deadlines)
        })?;
    }
    if changes.law_informed {
        out.law = Some(super::law::running(db, law, today)?);
    }
    Ok(out)
}

/// The `case` of a §16 clock's row: `LAW-YYYY-MM-DD`, never a case's number.
fn is_law(d: &Deadline) -> bool {
    d.case.starts_with("LAW-")
}

/// Whether `x` is among `set`: a few compared in turn, many through a hash.
enum Among<'a, T: std::hash::Hash + Eq + ?Sized> {
    Few(Vec<&'a T>),
    Many(HashSet<&'a T>),
}

impl<'a, T: std::hash::Hash + Eq + ?Sized> Among<'a, T> {
    fn new(items: impl Iterator<Item = &'a T>) -> Self {
        let v: Vec<&T> = items.collect();
        if v.len() <= 16 {
            Among::Few(v)
        } else {
            Among::Many(v.into_iter().collect())
        }
    }

    fn contains(&self, x: &T) -> bool {
        match self {
            Among::Few(v) => v.contains(&x),
            Among::Many(h) => h.contains(x),
        }
    }

    fn is_empty(&self) -> bool {
        match self {
            Among::Few(v) => v.is_empty(),
            Among::Many(h) => h.is_empty(),
        }
    }
}

/// Merges `new` into the sorted `v` (one pass over the part of `v` after
/// the first new element's place: no insert that shifts the rest each time).
fn merge_in<T>(v: &mut Vec<T>, mut new: Vec<T>, cmp: impl Fn(&T, &T) -> Ordering) {
    new.sort_by(&cmp);
    let Some(first) = new.first() else {
        return;
    };
    let start = v.partition_point(|x| cmp(x, first) == Ordering::Less);
    let tail: Vec<T> = v.drain(start..).collect();
    v.reserve(tail.len() + new.len());
    let mut old = tail.into_iter().peekable();
    let mut new = new.into_iter().peekable();
    while let (Some(a), Some(b)) = (old.peek(), new.peek()) {
        let next = if cmp(b, a) == Ordering::Less {
            new.next()
        } else {
            old.next()
        };
        v.extend(next);
    }
    v.extend(old);
    v.extend(new);
}

impl Snapshot {
    /// Re-places the changed cases' rows: theirs out, the new ones in at
    /// their place in each order. The result is what [`queue::snapshot`]
    /// reads afresh.
    pub fn apply(&mut self, delta: Delta) {
        let ids = Among::new(delta.ids.iter());
        let cases = Among::new(delta.cases.iter().map(String::as_str));
        let law = delta.law.is_some();
        if !ids.is_empty() {
            self.queue.retain(|e| !ids.contains(&e.key.id));
        }
        if !cases.is_empty() || law {
            self.deadlines
                .retain(|d| !(cases.contains(d.case.as_str()) || (law && is_law(d))));
        }
        merge_in(&mut self.queue, delta.entries, |a, b| a.key.cmp(&b.key));
        let mut deadlines = delta.deadlines;
        deadlines.extend(delta.law.into_iter().flatten());
        merge_in(&mut self.deadlines, deadlines, monitor::order);
    }
}

#[cfg(test)]
mod tests {
    use super::merge_in;

    #[test]
    fn merging_keeps_the_order() {
        let mut v = vec![1, 3, 5, 7, 9];
        merge_in(&mut v, vec![8, 0, 4, 10], |a: &i32, b: &i32| a.cmp(b));
        assert_eq!(v, [0, 1, 3, 4, 5, 7, 8, 9, 10]);
        merge_in(&mut v, vec![], |a: &i32, b: &i32| a.cmp(b));
        assert_eq!(v.len(), 9);
        let mut e: Vec<i32> = Vec::new();
        merge_in(&mut e, vec![2, 1], |a: &i32, b: &i32| a.cmp(b));
        assert_eq!(e, [1, 2]);
    }
}
