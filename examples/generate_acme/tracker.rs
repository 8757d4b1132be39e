//! `Orders Tracker.xlsx`, the ops team's shadow sheet: a titled "Orders" sheet
//! with one row per order line (order fields on the first line only), formula
//! totals, a hidden margin column, hidden rows and a totals row; a pivot-like
//! "Summary" sheet and a hidden "Lists" sheet feeding the dropdowns.

use std::path::Path;

use rust_xlsxwriter::{DataValidation, Formula, Worksheet};

use crate::grid::{
    Cached, Cell, Formats, Hazards, Layout, Override, Res, Spot, TRACKER, column_letter,
    overridden, put, save, text_date_format, workbook,
};
use crate::plants::Plan;
use crate::world::{Order, World};

mod summary;

pub const SHEET: &str = "Orders";
pub const COLUMNS: [&str; 17] = [
    "Order #",
    "Ord Date",
    "Customer",
    "Cust. Email",
    "Channel",
    "Cur",
    "Status",
    "Owner",
    "Last Updated",
    "Item SKU",
    "Description",
    "Qty",
    "Unit Price",
    "Disc.",
    "Line Total",
    "Order Total",
    "Margin %",
];
const HEADER_ROW: u32 = 3;
const FIRST_DATA_ROW: u32 = 4;
const COL_STATUS: usize = 6;
const COL_QTY: usize = 11;
const COL_PRICE: usize = 12;
const COL_DISC: usize = 13;
const COL_LINE_TOTAL: usize = 14;
const COL_ORDER_TOTAL: usize = 15;
const COL_MARGIN: u16 = 16;
/// The line total formula; `{r}` is the row it sits on.
const LINE_TOTAL: &str = "=L{r}*M{r}-N{r}";

/// One written row of the Orders sheet.
struct Row {
    anchor: String,
    key: String,
    order: String,
    cells: Vec<Cell>,
}

/// The cells of one order line before any plant touches them.
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
        order_cell(Cell::DateTime(order.updated_at)),
        Cell::text(&line.sku),
        Cell::text(&line.description),
        Cell::Number(line.qty as f64),
        Cell::Money(line.price_cents),
        if line.discount_cents > 0 {
            Cell::Money(line.discount_cents)
        } else {
            Cell::Blank
        },
        Cell::Formula {
            text: LINE_TOTAL.to_string(),
            cached: Cached::Number(0.0),
        },
        order_cell(Cell::Formula {
            text: String::new(),
            cached: Cached::Number(0.0),
        }),
        Cell::Percent(line.margin_pct as f64 / 100.0),
    ]
}

fn apply(cells: &mut [Cell], overrides: &[Override], anchor: &str) {
    for (i, column) in COLUMNS.iter().enumerate() {
        if let (Some(cell), Some(slot)) = (
            overridden(overrides, TRACKER, anchor, column),
            cells.get_mut(i),
        ) {
            *slot = cell.clone();
        }
    }
}

/// The rows of the Orders sheet, in entry order, with the plants applied.
fn rows(world: &World, plan: &Plan) -> Vec<Row> {
    let mut out = Vec::new();
    for order in world.orders.iter().filter(|o| o.in_tracker) {
        for (n, line) in order.lines.iter().enumerate() {
            let anchor = format!("{}/{}", order.id, line.sku);
            let mut cells = line_cells(order, n);
            if n == 0 {
                apply(&mut cells, &plan.overrides, &order.id);
            }
            apply(&mut cells, &plan.overrides, &anchor);
            let key = match cells.get(9) {
                Some(Cell::Text(sku)) if !sku.trim().is_empty() => format!("{}/{sku}", order.id),
                _ => format!("{}/line {}", order.id, n + 1),
            };
            if plan.tracker_duplicates.contains(&anchor) {
                out.push(Row {
                    anchor: anchor.clone(),
                    key: key.clone(),
                    order: order.id.clone(),
                    cells: cells.clone(),
                });
                out.push(Row {
                    anchor: format!("{anchor}#2"),
                    key,
                    order: order.id.clone(),
                    cells,
                });
            } else {
                out.push(Row {
                    anchor,
                    key,
                    order: order.id.clone(),
                    cells,
                });
            }
        }
    }
    out
}

/// A cell's value in Excel arithmetic: blank is 0, numeric text coerces,
/// other text is #VALUE!.
fn numeric(cell: Option<&Cell>) -> Result<f64, &'static str> {
    match cell {
        None | Some(Cell::Blank) => Ok(0.0),
        Some(Cell::Number(n)) | Some(Cell::Percent(n)) => Ok(*n),
        Some(Cell::Money(c)) => Ok(*c as f64 / 100.0),
        Some(Cell::Text(s)) => s.trim().parse().map_err(|_| "#VALUE!"),
        Some(Cell::Formula { cached, .. }) => match cached {
            Cached::Number(n) => Ok(*n),
            Cached::Error(e) => Err(e),
        },
        Some(Cell::Date(_)) | Some(Cell::DateTime(_)) => Err("#VALUE!"),
    }
}

fn cents(x: f64) -> f64 {
    (x * 100.0).round() / 100.0
}

/// Fills in what Excel would have cached for the line and order total formulas
/// (a planted formula keeps the result the plant gave it).
fn evaluate(rows: &mut [Row]) {
    for row in rows.iter_mut() {
        let value = (|| {
            let q = numeric(row.cells.get(COL_QTY))?;
            let p = numeric(row.cells.get(COL_PRICE))?;
            let d = numeric(row.cells.get(COL_DISC))?;
            Ok::<f64, &'static str>(cents(q * p - d))
        })();
        if let Some(Cell::Formula { text, cached }) = row.cells.get_mut(COL_LINE_TOTAL)
            && text == LINE_TOTAL
        {
            *cached = match value {
                Ok(v) => Cached::Number(v),
                Err(e) => Cached::Error(e),
            };
        }
    }
    let mut start = 0;
    while start < rows.len() {
        let order = rows.get(start).map(|r| r.order.clone()).unwrap_or_default();
        let end = rows
            .iter()
            .skip(start)
            .position(|r| r.order != order)
            .map_or(rows.len(), |n| start + n);
        let total = rows
            .get(start..end)
            .unwrap_or_default()
            .iter()
            .map(|r| numeric(r.cells.get(COL_LINE_TOTAL)))
            .sum::<Result<f64, _>>();
        let first = FIRST_DATA_ROW + start as u32;
        let last = FIRST_DATA_ROW + end as u32 - 1;
        if let Some(Cell::Formula { text, cached }) = rows
            .get_mut(start)
            .and_then(|r| r.cells.get_mut(COL_ORDER_TOTAL))
        {
            *text = format!("=SUM(O{first}:O{last})");
            *cached = match total {
                Ok(v) => Cached::Number(cents(v)),
                Err(e) => Cached::Error(e),
            };
        }
        start = end;
    }
}

pub struct Written {
    pub layout: Layout,
    pub hazards: Vec<Hazards>,
    pub spots: Vec<Spot>,
}

pub fn write(dir: &Path, world: &World, plan: &Plan) -> Res<Written> {
    let mut rows = rows(world, plan);
    evaluate(&mut rows);
    let last = FIRST_DATA_ROW + rows.len() as u32 - 1;

    let mut wb = workbook("Janet Price", "Order tracker", "2026-11-27T16:30:00Z")?;
    let fmt = Formats::new("dd/mm/yyyy");
    let mut layout = Layout::new(TRACKER, Some(SHEET), &COLUMNS);
    let mut hazards = Hazards::new(TRACKER, Some(SHEET));
    let mut spots = Vec::new();

    let ws = wb.add_worksheet().set_name(SHEET)?;
    let last_col = (COLUMNS.len() - 1) as u16;
    ws.merge_range(
        0,
        0,
        0,
        last_col,
        "Acme Outdoor Supply — Order tracker",
        &fmt.title,
    )?;
    let title = format!("A1:{}1", column_letter(COLUMNS.len() - 1));
    hazards.merged_cells.push(title.clone());
    spots.push(Spot::new(
        "merged_title",
        TRACKER,
        Some(SHEET),
        &title,
        "title merged across the table: above the header row, not data",
    ));
    ws.write_string_with_format(
        1,
        0,
        "Maintained by Janet. Do not sort! New orders go at the bottom.",
        &fmt.note,
    )?;
    spots.push(Spot::new(
        "note_row",
        TRACKER,
        Some(SHEET),
        "A2",
        "a note above the header row, not data",
    ));
    for (i, h) in COLUMNS.iter().enumerate() {
        ws.write_string_with_format(HEADER_ROW - 1, i as u16, *h, &fmt.header)?;
    }
    spots.push(Spot::new(
        "header_row",
        TRACKER,
        Some(SHEET),
        format!("A{HEADER_ROW}:Q{HEADER_ROW}"),
        "the header is on row 3, under a title and a note",
    ));

    for (i, row) in rows.iter().enumerate() {
        let r = FIRST_DATA_ROW + i as u32;
        for (c, cell) in row.cells.iter().enumerate() {
            put(ws, &fmt, &mut hazards, (r, c as u16), cell, None)?;
            layout.note_value(r, c, cell);
        }
        layout.place(&row.anchor, r, &row.key);
        if !layout.rows.contains_key(&row.order) {
            layout.place(&row.order, r, &row.order);
        }
        if plan.hidden_orders.contains(&row.order) {
            ws.set_row_hidden(r - 1)?;
            hazards.hidden_rows.push(r);
        }
    }
    date_formats(&rows, &mut hazards);
    continuation_spot(&rows, &mut spots);

    ws.set_column_hidden(COL_MARGIN)?;
    hazards
        .hidden_columns
        .push(column_letter(usize::from(COL_MARGIN)));
    spots.push(Spot::new(
        "hidden_column",
        TRACKER,
        Some(SHEET),
        "Q:Q",
        "hidden internal Margin % column: maps to no canonical field",
    ));

    totals_row(ws, &fmt, &mut hazards, &rows, last, &mut spots)?;
    dropdowns(ws, last)?;
    ws.set_freeze_panes(HEADER_ROW, 1)?;
    for (c, w) in [
        (0u16, 11.0),
        (1, 11.0),
        (3, 26.0),
        (8, 16.0),
        (9, 15.0),
        (10, 30.0),
    ] {
        ws.set_column_width(c, w)?;
    }

    let summary = summary::summary(wb.add_worksheet(), &fmt, &rows, last)?;
    spots.push(Spot::new(
        "summary_sheet",
        TRACKER,
        Some("Summary"),
        "",
        "pivot-like counts and sums by status (formulas): no table of records",
    ));
    let lists = summary::lists(wb.add_worksheet())?;
    spots.push(Spot::new(
        "lists_sheet",
        TRACKER,
        Some("Lists"),
        "",
        "hidden sheet with the dropdown values (statuses, owners): no table of records",
    ));

    save(&mut wb, dir, TRACKER)?;
    Ok(Written {
        layout,
        hazards: vec![hazards, summary, lists],
        spots,
    })
}

/// Column B mixes real date cells with dates typed as text.
fn date_formats(rows: &[Row], hazards: &mut Hazards) {
    let mut formats = Vec::new();
    for row in rows {
        let name = match row.cells.get(1) {
            Some(Cell::Date(_)) => Some("date cells dd/mm/yyyy"),
            Some(Cell::Text(s)) => text_date_format(s),
            _ => None,
        };
        if let Some(name) = name
            && !formats.contains(&name.to_string())
        {
            formats.push(name.to_string());
        }
    }
    if formats.len() > 1 {
        hazards
            .several_date_formats
            .insert("B".to_string(), formats);
    }
}

/// Names the first multi-line order's continuation rows (order fields blank).
fn continuation_spot(rows: &[Row], spots: &mut Vec<Spot>) {
    let Some(start) = rows.windows(2).position(|w| w[0].order == w[1].order) else {
        return;
    };
    let order = rows.get(start).map(|r| r.order.clone()).unwrap_or_default();
    let count = rows
        .iter()
        .skip(start)
        .take_while(|r| r.order == order)
        .count();
    let first = FIRST_DATA_ROW + start as u32 + 1;
    let last = FIRST_DATA_ROW + (start + count) as u32 - 1;
    let mut spot = Spot::new(
        "continuation_rows",
        TRACKER,
        Some(SHEET),
        format!("B{first}:I{last}"),
        "continuation rows: order fields blank below an order's first line (filled down, as with \
        every multi-line order)",
    );
    spot.key = Some(order);
    spots.push(spot);
}

fn totals_row(
    ws: &mut Worksheet,
    fmt: &Formats,
    hazards: &mut Hazards,
    rows: &[Row],
    last: u32,
    spots: &mut Vec<Spot>,
) -> Res<()> {
    let r = last + 2;
    ws.write_string_with_format(r - 1, 0, "Total", &fmt.bold)?;
    let sum_of = |col: usize| -> f64 {
        rows.iter()
            .filter_map(|row| match row.cells.get(col) {
                Some(Cell::Number(n)) => Some(*n),
                Some(Cell::Money(c)) => Some(*c as f64 / 100.0),
                Some(Cell::Formula {
                    cached: Cached::Number(n),
                    ..
                }) => Some(*n),
                _ => None,
            })
            .sum()
    };
    let qty = Cell::Formula {
        text: format!("=SUM(L{FIRST_DATA_ROW}:L{last})"),
        cached: Cached::Number(sum_of(COL_QTY)),
    };
    put(ws, fmt, hazards, (r, COL_QTY as u16), &qty, Some(&fmt.bold))?;
    let value = Cell::Formula {
        text: format!("=SUM(P{FIRST_DATA_ROW}:P{last})"),
        cached: Cached::Number(cents(sum_of(COL_ORDER_TOTAL))),
    };
    put(
        ws,
        fmt,
        hazards,
        (r, COL_ORDER_TOTAL as u16),
        &value,
        Some(&fmt.bold_money),
    )?;
    spots.push(Spot::new(
        "totals_row",
        TRACKER,
        Some(SHEET),
        format!("A{r}:P{r}"),
        format!(
            "blank row {} then a Total row of SUM formulas: not data",
            last + 1
        ),
    ));
    Ok(())
}

fn dropdowns(ws: &mut Worksheet, last: u32) -> Res<()> {
    let statuses = DataValidation::new().allow_list_formula(Formula::new("=Lists!$A$2:$A$9"));
    ws.add_data_validation(
        FIRST_DATA_ROW - 1,
        COL_STATUS as u16,
        last - 1,
        COL_STATUS as u16,
        &statuses,
    )?;
    let owners = DataValidation::new().allow_list_formula(Formula::new("=Lists!$C$2:$C$5"));
    ws.add_data_validation(FIRST_DATA_ROW - 1, 7, last - 1, 7, &owners)?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn row(order: &str, qty: Cell, price: i64, line_total: Cell) -> Row {
        let mut cells = vec![Cell::Blank; COLUMNS.len()];
        cells[COL_QTY] = qty;
        cells[COL_PRICE] = Cell::Money(price);
        cells[COL_LINE_TOTAL] = line_total;
        Row {
            anchor: String::new(),
            key: String::new(),
            order: order.to_string(),
            cells,
        }
    }

    fn formula() -> Cell {
        Cell::Formula {
            text: LINE_TOTAL.to_string(),
            cached: Cached::Number(0.0),
        }
    }

    #[test]
    fn excel_arithmetic_coerces_numeric_text_only() {
        assert_eq!(numeric(Some(&Cell::text("2"))), Ok(2.0));
        assert_eq!(numeric(Some(&Cell::text("ten"))), Err("#VALUE!"));
        assert_eq!(numeric(Some(&Cell::Blank)), Ok(0.0));
        assert_eq!(numeric(Some(&Cell::Money(1995))), Ok(19.95));
    }

    #[test]
    fn totals_are_evaluated_and_errors_propagate() {
        let mut rows = vec![
            row("SO-1", Cell::Number(3.0), 2495, formula()),
            row("SO-1", Cell::text("2"), 1000, formula()),
            row(
                "SO-2",
                Cell::Number(1.0),
                500,
                Cell::Formula {
                    text: "=#REF!*M{r}-N{r}".to_string(),
                    cached: Cached::Error("#REF!"),
                },
            ),
        ];
        rows[0].cells[COL_ORDER_TOTAL] = formula();
        rows[2].cells[COL_ORDER_TOTAL] = formula();
        evaluate(&mut rows);
        assert_eq!(rows[0].cells[COL_LINE_TOTAL].shown(), "74.85");
        assert_eq!(rows[1].cells[COL_LINE_TOTAL].shown(), "20");
        assert_eq!(rows[2].cells[COL_LINE_TOTAL].shown(), "#REF!");
        assert_eq!(
            rows[0].cells[COL_ORDER_TOTAL],
            Cell::Formula {
                text: "=SUM(O4:O5)".to_string(),
                cached: Cached::Number(94.85)
            }
        );
        assert_eq!(rows[2].cells[COL_ORDER_TOTAL].shown(), "#REF!");
    }
}
