//! Reading one mapped column of a table region into typed values: each cell is
//! parsed as its canonical field's type, and every cell that cannot be is kept
//! as a problem (missing, wrong type, out of domain, Excel error) with its raw
//! text and the reason, so nothing is lost silently.

use std::borrow::Cow;

use chrono::NaiveDate;
use rust_decimal::Decimal;

use crate::findings::Category;
use crate::mapping::parse::{
    self, DayOrder, DecimalMark, check_email, decide_day_order, decide_decimal_mark, excel_serial,
    int_from_f64, is_null_marker, parse_bool, parse_currency, parse_date, parse_datetime,
    parse_decimal, parse_int, parse_status,
};
use crate::model::{Field, FieldType};
use crate::source::grid::{Column, trimmed};
use crate::source::{CellRef, Sheet};

pub use super::values::Values;

/// A cell that did not give a usable value.
#[derive(Debug, Clone, PartialEq)]
pub struct Problem {
    /// Index into the region's data rows.
    pub index: usize,
    pub category: Category,
    /// The cell's text as the file shows it.
    pub raw: String,
    pub reason: String,
}

/// A parsed column and how it was read.
#[derive(Debug, Clone, PartialEq)]
pub struct ParsedColumn {
    pub values: Values,
    pub problems: Vec<Problem>,
    /// How ambiguous values were decided ("day-first: ..."), if that mattered.
    pub decision: Option<String>,
}

/// Text of a cell as a person sees it, for messages and rejects.
pub fn raw_text(cell: CellRef<'_>) -> String {
    match cell {
        CellRef::Empty => String::new(),
        CellRef::Text(t) => t.to_string(),
        CellRef::Number(n) => number_text(n),
        CellRef::Bool(b) => if b { "TRUE" } else { "FALSE" }.to_string(),
        CellRef::DateTime(d) => match excel_serial(d, false) {
            Some(dt) if dt.time() == chrono::NaiveTime::MIN => dt.date().to_string(),
            Some(dt) => dt.format("%Y-%m-%d %H:%M:%S").to_string(),
            None => number_text(d),
        },
        CellRef::Duration(d) => number_text(d),
        CellRef::Error(e) => e.as_str().to_string(),
    }
}

/// 10248.0 → "10248", 12.5 → "12.5".
pub fn number_text(n: f64) -> String {
    if n.fract() == 0.0 && n.abs() < 1e15 {
        format!("{}", n as i64)
    } else {
        parse::decimal_from_f64(n).map_or_else(|| n.to_string(), |d| d.normalize().to_string())
    }
}

/// Reads `field` from column `col` of the given data rows.
pub fn read_column(sheet: &Sheet, col: u32, rows: &[u32], field: &Field) -> ParsedColumn {
    read_cells(sheet.grid.column(col as usize), sheet.date1904, rows, field)
}

static NO_COLUMN: Column = Column::EMPTY;

/// Reads `field` from the given data rows of a column (`None`: a column the
/// sheet lacks); `date1904` is the workbook's date system.
pub fn read_cells(
    column: Option<&Column>,
    date1904: bool,
    rows: &[u32],
    field: &Field,
) -> ParsedColumn {
    let (reader, decision) = reader_for(column, date1904, rows, field);
    let mut problems = Vec::new();
    let column = column.unwrap_or(&NO_COLUMN);
    let p = &mut problems;
    let values = match field.ty {
        FieldType::Text | FieldType::Email | FieldType::Currency | FieldType::Status => {
            Values::Text(read_all(
                column,
                rows,
                p,
                |c| reader.text(c),
                |t| reader.text_str(t),
            ))
        }
        FieldType::Int => Values::Int(read_all(
            column,
            rows,
            p,
            |c| reader.int(c),
            |t| reader.int_str(t),
        )),
        FieldType::Decimal => Values::Decimal(read_all(
            column,
            rows,
            p,
            |c| reader.decimal(c),
            |t| reader.decimal_str(t),
        )),
        FieldType::Date => Values::Date(read_all(
            column,
            rows,
            p,
            |c| reader.date(c),
            |t| reader.date_str(t),
        )),
        FieldType::DateTime => Values::DateTime(read_all(
            column,
            rows,
            p,
            |c| reader.datetime(c),
            |t| reader.datetime_str(t),
        )),
        FieldType::Bool => Values::Bool(read_all(
            column,
            rows,
            p,
            |c| reader.boolean(c),
            |t| reader.boolean_str(t),
        )),
    };
    ParsedColumn {
        values,
        problems,
        decision,
    }
}

/// How `field` is read from a column: the reader, with the day order and
/// decimal mark decided from its cells, and that decision said in words.
fn reader_for(
    column: Option<&Column>,
    date1904: bool,
    rows: &[u32],
    field: &Field,
) -> (CellReader, Option<String>) {
    let cells = || column.unwrap_or(&NO_COLUMN).cells_at(rows);
    let texts = || {
        cells().filter_map(|c| match c {
            CellRef::Text(t) => Some(t),
            _ => None,
        })
    };
    let (day_order, mark, decision) = match field.ty {
        // Only slash and dot dates (d/m/y, m/d/y, d.m.y) need the day order decided.
        FieldType::Date | FieldType::DateTime
            if !column.is_some_and(|c| c.may_contain(b'/') || c.may_contain(b'.')) =>
        {
            (DayOrder::MonthFirst, DecimalMark::Point, None)
        }
        FieldType::Date | FieldType::DateTime => {
            let d = decide_day_order(texts());
            // The decision matters only where numeric dates could be read both ways.
            let matters = texts().any(|t| {
                matches!(
                    crate::source::hazards::date_shape(t),
                    Some("d/m/y" | "d-m-y")
                )
            });
            let note = matters.then(|| format!("{}: {}", field.name, d.evidence));
            (d.order, DecimalMark::Point, note)
        }
        // A column with no comma in any cell reads with a point: skip the vote.
        FieldType::Int | FieldType::Decimal if !column.is_some_and(|c| c.may_contain(b',')) => {
            (DayOrder::MonthFirst, DecimalMark::Point, None)
        }
        FieldType::Int | FieldType::Decimal => {
            let d = decide_decimal_mark(texts());
            let note =
                (d.mark == DecimalMark::Comma).then(|| format!("{}: {}", field.name, d.evidence));
            (DayOrder::MonthFirst, d.mark, note)
        }
        _ => (DayOrder::MonthFirst, DecimalMark::Point, None),
    };
    let reader = CellReader {
        ty: field.ty,
        field: field.name,
        lowest_int: lowest_int(field.name),
        day_order,
        mark,
        date1904,
        memo: Default::default(),
    };
    (reader, decision)
}

/// What one cell gave: a value, nothing, or a problem (and maybe still a value).
enum Read<T> {
    Value(T),
    Empty,
    Problem(Category, String, Option<T>),
}

/// Every row's value, in row order (a `Vec` or [`Slots`]); each problem is
/// recorded on the way. A CSV column's cells are read as plain text, with no
/// [`CellRef`] made per cell; a workbook column's through `cell`.
fn read_all<'a, T, Out: FromIterator<Option<T>>>(
    column: &'a Column,
    rows: &[u32],
    problems: &mut Vec<Problem>,
    cell: impl Fn(CellRef<'a>) -> Read<T>,
    text: impl Fn(&'a str) -> Read<T>,
) -> Out {
    match column {
        Column::Text(c) => match crate::source::grid::consecutive(rows) {
            Some(range) => collect(c.run(range), problems, text, |t| t.to_string()),
            None => collect(c.texts_at(rows), problems, text, |t| t.to_string()),
        },
        other => collect(other.cells_at(rows), problems, cell, raw_text),
    }
}

fn collect<X: Copy, T, Out: FromIterator<Option<T>>>(
    items: impl Iterator<Item = X>,
    problems: &mut Vec<Problem>,
    read: impl Fn(X) -> Read<T>,
    raw: impl Fn(X) -> String,
) -> Out {
    items
        .enumerate()
        .map(|(index, x)| value(read(x), index, || raw(x), problems))
        .collect()
}

/// A cell's value (`None` when empty or unusable), its problem recorded with
/// the cell's text as `raw` gives it.
#[inline]
fn value<T>(
    read: Read<T>,
    index: usize,
    raw: impl FnOnce() -> String,
    problems: &mut Vec<Problem>,
) -> Option<T> {
    match read {
        Read::Value(v) => Some(v),
        Read::Empty => None,
        Read::Problem(category, reason, kept) => {
            problems.push(Problem {
                index,
                category,
                raw: raw(),
                reason,
            });
            kept
        }
    }
}

#[derive(Clone)]
struct CellReader {
    ty: FieldType,
    field: &'static str,
    /// The smallest whole number the field allows ([`lowest_int`]).
    lowest_int: Option<i64>,
    day_order: DayOrder,
    mark: DecimalMark,
    date1904: bool,
    /// Statuses and currencies repeat a handful of spellings: each is looked
    /// up in the synonym tables once per column.
    memo: std::cell::RefCell<std::collections::HashMap<String, Result<&'static str, String>>>,
}

/// Quantities must be positive; counts, stock and line numbers may not be
/// negative (on_hand may: a negative system stock is its own finding).
fn lowest_int(field: &str) -> Option<i64> {
    match field {
        "quantity" => Some(1),
        "counted_qty" | "line_no" | "allocated" => Some(0),
        _ => None,
    }
}

fn error_read<T>(e: crate::source::CellErrorKind) -> Read<T> {
    Read::Problem(
        Category::FormulaError,
        format!("the cell shows the Excel error {}", e.as_str()),
        None,
    )
}

impl CellReader {
    fn text<'a>(&self, c: CellRef<'a>) -> Read<Cow<'a, str>> {
        match c {
            CellRef::Empty => Read::Empty,
            CellRef::Error(e) => error_read(e),
            CellRef::Text(t) => self.text_str(t),
            other => self.text_value(Cow::Owned(raw_text(other))),
        }
    }

    /// A text cell (empty text is an empty cell).
    #[inline]
    fn text_str<'a>(&self, t: &'a str) -> Read<Cow<'a, str>> {
        // Most text cells: nothing to trim, and a first byte that starts no
        // null marker and no Excel error.
        if self.ty == FieldType::Text && plain_text(t) {
            return Read::Value(Cow::Borrowed(t));
        }
        if is_null_marker(t) {
            return Read::Empty;
        }
        if crate::source::hazards::is_error_text(t) {
            return Read::Problem(
                Category::FormulaError,
                format!("the cell holds the Excel error {}", t.trim()),
                None,
            );
        }
        self.text_value(Cow::Borrowed(trimmed(t)))
    }

    fn text_value<'a>(&self, text: Cow<'a, str>) -> Read<Cow<'a, str>> {
        match self.ty {
            FieldType::Email => match check_email(&text) {
                Ok(_) => Read::Value(text),
                Err(reason) => Read::Problem(
                    Category::InvalidValue,
                    format!("not a valid email address: {reason}"),
                    None,
                ),
            },
            FieldType::Currency | FieldType::Status => match self.lookup(&text) {
                Ok(name) => Read::Value(Cow::Borrowed(name)),
                Err(reason) if self.ty == FieldType::Status => {
                    Read::Problem(Category::InvalidValue, format!("{reason} {text:?}"), None)
                }
                Err(reason) => Read::Problem(Category::InvalidValue, reason, None),
            },
            _ => Read::Value(text),
        }
    }

    /// A status or currency through the synonym tables, remembered per spelling.
    fn lookup(&self, text: &str) -> Result<&'static str, String> {
        if let Some(hit) = self.memo.borrow().get(text) {
            return hit.clone();
        }
        let found = match self.ty {
            FieldType::Status => parse_status(text).map(|s| s.name()),
            _ => parse_currency(text),
        };
        self.memo
            .borrow_mut()
            .insert(text.to_string(), found.clone());
        found
    }

    fn int(&self, c: CellRef<'_>) -> Read<i64> {
        let parsed = match c {
            CellRef::Empty => return Read::Empty,
            CellRef::Error(e) => return error_read(e),
            CellRef::Text(t) => return self.int_str(t),
            CellRef::Number(n) => int_from_f64(n),
            CellRef::Bool(_) | CellRef::DateTime(_) | CellRef::Duration(_) => {
                return Read::Problem(Category::InvalidType, "not a whole number".into(), None);
            }
        };
        match parsed {
            Ok(v) => self.check_int(v),
            Err(e) => Read::Problem(Category::InvalidType, e.reason, None),
        }
    }

    #[inline]
    fn int_str(&self, t: &str) -> Read<i64> {
        // Plain digits are most cells: read them without the full parser.
        if let Some(v) = plain_int(t.as_bytes()) {
            return self.check_int(v);
        }
        if let Ok(v) = trimmed(t).parse::<i64>() {
            return self.check_int(v);
        }
        if is_null_marker(t) {
            return Read::Empty;
        }
        match parse_int(t, self.mark) {
            Ok(v) => self.check_int(v),
            Err(e) => Read::Problem(Category::InvalidType, e.reason, None),
        }
    }

    #[inline]
    fn check_int(&self, v: i64) -> Read<i64> {
        match self.lowest_int {
            Some(1) if v < 1 => Read::Problem(
                Category::InvalidValue,
                format!("{v} is not above zero"),
                Some(v),
            ),
            Some(0) if v < 0 => {
                Read::Problem(Category::InvalidValue, format!("{v} is negative"), Some(v))
            }
            _ => Read::Value(v),
        }
    }

    /// A whole number in its plain form that the field allows, or `None`
    /// (the cell then takes [`CellReader::int_str`]).
    #[inline(always)]
    fn quick_int(&self, b: &[u8]) -> Option<i64> {
        plain_int(b).filter(|&v| self.lowest_int.is_none_or(|lowest| v >= lowest))
    }

    /// An amount in its plain form that the field allows, or `None` (the
    /// cell then takes [`CellReader::decimal_str`]).
    #[inline(always)]
    fn quick_decimal(&self, b: &[u8]) -> Option<i64> {
        plain_decimal(b, self.mark).filter(|&m| m >= 0 || self.field != "unit_price")
    }

    fn decimal(&self, c: CellRef<'_>) -> Read<i64> {
        let parsed = match c {
            CellRef::Empty => return Read::Empty,
            CellRef::Error(e) => return error_read(e),
            CellRef::Text(t) => return self.decimal_str(t),
            CellRef::Number(n) => {
                parse::decimal_from_f64(n).ok_or_else(|| parse::ParseFail::new("not a number"))
            }
            CellRef::Bool(_) | CellRef::DateTime(_) | CellRef::Duration(_) => {
                return Read::Problem(Category::InvalidType, "not an amount".into(), None);
            }
        };
        self.decimal_parsed(parsed)
    }

    #[inline]
    fn decimal_str(&self, t: &str) -> Read<i64> {
        if let Some(m) = plain_decimal(trimmed(t).as_bytes(), self.mark) {
            return self.check_decimal(m);
        }
        if is_null_marker(t) {
            return Read::Empty;
        }
        self.decimal_parsed(parse_decimal(t, self.mark))
    }

    fn decimal_parsed(&self, parsed: Result<Decimal, parse::ParseFail>) -> Read<i64> {
        match parsed {
            Ok(d) => match to_mantissa(d) {
                Some(m) => self.check_decimal(m),
                None => Read::Problem(Category::InvalidType, "amount out of range".into(), None),
            },
            Err(e) => Read::Problem(Category::InvalidType, e.reason, None),
        }
    }

    #[inline]
    fn check_decimal(&self, m: i64) -> Read<i64> {
        if m < 0 && self.field == "unit_price" {
            Read::Problem(Category::InvalidValue, "a negative price".into(), Some(m))
        } else {
            Read::Value(m)
        }
    }

    fn date(&self, c: CellRef<'_>) -> Read<i32> {
        match self.datetime_value(c) {
            Read::Value(dt) => Read::Value(days(dt.date())),
            Read::Empty => Read::Empty,
            Read::Problem(cat, reason, _) => Read::Problem(cat, reason, None),
        }
    }

    fn datetime(&self, c: CellRef<'_>) -> Read<i64> {
        match self.datetime_value(c) {
            Read::Value(dt) => Read::Value(dt.and_utc().timestamp_millis()),
            Read::Empty => Read::Empty,
            Read::Problem(cat, reason, _) => Read::Problem(cat, reason, None),
        }
    }

    fn date_str(&self, t: &str) -> Read<i32> {
        self.date(CellRef::Text(t))
    }

    fn datetime_str(&self, t: &str) -> Read<i64> {
        self.datetime(CellRef::Text(t))
    }

    fn boolean_str(&self, t: &str) -> Read<bool> {
        self.boolean(CellRef::Text(t))
    }

    fn datetime_value(&self, c: CellRef<'_>) -> Read<chrono::NaiveDateTime> {
        let parsed = match c {
            CellRef::Empty => return Read::Empty,
            CellRef::Error(e) => return error_read(e),
            CellRef::Text(t) if is_null_marker(t) => return Read::Empty,
            CellRef::Text(t) => match self.ty {
                FieldType::Date => {
                    parse_date(t, self.day_order).map(|d| d.and_time(chrono::NaiveTime::MIN))
                }
                _ => parse_datetime(t, self.day_order),
            },
            CellRef::DateTime(serial) => {
                excel_serial(serial, false).ok_or_else(|| parse::ParseFail::new("not a date"))
            }
            // A plain number in a date column is a serial day number by mapping.
            CellRef::Number(n) if (1.0..=2_958_465.0).contains(&n) => {
                excel_serial(n, self.date1904).ok_or_else(|| parse::ParseFail::new("not a date"))
            }
            CellRef::Number(_) | CellRef::Bool(_) | CellRef::Duration(_) => {
                Err(parse::ParseFail::new("not a date"))
            }
        };
        match parsed {
            Ok(v) => Read::Value(v),
            Err(e) => Read::Problem(Category::InvalidType, e.reason, None),
        }
    }

    fn boolean(&self, c: CellRef<'_>) -> Read<bool> {
        let parsed = match c {
            CellRef::Empty => return Read::Empty,
            CellRef::Error(e) => return error_read(e),
            CellRef::Text(t) if is_null_marker(t) => return Read::Empty,
            CellRef::Text(t) => parse_bool(t),
            CellRef::Bool(b) => Ok(b),
            CellRef::Number(n) if n == 0.0 || n == 1.0 => Ok(n == 1.0),
            _ => Err(parse::ParseFail::new("not yes or no")),
        };
        match parsed {
            Ok(v) => Read::Value(v),
            Err(e) => Read::Problem(Category::InvalidType, e.reason, None),
        }
    }
}

pub fn days(d: NaiveDate) -> i32 {
    crate::rules::emit::days_from_date(d)
}

mod pieces;
mod plain;

pub use pieces::read_cells_owned;
use plain::{plain_decimal, plain_int, plain_text, to_mantissa};

#[cfg(test)]
mod tests;
