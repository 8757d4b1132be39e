//! Copies that diverged: the same record kept in two sources (Janet's copy of the
//! orders tracker and the OMS export, two stock sheets) with different values. One
//! finding per diverging copy, at its row, naming the other copies.

use std::collections::BTreeMap;

use polars::prelude::*;

use crate::findings::{Category, Finding, Location, Severity};
use crate::model::canonical::{SourceInfo, is_money};
use crate::model::{Entity, FieldType};

use super::emit::{Draft, location, value_at};
use super::{Context, Rule, RuleDoc};

pub const CONFLICTING_COPY: Rule = Rule {
    id: "copies.conflict",
    category: Category::ConflictingCopy,
    severity: Severity::Error,
    doc: RuleDoc {
        summary: "The same record (an order, an order line, a stock position, a count, a shipment, an invoice) is in two sources with different values in a field both sources hold.",
        why: "When two copies of a record disagree nobody knows which one is true; whichever the OMS imports, the other team keeps working from a wrong status, quantity or date. A value present in one copy and empty in the other is not a conflict.",
        example: "Orders Tracker.xlsx › Orders!G14 says order SO-1042 is \"packed\" while Orders Tracker (Janet's copy).xlsx › Orders!G9 says \"shipped\"; each copy gets a finding naming the other.",
        fix: "Decide which copy is right, correct the other one, and keep a single copy from then on (the adoption ledger tracks retiring the shadow sheet).",
    },
    check,
};

/// How two sources of an entity are joined: key columns (helper or trimmed
/// text), which may be null (location: NULL matches only NULL), and the fields
/// that are part of the key and so are never compared.
struct Plan {
    keys: Vec<(Expr, bool)>,
    key_fields: &'static [&'static str],
    /// Order lines keyed by line number rather than SKU.
    by_line: bool,
}

fn trimmed(name: &str) -> Expr {
    col(name).str().strip_chars(lit(NULL))
}

fn real_line_numbers(s: &SourceInfo) -> bool {
    s.has("line_no") && !s.derived_line_no
}

fn plan(entity: Entity, a: &SourceInfo, b: &SourceInfo) -> Option<Plan> {
    let (keys, key_fields, by_line) = match entity {
        Entity::Orders => (vec![(trimmed("order_id"), false)], &["order_id"][..], false),
        Entity::OrderLines if real_line_numbers(a) && real_line_numbers(b) => (
            vec![(trimmed("order_id"), false), (col("line_no"), false)],
            &["order_id", "line_no"][..],
            true,
        ),
        Entity::OrderLines => (
            vec![(trimmed("order_id"), false), (col("_sku_key"), false)],
            &["order_id", "line_no", "sku"][..],
            false,
        ),
        Entity::Inventory => (
            vec![(col("_sku_key"), false), (col("_location_key"), true)],
            &["sku", "location"][..],
            false,
        ),
        Entity::StockCounts => (
            vec![
                (col("_sku_key"), false),
                (col("_location_key"), true),
                (col("counted_at"), false),
            ],
            &["sku", "location", "counted_at"][..],
            false,
        ),
        Entity::Shipments if a.has("shipment_id") && b.has("shipment_id") => (
            vec![(trimmed("shipment_id"), false)],
            &["shipment_id"][..],
            false,
        ),
        Entity::Shipments => return None,
        Entity::Invoices => (
            vec![(trimmed("invoice_id"), false)],
            &["invoice_id"][..],
            false,
        ),
    };
    Some(Plan {
        keys,
        key_fields,
        by_line,
    })
}

/// The fields whose raw text makes up the key shown in findings.
fn key_display(entity: Entity) -> &'static [&'static str] {
    match entity {
        Entity::Orders => &["order_id"],
        Entity::OrderLines => &["order_id", "line_no", "sku"],
        Entity::Inventory => &["sku", "location"],
        Entity::StockCounts => &["sku", "location", "counted_at"],
        Entity::Shipments => &["shipment_id"],
        Entity::Invoices => &["invoice_id"],
    }
}

/// The key text of a record from its [`key_display`] values.
fn key_text(entity: Entity, by_line: bool, v: &[Option<String>]) -> String {
    let get = |i: usize| v.get(i).cloned().flatten().unwrap_or_default();
    let loc = |i: usize| v.get(i).cloned().flatten();
    match entity {
        Entity::OrderLines => line_key(&get(0), by_line.then(|| get(1)).as_deref(), &get(2)),
        Entity::Inventory => inventory_key(&get(0), loc(1).as_deref()),
        Entity::StockCounts => count_key(&get(0), loc(1).as_deref(), &get(2)),
        _ => get(0),
    }
}

/// `SO-1042/2`, or `SO-1042/TNT-2P` when the line has no real line number.
pub fn line_key(order_id: &str, line_no: Option<&str>, sku: &str) -> String {
    format!("{}/{}", order_id.trim(), line_no.unwrap_or(sku.trim()))
}

/// `TNT-2P @ MAIN`, or the SKU alone for a source with one location.
pub fn inventory_key(sku: &str, location: Option<&str>) -> String {
    match location {
        Some(l) => format!("{} @ {}", sku.trim(), l.trim()),
        None => sku.trim().to_string(),
    }
}

/// `TNT-2P @ MAIN on 2026-11-20`.
pub fn count_key(sku: &str, location: Option<&str>, counted_at: &str) -> String {
    format!("{} on {}", inventory_key(sku, location), counted_at)
}

/// The value a field is compared by: text trimmed, emails and currencies
/// case-folded, SKUs by their key; everything else exactly.
fn compared(entity: Entity, field: &str, ty: FieldType) -> Expr {
    match ty {
        _ if field == "sku" && entity == Entity::OrderLines => col("_sku_key"),
        FieldType::Text | FieldType::Status => trimmed(field),
        FieldType::Email => trimmed(field).str().to_lowercase(),
        FieldType::Currency => trimmed(field).str().to_uppercase(),
        _ => col(field),
    }
}

/// One side of a pair: the source's first occurrence of each key, untainted.
fn side(
    ctx: &Context<'_>,
    df: &DataFrame,
    entity: Entity,
    s: &SourceInfo,
    plan: &Plan,
    fields: &[&'static str],
    tag: &str,
) -> LazyFrame {
    let mut lf = df
        .clone()
        .lazy()
        .filter(col("_source").eq(lit(s.id)))
        .with_columns(
            plan.keys
                .iter()
                .enumerate()
                .map(|(i, (e, _))| e.clone().alias(format!("_k{i}")))
                .collect::<Vec<_>>(),
        );
    for (i, (_, nullable)) in plan.keys.iter().enumerate() {
        if !nullable {
            lf = lf.filter(col(format!("_k{i}")).is_not_null());
        }
    }
    let key_cols: Vec<Expr> = (0..plan.keys.len())
        .map(|i| col(format!("_k{i}")))
        .collect();
    let mut out: Vec<Expr> = key_cols.clone();
    out.push(col("_source").alias(format!("_source{tag}")));
    out.push(col("_row").alias(format!("_row{tag}")));
    for f in key_display(entity) {
        out.push(col(*f).alias(format!("_kd_{f}{tag}")));
    }
    for f in fields {
        let ty = entity.field(f).map_or(FieldType::Text, |d| d.ty);
        out.push(col(*f).alias(format!("{f}{tag}")));
        out.push(compared(entity, f, ty).alias(format!("_n_{f}{tag}")));
    }
    lf.sort(["_row"], SortMultipleOptions::default())
        .unique_stable_generic(Some(key_cols), UniqueKeepStrategy::First)
        .filter(ctx.data.clean_rows(entity))
        .select(out)
}

/// One field on which two copies differ: (field, this copy's value, the other's).
type Diff = (&'static str, Option<String>, Option<String>);

/// A copy that differs from the copy a finding is about.
struct Other {
    source: u32,
    row: u32,
    diffs: Vec<Diff>,
}

/// All the other copies a (source, row) differs from, and its key text.
#[derive(Default)]
struct Diverged {
    key: String,
    others: Vec<Other>,
}

fn check(ctx: &Context<'_>) -> PolarsResult<Vec<Finding>> {
    let mut copies: BTreeMap<(Entity, u32, u32), Diverged> = BTreeMap::new();
    for entity in Entity::ALL {
        let Some(df) = ctx.data.table(entity) else {
            continue;
        };
        let sources: Vec<&SourceInfo> = ctx.data.sources_of(entity).collect();
        for (i, a) in sources.iter().enumerate() {
            for b in &sources[i + 1..] {
                compare_pair(ctx, df, entity, a, b, &mut copies)?;
            }
        }
    }
    Ok(copies
        .into_iter()
        .filter_map(|((entity, source, row), copy)| finding(ctx, entity, source, row, copy))
        .collect())
}

/// Joins two sources of an entity on its key and records every key whose
/// copies differ, on both sides.
fn compare_pair(
    ctx: &Context<'_>,
    df: &DataFrame,
    entity: Entity,
    a: &SourceInfo,
    b: &SourceInfo,
    copies: &mut BTreeMap<(Entity, u32, u32), Diverged>,
) -> PolarsResult<()> {
    let Some(plan) = plan(entity, a, b) else {
        return Ok(());
    };
    let fields: Vec<&'static str> = entity
        .fields()
        .iter()
        .map(|f| f.name)
        .filter(|f| !plan.key_fields.contains(f) && a.has(f) && b.has(f))
        .collect();
    let Some(any_diff) = fields.iter().map(|f| differs(f)).reduce(|x, y| x.or(y)) else {
        return Ok(());
    };
    let key_cols: Vec<Expr> = (0..plan.keys.len())
        .map(|i| col(format!("_k{i}")))
        .collect();
    let mut args = JoinArgs::new(JoinType::Inner);
    args.nulls_equal = true;
    let mut flags: Vec<Expr> = fields
        .iter()
        .map(|f| differs(f).alias(format!("_d_{f}")))
        .collect();
    flags.push(any_diff.alias("_any"));
    let pairs = side(ctx, df, entity, a, &plan, &fields, "")
        .join(
            side(ctx, df, entity, b, &plan, &fields, "__b"),
            key_cols.clone(),
            key_cols,
            args,
        )
        .with_columns(flags)
        .filter(col("_any"))
        .sort(["_row"], SortMultipleOptions::default())
        .collect()?;
    // A side's columns are the field's name and a tag ("unit_price__b").
    let text = |name: String, i: usize| -> Option<String> {
        let money = is_money(name.strip_suffix("__b").unwrap_or(&name));
        value_at(pairs.column(&name).ok()?, i, money)
    };
    let number = |name: &str, i: usize| -> u32 {
        pairs
            .column(name)
            .ok()
            .and_then(|c| c.u32().ok().and_then(|c| c.get(i)))
            .unwrap_or(0)
    };
    for i in 0..pairs.height() {
        let flagged = |f: &str| {
            pairs
                .column(&format!("_d_{f}"))
                .ok()
                .and_then(|c| c.bool().ok().and_then(|c| c.get(i)))
                .unwrap_or(false)
        };
        let diffs: Vec<Diff> = fields
            .iter()
            .filter(|f| flagged(f))
            .map(|f| (*f, text(f.to_string(), i), text(format!("{f}__b"), i)))
            .collect();
        let shown = |tag: &str| -> Vec<Option<String>> {
            key_display(entity)
                .iter()
                .map(|f| text(format!("_kd_{f}{tag}"), i))
                .collect()
        };
        let (ra, rb) = (number("_row", i), number("_row__b", i));
        let swapped = diffs
            .iter()
            .map(|(f, x, y)| (*f, y.clone(), x.clone()))
            .collect();
        for (me, row, key, other) in [
            (a.id, ra, shown(""), (b.id, rb, diffs)),
            (b.id, rb, shown("__b"), (a.id, ra, swapped)),
        ] {
            let copy = copies.entry((entity, me, row)).or_default();
            copy.key = key_text(entity, plan.by_line, &key);
            copy.others.push(Other {
                source: other.0,
                row: other.1,
                diffs: other.2,
            });
        }
    }
    Ok(())
}

/// Both values present and unequal (after normalising).
fn differs(f: &str) -> Expr {
    let (x, y) = (col(format!("_n_{f}")), col(format!("_n_{f}__b")));
    x.clone()
        .is_not_null()
        .and(y.clone().is_not_null())
        .and(x.neq(y))
}

fn finding(
    ctx: &Context<'_>,
    entity: Entity,
    source: u32,
    row: u32,
    mut copy: Diverged,
) -> Option<Finding> {
    copy.others.sort_by_key(|o| (o.source, o.row));
    let order = |f: &str| entity.fields().iter().position(|d| d.name == f);
    let (field, mine, theirs) = copy
        .others
        .iter()
        .flat_map(|o| o.diffs.iter())
        .min_by_key(|(f, _, _)| order(f))
        .cloned()?;
    let mut parts: Vec<String> = Vec::new();
    let mut related: Vec<Location> = Vec::new();
    for o in &copy.others {
        let label = ctx
            .data
            .source(o.source)
            .map(|s| s.label())
            .unwrap_or_default();
        for (i, (f, x, y)) in o.diffs.iter().enumerate() {
            let there = if i == 0 {
                format!("in {label}")
            } else {
                "there".to_string()
            };
            parts.push(format!(
                "{} is {} here but {} {there}",
                f.replace('_', " "),
                x.as_deref().unwrap_or_default(),
                y.as_deref().unwrap_or_default()
            ));
        }
        let at = if o.diffs.iter().any(|(f, _, _)| *f == field) {
            Some(field)
        } else {
            o.diffs.first().map(|(f, _, _)| *f)
        };
        related.push(location(ctx, o.source, o.row, at));
    }
    let mut draft = Draft::new(
        CONFLICTING_COPY.id,
        Category::ConflictingCopy,
        entity,
        source,
        row,
    )
    .field(field)
    .key(copy.key)
    .message(parts.join("; "))
    .value(mine)
    .expected(theirs);
    draft.related = related;
    Some(draft.build(ctx))
}

#[cfg(test)]
mod tests;
