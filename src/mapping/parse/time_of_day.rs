//! The time-of-day part of a date-time cell: finding it after the date and reading it,
//! with seconds, fractions, AM/PM and a UTC offset that is accepted and dropped.

use super::ParseFail;
use chrono::NaiveTime;

/// Time zone names accepted after a time and dropped (the clock time is kept as written).
const ZONES: &str = "z utc gmt est edt cst cdt mst mdt pst pdt cet cest bst ist eet eest wet west";

/// An ASCII digit (dates and times never use other scripts' digits here).
pub(super) fn digit(c: char) -> bool {
    c.is_ascii_digit()
}

/// Splits folded text at the first `h:mm` into (date part, time part).
pub(super) fn split_time(s: &str) -> (&str, Option<&str>) {
    let Some(colon) = s.find(':') else {
        return (s.trim(), None);
    };
    let start = s[..colon].trim_end_matches(digit).len();
    let mut date = s[..start].trim_end();
    if let Some(d) = date.strip_suffix('t')
        && d.ends_with(digit)
    {
        date = d;
    }
    for filler in [" at", " um", ","] {
        date = date.strip_suffix(filler).unwrap_or(date).trim_end();
    }
    (date, Some(&s[start..]))
}

/// Parses a folded time part: `h:mm[:ss[.fff]] [am|pm] [zone] [+hh[:mm]]`.
pub(super) fn parse_time(t: &str) -> Result<NaiveTime, ParseFail> {
    let bad = || ParseFail::new("not a valid time");
    let mut rest = t;
    let take = |min: usize, max: usize, rest: &mut &str| -> Result<u32, ParseFail> {
        let run = rest.len() - rest.trim_start_matches(digit).len();
        if run < min || run > max {
            return Err(bad());
        }
        let v = rest[..run].parse::<u32>().map_err(|_| bad())?;
        *rest = &rest[run..];
        Ok(v)
    };
    let hour = take(1, 2, &mut rest)?;
    rest = rest.strip_prefix(':').ok_or_else(bad)?;
    let minute = take(2, 2, &mut rest)?;
    let (mut second, mut nanos) = (0, 0);
    if let Some(r) = rest.strip_prefix(':') {
        rest = r;
        second = take(2, 2, &mut rest)?;
        if let Some(r) = rest.strip_prefix(['.', ',']) {
            let run = r.len() - r.trim_start_matches(digit).len();
            if run == 0 {
                return Err(bad());
            }
            let digits: String = r[..run]
                .chars()
                .chain("000000000".chars())
                .take(9)
                .collect();
            nanos = digits.parse().map_err(|_| bad())?;
            rest = &r[run..];
        }
    }
    rest = rest.trim_start();
    let mut pm = None;
    for (marker, is_pm) in [("am", false), ("a.m.", false), ("pm", true), ("p.m.", true)] {
        if let Some(r) = rest.strip_prefix(marker) {
            (pm, rest) = (Some(is_pm), r.trim_start());
            break;
        }
    }
    let zone_end = rest
        .find(|c: char| !c.is_alphabetic())
        .unwrap_or(rest.len());
    if ZONES.split(' ').any(|zone| zone == &rest[..zone_end]) {
        rest = rest[zone_end..].trim_start();
    }
    if let Some(r) = rest.strip_prefix(['+', '-']) {
        rest = r;
        let hhmm = take(2, 4, &mut rest)?;
        if let Some(r) = rest.strip_prefix(':').filter(|_| hhmm < 100) {
            rest = r;
            take(2, 2, &mut rest)?;
        }
    }
    if !rest.is_empty() {
        return Err(bad());
    }
    let hour = match pm {
        Some(_) if !(1..=12).contains(&hour) => {
            return Err(ParseFail::new(format!(
                "hour {hour} does not exist with AM/PM"
            )));
        }
        Some(is_pm) => hour % 12 + if is_pm { 12 } else { 0 },
        None if hour > 23 => return Err(ParseFail::new(format!("hour {hour} does not exist"))),
        None => hour,
    };
    if minute > 59 {
        return Err(ParseFail::new(format!("minute {minute} does not exist")));
    }
    if second > 59 {
        return Err(ParseFail::new(format!("second {second} does not exist")));
    }
    NaiveTime::from_hms_nano_opt(hour, minute, second, nanos).ok_or_else(bad)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_time_part_starts_at_the_digits_before_the_first_colon() {
        assert_eq!(
            split_time("2025-04-03t14:05"),
            ("2025-04-03", Some("14:05"))
        );
        assert_eq!(
            split_time("3 apr 2025, 2:05 pm"),
            ("3 apr 2025", Some("2:05 pm"))
        );
        assert_eq!(
            split_time("april 3, 2025 at 9:00"),
            ("april 3, 2025", Some("9:00"))
        );
        assert_eq!(split_time(" 2025-04-03 "), ("2025-04-03", None));
        assert_eq!(split_time("14:05"), ("", Some("14:05")));
    }

    #[test]
    fn times_with_seconds_fractions_am_pm_and_offsets() {
        let hms = |h, m, s, nanos| NaiveTime::from_hms_nano_opt(h, m, s, nanos).unwrap();
        let cases = [
            ("14:05", hms(14, 5, 0, 0)),
            ("4:05:09", hms(4, 5, 9, 0)),
            ("14:05:09.5", hms(14, 5, 9, 500_000_000)),
            ("14:05:09,123", hms(14, 5, 9, 123_000_000)),
            ("14:05:09.123456789z", hms(14, 5, 9, 123_456_789)),
            ("12:00 am", hms(0, 0, 0, 0)),
            ("12:00 pm", hms(12, 0, 0, 0)),
            ("2:05 p.m.", hms(14, 5, 0, 0)),
            ("2:05am", hms(2, 5, 0, 0)),
            ("14:05 utc", hms(14, 5, 0, 0)),
            ("14:05+02:00", hms(14, 5, 0, 0)),
            ("14:05 -0500", hms(14, 5, 0, 0)),
            ("14:05 gmt+01", hms(14, 5, 0, 0)),
            ("2:05:09 pm est", hms(14, 5, 9, 0)),
            ("14:05 cest", hms(14, 5, 0, 0)),
        ];
        for (input, expected) in cases {
            assert_eq!(parse_time(input), Ok(expected), "{input:?}");
        }
    }

    #[test]
    fn bad_times_fail() {
        let bad = [
            ("25:00", "hour 25 does not exist"),
            ("13:00 pm", "hour 13 does not exist with AM/PM"),
            ("0:30 am", "hour 0 does not exist with AM/PM"),
            ("10:60", "minute 60 does not exist"),
            ("10:10:61", "second 61 does not exist"),
            ("10:5", "not a valid time"),
            ("10:05 tomorrow", "not a valid time"),
            ("10:05 xyz", "not a valid time"),
            ("10:05:09.", "not a valid time"),
            ("100:05", "not a valid time"),
            ("10:05+2", "not a valid time"),
            (":05", "not a valid time"),
        ];
        for (input, reason) in bad {
            assert_eq!(parse_time(input), Err(ParseFail::new(reason)), "{input:?}");
        }
    }
}
