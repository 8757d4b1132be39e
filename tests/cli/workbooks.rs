//! Fixture workbooks built with rust_xlsxwriter, each small and named after what
//! it exercises.

use std::path::Path;

use rust_xlsxwriter::{ExcelDateTime, Format, Formula, Workbook};

/// An ops tracker as people keep them: a merged title on row 1, a note on row 2,
/// the header on row 3, order rows with a formula column, one `#REF!` error cell,
/// a hidden row and a hidden column, a number and a date typed as text, a blank
/// row, then a "Total" row of SUM formulas; a pivot-like "Summary" sheet of
/// COUNTIF formulas and a hidden "Lists" sheet.
pub fn tracker(path: &Path) {
    let mut wb = Workbook::new();
    let date = Format::new().set_num_format("yyyy-mm-dd");
    let ws = wb.add_worksheet();
    ws.set_name("Orders").unwrap();
    ws.merge_range(0, 0, 0, 6, "Acme — order tracker", &Format::new())
        .unwrap();
    ws.write(1, 0, "Maintained by Janet. Do not sort!").unwrap();
    for (c, h) in [
        "Order #",
        "Ord Date",
        "Item SKU",
        "Qty",
        "Unit Price",
        "Line Total",
        "Margin %",
    ]
    .iter()
    .enumerate()
    {
        ws.write(2, c as u16, *h).unwrap();
    }
    let rows: [(&str, u8, &str, f64, f64); 5] = [
        ("0017", 3, "TNT-2P-GRN", 2.0, 149.5),
        ("0018", 4, "BAG-30L-BLK", 1.0, 89.0),
        ("0019", 5, "STV-1B-STL", 3.0, 39.99),
        ("0020", 6, "TNT-2P-GRN", 1.0, 149.5),
        ("0021", 7, "LMP-HD-200", 4.0, 24.0),
    ];
    for (i, (id, day, sku, qty, price)) in rows.iter().enumerate() {
        let r = 3 + i as u32;
        ws.write(r, 0, *id).unwrap();
        ws.write_datetime_with_format(
            r,
            1,
            ExcelDateTime::from_ymd(2026, 11, *day).unwrap(),
            &date,
        )
        .unwrap();
        ws.write(r, 2, *sku).unwrap();
        ws.write(r, 3, *qty).unwrap();
        ws.write(r, 4, *price).unwrap();
        let total = qty * price;
        ws.write_formula(
            r,
            5,
            Formula::new(format!("=D{0}*E{0}", r + 1)).set_result(total.to_string()),
        )
        .unwrap();
        ws.write(r, 6, 0.3).unwrap();
    }
    // Row 6 (Excel) holds a quantity typed as text and row 7 a date typed as text.
    ws.write(5, 3, "3").unwrap();
    ws.write(6, 1, "6 Nov 2026").unwrap();
    // F8 refers to a deleted column: Excel shows #REF!.
    ws.write_formula(7, 5, Formula::new("=#REF!*E8").set_result("#REF!"))
        .unwrap();
    ws.set_row_hidden(4).unwrap();
    ws.set_column_hidden(6).unwrap();
    // Row 9 blank, row 10 totals.
    ws.write(9, 0, "Total").unwrap();
    ws.write_formula(9, 5, Formula::new("=SUM(F4:F8)").set_result("690.47"))
        .unwrap();
    let summary = wb.add_worksheet();
    summary.set_name("Summary").unwrap();
    summary.write(0, 0, "Row Labels").unwrap();
    summary.write(0, 1, "Count of Order #").unwrap();
    for (i, sku) in ["TNT-2P-GRN", "BAG-30L-BLK", "STV-1B-STL"]
        .iter()
        .enumerate()
    {
        let r = 1 + i as u32;
        summary.write(r, 0, *sku).unwrap();
        summary
            .write_formula(
                r,
                1,
                Formula::new(format!("=COUNTIF(Orders!C:C,A{})", r + 1)).set_result("1"),
            )
            .unwrap();
    }
    let lists = wb.add_worksheet();
    lists.set_name("Lists").unwrap();
    lists.write(0, 0, "Status").unwrap();
    lists.write(1, 0, "placed").unwrap();
    lists.set_hidden(true);
    wb.save(path).unwrap();
}

/// A shipments log whose dates come in three layouts in one column: real date
/// cells, ISO text and "d mon y" text.
pub fn mixed_dates(path: &Path) {
    let mut wb = Workbook::new();
    let date = Format::new().set_num_format("dd/mm/yyyy");
    let ws = wb.add_worksheet();
    ws.set_name("Log").unwrap();
    for (c, h) in ["Shipment", "Order", "Ship Date", "Carrier", "Tracking #"]
        .iter()
        .enumerate()
    {
        ws.write(0, c as u16, *h).unwrap();
    }
    for i in 0..4u32 {
        let r = i + 1;
        ws.write(r, 0, format!("SH-{r}")).unwrap();
        ws.write(r, 1, format!("SO-{}", 100 + r)).unwrap();
        ws.write(r, 3, "DHL").unwrap();
        ws.write(r, 4, format!("JD0000{r}")).unwrap();
    }
    ws.write_datetime_with_format(1, 2, ExcelDateTime::from_ymd(2026, 11, 2).unwrap(), &date)
        .unwrap();
    ws.write_datetime_with_format(2, 2, ExcelDateTime::from_ymd(2026, 11, 3).unwrap(), &date)
        .unwrap();
    ws.write(3, 2, "2026-11-04").unwrap();
    ws.write(4, 2, "5 Nov 2026").unwrap();
    wb.save(path).unwrap();
}
