//! The rows under a table's header: blank rows, totals rows, notes below the
//! table, and the data rows between them.

use rayon::prelude::*;

use super::TableRegion;
use crate::source::Sheet;
use crate::source::grid::{CellRef, Column, Grid, trimmed};

/// Words that label a totals row.
#[inline]
pub(super) fn is_totals_label(t: &str) -> bool {
    may_label(t.as_bytes()) && totals_label(t)
}

/// Whether text starting with these bytes may be a totals label: most cells
/// are ruled out here, without a call.
#[inline(always)]
fn may_label(b: &[u8]) -> bool {
    match b {
        // Every label starts with one of these letters (after any white space).
        [a, ..] if VALUE_FIRST[*a as usize] => false,
        // The three first letters of every label ("SKU-1", "SO-1" stop here).
        [a, b, c, ..] if a.is_ascii_alphabetic() => {
            matches!(
                [a, b, c].map(u8::to_ascii_lowercase),
                [b't', b'o', b't']
                    | [b's', b'u', b'b' | b'm']
                    | [b'g', b'r', b'a']
                    | [b'g', b'e', b's']
                    | [b'z', b'w', b'i']
                    | [b's', b'o', b'u']
                    | [b'o', b'v', b'e']
            )
        }
        _ => true,
    }
}

/// First bytes of text that is filled and no totals label: letters and
/// digits that no label starts with. A table, so that the CSV reader rules
/// out most of its fields with one load.
static VALUE_FIRST: [bool; 256] = {
    let mut table = [false; 256];
    let mut b = 0;
    while b < 256 {
        let c = b as u8;
        table[b] = c.is_ascii_alphanumeric()
            && !matches!(c.to_ascii_lowercase(), b't' | b's' | b'g' | b'z' | b'o');
        b += 1;
    }
    table
};

/// What a cell of text says about its row: whether it is filled (not empty
/// or white space), and whether it reads as a totals label. The bytes are a
/// cell's text; the CSV reader asks this of every field as it splits them.
#[inline(always)]
pub fn cell_flags(b: &[u8]) -> (bool, bool) {
    match b.first() {
        None => (false, false),
        Some(&first) if VALUE_FIRST[first as usize] => (true, false),
        // Most cells: no white space to trim at the start, so filled.
        Some(first) if first.is_ascii_graphic() => (
            true,
            may_label(b) && std::str::from_utf8(b).is_ok_and(totals_label),
        ),
        _ => match std::str::from_utf8(b) {
            Ok(t) => {
                let filled = !trimmed(t).is_empty();
                (filled, filled && is_totals_label(t))
            }
            // Not text (cells are cut from a &str at ASCII bytes): a value.
            Err(_) => (true, false),
        },
    }
}

/// [`row_flags`] worked out by the CSV reader as it split the records: per
/// row, whether it is blank and whether a cell reads as a totals label; per
/// column, the last row whose cell is not filled.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct RowFlags {
    pub blank: Vec<bool>,
    pub label: Vec<bool>,
    pub last_unfilled: Vec<Option<u32>>,
}

fn totals_label(t: &str) -> bool {
    let t = trimmed(t);
    // Every label below starts with one of these three letters and is short: most
    // cells are ruled out at once, and none allocates.
    let head = match t.as_bytes() {
        [a, b, c, ..] if t.len() <= 40 => [a, b, c].map(u8::to_ascii_lowercase),
        _ => return false,
    };
    if !matches!(
        &head,
        b"tot" | b"sub" | b"sum" | b"gra" | b"ges" | b"zwi" | b"sou" | b"ove"
    ) {
        return false;
    }
    let t = t.trim_end_matches(':');
    const LABELS: [&str; 16] = [
        "total",
        "totals",
        "grand total",
        "subtotal",
        "sub-total",
        "sub total",
        "sum",
        "summe",
        "gesamt",
        "gesamtsumme",
        "zwischensumme",
        "total général",
        "total general",
        "totales",
        "sous-total",
        "overall total",
    ];
    const PREFIXES: [&str; 4] = ["total ", "subtotal ", "grand total ", "totals "];
    let same = |a: &str, b: &str| {
        a.len() == b.len()
            && (a.eq_ignore_ascii_case(b) || (!a.is_ascii() && a.to_lowercase() == b))
    };
    LABELS.iter().any(|l| same(t, l))
        || PREFIXES.iter().any(|p| {
            t.len() > p.len()
                && t.get(..p.len())
                    .is_some_and(|head| head.eq_ignore_ascii_case(p))
        })
}

fn is_totals_row(sheet: &Sheet, row: usize) -> bool {
    let grid = &sheet.grid;
    let mut seen = 0;
    for col in 0..grid.cols() {
        match grid.get(row, col) {
            CellRef::Text(t) if !t.trim().is_empty() => {
                if is_totals_label(t) {
                    return true;
                }
                seen += 1;
            }
            CellRef::Empty => continue,
            _ => seen += 1,
        }
        if seen >= 3 {
            break;
        }
    }
    // A row of SUM formulas with no label is a totals row too.
    if sheet.row_has_formula(row as u32) {
        let r = row as u32;
        let sums = sheet
            .formulas
            .iter()
            .filter(|f| f.row == r)
            .filter(|f| {
                let u = f.text.to_ascii_uppercase();
                u.contains("SUM(") || u.contains("SUBTOTAL(")
            })
            .count();
        let cells = (0..grid.cols())
            .filter(|&c| !grid.get(row, c).is_empty())
            .count();
        return sums > 0 && sums * 2 >= cells;
    }
    false
}

/// Per row: whether it is blank, and whether one of its cells reads as a totals
/// label. Also the columns that hold a value in every row after `header_row`.
/// Computed a range of rows at a time, the ranges side by side on the thread
/// pool, each range going down every column of the grid.
///
/// A CSV sheet's flags were worked out as it was read ([`RowFlags`]): they
/// are taken from there.
pub(super) fn row_flags(sheet: &Sheet, header_row: usize) -> (Vec<bool>, Vec<bool>, Vec<u32>) {
    let grid = &sheet.grid;
    if let Some(read) = &sheet.row_flags
        && read.blank.len() == grid.rows()
        && read.label.len() == grid.rows()
        && read.last_unfilled.len() == grid.cols()
    {
        let full = (0..grid.cols() as u32)
            .zip(&read.last_unfilled)
            .filter(|(_, last)| last.is_none_or(|r| r as usize <= header_row))
            .map(|(c, _)| c)
            .collect();
        return (read.blank.clone(), read.label.clone(), full);
    }
    const RANGE: usize = 1 << 16;
    let ranges: Vec<std::ops::Range<usize>> = (0..grid.rows())
        .step_by(RANGE)
        .map(|from| from..(from + RANGE).min(grid.rows()))
        .collect();
    let per_range: Vec<RangeFlags> = ranges
        .into_par_iter()
        .map(|rows| range_flags(grid, header_row, rows))
        .collect();
    let mut blank = Vec::with_capacity(grid.rows());
    let mut label = Vec::with_capacity(grid.rows());
    let mut full = vec![true; grid.cols()];
    for r in per_range {
        blank.extend(r.blank);
        label.extend(r.label);
        for (f, range_full) in full.iter_mut().zip(r.full) {
            *f &= range_full;
        }
    }
    let full_columns = (0..grid.cols() as u32)
        .zip(full)
        .filter(|(_, f)| *f)
        .map(|(c, _)| c)
        .collect();
    (blank, label, full_columns)
}

/// [`row_flags`] of one range of rows.
struct RangeFlags {
    blank: Vec<bool>,
    label: Vec<bool>,
    /// Per column: a value in every row of the range below the header.
    full: Vec<bool>,
}

fn range_flags(grid: &Grid, header_row: usize, rows: std::ops::Range<usize>) -> RangeFlags {
    let first = rows.start;
    let mut out = RangeFlags {
        blank: vec![true; rows.len()],
        label: vec![false; rows.len()],
        full: vec![true; grid.cols()],
    };
    for (c, full) in out.full.iter_mut().enumerate() {
        let Some(column) = grid.column(c) else {
            *full = false;
            continue;
        };
        // A cell's flags from its text (None: a filled cell that is not text).
        let (blank, label) = (&mut out.blank, &mut out.label);
        let mut mark = |row: usize, text: Option<&str>| {
            let (filled, is_label) = text.map_or((true, false), |t| cell_flags(t.as_bytes()));
            *full &= filled || row <= header_row;
            if filled && let Some(b) = blank.get_mut(row - first) {
                *b = false;
                if is_label && let Some(l) = label.get_mut(row - first) {
                    *l = true;
                }
            }
        };
        match column {
            Column::Text(c) => c.for_each_text_in(rows.clone(), |row, t| mark(row, Some(t))),
            other => {
                for row in rows.clone() {
                    match other.get(row) {
                        CellRef::Text(t) => mark(row, Some(t)),
                        c if !c.is_empty() => mark(row, None),
                        _ => mark(row, Some("")),
                    }
                }
            }
        }
        // Rows past the column's end are empty.
        if column.len() < rows.end && rows.end > header_row + 1 {
            *full = false;
        }
    }
    out
}

pub(super) fn classify_rows(sheet: &Sheet, region: &mut TableRegion, header_width: usize) {
    let grid = &sheet.grid;
    let (blank, label, full_columns) = row_flags(sheet, region.header_row);
    region.full_columns = full_columns;
    let mut pending_blank = Vec::new();
    let mut after_gap = false;
    let formulas = !sheet.formulas.is_empty();
    let rows = grid.rows();
    region
        .data_rows
        .reserve(rows.saturating_sub(region.header_row + 1));
    let mut row = region.header_row + 1;
    while row < rows {
        // Rows neither blank nor with a totals label, not after a gap and
        // without formulas, are data rows: such a run is taken whole.
        if !after_gap && !formulas {
            let run = blank[row..rows]
                .iter()
                .zip(&label[row..rows])
                .position(|(&b, &l)| b | l)
                .unwrap_or(rows - row);
            region.data_rows.extend(row as u32..(row + run) as u32);
            row += run;
            if row == rows {
                break;
            }
        }
        let r = row;
        row += 1;
        if blank[r] {
            pending_blank.push(r as u32);
            after_gap = true;
            continue;
        }
        let candidate = label[r] || sheet.row_has_formula(r as u32);
        if candidate && is_totals_row(sheet, r) {
            region.blank_rows.append(&mut pending_blank);
            region.totals_rows.push(r as u32);
            continue;
        }
        if after_gap && header_width >= 3 && is_note(grid, r) {
            region.blank_rows.append(&mut pending_blank);
            region.notes_below.push(r as u32);
            continue;
        }
        region.blank_rows.append(&mut pending_blank);
        after_gap = false;
        region.data_rows.push(r as u32);
    }
    // A note below the table only counts if nothing but notes follows it.
    if let (Some(&last_note), Some(&last_data)) =
        (region.notes_below.last(), region.data_rows.last())
        && last_note < last_data
    {
        let notes = std::mem::take(&mut region.notes_below);
        let (below, inside): (Vec<u32>, Vec<u32>) = notes.into_iter().partition(|&n| n > last_data);
        region.notes_below = below;
        region.data_rows.extend(inside);
        region.data_rows.sort_unstable();
    }
}

/// One cell of text in a wide table, below a blank row: a note, not a record.
fn is_note(grid: &Grid, row: usize) -> bool {
    let mut text = None;
    for col in 0..grid.cols() {
        match grid.get(row, col) {
            c if c.is_empty() => {}
            CellRef::Text(t) if text.is_none() => text = Some(t),
            _ => return false,
        }
    }
    text.is_some_and(|t| {
        let l = t.trim().to_lowercase();
        t.len() >= 20 || l.starts_with("note") || l.starts_with('*') || l.starts_with("source")
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_first_byte_table_rules_out_only_what_starts_no_label() {
        for b in 0..=255u8 {
            let starts_no_label = b.is_ascii_alphanumeric()
                && !matches!(b.to_ascii_lowercase(), b't' | b's' | b'g' | b'z' | b'o');
            assert_eq!(VALUE_FIRST[b as usize], starts_no_label, "byte {b}");
        }
        // A label's first byte, in either case, is never ruled out.
        for label in [
            "total",
            "sum",
            "grand total",
            "gesamt",
            "zwischensumme",
            "sous-total",
            "overall total",
        ] {
            for first in [
                label.as_bytes()[0],
                label.as_bytes()[0].to_ascii_uppercase(),
            ] {
                assert!(!VALUE_FIRST[first as usize], "{label}");
            }
            assert!(is_totals_label(label), "{label}");
        }
        assert_eq!(cell_flags(b"7 Total"), (true, false));
        assert_eq!(cell_flags(b"Total"), (true, true));
    }
}
