use crate::findings::Finding;
use crate::model::Entity;
use crate::model::canonical::{Canonical, SourceInfo};
use crate::rules::testkit::*;
use crate::rules::{Context, sort};
use polars::prelude::{AnyValue, Column, DataType, Scalar};

use super::DUPLICATE_KEY;

fn run(c: &Canonical) -> Vec<Finding> {
    let s = settings("2026-11-27");
    let ctx = Context::new(c, &s);
    let mut found = (DUPLICATE_KEY.check)(&ctx).expect("check runs");
    sort(&mut found);
    found
}

fn related(f: &Finding) -> Vec<String> {
    f.related.iter().filter_map(|l| l.cell.clone()).collect()
}

fn orders_csv(file: &str, id: u32) -> SourceInfo {
    let columns = &[("order_id", "A"), ("status", "B"), ("total", "C")];
    source(id, Entity::Orders, file, None, columns)
}

/// Rows 2, 3, ... of a frame of `n` rows.
fn rows(n: u32) -> Vec<u32> {
    (2..2 + n).collect()
}

#[test]
fn later_order_rows_are_flagged_saying_whether_content_differs() {
    let src = orders_csv("orders.csv", 0);
    let orders = table(
        Entity::Orders,
        vec![
            u32s("_source", &[0; 4]),
            u32s("_row", &rows(4)),
            strs("order_id", &["SO-1", "SO-2", "SO-1", "SO-1"].map(Some)),
            strs("status", &["placed", "paid", "paid", "placed"].map(Some)),
            decs("total", &["10.00", "5", "12.00", "10"].map(Some)),
        ],
    );
    let found = run(&canonical(vec![src], vec![(Entity::Orders, orders)]));
    assert_eq!(
        cells(&found),
        [
            ("orders.csv A4".to_string(), "duplicate_key"),
            ("orders.csv A5".to_string(), "duplicate_key"),
        ]
    );
    assert_eq!(
        found[0].message,
        "order SO-1 appears again: row 2 has the same key with a different status (placed there, paid here) and total (10.00 there, 12.00 here)."
    );
    assert_eq!(
        found[1].message,
        "order SO-1 is entered twice: this row repeats row 2 exactly."
    );
    assert_eq!(related(&found[0]), ["A2"]);
    assert_eq!(related(&found[1]), ["A2"]);
    assert_eq!(found[0].key.as_deref(), Some("SO-1"));
    assert_eq!(found[0].value.as_deref(), Some("SO-1"));
}

#[test]
fn null_keys_and_tainted_rows_are_not_duplicates() {
    // The source as a column per row, and as one value for the frame (as
    // the canonical tables hold a single source).
    null_keys_and_tainted_rows_with(u32s("_source", &[0; 7]));
    null_keys_and_tainted_rows_with(Column::new_scalar(
        "_source".into(),
        Scalar::new(DataType::UInt32, AnyValue::UInt32(0)),
        7,
    ));
}

fn null_keys_and_tainted_rows_with(source: Column) {
    let src = orders_csv("orders.csv", 0);
    let orders = table(
        Entity::Orders,
        vec![
            source,
            u32s("_row", &rows(7)),
            strs(
                "order_id",
                &[
                    None,
                    None,
                    Some("SO-1"),
                    Some("SO-1"),
                    Some("SO-2"),
                    Some("SO-2"),
                    Some("SO-2"),
                ],
            ),
        ],
    );
    let mut c = canonical(vec![src], vec![(Entity::Orders, orders)]);
    // Row 5 (second SO-1) and row 6 (first SO-2) had cell findings.
    c.tainted.insert((0, 5));
    c.tainted.insert((0, 6));
    let found = run(&c);
    assert_eq!(
        cells(&found),
        [("orders.csv A8".to_string(), "duplicate_key")]
    );
    assert_eq!(related(&found[0]), ["A7"]);
}

#[test]
fn a_tracker_region_repeats_order_ids_but_not_line_keys() {
    let mut tracker = source(
        0,
        Entity::Orders,
        "Tracker.xlsx",
        Some("Orders"),
        &[("order_id", "A")],
    );
    let mut lines = source(
        1,
        Entity::OrderLines,
        "Tracker.xlsx",
        Some("Orders"),
        &[
            ("order_id", "A"),
            ("line_no", "B"),
            ("sku", "C"),
            ("quantity", "D"),
        ],
    );
    tracker.region = 7;
    lines.region = 7;
    let plain = source(2, Entity::Orders, "orders.csv", None, &[("order_id", "A")]);
    let orders = table(
        Entity::Orders,
        vec![
            u32s("_source", &[0, 0, 0, 2, 2]),
            u32s("_row", &[2, 3, 4, 2, 3]),
            strs(
                "order_id",
                &["SO-1", "SO-1", "SO-2", "SO-9", "SO-9"].map(Some),
            ),
        ],
    );
    let order_lines = table(
        Entity::OrderLines,
        vec![
            u32s("_source", &[1, 1, 1]),
            u32s("_row", &[2, 3, 4]),
            strs("order_id", &["SO-1", "SO-1", "SO-2"].map(Some)),
            ints("line_no", &[Some(1), Some(1), Some(1)]),
            strs("sku", &["A", "B", "A"].map(Some)),
            ints("quantity", &[Some(1), Some(1), Some(1)]),
        ],
    );
    let c = canonical(
        vec![tracker, lines, plain],
        vec![(Entity::Orders, orders), (Entity::OrderLines, order_lines)],
    );
    let found = run(&c);
    assert_eq!(
        cells(&found),
        [
            ("Tracker.xlsx Orders!A3".to_string(), "duplicate_key"),
            ("orders.csv A3".to_string(), "duplicate_key"),
        ]
    );
    assert_eq!(
        found[0].message,
        "order line SO-1/1 appears again: row 2 has the same key with a different sku (A there, B here)."
    );
    assert_eq!(found[0].key.as_deref(), Some("SO-1/1"));
}

#[test]
fn the_same_key_in_two_sources_is_not_a_duplicate() {
    let (a, b) = (orders_csv("a.csv", 0), orders_csv("b.csv", 1));
    let orders = table(
        Entity::Orders,
        vec![
            u32s("_source", &[0, 1]),
            u32s("_row", &[2, 2]),
            strs("order_id", &["SO-1", "SO-1"].map(Some)),
        ],
    );
    assert!(run(&canonical(vec![a, b], vec![(Entity::Orders, orders)])).is_empty());
}

#[test]
fn derived_line_numbers_key_lines_on_sku_ignoring_case_and_spaces() {
    let mut src = source(
        0,
        Entity::OrderLines,
        "lines.csv",
        None,
        &[("order_id", "A"), ("sku", "B"), ("quantity", "C")],
    );
    src.derived_line_no = true;
    let lines = table(
        Entity::OrderLines,
        vec![
            u32s("_source", &[0; 5]),
            u32s("_row", &[2, 3, 4, 5, 6]),
            strs(
                "order_id",
                &["SO-1", "SO-1", "SO-1", "SO-2", "SO-1"].map(Some),
            ),
            ints("line_no", &[1, 2, 3, 1, 4].map(Some)),
            strs(
                "sku",
                &["TNT-2P", " tnt-2p ", "TNT-3P", "TNT-2P", "TNT-3P"].map(Some),
            ),
            ints("quantity", &[2, 2, 1, 2, 4].map(Some)),
            bools("_line_no_derived", &[Some(true); 5]),
        ],
    );
    let found = run(&canonical(vec![src], vec![(Entity::OrderLines, lines)]));
    assert_eq!(
        cells(&found),
        [
            ("lines.csv A3".to_string(), "duplicate_key"),
            ("lines.csv A6".to_string(), "duplicate_key"),
        ]
    );
    assert_eq!(
        found[0].message,
        "order line SO-1/tnt-2p is entered twice: this row repeats row 2 exactly."
    );
    assert_eq!(
        found[1].message,
        "order line SO-1/TNT-3P appears again: row 4 has the same key with a different quantity (1 there, 4 here)."
    );
}

#[test]
fn stock_records_key_on_sku_and_location_or_the_single_location() {
    let located = source(
        0,
        Entity::Inventory,
        "inventory.xlsx",
        Some("Stock"),
        &[("sku", "A"), ("location", "B"), ("on_hand", "C")],
    );
    let single = source(
        1,
        Entity::Inventory,
        "stock.csv",
        None,
        &[("sku", "A"), ("on_hand", "B")],
    );
    let inventory = table(
        Entity::Inventory,
        vec![
            u32s("_source", &[0, 0, 0, 1, 1, 1]),
            u32s("_row", &[2, 3, 4, 2, 3, 4]),
            strs(
                "sku",
                &["TNT-2P", "tnt-2p ", "TNT-2P", "A", "B", "a"].map(Some),
            ),
            strs(
                "location",
                &[Some("Main"), Some("MAIN"), Some("Back"), None, None, None],
            ),
            ints("on_hand", &[5, 5, 5, 1, 1, 2].map(Some)),
        ],
    );
    let found = run(&canonical(
        vec![located, single],
        vec![(Entity::Inventory, inventory)],
    ));
    assert_eq!(
        cells(&found),
        [
            ("inventory.xlsx Stock!A3".to_string(), "duplicate_key"),
            ("stock.csv A4".to_string(), "duplicate_key"),
        ]
    );
    assert_eq!(found[0].key.as_deref(), Some("tnt-2p @ MAIN"));
    assert_eq!(
        found[1].message,
        "stock record a appears again: row 2 has the same key with a different on_hand (1 there, 2 here)."
    );
}

#[test]
fn a_third_count_on_the_same_day_relates_to_the_first() {
    let src = source(
        0,
        Entity::StockCounts,
        "counts.csv",
        None,
        &[
            ("sku", "A"),
            ("location", "B"),
            ("counted_at", "C"),
            ("counted_qty", "D"),
        ],
    );
    let counts = table(
        Entity::StockCounts,
        vec![
            u32s("_source", &[0; 4]),
            u32s("_row", &[2, 3, 4, 5]),
            strs("sku", &[Some("TNT-2P"); 4]),
            strs("location", &[Some("MAIN"); 4]),
            dates(
                "counted_at",
                &["2026-11-20", "2026-11-21", "2026-11-20", "2026-11-20"].map(Some),
            ),
            ints("counted_qty", &[4, 4, 4, 5].map(Some)),
        ],
    );
    let found = run(&canonical(vec![src], vec![(Entity::StockCounts, counts)]));
    assert_eq!(
        cells(&found),
        [
            ("counts.csv A4".to_string(), "duplicate_key"),
            ("counts.csv A5".to_string(), "duplicate_key"),
        ]
    );
    assert_eq!(related(&found[0]), ["A2"]);
    assert_eq!(related(&found[1]), ["A2"]);
    assert_eq!(found[1].key.as_deref(), Some("TNT-2P @ MAIN on 2026-11-20"));
}

#[test]
fn shipments_need_a_shipment_id_column_and_invoices_key_on_invoice_id() {
    let derived = source(
        0,
        Entity::Shipments,
        "log.csv",
        None,
        &[("order_id", "A"), ("carrier", "B")],
    );
    let keyed = source(
        1,
        Entity::Shipments,
        "shipments.csv",
        None,
        &[("shipment_id", "A"), ("order_id", "B")],
    );
    let invoices_src = source(
        2,
        Entity::Invoices,
        "invoices.csv",
        None,
        &[("invoice_id", "A"), ("amount", "B")],
    );
    let shipments = table(
        Entity::Shipments,
        vec![
            u32s("_source", &[0, 0, 1, 1]),
            u32s("_row", &[2, 3, 2, 3]),
            strs(
                "shipment_id",
                &["SO-1-1", "SO-1-1", "SH-1", "SH-1"].map(Some),
            ),
            strs("order_id", &["SO-1", "SO-1", "SO-1", "SO-2"].map(Some)),
        ],
    );
    let invoices = table(
        Entity::Invoices,
        vec![
            u32s("_source", &[2, 2, 2]),
            u32s("_row", &[2, 3, 4]),
            strs("invoice_id", &["INV-1", "INV-2", "INV-1"].map(Some)),
            decs("amount", &["1420.00", "3", "1240.00"].map(Some)),
        ],
    );
    let c = canonical(
        vec![derived, keyed, invoices_src],
        vec![(Entity::Shipments, shipments), (Entity::Invoices, invoices)],
    );
    let found = run(&c);
    assert_eq!(
        cells(&found),
        [
            ("invoices.csv A4".to_string(), "duplicate_key"),
            ("shipments.csv A3".to_string(), "duplicate_key"),
        ]
    );
    assert_eq!(
        found[0].message,
        "invoice INV-1 appears again: row 2 has the same key with a different amount (1420.00 there, 1240.00 here)."
    );
    assert_eq!(
        found[1].message,
        "shipment SH-1 appears again: row 2 has the same key with a different order_id (SO-1 there, SO-2 here)."
    );
}

#[test]
fn many_differing_fields_are_named_without_their_values() {
    let two = [
        ("status", Some("packed"), Some("shipped")),
        ("owner", None, Some("Ana")),
    ];
    assert_eq!(
        super::describe(&two),
        "status (packed there, shipped here) and owner (empty there, Ana here)"
    );
    let four = [
        ("a", None, Some("1")),
        ("b", None, Some("1")),
        ("c", None, Some("1")),
        ("d", None, Some("1")),
    ];
    assert_eq!(super::describe(&four), "a, b, c and d");
}
