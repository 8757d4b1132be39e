//! Delimited text: decode, sniff the delimiter, and parse every record into
//! columns of text that remember the line each record starts on. Ragged records
//! are kept whole (extra fields become extra columns) and reported, never fatal.
//! Large files are parsed in parallel chunks whose seams are checked exactly.

use rayon::prelude::*;
use std::borrow::Cow;

use super::encoding::{self, Decoded, NotText};
use super::grid::{Column, Grid, TextColumn};
use super::layout::RowFlags;
use super::{RaggedRow, ReadError, Sheet, TextFormat};

mod plain;
mod quoted;
use plain::parse_plain_chunk;
use quoted::parse_chunk;

/// Files above this size are split into chunks parsed on separate threads.
const PARALLEL_MIN_BYTES: usize = 4 << 20;
const CANDIDATES: [u8; 4] = [b',', b';', b'\t', b'|'];

/// What a file's bytes are held in.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Backing {
    /// Memory of this process (a file read whole, a test's bytes).
    Memory,
    /// A read-only mapping of the file: pages parsed can be handed back.
    FileMap,
}

/// Reads CSV bytes into a single sheet (named `None`).
pub fn read_csv(
    (bytes, backing): (&[u8], Backing),
    display: &str,
    extension: &str,
    forced: Option<&'static encoding_rs::Encoding>,
    threads: usize,
) -> Result<(Sheet, TextFormat), ReadError> {
    if bytes.is_empty() {
        return Err(ReadError::Empty {
            file: display.to_string(),
        });
    }
    let decoded: Decoded<'_> = encoding::decode(bytes, forced).map_err(|e| match e {
        NotText::Binary => ReadError::NotASpreadsheet {
            file: display.to_string(),
            reason: "binary content (NUL bytes) where text was expected".into(),
        },
    })?;
    let quotes = decoded.quotes;
    let (text, line_ending) = normalise_line_ends(decoded.text);
    let prefer_tab = matches!(extension.to_ascii_lowercase().as_str(), "tsv" | "tab");
    let sniff = sniff(&text, prefer_tab);
    let behind = match backing {
        Backing::FileMap => Behind::of(bytes, &text),
        Backing::Memory => None,
    };
    let parsed = parse_in_chunks_of(
        &text,
        (sniff.delimiter, sniff.usual_fields),
        threads,
        PARALLEL_MIN_BYTES,
        (behind.as_ref(), quotes),
    )
    .map_err(|_| ReadError::TooLarge {
        file: display.to_string(),
        reason: "a column holds more than 4 GiB of text".into(),
    })?;
    let mut sheet = Sheet::new(None, parsed.grid);
    sheet.lines = parsed.lines;
    sheet.row_flags = Some(parsed.flags);
    sheet.usual_fields = sniff.usual_fields;
    sheet.ragged = parsed
        .ragged
        .into_iter()
        .map(|(row, fields)| RaggedRow { row, fields })
        .collect();
    let format = TextFormat {
        encoding: decoded.encoding.name().to_string(),
        bom: decoded.bom,
        delimiter: char::from(sniff.delimiter),
        line_ending,
    };
    Ok((sheet, format))
}

/// Old Mac files end lines with a lone CR; the csv parser counts lines by LF, so
/// such files are rewritten with LF to keep line numbers true.
fn normalise_line_ends(text: Cow<'_, str>) -> (Cow<'_, str>, &'static str) {
    let bytes = text.as_bytes();
    match memchr::memchr(b'\n', bytes) {
        Some(i) if i > 0 && bytes[i - 1] == b'\r' => (text, "crlf"),
        Some(_) => (text, "lf"),
        None if memchr::memchr(b'\r', bytes).is_some() => {
            (Cow::Owned(text.replace('\r', "\n")), "cr")
        }
        None => (text, "none"),
    }
}

/// The delimiter and usual field count found in the first records.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Sniffed {
    pub delimiter: u8,
    pub usual_fields: u32,
}

/// Picks the delimiter whose records agree most on their field count.
pub fn sniff(text: &str, prefer_tab: bool) -> Sniffed {
    let sample = sample_of(text);
    let mut best: Option<(f64, u32, u8)> = None;
    let candidates: Vec<u8> = if prefer_tab {
        std::iter::once(b'\t')
            .chain(CANDIDATES.into_iter().filter(|&c| c != b'\t'))
            .collect()
    } else {
        CANDIDATES.to_vec()
    };
    for delimiter in candidates {
        let counts = field_counts(sample, delimiter);
        let Some((mode, freq)) = mode_of(&counts) else {
            continue;
        };
        if mode < 2 {
            continue;
        }
        let consistency = freq as f64 / counts.len() as f64;
        let better = match best {
            None => true,
            Some((c, m, _)) => consistency > c + 1e-9 || (consistency > c - 1e-9 && mode > m),
        };
        if better {
            best = Some((consistency, mode, delimiter));
        }
    }
    match best {
        Some((_, mode, delimiter)) => Sniffed {
            delimiter,
            usual_fields: mode,
        },
        None => Sniffed {
            delimiter: if prefer_tab { b'\t' } else { b',' },
            usual_fields: 1,
        },
    }
}

fn sample_of(text: &str) -> &str {
    const SAMPLE: usize = 64 * 1024;
    if text.len() <= SAMPLE {
        return text;
    }
    let cut = match memchr::memrchr(b'\n', &text.as_bytes()[..SAMPLE]) {
        Some(i) => i + 1,
        None => SAMPLE,
    };
    let mut cut = cut;
    while !text.is_char_boundary(cut) {
        cut -= 1;
    }
    &text[..cut]
}

fn field_counts(sample: &str, delimiter: u8) -> Vec<u32> {
    let mut reader = reader_builder(delimiter).from_reader(sample.as_bytes());
    let mut record = csv::ByteRecord::new();
    let mut counts = Vec::new();
    while let Ok(true) = reader.read_byte_record(&mut record) {
        counts.push(record.len() as u32);
        if counts.len() >= 500 {
            break;
        }
    }
    counts
}

fn mode_of(counts: &[u32]) -> Option<(u32, usize)> {
    let mut sorted = counts.to_vec();
    sorted.sort_unstable();
    let mut best: Option<(u32, usize)> = None;
    for group in sorted.chunk_by(|a, b| a == b) {
        let (value, n) = (group[0], group.len());
        if best.is_none_or(|(bv, bn)| n > bn || (n == bn && value > bv)) {
            best = Some((value, n));
        }
    }
    best
}

fn reader_builder(delimiter: u8) -> csv::ReaderBuilder {
    let mut b = csv::ReaderBuilder::new();
    b.delimiter(delimiter)
        .has_headers(false)
        .flexible(true)
        .double_quote(true);
    b
}

/// Every record of a text, column by column.
pub struct Parsed {
    pub grid: Grid,
    pub lines: Vec<u32>,
    /// Records (grid row, field count) whose count differs from the usual one.
    pub ragged: Vec<(u32, u32)>,
    /// Blank rows, totals labels and unfilled cells, seen as the fields were split.
    pub flags: RowFlags,
}

#[derive(Default)]
struct Chunk {
    columns: Vec<ColumnBuilder>,
    rows: usize,
    lines: Vec<u32>,
    ragged: Vec<(u32, u32)>,
    /// Byte offset (in the whole text) of the first record not taken, if the
    /// chunk stopped at its end hint.
    stopped_at: Option<usize>,
    /// Per record: whether it is blank, and whether a field reads as a totals label.
    blank: Vec<bool>,
    label: Vec<bool>,
    /// The same of the record being read, so far.
    filled_now: bool,
    label_now: bool,
    /// Line ends in the chunk's text, when its line numbers count from its
    /// own start: the lines of the chunks before it are added when they are
    /// merged (rather than counted again by each chunk).
    newlines: Option<u32>,
}

#[derive(Default)]
struct ColumnBuilder {
    buf: Vec<u8>,
    ends: Vec<u32>,
    /// The last row of the chunk whose cell here is not filled.
    last_unfilled: Option<u32>,
}

/// Raised when a column outgrows 4 GiB.
#[derive(Debug)]
pub struct TooLarge;

pub fn parse(text: &str, delimiter: u8, usual: u32, threads: usize) -> Result<Parsed, TooLarge> {
    parse_in_chunks_of(
        text,
        (delimiter, usual),
        threads,
        PARALLEL_MIN_BYTES,
        (None, None),
    )
}

/// [`parse`] with the size from which a text is split into chunks, handing
/// parsed pages back through `behind` when the text is a file mapping;
/// `quotes` says whether the text holds a quote, when that is known.
fn parse_in_chunks_of(
    text: &str,
    (delimiter, usual): (u8, u32),
    threads: usize,
    min_bytes: usize,
    (behind, quotes): (Option<&Behind>, Option<bool>),
) -> Result<Parsed, TooLarge> {
    // Without a quote anywhere, a record is a line and a field is the text
    // between delimiters: split directly, without the quote-aware parser.
    let splitter = match quotes.unwrap_or_else(|| has_quote(text.as_bytes())) {
        false => Splitter::Plain(behind),
        true => Splitter::Quoted,
    };
    parse_with(text, delimiter, usual, threads, min_bytes, splitter)
}

/// Whether a quote appears anywhere: a large text is searched in pieces side by side.
fn has_quote(bytes: &[u8]) -> bool {
    match bytes.len() < 2 * PARALLEL_MIN_BYTES {
        true => memchr::memchr(b'"', bytes).is_some(),
        false => bytes
            .par_chunks(PARALLEL_MIN_BYTES)
            .any(|piece| memchr::memchr(b'"', piece).is_some()),
    }
}

/// The pages of a read-only file mapping that hold a text: once a stretch of
/// the text is parsed into columns its pages are handed back to the kernel.
/// They stay in the page cache and would read the same again; they just no
/// longer count in this process's memory, so a large file's text and its
/// columns are not both resident at the end of the read.
pub struct Behind {
    /// Address of the text's first byte.
    text: usize,
    /// The mapping's addresses.
    map: std::ops::Range<usize>,
}

impl Behind {
    /// For a text that lies within the mapped `bytes` (not a decoded copy).
    fn of(bytes: &[u8], text: &str) -> Option<Behind> {
        let map = bytes.as_ptr_range();
        let map = map.start as usize..map.end as usize;
        let start = text.as_ptr() as usize;
        (map.contains(&start) && start + text.len() <= map.end)
            .then_some(Behind { text: start, map })
    }

    /// Hands back the pages wholly within bytes `range` of the text; a page a
    /// neighbouring chunk also reads is kept.
    pub(super) fn release(&self, range: std::ops::Range<usize>) {
        const PAGE: usize = 4096;
        let from = (self.text + range.start)
            .max(self.map.start)
            .next_multiple_of(PAGE);
        let to = (self.text + range.end).min(self.map.end) / PAGE * PAGE;
        if from < to {
            #[cfg(unix)]
            // SAFETY: the pages lie within a read-only private file mapping
            // that outlives this call; dropping them only makes a later read
            // fault them in again from the file, with the same bytes.
            unsafe {
                libc::madvise(from as *mut libc::c_void, to - from, libc::MADV_DONTNEED);
            }
        }
    }
}

/// How a text's records are found.
#[derive(Clone, Copy)]
enum Splitter<'a> {
    /// No quote anywhere: lines and delimiters, handing back the pages of a
    /// file mapping as they are read, if the text is one.
    Plain(Option<&'a Behind>),
    /// The quote-aware parser.
    Quoted,
}

/// Splits `text` into chunks parsed side by side, with `splitter`.
fn parse_with(
    text: &str,
    delimiter: u8,
    usual: u32,
    threads: usize,
    min_bytes: usize,
    splitter: Splitter<'_>,
) -> Result<Parsed, TooLarge> {
    let bytes = text.as_bytes();
    let min_bytes = min_bytes.max(2);
    let n = if bytes.len() >= min_bytes {
        threads.clamp(1, 8).min(bytes.len() / (min_bytes / 2))
    } else {
        1
    };
    let seams = seams(bytes, n);
    let sizes = sizes(text, delimiter);
    let sizes = &sizes;
    let mut chunks: Vec<Result<Chunk, TooLarge>> = if let Splitter::Plain(behind) = splitter {
        // Seams fall after a line end, and a line end always ends a record.
        seams
            .par_windows(2)
            .map(|w| parse_plain_chunk(bytes, w[0]..w[1], (delimiter, usual), sizes, behind))
            .collect()
    } else if seams.len() <= 2 {
        vec![parse_chunk(bytes, 0, None, delimiter, usual, sizes)]
    } else {
        // On the shared pool: a large file read beside others takes whatever
        // threads they leave free.
        seams
            .par_windows(2)
            .map(|w| {
                let (start, end) = (w[0], w[1]);
                let hint = (end < bytes.len()).then_some(end);
                parse_chunk(bytes, start, hint, delimiter, usual, sizes)
            })
            .collect()
    };
    // Check each seam: the chunk before it must have stopped exactly there.
    let mut accepted: Vec<Chunk> = Vec::new();
    let mut i = 0;
    while i < chunks.len() {
        let chunk = std::mem::replace(&mut chunks[i], Err(TooLarge))?;
        let next_seam = seams.get(i + 1).copied().filter(|&s| s < bytes.len());
        match (chunk.stopped_at, next_seam) {
            (Some(stop), Some(seam)) if stop != seam => {
                // The guess split a record: parse the rest in one go from the true seam.
                accepted.push(chunk);
                accepted.push(parse_chunk(bytes, stop, None, delimiter, usual, sizes)?);
                break;
            }
            (None, Some(_)) => {
                // A quoted field ran over the seam to the end: this chunk has it all.
                accepted.push(chunk);
                break;
            }
            _ => accepted.push(chunk),
        }
        i += 1;
    }
    Ok(merge(accepted))
}

/// Chunk starts: 0 and, for each later chunk, the byte after a newline near
/// an even split. A seam may fall inside a quoted field; `parse` detects that.
fn seams(bytes: &[u8], n: usize) -> Vec<usize> {
    let mut out = vec![0];
    for k in 1..n {
        let target = bytes.len() * k / n;
        if let Some(nl) = memchr::memchr(b'\n', &bytes[target..]) {
            let seam = target + nl + 1;
            if seam < bytes.len() && seam > *out.last().unwrap_or(&0) {
                out.push(seam);
            }
        }
    }
    out.push(bytes.len());
    out
}

/// How big a file's records and columns are, from its first records, so column
/// buffers are allocated once instead of growing (and copying) as they fill.
#[derive(Debug, Clone, Default)]
struct Sizes {
    bytes_per_record: f64,
    /// Each column's share of a record's bytes.
    shares: Vec<f64>,
}

fn sizes(text: &str, delimiter: u8) -> Sizes {
    let sample = sample_of(text);
    let mut reader = reader_builder(delimiter).from_reader(sample.as_bytes());
    let mut record = csv::ByteRecord::new();
    let mut totals: Vec<usize> = Vec::new();
    let mut records = 0usize;
    while let Ok(true) = reader.read_byte_record(&mut record) {
        records += 1;
        if totals.len() < record.len() {
            totals.resize(record.len(), 0);
        }
        for (i, f) in record.iter().enumerate() {
            totals[i] += f.len();
        }
    }
    let all: usize = totals.iter().sum::<usize>().max(1);
    Sizes {
        bytes_per_record: sample.len() as f64 / records.max(1) as f64,
        shares: totals.iter().map(|&t| t as f64 / all as f64).collect(),
    }
}

impl Chunk {
    /// Columns up to `count`, each empty in the rows read so far.
    fn add_columns(&mut self, count: usize, alloc: (usize, usize, &Sizes)) {
        let (span, rows_guess, sizes) = alloc;
        let row = self.rows;
        let have = self.columns.len();
        self.columns.extend((have..count).map(|i| {
            let share = sizes.shares.get(i).copied().unwrap_or(0.0);
            let mut c = ColumnBuilder {
                buf: Vec::with_capacity((span as f64 * share * 1.1) as usize + 64),
                ends: Vec::with_capacity(rows_guess.max(row)),
                // The rows before hold no cell here.
                last_unfilled: (row as u32).checked_sub(1),
            };
            c.ends.resize(row, 0);
            c
        }));
    }
}

/// `more` after `all`; the first (`all` empty) is taken as it is, with room
/// for `total` (a large block grows in place, without a copy).
fn append<T: Copy>(all: &mut Vec<T>, more: Vec<T>, total: usize) {
    if all.is_empty() {
        *all = more;
        all.reserve(total.saturating_sub(all.len()));
    } else {
        all.extend_from_slice(&more);
    }
}

fn merge(mut chunks: Vec<Chunk>) -> Parsed {
    let width = chunks.iter().map(|c| c.columns.len()).max().unwrap_or(0);
    let total_rows: usize = chunks.iter().map(|c| c.rows).sum();
    let unfilled: Vec<Vec<Option<u32>>> = chunks
        .iter()
        .map(|c| c.columns.iter().map(|b| b.last_unfilled).collect())
        .collect();
    let texts: Vec<Vec<TextColumn>> = chunks
        .iter_mut()
        .map(|c| {
            std::mem::take(&mut c.columns)
                .into_iter()
                .map(|b| {
                    debug_assert!(std::str::from_utf8(&b.buf).is_ok());
                    // SAFETY: every chunk was split from one `&str` (see
                    // `parse_with`, the only caller), and a column's bytes
                    // are fields of it one after another: stretches of that
                    // text cut only at ASCII bytes (delimiters, line ends,
                    // quotes), less the ASCII quotes of quoted fields. An
                    // ASCII byte is never part of a longer character, so each
                    // stretch is whole characters, and so is the buffer.
                    // (The whole text was checked once, when it was decoded.)
                    let text = unsafe { String::from_utf8_unchecked(b.buf) };
                    TextColumn::from_parts(text, b.ends)
                })
                .collect()
        })
        .collect();
    let mut columns: Vec<TextColumn> = (0..width).map(|_| TextColumn::default()).collect();
    let mut lines: Vec<u32> = Vec::new();
    let mut ragged = Vec::new();
    let mut flags = RowFlags {
        blank: Vec::new(),
        label: Vec::new(),
        last_unfilled: vec![None; width],
    };
    let mut offset = 0u32;
    let mut lines_before = 0u32;
    for ((mut chunk, texts), unfilled) in chunks.into_iter().zip(texts).zip(unfilled) {
        if let Some(newlines) = chunk.newlines {
            if lines_before > 0 {
                chunk.lines.iter_mut().for_each(|l| *l += lines_before);
            }
            lines_before += newlines;
        }
        // Per column, the chunk's last unfilled row (a column it lacks: its last row).
        let mut unfilled = unfilled.into_iter();
        let lacking = (chunk.rows as u32).checked_sub(1);
        for last in flags.last_unfilled.iter_mut() {
            if let Some(r) = unfilled.next().unwrap_or(lacking) {
                *last = Some(offset + r);
            }
        }
        // The first chunk's rows stay where they are; the others follow.
        append(&mut flags.blank, chunk.blank, total_rows);
        append(&mut flags.label, chunk.label, total_rows);
        let mut parts = texts.into_iter();
        for column in columns.iter_mut() {
            match parts.next() {
                Some(part) => column.append(part),
                None => column.pad(chunk.rows),
            }
        }
        append(&mut lines, chunk.lines, total_rows);
        ragged.extend(chunk.ragged.into_iter().map(|(r, n)| (r + offset, n)));
        offset += chunk.rows as u32;
    }
    let grid = Grid::from_columns(columns.into_iter().map(Column::Text).collect());
    Parsed {
        grid,
        lines,
        ragged,
        flags,
    }
}

#[cfg(test)]
mod tests;
