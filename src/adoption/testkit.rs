//! Builders for adoption tests: records, inputs and dates in one line each.

use std::collections::BTreeMap;

use chrono::NaiveDate;

use super::{KeyedRecord, ShadowInput, row_fingerprint};

pub fn date(s: &str) -> NaiveDate {
    NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap()
}

/// A record whose fingerprint covers its key, date and values.
pub fn rec(key: &str, day: &str, values: &[(&str, &str)]) -> KeyedRecord {
    let values: BTreeMap<String, String> = values
        .iter()
        .map(|(f, v)| (f.to_string(), v.to_string()))
        .collect();
    let mut cells = vec![key.to_string(), day.to_string()];
    cells.extend(values.iter().map(|(f, v)| format!("{f}={v}")));
    KeyedRecord {
        key: key.into(),
        date: Some(date(day)),
        fingerprint: row_fingerprint(&cells),
        values,
        row: 2,
    }
}

pub fn input(name: &str, shadow: Vec<KeyedRecord>, system: Vec<KeyedRecord>) -> ShadowInput {
    ShadowInput {
        name: name.into(),
        entity: "orders".into(),
        owner: Some("ops@example.com".into()),
        path: format!("shadow/{name}.xlsx"),
        system_path: "exports/oms_orders.csv".into(),
        shadow,
        system,
        open_errors: 0,
    }
}

/// A fresh ledger in a temporary folder (kept alive by the returned guard).
pub fn ledger() -> (tempfile::TempDir, crate::ledger::Ledger) {
    let dir = tempfile::tempdir().unwrap();
    let ledger = crate::ledger::Ledger::open(&dir.path().join(".offsheet/ledger.sqlite")).unwrap();
    (dir, ledger)
}
