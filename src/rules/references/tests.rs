use super::*;
use crate::model::canonical::{Canonical, Reject, SourceInfo};
use crate::rules::testkit::*;

fn run(rule: &Rule, data: &Canonical) -> Vec<Finding> {
    let settings = settings("2026-11-27");
    let ctx = Context::new(data, &settings);
    let mut found = (rule.check)(&ctx).expect("check runs");
    crate::rules::sort(&mut found);
    found
}

fn lines_source() -> SourceInfo {
    source(
        0,
        Entity::OrderLines,
        "Orders Tracker.xlsx",
        Some("Orders"),
        &[("order_id", "A"), ("line_no", "E"), ("sku", "F")],
    )
}

fn lines(order: &[&str], sku: &[&str]) -> DataFrame {
    let n = sku.len();
    let rows: Vec<u32> = (2..2 + n as u32).collect();
    table(
        Entity::OrderLines,
        vec![
            u32s("_source", &vec![0; n]),
            u32s("_row", &rows),
            strs(
                "order_id",
                &order.iter().map(|v| Some(*v)).collect::<Vec<_>>(),
            ),
            ints("line_no", &(1..=n as i64).map(Some).collect::<Vec<_>>()),
            strs("sku", &sku.iter().map(|v| Some(*v)).collect::<Vec<_>>()),
        ],
    )
}

fn stock_source(id: u32) -> SourceInfo {
    source(
        id,
        Entity::Inventory,
        "Inventory.xlsx",
        Some("Stock"),
        &[("sku", "A"), ("on_hand", "B")],
    )
}

fn stock(source: u32, sku: &[&str]) -> DataFrame {
    let n = sku.len();
    table(
        Entity::Inventory,
        vec![
            u32s("_source", &vec![source; n]),
            u32s("_row", &(2..2 + n as u32).collect::<Vec<_>>()),
            strs("sku", &sku.iter().map(|v| Some(*v)).collect::<Vec<_>>()),
        ],
    )
}

fn reject(source: u32, row: u32, ids: &[(&'static str, &str)]) -> Reject {
    Reject {
        source,
        row,
        key: ids.first().map(|(_, v)| v.to_string()),
        identifiers: ids.iter().map(|(f, v)| (*f, v.to_string())).collect(),
        reasons: Vec::new(),
    }
}

#[test]
fn a_sku_no_stock_sheet_knows_is_flagged_at_the_line() {
    let data = canonical(
        vec![lines_source(), stock_source(1)],
        vec![
            (
                Entity::OrderLines,
                lines(&["SO-1", "SO-1", "SO-2"], &["TNT-2P", "TNT-2Q", " tnt-2p "]),
            ),
            (Entity::Inventory, stock(1, &["TNT-2P", "TNT-3P"])),
        ],
    );
    let found = run(&SKU_UNKNOWN, &data);
    assert_eq!(
        cells(&found),
        [(
            "Orders Tracker.xlsx Orders!F3".to_string(),
            "orphan_reference"
        )]
    );
    assert_eq!(found[0].key.as_deref(), Some("SO-1/2"));
    assert_eq!(
        found[0].message,
        "SKU TNT-2Q is in no inventory sheet (Inventory.xlsx › Stock)"
    );
    assert_eq!(found[0].value.as_deref(), Some("TNT-2Q"));
}

#[test]
fn skus_are_not_checked_without_a_stock_sheet_and_rejected_stock_rows_count() {
    let alone = canonical(
        vec![lines_source()],
        vec![(Entity::OrderLines, lines(&["SO-1"], &["TNT-2Q"]))],
    );
    assert_eq!(cells(&run(&SKU_UNKNOWN, &alone)), []);

    let mut with_reject = canonical(
        vec![lines_source(), stock_source(1)],
        vec![
            (
                Entity::OrderLines,
                lines(&["SO-1", "SO-1"], &["TNT-2Q", "LMP-9"]),
            ),
            (Entity::Inventory, stock(1, &["TNT-2P"])),
        ],
    );
    with_reject.rejects.push(reject(1, 9, &[("sku", "tnt-2q")]));
    with_reject.tainted.insert((0, 3));
    assert_eq!(cells(&run(&SKU_UNKNOWN, &with_reject)), []);
}

fn orders_source() -> SourceInfo {
    source(
        1,
        Entity::Orders,
        "Orders.csv",
        None,
        &[("order_id", "A"), ("status", "B")],
    )
}

fn orders(ids: &[&str]) -> DataFrame {
    let n = ids.len();
    table(
        Entity::Orders,
        vec![
            u32s("_source", &vec![1; n]),
            u32s("_row", &(2..2 + n as u32).collect::<Vec<_>>()),
            strs(
                "order_id",
                &ids.iter().map(|v| Some(*v)).collect::<Vec<_>>(),
            ),
        ],
    )
}

fn invoices(ids: &[&str], orders: &[&str]) -> DataFrame {
    let n = ids.len();
    table(
        Entity::Invoices,
        vec![
            u32s("_source", &vec![2; n]),
            u32s("_row", &(2..2 + n as u32).collect::<Vec<_>>()),
            strs(
                "invoice_id",
                &ids.iter().map(|v| Some(*v)).collect::<Vec<_>>(),
            ),
            strs(
                "order_id",
                &orders.iter().map(|v| Some(*v)).collect::<Vec<_>>(),
            ),
        ],
    )
}

fn invoices_source() -> SourceInfo {
    source(
        2,
        Entity::Invoices,
        "Invoices 2026.xlsx",
        Some("Invoices"),
        &[("invoice_id", "A"), ("order_id", "C")],
    )
}

#[test]
fn an_invoice_for_an_order_no_sheet_holds_is_flagged() {
    let mut data = canonical(
        vec![lines_source(), orders_source(), invoices_source()],
        vec![
            (Entity::OrderLines, lines(&["SO-3"], &["TNT-2P"])),
            (Entity::Orders, orders(&["SO-1", "SO-2"])),
            (
                Entity::Invoices,
                invoices(
                    &["INV-1", "INV-2", "INV-3", "INV-4", "INV-5", "INV-6"],
                    &[" SO-1", "SO-3", "so-2", "SO-9", "SO-8", "SO-7"],
                ),
            ),
        ],
    );
    data.rejects.push(reject(1, 9, &[("order_id", "SO-9")]));
    data.rejects
        .push(reject(0, 12, &[("order_id", "SO-8"), ("line_no", "1")]));
    let found = run(&INVOICE_ORDER_UNKNOWN, &data);
    assert_eq!(
        cells(&found),
        [
            (
                "Invoices 2026.xlsx Invoices!C4".to_string(),
                "orphan_reference"
            ),
            (
                "Invoices 2026.xlsx Invoices!C7".to_string(),
                "orphan_reference"
            ),
        ]
    );
    assert_eq!(found[0].key.as_deref(), Some("INV-3"));
    assert_eq!(
        found[0].message,
        "invoice INV-3 is for order so-2, which is in no order sheet (Orders Tracker.xlsx › Orders, Orders.csv)"
    );
}

#[test]
fn a_shipment_for_an_unknown_order_is_flagged_only_when_order_sheets_exist() {
    let ships = |source: u32| {
        table(
            Entity::Shipments,
            vec![
                u32s("_source", &[source, source]),
                u32s("_row", &[2, 3]),
                strs("shipment_id", &[None, Some("SH-2")]),
                strs("order_id", &[Some("SO-5"), Some("SO-1")]),
            ],
        )
    };
    let ship_source = |id: u32| {
        source(
            id,
            Entity::Shipments,
            "ship.csv",
            None,
            &[("order_id", "B")],
        )
    };
    let data = canonical(
        vec![ship_source(0), orders_source()],
        vec![
            (Entity::Shipments, ships(0)),
            (Entity::Orders, orders(&["SO-1"])),
        ],
    );
    let found = run(&SHIPMENT_ORDER_UNKNOWN, &data);
    assert_eq!(
        cells(&found),
        [("ship.csv B2".to_string(), "orphan_reference")]
    );
    assert_eq!(found[0].key.as_deref(), Some("order SO-5"));
    assert_eq!(
        found[0].message,
        "this shipment is for order SO-5, which is in no order sheet (Orders.csv)"
    );

    let no_orders = canonical(vec![ship_source(0)], vec![(Entity::Shipments, ships(0))]);
    assert_eq!(cells(&run(&SHIPMENT_ORDER_UNKNOWN, &no_orders)), []);
}

#[test]
fn values_looked_up_in_pieces_keep_their_rows() {
    // More rows than one piece: three unknown values, a null, across pieces.
    let n = 3 * (1 << 14) + 7;
    let values: Vec<Option<String>> = (0..n)
        .map(|i| match i {
            5 | 20_000 => Some("NOPE".to_string()),
            9 => None,
            i if i == n - 1 => Some("ALSO-NOPE".to_string()),
            i => Some(format!("K-{}", i % 100)),
        })
        .collect();
    let values = Series::new("k".into(), values);
    let known: Vec<String> = (0..100).map(|i| format!("K-{i}")).collect();
    let mask = unknown(&values, &Series::new("k".into(), known)).unwrap();
    assert_eq!(mask.len(), n);
    let flagged: Vec<usize> = mask
        .iter()
        .enumerate()
        .filter(|(_, f)| *f == Some(true))
        .map(|(i, _)| i)
        .collect();
    assert_eq!(flagged, [5, 20_000, n - 1]);
}

#[test]
fn known_values_twice_or_null_change_nothing() {
    let rows = df!("k" => [Some("A"), Some("B"), None, Some("C"), Some("A")]).unwrap();
    let known = df!("k" => [Some("A"), Some("A"), None, Some("C")]).unwrap();
    let flagged = not_in(rows.lazy(), known.lazy(), "k")
        .unwrap()
        .collect()
        .unwrap();
    let values: Vec<Option<&str>> = flagged.column("k").unwrap().str().unwrap().iter().collect();
    assert_eq!(values, [Some("B")]);
}
