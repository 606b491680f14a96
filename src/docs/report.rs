//! The supervisors' report of terms as one self-contained printable page in
//! kk, ru or en: the figures, the tables, and two bar charts (timeliness per
//! paragraph and per month) drawn inline as SVG. No script, nothing fetched:
//! headless Chromium prints it in the print check as it prints the notices.

use std::fmt::Write as _;

use crate::i18n::{Lang, Tr};
use crate::store::read::terms::Report;

fn esc(s: &str) -> String {
    let s = crate::rules::text::for_terminal(s, 4000);
    s.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
}

/// One bar per row: in time (dark) and late (hatched red), to scale.
fn chart(title: &str, rows: &[(String, usize, usize)]) -> String {
    const W: usize = 640;
    const LABEL: usize = 120;
    const BAR: usize = 18;
    const GAP: usize = 8;
    let max = rows.iter().map(|r| r.1).max().unwrap_or(0).max(1);
    let height = rows.len() * (BAR + GAP) + 30;
    let mut svg = format!(
        r#"<svg xmlns="http://www.w3.org/2000/svg" width="{W}" height="{height}" viewBox="0 0 {W} {height}" role="img" aria-label="{}">"#,
        esc(title)
    );
    svg.push_str(&format!(
        r#"<text x="0" y="14" font-size="13" font-weight="bold">{}</text>"#,
        esc(title)
    ));
    let room = (W - LABEL - 60) as f64;
    for (i, (label, acts, late)) in rows.iter().enumerate() {
        let y = 24 + i * (BAR + GAP);
        let in_time = acts - late;
        let w_ok = (in_time as f64 / max as f64 * room).round();
        let w_late = (*late as f64 / max as f64 * room).round();
        let _ = write!(
            svg,
            r##"<text x="0" y="{}" font-size="12">{}</text><rect x="{LABEL}" y="{y}" width="{w_ok}" height="{BAR}" fill="#2f4f6f"/><rect x="{}" y="{y}" width="{w_late}" height="{BAR}" fill="#c0392b"/><text x="{}" y="{}" font-size="12">{in_time} + {late}</text>"##,
            y + BAR - 5,
            esc(label),
            LABEL as f64 + w_ok,
            LABEL as f64 + w_ok + w_late + 6.0,
            y + BAR - 5,
        );
    }
    svg.push_str("</svg>");
    svg
}

/// The page.
pub fn html(r: &Report, today: chrono::NaiveDate, lang: Lang) -> String {
    let tr = Tr::new(lang);
    let d = |x: chrono::NaiveDate| tr.date(x);
    let mut h = String::new();
    let _ = write!(
        h,
        r##"<!DOCTYPE html><html lang="{}"><head><meta charset="utf-8"><title>{}</title><style>
@page {{ size: A4; margin: 18mm 16mm; }}
body {{ font-family: "DejaVu Sans", sans-serif; font-size: 11pt; color: #111; }}
h1 {{ font-size: 16pt; margin: 0 0 4pt; }} h2 {{ font-size: 12.5pt; margin: 14pt 0 4pt; page-break-after: avoid; }}
svg {{ page-break-inside: avoid; display: block; }}
table {{ border-collapse: collapse; width: 100%; page-break-inside: auto; }}
th, td {{ border: 0.6pt solid #777; padding: 2pt 4pt; text-align: left; vertical-align: top; }}
th {{ background: #eee; }} td.n {{ text-align: right; }}
tr {{ page-break-inside: avoid; }} thead {{ display: table-header-group; }}
.figures td {{ font-size: 13pt; }} .note {{ font-size: 9pt; color: #444; }}
</style></head><body>"##,
        lang.code(),
        esc(&tr.t("report-title"))
    );
    let _ = write!(
        h,
        "<h1>{}</h1><p>{}</p>",
        esc(&tr.t("report-title")),
        esc(&tr.a(
            "report-period",
            &[("from", &d(r.from)), ("to", &d(r.to)), ("today", &d(today))]
        ))
    );
    let _ = write!(
        h,
        r#"<table class="figures"><tr><th>{}</th><th>{}</th><th>{}</th><th>{}</th></tr><tr><td class="n">{}</td><td class="n">{}</td><td class="n">{}</td><td class="n">{}</td></tr></table>"#,
        esc(&tr.t("report-acts")),
        esc(&tr.t("report-in-time")),
        esc(&tr.t("report-late")),
        esc(&tr.t("report-overdue-now")),
        r.acts,
        r.acts - r.late,
        r.late,
        r.overdue_now
    );
    let rows: Vec<(String, usize, usize)> = r
        .by_paragraph
        .iter()
        .map(|p| (tr.rule(&p.rule), p.acts, p.late))
        .collect();
    let _ = write!(
        h,
        "<h2>{}</h2>{}",
        esc(&tr.t("report-by-paragraph")),
        chart(&tr.t("report-chart-paragraph"), &rows)
    );
    let _ = write!(
        h,
        "<table><thead><tr><th>{}</th><th>{}</th><th>{}</th><th>{}</th><th>{}</th><th>{}</th></tr></thead><tbody>",
        esc(&tr.t("report-col-rule")),
        esc(&tr.t("report-acts")),
        esc(&tr.t("report-late")),
        esc(&tr.t("report-overdue-now")),
        esc(&tr.t("report-col-median")),
        esc(&tr.t("report-col-worst"))
    );
    for p in &r.by_paragraph {
        let _ = write!(
            h,
            r#"<tr><td>{}</td><td class="n">{}</td><td class="n">{}</td><td class="n">{}</td><td class="n">{}</td><td class="n">{}</td></tr>"#,
            esc(&tr.rule(&p.rule)),
            p.acts,
            p.late,
            p.overdue_now,
            p.median_late_wd
                .map(|m| tr.num(m, 1))
                .unwrap_or_else(|| "—".into()),
            p.worst_late_wd
                .map(|w| w.to_string())
                .unwrap_or_else(|| "—".into())
        );
    }
    h.push_str("</tbody></table>");
    let months: Vec<(String, usize, usize)> = r
        .by_month
        .iter()
        .map(|m| (m.month.clone(), m.acts, m.late))
        .collect();
    let _ = write!(
        h,
        "<h2>{}</h2>{}",
        esc(&tr.t("report-by-month")),
        chart(&tr.t("report-chart-month"), &months)
    );
    let _ = write!(
        h,
        "<h2>{}</h2><table><thead><tr><th>{}</th><th>{}</th><th>{}</th></tr></thead><tbody>",
        esc(&tr.t("report-by-clerk")),
        esc(&tr.t("report-col-login")),
        esc(&tr.t("report-acts")),
        esc(&tr.t("report-late"))
    );
    for c in &r.by_clerk {
        let _ = write!(
            h,
            r#"<tr><td>{}</td><td class="n">{}</td><td class="n">{}</td></tr>"#,
            esc(&c.login),
            c.acts,
            c.late
        );
    }
    h.push_str("</tbody></table>");
    let _ = write!(h, "<h2>{}</h2>", esc(&tr.t("report-late-acts")));
    if r.late_acts.is_empty() {
        let _ = write!(h, "<p>{}</p>", esc(&tr.t("report-none")));
    } else {
        let _ = write!(
            h,
            "<table><thead><tr><th>{}</th><th>{}</th><th>{}</th><th>{}</th><th>{}</th><th>{}</th><th>{}</th></tr></thead><tbody>",
            esc(&tr.t("report-col-case")),
            esc(&tr.t("report-col-rule")),
            esc(&tr.t("report-col-due")),
            esc(&tr.t("report-col-done")),
            esc(&tr.t("report-col-late-wd")),
            esc(&tr.t("report-col-actor")),
            esc(&tr.t("report-col-reason"))
        );
        for a in &r.late_acts {
            let _ = write!(
                h,
                r#"<tr><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td class="n">{}</td><td>{}</td><td>{}</td></tr>"#,
                esc(&a.case),
                esc(&tr.rule(&a.rule)),
                d(a.due),
                d(a.done_on),
                a.late_wd,
                esc(&a.actor),
                esc(a.reason.as_deref().unwrap_or(""))
            );
        }
        h.push_str("</tbody></table>");
    }
    let _ = write!(
        h,
        r#"<p class="note">{}</p></body></html>"#,
        esc(&tr.t("report-wd-note"))
    );
    h.push('\n');
    h
}
