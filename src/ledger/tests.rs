//! Ledger storage: migrations, refusals of foreign or damaged files, snapshot
//! transactions (all or nothing), and two writers at once.

use std::path::{Path, PathBuf};

use chrono::NaiveDate;

use super::*;

fn date(s: &str) -> NaiveDate {
    NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap()
}

fn temp() -> (tempfile::TempDir, PathBuf) {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join(".offsheet").join("ledger.sqlite");
    (dir, path)
}

fn shadow(name: &str, changed: usize) -> ShadowSnapshot {
    ShadowSnapshot {
        name: name.into(),
        entity: "orders".into(),
        owner: Some("ops".into()),
        path: format!("{name}.xlsx"),
        system_path: "oms.csv".into(),
        metrics: Metrics {
            rows: 3,
            keys: 2,
            in_system: 1,
            shadow_only: 1,
            divergent: 1,
            changed,
            window_system: 1,
            window_keys: 2,
            rate: 0.5,
        },
        open_errors: 0,
        sheet_fingerprint: format!("sheet-{changed}"),
    }
}

fn fingerprints(pairs: &[(&str, &str, usize)]) -> RowFingerprints {
    pairs
        .iter()
        .map(|(k, f, n)| ((k.to_string(), f.to_string()), *n))
        .collect()
}

/// Records one snapshot of `names` at `as_of`.
fn record(ledger: &mut Ledger, as_of: &str, names: &[&str]) {
    let mut tx = ledger.begin_snapshot(date(as_of), 30).unwrap();
    for name in names {
        let fp = fingerprints(&[("SO-1", "a", 2), ("SO-2", as_of, 1)]);
        let div = [DivergentKey {
            key: "SO-1".into(),
            fields: vec!["status".into(), "total".into()],
        }];
        tx.insert_shadow(&shadow(name, 1), &fp, &div).unwrap();
    }
    tx.commit().unwrap();
}

fn table_names(path: &Path) -> Vec<String> {
    let conn = rusqlite::Connection::open(path).unwrap();
    let mut stmt = conn
        .prepare("SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name")
        .unwrap();
    stmt.query_map([], |r| r.get(0))
        .unwrap()
        .collect::<Result<_, _>>()
        .unwrap()
}

fn count(ledger: &Ledger, table: &str) -> i64 {
    ledger
        .conn
        .query_row(&format!("SELECT count(*) FROM {table}"), [], |r| r.get(0))
        .unwrap()
}

#[test]
fn fresh_open_creates_the_schema_in_wal_mode() {
    let (_dir, path) = temp();
    let ledger = Ledger::open(&path).unwrap();
    assert_eq!(ledger.schema_version().unwrap(), 1);
    assert_eq!(current_version(), 1);
    let mode: String = ledger
        .conn
        .query_row("PRAGMA journal_mode", [], |r| r.get(0))
        .unwrap();
    assert_eq!(mode, "wal");
    let app: i64 = ledger
        .conn
        .query_row("PRAGMA application_id", [], |r| r.get(0))
        .unwrap();
    assert_eq!(app, APPLICATION_ID);
    drop(ledger);
    assert_eq!(
        table_names(&path),
        [
            "decisions",
            "divergent_fields",
            "events",
            "row_fingerprints",
            "shadow_metrics",
            "snapshots"
        ]
    );
}

#[test]
fn reopening_is_a_no_op() {
    let (_dir, path) = temp();
    let mut ledger = Ledger::open(&path).unwrap();
    record(&mut ledger, "2026-10-01", &["a"]);
    drop(ledger);
    let ledger = Ledger::open_existing(&path).unwrap();
    assert_eq!(ledger.schema_version().unwrap(), 1);
    // one migration event, from the first open only
    let kinds: Vec<String> = ledger
        .events()
        .unwrap()
        .into_iter()
        .map(|e| e.kind)
        .collect();
    assert_eq!(kinds, ["migrated"]);
    assert_eq!(ledger.history("a", date("2026-12-31")).unwrap().len(), 1);
}

#[test]
fn a_newer_schema_is_refused_not_downgraded() {
    let (_dir, path) = temp();
    drop(Ledger::open(&path).unwrap());
    let conn = rusqlite::Connection::open(&path).unwrap();
    conn.pragma_update(None, "user_version", 99).unwrap();
    drop(conn);
    let err = Ledger::open(&path).unwrap_err();
    assert_eq!(
        err,
        LedgerError::NewerVersion {
            path: path.display().to_string(),
            found: 99,
            known: 1
        }
    );
    let code = miette::Diagnostic::code(&err).unwrap().to_string();
    assert_eq!(code, "offsheet::ledger::newer_version");
    // untouched
    let conn = rusqlite::Connection::open(&path).unwrap();
    let v: i64 = conn
        .query_row("PRAGMA user_version", [], |r| r.get(0))
        .unwrap();
    assert_eq!(v, 99);
}

#[test]
fn a_file_that_is_not_sqlite_is_refused() {
    let (dir, _) = temp();
    let path = dir.path().join("ledger.sqlite");
    std::fs::write(&path, "order_id,status\nSO-1,paid\n".repeat(100)).unwrap();
    let err = Ledger::open(&path).unwrap_err();
    assert_eq!(
        err,
        LedgerError::NotADatabase {
            path: path.display().to_string()
        }
    );
    assert_eq!(
        std::fs::read_to_string(&path).unwrap(),
        "order_id,status\nSO-1,paid\n".repeat(100)
    );
}

#[test]
fn a_damaged_ledger_is_refused_as_corrupt() {
    let (_dir, path) = temp();
    let mut ledger = Ledger::open(&path).unwrap();
    for week in 1..=9 {
        record(&mut ledger, &format!("2026-10-0{week}"), &["a", "b", "c"]);
    }
    ledger
        .conn
        .pragma_update(None, "wal_checkpoint", "TRUNCATE")
        .unwrap();
    drop(ledger);
    // Overwrite the pages after the first with noise, keeping the header.
    let mut bytes = std::fs::read(&path).unwrap();
    assert!(bytes.len() > 8192, "{}", bytes.len());
    for (i, b) in bytes.iter_mut().enumerate().skip(4096) {
        *b = (i % 251) as u8;
    }
    std::fs::write(&path, bytes).unwrap();
    match Ledger::open(&path) {
        Err(LedgerError::Corrupt { path: p, .. }) => assert_eq!(p, path.display().to_string()),
        other => panic!("expected Corrupt, got {other:?}"),
    }
}

#[test]
fn another_applications_database_is_refused() {
    let (dir, _) = temp();
    let path = dir.path().join("crm.db");
    let conn = rusqlite::Connection::open(&path).unwrap();
    conn.execute_batch("CREATE TABLE customers (id INTEGER PRIMARY KEY, name TEXT);")
        .unwrap();
    drop(conn);
    assert_eq!(
        Ledger::open(&path).unwrap_err(),
        LedgerError::Foreign {
            path: path.display().to_string()
        }
    );
    assert_eq!(table_names(&path), ["customers"]);
    // refused before anything was written: still in its own journal mode
    let conn = rusqlite::Connection::open(&path).unwrap();
    let mode: String = conn
        .query_row("PRAGMA journal_mode", [], |r| r.get(0))
        .unwrap();
    assert_eq!(mode, "delete");
    // a versioned schema of someone else is not mistaken for a ledger either
    conn.pragma_update(None, "user_version", 1).unwrap();
    drop(conn);
    assert_eq!(
        Ledger::open(&path).unwrap_err(),
        LedgerError::Foreign {
            path: path.display().to_string()
        }
    );
}

#[test]
fn open_existing_does_not_create() {
    let (_dir, path) = temp();
    assert_eq!(
        Ledger::open_existing(&path).unwrap_err(),
        LedgerError::Missing {
            path: path.display().to_string()
        }
    );
    assert!(!path.exists());
}

#[test]
fn a_snapshot_reads_back_as_written() {
    let (_dir, path) = temp();
    let mut ledger = Ledger::open(&path).unwrap();
    record(&mut ledger, "2026-10-01", &["b", "a"]);
    assert_eq!(ledger.shadow_names().unwrap(), ["a", "b"]);
    let h = ledger.history("a", date("2026-10-01")).unwrap();
    assert_eq!(h.len(), 1);
    assert_eq!(h[0].as_of, date("2026-10-01"));
    assert_eq!(h[0].window_days, 30);
    assert_eq!(h[0].shadow, shadow("a", 1));
    assert_eq!(
        ledger.fingerprints(h[0].snapshot_id, "a").unwrap(),
        fingerprints(&[("SO-1", "a", 2), ("SO-2", "2026-10-01", 1)])
    );
    assert_eq!(
        ledger.divergent_keys(h[0].snapshot_id, "a").unwrap(),
        [DivergentKey {
            key: "SO-1".into(),
            fields: vec!["status".into(), "total".into()]
        }]
    );
    assert!(ledger.history("a", date("2026-09-30")).unwrap().is_empty());
}

#[test]
fn the_same_as_of_recorded_twice_keeps_the_later_run_in_the_history() {
    let (_dir, path) = temp();
    let mut ledger = Ledger::open(&path).unwrap();
    record(&mut ledger, "2026-10-01", &["a"]);
    record(&mut ledger, "2026-10-08", &["a"]);
    record(&mut ledger, "2026-10-08", &["a"]);
    let ids: Vec<i64> = ledger
        .history("a", date("2026-12-31"))
        .unwrap()
        .iter()
        .map(|s| s.snapshot_id)
        .collect();
    assert_eq!(ids, [1, 3]);
    assert_eq!(ledger.all_snapshots().unwrap().len(), 3);
    // the previous snapshot of 2026-10-08 is the one of an earlier date
    let tx = ledger.begin_snapshot(date("2026-10-08"), 30).unwrap();
    assert_eq!(
        tx.previous_fingerprints("a").unwrap(),
        Some(fingerprints(&[("SO-1", "a", 2), ("SO-2", "2026-10-01", 1)]))
    );
    assert_eq!(tx.previous_fingerprints("zz").unwrap(), None);
}

#[test]
fn a_dropped_snapshot_leaves_exactly_the_previous_ones() {
    let (_dir, path) = temp();
    let mut ledger = Ledger::open(&path).unwrap();
    record(&mut ledger, "2026-10-01", &["a", "b"]);
    let before = ledger.all_snapshots().unwrap();
    {
        // A run that dies mid-snapshot: rows inserted, never committed.
        let mut tx = ledger.begin_snapshot(date("2026-10-08"), 30).unwrap();
        let fp = fingerprints(&[("SO-9", "x", 1)]);
        tx.insert_shadow(&shadow("a", 7), &fp, &[]).unwrap();
        tx.log_event("recorded", None, "never committed").unwrap();
    }
    assert_eq!(ledger.all_snapshots().unwrap(), before);
    assert_eq!(count(&ledger, "snapshots"), 1);
    assert_eq!(count(&ledger, "row_fingerprints"), 4);
    // a new connection sees the same, and the next record succeeds
    drop(ledger);
    let mut ledger = Ledger::open(&path).unwrap();
    assert_eq!(ledger.all_snapshots().unwrap(), before);
    record(&mut ledger, "2026-10-08", &["a", "b"]);
    assert_eq!(ledger.all_snapshots().unwrap().len(), 4);
    assert_eq!(count(&ledger, "snapshots"), 2);
}

#[test]
fn a_shadow_twice_in_one_snapshot_is_refused() {
    let (_dir, path) = temp();
    let mut ledger = Ledger::open(&path).unwrap();
    let mut tx = ledger.begin_snapshot(date("2026-10-01"), 30).unwrap();
    tx.insert_shadow(&shadow("a", 1), &RowFingerprints::new(), &[])
        .unwrap();
    assert_eq!(
        tx.insert_shadow(&shadow("a", 1), &RowFingerprints::new(), &[])
            .unwrap_err(),
        LedgerError::DuplicateShadow {
            path: path.display().to_string(),
            name: "a".into()
        }
    );
}

#[test]
fn two_writers_at_once_both_succeed_and_nothing_is_lost() {
    let (_dir, path) = temp();
    let barrier = std::sync::Arc::new(std::sync::Barrier::new(2));
    let writers: Vec<_> = ["north", "south"]
        .into_iter()
        .map(|name| {
            let path = path.clone();
            let barrier = barrier.clone();
            std::thread::spawn(move || {
                barrier.wait();
                // both open the fresh file at once, then write in turns
                let mut ledger = Ledger::open(&path).unwrap();
                for day in 1..=20 {
                    record(&mut ledger, &format!("2026-10-{day:02}"), &[name]);
                }
            })
        })
        .collect();
    for w in writers {
        w.join().unwrap();
    }
    let ledger = Ledger::open(&path).unwrap();
    assert_eq!(ledger.shadow_names().unwrap(), ["north", "south"]);
    assert_eq!(count(&ledger, "snapshots"), 40);
    assert_eq!(count(&ledger, "row_fingerprints"), 80);
    for name in ["north", "south"] {
        assert_eq!(ledger.history(name, date("2026-12-31")).unwrap().len(), 20);
    }
    let migrations = ledger
        .events()
        .unwrap()
        .iter()
        .filter(|e| e.kind == "migrated")
        .count();
    assert_eq!(migrations, 1);
}

#[test]
fn decisions_and_events_read_back() {
    let (_dir, path) = temp();
    let mut ledger = Ledger::open(&path).unwrap();
    record(&mut ledger, "2026-10-01", &["a"]);
    let d = ledger
        .record_decision(&DecisionDraft {
            shadow: "a".into(),
            decided_at: date("2026-10-02"),
            decided_by: "dana".into(),
            reason: "moved to the OMS".into(),
            sheet_fingerprint: "sheet-1".into(),
            snapshot_id: 1,
        })
        .unwrap();
    assert_eq!(ledger.latest_decision("a").unwrap(), Some(d.clone()));
    assert_eq!(ledger.decisions().unwrap(), [d]);
    assert_eq!(ledger.latest_decision("b").unwrap(), None);
    let last = ledger.events().unwrap().pop().unwrap();
    assert_eq!(
        (
            last.kind.as_str(),
            last.shadow.as_deref(),
            last.as_of,
            last.detail.as_str()
        ),
        (
            "decommissioned",
            Some("a"),
            Some(date("2026-10-02")),
            "decommissioned by dana: moved to the OMS"
        )
    );
}

/// The child half of `a_killed_record_leaves_the_previous_snapshots`: run by
/// that test as a separate process with the abort hook set; ignored otherwise.
#[test]
#[ignore = "run as a child process by a_killed_record_leaves_the_previous_snapshots"]
fn abort_hook_child() {
    let path = PathBuf::from(std::env::var_os("OFFSHEET_TEST_LEDGER").unwrap());
    let mut ledger = Ledger::open(&path).unwrap();
    record(&mut ledger, "2026-10-08", &["a"]);
    unreachable!("the abort hook should have ended the process");
}

#[test]
fn a_killed_record_leaves_the_previous_snapshots() {
    let (_dir, path) = temp();
    let mut ledger = Ledger::open(&path).unwrap();
    record(&mut ledger, "2026-10-01", &["a"]);
    let before = ledger.all_snapshots().unwrap();
    drop(ledger);

    let status = std::process::Command::new(std::env::current_exe().unwrap())
        .args(["--exact", "ledger::tests::abort_hook_child", "--ignored"])
        .args(["--nocapture", "--test-threads", "1"])
        .env(TEST_ABORT_ENV, "1")
        .env("OFFSHEET_TEST_LEDGER", &path)
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::null())
        .status()
        .unwrap();
    // abort() ends the process by SIGABRT: no exit code at all on Unix.
    assert!(!status.success());
    #[cfg(unix)]
    assert_eq!(
        std::os::unix::process::ExitStatusExt::signal(&status),
        Some(6)
    );

    let mut ledger = Ledger::open(&path).unwrap();
    assert_eq!(ledger.all_snapshots().unwrap(), before);
    assert_eq!(count(&ledger, "snapshots"), 1);
    record(&mut ledger, "2026-10-08", &["a"]);
    assert_eq!(ledger.history("a", date("2026-12-31")).unwrap().len(), 2);
}
