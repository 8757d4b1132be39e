//! The OMS's own exports, the system of record: `oms/orders_export.csv` (one row
//! per order, UTF-8, comma, ISO dates) and `oms/inventory_export.csv` (one row
//! per SKU and location, UTF-8 with a BOM and CRLF line ends, as Windows tools
//! write it).

use std::collections::BTreeMap;
use std::path::Path;

use crate::documents::Stock;
use crate::grid::{
    Cell, Hazards, Layout, OMS_ORDERS, OMS_STOCK, Override, Res, csv_text, money, overridden,
    save_bytes,
};
use crate::world::{World, as_of};

pub const ORDER_COLUMNS: [&str; 10] = [
    "order_id",
    "order_date",
    "status",
    "customer_id",
    "customer_email",
    "channel",
    "currency",
    "total",
    "owner",
    "updated_at",
];

pub const STOCK_COLUMNS: [&str; 5] = ["sku", "location", "on_hand", "allocated", "as_of"];

/// Applies the plants' replacements to one CSV record.
pub fn apply(
    file: &str,
    columns: &[&str],
    anchor: &str,
    fields: &mut [String],
    overrides: &[Override],
) {
    for (i, column) in columns.iter().enumerate() {
        if let (Some(cell), Some(slot)) = (
            overridden(overrides, file, anchor, column),
            fields.get_mut(i),
        ) {
            *slot = cell.shown();
        }
    }
}

/// Notes what each field of a CSV record shows, by A1 reference.
pub fn note_fields(layout: &mut Layout, row: u32, fields: &[String]) {
    for (c, f) in fields.iter().enumerate() {
        layout.note_value(row, c, &Cell::text(f));
    }
}

fn dialect(file: &str, pairs: &[(&str, &str)]) -> Hazards {
    let mut h = Hazards::new(file, None);
    h.dialect = pairs
        .iter()
        .map(|(k, v)| (k.to_string(), v.to_string()))
        .collect::<BTreeMap<_, _>>();
    h
}

pub fn write_orders(dir: &Path, world: &World, overrides: &[Override]) -> Res<(Layout, Hazards)> {
    let mut layout = Layout::new(OMS_ORDERS, None, &ORDER_COLUMNS);
    let mut rows = Vec::new();
    for order in world.orders.iter().filter(|o| o.in_oms) {
        let mut fields = vec![
            order.id.clone(),
            order.date.format("%Y-%m-%d").to_string(),
            order.status.canonical().to_string(),
            order.customer_id.clone(),
            order.email.clone(),
            order.channel.to_string(),
            order.currency.to_string(),
            money(order.total_cents()),
            order.owner.unwrap_or("").to_string(),
            order.updated_at.format("%Y-%m-%dT%H:%M:%S").to_string(),
        ];
        apply(
            OMS_ORDERS,
            &ORDER_COLUMNS,
            &order.id,
            &mut fields,
            overrides,
        );
        let row = rows.len() as u32 + 2;
        layout.place(&order.id, row, &order.id);
        note_fields(&mut layout, row, &fields);
        rows.push(fields);
    }
    let text = csv_text(b',', false, &ORDER_COLUMNS, &rows)?;
    save_bytes(dir, OMS_ORDERS, text.as_bytes())?;
    let hazards = dialect(
        OMS_ORDERS,
        &[
            ("encoding", "UTF-8"),
            ("delimiter", ","),
            ("line_ends", "LF"),
            ("dates", "ISO yyyy-mm-dd, datetimes yyyy-mm-ddThh:mm:ss"),
        ],
    );
    Ok((layout, hazards))
}

pub fn write_stock(dir: &Path, stock: &[Stock], overrides: &[Override]) -> Res<(Layout, Hazards)> {
    let mut layout = Layout::new(OMS_STOCK, None, &STOCK_COLUMNS);
    let mut sorted: Vec<&Stock> = stock.iter().collect();
    sorted.sort_by(|a, b| (&a.sku, a.location).cmp(&(&b.sku, b.location)));
    let mut rows = Vec::new();
    for s in sorted {
        let anchor = format!("{}@{}", s.sku, s.location);
        let mut fields = vec![
            s.sku.clone(),
            s.location.to_string(),
            s.on_hand.to_string(),
            s.allocated.to_string(),
            as_of().format("%Y-%m-%d").to_string(),
        ];
        apply(OMS_STOCK, &STOCK_COLUMNS, &anchor, &mut fields, overrides);
        let row = rows.len() as u32 + 2;
        layout.place(&anchor, row, format!("{} @ {}", s.sku, s.location));
        note_fields(&mut layout, row, &fields);
        rows.push(fields);
    }
    let text = csv_text(b',', true, &STOCK_COLUMNS, &rows)?;
    let mut bytes = b"\xEF\xBB\xBF".to_vec();
    bytes.extend_from_slice(text.as_bytes());
    save_bytes(dir, OMS_STOCK, &bytes)?;
    let hazards = dialect(
        OMS_STOCK,
        &[
            ("encoding", "UTF-8 with BOM"),
            ("delimiter", ","),
            ("line_ends", "CRLF"),
            ("dates", "ISO yyyy-mm-dd"),
        ],
    );
    Ok((layout, hazards))
}
