//! What a column's values look like (numbers, dates, emails, money, status words,
//! codes), counted over a sample, so auto-mapping can check a header's reading against
//! the data and map columns whose header says nothing.

use polars::prelude::PlHashSet;

use money::{is_currency_code, is_money};

mod money;

/// One sampled cell, as the reader saw it.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum SampleValue<'a> {
    Text(&'a str),
    Number(f64),
    /// A cell the workbook stores as a date or date-time; its value is not needed here.
    DateTime,
    Bool(bool),
    /// An Excel error cell (#REF!, #N/A, ...).
    Error,
    Empty,
}

/// Counts over a column's sample. A value can count in several groups ("10248" is a
/// number, an integer and code-like).
#[derive(Debug, Clone, Default, PartialEq)]
pub struct ValueProfile {
    pub total: usize,
    /// Empty cells and whitespace-only text.
    pub empty: usize,
    /// Number cells and text that reads as a plain number ("12", "-3", "1.234,50", "10%").
    pub numbers: usize,
    /// Numbers (cells or text) that are whole.
    pub integers: usize,
    pub negatives: usize,
    /// DateTime cells and text that looks like a date ("2025-03-01", "1/3/25", "3 Mar 2025").
    pub dates: usize,
    /// Whole number cells in the Excel date-serial range of 1954..=2119 (20000..=80000):
    /// a date column whose cells lack a date format.
    pub date_serials: usize,
    pub emails: usize,
    /// Amounts written with a currency: "$12.50", "12,50 €", "EUR 12".
    pub money_text: usize,
    /// ISO 4217 codes (common ones) and lone currency symbols: "USD", "eur", "€".
    pub currency_codes: usize,
    /// Order status words: placed, paid, shipped, dispatched, cancelled, delivered, open...
    pub statuses: usize,
    /// Bool cells, yes/no words (yes, no, true, false, ja, nein, oui, non, x, paid,
    /// unpaid) and check marks.
    pub booleans: usize,
    /// SKU/ID-like tokens: letters and digits with - _ / . and an optional leading "#"
    /// ("SKU-0042", "SO-1042", "#1001", "MUG-BLUE" in capitals), digit strings ("10248",
    /// "0017") and whole, non-negative number cells.
    pub code_like: usize,
    /// Distinct non-empty values, counted up to [`DISTINCT_CAP`]. DateTime cells carry
    /// no value here, so all of them count as one value, as do all Error cells.
    pub distinct: usize,
    /// Longest text value, in characters (number cells are not counted).
    pub max_len: usize,
    /// Every non-empty value differs from the others (and there was at least one).
    pub all_unique: bool,
}

/// Distinct values are tracked up to this many.
pub const DISTINCT_CAP: usize = 4096;

impl ValueProfile {
    pub fn non_empty(&self) -> usize {
        self.total.saturating_sub(self.empty)
    }

    /// `n` as a share of the non-empty values; 0 when there are none.
    pub fn share(&self, n: usize) -> f32 {
        match self.non_empty() {
            0 => 0.0,
            d => n as f32 / d as f32,
        }
    }
}

/// Profiles a column from its sampled values.
pub fn profile_values<'a>(values: impl IntoIterator<Item = SampleValue<'a>>) -> ValueProfile {
    let mut p = ValueProfile::default();
    let mut seen = Distinct::default();
    for value in values {
        p.total += 1;
        match value {
            SampleValue::Empty => p.empty += 1,
            SampleValue::Text(t) if t.trim().is_empty() => p.empty += 1,
            SampleValue::Text(t) => {
                let t = t.trim();
                p.max_len = p.max_len.max(t.chars().count());
                seen.add(DistinctKey::Text(t));
                profile_text(&mut p, t);
            }
            SampleValue::Number(n) => {
                seen.add(DistinctKey::Number(n.to_bits()));
                let whole = n.is_finite() && n.fract() == 0.0;
                p.numbers += 1;
                tally(&mut p.integers, whole);
                tally(&mut p.negatives, n < 0.0);
                tally(&mut p.code_like, whole && n >= 0.0);
                tally(
                    &mut p.date_serials,
                    whole && (20000.0..=80000.0).contains(&n),
                );
            }
            SampleValue::DateTime => {
                seen.add(DistinctKey::DateTime);
                p.dates += 1;
            }
            SampleValue::Bool(b) => {
                seen.add(DistinctKey::Bool(b));
                p.booleans += 1;
            }
            SampleValue::Error => seen.add(DistinctKey::Error),
        }
    }
    p.distinct = seen.set.len();
    p.all_unique = p.non_empty() > 0 && !seen.repeated && p.distinct == p.non_empty();
    p
}

fn tally(count: &mut usize, yes: bool) {
    *count += usize::from(yes);
}

fn profile_text(p: &mut ValueProfile, t: &str) {
    let number = parse_number(t);
    let date = looks_like_date(t);
    // No status or yes/no word has a digit: a value with one is not folded.
    let digits = t.bytes().any(|b| b.is_ascii_digit());
    let folded = if digits { String::new() } else { fold(t) };
    tally(&mut p.numbers, number.is_some());
    tally(&mut p.integers, number.is_some_and(|n| n.whole));
    tally(&mut p.negatives, number.is_some_and(|n| n.negative));
    tally(&mut p.dates, date);
    tally(&mut p.emails, is_email(t));
    tally(&mut p.money_text, number.is_none() && digits && is_money(t));
    tally(&mut p.currency_codes, is_currency_code(t));
    tally(
        &mut p.statuses,
        !digits && STATUS_WORDS.contains(&folded.as_str()),
    );
    let yes_no = (!digits && BOOL_WORDS.contains(&folded.as_str())) || CHECK_MARKS.contains(&t);
    tally(&mut p.booleans, yes_no);
    let fractional_or_negative = number.is_some_and(|n| !n.whole || n.negative);
    tally(
        &mut p.code_like,
        !date && !fractional_or_negative && is_code_like(t),
    );
}

#[derive(Clone, Copy, PartialEq, Eq, Hash)]
enum DistinctKey<'a> {
    Text(&'a str),
    Number(u64),
    Bool(bool),
    DateTime,
    Error,
}

/// Distinct values seen, up to the cap, and whether any value came twice.
#[derive(Default)]
struct Distinct<'a> {
    set: PlHashSet<DistinctKey<'a>>,
    repeated: bool,
}

impl<'a> Distinct<'a> {
    fn add(&mut self, key: DistinctKey<'a>) {
        if self.set.contains(&key) {
            self.repeated = true;
        } else if self.set.len() < DISTINCT_CAP {
            self.set.insert(key);
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq)]
struct NumberText {
    whole: bool,
    negative: bool,
}

/// Reads text as a plain number: optional sign or accounting brackets, digits with
/// "." "," "'" or no-break-space grouping, an optional trailing "%". A last separator
/// followed by exactly three digits is taken as grouping ("1,234" is whole).
fn parse_number(t: &str) -> Option<NumberText> {
    let mut s = t.trim();
    let mut negative = false;
    if let Some(inner) = s.strip_prefix('(').and_then(|x| x.strip_suffix(')')) {
        negative = true;
        s = inner.trim();
    }
    if let Some(rest) = s.strip_prefix(['-', '\u{2212}']) {
        negative = true;
        s = rest.trim_start();
    } else if let Some(rest) = s.strip_prefix('+') {
        s = rest.trim_start();
    }
    s = s.strip_suffix('%').map_or(s, str::trim_end);
    let is_sep = |c: char| matches!(c, '.' | ',' | '\'' | '\u{a0}' | '\u{202f}');
    if s.is_empty()
        || !s.chars().all(|c| c.is_ascii_digit() || is_sep(c))
        || !s
            .chars()
            .next()
            .is_some_and(|c| c.is_ascii_digit() || c == '.' || c == ',')
        || !s.chars().last().is_some_and(|c| c.is_ascii_digit())
    {
        return None;
    }
    let whole = match s.rfind(['.', ',']) {
        None => true,
        Some(at) => {
            let fraction = s.get(at + 1..).unwrap_or("");
            let integer_part = s.get(..at).unwrap_or("");
            let grouping = fraction.len() == 3
                && !integer_part.is_empty()
                && integer_part != "0"
                && integer_part
                    .chars()
                    .all(|c| c.is_ascii_digit() || is_sep(c));
            grouping || fraction.chars().all(|c| c == '0')
        }
    };
    Some(NumberText {
        whole,
        negative: negative && s.chars().any(|c| c.is_ascii_digit() && c != '0'),
    })
}

fn is_email(t: &str) -> bool {
    let Some((local, domain)) = t.split_once('@') else {
        return false;
    };
    !local.is_empty()
        && !t.contains(char::is_whitespace)
        && !domain.contains('@')
        && domain.contains('.')
        && !domain.starts_with('.')
        && !domain.ends_with('.')
        && domain
            .chars()
            .all(|c| c.is_alphanumeric() || c == '.' || c == '-')
}

fn is_code_like(t: &str) -> bool {
    let s = t.strip_prefix('#').unwrap_or(t);
    let separated = s.contains(['-', '_', '/', '.']) && !s.chars().any(char::is_lowercase);
    (1..=40).contains(&s.chars().count())
        && (s.chars().any(|c| c.is_ascii_digit()) || (separated && s.len() >= 3))
        && s.chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | '/' | '.'))
}

const MONTHS: &[&str] = &[
    "jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec", "jän",
    "mär", "mai", "okt", "dez", "fév", "fev", "avr", "jui", "aoû", "aou", "déc", "ene", "abr",
    "ago", "dic", "gen", "mag", "giu", "lug", "set", "ott",
];

const WEEKDAYS: &[&str] = &["mon", "tue", "wed", "thu", "fri", "sat", "sun"];

/// Text that reads as a date, optionally with a time: the first three tokens are
/// day, month and year in some order (year-first with four digits, or day/month first
/// with a two- or four-digit year, or a month name), then only time-like tokens.
fn looks_like_date(t: &str) -> bool {
    if !(6..=40).contains(&t.len()) || !t.bytes().any(|b| b.is_ascii_digit()) {
        return false;
    }
    let lower = t.to_lowercase();
    let mut tokens: Vec<&str> = tokens(&lower).collect();
    if tokens
        .first()
        .is_some_and(|w| WEEKDAYS.iter().any(|d| w.starts_with(d)))
    {
        tokens.remove(0);
    }
    let (Some(a), Some(b), Some(c)) = (tokens.first(), tokens.get(1), tokens.get(2)) else {
        return false;
    };
    let date = match (number(a), number(b), number(c)) {
        (Some(y), Some(m), Some(d)) if a.len() == 4 => (1..=12).contains(&m) && day(d) && year(y),
        (Some(d), Some(m), Some(y)) => {
            let year_ok = (c.len() == 4 && year(y)) || c.len() == 2;
            year_ok && a.len() <= 2 && b.len() <= 2 && day(d) && day(m) && (d <= 12 || m <= 12)
        }
        (Some(d), None, Some(y)) => {
            month_name(b) && day(d) && (c.len() == 4 || c.len() == 2) && (c.len() == 2 || year(y))
        }
        (None, Some(d), Some(y)) => month_name(a) && day(d) && c.len() == 4 && year(y),
        _ => false,
    };
    date && tokens.len() <= 10
        && tokens
            .iter()
            .skip(3)
            .all(|w| w.chars().all(|c| c.is_ascii_digit()) || w.len() <= 3)
}

fn tokens(s: &str) -> impl Iterator<Item = &str> {
    let mut rest = s;
    std::iter::from_fn(move || {
        rest = rest.trim_start_matches(|c: char| !c.is_alphanumeric());
        let first = rest.chars().next()?;
        let digit = first.is_ascii_digit();
        let end = rest
            .find(|c: char| !c.is_alphanumeric() || c.is_ascii_digit() != digit)
            .unwrap_or(rest.len());
        let (token, tail) = rest.split_at(end);
        rest = tail;
        Some(token)
    })
}

fn number(w: &str) -> Option<u32> {
    if w.len() > 4 || !w.chars().all(|c| c.is_ascii_digit()) {
        return None;
    }
    w.parse().ok()
}

fn day(d: u32) -> bool {
    (1..=31).contains(&d)
}

fn year(y: u32) -> bool {
    (1900..=2200).contains(&y)
}

fn month_name(w: &str) -> bool {
    w.chars().count() >= 3 && MONTHS.iter().any(|m| w.starts_with(m))
}

/// Lower case, accents stripped, "_" and "-" as spaces, spaces collapsed.
fn fold(t: &str) -> String {
    let ascii = if t.is_ascii() {
        t.to_ascii_lowercase()
    } else {
        deunicode::deunicode(t).to_ascii_lowercase()
    };
    let spaced = ascii.replace(['_', '-'], " ");
    spaced.split_whitespace().collect::<Vec<_>>().join(" ")
}

// Kept in lines of words by hand; rustfmt would give every word its own line.
#[rustfmt::skip]
const STATUS_WORDS: &[&str] = &[
    "placed", "paid", "picked", "packed", "shipped", "dispatched", "despatched", "cancelled",
    "canceled", "delivered", "returned", "open", "pending", "new", "processing", "on hold",
    "fulfilled", "unfulfilled", "partially fulfilled", "partially shipped", "complete",
    "completed", "closed", "refunded", "partially refunded", "authorized", "in transit",
    "awaiting payment", "awaiting shipment", "awaiting fulfillment", "backordered",
    "confirmed", "sales order", "quotation", "done", "pending fulfillment",
    "pending billing", "billed", "ready to ship", "picking", "packing", "out for delivery",
    "bezahlt", "versendet", "versandt", "geliefert", "storniert", "offen", "neu",
    "in bearbeitung", "abgeschlossen", "retourniert", "zuruckgesendet", "kommissioniert",
    "verpackt", "paye", "payee", "expedie", "expediee", "livre", "livree", "annule", "annulee",
    "en cours", "en attente", "retourne", "pagado", "enviado", "entregado", "cancelado",
    "pendiente", "devuelto", "nuevo", "abierto",
];

const BOOL_WORDS: &[&str] = &[
    "yes", "no", "y", "n", "true", "false", "ja", "nein", "j", "oui", "non", "si", "wahr",
    "falsch", "vrai", "faux", "x", "unpaid", "paid",
];

const CHECK_MARKS: &[&str] = &["\u{2713}", "\u{2714}", "\u{2717}", "\u{2718}"];

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn texts(values: &[&str]) -> ValueProfile {
        profile_values(values.iter().map(|v| SampleValue::Text(v)))
    }

    #[test]
    fn counts_a_mixed_column() {
        let p = profile_values([
            SampleValue::Text("SKU-0042"),
            SampleValue::Text("0017"),
            SampleValue::Number(3.0),
            SampleValue::Number(-2.5),
            SampleValue::Text(" "),
            SampleValue::Empty,
            SampleValue::DateTime,
            SampleValue::Bool(true),
            SampleValue::Error,
            SampleValue::Text("0017"),
        ]);
        let want = ValueProfile {
            total: 10,
            empty: 2,
            numbers: 4,
            integers: 3,
            negatives: 1,
            dates: 1,
            booleans: 1,
            code_like: 4,
            distinct: 7,
            max_len: 8,
            ..ValueProfile::default()
        };
        assert_eq!(p, want);
        assert_eq!(p.non_empty(), 8);
        assert_eq!(p.share(p.code_like), 0.5);
    }

    /// Test inputs as one string, values separated by "|".
    fn split(values: &str) -> Vec<&str> {
        values.split('|').collect()
    }

    #[test]
    fn counts_words_emails_money_and_codes() {
        let values = split(
            "Shipped|DISPATCHED|on-hold|Bezahlt|a@b.co|not@mail|$12.50|12,50 €|EUR 12|usd|€\
             |yes|Nein|SO-1042|#1001|MUG-BLUE|x",
        );
        let p = texts(&values);
        assert_eq!(p.statuses, 4);
        assert_eq!(p.emails, 1);
        assert_eq!(p.money_text, 3);
        assert_eq!(p.currency_codes, 2);
        assert_eq!(p.booleans, 3);
        assert_eq!(p.code_like, 3);
        assert_eq!(p.numbers, 0);
        assert!(p.all_unique);
        assert_eq!(p.distinct, 17);
    }

    #[test]
    fn reads_numeric_text() {
        let groups = [
            ("12|1,234|10%|-0|1'000|+7|12.00", Some((true, false))),
            ("-3|(4.00)|\u{2212}8", Some((true, true))),
            ("1.234,50|0,125|12.5|.5", Some((false, false))),
            ("-0.5", Some((false, true))),
            ("12 34|1.|abc|-|%|1e5|(3", None),
        ];
        for (texts, want) in groups {
            for text in split(texts) {
                let got = parse_number(text).map(|n| (n.whole, n.negative));
                assert_eq!(got, want, "{text:?}");
            }
        }
    }

    #[test]
    fn recognises_dates_in_text() {
        let dates = "2025-03-01|2025/3/1|01/03/2025|3/1/25|1.3.2025|2025-03-01T10:00:00Z\
                     |2025-03-01 10:00|3 Mar 2025|Mar 3, 2025|12-Mar-25|Tue, 4 Mar 2025|4. März 2025";
        for d in split(dates) {
            assert!(looks_like_date(d), "{d}");
        }
        let not_dates = "10248|SO-1042|12.50|13/13/2025|2025-13-01|SKU-12-2025|1/2|a@b.co\
                         |Shipped|2025|1-2-3|1.2.3.4.5.6.7.8.9.10.11";
        for d in split(not_dates) {
            assert!(!looks_like_date(d), "{d}");
        }
        let p = texts(&["2025-03-01", "01/03/2025", "soon"]);
        assert_eq!((p.dates, p.code_like), (2, 0));
    }

    #[test]
    fn date_serials_are_whole_numbers_in_range() {
        let p = profile_values([45000.0, 45000.5, 19999.0, 80000.0, 7.0].map(SampleValue::Number));
        assert_eq!(p.date_serials, 2);
        assert_eq!(p.integers, 4);
    }

    #[test]
    fn distinct_and_unique() {
        let p = texts(&["a", "b", "a"]);
        assert_eq!((p.distinct, p.all_unique), (2, false));
        let p = texts(&["a", "b"]);
        assert_eq!((p.distinct, p.all_unique), (2, true));
        let p = profile_values([SampleValue::Empty]);
        assert_eq!((p.distinct, p.all_unique, p.share(0)), (0, false, 0.0));
        let many: Vec<String> = (0..DISTINCT_CAP + 10).map(|i| format!("v{i}")).collect();
        let p = profile_values(many.iter().map(|v| SampleValue::Text(v)));
        assert_eq!((p.distinct, p.all_unique), (DISTINCT_CAP, false));
    }

    #[test]
    fn no_status_or_yes_no_word_has_a_digit() {
        // Values with a digit are not folded to look for these words.
        for word in STATUS_WORDS.iter().chain(BOOL_WORDS) {
            assert!(!word.bytes().any(|b| b.is_ascii_digit()), "{word}");
        }
    }

    proptest! {
        #[test]
        fn never_panics_and_counts_stay_within_total(values in prop::collection::vec(".{0,20}", 0..20)) {
            let p = profile_values(values.iter().map(|v| SampleValue::Text(v)));
            prop_assert_eq!(p.total, values.len());
            for n in [p.empty, p.numbers, p.integers, p.dates, p.emails, p.money_text, p.statuses, p.booleans, p.code_like, p.distinct] {
                prop_assert!(n <= p.total);
            }
            prop_assert!(p.share(p.numbers) <= 1.0);
        }
    }
}
