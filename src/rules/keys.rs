//! Duplicate keys within one source: the same order, order line, stock record,
//! count, shipment or invoice on two rows of one sheet. Copies across sources
//! are conflicting_copy, a different rule.

use polars::prelude::*;

use crate::findings::{Category, Finding, Severity};
use crate::model::Entity;
use crate::model::canonical::{row_id, row_id_expr};

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
        if derived.all() {
            spec.hashed = vec![col("order_id"), col("_sku_key")];
        } else if !derived.any() {
            spec.hashed = vec![col("order_id"), col("line_no")];
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

/// Every occurrence of a key after its first in the same source, joined with
/// the first occurrence's columns (suffix `_first`) and its row `_first_row`.
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
    let key_names: Vec<String> = (0..spec.parts.len()).map(|i| format!("_k{i}")).collect();
    let mut select = vec![col("_source"), col("_row")];
    select.extend(
        spec.parts
            .iter()
            .zip(&key_names)
            .map(|(e, name)| e.clone().alias(name.as_str())),
    );
    let sources = lit(Series::new("_sources".into(), sources)).implode(false);
    // Which rows take part, as a mask: the table is not copied to filter it.
    let eligible = df
        .clone()
        .lazy()
        .select([col("_source")
            .is_in(sources, false)
            .and(emit::tainted(ctx).not())
            .and(spec.present.clone())
            .alias("_eligible")])
        .collect()?;
    let eligible: Vec<bool> = eligible
        .column("_eligible")?
        .bool()?
        .iter()
        .map(|b| b == Some(true))
        .collect();
    let hash_names: Vec<String> = (0..spec.hashed.len()).map(|i| format!("_h{i}")).collect();
    let hashes = {
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
                .zip(&hash_names)
                .map(|(e, name)| e.clone().alias(name.as_str())),
        );
        // Plain columns are selected without a copy.
        let hashed = df.clone().lazy().select(parts).collect()?;
        key_hashes(&hashed)?
    };
    let mask = seen_twice(&hashes, &eligible);
    drop(hashes);
    let keyed = df.filter(&mask)?.lazy().select(select).collect()?;
    let names: Vec<Expr> = std::iter::once(col("_source"))
        .chain(key_names.iter().map(|n| col(n.as_str())))
        .collect();
    let candidates = keyed;
    let repeated = candidates
        .clone()
        .lazy()
        .group_by(names.clone())
        .agg([col("_row").min().alias("_first_row"), len().alias("_n")])
        .filter(col("_n").gt(lit(1)));
    let mut exact = JoinArgs::new(JoinType::Inner);
    exact.nulls_equal = true;
    let later = candidates
        .lazy()
        .join(repeated, names.clone(), names, exact)
        .filter(col("_row").neq(col("_first_row")))
        .select([col("_source"), col("_row"), col("_first_row")])
        .collect()?;
    // Both rows of each pair, taken out of the table before joining: the joins
    // then see a handful of rows, not the whole table.
    let sources = later.column("_source")?.u32()?;
    let rows = later.column("_row")?.u32()?;
    let firsts = later.column("_first_row")?.u32()?;
    let wanted: Vec<u64> = sources
        .iter()
        .zip(rows.iter().zip(firsts.iter()))
        .filter_map(|(s, (r, f))| Some([row_id(s?, r?), row_id(s?, f?)]))
        .flatten()
        .collect();
    let wanted = lit(Series::new("_wanted".into(), wanted)).implode(false);
    let involved = df.clone().lazy().filter(row_id_expr().is_in(wanted, false));
    let suffixed = JoinArgs::new(JoinType::Inner).with_suffix(Some("_first".into()));
    later
        .lazy()
        .join(
            involved.clone(),
            [col("_source"), col("_row")],
            [col("_source"), col("_row")],
            JoinArgs::new(JoinType::Inner),
        )
        .join(
            involved,
            [col("_source"), col("_first_row")],
            [col("_source"), col("_row")],
            suffixed,
        )
        .collect()
}

/// Which rows carry a hash that some other row carries too. A first pass
/// marks, in two bitmaps of a few MiB, the slots seen once and seen again; only
/// the hashes in a slot seen again (a few percent of rows) are sorted to find
/// the exact repeats. No hash table, no sort of every row.
fn seen_twice(hashes: &[u64], eligible: &[bool]) -> BooleanChunked {
    let bits = (hashes.len().max(1) * 16).next_power_of_two().max(64);
    let shift = 64 - bits.trailing_zeros();
    // Mixed first: the slot is taken from the top bits.
    let slot = |h: u64| (h.wrapping_mul(0x9E37_79B9_7F4A_7C15) >> shift) as usize;
    let taking_part = |i: usize| eligible.get(i).copied().unwrap_or(false);
    let mut once = vec![0u64; bits / 64];
    let mut again = vec![0u64; bits / 64];
    for (i, &h) in hashes.iter().enumerate() {
        if !taking_part(i) {
            continue;
        }
        let s = slot(h);
        let (word, bit) = (s / 64, 1u64 << (s % 64));
        // Without a branch: the outcome is a coin toss, a misprediction each.
        again[word] |= once[word] & bit;
        once[word] |= bit;
    }
    drop(once);
    let in_again = |h: u64| {
        let s = slot(h);
        again[s / 64] & (1u64 << (s % 64)) != 0
    };
    let mut maybe: Vec<u64> = hashes
        .iter()
        .enumerate()
        .filter(|&(i, &h)| taking_part(i) && in_again(h))
        .map(|(_, &h)| h)
        .collect();
    maybe.sort_unstable();
    let mut twice: Vec<u64> = maybe
        .windows(2)
        .filter(|w| w[0] == w[1])
        .map(|w| w[0])
        .collect();
    drop(maybe);
    twice.dedup();
    hashes
        .iter()
        .enumerate()
        .map(|(i, &h)| {
            !twice.is_empty() && taking_part(i) && in_again(h) && twice.binary_search(&h).is_ok()
        })
        .collect()
}

/// One hash per row over every column of `parts` (nulls hash alike, as they
/// group alike).
fn key_hashes(parts: &DataFrame) -> PolarsResult<Vec<u64>> {
    let state = PlSeedableRandomStateQuality::seed_from_u64(0);
    let mut hashes = Vec::with_capacity(parts.height());
    for (i, column) in parts.columns().iter().enumerate() {
        match i {
            0 => column.vec_hash(state.clone(), &mut hashes)?,
            _ => column.vec_hash_combine(state.clone(), &mut hashes)?,
        }
    }
    Ok(hashes)
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

#[cfg(test)]
mod tests;
