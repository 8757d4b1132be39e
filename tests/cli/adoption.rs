//! Adoption end to end: a six-week story told with `--as-of`, a decommission
//! refused and then accepted, a retired sheet edited and flagged, a `record`
//! killed halfway, and input files left byte-identical by every command.

use std::collections::BTreeMap;

use serde_json::Value;

use crate::support::{TestDir, run, tracker_config};

/// Orders SO-1..=SO-n as CSV rows "SO-i,date,status"; dates by order number.
fn date_of(i: u32) -> &'static str {
    match i {
        1..=10 => "2026-10-01",
        11..=12 => "2026-10-08",
        13..=20 => "2026-10-15",
        21..=25 => "2026-10-22",
        _ => "2026-10-29",
    }
}

fn rows(
    header: &str,
    ids: impl IntoIterator<Item = u32>,
    status_of: impl Fn(u32) -> &'static str,
) -> String {
    let mut s = format!("{header}\n");
    for i in ids {
        s.push_str(&format!("SO-{i},{},{}\n", date_of(i), status_of(i)));
    }
    s
}

struct Story {
    t: TestDir,
}

impl Story {
    fn new() -> Story {
        let t = TestDir::new();
        t.write("offsheet.toml", tracker_config("tracker"));
        Story { t }
    }

    fn week(&self, tracker: String, oms: String) {
        self.t.write("tracker.csv", tracker);
        self.t.write("oms/orders.csv", oms);
    }

    fn offsheet(&self, args: &[&str]) -> (i32, String, String) {
        run(self.t.offsheet().args(args).arg("--quiet"))
    }

    fn record(&self, as_of: &str) {
        let (code, out, err) = self.offsheet(&["adoption", "record", "--as-of", as_of]);
        assert_eq!(code, 0, "{out}{err}");
    }

    fn status(&self, as_of: &str) -> Value {
        let (code, out, err) =
            self.offsheet(&["adoption", "status", "--format", "json", "--as-of", as_of]);
        assert_eq!(code, 0, "{err}");
        serde_json::from_str(&out).expect("status JSON")
    }

    fn checksums(&self) -> BTreeMap<String, Vec<u8>> {
        ["tracker.csv", "oms/orders.csv", "offsheet.toml"]
            .iter()
            .map(|f| {
                (
                    f.to_string(),
                    std::fs::read(self.t.join(f)).expect("read input"),
                )
            })
            .collect()
    }
}

#[test]
fn a_six_week_story_from_heavy_use_to_retirement() {
    let s = Story::new();
    let placed = |_| "placed";
    let tracker_h = "Order,Date,Status";
    let oms_h = "order_id,order_date,status";

    // Week 1: the tracker holds 10 orders, the OMS only SO-1..4.
    // Window (09-05, 10-05]: union 10 keys, in system 4 → 4/10 = 0.4.
    s.week(rows(tracker_h, 1..=10, placed), rows(oms_h, 1..=4, placed));
    s.record("2026-10-05");
    // Week 2: two more orders only in the tracker; the OMS catches up to SO-10.
    // Window (09-12, 10-12]: union SO-1..12 = 12, in system 10 → 10/12.
    s.week(rows(tracker_h, 1..=12, placed), rows(oms_h, 1..=10, placed));
    s.record("2026-10-12");
    // Week 3: new orders go to the OMS only (SO-11..20); Janet marks SO-3 paid in
    // the tracker alone: one divergent key. Union 20, in system 20 → 1.0.
    s.week(
        rows(
            tracker_h,
            1..=12,
            |i| if i == 3 { "paid" } else { "placed" },
        ),
        rows(oms_h, 1..=20, placed),
    );
    s.record("2026-10-19");
    // Week 4: SO-3 is fixed in the tracker (a change); OMS adds SO-21..25.
    // Window (09-26, 10-26]: all 25 keys dated in it, all in system → 1.0.
    s.week(rows(tracker_h, 1..=12, placed), rows(oms_h, 1..=25, placed));
    s.record("2026-10-26");

    let before = s.checksums();
    let (code, out, _) = s.offsheet(&[
        "decommission",
        "tracker",
        "--by",
        "dana",
        "--as-of",
        "2026-10-26",
    ]);
    assert_eq!(code, 1, "{out}");
    assert!(out.contains("✗ rate_streak"), "{out}");
    assert!(out.contains("✗ quiet"), "{out}");
    assert!(
        !out.contains("✗ no_divergence") && !out.contains("✗ no_open_errors"),
        "{out}"
    );
    assert_eq!(
        s.checksums(),
        before,
        "decommission must not touch the inputs"
    );

    // Week 5: the tracker is not touched; OMS adds SO-26..30.
    // Window (10-03, 11-02]: SO-1..10 fall out; SO-11..30 = 20 keys, all in system → 1.0.
    s.week(rows(tracker_h, 1..=12, placed), rows(oms_h, 1..=30, placed));
    s.record("2026-11-02");
    // Week 6: still quiet. Window (10-10, 11-09]: SO-13..30 = 18 keys, all in system → 1.0.
    s.record("2026-11-09");

    let status = s.status("2026-11-09");
    let tracker = &status["shadows"][0];
    let rates: Vec<f64> = tracker["snapshots"]
        .as_array()
        .unwrap()
        .iter()
        .map(|x| x["rate"].as_f64().unwrap())
        .collect();
    assert_eq!(rates, [0.4, 10.0 / 12.0, 1.0, 1.0, 1.0, 1.0]);
    let changed: Vec<u64> = tracker["snapshots"]
        .as_array()
        .unwrap()
        .iter()
        .map(|x| x["changed"].as_u64().unwrap())
        .collect();
    assert_eq!(changed, [10, 2, 1, 1, 0, 0]);
    let divergent: Vec<u64> = tracker["snapshots"]
        .as_array()
        .unwrap()
        .iter()
        .map(|x| x["divergent"].as_u64().unwrap())
        .collect();
    assert_eq!(divergent, [0, 0, 1, 0, 0, 0]);
    assert_eq!(
        tracker["criteria"],
        serde_json::json!({"rate_streak": true, "no_divergence": true, "quiet": true, "no_open_errors": true})
    );

    let (code, out, err) = s.offsheet(&[
        "decommission",
        "tracker",
        "--by",
        "dana",
        "--reason",
        "OMS live",
        "--as-of",
        "2026-11-09",
    ]);
    assert_eq!(code, 0, "{out}{err}");
    assert!(
        out.starts_with("Decommissioned tracker on 2026-11-09 by dana."),
        "{out}"
    );
    let (code, _, _) = s.offsheet(&[
        "adoption",
        "check",
        "--min-rate",
        "0.9",
        "--as-of",
        "2026-11-09",
    ]);
    assert_eq!(code, 0);

    // Week 7: someone adds an order to the retired tracker.
    s.week(
        rows(tracker_h, (1..=12).chain([31]), placed),
        rows(oms_h, 1..=30, placed),
    );
    let (code, out, _) = s.offsheet(&["audit", "--format", "json", "--as-of", "2026-11-16"]);
    assert_eq!(code, 1);
    let audit: Value = serde_json::from_str(&out).unwrap();
    let resurrected: Vec<&Value> = audit["findings"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|f| f["rule"] == "shadow.resurrected")
        .collect();
    assert_eq!(resurrected.len(), 1, "{out}");
    assert_eq!(resurrected[0]["location"]["cell"], "A14");
    assert_eq!(resurrected[0]["category"], "handoff_gap");
    // Recording it says so and exits 1; the snapshot is still kept.
    let (code, out, _) = s.offsheet(&["adoption", "record", "--as-of", "2026-11-16"]);
    assert_eq!(code, 1, "{out}");
    assert!(out.contains("error: retired shadow tracker changed after it was decommissioned on 2026-11-09 by dana: 1 row added or changed, 0 removed"), "{out}");
    let (code, out, _) = s.offsheet(&[
        "adoption",
        "check",
        "--min-rate",
        "0.9",
        "--as-of",
        "2026-11-16",
    ]);
    assert_eq!(code, 1, "{out}");
}

#[test]
fn a_record_killed_halfway_leaves_the_ledger_as_it_was() {
    let s = Story::new();
    s.week(
        rows("Order,Date,Status", 1..=3, |_| "placed"),
        rows("order_id,order_date,status", 1..=2, |_| "placed"),
    );
    s.record("2026-10-05");
    let out =
        s.t.offsheet()
            .args(["adoption", "record", "--as-of", "2026-10-12", "--quiet"])
            .env("OFFSHEET_TEST_ABORT_AFTER_INSERT", "1")
            .output()
            .expect("run");
    assert!(!out.status.success(), "the hook aborts the process");
    let status = s.status("2026-10-12");
    let snaps = status["shadows"][0]["snapshots"].as_array().unwrap().len();
    assert_eq!(snaps, 1, "only the snapshot before the crash");
    s.record("2026-10-12");
    assert_eq!(
        s.status("2026-10-12")["shadows"][0]["snapshots"]
            .as_array()
            .unwrap()
            .len(),
        2
    );
}

#[test]
fn without_a_ledger_or_a_config_the_commands_say_what_to_do() {
    let t = TestDir::new();
    let (code, _, err) = run(t.offsheet().args(["adoption", "status"]));
    assert_eq!(code, 2);
    assert!(err.contains("no offsheet.toml"), "{err}");
    t.write("offsheet.toml", tracker_config("tracker"));
    t.write("tracker.csv", "Order,Date,Status\n");
    t.write("oms/orders.csv", "order_id,order_date,status\n");
    let (code, _, err) = run(t.offsheet().args(["adoption", "status"]));
    assert_eq!(code, 2);
    assert!(err.contains("ledger"), "{err}");
    let (code, _, err) = run(t.offsheet().args(["decommission", "trackr", "--by", "x"]));
    assert_eq!(code, 2);
    assert!(err.contains("did you mean `tracker`?"), "{err}");
}

#[test]
fn a_damaged_ledger_or_a_renamed_key_column_is_a_clear_error() {
    let s = Story::new();
    s.week(
        rows("Order,Date,Status", 1..=3, |_| "placed"),
        rows("order_id,order_date,status", 1..=2, |_| "placed"),
    );
    s.t.write(".offsheet/ledger.sqlite", "this is not a database");
    let (code, _, err) = s.offsheet(&["adoption", "status"]);
    assert_eq!(code, 2);
    assert!(err.contains("ledger.sqlite"), "{err}");
    assert_eq!(
        std::fs::read(s.t.join(".offsheet/ledger.sqlite")).unwrap(),
        b"this is not a database",
        "left untouched"
    );
    // The shadow's key column renamed in the sheet: no silently wrong rate.
    std::fs::remove_file(s.t.join(".offsheet/ledger.sqlite")).unwrap();
    s.t.write(
        "tracker.csv",
        "Comment,Date,Status\nSO-1,2026-10-01,placed\n",
    );
    let (code, _, err) = s.offsheet(&["adoption", "record", "--as-of", "2026-10-05"]);
    assert_eq!(code, 2, "{err}");
    assert!(
        err.contains("has no column for orders's key order_id now"),
        "{err}"
    );
}

#[test]
fn no_command_writes_to_an_input_file() {
    let s = Story::new();
    s.week(
        rows("Order,Date,Status", 1..=3, |_| "placed"),
        rows("order_id,order_date,status", 1..=2, |_| "placed"),
    );
    let before = s.checksums();
    for args in [
        vec!["scan", "."],
        vec!["audit"],
        vec!["ingest", "--out", "out"],
        vec!["report", "--out", "rep"],
        vec!["adoption", "record", "--as-of", "2026-10-05"],
        vec!["adoption", "status"],
        vec!["adoption", "check", "--min-rate", "0.1"],
        vec!["adoption", "export"],
        vec!["decommission", "tracker", "--by", "dana"],
    ] {
        let _ = s.offsheet(&args);
        assert_eq!(s.checksums(), before, "{args:?} changed an input file");
    }
}
