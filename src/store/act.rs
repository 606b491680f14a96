//! What every act of the store is handed (its `Context`), and the words and
//! bounds the write side shares.

use chrono::{DateTime, NaiveDate, Utc};

use crate::rules::{Law, Login};

/// The longest reasoning, position or late reason an act takes.
pub const MAX_REASON: usize = 4000;

/// What every act is handed: the transaction it runs in (a file's or a
/// PostgreSQL database's), the law in force,
/// who acts, and the instant the act is entered (the journal's time). The
/// act's legal date (`on`, `sent_on`, `held_at`…) is its request's: it may be
/// earlier than the entry, as the Rules allow (a paper complaint received
/// yesterday), and each act checks it against its own limits.
#[derive(Clone, Copy)]
pub struct Context<'a> {
    /// The act's transaction, on either engine.
    pub tx: &'a dyn super::sql::Sql,
    pub law: &'a Law,
    pub actor: &'a Login,
    pub at: DateTime<Utc>,
}

impl Context<'_> {
    /// The day of the entry in Almaty: the default legal date.
    pub fn today(&self) -> NaiveDate {
        self.law.calendar.local_date(self.at)
    }
}

/// `18.11.2026`, the way dates are written in refusals and on screen.
pub fn ddmmyyyy(d: NaiveDate) -> String {
    d.format("%d.%m.%Y").to_string()
}
