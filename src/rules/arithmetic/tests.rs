use rust_decimal::Decimal;

use crate::findings::Finding;
use crate::model::Entity;
use crate::model::canonical::{Canonical, Reject};
use crate::rules::testkit::*;
use crate::rules::{Context, Rule, sort};
use crate::settings::Settings;

use super::{LINE_TOTAL, ORDER_TOTAL, lines_maybe_off};

fn run_with(rule: &Rule, c: &Canonical, s: &Settings) -> Vec<Finding> {
    let ctx = Context::new(c, s);
    let mut found = (rule.check)(&ctx).expect("check runs");
    sort(&mut found);
    found
}

fn run(rule: &Rule, c: &Canonical) -> Vec<Finding> {
    run_with(rule, c, &settings("2026-11-27"))
}

const LINE_COLUMNS: &[(&str, &str)] = &[
    ("order_id", "A"),
    ("line_no", "B"),
    ("quantity", "D"),
    ("unit_price", "E"),
    ("discount", "F"),
    ("line_total", "G"),
];

fn lines_source(id: u32, file: &str) -> crate::model::canonical::SourceInfo {
    source(id, Entity::OrderLines, file, Some("Orders"), LINE_COLUMNS)
}

#[test]
fn line_totals_off_by_more_than_the_tolerance_are_flagged() {
    let n = 10;
    let lines = table(
        Entity::OrderLines,
        vec![
            u32s("_source", &vec![0; n]),
            u32s("_row", &(2..12).collect::<Vec<u32>>()),
            strs(
                "order_id",
                &[
                    "SO-1", "SO-1", "SO-2", "SO-2", "SO-3", "SO-3", "SO-3", "SO-4", "SO-4", "SO-5",
                ]
                .map(Some),
            ),
            ints("line_no", &[1, 2, 1, 2, 1, 2, 3, 1, 2, 1].map(Some)),
            ints(
                "quantity",
                &[
                    Some(2),
                    Some(3),
                    Some(2),
                    Some(2),
                    Some(1000),
                    None,
                    Some(2),
                    Some(2),
                    Some(-1),
                    Some(2),
                ],
            ),
            decs(
                "unit_price",
                &[
                    "149.50",
                    "10.00",
                    "149.50",
                    "149.50",
                    "0.00125",
                    "1",
                    "1",
                    "5",
                    "5",
                    "9000000000000",
                ]
                .map(Some),
            ),
            decs(
                "discount",
                &[
                    None,
                    Some("5.00"),
                    None,
                    None,
                    None,
                    None,
                    None,
                    None,
                    None,
                    None,
                ],
            ),
            decs(
                "line_total",
                &[
                    Some("259.00"),
                    Some("30.00"),
                    Some("299.01"),
                    Some("299.011"),
                    Some("1.25"),
                    Some("5"),
                    None,
                    Some("99"),
                    Some("5"),
                    Some("1"),
                ],
            ),
        ],
    );
    let mut c = canonical(
        vec![lines_source(0, "Tracker.xlsx")],
        vec![(Entity::OrderLines, lines)],
    );
    c.tainted.insert((0, 9)); // SO-4/1: a cell of the row was unreadable
    let found = run(&LINE_TOTAL, &c);
    assert_eq!(
        cells(&found),
        [
            ("Tracker.xlsx Orders!G2".to_string(), "arithmetic_mismatch"),
            ("Tracker.xlsx Orders!G3".to_string(), "arithmetic_mismatch"),
            ("Tracker.xlsx Orders!G5".to_string(), "arithmetic_mismatch"),
        ]
    );
    assert_eq!(
        found[0].message,
        "line total 259.00 is not quantity × unit price = 2 × 149.50 = 299.00."
    );
    assert_eq!(
        found[1].message,
        "line total 30.00 is not quantity × unit price − discount = 3 × 10.00 − 5.00 = 25.00."
    );
    assert_eq!(found[2].value.as_deref(), Some("299.011"));
    assert_eq!(found[2].expected.as_deref(), Some("299.00"));
    assert_eq!(found[0].key.as_deref(), Some("SO-1/1"));
}

#[test]
fn line_totals_are_compared_exactly_not_through_floats() {
    let found = exact_line_totals(table(
        Entity::OrderLines,
        vec![
            u32s("_source", &[0, 0]),
            u32s("_row", &[2, 3]),
            strs("order_id", &["SO-1", "SO-1"].map(Some)),
            ints("line_no", &[1, 2].map(Some)),
            ints("quantity", &[3, 3].map(Some)),
            decs("unit_price", &["0.1", "0.1"].map(Some)),
            decs("line_total", &["0.30", "0.300001"].map(Some)),
        ],
    ));
    assert_eq!(
        cells(&found),
        [("Tracker.xlsx Orders!G3".to_string(), "arithmetic_mismatch")]
    );
    assert_eq!(found[0].expected.as_deref(), Some("0.30"));
}

#[test]
fn amounts_too_large_for_floats_are_checked_exactly_and_absurd_ones_skipped() {
    // 2 × 10^9 units to a millionth is beyond the floats' exact range, and
    // checked exactly. 9 × 10^12 units (near the largest amount the tables
    // hold) is beyond a trillion: skipped, as no real order line holds it.
    let found = exact_line_totals(table(
        Entity::OrderLines,
        vec![
            u32s("_source", &[0, 0, 0]),
            u32s("_row", &[2, 3, 4]),
            strs("order_id", &["SO-1", "SO-1", "SO-1"].map(Some)),
            ints("line_no", &[1, 2, 3].map(Some)),
            ints("quantity", &[1, 1, 1].map(Some)),
            decs(
                "unit_price",
                &["2000000000.000001", "2000000000.000001", "9000000000000"].map(Some),
            ),
            decs(
                "line_total",
                &["2000000000.000002", "2000000000.000001", "1"].map(Some),
            ),
        ],
    ));
    assert_eq!(
        cells(&found),
        [("Tracker.xlsx Orders!G2".to_string(), "arithmetic_mismatch")]
    );
    assert_eq!(found[0].expected.as_deref(), Some("2000000000.000001"));
}

/// The line-total rule over `lines` of Tracker.xlsx, with no tolerance.
fn exact_line_totals(lines: polars::prelude::DataFrame) -> Vec<Finding> {
    let c = canonical(
        vec![lines_source(0, "Tracker.xlsx")],
        vec![(Entity::OrderLines, lines)],
    );
    let mut s = settings("2026-11-27");
    s.amount_tolerance = Decimal::ZERO;
    run_with(&LINE_TOTAL, &c, &s)
}

/// A tracker sheet (orders and lines from one region) plus a lines file of
/// its own region.
fn tracker() -> Canonical {
    let orders_src = source(
        0,
        Entity::Orders,
        "Tracker.xlsx",
        Some("Orders"),
        &[
            ("order_id", "A"),
            ("tax", "H"),
            ("shipping", "I"),
            ("total", "J"),
        ],
    );
    let mut lines_src = lines_source(1, "Tracker.xlsx");
    lines_src.region = 0;
    let other_lines = lines_source(2, "lines.xlsx");
    let other_orders = source(
        3,
        Entity::Orders,
        "orders.csv",
        None,
        &[("order_id", "A"), ("total", "B")],
    );
    let ids = [
        "SO-1", "SO-1", "SO-2", "SO-2", "SO-3", "SO-4", "SO-5", "SO-6", "SO-7", "SO-8", "SO-9",
    ];
    let tax = [
        Some("10"),
        Some("10"),
        Some("10"),
        Some("10"),
        None,
        None,
        None,
        None,
        None,
        None,
        None,
    ];
    let orders = table(
        Entity::Orders,
        vec![
            u32s("_source", &[0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 3]),
            u32s("_row", &[2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 2]),
            strs(
                "order_id",
                &[ids.map(Some).as_slice(), &[Some("SO-2")]].concat(),
            ),
            decs("tax", &[tax.as_slice(), &[None]].concat()),
            decs(
                "shipping",
                &[tax.map(|t| t.map(|_| "5")).as_slice(), &[None]].concat(),
            ),
            decs(
                "total",
                &["115.00", "115.00", "120.00", "120.00", "19.00", "19.01"]
                    .map(Some)
                    .into_iter()
                    .chain([
                        None,
                        Some("50"),
                        Some("50"),
                        Some("50"),
                        Some("50.00"),
                        Some("999"),
                    ])
                    .collect::<Vec<_>>(),
            ),
        ],
    );
    let lines = table(
        Entity::OrderLines,
        vec![
            u32s("_source", &[1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 2]),
            u32s("_row", &[2, 3, 4, 5, 6, 7, 8, 9, 10, 12, 2]),
            strs(
                "order_id",
                &[
                    "SO-1", "SO-1", "SO-2", "SO-2", "SO-3", "SO-4", "SO-5", "SO-6", "SO-7", "SO-9",
                    "SO-8",
                ]
                .map(Some),
            ),
            ints("line_no", &[1, 2, 1, 2, 1, 1, 1, 1, 1, 1, 1].map(Some)),
            ints("quantity", &[1, 1, 1, 1, 2, 1, 1, 1, 1, 1, 1].map(Some)),
            decs(
                "unit_price",
                &[
                    "60", "40", "60", "40", "10", "19", "5", "10", "10", "10", "50",
                ]
                .map(Some),
            ),
            decs(
                "discount",
                &[
                    None,
                    None,
                    None,
                    None,
                    Some("1"),
                    None,
                    None,
                    None,
                    None,
                    None,
                    None,
                ],
            ),
            decs(
                "line_total",
                &[
                    Some("60"),
                    Some("40"),
                    Some("60"),
                    Some("40"),
                    None,
                    Some("19"),
                    Some("5"),
                    Some("10"),
                    Some("10"),
                    Some("10"),
                    Some("50"),
                ],
            ),
        ],
    );
    let mut c = canonical(
        vec![orders_src, lines_src, other_lines, other_orders],
        vec![(Entity::Orders, orders), (Entity::OrderLines, lines)],
    );
    c.tainted.insert((0, 9)); // SO-6: its line's row had a cell finding
    c.rejects.push(Reject {
        source: 1,
        row: 11,
        key: Some("SO-7/2".into()),
        identifiers: vec![("order_id", "SO-7".into())],
        reasons: Vec::new(),
    });
    c
}

#[test]
fn order_totals_are_checked_against_their_lines_in_the_same_region() {
    let found = run(&ORDER_TOTAL, &tracker());
    assert_eq!(
        cells(&found),
        [
            ("Tracker.xlsx Orders!J4".to_string(), "arithmetic_mismatch"),
            ("Tracker.xlsx Orders!J12".to_string(), "arithmetic_mismatch"),
        ]
    );
    assert_eq!(
        found[0].message,
        "order total 120.00 is not the sum of its 2 lines 100.00 + tax 10.00 + shipping 5.00 = 115.00."
    );
    assert_eq!(found[0].key.as_deref(), Some("SO-2"));
    assert_eq!(found[0].value.as_deref(), Some("120.00"));
    assert_eq!(found[0].expected.as_deref(), Some("115.00"));
    assert_eq!(
        found[1].message,
        "order total 50.00 is not the sum of its 1 line 10.00 = 10.00."
    );
}

#[test]
fn orders_without_lines_in_their_region_are_not_checked() {
    let mut c = tracker();
    c.sources.retain(|s| s.id != 1);
    c.sources.push(lines_source(1, "elsewhere.xlsx"));
    c.sources.sort_by_key(|s| s.id);
    assert!(run(&ORDER_TOTAL, &c).is_empty());
}

/// Lines of the one-pass tests that are off: the first, either side of the
/// first boundary between pieces, and the last of 70,000.
const OFF_AT: [usize; 4] = [0, 65_535, 65_536, 69_999];

/// 70,000 line totals: `right`, but `off` at the rows `at`.
fn totals_off_at(
    at: &[usize],
    right: &'static str,
    off: &'static str,
) -> Vec<Option<&'static str>> {
    (0..70_000)
        .map(|i| Some(if at.contains(&i) { off } else { right }))
        .collect()
}

#[test]
fn lines_off_are_found_at_their_position_on_both_sides_of_a_piece_boundary() {
    // 70,000 lines of 2 × 1.50 = 3.00; four are off, two of them either side
    // of the first boundary between the pieces checked side by side.
    let totals = totals_off_at(&OFF_AT, "3.00", "3.02");
    let n = totals.len();
    let lines = amounts(&vec![Some(2); n], &vec![Some("1.50"); n], &totals);
    let found = lines_maybe_off(&lines, 10_000).expect("pass runs");
    assert_eq!(found, OFF_AT.map(|i| i as polars::prelude::IdxSize));
    // Within the tolerance of 0.02, none is off.
    assert!(
        lines_maybe_off(&lines, 20_000)
            .expect("pass runs")
            .is_empty()
    );
}

#[test]
fn lines_off_are_found_the_same_with_or_without_an_empty_cell() {
    // With a discount in every line, no column has a null: the values are
    // read from their slices. An empty discount reads as none.
    let totals = totals_off_at(&OFF_AT, "2.90", "2.92");
    let n = totals.len();
    let quantity = vec![Some(2); n];
    let price = vec![Some("1.50"); n];
    let full = with_discount(&quantity, &price, &vec![Some("0.10"); n], &totals);
    let expected = OFF_AT.map(|i| i as polars::prelude::IdxSize);
    assert_eq!(lines_maybe_off(&full, 10_000).expect("pass runs"), expected);
    let mut discounts = vec![Some("0.10"); n];
    discounts[7] = None;
    let gap = with_discount(&quantity, &price, &discounts, &totals);
    // Line 7 without its discount totals 3.00, not 2.90: off too.
    let mut with_7 = expected.to_vec();
    with_7.insert(1, 7);
    assert_eq!(lines_maybe_off(&gap, 10_000).expect("pass runs"), with_7);
    // The largest values the tables hold, in full columns: skipped, no overflow.
    let big = with_discount(
        &[Some(i64::MAX), Some(2)],
        &[Some("9223372036854.775807"), Some("1.50")],
        &[Some("-9223372036854.775807"), Some("0")],
        &[Some("9223372036854.775807"), Some("3.10")],
    );
    assert_eq!(lines_maybe_off(&big, 10_000).expect("pass runs"), [1]);
}

#[test]
fn amounts_far_beyond_any_real_one_are_skipped_without_overflow() {
    // The largest quantity and price the tables hold: skipped as absurd, and
    // their product (near 128 bits' range) never overflows a debug build.
    let lines = amounts(
        &[Some(i64::MAX), Some(2)],
        &[Some("9223372036854.775807"), Some("1.50")],
        &[Some("1"), Some("3.10")],
    );
    assert_eq!(lines_maybe_off(&lines, 10_000).expect("pass runs"), [1]);
}

/// Order lines holding their amounts and a discount, for the one-pass check.
fn with_discount(
    quantity: &[Option<i64>],
    unit_price: &[Option<&str>],
    discount: &[Option<&str>],
    line_total: &[Option<&str>],
) -> polars::prelude::DataFrame {
    table(
        Entity::OrderLines,
        vec![
            ints("quantity", quantity),
            decs("unit_price", unit_price),
            decs("discount", discount),
            decs("line_total", line_total),
        ],
    )
}

/// Order lines holding only their amounts (no discount), for the one-pass check.
fn amounts(
    quantity: &[Option<i64>],
    unit_price: &[Option<&str>],
    line_total: &[Option<&str>],
) -> polars::prelude::DataFrame {
    with_discount(
        quantity,
        unit_price,
        &vec![None; quantity.len()],
        line_total,
    )
}
