//! `offsheet ingest`: canonical tables and rejects written as Parquet (read back
//! with polars, types checked), CSV and XLSX; counts and sums checked against an
//! independent computation from the source files; `--strict` writes nothing.

use std::collections::BTreeSet;
use std::fs::File;

use polars::prelude::*;
use rust_decimal::Decimal;

use crate::support::{TestDir, repo, run};

fn example() -> std::path::PathBuf {
    repo().join("examples/acme-retail")
}

/// Invoice rows and their amounts, read with the csv crate alone: every row
/// whose order and date cells hold values a person would accept.
fn invoices_by_hand() -> (usize, Decimal, BTreeSet<u32>) {
    let mut r = csv::ReaderBuilder::new()
        .from_path(example().join("finance/invoices.csv"))
        .unwrap();
    let mut rows = 0;
    let mut sum = Decimal::ZERO;
    let mut rejected = BTreeSet::new();
    for (i, rec) in r.records().enumerate() {
        let rec = rec.unwrap();
        let line = i as u32 + 2;
        let order = rec.get(1).unwrap_or("").trim();
        let date = rec.get(2).unwrap_or("").trim();
        let valid_date = chrono::NaiveDate::parse_from_str(date, "%d/%m/%Y").is_ok();
        if order.is_empty() || !valid_date {
            rejected.insert(line);
            continue;
        }
        rows += 1;
        let amount: Decimal = rec.get(3).unwrap().replace(',', "").parse().unwrap();
        sum += amount;
    }
    (rows, sum, rejected)
}

#[test]
fn parquet_tables_read_back_with_their_types_and_the_right_totals() {
    let t = TestDir::new();
    let out = t.join("out");
    let (code, stdout, err) = run(t
        .offsheet()
        .args(["ingest", "--quiet"])
        .arg(example())
        .arg("--out")
        .arg(&out));
    assert_eq!(code, 0, "{stdout}{err}");
    let read = |name: &str| {
        ParquetReader::new(File::open(out.join(format!("{name}.parquet"))).unwrap())
            .finish()
            .unwrap()
    };

    let invoices = read("invoices");
    let (rows, sum, rejected) = invoices_by_hand();
    assert_eq!(invoices.height(), rows);
    let got: Decimal = invoices
        .column("amount")
        .unwrap()
        .decimal()
        .unwrap()
        .physical()
        .iter()
        .flatten()
        .map(|m| Decimal::from_i128_with_scale(m, 6))
        .sum();
    assert_eq!(got, sum);
    assert_eq!(
        invoices.column("amount").unwrap().dtype(),
        &DataType::Decimal(38, 6)
    );
    assert_eq!(
        invoices.column("invoiced_at").unwrap().dtype(),
        &DataType::Date
    );
    assert_eq!(invoices.column("paid").unwrap().dtype(), &DataType::Boolean);
    assert_eq!(
        invoices
            .column("source_file")
            .unwrap()
            .str()
            .unwrap()
            .get(0),
        Some("finance/invoices.csv")
    );
    assert_eq!(
        invoices.column("source_sheet").unwrap().null_count(),
        invoices.height()
    );

    let rejects = read("rejects");
    let invoice_rejects: BTreeSet<u32> = rejects
        .column("source_file")
        .unwrap()
        .str()
        .unwrap()
        .iter()
        .zip(rejects.column("source_row").unwrap().u32().unwrap().iter())
        .filter(|(f, _)| *f == Some("finance/invoices.csv"))
        .filter_map(|(_, r)| r)
        .collect();
    assert_eq!(invoice_rejects, rejected);

    let lines = read("order_lines");
    assert_eq!(lines.column("quantity").unwrap().dtype(), &DataType::Int64);
    assert_eq!(
        lines.column("unit_price").unwrap().dtype(),
        &DataType::Decimal(38, 6)
    );
    let orders = read("orders");
    assert_eq!(
        orders.column("order_date").unwrap().dtype(),
        &DataType::Date
    );
    assert_eq!(
        orders.column("updated_at").unwrap().dtype(),
        &DataType::Datetime(TimeUnit::Milliseconds, None)
    );
    // The OMS export has one order per row: 127 rows, all kept.
    let oms = orders
        .column("source_file")
        .unwrap()
        .str()
        .unwrap()
        .iter()
        .filter(|f| *f == Some("oms/orders_export.csv"))
        .count();
    let by_hand = std::fs::read_to_string(example().join("oms/orders_export.csv"))
        .unwrap()
        .lines()
        .count()
        - 1;
    assert_eq!(oms, by_hand);
    // Each row of a table fed by several sources names its own file and sheet.
    let sheet_of = |file: &str| -> BTreeSet<Option<&str>> {
        let files = orders.column("source_file").unwrap().str().unwrap();
        let sheets = orders.column("source_sheet").unwrap().str().unwrap();
        files
            .iter()
            .zip(sheets.iter())
            .filter(|(f, _)| *f == Some(file))
            .map(|(_, s)| s)
            .collect()
    };
    assert_eq!(
        sheet_of("Orders Tracker.xlsx"),
        BTreeSet::from([Some("Orders")])
    );
    assert_eq!(sheet_of("oms/orders_export.csv"), BTreeSet::from([None]));
    // Unmapped columns are kept as extra fields, never dropped.
    let extra = lines.column("extra").unwrap().str().unwrap();
    assert!(extra.iter().flatten().any(|e| e.contains("\"Margin %\"")));
    // Input files are never written to; ingest reports what it wrote.
    assert!(stdout.contains("rejects"), "{stdout}");
}

#[test]
fn csv_and_xlsx_outputs_hold_the_same_rows() {
    let t = TestDir::new();
    let (code, _, err) = run(t
        .offsheet()
        .args(["ingest", "-q"])
        .arg(example())
        .args(["--out", "csv", "--format", "csv"]));
    assert_eq!(code, 0, "{err}");
    let inv = std::fs::read_to_string(t.join("csv/inventory.csv")).unwrap();
    let by_hand = std::fs::read_to_string(example().join("oms/inventory_export.csv"))
        .unwrap()
        .lines()
        .count()
        - 1;
    assert_eq!(inv.lines().count() - 1, by_hand);
    assert!(
        inv.starts_with(
            "source_file,source_sheet,source_row,sku,location,on_hand,allocated,as_of,extra"
        ),
        "{inv}"
    );

    let (code, _, err) = run(t
        .offsheet()
        .args(["ingest", "-q"])
        .arg(example())
        .args(["--out", "x", "--format", "xlsx"]));
    assert_eq!(code, 0, "{err}");
    use calamine::{Reader, Xlsx, open_workbook};
    let mut wb: Xlsx<_> = open_workbook(t.join("x/canonical.xlsx")).unwrap();
    assert_eq!(
        wb.sheet_names(),
        [
            "orders",
            "order_lines",
            "inventory",
            "stock_counts",
            "shipments",
            "invoices",
            "rejects"
        ]
    );
    let range = wb.worksheet_range("inventory").unwrap();
    assert_eq!(range.height() - 1, by_hand);
}

#[test]
fn strict_mode_writes_nothing_when_a_row_is_rejected() {
    let t = TestDir::new();
    t.write(
        "orders.csv",
        "Order ID,Order Date,Status\nSO-1,2026-11-02,placed\nSO-2,31/02/2026,placed\n",
    );
    let (code, _, err) = run(t
        .offsheet()
        .args(["ingest", ".", "--out", "out", "--strict"]));
    assert_eq!(code, 1);
    assert!(!t.join("out").exists());
    assert!(
        err.contains("rejected orders.csv row 3 (orders): B3: day 31 does not exist in February"),
        "{err}"
    );
    assert!(
        err.contains("--strict: 1 row rejected; nothing was written"),
        "{err}"
    );
    // Without rejects, strict writes the tables.
    t.write(
        "orders.csv",
        "Order ID,Order Date,Status\nSO-1,2026-11-02,placed\n",
    );
    let (code, _, err) = run(t
        .offsheet()
        .args(["ingest", ".", "--out", "out", "--strict", "-q"]));
    assert_eq!(code, 0, "{err}");
    assert!(t.join("out/orders.parquet").is_file());
    // The output folder is not read back as a source on the next run.
    let (_, out, _) = run(t.offsheet().args(["scan", ".", "--format", "json"]));
    assert!(!out.contains("out/orders"), "{out}");
}

#[test]
fn legacy_workbooks_read_the_same_dates_in_both_date_systems() {
    // fixtures/legacy/orders.xls and orders_1904.xls hold the same orders, saved
    // in the 1900 and the 1904 date systems.
    let t = TestDir::new();
    let legacy = repo().join("fixtures/legacy");
    let (code, _, err) = run(t
        .offsheet()
        .args(["ingest", "-q"])
        .arg(&legacy)
        .args(["--out", "out", "--format", "csv"]));
    assert_eq!(code, 0, "{err}");
    let orders = std::fs::read_to_string(t.join("out/orders.csv")).unwrap();
    let dates = |file: &str| -> Vec<String> {
        orders
            .lines()
            .filter(|l| l.starts_with(file))
            .map(|l| l.split(',').nth(4).unwrap_or("").to_string())
            .collect()
    };
    assert_eq!(
        dates("orders.xls,"),
        ["2026-11-03", "2026-11-04", "2026-11-05"]
    );
    assert_eq!(dates("orders_1904.xls,"), dates("orders.xls,"));
    // Identifiers keep their leading zeros.
    assert!(orders.contains("orders.xls,Orders,3,0017,"), "{orders}");
}

#[test]
fn ingest_is_idempotent() {
    let t = TestDir::new();
    for out in ["a", "b"] {
        let (code, _, err) = run(t
            .offsheet()
            .args(["ingest", "-q"])
            .arg(example())
            .args(["--out", out, "--format", "csv"]));
        assert_eq!(code, 0, "{err}");
    }
    for table in [
        "orders",
        "order_lines",
        "inventory",
        "stock_counts",
        "shipments",
        "invoices",
        "rejects",
    ] {
        let a = std::fs::read(t.join(&format!("a/{table}.csv"))).unwrap();
        let b = std::fs::read(t.join(&format!("b/{table}.csv"))).unwrap();
        assert!(a == b, "{table}.csv differs between two runs");
    }
}
