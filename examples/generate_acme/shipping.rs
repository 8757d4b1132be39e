//! `shipping/Shipments Log.xlsx`, the warehouse's dispatch log: one row per
//! parcel on a plain "Log" sheet with the header on row 1.

use std::path::Path;

use crate::documents::Shipment;
use crate::grid::{Cell, Formats, Hazards, Layout, Res, SHIPMENTS, put, save, workbook};

pub const SHEET: &str = "Log";
pub const COLUMNS: [&str; 6] = [
    "Shipment",
    "Order",
    "Ship Date",
    "Carrier",
    "Tracking #",
    "Warehouse",
];

pub fn write(dir: &Path, shipments: &[Shipment]) -> Res<(Layout, Hazards)> {
    let mut wb = workbook("Warehouse MAIN", "Shipments log", "2026-11-27T17:05:00Z")?;
    let fmt = Formats::new("dd.mm.yyyy");
    let mut layout = Layout::new(SHIPMENTS, Some(SHEET), &COLUMNS);
    let mut hazards = Hazards::new(SHIPMENTS, Some(SHEET));
    let ws = wb.add_worksheet().set_name(SHEET)?;
    for (i, h) in COLUMNS.iter().enumerate() {
        ws.write_string_with_format(0, i as u16, *h, &fmt.header)?;
    }
    for (i, s) in shipments.iter().enumerate() {
        let r = i as u32 + 2;
        let cells = [
            Cell::text(&s.id),
            Cell::text(&s.order),
            Cell::Date(s.date),
            Cell::text(s.carrier),
            Cell::text(&s.tracking),
            Cell::text(s.warehouse),
        ];
        for (c, cell) in cells.iter().enumerate() {
            put(ws, &fmt, &mut hazards, (r, c as u16), cell, None)?;
            layout.note_value(r, c, cell);
        }
        layout.place(&s.anchor, r, &s.id);
    }
    let last = shipments.len() as u32 + 1;
    ws.autofilter(0, 0, last - 1, (COLUMNS.len() - 1) as u16)?;
    ws.set_freeze_panes(1, 0)?;
    for (c, w) in [(0u16, 13.0), (1, 11.0), (2, 11.0), (4, 24.0), (5, 11.0)] {
        ws.set_column_width(c, w)?;
    }
    save(&mut wb, dir, SHIPMENTS)?;
    Ok((layout, hazards))
}
