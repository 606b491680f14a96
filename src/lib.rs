//! tizilim — the register of hardware-software complexes (ABKs) intended for
//! digital mining, kept under the Rules (order No. 331/НҚ of 11 August 2023).
//!
//! Dependencies point one way: `cli` → `intake`/`demo` → `store` → `rules`.
#![deny(unsafe_code)]
pub mod cli;
pub mod demo;
pub mod docs;
pub mod explain;
pub mod files;
pub mod i18n;
pub mod intake;
// The one module with `unsafe` (a signal disposition); see its header.
#[allow(unsafe_code)]
pub mod privilege;
pub mod rules;
pub mod sign;
pub mod store;
pub mod tui;
