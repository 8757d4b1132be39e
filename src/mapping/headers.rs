//! Header texts to canonical fields: normalise a header the way people vary them
//! (case, accents, punctuation, camelCase, unit suffixes), then look it up as an exact
//! field name, in the synonym table, or by fuzzy similarity, and say which evidence
//! decided and how sure it is.

use std::collections::HashMap;
use std::sync::LazyLock;

use crate::mapping::synonyms::{ABBREVIATIONS, LINE_PREFIXES, SYNONYMS, UNIT_NOTES};
use crate::model::Entity;

/// Why a column was mapped to a field, strongest first.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Evidence {
    /// The normalised header is the field's name.
    Exact,
    /// The header is a known synonym or abbreviation of the field.
    Synonym,
    /// The header is close in spelling to the field's name or a synonym.
    Fuzzy,
    /// The header said nothing; the column's values did.
    Values,
}

impl Evidence {
    /// The name used in offsheet.toml and reports.
    pub fn name(self) -> &'static str {
        match self {
            Evidence::Exact => "exact",
            Evidence::Synonym => "synonym",
            Evidence::Fuzzy => "fuzzy",
            Evidence::Values => "values",
        }
    }
}

/// One plausible reading of a header.
#[derive(Debug, Clone, PartialEq)]
pub struct FieldMatch {
    pub entity: Entity,
    pub field: &'static str,
    pub evidence: Evidence,
    /// 0..=1.
    pub confidence: f32,
}

/// Confidence of a header that equals a field name once abbreviations are expanded.
const FIELD_NAME_SYNONYM: f32 = 0.95;
/// Lines-only prefix retries ("Lineitem price") keep this share of their confidence.
const PREFIX_FACTOR: f32 = 0.9;
/// Fuzzy matches need this normalised Damerau-Levenshtein similarity...
const FUZZY_MIN_SIMILARITY: f64 = 0.8;
/// ...with every word at least this similar to its counterpart...
const FUZZY_MIN_WORD_SIMILARITY: f64 = 0.75;
/// ...and keep this share of the matched word's confidence times the similarity.
const FUZZY_FACTOR: f32 = 0.75;
/// Shorter words are too easily confused ("state"/"stage") to match fuzzily.
const FUZZY_MIN_LEN: usize = 6;
/// Generic words ("date", "id") are not fuzzy targets.
const FUZZY_MIN_CONFIDENCE: f32 = 0.7;
/// Nor are they read behind a line-item prefix ("Line ID" is not an order id).
const PREFIX_MIN_CONFIDENCE: f32 = 0.55;

/// Lowercase, strip accents, turn punctuation, underscores and camelCase boundaries into
/// spaces, collapse spaces, and drop unit notes in brackets such as "($)", "(EUR)",
/// "(qty)", "(YYYY-MM-DD)". "#", "№" and "N°" read as the word "no", so "Order #" and
/// "N° de commande" become "order no" and "no de commande".
pub fn normalize_header(s: &str) -> String {
    let without_units = drop_unit_notes(s);
    let numbered = number_signs(&without_units);
    let ascii = deunicode::deunicode(&numbered);
    let split = split_camel_case(&ascii);
    let mut out = String::with_capacity(split.len());
    for c in split.chars() {
        if c == '\'' {
            continue;
        }
        if c.is_ascii_alphanumeric() {
            out.push(c.to_ascii_lowercase());
        } else if !out.is_empty() && !out.ends_with(' ') {
            out.push(' ');
        }
    }
    let trimmed = out.trim_end().len();
    out.truncate(trimmed);
    out
}

/// Removes bracketed groups that are unit or format notes; keeps the words of groups
/// that carry meaning ("Qty (on hand)") and of a header that is nothing but brackets.
fn drop_unit_notes(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    let mut rest = s;
    while let Some(open) = rest.find(['(', '[', '{']) {
        let (before, from_open) = rest.split_at(open);
        out.push_str(before);
        let close = match from_open.chars().next() {
            Some('(') => ')',
            Some('[') => ']',
            _ => '}',
        };
        let Some(end) = from_open.find(close) else {
            out.push_str(from_open);
            return out;
        };
        let inner = from_open.get(1..end).unwrap_or("");
        if is_unit_note(inner) {
            out.push(' ');
        } else {
            out.push(' ');
            out.push_str(inner);
            out.push(' ');
        }
        rest = from_open.get(end + close.len_utf8()..).unwrap_or("");
    }
    out.push_str(rest);
    if out.chars().any(char::is_alphanumeric) {
        out
    } else {
        s.to_string()
    }
}

fn is_unit_note(inner: &str) -> bool {
    let t = deunicode::deunicode(inner.trim()).to_ascii_lowercase();
    let t = t.strip_prefix("in ").unwrap_or(&t).trim();
    if !t.chars().any(|c| c.is_ascii_alphanumeric()) {
        return true;
    }
    let single_word = !t.contains(char::is_whitespace);
    if single_word && t.chars().count() <= 5 {
        return true;
    }
    let date_format = t.contains(['y', 'd']) && t.chars().all(|c| "ymdhs/-.: ".contains(c));
    date_format || UNIT_NOTES.contains(&t)
}

/// Rewrites "#", "№", "N°" and "Nº" as the word "no"; drops other degree signs.
fn number_signs(s: &str) -> String {
    let mut out = String::with_capacity(s.len() + 4);
    for c in s.chars() {
        match c {
            '#' | '№' => out.push_str(" no "),
            '°' | 'º' => {
                let mut tail = out.chars().rev();
                let n = tail.next();
                let before = tail.next();
                let word_start = before.is_none_or(|b| !b.is_alphanumeric());
                if matches!(n, Some('n' | 'N')) && word_start {
                    out.push_str("o ");
                } else {
                    out.push(' ');
                }
            }
            _ => out.push(c),
        }
    }
    out
}

/// "orderDate" -> "order Date", "SKUCode" -> "SKU Code"; "IDs" and "SKUs" stay whole.
fn split_camel_case(s: &str) -> String {
    let chars: Vec<char> = s.chars().collect();
    let mut out = String::with_capacity(s.len() + 8);
    for (i, &c) in chars.iter().enumerate() {
        let prev = i.checked_sub(1).and_then(|p| chars.get(p)).copied();
        let next = chars.get(i + 1).copied();
        if c.is_ascii_uppercase() {
            let after_lower = prev.is_some_and(|p| p.is_ascii_lowercase());
            let acronym_end = prev.is_some_and(|p| p.is_ascii_uppercase())
                && next.is_some_and(|n| n.is_ascii_lowercase())
                && !plural_s(&chars, i + 1);
            if after_lower || acronym_end {
                out.push(' ');
            }
        }
        out.push(c);
    }
    out
}

/// Whether the lowercase run starting at `at` is a lone plural "s".
fn plural_s(chars: &[char], at: usize) -> bool {
    chars.get(at) == Some(&'s') && !chars.get(at + 1).is_some_and(|c| c.is_ascii_lowercase())
}

/// Expands abbreviations word by word: "cust email" -> "customer email".
fn canonical(normalized: &str) -> String {
    let mut out = String::with_capacity(normalized.len() + 8);
    for word in normalized.split(' ').filter(|w| !w.is_empty()) {
        if !out.is_empty() {
            out.push(' ');
        }
        let expanded = ABBREVIATIONS
            .iter()
            .find(|(short, _)| *short == word)
            .map_or(word, |(_, long)| long);
        out.push_str(expanded);
    }
    out
}

fn compact(canonical: &str) -> String {
    canonical.chars().filter(|c| *c != ' ').collect()
}

/// One (entity, field) a word points to.
#[derive(Debug, Clone, Copy)]
struct Target {
    entity: Entity,
    field: &'static str,
    confidence: f32,
}

struct Index {
    /// Compact canonical word ("orderdate") -> targets; spacing differences vanish.
    by_key: HashMap<String, Vec<Target>>,
    /// Canonical words long enough for fuzzy matching, with their non-generic targets.
    fuzzy: Vec<(String, Vec<Target>)>,
}

static INDEX: LazyLock<Index> = LazyLock::new(build_index);

fn build_index() -> Index {
    let mut by_key: HashMap<String, Vec<Target>> = HashMap::new();
    let mut words: HashMap<String, Vec<Target>> = HashMap::new();
    let mut add = |word: &str, target: Target| {
        let canon = canonical(&normalize_header(word));
        if canon.is_empty() {
            return;
        }
        by_key.entry(compact(&canon)).or_default().push(target);
        words.entry(canon).or_default().push(target);
    };
    for entity in Entity::ALL {
        for field in entity.fields() {
            let target = Target {
                entity,
                field: field.name,
                confidence: FIELD_NAME_SYNONYM,
            };
            add(&field.name.replace('_', " "), target);
        }
    }
    for synonym in SYNONYMS {
        for entity in Entity::ALL {
            let in_scope = synonym.only.is_empty() || synonym.only.contains(&entity);
            let Some(field) = entity.field(synonym.field) else {
                continue;
            };
            if !in_scope {
                continue;
            }
            for word in synonym.words {
                let target = Target {
                    entity,
                    field: field.name,
                    confidence: synonym.confidence,
                };
                add(word, target);
            }
        }
    }
    let mut fuzzy: Vec<(String, Vec<Target>)> = words
        .into_iter()
        .filter(|(word, _)| compact(word).len() >= FUZZY_MIN_LEN)
        .map(|(word, targets)| {
            let strong = targets
                .into_iter()
                .filter(|t| t.confidence >= FUZZY_MIN_CONFIDENCE);
            (word, strong.collect::<Vec<_>>())
        })
        .filter(|(_, targets)| !targets.is_empty())
        .collect();
    fuzzy.sort_by(|a, b| a.0.cmp(&b.0));
    Index { by_key, fuzzy }
}

/// All plausible (entity, field) readings of one header, best first: highest
/// confidence, then stronger evidence, then entity and schema order. Exact and synonym
/// readings are always listed; line-item prefixes are retried only when those find
/// nothing, and fuzzy similarity only when that finds nothing either. A generic
/// header ("Date", "Qty", "ID") yields a reading for every entity it could belong to.
pub fn match_header(header: &str) -> Vec<FieldMatch> {
    let norm = normalize_header(header);
    if norm.is_empty() {
        return Vec::new();
    }
    let index = &*INDEX;
    let mut found = Vec::new();
    for entity in Entity::ALL {
        for field in entity.fields() {
            if field.name.replace('_', " ") == norm {
                found.push(FieldMatch {
                    entity,
                    field: field.name,
                    evidence: Evidence::Exact,
                    confidence: 1.0,
                });
            }
        }
    }
    let canon = canonical(&norm);
    let lookup = |key: &str| {
        index
            .by_key
            .get(&compact(key))
            .map_or(&[][..], Vec::as_slice)
    };
    push(&mut found, lookup(&canon), Evidence::Synonym, 1.0);
    if found.is_empty() {
        for rest in LINE_PREFIXES.iter().filter_map(|p| canon.strip_prefix(p)) {
            let line_fields: Vec<Target> = lookup(rest)
                .iter()
                .filter(|t| t.entity == Entity::OrderLines && t.confidence >= PREFIX_MIN_CONFIDENCE)
                .copied()
                .collect();
            push(&mut found, &line_fields, Evidence::Synonym, PREFIX_FACTOR);
        }
    }
    if found.is_empty() && compact(&canon).len() >= FUZZY_MIN_LEN {
        for (word, targets) in &index.fuzzy {
            if let Some(similarity) = fuzzy_similarity(&canon, word) {
                let factor = FUZZY_FACTOR * similarity as f32;
                push(&mut found, targets, Evidence::Fuzzy, factor);
            }
        }
    }
    best_per_field(found)
}

/// Similarity of two canonical headers when they are close as a whole and word by word:
/// "custmer email" is close to "customer email", but "created by" is not "created at"
/// and "shipping name" is not "shipping date".
fn fuzzy_similarity(header: &str, word: &str) -> Option<f64> {
    let overall = strsim::normalized_damerau_levenshtein(header, word);
    if overall < FUZZY_MIN_SIMILARITY || header.split(' ').count() != word.split(' ').count() {
        return None;
    }
    let close = |(a, b): (&str, &str)| {
        a == b
            || (a.len() > 3
                && b.len() > 3
                && strsim::normalized_damerau_levenshtein(a, b) >= FUZZY_MIN_WORD_SIMILARITY)
    };
    header
        .split(' ')
        .zip(word.split(' '))
        .all(close)
        .then_some(overall)
}

fn push(found: &mut Vec<FieldMatch>, targets: &[Target], evidence: Evidence, factor: f32) {
    for t in targets {
        found.push(FieldMatch {
            entity: t.entity,
            field: t.field,
            evidence,
            confidence: (t.confidence * factor).clamp(0.0, 1.0),
        });
    }
}

/// Sorts best first and keeps one reading per (entity, field).
fn best_per_field(mut found: Vec<FieldMatch>) -> Vec<FieldMatch> {
    found.sort_by(|a, b| {
        b.confidence
            .total_cmp(&a.confidence)
            .then(a.evidence.cmp(&b.evidence))
            .then(a.entity.cmp(&b.entity))
            .then(field_position(a).cmp(&field_position(b)))
    });
    let mut seen: Vec<(Entity, &str)> = Vec::new();
    found.retain(|m| {
        let key = (m.entity, m.field);
        let fresh = !seen.contains(&key);
        seen.push(key);
        fresh
    });
    found
}

fn field_position(m: &FieldMatch) -> usize {
    m.entity
        .fields()
        .iter()
        .position(|f| f.name == m.field)
        .unwrap_or(usize::MAX)
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn normalises_headers() {
        let cases = [
            ("Unit Price ($)", "unit price"),
            ("Cust. Email", "cust email"),
            ("orderDate", "order date"),
            ("Quantité", "quantite"),
            ("Lineitem quantity", "lineitem quantity"),
            ("  ORDER_ID  ", "order id"),
            ("Total (EUR)", "total"),
            ("Qty [pcs]", "qty"),
            ("Ship Date (YYYY-MM-DD)", "ship date"),
            ("Qty (on hand)", "qty on hand"),
            ("(blank)", "blank"),
            ("Price (", "price"),
            ("SKUCode", "sku code"),
            ("IDs", "ids"),
            ("CustomerID", "customer id"),
            ("unitsInStock", "units in stock"),
            ("Tracking #", "tracking no"),
            ("N° de commande", "no de commande"),
            ("Nº pedido", "no pedido"),
            ("Temp °C", "temp c"),
            ("Customer's e-mail", "customers e mail"),
            ("Zähldatum", "zahldatum"),
            ("Sub-Category", "sub category"),
            ("", ""),
            ("$%&", ""),
        ];
        for (raw, want) in cases {
            assert_eq!(normalize_header(raw), want, "{raw:?}");
        }
    }

    #[test]
    fn evidence_names() {
        let all = [
            Evidence::Exact,
            Evidence::Synonym,
            Evidence::Fuzzy,
            Evidence::Values,
        ];
        assert_eq!(
            all.map(Evidence::name),
            ["exact", "synonym", "fuzzy", "values"]
        );
        assert!(Evidence::Exact < Evidence::Values);
    }

    /// A header's readings as "entity.field evidence confidence", best first.
    fn readings(header: &str) -> Vec<String> {
        let show = |m: &FieldMatch| {
            let evidence = m.evidence.name();
            format!("{}.{} {evidence} {:.3}", m.entity, m.field, m.confidence)
        };
        match_header(header).iter().map(show).collect()
    }

    #[test]
    fn exact_synonym_prefix_and_fuzzy_evidence() {
        let cases = [
            ("Order Date", "orders.order_date exact 1.000"),
            ("ORDER-DATE", "orders.order_date exact 1.000"),
            ("ORDERDATE", "orders.order_date synonym 0.950"),
            ("Ord. Date", "orders.order_date synonym 0.950"),
            ("Bestellnummer", "orders.order_id synonym 0.900"),
            ("Line Qty", "order_lines.quantity synonym 0.855"),
            ("Quantiy", "order_lines.quantity fuzzy 0.623"),
            ("Custmer Email", "orders.customer_email fuzzy 0.662"),
            ("Invoices", "invoices.invoice_id fuzzy 0.623"),
        ];
        for (header, want) in cases {
            assert_eq!(
                readings(header).first().map(String::as_str),
                Some(want),
                "{header}"
            );
        }
        let total = ["orders.total exact 1.000", "invoices.amount synonym 0.600"];
        assert_eq!(readings("Total")[..2], total);
        assert_eq!(readings("Total")[2], "order_lines.line_total synonym 0.450");
    }

    #[test]
    fn generic_headers_match_every_entity_they_could_mean() {
        let fields = |header: &str| -> String {
            let mut m: Vec<_> = match_header(header)
                .iter()
                .map(|m| format!("{}.{}", m.entity, m.field))
                .collect();
            m.sort();
            m.join(" ")
        };
        let date = "inventory.as_of invoices.invoiced_at orders.order_date shipments.shipped_at \
                    stock_counts.counted_at";
        assert_eq!(fields("Date"), date);
        let qty = "inventory.on_hand order_lines.quantity stock_counts.counted_qty";
        assert_eq!(fields("Qty"), qty);
        let id = "invoices.invoice_id invoices.order_id order_lines.order_id orders.order_id \
                  shipments.order_id";
        assert_eq!(fields("ID"), id);
        assert!(match_header("ID").iter().all(|m| m.confidence < 0.5));
    }

    #[test]
    fn unknown_and_short_headers_match_nothing() {
        let headers = "|   |Segment|Postal Code|State|Profit|unitsOnOrder|xyz|Created By|Updated By\
                       |Shipping Name|Warehouse Location";
        for header in headers.split('|') {
            assert_eq!(match_header(header), [], "{header:?}");
        }
    }

    proptest! {
        #[test]
        fn never_panics_and_stays_in_range(header in ".{0,40}") {
            let norm = normalize_header(&header);
            prop_assert!(!norm.starts_with(' ') && !norm.ends_with(' ') && !norm.contains("  "));
            for m in match_header(&header) {
                prop_assert!((0.0..=1.0).contains(&m.confidence));
                prop_assert!(m.entity.field(m.field).is_some());
            }
        }
    }
}
