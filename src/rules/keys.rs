//! Duplicate keys within one source: the same order, order line, stock record,
//! count, shipment or invoice on two rows of one sheet. Copies across sources
//! are conflicting_copy, a different rule.

use polars::prelude::*;

use crate::findings::{Category, Finding, Severity};
use crate::model::Entity;
use crate::model::canonical::{decimal_column, is_money};

use super::emit::{self, Draft};
use super::{Context, Rule, RuleDoc};

pub const DUPLICATE_KEY: Rule = Rule {
    id: "keys.duplicate",
    category: Category::DuplicateKey,
    severity: Severity::Error,
    doc: RuleDoc {
        summary: "The same key twice in one source: an order, order line, stock record, count, shipment or invoice on two rows of the same sheet, either with different content or as an identical copy. The later row is flagged; the first is named in related.",
        why: "The OMS holds one record per key: importing both rows fails or silently keeps one of them, and whatever is added up from the sheet (revenue, stock, invoiced amounts) counts the record twice.",
        example: "Billing/invoices.xlsx › Invoices!A31: invoice INV-2291 appears again: row 18 has the same key with a different amount (1420.00 there, 1240.00 here).",
        fix: "Keep one row per key: delete a row entered twice; where the content differs, decide which row is right, or give the other row its own key if it is really another record.",
    },
    check,
};

/// How one entity's records are keyed within a source.
struct KeySpec {
    /// Key parts; a missing location is "the source's single location", so it
    /// is filled with "" and groups with the others.
    parts: Vec<Expr>,
    /// Rows whose required key parts are all present (a null key is
    /// missing_required, not a duplicate).
    present: Expr,
    /// What is hashed to find candidate repeats: the same rows agree on it
    /// as on `parts`, but it may be plain columns where `parts` derives some.
    hashed: Vec<Expr>,
}

/// How `entity`'s records are keyed; `df` is its table, whose derived line
/// numbers decide what is hashed.
fn spec(entity: Entity, df: &DataFrame) -> KeySpec {
    let mut spec = parts_of(entity);
    if entity == Entity::OrderLines
        && let Ok(derived) = df
            .column("_line_no_derived")
            .and_then(|c| c.bool().cloned())
        && derived.null_count() == 0
    {
        // Every source with line numbers, or every one without: plain columns.
        let plain = |second: &str| {
            (
                vec![col("order_id"), col(second)],
                col("order_id").is_not_null().and(col(second).is_not_null()),
            )
        };
        if derived.all() {
            (spec.hashed, spec.present) = plain("_sku_key");
        } else if !derived.any() {
            (spec.hashed, spec.present) = plain("line_no");
        }
    }
    spec
}

fn parts_of(entity: Entity) -> KeySpec {
    let location = || col("_location_key").fill_null(lit(""));
    let keyed = |parts: Vec<Expr>, present: Expr| KeySpec {
        hashed: parts.clone(),
        parts,
        present,
    };
    match entity {
        Entity::Orders => keyed(vec![col("order_id")], col("order_id").is_not_null()),
        Entity::OrderLines => {
            // A real line number where the source has one, the SKU otherwise.
            let derived = col("_line_no_derived");
            let line_no = when(derived.clone())
                .then(lit(NULL))
                .otherwise(col("line_no"));
            let sku = when(derived.clone())
                .then(col("_sku_key"))
                .otherwise(lit(NULL));
            let present = when(derived.clone())
                .then(col("_sku_key").is_not_null())
                .otherwise(col("line_no").is_not_null());
            keyed(
                vec![col("order_id"), derived, line_no, sku],
                col("order_id").is_not_null().and(present),
            )
        }
        Entity::Inventory => keyed(
            vec![col("_sku_key"), location()],
            col("_sku_key").is_not_null(),
        ),
        Entity::StockCounts => keyed(
            vec![col("_sku_key"), location(), col("counted_at")],
            col("_sku_key")
                .is_not_null()
                .and(col("counted_at").is_not_null()),
        ),
        Entity::Shipments => keyed(vec![col("shipment_id")], col("shipment_id").is_not_null()),
        Entity::Invoices => keyed(vec![col("invoice_id")], col("invoice_id").is_not_null()),
    }
}

/// Sources whose keys must be unique. An orders tracker sheet (a region that
/// also feeds order lines) repeats its order id on every line row by design;
/// shipments without a shipment_id column have derived ids only.
fn checked_sources(ctx: &Context<'_>, entity: Entity) -> Vec<u32> {
    let line_regions: Vec<u32> = ctx
        .data
        .sources_of(Entity::OrderLines)
        .map(|s| s.region)
        .collect();
    ctx.data
        .sources_of(entity)
        .filter(|s| match entity {
            Entity::Orders => !line_regions.contains(&s.region),
            Entity::Shipments => s.has("shipment_id"),
            _ => true,
        })
        .map(|s| s.id)
        .collect()
}

fn check(ctx: &Context<'_>) -> PolarsResult<Vec<Finding>> {
    let mut out = Vec::new();
    for entity in Entity::ALL {
        let Some(df) = ctx.data.table(entity) else {
            continue;
        };
        let sources = checked_sources(ctx, entity);
        if sources.is_empty() {
            continue;
        }
        let later = later_occurrences(ctx, df, &spec(entity, df), sources)?;
        out.extend(findings(ctx, entity, &later)?);
    }
    Ok(out)
}

/// Every occurrence of a key after its first in the same source, with the
/// first occurrence's columns (suffix `_first`) and its row `_first_row`.
///
/// A grouping over every key part row-encodes a million composite keys; hashing
/// the parts into one number first narrows the work to the rows whose hash is
/// seen twice, and only those are grouped exactly.
fn later_occurrences(
    ctx: &Context<'_>,
    df: &DataFrame,
    spec: &KeySpec,
    sources: Vec<u32>,
) -> PolarsResult<DataFrame> {
    let taking_part = repeats::taking_part(df, &spec.present, &sources, &ctx.data.tainted_rows())?;
    let positions = {
        // A table of one source holds it as a constant: nothing to hash.
        let one_source = df.column("_source")?.as_scalar_column().is_some();
        let mut parts = if one_source {
            Vec::new()
        } else {
            vec![col("_source")]
        };
        parts.extend(
            spec.hashed
                .iter()
                .enumerate()
                .map(|(i, e)| e.clone().alias(format!("_h{i}"))),
        );
        // Plain columns are selected without a copy.
        let hashed = df.clone().lazy().select(parts).collect()?;
        // Rows grouped by key (lines exported order by order) are compared
        // with their neighbours; any other order is searched by hash.
        match grouped::repeated_rows(&hashed, &taking_part)? {
            Some(found) => found,
            None => repeats::repeated_rows(&hashed, &taking_part)?,
        }
    };
    drop(taking_part);
    let positions = IdxCa::from_vec("_pos".into(), positions);
    let key_names: Vec<String> = (0..spec.parts.len()).map(|i| format!("_k{i}")).collect();
    let mut select = vec![col("_source"), col("_row"), col("_pos")];
    select.extend(
        spec.parts
            .iter()
            .zip(&key_names)
            .map(|(e, name)| e.clone().alias(name.as_str())),
    );
    let mut candidates = df.take(&positions)?;
    candidates.with_column(positions.into_column())?;
    let candidates = candidates.lazy().select(select);
    let names: Vec<Expr> = std::iter::once(col("_source"))
        .chain(key_names.iter().map(|n| col(n.as_str())))
        .collect();
    let repeated = candidates
        .clone()
        .group_by(names.clone())
        .agg([col("_row").min().alias("_first_row"), len().alias("_n")])
        .filter(col("_n").gt(lit(1)));
    let mut exact = JoinArgs::new(JoinType::Inner);
    exact.nulls_equal = true;
    let firsts = candidates.clone().select([
        col("_source"),
        col("_row").alias("_first_row"),
        col("_pos").alias("_first_pos"),
    ]);
    let later = candidates
        .join(repeated, names.clone(), names, exact)
        .filter(col("_row").neq(col("_first_row")))
        .select([col("_pos"), col("_source"), col("_first_row")])
        .join(
            firsts,
            [col("_source"), col("_first_row")],
            [col("_source"), col("_first_row")],
            JoinArgs::new(JoinType::Inner),
        )
        .sort(["_pos"], SortMultipleOptions::default())
        .collect()?;
    // Both rows of each pair taken out of the table by position, side by side.
    let mut out = df.take(later.column("_pos")?.idx()?)?;
    let first = df.take(later.column("_first_pos")?.idx()?)?;
    for column in first.columns() {
        let name = format!("{}_first", column.name());
        // Renamed, a money column is no longer known as one: shown as amounts now.
        let column = match is_money(column.name()) {
            true => decimal_column(column)?,
            false => column.clone(),
        };
        out.with_column(column.with_name(name.into()))?;
    }
    out.with_column(later.column("_first_row")?.clone())?;
    Ok(out)
}

fn findings(ctx: &Context<'_>, entity: Entity, later: &DataFrame) -> PolarsResult<Vec<Finding>> {
    let names: Vec<&'static str> = entity.fields().iter().map(|f| f.name).collect();
    let firsts: Vec<String> = names.iter().map(|n| format!("{n}_first")).collect();
    let mut cols: Vec<&str> = names.clone();
    cols.extend(firsts.iter().map(String::as_str));
    cols.push("_first_row");
    if entity == Entity::OrderLines {
        cols.push("_line_no_derived");
    }
    let n = names.len();
    let Some(cell) = entity.key_fields().next().map(|f| f.name) else {
        return Ok(Vec::new());
    };
    let mut out = Vec::new();
    for hit in emit::hits(later, &cols)? {
        let Some(source) = ctx.data.source(hit.source) else {
            continue;
        };
        let Some(first_row) = hit.get(2 * n).and_then(|r| r.parse::<u32>().ok()) else {
            continue;
        };
        let derived = hit.get(2 * n + 1) == Some("true");
        let get = |field: &str| {
            names
                .iter()
                .position(|f| *f == field)
                .and_then(|i| hit.get(i))
        };
        // (field, value on the first row, value here) of every content field
        // that differs.
        let differing: Vec<(&str, Option<&str>, Option<&str>)> = names
            .iter()
            .enumerate()
            .filter(|(_, f)| source.has(f) && !is_key(entity, derived, f))
            .map(|(i, f)| (*f, blank_is_none(hit.get(n + i)), blank_is_none(hit.get(i))))
            .filter(|(_, first, here)| first != here)
            .collect();
        let key = key_text(entity, derived, &get);
        let what = format!("{} {}", noun(entity), key.as_deref().unwrap_or("?"));
        let message = if differing.is_empty() {
            format!("{what} is entered twice: this row repeats row {first_row} exactly.")
        } else {
            format!(
                "{what} appears again: row {first_row} has the same key with a different {}.",
                describe(&differing)
            )
        };
        let mut draft = Draft::new(
            DUPLICATE_KEY.id,
            DUPLICATE_KEY.category,
            entity,
            hit.source,
            hit.row,
        )
        .field(cell)
        .message(message)
        .value(get(cell))
        .related(emit::location(ctx, hit.source, first_row, Some(cell)));
        if let Some(k) = key {
            draft = draft.key(k);
        }
        out.push(draft.build(ctx));
    }
    Ok(out)
}

/// "amount (1420.00 there, 1240.00 here)"; field names alone past three fields.
fn describe(differing: &[(&str, Option<&str>, Option<&str>)]) -> String {
    let parts: Vec<String> = differing
        .iter()
        .map(|(field, first, here)| {
            if differing.len() > 3 {
                field.to_string()
            } else {
                let show = |v: &Option<&str>| v.map_or("empty".to_string(), str::to_string);
                format!("{field} ({} there, {} here)", show(first), show(here))
            }
        })
        .collect();
    match parts.split_last() {
        Some((last, rest)) if !rest.is_empty() => format!("{} and {last}", rest.join(", ")),
        _ => parts.concat(),
    }
}

fn blank_is_none(v: Option<&str>) -> Option<&str> {
    v.map(str::trim).filter(|s| !s.is_empty())
}

/// Fields that make up the key (equal by construction, so not content).
fn is_key(entity: Entity, derived_line_no: bool, field: &str) -> bool {
    match entity {
        Entity::OrderLines => {
            field == "order_id" || field == "line_no" || (derived_line_no && field == "sku")
        }
        _ => entity.field(field).is_some_and(|f| f.key),
    }
}

/// How a person names a record of the entity in a message.
pub fn noun(entity: Entity) -> &'static str {
    match entity {
        Entity::Orders => "order",
        Entity::OrderLines => "order line",
        Entity::Inventory => "stock record",
        Entity::StockCounts => "count",
        Entity::Shipments => "shipment",
        Entity::Invoices => "invoice",
    }
}

/// A record's key as text (`SO-1042`, `SO-1042/2`, `SO-1042/TNT-2P`,
/// `TNT-2P @ MAIN`, `TNT-2P @ MAIN on 2026-11-20`), from its formatted
/// fields; `None` when the first key part is missing.
pub fn key_text<'a>(
    entity: Entity,
    derived_line_no: bool,
    get: &dyn Fn(&str) -> Option<&'a str>,
) -> Option<String> {
    let get = |field: &str| get(field).map(str::trim);
    let at = |sku: &str| match get("location") {
        Some(loc) => format!("{sku} @ {loc}"),
        None => sku.to_string(),
    };
    match entity {
        Entity::Orders => get("order_id").map(str::to_string),
        Entity::OrderLines => {
            let line = if derived_line_no {
                get("sku")
            } else {
                get("line_no")
            };
            get("order_id").map(|o| format!("{o}/{}", line.unwrap_or("?")))
        }
        Entity::Inventory => get("sku").map(at),
        Entity::StockCounts => get("sku").map(|s| match get("counted_at") {
            Some(d) => format!("{} on {d}", at(s)),
            None => at(s),
        }),
        Entity::Shipments => get("shipment_id").map(str::to_string),
        Entity::Invoices => get("invoice_id").map(str::to_string),
    }
}

mod grouped;
mod repeats;

#[cfg(test)]
mod tests;
