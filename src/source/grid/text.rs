//! CSV text columns: every cell is text, back to back in one buffer per part,
//! read by row, by range of rows, or down a run of consecutive rows.

use super::ColumnTooLarge;

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

impl TextColumn {
    /// A column with no cells.
    pub const EMPTY: TextColumn = TextColumn {
        parts: Vec::new(),
        len: 0,
    };

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

    /// Rows `rows` of the column as pieces, one per part they touch, each with
    /// its rows (from 0 within the piece): a reader that drops each piece once
    /// read never holds the whole column and its values at once. Rows past
    /// the column's end come as a last, empty piece (they read as "").
    pub fn into_pieces(
        self,
        rows: std::ops::Range<usize>,
    ) -> Vec<(TextColumn, std::ops::Range<usize>)> {
        let past_end = rows.end.saturating_sub(rows.start.max(self.len));
        let mut out: Vec<(TextColumn, std::ops::Range<usize>)> = self
            .parts
            .into_iter()
            .filter_map(|mut part| {
                let (first, len) = (part.first_row, part.ends.len());
                let from = rows.start.max(first);
                let to = rows.end.min(first + len);
                (from < to).then(|| {
                    part.first_row = 0;
                    let piece = TextColumn {
                        parts: vec![part],
                        len,
                    };
                    (piece, from - first..to - first)
                })
            })
            .collect();
        if past_end > 0 {
            out.push((TextColumn::EMPTY, 0..past_end));
        }
        out
    }

    /// How many parts (chunks of the file it was read in) hold its cells.
    pub fn parts(&self) -> usize {
        self.parts.len()
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
        self.for_each_span(rows, |i, part, span| f(i, part.buf.get(span).unwrap_or("")));
    }

    /// [`TextColumn::for_each_text_in`] with each cell's bytes, for readers
    /// of plain numbers that need no `&str` (and no check that the cell
    /// starts and ends on a character boundary) for most cells. Rows past the
    /// column's end are not visited.
    pub fn for_each_bytes_in<'a>(
        &'a self,
        rows: std::ops::Range<usize>,
        mut f: impl FnMut(usize, &'a [u8]),
    ) {
        self.for_each_span(rows, |i, part, span| {
            f(i, part.buf.as_bytes().get(span).unwrap_or(b""))
        });
    }

    /// Each cell of `rows` in row order: its row, its part and where its
    /// text lies in the part's buffer.
    #[inline(always)]
    fn for_each_span<'a>(
        &'a self,
        rows: std::ops::Range<usize>,
        mut f: impl FnMut(usize, &'a Part, std::ops::Range<usize>),
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
                f(first + from + i, part, start..end);
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
///
/// Asked once per column of a table (seven times over a million rows for
/// order lines), so it checks a block of rows at a time without a branch per
/// row, after the ends have ruled out most other row lists.
pub fn consecutive(rows: &[u32]) -> Option<std::ops::Range<usize>> {
    const BLOCK: usize = 4096;
    let (&first, &last) = (rows.first()?, rows.last()?);
    if (last as usize).checked_sub(first as usize) != Some(rows.len() - 1) {
        return None;
    }
    // Row i is first + i (no overflow: last = first + len - 1 is a u32).
    let each_in_place = rows.chunks(BLOCK).enumerate().all(|(b, block)| {
        let base = first + (b * BLOCK) as u32;
        block.iter().enumerate().fold(true, |ok, (i, &r)| {
            ok & (r.wrapping_sub(base) as usize == i)
        })
    });
    let first = first as usize;
    each_in_place.then_some(first..first + rows.len())
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
