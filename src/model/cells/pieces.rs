//! Reading a column taken out of its grid part by part (a part per chunk of
//! the file), each part dropped once read.

use crate::model::{Field, FieldType};
use crate::source::grid::{Column, TextColumn};

use super::{CellReader, ParsedColumn, Problem, Read, Values, read_cells, reader_for, value};
use crate::model::slots::Slots;
use crate::model::texts::Texts;

/// [`read_cells`] of a column taken out of its grid. A text column held in
/// parts (one per chunk its file was split into) has each part dropped as
/// soon as its cells are read: the column and its values are never both whole
/// in memory (on 1M order lines, the canonical stage peaked 10 MiB higher).
///
/// `run` is [`consecutive`](crate::source::grid::consecutive)`(rows)`, worked
/// out once for all the columns of a table.
pub fn read_cells_owned(
    column: Column,
    date1904: bool,
    (rows, run): (&[u32], Option<std::ops::Range<usize>>),
    field: &Field,
) -> ParsedColumn {
    debug_assert_eq!(run, crate::source::grid::consecutive(rows));
    let range = match (&column, run) {
        (Column::Text(t), Some(range)) if t.parts() > 1 => range,
        _ => return read_cells(Some(&column), date1904, rows, field),
    };
    let (reader, decision) = reader_for(Some(&column), date1904, rows, field);
    let pieces = match column {
        Column::Text(t) => t.into_pieces(range),
        other => return read_cells(Some(&other), date1904, rows, field),
    };
    let mut problems = Vec::new();
    let p = &mut problems;
    let values = match field.ty {
        FieldType::Text | FieldType::Email | FieldType::Currency | FieldType::Status => {
            Values::Text(texts_of_pieces(pieces, p, &reader))
        }
        FieldType::Int => Values::Int(side_by_side(
            pieces,
            p,
            &reader,
            |r, b| r.quick_int(b),
            |r, t| r.int_str(t),
        )),
        FieldType::Decimal => Values::Decimal(side_by_side(
            pieces,
            p,
            &reader,
            |r, b| r.quick_decimal(b),
            |r, t| r.decimal_str(t),
        )),
        FieldType::Date => Values::Date(side_by_side(
            pieces,
            p,
            &reader,
            |_, _| None,
            |r, t| r.date_str(t),
        )),
        FieldType::DateTime => Values::DateTime(side_by_side(
            pieces,
            p,
            &reader,
            |_, _| None,
            |r, t| r.datetime_str(t),
        )),
        FieldType::Bool => Values::Bool(read_pieces(pieces, p, |t| reader.boolean_str(t))),
    };
    ParsedColumn {
        values,
        problems,
        decision,
    }
}

/// Rows of a column's pieces ([`TextColumn::into_pieces`]), each piece
/// dropped once read.
type Pieces = Vec<(TextColumn, std::ops::Range<usize>)>;

/// Every row's value from the pieces in turn, each problem recorded.
fn read_pieces<T, Out: Default + Extend<Option<T>>>(
    pieces: Pieces,
    problems: &mut Vec<Problem>,
    read: impl Fn(&str) -> Read<T>,
) -> Out {
    let mut out = Out::default();
    let mut base = 0;
    for (piece, rows) in pieces {
        let n = rows.len();
        out.extend(
            piece
                .run(rows)
                .enumerate()
                .map(|(k, t)| value(read(t), base + k, || t.to_string(), problems)),
        );
        base += n;
    }
    out
}

/// [`read_pieces`] of numbers and dates, the pieces side by side on the
/// thread pool, each written in place into its rows of the column: the
/// columns of a sheet cost unlike amounts of work, and a column per task left
/// one core idle while the other finished the last. Problems come in row
/// order, as from [`read_pieces`].
///
/// `quick` reads a cell's bytes in the plain form most cells hold, giving a
/// value only when the cell has no problem; every other cell is `read` in
/// full.
fn side_by_side<T, Q, F>(
    pieces: Pieces,
    problems: &mut Vec<Problem>,
    reader: &CellReader,
    quick: Q,
    read: F,
) -> Slots<T>
where
    T: Copy + Default + Send,
    Q: Fn(&CellReader, &[u8]) -> Option<T> + Sync,
    F: Fn(&CellReader, &str) -> Read<T> + Sync,
{
    use rayon::prelude::*;
    let lens: Vec<usize> = pieces.iter().map(|(_, rows)| rows.len()).collect();
    let mut out = Slots::empty(lens.iter().sum());
    // A reader per piece: a reader remembers spellings, so it is not shared.
    let tasks: Vec<_> = pieces
        .into_iter()
        .zip(out.runs_mut(&lens))
        .scan(0, |base, (piece, run)| {
            let first = *base;
            *base += run.0.len();
            Some((piece, run, first, reader.clone()))
        })
        .collect();
    let found: Vec<Vec<Problem>> = tasks
        .into_par_iter()
        .map(|((piece, rows), (values, valid), base, reader)| {
            let mut problems = Vec::new();
            let mut in_full = |k: usize, t: &str| {
                value(read(&reader, t), base + k, || t.to_string(), &mut problems)
            };
            let first = rows.start;
            let mut visited = 0;
            piece.for_each_bytes_in(rows, |row, b| {
                let k = row - first;
                let got = match quick(&reader, b) {
                    Some(v) => Some(v),
                    // Bytes off a character boundary read as an empty cell,
                    // as [`TextColumn::run`] reads them.
                    None => in_full(k, std::str::from_utf8(b).unwrap_or("")),
                };
                if let (Some(v), Some(ok)) = (values.get_mut(k), valid.get_mut(k)) {
                    *v = got.unwrap_or_default();
                    *ok = got.is_some();
                }
                visited = k + 1;
            });
            // Rows past the column's end are empty cells.
            for k in visited..values.len() {
                let got = in_full(k, "");
                values[k] = got.unwrap_or_default();
                valid[k] = got.is_some();
            }
            problems
        })
        .collect();
    problems.extend(found.into_iter().flatten());
    out
}

/// [`read_pieces`] for text, whose values borrow from their piece until
/// they are copied into the column.
fn texts_of_pieces(pieces: Pieces, problems: &mut Vec<Problem>, reader: &CellReader) -> Texts {
    let mut out = Texts::with_capacity(pieces.iter().map(|(_, rows)| rows.len()).sum());
    let mut base = 0;
    for (piece, rows) in pieces {
        let (first, n) = (rows.start, rows.len());
        let mut visited = 0;
        piece.for_each_text_in(rows, |row, t| {
            let k = row - first;
            let v = value(reader.text_str(t), base + k, || t.to_string(), problems);
            out.push(v.as_deref());
            visited = k + 1;
        });
        // Rows past the column's end are empty cells.
        for k in visited..n {
            let v = value(reader.text_str(""), base + k, String::new, problems);
            out.push(v.as_deref());
        }
        base += n;
    }
    out
}
