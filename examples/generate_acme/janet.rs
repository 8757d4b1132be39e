//! `Orders Tracker (Janet's copy).xlsx`: the copy Janet took on 31 October and
//! kept editing. It holds the orders up to that day, without the Last Updated
//! and total columns, and merges each order's number down over its line rows.

use std::path::Path;

use rust_xlsxwriter::{Format, FormatAlign};

use crate::grid::{
    Cell, Formats, Hazards, JANET, Layout, Res, Spot, column_letter, overridden, put, save,
    workbook,
};
use crate::plants::Plan;
use crate::world::{Order, World};

pub const SHEET: &str = "Orders";
pub const COLUMNS: [&str; 13] = [
    "Order #",
    "Ord Date",
    "Customer",
    "Cust. Email",
    "Channel",
    "Cur",
    "Status",
    "Owner",
    "Item SKU",
    "Description",
    "Qty",
    "Unit Price",
    "Disc.",
];
const FIRST_DATA_ROW: u32 = 4;

fn line_cells(order: &Order, n: usize) -> Vec<Cell> {
    let Some(line) = order.lines.get(n) else {
        return Vec::new();
    };
    let first = n == 0;
    let order_cell = |c: Cell| if first { c } else { Cell::Blank };
    vec![
        Cell::text(&order.id),
        order_cell(Cell::Date(order.date)),
        order_cell(Cell::text(&order.customer_id)),
        order_cell(Cell::text(&order.email)),
        order_cell(Cell::text(order.channel)),
        order_cell(Cell::text(order.currency)),
        order_cell(Cell::text(order.status.tracker_label())),
        order_cell(order.owner.map_or(Cell::Blank, Cell::text)),
        Cell::text(&line.sku),
        Cell::text(&line.description),
        Cell::Number(line.qty as f64),
        Cell::Money(line.price_cents),
        if line.discount_cents > 0 {
            Cell::Money(line.discount_cents)
        } else {
            Cell::Blank
        },
    ]
}

pub struct Written {
    pub layout: Layout,
    pub hazards: Vec<Hazards>,
    pub spots: Vec<Spot>,
}

pub fn write(dir: &Path, world: &World, plan: &Plan) -> Res<Written> {
    let mut wb = workbook(
        "Janet Price",
        "Order tracker (Janet's copy)",
        "2026-11-20T15:10:00Z",
    )?;
    let fmt = Formats::new("dd/mm/yyyy");
    let merged_id = Format::new().set_align(FormatAlign::Top);
    let mut layout = Layout::new(JANET, Some(SHEET), &COLUMNS);
    let mut hazards = Hazards::new(JANET, Some(SHEET));
    let mut spots = Vec::new();

    let ws = wb.add_worksheet().set_name(SHEET)?;
    let last_col = COLUMNS.len() - 1;
    ws.merge_range(
        0,
        0,
        0,
        last_col as u16,
        "Acme Outdoor Supply — Order tracker (Janet's copy)",
        &fmt.title,
    )?;
    hazards
        .merged_cells
        .push(format!("A1:{}1", column_letter(last_col)));
    ws.write_string_with_format(
        1,
        0,
        "Copied from the shared tracker on 31 Oct 2026. My working list, totals removed.",
        &fmt.note,
    )?;
    for (i, h) in COLUMNS.iter().enumerate() {
        ws.write_string_with_format(2, i as u16, *h, &fmt.header)?;
    }

    let mut r = FIRST_DATA_ROW;
    let mut merges = Vec::new();
    for order in world.orders.iter().filter(|o| o.in_janet()) {
        let first = r;
        for (n, line) in order.lines.iter().enumerate() {
            let anchor = format!("{}/{}", order.id, line.sku);
            let mut cells = line_cells(order, n);
            for (c, column) in COLUMNS.iter().enumerate() {
                let hit = overridden(&plan.overrides, JANET, &anchor, column).or_else(|| {
                    (n == 0)
                        .then(|| overridden(&plan.overrides, JANET, &order.id, column))
                        .flatten()
                });
                if let (Some(cell), Some(slot)) = (hit, cells.get_mut(c)) {
                    *slot = cell.clone();
                }
            }
            for (c, cell) in cells.iter().enumerate().skip(1) {
                put(ws, &fmt, &mut hazards, (r, c as u16), cell, None)?;
            }
            for (c, cell) in cells.iter().enumerate() {
                if c == 0 && n > 0 {
                    continue;
                }
                layout.note_value(r, c, cell);
            }
            layout.place(&anchor, r, &anchor);
            if n == 0 {
                layout.place(&order.id, r, &order.id);
            }
            r += 1;
        }
        let last = r - 1;
        if last > first {
            ws.merge_range(first - 1, 0, last - 1, 0, &order.id, &merged_id)?;
            let range = format!("A{first}:A{last}");
            hazards.merged_cells.push(range.clone());
            merges.push((order.id.clone(), range));
        } else {
            ws.write_string(first - 1, 0, &order.id)?;
        }
    }
    for (order, range) in merges {
        let mut spot = Spot::new(
            "merged_order_cell",
            JANET,
            Some(SHEET),
            range,
            "order number merged down over the order's lines: filled down, the repeated value is \
            not a duplicate",
        );
        spot.key = Some(order);
        spots.push(spot);
    }
    ws.set_freeze_panes(3, 1)?;
    for (c, w) in [(0u16, 11.0), (1, 11.0), (3, 26.0), (8, 15.0), (9, 30.0)] {
        ws.set_column_width(c, w)?;
    }
    save(&mut wb, dir, JANET)?;
    Ok(Written {
        layout,
        hazards: vec![hazards],
        spots,
    })
}
