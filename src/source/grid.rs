//! A sheet's cells as read, stored column by column so that a million-row file
//! costs a few allocations, not one per cell. Text lives in one buffer per column.

pub use calamine::CellErrorType as CellError;

mod text;
pub use text::{Run, TextColumn, consecutive};

/// A cell's value as the file holds it, before any mapping.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum CellRef<'a> {
    Empty,
    Text(&'a str),
    Number(f64),
    Bool(bool),
    /// An Excel serial date-time in the 1900 system (the workbook's 1904 serials are
    /// shifted on read), from a cell whose number format is a date format.
    DateTime(f64),
    /// A duration in days (a time-of-day format over 24h, or an ODS duration).
    Duration(f64),
    Error(CellErrorKind),
}

impl CellRef<'_> {
    pub fn is_empty(&self) -> bool {
        match self {
            CellRef::Empty => true,
            CellRef::Text(t) => trimmed(t).is_empty(),
            _ => false,
        }
    }
}

/// A cell's text without surrounding white space. Most cells have none, and
/// this answers those without decoding characters from both ends.
#[inline]
pub fn trimmed(t: &str) -> &str {
    let b = t.as_bytes();
    let plain = |c: &u8| c.is_ascii() && !c.is_ascii_whitespace();
    match (b.first(), b.last()) {
        (Some(first), Some(last)) if plain(first) && plain(last) => t,
        (None, _) => t,
        _ => t.trim(),
    }
}

/// Excel's error values, kept as errors, never as text.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum CellErrorKind {
    Div0,
    NA,
    Name,
    Null,
    Num,
    Ref,
    Value,
    GettingData,
}

impl CellErrorKind {
    pub fn from_calamine(e: &CellError) -> CellErrorKind {
        match e {
            CellError::Div0 => CellErrorKind::Div0,
            CellError::NA => CellErrorKind::NA,
            CellError::Name => CellErrorKind::Name,
            CellError::Null => CellErrorKind::Null,
            CellError::Num => CellErrorKind::Num,
            CellError::Ref => CellErrorKind::Ref,
            CellError::Value => CellErrorKind::Value,
            CellError::GettingData => CellErrorKind::GettingData,
        }
    }

    pub fn as_str(self) -> &'static str {
        match self {
            CellErrorKind::Div0 => "#DIV/0!",
            CellErrorKind::NA => "#N/A",
            CellErrorKind::Name => "#NAME?",
            CellErrorKind::Null => "#NULL!",
            CellErrorKind::Num => "#NUM!",
            CellErrorKind::Ref => "#REF!",
            CellErrorKind::Value => "#VALUE!",
            CellErrorKind::GettingData => "#DATA!",
        }
    }
}

/// One stored cell of a workbook column; text is a span of the column's buffer.
#[derive(Debug, Clone, Copy, PartialEq)]
enum Slot {
    Empty,
    Text { start: u32, len: u32 },
    Number(f64),
    Bool(bool),
    DateTime(f64),
    Duration(f64),
    Error(CellErrorKind),
}

/// A column of workbook cells of any kind.
#[derive(Debug, Clone, Default)]
pub struct CellColumn {
    text: String,
    slots: Vec<Slot>,
}

#[derive(Debug, Clone)]
pub enum Column {
    Text(TextColumn),
    Cells(CellColumn),
}

/// Raised when a column's text outgrows the 4 GiB a column may hold.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ColumnTooLarge;

impl CellColumn {
    pub fn len(&self) -> usize {
        self.slots.len()
    }

    pub fn is_empty(&self) -> bool {
        self.slots.is_empty()
    }

    /// Stores `value` at `row`, padding with empty cells below the last one.
    pub fn set(&mut self, row: usize, value: CellRef<'_>) -> Result<(), ColumnTooLarge> {
        if row >= self.slots.len() {
            self.slots.resize(row + 1, Slot::Empty);
        }
        let slot = match value {
            CellRef::Empty => Slot::Empty,
            CellRef::Text(t) => {
                let start = u32::try_from(self.text.len()).map_err(|_| ColumnTooLarge)?;
                let len = u32::try_from(t.len()).map_err(|_| ColumnTooLarge)?;
                start.checked_add(len).ok_or(ColumnTooLarge)?;
                self.text.push_str(t);
                Slot::Text { start, len }
            }
            CellRef::Number(n) => Slot::Number(n),
            CellRef::Bool(b) => Slot::Bool(b),
            CellRef::DateTime(d) => Slot::DateTime(d),
            CellRef::Duration(d) => Slot::Duration(d),
            CellRef::Error(e) => Slot::Error(e),
        };
        self.slots[row] = slot;
        Ok(())
    }

    pub fn get(&self, row: usize) -> CellRef<'_> {
        match self.slots.get(row) {
            None | Some(Slot::Empty) => CellRef::Empty,
            Some(Slot::Text { start, len }) => {
                let (s, e) = (*start as usize, *start as usize + *len as usize);
                match self.text.get(s..e) {
                    Some("") | None => CellRef::Empty,
                    Some(t) => CellRef::Text(t),
                }
            }
            Some(Slot::Number(n)) => CellRef::Number(*n),
            Some(Slot::Bool(b)) => CellRef::Bool(*b),
            Some(Slot::DateTime(d)) => CellRef::DateTime(*d),
            Some(Slot::Duration(d)) => CellRef::Duration(*d),
            Some(Slot::Error(e)) => CellRef::Error(*e),
        }
    }
}

impl Column {
    /// A column with no cells, for a field whose column the sheet lacks.
    pub const EMPTY: Column = Column::Text(TextColumn::EMPTY);

    /// Whether any text cell may hold this byte: exact for CSV text, `true` for
    /// workbook columns (their cells are not scanned here).
    pub fn may_contain(&self, b: u8) -> bool {
        match self {
            Column::Text(t) => t.contains_byte(b),
            Column::Cells(_) => true,
        }
    }

    /// Visits every stored cell in row order (faster than `get` row by row).
    pub fn for_each<'a>(&'a self, mut f: impl FnMut(usize, CellRef<'a>)) {
        match self {
            Column::Text(c) => c.for_each_text(|row, text| {
                f(
                    row,
                    if text.is_empty() {
                        CellRef::Empty
                    } else {
                        CellRef::Text(text)
                    },
                )
            }),
            Column::Cells(c) => {
                for row in 0..c.len() {
                    f(row, c.get(row));
                }
            }
        }
    }

    /// The cells of the given rows, in that order.
    pub fn cells_at<'a, 'r>(
        &'a self,
        rows: &'r [u32],
    ) -> impl Iterator<Item = CellRef<'a>> + use<'a, 'r> {
        rows.iter().map(move |&r| self.get(r as usize))
    }

    pub fn get(&self, row: usize) -> CellRef<'_> {
        match self {
            Column::Text(c) => match c.get(row) {
                "" => CellRef::Empty,
                t => CellRef::Text(t),
            },
            Column::Cells(c) => c.get(row),
        }
    }

    pub fn len(&self) -> usize {
        match self {
            Column::Text(c) => c.len(),
            Column::Cells(c) => c.len(),
        }
    }

    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }
}

/// A sheet's used area: row 0 of the grid is the sheet's first row (Excel row 1)
/// for workbooks, and the first record for CSV files.
#[derive(Debug, Clone, Default)]
pub struct Grid {
    columns: Vec<Column>,
    rows: usize,
}

impl Grid {
    pub fn from_columns(columns: Vec<Column>) -> Grid {
        let rows = columns.iter().map(Column::len).max().unwrap_or(0);
        Grid { columns, rows }
    }

    /// A workbook grid built cell by cell, in any order.
    pub fn builder() -> GridBuilder {
        GridBuilder::default()
    }

    pub fn rows(&self) -> usize {
        self.rows
    }

    pub fn cols(&self) -> usize {
        self.columns.len()
    }

    pub fn get(&self, row: usize, col: usize) -> CellRef<'_> {
        match self.columns.get(col) {
            Some(c) => c.get(row),
            None => CellRef::Empty,
        }
    }

    pub fn column(&self, col: usize) -> Option<&Column> {
        self.columns.get(col)
    }

    /// Takes a column's cells out, leaving it empty (the grid keeps its size).
    pub fn take_column(&mut self, col: usize) -> Option<Column> {
        self.columns
            .get_mut(col)
            .map(|c| std::mem::replace(c, Column::EMPTY))
    }

    /// Whether every cell of the row is empty or blank text.
    pub fn row_is_blank(&self, row: usize) -> bool {
        self.columns.iter().all(|c| c.get(row).is_empty())
    }

    /// Copies the value of one cell into another (used to fill merged cells down).
    pub fn copy_cell(
        &mut self,
        from: (usize, usize),
        to: (usize, usize),
    ) -> Result<(), ColumnTooLarge> {
        let value = match self.get(from.0, from.1) {
            CellRef::Text(t) => Owned::Text(t.to_string()),
            other => Owned::Plain(match other {
                CellRef::Number(n) => CellRefCopy::Number(n),
                CellRef::Bool(b) => CellRefCopy::Bool(b),
                CellRef::DateTime(d) => CellRefCopy::DateTime(d),
                CellRef::Duration(d) => CellRefCopy::Duration(d),
                CellRef::Error(e) => CellRefCopy::Error(e),
                _ => CellRefCopy::Empty,
            }),
        };
        let Some(column) = self.columns.get_mut(to.1) else {
            return Ok(());
        };
        if let Column::Text(text) = column {
            // CSV has no merged cells; convert anyway so the operation is total.
            let mut cells = CellColumn::default();
            for r in 0..text.len() {
                let t = text.get(r);
                cells.set(
                    r,
                    if t.is_empty() {
                        CellRef::Empty
                    } else {
                        CellRef::Text(t)
                    },
                )?;
            }
            *column = Column::Cells(cells);
        }
        if let Column::Cells(cells) = column {
            let value = match &value {
                Owned::Text(t) => CellRef::Text(t),
                Owned::Plain(p) => p.as_ref(),
            };
            cells.set(to.0, value)?;
        }
        self.rows = self.rows.max(to.0 + 1);
        Ok(())
    }
}

enum Owned {
    Text(String),
    Plain(CellRefCopy),
}

#[derive(Clone, Copy)]
enum CellRefCopy {
    Empty,
    Number(f64),
    Bool(bool),
    DateTime(f64),
    Duration(f64),
    Error(CellErrorKind),
}

impl CellRefCopy {
    fn as_ref(self) -> CellRef<'static> {
        match self {
            CellRefCopy::Empty => CellRef::Empty,
            CellRefCopy::Number(n) => CellRef::Number(n),
            CellRefCopy::Bool(b) => CellRef::Bool(b),
            CellRefCopy::DateTime(d) => CellRef::DateTime(d),
            CellRefCopy::Duration(d) => CellRef::Duration(d),
            CellRefCopy::Error(e) => CellRef::Error(e),
        }
    }
}

/// Collects workbook cells (absolute 0-based positions) into a [`Grid`].
#[derive(Debug, Default)]
pub struct GridBuilder {
    columns: Vec<CellColumn>,
}

impl GridBuilder {
    pub fn set(&mut self, row: u32, col: u32, value: CellRef<'_>) -> Result<(), ColumnTooLarge> {
        if matches!(value, CellRef::Empty) {
            return Ok(());
        }
        let col = col as usize;
        if col >= self.columns.len() {
            self.columns.resize_with(col + 1, CellColumn::default);
        }
        self.columns[col].set(row as usize, value)
    }

    pub fn finish(self) -> Grid {
        Grid::from_columns(self.columns.into_iter().map(Column::Cells).collect())
    }
}

#[cfg(test)]
mod tests;
