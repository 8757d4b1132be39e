//! Auto-mapping: from a table region's headers and value profiles, decide which
//! canonical entity it holds (or which two, for a row that is an order and its line)
//! and which column feeds which field, with the evidence and a confidence for each.

use crate::mapping::headers::{Evidence, FieldMatch, match_header};
use crate::mapping::profile::ValueProfile;
use crate::model::{Entity, Field, FieldType};

/// One column of a region: its position in the sheet, header text and value profile.
#[derive(Debug, Clone, Copy)]
pub struct ColumnInput<'a> {
    pub index: usize,
    pub header: &'a str,
    pub profile: &'a ValueProfile,
}

/// A column chosen to feed a field.
#[derive(Debug, Clone, PartialEq)]
pub struct ColumnChoice {
    pub index: usize,
    pub field: &'static str,
    pub evidence: Evidence,
    pub confidence: f32,
}

/// One entity a region could feed, with its column assignment (in column order) and
/// the required fields no column feeds.
#[derive(Debug, Clone, PartialEq)]
pub struct EntityMapping {
    pub entity: Entity,
    /// How completely and surely the entity's fields are fed, 0..=1: the weighted
    /// confidence of the chosen columns over the weight of the required fields plus the
    /// optional fields that were matched.
    pub confidence: f32,
    pub columns: Vec<ColumnChoice>,
    pub missing_required: Vec<&'static str>,
}

/// Candidates below this confidence are not assigned.
const MIN_CONFIDENCE: f32 = 0.3;
/// An entity is only proposed when an identifying field is matched at least this surely.
const ANCHOR_CONFIDENCE: f32 = 0.6;
/// Values evidence never claims more than this.
const VALUES_MAX: f32 = 0.6;
/// A fed order must carry at least one of these (besides order_id) from a line sheet.
const ORDER_LEVEL: &[&str] = &[
    "order_date",
    "customer_id",
    "customer_email",
    "channel",
    "currency",
    "status",
    "owner",
    "updated_at",
    "total",
    "tax",
    "shipping",
    "ship_country",
];
/// A fed order line needs a quantity and one of the others from an order sheet
/// (or a quantity and a line total, as Superstore-style exports have).
const LINE_LEVEL: &[&str] = &["sku", "quantity", "unit_price"];

/// Whether a mapping holds what its entity is about, not only an identifier: a
/// product list with SKUs but no stock figure is not inventory.
fn has_substance(m: &EntityMapping) -> bool {
    let has = |f: &str| m.columns.iter().any(|c| c.field == f);
    match m.entity {
        Entity::Inventory => has("on_hand"),
        Entity::StockCounts => has("counted_qty"),
        // A line belongs to an order: its order id must be read with some certainty.
        Entity::OrderLines => {
            let order = m
                .columns
                .iter()
                .any(|c| c.field == "order_id" && c.confidence >= 0.6);
            order && (has("quantity") || has("unit_price") || has("line_total"))
        }
        Entity::Invoices => has("amount") || has("invoiced_at"),
        Entity::Shipments => has("shipped_at") || has("tracking_no") || has("carrier"),
        Entity::Orders => {
            has("order_date")
                || has("status")
                || has("total")
                || has("customer_id")
                || has("customer_email")
        }
    }
}

/// Candidate entities for a table region, best first, each with a one-to-one column
/// assignment: a column feeds at most one field and a field comes from at most one
/// column; the most confident pairing wins, ties going to the leftmost column.
///
/// Entities are ranked by score: the confidence-weighted fields matched (a required
/// key field weighs 3, a required field 2, an optional key field 1.5, others 1), minus
/// half the weight of each required field left unfed, minus a quarter of the weighted
/// header confidence of each column whose values contradict its header's reading.
/// Header readings are checked against the column's values (a "Date" column with no
/// dates, a "Qty" column of words lose confidence); a column whose header says nothing
/// for the entity can still be mapped on its values alone (emails to customer_email,
/// status words to status, currency codes to currency), at confidence <= 0.6.
/// An entity is only returned when a key field is matched from a header with a
/// confidence of at least 0.6; for shipments, whose id is derived when absent, the
/// tracking number or the carrier also qualifies.
pub fn map_region(columns: &[ColumnInput<'_>]) -> Vec<EntityMapping> {
    rank(columns, &header_matches(columns))
}

fn rank(columns: &[ColumnInput<'_>], matches: &[Vec<FieldMatch>]) -> Vec<EntityMapping> {
    let mut scored: Vec<(f32, EntityMapping)> = Entity::ALL
        .into_iter()
        .filter_map(|entity| assign(entity, columns, matches, &[]))
        .filter(|(_, m)| has_substance(m))
        .collect();
    scored.sort_by(|a, b| b.0.total_cmp(&a.0).then(a.1.entity.cmp(&b.1.entity)));
    scored.into_iter().map(|(_, mapping)| mapping).collect()
}

/// The entities a region should feed: the best one, plus orders when the best is
/// order_lines and the region also carries order-level fields (order_date, status,
/// customer, ...), or plus order_lines when the best is orders and the region has a
/// quantity with a sku, a unit price or a line total. The second entity gets its own one-to-one assignment over
/// the columns the first did not take, except that a column feeding a field both
/// entities have (order_id, currency) feeds both.
pub fn entities_to_feed(columns: &[ColumnInput<'_>]) -> Vec<EntityMapping> {
    let matches = header_matches(columns);
    let Some(best) = rank(columns, &matches).into_iter().next() else {
        return Vec::new();
    };
    let (second, wanted): (Entity, fn(&EntityMapping) -> bool) = match best.entity {
        Entity::OrderLines => (Entity::Orders, |m| {
            m.columns
                .iter()
                .any(|c| ORDER_LEVEL.contains(&c.field) && c.confidence >= 0.5)
        }),
        Entity::Orders => (Entity::OrderLines, |m| {
            let has = |f: &str| m.columns.iter().any(|c| c.field == f);
            has("quantity") && LINE_LEVEL.iter().any(|f| *f != "quantity" && has(f))
                || has("quantity") && has("line_total")
        }),
        _ => return vec![best],
    };
    let taken: Vec<usize> = best
        .columns
        .iter()
        .filter(|c| second.field(c.field).is_none())
        .map(|c| c.index)
        .collect();
    let extra = assign(second, columns, &matches, &taken).map(|(_, m)| m);
    let mut fed = vec![best];
    fed.extend(extra.filter(wanted));
    fed
}

fn header_matches(columns: &[ColumnInput<'_>]) -> Vec<Vec<FieldMatch>> {
    columns.iter().map(|c| match_header(c.header)).collect()
}

/// How a column's values bear on a field reading.
#[derive(Debug, Clone, Copy, PartialEq)]
enum Fit {
    Fits,
    Weak,
    Contradicts,
}

#[derive(Debug, Clone, Copy)]
struct Candidate {
    index: usize,
    field: &'static Field,
    position: usize,
    evidence: Evidence,
    confidence: f32,
}

fn weight(field: &Field) -> f32 {
    match (field.required, field.key) {
        (true, true) => 3.0,
        (true, false) => 2.0,
        (false, true) => 1.5,
        (false, false) => 1.0,
    }
}

/// The entity's assignment and its ranking score, or None when no identifying field is
/// matched. Columns in `taken` are left out.
fn assign(
    entity: Entity,
    columns: &[ColumnInput<'_>],
    matches: &[Vec<FieldMatch>],
    taken: &[usize],
) -> Option<(f32, EntityMapping)> {
    let mut candidates = Vec::new();
    let mut conflicts = 0.0;
    for (column, readings) in columns.iter().zip(matches) {
        if taken.contains(&column.index) {
            continue;
        }
        let mut heard = false;
        let mut worst_conflict: f32 = 0.0;
        for reading in readings.iter().filter(|m| m.entity == entity) {
            let mut in_entity = entity.fields().iter().enumerate();
            let Some((position, field)) = in_entity.find(|(_, f)| f.name == reading.field) else {
                continue;
            };
            heard = true;
            let fit = fit(field, column.profile);
            // Values that contradict a strong header cost it 40%, a weak one 70%.
            let factor = match fit {
                Fit::Fits => 1.0,
                Fit::Weak => 0.8,
                Fit::Contradicts if reading.confidence >= 0.9 => 0.6,
                Fit::Contradicts => 0.3,
            };
            if fit == Fit::Contradicts {
                worst_conflict = worst_conflict.max(weight(field) * reading.confidence);
            }
            candidates.push(Candidate {
                index: column.index,
                field,
                position,
                evidence: reading.evidence,
                confidence: reading.confidence * factor,
            });
        }
        conflicts += worst_conflict;
        if !heard && let Some(candidate) = from_values(entity, column) {
            candidates.push(candidate);
        }
    }
    candidates.sort_by(|a, b| {
        b.confidence
            .total_cmp(&a.confidence)
            .then(a.index.cmp(&b.index))
            .then(a.position.cmp(&b.position))
    });
    let mut chosen: Vec<Candidate> = Vec::new();
    for c in candidates {
        let free = !chosen
            .iter()
            .any(|x| x.index == c.index || x.position == c.position);
        if free && c.confidence >= MIN_CONFIDENCE {
            chosen.push(c);
        }
    }
    if !chosen.iter().any(|c| anchors(entity, c)) {
        return None;
    }
    chosen.sort_by_key(|c| c.index);

    let fed: f32 = chosen.iter().map(|c| weight(c.field) * c.confidence).sum();
    let missing_required: Vec<&'static str> = entity
        .fields()
        .iter()
        .filter(|f| f.required && !chosen.iter().any(|c| c.field.name == f.name))
        .map(|f| f.name)
        .collect();
    let required_weight: f32 = entity
        .fields()
        .iter()
        .filter(|f| f.required)
        .map(weight)
        .sum();
    let optional_weight: f32 = chosen
        .iter()
        .filter(|c| !c.field.required)
        .map(|c| weight(c.field))
        .sum();
    let missing_weight: f32 = missing_required
        .iter()
        .filter_map(|name| entity.field(name))
        .map(weight)
        .sum();
    let score = fed - 0.5 * missing_weight - 0.25 * conflicts;
    let confidence = (fed / (required_weight + optional_weight)).clamp(0.0, 1.0);
    let columns = chosen
        .iter()
        .map(|c| ColumnChoice {
            index: c.index,
            field: c.field.name,
            evidence: c.evidence,
            confidence: c.confidence,
        })
        .collect();
    let mapping = EntityMapping {
        entity,
        confidence,
        columns,
        missing_required,
    };
    Some((score, mapping))
}

/// Whether a chosen column identifies the entity well enough to propose it.
fn anchors(entity: Entity, c: &Candidate) -> bool {
    let identifying = c.field.key
        || (entity == Entity::Shipments && matches!(c.field.name, "tracking_no" | "carrier"));
    identifying && c.evidence != Evidence::Values && c.confidence >= ANCHOR_CONFIDENCE
}

/// A reading from values alone, for a column whose header says nothing for `entity`.
fn from_values(entity: Entity, column: &ColumnInput<'_>) -> Option<Candidate> {
    let p = column.profile;
    let guesses = [
        ("customer_email", p.share(p.emails), 0.8),
        ("status", p.share(p.statuses), 0.6),
        ("currency", p.share(p.currency_codes), 0.9),
    ];
    guesses
        .into_iter()
        .filter(|(_, share, bar)| share >= bar)
        .find_map(|(name, share, _)| {
            let (position, field) = entity
                .fields()
                .iter()
                .enumerate()
                .find(|(_, f)| f.name == name)?;
            Some(Candidate {
                index: column.index,
                field,
                position,
                evidence: Evidence::Values,
                confidence: (VALUES_MAX * share).min(VALUES_MAX),
            })
        })
}

/// Fields that identify a record; their values are codes, not prose or dates.
const IDENTIFIERS: &[&str] = &[
    "order_id",
    "invoice_id",
    "shipment_id",
    "sku",
    "tracking_no",
];

/// Checks a field reading against the column's values. No values, no verdict.
fn fit(field: &Field, p: &ValueProfile) -> Fit {
    if p.non_empty() == 0 {
        return Fit::Fits;
    }
    let numeric = p.share(p.numbers + p.money_text);
    let below = |share: f32, bar: f32| {
        if share < bar {
            Fit::Contradicts
        } else {
            Fit::Fits
        }
    };
    match field.ty {
        FieldType::Date | FieldType::DateTime => below(p.share(p.dates + p.date_serials), 0.3),
        FieldType::Int if numeric < 0.3 => Fit::Contradicts,
        FieldType::Int if p.share(p.integers) < 0.5 * numeric => Fit::Weak,
        FieldType::Int => Fit::Fits,
        FieldType::Decimal => below(numeric, 0.3),
        FieldType::Email => below(p.share(p.emails), 0.3),
        FieldType::Currency => below(p.share(p.currency_codes), 0.3),
        FieldType::Status => below(p.share(p.statuses), 0.2),
        FieldType::Bool if p.share(p.booleans) >= 0.3 => Fit::Fits,
        FieldType::Bool if p.share(p.dates) >= 0.5 || numeric >= 0.5 => Fit::Contradicts,
        FieldType::Bool => Fit::Weak,
        FieldType::Text if IDENTIFIERS.contains(&field.name) => {
            if p.share(p.dates) > 0.7 || p.share(p.emails) > 0.5 || p.share(p.money_text) > 0.5 {
                Fit::Contradicts
            } else if p.share(p.code_like) < 0.2 {
                Fit::Weak
            } else {
                Fit::Fits
            }
        }
        FieldType::Text if p.share(p.dates) > 0.8 => Fit::Weak,
        FieldType::Text => Fit::Fits,
    }
}

#[cfg(test)]
mod tests;
