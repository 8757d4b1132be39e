//! Test support for rules: small canonical tables built by hand, so each rule's
//! tests state exactly the rows it must flag and the rows it must not.

use chrono::NaiveDate;
use polars::prelude::*;

use crate::model::Entity;
use crate::model::canonical::{Canonical, DECIMAL_SCALE, SourceInfo, schema};
use crate::settings::Settings;

use super::emit::days_from_date;

/// A source of `entity` in `file` (sheet `None` for CSV) whose fields sit in the
/// given column letters.
pub fn source(
    id: u32,
    entity: Entity,
    file: &str,
    sheet: Option<&str>,
    columns: &[(&'static str, &str)],
) -> SourceInfo {
    SourceInfo {
        id,
        region: id,
        file: file.into(),
        sheet: sheet.map(Into::into),
        entity,
        header_row: 1,
        columns: columns
            .iter()
            .map(|(f, letter)| (*f, crate::source::a1::column_index(letter).unwrap_or(0)))
            .collect(),
        headers: columns.iter().map(|(f, _)| (*f, f.to_string())).collect(),
        decisions: Vec::new(),
        derived_line_no: false,
        rows: 0,
        rejected: 0,
    }
}

pub fn u32s(name: &str, v: &[u32]) -> Column {
    Column::new(name.into(), v)
}

pub fn strs(name: &str, v: &[Option<&str>]) -> Column {
    Column::new(name.into(), v)
}

pub fn ints(name: &str, v: &[Option<i64>]) -> Column {
    Column::new(name.into(), v)
}

pub fn bools(name: &str, v: &[Option<bool>]) -> Column {
    Column::new(name.into(), v)
}

/// Amounts from text ("12.50"), as the tables hold them: Int64 mantissas.
pub fn decs(name: &str, v: &[Option<&str>]) -> Column {
    let mantissas: Vec<Option<i64>> = v
        .iter()
        .map(|s| {
            s.map(|s| {
                let mut d: rust_decimal::Decimal = s.parse().expect("decimal literal");
                d.rescale(DECIMAL_SCALE as u32);
                i64::try_from(d.mantissa()).expect("amount within Int64")
            })
        })
        .collect();
    Column::new(name.into(), mantissas)
}

/// Dates from ISO text.
pub fn dates(name: &str, v: &[Option<&str>]) -> Column {
    let days: Vec<Option<i32>> = v
        .iter()
        .map(|s| {
            s.map(|s| days_from_date(NaiveDate::parse_from_str(s, "%Y-%m-%d").expect("ISO date")))
        })
        .collect();
    Column::new(name.into(), days)
        .cast(&DataType::Date)
        .expect("date column")
}

/// Date-times from "YYYY-MM-DD HH:MM".
pub fn datetimes(name: &str, v: &[Option<&str>]) -> Column {
    let ms: Vec<Option<i64>> = v
        .iter()
        .map(|s| {
            s.map(|s| {
                chrono::NaiveDateTime::parse_from_str(s, "%Y-%m-%d %H:%M")
                    .expect("date-time literal")
                    .and_utc()
                    .timestamp_millis()
            })
        })
        .collect();
    Column::new(name.into(), ms)
        .cast(&DataType::Datetime(TimeUnit::Milliseconds, None))
        .expect("datetime column")
}

/// A frame of `entity` with the given columns; every other column of the
/// entity's schema is filled with nulls of its type (helper columns such as
/// `_sku_key` are derived from `sku`/`location` when not given).
pub fn table(entity: Entity, given: Vec<Column>) -> DataFrame {
    let height = given.first().map_or(0, |c| c.len());
    let mut cols: Vec<Column> = Vec::new();
    for (name, dtype) in schema(entity) {
        if let Some(c) = given.iter().find(|c| c.name().as_str() == name) {
            cols.push(c.clone());
            continue;
        }
        let derived = match name.as_str() {
            "_sku_key" => key_of(&given, "sku"),
            "_location_key" => key_of(&given, "location"),
            "_line_no_derived" => Some(Column::new(name.as_str().into(), vec![false; height])),
            _ => None,
        };
        cols.push(
            derived.unwrap_or_else(|| Column::full_null(name.as_str().into(), height, &dtype)),
        );
    }
    DataFrame::new(height, cols).expect("frame")
}

fn key_of(given: &[Column], field: &str) -> Option<Column> {
    let c = given.iter().find(|c| c.name().as_str() == field)?;
    let keys: Vec<Option<String>> = c
        .str()
        .ok()?
        .iter()
        .map(|v| v.map(|s| s.trim().to_uppercase()))
        .collect();
    Some(Column::new(format!("_{field}_key").as_str().into(), keys))
}

/// A canonical set of tables from sources and frames.
pub fn canonical(sources: Vec<SourceInfo>, tables: Vec<(Entity, DataFrame)>) -> Canonical {
    Canonical {
        sources,
        tables: tables.into_iter().collect(),
        ..Canonical::default()
    }
}

/// Default settings with the as-of date fixed.
pub fn settings(as_of: &str) -> Settings {
    Settings {
        as_of: NaiveDate::parse_from_str(as_of, "%Y-%m-%d").ok(),
        ..Settings::default()
    }
}

/// (cell, category) of each finding, for exact assertions.
pub fn cells(findings: &[crate::findings::Finding]) -> Vec<(String, &'static str)> {
    findings
        .iter()
        .map(|f| {
            let place = match (&f.location.sheet, &f.location.cell, f.location.row) {
                (Some(s), Some(c), _) => format!("{}!{}", s, c),
                (None, Some(c), _) => c.clone(),
                (_, None, Some(r)) => format!("row {r}"),
                _ => String::new(),
            };
            (format!("{} {}", f.location.file, place), f.category.name())
        })
        .collect()
}

/// Every value present: `some(&["a", "b"])` is `[Some("a"), Some("b")]`.
pub fn some<T: Copy>(v: &[T]) -> Vec<Option<T>> {
    v.iter().copied().map(Some).collect()
}

/// `n` consecutive rows from `first` (`rows_from(2, 3)` is `[2, 3, 4]`).
pub fn rows_from(first: u32, n: usize) -> Vec<u32> {
    (first..first + n as u32).collect()
}

/// The cells of findings that must all be of `category`, for short assertions.
pub fn cells_of(category: &str, findings: &[crate::findings::Finding]) -> Vec<String> {
    cells(findings)
        .into_iter()
        .map(|(cell, c)| {
            assert_eq!(c, category, "{cell}");
            cell
        })
        .collect()
}
