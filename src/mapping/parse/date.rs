//! Dates and date-times as spreadsheets hold them: ISO, numeric d/m/y and m/d/y read with
//! the column's day order, month names in four languages, and Excel serial day numbers.

use super::day_order::DayOrder;
use super::time_of_day::{digit, parse_time, split_time};
use super::{ParseFail, fold};
use chrono::{Datelike, Days, NaiveDate, NaiveDateTime, NaiveTime};

/// Month names and abbreviations by month, folded (lower case, no accents): English,
/// German, French, Spanish. "mar" is March, never the French/Spanish Tuesday.
const MONTHS: [&str; 12] = [
    "january jan januar janner janvier janv enero ene",
    "february feb februar fevrier fev fevr febrero",
    "march mar marz maerz mars marzo",
    "april apr avril avr abril abr",
    "may mai mayo",
    "june jun juni juin junio",
    "july jul juli juillet juil julio",
    "august aug aout agosto ago",
    "september sep sept septembre septiembre",
    "october oct oktober okt octobre octubre",
    "november nov novembre noviembre",
    "december dec dezember dez decembre diciembre dic",
];

/// Weekday names and abbreviations (folded) that may prefix a date and are dropped.
const WEEKDAYS: &str = "monday tuesday wednesday thursday friday saturday sunday mon tue tues \
    wed thu thur thurs fri sat sun montag dienstag mittwoch donnerstag freitag samstag sonnabend \
    sonntag mo di mi do fr sa so lundi mardi mercredi jeudi vendredi samedi dimanche lun mer \
    jeu ven sam dim lunes martes miercoles jueves viernes sabado domingo mie jue vie sab dom";

/// Filler words inside written dates ("3 de abril de 2025", "le 3 avril 2025", "3rd of May").
const NOISE: &[&str] = &["de", "del", "of", "the", "le", "el"];

/// Ordinal suffixes accepted right after a day number ("3rd", "1er").
const ORDINALS: &[&str] = &["st", "nd", "rd", "th", "er"];

/// Parses a date, with or without a time part (the time is checked, then dropped).
pub fn parse_date(s: &str, order: DayOrder) -> Result<NaiveDate, ParseFail> {
    parse_datetime(s, order).map(|dt| dt.date())
}

/// Parses a date and an optional time of day; a date alone is midnight.
/// Formats: ISO 2025-04-03 (also with / or .), 20250403 (years 1900-2199 only, so that
/// ids are not taken for dates), d/m/y and m/d/y by `order` (with /, - or .; dotted dates
/// are always day-first), month names in English, German, French and Spanish, weekday
/// prefixes. Two-digit years: 00-69 are 20yy, 70-99 are 19yy.
/// Time: h:mm, h:mm:ss, fractions, AM/PM, a "T" separator; a trailing "Z", "UTC", "GMT" or
/// "+02:00" offset is accepted and dropped: the local clock time is kept, not converted.
pub fn parse_datetime(s: &str, order: DayOrder) -> Result<NaiveDateTime, ParseFail> {
    let t = s.trim();
    if t.is_empty() {
        return Err(ParseFail::new("empty"));
    }
    let folded = fold(t);
    let (date_part, time_part) = split_time(&folded);
    if date_part.is_empty() {
        return Err(ParseFail::new("not a date"));
    }
    let date = parse_date_part(date_part, order)?;
    let time = match time_part {
        Some(tp) => parse_time(tp)?,
        None => NaiveTime::MIN,
    };
    Ok(date.and_time(time))
}

/// The three numbers of a numeric date and its one separator, if `s` is exactly that.
/// A leading weekday name ("thu, 03/04/2025") is dropped first.
pub(super) fn numeric_date(s: &str) -> Option<([(u32, usize); 3], char)> {
    let s = without_weekday(s);
    let sep = s.chars().find(|c| !c.is_ascii_digit())?;
    if !matches!(sep, '/' | '-' | '.') {
        return None;
    }
    let mut parts = s.split(sep).map(|p| {
        let ok = (1..=4).contains(&p.len()) && p.bytes().all(|b| b.is_ascii_digit());
        ok.then(|| p.parse::<u32>().ok().map(|v| (v, p.len())))
            .flatten()
    });
    let found = [parts.next()??, parts.next()??, parts.next()??];
    parts.next().is_none().then_some((found, sep))
}

fn parse_date_part(d: &str, order: DayOrder) -> Result<NaiveDate, ParseFail> {
    if d.bytes().all(|b| b.is_ascii_digit()) {
        let compact = |i: std::ops::Range<usize>| d.get(i).and_then(|p| p.parse::<u32>().ok());
        if d.len() == 8
            && let (Some(y), Some(m), Some(day)) = (compact(0..4), compact(4..6), compact(6..8))
            && (1900..=2199).contains(&y)
        {
            return make_date(y, m, day).map_err(|_| ParseFail::new("not a date"));
        }
        return Err(ParseFail::new("a number, not a date"));
    }
    let Some((parts, sep)) = numeric_date(d) else {
        return word_date(d);
    };
    let [(a, a_len), (b, b_len), (c, c_len)] = parts;
    if a_len == 4 && b_len <= 2 && c_len <= 2 {
        return make_date(a, b, c);
    }
    if a_len > 2 || b_len > 2 {
        return Err(ParseFail::new("not a date"));
    }
    let year = full_year(c, c_len)?;
    if sep == '.' {
        return make_date(year, b, a);
    }
    let (day, month, swapped) = match order {
        DayOrder::DayFirst => (a, b, "day-first"),
        DayOrder::MonthFirst => (b, a, "month-first"),
    };
    make_date(year, month, day).map_err(|fail| {
        if make_date(year, day, month).is_ok() {
            ParseFail::new(format!("{} (column read {swapped})", fail.reason))
        } else {
            fail
        }
    })
}

/// Drops a leading weekday name and the separators after it.
fn without_weekday(d: &str) -> &str {
    let end = d.find(|c: char| !c.is_alphabetic()).unwrap_or(d.len());
    let word = &d[..end];
    if word.is_empty() || !WEEKDAYS.split_whitespace().any(|w| w == word) {
        return d;
    }
    d[end..].trim_start_matches([' ', ',', '.'])
}

/// A date written with a month name: exactly one month, a day and a year.
fn word_date(d: &str) -> Result<NaiveDate, ParseFail> {
    let not_a_date = || ParseFail::new("not a date");
    let (mut month, mut nums) = (None, Vec::new());
    let mut rest = d;
    let mut after_number = false;
    while let Some(c) = rest.chars().next() {
        if c.is_ascii_digit() {
            let run = rest.len() - rest.trim_start_matches(digit).len();
            let digits = &rest[..run];
            if digits.len() > 4 {
                return Err(not_a_date());
            }
            nums.push((
                digits.parse::<u32>().map_err(|_| not_a_date())?,
                digits.len(),
            ));
            rest = &rest[run..];
            after_number = true;
        } else if c.is_alphabetic() {
            let run = rest.len() - rest.trim_start_matches(char::is_alphabetic).len();
            let word = &rest[..run];
            if let Some(m) = month_number(word) {
                if month.replace(m).is_some() {
                    return Err(not_a_date());
                }
            } else if !(WEEKDAYS.split_whitespace().any(|w| w == word)
                || NOISE.contains(&word)
                || (after_number && ORDINALS.contains(&word)))
            {
                return Err(not_a_date());
            }
            rest = &rest[run..];
            after_number = false;
        } else if c.is_whitespace() || matches!(c, '/' | '-' | '.' | ',' | '\'') {
            rest = &rest[c.len_utf8()..];
        } else {
            return Err(not_a_date());
        }
    }
    let (Some(month), [(n1, l1), (n2, l2)]) = (month, nums.as_slice()) else {
        return Err(not_a_date());
    };
    if *l1 == 4 && *l2 <= 2 {
        make_date(*n1, month, *n2)
    } else if *l1 <= 2 {
        make_date(full_year(*n2, *l2)?, month, *n1)
    } else {
        Err(not_a_date())
    }
}

/// The month (1-12) a folded month name or abbreviation stands for.
fn month_number(word: &str) -> Option<u32> {
    let index = MONTHS
        .iter()
        .position(|names| names.split(' ').any(|name| name == word))?;
    u32::try_from(index + 1).ok()
}

/// The English name of a month (1-12), for reasons.
fn month_name(month: u32) -> String {
    let index = usize::try_from(month).unwrap_or(0).wrapping_sub(1);
    let word = MONTHS.get(index).and_then(|names| names.split(' ').next());
    let mut chars = word.unwrap_or("that month").chars();
    chars
        .next()
        .map(|c| c.to_ascii_uppercase())
        .into_iter()
        .chain(chars)
        .collect()
}

/// Two-digit years: 00-69 are 2000-2069, 70-99 are 1970-1999; four digits as written.
fn full_year(y: u32, digits: usize) -> Result<u32, ParseFail> {
    match digits {
        2 if y < 70 => Ok(2000 + y),
        2 => Ok(1900 + y),
        4 => Ok(y),
        _ => Err(ParseFail::new("not a date: the year needs 2 or 4 digits")),
    }
}

/// A calendar date, or a reason naming the month or day that does not exist.
fn make_date(year: u32, month: u32, day: u32) -> Result<NaiveDate, ParseFail> {
    if !(1..=12).contains(&month) {
        return Err(ParseFail::new(format!("month {month} does not exist")));
    }
    if !(1..=31).contains(&day) {
        return Err(ParseFail::new(format!("day {day} does not exist")));
    }
    let y = i32::try_from(year).map_err(|_| ParseFail::new("not a date"))?;
    NaiveDate::from_ymd_opt(y, month, day).ok_or_else(|| {
        let reason = match (month, day) {
            (2, 29) => format!("day 29 does not exist in February {year} (not a leap year)"),
            _ => format!("day {day} does not exist in {}", month_name(month)),
        };
        ParseFail::new(reason)
    })
}

/// An Excel serial day number as a date-time; the fraction is the time of day, rounded to
/// the millisecond. 1900 system: 1 is 1900-01-01, 59 is 1900-02-28, 61 is 1900-03-01.
/// Serial 60 is Excel's fictional 1900-02-29, which does not exist: None.
/// Serials in [0, 1) (a time with no date) are day 0, taken as 1899-12-31.
/// 1904 system: 0 is 1904-01-01. None for negative, NaN, infinite, or past year 9999.
pub fn excel_serial(serial: f64, is_1904: bool) -> Option<NaiveDateTime> {
    const MS_PER_DAY: i64 = 86_400_000;
    if !(0.0..=3_000_000.0).contains(&serial) {
        return None;
    }
    let ms = (serial * MS_PER_DAY as f64).round() as i64;
    let (days, ms_of_day) = (ms / MS_PER_DAY, ms % MS_PER_DAY);
    let (base, offset) = match (is_1904, days) {
        (true, d) => (NaiveDate::from_ymd_opt(1904, 1, 1)?, d),
        (false, 60) => return None,
        (false, d) if d < 60 => (NaiveDate::from_ymd_opt(1899, 12, 31)?, d),
        (false, d) => (NaiveDate::from_ymd_opt(1899, 12, 30)?, d),
    };
    let date = base.checked_add_days(Days::new(u64::try_from(offset).ok()?))?;
    let secs = u32::try_from(ms_of_day / 1000).ok()?;
    let nanos = u32::try_from(ms_of_day % 1000).ok()? * 1_000_000;
    let time = NaiveTime::from_num_seconds_from_midnight_opt(secs, nanos)?;
    (date.year() <= 9999).then(|| date.and_time(time))
}

#[cfg(test)]
mod tests {
    use super::*;
    use DayOrder::{DayFirst, MonthFirst};

    fn ymd(y: i32, m: u32, d: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, d).unwrap()
    }

    fn at(y: i32, m: u32, d: u32, h: u32, min: u32, s: u32, ms: u32) -> NaiveDateTime {
        ymd(y, m, d).and_hms_milli_opt(h, min, s, ms).unwrap()
    }

    fn fail<T>(reason: &str) -> Result<T, ParseFail> {
        Err(ParseFail::new(reason))
    }

    /// Test inputs written one per line, or several on a line separated by " | ".
    fn cases(table: &str) -> impl Iterator<Item = &str> {
        table
            .lines()
            .flat_map(|l| l.split(" | "))
            .map(str::trim)
            .filter(|c| !c.is_empty())
    }

    #[test]
    fn every_date_format_reads_3_april_2025() {
        let either = "2025-04-03 | 2025/04/03 | 2025.4.3 | 20250403 | 03.04.2025 | 3.4.25
            3 Apr 2025 | Apr 3, 2025 | 3-Apr-2025 | April 3 2025 | 03-Apr-25 | 3 APR 2025
            Thu, 3 Apr 2025 | Thursday, April 3, 2025 | jeudi 3 avril 2025 | Do, 3. Apr. 2025
            3. April 2025 | 3 avril 2025 | 3 de abril de 2025 | le 3 avril 2025 | 3 avr. 2025
            3rd April 2025 | April 3rd, 2025 | 2025 Apr 3 | 3 Apr '25";
        for s in cases(either).chain(["  2025-04-03  "]) {
            assert_eq!(
                parse_date(s, DayFirst),
                Ok(ymd(2025, 4, 3)),
                "{s:?} day-first"
            );
            assert_eq!(
                parse_date(s, MonthFirst),
                Ok(ymd(2025, 4, 3)),
                "{s:?} month-first"
            );
        }
        for s in cases("03/04/2025 | 3/4/2025 | 03-04-2025 | 3/4/25 | Thu, 03/04/2025") {
            assert_eq!(parse_date(s, DayFirst), Ok(ymd(2025, 4, 3)), "{s:?}");
        }
        for s in cases("04/03/2025 | 4/3/2025 | 04-03-2025 | 4/3/25 | Thu 4/3/2025") {
            assert_eq!(parse_date(s, MonthFirst), Ok(ymd(2025, 4, 3)), "{s:?}");
        }
    }

    #[test]
    fn month_names_in_four_languages() {
        let by_month = [
            "1 Jan 2025 | 1 Januar 2025 | 1 Jänner 2025 | 1 janv. 2025 | 1 enero 2025",
            "1 Feb 2025 | 1 Februar 2025 | 1 févr 2025 | 1 février 2025 | 1 febrero 2025",
            "1 Mar 2025 | 1. März 2025 | 1. Maerz 2025 | 1 mars 2025 | 1 marzo 2025",
            "1 April 2025 | 1 avril 2025 | 1 abr 2025 | 1 abril 2025",
            "1 May 2025 | 1 Mai 2025 | 1 mayo 2025",
            "1 June 2025 | 1 Juni 2025 | 1 juin 2025 | 1 junio 2025",
            "1 July 2025 | 1 Juli 2025 | 1 juillet 2025 | 1 juil. 2025 | 1 julio 2025",
            "1 Aug 2025 | 1 août 2025 | 1 agosto 2025 | 1 ago 2025",
            "1 Sept 2025 | 1 Sep 2025 | 1 septembre 2025 | 1 septiembre 2025",
            "1 Okt 2025 | 1 October 2025 | 1 octobre 2025 | 1 octubre 2025",
            "1 Nov 2025 | 1 November 2025 | 1 novembre 2025 | 1 noviembre 2025",
            "1 Dez 2025 | 1 Dezember 2025 | 1 décembre 2025 | 1 dic 2025 | 1 diciembre 2025",
        ];
        for (month, line) in (1..).zip(by_month) {
            for s in cases(line) {
                assert_eq!(parse_date(s, MonthFirst), Ok(ymd(2025, month, 1)), "{s:?}");
            }
        }
    }

    #[test]
    fn two_digit_years_pivot_at_70() {
        assert_eq!(parse_date("1/2/00", DayFirst), Ok(ymd(2000, 2, 1)));
        assert_eq!(parse_date("1/2/69", DayFirst), Ok(ymd(2069, 2, 1)));
        assert_eq!(parse_date("1/2/70", DayFirst), Ok(ymd(1970, 2, 1)));
        assert_eq!(parse_date("1/2/99", DayFirst), Ok(ymd(1999, 2, 1)));
        assert_eq!(parse_date("5 Jan 99", DayFirst), Ok(ymd(1999, 1, 5)));
    }

    #[test]
    fn time_parts_are_kept_by_datetime_and_dropped_by_date() {
        let at_14_05_09 = "2025-04-03T14:05:09 | 2025-04-03T14:05:09.000Z
            2025-04-03 14:05:09+02:00 | 2025-04-03 14:05:09 -0500 | 2025-04-03 14:05:09 UTC
            Thu, 03 Apr 2025 14:05:09 GMT | 4/3/2025 2:05:09 PM | 3 Apr 2025, 14:05:09";
        for s in cases(at_14_05_09) {
            assert_eq!(
                parse_datetime(s, MonthFirst),
                Ok(at(2025, 4, 3, 14, 5, 9, 0)),
                "{s:?}"
            );
            assert_eq!(parse_date(s, MonthFirst), Ok(ymd(2025, 4, 3)), "{s:?}");
        }
        let others = [
            ("2025-04-03 14:05", at(2025, 4, 3, 14, 5, 0, 0)),
            (
                "2025-04-03T14:05:09.123+02:00",
                at(2025, 4, 3, 14, 5, 9, 123),
            ),
            ("4/3/2025 12:30 am", at(2025, 4, 3, 0, 30, 0, 0)),
            ("4/3/2025 12:30 p.m.", at(2025, 4, 3, 12, 30, 0, 0)),
            ("Apr 3, 2025, 9:00 AM", at(2025, 4, 3, 9, 0, 0, 0)),
            ("April 3, 2025 at 9:00", at(2025, 4, 3, 9, 0, 0, 0)),
            ("03.04.2025 14:05", at(2025, 4, 3, 14, 5, 0, 0)),
            ("2025-04-03", at(2025, 4, 3, 0, 0, 0, 0)),
        ];
        for (s, expected) in others {
            assert_eq!(parse_datetime(s, MonthFirst), Ok(expected), "{s:?}");
        }
    }

    #[test]
    fn impossible_dates_name_the_day_or_month() {
        assert_eq!(
            parse_date("31/02/2025", DayFirst),
            fail("day 31 does not exist in February")
        );
        assert_eq!(
            parse_date("2025-04-31", DayFirst),
            fail("day 31 does not exist in April")
        );
        let feb_29 = "day 29 does not exist in February 2025 (not a leap year)";
        assert_eq!(parse_date("29.02.2025", DayFirst), fail(feb_29));
        assert_eq!(parse_date("29.02.2024", DayFirst), Ok(ymd(2024, 2, 29)));
        assert_eq!(
            parse_date("2025-13-01", DayFirst),
            fail("month 13 does not exist")
        );
        assert_eq!(
            parse_date("32 Jan 2025", DayFirst),
            fail("day 32 does not exist")
        );
        assert_eq!(
            parse_date("0/1/2025", DayFirst),
            fail("day 0 does not exist")
        );
        let read_month_first = "month 31 does not exist (column read month-first)";
        assert_eq!(parse_date("31/03/2025", MonthFirst), fail(read_month_first));
        let read_day_first = "month 31 does not exist (column read day-first)";
        assert_eq!(parse_date("03/31/2025", DayFirst), fail(read_day_first));
    }

    #[test]
    fn text_that_is_not_a_date() {
        let not_dates = "tomorrow | ten | April 2025 | 3 Apr | 3 Foo 2025 | 3 Apr 2025 Apr
            1/2/3/4 | 2025-04 | 3/4 | 2025-04-03! | 03/04-2025 | 3 Apr 20255 | 14:05 | n/a";
        for s in cases(not_dates) {
            assert_eq!(parse_date(s, DayFirst), fail("not a date"), "{s:?}");
        }
        assert_eq!(parse_date("", DayFirst), fail("empty"));
        assert_eq!(
            parse_date("3/4/025", DayFirst),
            fail("not a date: the year needs 2 or 4 digits")
        );
        assert_eq!(parse_date("12345", DayFirst), fail("a number, not a date"));
        assert_eq!(
            parse_date("12345678", DayFirst),
            fail("a number, not a date")
        );
        assert_eq!(parse_date("20251340", DayFirst), fail("not a date"));
    }

    #[test]
    fn excel_serials_in_the_1900_system() {
        let serial = |x: f64| excel_serial(x, false);
        assert_eq!(serial(45748.0), Some(at(2025, 4, 1, 0, 0, 0, 0)));
        assert_eq!(serial(45748.5), Some(at(2025, 4, 1, 12, 0, 0, 0)));
        assert_eq!(
            serial(45748.25 + 0.0004 / 86_400.0),
            Some(at(2025, 4, 1, 6, 0, 0, 0))
        );
        assert_eq!(serial(45_748.000_011_574), Some(at(2025, 4, 1, 0, 0, 1, 0)));
        assert_eq!(
            serial(45748.0 + 0.123 / 86_400.0),
            Some(at(2025, 4, 1, 0, 0, 0, 123))
        );
        assert_eq!(serial(1.0), Some(at(1900, 1, 1, 0, 0, 0, 0)));
        assert_eq!(serial(59.0), Some(at(1900, 2, 28, 0, 0, 0, 0)));
        assert_eq!(serial(60.0), None, "Excel's fictional 1900-02-29");
        assert_eq!(serial(60.5), None);
        assert_eq!(serial(61.0), Some(at(1900, 3, 1, 0, 0, 0, 0)));
        assert_eq!(serial(0.0), Some(at(1899, 12, 31, 0, 0, 0, 0)));
        assert_eq!(serial(0.75), Some(at(1899, 12, 31, 18, 0, 0, 0)));
        assert_eq!(serial(2_958_465.0), Some(at(9999, 12, 31, 0, 0, 0, 0)));
        assert_eq!(serial(2_958_466.0), None);
        assert_eq!(serial(-1.0), None);
        assert_eq!(serial(f64::NAN), None);
        assert_eq!(serial(f64::INFINITY), None);
    }

    #[test]
    fn excel_serials_in_the_1904_system() {
        assert_eq!(excel_serial(0.0, true), Some(at(1904, 1, 1, 0, 0, 0, 0)));
        assert_eq!(
            excel_serial(44286.0, true),
            Some(at(2025, 4, 1, 0, 0, 0, 0))
        );
        assert_eq!(excel_serial(1.5, true), Some(at(1904, 1, 2, 12, 0, 0, 0)));
        assert_eq!(excel_serial(-0.5, true), None);
    }
}
