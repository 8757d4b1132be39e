//! The row behind a finding, shown the way compilers show source lines: the
//! header row, the flagged row, and a caret under the flagged cell.

use std::collections::HashMap;

use crate::findings::Location;
use crate::inventory::Inventory;
use crate::source::layout::{Layout, TableRegion};
use crate::source::{Sheet, a1};

/// Widest a cell is shown.
const CELL_WIDTH: usize = 18;

/// Finds the sheet and table of a location.
pub struct Snippets<'a> {
    tables: HashMap<(&'a str, Option<&'a str>), (&'a Sheet, &'a TableRegion)>,
}

impl<'a> Snippets<'a> {
    pub fn new(inv: &'a Inventory) -> Snippets<'a> {
        let mut tables = HashMap::new();
        for f in &inv.files {
            for (sheet, t) in f.source.sheets.iter().zip(&f.tables) {
                if let Layout::Table(region) = &t.layout {
                    tables.insert(
                        (f.source.display.as_str(), sheet.name.as_deref()),
                        (sheet, region),
                    );
                }
            }
        }
        Snippets { tables }
    }

    /// Three lines (header, row, caret) for a cell location; `None` when the
    /// location has no cell or the sheet is not at hand.
    pub fn render(&self, loc: &Location, note: Option<&str>) -> Option<Vec<String>> {
        let (sheet, region) = self
            .tables
            .get(&(loc.file.as_str(), loc.sheet.as_deref()))?;
        let row = loc.row?;
        let grid_row = grid_row_of(sheet, row)?;
        let flagged = loc.column.as_deref().and_then(a1::column_index);
        // The table's first column (usually the key), the flagged one and its neighbours.
        let mut cols: Vec<u32> = Vec::new();
        if let Some(first) = region.columns.first() {
            cols.push(first.col);
        }
        if let Some(f) = flagged {
            let pos = region.columns.iter().position(|c| c.col == f);
            if let Some(p) = pos {
                for c in region.columns.iter().skip(p.saturating_sub(1)).take(3) {
                    cols.push(c.col);
                }
            } else {
                cols.push(f);
            }
        } else {
            cols.extend(region.columns.iter().skip(1).take(3).map(|c| c.col));
        }
        cols.sort_unstable();
        cols.dedup();
        let cell = |r: usize, c: u32| {
            clip(&crate::model::cells::raw_text(
                sheet.grid.get(r, c as usize),
            ))
        };
        let header_row = region.header_row;
        let header: Vec<String> = cols.iter().map(|&c| cell(header_row, c)).collect();
        let values: Vec<String> = cols.iter().map(|&c| cell(grid_row, c)).collect();
        let widths: Vec<usize> = header
            .iter()
            .zip(&values)
            .map(|(h, v)| h.chars().count().max(v.chars().count()).max(1))
            .collect();
        let gutter = row
            .to_string()
            .len()
            .max(sheet.display_row(header_row).to_string().len());
        let line = |n: String, cells: &[String]| {
            let body: Vec<String> = cells
                .iter()
                .zip(&widths)
                .map(|(c, w)| format!("{c}{}", " ".repeat(w - c.chars().count())))
                .collect();
            format!("{n:>gutter$} │ {}", body.join("  ").trim_end())
        };
        // A finding on the header row itself shows that row once.
        let mut out = vec![line(sheet.display_row(header_row).to_string(), &header)];
        if grid_row != header_row {
            out.push(line(row.to_string(), &values));
        }
        if let Some(f) = flagged
            && let Some(i) = cols.iter().position(|&c| c == f)
        {
            let offset: usize = widths[..i].iter().map(|w| w + 2).sum();
            let carets = "^".repeat(values[i].chars().count().max(1));
            let tail = note.map(|n| format!(" {n}")).unwrap_or_default();
            out.push(format!(
                "{:>gutter$} │ {}{carets}{tail}",
                "",
                " ".repeat(offset)
            ));
        }
        Some(out)
    }
}

fn clip(s: &str) -> String {
    let s = s.replace(['\n', '\r', '\t'], " ");
    if s.chars().count() > CELL_WIDTH {
        let mut t: String = s.chars().take(CELL_WIDTH - 1).collect();
        t.push('…');
        t
    } else {
        s
    }
}

fn grid_row_of(sheet: &Sheet, row: u32) -> Option<usize> {
    if sheet.name.is_none() && !sheet.lines.is_empty() {
        sheet.lines.binary_search(&row).ok()
    } else {
        (row as usize).checked_sub(1)
    }
}
