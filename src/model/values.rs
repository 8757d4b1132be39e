//! Operations on parsed column values: pick rows, compare two rows, and turn a
//! column into its polars form.

use std::borrow::Cow;

use polars::prelude::*;

use super::canonical::DECIMAL_SCALE;
use super::slots::{Runs, Slots};
use super::texts::Texts;

/// Which rows of a parsed column go into its frame.
#[derive(Debug, Clone, Copy)]
pub enum Keep<'a> {
    All,
    /// Ascending runs of rows.
    Runs(&'a Runs),
    /// These rows, in this order.
    At(&'a [usize]),
}

/// A column's values, one per data row (`None` = empty or unusable).
#[derive(Debug, Clone, PartialEq)]
pub enum Values {
    Text(Texts),
    Int(Slots<i64>),
    /// Mantissas at [`DECIMAL_SCALE`] (see [`MONEY`]).
    ///
    /// [`MONEY`]: super::canonical::MONEY
    Decimal(Slots<i64>),
    /// Days since 1970-01-01.
    Date(Slots<i32>),
    /// Milliseconds since 1970-01-01T00:00.
    DateTime(Slots<i64>),
    Bool(Vec<Option<bool>>),
}

/// Text that is its own key: ASCII with no lower-case letter, and nothing
/// [`trimmed`](crate::source::grid::trimmed) would take off its ends (for
/// ASCII text, an ASCII space, tab or line end at either end).
pub fn key_form(b: &[u8]) -> bool {
    let ends_plain = |c: Option<&u8>| !c.is_some_and(u8::is_ascii_whitespace);
    b.iter().all(|c| c.is_ascii() && !c.is_ascii_lowercase())
        && ends_plain(b.first())
        && ends_plain(b.last())
}

/// [`key_form`] of text of at most 12 bytes given as a word (its bytes
/// little-endian, zero past `len`): every byte tested at once, a bit per byte.
#[inline(always)]
fn short_in_key_form(len: u32, word: u128) -> bool {
    const ONES: u128 = u128::MAX / 0xFF;
    const HIGH: u128 = ONES * 0x80;
    if word & HIGH != 0 {
        return false;
    }
    // Bytes are now at most 0x7F, so adding 0x1F or 0x05 carries into no
    // other byte: the high bit is set above 0x60, and above 0x7A.
    let above_backtick = word + ONES * 0x1F;
    let above_z = word + ONES * 0x05;
    if above_backtick & !above_z & HIGH != 0 {
        return false;
    }
    let byte = |i: u32| (word >> (8 * i)) as u8;
    len == 0 || !(byte(0).is_ascii_whitespace() || byte(len - 1).is_ascii_whitespace())
}

impl Values {
    pub fn is_null(&self, i: usize) -> bool {
        match self {
            Values::Text(v) => !v.is_valid(i),
            Values::Int(v) => !v.is_valid(i),
            Values::Decimal(v) => !v.is_valid(i),
            Values::Date(v) => !v.is_valid(i),
            Values::DateTime(v) => !v.is_valid(i),
            Values::Bool(v) => v.get(i).is_none_or(Option::is_none),
        }
    }

    /// The rows that hold no value, ascending.
    pub fn nulls(&self) -> Vec<usize> {
        use super::slots::off_rows as empty;
        match self {
            Values::Text(v) => empty(v.valid()),
            Values::Int(v) => empty(v.valid()),
            Values::Decimal(v) => empty(v.valid()),
            Values::Date(v) => empty(v.valid()),
            Values::DateTime(v) => empty(v.valid()),
            Values::Bool(v) => (0..v.len()).filter(|&i| v[i].is_none()).collect(),
        }
    }

    /// Whether any row holds no value.
    pub fn has_nulls(&self) -> bool {
        match self {
            Values::Text(v) => v.has_nulls(),
            Values::Int(v) => v.has_nulls(),
            Values::Decimal(v) => v.has_nulls(),
            Values::Date(v) => v.has_nulls(),
            Values::DateTime(v) => v.has_nulls(),
            Values::Bool(v) => v.iter().any(Option::is_none),
        }
    }
}

impl Values {
    pub fn len(&self) -> usize {
        match self {
            Values::Text(v) => v.len(),
            Values::Int(v) => v.len(),
            Values::Decimal(v) => v.len(),
            Values::Date(v) => v.len(),
            Values::DateTime(v) => v.len(),
            Values::Bool(v) => v.len(),
        }
    }

    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// The values at `indices`, in that order.
    pub fn select(&self, indices: &[usize]) -> Values {
        fn pick<T: Clone>(v: &[Option<T>], idx: &[usize]) -> Vec<Option<T>> {
            idx.iter().map(|&i| v.get(i).cloned().flatten()).collect()
        }
        match self {
            Values::Text(v) => Values::Text(v.select(indices)),
            Values::Int(v) => Values::Int(v.select(indices)),
            Values::Decimal(v) => Values::Decimal(v.select(indices)),
            Values::Date(v) => Values::Date(v.select(indices)),
            Values::DateTime(v) => Values::DateTime(v.select(indices)),
            Values::Bool(v) => Values::Bool(pick(v, indices)),
        }
    }

    /// Whether rows `i` and `j` hold the same value (text compared trimmed).
    pub fn same(&self, i: usize, j: usize) -> bool {
        fn eq<T: Copy + Default + PartialEq>(v: &Slots<T>, i: usize, j: usize) -> bool {
            i < v.len() && j < v.len() && v.get(i) == v.get(j)
        }
        match self {
            Values::Text(v) => {
                i < v.len() && j < v.len() && v.get(i).map(str::trim) == v.get(j).map(str::trim)
            }
            Values::Int(v) => eq(v, i, j),
            Values::Decimal(v) => eq(v, i, j),
            Values::Date(v) => eq(v, i, j),
            Values::DateTime(v) => eq(v, i, j),
            Values::Bool(v) => v.get(i) == v.get(j),
        }
    }

    /// Copies the value of row `from` into row `to`.
    pub fn copy(&mut self, from: usize, to: usize) {
        fn cp<T: Clone>(v: &mut [Option<T>], from: usize, to: usize) {
            if let Some(x) = v.get(from).cloned()
                && let Some(slot) = v.get_mut(to)
            {
                *slot = x;
            }
        }
        fn cp_slots<T: Copy + Default>(v: &mut Slots<T>, from: usize, to: usize) {
            if from < v.len() {
                v.set(to, v.get(from));
            }
        }
        match self {
            Values::Text(v) => v.copy(from, to),
            Values::Int(v) => cp_slots(v, from, to),
            Values::Decimal(v) => cp_slots(v, from, to),
            Values::Date(v) => cp_slots(v, from, to),
            Values::DateTime(v) => cp_slots(v, from, to),
            Values::Bool(v) => cp(v, from, to),
        }
    }

    /// Keeps only the rows of `runs`, in place.
    fn compact(&mut self, runs: &Runs) {
        match self {
            Values::Text(v) => v.compact(runs),
            Values::Int(v) => v.compact(runs),
            Values::Decimal(v) => v.compact(runs),
            Values::Date(v) => v.compact(runs),
            Values::DateTime(v) => v.compact(runs),
            Values::Bool(v) => super::slots::compact(v, runs),
        }
    }

    /// Whether every value is already its own key: text that is trimmed,
    /// ASCII and has no lower-case letter (most SKUs and location codes).
    pub fn in_key_form(&self) -> bool {
        match self {
            Values::Text(v) => v.all_values(short_in_key_form, key_form),
            _ => false,
        }
    }

    /// The text of row `i` (for keys and messages).
    pub fn text(&self, i: usize) -> Option<Cow<'_, str>> {
        match self {
            Values::Text(v) => v.get(i).map(Cow::Borrowed),
            Values::Int(v) => v.get(i).map(|n| Cow::Owned(n.to_string())),
            Values::Date(v) => v
                .get(i)
                .and_then(crate::rules::emit::date_from_days)
                .map(|d| Cow::Owned(d.to_string())),
            Values::Decimal(v) => v.get(i).and_then(|m| {
                rust_decimal::Decimal::try_from_i128_with_scale(i128::from(m), DECIMAL_SCALE as u32)
                    .ok()
                    .map(|d| Cow::Owned(crate::rules::emit::format_decimal(d)))
            }),
            Values::DateTime(v) => v
                .get(i)
                .and_then(chrono::DateTime::from_timestamp_millis)
                .map(|d| Cow::Owned(d.naive_utc().format("%Y-%m-%d %H:%M").to_string())),
            Values::Bool(v) => v
                .get(i)
                .copied()
                .flatten()
                .map(|b| Cow::Owned(b.to_string())),
        }
    }

    /// The polars column of the values at `keep`. Numbers and dates of every
    /// row, or of runs of rows compacted in place (the usual case), move into
    /// polars without a copy.
    pub fn into_column_at(mut self, name: &str, keep: Keep<'_>) -> PolarsResult<Column> {
        let keep = match keep {
            Keep::All => None,
            Keep::Runs(runs) => {
                self.compact(runs);
                None
            }
            Keep::At(idx) => Some(idx),
        };
        fn numbers<T: PolarsNumericType>(
            name: PlSmallStr,
            v: Slots<T::Native>,
            keep: Option<&[usize]>,
        ) -> ChunkedArray<T>
        where
            T::Native: Copy + Default,
        {
            let ca: ChunkedArray<T> = match keep {
                Some(idx) => {
                    ChunkedArray::from_iter_options(name.clone(), idx.iter().map(|&i| v.get(i)))
                }
                None => v.into(),
            };
            ca.with_name(name)
        }
        let name: PlSmallStr = name.into();
        let series = match self {
            Values::Text(v) => match keep {
                Some(idx) => v.select(idx).into_chunked(name),
                None => v.into_chunked(name),
            }
            .into_series(),
            Values::Int(v) => numbers::<Int64Type>(name, v, keep).into_series(),
            Values::Decimal(v) => numbers::<Int64Type>(name, v, keep).into_series(),
            Values::Date(v) => numbers::<Int32Type>(name, v, keep)
                .into_date()
                .into_series(),
            Values::DateTime(v) => numbers::<Int64Type>(name, v, keep)
                .into_datetime(TimeUnit::Milliseconds, None)
                .into_series(),
            Values::Bool(v) => match keep {
                Some(idx) => BooleanChunked::from_iter_options(name, idx.iter().map(|&i| v[i])),
                None => BooleanChunked::from_iter_options(name, v.into_iter()),
            }
            .into_series(),
        };
        Ok(series.into_column())
    }
}

#[cfg(test)]
mod tests {
    proptest::proptest! {
        /// The word-at-a-time test of short text says what the byte-by-byte one says.
        #[test]
        fn short_text_in_key_form_as_a_word_or_byte_by_byte(
            bytes in proptest::collection::vec(proptest::sample::select(vec![
                b'A', b'Z', b'a', b'z', b'`', b'{', b'@', b'[', b'0', b'-', b' ', b'\t', b'\n', 0x7F, 0x80, 0xC3, 0xFF, 0,
            ]), 0..=12)
        ) {
            let mut raw = [0u8; 16];
            raw[..bytes.len()].copy_from_slice(&bytes);
            proptest::prop_assert_eq!(
                super::short_in_key_form(bytes.len() as u32, u128::from_le_bytes(raw)),
                super::key_form(&bytes),
                "{:?}", bytes
            );
        }
    }

    use super::*;

    /// The definition the rules' joins rely on: a value is its own key when
    /// trimming and upper-casing leave it as it is.
    fn own_key(t: &str) -> bool {
        crate::source::grid::trimmed(t) == t && t.is_ascii() && t.to_ascii_uppercase() == t
    }

    #[test]
    fn key_form_is_text_that_trimming_and_upper_casing_leave_alone() {
        let long = "SKU-THAT-IS-LONGER-THAN-TWELVE";
        let cases = [
            "SKU-1",
            "sku-1",
            "SKU-1 ",
            " SKU-1",
            "\tA",
            "A\r",
            "A\u{0B}",
            "",
            "ÄBC",
            "A B",
            "MAIN",
            long,
            "SKU-THAT-IS-LONGER-THAN-twelve",
            "SKU-THAT-IS-LONGER-THAN-TWELVE ",
        ];
        for t in cases {
            assert_eq!(key_form(t.as_bytes()), own_key(t), "{t:?}");
            // The same through a column, inline and out-of-line views alike.
            let column = Values::Text([Some("A1"), None, Some(t)].into_iter().collect());
            assert_eq!(column.in_key_form(), own_key(t), "{t:?} in a column");
        }
        let mixed = Values::Text([Some(long), Some("b")].into_iter().collect());
        assert!(!mixed.in_key_form());
        assert!(!Values::Int(vec![Some(1)].into()).in_key_form());
        // A column of several pieces: one value not in key form, in the last
        // piece, a long one past the first.
        let ids: Vec<String> = (0..200_000).map(|i| format!("SKU-{i}")).collect();
        let mut rows: Vec<Option<&str>> = ids.iter().map(|s| Some(s.as_str())).collect();
        rows[70_000] = Some(long);
        rows[100] = None;
        let column = |rows: &[Option<&str>]| Values::Text(rows.iter().copied().collect());
        assert!(column(&rows).in_key_form());
        rows[199_999] = Some("sku-199999");
        assert!(!column(&rows).in_key_form());
    }
}
