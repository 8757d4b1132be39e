//! Parsed text of one column, stored the way polars stores strings (a view
//! of 16 bytes per row, short text inline) with a validity flag per row, so
//! the column moves into its polars frame without a copy. A `Vec` of
//! `Option<Cow<str>>` took 24 bytes a row and was then copied into polars.

use polars::prelude::*;
use polars_arrow::array::{MutableBinaryViewArray, View};

use super::slots::Runs;

/// The view of text of at most 12 bytes, held in the view itself: its
/// length, then its bytes. The bytes are copied as two fixed-size windows
/// that overlap (8 and 8, or 4 and 4 bytes), not by a call to `memcpy` per
/// cell as [`View::new_inline`] does.
#[inline(always)]
fn inline_view(b: &[u8]) -> View {
    let n = b.len();
    debug_assert!(n <= View::MAX_INLINE_SIZE as usize);
    let mut raw = [0u8; 16];
    raw[..4].copy_from_slice(&(n as u32).to_ne_bytes());
    let data = &mut raw[4..];
    match n {
        8..=12 => {
            data[..8].copy_from_slice(&b[..8]);
            data[n - 8..n].copy_from_slice(&b[n - 8..]);
        }
        4..=7 => {
            data[..4].copy_from_slice(&b[..4]);
            data[n - 4..n].copy_from_slice(&b[n - 4..]);
        }
        _ => data[..n].copy_from_slice(b),
    }
    View::from(u128::from_ne_bytes(raw))
}

/// The 12 bytes an inline view holds its text in, as a little-endian word
/// (zero past the text's length): the view's memory without its length.
#[inline(always)]
fn inline_word(view: &View) -> u128 {
    // On little-endian machines the byte reordering is no work at all.
    u128::from_le_bytes(view.as_u128().to_ne_bytes()) >> 32
}

#[derive(Clone, Default)]
pub struct Texts {
    /// Every row has a view; a missing value's view is the empty string.
    views: MutableBinaryViewArray<str>,
    /// A byte per row while parsing (a bitmap is built once, for polars).
    valid: Vec<bool>,
}

impl Texts {
    pub fn with_capacity(n: usize) -> Texts {
        Texts {
            views: MutableBinaryViewArray::with_capacity(n),
            valid: Vec::with_capacity(n),
        }
    }

    #[inline(always)]
    pub fn push(&mut self, v: Option<&str>) {
        let text = v.unwrap_or("");
        // Short text (most keys and codes) lives in its view: no buffer to
        // append to, so the view is made and pushed here rather than by a
        // call per cell.
        if text.len() <= View::MAX_INLINE_SIZE as usize {
            self.views.push_view(inline_view(text.as_bytes()), &[]);
        } else {
            self.push_long(text);
        }
        self.valid.push(v.is_some());
    }

    /// Text too long for its view, appended to the column's buffers.
    #[inline(never)]
    fn push_long(&mut self, text: &str) {
        self.views.push_value_ignore_validity(text);
    }

    pub fn len(&self) -> usize {
        self.valid.len()
    }

    pub fn is_empty(&self) -> bool {
        self.valid.is_empty()
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
        super::slots::any_off(&self.valid)
    }

    pub fn get(&self, i: usize) -> Option<&str> {
        (self.valid.get(i) == Some(&true)).then(|| self.views.value(i))
    }

    /// Whether every value passes (rows without one are not tested): a value
    /// of at most 12 bytes is given to `short` as its length and its bytes
    /// straight from its view (little-endian, zero past the length), a longer
    /// one to `long` as its bytes.
    ///
    /// A large column is tested a piece per thread.
    pub fn all_values(
        &self,
        short: impl Fn(u32, u128) -> bool + Sync,
        long: impl Fn(&[u8]) -> bool + Sync,
    ) -> bool {
        use rayon::prelude::*;
        const PIECE: usize = 1 << 16;
        let views = self.views.views();
        views
            .par_chunks(PIECE)
            .zip(self.valid.par_chunks(PIECE))
            .enumerate()
            .all(|(p, (views, valid))| {
                views
                    .iter()
                    .zip(valid)
                    .enumerate()
                    .all(|(k, (view, &valid))| {
                        !valid
                            || match view.length <= View::MAX_INLINE_SIZE {
                                true => short(view.length, inline_word(view)),
                                false => long(self.views.value(p * PIECE + k).as_bytes()),
                            }
                    })
            })
    }

    pub fn iter(&self) -> impl Iterator<Item = Option<&str>> + '_ {
        (0..self.len()).map(|i| self.get(i))
    }

    /// Row `to` takes row `from`'s value (a row past the end is left alone).
    pub fn copy(&mut self, from: usize, to: usize) {
        let (Some(&valid), true) = (self.valid.get(from), to < self.len()) else {
            return;
        };
        let view = self.views.views()[from];
        let old = self.views.views()[to];
        let total = self.views.total_bytes_len() + view.length as usize - old.length as usize;
        // SAFETY: the view is one of this array's own, so it points into its
        // buffers; the total length is kept equal to the sum of the views'.
        unsafe {
            self.views.views_mut()[to] = view;
            self.views.set_total_bytes_len(total);
        }
        self.valid[to] = valid;
    }

    /// Keeps only the rows of `runs`, in place: no second copy of the column.
    pub fn compact(&mut self, runs: &Runs) {
        let total = self.views.views().len();
        let dropped: usize = runs
            .gaps(total)
            .flat_map(|gap| self.views.views().get(gap).unwrap_or_default())
            .map(|v| v.length as usize)
            .sum();
        let kept_bytes = self.views.total_bytes_len().saturating_sub(dropped);
        super::slots::compact(&mut self.valid, runs);
        // SAFETY: views are only moved within the array, and the total length
        // is that of the views kept.
        unsafe {
            super::slots::compact(self.views.views_mut(), runs);
            self.views.set_total_bytes_len(kept_bytes);
        }
    }

    /// The rows at `indices`, in that order.
    pub fn select(&self, indices: &[usize]) -> Texts {
        indices.iter().map(|&i| self.get(i)).collect()
    }

    /// The polars column: the views move as they are; the validity bits
    /// become its null mask (none when every row has a value).
    pub fn into_chunked(self, name: PlSmallStr) -> StringChunked {
        let mask = super::slots::null_mask(self.valid);
        StringChunked::with_chunk(name, self.views.freeze().with_validity(mask))
    }
}

impl<S: AsRef<str>> FromIterator<Option<S>> for Texts {
    fn from_iter<I: IntoIterator<Item = Option<S>>>(iter: I) -> Texts {
        let iter = iter.into_iter();
        let mut out = Texts::with_capacity(iter.size_hint().0);
        for v in iter {
            out.push(v.as_ref().map(AsRef::as_ref));
        }
        out
    }
}

impl std::fmt::Debug for Texts {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_list().entries(self.iter()).finish()
    }
}

impl PartialEq for Texts {
    fn eq(&self, other: &Texts) -> bool {
        self.len() == other.len() && self.iter().eq(other.iter())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn inline_views_are_polars_own_for_every_short_length() {
        let text = "SO-1042-ÄB9x";
        assert_eq!(text.len(), 13);
        for n in 0..=12 {
            let b = &text.as_bytes()[..n];
            assert_eq!(inline_view(b), View::new_inline(b), "{n} bytes");
            assert_eq!(inline_view(b).get_inlined_slice(), Some(b));
        }
    }

    fn texts(v: &[Option<&str>]) -> Texts {
        v.iter().copied().collect()
    }

    #[test]
    fn values_and_gaps_read_back() {
        let long = "a text longer than twelve bytes";
        let t = texts(&[Some("SO-1"), None, Some(long), Some("")]);
        assert_eq!(t.len(), 4);
        assert_eq!(t.get(0), Some("SO-1"));
        assert_eq!(t.get(1), None);
        assert_eq!(t.get(2), Some(long));
        assert_eq!(t.get(3), Some(""));
        assert_eq!(t.get(4), None);
    }

    #[test]
    fn copy_fills_a_gap_and_the_polars_column_agrees() {
        let long = "a text longer than twelve bytes";
        let mut t = texts(&[Some(long), None, Some("B"), None]);
        t.copy(0, 1);
        t.copy(3, 2);
        t.copy(0, 9);
        assert_eq!(t, texts(&[Some(long), Some(long), None, None]));
        let ca = t.into_chunked("x".into());
        let got: Vec<Option<&str>> = ca.iter().collect();
        assert_eq!(got, [Some(long), Some(long), None, None]);
        assert_eq!(ca.null_count(), 2);
    }

    #[test]
    fn compact_keeps_the_given_rows_in_place() {
        let long = "a text longer than twelve bytes";
        let mut t = texts(&[Some("A"), Some(long), None, Some("D"), Some(long)]);
        t.compact(&Runs::of(&[1, 2, 3]).unwrap());
        assert_eq!(t, texts(&[Some(long), None, Some("D")]));
        assert_eq!(t.views.total_bytes_len(), long.len() + 1);
        let ca = t.into_chunked("x".into());
        let got: Vec<Option<&str>> = ca.iter().collect();
        assert_eq!(got, [Some(long), None, Some("D")]);
    }

    #[test]
    fn a_full_column_has_no_null_mask() {
        use polars_arrow::array::Array;
        let ca = texts(&[Some("A"), Some("B")]).into_chunked("x".into());
        assert_eq!(ca.null_count(), 0);
        assert!(ca.downcast_iter().all(|a| a.validity().is_none()));
        let with_gap = texts(&[Some("A"), None]).into_chunked("x".into());
        assert!(with_gap.downcast_iter().all(|a| a.validity().is_some()));
        assert_eq!(
            texts(&[Some("A"), None]).select(&[1, 0]),
            texts(&[None, Some("A")])
        );
    }
}
