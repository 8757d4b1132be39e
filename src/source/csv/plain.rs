//! Splitting CSV text that holds no quote: a record is a line, a field is the
//! text between delimiters, found 16 bytes at a time.

use super::{Behind, Chunk, Sizes, TooLarge};
use crate::source::layout::cell_flags;

/// Bytes of text parsed between hand-backs of its pages.
const RELEASE_EVERY: usize = 1 << 20;

/// [`parse_chunk`](super::quoted::parse_chunk) for text without quotes, from `start` to exactly `end`:
/// records are lines (a lone CR ends one too, as the quote-aware parser
/// has it), blank lines are skipped, fields are split at the delimiter.
///
/// The text is read 64 bytes at a time: a mask of its delimiters and one of
/// its line ends (comparisons the compiler turns into vector instructions),
/// then one step per set bit. Plain bytes cost no branch of their own.
///
/// With `behind`, the pages of the text read are handed back every
/// [`RELEASE_EVERY`] bytes, and at the end.
pub(super) fn parse_plain_chunk(
    bytes: &[u8],
    std::ops::Range { start, end }: std::ops::Range<usize>,
    (delimiter, usual): (u8, u32),
    sizes: &Sizes,
    behind: Option<&Behind>,
) -> Result<Chunk, TooLarge> {
    let span = end.saturating_sub(start);
    let rows_guess = (span as f64 / sizes.bytes_per_record.max(1.0) * 1.05) as usize + 16;
    let alloc = (span, rows_guess, sizes);
    let mut chunk = Chunk {
        lines: Vec::with_capacity(rows_guess),
        blank: Vec::with_capacity(rows_guess),
        label: Vec::with_capacity(rows_guess),
        stopped_at: (end < bytes.len()).then_some(end),
        ..Chunk::default()
    };
    let text = bytes.get(start..end).unwrap_or_default();
    // Lines count from the chunk's start; those before it are added on merging.
    let mut line = 1u32;
    // The current field starts at `from`; `field` is its index in the record,
    // `None` between records.
    let (mut from, mut field) = (0usize, None::<usize>);
    // Text before this is parsed and its pages handed back.
    let mut released = 0usize;
    for (block_no, block) in text.chunks(64).enumerate() {
        let base = block_no * 64;
        if let Some(b) = behind
            && base >= released + RELEASE_EVERY
        {
            // Every field before `from` is in the columns.
            b.release(start + released..start + from);
            released = from;
        }
        let (delimiters, line_ends) = masks(block, delimiter);
        let mut special = delimiters | line_ends;
        while special != 0 {
            let i = special.trailing_zeros() as usize;
            special &= special - 1;
            let at = base + i;
            // The text from the field's start on (for a fixed-size copy).
            let rest = text.get(from..).unwrap_or_default();
            let len = at - from;
            if delimiters >> i & 1 == 1 {
                let k = match field {
                    Some(k) => k,
                    None => {
                        chunk.lines.push(line);
                        0
                    }
                };
                chunk.push_field(k, (rest, len), alloc)?;
                field = Some(k + 1);
            } else {
                // A line end: it ends the record, if one has begun.
                match field {
                    Some(k) => {
                        chunk.push_field(k, (rest, len), alloc)?;
                        chunk.end_record(k + 1, usual);
                    }
                    None if len > 0 => {
                        chunk.lines.push(line);
                        chunk.push_field(0, (rest, len), alloc)?;
                        chunk.end_record(1, usual);
                    }
                    None => {}
                }
                if block[i] == b'\n' {
                    line += 1;
                }
                field = None;
            }
            from = at + 1;
        }
    }
    // The last record, when no line end follows it.
    let value = text.get(from..).unwrap_or_default();
    match field {
        Some(k) => {
            chunk.push_field(k, (value, value.len()), alloc)?;
            chunk.end_record(k + 1, usual);
        }
        None if !value.is_empty() => {
            chunk.lines.push(line);
            chunk.push_field(0, (value, value.len()), alloc)?;
            chunk.end_record(1, usual);
        }
        None => {}
    }
    if let Some(b) = behind {
        b.release(start..end);
    }
    chunk.newlines = Some(line - 1);
    Ok(chunk)
}

/// Bit `i` set where byte `i` of `block` (at most 64 bytes) is the delimiter,
/// and where it ends a line (LF or CR).
#[inline]
fn masks(block: &[u8], delimiter: u8) -> (u64, u64) {
    #[cfg(target_arch = "x86_64")]
    {
        let (mut delimiters, mut line_ends) = (0u64, 0u64);
        let mut sixteens = block.chunks_exact(16);
        for (n, sixteen) in sixteens.by_ref().enumerate() {
            // SAFETY: SSE2 is part of the x86-64 baseline: every x86-64 CPU has it.
            let (d, e) = unsafe { masks16(sixteen, delimiter) };
            delimiters |= u64::from(d) << (16 * n);
            line_ends |= u64::from(e) << (16 * n);
        }
        let done = block.len() - sixteens.remainder().len();
        if done < 64 {
            let (d, e) = byte_masks(sixteens.remainder(), delimiter);
            delimiters |= d << done;
            line_ends |= e << done;
        }
        (delimiters, line_ends)
    }
    #[cfg(not(target_arch = "x86_64"))]
    byte_masks(block, delimiter)
}

/// [`masks`] a byte at a time: the tail of a block, and CPUs other than x86-64.
fn byte_masks(bytes: &[u8], delimiter: u8) -> (u64, u64) {
    let (mut delimiters, mut line_ends) = (0u64, 0u64);
    for (i, &b) in bytes.iter().take(64).enumerate() {
        delimiters |= u64::from(b == delimiter) << i;
        line_ends |= u64::from((b == b'\n') | (b == b'\r')) << i;
    }
    (delimiters, line_ends)
}

/// [`masks`] of 16 bytes with SSE2 (every x86-64 has it): three byte
/// comparisons and two move-masks.
#[cfg(target_arch = "x86_64")]
#[target_feature(enable = "sse2")]
#[inline]
fn masks16(sixteen: &[u8], delimiter: u8) -> (u16, u16) {
    use std::arch::x86_64::{
        _mm_cmpeq_epi8, _mm_movemask_epi8, _mm_or_si128, _mm_set_epi64x, _mm_set1_epi8,
    };
    let half = |at: usize| {
        let mut b = [0u8; 8];
        b.copy_from_slice(sixteen.get(at..at + 8).unwrap_or(&[0; 8]));
        i64::from_le_bytes(b)
    };
    let v = _mm_set_epi64x(half(8), half(0));
    let is = |byte: u8| _mm_cmpeq_epi8(v, _mm_set1_epi8(byte as i8));
    let d = _mm_movemask_epi8(is(delimiter)) as u16;
    let e = _mm_movemask_epi8(_mm_or_si128(is(b'\n'), is(b'\r'))) as u16;
    (d, e)
}

/// Appends `value`, which `rest` starts with, to `buf`. A field of at most
/// 16 bytes with 16 bytes of text from its start is copied as one
/// fixed-size block, past its end into the spare room, not by a call to
/// `memcpy` per field.
#[inline(always)]
fn append_field(buf: &mut Vec<u8>, value: &[u8], rest: &[u8]) {
    match rest.first_chunk::<16>() {
        Some(wide) if value.len() <= 16 => {
            buf.reserve(16);
            let len = buf.len();
            // SAFETY: `reserve` left room for 16 bytes past `len`; `wide` is
            // 16 bytes that begin with the field's, so the first
            // `value.len()` bytes written are the field and the length set
            // covers only them (the rest is spare room, written but unused).
            unsafe {
                std::ptr::copy_nonoverlapping(wide.as_ptr(), buf.as_mut_ptr().add(len), 16);
                buf.set_len(len + value.len());
            }
        }
        _ => buf.extend_from_slice(value),
    }
}

impl Chunk {
    /// Appends field `k` of the record being read (row [`Chunk::rows`]),
    /// adding a column, empty in the rows before, when the record is wider
    /// than any before it. The field comes as the text from its start on and
    /// its length, which lets a short field be copied as 16 bytes. `alloc`
    /// is (the chunk's bytes, its guessed records, the file's sizes), to
    /// allocate a new column.
    #[inline(always)]
    pub(super) fn push_field(
        &mut self,
        k: usize,
        (rest, len): (&[u8], usize),
        alloc: (usize, usize, &Sizes),
    ) -> Result<(), TooLarge> {
        let value = rest.get(..len).unwrap_or(rest);
        if k >= self.columns.len() {
            self.add_columns(k + 1, alloc);
        }
        let Some(column) = self.columns.get_mut(k) else {
            return Err(TooLarge);
        };
        let (filled, label) = cell_flags(value);
        self.filled_now |= filled;
        self.label_now |= label;
        if !filled {
            column.last_unfilled = Some(self.rows as u32);
        }
        append_field(&mut column.buf, value, rest);
        let end = u32::try_from(column.buf.len()).map_err(|_| TooLarge)?;
        column.ends.push(end);
        Ok(())
    }

    /// Ends the record being read, which had `count` fields: the columns past
    /// them get an empty cell.
    pub(super) fn end_record(&mut self, count: usize, usual: u32) {
        let row = self.rows as u32;
        for column in self.columns.iter_mut().skip(count) {
            // The text did not grow: its length was checked with its last cell.
            let end = column.ends.last().copied().unwrap_or(0);
            column.ends.push(end);
            column.last_unfilled = Some(row);
        }
        self.blank.push(!std::mem::take(&mut self.filled_now));
        self.label.push(std::mem::take(&mut self.label_now));
        if count as u32 != usual {
            self.ragged.push((self.rows as u32, count as u32));
        }
        self.rows += 1;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_field_is_appended_alone_however_much_text_follows_it() {
        let text = b"0123456789abcdefghij";
        for len in [0, 1, 12, 16, 17, 20] {
            for start in [0, 3, text.len() - len.min(text.len())] {
                let rest = &text[start..];
                let Some(value) = rest.get(..len) else {
                    continue;
                };
                // Into an empty buffer and after earlier fields, with and
                // without room left.
                for before in [&b""[..], b"xy"] {
                    let mut buf = before.to_vec();
                    append_field(&mut buf, value, rest);
                    assert_eq!(buf, [before, value].concat(), "len {len} at {start}");
                }
            }
        }
    }

    proptest::proptest! {
        /// The vector masks equal the byte-by-byte ones, for every block length
        /// and any delimiter, line end or other byte at any position.
        #[test]
        fn vector_masks_equal_byte_masks(
            block in proptest::collection::vec(proptest::sample::select(vec![b'a', b',', b';', b'\n', b'\r', 0xC3, 0]), 0..=64),
            delimiter in proptest::sample::select(vec![b',', b';', b'\t'])
        ) {
            proptest::prop_assert_eq!(masks(&block, delimiter), byte_masks(&block, delimiter));
        }
    }
}
