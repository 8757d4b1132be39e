use super::*;
use crate::model::canonical::{Canonical, Reject};
use crate::rules::testkit::*;

fn run(rule: &Rule, data: &Canonical) -> Vec<Finding> {
    let settings = settings("2026-11-27");
    let ctx = Context::new(data, &settings);
    let mut found = (rule.check)(&ctx).expect("check runs");
    crate::rules::sort(&mut found);
    found
}

fn orders(source: u32, rows: &[(&str, &str)]) -> DataFrame {
    let n = rows.len();
    table(
        Entity::Orders,
        vec![
            u32s("_source", &vec![source; n]),
            u32s("_row", &(2..2 + n as u32).collect::<Vec<_>>()),
            strs(
                "order_id",
                &rows.iter().map(|r| Some(r.0)).collect::<Vec<_>>(),
            ),
            strs(
                "status",
                &rows.iter().map(|r| Some(r.1)).collect::<Vec<_>>(),
            ),
        ],
    )
}

fn shipments(orders: &[&str]) -> DataFrame {
    let n = orders.len();
    table(
        Entity::Shipments,
        vec![
            u32s("_source", &vec![2; n]),
            u32s("_row", &(2..2 + n as u32).collect::<Vec<_>>()),
            strs(
                "order_id",
                &orders.iter().map(|v| Some(*v)).collect::<Vec<_>>(),
            ),
        ],
    )
}

/// (invoice_id, order_id, invoiced_at, paid_at, paid) rows, from row 2.
type Bill<'a> = (&'a str, &'a str, &'a str, Option<&'a str>, Option<bool>);

fn invoices(rows: &[Bill<'_>]) -> DataFrame {
    let n = rows.len();
    table(
        Entity::Invoices,
        vec![
            u32s("_source", &vec![3; n]),
            u32s("_row", &(2..2 + n as u32).collect::<Vec<_>>()),
            strs(
                "invoice_id",
                &rows.iter().map(|r| Some(r.0)).collect::<Vec<_>>(),
            ),
            strs(
                "order_id",
                &rows.iter().map(|r| Some(r.1)).collect::<Vec<_>>(),
            ),
            dates(
                "invoiced_at",
                &rows.iter().map(|r| Some(r.2)).collect::<Vec<_>>(),
            ),
            dates("paid_at", &rows.iter().map(|r| r.3).collect::<Vec<_>>()),
            bools("paid", &rows.iter().map(|r| r.4).collect::<Vec<_>>()),
        ],
    )
}

fn data(tables: Vec<(Entity, DataFrame)>, with_invoices: bool, with_shipments: bool) -> Canonical {
    let mut sources = vec![
        source(
            0,
            Entity::Orders,
            "Orders Tracker.xlsx",
            Some("Orders"),
            &[("order_id", "A"), ("status", "G")],
        ),
        source(
            1,
            Entity::Orders,
            "oms/orders.csv",
            None,
            &[("order_id", "A"), ("status", "C")],
        ),
    ];
    if with_shipments {
        sources.push(source(
            2,
            Entity::Shipments,
            "Shipping Log.xlsx",
            Some("Log"),
            &[("order_id", "B")],
        ));
    }
    if with_invoices {
        let cols = [
            ("invoice_id", "A"),
            ("order_id", "B"),
            ("invoiced_at", "C"),
            ("paid_at", "F"),
            ("paid", "G"),
        ];
        sources.push(source(
            3,
            Entity::Invoices,
            "Invoices 2026.xlsx",
            Some("Invoices"),
            &cols,
        ));
    }
    canonical(sources, tables)
}

fn shipped_world() -> Vec<(Entity, DataFrame)> {
    let mut all = orders(
        0,
        &[
            ("SO-1", "delivered"),
            ("SO-2", "packed"),
            ("SO-3", "shipped"),
            ("SO-4", "shipped"),
            ("SO-5", "shipped"),
            ("SO-6", "placed"),
            ("SO-8", "shipped"),
        ],
    );
    all.vstack_mut(&orders(
        1,
        &[
            ("SO-1", "shipped"),
            ("SO-4", "cancelled"),
            ("SO-8", "packed"),
        ],
    ))
    .unwrap();
    vec![
        (Entity::Orders, all),
        (Entity::Shipments, shipments(&["SO-2 ", "SO-7"])),
        (
            Entity::Invoices,
            invoices(&[("INV-3", " SO-3", "2026-11-02", None, None)]),
        ),
    ]
}

#[test]
fn shipped_orders_without_an_invoice_are_flagged_at_their_first_copy() {
    let mut data = data(shipped_world(), true, true);
    data.rejects.push(Reject {
        source: 3,
        row: 9,
        key: Some("INV-5".into()),
        identifiers: vec![("invoice_id", "INV-5".into()), ("order_id", "SO-5".into())],
        reasons: Vec::new(),
    });
    data.tainted.insert((0, 8));
    let found = run(&SHIPPED_NOT_INVOICED, &data);
    assert_eq!(
        cells(&found),
        [
            ("Orders Tracker.xlsx Orders!G2".to_string(), "handoff_gap"),
            ("Orders Tracker.xlsx Orders!G3".to_string(), "handoff_gap"),
        ]
    );
    assert_eq!(found[0].key.as_deref(), Some("SO-1"));
    assert_eq!(
        found[0].message,
        "order SO-1 is delivered but has no invoice in Invoices 2026.xlsx › Invoices"
    );
    assert_eq!(
        found[0].related,
        [data.sources[1].location(2, Some("status"))]
    );
    assert_eq!(found[0].value.as_deref(), Some("delivered"));
    assert_eq!(
        found[1].message,
        "order SO-2 has a shipment but has no invoice in Invoices 2026.xlsx › Invoices"
    );
}

#[test]
fn shipped_orders_are_not_checked_without_an_invoice_sheet() {
    let tables = shipped_world()
        .into_iter()
        .filter(|t| t.0 != Entity::Invoices)
        .collect();
    assert_eq!(
        cells(&run(&SHIPPED_NOT_INVOICED, &data(tables, false, true))),
        []
    );
}

fn paid_world() -> Vec<(Entity, DataFrame)> {
    let all = orders(
        0,
        &[
            ("SO-10", "placed"),
            ("SO-11", "paid"),
            ("SO-12", "returned"),
            ("SO-13", "paid"),
            ("SO-14", "paid"),
            ("SO-15", "paid"),
        ],
    );
    vec![
        (Entity::Orders, all),
        (Entity::Shipments, shipments(&["SO-13"])),
        (
            Entity::Invoices,
            invoices(&[
                ("INV-10", "SO-10", "2026-11-10", Some("2026-11-12"), None),
                (
                    "INV-11",
                    "SO-11",
                    "2026-11-20",
                    Some("2026-11-24"),
                    Some(true),
                ),
                ("INV-12", "SO-12", "2026-11-01", Some("2026-11-02"), None),
                ("INV-13", "SO-13", "2026-11-01", Some("2026-11-02"), None),
                ("INV-14", "SO-14", "2026-11-01", None, Some(true)),
                ("INV-15", "SO-14", "2026-11-01", None, Some(false)),
                ("INV-16", "SO-99", "2026-11-01", Some("2026-11-02"), None),
                ("INV-17", "SO-15", "2026-11-01", Some("2026-11-20"), None),
            ]),
        ),
    ]
}

#[test]
fn paid_invoices_for_unshipped_orders_are_flagged_after_the_sla() {
    let data = data(paid_world(), true, true);
    let found = run(&PAID_NOT_SHIPPED, &data);
    assert_eq!(
        cells(&found),
        [
            ("Invoices 2026.xlsx Invoices!F2".to_string(), "handoff_gap"),
            ("Invoices 2026.xlsx Invoices!G6".to_string(), "handoff_gap"),
        ]
    );
    assert_eq!(found[0].key.as_deref(), Some("INV-10"));
    assert_eq!(
        found[0].message,
        "invoice INV-10 was paid on 2026-11-12, 15 days before 2026-11-27, but order SO-10 has no shipment and is not marked shipped"
    );
    assert_eq!(found[0].value.as_deref(), Some("2026-11-12"));
    assert_eq!(found[1].value.as_deref(), Some("true"));
    assert_eq!(
        found[1].message,
        "invoice INV-14 is marked paid and was invoiced on 2026-11-01, 26 days before 2026-11-27, but order SO-14 has no shipment and is not marked shipped"
    );
    assert_eq!(
        found[1].expected.as_deref(),
        Some("a shipment within 7 days of payment")
    );
}

#[test]
fn paid_invoices_are_not_checked_without_a_shipments_sheet() {
    let tables = paid_world()
        .into_iter()
        .filter(|t| t.0 != Entity::Shipments)
        .collect();
    assert_eq!(
        cells(&run(&PAID_NOT_SHIPPED, &data(tables, true, false))),
        []
    );
}

#[test]
fn an_orders_source_without_status_gets_the_finding_at_its_order_id() {
    let cols = [("order_id", "A"), ("order_date", "B")];
    let mut data = data(
        vec![
            (Entity::Orders, orders(1, &[("SO-2", "placed")])),
            (Entity::Shipments, shipments(&["SO-2"])),
            (Entity::Invoices, invoices(&[])),
        ],
        true,
        true,
    );
    data.sources[1] = source(1, Entity::Orders, "oms/orders.csv", None, &cols);
    let found = run(&SHIPPED_NOT_INVOICED, &data);
    assert_eq!(
        cells(&found),
        [("oms/orders.csv A2".to_string(), "handoff_gap")]
    );
}
