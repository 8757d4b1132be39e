//! Reading shadow spreadsheets as they really are: workbooks through calamine and
//! delimited text through csv, into sheets of cells that remember where each value
//! came from (file, sheet, row, column, A1 cell).

pub mod a1;
pub mod csv;
pub mod encoding;
pub mod error;
pub mod grid;
pub mod hazards;
pub mod layout;
pub mod open;
pub mod walk;
pub mod workbook;
mod xml_extras;

pub use error::ReadError;
pub use grid::{CellErrorKind, CellRef, Grid};
pub use layout::{Layout, TableRegion};
pub use open::{ReadOptions, read_file};

use std::path::PathBuf;

/// The kinds of file offsheet reads.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, serde::Serialize)]
#[serde(rename_all = "lowercase")]
pub enum FileKind {
    Xlsx,
    Xlsm,
    Xlsb,
    Xls,
    Ods,
    Csv,
}

impl FileKind {
    pub fn name(self) -> &'static str {
        match self {
            FileKind::Xlsx => "xlsx",
            FileKind::Xlsm => "xlsm",
            FileKind::Xlsb => "xlsb",
            FileKind::Xls => "xls",
            FileKind::Ods => "ods",
            FileKind::Csv => "csv",
        }
    }

    /// The kind a file name promises, if it is one offsheet reads.
    pub fn from_extension(ext: &str) -> Option<FileKind> {
        match ext.to_ascii_lowercase().as_str() {
            "xlsx" => Some(FileKind::Xlsx),
            "xlsm" => Some(FileKind::Xlsm),
            "xlsb" => Some(FileKind::Xlsb),
            "xls" => Some(FileKind::Xls),
            "ods" => Some(FileKind::Ods),
            "csv" | "tsv" | "tab" | "txt" | "psv" | "ssv" => Some(FileKind::Csv),
            _ => None,
        }
    }
}

/// Whether a sheet is shown in the workbook's tabs.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Visibility {
    Visible,
    Hidden,
    VeryHidden,
}

/// One read file: a workbook's sheets, or a CSV file as a single sheet.
#[derive(Debug, Clone)]
pub struct SourceFile {
    /// Path as given on disk.
    pub path: PathBuf,
    /// Path relative to the scanned folder, with `/` separators: what findings show.
    pub display: String,
    pub kind: FileKind,
    pub sheets: Vec<Sheet>,
    /// How delimited text was decoded; `None` for workbooks.
    pub text: Option<TextFormat>,
}

/// How a CSV file was read.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct TextFormat {
    pub encoding: String,
    pub bom: bool,
    pub delimiter: char,
    pub line_ending: &'static str,
}

/// A formula cell (absolute 0-based position) and its text without the `=`.
#[derive(Debug, Clone, PartialEq)]
pub struct FormulaCell {
    pub row: u32,
    pub col: u32,
    pub text: String,
}

/// A merged area, inclusive, absolute 0-based.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, serde::Serialize)]
pub struct Merge {
    pub first_row: u32,
    pub first_col: u32,
    pub last_row: u32,
    pub last_col: u32,
}

impl Merge {
    pub fn a1(&self) -> String {
        a1::range_name(
            self.first_col,
            self.first_row + 1,
            self.last_col,
            self.last_row + 1,
        )
    }

    pub fn contains(&self, row: u32, col: u32) -> bool {
        (self.first_row..=self.last_row).contains(&row)
            && (self.first_col..=self.last_col).contains(&col)
    }
}

/// A CSV record whose field count differs from the file's usual count.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
pub struct RaggedRow {
    /// Grid row of the record.
    pub row: u32,
    pub fields: u32,
}

/// One sheet (or a whole CSV file) with everything the later stages need.
#[derive(Debug, Clone)]
pub struct Sheet {
    /// `None` for CSV files.
    pub name: Option<String>,
    pub visibility: Visibility,
    pub grid: Grid,
    /// For CSV: the 1-based text line each record starts on. Empty for workbooks,
    /// whose grid row `r` is Excel row `r + 1`.
    pub lines: Vec<u32>,
    pub merges: Vec<Merge>,
    pub formulas: Vec<FormulaCell>,
    pub hidden_rows: Vec<u32>,
    pub hidden_cols: Vec<u32>,
    pub ragged: Vec<RaggedRow>,
    /// The usual field count of a CSV file's records.
    pub usual_fields: u32,
    /// Hazard checks this format does not allow (e.g. hidden rows in .xls).
    pub unchecked: Vec<&'static str>,
    /// The workbook counts dates from 1904: plain numbers in a date column are
    /// 1904 serials (date cells are already shifted to the 1900 system).
    pub date1904: bool,
    /// A CSV sheet's row flags, worked out as its records were split (see
    /// [`layout::RowFlags`]); `None` for workbooks, which are looked at cell
    /// by cell.
    pub row_flags: Option<layout::RowFlags>,
}

impl Sheet {
    pub fn new(name: Option<String>, grid: Grid) -> Sheet {
        Sheet {
            name,
            visibility: Visibility::Visible,
            grid,
            lines: Vec::new(),
            merges: Vec::new(),
            formulas: Vec::new(),
            hidden_rows: Vec::new(),
            hidden_cols: Vec::new(),
            ragged: Vec::new(),
            usual_fields: 0,
            unchecked: Vec::new(),
            date1904: false,
            row_flags: None,
        }
    }

    /// The 1-based row number a person sees for a grid row: Excel's row, or the
    /// text line the CSV record starts on.
    pub fn display_row(&self, row: usize) -> u32 {
        if self.name.is_none() && !self.lines.is_empty() {
            self.lines.get(row).copied().unwrap_or(0)
        } else {
            u32::try_from(row + 1).unwrap_or(u32::MAX)
        }
    }

    /// [`Sheet::display_row`] of each of `rows`, which are the grid rows
    /// `run` when that is `Some` (see [`grid::consecutive`]): then a CSV
    /// file's line numbers are copied as one block.
    pub fn display_rows(&self, rows: &[u32], run: Option<std::ops::Range<usize>>) -> Vec<u32> {
        if self.name.is_none()
            && let Some(lines) = run.and_then(|run| self.lines.get(run))
            && lines.len() == rows.len()
        {
            return lines.to_vec();
        }
        rows.iter().map(|&r| self.display_row(r as usize)).collect()
    }

    /// `F17` for a grid row and column.
    pub fn cell_name(&self, row: usize, col: usize) -> String {
        a1::cell_name(col as u32, self.display_row(row))
    }

    pub fn formula_at(&self, row: u32, col: u32) -> Option<&FormulaCell> {
        self.formulas
            .binary_search_by(|f| (f.row, f.col).cmp(&(row, col)))
            .ok()
            .and_then(|i| self.formulas.get(i))
    }

    pub fn row_has_formula(&self, row: u32) -> bool {
        let start = self.formulas.partition_point(|f| f.row < row);
        self.formulas.get(start).is_some_and(|f| f.row == row)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn display_rows_are_line_numbers_in_a_csv_file_and_row_numbers_in_a_workbook() {
        let mut csv = Sheet::new(None, Grid::default());
        // A blank line after the first record: lines 2, 4, 5, 6.
        csv.lines = vec![1, 2, 4, 5, 6];
        let run = |rows: &[u32]| grid::consecutive(rows);
        for rows in [&[1u32, 2, 3][..], &[1, 3, 4], &[4], &[]] {
            let expected: Vec<u32> = rows.iter().map(|&r| csv.display_row(r as usize)).collect();
            assert_eq!(csv.display_rows(rows, run(rows)), expected, "{rows:?}");
        }
        assert_eq!(csv.display_rows(&[1, 2, 3], run(&[1, 2, 3])), [2, 4, 5]);
        // Rows past the lines known, and a workbook sheet's own numbering.
        assert_eq!(csv.display_rows(&[4, 5], run(&[4, 5])), [6, 0]);
        let book = Sheet::new(Some("Orders".into()), Grid::default());
        assert_eq!(book.display_rows(&[1, 2], run(&[1, 2])), [2, 3]);
    }
}
