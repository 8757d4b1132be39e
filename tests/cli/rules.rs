//! `offsheet rules`: the list and each rule's documentation; the help text.

use crate::support::{TestDir, run};

#[test]
fn the_rule_list_and_an_explanation() {
    let t = TestDir::new();
    let (code, out, _) = run(t.offsheet().arg("rules"));
    assert_eq!(code, 0);
    insta::assert_snapshot!("rules_list", out);
    let (code, out, _) = run(t
        .offsheet()
        .args(["rules", "--explain", "order_lines.line_total"]));
    assert_eq!(code, 0);
    insta::assert_snapshot!("explain_line_total", out);
    let (code, _, err) = run(t
        .offsheet()
        .args(["rules", "--explain", "order_lines.linetotal"]));
    assert_eq!(code, 2);
    assert!(
        err.contains("did you mean `order_lines.line_total`?"),
        "{err}"
    );
}

#[test]
fn help_texts() {
    let t = TestDir::new();
    for (name, args) in [
        ("help", vec!["--help"]),
        ("help_scan", vec!["scan", "--help"]),
        ("help_audit", vec!["audit", "--help"]),
        ("help_ingest", vec!["ingest", "--help"]),
        ("help_adoption", vec!["adoption", "--help"]),
    ] {
        let (code, out, _) = run(t.offsheet().args(&args));
        assert_eq!(code, 0);
        insta::assert_snapshot!(name, out);
    }
}

#[test]
fn bad_usage_exits_2() {
    let t = TestDir::new();
    let (code, _, err) = run(t.offsheet().args(["audit", "--format", "yaml"]));
    assert_eq!(code, 2);
    assert!(err.contains("invalid value 'yaml'"), "{err}");
}
