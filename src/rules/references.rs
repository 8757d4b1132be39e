//! References to records that exist nowhere: an order line whose SKU no stock
//! sheet knows, a shipment or an invoice for an order no order sheet holds.

use polars::prelude::*;

use crate::findings::{Category, Finding, Severity};
use crate::model::Entity;

use super::copies::line_key;
use super::emit::{Draft, hits};
use super::{Context, Rule, RuleDoc};

pub const SKU_UNKNOWN: Rule = Rule {
    id: "order_lines.sku_unknown",
    category: Category::OrphanReference,
    severity: Severity::Warning,
    doc: RuleDoc {
        summary: "An order line's SKU is in no inventory source (SKUs compare trimmed and case-insensitively). Runs only when at least one inventory source exists.",
        why: "A SKU the stock sheets do not know cannot be allocated or picked: it is a typo, a retired code, or an item the warehouse tracks under another name, and the OMS will reject the line.",
        example: "Orders Tracker.xlsx › Orders!F23 sells \"TNT-2Q\"; Inventory.xlsx › Stock lists TNT-2P and TNT-3P but no TNT-2Q.",
        fix: "Correct the SKU on the line, or add the item to the inventory sheet if it is new.",
    },
    check: sku_unknown,
};

pub const SHIPMENT_ORDER_UNKNOWN: Rule = Rule {
    id: "shipments.order_unknown",
    category: Category::OrphanReference,
    severity: Severity::Error,
    doc: RuleDoc {
        summary: "A shipment's order id is in no orders or order-lines source (ids compare trimmed, case-sensitively; rejected order rows count as existing). Runs only when at least one orders or order-lines source exists.",
        why: "A parcel that left for an order nobody has cannot be invoiced or traced back to a customer; usually the order id was mistyped on the shipping log.",
        example: "Shipping Log.xlsx › Log!B31 ships order \"SO-10422\", which no order sheet holds (SO-1042 does exist).",
        fix: "Correct the order id on the shipment row, or add the missing order to the order sheet.",
    },
    check: |ctx| order_unknown(ctx, Entity::Shipments, "shipments.order_unknown"),
};

pub const INVOICE_ORDER_UNKNOWN: Rule = Rule {
    id: "invoices.order_unknown",
    category: Category::OrphanReference,
    severity: Severity::Error,
    doc: RuleDoc {
        summary: "An invoice's order id is in no orders or order-lines source (ids compare trimmed, case-sensitively; rejected order rows count as existing). Runs only when at least one orders or order-lines source exists.",
        why: "An invoice that points at no order cannot be reconciled: finance bills a customer for something operations never recorded, or the order id was mistyped.",
        example: "Invoices 2026.xlsx › Invoices!C12 bills order \"SO-I042\" (a capital I for a 1); no order sheet holds it.",
        fix: "Correct the order id on the invoice, or add the missing order to the order sheet.",
    },
    check: |ctx| order_unknown(ctx, Entity::Invoices, "invoices.order_unknown"),
};

/// An order id as rules compare it: trimmed, case kept.
pub fn order_key() -> Expr {
    col("order_id").str().strip_chars(lit(NULL))
}

/// "a.xlsx › Stock, b.csv": where a rule looked.
fn labels(ctx: &Context<'_>, entities: &[Entity]) -> String {
    let all: Vec<String> = ctx
        .data
        .sources
        .iter()
        .filter(|s| entities.contains(&s.entity))
        .map(|s| s.label())
        .collect();
    all.join(", ")
}

/// The rows of `lf` whose `on` value is present and not among `known` (a
/// one-column frame of the same name). The known values become a set the rows
/// are looked up in: the rows themselves are never joined or copied. The set
/// takes them as they are: a value known twice, or a null, changes nothing.
fn not_in(lf: LazyFrame, known: LazyFrame, on: &str) -> PolarsResult<LazyFrame> {
    let known = known.collect()?;
    let set = known.column(on)?.as_materialized_series().clone();
    let rows = lf.collect()?;
    let mask = unknown(rows.column(on)?.as_materialized_series(), &set)?;
    Ok(rows.filter(&mask)?.lazy())
}

/// Per value: whether it is present and not in `set`. polars looks a column
/// up on one thread; the values are looked up in a piece per thread here.
fn unknown(values: &Series, set: &Series) -> PolarsResult<BooleanChunked> {
    use rayon::prelude::*;
    let set = set.implode()?.into_series();
    let piece = values
        .len()
        .div_ceil(rayon::current_num_threads().max(1))
        .max(1 << 14);
    let pieces: Vec<BooleanChunked> = (0..values.len().div_ceil(piece))
        .into_par_iter()
        .map(|i| {
            let values = values.slice((i * piece) as i64, piece);
            let found = is_in(&values, &set, false)?;
            Ok(&!&found & &values.is_not_null())
        })
        .collect::<PolarsResult<_>>()?;
    let mut mask = BooleanChunked::full(values.name().clone(), false, 0);
    for piece in &pieces {
        mask.append(piece)?;
    }
    Ok(mask)
}

/// A one-column frame of texts (keys of rejected rows, for joins).
pub fn strings(name: &str, values: impl IntoIterator<Item = String>) -> PolarsResult<LazyFrame> {
    let v: Vec<String> = values.into_iter().collect();
    Ok(DataFrame::new(v.len(), vec![Column::new(name.into(), v)])?.lazy())
}

fn sku_unknown(ctx: &Context<'_>) -> PolarsResult<Vec<Finding>> {
    if ctx.data.sources_of(Entity::Inventory).next().is_none() {
        return Ok(Vec::new());
    }
    // A lookup row by row: tainted rows are dropped from the few flagged.
    let Some(lines) = ctx.data.table(Entity::OrderLines) else {
        return Ok(Vec::new());
    };
    let rejected = ctx
        .data
        .rejected_values(Entity::Inventory, "sku")
        .into_iter()
        .map(|s| s.trim().to_uppercase());
    let mut known = vec![strings("_sku_key", rejected)?];
    if let Some(inv) = ctx.data.table(Entity::Inventory) {
        known.push(inv.clone().lazy().select([col("_sku_key")]));
    }
    let flagged = not_in(
        lines.clone().lazy(),
        concat(known, UnionArgs::default())?,
        "_sku_key",
    )?
    .sort(["_source", "_row"], SortMultipleOptions::default())
    .collect()?;
    let flagged = ctx.data.drop_tainted(flagged)?;
    let stock = labels(ctx, &[Entity::Inventory]);
    Ok(hits(&flagged, &["order_id", "line_no", "sku"])?
        .into_iter()
        .map(|h| {
            let sku = h.get(2).unwrap_or_default();
            let by_line = ctx
                .data
                .source(h.source)
                .is_some_and(|s| s.has("line_no") && !s.derived_line_no);
            let key = line_key(
                h.get(0).unwrap_or_default(),
                h.get(1).filter(|_| by_line),
                sku,
            );
            Draft::new(
                SKU_UNKNOWN.id,
                SKU_UNKNOWN.category,
                Entity::OrderLines,
                h.source,
                h.row,
            )
            .field("sku")
            .key(key)
            .message(format!("SKU {sku} is in no inventory sheet ({stock})"))
            .value(Some(sku))
            .build(ctx)
        })
        .collect())
}

/// Every order id any orders or order-lines source holds, rejected rows
/// included (as `_oid`); `None` when no such source exists.
pub fn known_orders(ctx: &Context<'_>) -> PolarsResult<Option<LazyFrame>> {
    let sources = [Entity::Orders, Entity::OrderLines];
    if !sources
        .iter()
        .any(|e| ctx.data.sources_of(*e).next().is_some())
    {
        return Ok(None);
    }
    let mut rejected: Vec<String> = ctx
        .data
        .rejected_keys(Entity::Orders)
        .into_iter()
        .map(|k| k.trim().to_string())
        .collect();
    for e in sources {
        rejected.extend(
            ctx.data
                .rejected_values(e, "order_id")
                .into_iter()
                .map(|k| k.trim().to_string()),
        );
    }
    let mut known = vec![strings("_oid", rejected)?];
    for e in sources {
        if let Some(df) = ctx.data.table(e) {
            known.push(df.clone().lazy().select([order_key().alias("_oid")]));
        }
    }
    concat(known, UnionArgs::default()).map(Some)
}

fn order_unknown(
    ctx: &Context<'_>,
    entity: Entity,
    rule: &'static str,
) -> PolarsResult<Vec<Finding>> {
    let Some(known) = known_orders(ctx)? else {
        return Ok(Vec::new());
    };
    // A lookup row by row: tainted rows are dropped from the few flagged.
    let Some(rows) = ctx.data.table(entity) else {
        return Ok(Vec::new());
    };
    let own_id = if entity == Entity::Shipments {
        "shipment_id"
    } else {
        "invoice_id"
    };
    let flagged = not_in(
        rows.clone().lazy().with_column(order_key().alias("_oid")),
        known,
        "_oid",
    )?
    .sort(["_source", "_row"], SortMultipleOptions::default())
    .collect()?;
    let flagged = ctx.data.drop_tainted(flagged)?;
    let places = labels(ctx, &[Entity::Orders, Entity::OrderLines]);
    Ok(hits(&flagged, &["_oid", own_id])?
        .into_iter()
        .map(|h| {
            let order = h.get(0).unwrap_or_default();
            let (what, key) = match (entity, h.get(1)) {
                (Entity::Shipments, Some(id)) => (format!("shipment {id}"), id.to_string()),
                (Entity::Shipments, None) => {
                    ("this shipment".to_string(), format!("order {order}"))
                }
                (_, id) => (
                    format!("invoice {}", id.unwrap_or_default()),
                    id.unwrap_or_default().to_string(),
                ),
            };
            Draft::new(rule, Category::OrphanReference, entity, h.source, h.row)
                .field("order_id")
                .key(key)
                .message(format!(
                    "{what} is for order {order}, which is in no order sheet ({places})"
                ))
                .value(Some(order))
                .build(ctx)
        })
        .collect())
}

#[cfg(test)]
mod tests;
