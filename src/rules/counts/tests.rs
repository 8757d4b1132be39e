use super::*;
use crate::model::canonical::{Canonical, SourceInfo};
use crate::rules::testkit::*;

fn run(data: &Canonical) -> Vec<Finding> {
    let settings = settings("2026-11-27");
    let ctx = Context::new(data, &settings);
    let mut found = (STOCK_MISMATCH.check)(&ctx).expect("check runs");
    crate::rules::sort(&mut found);
    found
}

fn stock_source(id: u32, file: &str, located: bool) -> SourceInfo {
    let mut cols = vec![("sku", "A"), ("on_hand", "C")];
    if located {
        cols.push(("location", "B"));
    }
    source(id, Entity::Inventory, file, Some("Stock"), &cols)
}

fn count_source(id: u32, file: &str, located: bool) -> SourceInfo {
    let mut cols = vec![("sku", "A"), ("counted_at", "C"), ("counted_qty", "D")];
    if located {
        cols.push(("location", "B"));
    }
    source(id, Entity::StockCounts, file, Some("November"), &cols)
}

/// (sku, location, on_hand) rows of one inventory source, from row 2.
fn stock(source: u32, rows: &[(&str, Option<&str>, i64)]) -> DataFrame {
    let n = rows.len();
    table(
        Entity::Inventory,
        vec![
            u32s("_source", &vec![source; n]),
            u32s("_row", &(2..2 + n as u32).collect::<Vec<_>>()),
            strs("sku", &rows.iter().map(|r| Some(r.0)).collect::<Vec<_>>()),
            strs("location", &rows.iter().map(|r| r.1).collect::<Vec<_>>()),
            ints(
                "on_hand",
                &rows.iter().map(|r| Some(r.2)).collect::<Vec<_>>(),
            ),
        ],
    )
}

/// (sku, location, counted_at, counted_qty) rows of one count source, from row 2.
fn counts(source: u32, rows: &[(&str, Option<&str>, &str, i64)]) -> DataFrame {
    let n = rows.len();
    table(
        Entity::StockCounts,
        vec![
            u32s("_source", &vec![source; n]),
            u32s("_row", &(2..2 + n as u32).collect::<Vec<_>>()),
            strs("sku", &rows.iter().map(|r| Some(r.0)).collect::<Vec<_>>()),
            strs("location", &rows.iter().map(|r| r.1).collect::<Vec<_>>()),
            dates(
                "counted_at",
                &rows.iter().map(|r| Some(r.2)).collect::<Vec<_>>(),
            ),
            ints(
                "counted_qty",
                &rows.iter().map(|r| Some(r.3)).collect::<Vec<_>>(),
            ),
        ],
    )
}

fn inventory() -> DataFrame {
    stock(
        0,
        &[
            ("TNT-2P", Some("MAIN"), 50),
            ("MAT-1", Some("MAIN"), 10),
            ("LMP-9", Some("MAIN"), 100),
            ("LMP-9", Some("BACK"), 100),
            ("GLV-1", Some("MAIN"), 30),
        ],
    )
}

#[test]
fn counts_beyond_both_tolerances_are_flagged_at_the_count() {
    let data = canonical(
        vec![
            stock_source(0, "Inventory.xlsx", true),
            count_source(1, "Cycle Counts.xlsx", true),
        ],
        vec![
            (Entity::Inventory, inventory()),
            (
                Entity::StockCounts,
                counts(
                    1,
                    &[
                        ("TNT-2P", Some("MAIN"), "2026-11-01", 50),
                        ("tnt-2p ", Some("Main"), "2026-11-20", 42),
                        ("MAT-1", Some("MAIN"), "2026-11-20", 12),
                        ("LMP-9", Some("MAIN"), "2026-11-20", 105),
                        ("LMP-9", Some("BACK"), "2026-11-20", 106),
                        ("ZZZ-1", Some("MAIN"), "2026-11-20", 7),
                        ("GLV-1", Some("MAIN"), "2026-07-01", 0),
                    ],
                ),
            ),
        ],
    );
    let found = run(&data);
    assert_eq!(
        cells(&found),
        [
            (
                "Cycle Counts.xlsx November!D3".to_string(),
                "stock_mismatch"
            ),
            (
                "Cycle Counts.xlsx November!D6".to_string(),
                "stock_mismatch"
            ),
        ]
    );
    assert_eq!(found[0].rule, "stock_counts.mismatch");
    assert_eq!(found[0].key.as_deref(), Some("tnt-2p @ Main on 2026-11-20"));
    assert_eq!(
        found[0].message,
        "counted 42 but the system has 50 on hand (Inventory.xlsx › Stock!C2): 8 units (16%) apart, beyond the tolerance of 2 units and 5%"
    );
    assert_eq!(found[0].value.as_deref(), Some("42"));
    assert_eq!(found[0].expected.as_deref(), Some("50"));
    assert_eq!(
        found[0].related,
        [data.sources[0].location(2, Some("on_hand"))]
    );
    assert_eq!(
        found[1].related,
        [data.sources[0].location(5, Some("on_hand"))]
    );
}

#[test]
fn a_count_without_location_matches_its_skus_only_inventory_row() {
    let data = canonical(
        vec![
            stock_source(0, "Inventory.xlsx", true),
            count_source(1, "counts.csv", false),
        ],
        vec![
            (Entity::Inventory, inventory()),
            (
                Entity::StockCounts,
                counts(
                    1,
                    &[
                        ("TNT-2P", None, "2026-11-20", 40),
                        ("LMP-9", None, "2026-11-20", 10),
                    ],
                ),
            ),
        ],
    );
    assert_eq!(
        cells(&run(&data)),
        [("counts.csv November!D2".to_string(), "stock_mismatch")]
    );
}

#[test]
fn an_inventory_without_locations_matches_every_count_location() {
    let data = canonical(
        vec![
            stock_source(0, "stock.csv", false),
            count_source(1, "counts.csv", true),
        ],
        vec![
            (Entity::Inventory, stock(0, &[("TNT-2P", None, 50)])),
            (
                Entity::StockCounts,
                counts(
                    1,
                    &[
                        ("TNT-2P", Some("MAIN"), "2026-11-20", 20),
                        ("TNT-2P", Some("BACK"), "2026-11-20", 49),
                    ],
                ),
            ),
        ],
    );
    let found = run(&data);
    assert_eq!(
        cells(&found),
        [("counts.csv November!D2".to_string(), "stock_mismatch")]
    );
    assert_eq!(found[0].key.as_deref(), Some("TNT-2P @ MAIN on 2026-11-20"));
}

#[test]
fn a_count_that_agrees_with_one_of_its_inventory_rows_is_fine_and_tainted_counts_are_skipped() {
    let mut data = canonical(
        vec![
            stock_source(0, "Inventory.xlsx", true),
            stock_source(1, "stock.csv", false),
            count_source(2, "counts.csv", true),
        ],
        vec![
            (Entity::Inventory, {
                let mut s = stock(
                    0,
                    &[("TNT-2P", Some("MAIN"), 50), ("MAT-1", Some("MAIN"), 10)],
                );
                s.vstack_mut(&stock(1, &[("TNT-2P", None, 80), ("MAT-1", None, 10)]))
                    .unwrap();
                s
            }),
            (
                Entity::StockCounts,
                counts(
                    2,
                    &[
                        ("TNT-2P", Some("MAIN"), "2026-11-20", 50),
                        ("MAT-1", Some("MAIN"), "2026-11-20", 30),
                    ],
                ),
            ),
        ],
    );
    let found = run(&data);
    assert_eq!(
        cells(&found),
        [("counts.csv November!D3".to_string(), "stock_mismatch")]
    );
    assert_eq!(
        found[0].related,
        [
            data.sources[0].location(3, Some("on_hand")),
            data.sources[1].location(3, Some("on_hand"))
        ]
    );
    data.tainted.insert((2, 3));
    assert_eq!(cells(&run(&data)), []);
}

#[test]
fn small_stock_tolerance_edges() {
    // 3 units over 100 is within 5%; 3 units over 40 is 7.5%; 2 units over 1 is within 2 units.
    let data = canonical(
        vec![
            stock_source(0, "stock.csv", false),
            count_source(1, "counts.csv", false),
        ],
        vec![
            (
                Entity::Inventory,
                stock(
                    0,
                    &[
                        ("A", None, 100),
                        ("B", None, 40),
                        ("C", None, 1),
                        ("D", None, 0),
                    ],
                ),
            ),
            (
                Entity::StockCounts,
                counts(
                    1,
                    &[
                        ("A", None, "2026-11-20", 103),
                        ("B", None, "2026-11-20", 37),
                        ("C", None, "2026-11-20", 3),
                        ("D", None, "2026-11-20", 3),
                    ],
                ),
            ),
        ],
    );
    let found = run(&data);
    assert_eq!(
        cells(&found),
        [
            ("counts.csv November!D3".to_string(), "stock_mismatch"),
            ("counts.csv November!D5".to_string(), "stock_mismatch"),
        ]
    );
    assert_eq!(
        found[1].message,
        "counted 3 but the system has 0 on hand (stock.csv › Stock!C5): 3 units apart, beyond the tolerance of 2 units and 5%"
    );
}
