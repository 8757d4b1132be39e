//! The plain forms most cells hold ("123", "12.50", "SO-1042"), read without
//! the full parsers and without allocating; anything else is left to them.

use rust_decimal::{Decimal, RoundingStrategy};

use super::DecimalMark;
use crate::model::canonical::DECIMAL_SCALE;

/// "7", "120": up to 18 digits and nothing else, read without a check per
/// digit (18 digits cannot overflow an i64). `None` for anything else.
#[inline]
pub(super) fn plain_int(b: &[u8]) -> Option<i64> {
    if b.is_empty() || b.len() > 18 || !b.iter().all(u8::is_ascii_digit) {
        return None;
    }
    Some(b.iter().fold(0i64, |n, &c| n * 10 + i64::from(c - b'0')))
}

/// Text read as it is: its first and last bytes are ASCII and not white
/// space, and the first cannot start a null marker ("n/a", "-", "—") or an
/// Excel error ("#REF!"). Anything else takes the full path.
#[inline]
pub(super) fn plain_text(t: &str) -> bool {
    match (t.as_bytes().first(), t.as_bytes().last()) {
        (Some(&first), Some(&last)) => {
            first.is_ascii_graphic()
                && last.is_ascii_graphic()
                && !matches!(first, b'n' | b'N' | b'#' | b'-')
        }
        _ => false,
    }
}

/// "123", "-12.5", "0.125": the plain form most cells hold, read straight into a
/// mantissa at the canonical scale without allocating. `None` for anything else
/// (thousands separators, currency, parentheses, more places than the scale),
/// which the full parser reads.
///
/// The whole part and the places are read in two plain loops: the digits
/// before the mark, then at most [`DECIMAL_SCALE`] after it.
#[inline]
pub fn plain_decimal(b: &[u8], mark: DecimalMark) -> Option<i64> {
    let (negative, digits) = match b.first()? {
        b'-' => (true, &b[1..]),
        b'+' => (false, &b[1..]),
        _ => (false, b),
    };
    let point = if mark == DecimalMark::Comma {
        b','
    } else {
        b'.'
    };
    // In u64: below 10^18 (longer numbers go to the full parser).
    let mut int = 0u64;
    let mut i = 0;
    while let Some(&c) = digits.get(i) {
        if !c.is_ascii_digit() {
            break;
        }
        if int >= 100_000_000_000_000_000 {
            return None;
        }
        int = int * 10 + u64::from(c - b'0');
        i += 1;
    }
    let whole_digits = i;
    let places = match digits.get(i) {
        None => &[][..],
        Some(&c) if c == point => &digits[i + 1..],
        Some(_) => return None,
    };
    // "12." reads as 12, as it always has here (the full parser refuses it);
    // a mark alone (".", "-,") is no number.
    if places.len() > DECIMAL_SCALE || (whole_digits == 0 && places.is_empty()) {
        return None;
    }
    let mut frac = 0u64;
    for &c in places {
        if !c.is_ascii_digit() {
            return None;
        }
        frac = frac * 10 + u64::from(c - b'0');
    }
    // frac × 10^(scale − places), from a table rather than a power per cell.
    const POW10: [u64; 7] = [1, 10, 100, 1_000, 10_000, 100_000, 1_000_000];
    let frac = frac * POW10[DECIMAL_SCALE - places.len()];
    let m = if int < 1_000_000_000_000 {
        // Below 10^12 units the mantissa fits i64: no 128-bit product.
        (int * POW10[DECIMAL_SCALE] + frac) as i64
    } else {
        // Beyond i64 (9.2 trillion units) the full parser says out of range.
        i64::try_from(u128::from(int) * u128::from(POW10[DECIMAL_SCALE]) + u128::from(frac)).ok()?
    };
    Some(if negative { -m } else { m })
}

/// A decimal at the canonical scale, rounded half-even beyond it; `None`
/// beyond what the tables hold (see [`MONEY`](super::canonical::MONEY)).
pub fn to_mantissa(d: Decimal) -> Option<i64> {
    let mut r =
        d.round_dp_with_strategy(DECIMAL_SCALE as u32, RoundingStrategy::MidpointNearestEven);
    r.rescale(DECIMAL_SCALE as u32);
    if r.scale() != DECIMAL_SCALE as u32 {
        return None;
    }
    i64::try_from(r.mantissa()).ok()
}
