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
                        for (t, &row) in out.iter_mut().zip(rows) {
                            *t &= !tainted.contains(source, row);
                        }
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

/// Rows hashed per piece, the pieces side by side.
const PIECE: usize = 1 << 17;

/// One hash per row over every column of `parts` (nulls hash alike, as they
/// group alike), mixed down to 32 bits: half the memory of polars' 64-bit
/// hashes. Two different keys share a hash about once in four billion pairs,
/// which costs a candidate row, never a finding: candidates are grouped on
/// their keys exactly. Hashes do not depend on where the table is cut, so
/// pieces of it are hashed side by side.
pub fn key_hashes(parts: &DataFrame) -> PolarsResult<Vec<u32>> {
    let n = parts.height();
    let mut out = vec![0u32; n];
    out.par_chunks_mut(PIECE)
        .enumerate()
        .try_for_each(|(i, dest)| {
            let piece = parts.slice((i * PIECE) as i64, dest.len());
            let hashes = hash_rows(&piece)?;
            if hashes.len() != dest.len() {
                polars_bail!(ComputeError: "a key hash per row was expected");
            }
            for (d, h) in dest.iter_mut().zip(hashes) {
                *d = mix(h);
            }
            Ok(())
        })?;
    Ok(out)
}

/// The top 32 bits of a multiplicative mix: every bit of the hash counts.
fn mix(h: u64) -> u32 {
    (h.wrapping_mul(0x9E37_79B9_7F4A_7C15) >> 32) as u32
}

fn hash_rows(parts: &DataFrame) -> PolarsResult<Vec<u64>> {
    let state = PlSeedableRandomStateQuality::seed_from_u64(0);
    let mut hashes = Vec::with_capacity(parts.height());
    for (i, column) in parts.columns().iter().enumerate() {
        match i {
            0 => column.vec_hash(state.clone(), &mut hashes)?,
            _ => column.vec_hash_combine(state.clone(), &mut hashes)?,
        }
    }
    if parts.width() == 0 {
        hashes.resize(parts.height(), 0);
    }
    Ok(hashes)
}

/// The positions, ascending, of the rows taking part whose hash some other row
/// taking part carries too.
///
/// A table of two bits a slot (seen once, seen again), eight slots a row, is
/// filled in one pass; it is small enough to stay in the core's cache. Only the
/// rows in a slot seen again (about a tenth) are then sorted by hash to find
/// the exact repeats. No hash table, no sort of every row.
pub fn repeated_rows(hashes: &[u32], taking_part: &[bool]) -> Vec<IdxSize> {
    // A slot per value of the top bits of a 32-bit hash at most.
    let most = usize::try_from(1u64 << 32).unwrap_or(usize::MAX);
    let slots = (hashes.len().max(1) * 8)
        .next_power_of_two()
        .clamp(64, most);
    let shift = 32 - slots.trailing_zeros();
    // Hashes are mixed already: the slot is taken from their top bits.
    let slot = |h: u32| (u64::from(h) >> shift) as usize;
    let at = |h: u32| {
        let s = slot(h);
        (s / 32, s % 32 * 2)
    };
    let rows = || {
        hashes
            .iter()
            .zip(taking_part)
            .enumerate()
            .filter(|(_, (_, t))| **t)
            .map(|(i, (&h, _))| (i, h))
    };
    let mut table = vec![0u64; slots / 32];
    for (_, h) in rows() {
        let (word, bit) = at(h);
        // Without a branch: seen before sets "again".
        let w = table[word];
        let once = 1u64 << bit;
        table[word] = w | once | ((w & once) << 1);
    }
    let mut candidates: Vec<(u32, IdxSize)> = rows()
        .filter(|&(_, h)| {
            let (word, bit) = at(h);
            table[word] >> (bit + 1) & 1 == 1
        })
        .map(|(i, h)| (h, i as IdxSize))
        .collect();
    drop(table);
    candidates.par_sort_unstable();
    let mut out: Vec<IdxSize> = candidates
        .chunk_by(|a, b| a.0 == b.0)
        .filter(|run| run.len() > 1)
        .flatten()
        .map(|&(_, i)| i)
        .collect();
    out.sort_unstable();
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_rows_whose_hash_recurs_are_found() {
        assert_eq!(
            repeated_rows(&[7, 3, 7, 9, 3, 7], &[true; 6]),
            [0, 1, 2, 4, 5]
        );
        assert_eq!(repeated_rows(&[1, 2, 3], &[true; 3]), Vec::<IdxSize>::new());
        assert_eq!(repeated_rows(&[], &[]), Vec::<IdxSize>::new());
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
        let got = repeated_rows(&hashes, &vec![true; hashes.len()]);
        assert_eq!(got.len(), 10_000);
        assert_eq!(got, expected);
    }

    #[test]
    fn rows_not_taking_part_neither_repeat_nor_are_repeated() {
        // Rows 1 and 4 share a hash, but row 4 does not take part (tainted).
        let got = repeated_rows(&[5, 9, 5, 2, 9], &[true, true, true, true, false]);
        assert_eq!(got, [0, 2]);
    }

    #[test]
    fn hashes_do_not_depend_on_how_the_table_is_cut() {
        let n = PIECE * 2 + 17;
        let ids: Vec<String> = (0..n).map(|i| format!("SO-{}", i % 1000)).collect();
        let lines: Vec<Option<i64>> = (0..n)
            .map(|i| (i % 7 != 0).then_some(i as i64 % 4))
            .collect();
        let df = df!("order_id" => ids, "line_no" => lines).unwrap();
        let whole: Vec<u32> = hash_rows(&df).unwrap().into_iter().map(mix).collect();
        assert_eq!(key_hashes(&df).unwrap(), whole);
        // Equal keys hash alike across pieces: row i and row i + 28,000 (a
        // multiple of 1000 and of 7 and of 4).
        assert_eq!(whole[5], whole[5 + 28_000]);
        assert_ne!(whole[5], whole[6]);
    }
}
