//! Physical counts that disagree with the system's stock: a count sheet says
//! 42 units on the shelf where the inventory sheet says 50 on hand.

use std::collections::BTreeMap;

use polars::prelude::*;

use crate::findings::{Category, Finding, Location, Severity};
use crate::model::Entity;

use super::copies::count_key;
use super::emit::{Draft, column_value, location};
use super::{Context, Rule, RuleDoc};

pub const STOCK_MISMATCH: Rule = Rule {
    id: "stock_counts.mismatch",
    category: Category::StockMismatch,
    severity: Severity::Warning,
    doc: RuleDoc {
        summary: "The newest physical count of a SKU at a location differs from the inventory's on_hand by more than the tolerance: more than 2 units AND more than 5% of on_hand (settings stock_tolerance_units, stock_tolerance_pct). Stale counts are left to stale_count; a count whose SKU no inventory row holds is not checked.",
        why: "When the shelf and the system disagree, orders are promised from stock that is not there (or stock sits unsold); the OMS import needs one agreed quantity per SKU and location.",
        example: "Cycle Counts.xlsx › November!D14 counts 42 of TNT-2P at MAIN on 2026-11-20 while Inventory.xlsx › Stock!C7 shows 50 on hand: 8 units (16%) apart.",
        fix: "Recount; if the count holds, post a stock adjustment so on_hand matches the shelf, and find out where the difference came from (unrecorded picks, receipts, damage).",
    },
    check,
};

/// The newest, non-stale, untainted count per (source, SKU, location).
fn newest_counts(ctx: &Context<'_>, counts: &DataFrame) -> PolarsResult<LazyFrame> {
    let day = || col("counted_at").cast(DataType::Int32);
    Ok(counts
        .clone()
        .lazy()
        .filter(
            col("counted_at")
                .is_not_null()
                .and(col("_sku_key").is_not_null()),
        )
        .with_columns([
            day()
                .max()
                .over([col("_source")])?
                .alias("_newest_in_source"),
            day()
                .max()
                .over([col("_source"), col("_sku_key"), col("_location_key")])?
                .alias("_newest_here"),
        ])
        .filter(day().eq(col("_newest_here")))
        .filter((col("_newest_in_source") - day()).lt_eq(lit(ctx.settings.stale_days)))
        .sort(["_source", "_row"], SortMultipleOptions::default())
        .unique_stable_generic(
            Some(vec![col("_source"), col("_sku_key"), col("_location_key")]),
            UniqueKeepStrategy::First,
        )
        .filter(ctx.data.clean_rows(Entity::StockCounts))
        .filter(col("counted_qty").is_not_null())
        .select([
            col("_source"),
            col("_row"),
            col("_sku_key"),
            col("_location_key"),
            col("sku"),
            col("location"),
            col("counted_at"),
            col("counted_qty"),
        ]))
}

/// Untainted inventory rows with their SKU's row count over all inventory.
fn stock(ctx: &Context<'_>, inventory: &DataFrame) -> PolarsResult<LazyFrame> {
    Ok(inventory
        .clone()
        .lazy()
        .filter(col("_sku_key").is_not_null())
        .with_column(
            col("_row")
                .count()
                .over([col("_sku_key")])?
                .alias("_rows_of_sku"),
        )
        .filter(ctx.data.clean_rows(Entity::Inventory))
        .filter(col("on_hand").is_not_null())
        .select([
            col("_sku_key"),
            col("_location_key").alias("_inv_location_key"),
            col("_source").alias("_inv_source"),
            col("_row").alias("_inv_row"),
            col("on_hand"),
            col("_rows_of_sku"),
        ]))
}

/// Each count with every inventory row it is compared with: same SKU and
/// location; a count without location against the SKU's only inventory row; an
/// inventory source without locations against any count location.
fn matches(counts: LazyFrame, stock: LazyFrame) -> PolarsResult<LazyFrame> {
    let mut exact = JoinArgs::new(JoinType::Inner);
    exact.nulls_equal = true;
    let by_sku = || JoinArgs::new(JoinType::Inner);
    let same_place = counts.clone().join(
        stock.clone(),
        [col("_sku_key"), col("_location_key")],
        [col("_sku_key"), col("_inv_location_key")],
        exact,
    );
    let only_row = counts.clone().filter(col("_location_key").is_null()).join(
        stock.clone().filter(
            col("_rows_of_sku")
                .eq(lit(1))
                .and(col("_inv_location_key").is_not_null()),
        ),
        [col("_sku_key")],
        [col("_sku_key")],
        by_sku(),
    );
    let anywhere = counts.filter(col("_location_key").is_not_null()).join(
        stock.filter(col("_inv_location_key").is_null()),
        [col("_sku_key")],
        [col("_sku_key")],
        by_sku(),
    );
    let cols = [
        col("_source"),
        col("_row"),
        col("sku"),
        col("location"),
        col("counted_at"),
        col("counted_qty"),
        col("_inv_source"),
        col("_inv_row"),
        col("on_hand"),
    ];
    concat(
        [
            same_place.select(cols.clone()),
            only_row.select(cols.clone()),
            anywhere.select(cols),
        ],
        UnionArgs::default(),
    )
}

fn absolute(e: Expr) -> Expr {
    when(e.clone().lt(lit(0)))
        .then(lit(0) - e.clone())
        .otherwise(e)
}

fn check(ctx: &Context<'_>) -> PolarsResult<Vec<Finding>> {
    let (Some(counts), Some(inventory)) = (
        ctx.data.table(Entity::StockCounts),
        ctx.data.table(Entity::Inventory),
    ) else {
        return Ok(Vec::new());
    };
    let units = ctx.settings.stock_tolerance_units;
    let pct = ctx.settings.stock_tolerance_pct;
    let diff = absolute(col("counted_qty") - col("on_hand"));
    let beyond = diff.clone().gt(lit(units)).and(
        (diff.cast(DataType::Float64) * lit(100.0))
            .gt(absolute(col("on_hand")).cast(DataType::Float64) * lit(pct)),
    );
    let flagged = matches(newest_counts(ctx, counts)?, stock(ctx, inventory)?)?
        .with_column(beyond.alias("_beyond"))
        // A count that agrees with any inventory row it is compared with is fine.
        .filter(
            col("_beyond")
                .cast(DataType::UInt32)
                .min()
                .over([col("_source"), col("_row")])?
                .eq(lit(1u32)),
        )
        .sort(
            ["_source", "_row", "_inv_source", "_inv_row"],
            SortMultipleOptions::default(),
        )
        .collect()?;
    let text =
        |name: &str, i: usize| -> Option<String> { column_value(flagged.column(name).ok()?, i) };
    let int = |name: &str| -> PolarsResult<Int64Chunked> {
        Ok(flagged.column(name)?.cast(&DataType::Int64)?.i64()?.clone())
    };
    let (sources, rows) = (int("_source")?, int("_row")?);
    let (inv_sources, inv_rows) = (int("_inv_source")?, int("_inv_row")?);
    let (counted_qty, on_hands) = (int("counted_qty")?, int("on_hand")?);
    // One finding per count row, against its first inventory row.
    let mut by_count: BTreeMap<(i64, i64), (usize, Vec<Location>)> = BTreeMap::new();
    for i in 0..flagged.height() {
        let (Some(s), Some(r), Some(is), Some(ir)) = (
            sources.get(i),
            rows.get(i),
            inv_sources.get(i),
            inv_rows.get(i),
        ) else {
            continue;
        };
        let at = location(ctx, is as u32, ir as u32, Some("on_hand"));
        by_count.entry((s, r)).or_insert((i, Vec::new())).1.push(at);
    }
    Ok(by_count
        .into_iter()
        .filter_map(|((source, row), (i, related))| {
            let (counted, on_hand) = (counted_qty.get(i)?, on_hands.get(i)?);
            let sku = text("sku", i).unwrap_or_default();
            let key = count_key(&sku, text("location", i).as_deref(), &text("counted_at", i)?);
            let gap = (counted - on_hand).abs();
            let share = if on_hand == 0 {
                String::new()
            } else {
                format!(" ({:.0}%)", gap as f64 * 100.0 / on_hand.abs() as f64)
            };
            let first = related.first()?.clone();
            let mut draft = Draft::new(STOCK_MISMATCH.id, Category::StockMismatch, Entity::StockCounts, source as u32, row as u32)
                .field("counted_qty")
                .key(key)
                .message(format!(
                    "counted {counted} but the system has {on_hand} on hand ({first}): {gap} units{share} apart, beyond the tolerance of {units} units and {pct}%"
                ))
                .value(Some(counted.to_string()))
                .expected(Some(on_hand.to_string()));
            draft.related = related;
            Some(draft.build(ctx))
        })
        .collect())
}

#[cfg(test)]
mod tests;
