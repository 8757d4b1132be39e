use super::*;
use crate::model::canonical::Canonical;
use crate::rules::testkit::*;

fn run(data: &Canonical) -> Vec<Finding> {
    let settings = settings("2026-11-27");
    let ctx = Context::new(data, &settings);
    let mut found = (CONFLICTING_COPY.check)(&ctx).expect("check runs");
    crate::rules::sort(&mut found);
    found
}

fn orders_source(id: u32, file: &str) -> SourceInfo {
    source(
        id,
        Entity::Orders,
        file,
        Some("Orders"),
        &[("order_id", "A"), ("status", "C"), ("owner", "D"), ("total", "E")],
    )
}

fn orders(source: u32, rows: &[u32], ids: &[&str], status: &[Option<&str>]) -> DataFrame {
    let n = rows.len();
    let ids: Vec<Option<&str>> = ids.iter().map(|s| Some(*s)).collect();
    table(
        Entity::Orders,
        vec![
            u32s("_source", &vec![source; n]),
            u32s("_row", rows),
            strs("order_id", &ids),
            strs("status", status),
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

const MAIN: &str = "Orders Tracker.xlsx";
const JANET: &str = "Orders Tracker (Janet's copy).xlsx";

#[test]
fn diverged_status_is_flagged_in_each_copy() {
    let data = canonical(
        vec![orders_source(0, MAIN), orders_source(1, JANET)],
        vec![(
            Entity::Orders,
            stack(&[
                orders(
                    0,
                    &[2, 3, 4, 5],
                    &["SO-1042", "SO-1043", "SO-1044", "SO-1045"],
                    &[Some("packed"), Some("shipped"), Some("placed"), Some("paid")],
                ),
                orders(
                    1,
                    &[7, 8, 9],
                    &["SO-1043", " SO-1042 ", "SO-1045"],
                    &[Some("shipped"), Some("shipped"), None],
                ),
            ]),
        )],
    );
    let found = run(&data);
    assert_eq!(
        cells(&found),
        [
            (format!("{JANET} Orders!C8"), "conflicting_copy"),
            (format!("{MAIN} Orders!C2"), "conflicting_copy"),
        ]
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
    assert_eq!(found[0].related, [data.sources[0].location(2, Some("status"))]);
    assert_eq!(found[0].value.as_deref(), Some("shipped"));
}

#[test]
fn every_differing_field_is_named_and_the_first_one_is_the_cell() {
    let mut a = orders(0, &[2], &["SO-1"], &[Some("packed")]);
    a.with_column(strs("owner", &[Some("Janet")])).unwrap();
    a.with_column(decs("total", &[Some("120.5")])).unwrap();
    let mut b = orders(1, &[4], &["SO-1"], &[Some("packed")]);
    b.with_column(strs("owner", &[Some("Omar")])).unwrap();
    b.with_column(decs("total", &[Some("120.75")])).unwrap();
    let data = canonical(
        vec![orders_source(0, MAIN), orders_source(1, JANET)],
        vec![(Entity::Orders, stack(&[a, b]))],
    );
    let found = run(&data);
    assert_eq!(
        cells(&found),
        [
            (format!("{JANET} Orders!D4"), "conflicting_copy"),
            (format!("{MAIN} Orders!D2"), "conflicting_copy"),
        ]
    );
    assert_eq!(
        found[1].message,
        format!("owner is Janet here but Omar in {JANET} › Orders; total is 120.50 here but 120.75 there")
    );
    assert_eq!(found[0].value.as_deref(), Some("Omar"));
    assert_eq!(found[0].expected.as_deref(), Some("Janet"));
}

#[test]
fn empty_in_one_copy_trimmed_text_and_equal_decimals_are_not_conflicts() {
    let mut a = orders(0, &[2, 3], &["SO-1", "SO-2"], &[Some("packed"), None]);
    a.with_column(strs("owner", &[Some(" Janet "), None])).unwrap();
    a.with_column(decs("total", &[Some("120.5"), Some("9.99")])).unwrap();
    let mut b = orders(1, &[2, 3], &["SO-1", "SO-2"], &[None, Some("shipped")]);
    b.with_column(strs("owner", &[Some("Janet"), Some("Omar")])).unwrap();
    b.with_column(decs("total", &[Some("120.50"), None])).unwrap();
    let data = canonical(
        vec![orders_source(0, MAIN), orders_source(1, JANET)],
        vec![(Entity::Orders, stack(&[a, b]))],
    );
    assert_eq!(cells(&run(&data)), []);
}

#[test]
fn a_field_only_one_copy_maps_is_not_compared() {
    let janet = source(1, Entity::Orders, JANET, Some("Orders"), &[("order_id", "A"), ("owner", "B")]);
    let mut b = orders(1, &[2], &["SO-1"], &[None]);
    b.with_column(strs("status", &[Some("cancelled")])).unwrap();
    let data = canonical(
        vec![orders_source(0, MAIN), janet],
        vec![(
            Entity::Orders,
            stack(&[orders(0, &[2], &["SO-1"], &[Some("packed")]), b]),
        )],
    );
    assert_eq!(cells(&run(&data)), []);
}

#[test]
fn a_key_repeated_in_one_source_compares_its_first_occurrence_and_tainted_rows_are_skipped() {
    let data = |tainted: &[(u32, u32)]| {
        let mut c = canonical(
            vec![orders_source(0, MAIN), orders_source(1, JANET)],
            vec![(
                Entity::Orders,
                stack(&[
                    orders(0, &[2, 3, 4], &["SO-1", "SO-1", "SO-2"], &[Some("placed"), Some("shipped"), Some("paid")]),
                    orders(1, &[2, 3], &["SO-1", "SO-2"], &[Some("placed"), Some("packed")]),
                ]),
            )],
        );
        c.tainted = tainted.iter().copied().collect();
        c
    };
    assert_eq!(
        cells(&run(&data(&[]))),
        [
            (format!("{JANET} Orders!C3"), "conflicting_copy"),
            (format!("{MAIN} Orders!C4"), "conflicting_copy"),
        ]
    );
    assert_eq!(cells(&run(&data(&[(1, 3)]))), []);
}

#[test]
fn three_copies_name_each_other() {
    let data = canonical(
        vec![
            orders_source(0, "a.xlsx"),
            orders_source(1, "b.xlsx"),
            orders_source(2, "c.xlsx"),
        ],
        vec![(
            Entity::Orders,
            stack(&[
                orders(0, &[2], &["SO-1"], &[Some("packed")]),
                orders(1, &[5], &["SO-1"], &[Some("shipped")]),
                orders(2, &[9], &["SO-1"], &[Some("shipped")]),
            ]),
        )],
    );
    let found = run(&data);
    assert_eq!(
        cells(&found),
        [
            ("a.xlsx Orders!C2".to_string(), "conflicting_copy"),
            ("b.xlsx Orders!C5".to_string(), "conflicting_copy"),
            ("c.xlsx Orders!C9".to_string(), "conflicting_copy"),
        ]
    );
    assert_eq!(
        found[0].message,
        "status is packed here but shipped in b.xlsx › Orders; status is packed here but shipped in c.xlsx › Orders"
    );
    assert_eq!(found[0].related.len(), 2);
    assert_eq!(found[2].related, [data.sources[0].location(2, Some("status"))]);
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

fn lines(source: u32, rows: &[u32], line_no: &[i64], sku: &[&str], qty: &[i64]) -> DataFrame {
    let n = rows.len();
    table(
        Entity::OrderLines,
        vec![
            u32s("_source", &vec![source; n]),
            u32s("_row", rows),
            strs("order_id", &vec![Some("SO-7"); n]),
            ints("line_no", &line_no.iter().map(|v| Some(*v)).collect::<Vec<_>>()),
            strs("sku", &sku.iter().map(|v| Some(*v)).collect::<Vec<_>>()),
            ints("quantity", &qty.iter().map(|v| Some(*v)).collect::<Vec<_>>()),
        ],
    )
}

#[test]
fn order_lines_join_on_line_number_and_compare_skus_by_key() {
    let data = canonical(
        vec![lines_source(0, "a.xlsx", false), lines_source(1, "b.xlsx", false)],
        vec![(
            Entity::OrderLines,
            stack(&[
                lines(0, &[2, 3, 4], &[1, 2, 3], &["TNT-2P", "MAT-1", "LMP-9"], &[1, 2, 4]),
                lines(1, &[2, 3, 4], &[1, 2, 3], &[" tnt-2p", "MAT-2", "LMP-9"], &[1, 2, 5]),
            ]),
        )],
    );
    let found = run(&data);
    assert_eq!(
        cells(&found),
        [
            ("a.xlsx Lines!B3".to_string(), "conflicting_copy"),
            ("a.xlsx Lines!C4".to_string(), "conflicting_copy"),
            ("b.xlsx Lines!B3".to_string(), "conflicting_copy"),
            ("b.xlsx Lines!C4".to_string(), "conflicting_copy"),
        ]
    );
    assert_eq!(found[1].key.as_deref(), Some("SO-7/3"));
    assert_eq!(found[1].message, "quantity is 4 here but 5 in b.xlsx › Lines");
}

#[test]
fn order_lines_join_on_sku_when_a_source_derives_line_numbers() {
    let data = canonical(
        vec![lines_source(0, "a.xlsx", false), lines_source(1, "b.csv", true)],
        vec![(
            Entity::OrderLines,
            stack(&[
                lines(0, &[2, 3], &[1, 2], &["TNT-2P", "MAT-1"], &[1, 2]),
                lines(1, &[2, 3], &[1, 2], &["mat-1 ", "TNT-2P"], &[3, 1]),
            ]),
        )],
    );
    let found = run(&data);
    assert_eq!(
        cells(&found),
        [
            ("a.xlsx Lines!C3".to_string(), "conflicting_copy"),
            ("b.csv Lines!C2".to_string(), "conflicting_copy"),
        ]
    );
    assert_eq!(found[0].key.as_deref(), Some("SO-7/MAT-1"));
    assert_eq!(found[1].key.as_deref(), Some("SO-7/mat-1"));
}

#[test]
fn sources_of_different_entities_from_one_region_never_compare() {
    let mut lines_src = source(
        1,
        Entity::OrderLines,
        MAIN,
        Some("Orders"),
        &[("order_id", "A"), ("sku", "F"), ("quantity", "G")],
    );
    lines_src.region = 0;
    let other = source(2, Entity::OrderLines, JANET, Some("Orders"), &[("order_id", "A"), ("sku", "F"), ("quantity", "G")]);
    let mut l = lines(1, &[2], &[1], &["TNT-2P"], &[2]);
    l.vstack_mut(&lines(2, &[2], &[1], &["TNT-2P"], &[2])).unwrap();
    let data = canonical(
        vec![orders_source(0, MAIN), lines_src, other],
        vec![
            (Entity::Orders, orders(0, &[2], &["SO-7"], &[Some("packed")])),
            (Entity::OrderLines, l),
        ],
    );
    assert_eq!(cells(&run(&data)), []);
}

fn stock_source(id: u32, file: &str, located: bool) -> SourceInfo {
    let mut cols = vec![("sku", "A"), ("on_hand", "C")];
    if located {
        cols.push(("location", "B"));
    }
    source(id, Entity::Inventory, file, None, &cols)
}

fn stock(source: u32, rows: &[u32], sku: &[&str], loc: &[Option<&str>], on_hand: &[i64]) -> DataFrame {
    let n = rows.len();
    table(
        Entity::Inventory,
        vec![
            u32s("_source", &vec![source; n]),
            u32s("_row", rows),
            strs("sku", &sku.iter().map(|v| Some(*v)).collect::<Vec<_>>()),
            strs("location", loc),
            ints("on_hand", &on_hand.iter().map(|v| Some(*v)).collect::<Vec<_>>()),
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
                stock(0, &[2], &["TNT-2P"], &[None], &[5]),
                stock(1, &[2, 3], &["TNT-2P", "TNT-2P"], &[Some("MAIN"), Some("main ")], &[7, 7]),
                stock(2, &[4], &[" tnt-2p"], &[None], &[9]),
            ]),
        )],
    );
    let found = run(&data);
    assert_eq!(
        cells(&found),
        [
            ("a.csv C2".to_string(), "conflicting_copy"),
            ("c.csv C4".to_string(), "conflicting_copy"),
        ]
    );
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
    assert_eq!(
        cells(&run(&both)),
        [
            ("a.csv B2".to_string(), "conflicting_copy"),
            ("b.csv B2".to_string(), "conflicting_copy"),
        ]
    );
    let one = canonical(
        vec![ship(0, "a.csv", true), ship(1, "b.csv", false)],
        vec![(Entity::Shipments, rows)],
    );
    assert_eq!(cells(&run(&one)), []);
}

#[test]
fn key_texts() {
    assert_eq!(line_key(" SO-1 ", Some("2"), "X"), "SO-1/2");
    assert_eq!(line_key("SO-1", None, " TNT-2P "), "SO-1/TNT-2P");
    assert_eq!(inventory_key("TNT-2P", Some("MAIN")), "TNT-2P @ MAIN");
    assert_eq!(count_key("TNT-2P", None, "2026-11-20"), "TNT-2P on 2026-11-20");
}
