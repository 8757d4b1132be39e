//! Six weeks of one shadow sheet, at library level: used heavily, then less, one
//! record diverges and is fixed, the sheet goes quiet, is decommissioned, and is
//! then touched again. Every rate is worked out by hand in the comments.
//!
//! The system export holds two orders a day from 2026-07-01 up to the as-of
//! date, so every 30-day window (as_of − 30, as_of] holds 30 × 2 = 60 system
//! keys. The shadow sheet holds:
//! - A: 20 shadow-only orders dated 2026-08-10 (heavy use);
//! - B: 6 shadow-only orders dated 2026-08-25;
//! - copies of the 10 system orders of 2026-09-01..05 (in both);
//! - from week 2, a copy of SO-0910-1 (in both);
//! - from week 3, its copy of SO-0902-1 says "shipped" where the system says
//!   "paid" (divergent) until the system is corrected in week 5;
//! - from week 4, C: one shadow-only order dated 2026-09-25 (its last change).

use chrono::{Duration, NaiveDate};

use super::testkit::{date, input, ledger, rec};
use super::*;
use crate::ledger::Metrics;

const NAME: &str = "orders-tracker";

fn as_of(week: u32) -> NaiveDate {
    // week 1 = 2026-09-07, one week apart
    date("2026-09-07") + Duration::weeks(i64::from(week) - 1)
}

fn system_order(day: NaiveDate, n: u32, status: &str) -> KeyedRecord {
    let key = format!("SO-{}-{n}", day.format("%m%d"));
    rec(
        &key,
        &day.to_string(),
        &[("status", status), ("total", "10.00")],
    )
}

fn week(n: u32) -> ShadowInput {
    let today = as_of(n);
    let fixed = n >= 5;
    let mut system = Vec::new();
    let mut day = date("2026-07-01");
    while day <= today {
        for i in 1..=2 {
            let corrected = fixed && day == date("2026-09-02") && i == 1;
            system.push(system_order(
                day,
                i,
                if corrected { "shipped" } else { "paid" },
            ));
        }
        day += Duration::days(1);
    }
    let mut shadow = Vec::new();
    for i in 1..=20 {
        shadow.push(rec(
            &format!("X-A{i:02}"),
            "2026-08-10",
            &[("status", "placed")],
        ));
    }
    for i in 1..=6 {
        shadow.push(rec(
            &format!("X-B{i}"),
            "2026-08-25",
            &[("status", "placed")],
        ));
    }
    for d in 1..=5 {
        let day = date(&format!("2026-09-0{d}"));
        for i in 1..=2 {
            let edited = n >= 3 && d == 2 && i == 1;
            shadow.push(system_order(
                day,
                i,
                if edited { "shipped" } else { "paid" },
            ));
        }
    }
    if n >= 2 {
        shadow.push(system_order(date("2026-09-10"), 1, "paid"));
    }
    if n >= 4 {
        shadow.push(rec("X-C1", "2026-09-25", &[("status", "placed")]));
    }
    if n >= 7 {
        shadow.push(rec("X-D1", "2026-10-15", &[("status", "placed")]));
    }
    for (i, r) in shadow.iter_mut().enumerate() {
        r.row = i as u32 + 2;
    }
    input(NAME, shadow, system)
}

#[allow(clippy::too_many_arguments)]
fn metrics(
    rows: usize,
    in_system: usize,
    shadow_only: usize,
    divergent: usize,
    changed: usize,
    window_system: usize,
    window_keys: usize,
) -> Metrics {
    Metrics {
        rows,
        keys: rows,
        in_system,
        shadow_only,
        divergent,
        changed,
        window_system,
        window_keys,
        rate: window_system as f64 / window_keys as f64,
    }
}

fn unmet(e: &Evaluation) -> Vec<(&'static str, &str)> {
    e.unmet()
        .map(|r| (r.criterion.name(), r.detail.as_str()))
        .collect()
}

#[test]
fn six_weeks_from_heavy_use_to_decommission_and_back() {
    let (_dir, mut ledger) = ledger();
    let cfg = AdoptionConfig::default();
    let expected = [
        // W1 2026-09-07, window (08-08, 09-07]: shadow-only A 20 + B 6 = 26;
        // rate 60 / (60 + 26) = 60/86 ≈ 0.6977. First snapshot: all 36 rows changed.
        metrics(36, 10, 26, 0, 36, 60, 86),
        // W2 2026-09-14, window (08-15, 09-14]: A (08-10) has left, B 6 remains;
        // rate 60 / 66 ≈ 0.9091. One row added (the copy of SO-0910-1).
        metrics(37, 11, 26, 0, 1, 60, 66),
        // W3 2026-09-21, window (08-22, 09-21]: B (08-25) still in; 60 / 66.
        // SO-0902-1 edited in the shadow: 1 changed, 1 divergent.
        metrics(37, 11, 26, 1, 1, 60, 66),
        // W4 2026-09-28, window (08-29, 09-28]: B has left, C (09-25) is in;
        // 60 / 61 ≈ 0.9836. C added: 1 changed; still 1 divergent.
        metrics(38, 11, 27, 1, 1, 60, 61),
        // W5 2026-10-05, window (09-05, 10-05]: C in; 60 / 61. The system was
        // corrected: 0 divergent. Nothing changed in the shadow.
        metrics(38, 11, 27, 0, 0, 60, 61),
        // W6 2026-10-12, window (09-12, 10-12]: C in; 60 / 61. Quiet.
        metrics(38, 11, 27, 0, 0, 60, 61),
    ];
    for (i, want) in expected.iter().enumerate() {
        let n = i as u32 + 1;
        let summary = record(&mut ledger, &[week(n)], as_of(n), &cfg).unwrap();
        assert_eq!(summary.shadows.len(), 1);
        assert_eq!(&summary.shadows[0].metrics, want, "week {n}");
        assert_eq!(summary.shadows[0].resurrected, None);

        if n == 4 {
            // Week 4: refused, with the three criteria that do not hold yet.
            let outcome =
                decommission(&mut ledger, &week(4), "dana", None, as_of(4), &cfg).unwrap();
            let DecommissionOutcome::Refused(e) = outcome else {
                panic!("week 4 must be refused: {outcome:?}");
            };
            assert_eq!(
                unmet(&e),
                [
                    (
                        "rate_streak",
                        "rate 0.909 on 2026-09-21 is below 0.98; rate 0.909 on 2026-09-14 is below 0.98"
                    ),
                    ("no_divergence", "1 divergent key on 2026-09-28"),
                    (
                        "quiet",
                        "last change on 2026-09-28, 0 days before 2026-09-28; 14 days needed"
                    ),
                ]
            );
            assert!(e.criteria.no_open_errors);
            let st = status(&ledger, as_of(4), &cfg).unwrap();
            insta::with_settings!({ prepend_module_to_snapshot => false }, {
                insta::assert_snapshot!("status_week4_text", render_status_text(&st));
            });
        }
    }
    let rates: Vec<f64> = ledger
        .history(NAME, as_of(6))
        .unwrap()
        .iter()
        .map(|s| s.shadow.metrics.rate)
        .collect();
    assert_eq!(
        rates,
        [
            60.0 / 86.0,
            60.0 / 66.0,
            60.0 / 66.0,
            60.0 / 61.0,
            60.0 / 61.0,
            60.0 / 61.0
        ]
    );

    // Week 6 status: every criterion holds (streak W4–W6 at 60/61 ≥ 0.98, no
    // divergence, last change W4 = 14 days before, no open errors).
    let st = status(&ledger, as_of(6), &cfg).unwrap();
    insta::with_settings!({ prepend_module_to_snapshot => false }, {
        insta::assert_json_snapshot!("status_week6", status_document(&st));
        insta::assert_snapshot!("status_week6_text", render_status_text(&st));
    });

    // A sheet edited after the week-6 snapshot is not quiet: refused.
    let mut edited = week(6);
    edited.shadow[0].fingerprint = row_fingerprint(["edited"]);
    let outcome = decommission(&mut ledger, &edited, "dana", None, as_of(6), &cfg).unwrap();
    let DecommissionOutcome::Refused(e) = outcome else {
        panic!("an unrecorded change must be refused: {outcome:?}");
    };
    assert_eq!(
        unmet(&e),
        [(
            "quiet",
            "the sheet changed after the last snapshot (2026-10-12); run `offsheet adoption record` first"
        )]
    );

    // Week 6: accepted.
    let why = Some("orders are taken in the OMS since September");
    let outcome = decommission(&mut ledger, &week(6), "dana", why, as_of(6), &cfg).unwrap();
    let DecommissionOutcome::Decided(d) = outcome else {
        panic!("week 6 must be accepted: {outcome:?}");
    };
    assert_eq!(
        (
            d.shadow.as_str(),
            d.decided_at,
            d.decided_by.as_str(),
            d.reason.as_str()
        ),
        (
            NAME,
            as_of(6),
            "dana",
            "orders are taken in the OMS since September"
        )
    );
    assert_eq!(d.sheet_fingerprint, sheet_fingerprint(&week(6).shadow));
    assert_eq!(
        decommission(&mut ledger, &week(6), "eve", None, as_of(6), &cfg).unwrap(),
        DecommissionOutcome::AlreadyDecommissioned(d.clone())
    );
    assert_eq!(
        resurrected(&ledger, NAME, &week(6).shadow, as_of(6)).unwrap(),
        None
    );
    let passing = check(
        &status(&ledger, as_of(6), &cfg).unwrap(),
        &CheckOptions {
            min_rate: 0.98,
            max_drop: None,
        },
    );
    assert!(passing.passed);

    // Week 7: someone adds an order to the retired sheet.
    let summary = record(&mut ledger, &[week(7)], as_of(7), &cfg).unwrap();
    let want = Resurrection {
        name: NAME.into(),
        decided_at: as_of(6),
        decided_by: "dana".into(),
        seen_at: as_of(7),
        decided_fingerprint: d.sheet_fingerprint.clone(),
        current_fingerprint: sheet_fingerprint(&week(7).shadow),
        rows_changed: 1,
        rows_removed: 0,
        // X-D1, the 39th record, below a header row
        changed_rows: vec![40],
    };
    assert_eq!(summary.shadows[0].resurrected, Some(want.clone()));
    // W7 2026-10-19, window (09-19, 10-19]: C (09-25) and D (10-15): 60 / 62.
    assert_eq!(
        summary.shadows[0].metrics,
        metrics(39, 11, 28, 0, 1, 60, 62)
    );
    assert_eq!(
        resurrected(&ledger, NAME, &week(7).shadow, as_of(7)).unwrap(),
        Some(want.clone())
    );
    assert_eq!(
        resurrected_in_ledger(&ledger, NAME, as_of(7)).unwrap(),
        // from the ledger alone the rows are not known
        Some(Resurrection {
            changed_rows: vec![],
            ..want
        })
    );
    let events: Vec<(String, String)> = ledger
        .events()
        .unwrap()
        .into_iter()
        .filter(|e| e.kind == "resurrected")
        .map(|e| (e.kind, e.detail))
        .collect();
    assert_eq!(
        events,
        [(
            "resurrected".to_string(),
            "changed after it was decommissioned on 2026-10-12 by dana: 1 row added or changed, 0 removed"
                .to_string()
        )]
    );
    let st = status(&ledger, as_of(7), &cfg).unwrap();
    insta::with_settings!({ prepend_module_to_snapshot => false }, {
        insta::assert_snapshot!("status_week7_text", render_status_text(&st));
    });
    let failing = check(
        &st,
        &CheckOptions {
            min_rate: 0.98,
            max_drop: None,
        },
    );
    assert!(!failing.passed);
    assert_eq!(
        failing.shadows[0].reasons,
        [
            "resurrected: changed after it was decommissioned on 2026-10-12 by dana: 1 row added or changed, 0 removed (seen 2026-10-19)"
        ]
    );
}
