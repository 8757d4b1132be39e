//! Numbers and money as spreadsheets hold them: decimal point or comma, thousands
//! separators, currency signs, accounting negatives, percentages. Money stays exact.

use super::ParseFail;
use super::currency::is_currency_marker;
use super::decimal_mark::DecimalMark;
use rust_decimal::Decimal;

/// Characters that group thousands whatever the decimal mark: spaces (plain, no-break,
/// narrow no-break, thin) and the Swiss apostrophes.
const GROUP_SPACES: [char; 6] = [' ', '\u{a0}', '\u{202f}', '\u{2009}', '\'', '\u{2019}'];

/// Byte range of the number inside `t`: from the first digit (or a mark right before a
/// digit) to the last digit. None when `t` has no digit.
pub(super) fn core_bounds(t: &str) -> Option<(usize, usize)> {
    let mut start = None;
    let mut prev: Option<(usize, char)> = None;
    for (i, c) in t.char_indices() {
        if c.is_ascii_digit() {
            start = Some(match prev {
                Some((j, '.' | ',')) => j,
                _ => i,
            });
            break;
        }
        prev = Some((i, c));
    }
    let end = t.rfind(|c: char| c.is_ascii_digit())? + 1;
    Some((start?, end))
}

/// Parses a number exactly, keeping every digit written ("0.10" keeps scale 2).
/// Accepts a currency symbol or code before or after ("$1,234.50", "12 USD", "1.234,50 €"),
/// a sign before or after ("-12.5", "+4", "12.5-"), accounting parentheses ("(2,771)" is
/// -2771), thousands grouped by the non-decimal mark, spaces or apostrophes (groups of
/// three), and a trailing "%" ("12%" is 0.12).
/// Scientific notation ("1e3", "1.23E+05") is rejected: spreadsheets write it when digits
/// were cut off, so the exact amount is no longer known.
pub fn parse_decimal(s: &str, mark: DecimalMark) -> Result<Decimal, ParseFail> {
    let t = s.trim();
    if t.is_empty() {
        return Err(ParseFail::new("empty"));
    }
    let (start, end) = core_bounds(t).ok_or_else(not_a_number)?;
    let (negative, percent) = affixes(&t[..start], &t[end..])?;
    let (mantissa, mut scale) = digits(&t[start..end], mark)?;
    if percent {
        scale += 2;
    }
    if scale > 28 {
        return Err(ParseFail::new("too many decimal places"));
    }
    let mut d = Decimal::try_from_i128_with_scale(mantissa, scale)
        .map_err(|_| ParseFail::new("number too large"))?;
    if negative && !d.is_zero() {
        d.set_sign_negative(true);
    }
    Ok(d)
}

fn not_a_number() -> ParseFail {
    ParseFail::new("not a number")
}

fn is_sign(c: char) -> bool {
    matches!(c, '-' | '+' | '\u{2212}')
}

/// Reads the text around the number: at most one sign, one pair of parentheses, one
/// currency marker, and a trailing percent sign. Returns (negative, percent).
fn affixes(prefix: &str, suffix: &str) -> Result<(bool, bool), ParseFail> {
    let (mut open, mut close, mut percent) = (false, false, false);
    let (mut sign, mut currency) = (None, false);
    for (text, before) in [(prefix, true), (suffix, false)] {
        let mut rest = text.trim_start();
        while let Some(c) = rest.chars().next() {
            let mut taken = c.len_utf8();
            if c == '(' && before && !open {
                open = true;
            } else if c == ')' && !before && !close {
                close = true;
            } else if c == '%' && !before && !percent {
                percent = true;
            } else if is_sign(c) && sign.is_none() {
                sign = Some(c);
            } else {
                taken = rest
                    .find(|c: char| c.is_whitespace() || is_sign(c) || "()%".contains(c))
                    .unwrap_or(rest.len());
                if taken == 0 || currency || !is_currency_marker(&rest[..taken]) {
                    return Err(not_a_number());
                }
                currency = true;
            }
            rest = rest[taken..].trim_start();
        }
    }
    if open != close {
        return Err(ParseFail::new("unbalanced parentheses"));
    }
    if (open && sign.is_some()) || (currency && percent) {
        return Err(not_a_number());
    }
    Ok((open || matches!(sign, Some('-' | '\u{2212}')), percent))
}

/// The digits of the number as (mantissa, scale), checking the decimal mark and grouping.
fn digits(core: &str, mark: DecimalMark) -> Result<(i128, u32), ParseFail> {
    let (decimal, group, decimal_name, other_name) = match mark {
        DecimalMark::Point => ('.', ',', "point", "comma"),
        DecimalMark::Comma => (',', '.', "comma", "point"),
    };
    let mut groups = vec![String::new()];
    let mut fraction: Option<String> = None;
    let mut separator = None;
    for c in core.chars() {
        if c.is_ascii_digit() {
            match fraction.as_mut() {
                Some(f) => f.push(c),
                None => groups.last_mut().ok_or_else(not_a_number)?.push(c),
            }
        } else if c == decimal {
            if fraction.is_some() {
                return Err(ParseFail::new(format!(
                    "more than one decimal {decimal_name}"
                )));
            }
            fraction = Some(String::new());
        } else if c == group || GROUP_SPACES.contains(&c) {
            if fraction.is_some() || separator.is_some_and(|s| s != c) {
                return Err(ParseFail::new("misplaced thousands separator"));
            }
            separator = Some(c);
            groups.push(String::new());
        } else if c == 'e' || c == 'E' {
            return Err(ParseFail::new(
                "scientific notation is not accepted: digits may have been lost",
            ));
        } else {
            return Err(not_a_number());
        }
    }
    let grouped_ok = groups.len() == 1
        || groups.iter().enumerate().all(|(i, g)| match i {
            0 => (1..=3).contains(&g.len()),
            _ => g.len() == 3,
        });
    if !grouped_ok {
        return Err(ParseFail::new(
            if groups.len() == 2 && separator == Some(group) {
                format!("decimal {other_name} in a decimal-{decimal_name} column")
            } else {
                "misplaced thousands separator".to_string()
            },
        ));
    }
    let fraction = fraction.unwrap_or_default();
    let whole = groups.concat();
    let all = format!("{}{fraction}", whole.trim_start_matches('0'));
    let scale = u32::try_from(fraction.len()).map_err(|_| ParseFail::new("too many digits"))?;
    if all.len() > 38 {
        return Err(ParseFail::new("number too large"));
    }
    let mantissa = if all.is_empty() {
        Ok(0)
    } else {
        all.parse::<i128>()
    };
    Ok((mantissa.map_err(|_| not_a_number())?, scale))
}

/// The decimal a spreadsheet shows for an Excel number: the f64 rounded to 15 significant
/// digits (Excel's precision), trailing zeros dropped, so 12.1 is 12.1 and 0.1+0.2 is 0.3.
/// None for NaN, infinities and magnitudes beyond Decimal's range (about 7.9e28);
/// magnitudes below 1e-28 become 0.
pub fn decimal_from_f64(x: f64) -> Option<Decimal> {
    if !x.is_finite() {
        return None;
    }
    if x == 0.0 {
        return Some(Decimal::ZERO);
    }
    // "d.dddddddddddddde±x": 15 significant digits, correctly rounded by std.
    let text = format!("{:.14e}", x);
    let (mantissa_text, exponent) = text.split_once('e')?;
    let exponent: i32 = exponent.parse().ok()?;
    let mut mantissa: i128 = mantissa_text.replace('.', "").parse().ok()?;
    let mut scale = 14 - exponent;
    if scale < 0 {
        mantissa = mantissa.checked_mul(10i128.checked_pow(scale.unsigned_abs())?)?;
        scale = 0;
    }
    while scale > 28 {
        let dropped = scale - 28;
        if dropped > 16 {
            return Some(Decimal::ZERO);
        }
        let divisor = 10i128.pow(dropped.unsigned_abs());
        let rounded = (mantissa.abs() + divisor / 2) / divisor;
        mantissa = if mantissa < 0 { -rounded } else { rounded };
        scale = 28;
    }
    let d = Decimal::try_from_i128_with_scale(mantissa, scale.unsigned_abs()).ok()?;
    Some(d.normalize())
}

/// Parses a whole number: "3", "3.0", "3,00" (comma column), "1,234" (point column),
/// "-2", "+5", "1 000". The same text forms as `parse_decimal` are accepted.
pub fn parse_int(s: &str, mark: DecimalMark) -> Result<i64, ParseFail> {
    whole(parse_decimal(s, mark)?)
}

/// An Excel number as a whole number, read as Excel shows it (15 significant digits, so
/// 2.9999999999999996 from a formula is 3); 3.5 fails.
pub fn int_from_f64(x: f64) -> Result<i64, ParseFail> {
    if x.is_nan() {
        return Err(not_a_number());
    }
    whole(decimal_from_f64(x).ok_or_else(|| ParseFail::new("number too large"))?)
}

fn whole(d: Decimal) -> Result<i64, ParseFail> {
    if !d.fract().is_zero() {
        return Err(ParseFail::new("not a whole number"));
    }
    i64::try_from(d.trunc()).map_err(|_| ParseFail::new("number too large"))
}

#[cfg(test)]
mod tests {
    use super::*;
    use DecimalMark::{Comma, Point};
    use std::str::FromStr;

    fn dec(s: &str) -> Decimal {
        Decimal::from_str(s).unwrap()
    }

    fn fail<T>(reason: &str) -> Result<T, ParseFail> {
        Err(ParseFail::new(reason))
    }

    /// Cases written "input => expected", several on a line separated by " | ".
    fn pairs(table: &str) -> impl Iterator<Item = (&str, &str)> {
        table
            .lines()
            .flat_map(|l| l.split(" | "))
            .filter_map(|c| c.trim().split_once(" => "))
    }

    #[test]
    fn point_column_forms() {
        let table = "$1,234.50 => 1234.50 | EUR 12 => 12 | 12 USD => 12 | £3 => 3 | 12 € => 12
            -12.5 => -12.5 | +4 => 4 | 0.10 => 0.10 | .5 => 0.5 | 007 => 7 | -0 => 0
            1,234,567.891 => 1234567.891 | 1,234 => 1234 | 1 234.50 => 1234.50
            1\u{202f}234.50 => 1234.50 | 1'234.50 => 1234.50 | \u{2212}3 => -3
            -$12.00 => -12.00 | $-12.00 => -12.00 | ($1,234.00) => -1234.00 | kr 12 => 12
            12.50- => -12.50 | US$ 99.99 => 99.99 | (2,771) => -2771 | CHF 5.5 => 5.5";
        for (input, expected) in pairs(table).chain([("  7.25 ", "7.25")]) {
            let parsed = parse_decimal(input, Point);
            assert_eq!(
                parsed.map(|d| d.to_string()),
                Ok(expected.to_string()),
                "{input:?}"
            );
        }
        assert_eq!(parse_decimal("(2,771)", Point), Ok(Decimal::from(-2771)));
    }

    #[test]
    fn comma_column_forms() {
        let table = "1.234,50 € => 1234.50 | 12,5 => 12.5 | 1 234,50 => 1234.50 | 12 => 12
            1\u{a0}234,50 => 1234.50 | -0,75 => -0.75 | 1.234 => 1234 | (12,00) => -12.00
            EUR 1.000.000,00 => 1000000.00 | 0,10 => 0.10";
        for (input, expected) in pairs(table) {
            let parsed = parse_decimal(input, Comma);
            assert_eq!(
                parsed.map(|d| d.to_string()),
                Ok(expected.to_string()),
                "{input:?}"
            );
        }
    }

    #[test]
    fn percentages_are_fractions() {
        assert_eq!(parse_decimal("12%", Point), Ok(dec("0.12")));
        assert_eq!(parse_decimal("12.5 %", Point), Ok(dec("0.125")));
        assert_eq!(parse_decimal("7,5%", Comma), Ok(dec("0.075")));
        assert_eq!(parse_decimal("-3%", Point), Ok(dec("-0.03")));
    }

    #[test]
    fn decimal_failures_say_why() {
        assert_eq!(parse_decimal("ten", Point), fail("not a number"));
        assert_eq!(parse_decimal("12abc", Point), fail("not a number"));
        assert_eq!(parse_decimal("abc12", Point), fail("not a number"));
        assert_eq!(
            parse_decimal("1.2.3", Point),
            fail("more than one decimal point")
        );
        assert_eq!(
            parse_decimal("1,2,3", Comma),
            fail("more than one decimal comma")
        );
        assert_eq!(parse_decimal("", Point), fail("empty"));
        assert_eq!(parse_decimal("   ", Point), fail("empty"));
        assert_eq!(parse_decimal("$", Point), fail("not a number"));
        assert_eq!(parse_decimal("€", Comma), fail("not a number"));
        assert_eq!(
            parse_decimal("12,5", Point),
            fail("decimal comma in a decimal-point column")
        );
        assert_eq!(
            parse_decimal("12.5", Comma),
            fail("decimal point in a decimal-comma column")
        );
        assert_eq!(
            parse_decimal("1,23,456", Point),
            fail("misplaced thousands separator")
        );
        assert_eq!(
            parse_decimal("1,234 567", Point),
            fail("misplaced thousands separator")
        );
        assert_eq!(
            parse_decimal("1.5,0", Point),
            fail("misplaced thousands separator")
        );
        let sci = "scientific notation is not accepted: digits may have been lost";
        assert_eq!(parse_decimal("1e3", Point), fail(sci));
        assert_eq!(parse_decimal("1.23457E+11", Point), fail(sci));
        assert_eq!(parse_decimal("(12", Point), fail("unbalanced parentheses"));
        assert_eq!(parse_decimal("-(12)", Point), fail("not a number"));
        assert_eq!(parse_decimal("--12", Point), fail("not a number"));
        assert_eq!(parse_decimal("$12 USD", Point), fail("not a number"));
        assert_eq!(parse_decimal("$12%", Point), fail("not a number"));
        assert_eq!(
            parse_decimal("12 34", Point),
            fail("misplaced thousands separator")
        );
        assert_eq!(parse_decimal("1/2", Point), fail("not a number"));
        assert_eq!(
            parse_decimal(&"9".repeat(40), Point),
            fail("number too large")
        );
        assert_eq!(
            parse_decimal(&"9".repeat(30), Point),
            fail("number too large")
        );
        assert_eq!(
            parse_decimal(&format!("0.{}", "1".repeat(29)), Point),
            fail("too many decimal places")
        );
    }

    #[test]
    fn whole_numbers() {
        let point = "3 => 3 | 3.0 => 3 | 1,234 => 1234 | -2 => -2 | +5 => 5 | 1 000 => 1000";
        for (input, expected) in pairs(point) {
            assert_eq!(
                parse_int(input, Point).map(|n| n.to_string()),
                Ok(expected.into())
            );
        }
        assert_eq!(parse_int("3,00", Comma), Ok(3));
        assert_eq!(parse_int("1.000", Comma), Ok(1000));
        assert_eq!(parse_int("9223372036854775807", Point), Ok(i64::MAX));
        assert_eq!(parse_int("3.5", Point), fail("not a whole number"));
        assert_eq!(parse_int("ten", Point), fail("not a number"));
        assert_eq!(
            parse_int("9223372036854775808", Point),
            fail("number too large")
        );
    }

    #[test]
    fn whole_numbers_from_excel() {
        assert_eq!(int_from_f64(3.0), Ok(3));
        assert_eq!(int_from_f64(-7.0), Ok(-7));
        assert_eq!(int_from_f64(2.9999999999999996), Ok(3));
        assert_eq!(int_from_f64(3.5), fail("not a whole number"));
        assert_eq!(int_from_f64(1e20), fail("number too large"));
        assert_eq!(int_from_f64(1e300), fail("number too large"));
        assert_eq!(int_from_f64(f64::NAN), fail("not a number"));
        assert_eq!(int_from_f64(f64::INFINITY), fail("number too large"));
    }

    #[test]
    fn decimals_from_excel_numbers() {
        assert_eq!(
            decimal_from_f64(12.1).map(|d| d.to_string()),
            Some("12.1".to_string())
        );
        assert_eq!(decimal_from_f64(0.1 + 0.2), Some(dec("0.3")));
        assert_eq!(
            decimal_from_f64(3.0).map(|d| d.to_string()),
            Some("3".to_string())
        );
        assert_eq!(decimal_from_f64(-1234.56), Some(dec("-1234.56")));
        assert_eq!(decimal_from_f64(1.0 / 3.0), Some(dec("0.333333333333333")));
        assert_eq!(decimal_from_f64(1e20), Some(dec("100000000000000000000")));
        assert_eq!(
            decimal_from_f64(1.5e-20),
            Some(dec("0.000000000000000000015"))
        );
        assert_eq!(decimal_from_f64(1e-30), Some(Decimal::ZERO));
        assert_eq!(decimal_from_f64(-0.0), Some(Decimal::ZERO));
        assert_eq!(decimal_from_f64(1e30), None);
        assert_eq!(decimal_from_f64(f64::NAN), None);
        assert_eq!(decimal_from_f64(f64::NEG_INFINITY), None);
    }
}
