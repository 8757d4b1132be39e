//! Orders the process lost track of: open orders nobody touched within the
//! SLA, and open orders nobody owns.

use chrono::NaiveDateTime;
use polars::prelude::*;

use crate::findings::{Category, Finding, Severity};
use crate::model::Entity;

use super::emit::{self, Draft};
use super::{Context, Rule, RuleDoc};

pub const STUCK: Rule = Rule {
    id: "orders.stuck",
    category: Category::Stuck,
    severity: Severity::Warning,
    doc: RuleDoc {
        summary: "An open order (placed, paid, picked or packed) whose updated_at is older than the SLA (7 days by default) before the as-of date. Sources without a status or updated_at column are skipped.",
        why: "An open order nobody has moved for a week is usually waiting on something nobody is watching: stock, a payment check, a handoff between teams. The customer is waiting too.",
        example: "Orders Tracker.xlsx › Orders!I31: order SO-1042 is still packed, last updated 2026-11-12 10:30, 15 days before 2026-11-27; the limit is 7 days.",
        fix: "Move the order on (ship, cancel, chase the blocker) and update its status and updated_at; if it really is finished, set its final status.",
    },
    check: check_stuck,
};

pub const UNOWNED: Rule = Rule {
    id: "orders.unowned",
    category: Category::Unowned,
    severity: Severity::Warning,
    doc: RuleDoc {
        summary: "An open order (placed, paid, picked or packed) with no owner. Sources without a status or owner column are skipped.",
        why: "An open order that belongs to nobody is nobody's job to finish: it is the one that gets stuck, and the OMS needs an assignee to route it.",
        example: "Orders Tracker.xlsx › Orders!H58: open order SO-1077 (paid) has no owner.",
        fix: "Put the name of the person or team handling the order in the owner column.",
    },
    check: check_unowned,
};

/// The open statuses of SPEC's order status enum.
const OPEN: [&str; 4] = ["placed", "paid", "picked", "packed"];

/// Open orders of sources that map status and `field`, one row per order and
/// source (a tracker sheet repeats an order on each of its lines; its first
/// row is the one to fix), filtered by `flag`.
fn open_orders(ctx: &Context<'_>, field: &str, flag: Expr) -> PolarsResult<Option<DataFrame>> {
    let Some(orders) = ctx.data.table(Entity::Orders) else {
        return Ok(None);
    };
    let sources: Vec<u32> = ctx
        .data
        .sources_of(Entity::Orders)
        .filter(|s| s.has("status") && s.has(field))
        .map(|s| s.id)
        .collect();
    if sources.is_empty() {
        return Ok(None);
    }
    let sources = lit(Series::new("_sources".into(), sources)).implode(false);
    let open = lit(Series::new("_open".into(), OPEN)).implode(false);
    let first_row = col("_row").min().over([col("_source"), col("order_id")])?;
    orders
        .clone()
        .lazy()
        .filter(
            col("_source")
                .is_in(sources, false)
                .and(emit::tainted(ctx).not())
                .and(col("status").is_in(open, false))
                .and(flag),
        )
        .with_column(first_row.alias("_first_row"))
        .filter(col("_row").eq(col("_first_row")))
        .collect()
        .map(Some)
}

fn check_stuck(ctx: &Context<'_>) -> PolarsResult<Vec<Finding>> {
    let sla = ctx.settings.sla_days;
    let Some(earliest) = ctx.as_of.checked_sub_signed(chrono::Duration::days(sla)) else {
        return Ok(Vec::new());
    };
    let cutoff = earliest
        .and_time(chrono::NaiveTime::MIN)
        .and_utc()
        .timestamp_millis();
    let flag = col("updated_at").cast(DataType::Int64).lt(lit(cutoff));
    let Some(flagged) = open_orders(ctx, "updated_at", flag)? else {
        return Ok(Vec::new());
    };
    let mut out = Vec::new();
    for hit in emit::hits(&flagged, &["order_id", "status", "updated_at"])? {
        let updated = hit.get(2).unwrap_or("?");
        let days = NaiveDateTime::parse_from_str(updated, "%Y-%m-%d %H:%M")
            .map(|t| (ctx.as_of - t.date()).num_days())
            .unwrap_or(sla);
        let message = format!(
            "order {} is still {}, last updated {updated}, {days} days before {}; the limit is {sla} days.",
            hit.get(0).unwrap_or("?"),
            hit.get(1).unwrap_or("?"),
            ctx.as_of,
        );
        out.push(
            with_key(
                Draft::new(
                    STUCK.id,
                    STUCK.category,
                    Entity::Orders,
                    hit.source,
                    hit.row,
                )
                .field("updated_at")
                .message(message)
                .value(hit.get(2))
                .expected(Some(format!("on or after {earliest}"))),
                hit.get(0),
            )
            .build(ctx),
        );
    }
    Ok(out)
}

fn check_unowned(ctx: &Context<'_>) -> PolarsResult<Vec<Finding>> {
    let blank = col("owner").str().strip_chars(lit(NULL)).eq(lit(""));
    let flag = col("owner").is_null().or(blank);
    let Some(flagged) = open_orders(ctx, "owner", flag)? else {
        return Ok(Vec::new());
    };
    let mut out = Vec::new();
    for hit in emit::hits(&flagged, &["order_id", "status"])? {
        let message = format!(
            "open order {} ({}) has no owner.",
            hit.get(0).unwrap_or("?"),
            hit.get(1).unwrap_or("?"),
        );
        out.push(
            with_key(
                Draft::new(
                    UNOWNED.id,
                    UNOWNED.category,
                    Entity::Orders,
                    hit.source,
                    hit.row,
                )
                .field("owner")
                .message(message)
                .expected(Some("the person or team handling the order")),
                hit.get(0),
            )
            .build(ctx),
        );
    }
    Ok(out)
}

fn with_key(draft: Draft, key: Option<&str>) -> Draft {
    match key {
        Some(k) => draft.key(k),
        None => draft,
    }
}

#[cfg(test)]
mod tests {
    use crate::findings::Finding;
    use crate::model::Entity;
    use crate::model::canonical::Canonical;
    use crate::rules::testkit::*;
    use crate::rules::{Context, Rule, sort};

    use super::{STUCK, UNOWNED};

    fn run(rule: &Rule, c: &Canonical) -> Vec<Finding> {
        let s = settings("2026-11-27");
        let ctx = Context::new(c, &s);
        assert_eq!(ctx.as_of.to_string(), "2026-11-27");
        let mut found = (rule.check)(&ctx).expect("check runs");
        sort(&mut found);
        found
    }

    /// A tracker with status, owner and updated_at, and a CSV that maps only
    /// order_id and status.
    fn orders() -> Canonical {
        let tracker = source(
            0,
            Entity::Orders,
            "Orders Tracker.xlsx",
            Some("Orders"),
            &[
                ("order_id", "A"),
                ("status", "G"),
                ("owner", "H"),
                ("updated_at", "I"),
            ],
        );
        let bare = source(
            1,
            Entity::Orders,
            "orders.csv",
            None,
            &[("order_id", "A"), ("status", "B")],
        );
        let frame = table(
            Entity::Orders,
            vec![
                u32s("_source", &[0, 0, 0, 0, 0, 0, 0, 0, 1]),
                u32s("_row", &[2, 3, 4, 5, 6, 7, 8, 9, 2]),
                strs(
                    "order_id",
                    &[
                        "SO-1", "SO-2", "SO-3", "SO-4", "SO-5", "SO-6", "SO-6", "SO-7", "SO-8",
                    ]
                    .map(Some),
                ),
                strs(
                    "status",
                    &[
                        Some("packed"),
                        Some("paid"),
                        Some("shipped"),
                        None,
                        Some("placed"),
                        Some("placed"),
                        Some("placed"),
                        Some("picked"),
                        Some("placed"),
                    ],
                ),
                strs(
                    "owner",
                    &[
                        Some("Ana"),
                        Some("  "),
                        None,
                        None,
                        None,
                        None,
                        None,
                        Some("Bo"),
                        None,
                    ],
                ),
                datetimes(
                    "updated_at",
                    &[
                        Some("2026-11-19 23:59"),
                        Some("2026-11-20 00:00"), // exactly 7 days: not stuck
                        Some("2026-01-01 09:00"),
                        Some("2026-01-01 09:00"),
                        Some("2026-11-01 09:00"),
                        Some("2026-10-01 09:00"),
                        Some("2026-10-01 09:00"),
                        None,
                        Some("2026-01-01 09:00"),
                    ],
                ),
            ],
        );
        let mut c = canonical(vec![tracker, bare], vec![(Entity::Orders, frame)]);
        c.tainted.insert((0, 6)); // SO-5: a cell of its row was unreadable
        c
    }

    #[test]
    fn open_orders_not_updated_within_the_sla_are_stuck() {
        let found = run(&STUCK, &orders());
        assert_eq!(
            cells(&found),
            [
                ("Orders Tracker.xlsx Orders!I2".to_string(), "stuck"),
                ("Orders Tracker.xlsx Orders!I7".to_string(), "stuck"),
            ]
        );
        assert_eq!(
            found[0].message,
            "order SO-1 is still packed, last updated 2026-11-19 23:59, 8 days before 2026-11-27; the limit is 7 days."
        );
        assert_eq!(found[0].value.as_deref(), Some("2026-11-19 23:59"));
        assert_eq!(found[0].expected.as_deref(), Some("on or after 2026-11-20"));
        assert_eq!(found[1].key.as_deref(), Some("SO-6"));
    }

    #[test]
    fn open_orders_without_an_owner_are_unowned() {
        let found = run(&UNOWNED, &orders());
        assert_eq!(
            cells(&found),
            [
                ("Orders Tracker.xlsx Orders!H3".to_string(), "unowned"),
                ("Orders Tracker.xlsx Orders!H7".to_string(), "unowned"),
            ]
        );
        assert_eq!(found[0].message, "open order SO-2 (paid) has no owner.");
    }
}
