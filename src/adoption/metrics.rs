//! One shadow sheet measured against its system export at an as-of date: keys in
//! both, shadow-only keys, divergent keys, rows changed since the previous
//! snapshot, and the adoption rate over the window.

use std::collections::{BTreeMap, BTreeSet};

use chrono::{Duration, NaiveDate};

use super::{KeyedRecord, ShadowInput, sheet_fingerprint};
use crate::ledger::{DivergentKey, Metrics, RowFingerprints, ShadowSnapshot};

/// What one shadow sheet contributes to a snapshot.
#[derive(Debug, Clone, PartialEq)]
pub struct Measurement {
    pub snapshot: ShadowSnapshot,
    pub fingerprints: RowFingerprints,
    pub divergent_keys: Vec<DivergentKey>,
}

/// Measures `input` at `as_of`. `previous` holds the row fingerprints of the
/// shadow's previous snapshot; `None` (its first snapshot) counts every row as
/// changed.
pub fn measure(
    input: &ShadowInput,
    previous: Option<&RowFingerprints>,
    as_of: NaiveDate,
    window_days: i64,
) -> Measurement {
    let fingerprints = row_fingerprints(&input.shadow);
    let shadow_keys: BTreeSet<&str> = input.shadow.iter().map(|r| r.key.as_str()).collect();
    let system_keys: BTreeSet<&str> = input.system.iter().map(|r| r.key.as_str()).collect();
    let in_system = shadow_keys.intersection(&system_keys).count();

    let in_window = window(as_of, window_days);
    let window_system = dated_keys(&input.system, &in_window);
    let window_shadow = dated_keys(&input.shadow, &in_window);
    let window_keys = window_system.union(&window_shadow).count();
    let rate = if window_keys == 0 {
        1.0
    } else {
        window_system.len() as f64 / window_keys as f64
    };

    let divergent_keys = divergence(&input.shadow, &input.system);
    let changed = match previous {
        None => input.shadow.len(),
        Some(prev) => fingerprints
            .iter()
            .map(|(k, n)| n.saturating_sub(prev.get(k).copied().unwrap_or(0)))
            .sum(),
    };
    Measurement {
        snapshot: ShadowSnapshot {
            name: input.name.clone(),
            entity: input.entity.clone(),
            owner: input.owner.clone(),
            path: input.path.clone(),
            system_path: input.system_path.clone(),
            metrics: Metrics {
                rows: input.shadow.len(),
                keys: shadow_keys.len(),
                in_system,
                shadow_only: shadow_keys.len() - in_system,
                divergent: divergent_keys.len(),
                changed,
                window_system: window_system.len(),
                window_keys,
                rate,
            },
            open_errors: input.open_errors,
            sheet_fingerprint: sheet_fingerprint(&input.shadow),
        },
        fingerprints,
        divergent_keys,
    }
}

/// The sheet's rows as (key, fingerprint) → count.
pub(crate) fn row_fingerprints(records: &[KeyedRecord]) -> RowFingerprints {
    let mut out = RowFingerprints::new();
    for r in records {
        *out.entry((r.key.clone(), r.fingerprint.clone()))
            .or_insert(0) += 1;
    }
    out
}

/// Rows of `now` that are not in `before` (added or changed), and rows of
/// `before` that are not in `now` (removed or changed).
pub(crate) fn row_changes(before: &RowFingerprints, now: &RowFingerprints) -> (usize, usize) {
    let missing = |a: &RowFingerprints, b: &RowFingerprints| -> usize {
        a.iter()
            .map(|(k, n)| n.saturating_sub(b.get(k).copied().unwrap_or(0)))
            .sum()
    };
    (missing(now, before), missing(before, now))
}

/// The rows of `records` that `before` does not hold (added or edited), in
/// row order.
pub(crate) fn new_rows(before: &RowFingerprints, records: &[KeyedRecord]) -> Vec<u32> {
    let mut left = before.clone();
    let mut rows: Vec<u32> = records
        .iter()
        .filter(
            |r| match left.get_mut(&(r.key.clone(), r.fingerprint.clone())) {
                Some(n) if *n > 0 => {
                    *n -= 1;
                    false
                }
                _ => true,
            },
        )
        .map(|r| r.row)
        .collect();
    rows.sort_unstable();
    rows
}

/// The rate's window: after `as_of - days`, up to and including `as_of`. An
/// undated record counts as current.
fn window(as_of: NaiveDate, days: i64) -> impl Fn(Option<NaiveDate>) -> bool {
    let start = as_of.checked_sub_signed(Duration::days(days.max(0)));
    move |date| match date {
        None => true,
        Some(d) => d <= as_of && start.is_none_or(|s| d > s),
    }
}

fn dated_keys<'a>(
    records: &'a [KeyedRecord],
    in_window: &impl Fn(Option<NaiveDate>) -> bool,
) -> BTreeSet<&'a str> {
    records
        .iter()
        .filter(|r| in_window(r.date))
        .map(|r| r.key.as_str())
        .collect()
}

type FieldValues<'a> = BTreeMap<&'a str, BTreeSet<&'a str>>;

/// Each key's values per field, over all its records (a duplicated key
/// contributes every value it has).
fn values_by_key(records: &[KeyedRecord]) -> BTreeMap<&str, FieldValues<'_>> {
    let mut out: BTreeMap<&str, FieldValues<'_>> = BTreeMap::new();
    for r in records {
        let fields = out.entry(r.key.as_str()).or_default();
        for (field, value) in &r.values {
            fields
                .entry(field.as_str())
                .or_default()
                .insert(value.trim());
        }
    }
    out
}

/// Keys in both whose values differ on a field both sides have.
fn divergence(shadow: &[KeyedRecord], system: &[KeyedRecord]) -> Vec<DivergentKey> {
    let system = values_by_key(system);
    values_by_key(shadow)
        .into_iter()
        .filter_map(|(key, fields)| {
            let other = system.get(key)?;
            let differ: Vec<String> = fields
                .iter()
                .filter(|(f, v)| other.get(*f).is_some_and(|o| o != *v))
                .map(|(f, _)| (*f).to_string())
                .collect();
            (!differ.is_empty()).then(|| DivergentKey {
                key: key.to_string(),
                fields: differ,
            })
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::adoption::row_fingerprint;

    fn date(s: &str) -> NaiveDate {
        NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap()
    }

    fn rec(key: &str, day: Option<&str>, values: &[(&str, &str)]) -> KeyedRecord {
        let values: BTreeMap<String, String> = values
            .iter()
            .map(|(f, v)| (f.to_string(), v.to_string()))
            .collect();
        let mut cells = vec![key.to_string(), day.unwrap_or("").to_string()];
        cells.extend(values.values().cloned());
        KeyedRecord {
            key: key.into(),
            date: day.map(date),
            fingerprint: row_fingerprint(&cells),
            values,
            row: 2,
        }
    }

    fn input(shadow: Vec<KeyedRecord>, system: Vec<KeyedRecord>) -> ShadowInput {
        ShadowInput {
            name: "orders-tracker".into(),
            entity: "orders".into(),
            owner: Some("ops".into()),
            path: "shadow/orders.xlsx".into(),
            system_path: "exports/orders.csv".into(),
            shadow,
            system,
            open_errors: 0,
        }
    }

    #[test]
    fn window_excludes_as_of_minus_30_and_includes_as_of() {
        let as_of = date("2026-10-31");
        let system = vec![
            rec("S-OUT", Some("2026-10-01"), &[]),    // as_of − 30: outside
            rec("S-FIRST", Some("2026-10-02"), &[]),  // as_of − 29: inside
            rec("S-LAST", Some("2026-10-31"), &[]),   // as_of: inside
            rec("S-FUTURE", Some("2026-11-01"), &[]), // after as_of: outside
        ];
        let shadow = vec![
            rec("X-OUT", Some("2026-10-01"), &[]),
            rec("X-IN", Some("2026-10-31"), &[]),
        ];
        let m = measure(&input(shadow, system), None, as_of, 30)
            .snapshot
            .metrics;
        // in window: system {S-FIRST, S-LAST}, shadow {X-IN}: 2 / 3
        assert_eq!((m.window_system, m.window_keys), (2, 3));
        assert_eq!(m.rate, 2.0 / 3.0);
    }

    #[test]
    fn empty_window_rates_one() {
        let as_of = date("2026-10-31");
        let shadow = vec![rec("X-1", Some("2025-01-01"), &[])];
        let m = measure(&input(shadow, vec![]), None, as_of, 30)
            .snapshot
            .metrics;
        assert_eq!((m.window_system, m.window_keys, m.rate), (0, 0, 1.0));
        assert_eq!((m.keys, m.in_system, m.shadow_only), (1, 0, 1));
    }

    #[test]
    fn each_side_uses_its_own_date() {
        let as_of = date("2026-10-31");
        // SO-1 is in both, but the system dated it outside the window: inside
        // the window it is a shadow key only.
        let shadow = vec![rec("SO-1", Some("2026-10-20"), &[])];
        let system = vec![
            rec("SO-1", Some("2026-09-01"), &[]),
            rec("SO-2", Some("2026-10-20"), &[]),
        ];
        let m = measure(&input(shadow, system), None, as_of, 30)
            .snapshot
            .metrics;
        // system in window {SO-2}; union {SO-1, SO-2}: 1 / 2
        assert_eq!((m.window_system, m.window_keys, m.rate), (1, 2, 0.5));
        assert_eq!((m.in_system, m.shadow_only), (1, 0));
    }

    #[test]
    fn undated_records_count_as_current() {
        let as_of = date("2026-10-31");
        let shadow = vec![rec("SKU-1", None, &[]), rec("SKU-2", None, &[])];
        let system = vec![rec("SKU-1", None, &[])];
        let m = measure(&input(shadow, system), None, as_of, 30)
            .snapshot
            .metrics;
        assert_eq!((m.window_system, m.window_keys, m.rate), (1, 2, 0.5));
    }

    #[test]
    fn counts_rows_keys_and_divergence() {
        let as_of = date("2026-10-31");
        let shadow = vec![
            rec(
                "SO-1",
                Some("2026-10-20"),
                &[("status", "shipped"), ("total", "10.00")],
            ),
            rec(
                "SO-2",
                Some("2026-10-21"),
                &[("status", "paid"), ("owner", "ann")],
            ),
            rec(
                "SO-2",
                Some("2026-10-21"),
                &[("status", "paid"), ("owner", "ann ")],
            ),
            rec("SO-3", Some("2026-10-22"), &[("status", "placed")]),
        ];
        let system = vec![
            rec(
                "SO-1",
                Some("2026-10-20"),
                &[("status", "paid"), ("total", "12.00")],
            ),
            // owner is not a field of the system: not compared; trimmed values equal
            rec("SO-2", Some("2026-10-21"), &[("status", " paid ")]),
            rec("SO-4", Some("2026-10-23"), &[("status", "placed")]),
        ];
        let m = measure(&input(shadow, system), None, as_of, 30);
        let x = &m.snapshot.metrics;
        assert_eq!((x.rows, x.keys, x.in_system, x.shadow_only), (4, 3, 2, 1));
        assert_eq!(x.divergent, 1);
        assert_eq!(
            m.divergent_keys,
            vec![DivergentKey {
                key: "SO-1".into(),
                fields: vec!["status".into(), "total".into()]
            }]
        );
        // first snapshot: every row changed
        assert_eq!(x.changed, 4);
        // window: system {SO-1, SO-2, SO-4}, union adds SO-3: 3 / 4
        assert_eq!((x.window_system, x.window_keys, x.rate), (3, 4, 0.75));
    }

    #[test]
    fn changed_counts_new_and_edited_rows_not_removed_ones() {
        let as_of = date("2026-10-31");
        let before = vec![
            rec("SO-1", Some("2026-10-20"), &[("status", "paid")]),
            rec("SO-2", Some("2026-10-20"), &[("status", "paid")]),
            rec("SO-3", Some("2026-10-20"), &[("status", "paid")]),
        ];
        let previous = row_fingerprints(&before);
        let now = vec![
            rec("SO-1", Some("2026-10-20"), &[("status", "paid")]), // same
            rec("SO-2", Some("2026-10-20"), &[("status", "shipped")]), // edited
            rec("SO-4", Some("2026-10-25"), &[("status", "placed")]), // new
            rec("SO-4", Some("2026-10-25"), &[("status", "placed")]), // same row twice
                                                                    // SO-3 removed: not a changed row
        ];
        let m = measure(&input(now.clone(), vec![]), Some(&previous), as_of, 30);
        assert_eq!(m.snapshot.metrics.changed, 3);
        assert_eq!(row_changes(&previous, &row_fingerprints(&now)), (3, 2));
        let rows: Vec<KeyedRecord> = now
            .into_iter()
            .zip([2, 3, 4, 5])
            .map(|(r, row)| KeyedRecord { row, ..r })
            .collect();
        assert_eq!(new_rows(&previous, &rows), [3, 4, 5]);
        assert_eq!(m.fingerprints.values().sum::<usize>(), 4);
    }

    #[test]
    fn sheet_fingerprint_is_recorded() {
        let shadow = vec![rec("SO-1", Some("2026-10-20"), &[])];
        let m = measure(&input(shadow.clone(), vec![]), None, date("2026-10-31"), 30);
        assert_eq!(m.snapshot.sheet_fingerprint, sheet_fingerprint(&shadow));
    }
}
