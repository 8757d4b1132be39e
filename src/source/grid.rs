//! A sheet's cells as read, stored column by column so that a million-row file
//! costs a few allocations, not one per cell. Text lives in one buffer per column.

pub use calamine::CellErrorType as CellError;

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

/// A column of CSV text: every cell is text (empty text is an empty cell). Its
/// cells sit back to back in one buffer per part; a file parsed in chunks on
/// several threads keeps a part per chunk rather than copying them together.
#[derive(Debug, Clone, Default)]
pub struct TextColumn {
    parts: Vec<Part>,
    len: usize,
}

#[derive(Debug, Clone, Default)]
struct Part {
    /// Column row of the part's first cell.
    first_row: usize,
    buf: String,
    ends: Vec<u32>,
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

impl TextColumn {
    /// A column from its text and the end offset of each cell. Offsets past the
    /// text or not on a character boundary read back as empty cells.
    pub fn from_parts(buf: String, ends: Vec<u32>) -> TextColumn {
        let len = ends.len();
        TextColumn {
            parts: vec![Part {
                first_row: 0,
                buf,
                ends,
            }],
            len,
        }
    }

    pub fn len(&self) -> usize {
        self.len
    }

    pub fn is_empty(&self) -> bool {
        self.len == 0
    }

    fn last_part(&mut self) -> &mut Part {
        if self.parts.is_empty() {
            self.parts.push(Part::default());
        }
        let last = self.parts.len() - 1;
        &mut self.parts[last]
    }

    pub fn push(&mut self, value: &str) -> Result<(), ColumnTooLarge> {
        let part = self.last_part();
        part.buf.push_str(value);
        let end = u32::try_from(part.buf.len()).map_err(|_| ColumnTooLarge)?;
        part.ends.push(end);
        self.len += 1;
        Ok(())
    }

    /// Appends `n` empty cells.
    pub fn pad(&mut self, n: usize) {
        let part = self.last_part();
        let end = part.ends.last().copied().unwrap_or(0);
        part.ends.extend(std::iter::repeat_n(end, n));
        self.len += n;
    }

    pub fn get(&self, row: usize) -> &str {
        let part = match self.parts.as_slice() {
            [only] => only,
            parts => {
                let i = parts.partition_point(|p| p.first_row <= row);
                match i.checked_sub(1).and_then(|i| parts.get(i)) {
                    Some(p) => p,
                    None => return "",
                }
            }
        };
        part.get(row - part.first_row)
    }

    /// The text of the given rows, in that order ("" for an empty cell).
    /// Ascending rows are read with a cursor over the parts, without a search
    /// per cell; a run of consecutive rows reads faster with [`TextColumn::run`].
    pub fn texts_at<'a, 'r>(
        &'a self,
        rows: &'r [u32],
    ) -> impl ExactSizeIterator<Item = &'a str> + use<'a, 'r> {
        let mut part = 0usize;
        rows.iter().map(move |&r| {
            let r = r as usize;
            while self.parts.get(part + 1).is_some_and(|p| p.first_row <= r) {
                part += 1;
            }
            match self.parts.get(part) {
                Some(p) if p.first_row <= r => p.get(r - p.first_row),
                _ => self.get(r),
            }
        })
    }

    /// The text of consecutive rows (a table's data rows, most often), read
    /// straight down the parts: each cell starts where the one before ended.
    pub fn run(&self, rows: std::ops::Range<usize>) -> Run<'_> {
        let part = self
            .parts
            .partition_point(|p| p.first_row <= rows.start)
            .saturating_sub(1);
        let (i, start) = match self.parts.get(part) {
            Some(p) if rows.start >= p.first_row => {
                let i = rows.start - p.first_row;
                let start = match i.checked_sub(1) {
                    Some(prev) => p.ends.get(prev).copied().unwrap_or(0) as usize,
                    None => 0,
                };
                (i, start)
            }
            _ => (0, 0),
        };
        Run {
            column: self,
            part,
            i,
            start,
            left: rows.len(),
        }
    }

    /// Visits every cell's text in row order ("" for an empty cell): the
    /// CSV counterpart of [`Column::for_each`], with no [`CellRef`] per cell.
    pub fn for_each_text<'a>(&'a self, f: impl FnMut(usize, &'a str)) {
        self.for_each_text_in(0..self.len, f);
    }

    /// [`TextColumn::for_each_text`] over the rows of `rows` only.
    pub fn for_each_text_in<'a>(
        &'a self,
        rows: std::ops::Range<usize>,
        mut f: impl FnMut(usize, &'a str),
    ) {
        for part in &self.parts {
            let first = part.first_row;
            let from = rows.start.max(first) - first;
            let to = rows.end.min(first + part.ends.len()).saturating_sub(first);
            let Some(ends) = part.ends.get(from..to) else {
                continue;
            };
            let mut start = match from.checked_sub(1) {
                Some(prev) => part.ends.get(prev).copied().unwrap_or(0) as usize,
                None => 0,
            };
            for (i, &end) in ends.iter().enumerate() {
                let end = end as usize;
                f(first + from + i, part.buf.get(start..end).unwrap_or(""));
                start = end;
            }
        }
    }

    /// Whether any cell holds this byte (a fast test before a cell-by-cell look).
    pub fn contains_byte(&self, b: u8) -> bool {
        self.parts
            .iter()
            .any(|p| memchr::memchr(b, p.buf.as_bytes()).is_some())
    }

    /// Appends another column's cells after this one's, without copying them:
    /// a column parsed in chunks keeps one part per chunk.
    pub fn append(&mut self, other: TextColumn) {
        for mut part in other.parts {
            if part.ends.is_empty() {
                continue;
            }
            part.first_row = self.len;
            self.len += part.ends.len();
            self.parts.push(part);
        }
    }
}

/// The iterator of [`TextColumn::run`].
pub struct Run<'a> {
    column: &'a TextColumn,
    part: usize,
    /// Index of the next cell in its part, and where its text starts.
    i: usize,
    start: usize,
    left: usize,
}

impl<'a> Iterator for Run<'a> {
    type Item = &'a str;

    #[inline]
    fn next(&mut self) -> Option<&'a str> {
        self.left = self.left.checked_sub(1)?;
        loop {
            // Rows past the column's end are empty.
            let Some(p) = self.column.parts.get(self.part) else {
                return Some("");
            };
            if let Some(&end) = p.ends.get(self.i) {
                let end = end as usize;
                let text = p.buf.get(self.start..end).unwrap_or("");
                self.start = end;
                self.i += 1;
                return Some(text);
            }
            self.part += 1;
            self.i = 0;
            self.start = 0;
        }
    }

    fn size_hint(&self) -> (usize, Option<usize>) {
        (self.left, Some(self.left))
    }
}

impl ExactSizeIterator for Run<'_> {}

/// `rows` as a range when they are consecutive and ascending.
pub fn consecutive(rows: &[u32]) -> Option<std::ops::Range<usize>> {
    let first = *rows.first()? as usize;
    rows.windows(2)
        .all(|w| w[0].checked_add(1) == Some(w[1]))
        .then_some(first..first + rows.len())
}

impl Part {
    fn get(&self, row: usize) -> &str {
        let Some(&end) = self.ends.get(row) else {
            return "";
        };
        let start = match row.checked_sub(1) {
            Some(prev) => self.ends.get(prev).copied().unwrap_or(0),
            None => 0,
        };
        self.buf.get(start as usize..end as usize).unwrap_or("")
    }
}

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
    pub const EMPTY: Column = Column::Text(TextColumn {
        parts: Vec::new(),
        len: 0,
    });

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
            Column::Text(c) => {
                for part in &c.parts {
                    let mut start = 0usize;
                    for (i, &end) in part.ends.iter().enumerate() {
                        let end = end as usize;
                        let text = part.buf.get(start..end).unwrap_or("");
                        start = end;
                        let cell = if text.is_empty() {
                            CellRef::Empty
                        } else {
                            CellRef::Text(text)
                        };
                        f(part.first_row + i, cell);
                    }
                }
            }
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
