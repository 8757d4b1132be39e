//! Turning the parsed, kept rows of one feed into its canonical frame: the
//! provenance columns, every field (derived line numbers and shipment ids where
//! the source has none), the row's unmapped cells, and the helper key columns.

use std::collections::HashMap;

use polars::prelude::*;
use rayon::prelude::*;

use crate::mapping::plan::{Feed, RegionPlan};
use crate::model::{Entity, Field};
use crate::source::Sheet;
use crate::source::layout::TableRegion;

use super::canonical::schema;
use super::cells::{ParsedColumn, Values, raw_text};
use super::kept::KeptRows;
use super::values::{Keep, key_form};

/// Everything a feed's frame is made from, besides its parsed columns. No
/// cell of the sheet is needed any more: its cells may be released first.
pub struct Kept<'k> {
    pub feed: &'k Feed,
    pub entity: Entity,
    pub source: u32,
    pub fields: &'k [&'static Field],
    /// Display row of each record.
    pub display: Vec<u32>,
    /// The records kept (not rejected).
    pub keep: &'k KeptRows,
}

/// The unmapped cells of each kept row (`rows` are the grid rows of the
/// records), as a JSON object (header → text): the `_extra` column.
pub fn extra_columns(
    sheet: &Sheet,
    region: &TableRegion,
    rp: &RegionPlan,
    rows: &[u32],
    keep: &KeptRows,
) -> Column {
    let mapped: std::collections::HashSet<u32> = rp
        .feeds
        .iter()
        .flat_map(|f| f.columns.iter().map(|c| c.col))
        .collect();
    let extra: Vec<(u32, String)> = region
        .columns
        .iter()
        .filter(|c| !mapped.contains(&c.col))
        .map(|c| {
            let name = if c.header.is_empty() {
                format!("column {}", crate::source::a1::column_letter(c.col))
            } else {
                c.header.clone()
            };
            (c.col, name)
        })
        .collect();
    if extra.is_empty() {
        return Column::full_null("_extra".into(), keep.len(), &DataType::String);
    }
    let values: Vec<Option<String>> = keep
        .iter()
        .map(|i| {
            let r = rows[i] as usize;
            let mut obj = serde_json::Map::new();
            for (col, name) in &extra {
                let cell = sheet.grid.get(r, *col as usize);
                if !cell.is_empty() {
                    obj.insert(name.clone(), serde_json::Value::String(raw_text(cell)));
                }
            }
            (!obj.is_empty()).then(|| serde_json::Value::Object(obj).to_string())
        })
        .collect();
    Column::new("_extra".into(), values)
}

/// The frame of the kept rows. Derived columns are made first; then each
/// parsed column is converted and dropped in turn, so a large feed does not
/// hold its parsed values and their polars copy at the same time.
pub fn frame(
    k: Kept<'_>,
    parsed: Vec<Option<ParsedColumn>>,
    extras: Column,
) -> PolarsResult<DataFrame> {
    let (entity, source, fields, keep, feed) = (k.entity, k.source, k.fields, k.keep, k.feed);
    let n = keep.len();
    let derived_line_no = (entity == Entity::OrderLines && feed.column_of("line_no").is_none())
        .then(|| line_numbers(fields, &parsed, keep).into_column_at("line_no", Keep::All))
        .transpose()?;
    let derived_shipment = (entity == Entity::Shipments && feed.column_of("shipment_id").is_none())
        .then(|| shipment_ids(fields, &parsed, keep).into_column_at("shipment_id", Keep::All))
        .transpose()?;
    // The fields whose trimmed, case-folded key columns the rules join on.
    let keyed_fields: &[&str] = match entity {
        Entity::OrderLines => &["sku"],
        Entity::Inventory | Entity::StockCounts => &["sku", "location"],
        _ => &[],
    };
    let mut cols: Vec<Column> = Vec::with_capacity(fields.len() + 6);
    // Constant within a feed: one value, not one per row.
    cols.push(Column::new_scalar(
        "_source".into(),
        Scalar::new(DataType::UInt32, AnyValue::UInt32(source)),
        n,
    ));
    // The display rows kept: a block move per run of rows kept in order.
    let rows = keep.apply(k.display);
    cols.push(UInt32Chunked::from_vec("_row".into(), rows).into_column());
    // Each parsed column is converted from its kept rows and then dropped, the
    // columns side by side on the thread pool.
    let at = keep.as_keep();
    let derived = derived_line_no.is_some();
    let (mut line_no, mut shipment_id) = (derived_line_no, derived_shipment);
    // A key column is made in the same task as its field's column.
    let converted: Vec<(Option<Column>, Option<Column>)> = fields
        .par_iter()
        .zip(parsed.into_par_iter())
        .map(|(f, p)| {
            let key_name = format!("_{}_key", f.name);
            let key = match (keyed_fields.contains(&f.name), &p) {
                (false, _) => None,
                (true, Some(p)) if p.values.in_key_form() => Some(Shared),
                (true, p) => Some(Built(keyed(&key_name, p.as_ref().map(|p| &p.values), keep))),
            };
            let column = p.map(|p| p.values.into_column_at(f.name, at)).transpose()?;
            let key = match (key, &column) {
                (Some(Shared), Some(c)) => Some(c.clone().with_name(key_name.as_str().into())),
                (Some(Built(k)), _) => Some(k),
                _ => None,
            };
            Ok((column, key))
        })
        .collect::<PolarsResult<_>>()?;
    let (converted, keys): (Vec<Option<Column>>, Vec<Option<Column>>) =
        converted.into_iter().unzip();
    let keys: Vec<Column> = keyed_fields
        .iter()
        .filter_map(|name| {
            fields
                .iter()
                .position(|f| f.name == *name)
                .and_then(|i| keys[i].clone())
        })
        .collect();
    for (f, column) in fields.iter().zip(converted) {
        cols.push(match column {
            Some(c) => c,
            None => match f.name {
                "line_no" if line_no.is_some() => line_no.take().unwrap_or_default(),
                "shipment_id" if shipment_id.is_some() => shipment_id.take().unwrap_or_default(),
                _ => Column::full_null(f.name.into(), n, &super::canonical::dtype(f.ty)),
            },
        });
    }
    cols.push(extras);
    let mut keys = keys.into_iter();
    match entity {
        Entity::OrderLines => {
            cols.extend(keys.next());
            cols.push(Column::new_scalar(
                "_line_no_derived".into(),
                Scalar::new(DataType::Boolean, AnyValue::Boolean(derived)),
                n,
            ));
        }
        Entity::Inventory | Entity::StockCounts => cols.extend(keys),
        _ => {}
    }
    debug_assert_eq!(cols.len(), schema(entity).len());
    DataFrame::new(n, cols)
}

/// How a key column is had: the field's own column when every value is
/// already in key form, else built.
enum KeyColumn {
    Shared,
    Built(Column),
}
use KeyColumn::{Built, Shared};

/// A trimmed, upper-cased key column (`_sku_key`, `_location_key`), built
/// straight into polars (no string per row).
fn keyed(key: &str, values: Option<&Values>, keep: &KeptRows) -> Column {
    let Some(values) = values else {
        return Column::full_null(key.into(), keep.len(), &DataType::String);
    };
    let mut builder = StringChunkedBuilder::new(key.into(), keep.len());
    let mut scratch = String::new();
    for i in keep.iter() {
        match values.text(i) {
            // Most values are their own key already: no copy to fold.
            Some(t) if key_form(t.as_bytes()) => builder.append_value(&t),
            Some(t) => {
                let t = crate::source::grid::trimmed(&t);
                scratch.clear();
                if t.is_ascii() {
                    scratch.push_str(t);
                    scratch.make_ascii_uppercase();
                } else {
                    scratch.push_str(&t.to_uppercase());
                }
                builder.append_value(&scratch);
            }
            None => builder.append_null(),
        }
    }
    builder.finish().into_series().into_column()
}

/// Line numbers from position within each order (1, 2, 3 in row order).
fn line_numbers(
    fields: &[&'static Field],
    parsed: &[Option<ParsedColumn>],
    keep: &KeptRows,
) -> Values {
    let pos = fields.iter().position(|f| f.name == "order_id");
    let ids = pos.and_then(|p| parsed.get(p)).and_then(|p| p.as_ref());
    // Keyed by the id text as read (borrowed, no string per row).
    let mut seen: HashMap<std::borrow::Cow<'_, str>, i64> = HashMap::new();
    Values::Int(
        keep.iter()
            .map(|i| {
                let id = ids.and_then(|p| p.values.text(i)).unwrap_or_default();
                let n = seen.entry(id).or_insert(0);
                *n += 1;
                Some(*n)
            })
            .collect(),
    )
}

/// A shipment id where the source has none: its tracking number, else order/n.
fn shipment_ids(
    fields: &[&'static Field],
    parsed: &[Option<ParsedColumn>],
    keep: &KeptRows,
) -> Values {
    let col = |name: &str| {
        fields
            .iter()
            .position(|f| f.name == name)
            .and_then(|p| parsed.get(p))
            .and_then(|p| p.as_ref())
    };
    let (tracking, order) = (col("tracking_no"), col("order_id"));
    let mut seen: HashMap<String, usize> = HashMap::new();
    Values::Text(
        keep.iter()
            .map(|i| {
                if let Some(t) = tracking.and_then(|p| p.values.text(i)) {
                    return Some(std::borrow::Cow::Owned(t.into_owned()));
                }
                let o = order.and_then(|p| p.values.text(i))?.into_owned();
                let n = seen.entry(o.clone()).or_insert(0);
                *n += 1;
                Some(std::borrow::Cow::Owned(format!("{o}/{n}")))
            })
            .collect(),
    )
}
