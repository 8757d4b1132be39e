//! `adoption status`: each shadow sheet's trend, divergence, activity and
//! criteria, read from the ledger, as text for people and as SPEC's JSON.

use std::fmt::Write as _;

use chrono::NaiveDate;
use serde::Serialize;

use super::decommission::{Resurrection, resurrected_in_ledger};
use super::text::{count, rate, sparkline};
use super::{AdoptionConfig, Criteria, Evaluation, JSON_VERSION, evaluate};
use crate::ledger::{Decision, DivergentKey, Ledger, LedgerError, StoredSnapshot};

/// Every shadow sheet in the ledger, judged at one as-of date.
#[derive(Debug, Clone, PartialEq)]
pub struct Status {
    pub as_of: NaiveDate,
    pub config: AdoptionConfig,
    /// By name; only shadows with a snapshot dated up to as-of.
    pub shadows: Vec<ShadowStatus>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct ShadowStatus {
    pub name: String,
    pub entity: String,
    pub owner: Option<String>,
    pub path: String,
    pub system_path: String,
    /// Oldest first, one per as-of date; never empty.
    pub snapshots: Vec<StoredSnapshot>,
    /// The divergent keys of the latest snapshot.
    pub divergent_keys: Vec<DivergentKey>,
    pub decision: Option<Decision>,
    pub resurrected: Option<Resurrection>,
    pub evaluation: Evaluation,
}

impl ShadowStatus {
    pub fn latest(&self) -> Option<&StoredSnapshot> {
        self.snapshots.last()
    }

    /// The rate of the latest snapshot.
    pub fn rate(&self) -> f64 {
        self.latest().map_or(1.0, |s| s.shadow.metrics.rate)
    }
}

/// Reads every shadow's history up to `as_of` and judges its criteria there
/// (open errors as of its latest snapshot).
pub fn status(
    ledger: &Ledger,
    as_of: NaiveDate,
    cfg: &AdoptionConfig,
) -> Result<Status, LedgerError> {
    let mut shadows = Vec::new();
    for name in ledger.shadow_names()? {
        let snapshots = ledger.history(&name, as_of)?;
        let Some(latest) = snapshots.last() else {
            continue;
        };
        let evaluation = evaluate(&snapshots, latest.shadow.open_errors, as_of, cfg);
        let divergent_keys = ledger.divergent_keys(latest.snapshot_id, &name)?;
        let decision = ledger
            .latest_decision(&name)?
            .filter(|d| d.decided_at <= as_of);
        let resurrected = match decision {
            Some(_) => resurrected_in_ledger(ledger, &name, as_of)?,
            None => None,
        };
        let s = latest.shadow.clone();
        shadows.push(ShadowStatus {
            name,
            entity: s.entity,
            owner: s.owner,
            path: s.path,
            system_path: s.system_path,
            snapshots,
            divergent_keys,
            decision,
            resurrected,
            evaluation,
        });
    }
    Ok(Status {
        as_of,
        config: cfg.clone(),
        shadows,
    })
}

/// How many divergent keys the text names before "and N more".
const DIVERGENT_SHOWN: usize = 5;

/// How many of the latest snapshots the trend line draws (a year of weeks).
const TREND_SHOWN: usize = 52;

/// The status as text: one block per shadow sheet, no colours.
pub fn render_status_text(status: &Status) -> String {
    let mut out = String::new();
    let _ = writeln!(
        out,
        "adoption as of {} (window {} days, bar {})",
        status.as_of,
        status.config.window_days,
        rate(status.config.min_rate)
    );
    if status.shadows.is_empty() {
        out.push_str("\nno snapshot recorded yet: run `offsheet adoption record`\n");
    }
    for s in &status.shadows {
        out.push('\n');
        shadow_block(&mut out, s);
    }
    out
}

fn shadow_block(out: &mut String, s: &ShadowStatus) {
    let owner = match &s.owner {
        Some(o) => format!("owner {o}"),
        None => "no owner".to_string(),
    };
    let state = match (&s.decision, &s.resurrected) {
        (Some(_), Some(_)) => "decommissioned but changed since",
        (Some(_), None) => "decommissioned",
        (None, _) => "live",
    };
    let _ = writeln!(out, "{}  ({}, {owner})  {state}", s.name, s.entity);
    let _ = writeln!(out, "  sheet       {} (system: {})", s.path, s.system_path);
    if let Some(d) = &s.decision {
        let _ = writeln!(
            out,
            "  retired     on {} by {}: {}",
            d.decided_at, d.decided_by, d.reason
        );
    }
    if let Some(r) = &s.resurrected {
        let _ = writeln!(out, "  resurrected seen {}: {}", r.seen_at, r.describe());
    }
    let Some(latest) = s.latest() else {
        return;
    };
    let m = &latest.shadow.metrics;
    let _ = writeln!(
        out,
        "  rate        {}  ({} of {} keys dated in the window are in the system)",
        rate(m.rate),
        m.window_system,
        m.window_keys
    );
    let shown = s.snapshots.len().saturating_sub(TREND_SHOWN);
    let trend = s.snapshots.get(shown..).unwrap_or_default();
    let first = trend.first().map_or(latest.as_of, |f| f.as_of);
    let span = if shown > 0 {
        format!("last {TREND_SHOWN} of {} snapshots", s.snapshots.len())
    } else {
        count(s.snapshots.len(), "snapshot", "snapshots")
    };
    let _ = writeln!(
        out,
        "  trend       {}  ({span}, {first} → {})",
        sparkline(trend.iter().map(|x| x.shadow.metrics.rate)),
        latest.as_of
    );
    let _ = writeln!(
        out,
        "  keys        {}, {}: {} in the system, {} shadow-only",
        crate::report::plural(m.rows, "row", "rows"),
        crate::report::plural(m.keys, "key", "keys"),
        m.in_system,
        m.shadow_only
    );
    let _ = writeln!(
        out,
        "  divergent   {}",
        divergent_line(m.divergent, &s.divergent_keys)
    );
    let _ = writeln!(
        out,
        "  activity    {} added or changed in the snapshot of {}",
        count(m.changed, "row", "rows"),
        latest.as_of
    );
    if let (Some(since), Some(days)) = (s.evaluation.last_change, s.evaluation.days_quiet) {
        let days = count(days.unsigned_abs() as usize, "day", "days");
        let _ = writeln!(out, "  quiet       {days} (last change {since})");
    }
    let width = s
        .evaluation
        .results
        .iter()
        .map(|r| r.criterion.name().len())
        .max()
        .unwrap_or(0);
    for (i, r) in s.evaluation.results.iter().enumerate() {
        let label = if i == 0 { "criteria" } else { "" };
        let mark = if r.met { '✓' } else { '✗' };
        let name = r.criterion.name();
        let _ = writeln!(out, "  {label:<11} {mark} {name:<width$}  {}", r.detail);
    }
}

fn divergent_line(n: usize, keys: &[DivergentKey]) -> String {
    if n == 0 {
        return "none".into();
    }
    let shown: Vec<String> = keys
        .iter()
        .take(DIVERGENT_SHOWN)
        .map(|d| format!("{} ({})", d.key, d.fields.join(", ")))
        .collect();
    let more = n.saturating_sub(shown.len());
    let tail = if more > 0 {
        format!(" and {more} more")
    } else {
        String::new()
    };
    format!("{}: {}{tail}", count(n, "key", "keys"), shown.join(", "))
}

/// SPEC's `adoption status --format json` document.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct StatusDocument {
    pub version: u32,
    pub as_of: String,
    pub shadows: Vec<ShadowDocument>,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ShadowDocument {
    pub name: String,
    pub entity: String,
    pub owner: Option<String>,
    pub decommissioned: bool,
    pub rate: f64,
    pub criteria: Criteria,
    pub snapshots: Vec<SnapshotDocument>,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct SnapshotDocument {
    pub as_of: String,
    pub rate: f64,
    pub keys: usize,
    pub in_system: usize,
    pub shadow_only: usize,
    pub divergent: usize,
    pub changed: usize,
}

/// The status as SPEC's JSON document (oldest snapshot first).
pub fn status_document(status: &Status) -> StatusDocument {
    StatusDocument {
        version: JSON_VERSION,
        as_of: status.as_of.to_string(),
        shadows: status
            .shadows
            .iter()
            .map(|s| ShadowDocument {
                name: s.name.clone(),
                entity: s.entity.clone(),
                owner: s.owner.clone(),
                decommissioned: s.decision.is_some(),
                rate: s.rate(),
                criteria: s.evaluation.criteria,
                snapshots: s
                    .snapshots
                    .iter()
                    .map(|x| {
                        let m = &x.shadow.metrics;
                        SnapshotDocument {
                            as_of: x.as_of.to_string(),
                            rate: m.rate,
                            keys: m.keys,
                            in_system: m.in_system,
                            shadow_only: m.shadow_only,
                            divergent: m.divergent,
                            changed: m.changed,
                        }
                    })
                    .collect(),
            })
            .collect(),
    }
}

/// The status as pretty-printed JSON, ending in a newline.
pub fn render_status_json(status: &Status) -> Result<String, serde_json::Error> {
    serde_json::to_string_pretty(&status_document(status)).map(|s| s + "\n")
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::adoption::testkit::date;
    use crate::ledger::{Metrics, ShadowSnapshot};

    fn snapshot(as_of: NaiveDate, rate: f64) -> StoredSnapshot {
        StoredSnapshot {
            snapshot_id: 1,
            as_of,
            window_days: 30,
            shadow: ShadowSnapshot {
                name: "returns".into(),
                entity: "orders".into(),
                owner: None,
                path: "returns.csv".into(),
                system_path: "oms.csv".into(),
                metrics: Metrics {
                    rows: 9,
                    keys: 8,
                    in_system: 1,
                    shadow_only: 7,
                    divergent: 7,
                    changed: 0,
                    window_system: 1,
                    window_keys: 2,
                    rate,
                },
                open_errors: 2,
                sheet_fingerprint: "f".into(),
            },
        }
    }

    #[test]
    fn long_histories_draw_the_last_52_and_many_divergent_keys_are_cut() {
        let start = date("2025-01-06");
        let snapshots: Vec<StoredSnapshot> = (0..60)
            .map(|w| {
                snapshot(
                    start + chrono::Duration::weeks(w),
                    if w < 8 { 0.0 } else { 1.0 },
                )
            })
            .collect();
        let as_of = date("2026-03-01");
        let cfg = AdoptionConfig::default();
        let divergent_keys = (1..=7)
            .map(|i| DivergentKey {
                key: format!("R-{i}"),
                fields: vec!["status".into()],
            })
            .collect();
        let st = Status {
            as_of,
            config: cfg.clone(),
            shadows: vec![ShadowStatus {
                name: "returns".into(),
                entity: "orders".into(),
                owner: None,
                path: "returns.csv".into(),
                system_path: "oms.csv".into(),
                evaluation: evaluate(&snapshots, 2, as_of, &cfg),
                snapshots,
                divergent_keys,
                decision: None,
                resurrected: None,
            }],
        };
        let text = render_status_text(&st);
        let lines: Vec<&str> = text.lines().collect();
        assert_eq!(lines[2], "returns  (orders, no owner)  live");
        // weeks 8..59 are drawn: all at 1.0
        assert_eq!(
            lines[5],
            format!(
                "  trend       {}  (last 52 of 60 snapshots, 2025-03-03 → 2026-02-23)",
                "█".repeat(52)
            )
        );
        assert_eq!(
            lines[7],
            "  divergent   7 keys: R-1 (status), R-2 (status), R-3 (status), R-4 (status), R-5 (status) and 2 more"
        );
        assert_eq!(
            lines[13],
            "              ✗ no_open_errors  2 open error findings on the sheet"
        );
    }

    #[test]
    fn an_empty_ledger_says_how_to_start() {
        let st = Status {
            as_of: date("2026-10-01"),
            config: AdoptionConfig::default(),
            shadows: vec![],
        };
        assert_eq!(
            render_status_text(&st),
            "adoption as of 2026-10-01 (window 30 days, bar 0.98)\n\n\
             no snapshot recorded yet: run `offsheet adoption record`\n"
        );
        assert_eq!(
            render_status_json(&st).unwrap(),
            "{\n  \"version\": 1,\n  \"as_of\": \"2026-10-01\",\n  \"shadows\": []\n}\n"
        );
    }
}
