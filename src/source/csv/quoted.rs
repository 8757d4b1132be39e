//! Splitting CSV text that holds quotes, with the quote-aware parser of
//! `csv_core`: a quoted field may hold delimiters and line ends.

use super::{Chunk, Sizes, TooLarge};

/// Parses the records of `bytes` from `start` to the end, or, with
/// `stop_hint`, up to the first record that starts at or after it (where it
/// stopped is then in [`Chunk::stopped_at`]): a chunk whose end was guessed
/// may find that a quoted field ran over it.
pub(super) fn parse_chunk(
    bytes: &[u8],
    start: usize,
    stop_hint: Option<usize>,
    delimiter: u8,
    usual: u32,
    sizes: &Sizes,
) -> Result<Chunk, TooLarge> {
    use csv_core::ReadRecordResult as R;
    let span = stop_hint.unwrap_or(bytes.len()).saturating_sub(start);
    let rows_guess = (span as f64 / sizes.bytes_per_record.max(1.0) * 1.05) as usize + 16;
    // Each record's start, for its line number: after the previous record's line
    // end and any blank lines (a quoted field may hold line ends of its own).
    let mut starts: Vec<usize> = Vec::with_capacity(rows_guess);
    let mut core = csv_core::ReaderBuilder::new()
        .delimiter(delimiter)
        .double_quote(true)
        .build();
    let mut input = &bytes[start..];
    let mut consumed = start;
    let mut out = vec![0u8; 4096];
    let mut ends = vec![0usize; 64];
    let mut chunk = Chunk::default();
    loop {
        let mut at = consumed;
        let (mut outlen, mut endlen) = (0usize, 0usize);
        let got = loop {
            let (res, nin, nout, nend) =
                core.read_record(input, &mut out[outlen..], &mut ends[endlen..]);
            input = &input[nin..];
            consumed += nin;
            outlen += nout;
            endlen += nend;
            match res {
                R::InputEmpty => continue,
                R::OutputFull => out.resize(out.len() * 2, 0),
                R::OutputEndsFull => ends.resize(ends.len() * 2, 0),
                R::Record => break true,
                R::End => break false,
            }
        };
        if !got {
            break;
        }
        while matches!(bytes.get(at), Some(b'\r' | b'\n')) {
            at += 1;
        }
        if let Some(hint) = stop_hint
            && at >= hint
        {
            chunk.stopped_at = Some(at);
            break;
        }
        let mut prev = 0;
        let fields = ends[..endlen].iter().map(|&end| {
            let field = &out[prev..end];
            prev = end;
            field
        });
        chunk.push_record(endlen, fields, usual, (span, rows_guess, sizes))?;
        starts.push(at);
    }
    chunk.lines = line_numbers(bytes, start, &starts);
    Ok(chunk)
}

impl Chunk {
    /// Appends one record's fields (`count` of them) field by field, as the
    /// plain splitter does ([`Chunk::push_field`], [`Chunk::end_record`]): the
    /// same columns, padding, ragged records and row flags. `size` is as in
    /// [`Chunk::push_field`].
    fn push_record<'f>(
        &mut self,
        count: usize,
        fields: impl Iterator<Item = &'f [u8]>,
        usual: u32,
        size: (usize, usize, &Sizes),
    ) -> Result<(), TooLarge> {
        for (k, field) in fields.take(count).enumerate() {
            self.push_field(k, (field, field.len()), size)?;
        }
        self.end_record(count, usual);
        Ok(())
    }
}

/// The 1-based line each record starts on, from one pass over the line ends.
fn line_numbers(bytes: &[u8], start: usize, starts: &[usize]) -> Vec<u32> {
    let mut line = 1 + memchr::memchr_iter(b'\n', &bytes[..start]).count() as u32;
    let end = starts.last().copied().unwrap_or(start).min(bytes.len());
    let mut newlines = memchr::memchr_iter(b'\n', &bytes[start..end])
        .map(|p| p + start)
        .peekable();
    let mut out = Vec::with_capacity(starts.len());
    for &at in starts {
        while newlines.next_if(|&p| p < at).is_some() {
            line += 1;
        }
        out.push(line);
    }
    out
}
