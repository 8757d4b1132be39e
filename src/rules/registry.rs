//! The one list of rules. Adding a rule touches its family's file and this list;
//! ids are stable and never reused.

use crate::model::Entity;

use super::{
    Rule, arithmetic, cells, copies, counts, dates, handoff, keys, references, stock, structure,
    workflow,
};

pub static RULES: &[Rule] = &[
    // cells.rs
    cells::MISSING_REQUIRED,
    cells::INVALID_TYPE,
    cells::INVALID_VALUE,
    cells::FORMULA_ERROR,
    cells::ROWS_DISAGREE,
    // keys.rs
    keys::DUPLICATE_KEY,
    // copies.rs
    copies::CONFLICTING_COPY,
    // references.rs
    references::SKU_UNKNOWN,
    references::SHIPMENT_ORDER_UNKNOWN,
    references::INVOICE_ORDER_UNKNOWN,
    // arithmetic.rs
    arithmetic::LINE_TOTAL,
    arithmetic::ORDER_TOTAL,
    // dates.rs
    dates::SHIPPED_BEFORE_ORDER,
    dates::INVOICED_BEFORE_ORDER,
    // stock.rs
    stock::NEGATIVE_STOCK,
    stock::OVERSOLD,
    stock::STALE_COUNT,
    // counts.rs
    counts::STOCK_MISMATCH,
    // handoff.rs
    handoff::SHIPPED_NOT_INVOICED,
    handoff::PAID_NOT_SHIPPED,
    // workflow.rs
    workflow::STUCK,
    workflow::UNOWNED,
    // structure.rs
    structure::UNMAPPED_REQUIRED,
    structure::SCHEMA_DRIFT,
    structure::RESURRECTED,
];

pub fn find(id: &str) -> Option<&'static Rule> {
    RULES.iter().find(|r| r.id == id)
}

/// The entity a rule's id names (`order_lines.line_total` → order_lines).
pub fn entity_of(id: &str) -> Option<Entity> {
    id.split('.').next().and_then(Entity::from_name)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ids_are_unique_and_documented() {
        let mut ids: Vec<_> = RULES.iter().map(|r| r.id).collect();
        ids.sort();
        let n = ids.len();
        ids.dedup();
        assert_eq!(ids.len(), n, "duplicate rule id");
        for r in RULES {
            assert!(r.id.contains('.'), "{}", r.id);
            for text in [r.doc.summary, r.doc.why, r.doc.example, r.doc.fix] {
                assert!(text.len() > 20, "{}: doc text too short", r.id);
            }
        }
    }
}
