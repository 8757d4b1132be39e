//! `offsheet init`: a proposed offsheet.toml that a person would accept, that
//! audit then reads, and that is never overwritten.

use crate::support::{TestDir, repo, run};

fn copy_example(t: &TestDir) {
    let src = repo().join("examples/acme-retail");
    for entry in walkdir::WalkDir::new(&src)
        .into_iter()
        .filter_map(Result::ok)
    {
        let rel = entry.path().strip_prefix(&src).unwrap();
        if entry.file_type().is_file() && rel.to_string_lossy() != "offsheet.toml" {
            t.write(&rel.to_string_lossy(), std::fs::read(entry.path()).unwrap());
        }
    }
}

#[test]
fn init_maps_the_example_as_a_person_would() {
    let t = TestDir::new();
    copy_example(&t);
    let (code, out, err) = run(t.offsheet().args(["init", "."]));
    assert_eq!(code, 0, "{err}");
    assert!(out.contains("Wrote ./offsheet.toml"), "{out}");
    let toml = std::fs::read_to_string(t.join("offsheet.toml")).unwrap();
    for line in [
        r#"  { column = "L", header = "Qty", field = "quantity" },  # synonym, 0.95"#,
        r#"  { column = "Q", header = "Margin %", field = "-" },  # unmapped: kept as an extra field"#,
        r#"  { column = "C", header = "Zähldatum", field = "counted_at" },  # synonym, 0.90"#,
        r#"feeds = ["orders", "order_lines"]"#,
        r#"system = "oms/orders_export.csv""#,
    ] {
        assert!(toml.contains(line), "missing {line}\n{toml}");
    }
    // 64 columns in the example; 62 map to a field, and the 2 left ("Margin %",
    // "Stückpreis") have no canonical field to map to.
    let mapped = toml
        .lines()
        .filter(|l| l.trim_start().starts_with("{ column") && !l.contains("field = \"-\""))
        .count();
    let unmapped = toml.lines().filter(|l| l.contains("field = \"-\"")).count();
    assert_eq!((mapped, unmapped), (62, 2));
    // Audit reads it back without complaint.
    let (code, out, _) = run(t.offsheet().args(["audit", "-q", "--format", "json"]));
    assert!(code == 0 || code == 1);
    let json: serde_json::Value = serde_json::from_str(&out).unwrap();
    assert_eq!(json["summary"]["by_category"]["schema_drift"], 0);
}

#[test]
fn init_never_clobbers_a_persons_edits() {
    let t = TestDir::new();
    t.write(
        "orders.csv",
        "Order ID,Order Date,Status\nSO-1,2026-11-02,placed\n",
    );
    t.write("offsheet.toml", "# my edits\nversion = 1\n");
    let (code, out, _) = run(t.offsheet().args(["init", "."]));
    assert_eq!(code, 0);
    assert!(
        out.contains("was left as it is; the proposal is in ./offsheet.new.toml"),
        "{out}"
    );
    assert_eq!(
        std::fs::read_to_string(t.join("offsheet.toml")).unwrap(),
        "# my edits\nversion = 1\n"
    );
    assert!(
        std::fs::read_to_string(t.join("offsheet.new.toml"))
            .unwrap()
            .contains("file = \"orders.csv\"")
    );
    let (code, _, err) = run(t.offsheet().args(["init", "."]));
    assert_eq!(code, 2);
    assert!(err.contains("init overwrites neither"), "{err}");
}

#[test]
fn a_bad_config_points_at_its_line_with_a_suggestion() {
    let t = TestDir::new();
    t.write(
        "orders.csv",
        "Order ID,Order Date,Status\nSO-1,2026-11-02,placed\n",
    );
    t.write(
        "offsheet.toml",
        "version = 1\n[[source]]\nfile = \"orders.csv\"\nfeeds = [\"orders\"]\ncolumns = [\n  { column = \"A\", header = \"Order ID\", field = \"order_idd\" },\n]\n",
    );
    let (code, _, err) = run(t.offsheet().args(["audit"]));
    assert_eq!(code, 2);
    assert!(
        err.contains("`order_idd` is not a field of orders"),
        "{err}"
    );
    assert!(err.contains("did you mean `order_id`?"), "{err}");
    assert!(err.contains("offsheet.toml:6:"), "{err}");
}
