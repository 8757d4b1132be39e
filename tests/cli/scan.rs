//! `offsheet scan`: tables, entities and hazards of each sheet, JSON shape, and
//! bad input that must give a diagnostic and exit code 2, never a panic.

use serde_json::Value;

use crate::support::{TestDir, repo, run};
use crate::workbooks;

fn scan_json(t: &TestDir, args: &[&str]) -> (i32, Value, String) {
    let mut cmd = t.offsheet();
    cmd.arg("scan").args(args).arg("--format").arg("json");
    let (code, out, err) = run(&mut cmd);
    let json = serde_json::from_str(&out).unwrap_or_else(|e| panic!("{e}: {out}\n{err}"));
    (code, json, err)
}

fn sheet<'a>(json: &'a Value, file: &str, sheet: Option<&str>) -> &'a Value {
    let f = json["files"]
        .as_array()
        .unwrap()
        .iter()
        .find(|f| f["file"] == file)
        .unwrap_or_else(|| panic!("no file {file} in {json:#}"));
    f["sheets"]
        .as_array()
        .unwrap()
        .iter()
        .find(|s| s["sheet"].as_str() == sheet)
        .unwrap_or_else(|| panic!("no sheet {sheet:?} in {f:#}"))
}

fn hazard(sheet: &Value, kind: &str) -> Option<(u64, Vec<String>)> {
    sheet["hazards"]
        .as_array()
        .unwrap()
        .iter()
        .find(|h| h["kind"] == kind)
        .map(|h| {
            (
                h["count"].as_u64().unwrap(),
                h["cells"]
                    .as_array()
                    .unwrap()
                    .iter()
                    .map(|c| c.as_str().unwrap().to_string())
                    .collect(),
            )
        })
}

#[test]
fn a_tracker_workbook_is_read_as_a_person_reads_it() {
    let t = TestDir::new();
    workbooks::tracker(&t.join("tracker.xlsx"));
    let (code, json, err) = scan_json(&t, &["."]);
    assert_eq!(code, 0, "{err}");
    let orders = sheet(&json, "tracker.xlsx", Some("Orders"));
    let table = &orders["table"];
    assert_eq!(table["header_row"], 3);
    assert_eq!(table["data_rows"], 5);
    assert_eq!(
        (table["first_row"].as_u64(), table["last_row"].as_u64()),
        (Some(4), Some(8))
    );
    assert_eq!(table["totals_rows"], serde_json::json!([10]));
    assert_eq!(table["title_rows"], serde_json::json!([1, 2]));
    assert_eq!(table["columns"].as_array().unwrap().len(), 7);
    assert_eq!(orders["entities"][0]["entity"], "order_lines");
    assert_eq!(
        hazard(orders, "formulas"),
        Some((
            6,
            vec![
                "F4".into(),
                "F5".into(),
                "F6".into(),
                "F7".into(),
                "F8".into()
            ]
        ))
    );
    assert_eq!(hazard(orders, "error_cells"), Some((1, vec!["F8".into()])));
    assert_eq!(
        hazard(orders, "merged_cells"),
        Some((1, vec!["A1:G1".into()]))
    );
    assert_eq!(hazard(orders, "hidden_rows"), Some((1, vec!["5".into()])));
    assert_eq!(
        hazard(orders, "hidden_columns"),
        Some((1, vec!["G".into()]))
    );
    assert_eq!(
        hazard(orders, "numbers_as_text"),
        Some((1, vec!["D6".into()]))
    );
    assert_eq!(
        hazard(orders, "dates_as_text"),
        Some((1, vec!["B7".into()]))
    );
    assert_eq!(
        hazard(orders, "mixed_date_formats").map(|h| h.1),
        Some(vec!["B (Ord Date)".to_string()])
    );

    let summary = sheet(&json, "tracker.xlsx", Some("Summary"));
    assert!(summary["table"].is_null());
    assert!(
        summary["no_table"]
            .as_str()
            .unwrap()
            .starts_with("a summary"),
        "{summary:#}"
    );
    let lists = sheet(&json, "tracker.xlsx", Some("Lists"));
    assert_eq!(lists["visibility"], "hidden");
    assert!(hazard(lists, "hidden_sheet").is_some());
}

#[test]
fn several_date_formats_in_one_column_are_named() {
    let t = TestDir::new();
    workbooks::mixed_dates(&t.join("log.xlsx"));
    let (_, json, _) = scan_json(&t, &["log.xlsx"]);
    let log = sheet(&json, "log.xlsx", Some("Log"));
    let h = log["hazards"]
        .as_array()
        .unwrap()
        .iter()
        .find(|h| h["kind"] == "mixed_date_formats")
        .unwrap();
    assert_eq!(h["detail"], "C (Ship Date): date cell, yyyy-mm-dd, d mon y");
    assert_eq!(log["entities"][0]["entity"], "shipments");
}

#[test]
fn csv_dialects_are_sniffed_and_decoded() {
    let t = TestDir::new();
    t.write("eu.csv", b"Artikelnummer;Lagerort;Z\xE4hldatum;Gez\xE4hlt;St\xFCckpreis\r\nTNT-2P-GRN;MAIN;24.11.2026;14;149,50\r\nbag-30l-blk ;MAIN;25.11.2026;7;89,00\r\n");
    let utf16: Vec<u8> = [0xFF, 0xFE]
        .into_iter()
        .chain(
            "sku\ton_hand\nTNT-2P-GRN\t12\n"
                .encode_utf16()
                .flat_map(|u| u.to_le_bytes()),
        )
        .collect();
    t.write("inv.tsv", utf16);
    t.write(
        "ragged.csv",
        "order,sku,qty\nSO-1,A,1\nSO-2,B\nSO-3,C,3,extra\n",
    );
    let (code, json, err) = scan_json(&t, &["."]);
    assert_eq!(code, 0, "{err}");
    let files = json["files"].as_array().unwrap();
    let eu = files.iter().find(|f| f["file"] == "eu.csv").unwrap();
    assert_eq!(eu["text"]["encoding"], "windows-1252");
    assert_eq!(eu["text"]["delimiter"], ";");
    assert_eq!(eu["text"]["line_ending"], "crlf");
    let eu_sheet = sheet(&json, "eu.csv", None);
    assert_eq!(eu_sheet["table"]["columns"][2]["header"], "Zähldatum");
    assert_eq!(eu_sheet["entities"][0]["entity"], "stock_counts");
    let inv = files.iter().find(|f| f["file"] == "inv.tsv").unwrap();
    assert_eq!(
        (
            inv["text"]["encoding"].as_str(),
            inv["text"]["bom"].as_bool(),
            inv["text"]["delimiter"].as_str()
        ),
        (Some("UTF-16LE"), Some(true), Some("\t"))
    );
    let ragged = sheet(&json, "ragged.csv", None);
    assert_eq!(
        hazard(ragged, "ragged_rows"),
        Some((
            2,
            vec!["line 3 (2 fields)".into(), "line 4 (4 fields)".into()]
        ))
    );
    // The extra field is kept as a column without a header, never dropped.
    assert_eq!(
        ragged["table"]["columns"][3],
        serde_json::json!({"column": "D", "header": ""})
    );
}

#[test]
fn legacy_xls_and_ods_files_are_read() {
    let t = TestDir::new();
    let legacy = repo().join("fixtures/legacy");
    let (code, json, err) = scan_json(&t, &[legacy.to_str().unwrap()]);
    assert_eq!(code, 0, "{err}");
    let xls = sheet(&json, "orders.xls", Some("Orders"));
    assert_eq!(xls["table"]["header_row"], 2);
    assert_eq!(xls["table"]["data_rows"], 3);
    assert_eq!(hazard(xls, "merged_cells"), Some((1, vec!["A1:E1".into()])));
    assert_eq!(
        sheet(&json, "orders.xls", Some("Lists"))["visibility"],
        "hidden"
    );
    let ods = sheet(&json, "counts.ods", Some("Counts"));
    assert_eq!(ods["table"]["header_row"], 2);
    assert_eq!(hazard(ods, "merged_cells"), Some((1, vec!["A1:D1".into()])));
    assert_eq!(hazard(ods, "hidden_rows"), Some((1, vec!["4".into()])));
    assert_eq!(hazard(ods, "hidden_columns"), Some((1, vec!["D".into()])));
}

#[test]
fn unreadable_files_get_a_diagnostic_and_exit_2_and_the_rest_go_on() {
    let t = TestDir::new();
    t.write("good.csv", "sku,on_hand\nA-1,3\n");
    t.write("empty.csv", "");
    t.write("garbage.xlsx", b"this is not a zip file at all");
    t.write("truncated.xlsx", {
        workbooks::tracker(&t.join("full.xlsx"));
        let bytes = std::fs::read(t.join("full.xlsx")).unwrap();
        std::fs::remove_file(t.join("full.xlsx")).unwrap();
        bytes[..bytes.len() / 2].to_vec()
    });
    let mut fake_encrypted = vec![0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1];
    fake_encrypted.extend(vec![0u8; 504]);
    fake_encrypted.extend(
        "EncryptedPackage"
            .encode_utf16()
            .flat_map(|u| u.to_le_bytes()),
    );
    t.write("locked.xlsx", fake_encrypted);
    t.write("~$good.xlsx", "lock");
    t.write("README.md", "notes");
    let (code, json, err) = scan_json(&t, &["."]);
    assert_eq!(code, 2);
    assert!(!err.contains("panicked"), "{err}");
    let kinds: Vec<(String, String)> = json["errors"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| {
            (
                e["file"].as_str().unwrap().into(),
                e["kind"].as_str().unwrap().into(),
            )
        })
        .collect();
    assert_eq!(
        kinds,
        [
            ("empty.csv".to_string(), "empty".to_string()),
            ("garbage.xlsx".into(), "corrupt".into()),
            ("locked.xlsx".into(), "encrypted".into()),
            ("truncated.xlsx".into(), "corrupt".into()),
        ]
    );
    for file in ["empty.csv", "garbage.xlsx", "locked.xlsx", "truncated.xlsx"] {
        assert!(err.contains(file), "stderr names {file}: {err}");
    }
    assert_eq!(json["files"].as_array().unwrap().len(), 1);
    assert_eq!(
        json["skipped"],
        serde_json::json!([
            {"file": "README.md", "reason": "not_a_spreadsheet"},
            {"file": "~$good.xlsx", "reason": "lock_file"}
        ])
    );
}

#[test]
fn a_zip_bomb_is_refused_quickly() {
    use std::io::Write;
    let t = TestDir::new();
    let file = std::fs::File::create(t.join("bomb.xlsx")).unwrap();
    let mut zip = zip::ZipWriter::new(file);
    zip.start_file(
        "xl/worksheets/sheet1.xml",
        zip::write::SimpleFileOptions::default(),
    )
    .unwrap();
    let zeros = vec![b' '; 1 << 20];
    for _ in 0..200 {
        zip.write_all(&zeros).unwrap();
    }
    zip.finish().unwrap();
    let (code, json, _) = scan_json(&t, &["bomb.xlsx"]);
    assert_eq!(code, 2);
    assert_eq!(json["errors"][0]["kind"], "too_large");
}

#[test]
fn text_output_has_one_line_per_sheet() {
    let t = TestDir::new();
    workbooks::tracker(&t.join("tracker.xlsx"));
    t.write(
        "inventory.csv",
        "SKU,Location,On Hand,Allocated\nTNT-2P-GRN,MAIN,12,2\n",
    );
    let (code, out, err) = run(t.offsheet().args(["scan", "."]));
    assert_eq!(code, 0, "{err}");
    insta::assert_snapshot!(out);
    assert!(err.starts_with("2 files (4 sheets) read in "), "{err}");
}

#[test]
fn old_excel_files_and_xor_protected_xls_are_named_for_what_they_are() {
    let t = TestDir::new();
    // The first record of an Excel 3.0 worksheet (BIFF3 BOF), as Excel wrote
    // it before version 5: no OLE container.
    t.write("1991.xls", [0x09, 0x02, 0x06, 0x00, 0x00, 0x00, 0x10, 0x00]);
    // An OLE container whose workbook stream (at 512) starts with a BOF record
    // and a FILEPASS record: encrypted, whatever calamine makes of the rest.
    let mut protected = vec![0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1];
    protected.resize(512, 0);
    protected.extend([0x09, 0x08, 16, 0x00]);
    protected.extend([0u8; 16]);
    protected.extend([0x2F, 0x00, 0x06, 0x00, 0, 0, 0, 0, 0, 0]);
    t.write("locked.xls", protected);
    let (code, json, err) = scan_json(&t, &["."]);
    assert_eq!(code, 2);
    let kinds: Vec<(&str, &str)> = json["errors"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| (e["file"].as_str().unwrap(), e["kind"].as_str().unwrap()))
        .collect();
    assert_eq!(
        kinds,
        [("1991.xls", "old_format"), ("locked.xls", "encrypted")]
    );
    assert!(
        err.contains("1991.xls: an Excel 3.0 file (BIFF3), which offsheet cannot read"),
        "{err}"
    );
    assert!(err.contains("save it as .xlsx"), "{err}");
    assert!(
        err.contains("locked.xls: the workbook is password-protected"),
        "{err}"
    );
}
