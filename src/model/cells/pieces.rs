//! Reading a column taken out of its grid part by part (a part per chunk of
//! the file), each part dropped once read.

use crate::model::{Field, FieldType};
use crate::source::grid::{Column, TextColumn};

use super::{CellReader, ParsedColumn, Problem, Read, Values, read_cells, reader_for, value};
use crate::model::texts::Texts;

/// [`read_cells`] of a column taken out of its grid. A text column held in
/// parts (one per chunk its file was split into) has each part dropped as
/// soon as its cells are read: the column and its values are never both whole
/// in memory (on 1M order lines, the canonical stage peaked 10 MiB higher).
pub fn read_cells_owned(
    column: Column,
    date1904: bool,
    rows: &[u32],
    field: &Field,
) -> ParsedColumn {
    let range = match (&column, crate::source::grid::consecutive(rows)) {
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
        FieldType::Int => Values::Int(read_pieces(pieces, p, |t| reader.int_str(t))),
        FieldType::Decimal => Values::Decimal(read_pieces(pieces, p, |t| reader.decimal_str(t))),
        FieldType::Date => Values::Date(read_pieces(pieces, p, |t| reader.date_str(t))),
        FieldType::DateTime => Values::DateTime(read_pieces(pieces, p, |t| reader.datetime_str(t))),
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

/// [`read_pieces`] for text, whose values borrow from their piece until
/// they are copied into the column.
fn texts_of_pieces(pieces: Pieces, problems: &mut Vec<Problem>, reader: &CellReader) -> Texts {
    let mut out = Texts::with_capacity(pieces.iter().map(|(_, rows)| rows.len()).sum());
    let mut base = 0;
    for (piece, rows) in pieces {
        let n = rows.len();
        for (k, t) in piece.run(rows).enumerate() {
            let v = value(reader.text_str(t), base + k, || t.to_string(), problems);
            out.push(v.as_deref());
        }
        base += n;
    }
    out
}
