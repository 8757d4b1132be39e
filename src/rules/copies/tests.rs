use super::*;
use crate::model::canonical::Canonical;
use crate::rules::testkit::*;

fn run(data: &Canonical) -> Vec<String> {
    cells_of("conflicting_copy", &findings(data))
}

fn findings(data: &Canonical) -> Vec<Finding> {
    let settings = settings("2026-11-27");
    let ctx = Context::new(data, &settings);
    let mut found = (CONFLICTING_COPY.check)(&ctx).expect("check runs");
    crate::rules::sort(&mut found);
    found
}

fn orders_source(id: u32, file: &str) -> SourceInfo {
    let cols = [
        ("order_id", "A"),
        ("status", "C"),
        ("owner", "D"),
        ("total", "E"),
    ];
    source(id, Entity::Orders, file, Some("Orders"), &cols)
}

/// Orders of one source: (row, order_id, status).
fn orders(source: u32, rows: &[(u32, &str, Option<&str>)]) -> DataFrame {
    table(
        Entity::Orders,
        vec![
            u32s("_source", &vec![source; rows.len()]),
            u32s("_row", &rows.iter().map(|r| r.0).collect::<Vec<_>>()),
            strs(
                "order_id",
                &rows.iter().map(|r| Some(r.1)).collect::<Vec<_>>(),
            ),
            strs("status", &rows.iter().map(|r| r.2).collect::<Vec<_>>()),
        ],
    )
}

fn stack(frames: &[DataFrame]) -> DataFrame {
    let mut out = frames[0].clone();
    for f in &frames[1..] {
        out.vstack_mut(f).expect("same schema");
    }
    out
}

fn two_trackers(a: DataFrame, b: DataFrame) -> Canonical {
    canonical(
        vec![orders_source(0, MAIN), orders_source(1, JANET)],
        vec![(Entity::Orders, stack(&[a, b]))],
    )
}

const MAIN: &str = "Orders Tracker.xlsx";
const JANET: &str = "Orders Tracker (Janet's copy).xlsx";

#[test]
fn diverged_status_is_flagged_in_each_copy() {
    let data = two_trackers(
        orders(
            0,
            &[
                (2, "SO-1042", Some("packed")),
                (3, "SO-1043", Some("shipped")),
                (4, "SO-1044", Some("placed")),
                (5, "SO-1045", Some("paid")),
            ],
        ),
        orders(
            1,
            &[
                (7, "SO-1043", Some("shipped")),
                (8, " SO-1042 ", Some("shipped")),
                (9, "SO-1045", None),
            ],
        ),
    );
    let found = findings(&data);
    assert_eq!(
        run(&data),
        [format!("{JANET} Orders!C8"), format!("{MAIN} Orders!C2")]
    );
    let main = &found[1];
    assert_eq!(main.rule, "copies.conflict");
    assert_eq!(main.key.as_deref(), Some("SO-1042"));
    assert_eq!(
        main.message,
        format!("status is packed here but shipped in {JANET} › Orders")
    );
    assert_eq!(main.value.as_deref(), Some("packed"));
    assert_eq!(main.expected.as_deref(), Some("shipped"));
    assert_eq!(main.related, [data.sources[1].location(8, Some("status"))]);
    assert_eq!(
        found[0].related,
        [data.sources[0].location(2, Some("status"))]
    );
    assert_eq!(found[0].value.as_deref(), Some("shipped"));
}

#[test]
fn every_differing_field_is_named_and_the_first_one_is_the_cell() {
    let mut a = orders(0, &[(2, "SO-1", Some("packed"))]);
    a.with_column(strs("owner", &[Some("Janet")])).unwrap();
    a.with_column(decs("total", &[Some("120.5")])).unwrap();
    let mut b = orders(1, &[(4, "SO-1", Some("packed"))]);
    b.with_column(strs("owner", &[Some("Omar")])).unwrap();
    b.with_column(decs("total", &[Some("120.75")])).unwrap();
    let data = two_trackers(a, b);
    let found = findings(&data);
    assert_eq!(
        run(&data),
        [format!("{JANET} Orders!D4"), format!("{MAIN} Orders!D2")]
    );
    assert_eq!(
        found[1].message,
        format!(
            "owner is Janet here but Omar in {JANET} › Orders; total is 120.50 here but 120.75 there"
        )
    );
    assert_eq!(found[0].value.as_deref(), Some("Omar"));
    assert_eq!(found[0].expected.as_deref(), Some("Janet"));
}

#[test]
fn empty_in_one_copy_trimmed_text_and_equal_decimals_are_not_conflicts() {
    let mut a = orders(0, &[(2, "SO-1", Some("packed")), (3, "SO-2", None)]);
    a.with_column(strs("owner", &[Some(" Janet "), None]))
        .unwrap();
    a.with_column(decs("total", &[Some("120.5"), Some("9.99")]))
        .unwrap();
    let mut b = orders(1, &[(2, "SO-1", None), (3, "SO-2", Some("shipped"))]);
    b.with_column(strs("owner", &[Some("Janet"), Some("Omar")]))
        .unwrap();
    b.with_column(decs("total", &[Some("120.50"), None]))
        .unwrap();
    assert_eq!(run(&two_trackers(a, b)), Vec::<String>::new());
}

#[test]
fn a_field_only_one_copy_maps_is_not_compared() {
    let cols = [("order_id", "A"), ("owner", "B")];
    let janet = source(1, Entity::Orders, JANET, Some("Orders"), &cols);
    let data = canonical(
        vec![orders_source(0, MAIN), janet],
        vec![(
            Entity::Orders,
            stack(&[
                orders(0, &[(2, "SO-1", Some("packed"))]),
                orders(1, &[(2, "SO-1", Some("cancelled"))]),
            ]),
        )],
    );
    assert_eq!(run(&data), Vec::<String>::new());
}

#[test]
fn a_repeated_key_compares_its_first_occurrence_and_tainted_rows_are_skipped() {
    let mut data = two_trackers(
        orders(
            0,
            &[
                (2, "SO-1", Some("placed")),
                (3, "SO-1", Some("shipped")),
                (4, "SO-2", Some("paid")),
            ],
        ),
        orders(
            1,
            &[(2, "SO-1", Some("placed")), (3, "SO-2", Some("packed"))],
        ),
    );
    assert_eq!(
        run(&data),
        [format!("{JANET} Orders!C3"), format!("{MAIN} Orders!C4")]
    );
    data.tainted.insert((1, 3));
    assert_eq!(run(&data), Vec::<String>::new());
}

#[test]
fn three_copies_name_each_other() {
    let sources = ["a.xlsx", "b.xlsx", "c.xlsx"];
    let data = canonical(
        (0..3)
            .map(|i| orders_source(i, sources[i as usize]))
            .collect(),
        vec![(
            Entity::Orders,
            stack(&[
                orders(0, &[(2, "SO-1", Some("packed"))]),
                orders(1, &[(5, "SO-1", Some("shipped"))]),
                orders(2, &[(9, "SO-1", Some("shipped"))]),
            ]),
        )],
    );
    let found = findings(&data);
    assert_eq!(
        run(&data),
        ["a.xlsx Orders!C2", "b.xlsx Orders!C5", "c.xlsx Orders!C9"]
    );
    assert_eq!(
        found[0].message,
        "status is packed here but shipped in b.xlsx › Orders; status is packed here but shipped in c.xlsx › Orders"
    );
    assert_eq!(found[0].related.len(), 2);
    assert_eq!(
        found[2].related,
        [data.sources[0].location(2, Some("status"))]
    );
}

fn lines_source(id: u32, file: &str, derived: bool) -> SourceInfo {
    let mut cols = vec![("order_id", "A"), ("sku", "B"), ("quantity", "C")];
    if !derived {
        cols.push(("line_no", "D"));
    }
    let mut s = source(id, Entity::OrderLines, file, Some("Lines"), &cols);
    s.derived_line_no = derived;
    s
}

/// Lines of order SO-7 in one source from row 2: (line_no, sku, quantity).
fn lines(source: u32, rows: &[(i64, &str, i64)]) -> DataFrame {
    let n = rows.len();
    table(
        Entity::OrderLines,
        vec![
            u32s("_source", &vec![source; n]),
            u32s("_row", &rows_from(2, n)),
            strs("order_id", &vec![Some("SO-7"); n]),
            ints(
                "line_no",
                &rows.iter().map(|r| Some(r.0)).collect::<Vec<_>>(),
            ),
            strs("sku", &rows.iter().map(|r| Some(r.1)).collect::<Vec<_>>()),
            ints(
                "quantity",
                &rows.iter().map(|r| Some(r.2)).collect::<Vec<_>>(),
            ),
        ],
    )
}

#[test]
fn order_lines_join_on_line_number_and_compare_skus_by_key() {
    let a = lines(0, &[(1, "TNT-2P", 1), (2, "MAT-1", 2), (3, "LMP-9", 4)]);
    let b = lines(1, &[(1, " tnt-2p", 1), (2, "MAT-2", 2), (3, "LMP-9", 5)]);
    let data = canonical(
        vec![
            lines_source(0, "a.xlsx", false),
            lines_source(1, "b.xlsx", false),
        ],
        vec![(Entity::OrderLines, stack(&[a, b]))],
    );
    let found = findings(&data);
    assert_eq!(
        run(&data),
        [
            "a.xlsx Lines!B3",
            "a.xlsx Lines!C4",
            "b.xlsx Lines!B3",
            "b.xlsx Lines!C4"
        ]
    );
    assert_eq!(found[1].key.as_deref(), Some("SO-7/3"));
    assert_eq!(
        found[1].message,
        "quantity is 4 here but 5 in b.xlsx › Lines"
    );
}

#[test]
fn order_lines_join_on_sku_when_a_source_derives_line_numbers() {
    let a = lines(0, &[(1, "TNT-2P", 1), (2, "MAT-1", 2)]);
    let b = lines(1, &[(1, "mat-1 ", 3), (2, "TNT-2P", 1)]);
    let data = canonical(
        vec![
            lines_source(0, "a.xlsx", false),
            lines_source(1, "b.csv", true),
        ],
        vec![(Entity::OrderLines, stack(&[a, b]))],
    );
    let found = findings(&data);
    assert_eq!(run(&data), ["a.xlsx Lines!C3", "b.csv Lines!C2"]);
    assert_eq!(found[0].key.as_deref(), Some("SO-7/MAT-1"));
    assert_eq!(found[1].key.as_deref(), Some("SO-7/mat-1"));
}

#[test]
fn sources_of_different_entities_from_one_region_never_compare() {
    // One tracker region feeds orders (source 0) and lines (source 1); Janet's
    // copy of the orders (source 2) differs. Only the two orders sources conflict.
    let cols = [("order_id", "A"), ("sku", "F"), ("quantity", "G")];
    let mut lines_src = source(1, Entity::OrderLines, MAIN, Some("Orders"), &cols);
    lines_src.region = 0;
    let data = canonical(
        vec![orders_source(0, MAIN), lines_src, orders_source(2, JANET)],
        vec![
            (
                Entity::Orders,
                stack(&[
                    orders(0, &[(2, "SO-7", Some("packed"))]),
                    orders(2, &[(2, "SO-7", Some("shipped"))]),
                ]),
            ),
            (Entity::OrderLines, lines(1, &[(1, "TNT-2P", 2)])),
        ],
    );
    let found = findings(&data);
    assert_eq!(
        run(&data),
        [format!("{JANET} Orders!C2"), format!("{MAIN} Orders!C2")]
    );
    assert_eq!(
        found[1].related,
        [data.sources[2].location(2, Some("status"))]
    );
}

fn stock_source(id: u32, file: &str, located: bool) -> SourceInfo {
    let mut cols = vec![("sku", "A"), ("on_hand", "C")];
    if located {
        cols.push(("location", "B"));
    }
    source(id, Entity::Inventory, file, None, &cols)
}

/// Stock rows of one source: (row, sku, location, on_hand).
fn stock(source: u32, rows: &[(u32, &str, Option<&str>, i64)]) -> DataFrame {
    table(
        Entity::Inventory,
        vec![
            u32s("_source", &vec![source; rows.len()]),
            u32s("_row", &rows.iter().map(|r| r.0).collect::<Vec<_>>()),
            strs("sku", &rows.iter().map(|r| Some(r.1)).collect::<Vec<_>>()),
            strs("location", &rows.iter().map(|r| r.2).collect::<Vec<_>>()),
            ints(
                "on_hand",
                &rows.iter().map(|r| Some(r.3)).collect::<Vec<_>>(),
            ),
        ],
    )
}

#[test]
fn stock_positions_match_on_sku_and_location_and_null_matches_only_null() {
    let data = canonical(
        vec![
            stock_source(0, "a.csv", false),
            stock_source(1, "b.csv", true),
            stock_source(2, "c.csv", false),
        ],
        vec![(
            Entity::Inventory,
            stack(&[
                stock(0, &[(2, "TNT-2P", None, 5)]),
                stock(
                    1,
                    &[
                        (2, "TNT-2P", Some("MAIN"), 7),
                        (3, "TNT-2P", Some("main "), 7),
                    ],
                ),
                stock(2, &[(4, " tnt-2p", None, 9)]),
            ]),
        )],
    );
    let found = findings(&data);
    assert_eq!(run(&data), ["a.csv C2", "c.csv C4"]);
    assert_eq!(found[1].key.as_deref(), Some("tnt-2p"));
    assert_eq!(found[1].message, "on hand is 9 here but 5 in a.csv");
}

#[test]
fn shipments_compare_only_when_both_sources_map_a_shipment_id() {
    let ship = |id: u32, file: &str, with_id: bool| {
        let mut cols = vec![("order_id", "A"), ("carrier", "B")];
        if with_id {
            cols.push(("shipment_id", "C"));
        }
        source(id, Entity::Shipments, file, None, &cols)
    };
    let frame = |source: u32, carrier: &str| {
        table(
            Entity::Shipments,
            vec![
                u32s("_source", &[source]),
                u32s("_row", &[2]),
                strs("shipment_id", &[Some("SH-1")]),
                strs("order_id", &[Some("SO-1")]),
                strs("carrier", &[Some(carrier)]),
            ],
        )
    };
    let rows = stack(&[frame(0, "DHL"), frame(1, "UPS")]);
    let both = canonical(
        vec![ship(0, "a.csv", true), ship(1, "b.csv", true)],
        vec![(Entity::Shipments, rows.clone())],
    );
    assert_eq!(run(&both), ["a.csv B2", "b.csv B2"]);
    let one = canonical(
        vec![ship(0, "a.csv", true), ship(1, "b.csv", false)],
        vec![(Entity::Shipments, rows)],
    );
    assert_eq!(run(&one), Vec::<String>::new());
}

#[test]
fn key_texts() {
    assert_eq!(line_key(" SO-1 ", Some("2"), "X"), "SO-1/2");
    assert_eq!(line_key("SO-1", None, " TNT-2P "), "SO-1/TNT-2P");
    assert_eq!(inventory_key("TNT-2P", Some("MAIN")), "TNT-2P @ MAIN");
    assert_eq!(
        count_key("TNT-2P", None, "2026-11-20"),
        "TNT-2P on 2026-11-20"
    );
}
