//! Parsed numbers and dates of one column, stored as the values and a validity
//! flag per row: about half the memory of `Vec<Option<i128>>`, and the values
//! handed to polars as they are, without a copy.

use polars::prelude::*;
use polars_arrow::bitmap::Bitmap;

/// One value per row, `None` where the validity bit is off.
#[derive(Clone, Default)]
pub struct Slots<T> {
    values: Vec<T>,
    /// A byte per row while parsing (a bitmap is built once, for polars).
    valid: Vec<bool>,
}

impl<T: Copy + Default> Slots<T> {
    pub fn with_capacity(n: usize) -> Slots<T> {
        Slots {
            values: Vec::with_capacity(n),
            valid: Vec::with_capacity(n),
        }
    }

    #[inline]
    pub fn push(&mut self, v: Option<T>) {
        self.values.push(v.unwrap_or_default());
        self.valid.push(v.is_some());
    }

    /// `n` rows without a value, to be filled in place.
    pub fn empty(n: usize) -> Slots<T> {
        Slots {
            values: vec![T::default(); n],
            valid: vec![false; n],
        }
    }

    /// The rows cut into consecutive runs of the given lengths (rows past
    /// their sum are left out), each run's values and validity flags.
    pub fn runs_mut(&mut self, lens: &[usize]) -> Vec<(&mut [T], &mut [bool])> {
        let (mut values, mut valid) = (self.values.as_mut_slice(), self.valid.as_mut_slice());
        let mut out = Vec::with_capacity(lens.len());
        for &n in lens {
            let n = n.min(values.len());
            let (v, rest_v) = std::mem::take(&mut values).split_at_mut(n);
            let (f, rest_f) = std::mem::take(&mut valid).split_at_mut(n);
            out.push((v, f));
            (values, valid) = (rest_v, rest_f);
        }
        out
    }

    pub fn len(&self) -> usize {
        self.values.len()
    }

    pub fn is_empty(&self) -> bool {
        self.values.is_empty()
    }

    /// Whether row `i` holds a value.
    pub fn is_valid(&self, i: usize) -> bool {
        self.valid.get(i) == Some(&true)
    }

    /// Per row: whether it holds a value.
    pub fn valid(&self) -> &[bool] {
        &self.valid
    }

    /// Whether any row holds no value.
    pub fn has_nulls(&self) -> bool {
        any_off(&self.valid)
    }

    pub fn get(&self, i: usize) -> Option<T> {
        (self.valid.get(i) == Some(&true)).then(|| self.values[i])
    }

    /// Sets row `i` (a row past the end is left alone).
    pub fn set(&mut self, i: usize, v: Option<T>) {
        if i < self.len() {
            self.values[i] = v.unwrap_or_default();
            self.valid[i] = v.is_some();
        }
    }

    pub fn iter(&self) -> impl Iterator<Item = Option<T>> + '_ {
        (0..self.len()).map(|i| self.get(i))
    }

    /// Keeps only the rows of `runs`, in place: no second copy of the column.
    pub fn compact(&mut self, runs: &Runs) {
        compact(&mut self.values, runs);
        compact(&mut self.valid, runs);
    }

    /// The rows at `indices`, in that order.
    pub fn select(&self, indices: &[usize]) -> Slots<T> {
        indices.iter().map(|&i| self.get(i)).collect()
    }
}

/// The polars null mask of a column's validity flags: none when every row
/// has a value.
pub fn null_mask(valid: Vec<bool>) -> Option<Bitmap> {
    any_off(&valid).then(|| valid.into_iter().collect())
}

/// Rows looked at together: a block with every flag on is passed over at once.
const BLOCK: usize = 64;

fn all_on(block: &[bool]) -> bool {
    // Without an early exit, so the block is tested a vector at a time.
    block.iter().fold(true, |all, &on| all & on)
}

/// Whether any flag is off.
pub fn any_off(flags: &[bool]) -> bool {
    !flags.chunks(BLOCK).all(all_on)
}

/// The rows whose flag is off, ascending.
pub fn off_rows(flags: &[bool]) -> Vec<usize> {
    let mut out = Vec::new();
    for (b, block) in flags.chunks(BLOCK).enumerate() {
        if !all_on(block) {
            let first = b * BLOCK;
            out.extend((0..block.len()).filter(|&i| !block[i]).map(|i| first + i));
        }
    }
    out
}

/// The rows a table keeps, ascending, as runs of consecutive rows: worked out
/// once for all the columns of the table, each column then moved run by run.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Runs {
    /// (first row, rows) of each run.
    runs: Vec<(usize, usize)>,
    len: usize,
}

impl Runs {
    /// `None` unless `ascending` is strictly increasing.
    pub fn of(ascending: &[usize]) -> Option<Runs> {
        if !ascending.windows(2).all(|w| w[0] < w[1]) {
            return None;
        }
        let runs = ascending
            .chunk_by(|a, b| a.checked_add(1) == Some(*b))
            .map(|run| (run[0], run.len()))
            .collect();
        Some(Runs {
            runs,
            len: ascending.len(),
        })
    }

    /// Every row below `total` but the `dropped` ones (ascending, each once):
    /// a run per stretch between them, without a list of the rows kept.
    pub fn except(total: usize, dropped: &[usize]) -> Option<Runs> {
        if !dropped.windows(2).all(|w| w[0] < w[1]) || dropped.last().is_some_and(|&d| d >= total) {
            return None;
        }
        let starts = std::iter::once(0).chain(dropped.iter().map(|&d| d + 1));
        let ends = dropped.iter().copied().chain(std::iter::once(total));
        let runs = starts
            .zip(ends)
            .filter(|(from, to)| from < to)
            .map(|(from, to)| (from, to - from))
            .collect();
        Some(Runs {
            runs,
            len: total - dropped.len(),
        })
    }

    /// The rows kept, a range per run, in order.
    pub fn ranges(&self) -> impl Iterator<Item = std::ops::Range<usize>> + '_ {
        self.runs.iter().map(|&(from, n)| from..from + n)
    }

    /// Rows kept.
    pub fn len(&self) -> usize {
        self.len
    }

    pub fn is_empty(&self) -> bool {
        self.len == 0
    }

    /// The rows below `total` that are not kept, as ranges.
    pub fn gaps(&self, total: usize) -> impl Iterator<Item = std::ops::Range<usize>> + '_ {
        let ends = self.runs.iter().map(|&(from, n)| (from, from + n));
        let starts = std::iter::once(0).chain(self.runs.iter().map(|&(from, n)| from + n));
        starts
            .zip(ends.map(|(from, _)| from).chain(std::iter::once(total)))
            .filter(|(a, b)| a < b)
            .map(move |(a, b)| a..b.min(total))
    }
}

/// Moves the items of the kept `runs` (in range) to the front, in order, and
/// drops the rest: a block move per run, no second copy of the column.
pub fn compact<T: Copy>(v: &mut Vec<T>, runs: &Runs) {
    let mut to = 0;
    for &(from, n) in &runs.runs {
        let end = from.saturating_add(n).min(v.len());
        if from < end && to != from {
            v.copy_within(from..end, to);
        }
        to += n;
    }
    v.truncate(runs.len);
}

impl<T: PolarsNumericType> From<Slots<T::Native>> for ChunkedArray<T>
where
    T::Native: Copy + Default,
{
    /// Moves the values into polars; the validity bits become its null mask.
    /// A column without a null needs no null mask.
    fn from(s: Slots<T::Native>) -> ChunkedArray<T> {
        ChunkedArray::from_vec_validity(PlSmallStr::EMPTY, s.values, null_mask(s.valid))
    }
}

impl<T: Copy + Default> FromIterator<Option<T>> for Slots<T> {
    fn from_iter<I: IntoIterator<Item = Option<T>>>(iter: I) -> Slots<T> {
        let iter = iter.into_iter();
        let mut out = Slots::with_capacity(iter.size_hint().0);
        for v in iter {
            out.push(v);
        }
        out
    }
}

impl<T: Copy + Default> Extend<Option<T>> for Slots<T> {
    fn extend<I: IntoIterator<Item = Option<T>>>(&mut self, iter: I) {
        let iter = iter.into_iter();
        self.values.reserve(iter.size_hint().0);
        self.valid.reserve(iter.size_hint().0);
        for v in iter {
            self.push(v);
        }
    }
}

impl<T: Copy + Default> From<Vec<Option<T>>> for Slots<T> {
    fn from(v: Vec<Option<T>>) -> Slots<T> {
        v.into_iter().collect()
    }
}

/// Equal when every row holds the same value or is empty in both (what an
/// empty row stores underneath does not matter).
impl<T: Copy + Default + PartialEq> PartialEq for Slots<T> {
    fn eq(&self, other: &Slots<T>) -> bool {
        self.len() == other.len() && self.iter().eq(other.iter())
    }
}

impl<T: Copy + Default + std::fmt::Debug> std::fmt::Debug for Slots<T> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_list().entries(self.iter()).finish()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn empty_rows_stay_empty_and_values_move_into_polars_unchanged() {
        let mut s: Slots<i128> = vec![Some(5), None, Some(-7)].into();
        assert_eq!(s.get(1), None);
        assert_eq!(s.get(3), None);
        s.set(1, Some(9));
        s.set(0, None);
        assert_eq!(s.iter().collect::<Vec<_>>(), vec![None, Some(9), Some(-7)]);
        assert_eq!(s.select(&[2, 0]), Slots::from(vec![Some(-7), None]));
        let ca: Int128Chunked = s.into();
        assert_eq!(ca.iter().collect::<Vec<_>>(), vec![None, Some(9), Some(-7)]);
    }

    #[test]
    fn equality_ignores_what_an_empty_row_stores() {
        let mut a: Slots<i64> = vec![Some(1), Some(2)].into();
        a.set(1, None);
        let b: Slots<i64> = vec![Some(1), None].into();
        assert_eq!(a, b);
        assert_ne!(a, Slots::from(vec![Some(1), Some(3)]));
    }

    #[test]
    fn compacting_moves_runs_of_rows_as_one_by_one_would() {
        let one_by_one =
            |v: &[u32], keep: &[usize]| -> Vec<u32> { keep.iter().map(|&i| v[i]).collect() };
        assert_eq!(Runs::of(&[3, 2]), None);
        assert_eq!(Runs::of(&[2, 2]), None);
        let gaps: Vec<_> = Runs::of(&[2, 3, 6]).unwrap().gaps(9).collect();
        assert_eq!(gaps, [0..2, 4..6, 7..9]);
        let gaps: Vec<_> = Runs::of(&[0, 1]).unwrap().gaps(2).collect();
        assert!(gaps.is_empty());
        let v: Vec<u32> = (0..20).map(|i| i * 10).collect();
        for keep in [
            vec![],
            vec![0, 1, 2],
            vec![3, 4, 5, 9, 10, 19],
            vec![1, 3, 5, 7],
            (0..20).collect(),
            vec![19],
        ] {
            let mut got = v.clone();
            compact(&mut got, &Runs::of(&keep).unwrap());
            assert_eq!(got, one_by_one(&v, &keep), "{keep:?}");
        }
    }

    #[test]
    fn runs_around_dropped_rows_are_the_runs_of_the_rows_left() {
        for (total, dropped) in [
            (0, vec![]),
            (5, vec![]),
            (5, vec![0]),
            (5, vec![4]),
            (6, vec![1, 2, 5]),
            (3, vec![0, 1, 2]),
        ] {
            let left: Vec<usize> = (0..total).filter(|i| !dropped.contains(i)).collect();
            let runs = Runs::except(total, &dropped).unwrap();
            assert_eq!(Some(&runs), Runs::of(&left).as_ref(), "{total} {dropped:?}");
            assert_eq!(runs.ranges().flatten().collect::<Vec<_>>(), left);
        }
        // Not ascending, repeated, or past the end: no runs.
        assert_eq!(Runs::except(5, &[3, 1]), None);
        assert_eq!(Runs::except(5, &[1, 1]), None);
        assert_eq!(Runs::except(5, &[5]), None);
    }

    #[test]
    fn rows_off_are_found_in_blocks_as_one_by_one() {
        for n in [0, 1, 63, 64, 65, 200] {
            for off in [
                vec![],
                vec![0],
                vec![63],
                vec![64, 65],
                vec![n.max(1) - 1],
                vec![5, 130],
            ] {
                let flags: Vec<bool> = (0..n).map(|i| !off.contains(&i)).collect();
                let expected: Vec<usize> = (0..n).filter(|&i| !flags[i]).collect();
                assert_eq!(off_rows(&flags), expected, "{n} {off:?}");
                assert_eq!(any_off(&flags), !expected.is_empty(), "{n} {off:?}");
            }
        }
    }

    #[test]
    fn compact_keeps_rows_in_place_and_a_full_column_has_no_null_mask() {
        let mut s: Slots<i64> = vec![Some(1), None, Some(3), Some(4)].into();
        assert!(s.has_nulls());
        s.compact(&Runs::of(&[0, 2, 3]).unwrap());
        assert!(!s.has_nulls());
        assert_eq!(s, Slots::from(vec![Some(1), Some(3), Some(4)]));
        let ca: Int64Chunked = s.into();
        assert!(ca.downcast_iter().all(|a| a.validity().is_none()));
        assert_eq!(ca.iter().collect::<Vec<_>>(), [Some(1), Some(3), Some(4)]);
    }
}
