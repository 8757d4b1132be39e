//! Turning the parsed, kept rows of one feed into its canonical frame: the
//! provenance columns, every field (derived line numbers and shipment ids where
//! the source has none), the row's unmapped cells, and the helper key columns.

use std::collections::HashMap;

use polars::prelude::*;

use crate::mapping::plan::{Feed, RegionPlan};
use crate::model::{Entity, Field};
use crate::source::Sheet;
use crate::source::layout::TableRegion;

use super::canonical::schema;
use super::cells::{ParsedColumn, Values, raw_text};

/// Everything a feed's frame is made from.
pub struct Kept<'k, 'a> {
    pub sheet: &'a Sheet,
    pub region: &'k TableRegion,
    pub rp: &'k RegionPlan,
    pub feed: &'k Feed,
    pub entity: Entity,
    pub source: u32,
    /// Grid rows of the feed's records.
    pub rows: &'k [u32],
    pub fields: &'k [&'static Field],
    pub parsed: &'k [Option<ParsedColumn<'a>>],
    /// Display row of each record.
    pub display: &'k [u32],
    /// Indices of the records kept (not rejected).
    pub keep: &'k [usize],
}

/// The unmapped cells of each kept row, as a JSON object (header → text).
fn extra_columns(k: &Kept<'_, '_>) -> Column {
    let (sheet, region, rp, rows, keep) = (k.sheet, k.region, k.rp, k.rows, k.keep);
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
    let values: Vec<Option<String>> = keep
        .iter()
        .map(|&i| {
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

pub fn frame(k: &Kept<'_, '_>) -> PolarsResult<DataFrame> {
    let (entity, source, fields, parsed, display, keep, feed) = (
        k.entity, k.source, k.fields, k.parsed, k.display, k.keep, k.feed,
    );
    let extras = extra_columns(k);
    let n = keep.len();
    let mut cols: Vec<Column> = Vec::new();
    cols.push(Column::new("_source".into(), vec![source; n]));
    cols.push(Column::new(
        "_row".into(),
        keep.iter().map(|&i| display[i]).collect::<Vec<u32>>(),
    ));
    let mut derived_line_no: Option<Values<'_>> = None;
    for (f, p) in fields.iter().zip(parsed) {
        let column = match p {
            Some(p) => p.values.select(keep).to_column(f.name)?,
            None if f.name == "line_no" && entity == Entity::OrderLines => {
                let v = line_numbers(fields, parsed, keep);
                let c = v.to_column("line_no")?;
                derived_line_no = Some(v);
                c
            }
            None if f.name == "shipment_id" && entity == Entity::Shipments => {
                shipment_ids(fields, parsed, keep).to_column("shipment_id")?
            }
            None => Column::full_null(f.name.into(), n, &super::canonical::dtype(f.ty)),
        };
        cols.push(column);
    }
    cols.push(extras);
    let keyed = |name: &str| -> Option<Vec<Option<String>>> {
        let pos = fields.iter().position(|f| f.name == name)?;
        let p = parsed.get(pos)?.as_ref()?;
        Some(
            keep.iter()
                .map(|&i| p.values.text(i).map(|t| t.trim().to_lowercase()))
                .collect(),
        )
    };
    match entity {
        Entity::OrderLines => {
            cols.push(Column::new(
                "_sku_key".into(),
                keyed("sku").unwrap_or_else(|| vec![None; n]),
            ));
            cols.push(Column::new(
                "_line_no_derived".into(),
                vec![derived_line_no.is_some() || feed.column_of("line_no").is_none(); n],
            ));
        }
        Entity::Inventory | Entity::StockCounts => {
            cols.push(Column::new(
                "_sku_key".into(),
                keyed("sku").unwrap_or_else(|| vec![None; n]),
            ));
            cols.push(Column::new(
                "_location_key".into(),
                keyed("location").unwrap_or_else(|| vec![None; n]),
            ));
        }
        _ => {}
    }
    debug_assert_eq!(cols.len(), schema(entity).len());
    DataFrame::new(n, cols)
}

/// Line numbers from position within each order (1, 2, 3 in row order).
fn line_numbers<'a>(
    fields: &[&'static Field],
    parsed: &[Option<ParsedColumn<'a>>],
    keep: &[usize],
) -> Values<'a> {
    let pos = fields.iter().position(|f| f.name == "order_id");
    let ids = pos.and_then(|p| parsed.get(p)).and_then(|p| p.as_ref());
    let mut seen: HashMap<String, i64> = HashMap::new();
    Values::Int(
        keep.iter()
            .map(|&i| {
                let id = ids
                    .and_then(|p| p.values.text(i))
                    .map(|t| t.into_owned())
                    .unwrap_or_default();
                let n = seen.entry(id).or_insert(0);
                *n += 1;
                Some(*n)
            })
            .collect(),
    )
}

/// A shipment id where the source has none: its tracking number, else order/n.
fn shipment_ids<'a>(
    fields: &[&'static Field],
    parsed: &[Option<ParsedColumn<'a>>],
    keep: &[usize],
) -> Values<'a> {
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
            .map(|&i| {
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
