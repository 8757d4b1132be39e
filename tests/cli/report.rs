//! `offsheet report`: the HTML page and the XLSX workbook on a small folder
//! with known findings: exact counts, escaped sheet values, the workbook read
//! back cell by cell, the same page twice, adoption, and exit codes.

use std::path::Path;

use calamine::{Reader, Xlsx, open_workbook};

use crate::support::{TestDir, run, tracker_config};

const ORDERS: &str = "order_id,order_date,status,currency\n\
SO-1,2026-10-01,placed,EUR\n\
SO-2,2026-10-02,<script>alert(\"x\")</script>,EUR\n\
SO-3,2026-10-03,shipped,EURO\n\
SO-4,2026-10-04,paid,EUR\n";

const INVENTORY: &str = "sku,location,on_hand,allocated\n\
A-1,MAIN,5,1\n\
A-2,MAIN,-2,0\n\
A-3,MAIN,4,6\n";

const SHIPMENTS: &str = "shipment_id,order_id,shipped_at,carrier,tracking_no\n\
SH-1,SO-3,2026-10-05,DHL,123\n";

/// Three files, four errors: a `<script>` status and a bad currency in
/// orders.csv, a negative on-hand and an oversold row in inventory.csv.
fn folder() -> TestDir {
    let t = TestDir::new();
    t.write("orders.csv", ORDERS);
    t.write("inventory.csv", INVENTORY);
    t.write("shipments.csv", SHIPMENTS);
    t
}

/// A sheet's cells as text, row by row (numbers as Excel shows them: 3, not 3.0).
fn sheet(path: &Path, name: &str) -> Vec<Vec<String>> {
    let mut wb: Xlsx<_> = open_workbook(path).expect("open readiness.xlsx");
    let range = wb.worksheet_range(name).expect("sheet");
    assert_eq!(range.start(), Some((0, 0)), "{name} starts at A1");
    range
        .rows()
        .map(|r| r.iter().map(|c| c.to_string()).collect())
        .collect()
}

fn report(t: &TestDir, args: &[&str]) -> (i32, String, String) {
    run(t
        .offsheet()
        .arg("report")
        .args(args)
        .args(["--as-of", "2026-10-10", "--quiet"]))
}

#[test]
fn the_report_shows_exact_counts_and_escapes_what_the_sheets_hold() {
    let t = folder();
    let (code, out, err) = report(&t, &["--out", "out"]);
    assert_eq!(code, 0, "{out}{err}");
    assert_eq!(out, "out/readiness.html\nout/readiness.xlsx\n");
    let html = std::fs::read_to_string(t.join("out/readiness.html")).expect("html");

    assert!(html.contains("<title>OMS readiness: "), "{html}");
    assert!(html.contains("(as of 2026-10-10)</title>"), "{html}");
    assert!(
        html.contains("<p class=\"verdict not\">Not ready: 4 errors in 2 of 3 files.</p>"),
        "{html}"
    );
    for (label, n) in [
        ("Files read", 3),
        ("Files unreadable", 0),
        ("Sheets", 3),
        ("Sources mapped", 3),
        ("Rows read", 8),
        ("Rows rejected", 1),
        ("Errors", 4),
        ("Warnings", 0),
        ("Info", 0),
    ] {
        let row = format!("<tr><th>{label}</th><td class=\"n\">{n}</td></tr>");
        assert!(html.contains(&row), "missing {row}");
    }
    // The per-file table.
    assert!(html.contains(
        "<tr><td><code>orders.csv</code></td><td class=\"n\">2</td><td class=\"n\">0</td>\
         <td class=\"n\">0</td><td>invalid_value 2</td></tr>"
    ));
    assert!(html.contains(
        "<tr><td><code>inventory.csv</code></td><td class=\"n\">2</td><td class=\"n\">0</td>\
         <td class=\"n\">0</td><td>negative_stock 1, oversold 1</td></tr>"
    ));
    // The chart: one bar per category, invalid_value the longest.
    assert!(html.contains(
        "<text x=\"164\" y=\"55\" text-anchor=\"end\">invalid_value</text>\
         <rect x=\"170.0\" y=\"44\" width=\"420.0\" height=\"14\" fill=\"#b03a2e\"/>"
    ));
    // The cell value is shown, escaped, and never as markup.
    assert!(
        html.contains("<code>&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;</code>"),
        "{html}"
    );
    assert!(!html.contains("<script"), "unescaped markup in the page");
    // Self-contained: no script, stylesheet, font or image from elsewhere.
    for outside in ["http://", "https://", "<link", "src=", "@import", "url("] {
        let allowed = "xmlns=\"http://www.w3.org/2000/svg\"";
        assert!(
            !html.replace(allowed, "").contains(outside),
            "{outside} in the page"
        );
    }
    assert!(html.contains("Adoption is not tracked yet."));
}

#[test]
fn the_workbook_lists_every_finding_to_the_cell() {
    let t = folder();
    let (code, out, err) = report(&t, &["--out", "out"]);
    assert_eq!(code, 0, "{out}{err}");
    let path = t.join("out/readiness.xlsx");
    let wb: Xlsx<_> = open_workbook(&path).expect("open");
    assert_eq!(
        wb.sheet_names(),
        ["Summary", "Findings", "Sources", "Inventory"]
    );

    let findings = sheet(&path, "Findings");
    assert_eq!(
        findings[0],
        [
            "severity", "category", "rule", "file", "sheet", "row", "cell", "key", "message",
            "value", "expected", "related"
        ]
    );
    assert_eq!(findings.len(), 5, "a header and four findings");
    let script = findings
        .iter()
        .find(|r| r[9] == "<script>alert(\"x\")</script>")
        .expect("the <script> status finding");
    assert_eq!(
        script[..9],
        [
            "error",
            "invalid_value",
            "cells.invalid_value",
            "orders.csv",
            "",
            "3",
            "C3",
            "",
            "status: unknown order status \"<script>alert(\\\"x\\\")</script>\""
        ]
    );

    let summary = sheet(&path, "Summary");
    assert_eq!(
        summary[2][..2],
        ["Verdict", "Not ready: 4 errors in 2 of 3 files."]
    );
    let figure = |label: &str| {
        summary
            .iter()
            .find(|r| r[0] == label)
            .map(|r| r[1].clone())
            .unwrap_or_else(|| panic!("no {label} in {summary:?}"))
    };
    assert_eq!(figure("Errors"), "4");
    assert_eq!(figure("Rows read"), "8");
    assert_eq!(figure("Rows rejected"), "1");
    let category = |name: &str| {
        summary
            .iter()
            .find(|r| r[0] == name)
            .map(|r| r[..5].to_vec())
    };
    assert_eq!(
        category("invalid_value"),
        Some(vec![
            "invalid_value".into(),
            "2".into(),
            "0".into(),
            "0".into(),
            "2".into()
        ])
    );
    assert_eq!(
        category("stuck"),
        Some(vec![
            "stuck".into(),
            "0".into(),
            "0".into(),
            "0".into(),
            "0".into()
        ])
    );

    let inventory = sheet(&path, "Inventory");
    let inv_row = inventory
        .iter()
        .find(|r| r[0] == "inventory.csv")
        .expect("inventory.csv in Inventory");
    assert_eq!(inv_row[3..6], ["1", "3", "inventory (3 rows, 0 rejected)"]);
    let sources = sheet(&path, "Sources");
    assert_eq!(sources.len(), 4, "a header and three sources");
}

#[test]
fn header_rows_are_the_sheets_own_lines_below_titles_and_blank_lines() {
    // The report releases a sheet's cells once its rows are parsed: the header
    // line of a table it read must still be the one in the file.
    let t = TestDir::new();
    t.write(
        "stock.csv",
        "Stock report\n\n\nSKU,Location,On Hand,Allocated\nA-1,MAIN,5,1\nA-2,MAIN,7,2\n",
    );
    t.write("products.csv", "note line\n\nproduct_id,weight\nP-1,3\n");
    let (code, out, err) = report(&t, &["--out", "out"]);
    assert_eq!(code, 0, "{out}{err}");
    let inventory = sheet(&t.join("out/readiness.xlsx"), "Inventory");
    let row = |file: &str| {
        inventory
            .iter()
            .find(|r| r[0] == file)
            .unwrap_or_else(|| panic!("{file} in Inventory: {inventory:?}"))
            .clone()
    };
    assert_eq!(
        row("stock.csv")[3..6],
        ["4", "2", "inventory (2 rows, 0 rejected)"]
    );
    assert_eq!(row("products.csv")[3..5], ["3", "1"]);
}

#[test]
fn a_second_run_gives_the_same_page_and_never_reads_its_own_output() {
    let t = folder();
    let (code, out, err) = report(&t, &[]);
    assert_eq!(code, 0, "{out}{err}");
    assert_eq!(
        out,
        "offsheet-report/readiness.html\noffsheet-report/readiness.xlsx\n"
    );
    let first = std::fs::read(t.join("offsheet-report/readiness.html")).expect("first");
    // readiness.xlsx now sits inside the folder being read: it must stay out.
    let (code, _, err) = report(&t, &[]);
    assert_eq!(code, 0, "{err}");
    let second = std::fs::read(t.join("offsheet-report/readiness.html")).expect("second");
    assert!(first == second, "the page changed between two runs");
}

#[test]
fn adoption_is_charted_per_shadow_sheet_once_snapshots_exist() {
    let t = TestDir::new();
    t.write("offsheet.toml", tracker_config("tracker <Janet>"));
    let rows = |header: &str, n: u32| {
        let mut s = format!("{header}\n");
        for i in 1..=n {
            s.push_str(&format!("SO-{i},2026-10-01,placed\n"));
        }
        s
    };
    t.write("tracker.csv", rows("Order,Date,Status", 4));
    t.write("oms/orders.csv", rows("order_id,order_date,status", 1));

    let (code, _, err) = report(&t, &[]);
    assert_eq!(code, 0, "{err}");
    let html = std::fs::read_to_string(t.join("offsheet-report/readiness.html")).expect("html");
    assert!(
        html.contains("offsheet.toml names 1 shadow sheet but no snapshot has been recorded"),
        "{html}"
    );

    for (as_of, in_system) in [("2026-10-02", 1), ("2026-10-09", 4)] {
        t.write(
            "oms/orders.csv",
            rows("order_id,order_date,status", in_system),
        );
        let (code, out, err) = run(t
            .offsheet()
            .args(["adoption", "record", "--as-of", as_of, "--quiet"]));
        assert_eq!(code, 0, "{out}{err}");
    }
    let (code, _, err) = report(&t, &[]);
    assert_eq!(code, 0, "{err}");
    let html = std::fs::read_to_string(t.join("offsheet-report/readiness.html")).expect("html");
    assert!(
        html.contains(
            "<h3>tracker &lt;Janet&gt; <span class=\"meta\">orders · owner Janet · live</span></h3>"
        ),
        "{html}"
    );
    assert!(html.contains("<tr><th>Adoption rate</th><td class=\"n\">1.00</td></tr>"));
    assert!(html.contains("<tr><th>Snapshots</th><td class=\"n\">2</td></tr>"));
    assert!(
        html.contains("<polyline points=\"40.0,85.0 350.0,10.0\""),
        "{html}"
    );
    assert!(html.contains("<li class=\"met\">✓ no_divergence: "));
    assert!(html.contains("<li class=\"unmet\">✗ rate_streak: "));

    let path = t.join("offsheet-report/readiness.xlsx");
    let adoption = sheet(&path, "Adoption");
    assert_eq!(adoption[1][..2], ["tracker <Janet>", "orders"]);
    assert_eq!(adoption[1][6], "1");
    let snapshots: Vec<_> = adoption
        .iter()
        .skip_while(|r| r[0] != "shadow" || r[1] != "as of")
        .skip(1)
        .map(|r| r[1..4].to_vec())
        .collect();
    assert_eq!(
        snapshots,
        [["2026-10-02", "0.25", "4"], ["2026-10-09", "1", "4"]]
    );
}

#[test]
fn a_broken_configuration_writes_nothing_and_exits_2() {
    let t = folder();
    t.write(
        "offsheet.toml",
        "version = 1\n[[source]]\nfile = \"missing.csv\"\n",
    );
    let (code, out, err) = report(&t, &[]);
    assert_eq!(code, 2, "{out}{err}");
    assert!(err.contains("missing.csv"), "{err}");
    assert!(!t.join("offsheet-report").exists());
}

#[test]
fn a_missing_folder_writes_nothing_and_exits_2() {
    let t = TestDir::new();
    let (code, out, err) = report(&t, &["no-such-folder"]);
    assert_eq!(code, 2, "{out}{err}");
    assert!(err.contains("cannot read no-such-folder"), "{err}");
    assert!(!t.join("offsheet-report").exists());
}

#[test]
fn the_output_folder_may_be_the_folder_itself() {
    let t = folder();
    let (code, out, err) = report(&t, &["--out", "."]);
    assert_eq!(code, 0, "{out}{err}");
    let first = std::fs::read(t.join("readiness.html")).expect("first");
    let (code, out, err) = report(&t, &["--out", "."]);
    assert_eq!(code, 0, "{out}{err}");
    assert!(first == std::fs::read(t.join("readiness.html")).expect("second"));
    let html = String::from_utf8_lossy(&first);
    assert!(html.contains("<tr><th>Files read</th><td class=\"n\">3</td></tr>"));
}

#[test]
fn an_unreadable_file_is_listed_and_exits_2_with_the_report_written() {
    let t = folder();
    t.write("broken.xlsx", "this is not a workbook");
    let (code, out, err) = report(&t, &[]);
    assert_eq!(code, 2, "{out}{err}");
    assert!(err.contains("broken.xlsx"), "{err}");
    let html = std::fs::read_to_string(t.join("offsheet-report/readiness.html")).expect("html");
    assert!(html.contains("<tr><th>Files unreadable</th><td class=\"n\">1</td></tr>"));
    assert!(html.contains(
        "<p class=\"verdict not\">Not ready: 4 errors in 2 of 3 files; 1 file could not be read.</p>"
    ));
    // The reason, once: the file is named by the list item, not again in the text.
    assert!(
        html.contains("<li><code>broken.xlsx</code>: cannot read it as xlsx: "),
        "{html}"
    );
}
