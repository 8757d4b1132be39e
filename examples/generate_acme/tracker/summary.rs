//! The tracker's side sheets: "Summary", a pivot-like block of COUNTIF/SUMIF
//! formulas by status (no table of records), and the hidden "Lists" sheet the
//! Status and Owner dropdowns read from.

use rust_xlsxwriter::{Format, Worksheet};

use super::{COL_ORDER_TOTAL, COL_STATUS, FIRST_DATA_ROW, Row, cents, numeric};
use crate::catalogue::OWNERS;
use crate::grid::{Cached, Cell, Formats, Hazards, Res, TRACKER, put};
use crate::world::Status;

/// The status a row of the Orders sheet shows (order rows only).
fn status_of(row: &Row) -> Option<&str> {
    match row.cells.get(COL_STATUS) {
        Some(Cell::Text(s)) => Some(s.as_str()),
        _ => None,
    }
}

/// Order counts and values by status, as COUNTIF/SUMIF formulas over the Orders sheet.
pub fn summary(ws: &mut Worksheet, fmt: &Formats, rows: &[Row], last: u32) -> Res<Hazards> {
    ws.set_name("Summary")?;
    let mut hazards = Hazards::new(TRACKER, Some("Summary"));
    ws.write_string_with_format(0, 0, "Order summary", &fmt.title)?;
    ws.write_string_with_format(
        1,
        0,
        "Counts by status from the Orders sheet (first line of each order).",
        &fmt.note,
    )?;
    for (c, h) in ["Row Labels", "Count of Order #", "Sum of Order Total"]
        .iter()
        .enumerate()
    {
        ws.write_string_with_format(3, c as u16, *h, &fmt.header)?;
    }
    let count_format = Format::new().set_num_format("0");
    let statuses: Vec<&str> = Status::ALL.iter().map(|s| s.tracker_label()).collect();
    let status_range = format!("Orders!$G${FIRST_DATA_ROW}:$G${last}");
    let total_range = format!("Orders!$P${FIRST_DATA_ROW}:$P${last}");
    let mut r = 5;
    for label in &statuses {
        let matching: Vec<&Row> = rows
            .iter()
            .filter(|row| status_of(row) == Some(*label))
            .collect();
        let value: f64 = matching
            .iter()
            .filter_map(|row| numeric(row.cells.get(COL_ORDER_TOTAL)).ok())
            .sum();
        ws.write_string(r - 1, 0, *label)?;
        let count = Cell::Formula {
            text: format!("=COUNTIF({status_range},A{r})"),
            cached: Cached::Number(matching.len() as f64),
        };
        put(ws, fmt, &mut hazards, (r, 1), &count, Some(&count_format))?;
        let sum = Cell::Formula {
            text: format!("=SUMIF({status_range},A{r},{total_range})"),
            cached: Cached::Number(cents(value)),
        };
        put(ws, fmt, &mut hazards, (r, 2), &sum, None)?;
        r += 1;
    }
    ws.write_string_with_format(r - 1, 0, "Grand Total", &fmt.bold)?;
    let rows_counted = rows
        .iter()
        .filter(|row| status_of(row).is_some_and(|s| statuses.contains(&s)))
        .collect::<Vec<_>>();
    let total_count = Cell::Formula {
        text: format!("=SUM(B5:B{})", r - 1),
        cached: Cached::Number(rows_counted.len() as f64),
    };
    put(
        ws,
        fmt,
        &mut hazards,
        (r, 1),
        &total_count,
        Some(&count_format),
    )?;
    let total_value: f64 = rows_counted
        .iter()
        .filter_map(|row| numeric(row.cells.get(COL_ORDER_TOTAL)).ok())
        .sum();
    let total_sum = Cell::Formula {
        text: format!("=SUM(C5:C{})", r - 1),
        cached: Cached::Number(cents(total_value)),
    };
    put(
        ws,
        fmt,
        &mut hazards,
        (r, 2),
        &total_sum,
        Some(&fmt.bold_money),
    )?;
    ws.set_column_width(0, 14)?;
    ws.set_column_width(1, 17)?;
    ws.set_column_width(2, 19)?;
    Ok(hazards)
}

/// The hidden sheet the Status and Owner dropdowns read from.
pub fn lists(ws: &mut Worksheet) -> Res<Hazards> {
    ws.set_name("Lists")?;
    ws.write_string(0, 0, "Status")?;
    for (i, s) in Status::ALL.iter().enumerate() {
        ws.write_string(i as u32 + 1, 0, s.tracker_label())?;
    }
    ws.write_string(0, 2, "Owner")?;
    for (i, o) in OWNERS.iter().enumerate() {
        ws.write_string(i as u32 + 1, 2, *o)?;
    }
    ws.set_hidden(true);
    let mut hazards = Hazards::new(TRACKER, Some("Lists"));
    hazards.hidden_sheet = true;
    Ok(hazards)
}
