//! The decommission criteria of SPEC, judged over a shadow's snapshots: a rate
//! streak, no divergent keys, a quiet sheet, no open errors. Each result carries
//! the sentence a person reads to know why it holds or what is missing.

use chrono::NaiveDate;
use serde::Serialize;

use super::AdoptionConfig;
use super::text::{count, rate};
use crate::ledger::StoredSnapshot;

/// Which criteria hold (SPEC's JSON `criteria` object).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct Criteria {
    pub rate_streak: bool,
    pub no_divergence: bool,
    pub quiet: bool,
    pub no_open_errors: bool,
}

impl Criteria {
    pub fn all(&self) -> bool {
        self.rate_streak && self.no_divergence && self.quiet && self.no_open_errors
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Criterion {
    RateStreak,
    NoDivergence,
    Quiet,
    NoOpenErrors,
}

impl Criterion {
    pub fn name(self) -> &'static str {
        match self {
            Criterion::RateStreak => "rate_streak",
            Criterion::NoDivergence => "no_divergence",
            Criterion::Quiet => "quiet",
            Criterion::NoOpenErrors => "no_open_errors",
        }
    }
}

/// One criterion judged: met or not, and why.
#[derive(Debug, Clone, PartialEq)]
pub struct CriterionResult {
    pub criterion: Criterion,
    pub met: bool,
    pub detail: String,
}

/// All four criteria judged at one as-of date.
#[derive(Debug, Clone, PartialEq)]
pub struct Evaluation {
    pub as_of: NaiveDate,
    pub criteria: Criteria,
    /// In the order rate_streak, no_divergence, quiet, no_open_errors.
    pub results: Vec<CriterionResult>,
    /// The as-of of the latest snapshot that saw rows added or changed (the
    /// first snapshot when none did); `None` without snapshots.
    pub last_change: Option<NaiveDate>,
    /// Days from `last_change` to as-of.
    pub days_quiet: Option<i64>,
}

impl Evaluation {
    pub fn unmet(&self) -> impl Iterator<Item = &CriterionResult> {
        self.results.iter().filter(|r| !r.met)
    }

    /// Marks `quiet` unmet with `detail` (the sheet changed after the snapshots).
    pub(crate) fn fail_quiet(&mut self, detail: String) {
        self.criteria.quiet = false;
        for r in &mut self.results {
            if r.criterion == Criterion::Quiet {
                r.met = false;
                r.detail = detail.clone();
            }
        }
    }
}

/// Rates this close to the bar count as reaching it (a rate of exactly 0.98
/// must meet 0.98 whatever the float rounding).
const RATE_EPSILON: f64 = 1e-9;

pub(crate) fn reaches(r: f64, min_rate: f64) -> bool {
    r + RATE_EPSILON >= min_rate
}

/// Judges the criteria at `as_of` over a shadow's snapshots (oldest first; any
/// dated after `as_of` are ignored) and the open error findings on its sheet.
pub fn evaluate(
    history: &[StoredSnapshot],
    open_errors: usize,
    as_of: NaiveDate,
    cfg: &AdoptionConfig,
) -> Evaluation {
    let upto = history.partition_point(|s| s.as_of <= as_of);
    let history = history.get(..upto).unwrap_or(history);
    let (last_change, days_quiet) = quiet_since(history, as_of);
    let results = vec![
        rate_streak(history, cfg),
        no_divergence(history.last()),
        quiet(last_change, days_quiet, as_of, cfg),
        no_open_errors(open_errors),
    ];
    let met = |c: Criterion| results.iter().any(|r| r.criterion == c && r.met);
    Evaluation {
        as_of,
        criteria: Criteria {
            rate_streak: met(Criterion::RateStreak),
            no_divergence: met(Criterion::NoDivergence),
            quiet: met(Criterion::Quiet),
            no_open_errors: met(Criterion::NoOpenErrors),
        },
        results,
        last_change,
        days_quiet,
    }
}

fn result(criterion: Criterion, met: bool, detail: String) -> CriterionResult {
    CriterionResult {
        criterion,
        met,
        detail,
    }
}

fn rate_streak(history: &[StoredSnapshot], cfg: &AdoptionConfig) -> CriterionResult {
    let c = Criterion::RateStreak;
    let bar = rate(cfg.min_rate);
    if history.len() < cfg.streak {
        let have = count(history.len(), "snapshot", "snapshots");
        return result(
            c,
            false,
            format!("{have} recorded; the streak needs {}", cfg.streak),
        );
    }
    let last = history
        .get(history.len() - cfg.streak..)
        .unwrap_or_default();
    let below: Vec<String> = last
        .iter()
        .rev()
        .filter(|s| !reaches(s.shadow.metrics.rate, cfg.min_rate))
        .map(|s| {
            format!(
                "rate {} on {} is below {bar}",
                rate(s.shadow.metrics.rate),
                s.as_of
            )
        })
        .collect();
    if below.is_empty() {
        let n = count(cfg.streak, "snapshot", "snapshots");
        result(c, true, format!("rate at least {bar} in the last {n}"))
    } else {
        result(c, false, below.join("; "))
    }
}

fn no_divergence(latest: Option<&StoredSnapshot>) -> CriterionResult {
    let c = Criterion::NoDivergence;
    match latest {
        None => result(c, false, "no snapshot recorded".into()),
        Some(s) if s.shadow.metrics.divergent == 0 => {
            result(c, true, format!("no divergent keys on {}", s.as_of))
        }
        Some(s) => {
            let n = count(
                s.shadow.metrics.divergent,
                "divergent key",
                "divergent keys",
            );
            result(c, false, format!("{n} on {}", s.as_of))
        }
    }
}

fn quiet_since(history: &[StoredSnapshot], as_of: NaiveDate) -> (Option<NaiveDate>, Option<i64>) {
    let last_change = history
        .iter()
        .rev()
        .find(|s| s.shadow.metrics.changed > 0)
        .or(history.first())
        .map(|s| s.as_of);
    (last_change, last_change.map(|d| (as_of - d).num_days()))
}

fn quiet(
    last_change: Option<NaiveDate>,
    days: Option<i64>,
    as_of: NaiveDate,
    cfg: &AdoptionConfig,
) -> CriterionResult {
    let c = Criterion::Quiet;
    let (Some(changed), Some(days)) = (last_change, days) else {
        return result(c, false, "no snapshot recorded".into());
    };
    let span = count(days.unsigned_abs() as usize, "day", "days");
    if days >= cfg.quiet_days {
        result(c, true, format!("no change since {changed} ({span})"))
    } else {
        let need = count(cfg.quiet_days.unsigned_abs() as usize, "day", "days");
        result(
            c,
            false,
            format!("last change on {changed}, {span} before {as_of}; {need} needed"),
        )
    }
}

fn no_open_errors(open_errors: usize) -> CriterionResult {
    let c = Criterion::NoOpenErrors;
    if open_errors == 0 {
        result(c, true, "no open error findings on the sheet".into())
    } else {
        let n = count(open_errors, "open error finding", "open error findings");
        result(c, false, format!("{n} on the sheet"))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ledger::{Metrics, ShadowSnapshot};

    fn date(s: &str) -> NaiveDate {
        NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap()
    }

    fn snap(as_of: &str, rate: f64, divergent: usize, changed: usize) -> StoredSnapshot {
        StoredSnapshot {
            snapshot_id: 1,
            as_of: date(as_of),
            window_days: 30,
            shadow: ShadowSnapshot {
                name: "s".into(),
                entity: "orders".into(),
                owner: None,
                path: "s.csv".into(),
                system_path: "oms.csv".into(),
                metrics: Metrics {
                    rows: 10,
                    keys: 10,
                    in_system: 10,
                    shadow_only: 0,
                    divergent,
                    changed,
                    window_system: 0,
                    window_keys: 0,
                    rate,
                },
                open_errors: 0,
                sheet_fingerprint: "f".into(),
            },
        }
    }

    fn details(e: &Evaluation) -> Vec<(bool, &str)> {
        e.results
            .iter()
            .map(|r| (r.met, r.detail.as_str()))
            .collect()
    }

    #[test]
    fn rate_exactly_at_the_bar_meets_it() {
        let h = [
            snap("2026-10-01", 49.0 / 50.0, 0, 5),
            snap("2026-10-08", 0.98, 0, 0),
            snap("2026-10-15", 98.0 / 100.0, 0, 0),
        ];
        let e = evaluate(&h, 0, date("2026-10-15"), &AdoptionConfig::default());
        assert!(e.criteria.rate_streak);
        assert_eq!(
            e.results[0].detail,
            "rate at least 0.98 in the last 3 snapshots"
        );
    }

    #[test]
    fn one_snapshot_below_breaks_the_streak() {
        let h = [
            snap("2026-10-01", 0.5, 0, 5),
            snap("2026-10-08", 0.99, 0, 0),
            snap("2026-10-12", 0.91, 0, 0),
            snap("2026-10-15", 1.0, 0, 0),
        ];
        let e = evaluate(&h, 0, date("2026-10-15"), &AdoptionConfig::default());
        assert!(!e.criteria.rate_streak);
        assert_eq!(e.results[0].detail, "rate 0.91 on 2026-10-12 is below 0.98");
    }

    #[test]
    fn fewer_snapshots_than_the_streak_do_not_meet_it() {
        let h = [snap("2026-10-01", 1.0, 0, 5), snap("2026-10-08", 1.0, 0, 0)];
        let e = evaluate(&h, 0, date("2026-10-30"), &AdoptionConfig::default());
        assert!(!e.criteria.rate_streak);
        assert_eq!(
            e.results[0].detail,
            "2 snapshots recorded; the streak needs 3"
        );
    }

    #[test]
    fn thirteen_days_quiet_is_not_enough_fourteen_is() {
        let h = [
            snap("2026-10-01", 1.0, 0, 5),
            snap("2026-10-08", 1.0, 0, 2),
            snap("2026-10-15", 1.0, 0, 0),
        ];
        let cfg = AdoptionConfig::default();
        let e13 = evaluate(&h, 0, date("2026-10-21"), &cfg);
        assert!(!e13.criteria.quiet);
        assert_eq!(e13.days_quiet, Some(13));
        assert_eq!(
            e13.results[2].detail,
            "last change on 2026-10-08, 13 days before 2026-10-21; 14 days needed"
        );
        let e14 = evaluate(&h, 0, date("2026-10-22"), &cfg);
        assert!(e14.criteria.quiet);
        assert_eq!(
            e14.results[2].detail,
            "no change since 2026-10-08 (14 days)"
        );
        assert!(e14.criteria.all());
    }

    #[test]
    fn snapshots_after_as_of_are_ignored() {
        let h = [
            snap("2026-10-01", 1.0, 0, 5),
            snap("2026-10-08", 1.0, 2, 0),
            snap("2026-10-15", 1.0, 0, 3),
        ];
        let e = evaluate(&h, 0, date("2026-10-10"), &AdoptionConfig::default());
        assert_eq!(
            details(&e),
            vec![
                (false, "2 snapshots recorded; the streak needs 3"),
                (false, "2 divergent keys on 2026-10-08"),
                (
                    false,
                    "last change on 2026-10-01, 9 days before 2026-10-10; 14 days needed"
                ),
                (true, "no open error findings on the sheet"),
            ]
        );
        assert_eq!(e.last_change, Some(date("2026-10-01")));
    }

    #[test]
    fn open_errors_and_no_history() {
        let e = evaluate(&[], 1, date("2026-10-10"), &AdoptionConfig::default());
        assert_eq!(
            e.criteria,
            Criteria {
                rate_streak: false,
                no_divergence: false,
                quiet: false,
                no_open_errors: false
            }
        );
        assert_eq!(
            details(&e),
            vec![
                (false, "0 snapshots recorded; the streak needs 3"),
                (false, "no snapshot recorded"),
                (false, "no snapshot recorded"),
                (false, "1 open error finding on the sheet"),
            ]
        );
        assert_eq!(e.unmet().count(), 4);
    }

    #[test]
    fn a_sheet_that_never_changed_is_quiet_since_its_first_snapshot() {
        let h = [snap("2026-10-01", 1.0, 0, 0), snap("2026-10-08", 1.0, 0, 0)];
        let e = evaluate(&h, 0, date("2026-10-15"), &AdoptionConfig::default());
        assert_eq!(
            (e.last_change, e.days_quiet),
            (Some(date("2026-10-01")), Some(14))
        );
        assert!(e.criteria.quiet);
    }
}
