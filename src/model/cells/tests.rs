use super::*;
use crate::model::Entity;
use crate::model::slots::Slots;
use crate::source::grid::{CellErrorKind, Grid};

fn sheet(cells: &[(u32, u32, CellRef<'static>)]) -> Sheet {
    let mut b = Grid::builder();
    for &(r, c, v) in cells {
        b.set(r, c, v).unwrap();
    }
    Sheet::new(Some("S".into()), b.finish())
}

fn field(entity: Entity, name: &str) -> &'static Field {
    entity.field(name).unwrap()
}

#[test]
fn dates_in_every_form_and_the_ones_that_fail() {
    let s = sheet(&[
        (1, 0, CellRef::DateTime(46_331.0)),
        (2, 0, CellRef::Text("03/11/2026")),
        (3, 0, CellRef::Text("31/02/2026")),
        (4, 0, CellRef::Text("n/a")),
        (5, 0, CellRef::Text("25/11/2026")),
        (6, 0, CellRef::Number(46_331.0)),
        (7, 0, CellRef::Error(CellErrorKind::Ref)),
    ]);
    let p = read_column(
        &s,
        0,
        &[1, 2, 3, 4, 5, 6, 7],
        field(Entity::Invoices, "invoiced_at"),
    );
    let d = |y, m, day| Some(days(NaiveDate::from_ymd_opt(y, m, day).unwrap()));
    assert_eq!(
        p.values,
        Values::Date(Slots::from(vec![
            d(2026, 11, 5),
            d(2026, 11, 3),
            None,
            None,
            d(2026, 11, 25),
            d(2026, 11, 5),
            None
        ]))
    );
    let problems: Vec<_> = p
        .problems
        .iter()
        .map(|p| (p.index, p.category, p.raw.as_str()))
        .collect();
    assert_eq!(
        problems,
        [
            (2, Category::InvalidType, "31/02/2026"),
            (6, Category::FormulaError, "#REF!")
        ]
    );
    assert!(p.decision.unwrap().starts_with("invoiced_at: day-first"));
}

#[test]
fn quantities_and_money() {
    let s = sheet(&[
        (0, 0, CellRef::Number(3.0)),
        (1, 0, CellRef::Text("ten")),
        (2, 0, CellRef::Text("-1")),
        (3, 0, CellRef::Text("2")),
        (0, 1, CellRef::Text("$1,234.50")),
        (1, 1, CellRef::Number(12.1)),
        (2, 1, CellRef::Text("-3")),
        (3, 1, CellRef::Text("NULL")),
    ]);
    let q = read_column(&s, 0, &[0, 1, 2, 3], field(Entity::OrderLines, "quantity"));
    assert_eq!(
        q.values,
        Values::Int(Slots::from(vec![Some(3), None, Some(-1), Some(2)]))
    );
    let cats: Vec<_> = q.problems.iter().map(|p| (p.index, p.category)).collect();
    assert_eq!(
        cats,
        [(1, Category::InvalidType), (2, Category::InvalidValue)]
    );
    let p = read_column(
        &s,
        1,
        &[0, 1, 2, 3],
        field(Entity::OrderLines, "unit_price"),
    );
    assert_eq!(
        p.values,
        Values::Decimal(Slots::from(vec![
            Some(1_234_500_000),
            Some(12_100_000),
            Some(-3_000_000),
            None
        ]))
    );
    assert_eq!(p.problems.len(), 1);
    assert_eq!(p.problems[0].reason, "a negative price");
}

#[test]
fn identifiers_statuses_and_currencies() {
    let s = sheet(&[
        (0, 0, CellRef::Text(" 0017 ")),
        (1, 0, CellRef::Number(10248.0)),
        (0, 1, CellRef::Text("Dispatched")),
        (1, 1, CellRef::Text("Shipped??")),
        (0, 2, CellRef::Text("eur")),
        (1, 2, CellRef::Text("EURO")),
    ]);
    let ids = read_column(&s, 0, &[0, 1], field(Entity::Orders, "order_id"));
    assert_eq!(ids.values.text(0).as_deref(), Some("0017"));
    assert_eq!(ids.values.text(1).as_deref(), Some("10248"));
    let st = read_column(&s, 1, &[0, 1], field(Entity::Orders, "status"));
    assert_eq!(st.values.text(0).as_deref(), Some("shipped"));
    assert_eq!(
        (st.problems[0].index, st.problems[0].category),
        (1, Category::InvalidValue)
    );
    let cur = read_column(&s, 2, &[0, 1], field(Entity::Orders, "currency"));
    assert_eq!(cur.values.text(0).as_deref(), Some("EUR"));
    assert_eq!(cur.problems[0].raw, "EURO");
}

#[test]
fn a_1904_workbook_reads_plain_serials_in_its_own_system() {
    let mut s = sheet(&[(0, 0, CellRef::Number(44_869.0))]);
    s.date1904 = true;
    let p = read_column(&s, 0, &[0], field(Entity::Shipments, "shipped_at"));
    assert_eq!(
        p.values,
        Values::Date(Slots::from(vec![Some(days(
            NaiveDate::from_ymd_opt(2026, 11, 5).unwrap()
        ))]))
    );
}

#[test]
fn plain_decimals_match_the_full_parser() {
    for (text, mark) in [
        ("12.5", DecimalMark::Point),
        ("-0.125", DecimalMark::Point),
        ("+7", DecimalMark::Point),
        ("12,50", DecimalMark::Comma),
        ("1234567.123456", DecimalMark::Point),
        ("0", DecimalMark::Point),
    ] {
        let fast = plain_decimal(text.as_bytes(), mark);
        let full = parse_decimal(text, mark).ok().and_then(to_mantissa);
        assert_eq!(fast, full, "{text}");
        assert!(fast.is_some(), "{text}");
    }
    // A mark with no places: the whole number, as before the full parser.
    assert_eq!(plain_decimal(b"12.", DecimalMark::Point), Some(12_000_000));
    assert_eq!(plain_decimal(b"0,", DecimalMark::Comma), Some(0));
    for text in [
        "1,234.50",
        "$12",
        "(3)",
        "12.1234567",
        "1e3",
        "-",
        ".",
        "12.5.1",
        "ten",
    ] {
        assert_eq!(
            plain_decimal(text.as_bytes(), DecimalMark::Point),
            None,
            "{text}"
        );
    }
}

#[test]
fn amounts_beyond_what_the_tables_hold_are_out_of_range_at_their_cell() {
    // The largest amount an Int64 mantissa at six places holds, one
    // millionth more, ten trillion, and the same beyond in a number cell.
    let s = sheet(&[
        (1, 0, CellRef::Text("9223372036854.775807")),
        (2, 0, CellRef::Text("9223372036854.775808")),
        (3, 0, CellRef::Text("-10,000,000,000,000.00")),
        (4, 0, CellRef::Number(1e16)),
        (5, 0, CellRef::Text("12.50")),
    ]);
    let p = read_column(&s, 0, &[1, 2, 3, 4, 5], field(Entity::Invoices, "amount"));
    assert_eq!(
        p.values,
        Values::Decimal(Slots::from(vec![
            Some(i64::MAX),
            None,
            None,
            None,
            Some(12_500_000)
        ]))
    );
    let problems: Vec<_> = p
        .problems
        .iter()
        .map(|p| (p.index, p.category, p.raw.as_str(), p.reason.as_str()))
        .collect();
    assert_eq!(
        problems,
        [
            (
                1,
                Category::InvalidType,
                "9223372036854.775808",
                "amount out of range"
            ),
            (
                2,
                Category::InvalidType,
                "-10,000,000,000,000.00",
                "amount out of range"
            ),
            (
                3,
                Category::InvalidType,
                "10000000000000000",
                "amount out of range"
            ),
        ]
    );
}

proptest::proptest! {
    #[test]
    fn plain_decimals_never_disagree_with_the_full_parser(m in -1_000_000_000_000i64..1_000_000_000_000, scale in 0u32..=6) {
        let d = rust_decimal::Decimal::new(m, scale);
        let text = d.to_string();
        proptest::prop_assert_eq!(plain_decimal(text.as_bytes(), DecimalMark::Point), to_mantissa(d));
    }

    /// Amounts of 10^12 units and more take the 128-bit path; up to 10^17
    /// (beyond 9.2 × 10^12 both say out of range).
    #[test]
    fn large_plain_decimals_agree_too(m in -100_000_000_000_000_000i64..100_000_000_000_000_000, scale in 0u32..=6) {
        let d = rust_decimal::Decimal::new(m, scale);
        let text = d.to_string();
        proptest::prop_assert_eq!(plain_decimal(text.as_bytes(), DecimalMark::Point), to_mantissa(d));
    }
}

proptest::proptest! {
    /// Whatever text the plain reader of amounts accepts, the full parser
    /// reads as the same amount, with either decimal mark; except a whole
    /// number with a mark and no places after it ("12."), which the plain
    /// reader takes as the whole number and the full parser refuses.
    #[test]
    fn plain_decimals_accept_only_what_the_full_parser_reads_alike(
        text in "[-+]?[0-9]{0,20}([.,][0-9]{0,8})?[.,x ]?",
        comma in proptest::bool::ANY,
    ) {
        let mark = if comma { DecimalMark::Comma } else { DecimalMark::Point };
        if let Some(fast) = plain_decimal(text.as_bytes(), mark) {
            let point = if comma { ',' } else { '.' };
            let checked = match text.strip_suffix(point) {
                Some(whole) => format!("{whole}{point}0"),
                None => text.clone(),
            };
            let full = parse_decimal(&checked, mark).ok().and_then(to_mantissa);
            proptest::prop_assert_eq!(Some(fast), full, "{}", text);
        }
    }

    /// Plain digits read without the standard parser give what it gives;
    /// anything else is left to it.
    #[test]
    fn plain_ints_agree_with_the_standard_parser(n in 0u64..1_000_000_000_000_000_000, zeros in 0usize..3) {
        let text = format!("{}{n}", "0".repeat(zeros));
        let expected = text.parse::<i64>().ok().filter(|_| text.len() <= 18);
        proptest::prop_assert_eq!(super::plain_int(text.as_bytes()), expected);
    }
}

#[test]
fn signs_spaces_and_long_numbers_take_the_full_parser() {
    for text in [
        "+5",
        "-3",
        " 7",
        "7 ",
        "",
        "1,000",
        "1234567890123456789",
        "12a",
    ] {
        assert_eq!(super::plain_int(text.as_bytes()), None, "{text}");
    }
    assert_eq!(super::plain_int(b"0042"), Some(42));
    assert_eq!(
        super::plain_int(b"999999999999999999"),
        Some(999_999_999_999_999_999)
    );
}

/// A text column in three parts, as a file read in three chunks gives it.
fn three_parts(cells: &[&str]) -> crate::source::grid::TextColumn {
    use crate::source::grid::TextColumn;
    let mut column = TextColumn::default();
    for chunk in cells.chunks(cells.len().div_ceil(3)) {
        let mut part = TextColumn::default();
        for c in chunk {
            part.push(c).unwrap();
        }
        column.append(part);
    }
    column
}

#[test]
fn a_column_read_part_by_part_reads_as_the_whole_column() {
    // Values, empty cells, null markers and problems in every part; rows that
    // start and end inside parts, and rows past the column's end.
    let quantities = three_parts(&["1", "2", "x", "", "4", "n/a", "0", "7", "-1", "9"]);
    let skus = three_parts(&[" A ", "b", "#REF!", "", "n/a", "SKU-1", "c", "d", "e", "f"]);
    // A negative price is kept with its problem; spaces take the full parser.
    let prices = three_parts(&[
        "1.5", "-2", " 3 ", "oops", "", "4..5", "0.125", "n/a", "-0", "8",
    ]);
    assert_eq!(quantities.parts(), 3);
    for (column, field) in [
        (quantities, field(Entity::OrderLines, "quantity")),
        (skus, field(Entity::OrderLines, "sku")),
        (prices, field(Entity::OrderLines, "unit_price")),
    ] {
        let column = Column::Text(column);
        for rows in [0..10u32, 2..9, 5..13, 10..12] {
            let rows: Vec<u32> = rows.collect();
            let whole = read_cells(Some(&column), false, &rows, field);
            let run = crate::source::grid::consecutive(&rows);
            let by_parts = read_cells_owned(column.clone(), false, (&rows, run), field);
            assert_eq!(by_parts, whole, "{} rows {rows:?}", field.name);
        }
    }
    let prices = read_cells_owned(
        Column::Text(three_parts(&["1.5", "oops", "2", "3", "", "4..5"])),
        false,
        (&[1, 2, 3, 4, 5], Some(1..6)),
        field(Entity::OrderLines, "unit_price"),
    );
    let problems: Vec<_> = prices
        .problems
        .iter()
        .map(|p| (p.index, p.raw.as_str()))
        .collect();
    assert_eq!(problems, [(0, "oops"), (4, "4..5")]);
}
