//! The read side: every question a pane or a command asks of the register,
//! as a function it calls by name. Nothing outside the store writes SQL; a
//! failed read is an `Err`, never an empty answer.
//!
//! - [`queue`]: the queue of open cases by next due date, one case in
//!   detail, units, journal history, hearings, complaints, search;
//! - [`changes`]: what other sessions' commits touched (the journal after a
//!   row seen), re-read and re-placed in the queue's snapshot;
//! - [`monitor`]: the deadline monitor's rows and their order;
//! - [`queries`]: register rows, clock facts, counts, users, small look-ups;
//! - [`case_file`]: a whole case (`case show`, `case export`) and the case,
//!   hearing and complaint lists;
//! - [`register`]: energy by data centre and region, serial conflicts, find
//!   an entry;
//! - [`notices`]: signed notices, signing keys, seals;
//! - [`terms`]: each ended clock on the record, and the supervisors' report;
//! - [`law`]: §16, the changes of the law to inform of.

pub mod case_file;
pub mod changes;
pub mod law;
pub mod monitor;
pub mod notices;
pub mod queries;
pub mod queue;
pub mod register;
pub mod terms;
