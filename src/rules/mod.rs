//! Integrity rules. Each rule is a small unit — a stable id, a category, a default
//! severity, its documentation and a check — registered once in [`registry::RULES`].
//! Checks are polars expressions and joins over the canonical tables; they return
//! findings and never print.

pub mod arithmetic;
pub mod cells;
pub mod copies;
pub mod counts;
pub mod dates;
pub mod emit;
pub mod handoff;
pub mod keys;
pub mod references;
pub mod registry;
pub mod stock;
pub mod structure;
pub mod workflow;

use chrono::NaiveDate;
use polars::prelude::*;

use crate::findings::{Category, Finding, Severity};
use crate::model::canonical::Canonical;
use crate::settings::{Settings, Threshold};

/// The documentation of a rule, in the fixed template that `offsheet rules
/// --explain ID` prints and docs/rules.md holds.
#[derive(Debug, Clone, Copy)]
pub struct RuleDoc {
    /// One line: what the rule finds.
    pub summary: &'static str,
    pub why: &'static str,
    pub example: &'static str,
    pub fix: &'static str,
}

pub type Check = fn(&Context<'_>) -> PolarsResult<Vec<Finding>>;

#[derive(Clone, Copy)]
pub struct Rule {
    /// Stable; never reused for another meaning.
    pub id: &'static str,
    pub category: Category,
    pub severity: Severity,
    pub doc: RuleDoc,
    pub check: Check,
}

impl std::fmt::Debug for Rule {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Rule").field("id", &self.id).finish()
    }
}

/// What a rule sees.
pub struct Context<'a> {
    pub data: &'a Canonical,
    pub settings: &'a Settings,
    /// The resolved as-of date.
    pub as_of: NaiveDate,
}

impl<'a> Context<'a> {
    pub fn new(data: &'a Canonical, settings: &'a Settings) -> Context<'a> {
        let as_of = settings
            .as_of
            .or_else(|| newest_date(data))
            .unwrap_or_else(|| chrono::Local::now().date_naive());
        Context {
            data,
            settings,
            as_of,
        }
    }
}

/// The newest date in any date or date-time field of any table.
pub fn newest_date(data: &Canonical) -> Option<NaiveDate> {
    let mut newest: Option<NaiveDate> = None;
    for df in data.tables.values() {
        for col in df.columns() {
            if col.name().starts_with('_') {
                continue;
            }
            let as_date = match col.dtype() {
                DataType::Date => col.as_materialized_series().clone(),
                DataType::Datetime(_, _) => match col.cast(&DataType::Date) {
                    Ok(c) => c.as_materialized_series().clone(),
                    Err(_) => continue,
                },
                _ => continue,
            };
            if let Ok(days) = as_date.cast(&DataType::Int32)
                && let Ok(ca) = days.i32()
                && let Some(max) = ca.max()
            {
                let d = emit::date_from_days(max);
                if let Some(d) = d {
                    newest = Some(newest.map_or(d, |n| n.max(d)));
                }
            }
        }
    }
    newest
}

/// A rule that could not run (a polars failure): reported, not fatal.
#[derive(Debug, Clone)]
pub struct RuleFailure {
    pub rule: &'static str,
    pub message: String,
}

#[derive(Debug, Default)]
pub struct Outcome {
    pub findings: Vec<Finding>,
    pub failures: Vec<RuleFailure>,
    /// Rules switched off in offsheet.toml.
    pub disabled: Vec<&'static str>,
}

/// Runs every enabled rule, applies severity settings and thresholds, and keeps
/// one finding per cell (the most specific category).
pub fn run(ctx: &Context<'_>) -> Outcome {
    run_timed(ctx, false)
}

/// [`run`], printing each rule's time on stderr when `timed`.
pub fn run_timed(ctx: &Context<'_>, timed: bool) -> Outcome {
    // One rule after another, each on polars' threads (and the duplicate-key
    // rule on the pool's): run side by side they only competed for the same
    // cores, no faster, and their working memory peaked together.
    let results: Vec<_> = registry::RULES
        .iter()
        .map(|rule| {
            let setting = ctx.settings.rule(rule.id);
            if setting.and_then(|s| s.enabled) == Some(false) {
                return (rule, setting, None, 0.0);
            }
            let started = std::time::Instant::now();
            let result = (rule.check)(ctx);
            (rule, setting, Some(result), started.elapsed().as_secs_f64())
        })
        .collect();
    let mut out = Outcome::default();
    for (rule, setting, result, seconds) in results {
        let Some(result) = result else {
            out.disabled.push(rule.id);
            continue;
        };
        match result {
            Ok(mut found) => {
                let severity = setting.and_then(|s| s.severity).unwrap_or(rule.severity);
                let below = setting
                    .and_then(|s| s.threshold)
                    .is_some_and(|t| below_threshold(ctx, rule, t, found.len()));
                for f in &mut found {
                    f.severity = if below && severity > Severity::Warning {
                        Severity::Warning
                    } else {
                        severity
                    };
                }
                out.findings.extend(found);
            }
            Err(e) => out.failures.push(RuleFailure {
                rule: rule.id,
                message: e.to_string(),
            }),
        }
        if timed {
            eprintln!("timing:   {}: {seconds:.3}s", rule.id);
        }
    }
    out.findings = keep_most_specific(std::mem::take(&mut out.findings));
    sort(&mut out.findings);
    out
}

fn below_threshold(ctx: &Context<'_>, rule: &Rule, t: Threshold, count: usize) -> bool {
    match t {
        Threshold::Count(n) => count < n,
        Threshold::Percent(p) => {
            let entity = registry::entity_of(rule.id);
            let rows: usize = ctx
                .data
                .sources
                .iter()
                .filter(|s| entity.is_none_or(|e| s.entity == e))
                .map(|s| s.rows)
                .sum();
            rows > 0 && (count as f64) * 100.0 < p * rows as f64
        }
    }
}

/// How specific a category is when two findings point at the same cell: the
/// first in this list wins ("ten" as a quantity is invalid_type, and its line
/// total is not then an arithmetic_mismatch).
const PRECEDENCE: [Category; 17] = [
    Category::FormulaError,
    Category::InvalidType,
    Category::MissingRequired,
    Category::InvalidValue,
    Category::SchemaDrift,
    Category::DuplicateKey,
    Category::ConflictingCopy,
    Category::OrphanReference,
    Category::NegativeStock,
    Category::Oversold,
    Category::StockMismatch,
    Category::StaleCount,
    Category::DateSequence,
    Category::ArithmeticMismatch,
    Category::HandoffGap,
    Category::Stuck,
    Category::Unowned,
];

fn rank(c: Category) -> usize {
    PRECEDENCE
        .iter()
        .position(|p| *p == c)
        .unwrap_or(PRECEDENCE.len())
}

fn keep_most_specific(mut findings: Vec<Finding>) -> Vec<Finding> {
    findings.sort_by(|a, b| (&a.location, rank(a.category)).cmp(&(&b.location, rank(b.category))));
    let mut out: Vec<Finding> = Vec::with_capacity(findings.len());
    for f in findings {
        let same_cell = out.last().is_some_and(|prev: &Finding| {
            prev.location.cell.is_some()
                && prev.location == f.location
                && prev.category != f.category
        });
        if !same_cell {
            out.push(f);
        }
    }
    out
}

/// File, sheet, row, column, then rule: the order every output uses.
pub fn sort(findings: &mut [Finding]) {
    findings.sort_by(|a, b| {
        let ka = (
            &a.location.file,
            &a.location.sheet,
            a.location.row,
            a.location.column.as_ref().map(|c| (c.len(), c.clone())),
            a.rule,
        );
        let kb = (
            &b.location.file,
            &b.location.sheet,
            b.location.row,
            b.location.column.as_ref().map(|c| (c.len(), c.clone())),
            b.rule,
        );
        ka.cmp(&kb)
    });
}

#[cfg(test)]
pub mod testkit;
