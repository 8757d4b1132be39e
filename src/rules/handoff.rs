//! Handoffs between teams that did not happen: goods shipped that finance
//! never invoiced, and invoices paid for goods the warehouse never shipped.

use std::collections::BTreeMap;

use polars::prelude::*;

use crate::findings::{Category, Finding, Location, Severity};
use crate::model::Entity;

use super::emit::{Draft, Hit, days_from_date, hits, location};
use super::references::{known_orders, order_key, strings};
use super::{Context, Rule, RuleDoc};

pub const SHIPPED_NOT_INVOICED: Rule = Rule {
    id: "handoff.shipped_not_invoiced",
    category: Category::HandoffGap,
    severity: Severity::Error,
    doc: RuleDoc {
        summary: "An order that was shipped (status shipped or delivered in an orders source, or a shipment row for it) has no invoice in any invoices source, rejected invoice rows included. Cancelled orders are left out; runs only when at least one invoices source exists.",
        why: "Goods that left without an invoice are revenue never billed: the warehouse marked the order done and finance, working from another sheet, never heard of it.",
        example: "Orders Tracker.xlsx › Orders!G40 marks SO-1042 \"delivered\", and neither Invoices 2026.xlsx nor the OMS invoice export has an invoice for SO-1042.",
        fix: "Raise the invoice for the order; if it was invoiced under another order id, correct the id on the invoice.",
    },
    check: shipped_not_invoiced,
};

pub const PAID_NOT_SHIPPED: Rule = Rule {
    id: "handoff.paid_not_shipped",
    category: Category::HandoffGap,
    severity: Severity::Error,
    doc: RuleDoc {
        summary: "An invoice that was paid (paid is true, or a payment date is set) more than the SLA (default 7 days) before the as-of date, for an order with no shipment row and no shipped or delivered status anywhere, and not cancelled or returned. Runs only when at least one shipments source exists.",
        why: "A customer who paid and received nothing calls support, asks for a refund or leaves; the payment reached finance but the order never reached the warehouse.",
        example: "Invoices 2026.xlsx › Invoices!F12: INV-2291 for SO-1042 was paid on 2026-11-12, 15 days before the audit, and no shipment or shipped status exists for SO-1042.",
        fix: "Ship the order (or refund and cancel it); if it did ship, record the shipment so the logs agree.",
    },
    check: paid_not_shipped,
};

/// Trimmed order ids (`_oid`) of a frame's rows matching `filter`.
fn order_ids(lf: LazyFrame, filter: Expr) -> LazyFrame {
    lf.filter(filter)
        .select([order_key().alias("_oid")])
        .filter(col("_oid").is_not_null())
        .unique(None, UniqueKeepStrategy::Any)
}

/// Order ids of an entity's rejected rows (as `_oid`).
fn rejected_orders(ctx: &Context<'_>, entity: Entity) -> PolarsResult<LazyFrame> {
    let ids = ctx.data.rejected_values(entity, "order_id");
    strings("_oid", ids.into_iter().map(|s| s.trim().to_string()))
}

fn any_of(lfs: Vec<LazyFrame>) -> PolarsResult<LazyFrame> {
    Ok(concat(lfs, UnionArgs::default())?.unique(None, UniqueKeepStrategy::Any))
}

/// Adds a boolean column `name`: whether the row's `_oid` is in `set`.
fn flag(lf: LazyFrame, set: LazyFrame, name: &str) -> LazyFrame {
    lf.join(
        set.with_column(lit(true).alias(name)),
        [col("_oid")],
        [col("_oid")],
        JoinArgs::new(JoinType::Left),
    )
    .with_column(col(name).fill_null(lit(false)))
}

fn status_in(names: &[&str]) -> Expr {
    names
        .iter()
        .map(|n| col("status").eq(lit(*n)))
        .reduce(|a, b| a.or(b))
        .unwrap_or(lit(false))
}

/// Shipment rows of every shipments source, rejected rows included.
fn shipped_rows(ctx: &Context<'_>) -> PolarsResult<Vec<LazyFrame>> {
    let mut out = vec![rejected_orders(ctx, Entity::Shipments)?];
    if let Some(df) = ctx.data.table(Entity::Shipments) {
        out.push(order_ids(df.clone().lazy(), lit(true)));
    }
    Ok(out)
}

fn shipped_not_invoiced(ctx: &Context<'_>) -> PolarsResult<Vec<Finding>> {
    if ctx.data.sources_of(Entity::Invoices).next().is_none() {
        return Ok(Vec::new());
    }
    let Some(df) = ctx.data.table(Entity::Orders) else {
        return Ok(Vec::new());
    };
    let orders = df
        .clone()
        .lazy()
        .select([
            col("_source"),
            col("_row"),
            col("status"),
            order_key().alias("_oid"),
            ctx.data.clean_rows(Entity::Orders).alias("_clean"),
        ])
        .filter(col("_oid").is_not_null())
        .collect()?
        .lazy();
    let ids = |filter: Expr| {
        orders
            .clone()
            .filter(filter)
            .select([col("_oid")])
            .unique(None, UniqueKeepStrategy::Any)
    };
    // A status counts as evidence only on an untainted row; a cancellation anywhere.
    let by_status = ids(col("_clean").and(status_in(&["shipped", "delivered"])));
    let cancelled = ids(status_in(&["cancelled"]));
    let mut invoiced = vec![rejected_orders(ctx, Entity::Invoices)?];
    if let Some(df) = ctx.data.table(Entity::Invoices) {
        invoiced.push(order_ids(df.clone().lazy(), lit(true)));
    }
    let rows = orders.filter(col("_clean"));
    let rows = flag(rows, by_status, "_by_status");
    let rows = flag(rows, any_of(shipped_rows(ctx)?)?, "_by_shipment");
    let rows = flag(rows, any_of(invoiced)?, "_invoiced");
    let rows = flag(rows, cancelled, "_cancelled");
    let flagged = rows
        .filter(
            (col("_by_status").or(col("_by_shipment")))
                .and(col("_invoiced").not())
                .and(col("_cancelled").not()),
        )
        .sort(["_source", "_row"], SortMultipleOptions::default())
        .collect()?;
    // The order's first row in each source; the finding goes to the lowest source.
    let mut orders: BTreeMap<String, Vec<Hit>> = BTreeMap::new();
    for h in hits(&flagged, &["_oid", "status", "_by_status", "_by_shipment"])? {
        let Some(oid) = h.get(0).map(str::to_string) else {
            continue;
        };
        let copies = orders.entry(oid).or_default();
        if copies.iter().all(|c| c.source != h.source) {
            copies.push(h);
        }
    }
    let at = |source: u32| {
        let has_status = ctx.data.source(source).is_some_and(|s| s.has("status"));
        if has_status { "status" } else { "order_id" }
    };
    let invoice_sheets: Vec<String> = ctx
        .data
        .sources_of(Entity::Invoices)
        .map(|s| s.label())
        .collect();
    Ok(orders
        .into_iter()
        .filter_map(|(oid, copies)| {
            let first = copies.first()?;
            let status = first.get(1);
            let mut evidence = Vec::new();
            match status.filter(|s| matches!(*s, "shipped" | "delivered")) {
                Some(s) => evidence.push(format!("is {s}")),
                None if first.get(2) == Some("true") => {
                    evidence.push("is shipped in another order sheet".to_string())
                }
                None => {}
            }
            if first.get(3) == Some("true") {
                evidence.push("has a shipment".to_string());
            }
            let related: Vec<Location> = copies[1..]
                .iter()
                .map(|c| location(ctx, c.source, c.row, Some(at(c.source))))
                .collect();
            let mut draft = Draft::new(
                SHIPPED_NOT_INVOICED.id,
                Category::HandoffGap,
                Entity::Orders,
                first.source,
                first.row,
            )
            .field(at(first.source))
            .key(oid.clone())
            .message(format!(
                "order {oid} {} but has no invoice in {}",
                evidence.join(" and "),
                invoice_sheets.join(", ")
            ))
            .value(status)
            .expected(Some("an invoice"));
            draft.related = related;
            Some(draft.build(ctx))
        })
        .collect())
}

fn paid_not_shipped(ctx: &Context<'_>) -> PolarsResult<Vec<Finding>> {
    if ctx.data.sources_of(Entity::Shipments).next().is_none() {
        return Ok(Vec::new());
    }
    let Some(invoices) = ctx.data.untainted(Entity::Invoices) else {
        return Ok(Vec::new());
    };
    let paid = col("paid")
        .fill_null(lit(false))
        .or(col("paid_at").is_not_null());
    let pay_date = when(col("paid_at").is_not_null())
        .then(col("paid_at"))
        .otherwise(col("invoiced_at"));
    let today = i64::from(days_from_date(ctx.as_of));
    let mut closed = shipped_rows(ctx)?;
    if let Some(df) = ctx.data.table(Entity::Orders) {
        let done = status_in(&["shipped", "delivered", "cancelled", "returned"]);
        closed.push(order_ids(df.clone().lazy(), done));
    }
    let rows = invoices
        .with_columns([order_key().alias("_oid"), pay_date.alias("_paid_on")])
        .with_column((lit(today) - col("_paid_on").cast(DataType::Int64)).alias("_days_since"))
        .filter(
            paid.and(col("_oid").is_not_null())
                .and(col("_days_since").gt(lit(ctx.settings.sla_days))),
        );
    let mut rows = flag(rows, any_of(closed)?, "_closed").filter(col("_closed").not());
    // An invoice for an order no sheet holds is an orphan_reference, not a gap.
    if let Some(known) = known_orders(ctx)? {
        rows =
            flag(rows, known.unique(None, UniqueKeepStrategy::Any), "_known").filter(col("_known"));
    }
    let flagged = rows
        .sort(["_source", "_row"], SortMultipleOptions::default())
        .collect()?;
    let columns = [
        "invoice_id",
        "_oid",
        "_paid_on",
        "_days_since",
        "paid_at",
        "paid",
    ];
    Ok(hits(&flagged, &columns)?
        .into_iter()
        .map(|h| {
            let (invoice, order) = (h.get(0).unwrap_or_default(), h.get(1).unwrap_or_default());
            let (on, days) = (h.get(2).unwrap_or_default(), h.get(3).unwrap_or_default());
            let maps = |f: &str| ctx.data.source(h.source).is_some_and(|s| s.has(f));
            let (field, value, paid) = if h.get(4).is_some() {
                ("paid_at", h.get(4), format!("was paid on {on}"))
            } else {
                let field = if maps("paid") { "paid" } else { "paid_at" };
                (field, h.get(5), format!("is marked paid and was invoiced on {on}"))
            };
            Draft::new(PAID_NOT_SHIPPED.id, Category::HandoffGap, Entity::Invoices, h.source, h.row)
                .field(field)
                .key(invoice)
                .message(format!(
                    "invoice {invoice} {paid}, {days} days before {}, but order {order} has no shipment and is not marked shipped",
                    ctx.as_of
                ))
                .value(value)
                .expected(Some(format!("a shipment within {} days of payment", ctx.settings.sla_days)))
                .build(ctx)
        })
        .collect())
}

#[cfg(test)]
mod tests;
