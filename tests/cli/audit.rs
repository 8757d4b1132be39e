//! `offsheet audit`: every planted break of the example reported at its cell and
//! nothing else; the JSON valid against its published schema; the human,
//! JUnit and Markdown outputs; exit codes; precision on real data.

use std::collections::BTreeMap;

use serde_json::Value;

use crate::support::{TestDir, repo, run};

type Place = (String, String, Option<String>, String);

fn places(
    list: &[Value],
    cat: &str,
    file: &str,
    sheet: &str,
    cell: &str,
) -> BTreeMap<Place, usize> {
    let mut out = BTreeMap::new();
    for f in list {
        let key = (
            f[cat].as_str().unwrap().to_string(),
            f[file].as_str().unwrap().to_string(),
            f[sheet].as_str().map(str::to_string),
            f[cell].as_str().unwrap_or("").to_string(),
        );
        *out.entry(key).or_insert(0) += 1;
    }
    out
}

fn audit_example() -> (i32, Value) {
    let t = TestDir::new();
    let (code, out, err) = run(t
        .offsheet()
        .args(["audit", "--format", "json"])
        .arg(repo().join("examples/acme-retail")));
    (
        code,
        serde_json::from_str(&out).unwrap_or_else(|e| panic!("{e}: {out}{err}")),
    )
}

#[test]
fn the_example_reports_exactly_the_planted_breaks() {
    let (code, json) = audit_example();
    assert_eq!(code, 1, "errors in the example exit 1");
    let planted: Value = serde_json::from_str(
        &std::fs::read_to_string(repo().join("examples/acme-retail.planted.json")).unwrap(),
    )
    .unwrap();
    let want = places(
        planted["breaks"].as_array().unwrap(),
        "category",
        "file",
        "sheet",
        "cell",
    );
    let findings: Vec<Value> = json["findings"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| {
            serde_json::json!({
                "category": f["category"], "file": f["location"]["file"],
                "sheet": f["location"]["sheet"], "cell": f["location"]["cell"],
            })
        })
        .collect();
    let got = places(&findings, "category", "file", "sheet", "cell");
    let missing: Vec<_> = want.keys().filter(|k| !got.contains_key(*k)).collect();
    let extra: Vec<_> = got.keys().filter(|k| !want.contains_key(*k)).collect();
    assert!(
        missing.is_empty() && extra.is_empty(),
        "missing {missing:#?}\nextra {extra:#?}"
    );
    assert_eq!(got, want);
    assert_eq!(
        json["summary"]["findings"].as_u64(),
        Some(want.values().sum::<usize>() as u64)
    );
}

#[test]
fn the_json_is_valid_against_the_published_schema() {
    let (_, json) = audit_example();
    let schema: Value = serde_json::from_str(
        &std::fs::read_to_string(repo().join("docs/audit.schema.json")).unwrap(),
    )
    .unwrap();
    let validator = jsonschema::validator_for(&schema).expect("schema compiles");
    let errors: Vec<String> = validator
        .iter_errors(&json)
        .map(|e| format!("{e} at {}", e.instance_path()))
        .collect();
    assert!(errors.is_empty(), "{errors:#?}");
    // A broken document is caught (the schema is not vacuous).
    let mut broken = json.clone();
    broken["findings"][0]["category"] = Value::from("typo_category");
    assert!(!validator.is_valid(&broken));
}

/// A small folder with one break of each of three kinds.
fn small(t: &TestDir) {
    t.write(
        "orders.csv",
        "Order ID,Order Date,Status,Owner,Last Updated\n\
         SO-1,2026-11-02,placed,Ann,2026-11-20 09:00\n\
         SO-2,2026-11-03,shipped,,2026-11-04 10:00\n\
         SO-3,2026-11-04,placed,,2026-11-25 11:00\n\
         SO-2,2026-11-03,shipped,,2026-11-04 10:00\n",
    );
    t.write("lines.csv", "Order ID,SKU,Qty,Unit Price,Line Total\nSO-1,TNT-1,2,10.00,20.00\nSO-3,TNT-1,ten,10.00,100.00\n");
}

/// `offsheet audit . --as-of 2026-11-27` in `t`, quiet and in `format` when one
/// is given: (exit code, stdout, stderr).
fn audit_at(t: &TestDir, format: Option<&str>) -> (i32, String, String) {
    let mut cmd = t.offsheet();
    cmd.args(["audit", ".", "--as-of", "2026-11-27"]);
    if let Some(f) = format {
        cmd.args(["-q", "--format", f]);
    }
    run(&mut cmd)
}

#[test]
fn human_output_shows_the_cell_the_row_and_a_summary() {
    let t = TestDir::new();
    small(&t);
    let (code, out, err) = audit_at(&t, None);
    assert_eq!(code, 1, "{err}");
    insta::assert_snapshot!(out);
    assert!(
        err.contains("No offsheet.toml: mapped automatically"),
        "{err}"
    );
}

#[test]
fn one_finding_in_one_source_is_said_in_the_singular() {
    let t = TestDir::new();
    t.write(
        "orders.csv",
        "Order ID,Order Date,Status\nSO-1,2026-11-02,placed\nSO-1,2026-11-02,placed\n",
    );
    let (code, out, err) = audit_at(&t, None);
    assert_eq!(code, 1, "{err}");
    assert!(
        out.contains("\n1 finding in 1 source (2 rows read, 0 rejected), as of 2026-11-27.\n"),
        "{out}"
    );
    let (_, md, _) = audit_at(&t, Some("markdown"));
    assert!(
        md.contains("**1** finding (1 error, 0 warnings, 0 info) in 1 source, as of 2026-11-27."),
        "{md}"
    );
}

#[test]
fn a_finding_on_the_header_row_shows_that_row_once() {
    let t = TestDir::new();
    t.write("orders.csv", "Order ID,Order Date\nSO-1,2026-11-02\n");
    let (_, out, err) = audit_at(&t, None);
    assert!(
        out.contains(
            "no column maps to orders.status, a required field\n      --> orders.csv › row 1\n      1 │ Order ID  Order Date\n\n"
        ),
        "{out}\n{err}"
    );
}

#[test]
fn a_folder_with_nothing_to_audit_says_so() {
    let t = TestDir::new();
    t.write(
        "products.csv",
        "product_id,category,weight_g\nP-1,garden,1200\nP-2,tools,800\n",
    );
    let (code, out, err) = run(t.offsheet().args(["audit", "."]));
    assert_eq!(code, 0, "{err}");
    assert!(out.starts_with("No findings in 0 sources"), "{out}");
    assert!(err.contains("no sheet read maps onto orders, order lines, inventory, stock counts, shipments or invoices: nothing to audit"), "{err}");
    assert!(!err.contains("mapped automatically"), "{err}");
}

#[test]
fn junit_and_markdown_for_ci() {
    let t = TestDir::new();
    small(&t);
    let (_, junit, _) = audit_at(&t, Some("junit"));
    assert!(
        junit.starts_with(
            "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<testsuites name=\"offsheet audit\""
        ),
        "{junit}"
    );
    assert!(junit.contains("<testcase classname=\"orders.csv\" name=\"keys.duplicate\">\n      <failure message=\"1 finding\" type=\"duplicate_key\">"), "{junit}");
    let (_, md, _) = audit_at(&t, Some("markdown"));
    insta::assert_snapshot!("markdown", md);
}

#[test]
fn fail_on_sets_the_bar_for_exit_1() {
    let t = TestDir::new();
    // Only a warning-level finding: an open order without an owner.
    t.write(
        "orders.csv",
        "Order ID,Order Date,Status,Owner\nSO-1,2026-11-02,placed,\n",
    );
    let (code, _, _) = run(t.offsheet().args(["audit", ".", "-q", "--format", "json"]));
    assert_eq!(code, 0, "a warning is below the default bar");
    let (code, _, _) = run(t.offsheet().args([
        "audit",
        ".",
        "-q",
        "--format",
        "json",
        "--fail-on",
        "warning",
    ]));
    assert_eq!(code, 1);
}

#[test]
fn northwind_whose_keys_all_resolve_has_no_false_breaks() {
    let root = repo().join("../shared/corpus/real/northwind");
    if !root.is_dir() {
        eprintln!("skipped: {} is absent", root.display());
        return;
    }
    let t = TestDir::new();
    let (code, out, err) = run(t
        .offsheet()
        .args(["audit", "-q", "--format", "json"])
        .arg(&root));
    assert!(code == 0 || code == 1, "{err}");
    let json: Value = serde_json::from_str(&out).unwrap();
    for cat in ["orphan_reference", "duplicate_key", "invalid_type"] {
        assert_eq!(
            json["summary"]["by_category"][cat],
            0,
            "{cat}: {:#?}",
            json["findings"]
                .as_array()
                .unwrap()
                .iter()
                .filter(|f| f["category"] == cat)
                .take(5)
                .collect::<Vec<_>>()
        );
    }
}
