//! A column's decimal mark: whether "1,234" and "12,5" use a comma or a point for
//! fractions, decided once per column from the numbers that can only be read one way.

use super::number::core_bounds;

/// The character that separates whole units from fractions in a column.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DecimalMark {
    Point,
    Comma,
}

/// A column's decimal mark and the human-readable evidence it was decided on.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DecimalMarkDecision {
    pub mark: DecimalMark,
    pub evidence: String,
}

/// Decides a column's decimal mark from its text values. "1.234,50" and "12,5" (a comma
/// followed by 1, 2 or 4+ digits, or after a point) vote comma; "1,234.50", "12.5" and
/// "1,234,567" vote point; "1.234.567" votes comma. A lone mark followed by exactly three
/// digits ("1,234", "1.234") is ambiguous and does not vote, unless the whole part is 0.
/// The majority wins; a tie or no vote means point, and the evidence says it was assumed.
pub fn decide_decimal_mark<'a>(values: impl IntoIterator<Item = &'a str>) -> DecimalMarkDecision {
    let (mut numbers, mut comma, mut point) = (0usize, 0usize, 0usize);
    let (mut ex_comma, mut ex_point) = (None, None);
    for value in values {
        let t = value.trim();
        let Some((start, end)) = core_bounds(t) else {
            continue;
        };
        numbers += 1;
        match mark_vote(&t[start..end]) {
            Some(DecimalMark::Comma) => {
                comma += 1;
                ex_comma.get_or_insert(t);
            }
            Some(DecimalMark::Point) => {
                point += 1;
                ex_point.get_or_insert(t);
            }
            None => {}
        }
    }
    let eg = |e: Option<&str>| e.map(|e| format!(" (e.g. {e})")).unwrap_or_default();
    let decided = |mark, evidence| DecimalMarkDecision { mark, evidence };
    match (comma, point) {
        (0, 0) => decided(
            DecimalMark::Point,
            "ambiguous: no number shows its decimal mark; decimal point assumed".to_string(),
        ),
        (c, 0) => decided(
            DecimalMark::Comma,
            format!(
                "comma: {c} of {numbers} numbers have a decimal comma{}",
                eg(ex_comma)
            ),
        ),
        (0, p) => decided(
            DecimalMark::Point,
            format!(
                "point: {p} of {numbers} numbers have a decimal point{}",
                eg(ex_point)
            ),
        ),
        (c, p) => {
            let both = format!(
                "{c} numbers have a decimal comma{}, {p} a decimal point{}",
                eg(ex_comma),
                eg(ex_point)
            );
            if c > p {
                decided(DecimalMark::Comma, format!("comma by majority: {both}"))
            } else if p > c {
                decided(DecimalMark::Point, format!("point by majority: {both}"))
            } else {
                decided(
                    DecimalMark::Point,
                    format!("tied: {both}; decimal point assumed"),
                )
            }
        }
    }
}

/// Which decimal mark one number's digits show, if any.
fn mark_vote(core: &str) -> Option<DecimalMark> {
    let (commas, points) = (core.matches(',').count(), core.matches('.').count());
    let lone_mark = |mark: char, if_decimal: DecimalMark| {
        let (whole, fraction) = core.rsplit_once(mark)?;
        let whole = whole.trim_matches(|c: char| !c.is_ascii_digit());
        let thousands = fraction.len() == 3 && !whole.is_empty() && whole != "0";
        (!thousands).then_some(if_decimal)
    };
    match (commas, points) {
        (0, 0) => None,
        (_, 0) if commas > 1 => Some(DecimalMark::Point),
        (0, _) if points > 1 => Some(DecimalMark::Comma),
        (_, 0) => lone_mark(',', DecimalMark::Comma),
        (0, _) => lone_mark('.', DecimalMark::Point),
        _ if core.rfind(',') > core.rfind('.') => Some(DecimalMark::Comma),
        _ => Some(DecimalMark::Point),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use DecimalMark::{Comma, Point};

    #[test]
    fn decimal_mark_from_evidence() {
        let d = decide_decimal_mark(["1.234,50", "12,5", "7", "1.234"]);
        assert_eq!(d.mark, Comma);
        assert_eq!(
            d.evidence,
            "comma: 2 of 4 numbers have a decimal comma (e.g. 1.234,50)"
        );
        let d = decide_decimal_mark(["$1,234.50", "12.5", "1,234,567", ""]);
        assert_eq!(d.mark, Point);
        assert_eq!(
            d.evidence,
            "point: 3 of 3 numbers have a decimal point (e.g. $1,234.50)"
        );
        let d = decide_decimal_mark(["1,234", "1.234", "12", "n/a"]);
        assert_eq!(d.mark, Point);
        assert_eq!(
            d.evidence,
            "ambiguous: no number shows its decimal mark; decimal point assumed"
        );
        let d = decide_decimal_mark(["0,125", "1.234.567"]);
        assert_eq!(d.mark, Comma);
        let d = decide_decimal_mark(["0.125"]);
        assert_eq!(d.mark, Point);
        let d = decide_decimal_mark(["12,5", "3,25", "12.5"]);
        assert_eq!(d.mark, Comma);
        assert_eq!(
            d.evidence,
            "comma by majority: 2 numbers have a decimal comma (e.g. 12,5), \
             1 a decimal point (e.g. 12.5)"
        );
        let d = decide_decimal_mark(["12,5", "12.5"]);
        assert_eq!(d.mark, Point);
        assert!(d.evidence.starts_with("tied: "), "{}", d.evidence);
        assert!(
            d.evidence.ends_with("; decimal point assumed"),
            "{}",
            d.evidence
        );
    }
}
