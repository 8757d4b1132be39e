//! The rows of a table whose key may recur, found without grouping every row:
//! which rows take part, one hash per row over the key, and the rows whose hash
//! is carried by another row too. Only those few rows are then grouped exactly.

use polars::prelude::*;
use rayon::prelude::*;

use crate::model::canonical::{TaintedRows, for_each_row};

/// Per row of `df`: whether it takes part, that is, it comes from one of
/// `sources`, is not tainted, and `present` (its key parts are there) holds.
pub fn taking_part(
    df: &DataFrame,
    present: &Expr,
    sources: &[u32],
    tainted: &TaintedRows,
) -> PolarsResult<Vec<bool>> {
    let n = df.height();
    let present = df
        .clone()
        .lazy()
        .select([present.clone().alias("_present")])
        .collect()?;
    let present = present.column("_present")?.bool()?;
    // A constant answers for every row.
    let mut out: Vec<bool> = match present.len() {
        1 if n != 1 => vec![present.get(0) == Some(true); n],
        _ => {
            // Straight from the bitmaps: set and not null.
            let mut out = Vec::with_capacity(n);
            for arr in present.downcast_iter() {
                match arr.validity() {
                    // Every row present (the usual case): no bit by bit.
                    None if arr.values().unset_bits() == 0 => {
                        out.resize(out.len() + arr.len(), true)
                    }
                    None => out.extend(arr.values().iter()),
                    Some(valid) => {
                        out.extend(arr.values().iter().zip(valid.iter()).map(|(v, ok)| v && ok))
                    }
                }
            }
            out
        }
    };
    let rows = df.column("_row")?.u32()?;
    match (df.column("_source")?.as_scalar_column(), rows.cont_slice()) {
        // One source, every row numbered (the common frame): the source is
        // looked at once, and only its tainted rows' bits per row.
        (Some(one), Ok(rows)) => {
            match one
                .scalar()
                .value()
                .extract::<u32>()
                .filter(|s| sources.contains(s))
            {
                None => out.fill(false),
                Some(source) => {
                    if tainted.any_in(source) {
                        untaint(&mut out, rows, tainted.rows_in(source));
                    }
                }
            }
        }
        _ => for_each_row(df, |i, source, row| {
            if let Some(t) = out.get_mut(i) {
                *t &= source
                    .zip(row)
                    .is_some_and(|(s, r)| sources.contains(&s) && !tainted.contains(s, r));
            }
        })?,
    }
    Ok(out)
}

/// Clears `out` at the rows (of `rows`, one per entry of `out`) that are
/// `tainted`. Rows in ascending order (a source read top to bottom) are each
/// found by a search, the tainted being few; otherwise every row is looked at.
fn untaint(out: &mut [bool], rows: &[u32], tainted: impl Iterator<Item = u32>) {
    if rows.windows(2).all(|w| w[0] < w[1]) {
        for row in tainted {
            if let Ok(i) = rows.binary_search(&row)
                && let Some(t) = out.get_mut(i)
            {
                *t = false;
            }
        }
    } else {
        let set: std::collections::HashSet<u32> = tainted.collect();
        for (t, row) in out.iter_mut().zip(rows) {
            *t &= !set.contains(row);
        }
    }
}

/// Rows hashed per piece, the pieces side by side.
const PIECE: usize = 1 << 17;
/// Rows of a piece hashed at a time.
const BLOCK: usize = 1 << 12;

/// Rows are dealt into this many parts by the top bits of their hash: a part's
/// table of slots is small enough for the core's fastest cache, and the parts
/// are searched side by side.
const PART_BITS: u32 = 6;
const PARTS: usize = 1 << PART_BITS;

/// The rows taking part of a piece of the table, dealt into parts by hash:
/// (hash, row) in row order, the parts one after another in one block.
/// Freed, a block this large goes back to the system: parts in blocks of
/// their own (a few KiB each) stayed in the heap, 6 MiB of it after the rule.
struct Dealt {
    pairs: Vec<(u32, IdxSize)>,
    /// Where each part starts in `pairs`, and where the last ends.
    starts: [usize; PARTS + 1],
}

impl Dealt {
    fn part(&self, p: usize) -> &[(u32, IdxSize)] {
        match (self.starts.get(p), self.starts.get(p + 1)) {
            (Some(&from), Some(&to)) => self.pairs.get(from..to).unwrap_or(&[]),
            _ => &[],
        }
    }
}

/// The positions, ascending, of the rows taking part whose key hash (over
/// every column of `parts`) some other row taking part carries too.
///
/// One hash per row, mixed down to 32 bits (nulls hash alike, as they group
/// alike). Two different keys share a hash about once in four billion pairs,
/// which costs a candidate row, never a finding: candidates are grouped on
/// their keys exactly. Hashes do not depend on where the table is cut, so
/// pieces of it are hashed side by side, each dealing its rows into parts.
pub fn repeated_rows(parts: &DataFrame, taking_part: &[bool]) -> PolarsResult<Vec<IdxSize>> {
    let n = parts.height();
    if taking_part.len() != n {
        polars_bail!(ComputeError: "a taking-part flag per row was expected");
    }
    let pieces: Vec<Dealt> = (0..n.div_ceil(PIECE))
        .into_par_iter()
        .map(|i| {
            let first = i * PIECE;
            let rows = PIECE.min(n - first);
            // Hashed a block at a time into one small buffer, reused, and
            // kept mixed down to 32 bits.
            let mut mixed = Vec::with_capacity(rows);
            let mut hashes = Vec::with_capacity(BLOCK);
            for from in (first..first + rows).step_by(BLOCK) {
                let block = parts.slice(from as i64, BLOCK.min(first + rows - from));
                hash_rows_into(&block, &mut hashes)?;
                mixed.extend(hashes.iter().map(|&h| mix(h)));
            }
            match taking_part.get(first..first + mixed.len()) {
                Some(taking) if mixed.len() == rows => Ok(deal(&mixed, taking, first)),
                _ => polars_bail!(ComputeError: "a key hash per row was expected"),
            }
        })
        .collect::<PolarsResult<_>>()?;
    Ok(repeats_of_dealt(&pieces))
}

/// [`repeated_rows`] of hashes already made, as one piece.
#[cfg(test)]
fn repeated_among(hashes: &[u32], taking_part: &[bool]) -> Vec<IdxSize> {
    repeats_of_dealt(&[deal(hashes, taking_part, 0)])
}

fn repeats_of_dealt(pieces: &[Dealt]) -> Vec<IdxSize> {
    let mut out: Vec<IdxSize> = (0..PARTS)
        .into_par_iter()
        .flat_map_iter(|p| repeats_in_part(pieces.iter().map(|d| d.part(p))))
        .collect();
    out.sort_unstable();
    out
}

/// The rows of a piece (its first row at `first`) that take part, by part:
/// counted first, so each part's place in the block is known.
fn deal(hashes: &[u32], taking_part: &[bool], first: usize) -> Dealt {
    let part = |h: u32| (h >> (32 - PART_BITS)) as usize;
    let mut starts = [0usize; PARTS + 1];
    for (&h, &taking) in hashes.iter().zip(taking_part) {
        starts[part(h) + 1] += usize::from(taking);
    }
    for p in 0..PARTS {
        starts[p + 1] += starts[p];
    }
    let mut pairs = vec![(0u32, 0 as IdxSize); starts[PARTS]];
    let mut at = starts;
    for (i, (&h, &taking)) in hashes.iter().zip(taking_part).enumerate() {
        if taking && let Some(slot) = at.get_mut(part(h)) {
            if let Some(pair) = pairs.get_mut(*slot) {
                *pair = (h, (first + i) as IdxSize);
            }
            *slot += 1;
        }
    }
    Dealt { pairs, starts }
}

/// The rows of one part whose hash another row of the part carries too.
///
/// A table of two bits a slot (seen once, seen again), sixteen slots a row,
/// is filled in one pass; only the rows in a slot seen again (about one in
/// sixteen) are then sorted by hash to find the exact repeats. No hash table,
/// no sort of every row. The table of a part of 16k rows is 64 KiB: below
/// the size glibc maps afresh for each block (with 32 slots a row it was, and
/// the search took twice as long).
fn repeats_in_part<'a>(lists: impl Iterator<Item = &'a [(u32, IdxSize)]> + Clone) -> Vec<IdxSize> {
    let rows = || lists.clone().flatten().copied();
    let count: usize = lists.clone().map(<[_]>::len).sum();
    if count < 2 {
        return Vec::new();
    }
    // The slot is taken from the bits below the part's own.
    let slots = (count * 16)
        .next_power_of_two()
        .clamp(64, 1 << (32 - PART_BITS));
    let bits = slots.trailing_zeros();
    let at = |h: u32| {
        let s = ((h << PART_BITS) >> (32 - bits)) as usize;
        (s / 32, s % 32 * 2)
    };
    let mut table = vec![0u64; slots / 32];
    for (h, _) in rows() {
        let (word, bit) = at(h);
        // Without a branch: seen before sets "again".
        let w = table[word];
        let once = 1u64 << bit;
        table[word] = w | once | ((w & once) << 1);
    }
    let mut candidates: Vec<(u32, IdxSize)> = rows()
        .filter(|&(h, _)| {
            let (word, bit) = at(h);
            table[word] >> (bit + 1) & 1 == 1
        })
        .collect();
    candidates.sort_unstable();
    candidates
        .chunk_by(|a, b| a.0 == b.0)
        .filter(|run| run.len() > 1)
        .flatten()
        .map(|&(_, i)| i)
        .collect()
}

/// The top 32 bits of a multiplicative mix: every bit of the hash counts.
fn mix(h: u64) -> u32 {
    (h.wrapping_mul(0x9E37_79B9_7F4A_7C15) >> 32) as u32
}

#[cfg(test)]
fn hash_rows(parts: &DataFrame) -> PolarsResult<Vec<u64>> {
    let mut hashes = Vec::new();
    hash_rows_into(parts, &mut hashes)?;
    Ok(hashes)
}

/// One hash per row of `parts` into `hashes` (what it held is dropped).
fn hash_rows_into(parts: &DataFrame, hashes: &mut Vec<u64>) -> PolarsResult<()> {
    let state = PlSeedableRandomStateQuality::seed_from_u64(0);
    hashes.clear();
    for (i, column) in parts.columns().iter().enumerate() {
        match i {
            0 => column.vec_hash(state.clone(), hashes)?,
            _ => column.vec_hash_combine(state.clone(), hashes)?,
        }
    }
    if parts.width() == 0 {
        hashes.resize(parts.height(), 0);
    }
    if hashes.len() != parts.height() {
        polars_bail!(ComputeError: "a key hash per row was expected");
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tainted_rows_are_cleared_in_order_or_not() {
        let tainted = [4u32, 9, 30];
        let mut out = vec![true; 5];
        untaint(&mut out, &[2, 4, 5, 9, 12], tainted.iter().copied());
        assert_eq!(out, [true, false, true, false, true]);
        let mut out = vec![true, true, false, true];
        untaint(&mut out, &[9, 3, 4, 4], tainted.iter().copied());
        assert_eq!(out, [false, true, false, false]);
    }

    #[test]
    fn only_rows_whose_hash_recurs_are_found() {
        assert_eq!(
            repeated_among(&[7, 3, 7, 9, 3, 7], &[true; 6]),
            [0, 1, 2, 4, 5]
        );
        assert_eq!(
            repeated_among(&[1, 2, 3], &[true; 3]),
            Vec::<IdxSize>::new()
        );
        assert_eq!(repeated_among(&[], &[]), Vec::<IdxSize>::new());
    }

    #[test]
    fn repeats_are_exact_even_when_slots_collide() {
        // 20,000 hashes over 15,000 distinct values: many share a slot without
        // being equal; the rows found must match a plain count exactly.
        let hashes: Vec<u32> = (0..20_000u64)
            .map(|i| mix((i * 7_919 % 15_000).wrapping_mul(0x2545_F491_4F6C_DD1D) ^ 0xABCD))
            .collect();
        let mut counts = std::collections::HashMap::new();
        for h in &hashes {
            *counts.entry(*h).or_insert(0) += 1;
        }
        let expected: Vec<IdxSize> = (0..hashes.len())
            .filter(|&i| counts[&hashes[i]] > 1)
            .map(|i| i as IdxSize)
            .collect();
        let got = repeated_among(&hashes, &vec![true; hashes.len()]);
        assert_eq!(got.len(), 10_000);
        assert_eq!(got, expected);
    }

    #[test]
    fn rows_not_taking_part_neither_repeat_nor_are_repeated() {
        // Rows 1 and 4 share a hash, but row 4 does not take part (tainted).
        let got = repeated_among(&[5, 9, 5, 2, 9], &[true, true, true, true, false]);
        assert_eq!(got, [0, 2]);
    }

    #[test]
    fn repeats_are_found_across_pieces_as_in_one_piece() {
        let n = PIECE * 2 + 17;
        // Every key once, but rows 5, PIECE + 5 and 2 * PIECE + 3 share one,
        // and rows 8 and 9 share a null line number under one id.
        let ids: Vec<String> = (0..n)
            .map(|i| match i {
                i if i == PIECE + 5 || i == 2 * PIECE + 3 => "SO-5".to_string(),
                9 => "SO-8".to_string(),
                i => format!("SO-{i}"),
            })
            .collect();
        let lines: Vec<Option<i64>> = (0..n)
            .map(|i| match i {
                8 | 9 => None,
                i if i == PIECE + 5 || i == 2 * PIECE + 3 => Some(5),
                i => Some(i as i64),
            })
            .collect();
        let df = df!("order_id" => ids, "line_no" => lines).unwrap();
        let taking = vec![true; n];
        let got = repeated_rows(&df, &taking).unwrap();
        let whole: Vec<u32> = hash_rows(&df).unwrap().into_iter().map(mix).collect();
        assert_eq!(got, repeated_among(&whole, &taking));
        // Besides the repeats, 32-bit hashes of 262k keys share a few values
        // by chance (candidates, grouped exactly later).
        let keys = [5, 8, 9, PIECE + 5, 2 * PIECE + 3].map(|i| i as IdxSize);
        assert!(keys.iter().all(|k| got.contains(k)), "{got:?}");
        assert!(got.len() < keys.len() + 40, "{got:?}");
        // A row not taking part is neither a repeat nor repeated.
        let mut taking = taking;
        taking[PIECE + 5] = false;
        taking[9] = false;
        let got = repeated_rows(&df, &taking).unwrap();
        assert_eq!(got, repeated_among(&whole, &taking));
        for (row, found) in [
            (5, true),
            (2 * PIECE + 3, true),
            (PIECE + 5, false),
            (8, false),
            (9, false),
        ] {
            assert_eq!(got.contains(&(row as IdxSize)), found, "row {row}");
        }
    }
}
