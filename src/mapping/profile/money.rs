//! Money in a value's text: an amount with a currency symbol or code before
//! or after it, and currency codes and symbols on their own.

use super::parse_number;

const CURRENCY_SYMBOLS: &[&str] = &[
    "$", "€", "£", "¥", "₹", "₽", "₩", "₺", "₪", "₫", "R$", "US$", "A$", "C$", "kr", "Fr", "zł",
];

const CURRENCY_CODES: &[&str] = &[
    "USD", "EUR", "GBP", "JPY", "CHF", "CAD", "AUD", "NZD", "CNY", "HKD", "SGD", "SEK", "NOK",
    "DKK", "PLN", "CZK", "HUF", "RON", "BGN", "TRY", "INR", "BRL", "MXN", "ZAR", "AED", "SAR",
    "ILS", "KRW", "TWD", "THB", "MYR", "IDR", "PHP", "VND", "RUB", "UAH", "ARS", "CLP", "COP",
    "PEN", "EGP", "NGN", "KES", "MAD", "QAR", "KWD", "ISK",
];

/// The longest currency code or symbol, in bytes.
const LONGEST_MARKER: usize = 3;

pub(super) fn is_currency_code(t: &str) -> bool {
    t.len() <= LONGEST_MARKER
        && (CURRENCY_CODES.iter().any(|c| c.eq_ignore_ascii_case(t))
            || CURRENCY_SYMBOLS.contains(&t))
}

/// An amount with a currency symbol or code before or after it: "$12.50", "-€3",
/// "12,50 €", "EUR 12", "12.00 usd".
pub(super) fn is_money(t: &str) -> bool {
    let s = t.trim();
    let unsigned = s.strip_prefix(['-', '\u{2212}']).map_or(s, str::trim_start);
    has_marker_and_number(s, unsigned)
}

/// Every currency symbol and code.
fn currency_markers() -> impl Iterator<Item = &'static str> {
    CURRENCY_SYMBOLS.iter().chain(CURRENCY_CODES).copied()
}

/// Whether `unsigned` starts or `s` ends with a currency marker, the rest
/// being a number.
fn has_marker_and_number(s: &str, unsigned: &str) -> bool {
    // A marker that `unsigned` starts with shares its first byte, and one
    // that `s` ends with its last: the others are not tried.
    let (first, last) = (unsigned.bytes().next(), s.bytes().last());
    let same =
        |a: Option<u8>, b: Option<&u8>| a.zip(b).is_some_and(|(a, b)| a.eq_ignore_ascii_case(b));
    for marker in currency_markers() {
        let before = same(first, marker.as_bytes().first())
            .then(|| strip_prefix_ignore_case(unsigned, marker))
            .flatten();
        let after = same(last, marker.as_bytes().last())
            .then(|| strip_suffix_ignore_case(s, marker))
            .flatten();
        for rest in [before, after].into_iter().flatten() {
            if parse_number(rest.trim()).is_some() {
                return true;
            }
        }
    }
    false
}

fn strip_prefix_ignore_case<'s>(s: &'s str, prefix: &str) -> Option<&'s str> {
    let head = s.get(..prefix.len())?;
    head.eq_ignore_ascii_case(prefix)
        .then(|| s.get(prefix.len()..))
        .flatten()
}

fn strip_suffix_ignore_case<'s>(s: &'s str, suffix: &str) -> Option<&'s str> {
    let at = s.len().checked_sub(suffix.len())?;
    let tail = s.get(at..)?;
    tail.eq_ignore_ascii_case(suffix)
        .then(|| s.get(..at))
        .flatten()
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn no_currency_code_or_symbol_is_longer_than_the_longest() {
        assert_eq!(currency_markers().map(str::len).max(), Some(LONGEST_MARKER));
        assert!(is_currency_code("US$") && is_currency_code("zł") && is_currency_code("eur"));
        assert!(!is_currency_code("EURO") && !is_currency_code("SKU-1"));
    }

    proptest! {
        /// The look at the first and last byte only rules out markers that
        /// could not start or end the value.
        #[test]
        fn money_is_found_as_by_trying_every_marker(
            sign in prop::sample::select(vec!["", "-", "- ", "\u{2212}"]),
            before in prop::sample::select(vec!["", "$", "€ ", "EUR ", "usd", "R$", "kr ", "X", "SKU-"]),
            number in "[0-9]{0,4}([.,][0-9]{1,3})?",
            after in prop::sample::select(vec!["", " €", "EUR", " zł", "Fr", "%", "a", " CHF"]),
        ) {
            let t = format!("{sign}{before}{number}{after}");
            let s = t.trim();
            let unsigned = s.strip_prefix(['-', '\u{2212}']).map_or(s, str::trim_start);
            // Every marker tried, before or after.
            let every = currency_markers().any(|marker| {
                [strip_prefix_ignore_case(unsigned, marker), strip_suffix_ignore_case(s, marker)]
                    .into_iter()
                    .flatten()
                    .any(|rest| parse_number(rest.trim()).is_some())
            });
            prop_assert_eq!(is_money(&t), every, "{}", t);
            // Money has a digit: values without one are not tried.
            if !t.bytes().any(|b| b.is_ascii_digit()) {
                prop_assert!(!is_money(&t), "{}", t);
            }
        }
    }
}
