//! The register's units as `events::apply` changes them: in the `units`
//! table ([`InTable`], every write and the PostgreSQL register), or in the
//! memory of `audit verify`'s replay ([`Replayed`], issue 18).
//!
//! The units are a million rows of the 100,000-case register. Replayed
//! through a scratch SQLite table, each was inserted, updated, read back
//! and deleted again, with two indexes kept up at each step: about 40 % of
//! the audit's CPU. [`Replayed`] keeps them in plain maps instead and hands
//! the sweep each finished unit as the row the table would hold.
//!
//! `apply` decides what happens to the units; this module only says where.
//! Each operation is one statement of the table's, and its twin in memory
//! sits beside it here: a change to one is a change to both. The tests at
//! the end replay a journal both ways and compare every unit.

use std::cell::RefCell;
use std::collections::{BTreeMap, BTreeSet};
use std::rc::Rc;

use chrono::NaiveDate;

use crate::args;
use crate::rules::UnitStatus;
use crate::store::sql::{Arg, Sql, ToArg};
use rusqlite::types::ValueRef;

use super::Result;

/// A registration's unit as `apply` adds it (`pending`).
#[derive(Debug, Clone, Copy)]
pub struct NewUnit<'a> {
    pub case_id: i64,
    pub idx: i64,
    pub brand: &'a str,
    pub model: &'a str,
    pub serial: &'a str,
    pub hashrate_ths: f64,
    pub power_kw: f64,
    pub declaration_no: Option<&'a str>,
    pub condition: &'a str,
}

/// An amendment's new values over a register entry (§15): `None` keeps the
/// value.
#[derive(Debug, Clone, Default)]
pub struct Amendment {
    pub brand: Option<String>,
    pub model: Option<String>,
    pub hashrate_ths: Option<f64>,
    pub power_kw: Option<f64>,
    pub declaration_no: Option<String>,
    pub condition: Option<String>,
}

/// Where `apply` keeps the units.
pub trait Units {
    /// A new unit, numbered one past the highest.
    fn add(&self, db: &dyn Sql, u: &NewUnit) -> Result<()>;
    /// How many units the case has, and its lowest and highest `idx`.
    fn span(&self, db: &dyn Sql, case_id: i64) -> Result<(i64, Option<i64>, Option<i64>)>;
    /// The case's units included, entry `first` for its unit `idx = lo`
    /// and on in order.
    fn include_run(
        &self,
        db: &dyn Sql,
        case_id: i64,
        first: i64,
        lo: i64,
        on: NaiveDate,
        notice: &str,
    ) -> Result<()>;
    /// The case's unit ids in `idx` order.
    fn ids(&self, db: &dyn Sql, case_id: i64) -> Result<Vec<i64>>;
    /// One unit included under `entry`.
    fn include(&self, db: &dyn Sql, id: i64, entry: i64, on: NaiveDate, notice: &str)
    -> Result<()>;
    /// The case's units of status `from` set to `to`.
    fn restatus(&self, db: &dyn Sql, case_id: i64, from: &str, to: &str) -> Result<()>;
    /// The included unit of register entry `entry` excluded: how many.
    fn exclude(&self, db: &dyn Sql, entry: i64, on: NaiveDate, notice: &str) -> Result<usize>;
    /// The unit of register entry `entry` amended: how many.
    fn amend(&self, db: &dyn Sql, entry: i64, a: &Amendment) -> Result<usize>;
}

/// The units in the `units` table.
pub struct InTable;

impl Units for InTable {
    fn add(&self, db: &dyn Sql, u: &NewUnit) -> Result<()> {
        db.execute(
            "INSERT INTO units (id, case_id, idx, brand, model, serial, hashrate_ths,
                power_kw, declaration_no, condition, status)
             VALUES ((SELECT coalesce(max(id), 0) + 1 FROM units), ?1, ?2, ?3, ?4, ?5, ?6, ?7,
                ?8, ?9, 'pending')",
            args![
                u.case_id,
                u.idx,
                u.brand,
                u.model,
                u.serial,
                u.hashrate_ths,
                u.power_kw,
                u.declaration_no,
                u.condition
            ],
        )?;
        Ok(())
    }

    fn span(&self, db: &dyn Sql, case_id: i64) -> Result<(i64, Option<i64>, Option<i64>)> {
        db.one(
            "SELECT count(*), min(idx), max(idx) FROM units WHERE case_id = ?1",
            args![case_id],
            |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)),
        )
    }

    fn include_run(
        &self,
        db: &dyn Sql,
        case_id: i64,
        first: i64,
        lo: i64,
        on: NaiveDate,
        notice: &str,
    ) -> Result<()> {
        db.execute(
            "UPDATE units SET status = 'included', entry_no = ?2 + idx - ?3,
                included_on = ?4, inclusion_notice_no = ?5 WHERE case_id = ?1",
            args![case_id, first, lo, on, notice],
        )?;
        Ok(())
    }

    fn ids(&self, db: &dyn Sql, case_id: i64) -> Result<Vec<i64>> {
        db.rows(
            "SELECT id FROM units WHERE case_id = ?1 ORDER BY idx",
            args![case_id],
            |r| r.get(0),
        )
    }

    fn include(
        &self,
        db: &dyn Sql,
        id: i64,
        entry: i64,
        on: NaiveDate,
        notice: &str,
    ) -> Result<()> {
        db.execute(
            "UPDATE units SET status = 'included', entry_no = ?2, included_on = ?3,
                inclusion_notice_no = ?4 WHERE id = ?1",
            args![id, entry, on, notice],
        )?;
        Ok(())
    }

    fn restatus(&self, db: &dyn Sql, case_id: i64, from: &str, to: &str) -> Result<()> {
        db.execute(
            "UPDATE units SET status = ?3 WHERE case_id = ?1 AND status = ?2",
            args![case_id, from, to],
        )?;
        Ok(())
    }

    fn exclude(&self, db: &dyn Sql, entry: i64, on: NaiveDate, notice: &str) -> Result<usize> {
        db.execute(
            "UPDATE units SET status = 'excluded', excluded_on = ?2, exclusion_notice_no = ?3
             WHERE entry_no = ?1 AND status = 'included'",
            args![entry, on, notice],
        )
    }

    fn amend(&self, db: &dyn Sql, entry: i64, a: &Amendment) -> Result<usize> {
        db.execute(
            "UPDATE units SET brand = coalesce(?2, brand), model = coalesce(?3, model),
                hashrate_ths = coalesce(?4, hashrate_ths), power_kw = coalesce(?5, power_kw),
                declaration_no = coalesce(?6, declaration_no), condition = coalesce(?7, condition)
             WHERE entry_no = ?1",
            args![
                entry,
                a.brand,
                a.model,
                a.hashrate_ths,
                a.power_kw,
                a.declaration_no,
                a.condition
            ],
        )
    }
}

/// The `units` table's columns in order, as [`Replayed`] makes its rows
/// (checked against the register's table before an audit uses it).
pub const COLUMNS: [&str; 16] = [
    "id",
    "case_id",
    "idx",
    "brand",
    "model",
    "serial",
    "hashrate_ths",
    "power_kw",
    "declaration_no",
    "condition",
    "status",
    "entry_no",
    "included_on",
    "inclusion_notice_no",
    "excluded_on",
    "exclusion_notice_no",
];

/// One value as SQLite stores it in the table (a STRICT table: what binds
/// as `Arg` is what is read back). Text is shared: a decision's date and
/// number are one allocation for all of its units.
#[derive(Debug, Clone, PartialEq)]
pub enum Cell {
    Null,
    Int(i64),
    Real(f64),
    Text(Rc<str>),
}

impl Cell {
    fn of(v: &dyn ToArg) -> Cell {
        match v.to_arg() {
            Arg::Null => Cell::Null,
            Arg::Int(i) => Cell::Int(i),
            Arg::Real(f) => Cell::Real(real(f)),
            Arg::Text(t) => Cell::Text(Rc::from(t.as_ref())),
            Arg::Blob(b) => Cell::Text(Rc::from(String::from_utf8_lossy(b).as_ref())),
        }
    }

    fn is(&self, s: &str) -> bool {
        matches!(self, Cell::Text(t) if &**t == s)
    }
}

/// A REAL as the table gives it back: SQLite keeps a whole REAL as an
/// integer on its page and reads it back as that REAL, so -0.0 comes back
/// as 0.0.
fn real(f: f64) -> f64 {
    if f == 0.0 { 0.0 } else { f }
}

/// A unit's row but its `id`. The registration's texts are one string (one
/// allocation a unit); what a decision sets is shared between its units.
#[derive(Debug, Clone)]
pub struct Row {
    pub case_id: i64,
    idx: i64,
    /// `brand`, `model`, `serial`, `declaration_no` (empty when NULL) and
    /// `condition`, end to end; `ends` says where each ends.
    text: Box<str>,
    ends: [usize; 5],
    declared: bool,
    hashrate_ths: f64,
    power_kw: f64,
    status: Cell,
    entry_no: Option<i64>,
    /// `included_on`, `inclusion_notice_no`, `excluded_on`,
    /// `exclusion_notice_no`.
    decided: [Cell; 4],
}

/// The registration's texts, in [`Row::text`]'s order.
struct Texts<'a>([&'a str; 5], bool);

impl Row {
    fn texts(&self) -> Texts<'_> {
        let mut out = [""; 5];
        let mut from = 0;
        for (i, end) in self.ends.iter().enumerate() {
            out[i] = &self.text[from..*end];
            from = *end;
        }
        Texts(out, self.declared)
    }

    fn with_texts(&mut self, t: &Texts) {
        let mut text = String::with_capacity(t.0.iter().map(|s| s.len()).sum());
        for (i, s) in t.0.iter().enumerate() {
            text.push_str(s);
            self.ends[i] = text.len();
        }
        self.text = text.into_boxed_str();
        self.declared = t.1;
    }

    /// The row's 16 columns ([`COLUMNS`]) as the table holds them.
    pub fn values(&self, id: i64) -> [ValueRef<'_>; 16] {
        fn text(t: &str) -> ValueRef<'_> {
            ValueRef::Text(t.as_bytes())
        }
        fn cell(c: &Cell) -> ValueRef<'_> {
            match c {
                Cell::Null => ValueRef::Null,
                Cell::Int(v) => ValueRef::Integer(*v),
                Cell::Real(v) => ValueRef::Real(*v),
                Cell::Text(t) => text(t),
            }
        }
        let Texts([brand, model, serial, declaration, condition], declared) = self.texts();
        let [
            included_on,
            inclusion_notice_no,
            excluded_on,
            exclusion_notice_no,
        ] = &self.decided;
        [
            ValueRef::Integer(id),
            ValueRef::Integer(self.case_id),
            ValueRef::Integer(self.idx),
            text(brand),
            text(model),
            text(serial),
            ValueRef::Real(self.hashrate_ths),
            ValueRef::Real(self.power_kw),
            if declared {
                text(declaration)
            } else {
                ValueRef::Null
            },
            text(condition),
            cell(&self.status),
            self.entry_no.map_or(ValueRef::Null, ValueRef::Integer),
            cell(included_on),
            cell(inclusion_notice_no),
            cell(excluded_on),
            cell(exclusion_notice_no),
        ]
    }

    /// The row's 16 columns as the audit encodes a table's rows
    /// ([`encode_value`] each).
    pub fn encode(&self, id: i64, buf: &mut Vec<u8>) {
        for v in self.values(id) {
            encode_value(buf, v);
        }
    }
}

/// One value as the audit encodes it to compare two sides' rows: its type
/// byte, then its 8 bytes or its length and bytes.
pub fn encode_value(buf: &mut Vec<u8>, v: ValueRef) {
    fn sized(buf: &mut Vec<u8>, kind: u8, bytes: &[u8]) {
        buf.push(kind);
        buf.extend_from_slice(&(bytes.len() as u64).to_le_bytes());
        buf.extend_from_slice(bytes);
    }
    match v {
        ValueRef::Null => buf.push(0),
        ValueRef::Integer(v) => {
            buf.push(1);
            buf.extend_from_slice(&v.to_le_bytes());
        }
        ValueRef::Real(v) => {
            buf.push(2);
            buf.extend_from_slice(&v.to_bits().to_le_bytes());
        }
        ValueRef::Text(t) => sized(buf, 3, t),
        ValueRef::Blob(b) => sized(buf, 4, b),
    }
}

/// The units in the memory of the audit's replay: each statement of
/// [`InTable`] done on maps. The sweep takes the units no later journal
/// row changes ([`Replayed::take`]), so memory holds the units of the cases
/// in progress and those another case's decision is still to change.
#[derive(Default)]
pub struct Replayed(RefCell<Held>);

struct Held {
    rows: BTreeMap<i64, Box<Row>>,
    /// (case id, unit id)
    by_case: BTreeSet<(i64, i64)>,
    /// (register entry, unit id)
    by_entry: BTreeSet<(i64, i64)>,
    /// The highest unit id made (the next is one more: the table's
    /// `max(id) + 1`, its highest row never taken before the end).
    highest: i64,
    /// Units kept when their case was taken (changed later).
    pinned: BTreeSet<i64>,
    /// The statuses, shared by every row.
    pending: Cell,
    included: Cell,
    excluded: Cell,
}

impl Default for Held {
    fn default() -> Self {
        let status = |s: UnitStatus| Cell::of(&s.as_str());
        Held {
            rows: BTreeMap::new(),
            by_case: BTreeSet::new(),
            by_entry: BTreeSet::new(),
            highest: 0,
            pinned: BTreeSet::new(),
            pending: status(UnitStatus::Pending),
            included: status(UnitStatus::Included),
            excluded: status(UnitStatus::Excluded),
        }
    }
}

impl Held {
    /// The case's unit ids, in id order.
    fn case_ids(&self, case_id: i64) -> Vec<i64> {
        self.case_ids_iter(case_id).collect()
    }

    fn case_ids_iter(&self, case_id: i64) -> impl Iterator<Item = i64> + '_ {
        self.by_case
            .range((case_id, i64::MIN)..=(case_id, i64::MAX))
            .map(|(_, id)| *id)
    }

    fn entry_ids(&self, entry: i64) -> Vec<i64> {
        self.by_entry
            .range((entry, i64::MIN)..=(entry, i64::MAX))
            .map(|(_, id)| *id)
            .collect()
    }

    fn include(&mut self, id: i64, entry: i64, on: &Cell, notice: &Cell) {
        let included = self.included.clone();
        let Some(row) = self.rows.get_mut(&id) else {
            return;
        };
        if let Some(old) = row.entry_no {
            self.by_entry.remove(&(old, id));
        }
        row.entry_no = Some(entry);
        self.by_entry.insert((entry, id));
        row.status = included;
        row.decided[0] = on.clone();
        row.decided[1] = notice.clone();
    }

    fn remove(&mut self, id: i64) -> Option<Box<Row>> {
        let row = self.rows.remove(&id)?;
        self.by_case.remove(&(row.case_id, id));
        if let Some(e) = row.entry_no {
            self.by_entry.remove(&(e, id));
        }
        self.pinned.remove(&id);
        Some(row)
    }
}

impl Units for Replayed {
    fn add(&self, _: &dyn Sql, u: &NewUnit) -> Result<()> {
        let mut h = self.0.borrow_mut();
        h.highest += 1;
        let id = h.highest;
        let mut row = Box::new(Row {
            case_id: u.case_id,
            idx: u.idx,
            text: Box::default(),
            ends: [0; 5],
            declared: false,
            hashrate_ths: real(u.hashrate_ths),
            power_kw: real(u.power_kw),
            status: h.pending.clone(),
            entry_no: None,
            decided: [Cell::Null, Cell::Null, Cell::Null, Cell::Null],
        });
        row.with_texts(&Texts(
            [
                u.brand,
                u.model,
                u.serial,
                u.declaration_no.unwrap_or(""),
                u.condition,
            ],
            u.declaration_no.is_some(),
        ));
        h.rows.insert(id, row);
        h.by_case.insert((u.case_id, id));
        Ok(())
    }

    fn span(&self, _: &dyn Sql, case_id: i64) -> Result<(i64, Option<i64>, Option<i64>)> {
        let h = self.0.borrow();
        let idx: Vec<i64> = h
            .case_ids_iter(case_id)
            .filter_map(|id| h.rows.get(&id).map(|r| r.idx))
            .collect();
        Ok((
            idx.len() as i64,
            idx.iter().min().copied(),
            idx.iter().max().copied(),
        ))
    }

    fn include_run(
        &self,
        _: &dyn Sql,
        case_id: i64,
        first: i64,
        lo: i64,
        on: NaiveDate,
        notice: &str,
    ) -> Result<()> {
        let mut h = self.0.borrow_mut();
        let (on, notice) = (Cell::of(&on), Cell::of(&notice));
        for id in h.case_ids(case_id) {
            let idx = h.rows.get(&id).map_or(0, |r| r.idx);
            h.include(id, first + idx - lo, &on, &notice);
        }
        Ok(())
    }

    fn ids(&self, _: &dyn Sql, case_id: i64) -> Result<Vec<i64>> {
        let h = self.0.borrow();
        let mut ids: Vec<(i64, i64)> = h
            .case_ids_iter(case_id)
            .filter_map(|id| h.rows.get(&id).map(|r| (r.idx, id)))
            .collect();
        ids.sort_unstable();
        Ok(ids.into_iter().map(|(_, id)| id).collect())
    }

    fn include(&self, _: &dyn Sql, id: i64, entry: i64, on: NaiveDate, notice: &str) -> Result<()> {
        let (on, notice) = (Cell::of(&on), Cell::of(&notice));
        self.0.borrow_mut().include(id, entry, &on, &notice);
        Ok(())
    }

    fn restatus(&self, _: &dyn Sql, case_id: i64, from: &str, to: &str) -> Result<()> {
        let mut h = self.0.borrow_mut();
        let to = Cell::of(&to);
        for id in h.case_ids(case_id) {
            if let Some(row) = h.rows.get_mut(&id)
                && row.status.is(from)
            {
                row.status = to.clone();
            }
        }
        Ok(())
    }

    fn exclude(&self, _: &dyn Sql, entry: i64, on: NaiveDate, notice: &str) -> Result<usize> {
        let mut h = self.0.borrow_mut();
        let (on, notice, excluded) = (Cell::of(&on), Cell::of(&notice), h.excluded.clone());
        let mut n = 0;
        for id in h.entry_ids(entry) {
            if let Some(row) = h.rows.get_mut(&id)
                && row.status.is(UnitStatus::Included.as_str())
            {
                row.status = excluded.clone();
                row.decided[2] = on.clone();
                row.decided[3] = notice.clone();
                n += 1;
            }
        }
        Ok(n)
    }

    fn amend(&self, _: &dyn Sql, entry: i64, a: &Amendment) -> Result<usize> {
        let mut h = self.0.borrow_mut();
        let mut n = 0;
        for id in h.entry_ids(entry) {
            if let Some(row) = h.rows.get_mut(&id) {
                let Texts([brand, model, serial, declaration, condition], declared) = row.texts();
                let new = |v: &Option<String>, old: &str| v.clone().unwrap_or_else(|| old.into());
                let texts = [
                    new(&a.brand, brand),
                    new(&a.model, model),
                    serial.to_string(),
                    new(&a.declaration_no, declaration),
                    new(&a.condition, condition),
                ];
                let declared = declared || a.declaration_no.is_some();
                row.with_texts(&Texts(texts.each_ref().map(|s| s.as_str()), declared));
                if let Some(v) = a.hashrate_ths {
                    row.hashrate_ths = real(v);
                }
                if let Some(v) = a.power_kw {
                    row.power_kw = real(v);
                }
                n += 1;
            }
        }
        Ok(n)
    }
}

impl Replayed {
    /// The highest unit id made so far (0: none).
    pub fn highest(&self) -> i64 {
        self.0.borrow().highest
    }

    /// The lowest and highest unit id of cases `lo..=hi`.
    pub fn span_of_cases(&self, lo: i64, hi: i64) -> Option<(i64, i64)> {
        let h = self.0.borrow();
        let ids = h
            .by_case
            .range((lo, i64::MIN)..=(hi, i64::MAX))
            .map(|(_, id)| *id);
        ids.fold(None, |acc, id| match acc {
            None => Some((id, id)),
            Some((a, b)) => Some((a.min(id), b.max(id))),
        })
    }

    /// The units `a..=b` that hold a register entry, with it.
    pub fn entries_between(&self, a: i64, b: i64) -> Vec<(i64, i64)> {
        let h = self.0.borrow();
        h.rows
            .range(a..=b)
            .filter_map(|(id, r)| r.entry_no.map(|e| (*id, e)))
            .collect()
    }

    /// Keeps unit `id` when its case is taken.
    pub fn pin(&self, id: i64) {
        self.0.borrow_mut().pinned.insert(id);
    }

    /// The units `a..=b` as the table holds them, in id order but for those
    /// in `skip`; each taken out of memory but for the pinned (`keep`:
    /// none taken).
    pub fn take(&self, a: i64, b: i64, skip: &[i64], keep: bool) -> Vec<(i64, Box<Row>)> {
        let mut h = self.0.borrow_mut();
        let ids: Vec<i64> = h.rows.range(a..=b).map(|(id, _)| *id).collect();
        let mut out = Vec::with_capacity(ids.len());
        for id in ids {
            let wanted = !skip.contains(&id);
            let row = if keep || h.pinned.contains(&id) {
                wanted.then(|| h.rows.get(&id).cloned()).flatten()
            } else {
                h.remove(id).filter(|_| wanted)
            };
            if let Some(row) = row {
                out.push((id, row));
            }
        }
        out
    }

    /// Unit `id`, no longer pinned, taken out of memory (`keep`: left).
    pub fn take_pinned(&self, id: i64, keep: bool) -> Option<Box<Row>> {
        let mut h = self.0.borrow_mut();
        h.pinned.remove(&id);
        if keep {
            h.rows.get(&id).cloned()
        } else {
            h.remove(id)
        }
    }

    /// How many units memory holds.
    pub fn held(&self) -> usize {
        self.0.borrow().rows.len()
    }
}

#[cfg(test)]
mod tests {
    //! The units table and its twin in memory, given the same statements,
    //! hold the same rows and answer alike.
    use super::*;
    use proptest::prelude::*;

    #[derive(Debug, Clone)]
    enum Op {
        Add {
            case: i64,
            units: i64,
            declared: bool,
            power: f64,
        },
        IncludeRun {
            case: i64,
            first: i64,
        },
        IncludeEach {
            case: i64,
            first: i64,
        },
        Refuse {
            case: i64,
        },
        Reopen {
            case: i64,
        },
        Exclude {
            entry: i64,
        },
        Amend {
            entry: i64,
            brand: bool,
            power: Option<f64>,
            declaration: bool,
        },
    }

    fn op() -> impl Strategy<Value = Op> {
        let case = 1..6i64;
        let entry = 1..12i64;
        prop_oneof![
            (
                case.clone(),
                1..5i64,
                any::<bool>(),
                prop_oneof![Just(-0.0), Just(0.0), Just(3.5), Just(12.0)]
            )
                .prop_map(|(case, units, declared, power)| Op::Add {
                    case,
                    units,
                    declared,
                    power
                }),
            (case.clone(), entry.clone()).prop_map(|(case, first)| Op::IncludeRun { case, first }),
            (case.clone(), entry.clone()).prop_map(|(case, first)| Op::IncludeEach { case, first }),
            case.clone().prop_map(|case| Op::Refuse { case }),
            case.prop_map(|case| Op::Reopen { case }),
            entry.clone().prop_map(|entry| Op::Exclude { entry }),
            (
                entry,
                any::<bool>(),
                proptest::option::of(Just(-0.0f64)),
                any::<bool>()
            )
                .prop_map(|(entry, brand, power, declaration)| Op::Amend {
                    entry,
                    brand,
                    power,
                    declaration
                }),
        ]
    }

    fn on() -> NaiveDate {
        NaiveDate::from_ymd_opt(2026, 3, 2).expect("a date")
    }

    /// One operation on `units`; what it answered, to compare.
    fn run(units: &dyn Units, db: &dyn Sql, op: &Op, serial: &mut i64) -> Result<String> {
        Ok(match op {
            Op::Add {
                case,
                units: n,
                declared,
                power,
            } => {
                let idx0 = units.span(db, *case)?.2.map_or(0, |hi| hi + 1);
                for i in 0..*n {
                    *serial += 1;
                    let serial = format!("SN{serial}");
                    units.add(
                        db,
                        &NewUnit {
                            case_id: *case,
                            idx: idx0 + i,
                            brand: "Bitmain",
                            model: "Antminer S21",
                            serial: &serial,
                            hashrate_ths: 200.0,
                            power_kw: *power,
                            declaration_no: declared.then_some("10005020/010224/0001234"),
                            condition: "new",
                        },
                    )?;
                }
                String::new()
            }
            Op::IncludeRun { case, first } => {
                let (n, lo, hi) = units.span(db, *case)?;
                if let Some(lo) = lo {
                    units.include_run(db, *case, *first, lo, on(), "INC-2026-000001")?;
                }
                format!("{n} {lo:?} {hi:?}")
            }
            Op::IncludeEach { case, first } => {
                let ids = units.ids(db, *case)?;
                for (i, id) in ids.iter().enumerate() {
                    units.include(db, *id, first + 2 * i as i64, on(), "INC-2026-000002")?;
                }
                format!("{ids:?}")
            }
            Op::Refuse { case } => {
                units.restatus(db, *case, "pending", "refused")?;
                String::new()
            }
            Op::Reopen { case } => {
                units.restatus(db, *case, "refused", "pending")?;
                String::new()
            }
            Op::Exclude { entry } => units
                .exclude(db, *entry, on(), "EXC-2026-000001")?
                .to_string(),
            Op::Amend {
                entry,
                brand,
                power,
                declaration,
            } => {
                let a = Amendment {
                    brand: brand.then(|| "MicroBT".to_string()),
                    power_kw: *power,
                    declaration_no: declaration.then(|| "10005020/020224/0005678".to_string()),
                    condition: Some("used".into()),
                    ..Amendment::default()
                };
                units.amend(db, *entry, &a)?.to_string()
            }
        })
    }

    fn cell_of(v: ValueRef) -> Cell {
        match v {
            ValueRef::Null => Cell::Null,
            ValueRef::Integer(v) => Cell::Int(v),
            ValueRef::Real(v) => Cell::Real(v),
            ValueRef::Text(t) => Cell::Text(Rc::from(std::str::from_utf8(t).expect("utf-8"))),
            ValueRef::Blob(_) => panic!("a blob in units"),
        }
    }

    fn table_rows(conn: &rusqlite::Connection) -> Vec<Vec<Cell>> {
        let mut st = conn
            .prepare("SELECT * FROM units ORDER BY id")
            .expect("select");
        let n = st.column_count();
        let mut q = st.query([]).expect("query");
        let mut out = Vec::new();
        while let Some(r) = q.next().expect("row") {
            out.push(
                (0..n)
                    .map(|i| match r.get_ref(i).expect("value") {
                        ValueRef::Null => Cell::Null,
                        ValueRef::Integer(v) => Cell::Int(v),
                        ValueRef::Real(v) => Cell::Real(v),
                        ValueRef::Text(t) => {
                            Cell::Text(Rc::from(std::str::from_utf8(t).expect("utf-8")))
                        }
                        ValueRef::Blob(_) => panic!("a blob in units"),
                    })
                    .collect(),
            );
        }
        out
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(200))]
        #[test]
        fn the_table_and_memory_hold_the_same_units(ops in proptest::collection::vec(op(), 1..40)) {
            let store = crate::store::Store::in_memory().expect("a register");
            let conn = store.conn();
            conn.pragma_update(None, "foreign_keys", false).expect("pragma");
            // The scratch's table: the audit replays without the register's
            // UNIQUE constraints (a duplicate entry shows as a difference).
            conn.execute_batch(
                "DROP INDEX IF EXISTS units_included_serial;
                 CREATE TABLE u2 AS SELECT * FROM units WHERE 0;",
            ).expect("schema");
            let sql: String = conn
                .query_row("SELECT sql FROM sqlite_master WHERE name = 'units'", [], |r| r.get(0))
                .expect("units");
            let plain = sql.replace("entry_no             INTEGER UNIQUE", "entry_no INTEGER")
                .replace(",\n    UNIQUE (case_id, idx)", "");
            prop_assert!(!plain.contains("UNIQUE"), "{}", plain);
            conn.execute_batch(&format!(
                "DROP TRIGGER units_never_deleted; DROP TABLE units; DROP TABLE u2; {plain};"
            )).expect("plain units");
            let memory = Replayed::default();
            let (mut a, mut b) = (0, 0);
            for op in &ops {
                let table = run(&InTable, conn, op, &mut a).expect("table");
                let held = run(&memory, conn, op, &mut b).expect("memory");
                prop_assert_eq!(table, held, "{:?}", op);
            }
            let held: Vec<Vec<Cell>> = memory
                .take(1, memory.highest(), &[], true)
                .iter()
                .map(|(id, row)| row.values(*id).into_iter().map(cell_of).collect())
                .collect();
            // Compared as printed: -0.0 and 0.0 are equal as numbers but
            // not as the audit's encoding (their bits).
            prop_assert_eq!(format!("{:?}", table_rows(conn)), format!("{held:?}"));
            // The audit compares encodings: the same bytes for the same rows.
            prop_assert_eq!(memory.held() as i64, memory.highest());
        }
    }

    #[test]
    fn the_columns_are_the_tables() {
        let store = crate::store::Store::in_memory().expect("a register");
        let st = store.conn().prepare("SELECT * FROM units").expect("units");
        let names: Vec<&str> = st.column_names();
        assert_eq!(names, COLUMNS);
    }
}
