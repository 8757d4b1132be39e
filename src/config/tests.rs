use super::*;

fn write(dir: &Path, name: &str, text: &str) -> PathBuf {
    let p = dir.join(name);
    std::fs::write(&p, text).unwrap();
    p
}

fn errors(text: &str) -> Vec<(String, Option<String>, String)> {
    let dir = tempfile::tempdir().unwrap();
    write(
        dir.path(),
        "orders.csv",
        "Order,Date,Status\nSO-1,2026-11-02,placed\n",
    );
    let path = write(dir.path(), FILE_NAME, text);
    match load(&path) {
        Ok(_) => Vec::new(),
        Err(e) => e
            .errors
            .iter()
            .map(|e| {
                let at = e
                    .span
                    .map(|s| text[s.offset()..s.offset() + s.len()].to_string())
                    .unwrap_or_default();
                (e.message.clone(), e.help.clone(), at)
            })
            .collect(),
    }
}

#[test]
fn a_good_file_loads_with_its_settings() {
    let dir = tempfile::tempdir().unwrap();
    write(dir.path(), "orders.csv", "Order,Date,Status\n");
    let path = write(
        dir.path(),
        FILE_NAME,
        r#"version = 1
[settings]
sla_days = 5
amount_tolerance = "0.05"
[rules."orders.unowned"]
severity = "warning"
threshold = "5%"
[[source]]
file = "orders.csv"
feeds = ["orders"]
columns = [
  { column = "A", header = "Order", field = "order_id" },
  { column = "C", header = "Status", field = "status" },
  { column = "B", header = "Date", field = "-" },
]
"#,
    );
    let c = load(&path).unwrap();
    assert_eq!(c.settings.sla_days, 5);
    assert_eq!(c.settings.amount_tolerance.to_string(), "0.05");
    let r = c.settings.rule("orders.unowned").unwrap();
    assert_eq!(
        (r.severity, r.threshold),
        (Some(Severity::Warning), Some(Threshold::Percent(5.0)))
    );
    assert_eq!(c.sources[0].columns.len(), 3);
    assert_eq!(c.sources[0].columns[2].field, None);
}

#[test]
fn typos_point_at_their_line_with_a_suggestion() {
    let errs = errors(
        r#"[settings]
sla_dayz = 5
"#,
    );
    assert_eq!(errs.len(), 1);
    assert!(errs[0].0.contains("unknown field `sla_dayz`"), "{errs:?}");
    assert_eq!(errs[0].1.as_deref(), Some("did you mean `sla_days`?"));
    assert_eq!(errs[0].2, "sla_dayz");

    let errs = errors(
        r#"[[source]]
file = "orders.csv"
feeds = ["order"]
columns = [ { column = "A", header = "Order", field = "ordr_id" } ]
[rules."orders.unowed"]
enabled = false
"#,
    );
    let got: Vec<(&str, Option<&str>, &str)> = errs
        .iter()
        .map(|(m, h, a)| (m.as_str(), h.as_deref(), a.as_str()))
        .collect();
    assert_eq!(
        got,
        [
            (
                "no rule has the id `orders.unowed`",
                Some("did you mean `orders.unowned`?"),
                "[rules.\"orders.unowed\"]"
            ),
            (
                "`order` is not a canonical table",
                Some("did you mean `orders`?"),
                "\"order\""
            ),
        ]
    );
}

#[test]
fn a_missing_file_and_a_bad_field_are_named() {
    let errs = errors(
        r#"[[source]]
file = "order.csv"
feeds = ["orders"]
columns = [ { column = "A", header = "Order", field = "ordr_id" } ]
"#,
    );
    let got: Vec<(&str, Option<&str>)> = errs
        .iter()
        .map(|(m, h, _)| (m.as_str(), h.as_deref()))
        .collect();
    assert_eq!(got.len(), 2, "{errs:?}");
    assert!(got[0].0.starts_with("order.csv does not exist"));
    assert_eq!(got[0].1, Some("did you mean `orders.csv`?"));
    assert_eq!(
        got[1],
        (
            "`ordr_id` is not a field of orders",
            Some("did you mean `order_id`?")
        )
    );
}

#[test]
fn a_newer_version_is_refused() {
    let errs = errors("version = 2\n");
    assert_eq!(
        errs[0].0,
        "offsheet.toml version 2 is not known to this offsheet (it reads version 1)"
    );
}
