//! offsheet.toml as written: serde structures with spans, so every later check
//! can point at the line a person has to change.

use std::collections::BTreeMap;

use serde::Deserialize;
use toml::Spanned;

#[derive(Debug, Deserialize, Default)]
#[serde(deny_unknown_fields)]
pub struct RawConfig {
    pub version: Option<Spanned<i64>>,
    #[serde(default)]
    pub settings: RawSettings,
    #[serde(default)]
    pub decommission: RawDecommission,
    #[serde(default, rename = "source")]
    pub sources: Vec<RawSource>,
    #[serde(default)]
    pub rules: BTreeMap<String, Spanned<RawRule>>,
    #[serde(default, rename = "shadow")]
    pub shadows: Vec<RawShadow>,
}

#[derive(Debug, Deserialize, Default)]
#[serde(deny_unknown_fields)]
pub struct RawSettings {
    pub as_of: Option<Spanned<String>>,
    pub sla_days: Option<Spanned<i64>>,
    pub stale_days: Option<Spanned<i64>>,
    pub stock_tolerance_units: Option<Spanned<i64>>,
    pub stock_tolerance_pct: Option<Spanned<f64>>,
    pub amount_tolerance: Option<Spanned<String>>,
    pub adoption_window_days: Option<Spanned<i64>>,
}

#[derive(Debug, Deserialize, Default)]
#[serde(deny_unknown_fields)]
pub struct RawDecommission {
    pub min_rate: Option<Spanned<f64>>,
    pub streak: Option<Spanned<i64>>,
    pub quiet_days: Option<Spanned<i64>>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawSource {
    pub file: Spanned<String>,
    pub sheet: Option<Spanned<String>>,
    pub header_row: Option<Spanned<u32>>,
    pub feeds: Spanned<Vec<Spanned<String>>>,
    pub owner: Option<String>,
    #[serde(default)]
    pub columns: Vec<RawColumn>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawColumn {
    pub column: Spanned<String>,
    pub header: Spanned<String>,
    /// A canonical field, or "-" for a column kept as an extra field.
    pub field: Spanned<String>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawRule {
    pub enabled: Option<bool>,
    pub severity: Option<Spanned<String>>,
    /// A count ("10" or 10) or a share of rows ("5%").
    pub threshold: Option<Spanned<toml::Value>>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawShadow {
    pub name: Spanned<String>,
    pub path: Spanned<String>,
    pub sheet: Option<Spanned<String>>,
    pub entity: Spanned<String>,
    pub owner: Option<String>,
    pub system: Spanned<String>,
    pub system_sheet: Option<Spanned<String>>,
}
