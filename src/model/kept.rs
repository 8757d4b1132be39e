//! The records of a feed that go into its canonical table: every one, every
//! one but the few rejected (runs around them, not a million row numbers), or
//! a list (the merged rows of an orders tracker).

use super::slots::Runs;
use super::values::Keep;

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum KeptRows {
    /// Records `0..n`.
    Every(usize),
    /// Ascending runs of records.
    Runs(Runs),
    /// These records, in this order.
    Listed(Vec<usize>),
}

impl KeptRows {
    /// Every record below `total` but the `dropped` ones (ascending).
    pub fn except(total: usize, dropped: &[usize]) -> KeptRows {
        if dropped.is_empty() {
            return KeptRows::Every(total);
        }
        match Runs::except(total, dropped) {
            Some(runs) => KeptRows::Runs(runs),
            // Not ascending: sorted first (a record dropped twice is dropped).
            None => {
                let mut sorted: Vec<usize> =
                    dropped.iter().copied().filter(|&d| d < total).collect();
                sorted.sort_unstable();
                sorted.dedup();
                KeptRows::except(total, &sorted)
            }
        }
    }

    /// The records listed; runs where they are ascending.
    pub fn listed(records: Vec<usize>) -> KeptRows {
        match Runs::of(&records) {
            Some(runs) => KeptRows::Runs(runs),
            None => KeptRows::Listed(records),
        }
    }

    pub fn len(&self) -> usize {
        match self {
            KeptRows::Every(n) => *n,
            KeptRows::Runs(runs) => runs.len(),
            KeptRows::Listed(records) => records.len(),
        }
    }

    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// The records, in order.
    pub fn iter(&self) -> Box<dyn Iterator<Item = usize> + '_> {
        match self {
            KeptRows::Every(n) => Box::new(0..*n),
            KeptRows::Runs(runs) => Box::new(runs.ranges().flatten()),
            KeptRows::Listed(records) => Box::new(records.iter().copied()),
        }
    }

    /// How a parsed column is cut down to these records.
    pub fn as_keep(&self) -> Keep<'_> {
        match self {
            KeptRows::Every(_) => Keep::All,
            KeptRows::Runs(runs) => Keep::Runs(runs),
            KeptRows::Listed(records) => Keep::At(records),
        }
    }

    /// The items of `v` (one per record) at these records, in place where it can.
    pub fn apply<T: Copy>(&self, mut v: Vec<T>) -> Vec<T> {
        match self {
            KeptRows::Every(n) => {
                v.truncate(*n);
                v
            }
            KeptRows::Runs(runs) => {
                super::slots::compact(&mut v, runs);
                v
            }
            KeptRows::Listed(records) => {
                records.iter().filter_map(|&i| v.get(i).copied()).collect()
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn records_kept_are_the_same_however_they_are_held() {
        // Dropped rows out of order, twice or past the end: the same rows kept.
        assert_eq!(
            KeptRows::except(6, &[3, 0, 3, 9]),
            KeptRows::except(6, &[0, 3])
        );
        let every = KeptRows::except(4, &[]);
        assert_eq!(every, KeptRows::Every(4));
        let around = KeptRows::except(6, &[0, 3]);
        assert!(matches!(around, KeptRows::Runs(_)));
        let listed = KeptRows::listed(vec![4, 1]);
        assert!(matches!(listed, KeptRows::Listed(_)));
        let display = vec![10u32, 11, 12, 13, 14, 15];
        for (kept, records) in [
            (every, vec![0, 1, 2, 3]),
            (around, vec![1, 2, 4, 5]),
            (listed, vec![4, 1]),
            (KeptRows::listed(vec![2, 3, 5]), vec![2, 3, 5]),
        ] {
            assert_eq!(kept.iter().collect::<Vec<_>>(), records);
            assert_eq!(kept.len(), records.len());
            let expected: Vec<u32> = records.iter().map(|&i| display[i]).collect();
            assert_eq!(kept.apply(display.clone()), expected);
        }
    }
}
