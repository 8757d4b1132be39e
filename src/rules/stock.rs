//! Stock that cannot be true: on hand below zero, more allocated than on hand,
//! and physical counts too old to trust next to the newer ones.

use chrono::NaiveDate;
use polars::prelude::*;

use crate::findings::{Category, Finding, Severity};
use crate::model::Entity;

use super::emit::{self, Draft};
use super::keys::key_text;
use super::{Context, Rule, RuleDoc};

pub const NEGATIVE_STOCK: Rule = Rule {
    id: "inventory.negative",
    category: Category::NegativeStock,
    severity: Severity::Error,
    doc: RuleDoc {
        summary: "A stock record whose on_hand is below zero.",
        why: "A shelf cannot hold fewer than no units: negative stock means goods were shipped or allocated that were never received, or a receipt was never booked. Every availability figure built on it is wrong.",
        example: "warehouse/Stock Levels.xlsx › Main!C48: on hand is -4 for TNT-2P @ MAIN.",
        fix: "Count the location, book the missing receipt or correct the shipment that drew the stock down, then set on_hand to the real quantity.",
    },
    check: check_negative,
};

pub const OVERSOLD: Rule = Rule {
    id: "inventory.oversold",
    category: Category::Oversold,
    severity: Severity::Error,
    doc: RuleDoc {
        summary: "A stock record with more units allocated to orders than on hand (on_hand zero or more; a negative on_hand is only negative_stock).",
        why: "Orders were promised goods the warehouse does not have: some of them will ship late or not at all, and the customer was told otherwise.",
        example: "warehouse/Stock Levels.xlsx › Main!D17: allocated 12 is more than the 10 on hand for TNT-2P @ MAIN.",
        fix: "Release or reassign allocations beyond what is on hand, or book the receipt that would cover them.",
    },
    check: check_oversold,
};

pub const STALE_COUNT: Rule = Rule {
    id: "stock_counts.stale",
    category: Category::StaleCount,
    severity: Severity::Warning,
    doc: RuleDoc {
        summary: "A stock count dated more than the staleness limit (90 days by default) before the newest count in the same source.",
        why: "An old count says little about today's shelf; compared with on_hand it raises false mismatches, and as the latest count of its SKU it hides that the location has not been counted for months.",
        example: "warehouse/Cycle Counts.xlsx › Counts!C9: count TNT-2P @ MAIN on 2026-06-02 is 178 days older than the newest count in this source (2026-11-27); the limit is 90 days.",
        fix: "Recount the SKU at the location, or move counts that are only history to an archive sheet.",
    },
    check: check_stale,
};

fn stock_findings(
    ctx: &Context<'_>,
    rule: &Rule,
    flagged: &DataFrame,
    field: &'static str,
    describe: impl Fn(&str, &str, &str) -> (String, String),
) -> PolarsResult<Vec<Finding>> {
    let cols = ["sku", "location", "on_hand", "allocated"];
    let mut out = Vec::new();
    for hit in emit::hits(flagged, &cols)? {
        let get = |f: &str| cols.iter().position(|c| *c == f).and_then(|i| hit.get(i));
        let key = key_text(Entity::Inventory, false, &get);
        let (message, expected) = describe(
            key.as_deref().unwrap_or("?"),
            get("on_hand").unwrap_or("?"),
            get("allocated").unwrap_or("?"),
        );
        let mut draft = Draft::new(
            rule.id,
            rule.category,
            Entity::Inventory,
            hit.source,
            hit.row,
        )
        .field(field)
        .message(message)
        .value(get(field))
        .expected(Some(expected));
        if let Some(k) = key {
            draft = draft.key(k);
        }
        out.push(draft.build(ctx));
    }
    Ok(out)
}

fn check_negative(ctx: &Context<'_>) -> PolarsResult<Vec<Finding>> {
    let Some(inventory) = ctx.data.table(Entity::Inventory) else {
        return Ok(Vec::new());
    };
    let flagged = inventory
        .clone()
        .lazy()
        .filter(emit::tainted(ctx).not().and(col("on_hand").lt(lit(0))))
        .collect()?;
    stock_findings(
        ctx,
        &NEGATIVE_STOCK,
        &flagged,
        "on_hand",
        |key, on_hand, _| {
            (
                format!("on hand is {on_hand} for {key}: the system counts fewer than no units."),
                "0 or more".to_string(),
            )
        },
    )
}

fn check_oversold(ctx: &Context<'_>) -> PolarsResult<Vec<Finding>> {
    let Some(inventory) = ctx.data.table(Entity::Inventory) else {
        return Ok(Vec::new());
    };
    let flagged = inventory
        .clone()
        .lazy()
        .filter(
            emit::tainted(ctx)
                .not()
                .and(col("on_hand").gt_eq(lit(0)))
                .and(col("allocated").gt(col("on_hand"))),
        )
        .collect()?;
    stock_findings(
        ctx,
        &OVERSOLD,
        &flagged,
        "allocated",
        |key, on_hand, allocated| {
            (
                format!("allocated {allocated} is more than the {on_hand} on hand for {key}."),
                format!("at most {on_hand}"),
            )
        },
    )
}

fn check_stale(ctx: &Context<'_>) -> PolarsResult<Vec<Finding>> {
    let Some(counts) = ctx.data.table(Entity::StockCounts) else {
        return Ok(Vec::new());
    };
    let limit = ctx.settings.stale_days;
    let days = |c: &str| col(c).cast(DataType::Int32).cast(DataType::Int64);
    let flagged = counts
        .clone()
        .lazy()
        // A count whose row had a cell finding does not set the newest date.
        .filter(
            emit::tainted(ctx)
                .not()
                .and(col("counted_at").is_not_null()),
        )
        .with_column(
            col("counted_at")
                .max()
                .over([col("_source")])?
                .alias("_newest"),
        )
        .filter(days("counted_at").lt(days("_newest") - lit(limit)))
        .collect()?;
    let cols = ["sku", "location", "counted_at", "_newest"];
    let mut out = Vec::new();
    for hit in emit::hits(&flagged, &cols)? {
        let get = |f: &str| cols.iter().position(|c| *c == f).and_then(|i| hit.get(i));
        let date = |f: &str| get(f).and_then(|d| NaiveDate::parse_from_str(d, "%Y-%m-%d").ok());
        let (Some(counted), Some(newest)) = (date("counted_at"), date("_newest")) else {
            continue;
        };
        let earliest = newest
            .checked_sub_signed(chrono::Duration::days(limit))
            .map(|d| format!("on or after {d}"));
        let key = key_text(Entity::StockCounts, false, &get);
        let message = format!(
            "count {} is {} days older than the newest count in this source ({newest}); the limit is {limit} days.",
            key.as_deref().unwrap_or("?"),
            (newest - counted).num_days(),
        );
        let mut draft = Draft::new(
            STALE_COUNT.id,
            STALE_COUNT.category,
            Entity::StockCounts,
            hit.source,
            hit.row,
        )
        .field("counted_at")
        .message(message)
        .value(get("counted_at"))
        .expected(earliest);
        if let Some(k) = key {
            draft = draft.key(k);
        }
        out.push(draft.build(ctx));
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use crate::findings::Finding;
    use crate::model::Entity;
    use crate::model::canonical::Canonical;
    use crate::rules::testkit::*;
    use crate::rules::{Context, Rule, sort};

    use super::{NEGATIVE_STOCK, OVERSOLD, STALE_COUNT};

    fn run(rule: &Rule, c: &Canonical) -> Vec<Finding> {
        let s = settings("2026-11-27");
        let ctx = Context::new(c, &s);
        let mut found = (rule.check)(&ctx).expect("check runs");
        sort(&mut found);
        found
    }

    fn inventory() -> Canonical {
        let src = source(
            0,
            Entity::Inventory,
            "Stock Levels.xlsx",
            Some("Main"),
            &[
                ("sku", "A"),
                ("location", "B"),
                ("on_hand", "C"),
                ("allocated", "D"),
            ],
        );
        let n = 7;
        let frame = table(
            Entity::Inventory,
            vec![
                u32s("_source", &vec![0; n]),
                u32s("_row", &(2..9).collect::<Vec<u32>>()),
                strs(
                    "sku",
                    &[
                        "TNT-2P", "TNT-3P", "TNT-4P", "TNT-5P", "TNT-6P", "TNT-7P", "TNT-8P",
                    ]
                    .map(Some),
                ),
                strs("location", &[Some("MAIN"); 7]),
                ints("on_hand", &[-4, 10, 10, -2, 0, -1, 5].map(Some)),
                ints(
                    "allocated",
                    &[None, Some(12), Some(10), Some(5), Some(1), None, None],
                ),
            ],
        );
        let mut c = canonical(vec![src], vec![(Entity::Inventory, frame)]);
        c.tainted.insert((0, 7)); // TNT-7P: a cell of its row was unreadable
        c
    }

    #[test]
    fn negative_on_hand_is_negative_stock() {
        let found = run(&NEGATIVE_STOCK, &inventory());
        assert_eq!(
            cells(&found),
            [
                ("Stock Levels.xlsx Main!C2".to_string(), "negative_stock"),
                ("Stock Levels.xlsx Main!C5".to_string(), "negative_stock"),
            ]
        );
        assert_eq!(
            found[0].message,
            "on hand is -4 for TNT-2P @ MAIN: the system counts fewer than no units."
        );
        assert_eq!(found[0].key.as_deref(), Some("TNT-2P @ MAIN"));
        assert_eq!(found[0].value.as_deref(), Some("-4"));
        assert_eq!(found[0].expected.as_deref(), Some("0 or more"));
    }

    #[test]
    fn allocated_above_a_non_negative_on_hand_is_oversold() {
        // Row 4 (allocated == on hand) is fine; row 5 (on hand -2, allocated 5)
        // is only negative stock.
        let found = run(&OVERSOLD, &inventory());
        assert_eq!(
            cells(&found),
            [
                ("Stock Levels.xlsx Main!D3".to_string(), "oversold"),
                ("Stock Levels.xlsx Main!D6".to_string(), "oversold"),
            ]
        );
        assert_eq!(
            found[0].message,
            "allocated 12 is more than the 10 on hand for TNT-3P @ MAIN."
        );
        assert_eq!(found[0].expected.as_deref(), Some("at most 10"));
    }

    #[test]
    fn counts_older_than_the_limit_before_their_source_newest_are_stale() {
        let cols = &[
            ("sku", "A"),
            ("location", "B"),
            ("counted_at", "C"),
            ("counted_qty", "D"),
        ];
        let recent = source(
            0,
            Entity::StockCounts,
            "Cycle Counts.xlsx",
            Some("Counts"),
            cols,
        );
        let old = source(1, Entity::StockCounts, "counts 2025.csv", None, cols);
        let frame = table(
            Entity::StockCounts,
            vec![
                u32s("_source", &[0, 0, 0, 0, 0, 1, 1]),
                u32s("_row", &[2, 3, 4, 5, 6, 2, 3]),
                strs("sku", &[Some("TNT-2P"); 7]),
                strs("location", &[Some("MAIN"); 7]),
                dates(
                    "counted_at",
                    &[
                        Some("2026-11-27"),
                        Some("2026-08-29"), // exactly 90 days before: not stale
                        Some("2026-08-28"),
                        Some("2025-01-01"), // tainted: skipped
                        Some("2027-03-01"), // tainted: does not set the newest
                        Some("2026-01-10"),
                        Some("2026-01-01"),
                    ],
                ),
                ints("counted_qty", &[Some(4); 7]),
            ],
        );
        let mut c = canonical(vec![recent, old], vec![(Entity::StockCounts, frame)]);
        c.tainted.insert((0, 5));
        c.tainted.insert((0, 6));
        let found = run(&STALE_COUNT, &c);
        assert_eq!(
            cells(&found),
            [("Cycle Counts.xlsx Counts!C4".to_string(), "stale_count")]
        );
        assert_eq!(
            found[0].message,
            "count TNT-2P @ MAIN on 2026-08-28 is 91 days older than the newest count in this source (2026-11-27); the limit is 90 days."
        );
        assert_eq!(found[0].value.as_deref(), Some("2026-08-28"));
        assert_eq!(found[0].expected.as_deref(), Some("on or after 2026-08-29"));
    }
}
