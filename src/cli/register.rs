//! `tizilim register energy|conflicts|find`.

use crate::store::sql::Locator;
use std::io::Write;

use super::work::Session;
use super::{Lang, Outcome, RegisterCmd};
use crate::rules::regions;
use crate::rules::text::for_terminal;
use crate::store::read::register;
use crate::store::sql::Sql;

fn region_name(id: &str, lang: &str) -> String {
    regions::by_id(id).map_or_else(|| id.to_string(), |r| r.name(lang).to_string())
}

pub fn run(reg: &Locator, lang: Lang, cmd: RegisterCmd, out: &mut impl Write) -> Outcome {
    if let RegisterCmd::Export { format } = cmd {
        return super::export(reg, format, out);
    }
    let s = Session::reader(reg)?;
    answer(s.db(), lang, cmd, out)
}

/// `register energy|conflicts|find` on either engine.
pub fn answer(db: &dyn Sql, lang: Lang, cmd: RegisterCmd, out: &mut impl Write) -> Outcome {
    let lang = lang.code();
    match cmd {
        RegisterCmd::Export { .. } => Ok(0), // handled above
        RegisterCmd::Energy { json } => {
            let e = register::energy(db)?;
            if json {
                serde_json::to_writer_pretty(&mut *out, &e)?;
                writeln!(out)?;
                return Ok(0);
            }
            let total: f64 = e.regions.iter().map(|r| r.power_kw).sum();
            writeln!(
                out,
                "{:<34} {:>9} {:>12} {:>14}",
                "REGION", "ABKs", "POWER, kW", "HASHRATE, TH/s"
            )?;
            for r in &e.regions {
                writeln!(
                    out,
                    "{:<34} {:>9} {:>12.1} {:>14.1}",
                    for_terminal(&region_name(&r.region, lang), 34),
                    r.units,
                    r.power_kw,
                    r.hashrate_ths
                )?;
            }
            writeln!(
                out,
                "{:<34} {:>9} {:>12.1}",
                "TOTAL",
                e.regions.iter().map(|r| r.units).sum::<i64>(),
                total
            )?;
            writeln!(out)?;
            writeln!(
                out,
                "{:<46} {:>9} {:>12}",
                "DATA CENTRE", "ABKs", "POWER, kW"
            )?;
            for d in &e.data_centers {
                writeln!(
                    out,
                    "{:<46} {:>9} {:>12.1}",
                    for_terminal(&d.data_center, 46),
                    d.units,
                    d.power_kw
                )?;
            }
            Ok(0)
        }
        RegisterCmd::Conflicts { json } => {
            let list = register::serial_conflicts(db)?;
            if json {
                serde_json::to_writer_pretty(&mut *out, &list)?;
                writeln!(out)?;
                return Ok(0);
            }
            for c in &list {
                writeln!(out, "{}", for_terminal(&c.serial, 64))?;
                for k in &c.claims {
                    writeln!(
                        out,
                        "  {:<16} {:<10} {:<18} {:<12} {}{}",
                        k.case,
                        k.kind,
                        k.stage,
                        k.bin_iin,
                        for_terminal(&k.miner, 40),
                        k.entry_no
                            .map(|e| format!(" (entry {e})"))
                            .unwrap_or_default()
                    )?;
                }
            }
            writeln!(out, "{} serials claimed by more than one miner", list.len())?;
            Ok(0)
        }
        RegisterCmd::Find { query, json } => {
            let found = register::find(db, &query)?;
            if json {
                serde_json::to_writer_pretty(&mut *out, &found)?;
                writeln!(out)?;
                return Ok(if found.is_empty() { 1 } else { 0 });
            }
            for e in &found {
                writeln!(
                    out,
                    "entry {} — {} {} {} ({} TH/s, {} kW, {}) — {}",
                    e.entry_no,
                    for_terminal(&e.serial, 64),
                    for_terminal(&e.brand, 40),
                    for_terminal(&e.model, 40),
                    e.hashrate_ths,
                    e.power_kw,
                    e.condition,
                    e.status
                )?;
                writeln!(
                    out,
                    "  miner {} ({}), data centre {}, case {}",
                    for_terminal(&e.miner, 80),
                    e.bin_iin,
                    for_terminal(e.data_center.as_deref().unwrap_or("-"), 80),
                    e.case
                )?;
                writeln!(out, "  notices: {}", e.notices.join(", "))?;
                for h in &e.history {
                    writeln!(out, "  {h}")?;
                }
            }
            if found.is_empty() {
                let m = crate::i18n::Message::new("err-no-entry")
                    .arg("query", query.chars().take(64).collect::<String>());
                let tr = crate::i18n::Lang::from_code(lang)
                    .map_or_else(|| crate::i18n::Tr::new(Lang::En), crate::i18n::Tr::new);
                eprintln!("tizilim: {}", m.render(&tr));
                return Ok(1);
            }
            Ok(0)
        }
    }
}
