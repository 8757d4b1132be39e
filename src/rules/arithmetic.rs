//! Totals that do not add up: a line's total against quantity × unit price −
//! discount, and an order's total against its lines, tax and shipping.
//!
//! Money is compared exactly, never through floats. The tables hold Int64
//! mantissas at scale 6 ([`MONEY`]): an Int64 quantity times a price mantissa
//! is the line's mantissa at scale 6, and sums are taken in Int128. The few
//! lines a pass finds off are checked again in polars' Decimal(38, 6).
//!
//! [`MONEY`]: crate::model::canonical::MONEY

use polars::prelude::*;
use rayon::prelude::*;

use crate::findings::{Category, Finding, Severity};
use crate::model::Entity;
use crate::model::canonical::{DECIMAL_SCALE, with_decimals};

use super::emit::{self, Draft};
use super::keys::key_text;
use super::{Context, Rule, RuleDoc};

pub const LINE_TOTAL: Rule = Rule {
    id: "order_lines.line_total",
    category: Category::ArithmeticMismatch,
    severity: Severity::Error,
    doc: RuleDoc {
        summary: "A line total that is not quantity × unit price − discount (beyond the amount tolerance, 0.01 by default).",
        why: "A line total typed over, or a formula dragged to the wrong row, bills the customer a different amount than the quantity and price say; the OMS recomputes the line and the two will never reconcile.",
        example: "Orders Tracker.xlsx › Orders!N14: line total 259.00 is not quantity × unit price = 2 × 149.50 = 299.00.",
        fix: "Correct the quantity, the unit price, the discount or the total, whichever is wrong; a total should be a formula of the other three.",
    },
    check: check_lines,
};

pub const ORDER_TOTAL: Rule = Rule {
    id: "orders.total",
    category: Category::ArithmeticMismatch,
    severity: Severity::Error,
    doc: RuleDoc {
        summary: "An order total that is not the sum of the order's lines in the same sheet plus tax and shipping (beyond the amount tolerance). A line without a line total counts as quantity × unit price − discount; orders with an unreadable or rejected line are skipped.",
        why: "The order total is what the customer is invoiced; when it disagrees with the lines, either the invoice or the goods shipped are wrong.",
        example: "Orders Tracker.xlsx › Orders!P22: order total 398.00 is not the sum of its 3 lines 370.00 + tax 29.60 + shipping 12.40 = 412.00 (a line was added and the total was not updated).",
        fix: "Recompute the total from the lines (or fix the line that is wrong); keep it a formula over the order's lines.",
    },
    check: check_orders,
};

/// Values this large (a trillion) are no real amounts or quantities (a
/// billion); rows holding them are skipped so that exact arithmetic stays
/// within 128 bits and polars' 38 decimal digits instead of failing the rule.
const MONEY_LIMIT: i64 = 1_000_000_000_000 * 1_000_000;
const QUANTITY_LIMIT: i64 = 1_000_000_000;

/// Whether a decimal column's value is null or within [`MONEY_LIMIT`].
fn money_fits(name: &str) -> Expr {
    let m = col(name).to_physical();
    m.clone()
        .is_null()
        .or(m.clone().lt(lit(MONEY_LIMIT)).and(m.gt(lit(-MONEY_LIMIT))))
}

fn line_fits() -> Expr {
    let q = col("quantity");
    money_fits("line_total")
        .and(money_fits("unit_price"))
        .and(money_fits("discount"))
        .and(
            q.clone().is_null().or(q
                .clone()
                .lt(lit(QUANTITY_LIMIT))
                .and(q.gt(lit(-QUANTITY_LIMIT)))),
        )
}

/// quantity × unit_price − coalesce(discount, 0), exact at scale 6, over
/// polars' Decimal columns.
fn computed_line() -> Expr {
    col("quantity") * col("unit_price") - col("discount").fill_null(lit(0))
}

/// [`computed_line`] over the tables' Int64 mantissas, in Int128 (no product
/// of values within the limits comes near its range).
fn computed_mantissa() -> Expr {
    let wide = |c: &str| col(c).cast(DataType::Int128);
    wide("quantity") * wide("unit_price") - wide("discount").fill_null(lit(0i128))
}

/// The tolerance as a mantissa at the decimal columns' scale.
fn tolerance(ctx: &Context<'_>) -> i128 {
    let mut t = ctx.settings.amount_tolerance.abs();
    t.rescale(DECIMAL_SCALE as u32);
    t.mantissa()
}

/// |difference| > tolerance, on the mantissa of a decimal difference.
fn beyond(difference: Expr, tolerance: i128) -> Expr {
    let m = difference.to_physical();
    m.clone().gt(lit(tolerance)).or(m.lt(lit(-tolerance)))
}

/// Rows per piece of [`lines_maybe_off`]; pieces are checked side by side.
const PIECE: usize = 1 << 16;

/// Positions of the lines whose total is off by more than the tolerance, in
/// one pass over the columns' values (exact, on the mantissas in 128 bits; amounts
/// beyond [`MONEY_LIMIT`] and quantities beyond [`QUANTITY_LIMIT`] are left
/// out, as [`line_fits`] has it). Polars' Decimal arithmetic makes a 16-byte
/// column per step over a million lines; this makes none. The few lines found
/// are then checked again, and reported, with polars expressions.
fn lines_maybe_off(lines: &DataFrame, tolerance: i128) -> PolarsResult<Vec<IdxSize>> {
    let quantity = lines.column("quantity")?.i64()?.rechunk();
    let money = |name: &str| -> PolarsResult<Int64Chunked> {
        Ok(lines.column(name)?.i64()?.rechunk().into_owned())
    };
    let (price, discount, total) = (
        money("unit_price")?,
        money("discount")?,
        money("line_total")?,
    );
    let (q, p, d, t) = (
        quantity.downcast_as_array(),
        price.downcast_as_array(),
        discount.downcast_as_array(),
        total.downcast_as_array(),
    );
    let off = |i: usize| -> bool {
        let (Some(q), Some(p), Some(t)) = (q.get(i), p.get(i), t.get(i)) else {
            return false;
        };
        line_off(q, p, d.get(i).unwrap_or(0), t, tolerance)
    };
    // Without a null in any of the four columns (the usual case) the values
    // are read straight from their slices.
    let full = [&*quantity, &price, &discount, &total]
        .iter()
        .all(|c| c.null_count() == 0);
    let n = lines.height();
    let pieces: Vec<Vec<IdxSize>> = (0..n.div_ceil(PIECE))
        .into_par_iter()
        .map(|k| {
            let rows = k * PIECE..((k + 1) * PIECE).min(n);
            match (
                full,
                q.values().get(rows.clone()),
                p.values().get(rows.clone()),
            ) {
                (true, Some(qs), Some(ps)) => {
                    let ds = d.values().get(rows.clone()).unwrap_or(&[]);
                    let ts = t.values().get(rows.clone()).unwrap_or(&[]);
                    let values = qs.iter().zip(ps).zip(ds).zip(ts);
                    values
                        .enumerate()
                        .filter(|&(_, (((&q, &p), &d), &t))| line_off(q, p, d, t, tolerance))
                        .map(|(j, _)| (rows.start + j) as IdxSize)
                        .collect()
                }
                _ => rows.filter(|&i| off(i)).map(|i| i as IdxSize).collect(),
            }
        })
        .collect();
    Ok(pieces.concat())
}

/// Whether a line of quantity `q`, price `p`, discount `d` and total `t`
/// (mantissas) is off by more than `tolerance`; a line beyond the limits is
/// not looked at. The limits are tested together, and the product and
/// difference are worked out in 128 bits, where even the largest `i64`
/// values cannot overflow.
#[inline(always)]
fn line_off(q: i64, p: i64, d: i64, t: i64, tolerance: i128) -> bool {
    let fits = |m: i64| (-MONEY_LIMIT < m) & (m < MONEY_LIMIT);
    let within = (0..QUANTITY_LIMIT).contains(&q) & (p >= 0) & fits(p) & fits(d) & fits(t);
    let difference = i128::from(t) - (i128::from(q) * i128::from(p) - i128::from(d));
    within & ((difference > tolerance) | (difference < -tolerance))
}

fn check_lines(ctx: &Context<'_>) -> PolarsResult<Vec<Finding>> {
    let Some(lines) = ctx.data.table(Entity::OrderLines) else {
        return Ok(Vec::new());
    };
    // One pass finds the few lines that are off; polars checks and reports them.
    let maybe_off = lines.take(&IdxCa::from_vec(
        "_maybe_off".into(),
        lines_maybe_off(lines, tolerance(ctx))?,
    ))?;
    let maybe_off = with_decimals(&maybe_off, &[])?;
    let flagged = maybe_off
        .lazy()
        .filter(
            emit::tainted(ctx)
                .not()
                .and(col("line_total").is_not_null())
                .and(col("quantity").is_not_null())
                .and(col("unit_price").is_not_null())
                .and(col("quantity").gt_eq(lit(0)))
                .and(col("unit_price").to_physical().gt_eq(lit(0i128)))
                .and(line_fits())
                // One predicate: only the flagged rows are ever copied.
                .and(beyond(col("line_total") - computed_line(), tolerance(ctx))),
        )
        .with_column(computed_line().alias("_expected"))
        .collect()?;
    let cols = [
        "line_total",
        "_expected",
        "quantity",
        "unit_price",
        "discount",
        "order_id",
        "line_no",
        "sku",
        "_line_no_derived",
    ];
    let mut out = Vec::new();
    for hit in emit::hits(&flagged, &cols)? {
        let text = |i: usize| hit.get(i).unwrap_or("?");
        let formula = match hit.get(4) {
            Some(d) => format!(
                "quantity × unit price − discount = {} × {} − {d}",
                text(2),
                text(3)
            ),
            None => format!("quantity × unit price = {} × {}", text(2), text(3)),
        };
        let get = |f: &str| cols.iter().position(|c| *c == f).and_then(|i| hit.get(i));
        let key = key_text(Entity::OrderLines, hit.get(8) == Some("true"), &get);
        let mut draft = Draft::new(
            LINE_TOTAL.id,
            LINE_TOTAL.category,
            Entity::OrderLines,
            hit.source,
            hit.row,
        )
        .field("line_total")
        .message(format!(
            "line total {} is not {formula} = {}.",
            text(0),
            text(1)
        ))
        .value(hit.get(0))
        .expected(hit.get(1));
        if let Some(k) = key {
            draft = draft.key(k);
        }
        out.push(draft.build(ctx));
    }
    Ok(out)
}

/// Order ids of an order_lines source's rejected rows (their key is
/// `ORDER_ID/LINE`): every prefix before a `/`, since an id may hold one.
fn rejected_orders(ctx: &Context<'_>, line_sources: &[u32]) -> Vec<String> {
    ctx.data
        .rejects
        .iter()
        .filter(|r| line_sources.contains(&r.source))
        .filter_map(|r| r.key.as_deref())
        .flat_map(|k| k.match_indices('/').map(move |(i, _)| k[..i].to_string()))
        .collect()
}

fn check_orders(ctx: &Context<'_>) -> PolarsResult<Vec<Finding>> {
    let (Some(orders), Some(lines)) = (
        ctx.data.table(Entity::Orders),
        ctx.data.table(Entity::OrderLines),
    ) else {
        return Ok(Vec::new());
    };
    let mut out = Vec::new();
    for src in ctx
        .data
        .sources_of(Entity::Orders)
        .filter(|s| s.has("total"))
    {
        let line_sources: Vec<u32> = ctx
            .data
            .sources_of(Entity::OrderLines)
            .filter(|l| l.region == src.region)
            .map(|l| l.id)
            .collect();
        if line_sources.is_empty() {
            continue;
        }
        let rejected = Series::new("_rejected".into(), rejected_orders(ctx, &line_sources));
        // One row per order: its first row's total, tax and shipping.
        let per_order = orders
            .clone()
            .lazy()
            .filter(col("_source").eq(lit(src.id)))
            .with_column(emit::tainted(ctx).alias("_tainted"))
            // Groups keep the frame's order, so first() is the first row.
            .sort(["_row"], SortMultipleOptions::default())
            .group_by([col("order_id")])
            .agg([
                col("_row").first(),
                col("total").first(),
                col("tax").first(),
                col("shipping").first(),
                col("_tainted").any(false).alias("_order_tainted"),
            ])
            .filter(
                col("order_id")
                    .is_not_null()
                    .and(col("total").is_not_null())
                    .and(col("_order_tainted").not())
                    .and(
                        col("order_id")
                            .is_in(lit(rejected).implode(false), false)
                            .not(),
                    )
                    .and(money_fits("total"))
                    .and(money_fits("tax"))
                    .and(money_fits("shipping")),
            );
        // A line's amount: its total, else quantity × price − discount; null
        // (so the order is skipped) when a value is out of range or missing.
        let amount = when(col("line_total").is_not_null())
            .then(col("line_total").cast(DataType::Int128))
            .otherwise(computed_mantissa());
        let sources = lit(Series::new("_sources".into(), line_sources)).implode(false);
        let per_lines = lines
            .clone()
            .lazy()
            .filter(col("_source").is_in(sources, false))
            // Out-of-range rows are nulled first, so no product can overflow.
            .with_columns(
                ["quantity", "unit_price", "discount", "line_total"]
                    .map(|c| when(line_fits()).then(col(c)).otherwise(lit(NULL)).alias(c)),
            )
            .with_columns([
                emit::tainted(ctx).alias("_tainted"),
                amount.alias("_amount"),
            ])
            .group_by([col("order_id")])
            .agg([
                col("_amount").sum().alias("_lines_sum"),
                col("_amount").null_count().alias("_unknown"),
                col("_tainted").any(false).alias("_lines_tainted"),
                len().alias("_lines"),
            ]);
        let flagged = per_order
            .join(
                per_lines,
                [col("order_id")],
                [col("order_id")],
                JoinArgs::new(JoinType::Inner),
            )
            .filter(col("_unknown").eq(lit(0)).and(col("_lines_tainted").not()))
            .with_column(
                (col("_lines_sum")
                    + col("tax").cast(DataType::Int128).fill_null(lit(0i128))
                    + col("shipping").cast(DataType::Int128).fill_null(lit(0i128)))
                .alias("_expected"),
            )
            .filter(beyond(
                col("total").cast(DataType::Int128) - col("_expected"),
                tolerance(ctx),
            ))
            .with_column(lit(src.id).cast(DataType::UInt32).alias("_source"))
            .collect()?;
        // Sums are mantissas in Int128: shown as amounts.
        let flagged = with_decimals(&flagged, &["_expected", "_lines_sum"])?;
        let cols = [
            "total",
            "_expected",
            "_lines_sum",
            "tax",
            "shipping",
            "_lines",
            "order_id",
        ];
        for hit in emit::hits(&flagged, &cols)? {
            let text = |i: usize| hit.get(i).unwrap_or("?");
            let lines_word = if hit.get(5) == Some("1") {
                "line"
            } else {
                "lines"
            };
            let mut sum = format!("its {} {lines_word} {}", text(5), text(2));
            if let Some(tax) = hit.get(3) {
                sum.push_str(&format!(" + tax {tax}"));
            }
            if let Some(shipping) = hit.get(4) {
                sum.push_str(&format!(" + shipping {shipping}"));
            }
            let mut draft = Draft::new(
                ORDER_TOTAL.id,
                ORDER_TOTAL.category,
                Entity::Orders,
                hit.source,
                hit.row,
            )
            .field("total")
            .message(format!(
                "order total {} is not the sum of {sum} = {}.",
                text(0),
                text(1)
            ))
            .value(hit.get(0))
            .expected(hit.get(1));
            if let Some(id) = hit.get(6) {
                draft = draft.key(id);
            }
            out.push(draft.build(ctx));
        }
    }
    Ok(out)
}

#[cfg(test)]
mod tests;
