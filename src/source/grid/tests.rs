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

#[test]
fn a_range_of_rows_is_visited_across_parts() {
    let mut c = TextColumn::default();
    for t in ["a", "", "ccc"] {
        c.push(t).unwrap();
    }
    let mut d = TextColumn::default();
    for t in ["d", "ee"] {
        d.push(t).unwrap();
    }
    c.append(d);
    let visit = |rows: std::ops::Range<usize>| {
        let mut seen = Vec::new();
        c.for_each_text_in(rows, |row, t| seen.push((row, t.to_string())));
        seen
    };
    let s = |row: usize, t: &str| (row, t.to_string());
    // Starting inside the first part, ending inside the second.
    assert_eq!(visit(1..4), [s(1, ""), s(2, "ccc"), s(3, "d")]);
    assert_eq!(visit(4..9), [s(4, "ee")]);
    assert_eq!(visit(0..0), []);
    assert_eq!(visit(7..9), []);
    let mut all = Vec::new();
    c.for_each_text(|row, t| all.push((row, t.to_string())));
    assert_eq!(all, visit(0..5));
}

#[test]
fn runs_and_scattered_rows_read_as_get_does() {
    let mut c = TextColumn::default();
    for t in ["a", "", "ccc", "dd"] {
        c.push(t).unwrap();
    }
    let mut d = TextColumn::default();
    for t in ["e", "ff", "g"] {
        d.push(t).unwrap();
    }
    c.append(d);
    let mut e = TextColumn::default();
    e.push("h").unwrap();
    c.append(e);
    let cases: [&[u32]; 8] = [
        &[0, 1, 2, 3, 4, 5, 6, 7],
        &[2, 3, 4, 5],
        &[5, 6, 7, 8, 9],
        &[10, 11],
        &[3],
        &[],
        &[6, 2, 2, 7, 0],
        &[1, 3, 5, 7, 9],
    ];
    for rows in cases {
        let expected: Vec<&str> = rows.iter().map(|&r| c.get(r as usize)).collect();
        let it = c.texts_at(rows);
        assert_eq!(it.len(), rows.len(), "{rows:?}");
        assert_eq!(it.collect::<Vec<_>>(), expected, "{rows:?}");
        if let Some(range) = consecutive(rows) {
            let run = c.run(range);
            assert_eq!(run.len(), rows.len(), "{rows:?}");
            assert_eq!(run.collect::<Vec<_>>(), expected, "{rows:?}");
        }
    }
    assert_eq!(consecutive(&[4, 5, 6]), Some(4..7));
    assert_eq!(consecutive(&[4, 6]), None);
    assert_eq!(consecutive(&[]), None);
    assert_eq!(consecutive(&[7]), Some(7..8));
    // The right ends and length, rows out of order: not consecutive.
    assert_eq!(consecutive(&[4, 6, 5, 7]), None);
    assert_eq!(
        consecutive(&[u32::MAX - 1, u32::MAX]),
        Some(u32::MAX as usize - 1..u32::MAX as usize + 1)
    );
    // Over several blocks of rows, a swap in a later block is seen.
    let mut long: Vec<u32> = (3..10_003).collect();
    assert_eq!(consecutive(&long), Some(3..10_003));
    long.swap(9_000, 9_001);
    assert_eq!(consecutive(&long), None);
}
