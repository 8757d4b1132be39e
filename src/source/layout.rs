//! Finding the table in a sheet the way a person does: skip title rows and notes
//! above the header, take the header row, then the data rows down to the end,
//! setting aside blank separator rows, totals and subtotal rows, and notes below.
//! A sheet that holds no table (a summary, a notes sheet) says why.

use super::grid::{CellRef, Grid};
use super::{Merge, Sheet};

mod rows;
use rows::classify_rows;
pub use rows::{RowFlags, cell_flags};

/// How many rows from the top are searched for the header.
const HEADER_SEARCH_ROWS: usize = 50;

/// The table a sheet holds, by grid rows (0-based) and columns (0-based).
#[derive(Debug, Clone, PartialEq, Default)]
pub struct TableRegion {
    pub header_row: usize,
    /// Non-empty rows above the header: titles, notes, report parameters.
    pub title_rows: Vec<usize>,
    pub columns: Vec<RegionColumn>,
    pub data_rows: Vec<u32>,
    pub blank_rows: Vec<u32>,
    pub totals_rows: Vec<u32>,
    pub notes_below: Vec<u32>,
    /// Merged values copied down over the data rows they cover.
    pub fills: Vec<Fill>,
    /// Columns with a value in every row below the header.
    pub full_columns: Vec<u32>,
}

/// A column of the table and its header text ("" when the column has data but
/// no header, as extra fields of ragged rows do).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RegionColumn {
    pub col: u32,
    pub header: String,
}

/// A merged value filled down: the anchor cell and the grid rows it was copied to.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Fill {
    pub merge: Merge,
    pub rows: Vec<u32>,
}

#[derive(Debug, Clone, PartialEq)]
pub enum Layout {
    Table(TableRegion),
    NoTable { reason: String },
}

/// Per-row counts used to recognise headers, titles and data.
#[derive(Debug, Clone, Copy, Default)]
struct RowShape {
    nonempty: usize,
    /// Text that does not read as a number or a date.
    words: usize,
    numbers: usize,
    first: usize,
    last: usize,
}

fn shape(grid: &Grid, row: usize) -> RowShape {
    let mut s = RowShape {
        first: usize::MAX,
        ..RowShape::default()
    };
    for col in 0..grid.cols() {
        let cell = grid.get(row, col);
        if cell.is_empty() {
            continue;
        }
        s.nonempty += 1;
        s.first = s.first.min(col);
        s.last = col;
        match cell {
            CellRef::Text(t) if !looks_numeric(t) => s.words += 1,
            CellRef::Text(_) | CellRef::Number(_) | CellRef::DateTime(_) | CellRef::Duration(_) => {
                s.numbers += 1
            }
            _ => {}
        }
    }
    s
}

/// "12", "-3.5", "1,234.00", "2025-04-03", "03/04/2025": values, not header words.
fn looks_numeric(t: &str) -> bool {
    let t = t.trim();
    !t.is_empty()
        && t.chars().any(|c| c.is_ascii_digit())
        && t.chars().all(|c| {
            c.is_ascii_digit()
                || matches!(
                    c,
                    '.' | ',' | '-' | '/' | ':' | ' ' | '+' | '%' | '$' | '€' | '£'
                )
        })
}

/// A merge that spans most of a row is a title or a banner, not a header.
fn is_banner(sheet: &Sheet, row: usize, shape: &RowShape) -> bool {
    shape.nonempty == 1
        && sheet.merges.iter().any(|m| {
            m.first_row as usize <= row && row <= m.last_row as usize && m.last_col > m.first_col
        })
}

/// Detects the table of a sheet.
pub fn detect(sheet: &Sheet) -> Layout {
    let grid = &sheet.grid;
    if grid.rows() == 0 || grid.cols() == 0 {
        return Layout::NoTable {
            reason: "the sheet is empty".into(),
        };
    }
    let top = grid.rows().min(HEADER_SEARCH_ROWS);
    let shapes: Vec<RowShape> = (0..top).map(|r| shape(grid, r)).collect();
    let Some(header_row) = find_header(sheet, &shapes) else {
        return no_table_reason(sheet, &shapes);
    };
    let header = shapes[header_row];
    let title_rows = (0..header_row)
        .filter(|&r| shapes[r].nonempty > 0)
        .collect();
    let mut region = TableRegion {
        header_row,
        title_rows,
        ..TableRegion::default()
    };
    classify_rows(sheet, &mut region, header.nonempty);
    region.columns = columns(grid, header_row, &region.data_rows);
    if let Some(reason) = summary_reason(sheet, &region) {
        return Layout::NoTable { reason };
    }
    Layout::Table(region)
}

/// The table when a person has said which row is the header (offsheet.toml's
/// `header_row`, 1-based as shown), whatever detection would choose.
pub fn detect_with_header(sheet: &Sheet, header_row: usize) -> Layout {
    let grid = &sheet.grid;
    if header_row >= grid.rows() {
        return Layout::NoTable {
            reason: format!("the sheet has no row {}", header_row + 1),
        };
    }
    let header = shape(grid, header_row);
    let mut region = TableRegion {
        header_row,
        title_rows: (0..header_row).filter(|&r| !grid.row_is_blank(r)).collect(),
        ..TableRegion::default()
    };
    classify_rows(sheet, &mut region, header.nonempty);
    region.columns = columns(grid, header_row, &region.data_rows);
    Layout::Table(region)
}

/// The first row that reads as a header: at least two words, mostly words, as
/// wide as the rows below it, not a banner, and followed by a non-blank row.
fn find_header(sheet: &Sheet, shapes: &[RowShape]) -> Option<usize> {
    for (r, s) in shapes.iter().enumerate() {
        if s.words < 2 || s.words * 10 < s.nonempty * 6 || is_banner(sheet, r, s) {
            continue;
        }
        let below: Vec<&RowShape> = shapes[r + 1..]
            .iter()
            .filter(|b| b.nonempty > 0)
            .take(20)
            .collect();
        let widest_below = below.iter().map(|b| b.nonempty).max().unwrap_or(0);
        if widest_below > 0 && s.nonempty * 2 < widest_below {
            continue; // a short caption above a wider table
        }
        // A header-only sheet (a template) is still a table, with no rows.
        if below.is_empty() && r + 1 < sheet.grid.rows().min(HEADER_SEARCH_ROWS) {
            continue;
        }
        return Some(r);
    }
    None
}

fn no_table_reason(sheet: &Sheet, shapes: &[RowShape]) -> Layout {
    let filled: Vec<&RowShape> = shapes.iter().filter(|s| s.nonempty > 0).collect();
    let reason = if filled.is_empty() {
        "the sheet is empty".to_string()
    } else if filled.iter().all(|s| s.nonempty == 1) {
        "notes: text in a single column, no header row".to_string()
    } else if filled.iter().all(|s| s.words == 0) {
        "no header row: the first rows hold numbers and dates, not column names".to_string()
    } else if !sheet.formulas.is_empty() {
        "a summary: labels and formulas, no header row over records".to_string()
    } else {
        "no header row found in the first 50 rows".to_string()
    };
    Layout::NoTable { reason }
}

fn columns(grid: &Grid, header_row: usize, data_rows: &[u32]) -> Vec<RegionColumn> {
    let mut out = Vec::new();
    for col in 0..grid.cols() {
        let header = match grid.get(header_row, col) {
            CellRef::Text(t) => t.trim().to_string(),
            CellRef::Number(n) => format_number(n),
            CellRef::Empty => String::new(),
            other => format!("{other:?}"),
        };
        let has_data = !header.is_empty()
            || grid
                .column(col)
                .is_some_and(|c| data_rows.iter().any(|&r| !c.get(r as usize).is_empty()));
        if has_data {
            out.push(RegionColumn {
                col: col as u32,
                header,
            });
        }
    }
    out
}

fn format_number(n: f64) -> String {
    if n.fract() == 0.0 && n.abs() < 1e15 {
        format!("{}", n as i64)
    } else {
        format!("{n}")
    }
}

/// A table whose values are mostly formulas over other sheets is a summary.
fn summary_reason(sheet: &Sheet, region: &TableRegion) -> Option<String> {
    if sheet.formulas.is_empty() || region.data_rows.is_empty() || region.data_rows.len() > 200 {
        return None;
    }
    let grid = &sheet.grid;
    let mut values = 0usize;
    let mut aggregates = 0usize;
    for &row in &region.data_rows {
        for c in &region.columns {
            if grid.get(row as usize, c.col as usize).is_empty() {
                continue;
            }
            values += 1;
            if let Some(f) = sheet.formula_at(row, c.col) {
                let u = f.text.to_ascii_uppercase();
                let aggregate = [
                    "SUMIF",
                    "COUNTIF",
                    "AVERAGEIF",
                    "SUMPRODUCT",
                    "GETPIVOTDATA",
                    "COUNTA(",
                    "SUM(",
                ]
                .iter()
                .any(|a| u.contains(a));
                if aggregate && u.contains('!') {
                    aggregates += 1;
                }
            }
        }
    }
    (values > 0 && aggregates * 3 >= values).then(|| {
        format!(
            "a summary: {aggregates} of {values} values are aggregate formulas over other sheets"
        )
    })
}

/// Copies merged values down over the data rows they cover and records each fill.
pub fn fill_merged(sheet: &mut Sheet, region: &mut TableRegion) {
    let merges: Vec<Merge> = sheet
        .merges
        .iter()
        .filter(|m| m.last_row > m.first_row && m.first_row as usize > region.header_row)
        .copied()
        .collect();
    for m in merges {
        let rows: Vec<u32> = region
            .data_rows
            .iter()
            .copied()
            .filter(|&r| r > m.first_row && r <= m.last_row)
            .collect();
        if rows.is_empty() {
            continue;
        }
        // The value lives in the anchor cell and belongs to the anchor's column;
        // a covered cell with text of its own (Excel keeps it) is left as it is.
        let c = m.first_col as usize;
        for &r in &rows {
            if sheet.grid.get(r as usize, c).is_empty() {
                let _ = sheet
                    .grid
                    .copy_cell((m.first_row as usize, c), (r as usize, c));
            }
        }
        region.fills.push(Fill { merge: m, rows });
    }
}

#[cfg(test)]
mod tests {
    use super::rows::{cell_flags, is_totals_label, row_flags};
    use super::*;

    /// The table detected in a CSV file of this text.
    fn csv_region(text: &[u8]) -> TableRegion {
        let (sheet, _) = crate::source::csv::read_csv(
            (text, crate::source::csv::Backing::Memory),
            "t.csv",
            "csv",
            None,
            1,
        )
        .unwrap();
        let Layout::Table(region) = detect(&sheet) else {
            panic!("no table");
        };
        region
    }

    #[test]
    fn columns_with_a_value_in_every_row_are_known() {
        let text = b"Order,Line,SKU,Note\nSO-1,1,A,\nSO-1,2,B,gift\nSO-2,1,,\n";
        let region = csv_region(text);
        assert_eq!(region.data_rows, [1, 2, 3]);
        // SKU is empty on row 4, Note on rows 2 and 4.
        assert_eq!(region.full_columns, [0, 1]);
    }

    #[test]
    fn runs_of_data_rows_stop_at_blank_totals_and_note_rows() {
        // Data, a blank separator, more data, a totals row, then a note
        // after a gap; the data rows between them are taken a run at a time.
        let text = b"Order,Line,SKU,Qty\nSO-1,1,A,2\nSO-1,2,B,3\n,,,\nSO-2,1,C,4\n\
            Total,,,9\n,,,\nNote: figures from the ERP export of Monday\n";
        let region = csv_region(text);
        assert_eq!(region.data_rows, [1, 2, 4]);
        assert_eq!(region.blank_rows, [3, 6]);
        assert_eq!(region.totals_rows, [5]);
        assert_eq!(region.notes_below, [7]);
    }

    #[test]
    fn rows_are_flagged_alike_on_both_sides_of_a_range_boundary() {
        // 70,000 records read in chunks: ranges of 65,536 rows meet inside
        // them. A blank row on the boundary, a totals row after it.
        let mut text = String::from("Order,Qty,Note\n");
        for i in 1..70_000 {
            match i {
                65_535 => text.push_str(",,\n"),
                69_999 => text.push_str("Total,12,\n"),
                _ => text.push_str(&format!("SO-{i},1,n\n")),
            }
        }
        text.push_str("SO-x,1,\n");
        let (sheet, _) = crate::source::csv::read_csv(
            (text.as_bytes(), crate::source::csv::Backing::Memory),
            "t.csv",
            "csv",
            None,
            4,
        )
        .unwrap();
        let (blank, label, full) = row_flags(&sheet, 0);
        assert_eq!(blank.len(), sheet.grid.rows());
        let blanks: Vec<usize> = (0..blank.len()).filter(|&r| blank[r]).collect();
        let labels: Vec<usize> = (0..label.len()).filter(|&r| label[r]).collect();
        assert_eq!(blanks, [65_535]);
        assert_eq!(labels, [69_999]);
        // Order and Qty are empty only on the blank row; Note also on the last.
        assert_eq!(full, Vec::<u32>::new());
        let Layout::Table(region) = detect(&sheet) else {
            panic!("no table");
        };
        assert_eq!(region.totals_rows, [69_999]);
        assert_eq!(region.blank_rows, [65_535]);
        assert_eq!(region.data_rows.len(), 70_000 - 2);
        // The reader's flags and a look at every cell agree, range by range.
        let mut bare = sheet.clone();
        bare.row_flags = None;
        assert_eq!(row_flags(&bare, 0), (blank, label, full));
    }

    proptest::proptest! {
        /// Flags the CSV reader worked out as it split the records are the
        /// ones a look at every cell of the grid gives, below any header row.
        #[test]
        fn flags_from_the_reader_equal_flags_from_the_cells(
            cells in proptest::collection::vec(
                proptest::sample::select(vec!["", " ", "\u{a0}", "x", "SO-1", "Total", " total: ", "Summe", "12", "\"a\"", "\n", "\n\n"]),
                1..120,
            ),
            header_row in 0usize..3,
        ) {
            let text = cells.join(",");
            let Ok((sheet, _)) = crate::source::csv::read_csv(
                (text.as_bytes(), crate::source::csv::Backing::Memory),
                "t.csv",
                "csv",
                None,
                1,
            ) else {
                return Ok(());
            };
            proptest::prop_assert!(sheet.row_flags.is_some());
            let mut bare = sheet.clone();
            bare.row_flags = None;
            proptest::prop_assert_eq!(row_flags(&sheet, header_row), row_flags(&bare, header_row));
        }
    }

    #[test]
    fn a_cell_is_filled_unless_blank_and_a_label_only_when_filled() {
        use crate::source::grid::trimmed;
        let cases = [
            ("", false, false),
            ("   ", false, false),
            ("\u{a0}\t", false, false),
            ("12.50", true, false),
            ("SKU-1", true, false),
            ("SUM", true, true),
            ("Summary", true, false),
            (" Total: ", true, true),
            ("\u{a0}Grand total", true, true),
            ("Total général", true, true),
            ("#REF!", true, false),
        ];
        for (text, filled, label) in cases {
            assert_eq!(cell_flags(text.as_bytes()), (filled, label), "{text:?}");
            // The same as trimming the cell and reading it as a label.
            let by_text = !trimmed(text).is_empty();
            assert_eq!((filled, label), (by_text, by_text && is_totals_label(text)));
        }
    }

    #[test]
    fn totals_labels_in_several_languages_and_cases() {
        for label in [
            "Total",
            "TOTAL:",
            "Grand Total",
            "Subtotal EUR",
            "Summe",
            "Total général",
            "Zwischensumme",
            " totals ",
            "Gesamt",
            "Sous-total",
            "Overall total",
            "Sub-total",
            "sum",
        ] {
            assert!(is_totals_label(label), "{label}");
        }
        // Every label of the list passes the quick first-letters check.
        for label in [
            "total",
            "grand total",
            "subtotal",
            "summe",
            "gesamtsumme",
            "totales",
        ] {
            assert!(is_totals_label(&label.to_uppercase()), "{label}");
        }
        for text in [
            "Totally fine tent",
            "shipped",
            "SO-1042",
            "Sum of parts of a very long description that goes on",
            "Totaled",
            "SKU-00017",
        ] {
            assert!(!is_totals_label(text), "{text}");
        }
    }
}
