//! Cell value parsers: turn the text (or Excel number) in one spreadsheet cell into a
//! typed canonical value, or say exactly why not. Pure functions, no I/O.

mod boolean;
mod currency;
mod date;
mod day_order;
mod decimal_mark;
mod email;
mod number;
mod status;
mod time_of_day;

use std::fmt;

pub use boolean::parse_bool;
pub use currency::{ISO_4217, parse_currency};
pub use date::{excel_serial, parse_date, parse_datetime};
pub use day_order::{DayOrder, DayOrderDecision, decide_day_order};
pub use decimal_mark::{DecimalMark, DecimalMarkDecision, decide_decimal_mark};
pub use email::check_email;
pub use number::{decimal_from_f64, int_from_f64, parse_decimal, parse_int};
pub use status::{Status, parse_status};

/// Why a value did not parse; `reason` is a short human sentence fragment shown in
/// findings, e.g. "not a date", "day 31 does not exist in February".
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ParseFail {
    pub reason: String,
}

impl ParseFail {
    pub fn new(reason: impl Into<String>) -> ParseFail {
        ParseFail {
            reason: reason.into(),
        }
    }
}

impl fmt::Display for ParseFail {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.reason)
    }
}

impl std::error::Error for ParseFail {}

/// Text that stands for "no value" in a typed column: empty or whitespace, `NULL`, `N/A`,
/// `#N/A` typed as text, `-`, `--` and the en/em dashes (case-insensitive, trimmed).
/// "NA" is deliberately not a null marker: it is Namibia's country code.
/// "none", "nil" and "0" are values, not markers, and are left to the field's parser.
pub fn is_null_marker(s: &str) -> bool {
    let t = crate::source::grid::trimmed(s);
    // Every marker is short and starts with one of these: most cells stop here.
    if t.len() > 4
        || !matches!(
            t.as_bytes().first(),
            None | Some(b'n' | b'N' | b'#' | b'-' | 0xE2)
        )
    {
        return false;
    }
    t.is_empty()
        || ["null", "n/a", "#n/a", "-", "--", "\u{2013}", "\u{2014}"]
            .iter()
            .any(|m| t.eq_ignore_ascii_case(m))
}

/// Lower-cases and strips the accents of Latin letters ("März" -> "marz", "Expédié" ->
/// "expedie", "ß" -> "ss"), so synonym tables can be written in plain ASCII.
fn fold(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars().flat_map(char::to_lowercase) {
        match c {
            'à' | 'á' | 'â' | 'ã' | 'ä' | 'å' | 'ā' | 'ă' | 'ą' => out.push('a'),
            'ç' | 'ć' | 'č' => out.push('c'),
            'è' | 'é' | 'ê' | 'ë' | 'ē' | 'ė' | 'ę' | 'ě' => out.push('e'),
            'ì' | 'í' | 'î' | 'ï' | 'ī' | 'į' => out.push('i'),
            'ñ' | 'ń' | 'ň' => out.push('n'),
            'ò' | 'ó' | 'ô' | 'õ' | 'ö' | 'ø' | 'ō' | 'ő' => out.push('o'),
            'ù' | 'ú' | 'û' | 'ü' | 'ū' | 'ů' | 'ű' => out.push('u'),
            'ý' | 'ÿ' => out.push('y'),
            'ś' | 'š' => out.push('s'),
            'ź' | 'ż' | 'ž' => out.push('z'),
            'ł' => out.push('l'),
            'ř' => out.push('r'),
            'ß' => out.push_str("ss"),
            'æ' => out.push_str("ae"),
            'œ' => out.push_str("oe"),
            other => out.push(other),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn null_markers() {
        for s in [
            "", "  ", "\t", "NULL", "null", "Null", "N/A", "n/a", "#N/A", "-", "--", " - ",
            "\u{2014}",
        ] {
            assert!(is_null_marker(s), "{s:?} should be a null marker");
        }
        for s in ["NA", "na", "0", "none", "x", "---", "N/A/B", "#REF!"] {
            assert!(!is_null_marker(s), "{s:?} should not be a null marker");
        }
    }

    #[test]
    fn fold_strips_accents_and_case() {
        assert_eq!(fold("März"), "marz");
        assert_eq!(fold("EXPÉDIÉ"), "expedie");
        assert_eq!(fold("Straße"), "strasse");
        assert_eq!(fold("Sí"), "si");
        assert_eq!(fold("Août"), "aout");
    }

    #[test]
    fn parse_fail_displays_its_reason() {
        assert_eq!(ParseFail::new("not a date").to_string(), "not a date");
    }
}

#[cfg(test)]
mod properties {
    use super::*;
    use chrono::{Datelike, NaiveDate};
    use proptest::prelude::*;
    use rust_decimal::Decimal;

    fn any_text() -> impl Strategy<Value = String> {
        prop_oneof![
            any::<String>(),
            "[0-9 ./,:+\\-()$€%eE'TZapmAPM]{0,24}",
            "[0-9]{1,4}[/.-][0-9]{1,4}[/.-][0-9]{1,4}( [0-9]{1,2}:[0-9]{2}(:[0-9]{2})?)?",
            "(Thu, )?[0-9]{1,2}\\.? ?(Apr|März|mars|de abril de|Sept) ?[0-9]{0,4}",
        ]
    }

    proptest! {
        #[test]
        fn no_parser_panics(s in any_text(), x in any::<f64>()) {
            let _ = is_null_marker(&s);
            for order in [DayOrder::DayFirst, DayOrder::MonthFirst] {
                let _ = parse_date(&s, order);
                let _ = parse_datetime(&s, order);
            }
            for mark in [DecimalMark::Point, DecimalMark::Comma] {
                let _ = parse_decimal(&s, mark);
                let _ = parse_int(&s, mark);
            }
            let _ = decide_day_order([s.as_str()]);
            let _ = decide_decimal_mark([s.as_str()]);
            let _ = parse_bool(&s);
            let _ = check_email(&s);
            let _ = parse_currency(&s);
            let _ = parse_status(&s);
            let _ = decimal_from_f64(x);
            let _ = int_from_f64(x);
            let _ = excel_serial(x, false);
            let _ = excel_serial(x, true);
        }

        #[test]
        fn decimal_text_round_trips(mantissa in any::<i64>(), scale in 0u32..=6) {
            let d = Decimal::new(mantissa, scale);
            let parsed = parse_decimal(&d.to_string(), DecimalMark::Point);
            prop_assert_eq!(parsed.as_ref().map(|p| p.to_string()), Ok(d.to_string()));
            prop_assert_eq!(parsed, Ok(d));
        }

        #[test]
        fn iso_dates_round_trip(days in 0i64..73_049) {
            let date = NaiveDate::from_ymd_opt(1900, 1, 1).unwrap() + chrono::Duration::days(days);
            prop_assert!(date.year() >= 1900 && date.year() < 2100);
            let text = date.format("%Y-%m-%d").to_string();
            prop_assert_eq!(parse_date(&text, DayOrder::DayFirst), Ok(date));
            prop_assert_eq!(parse_date(&text, DayOrder::MonthFirst), Ok(date));
        }

        #[test]
        fn decimal_from_f64_is_exact_for_i32(n in any::<i32>()) {
            prop_assert_eq!(decimal_from_f64(f64::from(n)), Some(Decimal::from(n)));
            prop_assert_eq!(int_from_f64(f64::from(n)), Ok(i64::from(n)));
        }

        #[test]
        fn day_first_slash_dates_round_trip(days in 0i64..73_049) {
            let date = NaiveDate::from_ymd_opt(1900, 1, 1).unwrap() + chrono::Duration::days(days);
            let text = date.format("%d/%m/%Y").to_string();
            prop_assert_eq!(parse_date(&text, DayOrder::DayFirst), Ok(date));
            let text = date.format("%m/%d/%Y").to_string();
            prop_assert_eq!(parse_date(&text, DayOrder::MonthFirst), Ok(date));
        }
    }
}
