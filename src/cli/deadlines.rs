//! `tizilim deadlines [--at TIME] [--json]`.

use std::io::Write;
use std::path::Path;

use super::{Outcome, instant};
use crate::monitor;
use crate::store::Store;

pub fn run(path: &Path, at: Option<&str>, json: bool, out: &mut impl Write) -> Outcome {
    let store = Store::open_read(path)?;
    let law = store.law()?;
    let now = instant(at, &law, "--at")?;
    let today = law.calendar.local_date(now);
    let list = monitor::running_clocks(store.conn(), &law, today)?;
    if json {
        let mut w = std::io::BufWriter::new(out);
        serde_json::to_writer(&mut w, &list)?;
        writeln!(w)?;
        w.flush()?;
        return Ok(0);
    }
    let tally = monitor::tally(&list);
    writeln!(
        out,
        "Deadlines on {today}: {}",
        tally
            .iter()
            .map(|(s, n)| format!("{n} {}", s.as_str()))
            .collect::<Vec<_>>()
            .join(", ")
    )?;
    writeln!(
        out,
        "{:<16} {:<16} {:<30} {:<4} {:<10} {:<10} {:>5}  STATE",
        "CASE", "COMPLAINT", "CLOCK", "RULE", "STARTED", "DUE", "LEFT"
    )?;
    for d in &list {
        let r = &d.reading;
        writeln!(
            out,
            "{:<16} {:<16} {:<30} {:<4} {:<10} {:<10} {:>5}  {}",
            d.case,
            d.complaint.as_deref().unwrap_or("-"),
            r.clock,
            r.rule,
            r.started,
            r.due,
            r.working_days_left,
            r.state.as_str()
        )?;
    }
    Ok(0)
}
