//! Currency cells: ISO 4217 codes in any case, plus the symbols and aliases people type
//! where they name one currency without doubt.

use super::fold;

/// ISO 4217 List One (currencies and funds) as published 2026-01-01, sorted.
/// XTS (testing) and XXX (no currency) are left out: in order data they are placeholders,
/// not currencies. Withdrawn codes (HRK, ZWL, ANG, SLL, ...) are not in it.
pub static ISO_4217: [&str; 176] = [
    "AED", "AFN", "ALL", "AMD", "AOA", "ARS", "AUD", "AWG", "AZN", "BAM", "BBD", "BDT", "BHD",
    "BIF", "BMD", "BND", "BOB", "BOV", "BRL", "BSD", "BTN", "BWP", "BYN", "BZD", "CAD", "CDF",
    "CHE", "CHF", "CHW", "CLF", "CLP", "CNY", "COP", "COU", "CRC", "CUP", "CVE", "CZK", "DJF",
    "DKK", "DOP", "DZD", "EGP", "ERN", "ETB", "EUR", "FJD", "FKP", "GBP", "GEL", "GHS", "GIP",
    "GMD", "GNF", "GTQ", "GYD", "HKD", "HNL", "HTG", "HUF", "IDR", "ILS", "INR", "IQD", "IRR",
    "ISK", "JMD", "JOD", "JPY", "KES", "KGS", "KHR", "KMF", "KPW", "KRW", "KWD", "KYD", "KZT",
    "LAK", "LBP", "LKR", "LRD", "LSL", "LYD", "MAD", "MDL", "MGA", "MKD", "MMK", "MNT", "MOP",
    "MRU", "MUR", "MVR", "MWK", "MXN", "MXV", "MYR", "MZN", "NAD", "NGN", "NIO", "NOK", "NPR",
    "NZD", "OMR", "PAB", "PEN", "PGK", "PHP", "PKR", "PLN", "PYG", "QAR", "RON", "RSD", "RUB",
    "RWF", "SAR", "SBD", "SCR", "SDG", "SEK", "SGD", "SHP", "SLE", "SOS", "SRD", "SSP", "STN",
    "SVC", "SYP", "SZL", "THB", "TJS", "TMT", "TND", "TOP", "TRY", "TTD", "TWD", "TZS", "UAH",
    "UGX", "USD", "USN", "UYI", "UYU", "UYW", "UZS", "VED", "VES", "VND", "VUV", "WST", "XAD",
    "XAF", "XAG", "XAU", "XBA", "XBB", "XBC", "XBD", "XCD", "XCG", "XDR", "XOF", "XPD", "XPF",
    "XPT", "XSU", "XUA", "YER", "ZAR", "ZMW", "ZWG",
];

/// Symbols and names that name exactly one currency, as (code, folded aliases).
/// "$" alone is USD, its most common meaning in order sheets; prefixed dollars (C$, A$,
/// NZ$, HK$, S$, MX$, R$) name the others. "¥" is JPY (CN¥ and RMB are CNY).
/// "Fr." and "SFr." are CHF, the franc order sheets in Europe mean.
const ALIASES: [(&str, &str); 37] = [
    ("USD", "$ us$"),
    ("EUR", "€"),
    ("GBP", "£"),
    ("JPY", "¥ jp¥ 円"),
    ("CNY", "cn¥ rmb 元"),
    ("CAD", "c$ ca$"),
    ("AUD", "a$ au$"),
    ("NZD", "nz$"),
    ("HKD", "hk$"),
    ("SGD", "s$ sg$"),
    ("MXN", "mx$"),
    ("BRL", "r$"),
    ("CHF", "fr. sfr. sfr"),
    ("INR", "₹"),
    ("RUB", "₽"),
    ("KRW", "₩"),
    ("TRY", "₺"),
    ("ILS", "₪ nis"),
    ("UAH", "₴"),
    ("VND", "₫"),
    ("PHP", "₱"),
    ("NGN", "₦"),
    ("THB", "฿"),
    ("PLN", "zl"),
    ("CZK", "kc"),
    ("HUF", "ft"),
    ("RON", "lei"),
    ("MYR", "rm"),
    ("IDR", "rp"),
    ("CRC", "₡"),
    ("PYG", "₲"),
    ("LAK", "₭"),
    ("MNT", "₮"),
    ("KZT", "₸"),
    ("AZN", "₼"),
    ("GEL", "₾"),
    ("BDT", "৳"),
];

/// Currency names people type instead of the code: refused, with the code suggested.
const WORDS: [(&str, &str); 8] = [
    ("euro", "EUR"),
    ("euros", "EUR"),
    ("dollar", "USD"),
    ("dollars", "USD"),
    ("pound", "GBP"),
    ("pounds", "GBP"),
    ("yen", "JPY"),
    ("franken", "CHF"),
];

/// Symbols that stand for several currencies; they are refused with the candidates named.
const AMBIGUOUS: &[(&str, &str)] = &[
    ("kr", "SEK, NOK, DKK, ISK"),
    ("kr.", "SEK, NOK, DKK, ISK"),
    ("rs", "INR, PKR, LKR, NPR"),
    ("rs.", "INR, PKR, LKR, NPR"),
    ("₨", "INR, PKR, LKR, NPR"),
    ("¢", "cents of several currencies"),
];

/// Codes withdrawn from ISO 4217 in living memory, with their successors.
const WITHDRAWN: &[(&str, &str)] = &[
    ("ANG", "XCG"),
    ("BYR", "BYN"),
    ("CUC", "CUP"),
    ("DEM", "EUR"),
    ("EEK", "EUR"),
    ("ESP", "EUR"),
    ("FRF", "EUR"),
    ("HRK", "EUR"),
    ("ITL", "EUR"),
    ("LTL", "EUR"),
    ("LVL", "EUR"),
    ("MRO", "MRU"),
    ("NLG", "EUR"),
    ("SKK", "EUR"),
    ("SLL", "SLE"),
    ("STD", "STN"),
    ("VEF", "VES"),
    ("ZWL", "ZWG"),
];

/// Parses a currency cell to its ISO 4217 code: codes in any case ("usd" is USD) and the
/// unambiguous symbols and aliases above. Ambiguous symbols ("kr") and withdrawn codes
/// ("HRK") fail with a reason naming the candidates or the successor.
pub fn parse_currency(s: &str) -> Result<&'static str, String> {
    let t = s.trim();
    if t.is_empty() {
        return Err("empty".to_string());
    }
    let upper = t.to_ascii_uppercase();
    if let Ok(i) = ISO_4217.binary_search(&upper.as_str())
        && let Some(code) = ISO_4217.get(i)
    {
        return Ok(code);
    }
    let key = fold(t);
    let named = |(_, aliases): &&(&str, &str)| aliases.split(' ').any(|a| a == key);
    if let Some((code, _)) = ALIASES.iter().find(named) {
        return Ok(code);
    }
    if let Some((_, which)) = AMBIGUOUS.iter().find(|(symbol, _)| *symbol == key) {
        return Err(format!(
            "'{t}' is ambiguous ({which}); write the ISO 4217 code"
        ));
    }
    // A currency written as a word is not a code; say which code was meant.
    if let Some((_, code)) = WORDS.iter().find(|(word, _)| *word == key) {
        return Err(format!(
            "not an ISO 4217 currency code (did you mean {code}?)"
        ));
    }
    if let Some((_, successor)) = WITHDRAWN.iter().find(|(old, _)| *old == upper) {
        return Err(format!(
            "{upper} is no longer an ISO 4217 code (replaced by {successor})"
        ));
    }
    Err("not an ISO 4217 currency code".to_string())
}

/// Whether a word next to a number is a currency marker, ambiguous symbols included
/// ("kr 12" is still the number 12; the currency column says which crown).
pub(super) fn is_currency_marker(token: &str) -> bool {
    parse_currency(token).is_ok() || AMBIGUOUS.iter().any(|(symbol, _)| *symbol == fold(token))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_code_list_is_sorted_unique_and_upper_case() {
        assert!(ISO_4217.windows(2).all(|w| w[0] < w[1]));
        assert!(
            ISO_4217
                .iter()
                .all(|c| c.len() == 3 && c.bytes().all(|b| b.is_ascii_uppercase()))
        );
        for (code, _) in ALIASES.iter() {
            assert!(ISO_4217.contains(code), "alias target {code}");
        }
        for (old, new) in WITHDRAWN {
            assert!(
                !ISO_4217.contains(old) && ISO_4217.contains(new),
                "{old} -> {new}"
            );
        }
    }

    #[test]
    fn codes_in_any_case() {
        assert_eq!(parse_currency("USD"), Ok("USD"));
        assert_eq!(parse_currency("usd"), Ok("USD"));
        assert_eq!(parse_currency(" eur "), Ok("EUR"));
        assert_eq!(parse_currency("Chf"), Ok("CHF"));
        assert_eq!(parse_currency("XCG"), Ok("XCG"));
        assert_eq!(parse_currency("ZWG"), Ok("ZWG"));
        assert_eq!(parse_currency("XAU"), Ok("XAU"));
    }

    #[test]
    fn symbols_and_aliases() {
        let cases = [
            ("€", "EUR"),
            ("£", "GBP"),
            ("US$", "USD"),
            ("$", "USD"),
            ("¥", "JPY"),
            ("CN¥", "CNY"),
            ("RMB", "CNY"),
            ("C$", "CAD"),
            ("A$", "AUD"),
            ("NZ$", "NZD"),
            ("R$", "BRL"),
            ("Fr.", "CHF"),
            ("SFr.", "CHF"),
            ("₹", "INR"),
            ("zł", "PLN"),
            ("Kč", "CZK"),
            ("₪", "ILS"),
        ];
        for (input, code) in cases {
            assert_eq!(parse_currency(input), Ok(code), "{input:?}");
        }
    }

    #[test]
    fn failures_say_why() {
        assert_eq!(parse_currency(""), Err("empty".to_string()));
        assert_eq!(
            parse_currency("ABC"),
            Err("not an ISO 4217 currency code".to_string())
        );
        assert_eq!(
            parse_currency("dollars"),
            Err("not an ISO 4217 currency code (did you mean USD?)".to_string())
        );
        assert_eq!(
            parse_currency("EURO"),
            Err("not an ISO 4217 currency code (did you mean EUR?)".to_string())
        );
        assert_eq!(
            parse_currency("XXX"),
            Err("not an ISO 4217 currency code".to_string())
        );
        assert_eq!(
            parse_currency("EURO2"),
            Err("not an ISO 4217 currency code".to_string())
        );
        assert_eq!(
            parse_currency("kr"),
            Err("'kr' is ambiguous (SEK, NOK, DKK, ISK); write the ISO 4217 code".to_string())
        );
        assert_eq!(
            parse_currency("hrk"),
            Err("HRK is no longer an ISO 4217 code (replaced by EUR)".to_string())
        );
    }

    #[test]
    fn currency_markers_include_ambiguous_symbols() {
        assert!(is_currency_marker("kr"));
        assert!(is_currency_marker("EUR"));
        assert!(is_currency_marker("$"));
        assert!(!is_currency_marker("abc"));
        assert!(!is_currency_marker("HRK"));
    }
}
