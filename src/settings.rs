//! Resolved settings: defaults, then offsheet.toml, then flags, validated once
//! into one value that commands and rules read (they never re-read raw flags).

use std::collections::BTreeMap;

use chrono::NaiveDate;
use rust_decimal::Decimal;

use crate::findings::Severity;

/// Per-rule settings from `[rules."<id>"]`.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct RuleSetting {
    /// `false` switches the rule off.
    pub enabled: Option<bool>,
    pub severity: Option<Severity>,
    /// Below this many findings (or share of the source's rows) the rule only warns.
    pub threshold: Option<Threshold>,
}

#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Threshold {
    Count(usize),
    /// A share of the rows of the entity's sources, 0 to 100.
    Percent(f64),
}

#[derive(Debug, Clone, PartialEq)]
pub struct Settings {
    /// The date "now" for stuck orders and stale counts; `None` means the newest
    /// date in the data, so results do not change with the wall clock.
    pub as_of: Option<NaiveDate>,
    /// An open order not updated for more than this many days is stuck.
    pub sla_days: i64,
    /// A count older than this many days before the newest count is stale.
    pub stale_days: i64,
    /// A count is a mismatch when it differs by more than this many units...
    pub stock_tolerance_units: i64,
    /// ...and by more than this percentage of on_hand.
    pub stock_tolerance_pct: f64,
    /// Money totals may differ by this much (rounding in the sheet).
    pub amount_tolerance: Decimal,
    /// Adoption is measured over records dated within this many days before as-of.
    pub adoption_window_days: i64,
    pub rules: BTreeMap<String, RuleSetting>,
}

impl Default for Settings {
    fn default() -> Self {
        Settings {
            as_of: None,
            sla_days: 7,
            stale_days: 90,
            stock_tolerance_units: 2,
            stock_tolerance_pct: 5.0,
            amount_tolerance: Decimal::new(1, 2),
            adoption_window_days: 30,
            rules: BTreeMap::new(),
        }
    }
}

impl Settings {
    pub fn rule(&self, id: &str) -> Option<&RuleSetting> {
        self.rules.get(id)
    }
}
