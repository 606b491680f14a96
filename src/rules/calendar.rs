//! Working days of Kazakhstan and the office's hours, as data (`data/calendar/`,
//! `data/rules.toml` `[office]`), with an index that answers "N working days
//! after D" in O(1).
//!
//! Counting (§8, §9, §10, Appendix 5): what is received after closing time or on
//! a non-working day registers on the next working day; day 0 is the registration
//! day; "within N working days" ends with the N-th working day after it.
//! Nothing here reads the clock: every instant is an argument.

use std::sync::Arc;

use chrono::{DateTime, Datelike, NaiveDate, NaiveTime, Utc, Weekday};
use chrono_tz::Tz;
use serde::{Deserialize, Serialize};

/// The embedded calendar files, `(file name, contents)`, from `build.rs`.
pub const CALENDAR_FILES: &[(&str, &str)] =
    include!(concat!(env!("OUT_DIR"), "/calendar_files.rs"));

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum CalendarError {
    /// A day before the data's first year, or after its last: the latter is a
    /// year whose calendar is not yet published (its decrees, its lunar
    /// holidays), never guessed.
    #[error("{date} is outside the calendar ({first}–{last}){}", beyond(*date, *last))]
    OutOfRange {
        date: NaiveDate,
        first: i32,
        last: i32,
    },
    #[error("calendar data: {0}")]
    Data(String),
}

/// The end of an `OutOfRange` message: what to do about the missing year.
fn beyond(date: NaiveDate, last: i32) -> String {
    if date.year() > last {
        format!(
            ": calendar not yet published for {}; add it under data/calendar/ (tools/gen_calendar.py) once it is, rather than guess",
            last + 1
        )
    } else {
        "; add that year's data under data/calendar/ (tools/gen_calendar.py) rather than guess"
            .into()
    }
}

impl CalendarError {
    /// The first year the data lack, when the error is a day after their last
    /// year: a count that needs a calendar not yet published (shown as
    /// "calendar not yet published for 2029"), not a failure.
    pub fn unpublished_year(&self) -> Option<i32> {
        match self {
            CalendarError::OutOfRange { date, last, .. } if date.year() > *last => Some(last + 1),
            _ => None,
        }
    }
}

/// One year's data file.
#[derive(Debug, Deserialize)]
struct YearFile {
    year: i32,
    generator: String,
    sources: Vec<String>,
    #[serde(default)]
    day: Vec<DayEntry>,
}

#[derive(Debug, Clone, Deserialize, Serialize)]
pub struct DayEntry {
    #[serde(deserialize_with = "super::toml_date")]
    pub date: NaiveDate,
    pub kind: DayKind,
    pub name: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub name_kk: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub name_ru: Option<String>,
    #[serde(default)]
    pub religious: bool,
    #[serde(default)]
    pub provisional: bool,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum DayKind {
    /// A public holiday on its own date.
    Holiday,
    /// The day off a holiday that fell on a weekend moved to (Law "On holidays" art. 5).
    HolidayMoved,
    /// A weekday made a day off by a transfer act.
    TransferDayOff,
    /// A weekend day made a working day by a transfer act.
    TransferWorking,
}

impl DayKind {
    pub fn is_working(self) -> bool {
        matches!(self, DayKind::TransferWorking)
    }
}

/// A decree added at run time by an admin (`tizilim calendar amend`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Amendment {
    pub date: NaiveDate,
    pub working: bool,
    pub act: String,
}

/// Why a day is what it is.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum DayNote {
    Weekday,
    Weekend,
    Listed {
        kind: DayKind,
        name: Arc<str>,
        provisional: bool,
    },
    Amended {
        working: bool,
        act: Arc<str>,
    },
}

impl DayNote {
    /// A clerk's wording of the note.
    pub fn describe(&self) -> String {
        match self {
            DayNote::Weekday => "working day".into(),
            DayNote::Weekend => "weekend".into(),
            DayNote::Listed {
                kind,
                name,
                provisional,
            } => {
                let p = if *provisional {
                    " (provisional date)"
                } else {
                    ""
                };
                match kind {
                    DayKind::Holiday => format!("holiday: {name}{p}"),
                    DayKind::HolidayMoved => format!("day off moved from a holiday: {name}{p}"),
                    DayKind::TransferDayOff => format!("transfer act: {name}{p}"),
                    DayKind::TransferWorking => format!("transfer act: {name}{p}"),
                }
            }
            DayNote::Amended { working, act } => format!(
                "{} by amendment: {act}",
                if *working { "working day" } else { "day off" }
            ),
        }
    }
}

/// Office hours and zone (`data/rules.toml` `[office]`; Appendix 5, the
/// schedule of work: 9:00–18:30 with a lunch break 13:00–14:30).
#[derive(Debug, Clone, Copy)]
pub struct OfficeHours {
    pub zone: Tz,
    pub opens: NaiveTime,
    pub closes: NaiveTime,
    /// The lunch break `[from, to)`: the office receives no one then.
    pub lunch: (NaiveTime, NaiveTime),
}

impl OfficeHours {
    /// Whether the office receives visitors at a local time of a working
    /// day: from opening to closing, the lunch break excepted (a hearing
    /// may begin at 14:30, not at 13:00).
    pub fn receives_at(&self, t: NaiveTime) -> bool {
        t >= self.opens && t <= self.closes && !(t >= self.lunch.0 && t < self.lunch.1)
    }
}

/// One year's provenance, for `calendar show`.
#[derive(Debug, Clone, Serialize)]
pub struct YearSource {
    pub year: i32,
    pub generator: String,
    pub sources: Vec<String>,
}

#[derive(Debug, Clone)]
pub struct Calendar {
    first: NaiveDate,
    first_year: i32,
    last_year: i32,
    working: Vec<bool>,
    notes: Vec<DayNote>,
    /// `rank[i]` = number of working days on or before day `i`.
    rank: Vec<u32>,
    /// The working days in order.
    working_days: Vec<NaiveDate>,
    office: OfficeHours,
    listed: Vec<DayEntry>,
    sources: Vec<YearSource>,
    amendments: Vec<Amendment>,
}

impl Calendar {
    /// The calendar shipped with the program, plus the register's amendments.
    pub fn kazakhstan(
        office: OfficeHours,
        amendments: &[Amendment],
    ) -> Result<Self, CalendarError> {
        Self::from_files(CALENDAR_FILES, office, amendments)
    }

    pub fn from_files(
        files: &[(&str, &str)],
        office: OfficeHours,
        amendments: &[Amendment],
    ) -> Result<Self, CalendarError> {
        let mut years: Vec<YearFile> = files
            .iter()
            .map(|(name, text)| {
                toml::from_str(text).map_err(|e| CalendarError::Data(format!("{name}: {e}")))
            })
            .collect::<Result<_, _>>()?;
        years.sort_by_key(|y| y.year);
        let (Some(first_y), Some(last_y)) = (years.first(), years.last()) else {
            return Err(CalendarError::Data("no calendar years".into()));
        };
        let (first_year, last_year) = (first_y.year, last_y.year);
        for pair in years.windows(2) {
            if pair[1].year != pair[0].year + 1 {
                return Err(CalendarError::Data(format!(
                    "years must be contiguous: {} follows {}",
                    pair[1].year, pair[0].year
                )));
            }
        }
        let first = NaiveDate::from_ymd_opt(first_year, 1, 1).expect("Jan 1");
        let end = NaiveDate::from_ymd_opt(last_year, 12, 31).expect("Dec 31");
        let n = (end - first).num_days() as usize + 1;
        let mut working = Vec::with_capacity(n);
        let mut notes = Vec::with_capacity(n);
        for i in 0..n {
            let d = first + chrono::Days::new(i as u64);
            let weekend = matches!(d.weekday(), Weekday::Sat | Weekday::Sun);
            working.push(!weekend);
            notes.push(if weekend {
                DayNote::Weekend
            } else {
                DayNote::Weekday
            });
        }
        let mut listed = Vec::new();
        let mut sources = Vec::new();
        for y in years {
            for e in &y.day {
                if e.date.year() != y.year {
                    return Err(CalendarError::Data(format!(
                        "{} is listed in the file for {}",
                        e.date, y.year
                    )));
                }
                let i = (e.date - first).num_days() as usize;
                working[i] = e.kind.is_working();
                notes[i] = DayNote::Listed {
                    kind: e.kind,
                    name: Arc::from(e.name.as_str()),
                    provisional: e.provisional,
                };
            }
            listed.extend(y.day);
            sources.push(YearSource {
                year: y.year,
                generator: y.generator,
                sources: y.sources,
            });
        }
        for a in amendments {
            if a.date < first || a.date > end {
                return Err(CalendarError::OutOfRange {
                    date: a.date,
                    first: first_year,
                    last: last_year,
                });
            }
            let i = (a.date - first).num_days() as usize;
            working[i] = a.working;
            notes[i] = DayNote::Amended {
                working: a.working,
                act: Arc::from(a.act.as_str()),
            };
        }
        let mut rank = Vec::with_capacity(n);
        let mut working_days = Vec::new();
        let mut count = 0u32;
        for (i, w) in working.iter().enumerate() {
            if *w {
                count += 1;
                working_days.push(first + chrono::Days::new(i as u64));
            }
            rank.push(count);
        }
        Ok(Calendar {
            first,
            first_year,
            last_year,
            working,
            notes,
            rank,
            working_days,
            office,
            listed,
            sources,
            amendments: amendments.to_vec(),
        })
    }

    pub fn office(&self) -> OfficeHours {
        self.office
    }

    pub fn years(&self) -> (i32, i32) {
        (self.first_year, self.last_year)
    }

    /// The last day the data cover: 31 December of the last year.
    pub fn last_day(&self) -> NaiveDate {
        NaiveDate::from_ymd_opt(self.last_year, 12, 31).expect("Dec 31")
    }

    pub fn sources(&self) -> &[YearSource] {
        &self.sources
    }

    pub fn amendments(&self) -> &[Amendment] {
        &self.amendments
    }

    /// The days listed in the data for a year (holidays, moved days, transfers).
    pub fn listed(&self, year: i32) -> impl Iterator<Item = &DayEntry> {
        self.listed.iter().filter(move |e| e.date.year() == year)
    }

    /// The data's entry for a day, if it lists one (its names in kk, ru, en).
    pub fn listed_on(&self, d: NaiveDate) -> Option<&DayEntry> {
        self.listed.iter().find(|e| e.date == d)
    }

    fn index(&self, d: NaiveDate) -> Result<usize, CalendarError> {
        let i = (d - self.first).num_days();
        if i < 0 || i as usize >= self.working.len() {
            return Err(CalendarError::OutOfRange {
                date: d,
                first: self.first_year,
                last: self.last_year,
            });
        }
        Ok(i as usize)
    }

    pub fn is_working(&self, d: NaiveDate) -> Result<bool, CalendarError> {
        Ok(self.working[self.index(d)?])
    }

    pub fn note(&self, d: NaiveDate) -> Result<&DayNote, CalendarError> {
        Ok(&self.notes[self.index(d)?])
    }

    fn out_of_range(&self, d: NaiveDate) -> CalendarError {
        CalendarError::OutOfRange {
            date: d,
            first: self.first_year,
            last: self.last_year,
        }
    }

    /// The N-th working day after `from` (N > 0), or before it (N < 0); `from`
    /// itself for N = 0 if it is a working day, else the next one. O(1).
    pub fn add_working_days(&self, from: NaiveDate, n: i32) -> Result<NaiveDate, CalendarError> {
        let i = self.index(from)?;
        let le = self.rank[i] as i64; // working days on or before `from`
        let pos = if n > 0 {
            le + i64::from(n) - 1
        } else if n == 0 {
            if self.working[i] { le - 1 } else { le }
        } else {
            let lt = le - i64::from(self.working[i]);
            lt + i64::from(n)
        };
        if pos < 0 || pos as usize >= self.working_days.len() {
            let beyond = if n < 0 {
                self.first - chrono::Days::new(1)
            } else {
                NaiveDate::from_ymd_opt(self.last_year + 1, 1, 1).expect("Jan 1")
            };
            return Err(self.out_of_range(beyond));
        }
        Ok(self.working_days[pos as usize])
    }

    /// Working days in `(a, b]`; negative when `b` is before `a`. O(1).
    pub fn working_days_between(&self, a: NaiveDate, b: NaiveDate) -> Result<i32, CalendarError> {
        let ra = self.rank[self.index(a)?] as i64;
        let rb = self.rank[self.index(b)?] as i64;
        Ok((rb - ra) as i32)
    }

    /// The office's local date of an instant.
    pub fn local_date(&self, at: DateTime<Utc>) -> NaiveDate {
        at.with_timezone(&self.office.zone).date_naive()
    }

    /// The registration day of something received at `at` (§8, §9, App. 5):
    /// the same day if it is a working day and the office has not closed yet
    /// (closing time itself still counts), else the next working day.
    pub fn registration_day(&self, at: DateTime<Utc>) -> Result<NaiveDate, CalendarError> {
        let local = at.with_timezone(&self.office.zone);
        let d = local.date_naive();
        if self.is_working(d)? && local.time() <= self.office.closes {
            Ok(d)
        } else {
            self.add_working_days(d, 1)
        }
    }

    /// Why the receipt instant registers when it does, for explanations.
    pub fn receipt_note(&self, at: DateTime<Utc>) -> Result<Receipt, CalendarError> {
        let local = at.with_timezone(&self.office.zone);
        let d = local.date_naive();
        let registered = self.registration_day(at)?;
        let why = if registered == d {
            if local.time() < self.office.opens {
                format!(
                    "received {} before opening ({}); registers the same day",
                    local.format("%H:%M:%S"),
                    self.office.opens.format("%H:%M")
                )
            } else {
                format!("received {} within office hours", local.format("%H:%M:%S"))
            }
        } else if self.is_working(d)? {
            format!(
                "received {} after closing ({}); registers on the next working day",
                local.format("%H:%M:%S"),
                self.office.closes.format("%H:%M")
            )
        } else {
            format!(
                "received {} on a non-working day ({}); registers on the next working day",
                local.format("%H:%M:%S"),
                self.note(d)?.describe()
            )
        };
        Ok(Receipt {
            local: local.format("%Y-%m-%dT%H:%M:%S%:z").to_string(),
            registered,
            why,
        })
    }

    /// Every day from the receipt's local date to `due`, counted or skipped.
    pub fn explain_days(
        &self,
        received: Option<DateTime<Utc>>,
        start: NaiveDate,
        due: NaiveDate,
    ) -> Result<Vec<ExplainedDay>, CalendarError> {
        let from = received
            .map(|r| self.local_date(r))
            .unwrap_or(start)
            .min(start);
        let to = due.max(start);
        let mut out = Vec::new();
        let mut d = from;
        let mut counted = 0i32;
        while d <= to {
            let working = self.is_working(d)?;
            let note = self.note(d)?.describe();
            let (status, count) = if d < start {
                ("before_start", None)
            } else if d == start {
                ("day_0", Some(0))
            } else if working {
                counted += 1;
                ("counted", Some(counted))
            } else {
                ("skipped", None)
            };
            out.push(ExplainedDay {
                date: d,
                weekday: d.weekday().to_string(),
                working,
                status,
                working_day: count,
                note,
            });
            d = d.succ_opt().expect("date in range");
        }
        Ok(out)
    }
}

#[derive(Debug, Clone, Serialize)]
pub struct Receipt {
    pub local: String,
    pub registered: NaiveDate,
    pub why: String,
}

#[derive(Debug, Clone, Serialize)]
pub struct ExplainedDay {
    pub date: NaiveDate,
    pub weekday: String,
    pub working: bool,
    /// `before_start`, `day_0`, `counted` or `skipped`.
    pub status: &'static str,
    pub working_day: Option<i32>,
    pub note: String,
}

/// Why a text is not an instant (`parse_instant`); each holds the text as given
/// (trimmed).
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum TimeError {
    #[error(
        "{0} is a leap second (:60), a time that does not exist on the register's clocks: give :59 or the next minute"
    )]
    LeapSecond(String),
    #[error(
        "{0:?} is not a time: use RFC 3339 (2024-03-20T19:05:00+05:00) or a local time (2024-03-20T19:05:00)"
    )]
    NotATime(String),
    /// A local time skipped when the clocks moved forward.
    #[error("{time} does not exist in {zone} (clocks moved)")]
    Skipped { time: String, zone: Tz },
}

/// Reads an instant: RFC 3339 with an offset, or a local date-time without
/// one, read in `zone` (`2024-03-20T19:05:00`, seconds optional, `T` or a
/// space). A local time that occurs twice (the 2024 switch from UTC+6 to
/// UTC+5 repeats 23:00–24:00 of 29 February) is read as the earlier one.
///
/// A leap second (`23:59:60`) is refused: chrono accepts it, but no clock the
/// Rules count by shows it, and it would sort after the next day's midnight.
pub fn parse_instant(s: &str, zone: Tz) -> Result<DateTime<Utc>, TimeError> {
    use chrono::{TimeZone, Timelike};
    let s = s.trim();
    let leap = |t: chrono::NaiveTime| -> Result<(), TimeError> {
        if t.nanosecond() >= 1_000_000_000 {
            return Err(TimeError::LeapSecond(s.to_string()));
        }
        Ok(())
    };
    if let Ok(t) = DateTime::parse_from_rfc3339(s) {
        leap(t.time())?;
        return Ok(t.with_timezone(&Utc));
    }
    let formats = [
        "%Y-%m-%dT%H:%M:%S%.f",
        "%Y-%m-%d %H:%M:%S%.f",
        "%Y-%m-%dT%H:%M",
        "%Y-%m-%d %H:%M",
    ];
    let local = formats
        .iter()
        .find_map(|f| chrono::NaiveDateTime::parse_from_str(s, f).ok())
        .ok_or_else(|| TimeError::NotATime(s.to_string()))?;
    leap(local.time())?;
    match zone.from_local_datetime(&local) {
        chrono::LocalResult::Single(t) => Ok(t.with_timezone(&Utc)),
        chrono::LocalResult::Ambiguous(a, _) => Ok(a.with_timezone(&Utc)),
        chrono::LocalResult::None => Err(TimeError::Skipped {
            time: s.to_string(),
            zone,
        }),
    }
}
