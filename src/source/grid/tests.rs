use super::*;

#[test]
fn trimming_agrees_with_str_trim() {
    for t in [
        "",
        " ",
        "SKU-1",
        " SKU-1",
        "SKU-1\t",
        "\u{a0}x\u{a0}",
        "Zähler",
        " ä ",
        "\r\n",
    ] {
        assert_eq!(trimmed(t), t.trim(), "{t:?}");
    }
}

#[test]
fn text_columns_hold_cells_back_to_back() {
    let mut c = TextColumn::default();
    c.push("0017").unwrap();
    c.push("").unwrap();
    c.push("Zählmenge").unwrap();
    c.pad(2);
    assert_eq!(c.len(), 5);
    assert_eq!(c.get(0), "0017");
    assert_eq!(c.get(1), "");
    assert_eq!(c.get(2), "Zählmenge");
    assert_eq!(c.get(4), "");
    assert_eq!(c.get(9), "");
    let mut d = TextColumn::default();
    d.push("x").unwrap();
    d.push("y").unwrap();
    c.append(d);
    assert_eq!((c.len(), c.get(5), c.get(6), c.get(7)), (7, "x", "y", ""));
    c.pad(1);
    assert_eq!((c.len(), c.get(7)), (8, ""));
}

#[test]
fn workbook_grids_are_sparse_friendly() {
    let mut b = Grid::builder();
    b.set(2, 1, CellRef::Text("Order #")).unwrap();
    b.set(3, 1, CellRef::Number(17.0)).unwrap();
    b.set(3, 3, CellRef::Error(CellErrorKind::Ref)).unwrap();
    let g = b.finish();
    assert_eq!((g.rows(), g.cols()), (4, 4));
    assert_eq!(g.get(2, 1), CellRef::Text("Order #"));
    assert_eq!(g.get(3, 3), CellRef::Error(CellErrorKind::Ref));
    assert_eq!(g.get(0, 0), CellRef::Empty);
    assert!(g.row_is_blank(1));
    assert!(!g.row_is_blank(3));
}

#[test]
fn copying_a_cell_fills_a_merged_area() {
    let mut b = Grid::builder();
    b.set(1, 0, CellRef::Text("SO-1")).unwrap();
    b.set(3, 1, CellRef::Number(1.0)).unwrap();
    let mut g = b.finish();
    g.copy_cell((1, 0), (2, 0)).unwrap();
    g.copy_cell((1, 0), (3, 0)).unwrap();
    assert_eq!(g.get(3, 0), CellRef::Text("SO-1"));
}
