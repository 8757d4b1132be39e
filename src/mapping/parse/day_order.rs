//! A column's day order: whether 03/04/2025 means 3 April or 4 March, decided once per
//! column from the dates that can only be read one way.

use super::date::numeric_date;
use super::fold;
use super::time_of_day::split_time;

/// Which part of an ambiguous numeric date like 03/04/2025 is the day.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DayOrder {
    DayFirst,
    MonthFirst,
}

/// A column's day order and the human-readable evidence it was decided on.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DayOrderDecision {
    pub order: DayOrder,
    pub evidence: String,
}

/// Decides a column's day order from its text values: a first part above 12 votes
/// day-first, a second part above 12 votes month-first, dotted d.m.y dates vote day-first.
/// ISO (year-first) dates and dates with month names do not vote.
/// A tie or no vote at all means month-first, and the evidence says it was assumed.
pub fn decide_day_order<'a>(values: impl IntoIterator<Item = &'a str>) -> DayOrderDecision {
    let (mut numeric, mut day, mut month, mut dotted) = (0usize, 0usize, 0usize, 0usize);
    let (mut ex_day, mut ex_month, mut ex_dotted) = (None, None, None);
    for value in values {
        let folded = fold(value.trim());
        let (date_part, _) = split_time(&folded);
        let Some((parts, sep)) = numeric_date(date_part) else {
            continue;
        };
        let [(a, a_len), (b, b_len), (_, c_len)] = parts;
        if a_len > 2 || b_len > 2 || !(c_len == 2 || c_len == 4) {
            continue;
        }
        if sep == '.' {
            dotted += 1;
            ex_dotted.get_or_insert(value.trim());
            continue;
        }
        numeric += 1;
        if (13..=31).contains(&a) && b <= 12 {
            day += 1;
            ex_day.get_or_insert(value.trim());
        } else if (13..=31).contains(&b) && a <= 12 {
            month += 1;
            ex_month.get_or_insert(value.trim());
        }
    }
    let day_votes = day + dotted;
    let eg = |e: Option<&str>| e.map(|e| format!(" (e.g. {e})")).unwrap_or_default();
    let decided = |order, evidence| DayOrderDecision { order, evidence };
    if day_votes == 0 && month == 0 {
        let evidence = if numeric == 0 {
            "ambiguous: no numeric day/month dates; month-first assumed".to_string()
        } else {
            format!(
                "ambiguous: no first part above 12 in {numeric} numeric dates; month-first assumed"
            )
        };
        return decided(DayOrder::MonthFirst, evidence);
    }
    if month == 0 {
        let mut why = Vec::new();
        if day > 0 {
            why.push(format!(
                "{day} of {numeric} numeric dates have a first part above 12{}",
                eg(ex_day)
            ));
        }
        if dotted > 0 {
            why.push(format!("{dotted} dotted d.m.y dates{}", eg(ex_dotted)));
        }
        return decided(DayOrder::DayFirst, format!("day-first: {}", why.join("; ")));
    }
    if day_votes == 0 {
        let evidence = format!(
            "month-first: {month} of {numeric} numeric dates have a second part above 12{}",
            eg(ex_month)
        );
        return decided(DayOrder::MonthFirst, evidence);
    }
    let both = format!(
        "{day_votes} dates read only day-first{}, {month} only month-first{}",
        eg(ex_day.or(ex_dotted)),
        eg(ex_month)
    );
    if day_votes > month {
        decided(DayOrder::DayFirst, format!("day-first by majority: {both}"))
    } else if month > day_votes {
        decided(
            DayOrder::MonthFirst,
            format!("month-first by majority: {both}"),
        )
    } else {
        decided(
            DayOrder::MonthFirst,
            format!("tied: {both}; month-first assumed"),
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use DayOrder::{DayFirst, MonthFirst};

    #[test]
    fn day_order_from_evidence() {
        let d = decide_day_order(["31/03/2025", "01/04/2025", "15/04/2025", "2025-04-03"]);
        assert_eq!(d.order, DayFirst);
        let why = "day-first: 2 of 3 numeric dates have a first part above 12 (e.g. 31/03/2025)";
        assert_eq!(d.evidence, why);
        let d = decide_day_order(["03/31/2025", "04/01/2025"]);
        assert_eq!(d.order, MonthFirst);
        let why = "month-first: 1 of 2 numeric dates have a second part above 12 (e.g. 03/31/2025)";
        assert_eq!(d.evidence, why);
        let d = decide_day_order(["03.04.2025", "04.04.2025"]);
        assert_eq!(d.order, DayFirst);
        assert_eq!(
            d.evidence,
            "day-first: 2 dotted d.m.y dates (e.g. 03.04.2025)"
        );
        let d = decide_day_order(["03/04/2025", "04/05/2025 10:00"]);
        assert_eq!(d.order, MonthFirst);
        let why = "ambiguous: no first part above 12 in 2 numeric dates; month-first assumed";
        assert_eq!(d.evidence, why);
        let d = decide_day_order(["3 Apr 2025", "2025-04-03", "", "n/a"]);
        assert_eq!(d.order, MonthFirst);
        assert_eq!(
            d.evidence,
            "ambiguous: no numeric day/month dates; month-first assumed"
        );
    }

    #[test]
    fn contradicting_day_order_goes_to_the_majority() {
        let d = decide_day_order(["31/03/2025", "13/04/2025", "03/31/2025"]);
        assert_eq!(d.order, DayFirst);
        let why = "day-first by majority: 2 dates read only day-first (e.g. 31/03/2025), \
                   1 only month-first (e.g. 03/31/2025)";
        assert_eq!(d.evidence, why);
        let d = decide_day_order(["31/03/2025", "03/31/2025", "04/30/2025"]);
        assert_eq!(d.order, MonthFirst);
        assert!(
            d.evidence
                .starts_with("month-first by majority: 1 dates read only day-first")
        );
        let d = decide_day_order(["31/03/2025", "03/31/2025"]);
        assert_eq!(d.order, MonthFirst);
        let why = "tied: 1 dates read only day-first (e.g. 31/03/2025), \
                   1 only month-first (e.g. 03/31/2025); month-first assumed";
        assert_eq!(d.evidence, why);
    }
}
