//! The adoption part of the HTML report: per shadow sheet its rate, the trend
//! over snapshots as an SVG line, and which decommission criteria hold; or,
//! before any snapshot, how to start tracking.

use std::fmt::Write as _;

use super::chart;
use super::html::escape;
use super::readiness::Adoption;
use crate::adoption::{ShadowStatus, Status, rate_text};

/// How many of the latest snapshots the trend line draws (a year of weeks).
const TREND_SHOWN: usize = 52;

const HOW_TO_START: &str = "To start, pair each shadow sheet with the system-of-record export \
that replaces it in offsheet.toml (a <code>[[shadow]]</code> entry: name, path, entity, owner, \
system), then run <code>offsheet adoption record</code> once a week.";

pub fn section(out: &mut String, adoption: &Adoption) {
    out.push_str("<h2>Adoption</h2>\n");
    match adoption {
        Adoption::NotConfigured => {
            let _ = writeln!(out, "<p>Adoption is not tracked yet. {HOW_TO_START}</p>");
        }
        Adoption::NoLedger { shadows, ledger } => {
            let _ = writeln!(
                out,
                "<p>Adoption is not tracked yet: offsheet.toml names {shadows} shadow {} but \
                 no snapshot has been recorded (no ledger at <code>{}</code>). Run \
                 <code>offsheet adoption record</code> to take the first one.</p>",
                if *shadows == 1 { "sheet" } else { "sheets" },
                escape(ledger)
            );
        }
        Adoption::Unreadable { ledger, message } => {
            let _ = writeln!(
                out,
                "<p class=\"unmet\">The adoption ledger <code>{}</code> could not be read: {}</p>",
                escape(ledger),
                escape(message)
            );
        }
        Adoption::Tracked(status) => tracked(out, status),
    }
}

fn tracked(out: &mut String, status: &Status) {
    let _ = writeln!(
        out,
        "<p>As of {}: the rate is the share of keys dated in the last {} days that are in the \
         system of record; a sheet can be retired at {} over {} snapshots.</p>",
        status.as_of,
        status.config.window_days,
        rate_text(status.config.min_rate),
        status.config.streak
    );
    if status.shadows.is_empty() {
        let _ = writeln!(
            out,
            "<p>The ledger holds no snapshot dated up to {}: run \
             <code>offsheet adoption record</code>.</p>",
            status.as_of
        );
        return;
    }
    for s in &status.shadows {
        shadow(out, s, status.config.min_rate);
    }
}

fn shadow(out: &mut String, s: &ShadowStatus, bar: f64) {
    let owner = match &s.owner {
        Some(o) => format!("owner {}", escape(o)),
        None => "no owner".into(),
    };
    let state = match (&s.decision, &s.resurrected) {
        (Some(_), Some(_)) => "decommissioned, but changed since",
        (Some(_), None) => "decommissioned",
        (None, _) => "live",
    };
    let _ = writeln!(
        out,
        "<div class=\"shadow\">\n<h3>{} <span class=\"meta\">{} · {owner} · {state}</span></h3>\n\
         <p>Sheet <code>{}</code>, to be replaced by <code>{}</code>.</p>",
        escape(&s.name),
        escape(&s.entity),
        escape(&s.path),
        escape(&s.system_path)
    );
    if let Some(d) = &s.decision {
        let _ = writeln!(
            out,
            "<p>Retired on {} by {}: {}</p>",
            d.decided_at,
            escape(&d.decided_by),
            escape(&d.reason)
        );
    }
    if let Some(r) = &s.resurrected {
        let _ = writeln!(
            out,
            "<p class=\"unmet\">Seen {}: {}</p>",
            r.seen_at,
            escape(&r.describe())
        );
    }
    if let Some(latest) = s.latest() {
        let m = &latest.shadow.metrics;
        out.push_str("<table class=\"figures\">\n");
        for (label, value) in [
            ("Adoption rate", rate_text(m.rate)),
            ("Snapshots", s.snapshots.len().to_string()),
            ("Keys in the sheet", m.keys.to_string()),
            ("Also in the system", m.in_system.to_string()),
            ("Only in the sheet", m.shadow_only.to_string()),
            ("Divergent keys", m.divergent.to_string()),
            ("Rows added or changed", m.changed.to_string()),
        ] {
            let _ = writeln!(out, "<tr><th>{label}</th><td class=\"n\">{value}</td></tr>");
        }
        out.push_str("</table>\n");
    }
    let shown = s.snapshots.len().saturating_sub(TREND_SHOWN);
    let points: Vec<(String, f64)> = s
        .snapshots
        .get(shown..)
        .unwrap_or_default()
        .iter()
        .map(|x| (x.as_of.to_string(), x.shadow.metrics.rate))
        .collect();
    out.push_str(&chart::rate_line(
        &format!("Adoption rate of {} over snapshots", s.name),
        &points,
        bar,
    ));
    out.push_str("\n<ul class=\"criteria\">\n");
    for c in &s.evaluation.results {
        let (class, mark) = if c.met {
            ("met", '✓')
        } else {
            ("unmet", '✗')
        };
        let _ = writeln!(
            out,
            "<li class=\"{class}\">{mark} {}: {}</li>",
            c.criterion.name(),
            escape(&c.detail)
        );
    }
    out.push_str("</ul>\n</div>\n");
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn untracked_adoption_says_how_to_start() {
        let mut out = String::new();
        section(&mut out, &Adoption::NotConfigured);
        assert_eq!(
            out,
            format!("<h2>Adoption</h2>\n<p>Adoption is not tracked yet. {HOW_TO_START}</p>\n")
        );
        let mut out = String::new();
        section(
            &mut out,
            &Adoption::NoLedger {
                shadows: 1,
                ledger: ".offsheet/ledger.sqlite".into(),
            },
        );
        assert!(
            out.contains(
                "offsheet.toml names 1 shadow sheet but no snapshot has been recorded \
                 (no ledger at <code>.offsheet/ledger.sqlite</code>)"
            ),
            "{out}"
        );
    }
}
