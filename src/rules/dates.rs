//! Events out of order: a shipment or an invoice dated before the order it
//! belongs to was placed.

use polars::prelude::*;

use crate::findings::{Category, Finding, Severity};
use crate::model::Entity;

use super::emit::{Draft, hits, location};
use super::references::order_key;
use super::{Context, Rule, RuleDoc};

pub const SHIPPED_BEFORE_ORDER: Rule = Rule {
    id: "shipments.before_order",
    category: Category::DateSequence,
    severity: Severity::Error,
    doc: RuleDoc {
        summary: "A shipment's ship date is before its order's date (the earliest order date any orders source gives the order). The same day is fine.",
        why: "Goods cannot leave before they are ordered: one of the two dates is wrong (a typo, a day-first date read month-first, a shipment booked against the wrong order), and lead times, SLAs and revenue dates built on them are wrong too.",
        example: "Shipping Log.xlsx › Log!D17 says SO-1042 shipped on 2026-03-11, but Orders Tracker.xlsx › Orders!B40 has the order placed on 2026-11-03.",
        fix: "Correct whichever date is wrong; if the shipment belongs to another order, correct its order id.",
    },
    check: |ctx| {
        before_order(
            ctx,
            Entity::Shipments,
            "shipped_at",
            "shipments.before_order",
        )
    },
};

pub const INVOICED_BEFORE_ORDER: Rule = Rule {
    id: "invoices.before_order",
    category: Category::DateSequence,
    severity: Severity::Error,
    doc: RuleDoc {
        summary: "An invoice's date is before its order's date (the earliest order date any orders source gives the order). The same day is fine.",
        why: "An invoice cannot predate the order it bills: a wrong date puts revenue in the wrong period and breaks payment-term and aging reports.",
        example: "Invoices 2026.xlsx › Invoices!D8 dates invoice INV-2291 2026-10-30, but its order SO-1042 was placed on 2026-11-03 (Orders Tracker.xlsx › Orders!B40).",
        fix: "Correct the invoice date or the order date, whichever is wrong; if the invoice belongs to another order, correct its order id.",
    },
    check: |ctx| {
        before_order(
            ctx,
            Entity::Invoices,
            "invoiced_at",
            "invoices.before_order",
        )
    },
};

fn before_order(
    ctx: &Context<'_>,
    entity: Entity,
    field: &'static str,
    rule: &'static str,
) -> PolarsResult<Vec<Finding>> {
    let (Some(events), Some(orders)) = (
        ctx.data.untainted(entity),
        ctx.data.untainted(Entity::Orders),
    ) else {
        return Ok(Vec::new());
    };
    let orders = orders
        .with_column(order_key().alias("_oid"))
        .filter(
            col("_oid")
                .is_not_null()
                .and(col("order_date").is_not_null()),
        )
        .select([col("_oid"), col("order_date"), col("_source"), col("_row")])
        .collect()?
        .lazy();
    // Each order's earliest date over all orders sources.
    let earliest = orders
        .clone()
        .group_by([col("_oid")])
        .agg([col("order_date").min().alias("_order_date")]);
    let flagged = events
        .with_column(order_key().alias("_oid"))
        .filter(col("_oid").is_not_null().and(col(field).is_not_null()))
        .join(
            earliest,
            [col("_oid")],
            [col("_oid")],
            JoinArgs::new(JoinType::Inner),
        )
        .filter(col(field).lt(col("_order_date")))
        .collect()?;
    // The first row giving that date, looked up for the flagged orders only.
    let givers = orders
        .join(
            flagged
                .clone()
                .lazy()
                .select([col("_oid"), col("_order_date")]),
            [col("_oid"), col("order_date")],
            [col("_oid"), col("_order_date")],
            JoinArgs::new(JoinType::Inner),
        )
        .sort(["_source", "_row"], SortMultipleOptions::default())
        .unique_stable_generic(Some(vec![col("_oid")]), UniqueKeepStrategy::First)
        .select([
            col("_oid"),
            col("_source").alias("_order_source"),
            col("_row").alias("_order_row"),
        ]);
    let flagged = flagged
        .lazy()
        .join(
            givers,
            [col("_oid")],
            [col("_oid")],
            JoinArgs::new(JoinType::Left),
        )
        .sort(["_source", "_row"], SortMultipleOptions::default())
        .collect()?;
    let own_id = if entity == Entity::Shipments {
        "shipment_id"
    } else {
        "invoice_id"
    };
    let found = hits(&flagged, &["_oid", field, "_order_date", own_id])?;
    let order_sources = flagged.column("_order_source")?.u32()?.clone();
    let order_rows = flagged.column("_order_row")?.u32()?.clone();
    Ok(found
        .into_iter()
        .enumerate()
        .map(|(i, h)| {
            let order = h.get(0).unwrap_or_default();
            let (when, placed) = (h.get(1).unwrap_or_default(), h.get(2).unwrap_or_default());
            let (what, key) = match (entity, h.get(3)) {
                (Entity::Shipments, Some(id)) => (format!("shipment {id} left"), id.to_string()),
                (Entity::Shipments, None) => ("shipped".to_string(), format!("order {order}")),
                (_, id) => (
                    format!("invoice {} is dated", id.unwrap_or_default()),
                    id.unwrap_or_default().to_string(),
                ),
            };
            let order_at = location(
                ctx,
                order_sources.get(i).unwrap_or(0),
                order_rows.get(i).unwrap_or(0),
                Some("order_date"),
            );
            Draft::new(rule, Category::DateSequence, entity, h.source, h.row)
                .field(field)
                .key(key)
                .message(format!(
                    "{what} {when}, before order {order} was placed on {placed} ({order_at})"
                ))
                .value(Some(when))
                .expected(Some(format!("{placed} or later")))
                .related(order_at)
                .build(ctx)
        })
        .collect())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::canonical::Canonical;
    use crate::rules::testkit::*;

    fn run(rule: &Rule, data: &Canonical) -> Vec<Finding> {
        let settings = settings("2026-11-27");
        let ctx = Context::new(data, &settings);
        let mut found = (rule.check)(&ctx).expect("check runs");
        crate::rules::sort(&mut found);
        found
    }

    fn orders(source: u32, ids: &[&str], date: &[Option<&str>]) -> DataFrame {
        let n = ids.len();
        table(
            Entity::Orders,
            vec![
                u32s("_source", &vec![source; n]),
                u32s("_row", &(2..2 + n as u32).collect::<Vec<_>>()),
                strs(
                    "order_id",
                    &ids.iter().map(|v| Some(*v)).collect::<Vec<_>>(),
                ),
                dates("order_date", date),
            ],
        )
    }

    fn data(events: DataFrame, entity: Entity, field: &'static str) -> Canonical {
        let mut all = orders(
            0,
            &["SO-1", "SO-2", "SO-3"],
            &[Some("2026-11-03"), Some("2026-11-05"), None],
        );
        all.vstack_mut(&orders(
            1,
            &["SO-1", "SO-2"],
            &[Some("2026-11-04"), Some("2026-11-01")],
        ))
        .unwrap();
        let cols = [("order_id", "A"), ("order_date", "B")];
        canonical(
            vec![
                source(
                    0,
                    Entity::Orders,
                    "Orders Tracker.xlsx",
                    Some("Orders"),
                    &cols,
                ),
                source(1, Entity::Orders, "oms/orders.csv", None, &cols),
                source(
                    2,
                    entity,
                    "events.csv",
                    None,
                    &[("order_id", "A"), (field, "C")],
                ),
            ],
            vec![(Entity::Orders, all), (entity, events)],
        )
    }

    fn events(entity: Entity, field: &str, id: &str, orders: &[&str], when: &[&str]) -> DataFrame {
        let n = orders.len();
        table(
            entity,
            vec![
                u32s("_source", &vec![2; n]),
                u32s("_row", &(2..2 + n as u32).collect::<Vec<_>>()),
                Column::new(
                    id.into(),
                    (1..=n).map(|i| format!("X-{i}")).collect::<Vec<_>>(),
                ),
                strs("order_id", &some(orders)),
                dates(field, &some(when)),
            ],
        )
    }

    #[test]
    fn a_shipment_before_the_earliest_order_date_is_flagged_and_the_same_day_is_fine() {
        let ships = events(
            Entity::Shipments,
            "shipped_at",
            "shipment_id",
            &["SO-1", "SO-1", "SO-2", "SO-3", "SO-9"],
            &[
                "2026-11-02",
                "2026-11-03",
                "2026-10-31",
                "2020-01-01",
                "2020-01-01",
            ],
        );
        let data = data(ships, Entity::Shipments, "shipped_at");
        let found = run(&SHIPPED_BEFORE_ORDER, &data);
        assert_eq!(
            cells(&found),
            [
                ("events.csv C2".to_string(), "date_sequence"),
                ("events.csv C4".to_string(), "date_sequence")
            ]
        );
        assert_eq!(
            found[1].message,
            "shipment X-3 left 2026-10-31, before order SO-2 was placed on 2026-11-01 (oms/orders.csv › B3)"
        );
        assert_eq!(
            found[1].related,
            [data.sources[1].location(3, Some("order_date"))]
        );
        assert_eq!(
            found[0].related,
            [data.sources[0].location(2, Some("order_date"))]
        );
        assert_eq!(found[0].expected.as_deref(), Some("2026-11-03 or later"));
        let mut tainted = data;
        tainted.tainted.insert((2, 2));
        let found = run(&SHIPPED_BEFORE_ORDER, &tainted);
        assert_eq!(
            cells(&found),
            [("events.csv C4".to_string(), "date_sequence")]
        );
    }

    #[test]
    fn an_invoice_before_its_order_is_flagged_unless_the_order_row_is_tainted() {
        let bills = events(
            Entity::Invoices,
            "invoiced_at",
            "invoice_id",
            &[" SO-1", "SO-2"],
            &["2026-11-01", "2026-11-05"],
        );
        let mut data = data(bills, Entity::Invoices, "invoiced_at");
        let found = run(&INVOICED_BEFORE_ORDER, &data);
        assert_eq!(
            cells(&found),
            [("events.csv C2".to_string(), "date_sequence")]
        );
        assert_eq!(found[0].key.as_deref(), Some("X-1"));
        assert_eq!(
            found[0].message,
            "invoice X-1 is dated 2026-11-01, before order SO-1 was placed on 2026-11-03 (Orders Tracker.xlsx › Orders!B2)"
        );
        data.tainted.insert((0, 2));
        data.tainted.insert((1, 2));
        assert_eq!(cells(&run(&INVOICED_BEFORE_ORDER, &data)), []);
    }
}
