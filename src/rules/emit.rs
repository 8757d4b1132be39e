//! Turning a frame of hits (rows a rule flagged) into findings that point at
//! cells: the plumbing every rule shares, so rule files hold only their logic.

use chrono::NaiveDate;
use polars::prelude::*;

use crate::findings::{Category, Finding, Location, Severity};
use crate::model::Entity;
use crate::model::canonical::{DECIMAL_SCALE, is_money, row_id, row_id_expr};

use super::Context;

/// Days since 1970-01-01 (polars' Date) to a date.
pub fn date_from_days(days: i32) -> Option<NaiveDate> {
    NaiveDate::from_ymd_opt(1970, 1, 1)?.checked_add_signed(chrono::Duration::days(i64::from(days)))
}

/// A date to polars' Date (days since 1970-01-01).
pub fn days_from_date(d: NaiveDate) -> i32 {
    let epoch = NaiveDate::from_ymd_opt(1970, 1, 1).unwrap_or_default();
    (d - epoch).num_days() as i32
}

/// A value as a person reads it in a finding: decimals without trailing zeros
/// beyond two places, dates as ISO, null as `None`.
pub fn format_value(v: &AnyValue<'_>) -> Option<String> {
    match v {
        AnyValue::Null => None,
        AnyValue::String(s) => Some((*s).to_string()),
        AnyValue::StringOwned(s) => Some(s.to_string()),
        AnyValue::Boolean(b) => Some(b.to_string()),
        AnyValue::Decimal(m, _, scale) => {
            let d = rust_decimal::Decimal::try_from_i128_with_scale(*m, *scale as u32).ok()?;
            Some(format_decimal(d))
        }
        AnyValue::Date(days) => date_from_days(*days).map(|d| d.to_string()),
        AnyValue::Datetime(ms, TimeUnit::Milliseconds, _) => {
            chrono::DateTime::from_timestamp_millis(*ms)
                .map(|d| d.naive_utc().format("%Y-%m-%d %H:%M").to_string())
        }
        other => Some(other.str_value().into_owned()),
    }
}

/// The value of row `i` of a canonical column as a person reads it
/// ([`format_value`]); a money column's mantissa as its amount.
pub fn column_value(c: &Column, i: usize) -> Option<String> {
    value_at(c, i, is_money(c.name()))
}

/// Row `i` of a column as [`column_value`] reads it, told whether the column
/// holds money (a renamed money column).
pub fn value_at(c: &Column, i: usize, money: bool) -> Option<String> {
    match c.get(i).ok()? {
        AnyValue::Int64(m) if money => {
            let d = rust_decimal::Decimal::try_from_i128_with_scale(
                i128::from(m),
                DECIMAL_SCALE as u32,
            )
            .ok()?;
            Some(format_decimal(d))
        }
        v => format_value(&v),
    }
}

/// 12.5 → "12.50", 12.125 → "12.125", 3 → "3.00".
pub fn format_decimal(d: rust_decimal::Decimal) -> String {
    let n = d.normalize();
    if n.scale() < 2 {
        format!("{:.2}", n)
    } else {
        n.to_string()
    }
}

/// One flagged row, read from a hits frame: its provenance and the text of the
/// named columns.
#[derive(Debug, Clone)]
pub struct Hit {
    pub source: u32,
    pub row: u32,
    pub values: Vec<Option<String>>,
}

impl Hit {
    /// The text of the i-th named column.
    pub fn get(&self, i: usize) -> Option<&str> {
        self.values.get(i).and_then(|v| v.as_deref())
    }
}

/// Reads `_source`, `_row` and `cols` (formatted) from every row of `df`.
pub fn hits(df: &DataFrame, cols: &[&str]) -> PolarsResult<Vec<Hit>> {
    let sources = df.column("_source")?.u32()?.clone();
    let rows = df.column("_row")?.u32()?.clone();
    let columns: Vec<&Column> = cols
        .iter()
        .map(|c| df.column(c))
        .collect::<PolarsResult<_>>()?;
    let money: Vec<bool> = cols.iter().map(|c| is_money(c)).collect();
    let mut out = Vec::with_capacity(df.height());
    for i in 0..df.height() {
        let values = columns
            .iter()
            .zip(&money)
            .map(|(c, &money)| value_at(c, i, money))
            .collect();
        out.push(Hit {
            source: sources.get(i).unwrap_or(0),
            row: rows.get(i).unwrap_or(0),
            values,
        });
    }
    Ok(out)
}

/// A finding before it is given its cell and severity.
#[derive(Debug, Clone)]
pub struct Draft {
    pub rule: &'static str,
    pub category: Category,
    pub entity: Entity,
    pub source: u32,
    pub row: u32,
    /// The field whose cell the finding points at; `None` for the whole row.
    pub field: Option<&'static str>,
    pub key: Option<String>,
    pub message: String,
    pub value: Option<String>,
    pub expected: Option<String>,
    pub related: Vec<Location>,
}

impl Draft {
    pub fn new(
        rule: &'static str,
        category: Category,
        entity: Entity,
        source: u32,
        row: u32,
    ) -> Draft {
        Draft {
            rule,
            category,
            entity,
            source,
            row,
            field: None,
            key: None,
            message: String::new(),
            value: None,
            expected: None,
            related: Vec::new(),
        }
    }

    pub fn field(mut self, field: &'static str) -> Draft {
        self.field = Some(field);
        self
    }

    pub fn key(mut self, key: impl Into<String>) -> Draft {
        self.key = Some(key.into());
        self
    }

    pub fn message(mut self, m: impl Into<String>) -> Draft {
        self.message = m.into();
        self
    }

    pub fn value(mut self, v: Option<impl Into<String>>) -> Draft {
        self.value = v.map(Into::into);
        self
    }

    pub fn expected(mut self, e: Option<impl Into<String>>) -> Draft {
        self.expected = e.map(Into::into);
        self
    }

    pub fn related(mut self, l: Location) -> Draft {
        self.related.push(l);
        self
    }

    /// The finding, at the cell of `field` in the draft's row (severity is set
    /// by the runner from the rule and the settings).
    pub fn build(self, ctx: &Context<'_>) -> Finding {
        let location = match ctx.data.source(self.source) {
            Some(s) => s.location(self.row, self.field),
            None => Location::file("?"),
        };
        Finding {
            rule: self.rule,
            category: self.category,
            severity: Severity::Error,
            entity: Some(self.entity),
            key: self.key,
            location,
            related: self.related,
            message: self.message,
            value: self.value,
            expected: self.expected,
        }
    }
}

/// The location of another record (for `related`).
pub fn location(ctx: &Context<'_>, source: u32, row: u32, field: Option<&str>) -> Location {
    match ctx.data.source(source) {
        Some(s) => s.location(row, field),
        None => Location::file("?"),
    }
}

/// A boolean expression over a frame's `_source` and `_row`: whether the row
/// had a cell finding or was rejected ([`Canonical::tainted`]). Derived rules
/// filter on its negation so a broken value is reported once.
///
/// [`Canonical::tainted`]: crate::model::canonical::Canonical::tainted
pub fn tainted(ctx: &Context<'_>) -> Expr {
    let mut by_region: std::collections::HashMap<u32, Vec<u32>> = Default::default();
    for (region, row) in &ctx.data.tainted {
        by_region.entry(*region).or_default().push(*row);
    }
    let per_source: Vec<(u32, &Vec<u32>)> = ctx
        .data
        .sources
        .iter()
        .filter_map(|s| Some((s.id, by_region.get(&s.region)?)))
        .collect();
    // A few sources: their rows looked up by source, with no row id made per
    // row of the table (most audits have one or two sources with bad rows).
    if per_source.len() <= 4 {
        return per_source
            .into_iter()
            .fold(lit(false), |any, (source, rows)| {
                let rows = Series::new("_tainted_rows".into(), rows.as_slice());
                any.or(col("_source")
                    .eq(lit(source))
                    .and(col("_row").is_in(lit(rows).implode(false), false)))
            });
    }
    let keys: Vec<u64> = per_source
        .into_iter()
        .flat_map(|(source, rows)| rows.iter().map(move |row| row_id(source, *row)))
        .collect();
    let set = Series::new("_tainted_keys".into(), keys);
    row_id_expr().is_in(lit(set).implode(false), false)
}
