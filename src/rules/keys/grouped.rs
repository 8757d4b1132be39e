//! Repeated keys of a table whose rows come grouped by key, the way order
//! lines are exported (order by order, line by line): each row is compared
//! with its neighbours, with no hash and no table. Keys that ever go down
//! from one row to the next send the table to the hashing search
//! ([`super::repeats`]) instead.

use std::cmp::Ordering;

use polars::prelude::*;
use polars_arrow::array::{Array, BooleanArray, PrimitiveArray, Utf8ViewArray};
use rayon::prelude::*;

/// Row pairs compared per task.
const PIECE: usize = 1 << 17;

/// One key part's values, as they are compared. Nulls come first and equal
/// each other, as they group alike.
enum Part {
    Text(Utf8ViewArray),
    Int(PrimitiveArray<i64>),
    /// A table's source numbers, when it has rows of several.
    Source(PrimitiveArray<u32>),
    Bool(BooleanArray),
}

impl Part {
    /// The part of column `c`: `None` for a type not compared here, a
    /// column in several chunks, or a constant (which never tells rows apart
    /// and is left out: `Some(None)`).
    fn of(c: &Column) -> PolarsResult<Option<Option<Part>>> {
        if c.as_scalar_column().is_some() {
            return Ok(Some(None));
        }
        let s = c.as_materialized_series();
        if s.n_chunks() != 1 {
            return Ok(None);
        }
        let part = match s.dtype() {
            DataType::String => Part::Text(s.str()?.downcast_as_array().clone()),
            DataType::Boolean => Part::Bool(s.bool()?.downcast_as_array().clone()),
            DataType::Int64 => Part::Int(s.i64()?.downcast_as_array().clone()),
            DataType::UInt32 => Part::Source(s.u32()?.downcast_as_array().clone()),
            DataType::Date | DataType::Datetime(_, _) => {
                let physical = s.to_physical_repr();
                match physical.dtype() {
                    DataType::Int64 => Part::Int(physical.i64()?.downcast_as_array().clone()),
                    _ => return Ok(None),
                }
            }
            _ => return Ok(None),
        };
        Ok(Some(Some(part)))
    }

    /// Row `i`'s value against row `j`'s.
    #[inline]
    fn order(&self, i: usize, j: usize) -> Ordering {
        // `None` orders before `Some`: nulls first.
        match self {
            Part::Text(a) => {
                let (vi, vj) = (a.views().get(i), a.views().get(j));
                let valid = |k: usize| a.is_valid(k);
                match (valid(i), valid(j)) {
                    // Two views alike are the same text: same length and
                    // bytes inline, or the same place in the same buffer.
                    (true, true) if vi == vj => Ordering::Equal,
                    (true, true) => a.value(i).as_bytes().cmp(a.value(j).as_bytes()),
                    (valid_i, valid_j) => valid_i.cmp(&valid_j),
                }
            }
            Part::Int(a) => a.get(i).cmp(&a.get(j)),
            Part::Source(a) => a.get(i).cmp(&a.get(j)),
            Part::Bool(a) => a.get(i).cmp(&a.get(j)),
        }
    }

    /// Orders the pairs of rows (`from + k`, `from + k + 1`) that are still
    /// equal in `orders` by this part. Numbers and text without an empty
    /// value are compared straight from their slices, a block at a time.
    fn refine(&self, from: usize, orders: &mut [Ordering]) {
        let rows = from..from + orders.len() + 1;
        match self {
            Part::Int(a) if a.validity().is_none() => {
                if let Some(values) = a.values().get(rows) {
                    for (o, w) in orders.iter_mut().zip(values.windows(2)) {
                        *o = o.then(w[0].cmp(&w[1]));
                    }
                    return;
                }
            }
            Part::Text(a) if a.validity().is_none() => {
                if let Some(views) = a.views().get(rows) {
                    for (k, (o, w)) in orders.iter_mut().zip(views.windows(2)).enumerate() {
                        if o.is_eq() && w[0] != w[1] {
                            let (i, j) = (from + k, from + k + 1);
                            *o = a.value(i).as_bytes().cmp(a.value(j).as_bytes());
                        }
                    }
                    return;
                }
            }
            _ => {}
        }
        for (k, o) in orders.iter_mut().enumerate() {
            if o.is_eq() {
                *o = self.order(from + k, from + k + 1);
            }
        }
    }
}

/// Row pairs ordered at a time, part by part.
const BLOCK: usize = 4096;

/// The rows taking part that have a neighbour with the same key, ascending,
/// when the rows of `parts` are grouped by key: every key's rows one after
/// another, the keys in ascending order. `None` when they are not (or a key
/// part is of a type not compared here): a repeat may then lie anywhere.
///
/// In a table sorted by key every repeat is next to another row of its key,
/// so every row whose key another row taking part carries is found. Rows are
/// also found whose neighbour with the same key does not take part: the rows
/// found are candidates, grouped on their keys exactly afterwards.
pub fn repeated_rows(
    parts: &DataFrame,
    taking_part: &[bool],
) -> PolarsResult<Option<Vec<IdxSize>>> {
    let n = parts.height();
    let mut compared = Vec::with_capacity(parts.width());
    for column in parts.columns() {
        match Part::of(column)? {
            Some(Some(part)) => compared.push(part),
            Some(None) => {}
            None => return Ok(None),
        }
    }
    if taking_part.len() != n {
        polars_bail!(ComputeError: "a taking-part flag per row was expected");
    }
    let pieces: Option<Vec<Vec<IdxSize>>> = (0..n.div_ceil(PIECE))
        .into_par_iter()
        .map(|p| {
            let rows = p * PIECE..((p + 1) * PIECE).min(n);
            // The pairs (i, i + 1) from the row before the piece to its last
            // row that has a next one: whether the two rows share a key.
            let pairs = rows.start.saturating_sub(1)..rows.end.min(n.saturating_sub(1));
            let mut same = Vec::with_capacity(pairs.len());
            let mut orders = Vec::with_capacity(BLOCK);
            for from in pairs.clone().step_by(BLOCK) {
                orders.clear();
                orders.resize(BLOCK.min(pairs.end - from), Ordering::Equal);
                for part in &compared {
                    part.refine(from, &mut orders);
                }
                if orders.contains(&Ordering::Greater) {
                    return None;
                }
                same.extend(orders.iter().map(|o| o.is_eq()));
            }
            let same_pair = |i: usize| {
                i.checked_sub(pairs.start)
                    .and_then(|k| same.get(k))
                    .is_some_and(|&s| s)
            };
            let found = rows
                .filter(|&i| {
                    let repeated = (i > 0 && same_pair(i - 1)) || same_pair(i);
                    repeated && taking_part.get(i) == Some(&true)
                })
                .map(|i| i as IdxSize)
                .collect();
            Some(found)
        })
        .collect();
    Ok(pieces.map(|pieces| pieces.concat()))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn found(df: &DataFrame, taking: &[bool]) -> Option<Vec<IdxSize>> {
        repeated_rows(df, taking).unwrap()
    }

    #[test]
    fn rows_next_to_their_key_are_found_and_others_not() {
        // Order SO-2 line 2 twice, and SO-3's null line twice (nulls group alike).
        let df = df!(
            "order_id" => ["SO-1", "SO-1", "SO-2", "SO-2", "SO-2", "SO-3", "SO-3", "SO-4"],
            "line_no" => [Some(1i64), Some(2), Some(1), Some(2), Some(2), None, None, Some(1)],
        )
        .unwrap();
        assert_eq!(found(&df, &[true; 8]), Some(vec![3, 4, 5, 6]));
        // A row that does not take part is not found; its neighbour with the
        // same key is a candidate (grouped exactly later).
        let taking = [true, true, true, true, false, true, true, true];
        assert_eq!(found(&df, &taking), Some(vec![3, 5, 6]));
    }

    #[test]
    fn keys_that_go_down_are_left_to_the_hashing_search() {
        let df = df!("order_id" => ["SO-1", "SO-3", "SO-2"], "line_no" => [1i64, 1, 1]).unwrap();
        assert_eq!(found(&df, &[true; 3]), None);
        // The second part decides within the first: line 2 before line 1.
        let df = df!("order_id" => ["SO-1", "SO-1"], "line_no" => [2i64, 1]).unwrap();
        assert_eq!(found(&df, &[true; 2]), None);
        // A null after a value goes down too.
        let df = df!("order_id" => [Some("SO-1"), None]).unwrap();
        assert_eq!(found(&df, &[true; 2]), None);
        // A type not compared here.
        let df = df!("amount" => [1.5f64, 2.5]).unwrap();
        assert_eq!(found(&df, &[true; 2]), None);
    }

    #[test]
    fn long_text_and_flags_compare_by_value() {
        let long = "a key well past twelve bytes";
        let df = df!(
            "sku" => [long.to_string(), long.to_string(), format!("{long}!")],
            "derived" => [false, false, true],
        )
        .unwrap();
        assert_eq!(found(&df, &[true; 3]), Some(vec![0, 1]));
    }

    proptest::proptest! {
        /// On keys in any order: every row taking part whose key another row
        /// taking part carries is found, and only rows taking part are, or
        /// the keys are said not to be grouped (never when they are sorted).
        #[test]
        fn every_repeat_is_found_when_keys_are_grouped(
            mut keys in proptest::collection::vec((0u8..4, proptest::option::of(0i64..3)), 0..60),
            taking in proptest::collection::vec(proptest::bool::weighted(0.8), 60),
            sort in proptest::bool::ANY,
        ) {
            if sort {
                keys.sort();
            }
            let n = keys.len();
            let taking = &taking[..n];
            let df = df!(
                "order_id" => keys.iter().map(|k| format!("SO-{}", k.0)).collect::<Vec<_>>(),
                "line_no" => keys.iter().map(|k| k.1).collect::<Vec<_>>(),
            )
            .unwrap();
            let got = found(&df, taking);
            proptest::prop_assert!(got.is_some() || !sort);
            // The same keys with no empty line number (-1 for none, which
            // sorts where none does): compared from the slices, alike.
            let full = df!(
                "order_id" => keys.iter().map(|k| format!("SO-{}", k.0)).collect::<Vec<_>>(),
                "line_no" => keys.iter().map(|k| k.1.unwrap_or(-1)).collect::<Vec<_>>(),
            )
            .unwrap();
            proptest::prop_assert_eq!(&found(&full, taking), &got);
            if let Some(got) = got {
                for i in 0..n {
                    let repeated = taking[i] && (0..n).any(|j| j != i && taking[j] && keys[j] == keys[i]);
                    let is_found = got.contains(&(i as IdxSize));
                    proptest::prop_assert!(!repeated || is_found, "row {} not found", i);
                    proptest::prop_assert!(!is_found || taking[i], "row {} does not take part", i);
                }
                proptest::prop_assert!(got.windows(2).all(|w| w[0] < w[1]));
            }
        }
    }

    #[test]
    fn repeats_are_found_across_pieces() {
        // Rows PIECE - 1 and PIECE (in two pieces) share a key; so do the
        // last two rows.
        let n = 2 * PIECE + 5;
        let ids: Vec<i64> = (0..n as i64)
            .map(|i| match i {
                i if i == PIECE as i64 => i - 1,
                i if i == n as i64 - 1 => i - 1,
                i => i,
            })
            .collect();
        let df = df!("order_id" => ids).unwrap();
        let expected = [PIECE - 1, PIECE, n - 2, n - 1].map(|i| i as IdxSize);
        assert_eq!(found(&df, &vec![true; n]), Some(expected.to_vec()));
    }
}
